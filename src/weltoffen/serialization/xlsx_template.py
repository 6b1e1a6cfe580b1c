"""XLSX answer sheets: one row per respondent, codes explained on a second worksheet.

Answer sheets written by :func:`write_xlsx_template` have the columns of the CSV sheet (see
:mod:`weltoffen.serialization.templates`), cell comments with each question, drop-down lists for
single-choice cells, and a second worksheet explaining every code. They load back with
:mod:`weltoffen.serialization.xlsx`.

Needs the optional extra ``xlsx`` (openpyxl), imported only when one of these functions runs.
Writing follows :mod:`weltoffen.serialization.cells`: text is never stored as a formula.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from weltoffen.exceptions import Problem, ProblemCode, ResponseError
from weltoffen.model.answers import Response
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.sheet_metadata import MetaField, metadata_fields
from weltoffen.serialization.api import Source, write_bytes
from weltoffen.serialization.cells import make_inert, shown, starts_formula, unstorable
from weltoffen.serialization.guide import guide, phrase
from weltoffen.serialization.templates import sheet_columns, sheet_row
from weltoffen.serialization.xlsx import column_letter, import_openpyxl

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["write_xlsx_template", "xlsx_template_bytes"]

#: Rows of the answer sheet that get drop-down lists (a cohort rarely exceeds a few hundred).
VALIDATED_ROWS = 500
#: Excel refuses inline drop-down lists longer than this.
_LIST_LIMIT = 255


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
            :func:`~weltoffen.model.sheet_metadata.metadata_fields`).
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
    openpyxl = import_openpyxl()
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
        sheet.column_dimensions[column_letter(position - 1)].width = (
            14 if column in questions else 18
        )
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
    letter = column_letter(column - 1)
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
