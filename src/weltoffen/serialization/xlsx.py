"""Responses in Excel workbooks (``.xlsx``), and XLSX answer sheets.

The first worksheet holds the table: a header row (``respondent``, ``meta.<key>``, question ids)
and one row per respondent, exactly as in CSV files (see :mod:`weltoffen.serialization.csv`).
Answer sheets written by :func:`write_xlsx_template` add cell comments with each question, drop-down
lists for single-choice cells, and a second worksheet explaining every code.

Needs the optional extra ``xlsx`` (openpyxl), imported only when one of these functions runs.
Problems name the worksheet cell (``D7``) besides the file and row.

Reading is guarded: the archive is checked against :data:`MAX_ENTRIES`,
:data:`MAX_UNPACKED_BYTES` and :data:`MAX_RATIO` before anything is unpacked, and the worksheet
against :data:`MAX_ROWS`, :data:`MAX_COLUMNS` and :data:`MAX_CELLS` while it is read. A formula
cell counts with the value the spreadsheet program stored for it; one without a stored value is
refused by sheet and cell. Writing follows :mod:`weltoffen.serialization.cells`: text is never
stored as a formula.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import zipfile
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from weltoffen.exceptions import Location, Problem, ProblemCode, ResponseError
from weltoffen.model.answers import Response
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.serialization.api import MAX_BYTES, write_bytes
from weltoffen.serialization.cells import make_inert, shown, starts_formula, unstorable
from weltoffen.serialization.csv import responses_from_rows
from weltoffen.serialization.responses import column_location
from weltoffen.serialization.templates import (
    MetaField,
    guide,
    metadata_fields,
    phrase,
    sheet_columns,
    sheet_row,
)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "load_responses_xlsx",
    "located_responses_xlsx",
    "write_xlsx_template",
    "xlsx_template_bytes",
]

Source = str | os.PathLike[str]

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
#: Rows of the answer sheet that get drop-down lists (a cohort rarely exceeds a few hundred).
VALIDATED_ROWS = 500
#: Excel refuses inline drop-down lists longer than this.
_LIST_LIMIT = 255


def _openpyxl() -> Any:
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


def _letter(position: int) -> str:
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
        raise ResponseError(_locate(exc.problems, header)) from None
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
    openpyxl = _openpyxl()
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
                missing.append(
                    Problem(
                        ProblemCode.BAD_CELL,
                        "holds a formula without a stored value",
                        cell=f"{title}!{_letter(column)}{row + 1}",
                        expected="the value itself, or the file saved by a spreadsheet program "
                        "(which stores the value of every formula)",
                        file=name,
                        line=row + 1,
                    )
                )
            table[row][column] = value
        if missing:
            raise ResponseError(missing)
    if not table:
        return [], []
    return table[0], table[1:]


def _check_archive(name: str) -> None:
    """Refuse a workbook whose archive is beyond the limits, before anything is unpacked."""
    try:
        size = os.path.getsize(name)
        with zipfile.ZipFile(name) as archive:
            entries = archive.infolist()
    except (OSError, zipfile.BadZipFile, ValueError):
        return  # not there or not an archive: reading it says so
    if size > MAX_BYTES:
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
    if total > MAX_UNPACKED_BYTES:
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


@contextlib.contextmanager
def _workbook(openpyxl: Any, name: str, *, data_only: bool) -> Iterator[Any]:
    try:
        workbook = openpyxl.load_workbook(name, read_only=True, data_only=data_only)
    except FileNotFoundError:
        raise ResponseError(
            [Problem(ProblemCode.UNREADABLE_FILE, "no such file", file=name)]
        ) from None
    except OSError as exc:
        raise ResponseError(
            [
                Problem(
                    ProblemCode.UNREADABLE_FILE,
                    f"cannot read file: {exc.strerror or exc}",
                    file=name,
                )
            ]
        ) from None
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        # openpyxl reports a file that is not a workbook in several ways
        raise ResponseError(
            [
                Problem(
                    ProblemCode.WRONG_FILE_KIND,
                    "not an Excel workbook (.xlsx)",
                    got=type(exc).__name__,
                    file=name,
                )
            ]
        ) from None
    except Exception as exc:  # e.g. openpyxl's InvalidFileException for other file types
        raise ResponseError(
            [
                Problem(
                    ProblemCode.WRONG_FILE_KIND, f"not an Excel workbook (.xlsx): {exc}", file=name
                )
            ]
        ) from None
    try:
        yield workbook
    except ResponseError:
        raise
    except Exception as exc:  # a damaged worksheet shows only as it is read
        raise ResponseError(
            [
                Problem(
                    ProblemCode.WRONG_FILE_KIND,
                    "not an Excel workbook (.xlsx): its first worksheet cannot be read",
                    got=f"{type(exc).__name__}: {exc}",
                    file=name,
                )
            ]
        ) from None
    finally:
        workbook.close()


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
            raise _beyond(sheet, name, 0, number, f"{MAX_ROWS} rows")
        values = [cell.value for cell in cells]
        while values and values[-1] is None:
            values.pop()
        if len(values) > MAX_COLUMNS:
            raise _beyond(sheet, name, len(values) - 1, number, f"{MAX_COLUMNS} columns")
        count += len(values)
        if count > MAX_CELLS:
            limit = f"{MAX_CELLS} cells (counted up to the last of each row)"
            raise _beyond(sheet, name, 0, number, limit)
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


def _beyond(sheet: Any, name: str, column: int, row: int, limit: str) -> ResponseError:
    """A worksheet limit was passed at the 0-based *column* of *row*."""
    where = f"{sheet.title}!{_letter(column)}{row}"
    message = f"the worksheet has more than {limit}, the limit"
    return ResponseError([Problem(ProblemCode.TOO_LARGE, message, cell=where, file=name, line=row)])


def _locate(problems: Sequence[Problem], header: Sequence[object]) -> list[Problem]:
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
                p, cell=f"{_letter(position)}{p.line}", location=p.location if named else ()
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
                    p = attrs.evolve(p, location=place, cell=f"{_letter(position)}{row}")
                problems.append(attrs.evolve(p, file=name, line=row))
    if problems:
        raise ResponseError(problems)


# -- answer sheets -----------------------------------------------------------------------------


def write_xlsx_template(
    questionnaire: Questionnaire,
    path: Source,
    *,
    language: str | None = None,
    metadata: Sequence[MetaField] | None = None,
    responses: Sequence[Response] = (),
) -> None:
    """Write an Excel answer sheet: one row per respondent, codes explained on a second sheet.

    The file is written whole or not at all.

    Args:
        questionnaire: The instrument.
        path: Where to write (``.xlsx``).
        language: Language of texts and explanations (default: the questionnaire's).
        metadata: Metadata columns (default:
            :func:`~weltoffen.serialization.templates.metadata_fields`).
        responses: Rows to fill in (answers and metadata), for a prefilled sheet; metadata keys
            that *metadata* lacks get columns of their own.
    """
    data = xlsx_template_bytes(
        questionnaire, language=language, metadata=metadata, responses=responses
    )
    write_bytes(path, data)


def xlsx_template_bytes(
    questionnaire: Questionnaire,
    *,
    language: str | None = None,
    metadata: Sequence[MetaField] | None = None,
    responses: Sequence[Response] = (),
) -> bytes:
    """The workbook :func:`write_xlsx_template` writes, as bytes."""
    openpyxl = _openpyxl()
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    lang = language or questionnaire.language
    fields = tuple(metadata if metadata is not None else metadata_fields(questionnaire))
    sections = guide(questionnaire, lang, spreadsheet=True)
    questions = {qg.id: (s, qg) for s in sections for qg in s.questions}
    columns = sheet_columns(questionnaire, fields, responses)
    default = questionnaire.language

    book = openpyxl.Workbook()
    sheet: Worksheet = book.active
    sheet.title = phrase("sheet_answers", lang)
    bold = Font(bold=True)
    shade = PatternFill("solid", start_color="DDE7F0")
    for position, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=position, value=shown(column))
        cell.font = bold
        cell.fill = shade
        note = _column_note(column, questions, fields, lang, default)
        if note:
            cell.comment = Comment(shown(note), "weltoffen", width=420, height=260)
        sheet.column_dimensions[_letter(position - 1)].width = 14 if column in questions else 18
        entry = questions.get(column)
        if entry is not None:
            codes = [code for code, _ in entry[1].answers] if not entry[1].multiple else []
            _drop_down(sheet, DataValidation, codes, position, lang)
        elif column.startswith("meta."):
            field = next((f for f in fields if f"meta.{f.key}" == column), None)
            if field is not None and field.values:
                _drop_down(sheet, DataValidation, [v for v, _ in field.values], position, lang)
    sheet.freeze_panes = "B2"
    _fill(sheet, columns, responses, lang)

    codes = book.create_sheet(phrase("codes", lang))
    _codes_sheet(codes, sections, fields, lang, default, bold, shade, Alignment)
    make_inert(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _column_note(
    column: str,
    questions: dict[str, Any],
    fields: Sequence[MetaField],
    lang: str,
    default: str,
) -> str:
    from weltoffen.model.text import pick

    if column == "respondent":
        return phrase("respondent", lang)
    if column.startswith("meta."):
        for f in fields:
            if f"meta.{f.key}" == column:
                lines = [pick(f.label, lang, default)]
                lines += [f"{v} = {pick(m, lang, default)}" for v, m in f.values]
                return "\n".join(lines)
        return ""
    _, qg = questions[column]
    lines = [qg.text]
    if qg.condition:
        lines.append(phrase("only_if", lang).format(condition=qg.condition))
    lines.append(qg.intro)
    lines += [f"{code} = {meaning}" for code, meaning in qg.answers]
    return "\n".join(lines)


def _drop_down(sheet: Any, validation: Any, codes: Sequence[str], column: int, lang: str) -> None:
    """A drop-down list of *codes* for the column, when Excel can hold it inline."""
    if not codes:
        return
    formula = ",".join(codes)
    unfit = ('"' in c or "," in c or unstorable(c) or starts_formula(c) for c in codes)
    if len(formula) > _LIST_LIMIT or any(unfit):  # a chosen "=x" may be taken as typed in
        return
    dv = validation(
        type="list",
        formula1=f'"{formula}"',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",  # a warning, not a refusal: other spellings (true/false) still load
        error=phrase("codes_intro", lang),
    )
    letter = _letter(column - 1)
    dv.add(f"{letter}2:{letter}{VALIDATED_ROWS + 1}")
    sheet.add_data_validation(dv)


def _fill(sheet: Any, columns: Sequence[str], responses: Sequence[Response], lang: str) -> None:
    """One row per response; text that XLSX cannot hold is refused, naming respondent and column.

    Unlike explanations, these cells are loaded back, so they are never altered to fit.
    """
    problems = []
    for row, response in enumerate(responses, start=2):
        for position, value in enumerate(sheet_row(response, columns, lang), start=1):
            char = unstorable(value) if isinstance(value, str) else None
            if char is not None:
                problems.append(
                    Problem(
                        ProblemCode.BAD_CELL,
                        f"respondent {response.respondent!r}: the text holds {char!r}, a "
                        "character an XLSX file cannot store",
                        location=(columns[position - 1],),
                        expected="text without control characters, or a YAML or CSV sheet",
                    )
                )
            elif value is not None:
                sheet.cell(row=row, column=position, value=value)
    if problems:
        raise ResponseError(problems)


def _codes_sheet(
    sheet: Any,
    sections: Sequence[Any],
    fields: Sequence[MetaField],
    lang: str,
    default: str,
    bold: Any,
    shade: Any,
    alignment: Any,
) -> None:
    from weltoffen.model.text import pick

    def add(values: Sequence[str]) -> None:
        sheet.append([shown(value) for value in values])  # explanations; escaped, never refused

    wrap = alignment(wrap_text=True, vertical="top")
    add([phrase("codes_intro", lang)])
    add([])
    head = [
        phrase("id", lang),
        phrase("section", lang),
        phrase("question", lang),
        phrase("help", lang),
        phrase("condition", lang),
        phrase("allowed", lang),
    ]
    add(head)
    for cell in sheet[sheet.max_row]:
        cell.font = bold
        cell.fill = shade
    add(["respondent", "", phrase("respondent", lang), "", "", ""])
    for f in fields:
        allowed = "\n".join(f"{v} = {pick(m, lang, default)}" for v, m in f.values)
        add([f"meta.{f.key}", "", pick(f.label, lang, default), "", "", allowed])
    for section in sections:
        for qg in section.questions:
            allowed = "\n".join([qg.intro, *(f"{c} = {m}" for c, m in qg.answers)])
            add(
                [
                    qg.id,
                    f"{section.number} {section.title}",
                    qg.text,
                    qg.help,
                    phrase("only_if", lang).format(condition=qg.condition) if qg.condition else "",
                    allowed,
                ]
            )
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = wrap
    for letter, width in zip("ABCDEF", (16, 28, 60, 50, 30, 60)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A4"
