"""``--encoding``: every command that reads responses reads files in a named encoding."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

import pytest

from weltoffen.cli import build_parser, main

EXAMPLE = Path(__file__).parent.parent / "examples" / "basic"
QUESTIONNAIRE = str(EXAMPLE / "questionnaire.yaml")
ANSWERS = "respondent,meta.team,holidays,overtime,wish\nzoë,Überseeamt,ja,3,Grüße an alle\n"

#: Each command that reads responses, with the arguments it needs around the responses file.
COMMANDS: dict[str, Callable[[str, Path], list[str]]] = {
    "score": lambda f, _: ["score", QUESTIONNAIRE, f],
    "cohort": lambda f, _: ["cohort", QUESTIONNAIRE, f, "--format", "json"],
    "reliability": lambda f, _: ["reliability", QUESTIONNAIRE, f],
    "sensitivity": lambda f, _: ["sensitivity", QUESTIONNAIRE, f, "--draws", "4", "--no-indices"],
    "report": lambda f, _: ["report", QUESTIONNAIRE, f, "--format", "markdown"],
    "report --cohort": lambda f, tmp: [
        "report",
        QUESTIONNAIRE,
        str(_utf8(tmp)),
        "--cohort",
        f,
        "--format",
        "markdown",
    ],
    "template --fill": lambda f, _: ["template", QUESTIONNAIRE, "--fill", f],
    "progress": lambda f, tmp: [
        "progress",
        "--questionnaire",
        QUESTIONNAIRE,
        f,
        str(_later(tmp)),
        "--format",
        "markdown",
    ],
    "migrate": lambda f, tmp: [
        "migrate",
        "--crosswalk",
        str(_identity(tmp)),
        "--old",
        QUESTIONNAIRE,
        f,
        "-q",
    ],
}


def _identity(tmp_path: Path) -> Path:
    """A crosswalk of the example's version onto itself."""
    path = tmp_path / "same.yaml"
    path.write_text(
        "instrument: team-wellbeing\nfrom_version: '1.0'\nto_version: '1.0'\n", encoding="utf-8"
    )
    return path


def _later(tmp_path: Path) -> Path:
    """A later round of the same respondent, in UTF-8."""
    path = tmp_path / "later.csv"
    path.write_text(ANSWERS.replace(",3,", ",5,"), encoding="utf-8")
    return path


def _utf8(tmp_path: Path) -> Path:
    path = tmp_path / "other.csv"
    path.write_text(ANSWERS.replace("zoë", "ada"), encoding="utf-8")
    return path


def _run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def test_the_commands_here_are_every_command_with_the_option() -> None:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    having = {
        name
        for name, sub in action.choices.items()  # type: ignore[union-attr]
        if any("--encoding" in a.option_strings for a in sub._actions)
    }

    assert having == {name.split()[0] for name in COMMANDS}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("suffix", [".csv", ".yaml"])
def test_a_cp1252_file_reads_with_the_option_and_is_refused_without_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str, suffix: str
) -> None:
    path = tmp_path / f"answers{suffix}"
    text = ANSWERS
    if suffix == ".yaml":
        text = (
            "respondent: zoë\nmetadata: {team: Überseeamt}\nanswers: {holidays: ja, wish: Grüße}\n"
        )
    path.write_bytes(text.encode("cp1252"))
    argv = COMMANDS[command](str(path), tmp_path)

    refused = _run(capsys, argv)
    status, out, err = _run(capsys, [*argv, "--encoding", "cp1252"])

    assert refused[0] == 1
    assert f"error: {path}:" in refused[2]
    assert 'it reads as cp1252: give --encoding cp1252 (encoding="cp1252" in Python)' in refused[2]
    assert (status, err) == (0, "")
    # the report is on a UTF-8 file: the option leaves it as it is, as it does every UTF-8 file
    assert ("Überseeamt" if command in ("template --fill", "report --cohort") else "zoë") in out


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_utf16_file_with_a_mark_needs_no_option(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    path = tmp_path / "answers.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + ANSWERS.replace(",", "\t").encode("utf-16-le"))

    status, _, err = _run(capsys, COMMANDS[command](str(path), tmp_path))

    assert (status, err) == (0, "")


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("name", ["no-such-encoding", "base64"])
def test_an_unknown_encoding_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str, name: str
) -> None:
    argv = [*COMMANDS[command](str(_utf8(tmp_path)), tmp_path), "--encoding", name]

    with pytest.raises(SystemExit) as exited:
        main(argv)

    assert exited.value.code == 2
    assert (
        f"argument --encoding: unknown text encoding {name!r} (expected a name such as utf-8, "
        "cp1252 or utf-16)"
    ) in capsys.readouterr().err
