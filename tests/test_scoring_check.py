"""Tests for weltoffen.scoring.check: each model check finds its problem at the right path."""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.strategies import look_alike_pairs, unseen_chars
from weltoffen import (
    AllOf,
    AnyOf,
    Band,
    Choice,
    Compare,
    Dimension,
    Equals,
    Includes,
    Linear,
    MetadataField,
    MultipleChoice,
    Not,
    Numeric,
    OneOf,
    Option,
    Policies,
    Problem,
    Questionnaire,
    Scale,
    ScaleQuestion,
    TextQuestion,
    Threshold,
    YesNo,
    check_questionnaire,
    check_warnings,
)
from weltoffen._rules import InvariantError
from weltoffen.exceptions import Location
from weltoffen.model import Condition, Question
from weltoffen.scoring.check import check_bands, point_range

OPTS = (Option(value="lo", points=0), Option(value="hi", points=1))


def ask(qid: str = "q", **kwargs: Any) -> ScaleQuestion:
    return ScaleQuestion(id=qid, options=OPTS, **kwargs)


def one(*questions: Question, **dimension: Any) -> Questionnaire:
    return Questionnaire(id="t", dimensions=(Dimension(id="d", questions=questions, **dimension),))


# Rules of one object (a band's bounds, a weight) are checked as the object is built. To see them
# beside the checks across objects, as loading a file reports them, tests build such objects
# with attrs' validators off (``unchecked()``) and ``problems`` adds the rules they break.
unchecked = attrs.validators.disabled


def rules(obj: object, at: Location = ()) -> Iterator[Problem]:
    """The rules of single objects that *obj* and its parts break, placed as a file's are."""
    if isinstance(obj, tuple):
        for i, item in enumerate(obj):
            yield from rules(item, (*at, i))
        return
    if not attrs.has(type(obj)):
        return
    for a in attrs.fields(type(obj)):
        if a.validator is not None:
            try:
                a.validator(obj, a, getattr(obj, a.name))
            except InvariantError as e:
                where = at if e.whole else (*at, a.name)
                yield Problem(e.code, e.message, location=where, expected=e.expected, got=e.got)
    for a in attrs.fields(type(obj)):
        yield from rules(getattr(obj, a.name), (*at, a.name))


def problems(q: Questionnaire) -> list[Problem]:
    """The broken rules of single objects, then the problems across them (leaving out what
    follows from a broken rule at the same place, as loading does)."""
    broken = list(rules(q))
    places = {p.location for p in broken} | {p.location[:-1] for p in broken}
    return broken + [p for p in check_questionnaire(q) if p.location not in places]


def found(q: Questionnaire) -> dict[str, list[str]]:
    """Problem messages by path."""
    out: dict[str, list[str]] = {}
    for p in problems(q):
        out.setdefault(p.path, []).append(p.message)
    return out


def only(q: Questionnaire) -> Problem:
    problems_ = problems(q)
    assert len(problems_) == 1, [str(p) for p in problems_]
    return problems_[0]


def test_a_valid_questionnaire_has_no_problems() -> None:
    q = Questionnaire(
        id="t",
        scales=(Scale(id="s", options=OPTS),),
        bands=(Band(id="a", min=0, max=50), Band(id="b", min=50, max=100)),
        dimensions=(
            Dimension(
                id="d",
                questions=(
                    ScaleQuestion(id="q1", scale="s"),
                    YesNo(id="q2", when=Equals("q1", "hi")),
                    TextQuestion(id="note"),
                ),
                dimensions=(Dimension(id="e", questions=(ask("q3"),), when=Equals("q2", True)),),
            ),
        ),
    )
    assert check_questionnaire(q) == []


class TestIds:
    def test_duplicate_metadata_key_and_option_value(self) -> None:
        field = MetadataField(key="type", options=(Option(value="a"), Option(value="a")))
        q = attrs.evolve(one(ask()), metadata=(field, MetadataField(key="type")))
        assert found(q) == {
            "metadata[0].options[1].value": ["duplicate value 'a'"],
            "metadata[1].key": ["duplicate metadata key 'type'"],
        }

    def test_duplicate_question_id_names_the_first(self) -> None:
        q = Questionnaire(
            id="t",
            dimensions=(
                Dimension(id="a", questions=(ask("q"),)),
                Dimension(id="b", questions=(ask("q"),)),
            ),
        )
        problem = only(q)
        assert (problem.path, problem.got) == (
            "dimensions[1].questions[0].id",
            "first at dimensions[0].questions[0]",
        )

    def test_duplicate_dimension_id_in_a_subtree(self) -> None:
        inner = Dimension(id="a", questions=(ask("q2"),))
        q = Questionnaire(
            id="t", dimensions=(Dimension(id="a", questions=(ask(),), dimensions=(inner,)),)
        )
        assert only(q).path == "dimensions[0].dimensions[0].id"

    def test_duplicate_option_value(self) -> None:
        q = one(
            ScaleQuestion(
                id="q", options=(Option(value="x", points=0), Option(value="x", points=1))
            )
        )
        assert "dimensions[0].questions[0].options[1].value" in found(q)

    def test_option_value_reserved_for_a_state(self) -> None:
        q = one(
            Choice(
                id="q", options=(Option(value="dont_know", points=0), Option(value="y", points=1))
            )
        )
        messages = found(q)["dimensions[0].questions[0].options[0].value"]
        assert any("reserved" in m for m in messages)


def every_kind_of_id(
    questionnaire: str = "t",
    scale: str = "s",
    key: str = "type",
    meta: str = "a",
    band: str = "low",
    dimension: str = "d",
    question: str = "q1",
    option: str = "lo",
) -> Questionnaire:
    """A valid questionnaire with one id of every kind, each of which may be given."""
    return Questionnaire(
        id=questionnaire,
        scales=(Scale(id=scale, options=OPTS),),
        metadata=(MetadataField(key=key, options=(Option(value=meta),)),),
        bands=(Band(id=band, min=0, max=50), Band(id="high", min=50, max=100)),
        dimensions=(
            Dimension(
                id=dimension,
                questions=(
                    ScaleQuestion(id=question, scale=scale),
                    Choice(id="q2", options=(Option(value=option), Option(value="x", points=1))),
                ),
            ),
        ),
    )


#: Where each keyword of every_kind_of_id puts its id, and what the id is called.
ID_PLACES = {
    "questionnaire": ("id", "questionnaire id"),
    "scale": ("scales[0].id", "scale id"),
    "key": ("metadata[0].key", "metadata key"),
    "meta": ("metadata[0].options[0].value", "metadata value"),
    "band": ("bands[0].id", "band id"),
    "dimension": ("dimensions[0].id", "dimension id"),
    "question": ("dimensions[0].questions[0].id", "question id"),
    "option": ("dimensions[0].questions[1].options[0].value", "option value"),
}

#: Characters that show nothing, or act on other text: zero-width ones, bidi marks and
#: overrides, controls, and default-ignorable letters such as variation selectors.
_hidden = st.one_of(
    unseen_chars, st.sampled_from(["\u034f", "\u3164", "\ufe0f", "\U000e0100", "\u180b"])
)


@st.composite
def ids_with_hidden_characters(draw: st.DrawFn) -> str:
    chars = list(draw(st.sampled_from(["q1", "cost", "ja", "d"])))
    for _ in range(draw(st.integers(1, 3))):
        chars.insert(draw(st.integers(0, len(chars))), draw(_hidden))
    return "".join(chars)


_padding = st.text(alphabet=st.characters(categories=("Zs",)), max_size=3)


def test_every_kind_of_id_is_valid() -> None:
    assert check_questionnaire(every_kind_of_id()) == []
    assert check_warnings(every_kind_of_id()) == []


