"""Analyses over sets of responses and results.

Each analysis lives in its own module; every public name of every module is re-exported here:

- ``advice``: :func:`advise` — strongest, weakest and open questions and what-if gains for one
  result.
- ``cohort``: :func:`compare` (a :class:`Cohort` of results: medians, quartiles, ranks, peer
  groups, item figures) and :func:`cohort_view` (its JSON).
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
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from weltoffen.analysis.advice import (
        Advice,
        Change,
        FieldAdvice,
        ItemNote,
        OpenItem,
        WhatIf,
        advise,
    )
    from weltoffen.analysis.cohort import (
        PERCENTILE_METHOD,
        QUANTILE_METHOD,
        RANK_METHOD,
        Cohort,
        Group,
        ItemMatrix,
        ItemStats,
        Position,
        Summary,
        cohort_view,
        compare,
        percentile_ranks,
        quartiles,
        ranks,
    )
    from weltoffen.analysis.normalise import (
        NORMALISATIONS,
        DistanceToTarget,
        Goalposts,
        MinMax,
        Normalisation,
        NormalisedCohort,
        NormalisedDimension,
        Rank,
        ZScore,
        normalise_cohort,
        normalised_view,
        parse_normalisation,
    )
    from weltoffen.analysis.quality import (
        Flag,
        FlagKind,
        QualityReport,
        QualitySettings,
        check_quality,
    )
    from weltoffen.analysis.reliability import (
        AlphaStatistics,
        DimensionReliability,
        ItemReliability,
        ItemTable,
        ReliabilityReport,
        assess_reliability,
        cronbach,
        item_table,
        pairwise_covariance,
    )
    from weltoffen.analysis.sensitivity import (
        Choices,
        Index,
        RankSummary,
        RespondentSensitivity,
        ScoreSummary,
        SensitivityReport,
        WeightChoice,
        analyse_sensitivity,
        check_choices,
        load_choices,
        quantile,
        saltelli_design,
        sobol_indices,
    )
    from weltoffen.analysis.weights import (
        EffectiveWeight,
        EntropyWeights,
        FactorWeights,
        ScoreMatrix,
        effective_weights,
        entropy_analysis,
        entropy_weights,
        factor_analysis,
        pca_weights,
        score_matrix,
    )

__all__ = [
    "NORMALISATIONS",
    "PERCENTILE_METHOD",
    "QUANTILE_METHOD",
    "RANK_METHOD",
    "Advice",
    "AlphaStatistics",
    "Change",
    "Choices",
    "Cohort",
    "DimensionReliability",
    "DistanceToTarget",
    "EffectiveWeight",
    "EntropyWeights",
    "FactorWeights",
    "FieldAdvice",
    "Flag",
    "FlagKind",
    "Goalposts",
    "Group",
    "Index",
    "ItemMatrix",
    "ItemNote",
    "ItemReliability",
    "ItemStats",
    "ItemTable",
    "MinMax",
    "Normalisation",
    "NormalisedCohort",
    "NormalisedDimension",
    "OpenItem",
    "Position",
    "QualityReport",
    "QualitySettings",
    "Rank",
    "RankSummary",
    "ReliabilityReport",
    "RespondentSensitivity",
    "ScoreMatrix",
    "ScoreSummary",
    "SensitivityReport",
    "Summary",
    "WeightChoice",
    "WhatIf",
    "ZScore",
    "advise",
    "analyse_sensitivity",
    "assess_reliability",
    "check_choices",
    "check_quality",
    "cohort_view",
    "compare",
    "cronbach",
    "effective_weights",
    "entropy_analysis",
    "entropy_weights",
    "factor_analysis",
    "item_table",
    "load_choices",
    "normalise_cohort",
    "normalised_view",
    "pairwise_covariance",
    "parse_normalisation",
    "pca_weights",
    "percentile_ranks",
    "quantile",
    "quartiles",
    "ranks",
    "saltelli_design",
    "score_matrix",
    "sobol_indices",
]

#: The module each public name lives in (the tests hold this to the modules' own ``__all__``).
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
_HOME = {name: module for module, names in _MODULES.items() for name in names}


def __getattr__(name: str) -> Any:
    """Import the module that defines *name* on first use (:pep:`562`).

    Raises:
        AttributeError: *name* is not a public name of the analysis modules.
    """
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later look-ups skip this hook
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
