"""The real FHIR files of ../shared/interop/fhir (see PROVENANCE.md there): the lforms PHQ-9 and
APGAR totals agree with fhirpathpy's evaluation of the files' own expressions, every enableWhen of
the lforms test file maps or is reported, and hidden items behave as documented."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

import weltoffen as w
from weltoffen.exceptions import DefinitionError, ProblemCode
from weltoffen.interop import Fidelity
from weltoffen.interop.fhir import import_questionnaire, read_questionnaire, read_responses

fhirpathpy = pytest.importorskip("fhirpathpy")

Find = Callable[[str], Path]
PHQ9 = "fhir/lforms__phq9.json"
APGAR = "fhir/lforms__apgar-with-itemWeight-variable.json"
CALCULATED = "sdc-questionnaire-calculatedExpression"


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _response(questionnaire: dict[str, Any], chosen: Sequence[int | None]) -> dict[str, Any]:
    """A QuestionnaireResponse choosing the option at each index (None: unanswered)."""
    items = []
    scored = [i for i in questionnaire["item"] if i.get("answerOption")]
    for item, index in zip(scored, chosen):
        if index is not None:
            coding = item["answerOption"][index]["valueCoding"]
            items.append({"linkId": item["linkId"], "answer": [{"valueCoding": coding}]})
    return {
        "resourceType": "QuestionnaireResponse",
        "id": "r",
        "status": "completed",
        "item": items,
    }


def _fhir_total(questionnaire: dict[str, Any], response: dict[str, Any]) -> list[Any]:
    """The file's own total: its variables, then its calculatedExpression, by fhirpathpy."""
    (total,) = [
        i
        for i in questionnaire["item"]
        if any(CALCULATED in e["url"] for e in i.get("extension", []))
    ]
    context: dict[str, Any] = {"resource": response, "questionnaire": questionnaire}
    for ext in total["extension"]:
        expression = ext.get("valueExpression")
        if expression is None:
            continue
        got = fhirpathpy.evaluate(response, expression["expression"], context)
        if ext["url"].endswith("/variable"):
            context[expression["name"]] = got
        else:
            return [float(x) for x in got]
    raise AssertionError("no calculatedExpression")


def _points(
    questionnaire: w.Questionnaire, response: dict[str, Any], tmp_path: Path
) -> float | None:
    path = tmp_path / "response.json"
    path.write_text(json.dumps(response))
    (read,) = read_responses(path, questionnaire)
    result = w.score(w.compile(questionnaire), read)
    return result.points if result.score is not None else None


def test_the_lforms_phq9_scores_as_its_own_expression(interop_file: Find, tmp_path: Path) -> None:
    path = interop_file(PHQ9)
    imported = read_questionnaire(path)
    q = imported.questionnaire
    scored = [x for _, x in q.iter_questions() if x.scored]
    unscored = [x.id for _, x in q.iter_questions() if not x.scored]
    assert len(scored) == 9
    assert unscored == ["/69722-7"]
    assert all(len(x.options) == 4 for x in scored)  # type: ignore[union-attr]
    data = _load(path)
    response = _response(data, [0, 0, 0, 1, 2, 1, 3, 2, 1])
    assert _fhir_total(data, response) == [10.0]
    assert _points(q, response, tmp_path) == 10.0
    (total,) = [f for f in imported.report.findings if f.construct == "calculatedExpression"]
    assert total.fidelity is Fidelity.EXACT
    assert total.source_id == "/44261-6"


@pytest.mark.parametrize(
    "chosen",
    [
        [None] * 9,
        [2] + [None] * 8,
        [None, None, 3, None, 1, None, None, None, 0],
        [3] * 9,
        [0] * 9,
    ],
)
def test_the_lforms_phq9_is_empty_exactly_when_fhir_says_so(
    interop_file: Find, tmp_path: Path, chosen: list[int | None]
) -> None:
    path = interop_file(PHQ9)
    data = _load(path)
    response = _response(data, chosen)
    fhir = _fhir_total(data, response)
    ours = _points(read_questionnaire(path).questionnaire, response, tmp_path)
    assert fhir == ([] if ours is None else [ours])


