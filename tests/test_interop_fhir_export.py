"""FHIR export: valid R5 Questionnaires that read back to the same questionnaire and plan, a
generated total that fhirpathpy evaluates to weltoffen's points, and responses that survive a
QuestionnaireResponse Bundle with the same scores."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

import weltoffen as w
from tests.strategies import (
    questionnaire_and_responses,
    questionnaires,
    responses,
    with_conditions,
)
from weltoffen.instruments import available, load_instrument
from weltoffen.interop import default_formats
from weltoffen.interop.fhir import (
    questionnaire_resource,
    read_questionnaire,
    read_responses,
    response_resource,
    write_questionnaire,
    write_responses,
)
from weltoffen.interop.fhir.common import WELTOFFEN
from weltoffen.model.answers import State

fhir_questionnaire = pytest.importorskip("fhir.resources.questionnaire")
fhirpathpy = pytest.importorskip("fhirpathpy")


def _valid_r5(resource: dict[str, object]) -> None:
    fhir_questionnaire.Questionnaire.model_validate(resource)


def _round_trip(q: w.Questionnaire, tmp_path: Path) -> w.Questionnaire:
    target = tmp_path / "q.json"
    write_questionnaire(q, target)
    imported = read_questionnaire(target)
    return imported.questionnaire


@pytest.mark.parametrize("name", available())
def test_the_bundled_self_check_exports_to_a_valid_r5_questionnaire_and_back(
    name: str, tmp_path: Path
) -> None:
    q = load_instrument(name)
    resource = questionnaire_resource(q)
    _valid_r5(resource)
    back = _round_trip(q, tmp_path)
    assert back == q
    assert w.compile(back) == w.compile(q)


def _spaced(space: str) -> w.Questionnaire:
    """Texts of white space FHIR's string type cannot hold, in the primary language and in a
    translation, on a dimension, a question, its help and an option."""
    question = w.ScaleQuestion(
        id="q1",
        text={"en": f"a{space}b", "de": space},
        help={"en": space},
        options=(w.Option(value="yes", label={"en": space}), w.Option(value="no", points=1.0)),
    )
    dim = w.Dimension(id="d1", title={"de": space}, questions=(question,))
    return w.Questionnaire(id="demo", title={"en": space}, dimensions=(dim,))


@settings(max_examples=25)
@given(q=questionnaires(otherwise=True))
@example(q=_spaced("\x0c"))  # a form feed: once written as it was, which FHIR refuses
def test_any_questionnaire_survives_export_and_import(q: w.Questionnaire) -> None:
    resource = questionnaire_resource(q)
    _valid_r5(json.loads(json.dumps(resource)))
    from weltoffen.interop.fhir import import_questionnaire

    imported = import_questionnaire(json.loads(json.dumps(resource)))
    assert imported.questionnaire == q
    assert w.dump_questionnaire(imported.questionnaire) == w.dump_questionnaire(q)
    assert w.compile(imported.questionnaire) == w.compile(q)
    assert imported.report.complete


@pytest.mark.parametrize("space", ["\x0c", "\x0b", "\xa0", "\u2028", "\u3000"])
def test_white_space_fhir_cannot_hold_is_shown_as_spaces_and_kept_exactly(space: str) -> None:
    q = _spaced(space)
    resource = json.loads(json.dumps(questionnaire_resource(q)))
    _valid_r5(resource)
    group = resource["item"][0]
    assert resource["title"] == " "
    assert group["item"][0]["text"] == "a b"
    from weltoffen.interop.fhir import import_questionnaire

    assert import_questionnaire(resource).questionnaire == q


def test_a_written_response_is_a_valid_r5_questionnaire_response() -> None:
    from fhir.resources.questionnaireresponse import QuestionnaireResponse

    questions = (w.YesNo(id="y"), w.TextQuestion(id="t"))
    q = w.Questionnaire(id="demo", dimensions=(w.Dimension(id="d1", questions=questions),))
    response = w.Response(respondent="r1", answers={"y": True, "t": "fine"})
    resource = json.loads(json.dumps(response_resource(response, q)))
    QuestionnaireResponse.model_validate(resource)
    assert resource["identifier"] == [{"value": "r1"}]


def test_the_format_is_registered_with_every_ability() -> None:
    fmt = default_formats.get("fhir")
    assert fmt.abilities == (
        "read_questionnaire",
        "write_questionnaire",
        "read_responses",
        "write_responses",
    )
    assert fmt.suffixes == (".json",)


def test_settings_fhir_cannot_say_are_kept_in_weltoffen_extensions() -> None:
    q = load_instrument(available()[0])
    resource = questionnaire_resource(q)
    urls = {ext["url"] for ext in resource["extension"]}
    assert {WELTOFFEN + "aggregation", WELTOFFEN + "scoring", WELTOFFEN + "weighting"} <= urls
    group = resource["item"][0]
    assert group["type"] == "group"
    assert WELTOFFEN + "weight" in {ext["url"] for ext in group["extension"]}


def _total_item(resource: dict[str, object]) -> dict[str, object]:
    items = resource["item"]
    assert isinstance(items, list)
    return next(i for i in items if i["linkId"].startswith("weltoffen-total"))


def _fhirpath_total(resource: dict[str, object], response: dict[str, object]) -> object:
    item = _total_item(resource)
    ext = next(e for e in item["extension"] if "calculatedExpression" in e["url"])  # type: ignore[attr-defined]
    got = fhirpathpy.evaluate(
        response, ext["valueExpression"]["expression"], {"resource": response}
    )
    return [float(x) for x in got]


@settings(max_examples=25)
@given(questionnaire_and_responses(questionnaires(conditions=False), count=1, missing=False))
def test_the_generated_total_equals_weltoffens_points(
    case: tuple[w.Questionnaire, list[w.Response]],
) -> None:
    q, (response,) = case
    resource = questionnaire_resource(q)
    result = w.score(w.compile(q), response)
    got = _fhirpath_total(resource, response_resource(response, q))
    assert got == [pytest.approx(result.points)]


def test_the_total_item_is_hidden_and_marked_as_ours() -> None:
    q = w.load_questionnaire("examples/basic/questionnaire.yaml")
    resource = questionnaire_resource(q)
    urls = {e["url"] for e in _total_item(resource)["extension"]}  # type: ignore[attr-defined]
    assert "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden" in urls
    assert WELTOFFEN + "total" in urls


@settings(max_examples=25)
@given(questionnaire_and_responses(count=3))
def test_responses_survive_a_bundle_with_the_same_scores(
    case: tuple[w.Questionnaire, list[w.Response]],
) -> None:
    q, given_responses = case
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "responses.json"
        write_responses(given_responses, q, target)
        back = read_responses(target, q)
    plan = w.compile(q)
    assert [r.respondent for r in back] == [r.respondent for r in given_responses]
    for before, after in zip(given_responses, back):
        assert w.score(plan, after) == w.score(plan, before)
        assert after.metadata == before.metadata


_FHIR_STRING = re.compile(r"[ \r\n\t\S]+")


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@pytest.mark.parametrize("text", ["", "a\xa0b", "\x0c", "\u2028", "x\u3000", "Köln"])
def test_text_answers_fhir_cannot_hold_are_shown_and_kept_exactly(
    text: str, tmp_path: Path
) -> None:
    from fhir.resources.questionnaireresponse import QuestionnaireResponse

    questions = (w.TextQuestion(id="t"), w.Choice(id="c", options=(w.Option(value=text or "-"),)))
    q = w.Questionnaire(id="demo", dimensions=(w.Dimension(id="d1", questions=questions),))
    response = w.Response(
        respondent="r1", answers={"t": text, "c": text or "-"}, metadata={"note": text}
    )
    resource = json.loads(json.dumps(response_resource(response, q)))
    write_responses([response], q, tmp_path / "r.json")

    QuestionnaireResponse.model_validate(resource)
    # the validator checks a string's start only; FHIR's pattern is for the whole string
    assert all(_FHIR_STRING.fullmatch(s) for s in _strings(resource))
    assert read_responses(tmp_path / "r.json", q) == [response]


def test_options_and_conditions_on_texts_fhir_cannot_hold_agree_with_weltoffen(
    tmp_path: Path,
) -> None:
    odd = "a\xa0b"
    choice = w.Choice(id="c", options=(w.Option(value=odd, points=1), w.Option(value="z")))
    text = w.TextQuestion(id="t")
    follow = w.YesNo(id="f", when=w.Equals("c", odd))
    blank = w.YesNo(id="b", when=w.Equals("t", ""))
    q = w.Questionnaire(
        id="demo", dimensions=(w.Dimension(id="d1", questions=(choice, text, follow, blank)),)
    )
    resource = json.loads(json.dumps(questionnaire_resource(q)))
    response = w.Response(respondent="r1", answers={"c": odd, "t": ""})
    written = json.loads(json.dumps(response_resource(response, q)))
    write_questionnaire(q, tmp_path / "q.json")
    write_responses([response], q, tmp_path / "r.json")
    from weltoffen.interop.fhir.exporting import condition_expression

    assert all(_FHIR_STRING.fullmatch(s) for s in _strings(resource) + _strings(written))
    assert read_questionnaire(tmp_path / "q.json").questionnaire == q
    assert read_responses(tmp_path / "r.json", q) == [response]
    for cond in (follow.when, blank.when):
        assert cond is not None
        got = fhirpathpy.evaluate(written, condition_expression(q, cond), {"resource": written})
        assert got == [True], cond


def test_a_text_extension_that_is_no_json_string_is_reported(tmp_path: Path) -> None:
    q = w.Questionnaire(
        id="demo", dimensions=(w.Dimension(id="d1", questions=(w.TextQuestion(id="t"),)),)
    )
    response = w.Response(respondent="r1", answers={"t": ""})
    resource = response_resource(response, q)
    answer = resource["item"][0]["item"][0]["answer"][0]
    answer["extension"][0]["valueString"] = "[1]"
    (tmp_path / "r.json").write_text(json.dumps(resource))

    with pytest.raises(w.ResponseError) as raised:
        read_responses(tmp_path / "r.json", q)

    [problem] = raised.value.problems
    assert "text extension must hold a JSON string" in problem.message
    assert problem.location[-2:] == ("extension", 0)


def test_answer_states_and_an_empty_choice_are_kept(tmp_path: Path) -> None:
    q = w.Questionnaire(
        id="states",
        dimensions=(
            w.Dimension(
                id="d",
                questions=(
                    w.ScaleQuestion(
                        id="s",
                        dont_know=True,
                        options=(w.Option(value="a"), w.Option(value="b", points=1)),
                    ),
                    w.MultipleChoice(
                        id="m", options=(w.Option(value="x", points=1), w.Option(value="y"))
                    ),
                ),
            ),
        ),
    )
    given_responses = [
        w.Response(respondent="1", answers={"s": State.DONT_KNOW, "m": ()}),
        w.Response(respondent="2", answers={"s": "b", "m": ("x", "y")}),
    ]
    write_responses(given_responses, q, tmp_path / "r.json")
    assert read_responses(tmp_path / "r.json", q) == given_responses


@given(st.data())
@settings(max_examples=20)
def test_export_keeps_reversed_points_for_fhir_tools(data: st.DataObject) -> None:
    q = data.draw(questionnaires(kinds=("scale",), conditions=False))
    reversed_questions = [x for _, x in q.iter_questions() if getattr(x, "reverse", False)]
    resource = questionnaire_resource(q)
    text = json.dumps(resource)
    for question in reversed_questions:
        assert f'"linkId": "{question.id}"' in text
    response = data.draw(responses(q, missing=False))
    plan = w.compile(q)
    result = w.score(plan, response)
    got = _fhirpath_total(resource, response_resource(response, q))
    assert got == [pytest.approx(result.points)]


def test_a_written_questionnaire_is_json_and_overwrites_whole(tmp_path: Path) -> None:
    q = w.load_questionnaire("examples/basic/questionnaire.yaml")
    target = tmp_path / "q.json"
    target.write_text("old")
    write_questionnaire(q, target)
    assert json.loads(target.read_text())["resourceType"] == "Questionnaire"
    assert [p.name for p in tmp_path.iterdir()] == ["q.json"]
    assert attrs.asdict(read_questionnaire(target).questionnaire) == attrs.asdict(q)


def _weltoffen_holds(cond: w.Condition, answers: dict[str, object]) -> bool:  # type: ignore[name-defined]
    """weltoffen's reading of *cond* when every question is answered and applies."""
    from weltoffen.scoring.conditions import test

    if isinstance(cond, w.AllOf):
        return all(_weltoffen_holds(c, answers) for c in cond.conditions)
    if isinstance(cond, w.AnyOf):
        return any(_weltoffen_holds(c, answers) for c in cond.conditions)
    if isinstance(cond, w.Not):
        return not _weltoffen_holds(cond.condition, answers)
    value = answers.get(cond.question)
    return value is not None and not isinstance(value, State) and test(cond, value)  # type: ignore[arg-type]


