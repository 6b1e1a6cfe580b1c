"""Responses from tables: one row per respondent, one column per question id.

The layout, shared by CSV here and by spreadsheet readers that pass their rows to
:func:`responses_from_rows`:

- a ``respondent`` column (required) identifies each row;
- ``meta.<name>`` columns become the response's metadata;
- every other column must be a question id of the questionnaire.

What a cell means:

- empty: skipped (the answer is left out of the response);
- ``skipped``: explicitly skipped;
- the don't-know and not-applicable codes (by default the state names ``dont_know`` and
  ``not_applicable``, which are always accepted too): those states; codes are matched without
  regard to case and win over an answer that reads the same;
- numeric questions: a number (``12``, ``3.5``; in ``;``- and tab-separated files also ``3,5``,
  though in tab-separated files ``1,500`` is refused as ambiguous);
- multiple choice: option values separated by ``;`` (``course;mentoring``);
- everything else: the text as written. Yes/no questions accept what the engine accepts
  (``yes``/``no``, ``true``/``false``, ``ja``/``nein``, ``1``/``0``); whether a value fits its
  question is checked when scoring.

In CSV files (not in spreadsheets, whose cells have types) a cell that starts with apostrophes
followed by ``=``, ``+``, ``-``, ``@``, a tab or a carriage return loses its first apostrophe:
that is how weltoffen writes text a spreadsheet program would otherwise run as a formula
(``'=1+1`` reads as ``=1+1``; see :mod:`weltoffen.serialization.cells`).
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import itertools
import math
import os
import re
from collections.abc import Iterable, Iterator, Sequence

import attrs

from weltoffen.exceptions import Problem, ProblemCode, ResponseError
from weltoffen.model.answers import AnswerValue, MetaValue, Response, State
from weltoffen.model.queries import options_of
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import MultipleChoice, Numeric, Option, Question, YesNo
from weltoffen.scoring.answers import YES_NO, coded_state
from weltoffen.scoring.plan import missing_codes_of
from weltoffen.serialization.cells import restore
from weltoffen.serialization.text import DEFAULT_ENCODING, read_text
from weltoffen.serialization.values import EMPTY_RESPONDENT, RESPONDENT_EXPECTED

__all__ = ["load_responses_csv", "located_responses_csv", "responses_from_rows"]

RESPONDENT = "respondent"
META = "meta."

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
# Integers beyond this lose precision as floats; no questionnaire asks for such numbers.
_LARGEST = 2**53
_GROUPED = re.compile(r"[+-]?\d{1,3},\d{3}")
_DELIMITERS = (",", ";", "\t")
_SEPARATOR_NAMES = {",": "a comma", ";": "a semicolon", "\t": "a tab"}


def responses_from_rows(
    header: Sequence[object],
    rows: Iterable[Sequence[object]],
    questionnaire: Questionnaire,
    *,
    file: str | None = None,
    first_line: int = 2,
    dont_know: str = "dont_know",
    not_applicable: str = "not_applicable",
    decimal_comma: bool = False,
) -> list[Response]:
    """Responses from the rows of a table whose first row was *header*.

    Cells are usually strings. Spreadsheet readers may also pass ``None`` (an empty cell),
    numbers, booleans and dates: numbers stay numbers for numeric questions, and everything
    else is read as its text.

    Args:
        header: The column names.
        rows: One sequence of cells per respondent; rows whose cells are all empty are ignored.
        questionnaire: Names the question ids that columns may use.
        file: The file the rows came from, for the problems.
        first_line: The line (or spreadsheet row) of the first row in *rows*; the header is the
            line before it.
        dont_know: The cell text that means "don't know".
        not_applicable: The cell text that means "not applicable".
        decimal_comma: Also read ``3,5`` as 3.5 (files written with German or French settings).

    Returns:
        One response per non-empty row, in order.

    Raises:
        ResponseError: With every problem at once, each naming the file, the line and the column.
    """
    numbered = zip(itertools.count(first_line), rows)
    reader = _Reader(questionnaire, file, dont_know, not_applicable, decimal_comma)
    return [response for response, _ in reader.read(header, first_line - 1, numbered)]


def load_responses_csv(
    path: str | os.PathLike[str],
    questionnaire: Questionnaire,
    *,
    dont_know: str = "dont_know",
    not_applicable: str = "not_applicable",
    encoding: str = DEFAULT_ENCODING,
) -> list[Response]:
    """Responses from a CSV file, one row per respondent (see the module text for the layout).

    The separator (``,``, ``;`` or tab) is taken from the header row. In ``;``-separated files a
    decimal comma is accepted, and in tab-separated files too unless three digits follow it
    (``1,500`` is refused there as ambiguous). A byte order mark decides the encoding (UTF-8,
    UTF-16 or UTF-32, as spreadsheet programs write them: Excel's "Unicode text" is
    tab-separated UTF-16); without one, valid UTF-8 is read as UTF-8 and anything else as
    *encoding*. Every record must have as many fields as the header; one that has not is
    refused, not guessed at.

    Args:
        path: The CSV file.
        questionnaire: Names the question ids that columns may use.
        dont_know: The cell text that means "don't know".
        not_applicable: The cell text that means "not applicable".
        encoding: The file's text encoding when it has no byte order mark and is not valid
            UTF-8 (``cp1252`` for older Windows spreadsheet exports).

    Raises:
        ResponseError: With every problem at once, each naming the file, the line (where a record
            starts) and the column; an unknown *encoding* or a file not in it is one of them.
    """
    return [
        r
        for r, _ in located_responses_csv(
            path,
            questionnaire,
            dont_know=dont_know,
            not_applicable=not_applicable,
            encoding=encoding,
        )
    ]


def located_responses_csv(
    path: str | os.PathLike[str],
    questionnaire: Questionnaire,
    *,
    dont_know: str = "dont_know",
    not_applicable: str = "not_applicable",
    encoding: str = DEFAULT_ENCODING,
) -> list[tuple[Response, int]]:
    """As :func:`load_responses_csv`, with the line each response starts on."""
    name = os.fspath(path)
    text = read_text(name, ResponseError, encoding=encoding)
    delimiter = _sniff(text)
    # Files from German or French settings write 3,5 where the comma is not the separator; a tab
    # file may come from English settings too, where 1,500 is fifteen hundred, so that is refused.
    reader = _Reader(
        questionnaire,
        name,
        dont_know,
        not_applicable,
        delimiter in (";", "\t"),
        ambiguous_groups=delimiter == "\t",
    )
    # undo the apostrophe that CSV writers put before text a spreadsheet would run as a formula
    records = ((n, [restore(cell) for cell in r]) for n, r in _records(text, delimiter, reader))
    # the header is the first record with a name in it; blank lines above it are ignored
    header_line, header = next(((n, r) for n, r in records if any(c.strip() for c in r)), (1, []))
    return reader.read(header, header_line, records, separator=delimiter)


def _sniff(text: str) -> str:
    """The separator that splits the header row into the most cells (``,`` on a tie)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: len(next(csv.reader([first], delimiter=d), [])) for d in _DELIMITERS}
    return max(_DELIMITERS, key=lambda d: counts[d])


