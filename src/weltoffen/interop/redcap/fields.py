"""What each REDCap field becomes: a question, a fact kept beside the responses, or nothing.

Decisions (docs/formats/redcap.md explains them to users):

* ``radio`` is ordinal (a scale question), ``dropdown`` a single choice; both score when every
  code is a number (negative ones too), the code being the points. Any other code (``ABC``,
  ``M``) makes the field an unscored choice: nothing says what it is worth.
* A choice whose label says "don't know", "decline", "refuse" or "not applicable" is a
  missing-value code, not an option: it gives an answer state, never points.
* ``checkbox`` is a multiple choice kept out of scoring (REDCap gives ticks no points).
* ``yesno`` and ``truefalse`` are yes/no questions worth 1 and 0, as REDCap stores them.
* ``text`` with an ``integer`` or ``number`` validation is a number with its bounds; ``slider``
  a number within 0..100 (or its bounds); both are unscored (REDCap scores neither). Other
  text, and ``notes``, are free text.
* ``calc`` fields are totals, flags or code filters (:mod:`weltoffen.interop.redcap.reader`);
  ``descriptive``, ``file`` and ``sql`` fields are not imported, each named in the report.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypeVar

import attrs

from weltoffen.interop.redcap.choices import (
    Choice,
    MissingKind,
    missing_kind,
    number,
    parse_choices,
)
from weltoffen.interop.redcap.columns import Row
from weltoffen.interop.redcap.table import PIPED, numeric_validation
from weltoffen.interop.report import ReportBuilder
from weltoffen.model.questions import (
    Choice as ChoiceQuestion,
)
from weltoffen.model.questions import (
    MultipleChoice,
    Numeric,
    Option,
    Question,
    ScaleQuestion,
    TextQuestion,
    YesNo,
)

__all__ = ["ACTION_TAG", "FieldInfo", "map_field", "slider_bounds"]

#: An action tag in a field annotation (``@HIDDEN``, ``@CALCTEXT(...)``, ``@IF(...)``).
ACTION_TAG = re.compile(r"@[A-Z][A-Z0-9_-]*")

Text = Mapping[str, str]


@attrs.frozen(kw_only=True)
class FieldInfo:
    """One field as the importer sees it.

    Attributes:
        row: The dictionary row.
        question: The question it became, if any.
        kind: What expressions may compare it with (``choice``, ``checkbox``, ``yesno``,
            ``number``, ``text``), or its field type when it is no question.
        codes: Its option codes (choice-like fields).
        missing: Its missing-value codes and the answer state each stands for.
    """

    row: Row
    question: Question | None
    kind: str
    codes: tuple[str, ...] = ()
    missing: Mapping[str, MissingKind] = attrs.field(factory=dict)

    @property
    def name(self) -> str:
        return self.row.get("field_name")


def _text(language: str, value: str) -> dict[str, str]:
    return {language: value} if value else {}


Q = TypeVar("Q", bound=Question)


@attrs.frozen
class _Common:
    """What every question of a field shares: its id, label and note."""

    id: str
    text: dict[str, str]
    help: dict[str, str]

    def make(self, cls: type[Q], **extra: Any) -> Q:
        return cls(id=self.id, text=self.text, help=self.help, **extra)


def map_field(row: Row, language: str, notes: ReportBuilder) -> FieldInfo:
    """The question of *row* (or ``None``), with one finding saying what became of the field."""
    name = row.get("field_name")
    kind = row.get("field_type")
    where = {"source_id": name, "location": (name,), "line": row.line}
    base = _Common(
        name, _text(language, row.get("field_label")), _text(language, row.get("field_note"))
    )
    if kind in ("radio", "dropdown"):
        return _single(row, kind, base, language, notes, where)
    if kind == "checkbox":
        choices, _ = parse_choices(row.raw("choices"))
        options = tuple(Option(value=c.code, label=_text(language, c.label)) for c in choices)
        notes.exact(
            "field",
            f"checkbox field: a multiple choice of {len(options)} options, unscored (REDCap "
            "gives ticks no points); records hold one column per option",
            **where,
        )
        question: Question = base.make(MultipleChoice, options=options, scored=False)
        return FieldInfo(row=row, question=question, kind="checkbox", codes=_codes(choices))
    if kind in ("yesno", "truefalse"):
        said = "yes/no" if kind == "yesno" else "true/false, read as yes (true) / no (false)"
        notes.exact("field", f"{kind} field: a {said} question, 1 and 0 points", **where)
        return FieldInfo(row=row, question=base.make(YesNo), kind="yesno")
    if kind == "text":
        return _text_field(row, base, notes, where)
    if kind == "slider":
        low, high = slider_bounds(row)
        question = base.make(Numeric, minimum=low, maximum=high, scored=False)
        labels = row.get("choices")
        notes.approximated(
            "field",
            f"slider field: an unscored number within {low:g}..{high:g}"
            + (" (its slider labels are not kept)" if labels else ""),
            **where,
        )
        return FieldInfo(row=row, question=question, kind="number")
    if kind == "notes":
        notes.exact("field", "notes field: free text", **where)
        return FieldInfo(row=row, question=base.make(TextQuestion), kind="text")
    if kind == "calc":
        return FieldInfo(row=row, question=None, kind="calc")  # the reader reports it
    reasons = {
        "descriptive": "descriptive field: text shown between questions, not a question",
        "file": "file upload field: weltoffen answers hold no files",
        "sql": "sql field: its choices come from a database query the dictionary does not hold",
    }
    notes.dropped(
        "field",
        reasons[kind] + "; not imported",
        hint="keep the text in the questionnaire's description if it matters"
        if kind == "descriptive"
        else None,
        **where,
    )
    return FieldInfo(row=row, question=None, kind=kind)


def slider_bounds(row: Row) -> tuple[float, float]:
    """The range of a slider: its min and max where they are numbers, else REDCap's 0..100."""
    low = number(row.get("validation_min"))
    high = number(row.get("validation_max"))
    return (0.0 if low is None else low), (100.0 if high is None else high)


