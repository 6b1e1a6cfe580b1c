"""Aggregation strategies: how a dimension combines its children's scores (all in 0..1)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

import attrs

__all__ = ["GeometricMean", "Minimum", "SumOfPoints", "WeightedMean"]


def _weighted_mean(values: Sequence[float], weights: Sequence[float]) -> float:
    total = math.fsum(weights)
    return math.fsum(v * w for v, w in zip(values, weights)) / total


@attrs.frozen
class WeightedMean:
    """Weighted arithmetic mean: fully compensatory, a weak child is offset by a strong one.

    ``score = Σ wᵢ·sᵢ / Σ wᵢ``
    """

    def aggregate(self, values: Sequence[float], weights: Sequence[float]) -> float:
        return _weighted_mean(values, weights)


@attrs.frozen
class SumOfPoints:
    """Points added up and divided by the points attainable.

    Equivalent to a weighted mean whose weights are multiplied by each child's point range, so a
    child worth more points counts for more. ``score = Σ wᵢ·rᵢ·sᵢ / Σ wᵢ·rᵢ``.
    """

    #: Tells the compiler to multiply each child's weight by its point range.
    weights_by_points: ClassVar[bool] = True

    def aggregate(self, values: Sequence[float], weights: Sequence[float]) -> float:
        return _weighted_mean(values, weights)


@attrs.frozen
class Minimum:
    """The weakest child decides: not compensatory at all. A weight of 0 leaves a child out."""

    def aggregate(self, values: Sequence[float], weights: Sequence[float]) -> float:
        return min(v for v, w in zip(values, weights) if w > 0)


@attrs.frozen
class GeometricMean:
    """Weighted geometric mean: partly compensatory; any child at zero makes the whole zero.

    ``score = Π sᵢ^(wᵢ / Σ wⱼ)``
    """

    def aggregate(self, values: Sequence[float], weights: Sequence[float]) -> float:
        total = math.fsum(weights)
        if any(v <= 0.0 and w > 0 for v, w in zip(values, weights)):
            return 0.0
        log_mean = math.fsum(w * math.log(v) for v, w in zip(values, weights) if w > 0) / total
        return min(1.0, math.exp(log_mean))
