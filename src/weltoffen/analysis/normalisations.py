"""Normalisation methods: the scores of one dimension placed on a new scale.

A score on weltoffen's absolute 0..100 scale says how much of what the instrument asks for is in
place. The methods here add a second reading: where a member stands among the others (min-max,
z-score, percentile rank) or against fixed reference points (goalposts, a target).
:func:`~weltoffen.analysis.normalise.normalise_cohort` applies one to a cohort. Pure Python; no
optional dependencies.

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
"""

from __future__ import annotations

import math
import statistics
import types
from collections.abc import Mapping, Sequence
from typing import Protocol

import attrs

from weltoffen._fields import checked
from weltoffen.analysis._tables import score_key
from weltoffen.analysis.cohort import PERCENTILE_METHOD, percentile_ranks
from weltoffen.exceptions import Location, Problem, ProblemCode, ScoringError, UnknownKindError

__all__ = [
    "NORMALISATIONS",
    "DistanceToTarget",
    "Goalposts",
    "MinMax",
    "Normalisation",
    "Rank",
    "ZScore",
    "parse_normalisation",
    "refuse",
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


def refuse(problems: list[Problem]) -> None:
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
        refuse(problems)

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
        refuse(problems)

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
        refuse(problems)

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
