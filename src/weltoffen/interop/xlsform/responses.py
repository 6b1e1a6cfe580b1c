"""Reading submissions exported from ODK Central or KoboToolbox as CSV.

Both name a question's column by its group path: ODK Central ``grp-q`` (``grp-sub-q``),
KoboToolbox ``grp/q`` (or the bare name, when groups are left out of the export). A multiple
choice is one cell of space-separated choice names, or one 0/1 column per option
(``grp/q/option``; both may be present, the ticks win). Kobo writes ``;`` between cells by
default, ODK ``,``: the header decides. Columns of the server's own (``KEY``, ``SubmissionDate``,
``_uuid``, ``meta/instanceID``, ``start``, ...) are left out; the first of ``KEY``,
``meta/instanceID``, ``instanceID``, ``_uuid`` and ``_id`` names the respondent (else the line).
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Iterator, Mapping, Sequence

from weltoffen.exceptions import Problem, ProblemCode, ResponseError
from weltoffen.interop.options import option_named
from weltoffen.interop.registry import Source
from weltoffen.model.answers import AnswerValue, Response, State
from weltoffen.model.dimensions import Dimension
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
from weltoffen.scoring.answers import code_key
from weltoffen.serialization.api import write_text
from weltoffen.serialization.text import read_text

__all__ = ["RESPONDENT_COLUMNS", "read_responses", "responses_text", "write_responses"]

#: Columns naming the submission, in the order they are tried.
RESPONDENT_COLUMNS = ("KEY", "meta/instanceID", "meta-instanceID", "instanceID", "_uuid", "_id")

_YES = {"yes": True, "no": False, "1": True, "0": False, "true": True, "false": False}


def read_responses(source: Source, questionnaire: Questionnaire) -> list[Response]:
    """The submissions in an ODK Central or KoboToolbox CSV export.

    Raises:
        ResponseError: Every problem: answers no option has, numbers that are none, ticks that
            are not 0 or 1, duplicate submissions; each with file, line and column.
    """
    path = os.fspath(source)
    text = read_text(path, ResponseError)
    return _Reader(path, questionnaire).read(text)


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    return max((";", ",", "\t"), key=first.count)


def question_of(column: str, questions: Mapping[str, Question]) -> str | None:
    """The question a column is named after: the name itself, or its end after a group path."""
    if column in questions:
        return column
    for i, ch in enumerate(column):
        if ch in "/-" and column[i + 1 :] in questions:
            return column[i + 1 :]
    return None


class _Reader:
    def __init__(self, path: str, questionnaire: Questionnaire) -> None:
        self.path = path
        self.questionnaire = questionnaire
        self.questions = {q.id: q for _, q in questionnaire.iter_questions()}
        self.scales = {s.id: s for s in questionnaire.scales}
        self.problems: list[Problem] = []

    def problem(self, message: str, line: int, column: int, name: str, got: str) -> None:
        self.problems.append(
            Problem(
                ProblemCode.BAD_ANSWER,
                message,
                location=(name,),
                got=repr(got),
                file=self.path,
                line=line,
                column=column,
            )
        )

    def columns(self, header: Sequence[str]) -> dict[int, tuple[str, str | None]]:
        """Column index -> (question id, option value of a 0/1 column, or None)."""
        found: dict[int, tuple[str, str | None]] = {}
        for i, name in enumerate(header):
            qid = question_of(name, self.questions)
            if qid is not None:
                found[i] = (qid, None)
                continue
            head, sep, option = name.rpartition("/")
            qid = question_of(head, self.questions) if sep else None
            question = self.questions.get(qid or "")
            if isinstance(question, MultipleChoice) and any(
                o.value == option for o in question.options
            ):
                found[i] = (question.id, option)
        return found

    def read(self, text: str) -> list[Response]:
        text = text.lstrip("\ufeff")
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
        try:
            rows = list(reader)
        except csv.Error as error:
            raise ResponseError(
                [
                    Problem(
                        ProblemCode.BAD_SYNTAX,
                        f"not valid CSV: {error}",
                        file=self.path,
                        line=reader.line_num,
                    )
                ]
            ) from None
        if not rows:
            raise ResponseError(
                [Problem(ProblemCode.WRONG_FILE_KIND, "the export is empty", file=self.path)]
            )
        header = [h.strip() for h in rows[0]]
        columns = self.columns(header)
        who = next((header.index(c) for c in RESPONDENT_COLUMNS if c in header), None)
        responses: list[Response] = []
        seen: dict[str, int] = {}
        for line, row in enumerate(rows[1:], start=2):
            if not any(c.strip() for c in row):
                continue
            respondent = row[who].strip() if who is not None and who < len(row) else ""
            respondent = respondent or f"line {line}"
            if respondent in seen:
                self.problems.append(
                    Problem(
                        ProblemCode.DUPLICATE_RESPONDENT,
                        f"submission {respondent!r} is given twice (first on line "
                        f"{seen[respondent]})",
                        file=self.path,
                        line=line,
                    )
                )
                continue
            seen[respondent] = line
            responses.append(self.response(respondent, header, row, columns, line))
        if self.problems:
            raise ResponseError(self.problems)
        return responses

    def response(
        self,
        respondent: str,
        header: Sequence[str],
        row: Sequence[str],
        columns: Mapping[int, tuple[str, str | None]],
        line: int,
    ) -> Response:
        answers: dict[str, AnswerValue] = {}
        ticked: dict[str, list[str]] = {}
        for i, (qid, option) in columns.items():
            cell = row[i].strip() if i < len(row) else ""
            if not cell:
                continue
            if option is not None:
                if cell in ("1", "1.0", "True", "true"):
                    ticked.setdefault(qid, []).append(option)
                elif cell in ("0", "0.0", "False", "false"):
                    ticked.setdefault(qid, [])
                else:
                    self.problem("a choice column holds 1 or 0", line, i + 1, header[i], cell)
                continue
            answer = self.answer(self.questions[qid], cell, line, i + 1, header[i])
            if answer is not None:
                answers[qid] = answer
        for qid, values in ticked.items():
            answers[qid] = tuple(values)
        return Response(respondent=respondent, answers=answers)

    def options(self, question: Question) -> tuple[Option, ...]:
        if isinstance(question, ScaleQuestion) and question.scale is not None:
            return self.scales[question.scale].options
        if isinstance(question, ScaleQuestion | Choice | MultipleChoice):
            return question.options
        return ()

    def answer(
        self, question: Question, cell: str, line: int, column: int, name: str
    ) -> AnswerValue | None:
        codes = {**self.questionnaire.missing_codes, **question.missing_codes}
        state = next((k for c, k in codes.items() if code_key(c) == code_key(cell)), None)
        if state is not None:
            return State(state)
        offered = {"dont_know": question.dont_know, "not_applicable": question.not_applicable}
        if offered.get(cell):  # the state's own name, as the writer's choices give it
            return State(cell)
        if isinstance(question, TextQuestion):
            return cell
        if isinstance(question, Numeric):
            try:
                value = float(cell)
            except ValueError:
                value = math.nan
            if not math.isfinite(value):
                self.problem("not a number", line, column, name, cell)
                return None
            return int(value) if question.integer and value.is_integer() else value
        if isinstance(question, YesNo):
            yes = _YES.get(cell.lower())
            if yes is None:
                self.problem("yes/no takes yes or no", line, column, name, cell)
            return yes
        values = [o.value for o in self.options(question)]
        chosen = [option_named(part, values) for part in cell.split()]
        if any(c is None for c in chosen) or not chosen:
            self.problem("no option has this name", line, column, name, cell)
            return None
        if isinstance(question, MultipleChoice):
            return tuple(c for c in chosen if c is not None)
        if len(chosen) > 1:
            self.problem("one choice only", line, column, name, cell)
            return None
        return chosen[0]


def write_responses(
    responses: Sequence[Response], questionnaire: Questionnaire, target: Source
) -> None:
    """Write *responses* as ODK Central exports them (whole or not at all).

    Columns: ``KEY`` (the respondent), then one per question named by its group path
    (``group-sub-question``); a multiple choice is one cell of space-separated names, yes/no is
    ``yes``/``no``, a skipped question blank. Don't know and not applicable are written as the
    question's missing-value code for them.

    Raises:
        ResponseError: An answer state has no missing-value code to be written as.
    """
    write_text(target, responses_text(responses, questionnaire))


def responses_text(responses: Sequence[Response], questionnaire: Questionnaire) -> str:
    """The CSV text of :func:`write_responses`."""
    paths = dict(_paths(questionnaire.dimensions, ()))
    problems: list[Problem] = []
    out = io.StringIO()
    table = csv.writer(out, lineterminator="\n")
    table.writerow([RESPONDENT_COLUMNS[0], *paths.values()])
    for number, response in enumerate(responses):
        row = [response.respondent]
        for qid, question in _questions(questionnaire):
            answer = response.answers.get(qid)
            cell = _cell(answer, question, questionnaire)
            if cell is None:
                problems.append(
                    Problem(
                        ProblemCode.BAD_ANSWER,
                        f"{answer} has no missing-value code to be written as",
                        location=(number, "answers", qid),
                        hint="declare a missing-value code for it (missing_codes)",
                    )
                )
                cell = ""
            row.append(cell)
        table.writerow(row)
    if problems:
        raise ResponseError(problems)
    return out.getvalue()


def _paths(dimensions: Sequence[Dimension], prefix: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    for dim in dimensions:
        path = (*prefix, dim.id)
        for question in dim.questions:
            yield question.id, "-".join((*path, question.id))
        yield from _paths(dim.dimensions, path)


def _questions(questionnaire: Questionnaire) -> Iterator[tuple[str, Question]]:
    for _, question in questionnaire.iter_questions():
        yield question.id, question


def _cell(
    answer: AnswerValue | None, question: Question, questionnaire: Questionnaire
) -> str | None:
    if answer is None or answer is State.SKIPPED:
        return ""
    if isinstance(answer, State):
        codes = {**questionnaire.missing_codes, **question.missing_codes}
        code = next((c for c, state in codes.items() if state == answer.value), None)
        offered = {"dont_know": question.dont_know, "not_applicable": question.not_applicable}
        return code if code is not None or not offered.get(answer.value) else answer.value
    if isinstance(answer, bool):
        return "yes" if answer else "no"
    if isinstance(answer, tuple):
        return " ".join(answer)
    if isinstance(answer, float):
        return repr(int(answer)) if answer.is_integer() else repr(answer)
    return str(answer)
