"""From expression trees to weltoffen's conditions and totals, or a located refusal.

:func:`to_condition` turns a branching rule into a :data:`~weltoffen.model.conditions.Condition`;
:func:`to_total` turns a calculated total into a :class:`LinearTotal` (a constant plus weighted
terms, each a question's points or its count of ticked options). Anything outside that subset is
an :class:`Unsupported` naming the part (its span in the text) that could not be carried over:
nothing is guessed.

The expressions name questions their own way; a :class:`Resolver` (usually :class:`Refs`, filled
by the format's importer) says which question a name means, what the source's answer codes are
in weltoffen's values, and what a named value (a FHIR ``%variable``, a REDCap calc field) stands
for.

Empty answers follow each language: REDCap's ``[q] <> '1'`` holds for a blank ``q`` (as
weltoffen's ``Not(Equals(...))`` does), while a FHIRPath comparison with a missing answer is
empty, hence false: its ``!=`` and ``not()`` become "answered, and not ...".
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Literal, Protocol

import attrs

from weltoffen.interop.expressions import (
    Binary,
    Boolean,
    Call,
    Empty,
    Field,
    Member,
    Name,
    Node,
    Number,
    String,
    Unary,
    Variable,
)
from weltoffen.model.conditions import (
    AllOf,
    AnyOf,
    Compare,
    Condition,
    Equals,
    Includes,
    Not,
    OneOf,
    Operator,
)
from weltoffen.scoring.answers import NUMBER_TEXT

__all__ = [
    "Defined",
    "Kind",
    "LinearTotal",
    "Refs",
    "Resolver",
    "Target",
    "Term",
    "Unsupported",
    "literal",
    "quoted",
    "to_condition",
    "to_total",
]

Scalar = bool | int | float | str
Span = tuple[int, int]
Kind = Literal["choice", "multiple", "yes_no", "numeric", "text"]
Measure = Literal["points", "ticked"]
Defined = Literal["always", "any_answered", "all_answered"]

#: The FHIR extensions that carry an option's points (the older name second).
WEIGHT_URLS = frozenset(
    {
        "http://hl7.org/fhir/StructureDefinition/itemWeight",
        "http://hl7.org/fhir/StructureDefinition/ordinalValue",
    }
)

#: How many named values may stand for one another in a row before the chain counts as a loop.
_MAX_BINDINGS = 32


@attrs.frozen(kw_only=True)
class Target:
    """The question a name in an expression stands for.

    Attributes:
        question: The weltoffen question id.
        kind: What answers it takes: choice (one option), multiple (options ticked), yes_no,
            numeric or text.
        codes: The source's answer codes mapped to the answer values weltoffen stores (option
            values; True/False for yes/no). Codes compare as canonical text: 1, 1.0 and "1" match.
    """

    question: str
    kind: Kind
    codes: Mapping[str, Scalar] = attrs.field(factory=dict)

    def value(self, code: Scalar) -> Scalar | None:
        """The answer value the source's *code* stands for, or None when it is not a code: the
        code spelled exactly so first, then the first that is the same number (``"2"`` for 2)."""
        if isinstance(code, str) and code in self.codes:
            return self.codes[code]
        found = self.values(code)
        return found[0] if found else None

    def values(self, code: Scalar) -> tuple[Scalar, ...]:
        """Every answer value whose code compares equal to *code* as canonical text (``"2"`` and
        ``"02"`` both for 2), in the source's order."""
        wanted = canonical(code)
        return tuple(
            dict.fromkeys(value for key, value in self.codes.items() if canonical(key) == wanted)
        )


class Resolver(Protocol):
    """What the names inside a format's expressions stand for (see :class:`Refs`)."""

    def target(self, name: str) -> Target | None:
        """The question *name* (a REDCap field, a FHIR linkId) stands for, or None."""

    def binding(self, name: str) -> Node | None:
        """The expression a named value (FHIR ``%name``, a REDCap calc field) stands for."""

    def others(self, excluded: frozenset[str]) -> tuple[str, ...] | None:
        """The scored questions of FHIR's "every item but *excluded* (linkIds)", or None."""


@attrs.frozen(kw_only=True)
class Refs:
    """A :class:`Resolver` from tables the importer fills while reading the source.

    Attributes:
        targets: Source names (REDCap field names, FHIR linkIds) to questions.
        bindings: Named values to the expressions they stand for, already parsed.
        items: The source names of the scored items, in order, for "every item but ...".
    """

    targets: Mapping[str, Target] = attrs.field(factory=dict)
    bindings: Mapping[str, Node] = attrs.field(factory=dict)
    items: tuple[str, ...] = ()

    def target(self, name: str) -> Target | None:
        return self.targets.get(name)

    def binding(self, name: str) -> Node | None:
        return self.bindings.get(name)

    def others(self, excluded: frozenset[str]) -> tuple[str, ...] | None:
        return tuple(
            self.targets[name].question
            for name in self.items
            if name not in excluded and name in self.targets
        )


@attrs.frozen(kw_only=True)
class Unsupported:
    """A part of an expression weltoffen cannot carry over: why, and where (*span*)."""

    reason: str
    span: Span


@attrs.frozen(kw_only=True)
class Term:
    """*coefficient* times a question's points, or times its number of ticked options."""

    question: str
    coefficient: float
    measure: Measure = "points"


