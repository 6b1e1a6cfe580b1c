"""The JSON of a cohort comparison (``weltoffen cohort --format json``) as typed views.

Each class here is one object of the documented JSON (``docs/cli.md``, "cohort"): its plain
form (:func:`weltoffen.result_format.plain`) is that object, and the published JSON Schema of
results is generated from these classes. Suppressed figures have classes of their own, so that a
suppressed group or dimension has no field that could carry a withheld figure.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs

from weltoffen._frozen import freeze
from weltoffen.analysis._tables import titles_by_id
from weltoffen.analysis.cohort import Cohort, ItemMatrix, ItemStats, Position, Summary
from weltoffen.analysis.cohort_change import ChangeSummary, CohortChange
from weltoffen.analysis.normalise import NORMALISATIONS, Normalisation, NormalisedCohort
from weltoffen.model.answers import MetaValue
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.result_format import OMITTED_WHEN_NONE, RESULT_FORMAT
from weltoffen.versions.migrate import NOTE_CODES

__all__ = [
    "ChangeStepView",
    "ChangeSummaryView",
    "ChangeView",
    "CohortResultView",
    "GroupView",
    "ItemStatsView",
    "MethodsView",
    "NormalisationMethodView",
    "NormalisedDimensionView",
    "NormalisedMemberView",
    "NormalisedView",
    "NotCarriedView",
    "RoundView",
    "SummaryView",
    "SuppressedDimensionView",
    "SuppressedGroupView",
    "describe_change",
    "describe_cohort",
    "describe_normalised",
]


@attrs.frozen(kw_only=True)
class SummaryView:
    """The distribution of one dimension's scores over a set of members.

    Attributes:
        id: The dimension id; the instrument id for the overall score.
        depth: 0 for the overall score, 1 for top-level dimensions, 2 below them, ...
        title: The dimension's title (only when the questionnaire is known).
        n: Members with a score.
        missing: Members without a score.
        mean: Mean of the scores (``None`` without scores); likewise ``median``, ``q1``, ``q3``,
            ``min`` and ``max``.
        members: Each member's score, rank and percentile, in input order.
    """

    id: str
    depth: int
    title: str | None = attrs.field(default=None, metadata=OMITTED_WHEN_NONE)
    n: int | None
    missing: int | None
    mean: float | None
    median: float | None
    q1: float | None
    q3: float | None
    min: float | None
    max: float | None
    members: tuple[Position, ...]


@attrs.frozen(kw_only=True)
class SuppressedDimensionView:
    """A dimension whose figures (summaries or normalised values) are withheld because too few
    members have a score.

    Attributes:
        id: The dimension id; the instrument id for the overall score.
        depth: 0 for the overall score, 1 for top-level dimensions, 2 below them, ...
        title: The dimension's title (only when the questionnaire is known).
        suppressed: Always true.
        note: Why the figures are withheld.
    """

    id: str
    depth: int
    title: str | None = attrs.field(default=None, metadata=OMITTED_WHEN_NONE)
    suppressed: Literal[True]
    note: str | None


@attrs.frozen(kw_only=True)
class GroupView:
    """A peer group: the members sharing metadata values, with its own summaries.

    Attributes:
        keys: The metadata keys that form the group.
        values: The shared values, one per key (``None``: the key is missing).
        label: Keys and values joined (``type=landkreis``).
        n: Number of members.
        members: The members' ids.
        dimensions: Per dimension, as for the whole cohort.
    """

    keys: tuple[str, ...]
    values: tuple[MetaValue, ...]
    label: str
    n: int | None
    members: tuple[str, ...]
    dimensions: tuple[SummaryView | SuppressedDimensionView, ...]


@attrs.frozen(kw_only=True)
class SuppressedGroupView:
    """A peer group with fewer members than the minimum: only its name is shown.

    Attributes:
        keys: The metadata keys that form the group.
        values: The shared values, one per key (``None``: the key is missing).
        label: Keys and values joined (``type=landkreis``).
        suppressed: Always true.
        note: Why the figures are withheld.
    """

    keys: tuple[str, ...]
    values: tuple[MetaValue, ...]
    label: str
    suppressed: Literal[True]
    note: str | None


@attrs.frozen(kw_only=True)
class ItemStatsView(ItemStats):
    """How the cohort answered one question.

    Attributes:
        text: The question's text (only when the questionnaire is known).
    """

    text: str | None = attrs.field(default=None, metadata=OMITTED_WHEN_NONE)


@attrs.frozen(kw_only=True)
class MethodsView:
    """The statistical methods used, in words.

    Attributes:
        quantiles: How quartiles are computed.
        percentile: How percentile ranks are computed.
        rank: How ranks are given.
    """

    quantiles: str
    percentile: str
    rank: str


@attrs.frozen(kw_only=True)
class NormalisationMethodView:
    """The normalisation method used.

    Attributes:
        name: Its registered name (``None`` for a method of one's own).
        parameters: Its parameters by name.
        description: What it computes, in words.
    """

    name: str | None
    parameters: Mapping[str, Any] = attrs.field(converter=freeze)
    description: str


@attrs.frozen(kw_only=True)
class NormalisedMemberView:
    """One member's score and its normalised value.

    Attributes:
        respondent: The member.
        score: Its score 0..100 (``None`` without a score).
        value: The normalised value (``None`` without a score, or when the method is undefined).
    """

    respondent: str
    score: float | None
    value: float | None


@attrs.frozen(kw_only=True)
class NormalisedDimensionView:
    """One dimension's normalised values and the cohort statistics they rest on.

    Attributes:
        id: The dimension id; the instrument id for the overall score.
        depth: 0 for the overall score, 1 for top-level dimensions, 2 below them, ...
        title: The dimension's title (only when the questionnaire is known).
        n: Members with a score.
        missing: Members without a score.
        min: Lowest score; ``max`` the highest, ``mean`` their mean.
        sd: Sample standard deviation of the scores (``None`` for a single score).
        note: Why values are missing, when they are.
        members: Each member's score and normalised value, in the cohort's order.
    """

    id: str
    depth: int
    title: str | None = attrs.field(default=None, metadata=OMITTED_WHEN_NONE)
    n: int | None
    missing: int | None
    min: float | None
    max: float | None
    mean: float | None
    sd: float | None
    note: str | None
    members: tuple[NormalisedMemberView, ...]


@attrs.frozen(kw_only=True)
class NormalisedView:
    """A cohort's scores, normalised by one method.

    Attributes:
        method: The method used.
        min_group: The minimum number of scored members below which values are withheld.
        respondents: The members, in input order.
        dimensions: Per dimension: overall first, then depth first.
    """

    method: NormalisationMethodView
    min_group: int
    respondents: tuple[str, ...]
    dimensions: tuple[NormalisedDimensionView | SuppressedDimensionView, ...]


@attrs.frozen(kw_only=True)
class ChangeSummaryView:
    """The distribution of one dimension's change from one round to the next.

    Attributes:
        id: The dimension id; the instrument id for the overall score.
        depth: 0 for the overall score, 1 for top-level dimensions, 2 below them, ...
        title: The dimension's title (only when the questionnaire is known).
        n: Members with a change (a score in both rounds).
        missing: Members of the later round without a change.
        mean: Mean change, later minus earlier score; likewise ``median``, ``q1``, ``q3``,
            ``min`` and ``max``.
        improved: Members whose score rose; ``worsened`` fell; ``unchanged`` stayed.
    """

    id: str
    depth: int
    title: str | None = attrs.field(default=None, metadata=OMITTED_WHEN_NONE)
    n: int | None
    missing: int | None
    mean: float | None
    median: float | None
    q1: float | None
    q3: float | None
    min: float | None
    max: float | None
    improved: int | None
    worsened: int | None
    unchanged: int | None


@attrs.frozen(kw_only=True)
class NotCarriedView:
    """Answers of one question that the crosswalks did not carry as they were.

    Attributes:
        question: The question (its old id, or the new one for an added question).
        code: What happened (a code of :data:`weltoffen.versions.migrate.NOTE_CODES`).
        meaning: The code in words.
        respondents: The members concerned.
    """

    question: str
    code: str
    meaning: str
    respondents: tuple[str, ...]


@attrs.frozen(kw_only=True)
class RoundView:
    """One round of the cohort.

    Attributes:
        label: How it was given (its file).
        first: The earliest ``date`` of its members (``None`` unless every member has one);
            ``last`` the latest.
        version: The version its responses were answered to.
        n: Its members.
        not_carried: What the crosswalks could not carry to the version scored.
    """

    label: str
    first: str | None
    last: str | None
    version: str | None
    n: int
    not_carried: tuple[NotCarriedView, ...]


@attrs.frozen(kw_only=True)
class ChangeStepView:
    """The change from one round to the next.

    Attributes:
        before: The earlier round's label; ``after`` the later one's.
        matched: Members in both rounds.
        only_before: Members of the earlier round only; ``only_after`` of the later one only
            (they count as missing).
        dimensions: The distribution of change per dimension: overall first, then depth first.
    """

    before: str
    after: str
    matched: int
    only_before: int
    only_after: int
    dimensions: tuple[ChangeSummaryView | SuppressedDimensionView, ...]


@attrs.frozen(kw_only=True)
class ChangeView:
    """The cohort over several rounds (``--earlier``).

    Attributes:
        min_group: The fewest members with a change a figure may rest on.
        ordered_by_date: Whether the rounds are ordered by the dates of their members (else
            as given, the current round last).
        rounds: The rounds, oldest first, all scored under the current version.
        steps: The change between each pair of consecutive rounds.
    """

    min_group: int
    ordered_by_date: bool
    rounds: tuple[RoundView, ...]
    steps: tuple[ChangeStepView, ...]


@attrs.frozen(kw_only=True)
class CohortResultView:
    """The comparison of a cohort, as ``weltoffen cohort --format json`` writes it.

    Attributes:
        result_format: The version of the JSON result format.
        instrument: The questionnaire id.
        n: Number of members.
        respondents: The members, in input order.
        min_group: The minimum number of scored members below which figures are withheld.
        methods: The statistical methods used.
        dimensions: Per dimension over the whole cohort: overall first, then depth first.
        groups: Peer groups, in the order the keys were given, values sorted.
        items: Per scored question (empty without traced results).
        heatmap: Item scores per member, for a heatmap (``None`` without traced results).
        notes: Remarks on what could not be computed.
        normalised: The members' scores normalised (only with ``--normalise``).
        change: The change between rounds (only with ``--earlier``).
    """

    result_format: str
    instrument: str
    n: int
    respondents: tuple[str, ...]
    min_group: int
    methods: MethodsView
    dimensions: tuple[SummaryView | SuppressedDimensionView, ...]
    groups: tuple[GroupView | SuppressedGroupView, ...]
    items: tuple[ItemStatsView, ...]
    heatmap: ItemMatrix | None
    notes: tuple[str, ...]
    normalised: NormalisedView | None = attrs.field(default=None, metadata=OMITTED_WHEN_NONE)
    change: ChangeView | None = attrs.field(default=None, metadata=OMITTED_WHEN_NONE)


def describe_cohort(
    cohort: Cohort, questionnaire: Questionnaire | None = None, language: str | None = None
) -> CohortResultView:
    """The comparison as its typed JSON view (titles and question texts added when known).

    Args:
        cohort: From :func:`~weltoffen.analysis.compare`.
        questionnaire: The instrument, to add titles and question texts.
        language: Language of those texts (default: the questionnaire's).
    """
    titles = titles_by_id(questionnaire, language)
    groups: list[GroupView | SuppressedGroupView] = []
    for g in cohort.groups:
        if g.suppressed:
            groups.append(
                SuppressedGroupView(
                    keys=g.keys, values=g.values, label=g.label, suppressed=True, note=g.note
                )
            )
        else:
            groups.append(
                GroupView(
                    keys=g.keys,
                    values=g.values,
                    label=g.label,
                    n=g.n,
                    members=g.members,
                    dimensions=tuple(_summary(s, titles) for s in g.summaries),
                )
            )
    return CohortResultView(
        result_format=RESULT_FORMAT,
        instrument=cohort.instrument,
        n=len(cohort.respondents),
        respondents=cohort.respondents,
        min_group=cohort.min_group,
        methods=MethodsView(
            quantiles=cohort.quantile_method,
            percentile=cohort.percentile_method,
            rank=cohort.rank_method,
        ),
        dimensions=tuple(_summary(s, titles) for s in cohort.summaries),
        groups=tuple(groups),
        items=tuple(
            ItemStatsView(**attrs.asdict(it, recurse=False), text=titles.get(it.question))
            for it in cohort.items
        ),
        heatmap=cohort.matrix,
        notes=cohort.notes,
    )


def _summary(s: Summary, titles: Mapping[str, str]) -> SummaryView | SuppressedDimensionView:
    if s.suppressed:
        return _suppressed(s, titles)
    return SummaryView(**_figures(s, titles), members=s.positions)


def _suppressed(s: Summary | ChangeSummary, titles: Mapping[str, str]) -> SuppressedDimensionView:
    return SuppressedDimensionView(
        id=s.dimension, depth=s.depth, title=titles.get(s.dimension), suppressed=True, note=s.note
    )


def _figures(s: Summary | ChangeSummary, titles: Mapping[str, str]) -> dict[str, Any]:
    """What scores and their changes are summarised by alike."""
    return {
        "id": s.dimension,
        "depth": s.depth,
        "title": titles.get(s.dimension),
        "n": s.n,
        "missing": s.missing,
        "mean": s.mean,
        "median": s.median,
        "q1": s.q1,
        "q3": s.q3,
        "min": s.min,
        "max": s.max,
    }


def describe_change(
    change: CohortChange, questionnaire: Questionnaire | None = None, language: str | None = None
) -> ChangeView:
    """The cohort over several rounds as its typed JSON view (titles added when known).

    Args:
        change: From :func:`~weltoffen.analysis.cohort_change`.
        questionnaire: The instrument (the version scored), to add dimension titles.
        language: Language of the titles (default: the questionnaire's).
    """
    titles = titles_by_id(questionnaire, language)
    return ChangeView(
        min_group=change.min_group,
        ordered_by_date=change.ordered_by_date,
        rounds=tuple(
            RoundView(
                label=r.label,
                first=r.first,
                last=r.last,
                version=r.version,
                n=r.n,
                not_carried=tuple(
                    NotCarriedView(
                        question=q, code=code, meaning=NOTE_CODES.get(code, code), respondents=who
                    )
                    for q, code, who in r.not_carried()
                ),
            )
            for r in change.rounds
        ),
        steps=tuple(
            ChangeStepView(
                before=step.before,
                after=step.after,
                matched=step.matched,
                only_before=step.only_before,
                only_after=step.only_after,
                dimensions=tuple(_change_summary(s, titles) for s in step.summaries),
            )
            for step in change.steps
        ),
    )


def _change_summary(
    s: ChangeSummary, titles: Mapping[str, str]
) -> ChangeSummaryView | SuppressedDimensionView:
    if s.suppressed:
        return _suppressed(s, titles)
    return ChangeSummaryView(
        **_figures(s, titles), improved=s.improved, worsened=s.worsened, unchanged=s.unchanged
    )


def describe_normalised(
    cohort: NormalisedCohort,
    questionnaire: Questionnaire | None = None,
    language: str | None = None,
) -> NormalisedView:
    """The normalised cohort as its typed JSON view (titles added when known).

    Args:
        cohort: From :func:`~weltoffen.analysis.normalise_cohort`.
        questionnaire: The instrument, to add dimension titles.
        language: Language of the titles (default: the questionnaire's).
    """
    titles = titles_by_id(questionnaire, language)
    method = cohort.method
    cls = type(method)  # a method that is not an attrs class lists no parameters
    fields = attrs.fields(cls) if attrs.has(cls) else ()
    dims: list[NormalisedDimensionView | SuppressedDimensionView] = []
    for d in cohort.dimensions:
        title = titles.get(d.dimension)
        if d.suppressed:
            dims.append(
                SuppressedDimensionView(
                    id=d.dimension, depth=d.depth, title=title, suppressed=True, note=d.note
                )
            )
            continue
        members = tuple(
            NormalisedMemberView(respondent=who, score=s, value=v)
            for who, s, v in zip(cohort.respondents, d.scores, d.values)
        )
        dims.append(
            NormalisedDimensionView(
                id=d.dimension,
                depth=d.depth,
                title=title,
                n=d.n,
                missing=d.missing,
                min=d.min,
                max=d.max,
                mean=d.mean,
                sd=d.sd,
                note=d.note,
                members=members,
            )
        )
    return NormalisedView(
        method=NormalisationMethodView(
            name=_name_of(method),
            parameters={f.name: getattr(method, f.name) for f in fields},
            description=cohort.description,
        ),
        min_group=cohort.min_group,
        respondents=cohort.respondents,
        dimensions=tuple(dims),
    )


def _name_of(method: Normalisation) -> str | None:
    for name, cls in NORMALISATIONS.items():
        if type(method) is cls:
            return name
    return None
