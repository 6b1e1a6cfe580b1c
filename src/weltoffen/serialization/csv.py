"""Responses from tables: one row per respondent, one column per question id.

The layout, shared by CSV here and by spreadsheet readers that pass their rows to
:func:`responses_from_rows`:

- a ``respondent`` column (required) identifies each row;
- ``meta.<name>`` columns become the response's metadata;
- every other column must be a question id of the questionnaire.

What a cell means:

- empty: skipped (the answer is left out of the response);
- ``skipped``: explicitly skipped;
- the don't-know and not-applicable codes (by default the state names ``dont_know`` and
  ``not_applicable``, which are always accepted too): those states; codes are matched without
  regard to case and win over an answer that reads the same;
- numeric questions: a number (``12``, ``3.5``; in ``;``- and tab-separated files also ``3,5``,
  though in tab-separated files ``1,500`` is refused as ambiguous);
- multiple choice: option values separated by ``;`` (``course;mentoring``);
- everything else: the text as written. Yes/no questions accept what the engine accepts
  (``yes``/``no``, ``true``/``false``, ``ja``/``nein``, ``1``/``0``); whether a value fits its
  question is checked when scoring.

In CSV files (not in spreadsheets, whose cells have types) a cell that starts with apostrophes
followed by ``=``, ``+``, ``-``, ``@``, a tab or a carriage return loses its first apostrophe:
that is how weltoffen writes text a spreadsheet program would otherwise run as a formula
(``'=1+1`` reads as ``=1+1``; see :mod:`weltoffen.serialization.cells`).
"""

from __future__ import annotations

import csv
import io
import itertools
import os
from collections.abc import Iterable, Iterator, Sequence

from weltoffen.exceptions import ProblemCode, ResponseError
from weltoffen.model.answers import Response
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.serialization.cells import restore
from weltoffen.serialization.sheet import SheetReader, Table
from weltoffen.serialization.text import DEFAULT_ENCODING, read_text

__all__ = [
    "load_responses_csv",
    "located_responses_csv",
    "open_table",
    "responses_from_rows",
]
_DELIMITERS = (",", ";", "\t")


def responses_from_rows(
    header: Sequence[object],
    rows: Iterable[Sequence[object]],
    questionnaire: Questionnaire,
    *,
    file: str | None = None,
    first_line: int = 2,
    dont_know: str = "dont_know",
    not_applicable: str = "not_applicable",
    decimal_comma: bool = False,
) -> list[Response]:
    """Responses from the rows of a table whose first row was *header*.

    Cells are usually strings. Spreadsheet readers may also pass ``None`` (an empty cell),
    numbers, booleans and dates: numbers stay numbers for numeric questions, and everything
    else is read as its text.

    Args:
        header: The column names.
        rows: One sequence of cells per respondent; rows whose cells are all empty are ignored.
        questionnaire: Names the question ids that columns may use.
        file: The file the rows came from, for the problems.
        first_line: The line (or spreadsheet row) of the first row in *rows*; the header is the
            line before it.
        dont_know: The cell text that means "don't know".
        not_applicable: The cell text that means "not applicable".
        decimal_comma: Also read ``3,5`` as 3.5 (files written with German or French settings).

    Returns:
        One response per non-empty row, in order.

    Raises:
        ResponseError: With every problem at once, each naming the file, the line and the column.
    """
    numbered = zip(itertools.count(first_line), rows)
    reader = SheetReader(questionnaire, file, dont_know, not_applicable, decimal_comma)
    return [response for response, _ in reader.read(header, first_line - 1, numbered)]


