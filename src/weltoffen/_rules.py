"""What a field of a value object may refuse, and the rules of one object's values.

A constructor argument of the wrong type raises :class:`FieldTypeError`, a right type with an
unusable value :class:`FieldValueError`. Rules of one object (a band's ``min`` below its ``max``,
a finite weight) are attrs validators (:func:`finite`, :func:`also`, :func:`not_blank`) that raise
:class:`InvariantError`: in attrs' words for a programmer, and with the message that loading a
file reports at the value's line.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import attrs

from weltoffen.exceptions import ProblemCode

__all__ = [
    "FieldError",
    "FieldTypeError",
    "FieldValueError",
    "InvariantError",
    "also",
    "finite",
    "got",
    "not_blank",
]


class FieldError(Exception):
    """A constructor argument that does not fit its field.

    Attributes:
        owner: The name of the class being built.
        field: The field's name.
        steps: Where inside the value (tuple indices, mapping keys), outermost first.
        message: What is wrong, briefly (used where a file's problem is located).
        expected: What the field takes, when that is the point.
        got: What was given.
    """

    def __init__(
        self,
        owner: str,
        field: str,
        steps: list[int | str],
        message: str,
        expected: str | None,
        got: str,
    ) -> None:
        self.owner = owner
        self.field = field
        self.steps = steps
        self.message = message
        self.expected = expected
        self.got = got
        where = "".join(f"[{s!r}]" for s in steps)
        detail = f"expected {expected}" if expected else message
        super().__init__(f"{owner}.{field}{where}: {detail}, got {got}")


class FieldTypeError(FieldError, TypeError):
    """A constructor argument of the wrong type."""


class FieldValueError(FieldError, ValueError):
    """A constructor argument of the right type but an unusable value."""


class InvariantError(FieldValueError):
    """A value that breaks a rule of its object (a band's ``max`` at or below its ``min``).

    The exception reads as attrs' validators do (``Band: 'max' must be > 80: 20``); *message*,
    *expected* and *got* are what loading a file reports at the value's line.

    Attributes:
        whole: The rule is about the object as a whole (it is located at the object, not at
            the field).
        code: The problem's code where a file's problem is reported.
    """

    def __init__(
        self,
        instance: Any,
        field: str,
        rule: str,
        value: Any,
        *,
        message: str,
        expected: str | None = None,
        shown: str | None = None,
        whole: bool = False,
        code: ProblemCode = ProblemCode.OUT_OF_RANGE,
    ) -> None:
        owner = type(instance).__name__
        super().__init__(
            owner, field, [], message, expected, repr(value) if shown is None else shown
        )
        self.whole = whole
        self.code = code
        self.args = (f"{owner}: {field!r} must be {rule}: {value!r}",)


def finite(
    message: str,
    *,
    low: float | None = None,
    strict: bool = False,
    high: float | None = None,
) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """attrs validator: a finite number, at least *low* (above it when *strict*), at most *high*.

    ``None`` passes (optional fields). *message* is what a file's problem says at the value.
    """
    if high is not None:
        rule = f"in {low:g}..{high:g}"
    elif low is not None:
        rule = f"a finite number {'>' if strict else '>='} {low:g}"
    else:
        rule = "a finite number"
    floor = -math.inf if low is None else low
    ceiling = math.inf if high is None else high

    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None:
            return
        if (
            math.isfinite(value)
            and (value > floor if strict else value >= floor)
            and (value <= ceiling)
        ):
            return
        raise InvariantError(instance, attribute.name, rule, value, message=message)

    # what the JSON Schema of data files says of the number (its keywords skip null)
    bounds: dict[str, float] = {}
    if low is not None:
        bounds["exclusiveMinimum" if strict else "minimum"] = low
    if high is not None:
        bounds["maximum"] = high
    validate.schema = bounds  # type: ignore[attr-defined]
    return validate


def also(
    first: Callable[[Any, attrs.Attribute[Any], Any], None],
    then: Callable[[Any, attrs.Attribute[Any], Any], None],
) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """attrs validator: *first*, then *then* (a rule across fields); the schema is *first*'s."""

    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        first(instance, attribute, value)
        then(instance, attribute, value)

    validate.schema = getattr(first, "schema", {})  # type: ignore[attr-defined]
    return validate


def got(value: Any) -> str:
    """*value* described for a message: its type and (shortened, one-line) repr."""
    if value is None:
        return "None"
    if isinstance(value, type):
        return f"the class {value.__name__} itself (did you mean {value.__name__}()?)"
    text = " ".join(repr(value).split())
    if len(text) > 60:
        text = text[:57] + "..."
    return f"the {type(value).__name__} {text}"


def not_blank(instance: Any, attribute: attrs.Attribute[Any], value: str) -> None:
    """attrs validator: an id must hold more than spaces."""
    if not value.strip():
        raise FieldValueError(
            type(instance).__name__,
            attribute.name,
            [],
            "must not be empty or only spaces",
            None,
            repr(value),
        )
