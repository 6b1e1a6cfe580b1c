"""Writing a questionnaire as an XLSForm workbook that pyxform converts.

The ``survey`` sheet holds a group per dimension and a row per question (``relevant`` from
``when``, a ``constraint`` from a number's range), the ``choices`` sheet one row per option with
the agreed ``points`` column, ``settings`` the form's id, title, version and language. A dimension
that adds up points gets a ``calculate`` row with its total (``coalesce(${q}, 0)`` where a blank
adds nothing), and its bands on points a ``calculate`` of nested ``if()``: what ODK shows and
what :mod:`~weltoffen.interop.xlsform.reader` reads back. Whatever XLSForm has no place for
(weights of means, strategies, policies, don't-know, other languages of feedback) travels in a
``weltoffen`` sheet holding the questionnaire in weltoffen's JSON format, which the reader uses
when the form's questions and options still match it. No cell holds a live formula.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from weltoffen.exceptions import DefinitionError, Problem, ProblemCode
from weltoffen.interop.registry import Source
from weltoffen.interop.translate import canonical, quoted
from weltoffen.interop.xlsform.embedded import SHEET
from weltoffen.interop.xlsform.languages import name_of
from weltoffen.interop.xlsform.points import POINTS
from weltoffen.interop.xlsform.texts import form_text
from weltoffen.model.conditions import (
    AllOf,
    AnyOf,
    Compare,
    Condition,
    Includes,
    Not,
    OneOf,
)
from weltoffen.model.dimensions import Band, Dimension
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
from weltoffen.scoring.check import check_questionnaire
from weltoffen.serialization.api import dump_questionnaire, write_bytes
from weltoffen.serialization.cells import make_inert, shown
from weltoffen.strategies import SumOfPoints, Zero

__all__ = ["workbook_bytes", "write_questionnaire"]

#: Characters of JSON per cell of the settings sheet (a cell holds at most 32,767).
CHUNK = 30_000

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
_OPS = {"gt": ">", "ge": ">=", "lt": "<", "le": "<="}
_STATES = {
    "dont_know": {"de": "Weiß nicht", "en": "Don't know"},
    "not_applicable": {"de": "Trifft nicht zu", "en": "Not applicable"},
}


def write_questionnaire(questionnaire: Questionnaire, target: Source) -> None:
    """Write *questionnaire* as an XLSForm workbook to *target* (whole or not at all).

    Raises:
        DefinitionError: The questionnaire fails weltoffen's checks, or an id or option value
            cannot be an XLSForm name (every such problem, with its place).
    """
    write_bytes(target, workbook_bytes(questionnaire))


def workbook_bytes(questionnaire: Questionnaire) -> bytes:
    """The workbook of *questionnaire* as .xlsx bytes (see :func:`write_questionnaire`)."""
    problems = check_questionnaire(questionnaire)
    if problems:
        raise DefinitionError(problems)
    writer = _Writer(questionnaire)
    survey = list(writer.survey())
    if writer.problems:
        raise DefinitionError(writer.problems)
    from weltoffen.serialization.xlsx import import_openpyxl

    openpyxl = import_openpyxl()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    languages = writer.languages
    sheet.append(
        ["type", "name"]
        + [f"label::{name_of(lang)}" for lang in languages]
        + [f"hint::{name_of(lang)}" for lang in languages]
        + ["relevant", "constraint", "calculation"]
    )

    def in_form(value: str) -> str:
        return form_text(value, writer.names)

    for row in survey:
        sheet.append(_storable(_cells(row, languages, in_form)))
    choices = book.create_sheet("choices")
    choices.append(
        ["list_name", "name"] + [f"label::{name_of(lang)}" for lang in languages] + [POINTS]
    )
    for list_name, option, points in writer.choices:
        label = [in_form(option.label.get(lang, "")) for lang in languages]
        choices.append(_storable([list_name, option.value, *label, points]))
    settings = book.create_sheet("settings")
    settings.append(["form_id", "form_title", "version", "default_language"])
    title = in_form(questionnaire.title.get(questionnaire.language, questionnaire.id))
    settings.append(
        _storable([questionnaire.id, title, questionnaire.version, name_of(questionnaire.language)])
    )
    embedded = book.create_sheet(SHEET)
    text = json.dumps(json.loads(dump_questionnaire(questionnaire, format="json")))
    embedded.append(["weltoffen questionnaire (JSON); keep it to keep weights, policies and bands"])
    for start in range(0, len(text), CHUNK):
        embedded.append([text[start : start + CHUNK]])
    make_inert(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _storable(cells: list[Any]) -> list[Any]:
    # control characters cannot be stored in a worksheet; texts keep them escaped, for people
    return [shown(c) if isinstance(c, str) else c for c in cells]


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _cells(
    row: Mapping[str, Any], languages: Sequence[str], text: Callable[[str], str]
) -> list[Any]:
    label: Mapping[str, str] = row.get("label", {})
    hint: Mapping[str, str] = row.get("hint", {})
    return [
        row["type"],
        row.get("name", ""),
        *(text(label.get(lang, "")) for lang in languages),
        *(text(hint.get(lang, "")) for lang in languages),
        row.get("relevant", ""),
        row.get("constraint", ""),
        row.get("calculation", ""),
    ]


class _Writer:
    def __init__(self, questionnaire: Questionnaire) -> None:
        self.q = questionnaire
        self.scales = {s.id: s for s in questionnaire.scales}
        self.questions = {q.id: q for _, q in questionnaire.iter_questions()}
        self.problems: list[Problem] = []
        self.choices: list[tuple[str, Option, int | float | None]] = []
        self.names: set[str] = set(self.questions) | {
            d.id for _, d in questionnaire.iter_dimensions()
        }
        found: dict[str, None] = {questionnaire.language: None}
        for _, question in questionnaire.iter_questions():
            found.update(dict.fromkeys(question.text))
        self.languages = list(found)

    def refuse(self, message: str, location: tuple[str | int, ...]) -> None:
        self.problems.append(Problem(ProblemCode.BAD_VALUE, message, location=location))

    def name(self, text: str, location: tuple[str | int, ...]) -> str:
        if not _NAME.fullmatch(text):
            self.refuse(
                f"{text!r} cannot be an XLSForm name (letters, digits, '_', '-', '.'; "
                "not starting with a digit)",
                location,
            )
        return text

    def fresh(self, wanted: str) -> str:
        name = wanted
        while name in self.names:
            name += "_"
        self.names.add(name)
        return name

    def survey(self) -> Iterator[dict[str, Any]]:
        dims = self.q.dimensions
        for i, dim in enumerate(dims):
            yield from self.dimension(dim, ("dimensions", i))
        if len(dims) == 1 and self.q.bands and self.q.bands_on == "points":
            total = self.totals.get(dims[0].id)
            if total is not None and isinstance(self.q.aggregation, SumOfPoints):
                yield self.category(self.fresh(f"{self.q.id}_band"), total, self.q.bands)

    totals: dict[str, str]

    def dimension(self, dim: Dimension, path: tuple[str | int, ...]) -> Iterator[dict[str, Any]]:
        if not hasattr(self, "totals"):
            self.totals = {}
        row: dict[str, Any] = {
            "type": "begin_group",
            "name": self.name(dim.id, (*path, "id")),
            "label": dim.title or {self.q.language: dim.id},
        }
        if dim.when is not None:
            row["relevant"] = self.condition(dim.when)
        yield row
        for i, question in enumerate(dim.questions):
            yield from self.question(question, (*path, "questions", i))
        for i, child in enumerate(dim.dimensions):
            yield from self.dimension(child, (*path, "dimensions", i))
        total = self.total(dim)
        if total is not None:
            name = self.fresh(f"{dim.id}_total")
            self.totals[dim.id] = name
            yield {"type": "calculate", "name": name, "calculation": total}
            if dim.bands and dim.bands_on == "points":
                yield self.category(self.fresh(f"{dim.id}_band"), name, dim.bands)
        yield {"type": "end_group"}

    def question(self, question: Question, path: tuple[str | int, ...]) -> Iterator[dict[str, Any]]:
        row: dict[str, Any] = {
            "name": self.name(question.id, (*path, "id")),
            "label": question.text or {self.q.language: question.id},
            "hint": question.help,
        }
        if question.when is not None:
            row["relevant"] = self.condition(question.when)
        options = self.options(question)
        if isinstance(question, MultipleChoice):
            row["type"] = f"select_multiple {question.id}"
        elif options:
            row["type"] = f"select_one {question.id}"
        elif isinstance(question, Numeric):
            row["type"] = "integer" if question.integer else "decimal"
            bounds = [
                f". {op} {_number(v)}"
                for op, v in ((">=", question.minimum), ("<=", question.maximum))
                if v is not None
            ]
            if bounds:
                row["constraint"] = " and ".join(bounds)
        else:
            row["type"] = "text"
        for i, option in enumerate(options):
            if not option.value.strip() or re.search(r"\s", option.value):
                self.refuse(
                    f"option value {option.value!r} cannot be an XLSForm choice name "
                    "(empty or with spaces)",
                    (*path, "options", i, "value"),
                )
            self.choices.append((question.id, option, _number(option.points)))
        if options:
            for state, offered in (
                ("dont_know", question.dont_know),
                ("not_applicable", question.not_applicable),
            ):
                if offered:  # an answer state as a choice without points
                    state_option = Option(value=state, label=_STATES[state])
                    self.choices.append((question.id, state_option, None))
        yield row

    def options(self, question: Question) -> tuple[Option, ...]:
        if isinstance(question, ScaleQuestion):
            listed = (
                self.scales[question.scale].options
                if question.scale is not None
                else question.options
            )
            if not question.reverse:
                return listed
            low, high = min(o.points for o in listed), max(o.points for o in listed)
            return tuple(attrs.evolve(o, points=low + high - o.points) for o in listed)
        if isinstance(question, Choice | MultipleChoice):
            return question.options
        if isinstance(question, YesNo):
            return (
                Option(value="yes", label={"en": "Yes", "de": "Ja"}, points=question.yes_points),
                Option(value="no", label={"en": "No", "de": "Nein"}, points=question.no_points),
            )
        return ()

    def total(self, dim: Dimension) -> str | None:
        """``w * coalesce(${q}, 0) + ...`` for a dimension adding up its questions' points, or
        None where the columns cannot say the same total."""
        if not isinstance(dim.aggregation, SumOfPoints) or dim.dimensions:
            return None
        zero = isinstance(dim.scoring.skipped, Zero)
        terms: list[str] = []
        for question in dim.questions:
            if not question.scored or isinstance(question, TextQuestion):
                continue
            weight = question.weight
            ref = f"${{{question.id}}}"
            if isinstance(question, MultipleChoice):
                each = {o.points for o in question.options}
                if question.method != "sum" or question.cap is not None or len(each) != 1:
                    return None
                # count-selected() is never blank: only beside totals where blanks add 0
                weight *= each.pop()
                ref = f"count-selected({ref})"
                if not zero:
                    return None
            elif isinstance(question, Numeric) and not _counted(question):
                return None
            elif zero or question.otherwise is not None:
                if not zero:
                    return None  # a blank adding 0 here, nothing elsewhere: not one XPath sum
                ref = f"coalesce({ref}, 0)"
            if weight <= 0:
                return None
            terms.append(("" if weight == 1 else f"{_number(weight)} * ") + ref)
        return " + ".join(terms) if terms else None

    def category(self, name: str, total: str, bands: Sequence[Band]) -> dict[str, Any]:
        ordered = sorted(bands, key=lambda b: b.min)
        text = f"'{ordered[-1].id}'"
        for band in reversed(ordered[:-1]):
            text = f"if(${{{total}}} < {_number(band.max)}, '{band.id}', {text})"
        return {"type": "calculate", "name": name, "calculation": text}

    def condition(self, condition: Condition) -> str:
        if isinstance(condition, AllOf | AnyOf):
            joiner = " and " if isinstance(condition, AllOf) else " or "
            return "(" + joiner.join(self.condition(c) for c in condition.conditions) + ")"
        if isinstance(condition, Not):
            return f"not({self.condition(condition.condition)})"
        ref = f"${{{condition.question}}}"
        if isinstance(condition, Includes):
            return f"selected({ref}, {quoted(condition.value)})"
        if isinstance(condition, Compare):
            return f"{ref} {_OPS[condition.op]} {_number(condition.value)}"
        values = condition.values if isinstance(condition, OneOf) else (condition.value,)
        target = self.questions.get(condition.question)
        parts = [f"{ref} = {self.literal(target, v)}" for v in values]
        return parts[0] if len(parts) == 1 else "(" + " or ".join(parts) + ")"

    def literal(self, question: Question | None, value: object) -> str:
        if isinstance(question, YesNo) and isinstance(value, bool):
            return "'yes'" if value else "'no'"
        if isinstance(question, Numeric) and isinstance(value, int | float):
            return str(_number(float(value)))
        return quoted(canonical(value) if isinstance(value, bool | int | float) else str(value))


def _counted(question: Numeric) -> bool:
    """Whether a number scores as its value above its minimum, as the reader reads it back."""
    line, low, high = question.linear, question.minimum, question.maximum
    return (
        line is not None
        and not question.thresholds
        and (line.low, line.high) == (low, high)
        and high is not None
        and low is not None
        and line.points == high - low
    )
