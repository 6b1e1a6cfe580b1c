"""Missing-answer policies: what Exclude, Zero and Prorate fill in for a missing answer."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from weltoffen.strategies import Exclude, Prorate, Zero

unit = st.floats(min_value=0.0, max_value=1.0)
weight = st.floats(min_value=0.01, max_value=100.0)
profiles = st.lists(st.tuples(unit, weight), min_size=1, max_size=8)


def split(profile: list[tuple[float, float]]) -> tuple[list[float], list[float]]:
    return [v for v, _ in profile], [w for _, w in profile]


class TestExclude:
    @pytest.mark.parametrize(("values", "weights"), [([], []), ([0.4, 1.0], [1.0, 2.0])])
    def test_leaves_the_question_out(self, values: list[float], weights: list[float]) -> None:
        assert Exclude().fill(values, weights) is None


class TestZero:
    @pytest.mark.parametrize(("values", "weights"), [([], []), ([0.4, 1.0], [1.0, 2.0])])
    def test_counts_the_bottom_of_the_scale(
        self, values: list[float], weights: list[float]
    ) -> None:
        filled = Zero().fill(values, weights)
        assert filled == 0.0
        assert isinstance(filled, float)


class TestProrate:
    def test_weighted_mean_of_the_answered_children(self) -> None:
        # (0.5 * 1 + 1.0 * 3) / (1 + 3)
        assert Prorate().fill([0.5, 1.0], [1.0, 3.0]) == 0.875

    def test_total_weight_below_one_is_still_a_mean(self) -> None:
        # weights of a dimension need not add up to one: 0.2 and 0.3 here
        assert Prorate().fill([1.0, 0.5], [0.2, 0.3]) == pytest.approx(0.7)

    @pytest.mark.parametrize(
        ("values", "weights"), [([], []), ([0.8], [0.0]), ([0.8, 0.2], [0.0, 0.0])]
    )
    def test_nothing_to_prorate_from_leaves_the_question_out(
        self, values: list[float], weights: list[float]
    ) -> None:
        assert Prorate().fill(values, weights) is None

    @given(profile=profiles)
    def test_between_the_lowest_and_the_highest_value(
        self, profile: list[tuple[float, float]]
    ) -> None:
        values, weights = split(profile)
        filled = Prorate().fill(values, weights)
        assert filled is not None
        assert min(values) - 1e-12 <= filled <= max(values) + 1e-12

    @given(profile=profiles, factor=st.floats(min_value=0.1, max_value=10.0))
    def test_only_the_ratio_of_the_weights_counts(
        self, profile: list[tuple[float, float]], factor: float
    ) -> None:
        values, weights = split(profile)
        filled = Prorate().fill(values, weights)
        scaled = Prorate().fill(values, [w * factor for w in weights])
        assert filled is not None
        assert scaled is not None
        assert math.isclose(filled, scaled, rel_tol=1e-9, abs_tol=1e-12)

    @given(value=unit, weights=st.lists(weight, min_size=1, max_size=8))
    def test_equal_values_fill_in_that_value(self, value: float, weights: list[float]) -> None:
        filled = Prorate().fill([value] * len(weights), weights)
        assert filled == pytest.approx(value, abs=1e-12)
