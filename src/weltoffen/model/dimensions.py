"""Dimensions (the scoring tree), bands and missing-answer settings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import attrs

from weltoffen._fields import checked
from weltoffen._repr import value_repr
from weltoffen._rules import InvariantError, also, finite
from weltoffen.model.conditions import Condition
from weltoffen.model.questions import Question
from weltoffen.strategies import Explicit, WeightedMean
from weltoffen.typing import Aggregation, MissingPolicy, Weighting

__all__ = ["Band", "BandsOn", "Dimension", "Policies", "Suggestion"]

Text = Mapping[str, str]

#: What a node's bands are on: its 0..100 score, or its points (the instrument's own total).
BandsOn = Literal["score", "points"]

_BOUND = finite("band bounds must be finite numbers")
_WEIGHT = finite("weight must be a finite number >= 0", low=0)
_SHARE = finite("done_at must be above 0 and at most 1", low=0, strict=True, high=1)


def _above_min(band: Band, attribute: attrs.Attribute[float], value: float) -> None:
    # validators run in field order, so min is known to be a bound here
    if not value > band.min:
        raise InvariantError(
            band,
            attribute.name,
            f"> {band.min!r}",
            value,
            message=f"band {band.id!r} is empty",
            expected="min < max",
            shown=f"{band.min}..{value}",
            whole=True,
        )


@attrs.frozen(kw_only=True, field_transformer=checked)
class Suggestion:
    """A next step a band proposes, and the questions it is about.

    A suggestion about questions is not made to a respondent who has done it already: when
    every question it *concerns* was answered with at least *done_at* of its points, a report
    leaves it out. Without *concerns* it is always made. In files, a suggestion without
    settings is written as its text alone (``- {de: ..., en: ...}``).

    Attributes:
        text: The suggestion, per language.
        concerns: Ids of the questions that ask whether it is done.
        done_at: The share of a question's points (0 < done_at <= 1) from which it counts as
            done: 0.75 is "largely in place" on a five-step implementation scale.
    """

    __repr__ = value_repr

    text: Text
    concerns: tuple[str, ...] = ()
    done_at: float = attrs.field(
        default=0.75,
        validator=finite("done_at must be in 0..1, above 0", low=0, strict=True, high=1),
    )


@attrs.frozen(kw_only=True, field_transformer=checked)
class Band:
    """A labelled range of scores (or of points) with feedback.

    A band covers ``min <= value < max``; the top band of a list also includes its max. Both
    bounds are finite and ``min < max`` (checked at construction). Bands on scores must lie in
    0..100; whether a list of bands covers what it must is the checker's business.

    Attributes:
        id: Identifies the band (stable across languages).
        min: Lower bound.
        max: Upper bound.
        label: Short name per language ("Established").
        feedback: What the band means for the respondent, per language.
        suggestions: Concrete next steps (each a :class:`Suggestion`; in files also its text
            alone).
    """

    __repr__ = value_repr

    id: str
    min: float = attrs.field(validator=_BOUND)
    max: float = attrs.field(validator=also(_BOUND, _above_min))
    label: Text = attrs.field(factory=dict)
    feedback: Text = attrs.field(factory=dict)
    suggestions: tuple[Suggestion, ...] = ()


@attrs.frozen(kw_only=True, field_transformer=checked)
class Policies:
    """What missing answers do, and how much must be answered for a score.

    ``None`` inherits the setting of the enclosing dimension (or the questionnaire's default).

    Attributes:
        dont_know: Policy for "don't know" answers.
        skipped: Policy for skipped questions.
        min_coverage: Below this coverage (answered weight / applicable weight) a dimension is
            "not assessable" and has no score.
    """

    __repr__ = value_repr

    dont_know: MissingPolicy | None = None
    skipped: MissingPolicy | None = None
    min_coverage: float | None = attrs.field(
        default=None, validator=finite("min_coverage must lie in 0..1", low=0, high=1)
    )


@attrs.frozen(kw_only=True, field_transformer=checked)
class Dimension:
    """A node of the scoring tree: questions and/or child dimensions, combined into one score.

    Attributes:
        id: Unique among all dimensions.
        title: Name per language.
        description: Longer explanation per language.
        weight: Relative weight among the parent's children (default 1; finite, >= 0).
        weighting: How the children are weighted (default: their declared weights).
        aggregation: How the children's scores are combined (default: weighted mean).
        scoring: Overrides of the missing-answer settings for this subtree.
        when: The dimension applies only when this condition holds; otherwise all of it is hidden.
        bands: Bands with feedback for this dimension.
        bands_on: What the bands are on: the 0..100 ``score`` (the default) or the dimension's
            ``points``, the instrument's own total (as in ``DimensionResult.points``).
        questions: The questions directly in this dimension.
        dimensions: Child dimensions.
    """

    __repr__ = value_repr

    id: str
    title: Text = attrs.field(factory=dict)
    description: Text = attrs.field(factory=dict)
    weight: float = attrs.field(default=1.0, validator=_WEIGHT)
    weighting: Weighting = attrs.field(factory=Explicit)
    aggregation: Aggregation = attrs.field(factory=WeightedMean)
    scoring: Policies = attrs.field(factory=Policies)
    when: Condition | None = None
    bands: tuple[Band, ...] = ()
    bands_on: BandsOn = "score"
    questions: tuple[Question, ...] = ()
    dimensions: tuple[Dimension, ...] = ()
