"""Expressions written in other tools' languages, read into one small syntax tree.

Every format keeps its totals and conditions as expressions in its own language: FHIRPath (FHIR
SDC), REDCap's calculation and branching logic, and later XPath (XLSForm), SurveyJS expressions
and LimeSurvey's ExpressionScript. They differ in how a question is named and in a few words, not
in shape, so each language is a :class:`Dialect` (a token table plus a handful of switches) and one
precedence-climbing parser, :func:`parse`, reads them all into the same frozen nodes. Nothing is
evaluated here: :mod:`weltoffen.interop.translate` turns the subset weltoffen can express into
conditions and totals and reports the rest.

Every node carries ``span``, the ``(start, end)`` offsets of the text it was read from, so a
report can point into the source. Any text that is not an expression of the dialect raises
:class:`ExpressionError` with the offset where reading stopped, and nothing else.

Adding a dialect (XPath ``${q}``, SurveyJS ``{q}``, ExpressionScript ``Q12.NAOK``):

1. write its token table: regular expressions for its strings and for its reference syntax (the
   ``reference`` token), and the symbols it uses for operators, mapped to the shared operator
   names (``"=="`` to ``"="``, ``"<>"`` to ``"!="``);
2. list its word operators in ``words`` (``"and"``, ``"or"``, SurveyJS ``"contains"``,
   ``"anyof"``; give a precedence in ``precedence`` for a new binary one) and its postfix words in
   ``postfix`` (SurveyJS ``"notempty"``);
3. give a ``reference`` hook that turns the reference token's text into a node (usually
   :class:`Field`), and set ``paths`` if the language has ``a.b(c)`` invocation chains;
4. add it to :data:`DIALECTS` and give :mod:`~weltoffen.interop.translate` whatever new functions
   mean (``selected(${q}, 'v')`` is an :class:`Call` it can recognise).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Union

import attrs

__all__ = [
    "DIALECTS",
    "FHIRPATH",
    "REDCAP",
    "SURVEYJS",
    "Binary",
    "Boolean",
    "Call",
    "Dialect",
    "Empty",
    "ExpressionError",
    "Field",
    "Member",
    "Name",
    "Node",
    "Number",
    "String",
    "Unary",
    "Variable",
    "parse",
]

Span = tuple[int, int]

#: How deeply parentheses, calls and operators may nest: deeper input is refused rather than
#: exhausting Python's stack (no real instrument comes near it).
MAX_DEPTH = 100

#: Most operators joining operands, or steps of a path, in a row: the tree of a longer row would
#: be too deep to walk (no real expression comes near it).
MAX_CHAIN = 300

#: Most digits of a number (more is not a number an instrument means).
_MAX_DIGITS = 40


class ExpressionError(ValueError):
    """Text that is not an expression of its dialect, with the offset where reading failed."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(f"{message} (at offset {offset})")
        self.message = message
        self.offset = offset


# -- nodes -----------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Number:
    """A number as written: ``2``, ``0.5`` (an int when written without a point)."""

    value: int | float
    span: Span


@attrs.frozen(kw_only=True)
class String:
    """A quoted text, its escapes resolved."""

    value: str
    span: Span


@attrs.frozen(kw_only=True)
class Boolean:
    """``true`` or ``false`` (FHIRPath)."""

    value: bool
    span: Span


@attrs.frozen(kw_only=True)
class Empty:
    """The empty collection ``{}`` (FHIRPath): no value at all."""

    span: Span


@attrs.frozen(kw_only=True)
class Field:
    """A reference to a question by name: REDCap ``[q]``, ``[q(code)]`` or ``[event][q]``.

    *code* is the option a checkbox test names; *event* the event a longitudinal project's
    reference is bound to.
    """

    name: str
    code: str | None = None
    event: str | None = None
    span: Span


@attrs.frozen(kw_only=True)
class Variable:
    """A named value defined elsewhere: FHIRPath ``%resource``, ``%q1_value``."""

    name: str
    span: Span


@attrs.frozen(kw_only=True)
class Name:
    """A bare identifier, as the first step of a path (FHIRPath ``linkId``, ``item``)."""

    name: str
    span: Span


@attrs.frozen(kw_only=True)
class Member:
    """``target.name``: one step of an invocation chain."""

    target: Node
    name: str
    span: Span


@attrs.frozen(kw_only=True)
class Call:
    """A function call: ``sum(a, b)``, or ``target.where(...)`` in a chain (*target* set)."""

    name: str
    args: tuple[Node, ...]
    target: Node | None = None
    span: Span


