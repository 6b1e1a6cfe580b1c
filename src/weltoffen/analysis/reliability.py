"""Internal consistency per dimension: Cronbach's alpha, item–rest correlations, alpha if deleted.

The statistics follow R's ``psych::alpha`` with its default ``use = "pairwise"``: the item
covariance matrix is computed from pairwise-complete answers, so a respondent who skipped one
item still contributes to every other pair. Raw alpha comes from that covariance matrix, the
standardised alpha from the correlation matrix derived from it (``cov2cor``), and the item–rest
correlation (psych's ``r.drop``) from sums over the matrix. Reverse-keyed items enter with the
points the plan gives them (``min + max − x``), which is what psych's ``keys`` do.

Item scores are taken from the scoring trace (:func:`weltoffen.score` with ``trace=True``): an
item counts for a respondent only when it was answered; don't know, not applicable, skipped and
hidden questions are missing values here, whatever the scoring policy fills in.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence

import attrs

from weltoffen.model.answers import Response, State
from weltoffen.model.questions import ScaleQuestion
from weltoffen.scoring.engine import score
from weltoffen.scoring.plan import ScoringPlan
from weltoffen.scoring.results import ItemResult, Result

__all__ = [
    "AlphaStatistics",
    "DimensionReliability",
    "ItemReliability",
    "ItemTable",
    "ReliabilityReport",
    "assess_reliability",
    "cronbach",
    "item_table",
    "pairwise_covariance",
]

#: An item matrix: one row per respondent, one column per item, ``None`` where missing.
Rows = Sequence[Sequence[float | None]]


# -- plain statistics on a matrix ---------------------------------------------------------------


def pairwise_covariance(rows: Rows) -> list[list[float]]:
    """Covariances from pairwise-complete rows, as R's ``cov(x, use = "pairwise")``.

    Each pair of columns uses the rows where both are present, with their own means and the
    ``n − 1`` denominator. A pair with fewer than two common rows has ``nan``.
    """
    k = len(rows[0]) if rows else 0
    cov = [[math.nan] * k for _ in range(k)]
    for i in range(k):
        for j in range(i, k):
            pairs = [(r[i], r[j]) for r in rows if r[i] is not None and r[j] is not None]
            cov[i][j] = cov[j][i] = _covariance(pairs)  # type: ignore[arg-type]
    return cov


def _covariance(pairs: Sequence[tuple[float, float]]) -> float:
    n = len(pairs)
    if n < 2:
        return math.nan
    mx = math.fsum(x for x, _ in pairs) / n
    my = math.fsum(y for _, y in pairs) / n
    return math.fsum((x - mx) * (y - my) for x, y in pairs) / (n - 1)


def _correlation(pairs: Sequence[tuple[float, float]]) -> float | None:
    """Pearson's r over complete pairs; ``None`` when undefined."""
    sxy = _covariance(pairs)
    sxx = _covariance([(x, x) for x, _ in pairs])
    syy = _covariance([(y, y) for _, y in pairs])
    if not (sxx > 0 and syy > 0) or math.isnan(sxy):
        return None
    return sxy / math.sqrt(sxx * syy)


def _total(m: Sequence[Sequence[float]]) -> float:
    return math.fsum(v for row in m for v in row)


def _alpha_raw(c: Sequence[Sequence[float]]) -> float:
    n = len(c)
    return (1.0 - math.fsum(c[i][i] for i in range(n)) / _total(c)) * n / (n - 1)


def _alpha_std(r: Sequence[Sequence[float]]) -> float:
    n = len(r)
    return (1.0 - n / _total(r)) * n / (n - 1)


def _without(m: Sequence[Sequence[float]], i: int) -> list[list[float]]:
    return [[v for b, v in enumerate(row) if b != i] for a, row in enumerate(m) if a != i]


