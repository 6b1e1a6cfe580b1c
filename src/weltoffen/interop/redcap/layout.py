"""How a weltoffen question is laid out as a REDCap field: its type, choices and codes.

The writer of dictionaries and both directions of records use this one mapping, so a record
written for a questionnaire reads back into the same answers. REDCap stores a choice's code and
knows no other points, so a scored option's code is its points (reverse keying applied), which
must then be a whole number (negative ones too) and differ from the other options' codes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

import attrs

from weltoffen.model.answers import AnswerValue
from weltoffen.model.queries import options_of
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import (
    Choice,
    MultipleChoice,
    Numeric,
    Option,
    Question,
    ScaleQuestion,
    TextQuestion,
    YesNo,
)

__all__ = ["NAME", "FieldLayout", "checkbox_column", "layout_of", "layouts"]

#: A REDCap variable or form name: lower-case letters, digits and underscores, a letter first.
NAME = re.compile(r"[a-z][a-z0-9_]*")

#: A code REDCap accepts for a checkbox option (it becomes part of a column name).
CHECKBOX_CODE = re.compile(r"[A-Za-z0-9_]+")


@attrs.frozen(kw_only=True)
class FieldLayout:
    """A question as a REDCap field.

    Attributes:
        question: The question.
        field_type: ``radio``, ``dropdown``, ``checkbox``, ``yesno``, ``text`` or ``notes``.
        codes: Answer value -> the code records store (choices, yes/no written as radio).
        labels: Code -> label, in order (the choices cell).
        validation: ``integer`` or ``number`` for numbers.
        problems: Why the question cannot be written, if it cannot.
    """

    question: Question
    field_type: str
    codes: Mapping[AnswerValue, str] = attrs.field(factory=dict)
    labels: tuple[tuple[str, str], ...] = ()
    validation: str = ""
    problems: tuple[str, ...] = ()

    def value_of(self, code: str) -> AnswerValue | None:
        """The answer value stored as *code*, or ``None`` when no option has that code."""
        for value, own in self.codes.items():
            if own == code:
                return value
        return None


def checkbox_column(field: str, code: str) -> str:
    """The records column of checkbox option *code* of *field* (``field___code``)."""
    return f"{field}___{code.lower()}"


def _label(option: Option, language: str) -> str:
    return option.label.get(language) or next(iter(option.label.values()), option.value)


def _whole(points: float) -> str | None:
    return str(int(points)) if math.isfinite(points) and points == int(points) else None


def counted(question: MultipleChoice) -> bool:
    """Whether *question* scores as a count of ticked options times one weight."""
    points = {o.points for o in question.options}
    return (
        question.method == "sum"
        and question.cap is None
        and question.min_selected == 0
        and question.max_selected is None
        and len(points) == 1
        and min(points) > 0
    )


def layout_of(
    question: Question, scales: Mapping[str, Sequence[Option]], language: str
) -> FieldLayout:
    """*question* as a REDCap field (with the problems that keep it from being one)."""
    problems: list[str] = []
    if isinstance(question, ScaleQuestion | Choice):
        options = tuple(options_of(question, dict(scales)))
        points = [o.points for o in options]
        if question.scored and isinstance(question, ScaleQuestion) and question.reverse:
            low, high = min(points), max(points)
            points = [low + high - p for p in points]
        codes: dict[AnswerValue, str] = {}
        for option, p in zip(options, points):
            code = _whole(p) if question.scored else option.value
            if code is None:
                problems.append(
                    f"option {option.value!r} is worth {p:g} points; REDCap's codes are the "
                    "points, so they must be whole numbers"
                )
                continue
            if code in codes.values():
                problems.append(
                    f"two options would have the code {code}: REDCap needs different points "
                    "for different options"
                )
                continue
            codes[option.value] = code
        labels = tuple((codes[o.value], _label(o, language)) for o in options if o.value in codes)
        kind = "radio" if isinstance(question, ScaleQuestion) else "dropdown"
        return FieldLayout(
            question=question, field_type=kind, codes=codes, labels=labels, problems=tuple(problems)
        )
    if isinstance(question, YesNo):
        if (question.yes_points, question.no_points) == (1.0, 0.0) or not question.scored:
            return FieldLayout(question=question, field_type="yesno", codes={True: "1", False: "0"})
        yes, no = _whole(question.yes_points), _whole(question.no_points)
        if yes is None or no is None:
            problems.append("yes/no points must be whole numbers to be REDCap codes")
            yes, no = "1", "0"
        return FieldLayout(
            question=question,
            field_type="radio",
            codes={True: yes, False: no},
            labels=((yes, "Yes"), (no, "No")),
            problems=tuple(problems),
        )
    if isinstance(question, MultipleChoice):
        if question.scored and not counted(question):
            problems.append(
                "a scored multiple choice is a REDCap total only as a count of ticks: every "
                "option worth the same points > 0, method 'sum', no cap or limits"
            )
        for option in question.options:
            if not CHECKBOX_CODE.fullmatch(option.value):
                problems.append(
                    f"option {option.value!r} cannot be a checkbox code (letters, digits and "
                    "underscores only)"
                )
        codes = {o.value: o.value for o in question.options}
        labels = tuple((o.value, _label(o, language)) for o in question.options)
        return FieldLayout(
            question=question,
            field_type="checkbox",
            codes=codes,
            labels=labels,
            problems=tuple(problems),
        )
    if isinstance(question, Numeric):
        if question.scored:
            problems.append(
                "a scored number has no REDCap equivalent (thresholds and lines are not REDCap "
                "fields)"
            )
        return FieldLayout(
            question=question,
            field_type="text",
            validation="integer" if question.integer else "number",
            problems=tuple(problems),
        )
    assert isinstance(question, TextQuestion)
    return FieldLayout(question=question, field_type="text")


def layouts(questionnaire: Questionnaire) -> dict[str, FieldLayout]:
    """Every question of *questionnaire* as a REDCap field, by question id, in document order."""
    scales = {s.id: s.options for s in questionnaire.scales}
    return {
        question.id: layout_of(question, scales, questionnaire.language)
        for _, question in questionnaire.iter_questions()
    }
