"""``weltoffen report``: formats, respondent choice, cohort, exit codes and one line per problem."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.helpers import PLUGIN_QUESTIONNAIRE, kommune, sample_response
from weltoffen.cli import main
from weltoffen.serialization.api import dump_responses

EXAMPLE = Path(__file__).parent.parent / "examples" / "basic"
QUESTIONNAIRE = str(EXAMPLE / "questionnaire.yaml")
RESPONSES = str(EXAMPLE / "responses.yaml")

needs_extra = pytest.mark.skipif(
    not all(__import__("importlib").util.find_spec(m) for m in ("jinja2", "matplotlib")),
    reason="the HTML report needs the extra 'report'",
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["report", *argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def kommune_file(tmp_path: Path) -> str:
    """A filled answer sheet of the bundled self-check."""
    path = tmp_path / "teststadt.yaml"
    dump_responses([sample_response(kommune())], path)
    return str(path)


@pytest.fixture
def cohort_file(tmp_path: Path) -> str:
    path = tmp_path / "cohort.yaml"
    dump_responses([sample_response(kommune(), f"m{i}", shift=i) for i in range(6)], path)
    return str(path)


class TestOutput:
    @needs_extra
    def test_html_for_a_bundled_instrument(
        self, capsys: pytest.CaptureFixture[str], kommune_file: str, tmp_path: Path
    ) -> None:
        """--instrument NAME RESPONSES -o FILE writes a German HTML page and says where."""
        out_file = tmp_path / "bericht.html"
        status, out, err = run(
            capsys,
            "--instrument",
            "weltoffene-kommune",
            "--version",
            "1.0",
            kommune_file,
            "-o",
            str(out_file),
        )
        said = f"wrote {out_file}: the HTML report of 'teststadt'\n"
        assert (status, out, err) == (0, "", said)
        html = out_file.read_text(encoding="utf-8")
        assert html.startswith("<!DOCTYPE html>")
        assert '<html lang="de">' in html
        assert "wo-radar" in html

    def test_markdown_chosen_by_the_suffix(
        self, capsys: pytest.CaptureFixture[str], kommune_file: str, tmp_path: Path
    ) -> None:
        """An .md output file gives the Markdown report."""
        out_file = tmp_path / "bericht.md"
        status, _, _ = run(
            capsys,
            "--instrument",
            "weltoffene-kommune",
            "--version",
            "1.0",
            kommune_file,
            "-o",
            str(out_file),
        )
        assert status == 0
        assert out_file.read_text(encoding="utf-8").startswith("# Ergebnisbericht: ")

    def test_questionnaire_file_respondent_and_language(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """QUESTIONNAIRE RESPONSES --respondent ID --format markdown prints to stdout."""
        status, out, err = run(
            capsys,
            QUESTIONNAIRE,
            RESPONSES,
            "--respondent",
            "ben",
            "--format",
            "markdown",
            "--lang",
            "en",
        )
        assert (status, err) == (0, "")
        assert out.startswith("# Results report: ")
        assert "| Respondent ID | ben |" in out

    def test_cohort_adds_the_comparison(
        self, capsys: pytest.CaptureFixture[str], kommune_file: str, cohort_file: str
    ) -> None:
        """--cohort FILE... adds the cohort section."""
        status, out, _ = run(
            capsys,
            "--instrument",
            "weltoffene-kommune",
            "--version",
            "1.0",
            kommune_file,
            "--format",
            "markdown",
            "--cohort",
            cohort_file,
        )
        assert status == 0
        assert "## Einordnung in die Vergleichsgruppe" in out
        assert "| Gesamtergebnis |" in out

    def test_top_limits_the_what_if_rows(
        self, capsys: pytest.CaptureFixture[str], kommune_file: str
    ) -> None:
        """--top 0 leaves out the what-if advice."""
        status, out, _ = run(
            capsys,
            "--instrument",
            "weltoffene-kommune",
            "--version",
            "1.0",
            kommune_file,
            "--format",
            "markdown",
            "--top",
            "0",
        )
        assert status == 0
        assert "Was wäre, wenn" not in out


@pytest.mark.usefixtures("installed_plugin")
def test_plugin_kinds_in_the_questionnaire_load_under_plugins(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--plugins reaches the questionnaire file: its plugin weighting is known."""
    questionnaire = tmp_path / "q.yaml"
    questionnaire.write_text(PLUGIN_QUESTIONNAIRE, encoding="utf-8")
    answers = tmp_path / "a.yaml"
    answers.write_text("- {respondent: r, answers: {a: true, b: false}}\n", encoding="utf-8")

    status = main(["--plugins", "report", str(questionnaire), str(answers), "--format", "markdown"])

    out, err = capsys.readouterr()
    assert (status, err) == (0, "")
    assert "| Respondent ID | r |" in out


