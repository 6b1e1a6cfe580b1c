"""Tests for the HTML report and its charts (need the extra: pip install 'weltoffen[report]')."""

from __future__ import annotations

import re
import sys
from functools import cache
from html.parser import HTMLParser

import pytest

from tests.helpers import document
from weltoffen.reports.charts import MissingExtraError, bars_svg, radar_svg
from weltoffen.reports.document import ReportDocument

pytest.importorskip("jinja2")
pytest.importorskip("matplotlib")

from weltoffen.reports.html import render_html


@cache
def page(lang: str | None = None, cohort: int = 0) -> tuple[ReportDocument, str]:
    doc = document(lang, cohort=cohort)
    return doc, render_html(doc)


class _Tags(HTMLParser):
    """Collects start tags with their attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


class TestContent:
    def test_radar_and_bar_charts_are_inline_svg(self) -> None:
        """The page holds the radar and the bar chart as inline <svg> elements."""
        _, html = page()
        classes = [a.get("class") for t, a in tags(html) if t == "svg"]
        assert "wo-chart wo-radar" in classes
        assert "wo-chart wo-bars" in classes

    def test_every_field_title_band_label_and_feedback(self) -> None:
        """Each field's title, band label, feedback and suggestions are on the page."""
        from html import escape

        doc, html = page()
        for field in doc.fields:
            assert f'id="field-{field.id}"' in html
            assert escape(field.title, quote=False) in html
            assert field.band is not None
            assert escape(field.band.label, quote=False) in html
            assert escape(field.band.feedback, quote=False) in html
            for suggestion in field.band.suggestions:
                assert escape(suggestion, quote=False) in html

    def test_english_page(self) -> None:
        """--lang en gives English words and lang="en"."""
        _, html = page("en")
        assert '<html lang="en">' in html
        assert "Fair access and participation" in html
        assert "What if" in html

    def test_cohort_section_and_chart(self) -> None:
        """With a cohort the page holds the cohort table and its chart."""
        _, html = page(cohort=6)
        assert 'id="cohort"' in html
        assert "wo-chart wo-cohort" in html
        _, plain = page()
        assert 'id="cohort"' not in plain


class TestSafety:
    def test_nothing_is_loaded_from_elsewhere(self) -> None:
        """No URL at all: no scripts, style sheets, images, fonts or namespaces from the web."""
        _, html = page(cohort=6)
        assert "http://" not in html
        assert "https://" not in html
        for tag, attrs in tags(html):
            assert tag not in ("script", "link", "img", "iframe", "object")
            for name in ("src", "href"):
                value = attrs.get(name)
                assert value is None or value.startswith("#"), (tag, attrs)
        assert "@import" not in html
        assert not re.search(r"url\((?!#)", html)

    def test_free_text_and_metadata_are_escaped(self) -> None:
        """A <script> in an answer or in the name is shown as text, never run."""
        _, html = page()
        assert "<script" not in html
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
        assert "Teststadt &lt;b&gt;am See&lt;/b&gt;" in html

    def test_ids_are_unique(self) -> None:
        """Several charts on one page never share an element id."""
        _, html = page(cohort=6)
        ids = [a["id"] for _, a in tags(html) if a.get("id")]
        assert len(ids) == len(set(ids))

    def test_print_layout_is_declared(self) -> None:
        """A4 pages, a page break before each field."""
        _, html = page()
        assert "size: A4" in html
        assert "break-before: page" in html


class TestCharts:
    def test_radar_is_deterministic_svg_without_prologue(self) -> None:
        """Same input, same SVG; it starts at <svg> and carries no metadata block."""
        a = radar_svg(["A", "B", "C"], [10.0, None, 90.0])
        assert a == radar_svg(["A", "B", "C"], [10.0, None, 90.0])
        assert a.startswith("<svg ")
        assert "<metadata" not in a
        assert "<?xml" not in a

    def test_bars_label_every_row(self) -> None:
        """Every row label and value text is text in the SVG."""
        svg = bars_svg(
            ["Alpha", "Beta"], [40.0, None], ["#111111", "#222222"], value_text=["40", "n/a"]
        )
        for text in ("Alpha", "Beta", "40", "n/a"):
            assert f">{text}<" in svg


def test_missing_extra_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without matplotlib the report fails with the pip command, not an ImportError."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'weltoffen\[report\]'"):
        render_html(document())
