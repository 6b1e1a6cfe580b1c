"""The plan's flat layout for score(), and the engine's paths that rely on it.

score() adds up simple nodes (weighted means with missing answers excluded) from the layout in
one loop, and every other node, or every node when traced, through the general aggregation.
These tests hold the two together bit for bit (``repr`` shows every float in full), also where
the generated questionnaires of the property tests do not reach: weights that are not
multiples of a power of two, wide count lanes, odd answers.
"""

from __future__ import annotations

import itertools
import pickle
import random
from typing import Any

import attrs
import pytest
from hypothesis import given

from tests.strategies import (
    map_dimensions,
    questionnaire_and_responses,
    questionnaires,
    without_point_bands,
)
from weltoffen import (
    DONT_KNOW,
    NOT_APPLICABLE,
    SKIPPED,
    Dimension,
    Equals,
    MultipleChoice,
    Option,
    Policies,
    Questionnaire,
    Response,
    ResponseError,
    Result,
    ScaleQuestion,
    State,
    TextQuestion,
    YesNo,
    compile,
    score,
)
from weltoffen.instruments import load_instrument
from weltoffen.model.answers import AnswerValue
from weltoffen.scoring import layout as flat
from weltoffen.scoring.dimension_results import plain_dimension_result, quick_dimension_result
from weltoffen.scoring.layout import exact_sum
from weltoffen.scoring.plan import ScoringPlan
from weltoffen.scoring.results import DimensionResult, Status
from weltoffen.strategies import Exclude, Explicit, Fixed, Minimum, SumOfPoints, WeightedMean, Zero

ZERO_TO_FOUR = tuple(Option(value=v, points=p) for p, v in enumerate("abcde"))


def _untraced(node: DimensionResult) -> DimensionResult:
    return attrs.evolve(node, items=(), dimensions=tuple(_untraced(d) for d in node.dimensions))


def general(plan: ScoringPlan, response: Response) -> Result:
    """The result through the general aggregation of every node (the trace's path), untraced."""
    traced = score(plan, response, trace=True)
    return attrs.evolve(
        traced, traced=False, dimensions=tuple(_untraced(d) for d in traced.dimensions)
    )


def assert_same(plan: ScoringPlan, response: Response) -> None:
    expected, actual = general(plan, response), score(plan, response)
    assert repr(expected) == repr(actual)


def with_odd_weights(q: Questionnaire) -> Questionnaire:
    """*q* with declared weights like 0.4 and 1/3 that no power of two divides."""

    def odd(dim: Dimension) -> Dimension:
        return attrs.evolve(
            dim,
            questions=tuple(
                attrs.evolve(x, weight=x.weight * 0.1 + 0.3 if x.weight > 0 else 0.0)
                for x in dim.questions
            ),
            dimensions=tuple(attrs.evolve(d, weight=d.weight / 3) for d in dim.dimensions),
            weighting=Explicit(),
        )

    return attrs.evolve(without_point_bands(map_dimensions(q, odd)), weighting=Explicit())


SIMPLE = questionnaires(
    aggregations=(WeightedMean(), SumOfPoints()), policy_kinds=(Exclude(),), otherwise=True
)


class TestLayout:
    def test_each_node_reads_its_scored_questions_in_order(self) -> None:
        """A node's slots hold its scored questions in its order; every question has a slot."""
        plan = compile(load_instrument("weltoffene-kommune", "1.0"))
        layout = plan.layout
        assert sorted(layout.slots) == list(range(len(plan.questions)))
        at = {slot: qi for qi, slot in enumerate(layout.slots)}
        for node, rows in zip(plan.nodes, layout.nodes):
            assert node.questions == tuple(at[s] for s in range(rows.start, rows.stop))

    def test_compiled_twice_or_pickled_the_layout_is_the_same(self) -> None:
        q = load_instrument("weltoffene-kommune", "1.0")
        plan = compile(q)
        assert compile(q).layout == plan.layout
        assert pickle.loads(pickle.dumps(plan)).layout == plan.layout

    @pytest.mark.parametrize("questions", [1, 7, 300])
    def test_counts_pack_and_unpack(self, questions: int) -> None:
        """A count lane holds any count up to the number of questions."""
        scales = tuple(ScaleQuestion(id=f"q{i}", options=ZERO_TO_FOUR) for i in range(questions))
        layout = compile(
            Questionnaire(id="t", dimensions=(Dimension(id="d", questions=scales),))
        ).layout
        counts = {s.value: questions - k % 2 for k, s in enumerate(State)}
        assert counts == layout.unpack(layout.pack(counts))

    def test_a_state_left_out_of_the_counts_packs_as_none(self) -> None:
        layout = compile(
            Questionnaire(id="t", dimensions=(Dimension(id="d", questions=(YesNo(id="q"),)),))
        ).layout
        packed = layout.pack({"skipped": 1})
        assert layout.unpack(packed) == {s.value: int(s is State.SKIPPED) for s in State}
        assert packed == layout.unit(State.SKIPPED)

    @pytest.mark.parametrize(
        ("weights", "exact"),
        [
            ([], True),
            ([1.0, 2.0, 0.0], True),
            ([0.5, 0.25, 3.0], True),
            ([0.1, 0.2], False),
            ([1 / 3], True),  # one float alone is its own exact sum
            ([1 / 3, 1 / 3], False),
            ([2.0**52, 2.0**52], False),
            ([2.0**52, 1.0], True),
            ([0.5, 2.0**52], False),  # 2**53 + 1 halves
            ([0.5, 2.0**52 - 1], True),
            ([5e-324, 1.0], False),  # the smallest float makes 1.0 a huge number of units
            ([float("inf"), 1.0], False),
            ([float("nan")], False),
        ],
    )
    def test_exact_weights(self, weights: list[float], exact: bool) -> None:
        """Exact: multiples of one power of two that add up to less than 2**53 of it."""
        assert exact == exact_sum(weights)


