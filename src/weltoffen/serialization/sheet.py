"""The rows of a response table, checked and read: the part CSV files and spreadsheets share.

:class:`SheetReader` takes the header and the rows of a table laid out as
:mod:`weltoffen.serialization.csv` describes, checks them, and reads each cell as an answer, a
state or a metadata value, collecting every problem with its line and column. CSV files, Excel
workbooks and the streamed scoring of big sheets (:mod:`weltoffen.stream`) all read through it,
so a cell means the same wherever it comes from.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
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
from weltoffen.serialization.values import EMPTY_RESPONDENT, RESPONDENT_EXPECTED

__all__ = [
    "META",
    "RESPONDENT",
    "SEPARATOR_NAMES",
    "Column",
    "SheetReader",
    "Table",
    "cell_at",
    "cell_text",
    "column_name",
    "is_blank",
    "meta_value",
    "metadata_key",
    "parse_number",
]

RESPONDENT = "respondent"
META = "meta."
SEPARATOR_NAMES = {",": "a comma", ";": "a semicolon", "\t": "a tab"}

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
# Integers beyond this lose precision as floats; no questionnaire asks for such numbers.
_LARGEST = 2**53
_GROUPED = re.compile(r"[+-]?\d{1,3},\d{3}")


@attrs.frozen
class Column:
    """What one column of the header holds."""

    position: int
    name: str
    question: Question | None = None

    @property
    def metadata_key(self) -> str | None:
        """The metadata key a ``meta.<key>`` column fills (``None`` for other columns)."""
        return metadata_key(self.name) if self.question is None else None


def column_name(cell: object) -> str:
    """The name a header *cell* gives its column (a byte order mark or spaces around it are not
    part of it)."""
    return cell_text(cell).strip().lstrip("\ufeff")


def metadata_key(name: str) -> str | None:
    """The key of the metadata column *name* (``meta.role`` -> ``role``), or ``None``."""
    return name[len(META) :] if name.startswith(META) and name != META else None


@attrs.frozen
class Table:
    """A table being read: its reader, its header (on *header_line*) and the records below it,
    not yet read; *separator* is a CSV file's (``None`` for a spreadsheet, whose rows may end
    early)."""

    reader: SheetReader
    header_line: int
    header: Sequence[object]
    records: Iterator[tuple[int, Sequence[object]]]
    separator: str | None


class SheetReader:
    """Turns rows into responses, collecting every problem on the way.

    :meth:`read` does it all; :meth:`header`, :meth:`rows`, :meth:`answer` and :meth:`metadata`
    are its steps, for readers that take the cells further themselves (streamed scoring).
    """

    def __init__(
        self,
        questionnaire: Questionnaire,
        file: str | None,
        dont_know: str,
        not_applicable: str,
        decimal_comma: bool,
        *,
        ambiguous_groups: bool = False,
        limit: int | None = None,
    ) -> None:
        self.questionnaire = questionnaire
        self.questions = {q.id: q for _, q in questionnaire.iter_questions()}
        self.file = file
        self.decimal_comma = decimal_comma
        self.ambiguous_groups = ambiguous_groups
        self.problems: list[Problem] = []
        #: Problems kept at most (``None``: all); those beyond are counted in :attr:`more`.
        self.limit = limit
        self.more = 0
        #: The respondent column, once :meth:`header` has found it.
        self.respondent: Column | None = None
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
        self.note(
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

    def note(self, problem: Problem) -> None:
        """Keep *problem*, or count it once :attr:`limit` problems are kept."""
        if self.limit is None or len(self.problems) < self.limit:
            self.problems.append(problem)
        else:
            self.more += 1

    def read(
        self,
        header: Sequence[object],
        header_line: int,
        rows: Iterable[tuple[int, Sequence[object]]],
        *,
        separator: str | None = None,
    ) -> list[tuple[Response, int]]:
        """Every row's response with its line; *separator* is the CSV file's, if it is one.

        Raises:
            ResponseError: With every problem of the header and the rows.
        """
        columns = self.header(header, header_line)
        out = [
            (self.response(columns, who, row, line), line)
            for line, who, row in self.rows(columns, len(header), rows, separator=separator)
        ]
        if self.problems:
            raise ResponseError(self.problems)
        return out

    def header(self, header: Sequence[object], line: int) -> list[Column]:
        """The columns the *header* on *line* names (problems noted; none at all raises).

        Raises:
            ResponseError: The header is empty.
        """
        columns, self.respondent = self._header(header, line)
        return columns

    def rows(
        self,
        columns: Sequence[Column],
        width: int,
        rows: Iterable[tuple[int, Sequence[object]]],
        *,
        separator: str | None = None,
    ) -> Iterator[tuple[int, str, Sequence[object]]]:
        """(line, respondent id, cells) of every row that holds a respondent, problems noted.

        A CSV record (*separator* given) must have exactly one field per column of the header's
        *width*: a line break or a separator in an answer that is not quoted splits or shifts
        the record, and its pieces would otherwise read as respondents of their own.
        Spreadsheet rows may end early (empty cells). A row without a respondent id, or with one
        seen before, is noted; the first such row goes on to be read.
        """
        respondent = self.respondent
        nameless = [c for c in columns if c.name == ""]
        seen: dict[str, int] = {}
        for line, row in rows:
            if all(is_blank(cell) for cell in row):
                continue
            if separator is not None and len(row) != width:
                self.problem(
                    ProblemCode.BAD_SYNTAX,
                    f"the record has {len(row)} field{'' if len(row) == 1 else 's'} but the "
                    f"header has {width}",
                    line,
                    expected=f"{width} fields; an answer holding a line break, a quote or "
                    f"{SEPARATOR_NAMES[separator]} must be in double quotes",
                )
                continue
            extra = [c for c in row[width:] if not is_blank(c)]
            if extra:
                self.problem(
                    ProblemCode.BAD_SYNTAX,
                    f"the row has {len(row)} cells but the header names {width} columns",
                    line,
                    expected="one cell per column",
                    got=f"{cell_text(extra[0])!r} beyond the last column",
                )
            unnamed = [
                c for c in nameless if c.position < len(row) and not is_blank(row[c.position])
            ]
            for column in unnamed:
                self.problem(
                    ProblemCode.BAD_CELL,
                    "a column without a name holds data",
                    line,
                    column=column.position + 1,
                    expected="a question id, respondent or meta.<name> in the header",
                    got=repr(cell_text(row[column.position])),
                )
            if respondent is None:
                continue
            who = cell_text(cell_at(row, respondent.position)).strip()
            if not who:
                self.problem(
                    ProblemCode.BAD_VALUE,
                    EMPTY_RESPONDENT,
                    line,
                    column=RESPONDENT,
                    expected=RESPONDENT_EXPECTED,
                )
                continue
            yield line, who, row
            # noted after the row is read, so that problems stay in the order of the cells
            if who in seen:
                self.problem(
                    ProblemCode.DUPLICATE_RESPONDENT,
                    f"respondent {who!r} appears twice",
                    line,
                    column=RESPONDENT,
                    got=f"first at line {seen[who]}",
                )
            seen.setdefault(who, line)

    def _header(self, header: Sequence[object], line: int) -> tuple[list[Column], Column | None]:
        if not header:
            self.problem(
                ProblemCode.TOO_FEW,
                "the table is empty",
                line,
                expected="a header row naming respondent and question ids",
            )
            raise ResponseError(self.problems)
        columns: list[Column] = []
        where: dict[str, int] = {}
        respondent = None
        for position, cell in enumerate(header):
            name = column_name(cell)
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
            column = Column(position, name)
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
                column = Column(position, name, question)
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

    def response(
        self, columns: Sequence[Column], who: str, row: Sequence[object], line: int
    ) -> Response:
        """The response of respondent *who* in *row* (answers that cannot be read are noted)."""
        answers: dict[str, AnswerValue] = {}
        for column in columns:
            if column.question is None:
                continue
            cell = cell_at(row, column.position)
            if is_blank(cell):
                continue
            value = self.answer(column.question, cell, line, who)
            if value is not None:
                answers[column.name] = value
        return Response(respondent=who, answers=answers, metadata=self.metadata(columns, row))

    def metadata(self, columns: Sequence[Column], row: Sequence[object]) -> dict[str, MetaValue]:
        """The metadata the ``meta.<name>`` columns of *row* hold (empty cells left out)."""
        metadata: dict[str, MetaValue] = {}
        for column in columns:
            key = column.metadata_key
            if key is not None:
                cell = cell_at(row, column.position)
                if not is_blank(cell):
                    metadata[key] = meta_value(cell)
        return metadata

    def answer(self, question: Question, cell: object, line: int, who: str) -> AnswerValue | None:
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
        text = cell_text(cell).strip()
        state = self.codes.get(text.casefold())
        if state is not None:
            return state
        if isinstance(question, Numeric):
            try:
                return parse_number(text, self.decimal_comma, self.ambiguous_groups)
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


def parse_number(text: str, decimal_comma: bool, ambiguous_groups: bool = False) -> int | float:
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


def cell_at(row: Sequence[object], position: int) -> object:
    # a short row (trailing cells left off) reads as empty cells
    return row[position] if position < len(row) else None


def is_blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def cell_text(cell: object) -> str:
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


def meta_value(cell: object) -> MetaValue:
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, bool | int | float):
        return cell
    return cell_text(cell)
