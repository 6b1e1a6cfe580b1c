"""Results as typed, language-resolved views: the documented JSON of ``weltoffen score``.

A :class:`~weltoffen.scoring.results.Result` holds ids only; a view adds the texts a reader
needs (titles, band labels, feedback, question texts) in one language, and nothing else. It never
computes a score: every number is copied from the result unchanged (and unrounded).

Each view class is one object of that JSON: :meth:`ResultView.plain` (or
:func:`weltoffen.result_format.plain`) gives it as plain data. The structure is documented field
by field in ``docs/cli.md``; the JSON Schema of results is generated from these classes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from weltoffen._arguments import expect_questionnaire, many, wrong
from weltoffen._frozen import freeze
from weltoffen._repr import value_repr
from weltoffen.exceptions import Problem, ProblemCode, ScoringError
from weltoffen.model.answers import AnswerValue, MetaValue, State
from weltoffen.model.dimensions import Band, Dimension
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import Question
from weltoffen.model.text import pick
from weltoffen.result_format import OMITTED_WHEN_NONE, RESULT_FORMAT, plain
from weltoffen.scoring.plan import ScoringPlan
from weltoffen.scoring.results import DimensionResult, ItemResult, Result, Status

__all__ = [
    "BandLabelView",
    "DimensionView",
    "PlainAnswer",
    "ResultView",
    "TextAnswerView",
    "TraceItemView",
    "View",
    "result_view",
    "result_views",
]

#: Plain data (dicts, lists, strings, numbers, booleans, ``None``), ready for ``json.dumps``.
View = dict[str, Any]

#: An answer as the JSON shows it: a multiple choice as a list, a state by its name.
PlainAnswer = bool | int | float | str | tuple[str, ...] | None


@attrs.frozen(kw_only=True)
class BandLabelView:
    """The band a score falls in, in one language.

    Attributes:
        id: The band's id (stable across languages).
        label: Its short name (the id when it has none).
        feedback: What the band means (may be empty).
        suggestions: Next steps (may be empty).
    """

    __repr__ = value_repr

    id: str
    label: str
    feedback: str
    suggestions: tuple[str, ...]


@attrs.frozen(kw_only=True)
class TextAnswerView:
    """A free-text answer (kept, never scored).

    Attributes:
        question: The question id.
        text: The question's text.
        answer: The answer as given.
    """

    __repr__ = value_repr

    question: str
    text: str
    answer: str


@attrs.frozen(kw_only=True)
class TraceItemView:
    """How one question entered its dimension's score (only with a trace).

    Attributes:
        question: The question id.
        text: The question's text.
        state: The answer state: ``answered``, ``dont_know``, ``not_applicable``, ``skipped``
            or ``hidden``.
        value: The answer as given (``None`` when there was none).
        points: Points earned in the instrument's units (``None`` when not counted).
        max_points: The most points the question can earn.
        score: The question's score 0..100 (``None`` when not counted).
        weight: The question's weight from the dimension's weighting scheme.
        effective_weight: Share of the dimension's score this question carries (0 when not
            counted).
        contribution: Points of the dimension's score this question adds, for linear
            aggregations; ``None`` otherwise.
        note: Why the question was left out or how it was filled in.
    """

    __repr__ = value_repr

    question: str
    text: str
    state: str
    value: PlainAnswer
    points: float | None
    max_points: float
    score: float | None
    weight: float
    effective_weight: float
    contribution: float | None
    note: str | None


@attrs.frozen(kw_only=True)
class DimensionView:
    """The score of one dimension, in one language.

    Attributes:
        id: The dimension's id.
        title: Its title (the id when it has none).
        score: 0..100; ``None`` when not assessable or not applicable (see ``note``).
        points: Weighted points earned, in the instrument's own units.
        max_points: Weighted points attainable over everything that applies.
        coverage: Answered weight / applicable weight, 0..1; ``None`` when nothing applies.
        band: The dimension's band (``None`` without score or without bands).
        applicable: ``False`` when the dimension is hidden or none of its questions apply.
        counts: Answer states of the scored questions in this dimension and all below it.
        status: ``scored``, or why there is no score: ``not_applicable`` or ``not_assessable``.
        note: Why there is no score, when there is none (for people; programs read ``status``).
        dimensions: Child dimensions, any depth.
        items: Only with a trace: the dimension's own questions, scored or not.
    """

    __repr__ = value_repr

    id: str
    title: str
    score: float | None
    points: float
    max_points: float
    coverage: float | None
    band: BandLabelView | None
    applicable: bool
    counts: Mapping[str, int] = attrs.field(converter=freeze)
    status: Status
    note: str | None
    dimensions: tuple[DimensionView, ...]
    items: tuple[TraceItemView, ...] | None = attrs.field(default=None, metadata=OMITTED_WHEN_NONE)


@attrs.frozen(kw_only=True)
class ResultView:
    """The result of one respondent with every text resolved to one language.

    Its plain form (:meth:`plain`) is one object of the JSON of ``weltoffen score --format
    json``.

    Attributes:
        result_format: The version of the JSON result format.
        respondent: The respondent's id.
        instrument: The questionnaire's id.
        version: The questionnaire's version.
        fingerprint: The questionnaire's fingerprint (:mod:`weltoffen.versions`): results with
            the same one were scored alike (left out when the result does not know it).
        title: The questionnaire's title.
        language: The language the texts were resolved to.
        score: Overall score 0..100; ``None`` when not assessable (see ``note``).
        points: Weighted points earned, in the instrument's own units.
        max_points: Weighted points attainable over everything that applies.
        coverage: Answered weight / applicable weight, 0..1; ``None`` when nothing applies.
        band: The overall band (``None`` without score or without bands).
        counts: Number of scored questions per answer state.
        status: ``scored``, or why there is no score: ``not_applicable`` or ``not_assessable``.
        note: Why there is no score, when there is none (for people; programs read ``status``).
        texts: Free-text answers, in questionnaire order.
        metadata: The response's metadata, as given.
        dimensions: The top-level dimensions, in questionnaire order.
    """

    __repr__ = value_repr

    result_format: str
    respondent: str
    instrument: str
    version: str
    fingerprint: str | None = attrs.field(default=None, metadata=OMITTED_WHEN_NONE)
    title: str
    language: str
    score: float | None
    points: float
    max_points: float
    coverage: float | None
    band: BandLabelView | None
    counts: Mapping[str, int] = attrs.field(converter=freeze)
    status: Status
    note: str | None
    texts: tuple[TextAnswerView, ...]
    metadata: Mapping[str, MetaValue] = attrs.field(converter=freeze)
    dimensions: tuple[DimensionView, ...]

    def plain(self) -> View:
        """The documented JSON of the result as plain data, ready for :func:`json.dumps`."""
        data: View = plain(self)
        return data


def result_view(
    source: ScoringPlan | Questionnaire, result: Result, language: str | None = None
) -> ResultView:
    """The result of one respondent with every text resolved to *language*.

    Args:
        source: The questionnaire the result was scored with (or its plan).
        result: The result to show.
        language: The language of the texts; the questionnaire's own language when ``None`` or
            where a text lacks the language.

    Returns:
        The typed view; its :meth:`~ResultView.plain` form is the documented JSON (see
        ``docs/cli.md`` for each field).

    Raises:
        ScoringError: The result does not belong to this questionnaire.
        TypeError: *source* is not a questionnaire or plan, or *result* not a result.
    """
    describer = _Describer("result_view(source)", source, language)
    if not isinstance(result, Result):
        hint = "for many results, call result_views" if isinstance(result, list | tuple) else None
        raise wrong("result_view(result)", "a Result from weltoffen.score", result, hint)
    return describer.result(result)


def result_views(
    source: ScoringPlan | Questionnaire, results: Iterable[Result], language: str | None = None
) -> list[ResultView]:
    """:func:`result_view` for many results of one questionnaire (its texts indexed once)."""
    describer = _Describer("result_views(source)", source, language)
    where, hint = "result_views(results)", "for one result, call result_view"
    return [describer.result(r) for r in many(where, results, Result, hint)]


class _Describer:
    """The questionnaire's texts, indexed by id, in one language."""

    def __init__(
        self, where: str, source: ScoringPlan | Questionnaire, language: str | None
    ) -> None:
        expect_questionnaire(where, source, plan_too=True)
        q = source.questionnaire if isinstance(source, ScoringPlan) else source
        self.questionnaire = q
        self.language = language or q.language
        self.dimensions: dict[str, Dimension] = {d.id: d for _, d in q.iter_dimensions()}
        self.questions: dict[str, Question] = {qu.id: qu for _, qu in q.iter_questions()}
        self.order = {qid: i for i, qid in enumerate(self.questions)}

    def text(self, text: Mapping[str, str]) -> str:
        return pick(text, self.language, self.questionnaire.language)

    def result(self, result: Result) -> ResultView:
        q = self.questionnaire
        if result.instrument != q.id:
            raise ScoringError(
                [
                    Problem(
                        ProblemCode.WRONG_INSTRUMENT,
                        f"respondent {result.respondent!r}: the result is of another questionnaire",
                        location=("instrument",),
                        expected=repr(q.id),
                        got=repr(result.instrument),
                    )
                ]
            )
        return ResultView(
            result_format=RESULT_FORMAT,
            respondent=result.respondent,
            instrument=result.instrument,
            version=result.version,
            fingerprint=result.fingerprint,
            title=self.text(q.title),
            language=self.language,
            score=result.score,
            points=result.points,
            max_points=result.max_points,
            coverage=result.coverage,
            band=self.band(q.bands, result.band),
            counts=result.counts,
            status=result.status,
            note=result.note,
            texts=tuple(
                TextAnswerView(question=qid, text=self.question_text(qid), answer=answer)
                for qid, answer in sorted(result.texts.items(), key=self.in_document_order)
            ),
            metadata=result.metadata,
            dimensions=tuple(self.dimension(d, result.traced) for d in result.dimensions),
        )

    def dimension(self, result: DimensionResult, traced: bool) -> DimensionView:
        # A result of another version of the questionnaire may name ids this one lacks: show
        # the ids rather than fail.
        definition = self.dimensions.get(result.id, Dimension(id=result.id))
        return DimensionView(
            id=result.id,
            title=self.text(definition.title) or result.id,
            score=result.score,
            points=result.points,
            max_points=result.max_points,
            coverage=result.coverage,
            band=self.band(definition.bands, result.band),
            applicable=result.applicable,
            counts=result.counts,
            status=result.status,
            note=result.note,
            dimensions=tuple(self.dimension(d, traced) for d in result.dimensions),
            items=tuple(self.item(i) for i in result.items) if traced else None,
        )

    def band(self, bands: Sequence[Band], band_id: str | None) -> BandLabelView | None:
        if band_id is None:
            return None
        band = next((b for b in bands if b.id == band_id), None)
        if band is None:
            return BandLabelView(id=band_id, label=band_id, feedback="", suggestions=())
        return BandLabelView(
            id=band.id,
            label=self.text(band.label) or band.id,
            feedback=self.text(band.feedback),
            suggestions=tuple(self.text(s.text) for s in band.suggestions),
        )

    def in_document_order(self, entry: tuple[str, object]) -> int:
        return self.order.get(entry[0], len(self.order))

    def question_text(self, qid: str) -> str:
        question = self.questions.get(qid)
        return self.text(question.text) if question is not None else ""

    def item(self, item: ItemResult) -> TraceItemView:
        return TraceItemView(
            question=item.question,
            text=self.question_text(item.question),
            state=item.state.value,
            value=_plain(item.value),
            points=item.points,
            max_points=item.max_points,
            score=item.score,
            weight=item.weight,
            effective_weight=item.effective_weight,
            contribution=item.contribution,
            note=item.note,
        )


def _plain(value: AnswerValue | None) -> PlainAnswer:
    if isinstance(value, State):
        return value.value
    return value
