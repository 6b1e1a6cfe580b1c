"""Analyses over sets of responses: reliability, data quality, sensitivity and uncertainty.

Each analysis lives in its own module (``weltoffen.analysis.reliability``, ``.quality``,
``.sensitivity``, ...); the names below are re-exported lazily, so importing this package costs
nothing until one of them is used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from weltoffen.analysis.quality import Flag, QualityReport, QualitySettings, check_quality
    from weltoffen.analysis.reliability import ReliabilityReport, assess_reliability
    from weltoffen.analysis.sensitivity import (
        Choices,
        SensitivityReport,
        WeightChoice,
        analyse_sensitivity,
        load_choices,
    )

__all__ = [
    "Choices",
    "Flag",
    "QualityReport",
    "QualitySettings",
    "ReliabilityReport",
    "SensitivityReport",
    "WeightChoice",
    "analyse_sensitivity",
    "assess_reliability",
    "check_quality",
    "load_choices",
]

#: Public name -> the module that defines it.
_LAZY = {
    "Flag": "quality",
    "QualityReport": "quality",
    "QualitySettings": "quality",
    "check_quality": "quality",
    "ReliabilityReport": "reliability",
    "assess_reliability": "reliability",
    "Choices": "sensitivity",
    "SensitivityReport": "sensitivity",
    "WeightChoice": "sensitivity",
    "analyse_sensitivity": "sensitivity",
    "load_choices": "sensitivity",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later look-ups skip this hook
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
