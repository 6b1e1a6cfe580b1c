"""Tests for weltoffen.scoring.engine: hand-computed scores for every question kind, aggregation,
weighting and policy, answer states, coverage, bands and the trace."""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from typing import Any

import pytest

from weltoffen import (
    DONT_KNOW,
    NOT_APPLICABLE,
    SKIPPED,
    AllOf,
    AnyOf,
    Band,
    Choice,
    Compare,
    Dimension,
    Equals,
    Includes,
    ItemResult,
    Linear,
    MultipleChoice,
    Not,
    Numeric,
    OneOf,
    Option,
    Policies,
    Problem,
    Questionnaire,
    Response,
    ResponseError,
    Result,
    Scale,
    ScaleQuestion,
    State,
    TextQuestion,
    Threshold,
    YesNo,
    compile,
    score,
)
from weltoffen.model import AnswerValue, Question
from weltoffen.scoring.engine import ANONYMOUS
from weltoffen.strategies import (
    Equal,
    Exclude,
    GeometricMean,
    ItemCount,
    Minimum,
    Prorate,
    SumOfPoints,
    Zero,
)

# every test here runs on both paths of score(): compiled and Python
pytestmark = pytest.mark.usefixtures("engine_path")


def options(*points: float) -> tuple[Option, ...]:
    """Options named a, b, c, ... earning *points*."""
    return tuple(Option(value=chr(ord("a") + i), points=p) for i, p in enumerate(points))


ZERO_TO_FOUR = options(0, 1, 2, 3, 4)


def scale(qid: str, **kwargs: Any) -> ScaleQuestion:
    """A 0..4 scale question: a=0, b=1, c=2, d=3, e=4."""
    return ScaleQuestion(id=qid, options=ZERO_TO_FOUR, **kwargs)


def questionnaire(*questions: Question, **dimension: Any) -> Questionnaire:
    """One dimension ``d`` holding *questions*."""
    return Questionnaire(id="t", dimensions=(Dimension(id="d", questions=questions, **dimension),))


def run(q: Questionnaire, answers: Mapping[str, AnswerValue], *, trace: bool = False) -> Result:
    return score(compile(q), Response(respondent="r", answers=answers), trace=trace)


def item_score(question: Question, answer: AnswerValue) -> float | None:
    """The 0..100 score of a one-question questionnaire."""
    return run(questionnaire(question), {question.id: answer}).score


# -- question kinds ----------------------------------------------------------------------------


class TestScaleQuestion:
    def test_points_over_the_range(self) -> None:
        assert item_score(scale("q"), "c") == 50.0
        assert item_score(scale("q"), "e") == 100.0

    def test_range_not_starting_at_zero(self) -> None:
        """Scores run from the lowest to the highest points, not from zero."""
        q = ScaleQuestion(id="q", options=options(1, 2, 3, 4, 5))
        assert item_score(q, "b") == 25.0
        assert item_score(q, "a") == 0.0

    def test_reverse_keying(self) -> None:
        """A reverse-keyed answer earning p points counts as min + max - p."""
        q = ScaleQuestion(id="q", options=options(1, 2, 3, 4, 5), reverse=True)
        assert item_score(q, "b") == 75.0  # 1 + 5 - 2 = 4 -> (4 - 1) / 4
        result = run(questionnaire(q), {"q": "b"}, trace=True)
        assert result.dimensions[0].items[0].points == 4.0

    def test_shared_scale(self) -> None:
        q = Questionnaire(
            id="t",
            scales=(Scale(id="agree", options=options(0, 2)),),
            dimensions=(Dimension(id="d", questions=(ScaleQuestion(id="q", scale="agree"),)),),
        )
        assert run(q, {"q": "b"}).score == 100.0

    def test_numeric_answer_for_a_digit_option(self) -> None:
        """An answer 2 (a number) picks the option whose value is "2"."""
        q = ScaleQuestion(
            id="q", options=(Option(value="1", points=0), Option(value="2", points=1))
        )
        assert item_score(q, 2) == 100.0
        assert item_score(q, 1.0) == 0.0


class TestYesNo:
    @pytest.mark.parametrize(
        ("answer", "expected"),
        [
            (True, 100.0),
            (False, 0.0),
            ("yes", 100.0),
            ("Nein", 0.0),
            ("ja", 100.0),
            (1, 100.0),
            (0, 0.0),
        ],
    )
    def test_answers(self, answer: AnswerValue, expected: float) -> None:
        assert item_score(YesNo(id="q", yes_points=2), answer) == expected

    def test_no_can_earn_more(self) -> None:
        """A question where "no" is the good answer scores no at the top."""
        q = YesNo(id="q", yes_points=0, no_points=1)
        assert (item_score(q, True), item_score(q, False)) == (0.0, 100.0)


def test_choice_scores_the_chosen_option() -> None:
    q = Choice(id="q", options=options(1, 3, 5))
    assert item_score(q, "b") == 50.0  # (3 - 1) / (5 - 1)


class TestMultipleChoice:
    def test_share(self) -> None:
        q = MultipleChoice(id="q", options=options(1, 2, 3))
        assert item_score(q, ("a", "c")) == pytest.approx(100 * 4 / 6)
        assert item_score(q, ()) == 0.0

    def test_sum_with_cap(self) -> None:
        """With a cap, points at or above the cap earn full marks."""
        q = MultipleChoice(id="q", options=options(1, 2, 3), method="sum", cap=3)
        assert item_score(q, ("a", "c")) == 100.0
        assert item_score(q, ("a",)) == pytest.approx(100 / 3)

    def test_max(self) -> None:
        q = MultipleChoice(id="q", options=options(1, 2, 3), method="max")
        assert item_score(q, ("a", "b")) == pytest.approx(
            100 * 2 / 3
        )  # range 0..3: none chosen is 0

    def test_max_with_a_minimum_selection(self) -> None:
        """When something must be chosen, the weakest option is the bottom of the range."""
        q = MultipleChoice(id="q", options=options(1, 2, 3), method="max", min_selected=1)
        assert item_score(q, ("a", "b")) == 50.0  # (2 - 1) / (3 - 1)

    def test_one_option_as_text(self) -> None:
        q = MultipleChoice(id="q", options=options(1, 2, 3))
        assert item_score(q, "c") == 50.0


class TestNumeric:
    STEPS = (Threshold(min=0, points=0), Threshold(min=10, points=2), Threshold(min=20, points=4))

    @pytest.mark.parametrize(
        ("value", "expected"), [(15, 50.0), (10, 50.0), (20, 100.0), (99.5, 100.0), (-5, 0.0)]
    )
    def test_thresholds(self, value: float, expected: float) -> None:
        assert item_score(Numeric(id="q", thresholds=self.STEPS), value) == expected

    @pytest.mark.parametrize(("value", "expected"), [(3, 100.0), (5, 50.0), (7, 50.0), (12, 0.0)])
    def test_thresholds_scoring_lower_values_higher(self, value: float, expected: float) -> None:
        """Steps may fall: a value at or above a step earns that step's points."""
        q = Numeric(
            id="q",
            minimum=0,
            thresholds=(
                Threshold(min=0, points=4),
                Threshold(min=5, points=2),
                Threshold(min=10, points=0),
            ),
        )
        assert item_score(q, value) == expected

    @pytest.mark.parametrize(("value", "expected"), [(25, 25.0), (0, 0.0), (150, 100.0), (-3, 0.0)])
    def test_linear_clamped(self, value: float, expected: float) -> None:
        assert (
            item_score(Numeric(id="q", linear=Linear(low=0, high=100, points=2)), value) == expected
        )

    def test_linear_falling(self) -> None:
        """low above high scores lower values better."""
        q = Numeric(id="q", linear=Linear(low=100, high=0))
        assert item_score(q, 25) == 75.0


