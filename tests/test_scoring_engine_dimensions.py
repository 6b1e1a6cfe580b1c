"""Tests for how weltoffen.scoring.engine adds questions up into dimensions: every field of a
dimension result (score, points, coverage, counts, band, note) by hand, on both paths the engine
takes (the quick sums of a simple weighted mean, and the general aggregation used for everything
else and for every node of a trace), the constructor of dimension results, and how conditions
compare an answer with the value they name."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import questionnaire_and_responses, questionnaires
from weltoffen import (
    DONT_KNOW,
    NOT_APPLICABLE,
    SKIPPED,
    Band,
    Choice,
    Compare,
    Dimension,
    Equals,
    Numeric,
    OneOf,
    Option,
    Policies,
    Questionnaire,
    Response,
    Result,
    ScaleQuestion,
    Threshold,
    YesNo,
    compile,
    score,
)
from weltoffen.model import AnswerValue, Question
from weltoffen.model.conditions import Condition
from weltoffen.scoring import dimension_results
from weltoffen.scoring.dimension_results import plain_dimension_result, quick_dimension_result
from weltoffen.scoring.results import DimensionResult, Status
from weltoffen.strategies import (
    Exclude,
    GeometricMean,
    Minimum,
    Prorate,
    SumOfPoints,
    WeightedMean,
    Zero,
)

# every test here runs on both paths of score(): compiled and Python
pytestmark = pytest.mark.usefixtures("engine_path")

ZERO_TO_FOUR = tuple(Option(value=v, points=p) for p, v in enumerate("abcde"))
ONE_TO_FIVE = tuple(Option(value=v, points=p + 1) for p, v in enumerate("abcde"))


def scale(qid: str, **kwargs: Any) -> ScaleQuestion:
    """A 0..4 scale question: a=0, b=1, c=2, d=3, e=4."""
    return ScaleQuestion(id=qid, options=ZERO_TO_FOUR, **kwargs)


def _untraced(node: DimensionResult) -> DimensionResult:
    return attrs.evolve(node, items=(), dimensions=tuple(_untraced(d) for d in node.dimensions))


def both_ways(q: Questionnaire, answers: Mapping[str, AnswerValue]) -> Result:
    """The result of *answers*, after checking that a trace changes nothing but the items.

    With a trace every dimension goes through the general aggregation; without one a simple
    weighted mean takes a quicker path. Both must give the same numbers, states and notes.
    """
    plan = compile(q)
    response = Response(respondent="r", answers=answers)
    plain, traced = score(plan, response), score(plan, response, trace=True)
    assert plain == attrs.evolve(
        traced, traced=False, dimensions=tuple(_untraced(d) for d in traced.dimensions)
    )
    return plain


def one(*questions: Question, **dimension: Any) -> Questionnaire:
    """One dimension ``d`` holding *questions*."""
    return Questionnaire(id="t", dimensions=(Dimension(id="d", questions=questions, **dimension),))


def fields(d: DimensionResult) -> tuple[Any, ...]:
    """Everything of a dimension result but its children and items."""
    return (d.score, d.points, d.max_points, d.coverage, d.band, d.applicable, d.note)


NO_COUNTS = {"answered": 0, "dont_know": 0, "not_applicable": 0, "skipped": 0, "hidden": 0}


def counts(**some: int) -> dict[str, int]:
    return {**NO_COUNTS, **some}


#: Policies that count every missing answer as the bottom of its scale.
ZERO = Policies(dont_know=Zero(), skipped=Zero())
#: The three ways a dimension is aggregated: the quick path (a weighted mean excluding missing
#: answers), a weighted mean with a filling policy, and an aggregation that is not a mean.
PATHS = [
    pytest.param({}, id="quick"),
    pytest.param({"scoring": Policies(dont_know=Prorate(), skipped=Prorate())}, id="prorate"),
    pytest.param({"aggregation": GeometricMean()}, id="geometric"),
]
#: Paths that leave missing answers out.
UNFILLED = [
    pytest.param({}, id="quick"),
    pytest.param({"aggregation": Minimum()}, id="minimum"),
    pytest.param({"aggregation": GeometricMean()}, id="geometric"),
]


# -- one dimension of questions ----------------------------------------------------------------


class TestOneDimension:
    @pytest.mark.parametrize("how", PATHS)
    def test_every_field_when_all_is_answered(self, how: dict[str, Any]) -> None:
        """Answers 3 and 3 of 4 with weights 1 and 3: score 75, points 3 + 9 of 4 + 12."""
        bands = (Band(id="low", min=0, max=75), Band(id="high", min=75, max=100))
        q = one(scale("a"), scale("b", weight=3), bands=bands, **how)
        d = both_ways(q, {"a": "d", "b": "d"}).dimensions[0]
        assert fields(d) == (75.0, 12.0, 16.0, 1.0, "high", True, None)
        assert d.counts == counts(answered=2)
        assert (d.id, d.dimensions, d.items) == ("d", (), ())

    def test_weights_that_add_up_inexactly(self) -> None:
        """Weights 0.1, 0.2 and 0.7: what is answered covers 0.1 + 0.2 of 1.0."""
        weights = (0.1, 0.2, 0.7)
        q = one(*(scale(f"q{i}", weight=w) for i, w in enumerate(weights)))
        d = both_ways(q, {"q0": "e", "q1": "a"}).dimensions[0]
        assert d.score == pytest.approx(100 / 3)
        assert d.score == 100 * (0.1 / math.fsum([0.1, 0.2]))
        assert (d.points, d.max_points) == (0.4, 4.0)
        assert d.coverage == (0.1 + 0.2) / 1.0
        assert d.counts == counts(answered=2, skipped=1)

    def test_tiny_weights_next_to_a_large_one(self) -> None:
        """The weights answered are added up exactly (as fsum does), not one after the other."""
        q = one(scale("big"), scale("t1", weight=1e-16), scale("t2", weight=1e-16))
        d = both_ways(q, {"big": "a", "t1": "e", "t2": "e"}).dimensions[0]
        total = math.fsum([1.0, 1e-16, 1e-16])
        assert total != 1.0 + 1e-16 + 1e-16
        assert d.score == 100 * (math.fsum([1e-16, 1e-16]) / total)
        assert d.score > 0.0

    @pytest.mark.parametrize(
        ("how", "expected"),
        [
            pytest.param({}, 100 * 2.5 / 3, id="quick"),
            pytest.param({"scoring": ZERO}, 100 * 2.5 / 3, id="zero"),
            pytest.param({"aggregation": GeometricMean()}, 100 * 0.5 ** (1 / 3), id="geometric"),
        ],
    )
    def test_questions_that_take_no_part(self, how: dict[str, Any], expected: float) -> None:
        """Not applicable and hidden questions leave the points attainable and the coverage."""
        q = one(
            YesNo(id="has", weight=2),
            scale("na", weight=3, not_applicable=True),
            scale("shown", when=Equals("has", True)),
            scale("gone", weight=5, when=Equals("has", False)),
            **how,
        )
        d = both_ways(q, {"has": True, "na": NOT_APPLICABLE, "shown": "c"}).dimensions[0]
        # has: 1 of 1 point at weight 2; shown: 2 of 4 at weight 1
        assert fields(d) == (pytest.approx(expected), 4.0, 6.0, 1.0, None, True, None)
        assert d.counts == counts(answered=2, not_applicable=1, hidden=1)

    @pytest.mark.parametrize("how", PATHS)
    def test_nothing_applies(self, how: dict[str, Any]) -> None:
        q = one(scale("a", not_applicable=True), scale("b", when=Equals("a", "e")), **how)
        d = both_ways(q, {"a": NOT_APPLICABLE}).dimensions[0]
        note = "not applicable: none of its questions apply"
        assert fields(d) == (None, 0.0, 0.0, None, None, False, note)
        assert d.counts == counts(not_applicable=1, hidden=1)

    @pytest.mark.parametrize(
        "how",
        [
            pytest.param({}, id="quick"),
            pytest.param({"aggregation": Minimum()}, id="minimum"),
            pytest.param({"scoring": Policies(dont_know=Zero())}, id="zero-for-dont-know"),
        ],
    )
    def test_nothing_answered(self, how: dict[str, Any]) -> None:
        """Skipped questions count towards what could be earned, but nothing is scored."""
        q = one(scale("a", weight=2), scale("b"), bands=(Band(id="all", min=0, max=100),), **how)
        d = both_ways(q, {"a": SKIPPED}).dimensions[0]
        note = "not assessable: nothing answered"
        assert fields(d) == (None, 0.0, 12.0, 0.0, None, True, note)
        assert d.counts == counts(skipped=2)

    @pytest.mark.parametrize("how", UNFILLED)
    def test_coverage_below_the_minimum(self, how: dict[str, Any]) -> None:
        q = one(
            scale("a"),
            scale("b"),
            scale("c", weight=2, dont_know=True),
            scoring=Policies(min_coverage=0.6),
            **how,
        )
        d = both_ways(q, {"a": "e", "b": "e", "c": DONT_KNOW}).dimensions[0]
        note = "not assessable: coverage 50% is below the minimum 60%"
        assert fields(d) == (None, 8.0, 16.0, 0.5, None, True, note)
        assert d.counts == counts(answered=2, dont_know=1)

    @pytest.mark.parametrize("how", UNFILLED)
    def test_coverage_short_of_the_minimum_by_rounding_only(self, how: dict[str, Any]) -> None:
        """Weights 0.1, 0.7 answered of 0.1, 0.7, 0.2: a coverage of 4/5 less a rounding error
        meets a minimum of 4/5."""
        q = one(
            scale("a", weight=0.1),
            scale("b", weight=0.7),
            scale("c", weight=0.2),
            scoring=Policies(min_coverage=0.8),
            **how,
        )
        d = both_ways(q, {"a": "e", "b": "e"}).dimensions[0]
        assert d.coverage is not None
        assert d.coverage < 0.8
        assert d.coverage == pytest.approx(0.8)
        assert (d.score, d.note) == (100.0, None)

    @pytest.mark.parametrize("how", UNFILLED)
    def test_coverage_short_of_the_minimum_by_the_tolerance(self, how: dict[str, Any]) -> None:
        """A coverage of 0.5 - 1e-12 is taken as meeting a minimum of 0.5; one of 0.49 is not."""
        q = one(
            scale("a", weight=0.999999999998),
            scale("b", weight=1.000000000002),
            scoring=Policies(min_coverage=0.5),
            **how,
        )
        d = both_ways(q, {"a": "e"}).dimensions[0]
        assert d.coverage == pytest.approx(0.5 - 1e-12, abs=1e-15)
        assert (d.score, d.note) == (100.0, None)
        short = one(scale("a", weight=49), scale("b", weight=51), **how)
        short = attrs.evolve(
            short, scoring=Policies(dont_know=Exclude(), skipped=Exclude(), min_coverage=0.5)
        )
        d = both_ways(short, {"a": "e"}).dimensions[0]
        assert (d.score, d.note) == (None, "not assessable: coverage 49% is below the minimum 50%")

    @pytest.mark.parametrize(
        "how",
        [
            pytest.param({}, id="quick"),
            pytest.param({"scoring": Policies(skipped=Prorate())}, id="prorate"),
        ],
    )
    def test_scores_close_to_the_ends_are_kept(self, how: dict[str, Any]) -> None:
        """A quarter point at weight 1 of 100 is a score of 0.25, not 0; likewise near 100."""
        low = one(scale("a"), scale("b", weight=99), **how)
        assert both_ways(low, {"a": "b", "b": "a"}).dimensions[0].score == 0.25
        high = one(scale("a"), scale("b", weight=99), **how)
        assert both_ways(high, {"a": "c", "b": "e"}).dimensions[0].score == 99.5


# -- missing answers filled in by a policy -----------------------------------------------------


class TestFilledAnswers:
    def test_zero_counts_the_bottom_of_the_scale_in_points(self) -> None:
        """Options worth 1..5 at weight 2: a question filled with zero earns 2 * 1 points."""
        q = one(
            ScaleQuestion(id="a", options=ONE_TO_FIVE, weight=2),
            ScaleQuestion(id="b", options=ONE_TO_FIVE, weight=2, dont_know=True),
            scoring=Policies(dont_know=Zero()),
        )
        d = both_ways(q, {"a": "e", "b": DONT_KNOW}).dimensions[0]
        assert fields(d) == (50.0, 12.0, 20.0, 0.5, None, True, None)
        assert d.counts == counts(answered=1, dont_know=1)

    def test_prorate_fills_with_the_mean_of_the_answers(self) -> None:
        """Answers 1/4 and 3/4 (weights 1, 1): a prorated question counts as 1/2, so
        2 * (1 + 0.5 * 4) = 6 points at weight 2."""
        q = one(
            ScaleQuestion(id="a", options=ONE_TO_FIVE),
            ScaleQuestion(id="b", options=ONE_TO_FIVE),
            ScaleQuestion(id="c", options=ONE_TO_FIVE, weight=2),
            scoring=Policies(skipped=Prorate()),
        )
        d = both_ways(q, {"a": "b", "b": "d"}).dimensions[0]
        assert fields(d) == (50.0, 12.0, 20.0, 0.5, None, True, None)
        assert d.counts == counts(answered=2, skipped=1)

    def test_each_missing_state_has_its_own_policy(self) -> None:
        """Don't know excluded, skipped as zero: only the skipped one lowers the score."""
        q = one(
            scale("a"),
            scale("dk", dont_know=True),
            scale("s"),
            scoring=Policies(dont_know=Exclude(), skipped=Zero()),
        )
        d = both_ways(q, {"a": "e", "dk": DONT_KNOW}).dimensions[0]
        assert fields(d) == (50.0, 4.0, 12.0, pytest.approx(1 / 3), None, True, None)
        assert d.counts == counts(answered=1, dont_know=1, skipped=1)
        other = one(*q.dimensions[0].questions, scoring=Policies(dont_know=Zero()))
        d = both_ways(other, {"a": "e", "dk": DONT_KNOW}).dimensions[0]
        assert d.score == 50.0  # now the skipped one is left out and don't know counts as zero
        assert (d.points, d.max_points) == (4.0, 12.0)

    def test_prorate_with_nothing_to_prorate_from(self) -> None:
        q = one(scale("a"), scale("b"), scoring=Policies(skipped=Prorate()))
        d = both_ways(q, {}).dimensions[0]
        assert fields(d) == (None, 0.0, 8.0, 0.0, None, True, "not assessable: nothing answered")

    def test_prorate_reads_scored_children_too(self) -> None:
        """A child dimension's score takes part in the mean that fills a question."""
        q = Questionnaire(
            id="t",
            dimensions=(
                Dimension(
                    id="top",
                    scoring=Policies(skipped=Prorate()),
                    questions=(scale("own"),),
                    dimensions=(Dimension(id="kid", questions=(scale("k"),)),),
                ),
            ),
        )
        top = both_ways(q, {"k": "d"}).dimension("top")
        assert fields(top) == (75.0, 6.0, 8.0, 0.5, None, True, None)
        assert top.counts == counts(answered=1, skipped=1)


