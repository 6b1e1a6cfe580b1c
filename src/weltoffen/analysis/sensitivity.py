"""Uncertainty and sensitivity analysis over declared methodological choices.

A :class:`Choices` object declares what may vary: the weights (perturbed uniformly within ±spread
or Dirichlet-distributed around the compiled weights), the aggregation (one of several registered
kinds) and the missing-answer policy (one of several). :func:`analyse_sensitivity` draws those
choices at random (``random.Random(seed)``), builds each variant of the questionnaire with
:func:`attrs.evolve`, compiles and scores it, and summarises:

* per respondent, the median score, the 5–95 % interval and the probability of each band, for the
  overall score and every dimension;
* for a cohort, each respondent's median rank and 5–95 % rank interval;
* variance-based sensitivity indices per choice: first order (Saltelli et al. 2010) and total
  effect (Jansen 1999), from a Saltelli design with ``draws × (k + 2)`` evaluations for ``k``
  declared choices.

The report repeats exactly what was varied, the number of draws and the seed; the same inputs give
the same report.
"""

from __future__ import annotations

import math
import os
import random
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import attrs

from weltoffen._arguments import expect_plan, many, wrong
from weltoffen._fields import checked
from weltoffen.exceptions import (
    DefinitionError,
    Location,
    Problem,
    ProblemCode,
    ScoringError,
    WeltoffenError,
)
from weltoffen.model.answers import Response
from weltoffen.model.dimensions import Dimension, Policies
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.registry import Registry, default_registry
from weltoffen.scoring.engine import score
from weltoffen.scoring.plan import ScoringPlan, compile
from weltoffen.scoring.results import Result
from weltoffen.strategies import Explicit
from weltoffen.typing import Aggregation, MissingPolicy

__all__ = [
    "Choices",
    "Index",
    "RankSummary",
    "RespondentSensitivity",
    "ScoreSummary",
    "SensitivityReport",
    "WeightChoice",
    "analyse_sensitivity",
    "check_choices",
    "load_choices",
    "quantile",
    "saltelli_design",
    "sobol_indices",
]

#: Lower and upper quantile of the reported intervals.
INTERVAL = (0.05, 0.95)


# -- declared choices --------------------------------------------------------------------------


@attrs.frozen(kw_only=True, field_transformer=checked)
class WeightChoice:
    """How weights vary.

    The centre is the compiled weights (whatever scheme produced them); a perturbed node's
    weighting becomes :class:`~weltoffen.strategies.Explicit` with the drawn weights.

    Attributes:
        method: ``uniform`` — each weight times an independent factor in
            ``[1 − spread, 1 + spread]``; ``dirichlet`` — within each group of siblings, shares
            drawn from ``Dirichlet(concentration · p)`` where ``p`` are the compiled shares, the
            group's total kept.
        spread: Half-width of the uniform factor, ``0 <= spread < 1``.
        concentration: Dirichlet concentration; larger stays closer to the compiled weights (the
            variance of a share ``p`` is ``p(1 − p) / (concentration + 1)``).
        targets: Which weights vary: those of child ``dimensions`` (and of the top-level fields
            in the overall score), of ``questions`` within their dimension, or ``all``.
    """

    method: Literal["uniform", "dirichlet"] = "uniform"
    spread: float = 0.2
    concentration: float = 50.0
    targets: Literal["dimensions", "questions", "all"] = "dimensions"


@attrs.frozen(kw_only=True, field_transformer=checked)
class Choices:
    """The methodological choices an analysis varies.

    Attributes:
        weights: How weights vary (``None``: they stay as compiled).
        aggregations: Alternative aggregations, each drawn with equal probability (empty: kept).
        aggregation_scope: Where a drawn aggregation applies: at ``all`` nodes (every dimension
            and the overall score) or only ``overall``.
        policies: Alternative missing-answer policies, each drawn with equal probability and
            applied to don't know and skipped alike, everywhere (empty: kept).
    """

    weights: WeightChoice | None = None
    aggregations: tuple[Aggregation, ...] = ()
    aggregation_scope: Literal["all", "overall"] = "all"
    policies: tuple[MissingPolicy, ...] = ()