class TestIdsAreWhatTheyLookLike:
    @given(place=st.sampled_from(sorted(ID_PLACES)), value=ids_with_hidden_characters())
    def test_invisible_characters_are_refused(self, place: str, value: str) -> None:
        path, what = ID_PLACES[place]

        problem = only(every_kind_of_id(**{place: value}))

        assert (problem.path, problem.message) == (
            path,
            f"{what} {value!r} holds an invisible character",
        )
        assert str(problem.got).startswith("U+")

    @given(
        place=st.sampled_from(sorted(ID_PLACES)),
        padding=st.tuples(_padding, _padding).filter(any),
    )
    def test_white_space_around_an_id_is_refused(
        self, place: str, padding: tuple[str, str]
    ) -> None:
        """CSV and XLSX cells are trimmed, so such an id could never be answered from a sheet."""
        path, what = ID_PLACES[place]
        value = f"{padding[0]}id{padding[1]}"

        problem = only(every_kind_of_id(**{place: value}))

        assert (problem.path, problem.message, problem.expected) == (
            path,
            f"{what} {value!r} begins or ends with white space",
            "'id'",
        )

    def test_white_space_inside_an_id_is_fine(self) -> None:
        assert check_questionnaire(every_kind_of_id(option="sehr gut")) == []

    def test_the_character_is_named(self) -> None:
        problem = only(every_kind_of_id(question="q\u200b1\u200e"))

        assert problem.got == "U+200B ZERO WIDTH SPACE at character 2 and 1 more"


class TestLookAlikeIds:
    @given(pair=look_alike_pairs())
    def test_question_ids(self, pair: tuple[str, str]) -> None:
        first, second = pair
        q = Questionnaire(
            id="t", dimensions=(Dimension(id="d", questions=(ask(first), ask(second))),)
        )

        assert check_questionnaire(q) == []
        (warning,) = check_warnings(q)
        assert warning.path == "dimensions[0].questions[1].id"
        assert (
            f"question id {second!r} looks like {first!r} at dimensions[0].questions[0].id"
            == warning.message
        )

    @given(pair=look_alike_pairs())
    def test_option_values_of_one_question(self, pair: tuple[str, str]) -> None:
        first, second = pair
        q = one(
            ScaleQuestion(id="q", options=(Option(value=first), Option(value=second, points=1)))
        )

        (warning,) = check_warnings(q)

        assert warning.path == "dimensions[0].questions[0].options[1].value"
        assert "dimensions[0].questions[0].options[0].value" in warning.message

    @given(pair=look_alike_pairs())
    def test_dimension_ids_across_the_tree(self, pair: tuple[str, str]) -> None:
        first, second = pair
        inner = Dimension(id=second, questions=(ask("q2"),))
        q = Questionnaire(
            id="t", dimensions=(Dimension(id=first, questions=(ask(),), dimensions=(inner,)),)
        )

        (warning,) = check_warnings(q)

        assert warning.path == "dimensions[0].dimensions[0].id"

    def test_the_differing_characters_are_named(self) -> None:
        q = Questionnaire(
            id="t", dimensions=(Dimension(id="d", questions=(ask("cost"), ask("\u0441ost"))),)
        )

        (warning,) = check_warnings(q)

        assert warning.got == (
            "U+0441 CYRILLIC SMALL LETTER ES at character 1, where the other has "
            "U+0063 LATIN SMALL LETTER C"
        )

    def test_ids_of_different_kinds_may_look_alike(self) -> None:
        """A question and a dimension are never named in the same place."""
        q = Questionnaire(id="t", dimensions=(Dimension(id="\u0441ost", questions=(ask("cost"),)),))

        assert check_warnings(q) == []

    def test_the_same_option_values_in_two_questions_are_fine(self) -> None:
        assert check_warnings(one(ask("a"), ask("b"))) == []


class TestScalesAndOptions:
    def test_unknown_scale_lists_the_known(self) -> None:
        q = Questionnaire(
            id="t",
            scales=(Scale(id="agree", options=OPTS),),
            dimensions=(
                Dimension(id="d", questions=(ScaleQuestion(id="q", scale="agre"), ask("ok"))),
            ),
        )
        problem = only(q)
        assert (problem.path, problem.expected) == (
            "dimensions[0].questions[0].scale",
            "one of 'agree'",
        )

    def test_scale_and_options_together(self) -> None:
        q = Questionnaire(
            id="t",
            scales=(Scale(id="s", options=OPTS),),
            dimensions=(
                Dimension(id="d", questions=(ScaleQuestion(id="q", scale="s", options=OPTS),)),
            ),
        )
        assert "not both" in only(q).message

    def test_too_few_options(self) -> None:
        q = one(ask("ok"), Choice(id="q", options=OPTS[:1]))
        assert "dimensions[0].questions[1].options" in found(q)

    def test_scale_with_too_few_options(self) -> None:
        q = Questionnaire(
            id="t",
            scales=(Scale(id="s", options=()),),
            dimensions=(Dimension(id="d", questions=(ask(),)),),
        )
        assert "scales[0].options" in found(q)

    @pytest.mark.parametrize("points", [-math.inf, math.inf, math.nan])
    def test_bad_points(self, points: float) -> None:
        with unchecked():
            q = one(
                ScaleQuestion(
                    id="q", options=(Option(value="a", points=points), Option(value="b", points=1))
                )
            )
        assert "dimensions[0].questions[0].options[0].points" in found(q)

    def test_question_that_cannot_discriminate(self) -> None:
        q = one(ask(), YesNo(id="q2", yes_points=1, no_points=1))
        problem = only(q)
        assert problem.path == "dimensions[0].questions[1]"
        assert "cannot discriminate" in problem.message

    def test_unscored_question_need_not_discriminate(self) -> None:
        assert (
            check_questionnaire(one(ask(), YesNo(id="q2", yes_points=1, no_points=1, scored=False)))
            == []
        )


class TestMultipleChoice:
    OPTS3 = (Option(value="a", points=1), Option(value="b", points=1), Option(value="c", points=1))

    @pytest.mark.parametrize(
        ("kwargs", "where"),
        [
            ({"min_selected": 2, "max_selected": 1}, "max_selected"),
            ({"min_selected": 4}, "min_selected"),
            ({"min_selected": -1}, "min_selected"),
            ({"method": "sum", "cap": 0.0}, "cap"),
            ({"method": "sum", "cap": math.inf}, "cap"),
            ({"method": "share", "cap": 2.0}, "cap"),
        ],
    )
    def test_settings(self, kwargs: dict[str, Any], where: str) -> None:
        with unchecked():
            q = one(MultipleChoice(id="q", options=self.OPTS3, **kwargs))
        assert f"dimensions[0].questions[0].{where}" in found(q)


class TestNumeric:
    def test_minimum_above_maximum(self) -> None:
        with unchecked():
            q = one(Numeric(id="q", minimum=5, maximum=1, linear=Linear(low=0, high=1)))
        assert "minimum is above maximum" in only(q).message

    def test_both_or_neither_scoring(self) -> None:
        both = one(
            Numeric(
                id="q",
                thresholds=(Threshold(min=0, points=0), Threshold(min=1, points=1)),
                linear=Linear(low=0, high=1),
            )
        )
        assert "not both" in only(both).message
        neither = one(Numeric(id="q"), ask("ok"))
        assert "thresholds or linear" in only(neither).message
        assert check_questionnaire(one(ask(), Numeric(id="n", scored=False))) == []

    def test_thresholds_must_rise(self) -> None:
        q = one(
            Numeric(id="q", thresholds=(Threshold(min=5, points=0), Threshold(min=5, points=1)))
        )
        assert "dimensions[0].questions[0].thresholds[1].min" in found(q)

    def test_linear_needs_two_ends_and_points(self) -> None:
        with unchecked():
            same_ends = one(Numeric(id="q", linear=Linear(low=1, high=1)))
            no_points = one(Numeric(id="q", linear=Linear(low=0, high=1, points=0)))
        assert "dimensions[0].questions[0].linear" in found(same_ends)
        assert "dimensions[0].questions[0].linear.points" in found(no_points)

    def test_non_finite_bounds(self) -> None:
        with unchecked():
            q = one(Numeric(id="q", maximum=math.inf, linear=Linear(low=0, high=1)))
        assert "dimensions[0].questions[0].maximum" in found(q)


def test_free_text_cannot_be_scored() -> None:
    q = one(ask(), TextQuestion(id="t", scored=True))
    assert "dimensions[0].questions[1].scored" in found(q)


class TestWeights:
    @pytest.mark.parametrize("weight", [-1.0, math.inf, math.nan])
    def test_question_and_dimension_weights(self, weight: float) -> None:
        with unchecked():
            q = Questionnaire(
                id="t",
                dimensions=(Dimension(id="d", weight=weight, questions=(ask(weight=weight),)),),
            )
        problems = found(q)
        assert "dimensions[0].weight" in problems
        assert "dimensions[0].questions[0].weight" in problems

    def test_zero_weight_is_allowed_beside_a_positive_one(self) -> None:
        assert check_questionnaire(one(ask("a"), ask("b", weight=0))) == []


