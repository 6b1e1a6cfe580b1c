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

__all__ = [
    "CODE",
    "MISSING_LABELS",
    "NAME",
    "FieldLayout",
    "checkbox_column",
    "choice_label",
    "counted",
    "layout_of",
    "layouts",
    "missing_of",
    "missing_with",
    "storable",
    "variable_name",
]

#: A REDCap variable or form name: lower-case letters, digits and underscores, a letter first.
NAME = re.compile(r"[a-z][a-z0-9_]*")

#: REDCap's longest variable name.
MAX_NAME = 100

#: The code a record holds for a state the question offers without a missing-value code of its
#: own (records need some code; the annotation says the question declares none).
STATE_CODES = {"dont_know": "dont_know", "not_applicable": "not_applicable"}


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def storable(text: str) -> str:
    """*text* as a dictionary cell holds it: control characters become spaces."""
    return _CONTROL.sub(" ", text)


def variable_name(identifier: str) -> str:
    """The REDCap variable (or form) name of a weltoffen id: the id itself where REDCap takes
    it, else lower-cased with every other character an underscore (``ms-01`` -> ``ms_01``),
    ``v_`` in front of one that does not start with a letter, cut at 100 characters."""
    if NAME.fullmatch(identifier) and len(identifier) <= MAX_NAME:
        return identifier
    name = re.sub(r"[^a-z0-9_]", "_", identifier.lower())
    if not re.match(r"[a-z]", name):
        name = "v_" + name
    return name[:MAX_NAME]


#: How a written dictionary labels a missing-value code, so that reading it finds the state.
MISSING_LABELS = {
    "dont_know": "Don't know",
    "not_applicable": "Not applicable",
    "skipped": "Decline to answer",
}

#: A code REDCap accepts for a choice: letters, digits and underscores, or a number.
CODE = re.compile(r"[A-Za-z0-9_]+|-?\d+(\.\d+)?")

#: A code REDCap accepts for a checkbox option (it becomes part of a column name).
CHECKBOX_CODE = re.compile(r"[A-Za-z0-9_]+")


@attrs.frozen(kw_only=True)
class FieldLayout:
    """A question as a REDCap field.

    Attributes:
        question: The question.
        name: Its variable name (:func:`variable_name` of its id).
        field_type: ``radio``, ``dropdown``, ``checkbox``, ``yesno``, ``text`` or ``notes``.
        codes: Answer value -> the code records store (choices, yes/no written as radio).
        labels: Code -> label, in order (the choices cell).
        validation: ``integer`` or ``number`` for numbers.
        problems: Why the question cannot be written, if it cannot.
    """

    question: Question
    field_type: str
    name: str = ""
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


def choice_label(option: Option, language: str) -> str:
    """The label a choices cell can hold: one line without ``|`` (which separates choices)."""
    label = option.label.get(language) or next(iter(option.label.values()), option.value)
    label = " ".join(re.sub(r"[\x00-\x1f\x7f-\x9f|]", " ", label).split())
    return label or option.value.replace("|", " ").strip() or "-"


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
    question: Question,
    scales: Mapping[str, Sequence[Option]],
    language: str,
    missing: Mapping[str, str] | None = None,
) -> FieldLayout:
    """*question* as a REDCap field, with the problems that keep REDCap from holding it alone.

    *missing* are the missing-value codes that apply to it (code -> state); REDCap offers them as
    extra choices, labelled so that reading the dictionary back finds the same states. Where the
    question has problems the field is still usable: codes REDCap cannot take give way to the
    options' positions (1, 2, ...), and the dictionary's annotation says what they stand for.
    """
    missing = dict(missing or {})
    problems: list[str] = []
    declared = {c: k for c, k in missing.items() if STATE_CODES.get(k) != c}
    if declared and not isinstance(question, ScaleQuestion | Choice | YesNo):
        problems.append(
            "REDCap offers missing-value codes only as choices of a radio or dropdown field"
        )
    elif len(declared) < len(missing):
        problems.append(
            "'don't know' and 'not applicable' are choices with a code in REDCap: give the "
            "question missing_codes (such as 999: dont_know)"
        )
    layout = _layout(question, scales, language, problems)
    options = options_of(question, scales)
    if problems:
        layout = _fallback(layout, options, language)
    layout = attrs.evolve(layout, name=variable_name(question.id))
    extra = tuple((code, MISSING_LABELS[state]) for code, state in missing.items())
    if not extra or not isinstance(question, ScaleQuestion | Choice | YesNo):
        return attrs.evolve(layout, problems=tuple(problems))
    if any(code in layout.codes.values() for code, _ in extra):
        problems.append("a missing-value code is also an option's code")
        layout = _fallback(layout, options, language, frozenset(c for c, _ in extra))
    kind = "radio" if layout.field_type == "yesno" else layout.field_type
    labels = layout.labels or (("1", "Yes"), ("0", "No"))
    return attrs.evolve(layout, field_type=kind, labels=(*labels, *extra), problems=tuple(problems))


