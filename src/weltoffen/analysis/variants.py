"""The declared choices as factors of a design, and the variant of the questionnaire a row means.

:func:`design_factors` turns :class:`~weltoffen.analysis.choices.Choices` into samplers with a
description each; :func:`build_variant` puts one drawn row in place with :func:`attrs.evolve`.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import attrs

from weltoffen.analysis.choices import Choices, WeightChoice
from weltoffen.exceptions import WeltoffenError
from weltoffen.model.dimensions import Dimension, Policies
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.registry import Registry
from weltoffen.scoring.plan import ScoringPlan
from weltoffen.strategies import Explicit
from weltoffen.typing import Aggregation, MissingPolicy

__all__ = [
    "Factor",
    "WeightGroup",
    "build_variant",
    "design_factors",
    "strategy_label",
    "weight_groups",
    "weight_sampler",
]


@attrs.frozen
class WeightGroup:
    """The children of one node whose weights may change together."""

    path: str
    keys: tuple[str, ...]  # question ids, or the paths of child dimensions
    base: tuple[float, ...]
    targeted: tuple[bool, ...]


def weight_groups(plan: ScoringPlan, targets: str) -> list[WeightGroup]:
    groups = []
    for node in plan.nodes:
        keys = [plan.questions[i].question.id for i in node.questions]
        keys += [plan.nodes[c].path for c in node.children]
        base = (*node.question_weights, *node.child_weights)
        targeted = [targets in ("questions", "all")] * len(node.questions)
        targeted += [targets in ("dimensions", "all")] * len(node.children)
        if any(t and w > 0 for t, w in zip(targeted, base)):
            groups.append(WeightGroup(node.path, tuple(keys), tuple(base), tuple(targeted)))
    return groups


def weight_sampler(
    choice: WeightChoice, groups: Sequence[WeightGroup]
) -> Callable[[random.Random], tuple[tuple[float, ...], ...]]:
    def uniform(rng: random.Random) -> tuple[tuple[float, ...], ...]:
        lo, hi = 1.0 - choice.spread, 1.0 + choice.spread
        return tuple(
            tuple(w * rng.uniform(lo, hi) if t else w for w, t in zip(g.base, g.targeted))
            for g in groups
        )

    def dirichlet(rng: random.Random) -> tuple[tuple[float, ...], ...]:
        out = []
        for g in groups:
            moving = [j for j, (w, t) in enumerate(zip(g.base, g.targeted)) if t and w > 0]
            total = math.fsum(g.base[j] for j in moving)
            draws = {
                j: max(rng.gammavariate(choice.concentration * g.base[j] / total, 1.0), 1e-300)
                for j in moving
            }
            drawn = math.fsum(draws.values())
            out.append(
                tuple(total * draws[j] / drawn if j in draws else w for j, w in enumerate(g.base))
            )
        return tuple(out)

    return dirichlet if choice.method == "dirichlet" else uniform


def _child_path(parent: str, i: int) -> str:
    return f"{parent}.dimensions[{i}]" if parent else f"dimensions[{i}]"


def build_variant(
    q: Questionnaire,
    groups: Sequence[WeightGroup],
    weights: tuple[tuple[float, ...], ...] | None,
    aggregation: Aggregation | None,
    scope: str,
    policy: MissingPolicy | None,
) -> Questionnaire:
    """*q* with the drawn weights, aggregation and policy put in place."""
    table = {g.path: dict(zip(g.keys, w)) for g, w in zip(groups, weights or ())}

    def children(path: str, dims: Sequence[Dimension]) -> tuple[Dimension, ...]:
        kids = [rebuild(d, _child_path(path, i)) for i, d in enumerate(dims)]
        given = table.get(path)
        if given is not None:
            kids = [attrs.evolve(d, weight=given[_child_path(path, i)]) for i, d in enumerate(kids)]
        return tuple(kids)

    def rebuild(dim: Dimension, path: str) -> Dimension:
        changes: dict[str, Any] = {"dimensions": children(path, dim.dimensions)}
        given = table.get(path)
        if given is not None:
            changes["weighting"] = Explicit()
            changes["questions"] = tuple(
                attrs.evolve(x, weight=given[x.id]) if x.id in given else x for x in dim.questions
            )
        if aggregation is not None and scope == "all":
            changes["aggregation"] = aggregation
        if policy is not None and (dim.scoring.dont_know or dim.scoring.skipped):
            changes["scoring"] = _override(dim.scoring, policy)
        return attrs.evolve(dim, **changes)

    changes: dict[str, Any] = {"dimensions": children("", q.dimensions)}
    if "" in table:
        changes["weighting"] = Explicit()
    if aggregation is not None:
        changes["aggregation"] = aggregation
    if policy is not None:
        changes["scoring"] = attrs.evolve(q.scoring, dont_know=policy, skipped=policy)
    return attrs.evolve(q, **changes)


def _override(scoring: Policies, policy: MissingPolicy) -> Policies:
    """A dimension's own policies replaced by *policy* (inherited ones stay inherited)."""
    return attrs.evolve(
        scoring,
        dont_know=policy if scoring.dont_know is not None else None,
        skipped=policy if scoring.skipped is not None else None,
    )


