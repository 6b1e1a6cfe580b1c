"""Shared test settings: one hypothesis profile that keeps the property tests fast."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# Generated questionnaires are large objects; drawing them is slower than hypothesis expects.
settings.register_profile(
    "weltoffen",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# A longer run for hunting bugs: WELTOFFEN_HYPOTHESIS=thorough pytest tests/test_properties.py
settings.register_profile("thorough", parent=settings.get_profile("weltoffen"), max_examples=1000)
settings.load_profile(os.environ.get("WELTOFFEN_HYPOTHESIS", "weltoffen"))
