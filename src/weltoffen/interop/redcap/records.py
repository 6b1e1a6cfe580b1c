"""REDCap record exports (CSV, raw codes) as responses, and responses as such exports.

One row is one record (or one record at one event: the respondent is then ``record/event``). The
first column is the record id, whatever it is called; a checkbox has one column per option
(``field___code``, 1 ticked, 0 not). REDCap's own bookkeeping columns (``redcap_event_name``,
``<form>_complete``, ...) are known and skipped; any other column that is not a question of the
questionnaire is refused, naming it, so no answer is lost unseen.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections.abc import Mapping, Sequence

from weltoffen.exceptions import Problem, ProblemCode, ResponseError
from weltoffen.interop.redcap.choices import number
from weltoffen.interop.redcap.columns import records
from weltoffen.interop.redcap.conditions import number_text
from weltoffen.interop.redcap.layout import (
    FieldLayout,
    checkbox_column,
    layouts,
    missing_of,
    variable_name,
)
from weltoffen.interop.redcap.writer import RECORD_ID
from weltoffen.interop.registry import Source
from weltoffen.model.answers import AnswerValue, MetaValue, Response, State
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import MultipleChoice, Numeric, Question, TextQuestion, YesNo
from weltoffen.scoring.answers import code_key
from weltoffen.serialization.api import write_text
from weltoffen.serialization.text import read_text

__all__ = [
    "BOOKKEEPING",
    "box_states",
    "missing_codes",
    "read_responses",
    "records_text",
    "write_responses",
]

#: Columns REDCap adds to every export; they hold no answers.
BOOKKEEPING = re.compile(
    r"redcap_(event_name|repeat_instrument|repeat_instance|data_access_group|survey_identifier)"
    r"|.+_(complete|timestamp)"
)
_EVENT = "redcap_event_name"
_INSTANCE = "redcap_repeat_instance"


def read_responses(source: Source, questionnaire: Questionnaire) -> list[Response]:
    """The responses in a REDCap records export (raw codes, not labels).

    Raises:
        ResponseError: Every problem: unknown columns (named), codes no option has, numbers
            that are none, duplicate records; each with its file, line and column.
    """
    path = os.fspath(source)
    return _Reader(path, questionnaire).read(read_text(path, ResponseError))


class _Reader:
    def __init__(self, path: str, questionnaire: Questionnaire) -> None:
        self.path = path
        self.questionnaire = questionnaire
        # by variable name: the columns of a record export
        self.layouts = {layout.name: layout for layout in layouts(questionnaire).values()}
        self.metadata = {variable_name(m.key): m.key for m in questionnaire.metadata}
        self.problems: list[Problem] = []

    def codes(self, question: Question) -> dict[str, State]:
        return missing_codes(question, self.questionnaire)

    def problem(
        self, code: ProblemCode, message: str, line: int | None, column: str = "", **more: str
    ) -> None:
        self.problems.append(
            Problem(
                code,
                message,
                location=(column,) if column else (),
                file=self.path,
                line=line,
                **more,  # type: ignore[arg-type]
            )
        )

    def read(self, text: str) -> list[Response]:
        found = records(text)
        first = next(found, None)
        if first is None or isinstance(first[1], str) or not first[1] or not first[1][0].strip():
            self.problem(
                ProblemCode.WRONG_FILE_KIND,
                "not a REDCap records export: the first line must name the record id column",
                first[0] if first else None,
            )
            raise ResponseError(self.problems)
        line, header = first
        header = [h.strip() for h in header]
        ticks: dict[str, tuple[str, str | State]] = {
            checkbox_column(name, code): (layout.question.id, value)
            for name, layout in self.layouts.items()
            if layout.field_type == "checkbox"
            for value, code in layout.codes.items()
            if isinstance(value, str)
        }
        for name, layout in self.layouts.items():
            if layout.field_type == "checkbox":
                for code, state in box_states(layout, self.questionnaire):
                    ticks[checkbox_column(name, code)] = (layout.question.id, state)
        unknown = [
            h
            for h in header[1:]
            if h not in self.layouts
            and h.lower() not in ticks
            and h not in self.metadata
            and not BOOKKEEPING.fullmatch(h)
        ]
        if unknown:
            self.problem(
                ProblemCode.UNKNOWN_QUESTION,
                f"columns that are no question of the questionnaire: {', '.join(unknown)}",
                line,
                expected="question ids, checkbox columns field___code, or REDCap's own "
                "columns (redcap_event_name, <form>_complete, ...)",
                hint="export only the instrument's fields, or remove the columns of fields "
                "weltoffen did not import (calc, file, sql, descriptive)",
            )
        responses: list[Response] = []
        seen: dict[str, int] = {}
        for line, row in found:
            if isinstance(row, str):
                self.problem(ProblemCode.BAD_SYNTAX, f"not valid CSV: {row}", line)
                continue
            if not any(c.strip() for c in row):
                continue
            response = self.response(header, row, line, ticks)
            if response is None:
                continue
            if response.respondent in seen:
                self.problem(
                    ProblemCode.DUPLICATE_RESPONDENT,
                    f"record {response.respondent!r} is given twice",
                    line,
                    header[0],
                    got=f"first on line {seen[response.respondent]}",
                )
                continue
            seen[response.respondent] = line
            responses.append(response)
        if self.problems:
            raise ResponseError(self.problems)
        return responses

    def response(
        self,
        header: Sequence[str],
        row: Sequence[str],
        line: int,
        ticks: dict[str, tuple[str, str | State]],
    ) -> Response | None:
        cells = dict(zip(header, (c.strip() for c in row)))
        record = row[0].strip() if row else ""
        if not record:
            self.problem(ProblemCode.BAD_VALUE, "the record id is empty", line, header[0])
            return None
        who = "/".join(
            part for part in (record, cells.get(_EVENT, ""), cells.get(_INSTANCE, "")) if part
        )
        answers: dict[str, AnswerValue] = {}
        ticked: dict[str, list[str]] = {}
        states: dict[str, State] = {}
        metadata: dict[str, MetaValue] = {}
        if cells.get(_EVENT):
            metadata[_EVENT] = cells[_EVENT]
        for column, cell in cells.items():
            if column == header[0] or not cell:
                continue
            tick = ticks.get(column.lower())
            if tick is not None:
                qid, value = tick
                ticked.setdefault(qid, [])
                if cell == "1":
                    if isinstance(value, State):
                        states[qid] = value
                    else:
                        ticked[qid].append(value)
                elif cell != "0":
                    self.problem(
                        ProblemCode.BAD_ANSWER,
                        f"record {who!r}: a checkbox column holds 1 or 0",
                        line,
                        column,
                        got=repr(cell),
                    )
                continue
            if column in self.metadata:
                metadata[self.metadata[column]] = cell
                continue
            layout = self.layouts.get(column)
            if layout is not None:
                answer = self.answer(layout, cell, line, who)
                if answer is not None:
                    answers[layout.question.id] = answer
        for qid, values in ticked.items():
            if values:  # REDCap writes 0 in every column of a checkbox nobody answered
                answers[qid] = tuple(values)
        answers.update(states)
        return Response(respondent=who, answers=answers, metadata=metadata)

    def answer(self, layout: FieldLayout, cell: str, line: int, who: str) -> AnswerValue | None:
        question = layout.question
        state = self.codes(question).get(code_key(cell) or "")
        if state is not None:
            return state
        if isinstance(question, Numeric):
            value = _number(cell)
            if value is None:
                self.problem(
                    ProblemCode.BAD_ANSWER,
                    f"record {who!r}: not a number",
                    line,
                    layout.name,
                    got=repr(cell),
                )
                return None
            return int(value) if value == int(value) and question.integer else value
        if isinstance(question, TextQuestion):
            return cell
        chosen = layout.value_of(cell)
        if chosen is None:
            self.problem(
                ProblemCode.BAD_ANSWER,
                f"record {who!r}: no option has the code {cell!r}",
                line,
                layout.name,
                expected="one of " + ", ".join(code for code in layout.codes.values()),
                got=repr(cell),
            )
            return None
        if isinstance(question, MultipleChoice):  # a one-option tick box stored as one column
            return (str(chosen),)
        return chosen


def missing_codes(question: Question, questionnaire: Questionnaire) -> dict[str, State]:
    """The codes that stand for a state in *question*'s answers, by their canonical text."""
    return {
        code_key(code) or "": State(kind)
        for code, kind in missing_of(question, questionnaire).items()
    }


