"""The derandomised hypothesis profiles draw the same examples whatever else is loaded."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from hypothesis import settings


def test_no_constants_of_loaded_modules_are_drawn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hypothesis draws now and then from constants in the source of the local modules loaded
    at that moment, which depend on the tests that ran before: the derandomised profiles turn
    that off (tests/conftest.py). Should a newer Hypothesis move the machinery, this fails."""
    if not settings.default.derandomize:
        pytest.skip("only the derandomised profiles (ci, mutation) promise the same examples")
    from hypothesis.internal.conjecture import providers

    (tmp_path / "constants_galore.py").write_text(
        "WORDS = " + repr([f"galore-{i}" for i in range(300)]) + "\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.import_module("constants_galore")

    assert len(providers._get_local_constants()) == 0