# -- aggregations that are not a mean ----------------------------------------------------------


@attrs.frozen
class Fixed:
    """An aggregation that answers *value* whatever it is given (a careless plugin)."""

    value: float

    def aggregate(self, values: Sequence[float], weights: Sequence[float]) -> float:
        return self.value


@pytest.mark.parametrize(("raw", "expected"), [(1.5, 100.0), (-0.25, 0.0), (0.375, 37.5)])
def test_an_aggregation_out_of_range_is_clamped(raw: float, expected: float) -> None:
    d = both_ways(one(scale("a"), aggregation=Fixed(raw)), {"a": "a"}).dimensions[0]
    assert d.score == expected


def test_minimum_over_questions_and_children() -> None:
    """The minimum sees the child's score beside the dimension's own answers."""
    q = Questionnaire(
        id="t",
        dimensions=(
            Dimension(
                id="top",
                aggregation=Minimum(),
                questions=(scale("a"), scale("b")),
                dimensions=(Dimension(id="kid", questions=(scale("k1"), scale("k2"))),),
            ),
        ),
    )
    top = both_ways(q, {"a": "d", "b": "e", "k1": "b", "k2": "c"}).dimension("top")
    assert fields(top) == (37.5, 10.0, 16.0, 1.0, None, True, None)
    assert top.counts == counts(answered=4)


