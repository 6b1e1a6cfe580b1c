"""Reading a cohort's results as tables: shared by the cohort comparison and normalisation."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.text import pick
from weltoffen.scoring.results import DimensionResult, Result

__all__ = ["dimension_order", "score_key", "scores_by_dimension", "titles_by_id"]

#: Scores are compared after rounding to this many decimals, so that sums computed in another
#: order (or on another path) do not split ties.
DIGITS = 9


def score_key(value: float) -> float:
    """*value* as compared for ties and order."""
    return round(value, DIGITS)


def dimension_order(results: Sequence[Result]) -> list[tuple[str, int]]:
    """Dimension ids with their depth, in the order of the first result that has them."""
    seen: dict[str, int] = {}

    def walk(dims: Iterable[DimensionResult], depth: int) -> None:
        for d in dims:
            seen.setdefault(d.id, depth)
            walk(d.dimensions, depth + 1)

    for r in results:
        walk(r.dimensions, 1)
    return list(seen.items())


def scores_by_dimension(results: Sequence[Result]) -> dict[str, list[float | None]]:
    """Dimension id (and instrument id for overall) -> each result's score, in order."""
    out: dict[str, list[float | None]] = {results[0].instrument: [r.score for r in results]}
    for i, r in enumerate(results):
        for d in r.iter_dimensions():
            out.setdefault(d.id, [None] * len(results))[i] = d.score
    return out


def titles_by_id(questionnaire: Questionnaire | None, language: str | None) -> dict[str, str]:
    """Instrument, dimension and question ids -> their title or text in *language*."""
    if questionnaire is None:
        return {}
    lang = language or questionnaire.language
    out = {questionnaire.id: pick(questionnaire.title, lang, questionnaire.language)}
    for _, dim in questionnaire.iter_dimensions():
        out[dim.id] = pick(dim.title, lang, questionnaire.language)
    for _, q in questionnaire.iter_questions():
        out[q.id] = pick(q.text, lang, questionnaire.language)
    return out
