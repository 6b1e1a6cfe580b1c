"""Missing-answer policies: what a "don't know" or a skipped question counts as."""

from __future__ import annotations

import math
from collections.abc import Sequence

import attrs

from weltoffen._fields import checked
from weltoffen._repr import value_repr

__all__ = ["Exclude", "Prorate", "Zero"]


@attrs.frozen(field_transformer=checked)
class Exclude:
    """Leave the question out; the remaining weights are renormalised (the default)."""

    __repr__ = value_repr

    def fill(self, values: Sequence[float], weights: Sequence[float]) -> float | None:
        return None


@attrs.frozen(field_transformer=checked)
class Zero:
    """Count the question as scored at the bottom of its scale."""

    __repr__ = value_repr

    def fill(self, values: Sequence[float], weights: Sequence[float]) -> float | None:
        return 0.0


@attrs.frozen(field_transformer=checked)
class Prorate:
    """Count the question with the weighted mean of the scored children beside it.

    The children are the dimension's answered questions and its child dimensions that have a
    score, with their weights in the dimension.

    For a weighted mean this leaves the score as :class:`Exclude` would, but the points are scaled
    up to the full maximum (psych's and scorify's "prorated" sums). For non-linear aggregations it
    imputes the person's own mean.
    """

    __repr__ = value_repr

    def fill(self, values: Sequence[float], weights: Sequence[float]) -> float | None:
        total = math.fsum(weights)
        if total <= 0:
            return None
        return math.fsum(v * w for v, w in zip(values, weights)) / total