# -- dimensions of dimensions ------------------------------------------------------------------


def nested(top: dict[str, Any], kid: dict[str, Any]) -> Questionnaire:
    """top: questions t1 (weight 2), t2 and child dimensions x (weight 2) and y."""
    return Questionnaire(
        id="t",
        dimensions=(
            Dimension(
                id="top",
                questions=(scale("t1", weight=2), scale("t2", dont_know=True)),
                dimensions=(
                    Dimension(
                        id="x",
                        weight=2,
                        questions=(scale("x1"), scale("x2", not_applicable=True)),
                        **kid,
                    ),
                    Dimension(id="y", questions=(scale("y1"), scale("y2", when=Equals("t1", "a")))),
                ),
                **top,
            ),
        ),
    )


KINDS = [
    pytest.param({}, id="quick"),
    pytest.param({"scoring": Policies(dont_know=Zero())}, id="zero"),
    pytest.param({"aggregation": SumOfPoints(), "scoring": ZERO}, id="sum-zero"),
    pytest.param({"aggregation": GeometricMean()}, id="geometric"),
]


class TestNested:
    @pytest.mark.parametrize("kid", KINDS)
    @pytest.mark.parametrize("top", KINDS)
    def test_children_add_their_points_counts_and_coverage(
        self, top: dict[str, Any], kid: dict[str, Any]
    ) -> None:
        answers = {"t1": "e", "t2": "c", "x1": "b", "x2": NOT_APPLICABLE, "y1": "e"}
        result = both_ways(nested(top, kid), answers)
        x, y, t = result.dimension("x"), result.dimension("y"), result.dimension("top")
        assert fields(x) == (25.0, 1.0, 4.0, 1.0, None, True, None)
        assert x.counts == counts(answered=1, not_applicable=1)
        assert fields(y) == (100.0, 4.0, 4.0, 1.0, None, True, None)
        assert y.counts == counts(answered=1, hidden=1)
        assert t.counts == counts(answered=4, not_applicable=1, hidden=1)
        assert (t.points, t.max_points, t.coverage) == (15.0, 20.0, 1.0)
        assert [c.id for c in t.dimensions] == ["x", "y"]
        assert t.dimensions == (x, y)
        assert result.counts == t.counts

    def test_weighted_mean_of_questions_and_children(self) -> None:
        """(2 * 1 + 1 * 0.5 + 2 * 0.25 + 1 * 1) / 6 = 4 / 6."""
        answers = {"t1": "e", "t2": "c", "x1": "b", "x2": NOT_APPLICABLE, "y1": "e"}
        top = both_ways(nested({}, {}), answers).dimension("top")
        assert top.score == pytest.approx(400 / 6)

    @pytest.mark.parametrize("top", KINDS)
    def test_a_child_that_does_not_apply_is_left_out(self, top: dict[str, Any]) -> None:
        answers = {"t1": "e", "t2": "e", "x1": NOT_APPLICABLE, "x2": NOT_APPLICABLE, "y1": "e"}
        answers["x1"] = "a"
        q = nested(top, {"when": Equals("t2", "a")})
        result = both_ways(q, answers)
        x, t = result.dimension("x"), result.dimension("top")
        assert (x.applicable, x.score, x.coverage, x.max_points) == (False, None, None, 0.0)
        assert fields(t) == (100.0, 16.0, 16.0, 1.0, None, True, None)
        assert t.counts == counts(answered=3, hidden=3)

    @pytest.mark.parametrize("top", [k for k in KINDS if k.id != "sum-zero"])
    def test_a_child_without_a_score_still_counts_for_coverage(self, top: dict[str, Any]) -> None:
        """x is below its minimum coverage: its points and coverage count, its score does not."""
        kid = {"scoring": Policies(min_coverage=1.0)}
        q = nested(top, kid)
        q = attrs.evolve(
            q,
            dimensions=(
                attrs.evolve(
                    q.dimensions[0],
                    dimensions=(
                        attrs.evolve(
                            q.dimensions[0].dimensions[0],
                            questions=(scale("x1"), scale("x2"), scale("x3")),
                        ),
                        q.dimensions[0].dimensions[1],
                    ),
                ),
            ),
        )
        answers = {"t1": "e", "t2": "e", "x1": "e", "y1": "e"}
        result = both_ways(q, answers)
        x, t = result.dimension("x"), result.dimension("top")
        assert x.score is None
        assert (x.points, x.max_points, x.coverage) == (4.0, 12.0, pytest.approx(1 / 3))
        assert t.score == 100.0
        assert (t.points, t.max_points) == (20.0, 28.0)
        assert t.coverage == pytest.approx((2 + 1 + 2 / 3 + 1) / 6)
        assert t.counts == counts(answered=4, skipped=2, hidden=1)


