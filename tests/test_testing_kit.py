"""The conformance kit: every built-in passes it, and it catches broken plugins."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import attrs
import pytest

from weltoffen import strategies as s
from weltoffen.registry import Registry, default_registry
from weltoffen.testing import (
    ConformanceError,
    check_aggregation,
    check_policy,
    check_weighting,
    example_children,
)
from weltoffen.typing import Child

KIDS = example_children()  # q1, q2, d1

WEIGHTINGS: dict[str, object] = {
    "explicit": s.Explicit(),
    "equal": s.Equal(),
    "item_count": s.ItemCount(),
    "fixed": s.Fixed({"q1": 0.2, "q2": 0.3, "d1": 0.5}),
    "budget": s.Budget(({"q1": 10, "q2": 30, "d1": 60}, {"q1": 20, "q2": 20, "d1": 60}), total=100),
    "ahp": s.AHP(((1, 3, 5), (1 / 3, 1, 2), (1 / 5, 1 / 2, 1)), ids=("d1", "q1", "q2")),
}
AGGREGATIONS: dict[str, list[object]] = {
    "weighted_mean": [s.WeightedMean()],
    "sum": [s.SumOfPoints()],
    "minimum": [s.Minimum()],
    "geometric_mean": [s.GeometricMean()],
    "harmonic_mean": [s.HarmonicMean()],
    "power_mean": [s.PowerMean(p) for p in (-float("inf"), -3.0, 0.0, 1e-8, 0.5, 2.0, 40.0)],
    "mazziotta_pareto": [s.MazziottaPareto()],
}
POLICIES: dict[str, object] = {"exclude": s.Exclude(), "zero": s.Zero(), "prorate": s.Prorate()}


class TestBuiltinsConform:
    def test_every_builtin_has_an_example_here(self) -> None:
        """A new built-in must be added to this kit test."""
        assert set(WEIGHTINGS) == set(default_registry.names("weighting"))
        assert set(AGGREGATIONS) == set(default_registry.names("aggregation"))
        assert set(POLICIES) == set(default_registry.names("policy"))

    @pytest.mark.parametrize("name", sorted(WEIGHTINGS))
    def test_weighting(self, name: str) -> None:
        check_weighting(WEIGHTINGS[name], KIDS)

    @pytest.mark.parametrize(
        "obj", [a for name in sorted(AGGREGATIONS) for a in AGGREGATIONS[name]], ids=repr
    )
    def test_aggregation(self, obj: object) -> None:
        """All built-in aggregations are means, so they pass the mean-like checks too."""
        check_aggregation(obj, mean_like=True)

    @pytest.mark.parametrize("name", sorted(POLICIES))
    def test_policy(self, name: str) -> None:
        check_policy(POLICIES[name])


# -- broken plugins, each registered in its own registry copy ------------------------------------


def registry_with(group: str, obj: object) -> Registry:
    registry = default_registry.copy()
    registry.register(group, "plugin", type(obj))  # type: ignore[arg-type]
    return registry


def failures(check: object, obj: object, group: str, **kwargs: object) -> str:
    with pytest.raises(ConformanceError) as info:
        check(obj, registry=registry_with(group, obj), **kwargs)  # type: ignore[operator]
    assert info.value.obj is obj
    return "\n".join(info.value.failures)


@attrs.define
class Mutable:
    factor: float = 1.0

    def weigh(self, children: Sequence[Child]) -> list[float]:
        return [self.factor for _ in children]


_throws = itertools.count(1)


@attrs.frozen
class Dice:
    """Gives other weights at every call: impure, and certainly so (no chance of a repeat)."""

    def weigh(self, children: Sequence[Child]) -> list[float]:
        return [float(next(_throws)) for _ in children]


@attrs.frozen
class TooFew:
    def weigh(self, children: Sequence[Child]) -> list[float]:
        return [1.0]


@attrs.frozen
class Negative:
    def weigh(self, children: Sequence[Child]) -> list[float]:
        return [-1.0 for _ in children]


@attrs.frozen
class Zeros:
    def weigh(self, children: Sequence[Child]) -> list[float]:
        return [0.0 for _ in children]


@attrs.frozen
class Complex:
    z: complex = 1j

    def weigh(self, children: Sequence[Child]) -> list[float]:
        return [1.0 for _ in children]


@attrs.frozen
class Sorting:
    """Sorts the lists it is given in place: a side effect on the engine's data."""

    def aggregate(self, values: list[float], weights: list[float]) -> float:
        values.sort()
        return values[0]


@attrs.frozen
class Overshoot:
    def aggregate(self, values: Sequence[float], weights: Sequence[float]) -> float:
        return 1.5


@attrs.frozen
class Product:
    """A valid but non-mean aggregation: the product of the scores."""

    def aggregate(self, values: Sequence[float], weights: Sequence[float]) -> float:
        out = 1.0
        for v in values:
            out *= v
        return out


@attrs.frozen
class FirstChild:
    def aggregate(self, values: Sequence[float], weights: Sequence[float]) -> float:
        return values[0]


@attrs.frozen
class Absolute:
    """Treats weights as absolute points: the scale of the weights matters."""

    def aggregate(self, values: Sequence[float], weights: Sequence[float]) -> float:
        return min(1.0, sum(v * w for v, w in zip(values, weights)) / 10)


@attrs.frozen
class Bonus:
    def fill(self, values: Sequence[float], weights: Sequence[float]) -> float | None:
        return 2.0


class TestCatchesBrokenPlugins:
    def test_mutable(self) -> None:
        assert "accepts attribute assignment" in failures(check_weighting, Mutable(), "weighting")

    def test_nondeterministic(self) -> None:
        assert "is not deterministic" in failures(check_weighting, Dice(), "weighting")

    def test_wrong_length(self) -> None:
        assert "returned 1 weights for 3 children" in failures(
            check_weighting, TooFew(), "weighting"
        )

    def test_negative_weights(self) -> None:
        assert "finite number >= 0" in failures(check_weighting, Negative(), "weighting")

    def test_only_zero_weights(self) -> None:
        assert "only zeros" in failures(check_weighting, Zeros(), "weighting")

    def test_not_plain_data(self) -> None:
        assert "not plain data" in failures(check_weighting, Complex(2j), "weighting")

    def test_unregistered(self) -> None:
        with pytest.raises(ConformanceError, match="is not registered in the weighting group"):
            check_weighting(Zeros())

    def test_not_a_weighting(self) -> None:
        with pytest.raises(ConformanceError, match="does not implement the weighting protocol"):
            check_weighting(object())

    def test_mutates_inputs(self) -> None:
        assert "changed the lists it was given" in failures(
            check_aggregation, Sorting(), "aggregation"
        )

    def test_out_of_range(self) -> None:
        found = failures(check_aggregation, Overshoot(), "aggregation")
        assert "returned 1.5, expected a number within 0..1 (and " in found

    def test_policy_out_of_range(self) -> None:
        assert "expected None or a number within 0..1" in failures(check_policy, Bonus(), "policy")

    def test_non_mean_passes_the_universal_checks(self) -> None:
        """A product is a valid aggregation: only the opt-in mean checks reject it."""
        check_aggregation(Product(), registry=registry_with("aggregation", Product()))
        found = failures(check_aggregation, Product(), "aggregation", mean_like=True)
        assert "values all 0.37 gives" in found

    def test_mean_checks(self) -> None:
        order = failures(check_aggregation, FirstChild(), "aggregation", mean_like=True)
        assert "in reverse order" in order
        scale = failures(check_aggregation, Absolute(), "aggregation", mean_like=True)
        assert "with all weights times 7.5" in scale
