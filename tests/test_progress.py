"""Progress of one respondent between rounds: changes, the "real" rule, suggestions, advice."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import random_responses, sample_response
from weltoffen.analysis.progress import (
    RoundInput,
    analyse_progress,
    crosswalk_path,
    real_change,
)
from weltoffen.analysis.sensitivity import ScoreSummary, load_choices
from weltoffen.cli._sensitivity import DEFAULT_CHOICES
from weltoffen.exceptions import DefinitionError
from weltoffen.instruments import crosswalk_paths, load_instrument
from weltoffen.reports.progress import progress_html, progress_markdown
from weltoffen.scoring.engine import score
from weltoffen.scoring.plan import compile
from weltoffen.versions.crosswalk import load_crosswalk

CHOICES = load_choices(text=DEFAULT_CHOICES)
NEWEST = compile(load_instrument("weltoffene-kommune", "1.1"))
OLDEST = compile(load_instrument("weltoffene-kommune", "1.0"))
CROSSWALKS = [load_crosswalk(p) for p in crosswalk_paths("weltoffene-kommune")]


def summary(nominal: float | None, low: float | None, high: float | None) -> ScoreSummary:
    return ScoreSummary(nominal=nominal, median=nominal, low=low, high=high)


@pytest.mark.parametrize(
    ("before", "after", "real"),
    [
        (summary(50, 45, 55), summary(60, 56, 64), True),  # 56 > 55: a real rise
        (summary(50, 45, 55), summary(58, 55, 61), False),  # touching ends overlap
        (summary(50, 45, 55), summary(40, 35, 44.9), True),  # 44.9 < 45: a real fall
        (summary(50, 45, 55), summary(52, 40, 70), False),
        (summary(None, None, None), summary(60, 56, 64), False),
        (summary(50, 45, 55), summary(90, None, None), False),
    ],
)
def test_a_change_is_real_when_the_intervals_do_not_overlap(
    before: ScoreSummary, after: ScoreSummary, real: bool
) -> None:
    assert real_change(before, after) is real
    assert real_change(after, before) is real


def test_crosswalk_path_chains_from_the_round_version_to_the_newest() -> None:
    assert crosswalk_path(CROSSWALKS, "1.0", "1.1") == CROSSWALKS
    assert crosswalk_path(CROSSWALKS, "1.1", "1.1") == []
    with pytest.raises(DefinitionError, match=r"no crosswalk leads from version 0\.9 to 1\.1"):
        crosswalk_path(CROSSWALKS, "0.9", "1.1")


def test_fewer_than_two_rounds_are_refused() -> None:
    response = sample_response(NEWEST)
    with pytest.raises(DefinitionError, match="at least two rounds"):
        analyse_progress(NEWEST, [RoundInput("a", response, "1.1")], CHOICES, draws=4)


def test_one_changed_answer_is_the_only_answer_change_and_moves_its_field() -> None:
    first = sample_response(NEWEST)
    question = NEWEST.questions[0].question.id  # ms-01, a yes/no question
    second = attrs.evolve(first, answers={**first.answers, question: not first.answers[question]})
    progress = analyse_progress(
        NEWEST,
        [RoundInput("a", first, "1.1"), RoundInput("b", second, "1.1")],
        CHOICES,
        draws=8,
    )
    (step,) = progress.steps
    assert [(a.question, a.before, a.after) for a in step.answers] == [
        (question, first.answers[question], second.answers[question])
    ]
    old, new = score(NEWEST, first), score(NEWEST, second)
    assert step.overall.before == old.score
    assert step.overall.after == new.score
    assert step.overall.change == pytest.approx(new.score - old.score)  # type: ignore[operator]
    moved = {c.dimension for c in step.fields if c.change}
    assert moved == {"management-steuerung"}


def test_rounds_are_ordered_by_date_and_older_ones_migrated_with_notes() -> None:
    old = attrs.evolve(sample_response(OLDEST), metadata={"date": "2024-01-01"})
    new = attrs.evolve(sample_response(NEWEST), metadata={"date": "2026-01-01"})
    progress = analyse_progress(
        NEWEST,
        [RoundInput("new", new, "1.1"), RoundInput("old", old, "1.0")],
        CHOICES,
        crosswalks=CROSSWALKS,
        draws=4,
    )
    assert [r.label for r in progress.rounds] == ["old", "new"]
    assert [r.date for r in progress.rounds] == ["2024-01-01", "2026-01-01"]
    assert "ms-11" in {n.question for n in progress.rounds[0].notes}  # dropped in 1.1
    assert "ms-11" not in progress.rounds[0].response.answers
    assert progress.rounds[1].notes == ()


def test_advice_and_suggestions_taken_when_the_advised_answer_is_given() -> None:
    first = sample_response(NEWEST)
    progress = analyse_progress(
        NEWEST, [RoundInput("a", first, "1.1"), RoundInput("b", first, "1.1")], CHOICES, draws=4
    )
    (step,) = progress.steps
    assert step.advice
    assert not any(a.taken for a in step.advice)
    assert not any(s.done for s in step.suggestions)
    # Follow every piece of advice: each is then taken.
    advised = {a.question: a.advised for a in step.advice}
    second = attrs.evolve(first, answers={**first.answers, **advised})
    (after,) = analyse_progress(
        NEWEST, [RoundInput("a", first, "1.1"), RoundInput("b", second, "1.1")], CHOICES, draws=4
    ).steps
    assert after.advice
    assert all(a.taken for a in after.advice)
    assert after.overall.change is not None
    assert after.overall.change > 0


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_a_round_compared_with_itself_shows_no_change(seed: int) -> None:
    (response,) = random_responses(NEWEST, 1, seed)
    progress = analyse_progress(
        NEWEST,
        [RoundInput("a", response, "1.1"), RoundInput("b", response, "1.1")],
        CHOICES,
        draws=4,
    )
    (step,) = progress.steps
    assert step.answers == ()
    assert not step.overall.real
    assert all(c.change in (None, 0.0) and not c.real for c in (step.overall, *step.fields))


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_change_is_antisymmetric(seed: int) -> None:
    a, b = random_responses(NEWEST, 2, seed)
    b = attrs.evolve(b, respondent=a.respondent)
    forth = analyse_progress(
        NEWEST, [RoundInput("a", a, "1.1"), RoundInput("b", b, "1.1")], CHOICES, draws=4
    ).steps[0]
    back = analyse_progress(
        NEWEST, [RoundInput("b", b, "1.1"), RoundInput("a", a, "1.1")], CHOICES, draws=4
    ).steps[0]
    for there, here in zip(
        (forth.overall, *forth.fields), (back.overall, *back.fields), strict=True
    ):
        assert there.dimension == here.dimension
        assert there.real == here.real
        if there.change is None:
            assert here.change is None
        else:
            assert here.change == pytest.approx(-there.change)
    assert [(c.question, c.before, c.after) for c in forth.answers] == [
        (c.question, c.after, c.before) for c in back.answers
    ]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_reports_have_captioned_tables_and_no_none(lang: str) -> None:
    old = attrs.evolve(sample_response(OLDEST), metadata={"date": "2024-01-01"})
    new = attrs.evolve(sample_response(NEWEST, shift=3), metadata={"date": "2026-01-01"})
    progress = analyse_progress(
        NEWEST,
        [RoundInput("2024-01-01", old, "1.0"), RoundInput("2026-01-01", new, "1.1")],
        CHOICES,
        crosswalks=CROSSWALKS,
        draws=4,
    )
    html = progress_html(progress, NEWEST.questionnaire, lang, draws=4)
    md = progress_markdown(progress, NEWEST.questionnaire, lang, draws=4)
    title = {"de": "Entwicklung", "en": "Progress"}[lang]
    assert f"<h1>{title}: " in html
    assert md.startswith(f"# {title}: ")
    assert html.count("<table>") == html.count("<caption>") >= 4
    assert '<th scope="col">' in html
    assert '<th scope="row">' in html
    for text in (html, md):
        assert "None" not in text
    if lang == "de":
        for english in ("Progress", "Change", "not carried", "the answer", "Field"):
            assert english not in html
        assert "Echte Veränderung?" in md
        assert "überschneiden" in md