@pytest.mark.parametrize("top", [k for k in KINDS if k.id != "sum-zero"])
def test_a_child_with_nothing_answered_lowers_the_coverage(top: dict[str, Any]) -> None:
    """y applies but has nothing answered: it counts with coverage 0 and no score."""
    answers = {"t1": "e", "t2": "e", "x1": "e", "x2": "e", "y1": SKIPPED}
    result = both_ways(nested(top, {}), answers)
    y, t = result.dimension("y"), result.dimension("top")
    assert fields(y) == (None, 0.0, 4.0, 0.0, None, True, "not assessable: nothing answered")
    assert t.coverage == pytest.approx(5 / 6)  # y, weight 1 of 6, has nothing answered
    assert (t.score, t.points, t.max_points) == (100.0, 20.0, 24.0)


@pytest.mark.parametrize("top", KINDS)
def test_tiny_weights_beside_a_child(top: dict[str, Any]) -> None:
    """A dimension's own weights and its child's are added up exactly, as fsum does."""
    q = Questionnaire(
        id="t",
        dimensions=(
            Dimension(
                id="top",
                questions=(scale("big"), *(scale(f"t{i}", weight=1e-16) for i in range(3))),
                dimensions=(Dimension(id="kid", questions=(scale("k"),)),),
                **top,
            ),
        ),
    )
    answers = {"big": "a", "t0": "e", "t1": "e", "t2": "e", "k": "e"}
    t = both_ways(q, answers).dimension("top")
    if "aggregation" not in top:
        weights = [1.0, 1e-16, 1e-16, 1e-16, 1.0]
        assert t.score == 100 * (math.fsum(weights[1:]) / math.fsum(weights))
        assert t.score == 50.0


