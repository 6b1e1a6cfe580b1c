"""Building a report: one respondent's result and advice, resolved to one language.

Both renderers (:mod:`weltoffen.reports.html` and :mod:`weltoffen.reports.markdown`) read the
:class:`ReportDocument` built here. Nothing in this module computes a score: scores, bands and
coverage come from the :class:`~weltoffen.scoring.results.Result`, the item lists and gains from
the :class:`~weltoffen.analysis.advice.Advice`, cohort figures from
:func:`weltoffen.analysis.cohort.compare`.

The views themselves live in :mod:`weltoffen.reports.document_views`, the report's words in
:mod:`weltoffen.reports.texts`, numbers in :mod:`weltoffen.reports.numbers` and band colours in
:mod:`weltoffen.reports.colors`; the names this module always offered are re-exported here.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping, Sequence

from weltoffen.analysis.advice import Advice, Change, FieldAdvice, ItemNote, OpenItem, WhatIf
from weltoffen.analysis.cohort import Cohort, compare
from weltoffen.analysis.sensitivity import ScoreSummary, SensitivityReport
from weltoffen.exceptions import Problem, ProblemCode, ScoringError
from weltoffen.model.answers import AnswerValue, MetaValue, State
from weltoffen.model.dimensions import Band, Dimension, Suggestion
from weltoffen.model.queries import options_of
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import MultipleChoice, Numeric, Option, Question, TextQuestion, YesNo
from weltoffen.model.sheet_metadata import metadata_fields
from weltoffen.model.text import pick
from weltoffen.reports.colors import NO_BAND, band_color, rank_color
from weltoffen.reports.document_views import (
    BandView,
    ChangeView,
    CohortView,
    FieldView,
    IntervalView,
    ItemView,
    ReportDocument,
    SensitivityView,
    WhatIfView,
)
from weltoffen.reports.numbers import number, plain_number
from weltoffen.reports.texts import labels_for
from weltoffen.reports.varied import varied_sentences
from weltoffen.reports.views import BandLabelView, DimensionView, ResultView, result_view
from weltoffen.scoring.answers import yes_no
from weltoffen.scoring.plan import ScoringPlan
from weltoffen.scoring.results import Result, Status
from weltoffen.translations import day, grouped

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
    "band_color",
    "build_document",
    "number",
]

#: Maps the id of the dimension holding a question to a sub-topic title (``None``: the field).
_Topic = Callable[[str], "str | None"]

#: Fewest cohort members with a score before cohort figures are shown; smaller groups would
#: let readers infer single members' results.
MIN_COHORT = 5


def build_document(
    plan: ScoringPlan,
    result: Result,
    advice: Advice,
    *,
    lang: str | None = None,
    cohort: Sequence[Result] | None = None,
    min_cohort: int = MIN_COHORT,
    sensitivity: SensitivityReport | None = None,
) -> ReportDocument:
    """Resolve *result* and *advice* into one language, with cohort positions when given.

    The result's texts (titles, band labels, feedback, suggestions, free-text answers) come from
    :func:`~weltoffen.reports.views.result_view`, so the report shows what ``weltoffen score``
    shows; this adds answer labels, the advice and the cohort figures.

    Args:
        plan: The plan the result was scored with (for question texts and answer labels).
        result: The respondent's result, traced.
        advice: From :func:`weltoffen.analysis.advice.advise` for that result.
        lang: Language of the texts; default the questionnaire's language.
        cohort: Results of the comparison group. The respondent counts as a member: when no
            result in *cohort* has its id, *result* joins the group.
        min_cohort: Fewest scored members for cohort figures to be shown (smaller groups are
            suppressed, see :func:`weltoffen.analysis.cohort.compare`).
        sensitivity: From :func:`weltoffen.analysis.sensitivity.analyse_sensitivity` over
            responses that include this respondent; adds the sensitivity section.

    Returns:
        The document both renderers read.

    Raises:
        ScoringError: The result is of another questionnaire or carries no trace; the cohort
            mixes instruments or names a respondent twice; or the sensitivity analysis does
            not include the respondent.
    """
    if not result.traced:
        raise ScoringError(
            [
                Problem(
                    ProblemCode.NEEDS_TRACE,
                    "a report needs a traced result: score(plan, response, trace=True)",
                )
            ]
        )
    q = plan.questionnaire
    view = result_view(plan, result, lang)
    lang = view.language
    ctx = _Context(plan, lang, view, _item_scores(result))
    compared = peers = None
    peer_group = None
    if cohort is not None:
        members = list(cohort)
        if not any(r.respondent == result.respondent for r in members):
            members.append(result)
        compared = compare(members, min_group=min_cohort)
        found = _peers(ctx, result, members)
        if found is not None:
            peer_group, alike = found
            peers = compare(alike, min_group=min_cohort)
    fields = tuple(
        ctx.field(
            dim_view,
            advice.field(dim_view.id),
            _cohort_view(compared, dim_view.id, result.respondent),
            _cohort_view(peers, dim_view.id, result.respondent),
        )
        for dim_view in view.dimensions
    )
    overall = FieldView(
        id=q.id,
        title=view.title or q.id,
        description=ctx.text(q.description),
        score=view.score,
        band=ctx.band(view.band, q.bands),
        coverage=view.coverage,
        status=ctx.status(view.status.value),
        counts=ctx.counts(view.counts),
        cohort=_cohort_view(compared, q.id, result.respondent),
        peers=_cohort_view(peers, q.id, result.respondent),
    )
    meta = dict(result.metadata)
    name = meta.pop("name", None)
    legend = []
    for band in sorted(q.bands, key=lambda b: b.min):
        label = BandLabelView(
            id=band.id, label=ctx.text(band.label) or band.id, feedback="", suggestions=()
        )
        shown = ctx.band(label, q.bands)
        assert shown is not None
        legend.append((shown.label, shown.color, band.min, band.max))
    return ReportDocument(
        lang=lang,
        labels=ctx.labels,
        title=overall.title,
        instrument=q.id,
        version=q.version,
        fingerprint=result.fingerprint,
        respondent=result.respondent,
        name=str(name) if name not in (None, "") else result.respondent,
        metadata=_metadata(q, meta, lang),
        overall=overall,
        fields=fields,
        band_legend=tuple(legend),
        bands_on=q.bands_on,
        cohort_size=None if cohort is None else len(cohort),
        peer_group=peer_group,
        sensitivity=None
        if sensitivity is None
        else _sensitivity_view(ctx, sensitivity, result.respondent, overall, fields),
    )


def _metadata(
    questionnaire: Questionnaire, meta: Mapping[str, MetaValue], lang: str
) -> tuple[tuple[str, str], ...]:
    """Metadata as (label, value) text, with the labels and codes the answer sheets explain."""
    fields = {f.key: f for f in metadata_fields(questionnaire)}
    out = []
    for key, value in meta.items():
        field = fields.get(str(key))
        if field is None:
            out.append((str(key), _meta_text(value, lang)))
            continue
        # The sheets' labels may end in an entry hint ("(JJJJ-MM-TT)") a report does not need.
        label = re.sub(r"\s*\((JJJJ|YYYY)[^)]*\)$", "", pick(field.label, lang, "en")) or key
        codes = {code: pick(text, lang, "en") for code, text in field.values}
        shown = codes.get(str(value)) if isinstance(value, str) else None
        out.append((label, shown or _meta_text(value, lang)))
    return tuple(out)


def _meta_text(value: object, lang: str) -> str:
    if isinstance(value, bool):
        return labels_for(lang)["yes" if value else "no"]
    if isinstance(value, int) and abs(value) >= 10_000:
        return grouped(value, lang)
    if isinstance(value, float):
        return number(value, lang, 0 if value.is_integer() else 2)
    if isinstance(value, datetime.date):
        return day(value, lang)
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        # the answer sheets ask for days as YYYY-MM-DD; a reader gets them in their language
        try:
            return day(datetime.date.fromisoformat(value), lang)
        except ValueError:
            return value
    return str(value)


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class _Context:
    """Texts for one plan in one language: the result view's, plus question and answer texts."""

    def __init__(
        self,
        plan: ScoringPlan,
        lang: str,
        view: ResultView,
        scores: Mapping[str, float | None] | None = None,
    ) -> None:
        self.plan = plan
        self.scores = scores or {}
        self.lang = lang
        self.default = plan.questionnaire.language
        self.labels = labels_for(lang)
        self.scales: dict[str, Sequence[Option]] = {
            s.id: s.options for s in plan.questionnaire.scales
        }
        self.dimensions = {d.id: d for _, d in plan.questionnaire.iter_dimensions()}
        self.titles: dict[str, str] = {}
        stack = list(view.dimensions)
        while stack:
            dim = stack.pop()
            self.titles[dim.id] = dim.title
            stack.extend(dim.dimensions)

    def text(self, texts: Mapping[str, str]) -> str:
        return pick(texts, self.lang, self.default)

    def question(self, qid: str) -> Question:
        return self.plan.questions[self.plan.index[qid]].question

    def band(self, band: BandLabelView | None, bands: Sequence[Band]) -> BandView | None:
        """The view's band with its colour (by its rank among *bands*)."""
        if band is None:
            return None
        ordered = sorted(bands, key=lambda b: b.min)
        rank = next((k for k, b in enumerate(ordered) if b.id == band.id), None)
        definition = ordered[rank] if rank is not None else None
        return BandView(
            id=band.id,
            label=band.label,
            feedback=band.feedback,
            suggestions=band.suggestions
            if definition is None
            else tuple(self.text(s.text) for s in definition.suggestions if not self.done(s)),
            color=NO_BAND if rank is None else rank_color(rank, len(ordered)),
        )

    def done(self, suggestion: Suggestion) -> bool:
        """Whether every question *suggestion* concerns was answered with its share of points."""
        scores = [self.scores.get(qid) for qid in suggestion.concerns]
        return bool(scores) and all(
            score is not None and score >= 100 * suggestion.done_at for score in scores
        )

    def status(self, status: str) -> str | None:
        """Why a result has no score, in words (``None`` for a score)."""
        if status == Status.SCORED.value:
            return None
        return self.labels[status]

    def counts(self, counts: Mapping[str, int]) -> tuple[tuple[str, int], ...]:
        words = {
            State.ANSWERED.value: "answered",
            State.DONT_KNOW.value: "dont_know",
            State.SKIPPED.value: "skipped",
            State.NOT_APPLICABLE.value: "not_applicable_state",
            State.HIDDEN.value: "hidden",
        }
        return tuple(
            (self.labels[word], counts[key])
            for key, word in words.items()
            if counts.get(key, 0) > 0
        )

    def answer(self, qid: str, value: AnswerValue | None, state: State) -> str:
        """An answer in words: option labels, yes/no, number with unit, or the state."""
        if state is State.DONT_KNOW:
            return self.labels["dont_know"]
        if state is State.NOT_APPLICABLE:
            return self.labels["not_applicable_state"]
        if value is None or isinstance(value, State):
            return self.labels["skipped"]
        return self.value(self.question(qid), value)

    def value(self, question: Question, value: AnswerValue) -> str:
        if isinstance(question, YesNo):
            return self.labels["yes" if yes_no(value) else "no"]
        if isinstance(question, Numeric):
            unit = self.text(question.unit)
            shown = plain_number(value, self.lang)
            return f"{shown} {unit}".strip()
        if isinstance(question, TextQuestion):
            return str(value)
        options = {
            o.value: self.text(o.label) or o.value for o in options_of(question, self.scales)
        }
        if isinstance(question, MultipleChoice):
            chosen = (value,) if isinstance(value, str) else value
            if isinstance(chosen, tuple | list):
                return "; ".join(options.get(str(v), str(v)) for v in chosen) or self.labels["none"]
        return options.get(str(value), str(value))

    def field(
        self,
        dim: DimensionView,
        advice: FieldAdvice,
        cohort: CohortView | None,
        peers: CohortView | None = None,
    ) -> FieldView:
        def topic(owner: str) -> str | None:
            return None if owner == dim.id else self.titles.get(owner, owner)

        definition = self.dimensions.get(dim.id, Dimension(id=dim.id))
        notes = {a.dimension: a for a in advice.dimensions}
        return FieldView(
            id=dim.id,
            title=dim.title,
            description=self.text(definition.description),
            score=dim.score,
            band=self.band(dim.band, definition.bands),
            coverage=dim.coverage,
            status=self.status(dim.status.value),
            counts=self.counts(dim.counts),
            strongest=tuple(self._item(n, topic) for n in advice.strongest),
            weakest=tuple(self._item(n, topic) for n in advice.weakest),
            open=tuple(self._open(o, topic) for o in advice.open),
            what_if=tuple(self._what_if(w, topic) for w in advice.what_if),
            evidence=tuple(
                (item.text, item.value)
                for item in dim.items or ()
                if isinstance(item.value, str)
                and isinstance(self.question(item.question), TextQuestion)
                and item.value.strip()
            ),
            subtopics=tuple(self.field(child, notes[child.id], None) for child in dim.dimensions),
            cohort=cohort,
            peers=peers,
        )

    def _item(self, note: ItemNote, topic: _Topic) -> ItemView:
        return ItemView(
            question=note.question,
            text=self.text(self.question(note.question).text) or note.question,
            answer=self.answer(note.question, note.value, State.ANSWERED),
            score=note.score,
            topic=topic(note.dimension),
        )

    def _open(self, item: OpenItem, topic: _Topic) -> ItemView:
        return ItemView(
            question=item.question,
            text=self.text(self.question(item.question).text) or item.question,
            answer=self.answer(item.question, None, item.state),
            topic=topic(item.dimension),
        )

    def _what_if(self, entry: WhatIf, topic: _Topic) -> WhatIfView:
        question = self.question(entry.question)

        def change(c: Change) -> ChangeView:
            return ChangeView(
                answer=self.value(question, c.answer),
                gain=c.gain,
                overall_gain=c.overall_gain,
                field_score=c.field_score,
            )

        steps = tuple(change(c) for c in entry.changes)
        best = change(entry.best)
        return WhatIfView(
            question=entry.question,
            text=self.text(question.text) or entry.question,
            current=self.answer(entry.question, entry.current, entry.state),
            best=best,
            steps=tuple(s for s in steps if s != best),
            topic=topic(entry.dimension),
        )


