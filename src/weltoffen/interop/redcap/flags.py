"""Flags on a total (``if([score] >= 33, 1, 0)``) as two bands on the total's points.

A flag splits the totals an instrument can give into those where it is 1 and those where it is
0; as closed ranges of attainable totals, :func:`weltoffen.interop.bands.bands_from_ranges` turns
them into half-open bands that choose the same side for every attainable total.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence

from weltoffen.model.questions import (
    Choice,
    MultipleChoice,
    Question,
    ScaleQuestion,
    YesNo,
)

__all__ = ["MAX_TOTALS", "attainable_totals", "holds"]

#: Beyond this many different totals the flag is reported rather than banded (the set is built
#: item by item, so a long instrument with fine weights could grow it without bound).
MAX_TOTALS = 100_000

_OPS: dict[str, Callable[[float, float], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
}


def holds(total: float, op: str, threshold: float) -> bool:
    """Whether ``total op threshold`` (``>``, ``>=``, ``<``, ``<=``)."""
    return _OPS[op](total, threshold)


def _values(question: Question) -> list[float] | None:
    w = question.weight
    if isinstance(question, ScaleQuestion | Choice):
        return [w * o.points for o in question.options]
    if isinstance(question, YesNo):
        return [w * question.yes_points, w * question.no_points]
    if isinstance(question, MultipleChoice) and question.method == "sum":
        each = {o.points for o in question.options}
        if len(each) == 1:
            (points,) = each
            return [w * k * points for k in range(len(question.options) + 1)]
    return None


def attainable_totals(questions: Sequence[Question]) -> list[float] | None:
    """Every total the scored *questions* can add up to, or ``None`` when that is unknown.

    Totals are rounded to 9 decimals so that the same total reached in different orders is one.
    """
    totals = {0.0}
    for question in questions:
        if not question.scored:
            continue
        values = _values(question)
        if values is None:
            return None
        totals = {round(t + v, 9) for t in totals for v in values}
        if len(totals) > MAX_TOTALS:
            return None
    return sorted(t for t in totals if math.isfinite(t))
