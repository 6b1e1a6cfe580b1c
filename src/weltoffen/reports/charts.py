"""Charts for the HTML report, drawn with matplotlib and returned as inline SVG text.

matplotlib is an optional dependency (``pip install 'weltoffen[report]'``) and is imported only
when a chart is drawn. Figures are built with the object API (:class:`matplotlib.figure.Figure`),
never through ``pyplot``, so no GUI backend is touched and no global figure state is left behind;
``savefig`` renders with matplotlib's own SVG backend. The SVG is cleaned for inlining: no XML
prologue, no namespace URLs, no metadata, and ids salted per chart so several charts can share one
page.
"""

from __future__ import annotations

import io
import math
import re
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from weltoffen.exceptions import WeltoffenError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "MissingExtraError",
    "bars_svg",
    "change_svg",
    "cohort_svg",
    "described",
    "dumbbell_svg",
    "heatmap_svg",
    "interval_svg",
    "radar_svg",
    "require_report_extra",
    "rounds_radar_svg",
]

_INK = "#2b2b2b"
_GRID = "#c9c9c9"
_MUTED = "#6b6b6b"
#: Cells without a score in the heatmap: a light grey outside the colour map.
_MISSING = "#dcdcdc"

#: Fixed rendering settings: text stays text (selectable, small), output is reproducible.
_RC: dict[str, Any] = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
    "font.size": 11,
    "axes.edgecolor": _GRID,
    "axes.labelcolor": _INK,
    "xtick.color": _INK,
    "ytick.color": _INK,
    "text.color": _INK,
}


class MissingExtraError(WeltoffenError):
    """The optional dependencies of the HTML report are not installed."""


def require_report_extra() -> None:
    """Check that jinja2 and matplotlib can be imported.

    Raises:
        MissingExtraError: Either is missing; the message says how to install them.
    """
    try:
        import jinja2  # noqa: F401
        import matplotlib  # noqa: F401
    except ImportError as exc:
        raise MissingExtraError(
            f"the HTML report needs the optional extra 'report' ({exc.name} is not installed): "
            "pip install 'weltoffen[report]' — or use --format markdown"
        ) from None


@contextmanager
def _figure(name: str, width: float, height: float) -> Iterator[Figure]:
    require_report_extra()
    import matplotlib
    from matplotlib.figure import Figure

    # The salt makes generated ids depend on the chart, so two charts on a page never share one.
    settings: Any = {**_RC, "svg.hashsalt": f"weltoffen-{name}"}
    with matplotlib.rc_context(settings):
        yield Figure(figsize=(width, height), layout="constrained")


def _svg(fig: Figure, name: str) -> str:
    """The figure as an ``<svg>`` element that can sit beside other charts in one HTML page."""
    buffer = io.StringIO()
    no_metadata = {"Date": None, "Creator": None, "Format": None, "Type": None}
    # A tight box keeps long axis labels (radar) inside the picture.
    fig.savefig(buffer, format="svg", metadata=no_metadata, bbox_inches="tight", pad_inches=0.08)
    text = buffer.getvalue()
    text = text[text.index("<svg") :]  # drop the XML prologue and DOCTYPE (they name URLs)
    # Inline SVG in HTML needs no namespace declarations; the HTML parser supplies them.
    text = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", text)
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.S)
    # matplotlib numbers its ids per figure (figure_1, text_1, ...): prefix them per chart so
    # the page's ids stay unique, and keep the style sheet from reaching outside the chart.
    prefix = f"wo-{name}-"
    text = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}\1"', text)
    text = re.sub(r'(href="#|url\(#)([^")]+)', rf"\1{prefix}\2", text)
    text = text.replace("<svg ", f'<svg class="wo-chart wo-{name}" role="img" ', 1)
    text = text.replace("*{", f".wo-{name} *{{", 1)
    return text.strip() + "\n"


def described(svg: str, alt: str) -> str:
    """*svg* with *alt* as its text alternative (``aria-label`` and ``<title>``).

    Screen readers and accessibility checks read the alternative instead of the drawing, so it
    carries the chart's numbers, in the report's language.
    """
    from html import escape

    text = escape(alt, quote=True)
    svg = svg.replace('role="img" ', f'role="img" aria-label="{text}" ', 1)
    start = svg.index(">", svg.index("<svg")) + 1
    return f"{svg[:start]}<title>{text}</title>{svg[start:]}"


