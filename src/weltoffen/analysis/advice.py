"""Advice for one respondent: strongest and weakest items, open questions, what-if gains.

Everything here reads a traced :class:`~weltoffen.scoring.results.Result`; the what-if gains are
found by re-scoring a changed response with the same plan, never by a formula of our own, so they
are exact for conditional questions, missing-answer policies and non-linear aggregations alike.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence

import attrs

from weltoffen.exceptions import Problem, ProblemCode, ResponseError, ScoringError
from weltoffen.model.answers import AnswerValue, Response, State
from weltoffen.model.questions import MultipleChoice, Numeric, YesNo
from weltoffen.scoring.engine import score
from weltoffen.scoring.plan import QuestionPlan, ScoringPlan
from weltoffen.scoring.results import DimensionResult, ItemResult, Result

__all__ = ["Advice", "Change", "FieldAdvice", "ItemNote", "OpenItem", "WhatIf", "advise"]

#: Gains below this are rounding noise, not advice.
_MIN_GAIN = 1e-9

#: Item points -> item score 0..100.
_Pct = Callable[[float], float]


@attrs.frozen(kw_only=True)
class ItemNote:
    """An answered item singled out as strong or weak.

    Attributes:
        question: The question id.
        dimension: The dimension that holds the question directly.
        value: The answer as given.
        score: The item's score, 0..100.
        weight: The item's weight in its dimension.
    """

    question: str
    dimension: str
    value: AnswerValue | None
    score: float
    weight: float


@attrs.frozen(kw_only=True)
class OpenItem:
    """A scored question without an answer: a question to settle in the workshop.

    Attributes:
        question: The question id.
        dimension: The dimension that holds the question directly.
        state: ``DONT_KNOW`` or ``SKIPPED``.
    """

    question: str
    dimension: str
    state: State


@attrs.frozen(kw_only=True)
class Change:
    """One alternative answer and what it would do.

    Attributes:
        answer: The answer that would be given instead.
        item_score: The item's score under that answer, 0..100.
        field_score: The field's score after the change, 0..100.
        gain: Points (0..100 scale) the field's score would rise.
        overall_gain: Points the overall score would rise (``None`` when either overall score
            is missing, e.g. not assessable).
    """

    answer: AnswerValue
    item_score: float
    field_score: float
    gain: float
    overall_gain: float | None


@attrs.frozen(kw_only=True)
class WhatIf:
    """What changing one answer would do to one field.

    Attributes:
        question: The question id.
        dimension: The dimension that holds the question directly.
        state: The question's current state (answered, don't know or skipped).
        current: The current answer (``None`` when there is none).
        changes: Every better answer that raises the field, from the smallest step to the
            largest (in order of the item's score).
    """

    question: str
    dimension: str
    state: State
    current: AnswerValue | None
    changes: tuple[Change, ...]

    @property
    def best(self) -> Change:
        """The change with the largest gain for the field (the first of equals)."""
        return max(self.changes, key=lambda c: c.gain)


@attrs.frozen(kw_only=True)
class FieldAdvice:
    """Advice for one dimension (a field of action or a sub-topic) over its whole subtree.

    Attributes:
        dimension: The dimension id.
        score: Its current score (``None`` when not assessable or not applicable).
        strongest: Up to three answered items with the highest scores.
        weakest: Up to three answered items with the lowest scores (never one of *strongest*).
        open: Scored questions answered "don't know" or skipped, in document order.
        what_if: The single-answer changes that would raise the score the most, ranked.
        dimensions: Advice for the child dimensions.
    """

    dimension: str
    score: float | None
    strongest: tuple[ItemNote, ...] = ()
    weakest: tuple[ItemNote, ...] = ()
    open: tuple[OpenItem, ...] = ()
    what_if: tuple[WhatIf, ...] = ()
    dimensions: tuple[FieldAdvice, ...] = ()


@attrs.frozen(kw_only=True)
class Advice:
    """Advice for one respondent, one entry per top-level dimension.

    Attributes:
        respondent: The respondent's id.
        score: The overall score the gains are measured from.
        fields: Advice per top-level dimension, in document order.
    """

    respondent: str
    score: float | None
    fields: tuple[FieldAdvice, ...]

    def iter_fields(self) -> Iterator[FieldAdvice]:
        """Every field's advice, depth first."""
        stack = list(reversed(self.fields))
        while stack:
            field = stack.pop()
            yield field
            stack.extend(reversed(field.dimensions))

    def field(self, id: str) -> FieldAdvice:
        """The advice for dimension *id*, wherever it is in the tree.

        Raises:
            KeyError: No dimension has that id.
        """
        for field in self.iter_fields():
            if field.dimension == id:
                return field
        raise KeyError(id)


def advise(
    plan: ScoringPlan,
    result: Result,
    *,
    response: Response | None = None,
    top: int = 5,
    extremes: int = 3,
) -> Advice:
    """Strongest, weakest and open items and ranked what-if advice for every dimension.

    Every candidate answer is scored once with *plan*; its gains for the dimension holding the
    question and for every dimension above it come from that one result.

    Args:
        plan: The plan *result* was scored with.
        result: A traced result (``score(plan, response, trace=True)``).
        response: The response behind *result*. Without it the answers are read back from the
            trace, which is exact except that a "don't know" on a hidden question reads as skipped.
        top: How many what-if entries to keep per dimension.
        extremes: How many strongest and weakest items to keep per dimension.

    Returns:
        The advice tree, mirroring the result's dimension tree.

    Raises:
        ScoringError: *result* carries no trace, or comes from another instrument.
    """
    if not result.traced:
        raise ScoringError(
            [
                Problem(
                    ProblemCode.NEEDS_TRACE,
                    "advice needs a traced result: score(plan, response, trace=True)",
                )
            ]
        )
    if result.instrument != plan.questionnaire.id:
        raise ScoringError(
            [
                Problem(
                    ProblemCode.WRONG_INSTRUMENT,
                    f"result of instrument {result.instrument!r} does not fit the plan of "
                    f"{plan.questionnaire.id!r}",
                )
            ]
        )
    answers = dict(response.answers) if response is not None else _answers_from(result)
    base = _response_like(result, answers, response)
    owners = _owners(plan)
    after = _what_ifs(plan, result, base, owners)
    counted = {
        node.id: frozenset(plan.questions[qi].question.id for qi in node.questions)
        for node in plan.nodes[:-1]
    }
    fields = tuple(
        _field(dim, counted, owners, after, result.score, top, extremes)
        for dim in result.dimensions
    )
    return Advice(respondent=result.respondent, score=result.score, fields=fields)


# -- reading the result ------------------------------------------------------------------------


def _answers_from(result: Result) -> dict[str, AnswerValue]:
    """The answers a traced result was scored from (skipped questions left out)."""
    answers: dict[str, AnswerValue] = {}
    for dim in result.iter_dimensions():
        for item in dim.items:
            if item.value is not None:
                answers[item.question] = item.value
            elif item.state in (State.DONT_KNOW, State.NOT_APPLICABLE):
                answers[item.question] = item.state
    return answers


def _response_like(
    result: Result, answers: Mapping[str, AnswerValue], response: Response | None
) -> Response:
    metadata = response.metadata if response is not None else result.metadata
    return Response(respondent=result.respondent, answers=dict(answers), metadata=metadata)


def _owners(plan: ScoringPlan) -> dict[str, tuple[str, ...]]:
    """Question id -> ids of the dimensions above it, innermost first (root left out)."""
    parent: dict[int, int] = {}
    for n, node in enumerate(plan.nodes):
        for child in node.children:
            parent[child] = n
    root = len(plan.nodes) - 1
    owners: dict[str, tuple[str, ...]] = {}
    for n, node in enumerate(plan.nodes[:-1]):
        chain: list[str] = []
        k = n
        while k != root:
            chain.append(plan.nodes[k].id)
            k = parent[k]
        for qi in node.listed:
            owners[plan.questions[qi].question.id] = tuple(chain)
    return owners


def _subtree(dim: DimensionResult) -> Iterator[DimensionResult]:
    stack = [dim]
    while stack:
        d = stack.pop()
        yield d
        stack.extend(reversed(d.dimensions))


# -- strongest, weakest, open ------------------------------------------------------------------


def _field(
    dim: DimensionResult,
    counted: Mapping[str, frozenset[str]],
    owners: Mapping[str, tuple[str, ...]],
    after: Sequence[_Candidate],
    overall: float | None,
    top: int,
    extremes: int,
) -> FieldAdvice:
    # Only the items the plan scores: free text and unscored questions are neither strong nor open.
    plan_items = [
        (item, d.id) for d in _subtree(dim) for item in d.items if item.question in counted[d.id]
    ]
    answered = [
        (i, item, owner)
        for i, (item, owner) in enumerate(plan_items)
        if item.state is State.ANSWERED and item.score is not None
    ]
    strongest, weakest = _extremes(answered, extremes)
    open_items = tuple(
        OpenItem(question=item.question, dimension=owner, state=item.state)
        for item, owner in plan_items
        if item.state in (State.DONT_KNOW, State.SKIPPED)
    )
    return FieldAdvice(
        dimension=dim.id,
        score=dim.score,
        strongest=strongest,
        weakest=weakest,
        open=open_items,
        what_if=_ranked(dim, owners, after, overall, top),
        dimensions=tuple(
            _field(child, counted, owners, after, overall, top, extremes)
            for child in dim.dimensions
        ),
    )


def _extremes(
    answered: Sequence[tuple[int, ItemResult, str]], limit: int
) -> tuple[tuple[ItemNote, ...], tuple[ItemNote, ...]]:
    """Split the answered items into strongest and weakest, never naming one item twice.

    With fewer than ``2 * limit`` items the strongest get the larger half. An item at full marks
    is never "weak" and one at zero never "strong".
    """
    n = len(answered)
    n_strong = min(limit, math.ceil(n / 2))
    n_weak = min(limit, n - n_strong)
    # Ties: the heavier item first (it matters more), then document order.
    high = sorted(answered, key=lambda a: (-_score(a[1]), -a[1].weight, a[0]))
    low = sorted(answered, key=lambda a: (_score(a[1]), -a[1].weight, a[0]))
    strong = [a for a in high[:n_strong] if _score(a[1]) > 0]
    taken = {a[0] for a in high[:n_strong]}
    weak = [a for a in low if a[0] not in taken][:n_weak]
    weak = [a for a in weak if _score(a[1]) < 100]
    return tuple(_note(a) for a in strong), tuple(_note(a) for a in weak)


def _score(item: ItemResult) -> float:
    assert item.score is not None  # only answered, scored items get here
    return item.score


def _note(entry: tuple[int, ItemResult, str]) -> ItemNote:
    _, item, owner = entry
    return ItemNote(
        question=item.question,
        dimension=owner,
        value=item.value,
        score=_score(item),
        weight=item.weight,
    )


# -- what-if -----------------------------------------------------------------------------------


@attrs.frozen
class _Candidate:
    """One alternative answer, scored: the dimension scores it leads to."""

    question: str
    state: State
    current: AnswerValue | None
    answer: AnswerValue
    item_score: float
    scores: Mapping[str, float | None]
    overall: float | None


def _what_ifs(
    plan: ScoringPlan, result: Result, base: Response, owners: Mapping[str, tuple[str, ...]]
) -> list[_Candidate]:
    """Score every better answer to every answerable question once."""
    states: dict[str, tuple[State, AnswerValue | None, float | None]] = {}
    for dim in result.iter_dimensions():
        for item in dim.items:
            states[item.question] = (item.state, item.value, item.score)
    out: list[_Candidate] = []
    for qp in plan.questions:
        qid = qp.question.id
        if not qp.counts or qid not in owners or qid not in states:
            continue
        state, value, item_score = states[qid]
        if state not in (State.ANSWERED, State.DONT_KNOW, State.SKIPPED):
            continue  # not applicable and hidden questions cannot be raised by answering
        current = item_score if state is State.ANSWERED else None
        for answer, new_score in _better_answers(qp, value, current):
            changed = attrs.evolve(base, answers={**base.answers, qid: answer})
            try:
                rescored = score(plan, changed)
            except ResponseError:  # a generated number the question refuses: no real option
                continue
            out.append(
                _Candidate(
                    question=qid,
                    state=state,
                    current=value,
                    answer=answer,
                    item_score=new_score,
                    scores={d.id: d.score for d in rescored.iter_dimensions()},
                    overall=rescored.score,
                )
            )
    return out


def _better_answers(
    qp: QuestionPlan, value: AnswerValue | None, current: float | None
) -> list[tuple[AnswerValue, float]]:
    """Answers that would score the item above *current* (any scoring answer when missing).

    Returns:
        ``(answer, item score 0..100)`` pairs, in order of the item score.
    """
    question = qp.question
    span = qp.hi - qp.lo
    floor = current if current is not None else 0.0

    def pct(points: float) -> float:
        return 100.0 * (points - qp.lo) / span

    found: list[tuple[AnswerValue, float]] = []
    if isinstance(question, YesNo):
        found = [(flag, pct(qp.points["yes" if flag else "no"])) for flag in (False, True)]
    elif isinstance(question, MultipleChoice):
        found = _multiple_answers(qp, question, value, pct)
    elif isinstance(question, Numeric):
        found = _numeric_answers(question, pct)
    else:
        found = [(option, pct(points)) for option, points in qp.points.items()]
    better = [(a, s) for a, s in found if s > floor + _MIN_GAIN]
    return sorted(better, key=lambda pair: pair[1])


def _multiple_answers(
    qp: QuestionPlan, question: MultipleChoice, value: AnswerValue | None, pct: _Pct
) -> list[tuple[AnswerValue, float]]:
    """One more option added to the current choice, or (when missing) each option alone."""
    chosen: tuple[str, ...] = ()
    if isinstance(value, str):
        chosen = (value,)
    elif isinstance(value, tuple | list):
        chosen = tuple(str(v) for v in value)
    most = question.max_selected
    out: list[tuple[AnswerValue, float]] = []
    for option, _points in qp.points.items():
        if option in chosen:
            continue
        pick = (*chosen, option)
        if len(pick) < question.min_selected or (most is not None and len(pick) > most):
            continue
        out.append((pick, pct(_multiple_points(qp, question, pick))))
    return out


def _multiple_points(qp: QuestionPlan, question: MultipleChoice, pick: Sequence[str]) -> float:
    chosen = [qp.points[v] for v in pick]
    if question.method == "max":
        return max(chosen)
    return min(math.fsum(chosen), qp.hi)


def _numeric_answers(question: Numeric, pct: _Pct) -> list[tuple[AnswerValue, float]]:
    """The smallest number reaching each threshold, or the number earning full marks."""
    out: list[tuple[AnswerValue, float]] = []
    if question.linear is not None:
        lin = question.linear
        out.append((_round(question, lin.high, up=lin.high >= lin.low), pct(lin.points)))
    else:
        out.extend((_round(question, t.min, up=True), pct(t.points)) for t in question.thresholds)
    low = -math.inf if question.minimum is None else question.minimum
    high = math.inf if question.maximum is None else question.maximum
    return [(v, s) for v, s in out if isinstance(v, int | float) and low <= v <= high]


def _round(question: Numeric, value: float, *, up: bool) -> AnswerValue:
    if not question.integer:
        return value
    return math.ceil(value) if up else math.floor(value)


def _ranked(
    dim: DimensionResult,
    owners: Mapping[str, tuple[str, ...]],
    after: Sequence[_Candidate],
    overall: float | None,
    top: int,
) -> tuple[WhatIf, ...]:
    """The what-if entries of *dim*, best gain first, at most *top*."""
    before = dim.score
    if before is None or top <= 0:
        return ()
    order: dict[str, int] = {}
    grouped: dict[str, list[Change]] = {}
    first: dict[str, _Candidate] = {}
    for k, cand in enumerate(after):
        if dim.id not in owners[cand.question]:
            continue
        new = cand.scores.get(dim.id)
        if new is None or new - before <= _MIN_GAIN:
            continue
        gain_all = None if cand.overall is None or overall is None else cand.overall - overall
        order.setdefault(cand.question, k)
        first.setdefault(cand.question, cand)
        grouped.setdefault(cand.question, []).append(
            Change(
                answer=cand.answer,
                item_score=cand.item_score,
                field_score=new,
                gain=new - before,
                overall_gain=gain_all,
            )
        )
    entries = [
        WhatIf(
            question=qid,
            dimension=owners[qid][0],
            state=first[qid].state,
            current=first[qid].current,
            changes=tuple(changes),
        )
        for qid, changes in grouped.items()
    ]
    entries.sort(key=lambda w: (-w.best.gain, -(w.best.overall_gain or 0.0), order[w.question]))
    return tuple(entries[:top])
