"""The JSON result format: its version, and how a typed view becomes the documented JSON.

Every JSON result weltoffen writes (``score``, ``cohort``, ``sensitivity``, ``reliability``,
``validate`` and :func:`~weltoffen.dump_result`) carries :data:`RESULT_FORMAT` under the key
``result_format``. The version is ``MAJOR.MINOR``: a minor step only adds optional fields, a
major step may remove, rename or retype them (``docs/cli.md`` says more).
:func:`weltoffen.reports.schema.results_schema` publishes the format as a JSON Schema.

A *view* is a frozen attrs class whose plain form (:func:`plain`) is one documented JSON object:
every field is a key, in field order, except fields with the metadata
:data:`OMITTED_WHEN_NONE` whose
value is ``None``.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

__all__ = [
    "FORMAT_KEY",
    "FORMAT_PATTERN",
    "OMITTED_WHEN_NONE",
    "RESULT_FORMAT",
    "is_omitted_when_none",
    "plain",
    "readable",
]

#: The version of the JSON result format. Raise the minor number when fields are added, the
#: major number when a field is removed, renamed or changes its type or meaning.
RESULT_FORMAT = "1.1"

_MAJOR = RESULT_FORMAT.split(".")[0]

#: What a result of this major version may carry as its ``result_format``: a reader of version
#: ``1.N`` reads every ``1.M`` (it ignores the fields it does not know).
FORMAT_PATTERN = rf"^{_MAJOR}\.[0-9]+$"

#: The key that carries :data:`RESULT_FORMAT` at the top of every JSON result.
FORMAT_KEY = "result_format"

#: The metadata of a view field that defaults to ``None`` and is left out of the plain form when
#: ``None``: ``attrs.field(default=None, metadata=OMITTED_WHEN_NONE)``.
OMITTED_WHEN_NONE: Mapping[str, bool] = MappingProxyType({"weltoffen.omitted_when_none": True})


def is_omitted_when_none(field: attrs.Attribute[Any]) -> bool:
    """Whether *field* was made with the metadata :data:`OMITTED_WHEN_NONE`."""
    return all(field.metadata.get(k) == v for k, v in OMITTED_WHEN_NONE.items())


def readable(version: object) -> bool:
    """Whether a result of format *version* can be read by this version of weltoffen."""
    return isinstance(version, str) and re.fullmatch(FORMAT_PATTERN, version) is not None


def plain(view: Any) -> Any:
    """The documented JSON of *view* as plain data (dicts, lists, strings, numbers, ``None``).

    Args:
        view: A view (an attrs instance), a list, tuple or mapping of them, or a plain value.

    Returns:
        Data ready for :func:`json.dumps`: attrs instances and mappings become dicts, tuples
        become lists, enumeration members their values.
    """
    if attrs.has(type(view)):
        return {
            f.name: plain(value)
            for f in attrs.fields(type(view))
            if not ((value := getattr(view, f.name)) is None and is_omitted_when_none(f))
        }
    if isinstance(view, enum.Enum):
        return view.value
    if isinstance(view, Mapping):
        return {key: plain(value) for key, value in view.items()}
    if isinstance(view, list | tuple):
        return [plain(v) for v in view]
    return view
