"""Batch scoring gives, row by row, exactly the numbers of scoring each response alone."""

from __future__ import annotations

import math
import subprocess
import sys
import warnings
from collections.abc import Iterator, Sequence
from typing import Any
from unittest import mock

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import pandas_frame, random_responses
from tests.strategies import questionnaire_and_responses, questionnaires
from weltoffen import (
    DONT_KNOW,
    Compare,
    Dimension,
    Equals,
    MultipleChoice,
    Numeric,
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
from weltoffen.model.questions import Linear
from weltoffen.scoring.answers import coded_state
from weltoffen.scoring.batch import (
    ANSWERED,
    NOT_APPLICABLE,
    SKIPPED,
    result_columns,
    score_many,
    to_codes,
)
from weltoffen.scoring.plan import ScoringPlan
from weltoffen.strategies import Minimum, WeightedMean

# every test here runs on both ways of reading codes: compiled and numpy
pytestmark = pytest.mark.usefixtures("engine_path")

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")


# -- comparing the two paths -------------------------------------------------------------------


def expected_row(result: Result, *, points: bool = False) -> dict[str, Any]:
    """The columns ``score_many`` should give for one result of ``score()``."""
    row: dict[str, Any] = {"score": result.score, "coverage": result.coverage, "band": result.band}
    if points:
        row["points"] = result.points
    for dim in result.iter_dimensions():
        row[f"{dim.id}.score"] = dim.score
        row[f"{dim.id}.coverage"] = dim.coverage
        row[f"{dim.id}.band"] = dim.band
        if points:
            row[f"{dim.id}.points"] = dim.points
    return row


def rows_of(out: Any) -> Iterator[dict[str, Any]]:
    """The rows of a ``score_many`` result as plain Python (None for NaN, null and no band)."""
    if isinstance(out, dict):
        names = list(out)
        for i in range(len(out[names[0]]) if names else 0):
            yield {name: _plain(out[name][i]) for name in names}
    elif isinstance(out, pd.DataFrame):
        for record in out.astype(object).to_dict("records"):
            yield {name: _plain(v) for name, v in record.items()}
    else:
        yield from ({k: _plain(v) for k, v in r.items()} for r in out.iter_rows(named=True))


def _plain(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def assert_same(
    out: Any, results: Sequence[Result], plan: ScoringPlan, *, points: bool = False
) -> None:
    rows = list(rows_of(out))
    assert len(results) == len(rows)
    for i, (result, row) in enumerate(zip(results, rows)):
        wanted = expected_row(result, points=points)
        got = {name: row[name] for name in result_columns(plan, points=points)}
        # exact equality, bit for bit: both paths must give the same floats (-0.0 is not 0.0)
        assert _bits(wanted) == _bits(got), f"row {i}"


def _bits(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v.hex() if isinstance(v, float) else v for k, v in row.items()}


def without_text(plan: ScoringPlan, response: Response) -> Response:
    """The response as numpy codes can carry it: free text has no code."""
    answers = {
        qid: v
        for qid, v in response.answers.items()
        if not isinstance(plan.questions[plan.index[qid]].question, TextQuestion)
        or isinstance(v, State)
    }
    return attrs.evolve(response, answers=answers)


def polars_frames(plan: ScoringPlan, responses: Sequence[Response]) -> tuple[Any, Any]:
    """Typed polars columns for the values, and a string frame for the states."""
    values: dict[str, list[Any]] = {}
    states: dict[str, list[Any]] = {}
    schema: dict[str, Any] = {}
    for qp in plan.questions:
        q = qp.question
        qid = q.id
        if isinstance(q, YesNo):
            schema[qid] = pl.Boolean
        elif isinstance(q, Numeric):
            schema[qid] = pl.Float64
        elif isinstance(q, MultipleChoice):
            schema[qid] = pl.List(pl.String)
        else:
            schema[qid] = pl.String
        column, column_states = [], []
        for r in responses:
            v = r.answers.get(qid)
            if qp.codes and not isinstance(v, State | None):
                # a typed column cannot hold a code of another type: give its state instead
                v = coded_state(qp.codes, v) or v
            if isinstance(v, State):
                column.append(None)
                column_states.append(v.value)
                continue
            column_states.append(None)
            if isinstance(q, YesNo) and isinstance(v, str):
                v = v.strip().lower() in ("yes", "ja", "true")
            elif isinstance(q, Numeric) and v is not None:
                v = float(v)
            elif isinstance(q, MultipleChoice) and v is not None:
                v = list(v)
            column.append(v)
        values[qid] = column
        states[qid] = column_states
    frame = pl.DataFrame(values, schema=schema)
    state_frame = pl.DataFrame(states, schema=dict.fromkeys(states, pl.String))
    return frame, state_frame


batches = questionnaire_and_responses(questionnaires(otherwise=True), count=4, codes=True)


def _examples(share: int) -> int:
    """A share of the profile's examples (tests/conftest.py: 60, or 1000 when thorough)."""
    return max(10, settings.default.max_examples // share)


# -- the property: both paths agree ------------------------------------------------------------


class TestAgreesWithScore:
    @given(batches)
    @settings(max_examples=_examples(1))
    def test_numpy_codes(self, case: tuple[Questionnaire, list[Response]]) -> None:
        """Codes from responses score as the responses do (free text aside, which has no code)."""
        q, responses = case
        plan = compile(q)
        responses = [without_text(plan, r) for r in responses]
        codes, states = to_codes(plan, responses)
        out = score_many(plan, codes, states=states)
        assert_same(out, [score(plan, r) for r in responses], plan)

    @given(batches)
    @settings(max_examples=_examples(2))
    def test_pandas(self, case: tuple[Questionnaire, list[Response]]) -> None:
        """A pandas frame of answers as given scores as the responses do, free text included."""
        q, responses = case
        plan = compile(q)
        out = score_many(plan, pandas_frame(plan, responses))
        assert_same(out, [score(plan, r) for r in responses], plan)

    @given(batches)
    @settings(max_examples=_examples(2))
    def test_polars(self, case: tuple[Questionnaire, list[Response]]) -> None:
        """Typed polars columns plus a frame of states score as the responses do."""
        q, responses = case
        plan = compile(q)
        values, states = polars_frames(plan, responses)
        out = score_many(plan, values, states=states)
        assert_same(out, [score(plan, r) for r in responses], plan)

    @given(batches)
    @settings(max_examples=_examples(2))
    def test_points(self, case: tuple[Questionnaire, list[Response]]) -> None:
        """With points=True every node's points are score()'s, bit for bit (codes and frames)."""
        q, responses = case
        plan = compile(q)
        results = [score(plan, r) for r in responses]
        assert_same(
            score_many(plan, pandas_frame(plan, responses), points=True), results, plan, points=True
        )
        # codes carry no free text, and a condition may test the text: score what they carry
        coded = [without_text(plan, r) for r in responses]
        codes, states = to_codes(plan, coded)
        out = score_many(plan, codes, states=states, points=True)
        assert_same(out, [score(plan, r) for r in coded], plan, points=True)
        assert list(out)[:4] == ["score", "points", "coverage", "band"]

    @pytest.mark.parametrize("aggregation", [Minimum(), WeightedMean()])
    def test_a_falling_line_at_its_zero_gives_zero_not_minus_zero(self, aggregation: Any) -> None:
        """A number on a falling line (1 -> 0 points) answered at its zero: its share is -0.0,
        which score() clamps to 0.0; so must score_many, in points and scores alike."""
        falling = Numeric(id="n", linear=Linear(low=1.0, high=0.0, points=0.5))
        q = Questionnaire(
            id="q", dimensions=(Dimension(id="d", aggregation=aggregation, questions=(falling,)),)
        )
        plan = compile(q)
        responses = [Response(respondent=str(v), answers={"n": v}) for v in (1, 0.0, 2, 0.5)]
        codes, states = to_codes(plan, responses)
        out = score_many(plan, codes, states=states, points=True)
        assert_same(out, [score(plan, r) for r in responses], plan, points=True)

    @given(batches, st.integers(min_value=1, max_value=3))
    @settings(max_examples=_examples(3))
    def test_chunking_changes_nothing(
        self, case: tuple[Questionnaire, list[Response]], chunk: int
    ) -> None:
        """Scoring a few rows at a time gives what scoring them all at once gives."""
        q, responses = case
        plan = compile(q)
        codes, states = to_codes(plan, [without_text(plan, r) for r in responses])
        whole = score_many(plan, codes, states=states)
        pieces = score_many(plan, codes, states=states, chunk_rows=chunk)
        assert list(rows_of(whole)) == list(rows_of(pieces))
        # a frame is read whole here and scored in pieces of the block
        frame = pandas_frame(plan, responses)
        wanted = list(rows_of(score_many(plan, frame)))
        assert wanted == list(rows_of(score_many(plan, frame, chunk_rows=chunk)))

    def test_bundled_instrument(self) -> None:
        """Seeded responses to the self-check, in every state, agree over a thousand rows."""
        plan = compile(load_instrument("weltoffene-kommune", "1.0"))
        responses = list(random_responses(plan, 1000, seed=5))
        codes, states = to_codes(plan, responses)
        out = score_many(plan, codes, states=states)
        assert_same(out, [score(plan, without_text(plan, r)) for r in responses], plan)
        frame = pandas_frame(plan, responses)
        assert_same(score_many(plan, frame), [score(plan, r) for r in responses], plan)


# -- aggregations and policies without a vectorised form ---------------------------------------


@attrs.frozen
class Maximum:
    """A plugin aggregation: the best child decides."""

    def aggregate(self, values: Sequence[float], weights: Sequence[float]) -> float:
        return max(v for v, w in zip(values, weights) if w > 0)


@attrs.frozen
class Half:
    """A plugin policy: a missing answer counts as half marks."""

    def fill(self, values: Sequence[float], weights: Sequence[float]) -> float | None:
        return 0.5


def _with_plugins(q: Questionnaire) -> Questionnaire:
    def walk(dim: Dimension, depth: int) -> Dimension:
        kids = tuple(walk(d, depth + 1) for d in dim.dimensions)
        if depth % 2:
            return attrs.evolve(dim, dimensions=kids, aggregation=Maximum())
        return attrs.evolve(
            dim, dimensions=kids, scoring=Policies(dont_know=Half(), skipped=Half())
        )

    return attrs.evolve(q, dimensions=tuple(walk(d, 1) for d in q.dimensions))


class TestRowwiseFallback:
    @given(
        questionnaires(conditions=False)
        .map(_with_plugins)
        .flatmap(lambda q: questionnaire_and_responses(st.just(q), count=3, codes=True))
    )
    @settings(max_examples=_examples(2))
    def test_plugins_score_row_by_row(self, case: tuple[Questionnaire, list[Response]]) -> None:
        """Nodes with plugin aggregations or policies are computed with the plugins themselves."""
        q, responses = case
        plan = compile(q)
        responses = [without_text(plan, r) for r in responses]
        codes, states = to_codes(plan, responses)
        assert_same(
            score_many(plan, codes, states=states), [score(plan, r) for r in responses], plan
        )


# -- input, output and errors ------------------------------------------------------------------


def _small() -> ScoringPlan:
    scale = (
        Option(value="no", points=0),
        Option(value="partly", points=1),
        Option(value="yes", points=2),
    )
    return compile(
        Questionnaire(
            id="small",
            dimensions=(
                Dimension(
                    id="a",
                    questions=(
                        ScaleQuestion(id="q1", options=scale, dont_know=True),
                        ScaleQuestion(id="q2", options=scale),
                        YesNo(id="q3", not_applicable=True),
                    ),
                ),
                Dimension(
                    id="b",
                    questions=(
                        Numeric(id="q4", minimum=0, maximum=10, linear=None, thresholds=_steps()),
                    ),
                ),
            ),
        )
    )


def _steps() -> tuple[Any, ...]:
    from weltoffen import Threshold

    return (Threshold(min=0, points=0), Threshold(min=5, points=1))


class TestInputAndOutput:
    def test_numpy_gives_a_dict_of_arrays_in_column_order(self) -> None:
        plan = _small()
        codes = np.array([[2, 0, 1, 7], [np.nan, 1, 0, 1]], dtype=float)
        out = score_many(plan, codes)
        assert result_columns(plan) == list(out)
        assert out["b.score"].tolist() == [100.0, 0.0]
        assert out["band"].tolist() == [None, None]

    def test_nan_means_skipped_without_a_state_array(self) -> None:
        plan = _small()
        out = score_many(plan, np.array([[np.nan, 2, np.nan, np.nan]]))
        assert out["a.score"][0] == 100.0
        assert pytest.approx(1 / 3) == out["a.coverage"][0]
        assert out["b.coverage"][0] == 0.0  # skipped still applies: no coverage, no score
        assert math.isnan(out["b.score"][0])

    def test_state_array_marks_dont_know_and_not_applicable(self) -> None:
        plan = _small()
        codes = np.array([[np.nan, 2, np.nan, 5]])
        states = np.array([[1, ANSWERED, NOT_APPLICABLE, SKIPPED]], dtype=np.int8)
        out = score_many(plan, codes, states=states)
        wanted = score(
            plan,
            Response(
                respondent="x", answers={"q1": DONT_KNOW, "q2": "yes", "q3": State.NOT_APPLICABLE}
            ),
        )
        assert [expected_row(wanted)] == list(rows_of(out))

    def test_columns_pick_and_order_the_questions(self) -> None:
        plan = _small()
        out = score_many(plan, np.array([[1.0, 2.0]]), columns=["q4", "q2"])
        assert out["a.score"][0] == 100.0
        assert out["b.score"][0] == 0.0

    def test_pandas_keeps_the_index_and_chosen_columns(self) -> None:
        plan = _small()
        frame = pd.DataFrame(
            {"who": ["x", "y"], "q1": ["yes", "dont_know"], "q2": ["no", None], "q4": [6.0, None]},
            index=[10, 20],
        )
        out = score_many(plan, frame, keep=["who"])
        assert out.index.tolist() == [10, 20]
        assert ["who", *result_columns(plan)] == list(out.columns)
        assert [_plain(v) for v in out["a.score"]] == [50.0, None]

    def test_polars_uses_null_for_no_score(self) -> None:
        plan = _small()
        frame = pl.DataFrame(
            {"q1": ["dont_know"], "q4": [None]}, schema={"q1": pl.String, "q4": pl.Float64}
        )
        out = score_many(plan, frame)
        assert out["a.score"].to_list() == [None]
        assert out["b.score"].to_list() == [None]
        assert out["coverage"].to_list() == [0.0]

    def test_empty_tables_give_empty_results(self) -> None:
        plan = _small()
        out = score_many(plan, pd.DataFrame({"q1": pd.Series([], dtype=object)}))
        assert result_columns(plan) == list(out.columns)
        assert len(out) == 0
        assert len(score_many(plan, np.empty((0, 4)))["score"]) == 0

    def test_inputs_stay_as_they_were(self) -> None:
        """Hiding questions writes into working copies, never into the caller's arrays."""
        scale = (Option(value="no", points=0), Option(value="yes", points=1))
        plan = compile(
            Questionnaire(
                id="gated",
                dimensions=(
                    Dimension(
                        id="a",
                        questions=(
                            YesNo(id="q1"),
                            ScaleQuestion(id="q2", options=scale, when=Equals("q1", True)),
                        ),
                    ),
                ),
            )
        )
        # column-major arrays: a transposed chunk of them is contiguous without a copy
        codes = np.asfortranarray([[0.0, 1.0], [1.0, 1.0]])
        states = np.asfortranarray(np.zeros((2, 2), dtype=np.int8))
        out = score_many(plan, codes, states=states)
        assert out["a.score"].tolist() == [0.0, 100.0]  # q2 hidden in the first row
        assert states.tolist() == [[0, 0], [0, 0]]
        assert codes.tolist() == [[0.0, 1.0], [1.0, 1.0]]

    def test_a_long_chain_of_conditions(self) -> None:
        """Each question shown only if the one before is answered yes: no recursion limit."""
        n = 1500
        questions = [YesNo(id="q0")] + [
            YesNo(id=f"q{i}", when=Equals(f"q{i - 1}", True)) for i in range(1, n)
        ]
        plan = compile(
            Questionnaire(id="chain", dimensions=(Dimension(id="a", questions=tuple(questions)),))
        )
        answers = {f"q{i}": i != 700 for i in range(n)}  # a no in the middle hides the rest
        codes, states = to_codes(plan, [Response(respondent="x", answers=answers)])
        out = score_many(plan, codes, states=states)
        assert [expected_row(score(plan, Response(respondent="x", answers=answers)))] == list(
            rows_of(out)
        )

    def test_importing_weltoffen_loads_no_numpy(self) -> None:
        code = "import sys, weltoffen, weltoffen.scoring.batch; print('numpy' in sys.modules)"
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert done.stdout.strip() == "False"


class TestProblems:
    def test_a_code_that_is_no_option_names_row_and_question(self) -> None:
        plan = _small()
        with pytest.raises(ResponseError) as caught:
            score_many(plan, np.array([[0, 0, 1, 1], [3, 0.5, 1, 1]]))
        paths = [p.path for p in caught.value.problems]
        assert paths == ["rows[1].q1", "rows[1].q2"]

    def test_a_state_the_question_does_not_offer(self) -> None:
        plan = _small()
        states = np.array([[0, 1, 0, 0]], dtype=np.int8)
        with pytest.raises(ResponseError) as caught:
            score_many(plan, np.array([[0, 0, 1, 1]]), states=states)
        assert [p.path for p in caught.value.problems] == ["rows[0].q2"]

    def test_frame_values_are_checked_as_score_checks_them(self) -> None:
        plan = _small()
        frame = pd.DataFrame({"q1": ["maybe", "yes"], "q4": [3.0, 11.0]})
        with pytest.raises(ResponseError) as caught:
            score_many(plan, frame)
        problems = {p.path: p.message for p in caught.value.problems}
        assert {"rows[0].q1", "rows[1].q4"} == set(problems)
        assert problems["rows[1].q4"] == "number out of range"

    def test_numbers_out_of_range_in_numpy(self) -> None:
        plan = _small()
        with pytest.raises(ResponseError) as caught:
            score_many(plan, np.array([[0, 0, 1, -1]]))
        assert [p.path for p in caught.value.problems] == ["rows[0].q4"]

    def test_unknown_columns_and_wrong_shapes(self) -> None:
        plan = _small()
        with pytest.raises(ResponseError) as caught:
            score_many(plan, np.zeros((2, 3)), columns=["q1", "nope", "q1"])
        assert [p.path for p in caught.value.problems] == ["columns[1]", "columns[2]"]
        with pytest.raises(ResponseError):
            score_many(plan, np.zeros((2, 3)))

    def test_many_problems_are_counted_not_all_listed(self) -> None:
        plan = _small()
        codes = np.full((500, 4), 9.0)
        with pytest.raises(ResponseError) as caught:
            score_many(plan, codes)
        problems = caught.value.problems
        assert len(problems) == 51
        assert "more problems" in problems[-1].message

    def test_chunks_side_by_side_report_in_row_order(self) -> None:
        """Chunks scored on several threads find problems in no set order; the error lists
        them as one thread would, and the numbers are those of one thread."""
        from weltoffen.scoring import batch

        plan = _small()
        rng = np.random.default_rng(3)
        codes = rng.integers(0, 2, size=(400, 4)).astype(np.float64)
        codes[rng.random(400) < 0.2, 0] = 7.0  # no such option, here and there
        found = []
        for workers in (1, 4):
            with (
                mock.patch.object(batch, "_MAX_WORKERS", workers),
                pytest.raises(ResponseError) as caught,
            ):
                score_many(plan, codes, chunk_rows=7)
            found.append([p.path for p in caught.value.problems])
        assert found[0] == found[1]
        assert found[0][0] == f"rows[{int(np.flatnonzero(codes[:, 0] == 7)[0])}].q1"
        codes[codes == 7.0] = 1.0
        with mock.patch.object(batch, "_MAX_WORKERS", 1):
            alone = score_many(plan, codes, chunk_rows=7)
        side_by_side = score_many(plan, codes, chunk_rows=7)
        assert list(rows_of(alone)) == list(rows_of(side_by_side))

    def test_not_a_table(self) -> None:
        with pytest.raises(TypeError):
            score_many(_small(), "q1,q2")


def test_a_number_kept_only_for_a_condition() -> None:
    """An unscored number without thresholds or a straight line scores as score() scores it."""
    q = Questionnaire(
        id="t",
        dimensions=(
            Dimension(
                id="d",
                questions=(
                    Numeric(id="staff", scored=False),
                    YesNo(id="large", when=Compare("staff", "ge", 50)),
                ),
            ),
        ),
    )
    plan = compile(q)
    table = pd.DataFrame({"respondent": ["a", "b"], "staff": [80, 10], "large": [True, True]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # its empty point range divides nothing
        out = score_many(plan, table)
    assert list(out["score"][:1]) == [100.0]
    assert math.isnan(out["score"][1])


def test_unscored_questions_in_object_columns_score_as_score_does() -> None:
    """A question that earns nothing has an empty point range: its share is never read, and
    reading it from an object column (cells of any kind) divides nothing."""
    q = Questionnaire(
        id="t",
        dimensions=(
            Dimension(
                id="d",
                questions=(
                    YesNo(id="y"),
                    ScaleQuestion(
                        id="c",
                        scored=False,
                        options=(Option(value="a", points=0), Option(value="b", points=0)),
                    ),
                    MultipleChoice(
                        id="m",
                        scored=False,
                        options=(Option(value="a", points=0), Option(value="b", points=0)),
                    ),
                    Numeric(id="n", scored=False),
                ),
            ),
        ),
    )
    plan = compile(q)
    rows = [
        {"y": True, "c": "b", "m": ("a", "b"), "n": 80},
        {"y": False, "c": None, "m": None, "n": None},
    ]
    table = pd.DataFrame(rows, dtype=object)
    table["respondent"] = ["r0", "r1"]
    out = score_many(plan, table)
    expected = [
        score(plan, Response(respondent=f"r{i}", answers=_given(row))) for i, row in enumerate(rows)
    ]
    assert list(out["score"]) == [r.score for r in expected]
    codes, states = to_codes(plan, [Response(respondent="r", answers=_given(rows[0]))])
    assert list(score_many(plan, codes, states=states)["score"]) == [100.0]


def test_free_text_that_spells_a_state_the_response_cannot_give_stays_text() -> None:
    """Only dont_know, not_applicable and skipped are states by name; other words are text."""
    q = Questionnaire(
        id="t", dimensions=(Dimension(id="d", questions=(YesNo(id="y"), TextQuestion(id="t"))),)
    )
    plan = compile(q)
    table = pd.DataFrame({"y": [True, False], "t": ["hidden", "answered"]}, dtype=object)
    out = score_many(plan, table)
    assert list(out["score"]) == [100.0, 0.0]
    assert score(plan, Response(respondent="r", answers={"y": True, "t": "hidden"})).texts == {
        "t": "hidden"
    }


def _given(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if v is not None}
