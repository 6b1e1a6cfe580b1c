"""What the cohort report shows: frozen views of a comparison in one language.

:func:`weltoffen.reports.cohort.build_cohort_document` fills them; the renderers
(:mod:`weltoffen.reports.cohort_html`, :mod:`weltoffen.reports.cohort_markdown`) only read them.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from weltoffen.reports.numbers import number, signed_number
from weltoffen.translations import percent

__all__ = [
    "Cell",
    "ChangeRow",
    "ChangeSection",
    "CohortDocument",
    "Distribution",
    "GroupBlock",
    "GroupRow",
    "HeatmapView",
    "ItemRow",
    "MemberRow",
    "NotCarriedRow",
    "RoundRow",
    "StepBlock",
]


@attrs.frozen(kw_only=True)
class Distribution:
    """One dimension's scores over the cohort, as the comparison summarised them.

    Attributes:
        id: The dimension id (the instrument id for the overall result).
        title: Its title; depth 0 overall, 1 a field, 2 a topic within a field.
        n, missing, median, q1, q3, low, high: From the summary (``None`` when suppressed).
        suppressed: Whether the figures are withheld.
    """

    id: str
    title: str
    depth: int
    n: int | None = None
    missing: int | None = None
    median: float | None = None
    q1: float | None = None
    q3: float | None = None
    low: float | None = None
    high: float | None = None
    suppressed: bool = False


@attrs.frozen(kw_only=True)
class Cell:
    """A member's score in one dimension, with its band and rank.

    Attributes:
        score: 0..100 (``None``: not assessable or not applicable).
        band: The band's label; color its colour (grey without a band).
        rank: The rank in the cohort (``None`` without a score or when suppressed).
    """

    score: float | None
    band: str | None
    color: str
    rank: int | None


@attrs.frozen(kw_only=True)
class MemberRow:
    """One member: its name and its cells (overall first, then one per field)."""

    respondent: str
    name: str
    overall: Cell
    fields: tuple[Cell, ...]


@attrs.frozen(kw_only=True)
class GroupRow:
    """One peer group.

    Attributes:
        label: The group's values in words ("Landkreis").
        n: Its size (``None`` when suppressed).
        suppressed: Whether the group is too small to be shown.
        medians: Median per column (overall, then each field); ``None`` where the group's
            figure for that column is suppressed.
    """

    label: str
    n: int | None
    suppressed: bool
    medians: tuple[float | None, ...] = ()


@attrs.frozen(kw_only=True)
class GroupBlock:
    """The peer groups formed by one set of metadata keys ("Art der Kommune")."""

    title: str
    rows: tuple[GroupRow, ...]


@attrs.frozen(kw_only=True)
class ItemRow:
    """A question with its don't-know rate.

    Attributes:
        question: The question id; text its wording.
        field: Title of the field holding it; topic the sub-topic's title, when not the field.
        rate: Share of members asked who answered "don't know", 0..1.
        dont_know: How many did; shown how many were asked.
    """

    question: str
    text: str
    field: str
    topic: str | None
    rate: float
    dont_know: int
    shown: int


@attrs.frozen(kw_only=True)
class HeatmapView:
    """The item matrix, ordered for display.

    Attributes:
        rows: Member names, in the order of the member table.
        columns: Question ids, in questionnaire order.
        values: One row per member, cells 0..100 or ``None``.
        groups: Consecutive columns per field, as (field title, number of columns).
    """

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    values: tuple[tuple[float | None, ...], ...]
    groups: tuple[tuple[str, int], ...]


@attrs.frozen(kw_only=True)
class ChangeRow:
    """One dimension's change from one round to the next, as the comparison summarised it.

    Attributes:
        id: The dimension id (the instrument id for the overall result).
        title: Its title; depth 0 overall, 1 a field, 2 a topic within a field.
        n, missing, median, q1, q3, low, high: Of the changes (``None`` when suppressed).
        improved, worsened, unchanged: How many members rose, fell or stayed (``None`` when
            suppressed).
        suppressed: Whether the figures are withheld.
    """

    id: str
    title: str
    depth: int
    n: int | None = None
    missing: int | None = None
    median: float | None = None
    q1: float | None = None
    q3: float | None = None
    low: float | None = None
    high: float | None = None
    improved: int | None = None
    worsened: int | None = None
    unchanged: int | None = None
    suppressed: bool = False

    @property
    def box(self) -> tuple[float, float, float, float, float] | None:
        """(low, q1, median, q3, high) for a chart; ``None`` when withheld."""
        five = (self.low, self.q1, self.median, self.q3, self.high)
        if self.suppressed or any(v is None for v in five):
            return None
        low, q1, median, q3, high = (float(v or 0.0) for v in five)
        return low, q1, median, q3, high


@attrs.frozen(kw_only=True)
class NotCarriedRow:
    """Answers of one question the crosswalks did not carry as they were.

    Attributes:
        question: The question id; meaning what happened, in words.
        count: How many members it concerns.
    """

    question: str
    meaning: str
    count: int


@attrs.frozen(kw_only=True)
class RoundRow:
    """One round of the cohort.

    Attributes:
        number: Its place, 1 the oldest; label its file.
        dates: Its earliest to latest date ("2024-02-03 – 2024-11-27"), ``None`` without dates.
        version: The version it was answered to.
        n: Its members.
        not_carried: What the crosswalks could not carry to the version scored.
    """

    number: int
    label: str
    dates: str | None
    version: str | None
    n: int
    not_carried: tuple[NotCarriedRow, ...] = ()


@attrs.frozen(kw_only=True)
class StepBlock:
    """The change from one round to the next.

    Attributes:
        title: "Round 1 → Round 2" in the document's language.
        matched: Members in both rounds; only_before and only_after those in one of them.
        rows: Overall, then every dimension depth first.
    """

    title: str
    matched: int
    only_before: int
    only_after: int
    rows: tuple[ChangeRow, ...]

    @property
    def fields(self) -> tuple[ChangeRow, ...]:
        """The overall result and the top-level fields (the chart's rows)."""
        return tuple(r for r in self.rows if r.depth <= 1)


@attrs.frozen(kw_only=True)
class ChangeSection:
    """The cohort over several rounds.

    Attributes:
        version: The version every round is scored under.
        ordered_by_date: Whether the rounds are ordered by the members' dates (else as given).
        rounds: Oldest first.
        steps: One per pair of consecutive rounds.
    """

    version: str
    ordered_by_date: bool
    rounds: tuple[RoundRow, ...]
    steps: tuple[StepBlock, ...]


@attrs.frozen(kw_only=True)
class CohortDocument:
    """Everything the cohort report shows, in one language.

    Attributes:
        lang: The language; labels the report's words in it.
        title: The instrument's title; instrument and version its id and version.
        size: Members in the cohort; min_group the suppression threshold.
        suppressed: Whether fewer than *min_group* members have an overall score (then the
            member table and heatmap are left out).
        distributions: Overall, then every dimension depth first.
        columns: Titles of the member and group table columns (overall, then the fields).
        members: One row per member: by name, or with ``ranked`` best overall result first.
        ranked: Whether the members carry their ranks (``--ranks``).
        groups: Peer groups, one block per grouping.
        items: The questions most often answered "don't know", highest rate first.
        heatmap: The item matrix (``None`` without traced results or when suppressed).
        band_legend: The overall bands as (label, colour), lowest first.
        notes: Remarks of the comparison (what could not be computed).
        fingerprint: The fingerprint of what decided the members' scores
            (:func:`weltoffen.versions.fingerprint`).
        change: The change between rounds (``None`` with one round).
    """

    lang: str
    labels: Mapping[str, str]
    title: str
    instrument: str
    version: str
    size: int
    min_group: int
    suppressed: bool
    distributions: tuple[Distribution, ...]
    columns: tuple[str, ...]
    members: tuple[MemberRow, ...]
    ranked: bool
    groups: tuple[GroupBlock, ...]
    items: tuple[ItemRow, ...]
    heatmap: HeatmapView | None
    band_legend: tuple[tuple[str, str], ...]
    notes: tuple[str, ...] = ()
    fingerprint: str | None = None
    change: ChangeSection | None = None

    def number(self, value: float, digits: int = 1) -> str:
        """*value* formatted for this document's language."""
        return number(value, self.lang, digits)

    def signed(self, value: float) -> str:
        """A change formatted for this document's language, with its sign ("+2,5", "−1,0")."""
        return signed_number(value, self.lang)

    def percent(self, share: float) -> str:
        """A share 0..1 as a whole percentage ("87 %")."""
        return percent(share, self.lang)

    def text(self, key: str) -> str:
        """The label *key* with the minimum group size filled in."""
        return self.labels[key].format(n=self.min_group)

    @property
    def fields(self) -> tuple[Distribution, ...]:
        """The overall result and the top-level fields (the chart's rows)."""
        return tuple(d for d in self.distributions if d.depth <= 1)
