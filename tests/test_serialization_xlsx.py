"""XLSX answer sheets: written with explanations, loaded back, mistakes named by cell."""

from __future__ import annotations

import pytest

from weltoffen import DONT_KNOW, NOT_APPLICABLE, Response, compile, score
from weltoffen.exceptions import ResponseError
from weltoffen.instruments import load_instrument
from weltoffen.serialization.templates import sheet_columns

openpyxl = pytest.importorskip("openpyxl")

from weltoffen.serialization.xlsx import (  # noqa: E402 - only with openpyxl
    _letter,
    load_responses_xlsx,
    write_xlsx_template,
)


@pytest.fixture(scope="module")
def kommune():
    return load_instrument("weltoffene-kommune")


@pytest.fixture(scope="module")
def template(kommune, tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "sheet.xlsx"
    write_xlsx_template(kommune, path)
    return path


def _fill(template, target, cells: dict[str, object]) -> None:
    book = openpyxl.load_workbook(template)
    sheet = book.worksheets[0]
    for ref, value in cells.items():
        sheet[ref] = value
    book.save(target)


def _cell(kommune, column: str, row: int) -> str:
    return f"{_letter(sheet_columns(kommune).index(column))}{row}"


class TestLetter:
    @pytest.mark.parametrize(
        ("position", "letters"),
        [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"), (701, "ZZ"), (702, "AAA")],
    )
    def test_columns(self, position, letters):
        assert letters == _letter(position)


class TestTemplate:
    def test_first_sheet_has_the_columns_with_questions_as_comments(self, kommune, template):
        book = openpyxl.load_workbook(template)
        sheet = book.worksheets[0]
        header = [c.value for c in sheet[1]]
        assert header == sheet_columns(kommune)
        ms05 = sheet.cell(row=1, column=header.index("ms-05") + 1)
        assert "Wie ist die Zuständigkeit" in ms05.comment.text
        assert "stabsstelle = " in ms05.comment.text
        assert sheet.max_row == 1  # no respondent rows yet

    def test_choice_columns_have_drop_down_lists(self, kommune, template):
        sheet = openpyxl.load_workbook(template).worksheets[0]
        lists = {str(dv.sqref): dv.formula1 for dv in sheet.data_validations.dataValidation}
        col = _letter(sheet_columns(kommune).index("ms-01"))
        assert lists[f"{col}2:{col}501"] == '"ja,nein,dont_know"'
        col = _letter(sheet_columns(kommune).index("meta.type"))
        assert lists[f"{col}2:{col}501"] == '"kreisfreie-stadt,kreisangehoerige-gemeinde,landkreis"'
        col = _letter(sheet_columns(kommune).index("ms-08"))  # multiple choice: no list
        assert not any(ref.startswith(f"{col}2:") for ref in lists)

    def test_second_sheet_explains_every_question(self, kommune, template):
        book = openpyxl.load_workbook(template)
        assert [s.title for s in book.worksheets] == ["Antworten", "Erläuterung"]
        rows = {r[0]: r for r in book.worksheets[1].iter_rows(values_only=True) if r and r[0]}
        for _, q in kommune.iter_questions():
            assert q.id in rows
        assert "nicht-vorhanden = Nicht vorhanden" in rows["ms-02"][5]
        assert "ms-01 = true (ja)" in rows["ms-02"][4]
        assert "kreisfreie-stadt = Kreisfreie Stadt" in rows["meta.type"][5]

    def test_english_sheet_names(self, kommune, tmp_path):
        write_xlsx_template(kommune, tmp_path / "en.xlsx", language="en")
        book = openpyxl.load_workbook(tmp_path / "en.xlsx")
        assert [s.title for s in book.worksheets] == ["Answers", "Codes"]

    def test_prefilled_sheet_round_trips(self, kommune, tmp_path):
        response = Response(
            respondent="testort",
            answers={
                "ms-01": True,
                "ms-02": "begonnen",
                "ms-04": 1.5,
                "ms-03": True,
                "ms-07": DONT_KNOW,
                "ms-08": ("bevoelkerung", "wohnen"),
                "fz-bi-02": NOT_APPLICABLE,
                "ms-14": "Beschluss vom 1. März",
            },
            metadata={"name": "Testort", "population": 4200},
        )
        write_xlsx_template(kommune, tmp_path / "filled.xlsx", responses=[response])
        (back,) = load_responses_xlsx(tmp_path / "filled.xlsx", kommune)
        plan = compile(kommune)
        assert score(plan, back) == score(plan, response)
        assert back.metadata == response.metadata


class TestLoad:
    def test_untouched_template_holds_no_responses(self, kommune, template):
        assert load_responses_xlsx(template, kommune) == []

    def test_filled_rows_load_and_score(self, kommune, template, tmp_path):
        target = tmp_path / "filled.xlsx"
        _fill(
            template,
            target,
            {
                "A2": "ort-a",
                _cell(kommune, "meta.type", 2): "landkreis",
                _cell(kommune, "ms-01", 2): "ja",
                _cell(kommune, "ms-04", 2): 2,  # a number cell
                _cell(kommune, "ms-03", 2): "ja",
                _cell(kommune, "ms-08", 2): "bevoelkerung; wohnen",
                _cell(kommune, "fz-bi-02", 2): "not_applicable",
                "A3": "ort-b",
                _cell(kommune, "ms-01", 3): "dont_know",
            },
        )
        a, b = load_responses_xlsx(target, kommune)
        assert a.respondent == "ort-a"
        assert a.metadata == {"type": "landkreis"}
        assert a.answers == {
            "ms-01": "ja",
            "ms-03": "ja",
            "ms-04": 2,
            "ms-08": ("bevoelkerung", "wohnen"),
            "fz-bi-02": NOT_APPLICABLE,
        }
        assert b.answers == {"ms-01": DONT_KNOW}
        assert score(compile(kommune), a).dimension("management-steuerung").counts["answered"] == 4

    def test_custom_codes(self, kommune, template, tmp_path):
        target = tmp_path / "codes.xlsx"
        _fill(template, target, {"A2": "x", _cell(kommune, "ms-01", 2): "wn"})
        (response,) = load_responses_xlsx(target, kommune, dont_know="wn")
        assert response.answers == {"ms-01": DONT_KNOW}

    def test_mistakes_name_their_cells(self, kommune, template, tmp_path):
        """A number that is not one, and an option the question lacks, each point at the cell."""
        target = tmp_path / "bad.xlsx"
        _fill(
            template,
            target,
            {
                "A2": "ort-a",
                "A7": "ort-b",
                _cell(kommune, "ms-04", 2): "viele",
                _cell(kommune, "ms-05", 7): "vielleicht",
            },
        )
        with pytest.raises(ResponseError) as info:
            load_responses_xlsx(target, kommune)
        (problem,) = info.value.problems
        assert problem.path == f"{_cell(kommune, 'ms-04', 2)} (ms-04)"
        assert problem.line == 2
        assert problem.file == str(target)
        # once the number is fixed, the option mistake shows, again with its cell
        _fill(target, target, {_cell(kommune, "ms-04", 2): 1})
        with pytest.raises(ResponseError) as info:
            load_responses_xlsx(target, kommune)
        (problem,) = info.value.problems
        cell = _cell(kommune, "ms-05", 7)
        assert problem.path == f"{cell} (ms-05)"
        assert problem.line == 7
        assert cell in str(problem)

    def test_unknown_column_names_the_header_cell(self, kommune, tmp_path):
        book = openpyxl.Workbook()
        book.active.append(["respondent", "ms-01", "ms-99"])
        book.active.append(["a", "ja", "x"])
        book.save(tmp_path / "cols.xlsx")
        with pytest.raises(ResponseError) as info:
            load_responses_xlsx(tmp_path / "cols.xlsx", kommune)
        assert [p.path for p in info.value.problems] == ["C1 (ms-99)"]

    def test_not_a_workbook(self, kommune, tmp_path):
        path = tmp_path / "fake.xlsx"
        path.write_text("respondent,ms-01\n", encoding="utf-8")
        with pytest.raises(ResponseError, match="not an Excel workbook"):
            load_responses_xlsx(path, kommune)

    def test_missing_file(self, kommune, tmp_path):
        with pytest.raises(ResponseError, match="no such file"):
            load_responses_xlsx(tmp_path / "missing.xlsx", kommune)

    def test_empty_workbook(self, kommune, tmp_path):
        openpyxl.Workbook().save(tmp_path / "empty.xlsx")
        with pytest.raises(ResponseError, match="empty"):
            load_responses_xlsx(tmp_path / "empty.xlsx", kommune)
