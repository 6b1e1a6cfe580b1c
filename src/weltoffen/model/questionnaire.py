"""The questionnaire: the root of the model."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import attrs

from weltoffen._fields import checked
from weltoffen._repr import value_repr
from weltoffen.exceptions import render_location
from weltoffen.model.dimensions import Band, BandsOn, Dimension, Policies
from weltoffen.model.metadata import MetadataField
from weltoffen.model.questions import MissingCodes, Question, Scale
from weltoffen.strategies import Exclude, Explicit, WeightedMean
from weltoffen.typing import Aggregation, Weighting

__all__ = ["Questionnaire"]

Text = Mapping[str, str]


def _default_policies() -> Policies:
    return Policies(dont_know=Exclude(), skipped=Exclude(), min_coverage=0.0)


@attrs.frozen(kw_only=True, field_transformer=checked)
class Questionnaire:
    """A complete instrument: texts, answer scales, the dimension tree, scoring settings, bands.

    The questionnaire itself is the root of the scoring tree: its *weighting* and *aggregation*
    combine the top-level *dimensions* into the overall score, and *bands* label that score.

    Attributes:
        id: Identifies the instrument (``weltoffene-kommune``).
        version: The instrument's version; results record it.
        language: The default language, used where a text lacks the requested one.
        title: Name per language.
        description: Explanation per language.
        scales: Shared answer scales that questions reference by id.
        metadata: Facts about the respondent that answer sheets ask for (type, size, date, ...).
        scoring: Missing-answer settings; dimensions may override them.
        missing_codes: Answers that stand for a state in every question that offers it
            (REDCap's 999 "don't know", SPSS user-missing values); questions may add their own.
        weighting: How the top-level dimensions are weighted.
        aggregation: How the top-level dimensions are combined into the overall score.
        bands: Bands of the overall score.
        bands_on: What the overall bands are on: the 0..100 ``score`` (the default) or the
            overall ``points``, the instrument's own total.
        dimensions: The top-level dimensions.
    """

    __repr__ = value_repr

    id: str
    version: str = "1"
    language: str = "en"
    title: Text = attrs.field(factory=dict)
    description: Text = attrs.field(factory=dict)
    scales: tuple[Scale, ...] = ()
    metadata: tuple[MetadataField, ...] = ()
    scoring: Policies = attrs.field(factory=_default_policies)
    missing_codes: MissingCodes = attrs.field(factory=dict)
    weighting: Weighting = attrs.field(factory=Explicit)
    aggregation: Aggregation = attrs.field(factory=WeightedMean)
    bands: tuple[Band, ...] = ()
    bands_on: BandsOn = "score"
    dimensions: tuple[Dimension, ...] = ()

    def iter_dimensions(self) -> Iterator[tuple[str, Dimension]]:
        """Every dimension, depth first, with its path (``dimensions[2].dimensions[0]``)."""
        # queries reads this module; the location as a tuple comes from there
        from weltoffen.model.queries import dimension_locations

        for location, dim in dimension_locations(self):
            yield render_location(location), dim

    def iter_questions(self) -> Iterator[tuple[str, Question]]:
        """Every question, in document order, with its path."""
        from weltoffen.model.queries import question_locations

        for location, question in question_locations(self):
            yield render_location(location), question
