"""``weltoffen reliability``: file handling shared with the other commands, formats and output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import RELIABILITY_FIXTURES as FIXTURES
from tests.helpers import check_result
from weltoffen.cli import main

QUESTIONNAIRE = str(FIXTURES / "questionnaire.yaml")
RESPONSES = str(FIXTURES / "responses.csv")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["reliability", *argv])
    out, err = capsys.readouterr()
    return status, out, err


class TestFiles:
    def test_a_questionnaire_alone_is_not_enough(self, capsys: pytest.CaptureFixture[str]) -> None:
        status, _, err = run(capsys, QUESTIONNAIRE)

        assert (status, err) == (1, "error: give a QUESTIONNAIRE and at least one RESPONSES file\n")

    def test_a_respondent_in_a_second_file_is_placed_there(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The repeat is reported at its own file and line, naming where it was first seen."""
        again = tmp_path / "again.yaml"
        again.write_text("- respondent: new\n  answers: {}\n- respondent: r001\n", encoding="utf-8")

        status, _, err = run(capsys, QUESTIONNAIRE, RESPONSES, str(again))

        assert status == 1
        assert err == (
            f"error: {again}:3: [1].respondent: respondent 'r001' appears twice "
            f"(got also in {RESPONSES})\n"
        )

    def test_files_without_responses(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        empty = tmp_path / "empty.csv"
        empty.write_text("respondent,e1\n", encoding="utf-8")

        status, _, err = run(capsys, QUESTIONNAIRE, str(empty))

        assert status == 1
        assert err == f"error: {empty}: the file holds no responses (expected one or more)\n"

    def test_codes_for_table_cells(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--dont-know-code names the cell text that means "don't know", as for 'score'."""
        answers = tmp_path / "answers.csv"
        answers.write_text("respondent,e1,e2\na,?,1\nb,2,?\nc,3,3\n", encoding="utf-8")

        status, out, _ = run(
            capsys, QUESTIONNAIRE, str(answers), "--dont-know-code", "?", "--format", "json"
        )

        assert status == 0
        assert json.loads(out)["reliability"]["respondents"] == 3
        check_result(json.loads(out), "reliability")


class TestOutput:
    def test_json_chosen_by_the_output_suffix(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        target = tmp_path / "reliability.json"

        status, out, _ = run(capsys, QUESTIONNAIRE, RESPONSES, "-o", str(target))

        data = json.loads(target.read_text(encoding="utf-8"))
        assert (status, out) == (0, "")
        assert list(data) == ["result_format", "reliability", "quality"]
        check_result(data, "reliability")
        assert data["reliability"]["respondents"] == 120

    def test_never_over_an_input(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        copy = tmp_path / "responses.csv"
        copy.write_bytes(Path(RESPONSES).read_bytes())

        status, _, err = run(capsys, QUESTIONNAIRE, str(copy), "-o", str(copy))

        assert status == 1
        assert "it is one of the inputs" in err
        assert copy.read_bytes() == Path(RESPONSES).read_bytes()

    def test_usage_names_the_files_as_the_other_commands_do(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        with pytest.raises(SystemExit):
            main(["reliability", "--help"])

        out = capsys.readouterr().out
        assert out.startswith(
            "usage: weltoffen reliability (QUESTIONNAIRE | --instrument NAME) RESPONSES..."
        )
        assert "--dont-know-code X" in out