@attrs.frozen(kw_only=True)
class LinearTotal:
    """``constant + sum(coefficient * measure)``, and when the source gives it a value.

    Attributes:
        terms: One per question and measure, in order of first appearance.
        constant: Added to the terms.
        defined: ``always``: an unanswered term adds 0 and the total always has a value;
            ``any_answered``: the same, but no value when no term is answered; ``all_answered``:
            no value unless every term is answered. An importer maps them to ``skipped: zero``
            and ``min_coverage`` 0, "one item" and 1.
    """

    terms: tuple[Term, ...]
    constant: float = 0.0
    defined: Defined = "always"


def canonical(value: Scalar) -> str:
    """A code or literal as text that compares equal across spellings (1, 1.0, "1", " 1")."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = value.strip()
        if not NUMBER_TEXT.fullmatch(text):
            return text
        number = float(text)
        return canonical(number) if math.isfinite(number) else text
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


# -- conditions ------------------------------------------------------------------------------

_FLIP: Mapping[str, str] = {"=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_ORDER: Mapping[str, Operator] = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge"}
#: SurveyJS's tests of answers against one value or a list.
_MEMBERSHIP = frozenset({"contains", "notcontains", "anyof", "allof", "noneof"})


def to_condition(node: Node, refs: Resolver) -> Condition | Unsupported:
    """The condition *node* (a branching rule, an enableWhenExpression) states, or why not."""
    return _Conditions(refs).read(node, 0)


@attrs.frozen
class _Ref:
    """A question read by a condition, and whether an empty answer makes the result empty."""

    target: Target
    code: str | None  # a checkbox option named by the reference
    empty_is_unknown: bool  # FHIRPath: comparing an empty answer gives empty, not true/false
    span: Span
    facet: str = "value"  # what the path reads: the answer "value", its "points", "ticked"


class _Conditions:
    def __init__(self, refs: Resolver) -> None:
        self.refs = refs

    def read(self, node: Node, depth: int) -> Condition | Unsupported:
        if isinstance(node, Binary) and node.op in ("and", "or"):
            parts: list[Condition] = []
            for part in _flatten(node, node.op):
                got = self.read(part, depth)
                if isinstance(got, Unsupported):
                    return got
                parts.append(got)
            return AllOf(tuple(parts)) if node.op == "and" else AnyOf(tuple(parts))
        if isinstance(node, Binary) and node.op in _FLIP:
            return self.comparison(node, depth)
        if isinstance(node, Binary) and node.op in _MEMBERSHIP:
            return self.membership(node, depth)
        if isinstance(node, Unary) and node.op in ("empty", "notempty"):
            ref = self.reference(node.operand, depth)
            if isinstance(ref, Unsupported):
                return ref
            answered = _answered(ref)
            if isinstance(answered, Unsupported) or node.op == "notempty":
                return answered
            return Not(answered)
        if isinstance(node, Unary) and node.op == "not":
            inner = self.read(node.operand, depth)
            return inner if isinstance(inner, Unsupported) else Not(inner)
        if isinstance(node, Call) and node.name == "not":
            return self.negation(node, depth)
        if isinstance(node, Call) and node.name == "selected" and node.target is None:
            return self.selected(node, depth)
        if isinstance(node, Call) and node.name == "exists" and node.target is not None:
            if node.args:
                return Unsupported(reason="exists() with a filter is not imported", span=node.span)
            ref = self.reference(node.target, depth)
            return ref if isinstance(ref, Unsupported) else _answered(ref)
        if isinstance(node, Variable | Field):
            bound = _bound(self.refs, node, depth)
            if isinstance(bound, Unsupported):
                return bound
            if bound is not None:
                return _relocated(self.read(bound, depth + 1), node)
            target = self.refs.target(node.name)
            if isinstance(node, Field) and target is not None and target.kind == "yes_no":
                return Equals(target.question, True)  # SurveyJS: a boolean as a condition
        if isinstance(node, Boolean | Number | String | Empty):
            return Unsupported(reason="a constant is not a condition on answers", span=node.span)
        return Unsupported(
            reason=f"{_what(node)} is not a condition weltoffen can import", span=node.span
        )

    def negation(self, node: Call, depth: int) -> Condition | Unsupported:
        operand = node.target if node.target is not None else (node.args[0] if node.args else None)
        if operand is None or (node.target is not None and node.args) or len(node.args) > 1:
            return Unsupported(reason="not() takes one condition", span=node.span)
        inner = self.read(operand, depth)
        if isinstance(inner, Unsupported):
            return inner
        if node.target is None:
            return Not(inner)  # XPath's not(x): an empty answer compares false, so not() is true
        if isinstance(operand, Call) and operand.name == "exists":
            return Not(inner)  # exists() is never empty
        if isinstance(operand, Binary) and operand.op in _FLIP:
            # FHIRPath: the negation of an empty comparison stays empty, hence false
            ref = self.reference(_side(operand), depth)
            if not isinstance(ref, Unsupported):
                answered = _answered(ref)
                if isinstance(answered, Unsupported):
                    return answered
                return AllOf((answered, Not(inner)))
        return Unsupported(
            reason="not() of a combined condition is not imported (empty answers would differ)",
            span=node.span,
        )

    def selected(self, node: Call, depth: int) -> Condition | Unsupported:
        """XPath ``selected(${q}, 'v')``: option v is chosen (ticked, for a multiple choice)."""
        value = literal(node.args[1]) if len(node.args) == 2 else None
        if value is None:
            return Unsupported(reason="selected() takes a question and a code", span=node.span)
        ref = self.reference(node.args[0], depth)
        if isinstance(ref, Unsupported):
            return ref
        target = ref.target
        answer = target.value(value)
        if answer is None or target.kind not in ("choice", "multiple"):
            return Unsupported(
                reason=f"{value!r} is not an answer code of {target.question!r}", span=node.span
            )
        if target.kind == "multiple":
            return Includes(target.question, str(answer))
        return Equals(target.question, answer)

    def membership(self, node: Binary, depth: int) -> Condition | Unsupported:
        """SurveyJS ``{q} contains 'v'``, ``{q} anyof ['a', 'b']`` and their kin."""
        ref = self.reference(node.left, depth)
        if isinstance(ref, Unsupported):
            return ref
        right = node.right
        items = right.args if isinstance(right, Call) and right.name == "[]" else (right,)
        values = [v for v in (literal(item) for item in items) if v is not None]
        if len(values) != len(items) or not values:
            return Unsupported(reason="only lists of constants are imported", span=right.span)
        target = ref.target
        q = target.question
        answers = []
        for value in values:
            answer = target.value(value) if target.kind != "yes_no" else value
            if answer is None or target.kind in ("numeric", "text"):
                return Unsupported(
                    reason=f"{value!r} is not an answer code of {q!r}", span=node.span
                )
            answers.append(answer)
        if target.kind == "multiple":
            tests: list[Condition] = [Includes(q, str(a)) for a in answers]
            if node.op in ("contains", "notcontains") and len(tests) == 1:
                return tests[0] if node.op == "contains" else Not(tests[0])
            if node.op == "allof":
                return AllOf(tuple(tests))
            either = AnyOf(tuple(tests))
            return Not(either) if node.op in ("noneof", "notcontains") else either
        if node.op in ("allof", "contains") and len(answers) > 1:
            return Unsupported(
                reason=f"one answer of {q!r} cannot be all of several", span=node.span
            )
        one = OneOf(q, tuple(answers)) if len(answers) > 1 else Equals(q, answers[0])
        return Not(one) if node.op in ("noneof", "notcontains") else one

    def comparison(self, node: Binary, depth: int) -> Condition | Unsupported:
        op = node.op
        left, right = node.left, node.right
        if literal(left) is not None and literal(right) is None:
            left, right, op = right, left, _FLIP[op]
        value = literal(right)
        if value is None:
            return Unsupported(
                reason="only comparisons of an answer with a constant are imported", span=node.span
            )
        ref = self.reference(left, depth)
        if isinstance(ref, Unsupported):
            return ref
        got = _compare(ref, op, value, node.span)
        if isinstance(got, Unsupported) or not ref.empty_is_unknown or op != "!=":
            return got
        answered = _answered(ref)
        return answered if isinstance(answered, Unsupported) else AllOf((answered, got))

    def reference(self, node: Node, depth: int) -> _Ref | Unsupported:
        """The question *node* reads: ``[q]``, ``[q(code)]``, a FHIRPath answer path, ``%var``."""
        if isinstance(node, Field):
            if node.event is not None or node.name == "event-name":
                return Unsupported(
                    reason="logic that depends on the event of a longitudinal project "
                    "is not imported",
                    span=node.span,
                )
            target = self.refs.target(node.name)
            if target is None:
                bound = _bound(self.refs, node, depth)
                if isinstance(bound, Unsupported):
                    return bound
                if bound is not None:
                    return Unsupported(
                        reason=f"{node.name!r} is a calculated field; conditions on it are "
                        "not imported",
                        span=node.span,
                    )
                return Unsupported(reason=f"unknown field {node.name!r}", span=node.span)
            return _Ref(target, node.code, False, node.span)
        if isinstance(node, Variable):
            bound = _bound(self.refs, node, depth)
            if isinstance(bound, Unsupported):
                return bound
            if bound is None:
                return Unsupported(reason=f"unknown variable %{node.name}", span=node.span)
            got = self.reference(bound, depth + 1)
            return attrs.evolve(got, span=node.span)
        if not isinstance(node, Member | Call) or node.target is None:
            return Unsupported(reason=f"{_what(node)} is not a question's answer", span=node.span)
        path = _answer_path(node, self.refs, depth)
        if isinstance(path, Unsupported):
            return path
        link, facet = path
        target = self.refs.target(link)
        if target is None:
            return Unsupported(reason=f"unknown item {link!r}", span=node.span)
        return _Ref(target, None, True, node.span, facet)


def _side(node: Binary) -> Node:
    return node.right if literal(node.left) is not None else node.left


def _relocated(got: Condition | Unsupported, at: Node) -> Condition | Unsupported:
    if isinstance(got, Unsupported):
        name = at.name if isinstance(at, Variable | Field) else ""
        return Unsupported(reason=f"{name}: {got.reason}", span=at.span)
    return got


def _bound(refs: Resolver, node: Variable | Field, depth: int) -> Node | Unsupported | None:
    if isinstance(node, Field) and node.code is not None:
        return None
    if depth > _MAX_BINDINGS:
        return Unsupported(reason=f"{node.name!r} is defined through itself", span=node.span)
    return refs.binding(node.name)


def literal(node: Node) -> Scalar | None:
    """The value *node* stands for when it is a literal (a number, text, ``true``, ``-2``, a
    ``concat()`` of texts), else ``None``."""
    if isinstance(node, Number | String | Boolean):
        return node.value
    if isinstance(node, Unary) and node.op == "-" and isinstance(node.operand, Number):
        return -node.operand.value
    if (
        isinstance(node, Call)
        and node.name == "concat"
        and node.target is None
        and node.args
        and all(isinstance(arg, String) for arg in node.args)
    ):  # a text holding both quotes, as quoted() writes it
        return "".join(arg.value for arg in node.args if isinstance(arg, String))
    return None


def quoted(text: str) -> str:
    """*text* as a string literal of the dialects whose strings know no escapes (XPath 1.0,
    REDCap): in the quotes it does not hold, or, holding both, joined with ``concat()`` from
    parts that each hold one kind (read back as one literal here)."""
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    parts = [f'"{part}"' if part == "'" else f"'{part}'" for part in re.split("(')", text) if part]
    return f"concat({', '.join(parts)})"


def _flatten(node: Node, op: str) -> list[Node]:
    """The operands of a row of *op* (``a and b and c``), in order; without recursion, as a row
    makes a tree as deep as it is long."""
    out: list[Node] = []
    todo = [node]
    while todo:
        part = todo.pop()
        if isinstance(part, Binary) and part.op == op:
            todo += [part.right, part.left]
        else:
            out.append(part)
    return out


def _summands(node: Node) -> list[tuple[float, Node]]:
    """The terms of a row of ``+`` and ``-``, each with its sign, in order."""
    out: list[tuple[float, Node]] = []
    todo = [(1.0, node)]
    while todo:
        sign, part = todo.pop()
        if isinstance(part, Binary) and part.op in ("+", "-"):
            todo += [(-sign if part.op == "-" else sign, part.right), (sign, part.left)]
        else:
            out.append((sign, part))
    return out


def _answered(ref: _Ref) -> Condition | Unsupported:
    """A condition that holds exactly when the question has a usable answer."""
    target = ref.target
    q = target.question
    values = tuple(dict.fromkeys(target.codes.values()))
    if ref.code is not None:
        return Unsupported(reason="a checkbox option is never blank", span=ref.span)
    if target.kind == "yes_no":
        return OneOf(q, (True, False))
    if target.kind == "choice" and values:
        return OneOf(q, values)
    if target.kind == "multiple" and values:
        return AnyOf(tuple(Includes(q, str(v)) for v in values))
    if target.kind == "numeric":
        return AnyOf((Compare(q, "ge", 0.0), Compare(q, "lt", 0.0)))
    return Unsupported(
        reason=f"whether {target.kind} question {q!r} is answered cannot be stated", span=ref.span
    )


def _compare(ref: _Ref, op: str, value: Scalar, span: Span) -> Condition | Unsupported:
    target = ref.target
    q = target.question
    if ref.code is not None:
        return _checkbox(ref, op, value, span)
    if ref.facet != "value":
        return Unsupported(
            reason=f"conditions on the {ref.facet} of {q!r} are not imported", span=span
        )
    if isinstance(value, str) and value.strip() == "" and op in ("=", "!="):
        answered = _answered(ref)
        if isinstance(answered, Unsupported) or op == "!=":
            return answered
        return Not(answered)
    if target.kind == "numeric":
        number = _number(value)
        if number is None:
            return Unsupported(reason=f"{value!r} is not a number", span=span)
        if op == "=":
            return Equals(q, number)
        if op == "!=":
            return Not(Equals(q, number))
        return Compare(q, _ORDER[op], number)
    if target.kind == "text":
        if op in ("=", "!=") and isinstance(value, str):
            return Equals(q, value) if op == "=" else Not(Equals(q, value))
        return Unsupported(reason=f"text question {q!r} is only compared for equality", span=span)
    if target.kind == "multiple":
        return Unsupported(
            reason=f"{q!r} is a checkbox question: test one option with [{q}(code)]", span=span
        )
    if target.kind == "yes_no" and isinstance(value, bool) and op in ("=", "!="):
        return Equals(q, value) if op == "=" else Not(Equals(q, value))
    if op in ("=", "!="):
        # the source compares codes as numbers where they are numbers: "2" = "02"
        answers = target.values(value)
        if not answers:
            return Unsupported(reason=f"{value!r} is not an answer code of {q!r}", span=span)
        test: Condition = Equals(q, answers[0]) if len(answers) == 1 else OneOf(q, answers)
        return test if op == "=" else Not(test)
    # an ordering of codes: the options whose numeric code compares so
    number = _number(value)
    numbers = {key: _number(key) for key in target.codes}
    if number is None or any(n is None for n in numbers.values()):
        return Unsupported(reason=f"only numeric codes of {q!r} can be compared by size", span=span)
    chosen = tuple(
        dict.fromkeys(
            target.codes[key]
            for key, n in numbers.items()
            if n is not None and _holds(n, op, number)
        )
    )
    if not chosen:
        return Unsupported(reason=f"no answer code of {q!r} is {op} {value!r}", span=span)
    return OneOf(q, chosen)


def _checkbox(ref: _Ref, op: str, value: Scalar, span: Span) -> Condition | Unsupported:
    target = ref.target
    q = target.question
    option = target.value(ref.code or "")
    if target.kind != "multiple" or option is None:
        return Unsupported(reason=f"{ref.code!r} is not an option of checkbox {q!r}", span=span)
    ticked = canonical(value)
    if op not in ("=", "!=") or ticked not in ("0", "1"):
        return Unsupported(reason="a checkbox option is compared with '1' or '0'", span=span)
    includes = Includes(q, str(option))
    return includes if (ticked == "1") == (op == "=") else Not(includes)


def _holds(left: float, op: str, right: float) -> bool:
    return {
        "<": left < right,
        "<=": left <= right,
        ">": left > right,
        ">=": left >= right,
    }[op]


def _number(value: Scalar) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        number = float(value.strip())
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _what(node: Node) -> str:
    if isinstance(node, Call):
        return f"the function {node.name}()"
    if isinstance(node, Binary):
        return f"the operator {node.op!r}"
    return "this expression"


# -- FHIRPath paths --------------------------------------------------------------------------


def _chain(node: Node) -> tuple[Node, list[tuple[str, tuple[Node, ...] | None, Node]]]:
    """The root of an invocation chain and its steps: (name, call arguments or None, node)."""
    steps: list[tuple[str, tuple[Node, ...] | None, Node]] = []
    while True:
        if isinstance(node, Member):
            steps.append((node.name, None, node))
            node = node.target
        elif isinstance(node, Call) and node.target is not None:
            steps.append((node.name, node.args, node))
            node = node.target
        else:
            steps.reverse()
            return node, steps


@attrs.frozen
class _Items:
    link: str | None  # where(linkId = 'X')
    excluded: frozenset[str]  # where(linkId != 'X' and ...)
    rest: list[tuple[str, tuple[Node, ...] | None, Node]]


def _items(node: Node, root: str) -> _Items | None:
    """``%root.item(.item)*.where(linkId ...)`` and what follows it, or None."""
    head, steps = _chain(node)
    if not (isinstance(head, Variable) and head.name == root):
        return None
    i = 0
    while i < len(steps) and (
        (steps[i][0] == "item" and steps[i][1] is None)
        or (steps[i][0] == "repeat" and _is_item(steps[i][1]))
    ):
        i += 1
    if i == 0:
        return None
    link: str | None = None
    excluded: frozenset[str] = frozenset()
    args = steps[i][1] if i < len(steps) and steps[i][0] == "where" else None
    if args is not None:
        if len(args) != 1:
            return None
        chosen = _link_filter(args[0])
        if chosen is None:
            return None
        link, excluded = chosen
        i += 1
    return _Items(link, excluded, steps[i:])


def _is_item(args: tuple[Node, ...] | None) -> bool:
    return (
        args is not None and len(args) == 1 and isinstance(args[0], Name) and args[0].name == "item"
    )


def _link_filter(node: Node) -> tuple[str | None, frozenset[str]] | None:
    if isinstance(node, Binary) and node.op in ("=", "!="):
        sides = (node.left, node.right)
        names = [s for s in sides if isinstance(s, Name) and s.name == "linkId"]
        texts = [s.value for s in sides if isinstance(s, String)]
        if len(names) == 1 and len(texts) == 1:
            return (texts[0], frozenset()) if node.op == "=" else (None, frozenset(texts))
        return None
    if isinstance(node, Binary) and node.op == "and":
        excluded: set[str] = set()
        for part in _flatten(node, "and"):
            got = _link_filter(part)
            if got is None or got[0] is not None:
                return None
            excluded |= got[1]
        return None, frozenset(excluded)
    return None


def _names(steps: Sequence[tuple[str, tuple[Node, ...] | None, Node]]) -> tuple[str, ...]:
    return tuple(f"{name}()" if args == () else name for name, args, _ in steps)


_VALUE_PATHS = {
    ("answer", "value"),
    ("answer", "value", "code"),
    ("answer", "valueCoding", "code"),
    ("answer", "valueString"),
    ("answer", "valueInteger"),
    ("answer", "valueDecimal"),
    ("answer", "valueBoolean"),
    ("answer",),
}
_POINT_PATHS = {
    ("answer", "weight()"),
    ("answer", "value", "weight()"),
    ("answer", "ordinal()"),
    ("answer", "value", "ordinal()"),
}
_SUMMED = {(*path, "sum()") for path in _POINT_PATHS}


def _answer_path(node: Node, refs: Resolver, depth: int) -> tuple[str, str] | Unsupported:
    """The linkId an answer path reads, and what of it: "value", "points" or "ticked"."""
    found = _items(node, "resource")
    if found is not None and found.link is not None:
        rest = _names(found.rest)
        if rest in _VALUE_PATHS:
            return found.link, "value"
        if rest in _POINT_PATHS:
            return found.link, "points"
        if rest == ("answer", "count()"):
            return found.link, "ticked"
    weighted = _option_weight(node, refs, depth)
    if weighted is not None:
        return weighted, "points"
    return Unsupported(reason="this path is not one item's answer", span=node.span)


def _option_weight(node: Node, refs: Resolver, depth: int) -> str | None:
    """lforms' "the weight of the chosen option" variable, for one linkId, or None.

    ``%questionnaire.item.where(linkId = 'X').answerOption.where(valueCoding.code =
    %resource.item.where(linkId = 'X').answer.valueCoding.code).extension.where(url =
    <itemWeight or ordinalValue>).valueDecimal``
    """
    found = _items(node, "questionnaire")
    if found is None or found.link is None:
        return None
    rest = found.rest
    if _names(rest) != ("answerOption", "where", "extension", "where", "valueDecimal"):
        return None
    chosen, url = rest[1][1], rest[3][1]
    if not chosen or not url or len(chosen) != 1 or len(url) != 1:
        return None
    match = chosen[0]
    if not (isinstance(match, Binary) and match.op == "="):
        return None
    head, steps = _chain(match.left)
    answer = _items(match.right, "resource")
    if not (
        isinstance(head, Name)
        and head.name == "valueCoding"
        and _names(steps) == ("code",)
        and answer is not None
        and answer.link == found.link
        and _names(answer.rest) == ("answer", "valueCoding", "code")
    ):
        return None
    test = url[0]
    if not (isinstance(test, Binary) and test.op == "=" and isinstance(test.left, Name)):
        return None
    if test.left.name != "url":
        return None
    address = test.right
    for _ in range(_MAX_BINDINGS):
        if not isinstance(address, Variable) or depth > _MAX_BINDINGS:
            break
        bound = refs.binding(address.name)
        if bound is None:
            return None
        address = bound
    if not (isinstance(address, String) and address.value in WEIGHT_URLS):
        return None
    return found.link


# -- totals ----------------------------------------------------------------------------------

_Mode = Literal["const", "always", "all_answered", "any_answered"]


@attrs.frozen
class _Sum:
    """A total being built: terms keyed by (question, measure, checkbox code)."""

    terms: tuple[tuple[tuple[str, Measure, str | None], float], ...]
    constant: float
    mode: _Mode

    def scaled(self, factor: float) -> _Sum:
        return _Sum(
            tuple((k, c * factor) for k, c in self.terms), self.constant * factor, self.mode
        )

    def questions(self) -> frozenset[str]:
        return frozenset(key[0] for key, _ in self.terms)


def to_total(
    node: Node, refs: Resolver, *, blank_is_zero: bool = False
) -> LinearTotal | Unsupported:
    """The weighted sum *node* (a calculated total) computes, and when it has a value, or why not.

    Recognised: constants, references, ``+ - * /`` with constants as factors, REDCap ``sum()``,
    FHIRPath ``.sum()`` over "every item but ...", the lforms "weight of the chosen option"
    variables, and guards: ``iif(x.exists(), x, 0)`` (an unanswered term adds 0),
    ``iif(all answered, total, {})`` and ``iif(any answered, total, {})``. With *blank_is_zero*
    an unanswered reference counts 0 (SurveyJS arithmetic), not a blank total.
    """
    reader = _Totals(refs, blank_is_zero=blank_is_zero)
    got = reader.read(node, 0)
    if isinstance(got, Unsupported):
        return got
    return reader.finish(got, node.span)


class _Totals:
    def __init__(self, refs: Resolver, *, blank_is_zero: bool = False) -> None:
        self.refs = refs
        self.blank_mode: _Mode = "always" if blank_is_zero else "all_answered"
        self.boxes: dict[str, frozenset[str]] = {}  # checkbox question -> all its codes

    def read(self, node: Node, depth: int) -> _Sum | Unsupported:
        if isinstance(node, Number):
            return _Sum((), float(node.value), "const")  # at most 40 digits: always a float
        if isinstance(node, Unary) and node.op in ("-", "+"):
            inner = self.read(node.operand, depth)
            if isinstance(inner, Unsupported) or node.op == "+":
                return inner
            return inner.scaled(-1.0)
        if isinstance(node, Binary) and node.op in ("+", "-"):
            total = _Sum((), 0.0, "const")
            for sign, part in _summands(node):
                term = self.read(part, depth)
                if isinstance(term, Unsupported):
                    return term
                got = _plus(total, term.scaled(sign), node.span)
                if isinstance(got, Unsupported):
                    return got
                total = got
            return total
        if isinstance(node, Binary) and node.op in ("*", "/"):
            return self.product(node, depth)
        if isinstance(node, Field):
            return self.field(node, depth)
        if isinstance(node, Variable):
            bound = _bound(self.refs, node, depth)
            if isinstance(bound, Unsupported):
                return bound
            if bound is None:
                return Unsupported(reason=f"unknown variable %{node.name}", span=node.span)
            got = self.read(bound, depth + 1)
            if isinstance(got, Unsupported):
                return Unsupported(reason=f"%{node.name}: {got.reason}", span=node.span)
            return got
        if isinstance(node, Call) and node.target is None and node.name.lower() == "sum":
            return self.redcap_sum(node, depth)
        if isinstance(node, Call) and node.target is None and node.name.lower() in ("iif", "if"):
            return self.guarded(node, depth)
        if isinstance(node, Call) and node.target is None and node.name == "coalesce":
            return self.coalesced(node, depth)
        if isinstance(node, Call) and node.target is None and node.name == "count-selected":
            return self.count_selected(node)
        if isinstance(node, Call | Member) and node.target is not None:
            return self.path(node, depth)
        return Unsupported(
            reason=f"{_what(node)} is not a sum weltoffen can import", span=node.span
        )

    def product(self, node: Binary, depth: int) -> _Sum | Unsupported:
        left = self.read(node.left, depth)
        if isinstance(left, Unsupported):
            return left
        right = self.read(node.right, depth)
        if isinstance(right, Unsupported):
            return right
        if node.op == "/":
            if right.mode != "const":
                return Unsupported(reason="only division by a constant is imported", span=node.span)
            if right.constant == 0:
                return Unsupported(reason="division by zero", span=node.span)
            return left.scaled(1.0 / right.constant)
        if left.mode == "const":
            return right.scaled(left.constant)
        if right.mode == "const":
            return left.scaled(right.constant)
        return Unsupported(reason="a product of two answers is not a weighted sum", span=node.span)

    def field(self, node: Field, depth: int) -> _Sum | Unsupported:
        if node.event is not None:
            return Unsupported(reason="values from another event are not imported", span=node.span)
        target = self.refs.target(node.name)
        if target is None:
            bound = _bound(self.refs, node, depth)
            if isinstance(bound, Unsupported):
                return bound
            if bound is None:
                return Unsupported(reason=f"unknown field {node.name!r}", span=node.span)
            got = self.read(bound, depth + 1)
            if isinstance(got, Unsupported):
                return Unsupported(reason=f"[{node.name}]: {got.reason}", span=node.span)
            return got
        if node.code is not None:
            if target.kind != "multiple" or target.value(node.code) is None:
                return Unsupported(
                    reason=f"{node.code!r} is not an option of checkbox {node.name!r}",
                    span=node.span,
                )
            self.boxes[target.question] = frozenset(canonical(k) for k in target.codes)
            # a checkbox option reads 0 or 1, never blank
            return _Sum((((target.question, "ticked", canonical(node.code)), 1.0),), 0.0, "always")
        if target.kind == "text":
            return Unsupported(reason=f"text field {node.name!r} has no points", span=node.span)
        if target.kind == "multiple":
            return Unsupported(
                reason=f"checkbox {node.name!r} is read one option at a time", span=node.span
            )
        return _Sum((((target.question, "points", None), 1.0),), 0.0, self.blank_mode)

    def redcap_sum(self, node: Call, depth: int) -> _Sum | Unsupported:
        # sum() skips blank arguments: each must be one term (or never blank) for that to be linear
        total = _Sum((), 0.0, "const")
        for arg in node.args:
            part = self.read(arg, depth)
            if isinstance(part, Unsupported):
                return part
            if part.mode == "any_answered" or (part.mode == "all_answered" and len(part.terms) > 1):
                return Unsupported(
                    reason="sum() of a part that is blank when any of its answers is",
                    span=arg.span,
                )
            if part.mode != "const":
                part = attrs.evolve(part, mode="always")
            got = _plus(total, part, node.span)
            if isinstance(got, Unsupported):
                return got
            total = got
        return total

    def guarded(self, node: Call, depth: int) -> _Sum | Unsupported:
        if len(node.args) != 3:
            return Unsupported(reason=f"{node.name}() takes three arguments", span=node.span)
        test, then, otherwise = node.args
        guard = _guard(test, self.refs, depth)
        if guard is not None and guard[2]:
            then, otherwise = otherwise, then  # if([q] = '', 0, [q]) is if([q] <> '', [q], 0)
        if guard is not None:
            kind, asked, _ = guard
            body = self.read(then, depth)
            if isinstance(body, Unsupported):
                return body
            same = body.questions() == asked
            if _is_zero(otherwise) and same and len(asked) == 1 and body.mode == "all_answered":
                return attrs.evolve(body, mode="always")  # an unanswered term adds 0
            if _is_empty(otherwise) and same:
                if kind == "all" and body.mode != "any_answered":
                    return attrs.evolve(body, mode="all_answered")
                if (kind == "any" or len(asked) == 1) and body.mode == "always":
                    return attrs.evolve(body, mode="any_answered")
        if _is_empty(then):
            # REDCap: if([q] = '777' or [q] = '999', '', [q]): codes that are not answers
            body = self.read(otherwise, depth)
            if not isinstance(body, Unsupported) and _not_answers(test, body, self.refs):
                return body
        return Unsupported(
            reason=f"this {node.name}() is not one of the guards weltoffen can import",
            span=node.span,
        )

    def coalesced(self, node: Call, depth: int) -> _Sum | Unsupported:
        """XPath ``coalesce(${q}, 0)``: the question's points, 0 when it is blank."""
        if len(node.args) == 2 and _is_zero(node.args[1]):
            body = self.read(node.args[0], depth)
            if isinstance(body, Unsupported):
                return body
            if len(body.terms) == 1 and body.mode == "all_answered":
                return attrs.evolve(body, mode="always")
        return Unsupported(
            reason="only coalesce() of one answer with 0 is imported", span=node.span
        )

    def count_selected(self, node: Call) -> _Sum | Unsupported:
        """XPath ``count-selected(${q})``: how many options of a multiple choice are ticked."""
        arg = node.args[0] if len(node.args) == 1 else None
        target = self.refs.target(arg.name) if isinstance(arg, Field) else None
        if target is None or target.kind != "multiple":
            return Unsupported(
                reason="count-selected() takes one multiple-choice question", span=node.span
            )
        return _Sum((((target.question, "ticked", None), 1.0),), 0.0, "always")

    def path(self, node: Call | Member, depth: int) -> _Sum | Unsupported:
        found = _items(node, "resource")
        if found is not None and found.link is None and _names(found.rest) in _SUMMED:
            # FHIRPath's sum() of nothing is 0: unanswered items add nothing
            chosen = self.refs.others(found.excluded)
            if chosen is None:
                return Unsupported(reason="which items this sums is unknown", span=node.span)
            return _Sum(tuple(((q, "points", None), 1.0) for q in chosen), 0.0, "always")
        got = _answer_path(node, self.refs, depth)
        if isinstance(got, Unsupported):
            return Unsupported(reason="this path is not a sum weltoffen can import", span=node.span)
        link, facet = got
        target = self.refs.target(link)
        if target is None:
            return Unsupported(reason=f"unknown item {link!r}", span=node.span)
        if facet == "ticked":
            return _Sum((((target.question, "ticked", None), 1.0),), 0.0, "always")
        if facet == "points":
            return _Sum((((target.question, "points", None), 1.0),), 0.0, "all_answered")
        if target.kind == "numeric":
            return _Sum((((target.question, "points", None), 1.0),), 0.0, "all_answered")
        return Unsupported(
            reason=f"the answer of {link!r} itself is not a number; use its weight()",
            span=node.span,
        )

    def finish(self, total: _Sum, span: Span) -> LinearTotal | Unsupported:
        terms: dict[tuple[str, Measure], float] = {}
        boxes: dict[str, dict[str, float]] = {}
        for (question, measure, code), coefficient in total.terms:
            if code is None:
                terms[question, measure] = terms.get((question, measure), 0.0) + coefficient
            else:
                box = boxes.setdefault(question, {})
                box[code] = box.get(code, 0.0) + coefficient
        for question, box in boxes.items():
            # the checkbox options summed must be all of them, alike, to be a count of ticks
            weights = set(box.values())
            if set(box) != self.boxes[question] or len(weights) != 1:
                return Unsupported(
                    reason=f"only some options of checkbox {question!r} are counted, or with "
                    "different weights",
                    span=span,
                )
            key: tuple[str, Measure] = (question, "ticked")
            terms[key] = terms.get(key, 0.0) + weights.pop()
        if not all(math.isfinite(c) for c in (total.constant, *terms.values())):
            return Unsupported(reason="a coefficient is too large to compute with", span=span)
        mode: Defined = "always" if total.mode == "const" else total.mode
        return LinearTotal(
            terms=tuple(Term(question=q, coefficient=c, measure=m) for (q, m), c in terms.items()),
            constant=total.constant,
            defined=mode,
        )


