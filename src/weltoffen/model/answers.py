"""Answer states and responses."""

from __future__ import annotations

import enum
from collections.abc import Mapping

import attrs

from weltoffen._fields import checked, describe
from weltoffen._frozen import FrozenDict, freeze
from weltoffen._repr import value_repr
from weltoffen._rules import not_blank

__all__ = [
    "DONT_KNOW",
    "GIVEN_STATES",
    "NOT_APPLICABLE",
    "SKIPPED",
    "AnswerValue",
    "Response",
    "State",
]


class State(enum.Enum):
    """The state of one question in one response.

    Only ``DONT_KNOW``, ``NOT_APPLICABLE`` and ``SKIPPED`` can be given as answers; ``ANSWERED``
    and ``HIDDEN`` (the question's condition was false) are found while scoring.
    """

    ANSWERED = "answered"
    DONT_KNOW = "dont_know"
    NOT_APPLICABLE = "not_applicable"
    SKIPPED = "skipped"
    HIDDEN = "hidden"

    def __repr__(self) -> str:
        return f"State.{self.name}"


DONT_KNOW = State.DONT_KNOW
NOT_APPLICABLE = State.NOT_APPLICABLE
SKIPPED = State.SKIPPED

#: The states a response may give by name, in files and table cells (the others are found while
#: scoring: an answer, or a question hidden by its condition).
GIVEN_STATES: Mapping[str, State] = FrozenDict(
    {s.value: s for s in (State.DONT_KNOW, State.NOT_APPLICABLE, State.SKIPPED)}
)

#: What a response may hold for one question: a value (an option's value, ``True``/``False``
#: for yes/no, a number, a tuple of option values, free text) or one of the non-answer states.
AnswerValue = bool | int | float | str | tuple[str, ...] | State

#: Metadata values kept beside a response (municipality type, date, role, ...).
MetaValue = str | int | float | bool | None

describe(
    AnswerValue,
    "an answer: an option's value, True or False, a number, a tuple of option values, "
    "or DONT_KNOW, NOT_APPLICABLE or SKIPPED",
    "answers",
)
describe(MetaValue, "a str, a number, True or False, or None", "single values")


def _present(metadata: Mapping[str, MetaValue]) -> Mapping[str, MetaValue]:
    """*metadata* without blank entries: a sheet's empty ``population:`` is a fact not given,
    and must not reach a report as "None" nor form a group of its own."""
    blank = [k for k, v in metadata.items() if v is None or (isinstance(v, str) and not v.strip())]
    if not blank:
        return metadata
    return freeze({k: v for k, v in metadata.items() if k not in blank})


@attrs.frozen(kw_only=True, field_transformer=checked)
class Response:
    """One respondent's answers.

    A question that is missing from *answers* counts as skipped, exactly as an explicit
    ``SKIPPED``; the explicit form documents that the respondent saw the question.

    Attributes:
        respondent: Identifies the respondent (a municipality, a person, ...); not empty.
        answers: Question id -> answer.
        metadata: Free facts about the respondent, used for grouping and reports. A blank
            entry (``None`` or empty text) is no fact and is left out.
    """

    __repr__ = value_repr

    respondent: str = attrs.field(validator=not_blank)
    answers: Mapping[str, AnswerValue] = attrs.field(factory=dict)
    metadata: Mapping[str, MetaValue] = attrs.field(factory=dict, converter=_present)
