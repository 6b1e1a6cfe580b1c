"""The HTML report: one self-contained page with inline CSS and inline SVG charts.

The page loads nothing from elsewhere, so it works offline and can be mailed as one file; a print
style sheet lays it out on A4 with each field on its own page. It needs the optional extra
``report`` (jinja2 for the template, matplotlib for the charts); both are imported only here and
in :mod:`weltoffen.reports.charts`, and only when a report is rendered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from weltoffen.reports.charts import require_report_extra
from weltoffen.reports.document_views import ReportDocument
from weltoffen.reports.hyphens import SOFT_HYPHEN, hyphenate
from weltoffen.reports.numbers import number

if TYPE_CHECKING:
    import jinja2

__all__ = ["render_html", "render_page", "template_environment"]

#: The template, shipped as package data beside this module.
_TEMPLATE = "report.html.j2"


def render_html(document: ReportDocument) -> str:
    """The report as a complete HTML page.

    Every text from the questionnaire, the responses and the metadata is escaped (the template
    engine escapes by default); only the chart SVG, which matplotlib writes and escapes itself,
    is inserted as markup.

    Args:
        document: From :func:`weltoffen.reports.document.build_document`.

    Returns:
        The page, starting with ``<!DOCTYPE html>``.

    Raises:
        MissingExtraError: jinja2 or matplotlib is not installed.
    """
    require_report_extra()
    return render_page(_TEMPLATE, document, document.lang, document.percent, _charts(document))


def render_page(
    template: str,
    document: object,
    lang: str,
    percent: Callable[[float], str],
    charts: Mapping[str, str],
) -> str:
    """*template* rendered for *document*, with the chart SVGs inserted as markup.

    Call :func:`~weltoffen.reports.charts.require_report_extra` first: the charts need it.
    """
    from markupsafe import Markup

    from weltoffen._version import __version__

    env = template_environment(lang, percent)
    marked = {name: Markup(svg) for name, svg in charts.items()}
    return env.get_template(template).render(doc=document, charts=marked, version=__version__)


def template_environment(lang: str, percent: Callable[[float], str]) -> jinja2.Environment:
    """The template engine as the HTML reports use it, with their number filters.

    Templates come from the package (``weltoffen.reports/templates``); every value is escaped
    unless marked safe, and an undefined name is an error rather than an empty string.

    Args:
        lang: The language whose decimal mark the filters use.
        percent: Formats a share 0..1 as a percentage (the ``pct`` filter).

    Returns:
        The environment, with the filters ``num``, ``pct``, ``gain``, ``shy`` (soft hyphens)
        and ``css_pct``.
    """
    import jinja2
    from markupsafe import Markup, escape

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("weltoffen.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["num"] = lambda value, digits=1: number(value, lang, digits)
    env.filters["pct"] = percent
    env.filters["gain"] = lambda value: "+" + number(value, lang, 1)
    # Table headers are narrow: long words there break only where they may. Written as the
    # entity, the soft hyphen also survives output to a terminal, which escapes format characters.
    env.filters["shy"] = lambda text: Markup(
        str(escape(hyphenate(text, lang))).replace(SOFT_HYPHEN, "&shy;")
    )
    # A width for CSS: always a point as decimal mark, clamped to the bar.
    env.filters["css_pct"] = lambda value: f"{min(100.0, max(0.0, value)):.1f}%"
    return env


def _charts(document: ReportDocument) -> dict[str, str]:
    from weltoffen.reports.charts import bars_svg, cohort_svg, described, interval_svg, radar_svg

    labels = document.labels
    num = document.number
    fields = document.fields
    titles = [f.title for f in fields]
    scores = [f.score for f in fields]
    legend = document.band_legend
    # band edges on points have no place on the axis of scores
    ranges = legend if document.bands_on == "score" else ()
    edges = [low for _, _, low, _ in ranges if 0 < low < 100]
    profile = f"{labels['score']}: " + "; ".join(
        f"{f.title} {num(f.score) if f.score is not None else f.status or ''}" for f in fields
    )
    out: dict[str, Any] = {
        "radar": radar_svg(
            titles,
            scores,
            rings=[(low, high, color) for _, color, low, high in ranges],
            missing=labels["not_assessable"],
        ),
        "bars": bars_svg(
            titles,
            scores,
            [f.color for f in fields],
            legend=[(label, color) for label, color, _, _ in legend],
            edges=edges,
            value_text=[
                document.number(f.score) if f.score is not None else (f.status or "")
                for f in fields
            ],
        ),
        "cohort": "",
        "interval": "",
    }
    out["radar"] = described(out["radar"], profile)
    out["bars"] = described(out["bars"], profile)
    rows = [document.overall, *fields]
    if document.cohort_size is not None and any(
        r.cohort is not None and not r.cohort.suppressed for r in rows
    ):
        boxes = [
            None
            if r.cohort is None or r.cohort.suppressed
            else (r.cohort.low, r.cohort.q1, r.cohort.median, r.cohort.q3, r.cohort.high)
            for r in rows
        ]
        out["cohort"] = cohort_svg(
            [labels["overall"], *titles],
            boxes,
            [r.score for r in rows],
            [r.color for r in rows],
            own_label=labels["own"],
        )
        out["cohort"] = described(
            out["cohort"],
            "; ".join(
                f"{title}: {labels['own']} {num(r.score) if r.score is not None else '–'}, "
                + (
                    f"{labels['median']} {num(box[2])}, {labels['quartiles']} {num(box[1])}–"
                    f"{num(box[3])}, {labels['range']} {num(box[0])}–{num(box[4])}"
                    if box is not None
                    else labels["too_few"]
                )
                for title, r, box in zip([labels["overall"], *titles], rows, boxes)
            ),
        )
    spread = document.sensitivity
    if spread is not None:
        out["interval"] = interval_svg(
            [r.title for r in spread.rows],
            [
                None
                if r.median is None or r.low is None or r.high is None
                else (r.low, r.median, r.high)
                for r in spread.rows
            ],
            [r.nominal for r in spread.rows],
            [r.color for r in spread.rows],
            edges=edges,
            interval_label=spread.interval,
            median_label=labels["median"],
            nominal_label=labels["nominal"],
            missing=labels["no_score"],
        )
        out["interval"] = described(
            out["interval"],
            "; ".join(
                f"{r.title}: {labels['nominal']} "
                f"{num(r.nominal) if r.nominal is not None else labels['no_score']}"
                + (
                    f", {labels['median']} {num(r.median)}, {spread.interval} {num(r.low)}–"
                    f"{num(r.high)}"
                    if r.median is not None and r.low is not None and r.high is not None
                    else ""
                )
                for r in spread.rows
            ),
        )
    return out
