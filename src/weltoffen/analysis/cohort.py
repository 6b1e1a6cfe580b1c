"""Comparing a cohort of respondents: distributions, positions, peer groups, item gaps.

Everything here reads finished :class:`~weltoffen.scoring.results.Result` objects and never
rescores. Pure Python (the :mod:`statistics` module); no optional dependencies.

Methods, stated once so reports can cite them:

- **Quantiles** (median, first and third quartile) use linear interpolation between order
  statistics, the default of R's ``quantile`` (type 7) and of
  ``statistics.quantiles(method="inclusive")``: for sorted scores ``x[0..n-1]`` and share ``p``,
  ``h = (n - 1) p`` and ``Q(p) = x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h])``.
- **Percentile rank** of a score ``s`` among ``n`` scores: ``100 (below + equal / 2) / n``, where
  *below* counts scores lower than ``s`` and *equal* those equal to it (itself included) — the
  mid-rank definition, so tied members share one percentile and a single member sits at 50.
- **Rank**: 1 is the highest score; tied members share the best rank of their tie and the next
  rank skips accordingly (competition ranking, "1, 2, 2, 4").
- Scores are compared after rounding to 9 decimals, so that the same answers summed in another
  order still tie.
- Members without a score in a dimension (not assessable, not applicable) are counted as
  *missing* and get no rank or percentile.
- **Suppression**: any figure resting on fewer than *min_group* scored members (a peer group, a
  dimension within it, the whole cohort, an item's don't-know rate) is withheld; the object says
  ``suppressed: n < 5`` and carries no values, not even the exact count.
- **Don't-know rate** of an item: don't-know answers divided by the members to whom the item was
  shown (hidden follow-ups are not counted). It needs item traces: score with ``trace=True``.
- **Item matrix** (for a heatmap): members × scored items, each cell the item's score 0..100 when
  the member answered it, else ``None`` (don't know, skipped, not applicable, hidden).
- **Change between rounds** (:func:`cohort_change`): the rounds are ordered by date when every
  response of every round has a ``date`` in its metadata (a round dates from its earliest
  response; rounds of the same date keep their order), else as given. Change is taken between
  *consecutive* rounds, as ``weltoffen progress`` does: each member's later score minus its
  earlier one, members matched by respondent id. A member of the later round without a score in
  either round, or absent from the earlier round, has no change and counts as *missing*; members
  of the earlier round absent from the later one are counted apart. A change counts as an
  improvement when it is above zero, a decline when below, and unchanged when zero, after
  rounding to 9 decimals. The distribution of change is summarised like scores (quartiles by
  type 7) and suppressed below *min_group* members with a change, counts included.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from weltoffen._arguments import many
from weltoffen.analysis._tables import dimension_order, score_key, scores_by_dimension
from weltoffen.exceptions import Problem, ProblemCode, ScoringError
from weltoffen.model.answers import MetaValue, State
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.result_format import plain
from weltoffen.scoring.results import ItemResult, Result
from weltoffen.versions.migrate import MigrationNote

__all__ = [
    "PERCENTILE_METHOD",
    "QUANTILE_METHOD",
    "RANK_METHOD",
    "ChangeStep",
    "ChangeSummary",
    "Cohort",
    "CohortChange",
    "CohortRound",
    "Group",
    "ItemMatrix",
    "ItemStats",
    "Position",
    "RoundResults",
    "Summary",
    "change_summaries",
    "cohort_change",
    "cohort_view",
    "compare",
    "percentile_ranks",
    "quartiles",
    "ranks",
]

QUANTILE_METHOD = "linear interpolation between order statistics (R quantile type 7)"
PERCENTILE_METHOD = "mid-rank: 100 * (below + equal / 2) / n"
RANK_METHOD = "competition ranking, 1 = highest score, ties share the best rank"

GroupKey = str | Sequence[str]


# -- plain statistics --------------------------------------------------------------------------


def quartiles(values: Sequence[float]) -> tuple[float, float, float]:
    """First quartile, median and third quartile by R's type 7 (see the module notes).

    Raises:
        ValueError: *values* is empty.
    """
    if not values:
        raise ValueError("quartiles of no values")
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q2, q3


def percentile_ranks(values: Sequence[float]) -> list[float]:
    """The mid-rank percentile of each value among *values*, in the same order."""
    keys = [score_key(v) for v in values]
    n = len(keys)
    return [
        100.0 * (sum(1 for k in keys if k < mine) + 0.5 * sum(1 for k in keys if k == mine)) / n
        for mine in keys
    ]


def ranks(values: Sequence[float]) -> list[int]:
    """The competition rank of each value (1 = highest), in the same order."""
    keys = [score_key(v) for v in values]
    return [1 + sum(1 for k in keys if k > mine) for mine in keys]


# -- result objects ----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Position:
    """Where one member stands in one dimension.

    Attributes:
        respondent: The member.
        score: Its score 0..100 (``None``: not assessable or not applicable).
        rank: Its rank, 1 = highest (``None`` without a score).
        percentile: Its percentile rank 0..100 (``None`` without a score).
    """

    respondent: str
    score: float | None
    rank: int | None
    percentile: float | None


@attrs.frozen(kw_only=True)
class Summary:
    """The distribution of one dimension's scores over a set of members.

    Attributes:
        dimension: The dimension id; the instrument id for the overall score.
        depth: 0 for the overall score, 1 for top-level dimensions, 2 below them, ...
        n: Members with a score (``None`` when suppressed).
        missing: Members without a score (``None`` when suppressed).
        mean, median, q1, q3, min, max: Of the scores (``None`` when suppressed).
        positions: Each member's position, in input order (empty when suppressed).
        suppressed: Whether the figures are withheld because too few members have a score.
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
    positions: tuple[Position, ...] = ()
    suppressed: bool = False
    note: str | None = None


