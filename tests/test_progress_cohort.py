"""Change between two rounds across a cohort: distribution per field, small groups suppressed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import hand_made_result, kommune, sample_response
from weltoffen.analysis.cohort_change import change_summaries
from weltoffen.cli import main
from weltoffen.serialization.api import dump_responses


def test_changes_per_field_are_summarised_and_matched_by_respondent() -> None:
    before = [hand_made_result(f"m{i}", 50.0, a=40.0 + i) for i in range(6)]
    # Changes of the overall score: -2, 0, 2, 4, 6 (m5 has no later round; m6 no earlier one).
    after = [hand_made_result(f"m{i}", 48.0 + 2 * i, a=40.0 + i) for i in range(5)]
    after.append(hand_made_result("m6", 90.0, a=10.0))
    overall, field = change_summaries(before, after, min_group=5)
    assert overall.n == 5
    assert overall.missing == 1  # m6
    assert overall.median == 2.0
    assert (overall.min, overall.max) == (-2.0, 6.0)
    assert (overall.q1, overall.q3) == (0.0, 4.0)
    assert field.dimension == "a"
    assert (field.min, field.max, field.median) == (0.0, 0.0, 0.0)


def test_fewer_members_with_a_change_than_the_minimum_are_suppressed() -> None:
    before = [hand_made_result(f"m{i}", 50.0, a=40.0) for i in range(4)]
    after = [hand_made_result(f"m{i}", 60.0, a=None) for i in range(4)]
    overall, field = change_summaries(before, after, min_group=5)
    assert overall.suppressed
    assert overall.median is None
    assert field.suppressed
    (shown, _) = change_summaries(before, after, min_group=4)
    assert not shown.suppressed
    assert shown.median == 10.0


def test_a_round_against_itself_changes_nothing() -> None:
    results = [hand_made_result(f"m{i}", 30.0 + 7 * i, a=20.0 + 3 * i) for i in range(7)]
    for summary in change_summaries(results, results):
        assert (summary.min, summary.max) == (0.0, 0.0)


def test_cohort_command_with_an_earlier_round(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    plan = kommune()
    earlier, later = tmp_path / "earlier.yaml", tmp_path / "later.yaml"
    dump_responses([sample_response(plan, f"m{i}", shift=i) for i in range(5)], earlier)
    dump_responses([sample_response(plan, f"m{i}", shift=i + 1) for i in range(5)], later)
    args = ["cohort", "--instrument", "weltoffene-kommune", "--version", "1.0", "--lang", "en"]
    args.append(str(later))
    assert main([*args, "--earlier", str(earlier)]) == 0
    out = capsys.readouterr().out
    change = out[out.index("Change since the earlier round") :]
    overall = next(line for line in change.splitlines() if line.startswith("Overall"))
    assert overall.split()[1:3] == ["5", "0"]  # n and missing
    assert main([*args, "--earlier", str(earlier), "--min-group", "6"]) == 0
    assert "suppressed" in capsys.readouterr().out.split("Change since")[1].splitlines()[2]


def test_cohort_earlier_works_in_every_format(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """--earlier once worked with the table only; JSON, Markdown and HTML now carry the change."""
    plan = kommune()
    path = tmp_path / "r.yaml"
    dump_responses([sample_response(plan, f"m{i}", shift=i) for i in range(2)], path)
    base = ["cohort", "--instrument", "weltoffene-kommune", "--version", "1.0", str(path)]
    assert main([*base, "--earlier", str(path), "--format", "json", "--min-group", "1"]) == 0
    overall = json.loads(capsys.readouterr().out)["change"]["steps"][0]["dimensions"][0]
    assert (overall["n"], overall["min"], overall["max"]) == (2, 0.0, 0.0)
    assert main([*base, "--earlier", str(path), "--format", "markdown"]) == 0
    assert "## Veränderung zwischen den Runden" in capsys.readouterr().out
