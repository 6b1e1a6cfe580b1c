"""Every result says what it is (scored, not applicable, not assessable) on every path."""

from __future__ import annotations

import json
import math
from typing import Any

import attrs
import pytest
from hypothesis import given, settings

from tests.strategies import questionnaire_and_responses
from weltoffen import (
    DONT_KNOW,
    NOT_APPLICABLE,
    DefinitionError,
    Dimension,
    Equals,
    Policies,
    ProblemCode,
    Questionnaire,
    Response,
    Result,
    YesNo,
    compile,
    dump_result,
    load_result,
    score,
)
from weltoffen.analysis.advice import advise
from weltoffen.reports.document import build_document, labels_for
from weltoffen.reports.views import result_view
from weltoffen.scoring.plan import ScoringPlan
from weltoffen.scoring.results import Status
from weltoffen.strategies import Minimum, Zero

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")

from weltoffen.scoring.batch import result_columns, score_many, to_codes  # noqa: E402

# every test here runs on both paths of score(): compiled and Python
pytestmark = pytest.mark.usefixtures("engine_path")


def _yn(qid: str, **kwargs: Any) -> YesNo:
    return YesNo(id=qid, dont_know=True, not_applicable=True, **kwargs)


def _plan() -> ScoringPlan:
    """A dimension for each way a result can end, on both ways the engine adds up."""
    at_least_all = Policies(min_coverage=1.0)
    return compile(
        Questionnaire(
            id="t",
            language="en",
            scoring=Policies(min_coverage=0.0),
            dimensions=(
                Dimension(id="scored", questions=(_yn("a"),)),
                # every question not applicable
                Dimension(id="none_apply", questions=(_yn("b"),)),
                # hidden by its condition
                Dimension(
                    id="hidden", when=Equals(question="a", value=False), questions=(_yn("c"),)
                ),
                # half answered, all needed
                Dimension(id="low", scoring=at_least_all, questions=(_yn("d"), _yn("e"))),
                # something applies, nothing answered, no minimum
                Dimension(id="unanswered", questions=(_yn("f"),)),
                # the general add-up: another aggregation, a policy that fills in
                Dimension(id="min_scored", aggregation=Minimum(), questions=(_yn("g"),)),
                Dimension(id="min_none_apply", aggregation=Minimum(), questions=(_yn("h"),)),
                Dimension(
                    id="min_low",
                    aggregation=Minimum(),
                    scoring=at_least_all,
                    questions=(_yn("i"), _yn("j")),
                ),
                Dimension(
                    id="zero_unanswered", scoring=Policies(skipped=Zero()), questions=(_yn("k"),)
                ),
            ),
        )
    )


_PLAN = _plan()
_RESPONSE = Response(
    respondent="r",
    answers={
        "a": True,
        "b": NOT_APPLICABLE,
        "d": True,
        "f": DONT_KNOW,
        "g": False,
        "h": NOT_APPLICABLE,
        "i": True,
    },
)
_EXPECTED = {
    "scored": Status.SCORED,
    "none_apply": Status.NOT_APPLICABLE,
    "hidden": Status.NOT_APPLICABLE,
    "low": Status.NOT_ASSESSABLE,
    "unanswered": Status.NOT_ASSESSABLE,
    "min_scored": Status.SCORED,
    "min_none_apply": Status.NOT_APPLICABLE,
    "min_low": Status.NOT_ASSESSABLE,
    "zero_unanswered": Status.SCORED,  # a skipped question counted as 0 is a score
}


def _statuses(result: Result) -> dict[str, Status]:
    return {"": result.status} | {d.id: d.status for d in result.iter_dimensions()}


def _batch_statuses(plan: ScoringPlan, out: Any, row: int) -> dict[str, Status]:
    names = [c for c in result_columns(plan, status=True) if c.endswith("status")]
    return {name.removesuffix("status").removesuffix("."): Status(out[name][row]) for name in names}


@pytest.mark.parametrize("trace", [False, True])
def test_every_status_on_the_single_path(trace: bool) -> None:
    statuses = _statuses(score(_PLAN, _RESPONSE, trace=trace))
    assert statuses == {"": Status.SCORED} | _EXPECTED
    assert set(statuses.values()) == set(Status)


def test_every_status_on_the_batch_path() -> None:
    codes, states = to_codes(_PLAN, [_RESPONSE])
    out = score_many(_PLAN, codes, states=states, status=True)
    assert _batch_statuses(_PLAN, out, 0) == {"": Status.SCORED} | _EXPECTED
    frame = pd.DataFrame(
        [{q: (v.value if not isinstance(v, bool) else v) for q, v in _RESPONSE.answers.items()}],
        dtype=object,
    )
    framed = score_many(_PLAN, frame, status=True)
    assert _batch_statuses(_PLAN, framed, 0) == {"": Status.SCORED} | _EXPECTED