def test_free_text_is_kept_and_never_scored() -> None:
    q = questionnaire(scale("q"), TextQuestion(id="note"))
    result = run(q, {"q": "c", "note": "see the 2023 report"})
    assert result.score == 50.0
    assert dict(result.texts) == {"note": "see the 2023 report"}
    assert sum(result.counts.values()) == 1


def test_unscored_question_counts_for_nothing() -> None:
    q = questionnaire(scale("q"), scale("extra", scored=False))
    assert run(q, {"q": "c", "extra": "a"}).score == 50.0


# -- aggregations and weightings ---------------------------------------------------------------

# Three 0..4 questions answered b, c, e: scores 0.25, 0.5, 1.0 with weights 1, 2, 1.
THREE = (scale("q1"), scale("q2", weight=2), scale("q3"))
ANSWERS = {"q1": "b", "q2": "c", "q3": "e"}


class TestAggregations:
    def test_weighted_mean(self) -> None:
        assert run(questionnaire(*THREE), ANSWERS).score == 56.25  # (0.25 + 1 + 1) / 4

    def test_equal_weighting_ignores_declared_weights(self) -> None:
        result = run(questionnaire(*THREE, weighting=Equal()), ANSWERS)
        assert result.score == pytest.approx(100 * 1.75 / 3)

    def test_minimum(self) -> None:
        assert run(questionnaire(*THREE, aggregation=Minimum()), ANSWERS).score == 25.0

    def test_geometric_mean(self) -> None:
        result = run(questionnaire(*THREE, aggregation=GeometricMean()), ANSWERS)
        assert result.score == pytest.approx(50.0)  # (0.25 * 0.5**2 * 1) ** (1/4)

    def test_geometric_mean_with_a_zero(self) -> None:
        result = run(questionnaire(*THREE, aggregation=GeometricMean()), {**ANSWERS, "q1": "a"})
        assert result.score == 0.0

    def test_sum_weighs_by_points(self) -> None:
        """Sum of points: 2 of 2 points plus 2 of 8 points is 4 of 10."""
        q = questionnaire(
            ScaleQuestion(id="small", options=options(0, 2)),
            ScaleQuestion(id="big", options=options(0, 2, 8)),
            aggregation=SumOfPoints(),
        )
        result = run(q, {"small": "b", "big": "b"})
        assert result.score == pytest.approx(40.0)
        assert (result.points, result.max_points) == (4.0, 10.0)
        averaged = questionnaire(*q.dimensions[0].questions)
        assert run(averaged, {"small": "b", "big": "b"}).score == 62.5  # (1 + 0.25) / 2

    def test_item_count_weighting_of_dimensions(self) -> None:
        """With item_count, a dimension of three questions counts three times one of one."""
        q = Questionnaire(
            id="t",
            weighting=ItemCount(),
            dimensions=(
                Dimension(id="one", questions=(scale("a"),)),
                Dimension(id="three", questions=(scale("b"), scale("c"), scale("e"))),
            ),
        )
        result = run(q, {"a": "a", "b": "e", "c": "e", "e": "e"})
        assert result.score == 75.0  # (0 * 1 + 100 * 3) / 4

    def test_nested_dimensions_with_weights(self) -> None:
        q = Questionnaire(
            id="t",
            dimensions=(
                Dimension(
                    id="top",
                    questions=(scale("a"),),
                    dimensions=(
                        Dimension(id="child", weight=3, questions=(scale("b"), scale("c"))),
                    ),
                ),
            ),
        )
        result = run(q, {"a": "e", "b": "a", "c": "c"})
        child = result.dimension("child")
        assert child.score == 25.0
        assert result.dimension("top").score == pytest.approx((100 + 3 * 25) / 4)
        assert result.score == result.dimension("top").score


# -- missing answers ---------------------------------------------------------------------------

FOUR = (scale("q1"), scale("q2"), scale("q3"), scale("q4"))
THREE_OF_FOUR = {"q1": "d", "q2": "e", "q3": "c"}  # 3, 4, 2 points; q4 missing


class TestPolicies:
    def test_exclude_renormalises(self) -> None:
        result = run(questionnaire(*FOUR), THREE_OF_FOUR)
        assert result.score == 75.0
        assert result.coverage == 0.75
        assert (result.points, result.max_points) == (9.0, 16.0)

    def test_zero_counts_the_bottom_of_the_scale(self) -> None:
        q = questionnaire(*FOUR, scoring=Policies(skipped=Zero()))
        result = run(q, THREE_OF_FOUR)
        assert result.score == 56.25  # (0.75 + 1 + 0.5 + 0) / 4
        assert result.coverage == 0.75
        assert result.points == 9.0

    def test_prorate_scales_the_points_up(self) -> None:
        """Prorating fills the gap with the mean of the answers beside it: the score stays as with
        exclude, the points grow to what a full response at that level would earn."""
        q = questionnaire(*FOUR, scoring=Policies(skipped=Prorate()))
        result = run(q, THREE_OF_FOUR, trace=True)
        assert result.score == 75.0
        assert (result.points, result.max_points) == (12.0, 16.0)  # 9 * 4 / 3
        filled = result.dimensions[0].items[3]
        assert (filled.state, filled.points, filled.score) == (SKIPPED, 3.0, 75.0)

    def test_prorate_with_minimum_imputes_the_mean(self) -> None:
        q = questionnaire(*FOUR, aggregation=Minimum(), scoring=Policies(skipped=Prorate()))
        assert run(q, THREE_OF_FOUR).score == 50.0  # min(0.75, 1, 0.5, mean 0.75)

    def test_dont_know_and_skipped_have_their_own_policies(self) -> None:
        q = questionnaire(
            scale("q1"),
            scale("q2", dont_know=True),
            scale("q3"),
            scoring=Policies(dont_know=Zero(), skipped=Exclude()),
        )
        result = run(q, {"q1": "e", "q2": DONT_KNOW})
        assert result.score == 50.0  # (1 + 0) / 2; q3 left out
        assert result.coverage == pytest.approx(1 / 3)

    def test_dimension_overrides_the_questionnaire(self) -> None:
        q = Questionnaire(
            id="t",
            scoring=Policies(dont_know=Exclude(), skipped=Zero(), min_coverage=0.0),
            dimensions=(
                Dimension(id="inherits", questions=(scale("a"), scale("b"))),
                Dimension(
                    id="own",
                    scoring=Policies(skipped=Exclude()),
                    questions=(scale("c"), scale("e")),
                ),
            ),
        )
        result = run(q, {"a": "e", "c": "e"})
        assert result.dimension("inherits").score == 50.0
        assert result.dimension("own").score == 100.0

    def test_policy_is_inherited_by_nested_dimensions(self) -> None:
        inner = Dimension(id="inner", questions=(scale("a"), scale("b")))
        q = Questionnaire(
            id="t",
            dimensions=(
                Dimension(id="outer", scoring=Policies(skipped=Zero()), dimensions=(inner,)),
            ),
        )
        assert run(q, {"a": "e"}).dimension("inner").score == 50.0