def test_counts_beyond_one_bit_per_state() -> None:
    """Many questions in one state: counts of a child are carried whole into its parent."""
    q = Questionnaire(
        id="t",
        dimensions=(
            Dimension(
                id="top",
                questions=(scale("own"),),
                dimensions=(
                    Dimension(
                        id="kid",
                        questions=tuple(
                            scale(f"q{i}", dont_know=True, not_applicable=True) for i in range(11)
                        ),
                    ),
                ),
            ),
        ),
    )
    states = [DONT_KNOW] * 3 + [NOT_APPLICABLE] * 4 + ["e"] * 2 + [SKIPPED] * 2
    result = both_ways(q, {f"q{i}": s for i, s in enumerate(states)})
    expected = counts(answered=2, dont_know=3, not_applicable=4, skipped=3)
    assert result.dimension("top").counts == expected
    assert result.counts == expected
    assert result.dimension("kid").counts == counts(
        answered=2, dont_know=3, not_applicable=4, skipped=2
    )


# -- bands -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "band"),
    [("a", "low"), ("b", "low"), ("c", "mid"), ("d", "high"), ("e", "high")],
)
@pytest.mark.parametrize("how", PATHS)
def test_dimension_bands(answer: str, band: str, how: dict[str, Any]) -> None:
    """Bands are half-open, min <= score < max, except that the last one includes 100."""
    bands = (
        Band(id="high", min=75, max=100),
        Band(id="low", min=0, max=50),
        Band(id="mid", min=50, max=75),
    )
    d = both_ways(one(scale("q"), bands=bands, **how), {"q": answer}).dimensions[0]
    assert d.band == band


