"""Ids: what each must look like, and which ids of one kind look alike.

An id is how a CSV header, a condition or a report names a part of the questionnaire, so it must
be what it looks like (:func:`check_ids`, part of the checks), and two ids of one kind should not
be told apart only by letters from different scripts (:func:`check_warnings`, a warning).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence

from weltoffen._unicode import invisible, skeleton
from weltoffen.exceptions import Location, Problem, ProblemCode, render_location
from weltoffen.model.dimensions import Band
from weltoffen.model.queries import dimension_locations, question_locations
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import Choice, MultipleChoice, Option, ScaleQuestion

__all__ = ["check_ids", "check_warnings", "describe", "difference", "ids_of"]


def check_warnings(q: Questionnaire) -> list[Problem]:
    """What *q* allows but most likely does not mean: two ids of one kind that look alike.

    Ids of one kind (question ids, the option values of one question, ...) that differ, but
    whose skeletons (after Unicode TR39; a compact version, see the format reference) are equal,
    such as ``cost`` and ``сost`` with a Cyrillic ``с``: a CSV header or a condition naming one is
    easily taken for the other. Each problem is placed at the later id and names the earlier
    one's path.
    """
    problems = []
    first: dict[tuple[str, str], tuple[Location, str]] = {}
    for what, kind, path, value in ids_of(q):
        seen_path, seen = first.setdefault((kind, skeleton(value)), (path, value))
        if seen != value:
            problems.append(
                Problem(
                    ProblemCode.SUSPICIOUS_ID,
                    f"{what} {value!r} looks like {seen!r} at {render_location(seen_path)}",
                    location=path,
                    expected="ids that differ in more than look-alike letters",
                    got=difference(seen, value),
                )
            )
    return problems


def ids_of(q: Questionnaire) -> Iterator[tuple[str, str, Location, str]]:
    """Every id in *q* as (what it is, the kind of id it must differ from, location, value)."""
    yield "questionnaire id", "questionnaire", ("id",), q.id
    for i, scale in enumerate(q.scales):
        yield "scale id", "scale", ("scales", i, "id"), scale.id
        yield from _option_ids(scale.options, ("scales", i))
    for i, field in enumerate(q.metadata):
        yield "metadata key", "metadata", ("metadata", i, "key"), field.key
        for j, option in enumerate(field.options):
            where = ("metadata", i, "options", j, "value")
            yield "metadata value", f"metadata[{i}]", where, option.value
    yield from _band_ids(q.bands, ("bands",))
    for path, dim in dimension_locations(q):
        yield "dimension id", "dimension", (*path, "id"), dim.id
        yield from _band_ids(dim.bands, (*path, "bands"))
    for path, question in question_locations(q):
        yield "question id", "question", (*path, "id"), question.id
        if isinstance(question, ScaleQuestion | Choice | MultipleChoice):
            yield from _option_ids(question.options, path)


def _option_ids(
    options: Sequence[Option], path: Location
) -> Iterator[tuple[str, str, Location, str]]:
    for i, option in enumerate(options):
        yield "option value", render_location(path), (*path, "options", i, "value"), option.value


def _band_ids(bands: Sequence[Band], path: Location) -> Iterator[tuple[str, str, Location, str]]:
    for i, band in enumerate(bands):
        yield "band id", render_location(path), (*path, i, "id"), band.id


def check_ids(q: Questionnaire) -> Iterator[Problem]:
    """Ids must be what they look like: no invisible characters, no white space around them.

    An id that only differs by a zero-width space or a bidi mark cannot be told from another
    by eye; one with spaces around it can never be answered from a CSV or XLSX sheet, whose
    cells are trimmed.
    """
    for what, _, path, value in ids_of(q):
        hidden = [(i, c) for i, c in enumerate(value, 1) if invisible(c)]
        if hidden:
            i, char = hidden[0]
            yield Problem(
                ProblemCode.SUSPICIOUS_ID,
                f"{what} {value!r} holds an invisible character",
                location=path,
                expected="letters, digits and visible signs only",
                got=f"{describe(char)} at character {i}"
                + (f" and {len(hidden) - 1} more" if len(hidden) > 1 else ""),
            )
        elif value != value.strip():
            yield Problem(
                ProblemCode.SUSPICIOUS_ID,
                f"{what} {value!r} begins or ends with white space",
                location=path,
                expected=repr(value.strip()) if value.strip() else "an id",
            )


def describe(char: str) -> str:
    """``U+0441 CYRILLIC SMALL LETTER ES``: a character named so that it cannot be mistaken."""
    return f"U+{ord(char):04X} {unicodedata.name(char, '')}".rstrip()


def difference(first: str, second: str) -> str | None:
    """Where *second* first differs from *first*, each character named."""
    for i, (a, b) in enumerate(zip(first, second), 1):
        if a != b:
            return f"{describe(b)} at character {i}, where the other has {describe(a)}"
    return None