@attrs.frozen(kw_only=True)
class Unary:
    """A prefix or postfix operator: ``-x``, ``not x``, SurveyJS ``{q} notempty``."""

    op: str
    operand: Node
    span: Span


@attrs.frozen(kw_only=True)
class Binary:
    """``left op right``; *op* is a shared operator name (``"="``, ``"!="``, ``"and"``, ``"+"``)."""

    op: str
    left: Node
    right: Node
    span: Span


Node = Union[Number, String, Boolean, Empty, Field, Variable, Name, Member, Call, Unary, Binary]  # noqa: UP007 - forward refs


# -- dialects --------------------------------------------------------------------------------

#: Binding strength of the shared binary operators (higher binds tighter); FHIRPath's order,
#: which the other languages agree with on the operators they share.
PRECEDENCE: Mapping[str, int] = {
    "implies": 1,
    "or": 2,
    "xor": 2,
    "and": 3,
    "in": 4,
    "contains": 4,
    "=": 5,
    "!=": 5,
    "~": 5,
    "!~": 5,
    "<": 6,
    "<=": 6,
    ">": 6,
    ">=": 6,
    "|": 7,
    "+": 8,
    "-": 8,
    "&": 8,
    "*": 9,
    "/": 9,
    "div": 9,
    "mod": 9,
}

_NUMBER = r"\d+(?:\.\d+)?"


@attrs.frozen(kw_only=True)
class Dialect:
    """What one expression language looks like to the shared parser.

    Attributes:
        name: The dialect's name ("fhirpath", "redcap").
        strings: Regular expression of one quoted string (the quotes included).
        reference: Regular expression of the language's question reference, or None.
        make_reference: Hook turning a reference token's text and span into a node.
        symbols: Operator symbols mapped to shared operator names, longest first.
        words: Word operators mapped to shared operator names (binary, or ``"not"`` as prefix).
        postfix: Words written after their operand, mapped to an operator name.
        case_insensitive: Whether word operators may be written in any case.
        paths: Whether ``a.b`` chains and bare names are part of the language.
        literals: Bare words that are constants (``true``) mapped to their value.
        precedence: Binding strength of each shared binary operator.
        arrays: Whether ``[a, b]`` lists are part of the language (SurveyJS); a list is read as
            a :class:`Call` named ``"[]"``.
        unescape: Hook giving a string token's value (quotes removed, escapes resolved); without
            it the text between the quotes is taken as it stands.
    """

    name: str
    strings: str
    reference: str | None
    make_reference: Callable[[str, Span], Node] | None
    symbols: Mapping[str, str]
    words: Mapping[str, str]
    postfix: Mapping[str, str] = attrs.field(factory=dict)
    case_insensitive: bool = False
    paths: bool = False
    literals: Mapping[str, bool] = attrs.field(factory=dict)
    precedence: Mapping[str, int] = PRECEDENCE
    arrays: bool = False
    unescape: Callable[[str, Span], str] | None = None
    pattern: re.Pattern[str] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        parts = [
            ("space", r"\s+"),
            ("number", _NUMBER),
            ("string", self.strings),
        ]
        if self.reference is not None:
            parts.append(("reference", self.reference))
        if self.paths:
            # %name and %`name`; $this and `delimited names` are path steps
            parts.append(("variable", r"%[A-Za-z_][A-Za-z0-9_]*|%`[^`]*`"))
            parts.append(("word", r"\$?[A-Za-z_][A-Za-z0-9_]*|`[^`]*`"))
        else:
            parts.append(("word", r"[A-Za-z_][A-Za-z0-9_]*"))
        parts += [
            ("symbol", "|".join(re.escape(s) for s in sorted(self.symbols, key=len, reverse=True))),
            ("punct", r"[(),.{}\[\]]" if self.arrays else r"[(),.{}]"),
        ]
        regex = "|".join(f"(?P<{kind}>{rx})" for kind, rx in parts)
        object.__setattr__(self, "pattern", re.compile(regex))


@attrs.frozen
class _Token:
    kind: str  # number, string, reference, variable, word, op, punct, end
    text: str
    start: int
    end: int
    op: str | None = None  # the shared operator name when the token is an operator


