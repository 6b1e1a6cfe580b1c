"""Responses in Excel workbooks (``.xlsx``).

The first worksheet holds the table: a header row (``respondent``, ``meta.<key>``, question ids)
and one row per respondent, exactly as in CSV files (see :mod:`weltoffen.serialization.csv`).
Answer sheets to fill in are written by :mod:`weltoffen.serialization.xlsx_template`.

Needs the optional extra ``xlsx`` (openpyxl), imported only when one of these functions runs.
Problems name the worksheet cell (``D7``) besides the file and row.

Reading is guarded: the archive is checked against :data:`MAX_ENTRIES`,
:data:`MAX_UNPACKED_BYTES` and :data:`MAX_RATIO` before anything is unpacked, and the worksheet
against :data:`MAX_ROWS`, :data:`MAX_COLUMNS` and :data:`MAX_CELLS` while it is read. A formula
cell counts with the value the spreadsheet program stored for it; one without a stored value is
refused by sheet and cell.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import zipfile
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import attrs

from weltoffen.exceptions import Location, Problem, ProblemCode, ResponseError
from weltoffen.model.answers import Response
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.serialization.api import MAX_BYTES, Source
from weltoffen.serialization.csv import responses_from_rows
from weltoffen.serialization.responses import column_location
from weltoffen.serialization.sheet import SheetReader, Table
from weltoffen.serialization.xlsx_rows import Row

__all__ = [
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_ENTRIES",
    "MAX_RATIO",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "RATIO_CHECKED_FROM",
    "column_letter",
    "import_openpyxl",
    "load_responses_xlsx",
    "locate_cells",
    "located_responses_xlsx",
    "streamed_table",
]

# Limits on a workbook that is read. An answer sheet is far below every one of them; a file beyond
# one (an archive bomb: a few hundred KB that unpack to gigabytes, or a sheet that claims a million
# rows) is refused with a message naming the limit, before it can take minutes or fill the memory.
#: Files inside the archive (a workbook of one sheet has about a dozen).
MAX_ENTRIES = 1000
#: Bytes of all files of the archive together, unpacked; the limit of text files, too.
MAX_UNPACKED_BYTES = MAX_BYTES
#: Unpacked over packed size of one file (spreadsheet XML packs about 5 to 20 times)...
MAX_RATIO = 100
#: ...checked for files that unpack to more than this many bytes (tiny files may pack very well).
RATIO_CHECKED_FROM = 1024 * 1024
#: Rows of the first worksheet, the header included.
MAX_ROWS = 100_000
#: Columns of the first worksheet: respondent, metadata and one per question.
MAX_COLUMNS = 2_000
#: Cells of the first worksheet, counted up to the last one of each row (a row with one value far
#: to the right takes the memory of all the cells before it).
MAX_CELLS = 5_000_000


def import_openpyxl() -> Any:
    """The openpyxl module; without it, a problem that names the extra to install."""
    try:
        import openpyxl
    except ImportError:  # the optional extra is missing
        raise ResponseError(
            [
                Problem(
                    ProblemCode.MISSING_DEPENDENCY,
                    "reading and writing .xlsx files needs openpyxl",
                    expected="pip install 'weltoffen[xlsx]'",
                )
            ]
        ) from None
    return openpyxl


def column_letter(position: int) -> str:
    """Spreadsheet column letters of the 0-based *position* (0 -> A, 26 -> AA)."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def load_responses_xlsx(
    path: Source,
    questionnaire: Questionnaire,
    dont_know: str = "dont_know",
    not_applicable: str = "not_applicable",
    *,
    check: bool = True,
) -> list[Response]:
    """Responses from the first worksheet of an Excel workbook, one row per respondent.

    Args:
        path: The ``.xlsx`` file.
        questionnaire: Names the question ids that columns may use.
        dont_know: The cell text that means "don't know".
        not_applicable: The cell text that means "not applicable".
        check: Also check every answer against its question (options, ranges) as scoring would,
            so that such mistakes are reported with their cell, too.

    Returns:
        One response per non-empty row.

    Raises:
        ResponseError: With every problem at once, each naming the file, row and cell.
    """
    located = located_responses_xlsx(path, questionnaire, dont_know, not_applicable, check=check)
    return [response for response, _ in located]