def _plus(left: _Sum, right: _Sum, span: Span) -> _Sum | Unsupported:
    if left.mode == "const":
        return _merge(left, right, right.mode)
    if right.mode == "const" or (left.mode == right.mode and left.mode != "any_answered"):
        return _merge(left, right, left.mode)
    return Unsupported(
        reason="this adds parts that are blank in different cases (a sum() and a plain "
        "reference, or two guarded totals)",
        span=span,
    )


def _merge(left: _Sum, right: _Sum, mode: _Mode) -> _Sum:
    return _Sum(left.terms + right.terms, left.constant + right.constant, mode)


def _is_zero(node: Node) -> bool:
    return isinstance(node, Number) and node.value == 0


def _is_empty(node: Node) -> bool:
    return isinstance(node, Empty) or (isinstance(node, String) and node.value == "")


def _guard(
    node: Node, refs: Resolver, depth: int
) -> tuple[Literal["all", "any"], frozenset[str], bool] | None:
    """What a guard asks of which questions: all or any of them answered, and whether it asks
    the opposite (blank tests, whose branches are then swapped); None for anything else.

    Answered: FHIRPath ``x.exists()``, REDCap ``[q] <> ''``; blank: REDCap ``[q] = ''``.
    """
    # "all blank" is the opposite of "any answered", "any blank" of "all answered"
    readings: tuple[tuple[str, Literal["all", "any"], bool], ...] = (
        ("and", "all", False),
        ("or", "any", False),
        ("or", "all", True),
        ("and", "any", True),
    )
    for op, kind, blank in readings:
        found = _answered_of(node, op, refs, depth, blank=blank)
        if found is not None:
            return kind, found, blank
    return None


