"""The cells of an XLSForm workbook, so that every problem can name its sheet, row and column.

pyxform reads the form's meaning but forgets where each piece stood; this module reads the same
sheets with openpyxl and keeps, for every row, each header's cell. Headers are compared the way
pyxform compares them: without surrounding spaces and case (the UCL form's ``name `` header).
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from weltoffen.exceptions import DefinitionError, Problem, ProblemCode
from weltoffen.serialization.xlsx import column_letter

__all__ = ["Cell", "Row", "Workbook", "read_workbook"]

#: A run of this many empty rows ends a sheet (some files claim a million rows).
EMPTY_RUN = 1000

#: Most rows read from one sheet; a form has a few hundred.
MAX_ROWS = 100_000


@attrs.frozen
class Cell:
    """One cell's text and place: ``survey!M4``."""

    sheet: str
    row: int
    column: str  # the letter
    header: str
    text: str

    @property
    def ref(self) -> str:
        return f"{self.sheet}!{self.column}{self.row}"

    def where(self) -> str:
        """The place for people: sheet, row and column (with its header)."""
        return f"sheet {self.sheet!r}, row {self.row}, column {self.column} ({self.header})"


@attrs.frozen
class Row:
    """One row of a sheet: its 1-based number and its cells by normalised header."""

    sheet: str
    number: int
    cells: Mapping[str, Cell]

    def get(self, header: str) -> str:
        cell = self.cells.get(header)
        return cell.text if cell is not None else ""

    def cell(self, header: str) -> Cell | None:
        return self.cells.get(header)


@attrs.frozen
class Workbook:
    """The sheets of a workbook, each as its rows below the header (blank rows left out)."""

    path: str
    sheets: Mapping[str, tuple[Row, ...]]
    columns: Mapping[str, tuple[str, ...]]

    def rows(self, sheet: str) -> tuple[Row, ...]:
        return self.sheets.get(sheet, ())

    def headers(self, sheet: str) -> tuple[str, ...]:
        """The sheet's column headers, normalised, in order."""
        return self.columns.get(sheet, ())


def normal(header: object) -> str:
    """A header as pyxform compares it: stripped, lower case, ``label::X`` keeps X's case."""
    text = str(header).strip()
    head, sep, tail = text.partition("::")
    return head.strip().lower() + (sep + tail.strip() if sep else "")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _rows(sheet: Any, title: str, header: list[str]) -> Iterator[Row]:
    """The rows below the header; *header* is filled with the header row's names."""
    empty = 0
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > MAX_ROWS:
            break
        texts = [_text(v) for v in values]
        if not any(t.strip() for t in texts):
            empty += 1
            if empty >= EMPTY_RUN:
                break
            continue
        empty = 0
        if not header:
            header.extend(normal(t) for t in texts)
            continue
        cells = {
            header[i]: Cell(title, number, column_letter(i), header[i], text)
            for i, text in enumerate(texts)
            if i < len(header) and header[i] and text.strip()
        }
        yield Row(title, number, cells)


def read_workbook(path: str | os.PathLike[str]) -> Workbook:
    """The sheets of the workbook at *path* (``survey``, ``choices``, ``settings``, ...).

    Raises:
        DefinitionError: The file is missing, no workbook, or has no ``survey`` sheet.
    """
    name = os.fspath(path)
    try:
        import openpyxl
    except ImportError:  # the optional extra is missing
        raise DefinitionError(
            [
                Problem(
                    ProblemCode.MISSING_DEPENDENCY,
                    "reading XLSForm workbooks needs openpyxl and pyxform",
                    expected="pip install 'weltoffen[xlsform]'",
                )
            ]
        ) from None
    try:
        book = openpyxl.load_workbook(name, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise DefinitionError(
            [
                Problem(
                    ProblemCode.WRONG_FILE_KIND,
                    f"not a readable .xlsx workbook ({type(error).__name__}: {error})",
                    file=name,
                )
            ]
        ) from None
    sheets: dict[str, tuple[Row, ...]] = {}
    columns: dict[str, tuple[str, ...]] = {}
    try:
        for sheet in book.worksheets:
            key = sheet.title.strip().lower()
            header: list[str] = []
            sheets[key] = tuple(_rows(sheet, sheet.title, header))
            columns[key] = tuple(h for h in header if h)
    finally:
        book.close()
    if "survey" not in sheets:
        raise DefinitionError(
            [
                Problem(
                    ProblemCode.WRONG_FILE_KIND,
                    "an XLSForm needs a sheet called 'survey'",
                    got=", ".join(sorted(sheets)) or "no sheets",
                    file=name,
                )
            ]
        )
    return Workbook(name, sheets, columns)
