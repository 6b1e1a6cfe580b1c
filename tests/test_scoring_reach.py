"""Tests for weltoffen.scoring.reach: conditions that can never hold, or always hold, are found
with their paths, and a warning is never a false alarm."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from unittest import mock

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.strategies import questionnaires, responses, with_conditions, without_point_bands
from weltoffen import (
    AllOf,
    AnyOf,
    Choice,
    Compare,
    Dimension,
    Equals,
    Includes,
    MultipleChoice,
    Not,
    Numeric,
    OneOf,
    Option,
    Questionnaire,
    ScaleQuestion,
    TextQuestion,
    Threshold,
    YesNo,
    check_warnings,
    compile,
    load_questionnaire,
    score,
)
from weltoffen.exceptions import ProblemCode
from weltoffen.instruments import load_instrument
from weltoffen.model.answers import State
from weltoffen.model.conditions import Condition
from weltoffen.scoring import reach
from weltoffen.scoring.reach import MAX_CASES, check_logic, gates


def yes_no(qid: str, when: Condition | None = None) -> YesNo:
    return YesNo(id=qid, text={"en": qid}, when=when)


def choice(
    qid: str, values: Sequence[str] = ("a", "b", "c"), when: Condition | None = None
) -> Choice:
    options = tuple(Option(value=v, points=float(i)) for i, v in enumerate(values))
    return Choice(id=qid, text={"en": qid}, options=options, when=when)


def number(qid: str, when: Condition | None = None, **bounds: Any) -> Numeric:
    steps = (Threshold(min=0, points=0), Threshold(min=1, points=1))
    return Numeric(id=qid, text={"en": qid}, thresholds=steps, when=when, **bounds)


def ticks(qid: str, when: Condition | None = None, **rules: Any) -> MultipleChoice:
    options = tuple(Option(value=v, points=1.0) for v in ("a", "b", "c"))
    return MultipleChoice(id=qid, text={"en": qid}, options=options, when=when, **rules)


def one(
    *questions: Any, when: Condition | None = None, inner: Sequence[Dimension] = ()
) -> Questionnaire:
    dims = [Dimension(id="d", title={"en": "D"}, questions=tuple(questions), when=when)]
    dims[0] = attrs.evolve(dims[0], dimensions=tuple(inner))
    return Questionnaire(id="t", version="1", title={"en": "T"}, dimensions=tuple(dims))


def found(q: Questionnaire) -> list[tuple[str, str, str]]:
    return [(p.code.value, p.path, p.message) for p in check_logic(q)]


class TestUnreachable:
    def test_a_comparison_beyond_the_maximum(self) -> None:
        q = one(number("n", maximum=10), yes_no("f", Compare("n", "gt", 10)))
        assert found(q) == [
            (
                "unreachable",
                "dimensions[0].questions[1].when",
                "the condition of question 'f' can never hold",
            )
        ]

    def test_a_whole_number_between_two_and_three(self) -> None:
        between = AllOf((Compare("n", "gt", 2), Compare("n", "lt", 3)))
        assert [c for c, _, _ in found(one(number("n", integer=True), yes_no("f", between)))] == [
            "unreachable"
        ]
        assert found(one(number("n"), yes_no("f", between))) == []

    def test_two_answers_of_one_choice_at_once(self) -> None:
        both = AllOf((Equals("c", "a"), OneOf("c", ("b", "c"))))
        assert len(found(one(choice("c"), yes_no("f", both)))) == 1
        assert (
            found(one(choice("c"), yes_no("f", AllOf((Equals("c", "a"), OneOf("c", ("a", "b")))))))
            == []
        )

    def test_more_ticks_than_allowed(self) -> None:
        both = AllOf((Includes("m", "a"), Includes("m", "b")))
        assert len(found(one(ticks("m", max_selected=1), yes_no("f", both)))) == 1
        assert found(one(ticks("m"), yes_no("f", both))) == []
        # with two options to tick, leaving a and b both out is impossible
        neither = AllOf((Not(Includes("m", "a")), Not(Includes("m", "b")), Includes("m", "c")))
        assert found(one(ticks("m", min_selected=2), yes_no("f", neither))) != []
        assert found(one(ticks("m", min_selected=1), yes_no("f", neither))) == []

    def test_a_question_gated_on_an_unreachable_one_is_unreachable(self) -> None:
        q = one(
            number("n", minimum=0),
            yes_no("a", Compare("n", "lt", 0)),
            yes_no("b", Equals("a", True)),
            yes_no("c", Not(Equals("a", True))),
        )
        assert [(code, path) for code, path, _ in found(q)] == [
            ("unreachable", "dimensions[0].questions[1].when"),
            ("unreachable", "dimensions[0].questions[2].when"),
            ("always-true", "dimensions[0].questions[3].when"),
        ]

    def test_a_condition_that_contradicts_its_dimension(self) -> None:
        inner = Dimension(
            id="e",
            title={"en": "E"},
            questions=(yes_no("f", Equals("c", "b")), yes_no("g", Equals("c", "a"))),
            when=Equals("c", "a"),
        )
        q = one(choice("c"), inner=[inner])
        assert found(q) == [
            (
                "unreachable",
                "dimensions[0].dimensions[0].questions[0].when",
                "the condition of question 'f' can never hold "
                "where its enclosing dimension applies",
            )
        ]

    def test_a_dimension_condition(self) -> None:
        later = Dimension(
            id="e",
            title={"en": "E"},
            questions=(yes_no("b"),),
            when=AllOf((Equals("a", True), Equals("a", False))),
        )
        q = attrs.evolve(one(yes_no("a")), dimensions=(one(yes_no("a")).dimensions[0], later))
        assert found(q) == [
            ("unreachable", "dimensions[1].when", "the condition of dimension 'e' can never hold")
        ]

    def test_text_answers(self) -> None:
        text = TextQuestion(id="t", text={"en": "t"})
        assert len(found(one(text, yes_no("f", AllOf((Equals("t", "x"), Equals("t", "y"))))))) == 1
        assert found(one(text, yes_no("f", AllOf((Equals("t", "x"), Not(Equals("t", "y"))))))) == []


class TestAlwaysTrue:
    def test_an_answer_or_its_negation(self) -> None:
        q = one(yes_no("a"), yes_no("f", AnyOf((Equals("a", True), Not(Equals("a", True))))))
        assert found(q) == [
            (
                "always-true",
                "dimensions[0].questions[1].when",
                "the condition of question 'f' always holds",
            )
        ]

    def test_not_beyond_the_range(self) -> None:
        q = one(number("n", minimum=0, maximum=5), yes_no("f", Not(Compare("n", "gt", 5))))
        assert [c for c, _, _ in found(q)] == ["always-true"]

    def test_an_answer_is_never_certain_because_it_may_be_skipped(self) -> None:
        every = OneOf("c", ("a", "b", "c"))
        assert found(one(choice("c"), yes_no("f", every))) == []
        assert found(one(number("n", minimum=0), yes_no("f", Compare("n", "ge", 0)))) == []


class TestPassedOver:
    def test_conditions_that_do_not_fit_their_question(self) -> None:
        # the checker reports these as errors; no guess about them here
        assert (
            found(
                one(choice("c"), yes_no("f", AllOf((Compare("c", "gt", 1), Compare("c", "lt", 0)))))
            )
            == []
        )
        assert (
            found(one(yes_no("a"), yes_no("f", AllOf((Equals("a", "x"), Equals("a", "y")))))) == []
        )
        assert found(one(yes_no("f", Equals("nobody", True)))) == []

    def test_too_many_combinations(self) -> None:
        many = [choice(f"c{i}", [str(k) for k in range(7)]) for i in range(6)]
        dead = AllOf((*(Equals(f"c{i}", "0") for i in range(6)), Equals("c0", "1")))
        assert MAX_CASES < 8**6
        assert found(one(*many, yes_no("f", dead))) == []
        assert (
            found(one(*many[:2], yes_no("f", AllOf(dead.conditions[:2] + dead.conditions[-1:]))))
            != []
        )

    def test_a_long_chain_is_judged_on_the_answers_it_reads(self) -> None:
        # following every gate back to c0 gives 8**6 cases; the last question alone settles it
        chain = [choice("c0", [str(k) for k in range(7)])]
        for i in range(1, 6):
            chain.append(choice(f"c{i}", [str(k) for k in range(7)], Equals(f"c{i - 1}", "0")))
        both = AllOf((Equals("c5", "1"), Equals("c5", "2")))
        assert [c for c, _, _ in found(one(*chain, yes_no("f", both)))] == ["unreachable"]

    def test_the_cases_of_a_questionnaire_have_a_limit(self) -> None:
        dead = AllOf((Equals("c", "a"), Equals("c", "b")))
        q = one(choice("c"), yes_no("f", dead), yes_no("g", dead))
        assert len(found(q)) == 2
        # each condition reads c: four cases (a, b, c, no answer); room for the first only
        with mock.patch.object(reach, "MAX_TOTAL_CASES", 6):
            assert [path for _, path, _ in found(q)] == ["dimensions[0].questions[1].when"]

    def test_a_cycle(self) -> None:
        q = one(yes_no("a", Equals("b", True)), yes_no("b", Equals("a", True)))
        assert found(q) == []


def test_check_warnings_reports_dead_logic_beside_look_alike_ids() -> None:
    q = one(
        number("n", maximum=10),
        yes_no("f", Compare("n", "gt", 10)),
        yes_no("\u0441ost"),
        yes_no("cost"),
    )
    assert [p.code for p in check_warnings(q)] == [
        ProblemCode.SUSPICIOUS_ID,
        ProblemCode.UNREACHABLE,
    ]


def test_the_gates_table() -> None:
    inner = Dimension(
        id="e",
        title={"en": "E"},
        questions=(yes_no("f", Equals("a", True)),),
        when=Equals("a", False),
    )
    conds, guards = gates(one(yes_no("a"), inner=[inner]))
    assert [(g.location, g.name, g.outer) for g in conds] == [
        (("dimensions", 0, "dimensions", 0, "when"), "dimension 'e'", ()),
        (("dimensions", 0, "dimensions", 0, "questions", 0, "when"), "question 'f'", (0,)),
    ]
    assert guards == {"a": (), "f": (0, 1)}


def test_no_alarm_on_the_bundled_instrument_and_the_examples() -> None:
    assert check_logic(load_instrument("weltoffene-kommune", "1.0")) == []
    assert check_logic(load_questionnaire("examples/basic/questionnaire.yaml")) == []


# -- never a false alarm --------------------------------------------------------------------


def probed(q: Questionnaire) -> tuple[Questionnaire, list[tuple[str, str]]]:
    """*q* with a probe question per warning, in a dimension of its own, that applies exactly
    when the warning says it cannot (unreachable) or when it says it must (always true)."""
    conds, _ = gates(q)
    by_place = {g.location: g for g in conds}
    probes: list[YesNo] = []
    claims: list[tuple[str, str]] = []
    for i, problem in enumerate(check_logic(q)):
        gate = by_place[problem.location]
        own = gate.condition
        if problem.code is ProblemCode.UNREACHABLE:
            when: Condition = AllOf((*(conds[o].condition for o in gate.outer), own))
        else:
            when = own
        probes.append(yes_no(f"probe-{i}", when))
        claims.append((f"probe-{i}", problem.code.value))
    if not probes:
        return q, []
    extra = Dimension(id="probes", title={"en": "P"}, questions=tuple(probes))
    # the probes add points to the whole: its bands (perhaps on points) are dropped
    return attrs.evolve(q, dimensions=(*q.dimensions, extra), bands=()), claims


@given(data=st.data())
def test_a_warning_is_never_a_false_alarm(data: st.DataObject) -> None:
    # the probes added below move the totals that bands on points must cover
    q = without_point_bands(data.draw(questionnaires(conditions=False, max_depth=2)))
    q = data.draw(with_conditions(q, chance=0.6))
    # a small limit makes the reasoning fall back to its wider set of cases
    limit = data.draw(st.sampled_from([MAX_CASES, 4]))
    with mock.patch.object(reach, "MAX_CASES", limit):
        checked, claims = probed(q)
    if not claims:
        return
    plan = compile(checked)
    for _ in range(20):
        response = data.draw(responses(q))
        result = score(plan, response, trace=True)
        states = {item.question: item.state for d in result.dimensions for item in d.items}
        for probe, claim in claims:
            hidden = states[probe] is State.HIDDEN
            assert hidden if claim == "unreachable" else not hidden, (probe, claim)


@pytest.mark.parametrize("kind", ["scale", "choice"])
def test_scale_questions_read_their_shared_scale(kind: str) -> None:
    from weltoffen import Scale

    scale = Scale(id="s", options=(Option(value="x", points=0), Option(value="y", points=1)))
    if kind == "scale":
        asked: Any = ScaleQuestion(id="c", text={"en": "c"}, scale="s")
    else:
        asked = choice("c", ("x", "y"))
    q = attrs.evolve(
        one(asked, yes_no("f", AnyOf((Equals("c", "x"), Not(Equals("c", "x")))))), scales=(scale,)
    )
    assert [c for c, _, _ in found(q)] == ["always-true"]
