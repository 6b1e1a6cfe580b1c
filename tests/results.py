"""Checks of JSON results against the published schema, for the tests of every JSON output."""

from __future__ import annotations

from typing import Any

import jsonschema

from weltoffen.reports.schema import KINDS, results_schema
from weltoffen.result_format import FORMAT_KEY, RESULT_FORMAT

SCHEMA = results_schema()

#: One validator per kind of result, and one for any result.
VALIDATORS = {
    kind: jsonschema.Draft202012Validator(
        {"$schema": SCHEMA["$schema"], "$ref": f"#/$defs/{kind}", "$defs": SCHEMA["$defs"]}
    )
    for kind in KINDS
}
ANY = jsonschema.Draft202012Validator(SCHEMA)


def check_result(data: Any, kind: str) -> None:
    """*data* is a valid result of *kind*, of this release's format (raises when not)."""
    VALIDATORS[kind].validate(data)
    ANY.validate(data)
    for entry in data if isinstance(data, list) else [data]:
        assert entry[FORMAT_KEY] == RESULT_FORMAT


def errors(data: Any, kind: str) -> list[str]:
    """The schema's complaints about *data* as a result of *kind* (empty when it is valid)."""
    return [e.message for e in VALIDATORS[kind].iter_errors(data)]
