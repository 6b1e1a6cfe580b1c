"""Analyses over sets of responses and results.

Each analysis lives in its own module; every public name of every module is re-exported here:

- ``advice``: :func:`advise` — strongest, weakest and open questions and what-if gains for one
  result.
- ``cohort``: :func:`compare` (a :class:`Cohort` of results: medians, quartiles, ranks, peer
  groups, item figures), :func:`cohort_change` (a :class:`CohortChange`: the distribution of
  change between rounds) and :func:`cohort_view` (its JSON).
- ``normalise``: :func:`normalise_cohort` — a cohort's scores placed against the cohort
  (:class:`MinMax`, :class:`ZScore`, :class:`Rank`) or fixed references (:class:`Goalposts`,
  :class:`DistanceToTarget`), and :func:`normalised_view` (its JSON).
- ``reliability``: :func:`assess_reliability` (Cronbach's alpha and item statistics per
  dimension) over an :func:`item_table`.
- ``quality``: :func:`check_quality` — reverse keying, straight-lining, low coverage, don't-knows.
- ``sensitivity``: :func:`analyse_sensitivity` — Monte Carlo over the :class:`Choices` of weights,
  aggregation and missing-answer policy, with sensitivity indices.
- ``weights``: :func:`factor_analysis`, :func:`pca_weights`, :func:`entropy_weights` (weights from
  data) and :func:`effective_weights` (how much each part really moves the score).

The names load lazily (:pep:`562`): ``import weltoffen.analysis`` imports none of the modules,
and a name imports only its own module when first used. ``weights`` needs the extra
``analysis`` (numpy) only inside the functions that compute.

``_MODULES`` is the one table of these names; ``__all__``, ``__dir__`` and ``__getattr__`` are
derived from it. The imports under ``TYPE_CHECKING`` repeat it for mypy and IDEs, which read
code without running it (each name imported as itself marks it as re-exported, since a derived
``__all__`` is invisible to them); ``tests/test_analysis_package.py`` holds the two equal, as
Python cannot derive one from the other without parsing this file at import time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from weltoffen._lazy import lazy_exports

# isort: off
# (each name imported as itself; isort would put each aliased name in a statement of its own)
if TYPE_CHECKING:
    from weltoffen.analysis.advice import (
        Advice as Advice,
        Change as Change,
        FieldAdvice as FieldAdvice,
        ItemNote as ItemNote,
        OpenItem as OpenItem,
        WhatIf as WhatIf,
        advise as advise,
    )
    from weltoffen.analysis.cohort import (
        PERCENTILE_METHOD as PERCENTILE_METHOD,
        QUANTILE_METHOD as QUANTILE_METHOD,
        RANK_METHOD as RANK_METHOD,
        Cohort as Cohort,
        Group as Group,
        ItemMatrix as ItemMatrix,
        ItemStats as ItemStats,
        Position as Position,
        Summary as Summary,
        cohort_view as cohort_view,
        compare as compare,
        percentile_ranks as percentile_ranks,
        quartiles as quartiles,
        ranks as ranks,
    )
    from weltoffen.analysis.cohort_change import (
        ChangeStep as ChangeStep,
        ChangeSummary as ChangeSummary,
        CohortChange as CohortChange,
        CohortRound as CohortRound,
        RoundResults as RoundResults,
        change_summaries as change_summaries,
        cohort_change as cohort_change,
    )
    from weltoffen.analysis.normalise import (
        NORMALISATIONS as NORMALISATIONS,
        DistanceToTarget as DistanceToTarget,
        Goalposts as Goalposts,
        MinMax as MinMax,
        Normalisation as Normalisation,
        NormalisedCohort as NormalisedCohort,
        NormalisedDimension as NormalisedDimension,
        Rank as Rank,
        ZScore as ZScore,
        normalise_cohort as normalise_cohort,
        normalised_view as normalised_view,
        parse_normalisation as parse_normalisation,
    )
    from weltoffen.analysis.quality import (
        Flag as Flag,
        FlagKind as FlagKind,
        QualityReport as QualityReport,
        QualitySettings as QualitySettings,
        check_quality as check_quality,
    )
    from weltoffen.analysis.reliability import (
        AlphaStatistics as AlphaStatistics,
        DimensionReliability as DimensionReliability,
        ItemReliability as ItemReliability,
        ItemTable as ItemTable,
        ReliabilityReport as ReliabilityReport,
        assess_reliability as assess_reliability,
        cronbach as cronbach,
        item_table as item_table,
        pairwise_covariance as pairwise_covariance,
    )
    from weltoffen.analysis.sensitivity import (
        Choices as Choices,
        Index as Index,
        RankSummary as RankSummary,
        RespondentSensitivity as RespondentSensitivity,
        ScoreSummary as ScoreSummary,
        SensitivityReport as SensitivityReport,
        WeightChoice as WeightChoice,
        analyse_sensitivity as analyse_sensitivity,
        check_choices as check_choices,
        load_choices as load_choices,
        quantile as quantile,
        saltelli_design as saltelli_design,
        sobol_indices as sobol_indices,
    )
    from weltoffen.analysis.weights import (
        EffectiveWeight as EffectiveWeight,
        EntropyWeights as EntropyWeights,
        FactorWeights as FactorWeights,
        ScoreMatrix as ScoreMatrix,
        effective_weights as effective_weights,
        entropy_analysis as entropy_analysis,
        entropy_weights as entropy_weights,
        factor_analysis as factor_analysis,
        pca_weights as pca_weights,
        score_matrix as score_matrix,
    )
# isort: on

#: Every public name by the module that defines it (the one table; the tests hold it equal to
#: the modules' own ``__all__`` and to the imports above).
_MODULES = {
    "advice": ("Advice", "Change", "FieldAdvice", "ItemNote", "OpenItem", "WhatIf", "advise"),
    "cohort": (
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
    ),
    "cohort_change": (
        "ChangeStep",
        "ChangeSummary",
        "CohortChange",
        "CohortRound",
        "RoundResults",
        "change_summaries",
        "cohort_change",
    ),
    "normalise": (
        "NORMALISATIONS",
        "DistanceToTarget",
        "Goalposts",
        "MinMax",
        "Normalisation",
        "NormalisedCohort",
        "NormalisedDimension",
        "Rank",
        "ZScore",
        "normalise_cohort",
        "normalised_view",
        "parse_normalisation",
    ),
    "quality": ("Flag", "FlagKind", "QualityReport", "QualitySettings", "check_quality"),
    "reliability": (
        "AlphaStatistics",
        "DimensionReliability",
        "ItemReliability",
        "ItemTable",
        "ReliabilityReport",
        "assess_reliability",
        "cronbach",
        "item_table",
        "pairwise_covariance",
    ),
    "sensitivity": (
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
    ),
    "weights": (
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
    ),
}

#: Constants first, then classes and functions, each alphabetically (ruff's order for __all__).
__all__ = sorted(
    (n for names in _MODULES.values() for n in names), key=lambda n: (not n.isupper(), n)
)
# Hidden from mypy and IDEs, which read the imports above instead: with a module __getattr__
# in sight they would take any name for a lazy one, and misspellings would go unnoticed.
if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_exports(
        __name__, globals(), {f"{__name__}.{module}": names for module, names in _MODULES.items()}
    )
