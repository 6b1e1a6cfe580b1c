"""The cohort report: its document, the Markdown text and the HTML page with its charts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest

from tests.helpers import HOSTILE
from weltoffen import ScoringError, ScoringPlan, compile
from weltoffen.analysis.cohort import Cohort, compare
from weltoffen.instruments import load_instrument
from weltoffen.reports.cohort import (
    CohortDocument,
    build_cohort_document,
    render_cohort_markdown,
)
from weltoffen.scoring.results import Result

COHORT = Path(__file__).parent.parent / "examples" / "weltoffene-kommune" / "cohort.yaml"
SUPPRESSED_DE = "unterdrückt: weniger als 5 Mitglieder"

needs_extra = pytest.mark.skipif(
    not all(__import__("importlib").util.find_spec(m) for m in ("jinja2", "matplotlib")),
    reason="the HTML report needs the extra 'report'",
)


@cache
def plan() -> ScoringPlan:
    return compile(load_instrument("weltoffene-kommune", "1.0"))


@cache
def results() -> tuple[Result, ...]:
    """The example cohort of 40, the first member's name made hostile."""
    from weltoffen.cli._common import score_files

    scored = score_files(plan(), [str(COHORT)], trace=True)
    first = attrs.evolve(scored[0], metadata={**scored[0].metadata, "name": HOSTILE})
    return (first, *scored[1:])


@cache
def comparison(n: int = 40, min_group: int = 5) -> tuple[tuple[Result, ...], Cohort]:
    members = results()[:n]
    return members, compare(members, group_by=["type", ("type", "size")], min_group=min_group)


@cache
def document(lang: str | None = None, n: int = 40) -> CohortDocument:
    members, cohort = comparison(n)
    return build_cohort_document(plan().questionnaire, members, cohort, lang=lang)


@cache
def page(lang: str | None = None, n: int = 40) -> str:
    from weltoffen.reports.cohort import render_cohort_html

    return render_cohort_html(document(lang, n))


