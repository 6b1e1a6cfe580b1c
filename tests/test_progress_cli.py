"""``weltoffen progress``: good and bad input, and the committed sample reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from weltoffen.cli import main

KOMMUNE = Path(__file__).parent.parent / "examples" / "weltoffene-kommune"
NAMES = ("musterstadt", "beispielhausen", "landkreis-modellheide")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["progress", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def rounds(name: str) -> list[str]:
    return [f"{KOMMUNE / name}.yaml@1.0", str(KOMMUNE / "runde-2" / f"{name}.yaml")]


@pytest.mark.parametrize("name", NAMES)
def test_committed_samples_match_the_documented_commands(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """The sample progress reports are what the command in reports/README.md writes today."""
    status, out, err = run(
        capsys, "--instrument", "weltoffene-kommune", *rounds(name), "--format", "markdown"
    )
    assert status == 0
    assert "ms-11" in err  # the dropped question, noted on stderr
    assert (KOMMUNE / "reports" / f"{name}-entwicklung.md").read_text(encoding="utf-8") == out


@pytest.mark.parametrize("name", NAMES)
def test_html_samples_match(capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str) -> None:
    # written to a file, as the documented command does (standard output in a terminal drops
    # the soft hyphens that let long words break); the browser test prints these very files
    target = tmp_path / "out.html"
    argv = ["--instrument", "weltoffene-kommune", *rounds(name), "-o", str(target)]
    status, _, _ = run(capsys, *argv)
    assert status == 0
    sample = KOMMUNE / "reports" / f"{name}-entwicklung.html"
    assert sample.read_text(encoding="utf-8") == target.read_text(encoding="utf-8")


def test_english_report_and_output_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    status, out, err = run(
        capsys,
        "--instrument",
        "weltoffene-kommune",
        *rounds("beispielhausen"),
        "--lang",
        "en",
        "-o",
        str(target),
    )
    assert (status, out) == (0, "")
    assert f"wrote {target}" in err
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Progress: Gemeinde Beispielhausen")
    assert "| Overall score |" in text
    assert "Real change?" in text


def test_one_round_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "--instrument", "weltoffene-kommune", rounds("musterstadt")[1])
    assert status != 0
    assert out == ""
    assert "at least two rounds" in err
    assert "Traceback" not in err


def test_an_unknown_version_is_located(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(
        capsys,
        "--instrument",
        "weltoffene-kommune",
        f"{KOMMUNE / 'musterstadt.yaml'}@0.7",
        rounds("musterstadt")[1],
    )
    assert status != 0
    assert "no questionnaire of version '0.7'" in err
    assert "Traceback" not in err


def test_a_round_read_under_the_wrong_version_names_its_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The first round answers ms-11, which 1.1 no longer asks: without @1.0 it does not fit.
    first = str(KOMMUNE / "musterstadt.yaml")
    status, _, err = run(
        capsys, "--instrument", "weltoffene-kommune", first, rounds("musterstadt")[1]
    )
    assert status != 0
    assert "musterstadt.yaml" in err
    assert "ms-11" in err
    assert "Traceback" not in err


def test_html_has_both_charts_with_their_numbers_as_text(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(capsys, "--instrument", "weltoffene-kommune", *rounds("musterstadt"))
    assert status == 0
    assert out.count("<svg") == 2
    assert out.count('role="img" aria-label="') == 2
    # The overall table's numbers of the management field reappear in the dumbbell's text.
    assert "Management und Steuerung: 87,8 → 84,0" in out
    assert "2024-05-14: Management und Steuerung 87,8" in out
    assert "None" not in out


def test_texts_from_the_files_are_escaped_in_markdown(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    later = tmp_path / "later.yaml"
    text = (KOMMUNE / "runde-2" / "musterstadt.yaml").read_text(encoding="utf-8")
    later.write_text(
        text.replace("name: Stadt Musterstadt", "name: '<b>Stadt|Muster*</b>'"), encoding="utf-8"
    )
    first = f"{KOMMUNE / 'musterstadt'}.yaml@1.0"
    argv = ["--instrument", "weltoffene-kommune", first, str(later), "--format", "markdown"]
    status, out, _ = run(capsys, *argv)
    assert status == 0
    assert out.splitlines()[0] == "# Entwicklung: &lt;b&gt;Stadt\\|Muster\\*&lt;/b&gt;"
    assert "<b>" not in out
