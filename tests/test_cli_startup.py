"""The command line loads what the command given needs, and every command where none is given."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from weltoffen.cli import COMMANDS, main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "weltoffene-kommune" / "musterstadt.yaml"


def modules_after(*argv: str) -> set[str]:
    """The modules loaded by running ``weltoffen *argv`` in a new interpreter."""
    script = (
        "import json, sys\n"
        "from weltoffen.cli import main\n"
        f"status = main({list(argv)!r})\n"
        "print(json.dumps([status, sorted(sys.modules)]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    status, modules = json.loads(done.stdout.splitlines()[-1])
    assert status == 0, done.stderr
    return set(modules)


def commands_in(modules: set[str]) -> set[str]:
    """The commands whose modules are among *modules*."""
    return {name for name in COMMANDS if f"weltoffen.cli._{name}" in modules}


class TestOneCommand:
    def test_score_loads_no_other_command_and_no_report_machinery(self, tmp_path: Path) -> None:
        loaded = modules_after(
            "score",
            "--instrument",
            "weltoffene-kommune",
            str(EXAMPLE),
            "--version",
            "1.0",
            "--format",
            "json",
            "-o",
            str(tmp_path / "results.json"),
        )

        assert commands_in(loaded) == {"score"}
        assert {"weltoffen.reports.document", "weltoffen.analysis.cohort"} & loaded == set()
        assert {"numpy", "babel", "tqdm"} & loaded == set()

    def test_options_before_the_command_are_passed_over(self) -> None:
        loaded = modules_after("--plugins", "schema")

        assert commands_in(loaded) == {"schema"}


class TestEveryCommand:
    @pytest.mark.parametrize("argv", [["--help"], ["-h", "score"], ["--plugins", "--help"]])
    def test_help_lists_every_command(
        self, argv: list[str], capsys: pytest.CaptureFixture[str]
    ) -> None:
        with pytest.raises(SystemExit):
            main(argv)

        out = capsys.readouterr().out
        assert all(name in out for name in COMMANDS)

    def test_a_command_s_help_is_its_own(self, capsys: pytest.CaptureFixture[str]) -> None:
        with pytest.raises(SystemExit):
            main(["score", "--help"])

        assert "--instrument" in capsys.readouterr().out

    def test_an_unknown_command_is_refused_naming_the_known_ones(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        with pytest.raises(SystemExit) as caught:
            main(["scroe", "x.yaml"])

        assert caught.value.code == 2
        err = capsys.readouterr().err
        assert "invalid choice: 'scroe'" in err
        assert all(name in err for name in COMMANDS)

    def test_without_a_command_the_overview_names_every_command(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main([]) == 2

        err = capsys.readouterr().err
        assert all(name in err for name in COMMANDS)