@settings(max_examples=60)
@given(st.data())
def test_conditions_as_fhirpath_hold_as_in_weltoffen(data: st.DataObject) -> None:
    from tests.strategies import iter_conditions
    from weltoffen.interop.fhir.exporting import condition_expression

    q = data.draw(questionnaires(conditions=True, max_depth=2, max_top=2))
    response = data.draw(responses(q, missing=True))
    resource = response_resource(response, q)
    conditions = list(iter_conditions(q))
    assume(conditions)
    # FHIR tools see texts as answer_string shows them, in answers and conditions alike
    seen = {k: _as_fhir_sees(v) for k, v in response.answers.items()}
    for cond in conditions:
        got = fhirpathpy.evaluate(resource, condition_expression(q, cond), {"resource": resource})
        assert got == [_weltoffen_holds(_as_fhir_sees(cond), seen)], cond


def _as_fhir_sees(value: Any) -> Any:
    """*value* (an answer or a condition) with every text as FHIR tools see it."""
    from weltoffen.interop.fhir.common import answer_string

    if isinstance(value, str):
        return answer_string(value)
    if isinstance(value, tuple):
        return tuple(_as_fhir_sees(v) for v in value)
    if isinstance(value, w.Equals | w.Includes):
        return attrs.evolve(value, value=_as_fhir_sees(value.value))
    if isinstance(value, w.OneOf):
        return attrs.evolve(value, values=_as_fhir_sees(value.values))
    if isinstance(value, w.AllOf | w.AnyOf):
        return attrs.evolve(value, conditions=_as_fhir_sees(value.conditions))
    if isinstance(value, w.Not):
        return attrs.evolve(value, condition=_as_fhir_sees(value.condition))
    return value


