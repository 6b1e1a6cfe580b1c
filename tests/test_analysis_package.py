"""``weltoffen.analysis``: every public name of the analysis modules, imported only when used."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest

import weltoffen.analysis as analysis
from tests.helpers import static_exports

MODULES = (
    "advice",
    "cohort",
    "cohort_change",
    "normalise",
    "quality",
    "reliability",
    "sensitivity",
    "weights",
)


def public(module: str) -> list[str]:
    """The ``__all__`` of ``weltoffen.analysis.<module>``."""
    names: list[str] = importlib.import_module(f"{analysis.__name__}.{module}").__all__
    return names


def fresh_modules(code: str) -> set[str]:
    """The modules loaded after running *code* in a new interpreter."""
    script = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stdout))


class TestLazy:
    def test_importing_the_package_imports_no_analysis_and_no_numpy(self) -> None:
        loaded = fresh_modules("import weltoffen.analysis")

        assert "numpy" not in loaded
        assert {f"weltoffen.analysis.{m}" for m in MODULES} & loaded == set()

    def test_a_name_imports_only_its_own_module(self) -> None:
        loaded = fresh_modules("from weltoffen.analysis import compare")

        assert "weltoffen.analysis.cohort" in loaded
        assert "weltoffen.analysis.sensitivity" not in loaded
        assert "numpy" not in loaded


class TestNames:
    @pytest.mark.parametrize("name", analysis.__all__)
    def test_every_name_resolves_to_its_module_s_object(self, name: str) -> None:
        home = next(m for m in MODULES if name in public(m))

        module = importlib.import_module(f"{analysis.__name__}.{home}")
        assert getattr(module, name) is getattr(analysis, name)

    def test_all_is_every_public_name_of_every_module_sorted_once(self) -> None:
        """A name made public in a module is re-exported here too (or this test says so)."""
        names = [n for m in MODULES for n in public(m)]

        assert len(names) == len(set(names)), "two modules export the same name"
        assert sorted(names, key=lambda n: (not n.isupper(), n)) == analysis.__all__

    def test_what_static_tools_see_is_the_table(self) -> None:
        """The imports mypy and IDEs read name every public name, from its own module."""
        table = {n: f"{analysis.__name__}.{m}" for m in MODULES for n in public(m)}

        assert static_exports(analysis) == table

    def test_the_documented_entry_points_are_there(self) -> None:
        expected = {
            "advise",
            "compare",
            "Cohort",
            "cohort_view",
            "assess_reliability",
            "check_quality",
            "analyse_sensitivity",
            "Choices",
            "factor_analysis",
            "pca_weights",
            "entropy_weights",
            "effective_weights",
        }

        assert expected <= set(analysis.__all__)

    def test_an_unknown_name_is_an_attribute_error(self) -> None:
        with pytest.raises(AttributeError, match="has no attribute 'nothing_here'"):
            analysis.nothing_here  # noqa: B018 (the look-up is the test)

    def test_dir_lists_the_public_names(self) -> None:
        assert set(analysis.__all__) <= set(dir(analysis))
