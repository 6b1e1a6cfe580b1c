"""Adding up one node in general: any aggregation and missing-answer policy, with a trace.

:func:`weltoffen.score` adds up the simple nodes (a weighted mean, missing answers left out)
itself, in one loop over the rows of its layout; every other node, and every node when a trace
is asked for, goes through :func:`aggregate`. Both give the same notes and statuses.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence

from weltoffen._frozen import FrozenDict
from weltoffen.model.answers import AnswerValue, State
from weltoffen.model.questions import TextQuestion
from weltoffen.scoring.layout import QuestionRow
from weltoffen.scoring.plan import NodePlan, ScoringPlan
from weltoffen.scoring.results import DimensionResult, ItemResult, Status
from weltoffen.strategies import Exclude, SumOfPoints, WeightedMean

__all__ = [
    "EPS",
    "NOTHING_ANSWERED_NOTE",
    "NOT_APPLICABLE_NOTE",
    "aggregate",
    "band_of",
    "low_coverage_note",
]

#: A coverage this close below the minimum still reaches it (sums of weights round).
EPS = 1e-12
#: The notes of a result without a score, for people (programs read its status).
NOT_APPLICABLE_NOTE = "not applicable: none of its questions apply"
NOTHING_ANSWERED_NOTE = "not assessable: nothing answered"

_ANSWERED, _DONT_KNOW, _NOT_APPLICABLE, _SKIPPED, _HIDDEN = (
    State.ANSWERED,
    State.DONT_KNOW,
    State.NOT_APPLICABLE,
    State.SKIPPED,
    State.HIDDEN,
)
# module globals, so that each node does not look them up on the enum class
_SCORED, _NOT_APPLICABLE_STATUS, _NOT_ASSESSABLE = (
    Status.SCORED,
    Status.NOT_APPLICABLE,
    Status.NOT_ASSESSABLE,
)
#: Aggregations whose aggregate() is the weighted mean, computed inline.
_MEANS = (WeightedMean, SumOfPoints)


def low_coverage_note(coverage: float, minimum: float) -> str:
    """The note of a result whose coverage is below its minimum."""
    return f"not assessable: coverage {coverage:.0%} is below the minimum {minimum:.0%}"


def band_of(node: NodePlan, value: float | None, points: float = 0.0) -> str | None:
    """Id of the band of *node* that its score *value* (0..100) or, for bands on points, its
    *points* fall in; ``None`` when it has no score."""
    if value is None or not node.bands:
        return None
    x = points if node.bands_on == "points" else value
    top = node.bands[-1].max  # bands tile their range: the last one (by min) ends it
    for band in node.bands:
        if band.min <= x < band.max or (x == band.max == top):
            return band.id
    return None


def aggregate(
    plan: ScoringPlan,
    node: NodePlan,
    rows: Sequence[QuestionRow],
    states: Sequence[State],
    values: Sequence[AnswerValue | None],
    points: Sequence[float | None],
    done: Sequence[DimensionResult],
    trace: bool,
    structural: frozenset[int] = frozenset(),
) -> DimensionResult:
    """The result of *node* from the states, values and points of every question by index.

    *done* holds the results of the nodes before it (its children among them); with *trace*,
    the result carries how each of its questions entered its score, and notes the questions in
    *structural*: counted as their ``otherwise`` answer since their condition is false.
    """
    questions = plan.questions
    # counts per state: answered, dont_know, not_applicable, skipped, hidden
    n_answered = n_dont_know = n_not_applicable = n_skipped = n_hidden = 0
    vals: list[float] = []
    wts: list[float] = []
    earned = 0.0
    attainable = 0.0
    applicable = 0.0
    covered = 0.0
    missing: list[tuple[int, float, float]] = []
    # with "exclude" for both, a missing answer is simply left out: no fill to compute
    fills = type(node.dont_know) is not Exclude or type(node.skipped) is not Exclude
    for qi, w, aw, weight, lo, rng, most in rows:
        state = states[qi]
        if state is _ANSWERED:
            n_answered += 1
            p = points[qi]
            assert p is not None
            vals.append((p - lo) / rng)
            wts.append(aw)
            earned += weight * p
            attainable += most
            applicable += aw
            covered += aw
        elif state is _DONT_KNOW or state is _SKIPPED:
            if state is _DONT_KNOW:
                n_dont_know += 1
            else:
                n_skipped += 1
            if fills:
                missing.append((qi, w, aw))
            attainable += most
            applicable += aw
        elif state is _NOT_APPLICABLE:
            n_not_applicable += 1
        else:
            n_hidden += 1
    kids: list[DimensionResult] = []
    for ci, aw in zip(node.children, node.child_agg):
        child = done[ci]
        kids.append(child)
        c = child.counts
        n_answered += c["answered"]
        n_dont_know += c["dont_know"]
        n_not_applicable += c["not_applicable"]
        n_skipped += c["skipped"]
        n_hidden += c["hidden"]
        if not child.applicable:
            continue
        applicable += aw
        covered += aw * (child.coverage or 0.0)
        attainable += child.max_points
        earned += child.points
        if child.score is not None:
            vals.append(child.score / 100.0)
            wts.append(aw)

    filled: dict[int, float | None] = {}
    if missing:
        base_v, base_w = list(vals), list(wts)
        for qi, _w, aw in missing:
            policy = node.dont_know if states[qi] is _DONT_KNOW else node.skipped
            f = None if type(policy) is Exclude else policy.fill(base_v, base_w)
            filled[qi] = f
            if f is not None:
                qp = questions[qi]
                vals.append(f)
                wts.append(aw)
                earned += qp.weight * (qp.lo + f * (qp.hi - qp.lo))

    note = None
    is_applicable = applicable > 0
    coverage = covered / applicable if is_applicable else None
    value: float | None = None
    total = math.fsum(wts)
    status = _NOT_ASSESSABLE
    if not is_applicable:
        note = NOT_APPLICABLE_NOTE
        status = _NOT_APPLICABLE_STATUS
    elif coverage is not None and coverage + EPS < node.min_coverage:
        note = low_coverage_note(coverage, node.min_coverage)
    elif total <= 0:
        note = NOTHING_ANSWERED_NOTE
    else:
        status = _SCORED
        aggregation = node.aggregation
        if type(aggregation) in _MEANS:  # inlined: the same two sums as their aggregate()
            raw = math.fsum(map(operator.mul, vals, wts)) / total
        else:
            raw = aggregation.aggregate(vals, wts)
        value = min(100.0, max(0.0, 100.0 * raw))

    items: tuple[ItemResult, ...] = ()
    if trace:
        items = _trace(
            plan, node, states, values, points, filled, total, value is not None, structural
        )
    return DimensionResult(
        id=node.id,
        score=value,
        points=earned,
        max_points=attainable,
        coverage=coverage,
        band=band_of(node, value, earned),
        applicable=is_applicable,
        counts=FrozenDict(  # read-only already, so the field keeps it as it is
            answered=n_answered,
            dont_know=n_dont_know,
            not_applicable=n_not_applicable,
            skipped=n_skipped,
            hidden=n_hidden,
        ),
        note=note,
        dimensions=tuple(kids),
        items=items,
        status=status,
    )


def _trace(
    plan: ScoringPlan,
    node: NodePlan,
    states: Sequence[State],
    values: Sequence[AnswerValue | None],
    points: Sequence[float | None],
    filled: dict[int, float | None],
    total: float,
    scored: bool,
    structural: frozenset[int],
) -> tuple[ItemResult, ...]:
    weights = dict(zip(node.questions, zip(node.question_weights, node.question_agg)))
    items = []
    for qi in node.listed:
        qp = plan.questions[qi]
        state = states[qi]
        w, aw = weights.get(qi, (0.0, 0.0))
        s: float | None = None
        p = points[qi]
        note: str | None = None
        if qi not in weights:
            note = (
                "free text, not scored" if isinstance(qp.question, TextQuestion) else "not scored"
            )
            p = None
        elif state is _ANSWERED:
            assert p is not None
            s = (p - qp.lo) / (qp.hi - qp.lo)
        elif state is _NOT_APPLICABLE:
            note = "not applicable: left out of the denominator"
        elif state is _HIDDEN:
            note = "hidden: its condition is false, left out of the denominator"
        else:
            f = filled.get(qi)
            policy = node.dont_know if state is _DONT_KNOW else node.skipped
            if f is None:
                note = f"{state.value}: left out, weights renormalised ({type(policy).__name__})"
            else:
                s = f
                p = qp.lo + f * (qp.hi - qp.lo)
                note = f"{state.value}: counted as {100 * f:.4g} ({type(policy).__name__})"
        if qi in structural:
            otherwise = "its condition is false: counted as its otherwise answer"
            note = otherwise if note is None else f"{otherwise}; {note}"
        share = aw / total if (s is not None and total > 0) else 0.0
        items.append(
            ItemResult(
                question=qp.question.id,
                state=state,
                value=values[qi],
                points=p,
                max_points=qp.hi,
                score=None if s is None else 100.0 * s,
                weight=w,
                effective_weight=share,
                contribution=100.0 * share * s
                if (s is not None and node.linear and scored)
                else None,
                note=note,
            )
        )
    return tuple(items)