def _records(text: str, delimiter: str, reader: _Reader) -> Iterator[tuple[int, list[str]]]:
    """Each CSV record with the (physical) line it starts on; *reader* notes malformed ones."""
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    while True:
        start = records.line_num + 1
        try:
            row = next(records)
        except StopIteration:
            return
        except csv.Error as exc:
            # the reader starts afresh on the next line, so later records are still checked
            reader.problem(
                ProblemCode.BAD_SYNTAX,
                f"not valid CSV: {exc}",
                start,
                expected='cells quoted with "..." closed on the same record',
            )
            continue
        yield start, row


@attrs.frozen
class _Column:
    """What one column of the header holds."""

    position: int
    name: str
    question: Question | None = None


class _Reader:
    """Turns rows into responses, collecting every problem on the way."""

    def __init__(
        self,
        questionnaire: Questionnaire,
        file: str | None,
        dont_know: str,
        not_applicable: str,
        decimal_comma: bool,
        *,
        ambiguous_groups: bool = False,
    ) -> None:
        self.questionnaire = questionnaire
        self.questions = {q.id: q for _, q in questionnaire.iter_questions()}
        self.file = file
        self.decimal_comma = decimal_comma
        self.ambiguous_groups = ambiguous_groups
        self.problems: list[Problem] = []
        self.codes = {
            State.SKIPPED.value: State.SKIPPED,
            State.DONT_KNOW.value: State.DONT_KNOW,
            State.NOT_APPLICABLE.value: State.NOT_APPLICABLE,
        }
        # the questionnaire's missing-value codes, per question: read as their states
        self.missing = missing_codes_of(questionnaire)
        self.custom = {
            "dont_know": (dont_know, State.DONT_KNOW),
            "not_applicable": (not_applicable, State.NOT_APPLICABLE),
        }

    def problem(
        self,
        code: ProblemCode,
        message: str,
        line: int | None,
        *,
        column: str | int | None = None,
        expected: str | None = None,
        got: str | None = None,
        hint: str | None = None,
    ) -> None:
        """Note a problem on *line*, in the *column* of that name (or at that 1-based number)."""
        self.problems.append(
            Problem(
                code,
                message,
                location=(column,) if isinstance(column, str) else (),
                column=column if isinstance(column, int) else None,
                expected=expected,
                got=got,
                hint=hint,
                file=self.file,
                line=line,
            )
        )

    def read(
        self,
        header: Sequence[object],
        header_line: int,
        rows: Iterable[tuple[int, Sequence[object]]],
        *,
        separator: str | None = None,
    ) -> list[tuple[Response, int]]:
        """Every row's response with its line; *separator* is the CSV file's, if it is one.

        A CSV record must have exactly one field per column: a line break or a separator in an
        answer that is not quoted splits or shifts the record, and its pieces would otherwise
        read as respondents of their own. Spreadsheet rows may end early (empty cells).
        """
        columns, respondent = self._header(header, header_line)
        out: list[tuple[Response, int]] = []
        seen: dict[str, int] = {}
        width = len(header)
        for line, row in rows:
            if all(_blank(cell) for cell in row):
                continue
            if separator is not None and len(row) != width:
                self.problem(
                    ProblemCode.BAD_SYNTAX,
                    f"the record has {len(row)} field{'' if len(row) == 1 else 's'} but the "
                    f"header has {width}",
                    line,
                    expected=f"{width} fields; an answer holding a line break, a quote or "
                    f"{_SEPARATOR_NAMES[separator]} must be in double quotes",
                )
                continue
            extra = [c for c in row[width:] if not _blank(c)]
            if extra:
                self.problem(
                    ProblemCode.BAD_SYNTAX,
                    f"the row has {len(row)} cells but the header names {width} columns",
                    line,
                    expected="one cell per column",
                    got=f"{_text(extra[0])!r} beyond the last column",
                )
            unnamed = [
                c
                for c in columns
                if c.name == "" and c.position < len(row) and not _blank(row[c.position])
            ]
            for column in unnamed:
                self.problem(
                    ProblemCode.BAD_CELL,
                    "a column without a name holds data",
                    line,
                    column=column.position + 1,
                    expected="a question id, respondent or meta.<name> in the header",
                    got=repr(_text(row[column.position])),
                )
            if respondent is None:
                continue
            response = self._row(columns, respondent, row, line)
            if response is None:
                continue
            if response.respondent in seen:
                self.problem(
                    ProblemCode.DUPLICATE_RESPONDENT,
                    f"respondent {response.respondent!r} appears twice",
                    line,
                    column=RESPONDENT,
                    got=f"first at line {seen[response.respondent]}",
                )
            seen.setdefault(response.respondent, line)
            out.append((response, line))
        if self.problems:
            raise ResponseError(self.problems)
        return out

    def _header(self, header: Sequence[object], line: int) -> tuple[list[_Column], _Column | None]:
        if not header:
            self.problem(
                ProblemCode.TOO_FEW,
                "the table is empty",
                line,
                expected="a header row naming respondent and question ids",
            )
            raise ResponseError(self.problems)
        columns: list[_Column] = []
        where: dict[str, int] = {}
        respondent = None
        for position, cell in enumerate(header):
            name = _text(cell).strip().lstrip("\ufeff")
            if name in where:
                self.problem(
                    ProblemCode.DUPLICATE_ID,
                    "the column appears twice",
                    line,
                    column=name,
                    got=f"columns {where[name] + 1} and {position + 1}",
                )
                continue
            if name:
                where[name] = position
            column = _Column(position, name)
            if name == RESPONDENT:
                respondent = column
            elif name.startswith(META):
                if name == META:
                    self.problem(
                        ProblemCode.MISSING_KEY,
                        "a metadata column needs a name",
                        line,
                        column=name,
                        expected="meta.<name>, such as meta.role",
                    )
            elif name:
                question = self.questions.get(name)
                if question is None:
                    close = difflib.get_close_matches(name, [*self.questions, RESPONDENT], n=1)
                    self.problem(
                        ProblemCode.UNKNOWN_QUESTION,
                        f"unknown column {name!r}: not a question of {self.questionnaire.id!r}",
                        line,
                        column=name,
                        expected=None if close else "respondent, meta.<name> or a question id",
                        hint=f"did you mean {close[0]!r}?" if close else None,
                    )
                    continue
                column = _Column(position, name, question)
            columns.append(column)
        if respondent is None:
            self.problem(
                ProblemCode.MISSING_KEY,
                "no respondent column",
                line,
                expected="a column named 'respondent'",
            )
        self._check_codes([c.question for c in columns if c.question is not None], line)
        return columns, respondent

    def _check_codes(self, questions: Sequence[Question], line: int) -> None:
        """Custom codes must be usable: not empty, distinct, and not an answer some column takes."""
        scales: dict[str, Sequence[Option]] = {s.id: s.options for s in self.questionnaire.scales}
        for option, (code, state) in self.custom.items():
            key = code.strip().casefold()
            if not key:
                self.problem(
                    ProblemCode.BAD_OPTION,
                    f"the {option} code is empty; an empty cell already means skipped",
                    line,
                )
                continue
            if self.codes.get(key, state) is not state:
                self.problem(
                    ProblemCode.BAD_OPTION,
                    f"the {option} code {code!r} already means {self.codes[key].value}",
                    line,
                )
                continue
            self.codes[key] = state
            for question in questions:
                # a code equal to a word yes/no questions take would hide that answer
                values = (
                    list(YES_NO)
                    if isinstance(question, YesNo)
                    else [o.value for o in options_of(question, scales)]
                )
                if key in (v.casefold() for v in values):
                    self.problem(
                        ProblemCode.BAD_OPTION,
                        f"the {option} code {code!r} is also an answer of question {question.id!r}",
                        line,
                        column=question.id,
                        expected="a code that no answer uses",
                    )

    def _row(
        self, columns: Sequence[_Column], respondent: _Column, row: Sequence[object], line: int
    ) -> Response | None:
        who = _text(_cell(row, respondent.position)).strip()
        if not who:
            self.problem(
                ProblemCode.BAD_VALUE,
                EMPTY_RESPONDENT,
                line,
                column=RESPONDENT,
                expected=RESPONDENT_EXPECTED,
            )
            return None
        answers: dict[str, AnswerValue] = {}
        metadata: dict[str, MetaValue] = {}
        for column in columns:
            cell = _cell(row, column.position)
            if _blank(cell):
                continue
            if column.question is not None:
                value = self._answer(column.question, cell, line, who)
                if value is not None:
                    answers[column.name] = value
            elif column.name.startswith(META) and column.name != META:
                metadata[column.name[len(META) :]] = _meta(cell)
        return Response(respondent=who, answers=answers, metadata=metadata)

    def _answer(self, question: Question, cell: object, line: int, who: str) -> AnswerValue | None:
        coded = self.missing.get(question.id)
        if coded:
            state = coded_state(coded, cell)
            if state is not None:
                return state
        if (
            isinstance(question, Numeric)
            and isinstance(cell, int | float)
            and not isinstance(cell, bool)
        ):
            return cell
        text = _text(cell).strip()
        state = self.codes.get(text.casefold())
        if state is not None:
            return state
        if isinstance(question, Numeric):
            try:
                return _number(text, self.decimal_comma, self.ambiguous_groups)
            except ValueError as exc:
                self.problem(
                    ProblemCode.BAD_ANSWER,
                    f"{exc} (respondent {who!r})",
                    line,
                    column=question.id,
                    expected="a number such as 12 or 3.5",
                    got=repr(text),
                )
                return None
        if isinstance(question, MultipleChoice):
            return tuple(part.strip() for part in text.split(";") if part.strip())
        if isinstance(question, YesNo) and text in ("0", "1"):
            return int(text)  # as numbers, the form other tables give 1/0 in
        return text