def _wrap(label: str, width: int) -> str:
    wrapped = textwrap.wrap(label, width=width, break_long_words=False, break_on_hyphens=False)
    return "\n".join(wrapped) or label


def radar_svg(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    rings: Sequence[tuple[float, float, str]] = (),
    color: str = "#1f5f8b",
    missing: str = "n/a",
) -> str:
    """A radar (spider) chart of scores 0..100 as inline SVG.

    Args:
        labels: One label per axis (field titles).
        values: The scores; ``None`` (no score) breaks the outline at that axis.
        rings: Bands to shade as rings, as (min, max, colour).
        color: Colour of the outline.
        missing: Added to the label of an axis without a score.

    Returns:
        The ``<svg>`` element as text.
    """
    import math

    n = len(labels)
    # First axis at the top, going clockwise; angles stay in 0..2π so the ticks never widen the
    # theta limits.
    angles = [2 * math.pi * k / n for k in range(n)]
    with _figure("radar", 6.0, 5.2) as fig:
        ax: Any = fig.add_subplot(projection="polar")
        ax.set_theta_offset(math.pi / 2)
        ax.set_theta_direction(-1)
        ax.set_ylim(0, 100)
        ring_theta = [2 * math.pi * k / 180 for k in range(181)]
        for low, high, ring_color in rings:
            ax.fill_between(ring_theta, low, high, color=ring_color, alpha=0.10, linewidth=0)
        ax.set_yticks([r[1] for r in rings[:-1]] if rings else [25, 50, 75])
        ax.set_yticklabels([])
        ax.set_xticks(angles)
        shown = [
            _wrap(label if v is not None else f"{label} ({missing})", 18)
            for label, v in zip(labels, values)
        ]
        ax.set_xticklabels(shown, fontsize=11)
        ax.tick_params(axis="x", pad=14)
        ax.grid(color=_GRID, linewidth=0.8)
        ax.spines["polar"].set_color(_GRID)
        closed_angles = [*angles, angles[0]]
        closed = [float("nan") if v is None else v for v in [*values, values[0]]]
        if all(v is not None for v in values):
            ax.fill(closed_angles, closed, color=color, alpha=0.22)
        ax.plot(closed_angles, closed, color=color, linewidth=2)
        present = [(a, v) for a, v in zip(angles, values) if v is not None]
        ax.scatter([a for a, _ in present], [v for _, v in present], color=color, s=22, zorder=3)
        # The ring values go on top, between the first two axes and on a white ground, so that
        # the profile never covers them.
        between = math.pi / n if n else 0.0
        for level in (25, 50, 75, 100):
            ax.text(
                between,
                level,
                str(level),
                fontsize=8,
                color=_MUTED,
                ha="center",
                va="center",
                zorder=5,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"},
            )
        return _svg(fig, "radar")


def bars_svg(
    labels: Sequence[str],
    values: Sequence[float | None],
    colors: Sequence[str],
    *,
    legend: Sequence[tuple[str, str]] = (),
    edges: Sequence[float] = (),
    value_text: Sequence[str] = (),
) -> str:
    """Horizontal bars of scores 0..100, one per row, coloured by band.

    Args:
        labels: Row labels (field titles), top to bottom.
        values: Scores; ``None`` draws no bar.
        colors: Bar colour per row.
        legend: Band (label, colour) pairs for a legend, lowest first.
        edges: Band boundaries to mark with dotted lines.
        value_text: Text shown at the end of each bar (or in place of a missing bar).

    Returns:
        The ``<svg>`` element as text.
    """
    n = len(labels)
    with _figure("bars", 7.2, 0.46 * n + 1.2) as fig:
        ax: Any = fig.add_subplot()
        rows = list(range(n))[::-1]
        widths = [0.0 if v is None else v for v in values]
        ax.barh(rows, widths, color=list(colors), height=0.62, zorder=2)
        for row, width, text in zip(rows, widths, value_text or [""] * n):
            ax.text(width + 1.2, row, text, va="center", fontsize=11, zorder=3)
        for edge in edges:
            ax.axvline(edge, color=_GRID, linestyle=":", linewidth=1, zorder=1)
        ax.set_yticks(rows)
        ax.set_yticklabels([_wrap(label, 30) for label in labels], fontsize=11)
        ax.set_xlim(0, 100)
        ax.set_xticks([0, 25, 50, 75, 100])
        ax.tick_params(axis="y", length=0)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        if legend:
            from matplotlib.patches import Patch

            handles = [Patch(color=c, label=label) for label, c in legend]
            fig.legend(
                handles=handles,
                loc="outside lower center",
                ncols=len(handles),
                frameon=False,
                fontsize=10,
            )
        return _svg(fig, "bars")