# -- the trace ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "how",
    [
        pytest.param({}, id="quick"),
        pytest.param({"scoring": Policies(skipped=Zero())}, id="zero"),
    ],
)
def test_a_trace_lists_each_question_with_its_share(how: dict[str, Any]) -> None:
    """With a trace, every dimension lists its questions: answered ones with their share of
    the score, and a skipped one, left out or counted as zero."""
    q = one(scale("a"), scale("b", weight=3), scale("s"), **how)
    plan = compile(q)
    result = score(plan, Response(respondent="r", answers={"a": "e", "b": "c"}), trace=True)
    d = result.dimensions[0]
    filled = "scoring" in how
    total = 5.0 if filled else 4.0
    assert d.score == pytest.approx(100 * 2.5 / total)
    a, b, s = d.items
    assert (a.question, a.points, a.score, a.effective_weight) == ("a", 4.0, 100.0, 1 / total)
    assert a.contribution == pytest.approx(100 / total)
    assert (b.question, b.points, b.score, b.effective_weight) == ("b", 2.0, 50.0, 3 / total)
    assert b.contribution == pytest.approx(150 / total)
    assert sum(i.contribution or 0.0 for i in d.items) == pytest.approx(d.score)
    assert s.question == "s"
    if filled:
        assert (s.points, s.score, s.effective_weight, s.contribution) == (0.0, 0.0, 0.2, 0.0)
        assert s.note == "skipped: counted as 0 (Zero)"
    else:
        assert (s.points, s.score, s.effective_weight, s.contribution) == (None, None, 0.0, None)
        assert s.note == "skipped: left out, weights renormalised (Exclude)"