def _sensitivity_view(
    ctx: _Context,
    report: SensitivityReport,
    respondent: str,
    overall: FieldView,
    fields: Sequence[FieldView],
) -> SensitivityView:
    """The analysis's figures for *respondent*, labelled; nothing is recomputed."""
    try:
        entry = report.respondent(respondent)
    except KeyError:
        raise ScoringError(
            [
                Problem(
                    ProblemCode.NOT_FOUND,
                    f"the sensitivity analysis does not include respondent {respondent!r}",
                )
            ]
        ) from None
    L, lang = ctx.labels, ctx.lang
    q = ctx.plan.questionnaire

    def row(view: FieldView, summary: ScoreSummary, bands: Sequence[Band]) -> IntervalView:
        ordered = sorted(bands, key=lambda b: b.min)
        return IntervalView(
            title=L["overall"] if view is overall else view.title,
            nominal=summary.nominal,
            median=summary.median,
            low=summary.low,
            high=summary.high,
            bands=tuple(
                (ctx.text(b.label) or b.id, band_color(bands, b.id), summary.bands[b.id])
                for b in ordered
                if summary.bands.get(b.id)
            ),
            not_assessable=summary.not_assessable,
            color=view.color,
        )

    rows = [row(overall, entry.overall, q.bands)]
    rows += [
        row(f, entry.dimensions[f.id], ctx.dimensions[f.id].bands)
        for f in fields
        if f.id in entry.dimensions and f.id in ctx.dimensions
    ]
    lo, hi = (round(100 * p) for p in report.interval)
    interval = L["interval"].format(lo=lo, hi=hi)
    rank = None
    if entry.rank is not None and entry.rank.median is not None:

        def fmt(value: float | None) -> str:
            return "–" if value is None else number(value, lang, 0 if value.is_integer() else 1)

        rank = L["rank_text"].format(
            members=len(report.respondents),
            nominal=fmt(entry.rank.nominal),
            median=fmt(entry.rank.median),
            interval=interval,
            low=fmt(entry.rank.low),
            high=fmt(entry.rank.high),
        )
    return SensitivityView(
        rows=tuple(rows),
        intro=L["sensitivity_intro"].format(draws=report.draws, seed=report.seed),
        interval=interval,
        caption=L["sensitivity_caption"].format(interval=interval),
        varied=varied_sentences(report.choices, lang),
        details=L["draws_text"].format(draws=report.draws, seed=report.seed),
        rank=rank,
    )


