"""Results as a plain-text table: the dimension tree, one line per dimension.

::

    team-wellbeing 1.0 · ben
    Dimension                      Score  Band             Coverage  Points
    Overall                         32.2  Under strain          87%  14.6/35
      Workload and pace             53.8  Holding up            80%  8.6/17

Scores are shown with one decimal, coverage as a whole percentage, points with at most two
decimals. With a traced result every question follows its dimension, with its state, score,
effective weight and why it was left out. The table is built from
:func:`~weltoffen.reports.views.result_views`, so it shows the same texts as the JSON, except that
a line break or other control character inside a text is escaped (``\\n``, ``\\x1b``): every
line of the table stays one line, and a terminal shows what is in the data instead of obeying it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from weltoffen._unicode import one_line
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.reports.views import (
    DimensionView,
    PlainAnswer,
    ResultView,
    TraceItemView,
    result_views,
)
from weltoffen.scoring.plan import ScoringPlan
from weltoffen.scoring.results import Result

__all__ = ["format_table"]

_INDENT = "  "
_MAX_TITLE = 48
_HEAD = ("Dimension", "Score", "Band", "Coverage", "Points", "")


def format_table(
    source: ScoringPlan | Questionnaire,
    results: Result | Iterable[Result],
    language: str | None = None,
) -> str:
    """One block per result: a heading line, then the overall score and every dimension.

    Args:
        source: The questionnaire the results were scored with (or its plan).
        results: One result or many.
        language: The language of titles and band labels (default: the questionnaire's).

    Returns:
        The text, ending in a newline; blocks are separated by a blank line.

    Raises:
        ScoringError: A result does not belong to this questionnaire.
    """
    views = result_views(source, [results] if isinstance(results, Result) else results, language)
    return "\n".join(_block(v) for v in views)


#: A dimension's cells: title, score, band, coverage, points, note. A plain string is the line of
#: a traced question, printed as it is.
_Row = tuple[str, str, str, str, str, str]


def _block(view: ResultView) -> str:
    rows: list[_Row | str] = []
    _collect(view, "Overall", 0, rows)
    cells = [r for r in rows if isinstance(r, tuple)]
    width = min(_MAX_TITLE, max(len(r[0]) for r in [_HEAD, *cells]))
    band_width = max(len(r[2]) for r in [_HEAD, *cells])
    lines = [one_line(f"{view.instrument} {view.version} · {view.respondent}")]
    lines.extend(r if isinstance(r, str) else _line(r, width, band_width) for r in [_HEAD, *rows])
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _collect(
    view: ResultView | DimensionView, title: str, depth: int, rows: list[_Row | str]
) -> None:
    band = view.band
    rows.append(
        (
            _INDENT * depth + one_line(title),
            _score(view.score),
            one_line(band.label) if band else "-",
            "-" if view.coverage is None else f"{view.coverage:.0%}",
            f"{_points(view.points)}/{_points(view.max_points)}",
            one_line(view.note or ""),
        )
    )
    items = view.items if isinstance(view, DimensionView) else None
    rows.extend(one_line(_item(item, _INDENT * (depth + 1))) for item in items or ())
    for child in view.dimensions:
        _collect(child, child.title, depth + 1, rows)


def _item(item: TraceItemView, indent: str) -> str:
    """One traced question, as a sentence-like line (its columns differ from a dimension's)."""
    head = f"{indent}· {item.question}"
    state = item.state
    if item.score is None:
        return f"{head}: {state}" + (f" ({item.note})" if item.note else "")
    value = _value(item.value) if state == "answered" else state
    text = (
        f"{head} = {value}: {_score(item.score)}"
        f" ({_points(item.points or 0.0)}/{_points(item.max_points)} points),"
        f" weight {_points(item.weight)}, effective {item.effective_weight:.1%}"
    )
    if item.contribution is not None:
        text += f", adds {item.contribution:.1f}"
    return f"{text} ({item.note})" if item.note else text


def _line(row: Sequence[str], width: int, band_width: int) -> str:
    title, score, band, coverage, points, note = row
    if len(title) > width:
        title = title[: width - 1] + "…"
    text = f"{title:<{width}}  {score:>5}  {band:<{band_width}}  {coverage:>8}  {points}"
    return f"{text}  ({note})" if note else text


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _points(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _value(value: PlainAnswer) -> str:
    if isinstance(value, tuple):
        return ";".join(str(v) for v in value) or "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
