"""The XPath subset of XLSForm: the dialect's tokens and what translate makes of its functions."""

from __future__ import annotations

import pytest

from weltoffen.interop.expressions import (
    XPATH,
    Binary,
    Call,
    ExpressionError,
    Field,
    Number,
    parse,
)
from weltoffen.interop.translate import (
    LinearTotal,
    Refs,
    Target,
    Term,
    Unsupported,
    to_condition,
    to_total,
)
from weltoffen.model.conditions import AllOf, AnyOf, Compare, Equals, Includes, Not

REFS = Refs(
    targets={
        "one": Target(question="one", kind="choice", codes={"a": "a", "b": "b"}),
        "many": Target(question="many", kind="multiple", codes={"x": "x", "y": "y"}),
        "n": Target(question="n", kind="numeric"),
        "gate": Target(question="gate", kind="yes_no", codes={"yes": True, "no": False}),
    }
)


def condition(text: str) -> object:
    return to_condition(parse(text, XPATH), REFS)


def total(text: str) -> object:
    return to_total(parse(text, "xpath"), REFS)


def test_references_the_current_question_and_hyphenated_functions() -> None:
    node = parse("count-selected(${many}) div 2 + . mod 3", XPATH)

    assert isinstance(node, Binary)
    assert node.op == "+"
    left, right = node.left, node.right
    assert isinstance(left, Binary)
    assert left.op == "/"
    assert isinstance(left.left, Call)
    assert left.left.name == "count-selected"
    assert left.left.args == (Field(name="many", span=(15, 22)),)
    assert right == Binary(
        op="mod",
        left=Field(name=".", span=(32, 33)),
        right=Number(value=3, span=(38, 39)),
        span=(32, 39),
    )


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("${one} = ‘a’", 9),  # typographic quotes: where the first one stands
        ("${one} = 'a", 9),
        ("${} = 'a'", 0),
        ("${one} ==", 8),
    ],
)
def test_what_is_no_xpath_is_refused_with_its_offset(text: str, offset: int) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(text, XPATH)

    assert caught.value.offset == offset


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${one} = 'a'", Equals("one", "a")),
        ("selected(${one}, 'b')", Equals("one", "b")),
        ("selected(${many}, 'x')", Includes("many", "x")),
        ("${gate} = 'yes'", Equals("gate", True)),
        ("${n} >= 2 and ${n} < 5", AllOf((Compare("n", "ge", 2.0), Compare("n", "lt", 5.0)))),
        (
            "not(selected(${many}, 'x') or ${one} != 'a')",
            Not(AnyOf((Includes("many", "x"), Not(Equals("one", "a"))))),
        ),
        ("not(${one} = 'a')", Not(Equals("one", "a"))),
    ],
)
def test_conditions_of_the_subset(text: str, expected: object) -> None:
    assert condition(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "selected(${one}, 'zz')",
        "selected(${many})",
        "${one} = ${many}",
        "string-length(${one}) > 1",
    ],
)
def test_conditions_outside_the_subset_are_refused(text: str) -> None:
    assert isinstance(condition(text), Unsupported)


def test_totals_coalesce_and_count_ticks() -> None:
    assert total("coalesce(${one}, 0) + 2 * count-selected(${many})") == LinearTotal(
        terms=(
            Term(question="one", coefficient=1.0),
            Term(question="many", coefficient=2.0, measure="ticked"),
        ),
        defined="always",
    )
    assert total("${one} + ${n} div 2") == LinearTotal(
        terms=(Term(question="one", coefficient=1.0), Term(question="n", coefficient=0.5)),
        defined="all_answered",
    )


@pytest.mark.parametrize(
    "text", ["coalesce(${one}, 1)", "coalesce(${one} + ${n}, 0)", "count-selected(${one})"]
)
def test_totals_outside_the_subset_are_refused(text: str) -> None:
    assert isinstance(total(text), Unsupported)
