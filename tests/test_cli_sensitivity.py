"""``weltoffen sensitivity``: file handling shared with the other commands, formats and output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import RELIABILITY_FIXTURES as FIXTURES
from tests.helpers import check_result
from weltoffen.cli import main

QUESTIONNAIRE = str(FIXTURES / "questionnaire.yaml")
FEW = "- {respondent: a, answers: {e1: '1', e2: '4'}}\n- {respondent: b, answers: {e1: '3'}}\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["sensitivity", *argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def responses(tmp_path: Path) -> str:
    path = tmp_path / "few.yaml"
    path.write_text(FEW, encoding="utf-8")
    return str(path)


class TestFiles:
    def test_bundled_instrument_takes_only_response_files(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        answers = tmp_path / "kommune.csv"
        answers.write_text("respondent,ms-01,ms-03\nA,ja,nein\nB,nein,ja\n", encoding="utf-8")

        status, out, err = run(
            capsys,
            "--instrument",
            "weltoffene-kommune",
            "--version",
            "1.0",
            str(answers),
            "--draws",
            "4",
        )

        assert (status, err) == (0, "")
        assert out.startswith("weltoffene-kommune 1.0: sensitivity over 4 draws")

    def test_a_respondent_twice_is_refused(
        self, responses: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        status, _, err = run(capsys, QUESTIONNAIRE, responses, responses, "--draws", "4")

        assert status == 1
        assert "respondent 'a' appears twice" in err

    def test_help_shows_single_percent_signs(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The description is not %-formatted, so it must not escape its percent signs."""
        with pytest.raises(SystemExit):
            main(["sensitivity", "--help"])

        out = capsys.readouterr().out
        assert "%%" not in out
        assert "±20 %" in out


class TestOutput:
    def test_json_chosen_by_the_output_suffix(
        self, responses: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        target = tmp_path / "sensitivity.json"

        status, out, _ = run(
            capsys, QUESTIONNAIRE, responses, "--draws", "8", "--no-indices", "-o", str(target)
        )

        data = json.loads(target.read_text(encoding="utf-8"))
        assert (status, out) == (0, "")
        assert (data["draws"], data["evaluations"]) == (8, 8)
        check_result(data, "sensitivity")

    def test_never_over_the_choices_file(
        self, responses: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        choices = tmp_path / "choices.yaml"
        choices.write_text("policies: [exclude, zero]\n", encoding="utf-8")

        status, _, err = run(
            capsys, QUESTIONNAIRE, responses, "--choices", str(choices), "-o", str(choices)
        )

        assert status == 1
        assert "it is one of the inputs" in err
        assert choices.read_text(encoding="utf-8") == "policies: [exclude, zero]\n"
