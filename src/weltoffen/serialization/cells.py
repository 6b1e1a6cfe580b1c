"""Cells that spreadsheet programs open: text that never runs as a formula.

Spreadsheet programs take a cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return for a formula, and run it: a respondent id ``=HYPERLINK("http://…","click")``
would become a live link in the answer sheet of whoever opens it. Respondent ids, answers,
metadata, labels and even question ids come from files someone else wrote, so every writer of
CSV or XLSX passes its text through the rule below. Numbers are not text and stay as they are
(``-2`` as a number is a number, not a formula).

- **CSV** has no cell types, so such text is written with a leading apostrophe (``'=1+1``), the
  mark spreadsheet programs use for "this is text". To keep the mark reversible, text that
  already starts with apostrophes followed by one of those characters (``'=1``) gets one more
  apostrophe too. :func:`restore` undoes it: it removes one leading apostrophe from text that
  starts with one or more apostrophes followed by one of the characters, and leaves all other
  text alone, so ``restore(inert(text)) == text`` for every text.
- **XLSX** has cell types: every text is written as a string cell (never a formula, an error
  value or a number), with the "quote prefix" style on text that would start a formula, so that
  editing the cell keeps it text. The text itself is written unchanged. Drop-down lists offer no
  such text (a spreadsheet program may treat a chosen entry as typed in). XML, and so XLSX,
  cannot hold most control characters; :func:`unstorable` finds them.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = [
    "FORMULA_STARTS",
    "inert",
    "inert_cell",
    "make_inert",
    "restore",
    "shown",
    "starts_formula",
    "unstorable",
]

#: First characters that make spreadsheet programs read a text cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: Characters XML 1.0 cannot hold (most C0 controls, lone surrogates, U+FFFE and U+FFFF); an XLSX
#: file with one of them in a cell cannot be written or, once written, cannot be opened.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def starts_formula(text: str) -> bool:
    """Whether a spreadsheet program would take *text*, typed into a cell, for a formula."""
    return text.startswith(FORMULA_STARTS)


def _guarded(text: str) -> bool:
    """Whether *text*, after any leading apostrophes, starts a formula."""
    return starts_formula(text.lstrip("'"))


def inert(text: str) -> str:
    """*text* as a CSV field that no spreadsheet program evaluates (see the module text)."""
    return "'" + text if _guarded(text) else text


def restore(text: str) -> str:
    """The text that :func:`inert` turned into *text*; any other text unchanged."""
    return text[1:] if text.startswith("'") and _guarded(text) else text


def inert_cell(cell: object) -> object:
    """A CSV cell: text through :func:`inert`, anything else (numbers, empty) as it is."""
    return inert(cell) if isinstance(cell, str) else cell


def unstorable(text: str) -> str | None:
    """The first character of *text* that an XLSX file cannot hold, or None."""
    found = _UNSTORABLE.search(text)
    return found.group() if found else None


def shown(text: str) -> str:
    """*text* with the characters an XLSX file cannot hold written as escapes (``\\x1b``).

    For explanations (labels, question texts, comments), which are read by people and never
    loaded back; data cells that hold such characters are refused instead.
    """
    return _UNSTORABLE.sub(_escape, text)


def _escape(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code < 0x20 else f"\\u{code:04x}"


def make_inert(book: Any) -> None:
    """Make every text cell of an openpyxl workbook a string cell that is never evaluated.

    openpyxl turns text starting with ``=`` into a formula and ``#N/A`` and its kin into error
    values as they are assigned; this undoes that for every cell of every worksheet, so that no
    writer can hand a spreadsheet program something to run, whichever way it filled the cells.
    """
    for sheet in book.worksheets:
        # iter_rows also creates the empty cells of the used range; openpyxl writes none of them
        for row in sheet.iter_rows():
            for cell in row:
                # a formula keeps its text as the value, so the original text is still there
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                    if starts_formula(cell.value):
                        cell.quotePrefix = True
