"""Responses in Excel workbooks (``.xlsx``), and XLSX answer sheets.

The first worksheet holds the table: a header row (``respondent``, ``meta.<key>``, question ids)
and one row per respondent, exactly as in CSV files (see :mod:`weltoffen.serialization.csv`).
Answer sheets written by :func:`write_xlsx_template` add cell comments with each question, drop-down
lists for single-choice cells, and a second worksheet explaining every code.

Needs the optional extra ``xlsx`` (openpyxl), imported only when one of these functions runs.
Problems name the worksheet cell (``D7``) besides the file and row.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

from weltoffen.exceptions import Problem, ResponseError
from weltoffen.model.answers import Response, State
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.serialization.api import write_bytes
from weltoffen.serialization.csv import responses_from_rows
from weltoffen.serialization.templates import (
    MetaField,
    guide,
    metadata_fields,
    phrase,
    sheet_columns,
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
                    "",
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


def _read_sheet(name: str) -> tuple[list[object], list[tuple[object, ...]]]:
    openpyxl = _openpyxl()
    try:
        workbook = openpyxl.load_workbook(name, read_only=True, data_only=True)
    except FileNotFoundError:
        raise ResponseError([Problem("", "no such file", file=name)]) from None
    except OSError as exc:
        raise ResponseError(
            [Problem("", f"cannot read file: {exc.strerror or exc}", file=name)]
        ) from None
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        # openpyxl reports a file that is not a workbook in several ways
        raise ResponseError(
            [Problem("", "not an Excel workbook (.xlsx)", got=type(exc).__name__, file=name)]
        ) from None
    except Exception as exc:  # e.g. openpyxl's InvalidFileException for other file types
        raise ResponseError(
            [Problem("", f"not an Excel workbook (.xlsx): {exc}", file=name)]
        ) from None
    try:
        sheet = workbook.worksheets[0]
        table = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    if not table:
        return [], []
    return list(table[0]), table[1:]


def _locate(problems: Sequence[Problem], header: Sequence[object]) -> list[Problem]:
    """Name the cell of each problem: its column (by the header name in the path) and row."""
    columns = {str(name).strip(): i for i, name in enumerate(header) if name is not None}
    out = []
    for p in problems:
        position = columns.get(p.path)
        if position is None and p.path.startswith("column ") and p.path[7:].isdigit():
            position = int(p.path[7:]) - 1
        if position is not None and p.line is not None:
            cell = f"{_letter(position)}{p.line}"
            label = p.path if p.path in columns else ""
            p = attrs.evolve(p, path=f"{cell} ({label})" if label else cell)
        out.append(p)
    return out


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
                qid = p.path.removeprefix("answers.")
                position = columns.get(qid)
                cell = f"{_letter(position)}{row}" if position is not None else ""
                problems.append(
                    attrs.evolve(p, path=f"{cell} ({qid})" if cell else p.path, file=name, line=row)
                )
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
        responses: Rows to fill in (answers and metadata), for a prefilled sheet.
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
    yes, no = phrase("yes", lang), phrase("no", lang)
    sections = guide(questionnaire, lang, spreadsheet=True)
    questions = {qg.id: (s, qg) for s in sections for qg in s.questions}
    columns = sheet_columns(questionnaire, fields)
    default = questionnaire.language

    book = openpyxl.Workbook()
    sheet: Worksheet = book.active
    sheet.title = phrase("sheet_answers", lang)
    bold = Font(bold=True)
    shade = PatternFill("solid", start_color="DDE7F0")
    for position, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=position, value=column)
        cell.font = bold
        cell.fill = shade
        note = _column_note(column, questions, fields, lang, default)
        if note:
            cell.comment = Comment(note, "weltoffen", width=420, height=260)
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
    for row, response in enumerate(responses, start=2):
        for position, column in enumerate(columns, start=1):
            value = _cell_value(response, column, yes, no)
            if value is not None:
                sheet.cell(row=row, column=position, value=value)

    codes = book.create_sheet(phrase("codes", lang))
    _codes_sheet(codes, sections, fields, lang, default, bold, shade, Alignment)
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
    if len(formula) > _LIST_LIMIT or any('"' in c or "," in c for c in codes):
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


def _cell_value(response: Response, column: str, yes: str, no: str) -> Any:
    if column == "respondent":
        return response.respondent
    if column.startswith("meta."):
        return response.metadata.get(column[len("meta.") :])
    value = response.answers.get(column)
    if value is None or value is State.SKIPPED:
        return None
    if isinstance(value, State):
        return value.value
    if isinstance(value, bool):
        return yes if value else no
    if isinstance(value, tuple):
        return ";".join(value)
    return value


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

    wrap = alignment(wrap_text=True, vertical="top")
    sheet.append([phrase("codes_intro", lang)])
    sheet.append([])
    head = [
        phrase("id", lang),
        phrase("section", lang),
        phrase("question", lang),
        phrase("help", lang),
        phrase("condition", lang),
        phrase("allowed", lang),
    ]
    sheet.append(head)
    for cell in sheet[sheet.max_row]:
        cell.font = bold
        cell.fill = shade
    sheet.append(["respondent", "", phrase("respondent", lang), "", "", ""])
    for f in fields:
        allowed = "\n".join(f"{v} = {pick(m, lang, default)}" for v, m in f.values)
        sheet.append([f"meta.{f.key}", "", pick(f.label, lang, default), "", "", allowed])
    for section in sections:
        for qg in section.questions:
            allowed = "\n".join([qg.intro, *(f"{c} = {m}" for c, m in qg.answers)])
            sheet.append(
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
