"""The model extensions that imported instruments need: negative points, bands on points,
missing-value codes and the answer a hidden question counts as."""

from __future__ import annotations

import json
import math
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import weltoffen
from weltoffen import (
    DONT_KNOW,
    NOT_APPLICABLE,
    SKIPPED,
    Band,
    Choice,
    DefinitionError,
    Dimension,
    Equals,
    Linear,
    MultipleChoice,
    Numeric,
    Option,
    Policies,
    Questionnaire,
    Response,
    ResponseError,
    ScaleQuestion,
    State,
    Threshold,
    YesNo,
    compile,
    dump_questionnaire,
    load_questionnaire,
    score,
    score_many,
)
from weltoffen.scoring.batch import to_codes
from weltoffen.scoring.check import check_questionnaire
from weltoffen.serialization.csv import load_responses_csv, responses_from_rows
from weltoffen.serialization.schema import questionnaire_schema
from weltoffen.strategies import SumOfPoints, Zero


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


# -- bands on points ---------------------------------------------------------------------------


def _closed(total: float, ranges: list[tuple[str, float, float]]) -> str:
    """The source's band of *total*: closed ranges ``lo..hi``, as instruments print them."""
    (name,) = [n for n, lo, hi in ranges if lo <= total <= hi]
    return name


def _midpoint_bands(ranges: list[tuple[str, float, float]], step: float) -> tuple[Band, ...]:
    """Closed ranges on totals that move in *step*, as half-open bands edged at the midpoints
    between attainable totals (INTEROP.md, finding 2); the top band keeps its max."""
    out = []
    for i, (name, lo, hi) in enumerate(ranges):
        low = lo if i == 0 else lo - step / 2
        high = hi if i == len(ranges) - 1 else hi + step / 2
        out.append(Band(id=name, min=low, max=high))
    return tuple(out)


PHQ_RANGES = [
    ("minimal", 0, 4),
    ("mild", 5, 9),
    ("moderate", 10, 14),
    ("moderately-severe", 15, 19),
    ("severe", 20, 27),
]
FREQUENCY = tuple(Option(value=str(k), points=k) for k in range(4))


def _phq() -> Questionnaire:
    items = tuple(ScaleQuestion(id=f"q{i}", options=FREQUENCY) for i in range(1, 10))
    return Questionnaire(
        id="phq",
        aggregation=SumOfPoints(),
        bands=_midpoint_bands(PHQ_RANGES, 1),
        bands_on="points",
        dimensions=(
            Dimension(
                id="items",
                aggregation=SumOfPoints(),
                questions=items,
                bands=_midpoint_bands(PHQ_RANGES, 1),
                bands_on="points",
            ),
        ),
    )


def _answers_for(total: int, offset: int) -> dict[str, str]:
    """Nine answers 0..3 adding up to *total*, spread differently for each *offset*."""
    answers = [0] * 9
    left = total
    for k in range(9):
        i = (k + offset) % 9
        answers[i] = min(3, left)
        left -= answers[i]
    assert left == 0
    return {f"q{i + 1}": str(a) for i, a in enumerate(answers)}


FCS_WEIGHTS = (2.0, 3.0, 1.0, 1.0, 4.0, 4.0, 0.5, 0.5)
# WFP's food consumption score: poor up to 21, borderline 21.5 to 35, acceptable above
FCS_RANGES = [("poor", 0, 21), ("borderline", 21.5, 35), ("acceptable", 35.5, 112)]


def _fcs() -> Questionnaire:
    days = tuple(
        Numeric(
            id=f"g{i}",
            weight=w,
            minimum=0,
            maximum=7,
            integer=True,
            linear=Linear(low=0, high=7, points=7),
        )
        for i, w in enumerate(FCS_WEIGHTS)
    )
    return Questionnaire(
        id="fcs",
        aggregation=SumOfPoints(),
        bands=_midpoint_bands(FCS_RANGES, 0.5),
        bands_on="points",
        dimensions=(Dimension(id="groups", aggregation=SumOfPoints(), questions=days),),
    )


ONE_OR_FIVE = (Option(value="1", points=1), Option(value="5", points=5))