@attrs.frozen(kw_only=True)
class AlphaStatistics:
    """psych-style reliability statistics of one item matrix (items already keyed).

    Attributes:
        alpha: Raw alpha, ``k/(k−1) · (1 − tr C / ΣC)``.
        std_alpha: Standardised alpha, ``k/(k−1) · (1 − k / ΣR)`` (``None`` when ΣR <= 0).
        average_r: Mean inter-item correlation, ``(ΣR − k) / (k(k−1))``.
        mean: Mean of the respondents' item means (each over the items they answered).
        sd: Standard deviation of those person means.
        n: Per item, how many rows answered it.
        item_mean: Per item, its mean; ``item_sd`` its standard deviation.
        raw_r: Per item, the correlation with the person means (psych ``raw.r``).
        std_r: Per item, ``ΣR[, i] / √ΣR`` (psych ``std.r``; ``None`` when ΣR <= 0).
        r_drop: Per item, the correlation with the sum of the other items (psych ``r.drop``);
            ``None`` when that sum does not vary.
        alpha_if_deleted: Per item, raw alpha of the other items (``None`` with two items).
        std_alpha_if_deleted: Per item, standardised alpha of the other items.
    """

    alpha: float
    std_alpha: float | None
    average_r: float
    mean: float | None
    sd: float | None
    n: tuple[int, ...]
    item_mean: tuple[float, ...]
    item_sd: tuple[float, ...]
    raw_r: tuple[float | None, ...]
    std_r: tuple[float | None, ...]
    r_drop: tuple[float | None, ...]
    alpha_if_deleted: tuple[float | None, ...]
    std_alpha_if_deleted: tuple[float | None, ...]


def cronbach(rows: Rows, names: Sequence[str] | None = None) -> AlphaStatistics:
    """Reliability statistics of an item matrix, as ``psych::alpha(x, use = "pairwise")``.

    The items must already be keyed (reverse-keyed items flipped) and have some variance.

    Args:
        rows: One row per respondent, one column per item; ``None`` marks a missing answer.
        names: Item names for error messages (default: their positions).

    Returns:
        The statistics; see :class:`AlphaStatistics` for the formulas.

    Raises:
        ValueError: Fewer than two items, an item with no variance, a pair of items that was
            never answered together (its covariance is undefined), or a sum score without
            variance.
    """
    k = len(rows[0]) if rows else 0
    if k < 2:
        raise ValueError(f"alpha needs at least two items (got {k})")
    label = [repr(n) for n in names] if names is not None else [str(i) for i in range(k)]
    c = pairwise_covariance(rows)
    for i in range(k):
        if not c[i][i] > 0:
            raise ValueError(f"item {label[i]} has no variance")
        for j in range(i):
            if math.isnan(c[i][j]):
                raise ValueError(
                    f"items {label[j]} and {label[i]} have fewer than two answers in common"
                )
    sd = [math.sqrt(c[i][i]) for i in range(k)]
    r = [[c[i][j] / (sd[i] * sd[j]) for j in range(k)] for i in range(k)]
    sum_r = _total(r)
    if not _total(c) > 0:
        # The sum score has no variance: the items cancel out, alpha is undefined.
        raise ValueError("the item covariances sum to zero or less, so alpha is undefined")

    drop_raw: list[float | None] = [None] * k
    drop_std: list[float | None] = [None] * k
    r_drop: list[float | None] = [None] * k
    for i in range(k):
        rest_c = _without(c, i)
        rest_sum = _total(rest_c)
        if rest_sum > 0:
            with_rest = math.fsum(c[a][i] for a in range(k) if a != i)
            r_drop[i] = with_rest / math.sqrt(c[i][i] * rest_sum)
            # psych reports a correlation for two items; alpha of one item is undefined.
            if k > 2:
                drop_raw[i] = _alpha_raw(rest_c)
        rest_r = _without(r, i)
        if k > 2 and _total(rest_r) > 0:
            drop_std[i] = _alpha_std(rest_r)

    person: list[float | None] = []
    for row in rows:
        present = [v for v in row if v is not None]
        person.append(math.fsum(present) / len(present) if present else None)
    valid = [p for p in person if p is not None]
    mean = math.fsum(valid) / len(valid) if valid else None
    spread = math.sqrt(_covariance([(p, p) for p in valid])) if len(valid) > 1 else None
    columns = [[row[i] for row in rows] for i in range(k)]
    answered = [[v for v in col if v is not None] for col in columns]
    return AlphaStatistics(
        alpha=_alpha_raw(c),
        std_alpha=_alpha_std(r) if sum_r > 0 else None,
        average_r=(sum_r - k) / (k * (k - 1)),
        mean=mean,
        sd=spread,
        n=tuple(len(a) for a in answered),
        item_mean=tuple(math.fsum(a) / len(a) for a in answered),
        item_sd=tuple(sd),
        raw_r=tuple(
            _correlation([(p, v) for p, v in zip(person, col) if p is not None and v is not None])
            for col in columns
        ),
        std_r=tuple(
            math.fsum(r[a][i] for a in range(k)) / math.sqrt(sum_r) if sum_r > 0 else None
            for i in range(k)
        ),
        r_drop=tuple(r_drop),
        alpha_if_deleted=tuple(drop_raw),
        std_alpha_if_deleted=tuple(drop_std),
    )


