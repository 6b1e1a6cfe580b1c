"""REDCap branching logic and calc expressions, read with the shared expression parser.

Everything the importer asks of an expression goes through this module: the parser
(:mod:`weltoffen.interop.expressions`, REDCap dialect) and its translation
(:mod:`weltoffen.interop.translate`) are met here only. A calc field another expression names
stands for its own calculation (``sum([q1_clean], ...)`` reads through ``q1_clean``'s
``if([q1] = '999', '', [q1])``).
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from weltoffen.interop.expressions import (
    REDCAP,
    Binary,
    Call,
    ExpressionError,
    Field,
    Node,
    Number,
    Unary,
    parse,
)
from weltoffen.interop.translate import (
    Kind,
    LinearTotal,
    Refs,
    Target,
    Unsupported,
    to_condition,
    to_total,
)
from weltoffen.model.conditions import Condition

__all__ = [
    "SMART_VARIABLES",
    "Flag",
    "Reference",
    "Untranslated",
    "condition_of",
    "flag_of",
    "refs_of",
    "total_of",
]

#: REDCap's smart variables that branching logic uses most; they describe the record or the
#: project, not an answer, so a condition reading one is not imported.
SMART_VARIABLES = frozenset(
    {
        "event-name",
        "event-label",
        "previous-event-name",
        "next-event-name",
        "first-event-name",
        "last-event-name",
        "arm-number",
        "arm-label",
        "record-name",
        "user-name",
        "user-role-name",
        "data-access-group-name",
        "survey-date-completed",
        "is-survey",
        "is-form",
        "instance",
        "current-instance",
    }
)


@attrs.frozen
class Reference:
    """A field as expressions may name it.

    Attributes:
        question: The question id the field became.
        kind: What answers it takes (``choice``, ``multiple``, ``yes_no``, ``numeric``, ``text``).
        codes: The field's choice codes -> the answer values weltoffen stores.
    """

    question: str
    kind: Kind
    codes: Mapping[str, bool | str] = attrs.field(factory=dict)


@attrs.frozen
class Untranslated:
    """An expression, or a part of it, with no weltoffen equivalent: why, and where (0-based)."""

    reason: str
    offset: int = 0


@attrs.frozen
class Flag:
    """``if([total] >= 33, 1, 0)``: 1 when *total* compares to *threshold* by *op*, else 0."""

    total: str
    op: str
    threshold: float
    when_true: int


def refs_of(fields: Mapping[str, Reference], calcs: Mapping[str, str]) -> Refs:
    """The resolver for expressions over *fields*; *calcs* are calc fields' texts by name."""
    targets = {
        name: Target(question=ref.question, kind=ref.kind, codes=dict(ref.codes))
        for name, ref in fields.items()
    }
    bindings: dict[str, Node] = {}
    for name, text in calcs.items():
        try:
            bindings[name] = parse(text, REDCAP)
        except ExpressionError:
            continue  # reported where the calc itself is read
    return Refs(targets=targets, bindings=bindings)


def _parsed(text: str) -> Node | Untranslated:
    try:
        return parse(text, REDCAP)
    except ExpressionError as error:
        return Untranslated(f"not a REDCap expression: {error.message}", error.offset)


def _unsupported(got: Unsupported, text: str) -> Untranslated:
    start, end = got.span
    part = text[start:end]
    for variable in SMART_VARIABLES:
        if f"[{variable}]" in part:
            return Untranslated(
                f"reads REDCap's smart variable [{variable}], which is no answer", start
            )
    return Untranslated(got.reason, start)


def condition_of(text: str, refs: Refs) -> Condition | Untranslated:
    """The condition branching logic *text* states, or why it has none in weltoffen."""
    node = _parsed(text)
    if isinstance(node, Untranslated):
        return node
    got = to_condition(node, refs)
    return _unsupported(got, text) if isinstance(got, Unsupported) else got


def total_of(text: str, refs: Refs) -> LinearTotal | Untranslated:
    """The total calc *text* computes, or why it is no total of answers."""
    node = _parsed(text)
    if isinstance(node, Untranslated):
        return node
    got = to_total(node, refs)
    return _unsupported(got, text) if isinstance(got, Unsupported) else got


def flag_of(text: str) -> Flag | None:
    """The flag calc *text* computes, if it is ``if([field] OP number, 1, 0)`` (or 0, 1)."""
    node = _parsed(text)
    if not (isinstance(node, Call) and node.name.lower() == "if" and len(node.args) == 3):
        return None
    test, yes, no = node.args
    if not (
        isinstance(test, Binary)
        and test.op in (">", ">=", "<", "<=")
        and isinstance(test.left, Field)
        and test.left.code is None
        and test.left.event is None
        and isinstance(yes, Number)
        and isinstance(no, Number)
        and {yes.value, no.value} == {0, 1}
    ):
        return None
    threshold = _constant(test.right)
    if threshold is None:
        return None
    return Flag(total=test.left.name, op=test.op, threshold=threshold, when_true=int(yes.value))


def _constant(node: Node) -> float | None:
    """The number *node* writes (``33``, ``-1.5``), if it is one."""
    if isinstance(node, Number):
        return float(node.value)
    if isinstance(node, Unary) and node.op == "-" and isinstance(node.operand, Number):
        return -float(node.operand.value)
    return None
