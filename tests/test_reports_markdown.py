"""Tests for the report document and the Markdown report (no optional dependencies needed)."""

from __future__ import annotations

import re

import pytest

from tests.helpers import document, kommune, sample_response
from weltoffen import ScoringError, score
from weltoffen.analysis.advice import advise
from weltoffen.model.text import pick
from weltoffen.reports.document import build_document, number
from weltoffen.reports.markdown import render_markdown


class TestDocument:
    def test_german_by_default_with_every_field(self) -> None:
        """The bundled instrument's language (German) is the default; all seven fields appear."""
        doc = document()
        assert doc.lang == "de"
        assert len(doc.fields) == 7
        assert len(doc.fields[2].subtopics) == 9
        assert doc.name == "Teststadt <b>am See</b>"

    def test_scores_are_copied_from_the_result(self) -> None:
        """The document never recomputes: its scores are the result's."""
        plan = kommune()
        response = sample_response(plan)
        result = score(plan, response, trace=True)
        doc = build_document(plan, result, advise(plan, result, response=response))
        assert [d.score for d in result.dimensions] == [f.score for f in doc.fields]
        assert result.score == doc.overall.score

    def test_metadata_codes_are_shown_in_words(self) -> None:
        """Metadata keys and codes the answer sheets explain are shown with their labels."""
        assert ("Art der Kommune", "Landkreis") in document().metadata
        assert ("Population", "123,456") in document("en").metadata

    def test_untraced_result_is_refused(self) -> None:
        """A report needs the trace (for strongest, weakest and open items)."""
        plan = kommune()
        response = sample_response(plan)
        traced = score(plan, response, trace=True)
        with pytest.raises(ScoringError, match="traced"):
            build_document(plan, score(plan, response), advise(plan, traced, response=response))

    def test_cohort_figures_and_the_respondent_joining(self) -> None:
        """The respondent joins a cohort it is not in; percentiles lie in 0..100."""
        doc = document(cohort=8)
        cohort = doc.overall.cohort
        assert cohort is not None
        assert cohort.n == 9
        assert cohort.low <= cohort.q1 <= cohort.median <= cohort.q3 <= cohort.high
        assert cohort.percentile is not None
        assert 0 <= cohort.percentile <= 100

    def test_small_cohorts_are_suppressed(self) -> None:
        """Below five scored members no figure is shown, not even the count."""
        cohort = document(cohort=2).overall.cohort
        assert cohort is not None
        assert (cohort.suppressed, cohort.n, cohort.percentile) == (True, None, None)

    def test_number_uses_the_decimal_mark_of_the_language(self) -> None:
        """German writes 52,5, English 52.5."""
        assert (
            number(52.46, "de"),
            number(52.46, "en"),
            number(-0.01, "en", 0),
        ) == ("52,5", "52.5", "0")


class TestMarkdown:
    def test_every_field_with_score_band_and_feedback(self) -> None:
        """Each field has a heading with its title, its band label and its feedback."""
        doc = document()
        text = render_markdown(doc)
        for n, field in enumerate(doc.fields, 1):
            assert f"## {n}. {field.title}" in text
            if field.band is not None:
                assert field.band.label in text
                assert field.band.feedback in text

    def test_titles_come_from_the_instrument_in_english(self) -> None:
        """--lang en: the instrument's English titles and the report's English words."""
        text = render_markdown(document("en"))
        plan = kommune()
        for dim in plan.questionnaire.dimensions:
            assert pick(dim.title, "en", "de") in text
        assert "Open questions for the workshop" in text

    def test_free_text_cannot_inject_markup(self) -> None:
        """HTML is neutralised and Markdown characters escaped in answers and metadata."""
        text = render_markdown(document())
        assert "<script>" not in text
        assert "<b>" not in text
        assert (
            r"&lt;script&gt;alert('x')&lt;/script&gt; \| \*bold\* \[link\](javascript:void)" in text
        )

    def test_tables_keep_their_columns(self) -> None:
        """Every table row has as many cells as its header, whatever the texts hold."""
        lines = render_markdown(document(cohort=6)).splitlines()
        for i, line in enumerate(lines):
            if line.startswith("|--"):
                width = _cells(lines[i - 1])
                j = i + 1
                while j < len(lines) and lines[j].startswith("|"):
                    assert width == _cells(lines[j]), lines[j]
                    j += 1

    def test_what_if_and_open_items_are_listed(self) -> None:
        """Sections for the levers and the workshop questions appear where there are some."""
        doc = document()
        text = render_markdown(doc)
        assert any(f.what_if for f in doc.fields)
        assert "Was wäre, wenn" in text
        assert "- [ ] " in text  # open items as a checklist for the workshop

    def test_cohort_section_only_with_a_cohort(self) -> None:
        """The cohort table appears with a cohort and not without."""
        assert "Vergleichsgruppe" in render_markdown(document(cohort=6))
        assert "Vergleichsgruppe" not in render_markdown(document())


def _cells(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line)) - 1
