"""Turning structuring failures into located :class:`~weltoffen.exceptions.Problem` lists."""

from __future__ import annotations

from typing import Any

from cattrs.errors import BaseValidationError, ForbiddenExtraKeysError

from weltoffen._rules import FieldError, InvariantError
from weltoffen.exceptions import Location, Problem, ProblemCode, UnknownKindError
from weltoffen.serialization.values import Invalid, UnknownKeys, suggest

__all__ = ["only_rules", "problems_from"]


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
    ``max``) or an unknown key: the data then has the right shape once those keys are left
    out, and checks across objects can run on it."""
    if isinstance(exc, BaseValidationError):
        return all(only_rules(sub) for sub in exc.exceptions)
    return isinstance(exc, InvariantError | UnknownKeys | ForbiddenExtraKeysError)


def problems_from(exc: BaseException, location: Location = ()) -> list[Problem]:
    """Every leaf failure inside *exc*, each with its location in the document."""
    location = (*location, *_steps(exc))
    if isinstance(exc, BaseValidationError):
        return [p for sub in exc.exceptions for p in problems_from(sub, location)]
    if isinstance(exc, UnknownKeys):
        return [
            Problem(
                ProblemCode.UNKNOWN_KEY,
                f"unknown key {key!r}",
                location=(*location, key),
                **suggest(key, exc.known),
            )
            for key in exc.extra
        ]
    if isinstance(exc, ForbiddenExtraKeysError):
        return [
            Problem(ProblemCode.UNKNOWN_KEY, f"unknown key {key!r}", location=(*location, key))
            for key in sorted(exc.extra_fields)
        ]
    if isinstance(exc, Invalid):
        return [
            Problem(
                exc.code,
                exc.message,
                location=location,
                expected=exc.expected,
                got=exc.got,
                hint=exc.hint,
            )
        ]
    if isinstance(exc, FieldError):  # a constructor refused a value that has the right shape
        code = ProblemCode.WRONG_TYPE if isinstance(exc, TypeError) else ProblemCode.BAD_VALUE
        steps = [exc.field, *exc.steps]
        if isinstance(exc, InvariantError):
            code = exc.code
            if exc.whole:  # a rule about the object as a whole (a band's min and max)
                steps = exc.steps
        return [
            Problem(
                code,
                exc.message,
                location=(*location, *steps),
                expected=exc.expected,
                got=exc.got,
            )
        ]
    if isinstance(exc, UnknownKindError):
        return [
            Problem(
                ProblemCode.UNKNOWN_KIND,
                f"unknown {exc.group} kind {exc.kind!r}",
                location=(*location, "kind"),
                **suggest(exc.kind, list(exc.known)),
            )
        ]
    if isinstance(exc, KeyError):
        # cattrs notes the missing key's name already; join it only when it is not yet there.
        steps = _steps(exc)
        key = exc.args[0]
        where = location if steps and steps[-1] == key else (*location, key)
        return [Problem(ProblemCode.MISSING_KEY, "required key is missing", location=where)]
    return [Problem(ProblemCode.BAD_VALUE, str(exc) or type(exc).__name__, location=location)]
