"""Normalisation against a cohort: scores placed relative to the other members or to goalposts.

A score on weltoffen's absolute 0..100 scale says how much of what the instrument asks for is in
place. The methods here add a second reading: where a member stands among the others (min-max,
z-score, percentile rank) or against fixed reference points (goalposts, a target). They read
finished :class:`~weltoffen.scoring.results.Result` objects and never rescore; the absolute
scores stay as they are. Pure Python; no optional dependencies.

The methods follow the normalisation step of the *Handbook on Constructing Composite Indicators*
(OECD/JRC 2008, section 5) and, for the exact formulas, R's COINr (``n_minmax``, ``n_zscore``,
``n_goalposts``; the differences are stated per method). For scores ``x`` of the ``n`` members
with a score in one dimension:

- :class:`MinMax` — ``100 (x - min) / (max - min)``: the lowest member 0, the highest 100.
- :class:`ZScore` — ``(x - mean) / sd``, ``sd`` the sample standard deviation (divisor
  ``n - 1``, as R's ``sd`` that COINr and Compind use), optionally rescaled to another mean and
  standard deviation.
- :class:`Goalposts` — ``100 (x - low) / (high - low)`` clamped to 0..100: fixed, not relative.
- :class:`DistanceToTarget` — ``100 x / target``, capped at 100 by default: the Handbook's
  distance to a reference as a ratio; fixed, not relative.
- :class:`Rank` — the mid-rank percentile ``100 (below + equal / 2) / n``, the same percentile
  the cohort comparison reports.

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

import math
import statistics
import types
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

import attrs

from weltoffen._fields import checked
from weltoffen.analysis._tables import dimension_order, score_key, scores_by_dimension
from weltoffen.analysis.cohort import PERCENTILE_METHOD, percentile_ranks
from weltoffen.exceptions import Location, Problem, ProblemCode, ScoringError, UnknownKindError
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


class Normalisation(Protocol):
    """A normalisation method: places the scores of one dimension on a new scale."""

    @property
    def description(self) -> str:
        """What the method computes, in words and with its parameters."""
        ...

    def normalise(self, scores: Sequence[float]) -> Sequence[float] | None:
        """The normalised value of each score, in the same order.

        Args:
            scores: The scores 0..100 of the members that have one (at least one).

        Returns:
            One value per score, or ``None`` when the method is undefined for these scores
            (they do not vary).
        """
        ...


def _num(value: float) -> str:
    return f"{value:g}"


def _refuse(problems: list[Problem]) -> None:
    if problems:
        raise ScoringError(problems)


def _finite(location: Location, value: float) -> list[Problem]:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return [
            Problem(
                ProblemCode.BAD_VALUE,
                "must be a finite number",
                location=location,
                got=repr(value),
            )
        ]
    return []


def _spread(scores: Sequence[float]) -> bool:
    """Whether the scores take at least two values (after rounding, see the module notes)."""
    first = score_key(scores[0])
    return any(score_key(s) != first for s in scores)


# -- the methods -------------------------------------------------------------------------------


@attrs.frozen(field_transformer=checked)
class MinMax:
    """Min-max against the cohort: ``100 (x - min) / (max - min)``.

    The lowest score becomes 0 and the highest 100, whatever they were on the absolute scale.
    Undefined when every member has the same score. COINr's ``n_minmax`` with ``l_u = c(0, 100)``.
    """

    @property
    def description(self) -> str:
        return (
            "min-max against the cohort: 100 * (score - min) / (max - min); "
            "undefined when every member has the same score"
        )

    def normalise(self, scores: Sequence[float]) -> Sequence[float] | None:
        if not _spread(scores):
            return None
        low, high = min(scores), max(scores)
        # The share first: x = max gives exactly 1, hence exactly 100.
        return [100.0 * ((s - low) / (high - low)) for s in scores]


@attrs.frozen(field_transformer=checked)
class ZScore:
    """Z-scores against the cohort: ``(x - mean) / sd``, then ``* sd_to + mean_to``.

    ``sd`` is the sample standard deviation (divisor ``n - 1``): the cohort is read as a sample of
    the municipalities that could take part, and the numbers agree with R's ``sd``, ``scale``,
    COINr's ``n_zscore`` and Compind's ``normalise_ci``. Undefined when every member has the same
    score (which includes a single member). ``ZScore(50, 10)`` gives T-scores.

    Attributes:
        mean: The mean the values are moved to (default 0).
        sd: The standard deviation they are scaled to (default 1; must be > 0).
    """

    mean: float = 0.0
    sd: float = 1.0

    def __attrs_post_init__(self) -> None:
        problems = _finite(("zscore", "mean"), self.mean) + _finite(("zscore", "sd"), self.sd)
        if not problems and self.sd <= 0:
            problems.append(
                Problem(
                    ProblemCode.OUT_OF_RANGE,
                    "must be above 0",
                    location=("zscore", "sd"),
                    got=_num(self.sd),
                )
            )
        _refuse(problems)

    @property
    def description(self) -> str:
        text = (
            "z-score against the cohort: (score - mean) / sd, sd the sample standard deviation "
            "(n - 1)"
        )
        if (self.mean, self.sd) != (0.0, 1.0):
            text += f", then * {_num(self.sd)} + {_num(self.mean)}"
        return text + "; undefined when every member has the same score"

    def normalise(self, scores: Sequence[float]) -> Sequence[float] | None:
        if not _spread(scores):
            return None
        mean = statistics.fmean(scores)
        sd = statistics.stdev(scores, mean)
        return [(s - mean) / sd * self.sd + self.mean for s in scores]


@attrs.frozen(field_transformer=checked)
class Goalposts:
    """Fixed goalposts: ``100 (x - low) / (high - low)``, clamped to 0..100.

    A score at or below *low* gives 0, at or above *high* 100. Not relative to the cohort: the
    same score always gives the same value. COINr's ``n_goalposts`` with ``trunc2posts = TRUE``
    and the scale 100.

    Attributes:
        low: The lower goalpost on the 0..100 scale.
        high: The upper goalpost, above *low*, at most 100.
    """

    low: float
    high: float

    def __attrs_post_init__(self) -> None:
        problems = _finite(("goalposts", "low"), self.low) + _finite(
            ("goalposts", "high"), self.high
        )
        if not problems and not 0 <= self.low < self.high <= 100:
            problems.append(
                Problem(
                    ProblemCode.OUT_OF_RANGE,
                    "the goalposts must lie on the 0..100 scale, low below high",
                    location=("goalposts",),
                    expected="0 <= low < high <= 100",
                    got=f"low {_num(self.low)}, high {_num(self.high)}",
                )
            )
        _refuse(problems)

    @property
    def description(self) -> str:
        low, high = _num(self.low), _num(self.high)
        return (
            f"fixed goalposts {low} and {high}: 100 * (score - {low}) / ({high} - {low}), "
            "clamped to 0..100"
        )

    def normalise(self, scores: Sequence[float]) -> Sequence[float] | None:
        span = self.high - self.low
        return [min(100.0, max(0.0, 100.0 * ((s - self.low) / span))) for s in scores]


@attrs.frozen(field_transformer=checked)
class DistanceToTarget:
    """Distance to a target as a ratio: ``100 x / target``, capped at 100 unless *cap* is off.

    The share of the target reached: with target 80, a score of 60 gives 75. This is the
    Handbook's "distance to a reference" (``x / x_ref``) on the 0..100 scale. Not relative to the
    cohort. (COINr's ``n_dist2targ`` measures from the cohort's lowest score instead,
    ``(x - min) / (target - min)``; fixed goalposts from a chosen low point give that reading
    without tying it to the weakest member.)

    Attributes:
        target: The target score, above 0 and at most 100.
        cap: Whether scores beyond the target count as 100 (default); off, they exceed 100.
    """

    target: float
    cap: bool = True

    def __attrs_post_init__(self) -> None:
        problems = _finite(("target", "target"), self.target)
        if not problems and not 0 < self.target <= 100:
            problems.append(
                Problem(
                    ProblemCode.OUT_OF_RANGE,
                    "the target must lie on the 0..100 scale, above 0",
                    location=("target", "target"),
                    expected="0 < target <= 100",
                    got=_num(self.target),
                )
            )
        _refuse(problems)

    @property
    def description(self) -> str:
        t = _num(self.target)
        capped = ", capped at 100" if self.cap else ""
        return f"distance to the target {t}: 100 * score / {t}{capped}"

    def normalise(self, scores: Sequence[float]) -> Sequence[float] | None:
        values = [100.0 * (s / self.target) for s in scores]
        return [min(100.0, v) for v in values] if self.cap else values


@attrs.frozen(field_transformer=checked)
class Rank:
    """Percentile rank in the cohort, mid-rank: ``100 (below + equal / 2) / n``.

    *below* counts the scores lower than ``x``, *equal* those equal to it (itself included):
    tied members share one value, a single member sits at 50, and the values of any cohort
    average 50. The same percentile :func:`~weltoffen.analysis.cohort.compare` reports. (COINr's
    ``n_prank`` uses ``(rank_min - 1) / (n - 1)`` instead, which puts the lowest member at 0 and
    the highest at 1.)
    """

    @property
    def description(self) -> str:
        return f"percentile rank in the cohort, {PERCENTILE_METHOD}"

    def normalise(self, scores: Sequence[float]) -> Sequence[float] | None:
        return percentile_ranks(scores)


#: Short name -> method class, as ``--normalise`` and :func:`parse_normalisation` take them.
NORMALISATIONS: Mapping[str, type[Normalisation]] = types.MappingProxyType(
    {
        "minmax": MinMax,
        "zscore": ZScore,
        "goalposts": Goalposts,
        "target": DistanceToTarget,
        "rank": Rank,
    }
)

#: How many numbers each short name takes after it (``goalposts:20:80``).
_ARITY = {"minmax": (0,), "zscore": (0, 2), "goalposts": (2,), "target": (1,), "rank": (0,)}
_FORMS = {
    "minmax": "minmax",
    "zscore": "zscore or zscore:MEAN:SD",
    "goalposts": "goalposts:LOW:HIGH",
    "target": "target:T",
    "rank": "rank",
}


def parse_normalisation(spec: str, *, where: str = "") -> Normalisation:
    """The method a short form names: ``minmax``, ``zscore``, ``zscore:50:10``,
    ``goalposts:LOW:HIGH``, ``target:T`` or ``rank``.

    Args:
        spec: The short form.
        where: Where the form came from (an option name), for the problems.

    Returns:
        The method.

    Raises:
        UnknownKindError: The name is not one of :data:`NORMALISATIONS`; the error lists them.
        ScoringError: Wrong count of numbers, a part that is not a number, or numbers the method
            refuses (goalposts off the scale, a target of 0, ...).
    """
    place: Location = (where,) if where else ()
    name, *parts = spec.strip().split(":")
    name = name.strip().lower()
    if name not in NORMALISATIONS:
        raise UnknownKindError("normalisation", name, list(NORMALISATIONS))
    if len(parts) not in _ARITY[name]:
        raise ScoringError(
            [
                Problem(
                    ProblemCode.BAD_VALUE,
                    "wrong number of parameters",
                    location=place,
                    expected=_FORMS[name],
                    got=spec,
                )
            ]
        )
    numbers: list[float] = []
    for part in parts:
        try:
            number = float(part)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise ScoringError(
                [
                    Problem(
                        ProblemCode.WRONG_TYPE,
                        "parameters must be numbers",
                        location=place,
                        expected=_FORMS[name],
                        got=spec,
                    )
                ]
            )
        numbers.append(number)
    try:
        method: Normalisation = NORMALISATIONS[name](*numbers)
    except ScoringError as exc:
        raise ScoringError(
            attrs.evolve(p, location=place or p.location, got=p.got or spec) for p in exc.problems
        ) from None
    return method


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
    _refuse(problems)


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
        _refuse(
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
