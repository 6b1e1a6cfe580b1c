"""Data-quality flags over a set of responses: what looks wrong, where, and by how much.

Four kinds of flag, each with the figure that raised it and the threshold it crossed:

``reverse_keying``
    An item correlates negatively with the rest of its dimension (item–rest correlation below
    ``max_item_rest``): it probably measures the opposite direction, so its reverse key is missing
    (or declared where it should not be).
``straight_lining``
    A respondent gave the same option to every answered ordinal item of a dimension, with at least
    ``straight_min_items`` of them. Reported for the largest such dimension only.
``low_coverage``
    A respondent's coverage of a dimension (answered weight / applicable weight) is below
    ``min_coverage``.
``dont_know_rate``
    The share of "don't know" among the respondents a question applied to exceeds
    ``max_dont_know``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import attrs

from weltoffen._fields import checked
from weltoffen.analysis.reliability import (
    ItemTable,
    ReliabilityReport,
    assess_reliability,
    item_table,
)
from weltoffen.exceptions import Location
from weltoffen.model.answers import Response, State
from weltoffen.model.queries import dimension_locations
from weltoffen.model.questions import ScaleQuestion
from weltoffen.scoring.plan import ScoringPlan
from weltoffen.scoring.results import Result

__all__ = ["Flag", "FlagKind", "QualityReport", "QualitySettings", "check_quality"]

FlagKind = Literal["reverse_keying", "straight_lining", "low_coverage", "dont_know_rate"]


@attrs.frozen(kw_only=True, field_transformer=checked)
class QualitySettings:
    """Thresholds of the data-quality flags.

    Attributes:
        max_item_rest: Flag items whose item–rest correlation is below this (default 0).
        straight_min_items: Fewest answered ordinal items for straight-lining to count (default 5).
        min_coverage: Flag respondent × dimension coverage below this (default 0.5).
        max_dont_know: Flag questions whose don't-know share is above this (default 0.25).
    """

    max_item_rest: float = 0.0
    straight_min_items: int = 5
    min_coverage: float = 0.5
    max_dont_know: float = 0.25


@attrs.frozen(kw_only=True)
class Flag:
    """One data-quality finding.

    Attributes:
        kind: What was found.
        message: The finding in one sentence.
        value: The figure that raised the flag (a correlation, item count, coverage or share).
        threshold: The limit it crossed.
        dimension: The dimension concerned (``None`` for the overall score or a single question).
        question: The question concerned, if any.
        respondent: The respondent concerned, if any.
    """

    kind: FlagKind
    message: str
    value: float
    threshold: float
    dimension: str | None = None
    question: str | None = None
    respondent: str | None = None


@attrs.frozen(kw_only=True)
class QualityReport:
    """All flags over one set of responses, with the thresholds used.

    Attributes:
        instrument: The questionnaire id; ``version`` its version.
        respondents: How many responses were checked.
        settings: The thresholds.
        flags: The findings: reverse keying, straight-lining, low coverage, don't-know rates.
    """

    instrument: str
    version: str
    respondents: int
    settings: QualitySettings
    flags: tuple[Flag, ...]

    def of_kind(self, kind: FlagKind) -> tuple[Flag, ...]:
        """The flags of one kind."""
        return tuple(f for f in self.flags if f.kind == kind)


def check_quality(
    plan: ScoringPlan,
    responses: Iterable[Response | Result] | ItemTable,
    *,
    settings: QualitySettings | None = None,
    reliability: ReliabilityReport | None = None,
) -> QualityReport:
    """Flag likely reverse-keying errors, straight-lining, low coverage and frequent don't-knows.

    Args:
        plan: From :func:`weltoffen.compile`.
        responses: The responses (or traced results, or an :class:`ItemTable` of them).
        settings: Thresholds (default: :class:`QualitySettings` defaults).
        reliability: A reliability report of the same responses, to avoid computing it twice.

    Returns:
        The flags in a fixed order: by kind, then in questionnaire and respondent order.

    Raises:
        ResponseError: A response does not fit the questionnaire.
    """
    settings = settings or QualitySettings()
    table = responses if isinstance(responses, ItemTable) else item_table(plan, responses)
    reliability = reliability or assess_reliability(plan, table)
    flags = [
        *_reverse_keying(reliability, settings),
        *_straight_lining(table, settings),
        *_low_coverage(table, settings),
        *_dont_know(table, settings),
    ]
    q = plan.questionnaire
    return QualityReport(
        instrument=q.id,
        version=q.version,
        respondents=len(table.results),
        settings=settings,
        flags=tuple(flags),
    )


def _reverse_keying(report: ReliabilityReport, settings: QualitySettings) -> list[Flag]:
    flags = []
    for dim in report.dimensions:
        for item in dim.items:
            if item.r_drop is not None and item.r_drop < settings.max_item_rest:
                hint = (
                    "its declared reverse key may be wrong"
                    if item.reverse
                    else "it may need reverse keying"
                )
                flags.append(
                    Flag(
                        kind="reverse_keying",
                        message=(
                            f"item {item.question!r} correlates {item.r_drop:.2f} with the rest of "
                            f"{dim.dimension!r}: {hint}"
                        ),
                        value=item.r_drop,
                        threshold=settings.max_item_rest,
                        dimension=dim.dimension,
                        question=item.question,
                    )
                )
    return flags


def _straight_lining(table: ItemTable, settings: QualitySettings) -> list[Flag]:
    plan = table.plan
    ordinal = {
        qp.question.id
        for qp in plan.questions
        if isinstance(qp.question, ScaleQuestion) and qp.counts
    }
    # Depth first, so a flagged dimension can silence its sub-dimensions (they add nothing).
    dims = [(path, d.id) for path, d in dimension_locations(plan.questionnaire)]
    members = {dim: [q for q in table.questions_of(dim) if q in ordinal] for _, dim in dims}
    flags = []
    for result, items in zip(table.results, table.items):
        flagged: list[Location] = []
        for path, dim in dims:
            if any(path[: len(done)] == done for done in flagged):
                continue
            answers = [
                str(entry.value)
                for q in members[dim]
                if (entry := items.get(q)) is not None and entry.state is State.ANSWERED
            ]
            if len(answers) >= settings.straight_min_items and len(set(answers)) == 1:
                flagged.append(path)
                flags.append(
                    Flag(
                        kind="straight_lining",
                        message=(
                            f"respondent {result.respondent!r} chose {answers[0]!r} for all "
                            f"{len(answers)} answered ordinal items of {dim!r}"
                        ),
                        value=float(len(answers)),
                        threshold=float(settings.straight_min_items),
                        dimension=dim,
                        respondent=result.respondent,
                    )
                )
    return flags


def _low_coverage(table: ItemTable, settings: QualitySettings) -> list[Flag]:
    flags = []
    for result in table.results:
        entries: list[tuple[str | None, float | None]] = [(None, result.coverage)]
        entries.extend((d.id, d.coverage) for d in result.iter_dimensions())
        for dim, coverage in entries:
            if coverage is not None and coverage < settings.min_coverage:
                where = "overall" if dim is None else f"of {dim!r}"
                flags.append(
                    Flag(
                        kind="low_coverage",
                        message=(
                            f"respondent {result.respondent!r} covers {coverage:.0%} {where} "
                            f"(minimum {settings.min_coverage:.0%})"
                        ),
                        value=coverage,
                        threshold=settings.min_coverage,
                        dimension=dim,
                        respondent=result.respondent,
                    )
                )
    return flags


def _dont_know(table: ItemTable, settings: QualitySettings) -> list[Flag]:
    flags = []
    for qp in table.plan.questions:
        question = qp.question
        if not (qp.counts and question.dont_know):
            continue
        states = [
            entry.state
            for items in table.items
            if (entry := items.get(question.id)) is not None
            and entry.state not in (State.HIDDEN, State.NOT_APPLICABLE)
        ]
        if not states:
            continue
        share = sum(1 for s in states if s is State.DONT_KNOW) / len(states)
        if share > settings.max_dont_know:
            flags.append(
                Flag(
                    kind="dont_know_rate",
                    message=(
                        f"question {question.id!r}: {share:.0%} of the {len(states)} respondents "
                        f'it applied to answered "don\'t know"'
                    ),
                    value=share,
                    threshold=settings.max_dont_know,
                    question=question.id,
                )
            )
    return flags
