"""The model extensions that imported instruments need: negative points, bands on points,
missing-value codes and the answer a hidden question counts as."""

from __future__ import annotations

from typing import Any

import pytest

from weltoffen import (
    Choice,
    Dimension,
    MultipleChoice,
    Numeric,
    Option,
    Questionnaire,
    Threshold,
    YesNo,
    compile,
    dump_questionnaire,
    load_questionnaire,
    score,
    score_many,
)
from weltoffen.serialization.schema import questionnaire_schema


def _one(*questions: Any, **root: Any) -> Questionnaire:
    return Questionnaire(id="t", dimensions=(Dimension(id="d", questions=questions),), **root)


def _defs(schema: Any, name: str) -> Any:
    return schema.get("$defs", schema.get("definitions", {}))[name]


# -- negative points ---------------------------------------------------------------------------


class TestNegativePoints:
    def test_a_choice_scores_from_its_lowest_to_its_highest_option(self) -> None:
        plan = compile(
            _one(
                Choice(
                    id="c",
                    options=(
                        Option(value="bad", points=-2),
                        Option(value="none", points=0),
                        Option(value="good", points=3),
                    ),
                )
            )
        )
        low, mid, top = (score(plan, {"c": v}) for v in ("bad", "none", "good"))
        assert (low.score, low.points, low.max_points) == (0.0, -2.0, 3.0)
        assert (mid.score, mid.points) == (40.0, 0.0)
        assert (top.score, top.points) == (100.0, 3.0)

    def test_yes_no_and_thresholds_take_negative_points(self) -> None:
        q = _one(
            YesNo(id="y", yes_points=-1, no_points=-3),
            Numeric(
                id="n",
                thresholds=(Threshold(min=0, points=-4), Threshold(min=10, points=-1)),
            ),
        )
        plan = compile(q)
        result = score(plan, {"y": True, "n": 12})
        assert (result.score, result.points) == (100.0, -2.0)
        result = score(plan, {"y": False, "n": 3})
        assert (result.score, result.points) == (0.0, -7.0)

    @pytest.mark.parametrize(
        ("method", "chosen", "expected_points", "expected_score"),
        [
            ("share", (), 0.0, 100 * 1 / 6),  # range -1..5
            ("share", ("minus",), -1.0, 0.0),
            ("share", ("minus", "two", "three"), 4.0, 100 * 5 / 6),
            ("share", ("two", "three"), 5.0, 100.0),
            ("sum", ("two", "three"), 4.0, 100.0),  # cap 4: range -1..4
            ("sum", ("minus", "two"), 1.0, 100 * 2 / 5),
            ("max", (), 0.0, 100 * 1 / 4),  # range -1..3 (nothing chosen earns 0)
            ("max", ("minus",), -1.0, 0.0),
        ],
    )
    def test_multiple_choice_ranges_reach_below_zero(
        self,
        method: Any,
        chosen: tuple[str, ...],
        expected_points: float,
        expected_score: float,
    ) -> None:
        opts = (
            Option(value="minus", points=-1),
            Option(value="two", points=2),
            Option(value="three", points=3),
        )
        cap = 4.0 if method == "sum" else None
        plan = compile(_one(MultipleChoice(id="m", options=opts, method=method, cap=cap)))
        result = score(plan, {"m": chosen})
        assert result.points == expected_points
        assert result.score == pytest.approx(expected_score, abs=1e-12)

    def test_every_option_negative_and_nothing_chosen_is_the_top(self) -> None:
        opts = (Option(value="a", points=-3), Option(value="b", points=-1))
        plan = compile(_one(MultipleChoice(id="m", options=opts, method="max")))
        assert score(plan, {"m": ()}).score == 100.0
        assert score(plan, {"m": ("a",)}).score == 0.0

    def test_score_many_agrees(self) -> None:
        pd = pytest.importorskip("pandas")
        q = _one(
            Choice(id="c", options=(Option(value="a", points=-1.5), Option(value="b", points=2))),
            YesNo(id="y", yes_points=-1, no_points=1),
        )
        plan = compile(q)
        rows = [{"c": "a", "y": "yes"}, {"c": "b", "y": "no"}, {"c": "a"}, {"y": "no"}]
        out = score_many(plan, pd.DataFrame(rows))
        assert list(out["score"]) == [score(plan, r).score for r in rows]

    def test_files_and_the_schema_take_negative_points(self) -> None:
        text = (
            "id: t\ndimensions:\n  - id: d\n    questions:\n"
            "      - {id: y, kind: yes_no, yes_points: -2.5, no_points: 1}\n"
        )
        q = load_questionnaire(text=text)
        assert load_questionnaire(text=dump_questionnaire(q)) == q
        schema = questionnaire_schema()
        assert "minimum" not in _defs(schema, "Option")["properties"]["points"]
        for name in ("yes_points", "no_points"):
            assert "minimum" not in _defs(schema, "question.yes_no")["properties"][name]