def _without_our_conditions(node: object) -> None:
    """Drop weltoffen's condition extensions, leaving what FHIR tools read (enableWhen)."""
    if isinstance(node, dict):
        if isinstance(node.get("extension"), list):
            node["extension"] = [e for e in node["extension"] if e.get("url") != WELTOFFEN + "when"]
        for value in node.values():
            _without_our_conditions(value)
    elif isinstance(node, list):
        for value in node:
            _without_our_conditions(value)


def _conditions_by_id(q: w.Questionnaire) -> dict[str, object]:
    out: dict[str, object] = {}
    for _, dim in q.iter_dimensions():
        out["dimension " + dim.id] = dim.when
        for question in dim.questions:
            out[question.id] = question.when
    return out


@settings(max_examples=40)
@given(st.data())
def test_enable_when_alone_carries_the_conditions_it_can_say(data: st.DataObject) -> None:
    from weltoffen.interop.fhir import import_questionnaire

    plain = data.draw(questionnaires(conditions=False, max_depth=2, max_top=2))
    q = data.draw(with_conditions(plain, chance=0.7))
    resource = json.loads(json.dumps(questionnaire_resource(q)))
    _without_our_conditions(resource)
    back = _conditions_by_id(import_questionnaire(resource).questionnaire)
    said = {item["linkId"] for item in _all_items(resource["item"]) if "enableWhen" in item}
    original = _conditions_by_id(q)
    checked = [key for key, cond in original.items() if cond and key.split()[-1] in said]
    assume(checked)
    for _ in range(5):
        answers = dict(data.draw(responses(q, missing=False)).answers)
        for key in checked:
            assert back[key] is not None, key
            holds = _weltoffen_holds(back[key], answers)  # type: ignore[arg-type]
            assert holds == _weltoffen_holds(original[key], answers), (original[key], back[key])  # type: ignore[arg-type]


def _all_items(items: list[dict[str, object]]) -> list[dict[str, object]]:
    out = []
    for item in items:
        out.append(item)
        out += _all_items(item.get("item", []))  # type: ignore[arg-type]
    return out