def check_choices(choices: Choices) -> list[Problem]:
    """Every problem with *choices*: an empty declaration, out-of-range parameters."""
    problems = []
    w = choices.weights
    if w is not None:
        if not (math.isfinite(w.spread) and 0 <= w.spread < 1):
            problems.append(
                Problem(
                    ProblemCode.OUT_OF_RANGE,
                    "spread must lie in 0..1 (1 excluded)",
                    location=("weights", "spread"),
                    got=repr(w.spread),
                )
            )
        if not (math.isfinite(w.concentration) and w.concentration > 0):
            problems.append(
                Problem(
                    ProblemCode.OUT_OF_RANGE,
                    "concentration must be a finite number > 0",
                    location=("weights", "concentration"),
                    got=repr(w.concentration),
                )
            )
    if w is None and not choices.aggregations and not choices.policies:
        problems.append(
            Problem(
                ProblemCode.TOO_FEW,
                "nothing to vary",
                expected="weights, aggregations and/or policies",
            )
        )
    return problems


def load_choices(
    source: str | os.PathLike[str] | None = None,
    *,
    text: str | None = None,
    data: Any = None,
    registry: Registry = default_registry,
) -> Choices:
    """Read declared choices from a YAML or JSON file (or *text*, or plain *data*).

    Example::

        weights: {method: uniform, spread: 0.2, targets: dimensions}
        aggregations: [weighted_mean, geometric_mean]
        policies: [exclude, zero]

    Raises:
        DefinitionError: Every problem found, each with file and path.
    """
    from weltoffen.serialization.api import format_of, read_text
    from weltoffen.serialization.converter import make_converter
    from weltoffen.serialization.errors import problems_from
    from weltoffen.serialization.parsing import ParseFailure, parse

    name = None if source is None else os.fspath(source)
    lines: dict[Location, int] = {}
    if data is None:
        if source is not None:
            text = read_text(source, DefinitionError)
        if text is None:
            raise TypeError("give a source file, text= or data=")
        try:
            data, lines = parse(text, format_of(name or "", text), name)
        except ParseFailure as failure:
            raise DefinitionError([failure.problem]) from None
    try:
        choices = make_converter(registry).structure(data if data is not None else {}, Choices)
    except Exception as exc:  # cattrs gathers every failure; relocate them all
        raise DefinitionError(problems_from(exc)).with_source(name, lines) from None
    problems = check_choices(choices)
    if problems:
        raise DefinitionError(problems).with_source(name, lines)
    return choices


# -- the generic Monte Carlo machinery ----------------------------------------------------------


def quantile(values: Sequence[float], p: float) -> float:
    """The *p*-quantile of *values* by linear interpolation (R's type 7, numpy's default).

    Raises:
        ValueError: *values* is empty.
    """
    if not values:
        raise ValueError("quantile of no values")
    ordered = sorted(values)
    h = (len(ordered) - 1) * p
    lo = math.floor(h)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (h - lo) * (ordered[hi] - ordered[lo])


Row = tuple[Any, ...]


def saltelli_design(
    samplers: Sequence[Callable[[random.Random], Any]], n: int, rng: random.Random
) -> tuple[list[Row], list[Row], list[list[Row]]]:
    """Matrices A, B and A_B^i of a Saltelli design with *n* rows.

    Each row holds one value per factor, drawn by that factor's sampler (A first, then B, row by
    row, factor by factor, so a seed fixes everything). ``A_B^i`` is A with factor *i* taken from B.

    Returns:
        ``(A, B, [A_B^1, ..., A_B^k])``.
    """
    a = [tuple(s(rng) for s in samplers) for _ in range(n)]
    b = [tuple(s(rng) for s in samplers) for _ in range(n)]
    ab = [[(*ra[:i], rb[i], *ra[i + 1 :]) for ra, rb in zip(a, b)] for i in range(len(samplers))]
    return a, b, ab


