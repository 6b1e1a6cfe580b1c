"""The fixed weighting: weights given per child id."""

from __future__ import annotations

import pytest

import weltoffen as w
from weltoffen.strategies import Equal, Explicit, Fixed, ItemCount
from weltoffen.typing import Child


def kids(*ids: str) -> list[Child]:
    return [Child(id=i, weight=1.0, items=1, is_dimension=True) for i in ids]


class TestFixed:
    def test_weights_in_child_order(self) -> None:
        assert list(Fixed({"b": 0.5, "c": 0.3, "a": 0.2}).weigh(kids("a", "b", "c"))) == [
            0.2,
            0.5,
            0.3,
        ]

    def test_zero_is_allowed(self) -> None:
        assert list(Fixed({"a": 0, "b": 1}).weigh(kids("a", "b"))) == [0.0, 1.0]

    @pytest.mark.parametrize(
        ("weights", "message"),
        [
            ({"a": 1, "b": 1, "z": 1}, r"unknown child id\(s\) 'z' \(the children are 'a', 'b'\)"),
            ({"a": 1}, r"missing child id\(s\) 'b'"),
            ({"a": -1, "b": 1}, r"weight of 'a' must be a finite number >= 0 \(got -1\)"),
            ({"a": float("inf"), "b": 1}, r"weight of 'a' must be a finite number"),
        ],
    )
    def test_bad_weights_are_named(self, weights: dict[str, float], message: str) -> None:
        with pytest.raises(ValueError, match=message):
            Fixed(weights).weigh(kids("a", "b"))

    def test_yaml_round_trip(self) -> None:
        """Loaded from YAML, dumped and loaded again: the same weighting."""
        q = w.load_questionnaire(
            text="""
id: t
version: "1"
weighting: {kind: fixed, weights: {d1: 0.25, d2: 0.75}}
dimensions:
  - id: d1
    questions: [{id: a, kind: yes_no, text: A}]
  - id: d2
    questions: [{id: b, kind: yes_no, text: B}]
"""
        )
        assert Fixed({"d1": 0.25, "d2": 0.75}) == q.weighting
        assert q == w.load_questionnaire(text=w.dump_questionnaire(q))
        result = w.score(w.compile(q), w.Response(respondent="r", answers={"a": True, "b": False}))
        assert pytest.approx(result.score) == 25.0


class TestFixedMessages:
    def test_every_problem_in_one_message(self) -> None:
        with pytest.raises(ValueError) as info:
            Fixed({"z": -1}).weigh(kids("a"))
        assert str(info.value) == (
            "fixed: unknown child id(s) 'z' (the children are 'a'); "
            "missing child id(s) 'a': give every child a value; "
            "weight of 'z' must be a finite number >= 0 (got -1)"
        )

    def test_no_children_at_all(self) -> None:
        with pytest.raises(ValueError) as info:
            Fixed({"a": 1}).weigh([])
        assert str(info.value) == "fixed: unknown child id(s) 'a' (the children are none)"


def test_simple_schemes_read_the_declared_weights() -> None:
    """Explicit takes the declared weight, Equal only whether it is above 0, ItemCount multiplies
    it by the number of scored questions; a declared 0 switches a child off in all three."""
    children = [
        Child(id="a", weight=2.0, items=3, is_dimension=True),
        Child(id="b", weight=0.0, items=5, is_dimension=False),
        Child(id="c", weight=0.5, items=2, is_dimension=True),
    ]
    assert list(Explicit().weigh(children)) == [2.0, 0.0, 0.5]
    assert list(Equal().weigh(children)) == [1.0, 0.0, 1.0]
    assert list(ItemCount().weigh(children)) == [6.0, 0.0, 1.0]