@attrs.frozen(kw_only=True)
class Group:
    """A peer group: the members sharing metadata values, with its own summaries.

    Attributes:
        keys: The metadata keys that form the group (``("type",)``).
        values: The shared values, one per key (``None``: the key is missing).
        n: Number of members (``None`` when suppressed).
        members: The members' ids (empty when suppressed).
        suppressed: Whether the group has fewer members than the minimum.
        note: Why figures are withheld.
        summaries: Per dimension, as for the whole cohort (empty when suppressed).
    """

    keys: tuple[str, ...]
    values: tuple[MetaValue, ...]
    n: int | None
    members: tuple[str, ...]
    suppressed: bool
    note: str | None
    summaries: tuple[Summary, ...]

    @property
    def label(self) -> str:
        """``type=landkreis`` (keys and values joined)."""
        return ", ".join(f"{k}={'' if v is None else v}" for k, v in zip(self.keys, self.values))


@attrs.frozen(kw_only=True)
class ItemStats:
    """How the cohort answered one question.

    Counts and rates are ``None`` when suppressed.

    Attributes:
        question: The question id.
        dimension: The dimension it belongs to.
        shown: Members to whom the question applied (its condition held).
        answered: Members who answered it.
        dont_know: Members who answered "don't know".
        not_applicable: Members who answered "not applicable".
        skipped: Members who left it empty.
        dont_know_rate: ``dont_know / shown`` (``None`` when nobody saw it).
        mean_score: Mean item score 0..100 of those who answered.
        suppressed: Whether fewer than the minimum saw the question.
        note: Why figures are withheld.
    """

    question: str
    dimension: str
    shown: int | None
    answered: int | None
    dont_know: int | None
    not_applicable: int | None
    skipped: int | None
    dont_know_rate: float | None
    mean_score: float | None
    suppressed: bool = False
    note: str | None = None


@attrs.frozen(kw_only=True)
class ItemMatrix:
    """Item scores across the cohort, for a heatmap.

    Attributes:
        respondents: Row labels.
        items: Column labels (question ids, in questionnaire order).
        dimensions: The dimension of each column.
        values: One row per respondent; each cell 0..100 when answered, else ``None``.
    """

    respondents: tuple[str, ...]
    items: tuple[str, ...]
    dimensions: tuple[str, ...]
    values: tuple[tuple[float | None, ...], ...]


@attrs.frozen(kw_only=True)
class Cohort:
    """The comparison of a cohort.

    Attributes:
        instrument: The questionnaire id.
        respondents: The members, in input order.
        min_group: The minimum number of scored members below which figures are suppressed.
        quantile_method, percentile_method, rank_method: The methods used, in words.
        summaries: Per dimension over the whole cohort, overall first, then depth first.
        groups: Peer groups, in the order the keys were given, values sorted.
        items: Per scored question (empty without traced results).
        matrix: Item scores for a heatmap (``None`` without traced results).
        notes: Remarks on what could not be computed.
    """

    instrument: str
    respondents: tuple[str, ...]
    min_group: int
    quantile_method: str = QUANTILE_METHOD
    percentile_method: str = PERCENTILE_METHOD
    rank_method: str = RANK_METHOD
    summaries: tuple[Summary, ...] = ()
    groups: tuple[Group, ...] = ()
    items: tuple[ItemStats, ...] = ()
    matrix: ItemMatrix | None = None
    notes: tuple[str, ...] = ()

    def summary(self, dimension: str) -> Summary:
        """The whole-cohort summary of *dimension* (the instrument id for overall).

        Raises:
            KeyError: No such dimension.
        """
        for s in self.summaries:
            if s.dimension == dimension:
                return s
        raise KeyError(dimension)


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


