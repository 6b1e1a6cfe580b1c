"""A conformance kit for weightings, aggregations and missing-answer policies.

Run the same checks on your own strategy that every built-in passes::

    from weltoffen.testing import check_weighting

    def test_my_weighting_conforms():
        check_weighting(MyWeighting(...), children=[...], registry=my_registry)

Each ``check_*`` function runs every check and raises one :class:`ConformanceError` listing all
that failed. What is checked is only what the whole library relies on:

* the object implements its protocol and is an immutable value (equal to a deep copy of itself,
  refusing attribute assignment), so plans can be shared between threads;
* it is registered in the registry, and ``unstructure`` gives plain data that survives JSON and
  YAML and structures back to an equal object (lossless round trips of data files);
* the same input twice gives the same output, also from a fresh copy (deterministic);
* neither the object nor the input lists change (pure);
* the output is in range: weights one finite number >= 0 per child, not all zero; aggregated
  scores finite and within 0..1 for scores within 0..1; filled-in scores ``None`` or within 0..1.

Properties that only some strategies have are opt-in: ``mean_like=True`` for aggregations that
are means (equal values give that value, the result lies between the smallest and the largest
value, order and the scale of the weights do not matter).
"""

from __future__ import annotations

import copy
import json
import math
import random
from collections.abc import Callable, Sequence
from typing import Any

import attrs
import yaml

from weltoffen.registry import Group, Registry, default_registry
from weltoffen.typing import Aggregation, Child, MissingPolicy, Weighting

__all__ = [
    "ConformanceError",
    "check_aggregation",
    "check_policy",
    "check_weighting",
    "example_children",
]

_PROTOCOLS: dict[Group, type] = {
    "weighting": Weighting,
    "aggregation": Aggregation,
    "policy": MissingPolicy,
}


class ConformanceError(AssertionError):
    """A strategy failed conformance checks.

    Attributes:
        obj: The strategy checked.
        failures: One sentence per failed check.
    """

    def __init__(self, obj: object, failures: Sequence[str]) -> None:
        self.obj = obj
        self.failures = tuple(failures)
        lines = "\n".join(f"  - {f}" for f in self.failures)
        super().__init__(f"{obj!r} fails {len(self.failures)} conformance check(s):\n{lines}")


class _Failures:
    """Failed checks, each kind reported once with its first example and a count of the rest."""

    def __init__(self) -> None:
        self._first: dict[str, str] = {}
        self._count: dict[str, int] = {}

    def add(self, kind: str, message: str) -> None:
        self._first.setdefault(kind, message)
        self._count[kind] = self._count.get(kind, 0) + 1

    def extend(self, messages: Sequence[str]) -> None:
        for message in messages:
            self.add(message, message)

    def __bool__(self) -> bool:
        return bool(self._first)

    def messages(self) -> list[str]:
        out = []
        for kind, message in self._first.items():
            more = self._count[kind] - 1
            out.append(f"{message} (and {more} more case{'s' * (more > 1)})" if more else message)
        return out


def example_children() -> list[Child]:
    """The children :func:`check_weighting` uses when none are given: two questions, a dimension."""
    return [
        Child(id="q1", weight=1.0, items=1, is_dimension=False),
        Child(id="q2", weight=2.0, items=1, is_dimension=False),
        Child(id="d1", weight=1.0, items=4, is_dimension=True),
    ]


def check_weighting(
    obj: object,
    children: Sequence[Child] | None = None,
    *,
    registry: Registry | None = None,
) -> None:
    """Check a weighting scheme.

    Args:
        obj: The weighting to check.
        children: Children to weigh; pass ones that fit the weighting's parameters (for schemes
            that name child ids). Defaults to :func:`example_children`.
        registry: Where the weighting is registered (default: the default registry).

    Raises:
        ConformanceError: With every failed check.
    """
    kids = list(children) if children is not None else example_children()
    failures = _value_checks(obj, "weighting", registry or default_registry)

    def run(target: Any) -> Any:
        given = list(kids)
        out = target.weigh(given)
        if given != kids:
            failures.add("mutates", "weigh() changed the list of children it was given")
        return out

    weights = _run_twice(obj, run, failures, "weigh()")
    if weights is not None:
        failures.extend(_weight_problems(weights, kids))
    _raise(obj, failures)