def _item_scores(result: Result) -> dict[str, float | None]:
    """Every traced question's score (0..100; ``None`` where it was not counted)."""
    scores: dict[str, float | None] = {}
    stack = list(result.dimensions)
    while stack:
        dim = stack.pop()
        scores.update((item.question, item.score) for item in dim.items)
        stack.extend(dim.dimensions)
    return scores


def _peers(
    ctx: _Context, result: Result, members: Sequence[Result]
) -> tuple[str, list[Result]] | None:
    """The members like the respondent in every characteristic the instrument declares with
    fixed values (a municipality's type and size class), and in words what they share.

    ``None`` when the instrument declares no such characteristic or the respondent gave none.
    """
    shared = [
        (field, result.metadata[field.key])
        for field in ctx.plan.questionnaire.metadata
        if field.options and result.metadata.get(field.key) is not None
    ]
    if not shared:
        return None
    alike = [
        member
        for member in members
        if all(member.metadata.get(field.key) == value for field, value in shared)
    ]
    words = []
    for field, value in shared:
        option = next((o for o in field.options if o.value == value), None)
        words.append(ctx.text(option.label) if option is not None and option.label else str(value))
    return ", ".join(words), alike


def _cohort_view(cohort: Cohort | None, dim_id: str, respondent: str) -> CohortView | None:
    """Median, quartiles, range and the respondent's percentile for one score."""
    if cohort is None:
        return None
    try:
        summary = cohort.summary(dim_id)
    except KeyError:
        return None
    if summary.suppressed or summary.n is None:
        return CohortView(
            n=None, median=0, q1=0, q3=0, low=0, high=0, percentile=None, suppressed=True
        )
    own = next((p for p in summary.positions if p.respondent == respondent), None)
    return CohortView(
        n=summary.n,
        median=summary.median or 0.0,
        q1=summary.q1 or 0.0,
        q3=summary.q3 or 0.0,
        low=summary.min or 0.0,
        high=summary.max or 0.0,
        percentile=None if own is None else own.percentile,
    )
