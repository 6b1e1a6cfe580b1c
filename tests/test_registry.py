"""Tests for weltoffen.registry: names -> classes, duplicates refused, copies independent."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
import pytest

from weltoffen import Registry, UnknownKindError, default_registry
from weltoffen.strategies import Equal, Exclude, Minimum, WeightedMean


@attrs.frozen
class Median:
    def aggregate(self, values: Sequence[float], weights: Sequence[float]) -> float:
        ordered = sorted(values)
        return ordered[len(ordered) // 2]


class TestBuiltins:
    @pytest.mark.parametrize(
        ("group", "names"),
        [
            ("aggregation", {"weighted_mean", "sum", "minimum", "geometric_mean"}),
            ("weighting", {"explicit", "equal", "item_count"}),
            ("policy", {"exclude", "zero", "prorate"}),
        ],
    )
    def test_builtins_are_registered(self, group: Any, names: set[str]) -> None:
        assert names <= set(default_registry.names(group))

    def test_lookup_and_name_of(self) -> None:
        assert WeightedMean is default_registry.lookup("aggregation", "weighted_mean")
        assert default_registry.name_of("weighting", Equal()) == "equal"
        assert default_registry.name_of("policy", Exclude) == "exclude"

    def test_names_are_sorted(self) -> None:
        names = default_registry.names("policy")
        assert sorted(names) == names


class TestUnknown:
    def test_unknown_kind_lists_the_known(self) -> None:
        with pytest.raises(UnknownKindError) as info:
            default_registry.lookup("aggregation", "median")
        error = info.value
        assert isinstance(error, LookupError)
        assert (error.group, error.kind) == ("aggregation", "median")
        assert set(error.known) >= {"weighted_mean", "minimum"}
        assert "unknown aggregation kind 'median'" in str(error)
        assert "weighted_mean" in str(error)

    def test_name_of_an_unregistered_class(self) -> None:
        with pytest.raises(UnknownKindError):
            default_registry.name_of("aggregation", Median())

    def test_unknown_group(self) -> None:
        with pytest.raises(ValueError, match="unknown group"):
            Registry().register("colour", "red", Median)  # type: ignore[arg-type]


class TestRegister:
    def test_duplicate_name_is_refused(self) -> None:
        registry = default_registry.copy()
        with pytest.raises(ValueError, match="already registered"):
            registry.register("aggregation", "minimum", Median)

    def test_a_class_registers_under_one_name(self) -> None:
        registry = default_registry.copy()
        with pytest.raises(ValueError, match="already registered"):
            registry.register("aggregation", "lowest", Minimum)

    def test_decorator(self) -> None:
        registry = Registry()
        decorated = registry.kind("aggregation", "median")(Median)
        assert decorated is Median
        assert Median is registry.lookup("aggregation", "median")

    def test_copy_is_independent(self) -> None:
        mine = default_registry.copy()
        mine.register("aggregation", "median", Median)
        assert "median" in mine.names("aggregation")
        assert "median" not in default_registry.names("aggregation")
        assert mine.names("weighting") == default_registry.names("weighting")

    def test_repr_names_the_kinds(self) -> None:
        registry = Registry()
        registry.register("aggregation", "median", Median)
        assert "median" in repr(registry)


class TestEntryPoints:
    def test_plugins_register_only_when_asked(self) -> None:
        class EntryPoint:
            name = "median-plugin"

            def load(self) -> Any:
                return lambda registry: registry.register("aggregation", "median", Median)

        registry = default_registry.copy()
        assert "median" not in registry.names("aggregation")
        assert registry.load_entry_points([EntryPoint()]) == ["median-plugin"]
        assert Median is registry.lookup("aggregation", "median")