class _Rows(HTMLParser):
    """Start tags with attributes, and the text of every table cell per row."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def parse(html: str) -> _Rows:
    parser = _Rows()
    parser.feed(html)
    return parser


def field_titles(lang: str = "de") -> list[str]:
    from weltoffen.model.text import pick

    q = plan().questionnaire
    return [pick(d.title, lang, q.language) for d in q.dimensions]


class TestDocument:
    def test_figures_are_the_comparisons(self) -> None:
        """Every distribution row carries the comparison's own numbers, none recomputed."""
        _, cohort = comparison()
        doc = document()
        assert [d.id for d in doc.distributions] == [s.dimension for s in cohort.summaries]
        for row, summary in zip(doc.distributions, cohort.summaries):
            assert (row.n, row.median, row.q1, row.q3, row.low, row.high) == (
                summary.n,
                summary.median,
                summary.q1,
                summary.q3,
                summary.min,
                summary.max,
            )

    def test_members_by_name_without_ranks_by_default(self) -> None:
        """A comparison, not a league table: no rank anywhere unless asked for."""
        doc = document()
        assert not doc.ranked
        names = [m.name.casefold() for m in doc.members]
        assert names == sorted(names)
        assert all(c.rank is None for m in doc.members for c in (m.overall, *m.fields))
        from weltoffen.reports.cohort import render_cohort_html, render_cohort_markdown

        assert '<th scope="col" class="n">Rang</th>' not in render_cohort_html(doc)
        assert "| Rang |" not in render_cohort_markdown(doc)

    def test_members_sorted_by_overall_rank_with_the_comparisons_ranks(self) -> None:
        """With ranks: best first; each cell's rank is the member's position in that dimension."""
        members, cohort = comparison()
        doc = build_cohort_document(plan().questionnaire, members, cohort, ranks=True)
        assert doc.ranked
        from weltoffen.reports.cohort import render_cohort_html, render_cohort_markdown

        assert '<th scope="col" class="n">Rang</th>' in render_cohort_html(doc)
        assert "| Rang |" in render_cohort_markdown(doc)
        ranks = [m.overall.rank for m in doc.members]
        assert ranks == sorted(ranks, key=lambda r: (r is None, r or 0))
        fields = [d.id for d in plan().questionnaire.dimensions]
        for member in doc.members:
            for field, cell in zip(fields, member.fields):
                position = next(
                    p for p in cohort.summary(field).positions if p.respondent == member.respondent
                )
                assert (cell.score, cell.rank) == (position.score, position.rank)

    def test_suppressed_groups_carry_nothing_but_their_label(self) -> None:
        """A group under the minimum size keeps no size, no members and no medians."""
        doc = document()
        rows = [row for block in doc.groups for row in block.rows]
        small = [row for row in rows if row.suppressed]
        assert small, "the example cohort has small type × size groups"
        assert all((row.n, row.medians) == (None, ()) for row in small)
        assert all(
            row.n is not None and len(row.medians) == 8 for row in rows if not row.suppressed
        )

    def test_groups_are_named_and_ordered_like_the_answer_sheet(self) -> None:
        """Group titles and values come from the sheet's labels, in its order of codes."""
        doc = document()
        assert [b.title for b in doc.groups] == [
            "Art der Kommune",
            "Art der Kommune × Größenklasse nach Einwohnerzahl",
        ]
        assert [r.label for r in doc.groups[0].rows] == [
            "Kreisfreie Stadt",
            "Kreisangehörige Stadt oder Gemeinde",
            "Landkreis",
        ]

    def test_dont_know_items_highest_rate_first(self) -> None:
        """At most 15 items, by falling don't-know rate, each with its count and base."""
        doc = document()
        rates = [i.rate for i in doc.items]
        assert 0 < len(rates) <= 15
        assert rates == sorted(rates, reverse=True)
        assert all(i.dont_know / i.shown == i.rate for i in doc.items)

    def test_heatmap_rows_follow_the_member_table_and_columns_group_by_field(self) -> None:
        """Rows in the table's order; the column groups are the seven fields, covering all."""
        _, cohort = comparison()
        doc = document()
        assert doc.heatmap is not None
        assert cohort.matrix is not None
        assert doc.heatmap.rows == tuple(m.name for m in doc.members)
        assert [title for title, _ in doc.heatmap.groups] == field_titles()
        assert sum(count for _, count in doc.heatmap.groups) == len(cohort.matrix.items) == 103
        first = cohort.matrix.respondents.index(doc.members[0].respondent)
        assert doc.heatmap.values[0] == cohort.matrix.values[first]

    def test_a_cohort_below_the_minimum_shows_no_member_figures(self) -> None:
        """Three members: every figure suppressed, no member table, no heatmap."""
        doc = document(n=3)
        assert doc.suppressed
        assert doc.members == ()
        assert doc.heatmap is None
        assert all(d.suppressed for d in doc.distributions)

    def test_results_that_do_not_match_the_comparison_are_refused(self) -> None:
        members, cohort = comparison()
        with pytest.raises(ScoringError, match="not those the comparison was made from"):
            build_cohort_document(plan().questionnaire, members[:-1], cohort)


class TestMarkdown:
    def test_every_field_and_section(self) -> None:
        """Each field title, the groups, the don't-know list and the method are in the text."""
        text = render_cohort_markdown(document())
        for title in field_titles():
            assert title in text
        for heading in (
            "Verteilung je Handlungsfeld",
            "Mitglieder im Vergleich",
            "Vergleichsgruppen",
        ):
            assert f"## {heading}" in text
        assert "## Häufigste Antworten „weiß nicht“" in text
        assert SUPPRESSED_DE in text

    def test_tables_have_a_cell_per_column(self) -> None:
        """Every table row has as many cells as its header (nothing breaks a row)."""
        text = render_cohort_markdown(document())
        for block in re.findall(r"((?:^\|.*\|\n)+)", text, re.M):
            widths = {len(re.split(r"(?<!\\)\|", line)) for line in block.splitlines()}
            assert len(widths) == 1, block

    def test_names_are_escaped(self) -> None:
        """A member's name with markup comes out as literal text."""
        text = render_cohort_markdown(document())
        assert "<script>" not in text
        assert "&lt;script&gt;" in text

    def test_english(self) -> None:
        text = render_cohort_markdown(document("en"))
        assert text.startswith("# Cohort report:")
        assert "suppressed: fewer than 5 members" in text
        for title in field_titles("en"):
            assert title in text

    def test_small_cohort_says_why_figures_are_missing(self) -> None:
        text = render_cohort_markdown(document(n=3))
        assert "Weniger als 5 Mitglieder haben ein Gesamtergebnis" in text
        assert "## Mitglieder im Vergleich" not in text


