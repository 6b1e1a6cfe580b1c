"""Suggestions tied to the questions they concern: written short, checked, and not made twice."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import attrs
import pytest

from weltoffen import (
    Band,
    DefinitionError,
    Dimension,
    MultipleChoice,
    Option,
    Questionnaire,
    Response,
    ScaleQuestion,
    Suggestion,
    TextQuestion,
    YesNo,
    compile,
    dump_questionnaire,
    load_questionnaire,
    load_responses,
    score,
)
from weltoffen.analysis.advice import advise
from weltoffen.instruments import load_instrument
from weltoffen.model.queries import dimension_locations, options_of, question_locations
from weltoffen.model.questions import Question
from weltoffen.reports.document import build_document
from weltoffen.scoring.check import point_range

MUSTERSTADT = Path(__file__).resolve().parents[1] / "examples/weltoffene-kommune/musterstadt.yaml"
CRISIS_PLAN = "Erstellen Sie einen Krisenplan"
# the self-check's band suggestions that name the questions asking whether they are done
TIED_IN_SELF_CHECK = 38

STEPS = tuple(Option(value=v, points=p) for v, p in zip("abcde", range(5)))


def questionnaire(*suggestions: Suggestion) -> Questionnaire:
    return Questionnaire(
        id="s",
        dimensions=(
            Dimension(
                id="d",
                bands=(Band(id="all", min=0, max=100, suggestions=suggestions),),
                questions=(
                    ScaleQuestion(id="plan", options=STEPS),
                    ScaleQuestion(id="team", options=STEPS),
                    TextQuestion(id="notes"),
                ),
            ),
        ),
    )


def made(q: Questionnaire, **answers: str) -> list[str]:
    """The suggestions a report on *answers* makes (English texts)."""
    plan = compile(q)
    response = Response(respondent="r", answers=answers)
    result = score(plan, response, trace=True)
    document = build_document(plan, result, advise(plan, result, response=response), lang="en")
    (field,) = document.fields
    assert field.band is not None
    return list(field.band.suggestions)


ALWAYS = Suggestion(text={"en": "Talk to your neighbours."})
PLAN = Suggestion(text={"en": "Write a plan."}, concerns=("plan",))
BOTH = Suggestion(
    text={"en": "Train the team on the plan."}, concerns=("plan", "team"), done_at=0.5
)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"plan": "a", "team": "a"}, [ALWAYS, PLAN, BOTH]),
        ({"plan": "d", "team": "a"}, [ALWAYS, BOTH]),  # 3 of 4 points: 0.75, done
        ({"plan": "c", "team": "c"}, [ALWAYS, PLAN]),  # 0.5 each: done at 0.5 only
        ({"plan": "e", "team": "e"}, [ALWAYS]),
        ({"team": "e"}, [ALWAYS, PLAN, BOTH]),  # skipped is not done
    ],
)
def test_a_suggestion_done_already_is_not_made(answers: dict[str, str], expected: list) -> None:
    q = questionnaire(ALWAYS, PLAN, BOTH)
    assert made(q, **answers) == [s.text["en"] for s in expected]


def test_text_alone_or_with_settings_in_files(tmp_path: Path) -> None:
    q = questionnaire(ALWAYS, PLAN, BOTH)
    path = tmp_path / "q.yaml"
    dump_questionnaire(q, path)
    text = path.read_text(encoding="utf-8")
    assert "- en: Talk to your neighbours." in text
    assert "concerns:" in text
    assert load_questionnaire(path) == q


def test_what_a_suggestion_concerns_is_checked() -> None:
    broken = questionnaire(
        Suggestion(text={"en": "x"}, concerns=("plam", "notes")),
    )
    with pytest.raises(DefinitionError) as info:
        compile(broken)
    found = {(p.path, p.code.value) for p in info.value.problems}
    assert found == {
        ("dimensions[0].bands[0].suggestions[0].concerns[0]", "unknown-reference"),
        ("dimensions[0].bands[0].suggestions[0].concerns[1]", "bad-value"),
    }


@pytest.mark.parametrize("done_at", [0.0, -0.5, 1.5, float("nan")])
def test_done_at_is_a_share(done_at: float) -> None:
    with pytest.raises(ValueError, match="done_at"):
        Suggestion(text={"en": "x"}, done_at=done_at)


def test_the_self_check_does_not_suggest_a_crisis_plan_to_a_town_that_has_one() -> None:
    """Musterstadt's crisis plan is largely in place: only a town without one is told to make it."""
    plan = compile(load_instrument("weltoffene-kommune", "1.0"))
    (response,) = load_responses(MUSTERSTADT)
    assert response.answers["kk-08"] == "weitgehend"

    def suggested(answer: str) -> list[str]:
        changed = attrs.evolve(response, answers={**response.answers, "kk-08": answer})
        result = score(plan, changed, trace=True)
        document = build_document(plan, result, advise(plan, result, response=changed))
        return [s for f in document.fields if f.band for s in f.band.suggestions]

    assert not any(CRISIS_PLAN in s for s in suggested("weitgehend"))
    assert any(CRISIS_PLAN in s for s in suggested("begonnen"))


def test_the_self_checks_suggestions_name_questions_that_can_tell_they_are_done() -> None:
    """Many of the self-check's suggestions are tied to questions; for each one the top answer
    counts as done and the lowest never does (so a report can drop it, but not for everybody)."""
    q = load_instrument("weltoffene-kommune", "1.0")
    scales: dict[str, Sequence[Option]] = {s.id: s.options for s in q.scales}
    questions = {question.id: question for _, question in question_locations(q)}
    bands = [*q.bands, *(b for _, dim in dimension_locations(q) for b in dim.bands)]
    tied = [s for band in bands for s in band.suggestions if s.concerns]
    assert len(tied) == TIED_IN_SELF_CHECK

    def shares(question: Question) -> list[float]:
        """The share of its points each answer earns (none or all, for several choices)."""
        low, high = point_range(question, scales)
        if isinstance(question, YesNo):
            points = [question.no_points, question.yes_points]
        elif isinstance(question, MultipleChoice):
            assert question.max_selected is None
            assert question.cap is None
            points = [0.0, math.fsum(o.points for o in question.options if o.points > 0)]
        else:
            points = [o.points for o in options_of(question, scales)]
        return [(p - low) / (high - low) for p in points]

    for suggestion in tied:
        for qid in suggestion.concerns:
            question = questions[qid]
            assert question.scored
            earned = shares(question)
            assert max(earned) >= suggestion.done_at, (qid, suggestion.text["en"])
            assert min(earned) < suggestion.done_at, (qid, suggestion.text["en"])