class TestBandsOnPoints:
    def test_midpoint_edges_pick_the_sources_band_for_every_total(self) -> None:
        """INTEROP.md finding 2 in miniature: every total 0..27 of a PHQ-9, reached by several
        different answers, falls in the band its closed range names, in score() (with and
        without a trace) and in score_many."""
        pd = pytest.importorskip("pandas")
        plan = compile(_phq())
        rows, wanted = [], []
        for total in range(28):
            for offset in range(3):
                rows.append(_answers_for(total, offset))
                wanted.append(_closed(total, PHQ_RANGES))
        results = [score(plan, r) for r in rows]
        assert [r.points for r in results] == [float(t) for t in range(28) for _ in range(3)]
        assert [r.band for r in results] == wanted
        assert [r.dimensions[0].band for r in results] == wanted
        assert [score(plan, r, trace=True).band for r in rows] == wanted
        out = score_many(plan, pd.DataFrame(rows))
        assert [str(b) for b in out["band"]] == wanted
        assert [str(b) for b in out["items.band"]] == wanted

    def test_weighted_totals_with_ties_at_the_thresholds(self) -> None:
        """The food consumption score: weighted days on a grid of halves; households exactly at
        21 and 35 stay in the lower band, one half-point above moves up."""
        pd = pytest.importorskip("pandas")
        plan = compile(_fcs())
        rng = random.Random(9)
        rows = [[rng.randint(0, 7) for _ in FCS_WEIGHTS] for _ in range(400)]
        rows += [
            [7, 2, 1, 0, 0, 0, 0, 0],  # 14 + 6 + 1 = 21
            [7, 2, 1, 0, 0, 0, 1, 0],  # 21.5
            [7, 7, 0, 0, 0, 0, 0, 0],  # 35
            [7, 7, 0, 0, 0, 0, 1, 0],  # 35.5
            [7] * 8,  # 112, the top band's max
            [0] * 8,
        ]
        frame = pd.DataFrame([{f"g{i}": d for i, d in enumerate(row)} for row in rows])
        out = score_many(plan, frame)
        for i, row in enumerate(rows):
            total = math.fsum(w * d for w, d in zip(FCS_WEIGHTS, row))
            result = score(plan, dict(frame.iloc[i].items()))
            assert result.points == total
            assert result.band == _closed(total, FCS_RANGES), row
            assert str(out["band"][i]) == result.band

    def test_a_total_outside_every_band_has_none(self) -> None:
        q = _one(
            ScaleQuestion(
                id="a", options=(Option(value="1", points=1), Option(value="5", points=5))
            ),
            ScaleQuestion(
                id="b", options=(Option(value="1", points=1), Option(value="5", points=5))
            ),
            bands=(Band(id="low", min=2, max=6), Band(id="high", min=6, max=10)),
            bands_on="points",
        )
        plan = compile(q)
        assert score(plan, {"a": "5", "b": "5"}).band == "high"  # the top band holds 10
        assert score(plan, {"a": "1", "b": "1"}).band == "low"
        only_one = score(plan, {"a": "1"})  # 1 point: below every band
        assert (only_one.score, only_one.band) == (0.0, None)

    @pytest.mark.parametrize(
        ("bands", "problem"),
        [
            (((2, 6), (6, 10)), None),
            (((0, 6), (6, 12)), None),  # reaching beyond the totals is fine
            (((2.5, 6), (6, 10)), "bands leave a gap (expected a band starting at 2, got 2..2.5"),
            (((2, 6), (6, 9.5)), "bands leave a gap (expected a band ending at 10, got 9.5..10"),
            (((2, 6), (6.5, 10)), "gap between bands 'b0' and 'b1' (got 6..6.5 uncovered)"),
            (((2, 7), (6, 10)), "bands 'b0' and 'b1' overlap (got 6..7 in both)"),
            (((-5, 200),), None),  # points bands are not held to 0..100
        ],
    )
    def test_the_checker_holds_points_bands_to_the_attainable_totals(
        self, bands: tuple[tuple[float, float], ...], problem: str | None
    ) -> None:
        q = _one(
            ScaleQuestion(
                id="a", options=(Option(value="1", points=1), Option(value="5", points=5))
            ),
            ScaleQuestion(
                id="b", options=(Option(value="1", points=1), Option(value="5", points=5))
            ),
            bands=tuple(Band(id=f"b{i}", min=lo, max=hi) for i, (lo, hi) in enumerate(bands)),
            bands_on="points",
        )
        found = [str(p) for p in check_questionnaire(q)]
        if problem is None:
            assert found == []
        else:
            assert len(found) == 1, found
            assert problem in found[0]

    def test_score_bands_stay_within_0_to_100(self) -> None:
        q = _one(YesNo(id="y"), bands=(Band(id="a", min=0, max=50), Band(id="b", min=50, max=120)))
        assert [str(p) for p in check_questionnaire(q)] == [
            "bands[1].max: band bound outside 0..100 (got 120)"
        ]

    def test_points_follow_the_declared_question_weights(self) -> None:
        # the weight of a question multiplies its points, so it widens the totals to cover
        q = _one(
            YesNo(id="y", weight=2),
            bands=(Band(id="a", min=0, max=1), Band(id="b", min=1, max=2)),
            bands_on="points",
        )
        plan = compile(q)
        assert [score(plan, {"y": v}).band for v in (False, True)] == ["a", "b"]

    def test_files_and_the_schema_carry_bands_on(self) -> None:
        text = (
            "id: t\nbands_on: points\nbands: [{id: a, min: -1, max: 4}]\n"
            "dimensions:\n  - id: d\n    bands_on: points\n    bands: [{id: x, min: 0, max: 1}]\n"
            "    questions: [{id: y, kind: yes_no}]\n"
        )
        q = load_questionnaire(text=text)
        assert (q.bands_on, q.dimensions[0].bands_on) == ("points", "points")
        assert load_questionnaire(text=dump_questionnaire(q)) == q
        schema = questionnaire_schema()
        for name in ("Questionnaire", "Dimension"):
            assert _defs(schema, name)["properties"]["bands_on"]["enum"] == ["score", "points"]
        with pytest.raises(DefinitionError):
            load_questionnaire(text=text.replace("bands_on: points\nbands", "bands_on: raw\nbands"))


