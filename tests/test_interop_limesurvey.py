"""LimeSurvey survey structures (.lss) and response exports, on files written for these tests.

``mini_dbv366.lss`` and ``mini_dbv491.lss`` hold the same survey in the two layouts (texts in the
rows before DBVersion 400, in ``*_l10ns`` tables after): a list with an 'Other' answer, an array,
a multiple choice worth 2 per tick, yes/no, text with a relevance, a list gated by a legacy
condition and the relevance beside it, a context group with nothing to score, two equations and
assessments with a gap (group) and an overlap (total).
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from weltoffen import compile, score
from weltoffen.exceptions import DefinitionError, ProblemCode, ResponseError
from weltoffen.interop import default_formats
from weltoffen.interop.expressions import EXPRESSIONSCRIPT, Binary, Field, Member, parse
from weltoffen.interop.limesurvey import read_questionnaire, read_responses
from weltoffen.interop.report import Fidelity
from weltoffen.model.conditions import Equals
from weltoffen.model.questions import Choice, MultipleChoice, TextQuestion, YesNo

FIXTURES = Path(__file__).parent / "fixtures" / "limesurvey"
OLD, NEW = FIXTURES / "mini_dbv366.lss", FIXTURES / "mini_dbv491.lss"


def test_the_format_is_registered() -> None:
    fmt = default_formats.get("limesurvey")
    assert fmt.abilities == (
        "read_questionnaire",
        "write_questionnaire",
        "read_responses",
        "write_responses",
    )


def test_expressionscript_names_questions_and_their_members() -> None:
    node = parse("((Q12.NAOK == 'AO01')) and !is_empty(Q3_SQ001) || Q4 ge 2", EXPRESSIONSCRIPT)

    assert isinstance(node, Binary)
    assert node.op == "or"
    left = node.left
    assert isinstance(left, Binary)
    assert isinstance(left.left, Binary)
    assert left.left.left == Member(
        target=Field(name="Q12", span=(2, 5)), name="NAOK", span=(2, 10)
    )
    assert isinstance(node.right, Binary)
    assert node.right.op == ">="


def test_both_layouts_give_the_same_questionnaire() -> None:
    old, new = read_questionnaire(OLD), read_questionnaire(NEW)

    assert old.questionnaire.id == "mini_dbv366"
    assert old.questionnaire.title == {"de": "Mini-Check", "en": "Mini check"}
    assert new.questionnaire == attrs.evolve(old.questionnaire, id="mini_dbv491")
    messages = [f.message for f in old.report.findings]
    assert [f.message for f in new.report.findings][1:] == messages[1:]


def test_groups_questions_and_points() -> None:
    q = read_questionnaire(NEW).questionnaire

    (services,) = q.dimensions
    assert services.id == "angebote"
    assert services.title == {"de": "Angebote", "en": "Services"}
    questions = {x.id: x for x in services.questions}
    assert list(questions) == ["A1", "A2_SQ001", "A2_SQ002", "A3", "A4", "A5", "A6"]
    a1 = questions["A1"]
    assert isinstance(a1, Choice)
    assert [(o.value, o.points) for o in a1.options] == [("N", 0), ("T", 1), ("V", 2)]
    assert a1.text == {"de": "Gibt es eine Beratung?", "en": "Is there advice?"}
    assert questions["A2_SQ002"].text["en"] == "How good are: Hours"
    a3 = questions["A3"]
    assert isinstance(a3, MultipleChoice)
    assert (a3.method, [o.points for o in a3.options]) == ("sum", [2.0, 2.0, 2.0])
    assert isinstance(questions["A4"], YesNo)
    assert not questions["A4"].scored
    assert isinstance(questions["A5"], TextQuestion)
    # every answer of A6 is worth 1: LimeSurvey's "no answer" (0) becomes an option
    assert [(o.value, o.points) for o in questions["A6"].options] == [  # type: ignore[union-attr]
        ("-noanswer-", 0),
        ("A", 1),
        ("B", 1),
    ]
    assert [m.key for m in q.metadata] == ["E1", "E2", "B1", "B2"]


def test_relevance_and_legacy_conditions_become_conditions() -> None:
    imported = read_questionnaire(NEW)
    questions = {x.id: x for _, x in imported.questionnaire.iter_questions()}

    assert questions["A5"].when == Equals("A4", True)
    assert questions["A6"].when == Equals("A1", "V")
    (legacy,) = [f for f in imported.report.findings if f.construct == "condition"]
    assert (legacy.fidelity, legacy.source_id) == (Fidelity.EXACT, "A6")
    assert "the same rule as the relevance" in legacy.message


def test_equations_in_the_subset_are_totals_the_rest_is_reported() -> None:
    report = read_questionnaire(NEW).report
    e1, e2 = (f for f in report.findings if f.construct == "equation")

    assert (e1.source_id, e1.fidelity) == ("E1", Fidelity.EXACT)
    assert (e2.source_id, e2.fidelity) == ("E2", Fidelity.DROPPED)
    assert "weights answers" in e2.message
    assert e2.location == ("questions", "rows", 9)
    assert e2.line is not None


def test_assessments_become_bands_gaps_are_repaired_overlaps_refused() -> None:
    imported = read_questionnaire(NEW)
    (services,) = imported.questionnaire.dimensions

    assert [(b.id, b.min, b.max) for b in services.bands] == [
        ("assessment-1", 0, 3.5),
        ("no-assessment-1", 3.5, 5.5),
        ("assessment-2", 5.5, 13),
    ]
    assert services.bands[0].feedback == {"de": "Noch wenig", "en": "Little so far"}
    assert imported.questionnaire.bands == ()
    lines = imported.report.lines()
    assert any("holds the totals 4-5" in line for line in lines)
    assert any("overlap" in line and "'assessment-3' (0-5)" in line for line in lines)


def test_points_are_limesurveys_group_sum() -> None:
    q = read_questionnaire(NEW).questionnaire
    answers = {"A1": "V", "A2_SQ001": "3", "A3": ("SQ001", "SQ003"), "A6": "A", "A4": True}

    result = score(compile(q), answers)

    (services,) = result.dimensions
    assert services.points == 2 + 2 + 4 + 1
    assert services.band == "assessment-2"


def test_every_construct_has_a_finding() -> None:
    report = read_questionnaire(NEW).report

    placed = {f.source_id for f in report.findings if f.construct in ("question", "equation")}
    assert placed == {"A1", "A2", "A3", "A4", "A5", "A6", "B1", "B2", "E1", "E2", "X1"}
    assert any(f.construct == "other" and f.source_id == "A1" for f in report.findings)


def test_malformed_xml_is_located(tmp_path: Path) -> None:
    path = tmp_path / "broken.lss"
    path.write_text(
        '<?xml version="1.0"?>\n<document>\n <LimeSurveyDocType>Survey</LimeSurveyDocType>\n'
        " <groups><rows><row><gid>1</gid></row></rows>\n</document>\n",
        encoding="utf-8",
    )

    with pytest.raises(DefinitionError) as caught:
        read_questionnaire(path)

    (problem,) = caught.value.problems
    assert problem.code is ProblemCode.BAD_SYNTAX
    assert (problem.file, problem.line, problem.column) == (str(path), 5, 3)


def test_entities_are_refused_not_expanded(tmp_path: Path) -> None:
    path = tmp_path / "bomb.lss"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY a "aaaaaaaa">]>\n'
        "<document><LimeSurveyDocType>&a;</LimeSurveyDocType></document>\n",
        encoding="utf-8",
    )

    with pytest.raises(DefinitionError) as caught:
        read_questionnaire(path)

    (problem,) = caught.value.problems
    assert problem.code is ProblemCode.BAD_SYNTAX
    assert "refused" in problem.message


def test_a_file_that_is_no_survey_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "q.lss"
    path.write_text("<document><LimeSurveyDocType>Question</LimeSurveyDocType></document>")

    with pytest.raises(DefinitionError) as caught:
        read_questionnaire(path)

    assert caught.value.problems[0].code is ProblemCode.WRONG_FILE_KIND


def test_bad_rows_are_all_reported_with_their_lines(tmp_path: Path) -> None:
    text = NEW.read_text(encoding="utf-8")
    text = text.replace("<assessment_value><![CDATA[2]]>", "<assessment_value><![CDATA[zwei]]>")
    moved = "<gid><![CDATA[99]]></gid>\n    <type>"
    text = text.replace("<gid><![CDATA[11]]></gid>\n    <type>", moved)
    path = tmp_path / "bad.lss"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(DefinitionError) as caught:
        read_questionnaire(path)

    problems = caught.value.problems
    assert {p.code for p in problems} == {ProblemCode.BAD_VALUE, ProblemCode.UNKNOWN_REFERENCE}
    assert len(problems) >= 3  # two answers worth "zwei", questions in an unknown group
    assert all(p.line and p.file == str(path) for p in problems)


def test_a_response_export_is_read(tmp_path: Path) -> None:
    q = read_questionnaire(NEW).questionnaire
    export = tmp_path / "results.csv"
    export.write_text(
        '"id","submitdate","lastpage","startlanguage","A1","A1[other]","A2[SQ001]","A2[SQ002]",'
        '"A3[SQ001]","A3[SQ002]","A3[SQ003]","A4","A5","A6","B1","B2","E1","A1Time"\n'
        '"17","2026-01-01","3","de","V","","3","","Y","","Y","Y","Plan B","A","1200","Ort",'
        '"9","12"\n'
        '"18","","1","de","-oth-","Kiosk","","","","","","N","","","","","",""\n',
        encoding="utf-8",
    )

    first, second = read_responses(export, q)

    assert first.respondent == "17"
    assert first.answers == {
        "A1": "V",
        "A2_SQ001": "3",
        "A3": ("SQ001", "SQ003"),
        "A4": True,
        "A5": "Plan B",
        "A6": "A",
    }
    assert first.metadata == {"B1": "1200", "B2": "Ort", "E1": "9"}
    assert second.answers == {"A4": False}  # an 'other' text is no option


def test_a_bad_export_names_every_problem(tmp_path: Path) -> None:
    q = read_questionnaire(NEW).questionnaire
    export = tmp_path / "results.csv"
    export.write_text("id,A1,A4,Z9\n1,X,maybe,\n", encoding="utf-8")

    with pytest.raises(ResponseError) as caught:
        read_responses(export, q)

    found = sorted((p.location, p.line, p.column) for p in caught.value.problems)
    assert found == [(("A1",), 2, 2), (("A4",), 2, 3), (("Z9",), 1, 4)]