class TestMinimumCoverage:
    def test_below_the_minimum_is_not_assessable(self) -> None:
        q = questionnaire(
            *FOUR, bands=(Band(id="all", min=0, max=100),), scoring=Policies(min_coverage=0.8)
        )
        result = run(q, THREE_OF_FOUR)
        dim = result.dimensions[0]
        assert dim.score is None
        assert dim.band is None
        assert dim.coverage == 0.75
        assert dim.note is not None
        assert "not assessable" in dim.note
        assert "75%" in dim.note
        assert result.score is None  # the root has nothing left to combine
        assert result.note is not None

    def test_at_the_minimum_is_assessable(self) -> None:
        q = questionnaire(*FOUR, scoring=Policies(min_coverage=0.75))
        assert run(q, THREE_OF_FOUR).score == 75.0

    def test_a_not_assessable_child_leaves_its_parent(self) -> None:
        q = Questionnaire(
            id="t",
            dimensions=(
                Dimension(
                    id="thin",
                    scoring=Policies(min_coverage=1.0),
                    questions=(scale("a"), scale("b")),
                ),
                Dimension(id="full", questions=(scale("c"),)),
            ),
        )
        result = run(q, {"a": "a", "c": "e"})
        assert result.dimension("thin").score is None
        assert result.score == 100.0
        assert result.coverage == 0.75  # (0.5 + 1) / 2


class TestStatesLeavingTheDenominator:
    def test_not_applicable(self) -> None:
        q = questionnaire(
            scale("q1"), scale("q2", not_applicable=True), scoring=Policies(skipped=Zero())
        )
        result = run(q, {"q1": "c", "q2": NOT_APPLICABLE})
        assert result.score == 50.0
        assert result.coverage == 1.0
        assert result.max_points == 4.0

    def test_hidden(self) -> None:
        q = questionnaire(
            YesNo(id="has_plan"),
            scale("plan_quality", when=Equals("has_plan", True)),
            scoring=Policies(skipped=Zero()),
        )
        result = run(q, {"has_plan": False})
        assert result.score == 0.0  # only has_plan counts
        assert result.coverage == 1.0
        assert result.counts["hidden"] == 1
        shown = run(q, {"has_plan": True})
        assert shown.score == 50.0  # plan_quality skipped, counted as zero
        assert shown.counts["skipped"] == 1

    def test_an_answer_to_a_hidden_question_does_not_count(self) -> None:
        q = questionnaire(YesNo(id="has_plan"), scale("quality", when=Equals("has_plan", True)))
        result = run(q, {"has_plan": True, "quality": "a"})
        assert result.score == 50.0
        assert run(q, {"has_plan": False, "quality": "a"}).score == 0.0

    def test_hidden_dimension(self) -> None:
        q = Questionnaire(
            id="t",
            dimensions=(
                Dimension(
                    id="base",
                    questions=(
                        Numeric(
                            id="staff",
                            thresholds=(Threshold(min=0, points=0), Threshold(min=50, points=1)),
                        ),
                    ),
                ),
                Dimension(id="large", when=Compare("staff", "ge", 50), questions=(scale("a"),)),
            ),
        )
        result = run(q, {"staff": 10, "a": "a"})
        large = result.dimension("large")
        assert (large.score, large.coverage, large.applicable) == (None, None, False)
        assert result.score == 0.0
        assert large.counts["hidden"] == 1

    def test_nothing_applicable(self) -> None:
        q = questionnaire(scale("q", not_applicable=True))
        result = run(q, {"q": NOT_APPLICABLE})
        dim = result.dimensions[0]
        assert (dim.score, dim.coverage, dim.applicable) == (None, None, False)
        assert dim.note is not None
        assert "not applicable" in dim.note


def test_counts_per_state() -> None:
    q = questionnaire(
        scale("answered"),
        scale("dk", dont_know=True),
        scale("na", not_applicable=True),
        scale("skipped"),
        scale("missing"),
        scale("hidden", when=Equals("answered", "a")),
        TextQuestion(id="text"),
    )
    result = run(
        q, {"answered": "e", "dk": DONT_KNOW, "na": NOT_APPLICABLE, "skipped": SKIPPED, "text": "x"}
    )
    expected = {"answered": 1, "dont_know": 1, "not_applicable": 1, "skipped": 2, "hidden": 1}
    assert expected == dict(result.counts)
    assert expected == dict(result.dimensions[0].counts)


# -- bands -------------------------------------------------------------------------------------

BANDS = (Band(id="low", min=0, max=50), Band(id="high", min=50, max=100))


@pytest.mark.parametrize(
    ("answer", "band"), [("a", "low"), ("b", "low"), ("c", "high"), ("e", "high")]
)
def test_bands_at_their_boundaries(answer: str, band: str) -> None:
    """A band covers min <= score < max; the band ending at 100 includes 100."""
    q = Questionnaire(
        id="t", bands=BANDS, dimensions=(Dimension(id="d", bands=BANDS, questions=(scale("q"),)),)
    )
    result = run(q, {"q": answer})
    assert band == result.band
    assert band == result.dimensions[0].band


def test_bands_may_be_listed_in_any_order() -> None:
    q = Questionnaire(
        id="t",
        bands=tuple(reversed(BANDS)),
        dimensions=(Dimension(id="d", questions=(scale("q"),)),),
    )
    assert run(q, {"q": "e"}).band == "high"


# -- the trace ---------------------------------------------------------------------------------


class TestTrace:
    def test_contributions_and_effective_weights(self) -> None:
        q = questionnaire(*THREE, scale("q4"), scale("q5", not_applicable=True))
        result = run(q, {**ANSWERS, "q5": NOT_APPLICABLE}, trace=True)
        items = {i.question: i for i in result.dimensions[0].items}
        assert [items[k].effective_weight for k in ("q1", "q2", "q3", "q4", "q5")] == [
            0.25,
            0.5,
            0.25,
            0.0,
            0.0,
        ]
        assert items["q2"].contribution == 25.0
        assert math.fsum(i.contribution or 0 for i in items.values()) == result.score
        assert items["q4"].note is not None
        assert "left out" in items["q4"].note
        assert items["q5"].note is not None
        assert "not applicable" in items["q5"].note
        assert (items["q1"].state, items["q1"].value, items["q1"].points) == (
            State.ANSWERED,
            "b",
            1.0,
        )

    def test_no_contributions_for_non_linear_aggregations(self) -> None:
        result = run(questionnaire(*THREE, aggregation=Minimum()), ANSWERS, trace=True)
        assert all(i.contribution is None for i in result.dimensions[0].items)

    def test_untraced_results_have_no_items(self) -> None:
        result = run(questionnaire(*THREE), ANSWERS)
        assert not result.traced
        assert result.dimensions[0].items == ()


# -- the result --------------------------------------------------------------------------------


def test_result_records_instrument_and_metadata() -> None:
    q = Questionnaire(
        id="kit", version="2.1", dimensions=(Dimension(id="d", questions=(scale("q"),)),)
    )
    result = score(
        compile(q), Response(respondent="town", answers={"q": "e"}, metadata={"size": "small"})
    )
    assert (result.respondent, result.instrument, result.version) == ("town", "kit", "2.1")
    assert dict(result.metadata) == {"size": "small"}
    with pytest.raises(KeyError):
        result.dimension("nope")


