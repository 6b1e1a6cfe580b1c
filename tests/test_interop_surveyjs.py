"""Importing SurveyJS surveys: the real example pages (NDSI, RAND-36, PHQ-9), our own fixtures
with every construct, bands from completedHtmlOnCondition and malformed input."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from pathlib import Path
from statistics import mean
from typing import Any

import pytest

from weltoffen import compile, score
from weltoffen.exceptions import DefinitionError, ProblemCode, ResponseError
from weltoffen.interop import Fidelity, default_formats
from weltoffen.interop.expressions import SURVEYJS, Binary, Field, Number, parse
from weltoffen.interop.surveyjs import (
    import_survey,
    read_questionnaire,
    result_object,
    results_of,
    survey_json,
)
from weltoffen.model.answers import Response, State
from weltoffen.model.conditions import Equals, Includes, OneOf
from weltoffen.model.dimensions import Band, Dimension
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import (
    Choice,
    MultipleChoice,
    Option,
    ScaleQuestion,
    TextQuestion,
    YesNo,
)
from weltoffen.strategies import SumOfPoints

FIXTURES = Path(__file__).parent / "fixtures" / "surveyjs"
NDSI = "surveyjs/sovereignsky__ndsi_survey.md"
RAND = "surveyjs/surveyjs-howtos__create-a-rand-36-item-health-survey.md"
PHQ = "surveyjs/surveyjs-howtos__create-a-scored-survey-without-js-code.md"

_BLOCK = re.compile(
    r"^```json\n(?P<fenced>.*?)^```|^\{\{< survey[^>]*>\}\}\n(?P<hugo>.*?)^\{\{< /survey >\}\}",
    re.S | re.M,
)


def survey_blocks(page: Path) -> list[tuple[int, str]]:
    """The survey JSON blocks of a Markdown page (fenced ```json blocks and Hugo ``survey``
    shortcodes), each with the page line just before its first line."""
    text = page.read_text(encoding="utf-8")
    out = []
    for match in _BLOCK.finditer(text):
        group = "fenced" if match.group("fenced") is not None else "hugo"
        out.append((text.count("\n", 0, match.start(group)), match.group(group)))
    return out


def block_file(tmp_path: Path, page: Path, index: int) -> tuple[Path, int]:
    offset, text = survey_blocks(page)[index]
    target = tmp_path / f"block{index}.json"
    target.write_text(text, encoding="utf-8")
    return target, offset


Finder = Callable[[str], Path]


# -- NDSI ----------------------------------------------------------------------------------


def test_ndsi_imports_with_eleven_questions_and_five_levels(
    tmp_path: Path, interop_file: Finder
) -> None:
    path, _ = block_file(tmp_path, interop_file(NDSI), 0)
    imported = read_questionnaire(path)
    q = imported.questionnaire
    questions = [x for _, x in q.iter_questions()]
    assert len(questions) == 11
    assert [d.id for d in q.dimensions] == ["page1", "page2", "page3", "page4"]
    assert q.bands_on == "points"
    assert [(b.min, b.max) for b in q.bands] == [
        (0.0, 9.0), (9.0, 18.0), (18.0, 26.0), (26.0, 35.0), (35.0, 44.0),
    ]  # fmt: skip
    assert q.bands[-1].label == {"en": "Level 4: Sovereign"}
    assert q.bands[0].suggestions[0].text == {"en": "Map all cloud services your organization uses"}
    fours = {x.id: 4 for x in questions}
    result = score(compile(q), results_of(fours, q)[0])
    assert (result.points, result.band) == (44.0, "level-4-sovereign")
    zeros = score(compile(q), results_of({x.id: 0 for x in questions}, q)[0])
    assert (zeros.points, zeros.band) == (0.0, "level-0-unassessed")


def test_ndsi_warns_about_its_duplicate_choice_value(tmp_path: Path, interop_file: Finder) -> None:
    path, _ = block_file(tmp_path, interop_file(NDSI), 0)
    report = read_questionnaire(path).report
    duplicates = [f for f in report.findings if "share the value" in f.message]
    assert len(duplicates) == 1
    assert duplicates[0].fidelity is Fidelity.APPROXIMATED
    assert duplicates[0].source_id == "q1_provider"
    assert duplicates[0].location == ("pages", 0, "elements", 0, "choices", 4)
    total = [f for f in report.findings if f.source_id == "totalScore"]
    assert [f.fidelity for f in total] == [Fidelity.EXACT]


# -- RAND-36 -------------------------------------------------------------------------------

_SCALES = {
    "physical_functioning", "role_physical", "role_emotional", "energy_fatigue",
    "emotional_wellbeing", "social_functioning", "pain", "general_health",
}  # fmt: skip


def test_rand36_domains_are_the_dimensions(tmp_path: Path, interop_file: Finder) -> None:
    path, _ = block_file(tmp_path, interop_file(RAND), 0)
    imported = read_questionnaire(path)
    q = imported.questionnaire
    ids = {d.id for d in q.dimensions}
    # the eight scales, and the health-transition item the page scores beside them
    assert ids == _SCALES | {"health_change"}
    assert sum(len(d.questions) for d in q.dimensions) == 36
    chosen = [f for f in imported.report.findings if f.construct == "domain" and not f.location]
    assert len(chosen) == 1
    assert "every scored question" in chosen[0].message


def test_rand36_scores_are_the_pages_mean_of_answered(tmp_path: Path, interop_file: Finder) -> None:
    path, _ = block_file(tmp_path, interop_file(RAND), 0)
    survey = json.loads(path.read_text(encoding="utf-8"))
    elements = [e for page in survey["pages"] for e in page["elements"]]
    q = read_questionnaire(path).questionnaire
    plan = compile(q)
    rng = random.Random(36)
    for _ in range(25):
        data = {}
        for element in elements:
            if rng.random() < 0.8:
                data[element["name"]] = rng.choice(element["choices"])["value"]
        result = score(plan, results_of(data, q)[0])
        by_dim = {d.id: d for d in result.dimensions}
        for domain in _SCALES | {"health_change"}:
            # the page's JavaScript: the mean of the chosen choices' scores (before rounding)
            chosen = [
                next(c["score"] for c in e["choices"] if c["value"] == data[e["name"]])
                for e in elements
                if e["domain"] == domain and e["name"] in data
            ]
            got = by_dim[domain].score
            if chosen:
                assert got == pytest.approx(mean(chosen))
            else:
                assert got is None


# -- PHQ-9 ---------------------------------------------------------------------------------


def test_phq9_values_are_the_points_and_the_expression_the_total(
    tmp_path: Path, interop_file: Finder
) -> None:
    path, _ = block_file(tmp_path, interop_file(PHQ), 0)
    imported = read_questionnaire(path)
    q = imported.questionnaire
    questions = [x for _, x in q.iter_questions()]
    assert [x.id for x in questions] == [f"q{i}" for i in range(1, 10)]
    assert all(isinstance(x, Choice) and len(x.options) == 4 for x in questions)
    assert isinstance(q.aggregation, SumOfPoints)
    rng = random.Random(9)
    plan = compile(q)
    for _ in range(10):
        data = {x.id: rng.choice(["0", "1", "2", "3"]) for x in questions}
        result = score(plan, results_of(data, q)[0])
        assert result.points == sum(int(v) for v in data.values())
    borrowed = [f for f in imported.report.findings if f.construct == "choicesFromQuestion"]
    assert len(borrowed) == 8


def test_the_invalid_phq9_block_gives_line_and_column(tmp_path: Path, interop_file: Finder) -> None:
    page = interop_file(PHQ)
    path, offset = block_file(tmp_path, page, 1)
    with pytest.raises(DefinitionError) as caught:
        read_questionnaire(path)
    (problem,) = caught.value.problems
    assert problem.code is ProblemCode.BAD_SYNTAX
    assert (problem.line, problem.column) == (55, 9)
    # the place on the page: the brace after the trailing comma of "noneText"
    lines = page.read_text(encoding="utf-8").splitlines()
    assert lines[offset + 55 - 1][9 - 1] == "}"
    assert lines[offset + 55 - 2].rstrip().endswith('"None of the above",')


# -- our fixtures --------------------------------------------------------------------------


def test_every_construct_gets_a_finding() -> None:
    imported = read_questionnaire(FIXTURES / "every_construct.json")
    q = imported.questionnaire
    report = imported.report
    by_id = {x.id: x for _, x in q.iter_questions()}
    assert set(by_id) == {
        "gate", "stars", "tools", "flag", "count", "notes", "level", "grid.r1", "grid.r2",
    }  # fmt: skip
    assert q.title == {"en": "Every construct", "de": "Jedes Element"}
    gate = by_id["gate"]
    assert gate.dont_know
    assert gate.missing_codes == {"dontknow": "dont_know", "refused": "skipped"}
    assert isinstance(by_id["stars"], ScaleQuestion)
    assert [o.points for o in by_id["stars"].options] == [1, 2, 3, 4, 5]
    assert by_id["stars"].when == Equals("gate", "y")
    tools = by_id["tools"]
    assert isinstance(tools, MultipleChoice)
    assert [o.points for o in tools.options] == [1.0, 2.0, 0.0]
    assert isinstance(by_id["flag"], YesNo)
    assert by_id["notes"].when is not None
    assert by_id["level"].when is None
    assert isinstance(q.dimensions[0].dimensions[0].when, Includes)
    constructs = {f.construct for f in report.findings}
    for construct in (
        "showProgressBar", "showRefuseItem", "showDontKnowItem", "showNoneItem", "enableIf",
        "html", "signaturepad", "matrix", "calculatedValues", "completedHtml",
        "completedHtmlOnCondition", "rating", "boolean", "comment", "panel", "page",
    ):  # fmt: skip
        assert construct in constructs, construct
    dropped_if = [f for f in report.of(Fidelity.DROPPED) if f.source_id == "level"]
    assert dropped_if[0].construct == "visibleIf"
    assert dropped_if[0].column == 1
    assert [b.label for b in q.bands] == [
        {"en": "Low", "de": "Niedrig"}, {"en": "Middle"}, {"en": "High"},
    ]  # fmt: skip
    # whole totals: "> 12" starts at 13, "<= 9" ends before 10, gaps widen the band below
    assert [(b.min, b.max) for b in q.bands] == [(0.0, 5.0), (5.0, 13.0), (13.0, 13.0 + 1)]


def test_overlapping_band_conditions_are_refused() -> None:
    with pytest.raises(DefinitionError) as caught:
        read_questionnaire(FIXTURES / "overlap.json")
    (problem,) = caught.value.problems
    assert problem.code is ProblemCode.BAND_OVERLAP
    assert problem.location == ("completedHtmlOnCondition", 1, "expression")
    assert "both hold for the total 3" in problem.message


def test_malformed_surveys_list_every_problem_at_once() -> None:
    with pytest.raises(DefinitionError) as caught:
        read_questionnaire(FIXTURES / "broken.json")
    found = [(p.code, p.location) for p in caught.value.problems]
    assert found == [
        (ProblemCode.MISSING_KEY, ("pages", 0, "elements", 0, "name")),
        (ProblemCode.BAD_VALUE, ("pages", 0, "elements", 1, "choices", 1)),
        (ProblemCode.DUPLICATE_ID, ("pages", 0, "elements", 2, "name")),
        (ProblemCode.WRONG_TYPE, ("pages", 0, "elements", 3)),
        (ProblemCode.UNKNOWN_REFERENCE, ("pages", 0, "elements", 4, "choicesFromQuestion")),
    ]
    assert all(p.file and p.file.endswith("broken.json") for p in caught.value.problems)


def test_what_is_no_survey_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"resourceType": "Questionnaire"}', encoding="utf-8")
    with pytest.raises(DefinitionError, match="not a SurveyJS survey"):
        read_questionnaire(path)


def test_a_custom_property_can_be_named(tmp_path: Path) -> None:
    survey = {
        "pages": [
            {
                "name": "p1",
                "elements": [
                    {"type": "radiogroup", "name": "a", "area": "x", "group": "g1",
                     "choices": [{"value": 1, "score": 0}, {"value": 2, "score": 1}]},
                    {"type": "radiogroup", "name": "b", "area": "y", "group": "g1",
                     "choices": [{"value": 1, "score": 0}, {"value": 2, "score": 1}]},
                ],
            }
        ]
    }  # fmt: skip
    # two candidate properties: the pages stay the dimensions unless one is named
    assert [d.id for d in import_survey(survey).questionnaire.dimensions] == ["p1"]
    named = import_survey(survey, dimensions_from="area").questionnaire
    assert [d.id for d in named.dimensions] == ["x", "y"]


# -- results -------------------------------------------------------------------------------


def test_results_take_special_values_as_states() -> None:
    q = read_questionnaire(FIXTURES / "every_construct.json").questionnaire
    data = [
        {"gate": "dontknow", "tools": ["none"], "grid": {"r1": 3}, "total": 12},
        {"gate": "refused", "tools": ["a", "b"], "flag": True, "count": "4"},
    ]
    first, second = results_of(data, q)
    assert first.answers == {"gate": State.DONT_KNOW, "tools": (), "grid.r1": "3"}
    assert second.answers == {
        "gate": State.SKIPPED, "tools": ("a", "b"), "flag": True, "count": 4,
    }  # fmt: skip
    assert [first.respondent, second.respondent] == ["result-1", "result-2"]


def test_text_answers_are_text_and_their_states_travel_under_weltoffen() -> None:
    q = Questionnaire(
        id="t",
        dimensions=(
            Dimension(
                id="d",
                questions=(
                    YesNo(id="y"),
                    TextQuestion(id="note", dont_know=True, not_applicable=True),
                    TextQuestion(id="other"),
                ),
            ),
        ),
    )
    # a respondent may well type a word SurveyJS uses for its special choice items
    typed = Response(respondent="a", answers={"y": True, "note": "none", "other": "dontknow"})
    stated = Response(respondent="b", answers={"note": State.DONT_KNOW, "other": "refused"})
    written = [result_object(r, q) for r in (typed, stated)]
    assert "note" not in written[1]
    assert written[1]["weltoffen"]["states"] == {"note": "dont_know"}
    assert results_of(written, q) == [typed, stated]
    with pytest.raises(ResponseError) as caught:
        results_of([{"y": True, "weltoffen": {"states": {"y": "dont_know", "note": "maybe"}}}], q)
    found = [(p.code, p.location) for p in caught.value.problems]
    assert found == [
        (ProblemCode.UNKNOWN_QUESTION, (0, "weltoffen", "states", "y")),
        (ProblemCode.BAD_ANSWER, (0, "weltoffen", "states", "note")),
    ]


def test_bad_results_are_located() -> None:
    q = read_questionnaire(FIXTURES / "every_construct.json").questionnaire
    with pytest.raises(ResponseError) as caught:
        results_of([{"gate": "maybe", "flag": "x", "stars": "dontknow"}, {"other": 1}], q, "r.json")
    found = [(p.code, p.location) for p in caught.value.problems]
    assert found == [
        (ProblemCode.BAD_OPTION, (0, "gate")),
        (ProblemCode.BAD_ANSWER, (0, "flag")),
        (ProblemCode.STATE_NOT_OFFERED, (0, "stars")),
        (ProblemCode.WRONG_INSTRUMENT, (1,)),
    ]


# -- bands written as completedHtmlOnCondition ---------------------------------------------


def _holds(node: Any, values: dict[str, float]) -> bool:
    if isinstance(node, Binary) and node.op in ("and", "or"):
        left, right = _holds(node.left, values), _holds(node.right, values)
        return (left and right) if node.op == "and" else (left or right)
    assert isinstance(node, Binary)
    assert isinstance(node.left, Field)
    assert isinstance(node.right, Number)
    x, y = values[node.left.name], float(node.right.value)
    return {">=": x >= y, ">": x > y, "<": x < y, "<=": x <= y}[node.op]


def test_points_bands_written_choose_the_band_of_every_total() -> None:
    options = tuple(Option(value=str(p), points=float(p)) for p in range(4))
    questions = tuple(Choice(id=f"q{i}", options=options) for i in range(3))
    bands = (
        Band(id="low", min=0, max=2.5, label={"en": "Low"}),
        Band(id="mid", min=2.5, max=6, label={"en": "Mid"}),
        Band(id="high", min=6, max=9, label={"en": "High"}),
    )
    q = Questionnaire(
        id="t",
        aggregation=SumOfPoints(),
        bands=bands,
        bands_on="points",
        dimensions=(Dimension(id="d", aggregation=SumOfPoints(), questions=questions),),
    )
    conditions = survey_json(q)["completedHtmlOnCondition"]
    plan = compile(q)
    for total in range(10):
        held = [
            i
            for i, c in enumerate(conditions)
            if _holds(parse(c["expression"], SURVEYJS), {"weltoffen_points": total})
        ]
        data = {"q0": str(min(total, 3)), "q1": str(min(max(total - 3, 0), 3))}
        data["q2"] = str(total - int(data["q0"]) - int(data["q1"]))
        result = score(plan, results_of(data, q)[0])
        assert result.points == total
        assert len(held) == 1
        assert bands[held[0]].id == result.band


def test_the_format_is_registered() -> None:
    fmt = default_formats.get("surveyjs")
    assert fmt.abilities == (
        "read_questionnaire", "write_questionnaire", "read_responses", "write_responses",
    )  # fmt: skip
    assert fmt.read_questionnaire is read_questionnaire


def test_choices_spelling_one_number_stay_apart_and_a_condition_on_it_means_both() -> None:
    survey = {
        "elements": [
            {
                "type": "radiogroup",
                "name": "q1",
                "choices": [{"value": "2", "text": "two"}, {"value": "02", "text": "oh-two"}],
            },
            {"type": "text", "name": "t", "visibleIf": "{q1} = '02'"},
        ]
    }
    imported = import_survey(survey)
    by_id = {x.id: x for _, x in imported.questionnaire.iter_questions()}

    # SurveyJS stores "2" and "02" as given, but compares them as the same number
    assert [o.value for o in by_id["q1"].options] == ["2", "02"]  # type: ignore[attr-defined]
    assert by_id["t"].when == OneOf("q1", ("2", "02"))
    assert not [f for f in imported.report.findings if "share the value" in f.message]