def _answered_of(
    node: Node, op: str, refs: Resolver, depth: int, *, blank: bool
) -> frozenset[str] | None:
    """The questions of a row of answered (or *blank*) tests joined by *op*, or None."""
    if depth > _MAX_BINDINGS:
        return None
    if isinstance(node, Variable):
        bound = refs.binding(node.name)
        return None if bound is None else _answered_of(bound, op, refs, depth + 1, blank=blank)
    found: set[str] = set()
    for part in _flatten(node, op):
        asked: Node | None = None
        if not blank and isinstance(part, Call) and part.name == "exists" and not part.args:
            asked = part.target
        elif isinstance(part, Binary) and part.op == ("=" if blank else "!="):
            sides = (part.left, part.right)
            if any(_is_empty(side) and isinstance(side, String) for side in sides):
                asked = next((side for side in sides if isinstance(side, Field)), None)
        if asked is None:
            return None
        ref = _Conditions(refs).reference(asked, depth)
        if isinstance(ref, Unsupported) or ref.code is not None:
            return None
        found.add(ref.target.question)
    return frozenset(found)


def _not_answers(test: Node, body: _Sum, refs: Resolver) -> bool:
    """Whether *test* only asks if *body*'s one question holds codes that are not answers."""
    if len(body.terms) != 1 or body.mode != "all_answered":
        return False
    question = body.terms[0][0][0]
    for part in _flatten(test, "or"):
        if not (isinstance(part, Binary) and part.op == "=" and isinstance(part.left, Field)):
            return False
        value = literal(part.right)
        target = refs.target(part.left.name)
        if value is None or target is None or target.question != question or part.left.code:
            return False
        if target.value(value) is not None or canonical(value) == "":
            return False
    return True
