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

The choices and their file format are in :mod:`weltoffen.analysis.choices`, the generic Monte
Carlo machinery (quantiles, the Saltelli design, Sobol indices) in
:mod:`weltoffen.analysis.montecarlo`, the variants of the questionnaire in
:mod:`weltoffen.analysis.variants`; the public names among them are re-exported here.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence

import attrs

from weltoffen._arguments import expect_plan, many, wrong
from weltoffen.analysis.choices import Choices, WeightChoice, check_choices, load_choices
from weltoffen.analysis.montecarlo import (
    Row,
    descending_ranks,
    quantile,
    saltelli_design,
    sobol_indices,
)
from weltoffen.analysis.variants import (
    Factor,
    WeightGroup,
    build_variant,
    design_factors,
    strategy_label,
    weight_groups,
)
from weltoffen.exceptions import DefinitionError, Problem, ProblemCode, ScoringError, WeltoffenError
from weltoffen.model.answers import Response
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.registry import Registry, default_registry
from weltoffen.scoring.engine import score
from weltoffen.scoring.plan import ScoringPlan, compile
from weltoffen.scoring.results import Result
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


def analyse_sensitivity(
    plan: ScoringPlan,
    responses: Sequence[Response],
    choices: Choices,
    *,
    draws: int = 500,
    seed: int = 0,
    indices: bool = True,
    registry: Registry = default_registry,
    progress: Callable[[int, int], object] | None = None,
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
        progress: Called after each row of the design with the rows done and the rows in
            all (for a progress bar; repeated rows are done at once).

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
    groups = weight_groups(plan, choices.weights.targets) if choices.weights is not None else []
    factors = design_factors(groups, choices, registry)
    rng = random.Random(seed)
    a, b, ab = saltelli_design([f.sampler for f in factors], draws, rng)
    # Rows repeat when only discrete choices vary: each distinct variant is evaluated once.
    memo: dict[Row, _Outcome] = {}
    variants = _Variant(questionnaire, groups, choices, factors, registry)

    rows = len(a) + (len(b) + (sum(map(len, ab)) if len(factors) > 1 else 0) if indices else 0)
    done = 0

    def run(row: Row, full: bool = False) -> _Outcome:
        nonlocal done
        if row not in memo:
            memo[row] = variants.evaluate(row, responses, full=full)
        done += 1
        if progress is not None:
            progress(done, rows)
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
            base = descending_ranks(nominal.overall)

            def shift(o: _Outcome) -> float:
                ranks = descending_ranks(o.overall)
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


@attrs.frozen
class _Variant:
    """Builds and scores the variant of one row of the design."""

    questionnaire: Questionnaire
    groups: Sequence[WeightGroup]
    choices: Choices
    factors: Sequence[Factor]
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
        variant = build_variant(
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
        parts.append(f"aggregation {strategy_label(aggregation, registry, 'aggregation')}")
    if policy is not None:
        parts.append(f"policy {strategy_label(policy, registry, 'policy')}")
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
    nominal_ranks = descending_ranks(nominal.overall)
    draw_ranks = [descending_ranks(o.overall) for o in outcomes] if cohort else []
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
