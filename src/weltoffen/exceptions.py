"""The error hierarchy.

Every error that bad input can cause is a :class:`WeltoffenError`. The subclasses also inherit the
matching built-in (``ValueError`` or ``LookupError``) so callers that already catch those keep
working.
Errors about a definition or a response carry *all* problems found, each with its place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

__all__ = [
    "DefinitionError",
    "DefinitionWarning",
    "Problem",
    "ProblemsError",
    "ResponseError",
    "ScoringError",
    "UnknownKindError",
    "WeltoffenError",
]


@attrs.frozen
class Problem:
    """One thing wrong with an input, and where it is.

    Attributes:
        path: Location inside the document, e.g. ``dimensions[2].questions[5].options[1].points``
            (empty for the document as a whole).
        message: What is wrong, in a short sentence without the location.
        expected: What would have been accepted, if that can be said briefly.
        got: What was found instead.
        file: The file the problem is in, when it came from a file.
        line: The 1-based line in that file, where the parser knows it.
    """

    path: str
    message: str
    expected: str | None = None
    got: str | None = None
    file: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = self.file or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        parts = [f"{where}: " if where else ""]
        if self.path:
            parts.append(f"{self.path}: ")
        parts.append(self.message)
        details = []
        if self.expected is not None:
            details.append(f"expected {self.expected}")
        if self.got is not None:
            details.append(f"got {self.got}")
        if details:
            parts.append(f" ({', '.join(details)})")
        return "".join(parts)


class WeltoffenError(Exception):
    """Base class of every error weltoffen raises on purpose."""


class ProblemsError(WeltoffenError):
    """An error that reports every problem found at once; the base of the three below."""

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(path="", message=problems)]
        self.problems = tuple(problems)
        super().__init__(self.problems)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def with_source(self, file: str | None, lines: dict[str, int] | None = None) -> ProblemsError:
        """Return a copy whose problems name *file* and, where *lines* knows the path, the line."""
        lines = lines or {}
        located = [
            attrs.evolve(p, file=p.file or file, line=p.line or _nearest_line(p.path, lines))
            for p in self.problems
        ]
        return type(self)(located)


def _nearest_line(path: str, lines: dict[str, int]) -> int | None:
    """Line of *path*, or of its closest enclosing element the parser saw."""
    while True:
        if path in lines:
            return lines[path]
        if not path:
            return None
        cut = max(path.rfind("."), path.rfind("["))
        path = path[: max(cut, 0)]


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