def sobol_indices(
    y_a: Sequence[float], y_b: Sequence[float], y_ab: Sequence[Sequence[float]]
) -> list[tuple[float | None, float | None]]:
    """First-order and total-effect indices per factor from a Saltelli design.

    The outputs are first centred on the mean ``m`` of A and B together (which leaves both
    estimands unchanged but makes the first-order estimate far less noisy when scores sit far
    from zero). ``V`` is the variance of all outputs of A and B;
    ``S_i = mean((f(B) − m) · (f(A_B^i) − f(A))) / V`` (Saltelli et al. 2010) and
    ``ST_i = mean((f(A) − f(A_B^i))²) / (2V)`` (Jansen 1999). Both are ``None`` when the output
    does not vary. Estimates can stray slightly outside 0..1 with few draws.
    """
    both = [*y_a, *y_b]
    mean = math.fsum(both) / len(both)
    variance = math.fsum((y - mean) ** 2 for y in both) / len(both)
    if variance <= 1e-12 * max(1.0, mean * mean):
        return [(None, None) for _ in y_ab]
    n = len(y_a)
    out: list[tuple[float | None, float | None]] = []
    for yi in y_ab:
        first = math.fsum((b - mean) * (c - a) for a, b, c in zip(y_a, y_b, yi)) / n / variance
        total = math.fsum((a - c) ** 2 for a, c in zip(y_a, yi)) / (2 * n) / variance
        out.append((first, total))
    return out


def _ranks(values: Sequence[float | None]) -> list[float | None]:
    """Rank 1 for the highest value; ties share their average rank; ``None`` stays unranked."""
    order = sorted((v, i) for i, v in enumerate(values) if v is not None)
    ranks: list[float | None] = [None] * len(values)
    pos = len(order)
    while pos > 0:
        end = pos
        while pos > 0 and order[pos - 1][0] == order[end - 1][0]:
            pos -= 1
        shared = (len(order) - end + 1 + len(order) - pos) / 2  # average of the tied positions
        for _, i in order[pos:end]:
            ranks[i] = shared
    return ranks


# -- building variants ----------------------------------------------------------------------------


@attrs.frozen
class _Group:
    """The children of one node whose weights may change together."""

    path: str
    keys: tuple[str, ...]  # question ids, or the paths of child dimensions
    base: tuple[float, ...]
    targeted: tuple[bool, ...]


def _groups(plan: ScoringPlan, targets: str) -> list[_Group]:
    groups = []
    for node in plan.nodes:
        keys = [plan.questions[i].question.id for i in node.questions]
        keys += [plan.nodes[c].path for c in node.children]
        base = (*node.question_weights, *node.child_weights)
        targeted = [targets in ("questions", "all")] * len(node.questions)
        targeted += [targets in ("dimensions", "all")] * len(node.children)
        if any(t and w > 0 for t, w in zip(targeted, base)):
            groups.append(_Group(node.path, tuple(keys), tuple(base), tuple(targeted)))
    return groups


def _weight_sampler(
    choice: WeightChoice, groups: Sequence[_Group]
) -> Callable[[random.Random], tuple[tuple[float, ...], ...]]:
    def uniform(rng: random.Random) -> tuple[tuple[float, ...], ...]:
        lo, hi = 1.0 - choice.spread, 1.0 + choice.spread
        return tuple(
            tuple(w * rng.uniform(lo, hi) if t else w for w, t in zip(g.base, g.targeted))
            for g in groups
        )

    def dirichlet(rng: random.Random) -> tuple[tuple[float, ...], ...]:
        out = []
        for g in groups:
            moving = [j for j, (w, t) in enumerate(zip(g.base, g.targeted)) if t and w > 0]
            total = math.fsum(g.base[j] for j in moving)
            draws = {
                j: max(rng.gammavariate(choice.concentration * g.base[j] / total, 1.0), 1e-300)
                for j in moving
            }
            drawn = math.fsum(draws.values())
            out.append(
                tuple(total * draws[j] / drawn if j in draws else w for j, w in enumerate(g.base))
            )
        return tuple(out)

    return dirichlet if choice.method == "dirichlet" else uniform


