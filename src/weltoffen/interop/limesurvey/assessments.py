"""LimeSurvey assessments as bands on points.

An assessment is a closed range ``minimum..maximum`` on the total of a group (scope ``G``) or of
the whole survey (scope ``T``), with a name and a message per language. LimeSurvey shows every
assessment whose range holds the total, and none where no range does; nothing forbids gaps or
overlaps. weltoffen's bands choose exactly one band for every attainable total, so ranges are
turned into bands with :func:`~weltoffen.interop.bands.bands_from_ranges`, after a repair that the
report names: a range that holds no attainable total is left out, and the attainable totals no
range holds get a band of their own without feedback. Overlapping ranges cannot be repaired (which
message would be meant?): the assessments of that group are not imported.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence

from weltoffen.interop.bands import ClosedRange, bands_from_ranges
from weltoffen.interop.limesurvey import survey as ls
from weltoffen.interop.limesurvey.questions import texts, where
from weltoffen.interop.report import ReportBuilder
from weltoffen.model.dimensions import Band
from weltoffen.model.questions import Choice, MultipleChoice, Question, ScaleQuestion, YesNo

__all__ = ["MAX_TOTALS", "attainable", "group_bands"]

_HTML = re.compile(r"<[A-Za-z/!][^>]*>|&[#A-Za-z0-9]+;")

#: Beyond this many different totals the bands are reported rather than built.
MAX_TOTALS = 100_000


def attainable(questions: Iterable[Question]) -> list[float] | None:
    """Every total the scored *questions* can add up to (a hidden question adds 0), or None."""
    totals = {0.0}
    for question in questions:
        if not question.scored:
            continue
        values: set[float]
        if isinstance(question, ScaleQuestion | Choice):
            values = {o.points for o in question.options}
        elif isinstance(question, YesNo):
            values = {question.yes_points, question.no_points}
        elif isinstance(question, MultipleChoice):
            values = {0.0}
            for option in question.options:
                values |= {v + option.points for v in values}
        else:
            return None
        if question.when is not None:
            values.add(0.0)
        totals = {round(t + question.weight * v, 9) for t in totals for v in values}
        if len(totals) > MAX_TOTALS:
            return None
    return sorted(totals)


def group_bands(
    survey: ls.Survey,
    group: ls.Group | None,
    questions: Sequence[Question],
    notes: ReportBuilder,
    language: str,
) -> tuple[Band, ...]:
    """The bands of *group*'s assessments (the survey's total ones when *group* is None)."""
    scope = "T" if group is None else "G"
    mine = [
        a for a in survey.assessments if a.scope == scope and (group is None or a.gid == group.gid)
    ]
    if not mine:
        return ()
    what = "the survey's total" if group is None else "the group's sum"
    if not survey.assessments_on:
        for a in mine:
            notes.approximated(
                "assessment",
                "assessments are switched off in the survey's settings; imported all the same",
                **where(a.row),
            )
    totals = attainable(questions)
    if totals is None or len(totals) < 2:
        for a in mine:
            notes.dropped(
                "assessment",
                f"{what} can take too many or too few values to band",
                **where(a.row),
            )
        return ()
    ranges = [
        ClosedRange(
            id=f"assessment-{a.id}",
            low=a.minimum,
            high=a.maximum,
            label=texts(a.name),
            feedback=texts(a.message),
        )
        for a in mine
    ]
    ordered = sorted(zip(ranges, mine, strict=True), key=lambda p: (p[0].low, p[0].high))
    overlaps = [
        f"{before[0]} and {after[0]}"
        for before, after in itertools.pairwise(ordered)
        if after[0].low <= before[0].high
    ]
    if overlaps:
        for a in mine:
            notes.dropped(
                "assessment",
                f"the ranges of {what} overlap ({'; '.join(overlaps)}), so LimeSurvey shows "
                "several messages at once; weltoffen's bands choose one: not imported",
                hint="make the ranges adjoin, then import again",
                **where(a.row),
            )
        return ()
    kept: list[ClosedRange] = []
    for r, a in ordered:
        if not any(r.low <= t <= r.high for t in totals):
            notes.approximated(
                "assessment",
                f"range {r} holds no total {what} can reach; left out",
                **where(a.row),
            )
            continue
        kept.append(r)
        message = f"a band on {what} ({r.low:g} to {r.high:g}, both included) with its message"
        lost = [
            what
            for what, found in (
                ("its HTML", any(_HTML.search(v) for v in a.message.values())),
                (
                    "its {...} placeholders are kept as text",
                    any("{" in v for v in a.message.values()),
                ),
            )
            if found
        ]
        if lost:
            notes.approximated(
                "assessment",
                message + "; lost from the message: " + ", ".join(lost),
                **where(a.row),
            )
        else:
            notes.exact("assessment", message, **where(a.row))
    fillers = _gaps(kept, totals)
    if fillers:
        shown = ", ".join(f"{f.low:g}-{f.high:g}" for f in fillers)
        place = mine[0].row
        notes.approximated(
            "assessment",
            f"no range of {what} holds the totals {shown}: LimeSurvey shows no message "
            "there; each gap is a band of its own without feedback",
            **where(place),
        )
    if not kept:
        return ()
    return bands_from_ranges([*kept, *fillers], totals)


def _gaps(ranges: Sequence[ClosedRange], totals: Sequence[float]) -> list[ClosedRange]:
    """Ranges of the consecutive attainable totals no range holds."""
    out: list[ClosedRange] = []
    run: list[float] = []
    for total in [*totals, None]:
        outside = total is not None and not any(r.low <= total <= r.high for r in ranges)
        if outside and total is not None:
            run.append(total)
            continue
        if run:
            out.append(
                ClosedRange(
                    id=f"no-assessment-{len(out) + 1}",
                    low=run[0],
                    high=run[-1],
                    label={"en": "no assessment"},
                )
            )
            run = []
    return out
