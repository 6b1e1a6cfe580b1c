"""The rows of a workbook's first worksheet, read with expat: openpyxl's values, faster.

openpyxl reads a worksheet cell by cell through ElementTree and makes an object of every cell,
and in read-only mode it parses a sheet without a size record once more just to size it: about
a thousand rows of 100 cells a second. For sheets of any length (streamed scoring,
:mod:`weltoffen.stream`) the worksheet's XML is read here with expat, a row at a time, while
openpyxl does what it does well: the package's parts, the shared strings, the styles that make
a number a date, and the conversion of date numbers.

Each cell's value is the one openpyxl's read-only worksheet gives with ``data_only=True`` (the
tests hold the two equal): a formula counts with the value the spreadsheet program stored for
it, and one without a stored value is reported by column. A document type declaration is
refused (no entity of any kind is expanded).
"""

from __future__ import annotations

import contextlib
import xml.parsers.expat
from collections.abc import Iterator
from typing import IO, Any

__all__ = ["Row", "first_worksheet"]

#: A row: its number (1-based), its values up to the last non-empty one or formula, and the
#: 0-based columns of formulas without a stored value (which read as empty).
Row = tuple[int, list[object], list[int]]

_CHUNK = 1 << 20


@contextlib.contextmanager
def first_worksheet(archive_name: str) -> Iterator[tuple[str, Iterator[Row]]]:
    """The title and the rows of the first worksheet of the workbook *archive_name*.

    Raises:
        Exception: What openpyxl raises for a file that is not a workbook (the caller says so);
            ``ValueError`` for worksheet XML that is not well-formed or declares a document
            type, as the rows are read.
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    reader = ExcelReader(archive_name, read_only=True, data_only=True, keep_links=False)
    try:
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        found = next(
            (
                (sheet.name, rel.target)
                for sheet, rel in reader.parser.find_sheets()
                if rel.target in reader.valid_files and "chartsheet" not in rel.Type
            ),
            None,
        )
        if found is None:
            raise ValueError("the workbook has no worksheet")
        title, part = found
        wb: Any = reader.wb  # its date styles are openpyxl's own attributes
        cells = _Cells(reader.shared_strings, wb._date_formats, wb._timedelta_formats, wb.epoch)
        with reader.archive.open(part) as source:
            yield title, _rows(source, cells)
    finally:
        reader.archive.close()


class _Cells:
    """Turns a cell's XML (type, style, stored text) into openpyxl's value."""

    def __init__(self, shared: list[str], dates: set[int], durations: set[int], epoch: Any) -> None:
        from openpyxl.utils.datetime import from_excel, from_ISO8601

        self.shared = shared
        self.dates = dates
        self.durations = durations
        self.epoch = epoch
        self.from_excel: Any = from_excel
        self.from_iso: Any = from_ISO8601

    def value(self, kind: str, style: int, text: str | None) -> object:
        if text is None:
            return None
        if kind == "n":
            number: float = (
                float(text) if ("." in text or "e" in text or "E" in text) else int(text)
            )
            if style in self.dates:
                try:
                    return self.from_excel(number, self.epoch, timedelta=style in self.durations)
                except (OverflowError, ValueError):
                    return "#VALUE!"  # as openpyxl: a date number beyond the dates
            return number
        if kind == "s":
            return self.shared[int(text)]
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return self.from_iso(text)
        return text  # "str" (a formula's text), "e" (an error such as #N/A)


def _rows(source: IO[bytes], cells: _Cells) -> Iterator[Row]:
    """The rows of the worksheet XML in *source*, as they are parsed."""
    state = _State(cells)
    parser = xml.parsers.expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _no_doctype
    parser.StartElementHandler = state.start
    parser.EndElementHandler = state.end
    parser.CharacterDataHandler = state.text
    parser.buffer_text = True
    while True:
        chunk = source.read(_CHUNK)
        try:
            parser.Parse(chunk, not chunk)
        except xml.parsers.expat.ExpatError as exc:
            raise ValueError(f"the worksheet is not well-formed XML: {exc}") from None
        yield from state.done
        state.done.clear()
        if not chunk:
            return


def _no_doctype(*_: object) -> None:
    raise ValueError("the worksheet declares a document type")


class _State:
    """Where expat is in the worksheet, and the rows finished since it was last asked."""

    def __init__(self, cells: _Cells) -> None:
        self.cells = cells
        self.done: list[Row] = []
        self.row = 0  # the number of the row being read
        self.last = 0  # the number of the last row given
        self.values: list[object] = []
        self.missing: list[int] = []
        self.column = 0  # 1-based, of the cell being read
        self.kind = "n"
        self.style = 0
        self.formula = False
        self.stored: list[str] | None = None  # the text of <v>, once seen
        self.inline: list[str] | None = None  # the text of <is>, once seen
        self.capture: list[str] | None = None  # where text goes now
        self.phonetic = 0  # inside <rPh>: text that is not the cell's

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = name.rpartition("}")[2]
        if tag == "c":
            ref = attrs.get("r")
            self.column = _column(ref) if ref else self.column + 1
            self.kind = attrs.get("t", "n")
            self.style = int(attrs.get("s") or 0)
            self.formula = False
            self.stored = self.inline = None
        elif tag == "v":
            self.stored = self.capture = []
        elif tag == "f":
            self.formula = True
        elif tag == "is":
            self.inline = []
        elif tag == "t" and self.inline is not None and not self.phonetic:
            self.capture = self.inline
        elif tag == "rPh":
            self.phonetic += 1
        elif tag == "row":
            number = attrs.get("r")
            self.row = int(number) if number else self.row + 1
            self.values = []
            self.missing = []
            self.column = 0

    def end(self, name: str) -> None:
        tag = name.rpartition("}")[2]
        if tag in ("v", "t"):
            self.capture = None
        elif tag == "rPh":
            self.phonetic -= 1
        elif tag == "c":
            self._cell()
        elif tag == "row" and self.row > self.last:  # one out of order is passed over, too
            values = self.values
            # a formula counts as a cell even without a value, as openpyxl's formula text does
            while values and values[-1] is None and len(values) - 1 not in self.missing:
                values.pop()
            self.done.append((self.row, values, self.missing))
            self.last = self.row

    def text(self, data: str) -> None:
        if self.capture is not None:
            self.capture.append(data)

    def _cell(self) -> None:
        if self.kind == "inlineStr":
            value: object = None if self.inline is None else "".join(self.inline)
        else:
            stored = "".join(self.stored) if self.stored is not None else ""
            value = self.cells.value(self.kind, self.style, stored or None)
            # an empty text result is stored as an empty value of type "str"
            if self.formula and value is None and self.kind not in ("s", "str"):
                self.missing.append(self.column - 1)
        at = self.column - 1
        if at >= len(self.values):
            self.values.extend([None] * (at + 1 - len(self.values)))
        self.values[at] = value


def _column(ref: str) -> int:
    """The 1-based column of a cell reference such as ``AB12``."""
    column = 0
    for char in ref:
        if "A" <= char <= "Z":
            column = column * 26 + ord(char) - 64
        else:
            break
    return column