def _child_path(parent: str, i: int) -> str:
    return f"{parent}.dimensions[{i}]" if parent else f"dimensions[{i}]"


def _variant(
    q: Questionnaire,
    groups: Sequence[_Group],
    weights: tuple[tuple[float, ...], ...] | None,
    aggregation: Aggregation | None,
    scope: str,
    policy: MissingPolicy | None,
) -> Questionnaire:
    """*q* with the drawn weights, aggregation and policy put in place."""
    table = {g.path: dict(zip(g.keys, w)) for g, w in zip(groups, weights or ())}

    def children(path: str, dims: Sequence[Dimension]) -> tuple[Dimension, ...]:
        kids = [rebuild(d, _child_path(path, i)) for i, d in enumerate(dims)]
        given = table.get(path)
        if given is not None:
            kids = [attrs.evolve(d, weight=given[_child_path(path, i)]) for i, d in enumerate(kids)]
        return tuple(kids)

    def rebuild(dim: Dimension, path: str) -> Dimension:
        changes: dict[str, Any] = {"dimensions": children(path, dim.dimensions)}
        given = table.get(path)
        if given is not None:
            changes["weighting"] = Explicit()
            changes["questions"] = tuple(
                attrs.evolve(x, weight=given[x.id]) if x.id in given else x for x in dim.questions
            )
        if aggregation is not None and scope == "all":
            changes["aggregation"] = aggregation
        if policy is not None and (dim.scoring.dont_know or dim.scoring.skipped):
            changes["scoring"] = _override(dim.scoring, policy)
        return attrs.evolve(dim, **changes)

    changes: dict[str, Any] = {"dimensions": children("", q.dimensions)}
    if "" in table:
        changes["weighting"] = Explicit()
    if aggregation is not None:
        changes["aggregation"] = aggregation
    if policy is not None:
        changes["scoring"] = attrs.evolve(q.scoring, dont_know=policy, skipped=policy)
    return attrs.evolve(q, **changes)


def _override(scoring: Policies, policy: MissingPolicy) -> Policies:
    """A dimension's own policies replaced by *policy* (inherited ones stay inherited)."""
    return attrs.evolve(
        scoring,
        dont_know=policy if scoring.dont_know is not None else None,
        skipped=policy if scoring.skipped is not None else None,
    )


# -- the report ----------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ScoreSummary:
    """The distribution of one score over the draws.

    Attributes:
        nominal: The score under the questionnaire as defined.
        median: Median over the draws with a score; ``low`` and ``high`` the 5 % and 95 %
            quantiles (``None`` when no draw had a score).
        bands: Band id -> share of all draws in that band.
        not_assessable: Share of draws without a score.
    """

    nominal: float | None
    median: float | None
    low: float | None
    high: float | None
    bands: Mapping[str, float] = attrs.field(factory=dict)
    not_assessable: float = 0.0


@attrs.frozen(kw_only=True)
class RankSummary:
    """A respondent's rank in the cohort over the draws (1 = highest score, ties averaged).

    Attributes:
        nominal: The rank under the questionnaire as defined.
        median: Median rank over the draws where the respondent had a score; ``low`` and
            ``high`` the 5 % and 95 % quantiles.
    """

    nominal: float | None
    median: float | None
    low: float | None
    high: float | None


@attrs.frozen(kw_only=True)
class Index:
    """Variance-based sensitivity of one output to one declared choice.

    Attributes:
        factor: The choice (``weights``, ``aggregation``, ``policy``).
        first_order: Share of the output's variance due to this choice alone.
        total: Share due to this choice including its interactions with the others.
    """

    factor: str
    first_order: float | None
    total: float | None