def _fhirpath_string(text: str, span: Span) -> str:
    body = text[1:-1]
    out: list[str] = []
    i = 0
    escapes = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "'": "'", '"': '"', "`": "`", "\\": "\\"}
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            nxt = body[i + 1 : i + 2]
            if nxt in escapes:
                out.append(escapes[nxt])
                i += 2
                continue
            if nxt == "u" and re.fullmatch(r"[0-9A-Fa-f]{4}", body[i + 2 : i + 6]):
                out.append(chr(int(body[i + 2 : i + 6], 16)))
                i += 6
                continue
            raise ExpressionError(f"unknown escape \\{nxt} in a string", span[0] + 1 + i)
        out.append(ch)
        i += 1
    return "".join(out)


def _redcap_reference(text: str, span: Span) -> Node:
    # "[event][field(code)]": the brackets were matched by the token; split the parts here
    parts = re.findall(r"\[([^\[\]]*)\]", text)
    event = parts[0].strip() if len(parts) == 2 else None
    inner = parts[-1].strip()
    match = re.fullmatch(r"([A-Za-z0-9_\-]+)(?:\(([^()]*)\))?", inner)
    if match is None or (event is not None and not re.fullmatch(r"[A-Za-z0-9_\-]+", event)):
        raise ExpressionError(f"{text!r} is not a field reference such as [q] or [q(1)]", span[0])
    code = match.group(2)
    return Field(
        name=match.group(1),
        code=code.strip() if code is not None else None,
        event=event,
        span=span,
    )


FHIRPATH = Dialect(
    name="fhirpath",
    strings=r"'(?:[^'\\]|\\.)*'",
    reference=None,
    make_reference=None,
    symbols={
        "<=": "<=",
        ">=": ">=",
        "!=": "!=",
        "!~": "!~",
        "=": "=",
        "~": "~",
        "<": "<",
        ">": ">",
        "+": "+",
        "-": "-",
        "*": "*",
        "/": "/",
        "&": "&",
        "|": "|",
    },
    words={
        "and": "and",
        "or": "or",
        "xor": "xor",
        "implies": "implies",
        "div": "div",
        "mod": "mod",
        "in": "in",
        "contains": "contains",
    },
    paths=True,
    literals={"true": True, "false": False},
)

REDCAP = Dialect(
    name="redcap",
    strings=r"'[^']*'|\"[^\"]*\"",
    reference=r"(?:\[[^\[\]]*\]){1,2}",
    make_reference=_redcap_reference,
    symbols={
        "<>": "!=",
        "<=": "<=",
        ">=": ">=",
        "!=": "!=",
        "==": "=",
        "=": "=",
        "<": "<",
        ">": ">",
        "+": "+",
        "-": "-",
        "*": "*",
        "/": "/",
        "^": "^",
    },
    words={"and": "and", "or": "or", "not": "not"},
    case_insensitive=True,
    precedence={**PRECEDENCE, "^": 10},
)


def _backslashed(text: str, span: Span) -> str:
    # SurveyJS: a backslash takes the next character as it is ('it\'s')
    return re.sub(r"\\(.)", r"\1", text[1:-1], flags=re.DOTALL)


def _surveyjs_reference(text: str, span: Span) -> Node:
    name = text[1:-1].strip()
    if not name:
        raise ExpressionError("an empty reference {}", span[0])
    return Field(name=name, span=span)


_LIST_TESTS = ("anyof", "allof", "noneof", "notcontains")

SURVEYJS = Dialect(
    name="surveyjs",
    strings=r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"",
    reference=r"\{[^{}]*\}",
    make_reference=_surveyjs_reference,
    symbols={
        "<>": "!=",
        "<=": "<=",
        ">=": ">=",
        "!=": "!=",
        "==": "=",
        "=": "=",
        "<": "<",
        ">": ">",
        "+": "+",
        "-": "-",
        "*": "*",
        "/": "/",
        "%": "mod",
        "^": "^",
        "&&": "and",
        "||": "or",
        "!": "not",
    },
    words={
        "and": "and",
        "or": "or",
        "not": "not",
        "contains": "contains",
        "notcontains": "notcontains",
        "anyof": "anyof",
        "allof": "allof",
        "noneof": "noneof",
        "equal": "=",
        "notequal": "!=",
        "greater": ">",
        "less": "<",
        "greaterorequal": ">=",
        "lessorequal": "<=",
    },
    postfix={"empty": "empty", "notempty": "notempty"},
    case_insensitive=True,
    literals={"true": True, "false": False},
    precedence={**PRECEDENCE, **dict.fromkeys(_LIST_TESTS, PRECEDENCE["contains"]), "^": 10},
    arrays=True,
    unescape=_backslashed,
)

