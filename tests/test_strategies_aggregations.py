"""Harmonic, power and Mazziotta–Pareto aggregation against hand-computed values."""

from __future__ import annotations

import math

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import weltoffen as w
from weltoffen.strategies import (
    GeometricMean,
    HarmonicMean,
    MazziottaPareto,
    Minimum,
    PowerMean,
    WeightedMean,
)

unit = st.floats(min_value=0.0, max_value=1.0)
weight = st.floats(min_value=0.01, max_value=100.0)
profiles = st.lists(st.tuples(unit, weight), min_size=1, max_size=8)


def split(profile: list[tuple[float, float]]) -> tuple[list[float], list[float]]:
    return [v for v, _ in profile], [w for _, w in profile]


class TestHarmonicMean:
    def test_hand_computed(self) -> None:
        """2 / (1/0.5 + 1/1) = 2/3; weighted (1, 3) over (0.25, 1): 4 / (4 + 3) = 4/7."""
        assert pytest.approx(HarmonicMean().aggregate([0.5, 1.0], [1, 1])) == 2 / 3
        assert pytest.approx(HarmonicMean().aggregate([0.25, 1.0], [1, 3])) == 4 / 7

    def test_zero_child_gives_zero(self) -> None:
        assert HarmonicMean().aggregate([0.0, 1.0], [1, 1]) == 0.0

    def test_zero_weight_child_is_ignored(self) -> None:
        assert HarmonicMean().aggregate([0.0, 1.0], [0, 1]) == 1.0


class TestPowerMean:
    def test_hand_computed_quadratic(self) -> None:
        """p = 2 over (0.2, 0.6): sqrt((0.04 + 0.36) / 2) = sqrt(0.2)."""
        assert math.sqrt(0.2) == pytest.approx(PowerMean(2).aggregate([0.2, 0.6], [1, 1]))

    def test_special_orders(self) -> None:
        values, weights = [0.2, 0.6, 0.9], [1.0, 2.0, 1.0]
        assert WeightedMean().aggregate(values, weights) == pytest.approx(
            PowerMean(1).aggregate(values, weights)
        )
        assert HarmonicMean().aggregate(values, weights) == pytest.approx(
            PowerMean(-1).aggregate(values, weights)
        )
        assert GeometricMean().aggregate(values, weights) == pytest.approx(
            PowerMean(0).aggregate(values, weights)
        )
        assert PowerMean(math.inf).aggregate(values, weights) == 0.9
        assert PowerMean(-math.inf).aggregate(values, weights) == 0.2

    @pytest.mark.parametrize("p", [1e-15, -1e-15, 1e-9, -1e-9, 1e-6, -1e-6])
    def test_tends_to_the_geometric_mean(self, p: float) -> None:
        """Near p = 0 the mean is continuous: within |p| of the geometric mean, no cancellation."""
        values, weights = [0.05, 0.6, 0.9], [1.0, 2.0, 1.0]
        geometric = GeometricMean().aggregate(values, weights)
        assert geometric == pytest.approx(
            PowerMean(p).aggregate(values, weights), abs=10 * abs(p) + 1e-15
        )

    def test_large_orders_do_not_overflow(self) -> None:
        values, weights = [0.001, 0.5, 0.9], [1.0, 1.0, 1.0]
        assert pytest.approx(PowerMean(5000).aggregate(values, weights), abs=1e-3) == 0.9
        assert pytest.approx(PowerMean(-5000).aggregate(values, weights), rel=1e-2) == 0.001

    def test_zeros(self) -> None:
        """A zero child zeroes p <= 0 means but only lowers p > 0 means."""
        assert PowerMean(-2).aggregate([0.0, 1.0], [1, 1]) == 0.0
        assert math.sqrt(0.5) == pytest.approx(PowerMean(2).aggregate([0.0, 1.0], [1, 1]))
        assert PowerMean(2).aggregate([0.0, 0.0], [1, 1]) == 0.0

    def test_nan_order_is_refused(self) -> None:
        with pytest.raises(ValueError, match="NaN"):
            PowerMean(math.nan).aggregate([0.5], [1])

    def test_order_is_required_in_files(self) -> None:
        with pytest.raises(w.DefinitionError, match=r"aggregation\.p: required key is missing"):
            w.load_questionnaire(
                text="""
id: t
version: "1"
aggregation: power_mean
dimensions: [{id: d, questions: [{id: a, kind: yes_no, text: A}]}]
"""
            )

    @settings(max_examples=60)
    @given(profiles, st.floats(min_value=-20, max_value=20), st.floats(min_value=-20, max_value=20))
    def test_monotone_in_p(self, profile: list[tuple[float, float]], p: float, q: float) -> None:
        values, weights = split(profile)
        lo, hi = sorted((p, q))
        assert (
            PowerMean(lo).aggregate(values, weights)
            <= PowerMean(hi).aggregate(values, weights) + 1e-9
        )