def test_the_notes_say_why_for_people() -> None:
    result = score(_PLAN, _RESPONSE)
    notes = {d.id: d.note for d in result.iter_dimensions()}
    assert notes["scored"] is None
    assert notes["none_apply"] == "not applicable: none of its questions apply"
    assert notes["low"] == "not assessable: coverage 50% is below the minimum 100%"
    assert notes["unanswered"] == "not assessable: nothing answered"


def test_an_overall_result_that_is_not_applicable() -> None:
    result = score(_PLAN, dict.fromkeys("abcdefghijk", NOT_APPLICABLE))
    assert result.status is Status.NOT_APPLICABLE
    codes, states = to_codes(
        _PLAN, [Response(respondent="r", answers=dict.fromkeys("abcdefghijk", NOT_APPLICABLE))]
    )
    assert score_many(_PLAN, codes, states=states, status=True)["status"][0] == "not_applicable"


@given(questionnaire_and_responses(count=3))
@settings(max_examples=30)
def test_single_and_batch_agree_on_every_status(case: tuple[Questionnaire, list[Response]]) -> None:
    q, responses = case
    plan = compile(q)
    frame = pd.DataFrame(
        [
            {
                qid: v.value if hasattr(v, "value") else list(v) if isinstance(v, tuple) else v
                for qid, v in r.answers.items()
            }
            for r in responses
        ],
        columns=[qp.question.id for qp in plan.questions],
        dtype=object,
    )
    out = score_many(plan, frame, status=True)
    out = {name: out[name].tolist() for name in out.columns}
    for i, response in enumerate(responses):
        single = score(plan, response)
        traced = score(plan, response, trace=True)
        assert _statuses(single) == _statuses(traced) == _batch_statuses(plan, out, i)
        for node in (single, *single.iter_dimensions()):
            assert node.status is Status.of(node.score, node.coverage)
            assert (node.status is Status.SCORED) == (node.note is None)


def test_the_json_view_carries_the_status() -> None:
    view = result_view(_PLAN, score(_PLAN, _RESPONSE)).plain()
    assert view["status"] == "scored"
    assert {d["id"]: d["status"] for d in view["dimensions"]} == {
        k: v.value for k, v in _EXPECTED.items()
    }


def test_the_typed_view_carries_the_status_member() -> None:
    view = result_view(_PLAN, score(_PLAN, _RESPONSE))
    assert view.status is Status.SCORED
    assert {d.id: d.status for d in view.dimensions} == _EXPECTED


def test_status_survives_dump_and_load() -> None:
    result = score(_PLAN, _RESPONSE, trace=True)
    data = json.loads(dump_result(result, format="json"))
    assert data["status"] == "scored"
    assert data["dimensions"][1]["status"] == "not_applicable"
    assert load_result(text=json.dumps(data), format="json") == result


def test_results_written_before_the_status_load_with_it_derived() -> None:
    result = score(_PLAN, _RESPONSE)
    data = json.loads(dump_result(result, format="json"))

    def drop(node: dict[str, Any]) -> None:
        del node["status"]
        for child in node.get("dimensions", ()):
            drop(child)

    drop(data)
    assert load_result(text=json.dumps(data), format="json") == result


def test_a_result_file_whose_status_contradicts_its_score_is_refused() -> None:
    result = score(_PLAN, _RESPONSE)
    data = json.loads(dump_result([result, result], format="json"))
    data[1]["dimensions"][1]["status"] = "scored"  # a dimension without a score
    with pytest.raises(DefinitionError) as info:
        load_result(text=json.dumps(data), format="json")
    (problem,) = info.value.problems
    assert problem.code is ProblemCode.BAD_VALUE
    assert problem.location == (1, "dimensions", 1, "status")
    assert (problem.expected, problem.got) == ("'not_applicable'", "'scored'")


def test_the_report_reads_the_status_not_the_note() -> None:
    result = score(_PLAN, _RESPONSE, trace=True)
    # notes reworded: the report must still tell the cases apart
    reworded = attrs.evolve(
        result,
        dimensions=tuple(
            attrs.evolve(d, note="(reworded)" if d.note else None) for d in result.dimensions
        ),
    )
    labels = labels_for("en")
    document = build_document(_PLAN, reworded, advise(_PLAN, result), lang="en")
    shown = {f.id: f.status for f in document.fields}
    words = {
        Status.SCORED: None,
        Status.NOT_APPLICABLE: labels["not_applicable"],
        Status.NOT_ASSESSABLE: labels["not_assessable"],
    }
    assert shown == {k: words[v] for k, v in _EXPECTED.items()}
    assert document.overall.status is None
    assert not math.isnan(document.overall.score or 0.0)