# -- item scores from responses ----------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ItemTable:
    """Traced results of a set of responses, with each scored question's answered points.

    Attributes:
        plan: The plan the responses were scored with.
        results: One traced result per response, in the given order.
        items: Per result, question id -> its trace entry (scored questions only).
    """

    plan: ScoringPlan
    results: tuple[Result, ...]
    items: tuple[Mapping[str, ItemResult], ...]

    @property
    def respondents(self) -> tuple[str, ...]:
        """The respondents' ids, in order."""
        return tuple(r.respondent for r in self.results)

    def questions_of(self, dimension: str) -> tuple[str, ...]:
        """Ids of the scored questions in *dimension* and all its sub-dimensions, in order.

        Raises:
            KeyError: No dimension has that id.
        """
        plan = self.plan
        start = plan.node(dimension)
        out: list[str] = []
        stack = [start]
        while stack:
            node = stack.pop()
            out.extend(plan.questions[i].question.id for i in node.questions)
            stack.extend(plan.nodes[c] for c in reversed(node.children))
        return tuple(out)

    def points(self, question: str) -> list[float | None]:
        """The points each respondent earned on *question*; ``None`` unless answered."""
        return [
            entry.points
            if (entry := items.get(question)) and entry.state is State.ANSWERED
            else None
            for items in self.items
        ]

    def matrix(self, questions: Sequence[str]) -> list[list[float | None]]:
        """Rows of answered points (respondents × *questions*)."""
        columns = [self.points(q) for q in questions]
        return [list(row) for row in zip(*columns)] if columns else [[] for _ in self.items]


def item_table(plan: ScoringPlan, responses: Iterable[Response | Result]) -> ItemTable:
    """Score *responses* with a trace and index their items.

    Args:
        plan: From :func:`weltoffen.compile`.
        responses: Responses, or results already scored with ``trace=True`` under *plan*.

    Returns:
        The traced results with an index of item entries.

    Raises:
        ResponseError: A response does not fit the questionnaire.
        ValueError: A given result carries no trace.
    """
    results: list[Result] = []
    for given in responses:
        if isinstance(given, Result):
            if not given.traced:
                raise ValueError(
                    f"result of {given.respondent!r} has no trace; score with trace=True"
                )
            results.append(given)
        else:
            results.append(score(plan, given, trace=True))
    scored = {plan.questions[i].question.id for node in plan.nodes for i in node.questions}
    items = tuple(
        {
            item.question: item
            for dim in result.iter_dimensions()
            for item in dim.items
            if item.question in scored
        }
        for result in results
    )
    return ItemTable(plan=plan, results=tuple(results), items=items)


# -- reliability per dimension -----------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ItemReliability:
    """How one item behaves within its dimension.

    Attributes:
        question: The question id.
        reverse: Whether the item is reverse-keyed (its points were flipped).
        n: Respondents who answered it.
        mean: Mean points (after keying); ``sd`` their standard deviation.
        raw_r: Correlation with the respondents' mean over the dimension's items (psych ``raw.r``).
        std_r: Standardised item–total correlation (psych ``std.r``).
        r_drop: Correlation with the sum of the other items (item–rest, psych ``r.drop``);
            ``None`` when that sum does not vary.
        alpha_if_deleted: Raw alpha of the dimension without this item (``None`` for two items).
        std_alpha_if_deleted: Standardised alpha without this item.
    """

    question: str
    reverse: bool
    n: int
    mean: float
    sd: float
    raw_r: float | None
    std_r: float | None
    r_drop: float | None
    alpha_if_deleted: float | None
    std_alpha_if_deleted: float | None


@attrs.frozen(kw_only=True)
class DimensionReliability:
    """Reliability of one dimension (its questions and those of its sub-dimensions).

    Attributes:
        dimension: The dimension id.
        respondents: Respondents who answered at least one of its items.
        alpha: Raw Cronbach's alpha (``None`` when it cannot be computed; see *note*).
        std_alpha: Standardised alpha.
        average_r: Mean inter-item correlation.
        mean: Mean of the respondents' item means; ``sd`` their standard deviation.
        items: Per-item statistics of the items that entered.
        excluded: Items left out, question id -> why (no variance, too few answers).
        note: Why no alpha is given, when none is.
    """

    dimension: str
    respondents: int
    alpha: float | None
    std_alpha: float | None
    average_r: float | None
    mean: float | None = None
    sd: float | None = None
    items: tuple[ItemReliability, ...] = ()
    excluded: Mapping[str, str] = attrs.field(factory=dict)
    note: str | None = None

    def item(self, question: str) -> ItemReliability:
        """The statistics of *question*.

        Raises:
            KeyError: The question did not enter this dimension's statistics.
        """
        for item in self.items:
            if item.question == question:
                return item
        raise KeyError(question)