# -- missing-value codes -----------------------------------------------------------------------

AGREEMENT = tuple(Option(value=str(k), points=k) for k in range(1, 6))


def _coded() -> Questionnaire:
    """REDCap's convention: 999 "don't know", 777 declined (counted as skipped), on every
    question; one numeric question has a code of its own."""
    return Questionnaire(
        id="coded",
        missing_codes={"999": "dont_know", "777": "skipped"},
        dimensions=(
            Dimension(
                id="d",
                questions=(
                    ScaleQuestion(id="s", options=AGREEMENT, dont_know=True),
                    ScaleQuestion(id="t", options=AGREEMENT),  # offers no "don't know"
                    Numeric(
                        id="n",
                        minimum=0,
                        maximum=100,
                        linear=Linear(low=0, high=100),
                        not_applicable=True,
                        dont_know=True,
                        missing_codes={"-1": "not_applicable"},
                    ),
                ),
            ),
        ),
    )


class TestMissingCodes:
    @pytest.mark.parametrize("code", [999, 999.0, "999", " 999 ", "999.0", "9.99e2"])
    def test_every_form_of_a_code_takes_its_state(self, code: object) -> None:
        plan = compile(_coded())
        result = score(plan, {"s": code, "t": "4", "n": 50}, trace=True)
        assert result.counts["dont_know"] == 1
        item = next(i for i in result.dimensions[0].items if i.question == "s")
        assert item.state is State.DONT_KNOW
        assert result == score(plan, {"s": DONT_KNOW, "t": "4", "n": 50}, trace=True)

    def test_codes_of_the_question_and_of_the_questionnaire(self) -> None:
        plan = compile(_coded())
        result = score(plan, {"s": "777", "t": 777, "n": -1})
        assert result.counts == {
            "answered": 0,
            "dont_know": 0,
            "not_applicable": 1,
            "skipped": 2,
            "hidden": 0,
        }
        assert score(plan, {"n": 999}).counts["dont_know"] == 1  # the shared code applies too

    def test_a_shared_code_leaves_a_question_without_its_state_alone(self) -> None:
        plan = compile(_coded())
        with pytest.raises(ResponseError, match="not an option of this question"):
            score(plan, {"t": 999})

    def test_score_many_reads_codes_in_text_and_number_columns(self) -> None:
        pd = pytest.importorskip("pandas")
        plan = compile(_coded())
        rows: list[dict[str, Any]] = [
            {"s": "999", "t": "3", "n": 999.0},
            {"s": "2", "t": "777", "n": -1.0},
            {"s": "5", "t": "1", "n": 40.0},
            {"s": "999.0", "t": "5", "n": 777.0},
        ]
        # "n" is a float column (the numeric path), "s" and "t" hold text
        out = score_many(plan, pd.DataFrame(rows))
        expected = [score(plan, r) for r in rows]
        assert [(r.score, r.coverage) for r in expected] == list(
            zip(out["score"].tolist(), out["coverage"].tolist())
        )
        numbers = pd.DataFrame([{"s": 999, "t": 3, "n": 10}, {"s": 1, "t": 777, "n": -1}])
        assert score_many(plan, numbers)["score"].tolist() == [
            score(plan, {"s": 999, "t": 3, "n": 10}).score,
            score(plan, {"s": 1, "t": 777, "n": -1}).score,
        ]

    def test_numpy_codes_encode_them_as_states(self) -> None:
        plan = compile(_coded())
        responses = [Response(respondent="r", answers={"s": 999, "t": "2", "n": -1})]
        codes, states = to_codes(plan, responses)
        out = score_many(plan, codes, states=states)
        assert out["score"].tolist() == [score(plan, responses[0]).score]

    def test_the_command_line_scores_a_table_with_codes(self, tmp_path: Path) -> None:
        questionnaire = tmp_path / "coded.yaml"
        questionnaire.write_text(dump_questionnaire(_coded()), encoding="utf-8")
        table = tmp_path / "answers.csv"
        table.write_text("respondent,s,t,n\nr1,999,3,999\nr2,4,777,-1\n", encoding="utf-8")
        responses = load_responses_csv(table, _coded())
        # the reader gives the codes their states already
        assert [r.answers for r in responses] == [
            {"s": DONT_KNOW, "t": "3", "n": DONT_KNOW},
            {"s": "4", "t": SKIPPED, "n": NOT_APPLICABLE},
        ]
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "weltoffen",
                "score",
                str(questionnaire),
                str(table),
                "--format",
                "json",
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(Path(weltoffen.__file__).parents[1])},
            check=False,
        )
        assert done.returncode == 0, done.stderr
        results = json.loads(done.stdout)
        results = results if isinstance(results, list) else results["results"]
        assert [r["counts"]["dont_know"] for r in results] == [2, 0]
        assert [r["counts"]["skipped"] for r in results] == [0, 1]

    def test_spreadsheet_cells_that_hold_codes_as_numbers(self) -> None:
        # spreadsheet readers pass numbers as numbers: 999.0 is the code 999 too
        rows = [["r1", 999.0, "2", -1.0], ["r2", "777", 3, 12.5]]
        responses = responses_from_rows(["respondent", "s", "t", "n"], rows, _coded())
        assert [r.answers for r in responses] == [
            {"s": DONT_KNOW, "t": "2", "n": NOT_APPLICABLE},
            {"s": SKIPPED, "t": "3", "n": 12.5},
        ]

    def test_files_and_the_schema_carry_codes(self) -> None:
        text = (
            "id: t\nmissing_codes: {999: dont_know, -7: skipped}\n"
            "dimensions:\n  - id: d\n    questions:\n"
            "      - {id: y, kind: yes_no, dont_know: true, missing_codes: {'8': dont_know}}\n"
        )
        q = load_questionnaire(text=text)
        assert q.missing_codes == {"999": "dont_know", "-7": "skipped"}
        assert load_questionnaire(text=dump_questionnaire(q)) == q
        schema = questionnaire_schema()
        codes = _defs(schema, "Questionnaire")["properties"]["missing_codes"]
        assert codes["additionalProperties"]["enum"] == ["dont_know", "not_applicable", "skipped"]
        assert "missing_codes" in _defs(schema, "question.yes_no")["properties"]
        with pytest.raises(DefinitionError, match="maybe"):
            load_questionnaire(text=text.replace("-7: skipped", "-7: maybe"))

    @pytest.mark.parametrize(
        ("shared", "own", "problem"),
        [
            ({"999": "dont_know"}, {}, None),
            ({}, {"999": "not_applicable"}, "code '999' stands for not_applicable, which"),
            ({"2": "skipped"}, {}, "missing_codes.2: code '2' is also an answer of question 'q'"),
            ({}, {"2.0": "skipped"}, "code '2.0' is also an answer of question 'q'"),
            ({"999": "skipped", "999.0": "skipped"}, {}, "codes '999' and '999.0' are the same"),
            ({"": "skipped"}, {}, "a missing-value code is empty"),
            # the shared code applies only where its state is offered: no clash with option 3
            ({"3": "not_applicable"}, {}, None),
        ],
    )
    def test_the_checker(
        self, shared: dict[str, Any], own: dict[str, Any], problem: str | None
    ) -> None:
        question = ScaleQuestion(id="q", options=AGREEMENT, dont_know=True, missing_codes=own)
        found = [str(p) for p in check_questionnaire(_one(question, missing_codes=shared))]
        if problem is None:
            assert found == []
        else:
            assert len(found) == 1, found
            assert problem in found[0]

    def test_codes_that_are_yes_no_words_or_numbers_in_range_are_answers(self) -> None:
        q = _one(
            YesNo(id="y", missing_codes={"1": "skipped", "nein": "skipped", "9": "skipped"}),
            Numeric(id="n", minimum=0, maximum=10, linear=Linear(low=0, high=10)),
            missing_codes={"5": "skipped", "11": "skipped"},
        )
        found = sorted(str(p) for p in check_questionnaire(q))
        assert found == [
            "dimensions[0].questions[0].missing_codes.1: code '1' is also an answer of question "
            "'y' (expected a code that no answer uses)",
            "dimensions[0].questions[0].missing_codes.nein: code 'nein' is also an answer of "
            "question 'y' (expected a code that no answer uses)",
            "missing_codes.5: code '5' is also an answer of question 'n' (expected a code that no "
            "answer uses)",
        ]