def test_a_trace_of_a_dimension_without_a_score_has_no_contributions() -> None:
    q = one(scale("a"), scale("b"), scoring=Policies(min_coverage=1.0))
    result = score(compile(q), Response(respondent="r", answers={"a": "e"}), trace=True)
    a, b = result.dimensions[0].items
    assert (a.score, a.effective_weight, a.contribution) == (100.0, 1.0, None)
    assert (b.score, b.effective_weight, b.contribution) == (None, 0.0, None)


# -- properties --------------------------------------------------------------------------------


#: Mostly weighted means, which take the quick path without a trace.
MOSTLY_MEANS = [WeightedMean(), SumOfPoints(), WeightedMean(), Minimum()]


@settings(max_examples=40)
@given(questionnaire_and_responses(questionnaires(aggregations=MOSTLY_MEANS)))
def test_every_dimension_is_consistent(case: tuple[Questionnaire, list[Response]]) -> None:
    """Both paths agree (see both_ways); a score exactly when there is no note; applicable
    exactly when there is a coverage; the counts of a dimension include all of its children's."""
    q, (r,) = case
    result = both_ways(q, r.answers)
    for dim in result.iter_dimensions():
        assert (dim.score is None) == (dim.note is not None)
        assert dim.applicable == (dim.coverage is not None)
        if dim.score is not None:
            assert 0.0 <= dim.score <= 100.0
        if dim.band is not None:
            assert dim.score is not None
        for key in NO_COUNTS:
            assert dim.counts[key] >= sum(c.counts[key] for c in dim.dimensions)


# -- the constructor of dimension results ------------------------------------------------------

_floats = st.floats(allow_nan=False)
_maybe = st.none() | _floats
_results = st.tuples(
    st.text(max_size=3),
    _maybe,
    _floats,
    _floats,
    _maybe,
    st.none() | st.text(max_size=3),
    st.booleans(),
    st.dictionaries(st.sampled_from(sorted(NO_COUNTS)), st.integers(0, 9)),
    st.none() | st.text(max_size=3),
    st.sampled_from([(), (DimensionResult(id="c", score=None, points=0.0, max_points=0.0,
                                           coverage=None),)]),
)  # fmt: skip


@given(_results)
def test_both_constructors_build_what_the_class_builds(args: tuple[Any, ...]) -> None:
    names = ("id", "score", "points", "max_points", "coverage", "band", "applicable", "counts")
    expected = DimensionResult(**dict(zip(names, args)), note=args[8], dimensions=args[9], items=())
    quick = quick_dimension_result()
    assert quick is not None
    args = (*args, Status.of(args[1], args[4]))
    for built in (quick(*args), plain_dimension_result(*args)):
        assert type(built) is DimensionResult
        assert built == expected
        assert repr(built) == repr(expected)