def cohort_svg(
    labels: Sequence[str],
    boxes: Sequence[tuple[float, float, float, float, float] | None],
    own: Sequence[float | None],
    colors: Sequence[str],
    *,
    own_label: str = "",
) -> str:
    """Each row's cohort distribution (range, middle half, median) with the respondent marked.

    Args:
        labels: Row labels, top to bottom.
        boxes: Per row (low, q1, median, q3, high), or ``None`` where figures are withheld.
        own: The respondent's score per row (``None``: no marker).
        colors: Colour of the respondent's marker per row (its band).
        own_label: Legend text for the marker.

    Returns:
        The ``<svg>`` element as text.
    """
    n = len(labels)
    with _figure("cohort", 7.2, 0.46 * n + 1.2) as fig:
        ax: Any = fig.add_subplot()
        rows = list(range(n))[::-1]
        for row, box in zip(rows, boxes):
            if box is None:
                continue
            low, q1, med, q3, high = box
            ax.hlines(row, low, high, color=_MUTED, linewidth=1.2, zorder=1)
            ax.barh(row, q3 - q1, left=q1, height=0.5, color="#d6dde4", edgecolor=_MUTED, zorder=2)
            ax.vlines(med, row - 0.25, row + 0.25, color=_INK, linewidth=2, zorder=3)
        _diamonds(ax, rows, own, colors, size=46, label=own_label)
        ax.set_yticks(rows)
        ax.set_yticklabels([_wrap(label, 30) for label in labels], fontsize=11)
        ax.set_xlim(0, 100)
        ax.set_ylim(-0.7, n - 0.3)
        ax.set_xticks([0, 25, 50, 75, 100])
        ax.grid(axis="x", color=_GRID, linestyle=":", linewidth=1)
        ax.tick_params(axis="y", length=0)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        return _svg(fig, "cohort")


def change_svg(
    labels: Sequence[str],
    boxes: Sequence[tuple[float, float, float, float, float] | None],
    *,
    name: str = "change",
) -> str:
    """Each row's distribution of change (range, middle half, median) around a line at zero.

    The axis is symmetric about zero and reaches the largest change, rounded up to ten (at
    least ±10, at most ±100), so that rises and falls look alike.

    Args:
        labels: Row labels, top to bottom.
        boxes: Per row (low, q1, median, q3, high) of the changes, or ``None`` where withheld.
        name: Names the chart's ids; give each chart of a page its own.

    Returns:
        The ``<svg>`` element as text.
    """
    n = len(labels)
    shown = [abs(v) for box in boxes if box is not None for v in (box[0], box[4])]
    reach = min(100.0, max(10.0, 10.0 * math.ceil(max(shown, default=0.0) / 10.0)))
    with _figure(name, 7.2, 0.46 * n + 1.2) as fig:
        ax: Any = fig.add_subplot()
        rows = list(range(n))[::-1]
        ax.axvline(0, color=_INK, linewidth=1.2, zorder=0)
        for row, box in zip(rows, boxes):
            if box is None:
                continue
            low, q1, med, q3, high = box
            ax.hlines(row, low, high, color=_MUTED, linewidth=1.2, zorder=1)
            ax.barh(row, q3 - q1, left=q1, height=0.5, color="#d6dde4", edgecolor=_MUTED, zorder=2)
            ax.vlines(med, row - 0.25, row + 0.25, color="#1f5f8b", linewidth=2.5, zorder=3)
        ax.set_yticks(rows)
        ax.set_yticklabels([_wrap(label, 30) for label in labels], fontsize=11)
        ax.set_xlim(-reach, reach)
        ax.set_ylim(-0.7, n - 0.3)
        ax.set_xticks([-reach, -reach / 2, 0, reach / 2, reach])
        ax.xaxis.set_major_formatter(lambda v, _: f"{v:+.0f}" if v else "0")
        ax.grid(axis="x", color=_GRID, linestyle=":", linewidth=1)
        ax.tick_params(axis="y", length=0)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        return _svg(fig, name)


