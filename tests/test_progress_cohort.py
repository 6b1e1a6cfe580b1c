"""Change between two rounds across a cohort: distribution per field, small groups suppressed."""

from __future__ import annotations

from tests.helpers import hand_made_result
from weltoffen.analysis.cohort import change_summaries


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
