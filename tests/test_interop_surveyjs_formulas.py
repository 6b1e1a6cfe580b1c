"""The expressions the SurveyJS export writes compute what weltoffen computes.

SurveyJS evaluates ``weltoffen_points``, ``weltoffen_score`` and the band conditions in the
browser. A small evaluator with SurveyJS's rules (an unanswered value adds 0 and compares false,
``!=`` of it holds, ``contains`` looks into lists) runs them here on the answers a completed
survey holds, and they agree with weltoffen's points, score and band. The SurveyJS dialect and
its translation to conditions are tested alongside.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.strategies import questionnaires, responses
from weltoffen import compile, score
from weltoffen.instruments import load_instrument
from weltoffen.interop.expressions import (
    SURVEYJS,
    Binary,
    Boolean,
    Call,
    ExpressionError,
    Field,
    Number,
    String,
    Unary,
    parse,
)
from weltoffen.interop.surveyjs import result_object, survey_json
from weltoffen.interop.translate import LinearTotal, Refs, Target, Term, to_condition, to_total
from weltoffen.model.answers import Response, State
from weltoffen.model.conditions import AllOf, AnyOf, Equals, Includes, Not, OneOf
from weltoffen.model.dimensions import Dimension
from weltoffen.model.questionnaire import Policies, Questionnaire
from weltoffen.model.questions import Choice, MultipleChoice, Option
from weltoffen.strategies import Equal, Exclude, Explicit, WeightedMean


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _number(value: Any) -> float:
    if _empty(value):
        return 0.0
    try:
        return float(value)
    except ValueError:  # JavaScript: a text that is no number computes as NaN
        return math.nan


def _equal(left: Any, right: Any) -> bool:
    if _empty(left) or _empty(right):
        return _empty(left) and _empty(right)
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right
    try:
        return float(left) == float(right)
    except (TypeError, ValueError):
        return bool(left == right)


def evaluate(node: Any, values: dict[str, Any]) -> Any:
    """*node* as SurveyJS evaluates it (the subset weltoffen writes)."""
    if isinstance(node, Number | String | Boolean):
        return node.value
    if isinstance(node, Field):
        return values.get(node.name)
    if isinstance(node, Call) and node.name == "[]":
        return [evaluate(a, values) for a in node.args]
    if isinstance(node, Call) and node.name == "iif":
        test, then, otherwise = node.args
        return evaluate(then if evaluate(test, values) else otherwise, values)
    if isinstance(node, Unary):
        operand = evaluate(node.operand, values)
        return {
            "not": lambda: not operand,
            "-": lambda: -_number(operand),
            "notempty": lambda: not _empty(operand),
            "empty": lambda: _empty(operand),
        }[node.op]()
    assert isinstance(node, Binary), node
    if node.op in ("and", "or"):
        left = bool(evaluate(node.left, values))
        if node.op == "and":
            return left and bool(evaluate(node.right, values))
        return left or bool(evaluate(node.right, values))
    left, right = evaluate(node.left, values), evaluate(node.right, values)
    if node.op in ("+", "-", "*", "/"):
        a, b = _number(left), _number(right)
        if node.op == "/":
            return a / b if b else (math.inf if a > 0 else -math.inf if a < 0 else math.nan)
        return {"+": a + b, "-": a - b, "*": a * b}[node.op]
    if node.op == "=":
        return _equal(left, right)
    if node.op == "!=":
        return not _equal(left, right)
    if node.op in ("<", "<=", ">", ">="):
        if _empty(left) or _empty(right):
            return False
        a, b = _number(left), _number(right)
        return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[node.op]
    if node.op in ("contains", "notcontains"):
        found = (
            right in left
            if isinstance(left, list)
            else isinstance(left, str) and str(right) in left
        )
        return found if node.op == "contains" else not found
    if node.op == "anyof":
        items = left if isinstance(left, list) else [left]
        return any(_equal(i, r) for i in items for r in right)
    raise AssertionError(node.op)


class _Survey:
    """A questionnaire's survey with its expressions parsed once."""

    def __init__(self, q: Questionnaire) -> None:
        self.q = q
        self.plan = compile(q)
        survey = survey_json(q)
        self.names = [c["name"] for c in survey.get("calculatedValues", [])]
        self.values = [
            (c["name"], parse(c["expression"], SURVEYJS))
            for c in survey.get("calculatedValues", [])
        ]
        self.bands = [
            parse(c["expression"], SURVEYJS) for c in survey.get("completedHtmlOnCondition", [])
        ]

    def check(self, response: Any) -> None:
        values = result_object(response, self.q)
        for name, node in self.values:
            values[name] = evaluate(node, values)
        result = score(self.plan, response)
        assert values["weltoffen_points"] == pytest.approx(result.points, abs=1e-9)
        if "weltoffen_score" in values:
            want = -1.0 if result.score is None else result.score
            assert values["weltoffen_score"] == pytest.approx(want, abs=1e-6)
        shown = [i for i, node in enumerate(self.bands) if evaluate(node, values)]
        if result.band is None or not self.bands:
            assert shown == []
        else:
            ordered = sorted(self.q.bands, key=lambda b: b.min)
            assert [ordered[i].id for i in shown] == [result.band]