# -- otherwise: the answer a question counts as while its condition is false -------------------

FREQUENCY_HHS = (
    Option(value="never", points=0),
    Option(value="rarely", points=1),
    Option(value="sometimes", points=1),
    Option(value="often", points=2),
)


def _hhs(otherwise: Any = "never") -> Questionnaire:
    """The household hunger scale's shape: three yes/no gates, each with a frequency follow-up
    asked only after "yes"; not asked, it counts as "never" (0 points)."""
    questions: list[Any] = []
    for k in (1, 2, 3):
        questions.append(YesNo(id=f"g{k}", scored=False))
        questions.append(
            Choice(
                id=f"f{k}",
                options=FREQUENCY_HHS,
                when=Equals(question=f"g{k}", value=True),
                otherwise=otherwise,
            )
        )
    ranges = [("little", 0, 1), ("moderate", 2, 3), ("severe", 4, 6)]
    return Questionnaire(
        id="hhs",
        aggregation=SumOfPoints(),
        bands=_midpoint_bands(ranges, 1),
        bands_on="points",
        dimensions=(Dimension(id="d", aggregation=SumOfPoints(), questions=tuple(questions)),),
    )


HHS_ROWS: list[dict[str, Any]] = [
    {"g1": False, "g2": False, "g3": False},  # nothing applies without otherwise
    {"g1": True, "f1": "often", "g2": False, "g3": True, "f3": "rarely"},
    {"g1": True, "f1": "often", "g2": True, "f2": "often", "g3": True, "f3": "often"},
    {"g1": False, "f1": "often", "g2": False, "g3": False},  # an answer to a question not asked
    {"g1": True, "g2": False, "g3": False},  # the follow-up skipped after "yes"
]


