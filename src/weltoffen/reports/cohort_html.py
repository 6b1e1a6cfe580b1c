"""The cohort report as one self-contained HTML page, like the single report.

It follows :mod:`weltoffen.reports.html`: inline CSS, charts as inline SVG drawn by matplotlib,
the template rendered by jinja2 with autoescaping, nothing loaded from elsewhere. It needs the
extra ``report``.
"""

from __future__ import annotations

from weltoffen.reports.cohort_views import CohortDocument

__all__ = ["render_cohort_html"]

#: The template, shipped as package data beside this module.
_TEMPLATE = "cohort.html.j2"


def render_cohort_html(document: CohortDocument) -> str:
    """The cohort report as one self-contained HTML page.

    Every text is escaped by the template engine; only the chart SVG, which matplotlib writes
    and escapes itself, is inserted as markup.

    Args:
        document: From :func:`weltoffen.reports.cohort.build_cohort_document`.

    Returns:
        The page, starting with ``<!DOCTYPE html>``.

    Raises:
        MissingExtraError: jinja2 or matplotlib is not installed.
    """
    from weltoffen.reports.charts import require_report_extra

    require_report_extra()
    from weltoffen.reports.html import render_page

    return render_page(_TEMPLATE, document, document.lang, document.percent, _charts(document))


def _charts(document: CohortDocument) -> dict[str, str]:
    from weltoffen.reports.charts import cohort_svg, heatmap_svg

    out = {"distribution": "", "heatmap": ""}
    rows = document.fields
    if any(not r.suppressed for r in rows):
        boxes: list[tuple[float, float, float, float, float] | None] = [
            None
            if r.suppressed or None in (r.low, r.q1, r.median, r.q3, r.high)
            else (r.low or 0.0, r.q1 or 0.0, r.median or 0.0, r.q3 or 0.0, r.high or 0.0)
            for r in rows
        ]
        out["distribution"] = cohort_svg(
            [r.title for r in rows], boxes, [None] * len(rows), ["#1f5f8b"] * len(rows)
        )
    heat = document.heatmap
    if heat is not None:
        out["heatmap"] = heatmap_svg(
            heat.rows,
            heat.columns,
            heat.values,
            heat.groups,
            value_label=document.labels["heatmap_value"],
            missing_label=document.labels["heatmap_missing"],
        )
    return out