class TestDimensions:
    def test_empty(self) -> None:
        q = Questionnaire(
            id="t", dimensions=(Dimension(id="d", questions=(ask(),)), Dimension(id="e"))
        )
        problem = only(q)
        assert (problem.path, problem.expected) == ("dimensions[1]", "questions or dimensions")

    def test_maximum_zero_through_weights(self) -> None:
        q = one(ask("a", weight=0), ask("b", weight=0))
        assert "maximum is zero" in only(q).message

    def test_maximum_zero_through_a_child(self) -> None:
        child = Dimension(id="c", weight=0, questions=(ask(),))
        q = Questionnaire(id="t", dimensions=(Dimension(id="d", dimensions=(child,)),))
        assert "dimensions[0]" in found(q)

    def test_only_text(self) -> None:
        assert "maximum is zero" in only(one(TextQuestion(id="t"))).message


@pytest.mark.parametrize("coverage", [-0.1, 1.5])
def test_min_coverage_outside_0_to_1(coverage: float) -> None:
    with unchecked():
        q = Questionnaire(
            id="t",
            scoring=Policies(min_coverage=coverage),
            dimensions=(
                Dimension(id="d", scoring=Policies(min_coverage=coverage), questions=(ask(),)),
            ),
        )
    assert {"scoring.min_coverage", "dimensions[0].scoring.min_coverage"} <= set(found(q))


class TestBands:
    def band(self, lo: float, hi: float, bid: str = "b") -> Band:
        return Band(id=bid, min=lo, max=hi)

    def test_tiling_is_fine_in_any_order(self) -> None:
        assert check_bands((self.band(50, 100, "x"), self.band(0, 50, "y")), ("bands",)) == []

    def test_no_bands_is_fine(self) -> None:
        assert check_bands((), ("bands",)) == []

    @pytest.mark.parametrize(
        ("bands", "path", "phrase"),
        [
            (((0, 40), (50, 100)), "bands[1]", "gap"),
            (((0, 60), (50, 100)), "bands[1]", "overlap"),
            (((10, 100),), "bands", "gap"),
            (((0, 90),), "bands", "gap"),
            (((0, 100), (100, 120)), "bands[1].max", "outside"),
            (((-10, 100),), "bands[0].min", "outside"),
            (((0, 50), (50, 50), (50, 100)), "bands[1]", "empty"),
            (((0, math.nan), (50, 100)), "bands[0].max", "outside"),
        ],
    )
    def test_problems(self, bands: tuple[tuple[float, float], ...], path: str, phrase: str) -> None:
        with unchecked():
            made = tuple(self.band(lo, hi, f"b{i}") for i, (lo, hi) in enumerate(bands))
        problems = [*rules(made, ("bands",)), *check_bands(made, ("bands",))]
        assert any(p.path == path and phrase in p.message for p in problems), [
            str(p) for p in problems
        ]

    def test_duplicate_band_id(self) -> None:
        problems = check_bands((self.band(0, 50), self.band(50, 100)), ("x", "bands"))
        assert [p.path for p in problems] == ["x.bands[1].id"]


class TestConditions:
    def cond(self, condition: Condition) -> dict[str, list[str]]:
        q = one(
            YesNo(id="yn"),
            Numeric(id="num", linear=Linear(low=0, high=10)),
            MultipleChoice(id="mc", options=OPTS),
            ask("target", when=condition),
        )
        return found(q)

    def test_valid_conditions(self) -> None:
        for c in (
            Equals("yn", True),
            Compare("num", "ge", 3),
            Includes("mc", "hi"),
            OneOf("mc", ("lo",)),
            AllOf((Equals("yn", False), Not(Compare("num", "lt", 1)))),
        ):
            assert self.cond(c) == {}, c

    def test_unknown_question_nested(self) -> None:
        problems = self.cond(AnyOf((Equals("yn", True), Not(Equals("ghost", 1)))))
        assert "dimensions[0].questions[3].when.any[1].not.question" in problems

    def test_includes_needs_multiple_choice(self) -> None:
        assert "dimensions[0].questions[3].when.includes" in self.cond(Includes("yn", "x"))

    def test_comparison_needs_a_number_question(self) -> None:
        assert "dimensions[0].questions[3].when.gt" in self.cond(Compare("yn", "gt", 1))

    def test_value_must_be_an_answer(self) -> None:
        problems = self.cond(OneOf("mc", ("lo", "mid")))
        assert any("'mid'" in m for m in problems["dimensions[0].questions[3].when"])

    def test_empty_all(self) -> None:
        assert "dimensions[0].questions[3].when.all" in self.cond(AllOf(()))

    def test_cycle_through_a_nested_dimension(self) -> None:
        inner = Dimension(id="inner", questions=(YesNo(id="deep"),))
        q = Questionnaire(
            id="t",
            dimensions=(
                Dimension(
                    id="outer", when=Equals("deep", True), questions=(ask(),), dimensions=(inner,)
                ),
            ),
        )
        problem = only(q)
        assert (
            problem.path,
            problem.message,
        ) == (
            "dimensions[0].when",
            "conditions form a cycle: dimension 'outer' -> dimension 'outer'",
        )

    def test_chains_without_cycles_are_fine(self) -> None:
        chain = [YesNo(id="q0")] + [
            YesNo(id=f"q{i}", when=Equals(f"q{i - 1}", True)) for i in range(1, 300)
        ]
        assert check_questionnaire(one(*chain)) == []


# -- every problem in full: path, message, expected and got ----------------------------------


def described(q: Questionnaire) -> list[str]:
    """Every problem as a user reads it (path, message, what was expected and what was found)."""
    return [str(p) for p in problems(q)]


def nested(depth: int) -> Questionnaire:
    """A questionnaire whose dimension tree is *depth* levels deep, questions at the bottom."""
    dim = Dimension(id=f"d{depth}", questions=(ask(),))
    for level in range(depth - 1, 0, -1):
        dim = Dimension(id=f"d{level}", dimensions=(dim,))
    return Questionnaire(id="t", dimensions=(dim,))


class TestDepth:
    def test_fifty_levels_are_accepted(self) -> None:
        assert check_questionnaire(nested(50)) == []

    def test_one_level_more_is_the_only_problem(self) -> None:
        assert described(nested(51)) == [
            ".".join(["dimensions[0]"] * 51)
            + ": dimensions nested too deeply (expected at most 50 levels)"
        ]


