"""``weltoffen score``: formats, options and one readable line per problem."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import PLUGIN_QUESTIONNAIRE, check_result
from weltoffen.cli import main

EXAMPLE = Path(__file__).parent.parent / "examples" / "basic"
QUESTIONNAIRE = str(EXAMPLE / "questionnaire.yaml")
RESPONSES_YAML = str(EXAMPLE / "responses.yaml")
RESPONSES_CSV = str(EXAMPLE / "responses.csv")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["score", *argv])
    out, err = capsys.readouterr()
    return status, out, err


class TestFormats:
    def test_table_is_the_default(self, capsys: pytest.CaptureFixture[str]) -> None:
        status, out, err = run(capsys, QUESTIONNAIRE, RESPONSES_YAML)

        assert (status, err) == (0, "")
        assert out.splitlines()[:3] == [
            "team-wellbeing 1.0 · ada",
            "Dimension                    Score  Band      Coverage  Points",
            "Overall                       91.7  Thriving      100%  34/36",
        ]

    def test_json_is_a_list_of_result_views(self, capsys: pytest.CaptureFixture[str]) -> None:
        status, out, _ = run(capsys, QUESTIONNAIRE, RESPONSES_YAML, "--format", "json")

        views = json.loads(out)
        check_result(views, "score")
        assert status == 0
        assert [v["respondent"] for v in views] == ["ada", "ben", "cleo", "dev"]
        assert views[1]["score"] == 32.1875
        assert views[1]["band"]["label"] == "Under strain"
        assert [d["id"] for d in views[1]["dimensions"]] == ["workload", "support", "growth"]
        assert views[1]["dimensions"][1]["dimensions"][0]["title"] == "Leadership"
        assert "items" not in views[1]["dimensions"][0]

    def test_json_with_trace_has_items(self, capsys: pytest.CaptureFixture[str]) -> None:
        _, out, _ = run(capsys, QUESTIONNAIRE, RESPONSES_CSV, "--format", "json", "--trace")

        check_result(json.loads(out), "score")
        items = json.loads(out)[0]["dimensions"][0]["items"]
        assert [i["question"] for i in items] == [
            "manageable",
            "late-evenings",
            "overtime",
            "holidays",
        ]

    def test_csv_one_row_per_respondent_of_every_file(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        status, out, _ = run(
            capsys, QUESTIONNAIRE, RESPONSES_YAML, RESPONSES_CSV, "--format", "csv"
        )

        lines = out.splitlines()
        assert status == 0
        assert lines[0].startswith("respondent,score,coverage,band,workload.score,")
        assert [line.split(",")[0] for line in lines[1:]] == ["ada", "ben", "cleo", "dev"] * 2

    def test_trace_in_the_table(self, capsys: pytest.CaptureFixture[str]) -> None:
        _, out, _ = run(capsys, QUESTIONNAIRE, RESPONSES_YAML, "--trace")

        assert (
            "    · holidays: dont_know (dont_know: left out, weights renormalised (Exclude))"
            in (out.splitlines())
        )

    def test_language(self, capsys: pytest.CaptureFixture[str]) -> None:
        status, out, _ = run(
            capsys, QUESTIONNAIRE, RESPONSES_YAML, "--lang", "en", "--format", "json"
        )

        assert (status, json.loads(out)[0]["language"]) == (0, "en")

    def test_custom_codes(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        answers = tmp_path / "coded.csv"
        answers.write_text("respondent;holidays;feedback-style\nada;-1;-2\n", encoding="utf-8")

        status, out, _ = run(
            capsys,
            QUESTIONNAIRE,
            str(answers),
            "--dont-know-code=-1",
            "--na-code=-2",
            "--format",
            "json",
        )

        counts = json.loads(out)[0]["counts"]
        assert status == 0
        assert (counts["dont_know"], counts["not_applicable"]) == (1, 1)


class TestQuestionnaireOrInstrument:
    def test_bundled_instrument_takes_only_response_files(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """With --instrument every FILE is a responses file, even a single one."""
        answers = tmp_path / "kommune.csv"
        answers.write_text("respondent,ms-01,ms-03\nStadt A,ja,nein\n", encoding="utf-8")

        status, out, err = run(
            capsys, "--instrument", "weltoffene-kommune", "--version", "1.0", str(answers)
        )

        assert (status, err) == (0, "")
        assert out.startswith("weltoffene-kommune 1.0 · Stadt A\n")

    def test_questionnaire_needs_responses(self, capsys: pytest.CaptureFixture[str]) -> None:
        status, _, err = run(capsys, QUESTIONNAIRE)

        assert (status, err) == (1, "error: give a QUESTIONNAIRE and at least one RESPONSES file\n")

    def test_questionnaire_where_responses_belong(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A questionnaire given as responses (e.g. beside --instrument) gets one clear line."""
        status, _, err = run(
            capsys, "--instrument", "weltoffene-kommune", "--version", "1.0", QUESTIONNAIRE
        )

        assert status == 1
        assert err == (
            f"error: {QUESTIONNAIRE}: this is a questionnaire, not responses (expected "
            "QUESTIONNAIRE RESPONSES... (or --instrument NAME RESPONSES...))\n"
        )

    def test_unknown_language(self, capsys: pytest.CaptureFixture[str]) -> None:
        status, _, err = run(capsys, QUESTIONNAIRE, RESPONSES_YAML, "--lang", "fr")

        assert (status, err) == (
            1,
            "error: --lang: the questionnaire has no texts in 'fr' (expected one of en)\n",
        )


