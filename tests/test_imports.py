"""The package's modules use each other only through names without a leading underscore.

A name with a leading underscore is private to its module: another module that imports it (or
reaches it as ``module._name``) depends on a detail its owner may change without notice. Private
*modules* (``weltoffen._fields``) are fine to import from: their public names are the package's
own seam.
"""

from __future__ import annotations

import ast
import importlib.util
from collections.abc import Iterator
from pathlib import Path

import weltoffen

SRC = Path(weltoffen.__file__).parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _absolute(module: str, node: ast.ImportFrom, package_init: bool) -> str:
    if not node.level:
        return node.module or ""
    package = module if package_init else module.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def _violations(text: str, module: str, package_init: bool = False) -> Iterator[str]:
    """``line: name`` for each private name of another of our modules that *text* uses."""
    tree = ast.parse(text)
    modules: set[str] = set()  # local names bound to one of our modules
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("weltoffen"):
                    modules.add(alias.asname or alias.name.partition(".")[0])
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(module, node, package_init)
            if not source.startswith("weltoffen"):
                continue
            for alias in node.names:
                if _is_module(f"{source}.{alias.name}"):
                    modules.add(alias.asname or alias.name)
                elif _private(alias.name) and source != module:
                    yield f"{node.lineno}: {source}.{alias.name}"
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and _private(node.attr)
        ):
            yield f"{node.lineno}: {node.value.id}.{node.attr}"


def test_no_module_imports_a_private_name_of_another() -> None:
    found = [
        f"{path.relative_to(SRC.parent)}:{violation}"
        for path in sorted(SRC.rglob("*.py"))
        for violation in _violations(
            path.read_text(encoding="utf-8"), _module_name(path), path.name == "__init__.py"
        )
    ]
    assert found == []


def test_the_walk_sees_every_way_to_reach_a_private_name() -> None:
    # The rule above must be able to fail: each form below reaches a private name of another module.
    text = (
        "from weltoffen.scoring.engine import _hidden\n"
        "from .engine import _also\n"
        "from weltoffen.scoring import engine\n"
        "import weltoffen.scoring.plan as plan\n"
        "engine._inner, plan._rows, engine.__name__\n"
        "from weltoffen import _fields\n"
        "from weltoffen._fields import checked\n"
    )
    assert list(_violations(text, "weltoffen.scoring.batch")) == [
        "1: weltoffen.scoring.engine._hidden",
        "2: weltoffen.scoring.engine._also",
        "5: engine._inner",
        "5: plan._rows",
    ]