def _codes(choices: list[Choice]) -> tuple[str, ...]:
    return tuple(c.code for c in choices)


def _single(
    row: Row,
    kind: str,
    base: _Common,
    language: str,
    notes: ReportBuilder,
    where: dict[str, object],
) -> FieldInfo:
    choices, _ = parse_choices(row.raw("choices"))
    missing: dict[str, MissingKind] = {}
    kept: list[Choice] = []
    for choice in choices:
        state = missing_kind(choice.label)
        if state is None:
            kept.append(choice)
        else:
            missing[choice.code] = state
    if not kept:
        # a companion field offering only "don't know" / "decline": its choices are its answers
        kept, missing = list(choices), {}
    points = [number(c.code) for c in kept]
    numeric = [p for p in points if p is not None]
    scored = len(numeric) == len(kept) and len(set(numeric)) > 1
    options = tuple(
        Option(
            value=c.code,
            label=_text(language, c.label),
            points=p if scored and p is not None else 0.0,
        )
        for c, p in zip(kept, points)
    )
    if len(kept) < 2:
        # weltoffen's choices need two options: a lone option is kept as the text of its code
        notes.approximated(
            "field",
            f"{kind} field with one option: unscored text holding its code",
            **where,
        )
        _report_missing(choices, missing, notes, where)
        text = base.make(
            TextQuestion,
            dont_know="dont_know" in missing.values(),
            not_applicable="not_applicable" in missing.values(),
            missing_codes=missing,
        )
        return FieldInfo(row=row, question=text, kind="text", missing=missing)
    cls = ScaleQuestion if kind == "radio" else ChoiceQuestion
    question: Question = base.make(
        cls,
        options=options,
        scored=scored,
        dont_know="dont_know" in missing.values(),
        not_applicable="not_applicable" in missing.values(),
        missing_codes=missing,
    )
    shape = "ordered options (a scale)" if kind == "radio" else "a single choice"
    if scored:
        notes.exact(
            "field",
            f"{kind} field: {shape} of {len(options)} options, the codes are the points",
            **where,
        )
    else:
        notes.approximated(
            "field",
            f"{kind} field: {shape}, unscored: " + _why_unscored(kept, points),
            hint="give the options numeric codes in REDCap if they are worth points",
            **where,
        )
    _report_missing(choices, missing, notes, where)
    return FieldInfo(row=row, question=question, kind="choice", codes=_codes(kept), missing=missing)


def _report_missing(
    choices: list[Choice],
    missing: Mapping[str, MissingKind],
    notes: ReportBuilder,
    where: dict[str, object],
) -> None:
    for code, state in missing.items():
        label = next(c.label for c in choices if c.code == code)
        notes.approximated(
            "missing code",
            f"choice {code} ({label!r}) is a missing-value code, counted as {state}, not an option",
            **where,
        )


def _why_unscored(kept: list[Choice], points: list[float | None]) -> str:
    words = [c.code for c, p in zip(kept, points) if p is None]
    if words:
        return f"codes {', '.join(words)} are not numbers, so they cannot be points"
    return "every option would earn the same points"


def _text_field(
    row: Row, base: _Common, notes: ReportBuilder, where: dict[str, object]
) -> FieldInfo:
    validation = row.get("validation")
    numeric = numeric_validation(validation)
    low_cell, high_cell = row.get("validation_min"), row.get("validation_max")
    if numeric is not None:
        low = number(low_cell) if low_cell else None
        high = number(high_cell) if high_cell else None
        question = base.make(
            Numeric, minimum=low, maximum=high, integer=numeric == "integer", scored=False
        )
        bounds = f" within {low_cell or '…'}..{high_cell or '…'}" if low_cell or high_cell else ""
        piped = [c for c in (low_cell, high_cell) if c and PIPED.fullmatch(c)]
        if piped:
            notes.approximated(
                "field",
                f"text field validated as {validation}: an unscored number; the bound "
                f"{' and '.join(piped)} comes from another answer and is not checked",
                **where,
            )
        else:
            notes.exact(
                "field",
                f"text field validated as {validation}: an unscored number{bounds}",
                **where,
            )
        return FieldInfo(row=row, question=question, kind="number")
    if validation:
        bounds = (
            f" (bounds {low_cell or '…'}..{high_cell or '…'} not checked)"
            if (low_cell or high_cell)
            else ""
        )
        notes.approximated(
            "field",
            f"text field validated as {validation}: free text; the validation is not "
            f"checked{bounds}",
            **where,
        )
    else:
        notes.exact("field", "text field: free text", **where)
    return FieldInfo(row=row, question=base.make(TextQuestion), kind="text")
