"""The built-in foreign formats through the command line: import, score with --from, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from weltoffen.cli import main
from weltoffen.serialization.api import load_questionnaire

REDCAP = Path(__file__).parent / "fixtures" / "redcap"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_a_redcap_project_is_imported_and_its_records_scored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target, report = tmp_path / "project.yaml", tmp_path / "report.json"

    status, out, err = run(
        capsys,
        "import",
        "redcap",
        str(REDCAP / "every_type.csv"),
        "-o",
        str(target),
        "--report",
        str(report),
    )

    assert (status, err) == (0, "")
    summary, *lines = out.splitlines()
    data = json.loads(report.read_text())
    counts = data["counts"]
    assert summary == (
        f"redcap every_type.csv: {len(data['findings'])} constructs, {counts['exact']} exact, "
        f"{counts['approximated']} approximated, {counts['dropped']} dropped"
    )
    assert len(lines) == counts["approximated"] + counts["dropped"] > 0
    assert any(line.startswith("dropped: field ('photo', line ") for line in lines)
    assert load_questionnaire(target).id == "every_type"

    status, out, err = run(
        capsys,
        "score",
        str(target),
        str(REDCAP / "every_type_records.csv"),
        "--from",
        "redcap",
        "--format",
        "json",
    )

    assert (status, err) == (0, "")
    views = json.loads(out)
    assert [v["respondent"] for v in views][:2] == ["1/baseline_arm_1", "1/followup_arm_1"]
    total = views[0]["dimensions"][0]["dimensions"][0]["dimensions"][0]
    assert (total["id"], total["points"], total["band"]["id"]) == ("mood_total", 3.0, "mood_flag_1")


def test_import_refuses_a_file_of_the_wrong_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "notes.csv"
    source.write_text("name,age\nada,36\n")

    status, out, err = run(capsys, "import", "redcap", str(source), "-o", str(tmp_path / "q.yaml"))

    assert (status, out) == (1, "")
    assert err.startswith(f"error: {source}")
    assert "Traceback" not in err
    assert not (tmp_path / "q.yaml").exists()


PHQ9 = Path(__file__).parents[1] / "examples" / "fhir-phq9"
MUSTERSTADT = Path(__file__).parents[1] / "examples" / "weltoffene-kommune" / "musterstadt.yaml"


def test_a_fhir_questionnaire_is_imported_and_its_responses_scored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "phq9.yaml"

    status, out, err = run(
        capsys, "import", "fhir", str(PHQ9 / "questionnaire.json"), "-o", str(target)
    )

    assert (status, err) == (0, "")
    assert out.splitlines()[0].endswith("11 constructs, 11 exact, 0 approximated, 0 dropped")

    status, out, err = run(
        capsys,
        "score",
        str(target),
        str(PHQ9 / "responses.json"),
        "--from",
        "fhir",
        "--format",
        "json",
    )

    assert (status, err) == (0, "")
    totals = {v["respondent"]: v["points"] for v in json.loads(out)}
    assert totals == {"anna": 10.0, "ben": 18.0, "cleo": 2.0}


def _overall(capsys: pytest.CaptureFixture[str], *questionnaire: str) -> list[object]:
    status, out, err = run(capsys, "score", *questionnaire, str(MUSTERSTADT), "--format", "json")
    assert (status, err) == (0, "")
    views = json.loads(out)
    views = views if isinstance(views, list) else [views]
    return [(v["score"], [d["score"] for d in v["dimensions"]]) for v in views]


@pytest.mark.parametrize(
    ("name", "suffix"),
    [
        ("fhir", ".json"),
        ("redcap", ".csv"),
        ("limesurvey", ".lss"),
        ("surveyjs", ".json"),
        ("xlsform", ".xlsx"),
    ],
)
def test_the_self_check_travels_out_and_back_with_the_same_scores(
    name: str, suffix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported, back = tmp_path / f"kommune{suffix}", tmp_path / "kommune.yaml"

    status, _, err = run(
        capsys,
        "export",
        name,
        "--instrument",
        "weltoffene-kommune",
        "--version",
        "1.0",
        "-o",
        str(exported),
    )
    assert (status, err) == (0, "")
    status, _, err = run(capsys, "import", name, str(exported), "-o", str(back))
    assert (status, err) == (0, "")

    expected = _overall(capsys, "--instrument", "weltoffene-kommune", "--version", "1.0")
    assert _overall(capsys, str(back)) == expected
    assert expected[0][0] is not None
