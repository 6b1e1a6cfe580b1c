"""Writing weltoffen conditions as REDCap branching logic.

REDCap's logic has no ``not``: a negation is pushed inwards (``not (a and b)`` is
``not a or not b``) down to comparisons, which REDCap can negate (``=`` and ``<>``, ``>`` and
``<=``). An unanswered question makes every weltoffen comparison false; in REDCap a blank field
is ``''``, which equals no code, so ``[q] = '1'`` is false and ``[q] <> '1'`` true for it, as in
weltoffen. A negated order test names the blank case itself: ``([q] = '' or [q] <= 5)``.
"""

from __future__ import annotations

from collections.abc import Mapping

from weltoffen.interop.redcap.layout import FieldLayout, variable_name
from weltoffen.interop.translate import quoted
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

__all__ = ["branching_logic", "number_text"]

_OPS = {"gt": ">", "ge": ">=", "lt": "<", "le": "<="}
_NEGATED = {"gt": "<=", "ge": "<", "lt": ">=", "le": ">"}


def number_text(value: float) -> str:
    """*value* as REDCap reads a number: ``3`` rather than ``3.0``, all digits otherwise."""
    return str(int(value)) if value == int(value) else repr(value)


def branching_logic(condition: Condition, fields: Mapping[str, FieldLayout]) -> str:
    """*condition* as REDCap branching logic (question ids are the field names)."""
    return _logic(condition, fields, negate=False)


def _field(question: str, fields: Mapping[str, FieldLayout]) -> str:
    """The variable name of *question* in brackets, as logic names a field."""
    layout = fields.get(question)
    return f"[{layout.name if layout is not None and layout.name else variable_name(question)}]"


def _code(
    condition: Equals | OneOf | Includes, value: object, fields: Mapping[str, FieldLayout]
) -> str:
    layout = fields.get(condition.question)
    if layout is not None and value in layout.codes:
        return layout.codes[value]  # type: ignore[index]
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return number_text(float(value))
    return str(value)


def _range(condition: OneOf, fields: Mapping[str, FieldLayout], negate: bool) -> str | None:
    """``[q] >= '2'`` when *condition* holds exactly the codes from 2 up (or down to one);
    ``[q] <> ''`` when it holds every code (the question is answered).

    REDCap's own logic often says "this answer or a higher one" so, and reading it back gives
    the same values again.
    """
    layout = fields.get(condition.question)
    if layout is None:
        return None
    field = _field(condition.question, fields)
    if set(condition.values) == set(layout.codes) and layout.field_type != "checkbox":
        return f"{field} = ''" if negate else f"{field} <> ''"  # answered at all, or not
    if negate:
        return None
    numbers = {}
    for value, code in layout.codes.items():
        try:
            numbers[value] = float(code)
        except ValueError:
            return None
    chosen = set(condition.values)
    if not chosen <= set(numbers) or len(chosen) == len(numbers):
        return None
    low = min(numbers[v] for v in chosen)
    high = max(numbers[v] for v in chosen)
    if chosen == {v for v, n in numbers.items() if n >= low}:
        return f"{field} >= '{number_text(low)}'"
    if chosen == {v for v, n in numbers.items() if n <= high}:
        return f"{field} <= '{number_text(high)}'"
    return None


def _logic(condition: Condition, fields: Mapping[str, FieldLayout], negate: bool) -> str:
    if isinstance(condition, Not):
        return _logic(condition.condition, fields, not negate)
    if isinstance(condition, AllOf | AnyOf):
        joiner = " and " if isinstance(condition, AllOf) != negate else " or "
        parts = [_logic(c, fields, negate) for c in condition.conditions]
        return "(" + joiner.join(parts) + ")"
    field = _field(condition.question, fields)
    if isinstance(condition, Equals):
        op = "<>" if negate else "="
        return f"{field} {op} {quoted(_code(condition, condition.value, fields))}"
    if isinstance(condition, OneOf):
        ranged = _range(condition, fields, negate)
        if ranged is not None:
            return ranged
        op, joiner = ("<>", " and ") if negate else ("=", " or ")
        parts = [f"{field} {op} {quoted(_code(condition, v, fields))}" for v in condition.values]
        return "(" + joiner.join(parts) + ")"
    if isinstance(condition, Includes):
        code = _code(condition, condition.value, fields)
        op = "<>" if negate else "="
        return f"{field[:-1]}({code})] {op} '1'"
    assert isinstance(condition, Compare)
    if negate:
        # weltoffen's "not (x > 5)" holds for an unanswered x; say so, whatever REDCap makes of
        # a blank in an ordering
        return f"({field} = '' or {field} {_NEGATED[condition.op]} {number_text(condition.value)})"
    return f"{field} {_OPS[condition.op]} {number_text(condition.value)}"