class TestMessagesInFull:
    def test_scales(self) -> None:
        with unchecked():
            q = Questionnaire(
                id="t",
                scales=(
                    Scale(id="s", options=OPTS),
                    Scale(id="s", options=(Option(value="a"),)),
                    Scale(
                        id="u",
                        options=(Option(value="skipped"), Option(value="skipped", points=math.inf)),
                    ),
                    Scale(id="ok", options=(Option(value="a"), Option(value="b", points=1))),
                ),
                dimensions=(Dimension(id="d", questions=(ScaleQuestion(id="q", scale="ok"),)),),
            )
        assert described(q) == [
            "scales[2].options[1].points: points must be a finite number (got inf)",
            "scales[1].id: duplicate scale id 's'",
            "scales[1].options: needs at least 2 options (got 1)",
            "scales[2].options[0].value: 'skipped' is reserved for the answer state of that name",
            "scales[2].options[1].value: duplicate option value 'skipped'",
            "scales[2].options[1].value: 'skipped' is reserved for the answer state of that name",
        ]

    def test_a_later_scale_of_the_same_id_is_the_one_questions_use(self) -> None:
        q = Questionnaire(
            id="t",
            scales=(Scale(id="s", options=OPTS), Scale(id="s", options=(Option(value="x"),) * 2)),
            dimensions=(Dimension(id="d", questions=(ScaleQuestion(id="q", scale="s"),)),),
        )
        assert described(q)[-2:] == [
            "dimensions[0]: dimension 'd' can never score: its maximum is zero (expected at "
            "least one scored question with a positive weight and point range)",
            "dimensions[0].questions[0]: question 'q' cannot discriminate: every answer earns "
            "0.0 points (expected options with different points (or scored: false))",
        ]

    def test_min_coverage_bounds_are_inclusive(self) -> None:
        for coverage in (0.0, 1.0):
            q = attrs.evolve(one(ask()), scoring=Policies(min_coverage=coverage))
            assert check_questionnaire(q) == []
        with unchecked():
            q = Questionnaire(
                id="t",
                scoring=Policies(min_coverage=-0.5),
                dimensions=(
                    Dimension(id="d", scoring=Policies(min_coverage=2.0), questions=(ask(),)),
                ),
            )
        assert described(q) == [
            "scoring.min_coverage: min_coverage must lie in 0..1 (got -0.5)",
            "dimensions[0].scoring.min_coverage: min_coverage must lie in 0..1 (got 2.0)",
        ]

    def test_bands_of_the_questionnaire_and_of_a_dimension(self) -> None:
        q = Questionnaire(
            id="t",
            bands=(Band(id="a", min=0, max=90),),
            dimensions=(
                Dimension(id="d", bands=(Band(id="b", min=5, max=100),), questions=(ask(),)),
            ),
        )
        assert described(q) == [
            "bands: bands leave a gap (expected a band ending at 100, got 90..100 uncovered)",
            "dimensions[0].bands: bands leave a gap (expected a band starting at 0, "
            "got 0..5 uncovered)",
        ]

    def test_every_duplicate_names_the_first(self) -> None:
        q = Questionnaire(
            id="t",
            dimensions=(
                Dimension(id="d", questions=(ask("q"), ask("q"))),
                Dimension(id="d", questions=(ask("q"),)),
                Dimension(id="d", questions=(ask("r"),)),
            ),
        )
        assert described(q) == [
            "dimensions[1].id: duplicate dimension id 'd' (got first at dimensions[0])",
            "dimensions[2].id: duplicate dimension id 'd' (got first at dimensions[0])",
            "dimensions[0].questions[1].id: duplicate question id 'q' "
            "(got first at dimensions[0].questions[0])",
            "dimensions[1].questions[0].id: duplicate question id 'q' "
            "(got first at dimensions[0].questions[0])",
        ]

    def test_weights(self) -> None:
        with unchecked():
            q = Questionnaire(
                id="t",
                dimensions=(
                    Dimension(id="d", weight=-0.5, questions=(ask(weight=math.nan), ask("r"))),
                    Dimension(id="e", weight=math.inf, questions=(ask("s", weight=0.0), ask("u"))),
                ),
            )
        assert described(q) == [
            "dimensions[0].weight: weight must be a finite number >= 0 (got -0.5)",
            "dimensions[0].questions[0].weight: weight must be a finite number >= 0 (got nan)",
            "dimensions[1].weight: weight must be a finite number >= 0 (got inf)",
        ]

    def test_dimensions_that_cannot_score(self) -> None:
        q = Questionnaire(
            id="t",
            dimensions=(
                Dimension(id="empty"),
                Dimension(id="zero", questions=(ask(weight=0),)),
                Dimension(id="ok", questions=(ask("r"),)),
            ),
        )
        assert described(q) == [
            "dimensions[0]: dimension 'empty' is empty (expected questions or dimensions)",
            "dimensions[1]: dimension 'zero' can never score: its maximum is zero (expected "
            "at least one scored question with a positive weight and point range)",
        ]

    def test_a_condition_of_a_dimension_is_checked(self) -> None:
        q = Questionnaire(
            id="t",
            dimensions=(
                Dimension(id="d", questions=(ask(),)),
                Dimension(id="e", questions=(ask("r"),), when=Equals("ghost", "hi")),
                Dimension(id="f", questions=(ask("s"),), when=Equals("q", "mid")),
                Dimension(id="g", questions=(ask("u"),), when=Equals("sc", "c")),
                Dimension(id="h", questions=(ScaleQuestion(id="sc", scale="abc"),)),
            ),
            scales=(Scale(id="abc", options=(Option(value="a"), Option(value="b", points=1))),),
        )
        assert described(q) == [
            "dimensions[1].when.question: unknown question 'ghost'",
            "dimensions[2].when: 'mid' is not an answer of question 'q' (expected 'lo', 'hi')",
            "dimensions[3].when: 'c' is not an answer of question 'sc' (expected 'a', 'b')",
        ]


class TestWhatIsScoredAndHow:
    """A scored question must be able to tell answers apart; a dimension must be able to score."""

    def test_a_question_with_other_problems_is_not_also_said_not_to_discriminate(self) -> None:
        with unchecked():
            q = one(ask(), YesNo(id="y", weight=-1, yes_points=2, no_points=2))
        assert described(q) == [
            "dimensions[0].questions[1].weight: weight must be a finite number >= 0 (got -1)"
        ]

    @pytest.mark.parametrize(
        ("question", "earns"),
        [
            (YesNo(id="x", yes_points=2, no_points=2), "2"),
            (
                ScaleQuestion(
                    id="x", options=(Option(value="a", points=3), Option(value="b", points=3))
                ),
                "3",
            ),
            (Choice(id="x", options=(Option(value="a"), Option(value="b"))), "0.0"),
            (
                Numeric(
                    id="x", thresholds=(Threshold(min=0, points=2), Threshold(min=5, points=2))
                ),
                "2",
            ),
            (
                MultipleChoice(
                    id="x", method="max", min_selected=1, options=(Option(value="a", points=4),)
                ),
                "4",
            ),
        ],
    )
    def test_questions_that_earn_the_same_for_every_answer(
        self, question: Question, earns: str
    ) -> None:
        assert described(one(ask(), question)) == [
            f"dimensions[0].questions[1]: question 'x' cannot discriminate: every answer earns "
            f"{earns} points (expected options with different points (or scored: false))"
        ]

    @pytest.mark.parametrize(
        "question",
        [
            YesNo(id="x", yes_points=0, no_points=3),
            Numeric(id="x", linear=Linear(low=0, high=1)),
            Numeric(id="x", thresholds=(Threshold(min=0, points=1), Threshold(min=5, points=0))),
            MultipleChoice(id="x", method="max", options=(Option(value="a", points=4),)),
            MultipleChoice(id="x", method="sum", options=(Option(value="a", points=4),)),
            MultipleChoice(id="x", options=(Option(value="a", points=1),), min_selected=1),
        ],
    )
    def test_questions_that_tell_answers_apart_can_score_alone(self, question: Question) -> None:
        assert check_questionnaire(one(question)) == []

    def test_unscored_questions_leave_a_dimension_without_score(self) -> None:
        q = one(ask(scored=False), YesNo(id="y", scored=False), TextQuestion(id="t"))
        assert described(q) == [
            "dimensions[0]: dimension 'd' can never score: its maximum is zero (expected "
            "at least one scored question with a positive weight and point range)"
        ]

    def test_a_scored_numeric_without_rule_earns_nothing(self) -> None:
        assert described(one(Numeric(id="n"))) == [
            "dimensions[0]: dimension 'd' can never score: its maximum is zero (expected "
            "at least one scored question with a positive weight and point range)",
            "dimensions[0].questions[0]: a scored numeric question needs thresholds or linear "
            "(expected thresholds: [...] or linear: {low, high})",
        ]

    def test_a_multiple_choice_without_options_earns_nothing(self) -> None:
        assert described(one(MultipleChoice(id="m"))) == [
            "dimensions[0]: dimension 'd' can never score: its maximum is zero (expected "
            "at least one scored question with a positive weight and point range)",
            "dimensions[0].questions[0].options: needs at least 1 options (got 0)",
        ]

    def test_a_child_scores_for_its_parent_through_a_positive_weight(self) -> None:
        deep = Dimension(id="c", weight=0.5, dimensions=(Dimension(id="g", questions=(ask(),)),))
        q = Questionnaire(id="t", dimensions=(Dimension(id="d", dimensions=(deep,)),))
        assert check_questionnaire(q) == []

    def test_a_child_scores_through_a_scale(self) -> None:
        child = Dimension(id="c", questions=(ScaleQuestion(id="q", scale="s"),))
        q = Questionnaire(
            id="t",
            scales=(Scale(id="s", options=OPTS),),
            dimensions=(Dimension(id="d", questions=(TextQuestion(id="t"),), dimensions=(child,)),),
        )
        assert check_questionnaire(q) == []

    def test_the_first_scoring_child_is_enough(self) -> None:
        kids = (
            Dimension(id="a", questions=(ask("qa"),)),
            Dimension(id="b", weight=0, questions=(ask("qb"),)),
        )
        q = Questionnaire(id="t", dimensions=(Dimension(id="d", dimensions=kids),))
        assert check_questionnaire(q) == []
        q = Questionnaire(id="t", dimensions=(Dimension(id="d", dimensions=kids[::-1]),))
        assert check_questionnaire(q) == []

    def test_a_scoring_question_after_one_that_cannot(self) -> None:
        q = one(ask("a", weight=0), YesNo(id="b", scored=False), TextQuestion(id="c"), ask("e"))
        assert check_questionnaire(q) == []


