"""Long words in narrow table headers break only where a word may break, with a hyphen shown."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from weltoffen.reports.hyphens import SOFT_HYPHEN, hyphenate

pytest.importorskip("pyphen")

TEMPLATES = Path(__file__).resolve().parents[1] / "src" / "weltoffen" / "reports" / "templates"


def test_german_compounds_get_soft_hyphens_between_syllables() -> None:
    shown = hyphenate("im Handlungsfeld Kommunikation und Konfliktmanagement", "de")
    assert shown.replace(SOFT_HYPHEN, "-") == (
        "im Hand-lungs-feld Kom-mu-ni-ka-ti-on und Kon-flikt-ma-na-ge-ment"
    )


def test_short_words_and_unknown_languages_stay_as_they_are() -> None:
    assert hyphenate("Stufe Punktzahl Abdeckung", "de") == "Stufe Punktzahl Abdeckung"
    assert hyphenate("Handlungsfeld", "xx") == "Handlungsfeld"


@given(st.text(), st.sampled_from(["de", "en", "fr", "xx"]))
def test_only_soft_hyphens_are_added(text: str, lang: str) -> None:
    shown = hyphenate(text, lang)
    assert shown.replace(SOFT_HYPHEN, "") == text.replace(SOFT_HYPHEN, "")


def test_every_header_of_the_reports_is_hyphenated() -> None:
    """No dynamic header text reaches a <th> without the filter, and no CSS breaks words anyhow."""
    for name in ("report.html.j2", "cohort.html.j2"):
        template = (TEMPLATES / name).read_text(encoding="utf-8")
        headers = re.findall(r"<th[^>]*>(.*?)</th>", template)
        unfiltered = [h for h in headers if "{{" in h and "| shy" not in h]
        assert unfiltered == [], name
    for name in ("report.css", "cohort.css"):
        css = (TEMPLATES / name).read_text(encoding="utf-8")
        assert "overflow-wrap: anywhere" not in css
        assert "break-word" not in css


def test_a_german_cohort_page_breaks_its_headers_at_syllables() -> None:
    pytest.importorskip("jinja2")
    from weltoffen import compile, load_responses, score
    from weltoffen.analysis.cohort import compare
    from weltoffen.instruments import load_instrument
    from weltoffen.reports.cohort import build_cohort_document, render_cohort_html

    questionnaire = load_instrument("weltoffene-kommune", "1.0")
    plan = compile(questionnaire)
    members = load_responses(
        Path(__file__).resolve().parents[1] / "examples/weltoffene-kommune/cohort.yaml"
    )
    results = [score(plan, r) for r in members]
    page = render_cohort_html(build_cohort_document(questionnaire, results, compare(results)))
    headers = [h.replace("&shy;", SOFT_HYPHEN) for h in re.findall(r"<th[^>]*>(.*?)</th>", page)]
    assert SOFT_HYPHEN not in page  # written as the entity, which a terminal shows as it is
    word = SOFT_HYPHEN.join(["Kom", "mu", "ni", "ka", "ti", "on"])
    assert f">{word} und Kon" in " ".join(f">{h}" for h in headers)
    long_words = [w for h in headers for w in re.findall(r"[\w\u00ad]{10,}", h)]
    assert long_words
    assert all(SOFT_HYPHEN in w for w in long_words)
