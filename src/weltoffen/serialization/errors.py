"""Turning structuring failures into located :class:`~weltoffen.exceptions.Problem` lists."""

from __future__ import annotations

from typing import Any

from cattrs.errors import BaseValidationError, ForbiddenExtraKeysError

from weltoffen._fields import FieldError, InvariantError
from weltoffen.exceptions import Problem, UnknownKindError
from weltoffen.serialization.converter import Invalid, UnknownKeys, suggest

__all__ = ["only_rules", "problems_from"]


def _join(path: str, step: Any) -> str:
    if isinstance(step, int):
        return f"{path}[{step}]"
    return f"{path}.{step}" if path else str(step)


def _steps(exc: BaseException) -> list[Any]:
    """Locations cattrs (or our hooks) noted on *exc*, outermost first."""
    steps: list[Any] = []
    for note in getattr(exc, "__notes__", ()):
        if hasattr(note, "name"):
            steps.append(note.name)
        elif hasattr(note, "index"):
            steps.append(note.index)
    steps.extend(getattr(exc, "where", ()))
    return steps


def only_rules(exc: BaseException) -> bool:
    """Whether every failure inside *exc* is a rule of one object (a band's ``min`` below its
    ``max``): the data then has the right shape, and checks across objects can run on it."""
    if isinstance(exc, BaseValidationError):
        return all(only_rules(sub) for sub in exc.exceptions)
    return isinstance(exc, InvariantError)


def problems_from(exc: BaseException, path: str = "") -> list[Problem]:
    """Every leaf failure inside *exc*, each with its path in the document."""
    for step in _steps(exc):
        path = _join(path, step)
    if isinstance(exc, BaseValidationError):
        return [p for sub in exc.exceptions for p in problems_from(sub, path)]
    if isinstance(exc, UnknownKeys):
        return [
            Problem(_join(path, key), f"unknown key {key!r}", expected=suggest(key, exc.known))
            for key in exc.extra
        ]
    if isinstance(exc, ForbiddenExtraKeysError):
        return [
            Problem(_join(path, key), f"unknown key {key!r}") for key in sorted(exc.extra_fields)
        ]
    if isinstance(exc, Invalid):
        return [Problem(path, exc.message, expected=exc.expected, got=exc.got)]
    if isinstance(exc, FieldError):  # a constructor refused a value that has the right shape
        # a rule about the object as a whole (a band's min and max) is placed at the object
        whole = isinstance(exc, InvariantError) and exc.whole
        for step in exc.steps if whole else [exc.field, *exc.steps]:
            path = _join(path, step)
        return [Problem(path, exc.message, expected=exc.expected, got=exc.got)]
    if isinstance(exc, UnknownKindError):
        return [
            Problem(
                _join(path, "kind") if path else "kind",
                f"unknown {exc.group} kind {exc.kind!r}",
                expected=suggest(exc.kind, list(exc.known)),
            )
        ]
    if isinstance(exc, KeyError):
        # cattrs notes the missing key's name already; join it only when it is not yet there.
        steps = _steps(exc)
        key = exc.args[0]
        where = path if steps and steps[-1] == key else _join(path, key)
        return [Problem(where, "required key is missing")]
    return [Problem(path, str(exc) or type(exc).__name__)]