class TestPointRange:
    """point_range: the lowest and highest points a question can earn."""

    @pytest.mark.parametrize(
        ("question", "expected"),
        [
            (YesNo(id="q"), (0.0, 1.0)),
            (YesNo(id="q", yes_points=0.5, no_points=2), (0.5, 2.0)),
            (Numeric(id="q", linear=Linear(low=3, high=0, points=5)), (0.0, 5.0)),
            (
                Numeric(
                    id="q",
                    thresholds=(
                        Threshold(min=0, points=2),
                        Threshold(min=1, points=7),
                        Threshold(min=2, points=1),
                    ),
                ),
                (1.0, 7.0),
            ),
            (Numeric(id="q"), (0.0, 0.0)),
            (MultipleChoice(id="q"), (0.0, 0.0)),
            (MultipleChoice(id="q", options=(Option(value="a", points=2),)), (0.0, 2.0)),
            (
                MultipleChoice(
                    id="q",
                    method="max",
                    options=(Option(value="a", points=2), Option(value="b", points=5)),
                ),
                (0.0, 5.0),
            ),
            (
                MultipleChoice(
                    id="q",
                    method="max",
                    min_selected=1,
                    options=(Option(value="a", points=2), Option(value="b", points=5)),
                ),
                (2.0, 5.0),
            ),
            (
                MultipleChoice(
                    id="q",
                    method="sum",
                    options=(Option(value="a", points=0.1), Option(value="b", points=0.2)),
                    min_selected=2,
                ),
                (0.0, 0.30000000000000004),
            ),
            (
                MultipleChoice(
                    id="q",
                    method="sum",
                    cap=4,
                    options=(Option(value="a", points=3), Option(value="b", points=3)),
                ),
                (0.0, 4.0),
            ),
            (
                MultipleChoice(
                    id="q",
                    method="sum",
                    cap=10,
                    options=(Option(value="a", points=3), Option(value="b", points=3)),
                ),
                (0.0, 6.0),
            ),
            (ScaleQuestion(id="q", options=OPTS), (0.0, 1.0)),
            (
                Choice(id="q", options=(Option(value="a", points=3), Option(value="b", points=2))),
                (2.0, 3.0),
            ),
            (ScaleQuestion(id="q", scale="s"), (1.0, 4.0)),
            (ScaleQuestion(id="q", scale="missing"), (0.0, 0.0)),
            (TextQuestion(id="q"), (0.0, 0.0)),
        ],
    )
    def test_range(self, question: Question, expected: tuple[float, float]) -> None:
        scales = {"s": (Option(value="x", points=4), Option(value="y", points=1))}
        assert point_range(question, scales) == expected

    def test_fsum_keeps_the_total_exact(self) -> None:
        options = tuple(Option(value=f"o{i}", points=0.1) for i in range(10))
        assert point_range(MultipleChoice(id="q", method="sum", options=options), {}) == (0.0, 1.0)


def band_problems(*bands: tuple[float, float], path: tuple[str, ...] = ("x", "bands")) -> list[str]:
    """check_bands of bands b0, b1, ... with the given bounds, each problem as a user reads it."""
    with unchecked():
        made = tuple(Band(id=f"b{i}", min=lo, max=hi) for i, (lo, hi) in enumerate(bands))
    return [str(p) for p in [*rules(made, path), *check_bands(made, path)]]


class TestBandsInFull:
    def test_the_whole_range_in_one_band(self) -> None:
        assert band_problems((0, 100)) == []

    def test_bounds_outside_the_range(self) -> None:
        assert band_problems((-1, 50), (50, 100.5)) == [
            "x.bands[0].min: band bound outside 0..100 (got -1)",
            "x.bands[1].max: band bound outside 0..100 (got 100.5)",
        ]

    def test_non_finite_bounds(self) -> None:
        assert band_problems((0, 50), (50, math.inf))[0] == (
            "x.bands[1].max: band bounds must be finite numbers (got inf)"
        )
        assert band_problems((-math.inf, 100))[0] == (
            "x.bands[0].min: band bounds must be finite numbers (got -inf)"
        )

    def test_empty_and_reversed_bands(self) -> None:
        assert band_problems((0, 50), (50, 50), (50, 100)) == [
            "x.bands[1]: band 'b1' is empty (expected min < max, got 50..50)",
        ]
        assert band_problems((0, 100), (70, 20))[0] == (
            "x.bands[1]: band 'b1' is empty (expected min < max, got 70..20)"
        )

    def test_gaps_at_both_ends(self) -> None:
        assert band_problems((0.5, 100)) == [
            "x.bands: bands leave a gap (expected a band starting at 0, got 0..0.5 uncovered)"
        ]
        assert band_problems((0, 99.5)) == [
            "x.bands: bands leave a gap (expected a band ending at 100, got 99.5..100 uncovered)"
        ]
        assert band_problems((20, 80)) == [
            "x.bands: bands leave a gap (expected a band starting at 0, got 0..20 uncovered)",
            "x.bands: bands leave a gap (expected a band ending at 100, got 80..100 uncovered)",
        ]

    def test_gap_and_overlap_between_bands_in_any_order(self) -> None:
        assert band_problems((70, 100), (0, 30), (20, 60)) == [
            "x.bands[2]: bands 'b1' and 'b2' overlap (got 20..30 in both)",
            "x.bands[0]: gap between bands 'b2' and 'b0' (got 60..70 uncovered)",
        ]

    def test_bands_are_ordered_by_their_ends_too(self) -> None:
        """Of two bands from 0, the shorter comes first: it overlaps the longer one."""
        assert band_problems((0, 60), (0, 40), (40, 100)) == [
            "x.bands[0]: bands 'b1' and 'b0' overlap (got 0..40 in both)",
            "x.bands[2]: bands 'b0' and 'b2' overlap (got 40..60 in both)",
        ]

    def test_bands_starting_together_are_ordered_by_their_ends(self) -> None:
        assert band_problems((0, 50), (50, 100), (50, 70)) == [
            "x.bands[1]: bands 'b2' and 'b1' overlap (got 50..70 in both)",
        ]
        assert band_problems((0, 50), (50, 70), (50, 90)) == [
            "x.bands: bands leave a gap (expected a band ending at 100, got 90..100 uncovered)",
            "x.bands[2]: bands 'b1' and 'b2' overlap (got 50..70 in both)",
        ]

    def test_a_wide_band_is_compared_with_every_band_inside_it(self) -> None:
        """Only true overlaps are reported; no gap is seen inside a band covering 0..100."""
        assert band_problems((0, 100), (50, 60)) == [
            "x.bands[1]: bands 'b0' and 'b1' overlap (got 50..60 in both)",
        ]
        assert band_problems((0, 100), (20, 30), (40, 50)) == [
            "x.bands[1]: bands 'b0' and 'b1' overlap (got 20..30 in both)",
            "x.bands[2]: bands 'b0' and 'b2' overlap (got 40..50 in both)",
        ]

    def test_a_gap_after_a_wide_band_starts_where_it_ends(self) -> None:
        assert band_problems((0, 60), (10, 20), (70, 100)) == [
            "x.bands[1]: bands 'b0' and 'b1' overlap (got 10..20 in both)",
            "x.bands[2]: gap between bands 'b0' and 'b2' (got 60..70 uncovered)",
        ]

    @given(
        cuts=st.sets(st.integers(1, 99), max_size=6).map(sorted),
        order=st.randoms(use_true_random=False),
    )
    def test_any_tiling_in_any_order_is_fine_and_a_missing_band_is_a_gap(
        self, cuts: list[int], order: random.Random
    ) -> None:
        ends = [0, *cuts, 100]
        bands = [
            Band(id=f"b{i}", min=lo, max=hi) for i, (lo, hi) in enumerate(itertools.pairwise(ends))
        ]
        shuffled = list(bands)
        order.shuffle(shuffled)
        assert check_bands(shuffled, ("bands",)) == []

        gone = order.randrange(len(bands))
        rest = [b for b in bands if b is not bands[gone]]
        if not rest:
            return
        problems = [(p.message, p.got) for p in check_bands(rest, ("bands",))]
        lo, hi = bands[gone].min, bands[gone].max
        if gone == 0:
            assert problems == [("bands leave a gap", f"0..{hi} uncovered")]
        elif gone == len(bands) - 1:
            assert problems == [("bands leave a gap", f"{lo}..100 uncovered")]
        else:
            before, after = bands[gone - 1].id, bands[gone + 1].id
            assert problems == [
                (f"gap between bands {before!r} and {after!r}", f"{lo}..{hi} uncovered")
            ]

    def test_duplicate_ids_each_once(self) -> None:
        bands = (Band(id="a", min=0, max=40), Band(id="a", min=40, max=60))
        bands += (Band(id="a", min=60, max=100),)
        assert [str(p) for p in check_bands(bands, ("bands",))] == [
            "bands[1].id: duplicate band id 'a'",
            "bands[2].id: duplicate band id 'a'",
        ]