def test_scoring_is_pure() -> None:
    plan = compile(questionnaire(*THREE))
    response = Response(respondent="r", answers=ANSWERS)
    assert score(plan, response) == score(plan, response)


# -- answers that do not fit -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "answer", "phrase"),
    [
        (scale("q"), "z", "not an option"),
        (scale("q"), True, "not an option"),
        (YesNo(id="q"), "maybe", "yes/no"),
        (Numeric(id="q", maximum=10, linear=Linear(low=0, high=10)), 11, "out of range"),
        (Numeric(id="q", integer=True, linear=Linear(low=0, high=10)), 2.5, "whole number"),
        (Numeric(id="q", linear=Linear(low=0, high=10)), "ten", "not a number"),
        (Numeric(id="q", linear=Linear(low=0, high=10)), math.inf, "finite"),
        (
            MultipleChoice(id="q", options=options(1, 2), max_selected=1),
            ("a", "b"),
            "2 options chosen",
        ),
        (MultipleChoice(id="q", options=options(1, 2)), ("a", "a"), "twice"),
        (MultipleChoice(id="q", options=options(1, 2)), ("a", "x"), "'x'"),
        (TextQuestion(id="q"), 3, "text"),
        (scale("q"), DONT_KNOW, "don't know"),
        (scale("q"), NOT_APPLICABLE, "not applicable"),
        (scale("q"), State.HIDDEN, "found by scoring"),
    ],
)
def test_an_answer_that_does_not_fit_names_question_and_value(
    question: Question, answer: AnswerValue, phrase: str
) -> None:
    plan = compile(questionnaire(question, scale("other")))
    with pytest.raises(ResponseError) as info:
        score(plan, Response(respondent="r9", answers={"q": answer}))
    (problem,) = info.value.problems
    assert problem.path == "answers.q"
    assert phrase in str(problem)
    assert "'r9'" in problem.message


def test_all_bad_answers_are_reported_at_once() -> None:
    plan = compile(questionnaire(scale("q1"), scale("q2")))
    with pytest.raises(ResponseError) as info:
        score(plan, Response(respondent="r", answers={"q1": "x", "q2": "y", "q3": "a", "q11": "a"}))
    problems = {p.path: p for p in info.value.problems}
    assert {"answers.q1", "answers.q2", "answers.q3", "answers.q11"} == set(problems)
    assert problems["answers.q11"].hint == "did you mean 'q1'?"


def test_a_long_chain_of_conditions_scores_without_deep_recursion() -> None:
    """Each question depends on the next one: evaluating the first must not recurse 2000 deep."""
    n = 2000
    chain = [YesNo(id=f"q{i}", when=Equals(f"q{i + 1}", True)) for i in range(n)]
    plan = compile(questionnaire(*chain, YesNo(id=f"q{n}")))
    everything = {f"q{i}": True for i in range(n + 1)}
    assert score(plan, Response(respondent="r", answers=everything)).score == 100.0
    del everything[f"q{n}"]  # the last one unanswered hides all the others
    result = score(plan, Response(respondent="r", answers=everything))
    assert (result.counts["hidden"], result.counts["skipped"]) == (n, 1)


# -- exact problems for answers that do not fit ------------------------------------------------


def only_problem(question: Question, answer: object) -> Problem:
    """The one problem that scoring *answer* to *question* (beside another question) reports."""
    plan = compile(questionnaire(question, scale("other")))
    with pytest.raises(ResponseError) as info:
        score(plan, Response(respondent="r9", answers={question.id: answer}))  # type: ignore[dict-item]
    (problem,) = info.value.problems
    assert problem.path == f"answers.{question.id}"
    return problem


A_TO_E = "one of 'a', 'b', 'c', 'd', 'e'"
RANGED = Numeric(id="q", minimum=-2.5, maximum=7.25, linear=Linear(low=0, high=5))


@pytest.mark.parametrize(
    ("question", "answer", "message", "expected"),
    [
        (scale("q"), "z", "not an option of this question", A_TO_E),
        (scale("q"), True, "not an option of this question", A_TO_E),
        (scale("q"), 2, "not an option of this question", A_TO_E),
        (scale("q"), 2.5, "not an option of this question", A_TO_E),
        (scale("q"), ("a",), "not an option of this question", A_TO_E),
        (
            Choice(id="q", options=options(1, 2)),
            1.5,
            "not an option of this question",
            "one of 'a', 'b'",
        ),
        (YesNo(id="q"), "maybe", "not a yes/no answer", "true or false"),
        (YesNo(id="q"), 2, "not a yes/no answer", "true or false"),
        (YesNo(id="q"), 0.5, "not a yes/no answer", "true or false"),
        (RANGED, "ten", "not a number", "a number"),
        (RANGED, True, "not a number", "a number"),
        (RANGED, ("1",), "not a number", "a number"),
        (RANGED, math.inf, "not a finite number", "a finite number"),
        (RANGED, -math.inf, "not a finite number", "a finite number"),
        (RANGED, math.nan, "not a finite number", "a finite number"),
        (RANGED, 10**400, "not a finite number", "a finite number"),
        (RANGED, 7.5, "number out of range", "-2.5..7.25"),
        (RANGED, -3, "number out of range", "-2.5..7.25"),
        (
            Numeric(id="q", minimum=0.5, linear=Linear(low=0, high=5)),
            0,
            "number out of range",
            "0.5..",
        ),
        (
            Numeric(id="q", maximum=1e6, linear=Linear(low=0, high=5)),
            2e6,
            "number out of range",
            "..1e+06",
        ),
        (
            Numeric(id="q", integer=True, linear=Linear(low=0, high=5)),
            2.5,
            "not a whole number",
            "a whole number",
        ),
        (
            MultipleChoice(id="q", options=options(1, 2)),
            3,
            "not a list of options",
            "a list of option values",
        ),
        (
            MultipleChoice(id="q", options=options(1, 2)),
            2.0,
            "not a list of options",
            "a list of option values",
        ),
        (
            MultipleChoice(id="q", options=options(1, 2, 3)),
            ("a", "x", "b", "y"),
            "not options of this question: 'x', 'y'",
            "one of 'a', 'b', 'c'",
        ),
        (
            MultipleChoice(id="q", options=options(1, 2)),
            ("b", "b"),
            "an option is chosen twice",
            "each option at most once",
        ),
        (
            MultipleChoice(id="q", options=options(1, 2, 3), max_selected=2),
            ("a", "b", "c"),
            "3 options chosen",
            "0..2 options",
        ),
        (
            MultipleChoice(id="q", options=options(1, 2, 3), min_selected=2),
            "a",
            "1 options chosen",
            "2.. options",
        ),
        (
            MultipleChoice(id="q", options=options(1, 2, 3), min_selected=1),
            (),
            "0 options chosen",
            "1.. options",
        ),
        (TextQuestion(id="q"), 3, "free-text answer must be text", "a string"),
        (TextQuestion(id="q"), ("a",), "free-text answer must be text", "a string"),
    ],
)
def test_a_problem_says_what_was_expected_and_what_came(
    question: Question, answer: object, message: str, expected: str
) -> None:
    problem = only_problem(question, answer)
    assert problem.message == f"{message} (respondent 'r9')"
    assert problem.expected == expected
    assert problem.got == repr(answer)