def _fallback(
    layout: FieldLayout,
    options: Sequence[Option],
    language: str,
    avoid: frozenset[str] = frozenset(),
) -> FieldLayout:
    """*layout* with codes REDCap takes: the options' positions where their own will not do."""
    if isinstance(layout.question, YesNo):
        return attrs.evolve(layout, field_type="yesno", codes={True: "1", False: "0"}, labels=())
    if not options:
        return layout
    codes: dict[AnswerValue, str] = {}
    position = 0
    for option in options:
        position += 1
        while str(position) in avoid:
            position += 1
        codes[option.value] = str(position)
    labels = tuple((codes[o.value], choice_label(o, language)) for o in options)
    return attrs.evolve(layout, codes=codes, labels=labels)


def _layout(
    question: Question,
    scales: Mapping[str, Sequence[Option]],
    language: str,
    problems: list[str],
) -> FieldLayout:
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
            if not CODE.fullmatch(code):
                problems.append(
                    f"option {option.value!r} cannot be a REDCap code (letters, digits and "
                    "underscores, or a number)"
                )
                continue
            codes[option.value] = code
        labels = tuple(
            (codes[o.value], choice_label(o, language)) for o in options if o.value in codes
        )
        kind = "radio" if isinstance(question, ScaleQuestion) else "dropdown"
        return FieldLayout(question=question, field_type=kind, codes=codes, labels=labels)
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
        return FieldLayout(
            question=question,
            field_type="checkbox",
            codes={o.value: o.value for o in question.options},
            labels=tuple((o.value, choice_label(o, language)) for o in question.options),
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
        )
    assert isinstance(question, TextQuestion)
    return FieldLayout(question=question, field_type="text")


def missing_of(question: Question, questionnaire: Questionnaire) -> dict[str, str]:
    """The missing-value codes that apply to *question* (code -> state), as written.

    The questionnaire's codes apply where the question offers their state; its own come on top.
    A state it offers with no code gets the state's name as its code (:data:`STATE_CODES`).
    """
    return missing_with(question, questionnaire.missing_codes)


def missing_with(question: Question, shared: Mapping[str, str]) -> dict[str, str]:
    """:func:`missing_of` with the questionnaire's codes *shared* given alone."""
    offered = {"skipped": True, "dont_know": question.dont_know}
    offered["not_applicable"] = question.not_applicable
    codes: dict[str, str] = {c: k for c, k in shared.items() if offered[k]}
    codes.update(question.missing_codes)
    for state, code in STATE_CODES.items():
        if offered[state] and state not in codes.values() and code not in codes:
            codes[code] = state
    return codes


def layouts(questionnaire: Questionnaire) -> dict[str, FieldLayout]:
    """Every question of *questionnaire* as a REDCap field, by question id, in document order."""
    scales = {s.id: s.options for s in questionnaire.scales}
    return {
        question.id: layout_of(
            question, scales, questionnaire.language, missing_of(question, questionnaire)
        )
        for _, question in questionnaire.iter_questions()
    }
