"""Normalisation against a cohort: scores placed relative to the other members or to goalposts.

:func:`normalise_cohort` applies one of the methods of :mod:`weltoffen.analysis.normalisations`
(re-exported here) to every dimension of a cohort's results. It reads finished
:class:`~weltoffen.scoring.results.Result` objects and never rescores; the absolute scores stay as
they are. Pure Python; no optional dependencies.

Rules shared by all methods:

- A member without a score (not assessable, not applicable) gets no normalised value; it does
  not take part in the cohort's statistics either. Nothing is filled in.
- Where every member with a score has the same score, min-max and z-score are undefined
  (``0 / 0``): they give no values, and the dimension says why. COINr returns NaN with a
  warning in that case; a mid-point such as 50 would suggest a position that does not exist.
- Scores are compared after rounding to 9 decimals (as in :mod:`weltoffen.analysis.cohort`), so
  that scores equal up to summation order count as equal and do not produce a spread of noise.
- Figures resting on fewer than *min_group* scored members are suppressed, as in the cohort
  comparison: the statistics and every member's value are withheld.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from weltoffen.analysis._tables import dimension_order, scores_by_dimension
from weltoffen.analysis.normalisations import (
    NORMALISATIONS,
    DistanceToTarget,
    Goalposts,
    MinMax,
    Normalisation,
    Rank,
    ZScore,
    parse_normalisation,
    refuse,
)
from weltoffen.exceptions import Problem, ProblemCode, ScoringError
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.result_format import plain
from weltoffen.scoring.results import Result

__all__ = [
    "NORMALISATIONS",
    "DistanceToTarget",
    "Goalposts",
    "MinMax",
    "Normalisation",
    "NormalisedCohort",
    "NormalisedDimension",
    "Rank",
    "ZScore",
    "normalise_cohort",
    "normalised_view",
    "parse_normalisation",
]


# -- results -----------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class NormalisedDimension:
    """One dimension's normalised values and the cohort statistics they rest on.

    Attributes:
        dimension: The dimension id; the instrument id for the overall score.
        depth: 0 for the overall score, 1 for top-level dimensions, 2 below them, ...
        n: Members with a score (``None`` when suppressed).
        missing: Members without a score (``None`` when suppressed).
        min, max, mean: Of the members' scores (``None`` when suppressed).
        sd: Sample standard deviation of the scores, divisor ``n - 1`` (``None`` when
            suppressed or for a single score).
        scores: Each member's score 0..100, in the cohort's order (empty when suppressed).
        values: Each member's normalised value, in the same order; ``None`` for a member without
            a score and for everyone when the method is undefined (empty when suppressed).
        suppressed: Whether figures are withheld because too few members have a score.
        note: Why figures or values are missing.
    """

    dimension: str
    depth: int
    n: int | None = None
    missing: int | None = None
    min: float | None = None
    max: float | None = None
    mean: float | None = None
    sd: float | None = None
    scores: tuple[float | None, ...] = ()
    values: tuple[float | None, ...] = ()
    suppressed: bool = False
    note: str | None = None


@attrs.frozen(kw_only=True)
class NormalisedCohort:
    """A cohort's scores, normalised by one method.

    Attributes:
        instrument: The questionnaire id.
        respondents: The members, in input order.
        method: The method used.
        description: What the method computes, in words.
        min_group: The minimum number of scored members below which figures are suppressed.
        dimensions: Per dimension: overall first, then depth first.
    """

    instrument: str
    respondents: tuple[str, ...]
    method: Normalisation
    description: str
    min_group: int
    dimensions: tuple[NormalisedDimension, ...]

    def dimension(self, id: str) -> NormalisedDimension:
        """The normalised values of dimension *id* (the instrument id for overall).

        Raises:
            KeyError: No such dimension.
        """
        for d in self.dimensions:
            if d.dimension == id:
                return d
        raise KeyError(id)

    def value(self, respondent: str, dimension: str) -> float | None:
        """The normalised value of *respondent* in *dimension* (``None``: none, or suppressed).

        Raises:
            KeyError: No such respondent or dimension.
        """
        if respondent not in self.respondents:
            raise KeyError(respondent)
        row = self.respondents.index(respondent)
        values = self.dimension(dimension).values
        return values[row] if values else None


# -- computing ---------------------------------------------------------------------------------


def _check(results: Sequence[Result], min_group: int) -> None:
    """Refuse what :func:`~weltoffen.analysis.cohort.compare` refuses, all problems at once."""
    problems: list[Problem] = []
    if min_group < 1:
        problems.append(
            Problem(
                ProblemCode.OUT_OF_RANGE,
                "must be at least 1",
                location=("min_group",),
                got=str(min_group),
            )
        )
    if not results:
        problems.append(Problem(ProblemCode.TOO_FEW, "a cohort needs at least one result"))
    seen: set[str] = set()
    for i, r in enumerate(results):
        if r.instrument != results[0].instrument:
            problems.append(
                Problem(
                    ProblemCode.WRONG_INSTRUMENT,
                    f"result of {r.respondent!r} is for another instrument",
                    location=(i,),
                    expected=results[0].instrument,
                    got=r.instrument,
                )
            )
        if r.respondent in seen:
            problems.append(
                Problem(
                    ProblemCode.DUPLICATE_RESPONDENT,
                    f"respondent {r.respondent!r} appears twice",
                    location=(i,),
                )
            )
        seen.add(r.respondent)
    refuse(problems)


def _dimension(
    dimension: str,
    depth: int,
    scores: Sequence[float | None],
    method: Normalisation,
    min_group: int,
) -> NormalisedDimension:
    have = [s for s in scores if s is not None]
    if len(have) < min_group:
        return NormalisedDimension(
            dimension=dimension,
            depth=depth,
            suppressed=True,
            note=f"suppressed: n < {min_group}",
        )
    mean = statistics.fmean(have)
    normalised = method.normalise(have)
    note = None
    if normalised is None:
        note = "no values: every member with a score has the same score"
        values: list[float | None] = [None] * len(scores)
    elif len(normalised) != len(have):  # a method of one's own that lost or added values
        raise ScoringError(
            [
                Problem(
                    ProblemCode.STRATEGY_FAILED,
                    "the normalisation gave the wrong number of values",
                    location=(dimension,),
                    expected=str(len(have)),
                    got=str(len(normalised)),
                )
            ]
        )
    else:
        found = iter(normalised)
        values = [None if s is None else next(found) for s in scores]
    return NormalisedDimension(
        dimension=dimension,
        depth=depth,
        n=len(have),
        missing=len(scores) - len(have),
        min=min(have),
        max=max(have),
        mean=mean,
        sd=statistics.stdev(have, mean) if len(have) > 1 else None,
        scores=tuple(scores),
        values=tuple(values),
        note=note,
    )


def normalise_cohort(
    results: Sequence[Result],
    method: Normalisation,
    *,
    dimensions: Iterable[str] | None = None,
    min_group: int = 5,
) -> NormalisedCohort:
    """Normalise a cohort's scores, per dimension and overall, by *method*.

    Args:
        results: One result per member, all of the same instrument.
        method: A normalisation method (:class:`MinMax`, :class:`ZScore`, :class:`Goalposts`,
            :class:`DistanceToTarget`, :class:`Rank`, or any object with ``normalise`` and
            ``description``).
        dimensions: Only these dimension ids (the instrument id for the overall score); default
            all, overall first, then depth first.
        min_group: Fewest scored members a dimension's figures may rest on; below it, they are
            suppressed (as in :func:`~weltoffen.analysis.cohort.compare`, default 5).

    Returns:
        The normalised values with the statistics they rest on; see the module notes.

    Raises:
        ScoringError: No results, results of different instruments, a respondent twice,
            *min_group* below 1, or an unknown dimension id.
    """
    _check(results, min_group)
    instrument = results[0].instrument
    order = [(instrument, 0), *dimension_order(results)]
    if dimensions is not None:
        wanted = list(dimensions)
        known = {d for d, _ in order}
        unknown = [d for d in wanted if d not in known]
        refuse(
            [
                Problem(
                    ProblemCode.NOT_FOUND,
                    "no such dimension",
                    location=("dimensions",),
                    expected=", ".join(known) or None,
                    got=d,
                )
                for d in unknown
            ]
        )
        order = [(d, depth) for d, depth in order if d in wanted]
    scores = scores_by_dimension(results)
    return NormalisedCohort(
        instrument=instrument,
        respondents=tuple(r.respondent for r in results),
        method=method,
        description=method.description,
        min_group=min_group,
        dimensions=tuple(_dimension(d, depth, scores[d], method, min_group) for d, depth in order),
    )


# -- plain data --------------------------------------------------------------------------------


def normalised_view(
    cohort: NormalisedCohort,
    questionnaire: Questionnaire | None = None,
    language: str | None = None,
) -> dict[str, Any]:
    """The normalised cohort as plain data for JSON (titles added when the questionnaire is
    given).

    Args:
        cohort: From :func:`normalise_cohort`.
        questionnaire: The instrument, to add dimension titles.
        language: Language of the titles (default: the questionnaire's).

    Returns:
        A dict of lists, strings, numbers, booleans and ``None``: ``method`` (``name``,
        ``parameters``, ``description``), ``min_group``, ``respondents`` and ``dimensions``,
        each with its statistics and ``members`` (``respondent``, ``score``, ``value``); the
        plain form of :class:`~weltoffen.analysis.cohort_json.NormalisedView`.
    """
    # The typed view builds on this module's classes: imported here, not at the top.
    from weltoffen.analysis.cohort_json import describe_normalised

    data: dict[str, Any] = plain(describe_normalised(cohort, questionnaire, language))
    return data