@attrs.frozen(kw_only=True)
class RespondentSensitivity:
    """How one respondent's results move under the declared choices.

    Attributes:
        respondent: The respondent's id.
        overall: The overall score's distribution.
        dimensions: Dimension id -> that dimension's score distribution.
        rank: The overall rank in the cohort (``None`` for a single respondent).
        indices: Sensitivity of the overall score to each choice (empty when not computed).
    """

    respondent: str
    overall: ScoreSummary
    dimensions: Mapping[str, ScoreSummary]
    rank: RankSummary | None = None
    indices: tuple[Index, ...] = ()


@attrs.frozen(kw_only=True)
class SensitivityReport:
    """The result of :func:`analyse_sensitivity`, with everything needed to repeat it.

    Attributes:
        instrument: The questionnaire id; ``version`` its version.
        choices: The declared choices.
        varied: What was varied, one sentence per choice.
        factors: The choices as factors of the design, in order.
        draws: Monte Carlo draws the distributions rest on.
        seed: The seed of ``random.Random``.
        evaluations: Variants scored in all (``draws × (k + 2)`` with indices, else ``draws``).
        interval: The quantiles of the reported intervals.
        estimators: How the indices were estimated.
        respondents: One entry per respondent, in the given order.
        cohort_indices: Sensitivity of the mean absolute rank shift (against the nominal ranks)
            to each choice; empty for fewer than two respondents or without indices.
    """

    instrument: str
    version: str
    choices: Choices
    varied: tuple[str, ...]
    factors: tuple[str, ...]
    draws: int
    seed: int
    evaluations: int
    interval: tuple[float, float]
    estimators: str
    respondents: tuple[RespondentSensitivity, ...]
    cohort_indices: tuple[Index, ...] = ()

    def respondent(self, id: str) -> RespondentSensitivity:
        """The entry of respondent *id*.

        Raises:
            KeyError: No such respondent.
        """
        for entry in self.respondents:
            if entry.respondent == id:
                return entry
        raise KeyError(id)


ESTIMATORS = (
    "first order: Saltelli et al. (2010), S_i = mean((f(B) − m)·(f(A_B^i) − f(A))) / V; "
    "total effect: Jansen (1999), ST_i = mean((f(A) − f(A_B^i))²) / 2V; "
    "m and V the mean and variance of the outputs of A and B; "
    "plain Monte Carlo rows from random.Random(seed)"
)


# -- the analysis -------------------------------------------------------------------------------


@attrs.frozen
class _Outcome:
    """What one variant gave: per respondent the overall score and band, and per dimension."""

    overall: tuple[float | None, ...]
    bands: tuple[str | None, ...]
    dimensions: tuple[Mapping[str, tuple[float | None, str | None]], ...]


@attrs.frozen
class _Factor:
    """One declared choice as a factor of the design: its name, sampler and description."""

    name: str
    sampler: Callable[[random.Random], Any]
    describe: str