def _variant(**changes: Any) -> type:
    """A copy of DimensionResult with one thing changed."""
    these: dict[str, Any] = {
        f.name: attrs.field(
            **({} if f.default is attrs.NOTHING else {"default": f.default}),
            **({} if f.converter is None else {"converter": f.converter}),
        )
        for f in attrs.fields(DimensionResult)
    }
    slots = changes.pop("slots", True)
    body = changes.pop("body", {})
    these.update(changes)
    return attrs.frozen(kw_only=True, slots=slots, these=these)(
        type("DimensionResult", (), dict(body))
    )


@pytest.mark.parametrize(
    "changed",
    [
        pytest.param(
            {"note": attrs.field(default=None, validator=lambda *_: None)}, id="validator"
        ),
        pytest.param({"note": attrs.field(default=None, converter=str)}, id="converter"),
        pytest.param({"extra": attrs.field(default=None)}, id="another-field"),
        pytest.param({"slots": False}, id="no-slots"),
        pytest.param({"body": {"__attrs_post_init__": lambda self: None}}, id="post-init"),
    ],
)
def test_a_changed_result_class_falls_back_to_its_own_init(
    monkeypatch: pytest.MonkeyPatch, changed: dict[str, Any]
) -> None:
    """The quick constructor steps aside for a class it might build wrongly."""
    monkeypatch.setattr(dimension_results, "DimensionResult", _variant(**changed))
    assert quick_dimension_result() is None


def test_an_unchanged_copy_of_the_result_class_is_built_quickly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cls = _variant()
    monkeypatch.setattr(dimension_results, "DimensionResult", cls)
    quick = quick_dimension_result()
    assert quick is not None
    built = quick("d", 50.0, 1.0, 2.0, 1.0, None, True, {}, None, (), Status.SCORED)
    assert type(built) is cls
    assert built == cls(id="d", score=50.0, points=1.0, max_points=2.0, coverage=1.0, counts={})


# -- conditions comparing an answer with a value -----------------------------------------------


def shown(question: Question, answer: AnswerValue, when: Condition) -> bool:
    """Whether a question gated by *when* is shown after *answer* to *question*."""
    q = one(question, scale("gated", when=when))
    counted = both_ways(q, {question.id: answer}).counts
    return counted["hidden"] == 0


YN = YesNo(id="yn")
NUMBER = Numeric(id="n", thresholds=(Threshold(min=0, points=0), Threshold(min=5, points=1)))
CODED = Choice(id="c", options=(Option(value="1", points=0), Option(value="2", points=1)))


@pytest.mark.parametrize(
    ("question", "answer", "when", "expected"),
    [
        (YN, "yes", OneOf("yn", (True,)), True),
        (YN, " Ja ", Equals("yn", True), True),
        (YN, "no", Equals("yn", True), False),
        (YN, "NEIN", Equals("yn", False), True),
        (YN, "yes", Equals("yn", False), False),
        (YN, 1, Equals("yn", True), True),
        (YN, 0, Equals("yn", False), True),
        (YN, 0, Equals("yn", True), False),
        (YN, True, OneOf("yn", (True,)), True),
        (YN, False, OneOf("yn", (True,)), False),
        (YN, True, OneOf("yn", (1,)), False),
        (CODED, 2, OneOf("c", ("2",)), True),
        (CODED, 2.0, Equals("c", "2"), True),
        (CODED, 1, OneOf("c", ("2",)), False),
        (CODED, "2", OneOf("c", ("1", "2")), True),
        (NUMBER, 3, Equals("n", 3), True),
        (NUMBER, 3.0, OneOf("n", (3,)), True),
        (NUMBER, 3, Equals("n", 4), False),
        (NUMBER, 1, Equals("n", True), True),
        (NUMBER, 2, Equals("n", True), False),
        (NUMBER, 0, Compare("n", "lt", 1), True),
    ],
)
def test_a_condition_compares_the_answer_as_its_question_reads_it(
    question: Question, answer: AnswerValue, when: Condition, expected: bool
) -> None:
    assert shown(question, answer, when) is expected
