"""Option points of XLSForm choice lists: the agreed ``points`` column, or numeric names.

XLSForm has no place for points. weltoffen reads them from an extra ``points`` column on the
``choices`` sheet (pyxform keeps extra columns beside each choice, so the form still converts and
``instance('list')/root/item[name=${q}]/points`` can read them in ODK). Where a workbook has that
column, a list with points is scored by them and a list without any is not scored (its questions
stay, unscored, for conditions and records); a list with points on some choices only is a
problem. Where the column is absent, a list whose choice names are all numbers is scored by those
numbers (the WFP and PHQ convention), and the report says so for each list.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from weltoffen.exceptions import Problem, ProblemCode
from weltoffen.interop.report import ReportBuilder
from weltoffen.interop.xlsform.sheets import Workbook

__all__ = ["POINTS", "STATE_CHOICES", "ListPoints", "list_points"]

#: The agreed extra column of the choices sheet.
POINTS = "points"

#: Choice names that are answer states, not options: they carry no points.
STATE_CHOICES = {"dont_know": "dont_know", "not_applicable": "not_applicable"}


@attrs.frozen
class ListPoints:
    """The points of one list's choices by name, or None when the list is not scored."""

    points: Mapping[str, float] | None
    source: str  # "column", "names" or "none"


def _number(text: str) -> float | None:
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def list_points(
    choices: Mapping[str, Sequence[Mapping[str, Any]]],
    book: Workbook,
    notes: ReportBuilder,
    problems: list[Problem],
) -> dict[str, ListPoints]:
    """Every list's points; a bad ``points`` cell adds a located problem to *problems*."""
    rows = {(r.get("list_name"), r.get("name")): r for r in book.rows("choices")}
    with_column = POINTS in book.headers("choices")
    out: dict[str, ListPoints] = {}
    for name, listed in choices.items():
        items = [i for i in listed if str(i.get("name", "")) not in STATE_CHOICES]
        where = {"source_id": name, "location": ("choices", name)}
        if with_column:
            given: dict[str, float] = {}
            missing: list[str] = []
            for item in items:
                choice = str(item.get("name", ""))
                raw = str(item.get(POINTS, "") or "").strip()
                if not raw:
                    missing.append(choice)
                    continue
                value = _number(raw)
                if value is None:
                    row = rows.get((name, choice))
                    cell = row.cell(POINTS) if row is not None else None
                    problems.append(
                        Problem(
                            ProblemCode.BAD_VALUE,
                            f"the points of choice {choice!r} of list {name!r} are no number"
                            + (f" ({cell.where()})" if cell else ""),
                            location=("choices", name, choice, POINTS),
                            got=raw,
                            file=book.path,
                            line=None if row is None else row.number,
                            cell=None if cell is None else cell.ref,
                        )
                    )
                    continue
                given[choice] = value
            if given and missing:
                row = rows.get((name, missing[0]))
                problems.append(
                    Problem(
                        ProblemCode.MISSING_KEY,
                        f"list {name!r} gives points for some choices but not for "
                        + ", ".join(repr(m) for m in missing),
                        location=("choices", name, missing[0], POINTS),
                        file=book.path,
                        line=None if row is None else row.number,
                        hint="give every choice of the list its points, or none",
                    )
                )
            if given:
                out[name] = ListPoints(given, "column")
                notes.exact("choice list", "points from the 'points' column", **where)
            else:
                out[name] = ListPoints(None, "none")
                notes.exact(
                    "choice list",
                    "no points in the 'points' column: its questions are not scored",
                    **where,
                )
            continue
        numbers = {str(i.get("name", "")): _number(str(i.get("name", ""))) for i in items}
        if numbers and all(v is not None for v in numbers.values()):
            out[name] = ListPoints({k: v for k, v in numbers.items() if v is not None}, "names")
            notes.approximated(
                "choice list",
                "no 'points' column: the numeric choice names are taken as points",
                hint="add a 'points' column to the choices sheet to say the points",
                **where,
            )
        else:
            out[name] = ListPoints(None, "none")
            notes.exact(
                "choice list",
                "no 'points' column and names that are not all numbers: not scored",
                **where,
            )
    return out
