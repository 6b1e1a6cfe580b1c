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
    import statistics

    from weltoffen.reports.charts import cohort_svg, described, heatmap_svg

    L, num = document.labels, document.number
    out = {"distribution": "", "heatmap": ""}
    rows = document.fields
    if any(not r.suppressed for r in rows):
        boxes: list[tuple[float, float, float, float, float] | None] = [
            None
            if r.suppressed or None in (r.low, r.q1, r.median, r.q3, r.high)
            else (r.low or 0.0, r.q1 or 0.0, r.median or 0.0, r.q3 or 0.0, r.high or 0.0)
            for r in rows
        ]
        out["distribution"] = described(
            cohort_svg([r.title for r in rows], boxes, [None] * len(rows), ["#1f5f8b"] * len(rows)),
            "; ".join(
                f"{r.title}: "
                + (
                    f"{L['median']} {num(box[2])}, {L['quartiles']} {num(box[1])}–{num(box[3])}, "
                    f"{L['range']} {num(box[0])}–{num(box[4])}"
                    if box is not None
                    else L["suppressed"].format(n=document.min_group)
                )
                for r, box in zip(rows, boxes)
            ),
        )
    out.update(_change_charts(document))
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
        # thousands of cells have no sentence: the alternative gives each field's median cell
        medians, start = [], 0
        for title, count in heat.groups:
            cells = [v for row in heat.values for v in row[start : start + count] if v is not None]
            start += count
            medians.append(f"{title} {num(statistics.median(cells)) if cells else '–'}")
        out["heatmap"] = described(
            out["heatmap"],
            f"{L['heatmap_value']}, {L['median']} "
            f"({len(heat.rows)} × {len(heat.columns)}): " + "; ".join(medians),
        )
    return out


def _change_charts(document: CohortDocument) -> dict[str, str]:
    """One chart per step between rounds (``change-1``, ...), each with its text alternative."""
    from weltoffen.reports.charts import change_svg, described

    L, out = document.labels, {}
    change = document.change
    for k, step in enumerate(change.steps if change is not None else (), 1):
        rows = step.fields
        if all(r.suppressed for r in rows):
            continue
        boxes = [r.box for r in rows]
        sign = document.signed
        alt = "; ".join(
            f"{r.title}: "
            + (
                f"{L['median_change']} {sign(box[2])}, {L['quartiles']} {sign(box[1])} – "
                f"{sign(box[3])}, {L['range']} {sign(box[0])} – {sign(box[4])}, "
                f"{L['improved']} {r.improved}, {L['worsened']} {r.worsened}, "
                f"{L['unchanged']} {r.unchanged}"
                if box is not None
                else L["suppressed"].format(n=document.min_group)
            )
            for r, box in zip(rows, boxes)
        )
        svg = change_svg([r.title for r in rows], boxes, name=f"cohort-change-{k}")
        out[f"change-{k}"] = described(svg, f"{step.title}. {alt}")
    return out
