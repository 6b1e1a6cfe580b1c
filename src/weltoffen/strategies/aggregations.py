"""Aggregation strategies: how a dimension combines its children's scores (all in 0..1)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

import attrs

from weltoffen._fields import checked
from weltoffen._repr import value_repr

__all__ = [
    "GeometricMean",
    "HarmonicMean",
    "MazziottaPareto",
    "Minimum",
    "PowerMean",
    "SumOfPoints",
    "WeightedMean",
]


def _weighted_mean(values: Sequence[float], weights: Sequence[float]) -> float:
    total = math.fsum(weights)
    return math.fsum(v * w for v, w in zip(values, weights)) / total


@attrs.frozen(field_transformer=checked)
class WeightedMean:
    """Weighted arithmetic mean: fully compensatory, a weak child is offset by a strong one.

    ``score = Σ wᵢ·sᵢ / Σ wᵢ``
    """

    __repr__ = value_repr

    def aggregate(self, values: Sequence[float], weights: Sequence[float]) -> float:
        return _weighted_mean(values, weights)


@attrs.frozen(field_transformer=checked)
class SumOfPoints:
    """Points added up and divided by the points attainable.

    Equivalent to a weighted mean whose weights are multiplied by each child's point range, so a
    child worth more points counts for more. ``score = Σ wᵢ·rᵢ·sᵢ / Σ wᵢ·rᵢ``.
    """

    __repr__ = value_repr

    #: Tells the compiler to multiply each child's weight by its point range.
    weights_by_points: ClassVar[bool] = True

    def aggregate(self, values: Sequence[float], weights: Sequence[float]) -> float:
        return _weighted_mean(values, weights)


@attrs.frozen(field_transformer=checked)
class Minimum:
    """The weakest child decides: not compensatory at all. A weight of 0 leaves a child out."""

    __repr__ = value_repr

    def aggregate(self, values: Sequence[float], weights: Sequence[float]) -> float:
        return min(v for v, w in zip(values, weights) if w > 0)


@attrs.frozen(field_transformer=checked)
class GeometricMean:
    """Weighted geometric mean: partly compensatory; any child at zero makes the whole zero.

    ``score = Π sᵢ^(wᵢ / Σ wⱼ)``
    """

    __repr__ = value_repr

    def aggregate(self, values: Sequence[float], weights: Sequence[float]) -> float:
        total = math.fsum(weights)
        if any(v <= 0.0 and w > 0 for v, w in zip(values, weights)):
            return 0.0
        log_mean = math.fsum(w * math.log(v) for v, w in zip(values, weights) if w > 0) / total
        return min(1.0, math.exp(log_mean))


@attrs.frozen(field_transformer=checked)
class HarmonicMean:
    """Weighted harmonic mean: less compensatory than the geometric mean; a zero child gives zero.

    ``score = Σ wᵢ / Σ (wᵢ / sᵢ)``
    """

    __repr__ = value_repr

    def aggregate(self, values: Sequence[float], weights: Sequence[float]) -> float:
        pairs = [(v, w) for v, w in zip(values, weights) if w > 0]
        if any(v <= 0.0 for v, _ in pairs):
            return 0.0
        total = math.fsum(w for _, w in pairs)
        # Scaled by the smallest value, every term is at most its weight: w / v itself overflows
        # for tiny (subnormal) scores.
        low = min(v for v, _ in pairs)
        return min(1.0, low * total / math.fsum(w * (low / v) for v, w in pairs))


@attrs.frozen(field_transformer=checked)
class PowerMean:
    """Weighted generalised (power) mean of order *p*; the lower *p*, the less compensatory.

    ``score = (Σ wᵢ·sᵢᵖ / Σ wᵢ)^(1/p)``. Special orders: ``p = 1`` the arithmetic, ``p = -1`` the
    harmonic mean; ``p = 0`` is taken as its limit, the geometric mean; ``p = -inf`` gives the
    minimum and ``p = inf`` the maximum. For ``p <= 0`` a child at zero makes the whole zero.

    Attributes:
        p: The order (any number but NaN; ``.inf`` and ``-.inf`` in YAML).
    """

    __repr__ = value_repr

    p: float

    def aggregate(self, values: Sequence[float], weights: Sequence[float]) -> float:
        p = self.p
        if math.isnan(p):
            raise ValueError("power_mean: p must be a number, not NaN")
        pairs = [(v, w) for v, w in zip(values, weights) if w > 0]
        if p == math.inf:
            return max(v for v, _ in pairs)
        if p == -math.inf:
            return min(v for v, _ in pairs)
        if (p <= 0 and any(v <= 0.0 for v, _ in pairs)) or all(v <= 0.0 for v, _ in pairs):
            return 0.0
        total = math.fsum(w for _, w in pairs)
        logs = [(math.log(v) if v > 0 else -math.inf, w / total) for v, w in pairs]
        return min(1.0, math.exp(_log_power_mean(logs, p)))


#: Below this |p| the power mean is taken as its limit, the geometric mean: the difference is
#: about |p|·Var(log s)/2, far below anything a score can show.
_GEOMETRIC_BELOW = 1e-12


def _log_power_mean(logs: Sequence[tuple[float, float]], p: float) -> float:
    """``log M_p`` from ``(log sᵢ, normalised wᵢ)`` pairs, accurate for small |p| as well.

    Working with logs keeps ``sᵢᵖ`` from overflowing for large |p|; for small |p| the form
    ``log1p(Σ wᵢ·expm1(p·log sᵢ)) / p`` avoids the cancellation of ``(Σ wᵢ·sᵢᵖ)^(1/p)`` and tends
    smoothly to the geometric mean ``Σ wᵢ·log sᵢ``.
    """
    if abs(p) < _GEOMETRIC_BELOW:
        return math.fsum(w * x for x, w in logs)
    scaled = [(p * x, w) for x, w in logs]
    if all(abs(t) <= 1.0 for t, _ in scaled):
        return math.log1p(math.fsum(w * math.expm1(t) for t, w in scaled)) / p
    top = max(t for t, _ in scaled)
    return (top + math.log(math.fsum(w * math.exp(t - top) for t, w in scaled))) / p


@attrs.frozen(field_transformer=checked)
class MazziottaPareto:
    """Mean penalised for an unbalanced profile: the adjusted Mazziotta–Pareto index (AMPI).

    The children's scores are rescaled from 0..1 to 70..130 (fixed goalposts 0 and 1, so the
    midpoint 0.5 sits at the reference value 100): ``rᵢ = 70 + 60·sᵢ``. With the weighted mean
    ``M = Σ wᵢ·rᵢ / Σ wᵢ`` and the weighted population standard deviation
    ``S = sqrt(Σ wᵢ·(rᵢ - M)² / Σ wᵢ)``, the index is ``AMPI = M - S·(S/M)`` (the mean minus the
    standard deviation times the coefficient of variation), mapped back to 0..1:
    ``score = (AMPI - 70) / 60``. Equal scores are not penalised; the more the children differ,
    the further the score falls below their mean. It never leaves 0..1.

    Reference: M. Mazziotta and A. Pareto (2016), "On a generalized non-compensatory composite
    index for measuring socio-economic phenomena", *Social Indicators Research* 127, 983–1003;
    with unit weights this matches R Compind's ``ci_ampi`` for goalposts 0 and 1.
    """

    __repr__ = value_repr

    def aggregate(self, values: Sequence[float], weights: Sequence[float]) -> float:
        pairs = [(70.0 + 60.0 * v, w) for v, w in zip(values, weights) if w > 0]
        total = math.fsum(w for _, w in pairs)
        mean = math.fsum(r * w for r, w in pairs) / total
        variance = math.fsum(w * (r - mean) ** 2 for r, w in pairs) / total
        ampi = mean - variance / mean
        return min(1.0, max(0.0, (ampi - 70.0) / 60.0))