@pytest.mark.parametrize(
    "chosen",
    [[0, 1, 2, 1, 0], [2, 2, 2, 2, 2], [0, 1, None, 1, 0], [None] * 5, [1, None, None, None, None]],
)
def test_apgar_needs_every_item(
    interop_file: Find, tmp_path: Path, chosen: list[int | None]
) -> None:
    path = interop_file(APGAR)
    data = _load(path)
    imported = read_questionnaire(path)
    assert imported.questionnaire.scoring.min_coverage == 1
    response = _response(data, chosen)
    fhir = _fhir_total(data, response)
    ours = _points(imported.questionnaire, response, tmp_path)
    assert fhir == ([] if ours is None else [ours])
    assert (ours is None) == (None in chosen)


ENABLE_WHEN = "fhir/lforms__enableWhen-test.R4.json"


def test_the_invalid_enable_when_answers_are_located_problems(interop_file: Find) -> None:
    with pytest.raises(DefinitionError) as caught:
        read_questionnaire(interop_file(ENABLE_WHEN))
    found = {(p.code, p.location) for p in caught.value.problems}
    assert (
        ProblemCode.WRONG_TYPE,
        ("item", 11, "item", 3, "enableWhen", 0, "answerInteger"),
    ) in found
    assert all(p.file and p.file.endswith("enableWhen-test.R4.json") for p in caught.value.problems)
    assert all(p.location for p in caught.value.problems)


def _enable_whens(
    items: list[dict[str, Any]], where: tuple[Any, ...] = ()
) -> list[tuple[Any, ...]]:
    out = []
    for i, item in enumerate(items):
        here = (*where, "item", i)
        out += [(*here, "enableWhen", j) for j in range(len(item.get("enableWhen", [])))]
        out += _enable_whens(item.get("item", []), here)
    return out


def _fixed(data: dict[str, Any]) -> dict[str, Any]:
    """The file without its deliberate mistakes: answers of the wrong type and a string flag."""
    data = copy.deepcopy(data)

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            if isinstance(item.get("repeats"), str):
                item["repeats"] = item["repeats"] == "true"
            for entry in item.get("enableWhen", []):
                if isinstance(entry.get("answerInteger"), str):
                    entry["answerString"] = entry.pop("answerInteger")
            walk(item.get("item", []))

    walk(data["item"])
    return data


def test_every_enable_when_maps_or_is_reported(interop_file: Find) -> None:
    data = _fixed(_load(interop_file(ENABLE_WHEN)))
    imported = import_questionnaire(data)
    places = _enable_whens(data["item"])
    assert len(places) == 56
    findings = {f.location: f for f in imported.report.findings if f.construct == "enableWhen"}
    assert set(places) <= set(findings)
    by_target = {}
    for _, question in imported.questionnaire.iter_questions():
        by_target[question.id] = type(question).__name__

    def entry(location: tuple[Any, ...]) -> dict[str, Any]:
        node: Any = data
        for step in location:
            node = node[step]
        return node  # type: ignore[no-any-return]

    for place in places:
        e = entry(place)
        kind = by_target.get(e["question"])
        comparable = kind == "Numeric" or (
            e["operator"] in ("=", "!=")
            and kind in ("Choice", "YesNo", "TextQuestion")
            and not any(k in e for k in ("answerDate", "answerDateTime", "answerTime"))
        )
        if e["operator"] != "exists" and comparable and kind != "TextQuestion":
            assert findings[place].fidelity is Fidelity.EXACT, (place, e, findings[place])
    exact_operators = {
        entry(p)["operator"] for p in places if findings[p].fidelity is Fidelity.EXACT
    }
    assert exact_operators == {"exists", "=", "!=", ">="}
    # the file uses >, < and <= only on text items: weltoffen orders numbers only, and says so
    for place in places:
        if entry(place)["operator"] in (">", "<", "<="):
            assert by_target[entry(place)["question"]] == "TextQuestion"
            assert findings[place].fidelity is Fidelity.DROPPED
            assert "numbers" in findings[place].message


def test_hidden_items_are_kept_and_their_answers_read(interop_file: Find) -> None:
    imported = read_questionnaire(interop_file("fhir/lforms__hidden-item-questionnaire.R4.json"))
    hidden = [f for f in imported.report.findings if f.construct == "questionnaire-hidden"]
    assert [f.source_id for f in hidden] == ["GROUP-HIDDEN"]
    assert all(f.fidelity is Fidelity.APPROXIMATED for f in hidden)
    ids = [x.id for _, x in imported.questionnaire.iter_questions()]
    assert ids == ["ITEM-VISIBLE"]
    (response,) = read_responses(
        interop_file("fhir/lforms__hidden-item-questionnaire-response.R4.json"),
        imported.questionnaire,
    )
    assert dict(response.answers) == {"ITEM-VISIBLE": 2}
