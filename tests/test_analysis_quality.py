"""Tests for weltoffen.analysis.quality: reverse keying, straight-lining, coverage, don't-knows."""

from __future__ import annotations

from tests.helpers import RELIABILITY_FIXTURES as FIXTURES
from tests.helpers import read_responses
from weltoffen import (
    DONT_KNOW,
    NOT_APPLICABLE,
    Dimension,
    Equals,
    Option,
    Questionnaire,
    Response,
    Scale,
    ScaleQuestion,
    YesNo,
    compile,
    load_questionnaire,
)
from weltoffen.analysis import QualitySettings, check_quality
from weltoffen.analysis.reliability import assess_reliability

AGREE = Scale(id="agree", options=tuple(Option(value=str(p), points=p) for p in range(5)))


def q(qid: str, **kw: object) -> ScaleQuestion:
    return ScaleQuestion(id=qid, scale="agree", dont_know=True, not_applicable=True, **kw)  # type: ignore[arg-type]


def questionnaire() -> Questionnaire:
    """'d' holds six items: three in sub-dimension 's' and three of its own."""
    sub = Dimension(id="s", questions=(q("s1"), q("s2"), q("s3")))
    return Questionnaire(
        id="t",
        scales=(AGREE,),
        dimensions=(
            Dimension(id="d", questions=(q("d1"), q("d2"), q("d3")), dimensions=(sub,)),
            Dimension(id="e", questions=(q("e1"), q("e2"))),
        ),
    )


def answers(respondent: str, values: str, **more: object) -> Response:
    ids = ["d1", "d2", "d3", "s1", "s2", "s3", "e1", "e2"]
    given: dict[str, object] = dict(zip(ids, values))
    given.update(more)
    return Response(respondent=respondent, answers=given)  # type: ignore[arg-type]


class TestReverseKeying:
    def test_fixture_flags_the_miskeyed_item_with_its_correlation(self) -> None:
        plan = compile(load_questionnaire(FIXTURES / "questionnaire.yaml"))
        responses = read_responses(FIXTURES / "responses.csv")

        flags = check_quality(plan, responses).of_kind("reverse_keying")

        access = [f for f in flags if f.dimension == "access"]
        assert [f.question for f in access] == ["a5"]
        expected = assess_reliability(plan, responses).dimension("access").item("a5").r_drop
        assert expected == access[0].value
        assert access[0].threshold == 0.0
        assert "it may need reverse keying" in access[0].message

    def test_a_declared_reverse_key_that_is_wrong_is_named_as_such(self) -> None:
        items = Dimension(id="d", questions=(q("a"), q("b"), q("c"), q("x", reverse=True)))
        plan = compile(Questionnaire(id="t", scales=(AGREE,), dimensions=(items,)))
        rows = ["0000", "1111", "2222", "3333", "4444", "1211", "3233"]
        responses = [
            Response(respondent=f"r{i}", answers=dict(zip("abcx", row)))
            for i, row in enumerate(rows)
        ]

        flags = check_quality(plan, responses).of_kind("reverse_keying")

        assert [f.question for f in flags] == ["x"]
        assert "its declared reverse key may be wrong" in flags[0].message

    def test_a_stricter_threshold_flags_weak_items_too(self) -> None:
        plan = compile(load_questionnaire(FIXTURES / "questionnaire.yaml"))
        responses = read_responses(FIXTURES / "responses.csv")
        report = assess_reliability(plan, responses)

        flags = check_quality(
            plan, responses, settings=QualitySettings(max_item_rest=0.3), reliability=report
        ).of_kind("reverse_keying")

        expected = {
            (d.dimension, i.question)
            for d in report.dimensions
            for i in d.items
            if i.r_drop is not None and i.r_drop < 0.3
        }
        assert expected == {(f.dimension, f.question) for f in flags}
        assert ("access", "a6") in expected