def load_responses_csv(
    path: str | os.PathLike[str],
    questionnaire: Questionnaire,
    *,
    dont_know: str = "dont_know",
    not_applicable: str = "not_applicable",
    encoding: str = DEFAULT_ENCODING,
) -> list[Response]:
    """Responses from a CSV file, one row per respondent (see the module text for the layout).

    The separator (``,``, ``;`` or tab) is taken from the header row. In ``;``-separated files a
    decimal comma is accepted, and in tab-separated files too unless three digits follow it
    (``1,500`` is refused there as ambiguous). A byte order mark decides the encoding (UTF-8,
    UTF-16 or UTF-32, as spreadsheet programs write them: Excel's "Unicode text" is
    tab-separated UTF-16); without one, valid UTF-8 is read as UTF-8 and anything else as
    *encoding*. Every record must have as many fields as the header; one that has not is
    refused, not guessed at.

    Args:
        path: The CSV file.
        questionnaire: Names the question ids that columns may use.
        dont_know: The cell text that means "don't know".
        not_applicable: The cell text that means "not applicable".
        encoding: The file's text encoding when it has no byte order mark and is not valid
            UTF-8 (``cp1252`` for older Windows spreadsheet exports).

    Raises:
        ResponseError: With every problem at once, each naming the file, the line (where a record
            starts) and the column; an unknown *encoding* or a file not in it is one of them.
    """
    return [
        r
        for r, _ in located_responses_csv(
            path,
            questionnaire,
            dont_know=dont_know,
            not_applicable=not_applicable,
            encoding=encoding,
        )
    ]


def located_responses_csv(
    path: str | os.PathLike[str],
    questionnaire: Questionnaire,
    *,
    dont_know: str = "dont_know",
    not_applicable: str = "not_applicable",
    encoding: str = DEFAULT_ENCODING,
) -> list[tuple[Response, int]]:
    """As :func:`load_responses_csv`, with the line each response starts on."""
    name = os.fspath(path)
    text = read_text(name, ResponseError, encoding=encoding)
    table = open_table(
        io.StringIO(text, newline=""), questionnaire, name, dont_know, not_applicable
    )
    return table.reader.read(
        table.header, table.header_line, table.records, separator=table.separator
    )


def open_table(
    lines: Iterable[str],
    questionnaire: Questionnaire,
    name: str | None,
    dont_know: str = "dont_know",
    not_applicable: str = "not_applicable",
    *,
    limit: int | None = None,
) -> Table:
    """The table in the CSV text *lines* (with their line ends), read no further than its header.

    The separator is the one that splits the first non-blank line into the most cells; the
    reader keeps at most *limit* problems (``None``: all).
    """
    lines = iter(lines)
    above: list[str] = []
    for line in lines:
        above.append(line)
        if line.strip():
            break
    delimiter = _sniff("".join(above[-1:]))
    # Files from German or French settings write 3,5 where the comma is not the separator; a tab
    # file may come from English settings too, where 1,500 is fifteen hundred, so that is refused.
    reader = SheetReader(
        questionnaire,
        name,
        dont_know,
        not_applicable,
        delimiter in (";", "\t"),
        ambiguous_groups=delimiter == "\t",
        limit=limit,
    )
    records = _restored(_records(itertools.chain(above, lines), delimiter, reader))
    # the header is the first record with a name in it; blank lines above it are ignored
    header_line, header = next(((n, r) for n, r in records if any(c.strip() for c in r)), (1, []))
    return Table(reader, header_line, header, records, delimiter)


def _sniff(text: str) -> str:
    """The separator that splits the header row into the most cells (``,`` on a tie)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: len(next(csv.reader([first], delimiter=d), [])) for d in _DELIMITERS}
    return max(_DELIMITERS, key=lambda d: counts[d])


def _records(
    lines: Iterable[str], delimiter: str, reader: SheetReader
) -> Iterator[tuple[int, list[str]]]:
    """Each CSV record with the (physical) line it starts on; *reader* notes malformed ones."""
    records = csv.reader(lines, delimiter=delimiter, strict=True)
    while True:
        start = records.line_num + 1
        try:
            row = next(records)
        except StopIteration:
            return
        except csv.Error as exc:
            # the reader starts afresh on the next line, so later records are still checked
            reader.problem(
                ProblemCode.BAD_SYNTAX,
                f"not valid CSV: {exc}",
                start,
                expected='cells quoted with "..." closed on the same record',
            )
            continue
        yield start, row


def _restored(records: Iterable[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    """*records* with the apostrophe undone that CSV writers put before text a spreadsheet would
    run as a formula."""
    for line, row in records:
        if "'" in "".join(row):  # one test per row: most rows hold no apostrophe at all
            row = [restore(cell) for cell in row]
        yield line, row