class TestOptionsInFull:
    def test_choice_and_scale_need_two_options(self) -> None:
        q = one(
            ask(),
            Choice(id="c", options=(Option(value="a", points=1),)),
            ScaleQuestion(id="s", options=(Option(value="a", points=1),)),
        )
        assert described(q) == [
            "dimensions[0].questions[1].options: needs at least 2 options (got 1)",
            "dimensions[0].questions[2].options: needs at least 2 options (got 1)",
        ]

    def test_points_may_be_negative_but_not_infinite(self) -> None:
        with unchecked():
            q = one(
                Choice(
                    id="c",
                    options=(
                        Option(value="a", points=0),
                        Option(value="b", points=-0.5),
                        Option(value="c", points=math.nan),
                        Option(value="d", points=1),
                    ),
                )
            )
        assert described(q) == [
            "dimensions[0].questions[0].options[2].points: points must be a finite number "
            "(got nan)",
        ]

    def test_every_reserved_value(self) -> None:
        for state in ("answered", "dont_know", "not_applicable", "skipped", "hidden"):
            q = one(Choice(id="c", options=(Option(value=state), Option(value="b", points=1))))
            assert described(q) == [
                f"dimensions[0].questions[0].options[0].value: {state!r} is reserved for the "
                "answer state of that name"
            ]

    def test_a_value_repeated_three_times(self) -> None:
        options = (Option(value="a"), Option(value="b", points=1), Option(value="a"))
        q = one(Choice(id="c", options=(*options, Option(value="a"))))
        assert described(q) == [
            "dimensions[0].questions[0].options[2].value: duplicate option value 'a'",
            "dimensions[0].questions[0].options[3].value: duplicate option value 'a'",
        ]

    def test_scale_and_options_together(self) -> None:
        q = Questionnaire(
            id="t",
            scales=(Scale(id="s", options=OPTS),),
            dimensions=(Dimension(id="d", questions=(ask(), ask("r", scale="s"))),),
        )
        assert described(q) == [
            "dimensions[0].questions[1]: give either scale or options, not both"
        ]

    def test_unknown_scale(self) -> None:
        q = Questionnaire(
            id="t",
            scales=(Scale(id="zeta", options=OPTS), Scale(id="alpha", options=OPTS)),
            dimensions=(Dimension(id="d", questions=(ask(), ScaleQuestion(id="r", scale="beta"))),),
        )
        assert described(q) == [
            "dimensions[0].questions[1].scale: unknown scale 'beta' (expected one of 'alpha', "
            "'zeta')"
        ]
        q = one(ask(), ScaleQuestion(id="r", scale="beta"))
        assert described(q) == [
            "dimensions[0].questions[1].scale: unknown scale 'beta' (expected a declared id)"
        ]


class TestMultipleChoiceInFull:
    OPTS3 = TestMultipleChoice.OPTS3

    @pytest.mark.parametrize(
        "kwargs",
        [
            {},
            {"min_selected": 3},
            {"max_selected": 1},
            {"min_selected": 2, "max_selected": 2},
            {"method": "sum", "cap": 0.5},
            {"method": "max"},
        ],
    )
    def test_valid_settings(self, kwargs: dict[str, Any]) -> None:
        assert check_questionnaire(one(MultipleChoice(id="m", options=self.OPTS3, **kwargs))) == []

    def test_one_option_is_enough(self) -> None:
        q = one(MultipleChoice(id="m", options=(Option(value="a", points=1),)))
        assert check_questionnaire(q) == []

    @pytest.mark.parametrize(
        ("kwargs", "problem"),
        [
            (
                {"max_selected": 0},
                "max_selected: max_selected must be >= min_selected and >= 1 (got 0)",
            ),
            (
                {"min_selected": 3, "max_selected": 2},
                "max_selected: max_selected must be >= min_selected and >= 1 (got 2)",
            ),
            ({"min_selected": 4}, "min_selected: min_selected must lie in 0..3 (got 4)"),
            ({"min_selected": -1}, "min_selected: min_selected must lie in 0..3 (got -1)"),
            ({"method": "sum", "cap": -1.0}, "cap: cap must be a finite number > 0 (got -1.0)"),
            ({"method": "sum", "cap": math.nan}, "cap: cap must be a finite number > 0 (got nan)"),
            ({"method": "max", "cap": 2.0}, "cap: cap applies only to method 'sum' (got max)"),
        ],
    )
    def test_invalid_settings(self, kwargs: dict[str, Any], problem: str) -> None:
        with unchecked():
            q = one(ask(), MultipleChoice(id="m", options=self.OPTS3, **kwargs))
        assert described(q) == [f"dimensions[0].questions[1].{problem}"]


class TestYesNoAndNumericInFull:
    def test_yes_and_no_points(self) -> None:
        with unchecked():
            q = one(ask(), YesNo(id="y", yes_points=-math.inf, no_points=math.inf))
        assert described(q) == [
            "dimensions[0].questions[1].yes_points: points must be a finite number (got -inf)",
            "dimensions[0].questions[1].no_points: points must be a finite number (got inf)",
        ]
        assert check_questionnaire(one(YesNo(id="y", yes_points=0, no_points=2))) == []
        assert check_questionnaire(one(YesNo(id="y", yes_points=-1, no_points=-3))) == []

    def test_bounds(self) -> None:
        lin = Linear(low=0, high=1)
        with unchecked():
            q = one(Numeric(id="n", minimum=-math.inf, maximum=math.nan, linear=lin))
            above = one(Numeric(id="n", minimum=3, maximum=2.5, linear=lin))
        assert described(q) == [
            "dimensions[0].questions[0].minimum: must be a finite number (got -inf)",
            "dimensions[0].questions[0].maximum: must be a finite number (got nan)",
        ]
        assert described(above) == [
            "dimensions[0].questions[0]: minimum is above maximum (got 3 > 2.5)"
        ]
        for low, high in ((None, 2), (2, None), (2, 2)):
            q = one(Numeric(id="n", minimum=low, maximum=high, linear=lin))
            assert check_questionnaire(q) == []

    def test_thresholds_and_linear_together(self) -> None:
        q = one(
            Numeric(
                id="n",
                thresholds=(Threshold(min=0, points=0), Threshold(min=1, points=1)),
                linear=Linear(low=0, high=1),
            )
        )
        assert described(q) == [
            "dimensions[0].questions[0]: give either thresholds or linear, not both"
        ]

    def test_thresholds(self) -> None:
        with unchecked():
            q = one(
                Numeric(
                    id="n",
                    thresholds=(
                        Threshold(min=-math.inf, points=0),
                        Threshold(min=2, points=1),
                        Threshold(min=1, points=math.inf),
                        Threshold(min=1, points=math.nan),
                        Threshold(min=math.nan, points=1),
                        Threshold(min=5, points=2),
                    ),
                )
            )
        # the rules of each threshold first (checked as it is built), then their order
        assert described(q) == [
            "dimensions[0].questions[0].thresholds[0].min: must be a finite number (got -inf)",
            "dimensions[0].questions[0].thresholds[2].points: points must be a finite number "
            "(got inf)",
            "dimensions[0].questions[0].thresholds[3].points: points must be a finite number "
            "(got nan)",
            "dimensions[0].questions[0].thresholds[4].min: must be a finite number (got nan)",
            "dimensions[0].questions[0].thresholds[2].min: thresholds must rise strictly "
            "(got 1 after 2)",
            "dimensions[0].questions[0].thresholds[3].min: thresholds must rise strictly "
            "(got 1 after 1)",
        ]

    def test_a_threshold_may_start_anywhere(self) -> None:
        q = one(
            Numeric(
                id="n", thresholds=(Threshold(min=-1e300, points=0), Threshold(min=0, points=1))
            )
        )
        assert check_questionnaire(q) == []

    def test_linear(self) -> None:
        with unchecked():
            q = one(ask(), Numeric(id="n", linear=Linear(low=math.inf, high=1, points=-1)))
        assert described(q) == [
            "dimensions[0].questions[1].linear: low and high must be different finite numbers "
            "(got inf..1)",
            "dimensions[0].questions[1].linear.points: points must be a finite number > 0 (got -1)",
        ]
        with unchecked():
            q = one(ask(), Numeric(id="n", linear=Linear(low=0, high=math.nan, points=math.inf)))
        assert described(q) == [
            "dimensions[0].questions[1].linear: low and high must be different finite numbers "
            "(got 0..nan)",
            "dimensions[0].questions[1].linear.points: points must be a finite number > 0 "
            "(got inf)",
        ]
        with unchecked():
            q = one(ask(), Numeric(id="n", linear=Linear(low=2, high=2)))
        assert described(q) == [
            "dimensions[0].questions[1].linear: low and high must be different finite numbers "
            "(got 2..2)"
        ]

    def test_an_unscored_numeric_needs_no_rule(self) -> None:
        assert check_questionnaire(one(ask(), Numeric(id="n", scored=False))) == []

    def test_free_text(self) -> None:
        assert described(one(ask(), TextQuestion(id="t", scored=True))) == [
            "dimensions[0].questions[1].scored: free-text questions cannot be scored"
        ]


