"""Uses the public API as applications do; checked by ``mypy --strict``, never run by pytest."""

from __future__ import annotations

from typing import Any

import weltoffen as w
from weltoffen.reports import result_view
from weltoffen.reports.schema import results_schema
from weltoffen.result_format import RESULT_FORMAT
from weltoffen.strategies import Equal, GeometricMean, Zero

questionnaire = w.Questionnaire(
    id="demo",
    language="en",
    title={"en": "Demo"},
    weighting=Equal(),
    scales=(
        w.Scale(
            id="agree",
            options=tuple(
                w.Option(value=str(i), label={"en": label}, points=float(i))
                for i, label in enumerate(["no", "rather no", "rather yes", "yes"])
            ),
        ),
    ),
    dimensions=(
        w.Dimension(
            id="a",
            title={"en": "A"},
            aggregation=GeometricMean(),
            scoring=w.Policies(dont_know=Zero(), min_coverage=0.5),
            questions=(
                w.ScaleQuestion(id="a1", scale="agree", dont_know=True),
                w.ScaleQuestion(id="a2", scale="agree", reverse=True, dont_know=True),
                w.YesNo(id="a3", when=w.Equals("a1", "3")),
            ),
        ),
    ),
    bands=(
        w.Band(id="low", min=0, max=50, label={"en": "Low"}),
        w.Band(id="high", min=50, max=100, label={"en": "High"}),
    ),
)

plan: w.ScoringPlan = w.compile(questionnaire)
response = w.Response(respondent="r1", answers={"a1": "3", "a2": w.DONT_KNOW, "a3": True})
result: w.Result = w.score(plan, response, trace=True)
# answers alone are scored as the respondent "anonymous"
quick: w.Result = w.score(plan, {"a1": "3", "a2": w.DONT_KNOW, "a3": True, "a4": ("x", "y")})
overall: float | None = result.score
first: w.DimensionResult = result.dimension("a")
items: tuple[w.ItemResult, ...] = first.items
text: str = w.dump_result(result)
again: w.Questionnaire = w.load_questionnaire(text=w.dump_questionnaire(questionnaire))
try:
    w.compile(again)
except w.DefinitionError as error:
    problems: tuple[w.Problem, ...] = error.problems
registry: w.Registry = w.default_registry.copy()

# results as typed views, their documented JSON, and its schema
view = result_view(plan, result)
view_score: float | None = view.score
view_titles: list[str] = [d.title for d in view.dimensions]
view_json: dict[str, Any] = view.plain()
result_format: str = view.result_format
schema: dict[str, Any] = results_schema()
assert view_json["result_format"] == RESULT_FORMAT
