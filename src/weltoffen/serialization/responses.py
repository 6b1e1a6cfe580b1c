"""Responses from any supported file, chosen by its suffix, and placing later problems in it.

``.csv``, ``.tsv`` and ``.txt`` files (Excel saves tab-separated "Unicode text" as ``.txt``) are
read by :mod:`weltoffen.serialization.csv`, ``.xlsx`` files by
:mod:`weltoffen.serialization.xlsx` (an optional extra), everything else as YAML or JSON by
:func:`weltoffen.serialization.api.load_responses`.

The engine checks each answer against its question only when scoring, and its problems name the
respondent and question but not the file. :class:`ResponseFile` remembers where each response came
from, so :meth:`ResponseFile.locate` can add the file, the line and the place inside the file.
"""

from __future__ import annotations

import functools
import importlib
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from weltoffen._repr import value_repr
from weltoffen.exceptions import Location, Problem, ProblemCode, ResponseError
from weltoffen.model.answers import Response
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.serialization.text import DEFAULT_ENCODING

__all__ = ["ResponseFile", "column_location", "load_response_file", "load_responses_any"]

_TABLES = (".csv", ".tsv", ".txt")


@attrs.frozen(kw_only=True)
class ResponseFile:
    """The responses of one file, with where each one starts.

    Attributes:
        path: The file.
        responses: Its responses, in file order.
        lines: The line each response starts on (``None`` where the reader does not say).
        tabular: Whether columns are question ids (CSV, XLSX); otherwise the file is YAML or JSON.
        encoding: The encoding named for the file, should it be neither marked nor UTF-8.
    """

    __repr__ = value_repr

    path: str
    responses: tuple[Response, ...]
    lines: tuple[int | None, ...]
    tabular: bool
    encoding: str = DEFAULT_ENCODING

    def locate(self, index: int, problems: Iterable[Problem]) -> list[Problem]:
        """Place *problems* found in response *index* of this file (for example by scoring).

        A problem's location ``("answers", <question>)`` becomes the column name for tables and
        ``[<index>].answers.<question>`` (or ``responses[<index>]...``) for YAML and JSON, and
        the problem gets the file and, where known, the line.
        """
        if self.tabular:
            return [
                attrs.evolve(
                    p,
                    location=column_location(p.location),
                    file=p.file or self.path,
                    line=p.line or self.lines[index],
                )
                for p in problems
            ]
        prefix, lines = _document_places(self.path, self.encoding, *_stamp(self.path))
        here = (*prefix, index) if prefix is not None else ()
        placed = [attrs.evolve(p, location=(*here, *p.location)) for p in problems]
        return list(ResponseError(placed).with_source(self.path, dict(lines)).problems)


def column_location(location: Location) -> Location:
    """Where a scoring problem at *location* (``answers.<question>``) is in a table: the column."""
    if len(location) == 2 and location[0] == "answers":
        return location[1:]
    return location


def load_responses_any(
    path: str | os.PathLike[str],
    questionnaire: Questionnaire,
    *,
    dont_know: str = "dont_know",
    not_applicable: str = "not_applicable",
    encoding: str = DEFAULT_ENCODING,
) -> list[Response]:
    """Responses from *path*, read according to its suffix.

    Args:
        path: A ``.csv``/``.tsv``/``.txt``, ``.xlsx``, ``.yaml``/``.yml`` or ``.json`` file.
        questionnaire: Names the question ids that table columns may use.
        dont_know: In tables, the cell text that means "don't know" (YAML and JSON files use
            the state names ``dont_know`` and ``not_applicable``).
        not_applicable: In tables, the cell text that means "not applicable".
        encoding: The text encoding of a file that has no byte order mark and is not valid
            UTF-8 (not used for XLSX).

    Raises:
        ResponseError: With every problem in the file, each naming the file and the place.
    """
    return list(
        load_response_file(
            path,
            questionnaire,
            dont_know=dont_know,
            not_applicable=not_applicable,
            encoding=encoding,
        ).responses
    )


def load_response_file(
    path: str | os.PathLike[str],
    questionnaire: Questionnaire,
    *,
    dont_know: str = "dont_know",
    not_applicable: str = "not_applicable",
    encoding: str = DEFAULT_ENCODING,
) -> ResponseFile:
    """As :func:`load_responses_any`, remembering where each response is in the file."""
    name = os.fspath(path)
    suffix = Path(name).suffix.lower()
    codes = {"dont_know": dont_know, "not_applicable": not_applicable}
    if suffix == ".xlsx":
        located = _xlsx_reader(name)(name, questionnaire, **codes)
    elif suffix in _TABLES:
        from weltoffen.serialization.csv import located_responses_csv

        located = located_responses_csv(name, questionnaire, **codes, encoding=encoding)
    else:
        from weltoffen.serialization.api import load_responses

        responses = load_responses(name, encoding=encoding)
        return ResponseFile(
            path=name,
            responses=tuple(responses),
            lines=(None,) * len(responses),
            tabular=False,
            encoding=encoding,
        )
    return ResponseFile(
        path=name,
        responses=tuple(r for r, _ in located),
        lines=tuple(line for _, line in located),
        tabular=True,
        encoding=encoding,
    )


#: Reads a table file into responses, each with the line (row) it is on.
_TableReader = Callable[..., "list[tuple[Response, int]]"]


def _xlsx_reader(name: str) -> _TableReader:
    try:
        xlsx = importlib.import_module("weltoffen.serialization.xlsx")
    except ModuleNotFoundError as exc:
        # Our own module missing means this installation has no xlsx support at all; any other
        # missing module is a dependency of it (openpyxl) that can still be installed.
        if exc.name != "weltoffen.serialization.xlsx":
            raise ResponseError(
                [
                    Problem(
                        ProblemCode.MISSING_DEPENDENCY,
                        f"reading .xlsx files needs the package {exc.name!r}; install it",
                        file=name,
                    )
                ]
            ) from None
        raise ResponseError(
            [
                Problem(
                    ProblemCode.MISSING_DEPENDENCY,
                    "this installation of weltoffen cannot read .xlsx files",
                    expected="a .csv, .yaml or .json file",
                    file=name,
                )
            ]
        ) from None
    reader: _TableReader = xlsx.located_responses_xlsx
    return reader


def _stamp(path: str) -> tuple[int, int]:
    """Size and modification time, so a file changed on disk is parsed afresh."""
    try:
        info = os.stat(path)
    except OSError:
        return (-1, -1)
    return (info.st_size, info.st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _document_places(
    path: str, encoding: str, size: int, mtime: int
) -> tuple[Location | None, Mapping[Location, int]]:
    """Where the responses of a YAML or JSON file sit: the list's path and every path's line.

    Only called when there is a problem to place, so the file is parsed a second time only then.
    """
    from weltoffen.serialization.api import format_of, read_text
    from weltoffen.serialization.parsing import ParseFailure, parse

    try:
        text = read_text(path, ResponseError, encoding=encoding)
        raw, lines = parse(text, format_of(path, text), path)
    except (ResponseError, ParseFailure):
        return (), {}
    data: Any = raw
    if isinstance(data, Mapping) and "responses" in data:
        return ("responses",), lines
    if isinstance(data, list):
        return (), lines
    return None, lines  # a single response: its paths need no index
