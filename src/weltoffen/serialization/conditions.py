"""Conditions in plain data: written by the shape of their keys, ``{question: q1, equals: yes}``.

A condition has no ``kind`` key: which of ``equals``, ``in``, ``includes``, a comparison, or
``all``/``any``/``not`` it is follows from the keys it has, so cattrs' class-driven hooks do not
fit. :func:`register_conditions` teaches a converter both directions; the reading is strict, like
every other hook (one test per condition, nothing combined with ``all``/``any``/``not``), and an
error deep inside nested conditions is located by the steps down to it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any, Optional

import cattrs

from weltoffen.exceptions import ProblemCode
from weltoffen.model.conditions import (
    AllOf,
    AnyOf,
    Compare,
    Condition,
    Equals,
    Includes,
    Not,
    OneOf,
)
from weltoffen.serialization.values import (
    Invalid,
    UnknownKeys,
    forbid_extra,
    read_float,
    read_mapping,
    read_str,
    type_name,
)

__all__ = ["register_conditions"]

_COMPARE_OPS = ("gt", "ge", "lt", "le")
_CONDITION_KEYS = ["question", "equals", "in", "includes", *_COMPARE_OPS, "all", "any", "not"]


def register_conditions(conv: cattrs.Converter) -> None:
    """Conditions are written by the shape of their keys: ``{question: q1, equals: yes}``."""

    def structure(value: Any, _: Any = None) -> Condition:
        data = read_mapping(value)
        forbid_extra(data, _CONDITION_KEYS)
        for key, cls in (("all", AllOf), ("any", AnyOf)):
            if key in data:
                _only(data, key)
                items = data[key]
                if not isinstance(items, list):
                    raise Invalid(
                        ProblemCode.WRONG_TYPE,
                        f"{key} takes a list of conditions",
                        "a list",
                        type_name(items),
                    )
                return cls(tuple(_at((key, i), structure, c) for i, c in enumerate(items)))
        if "not" in data:
            _only(data, "not")
            return Not(_at(("not",), structure, data["not"]))
        if "question" not in data:
            raise Invalid(
                ProblemCode.MISSING_KEY,
                "a condition needs a question or all/any/not",
                "question: ID",
            )
        question = read_str(data["question"])
        tests = [k for k in data if k != "question"]
        if len(tests) != 1:
            raise Invalid(
                ProblemCode.BAD_CONDITION,
                "a condition on a question needs exactly one test",
                "one of equals, in, includes, gt, ge, lt, le",
                ", ".join(tests) or "none",
            )
        (test,) = tests
        arg = data[test]
        if test == "equals":
            return Equals(question, _scalar(arg))
        if test == "in":
            if not isinstance(arg, list) or not arg:
                raise Invalid(
                    ProblemCode.WRONG_TYPE,
                    "in takes a non-empty list of values",
                    "a list",
                    type_name(arg),
                )
            return OneOf(question, tuple(_scalar(v) for v in arg))
        if test == "includes":
            return Includes(question, read_str(arg))
        return Compare(question, test, read_float(arg))

    def unstructure(cond: Condition) -> dict[str, Any]:
        if isinstance(cond, AllOf | AnyOf):
            key = "all" if isinstance(cond, AllOf) else "any"
            return {key: [unstructure(c) for c in cond.conditions]}
        if isinstance(cond, Not):
            return {"not": unstructure(cond.condition)}
        if isinstance(cond, Equals):
            return {"question": cond.question, "equals": cond.value}
        if isinstance(cond, OneOf):
            return {"question": cond.question, "in": list(cond.values)}
        if isinstance(cond, Includes):
            return {"question": cond.question, "includes": cond.value}
        return {"question": cond.question, cond.op: cond.value}

    conv.register_structure_hook_func(
        lambda t: t in (Condition, Optional[Condition]),  # noqa: UP045
        lambda v, _: None if v is None else structure(v),
    )
    for cls in (Equals, OneOf, Includes, Compare, AllOf, AnyOf, Not):
        conv.register_unstructure_hook(cls, unstructure)


def _only(data: Mapping[str, Any], key: str) -> None:
    others = [k for k in data if k != key]
    if others:
        raise Invalid(
            ProblemCode.CONFLICTING_KEYS,
            f"{key} cannot be combined with other keys",
            f"only {key}",
            ", ".join(others),
        )


def _at(where: tuple[int | str, ...], fn: Callable[[Any], Condition], value: Any) -> Condition:
    """Run *fn*, adding the steps *where* to the location of any error (conditions nest)."""
    try:
        return fn(value)
    except (Invalid, UnknownKeys) as exc:
        exc.where[:0] = where
        raise


def _scalar(value: Any) -> bool | int | float | str:
    if isinstance(value, bool | int | float | str) and not (
        isinstance(value, float) and not math.isfinite(value)
    ):
        return value
    raise Invalid(
        ProblemCode.WRONG_TYPE,
        "must be a single value",
        "text, a number or true/false",
        type_name(value),
    )