class TestErrors:
    def test_several_respondents_need_a_choice(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A file of several respondents without --respondent: exit 1, the ids are listed."""
        status, out, err = run(capsys, QUESTIONNAIRE, RESPONSES, "--format", "markdown")
        assert (status, out) == (1, "")
        assert "choose one with --respondent" in err
        assert "ada, ben" in err

    def test_unknown_respondent_suggests_a_close_one(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A misspelt respondent id: exit 1 with a suggestion."""
        status, _, err = run(
            capsys, QUESTIONNAIRE, RESPONSES, "--respondent", "bne", "--format", "markdown"
        )
        assert status == 1
        assert "no respondent 'bne'" in err
        assert "did you mean 'ben'?" in err

    def test_wrong_number_of_files(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Only one file without --instrument: exit 1, one line saying what was expected."""
        status, _, err = run(capsys, RESPONSES)
        assert status == 1
        assert len(err.splitlines()) == 1
        assert "expected QUESTIONNAIRE RESPONSES" in err

    def test_bad_answer_names_the_file(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """An answer off the scale: exit 1, the problem names the file and the question."""
        bad = tmp_path / "bad.yaml"
        bad.write_text("respondent: x\nanswers:\n  ms-06: sometimes\n", encoding="utf-8")
        status, _, err = run(
            capsys,
            "--instrument",
            "weltoffene-kommune",
            "--version",
            "1.0",
            str(bad),
            "--format",
            "markdown",
        )
        assert status == 1
        assert str(bad) in err
        assert "answers.ms-06" in err
        assert "Traceback" not in err

    def test_never_writes_over_an_input(
        self, capsys: pytest.CaptureFixture[str], kommune_file: str
    ) -> None:
        """-o naming the responses file is refused and the file is left as it was."""
        before = Path(kommune_file).read_text(encoding="utf-8")
        status, _, err = run(
            capsys,
            "--instrument",
            "weltoffene-kommune",
            "--version",
            "1.0",
            kommune_file,
            "--format",
            "markdown",
            "-o",
            kommune_file,
        )
        assert status == 1
        assert "will not write" in err
        assert before == Path(kommune_file).read_text(encoding="utf-8")

    def test_missing_extra_gives_the_install_hint(
        self, capsys: pytest.CaptureFixture[str], kommune_file: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without jinja2 an HTML report exits 1 with the pip command."""
        monkeypatch.setitem(sys.modules, "jinja2", None)
        status, _, err = run(
            capsys, "--instrument", "weltoffene-kommune", "--version", "1.0", kommune_file
        )
        assert status == 1
        assert "pip install 'weltoffen[report]'" in err

    def test_usage_errors_exit_2(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An unknown format is a usage error."""
        with pytest.raises(SystemExit) as exc:
            main(["report", QUESTIONNAIRE, RESPONSES, "--format", "pdf"])
        assert exc.value.code == 2


KOMMUNE = Path(__file__).parent.parent / "examples" / "weltoffene-kommune"


@pytest.mark.skipif(not (KOMMUNE / "reports").is_dir(), reason="no sample reports")
@pytest.mark.parametrize(
    ("sample", "extra"),
    [
        ("musterstadt.md", []),
        ("musterstadt-kohorte.md", ["--cohort", str(KOMMUNE / "cohort.yaml")]),
    ],
)
def test_committed_samples_match_the_documented_commands(
    capsys: pytest.CaptureFixture[str], sample: str, extra: list[str]
) -> None:
    """The sample reports under examples/ are what the commands in their README write today."""
    status, out, err = run(
        capsys,
        "--instrument",
        "weltoffene-kommune",
        "--version",
        "1.0",
        str(KOMMUNE / "musterstadt.yaml"),
        "--format",
        "markdown",
        *extra,
    )
    assert (status, err) == (0, "")
    assert (KOMMUNE / "reports" / sample).read_text(encoding="utf-8") == out