def check_aggregation(
    obj: object,
    *,
    registry: Registry | None = None,
    mean_like: bool = False,
) -> None:
    """Check an aggregation strategy.

    Args:
        obj: The aggregation to check.
        registry: Where it is registered (default: the default registry).
        mean_like: Also check the properties of a mean: equal values give that value, the result
            lies between the smallest and largest value (of children with positive weight), and
            neither the order of the children nor the scale of the weights changes it.

    Raises:
        ConformanceError: With every failed check.
    """
    failures = _value_checks(obj, "aggregation", registry or default_registry)
    for values, weights in _cases():
        where = f"aggregate({_short(values)}, {_short(weights)})"
        result = _run_twice(obj, _caller("aggregate", values, weights, failures), failures, where)
        if result is None:
            continue
        if not _is_number(result) or not 0.0 <= result <= 1.0:
            failures.add("range", f"{where} returned {result!r}, expected a number within 0..1")
        elif mean_like:
            try:
                _mean_checks(obj, values, weights, float(result), where, failures)
            except Exception as exc:
                failures.add("raises", f"{where} variations raised {type(exc).__name__}: {exc}")
    _raise(obj, failures)


def check_policy(obj: object, *, registry: Registry | None = None) -> None:
    """Check a missing-answer policy (including with no answered questions beside it).

    Args:
        obj: The policy to check.
        registry: Where it is registered (default: the default registry).

    Raises:
        ConformanceError: With every failed check.
    """
    failures = _value_checks(obj, "policy", registry or default_registry)
    empty: list[tuple[list[float], list[float]]] = [([], [])]
    for values, weights in empty + _cases():
        where = f"fill({_short(values)}, {_short(weights)})"
        run = _caller("fill", values, weights, failures)
        result = _run_twice(obj, run, failures, where, none_ok=True)
        if result is not None and (not _is_number(result) or not 0.0 <= result <= 1.0):
            failures.add(
                "range", f"{where} returned {result!r}, expected None or a number within 0..1"
            )
    _raise(obj, failures)


# -- shared checks -------------------------------------------------------------------------------


def _value_checks(obj: object, group: Group, registry: Registry) -> _Failures:
    """Protocol, immutability, equality, registration and the round trip through plain data."""
    failures = _Failures()
    if not isinstance(obj, _PROTOCOLS[group]):
        method = {"weighting": "weigh", "aggregation": "aggregate", "policy": "fill"}[group]
        failures.add("protocol", f"does not implement the {group} protocol (a {method}() method)")
        return failures
    try:
        twin = copy.deepcopy(obj)
    except Exception as exc:
        failures.add("copy", f"cannot be deep-copied: {exc}")
        return failures
    if twin != obj:
        failures.add("equality", "is not equal to a deep copy of itself (compare by value: attrs)")
    if not attrs.has(type(obj)):
        failures.add("attrs", "is not an attrs class (use @attrs.frozen)")
    if _accepts_assignment(twin):
        failures.add("frozen", "accepts attribute assignment; make it immutable (@attrs.frozen)")
    try:
        name = registry.name_of(group, obj)
    except LookupError:
        failures.add("registered", f"is not registered in the {group} group of {registry!r}")
        return failures
    problem = _round_trip_problem(obj, group, name, registry)
    if problem:
        failures.add("round trip", problem)
    return failures


def _accepts_assignment(twin: object) -> bool:
    """Whether an attribute of *twin* (a throwaway copy) can be set."""
    cls: Any = type(twin)
    fields = [f.name for f in attrs.fields(cls)] if attrs.has(cls) else []
    name = fields[0] if fields else "_weltoffen_probe"
    try:
        # Setting a field to its own value changes nothing even when it succeeds.
        setattr(twin, name, getattr(twin, name, None))
    except AttributeError:  # attrs' FrozenInstanceError is one; so is a slotted class's refusal
        return False
    return True


def _round_trip_problem(obj: object, group: Group, name: str, registry: Registry) -> str | None:
    # Imported here: checking a plugin should not load the formats until it gets this far.
    from weltoffen.serialization.converter import make_converter

    conv = make_converter(registry)
    try:
        data = conv.unstructure(obj)
    except Exception as exc:
        return f"cannot be unstructured: {type(exc).__name__}: {exc}"
    try:
        plain = json.loads(json.dumps(data))
        yaml.safe_dump(data)
    except Exception as exc:
        return f"unstructures to {data!r}, which is not plain data (JSON and YAML): {exc}"
    kind = plain.get("kind") if isinstance(plain, dict) else plain
    if kind != name:
        return f"unstructures with kind {kind!r}, expected its registered name {name!r}"
    try:
        back: object = conv.structure(plain, _PROTOCOLS[group])
    except Exception as exc:
        return f"does not structure back from {plain!r}: {type(exc).__name__}: {exc}"
    if back != obj:
        return f"round trip through {plain!r} gives {back!r}, not an equal object"
    return None