def write_responses(
    responses: Sequence[Response], questionnaire: Questionnaire, target: Source
) -> None:
    """Write *responses* as a REDCap records export (raw codes) to *target*, whole or not at all.

    Raises:
        ResponseError: An answer has no REDCap code (a "don't know" without a missing-value code,
            a value no option has), every one named.
    """
    write_text(target, records_text(responses, questionnaire))


def records_text(responses: Sequence[Response], questionnaire: Questionnaire) -> str:
    """The records export of *responses* as CSV text (see :func:`write_responses`)."""
    fields = layouts(questionnaire)
    header = [RECORD_ID]
    for layout in fields.values():
        if layout.field_type == "checkbox":
            header.extend(checkbox_column(layout.name, code) for code in layout.codes.values())
            header.extend(
                checkbox_column(layout.name, code) for code, _ in box_states(layout, questionnaire)
            )
        else:
            header.append(layout.name)
    header.extend(variable_name(m.key) for m in questionnaire.metadata)
    problems: list[Problem] = []
    out = io.StringIO()
    table = csv.writer(out, lineterminator="\n")
    table.writerow(header)
    for index, response in enumerate(responses):
        row = [response.respondent]
        for qid, layout in fields.items():
            answer = response.answers.get(qid)
            cells = _cells(layout, answer, missing_codes(layout.question, questionnaire))
            if layout.field_type == "checkbox":
                boxes = box_states(layout, questionnaire)
                if cells is None and isinstance(answer, State):
                    cells = ["0"] * len(layout.codes)
                    if answer not in [state for _, state in boxes]:
                        cells = None
                if cells is not None:
                    cells += ["1" if answer is state else "0" for _, state in boxes]
            if cells is None:
                problems.append(
                    Problem(
                        ProblemCode.BAD_ANSWER,
                        f"respondent {response.respondent!r}: {answer!r} has no REDCap code",
                        location=(index, "answers", qid),
                    )
                )
                cells = [""] * (
                    len(layout.codes) + len(box_states(layout, questionnaire))
                    if layout.field_type == "checkbox"
                    else 1
                )
            row.extend(cells)
        row.extend(_meta(response.metadata.get(m.key)) for m in questionnaire.metadata)
        table.writerow(row)
    if problems:
        raise ResponseError(problems)
    return out.getvalue()


