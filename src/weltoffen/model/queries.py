"""Questions asked of a questionnaire by more than one layer (checks, plan, files, reports).

They read the model only, so they live beside it: the layers above import them from here
instead of from each other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import Choice, MultipleChoice, Option, Question, ScaleQuestion

__all__ = ["STANDARD_METADATA", "MetaField", "metadata_fields", "options_of"]

Text = Mapping[str, str]


def options_of(question: Question, scales: dict[str, Sequence[Option]]) -> Sequence[Option]:
    """The options a question offers (its own, or its scale's)."""
    if isinstance(question, ScaleQuestion) and question.scale is not None:
        return scales.get(question.scale, ())
    if isinstance(question, ScaleQuestion | Choice | MultipleChoice):
        return question.options
    return ()


@attrs.frozen(kw_only=True)
class MetaField:
    """A metadata entry an answer sheet asks for (municipality type, date, ...).

    Attributes:
        key: The key under ``metadata:`` (and the column ``meta.<key>``).
        label: What to enter, per language.
        values: Allowed values with their labels, when the entry is a code.
    """

    key: str
    label: Text = attrs.field(factory=dict)
    values: tuple[tuple[str, Text], ...] = ()


#: Metadata a sheet asks for when the questionnaire declares none.
STANDARD_METADATA: tuple[MetaField, ...] = (
    MetaField(
        key="name", label={"de": "Name der bzw. des Antwortenden", "en": "Name of the respondent"}
    ),
    MetaField(
        key="date",
        label={"de": "Datum der Bearbeitung (JJJJ-MM-TT)", "en": "Date answered (YYYY-MM-DD)"},
    ),
    MetaField(
        key="contact",
        label={"de": "Bearbeitende Stelle oder Person", "en": "Office or person who answered"},
    ),
)


def metadata_fields(questionnaire: Questionnaire) -> tuple[MetaField, ...]:
    """The metadata a sheet for *questionnaire* asks for: what it declares, else the standard."""
    if not questionnaire.metadata:
        return STANDARD_METADATA
    return tuple(
        MetaField(
            key=field.key,
            label=field.label,
            values=tuple((option.value, option.label) for option in field.options),
        )
        for field in questionnaire.metadata
    )
