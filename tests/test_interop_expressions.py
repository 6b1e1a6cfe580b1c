"""Tests for weltoffen.interop.expressions: one parser, a token table per dialect, located
errors."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from weltoffen.interop.expressions import (
    DIALECTS,
    FHIRPATH,
    MAX_CHAIN,
    MAX_DEPTH,
    REDCAP,
    Binary,
    Boolean,
    Call,
    Empty,
    ExpressionError,
    Field,
    Member,
    Name,
    Node,
    Number,
    String,
    Unary,
    Variable,
    parse,
)

NODES = (Number, String, Boolean, Empty, Field, Variable, Name, Member, Call, Unary, Binary)


def children(node: Node) -> Iterator[Node]:
    for field in attrs.fields(type(node)):
        value = getattr(node, field.name)
        if isinstance(value, NODES):
            yield value
        elif isinstance(value, tuple) and field.name == "args":
            yield from value


def assert_spans(node: Node, text: str) -> None:
    """Every node's span lies inside the text and inside its parent's span."""
    start, end = node.span
    assert 0 <= start < end <= len(text)
    for child in children(node):
        assert start <= child.span[0]
        assert child.span[1] <= end
        assert_spans(child, text)


def attempt(text: str, dialect: str) -> Node | ExpressionError:
    """The tree, or the error (any other exception fails the test)."""
    try:
        return parse(text, dialect)
    except ExpressionError as error:
        return error


def spanned(node: Node, text: str) -> str:
    return text[node.span[0] : node.span[1]]


class TestRedcap:
    def test_a_comparison_with_a_field(self) -> None:
        text = "[age] >= 18"
        node = parse(text, REDCAP)
        assert isinstance(node, Binary)
        assert node.op == ">="
        assert node.left == Field(name="age", span=(0, 5))
        assert node.right == Number(value=18, span=(9, 11))

    def test_checkbox_and_event_references(self) -> None:
        node = parse("[v1_arm_1][cb(ABC)] = '1'", REDCAP)
        assert isinstance(node, Binary)
        assert node.left == Field(name="cb", code="ABC", event="v1_arm_1", span=(0, 19))

    def test_not_equal_is_written_two_ways(self) -> None:
        for text in ("[a] <> 1", "[a] != 1"):
            node = parse(text, REDCAP)
            assert isinstance(node, Binary)
            assert node.op == "!="

    def test_both_quotes_make_strings(self) -> None:
        assert parse("'x'", REDCAP) == String(value="x", span=(0, 3))
        assert parse('"x y"', REDCAP) == String(value="x y", span=(0, 5))

    def test_and_binds_tighter_than_or_in_any_case(self) -> None:
        node = parse("[a] = 1 OR [b] = 2 and [c] = 3", REDCAP)
        assert isinstance(node, Binary)
        assert node.op == "or"
        assert isinstance(node.right, Binary)
        assert node.right.op == "and"

    def test_not_takes_a_whole_comparison(self) -> None:
        node = parse("not [a] = 1 and [b] = 2", REDCAP)
        assert isinstance(node, Binary)
        assert node.op == "and"
        assert isinstance(node.left, Unary)
        assert node.left.op == "not"
        assert isinstance(node.left.operand, Binary)
        assert node.left.operand.op == "="

    def test_arithmetic_is_left_associative_with_precedence(self) -> None:
        text = "[a] - [b] - 2 * [c]"
        node = parse(text, REDCAP)
        assert isinstance(node, Binary)
        assert node.op == "-"
        assert spanned(node.left, text) == "[a] - [b]"
        assert isinstance(node.right, Binary)
        assert node.right.op == "*"

    def test_functions_and_parentheses(self) -> None:
        text = "if(([q] = '777' OR [q] = '999'), '', sum([a], [b]))"
        node = parse(text, REDCAP)
        assert isinstance(node, Call)
        assert node.name == "if"
        assert len(node.args) == 3
        assert isinstance(node.args[2], Call)
        assert spanned(node.args[2], text) == "sum([a], [b])"
        assert_spans(node, text)

    @pytest.mark.parametrize(
        ("text", "offset", "words"),
        [
            ("", 0, "empty"),
            ("[a] = ", 6, "ends too early"),
            ("[a] = 'x", 6, "unclosed"),
            ("[a = 1", 0, "unclosed"),
            ("[a] = 1)", 7, "unexpected"),
            ("$('#x').prop(1)", 0, "unexpected character"),
            ("[a] 1", 4, "unexpected"),
            ("age > 1", 0, "unexpected word"),
            ("[a b] = 1", 0, "not a field reference"),
            ("sum([a],", 8, "ends too early"),
        ],
    )
    def test_bad_text_is_located(self, text: str, offset: int, words: str) -> None:
        with pytest.raises(ExpressionError) as caught:
            parse(text, REDCAP)
        assert caught.value.offset == offset
        assert words in caught.value.message


class TestFhirpath:
    def test_an_invocation_chain(self) -> None:
        text = "%resource.item.where(linkId='/44250-9').answer.value.weight()"
        node = parse(text, FHIRPATH)
        assert isinstance(node, Call)
        assert node.name == "weight"
        assert node.args == ()
        assert spanned(node, text) == text
        where = node
        while not (isinstance(where, Call) and where.name == "where"):
            where = where.target  # type: ignore[union-attr]
        (test,) = where.args
        assert test == Binary(
            op="=",
            left=Name(name="linkId", span=(21, 27)),
            right=String(value="/44250-9", span=(28, 38)),
            span=(21, 38),
        )

    def test_iif_with_the_empty_collection(self) -> None:
        node = parse("iif(%a.exists() and %b.exists(), %a + %b, {})", FHIRPATH)
        assert isinstance(node, Call)
        assert node.name == "iif"
        assert node.args[2] == Empty(span=(42, 44))
        assert isinstance(node.args[0], Binary)
        assert node.args[0].op == "and"

    def test_strings_resolve_escapes(self) -> None:
        assert parse(r"'it\'s'", FHIRPATH) == String(value="it's", span=(0, 7))

    def test_true_false_and_not_as_a_function(self) -> None:
        node = parse("(%a = true).not()", FHIRPATH)
        assert isinstance(node, Call)
        assert node.name == "not"
        assert isinstance(node.target, Binary)
        assert node.target.right == Boolean(value=True, span=(6, 10))

    def test_keywords_are_case_sensitive(self) -> None:
        with pytest.raises(ExpressionError):
            parse("%a.exists() AND %b.exists()", FHIRPATH)

    @pytest.mark.parametrize(
        ("text", "offset"),
        [("%a.", 3), ("%a.where(", 9), ("{", 1), ('"x"', 0), ("'x\\q'", 2), ("%a = = 1", 5)],
    )
    def test_bad_text_is_located(self, text: str, offset: int) -> None:
        with pytest.raises(ExpressionError) as caught:
            parse(text, FHIRPATH)
        assert caught.value.offset == offset


def test_a_dialect_is_named_or_given() -> None:
    assert parse("1", "redcap") == parse("1", DIALECTS["redcap"])
    with pytest.raises(ExpressionError, match="unknown expression language"):
        parse("1", "cobol")


def test_long_rows_and_long_numbers_are_refused_not_a_crash() -> None:
    assert isinstance(parse(" + ".join(["[a]"] * (MAX_CHAIN + 1)), REDCAP), Binary)
    with pytest.raises(ExpressionError, match="operators in a row"):
        parse(" + ".join(["[a]"] * (MAX_CHAIN + 2)), REDCAP)
    with pytest.raises(ExpressionError, match="steps in a row"):
        parse("%a" + ".b" * (MAX_CHAIN + 1), FHIRPATH)
    with pytest.raises(ExpressionError, match="digits") as caught:
        parse("1 + " + "9" * 5000, REDCAP)
    assert caught.value.offset == 4


def test_deep_nesting_is_refused_not_a_crash() -> None:
    text = "(" * (MAX_DEPTH + 5) + "1" + ")" * (MAX_DEPTH + 5)
    with pytest.raises(ExpressionError, match="nested"):
        parse(text, REDCAP)
    with pytest.raises(ExpressionError, match="nested"):
        parse("-" * 10_000 + "1", FHIRPATH)


_PIECES = st.sampled_from(
    [
        "[a]", "[b(1)]", "[e][c]", "%v", "%resource", ".item", ".where(", "linkId", "=", "!=",
        "<>", ">=", " and ", " or ", " AND ", "not ", "(", ")", ",", "'x'", '"y"', "1", "2.5",
        "+", "-", "*", "/", "sum(", "iif(", "{", "}", "{}", ".exists()", "[", "]", "'", " ",
        "true", "^", "&", "|", ".", "$", "\\",
    ]
)  # fmt: skip
_TEXTS = st.one_of(st.text(max_size=40), st.lists(_PIECES, max_size=25).map("".join))


@given(text=_TEXTS, dialect=st.sampled_from(sorted(DIALECTS)))
def test_any_text_gives_a_tree_or_a_located_error(text: str, dialect: str) -> None:
    got = attempt(text, dialect)
    if isinstance(got, ExpressionError):
        assert 0 <= got.offset <= len(text)
        assert got.message
    else:
        assert isinstance(got, NODES)
        assert_spans(got, text)


# -- the real files -----------------------------------------------------------------------


def fhir_expressions(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        if isinstance(data.get("expression"), str) and data.get("language") == "text/fhirpath":
            yield data["expression"]
        for value in data.values():
            yield from fhir_expressions(value)
    elif isinstance(data, list):
        for value in data:
            yield from fhir_expressions(value)


@pytest.mark.parametrize(
    "name",
    [
        "fhir/lforms__phq9.json",
        "fhir/lforms__apgar-with-itemWeight-variable.json",
        "fhir/lforms__phq9-with-the-weight-function.json",
        "fhir/lforms__enableWhen-test.R4.json",
        "fhir/lforms__hidden-item-questionnaire.R4.json",
    ],
)
def test_every_fhirpath_of_the_lforms_files_parses(
    interop_file: Callable[[str], Path], name: str
) -> None:
    texts = list(fhir_expressions(json.loads(interop_file(name).read_text(encoding="utf-8"))))
    assert texts
    for text in texts:
        assert_spans(parse(text, FHIRPATH), text)


def redcap_cells(path: Path) -> Iterator[tuple[str, str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            name = row["Variable / Field Name"]
            logic = row["Branching Logic (Show field only if...)"]
            if logic.strip():
                yield name, "branching", logic
            if row["Field Type"] == "calc":
                yield name, "calc", row["Choices, Calculations, OR Slider Labels"]


def test_every_redcap_cell_parses_or_fails_at_a_place(interop_file: Callable[[str], Path]) -> None:
    path = interop_file("redcap/reproschema-py__redcap_hbn_sample.csv")
    parsed, refused = 0, []
    for name, _, text in redcap_cells(path):
        try:
            assert_spans(parse(text, REDCAP), text)
            parsed += 1
        except ExpressionError as error:
            refused.append((name, error.offset, error.message))
    # the dictionary's calc fields written as jQuery are the only cells that are not expressions
    assert parsed == 331 + 16
    assert len(refused) == 20
    assert {(offset, message) for _, offset, message in refused} == {
        (0, "unexpected character '$'")
    }


def test_a_new_dialect_is_a_token_table_and_a_hook() -> None:
    """What the next formats need (SurveyJS here) takes no change to the parser."""
    from weltoffen.interop.expressions import PRECEDENCE, Dialect

    surveyjs = Dialect(
        name="surveyjs-sketch",
        strings=r"'[^']*'|\"[^\"]*\"",
        reference=r"\{[^{}]+\}",
        make_reference=lambda text, span: Field(name=text[1:-1].strip(), span=span),
        symbols={"==": "=", "=": "=", "!=": "!=", "<>": "!=", ">=": ">=", "<": "<", "+": "+"},
        words={"and": "and", "or": "or", "anyof": "anyof", "contains": "contains"},
        postfix={"notempty": "notempty"},
        case_insensitive=True,
        precedence={**PRECEDENCE, "anyof": PRECEDENCE["in"]},
    )
    text = "{q1} == 'a' AND {q2} notempty or {q3} anyof 'x'"
    node = parse(text, surveyjs)
    assert isinstance(node, Binary)
    assert node.op == "or"
    assert isinstance(node.left, Binary)
    assert node.left.right == Unary(
        op="notempty", operand=Field(name="q2", span=(16, 20)), span=(16, 29)
    )
    assert isinstance(node.right, Binary)
    assert node.right.op == "anyof"
    assert_spans(node, text)
