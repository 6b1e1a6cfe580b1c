"""The error hierarchy.

Every error that bad input can cause is a :class:`WeltoffenError`. The subclasses also inherit the
matching built-in (``ValueError`` or ``LookupError``) so callers that already catch those keep
working.
Errors about a definition or a response carry *all* problems found, each with its place and a
:class:`ProblemCode` that a program can act on (the wording of a message is for people and may
change; the codes are listed in the documentation and stay).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from weltoffen._repr import value_repr

__all__ = [
    "DefinitionError",
    "DefinitionWarning",
    "Location",
    "Problem",
    "ProblemCode",
    "ProblemsError",
    "ResponseError",
    "ScoringError",
    "UnknownKindError",
    "WeltoffenError",
]

#: Where inside a document: mapping keys and list indices, outermost first.
Location = tuple[str | int, ...]


class ProblemCode(str, enum.Enum):
    """What kind of problem a :class:`Problem` is; the values are stable public names.

    The documentation's page "Problem codes" describes each with an example message.
    """

    # -- reading files
    UNREADABLE_FILE = "unreadable-file"
    WRONG_FILE_KIND = "wrong-file-kind"
    MISSING_DEPENDENCY = "missing-dependency"
    BAD_ENCODING = "bad-encoding"
    BAD_SYNTAX = "bad-syntax"
    DUPLICATE_KEY = "duplicate-key"
    TOO_LARGE = "too-large"
    BAD_CELL = "bad-cell"
    # -- the shape of a document
    UNKNOWN_KEY = "unknown-key"
    MISSING_KEY = "missing-key"
    CONFLICTING_KEYS = "conflicting-keys"
    WRONG_TYPE = "wrong-type"
    UNKNOWN_KIND = "unknown-kind"
    # -- values and the questionnaire's consistency
    BAD_VALUE = "bad-value"
    OUT_OF_RANGE = "out-of-range"
    TOO_FEW = "too-few"
    DUPLICATE_ID = "duplicate-id"
    SUSPICIOUS_ID = "suspicious-id"
    UNKNOWN_REFERENCE = "unknown-reference"
    BAD_CONDITION = "bad-condition"
    CONDITION_CYCLE = "condition-cycle"
    UNREACHABLE = "unreachable"
    ALWAYS_TRUE = "always-true"
    CANNOT_SCORE = "cannot-score"
    BAND_GAP = "band-gap"
    BAND_OVERLAP = "band-overlap"
    STRATEGY_FAILED = "strategy-failed"
    # -- responses and results
    UNKNOWN_QUESTION = "unknown-question"
    BAD_ANSWER = "bad-answer"
    STATE_NOT_OFFERED = "state-not-offered"
    DUPLICATE_RESPONDENT = "duplicate-respondent"
    WRONG_INSTRUMENT = "wrong-instrument"
    NEEDS_TRACE = "needs-trace"
    NOT_FOUND = "not-found"
    BAD_OPTION = "bad-option"
    TRUNCATED = "truncated"

    def __str__(self) -> str:
        return str(self.value)


def render_location(location: Location) -> str:
    """*location* written as a path: ``("dimensions", 2, "points")`` is ``dimensions[2].points``."""
    out = ""
    for step in location:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            out = f"{out}.{step}" if out else step
    return out


def one_of(names: Iterable[object]) -> str | None:
    """``one of a, b`` for what would have been accepted, or ``None`` when nothing would be."""
    shown = ", ".join(str(n) for n in names)
    return f"one of {shown}" if shown else None


def _location(steps: Iterable[str | int]) -> Location:
    # a list given by a caller (or read from JSON) becomes a tuple: problems stay hashable
    return tuple(steps)


@attrs.frozen
class Problem:
    """One thing wrong with an input, and where it is.

    Attributes:
        code: What kind of problem this is; for programs (see :class:`ProblemCode`).
        message: What is wrong, in a short sentence without the location; for people.
        location: Where inside the document, as keys and indices outermost first, e.g.
            ``("dimensions", 2, "questions", 5, "points")``; in a table file the column's
            name; empty for the document (or file) as a whole.
        expected: What would have been accepted, if that can be said briefly.
        got: What was found instead.
        hint: Advice such as the nearest known name (``did you mean 'weight'?``).
        file: The file the problem is in, when it came from a file.
        line: The 1-based line (or spreadsheet row) in that file, where the reader knows it.
        column: The 1-based column of a table file, for a column that has no name.
        cell: The spreadsheet cell (``B3`` or ``Sheet1!B3``), for a problem in an XLSX file.
    """

    __repr__ = value_repr

    code: ProblemCode = attrs.field(validator=attrs.validators.instance_of(ProblemCode))
    message: str
    location: Location = attrs.field(default=(), kw_only=True, converter=_location)
    expected: str | None = attrs.field(default=None, kw_only=True)
    got: str | None = attrs.field(default=None, kw_only=True)
    hint: str | None = attrs.field(default=None, kw_only=True)
    file: str | None = attrs.field(default=None, kw_only=True)
    line: int | None = attrs.field(default=None, kw_only=True)
    column: int | None = attrs.field(default=None, kw_only=True)
    cell: str | None = attrs.field(default=None, kw_only=True)

    @property
    def path(self) -> str:
        """The place within the file as one string, e.g. ``dimensions[2].questions[5].points``.

        Rendered from :attr:`location` (and :attr:`cell` or :attr:`column`) for people; a
        program reads those fields instead.
        """
        where = render_location(self.location)
        if self.cell is not None:
            return f"{self.cell} ({where})" if where else self.cell
        if not where and self.column is not None:
            return f"column {self.column}"
        return where

    def __str__(self) -> str:
        where = self.file or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        parts = [f"{where}: " if where else ""]
        path = self.path
        if path:
            parts.append(f"{path}: ")
        parts.append(self.message)
        details = []
        if self.expected is not None:
            details.append(f"expected {self.expected}")
        if self.got is not None:
            details.append(f"got {self.got}")
        if self.hint is not None:
            details.append(self.hint)
        if details:
            parts.append(f" ({', '.join(details)})")
        return "".join(parts)

    def to_json(self) -> dict[str, Any]:
        """The problem as plain data: ``code``, ``message``, ``location`` (a list), ``path`` and
        whichever of the other fields are set."""
        out: dict[str, Any] = {
            "code": self.code.value,
            "message": self.message,
            "location": list(self.location),
            "path": self.path,
        }
        for name in ("expected", "got", "hint", "file", "line", "column", "cell"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Problem:
        """The problem that :meth:`to_json` gave *data* for."""
        fields = {
            name: data[name]
            for name in ("expected", "got", "hint", "file", "line", "column", "cell")
            if name in data
        }
        return cls(
            ProblemCode(data["code"]),
            data["message"],
            location=data.get("location", ()),
            **fields,
        )


class WeltoffenError(Exception):
    """Base class of every error weltoffen raises on purpose."""


class ProblemsError(WeltoffenError):
    """An error that reports every problem found at once; the base of the three below."""

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(self.problems)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def with_source(
        self, file: str | None, lines: Mapping[Location, int] | None = None
    ) -> ProblemsError:
        """Return a copy whose problems name *file* and, where *lines* knows the place, the line.

        *lines* maps locations to lines; a problem gets the line of the longest prefix of its
        location that *lines* knows (its own, or that of the nearest enclosing element).
        """
        lines = lines or {}
        located = [
            attrs.evolve(p, file=p.file or file, line=p.line or nearest_line(p.location, lines))
            for p in self.problems
        ]
        return type(self)(located)


def nearest_line(location: Location, lines: Mapping[Location, int]) -> int | None:
    """Line of *location*, or of its closest enclosing element that *lines* knows."""
    for end in range(len(location), -1, -1):
        line = lines.get(location[:end])
        if line is not None:
            return line
    return None


class DefinitionError(ProblemsError, ValueError):
    """A questionnaire definition is malformed or inconsistent.

    Attributes:
        problems: Every problem found, each with its path (and file and line where known).
    """


class DefinitionWarning(UserWarning):
    """Something in a questionnaire that is allowed but most likely a mistake.

    Issued (with :func:`warnings.warn`) by :func:`~weltoffen.load_questionnaire`, located like a
    :class:`DefinitionError`'s problems; :func:`~weltoffen.check_warnings` returns
    the same problems for a questionnaire built in code.

    Attributes:
        problem: What looks wrong, and where.
    """

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class ResponseError(ProblemsError, ValueError):
    """Responses do not fit the questionnaire (unknown question, value off the scale, ...)."""


class ScoringError(ProblemsError, ValueError):
    """Scoring could not be carried out with the given plan and options."""


class UnknownKindError(WeltoffenError, LookupError):
    """A ``kind`` names no registered strategy.

    Attributes:
        kind: The name that was looked up.
        known: The names that are registered.
        group: What was looked up (``aggregation``, ``weighting``, ...).
    """

    def __init__(self, group: str, kind: str, known: Sequence[str]) -> None:
        self.group = group
        self.kind = kind
        self.known = tuple(sorted(known))
        super().__init__(
            f"unknown {group} kind {kind!r}; known kinds: {', '.join(self.known) or '(none)'}"
        )

    def __str__(self) -> str:
        return str(self.args[0])
