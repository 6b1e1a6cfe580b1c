"""The plan laid out flat for scoring one response: rows, node layouts and their builders.

:func:`weltoffen.score` reads a plan through its :class:`Layout`: lists of named tuples it can
add up in one loop. The layout is derived from a plan (``ScoringPlan.layout``), never given.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Final, NamedTuple

import attrs

from weltoffen._frozen import FrozenDict
from weltoffen._repr import value_repr
from weltoffen.model.answers import AnswerValue, State
from weltoffen.model.conditions import referenced_questions
from weltoffen.model.questions import MultipleChoice, Numeric, TextQuestion, YesNo
from weltoffen.scoring.answers import measure
from weltoffen.strategies import Exclude, SumOfPoints, WeightedMean

if TYPE_CHECKING:
    from weltoffen.scoring.plan import NodePlan, ScoringPlan

__all__ = [
    "APPLICABLE",
    "ATTAINABLE",
    "COVERED",
    "EARNED",
    "KIND",
    "LANES",
    "POINTS",
    "ROW_FIELDS",
    "SLOT",
    "STATE",
    "UNIT",
    "VALUE",
    "WEIGHTED",
    "Layout",
    "Measure",
    "NodeLayout",
    "QuestionRow",
    "Row",
    "exact_sum",
    "layout_of",
    "question_rows",
]


#: One question's answer as :func:`weltoffen.score` reads it (see :class:`Layout`): a plain
#: tuple whose fields are read by the names below, never by a bare position. (A NamedTuple
#: would name them too, but CPython 3.11 unpacks and indexes only exact tuples on its fast
#: path: rows as NamedTuples made scoring one response about a tenth slower.)
#:
#: The sums get 0.0 where the question does not take part, which changes no sum: so a node
#: adds up all its rows without looking at their states.
Row = tuple[
    type[object],  # KIND: the type an answer must have to take this row from a table
    int,  # SLOT: the question's slot
    State,  # STATE: the answer state
    AnswerValue | None,  # VALUE: the answer as given (None for a state)
    float | None,  # POINTS: its points (None for free text or a state)
    float,  # EARNED: weight * points
    float,  # ATTAINABLE: weight * most points, where the question applies
    float,  # APPLICABLE: its aggregation weight, where the question applies
    float,  # COVERED: its aggregation weight, where it is answered
    float,  # WEIGHTED: normalised score * aggregation weight, where it is answered
    int,  # UNIT: what it adds to the packed counts of its node
]
#: The fields of a :data:`Row`, in order (a row is unpacked into these names).
ROW_FIELDS = (
    "kind",
    "slot",
    "state",
    "value",
    "points",
    "earned",
    "attainable",
    "applicable",
    "covered",
    "weighted",
    "unit",
)
#: Where each field is in a row (``Final``, so that type checkers know each field's type).
KIND: Final = 0
SLOT: Final = 1
STATE: Final = 2
VALUE: Final = 3
POINTS: Final = 4
EARNED: Final = 5
ATTAINABLE: Final = 6
APPLICABLE: Final = 7
COVERED: Final = 8
WEIGHTED: Final = 9
UNIT: Final = 10


#: What the row of a question needs besides its answer (see :meth:`Layout.answered`), a plain
#: tuple for the same reason as :data:`Row`, always unpacked into these names:
#: ``weight, lo, span, agg, most, unit``: the question's declared weight, its fewest points,
#: most points - fewest, its aggregation weight and weight * most points (both 0 where not
#: scored), and its count unit when answered (0 for a question that is not scored).
Measure = tuple[float, float, float, float, float, int]


#: The answer states in the order of their lanes in packed counts, lowest first. The states
#: of questions that take no part in their node (not applicable, hidden) come last, so that one
#: shift tells whether a node has any.
LANES = (State.ANSWERED, State.DONT_KNOW, State.SKIPPED, State.NOT_APPLICABLE, State.HIDDEN)
_STATE_KEYS = tuple(s.value for s in State)  # the keys of counts, in their order


class NodeLayout(NamedTuple):
    """A node as :func:`weltoffen.score` reads it: a tuple, so that one step unpacks it.

    Attributes:
        id: The dimension id.
        simple: Whether it is a weighted mean (or sum of points) and both policies exclude
            missing answers: then its sums need nothing but its rows.
        start: First slot of its scored questions; stop: the slot after the last.
        attainable: Weighted most points of its questions when all of them take part (none
            not applicable or hidden), added up in slot order; applicable: their aggregation
            weights, added up the same way.
        exact: Whether every sum of its questions' aggregation weights is exact, in any order.
            Then the answered weight added up in slot order is also the ``fsum`` of the
            answered weights, and one sum serves for both.
        kids: (child node, aggregation weight) for each child.
        bands: Its bands as (min, max, id, closed), lowest first; ``closed`` marks the top band,
            which also includes its max.
        on_points: Whether its bands are on its points rather than on its score.
        min_coverage: The coverage below which it has no score.
    """

    id: str
    simple: bool
    start: int
    stop: int
    attainable: float
    applicable: float
    exact: bool
    kids: tuple[tuple[int, float], ...]
    bands: tuple[tuple[float, float, str, bool], ...]
    on_points: bool
    min_coverage: float


@attrs.frozen(kw_only=True)
class Layout:
    """The plan laid out flat for scoring one response; derived from a plan, never given.

    Each question has a slot. The slots of a node's scored questions are consecutive and in the
    node's order, so the engine adds a node up over one slice of a list of rows, one per slot.
    Counts per state are packed into one integer, a lane of :attr:`lane` bits per state (in the
    order of :data:`LANES`), so that one addition per question counts all five states.

    Attributes:
        slots: Question index -> slot.
        blank: Per slot, the row of an unanswered (skipped) question.
        tables: Question id -> answer -> row, for the answers that a lookup settles: options,
            ``True``/``False`` for yes/no, and the answer states the question allows. A row
            applies only to an answer of the type it names (so ``1`` does not pass for ``True``).
        measures: Per slot, what the row of an answer measured while scoring needs (see
            :class:`Measure`).
        nodes: Per node, what adding it up needs (see :class:`NodeLayout`).
        gate_steps: Every gate after the gates it depends on (those of the questions it reads),
            as (gate, slot, gates): for a condition on one answer, the slot of the question it
            reads and that question's gates; for one that combines conditions, slot -1.
        reads: Question id -> (slot, the question's gates), for the questions conditions read.
        guarded: (slot, gates, otherwise) of every question with gates: *otherwise* is the row
            it takes while its own condition (its last gate) is false and the enclosing ones
            hold, or ``None`` to be hidden then.
        lane: Bits per state in packed counts.
        shifts: Per state, in the order of ``State``, where its lane starts.
        codes: Question id -> its missing-value codes (canonical text -> state), only for the
            questions that have any: empty when the questionnaire uses none.
        otherwise: Question index -> the row of its ``otherwise`` answer (a row of its own, so
            that the trace tells it from the same answer given).
        simple: Whether every node is simple (see :class:`NodeLayout`): then adding up needs
            nothing but the rows, which the compiled fast path of score() does.
    """

    __repr__ = value_repr

    slots: tuple[int, ...]
    blank: tuple[Row, ...]
    tables: Mapping[str, Mapping[object, Row]]
    measures: tuple[Measure, ...]
    nodes: tuple[NodeLayout, ...]
    gate_steps: tuple[tuple[int, int, tuple[int, ...]], ...]
    reads: Mapping[str, tuple[int, tuple[int, ...]]]
    guarded: tuple[tuple[int, tuple[int, ...], Row | None], ...]
    lane: int
    shifts: tuple[int, ...]
    codes: Mapping[str, Mapping[str, State]] = FrozenDict()
    otherwise: Mapping[int, Row] = FrozenDict()
    simple: bool = False

    def unit(self, state: State) -> int:
        """What one question in *state* adds to packed counts."""
        return 1 << (self.lane * LANES.index(state))

    def unpack(self, packed: int) -> dict[str, int]:
        """Packed counts as the ``counts`` of a result (keys in the order of ``State``)."""
        mask = (1 << self.lane) - 1
        return {key: (packed >> shift) & mask for key, shift in zip(_STATE_KEYS, self.shifts)}

    def pack(self, counts: Mapping[str, int]) -> int:
        """The ``counts`` of a result, packed."""
        packed = 0
        for key, shift in zip(_STATE_KEYS, self.shifts):
            packed |= counts.get(key, 0) << shift
        return packed

    def answered(self, slot: int, value: AnswerValue, points: float | None) -> Row:
        """The row of the answer *value* earning *points* (``None`` for free text)."""
        weight, lo, span, agg, most, unit = self.measures[slot]
        if not unit or points is None:
            return (type(value), slot, State.ANSWERED, value, points, 0.0, 0.0, 0.0, 0.0, 0.0, 0)
        # the same operations, in the same order, as the sums of a node always made
        earned, weighted = weight * points, (points - lo) / span * agg
        return (
            type(value),
            slot,
            State.ANSWERED,
            value,
            points,
            earned,
            most,
            agg,
            agg,
            weighted,
            unit,
        )

    def missing(self, slot: int, state: State) -> Row:
        """The row of a question given the answer state *state* (not answered, not hidden)."""
        _weight, _lo, _span, agg, most, unit = self.measures[slot]
        if not unit:
            return (State, slot, state, None, None, 0.0, 0.0, 0.0, 0.0, 0.0, 0)
        unit = self.unit(state)
        if state is State.NOT_APPLICABLE:
            return (State, slot, state, None, None, 0.0, 0.0, 0.0, 0.0, 0.0, unit)
        return (State, slot, state, None, None, 0.0, most, agg, 0.0, 0.0, unit)

    def hidden(self, row: Row) -> Row:
        """*row* hidden by a condition: it keeps its value and points but counts for nothing."""
        slot = row[SLOT]
        _weight, _lo, _span, _agg, _most, scored = self.measures[slot]
        unit = self.unit(State.HIDDEN) if scored else 0
        kind, value, points = row[KIND], row[VALUE], row[POINTS]
        return (kind, slot, State.HIDDEN, value, points, 0.0, 0.0, 0.0, 0.0, 0.0, unit)


#: A scored question of a node, with the numbers the engine's general aggregation reads: a
#: plain tuple for the same reason as :data:`Row`, always unpacked into these names:
#: ``question, weight, agg, declared, lo, span, most``: the question's index in the plan, its
#: weight from the node's weighting scheme, its weight in the aggregation, the weight declared
#: on the question, its fewest points, most points - fewest, and declared * most points.
QuestionRow = tuple[int, float, float, float, float, float, float]


def question_rows(plan: ScoringPlan) -> tuple[tuple[QuestionRow, ...], ...]:
    """Per node, a :data:`QuestionRow` for each of its scored questions (``ScoringPlan.rows``)."""
    questions = plan.questions
    return tuple(
        tuple(
            (qi, w, aw, q.weight, q.lo, q.hi - q.lo, q.weight * q.hi)
            for qi, w, aw in zip(node.questions, node.question_weights, node.question_agg)
            for q in (questions[qi],)
        )
        for node in plan.nodes
    )


def layout_of(plan: ScoringPlan) -> Layout:
    """The layout of *plan* for score(); see :class:`Layout`."""
    questions = plan.questions
    n = len(questions)
    slots = [-1] * n
    spans: list[tuple[int, int]] = []
    order: list[int] = []  # slot -> question index
    for node in plan.nodes:
        start = len(order)
        for qi in node.questions:
            slots[qi] = len(order)
            order.append(qi)
        spans.append((start, len(order)))
    for qi in range(n):  # questions that are not scored come after every node's
        if slots[qi] < 0:
            slots[qi] = len(order)
            order.append(qi)
    lane = max(1, n.bit_length())  # a lane holds any count up to the number of questions
    answered_unit = 1  # answers count in the first lane
    measures = [
        (qp.weight, qp.lo, qp.hi - qp.lo, 0.0, 0.0, 0) for qp in (questions[qi] for qi in order)
    ]
    for node_rows in plan.rows:
        for index, _weight, agg, declared, lo, span, most in node_rows:
            measures[slots[index]] = (declared, lo, span, agg, most, answered_unit)
    layout = Layout(
        slots=tuple(slots),
        blank=(),
        tables={},
        measures=tuple(measures),
        nodes=tuple(
            _node_layout(node, span, measures[span[0] : span[1]])
            for node, span in zip(plan.nodes, spans)
        ),
        gate_steps=tuple(_gate_step(plan, g, slots) for g in _gate_order(plan)),
        reads=FrozenDict(
            {
                qid: (slots[plan.index[qid]], questions[plan.index[qid]].gates)
                for cond in plan.gates
                for qid in referenced_questions(cond)
                if qid in plan.index
            }
        ),
        guarded=(),
        lane=lane,
        shifts=tuple(lane * LANES.index(state) for state in State),
        codes=FrozenDict({qp.question.id: qp.codes for qp in questions if qp.codes}),
    )
    blank = tuple(layout.missing(slot, State.SKIPPED) for slot in range(n))
    tables: dict[str, dict[object, Row]] = {}
    for qi, qp in enumerate(questions):
        slot, question = slots[qi], qp.question
        table: dict[object, Row] = {State.SKIPPED: blank[slot]}
        if question.dont_know:
            table[State.DONT_KNOW] = layout.missing(slot, State.DONT_KNOW)
        if question.not_applicable:
            table[State.NOT_APPLICABLE] = layout.missing(slot, State.NOT_APPLICABLE)
        if isinstance(question, YesNo):
            for value in (True, False):
                table[value] = layout.answered(slot, value, qp.points["yes" if value else "no"])
        elif not isinstance(question, TextQuestion | Numeric | MultipleChoice):
            for option, points in qp.points.items():  # a scale or a choice: its options
                table[option] = layout.answered(slot, option, points)
        tables[question.id] = FrozenDict(table)
    otherwise = _otherwise_rows(plan, layout, slots)
    guarded = tuple(
        (slots[qi], qp.gates, otherwise.get(qi)) for qi, qp in enumerate(questions) if qp.gates
    )
    # read-only, as the rest of the plan: a plan is shared between threads and callers
    return attrs.evolve(
        layout,
        blank=blank,
        tables=FrozenDict(tables),
        guarded=guarded,
        otherwise=FrozenDict(otherwise),
        simple=all(node.simple for node in layout.nodes),
    )


def _otherwise_rows(plan: ScoringPlan, layout: Layout, slots: Sequence[int]) -> dict[int, Row]:
    """The row of each question's ``otherwise`` answer, by question index."""
    rows: dict[int, Row] = {}
    for qi, qp in enumerate(plan.questions):
        value = qp.question.otherwise
        if value is None or qp.question.when is None:
            continue
        slot = slots[qi]
        if isinstance(value, State):
            rows[qi] = layout.missing(slot, value)
        else:
            rows[qi] = layout.answered(slot, value, measure(qp, value))
    return rows


def _node_layout(
    node: NodePlan,
    span: tuple[int, int],
    measures: Sequence[Measure],
) -> NodeLayout:
    attainable = applicable = 0.0
    aggs = []
    for _weight, _lo, _span, agg, most, _unit in measures:  # in slot order, as the engine adds
        attainable += most
        applicable += agg
        aggs.append(agg)
    return NodeLayout(
        id=node.id,
        simple=type(node.aggregation) in (WeightedMean, SumOfPoints)
        and type(node.dont_know) is Exclude
        and type(node.skipped) is Exclude,
        start=span[0],
        stop=span[1],
        attainable=attainable,
        applicable=applicable,
        exact=exact_sum(aggs),
        kids=tuple(zip(node.children, node.child_agg)),
        bands=tuple((b.min, b.max, b.id, b is node.bands[-1]) for b in node.bands),
        on_points=node.bands_on == "points",
        min_coverage=node.min_coverage,
    )


def exact_sum(weights: Sequence[float]) -> bool:
    """Whether every sum of some of *weights*, in any order, is exact.

    Every float is a whole multiple of 1/2**k for some k. Take the largest such denominator
    among *weights*: when all of them together make fewer than 2**53 of its units, every
    partial sum is a whole number of units below 2**53, which a float holds exactly.
    """
    if not all(math.isfinite(w) for w in weights):
        return False
    ratios = [w.as_integer_ratio() for w in weights]  # denominators are powers of two
    unit = max((den for _, den in ratios), default=1)
    return sum(abs(num) * (unit // den) for num, den in ratios) < 2**53


def _gate_step(plan: ScoringPlan, g: int, slots: Sequence[int]) -> tuple[int, int, tuple[int, ...]]:
    cond = plan.gates[g]
    qid = getattr(cond, "question", None)  # the leaves have one; all / any / not do not
    if not isinstance(qid, str) or qid not in plan.index:
        return (g, -1, ())
    qi = plan.index[qid]
    return (g, slots[qi], plan.questions[qi].gates)


def _gate_order(plan: ScoringPlan) -> tuple[int, ...]:
    """The gates in an order where each comes after the gates it depends on.

    A gate depends on the gates of the questions its condition reads. Evaluated in this order,
    a chain of conditions of any length needs no recursion (compile() refuses cycles).
    """
    index, questions = plan.index, plan.questions
    deps = [
        sorted(
            {h for q in referenced_questions(c) if q in index for h in questions[index[q]].gates}
        )
        for c in plan.gates
    ]
    order: list[int] = []
    placed = [False] * len(deps)
    for start in range(len(deps)):
        stack = [(start, iter(deps[start]))]
        while stack:
            g, pending = stack[-1]
            after = next((h for h in pending if not placed[h]), None)
            if after is None:
                stack.pop()
                if not placed[g]:
                    placed[g] = True
                    order.append(g)
            elif after in (s for s, _ in stack):  # a cycle (only in a plan built by hand)
                continue
            else:
                stack.append((after, iter(deps[after])))
    return tuple(order)