#: The dialects by name.
DIALECTS: Mapping[str, Dialect] = {d.name: d for d in (FHIRPATH, REDCAP, SURVEYJS)}


# -- reading ---------------------------------------------------------------------------------


def _tokens(text: str, dialect: Dialect) -> list[_Token]:
    out: list[_Token] = []
    pos = 0
    pattern = dialect.pattern
    while pos < len(text):
        match = pattern.match(text, pos)
        if match is None or match.end() == pos:
            ch = text[pos]
            # a quote or bracket that would open a token had it been closed
            if re.fullmatch(dialect.strings, ch * 2) or (
                dialect.reference is not None
                and ch == "["
                and re.fullmatch(dialect.reference, "[]")
            ):
                raise ExpressionError(f"unclosed {ch!r}", pos)
            raise ExpressionError(f"unexpected character {ch!r}", pos)
        kind = match.lastgroup or ""
        word = match.group()
        end = match.end()
        pos = end
        if kind == "space":
            continue
        op: str | None = None
        if kind == "symbol":
            op = dialect.symbols[word]
            kind = "op"
        elif kind == "word":
            key = word.lower() if dialect.case_insensitive else word
            op = dialect.words.get(key) or dialect.postfix.get(key)
            if op is not None:
                kind = "op"
        out.append(_Token(kind, word, match.start(), end, op))
    out.append(_Token("end", "", len(text), len(text)))
    return out


