"""Packages whose public names load their modules on first use (:pep:`562`).

A package that re-exports the names of its modules would otherwise import every one of them when
it is imported itself, whether the caller needs one name or all. With :func:`lazy_exports` the
package keeps one table of its names by module, and a name's module is imported the first time
the name is looked up; the value is then stored in the package, so that later look-ups are plain
attribute reads.

A public name may also be the name of a module of the package (``weltoffen.versions.diff``, the
function in ``weltoffen/versions/diff.py``). Importing that module makes Python set it as the
package's attribute of that name, which would hide the function; such packages keep the name
for the function, as the eager ``from .diff import diff`` they replace did.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, namespace: dict[str, Any], modules: Mapping[str, tuple[str, ...]]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of *package*, whose globals are *namespace*.

    Args:
        package: The package's ``__name__`` (named in the error for an unknown name).
        namespace: The package's ``globals()``: where a loaded name is stored.
        modules: Each public name's module by absolute module name, with the names it offers.
    """
    home = {name: module for module, names in modules.items() for name in names}
    shadowed = {name for name, module in home.items() if module == f"{package}.{name}"}
    if shadowed:
        sys.modules[package].__class__ = _keeping(shadowed)

    def __getattr__(name: str) -> Any:
        module = home.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value  # later look-ups skip this hook
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *home})

    return __getattr__, __dir__


def _keeping(names: set[str]) -> type[types.ModuleType]:
    """A module class whose attributes *names* are not replaced by the package's submodules."""

    class Package(types.ModuleType):
        def __setattr__(self, name: str, value: Any) -> None:
            if name in names and isinstance(value, types.ModuleType):
                return  # the import system announcing the submodule: the name stays public
            super().__setattr__(name, value)

    return Package