@attrs.frozen
class Factor:
    """One declared choice as a factor of the design: its name, sampler and description."""

    name: str
    sampler: Callable[[random.Random], Any]
    describe: str


def strategy_label(obj: object, registry: Registry, group: Literal["aggregation", "policy"]) -> str:
    """The registered name of a strategy, with its parameters: ``power_mean(p=2)``."""
    from weltoffen.serialization.converter import make_converter

    try:
        name = registry.name_of(group, obj)
    except WeltoffenError:  # not registered: say what it is all the same
        return type(obj).__name__
    data = make_converter(registry).unstructure(obj)
    if isinstance(data, Mapping):
        params = ", ".join(f"{k}={v!r}" for k, v in data.items() if k != "kind")
        return f"{name}({params})"
    return name


def _pick(n: int) -> Callable[[random.Random], int]:
    """A sampler of one of *n* alternatives, each equally likely."""
    return lambda rng: rng.randrange(n)


def design_factors(
    groups: Sequence[WeightGroup], choices: Choices, registry: Registry
) -> list[Factor]:
    factors: list[Factor] = []
    w = choices.weights
    if w is not None:
        count = sum(1 for g in groups for t, b in zip(g.targeted, g.base) if t and b > 0)
        what = {
            "dimensions": "dimension weights",
            "questions": "question weights",
            "all": "dimension and question weights",
        }[w.targets]
        if w.method == "uniform":
            how = (
                f"each times an independent uniform factor in [{1 - w.spread:g}, {1 + w.spread:g}]"
            )
        else:
            how = (
                f"shares within each group drawn from Dirichlet({w.concentration:g} · compiled "
                "shares), group totals kept"
            )
        factors.append(
            Factor(
                "weights",
                weight_sampler(w, groups),
                f"weights: {count} {what} in {len(groups)} group(s) around the compiled weights, "
                f"{how}; perturbed nodes weigh explicitly",
            )
        )
    if choices.aggregations:
        options = choices.aggregations
        labels = ", ".join(strategy_label(x, registry, "aggregation") for x in options)
        where = (
            "every dimension and the overall score"
            if choices.aggregation_scope == "all"
            else "the overall score"
        )
        factors.append(
            Factor(
                "aggregation",
                _pick(len(options)),
                f"aggregation of {where}: one of {labels}, each with probability 1/{len(options)}",
            )
        )
    if choices.policies:
        options_p = choices.policies
        labels = ", ".join(strategy_label(x, registry, "policy") for x in options_p)
        factors.append(
            Factor(
                "policy",
                _pick(len(options_p)),
                "missing-answer policy for don't know and skipped, everywhere: one of "
                f"{labels}, each with probability 1/{len(options_p)}",
            )
        )
    return factors