def analyse_sensitivity(
    plan: ScoringPlan,
    responses: Sequence[Response],
    choices: Choices,
    *,
    draws: int = 500,
    seed: int = 0,
    indices: bool = True,
    registry: Registry = default_registry,
) -> SensitivityReport:
    """Monte Carlo over the declared choices: score distributions, rank intervals, indices.

    Each draw picks a value for every declared choice, builds that variant of the questionnaire
    (:func:`attrs.evolve`), compiles it and scores every response. The distributions rest on the
    *draws* rows of matrix A; with *indices*, matrices B and A_B^i add ``draws × (k + 1)``
    evaluations for the first-order and total-effect indices of the ``k`` choices. The cost is one
    compile plus one scoring per respondent per evaluation (about 1 ms + 0.2 ms × respondents for
    the bundled self-check).

    Args:
        plan: The nominal plan (from :func:`weltoffen.compile`).
        responses: The respondents.
        choices: What may vary (see :class:`Choices`).
        draws: Rows of the design (Monte Carlo draws), at least 2.
        seed: Seed of ``random.Random``; the same inputs and seed give the same report.
        indices: Also estimate the sensitivity indices.
        registry: Names the aggregations and policies in the report.

    Returns:
        The report, which repeats the choices, draws and seed.

    Raises:
        DefinitionError: The choices are invalid (nothing declared, bad parameters).
        ResponseError: A response does not fit the questionnaire.
        ScoringError: A variant could not be compiled or scored (the draw is named).
        TypeError: *plan*, *responses* or *choices* is of the wrong type (a single response is
            refused: pass a list).
    """
    expect_plan("analyse_sensitivity(plan)", plan)
    hint = "the analysis needs a list of responses, even for one: [response]"
    responses = many("analyse_sensitivity(responses)", responses, Response, hint)
    if not isinstance(choices, Choices):
        raise wrong("analyse_sensitivity(choices)", "Choices(...)", choices)
    problems = check_choices(choices)
    if draws < 2:
        problems.append(
            Problem(
                ProblemCode.OUT_OF_RANGE,
                "needs at least 2 draws",
                location=("draws",),
                got=str(draws),
            )
        )
    if problems:
        raise DefinitionError(problems)
    questionnaire = plan.questionnaire
    nominal = _outcome(plan, responses, full=True)
    groups = _groups(plan, choices.weights.targets) if choices.weights is not None else []
    factors = _factors(groups, choices, registry)
    rng = random.Random(seed)
    a, b, ab = saltelli_design([f.sampler for f in factors], draws, rng)
    # Rows repeat when only discrete choices vary: each distinct variant is evaluated once.
    memo: dict[Row, _Outcome] = {}
    variants = _Variant(questionnaire, groups, choices, factors, registry)

    def run(row: Row, full: bool = False) -> _Outcome:
        if row not in memo:
            memo[row] = variants.evaluate(row, responses, full=full)
        return memo[row]

    # A comes first, with the dimension scores its summaries need; B and A_B^i keep only the
    # overall scores (a repeated row found in the memo has them too).
    outcomes_a = [run(row, full=True) for row in a]
    evaluations = draws
    respondent_indices: list[tuple[Index, ...]] = [() for _ in responses]
    cohort: tuple[Index, ...] = ()
    names = [f.name for f in factors]
    if indices:
        outcomes_b = [run(row) for row in b]
        # With one factor A_B^1 is B itself: no extra evaluations.
        outcomes_ab = [outcomes_b] if len(factors) == 1 else [[run(row) for row in m] for m in ab]
        evaluations = draws * (2 + (0 if len(factors) == 1 else len(factors)))
        for r in range(len(responses)):
            ya = [o.overall[r] for o in outcomes_a]
            yb = [o.overall[r] for o in outcomes_b]
            yab = [[o.overall[r] for o in m] for m in outcomes_ab]
            respondent_indices[r] = _indices(names, ya, yb, yab)
        if len(responses) > 1:
            base = _ranks(nominal.overall)

            def shift(o: _Outcome) -> float:
                ranks = _ranks(o.overall)
                moved = [abs(x - y) for x, y in zip(ranks, base) if x is not None and y is not None]
                return math.fsum(moved) / len(moved) if moved else 0.0

            cohort = _indices(
                names,
                [shift(o) for o in outcomes_a],
                [shift(o) for o in outcomes_b],
                [[shift(o) for o in m] for m in outcomes_ab],
            )

    summaries = _summaries(plan, responses, nominal, outcomes_a, respondent_indices)
    return SensitivityReport(
        instrument=questionnaire.id,
        version=questionnaire.version,
        choices=choices,
        varied=tuple(f.describe for f in factors),
        factors=tuple(names),
        draws=draws,
        seed=seed,
        evaluations=evaluations,
        interval=INTERVAL,
        estimators=ESTIMATORS,
        respondents=summaries,
        cohort_indices=cohort,
    )


