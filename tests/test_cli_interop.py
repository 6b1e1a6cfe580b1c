"""``weltoffen import``, ``export`` and ``--from``: the command line over any registered format.

A small format of the tests' own (questionnaires and responses as weltoffen JSON, with a report
that approximates one construct and drops another) stands in for the real ones, whose own tests
run these commands on real files.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from weltoffen.cli import main
from weltoffen.exceptions import DefinitionError, Problem, ProblemCode
from weltoffen.interop import Format, FormatRegistry, Imported
from weltoffen.interop import registry as formats_module
from weltoffen.interop.report import ReportBuilder
from weltoffen.model.answers import Response
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.serialization.api import (
    dump_questionnaire,
    dump_responses,
    load_questionnaire,
    load_responses,
)

EXAMPLE = Path(__file__).parent.parent / "examples" / "basic"


def _read(source: object) -> Imported:
    path = Path(str(source))
    if path.suffix != ".demo":
        raise DefinitionError(
            [Problem(ProblemCode.WRONG_FILE_KIND, "not a demo file", file=str(path))]
        )
    notes = ReportBuilder("demo", path.name)
    notes.exact("question", "imported as it is", source_id="manageable")
    notes.approximated("total", "rounded to whole points", location=("total",))
    notes.dropped("script", "code is never run", location=("script", 0), hint="score in weltoffen")
    return Imported(
        questionnaire=load_questionnaire(EXAMPLE / "questionnaire.yaml"), report=notes.report()
    )


def _write(questionnaire: Questionnaire, target: object) -> None:
    dump_questionnaire(questionnaire, Path(str(target)), format="json")


def _responses(source: object, questionnaire: Questionnaire) -> list[Response]:
    return load_responses(Path(str(source)), format="json")


DEMO = Format(
    name="demo",
    title="Demo",
    suffixes=(".demo",),
    read_questionnaire=_read,
    write_questionnaire=_write,
    read_responses=_responses,
)


@pytest.fixture(autouse=True)
def demo_format(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = FormatRegistry({})
    registry.register(DEMO)
    registry.register(Format(name="mute", title="Mute"))
    monkeypatch.setattr(formats_module, "default_formats", registry)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_import_writes_the_questionnaire_and_prints_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "team.demo"
    source.write_text("anything")
    target, report = tmp_path / "team.yaml", tmp_path / "report.json"

    status, out, err = run(
        capsys, "import", "demo", str(source), "-o", str(target), "--report", str(report)
    )

    assert (status, err) == (0, "")
    assert out.splitlines() == [
        "demo team.demo: 3 constructs, 1 exact, 1 approximated, 1 dropped",
        "approximated: total (total): rounded to whole points",
        "dropped: script (script[0]): code is never run; score in weltoffen",
    ]
    assert load_questionnaire(target) == load_questionnaire(EXAMPLE / "questionnaire.yaml")
    data = json.loads(report.read_text())
    assert data["counts"] == {"exact": 1, "approximated": 1, "dropped": 1}
    assert data["findings"][0]["source_id"] == "manageable"


def test_import_refused_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "team.txt"
    source.write_text("anything")
    target = tmp_path / "team.yaml"

    status, out, err = run(capsys, "import", "demo", str(source), "-o", str(target))

    assert (status, out) == (1, "")
    assert err == f"error: {source}: not a demo file\n"
    assert not target.exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["import", "nope", "x.demo", "-o", "q.yaml"],
            "unknown format kind 'nope'; known kinds: demo, mute",
        ),
        (
            ["import", "mute", "x.demo", "-o", "q.yaml"],
            "format 'mute' does not support reading questionnaire",
        ),
        (
            [
                "export",
                "mute",
                "--instrument",
                "weltoffene-kommune",
                "--version",
                "1.0",
                "-o",
                "q.json",
            ],
            "format 'mute' does not support writing questionnaire",
        ),
    ],
)
def test_formats_that_cannot_are_named(
    argv: Sequence[str],
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, *argv)

    assert (status, out) == (1, "")
    assert err.startswith(f"error: {message}")
    assert list(tmp_path.iterdir()) == []


def test_import_never_writes_over_its_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "team.demo"
    source.write_text("precious")

    status, _, err = run(capsys, "import", "demo", str(source), "-o", str(source))

    assert status == 1
    assert "it is one of the inputs" in err
    assert source.read_text() == "precious"


def test_export_writes_a_bundled_instrument(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "kommune.json"

    status, out, err = run(
        capsys,
        "export",
        "demo",
        "--instrument",
        "weltoffene-kommune",
        "--version",
        "1.0",
        "-o",
        str(target),
    )

    assert (status, err) == (0, "")
    assert out.startswith("weltoffene-kommune ")
    assert out.rstrip().endswith(f"written as demo to {target}")
    assert load_questionnaire(target).id == "weltoffene-kommune"


def test_score_reads_responses_in_a_foreign_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = tmp_path / "answers.demo"
    dump_responses(load_responses(EXAMPLE / "responses.yaml"), foreign, format="json")
    questionnaire = str(EXAMPLE / "questionnaire.yaml")

    status, out, err = run(
        capsys, "score", questionnaire, str(foreign), "--from", "demo", "--format", "json"
    )
    own = json.loads(
        run(capsys, "score", questionnaire, str(EXAMPLE / "responses.yaml"), "--format", "json")[1]
    )

    assert (status, err) == (0, "")
    assert json.loads(out) == own
    assert [v["points"] for v in own][:1] == [34.0]


def test_from_a_format_that_cannot_read_responses(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(
        capsys,
        "score",
        str(EXAMPLE / "questionnaire.yaml"),
        str(EXAMPLE / "responses.yaml"),
        "--from",
        "mute",
    )

    assert status == 1
    assert err.startswith("error: format 'mute' does not support reading responses")


def test_help_lists_the_formats(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    assert "Formats: demo, mute." in " ".join(capsys.readouterr().out.split())