def heatmap_svg(
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float | None]],
    groups: Sequence[tuple[str, int]],
    *,
    value_label: str = "",
    missing_label: str = "",
) -> str:
    """A heatmap of scores 0..100: one row per member, one column per item, items grouped.

    The cells are one image with crisp pixel edges (an SVG rectangle per cell would make a page
    of thousands of paths); labels, group separators and the legend stay text and lines.

    Args:
        rows: Row labels (members), top to bottom.
        columns: Column labels (item ids), left to right.
        values: One sequence per row, one cell per column; ``None`` is drawn as missing.
        groups: Consecutive column groups as (label, number of columns), left to right; their
            counts add up to the number of columns. Labelled above the map, separated by lines.
        value_label: Caption of the colour scale.
        missing_label: Legend text for missing cells (none when empty).

    Returns:
        The ``<svg>`` element as text.

    Raises:
        ValueError: The shape of *values* or the group counts do not fit the labels.
    """
    import numpy as np

    n_rows, n_cols = len(rows), len(columns)
    if len(values) != n_rows or any(len(row) != n_cols for row in values):
        raise ValueError(f"heatmap values must be {n_rows} rows of {n_cols} cells")
    if sum(count for _, count in groups) != n_cols:
        raise ValueError("heatmap groups must cover every column once")
    data = np.ma.masked_invalid(
        np.array([[np.nan if v is None else v for v in row] for row in values], dtype=float)
    )
    # Sized to print at full size on a landscape A4 page (about 10.3 × 6.2 inches) for ~100
    # items and ~40 members, so that no label prints below 7 pt. Item ids label the columns only
    # where a column is wide enough for them at that size; the field groups label them always.
    col_in = min(0.14, 8.3 / max(n_cols, 1))
    width = 2.0 + col_in * n_cols
    height = 1.6 + 0.115 * n_rows
    show_ids = col_in * 72 >= 7.5
    with _figure("heatmap", width, height) as fig:
        import matplotlib
        from matplotlib.patches import Rectangle
        from matplotlib.transforms import offset_copy

        ax: Any = fig.add_subplot()
        # A sequential, colour-blind safe map; missing cells take a neutral grey it never uses.
        cmap = matplotlib.colormaps["viridis"].with_extremes(bad=_MISSING)
        image = ax.imshow(data, cmap=cmap, vmin=0, vmax=100, aspect="auto", interpolation="none")
        ax.set_yticks(range(n_rows))
        ax.set_yticklabels(list(rows), fontsize=7.5)
        if show_ids:
            ax.set_xticks(range(n_cols))
            ax.set_xticklabels(list(columns), fontsize=7, rotation=90, color=_MUTED)
        else:
            ax.set_xticks([])
        ax.tick_params(length=0, pad=2)
        for side in ax.spines.values():
            side.set_visible(False)
        _group_labels(ax, fig, groups, col_in * 72, offset_copy)
        bar = fig.colorbar(
            image, ax=ax, location="bottom", shrink=0.3, aspect=25, pad=0.01, anchor=(0.0, 1.0)
        )
        bar.set_ticks([0, 25, 50, 75, 100])
        bar.ax.tick_params(labelsize=7)
        bar.outline.set_visible(False)
        if value_label:
            bar.set_label(value_label, fontsize=7.5)
        if missing_label:
            # The missing colour as a swatch right of the scale, so both read as one legend.
            where = bar.ax.transAxes
            bar.ax.add_patch(
                Rectangle((1.06, 0), 0.06, 1, transform=where, color=_MISSING, clip_on=False)
            )
            bar.ax.text(1.15, 0.5, missing_label, transform=where, va="center", fontsize=7.5)
        return _svg(fig, "heatmap")


