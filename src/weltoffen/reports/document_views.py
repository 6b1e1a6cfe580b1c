"""What a single report shows: frozen views of one respondent's result in one language.

:func:`weltoffen.reports.document.build_document` fills them; the renderers
(:mod:`weltoffen.reports.html`, :mod:`weltoffen.reports.markdown`) only read them.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from weltoffen.reports.colors import NO_BAND
from weltoffen.reports.numbers import number
from weltoffen.translations import percent

__all__ = [
    "BandView",
    "ChangeView",
    "CohortView",
    "FieldView",
    "IntervalView",
    "ItemView",
    "ReportDocument",
    "SensitivityView",
    "WhatIfView",
]


@attrs.frozen(kw_only=True)
class BandView:
    """A band as shown: label, feedback, suggestions and its colour."""

    id: str
    label: str
    feedback: str
    suggestions: tuple[str, ...]
    color: str


@attrs.frozen(kw_only=True)
class ItemView:
    """A question with its answer, as listed among strengths, weaknesses or open items.

    Attributes:
        question: The question id.
        text: The question in the report's language.
        answer: The answer as words ("Largely in place"), or the state ("don't know").
        score: The item's score 0..100, when it has one.
        topic: Title of the sub-topic holding the question, when it is not the field itself.
    """

    question: str
    text: str
    answer: str
    score: float | None = None
    topic: str | None = None


@attrs.frozen(kw_only=True)
class ChangeView:
    """One alternative answer and its gains in points (0..100 scale)."""

    answer: str
    gain: float
    overall_gain: float | None
    field_score: float


@attrs.frozen(kw_only=True)
class WhatIfView:
    """A what-if entry: the question, its current answer and the better answers with gains."""

    question: str
    text: str
    current: str
    best: ChangeView
    steps: tuple[ChangeView, ...]
    topic: str | None = None


@attrs.frozen(kw_only=True)
class CohortView:
    """Where the respondent stands in the cohort for one score.

    Attributes:
        n: Cohort members with a score (``None`` when suppressed).
        median: Median score; q1 / q3 the first and third quartile; low / high the range.
        percentile: Share of members scoring lower, ties counted half, in percent (``None`` when
            the respondent has no score here).
        suppressed: ``True`` when fewer than the minimum group size have a score; the figures
            are then withheld (all zero, and not even the count is given).
    """

    n: int | None
    median: float
    q1: float
    q3: float
    low: float
    high: float
    percentile: float | None
    suppressed: bool = False


@attrs.frozen(kw_only=True)
class IntervalView:
    """How one score spreads when the methodological choices vary.

    Attributes:
        title: The field's title (the overall label for the overall result).
        nominal: The score under the instrument's own choices.
        median, low, high: Median and interval bounds over the variants (``None`` when no
            variant had a score).
        bands: (label, colour, share of variants) per band, lowest band first, only bands
            some variant reached.
        not_assessable: Share of variants without a score.
        color: The colour of the nominal score's band.
    """

    title: str
    nominal: float | None
    median: float | None
    low: float | None
    high: float | None
    bands: tuple[tuple[str, str, float], ...]
    not_assessable: float
    color: str


@attrs.frozen(kw_only=True)
class SensitivityView:
    """The sensitivity section: the analysis for this respondent, in the report's language.

    Attributes:
        rows: The overall result, then each field.
        intro: What the section shows, with the number of draws and the seed.
        interval: The interval's name ("5–95 %").
        caption: The chart's caption.
        varied: What was varied, one sentence per choice, in the report's language.
        details: Draws, seed and evaluations in words.
        rank: The rank interval in words (``None`` without a cohort).
    """

    rows: tuple[IntervalView, ...]
    intro: str
    interval: str
    caption: str
    varied: tuple[str, ...]
    details: str
    rank: str | None = None


@attrs.frozen(kw_only=True)
class FieldView:
    """One dimension (or the overall result), ready to show.

    Attributes:
        id: The dimension id (the instrument id for the overall result).
        title: Its title; description its longer explanation.
        score: 0..100, ``None`` when not assessable or not applicable.
        band: The band the score falls in, with its texts.
        coverage: Answered share of the applicable weight, 0..1.
        status: Words for a missing score ("not assessable"), else ``None``.
        counts: Questions per answer state, as (words, count), only states that occur.
        strongest / weakest / open / what_if: From the advice, with question texts.
        evidence: Free-text answers held directly or below, as (question text, answer).
        subtopics: The child dimensions.
        cohort: The cohort position, when a cohort was given.
        peers: The position among the peers (the members like the respondent), when there are
            any.
    """

    id: str
    title: str
    description: str
    score: float | None
    band: BandView | None
    coverage: float | None
    status: str | None
    counts: tuple[tuple[str, int], ...] = ()
    strongest: tuple[ItemView, ...] = ()
    weakest: tuple[ItemView, ...] = ()
    open: tuple[ItemView, ...] = ()
    what_if: tuple[WhatIfView, ...] = ()
    evidence: tuple[tuple[str, str], ...] = ()
    subtopics: tuple[FieldView, ...] = ()
    cohort: CohortView | None = None
    peers: CohortView | None = None

    @property
    def color(self) -> str:
        """The band colour (grey without a band)."""
        return self.band.color if self.band is not None else NO_BAND


@attrs.frozen(kw_only=True)
class ReportDocument:
    """Everything a report shows, in one language.

    Attributes:
        lang: The language of the texts.
        labels: The report's own words in that language.
        title: The instrument's title.
        instrument / version: The instrument id and version.
        fingerprint: The fingerprint of the scoring the result came from (``None``: unknown).
        respondent: The respondent id; name the display name (metadata ``name`` or the id).
        metadata: The respondent's other metadata, as (key, value) text pairs.
        overall: The overall result.
        fields: The top-level dimensions.
        band_legend: The overall bands, lowest first (label, colour, min, max), for charts.
        bands_on: What the legend's min and max are on: the 0..100 ``score`` or ``points`` (then
            charts of scores draw no band edges: points do not map onto the score axis).
        cohort_size: Number of results in the cohort, ``None`` without a cohort.
        peer_group: What the peers share with the respondent ("Kreisfreie Stadt, 100 000
            Einwohner und mehr"), ``None`` without peers.
    """

    lang: str
    labels: Mapping[str, str]
    title: str
    instrument: str
    version: str
    respondent: str
    name: str
    metadata: tuple[tuple[str, str], ...]
    overall: FieldView
    fields: tuple[FieldView, ...]
    band_legend: tuple[tuple[str, str, float, float], ...]
    cohort_size: int | None = None
    peer_group: str | None = None
    sensitivity: SensitivityView | None = None
    bands_on: str = "score"
    fingerprint: str | None = None

    def number(self, value: float, digits: int = 1) -> str:
        """*value* formatted for this document's language."""
        return number(value, self.lang, digits)

    def percent(self, share: float) -> str:
        """A share 0..1 as a whole percentage ("87 %")."""
        return percent(share, self.lang)