def _number(text: str, decimal_comma: bool, ambiguous_groups: bool = False) -> int | float:
    """The number *text* spells.

    Args:
        text: The cell.
        decimal_comma: Read a single comma as the decimal point (``3,5``).
        ambiguous_groups: Refuse a comma followed by exactly three digits (``1,500``), which
            files from English settings use to group thousands.

    Raises:
        ValueError: With a message saying what is wrong.
    """
    if decimal_comma and "." not in text and text.count(",") == 1:
        if ambiguous_groups and _GROUPED.fullmatch(text):
            raise ValueError("ambiguous number: the comma may group thousands or mark decimals")
        text = text.replace(",", ".")
    if not _NUMBER.fullmatch(text):
        raise ValueError("not a number")
    try:
        value: int | float = float(text) if "." in text or "e" in text.lower() else int(text)
    except ValueError:  # more digits than int() will read
        raise ValueError("number is too large") from None
    if not (math.isfinite(value) and abs(value) <= _LARGEST):
        raise ValueError("number is too large")
    return value


def _cell(row: Sequence[object], position: int) -> object:
    # a short row (trailing cells left off) reads as empty cells
    return row[position] if position < len(row) else None


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _text(cell: object) -> str:
    """A cell as text: numbers as written in a form a person would type them."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.date | dt.datetime):
        return cell.isoformat()
    return str(cell)


def _meta(cell: object) -> MetaValue:
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, bool | int | float):
        return cell
    return _text(cell)