class TestMazziottaPareto:
    def test_hand_computed_two_extremes(self) -> None:
        """(0, 1) -> r = (70, 130), M = 100, S = 30, AMPI = 100 - 30 * 0.3 = 91 -> 21/60 = 0.35."""
        assert pytest.approx(MazziottaPareto().aggregate([0.0, 1.0], [1, 1])) == 0.35

    def test_hand_computed_three_values(self) -> None:
        """(0.2, 0.5, 0.9) -> r = (82, 100, 124), M = 102, S² = 296, AMPI = 102 - 296/102."""
        expected = (102 - 296 / 102 - 70) / 60
        assert expected == pytest.approx(MazziottaPareto().aggregate([0.2, 0.5, 0.9], [1, 1, 1]))

    def test_hand_computed_weighted(self) -> None:
        """Weights (1, 3) over (0, 1): M = 115, S² = (45² + 3·15²)/4 = 675, AMPI = 115 - 675/115."""
        expected = (115 - 675 / 115 - 70) / 60
        assert expected == pytest.approx(MazziottaPareto().aggregate([0.0, 1.0], [1, 3]))

    def test_balanced_profile_is_not_penalised(self) -> None:
        assert pytest.approx(MazziottaPareto().aggregate([0.4, 0.4, 0.4], [1, 2, 3])) == 0.4

    @settings(max_examples=80)
    @given(profiles)
    def test_between_minimum_and_mean(self, profile: list[tuple[float, float]]) -> None:
        values, weights = split(profile)
        score = MazziottaPareto().aggregate(values, weights)
        assert min(values) - 1e-12 <= score <= WeightedMean().aggregate(values, weights) + 1e-12


@settings(max_examples=80)
@given(profiles)
def test_classic_inequality_of_means(profile: list[tuple[float, float]]) -> None:
    """Harmonic <= geometric <= arithmetic, all within 0..1."""
    values, weights = split(profile)
    h = HarmonicMean().aggregate(values, weights)
    g = GeometricMean().aggregate(values, weights)
    a = WeightedMean().aggregate(values, weights)
    assert 0.0 <= h <= g + 1e-12
    assert g <= a + 1e-12
    assert a <= 1.0 + 1e-12


def test_registered_under_short_names() -> None:
    names = w.default_registry.names("aggregation")
    assert {"harmonic_mean", "power_mean", "mazziotta_pareto"} <= set(names)


class TestZeroWeights:
    """A child with weight 0 is left out of the power mean, even when it alone would decide."""

    def test_a_zero_child_weighted_zero_does_not_zero_the_mean(self) -> None:
        assert PowerMean(-1).aggregate([0.0, 0.5], [0, 1]) == 0.5

    def test_a_child_weighted_zero_is_not_the_maximum(self) -> None:
        assert PowerMean(math.inf).aggregate([0.9, 0.5], [0, 1]) == 0.5


@pytest.mark.parametrize(("p", "expected"), [(1.0, 0.5), (0.5, 0.25), (3.0, 0.5 ** (1 / 3))])
def test_a_zero_child_only_lowers_positive_orders(p: float, expected: float) -> None:
    """For 0 < p the mean over (0, 1) is (1/2)^(1/p): a zero counts, but does not decide."""
    assert PowerMean(p).aggregate([0.0, 1.0], [1, 1]) == pytest.approx(expected)


def test_nan_order_message() -> None:
    with pytest.raises(ValueError) as info:
        PowerMean(math.nan).aggregate([0.5], [1])
    assert str(info.value) == "power_mean: p must be a number, not NaN"


near_one = st.sampled_from([1.0, 1.0 - 2**-53, 1.0 - 2**-52, 1.0 - 1e-15, 0.5, 0.01])


@settings(max_examples=60)
@given(
    st.lists(st.tuples(near_one, weight), min_size=1, max_size=6),
    st.sampled_from([0.5, 1.1, 2.0, -1.0, 3.0]),
)
# Without the final clamp, rounding lifts these a hair above 1: the harmonic mean, the
# Mazziotta-Pareto index and the power mean of order 1.1, in that order.
@example([(1.0, 10.0), (1.0 - 2**-53, 1.0), (1.0, 5.0)], 2.0)
@example([(1.0 - 2**-52, 8.2), (1.0 - 2**-52, 0.6)], 2.0)
@example(
    [
        (1.0, 51.75317009118149),
        (1.0, 87.06727517246892),
        (1.0, 15.04309555296821),
        (1.0, 35.14017123275695),
        (1.0, 68.61019548271555),
        (0.01, 1e-300),
    ],
    1.1,
)
def test_scores_near_the_top_stay_within_one(profile: list[tuple[float, float]], p: float) -> None:
    """No mean leaves 0..1, even where rounding of the sums would carry it past 1."""
    values, weights = split(profile)
    for aggregation in (HarmonicMean(), MazziottaPareto(), PowerMean(p)):
        assert 0.0 <= aggregation.aggregate(values, weights) <= 1.0


class TestChildrenOfWeightZero:
    """A child of weight 0 is left out: its value, even 0, never decides the result."""

    def test_minimum_ignores_a_lower_child_of_weight_zero(self) -> None:
        assert Minimum().aggregate([0.1, 0.5, 0.7], [0.0, 1.0, 2.0]) == 0.5

    def test_geometric_mean_ignores_a_zero_child_of_weight_zero(self) -> None:
        assert GeometricMean().aggregate([0.0, 0.25], [0.0, 1.0]) == pytest.approx(0.25)
        assert GeometricMean().aggregate([0.0, 0.25, 1.0], [0.0, 1.0, 1.0]) == pytest.approx(0.5)