class TestTheSimpleNodesAddUpAsTheGeneralAggregation:
    @given(questionnaire_and_responses(SIMPLE.map(with_odd_weights), count=2))
    def test_weights_that_are_not_exact(self, case: tuple[Questionnaire, list[Response]]) -> None:
        q, responses = case
        plan = compile(q)
        for response in responses:
            assert_same(plan, response)

    @given(questionnaire_and_responses(SIMPLE, count=2, codes=True))
    def test_generated(self, case: tuple[Questionnaire, list[Response]]) -> None:
        q, responses = case
        plan = compile(q)
        for response in responses:
            assert_same(plan, response)

    def test_weights_whose_running_sum_rounds(self) -> None:
        """0.1 + 0.2 + 0.3 added in turn is not 0.6; the mean divides by fsum, as always."""
        questions = tuple(
            ScaleQuestion(id=f"q{i}", options=ZERO_TO_FOUR, weight=w)
            for i, w in enumerate((0.1, 0.2, 0.3))
        )
        q = Questionnaire(
            id="t",
            weighting=Explicit(),
            dimensions=(Dimension(id="d", questions=questions, weighting=Explicit()),),
        )
        plan = compile(q)
        response = Response(respondent="r", answers={"q0": "e", "q1": "e", "q2": "e"})
        assert score(plan, response).score == 100.0
        assert_same(plan, response)

    def test_the_self_check_with_every_state_and_hidden_questions(self) -> None:
        plan = compile(load_instrument("weltoffene-kommune", "1.0"))
        rnd = random.Random(5)
        read = {c.question for c in plan.gates if isinstance(c, Equals)}
        for _ in range(40):
            answers: dict[str, AnswerValue] = {}
            for qp in plan.questions:
                q = qp.question
                roll = rnd.random()
                if roll < 0.1:
                    continue
                if roll < 0.2:
                    answers[q.id] = SKIPPED
                elif roll < 0.3 and q.dont_know:
                    answers[q.id] = DONT_KNOW
                elif roll < 0.4 and q.not_applicable:
                    answers[q.id] = NOT_APPLICABLE
                elif q.id in read or isinstance(q, YesNo):
                    answers[q.id] = rnd.random() < 0.5
                elif qp.points and not isinstance(q, MultipleChoice):
                    answers[q.id] = rnd.choice(list(qp.points))
            assert_same(plan, Response(respondent="r", answers=answers))


class TestAnswersALookupMustNotTake:
    def plan(self) -> ScoringPlan:
        questions = (
            YesNo(id="yn", yes_points=2),
            MultipleChoice(id="mc", options=ZERO_TO_FOUR),
            ScaleQuestion(id="s", options=ZERO_TO_FOUR),
        )
        return compile(Questionnaire(id="t", dimensions=(Dimension(id="d", questions=questions),)))

    def test_one_for_yes_keeps_its_value(self) -> None:
        """1 counts as yes, as before, and the trace shows the 1 that was given."""
        result = score(self.plan(), Response(respondent="r", answers={"yn": 1}), trace=True)
        item = result.dimensions[0].items[0]
        assert (1, int, 2.0) == (item.value, type(item.value), item.points)

    @pytest.mark.parametrize(
        ("qid", "answer"), [("yn", 0.5), ("yn", "1.0"), ("s", ("a",)), ("s", ["a"])]
    )
    def test_no_match_for_an_answer_of_another_type(self, qid: str, answer: AnswerValue) -> None:
        with pytest.raises(ResponseError):
            score(self.plan(), Response(respondent="r", answers={qid: answer}))

    def test_a_list_of_options_scores_as_a_tuple(self) -> None:
        plan = self.plan()
        as_list = score(plan, Response(respondent="r", answers={"mc": ["a", "c"]}))  # type: ignore[dict-item]
        as_tuple = score(plan, Response(respondent="r", answers={"mc": ("a", "c")}))
        assert as_tuple == as_list


