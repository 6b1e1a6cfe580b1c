"""Loading responses from any file by suffix, and placing scoring problems in the file."""

from __future__ import annotations

import codecs
import importlib
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from weltoffen import (
    DONT_KNOW,
    Response,
    ResponseError,
    compile,
    load_questionnaire,
    score,
)
from weltoffen.exceptions import Problem
from weltoffen.serialization.responses import ResponseFile, load_response_file, load_responses_any

EXAMPLE = Path(__file__).parent.parent / "examples" / "basic"
QUESTIONNAIRE = load_questionnaire(EXAMPLE / "questionnaire.yaml")
PLAN = compile(QUESTIONNAIRE)


def scoring_problems(loaded: ResponseFile, index: int) -> list[Problem]:
    """The problems scoring response *index* raises, placed in its file."""
    with pytest.raises(ResponseError) as caught:
        score(PLAN, loaded.responses[index])
    return loaded.locate(index, caught.value.problems)


class TestDispatch:
    def test_csv_by_suffix_with_codes(self, tmp_path: Path) -> None:
        path = tmp_path / "a.CSV"
        path.write_text("respondent,holidays\nada,dk\n", encoding="utf-8")

        (response,) = load_responses_any(path, QUESTIONNAIRE, dont_know="dk")

        assert response.answers == {"holidays": DONT_KNOW}

    def test_tab_separated(self, tmp_path: Path) -> None:
        path = tmp_path / "a.tsv"
        path.write_text("respondent\tholidays\nada\tyes\n", encoding="utf-8")

        assert load_responses_any(path, QUESTIONNAIRE) == [
            Response(respondent="ada", answers={"holidays": "yes"})
        ]

    def test_txt_is_a_table_as_excel_saves_unicode_text(self, tmp_path: Path) -> None:
        path = tmp_path / "a.txt"
        path.write_bytes(
            codecs.BOM_UTF16_LE + "respondent\tholidays\r\nzoë\tja\r\n".encode("utf-16-le")
        )

        assert load_responses_any(path, QUESTIONNAIRE) == [
            Response(respondent="zoë", answers={"holidays": "ja"})
        ]

    @pytest.mark.parametrize("name", ["r.yaml", "r.json", "r.csv"])
    def test_every_text_format_takes_the_encoding(self, tmp_path: Path, name: str) -> None:
        text = (
            "respondent,wish\nzoë,Grüße\n"
            if name.endswith(".csv")
            else '[{"respondent": "zoë", "answers": {"wish": "Grüße"}}]'
        )
        path = tmp_path / name
        path.write_bytes(text.encode("cp1252"))

        with pytest.raises(ResponseError, match="give --encoding cp1252"):
            load_responses_any(path, QUESTIONNAIRE)
        assert load_responses_any(path, QUESTIONNAIRE, encoding="cp1252") == [
            Response(respondent="zoë", answers={"wish": "Grüße"})
        ]

    @pytest.mark.parametrize("name", ["r.yaml", "r.yml", "r.json"])
    def test_yaml_and_json(self, tmp_path: Path, name: str) -> None:
        path = tmp_path / name
        path.write_text('[{"respondent": "ada", "answers": {"holidays": true}}]', encoding="utf-8")

        assert load_responses_any(path, QUESTIONNAIRE) == [
            Response(respondent="ada", answers={"holidays": True})
        ]

    def test_xlsx_goes_to_the_xlsx_reader(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """.xlsx files are passed, with the codes, to weltoffen.serialization.xlsx."""
        calls: list[tuple[Any, ...]] = []
        fake = types.ModuleType("weltoffen.serialization.xlsx")

        def located_responses_xlsx(
            path: str, questionnaire: Any, **codes: str
        ) -> list[tuple[Response, int]]:
            calls.append((path, questionnaire, codes))
            return [(Response(respondent="ada"), 7)]

        fake.located_responses_xlsx = located_responses_xlsx  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "weltoffen.serialization.xlsx", fake)
        path = str(tmp_path / "book.xlsx")

        loaded = load_response_file(path, QUESTIONNAIRE, not_applicable="na")

        assert (loaded.responses, loaded.lines) == ((Response(respondent="ada"),), (7,))
        assert calls == [(path, QUESTIONNAIRE, {"dont_know": "dont_know", "not_applicable": "na"})]

    def test_real_workbook(self, tmp_path: Path) -> None:
        """With openpyxl installed, a workbook reads like the CSV file of the same table."""
        openpyxl = pytest.importorskip("openpyxl")
        book = openpyxl.Workbook()
        book.active.append(["respondent", "overtime", "holidays"])
        book.active.append(["ada", 4, "dk"])
        book.save(tmp_path / "book.xlsx")

        (response,) = load_responses_any(tmp_path / "book.xlsx", QUESTIONNAIRE, dont_know="dk")

        assert response == Response(
            respondent="ada", answers={"overtime": 4, "holidays": DONT_KNOW}
        )

    def test_xlsx_without_its_reader_says_so(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def missing(name: str) -> Any:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)

        monkeypatch.setattr(importlib, "import_module", missing)

        with pytest.raises(ResponseError) as caught:
            load_responses_any(tmp_path / "book.xlsx", QUESTIONNAIRE)

        assert str(caught.value).endswith(
            "book.xlsx: this installation of weltoffen cannot read .xlsx files "
            "(expected a .csv, .yaml or .json file)"
        )

    def test_xlsx_without_openpyxl_names_the_package(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def missing(name: str) -> Any:
            raise ModuleNotFoundError("No module named 'openpyxl'", name="openpyxl")

        monkeypatch.setattr(importlib, "import_module", missing)

        with pytest.raises(ResponseError) as caught:
            load_responses_any(tmp_path / "book.xlsx", QUESTIONNAIRE)

        assert "needs the package 'openpyxl'" in str(caught.value)


class TestLocate:
    def test_table_problems_name_line_and_column(self, tmp_path: Path) -> None:
        path = tmp_path / "r.csv"
        path.write_text("respondent,overtime\nada,1\nben,99\n", encoding="utf-8")
        loaded = load_response_file(path, QUESTIONNAIRE)

        (problem,) = scoring_problems(loaded, 1)

        assert (problem.file, problem.line, problem.path) == (str(path), 3, "overtime")

    def test_yaml_list(self, tmp_path: Path) -> None:
        path = tmp_path / "r.yaml"
        path.write_text(
            "- respondent: ada\n  answers: {holidays: yes}\n"
            "- respondent: ben\n  answers:\n    holidays: yes\n    overtime: 99\n",
            encoding="utf-8",
        )
        loaded = load_response_file(path, QUESTIONNAIRE)

        (problem,) = scoring_problems(loaded, 1)

        assert (problem.file, problem.line, problem.path) == (str(path), 6, "[1].answers.overtime")

    def test_yaml_responses_key(self, tmp_path: Path) -> None:
        path = tmp_path / "r.yaml"
        path.write_text(
            "responses:\n  - respondent: ada\n    answers:\n      overtim: 1\n", encoding="utf-8"
        )
        loaded = load_response_file(path, QUESTIONNAIRE)

        (problem,) = scoring_problems(loaded, 0)

        assert (problem.line, problem.path) == (4, "responses[0].answers.overtim")
        assert "did you mean 'overtime'?" in str(problem)

    def test_single_yaml_response(self, tmp_path: Path) -> None:
        path = tmp_path / "r.yaml"
        path.write_text("respondent: ada\nanswers:\n  holidays: maybe\n", encoding="utf-8")
        loaded = load_response_file(path, QUESTIONNAIRE)

        (problem,) = scoring_problems(loaded, 0)

        assert (problem.line, problem.path) == (3, "answers.holidays")

    def test_yaml_in_a_named_encoding(self, tmp_path: Path) -> None:
        """Placing a problem reads the file again, in the encoding it was loaded with."""
        path = tmp_path / "r.yaml"
        path.write_bytes("respondent: zoë\nanswers:\n  holidays: vielleicht\n".encode("cp1252"))
        loaded = load_response_file(path, QUESTIONNAIRE, encoding="cp1252")

        (problem,) = scoring_problems(loaded, 0)

        assert (problem.line, problem.path) == (3, "answers.holidays")

    def test_json_has_paths_without_lines(self, tmp_path: Path) -> None:
        path = tmp_path / "r.json"
        path.write_text('[{"respondent": "ada", "answers": {"holidays": 7}}]', encoding="utf-8")
        loaded = load_response_file(path, QUESTIONNAIRE)

        (problem,) = scoring_problems(loaded, 0)

        assert (problem.file, problem.line, problem.path) == (
            str(path),
            None,
            "[0].answers.holidays",
        )
