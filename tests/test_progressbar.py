"""The progress bar helper: on stderr only in a terminal, never in pipes or with --quiet."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from weltoffen.cli import _common


class _FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_bar_in_a_pipe() -> None:
    stream = io.StringIO()
    items = [1, 2, 3]
    wrapped = _common.progress(items, total=3, stream=stream)
    assert wrapped is items
    assert list(wrapped) == [1, 2, 3]
    assert stream.getvalue() == ""


def test_no_bar_with_quiet_even_in_a_terminal() -> None:
    stream = _FakeTerminal()
    items = [1, 2, 3]
    wrapped = _common.progress(items, total=3, quiet=True, stream=stream)
    assert wrapped is items
    assert list(wrapped) == [1, 2, 3]
    assert stream.getvalue() == ""


def test_bar_in_a_terminal_once_the_work_is_long(monkeypatch: pytest.MonkeyPatch) -> None:
    # No delay so the bar shows at once: the test must not wait two seconds.
    monkeypatch.setattr(_common, "PROGRESS_DELAY", 0.0)
    stream = _FakeTerminal()
    assert list(_common.progress(range(5), total=5, description="scoring", stream=stream)) == [
        0,
        1,
        2,
        3,
        4,
    ]
    assert "scoring" in stream.getvalue()


_EXAMPLE = "examples/weltoffene-kommune/musterstadt.yaml"


def _score_in_a_terminal(monkeypatch: pytest.MonkeyPatch, *extra: str) -> str:
    from weltoffen.cli import main

    monkeypatch.setattr(_common, "PROGRESS_DELAY", 0.0)
    terminal = _FakeTerminal()
    monkeypatch.setattr("sys.stderr", terminal)
    status = main(
        [
            "score",
            "--instrument",
            "weltoffene-kommune",
            "--version",
            "1.0",
            _EXAMPLE,
            "--format",
            "json",
            *extra,
        ]
    )
    assert status == 0
    return terminal.getvalue()


def test_score_shows_the_bar_in_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "scoring musterstadt.yaml" in _score_in_a_terminal(monkeypatch)


def test_score_quiet_shows_no_bar_in_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "scoring" not in _score_in_a_terminal(monkeypatch, "-q")


def test_score_in_a_pipe_shows_no_bar(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from weltoffen.cli import main

    monkeypatch.setattr(_common, "PROGRESS_DELAY", 0.0)
    assert (
        main(
            [
                "score",
                "--instrument",
                "weltoffene-kommune",
                "--version",
                "1.0",
                _EXAMPLE,
                "--format",
                "json",
            ]
        )
        == 0
    )
    assert "scoring" not in capsys.readouterr().err


def test_counting_shows_a_bar_only_in_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Work that counts its own rows (streamed scoring) gets the same bar, on the same terms."""
    monkeypatch.setattr(_common, "PROGRESS_DELAY", 0.0)
    with _common.counting("scoring big.csv", stream=io.StringIO()) as step:
        assert step is None
    with _common.counting("scoring big.csv", quiet=True, stream=_FakeTerminal()) as step:
        assert step is None
    terminal = _FakeTerminal()
    with _common.counting("scoring big.csv", stream=terminal) as step:
        assert step is not None
        step(1000)
        step(234)
    assert "scoring big.csv" in terminal.getvalue()
    assert "rows" in terminal.getvalue()


def test_streamed_score_shows_the_bar(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("numpy")
    from weltoffen.cli import main

    monkeypatch.setattr(_common, "PROGRESS_DELAY", 0.0)
    terminal = _FakeTerminal()
    monkeypatch.setattr("sys.stderr", terminal)
    questionnaire = "examples/basic/questionnaire.yaml"
    status = main(["score", questionnaire, "examples/basic/responses.csv", "--format", "csv"])
    assert status == 0
    assert "scoring responses.csv" in terminal.getvalue()
    assert capsys.readouterr().out.startswith("respondent,score,")


def test_tracking_shows_done_of_total_only_in_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Analyses tell how much of how much is done (a callback); the bar follows, on the same
    terms as every other bar."""
    monkeypatch.setattr(_common, "PROGRESS_DELAY", 0.0)
    with _common.tracking("sensitivity analysis", unit="variants", stream=io.StringIO()) as tell:
        assert tell is None
    quiet = _FakeTerminal()
    with _common.tracking("reliability", unit="dimensions", quiet=True, stream=quiet) as tell:
        assert tell is None
    terminal = _FakeTerminal()
    with _common.tracking("sensitivity analysis", unit="variants", stream=terminal) as tell:
        assert tell is not None
        tell(3, 40)
        tell(40, 40)
    shown = terminal.getvalue()
    assert "sensitivity analysis" in shown
    assert "variants" in shown


def _in_a_terminal(monkeypatch: pytest.MonkeyPatch, *argv: str) -> str:
    from weltoffen.cli import main

    monkeypatch.setattr(_common, "PROGRESS_DELAY", 0.0)
    terminal = _FakeTerminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert main(list(argv)) == 0
    return terminal.getvalue()


def test_sensitivity_shows_its_bar(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["sensitivity", "--instrument", "weltoffene-kommune", "--version", "1.0", _EXAMPLE]
    shown = _in_a_terminal(monkeypatch, *argv, "--draws", "4")
    assert "sensitivity analysis" in shown
    assert "variants" in shown
    assert "sensitivity analysis" not in _in_a_terminal(monkeypatch, *argv, "--draws", "4", "-q")


def test_reliability_shows_its_bar(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.helpers import RELIABILITY_FIXTURES

    argv = [
        "reliability",
        str(RELIABILITY_FIXTURES / "questionnaire.yaml"),
        str(RELIABILITY_FIXTURES / "responses.csv"),
    ]
    assert "dimensions" in _in_a_terminal(monkeypatch, *argv)
    assert "reliability" not in _in_a_terminal(monkeypatch, *argv, "-q")


def test_the_sensitivity_inside_report_and_progress_shows_its_bar(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kommune = Path(_EXAMPLE).parent
    report = [
        "report", "--instrument", "weltoffene-kommune", "--version", "1.0", _EXAMPLE,
        "--sensitivity", "--draws", "4", "-o", str(tmp_path / "report.html"),
    ]  # fmt: skip
    progress = [
        "progress", "--instrument", "weltoffene-kommune", f"{_EXAMPLE}@1.0",
        str(kommune / "runde-2" / "musterstadt.yaml"), "--draws", "4",
        "-o", str(tmp_path / "progress.html"),
    ]  # fmt: skip
    for argv in (report, progress):
        assert "sensitivity analysis" in _in_a_terminal(monkeypatch, *argv), argv[0]
        assert "sensitivity analysis" not in _in_a_terminal(monkeypatch, *argv, "-q"), argv[0]
