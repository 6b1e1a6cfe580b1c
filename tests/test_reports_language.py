"""A report in German says nothing in English: every sentence it shows exists in its language.

The English messages (the reports' own words, the cohort report's, the words for what a
sensitivity analysis varied: the message ids of the gettext catalogues) are cut into their fixed
phrases; none may appear in the German
renderings of the single report (with sensitivity and cohort) and of the cohort report.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from weltoffen import compile, load_responses, score
from weltoffen.analysis.advice import advise
from weltoffen.analysis.sensitivity import analyse_sensitivity, load_choices
from weltoffen.cli._sensitivity import DEFAULT_CHOICES
from weltoffen.instruments import load_instrument
from weltoffen.reports import cohort_texts, texts, varied
from weltoffen.reports.document import build_document
from weltoffen.translations import Messages

pytest.importorskip("jinja2")
pytest.importorskip("matplotlib")

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "weltoffene-kommune"


def _phrases(messages: Messages) -> Iterator[str]:
    """The fixed parts of each English text, where they are long enough to be a phrase."""
    for _, text in messages:
        for part in re.split(r"\{[^}]*\}", text):
            part = part.strip(" .,:;()–-")
            if len(part.split()) >= 3:
                yield part


ENGLISH = sorted(
    {
        *_phrases(texts.MESSAGES),
        *_phrases(cohort_texts.MESSAGES),
        *_phrases(varied.MESSAGES),
        # what the analysis says for programs and logs, in English
        "perturbed nodes weigh explicitly",
        "each with probability",
    }
)


@pytest.fixture(scope="module")
def german() -> list[str]:
    from weltoffen.analysis.cohort import compare
    from weltoffen.analysis.cohort_change import RoundResults, cohort_change
    from weltoffen.reports.cohort import (
        build_cohort_document,
        render_cohort_html,
        render_cohort_markdown,
    )
    from weltoffen.reports.html import render_html
    from weltoffen.reports.markdown import render_markdown
    from weltoffen.versions.migrate import MigrationNote

    questionnaire = load_instrument("weltoffene-kommune", "1.0")
    plan = compile(questionnaire)
    members = load_responses(EXAMPLES / "cohort.yaml")
    response = load_responses(EXAMPLES / "musterstadt.yaml")[0]
    result = score(plan, response, trace=True)
    cohort = [score(plan, r) for r in members]
    spread = analyse_sensitivity(
        plan, [response, *members[:5]], load_choices(text=DEFAULT_CHOICES), draws=8, indices=False
    )
    document = build_document(
        plan,
        result,
        advise(plan, result, response=response),
        lang="de",
        cohort=cohort,
        sensitivity=spread,
    )
    # with the section on change between rounds, and something the crosswalks did not carry
    dropped = MigrationNote(cohort[0].respondent, "ms-11", "dropped", "no longer asked")
    rounds = cohort_change(
        [
            RoundResults(label="runde-1.yaml", results=tuple(cohort[1:]), notes=(dropped,)),
            RoundResults(label="runde-2.yaml", results=tuple(cohort[:-1])),
        ]
    )
    cohort_document = build_cohort_document(
        questionnaire, cohort, compare(cohort), lang="de", change=rounds
    )
    return [
        render_html(document),
        render_markdown(document),
        render_cohort_html(cohort_document),
        render_cohort_markdown(cohort_document),
    ]


def test_the_cohort_reports_include_the_change_between_rounds(german: list[str]) -> None:
    for text in german[2:]:
        assert "Veränderung zwischen den Runden" in text
        assert "wird nicht mehr gefragt" in text


def test_the_catalogue_has_phrases_to_look_for() -> None:
    assert len(ENGLISH) > 50
    assert "Combining every dimension and the overall score" in ENGLISH
    assert "perturbed nodes weigh explicitly" in ENGLISH


@pytest.mark.parametrize("which", range(4), ids=["html", "markdown", "cohort html", "cohort md"])
def test_a_german_report_holds_no_english_phrase(german: list[str], which: int) -> None:
    found = [phrase for phrase in ENGLISH if phrase in german[which]]
    assert found == []


def test_each_choice_is_worded_from_the_data() -> None:
    from weltoffen.analysis.choices import Choices, WeightChoice
    from weltoffen.reports.varied import varied_sentences
    from weltoffen.strategies import Exclude, PowerMean, Prorate, WeightedMean

    choices = Choices(
        weights=WeightChoice(method="dirichlet", concentration=40.0, targets="all"),
        aggregations=(WeightedMean(), PowerMean(p=2.0)),
        aggregation_scope="all",
        policies=(Exclude(), Prorate()),
    )

    assert varied_sentences(choices, "de") == (
        "Gewichte der Bereiche und der Fragen: die Anteile innerhalb jeder Gruppe zufällig um die "
        "Anteile des Instruments gestreut (Dirichlet, Konzentration 40), die Summe jeder Gruppe "
        "bleibt",
        "Zusammenfassung aller Bereiche und des Gesamtergebnisses: gewichtetes Mittel oder "
        "Potenzmittel (p=2.0), jeweils mit Wahrscheinlichkeit 1/2",
        "Umgang mit „weiß nicht“ und übersprungenen Fragen: nicht mitzählen oder aus den übrigen "
        "Antworten hochrechnen, jeweils mit Wahrscheinlichkeit 1/2",
    )
    assert varied_sentences(choices, "fr") == varied_sentences(choices, "en")
    assert varied_sentences(Choices(), "de") == ()
    uniform = Choices(weights=WeightChoice(spread=0.25))
    assert varied_sentences(uniform, "de") == (
        "Gewichte der Bereiche: jedes Gewicht mal einem zufälligen Faktor zwischen 0,75 und 1,25",
    )
