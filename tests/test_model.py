"""Tests for weltoffen.model: frozen value objects, defaults, tree walks, conditions, texts."""

from __future__ import annotations

import attrs
import pytest

from weltoffen import (
    DONT_KNOW,
    NOT_APPLICABLE,
    SKIPPED,
    AllOf,
    AnyOf,
    Compare,
    Dimension,
    Equals,
    Includes,
    Not,
    OneOf,
    Option,
    Policies,
    Questionnaire,
    Response,
    ScaleQuestion,
    State,
    TextQuestion,
    YesNo,
)
from weltoffen.model.conditions import referenced_questions
from weltoffen.model.questions import QUESTION_KINDS
from weltoffen.model.text import pick
from weltoffen.strategies import Exclude, Explicit, WeightedMean

TREE = Questionnaire(
    id="t",
    dimensions=(
        Dimension(
            id="a",
            questions=(YesNo(id="q1"), YesNo(id="q2")),
            dimensions=(
                Dimension(id="a1", questions=(YesNo(id="q3"),)),
                Dimension(id="a2", dimensions=(Dimension(id="a2x", questions=(YesNo(id="q4"),)),)),
            ),
        ),
        Dimension(id="b", questions=(YesNo(id="q5"),)),
    ),
)


class TestValueObjects:
    def test_frozen(self) -> None:
        q = YesNo(id="q")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            q.weight = 2  # type: ignore[misc]

    def test_evolve_gives_a_changed_copy(self) -> None:
        q = YesNo(id="q")
        heavier = attrs.evolve(q, weight=2.0)
        assert (q.weight, heavier.weight) == (1.0, 2.0)

    def test_compare_by_value(self) -> None:
        assert YesNo(id="q", text={"en": "Q"}) == YesNo(id="q", text={"en": "Q"})
        assert YesNo(id="q") != YesNo(id="q", weight=2)

    def test_keyword_only(self) -> None:
        with pytest.raises(TypeError):
            YesNo("q")  # type: ignore[call-arg]


class TestDefaults:
    def test_question(self) -> None:
        q = YesNo(id="q")
        assert (q.weight, q.scored, q.dont_know, q.not_applicable, q.when) == (
            1.0,
            True,
            False,
            False,
            None,
        )
        assert (q.yes_points, q.no_points) == (1.0, 0.0)

    def test_text_questions_are_not_scored(self) -> None:
        assert TextQuestion(id="t").scored is False

    def test_dimension(self) -> None:
        d = Dimension(id="d")
        assert (1.0, Explicit(), WeightedMean(), Policies()) == (
            d.weight,
            d.weighting,
            d.aggregation,
            d.scoring,
        )

    def test_questionnaire_policies_exclude_by_default(self) -> None:
        q = Questionnaire(id="t")
        assert Policies(dont_know=Exclude(), skipped=Exclude(), min_coverage=0.0) == q.scoring
        assert (q.version, q.language) == ("1", "en")

    def test_policies_inherit_by_default(self) -> None:
        assert Policies(dont_know=None, skipped=None, min_coverage=None) == Policies()

    def test_response(self) -> None:
        r = Response(respondent="r")
        assert (dict(r.answers), dict(r.metadata)) == ({}, {})

    def test_each_question_kind_has_a_tag(self) -> None:
        assert {"scale", "yes_no", "choice", "multiple_choice", "numeric", "text"} == set(
            QUESTION_KINDS
        )
        assert all(cls.kind == tag for tag, cls in QUESTION_KINDS.items())


class TestTreeWalks:
    def test_dimensions_depth_first_with_paths(self) -> None:
        assert [(path, d.id) for path, d in TREE.iter_dimensions()] == [
            ("dimensions[0]", "a"),
            ("dimensions[0].dimensions[0]", "a1"),
            ("dimensions[0].dimensions[1]", "a2"),
            ("dimensions[0].dimensions[1].dimensions[0]", "a2x"),
            ("dimensions[1]", "b"),
        ]

    def test_questions_in_document_order_with_paths(self) -> None:
        assert [(path, q.id) for path, q in TREE.iter_questions()] == [
            ("dimensions[0].questions[0]", "q1"),
            ("dimensions[0].questions[1]", "q2"),
            ("dimensions[0].dimensions[0].questions[0]", "q3"),
            ("dimensions[0].dimensions[1].dimensions[0].questions[0]", "q4"),
            ("dimensions[1].questions[0]", "q5"),
        ]

    def test_deep_trees_need_no_recursion(self) -> None:
        dim = Dimension(id="leaf", questions=(YesNo(id="q"),))
        for i in range(3000):
            dim = Dimension(id=f"d{i}", dimensions=(dim,))
        q = Questionnaire(id="t", dimensions=(dim,))
        assert sum(1 for _ in q.iter_dimensions()) == 3001
        assert [x.id for _, x in q.iter_questions()] == ["q"]


class TestConditions:
    def test_referenced_questions_in_order(self) -> None:
        cond = AllOf(
            (
                Equals("a", 1),
                AnyOf((Not(OneOf("b", ("x",))), Includes("c", "y"))),
                Compare("d", "gt", 2),
            )
        )
        assert referenced_questions(cond) == ["a", "b", "c", "d"]

    def test_conditions_are_values(self) -> None:
        assert Equals("a", True) == Equals("a", True)
        assert hash(Not(Equals("a", True))) == hash(Not(Equals("a", True)))


class TestStates:
    def test_answer_states_are_distinct(self) -> None:
        assert len({s.value for s in State}) == 5
        assert (State.DONT_KNOW, State.NOT_APPLICABLE, State.SKIPPED) == (
            DONT_KNOW,
            NOT_APPLICABLE,
            SKIPPED,
        )

    def test_values_are_the_words_used_in_files(self) -> None:
        assert [s.value for s in State] == [
            "answered",
            "dont_know",
            "not_applicable",
            "skipped",
            "hidden",
        ]
        assert repr(DONT_KNOW) == "State.DONT_KNOW"


class TestPick:
    @pytest.mark.parametrize(
        ("text", "language", "expected"),
        [
            ({"de": "Ja", "en": "Yes"}, "en", "Yes"),
            ({"de": "Ja", "en": "Yes"}, "fr", "Ja"),  # falls back to the default language
            ({"en": "Yes"}, None, "Yes"),  # then to any language
            ({}, "de", ""),
        ],
    )
    def test_pick(self, text: dict[str, str], language: str | None, expected: str) -> None:
        assert expected == pick(text, language, "de")


def test_options_carry_value_label_points() -> None:
    option = Option(value="x", label={"de": "X"}, points=2)
    q = ScaleQuestion(id="q", options=(option,))
    assert ((q.options[0].value, q.options[0].points), dict(q.options[0].label)) == (
        ("x", 2),
        {"de": "X"},
    )
