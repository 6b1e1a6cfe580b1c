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
    Questionnaire,
    Response,
    ResponseError,
    compile,
    score,
)
from weltoffen.instruments import load_instrument
from weltoffen.scoring.batch import score_many, to_codes
from weltoffen.scoring.reference import reference_score

cases = questionnaire_and_responses(questionnaires(otherwise=True), count=3, codes=True)


def assert_identical(got: object, wanted: object) -> None:
    """Equal, and equal in every bit: == takes -0.0 for 0.0, repr does not."""
    assert got == wanted
    assert repr(got) == repr(wanted)


@pytest.mark.usefixtures("engine_path")  # the compiled path and the Python loops alike
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
            assert_identical(
                score(plan, response, trace=trace), reference_score(plan, response, trace=trace)
            )

    def test_bundled_instrument(self) -> None:
        from tests.helpers import random_responses

        plan = compile(load_instrument("weltoffene-kommune", "1.0"))
        for response in random_responses(plan, 200, seed=11):
            assert_identical(score(plan, response), reference_score(plan, response))
            assert_identical(
                score(plan, response, trace=True), reference_score(plan, response, trace=True)
            )

    def test_mapping_and_bad_answers(self) -> None:
        plan = compile(load_instrument("weltoffene-kommune", "1.0"))
        assert reference_score(plan, {}) == score(plan, {})
        for bad in ({"nope": 1}, {plan.questions[0].question.id: "no such option"}):
            with pytest.raises(ResponseError):
                score(plan, bad)
            with pytest.raises(ResponseError):
                reference_score(plan, bad)


@pytest.mark.usefixtures("engine_path")
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
