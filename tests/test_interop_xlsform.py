"""XLSForm: reading small workbooks built here, the ODK/Kobo CSV exports, and writing."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from weltoffen import compile, score
from weltoffen.exceptions import DefinitionError, ProblemCode, ResponseError
from weltoffen.interop import Fidelity, default_formats
from weltoffen.interop.xlsform import read_questionnaire, read_responses, write_questionnaire
from weltoffen.model.conditions import AllOf, AnyOf, Compare, Equals, Includes, Not
from weltoffen.model.dimensions import Dimension
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import Choice, MultipleChoice, Option, TextQuestion
from weltoffen.strategies import SumOfPoints

pytest.importorskip("pyxform")
openpyxl = pytest.importorskip("openpyxl")

SURVEY = ["type", "name", "label::English (en)", "relevant", "constraint", "calculation"]
CHOICES = [
    ["list_name", "name", "label::English (en)", "points"],
    ["yn", "yes", "Yes", 1],
    ["yn", "no", "No", 0],
    ["level", "a", "Low", 0],
    ["level", "b", "Mid", 1],
    ["level", "c", "High", 2],
]


def workbook(
    path: Path,
    survey: Sequence[Sequence[Any]],
    choices: Sequence[Sequence[Any]] = CHOICES,
    header: Sequence[str] = SURVEY,
) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    sheet.append(list(header))
    for row in survey:
        sheet.append(list(row))
    listed = book.create_sheet("choices")
    for row in choices:
        listed.append(list(row))
    settings = book.create_sheet("settings")
    settings.append(["form_id", "form_title", "version"])
    settings.append(["demo", "Demo", "3"])
    book.save(path)
    return path


def form(tmp_path: Path, *rows: Sequence[Any]) -> Path:
    return workbook(tmp_path / "form.xlsx", rows)


def questions(q: Questionnaire) -> dict[str, Any]:
    return {question.id: question for _, question in q.iter_questions()}


def test_the_format_is_registered() -> None:
    fmt = default_formats.get("xlsform")

    assert fmt.abilities == (
        "read_questionnaire",
        "write_questionnaire",
        "read_responses",
        "write_responses",
    )


def test_groups_are_dimensions_and_relevant_becomes_conditions(tmp_path: Path) -> None:
    path = form(
        tmp_path,
        ["select_one yn", "gate", "Gate?"],
        ["begin_group", "g1", "First", "${gate} = 'yes'"],
        ["select_one level", "lvl", "Level?", "${gate} = 'yes' and not(${gate} = 'no')"],
        ["select_multiple level", "many", "Which?", "${lvl} = 'b' or ${lvl} = 'c'"],
        ["integer", "days", "Days?", "selected(${many}, 'a')", ". >= 0 and . <= 7"],
        ["text", "why", "Why?", "${days} > 2 and ${days} <= 5"],
        ["end_group"],
        ["calculate", "total", None, None, None, "${lvl} + 2 * ${days}"],
    )

    imported = read_questionnaire(path)

    q = imported.questionnaire
    assert (q.id, q.version, q.title) == ("demo", "3", {"en": "Demo"})
    assert [d.id for d in q.dimensions] == ["demo", "g1"]
    assert q.dimensions[1].when == Equals("gate", True)
    found = questions(q)
    assert found["lvl"].when == AllOf((Equals("gate", True), Not(Equals("gate", False))))
    assert found["many"].when == AnyOf((Equals("lvl", "b"), Equals("lvl", "c")))
    assert found["days"].when == Includes("many", "a")
    assert found["why"].when == AllOf((Compare("days", "gt", 2.0), Compare("days", "le", 5.0)))
    # the total is a child dimension: g1 scores the multiple choice, too
    total = q.dimensions[1].dimensions[0]
    assert (total.id, total.aggregation) == ("total", SumOfPoints())
    assert [(x.id, x.weight) for x in total.questions] == [("lvl", 1.0), ("days", 2.0)]
    days = found["days"]
    assert (days.minimum, days.maximum, days.integer, days.scored) == (0, 7, True, True)
    assert isinstance(found["why"], TextQuestion)
    plan = compile(q)
    from weltoffen.model.answers import Response

    result = score(
        plan,
        Response(respondent="r", answers={"gate": "yes", "lvl": "c", "many": ("a",), "days": 3}),
    )
    assert result.dimension("total").points == 2 + 2 * 3


def test_count_selected_counts_ticks_and_gives_each_option_its_weight(tmp_path: Path) -> None:
    path = form(
        tmp_path,
        ["select_multiple level", "many", "Which?"],
        ["calculate", "ticks", None, None, None, "3 * count-selected(${many})"],
    )

    q = read_questionnaire(path).questionnaire

    many = questions(q)["many"]
    assert isinstance(many, MultipleChoice)
    assert (many.method, [o.points for o in many.options]) == ("sum", [3.0, 3.0, 3.0])


def test_what_is_not_imported_is_reported_with_its_place(tmp_path: Path) -> None:
    path = form(
        tmp_path,
        ["select_one level", "lvl", "Level?"],
        ["integer", "n", "N?", "string-length(${lvl}) > 2", ". > 0"],
        ["begin_repeat", "kids", "Kids"],
        ["text", "kid", "Name"],
        ["end_repeat"],
        ["date", "when", "When?"],
        ["calculate", "odd", None, None, None, "${lvl} * ${n}"],
    )

    report = read_questionnaire(path).report

    dropped = {(f.construct, f.source_id): f for f in report.of(Fidelity.DROPPED)}
    assert set(dropped) >= {
        ("relevant", "n"),
        ("constraint", "n"),
        ("repeat", "kids"),
        ("question", "when"),
        ("calculate", "odd"),
    }
    relevant = dropped["relevant", "n"]
    assert (relevant.line, relevant.column, relevant.location) == (
        3,
        1,
        ("survey", "n", "relevant"),
    )
    assert "string-length" in relevant.message
    assert "product of two answers" in dropped["calculate", "odd"].message


def test_a_gate_and_coalesce_make_a_structural_zero(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "form.xlsx",
        [
            ["select_one yn", "gate", "Ever?"],
            ["select_one often", "often", "How often?", "${gate} = 'yes'"],
            ["calculate", "total", None, None, None, "coalesce(${often}, 0)"],
        ],
        [
            ["list_name", "name", "label::English (en)", "points"],
            ["yn", "yes", "Yes"],
            ["yn", "no", "No"],
            ["often", "1", "Rarely", 1],
            ["often", "3", "Often", 2],
        ],
    )
    from weltoffen.model.answers import Response

    q = read_questionnaire(path).questionnaire
    plan = compile(q)

    often = questions(q)["often"]
    assert isinstance(often, Choice)
    assert often.options[0] == Option(value="0", label={"en": "not asked"}, points=0.0)
    assert often.otherwise == "0"
    assert not questions(q)["gate"].scored
    no = score(plan, Response(respondent="r", answers={"gate": "no"}))
    assert (no.points, no.dimension("demo").points) == (0.0, 0.0)
    assert score(plan, Response(respondent="s", answers={"gate": "yes", "often": "3"})).points == 2


def test_malformed_forms_give_every_problem_located(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "form.xlsx",
        [
            ["select_one yn", "a", "A?", "${b} = 'yes"],
            ["select_one level", "b", "B?"],
            ["calculate", "t", None, None, None, "${a} +"],
        ],
        [
            ["list_name", "name", "label::English (en)", "points"],
            ["yn", "yes", "Yes", "lots"],
            ["yn", "no", "No", 0],
            ["level", "a", "Low", 1],
            ["level", "b", "Mid"],
        ],
    )

    with pytest.raises(DefinitionError) as caught:
        read_questionnaire(path)

    shown = {(p.code, p.cell, p.line) for p in caught.value.problems}
    assert shown == {
        (ProblemCode.BAD_VALUE, "choices!D2", 2),
        (ProblemCode.MISSING_KEY, None, 5),
        (ProblemCode.BAD_SYNTAX, "survey!D2", 2),
        (ProblemCode.BAD_SYNTAX, "survey!F4", 4),
    }
    assert all(p.file == str(path) for p in caught.value.problems)


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"type,name\ntext,a\n", ProblemCode.WRONG_FILE_KIND),
        (None, ProblemCode.WRONG_FILE_KIND),
    ],
)
def test_what_is_no_xlsform_is_refused(
    tmp_path: Path, content: bytes | None, code: ProblemCode
) -> None:
    path = tmp_path / "form.xlsx"
    if content is None:  # a workbook without a survey sheet
        book = openpyxl.Workbook()
        book.active.title = "data"
        book.save(path)
    else:
        path.write_bytes(content)

    with pytest.raises(DefinitionError) as caught:
        read_questionnaire(path)

    assert [p.code for p in caught.value.problems] == [code]


def test_a_form_with_nothing_to_score_says_what_to_add(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "form.xlsx",
        [["select_one names", "who", "Who?"], ["text", "note", "Note"]],
        [["list_name", "name", "label::English (en)"], ["names", "ada", "Ada"]],
    )

    with pytest.raises(DefinitionError) as caught:
        read_questionnaire(path)

    (problem,) = caught.value.problems
    assert problem.code is ProblemCode.CANNOT_SCORE
    assert "points" in (problem.hint or "")


# -- responses -------------------------------------------------------------------------------


@pytest.fixture
def grouped(tmp_path: Path) -> Questionnaire:
    path = form(
        tmp_path,
        ["begin_group", "g", "G"],
        ["select_one level", "lvl", "Level?"],
        ["select_multiple level", "many", "Which?"],
        ["integer", "n", "N?", None, ". >= 0 and . <= 7"],
        ["end_group"],
        ["calculate", "t", None, None, None, "${lvl} + ${n} + count-selected(${many})"],
    )
    return read_questionnaire(path).questionnaire


def test_odk_central_and_kobo_exports_give_the_same_answers(
    tmp_path: Path, grouped: Questionnaire
) -> None:
    odk = tmp_path / "odk.csv"
    odk.write_text(
        "SubmissionDate,g-lvl,g-many,g-n,meta-instanceID,KEY\n"
        "2024-01-01,b,a c,3,uuid:1,uuid:1\n"
        "2024-01-02,,,,uuid:2,uuid:2\n"
    )
    kobo = tmp_path / "kobo.csv"
    kobo.write_text(
        "start;g/lvl;g/many;g/many/a;g/many/b;g/many/c;g/n;_uuid\nx;b;a c;1;0;1;3;1\nx;;;0;0;0;;2\n"
    )

    from_odk = read_responses(odk, grouped)
    from_kobo = read_responses(kobo, grouped)

    assert [r.respondent for r in from_odk] == ["uuid:1", "uuid:2"]
    assert from_odk[0].answers == {"lvl": "b", "many": ("a", "c"), "n": 3}
    assert from_odk[1].answers == {}
    assert [r.answers for r in from_kobo] == [from_odk[0].answers, {"many": ()}]


def test_bad_answers_are_located_all_at_once(tmp_path: Path, grouped: Questionnaire) -> None:
    path = tmp_path / "odk.csv"
    path.write_text("KEY,g-lvl,g-many,g-n\nk1,z,a,3\nk2,a,a q,many\nk1,a,,1\n")

    with pytest.raises(ResponseError) as caught:
        read_responses(path, grouped)

    shown = [(p.code, p.line, p.column, p.location) for p in caught.value.problems]
    assert shown == [
        (ProblemCode.BAD_ANSWER, 2, 2, ("g-lvl",)),
        (ProblemCode.BAD_ANSWER, 3, 3, ("g-many",)),
        (ProblemCode.BAD_ANSWER, 3, 4, ("g-n",)),
        (ProblemCode.DUPLICATE_RESPONDENT, 4, None, ()),
    ]


# -- writing ---------------------------------------------------------------------------------


def _one(question: Any, **dim: Any) -> Questionnaire:
    return Questionnaire(id="demo", dimensions=(Dimension(id="d", questions=(question,), **dim),))


def test_texts_that_look_like_formulas_stay_texts_and_pyxform_converts(tmp_path: Path) -> None:
    from pyxform.xls2xform import convert

    q = _one(
        Choice(
            id="q",
            text={"en": '=HYPERLINK("x")'},
            options=(Option(value="a", label={"en": "=1+1"}, points=1), Option(value="b")),
        )
    )
    target = tmp_path / "out.xlsx"

    write_questionnaire(q, target)

    book = openpyxl.load_workbook(target)
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value]
    assert all(c.data_type == "s" for c in cells if str(c.value).startswith("="))
    assert book["survey"]["C3"].value == '=HYPERLINK("x")'
    assert convert(xlsform=str(target)).xform.startswith("<?xml")
    assert read_questionnaire(target).questionnaire == q


def test_ids_that_cannot_be_xlsform_names_are_refused(tmp_path: Path) -> None:
    q = _one(Choice(id="two words", options=(Option(value="a b", points=1), Option(value="c"))))
    target = tmp_path / "out.xlsx"

    with pytest.raises(DefinitionError) as caught:
        write_questionnaire(q, target)

    assert [p.location for p in caught.value.problems] == [
        ("dimensions", 0, "questions", 0, "id"),
        ("dimensions", 0, "questions", 0, "options", 0, "value"),
    ]
    assert not target.exists()


def test_without_the_weltoffen_sheet_the_columns_say_the_totals(tmp_path: Path) -> None:
    from weltoffen.model.dimensions import Band, Policies
    from weltoffen.model.questions import Linear, Numeric
    from weltoffen.strategies import Zero

    q = _one(
        Numeric(
            id="n",
            text={"en": "How many?"},
            minimum=0,
            maximum=4,
            integer=True,
            weight=2.5,
            linear=Linear(low=0, high=4, points=4),
        ),
        aggregation=SumOfPoints(),
        scoring=Policies(dont_know=Zero(), skipped=Zero()),
        bands=(Band(id="low", min=0, max=4.5), Band(id="high", min=4.5, max=10)),
        bands_on="points",
    )
    target = tmp_path / "out.xlsx"
    write_questionnaire(q, target)
    book = openpyxl.load_workbook(target)
    del book["weltoffen"]
    book.save(target)

    imported = read_questionnaire(target)

    dim = imported.questionnaire.dimensions[0]
    assert (dim.questions, dim.aggregation, dim.scoring) == (
        q.dimensions[0].questions,
        SumOfPoints(),
        q.dimensions[0].scoring,
    )
    # the band edges move half-way between attainable totals; every total keeps its band
    from weltoffen.model.answers import Response

    before, after = compile(q), compile(imported.questionnaire)
    for n in range(5):
        response = Response(respondent="r", answers={"n": n})
        old, new = score(before, response).dimension("d"), score(after, response).dimension("d")
        assert (new.points, new.band) == (old.points, old.band)


def test_a_form_edited_since_writing_is_read_from_its_columns(tmp_path: Path) -> None:
    q = _one(
        Choice(
            id="q",
            text={"en": "Q?"},
            options=(Option(value="a", points=1), Option(value="b", points=3)),
            weight=2,
        )
    )
    target = tmp_path / "out.xlsx"
    write_questionnaire(q, target)
    book = openpyxl.load_workbook(target)
    book["choices"].append(["q", "c", "New", 5])
    book.save(target)

    imported = read_questionnaire(target)

    (finding,) = [f for f in imported.report.findings if f.construct == "weltoffen sheet"]
    assert finding.fidelity is Fidelity.DROPPED
    assert [o.value for o in questions(imported.questionnaire)["q"].options] == ["a", "b", "c"]


def test_a_broken_weltoffen_sheet_is_reported_and_the_columns_read(tmp_path: Path) -> None:
    q = _one(Choice(id="q", options=(Option(value="a", points=1), Option(value="b"))))
    target = tmp_path / "out.xlsx"
    write_questionnaire(q, target)
    book = openpyxl.load_workbook(target)
    book["weltoffen"]["A2"] = '{"id": "x", "dimensions": "none"}'
    book.save(target)

    imported = read_questionnaire(target)

    (finding,) = [f for f in imported.report.findings if f.construct == "weltoffen sheet"]
    assert (finding.fidelity, finding.location) == (Fidelity.DROPPED, ("weltoffen",))
    assert "not a weltoffen questionnaire" in finding.message
    assert [o.value for o in questions(imported.questionnaire)["q"].options] == ["a", "b"]


def test_written_responses_read_back_and_a_state_without_a_code_is_refused(
    tmp_path: Path, grouped: Questionnaire
) -> None:
    from weltoffen.interop.xlsform import write_responses
    from weltoffen.model.answers import DONT_KNOW, Response

    given = [
        Response(respondent="k1", answers={"lvl": "b", "many": ("a", "c"), "n": 3}),
        Response(respondent="k2", answers={"n": 0}),
    ]
    target = tmp_path / "export.csv"

    write_responses(given, grouped, target)

    assert target.read_text().splitlines()[:2] == ["KEY,g-lvl,g-many,g-n", "k1,b,a c,3"]
    assert read_responses(target, grouped) == given
    with pytest.raises(ResponseError) as caught:
        write_responses([Response(respondent="k3", answers={"n": DONT_KNOW})], grouped, target)
    assert [p.location for p in caught.value.problems] == [(0, "answers", "n")]
