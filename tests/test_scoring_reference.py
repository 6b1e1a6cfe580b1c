"""The fast paths against the plain reference scorer, which is the spec (docs/scoring.md).

``score()`` with and without a trace must give the reference's results bit for bit: both add
the same numbers in the same order, and the sums of weights are exact (fsum) on both sides.
``score_many`` must give the reference's scores, coverages and bands bit for bit too (its
columns are compared as tests/test_scoring_batch.py compares them with ``score()``).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import questionnaire_and_responses, questionnaires
from tests.test_scoring_batch import _examples, assert_same, without_text
from weltoffen import (
    DONT_KNOW,
    Dimension,
    Option,
    Questionnaire,
    Response,
    ResponseError,
    Scale,
    ScaleQuestion,
    compile,
    score,
)
from weltoffen.instruments import load_instrument
from weltoffen.scoring.batch import score_many, to_codes
from weltoffen.scoring.fused import fused_scorer
from weltoffen.scoring.reference import reference_score
from weltoffen.strategies import Exclude, SumOfPoints, WeightedMean

cases = questionnaire_and_responses(questionnaires(otherwise=True), count=3, codes=True)


class TestScoreIsTheReference:
    @given(cases, st.booleans())
    @settings(max_examples=_examples(1))
    def test_equal_bit_for_bit(
        self, case: tuple[Questionnaire, list[Response]], trace: bool
    ) -> None:
        """Every field of every result, the trace included, equals the reference's."""
        q, responses = case
        plan = compile(q)
        for response in responses:
            assert score(plan, response, trace=trace) == reference_score(
                plan, response, trace=trace
            )

    def test_bundled_instrument(self) -> None:
        from tests.helpers import random_responses

        plan = compile(load_instrument("weltoffene-kommune", "1.0"))
        for response in random_responses(plan, 200, seed=11):
            assert score(plan, response) == reference_score(plan, response)
            assert score(plan, response, trace=True) == reference_score(plan, response, trace=True)

    def test_mapping_and_bad_answers(self) -> None:
        plan = compile(load_instrument("weltoffene-kommune", "1.0"))
        assert reference_score(plan, {}) == score(plan, {})
        for bad in ({"nope": 1}, {plan.questions[0].question.id: "no such option"}):
            with pytest.raises(ResponseError):
                score(plan, bad)
            with pytest.raises(ResponseError):
                reference_score(plan, bad)


#: Questionnaires the generated fast path takes: no conditions, every node a mean excluding
#: missing answers.
simple_cases = questionnaire_and_responses(
    questionnaires(
        conditions=False,
        aggregations=(WeightedMean(), SumOfPoints()),
        policy_kinds=(Exclude(),),
        kinds=("scale", "yes_no", "choice", "text"),
    ),
    count=3,
    codes=True,
)


class TestFusedIsTheReference:
    @given(simple_cases)
    @settings(max_examples=_examples(1))
    def test_equal_bit_for_bit(self, case: tuple[Questionnaire, list[Response]]) -> None:
        """The generated scorer takes these plans, and gives the reference's results; where it
        gives up (free text, codes), score() still does."""
        q, responses = case
        plan = compile(q)
        fused = fused_scorer(plan)
        assert fused is not None
        for response in responses:
            root = fused(response.answers)
            wanted = reference_score(plan, response)
            if root is not None:
                assert root.dimensions == wanted.dimensions
                assert (root.score, root.points, root.coverage, root.band, root.counts) == (
                    wanted.score,
                    wanted.points,
                    wanted.coverage,
                    wanted.band,
                    wanted.counts,
                )
            assert score(plan, response) == wanted

    def test_reads_options_and_states_and_keeps_every_check(self) -> None:
        scale = Scale(id="s", options=(Option(value="1", points=1), Option(value="2", points=2)))
        q = Questionnaire(
            id="plain",
            scales=(scale,),
            dimensions=(
                Dimension(
                    id="d",
                    questions=(
                        ScaleQuestion(id="a", scale="s", dont_know=True),
                        ScaleQuestion(id="b", scale="s"),
                    ),
                ),
            ),
        )
        plan = compile(q)
        fused = fused_scorer(plan)
        assert fused is not None
        root = fused({"a": DONT_KNOW, "b": "2"})
        assert root is not None
        assert (root.score, root.coverage) == (100.0, 0.5)
        # a number for an option is read by the engine, as the same option
        assert fused({"b": 2}) is None
        assert score(plan, {"b": 2}) == score(plan, {"b": "2"})
        # what it does not read, it leaves to the engine, which finds every problem
        for bad in ({"c": "1"}, {"b": "3"}, {"b": DONT_KNOW}):
            assert fused(bad) is None
            with pytest.raises(ResponseError):
                score(plan, bad)

    def test_plans_with_conditions_take_the_general_engine(self) -> None:
        plan = compile(load_instrument("weltoffene-kommune", "1.0"))
        assert plan.gates
        assert fused_scorer(plan) is None


class TestScoreManyIsTheReference:
    @given(cases)
    @settings(max_examples=_examples(2))
    def test_equal_bit_for_bit(self, case: tuple[Questionnaire, list[Response]]) -> None:
        pytest.importorskip("numpy")
        q, responses = case
        plan = compile(q)
        responses = [without_text(plan, r) for r in responses]
        codes, states = to_codes(plan, responses)
        assert_same(
            score_many(plan, codes, states=states, points=True),
            [reference_score(plan, r) for r in responses],
            plan,
            points=True,
        )
