"""The modules of weltoffen.scoring share public-in-package names only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SCORING = Path(__file__).parent.parent / "src" / "weltoffen" / "scoring"


@pytest.mark.parametrize("path", sorted(SCORING.glob("*.py")), ids=lambda p: p.name)
def test_no_private_name_is_imported_from_another_module(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    private = [
        f"{node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.name.startswith("_") and alias.name != "__future__"
    ]
    assert private == []
