"""Sums and logarithms over arrays that give, bit for bit, what :func:`weltoffen.score` gives.

When every sum a node can form is proven exact, batch scoring adds up its weighted values as
plain dot products: the order of the additions cannot change the result, which is then the one
``math.fsum`` gives. Other sums are accumulated as double-double numbers (:class:`RowSum`), and
logarithms and exponentials go through :mod:`math`, as ``score()`` does.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, TypeAlias

from weltoffen.model.questions import Choice, MultipleChoice, Numeric, ScaleQuestion, YesNo
from weltoffen.scoring.answers import measure
from weltoffen.scoring.plan import QuestionPlan

# numpy arrays, typed loosely so that this module imports without numpy
Floats: TypeAlias = Any

__all__ = ["RowSum", "exact_sums", "fine_enough", "math_exp", "math_log", "value_domain"]

#: Multiple-choice questions with at most this many options have their point values enumerated,
#: so the exactness proof can cover them.
_ENUMERATE_OPTIONS = 8


def value_domain(qp: QuestionPlan) -> list[float] | None:
    """Every normalised value *qp* can take, or ``None`` when they are too many or continuous."""
    question = qp.question
    rng = qp.hi - qp.lo
    if isinstance(question, ScaleQuestion | Choice | YesNo):
        pts: list[float] = list(qp.points.values())
    elif isinstance(question, Numeric):
        if question.linear is not None:
            return None
        pts = [t.points for t in question.thresholds]
    elif isinstance(question, MultipleChoice):
        keys = list(qp.points)
        if len(keys) > _ENUMERATE_OPTIONS:
            return None
        pts = []
        for mask in range(1 << len(keys)):
            chosen = tuple(k for b, k in enumerate(keys) if mask >> b & 1)
            try:
                p = measure(qp, chosen)
            except Exception:  # a selection the question does not allow
                continue
            if p is not None:
                pts.append(p)
    else:
        return None
    return [(p - qp.lo) / rng for p in pts]


def _scaled(t: float, k: int) -> int:
    """``|t|·2**k`` as an exact integer (``t`` a multiple of ``2**-k``)."""
    n, d = abs(t).as_integer_ratio()
    return n << (k - (d.bit_length() - 1))


def _exponent(t: float) -> int:
    """The least ``k`` with ``t·2**k`` a whole number (a float's denominator is a power of 2)."""
    return abs(t).as_integer_ratio()[1].bit_length() - 1


_BOUND = 1 << 53


def exact_sums(products: Sequence[Sequence[float]], weights: Sequence[float]) -> bool:
    """Whether every sum of a subset of the terms is exactly representable.

    *products* holds, per question, every value ``v·w`` it can add (as rounded floats); the
    weights are summed too. When each term is a multiple of ``2**-k`` and the largest possible
    total stays below ``2**53 · 2**-k``, no addition in any order can round.
    """
    terms = [t for row in products for t in row] + list(weights)
    if not all(math.isfinite(t) for t in terms):
        return False
    k = max(map(_exponent, terms), default=0)
    top = sum(max((_scaled(t, k) for t in row), default=0) for row in products)
    return top < _BOUND and sum(_scaled(w, k) for w in weights) < _BOUND


def fine_enough(products: Sequence[float]) -> bool:
    """A quick necessary condition for :func:`exact_sums`, one question at a time."""
    if not all(math.isfinite(t) for t in products):
        return False
    k = max(map(_exponent, products), default=0)
    return max((_scaled(t, k) for t in products), default=0) < _BOUND


def math_log(x: Floats) -> Floats:
    """``math.log`` elementwise (numpy's SIMD log may differ from it in the last bit)."""
    import numpy as np

    flat = x.reshape(-1)
    return np.fromiter(map(math.log, flat.tolist()), dtype=np.float64, count=flat.size).reshape(
        x.shape
    )


def math_exp(x: Floats) -> Floats:
    import numpy as np

    flat = np.nan_to_num(x.reshape(-1), nan=0.0, neginf=-1000.0)
    return np.fromiter(map(math.exp, flat.tolist()), dtype=np.float64, count=flat.size).reshape(
        x.shape
    )


class RowSum:
    """A per-respondent sum: plain when proven exact, else double-double (TwoSum) accumulation."""

    def __init__(self, rows: int, exact: bool) -> None:
        import numpy as np

        self.exact = exact
        self.hi = np.zeros(rows)
        self.lo = None if exact else np.zeros(rows)

    def add(self, x: Floats) -> None:
        if self.lo is None:
            self.hi += x
            return
        s = self.hi + x
        back = s - self.hi
        # the rounding error of hi + x, exactly (Knuth's TwoSum)
        self.lo += (self.hi - (s - back)) + (x - back)
        self.hi = s

    def rows(self, matrix: Floats) -> None:
        """Add every row of a ``(k, rows)`` matrix."""
        import numpy as np

        if not matrix.shape[0]:
            return
        if self.lo is None:
            self.hi += np.add.reduce(matrix, axis=0)
            return
        for row in matrix:
            self.add(row)

    def value(self) -> Floats:
        if self.lo is None:
            return self.hi
        return self.hi + self.lo
