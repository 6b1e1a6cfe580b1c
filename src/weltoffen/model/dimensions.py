"""Dimensions (the scoring tree), bands and missing-answer settings."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from weltoffen._fields import checked
from weltoffen.model.conditions import Condition
from weltoffen.model.questions import Question
from weltoffen.strategies import Explicit, WeightedMean
from weltoffen.typing import Aggregation, MissingPolicy, Weighting

__all__ = ["Band", "Dimension", "Policies"]

Text = Mapping[str, str]


@attrs.frozen(kw_only=True, field_transformer=checked)
class Band:
    """A labelled range of scores with feedback.

    A band covers ``min <= score < max``; the band ending at 100 includes 100.

    Attributes:
        id: Identifies the band (stable across languages).
        min: Lower bound, 0..100.
        max: Upper bound, 0..100.
        label: Short name per language ("Established").
        feedback: What the band means for the respondent, per language.
        suggestions: Concrete next steps, each per language.
    """

    id: str
    min: float
    max: float
    label: Text = attrs.field(factory=dict)
    feedback: Text = attrs.field(factory=dict)
    suggestions: tuple[Text, ...] = ()


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

    dont_know: MissingPolicy | None = None
    skipped: MissingPolicy | None = None
    min_coverage: float | None = None


@attrs.frozen(kw_only=True, field_transformer=checked)
class Dimension:
    """A node of the scoring tree: questions and/or child dimensions, combined into one score.

    Attributes:
        id: Unique among all dimensions.
        title: Name per language.
        description: Longer explanation per language.
        weight: Relative weight among the parent's children (default 1).
        weighting: How the children are weighted (default: their declared weights).
        aggregation: How the children's scores are combined (default: weighted mean).
        scoring: Overrides of the missing-answer settings for this subtree.
        when: The dimension applies only when this condition holds; otherwise all of it is hidden.
        bands: Score bands with feedback for this dimension.
        questions: The questions directly in this dimension.
        dimensions: Child dimensions.
    """

    id: str
    title: Text = attrs.field(factory=dict)
    description: Text = attrs.field(factory=dict)
    weight: float = 1.0
    weighting: Weighting = attrs.field(factory=Explicit)
    aggregation: Aggregation = attrs.field(factory=WeightedMean)
    scoring: Policies = attrs.field(factory=Policies)
    when: Condition | None = None
    bands: tuple[Band, ...] = ()
    questions: tuple[Question, ...] = ()
    dimensions: tuple[Dimension, ...] = ()
