"""The public surface: what `import weltoffen` offers and what it costs."""

from __future__ import annotations

import subprocess
import sys

import pytest

import weltoffen


class TestPublicNames:
    def test_every_name_resolves(self) -> None:
        """Each name in `__all__` (lazy ones included) gives an object; ruff keeps it sorted."""
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
