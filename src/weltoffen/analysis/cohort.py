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

The change of a cohort between rounds is in :mod:`weltoffen.analysis.cohort_change`.
"""

from __future__ import annotations

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

__all__ = [
    "PERCENTILE_METHOD",
    "QUANTILE_METHOD",
    "RANK_METHOD",
    "Cohort",
    "Group",
    "ItemMatrix",
    "ItemStats",
    "Position",
    "Summary",
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


# -- computing ---------------------------------------------------------------------------------


def suppressed_note(min_group: int) -> str:
    return f"suppressed: n < {min_group}"


def summarise(
    dimension: str,
    depth: int,
    members: Sequence[str],
    scores: Sequence[float | None],
    min_group: int,
) -> Summary:
    have = [(m, s) for m, s in zip(members, scores) if s is not None]
    if len(have) < min_group:
        return Summary(
            dimension=dimension, depth=depth, suppressed=True, note=suppressed_note(min_group)
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
        summarise(dim, depth, picked, [scores[dim][i] for i in rows], min_group)
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
                        note=suppressed_note(min_group),
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
                    note=suppressed_note(min_group),
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