class TestOtherwise:
    def test_a_follow_up_not_asked_counts_as_its_structural_answer(self) -> None:
        plan = compile(_hhs())
        results = [score(plan, r) for r in HHS_ROWS]
        assert [r.points for r in results] == [0.0, 3.0, 6.0, 0.0, 0.0]
        assert [r.band for r in results] == ["little", "moderate", "severe", "little", "little"]
        assert [r.counts["answered"] for r in results] == [3, 3, 3, 3, 2]
        assert [r.max_points for r in results] == [6.0, 6.0, 6.0, 6.0, 6.0]
        assert [r.coverage for r in results] == [1.0, 1.0, 1.0, 1.0, 2 / 3]

    def test_without_otherwise_the_follow_ups_are_hidden(self) -> None:
        plan = compile(_hhs(otherwise=None))
        result = score(plan, HHS_ROWS[0])
        assert (result.score, result.counts["hidden"], result.band) == (None, 3, None)

    def test_the_trace_shows_it_with_a_note(self) -> None:
        plan = compile(_hhs())
        traced = score(plan, HHS_ROWS[3], trace=True)
        item = next(i for i in traced.dimensions[0].items if i.question == "f1")
        assert (item.state, item.value, item.points, item.score) == (State.ANSWERED, "never", 0, 0)
        assert item.note is not None
        assert "otherwise" in item.note
        asked = score(plan, {"g1": True, "f1": "never"}, trace=True)
        same = next(i for i in asked.dimensions[0].items if i.question == "f1")
        assert (same.value, same.note) == ("never", None)  # given, not structural
        assert traced.score == score(plan, HHS_ROWS[3]).score

    def test_an_enclosing_condition_still_hides_it(self) -> None:
        inner = Dimension(
            id="inner",
            when=Equals(question="gate", value=True),
            questions=(
                YesNo(id="a"),
                YesNo(id="b", when=Equals(question="a", value=True), otherwise=False),
            ),
        )
        q = Questionnaire(
            id="t",
            dimensions=(Dimension(id="outer", questions=(YesNo(id="gate"),), dimensions=(inner,)),),
        )
        plan = compile(q)
        assert (
            score(plan, {"gate": False, "a": False}).dimensions[0].dimensions[0].counts["hidden"]
            == 2
        )
        counted = score(plan, {"gate": True, "a": False}).dimensions[0].dimensions[0]
        assert (counted.counts["answered"], counted.score) == (2, 0.0)

    def test_an_otherwise_state_counts_as_that_state(self) -> None:
        q = _one(
            YesNo(id="g"),
            YesNo(id="f", when=Equals(question="g", value=True), otherwise=SKIPPED),
            scoring=Policies(skipped=Zero()),
        )
        plan = compile(q)
        result = score(plan, {"g": False})
        assert result.counts["skipped"] == 1
        assert result.score == 0.0  # "no" earns 0 and the skipped follow-up counts as 0

    def test_score_many_agrees(self) -> None:
        pd = pytest.importorskip("pandas")
        plan = compile(_hhs())
        out = score_many(plan, pd.DataFrame(HHS_ROWS))
        results = [score(plan, r) for r in HHS_ROWS]
        assert out["score"].tolist() == [r.score for r in results]
        assert out["coverage"].tolist() == [r.coverage for r in results]
        assert [str(b) for b in out["band"]] == [r.band for r in results]
        codes, states = to_codes(plan, [Response(respondent="r", answers=a) for a in HHS_ROWS])
        assert score_many(plan, codes, states=states)["score"].tolist() == [
            r.score for r in results
        ]

    def test_files_and_the_schema_carry_it(self) -> None:
        for value in ("never", SKIPPED):
            q = _hhs(value)
            assert load_questionnaire(text=dump_questionnaire(q)) == q
        schema = questionnaire_schema()
        assert "otherwise" in _defs(schema, "question.choice")["properties"]

    @pytest.mark.parametrize(
        ("question", "problem"),
        [
            (
                YesNo(id="f", otherwise=True),
                "dimensions[0].questions[1].otherwise: otherwise of question 'f' needs a condition",
            ),
            (
                YesNo(id="f", when=Equals(question="g", value=True), otherwise="perhaps"),
                "otherwise is not an answer of question 'f': not a yes/no answer",
            ),
            (
                Choice(
                    id="f",
                    options=FREQUENCY_HHS,
                    when=Equals(question="g", value=True),
                    otherwise="always",
                ),
                "otherwise is not an answer of question 'f': not an option of this question",
            ),
            (
                Numeric(
                    id="f",
                    maximum=7,
                    linear=Linear(low=0, high=7),
                    when=Equals(question="g", value=True),
                    otherwise=8,
                ),
                "number out of range",
            ),
            (
                YesNo(id="f", when=Equals(question="g", value=True), otherwise=DONT_KNOW),
                'does not offer "don\'t know"',
            ),
            (YesNo(id="f", when=Equals(question="g", value=True), otherwise="no"), None),
            (YesNo(id="f", when=Equals(question="g", value=True), otherwise=SKIPPED), None),
        ],
    )
    def test_the_checker(self, question: Any, problem: str | None) -> None:
        found = [str(p) for p in check_questionnaire(_one(YesNo(id="g"), question))]
        if problem is None:
            assert found == []
        else:
            assert len(found) == 1, found
            assert problem in found[0]
