"""Declarative conditions that decide whether a question or dimension applies.

Conditions are data, never code: they compare answers to values and combine with all / any / not.
A comparison with a question that has no usable answer (skipped, don't know, hidden, ...) is false.
"""

from __future__ import annotations

from typing import Literal, Union

import attrs

from weltoffen._fields import checked, describe
from weltoffen._repr import value_repr

__all__ = [
    "AllOf",
    "AnyOf",
    "Compare",
    "Condition",
    "Equals",
    "Includes",
    "Not",
    "OneOf",
]

Scalar = bool | int | float | str


@attrs.frozen(field_transformer=checked)
class Equals:
    """True when the answer to *question* equals *value*."""

    __repr__ = value_repr

    question: str
    value: Scalar


@attrs.frozen(field_transformer=checked)
class OneOf:
    """True when the answer to *question* is one of *values*."""

    __repr__ = value_repr

    question: str
    values: tuple[Scalar, ...]


@attrs.frozen(field_transformer=checked)
class Includes:
    """True when the multiple-choice answer to *question* includes *value*."""

    __repr__ = value_repr

    question: str
    value: str


Operator = Literal["gt", "ge", "lt", "le"]


@attrs.frozen(field_transformer=checked)
class Compare:
    """True when the numeric answer to *question* compares to *value* by *op* (gt, ge, lt, le)."""

    __repr__ = value_repr

    question: str
    op: Operator
    value: float


@attrs.frozen(field_transformer=checked)
class AllOf:
    """True when every one of *conditions* is true."""

    __repr__ = value_repr

    conditions: tuple[Condition, ...]


@attrs.frozen(field_transformer=checked)
class AnyOf:
    """True when at least one of *conditions* is true."""

    __repr__ = value_repr

    conditions: tuple[Condition, ...]


@attrs.frozen(field_transformer=checked)
class Not:
    """True when *condition* is false."""

    __repr__ = value_repr

    condition: Condition


Condition = Union[Equals, OneOf, Includes, Compare, AllOf, AnyOf, Not]  # noqa: UP007 - forward refs

describe(Scalar, "a str, a number, or True or False", "single values")
describe(
    Condition,
    "a condition (Equals, OneOf, Includes, Compare, AllOf, AnyOf or Not) "
    "such as Equals('q1', 'yes')",
    "conditions such as Equals('q1', 'yes')",
)


def referenced_questions(condition: Condition) -> list[str]:
    """The question ids a condition reads, in order of appearance."""
    if isinstance(condition, AllOf | AnyOf):
        return [q for c in condition.conditions for q in referenced_questions(c)]
    if isinstance(condition, Not):
        return referenced_questions(condition.condition)
    return [condition.question]
