"""Tests for weltoffen.analysis.advice: strongest/weakest, open items and exact what-if gains."""

from __future__ import annotations

import math
from collections.abc import Mapping

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from weltoffen import (
    DONT_KNOW,
    NOT_APPLICABLE,
    Dimension,
    Equals,
    Numeric,
    Option,
    Questionnaire,
    Response,
    Scale,
    ScaleQuestion,
    ScoringError,
    State,
    TextQuestion,
    Threshold,
    YesNo,
    compile,
    score,
)
from weltoffen.analysis.advice import Advice, advise
from weltoffen.model.questions import MultipleChoice
from weltoffen.strategies import GeometricMean, Minimum, Zero

LEVELS = Scale(
    id="level",
    options=tuple(Option(value=f"l{p}", points=p) for p in range(5)),
)


def scale(qid: str, weight: float = 1.0, **kw: object) -> ScaleQuestion:
    return ScaleQuestion(id=qid, scale="level", weight=weight, dont_know=True, **kw)  # type: ignore[arg-type]


def flat(*questions: object, **dim: object) -> Questionnaire:
    """One field 'a' holding *questions*, and a second field 'b' with one question."""
    return Questionnaire(
        id="t",
        scales=(LEVELS,),
        dimensions=(
            Dimension(id="a", questions=tuple(questions), **dim),  # type: ignore[arg-type]
            Dimension(id="b", questions=(scale("b1"),)),
        ),
    )


def run(q: Questionnaire, answers: Mapping[str, object], **kw: object) -> Advice:
    plan = compile(q)
    response = Response(respondent="r", answers=answers)  # type: ignore[arg-type]
    return advise(plan, score(plan, response, trace=True), response=response, **kw)  # type: ignore[arg-type]


class TestWhatIf:
    def test_gain_of_a_weighted_mean_by_hand(self) -> None:
        """Items at 0, 2, 4 of 4 (mean 50): raising the first to 4 gives 83.33, a gain of 33.33."""
        adv = run(
            flat(scale("q1"), scale("q2"), scale("q3")),
            {"q1": "l0", "q2": "l2", "q3": "l4", "b1": "l4"},
        )
        first = adv.field("a").what_if[0]
        assert first.question == "q1"
        assert [c.answer for c in first.changes] == ["l1", "l2", "l3", "l4"]
        assert pytest.approx(100 * 10 / 12 - 50) == first.best.gain
        assert first.best.answer == "l4"
        # the overall score is the mean of two fields, so it rises by half as much
        assert pytest.approx(first.best.gain / 2) == first.best.overall_gain

    def test_ranked_by_gain_then_document_order(self) -> None:
        """A heavier item gains more; equal gains keep document order; top items are absent."""
        q = flat(scale("q1"), scale("q2", weight=3), scale("q3"), scale("q4"))
        adv = run(q, {"q1": "l2", "q2": "l2", "q3": "l2", "q4": "l4", "b1": "l0"})
        assert [w.question for w in adv.field("a").what_if] == ["q2", "q1", "q3"]

    def test_top_limits_the_entries(self) -> None:
        """Only *top* entries are kept per field."""
        adv = run(
            flat(scale("q1"), scale("q2"), scale("q3")), {"q1": "l0", "q2": "l0", "q3": "l0"}, top=2
        )
        assert len(adv.field("a").what_if) == 2

    def test_dont_know_lists_only_answers_that_raise_the_field(self) -> None:
        """For a "don't know" only options above the field's current level are advice."""
        adv = run(flat(scale("q1"), scale("q2")), {"q1": DONT_KNOW, "q2": "l2"})
        entry = next(w for w in adv.field("a").what_if if w.question == "q1")
        assert entry.state == State.DONT_KNOW
        assert [c.answer for c in entry.changes] == ["l3", "l4"]

    def test_minimum_aggregation_only_the_weakest_item_helps(self) -> None:
        """With the minimum, raising any but the weakest item gains nothing, so it is not advice."""
        q = flat(scale("q1"), scale("q2"), scale("q3"), aggregation=Minimum())
        adv = run(q, {"q1": "l1", "q2": "l2", "q3": "l3"})
        entries = adv.field("a").what_if
        assert [w.question for w in entries] == ["q1"]
        # lifting q1 above q2 only reaches q2's level: the gain is capped at 25 points
        assert pytest.approx(25.0) == entries[0].best.gain

    def test_condition_revealing_a_follow_up_is_rescored(self) -> None:
        """Saying yes reveals a hidden follow-up; the gain counts its (zero-filled) score."""
        follow = scale("q2", when=Equals("q1", True))
        q = flat(YesNo(id="q1"), follow, scale("q3"), scoring=_zero_skipped())
        adv = run(q, {"q1": False, "q3": "l4"})
        entry = next(w for w in adv.field("a").what_if if w.question == "q1")
        # before: q1 0, q3 100 -> 50; after: q1 100, q2 skipped -> 0, q3 100 -> 66.67
        assert pytest.approx(100 * 2 / 3 - 50) == entry.best.gain

    def test_not_applicable_and_hidden_are_not_advice(self) -> None:
        """A question marked not applicable, or hidden by its condition, is not advice."""
        na = ScaleQuestion(id="q1", scale="level", not_applicable=True)
        hidden = scale("q2", when=Equals("q3", "l4"))
        adv = run(flat(na, hidden, scale("q3")), {"q1": NOT_APPLICABLE, "q2": "l0", "q3": "l0"})
        assert {"q3"} == {w.question for w in adv.field("a").what_if}

    def test_numeric_thresholds_propose_the_least_number_reaching_each_step(self) -> None:
        """A numeric question proposes the threshold values above its current step."""
        num = Numeric(
            id="n",
            minimum=0,
            maximum=100,
            integer=True,
            thresholds=(
                Threshold(min=0, points=0),
                Threshold(min=2.5, points=1),
                Threshold(min=10, points=2),
            ),
        )
        adv = run(flat(num, scale("q1")), {"n": 1, "q1": "l4"})
        assert [c.answer for c in adv.field("a").what_if[0].changes] == [3, 10]

    def test_multiple_choice_adds_one_option(self) -> None:
        """A multiple-choice answer is advised to add one more option."""
        mc = MultipleChoice(id="m", options=tuple(Option(value=v, points=1) for v in "xyz"))
        adv = run(flat(mc), {"m": ("x",)})
        changes = adv.field("a").what_if[0].changes
        assert [c.answer for c in changes] == [("x", "y"), ("x", "z")]

    def test_gain_in_a_subtopic_and_its_parent(self) -> None:
        """A sub-topic's advice measures the sub-topic; the parent's the parent's score."""
        q = Questionnaire(
            id="t",
            scales=(LEVELS,),
            dimensions=(
                Dimension(
                    id="p",
                    questions=(scale("p1"),),
                    dimensions=(Dimension(id="c", questions=(scale("c1"), scale("c2"))),),
                ),
            ),
        )
        adv = run(q, {"p1": "l4", "c1": "l0", "c2": "l4"})
        assert pytest.approx(50.0) == adv.field("c").what_if[0].best.gain
        assert pytest.approx(25.0) == adv.field("p").what_if[0].best.gain
        assert adv.field("p").what_if[0].dimension == "c"