class TestProblems:
    def test_all_problems_of_all_files_one_line_each(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Problems of every file, from reading and from scoring, each naming file and place."""
        table = tmp_path / "a.csv"
        table.write_text("respondent,overtme,overtime\nada,1,x\n", encoding="utf-8")
        document = tmp_path / "b.yaml"
        document.write_text(
            "- respondent: ben\n"
            "  answers:\n"
            "    manageable: totally\n"
            "    holidayz: yes\n"
            "- respondent: cleo\n"
            "  answers:\n"
            "    overtime: 500\n",
            encoding="utf-8",
        )
        scored = tmp_path / "c.csv"
        scored.write_text("respondent,feedback-style\ndev,sometimes\n", encoding="utf-8")

        status, out, err = run(capsys, QUESTIONNAIRE, str(table), str(document), str(scored))

        assert (status, out) == (1, "")
        assert err.splitlines() == [
            f"error: {table}:1: overtme: unknown column 'overtme': not a question of "
            "'team-wellbeing' (did you mean 'overtime'?)",
            f"error: {table}:2: overtime: not a number (respondent 'ada') "
            "(expected a number such as 12 or 3.5, got 'x')",
            f"error: {document}:3: [0].answers.manageable: not an option of this question "
            "(respondent 'ben') (expected one of 'strongly-disagree', 'disagree', 'neutral', "
            "'agree', 'strongly-agree', got 'totally')",
            f"error: {document}:4: [0].answers.holidayz: unknown question 'holidayz' "
            "(respondent 'ben') (did you mean 'holidays'?)",
            f"error: {document}:7: [1].answers.overtime: number out of range "
            "(respondent 'cleo') (expected 0..80, got 500)",
            f"error: {scored}:2: feedback-style: not an option of this question "
            "(respondent 'dev') (expected one of 'hardly-ever', 'in-writing', 'in-person', "
            "got 'sometimes')",
        ]

    def test_state_the_question_does_not_offer(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        answers = tmp_path / "r.csv"
        answers.write_text("respondent,manageable\nada,dont_know\n", encoding="utf-8")

        status, _, err = run(capsys, QUESTIONNAIRE, str(answers))

        assert (status, err) == (
            1,
            f"error: {answers}:2: manageable: question 'manageable' does not offer \"don't "
            "know\" (respondent 'ada')\n",
        )

    def test_huge_integer_is_an_error_not_a_crash(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """YAML allows integers of any size; beyond the float range they are refused politely."""
        answers = tmp_path / "r.yaml"
        answers.write_text(
            f"respondent: ada\nanswers:\n  overtime: {'9' * 400}\n", encoding="utf-8"
        )

        status, _, err = run(capsys, QUESTIONNAIRE, str(answers))

        assert status == 1
        assert err.startswith(f"error: {answers}:3: answers.overtime: not a finite number")

    def test_missing_responses_file(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        missing = tmp_path / "nowhere.yaml"

        status, _, err = run(capsys, QUESTIONNAIRE, RESPONSES_YAML, str(missing))

        assert (status, err) == (
            1,
            f"error: {missing}: cannot read file: No such file or directory\n",
        )

    def test_bad_questionnaire(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        broken = tmp_path / "q.yaml"
        broken.write_text("id: x\ndimensions:\n  - id: d\n    questons: []\n", encoding="utf-8")

        status, _, err = run(capsys, str(broken), RESPONSES_YAML)

        assert status == 1
        assert err.startswith(f"error: {broken}:4: dimensions[0].questons: unknown key 'questons'")

    def test_usage_errors_exit_2(self, capsys: pytest.CaptureFixture[str]) -> None:
        with pytest.raises(SystemExit) as caught:
            main(["score", QUESTIONNAIRE, RESPONSES_YAML, "--format", "xml"])

        assert caught.value.code == 2
        assert "invalid choice: 'xml'" in capsys.readouterr().err


@pytest.mark.usefixtures("installed_plugin")
class TestPlugins:
    def test_plugin_kinds_in_the_questionnaire_load_under_plugins(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--plugins reaches the questionnaire file: its plugin weighting is known."""
        questionnaire = tmp_path / "q.yaml"
        questionnaire.write_text(PLUGIN_QUESTIONNAIRE, encoding="utf-8")
        answers = tmp_path / "a.csv"
        answers.write_text("respondent,a,b\nr,yes,no\n", encoding="utf-8")

        without = main(["score", str(questionnaire), str(answers)])
        assert "unknown weighting kind 'demo_first_counts_double'" in capsys.readouterr().err
        status = main(["--plugins", "score", str(questionnaire), str(answers), "--format", "csv"])

        out, err = capsys.readouterr()
        assert (without, status, err) == (1, 0, "")
        assert out.splitlines()[1].startswith("r,66.66666666666")


class TestOutput:
    def test_output_file_format_from_its_suffix(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        target = tmp_path / "results.json"

        status, out, _ = run(capsys, QUESTIONNAIRE, RESPONSES_YAML, "-o", str(target))

        assert (status, out) == (0, "")
        assert len(json.loads(target.read_text(encoding="utf-8"))) == 4
        check_result(json.loads(target.read_text(encoding="utf-8")), "score")

    def test_never_over_an_input(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        copy = tmp_path / "responses.csv"
        copy.write_bytes(Path(RESPONSES_CSV).read_bytes())
        before = copy.read_bytes()

        status, _, err = run(capsys, QUESTIONNAIRE, str(copy), "-o", str(copy))

        assert (status, copy.read_bytes()) == (1, before)
        assert err == f"error: will not write {str(copy)!r}: it is one of the inputs\n"

    def test_never_over_the_questionnaire(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        copy = tmp_path / "q.yaml"
        copy.write_bytes(Path(QUESTIONNAIRE).read_bytes())
        before = copy.read_bytes()

        status, _, _ = run(capsys, str(copy), RESPONSES_YAML, "-o", str(copy), "--format", "json")

        assert (status, copy.read_bytes()) == (1, before)


def test_runs_as_a_module() -> None:
    """``python -m weltoffen score`` works in a fresh process, and errors carry no traceback."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    ok = subprocess.run(
        [
            sys.executable,
            "-m",
            "weltoffen",
            "score",
            QUESTIONNAIRE,
            RESPONSES_CSV,
            "--format",
            "csv",
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
    )
    bad = subprocess.run(
        [sys.executable, "-m", "weltoffen", "score", QUESTIONNAIRE, QUESTIONNAIRE],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
    )

    assert (ok.returncode, ok.stderr) == (0, "")
    assert len(ok.stdout.splitlines()) == 5
    assert bad.returncode == 1
    assert "Traceback" not in bad.stderr
    assert bad.stderr.startswith("error: ")