class _Parser:
    def __init__(self, text: str, dialect: Dialect) -> None:
        self.dialect = dialect
        self.tokens = _tokens(text, dialect)
        self.i = 0
        self.depth = 0
        self.postfix = {(w.lower() if dialect.case_insensitive else w) for w in dialect.postfix}

    @property
    def tok(self) -> _Token:
        return self.tokens[self.i]

    def advance(self) -> _Token:
        tok = self.tokens[self.i]
        if tok.kind != "end":
            self.i += 1
        return tok

    def expect(self, text: str) -> _Token:
        tok = self.tok
        if tok.kind != "punct" or tok.text != text:
            raise ExpressionError(f"expected {text!r}, found {_shown(tok)}", tok.start)
        return self.advance()

    def nest(self, at: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(f"nested more than {MAX_DEPTH} levels deep", at)

    def whole(self) -> Node:
        if self.tok.kind == "end":
            raise ExpressionError("the expression is empty", self.tok.start)
        node = self.expression(0)
        if self.tok.kind != "end":
            raise ExpressionError(f"unexpected {_shown(self.tok)}", self.tok.start)
        return node

    def binary_op(self) -> str | None:
        tok = self.tok
        if tok.kind != "op" or tok.op is None or tok.op == "not":
            return None
        return tok.op if tok.op in self.dialect.precedence else None

    def expression(self, floor: int) -> Node:
        """Precedence climbing: operands joined by operators binding tighter than *floor*."""
        self.nest(self.tok.start)
        left = self.unary()
        joined = 0
        while True:
            op = self.binary_op()
            if op is None:
                break
            strength = self.dialect.precedence[op]
            if strength <= floor:
                break
            joined += 1
            if joined > MAX_CHAIN:
                raise ExpressionError(f"more than {MAX_CHAIN} operators in a row", self.tok.start)
            self.advance()
            right = self.expression(strength)  # left-associative: the right side binds tighter
            left = Binary(op=op, left=left, right=right, span=(_start(left), _end(right)))
        self.depth -= 1
        return left

    def unary(self) -> Node:
        tok = self.tok
        if tok.kind == "op" and tok.op in ("-", "+", "not"):
            self.advance()
            self.nest(tok.start)
            # "not" binds looser than comparisons (REDCap "not [a] = 1"), a sign tighter than all
            operand = self.expression(PRECEDENCE["and"]) if tok.op == "not" else self.unary()
            self.depth -= 1
            return Unary(op=tok.op, operand=operand, span=(tok.start, _end(operand)))
        return self.postfixed(self.primary())

    def postfixed(self, node: Node) -> Node:
        for _ in range(MAX_CHAIN):
            tok = self.tok
            if self.dialect.paths and tok.kind == "punct" and tok.text == ".":
                self.advance()
                name = self.tok
                if name.kind not in ("word", "op") or not re.fullmatch(r"[A-Za-z_]\w*", name.text):
                    raise ExpressionError(
                        f"expected a name after '.', found {_shown(name)}", name.start
                    )
                self.advance()
                if self.tok.kind == "punct" and self.tok.text == "(":
                    args, end = self.arguments()
                    node = Call(name=name.text, args=args, target=node, span=(_start(node), end))
                else:
                    node = Member(target=node, name=name.text, span=(_start(node), name.end))
                continue
            if tok.kind == "op" and self._is_postfix(tok):
                self.advance()
                node = Unary(op=tok.op or "", operand=node, span=(_start(node), tok.end))
                continue
            return node
        raise ExpressionError(f"more than {MAX_CHAIN} steps in a row", self.tok.start)

    def _is_postfix(self, tok: _Token) -> bool:
        key = tok.text.lower() if self.dialect.case_insensitive else tok.text
        return key in self.postfix

    def arguments(self) -> tuple[tuple[Node, ...], int]:
        open_ = self.expect("(")
        self.nest(open_.start)
        args: list[Node] = []
        if not (self.tok.kind == "punct" and self.tok.text == ")"):
            args.append(self.expression(0))
            while self.tok.kind == "punct" and self.tok.text == ",":
                self.advance()
                args.append(self.expression(0))
        close = self.expect(")")
        self.depth -= 1
        return tuple(args), close.end

    def primary(self) -> Node:
        tok = self.tok
        span = (tok.start, tok.end)
        if tok.kind == "number":
            if len(tok.text) > _MAX_DIGITS:
                raise ExpressionError(f"a number of more than {_MAX_DIGITS} digits", tok.start)
            self.advance()
            value: int | float = float(tok.text) if "." in tok.text else int(tok.text)
            return Number(value=value, span=span)
        if tok.kind == "string":
            self.advance()
            if self.dialect.paths:
                return String(value=_fhirpath_string(tok.text, span), span=span)
            if self.dialect.unescape is not None:
                return String(value=self.dialect.unescape(tok.text, span), span=span)
            return String(value=tok.text[1:-1], span=span)
        if tok.kind == "reference" and self.dialect.make_reference is not None:
            self.advance()
            return self.dialect.make_reference(tok.text, span)
        if tok.kind == "variable":
            self.advance()
            return Variable(name=tok.text[1:].strip("`"), span=span)
        if tok.kind == "punct" and tok.text == "(":
            self.advance()
            self.nest(tok.start)
            inner = self.expression(0)
            self.expect(")")
            self.depth -= 1
            return inner
        if tok.kind == "punct" and tok.text == "[" and self.dialect.arrays:
            self.advance()
            self.nest(tok.start)
            items: list[Node] = []
            if not (self.tok.kind == "punct" and self.tok.text == "]"):
                items.append(self.expression(0))
                while self.tok.kind == "punct" and self.tok.text == ",":
                    self.advance()
                    items.append(self.expression(0))
            close = self.expect("]")
            self.depth -= 1
            return Call(name="[]", args=tuple(items), span=(tok.start, close.end))
        if tok.kind == "punct" and tok.text == "{" and self.dialect.paths:
            self.advance()
            close = self.expect("}")
            return Empty(span=(tok.start, close.end))
        if tok.kind == "word":
            self.advance()
            if self.tok.kind == "punct" and self.tok.text == "(":
                args, end = self.arguments()
                return Call(name=tok.text, args=args, span=(tok.start, end))
            if tok.text in self.dialect.literals:
                return Boolean(value=self.dialect.literals[tok.text], span=span)
            if self.dialect.paths:
                return Name(name=tok.text.strip("`"), span=span)
            raise ExpressionError(f"unexpected word {tok.text!r}", tok.start)
        if tok.kind == "end":
            raise ExpressionError("the expression ends too early", tok.start)
        raise ExpressionError(f"unexpected {_shown(tok)}", tok.start)


def _shown(tok: _Token) -> str:
    return "the end" if tok.kind == "end" else repr(tok.text)


def _start(node: Node) -> int:
    return node.span[0]


def _end(node: Node) -> int:
    return node.span[1]


def parse(text: str, dialect: Dialect | str) -> Node:
    """Read *text* as an expression of *dialect* (a :class:`Dialect` or its name).

    Returns:
        The syntax tree; every node's ``span`` gives its place in *text*.

    Raises:
        ExpressionError: *text* is not an expression of the dialect (with the offset), or the
            dialect's name is unknown (offset 0).
    """
    if isinstance(dialect, str):
        found = DIALECTS.get(dialect)
        if found is None:
            known = ", ".join(sorted(DIALECTS))
            raise ExpressionError(f"unknown expression language {dialect!r} (known: {known})", 0)
        dialect = found
    return _Parser(text, dialect).whole()