class TestConditionsInFull:
    def cond(self, condition: Condition) -> list[str]:
        """Problems of *condition* guarding the fifth question, as a user reads them."""
        q = Questionnaire(
            id="t",
            scales=(Scale(id="s", options=(Option(value="x"), Option(value="y", points=1))),),
            dimensions=(
                Dimension(
                    id="d",
                    questions=(
                        YesNo(id="yn"),
                        Numeric(id="num", linear=Linear(low=0, high=10)),
                        MultipleChoice(id="mc", options=OPTS),
                        ScaleQuestion(id="sc", scale="s"),
                        ask("target", when=condition),
                        TextQuestion(id="txt"),
                    ),
                ),
            ),
        )
        return described(q)

    def test_unknown_questions_at_every_depth(self) -> None:
        condition = AllOf(
            (Equals("a", 1), AnyOf((Not(OneOf("b", ("x",))), Includes("c", "x")))),
        )
        where = "dimensions[0].questions[4].when"
        assert self.cond(condition) == [
            f"{where}.all[0].question: unknown question 'a'",
            f"{where}.all[1].any[0].not.question: unknown question 'b'",
            f"{where}.all[1].any[1].question: unknown question 'c'",
        ]

    def test_empty_groups(self) -> None:
        where = "dimensions[0].questions[4].when"
        assert self.cond(AnyOf(())) == [f"{where}.any: needs at least one condition"]
        assert self.cond(Not(AllOf(()))) == [f"{where}.not.all: needs at least one condition"]

    def test_the_kind_of_question_a_condition_needs(self) -> None:
        where = "dimensions[0].questions[4].when"
        assert self.cond(Includes("sc", "x")) == [
            f"{where}.includes: question 'sc' is not multiple choice"
        ]
        assert self.cond(Compare("mc", "le", 1)) == [f"{where}.le: question 'mc' is not numeric"]
        assert self.cond(Compare("txt", "gt", 1)) == [f"{where}.gt: question 'txt' is not numeric"]

    def test_values_must_be_answers(self) -> None:
        where = "dimensions[0].questions[4].when"
        assert self.cond(Equals("yn", "yes")) == [
            f"{where}: 'yes' is not an answer of question 'yn' (expected True, False)"
        ]
        assert self.cond(OneOf("sc", ("x", "z", "lo"))) == [
            f"{where}: 'z' is not an answer of question 'sc' (expected 'x', 'y')",
            f"{where}: 'lo' is not an answer of question 'sc' (expected 'x', 'y')",
        ]
        assert self.cond(Includes("mc", "x")) == [
            f"{where}: 'x' is not an answer of question 'mc' (expected 'lo', 'hi')"
        ]

    def test_values_in_nested_conditions_are_checked_against_the_scale(self) -> None:
        where = "dimensions[0].questions[4].when"
        assert self.cond(AnyOf((Equals("sc", "y"), Not(Equals("sc", "z"))))) == [
            f"{where}.any[1].not: 'z' is not an answer of question 'sc' (expected 'x', 'y')"
        ]

    @pytest.mark.parametrize(
        "condition",
        [
            Equals("yn", False),
            OneOf("sc", ("x", "y")),
            Equals("mc", "hi"),
            Compare("num", "gt", 5),
            Equals("num", 3),
            Equals("txt", "anything"),
            OneOf("txt", ("a", "b")),
            Not(Includes("mc", "lo")),
        ],
    )
    def test_valid(self, condition: Condition) -> None:
        assert self.cond(condition) == []


class TestCycles:
    def test_a_question_guarded_by_its_own_answer(self) -> None:
        q = one(ask(), YesNo(id="y", when=Equals("y", True)))
        assert described(q) == [
            "dimensions[0].questions[1].when: conditions form a cycle: 'y' -> 'y'"
        ]

    def test_two_questions_guarding_each_other(self) -> None:
        q = one(ask(), YesNo(id="a", when=Equals("b", True)), YesNo(id="b", when=Equals("a", True)))
        assert described(q) == [
            "dimensions[0].questions[1].when: conditions form a cycle: 'a' -> 'b' -> 'a'"
        ]

    def test_a_cycle_reached_from_outside_names_only_its_members(self) -> None:
        q = one(
            ask(),
            YesNo(id="a", when=Equals("b", True)),
            YesNo(id="b", when=Equals("c", True)),
            YesNo(id="c", when=Equals("b", True)),
        )
        assert described(q) == [
            "dimensions[0].questions[2].when: conditions form a cycle: 'b' -> 'c' -> 'b'"
        ]

    def test_every_cycle_is_reported_each_way_it_closes(self) -> None:
        q = Questionnaire(
            id="t",
            dimensions=(
                Dimension(id="d", questions=(ask(), YesNo(id="a", when=Equals("a", True)))),
                Dimension(
                    id="e",
                    questions=(ask("r"), YesNo(id="b", when=Equals("b", False))),
                    dimensions=(Dimension(id="f", questions=(ask("s", when=Equals("r", "hi")),)),),
                    when=Equals("s", "hi"),
                ),
            ),
        )
        assert described(q) == [
            "dimensions[0].questions[1].when: conditions form a cycle: 'a' -> 'a'",
            "dimensions[1].when: conditions form a cycle: dimension 'e' -> 's' -> dimension 'e'",
            "dimensions[1].when: conditions form a cycle: dimension 'e' -> dimension 'e'",
            "dimensions[1].questions[1].when: conditions form a cycle: 'b' -> 'b'",
        ]

    def test_a_question_depends_on_the_conditions_of_every_enclosing_dimension(self) -> None:
        inner = Dimension(id="inner", questions=(YesNo(id="deep"),), when=Equals("top", True))
        q = Questionnaire(
            id="t",
            dimensions=(
                Dimension(id="a", questions=(YesNo(id="top", when=Equals("deep", True)),)),
                Dimension(id="b", questions=(ask(),), dimensions=(inner,)),
            ),
        )
        assert described(q) == [
            "dimensions[0].questions[0].when: conditions form a cycle: 'top' -> dimension "
            "'inner' -> 'top'"
        ]

    def test_a_guard_of_a_sibling_dimension_does_not_count(self) -> None:
        q = Questionnaire(
            id="t",
            dimensions=(
                Dimension(id="a", questions=(ask("x"),), when=Equals("y", "hi")),
                Dimension(id="b", questions=(ask("y"),), when=Equals("x", "hi")),
            ),
        )
        assert described(q) == [
            "dimensions[0].when: conditions form a cycle: dimension 'a' -> dimension 'b' "
            "-> dimension 'a'"
        ]
        q = Questionnaire(
            id="t",
            dimensions=(
                Dimension(id="a", questions=(ask("x"),)),
                Dimension(id="b", questions=(ask("y"),), when=Equals("x", "hi")),
                Dimension(id="c", questions=(ask("z"),), when=Equals("y", "hi")),
            ),
        )
        assert check_questionnaire(q) == []

    def test_the_first_of_two_questions_of_one_id_is_the_one_conditions_read(self) -> None:
        q = one(ask("a"), ask("b", when=Equals("a", "hi")), ask("a", when=Equals("b", "hi")))
        assert described(q) == [
            "dimensions[0].questions[2].id: duplicate question id 'a' "
            "(got first at dimensions[0].questions[0])"
        ]

    def test_a_long_cycle(self) -> None:
        n = 50
        chain = [YesNo(id=f"q{i}", when=Equals(f"q{(i + 1) % n}", True)) for i in range(n)]
        names = " -> ".join(f"'q{i}'" for i in [*range(n), 0])
        assert described(one(*chain)) == [
            f"dimensions[0].questions[0].when: conditions form a cycle: {names}"
        ]

    def test_a_cycle_after_a_chain_is_found(self) -> None:
        q = one(
            ask(),
            YesNo(id="a", when=Equals("b", True)),
            YesNo(id="b", when=Equals("c", True)),
            YesNo(id="c"),
            YesNo(id="d", when=Equals("d", True)),
        )
        assert described(q) == [
            "dimensions[0].questions[4].when: conditions form a cycle: 'd' -> 'd'"
        ]

    def test_a_cycle_reached_before_its_turn_is_reported_once(self) -> None:
        q = one(ask(), YesNo(id="a", when=Equals("b", True)), YesNo(id="b", when=Equals("b", True)))
        assert described(q) == [
            "dimensions[0].questions[2].when: conditions form a cycle: 'b' -> 'b'"
        ]

    def test_chains_written_backwards_are_fine(self) -> None:
        q = one(
            YesNo(id="a", when=Equals("b", True)),
            YesNo(id="b", when=Equals("c", True)),
            YesNo(id="c", when=Equals("d", True)),
            YesNo(id="d"),
            YesNo(id="e", when=AllOf((Equals("a", True), Equals("b", True)))),
        )
        assert check_questionnaire(q) == []

    def test_diamonds_are_no_cycle(self) -> None:
        q = one(
            YesNo(id="a"),
            YesNo(id="b", when=Equals("a", True)),
            YesNo(id="c", when=Equals("a", True)),
            YesNo(id="d", when=AllOf((Equals("b", True), Equals("c", True)))),
            YesNo(id="e", when=AnyOf((Equals("d", True), Equals("b", True)))),
        )
        assert check_questionnaire(q) == []