def test_results_are_built_without_the_keyword_init() -> None:
    """The quick constructor is in use and builds what the class's own __init__ builds."""
    quick = quick_dimension_result()
    assert quick is not None
    args = ("d", 50.0, 2.0, 4.0, 1.0, "mid", True, {"answered": 1}, None, (), Status.SCORED)
    built, expected = quick(*args), plain_dimension_result(*args)
    assert expected == built
    assert repr(expected) == repr(built)


class TestEveryStateInASimpleNode:
    """Every combination of answers and states on a small tree, through both ways of adding up.

    d holds a scale s (weight 2, allows don't know and not applicable), a yes/no y shown only
    when s is a, an unscored yes/no u, free text t, and a child dd (shown only when u is yes)
    with a 0..2 scale z. Unscored questions and free text count in no state.
    """

    ABSENT = object()

    def plan(self) -> ScoringPlan:
        d = Dimension(
            id="d",
            questions=(
                ScaleQuestion(
                    id="s", options=ZERO_TO_FOUR, weight=2, dont_know=True, not_applicable=True
                ),
                YesNo(
                    id="y", yes_points=3, no_points=1, when=Equals("s", "a"), not_applicable=True
                ),
                YesNo(id="u", scored=False),
                TextQuestion(id="t"),
            ),
            dimensions=(
                Dimension(
                    id="dd",
                    when=Equals("u", True),
                    questions=(ScaleQuestion(id="z", options=ZERO_TO_FOUR[:3], dont_know=True),),
                ),
            ),
        )
        return compile(Questionnaire(id="t", dimensions=(d,)))

    @staticmethod
    def state(answer: object) -> str:
        if answer is TestEveryStateInASimpleNode.ABSENT:
            return "skipped"
        return answer.value if isinstance(answer, State) else "answered"

    def test_counts_and_sums_agree(self) -> None:
        plan = self.plan()
        absent = self.ABSENT
        for s, y, u, z, t in itertools.product(
            [absent, "a", "e", SKIPPED, DONT_KNOW, NOT_APPLICABLE],
            [absent, True, False, NOT_APPLICABLE],
            [absent, True, False],
            [absent, "c", DONT_KNOW],
            [absent, "text"],
        ):
            given = {"s": s, "y": y, "u": u, "z": z, "t": t}
            answers = {k: v for k, v in given.items() if v is not absent}
            response = Response(respondent="r", answers=answers)  # type: ignore[arg-type]
            assert_same(plan, response)
            expected = dict.fromkeys((x.value for x in State), 0)
            expected[self.state(s)] += 1
            expected["hidden" if s != "a" else self.state(y)] += 1
            expected["hidden" if u is not True else self.state(z)] += 1
            d = score(plan, response).dimensions[0]
            assert dict(d.counts) == expected, given
            assert dict(d.dimensions[0].counts) == {
                k: int(k == ("hidden" if u is not True else self.state(z))) for k in expected
            }

    @pytest.mark.parametrize(
        ("answers", "points", "max_points", "value"),
        [
            ({"s": "a", "y": True, "u": True, "z": "c"}, 0 + 3 + 2, 8 + 3 + 2, (0 + 1 + 1) / 4),
            ({"s": "a", "y": False, "u": True, "z": "b"}, 0 + 1 + 1, 8 + 3 + 2, (0 + 0 + 0.5) / 4),
            ({"s": "e", "y": True}, 8, 8, 1.0),
            ({"s": "d", "u": True, "z": DONT_KNOW}, 6, 8 + 2, 0.75),  # don't know: 2 attainable
            ({"s": NOT_APPLICABLE, "u": True, "z": "c"}, 2, 2, 1.0),
            ({"s": "a", "y": NOT_APPLICABLE}, 0, 8, 0.0),
            ({"s": DONT_KNOW}, 0, 8, None),
        ],
    )
    def test_points_and_score(
        self, answers: dict[str, AnswerValue], points: float, max_points: float, value: float | None
    ) -> None:
        """Points are weighted; the score is the weighted mean of s (weight 2), y and dd."""
        d = score(self.plan(), Response(respondent="r", answers=answers)).dimensions[0]
        assert (d.points, d.max_points) == (points, max_points)
        assert d.score == (None if value is None else 100 * value)