@pytest.mark.parametrize(
    ("question", "state", "message"),
    [
        (scale("q"), DONT_KNOW, "question 'q' does not offer \"don't know\""),
        (
            scale("q", dont_know=True),
            NOT_APPLICABLE,
            "question 'q' does not offer \"not applicable\"",
        ),
        (scale("q", not_applicable=True), DONT_KNOW, "question 'q' does not offer \"don't know\""),
        (scale("q"), State.HIDDEN, "'hidden' is found by scoring, not given as an answer"),
        (YesNo(id="q"), State.ANSWERED, "'answered' is found by scoring, not given as an answer"),
    ],
)
def test_a_state_the_question_does_not_allow(
    question: Question, state: State, message: str
) -> None:
    problem = only_problem(question, state)
    assert (problem.message, problem.expected, problem.got) == (
        f"{message} (respondent 'r9')",
        None,
        None,
    )


@pytest.mark.parametrize("kind", [ScaleQuestion, MultipleChoice, Numeric, YesNo, TextQuestion])
def test_the_states_a_question_allows(kind: type[Question]) -> None:
    """don't know, not applicable and skipped are accepted wherever the question offers them,
    also for the kinds whose answers are measured rather than looked up."""
    extra: dict[str, Any] = {"dont_know": True, "not_applicable": True}
    if kind in (ScaleQuestion, MultipleChoice):
        extra["options"] = options(0, 1)
    if kind is Numeric:
        extra["linear"] = Linear(low=0, high=1)
    q = questionnaire(kind(id="q", **extra), scale("other"), scoring=Policies(min_coverage=0))
    for state, key in (
        (DONT_KNOW, "dont_know"),
        (NOT_APPLICABLE, "not_applicable"),
        (SKIPPED, "skipped"),
    ):
        result = run(q, {"q": state, "other": "e"})
        assert result.counts[key] == (0 if kind is TextQuestion else 1)  # free text: not counted
        assert result.score == 100.0


def test_an_unknown_question_is_named_with_the_respondent() -> None:
    plan = compile(questionnaire(scale("size"), scale("budget")))
    with pytest.raises(ResponseError) as info:
        score(plan, Response(respondent="r9", answers={"zzz": "a", "sise": "a", "budget": "a"}))
    problems = {p.path: p for p in info.value.problems}
    assert set(problems) == {"answers.zzz", "answers.sise"}
    unknown, close = problems["answers.zzz"], problems["answers.sise"]
    assert unknown.message == "unknown question 'zzz' (respondent 'r9')"
    assert unknown.expected == "a question id of the questionnaire"
    assert close.message == "unknown question 'sise' (respondent 'r9')"
    assert close.hint == "did you mean 'size'?"


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (12, "one of " + ", ".join(repr(chr(ord("a") + i)) for i in range(12))),
        (
            13,
            "one of " + ", ".join(repr(chr(ord("a") + i)) for i in range(12)) + ", ... (13 in all)",
        ),
        (
            20,
            "one of " + ", ".join(repr(chr(ord("a") + i)) for i in range(12)) + ", ... (20 in all)",
        ),
    ],
)
def test_a_long_list_of_options_is_shortened(count: int, expected: str) -> None:
    q = Choice(id="q", options=options(*range(count)))
    assert only_problem(q, "zz").expected == expected
    m = MultipleChoice(id="q", options=options(*range(count)))
    assert only_problem(m, ("zz",)).expected == expected


# -- answers that fit, in their other spellings ------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (" Yes ", 100.0),
        ("TRUE", 100.0),
        ("Ja", 100.0),
        ("false", 0.0),
        (" NEIN", 0.0),
        ("no", 0.0),
        (1, 100.0),
        (0, 0.0),
        (True, 100.0),
        (False, 0.0),
    ],
)
def test_yes_no_spellings(answer: AnswerValue, expected: float) -> None:
    q = YesNo(id="q", yes_points=3, no_points=1)
    result = run(questionnaire(q), {"q": answer}, trace=True)
    assert result.score == expected
    assert result.dimensions[0].items[0].points == (3.0 if expected else 1.0)


class TestNumericLimits:
    def test_both_limits_are_allowed(self) -> None:
        q = Numeric(id="q", minimum=2, maximum=6, linear=Linear(low=2, high=6))
        assert (item_score(q, 2), item_score(q, 6), item_score(q, 2.5)) == (0.0, 100.0, 12.5)

    def test_a_whole_float_is_a_whole_number(self) -> None:
        q = Numeric(id="q", integer=True, linear=Linear(low=0, high=4))
        assert item_score(q, 3.0) == 75.0

    def test_a_numpy_number_scores_like_a_plain_one(self) -> None:
        np = pytest.importorskip("numpy")
        q = Numeric(id="q", maximum=10, linear=Linear(low=0, high=4))
        assert item_score(q, np.float64(3.0)) == 75.0

    def test_below_the_first_step_earns_the_least_points(self) -> None:
        """A value under every threshold earns the smallest points of any step (not the first)."""
        q = Numeric(
            id="q",
            thresholds=(
                Threshold(min=10, points=2),
                Threshold(min=20, points=1),
                Threshold(min=30, points=3),
            ),
        )
        result = run(questionnaire(q), {"q": 5}, trace=True)
        assert result.dimensions[0].items[0].points == 1.0
        assert result.score == 0.0
        assert item_score(q, 10) == 50.0
        assert item_score(q, 29.5) == 0.0

    def test_linear_points(self) -> None:
        q = Numeric(id="q", linear=Linear(low=10, high=30, points=4))
        result = run(questionnaire(q), {"q": 15}, trace=True)
        assert result.dimensions[0].items[0].points == 1.0
        assert result.score == 25.0


class TestMultipleChoiceMethods:
    def test_max_of_nothing_is_zero_points(self) -> None:
        q = MultipleChoice(id="q", options=options(1, 2, 3), method="max")
        result = run(questionnaire(q), {"q": ()}, trace=True)
        assert (result.score, result.dimensions[0].items[0].points) == (0.0, 0.0)

    def test_max_takes_the_best_option_chosen(self) -> None:
        q = MultipleChoice(id="q", options=options(3, 1, 2), method="max")
        result = run(questionnaire(q), {"q": ("b", "a", "c")}, trace=True)
        assert result.dimensions[0].items[0].points == 3.0

    def test_sum_is_capped(self) -> None:
        q = MultipleChoice(id="q", options=options(1, 2, 3), method="sum", cap=4)
        result = run(questionnaire(q), {"q": ["b", "c"]}, trace=True)
        assert (result.score, result.dimensions[0].items[0].points) == (100.0, 4.0)
        below = run(questionnaire(q), {"q": ["a", "b"]}, trace=True)
        assert below.dimensions[0].items[0].points == 3.0

    def test_exactly_as_many_options_as_allowed(self) -> None:
        q = MultipleChoice(id="q", options=options(1, 2, 3), max_selected=2, min_selected=2)
        assert item_score(q, ("a", "c")) == pytest.approx(100 * 4 / 6)


# -- conditions --------------------------------------------------------------------------------

GATING = (
    Numeric(id="n", dont_know=True, linear=Linear(low=0, high=10)),
    YesNo(id="y"),
    scale("s"),
    MultipleChoice(id="m", options=(*options(1, 2, 3), Option(value="ab", points=1))),
    Choice(id="c", options=(Option(value="1", points=0), Option(value="2", points=1))),
    scale("g", when=Equals("y", True)),
)


