"""Protocols of the extension points and the type aliases users meet in signatures.

Each extension point is a one-method protocol; the built-ins are ordinary implementations of it.
Implementations should be frozen attrs classes so that they compare by value, round-trip through
data files and can be shared between threads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

import attrs

from weltoffen._fields import checked, describe
from weltoffen._repr import value_repr

__all__ = ["Aggregation", "Child", "MissingPolicy", "Text", "Weighting"]

#: A text in several languages: language code -> text.
Text = Mapping[str, str]


@attrs.frozen(field_transformer=checked)
class Child:
    """What a weighting scheme may know about one child of a dimension.

    Attributes:
        id: The question or dimension id.
        weight: The weight declared on the child (default 1).
        items: How many scored questions the child stands for (1 for a question).
        is_dimension: Whether the child is a dimension rather than a question.
    """

    __repr__ = value_repr

    id: str
    weight: float
    items: int
    is_dimension: bool


@runtime_checkable
class Weighting(Protocol):
    """Turns the children of a dimension into their relative weights.

    Called once per dimension when a questionnaire is compiled. The result must have one
    non-negative, finite number per child; it need not sum to one.
    """

    def weigh(self, children: Sequence[Child]) -> Sequence[float]: ...


@runtime_checkable
class Aggregation(Protocol):
    """Combines the scores of a dimension's available children into the dimension's score.

    *values* are scores in 0..1, *weights* the matching positive weights of the children that are
    available in this response (missing ones are already left out or filled in by the policy).
    The result must lie in 0..1.
    """

    def aggregate(self, values: Sequence[float], weights: Sequence[float]) -> float: ...


@runtime_checkable
class MissingPolicy(Protocol):
    """Decides what a missing answer (don't know, skipped) counts as.

    *values* and *weights* are the scores (0..1) and weights of the answered questions among the
    same dimension's children. Return the score the missing question counts with, or ``None`` to
    leave it out of the dimension so the remaining weights are renormalised.
    """

    def fill(self, values: Sequence[float], weights: Sequence[float]) -> float | None: ...


describe(Weighting, "a weighting such as Explicit() or Equal()", "weightings", group="weighting")
describe(
    Aggregation,
    "an aggregation such as WeightedMean() or GeometricMean()",
    "aggregations",
    group="aggregation",
)
describe(
    MissingPolicy,
    "a missing-answer policy such as Exclude() or Zero()",
    "missing-answer policies",
    group="policy",
)
