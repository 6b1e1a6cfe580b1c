"""Results as plain, language-resolved data: the documented JSON of ``weltoffen score``.

A :class:`~weltoffen.scoring.results.Result` holds ids only; a view adds the texts a reader
needs (titles, band labels, feedback, question texts) in one language, and nothing else. It never
computes a score: every number is copied from the result unchanged (and unrounded).

The structure is documented field by field in ``docs/cli.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from weltoffen._arguments import expect_questionnaire, many, wrong
from weltoffen.exceptions import Problem, ProblemCode, ScoringError
from weltoffen.model.answers import AnswerValue, State
from weltoffen.model.dimensions import Band, Dimension
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import Question
from weltoffen.model.text import pick
from weltoffen.scoring.plan import ScoringPlan
from weltoffen.scoring.results import DimensionResult, ItemResult, Result

__all__ = ["View", "result_view", "result_views"]

#: Plain data (dicts, lists, strings, numbers, booleans, ``None``), ready for ``json.dumps``.
View = dict[str, Any]


def result_view(
    source: ScoringPlan | Questionnaire, result: Result, language: str | None = None
) -> View:
    """The result of one respondent with every text resolved to *language*.

    Args:
        source: The questionnaire the result was scored with (or its plan).
        result: The result to show.
        language: The language of the texts; the questionnaire's own language when ``None`` or
            where a text lacks the language.

    Returns:
        Plain data: see ``docs/cli.md`` for each field.

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
) -> list[View]:
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

    def result(self, result: Result) -> View:
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
        return {
            "respondent": result.respondent,
            "instrument": result.instrument,
            "version": result.version,
            "title": self.text(q.title),
            "language": self.language,
            "score": result.score,
            "points": result.points,
            "max_points": result.max_points,
            "coverage": result.coverage,
            "band": self.band(q.bands, result.band),
            "counts": dict(result.counts),
            "note": result.note,
            "texts": [
                {"question": qid, "text": self.question_text(qid), "answer": answer}
                for qid, answer in sorted(result.texts.items(), key=self.in_document_order)
            ],
            "metadata": dict(result.metadata),
            "dimensions": [self.dimension(d, result.traced) for d in result.dimensions],
        }

    def dimension(self, result: DimensionResult, traced: bool) -> View:
        # A result of another version of the questionnaire may name ids this one lacks: show
        # the ids rather than fail.
        definition = self.dimensions.get(result.id, Dimension(id=result.id))
        view: View = {
            "id": result.id,
            "title": self.text(definition.title) or result.id,
            "score": result.score,
            "points": result.points,
            "max_points": result.max_points,
            "coverage": result.coverage,
            "band": self.band(definition.bands, result.band),
            "applicable": result.applicable,
            "counts": dict(result.counts),
            "note": result.note,
            "dimensions": [self.dimension(d, traced) for d in result.dimensions],
        }
        if traced:
            view["items"] = [self.item(i) for i in result.items]
        return view

    def band(self, bands: Sequence[Band], band_id: str | None) -> View | None:
        if band_id is None:
            return None
        band = next((b for b in bands if b.id == band_id), None)
        if band is None:
            return {"id": band_id, "label": band_id, "feedback": "", "suggestions": []}
        return {
            "id": band.id,
            "label": self.text(band.label) or band.id,
            "feedback": self.text(band.feedback),
            "suggestions": [self.text(s) for s in band.suggestions],
        }

    def in_document_order(self, entry: tuple[str, object]) -> int:
        return self.order.get(entry[0], len(self.order))

    def question_text(self, qid: str) -> str:
        question = self.questions.get(qid)
        return self.text(question.text) if question is not None else ""

    def item(self, item: ItemResult) -> View:
        value = item.value
        return {
            "question": item.question,
            "text": self.question_text(item.question),
            "state": item.state.value,
            "value": _plain(value),
            "points": item.points,
            "max_points": item.max_points,
            "score": item.score,
            "weight": item.weight,
            "effective_weight": item.effective_weight,
            "contribution": item.contribution,
            "note": item.note,
        }


def _plain(value: AnswerValue | None) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, State):
        return value.value
    return value