def shown(when: Any, answers: Mapping[str, AnswerValue]) -> bool:
    """Whether a question asked only *when* the condition holds counts, given *answers*."""
    q = questionnaire(*GATING, scale("t", when=when))
    result = run(q, {**answers, "t": "e"}, trace=True)
    (item,) = (i for i in result.dimensions[0].items if i.question == "t")
    hidden = item.state is State.HIDDEN
    untraced = run(q, {**answers, "t": "e"})
    assert untraced.score == result.score
    assert untraced.counts == result.counts
    return not hidden


@pytest.mark.parametrize(
    ("when", "answers", "expected"),
    [
        (Compare("n", "gt", 5), {"n": 5}, False),
        (Compare("n", "gt", 5), {"n": 5.5}, True),
        (Compare("n", "ge", 5), {"n": 5}, True),
        (Compare("n", "ge", 5), {"n": 4.5}, False),
        (Compare("n", "lt", 5), {"n": 5}, False),
        (Compare("n", "lt", 5), {"n": 4}, True),
        (Compare("n", "le", 5), {"n": 5}, True),
        (Compare("n", "le", 5), {"n": 6}, False),
        (Compare("n", "ge", 0), {}, False),
        (Compare("n", "ge", 0), {"n": DONT_KNOW}, False),
        (Includes("m", "a"), {"m": ("b", "a")}, True),
        (Includes("m", "a"), {"m": ("b",)}, False),
        (Includes("m", "a"), {"m": "a"}, True),
        (OneOf("s", ("a", "b")), {"s": "b"}, True),
        (OneOf("s", ("a", "b")), {"s": "c"}, False),
        (OneOf("c", ("2",)), {"c": 2}, True),
        (Equals("s", "c"), {"s": "c"}, True),
        (Equals("s", "c"), {"s": "d"}, False),
        (Equals("y", True), {"y": True}, True),
        (Equals("y", True), {"y": " Ja"}, True),
        (Equals("y", True), {"y": False}, False),
        (Equals("y", False), {"y": "nein"}, True),
        (Equals("y", False), {"y": True}, False),
        (Equals("c", "2"), {"c": 2}, True),
        (Equals("c", "2"), {"c": "2"}, True),
        (Equals("c", "2"), {"c": 1.0}, False),
        (Equals("n", 5), {"n": 5.0}, True),
        (Equals("n", 5), {"n": 4}, False),
        (AllOf((Compare("n", "ge", 5), Equals("y", True))), {"n": 5, "y": True}, True),
        (AllOf((Compare("n", "ge", 5), Equals("y", True))), {"n": 5, "y": False}, False),
        (AllOf((Compare("n", "ge", 5), Equals("y", True))), {"n": 4, "y": True}, False),
        (AnyOf((Compare("n", "ge", 5), Equals("y", True))), {"n": 1, "y": False}, False),
        (AnyOf((Compare("n", "ge", 5), Equals("y", True))), {"n": 1, "y": True}, True),
        (AnyOf((Compare("n", "ge", 5), Equals("y", True))), {"n": 7}, True),
        (AnyOf((Compare("n", "ge", 5), Equals("y", True))), {}, False),
        (Not(Equals("y", True)), {"y": False}, True),
        (Not(Equals("y", True)), {"y": True}, False),
        (Not(Equals("y", True)), {}, True),
        (Not(Not(Compare("n", "lt", 5))), {"n": 2}, True),
        # g is asked only when y is yes: while hidden, its answer meets no condition
        (Equals("g", "c"), {"y": True, "g": "c"}, True),
        (Equals("g", "c"), {"y": False, "g": "c"}, False),
        (Equals("g", "c"), {"g": "c"}, False),
        (AnyOf((Equals("g", "c"), Compare("n", "gt", 100))), {"y": True, "g": "c"}, True),
        (AnyOf((Equals("g", "c"), Compare("n", "gt", 100))), {"y": False, "g": "c"}, False),
        (Not(Equals("g", "c")), {"y": False, "g": "c"}, True),
        (Not(Equals("g", "c")), {"y": True, "g": "c"}, False),
        (Not(Equals("g", "c")), {"y": True, "g": "d"}, True),
        (AllOf((Equals("g", "c"), Compare("n", "ge", 0))), {"y": True, "g": "c", "n": 1}, True),
        (AllOf((Equals("g", "c"), Compare("n", "ge", 0))), {"y": False, "g": "c", "n": 1}, False),
        # an option whose value holds another's: includes means chosen, not part of the text
        (Includes("m", "a"), {"m": "ab"}, False),
        (Includes("m", "ab"), {"m": "ab"}, True),
    ],
)
def test_conditions(when: Any, answers: Mapping[str, AnswerValue], expected: bool) -> None:
    assert shown(when, answers) is expected


def test_a_question_needs_its_own_and_its_dimensions_condition() -> None:
    q = Questionnaire(
        id="t",
        dimensions=(
            Dimension(id="base", questions=(YesNo(id="y"), scale("n"))),
            Dimension(
                id="more",
                when=Equals("y", True),
                questions=(scale("a"), scale("b", when=OneOf("n", ("d", "e")))),
            ),
        ),
    )
    answers = {"y": True, "n": "e", "a": "e", "b": "a"}
    assert run(q, answers).dimension("more").counts["hidden"] == 0
    assert run(q, {**answers, "n": "a"}).dimension("more").counts["hidden"] == 1
    assert run(q, {**answers, "y": False}).dimension("more").counts["hidden"] == 2
    assert run(q, {**answers, "y": False, "n": "a"}).dimension("more").counts["hidden"] == 2


# -- the trace, item by item -------------------------------------------------------------------

ONE_TO_FIVE = options(1, 2, 3, 4, 5)


def traced_items(policies: Policies, answers: Mapping[str, AnswerValue], **dimension: Any) -> Any:
    """The items of a dimension of 1..5 scales (w weighs 2) in every state, plus text."""
    q = questionnaire(
        ScaleQuestion(id="a", options=ONE_TO_FIVE),
        ScaleQuestion(id="w", weight=2, options=ONE_TO_FIVE),
        ScaleQuestion(id="dk", dont_know=True, options=ONE_TO_FIVE),
        ScaleQuestion(id="sk", options=ONE_TO_FIVE),
        ScaleQuestion(id="na", not_applicable=True, options=ONE_TO_FIVE),
        ScaleQuestion(id="h", when=Equals("a", "e"), options=ONE_TO_FIVE),
        TextQuestion(id="txt"),
        ScaleQuestion(id="un", scored=False, options=ONE_TO_FIVE),
        scoring=policies,
        **dimension,
    )
    given = {"dk": DONT_KNOW, "na": NOT_APPLICABLE, "txt": "hi", "un": "c", **answers}
    result = run(q, given, trace=True)
    return result, {i.question: i for i in result.dimensions[0].items}


def item(question: str, state: State, value: AnswerValue | None, **fields: Any) -> ItemResult:
    defaults: dict[str, Any] = {
        "points": None,
        "max_points": 5,
        "score": None,
        "weight": 1.0,
        "effective_weight": 0.0,
        "contribution": None,
        "note": None,
    }
    return ItemResult(question=question, state=state, value=value, **{**defaults, **fields})