def test_an_unscored_question_whose_answers_earn_the_same_points() -> None:
    """Its point range is zero: compiling and answering it work, and it counts in no state."""
    same = tuple(Option(value=v, points=1) for v in "xy")
    plan = compile(
        Questionnaire(
            id="t",
            dimensions=(
                Dimension(
                    id="d",
                    questions=(
                        ScaleQuestion(id="flat", options=same, scored=False),
                        YesNo(id="q"),
                    ),
                ),
            ),
        )
    )
    response = Response(respondent="r", answers={"flat": "y", "q": True})
    result = score(plan, response, trace=True)
    assert [(i.question, i.value, i.points) for i in result.dimensions[0].items] == [
        ("flat", "y", None),  # unscored: no points in the trace
        ("q", True, 1.0),
    ]
    assert result.dimensions[0].counts["answered"] == 1
    assert_same(plan, response)


def test_exactness_is_judged_on_the_aggregation_weights() -> None:
    """Weights 0.1, 0.2, 0.3 from the scheme are not exact, though the declared weights are."""
    questions = tuple(ScaleQuestion(id=f"q{i}", options=ZERO_TO_FOUR) for i in range(3))
    weighting = Fixed(weights={"q0": 0.1, "q1": 0.2, "q2": 0.3})
    q = Questionnaire(
        id="t", dimensions=(Dimension(id="d", questions=questions, weighting=weighting),)
    )
    plan = compile(q)
    response = Response(respondent="r", answers={"q0": "e", "q1": "e", "q2": "e"})
    assert score(plan, response).dimensions[0].score == 100.0
    assert_same(plan, response)


@pytest.mark.parametrize(
    ("dimension", "answers", "expected"),
    [
        ({"scoring": Policies(dont_know=Zero())}, {"a": "e", "b": DONT_KNOW}, 50.0),
        ({"scoring": Policies(skipped=Zero())}, {"a": "e"}, 50.0),
        ({"scoring": Policies(dont_know=Zero(), skipped=Zero())}, {"a": "e"}, 50.0),
        ({"aggregation": Minimum()}, {"a": "e", "b": "c"}, 50.0),
        ({"aggregation": Minimum(), "scoring": Policies(skipped=Zero())}, {"a": "e"}, 0.0),
    ],
)
def test_nodes_that_are_not_simple(
    dimension: dict[str, Any], answers: dict[str, AnswerValue], expected: float
) -> None:
    """Missing answers that count as zero, or another aggregation, change the score."""
    questions = (
        ScaleQuestion(id="a", options=ZERO_TO_FOUR),
        ScaleQuestion(id="b", options=ZERO_TO_FOUR, dont_know=True),
    )
    plan = compile(
        Questionnaire(id="t", dimensions=(Dimension(id="d", questions=questions, **dimension),))
    )
    response = Response(respondent="r", answers=answers)
    assert score(plan, response).dimensions[0].score == expected
    assert_same(plan, response)


def test_one_option_given_as_text_is_held_to_the_least_number_of_choices() -> None:
    """A multiple choice answered with one bare option counts as one choice."""
    question = MultipleChoice(id="mc", options=ZERO_TO_FOUR, min_selected=2, method="sum")
    plan = compile(Questionnaire(id="t", dimensions=(Dimension(id="d", questions=(question,)),)))
    with pytest.raises(ResponseError, match="1 options chosen"):
        score(plan, Response(respondent="r", answers={"mc": "b"}))
    assert score(plan, Response(respondent="r", answers={"mc": ("b", "c")})).points == 3.0


def test_the_names_of_a_row_are_its_positions() -> None:
    """Each field of a row is read by its name; the names follow ``ROW_FIELDS`` in order."""
    assert [getattr(flat, name.upper()) for name in flat.ROW_FIELDS] == list(
        range(len(flat.ROW_FIELDS))
    )
    plan = compile(
        Questionnaire(id="q", dimensions=(Dimension(id="d", questions=(YesNo(id="y"),)),))
    )
    row = plan.layout.tables["y"][True]
    named = dict(zip(flat.ROW_FIELDS, row))
    assert (named["kind"], named["state"], named["value"], named["points"]) == (
        bool,
        State.ANSWERED,
        True,
        1.0,
    )
    assert named["unit"] == plan.layout.unit(State.ANSWERED)
