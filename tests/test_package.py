"""The public surface: what `import weltoffen` offers and what it costs."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

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
        code = (
            "import sys, weltoffen; "
            f"print(','.join(m for m in {heavy!r} if m in sys.modules))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()
        assert out == ""


class TestLayering:
    #: Packages already held to the rule (the lead widens this to all of src/weltoffen).
    PACKAGES = ("reports", "analysis")

    @pytest.mark.parametrize("package", PACKAGES)
    def test_no_module_imports_a_private_name_from_another(self, package: str) -> None:
        """Shared names are public-in-package; a private module (``_fields``) may be imported."""
        root = Path(weltoffen.__file__).parent / package
        found = [
            f"{path.name}:{node.lineno}: {alias.name} from {node.module}"
            for path in sorted(root.rglob("*.py"))
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.ImportFrom) and node.module != "__future__"
            for alias in node.names
            if alias.name.startswith("_") and not alias.name.startswith("__")
        ]

        assert found == []
