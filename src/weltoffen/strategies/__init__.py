"""Built-in weighting schemes, aggregation strategies and missing-answer policies.

They are plain value objects implementing the protocols in :mod:`weltoffen.typing`; the registry
gives each a short name for use in data files.
"""

from weltoffen.strategies.aggregations import (
    GeometricMean,
    Minimum,
    SumOfPoints,
    WeightedMean,
)
from weltoffen.strategies.policies import Exclude, Prorate, Zero
from weltoffen.strategies.weightings import Equal, Explicit, ItemCount

__all__ = [
    "Equal",
    "Exclude",
    "Explicit",
    "GeometricMean",
    "ItemCount",
    "Minimum",
    "Prorate",
    "SumOfPoints",
    "WeightedMean",
    "Zero",
]
