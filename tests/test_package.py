"""The public surface: what `import weltoffen` offers and what it costs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import weltoffen
from tests.helpers import static_exports


class TestPublicNames:
    def test_every_name_resolves(self) -> None:
        """Each name in `__all__` (lazy ones included) gives an object."""
        for name in weltoffen.__all__:
            assert getattr(weltoffen, name) is not None, name

    def test_lazy_names_are_the_module_objects(self) -> None:
        from weltoffen.scoring.batch import score_many
        from weltoffen.serialization import load_questionnaire

        assert weltoffen.load_questionnaire is load_questionnaire
        assert weltoffen.score_many is score_many

    def test_unknown_name_is_an_attribute_error(self) -> None:
        with pytest.raises(AttributeError, match="no_such_thing"):
            weltoffen.no_such_thing  # type: ignore[attr-defined]  # noqa: B018

    def test_what_static_tools_see_is_the_table(self) -> None:
        """The imports mypy and IDEs read name every public name, from the table's module."""
        table = {n: m for m, names in weltoffen._PUBLIC.items() for n in names}

        assert static_exports(weltoffen) == table
        assert sorted(table) == sorted(weltoffen.__all__)

    def test_all_is_sorted_as_ruff_sorts_it(self) -> None:
        """Constants, classes, then functions (``__version__`` leads the functions)."""
        kind = [0 if n.isupper() else 1 if n[0].isupper() else 2 for n in weltoffen.__all__]

        assert kind == sorted(kind)
        assert weltoffen.__all__[kind.index(2)] == "__version__"


class TestImportCost:
    def test_import_loads_no_heavy_or_format_modules(self) -> None:
        """`import weltoffen` pulls in neither the optional extras nor the format machinery."""
        heavy = ["numpy", "pandas", "polars", "matplotlib", "jinja2", "dask", "cattrs", "yaml"]
        code = f"import sys, weltoffen; print(','.join(m for m in {heavy!r} if m in sys.modules))"
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()
        assert out == ""

    def test_import_loads_only_the_version(self) -> None:
        """The model, scoring and the rest load with the first name used from them."""
        loaded = fresh_modules("import weltoffen")

        assert {m for m in loaded if m.startswith("weltoffen.")} == {
            "weltoffen._lazy",
            "weltoffen._version",
        }
        assert "attrs" not in loaded

    def test_a_name_loads_its_own_module(self) -> None:
        loaded = fresh_modules("from weltoffen import Questionnaire")

        assert "weltoffen.model.questionnaire" in loaded
        assert "weltoffen.scoring.engine" not in loaded

    def test_compiling_loads_no_version_comparison_or_migration(self) -> None:
        """A plan needs the fingerprint, not the machinery that compares and migrates versions."""
        loaded = fresh_modules(
            "import weltoffen as w\n"
            "scale = w.Scale(id='s', options=(w.Option(value='a', points=0),"
            " w.Option(value='b', points=1)))\n"
            "question = w.ScaleQuestion(id='q', scale='s')\n"
            "dimension = w.Dimension(id='d', questions=(question,))\n"
            "w.compile(w.Questionnaire(id='x', scales=(scale,), dimensions=(dimension,)))"
        )

        assert "weltoffen.versions.fingerprint" in loaded
        assert {"weltoffen.versions.compare", "weltoffen.versions.migrate"} & loaded == set()


class TestNamesSharedWithModules:
    """Public names of `weltoffen.versions` that are also its module names stay the functions."""

    @pytest.mark.parametrize("name", ["diff", "fingerprint", "migrate"])
    def test_the_name_is_the_function_after_its_module_is_imported(self, name: str) -> None:
        code = (
            f"import weltoffen.versions.{name}\n"
            f"from weltoffen.versions import {name}\n"
            f"print(callable({name}) and {name}.__name__)"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )

        assert done.stdout.strip() == name

    def test_other_attributes_are_still_set(self) -> None:
        import weltoffen.versions as versions

        versions.extra_attribute = 1  # type: ignore[attr-defined]
        try:
            assert versions.extra_attribute == 1  # type: ignore[attr-defined]
        finally:
            del versions.extra_attribute  # type: ignore[attr-defined]


def fresh_modules(code: str) -> set[str]:
    """The modules loaded after running *code* in a new interpreter."""
    script = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stdout.splitlines()[-1]))
