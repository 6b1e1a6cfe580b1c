"""``weltoffen template``: answer sheets from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from weltoffen.cli import main
from weltoffen.instruments import load_instrument
from weltoffen.serialization.api import load_responses
from weltoffen.serialization.templates import sheet_columns

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "weltoffene-kommune"


class TestTemplate:
    def test_yaml_to_stdout_loads_back(self, capsys):
        assert main(["template", "--instrument", "weltoffene-kommune", "--version", "1.0"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("# =")
        assert "Antwortbogen" in out
        (response,) = load_responses(text=out.replace("respondent: ''", "respondent: town"))
        assert len(response.answers) == 107

    def test_english_with_respondent(self, capsys):
        argv = [
            "template",
            "--instrument",
            "weltoffene-kommune",
            "--version",
            "1.0",
            "--lang",
            "en",
        ]
        assert main([*argv, "--respondent", "my-town"]) == 0
        out = capsys.readouterr().out
        assert "Answer sheet" in out
        assert load_responses(text=out)[0].respondent == "my-town"

    def test_questionnaire_file(self, tmp_path, capsys):
        source = tmp_path / "q.yaml"
        from weltoffen.serialization.api import dump_questionnaire

        dump_questionnaire(load_instrument("weltoffene-kommune", "1.0"), source)
        argv = ["template", str(source), "--respondent", "town", "-o", str(tmp_path / "sheet.yaml")]
        assert main(argv) == 0
        assert len(load_responses(tmp_path / "sheet.yaml")[0].answers) == 107

    def test_format_from_suffix(self, tmp_path):
        assert (
            main(
                [
                    "template",
                    "--instrument",
                    "weltoffene-kommune",
                    "--version",
                    "1.0",
                    "-o",
                    str(tmp_path / "s.csv"),
                ]
            )
            == 0
        )
        header = (tmp_path / "s.csv").read_text(encoding="utf-8").strip().split(",")
        assert header == sheet_columns(load_instrument("weltoffene-kommune", "1.0"))

    def test_xlsx(self, tmp_path):
        pytest.importorskip("openpyxl")
        from weltoffen.serialization.xlsx import load_responses_xlsx

        target = tmp_path / "s.xlsx"
        argv = [
            "template",
            "--instrument",
            "weltoffene-kommune",
            "--version",
            "1.0",
            "-o",
            str(target),
        ]
        assert main([*argv, "--fill", str(EXAMPLE / "musterstadt.yaml")]) == 0
        (response,) = load_responses_xlsx(target, load_instrument("weltoffene-kommune", "1.0"))
        assert response.respondent == "musterstadt"

    def test_fill_yaml_reproduces_an_example(self, capsys):
        path = EXAMPLE / "beispielhausen.yaml"
        assert (
            main(
                [
                    "template",
                    "--instrument",
                    "weltoffene-kommune",
                    "--version",
                    "1.0",
                    "--fill",
                    str(path),
                ]
            )
            == 0
        )
        assert capsys.readouterr().out == path.read_text(encoding="utf-8")

    @pytest.mark.parametrize(
        ("extra", "message"),
        [
            (["--format", "xlsx"], "needs an output file"),
            (["--fill", str(EXAMPLE / "cohort.yaml")], "holds one response"),
            (
                [
                    "-o",
                    str(EXAMPLE / "musterstadt.yaml"),
                    "--fill",
                    str(EXAMPLE / "musterstadt.yaml"),
                ],
                "one of the inputs",
            ),
        ],
    )
    def test_refusals(self, extra, message, capsys):
        assert (
            main(["template", "--instrument", "weltoffene-kommune", "--version", "1.0", *extra])
            == 1
        )
        assert message in capsys.readouterr().err

    def test_no_questionnaire(self, capsys):
        assert main(["template"]) == 1
        assert "no questionnaire" in capsys.readouterr().err