def _group_labels(
    ax: Any, fig: Figure, groups: Sequence[tuple[str, int]], col_pt: float, offset_copy: Any
) -> None:
    """Label column groups above the map: a bracket over each group, its title above.

    A title wider than its group would run into the next one; such titles climb to a higher
    row (with a leader line down to their bracket) until they clear every title on that row.
    """
    fontsize = 7.0
    line_pt = fontsize * 1.25
    base = ax.get_xaxis_transform()  # x in columns, y in axes fractions (1 = top)
    right_edges: list[float] = []  # per row of titles: where its last title ends, in columns
    start = 0
    for k, (label, count) in enumerate(groups):
        if k > 0:
            ax.axvline(start - 0.5, color="#ffffff", linewidth=1.6)
        left, right = start - 0.5, start + count - 0.5
        centre = (left + right) / 2
        bracket = offset_copy(base, fig=fig, y=3, units="points")
        ax.plot(
            [left + 0.4, right - 0.4], [1, 1], transform=bracket, color=_INK, lw=0.8, clip_on=False
        )
        # Wrapped to the group's width where words allow, to keep titles on the first row.
        text = _wrap(label, max(12, int(count * col_pt / (fontsize * 0.6))))
        # Half the title's width in columns, from an average glyph width of 0.6 em.
        half = max(len(line) for line in text.split("\n")) * fontsize * 0.6 / col_pt / 2
        level = 0
        while level < len(right_edges) and right_edges[level] > centre - half - 0.3:
            level += 1
        if level == len(right_edges):
            right_edges.append(centre + half)
        right_edges[level] = centre + half
        rise = 5 + level * (2 * line_pt + 4)
        if level:
            ax.annotate(
                "",
                xy=(centre, 1),
                xycoords=bracket,
                xytext=(0, rise - 3),
                textcoords="offset points",
                arrowprops={"arrowstyle": "-", "color": _GRID, "lw": 0.8},
            )
        ax.annotate(
            text,
            xy=(centre, 1),
            xycoords=bracket,
            xytext=(0, rise),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=fontsize,
            linespacing=1.1,
        )
        start += count


def interval_svg(
    labels: Sequence[str],
    intervals: Sequence[tuple[float, float, float] | None],
    nominal: Sequence[float | None],
    colors: Sequence[str],
    *,
    edges: Sequence[float] = (),
    interval_label: str = "",
    median_label: str = "",
    nominal_label: str = "",
    missing: str = "",
) -> str:
    """Per row an interval of scores 0..100 with its median and the nominal score marked.

    Args:
        labels: Row labels, top to bottom.
        intervals: Per row (low, median, high), or ``None`` where there is no score.
        nominal: The score as defined, per row (``None``: no marker).
        colors: Colour of the nominal marker per row (its band).
        edges: Band boundaries to mark with dotted lines.
        interval_label, median_label, nominal_label: Legend texts (no legend when all empty).
        missing: Written in a row that has neither an interval nor a nominal score.

    Returns:
        The ``<svg>`` element as text.
    """
    n = len(labels)
    with _figure("interval", 7.2, 0.46 * n + 1.3) as fig:
        ax: Any = fig.add_subplot()
        rows = list(range(n))[::-1]
        for edge in edges:
            ax.axvline(edge, color=_GRID, linestyle=":", linewidth=1, zorder=1)
        drawn = [(r, iv) for r, iv in zip(rows, intervals) if iv is not None]
        for row, (low, _, high) in drawn:
            # A visible stub even when the interval collapses to one value.
            ax.barh(row, max(high - low, 0.4), left=low, height=0.34, color="#b9c9d6", zorder=2)
        if drawn:
            ax.scatter(
                [iv[1] for _, iv in drawn],
                [r for r, _ in drawn],
                marker="|",
                s=260,
                linewidths=2.4,
                color=_INK,
                zorder=3,
                label=median_label or None,
            )
        _diamonds(ax, rows, nominal, colors, size=40, label=nominal_label)
        if missing:
            for row, iv, v in zip(rows, intervals, nominal):
                if iv is None and v is None:
                    ax.text(1, row, missing, va="center", fontsize=10, color=_MUTED, style="italic")
        ax.set_yticks(rows)
        ax.set_yticklabels([_wrap(label, 30) for label in labels], fontsize=11)
        ax.set_xlim(0, 100)
        ax.set_ylim(-0.7, n - 0.3)
        ax.set_xticks([0, 25, 50, 75, 100])
        ax.tick_params(axis="y", length=0)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        if interval_label or median_label or nominal_label:
            from matplotlib.patches import Patch

            handles, texts = ax.get_legend_handles_labels()
            if interval_label:
                handles.insert(0, Patch(color="#b9c9d6"))
                texts.insert(0, interval_label)
            fig.legend(
                handles,
                texts,
                loc="outside lower center",
                ncols=len(handles),
                frameon=False,
                fontsize=10,
            )
        return _svg(fig, "interval")


