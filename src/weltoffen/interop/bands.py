"""Closed ranges on an instrument's own totals ("5-9 mild") as half-open bands on points.

Other tools state bands as closed integer ranges on the raw total (PHQ-9 0-4, 5-9, ...; HHS 0-1,
2-3, 4-6). weltoffen's bands are half-open, ``min <= points < max``, the top band including its
max (``bands_on: points``). Putting each edge at the midpoint between the last attainable total of
one range and the first of the next (4.5 between PHQ-9's 4 and 5) chooses the same
band as the source for every total the instrument can give, and stays right when the totals carry
float rounding (a total of 20.999999999 still falls below 21.5, where an edge at 21 would not).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence

import attrs

from weltoffen.model.dimensions import Band

__all__ = ["ClosedRange", "bands_from_ranges"]


@attrs.frozen(kw_only=True)
class ClosedRange:
    """A band as a source states it: totals from *low* to *high*, both included."""

    id: str
    low: float
    high: float
    label: Mapping[str, str] = attrs.field(factory=dict)
    feedback: Mapping[str, str] = attrs.field(factory=dict)

    def __str__(self) -> str:
        return f"{self.id!r} ({_number(self.low)}-{_number(self.high)})"


def bands_from_ranges(
    ranges: Sequence[ClosedRange], attainable: Iterable[float]
) -> tuple[Band, ...]:
    """Half-open bands on points that choose, for every attainable total, the range holding it.

    The first band starts at the lowest attainable total and the last ends at the highest (which
    it includes); every other edge lies midway between consecutive attainable totals.

    Args:
        ranges: The source's bands, in any order.
        attainable: Every total the instrument can give.

    Returns:
        The bands, from the lowest up.

    Raises:
        ValueError: A range is reversed or holds no attainable total, two ranges overlap, an
            attainable total lies in no range, or fewer than two totals are attainable; the
            message names the ranges concerned.
    """
    totals = sorted(set(attainable))
    if len(totals) < 2:
        raise ValueError(
            f"bands need at least two attainable totals (got {[_number(t) for t in totals]})"
        )
    ordered = sorted(ranges, key=lambda r: (r.low, r.high))
    if not ordered:
        raise ValueError("there are no ranges to turn into bands")
    problems: list[str] = []
    for r in ordered:
        if not r.low <= r.high:
            problems.append(f"range {r} ends below its start")
    for before, after in itertools.pairwise(ordered):
        if after.low <= before.high:
            problems.append(f"ranges {before} and {after} overlap")
    if problems:
        raise ValueError("; ".join(problems))
    members: list[list[float]] = [[] for _ in ordered]
    outside: list[float] = []
    for total in totals:
        home = next((i for i, r in enumerate(ordered) if r.low <= total <= r.high), None)
        if home is None:
            outside.append(total)
        else:
            members[home].append(total)
    for total in outside:
        below = [r for r in ordered if r.high < total]
        above = [r for r in ordered if r.low > total]
        where = (
            f"between ranges {below[-1]} and {above[0]}"
            if below and above
            else f"below the lowest range {above[0]}"
            if above
            else f"above the highest range {below[-1]}"
        )
        problems.append(f"the attainable total {_number(total)} lies in no range ({where})")
    for r, held in zip(ordered, members, strict=True):
        if not held:
            problems.append(f"range {r} holds no attainable total")
    if problems:
        raise ValueError("; ".join(problems))
    edges = [totals[0]]
    edges += [(held[-1] + after[0]) / 2 for held, after in itertools.pairwise(members)]
    edges.append(totals[-1])
    return tuple(
        Band(
            id=r.id,
            min=edges[i],
            max=edges[i + 1],
            label=dict(r.label),
            feedback=dict(r.feedback),
        )
        for i, r in enumerate(ordered)
    )


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)