def box_states(layout: FieldLayout, questionnaire: Questionnaire) -> list[tuple[str, State]]:
    """The missing-value codes of a checkbox field as extra columns (1 for that state), but
    skipped: every box left empty says that already."""
    return [
        (code, State(kind))
        for code, kind in missing_of(layout.question, questionnaire).items()
        if kind != "skipped"
    ]


def _number(cell: str) -> float | None:
    """*cell* as a number, exponent notation too (``2.5e-07``, as numbers are written)."""
    value = number(cell)
    if value is None and re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)[eE][+-]?\d+", cell):
        value = float(cell)
        return value if math.isfinite(value) else None
    return value


def _meta(value: MetaValue) -> str:
    return "" if value is None else str(value)


def _cells(
    layout: FieldLayout, answer: AnswerValue | None, codes: Mapping[str, State]
) -> list[str] | None:
    if layout.field_type == "checkbox":
        if answer is None or answer is State.SKIPPED:
            return ["0"] * len(layout.codes)
        if not isinstance(answer, tuple) or not set(answer) <= set(layout.codes):
            return None
        return ["1" if value in answer else "0" for value in layout.codes]
    if answer is None or answer is State.SKIPPED:
        return [""]
    if isinstance(answer, State):
        code = next((c for c, state in codes.items() if state is answer), None)
        return None if code is None else [code]
    if isinstance(layout.question, YesNo):
        answer = _yes_no(answer)
    if layout.codes:
        code = layout.codes.get(answer)
        return None if code is None else [code]
    if isinstance(answer, bool):
        return None
    if isinstance(answer, int | float):
        return [number_text(float(answer))]
    return [str(answer)]


def _yes_no(answer: AnswerValue) -> AnswerValue:
    if isinstance(answer, str) and answer.strip().casefold() in ("yes", "ja", "true", "1"):
        return True
    if isinstance(answer, str) and answer.strip().casefold() in ("no", "nein", "false", "0"):
        return False
    if isinstance(answer, int | float) and not isinstance(answer, bool) and answer in (0, 1):
        return bool(answer)
    return answer