class TestExtremes:
    def test_strongest_and_weakest_order_with_ties(self) -> None:
        """Highest first; ties go to the heavier item, then to document order; no item twice."""
        q = flat(
            scale("q1"),
            scale("q2", weight=2),
            scale("q3"),
            scale("q4"),
            scale("q5"),
            scale("q6", weight=2),
            scale("q7"),
        )
        answers = {
            "q1": "l4",
            "q2": "l4",
            "q3": "l3",
            "q4": "l0",
            "q5": "l1",
            "q6": "l0",
            "q7": "l3",
        }
        field = run(q, answers).field("a")
        assert [n.question for n in field.strongest] == ["q2", "q1", "q3"]
        assert [n.question for n in field.weakest] == ["q6", "q4", "q5"]
        assert [n.score for n in field.strongest] == [100.0, 100.0, 75.0]

    def test_few_items_are_split_without_overlap(self) -> None:
        """With four answered items, two are strongest and two weakest."""
        field = run(
            flat(scale("q1"), scale("q2"), scale("q3"), scale("q4")),
            {"q1": "l1", "q2": "l2", "q3": "l3", "q4": "l0"},
        ).field("a")
        assert [n.question for n in field.strongest] == ["q3", "q2"]
        assert [n.question for n in field.weakest] == ["q4", "q1"]

    def test_full_marks_are_never_weak_and_zero_never_strong(self) -> None:
        """All items at full marks: nothing is weak; all at zero: nothing is strong."""
        top = run(flat(scale("q1"), scale("q2")), {"q1": "l4", "q2": "l4"}).field("a")
        bottom = run(flat(scale("q1"), scale("q2")), {"q1": "l0", "q2": "l0"}).field("a")
        assert (top.weakest, bottom.strongest) == ((), ())

    def test_only_answered_scored_items_count(self) -> None:
        """Don't know, skipped and free text are neither strong nor weak."""
        q = flat(scale("q1"), scale("q2"), scale("q3"), TextQuestion(id="t1"))
        field = run(q, {"q1": "l3", "q2": DONT_KNOW, "t1": "evidence"}).field("a")
        assert [n.question for n in field.strongest + field.weakest] == ["q1"]