def located_responses_xlsx(
    path: Source,
    questionnaire: Questionnaire,
    dont_know: str = "dont_know",
    not_applicable: str = "not_applicable",
    *,
    check: bool = True,
) -> list[tuple[Response, int]]:
    """As :func:`load_responses_xlsx`, with the worksheet row of each response."""
    name = os.fspath(path)
    header, rows = _read_sheet(name)
    try:
        responses = responses_from_rows(
            header,
            rows,
            questionnaire,
            file=name,
            first_line=2,
            dont_know=dont_know,
            not_applicable=not_applicable,
        )
    except ResponseError as exc:
        raise ResponseError(locate_cells(exc.problems, header)) from None
    # the reader leaves out rows without any content, so the n-th response is the n-th such row
    numbers = [
        number
        for number, row in enumerate(rows, start=2)
        if not all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row)
    ]
    located = list(zip(responses, numbers))
    if check:
        _check_answers(located, questionnaire, header, name)
    return located


def _read_sheet(name: str) -> tuple[list[object], list[list[object]]]:
    """The header and the rows of the first worksheet, within the limits (see the module text)."""
    _check_archive(name)
    openpyxl = import_openpyxl()
    # Read formulas as formulas first: data_only would give a formula without a stored value as
    # an empty cell, which reads as "skipped" without a word. Other cells read the same either way.
    with _workbook(openpyxl, name, data_only=False) as workbook:
        sheet = workbook.worksheets[0]
        title = sheet.title
        table, formulas = _table(sheet, name)
    if formulas:
        with _workbook(openpyxl, name, data_only=True) as workbook:
            stored = _stored(workbook.worksheets[0], formulas)
        missing = []
        for (row, column), (value, kind) in stored.items():
            # an empty text result is stored as an empty value of type "str"; no type, no value
            if value is None and kind not in ("s", "str"):
                missing.append(_without_value(title, name, row + 1, column))
            table[row][column] = value
        if missing:
            raise ResponseError(missing)
    if not table:
        return [], []
    return table[0], table[1:]


@contextlib.contextmanager
def streamed_table(
    path: Source,
    questionnaire: Questionnaire,
    dont_know: str = "dont_know",
    not_applicable: str = "not_applicable",
    *,
    limit: int | None = None,
) -> Iterator[Table]:
    """The first worksheet as a table read a row at a time, for sheets of any length.

    Read as :func:`load_responses_xlsx` reads (a formula counts with its stored value, one
    without is refused by cell), but nothing is held: the limits on rows and cells do not
    apply, nor those on the file's size and the total it unpacks to; the packing ratio, the
    number of files in the archive and :data:`MAX_COLUMNS` do. Problems name the row and the
    column; :func:`locate_cells` adds the cell.

    Raises:
        ResponseError: The file is not a workbook, or beyond the limits that apply.
    """
    from weltoffen.serialization.xlsx_rows import first_worksheet

    name = os.fspath(path)
    _check_archive(name, streamed=True)
    import_openpyxl()  # for the hint to install it
    with contextlib.ExitStack() as stack:
        try:
            title, rows = stack.enter_context(first_worksheet(name))
        except ResponseError:
            raise
        except Exception as exc:
            raise _not_a_workbook(name, exc) from None
        reader = SheetReader(
            questionnaire, name, dont_know, not_applicable, decimal_comma=False, limit=limit
        )
        records = _streamed_rows(rows, title, name, reader.note)
        first = next(records, None)
        if first is None or first[0] != 1:  # the header is the first row, even an empty one
            header: Sequence[object] = []
            records = itertools.chain([first] if first else [], records)
        else:
            header = first[1]
        yield Table(reader, 1, header, records, None)


def _streamed_rows(
    rows: Iterator[Row], title: str, name: str, note: Callable[[Problem], None]
) -> Iterator[tuple[int, Sequence[object]]]:
    """(row number, values) of *rows*; a formula without a stored value is noted."""
    while True:
        try:
            row = next(rows, None)
        except ResponseError:
            raise
        except Exception as exc:  # a damaged worksheet shows only as it is read
            raise _damaged(name, exc) from None
        if row is None:
            return
        number, values, missing = row
        if len(values) > MAX_COLUMNS:
            raise _beyond(title, name, len(values) - 1, number, f"{MAX_COLUMNS} columns")
        for column in missing:
            note(_without_value(title, name, number, column))
        yield number, values