# -- computing ---------------------------------------------------------------------------------


def _suppressed_note(min_group: int) -> str:
    return f"suppressed: n < {min_group}"


def _summarise(
    dimension: str,
    depth: int,
    members: Sequence[str],
    scores: Sequence[float | None],
    min_group: int,
) -> Summary:
    have = [(m, s) for m, s in zip(members, scores) if s is not None]
    if len(have) < min_group:
        return Summary(
            dimension=dimension, depth=depth, suppressed=True, note=_suppressed_note(min_group)
        )
    values = [s for _, s in have]
    q1, median, q3 = quartiles(values)
    pct = dict(zip((m for m, _ in have), percentile_ranks(values)))
    rk = dict(zip((m for m, _ in have), ranks(values)))
    return Summary(
        dimension=dimension,
        depth=depth,
        n=len(values),
        missing=len(members) - len(values),
        mean=math.fsum(values) / len(values),
        median=median,
        q1=q1,
        q3=q3,
        min=min(values),
        max=max(values),
        positions=tuple(
            Position(respondent=m, score=s, rank=rk.get(m), percentile=pct.get(m))
            for m, s in zip(members, scores)
        ),
    )


def _summaries(
    rows: Sequence[int],
    members: Sequence[str],
    scores: Mapping[str, Sequence[float | None]],
    order: Sequence[tuple[str, int]],
    min_group: int,
) -> tuple[Summary, ...]:
    picked = [members[i] for i in rows]
    return tuple(
        _summarise(dim, depth, picked, [scores[dim][i] for i in rows], min_group)
        for dim, depth in order
    )


def _sort_key(value: MetaValue) -> tuple[int, str]:
    return (1, "") if value is None else (0, str(value))


def _groups(
    results: Sequence[Result],
    group_by: Sequence[GroupKey],
    scores: Mapping[str, Sequence[float | None]],
    order: Sequence[tuple[str, int]],
    min_group: int,
) -> list[Group]:
    members = [r.respondent for r in results]
    out: list[Group] = []
    for spec in group_by:
        keys = (spec,) if isinstance(spec, str) else tuple(spec)
        buckets: dict[tuple[MetaValue, ...], list[int]] = {}
        for i, r in enumerate(results):
            buckets.setdefault(tuple(r.metadata.get(k) for k in keys), []).append(i)
        for values in sorted(buckets, key=lambda vs: [_sort_key(v) for v in vs]):
            rows = buckets[values]
            if len(rows) < min_group:
                out.append(
                    Group(
                        keys=keys,
                        values=values,
                        n=None,
                        members=(),
                        suppressed=True,
                        note=_suppressed_note(min_group),
                        summaries=(),
                    )
                )
                continue
            out.append(
                Group(
                    keys=keys,
                    values=values,
                    n=len(rows),
                    members=tuple(members[i] for i in rows),
                    suppressed=False,
                    note=None,
                    summaries=_summaries(rows, members, scores, order, min_group),
                )
            )
    return out


def _traced_items(result: Result) -> list[tuple[str, ItemResult]]:
    """(dimension id, item) for every scored question in the result, in questionnaire order."""
    return [
        (d.id, item)
        for d in result.iter_dimensions()
        for item in d.items
        if item.weight > 0 and item.max_points > 0
    ]


def _items(results: Sequence[Result], min_group: int) -> tuple[tuple[ItemStats, ...], ItemMatrix]:
    columns: dict[str, str] = {}
    per_member: list[dict[str, ItemResult]] = []
    for r in results:
        mine: dict[str, ItemResult] = {}
        for dim, item in _traced_items(r):
            columns.setdefault(item.question, dim)
            mine[item.question] = item
        per_member.append(mine)
    stats: list[ItemStats] = []
    for qid, dim in columns.items():
        states = [m[qid].state for m in per_member if qid in m]
        shown = sum(1 for s in states if s is not State.HIDDEN)
        if shown < min_group:
            stats.append(
                ItemStats(
                    question=qid,
                    dimension=dim,
                    shown=None,
                    answered=None,
                    dont_know=None,
                    not_applicable=None,
                    skipped=None,
                    dont_know_rate=None,
                    mean_score=None,
                    suppressed=True,
                    note=_suppressed_note(min_group),
                )
            )
            continue
        answered = [
            s
            for m in per_member
            if qid in m and m[qid].state is State.ANSWERED and (s := m[qid].score) is not None
        ]
        dont_know = states.count(State.DONT_KNOW)
        stats.append(
            ItemStats(
                question=qid,
                dimension=dim,
                shown=shown,
                answered=states.count(State.ANSWERED),
                dont_know=dont_know,
                not_applicable=states.count(State.NOT_APPLICABLE),
                skipped=states.count(State.SKIPPED),
                dont_know_rate=dont_know / shown,
                mean_score=math.fsum(answered) / len(answered) if answered else None,
            )
        )

    def cell(item: ItemResult | None) -> float | None:
        if item is None or item.state is not State.ANSWERED:
            return None
        return item.score

    matrix = ItemMatrix(
        respondents=tuple(r.respondent for r in results),
        items=tuple(columns),
        dimensions=tuple(columns.values()),
        values=tuple(tuple(cell(m.get(q)) for q in columns) for m in per_member),
    )
    return tuple(stats), matrix


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
    return tuple(_summarise(dim, depth, members, changes[dim], min_group) for dim, depth in order)


