"""weltoffen's settings in a REDCap dictionary: the ``@WELTOFFEN={...}`` field annotation.

REDCap keeps a field's annotation and shows it only to the project's designers, so it can carry
what the dictionary's own columns cannot say (option values beside their codes, weights,
policies, bands, other languages, ...). The tag holds JSON in weltoffen's own questionnaire
format, written and read with the one converter the YAML and JSON files use, and only the part
of a piece the columns do not already say: reading applies it over what the columns give.
"""

from __future__ import annotations

import functools
import json
import re
import typing
from collections.abc import Mapping
from typing import Any

import attrs
import cattrs

from weltoffen.interop.redcap import logic
from weltoffen.interop.redcap.layout import FieldLayout
from weltoffen.interop.translate import Kind, Refs
from weltoffen.model.questions import (
    MultipleChoice,
    Numeric,
    Question,
    TextQuestion,
    YesNo,
)
from weltoffen.registry import default_registry
from weltoffen.serialization import make_converter

__all__ = [
    "COMMON",
    "SETTINGS_FIELD",
    "SETTINGS_SUFFIX",
    "TAG",
    "TagError",
    "annotation",
    "converter",
    "field_refs",
    "find_tag",
    "overlay",
    "question_tag",
]

#: The action-tag-style prefix of weltoffen's settings in a field annotation.
TAG = "@WELTOFFEN="

#: The descriptive field carrying the questionnaire's own settings (first after the record id).
SETTINGS_FIELD = "weltoffen"

#: The end of the name of a dimension's settings field (``<dimension>_settings``).
SETTINGS_SUFFIX = "_settings"

#: What every question kind shares: kept from the columns when a tag changes the kind.
COMMON = ("id", "text", "help")


@attrs.frozen
class TagError:
    """Why an annotation's tag is no JSON object, and where in the cell (0-based)."""

    message: str
    offset: int


def converter(language: str) -> cattrs.Converter:
    """The converter of weltoffen's questionnaire format for texts in *language*."""
    return make_converter(default_registry, language)


def annotation(data: Mapping[str, Any]) -> str:
    """*data* as a field annotation: the tag and one line of JSON."""
    text = json.dumps(data, ensure_ascii=False, separators=(", ", ": "))
    # JSON escapes the C0 controls itself; the C1 ones are escaped too, so the cell is plain text
    return TAG + re.sub(r"[\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04x}", text)


def find_tag(cell: str) -> dict[str, Any] | TagError | None:
    """The settings in annotation *cell*, why they cannot be read, or ``None`` without a tag."""
    start = cell.find(TAG)
    if start < 0:
        return None
    at = start + len(TAG)
    try:
        value, _ = json.JSONDecoder().raw_decode(cell, at)
    except json.JSONDecodeError as error:
        return TagError(f"the weltoffen settings are no valid JSON: {error.msg}", error.pos)
    if not isinstance(value, dict):
        return TagError("the weltoffen settings must be a JSON object {...}", at)
    return value


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _default(cls: type, name: str, conv: cattrs.Converter) -> Any:
    field = attrs.fields_dict(cls)[name]
    value: Any = field.default
    if isinstance(value, attrs.Factory):  # type: ignore[arg-type]
        value = value.factory()
    return conv.unstructure(value, _hints(cls)[name])


def question_tag(question: Question, native: Question, conv: cattrs.Converter) -> dict[str, Any]:
    """What *question* holds that *native* (the question its columns alone give) does not,
    in weltoffen's format; ``when`` is left to the caller (it depends on the other fields)."""
    full: dict[str, Any] = conv.unstructure(question)
    base: dict[str, Any] = conv.unstructure(native)
    if base["kind"] != full["kind"]:
        base = {k: base[k] for k in COMMON if k in base}
    tag = {k: v for k, v in full.items() if k != "when" and base.get(k, _MISSING) != v}
    for key in base:
        if key not in full and key != "when":
            tag[key] = _default(type(question), key, conv)
    return tag


_MISSING = object()


def overlay(native: Question, tag: Mapping[str, Any], conv: cattrs.Converter) -> dict[str, Any]:
    """The question data of *native* (the columns' question) with *tag* applied over it."""
    base: dict[str, Any] = conv.unstructure(native)
    if "kind" in tag and tag["kind"] != base["kind"]:
        base = {k: base[k] for k in COMMON if k in base}
    return {**base, **tag}


def _kind(question: Question) -> Kind:
    if isinstance(question, YesNo):
        return "yes_no"
    if isinstance(question, MultipleChoice):
        return "multiple"
    if isinstance(question, Numeric):
        return "numeric"
    if isinstance(question, TextQuestion):
        return "text"
    return "choice"


def field_refs(layouts: Mapping[str, FieldLayout]) -> Refs:
    """The resolver for branching logic over the fields of *layouts* (by question id)."""
    fields = {
        layout.name: logic.Reference(
            question=qid,
            kind=_kind(layout.question),
            codes={code: value for value, code in layout.codes.items()},  # type: ignore[misc]
        )
        for qid, layout in layouts.items()
    }
    return logic.refs_of(fields, {})
