"""Shared test settings: the hypothesis profiles.

- ``ci`` (chosen when the environment sets ``CI``): derandomised and without the example database,
  so the same commit draws the same examples on every machine and a run can never fail by chance.
- ``dev`` (the default elsewhere): the same sizes with fresh random examples at each run, so local
  runs keep exploring; a failure is saved in ``.hypothesis/`` and replayed first next time.
- ``thorough``: like ``dev`` with 1000 examples per test, for hunting bugs before a release.
- ``mutation``: like ``ci``, for mutmut, which runs each test many times in one process and from
  different instances, what hypothesis would otherwise stop as a health-check failure.

``WELTOFFEN_HYPOTHESIS=NAME`` picks a profile explicitly (see docs/contributing.md).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# Generated questionnaires are large objects; drawing them is slower than hypothesis expects.
settings.register_profile(
    "dev",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "ci", parent=settings.get_profile("dev"), derandomize=True, database=None, print_blob=True
)
settings.register_profile("thorough", parent=settings.get_profile("dev"), max_examples=1000)
settings.register_profile(
    "mutation",
    parent=settings.get_profile("ci"),
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.differing_executors,
    ],
)
settings.load_profile(
    os.environ.get("WELTOFFEN_HYPOTHESIS") or ("ci" if os.environ.get("CI") else "dev")
)
