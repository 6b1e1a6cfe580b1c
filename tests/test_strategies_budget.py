"""Budget allocation: experts' points averaged as shares."""

from __future__ import annotations

import pytest

from weltoffen.strategies import Budget
from weltoffen.typing import Child


def kids(*ids: str) -> list[Child]:
    return [Child(id=i, weight=1.0, items=1, is_dimension=False) for i in ids]


class TestWeights:
    def test_mean_of_shares(self) -> None:
        """Hand-computed: shares (0.3, 0.7) and (0.5, 0.5) average to (0.4, 0.6)."""
        budget = Budget(({"ms-01": 30, "ms-02": 70}, {"ms-01": 50, "ms-02": 50}), total=100)
        assert pytest.approx(budget.weigh(kids("ms-01", "ms-02"))) == [0.4, 0.6]

    def test_experts_count_equally_whatever_they_spend(self) -> None:
        """10 points as (1, 9) weigh as much as 1000 points as (500, 500)."""
        budget = Budget(({"a": 1, "b": 9}, {"a": 500, "b": 500}))
        assert pytest.approx(budget.weigh(kids("a", "b"))) == [0.3, 0.7]

    def test_order_follows_the_children(self) -> None:
        budget = Budget(({"b": 1, "a": 3},))
        assert pytest.approx(budget.weigh(kids("a", "b"))) == [0.75, 0.25]

    def test_zero_points_allowed_for_a_child(self) -> None:
        budget = Budget(({"a": 0, "b": 10}, {"a": 10, "b": 10}))
        assert pytest.approx(budget.weigh(kids("a", "b"))) == [0.25, 0.75]

    def test_switched_off_child_stays_off(self) -> None:
        children = [*kids("a"), Child(id="b", weight=0.0, items=1, is_dimension=False)]
        assert pytest.approx(Budget(({"a": 1, "b": 1},)).weigh(children)) == [0.5, 0.0]


class TestValidation:
    @pytest.mark.parametrize(
        ("budget", "message"),
        [
            (Budget(()), "at least one expert"),
            (Budget(({"a": 1, "b": 1, "c": 1},)), r"budgets\[0\]: unknown child id\(s\) 'c'"),
            (Budget(({"a": 1, "b": 1}, {"a": 2})), r"budgets\[1\]: missing child id\(s\) 'b'"),
            (
                Budget(({"a": -1, "b": 1},)),
                r"budgets\[0\]: points must be finite numbers >= 0 \(got 'a': -1\)",
            ),
            (Budget(({"a": float("nan"), "b": 1},)), r"points must be finite"),
            (Budget(({"a": 0, "b": 0},)), r"budgets\[0\]: hands out no points"),
            (Budget(({"a": 40, "b": 50},), total=100), r"add up to 90, expected the total 100"),
            (Budget(({"a": 1, "b": 1},), total=0), r"total must be a finite number > 0"),
        ],
    )
    def test_bad_budgets_are_named(self, budget: Budget, message: str) -> None:
        with pytest.raises(ValueError, match=message):
            budget.weigh(kids("a", "b"))

    def test_all_problems_at_once(self) -> None:
        budget = Budget(({"a": 1, "x": 1}, {"a": -2, "b": 1}))
        assert len(budget.problems(kids("a", "b"))) == 3


class TestMessages:
    def test_no_budget(self) -> None:
        with pytest.raises(ValueError) as info:
            Budget(()).weigh(kids("a"))
        assert str(info.value) == "budget: give at least one expert's budget"

    def test_every_problem_in_order(self) -> None:
        """A budget with bad points is not summed, but the experts after it are still checked."""
        budget = Budget(({"a": -1, "b": float("nan")}, {"a": 0, "b": 0}), total=0)
        with pytest.raises(ValueError) as info:
            budget.weigh(kids("a", "b"))
        assert str(info.value) == (
            "budget: total must be a finite number > 0 (got 0); "
            "budgets[0]: points must be finite numbers >= 0 (got 'a': -1, 'b': nan); "
            "budgets[1]: hands out no points"
        )


def test_shares_of_one_point() -> None:
    """Budgets may be written as shares: one point in all, handed out as fractions."""
    budget = Budget(({"a": 0.25, "b": 0.75}, {"a": 0.5, "b": 0.5}), total=1)
    assert budget.problems(kids("a", "b")) == []
    assert pytest.approx(budget.weigh(kids("a", "b"))) == [0.375, 0.625]
