"""The change of a cohort between rounds: who rose, fell or stayed, and by how much.

Everything here reads finished results, as :mod:`weltoffen.analysis.cohort` does. The rounds are
ordered by date when every response of every round has a ``date`` in its metadata (a round dates
from its earliest response; rounds of the same date keep their order), else as given. Change is
taken between *consecutive* rounds, as ``weltoffen progress`` does: each member's later score
minus its earlier one, members matched by respondent id. A member of the later round without a
score in either round, or absent from the earlier round, has no change and counts as *missing*;
members of the earlier round absent from the later one are counted apart. A change counts as an
improvement when it is above zero, a decline when below, and unchanged when zero, after rounding
to 9 decimals. The distribution of change is summarised like scores (quartiles by type 7) and
suppressed below *min_group* members with a change, counts included.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import attrs

from weltoffen.analysis._tables import dimension_order, score_key, scores_by_dimension
from weltoffen.analysis.cohort import Summary, quartiles, summarise, suppressed_note
from weltoffen.exceptions import Problem, ProblemCode, ScoringError
from weltoffen.scoring.results import Result
from weltoffen.versions.migrate import MigrationNote

__all__ = [
    "ChangeStep",
    "ChangeSummary",
    "CohortChange",
    "CohortRound",
    "RoundResults",
    "change_summaries",
    "cohort_change",
]


@attrs.frozen(kw_only=True)
class ChangeSummary:
    """The distribution of one dimension's change between two rounds of a cohort.

    Attributes:
        dimension: The dimension id; the instrument id for the overall score.
        depth: 0 for the overall score, 1 for top-level dimensions, 2 below them, ...
        n: Members with a change (a score in both rounds); ``None`` when suppressed.
        missing: Members of the later round without a change (``None`` when suppressed).
        mean, median, q1, q3, min, max: Of the changes, later minus earlier score (``None`` when
            suppressed).
        improved: Members whose score rose; ``worsened`` fell; ``unchanged`` stayed (``None``
            when suppressed).
        suppressed: Whether the figures are withheld because too few members have a change.
        note: Why figures are withheld.
    """

    dimension: str
    depth: int
    n: int | None = None
    missing: int | None = None
    mean: float | None = None
    median: float | None = None
    q1: float | None = None
    q3: float | None = None
    min: float | None = None
    max: float | None = None
    improved: int | None = None
    worsened: int | None = None
    unchanged: int | None = None
    suppressed: bool = False
    note: str | None = None


@attrs.frozen(kw_only=True)
class RoundResults:
    """One round of a cohort as given: its members' results, all scored under one version.

    Attributes:
        label: How the round is named (a file name, say).
        results: One result per member.
        version: The version its responses were answered to (before any crosswalk).
        notes: What the crosswalks could not carry to the version scored.
    """

    label: str
    results: tuple[Result, ...]
    version: str | None = None
    notes: tuple[MigrationNote, ...] = ()


@attrs.frozen(kw_only=True)
class CohortRound:
    """One round of a cohort, in the order of the comparison.

    Attributes:
        label: As given.
        first, last: Its earliest and latest ``date`` (``None`` unless every member has one).
        version: The version its responses were answered to.
        n: Its members.
        given: Its place among the rounds as given (0 = the first).
        notes: What the crosswalks could not carry, per member.
    """

    label: str
    first: str | None
    last: str | None
    version: str | None
    n: int
    given: int
    notes: tuple[MigrationNote, ...] = ()

    def not_carried(self) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
        """The notes gathered by question and code, as (question, code, members), in the
        order they first occur."""
        gathered: dict[tuple[str, str], list[str]] = {}
        for note in self.notes:
            gathered.setdefault((note.question, note.code), []).append(note.respondent)
        return tuple((q, code, tuple(who)) for (q, code), who in gathered.items())


@attrs.frozen(kw_only=True)
class ChangeStep:
    """The change from one round to the next.

    Attributes:
        before, after: The rounds' labels.
        matched: Members in both rounds.
        only_before: Members of the earlier round absent from the later one.
        only_after: Members of the later round absent from the earlier one (they count as
            missing in every summary).
        summaries: The distribution of change per dimension: overall first, then depth first.
    """

    before: str
    after: str
    matched: int
    only_before: int
    only_after: int
    summaries: tuple[ChangeSummary, ...]


@attrs.frozen(kw_only=True)
class CohortChange:
    """A cohort over several rounds.

    Attributes:
        rounds: The rounds, oldest first (see the module notes for the order).
        steps: One per pair of consecutive rounds: ``steps[k]`` leads from ``rounds[k]`` to
            ``rounds[k + 1]``.
        min_group: The fewest members with a change a figure may rest on.
        ordered_by_date: Whether the rounds were ordered by date (else as given).
    """

    rounds: tuple[CohortRound, ...]
    steps: tuple[ChangeStep, ...]
    min_group: int
    ordered_by_date: bool


def _changes(
    before: Sequence[Result], after: Sequence[Result]
) -> tuple[list[str], list[tuple[str, int]], dict[str, list[float | None]]]:
    """The later round's members, its dimensions in order, and per dimension each member's
    change (later minus earlier score; ``None`` without both)."""
    members = [r.respondent for r in after]
    position = {r.respondent: i for i, r in enumerate(before)}
    now = scores_by_dimension(after)
    then = scores_by_dimension(before) if before else {}
    order = [(after[0].instrument, 0), *dimension_order(after)]

    def change(dim: str, i: int, member: str) -> float | None:
        a = now[dim][i]
        j = position.get(member)
        b = then[dim][j] if j is not None and dim in then else None
        return None if a is None or b is None else a - b

    return (
        members,
        order,
        {dim: [change(dim, i, m) for i, m in enumerate(members)] for dim, _ in order},
    )


def change_summaries(
    before: Sequence[Result], after: Sequence[Result], *, min_group: int = 5
) -> tuple[Summary, ...]:
    """The distribution of change between two rounds of a cohort, per dimension.

    Members are matched by respondent id; a member in only one round, or without a score in
    either, has no change for that dimension (it counts as missing). Each summary describes the
    changes (later minus earlier score) the way :func:`compare` describes scores, with the same
    suppression below *min_group* members; the overall change comes first, under the instrument
    id, then the later round's dimensions depth first.
    """
    if not after:
        return ()
    members, order, changes = _changes(before, after)
    return tuple(summarise(dim, depth, members, changes[dim], min_group) for dim, depth in order)


def _change_summary(
    dimension: str, depth: int, changes: Sequence[float | None], min_group: int
) -> ChangeSummary:
    values = [c for c in changes if c is not None]
    if len(values) < min_group:
        return ChangeSummary(
            dimension=dimension, depth=depth, suppressed=True, note=suppressed_note(min_group)
        )
    q1, median, q3 = quartiles(values)
    keys = [score_key(v) for v in values]
    return ChangeSummary(
        dimension=dimension,
        depth=depth,
        n=len(values),
        missing=len(changes) - len(values),
        mean=math.fsum(values) / len(values),
        median=median,
        q1=q1,
        q3=q3,
        min=min(values),
        max=max(values),
        improved=sum(1 for k in keys if k > 0),
        worsened=sum(1 for k in keys if k < 0),
        unchanged=sum(1 for k in keys if k == 0),
    )


def _round_dates(results: Sequence[Result]) -> tuple[str | None, str | None]:
    dates = [r.metadata.get("date") for r in results]
    if not dates or any(d is None or d == "" for d in dates):
        return None, None
    texts = [str(d) for d in dates]  # ISO dates sort as text
    return min(texts), max(texts)


def cohort_change(rounds: Sequence[RoundResults], *, min_group: int = 5) -> CohortChange:
    """A cohort over several rounds: the distribution of change between consecutive rounds.

    Args:
        rounds: Two or more rounds, every result scored under the same version of the same
            instrument (carry older rounds there first, see
            :func:`weltoffen.analysis.progress.carry`).
        min_group: Fewest members with a change a figure may rest on; below it, figures
            (counts of improved, worsened and unchanged members included) are suppressed.

    Returns:
        The rounds in order and one step per pair of consecutive rounds; see the module notes
        for the order and the methods.

    Raises:
        ScoringError: Fewer than two rounds, a round without results, results of different
            instruments or versions, a respondent twice in one round, or *min_group* below 1.
    """
    problems: list[Problem] = []
    if min_group < 1:
        problems.append(
            Problem(
                ProblemCode.OUT_OF_RANGE,
                "must be at least 1",
                location=("min_group",),
                got=str(min_group),
            )
        )
    if len(rounds) < 2:
        problems.append(
            Problem(
                ProblemCode.TOO_FEW,
                "a change needs at least two rounds",
                location=("rounds",),
                got=str(len(rounds)),
            )
        )
    first = next((r.results[0] for r in rounds if r.results), None)
    for k, given in enumerate(rounds):
        if not given.results:
            problems.append(
                Problem(ProblemCode.TOO_FEW, "a round needs at least one result", location=(k,))
            )
        seen: set[str] = set()
        for i, r in enumerate(given.results):
            if first is not None and (r.instrument, r.version) != (
                first.instrument,
                first.version,
            ):
                problems.append(
                    Problem(
                        ProblemCode.WRONG_INSTRUMENT,
                        f"result of {r.respondent!r} is scored under another version",
                        location=(k, i),
                        expected=f"{first.instrument} {first.version}",
                        got=f"{r.instrument} {r.version}",
                    )
                )
            if r.respondent in seen:
                problems.append(
                    Problem(
                        ProblemCode.DUPLICATE_RESPONDENT,
                        f"respondent {r.respondent!r} appears twice in round {given.label!r}",
                        location=(k, i),
                    )
                )
            seen.add(r.respondent)
    if problems:
        raise ScoringError(problems)
    dates = [_round_dates(r.results) for r in rounds]
    by_date = all(first_date is not None for first_date, _ in dates)
    order = list(range(len(rounds)))
    if by_date:
        order.sort(key=lambda k: str(dates[k][0]))  # stable: same dates keep their order
    steps = []
    for a, b in itertools.pairwise(order):
        before, after = rounds[a].results, rounds[b].results
        _, dims, changes = _changes(before, after)
        earlier = {r.respondent for r in before}
        later = {r.respondent for r in after}
        steps.append(
            ChangeStep(
                before=rounds[a].label,
                after=rounds[b].label,
                matched=len(earlier & later),
                only_before=len(earlier - later),
                only_after=len(later - earlier),
                summaries=tuple(
                    _change_summary(dim, depth, changes[dim], min_group) for dim, depth in dims
                ),
            )
        )
    return CohortChange(
        rounds=tuple(
            CohortRound(
                label=rounds[k].label,
                first=dates[k][0],
                last=dates[k][1],
                version=rounds[k].version,
                n=len(rounds[k].results),
                given=k,
                notes=rounds[k].notes,
            )
            for k in order
        ),
        steps=tuple(steps),
        min_group=min_group,
        ordered_by_date=by_date,
    )