NOT_COUNTED = {
    "na": item("na", NOT_APPLICABLE, None, note="not applicable: left out of the denominator"),
    "h": item(
        "h",
        State.HIDDEN,
        None,
        note="hidden: its condition is false, left out of the denominator",
    ),
    "txt": item(
        "txt",
        State.ANSWERED,
        "hi",
        max_points=0.0,
        weight=0.0,
        note="free text, not scored",
    ),
    "un": item("un", State.ANSWERED, "c", weight=0.0, note="not scored"),
}


def test_trace_of_filled_answers() -> None:
    """don't know counted as zero, skipped prorated: both fill in points, score and weight."""
    result, items = traced_items(
        Policies(dont_know=Zero(), skipped=Prorate()), {"a": "b", "w": "e"}
    )
    assert result.score == 60.0  # (0.25 + 2 * 1 + 0 + 0.75) / 5
    assert items == {
        "a": item(
            "a", State.ANSWERED, "b", points=2, score=25.0, effective_weight=0.2, contribution=5.0
        ),
        "w": item(
            "w",
            State.ANSWERED,
            "e",
            points=5,
            score=100.0,
            weight=2.0,
            effective_weight=0.4,
            contribution=40.0,
        ),
        "dk": item(
            "dk",
            DONT_KNOW,
            None,
            points=1.0,
            score=0.0,
            effective_weight=0.2,
            contribution=0.0,
            note="dont_know: counted as 0 (Zero)",
        ),
        "sk": item(
            "sk",
            SKIPPED,
            None,
            points=4.0,
            score=75.0,
            effective_weight=0.2,
            contribution=15.0,
            note="skipped: counted as 75 (Prorate)",
        ),
        **NOT_COUNTED,
    }


def test_trace_of_answers_left_out() -> None:
    result, items = traced_items(
        Policies(dont_know=Exclude(), skipped=Prorate()), {"a": "b", "w": "c"}
    )
    assert result.score == pytest.approx(100 * 1.25 / 3)
    assert items["dk"] == item(
        "dk",
        DONT_KNOW,
        None,
        note="dont_know: left out, weights renormalised (Exclude)",
    )
    assert items["sk"].note == "skipped: counted as 41.67 (Prorate)"
    assert items["sk"].points == pytest.approx(1 + 4 * 1.25 / 3)
    assert items["sk"].effective_weight == 0.25
    assert items["w"].effective_weight == 0.5
    assert {k: items[k] for k in NOT_COUNTED} == NOT_COUNTED


def test_trace_of_a_dimension_without_a_score() -> None:
    """Below the minimum coverage, the items keep their scores but contribute nothing."""
    result, items = traced_items(Policies(min_coverage=1.0), {"a": "b", "w": "e"})
    assert result.dimensions[0].score is None
    assert items["a"] == item(
        "a", State.ANSWERED, "b", points=2, score=25.0, effective_weight=pytest.approx(1 / 3)
    )
    assert items["sk"] == item(
        "sk", SKIPPED, None, note="skipped: left out, weights renormalised (Exclude)"
    )


def test_trace_without_contributions() -> None:
    """A minimum is no weighted sum: no item contributes a share of it."""
    result, items = traced_items(Policies(), {"a": "b", "w": "e"}, aggregation=Minimum())
    assert result.score == 25.0
    assert items["a"] == item(
        "a", State.ANSWERED, "b", points=2, score=25.0, effective_weight=pytest.approx(1 / 3)
    )
    assert items["w"].contribution is None


def test_a_traced_result_matches_the_untraced_one() -> None:
    q = Questionnaire(
        id="t",
        bands=BANDS,
        dimensions=(
            Dimension(id="d", bands=BANDS, questions=THREE),
            Dimension(
                id="e",
                aggregation=Minimum(),
                questions=tuple(scale(f"e{i}") for i in range(1, 5)),
                bands=BANDS,
            ),
        ),
    )
    answers = {**ANSWERS, "e1": "d", "e2": "e", "e3": "c"}
    plain, traced = run(q, answers), run(q, answers, trace=True)
    assert traced.traced
    assert not plain.traced
    for a, b in zip((plain, *plain.dimensions), (traced, *traced.dimensions)):
        assert (a.score, a.points, a.max_points, a.coverage, a.band, a.counts, a.note) == (
            b.score,
            b.points,
            b.max_points,
            b.coverage,
            b.band,
            b.counts,
            b.note,
        )
    assert (plain.dimension("e").score, plain.dimension("e").band) == (50.0, "high")
    assert (plain.dimension("d").score, plain.dimension("d").band) == (56.25, "high")
    assert [i.question for i in traced.dimension("e").items] == ["e1", "e2", "e3", "e4"]
    assert [i.value for i in traced.dimension("e").items] == ["d", "e", "c", None]
    assert [i.points for i in traced.dimension("e").items] == [3, 4, 2, None]


@pytest.mark.parametrize("trace", [False, True])
@pytest.mark.parametrize(
    ("answer", "band"),
    [("a", "low"), ("b", "mid"), ("c", "high"), ("d", "high"), ("e", "high")],
)
def test_bands_at_their_boundaries_also_for_a_minimum(
    answer: str, band: str | None, trace: bool
) -> None:
    """A minimum (an aggregation other than the weighted mean) and a traced result band their
    scores the same way: min <= score < max, and the band ending at 100 takes 100."""
    three = (
        Band(id="low", min=0, max=25),
        Band(id="mid", min=25, max=50),
        Band(id="high", min=50, max=100),
    )
    q = Questionnaire(
        id="t",
        bands=three,
        dimensions=(
            Dimension(id="d", bands=three, questions=(scale("q"),)),
            Dimension(id="m", bands=three, aggregation=Minimum(), questions=(scale("r"),)),
        ),
    )
    result = run(q, {"q": answer, "r": answer}, trace=trace)
    assert (result.dimension("d").band, result.dimension("m").band, result.band) == (
        band,
        band,
        band,
    )


def test_no_band_without_a_score() -> None:
    q = questionnaire(
        scale("q"), scale("r"), bands=BANDS, aggregation=Minimum(), scoring=Policies(min_coverage=1)
    )
    assert run(q, {"q": "e"}, trace=True).dimensions[0].band is None
    assert run(q, {"q": "e"}).dimensions[0].band is None


# -- what score() takes and gives --------------------------------------------------------------


def test_the_result_carries_the_root_of_the_tree() -> None:
    q = Questionnaire(
        id="kit",
        version="3",
        bands=BANDS,
        scoring=Policies(min_coverage=0.25),
        dimensions=(
            Dimension(id="d", questions=(scale("q1"), scale("q2"), TextQuestion(id="t"))),
            Dimension(id="e", questions=(scale("q3"),), scoring=Policies(min_coverage=1)),
        ),
    )
    result = score(
        compile(q),
        Response(
            respondent="r1", answers={"q1": "d", "t": "see", "q3": SKIPPED}, metadata={"size": 3}
        ),
    )
    assert (result.respondent, result.instrument, result.version) == ("r1", "kit", "3")
    assert (result.score, result.points, result.max_points) == (75.0, 3.0, 12.0)
    assert result.coverage == 0.25  # (0.5 + 0) / 2
    assert result.band == "high"
    assert dict(result.counts) == {
        "answered": 1,
        "dont_know": 0,
        "not_applicable": 0,
        "skipped": 2,
        "hidden": 0,
    }
    assert result.note is None
    assert [d.id for d in result.dimensions] == ["d", "e"]
    assert result.dimension("e").note == ("not assessable: coverage 0% is below the minimum 100%")
    assert dict(result.texts) == {"t": "see"}
    assert dict(result.metadata) == {"size": 3}
    assert result.traced is False
    empty = score(compile(q), Response(respondent="r2", answers={}))
    assert (empty.score, empty.band, empty.texts, empty.metadata) == (None, None, {}, {})
    assert empty.note == "not assessable: coverage 0% is below the minimum 25%"


