"""Tests for weltoffen.scoring.plan: what compile() works out once for every later score.

The plan is public (``ScoringPlan``, ``NodePlan``, ``QuestionPlan``): these tests pin down its
nodes, questions, conditions and weights on small questionnaires whose plan is easy to work out
by hand, and the problems compile() reports when a weighting scheme misbehaves.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from weltoffen import (
    AllOf,
    AnyOf,
    Band,
    DefinitionError,
    Dimension,
    Equals,
    Not,
    Option,
    Policies,
    Questionnaire,
    Response,
    Scale,
    ScaleQuestion,
    TextQuestion,
    YesNo,
    compile,
    score,
)
from weltoffen.exceptions import Problem, ProblemCode
from weltoffen.model import Condition, Question
from weltoffen.scoring.plan import ScoringPlan
from weltoffen.strategies import (
    Equal,
    Exclude,
    Fixed,
    ItemCount,
    Minimum,
    Prorate,
    SumOfPoints,
    WeightedMean,
    Zero,
)
from weltoffen.typing import Child

ZERO_TO_FOUR = tuple(Option(value=v, points=p) for p, v in enumerate("abcde"))
ZERO_TO_TWO = ZERO_TO_FOUR[:3]


def nested() -> Questionnaire:
    """A questionnaire whose plan is worked out by hand in the tests below.

    t (root, zero for don't know, nothing else set)
      d1 (when z is yes; bands hi and lo, given highest first)
        s     scale 0..4, reversed, weight 2
        txt   free text
        yn    yes 3 / no 1, when s is a
        d11 (sum of points; skipped prorated, coverage 0.5)
          s2  scale 0..2
          u   yes/no, not scored
      d2 (weight 3)
        z     yes/no
    """
    return Questionnaire(
        id="t",
        scoring=Policies(dont_know=Zero(), skipped=None, min_coverage=None),
        dimensions=(
            Dimension(
                id="d1",
                when=Equals("z", True),
                bands=(Band(id="hi", min=50, max=100), Band(id="lo", min=0, max=50)),
                questions=(
                    ScaleQuestion(id="s", options=ZERO_TO_FOUR, reverse=True, weight=2),
                    TextQuestion(id="txt"),
                    YesNo(id="yn", yes_points=3, no_points=1, when=Equals("s", "a")),
                ),
                dimensions=(
                    Dimension(
                        id="d11",
                        aggregation=SumOfPoints(),
                        scoring=Policies(skipped=Prorate(), min_coverage=0.5),
                        questions=(
                            ScaleQuestion(id="s2", options=ZERO_TO_TWO),
                            YesNo(id="u", scored=False),
                        ),
                    ),
                ),
            ),
            Dimension(id="d2", weight=3, questions=(YesNo(id="z"),)),
        ),
    )


def one_dimension(*questions: Question, **dimension: Any) -> Questionnaire:
    return Questionnaire(id="t", dimensions=(Dimension(id="d", questions=questions, **dimension),))


class TestQuestions:
    def test_in_definition_order_with_their_paths(self) -> None:
        plan = compile(nested())
        assert [(qp.question.id, qp.path) for qp in plan.questions] == [
            ("s", "dimensions[0].questions[0]"),
            ("txt", "dimensions[0].questions[1]"),
            ("yn", "dimensions[0].questions[2]"),
            ("s2", "dimensions[0].dimensions[0].questions[0]"),
            ("u", "dimensions[0].dimensions[0].questions[1]"),
            ("z", "dimensions[1].questions[0]"),
        ]
        assert plan.index == {"s": 0, "txt": 1, "yn": 2, "s2": 3, "u": 4, "z": 5}
        assert all(plan.questions[i].question.id == qid for qid, i in plan.index.items())

    def test_point_ranges_and_points(self) -> None:
        """Reverse keying turns the points around within the range; yes/no have two entries."""
        plan = compile(nested())
        got = {qp.question.id: (qp.lo, qp.hi, dict(qp.points)) for qp in plan.questions}
        assert got == {
            "s": (0, 4, {"a": 4, "b": 3, "c": 2, "d": 1, "e": 0}),
            "txt": (0.0, 0.0, {}),
            "yn": (1, 3, {"yes": 3, "no": 1}),
            "s2": (0, 2, {"a": 0, "b": 1, "c": 2}),
            "u": (0.0, 1.0, {"yes": 1.0, "no": 0.0}),
            "z": (0.0, 1.0, {"yes": 1.0, "no": 0.0}),
        }

    def test_reverse_keying_on_a_range_that_does_not_start_at_zero(self) -> None:
        options = tuple(Option(value=v, points=p) for v, p in (("x", 1), ("y", 2), ("z", 5)))
        plan = compile(one_dimension(ScaleQuestion(id="q", options=options, reverse=True)))
        assert dict(plan.questions[0].points) == {"x": 5, "y": 4, "z": 1}
        assert (plan.questions[0].lo, plan.questions[0].hi) == (1, 5)

    def test_a_question_on_a_shared_scale_takes_its_options(self) -> None:
        agree = Scale(
            id="agree", options=tuple(Option(value=v, points=p) for v, p in (("no", 1), ("yes", 3)))
        )
        q = Questionnaire(
            id="t",
            scales=(agree,),
            dimensions=(
                Dimension(
                    id="d",
                    questions=(
                        ScaleQuestion(id="plain", scale="agree"),
                        ScaleQuestion(id="reversed", scale="agree", reverse=True),
                    ),
                ),
            ),
        )
        plan = compile(q)
        assert [(qp.lo, qp.hi, dict(qp.points)) for qp in plan.questions] == [
            (1, 3, {"no": 1, "yes": 3}),
            (1, 3, {"no": 3, "yes": 1}),
        ]
        result = score(plan, Response(respondent="r", answers={"plain": "yes", "reversed": "no"}))
        assert result.score == 100.0

    def test_which_questions_count(self) -> None:
        """Free text and questions declared unscored are no child of their dimension."""
        plan = compile(
            one_dimension(
                YesNo(id="yes_no"),
                TextQuestion(id="text"),
                YesNo(id="unscored", scored=False),
                YesNo(id="heavy", weight=2.5),
            )
        )
        assert [(qp.question.id, qp.counts, qp.weight) for qp in plan.questions] == [
            ("yes_no", True, 1.0),
            ("text", False, 1.0),
            ("unscored", False, 1.0),
            ("heavy", True, 2.5),
        ]
        assert plan.root.questions == ()
        assert plan.node("d").questions == (0, 3)
        assert plan.node("d").listed == (0, 1, 2, 3)

    def test_gates_of_a_question_hold_its_dimensions_and_its_own(self) -> None:
        plan = compile(nested())
        assert plan.gates == (Equals("z", True), Equals("s", "a"))
        assert plan.gate_targets == ("dimensions[0]", "yn")
        assert [qp.gates for qp in plan.questions] == [(0,), (0,), (0, 1), (0,), (0,), ()]

    def test_a_condition_on_the_root_dimension_is_none(self) -> None:
        plan = compile(one_dimension(YesNo(id="a"), YesNo(id="b", when=Not(Equals("a", True)))))
        assert plan.gates == (Not(Equals("a", True)),)
        assert plan.gate_targets == ("b",)
        assert [qp.gates for qp in plan.questions] == [(), (0,)]
        assert plan.root.gate is None
        assert plan.node("d").gate is None


class TestConditionsThatReadLaterQuestions:
    """A condition may read a question defined after it, which has a condition of its own.

    a is shown when b is yes, b when c is yes, c when d is yes: each condition is settled only
    once the one it depends on is, whatever order they are defined in.
    """

    def plan(self) -> ScoringPlan:
        return compile(
            one_dimension(
                YesNo(id="a", when=Equals("b", True)),
                YesNo(id="b", when=Equals("c", True)),
                YesNo(id="c", when=Equals("d", True)),
                YesNo(id="d"),
            )
        )

    @pytest.mark.parametrize(
        ("answers", "hidden"),
        [
            ({"a": True, "b": True, "c": True, "d": True}, 0),
            ({"a": True, "b": True, "c": True, "d": False}, 3),
            ({"a": True, "b": True, "c": False, "d": True}, 2),
            ({"a": True, "b": False, "c": True, "d": True}, 1),
        ],
    )
    def test_the_chain_is_followed_to_its_end(self, answers: dict[str, bool], hidden: int) -> None:
        plan = self.plan()
        response = Response(respondent="r", answers=answers)
        for trace in (False, True):
            counts = score(plan, response, trace=trace).dimensions[0].counts
            assert (counts["answered"], counts["hidden"]) == (4 - hidden, hidden)

    def test_gates_are_numbered_in_definition_order(self) -> None:
        plan = self.plan()
        assert plan.gates == (Equals("b", True), Equals("c", True), Equals("d", True))
        assert plan.gate_targets == ("a", "b", "c")
        assert [qp.gates for qp in plan.questions] == [(0,), (1,), (2,), ()]


@pytest.mark.parametrize(
    ("when", "answers", "shown"),
    [
        (Not(Equals("a", True)), {"a": False, "b": True}, True),
        (Not(Equals("a", True)), {"a": True, "b": True}, False),
        (AllOf((Equals("a", True), Equals("b", True))), {"a": True, "b": True}, True),
        (AllOf((Equals("a", True), Equals("b", True))), {"a": True, "b": False}, False),
        (AnyOf((Equals("a", True), Equals("b", True))), {"a": False, "b": True}, True),
        (AnyOf((Equals("a", True), Equals("b", True))), {"a": False, "b": False}, False),
    ],
)
def test_conditions_that_combine_others(
    when: Condition, answers: dict[str, bool], shown: bool
) -> None:
    """c (placed after a and b) is shown only when its combined condition holds."""
    plan = compile(one_dimension(YesNo(id="a"), YesNo(id="b"), YesNo(id="c", when=when)))
    response = Response(respondent="r", answers={**answers, "c": True})
    for trace in (False, True):
        counts = score(plan, response, trace=trace).dimensions[0].counts
        assert counts["hidden"] == (0 if shown else 1)


class TestNodes:
    def test_every_child_before_its_parent_the_root_last(self) -> None:
        plan = compile(nested())
        assert [(n.id, n.path) for n in plan.nodes] == [
            ("d11", "dimensions[0].dimensions[0]"),
            ("d1", "dimensions[0]"),
            ("d2", "dimensions[1]"),
            ("t", ""),
        ]
        assert plan.root is plan.nodes[-1]
        assert [n.children for n in plan.nodes] == [(), (0,), (), (1, 2)]

    def test_scored_and_listed_questions(self) -> None:
        plan = compile(nested())
        assert [(n.questions, n.listed) for n in plan.nodes] == [
            ((3,), (3, 4)),
            ((0, 2), (0, 1, 2)),
            ((5,), (5,)),
            ((), ()),
        ]

    def test_weights_and_point_ranges(self) -> None:
        """A sum of points weighs each question by its point range; a mean by its weight."""
        plan = compile(nested())
        d11, d1, d2, root = plan.nodes
        assert (d11.question_weights, d11.question_agg, d11.point_range) == ((1.0,), (2.0,), 2.0)
        assert (d1.question_weights, d1.question_agg) == ((2.0, 1.0), (2.0, 1.0))
        assert (d1.child_weights, d1.child_agg) == ((1.0,), (1.0,))
        assert d1.point_range == 2 * 4 + 1 * 2 + 1 * 2
        assert (d2.question_weights, d2.point_range) == ((1.0,), 1.0)
        assert (root.child_weights, root.child_agg) == ((1.0, 3.0), (1.0, 3.0))
        assert root.point_range == 12 + 3 * 1

    def test_child_weights_by_points_under_a_sum_of_points(self) -> None:
        q = Questionnaire(
            id="t",
            aggregation=SumOfPoints(),
            dimensions=(
                Dimension(id="a", questions=(ScaleQuestion(id="q1", options=ZERO_TO_FOUR),)),
                Dimension(id="b", weight=2, questions=(YesNo(id="q2"),)),
            ),
        )
        root = compile(q).root
        assert (root.child_weights, root.child_agg, root.point_range) == ((1, 2), (4, 2), 6)

    def test_item_count_weighting_sees_how_many_questions_a_child_holds(self) -> None:
        """Only scored questions count as items, also those of grandchildren."""
        q = Questionnaire(
            id="t",
            weighting=ItemCount(),
            dimensions=(
                Dimension(
                    id="a",
                    questions=(YesNo(id="q1"), TextQuestion(id="note"), YesNo(id="q2")),
                    dimensions=(Dimension(id="aa", questions=(YesNo(id="q3"),)),),
                ),
                Dimension(id="b", questions=(YesNo(id="q4"),)),
            ),
        )
        assert compile(q).root.child_weights == (3.0, 1.0)

    def test_what_a_weighting_scheme_is_told_about_the_children(self) -> None:
        """Questions first, then child dimensions, each with its declared weight and items."""
        seen = Recording()
        q = Questionnaire(
            id="t",
            dimensions=(
                Dimension(
                    id="d",
                    weighting=seen,
                    questions=(YesNo(id="q1", weight=2), TextQuestion(id="note"), YesNo(id="q2")),
                    dimensions=(
                        Dimension(
                            id="dd",
                            weight=0.5,
                            questions=(YesNo(id="q3"), YesNo(id="q4")),
                            dimensions=(Dimension(id="ddd", questions=(YesNo(id="q5"),)),),
                        ),
                    ),
                ),
            ),
        )
        compile(q)
        assert seen.children == [
            Child(id="q1", weight=2, items=1, is_dimension=False),
            Child(id="q2", weight=1.0, items=1, is_dimension=False),
            Child(id="dd", weight=0.5, items=3, is_dimension=True),
        ]

    def test_aggregation_and_whether_it_is_linear(self) -> None:
        plan = compile(nested())
        assert [(type(n.aggregation), n.linear) for n in plan.nodes] == [
            (SumOfPoints, True),
            (WeightedMean, True),
            (WeightedMean, True),
            (WeightedMean, True),
        ]
        node = compile(one_dimension(YesNo(id="q"), aggregation=Minimum())).node("d")
        assert (node.aggregation, node.linear) == (Minimum(), False)

    def test_policies_are_inherited_unless_a_dimension_overrides_them(self) -> None:
        """Unset questionnaire defaults mean: exclude missing answers, no minimum coverage."""
        plan = compile(nested())
        assert [(n.id, n.dont_know, n.skipped, n.min_coverage) for n in plan.nodes] == [
            ("d11", Zero(), Prorate(), 0.5),
            ("d1", Zero(), Exclude(), 0.0),
            ("d2", Zero(), Exclude(), 0.0),
            ("t", Zero(), Exclude(), 0.0),
        ]

    def test_questionnaire_defaults_reach_every_node(self) -> None:
        q = Questionnaire(
            id="t",
            scoring=Policies(dont_know=None, skipped=Zero(), min_coverage=0.25),
            dimensions=(
                Dimension(
                    id="d",
                    questions=(YesNo(id="q"),),
                    dimensions=(Dimension(id="dd", questions=(YesNo(id="r"),)),),
                ),
            ),
        )
        plan = compile(q)
        assert [(n.id, n.dont_know, n.skipped, n.min_coverage) for n in plan.nodes] == [
            ("dd", Exclude(), Zero(), 0.25),
            ("d", Exclude(), Zero(), 0.25),
            ("t", Exclude(), Zero(), 0.25),
        ]

    def test_a_coverage_of_zero_set_on_a_dimension_overrides_the_default(self) -> None:
        q = Questionnaire(
            id="t",
            scoring=Policies(min_coverage=0.5),
            dimensions=(
                Dimension(id="d", scoring=Policies(min_coverage=0.0), questions=(YesNo(id="q"),)),
            ),
        )
        assert [n.min_coverage for n in compile(q).nodes] == [0.0, 0.5]

    def test_bands_lowest_first_and_the_dimension_gate(self) -> None:
        plan = compile(nested())
        d1 = plan.node("d1")
        assert [b.id for b in d1.bands] == ["lo", "hi"]
        assert d1.gate == 0
        assert [n.gate for n in plan.nodes] == [None, 0, None, None]

    def test_the_root_carries_the_questionnaire_settings(self) -> None:
        bands = (Band(id="top", min=80, max=100), Band(id="rest", min=0, max=80))
        q = Questionnaire(
            id="survey",
            weighting=Equal(),
            aggregation=Minimum(),
            bands=bands,
            dimensions=(
                Dimension(id="a", weight=5, questions=(YesNo(id="q1"),)),
                Dimension(id="b", questions=(YesNo(id="q2"),)),
            ),
        )
        plan = compile(q)
        assert plan.questionnaire is q
        root = plan.root
        assert (root.id, root.path, root.aggregation) == ("survey", "", Minimum())
        assert root.child_weights == (1.0, 1.0)  # equal, whatever the declared weights
        assert [b.id for b in root.bands] == ["rest", "top"]


class TestNodeLookup:
    def test_by_dimension_id(self) -> None:
        plan = compile(nested())
        assert [plan.node(i).path for i in ("d11", "d1", "d2")] == [
            "dimensions[0].dimensions[0]",
            "dimensions[0]",
            "dimensions[1]",
        ]

    @pytest.mark.parametrize("unknown", ["nope", "t"])
    def test_unknown_ids_and_the_root_are_no_dimension(self, unknown: str) -> None:
        with pytest.raises(KeyError) as caught:
            compile(nested()).node(unknown)
        assert caught.value.args == (unknown,)


class TestCompile:
    def test_twice_gives_equal_plans(self) -> None:
        assert compile(nested()) == compile(nested())

    def test_not_a_questionnaire(self) -> None:
        with pytest.raises(TypeError) as caught:
            compile({"id": "t"})  # type: ignore[arg-type]
        assert str(caught.value).startswith(
            "compile(questionnaire): expected a Questionnaire, got the dict {'id': 't'}"
        )

    def test_every_problem_of_the_definition(self) -> None:
        # a rule of one object (a weight below 0) is refused where the object is built
        with pytest.raises(ValueError, match="'weight' must be a finite number >= 0: -1"):
            YesNo(id="q", weight=-1)
        q = one_dimension(YesNo(id="q", yes_points=1, no_points=1), YesNo(id="q"))
        with pytest.raises(DefinitionError) as caught:
            compile(q)
        paths = [p.path for p in caught.value.problems]
        assert "dimensions[0].questions[0]" in paths
        assert len(paths) >= 2


# -- weighting schemes that misbehave ------------------------------------------------------------


class Returns:
    """A weighting scheme that gives back *weights*, whatever the children."""

    def __init__(self, weights: Sequence[float]) -> None:
        self.weights = weights

    def weigh(self, children: Sequence[Child]) -> Sequence[float]:
        return self.weights


class Recording:
    """Weighs by the declared weights and keeps the children it was asked about."""

    def __init__(self) -> None:
        self.children: list[Child] = []

    def weigh(self, children: Sequence[Child]) -> Sequence[float]:
        self.children.extend(children)
        return [c.weight for c in children]


class Raises:
    """A weighting scheme with a bug."""

    def weigh(self, children: Sequence[Child]) -> Sequence[float]:
        raise ZeroDivisionError("division by zero")


def problems(q: Questionnaire) -> list[Problem]:
    with pytest.raises(DefinitionError) as caught:
        compile(q)
    return list(caught.value.problems)


def two_questions(weighting: object) -> Questionnaire:
    """Dimension ``d`` with yes/no questions q1 and q2 weighted by *weighting*."""
    return one_dimension(YesNo(id="q1"), YesNo(id="q2"), weighting=weighting)


class TestWeightingProblems:
    def test_the_scheme_rejects_its_parameters(self) -> None:
        assert problems(two_questions(Fixed(weights={"q1": 1.0}))) == [
            Problem(
                ProblemCode.BAD_VALUE,
                "fixed: missing child id(s) 'q2': give every child a value",
                location=("dimensions", 0, "weighting"),
            )
        ]

    def test_at_the_root_the_path_is_the_questionnaire_weighting(self) -> None:
        q = Questionnaire(
            id="t",
            weighting=Fixed(weights={"a": 1.0}),
            dimensions=(
                Dimension(id="a", questions=(YesNo(id="q1"),)),
                Dimension(id="b", questions=(YesNo(id="q2"),)),
            ),
        )
        assert problems(q) == [
            Problem(
                ProblemCode.BAD_VALUE,
                "fixed: missing child id(s) 'b': give every child a value",
                location=("weighting",),
            )
        ]

    def test_a_bug_in_the_scheme_is_reported_not_raised(self) -> None:
        assert problems(two_questions(Raises())) == [
            Problem(
                ProblemCode.STRATEGY_FAILED,
                "weighting failed: ZeroDivisionError: division by zero",
                location=("dimensions", 0, "weighting"),
            )
        ]

    @pytest.mark.parametrize("weights", [[1.0], [1.0, 1.0, 1.0]])
    def test_the_wrong_number_of_weights(self, weights: list[float]) -> None:
        assert problems(two_questions(Returns(weights))) == [
            Problem(
                ProblemCode.STRATEGY_FAILED,
                "weighting returned the wrong number of weights",
                location=("dimensions", 0, "weighting"),
                expected="2",
                got=str(len(weights)),
            )
        ]

    @pytest.mark.parametrize(
        ("weights", "bad"),
        [
            ([-1.0, 1.0], [("q1", "-1.0")]),
            ([1.0, float("inf")], [("q2", "inf")]),
            ([float("nan"), 2.0], [("q1", "nan")]),
        ],
    )
    def test_weights_that_are_negative_or_not_finite(
        self, weights: list[float], bad: list[tuple[str, str]]
    ) -> None:
        assert problems(two_questions(Returns(weights))) == [
            Problem(
                ProblemCode.STRATEGY_FAILED,
                f"weight of {qid!r} must be finite and >= 0",
                location=("dimensions", 0, "weighting"),
                got=w,
            )
            for qid, w in bad
        ]

    def test_no_positive_weight_among_bad_ones(self) -> None:
        assert problems(two_questions(Returns([-0.5, float("-inf")]))) == [
            Problem(
                ProblemCode.STRATEGY_FAILED,
                "weight of 'q1' must be finite and >= 0",
                location=("dimensions", 0, "weighting"),
                got="-0.5",
            ),
            Problem(
                ProblemCode.STRATEGY_FAILED,
                "weight of 'q2' must be finite and >= 0",
                location=("dimensions", 0, "weighting"),
                got="-inf",
            ),
            Problem(
                ProblemCode.CANNOT_SCORE,
                "every weight in dimension 'd' is zero",
                location=("dimensions", 0, "weighting"),
            ),
        ]

    def test_every_weight_zero(self) -> None:
        assert problems(two_questions(Returns([0.0, 0.0]))) == [
            Problem(
                ProblemCode.CANNOT_SCORE,
                "every weight in dimension 'd' is zero",
                location=("dimensions", 0, "weighting"),
            )
        ]

    @pytest.mark.parametrize("weights", [[0.0, 1.0], [0.5, 0.0], [0.0, 1e-300]])
    def test_one_positive_weight_is_enough(self, weights: list[float]) -> None:
        plan = compile(two_questions(Returns(weights)))
        assert plan.node("d").question_weights == tuple(weights)

    def test_weights_become_floats(self) -> None:
        plan = compile(two_questions(Returns([1, True])))  # type: ignore[list-item]
        assert [(w, type(w)) for w in plan.node("d").question_weights] == [
            (1.0, float),
            (1.0, float),
        ]

    def test_problems_of_several_dimensions_are_all_reported(self) -> None:
        q = Questionnaire(
            id="t",
            dimensions=(
                Dimension(id="a", questions=(YesNo(id="q1"),), weighting=Returns([])),
                Dimension(id="b", questions=(YesNo(id="q2"),), weighting=Returns([0.0])),
            ),
        )
        assert problems(q) == [
            Problem(
                ProblemCode.STRATEGY_FAILED,
                "weighting returned the wrong number of weights",
                location=("dimensions", 0, "weighting"),
                expected="1",
                got="0",
            ),
            Problem(
                ProblemCode.CANNOT_SCORE,
                "every weight in dimension 'b' is zero",
                location=("dimensions", 1, "weighting"),
            ),
        ]


def test_a_plan_scores_what_its_questionnaire_defines() -> None:
    """The hand-worked plan above, scored: d1 applies as z is yes, yn is hidden as s is not a."""
    plan = compile(nested())
    answers = {"z": True, "s": "b", "yn": True, "s2": "c"}
    result = score(plan, Response(respondent="r", answers=answers))
    by_id = {d.id: d for d in result.dimensions}
    assert by_id["d1"].score == pytest.approx((2 * 75 + 100) / 3)  # s reversed: b earns 3 of 4
    assert by_id["d1"].band == "hi"
    assert by_id["d2"].score == 100.0
    assert result.score == pytest.approx(((2 * 75 + 100) / 3 + 3 * 100) / 4)