def _check_archive(name: str, *, streamed: bool = False) -> None:
    """Refuse a workbook whose archive is beyond the limits, before anything is unpacked.

    A *streamed* workbook is read a row at a time and never held: its file size and the total
    it unpacks to are not limited (the number of files and the packing ratio still are).
    """
    try:
        size = os.path.getsize(name)
        with zipfile.ZipFile(name) as archive:
            entries = archive.infolist()
    except (OSError, zipfile.BadZipFile, ValueError):
        return  # not there or not an archive: reading it says so
    if size > MAX_BYTES and not streamed:
        raise ResponseError(
            [Problem(ProblemCode.TOO_LARGE, f"file is too large ({size} bytes)", file=name)]
        )
    problems = []
    if len(entries) > MAX_ENTRIES:
        problems.append(
            Problem(
                ProblemCode.TOO_LARGE,
                f"the archive holds {len(entries)} files; the limit is {MAX_ENTRIES}",
                file=name,
            )
        )
    total = sum(entry.file_size for entry in entries)
    if total > MAX_UNPACKED_BYTES and not streamed:
        problems.append(
            Problem(
                ProblemCode.TOO_LARGE,
                f"the archive unpacks to {total} bytes; the limit is {MAX_UNPACKED_BYTES} bytes",
                file=name,
            )
        )
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > RATIO_CHECKED_FROM and ratio > MAX_RATIO:
            problems.append(
                Problem(
                    ProblemCode.TOO_LARGE,
                    f"unpacks to {ratio:.0f} times its packed size; the limit is {MAX_RATIO} times",
                    location=(entry.filename,),
                    file=name,
                )
            )
    if problems:
        raise ResponseError(problems)


def _open_workbook(openpyxl: Any, name: str, *, data_only: bool) -> Any:
    """The workbook at *name*, opened read-only; a file that is none is a ResponseError."""
    try:
        return openpyxl.load_workbook(name, read_only=True, data_only=data_only)
    except Exception as exc:
        raise _not_a_workbook(name, exc) from None


def _not_a_workbook(name: str, exc: Exception) -> ResponseError:
    """What opening *name* as a workbook raising *exc* means."""
    if isinstance(exc, FileNotFoundError):
        return ResponseError([Problem(ProblemCode.UNREADABLE_FILE, "no such file", file=name)])
    if isinstance(exc, OSError):
        message = f"cannot read file: {exc.strerror or exc}"
        return ResponseError([Problem(ProblemCode.UNREADABLE_FILE, message, file=name)])
    if isinstance(exc, zipfile.BadZipFile | KeyError | ValueError | TypeError):
        # openpyxl reports a file that is not a workbook in several ways
        return ResponseError(
            [
                Problem(
                    ProblemCode.WRONG_FILE_KIND,
                    "not an Excel workbook (.xlsx)",
                    got=type(exc).__name__,
                    file=name,
                )
            ]
        )
    # e.g. openpyxl's InvalidFileException for other file types
    message = f"not an Excel workbook (.xlsx): {exc}"
    return ResponseError([Problem(ProblemCode.WRONG_FILE_KIND, message, file=name)])


@contextlib.contextmanager
def _workbook(openpyxl: Any, name: str, *, data_only: bool) -> Iterator[Any]:
    workbook = _open_workbook(openpyxl, name, data_only=data_only)
    try:
        yield workbook
    except ResponseError:
        raise
    except Exception as exc:  # a damaged worksheet shows only as it is read
        raise _damaged(name, exc) from None
    finally:
        workbook.close()


def _damaged(name: str, exc: Exception) -> ResponseError:
    return ResponseError(
        [
            Problem(
                ProblemCode.WRONG_FILE_KIND,
                "not an Excel workbook (.xlsx): its first worksheet cannot be read",
                got=f"{type(exc).__name__}: {exc}",
                file=name,
            )
        ]
    )