def _indices(
    names: Sequence[str],
    ya: Sequence[float | None],
    yb: Sequence[float | None],
    yab: Sequence[Sequence[float | None]],
) -> tuple[Index, ...]:
    """Indices per factor; ``None`` when the output is missing in some draw."""
    if (
        any(y is None for y in ya)
        or any(y is None for y in yb)
        or any(y is None for m in yab for y in m)
    ):
        return tuple(Index(factor=n, first_order=None, total=None) for n in names)
    values = sobol_indices(
        [y for y in ya if y is not None],
        [y for y in yb if y is not None],
        [[y for y in m if y is not None] for m in yab],
    )
    return tuple(Index(factor=n, first_order=s, total=st) for n, (s, st) in zip(names, values))


def _label(obj: object, registry: Registry, group: Literal["aggregation", "policy"]) -> str:
    """The registered name of a strategy, with its parameters: ``power_mean(p=2)``."""
    from weltoffen.serialization.converter import make_converter

    try:
        name = registry.name_of(group, obj)
    except WeltoffenError:  # not registered: say what it is all the same
        return type(obj).__name__
    data = make_converter(registry).unstructure(obj)
    if isinstance(data, Mapping):
        params = ", ".join(f"{k}={v!r}" for k, v in data.items() if k != "kind")
        return f"{name}({params})"
    return name


def _pick(n: int) -> Callable[[random.Random], int]:
    """A sampler of one of *n* alternatives, each equally likely."""
    return lambda rng: rng.randrange(n)


def _factors(groups: Sequence[_Group], choices: Choices, registry: Registry) -> list[_Factor]:
    factors: list[_Factor] = []
    w = choices.weights
    if w is not None:
        count = sum(1 for g in groups for t, b in zip(g.targeted, g.base) if t and b > 0)
        what = {
            "dimensions": "dimension weights",
            "questions": "question weights",
            "all": "dimension and question weights",
        }[w.targets]
        if w.method == "uniform":
            how = (
                f"each times an independent uniform factor in [{1 - w.spread:g}, {1 + w.spread:g}]"
            )
        else:
            how = (
                f"shares within each group drawn from Dirichlet({w.concentration:g} · compiled "
                "shares), group totals kept"
            )
        factors.append(
            _Factor(
                "weights",
                _weight_sampler(w, groups),
                f"weights: {count} {what} in {len(groups)} group(s) around the compiled weights, "
                f"{how}; perturbed nodes weigh explicitly",
            )
        )
    if choices.aggregations:
        options = choices.aggregations
        labels = ", ".join(_label(x, registry, "aggregation") for x in options)
        where = (
            "every dimension and the overall score"
            if choices.aggregation_scope == "all"
            else "the overall score"
        )
        factors.append(
            _Factor(
                "aggregation",
                _pick(len(options)),
                f"aggregation of {where}: one of {labels}, each with probability 1/{len(options)}",
            )
        )
    if choices.policies:
        options_p = choices.policies
        labels = ", ".join(_label(x, registry, "policy") for x in options_p)
        factors.append(
            _Factor(
                "policy",
                _pick(len(options_p)),
                "missing-answer policy for don't know and skipped, everywhere: one of "
                f"{labels}, each with probability 1/{len(options_p)}",
            )
        )
    return factors


@attrs.frozen
class _Variant:
    """Builds and scores the variant of one row of the design."""

    questionnaire: Questionnaire
    groups: Sequence[_Group]
    choices: Choices
    factors: Sequence[_Factor]
    registry: Registry

    def evaluate(self, row: Row, responses: Sequence[Response], *, full: bool) -> _Outcome:
        """Scores of every response under the variant *row* describes.

        Raises:
            ScoringError: The variant does not compile or a strategy fails; names the variant.
        """
        choices = self.choices
        values = dict(zip((f.name for f in self.factors), row))
        aggregation = (
            choices.aggregations[values["aggregation"]] if "aggregation" in values else None
        )
        policy = choices.policies[values["policy"]] if "policy" in values else None
        variant = _variant(
            self.questionnaire,
            self.groups,
            values.get("weights"),
            aggregation,
            choices.aggregation_scope,
            policy,
        )
        try:
            return _outcome(compile(variant), responses, full=full)
        except WeltoffenError as exc:
            raise ScoringError(_failed(exc, aggregation, policy, self.registry)) from None
        except Exception as exc:  # a plugin's bug inside one variant: say which variant
            raise ScoringError(_failed(exc, aggregation, policy, self.registry)) from exc


