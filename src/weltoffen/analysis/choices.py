"""The methodological choices a sensitivity analysis varies (in code or from a file)."""

from __future__ import annotations

import math
import os
from typing import Any, Literal

import attrs

from weltoffen._fields import checked
from weltoffen.exceptions import DefinitionError, Problem, ProblemCode
from weltoffen.registry import Registry, default_registry
from weltoffen.typing import Aggregation, MissingPolicy

__all__ = ["Choices", "WeightChoice", "check_choices", "load_choices"]


@attrs.frozen(kw_only=True, field_transformer=checked)
class WeightChoice:
    """How weights vary.

    The centre is the compiled weights (whatever scheme produced them); a perturbed node's
    weighting becomes :class:`~weltoffen.strategies.Explicit` with the drawn weights.

    Attributes:
        method: ``uniform`` — each weight times an independent factor in
            ``[1 − spread, 1 + spread]``; ``dirichlet`` — within each group of siblings, shares
            drawn from ``Dirichlet(concentration · p)`` where ``p`` are the compiled shares, the
            group's total kept.
        spread: Half-width of the uniform factor, ``0 <= spread < 1``.
        concentration: Dirichlet concentration; larger stays closer to the compiled weights (the
            variance of a share ``p`` is ``p(1 − p) / (concentration + 1)``).
        targets: Which weights vary: those of child ``dimensions`` (and of the top-level fields
            in the overall score), of ``questions`` within their dimension, or ``all``.
    """

    method: Literal["uniform", "dirichlet"] = "uniform"
    spread: float = 0.2
    concentration: float = 50.0
    targets: Literal["dimensions", "questions", "all"] = "dimensions"


@attrs.frozen(kw_only=True, field_transformer=checked)
class Choices:
    """The methodological choices an analysis varies.

    Attributes:
        weights: How weights vary (``None``: they stay as compiled).
        aggregations: Alternative aggregations, each drawn with equal probability (empty: kept).
        aggregation_scope: Where a drawn aggregation applies: at ``all`` nodes (every dimension
            and the overall score) or only ``overall``.
        policies: Alternative missing-answer policies, each drawn with equal probability and
            applied to don't know and skipped alike, everywhere (empty: kept).
    """

    weights: WeightChoice | None = None
    aggregations: tuple[Aggregation, ...] = ()
    aggregation_scope: Literal["all", "overall"] = "all"
    policies: tuple[MissingPolicy, ...] = ()


def check_choices(choices: Choices) -> list[Problem]:
    """Every problem with *choices*: an empty declaration, out-of-range parameters."""
    problems = []
    w = choices.weights
    if w is not None:
        if not (math.isfinite(w.spread) and 0 <= w.spread < 1):
            problems.append(
                Problem(
                    ProblemCode.OUT_OF_RANGE,
                    "spread must lie in 0..1 (1 excluded)",
                    location=("weights", "spread"),
                    got=repr(w.spread),
                )
            )
        if not (math.isfinite(w.concentration) and w.concentration > 0):
            problems.append(
                Problem(
                    ProblemCode.OUT_OF_RANGE,
                    "concentration must be a finite number > 0",
                    location=("weights", "concentration"),
                    got=repr(w.concentration),
                )
            )
    if w is None and not choices.aggregations and not choices.policies:
        problems.append(
            Problem(
                ProblemCode.TOO_FEW,
                "nothing to vary",
                expected="weights, aggregations and/or policies",
            )
        )
    return problems


def load_choices(
    source: str | os.PathLike[str] | None = None,
    *,
    text: str | None = None,
    data: Any = None,
    registry: Registry = default_registry,
) -> Choices:
    """Read declared choices from a YAML or JSON file (or *text*, or plain *data*).

    Example::

        weights: {method: uniform, spread: 0.2, targets: dimensions}
        aggregations: [weighted_mean, geometric_mean]
        policies: [exclude, zero]

    Raises:
        DefinitionError: Every problem found, each with file and path.
    """
    # Formats pull in cattrs and PyYAML: only when choices are read from a file.
    from weltoffen.serialization.api import load_document

    # An empty document declares nothing, which the check below reports in its own words.
    choices, name, lines = load_document(
        "load_choices", Choices, source, text=text, data=data, registry=registry, empty={}
    )
    problems = check_choices(choices)
    if problems:
        raise DefinitionError(problems).with_source(name, lines)
    return choices
