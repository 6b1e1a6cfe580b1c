"""What the cohort report shows: frozen views of a comparison in one language.

:func:`weltoffen.reports.cohort.build_cohort_document` fills them; the renderers
(:mod:`weltoffen.reports.cohort_html`, :mod:`weltoffen.reports.cohort_markdown`) only read them.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from weltoffen.reports.numbers import number
from weltoffen.translations import percent

__all__ = [
    "Cell",
    "CohortDocument",
    "Distribution",
    "GroupBlock",
    "GroupRow",
    "HeatmapView",
    "ItemRow",
    "MemberRow",
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

    def number(self, value: float, digits: int = 1) -> str:
        """*value* formatted for this document's language."""
        return number(value, self.lang, digits)

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
