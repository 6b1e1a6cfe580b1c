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
import re
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from weltoffen.exceptions import WeltoffenError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["MissingExtraError", "bars_svg", "cohort_svg", "radar_svg", "require_report_extra"]

_INK = "#2b2b2b"
_GRID = "#c9c9c9"
_MUTED = "#6b6b6b"

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
        for level in (25, 50, 75, 100):
            ax.text(0, level, str(level), fontsize=8, color=_MUTED, ha="left", va="bottom")
        closed_angles = [*angles, angles[0]]
        closed = [float("nan") if v is None else v for v in [*values, values[0]]]
        if all(v is not None for v in values):
            ax.fill(closed_angles, closed, color=color, alpha=0.22)
        ax.plot(closed_angles, closed, color=color, linewidth=2)
        present = [(a, v) for a, v in zip(angles, values) if v is not None]
        ax.scatter([a for a, _ in present], [v for _, v in present], color=color, s=22, zorder=3)
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
        marked = [(r, v, c) for r, v, c in zip(rows, own, colors) if v is not None]
        if marked:
            ax.scatter(
                [v for _, v, _ in marked],
                [r for r, _, _ in marked],
                c=[c for _, _, c in marked],
                marker="D",
                s=46,
                edgecolors=_INK,
                linewidths=0.8,
                zorder=4,
                label=own_label or None,
            )
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