def _table(sheet: Any, name: str) -> tuple[list[list[object]], list[tuple[int, int]]]:
    """The cell values of *sheet*, row by row, and the (row, column) of every formula in it.

    Rows are as long as their last non-empty cell. The sheet's own claim about its size is
    ignored: rows are counted as they are read, so a sheet that claims or holds a million rows
    is refused after :data:`MAX_ROWS`; a cell beyond :data:`MAX_COLUMNS`, and more than
    :data:`MAX_CELLS` cells up to the last one of each row, are refused too.
    """
    sheet.reset_dimensions()  # else every row is padded to the claimed width
    table: list[list[object]] = []
    formulas: list[tuple[int, int]] = []
    count = 0
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        if number > MAX_ROWS:
            raise _beyond(sheet.title, name, 0, number, f"{MAX_ROWS} rows")
        values = [cell.value for cell in cells]
        while values and values[-1] is None:
            values.pop()
        if len(values) > MAX_COLUMNS:
            raise _beyond(sheet.title, name, len(values) - 1, number, f"{MAX_COLUMNS} columns")
        count += len(values)
        if count > MAX_CELLS:
            limit = f"{MAX_CELLS} cells (counted up to the last of each row)"
            raise _beyond(sheet.title, name, 0, number, limit)
        formulas += [
            (number - 1, column)
            for column, cell in enumerate(cells[: len(values)])
            if cell.data_type == "f"
        ]
        table.append(values)
    return table, formulas


def _stored(sheet: Any, cells: Sequence[tuple[int, int]]) -> dict[tuple[int, int], Any]:
    """The stored value and type of each (row, column) of *cells*, in their order.

    Only for a sheet that :func:`_table` has read within the limits already.
    """
    wanted = set(cells)
    last = max(row for row, _ in cells)
    found: dict[tuple[int, int], Any] = {}
    sheet.reset_dimensions()
    for row, values in enumerate(itertools.islice(sheet.iter_rows(), last + 1)):
        for column, cell in enumerate(values):
            if (row, column) in wanted:
                found[row, column] = (cell.value, cell.data_type)
    return {key: found.get(key, (None, "n")) for key in cells}


def _beyond(title: str, name: str, column: int, row: int, limit: str) -> ResponseError:
    """A worksheet limit was passed at the 0-based *column* of *row* of sheet *title*."""
    where = f"{title}!{column_letter(column)}{row}"
    message = f"the worksheet has more than {limit}, the limit"
    return ResponseError([Problem(ProblemCode.TOO_LARGE, message, cell=where, file=name, line=row)])


def _without_value(title: str, name: str, row: int, column: int) -> Problem:
    """The formula at the 0-based *column* of *row* has no stored value."""
    return Problem(
        ProblemCode.BAD_CELL,
        "holds a formula without a stored value",
        cell=f"{title}!{column_letter(column)}{row}",
        expected="the value itself, or the file saved by a spreadsheet program "
        "(which stores the value of every formula)",
        file=name,
        line=row,
    )


def locate_cells(problems: Sequence[Problem], header: Sequence[object]) -> list[Problem]:
    """Name the cell of each problem: its column (by the header name or number) and row."""
    columns = {str(name).strip(): i for i, name in enumerate(header) if name is not None}
    out = []
    for p in problems:
        name = _column_name(p.location)
        position = columns.get(name) if name is not None else None
        if position is None and p.column is not None:
            position = p.column - 1
        if position is not None and p.line is not None:
            named = name is not None and name in columns
            p = attrs.evolve(
                p, cell=f"{column_letter(position)}{p.line}", location=p.location if named else ()
            )
        out.append(p)
    return out


def _column_name(location: Location) -> str | None:
    """The column a table problem at *location* is in, if it names one."""
    if len(location) == 1 and isinstance(location[0], str):
        return location[0]
    return None


def _check_answers(
    located: Sequence[tuple[Response, int]],
    questionnaire: Questionnaire,
    header: Sequence[object],
    name: str,
) -> None:
    """Score each response once so that values off their question are reported by cell."""
    from weltoffen.scoring.engine import score
    from weltoffen.scoring.plan import compile

    plan = compile(questionnaire)
    columns = {str(c).strip(): i for i, c in enumerate(header) if c is not None}
    problems: list[Problem] = []
    for response, row in located:
        try:
            score(plan, response)
        except ResponseError as exc:
            for p in exc.problems:
                place = column_location(p.location)
                qid = _column_name(place)
                position = columns.get(qid) if qid is not None else None
                if position is not None:
                    p = attrs.evolve(p, location=place, cell=f"{column_letter(position)}{row}")
                problems.append(attrs.evolve(p, file=name, line=row))
    if problems:
        raise ResponseError(problems)
