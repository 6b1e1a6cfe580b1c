"""FHIR import: items, options and their weights, conditions, groups, hidden items, totals and
responses from small files of our own; malformed input always gives located problems."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import weltoffen as w
from weltoffen.exceptions import DefinitionError, ProblemCode, ResponseError
from weltoffen.interop import Fidelity
from weltoffen.interop.fhir import (
    check_stored_totals,
    import_questionnaire,
    read_questionnaire,
    read_responses,
)

FIXTURES = Path(__file__).parent / "fixtures" / "fhir"
ITEM_WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight"
ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
HIDDEN = "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden"
CALCULATED = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"


def _weighted(code: str, weight: float, url: str = ITEM_WEIGHT) -> dict[str, Any]:
    return {"valueCoding": {"code": code}, "extension": [{"url": url, "valueDecimal": weight}]}


def _questionnaire(*items: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "Questionnaire",
        "id": "t",
        "status": "active",
        **extra,
        "item": list(items),
    }


def _question(link: str, kind: str = "choice", **extra: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"linkId": link, "type": kind, **extra}
    if kind == "choice" and "answerOption" not in extra:
        item["answerOption"] = [_weighted("a", 0), _weighted("b", 1), _weighted("c", 2)]
    return item


def _questions(q: w.Questionnaire) -> dict[str, w.model.questions.Question]:  # type: ignore[name-defined]
    return {question.id: question for _, question in q.iter_questions()}


# -- items and options ---------------------------------------------------------------------------


def test_options_take_their_points_from_every_place_fhir_puts_them() -> None:
    data = _questionnaire(
        _question("w", answerOption=[_weighted("a", 0), _weighted("b", 2.5)]),
        _question("o", answerOption=[_weighted("a", 1, ORDINAL), _weighted("b", 3, ORDINAL)]),
        _question(
            "c",
            answerOption=[
                {
                    "valueCoding": {
                        "code": "a",
                        "extension": [{"url": ITEM_WEIGHT, "valueInteger": 0}],
                    }
                },
                {
                    "valueCoding": {
                        "code": "b",
                        "extension": [{"url": ITEM_WEIGHT, "valueInteger": 5}],
                    }
                },
            ],
        ),
        _question(
            "s",
            answerOption=[
                {"valueCoding": {"system": "urn:cs", "code": "x", "display": "Ex"}},
                {"valueCoding": {"system": "urn:cs", "code": "y"}},
            ],
        ),
        contained=[
            {
                "resourceType": "CodeSystem",
                "id": "cs",
                "url": "urn:cs",
                "concept": [
                    {"code": "x", "property": [{"code": "itemWeight", "valueDecimal": 1}]},
                    {"code": "y", "property": [{"code": "itemWeight", "valueDecimal": 4}]},
                ],
            }
        ],
    )
    q = import_questionnaire(data).questionnaire
    points = {
        qid: {o.value: o.points for o in question.options}  # type: ignore[union-attr]
        for qid, question in _questions(q).items()
    }
    assert points == {
        "w": {"a": 0, "b": 2.5},
        "o": {"a": 1, "b": 3},
        "c": {"a": 0, "b": 5},
        "s": {"x": 1, "y": 4},
    }
    assert _questions(q)["s"].options[0].label == {"en": "Ex"}  # type: ignore[union-attr]


def test_conflicting_weights_are_reported_where_they_are() -> None:
    imported = read_questionnaire(FIXTURES / "weights-conflict.json")
    conflicts = [f for f in imported.report.findings if "conflicting" in f.message]
    assert len(conflicts) == 1
    (conflict,) = conflicts
    assert conflict.fidelity is Fidelity.APPROXIMATED
    assert conflict.location == ("contained", 0, "expansion", "contains", 3)
    assert "4" in conflict.message
    assert "3" in conflict.message
    # the value set comes first, as in fhirpath.js's weight()
    options = _questions(imported.questionnaire)["Q1"].options  # type: ignore[union-attr]
    assert [o.points for o in options] == [0, 1, 2, 4]


def test_item_types_map_to_question_kinds() -> None:
    unit = {"url": "http://hl7.org/fhir/StructureDefinition/questionnaire-unit",
            "valueCoding": {"code": "kg", "display": "kilogram"}}  # fmt: skip
    data = _questionnaire(
        _question("c"),
        _question("m", repeats=True),
        _question("b", "boolean"),
        _question(
            "i",
            "integer",
            extension=[
                {"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueInteger": 0},
                {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueInteger": 9},
            ],
        ),
        _question("d", "decimal", extension=[unit]),
        _question("s", "string"),
        _question("t", "text"),
        _question("x", "display", text="Read this"),
        _question("a", "attachment"),
    )
    imported = import_questionnaire(data)
    kinds = {qid: type(x).__name__ for qid, x in _questions(imported.questionnaire).items()}
    assert kinds == {
        "c": "Choice",
        "m": "MultipleChoice",
        "b": "YesNo",
        "i": "Numeric",
        "d": "Numeric",
        "s": "TextQuestion",
        "t": "TextQuestion",
    }
    qs = _questions(imported.questionnaire)
    assert (qs["i"].minimum, qs["i"].maximum, qs["i"].integer) == (0, 9, True)  # type: ignore[union-attr]
    assert qs["d"].unit == {"en": "kilogram"}  # type: ignore[union-attr]
    dropped = {f.source_id for f in imported.report.of(Fidelity.DROPPED)}
    assert {"x", "a"} <= dropped


def test_groups_become_dimensions_and_nested_items_follow_their_question() -> None:
    data = _questionnaire(
        {
            "linkId": "g",
            "type": "group",
            "text": "Group",
            "item": [
                _question("q1", item=[_question("q1a")]),
                {"linkId": "h", "type": "group", "item": [_question("q2")]},
                {"linkId": "empty", "type": "group", "item": [_question("t", "string")]},
            ],
        },
        _question("loose", "string"),
    )
    imported = import_questionnaire(data)
    q = imported.questionnaire
    (g,) = q.dimensions
    assert (g.id, g.title) == ("g", {"en": "Group"})
    assert [x.id for x in g.questions] == ["q1", "q1a", "t", "loose"]
    assert [d.id for d in g.dimensions] == ["h"]
    nested = [f for f in imported.report.findings if f.source_id == "q1a"]
    assert nested[0].fidelity is Fidelity.APPROXIMATED
    w.compile(q)


def test_hidden_items_stay_ordinary_questions_and_say_so() -> None:
    data = _questionnaire(_question("q", extension=[{"url": HIDDEN, "valueBoolean": True}]))
    imported = import_questionnaire(data)
    assert "q" in _questions(imported.questionnaire)
    (note,) = [f for f in imported.report.findings if f.construct == "questionnaire-hidden"]
    assert note.fidelity is Fidelity.APPROXIMATED
    assert note.location == ("item", 0, "extension", 0)


def test_every_construct_met_gives_a_finding() -> None:
    data = _questionnaire(_question("q", code=[{"code": "x"}], prefix="1."), publisher="someone")
    report = import_questionnaire(data).report
    dropped = {(f.construct, f.location) for f in report.of(Fidelity.DROPPED)}
    assert ("code", ("item", 0, "code")) in dropped
    assert ("prefix", ("item", 0, "prefix")) in dropped
    assert ("publisher", ("publisher",)) in dropped


# -- conditions ----------------------------------------------------------------------------------


def _condition_of(link: str, *entries: dict[str, Any], behaviour: str | None = None) -> Any:
    target = _question("t", enableWhen=list(entries))
    if behaviour:
        target["enableBehavior"] = behaviour
    data = _questionnaire(
        _question("c"),
        _question("b", "boolean"),
        _question("n", "decimal"),
        _question("s", "string"),
        target,
    )
    imported = import_questionnaire(data)
    return _questions(imported.questionnaire)["t"].when, imported.report


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ({"question": "c", "operator": "=", "answerCoding": {"code": "b"}}, w.Equals("c", "b")),
        (
            {"question": "c", "operator": "!=", "answerCoding": {"code": "b"}},
            w.Not(w.Equals("c", "b")),
        ),
        ({"question": "b", "operator": "=", "answerBoolean": False}, w.Equals("b", False)),
        ({"question": "n", "operator": ">", "answerDecimal": 1.5}, w.Compare("n", "gt", 1.5)),
        ({"question": "n", "operator": ">=", "answerInteger": 2}, w.Compare("n", "ge", 2.0)),
        ({"question": "n", "operator": "<", "answerDecimal": 3}, w.Compare("n", "lt", 3.0)),
        ({"question": "n", "operator": "<=", "answerDecimal": 4}, w.Compare("n", "le", 4.0)),
        ({"question": "n", "operator": "=", "answerDecimal": 4}, w.Equals("n", 4)),
        ({"question": "s", "operator": "=", "answerString": "x"}, w.Equals("s", "x")),
        (
            {"question": "c", "operator": "exists", "answerBoolean": True},
            w.OneOf("c", ("a", "b", "c")),
        ),
        (
            {"question": "b", "operator": "exists", "answerBoolean": False},
            w.Not(w.OneOf("b", (True, False))),
        ),
    ],
)
def test_enable_when_maps_to_conditions(entry: dict[str, Any], expected: w.Condition) -> None:  # type: ignore[name-defined]
    when, report = _condition_of("t", entry)
    assert when == expected
    (finding,) = [f for f in report.findings if f.construct == "enableWhen"]
    assert finding.fidelity is Fidelity.EXACT
    assert finding.location == ("item", 4, "enableWhen", 0)
    assert finding.source_id == "t"


def test_enable_behaviour_combines_the_entries() -> None:
    a = {"question": "c", "operator": "=", "answerCoding": {"code": "a"}}
    b = {"question": "b", "operator": "=", "answerBoolean": True}
    assert _condition_of("t", a, b, behaviour="any")[0] == w.AnyOf(
        (w.Equals("c", "a"), w.Equals("b", True))
    )
    assert _condition_of("t", a, b, behaviour="all")[0] == w.AllOf(
        (w.Equals("c", "a"), w.Equals("b", True))
    )


def test_what_weltoffen_cannot_test_is_dropped_with_its_place() -> None:
    entries = [
        {"question": "s", "operator": "exists", "answerBoolean": True},
        {"question": "s", "operator": ">", "answerString": "a"},
        {"question": "c", "operator": "=", "answerCoding": {"code": "zzz"}},
    ]
    when, report = _condition_of("t", *entries, behaviour="any")
    assert when is None
    dropped = [f for f in report.of(Fidelity.DROPPED) if f.construct == "enableWhen"]
    assert [f.location for f in dropped] == [("item", 4, "enableWhen", i) for i in range(3)]


def test_a_partly_dropped_condition_is_approximated() -> None:
    keep = {"question": "c", "operator": "=", "answerCoding": {"code": "a"}}
    lose = {"question": "s", "operator": ">", "answerString": "a"}
    when, report = _condition_of("t", keep, lose, behaviour="all")
    assert when == w.Equals("c", "a")
    assert any(f.construct == "enableBehavior" for f in report.of(Fidelity.APPROXIMATED))


# -- malformed input ---------------------------------------------------------------------------


def test_malformed_questionnaires_list_every_located_problem() -> None:
    data = _questionnaire(
        {"type": "string"},
        _question("dup"),
        _question("dup"),
        _question(
            "t",
            "string",
            enableWhen=[{"question": "dup", "operator": "=", "answerInteger": "2022-09"}],
        ),
        _question("u", "string", repeats="true"),
    )
    with pytest.raises(DefinitionError) as caught:
        import_questionnaire(data, source="x.json")
    problems = {(p.code, p.location) for p in caught.value.problems}
    assert problems == {
        (ProblemCode.MISSING_KEY, ("item", 0, "linkId")),
        (ProblemCode.DUPLICATE_ID, ("item", 2, "linkId")),
        (ProblemCode.WRONG_TYPE, ("item", 3, "enableWhen", 0, "answerInteger")),
        (ProblemCode.WRONG_TYPE, ("item", 4, "repeats")),
    }
    assert all(p.file == "x.json" for p in caught.value.problems)


def test_not_a_questionnaire_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text('{"resourceType": "Patient"}')
    with pytest.raises(DefinitionError, match="not a FHIR Questionnaire"):
        read_questionnaire(path)
    path.write_text('{"resourceType": "Questionnaire",\n "item": [}')
    with pytest.raises(DefinitionError) as caught:
        read_questionnaire(path)
    (problem,) = caught.value.problems
    assert (problem.code, problem.line) == (ProblemCode.BAD_SYNTAX, 2)


_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=5)
)
_KEYS = (
    "linkId", "type", "item", "answerOption", "valueCoding", "code", "system", "extension",
    "url", "valueDecimal", "valueInteger", "valueString", "enableWhen", "question", "operator",
    "answerInteger", "answerCoding", "answerBoolean", "enableBehavior", "repeats", "text",
    "_text", "answerValueSet", "contained", "resourceType", "concept", "property", "expansion",
    "contains", "valueExpression", "expression", "name", "answer", "valueBoolean", "identifier",
)  # fmt: skip
_VALUES = st.sampled_from(
    ["choice", "group", "boolean", "decimal", "integer", "string", "display", "quantity",
     "=", "exists", ">", "any", "all", ITEM_WEIGHT, ORDINAL, HIDDEN, CALCULATED, "#vs",
     "ValueSet", "CodeSystem", "Questionnaire", "QuestionnaireResponse", "a", "q1", "itemWeight",
     "https://weltoffen.dev/fhir/StructureDefinition/kind",
     "https://weltoffen.dev/fhir/StructureDefinition/when",
     "https://weltoffen.dev/fhir/StructureDefinition/aggregation",
     "https://weltoffen.dev/fhir/StructureDefinition/nonsense",
     '{"question": "q1", "equals": "a"}', '"sum"', '[1, {}]', '{"kind": 3}', "scale", "true"]
)  # fmt: skip
_json = st.recursive(
    st.one_of(_scalars, _VALUES),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(_KEYS), inner, max_size=6),
    ),
    max_leaves=40,
)


@settings(max_examples=150)
@given(
    st.fixed_dictionaries(
        {"resourceType": st.just("Questionnaire"), "item": st.lists(_json, max_size=4)},
        optional={"contained": _json, "extension": _json, "language": _json, "id": _json},
    )
)
def test_any_json_document_gives_a_questionnaire_or_located_problems(data: dict[str, Any]) -> None:
    try:
        imported = import_questionnaire(data)
    except DefinitionError as exc:
        problems = exc.problems
    else:
        json.dumps(imported.report.to_json())
        return
    assert problems


_plan = w.compile(
    import_questionnaire(_questionnaire(_question("q1"), _question("b", "boolean"))).questionnaire
)


@settings(max_examples=100)
@given(_json)
def test_any_json_response_gives_responses_or_located_problems(data: Any) -> None:
    if isinstance(data, dict):
        data = {"resourceType": "QuestionnaireResponse", **data}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.json"
        path.write_text(json.dumps(data))
        try:
            read_responses(path, _plan.questionnaire)
        except ResponseError as exc:
            problems = exc.problems
        else:
            return
    assert problems


# -- responses -----------------------------------------------------------------------------------


def test_responses_match_answers_by_link_id_at_any_depth(tmp_path: Path) -> None:
    q = import_questionnaire(
        _questionnaire(
            {"linkId": "g", "type": "group", "item": [_question("q1"), _question("n", "integer")]},
            _question("b", "boolean", item=[_question("q2")]),
        )
    ).questionnaire
    bundle = {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [
            {"resource": {"resourceType": "Patient", "id": "p"}},
            {
                "resource": {
                    "resourceType": "QuestionnaireResponse",
                    "id": "r1",
                    "authored": "2024-05-01",
                    "item": [
                        {
                            "linkId": "g",
                            "item": [
                                {"linkId": "q1", "answer": [{"valueCoding": {"code": "c"}}]},
                                {"linkId": "n", "answer": [{"valueInteger": 7}]},
                            ],
                        },
                        {
                            "linkId": "b",
                            "answer": [
                                {
                                    "valueBoolean": True,
                                    "item": [
                                        {"linkId": "q2", "answer": [{"valueCoding": {"code": "a"}}]}
                                    ],
                                }
                            ],
                        },
                        {"linkId": "total", "answer": [{"valueDecimal": 2}]},
                    ],
                }
            },
        ],
    }
    path = tmp_path / "b.json"
    path.write_text(json.dumps(bundle))
    (response,) = read_responses(path, q)
    assert response.respondent == "r1"
    assert dict(response.answers) == {"q1": "c", "n": 7, "b": True, "q2": "a"}
    assert response.metadata == {"authored": "2024-05-01"}


def test_answers_that_do_not_fit_are_located(tmp_path: Path) -> None:
    q = import_questionnaire(
        _questionnaire(_question("q1"), _question("b", "boolean"))
    ).questionnaire
    data = {
        "resourceType": "QuestionnaireResponse",
        "item": [
            {"linkId": "q1", "answer": [{"valueCoding": {"code": "nope"}}]},
            {"linkId": "b", "answer": [{"valueInteger": "2022-09"}]},
        ],
    }
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ResponseError) as caught:
        read_responses(path, q)
    assert {(p.code, p.location) for p in caught.value.problems} == {
        (ProblemCode.BAD_OPTION, ("item", 0, "answer", 0)),
        (ProblemCode.BAD_ANSWER, ("item", 1, "answer", 0, "valueInteger")),
    }


def test_a_response_to_another_questionnaire_is_refused(tmp_path: Path) -> None:
    q = import_questionnaire(_questionnaire(_question("q1"))).questionnaire
    path = tmp_path / "r.json"
    path.write_text(
        json.dumps({"resourceType": "QuestionnaireResponse", "item": [{"linkId": "zz"}]})
    )
    with pytest.raises(ResponseError) as caught:
        read_responses(path, q)
    assert caught.value.problems[0].code is ProblemCode.WRONG_INSTRUMENT


def test_a_stale_stored_total_is_found() -> None:
    imported = read_questionnaire(FIXTURES / "weights-conflict.json")
    (checked,) = check_stored_totals(
        FIXTURES / "weights-conflict-response.json", imported.questionnaire, "TOTAL"
    )
    assert checked.stored == 13
    assert checked.computed == 11  # the value set's 4 for "nearly every day"
    assert not checked.matches
    assert checked.location == ("item", 9, "answer", 0, "valueQuantity")
    assert "13" in str(checked)
    assert "11" in str(checked)


def test_negative_weights_are_points_as_they_are() -> None:
    data = _questionnaire(
        _question("q", answerOption=[_weighted("a", -2), _weighted("b", 0), _weighted("c", 1.5)])
    )
    q = import_questionnaire(data).questionnaire
    options = _questions(q)["q"].options  # type: ignore[union-attr]
    assert [o.points for o in options] == [-2, 0, 1.5]
    result = w.score(w.compile(q), w.Response(respondent="r", answers={"q": "a"}))
    assert result.points == -2


def test_a_total_inside_a_group_sets_that_dimension() -> None:
    sub = "%resource.repeat(item).where(linkId='{}').answer.weight()"
    total = {
        "linkId": "sub",
        "type": "decimal",
        "extension": [
            {
                "url": CALCULATED,
                "valueExpression": {
                    "language": "text/fhirpath",
                    "expression": f"{sub.format('a')} + 2 * {sub.format('b')}",
                },
            }
        ],
    }
    data = _questionnaire(
        {"linkId": "g", "type": "group", "item": [_question("a"), _question("b"), total]},
        {"linkId": "h", "type": "group", "item": [_question("c")]},
    )
    imported = import_questionnaire(data)
    q = imported.questionnaire
    # c is in no total: kept unscored, so its group is no dimension and c joins the first
    (g,) = q.dimensions
    assert type(g.aggregation).__name__ == "SumOfPoints"
    assert g.scoring.min_coverage == 1  # a + 2b is empty unless both are answered
    assert [(x.id, x.weight, x.scored) for x in g.questions] == [
        ("a", 1, True),
        ("b", 2, True),
        ("c", 1, False),
    ]
    assert {f.source_id for f in imported.report.of(Fidelity.APPROXIMATED)} == {"c", "h"}
    result = w.score(w.compile(q), w.Response(respondent="r", answers={"a": "b", "b": "c"}))
    assert result.points == 1 + 2 * 2


def test_a_total_outside_the_subset_is_dropped_with_its_column() -> None:
    total = {
        "linkId": "t",
        "type": "decimal",
        "extension": [
            {
                "url": CALCULATED,
                "valueExpression": {
                    "language": "text/fhirpath",
                    "expression": "%resource.item.where(linkId='q').answer.weight() * "
                    "%resource.item.where(linkId='r').answer.weight()",
                },
            }
        ],
    }
    imported = import_questionnaire(_questionnaire(_question("q"), _question("r"), total))
    (finding,) = [f for f in imported.report.findings if f.construct == "calculatedExpression"]
    assert finding.fidelity is Fidelity.DROPPED
    assert finding.location == ("item", 2, "extension", 0)
    assert finding.column == 1
    assert "product" in finding.message


def test_missing_value_codes_of_the_instrument_become_states(tmp_path: Path) -> None:
    q = w.Questionnaire(
        id="codes",
        missing_codes={"999": "dont_know", "777": "skipped"},
        dimensions=(
            w.Dimension(
                id="d",
                questions=(
                    w.Choice(
                        id="c",
                        dont_know=True,
                        options=(w.Option(value="1"), w.Option(value="2", points=1)),
                    ),
                    w.Numeric(id="n", dont_know=True),
                    w.Choice(id="e", options=(w.Option(value="1"), w.Option(value="2", points=1))),
                ),
            ),
        ),
    )
    data = {
        "resourceType": "QuestionnaireResponse",
        "item": [
            {"linkId": "c", "answer": [{"valueCoding": {"code": "999"}}]},
            {"linkId": "n", "answer": [{"valueDecimal": 999.0}]},
            {"linkId": "e", "answer": [{"valueInteger": 777}]},
        ],
    }
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data))
    (response,) = read_responses(path, q)
    assert dict(response.answers) == {
        "c": w.State.DONT_KNOW,
        "n": w.State.DONT_KNOW,
        "e": w.State.SKIPPED,
    }


@pytest.mark.parametrize(
    ("extra", "fidelity"),
    [
        ({"type": "open-choice"}, Fidelity.APPROXIMATED),
        ({"type": "coding", "answerConstraint": "optionsOrString"}, Fidelity.APPROXIMATED),
        ({"type": "coding", "answerConstraint": "optionsOnly"}, None),
    ],
)
def test_open_choices_say_that_other_answers_are_refused(
    extra: dict[str, Any], fidelity: Fidelity | None
) -> None:
    item = {**_question("q"), **extra}
    report = import_questionnaire(_questionnaire(item)).report
    found = [f for f in report.findings if "open choice" in f.message]
    assert [f.fidelity for f in found] == ([fidelity] if fidelity else [])
