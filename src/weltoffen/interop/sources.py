"""Reading foreign files safely: every failure becomes a located problem, never a traceback."""

from __future__ import annotations

import os
from typing import Any, TypeVar

from weltoffen.exceptions import Problem, ProblemCode, ProblemsError
from weltoffen.serialization.parsing import ParseFailure, parse
from weltoffen.serialization.text import read_text

__all__ = ["read_json", "refuse"]

E = TypeVar("E", bound=ProblemsError)


def read_json(path: str | os.PathLike[str], error: type[E]) -> Any:
    """The JSON document in the file at *path*, or *error* naming the file, line and column.

    Duplicate keys, over-deep nesting and numbers Python cannot take are refused as they are for
    weltoffen's own files.
    """
    text = read_text(path, error)
    try:
        data, _ = parse(text, "json", os.fspath(path))
    except ParseFailure as failure:
        raise error([failure.problem]) from None
    return data


def refuse(
    error: type[E],
    path: str | os.PathLike[str] | None,
    message: str,
    *,
    code: ProblemCode = ProblemCode.WRONG_FILE_KIND,
    expected: str | None = None,
) -> E:
    """*error* with one problem about the file as a whole (raise it)."""
    file = None if path is None else os.fspath(path)
    return error([Problem(code, message, expected=expected, file=file)])
