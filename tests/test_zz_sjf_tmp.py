from typing import Any
from hypothesis import given, settings, assume, HealthCheck
from hypothesis import strategies as st
from tests.strategies import questionnaires, responses
from tests.test_interop_surveyjs_formulas import _Survey
from weltoffen.strategies import Equal, Exclude, Explicit, WeightedMean

@settings(max_examples=2000, derandomize=False, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    questionnaires(
        aggregations=(WeightedMean(),),
        weightings=(Explicit(), Equal()),
        policy_kinds=(Exclude(),),
        missing_codes=False,
    ).flatmap(lambda q: st.tuples(st.just(q), responses(q)))
)
def test_f(case: Any) -> None:
    q, response = case
    assume(all(value != "" for value in response.answers.values()))
    _Survey(q).check(response)
