"""The choices cell of a REDCap field: ``"0, Not at all | 1, Several days"``.

Each choice is a code, a comma and a label; choices are separated by ``|`` (REDCap's web editor
also accepts one choice per line). The code is what records store; REDCap has no other place
for points, so a numeric code *is* the points. Codes that are not numbers cannot be points.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence
from typing import Literal

import attrs

__all__ = [
    "MISSING_STATES",
    "Choice",
    "ChoiceError",
    "MissingKind",
    "codes_of",
    "missing_kind",
    "number",
    "parse_choices",
    "plain",
]

MissingKind = Literal["dont_know", "not_applicable", "skipped"]

#: Label wording -> the answer state a choice with that label stands for. Refusing has no state
#: of its own in weltoffen: it counts as skipped (the answer was withheld).
MISSING_STATES: tuple[tuple[re.Pattern[str], MissingKind], ...] = (
    (re.compile(r"\b(don'?t|do not|does not|doesn'?t) know\b|\bunknown\b"), "dont_know"),
    (re.compile(r"\bnot applicable\b|^n/?a$|\bdoes not apply\b"), "not_applicable"),
    (
        re.compile(r"\bdeclined?\b|\brefuse[ds]?\b|\bprefer not\b|\brather not\b"),
        "skipped",
    ),
)

_TAGS = re.compile(r"<[^>]*>")


@attrs.frozen
class Choice:
    """One choice: the *code* records store and the *label* people see."""

    code: str
    label: str


@attrs.frozen
class ChoiceError:
    """Why a choices cell could not be read, and what it held."""

    message: str
    got: str


def parse_choices(cell: str) -> tuple[list[Choice], list[ChoiceError]]:
    """The choices of *cell* in order, and every part that is not a choice."""
    text = cell.strip()
    if not text:
        return [], []
    parts = re.split(r"\s*\|\s*|\s*\n\s*", text)
    choices: list[Choice] = []
    errors: list[ChoiceError] = []
    seen: set[str] = set()
    for part in parts:
        if not part.strip():
            errors.append(ChoiceError("an empty choice between two '|'", repr(text)))
            continue
        code, comma, label = part.partition(",")
        code = code.strip()
        if not comma or not code:
            errors.append(ChoiceError("a choice must be a code, a comma and a label", repr(part)))
            continue
        if code in seen:
            errors.append(ChoiceError(f"code {code!r} is given twice", repr(part)))
            continue
        seen.add(code)
        choices.append(Choice(code=code, label=label.strip()))
    return choices, errors


def plain(label: str) -> str:
    """*label* without HTML tags and entities, as people read it."""
    return " ".join(html.unescape(_TAGS.sub(" ", label)).split())


def missing_kind(label: str) -> MissingKind | None:
    """The answer state a choice labelled *label* stands for, if its words say one."""
    words = plain(label).casefold().replace("\u2019", "'")
    for pattern, kind in MISSING_STATES:
        if pattern.search(words):
            return kind
    return None


def number(code: str) -> float | None:
    """The code as a finite number, or ``None`` when it is not one."""
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", code.strip()):
        return None
    value = float(code)
    return value if math.isfinite(value) else None


def codes_of(choices: Sequence[Choice]) -> list[str]:
    """The codes of *choices*, in order."""
    return [c.code for c in choices]
