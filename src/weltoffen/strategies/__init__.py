"""Built-in weighting schemes, aggregation strategies and missing-answer policies.

They are plain value objects implementing the protocols in :mod:`weltoffen.typing`; the registry
gives each a short name for use in data files.
"""

from weltoffen.strategies.aggregations import (
    GeometricMean,
    HarmonicMean,
    MazziottaPareto,
    Minimum,
    PowerMean,
    SumOfPoints,
    WeightedMean,
)
from weltoffen.strategies.ahp import AHP, Consistency
from weltoffen.strategies.budget import Budget
from weltoffen.strategies.policies import Exclude, Prorate, Zero
from weltoffen.strategies.weightings import Equal, Explicit, Fixed, ItemCount

__all__ = [
    "AHP",
    "Budget",
    "Consistency",
    "Equal",
    "Exclude",
    "Explicit",
    "Fixed",
    "GeometricMean",
    "HarmonicMean",
    "ItemCount",
    "MazziottaPareto",
    "Minimum",
    "PowerMean",
    "Prorate",
    "SumOfPoints",
    "WeightedMean",
    "Zero",
]