def _failed(
    exc: BaseException,
    aggregation: Aggregation | None,
    policy: MissingPolicy | None,
    registry: Registry,
) -> list[Problem]:
    parts = []
    if aggregation is not None:
        parts.append(f"aggregation {_label(aggregation, registry, 'aggregation')}")
    if policy is not None:
        parts.append(f"policy {_label(policy, registry, 'policy')}")
    where = " with " + " and ".join(parts) if parts else ""
    return [Problem(ProblemCode.STRATEGY_FAILED, f"a variant{where} failed: {exc}")]


def _outcome(plan: ScoringPlan, responses: Sequence[Response], *, full: bool) -> _Outcome:
    """The overall scores and bands; with *full* also every dimension's score and band."""
    results: list[Result] = [score(plan, r) for r in responses]
    return _Outcome(
        overall=tuple(r.score for r in results),
        bands=tuple(r.band for r in results),
        dimensions=tuple(
            {d.id: (d.score, d.band) for d in r.iter_dimensions()} if full else {} for r in results
        ),
    )


def _summary(
    nominal: float | None, scores: Sequence[float | None], bands: Sequence[str | None]
) -> ScoreSummary:
    present = [s for s in scores if s is not None]
    counts: dict[str, int] = {}
    for band in bands:
        if band is not None:
            counts[band] = counts.get(band, 0) + 1
    n = len(scores)
    return ScoreSummary(
        nominal=nominal,
        median=quantile(present, 0.5) if present else None,
        low=quantile(present, INTERVAL[0]) if present else None,
        high=quantile(present, INTERVAL[1]) if present else None,
        bands={band: c / n for band, c in sorted(counts.items())},
        not_assessable=(n - len(present)) / n,
    )


def _summaries(
    plan: ScoringPlan,
    responses: Sequence[Response],
    nominal: _Outcome,
    outcomes: Sequence[_Outcome],
    indices: Sequence[tuple[Index, ...]],
) -> tuple[RespondentSensitivity, ...]:
    dims = [d.id for _, d in plan.questionnaire.iter_dimensions()]
    cohort = len(responses) > 1
    nominal_ranks = _ranks(nominal.overall)
    draw_ranks = [_ranks(o.overall) for o in outcomes] if cohort else []
    out = []
    for r, response in enumerate(responses):
        rank = None
        if cohort:
            ranked = [x for ranks in draw_ranks if (x := ranks[r]) is not None]
            rank = RankSummary(
                nominal=nominal_ranks[r],
                median=quantile(ranked, 0.5) if ranked else None,
                low=quantile(ranked, INTERVAL[0]) if ranked else None,
                high=quantile(ranked, INTERVAL[1]) if ranked else None,
            )
        dimensions = {}
        for dim in dims:
            base = nominal.dimensions[r].get(dim, (None, None))[0]
            pairs = [o.dimensions[r].get(dim, (None, None)) for o in outcomes]
            dimensions[dim] = _summary(base, [p[0] for p in pairs], [p[1] for p in pairs])
        out.append(
            RespondentSensitivity(
                respondent=response.respondent,
                overall=_summary(
                    nominal.overall[r],
                    [o.overall[r] for o in outcomes],
                    [o.bands[r] for o in outcomes],
                ),
                dimensions=dimensions,
                rank=rank,
                indices=indices[r],
            )
        )
    return tuple(out)
