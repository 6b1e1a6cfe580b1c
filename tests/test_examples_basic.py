"""examples/basic: the team wellbeing check validates, scores, and matches a hand computation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from weltoffen import (
    Choice,
    MultipleChoice,
    Numeric,
    ScaleQuestion,
    TextQuestion,
    YesNo,
    compile,
    load_questionnaire,
    load_responses,
    score,
)
from weltoffen.cli import main
from weltoffen.reports import result_views
from weltoffen.serialization.csv import load_responses_csv

EXAMPLE = Path(__file__).parent.parent / "examples" / "basic"
QUESTIONNAIRE = load_questionnaire(EXAMPLE / "questionnaire.yaml")
PLAN = compile(QUESTIONNAIRE)
RESULTS = {r.respondent: score(PLAN, r) for r in load_responses(EXAMPLE / "responses.yaml")}


class TestDefinition:
    def test_validates(self, capsys: pytest.CaptureFixture[str]) -> None:
        status = main(["validate", str(EXAMPLE / "questionnaire.yaml")])

        assert (status, capsys.readouterr().out) == (
            0,
            "team-wellbeing 1.0: valid (12 questions, 4 dimensions)\n",
        )

    def test_shows_every_feature_it_promises(self) -> None:
        """Every question kind, reverse keying, a condition, don't know / n.a., nested bands."""
        questions = [q for _, q in QUESTIONNAIRE.iter_questions()]

        assert {type(q) for q in questions} == {
            ScaleQuestion,
            YesNo,
            Choice,
            MultipleChoice,
            Numeric,
            TextQuestion,
        }
        assert any(isinstance(q, ScaleQuestion) and q.reverse for q in questions)
        assert any(q.when is not None for q in questions)
        assert any(q.dont_know for q in questions)
        assert any(q.not_applicable for q in questions)
        assert any(d.dimensions for d in QUESTIONNAIRE.dimensions)
        assert all(b.feedback for b in QUESTIONNAIRE.bands)

    def test_responses_cover_every_answer_state(self) -> None:
        totals = {
            state: sum(r.counts[state] for r in RESULTS.values())
            for state in ("answered", "dont_know", "not_applicable", "skipped", "hidden")
        }

        assert all(totals.values()), totals


class TestHandComputation:
    """Ben's result, worked out by hand from the definition (see the comments)."""

    def test_workload(self) -> None:
        # manageable = agree: 3 of 4 points, weight 2              -> 0.75
        # late-evenings = often: 3 points, reverse keyed to 4 - 3 = 1 of 4 -> 0.25
        # overtime = 6 hours on a line from 0 points at 10 h to 4 points at 0 h:
        #   4 * (10 - 6) / 10 = 1.6 of 4                                 -> 0.4
        # holidays = don't know: excluded, the other weights renormalised
        workload = RESULTS["ben"].dimension("workload")

        assert workload.score == pytest.approx(100 * (2 * 0.75 + 0.25 + 0.4) / (2 + 1 + 1))
        assert workload.score == pytest.approx(53.75)
        # holidays still applies, so 4 of 5 weight units are answered
        assert workload.coverage == pytest.approx(4 / 5)
        assert (workload.points, workload.max_points) == pytest.approx(
            (2 * 3 + 1 + 1.6, 2 * 4 + 4 + 4 + 1)
        )
        assert workload.band == "medium"  # 40 <= 53.75 < 70

    def test_support_with_its_nested_leadership(self) -> None:
        # leadership: one-to-one = no -> 0; one-to-one-useful is hidden (asked only after a
        # yes); feedback-style is not applicable. Only one-to-one counts: 0, coverage 1.
        # support: ask-for-help = neutral, 2 of 4 -> 0.5, beside leadership (weight 1 each).
        result = RESULTS["ben"]
        leadership, support = result.dimension("leadership"), result.dimension("support")

        assert (leadership.score, leadership.coverage) == (0.0, 1.0)
        assert (leadership.points, leadership.max_points) == (0.0, 1.0)
        assert support.score == pytest.approx(100 * (0.5 + 0.0) / 2)
        assert (support.points, support.max_points) == pytest.approx((2 + 0, 4 + 1))

    def test_growth_counts_skips_as_zero(self) -> None:
        # growth overrides the skipped policy with 'zero': the skipped learning question
        # counts as 0 of 2. next-step = disagree, 1 of 4 -> 0.25; training-budget = some,
        # 1 of 2 -> 0.5. wish is free text and never scored.
        growth = RESULTS["ben"].dimension("growth")

        assert growth.score == pytest.approx(100 * (0 + 0.25 + 0.5) / 3)
        assert growth.coverage == pytest.approx(2 / 3)
        assert (growth.points, growth.max_points) == pytest.approx((0 + 1 + 1, 2 + 4 + 2))

    def test_overall(self) -> None:
        # top level: workload weight 1, support weight 2, growth weight 1
        ben = RESULTS["ben"]

        assert ben.score == pytest.approx((53.75 + 2 * 25 + 25) / 4)
        assert ben.score == pytest.approx(32.1875)
        assert ben.coverage == pytest.approx((1 * 0.8 + 2 * 1 + 1 * (2 / 3)) / 4)
        # points stay in the instrument's units: question weights count, dimension weights do not
        assert (ben.points, ben.max_points) == pytest.approx((8.6 + 2 + 2, 17 + 5 + 8))
        assert ben.band == "strained"  # 0 <= 32.19 < 40
        assert dict(ben.counts) == {
            "answered": 7,
            "dont_know": 1,
            "not_applicable": 1,
            "skipped": 1,
            "hidden": 1,
        }

    def test_a_dimension_below_minimum_coverage_has_no_score(self) -> None:
        # cleo answered only manageable (weight 2) of workload's 5 weight units: coverage
        # 0.4 < 0.5, so workload is not assessable and the overall score rests on support
        # (87.5, weight 2) and growth (50, weight 1).
        cleo = RESULTS["cleo"]

        assert cleo.dimension("workload").score is None
        assert cleo.dimension("workload").coverage == pytest.approx(0.4)
        assert cleo.score == pytest.approx((2 * 87.5 + 50) / 3)


class TestFromTheCommandLine:
    @pytest.mark.parametrize("responses", ["responses.yaml", "responses.csv"])
    def test_json_matches_the_library(
        self, responses: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The command line's JSON is the library's result views, for YAML and CSV alike."""
        status = main(
            [
                "score",
                str(EXAMPLE / "questionnaire.yaml"),
                str(EXAMPLE / responses),
                "--format",
                "json",
            ]
        )

        assert status == 0
        assert json.loads(capsys.readouterr().out) == [
            v.plain() for v in result_views(PLAN, RESULTS.values())
        ]

    def test_table(self, capsys: pytest.CaptureFixture[str]) -> None:
        status = main(
            ["score", str(EXAMPLE / "questionnaire.yaml"), str(EXAMPLE / "responses.csv")]
        )

        lines = capsys.readouterr().out.splitlines()
        assert status == 0
        assert "Overall                       32.2  Under strain          87%  12.6/30" in lines

    def test_csv_example_reads_like_the_yaml(self) -> None:
        from_csv = load_responses_csv(EXAMPLE / "responses.csv", QUESTIONNAIRE)

        assert {r.respondent: score(PLAN, r) for r in from_csv} == RESULTS
