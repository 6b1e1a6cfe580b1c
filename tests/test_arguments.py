"""Public functions name a wrong argument and say what to pass (weltoffen._arguments).

The mix-ups users make first: answers without a Response around them, a Response where a table
of many is expected, a questionnaire where its plan belongs, arguments in the wrong order, a
path or a dict where a questionnaire belongs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

from tests.strategies import questionnaire_and_responses
from weltoffen import (
    DONT_KNOW,
    Dimension,
    Option,
    Questionnaire,
    Response,
    Result,
    Scale,
    ScaleQuestion,
    ScoringPlan,
    YesNo,
    check_questionnaire,
    compile,
    dump_questionnaire,
    dump_responses,
    dump_result,
    load_questionnaire,
    load_responses,
    load_result,
    score,
)
from weltoffen.analysis.cohort import compare
from weltoffen.analysis.sensitivity import Choices, WeightChoice, analyse_sensitivity
from weltoffen.reports import format_table, result_view, result_views
from weltoffen.scoring.engine import ANONYMOUS

QUESTIONNAIRE = Questionnaire(
    id="mini",
    title={"en": "Mini check"},
    scales=(Scale(id="agree", options=(Option(value="no"), Option(value="yes", points=1))),),
    dimensions=(
        Dimension(
            id="d",
            questions=(
                YesNo(id="q1", dont_know=True),
                ScaleQuestion(id="q2", scale="agree"),
            ),
        ),
        Dimension(id="e", questions=(YesNo(id="q3"),)),
    ),
)
PLAN = compile(QUESTIONNAIRE)
RESPONSE = Response(respondent="r1", answers={"q1": True, "q2": "yes", "q3": False})
RESULT = score(PLAN, RESPONSE)


class TestScoreTakesAMappingOfAnswers:
    def test_a_mapping_scores_as_the_anonymous_respondent(self) -> None:
        result = score(PLAN, {"q1": True, "q2": "yes", "q3": False})
        assert result.respondent == ANONYMOUS == "anonymous"
        assert result == score(
            PLAN, Response(respondent="anonymous", answers=dict(RESPONSE.answers))
        )

    def test_states_and_trace_work_as_with_a_response(self) -> None:
        answers = {"q1": DONT_KNOW, "q2": "no"}
        expected = score(PLAN, Response(respondent=ANONYMOUS, answers=answers), trace=True)
        assert score(PLAN, answers, trace=True) == expected

    def test_bad_answers_in_the_mapping_are_response_errors_as_usual(self) -> None:
        from weltoffen import ResponseError

        with pytest.raises(ResponseError, match="unknown question 'q9'"):
            score(PLAN, {"q9": True})

    def test_a_wrongly_typed_answer_names_the_question(self) -> None:
        with pytest.raises(TypeError, match=r"^Response\.answers\['q1'\]: expected an answer"):
            score(PLAN, {"q1": object()})  # type: ignore[dict-item]

    @given(pair=questionnaire_and_responses())
    def test_any_response_scores_the_same_as_its_answers(
        self, pair: tuple[Questionnaire, list[Response]]
    ) -> None:
        questionnaire, (response,) = pair
        plan = compile(questionnaire)
        alone = score(plan, dict(response.answers))
        assert alone.score == score(plan, response).score
        assert alone.respondent == ANONYMOUS


class TestScore:
    @pytest.mark.parametrize(
        ("value", "hint"),
        [
            ([RESPONSE], "score takes one response: call it for each"),
            ("q1=yes", None),
            (None, None),
        ],
    )
    def test_neither_response_nor_mapping(self, value: Any, hint: str | None) -> None:
        with pytest.raises(TypeError, match=r"^score\(response\): expected a Response") as info:
            score(PLAN, value)
        assert (hint in str(info.value)) if hint else ";" not in str(info.value)

    def test_a_questionnaire_instead_of_its_plan(self) -> None:
        with pytest.raises(TypeError, match=r"compile it first: plan = weltoffen.compile"):
            score(QUESTIONNAIRE, RESPONSE)  # type: ignore[arg-type]

    def test_arguments_in_the_wrong_order(self) -> None:
        with pytest.raises(TypeError, match=r"^score\(plan\): .*wrong order"):
            score(RESPONSE, PLAN)  # type: ignore[arg-type]


class TestManyRefuseOne:
    """Functions that take many responses or results refuse a single one, saying what to pass."""

    def test_score_many_refuses_a_response(self) -> None:
        from weltoffen import score_many

        with pytest.raises(TypeError, match=r"^score_many\(data\): .*weltoffen\.score\(plan"):
            score_many(PLAN, RESPONSE)

    def test_score_many_refuses_a_mapping_of_answers(self) -> None:
        from weltoffen import score_many

        with pytest.raises(TypeError, match=r"^score_many\(data\): .*weltoffen\.score\(plan"):
            score_many(PLAN, {"q1": True})

    def test_score_many_points_a_list_of_responses_to_to_codes(self) -> None:
        from weltoffen import score_many

        with pytest.raises(TypeError, match=r"to_codes\(plan, responses\)"):
            score_many(PLAN, [RESPONSE])

    def test_score_many_refuses_a_questionnaire(self) -> None:
        from weltoffen import score_many

        with pytest.raises(TypeError, match=r"^score_many\(plan\): .*compile it first"):
            score_many(QUESTIONNAIRE, [])

    @pytest.mark.parametrize("one", [RESPONSE, {"q1": True}], ids=["response", "mapping"])
    def test_to_codes(self, one: Any) -> None:
        pytest.importorskip("numpy")
        from weltoffen.scoring.batch import to_codes

        with pytest.raises(TypeError, match=r"^to_codes\(responses\): .*pass \[response\]"):
            to_codes(PLAN, one)

    def test_to_codes_names_a_wrong_item(self) -> None:
        pytest.importorskip("numpy")
        from weltoffen.scoring.batch import to_codes

        with pytest.raises(TypeError, match=r"^to_codes\(responses\)\[1\]: expected Response"):
            to_codes(PLAN, [RESPONSE, {"q1": True}])

    def test_dump_responses(self) -> None:
        with pytest.raises(TypeError, match=r"^dump_responses\(responses\): .*\[response\]"):
            dump_responses(RESPONSE)  # type: ignore[arg-type]

    def test_dump_result_refuses_responses(self) -> None:
        with pytest.raises(TypeError, match=r"^dump_result\(result\): .*dump_responses"):
            dump_result(RESPONSE)  # type: ignore[arg-type]

    def test_result_views(self) -> None:
        with pytest.raises(TypeError, match=r"^result_views\(results\): .*call result_view"):
            result_views(PLAN, RESULT)  # type: ignore[arg-type]

    def test_compare(self) -> None:
        with pytest.raises(TypeError, match=r"^compare\(results\): expected a list of Result"):
            compare(RESULT)  # type: ignore[arg-type]

    def test_analyse_sensitivity(self) -> None:
        choices = Choices(weights=WeightChoice())
        with pytest.raises(TypeError, match=r"^analyse_sensitivity\(responses\): .*\[response\]"):
            analyse_sensitivity(PLAN, RESPONSE, choices)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"^analyse_sensitivity\(choices\): expected Choices"):
            analyse_sensitivity(PLAN, [RESPONSE], {"weights": "uniform"})  # type: ignore[arg-type]


class TestQuestionnaireWhereItBelongs:
    def test_compile_refuses_plain_data(self) -> None:
        with pytest.raises(TypeError, match=r"load_questionnaire\(data=\.\.\.\)"):
            compile({"id": "mini"})  # type: ignore[arg-type]

    def test_compile_refuses_a_path(self, tmp_path: Path) -> None:
        for path in (str(tmp_path / "q.yaml"), tmp_path / "q.yaml"):
            with pytest.raises(TypeError, match=r"load the file first"):
                compile(path)  # type: ignore[arg-type]

    def test_check_questionnaire(self) -> None:
        with pytest.raises(TypeError, match=r"^check_questionnaire\(q\): expected a Questionnaire"):
            check_questionnaire(PLAN)  # type: ignore[arg-type]

    def test_dump_questionnaire_refuses_the_plan(self) -> None:
        with pytest.raises(TypeError, match=r"plan\.questionnaire"):
            dump_questionnaire(PLAN)  # type: ignore[arg-type]

    @pytest.mark.parametrize("loader", [load_questionnaire, load_responses])
    def test_loaders_send_plain_data_to_their_keyword(self, loader: Any) -> None:
        with pytest.raises(TypeError, match=r"\(source\): expected a path.*data=\.\.\."):
            loader({"id": "mini"})

    def test_load_result_sends_a_document_to_text(self) -> None:
        with pytest.raises(
            TypeError, match=r"^load_result\(source\): .*; pass a document as text=\.\.\.$"
        ):
            load_result({"respondent": "r1"})  # type: ignore[arg-type]


class TestReports:
    def test_swapped_arguments(self) -> None:
        with pytest.raises(TypeError, match=r"^result_view\(source\): .*wrong order"):
            result_view(RESULT, PLAN)  # type: ignore[arg-type]

    def test_result_must_be_a_result(self) -> None:
        with pytest.raises(TypeError, match=r"^result_view\(result\): expected a Result"):
            result_view(PLAN, RESPONSE)  # type: ignore[arg-type]

    def test_format_table_still_takes_one_or_many(self) -> None:
        assert format_table(PLAN, RESULT) == format_table(QUESTIONNAIRE, [RESULT])

    def test_the_right_arguments_still_work(self) -> None:
        assert isinstance(PLAN, ScoringPlan)
        assert isinstance(RESULT, Result)
        assert result_view(PLAN, RESULT) == result_views(QUESTIONNAIRE, (r for r in [RESULT]))[0]
