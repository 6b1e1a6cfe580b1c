"""From questionnaire to results: checks, the compiled plan, scoring and result values."""

from weltoffen.scoring.check import check_questionnaire, check_warnings
from weltoffen.scoring.engine import score
from weltoffen.scoring.plan import ScoringPlan, compile
from weltoffen.scoring.results import DimensionResult, ItemResult, Result, Status

__all__ = [
    "DimensionResult",
    "ItemResult",
    "Result",
    "ScoringPlan",
    "Status",
    "check_questionnaire",
    "check_warnings",
    "compile",
    "score",
]