@needs_extra
class TestHtml:
    def test_heatmap_and_distribution_charts_are_inline_svg(self) -> None:
        """Both charts are <svg> elements in the page; the heatmap's cells (and its colour
        scale) are inline images, not thousands of paths."""
        tags = parse(page()).tags
        classes = [a.get("class") for t, a in tags if t == "svg"]
        assert "wo-chart wo-heatmap" in classes
        assert "wo-chart wo-cohort" in classes
        images = [a for t, a in tags if t == "image"]
        assert len(images) == 2
        assert all((a.get("xlink:href") or "").startswith("data:image/png;") for a in images)

    def test_every_field_title(self) -> None:
        html = page()
        for title in field_titles():
            assert escape(title, quote=False) in html

    def test_suppressed_group_rows_show_only_their_label_and_the_reason(self) -> None:
        """The row of a small group: its label, an empty size cell and the suppression text."""
        html = page()
        doc = document()
        small = [r.label for b in doc.groups for r in b.rows if r.suppressed]
        rows = parse(html).rows
        for label in small:
            (row,) = [r for r in rows if r and r[0] == label]
            assert row == [label, "", SUPPRESSED_DE]

    def test_nothing_is_loaded_from_elsewhere(self) -> None:
        """No URL: only in-page references and the heatmap's inline image."""
        html = page()
        assert not re.search(r"https?://", html)
        for tag, attributes in parse(html).tags:
            assert tag not in ("script", "link", "img", "iframe", "object")
            for name in ("src", "href", "xlink:href"):
                value = attributes.get(name)
                assert value is None or value.startswith(("#", "data:image/png;base64,")), tag
        assert "@import" not in html
        assert not re.search(r"url\((?!#)", html)

    def test_names_are_escaped_in_tables_and_in_the_heatmap(self) -> None:
        """The hostile name shows as text in the member table and as a heatmap label."""
        html = page()
        assert "<script" not in html
        assert html.count("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") >= 1
        heatmap = html[html.index('class="wo-chart wo-heatmap"') :]
        assert "&lt;script&gt;" in heatmap[: heatmap.index("</svg>")]

    def test_ids_are_unique(self) -> None:
        ids = [a["id"] for _, a in parse(page()).tags if a.get("id")]
        assert len(ids) == len(set(ids))

    def test_english_page(self) -> None:
        html = page("en")
        assert '<html lang="en">' in html
        assert "Peer groups" in html
        assert "suppressed: fewer than 5 members" in html

    def test_small_cohort_page_has_no_charts_of_members(self) -> None:
        html = page(n=3)
        assert "wo-heatmap" not in html
        assert 'id="members"' not in html
        assert "Weniger als 5 Mitglieder haben ein Gesamtergebnis" in html

    def test_print_layout_puts_the_heatmap_on_a_landscape_page(self) -> None:
        html = page()
        assert "size: A4 landscape" in html
        assert "page: wide" in html


@needs_extra
class TestCharts:
    def test_heatmap_labels_rows_columns_and_groups(self) -> None:
        """Row and column labels and group titles are text; missing cells are allowed."""
        from weltoffen.reports.charts import heatmap_svg

        svg = heatmap_svg(
            ["Erste", "Zweite"],
            ["q1", "q2", "q3"],
            [[0.0, 50.0, None], [100.0, None, 25.0]],
            [("Feld A", 2), ("Feld B", 1)],
            value_label="Punkte",
            missing_label="fehlt",
        )
        assert svg.startswith("<svg ")
        for text in ("Erste", "Zweite", "q1", "q3", "Feld A", "Feld B", "Punkte", "fehlt"):
            assert f">{text}<" in svg

    @pytest.mark.parametrize(
        ("values", "groups"),
        [
            ([[1.0, 2.0]], [("A", 2)]),  # a row short
            ([[1.0], [2.0]], [("A", 2)]),  # groups cover more columns than there are
        ],
    )
    def test_heatmap_refuses_mismatched_shapes(
        self, values: Sequence[Sequence[float | None]], groups: Sequence[tuple[str, int]]
    ) -> None:
        from weltoffen.reports.charts import heatmap_svg

        with pytest.raises(ValueError, match="heatmap"):
            heatmap_svg(["a", "b"], ["x"], values, groups)

    def test_interval_chart_marks_missing_rows_and_labels_the_legend(self) -> None:
        from weltoffen.reports.charts import interval_svg

        svg = interval_svg(
            ["Gesamt", "Feld"],
            [(40.0, 50.0, 60.0), None],
            [52.0, None],
            ["#111111", "#222222"],
            edges=[25, 50, 75],
            interval_label="5–95 %",
            median_label="Median",
            nominal_label="Nominal",
            missing="keine Punktzahl",
        )
        for text in ("Gesamt", "Feld", "5–95 %", "Median", "Nominal", "keine Punktzahl"):
            assert f">{text}<" in svg
