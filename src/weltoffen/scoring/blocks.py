"""Blocks of respondents as batch scoring holds them: state codes, normalised values, answers.

A block holds, for every question of the plan, one row of states and one row of normalised values
(0..1), one column per respondent, plus the answers of the questions that conditions read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeAlias

import attrs

from weltoffen._repr import value_repr
from weltoffen.model.conditions import Compare, Condition
from weltoffen.scoring.conditions import test

# numpy arrays, typed loosely so that this module imports without numpy
Bools: TypeAlias = Any

__all__ = [
    "ANSWERED",
    "DONT_KNOW",
    "HIDDEN",
    "NOT_APPLICABLE",
    "SKIPPED",
    "Answers",
    "Block",
    "Keyed",
    "Numbers",
]

#: State codes in blocks and in the state matrices of numpy input.
ANSWERED, DONT_KNOW, NOT_APPLICABLE, SKIPPED, HIDDEN = 0, 1, 2, 3, 4


class Answers(Protocol):
    """The answers of one block to one question, for evaluating conditions."""

    def truth(self, cond: Condition) -> Bools:
        """Whether the leaf condition *cond* holds, per respondent (only read where answered)."""
        ...


@attrs.frozen
class Keyed:
    """Answers as keys into a list of distinct Python values (``-1``: no value)."""

    __repr__ = value_repr

    keys: Any  # intp array
    values: Sequence[Any]

    def truth(self, cond: Condition) -> Bools:
        import numpy as np

        # a trailing False makes key -1 (no value) read as false
        table = np.array([test(cond, v) for v in self.values] + [False], dtype=bool)
        return table[self.keys]


@attrs.frozen
class Numbers:
    """Answers to a numeric question as floats (NaN: no value)."""

    __repr__ = value_repr

    values: Any  # float array
    integer: bool

    def truth(self, cond: Condition) -> Bools:
        import numpy as np

        x = self.values
        if isinstance(cond, Compare):
            with np.errstate(invalid="ignore"):
                op = {"gt": np.greater, "ge": np.greater_equal, "lt": np.less, "le": np.less_equal}
                return op[cond.op](x, cond.value)
        finite = ~np.isnan(x)
        uniq, keys = np.unique(np.where(finite, x, 0.0), return_inverse=True)
        cast: Callable[[float], Any] = int if self.integer else float
        keys = np.where(finite, keys.reshape(-1), -1)
        return Keyed(keys, [cast(u) for u in uniq.tolist()]).truth(cond)


@attrs.define
class Block:
    """Respondents ``start..stop`` of the input, ready for the kernel.

    Attributes:
        states: ``(questions, rows)`` int8 state codes (:data:`ANSWERED` ...).
        values: ``(questions, rows)`` float64 normalised values, 0 where not answered.
        answers: For questions that conditions read: their answers.
        points: ``(questions, rows)`` float64 points as earned (0 where not answered), only
            when the plan needs points (bands on points); else ``None``.
    """

    __repr__ = value_repr

    states: Any
    values: Any
    answers: dict[int, Answers] = attrs.field(factory=dict)
    points: Any = None

    def rows(self, first: int, last: int) -> Block:
        """Respondents ``first..last`` of this block, as views (hiding writes through)."""
        answers: dict[int, Answers] = {}
        for qi, a in self.answers.items():
            if isinstance(a, Keyed):
                answers[qi] = Keyed(a.keys[first:last], a.values)
            else:
                assert isinstance(a, Numbers)
                answers[qi] = Numbers(a.values[first:last], a.integer)
        points = None if self.points is None else self.points[:, first:last]
        return Block(self.states[:, first:last], self.values[:, first:last], answers, points)
