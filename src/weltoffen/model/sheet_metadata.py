"""The metadata an answer sheet asks for, and a report or cohort labels facts with.

Read from the questionnaire's declared metadata, or a standard set when it declares none; the
answer sheets (:mod:`weltoffen.serialization.templates`) and the reports both use it.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from weltoffen._repr import value_repr
from weltoffen.model.questionnaire import Questionnaire

__all__ = ["STANDARD_METADATA", "MetaField", "metadata_fields"]

Text = Mapping[str, str]


@attrs.frozen(kw_only=True)
class MetaField:
    """A metadata entry an answer sheet asks for (municipality type, date, ...).

    Attributes:
        key: The key under ``metadata:`` (and the column ``meta.<key>``).
        label: What to enter, per language.
        values: Allowed values with their labels, when the entry is a code.
    """

    __repr__ = value_repr

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
        label={"de": "Datum der Bearbeitung (JJJJ-MM-TT)", "en": "Date completed (YYYY-MM-DD)"},
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
