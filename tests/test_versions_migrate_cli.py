"""``weltoffen migrate``: responses carried over by a crosswalk, notes, and --compare."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_versions_crosswalk import CROSSWALK, EXAMPLES, V10, V11
from weltoffen import DONT_KNOW, Response, load_questionnaire, load_responses
from weltoffen.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


FILES = [str(p) for p in EXAMPLES]
BY_FILE = ["--crosswalk", str(CROSSWALK), "--old", str(V10), "--new", str(V11)]


def test_migrates_to_a_file_and_notes_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "round2.yaml"
    status, out, err = run(capsys, "migrate", *BY_FILE, *FILES, "-o", str(out_file))
    assert status == 0
    assert out == ""
    migrated = load_responses(out_file)
    assert [r.respondent for r in migrated] == [
        "beispielhausen",
        "landkreis-modellheide",
        "musterstadt",
    ]
    assert all("kk-09a" in r.answers and "ms-11" not in r.answers for r in migrated)
    assert err.count("[dropped]") == 3
    assert "ms-11" in err
    assert "3 responses migrated to version 1.1" in err


def test_the_bundled_instrument_brings_its_crosswalk(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(
        capsys, "migrate", "--instrument", "weltoffene-kommune", "--from-version", "1.0", *FILES
    )
    assert status == 0
    assert [r.respondent for r in load_responses(text=out)] == [
        "beispielhausen",
        "landkreis-modellheide",
        "musterstadt",
    ]
    status, _, err = run(
        capsys, "migrate", "--instrument", "weltoffene-kommune", "--from-version", "0.9", *FILES
    )
    assert status == 1
    assert "no crosswalks from version 0.9" in err


def test_never_writes_over_an_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "musterstadt.yaml"
    copy.write_text(Path(FILES[-1]).read_text(encoding="utf-8"), encoding="utf-8")
    before = copy.read_bytes()
    status, _, err = run(capsys, "migrate", *BY_FILE, str(copy), "-o", str(copy))
    assert status == 1
    assert "it is one of the inputs" in err
    assert copy.read_bytes() == before
    status, _, err = run(capsys, "migrate", *BY_FILE, str(copy), "--notes", str(copy))
    assert status == 1
    assert copy.read_bytes() == before


def test_notes_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "notes.json"
    out_file = tmp_path / "out.json"
    status, _, err = run(
        capsys, "migrate", *BY_FILE, *FILES, "-o", str(out_file), "--notes", str(notes)
    )
    assert status == 0
    data = json.loads(notes.read_text(encoding="utf-8"))
    assert {(n["respondent"], n["question"], n["code"]) for n in data} == {
        (r, "ms-11", "dropped") for r in ("beispielhausen", "landkreis-modellheide", "musterstadt")
    }
    assert "[dropped]" not in err
    assert json.loads(out_file.read_text(encoding="utf-8"))[0]["respondent"] == "beispielhausen"


def test_reads_tables_as_every_command_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "round1.csv"
    table.write_text(
        "respondent,ms-01,ms-11,kk-09\nneustadt,true,false,eher\naltdorf,false,,dont_know\n",
        encoding="utf-8",
    )
    status, out, err = run(capsys, "migrate", *BY_FILE, str(table))
    assert status == 0
    neustadt, altdorf = load_responses(text=out)
    assert set(neustadt.answers) == {"ms-01", "kk-09a", "kk-09b"}
    assert neustadt.answers["kk-09b"] == "eher"
    assert altdorf.answers["kk-09b"] is DONT_KNOW
    assert "neustadt: ms-11:" in err
    assert "altdorf: ms-11" not in err  # nothing was given, nothing is lost


def test_compare_as_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "migrate", *BY_FILE, *FILES, "--compare")
    assert status == 0
    assert out.startswith("weltoffene-kommune 1.0 → 1.1: 3 respondents")
    assert "kommunikation-konflikt" in out
    assert "beispielhausen         (overall)" in out
    assert "einstieg → im-aufbau" in out
    status, out, _ = run(capsys, "migrate", *BY_FILE, *FILES, "--compare", "--format", "json")
    data = json.loads(out)
    overall = data["dimensions"][0]
    assert overall["dimension"] is None
    assert overall["respondents"] == 3
    assert overall["band_changes"] == 1
    rows = [r for r in data["respondents"] if r["respondent"] == "beispielhausen"]
    assert rows[0]["old_band"] == "einstieg"
    assert rows[0]["new_band"] == "im-aufbau"


def test_problems_come_located_and_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "instrument: weltoffene-kommune\nfrom_version: '1.0'\nto_version: '1.1'\n"
        "dropped: [{old: ms-99}]\n",
        encoding="utf-8",
    )
    status, _, err = run(
        capsys, "migrate", "--crosswalk", str(bad), "--old", str(V10), "--new", str(V11), *FILES
    )
    assert status == 1
    assert "dropped[0].old: version 1.0 has no question 'ms-99'" in err
    assert "'ms-11' is neither carried nor dropped" in err
    assert "'kk-09a' has no source" in err
    assert "Traceback" not in err


def test_responses_that_do_not_fit_the_old_version_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("respondent: x\nanswers: {ms-01: vielleicht}\n", encoding="utf-8")
    status, _, err = run(capsys, "migrate", *BY_FILE, str(wrong))
    assert status == 1
    assert "ms-01" in err
    assert "Traceback" not in err


def test_crosswalks_chain_and_must_line_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(
        capsys, "migrate", "--crosswalk", str(CROSSWALK), "--crosswalk", str(CROSSWALK), *FILES
    )
    assert status == 1
    assert "the second must start at 1.1" in err


def test_a_crosswalk_is_needed(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "migrate", *FILES)
    assert status == 1
    assert "no crosswalk given" in err
    status, _, err = run(capsys, "migrate", "--instrument", "weltoffene-kommune", *FILES)
    assert status == 1
    assert "--from-version" in err


def test_schema_of_crosswalks(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "schema", "--crosswalk")
    assert status == 0
    schema = json.loads(out)
    assert schema["title"] == "weltoffen crosswalk"
    assert "split" in schema["$defs"]["Crosswalk"]["properties"]


def test_reads_foreign_formats_with_from(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from weltoffen.interop.surveyjs import result_object

    # a survey result of the web form as it was under 1.0
    answers = {"ms-05": "fachamt", "ms-11": False, "kk-09": "voll", "kk-03": True}
    old = Response(respondent="result-1", answers=answers)
    sent = {
        k: v for k, v in result_object(old, load_questionnaire(V10)).items() if k != "weltoffen"
    }
    webform = tmp_path / "result.json"
    webform.write_text(json.dumps(sent), encoding="utf-8")
    status, out, _ = run(capsys, "migrate", *BY_FILE, "--from", "surveyjs", str(webform))
    assert status == 0
    (migrated,) = load_responses(text=out)
    assert migrated.respondent == "result-1"
    assert migrated.answers["ms-05"] == "fachamt"
    assert "kk-09" not in migrated.answers
