"""Shared test settings: the hypothesis profiles, and fixtures used by several modules.

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

import importlib
import os
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
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


def _without_local_constants() -> None:
    """Let a derandomised test draw the same examples whatever ran before it.

    Hypothesis now and then draws a constant found in the source of the local modules loaded at
    that moment. weltoffen loads its modules on first use, and tests load plugins and example
    scripts, so that pool grew with the tests that had run: adding or reordering tests changed
    the examples of others (a failure appeared only beside other files). The derandomised
    profiles draw from Hypothesis's own constants only; ``tests/test_hypothesis_profiles.py``
    fails should this stop working with a newer Hypothesis.
    """
    try:
        from hypothesis.internal.conjecture import providers
        from hypothesis.internal.constants_ast import Constants
    except ImportError:  # internals moved: the test above says so
        return
    nothing = Constants()
    providers._get_local_constants = lambda: nothing


if settings.default.derandomize:
    _without_local_constants()


@pytest.fixture
def installed_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A tiny distribution on sys.path: its module plus a .dist-info with an entry point.

    This is what ``pip install`` leaves behind, without the network or a build step.
    """
    from tests.helpers import PLUGIN_MODULE
    from weltoffen.registry import ENTRY_POINT_GROUP

    package = tmp_path / PLUGIN_MODULE
    package.mkdir()
    (package / "__init__.py").write_text(
        textwrap.dedent(
            '''
            """A third-party weighting: the first child counts double."""
            import attrs

            @attrs.frozen
            class FirstCountsDouble:
                def weigh(self, children):
                    return [2.0 if i == 0 else 1.0 for i, _ in enumerate(children)]

            def register(registry):
                registry.register("weighting", "demo_first_counts_double", FirstCountsDouble)
            '''
        )
    )
    info = tmp_path / f"{PLUGIN_MODULE}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: weltoffen-demo-plugin\nVersion: 0.1\n"
    )
    (info / "entry_points.txt").write_text(
        f"[{ENTRY_POINT_GROUP}]\ndemo = {PLUGIN_MODULE}:register\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    yield tmp_path
    sys.modules.pop(PLUGIN_MODULE, None)


#: Real files written by others (see ../shared/interop/PROVENANCE.md). They are not part of the
#: project: tests read them from beside the checkout, or from WELTOFFEN_INTEROP_FILES.
INTEROP_FILES = Path(
    os.environ.get("WELTOFFEN_INTEROP_FILES")
    or Path(__file__).resolve().parents[2] / "shared" / "interop"
)


@pytest.fixture
def interop_file() -> Callable[[str], Path]:
    """A function giving the path of a real example file (``"fhir/lforms__phq9.json"``).

    It skips the test, saying which file was missing, where the folder is absent.
    """

    def find(name: str) -> Path:
        path = INTEROP_FILES / name
        if not path.is_file():
            pytest.skip(f"real example file {name} is not available (looked in {INTEROP_FILES})")
        return path

    return find


@pytest.fixture(scope="module", params=["compiled", "python"])
def engine_path(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run a module's tests on both paths of scoring: the compiled one (``scoring/_native.c``:
    score()'s reading and adding up, score_many's reading of option codes; skipped where it was
    not built) and the Python and numpy code it stands in for.

    Module-scoped, so that property tests may use it (hypothesis refuses function-scoped ones).
    """
    from unittest import mock

    from weltoffen.scoring import codes, engine

    if request.param == "compiled":
        if engine.native is None:
            pytest.skip("the compiled path of score() is not built here (see hatch_build.py)")
        yield request.param
        return
    with (
        mock.patch.object(engine, "native", None),
        mock.patch.object(codes, "native_read_codes", None),
    ):
        yield request.param
