"""The plain reference scorer: docs/scoring.md written out as code, slow on purpose.

:func:`weltoffen.score` and :func:`weltoffen.score_many` are optimisations (flat rows, packed
counts, vectorised columns). This module is what they optimise: it reads like the formulas of
docs/scoring.md, one question and one dimension at a time, with no layout and no caches, so a
reader can check it against the page. Differential tests hold the fast paths equal to it.

It takes from the plan only what :func:`weltoffen.compile` fixes before any answer is seen
(point ranges, weights, policies, bands, the order of the nodes) and the per-kind rules for
turning one answer into points (:func:`~weltoffen.scoring.answers.measure`), which the fast
paths share.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import attrs

from weltoffen._frozen import FrozenDict
from weltoffen._repr import value_repr
from weltoffen.exceptions import Problem, ProblemCode, ResponseError
from weltoffen.model.answers import AnswerValue, Response, State
from weltoffen.model.conditions import AllOf, AnyOf, Condition, Not
from weltoffen.model.questions import TextQuestion
from weltoffen.scoring.aggregate import (
    EPS,
    NOT_APPLICABLE_NOTE,
    NOTHING_ANSWERED_NOTE,
    low_coverage_note,
)
from weltoffen.scoring.answers import BadAnswer, coded_state, measure, state_problem
from weltoffen.scoring.conditions import test
from weltoffen.scoring.plan import NodePlan, ScoringPlan
from weltoffen.scoring.results import DimensionResult, ItemResult, Result, Status
from weltoffen.strategies import Exclude

__all__ = ["reference_score"]


@attrs.frozen
class _Answer:
    """One question in one response: its state, the value given and the points it earns."""

    __repr__ = value_repr

    state: State
    value: AnswerValue | None = None
    points: float | None = None
    structural: bool = False  # counted as its ``otherwise`` answer


def reference_score(
    plan: ScoringPlan, response: Response | Mapping[str, AnswerValue], *, trace: bool = False
) -> Result:
    """What :func:`weltoffen.score` returns for *response*, computed the plain way.

    Raises:
        ResponseError: An answer names an unknown question or does not fit its question.
    """
    if not isinstance(response, Response):
        response = Response(respondent="anonymous", answers=response)
    answers, texts = _read(plan, response)
    answers = _apply_conditions(plan, answers)
    results: list[DimensionResult] = []
    for node in plan.nodes:  # children before parents, the root last
        results.append(_dimension(plan, node, answers, results, trace))
    root = results[-1]
    q = plan.questionnaire
    return Result(
        respondent=response.respondent,
        instrument=q.id,
        version=q.version,
        score=root.score,
        points=root.points,
        max_points=root.max_points,
        coverage=root.coverage,
        band=root.band,
        counts=root.counts,
        note=root.note,
        dimensions=root.dimensions,
        texts=texts,
        metadata=response.metadata,
        traced=trace,
        status=root.status,
        fingerprint=plan.fingerprint,
    )


def _read(plan: ScoringPlan, response: Response) -> tuple[list[_Answer], dict[str, str]]:
    """The state, value and points of every question (by plan index); the free texts."""
    answers = [_Answer(State.SKIPPED) for _ in plan.questions]
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    for qid, value in response.answers.items():
        if qid not in plan.index:
            problems.append(
                Problem(
                    ProblemCode.UNKNOWN_QUESTION,
                    f"unknown question {qid!r}",
                    location=("answers", qid),
                )
            )
            continue
        i = plan.index[qid]
        qp = plan.questions[i]
        coded = coded_state(qp.codes, value) if qp.codes else None
        if coded is not None:  # a missing-value code stands for its state
            value = coded
        if value is None:
            continue  # no answer: skipped
        if isinstance(value, State):
            why = state_problem(qp, value)
            if why:
                problems.append(
                    Problem(ProblemCode.STATE_NOT_OFFERED, why, location=("answers", qid))
                )
            elif value is not State.SKIPPED:
                answers[i] = _Answer(value)
            continue
        try:
            points = measure(qp, value)
        except BadAnswer as bad:
            problems.append(Problem(ProblemCode.BAD_ANSWER, bad.message, location=("answers", qid)))
            continue
        answers[i] = _Answer(State.ANSWERED, value, points)
        if points is None and isinstance(value, str):
            texts[qid] = value
    if problems:
        raise ResponseError(problems)
    return answers, texts


def _apply_conditions(plan: ScoringPlan, given: list[_Answer]) -> list[_Answer]:
    """The answers with the skip logic applied: a question is hidden when its own or an
    enclosing dimension's condition is false; a question with ``otherwise`` whose own condition
    alone is false counts as its ``otherwise`` answer instead."""

    def usable(i: int) -> bool:
        # only an answer that was given and whose question is not hidden can meet a condition
        return given[i].state is State.ANSWERED and all(
            holds(plan.gates[g]) for g in plan.questions[i].gates
        )

    def holds(cond: Condition) -> bool:
        if isinstance(cond, AllOf):
            return all(holds(c) for c in cond.conditions)
        if isinstance(cond, AnyOf):
            return any(holds(c) for c in cond.conditions)
        if isinstance(cond, Not):
            return not holds(cond.condition)
        i = plan.index[cond.question]
        value = given[i].value
        return usable(i) and value is not None and test(cond, value)

    applied = list(given)
    for i, qp in enumerate(plan.questions):
        false = [g for g in qp.gates if not holds(plan.gates[g])]
        if not false:
            continue
        own_only = false == [qp.gates[-1]] and qp.question.when is not None
        otherwise = qp.question.otherwise
        if own_only and otherwise is not None:
            if isinstance(otherwise, State):
                applied[i] = _Answer(otherwise, structural=True)
            else:
                applied[i] = _Answer(
                    State.ANSWERED, otherwise, measure(qp, otherwise), structural=True
                )
        else:  # hidden: keeps its value and points, counts for nothing
            applied[i] = _Answer(State.HIDDEN, given[i].value, given[i].points)
    return applied


def _dimension(
    plan: ScoringPlan,
    node: NodePlan,
    answers: list[_Answer],
    done: list[DimensionResult],
    trace: bool,
) -> DimensionResult:
    """One dimension: states, policies, aggregation, coverage, points and band."""
    counts = dict.fromkeys(("answered", "dont_know", "not_applicable", "skipped", "hidden"), 0)
    scores: list[float] = []  # s_c of the children with a score (A), then the filled-in ones (F)
    weights: list[float] = []  # their aggregation weights a_c
    points = max_points = 0.0
    answered_weight = applicable_weight = 0.0  # numerator and denominator of the coverage
    missing: list[tuple[int, float]] = []
    for i, a in zip(node.questions, node.question_agg):
        qp, answer = plan.questions[i], answers[i]
        counts[answer.state.value] += 1
        if answer.state is State.ANSWERED:
            assert answer.points is not None
            scores.append((answer.points - qp.lo) / (qp.hi - qp.lo))
            weights.append(a)
            points += qp.weight * answer.points
            max_points += qp.weight * qp.hi
            applicable_weight += a
            answered_weight += a
        elif answer.state in (State.DONT_KNOW, State.SKIPPED):
            missing.append((i, a))
            max_points += qp.weight * qp.hi
            applicable_weight += a
        # not applicable and hidden: in neither sum
    children: list[DimensionResult] = []
    for c, a in zip(node.children, node.child_agg):
        child = done[c]
        children.append(child)
        for key, n in child.counts.items():
            counts[key] += n
        if not child.applicable:
            continue  # leaves its parent entirely
        applicable_weight += a
        answered_weight += a * (child.coverage or 0.0)
        max_points += child.max_points
        points += child.points
        if child.score is not None:
            scores.append(child.score / 100.0)
            weights.append(a)

    # the policies: each missing question counts as its fill, computed from A alone
    filled: dict[int, float | None] = {}
    answered_scores, answered_weights = list(scores), list(weights)
    for i, a in missing:
        policy = node.dont_know if answers[i].state is State.DONT_KNOW else node.skipped
        f = None if isinstance(policy, Exclude) else policy.fill(answered_scores, answered_weights)
        filled[i] = f
        if f is not None:
            qp = plan.questions[i]
            scores.append(f)
            weights.append(a)
            points += qp.weight * (qp.lo + f * (qp.hi - qp.lo))

    coverage = answered_weight / applicable_weight if applicable_weight > 0 else None
    value: float | None = None
    note: str | None = None
    # the exact sum of the weights (an fsum), so that it is the same in any order
    total = math.fsum(weights)
    if coverage is None:
        note = NOT_APPLICABLE_NOTE
    elif coverage + EPS < node.min_coverage:
        note = low_coverage_note(coverage, node.min_coverage)
    elif total <= 0:
        note = NOTHING_ANSWERED_NOTE
    else:
        value = min(100.0, max(0.0, 100.0 * node.aggregation.aggregate(scores, weights)))
    status = (
        Status.SCORED
        if value is not None
        else Status.NOT_APPLICABLE
        if coverage is None
        else Status.NOT_ASSESSABLE
    )
    items = _items(plan, node, answers, filled, weights, value) if trace else ()
    return DimensionResult(
        id=node.id,
        score=value,
        points=points,
        max_points=max_points,
        coverage=coverage,
        band=_band(node, value, points),
        applicable=coverage is not None,
        counts=FrozenDict(counts),
        note=note,
        dimensions=tuple(children),
        items=items,
        status=status,
    )


def _band(node: NodePlan, value: float | None, points: float) -> str | None:
    """The band holding the score (or, with ``bands_on: points``, the points): min <= x < max,
    the top band closed at its max."""
    if value is None or not node.bands:
        return None
    x = points if node.bands_on == "points" else value
    top = node.bands[-1]
    for band in node.bands:
        if band.min <= x < band.max or (band is top and x == band.max):
            return band.id
    return None


def _items(
    plan: ScoringPlan,
    node: NodePlan,
    answers: list[_Answer],
    filled: dict[int, float | None],
    weights: list[float],
    value: float | None,
) -> tuple[ItemResult, ...]:
    """The trace: how each of the dimension's own questions entered its score."""
    scheme = dict(zip(node.questions, zip(node.question_weights, node.question_agg)))
    total = math.fsum(weights)
    items = []
    for i in node.listed:
        qp, answer = plan.questions[i], answers[i]
        w, a = scheme.get(i, (0.0, 0.0))
        s: float | None = None
        p = answer.points
        note: str | None = None
        if i not in scheme:
            note = (
                "free text, not scored" if isinstance(qp.question, TextQuestion) else "not scored"
            )
            p = None
        elif answer.state is State.ANSWERED:
            assert p is not None
            s = (p - qp.lo) / (qp.hi - qp.lo)
        elif answer.state is State.NOT_APPLICABLE:
            note = "not applicable: left out of the denominator"
        elif answer.state is State.HIDDEN:
            note = "hidden: its condition is false, left out of the denominator"
        else:
            policy = node.dont_know if answer.state is State.DONT_KNOW else node.skipped
            f = filled.get(i)
            name = type(policy).__name__
            if f is None:
                note = f"{answer.state.value}: left out, weights renormalised ({name})"
            else:
                s = f
                p = qp.lo + f * (qp.hi - qp.lo)
                note = f"{answer.state.value}: counted as {100 * f:.4g} ({name})"
        if answer.structural:
            why = "its condition is false: counted as its otherwise answer"
            note = why if note is None else f"{why}; {note}"
        share = a / total if (s is not None and total > 0) else 0.0
        linear = s is not None and node.linear and value is not None
        items.append(
            ItemResult(
                question=qp.question.id,
                state=answer.state,
                value=answer.value,
                points=p,
                max_points=qp.hi,
                score=None if s is None else 100.0 * s,
                weight=w,
                effective_weight=share,
                contribution=100.0 * share * s if linear and s is not None else None,
                note=note,
            )
        )
    return tuple(items)