def _caller(
    method: str, values: list[float], weights: list[float], failures: _Failures
) -> Callable[[Any], Any]:
    """Call *method* on a target with copies of the lists, noting whether it changed them."""

    def run(target: Any) -> Any:
        given_values, given_weights = list(values), list(weights)
        out = getattr(target, method)(given_values, given_weights)
        if given_values != values or given_weights != weights:
            failures.add("mutates", f"{method}() changed the lists it was given")
        return out

    return run


def _run_twice(
    obj: object,
    run: Callable[[Any], Any],
    failures: _Failures,
    what: str,
    *,
    none_ok: bool = False,
) -> Any:
    """Run *run* on *obj*, again on *obj* and on a fresh copy; report differences and changes."""
    before = copy.deepcopy(obj)
    comparable = before == obj
    try:
        first = run(obj)
        second = run(obj)
        third = run(copy.deepcopy(before))
    except Exception as exc:
        failures.add("raises", f"{what} raised {type(exc).__name__}: {exc}")
        return None
    if comparable and obj != before:
        failures.add("impure", f"{what} changed the object itself (it must be pure)")
    if not _same(first, second) or not _same(first, third):
        failures.add(
            "nondeterministic",
            f"{what} is not deterministic: {first!r}, then {second!r}, then {third!r}",
        )
    if first is None and not none_ok:
        failures.add("none", f"{what} returned None")
    return first


def _same(a: Any, b: Any) -> bool:
    """Equal, treating NaN as equal to NaN and any sequence by its items."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if _is_sequence(a) and _is_sequence(b):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return bool(a == b)


def _is_sequence(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _raise(obj: object, failures: _Failures) -> None:
    if failures:
        raise ConformanceError(obj, failures.messages())


def _short(numbers: Sequence[float]) -> str:
    return "[" + ", ".join(f"{x:.4g}" for x in numbers) + "]"


# -- weightings ----------------------------------------------------------------------------------


def _weight_problems(weights: Any, children: Sequence[Child]) -> list[str]:
    if not _is_sequence(weights):
        return [f"weigh() returned {weights!r}, expected a sequence of numbers"]
    if len(weights) != len(children):
        return [f"weigh() returned {len(weights)} weights for {len(children)} children"]
    bad = [w for w in weights if not _is_number(w) or w < 0]
    if bad:
        return [f"weigh() returned {bad!r}: every weight must be a finite number >= 0"]
    if any(c.weight > 0 for c in children) and not any(w > 0 for w in weights):
        return ["weigh() returned only zeros: at least one child must count"]
    return []


# -- aggregations --------------------------------------------------------------------------------


def _cases() -> list[tuple[list[float], list[float]]]:
    """Fixed edge cases plus a seeded random sample: the same cases on every run."""
    cases = [
        ([0.5], [1.0]),
        ([0.0, 1.0], [1.0, 1.0]),
        ([0.0, 0.0], [1.0, 1.0]),
        ([1.0, 1.0, 1.0], [1.0, 2.0, 3.0]),
        ([0.2, 0.4, 0.9], [1.0, 2.0, 3.0]),
        ([0.3, 0.7], [0.001, 1000.0]),
        ([0.25, 0.75, 0.5], [0.0, 1.0, 1.0]),
    ]
    rng = random.Random(20240601)
    for _ in range(25):
        n = rng.randint(1, 8)
        values = [rng.choice([0.0, 1.0, round(rng.random(), 3)]) for _ in range(n)]
        weights = [rng.choice([0.5, 1.0, round(rng.uniform(0.01, 50.0), 2)]) for _ in range(n)]
        cases.append((values, weights))
    return cases


def _mean_checks(
    obj: Any,
    values: list[float],
    weights: list[float],
    result: float,
    where: str,
    failures: _Failures,
) -> None:
    tol = 1e-9
    counted = [v for v, w in zip(values, weights) if w > 0]
    if not min(counted) - tol <= result <= max(counted) + tol:
        failures.add("internal", f"{where} = {result!r} lies outside the range of the values")
    reversed_result = obj.aggregate(values[::-1], weights[::-1])
    if not math.isclose(result, reversed_result, abs_tol=tol):
        failures.add(
            "order", f"{where} = {result!r} changes to {reversed_result!r} in reverse order"
        )
    scaled = obj.aggregate(values, [w * 7.5 for w in weights])
    if not math.isclose(result, scaled, abs_tol=tol):
        failures.add(
            "scale", f"{where} = {result!r} changes to {scaled!r} with all weights times 7.5"
        )
    for v in (0.0, 0.37, 1.0):
        same = obj.aggregate([v] * len(values), weights)
        if not math.isclose(same, v, abs_tol=tol):
            failures.add(
                "idempotent", f"aggregate of {len(values)} values all {v} gives {same!r}, not {v}"
            )