def _change_summary(
    dimension: str, depth: int, changes: Sequence[float | None], min_group: int
) -> ChangeSummary:
    values = [c for c in changes if c is not None]
    if len(values) < min_group:
        return ChangeSummary(
            dimension=dimension, depth=depth, suppressed=True, note=_suppressed_note(min_group)
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


def compare(
    results: Sequence[Result],
    *,
    group_by: Sequence[GroupKey] = (),
    min_group: int = 5,
) -> Cohort:
    """Compare a cohort: per dimension distributions and positions, peer groups, item figures.

    Args:
        results: One result per member, all of the same instrument. Item figures (don't-know
            rates, the item matrix) need results scored with ``trace=True``.
        group_by: Metadata keys that form peer groups; each entry is one key (``"type"``) or a
            sequence of keys grouped together (``("type", "size")``).
        min_group: Fewest scored members a figure may rest on; below it, figures are suppressed.

    Returns:
        The comparison; see the module notes for the methods.

    Raises:
        ScoringError: No results, results of different instruments, a respondent twice, or
            *min_group* below 1.
        TypeError: *results* is not a list of results (a single one is refused).
    """
    results = many("compare(results)", results, Result, "a cohort is a list of results")
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
    if not results:
        problems.append(Problem(ProblemCode.TOO_FEW, "a cohort needs at least one result"))
    if problems:
        raise ScoringError(problems)
    instrument = results[0].instrument
    seen: set[str] = set()
    for i, r in enumerate(results):
        if r.instrument != instrument:
            problems.append(
                Problem(
                    ProblemCode.WRONG_INSTRUMENT,
                    f"result of {r.respondent!r} is for another instrument",
                    location=(i,),
                    expected=instrument,
                    got=r.instrument,
                )
            )
        if r.respondent in seen:
            problems.append(
                Problem(
                    ProblemCode.DUPLICATE_RESPONDENT,
                    f"respondent {r.respondent!r} appears twice",
                    location=(i,),
                )
            )
        seen.add(r.respondent)
    if problems:
        raise ScoringError(problems)

    order = [(instrument, 0), *dimension_order(results)]
    scores = scores_by_dimension(results)
    members = [r.respondent for r in results]
    everyone = list(range(len(results)))
    notes: list[str] = []
    items: tuple[ItemStats, ...] = ()
    matrix: ItemMatrix | None = None
    if all(r.traced for r in results):
        items, matrix = _items(results, min_group)
    else:
        notes.append("item figures need results scored with trace=True")
    return Cohort(
        instrument=instrument,
        respondents=tuple(members),
        min_group=min_group,
        summaries=_summaries(everyone, members, scores, order, min_group),
        groups=tuple(_groups(results, group_by, scores, order, min_group)),
        items=items,
        matrix=matrix,
        notes=tuple(notes),
    )


# -- plain data --------------------------------------------------------------------------------


def cohort_view(
    cohort: Cohort, questionnaire: Questionnaire | None = None, language: str | None = None
) -> dict[str, Any]:
    """The comparison as plain data for JSON (titles and question texts added when known).

    Args:
        cohort: From :func:`compare`.
        questionnaire: The instrument, to add titles and question texts.
        language: Language of those texts (default: the questionnaire's).

    Returns:
        A dict of lists, strings, numbers, booleans and ``None``: the plain form of
        :class:`~weltoffen.analysis.cohort_json.CohortResultView`.
    """
    # The typed view builds on this module's classes: imported here, not at the top.
    from weltoffen.analysis.cohort_json import describe_cohort

    data: dict[str, Any] = plain(describe_cohort(cohort, questionnaire, language))
    return data