def _diamonds(
    ax: Any,
    rows: Sequence[float],
    values: Sequence[float | None],
    colors: Sequence[str],
    *,
    size: float,
    label: str | None,
) -> None:
    """Mark each row's value (rows without one stay empty) with a diamond in its band colour."""
    marked = [(r, v, c) for r, v, c in zip(rows, values, colors) if v is not None]
    if marked:
        ax.scatter(
            [v for _, v, _ in marked],
            [r for r, _, _ in marked],
            c=[c for _, _, c in marked],
            marker="D",
            s=size,
            edgecolors=_INK,
            linewidths=0.8,
            zorder=4,
            label=label or None,
        )


#: Line colours of successive rounds (oldest first), told apart by dash too (greyscale print).
_ROUND_COLORS = ("#8c8c8c", "#1f5f8b", "#b35900", "#2e7d32")
_ROUND_DASHES = ("--", "-", "-.", ":")


def rounds_radar_svg(
    labels: Sequence[str], rounds: Sequence[tuple[str, Sequence[float | None]]]
) -> str:
    """Each round's profile (scores 0..100 per field) on one radar, with a legend of the rounds.

    Args:
        labels: One label per axis (field titles).
        rounds: (name, scores) per round, oldest first; ``None`` breaks the outline.
    """
    import math

    n = len(labels)
    angles = [2 * math.pi * k / n for k in range(n)]
    with _figure("progress-radar", 6.0, 5.6) as fig:
        ax: Any = fig.add_subplot(projection="polar")
        ax.set_theta_offset(math.pi / 2)
        ax.set_theta_direction(-1)
        ax.set_ylim(0, 100)
        ax.set_yticks([25, 50, 75])
        ax.set_yticklabels([])
        ax.set_xticks(angles)
        ax.set_xticklabels([_wrap(label, 18) for label in labels], fontsize=10)
        ax.tick_params(axis="x", pad=12)
        ax.grid(color=_GRID, linewidth=0.8)
        ax.spines["polar"].set_color(_GRID)
        for k, (name, values) in enumerate(rounds):
            color = _ROUND_COLORS[k % len(_ROUND_COLORS)]
            closed = [float("nan") if v is None else v for v in [*values, values[0]]]
            ax.plot(
                [*angles, angles[0]],
                closed,
                color=color,
                linewidth=2,
                linestyle=_ROUND_DASHES[k % len(_ROUND_DASHES)],
                label=name,
            )
        fig.legend(loc="lower center", ncols=max(1, len(rounds)), fontsize=10, frameon=False)
        return _svg(fig, "progress-radar")


def dumbbell_svg(
    labels: Sequence[str],
    before: Sequence[float | None],
    after: Sequence[float | None],
    names: tuple[str, str],
) -> str:
    """Per field a line from the earlier score (hollow dot) to the later one (filled dot).

    Args:
        labels: One row per field.
        before: The earlier scores (``None``: no dot).
        after: The later scores.
        names: The two rounds' names, for the legend.
    """
    height = 0.8 + 0.36 * len(labels)
    with _figure("progress-dumbbell", 6.4, height) as fig:
        ax: Any = fig.add_subplot()
        rows = list(range(len(labels)))[::-1]
        for y, b, a in zip(rows, before, after, strict=True):
            if b is not None and a is not None:
                ax.plot([b, a], [y, y], color=_GRID, linewidth=3, zorder=1)
        first = [(b, y) for b, y in zip(before, rows, strict=True) if b is not None]
        second = [(a, y) for a, y in zip(after, rows, strict=True) if a is not None]
        ax.scatter(
            [b for b, _ in first],
            [y for _, y in first],
            s=40,
            facecolors="white",
            edgecolors=_ROUND_COLORS[0],
            linewidths=1.5,
            zorder=2,
            label=names[0],
        )
        ax.scatter(
            [a for a, _ in second],
            [y for _, y in second],
            s=40,
            color=_ROUND_COLORS[1],
            zorder=3,
            label=names[1],
        )
        ax.set_yticks(rows)
        ax.set_yticklabels([_wrap(label, 34) for label in labels], fontsize=9)
        ax.set_xlim(0, 100)
        ax.tick_params(axis="x", labelsize=9)
        ax.grid(axis="x", color=_GRID, linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2, fontsize=9, frameon=False)
        return _svg(fig, "progress-dumbbell")
