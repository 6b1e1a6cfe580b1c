"""Reading plain values: what every hook that meets plain data checks first, and its errors.

A field read from YAML, JSON or a spreadsheet cell is a number, text, a yes/no value or a mapping
only if it says so: nothing here coerces silently (``"3"`` is not a number, ``true`` is not text).
The errors carry what was expected and a description of what was found, so that
:mod:`weltoffen.serialization.errors` can turn them into located problems; unknown keys come with
the known ones, from which :func:`suggest` picks the nearest. Kept apart from the converter so that
the condition and answer hooks read values the same way without depending on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

from weltoffen.exceptions import ProblemCode, one_of

__all__ = [
    "EMPTY_RESPONDENT",
    "RESPONDENT_EXPECTED",
    "Invalid",
    "Suggestion",
    "UnknownKeys",
    "forbid_extra",
    "read_bool",
    "read_float",
    "read_int",
    "read_mapping",
    "read_respondent",
    "read_str",
    "suggest",
    "type_name",
]

#: What every reader (YAML, JSON, CSV, XLSX) says of a respondent that is empty or only spaces.
EMPTY_RESPONDENT = "the respondent is empty"
RESPONDENT_EXPECTED = "an id that is not blank"


class Invalid(ValueError):
    """A value of the wrong shape, with what was expected (raised inside structuring)."""

    def __init__(
        self,
        code: ProblemCode,
        message: str,
        expected: str | None = None,
        got: Any = None,
        *,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.expected = expected
        self.hint = hint
        # callers describe what they found (see type_name); other values are shown as written
        self.got = got if isinstance(got, str) or got is None else _show(got)
        #: Steps from the enclosing value down to the failure (hooks that nest add to it).
        self.where: list[int | str] = []


class UnknownKeys(ValueError):
    """Keys that the target does not have, with the keys it does have."""

    def __init__(self, extra: list[str], known: list[str]) -> None:
        super().__init__(f"unknown keys {extra}")
        self.extra = extra
        self.known = known
        self.where: list[int | str] = []


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def type_name(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{value!r} (a yes/no value; quote it if you meant text)"
    if isinstance(value, str):
        # show the text: "1e999" or "3,5" is a number to the writer but text to YAML
        return f"text {_show(value)}"
    names = {dict: "a mapping", list: "a list", int: "a number", float: "a number"}
    return names.get(type(value), type(value).__name__)


# -- scalars -----------------------------------------------------------------------------------


def read_float(value: Any, _: Any = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Invalid(ProblemCode.WRONG_TYPE, "must be a number", "a number", type_name(value))
    try:
        return float(value)
    except OverflowError:
        raise Invalid(
            ProblemCode.OUT_OF_RANGE,
            "number is too large",
            "a number below 1e308",
            f"{str(value)[:20]}...",
        ) from None


def read_int(value: Any, _: Any = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise Invalid(
            ProblemCode.WRONG_TYPE, "must be a whole number", "a whole number", type_name(value)
        )
    return value


def read_str(value: Any, _: Any = None) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise Invalid(ProblemCode.WRONG_TYPE, "must be text", "text", type_name(value))


def read_bool(value: Any, _: Any = None) -> bool:
    if isinstance(value, bool):
        return value
    raise Invalid(
        ProblemCode.WRONG_TYPE, "must be true or false", "true or false", type_name(value)
    )


def read_respondent(value: Any, _: Any = None) -> str:
    text = read_str(value)
    if not text.strip():
        raise Invalid(ProblemCode.BAD_VALUE, EMPTY_RESPONDENT, RESPONDENT_EXPECTED, type_name(text))
    return text


def read_mapping(value: Any) -> Mapping[Any, Any]:
    if not isinstance(value, Mapping):
        raise Invalid(
            ProblemCode.WRONG_TYPE, "must be a mapping", "a mapping (key: value)", type_name(value)
        )
    return value


def forbid_extra(data: Mapping[str, Any], known: list[str]) -> None:
    extra = [k for k in data if k not in known]
    if extra:
        raise UnknownKeys([str(k) for k in extra], known)


class Suggestion(TypedDict):
    """What a :class:`~weltoffen.exceptions.Problem` about an unknown name says of known ones."""

    expected: str | None
    hint: str | None


def suggest(key: str, known: list[str]) -> Suggestion:
    """The known key nearest to *key* as a hint, or else the known keys as what was expected."""
    import difflib  # only a wrong key pays for the import

    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if close:
        return {"expected": None, "hint": f"did you mean {close[0]!r}?"}
    return {"expected": one_of(repr(k) for k in sorted(known)), "hint": None}