class TestOpen:
    def test_open_items_in_document_order_with_their_state(self) -> None:
        """Don't know and skipped scored questions are open, across sub-topics, in order."""
        q = Questionnaire(
            id="t",
            scales=(LEVELS,),
            dimensions=(
                Dimension(
                    id="p",
                    questions=(scale("p1"), scale("p2"), TextQuestion(id="t1")),
                    dimensions=(Dimension(id="c", questions=(scale("c1"), scale("c2"))),),
                ),
            ),
        )
        adv = run(q, {"p1": DONT_KNOW, "p2": "l1", "c2": "l1"})
        opened = adv.field("p").open
        assert [(o.question, o.dimension, o.state) for o in opened] == [
            ("p1", "p", State.DONT_KNOW),
            ("c1", "c", State.SKIPPED),
        ]
        assert [o.question for o in adv.field("c").open] == ["c1"]


class TestInputs:
    def test_untraced_result_is_refused(self) -> None:
        """Advice needs the trace."""
        plan = compile(flat(scale("q1")))
        with pytest.raises(ScoringError, match="traced"):
            advise(plan, score(plan, Response(respondent="r")))

    def test_result_of_another_instrument_is_refused(self) -> None:
        """A result must come from the plan's instrument."""
        plan = compile(flat(scale("q1")))
        other = compile(attrs.evolve(flat(scale("q1")), id="other"))
        with pytest.raises(ScoringError, match="instrument"):
            advise(plan, score(other, Response(respondent="r"), trace=True))

    def test_answers_read_back_from_the_trace_give_the_same_advice(self) -> None:
        """Without the response, the trace's answers lead to the same advice."""
        q = flat(YesNo(id="q1", dont_know=True), scale("q2", when=Equals("q1", True)), scale("q3"))
        plan = compile(q)
        response = Response(respondent="r", answers={"q1": True, "q2": "l1", "q3": DONT_KNOW})
        result = score(plan, response, trace=True)
        assert advise(plan, result, response=response) == advise(plan, result)


def _zero_skipped() -> object:
    from weltoffen import Policies

    return Policies(skipped=Zero())


# -- property: every reported gain is the exact rescoring difference ----------------------------

_TREE = Questionnaire(
    id="t",
    scales=(LEVELS,),
    dimensions=(
        Dimension(
            id="a",
            aggregation=GeometricMean(),
            questions=(
                YesNo(id="y", dont_know=True),
                scale("s1", when=Equals("y", True)),
                scale("s2", weight=2),
            ),
            dimensions=(Dimension(id="c", questions=(scale("c1"), scale("c2"))),),
        ),
        Dimension(id="b", aggregation=Minimum(), questions=(scale("b1"), scale("b2"))),
    ),
)
_PLAN = compile(_TREE)
_level = st.sampled_from(["l0", "l1", "l2", "l3", "l4", DONT_KNOW, None])


@st.composite
def _responses(draw: st.DrawFn) -> Response:
    answers: dict[str, object] = {"y": draw(st.sampled_from([True, False, DONT_KNOW, None]))}
    for qid in ("s1", "s2", "c1", "c2", "b1", "b2"):
        answers[qid] = draw(_level)
    return Response(respondent="r", answers={k: v for k, v in answers.items() if v is not None})  # type: ignore[misc]


@settings(max_examples=60, deadline=None)
@given(_responses())
def test_every_gain_equals_the_rescored_difference(response: Response) -> None:
    """For every field and change: gain == score after the single change − score before, > 0."""
    base = score(_PLAN, response, trace=True)
    adv = advise(_PLAN, base, response=response)
    for field in adv.iter_fields():
        gains = [w.best.gain for w in field.what_if]
        assert sorted(gains, reverse=True) == gains
        for entry in field.what_if:
            for change in entry.changes:
                changed = attrs.evolve(
                    response, answers={**response.answers, entry.question: change.answer}
                )
                after = score(_PLAN, changed)
                before = base.dimension(field.dimension).score
                assert before is not None
                expected = after.dimension(field.dimension).score
                assert expected is not None
                assert math.isclose(expected - before, change.gain, abs_tol=1e-9)
                assert change.gain > 0
                if base.score is not None and after.score is not None:
                    assert change.overall_gain is not None
                    assert math.isclose(after.score - base.score, change.overall_gain, abs_tol=1e-9)
