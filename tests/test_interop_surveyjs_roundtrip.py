"""weltoffen -> SurveyJS -> weltoffen.

With weltoffen's own ``weltoffen`` properties the survey reads back to the same questionnaire,
whatever it holds. Without them (a survey as another tool would keep it) the choices' ``score``
properties and the ``visibleIf`` conditions still give the same points. Survey results written
for responses read back with the same scores.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings

from tests.strategies import questionnaire_and_responses, questionnaires
from weltoffen import compile, score
from weltoffen.cli import main
from weltoffen.instruments import load_instrument
from weltoffen.interop.surveyjs import (
    import_survey,
    read_questionnaire,
    read_responses,
    survey_json,
    write_questionnaire,
    write_responses,
)
from weltoffen.interop.surveyjs.common import PROPERTY
from weltoffen.model.answers import Response, State
from weltoffen.model.dimensions import Dimension
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import Choice, Option, ScaleQuestion, TextQuestion
from weltoffen.strategies import Equal, Exclude, Explicit, WeightedMean


def _strip(data: Any) -> Any:
    """The survey without weltoffen's own properties, as a tool that drops them keeps it."""
    if isinstance(data, dict):
        return {k: _strip(v) for k, v in data.items() if k != PROPERTY}
    if isinstance(data, list):
        return [_strip(v) for v in data]
    return data


def _two_options(first: str, second: str) -> Questionnaire:
    """Options *first* and *second*, worth 0 and 1 points."""
    options = (Option(value=first, points=0.0), Option(value=second, points=1.0))
    question = ScaleQuestion(id="q1", options=options)
    return Questionnaire(id="demo", dimensions=(Dimension(id="d1", questions=(question,)),))


@settings(max_examples=60)
@given(questionnaires(otherwise=True))
@example(_two_options("10", "1_0"))  # float("1_0") is 10: once read as one choice
def test_the_survey_reads_back_to_the_same_questionnaire(q: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "survey.json"
        write_questionnaire(q, target)
        back = read_questionnaire(target).questionnaire
    assert back == q


@settings(max_examples=60)
@given(
    questionnaire_and_responses(
        questionnaires(
            kinds=("scale", "choice", "yes_no", "multiple_choice", "text"),
            aggregations=(WeightedMean(),),
            weightings=(Explicit(), Equal()),
            policy_kinds=(Exclude(),),
            reverse=False,
            with_bands=False,
            missing_codes=False,
        ),
        count=2,
    )
)
def test_without_weltoffen_properties_the_points_stay(case: Any) -> None:
    q, responses = case
    imported = import_survey(_strip(survey_json(q)))
    back = imported.questionnaire
    assert [x.id for _, x in back.iter_questions()] == [x.id for _, x in q.iter_questions()]
    plan, plan_back = compile(q), compile(back)
    # SurveyJS shows "don't know" on choices only; text questions are unscored anyway
    texts = {x.id for _, x in q.iter_questions() if isinstance(x, TextQuestion)}
    for response in responses:
        answers = {
            k: v
            for k, v in response.answers.items()
            if not isinstance(v, State) or (v is State.DONT_KNOW and k not in texts)
        }
        given_answers = response.__class__(respondent=response.respondent, answers=answers)
        want = score(plan, given_answers)
        got = score(plan_back, given_answers)
        # weights and question weights are weltoffen's own: compare each scored item's points
        want_items = _item_points(want)
        assert _item_points(got) == pytest.approx(want_items)


def _item_points(result: Any) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    todo = list(result.dimensions)
    while todo:
        dim = todo.pop()
        todo.extend(dim.dimensions)
        out.update({i.question: i.points for i in dim.items})
    return out


def _same_number() -> Questionnaire:
    """Two options spelling the same number, worth different points."""
    return _two_options("0", "00")


@given(questionnaire_and_responses(count=3))
@example(case=(_same_number(), [Response(respondent="r1", answers={"q1": "0"})]))
def test_results_round_trip_with_the_same_scores(case: Any) -> None:
    q, responses = case
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "results.json"
        write_responses(responses, q, target)
        back = read_responses(target, q)
    plan = compile(q)
    assert [r.respondent for r in back] == [r.respondent for r in responses]
    for before, after in zip(responses, back, strict=True):
        assert score(plan, after) == score(plan, before)


@pytest.mark.parametrize(
    ("stored", "chosen"), [("0", "0"), ("00", "00"), (0, "0"), (0.0, "0"), ("0.0", "0")]
)
def test_an_option_is_its_own_text_before_a_number_it_spells(
    stored: object, chosen: str, tmp_path: Path
) -> None:
    target = tmp_path / "results.json"
    target.write_text(json.dumps([{"q1": stored}]), encoding="utf-8")
    (back,) = read_responses(target, _same_number())
    assert back.answers == {"q1": chosen}


def test_the_self_check_through_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    survey, imported = tmp_path / "x.json", tmp_path / "back.yaml"
    assert (
        main(
            [
                "export",
                "surveyjs",
                "--instrument",
                "weltoffene-kommune",
                "--version",
                "1.0",
                "-o",
                str(survey),
            ]
        )
        == 0
    )
    assert main(["import", "surveyjs", str(survey), "-o", str(imported)]) == 0
    capsys.readouterr()
    q = load_instrument("weltoffene-kommune", "1.0")
    questions = [x for _, x in q.iter_questions()]
    choice = next(x for x in questions if isinstance(x, Choice))
    results = tmp_path / "results.json"
    data = {
        "ms-01": True,
        "ms-02": "vollstaendig",
        "ms-03": "dontknow",
        choice.id: choice.options[-1].value,
        "weltoffen_points": 7,
    }
    results.write_text(json.dumps(data), encoding="utf-8")
    scores = []
    for instrument in (str(imported), "weltoffene-kommune"):
        where = (
            ["--instrument", instrument, "--version", "1.0"]
            if "/" not in instrument
            else [instrument]
        )
        status = main(["score", *where, str(results), "--from", "surveyjs", "--format", "json"])
        out, err = capsys.readouterr()
        assert (status, err) == (0, "")
        scores.append(json.loads(out))
    assert scores[0] == scores[1]
    assert scores[0][0]["counts"]["answered"] == 3
    assert scores[0][0]["counts"]["dont_know"] == 1