SELF_CHECK = load_instrument("weltoffene-kommune", "1.0")
_SELF_CHECK = _Survey(SELF_CHECK)


@settings(max_examples=60, deadline=None)
@given(responses(SELF_CHECK))
def test_the_self_check_scores_in_the_survey_as_in_weltoffen(response: Any) -> None:
    assert "weltoffen_score" in _SELF_CHECK.names
    _SELF_CHECK.check(response)


def test_a_checkbox_not_applicable_takes_no_weight_in_the_survey() -> None:
    # the checkbox holds ["notapplicable"]: with full coverage required, counting it as
    # applicable but unanswered would leave the survey's score "not assessable"
    q = Questionnaire(
        id="t",
        scoring=Policies(min_coverage=1.0),
        dimensions=(
            Dimension(
                id="d",
                questions=(
                    MultipleChoice(
                        id="tools",
                        options=(Option(value="a", points=1.0),),
                        not_applicable=True,
                    ),
                    Choice(
                        id="c",
                        options=(Option(value="x", points=0.0), Option(value="y", points=2.0)),
                    ),
                ),
            ),
        ),
    )
    response = Response(respondent="r", answers={"tools": State.NOT_APPLICABLE, "c": "y"})
    assert score(compile(q), response).score == 100.0
    _Survey(q).check(response)


@settings(max_examples=60, deadline=None)
@given(
    questionnaires(
        aggregations=(WeightedMean(),),
        weightings=(Explicit(), Equal()),
        policy_kinds=(Exclude(),),
        missing_codes=False,
    ).flatmap(lambda q: st.tuples(st.just(q), responses(q)))
)
def test_generated_questionnaires_score_in_the_survey_as_in_weltoffen(case: Any) -> None:
    q, response = case
    # SurveyJS keeps no empty text: an answer "" is no answer there
    assume(all(value != "" for value in response.answers.values()))
    _Survey(q).check(response)


# -- the dialect ---------------------------------------------------------------------------


def test_surveyjs_expressions_parse() -> None:
    node = parse("{a-1} = 'it\\'s' and !({b} anyof ['x', \"y\"]) or {c} notempty", SURVEYJS)
    assert isinstance(node, Binary)
    assert node.op == "or"
    assert node.right == Unary(op="notempty", operand=Field(name="c", span=(47, 50)), span=(47, 59))
    first = node.left.left  # type: ignore[union-attr]
    assert first.right == String(value="it's", span=(8, 15))
    total = parse("sum({q1}, {q2}) * 2 % 3", SURVEYJS)
    assert isinstance(total, Binary)
    assert total.op == "mod"


@pytest.mark.parametrize(
    ("text", "offset"),
    [("{a} = 'open", 6), ("{a} ? 1", 4), ("{a} anyof ['x'", 14), ("", 0), ("{} = 1", 0)],
)
def test_surveyjs_syntax_errors_are_located(text: str, offset: int) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(text, SURVEYJS)
    assert caught.value.offset == offset


_REFS = Refs(
    targets={
        "c": Target(question="c", kind="choice", codes={"1": "1", "2": "2", "x": "x"}),
        "m": Target(question="m", kind="multiple", codes={"a": "a", "b": "b"}),
        "y": Target(question="y", kind="yes_no", codes={"true": True, "false": False}),
        "n": Target(question="n", kind="numeric"),
    }
)


@pytest.mark.parametrize(
    ("text", "condition"),
    [
        ("{c} = 1", Equals("c", "1")),
        ("{c} anyof [1, 'x']", OneOf("c", ("1", "x"))),
        ("{c} noneof ['x']", Not(Equals("c", "x"))),
        ("{m} contains 'a'", Includes("m", "a")),
        ("{m} notcontains 'a'", Not(Includes("m", "a"))),
        ("{m} anyof ['a', 'b']", AnyOf((Includes("m", "a"), Includes("m", "b")))),
        ("{m} allof ['a', 'b']", AllOf((Includes("m", "a"), Includes("m", "b")))),
        ("{y}", Equals("y", True)),
        ("!{y} and {c} notempty", AllOf((Not(Equals("y", True)), OneOf("c", ("1", "2", "x"))))),
        ("{c} empty", Not(OneOf("c", ("1", "2", "x")))),
    ],
)
def test_surveyjs_conditions_translate(text: str, condition: Any) -> None:
    assert to_condition(parse(text, SURVEYJS), _REFS) == condition


def test_a_value_that_is_no_choice_is_not_translated() -> None:
    got = to_condition(parse("{c} anyof ['z']", SURVEYJS), _REFS)
    assert not isinstance(got, Equals | OneOf)


def test_surveyjs_totals_count_blanks_as_zero() -> None:
    node = parse("{c} + 2 * {n}", SURVEYJS)
    total = to_total(node, _REFS, blank_is_zero=True)
    assert total == LinearTotal(
        terms=(Term(question="c", coefficient=1.0), Term(question="n", coefficient=2.0)),
        defined="always",
    )
    assert isinstance(to_total(node, _REFS), LinearTotal)
    assert to_total(node, _REFS).defined == "all_answered"  # type: ignore[union-attr]
