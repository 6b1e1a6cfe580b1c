"""ExpressionScript and the legacy conditions table in weltoffen's terms.

LimeSurvey names answers by question code: ``Q12`` (or ``Q12.NAOK``, the same answer without
regard to relevance) is the answer code, ``Q12.value`` its assessment value, ``Q11_SQ001`` one
subquestion (an array's row, or a multiple choice's tick, ``Y`` or empty). Before the shared
translator sees an expression, the names are resolved here into its terms: a question's answer,
a checkbox option (ticked ``'1'``, not ``'0'``), or its points; ``count()`` of ticks becomes a
sum of ticks and ``is_empty(x)`` a comparison with ``''``. Anything else is left for the
translator to refuse, with its place.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from weltoffen.interop.expressions import (
    EXPRESSIONSCRIPT,
    Binary,
    Call,
    ExpressionError,
    Field,
    Member,
    Node,
    String,
    Unary,
    parse,
)
from weltoffen.interop.translate import LinearTotal, Refs, Unsupported, to_condition, to_total
from weltoffen.model.conditions import AllOf, AnyOf, Condition, Not

__all__ = ["Names", "Untranslated", "condition_of", "normalised", "strip_braces", "total_of"]

_VALUE = {"", "NAOK", "code"}
_POINTS = {"value", "valueNAOK"}


@attrs.frozen(kw_only=True)
class Names:
    """What the names of a survey stand for.

    Attributes:
        refs: Question ids (titles, ``title_sq`` of array rows) as the translator's targets.
        boxes: Multiple choice question codes -> their subquestion codes.
        other: Names that exist in the survey but are no question weltoffen scores (equations,
            metadata), with why.
    """

    refs: Refs
    boxes: Mapping[str, frozenset[str]]
    other: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class Untranslated:
    """Why an expression is not imported, and the 0-based offset in its text."""

    reason: str
    offset: int


def strip_braces(text: str) -> str:
    """An equation's expression without the ``{...}`` around it."""
    inner = text.strip()
    if inner.startswith("{") and inner.endswith("}"):
        return inner[1:-1]
    return inner


def condition_of(text: str, names: Names) -> Condition | Untranslated:
    """The condition a relevance equation states, or why not."""
    node = _parsed(text)
    if isinstance(node, Untranslated):
        return node
    resolved = _Resolver(names, totals=False).node(node)
    if isinstance(resolved, Unsupported):
        return Untranslated(reason=resolved.reason, offset=resolved.span[0])
    got = to_condition(resolved, names.refs)
    if isinstance(got, Unsupported):
        return Untranslated(reason=got.reason, offset=got.span[0])
    return normalised(got)


def total_of(text: str, names: Names) -> LinearTotal | Untranslated:
    """The weighted sum an equation computes, or why not."""
    node = _parsed(text)
    if isinstance(node, Untranslated):
        return node
    resolved = _Resolver(names, totals=True).node(node)
    if isinstance(resolved, Unsupported):
        return Untranslated(reason=resolved.reason, offset=resolved.span[0])
    got = to_total(resolved, names.refs)
    if isinstance(got, Unsupported):
        return Untranslated(reason=got.reason, offset=got.span[0])
    return got


def normalised(condition: Condition) -> Condition:
    """*condition* with one-part all/any unwrapped and nested ones of a kind flattened, so that
    the same rule written two ways compares equal."""
    if isinstance(condition, AllOf | AnyOf):
        kind = type(condition)
        parts: list[Condition] = []
        for part in condition.conditions:
            inner = normalised(part)
            parts.extend(inner.conditions if isinstance(inner, kind) else (inner,))
        return parts[0] if len(parts) == 1 else kind(tuple(parts))
    if isinstance(condition, Not):
        return Not(normalised(condition.condition))
    return condition


def _parsed(text: str) -> Node | Untranslated:
    try:
        return parse(text, EXPRESSIONSCRIPT)
    except ExpressionError as error:
        return Untranslated(reason=error.message, offset=error.offset)


class _Resolver:
    def __init__(self, names: Names, *, totals: bool) -> None:
        self.names = names
        self.totals = totals

    def node(self, node: Node) -> Node | Unsupported:
        if isinstance(node, Field | Member):
            return self.reference(node)
        if isinstance(node, Binary):
            left = self.node(node.left)
            if isinstance(left, Unsupported):
                return left
            right = self.node(node.right)
            if isinstance(right, Unsupported):
                return right
            return attrs.evolve(node, left=_tick(left, right), right=_tick(right, left))
        if isinstance(node, Unary):
            inner = self.node(node.operand)
            return inner if isinstance(inner, Unsupported) else attrs.evolve(node, operand=inner)
        if isinstance(node, Call) and node.target is None:
            return self.call(node)
        return node

    def call(self, node: Call) -> Node | Unsupported:
        args: list[Node] = []
        for arg in node.args:
            got = self.node(arg)
            if isinstance(got, Unsupported):
                return got
            args.append(got)
        name = node.name.lower()
        if name == "is_empty" and len(args) == 1:
            return Binary(
                op="=", left=args[0], right=String(value="", span=node.span), span=node.span
            )
        if name == "count" and args and all(_is_tick(a) for a in args):
            total: Node = args[0]
            for arg in args[1:]:
                total = Binary(op="+", left=total, right=arg, span=node.span)
            return total
        if name == "count":
            return Unsupported(
                reason="count() of anything but multiple choice ticks is not imported",
                span=node.span,
            )
        return attrs.evolve(node, name=name, args=tuple(args))

    def reference(self, node: Field | Member) -> Node | Unsupported:
        member = ""
        field = node
        if isinstance(node, Member):
            if not isinstance(node.target, Field):
                return Unsupported(reason="this is not a question's answer", span=node.span)
            field, member = node.target, node.name
        assert isinstance(field, Field)
        if member not in _VALUE | _POINTS:
            return Unsupported(
                reason=f"{field.name}.{member} is not an answer weltoffen can read",
                span=node.span,
            )
        name = field.name
        why = self.names.other.get(name)
        if why is not None:
            return Unsupported(reason=f"{name} {why}", span=node.span)
        if member in _POINTS and not self.totals:
            return Unsupported(
                reason=f"conditions on the assessment value of {name} are not imported",
                span=node.span,
            )
        if self.names.refs.target(name) is not None:
            if member in _VALUE and self.totals:
                return Unsupported(
                    reason=f"{name} adds its answer code; add its assessment value "
                    f"({name}.value) for points",
                    span=node.span,
                )
            return Field(name=name, span=node.span)
        base, _, code = name.rpartition("_")
        if base in self.names.boxes and code in self.names.boxes[base]:
            return Field(name=base, code=code, span=node.span)
        return Unsupported(reason=f"unknown question {name!r}", span=node.span)


def _is_tick(node: Node) -> bool:
    return isinstance(node, Field) and node.code is not None


def _tick(node: Node, other: Node) -> Node:
    """A LimeSurvey tick compared with a checkbox option: ``'Y'`` is ticked, ``''`` not."""
    if isinstance(node, String) and _is_tick(other):
        if node.value.upper() == "Y":
            return attrs.evolve(node, value="1")
        if node.value == "":
            return attrs.evolve(node, value="0")
    return node
