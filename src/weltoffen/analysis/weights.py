"""Weights from data, and how much each part of a questionnaire really moves the total.

Data-driven weights (OECD/JRC *Handbook on Constructing Composite Indicators*, 2008, step 6):

* :func:`factor_analysis` / :func:`pca_weights` -- weights from principal components with varimax
  rotation: squared rotated loadings scaled to unity sum, each child counted on its own factor,
  factors weighted by the variance they explain. Needs numpy (``pip install weltoffen[analysis]``).
* :func:`entropy_analysis` / :func:`entropy_weights` -- Shannon entropy weights: a child whose
  scores differ more between respondents carries more weight. Pure Python.

Both return (or carry) a :class:`~weltoffen.strategies.Fixed` weighting, ready to put into a
questionnaire (``attrs.evolve(dimension, weighting=...)`` or ``kind: fixed`` in a file).

Diagnostics (:func:`effective_weights`): each question's and dimension's *nominal* share of the
total, the product of its normalised weights down the tree, beside the *effective* importance it
has in a cohort: the squared correlation of its score with the total.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs

from weltoffen.scoring.plan import NodePlan, ScoringPlan
from weltoffen.scoring.results import DimensionResult, Result
from weltoffen.strategies.weightings import Fixed

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "EffectiveWeight",
    "EntropyWeights",
    "FactorWeights",
    "ScoreMatrix",
    "effective_weights",
    "entropy_analysis",
    "entropy_weights",
    "factor_analysis",
    "pca_weights",
    "score_matrix",
]

#: The handbook's rules for how many factors to keep: eigenvalue above 1 or more than 10 % of the
#: variance each, and together at least 60 % of the variance.
_MIN_EIGENVALUE = 1.0
_MIN_SHARE = 0.10
_MIN_CUMULATIVE = 0.60


@attrs.frozen(kw_only=True)
class ScoreMatrix:
    """Scores (0..100) of the children of one dimension over a cohort.

    Attributes:
        ids: The children's ids, one per column.
        rows: One row per respondent; ``None`` where a child has no score.
        respondents: The respondents' ids, one per row (may be empty).
    """

    ids: tuple[str, ...]
    rows: tuple[tuple[float | None, ...], ...]
    respondents: tuple[str, ...] = ()

    def complete(self) -> list[tuple[float, ...]]:
        """The rows in which every child has a score (listwise deletion)."""
        return [tuple(v for v in row if v is not None) for row in self.rows if None not in row]


def score_matrix(results: Sequence[Result], dimension: str | None = None) -> ScoreMatrix:
    """The scores of *dimension*'s children (the top-level dimensions by default) per result.

    A dimension's children are its scored questions (from the trace: score the cohort with
    ``trace=True``) followed by its child dimensions, the order weightings see them in.

    Args:
        results: One result per respondent, all of the same questionnaire.
        dimension: The parent dimension's id; ``None`` for the top level.

    Returns:
        The matrix, columns in the order of the first result.

    Raises:
        KeyError: *dimension* is not in the results.
        ValueError: No results, or the parent holds questions but the results carry no trace.
    """
    if not results:
        raise ValueError("no results to take scores from")
    ids = [cid for cid, _ in _children(results[0], dimension)]
    rows = []
    for result in results:
        scores = dict(_children(result, dimension))
        rows.append(tuple(scores.get(cid) for cid in ids))
    return ScoreMatrix(
        ids=tuple(ids), rows=tuple(rows), respondents=tuple(r.respondent for r in results)
    )


def _children(result: Result, dimension: str | None) -> list[tuple[str, float | None]]:
    if dimension is None:
        return [(d.id, d.score) for d in result.dimensions]
    node = result.dimension(dimension)
    if not node.items and not node.dimensions:
        raise ValueError(
            f"dimension {dimension!r} shows no children: its questions' scores are only in a "
            "trace, so score the cohort with trace=True"
        )
    items = [(i.question, i.score) for i in node.items if i.weight > 0 or i.score is not None]
    return [*items, *((d.id, d.score) for d in node.dimensions)]


def _as_matrix(data: ScoreMatrix | Sequence[Result], dimension: str | None) -> ScoreMatrix:
    if isinstance(data, ScoreMatrix):
        return data
    return score_matrix(data, dimension)


# -- PCA / factor analysis -----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class FactorWeights:
    """Weights from principal components with varimax rotation, and how they came about.

    Attributes:
        ids: The children, in column order.
        n: Respondents used (those with a score for every child).
        eigenvalues: All eigenvalues of the correlation matrix, largest first.
        explained: Each component's share of the total variance.
        factors: How many components were kept.
        loadings: Rotated loadings, one row per child, one column per kept factor.
        factor_variance: Variance each rotated factor explains (column sums of squared loadings).
        scaled: Squared rotated loadings divided by their factor's variance (columns sum to 1).
        factor_of: The factor each child is counted on (where its scaled loading is largest).
        weights: Final weights, summing to 1.
    """

    ids: tuple[str, ...]
    n: int
    eigenvalues: tuple[float, ...]
    explained: tuple[float, ...]
    factors: int
    loadings: tuple[tuple[float, ...], ...]
    factor_variance: tuple[float, ...]
    scaled: tuple[tuple[float, ...], ...]
    factor_of: tuple[int, ...]
    weights: tuple[float, ...]

    @property
    def weighting(self) -> Fixed:
        """The weights as a :class:`~weltoffen.strategies.Fixed` weighting."""
        return Fixed(dict(zip(self.ids, self.weights)))


def factor_analysis(
    data: ScoreMatrix | Sequence[Result],
    *,
    dimension: str | None = None,
    factors: int | None = None,
) -> FactorWeights:
    """PCA/factor-analysis weights as in the OECD/JRC handbook (2008, section 6.1).

    The variant implemented, step by step:

    1. Keep the respondents with a score for every child (listwise deletion).
    2. Take the Pearson correlation matrix of the children's scores and its eigenvalues and
       eigenvectors (principal components of the standardised scores).
    3. Keep the leading components with an eigenvalue above 1 or more than 10 % of the variance
       each, adding components until together they explain at least 60 % (or keep *factors*).
    4. Loadings are eigenvectors times the square root of their eigenvalue; with two or more
       factors they are rotated by varimax with Kaiser normalisation (Kaiser 1958).
    5. Square the rotated loadings and divide each column by its sum (the variance that factor
       explains): "squared factor loadings scaled to unity sum". Signs are ignored.
    6. Count each child on the factor where its scaled squared loading is largest; its weight is
       that value times the factor's share of the variance the kept factors explain, and the
       weights are finally scaled to sum to 1.

    Args:
        data: A :class:`ScoreMatrix`, or results to take one from (see :func:`score_matrix`).
        dimension: With results: the parent whose children are weighted (default: top level).
        factors: Keep this many factors instead of applying the rules of step 3.

    Returns:
        The weights with every intermediate quantity.

    Raises:
        ValueError: Fewer than two children, fewer than three complete respondents, a child
            whose score never varies, or *factors* out of range.
        ModuleNotFoundError: numpy is not installed (``pip install weltoffen[analysis]``).
    """
    import numpy as np

    matrix = _as_matrix(data, dimension)
    rows = matrix.complete()
    p = len(matrix.ids)
    if p < 2:
        raise ValueError("factor analysis needs at least two children")
    if len(rows) < 3:
        raise ValueError(
            f"factor analysis needs at least 3 respondents with every child scored, got {len(rows)}"
        )
    x = np.asarray(rows, dtype=float)
    flat = [cid for cid, sd in zip(matrix.ids, x.std(axis=0)) if sd <= 1e-12]
    if flat:
        raise ValueError(
            f"{', '.join(map(repr, flat))} scores the same for every respondent: it has no "
            "correlations; leave it out or give it a weight by hand"
        )
    corr = np.corrcoef(x, rowvar=False)
    values, vectors = np.linalg.eigh(corr)
    order = np.argsort(values)[::-1]
    values, vectors = np.clip(values[order], 0.0, None), vectors[:, order]
    shares = values / values.sum()
    m = _retained(values, shares) if factors is None else factors
    if not 1 <= m <= p:
        raise ValueError(f"factors must be between 1 and {p}, got {m}")
    loadings = vectors[:, :m] * np.sqrt(values[:m])
    if m > 1:
        loadings = _varimax(loadings)
    # A factor's sign is arbitrary; make its largest loadings positive for readable output.
    loadings = loadings * np.where(loadings.sum(axis=0) < 0, -1.0, 1.0)
    squared = loadings**2
    variance = squared.sum(axis=0)
    scaled = squared / variance
    factor_of = scaled.argmax(axis=1)
    raw = scaled[np.arange(p), factor_of] * (variance / variance.sum())[factor_of]
    weights = raw / raw.sum()
    return FactorWeights(
        ids=matrix.ids,
        n=len(rows),
        eigenvalues=_floats(values),
        explained=_floats(shares),
        factors=m,
        loadings=tuple(_floats(row) for row in loadings),
        factor_variance=_floats(variance),
        scaled=tuple(_floats(row) for row in scaled),
        factor_of=tuple(int(f) for f in factor_of),
        weights=_floats(weights),
    )


def pca_weights(
    data: ScoreMatrix | Sequence[Result],
    *,
    dimension: str | None = None,
    factors: int | None = None,
) -> Fixed:
    """The weights of :func:`factor_analysis` as a :class:`~weltoffen.strategies.Fixed` weighting.

    Raises:
        ValueError: As :func:`factor_analysis`.
    """
    return factor_analysis(data, dimension=dimension, factors=factors).weighting


def _retained(values: npt.NDArray[np.float64], shares: npt.NDArray[np.float64]) -> int:
    keep = 0
    while keep < len(values) and (values[keep] > _MIN_EIGENVALUE or shares[keep] > _MIN_SHARE):
        keep += 1
    keep = max(keep, 1)
    while keep < len(values) and shares[:keep].sum() < _MIN_CUMULATIVE:
        keep += 1
    return keep


def _varimax(
    loadings: npt.NDArray[np.float64], iterations: int = 1000, tol: float = 1e-12
) -> npt.NDArray[np.float64]:
    """Varimax rotation with Kaiser normalisation (the SVD form of Kaiser's criterion)."""
    import numpy as np

    p, k = loadings.shape
    h = np.sqrt((loadings**2).sum(axis=1))
    h = np.where(h > 0, h, 1.0)
    a = loadings / h[:, None]
    rotation = np.eye(k)
    criterion = 0.0
    for _ in range(iterations):
        rotated = a @ rotation
        target = rotated**3 - rotated * ((rotated**2).sum(axis=0) / p)
        u, s, vt = np.linalg.svd(a.T @ target)
        rotation = u @ vt
        if s.sum() <= criterion * (1 + tol):
            break
        criterion = float(s.sum())
    result: npt.NDArray[np.float64] = (a @ rotation) * h[:, None]
    return result


def _floats(values: Any) -> tuple[float, ...]:
    return tuple(float(v) for v in values)


# -- entropy -------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class EntropyWeights:
    """Shannon entropy weights, and how they came about.

    Attributes:
        ids: The children, in column order.
        n: Respondents used (those with a score for every child).
        entropy: Each child's normalised entropy ``e`` (1 when every respondent scores the same).
        divergence: ``1 - e``, the information each child carries.
        weights: Divergences scaled to sum to 1.
    """

    ids: tuple[str, ...]
    n: int
    entropy: tuple[float, ...]
    divergence: tuple[float, ...]
    weights: tuple[float, ...]

    @property
    def weighting(self) -> Fixed:
        """The weights as a :class:`~weltoffen.strategies.Fixed` weighting."""
        return Fixed(dict(zip(self.ids, self.weights)))


def entropy_analysis(
    data: ScoreMatrix | Sequence[Result], *, dimension: str | None = None
) -> EntropyWeights:
    """Entropy weights from the scores (0..100) of a dimension's children.

    For child *j* over the *n* complete respondents: ``p_ij = x_ij / Σ_i x_ij``, its normalised
    entropy ``e_j = -Σ_i p_ij·ln p_ij / ln n`` (with ``0·ln 0 = 0``), its divergence
    ``d_j = 1 - e_j`` and its weight ``w_j = d_j / Σ_k d_k``. The scores are used as they are (they
    share the 0..100 scale already); a child scoring the same for everyone -- or 0 for everyone --
    has ``e = 1`` and weight 0. (Hwang and Yoon, *Multiple Attribute Decision Making*, 1981.)

    Args:
        data: A :class:`ScoreMatrix`, or results to take one from (see :func:`score_matrix`).
        dimension: With results: the parent whose children are weighted (default: top level).

    Raises:
        ValueError: Fewer than two complete respondents, a negative score, or no child whose
            scores vary (every weight would be 0).
    """
    matrix = _as_matrix(data, dimension)
    rows = matrix.complete()
    n = len(rows)
    if n < 2:
        raise ValueError(
            f"entropy weights need at least 2 respondents with every child scored, got {n}"
        )
    if any(v < 0 for row in rows for v in row):
        raise ValueError("entropy weights need scores >= 0")
    entropy = []
    for j in range(len(matrix.ids)):
        column = [row[j] for row in rows]
        total = math.fsum(column)
        if total <= 0:
            entropy.append(1.0)
            continue
        h = -math.fsum((v / total) * math.log(v / total) for v in column if v > 0)
        entropy.append(min(1.0, h / math.log(n)))
    divergence = [1.0 - e for e in entropy]
    spread = math.fsum(divergence)
    if spread <= 1e-12:
        raise ValueError("no child's scores vary between respondents: entropy gives no weights")
    return EntropyWeights(
        ids=matrix.ids,
        n=n,
        entropy=tuple(entropy),
        divergence=tuple(divergence),
        weights=tuple(d / spread for d in divergence),
    )


def entropy_weights(data: ScoreMatrix | Sequence[Result], *, dimension: str | None = None) -> Fixed:
    """The weights of :func:`entropy_analysis` as a :class:`~weltoffen.strategies.Fixed` weighting.

    Raises:
        ValueError: As :func:`entropy_analysis`.
    """
    return entropy_analysis(data, dimension=dimension).weighting


# -- effective weights ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class EffectiveWeight:
    """How much one question or dimension counts in the total: on paper and in a cohort.

    Attributes:
        id: The question or dimension id.
        kind: ``question`` or ``dimension``.
        parent: The id of the dimension it belongs to (the questionnaire id at the top).
        depth: 1 for the top-level dimensions, 2 for their children, ...
        local: Its share of its parent: its aggregation weight over the sum of its siblings'.
        nominal: Its share of the total: the product of the local shares from the top down.
        r2: In the cohort, the squared Pearson correlation of its score with the total score
            (0 when its score never varies; ``None`` without a cohort, with fewer than three
            respondents scored on both, when the total never varies, or for a question when the
            results carry no trace).
        r2_share: ``r2`` divided by the sum of ``r2`` over its siblings, comparable with ``local``.
        n: Respondents with both scores, on which ``r2`` rests.
    """

    id: str
    kind: Literal["question", "dimension"]
    parent: str
    depth: int
    local: float
    nominal: float
    r2: float | None = None
    r2_share: float | None = None
    n: int = 0


def effective_weights(
    plan: ScoringPlan, results: Sequence[Result] = ()
) -> tuple[EffectiveWeight, ...]:
    """Nominal shares of every scored question and dimension, and their effect in a cohort.

    The nominal share multiplies the normalised weights that enter each aggregation (for a
    ``sum`` aggregation these include the point ranges) from the top down; it is what a reader of
    the weights would expect each part to count for. How much a part *really* moves the total
    depends on how its scores vary and correlate in a cohort: ``r2`` is the share of the total's
    variance that a straight line through its score explains -- the linear first-order
    sensitivity measure Paruolo, Saisana and Saltelli (2013, "Ratings and rankings: voodoo or
    science?", J. R. Stat. Soc. A 176) compare with nominal weights. A part with a large nominal
    share but a small ``r2`` hardly changes anyone's total in this cohort.

    Args:
        plan: The compiled questionnaire.
        results: Results of a cohort scored with *plan* (with ``trace=True`` for questions).

    Returns:
        One entry per scored question and dimension, depth first in the questionnaire's order.
    """
    totals = [r.score for r in results]
    dims = [{d.id: d for d in r.iter_dimensions()} for r in results]
    out: list[EffectiveWeight] = []

    def item_score(dim: DimensionResult | None, qid: str) -> float | None:
        for item in dim.items if dim is not None else ():
            if item.question == qid:
                return item.score
        return None

    def visit(node: NodePlan, nominal: float, depth: int) -> None:
        total_weight = math.fsum(node.question_agg) + math.fsum(node.child_agg)

        def local(weight: float) -> float:
            return weight / total_weight if total_weight > 0 else 0.0

        fitted: list[tuple[EffectiveWeight, int | None]] = []
        for qi, aw in zip(node.questions, node.question_agg):
            qid = plan.questions[qi].question.id
            entry = _entry(qid, "question", node.id, depth, local(aw), nominal)
            scores = [item_score(d.get(node.id), qid) for d in dims]
            fitted.append((_with_r2(entry, scores, totals), None))
        for ci, aw in zip(node.children, node.child_agg):
            cid = plan.nodes[ci].id
            entry = _entry(cid, "dimension", node.id, depth, local(aw), nominal)
            scores = [d[cid].score if cid in d else None for d in dims]
            fitted.append((_with_r2(entry, scores, totals), ci))
        spread = math.fsum(e.r2 for e, _ in fitted if e.r2 is not None)
        for entry, child in fitted:
            share = entry.r2 / spread if entry.r2 is not None and spread > 0 else None
            out.append(attrs.evolve(entry, r2_share=share))
            if child is not None:
                visit(plan.nodes[child], entry.nominal, depth + 1)

    visit(plan.root, 1.0, 1)
    return tuple(out)


def _entry(
    id: str,
    kind: Literal["question", "dimension"],
    parent: str,
    depth: int,
    local: float,
    nominal: float,
) -> EffectiveWeight:
    return EffectiveWeight(
        id=id, kind=kind, parent=parent, depth=depth, local=local, nominal=nominal * local
    )


def _with_r2(
    entry: EffectiveWeight, scores: Sequence[float | None], totals: Sequence[float | None]
) -> EffectiveWeight:
    pairs = [(x, y) for x, y in zip(scores, totals) if x is not None and y is not None]
    return attrs.evolve(entry, r2=_r2(pairs), n=len(pairs))


def _r2(pairs: Sequence[tuple[float, float]]) -> float | None:
    """Squared Pearson correlation; 0 when *x* never varies, ``None`` when *y* never varies."""
    n = len(pairs)
    if n < 3:
        return None
    mx = math.fsum(x for x, _ in pairs) / n
    my = math.fsum(y for _, y in pairs) / n
    sxx = math.fsum((x - mx) ** 2 for x, _ in pairs)
    syy = math.fsum((y - my) ** 2 for _, y in pairs)
    if syy <= 1e-12 * max(1.0, my * my) * n:
        return None
    if sxx <= 1e-12 * max(1.0, mx * mx) * n:
        return 0.0
    sxy = math.fsum((x - mx) * (y - my) for x, y in pairs)
    return min(1.0, sxy * sxy / (sxx * syy))
