"""Writing SurveyJS: the survey renders the instrument (pages, choices with scores, languages,
"don't know", conditions, bands)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from weltoffen.instruments import load_instrument
from weltoffen.interop import default_formats
from weltoffen.interop.surveyjs import survey_json
from weltoffen.interop.surveyjs.formulas import condition_expression
from weltoffen.model.conditions import AllOf, AnyOf, Compare, Equals, Includes, Not, OneOf
from weltoffen.model.questions import YesNo


@pytest.fixture(scope="module")
def survey() -> dict:
    return survey_json(load_instrument("weltoffene-kommune", "1.0"))


def _elements(container: dict) -> list[dict]:
    out = []
    for element in container.get("elements", []):
        if element.get("type") == "panel":
            out += _elements(element)
        else:
            out.append(element)
    return out


def test_one_page_per_dimension_and_every_question(survey: dict) -> None:
    q = load_instrument("weltoffene-kommune", "1.0")
    assert [p["name"] for p in survey["pages"]] == [d.id for d in q.dimensions]
    names = [e["name"] for p in survey["pages"] for e in _elements(p)]
    assert names == [x.id for _, x in q.iter_questions()]
    assert survey["locale"] == "de"


def test_texts_in_every_language(survey: dict) -> None:
    first = _elements(survey["pages"][0])[1]
    assert set(first["title"]) >= {"de", "en"}
    assert first["title"]["de"] != first["title"]["en"]
    assert set(first["choices"][0]["text"]) >= {"de", "en"}
    assert first["dontKnowText"] == {"de": "weiß nicht", "en": "don't know"}


def test_choices_carry_scores_and_states(survey: dict) -> None:
    q = load_instrument("weltoffene-kommune", "1.0")
    by_name = {e["name"]: e for p in survey["pages"] for e in _elements(p)}
    scale = {o.value: o.points for o in q.scales[0].options}
    ms02 = by_name["ms-02"]
    assert ms02["type"] == "radiogroup"
    assert {c["value"]: c["score"] for c in ms02["choices"]} == scale
    assert ms02["showDontKnowItem"] is True
    assert ms02["visibleIf"] == "{ms-01} = true"
    ms01 = by_name["ms-01"]
    assert [c["value"] for c in ms01["choices"]] == [True, False]
    kinds = {e["type"] for e in by_name.values()}
    assert kinds == {"radiogroup", "checkbox", "text", "comment"}


def test_bands_as_completed_html(survey: dict) -> None:
    conditions = survey["completedHtmlOnCondition"]
    assert [c["expression"] for c in conditions] == [
        "{weltoffen_score} >= 0 and {weltoffen_score} < 25",
        "{weltoffen_score} >= 25 and {weltoffen_score} < 50",
        "{weltoffen_score} >= 50 and {weltoffen_score} < 75",
        "{weltoffen_score} >= 75 and {weltoffen_score} <= 100",
    ]
    assert conditions[0]["html"]["en"].startswith("<h3>Getting started</h3><p>")
    names = [v["name"] for v in survey["calculatedValues"]]
    assert "weltoffen_points" in names
    assert "weltoffen_score" in names


def test_conditions_in_surveyjs_syntax() -> None:
    kinds = {"y": YesNo(id="y")}
    assert condition_expression(Equals("y", "yes"), kinds) == "{y} = true"
    assert condition_expression(Equals("a", "it's"), kinds) == "{a} = 'it\\'s'"
    assert condition_expression(OneOf("a", ("x", 2)), kinds) == "{a} anyof ['x', 2]"
    assert condition_expression(Includes("m", "x"), kinds) == "{m} contains 'x'"
    assert condition_expression(Compare("n", "ge", 2.5), kinds) == "{n} >= 2.5"
    both = AllOf((Equals("a", "x"), Not(AnyOf((Equals("b", 1), Equals("c", False))))))
    assert condition_expression(both, kinds) == "({a} = 'x' and !(({b} = 1 or {c} = false)))"


def test_format_writes_json(tmp_path: Path) -> None:
    target = tmp_path / "survey.json"
    default_formats.get("surveyjs").write_questionnaire(  # type: ignore[misc]
        load_instrument("weltoffene-kommune", "1.0"), target
    )
    assert json.loads(target.read_text(encoding="utf-8"))["pages"]
