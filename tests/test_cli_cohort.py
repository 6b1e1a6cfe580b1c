"""``weltoffen cohort``: comparing the example cohort from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import check_result
from weltoffen.cli import main

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "weltoffene-kommune"
COHORT = str(EXAMPLE / "cohort.yaml")
BASE = ["cohort", "--instrument", "weltoffene-kommune", "--version", "1.0"]


class TestCohort:
    def test_table(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main([*BASE, COHORT, "--group-by", "type"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("Kohorte: weltoffene-kommune, 40 Mitglieder")
        assert "Management und Steuerung" in out
        assert "Vergleichsgruppe type=landkreis (n = 10)" in out
        assert "weiß nicht" in out

    def test_json_with_suppressed_groups(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main([*BASE, COHORT, "--group-by", "type+size", "--format", "json"]) == 0
        view = json.loads(capsys.readouterr().out)
        check_result(view, "cohort")
        assert view["n"] == 40
        assert view["dimensions"][0]["id"] == "weltoffene-kommune"
        assert len(view["dimensions"]) == 1 + 7 + 9
        suppressed = [g for g in view["groups"] if g.get("suppressed")]
        assert suppressed
        assert all(set(g) == {"keys", "values", "label", "suppressed", "note"} for g in suppressed)
        assert len(view["heatmap"]["respondents"]) == 40
        assert len(view["heatmap"]["items"]) == 103

    def test_questionnaire_file_and_several_response_files(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        from weltoffen.instruments import path_of

        files = [
            str(EXAMPLE / f)
            for f in ("musterstadt.yaml", "beispielhausen.yaml", "landkreis-modellheide.yaml")
        ]
        out = tmp_path / "c.json"
        assert (
            main(
                [
                    "cohort",
                    str(path_of("weltoffene-kommune", "1.0")),
                    *files,
                    "--min-group",
                    "3",
                    "-o",
                    str(out),
                ]
            )
            == 0
        )
        view = json.loads(out.read_text(encoding="utf-8"))
        check_result(view, "cohort")
        assert view["respondents"] == ["musterstadt", "beispielhausen", "landkreis-modellheide"]
        assert view["dimensions"][0]["n"] == 3

    def test_small_cohort_is_suppressed_by_default(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main([*BASE, str(EXAMPLE / "musterstadt.yaml")]) == 0
        assert "suppressed: n < 5" in capsys.readouterr().out

    @pytest.mark.parametrize(
        ("argv", "message"),
        [
            (["cohort", COHORT], "at least one RESPONSES"),
            ([*BASE, COHORT, "--min-group", "0"], "at least 1"),
            ([*BASE, COHORT, COHORT], "appears twice"),
            ([*BASE, COHORT, "-o", COHORT], "one of the inputs"),
        ],
    )
    def test_errors(
        self, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(argv) == 1
        assert message in capsys.readouterr().err


needs_extra = pytest.mark.skipif(
    not all(__import__("importlib").util.find_spec(m) for m in ("jinja2", "matplotlib")),
    reason="the HTML report needs the extra 'report'",
)


class TestReport:
    @needs_extra
    def test_html_chosen_by_the_suffix(self, tmp_path: Path) -> None:
        """-o kohorte.html writes the self-contained page with its heatmap; exit 0."""
        out = tmp_path / "kohorte.html"
        assert main([*BASE, COHORT, "--group-by", "type", "-o", str(out)]) == 0
        html = out.read_text(encoding="utf-8")
        assert html.startswith("<!DOCTYPE html>")
        assert "wo-chart wo-heatmap" in html
        assert "Vergleichsgruppen" in html

    def test_markdown_to_stdout_in_english(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main([*BASE, COHORT, "--format", "markdown", "--lang", "en"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("# Cohort report: Open and welcoming municipality")
        assert "## Distribution per field" in out

    def test_markdown_chosen_by_the_suffix(self, tmp_path: Path) -> None:
        out = tmp_path / "kohorte.md"
        assert main([*BASE, COHORT, "-o", str(out)]) == 0
        assert out.read_text(encoding="utf-8").startswith("# Kohortenbericht")

    def test_small_cohort_report_suppresses_and_exits_0(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main([*BASE, str(EXAMPLE / "musterstadt.yaml"), "--format", "markdown"]) == 0
        out = capsys.readouterr().out
        assert "Weniger als 5 Mitglieder haben ein Gesamtergebnis" in out
        assert "unterdrückt: weniger als 5 Mitglieder" in out

    def test_missing_extra_gives_the_install_hint(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without jinja2 the HTML report exits 1 with the pip command, before any work."""
        import sys

        monkeypatch.setitem(sys.modules, "jinja2", None)
        assert main([*BASE, COHORT, "--format", "html"]) == 1
        err = capsys.readouterr().err
        assert "pip install 'weltoffen[report]'" in err
        assert "Traceback" not in err

    def test_unknown_format_is_a_usage_error(self) -> None:
        with pytest.raises(SystemExit) as exc:
            main([*BASE, COHORT, "--format", "pdf"])
        assert exc.value.code == 2

    def test_bad_responses_exit_1_naming_the_file(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        bad = tmp_path / "bad.yaml"
        bad.write_text("respondent: x\nanswers:\n  ms-06: sometimes\n", encoding="utf-8")
        assert main([*BASE, str(bad), "--format", "markdown"]) == 1
        err = capsys.readouterr().err
        assert str(bad) in err
        assert "answers.ms-06" in err


REPORTS = EXAMPLE / "reports"


@pytest.mark.skipif(not (REPORTS / "kohorte.md").is_file(), reason="no sample cohort report")
def test_committed_cohort_report_matches_the_documented_command(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """kohorte.md is what the command in reports/README.md writes today."""
    import shlex

    readme = (REPORTS / "README.md").read_text(encoding="utf-8")
    (line,) = [
        x for x in readme.splitlines() if x.startswith("weltoffen cohort") and "kohorte.md" in x
    ]
    argv = shlex.split(line)[1:]
    assert argv[-2:] == ["-o", "kohorte.md"]
    monkeypatch.chdir(REPORTS)
    assert main([*argv[:-2], "--format", "markdown"]) == 0  # stdout in place of the .md file
    out, err = capsys.readouterr()
    assert err == ""
    assert (REPORTS / "kohorte.md").read_text(encoding="utf-8") == out
