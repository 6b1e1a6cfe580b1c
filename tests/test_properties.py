"""Invariants of compiling and scoring, checked over generated questionnaires and responses."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tests.strategies import (
    AGGREGATIONS,
    iter_conditions,
    map_dimensions,
    options_of,
    questionnaire_and_responses,
    questionnaires,
    without_point_bands,
)
from weltoffen import (
    Choice,
    Dimension,
    Equals,
    MultipleChoice,
    Numeric,
    Option,
    Questionnaire,
    Response,
    Result,
    Scale,
    ScaleQuestion,
    State,
    TextQuestion,
    YesNo,
    compile,
    dump_questionnaire,
    dump_responses,
    dump_result,
    load_questionnaire,
    load_responses,
    load_result,
    score,
)
from weltoffen.model import AnswerValue, Question
from weltoffen.model.conditions import referenced_questions
from weltoffen.scoring.check import point_range
from weltoffen.scoring.results import DimensionResult
from weltoffen.strategies import Equal, Explicit, SumOfPoints, WeightedMean

FORMATS = ("yaml", "json")
#: Randomly drawn conditions are sometimes dead logic; loading warns about it, rightly.
DEAD_LOGIC = "ignore:.*the condition of .* (can never hold|always holds):UserWarning"
TOL = 1e-9


def nodes(result: Result) -> Iterator[tuple[str, Result | DimensionResult]]:
    """The overall result (as ``""``) and every dimension result, by id."""
    yield "", result
    for dim in result.iter_dimensions():
        yield dim.id, dim


def scores(result: Result) -> dict[str, float | None]:
    return {key: node.score for key, node in nodes(result)}


def assert_scores_close(
    expected: dict[str, float | None], actual: dict[str, float | None], keys: Sequence[str]
) -> None:
    for key in keys:
        if expected[key] is None or actual[key] is None:
            assert expected[key] == actual[key], key
        else:
            assert expected[key] == pytest.approx(actual[key], rel=TOL, abs=TOL), key


def counted(question: Question) -> bool:
    return question.scored and not isinstance(question, TextQuestion)


def dimension_path(q: Questionnaire, dim_id: str) -> list[Dimension]:
    """The dimensions from the top level down to *dim_id*, inclusive."""

    def walk(dims: Sequence[Dimension], trail: list[Dimension]) -> list[Dimension] | None:
        for d in dims:
            if d.id == dim_id:
                return [*trail, d]
            found = walk(d.dimensions, [*trail, d])
            if found:
                return found
        return None

    found = walk(q.dimensions, [])
    assert found is not None
    return found


# -- ranges ------------------------------------------------------------------------------------


@given(questionnaire_and_responses(count=2))
def test_scores_and_coverage_stay_in_range(case: tuple[Questionnaire, list[Response]]) -> None:
    """Every score lies in 0..100 (or is null), every coverage in 0..1, points within their max."""
    q, rs = case
    plan = compile(q)
    for r in rs:
        result = score(plan, r)
        for key, node in nodes(result):
            assert node.score is None or 0.0 <= node.score <= 100.0, key
            assert node.coverage is None or 0.0 <= node.coverage <= 1.0, key
            low, high = _point_bounds(q, key)
            assert low - TOL <= node.points <= high + TOL, key
            if low == 0.0:  # without negative points, as before: points within their max
                assert 0.0 <= node.points <= node.max_points + TOL, key
            if _bands_on(q, key) == "points":
                # a total outside the bands (some questions missing) has none
                assert node.score is not None or node.band is None, key
            else:
                assert (node.score is None) == (node.band is None) or not _has_bands(q, key)


def _point_bounds(q: Questionnaire, key: str) -> tuple[float, float]:
    """Fewest and most points any response can earn in node *key* (questions may be skipped)."""
    scales = {s.id: s.options for s in q.scales}
    dims = [d for _, d in q.iter_dimensions() if d.id == key] if key else list(q.dimensions)
    low = high = 0.0
    for dim in dims:
        sub = Questionnaire(id="x", scales=q.scales, dimensions=(dim,))
        for _, question in sub.iter_questions():
            if counted(question):
                lo, hi = point_range(question, scales)
                if hi > lo:
                    low += min(0.0, question.weight * lo)
                    high += max(0.0, question.weight * hi)
    return low, high


def _bands_on(q: Questionnaire, key: str) -> str:
    if key == "":
        return q.bands_on
    return next(d.bands_on for _, d in q.iter_dimensions() if d.id == key)


def _has_bands(q: Questionnaire, key: str) -> bool:
    if key == "":
        return bool(q.bands)
    return any(bool(d.bands) for _, d in q.iter_dimensions() if d.id == key)


@given(questionnaire_and_responses())
def test_counts_cover_every_scored_question_once(
    case: tuple[Questionnaire, list[Response]],
) -> None:
    """The counts per state add up to the number of scored questions in the subtree."""
    q, (r,) = case
    result = score(compile(q), r)
    total = sum(1 for _, question in q.iter_questions() if counted(question))
    assert total == sum(result.counts.values())
    by_id = {d.id: d for _, d in q.iter_dimensions()}
    for dim in result.iter_dimensions():
        sub = Questionnaire(id="x", dimensions=(by_id[dim.id],))
        assert sum(1 for _, x in sub.iter_questions() if counted(x)) == sum(dim.counts.values())


# -- round trips -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.filterwarnings(DEAD_LOGIC)
@given(q=questionnaires(otherwise=True))
def test_questionnaire_round_trip(fmt: str, q: Questionnaire) -> None:
    """load(dump(q)) == q, through YAML and JSON."""
    text = dump_questionnaire(q, format=fmt)  # type: ignore[arg-type]
    assert q == load_questionnaire(text=text, format=fmt)  # type: ignore[arg-type]


@pytest.mark.filterwarnings(DEAD_LOGIC)
@given(case=questionnaire_and_responses(questionnaires(otherwise=True), count=2))
def test_the_trusted_converter_builds_what_the_checked_one_builds(
    case: tuple[Questionnaire, list[Response]],
) -> None:
    """Loading tries the converter that generates no code first: on data without a problem it
    must give exactly the objects the checked converter gives (which says what is wrong where
    the first one fails)."""
    from weltoffen.serialization.converter import make_converter

    q, rs = case
    checked, trusted = make_converter(), make_converter(trusted=True)
    data = checked.unstructure(q)
    assert trusted.structure(data, Questionnaire) == checked.structure(data, Questionnaire) == q
    for r in rs:
        plain = checked.unstructure(r)
        assert trusted.structure(plain, Response) == checked.structure(plain, Response) == r


@pytest.mark.parametrize("fmt", FORMATS)
@given(case=questionnaire_and_responses(count=2))
def test_responses_round_trip(fmt: str, case: tuple[Questionnaire, list[Response]]) -> None:
    """load(dump(responses)) == responses, through YAML and JSON."""
    _, rs = case
    text = dump_responses(rs, format=fmt)  # type: ignore[arg-type]
    assert rs == load_responses(text=text, format=fmt)  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", FORMATS)
@given(case=questionnaire_and_responses())
def test_traced_result_round_trip(fmt: str, case: tuple[Questionnaire, list[Response]]) -> None:
    """A traced result survives dumping and loading unchanged, through YAML and JSON."""
    q, (r,) = case
    result = score(compile(q), r, trace=True)
    text = dump_result(result, format=fmt)  # type: ignore[arg-type]
    assert result == load_result(text=text, format=fmt)  # type: ignore[arg-type]


# -- invariance --------------------------------------------------------------------------------


@given(case=questionnaire_and_responses(), data=st.data())
def test_permuting_questions_and_children_changes_no_score(
    case: tuple[Questionnaire, list[Response]], data: st.DataObject
) -> None:
    """The order of questions and of child dimensions is presentation, not scoring."""
    q, (r,) = case

    def shuffle(dim: Dimension) -> Dimension:
        return attrs.evolve(
            dim,
            questions=tuple(data.draw(st.permutations(dim.questions))),
            dimensions=tuple(data.draw(st.permutations(dim.dimensions))),
        )

    shuffled = map_dimensions(q, shuffle)
    shuffled = attrs.evolve(
        shuffled, dimensions=tuple(data.draw(st.permutations(shuffled.dimensions)))
    )
    before, after = score(compile(q), r), score(compile(shuffled), r)
    expected, actual = scores(before), scores(after)
    assert_scores_close(expected, actual, list(expected))
    for key, node in nodes(before):
        other = dict(nodes(after))[key]
        assert node.coverage == pytest.approx(other.coverage, abs=TOL)
        assert node.counts == other.counts


@given(
    case=questionnaire_and_responses(),
    factor=st.sampled_from([0.1, 0.5, 3.0, 7.25, 1000.0]),
    data=st.data(),
)
def test_scaling_the_weights_of_a_node_changes_no_score(
    case: tuple[Questionnaire, list[Response]], factor: float, data: st.DataObject
) -> None:
    """Multiplying every weight among one node's children by a positive factor changes no score.

    Weights are relative within a node. One exception is by design: a ``sum`` aggregation weighs
    each child by the points it can earn, and a child's points are its weighted points, so scaling
    weights inside a node changes how much that node counts in an enclosing ``sum``. Scores of
    such ancestors are compared only when no ancestor sums points.
    """
    q, (r,) = case
    q = without_point_bands(q)  # scaled weights move the totals they must cover
    dims = [d.id for _, d in q.iter_dimensions()]
    target = data.draw(st.sampled_from(["", *dims]))

    def scale_children(dim: Dimension) -> Dimension:
        return attrs.evolve(
            dim,
            questions=tuple(attrs.evolve(x, weight=x.weight * factor) for x in dim.questions),
            dimensions=tuple(attrs.evolve(d, weight=d.weight * factor) for d in dim.dimensions),
        )

    if target == "":
        scaled = attrs.evolve(
            q, dimensions=tuple(attrs.evolve(d, weight=d.weight * factor) for d in q.dimensions)
        )
        ancestors: list[Dimension | Questionnaire] = []
    else:
        scaled = map_dimensions(q, lambda d: scale_children(d) if d.id == target else d)
        ancestors = [q, *dimension_path(q, target)[:-1]]
    before, after = scores(score(compile(q), r)), scores(score(compile(scaled), r))
    sums_above = any(isinstance(a.aggregation, SumOfPoints) for a in ancestors)
    ancestor_ids = {"" if isinstance(a, Questionnaire) else a.id for a in ancestors}
    keys = [k for k in before if not (sums_above and k in ancestor_ids)]
    assert_scores_close(before, after, keys)


# -- monotonicity ------------------------------------------------------------------------------


@given(
    case=questionnaire_and_responses(
        questionnaires(kinds=("scale", "scale", "yes_no", "choice", "numeric", "multiple_choice"))
    ),
    data=st.data(),
)
def test_raising_an_ordinal_answer_never_lowers_a_score(
    case: tuple[Questionnaire, list[Response]], data: st.DataObject
) -> None:
    """Choosing an option with more points on a non-reversed scale question lowers no score.

    Holds for every built-in aggregation (each is non-decreasing in each child's score) and every
    policy: ``exclude`` and ``zero`` do not look at other answers, and ``prorate`` fills a gap
    with the weighted mean of the answered siblings, which rises with them. Coverage and "not
    assessable" depend on which questions are answered, not on the values.

    It does not hold when a condition reads the raised question: a higher answer can show or hide
    other questions, whose answers may be lower. The test therefore raises only questions that no
    condition reads (conditions elsewhere are kept: they see the same answers before and after).
    """
    q, (r,) = case
    read = {qid for cond in iter_conditions(q) for qid in referenced_questions(cond)}
    candidates = [
        x
        for _, x in q.iter_questions()
        if isinstance(x, ScaleQuestion) and not x.reverse and x.id not in read
    ]
    assume(candidates)
    question = data.draw(st.sampled_from(candidates))
    opts = sorted(options_of(question, q.scales), key=lambda o: o.points)
    low = data.draw(st.sampled_from([o for o in opts if o.points < opts[-1].points]))
    high = data.draw(st.sampled_from([o for o in opts if o.points > low.points]))
    r = attrs.evolve(r, answers={**r.answers, question.id: low.value})
    raised = attrs.evolve(r, answers={**r.answers, question.id: high.value})
    plan = compile(q)
    before, after = scores(score(plan, r)), scores(score(plan, raised))
    for key, old in before.items():
        new = after[key]
        assert (old is None) == (new is None), key
        if old is not None and new is not None:
            assert new >= old - TOL, key


def test_raising_an_answer_read_by_a_condition_can_lower_the_score() -> None:
    """Why the property above leaves out questions that conditions read: raising one can show a
    hidden question, and a low answer to that one lowers the score."""
    q = Questionnaire(
        id="x",
        dimensions=(
            Dimension(
                id="d",
                questions=(
                    ScaleQuestion(
                        id="a",
                        options=(
                            Option(value="none", points=0),
                            Option(value="mid", points=1),
                            Option(value="top", points=2),
                        ),
                    ),
                    ScaleQuestion(
                        id="b",
                        weight=3,
                        options=(Option(value="low", points=0), Option(value="high", points=1)),
                        when=Equals("a", "top"),
                    ),
                ),
            ),
        ),
    )
    plan = compile(q)
    mid = score(plan, Response(respondent="r", answers={"a": "mid", "b": "low"}))
    top = score(plan, Response(respondent="r", answers={"a": "top", "b": "low"}))
    # mid: only a counts (1 of 2 points); top: a full, b (weight 3) at zero
    assert (mid.score, top.score) == (50.0, 25.0)


# -- plain mean --------------------------------------------------------------------------------


def item_score(question: Question, scales: Sequence[Scale], value: AnswerValue) -> float:
    """The 0..1 score of one answered question, computed from the definition alone."""
    if isinstance(question, YesNo):
        yes = value is True or (isinstance(value, str) and value in ("yes", "ja", "true"))
        p, pts = (
            (question.yes_points if yes else question.no_points),
            [question.yes_points, question.no_points],
        )
        lo, hi = min(pts), max(pts)
    elif isinstance(question, ScaleQuestion | Choice):
        table = {o.value: o.points for o in options_of(question, scales)}
        lo, hi = min(table.values()), max(table.values())
        p = table[str(value)]
        if isinstance(question, ScaleQuestion) and question.reverse:
            p = lo + hi - p
    elif isinstance(question, MultipleChoice):
        table = {o.value: o.points for o in question.options}
        assert isinstance(value, tuple)
        chosen = [table[v] for v in value]
        # an empty selection earns 0 (where allowed); negative options lower a sum
        if question.method == "max":
            lo = min(table.values()) if question.min_selected else min(0.0, *table.values())
            hi = max(table.values()) if question.min_selected else max(0.0, *table.values())
            p = max(chosen, default=0.0)
        else:
            total = sum(v for v in table.values() if v > 0)
            lo = sum(v for v in table.values() if v < 0)
            hi = total if question.cap is None else min(total, question.cap)
            p = min(sum(chosen), hi)
    else:
        assert isinstance(question, Numeric)
        assert isinstance(value, int | float)
        if question.linear is not None:
            lin = question.linear
            return min(1.0, max(0.0, (value - lin.low) / (lin.high - lin.low)))
        pts = [t.points for t in question.thresholds]
        lo, hi = min(pts), max(pts)
        reached = [t.points for t in question.thresholds if value >= t.min]
        p = reached[-1] if reached else lo
    return (p - lo) / (hi - lo)


@given(
    case=questionnaire_and_responses(
        questionnaires(
            aggregations=(WeightedMean(),), weightings=(Equal(), Explicit()), conditions=False
        ),
        missing=False,
    ),
    same_weight=st.sampled_from([0.5, 1.0, 3.0]),
)
def test_equal_weights_fully_answered_give_the_plain_mean(
    case: tuple[Questionnaire, list[Response]], same_weight: float
) -> None:
    """With equal weights and every question answered, a dimension scores the plain mean of its
    items (its scored questions and its child dimensions)."""
    q, (r,) = case

    def equalise(dim: Dimension) -> Dimension:
        if isinstance(dim.weighting, Equal):
            return dim  # the scheme ignores the declared weights
        return attrs.evolve(
            dim,
            questions=tuple(attrs.evolve(x, weight=same_weight) for x in dim.questions),
            dimensions=tuple(attrs.evolve(d, weight=same_weight) for d in dim.dimensions),
        )

    q = without_point_bands(map_dimensions(q, equalise))
    q = attrs.evolve(q, weighting=Equal())
    result = score(compile(q), r)
    by_id = {d.id: d for _, d in q.iter_dimensions()}
    for dim_result in result.iter_dimensions():
        dim = by_id[dim_result.id]
        items = [
            100 * item_score(x, q.scales, r.answers[x.id]) for x in dim.questions if counted(x)
        ]
        items += [child.score for child in dim_result.dimensions]  # type: ignore[misc]
        assert dim_result.coverage == 1.0
        assert dim_result.score == pytest.approx(math.fsum(items) / len(items), abs=TOL)
    top = [d.score for d in result.dimensions]
    assert result.score == pytest.approx(math.fsum(top) / len(top), abs=TOL)  # type: ignore[arg-type]


# -- coverage ----------------------------------------------------------------------------------


@given(questionnaire_and_responses())
def test_coverage_is_one_exactly_when_nothing_applicable_is_missing(
    case: tuple[Questionnaire, list[Response]],
) -> None:
    """Coverage is 1 iff no applicable question was skipped or answered "don't know"; it is
    null iff nothing applies."""
    q, (r,) = case
    result = score(compile(q), r)
    for key, node in nodes(result):
        c = node.counts
        missing = c["dont_know"] + c["skipped"]
        if node.coverage is None:
            assert c["answered"] + missing == 0, key
        else:
            assert (node.coverage == 1.0) == (missing == 0), key


@pytest.mark.filterwarnings(DEAD_LOGIC)
@given(questionnaires(otherwise=True), st.sampled_from(FORMATS))
def test_compiling_twice_gives_equal_plans(q: Questionnaire, fmt: str) -> None:
    """compile() is deterministic, also after a round trip through a file format."""
    assert compile(q) == compile(q)
    again = load_questionnaire(text=dump_questionnaire(q, format=fmt), format=fmt)  # type: ignore[arg-type]
    assert compile(q) == compile(again)


# -- trace -------------------------------------------------------------------------------------


def _untraced(node: DimensionResult) -> DimensionResult:
    return attrs.evolve(node, items=(), dimensions=tuple(_untraced(d) for d in node.dimensions))


@given(questionnaire_and_responses(questionnaires(otherwise=True), codes=True))
def test_trace_changes_no_number(case: tuple[Questionnaire, list[Response]]) -> None:
    """score(trace=True) gives the same result as trace=False, plus the item traces."""
    q, (r,) = case
    plan = compile(q)
    plain, traced = score(plan, r), score(plan, r, trace=True)
    assert plain == attrs.evolve(
        traced, traced=False, dimensions=tuple(_untraced(d) for d in traced.dimensions)
    )


@given(questionnaire_and_responses(questionnaires(aggregations=AGGREGATIONS)))
def test_traced_contributions_add_up_to_a_linear_score(
    case: tuple[Questionnaire, list[Response]],
) -> None:
    """In a weighted-mean (or sum) dimension without child dimensions, the contributions of its
    questions add up to its score; elsewhere contributions are not given."""
    q, (r,) = case
    plan = compile(q)
    result = score(plan, r, trace=True)
    by_id = {d.id: d for _, d in q.iter_dimensions()}
    for dim_result in result.iter_dimensions():
        dim = by_id[dim_result.id]
        listed = [x.id for x in dim.questions]
        assert listed == [item.question for item in dim_result.items]
        contributions = [i.contribution for i in dim_result.items]
        linear = isinstance(dim.aggregation, WeightedMean | SumOfPoints)
        if dim_result.score is None or not linear:
            assert all(c is None for c in contributions)
        elif not dim.dimensions:
            total = math.fsum(c for c in contributions if c is not None)
            assert dim_result.score == pytest.approx(total, abs=1e-7)
        for item in dim_result.items:
            if item.state in (State.NOT_APPLICABLE, State.HIDDEN):
                assert (item.effective_weight, item.score) == (0.0, None)
