"""REDCap branching logic and calc expressions, read through the shared expression parser.

Everything the importer asks of an expression goes through this module, so the parser and its
translation (``weltoffen.interop.expressions`` and ``translate``) are met in one place only.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from weltoffen.model.conditions import Condition

__all__ = ["Field", "Total", "Untranslated", "condition_of", "total_of"]


@attrs.frozen
class Field:
    """What an expression may refer to: a field's question id and its kind of answer.

    Attributes:
        question: The question id the field became (``None``: the field is no question).
        kind: ``choice``, ``checkbox``, ``yesno``, ``number`` or ``text``.
        codes: The field's choice codes (for checkbox tests and choice comparisons).
        missing: Its missing-value codes.
        alias_of: For a calc field that only blanks another field's missing codes: that field.
    """

    question: str | None
    kind: str
    codes: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    alias_of: str | None = None


@attrs.frozen
class Untranslated:
    """An expression, or a part of it, that has no equivalent: why, and where (0-based offset)."""

    reason: str
    offset: int = 0


@attrs.frozen
class Total:
    """A total that adds points of questions: ``sum([a], [b])``, ``[a] + 2 * [b]``.

    Attributes:
        terms: Question id -> coefficient, in the order of the expression.
        constant: A number added to the sum.
        blank_is_zero: REDCap's ``sum()`` skips blanks (they add 0); ``+`` makes the total blank.
        raw_missing: Fields read directly although they have missing codes (REDCap adds the code).
    """

    terms: tuple[tuple[str, float], ...]
    constant: float = 0.0
    blank_is_zero: bool = True
    raw_missing: tuple[str, ...] = ()


_NO_PARSER = Untranslated(
    "REDCap expressions are not read by this version of weltoffen (the shared expression "
    "parser is missing)"
)


def condition_of(text: str, fields: Mapping[str, Field]) -> Condition | Untranslated:
    """The condition branching logic *text* states, or why it has none in weltoffen."""
    return _NO_PARSER


def total_of(text: str, fields: Mapping[str, Field]) -> Total | Untranslated:
    """The total calc *text* computes, or why it is no total of questions."""
    return _NO_PARSER


def missing_filter_of(text: str, fields: Mapping[str, Field]) -> str | None:
    """The field whose missing codes calc *text* blanks (``if([x] = '999', '', [x])``), if so."""
    return None


def flag_of(text: str, fields: Mapping[str, Field]) -> tuple[str, str, float] | Untranslated:
    """``(field, operator, number)`` for a flag ``if([field] >= number, 1, 0)``, or why not."""
    return _NO_PARSER
