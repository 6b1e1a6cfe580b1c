"""An ``.lss`` file as the table dump it is: tables of rows of named cells, each with its line.

LimeSurvey exports a survey as XML: ``<document>`` holds a few plain values (``DBVersion``,
``languages``) and one element per database table, each with ``<rows><row>`` of cells. The file
is read with :mod:`defusedxml`'s SAX parser (no entity expansion, no DTD, no external
references) and kept as plain rows, with the line each row starts on, so that every finding and
problem can point into the file.
"""

from __future__ import annotations

import os
import xml.sax
import xml.sax.handler
import xml.sax.xmlreader
from collections.abc import Mapping

import attrs

from weltoffen.exceptions import DefinitionError, Problem, ProblemCode
from weltoffen.serialization.text import read_text

__all__ = ["Document", "Row", "parse_document", "read_document"]


@attrs.frozen(kw_only=True)
class Row:
    """One row of a table: its cells by field name (an empty cell is ``""``)."""

    table: str
    index: int
    line: int
    cells: Mapping[str, str]

    def get(self, name: str) -> str:
        """The cell *name*, stripped, or ``""`` when the row has none."""
        return self.cells.get(name, "").strip()

    def raw(self, name: str) -> str:
        """The cell *name* as written (texts keep their spaces)."""
        return self.cells.get(name, "")

    @property
    def location(self) -> tuple[str | int, ...]:
        """Where the row is: ``(table, "rows", index)``."""
        return (self.table, "rows", self.index)


@attrs.frozen(kw_only=True)
class Document:
    """The plain values and the tables of an ``.lss`` file."""

    values: Mapping[str, str]
    languages: tuple[str, ...]
    tables: Mapping[str, tuple[Row, ...]]
    lines: Mapping[str, int]

    def rows(self, table: str) -> tuple[Row, ...]:
        """The rows of *table* (none when the file has no such table)."""
        return self.tables.get(table, ())


class _Handler(xml.sax.handler.ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.locator: xml.sax.xmlreader.Locator | None = None
        self.path: list[str] = []
        self.text: list[str] = []
        self.values: dict[str, str] = {}
        self.languages: list[str] = []
        self.tables: dict[str, list[Row]] = {}
        self.lines: dict[str, int] = {}
        self.cells: dict[str, str] = {}
        self.row_line = 0

    def setDocumentLocator(self, locator: xml.sax.xmlreader.Locator) -> None:
        self.locator = locator

    def line(self) -> int:
        return (self.locator.getLineNumber() or 0) if self.locator is not None else 0

    def startElement(self, name: str, attrs: object) -> None:
        self.path.append(name)
        self.text = []
        depth = len(self.path)
        if depth == 2:
            self.lines.setdefault(name, self.line())
        if depth == 4 and self.path[2] == "rows" and name == "row":
            self.cells = {}
            self.row_line = self.line()

    def characters(self, content: str) -> None:
        self.text.append(content)

    def endElement(self, name: str) -> None:
        depth = len(self.path)
        text = "".join(self.text)
        if depth == 2:
            if name not in self.tables and name != "languages":
                self.values[name] = text.strip()
        elif depth == 3 and self.path[1] == "languages" and name == "language":
            self.languages.append(text.strip())
        elif depth == 3 and self.path[2] == "rows":
            self.tables.setdefault(self.path[1], [])
        elif depth == 4 and self.path[2] == "rows" and name == "row":
            rows = self.tables.setdefault(self.path[1], [])
            rows.append(
                Row(table=self.path[1], index=len(rows), line=self.row_line, cells=self.cells)
            )
        elif depth == 5 and self.path[2] == "rows":
            self.cells[name] = text
        self.path.pop()
        self.text = []


def read_document(path: str | os.PathLike[str]) -> Document:
    """The ``.lss`` file at *path* as tables.

    Raises:
        DefinitionError: The file is unreadable, not well-formed XML (with line and column),
            uses entities or a DTD, or is no LimeSurvey survey.
    """
    name = os.fspath(path)
    return parse_document(read_text(name, DefinitionError), name)


def parse_document(text: str, name: str) -> Document:
    """The ``.lss`` document *text* (read from the file *name*), as :func:`read_document`."""
    import defusedxml  # type: ignore[import-untyped]
    import defusedxml.sax  # type: ignore[import-untyped]

    handler = _Handler()
    try:
        defusedxml.sax.parseString(text.encode("utf-8"), handler, forbid_dtd=True)
    except xml.sax.SAXParseException as error:
        raise DefinitionError(
            [
                Problem(
                    ProblemCode.BAD_SYNTAX,
                    f"not well-formed XML: {error.getMessage()}",
                    file=name,
                    line=error.getLineNumber(),
                    column=(error.getColumnNumber() or 0) + 1,
                )
            ]
        ) from None
    except defusedxml.DefusedXmlException as error:
        raise DefinitionError(
            [
                Problem(
                    ProblemCode.BAD_SYNTAX,
                    f"refused: {error} (a survey export needs neither a DTD nor entities)",
                    file=name,
                    line=handler.line() or None,
                )
            ]
        ) from None
    if handler.values.get("LimeSurveyDocType", "").lower() != "survey":
        raise DefinitionError(
            [
                Problem(
                    ProblemCode.WRONG_FILE_KIND,
                    "not a LimeSurvey survey structure (.lss): no "
                    "<LimeSurveyDocType>Survey</LimeSurveyDocType>",
                    expected="a file exported from LimeSurvey as survey structure (.lss)",
                    file=name,
                    line=1,
                )
            ]
        )
    return Document(
        values=handler.values,
        languages=tuple(lang for lang in handler.languages if lang),
        tables={table: tuple(rows) for table, rows in handler.tables.items()},
        lines=handler.lines,
    )