class TestStraightLining:
    def test_same_option_everywhere_is_flagged_once_for_the_largest_dimension(self) -> None:
        plan = compile(questionnaire())
        responses = [answers("flat", "33333312"), answers("varied", "01234412")]

        flags = check_quality(plan, responses).of_kind("straight_lining")

        assert [(f.respondent, f.dimension, f.value) for f in flags] == [("flat", "d", 6.0)]
        assert "chose '3' for all 6 answered ordinal items of 'd'" in flags[0].message

    def test_fewer_items_than_the_minimum_do_not_count(self) -> None:
        plan = compile(questionnaire())
        responses = [answers("few", "3333", s2=DONT_KNOW, s3=DONT_KNOW)]

        default = check_quality(plan, responses).of_kind("straight_lining")
        lenient = check_quality(
            plan, responses, settings=QualitySettings(straight_min_items=3)
        ).of_kind("straight_lining")

        assert default == ()
        assert [(f.respondent, f.dimension, f.value) for f in lenient] == [("few", "d", 4.0)]

    def test_a_sub_dimension_is_flagged_when_its_parent_is_not(self) -> None:
        plan = compile(questionnaire())
        responses = [answers("sub", "012222")]
        settings = QualitySettings(straight_min_items=3)

        flags = check_quality(plan, responses, settings=settings).of_kind("straight_lining")

        assert [(f.respondent, f.dimension) for f in flags] == [("sub", "s")]


class TestCoverage:
    def test_low_coverage_per_dimension_and_overall(self) -> None:
        plan = compile(questionnaire())
        responses = [
            answers("thin", "1", d2=DONT_KNOW, e1=DONT_KNOW),
            answers("full", "01234401"),
        ]

        flags = check_quality(plan, responses).of_kind("low_coverage")

        # d: one of its three questions plus sub-dimension s (covered 0), each weight 1 → 1/4;
        # e: nothing answered → 0; overall: the mean of d and e → 1/8.
        assert {(f.respondent, f.dimension): f.value for f in flags} == {
            ("thin", None): 0.125,
            ("thin", "d"): 0.25,
            ("thin", "s"): 0.0,
            ("thin", "e"): 0.0,
        }

    def test_threshold_is_configurable(self) -> None:
        plan = compile(questionnaire())
        responses = [answers("mid", "0123")]  # d: 3 of 3 and s at 1/3 → 5/6

        default = check_quality(plan, responses).of_kind("low_coverage")
        strict = check_quality(plan, responses, settings=QualitySettings(min_coverage=0.9)).of_kind(
            "low_coverage"
        )

        assert {None, "s", "e"} == {f.dimension for f in default}
        assert {None, "d", "s", "e"} == {f.dimension for f in strict}
        assert strict[0].threshold == 0.9


class TestDontKnow:
    def test_share_among_respondents_the_question_applied_to(self) -> None:
        plan = compile(questionnaire())
        responses = [
            answers("a", "1", d2=DONT_KNOW),
            answers("b", "1", d2=DONT_KNOW),
            answers("c", "12"),
            answers("d", "1", d2=NOT_APPLICABLE),  # not counted: it did not apply
        ]

        flags = check_quality(plan, responses).of_kind("dont_know_rate")

        assert [(f.question, f.value) for f in flags] == [("d2", 2 / 3)]
        assert "67% of the 3 respondents it applied to" in flags[0].message

    def test_hidden_questions_do_not_count(self) -> None:
        gate = YesNo(id="g", dont_know=True)
        follow = q("f", when=Equals(question="g", value=True))
        plan = compile(
            Questionnaire(
                id="t",
                scales=(AGREE,),
                dimensions=(Dimension(id="d", questions=(gate, follow, q("x"))),),
            )
        )
        responses = [
            Response(respondent="yes", answers={"g": True, "f": "2"}),
            Response(respondent="no", answers={"g": False, "f": DONT_KNOW}),
        ]

        flags = check_quality(plan, responses).of_kind("dont_know_rate")

        assert "f" not in {f.question for f in flags}


class TestReport:
    def test_report_states_instrument_count_and_thresholds(self) -> None:
        plan = compile(questionnaire())
        settings = QualitySettings(min_coverage=0.3)

        report = check_quality(plan, [answers("x", "01234401")], settings=settings)

        assert ("t", "1", 1, settings) == (
            report.instrument,
            report.version,
            report.respondents,
            report.settings,
        )

    def test_flags_come_in_a_fixed_order(self) -> None:
        plan = compile(load_questionnaire(FIXTURES / "questionnaire.yaml"))
        responses = read_responses(FIXTURES / "responses.csv")

        kinds = [f.kind for f in check_quality(plan, responses).flags]

        order = ["reverse_keying", "straight_lining", "low_coverage", "dont_know_rate"]
        assert sorted(kinds, key=order.index) == kinds
