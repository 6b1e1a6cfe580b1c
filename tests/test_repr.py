"""The shared ``__repr__`` of the value classes writes what attrs would write."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import attrs
import pytest

import weltoffen
from weltoffen._repr import value_repr


def _sharing() -> list[type]:
    """Every attrs class of the package that uses the shared repr."""
    found: dict[str, type] = {}
    for info in pkgutil.walk_packages(weltoffen.__path__, "weltoffen."):
        if info.name.endswith("__main__"):
            continue
        try:
            module = importlib.import_module(info.name)
        except ImportError:  # an optional extra that is not installed
            continue
        for value in vars(module).values():
            if isinstance(value, type) and attrs.has(value) and value.__repr__ is value_repr:
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[name] for name in sorted(found)]


SHARING = _sharing()


def _filled(cls: type, values: dict[str, Any]) -> Any:
    # filled field by field, past the constructor: the text is what is compared, not the rules
    made = object.__new__(cls)
    for name, value in values.items():
        object.__setattr__(made, name, value)
    return made


def test_the_classes_every_command_imports_share_it() -> None:
    names = {cls.__qualname__ for cls in SHARING}
    assert {"Questionnaire", "Dimension", "ScaleQuestion", "Result", "DimensionResult"} <= names
    assert len(SHARING) > 50


@pytest.mark.parametrize("cls", SHARING, ids=lambda cls: cls.__qualname__)
def test_it_writes_what_attrs_writes(cls: type) -> None:
    fields = attrs.fields(cls)
    twin = attrs.make_class(
        cls.__name__,
        {a.name: attrs.field(repr=a.repr) for a in fields},
        slots=True,
        frozen=True,
    )
    values: dict[str, Any] = {
        a.name: [(i, f"<{a.name}>"), None, 1.5, "text", {"k": (1, "v")}][i % 5]
        for i, a in enumerate(fields)
    }

    assert repr(_filled(cls, values)) == repr(_filled(twin, values))
