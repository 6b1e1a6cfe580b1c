"""Reading the table of a REDCap data dictionary: its header, its rows and what is wrong with them.

Only the shape of the table is checked here (the columns, names, types and cells a dictionary must
have); what each field means is :mod:`weltoffen.interop.redcap.fields`' concern. Every problem is
collected with its line and column, and all are raised together.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from weltoffen.exceptions import DefinitionError, Problem, ProblemCode, one_of
from weltoffen.interop.redcap.choices import number, parse_choices
from weltoffen.interop.redcap.columns import COLUMNS, REQUIRED, Row, records, standard_header
from weltoffen.interop.report import ReportBuilder

__all__ = ["CHOICE_TYPES", "FIELD_TYPES", "PIPED", "numeric_validation", "read_rows"]

#: Every field type REDCap's dictionaries use.
FIELD_TYPES = (
    "text",
    "notes",
    "radio",
    "dropdown",
    "checkbox",
    "yesno",
    "truefalse",
    "slider",
    "calc",
    "descriptive",
    "file",
    "sql",
)

#: Field types whose choices cell lists the answer options.
CHOICE_TYPES = ("radio", "dropdown", "checkbox")

#: A bound taken from another field's answer (``[other_field]``): REDCap pipes it in.
PIPED = re.compile(r"\[[^\]]+\]")

_NUMBER_VALIDATION = re.compile(r"(number(_\d+dp)?(_comma_decimal)?|float)")
_INTEGER_VALIDATION = ("integer", "int")


def numeric_validation(validation: str) -> str | None:
    """``integer`` or ``number`` for a text validation that asks for a number, else ``None``."""
    if validation in _INTEGER_VALIDATION:
        return "integer"
    if _NUMBER_VALIDATION.fullmatch(validation):
        return "number"
    return None


class _Problems:
    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[Problem] = []
        self.written: dict[str, str] = {}  # our column name -> the header as the file writes it

    def add(
        self,
        code: ProblemCode,
        message: str,
        line: int | None,
        column: str | None = None,
        *,
        expected: str | None = None,
        got: str | None = None,
    ) -> None:
        location: tuple[str, ...] = ()
        if column is not None:
            location = (self.written.get(column, COLUMNS[column][0]),)
        self.items.append(
            Problem(
                code,
                message,
                location=location,
                expected=expected,
                got=got,
                file=self.file,
                line=line,
            )
        )


def read_rows(text: str, file: str, notes: ReportBuilder) -> list[Row]:
    """The fields of the dictionary *text*, each with the line it starts on.

    Raises:
        DefinitionError: The text is no data dictionary, or rows are malformed (every problem,
            each with its line and column).
    """
    problems = _Problems(file)
    found = records(text)
    first = next(found, None)
    while first is not None and isinstance(first[1], list) and not any(c.strip() for c in first[1]):
        first = next(found, None)
    if first is None:
        problems.add(ProblemCode.WRONG_FILE_KIND, "the file is empty, not a data dictionary", None)
        raise DefinitionError(problems.items)
    line, header_cells = first
    if isinstance(header_cells, str):
        problems.add(ProblemCode.BAD_SYNTAX, f"not valid CSV: {header_cells}", line)
        raise DefinitionError(problems.items)
    header = _header(header_cells, line, problems, notes)
    if problems.items:
        raise DefinitionError(problems.items)
    rows = []
    for line, cells in found:
        if isinstance(cells, str):
            problems.add(
                ProblemCode.BAD_SYNTAX,
                f"not valid CSV: {cells}",
                line,
                expected='cells quoted with "..." and every quote closed',
            )
            continue
        if not any(c.strip() for c in cells):
            continue  # blank lines separate nothing in a dictionary
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            problems.add(
                ProblemCode.BAD_SYNTAX,
                f"the row has {len(cells)} cells but the header only {len(header)}",
                line,
                expected="one cell per column",
            )
            continue
        row = Row(
            line=line,
            cells={name: cell for name, cell in zip(header, cells) if name is not None},
        )
        rows.append(row)
    _check_rows(rows, problems)
    if problems.items:
        raise DefinitionError(problems.items)
    return rows


def _header(
    cells: Sequence[str], line: int, problems: _Problems, notes: ReportBuilder
) -> list[str | None]:
    header: list[str | None] = []
    for position, cell in enumerate(cells, 1):
        name = standard_header(cell)
        if name is not None and name in problems.written:
            problems.add(
                ProblemCode.DUPLICATE_KEY,
                f"column {cell.strip()!r} is given twice",
                line,
                got=f"also as {problems.written[name]!r}",
            )
            name = None
        elif name is not None:
            problems.written[name] = cell.strip()
        elif cell.strip():
            notes.dropped(
                "column",
                f"{cell.strip()!r} is not a column of REDCap's data dictionary; its cells are "
                "not read",
                line=line,
                column=position,
            )
        header.append(name)
    if not problems.written:
        problems.add(
            ProblemCode.WRONG_FILE_KIND,
            "not a REDCap data dictionary: its first line names none of REDCap's columns",
            line,
            expected="a header such as 'Variable / Field Name,Form Name,Section Header,"
            "Field Type,...'",
            got=repr(",".join(cells)[:80]),
        )
        return header
    for name in REQUIRED:
        if name not in problems.written:
            problems.add(
                ProblemCode.MISSING_KEY,
                f"the column {COLUMNS[name][0]!r} is missing",
                line,
                expected=f"a column headed {COLUMNS[name][0]!r} (or {COLUMNS[name][1]!r})",
            )
    return header


def _check_rows(rows: Sequence[Row], problems: _Problems) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        line = row.line
        name = row.get("field_name")
        if not name:
            problems.add(ProblemCode.MISSING_KEY, "the field has no name", line, "field_name")
        elif name in seen:
            problems.add(
                ProblemCode.DUPLICATE_ID,
                f"field {name!r} is defined twice",
                line,
                "field_name",
                got=f"first on line {seen[name]}",
            )
        else:
            seen[name] = line
        if not row.get("form_name"):
            problems.add(
                ProblemCode.MISSING_KEY, f"field {name!r} has no form name", line, "form_name"
            )
        kind = row.get("field_type")
        if kind not in FIELD_TYPES:
            problems.add(
                ProblemCode.UNKNOWN_KIND,
                f"field {name!r} has an unknown field type",
                line,
                "field_type",
                expected=one_of(FIELD_TYPES),
                got=repr(kind),
            )
            continue
        _check_cells(row, name, kind, problems)


def _check_cells(row: Row, name: str, kind: str, problems: _Problems) -> None:
    line = row.line
    if kind in CHOICE_TYPES:
        choices, errors = parse_choices(row.raw("choices"))
        for error in errors:
            problems.add(
                ProblemCode.BAD_CELL,
                f"field {name!r}: {error.message}",
                line,
                "choices",
                expected="choices such as '0, Not at all | 1, Several days'",
                got=error.got,
            )
        if not choices and not errors:
            problems.add(
                ProblemCode.BAD_CELL,
                f"{kind} field {name!r} has no choices",
                line,
                "choices",
                expected="choices such as '0, Not at all | 1, Several days'",
            )
    if kind == "calc" and not row.get("choices"):
        problems.add(
            ProblemCode.BAD_CELL,
            f"calc field {name!r} has no calculation",
            line,
            "choices",
            expected="a calculation such as 'sum([q1], [q2])'",
        )
    numeric = kind == "slider" or (
        kind == "text" and numeric_validation(row.get("validation")) is not None
    )
    if not numeric:
        return
    bounds: list[float] = []
    for column in ("validation_min", "validation_max"):
        cell = row.get(column)
        if not cell:
            continue
        value = number(cell)
        if value is None and not PIPED.fullmatch(cell):
            problems.add(
                ProblemCode.BAD_CELL,
                f"field {name!r}: the bound is not a number",
                line,
                column,
                expected="a number such as 0 or 7.5",
                got=repr(cell),
            )
        elif value is not None:
            bounds.append(value)
    if kind == "slider":
        # a slider without a bound runs from 0 to 100
        low, high = number(row.get("validation_min")), number(row.get("validation_max"))
        bounds = [0.0 if low is None else low, 100.0 if high is None else high]
    if len(bounds) == 2 and bounds[0] > bounds[1]:
        problems.add(
            ProblemCode.BAD_VALUE,
            f"field {name!r}: the minimum is above the maximum",
            line,
            "validation_max",
            got=f"{bounds[0]:g} > {bounds[1]:g}",
        )