@attrs.frozen(kw_only=True)
class ReliabilityReport:
    """Reliability of every dimension over one set of responses.

    Attributes:
        instrument: The questionnaire id; ``version`` its version.
        respondents: How many responses were analysed.
        dimensions: One entry per dimension, depth first.
    """

    instrument: str
    version: str
    respondents: int
    dimensions: tuple[DimensionReliability, ...]

    def dimension(self, id: str) -> DimensionReliability:
        """The entry of dimension *id*.

        Raises:
            KeyError: No such dimension was analysed.
        """
        for dim in self.dimensions:
            if dim.dimension == id:
                return dim
        raise KeyError(id)


def assess_reliability(
    plan: ScoringPlan,
    responses: Iterable[Response | Result] | ItemTable,
    *,
    dimensions: Sequence[str] | None = None,
    progress: Callable[[int, int], object] | None = None,
) -> ReliabilityReport:
    """Cronbach's alpha and item statistics per dimension, as R's ``psych::alpha`` computes them.

    Each dimension's items are the scored questions in it and in all its sub-dimensions. Only
    answered items count; every other state is a missing value, and covariances are computed
    from pairwise-complete answers. Items without variance (or answered fewer than twice) are
    left out and listed in ``excluded``, as psych drops them.

    Args:
        plan: From :func:`weltoffen.compile`.
        responses: The responses (or traced results, or an :class:`ItemTable` of them).
        dimensions: Ids of the dimensions to analyse (default: all, depth first).
        progress: Called after each dimension with the dimensions done and the dimensions in
            all (for a progress bar: a dimension of many items takes a while on a big table).

    Returns:
        One :class:`DimensionReliability` per dimension.

    Raises:
        ResponseError: A response does not fit the questionnaire.
        KeyError: A name in *dimensions* is not a dimension of the plan.
    """
    table = responses if isinstance(responses, ItemTable) else item_table(plan, responses)
    if dimensions is None:
        dimensions = [d.id for _, d in plan.questionnaire.iter_dimensions()]
    out = []
    for dim in dimensions:
        out.append(_dimension(table, dim))
        if progress is not None:
            progress(len(out), len(dimensions))
    q = plan.questionnaire
    return ReliabilityReport(
        instrument=q.id, version=q.version, respondents=len(table.results), dimensions=tuple(out)
    )


def _dimension(table: ItemTable, dimension: str) -> DimensionReliability:
    plan = table.plan
    questions = table.questions_of(dimension)
    rows = table.matrix(questions)
    respondents = sum(1 for row in rows if any(v is not None for v in row))
    excluded: dict[str, str] = {}
    kept: list[int] = []
    for j, qid in enumerate(questions):
        answered = [row[j] for row in rows if row[j] is not None]
        if len(answered) < 2:
            excluded[qid] = f"answered {len(answered)} time(s); needs at least 2"
        elif max(answered) == min(answered):  # type: ignore[type-var]
            excluded[qid] = f"no variance: every answer earned {answered[0]:g} points"
        else:
            kept.append(j)
    empty = DimensionReliability(
        dimension=dimension,
        respondents=respondents,
        alpha=None,
        std_alpha=None,
        average_r=None,
        excluded=excluded,
    )
    if len(kept) < 2:
        return attrs.evolve(empty, note=f"needs at least two items with variance (has {len(kept)})")
    matrix = [[row[j] for j in kept] for row in rows]
    try:
        stats = cronbach(matrix, [questions[j] for j in kept])
    except ValueError as exc:
        return attrs.evolve(empty, note=f"cannot compute alpha: {exc}")
    items = []
    for n, j in enumerate(kept):
        question = plan.questions[plan.index[questions[j]]].question
        items.append(
            ItemReliability(
                question=questions[j],
                reverse=isinstance(question, ScaleQuestion) and question.reverse,
                n=stats.n[n],
                mean=stats.item_mean[n],
                sd=stats.item_sd[n],
                raw_r=stats.raw_r[n],
                std_r=stats.std_r[n],
                r_drop=stats.r_drop[n],
                alpha_if_deleted=stats.alpha_if_deleted[n],
                std_alpha_if_deleted=stats.std_alpha_if_deleted[n],
            )
        )
    return attrs.evolve(
        empty,
        alpha=stats.alpha,
        std_alpha=stats.std_alpha,
        average_r=stats.average_r,
        mean=stats.mean,
        sd=stats.sd,
        items=tuple(items),
    )
