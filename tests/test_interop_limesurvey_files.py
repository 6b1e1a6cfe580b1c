"""The Open Source Maturity Model (FINOS) as LimeSurvey exported it: the real ``.lss`` file.

The oracle is LimeSurvey's own rule for group assessments, computed here straight from the XML:
a group's sum is the ``assessment_value`` of the chosen answer of every list and array question,
plus the question's ``assessment_value`` attribute for every ticked multiple choice option, over
the questions that are relevant (an irrelevant question is stored empty and adds nothing).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import INTEROP_FILES
from weltoffen import compile, score
from weltoffen.interop.limesurvey import read_questionnaire, read_responses
from weltoffen.interop.report import Fidelity
from weltoffen.model.questionnaire import Questionnaire

OSMM = "limesurvey/finos-osmm__osmm-survey-structure.lss"
_RELEVANCE = re.compile(r"""\(\(\s*(\w+)\.NAOK == ['"](\w+)['"]\s*\)\)""")


def _rows(root: object, table: str) -> list[dict[str, str]]:
    return [
        {cell.tag: (cell.text or "") for cell in row}
        for row in root.findall(f"{table}/rows/row")  # type: ignore[attr-defined]
    ]


class _Survey:
    """What LimeSurvey's assessment needs of the file, read with defusedxml's ElementTree."""

    def __init__(self, path: Path) -> None:
        from defusedxml import ElementTree

        root = ElementTree.parse(path).getroot()
        self.questions = list(_rows(root, "questions"))
        self.subs: dict[str, list[str]] = {}
        for sub in sorted(_rows(root, "subquestions"), key=lambda s: int(s["question_order"])):
            self.subs.setdefault(sub["parent_qid"], []).append(sub["title"])
        self.values: dict[tuple[str, str], int] = {}
        self.codes: dict[str, list[str]] = {}
        for answer in _rows(root, "answers"):
            self.values[answer["qid"], answer["code"]] = int(answer["assessment_value"])
            self.codes.setdefault(answer["qid"], []).append(answer["code"])
        self.tick: dict[str, int] = {
            a["qid"]: int(a["value"])
            for a in _rows(root, "question_attributes")
            if a["attribute"] == "assessment_value"
        }
        self.groups = {g["gid"]: g["group_name"] for g in _rows(root, "group_l10ns")}
        self.order = sorted(self.questions, key=lambda q: (q["gid"], int(q["question_order"])))

    def group_sums(self, answers: dict[str, str]) -> dict[str, int]:
        """Group name -> LimeSurvey's assessment sum of a response (column -> cell)."""
        sums = dict.fromkeys(self.groups.values(), 0)
        for q in self.questions:
            group = self.groups[q["gid"]]
            if q["type"] in ("L", "!", "O"):
                sums[group] += self.values.get((q["qid"], answers.get(q["title"], "")), 0)
            elif q["type"] in ("M", "P"):
                ticked = [
                    s
                    for s in self.subs.get(q["qid"], [])
                    if answers.get(f"{q['title']}[{s}]") == "Y"
                ]
                sums[group] += self.tick.get(q["qid"], 0) * len(ticked)
        return sums


@pytest.fixture(scope="module")
def osmm() -> tuple[Path, _Survey, Questionnaire]:
    """The file, LimeSurvey's view of it, and the imported questionnaire (read once)."""
    path = INTEROP_FILES / OSMM
    if not path.is_file():
        pytest.skip(f"real example file {OSMM} is not available (looked in {INTEROP_FILES})")
    return path, _Survey(path), read_questionnaire(path).questionnaire


def test_the_osmm_survey_gives_twelve_dimensions_with_their_points_and_bands(
    interop_file: Callable[[str], Path],
) -> None:
    imported = read_questionnaire(interop_file(OSMM))
    q = imported.questionnaire

    assert len(q.dimensions) == 12
    assert [d.title["en"] for d in q.dimensions][:3] == [
        "Goals and Objectives",
        "Corporate Alignment",
        "Community and Ecosystem Engagement",
    ]
    # every answer of the file, with its assessment value: in a question, or in a metadata field
    # (the general information group scores nothing); the no-answer options are weltoffen's own
    from_answers = [
        o
        for d in q.dimensions
        for x in d.questions
        if x.kind != "multiple_choice"
        for o in getattr(x, "options", ())
        if o.value != "-noanswer-"
    ]
    in_metadata = [o for field in q.metadata for o in field.options]
    assert len(from_answers) + len(in_metadata) == 584
    assert {o.points for o in from_answers} == {0.0, 1.0}
    assert all(len(d.bands) == 1 and d.bands_on == "points" for d in q.dimensions)
    assert q.dimensions[0].bands[0].label == {"en": "Goals and Objectives"}


def test_the_fifteen_equation_questions_are_reported_with_their_place(
    interop_file: Callable[[str], Path],
) -> None:
    report = read_questionnaire(interop_file(OSMM)).report

    equations = [f for f in report.findings if f.construct == "equation"]
    assert len(equations) == 15
    assert all(f.fidelity is Fidelity.DROPPED for f in equations)
    assert {f.source_id for f in equations} == {f"G{k}" for k in range(1, 13)} | {"D1", "D2", "D3"}
    assert all(f.line and f.location[:2] == ("questions", "rows") for f in equations)
    first = next(f for f in equations if f.source_id == "G1")
    assert "expected ')'" in first.message
    assert first.column is not None


def test_relevance_imports_as_conditions_and_the_legacy_conditions_agree(
    interop_file: Callable[[str], Path],
) -> None:
    imported = read_questionnaire(interop_file(OSMM))
    questions = {x.id: x for _, x in imported.questionnaire.iter_questions()}

    assert questions["Q2"].when is not None
    assert questions["Q2"].when.question == "Q1"  # type: ignore[union-attr]
    legacy = [f for f in imported.report.findings if f.construct == "condition"]
    # Q174, Q192, Q203, Q208, Q33, Q43, Q51, Q76 have one legacy condition each beside their
    # relevance; Q217's fourteen belong to a question kept as metadata
    agreeing = {f.source_id for f in legacy if f.fidelity is Fidelity.EXACT}
    assert agreeing == {"Q174", "Q192", "Q203", "Q208", "Q33", "Q43", "Q51", "Q76"}


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_dimension_points_equal_limesurveys_group_sums(
    osmm: tuple[Path, _Survey, Questionnaire],
    tmp_path_factory: pytest.TempPathFactory,
    data: st.DataObject,
) -> None:
    _, survey, imported = osmm
    answers: dict[str, str] = {}
    for q in survey.order:
        relevance = _RELEVANCE.fullmatch((q["relevance"] or "").strip())
        if relevance and answers.get(relevance.group(1)) != relevance.group(2):
            continue  # not relevant: LimeSurvey stores nothing
        if q["type"] in ("L", "!", "O"):
            choice = data.draw(st.sampled_from(["", *survey.codes.get(q["qid"], [])]))
            if choice:
                answers[q["title"]] = choice
        elif q["type"] in ("M", "P"):
            for sub in survey.subs.get(q["qid"], []):
                if data.draw(st.booleans()):
                    answers[f"{q['title']}[{sub}]"] = "Y"
    export = tmp_path_factory.mktemp("osmm") / "responses.csv"
    with export.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        columns = ["id", "submitdate", *answers]
        writer.writerow(columns)
        writer.writerow(["7", "2026-01-01", *answers.values()])

    (response,) = read_responses(export, imported)
    result = score(compile(imported), response)

    sums = survey.group_sums(answers)
    for dim in result.dimensions:
        title = next(d.title["en"] for d in imported.dimensions if d.id == dim.id)
        assert dim.points == sums[title], title
