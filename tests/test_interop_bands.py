"""Tests for weltoffen.interop.bands: closed ranges on totals become half-open bands on points."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from weltoffen import Dimension, Option, Questionnaire, ScaleQuestion, compile, score
from weltoffen.interop.bands import ClosedRange, bands_from_ranges
from weltoffen.model.dimensions import Band
from weltoffen.strategies import SumOfPoints


def chosen(bands: Sequence[Band], total: float) -> str | None:
    """The band a total falls in: ``min <= total < max``, the top band including its max."""
    top = max(b.max for b in bands)
    for band in bands:
        if band.min <= total < band.max or total == band.max == top:
            return band.id
    return None


PHQ9 = (
    ClosedRange(id="minimal", low=0, high=4, label={"en": "Minimal"}),
    ClosedRange(id="mild", low=5, high=9),
    ClosedRange(id="moderate", low=10, high=14),
    ClosedRange(id="moderately-severe", low=15, high=19),
    ClosedRange(id="severe", low=20, high=27),
)


def test_phq9_edges_lie_at_the_midpoints() -> None:
    bands = bands_from_ranges(PHQ9, range(28))
    assert [(b.id, b.min, b.max) for b in bands] == [
        ("minimal", 0, 4.5),
        ("mild", 4.5, 9.5),
        ("moderate", 9.5, 14.5),
        ("moderately-severe", 14.5, 19.5),
        ("severe", 19.5, 27),
    ]
    assert bands[0].label == {"en": "Minimal"}
    assert [chosen(bands, t) for t in (4, 5, 9, 10, 27)] == [
        "minimal",
        "mild",
        "mild",
        "moderate",
        "severe",
    ]


def test_ranges_may_come_in_any_order_and_gaps_without_totals_are_fine() -> None:
    # FCS-like: only some totals are attainable, and 21.25 lies between ranges harmlessly
    ranges = [
        ClosedRange(id="acceptable", low=35.5, high=40),
        ClosedRange(id="poor", low=0, high=21),
    ]
    ranges.append(ClosedRange(id="borderline", low=21.5, high=35))
    bands = bands_from_ranges(ranges, [0, 7, 21, 21.5, 35, 36, 40])
    assert [(b.id, b.min, b.max) for b in bands] == [
        ("poor", 0, 21.25),
        ("borderline", 21.25, 35.5),
        ("acceptable", 35.5, 40),
    ]


def test_totals_below_zero_and_above_a_hundred() -> None:
    # negative option points, and a raw total far above 100
    ranges = [ClosedRange(id="low", low=-6, high=-1), ClosedRange(id="high", low=0, high=240)]
    bands = bands_from_ranges(ranges, [-6, -3, -1, 2, 240])
    assert [(b.id, b.min, b.max) for b in bands] == [("low", -6, 0.5), ("high", 0.5, 240)]


def test_totals_carrying_float_rounding_choose_the_same_band() -> None:
    # ten items of 0.1 points: 0.30000000000000004 is still 0.3 of the source's "0-0.3"
    totals = [sum([0.1] * k) for k in range(11)]
    ranges = [ClosedRange(id="low", low=0, high=0.35), ClosedRange(id="high", low=0.35, high=1.1)]
    with pytest.raises(ValueError, match="overlap"):
        bands_from_ranges(ranges, totals)
    ranges[1] = ClosedRange(id="high", low=0.36, high=1.1)
    bands = bands_from_ranges(ranges, totals)
    assert [chosen(bands, t) for t in totals] == ["low"] * 4 + ["high"] * 7


@pytest.mark.parametrize(
    ("ranges", "attainable", "words"),
    [
        (PHQ9[:4], range(28), "the attainable total 20 lies in no range (above the highest range"),
        (PHQ9[1:], range(28), "total 0 lies in no range (below the lowest range 'mild' (5-9))"),
        (
            (PHQ9[0], PHQ9[2]),
            range(15),
            "total 5 lies in no range (between ranges 'minimal' (0-4) and 'moderate' (10-14))",
        ),
        (
            (PHQ9[0], ClosedRange(id="mild", low=4, high=9)),
            range(10),
            "ranges 'minimal' (0-4) and 'mild' (4-9) overlap",
        ),
        ((ClosedRange(id="odd", low=3, high=1),), range(4), "'odd' (3-1) ends below its start"),
        (
            (
                PHQ9[0],
                ClosedRange(id="none", low=4.2, high=4.8),
                ClosedRange(id="r", low=5, high=9),
            ),
            range(10),
            "range 'none' (4.2-4.8) holds no attainable total",
        ),
        ((PHQ9[0],), [3], "at least two attainable totals"),
        ((), range(3), "no ranges"),
    ],
)
def test_gaps_overlaps_and_empty_ranges_are_refused_by_name(
    ranges: Sequence[ClosedRange], attainable: Sequence[float], words: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(words)):
        bands_from_ranges(ranges, attainable)


@st.composite
def ranged_totals(draw: st.DrawFn) -> tuple[list[ClosedRange], list[int]]:
    """Attainable totals and closed ranges that partition them, each range holding some."""
    totals = sorted(draw(st.sets(st.integers(-60, 300), min_size=2, max_size=30)))
    cuts = sorted(draw(st.sets(st.integers(1, len(totals) - 1), max_size=len(totals) - 1)))
    groups = [totals[a:b] for a, b in zip([0, *cuts], [*cuts, len(totals)], strict=True)]
    ranges = []
    for i, group in enumerate(groups):
        # a range may reach into the gap before the next attainable total, never to it
        below = groups[i - 1][-1] if i else group[0] - 3
        low = draw(st.integers(below + 1, group[0])) if i else draw(st.integers(below, group[0]))
        above = groups[i + 1][0] if i + 1 < len(groups) else group[-1] + 3
        high = draw(st.integers(group[-1], above - 1))
        if i and low <= ranges[-1].high:
            low = ranges[-1].high + 1
        ranges.append(ClosedRange(id=f"r{i}", low=low, high=high))
    return draw(st.permutations(ranges)), totals


@given(ranged_totals())
def test_every_attainable_total_gets_the_band_of_its_range(
    case: tuple[list[ClosedRange], list[int]],
) -> None:
    ranges, totals = case
    bands = bands_from_ranges(ranges, totals)
    for total in totals:
        (home,) = (r.id for r in ranges if r.low <= total <= r.high)
        assert chosen(bands, total) == home
    assert bands[0].min == totals[0]
    assert bands[-1].max == totals[-1]
    assert all(a.max == b.min for a, b in itertools.pairwise(bands))


@given(st.lists(st.integers(0, 3), min_size=9, max_size=9))
def test_scoring_a_phq9_chooses_the_band_of_its_closed_range(answers: list[int]) -> None:
    """The bands made here, on a questionnaire with bands on points, through score()."""
    frequency = tuple(Option(value=str(k), points=k) for k in range(4))
    items = tuple(ScaleQuestion(id=f"q{i}", options=frequency) for i in range(9))
    bands = bands_from_ranges(PHQ9, range(28))
    q = Questionnaire(
        id="phq",
        aggregation=SumOfPoints(),
        bands=bands,
        bands_on="points",
        dimensions=(Dimension(id="items", aggregation=SumOfPoints(), questions=items),),
    )
    result = score(compile(q), {f"q{i}": str(a) for i, a in enumerate(answers)})
    (home,) = (r.id for r in PHQ9 if r.low <= sum(answers) <= r.high)
    assert result.points == sum(answers)
    assert result.band == home