class TestIdsInFull:
    def test_one_invisible_character(self) -> None:
        assert described(every_kind_of_id(question="q1\u200b")) == [
            "dimensions[0].questions[0].id: question id 'q1\\u200b' holds an invisible character "
            "(expected letters, digits and visible signs only, got U+200B ZERO WIDTH SPACE at "
            "character 3)"
        ]

    def test_several_invisible_characters(self) -> None:
        (problem,) = check_questionnaire(every_kind_of_id(band="\x01l\u200eo\U000e0100w"))
        assert (problem.path, problem.got) == ("bands[0].id", "U+0001 at character 1 and 2 more")
        (problem,) = check_questionnaire(every_kind_of_id(key="ty\U000e0100pe\u200e"))
        assert problem.got == "U+E0100 VARIATION SELECTOR-17 at character 3 and 1 more"

    def test_an_invisible_character_is_named_before_white_space(self) -> None:
        (problem,) = check_questionnaire(every_kind_of_id(scale=" s\u2060"))
        assert (problem.path, problem.got) == ("scales[0].id", "U+2060 WORD JOINER at character 3")

    def test_an_id_of_white_space_only(self) -> None:
        assert described(every_kind_of_id(dimension="  ")) == [
            "dimensions[0].id: dimension id '  ' begins or ends with white space (expected an id)"
        ]

    def test_option_values_of_a_scale_and_band_ids_of_a_dimension(self) -> None:
        q = Questionnaire(
            id="t",
            scales=(Scale(id="s", options=(Option(value="lo "), Option(value="hi", points=1))),),
            dimensions=(
                Dimension(
                    id="d",
                    questions=(ScaleQuestion(id="q", scale="s"),),
                    bands=(Band(id="all\u200b", min=0, max=100),),
                ),
            ),
        )
        assert [(p.path, p.message) for p in check_questionnaire(q)] == [
            ("scales[0].options[0].value", "option value 'lo ' begins or ends with white space"),
            ("dimensions[0].bands[0].id", "band id 'all\\u200b' holds an invisible character"),
        ]


def test_a_questionnaire_is_required() -> None:
    with pytest.raises(TypeError, match=r"^check_questionnaire\(q\): expected a Questionnaire, "):
        check_questionnaire("survey.yaml")  # type: ignore[arg-type]


class TestWarningsInFull:
    def test_every_kind_of_id_in_full(self) -> None:
        q = Questionnaire(
            id="t",
            scales=(
                Scale(id="agree", options=(Option(value="yes"), Option(value="уes"))),
                Scale(id="аgree", options=OPTS),
            ),
            metadata=(
                MetadataField(key="type", options=(Option(value="a"), Option(value="а"))),
                MetadataField(key="tуpe", options=(Option(value="а"),)),
            ),
            bands=(Band(id="low", min=0, max=50), Band(id="1ow", min=50, max=100)),
            dimensions=(
                Dimension(
                    id="d",
                    bands=(Band(id="low", min=0, max=100),),
                    questions=(ask("x"), ask("х")),
                ),
                Dimension(id="ԁ", questions=(ask("y"),)),
            ),
        )
        assert [str(p) for p in check_warnings(q)] == [
            "scales[0].options[1].value: option value 'уes' looks like 'yes' at "
            "scales[0].options[0].value (expected ids that differ in more than look-alike "
            "letters, got U+0443 CYRILLIC SMALL LETTER U at character 1, where the other has "
            "U+0079 LATIN SMALL LETTER Y)",
            "scales[1].id: scale id 'аgree' looks like 'agree' at scales[0].id (expected ids "
            "that differ in more than look-alike letters, got U+0430 CYRILLIC SMALL LETTER A at "
            "character 1, where the other has U+0061 LATIN SMALL LETTER A)",
            "metadata[0].options[1].value: metadata value 'а' looks like 'a' at "
            "metadata[0].options[0].value (expected ids that differ in more than look-alike "
            "letters, got U+0430 CYRILLIC SMALL LETTER A at character 1, where the other has "
            "U+0061 LATIN SMALL LETTER A)",
            "metadata[1].key: metadata key 'tуpe' looks like 'type' at metadata[0].key (expected "
            "ids that differ in more than look-alike letters, got U+0443 CYRILLIC SMALL LETTER U "
            "at character 2, where the other has U+0079 LATIN SMALL LETTER Y)",
            "bands[1].id: band id '1ow' looks like 'low' at bands[0].id (expected ids that "
            "differ in more than look-alike letters, got U+0031 DIGIT ONE at character 1, where "
            "the other has U+006C LATIN SMALL LETTER L)",
            "dimensions[1].id: dimension id 'ԁ' looks like 'd' at dimensions[0].id (expected ids "
            "that differ in more than look-alike letters, got U+0501 CYRILLIC SMALL LETTER KOMI "
            "DE at character 1, where the other has U+0064 LATIN SMALL LETTER D)",
            "dimensions[0].questions[1].id: question id 'х' looks like 'x' at "
            "dimensions[0].questions[0].id (expected ids that differ in more than look-alike "
            "letters, got U+0445 CYRILLIC SMALL LETTER HA at character 1, where the other has "
            "U+0078 LATIN SMALL LETTER X)",
        ]

    def test_the_questionnaire_id_is_an_id_of_its_own_kind(self) -> None:
        q = Questionnaire(id="q", dimensions=(Dimension(id="d", questions=(ask("q"),)),))
        assert check_warnings(q) == []

    def test_ids_that_differ_only_in_invisible_characters(self) -> None:
        (warning,) = check_warnings(one(ask("ab"), ask("ab\u200b")))
        assert (warning.message, warning.got) == (
            "question id 'ab\\u200b' looks like 'ab' at dimensions[0].questions[0].id",
            None,
        )

    def test_every_look_alike_names_the_first(self) -> None:
        q = one(ask("cost"), ask("сost"), ask("cоst"), ask("cost"))
        assert [(w.path, w.message) for w in check_warnings(q)] == [
            (
                "dimensions[0].questions[1].id",
                "question id 'сost' looks like 'cost' at dimensions[0].questions[0].id",
            ),
            (
                "dimensions[0].questions[2].id",
                "question id 'cоst' looks like 'cost' at dimensions[0].questions[0].id",
            ),
        ]