def test_text_is_kept_only_from_free_text_questions() -> None:
    q = questionnaire(
        scale("q"),
        TextQuestion(id="t"),
        TextQuestion(id="u"),
        YesNo(id="y"),
        MultipleChoice(id="m", options=options(1, 2)),
        Choice(id="c", options=(Option(value="1", points=0), Option(value="2", points=1))),
    )
    result = run(q, {"q": "b", "t": "", "u": "more", "y": " Yes", "m": "a", "c": 2})
    assert dict(result.texts) == {"t": "", "u": "more"}
    assert result.score == pytest.approx(100 * (0.25 + 1 + 1 / 3 + 1) / 4)


def test_a_mapping_is_the_answers_of_an_anonymous_respondent() -> None:
    plan = compile(questionnaire(scale("q")))
    result = score(plan, {"q": "e"})
    assert (result.respondent, result.score) == (ANONYMOUS, 100.0)
    assert ANONYMOUS == "anonymous"
    with pytest.raises(ResponseError) as info:
        score(plan, {"q": "z"})
    assert (
        info.value.problems[0].message == "not an option of this question (respondent 'anonymous')"
    )


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (
            [{"q": "e"}],
            "score(response): expected a Response(respondent=..., answers={...}) or a mapping of"
            " question id -> answer, got the list [{'q': 'e'}]; score takes one response: call"
            " it for each, or see weltoffen.score_many for tables",
        ),
        (
            ({"q": "e"},),
            "score(response): expected a Response(respondent=..., answers={...}) or a mapping of"
            " question id -> answer, got the tuple ({'q': 'e'},); score takes one response: call"
            " it for each, or see weltoffen.score_many for tables",
        ),
        (
            "q=e",
            "score(response): expected a Response(respondent=..., answers={...}) or a mapping of"
            " question id -> answer, got the str 'q=e'",
        ),
    ],
)
def test_a_response_of_the_wrong_kind(response: object, message: str) -> None:
    plan = compile(questionnaire(scale("q")))
    with pytest.raises(TypeError) as info:
        score(plan, response)  # type: ignore[arg-type]
    assert str(info.value) == message


def test_a_questionnaire_is_no_plan() -> None:
    q = questionnaire(scale("q"))
    with pytest.raises(TypeError) as info:
        score(q, {"q": "e"})  # type: ignore[arg-type]
    message = str(info.value)
    assert message.startswith(
        "score(plan): expected a ScoringPlan from weltoffen.compile(questionnaire), got the"
        " Questionnaire"
    )
    assert message.endswith("; compile it first: plan = weltoffen.compile(questionnaire)")


def test_a_number_kept_only_for_a_condition() -> None:
    """An unscored number needs neither thresholds nor a straight line: it is recorded, earns
    nothing and can decide whether another question is asked."""
    q = questionnaire(
        Numeric(id="staff", scored=False), scale("large", when=Compare("staff", "ge", 50))
    )
    result = run(q, {"staff": 80, "large": "e"}, trace=True)
    assert result.score == 100.0
    staff = result.dimensions[0].items[0]
    assert (staff.value, staff.points, staff.note) == (80, None, "not scored")
    assert run(q, {"staff": 10, "large": "e"}).counts["hidden"] == 1


def test_every_gate_is_evaluated() -> None:
    """A combined condition does not stop the conditions after it from being evaluated."""
    q = questionnaire(
        YesNo(id="y"),
        scale("n"),
        scale("both", when=AllOf((Equals("y", True), Equals("n", "e")))),
        scale("one", when=Equals("n", "e")),
        scale("other", when=Equals("y", True)),
    )
    result = run(q, {"y": True, "n": "e", "both": "e", "one": "e", "other": "e"})
    assert (result.counts["hidden"], result.score) == (0, 100.0)
    partly = run(q, {"y": False, "n": "e", "both": "e", "one": "e", "other": "e"})
    assert partly.counts["hidden"] == 2


def test_above_the_top_of_the_line_earns_its_points() -> None:
    q = Numeric(id="q", linear=Linear(low=0, high=100, points=2))
    result = run(questionnaire(q), {"q": 150}, trace=True)
    assert (result.score, result.points, result.dimensions[0].items[0].points) == (100.0, 2, 2)


def test_every_bad_answer_after_a_bad_state_is_reported() -> None:
    plan = compile(questionnaire(scale("q"), scale("r"), scale("s")))
    with pytest.raises(ResponseError) as info:
        score(plan, {"q": DONT_KNOW, "r": "z", "s": NOT_APPLICABLE})
    assert [p.path for p in info.value.problems] == ["answers.q", "answers.r", "answers.s"]


def test_effective_weights_below_one() -> None:
    q = questionnaire(scale("a", weight=0.25), scale("b", weight=0.5))
    items = run(q, {"a": "e", "b": "a"}, trace=True).dimensions[0].items
    assert [i.effective_weight for i in items] == [pytest.approx(1 / 3), pytest.approx(2 / 3)]
    assert [i.contribution for i in items] == [pytest.approx(100 / 3), 0.0]


def test_a_question_of_weight_zero_answered_alone() -> None:
    """It has a score but no share of a dimension that has nothing to weigh."""
    q = questionnaire(scale("z", weight=0), scale("p"))
    result = run(q, {"z": "e"}, trace=True)
    assert result.score is None
    zero = result.dimensions[0].items[0]
    assert (zero.score, zero.effective_weight, zero.contribution) == (100.0, 0.0, None)


def test_a_table_cell_with_numbers_for_options() -> None:
    """score_many measures cells as score() does: a list of numbers is no list of options."""
    pd = pytest.importorskip("pandas")
    from weltoffen import score_many

    plan = compile(questionnaire(MultipleChoice(id="m", options=options(1, 2))))
    with pytest.raises(ResponseError) as info:
        score_many(plan, pd.DataFrame({"respondent": ["a"], "m": [[1, 2]]}))
    (problem,) = info.value.problems
    assert (problem.path, problem.message, problem.expected) == (
        "rows[0].m",
        "not a list of options",
        "a list of option values",
    )


def test_a_table_cell_with_a_number_of_its_own_type() -> None:
    """An int subclass (here an IntEnum code) in a table's cell scores as its number."""
    pd = pytest.importorskip("pandas")
    from weltoffen import score_many

    class Staff(enum.IntEnum):
        FEW = 5
        MANY = 50

    plan = compile(questionnaire(Numeric(id="n", linear=Linear(low=0, high=100))))
    cells = pd.Series([Staff.FEW, Staff.MANY], dtype=object)
    out = score_many(plan, pd.DataFrame({"respondent": ["a", "b"], "n": cells}))
    assert list(out["score"]) == [5.0, 50.0]
