"""A report places the respondent among its peers (the members alike in the characteristics the
instrument declares with fixed values), besides the whole cohort, with the same suppression."""

from __future__ import annotations

from pathlib import Path

import pytest

from weltoffen import compile, load_questionnaire, load_responses, score
from weltoffen.analysis.advice import advise
from weltoffen.instruments import load_instrument
from weltoffen.reports.document import ReportDocument, build_document

ROOT = Path(__file__).resolve().parents[1]
KOMMUNE = ROOT / "examples" / "weltoffene-kommune"
BASIC = ROOT / "examples" / "basic"


def report(questionnaire, response, members, **options) -> ReportDocument:  # type: ignore[no-untyped-def]
    plan = compile(questionnaire)
    result = score(plan, response, trace=True)
    cohort = [score(plan, r) for r in members]
    advice = advise(plan, result, response=response)
    return build_document(plan, result, advice, cohort=cohort, **options)


@pytest.fixture(scope="module")
def kommune():  # type: ignore[no-untyped-def]
    return (
        load_instrument("weltoffene-kommune", "1.0"),
        load_responses(KOMMUNE / "musterstadt.yaml")[0],
        load_responses(KOMMUNE / "cohort.yaml"),
    )


def test_the_peers_are_the_members_of_the_same_type_and_size(kommune) -> None:  # type: ignore[no-untyped-def]
    questionnaire, musterstadt, members = kommune
    doc = report(questionnaire, musterstadt, members)

    assert doc.peer_group == "Kreisfreie Stadt, 100 000 Einwohner und mehr"
    alike = [
        m
        for m in members
        if (m.metadata.get("type"), m.metadata.get("size")) == ("kreisfreie-stadt", "gross")
    ]
    assert doc.overall.peers is not None
    assert doc.overall.cohort is not None
    assert doc.overall.peers.n == len(alike) + 1  # and Musterstadt itself
    assert doc.overall.cohort.n == len(members) + 1
    plan = compile(questionnaire)
    scores = sorted(
        s for s in (score(plan, r).score for r in [musterstadt, *alike]) if s is not None
    )
    assert min(scores) == doc.overall.peers.low
    assert max(scores) == doc.overall.peers.high


def test_peers_fewer_than_the_minimum_are_suppressed(kommune) -> None:  # type: ignore[no-untyped-def]
    questionnaire, musterstadt, members = kommune
    doc = report(questionnaire, musterstadt, members, min_cohort=20)

    assert doc.overall.cohort is not None
    assert not doc.overall.cohort.suppressed
    assert doc.overall.peers is not None
    assert doc.overall.peers.suppressed
    assert doc.overall.peers.n is None


def test_both_renderings_show_the_peer_table(kommune) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("jinja2")
    from weltoffen.reports.html import render_html
    from weltoffen.reports.markdown import render_markdown

    questionnaire, musterstadt, members = kommune
    doc = report(questionnaire, musterstadt, members)
    heading = "Mitglieder mit denselben Merkmalen: Kreisfreie Stadt, 100 000 Einwohner und mehr"
    assert f"### {heading}" in render_markdown(doc)
    assert f"<h3>{heading}</h3>" in render_html(doc)


def test_without_declared_characteristics_there_are_no_peers() -> None:
    questionnaire = load_questionnaire(BASIC / "questionnaire.yaml")
    responses = load_responses(BASIC / "responses.yaml")
    doc = report(questionnaire, responses[0], responses)

    assert doc.peer_group is None
    assert all(f.peers is None for f in (doc.overall, *doc.fields))
