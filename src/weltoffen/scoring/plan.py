"""Compiling a questionnaire into a scoring plan: all checks and lookups, done once."""

from __future__ import annotations

import builtins
import math
from collections.abc import Mapping, Sequence
from typing import NamedTuple

import attrs

from weltoffen._arguments import expect_questionnaire
from weltoffen._fields import freeze
from weltoffen.exceptions import DefinitionError, Location, Problem, ProblemCode
from weltoffen.model.answers import AnswerValue, State
from weltoffen.model.conditions import Condition, referenced_questions
from weltoffen.model.dimensions import Band, Dimension
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import (
    MultipleChoice,
    Numeric,
    Option,
    Question,
    ScaleQuestion,
    TextQuestion,
    YesNo,
)
from weltoffen.scoring.check import check_questionnaire, options_of, point_range
from weltoffen.strategies import Exclude, SumOfPoints, WeightedMean
from weltoffen.typing import Aggregation, Child, MissingPolicy

__all__ = ["NodePlan", "QuestionPlan", "ScoringPlan", "compile"]


@attrs.frozen(kw_only=True)
class QuestionPlan:
    """A question, ready to score.

    Attributes:
        question: The question as defined.
        path: Where it is in the definition.
        lo: Fewest points it can earn; hi: most points.
        points: Option value -> points, reverse keying applied (choice-like questions only).
        gates: Indices into :attr:`ScoringPlan.gates` of the conditions that must all hold for the
            question to apply (its own and its dimensions').
        counts: Whether the question is scored (and so a child of its dimension).
        weight: The weight declared on the question; points in results are multiplied by it.
    """

    question: Question
    path: str
    lo: float
    hi: float
    points: Mapping[str, float] = attrs.field(converter=freeze)
    gates: tuple[int, ...]
    counts: bool
    weight: float = 1.0


@attrs.frozen(kw_only=True)
class NodePlan:
    """A dimension (or the root), ready to aggregate.

    Attributes:
        id: The dimension id (the questionnaire id for the root).
        path: Where it is in the definition (empty for the root).
        questions: Indices of its scored questions; ``question_weights`` their weighting-scheme
            weights and ``question_agg`` the weights that enter the aggregation.
        listed: Indices of all its questions, scored or not, for the trace.
        children: Indices of its child nodes (earlier in :attr:`ScoringPlan.nodes`), with
            ``child_weights`` and ``child_agg`` as for questions.
        linear: Whether the aggregation is a weighted mean, so contributions add up.
        gate: Index of the dimension's own condition in :attr:`ScoringPlan.gates`, if any.
    """

    id: str
    path: str
    questions: tuple[int, ...]
    question_weights: tuple[float, ...]
    question_agg: tuple[float, ...]
    listed: tuple[int, ...]
    children: tuple[int, ...]
    child_weights: tuple[float, ...]
    child_agg: tuple[float, ...]
    aggregation: Aggregation
    linear: bool
    dont_know: MissingPolicy
    skipped: MissingPolicy
    min_coverage: float
    bands: tuple[Band, ...]
    gate: int | None
    point_range: float


#: One question's answer as :func:`weltoffen.score` reads it (see :class:`Layout`): the type an
#: answer must have to take this row from a table, slot, state, value, points, then what the
#: question adds to its node's sums: weight * points, weight * most points, aggregation weight
#: (applicable), aggregation weight (answered), normalised score * aggregation weight, and the
#: count of its state. The sums get 0.0 where the question does not take part, which changes
#: no sum: so a node adds up all its rows without looking at their states.
Row = tuple[
    type[object],
    int,
    State,
    AnswerValue | None,
    float | None,
    float,
    float,
    float,
    float,
    float,
    int,
]

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
        bands: Its bands as (min, max, id), lowest first.
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
    bands: tuple[tuple[float, float, str], ...]
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
        measures: Per slot, (weight, lowest points, point range, aggregation weight, weight *
            most points, count unit of an answer), to build the row of an answer measured
            while scoring; the unit is 0 for a question that is not scored.
        nodes: Per node, what adding it up needs (see :class:`NodeLayout`).
        gate_steps: Every gate after the gates it depends on (those of the questions it reads),
            as (gate, slot, gates): for a condition on one answer, the slot of the question it
            reads and that question's gates; for one that combines conditions, slot -1.
        reads: Question id -> (slot, the question's gates), for the questions conditions read.
        guarded: (slot, gates) of every question with gates.
        lane: Bits per state in packed counts.
        shifts: Per state, in the order of ``State``, where its lane starts.
    """

    slots: tuple[int, ...]
    blank: tuple[Row, ...]
    tables: Mapping[str, Mapping[object, Row]]
    measures: tuple[tuple[float, float, float, float, float, int], ...]
    nodes: tuple[NodeLayout, ...]
    gate_steps: tuple[tuple[int, int, tuple[int, ...]], ...]
    reads: Mapping[str, tuple[int, tuple[int, ...]]]
    guarded: tuple[tuple[int, tuple[int, ...]], ...]
    lane: int
    shifts: tuple[int, ...]

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
        weight, lo, rng, aw, most, unit = self.measures[slot]
        if not unit or points is None:
            return (type(value), slot, State.ANSWERED, value, points, 0.0, 0.0, 0.0, 0.0, 0.0, 0)
        # the same operations, in the same order, as the sums of a node always made
        return (
            type(value),
            slot,
            State.ANSWERED,
            value,
            points,
            weight * points,
            most,
            aw,
            aw,
            (points - lo) / rng * aw,
            unit,
        )

    def missing(self, slot: int, state: State) -> Row:
        """The row of a question given the answer state *state* (not answered, not hidden)."""
        _, _, _, aw, most, unit = self.measures[slot]
        if not unit:
            return (State, slot, state, None, None, 0.0, 0.0, 0.0, 0.0, 0.0, 0)
        unit = self.unit(state)
        if state is State.NOT_APPLICABLE:
            return (State, slot, state, None, None, 0.0, 0.0, 0.0, 0.0, 0.0, unit)
        return (State, slot, state, None, None, 0.0, most, aw, 0.0, 0.0, unit)

    def hidden(self, row: Row) -> Row:
        """*row* hidden by a condition: it keeps its value and points but counts for nothing."""
        kind, slot, _, value, points, *_ = row
        unit = self.unit(State.HIDDEN) if self.measures[slot][5] else 0
        return (kind, slot, State.HIDDEN, value, points, 0.0, 0.0, 0.0, 0.0, 0.0, unit)


@attrs.frozen(kw_only=True)
class ScoringPlan:
    """A checked questionnaire with everything precomputed; reusable and safe to share.

    Obtain one with :func:`compile`. Nodes are in post-order: every child before its parent, the
    root (the questionnaire itself) last.
    """

    questionnaire: Questionnaire
    questions: tuple[QuestionPlan, ...]
    index: Mapping[str, int] = attrs.field(converter=freeze)
    nodes: tuple[NodePlan, ...]
    gates: tuple[Condition, ...]
    gate_targets: tuple[str, ...]
    #: Derived from the fields above (so ``attrs.evolve`` recomputes it): per node, per scored
    #: question, ``(index, weight, aggregation weight, question weight, lo, hi - lo,
    #: question weight * hi)``, the numbers the engine's inner loop reads.
    rows: tuple[tuple[tuple[int, float, float, float, float, float, float], ...], ...] = (
        attrs.field(
            init=False,
            eq=False,
            repr=False,
            default=attrs.Factory(lambda plan: _rows(plan), takes_self=True),
        )
    )

    #: Derived too: the plan laid out flat for :func:`weltoffen.score` (see :class:`Layout`).
    layout: Layout = attrs.field(
        init=False,
        eq=False,
        repr=False,
        default=attrs.Factory(lambda plan: _layout(plan), takes_self=True),
    )

    @property
    def root(self) -> NodePlan:
        """The node of the overall score."""
        return self.nodes[-1]

    def node(self, id: str) -> NodePlan:
        """The node of dimension *id*.

        Raises:
            KeyError: No dimension has that id.
        """
        for node in self.nodes[:-1]:
            if node.id == id:
                return node
        raise KeyError(id)


def _rows(
    plan: ScoringPlan,
) -> tuple[tuple[tuple[int, float, float, float, float, float, float], ...], ...]:
    questions = plan.questions
    return tuple(
        tuple(
            (qi, w, aw, q.weight, q.lo, q.hi - q.lo, q.weight * q.hi)
            for qi, w, aw in zip(node.questions, node.question_weights, node.question_agg)
            for q in (questions[qi],)
        )
        for node in plan.nodes
    )


def _layout(plan: ScoringPlan) -> Layout:
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
    measures: list[tuple[float, float, float, float, float, int]] = [
        (qp.weight, qp.lo, qp.hi - qp.lo, 0.0, 0.0, 0) for qp in (questions[qi] for qi in order)
    ]
    for node_rows in plan.rows:
        for qi, _w, aw, weight, lo, rng, most in node_rows:
            measures[slots[qi]] = (weight, lo, rng, aw, most, answered_unit)
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
        reads={
            qid: (slots[plan.index[qid]], questions[plan.index[qid]].gates)
            for cond in plan.gates
            for qid in referenced_questions(cond)
            if qid in plan.index
        },
        guarded=tuple((slots[qi], qp.gates) for qi, qp in enumerate(questions) if qp.gates),
        lane=lane,
        shifts=tuple(lane * LANES.index(state) for state in State),
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
        tables[question.id] = table
    return attrs.evolve(layout, blank=blank, tables=tables)


def _node_layout(
    node: NodePlan,
    span: tuple[int, int],
    measures: Sequence[tuple[float, float, float, float, float, int]],
) -> NodeLayout:
    attainable = applicable = 0.0
    for _, _, _, aw, most, _ in measures:  # in slot order, as the engine adds them
        attainable += most
        applicable += aw
    return NodeLayout(
        id=node.id,
        simple=type(node.aggregation) in (WeightedMean, SumOfPoints)
        and type(node.dont_know) is Exclude
        and type(node.skipped) is Exclude,
        start=span[0],
        stop=span[1],
        attainable=attainable,
        applicable=applicable,
        exact=_exact([m[3] for m in measures]),
        kids=tuple(zip(node.children, node.child_agg)),
        bands=tuple((b.min, b.max, b.id) for b in node.bands),
        min_coverage=node.min_coverage,
    )


def _exact(weights: Sequence[float]) -> bool:
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


def compile(questionnaire: Questionnaire) -> ScoringPlan:
    """Check *questionnaire* as a whole and precompute what scoring needs.

    Compiling twice gives equal plans; the plan holds the questionnaire it came from.

    Raises:
        DefinitionError: With every problem found, each with its path.
        TypeError: *questionnaire* is not a questionnaire (a path or plain data still needs
            loading: :func:`weltoffen.load_questionnaire`).
    """
    expect_questionnaire("compile(questionnaire)", questionnaire)
    problems = check_questionnaire(questionnaire)
    if problems:
        raise DefinitionError(problems)
    return _Builder(questionnaire).build()


class _Builder:
    def __init__(self, q: Questionnaire) -> None:
        self.q = q
        self.scales: dict[str, Sequence[Option]] = {s.id: s.options for s in q.scales}
        self.questions: list[QuestionPlan] = []
        self.nodes: list[NodePlan] = []
        self.gates: list[Condition] = []
        self.gate_targets: list[str] = []
        self.problems: list[Problem] = []

    def build(self) -> ScoringPlan:
        root = Dimension(
            id=self.q.id,
            weighting=self.q.weighting,
            aggregation=self.q.aggregation,
            scoring=self.q.scoring,
            bands=self.q.bands,
            dimensions=self.q.dimensions,
        )
        defaults = self.q.scoring
        self._node(
            root,
            "",
            (),
            defaults.dont_know or Exclude(),
            defaults.skipped or Exclude(),
            defaults.min_coverage or 0.0,
        )
        index = {qp.question.id: i for i, qp in enumerate(self.questions)}
        if self.problems:
            raise DefinitionError(self.problems)
        return ScoringPlan(
            questionnaire=self.q,
            questions=tuple(self.questions),
            index=index,
            nodes=tuple(self.nodes),
            gates=tuple(self.gates),
            gate_targets=tuple(self.gate_targets),
        )

    def _gate(self, cond: Condition | None, target: str) -> int | None:
        if cond is None:
            return None
        self.gates.append(cond)
        self.gate_targets.append(target)
        return len(self.gates) - 1

    def _node(
        self,
        dim: Dimension,
        path: str,
        gates: tuple[int, ...],
        dont_know: MissingPolicy,
        skipped: MissingPolicy,
        min_coverage: float,
        location: Location = (),
    ) -> tuple[int, float, int]:
        """Add *dim* and its subtree; return its node index, point range and item count."""
        dont_know = dim.scoring.dont_know or dont_know
        skipped = dim.scoring.skipped or skipped
        if dim.scoring.min_coverage is not None:
            min_coverage = dim.scoring.min_coverage
        gate = self._gate(dim.when, path or "(root)")
        if gate is not None:
            gates = (*gates, gate)
        prefix = f"{path}." if path else ""

        kids: list[Child] = []
        ranges: list[float] = []
        scored: list[int] = []
        listed: list[int] = []
        for i, question in enumerate(dim.questions):
            qpath = f"{prefix}questions[{i}]"
            qi = self._question(question, qpath, gates)
            listed.append(qi)
            if self.questions[qi].counts:
                scored.append(qi)
                qp = self.questions[qi]
                kids.append(
                    Child(id=question.id, weight=question.weight, items=1, is_dimension=False)
                )
                ranges.append(qp.hi - qp.lo)
        child_nodes: list[int] = []
        items = len(scored)
        for i, child in enumerate(dim.dimensions):
            ni, rng, n = self._node(
                child,
                f"{prefix}dimensions[{i}]",
                gates,
                dont_know,
                skipped,
                min_coverage,
                (*location, "dimensions", i),
            )
            child_nodes.append(ni)
            kids.append(Child(id=child.id, weight=child.weight, items=n, is_dimension=True))
            ranges.append(rng)
            items += n

        weights = self._weigh(dim, kids, (*location, "weighting"))
        by_points = getattr(dim.aggregation, "weights_by_points", False)
        agg = [w * r for w, r in zip(weights, ranges)] if by_points else list(weights)
        nq = len(scored)
        node = NodePlan(
            id=dim.id,
            path=path,
            questions=tuple(scored),
            question_weights=tuple(weights[:nq]),
            question_agg=tuple(agg[:nq]),
            listed=tuple(listed),
            children=tuple(child_nodes),
            child_weights=tuple(weights[nq:]),
            child_agg=tuple(agg[nq:]),
            aggregation=dim.aggregation,
            linear=isinstance(dim.aggregation, WeightedMean | SumOfPoints),
            dont_know=dont_know,
            skipped=skipped,
            min_coverage=min_coverage,
            bands=tuple(sorted(dim.bands, key=lambda b: b.min)),
            gate=gate,
            point_range=sum(w * r for w, r in zip(weights, ranges)),
        )
        self.nodes.append(node)
        return len(self.nodes) - 1, node.point_range, items

    def _weigh(self, dim: Dimension, kids: list[Child], path: Location) -> list[float]:
        try:
            weights = [builtins.float(w) for w in dim.weighting.weigh(kids)]
        except ValueError as exc:  # the weighting's own verdict on its parameters
            self.problems.append(Problem(ProblemCode.BAD_VALUE, str(exc), location=path))
            return [0.0] * len(kids)
        except Exception as exc:  # a plugin's bug must not escape as a bare error
            self.problems.append(
                Problem(
                    ProblemCode.STRATEGY_FAILED,
                    f"weighting failed: {type(exc).__name__}: {exc}",
                    location=path,
                )
            )
            return [0.0] * len(kids)
        if len(weights) != len(kids):
            self.problems.append(
                Problem(
                    ProblemCode.STRATEGY_FAILED,
                    "weighting returned the wrong number of weights",
                    location=path,
                    expected=str(len(kids)),
                    got=str(len(weights)),
                )
            )
            return [0.0] * len(kids)
        for kid, w in zip(kids, weights):
            if not (w >= 0 and w < float("inf")):
                self.problems.append(
                    Problem(
                        ProblemCode.STRATEGY_FAILED,
                        f"weight of {kid.id!r} must be finite and >= 0",
                        location=path,
                        got=repr(w),
                    )
                )
        if kids and not any(w > 0 for w in weights):
            self.problems.append(
                Problem(
                    ProblemCode.CANNOT_SCORE,
                    f"every weight in dimension {dim.id!r} is zero",
                    location=path,
                )
            )
        return weights

    def _question(self, question: Question, path: str, gates: tuple[int, ...]) -> int:
        gate = self._gate(question.when, question.id)
        lo, hi = (
            (0.0, 0.0) if isinstance(question, TextQuestion) else point_range(question, self.scales)
        )
        points: dict[str, float] = {}
        if isinstance(question, YesNo):
            points = {"yes": question.yes_points, "no": question.no_points}
        else:
            for option in options_of(question, self.scales):
                p = option.points
                if isinstance(question, ScaleQuestion) and question.reverse:
                    p = lo + hi - p
                points[option.value] = p
        self.questions.append(
            QuestionPlan(
                question=question,
                path=path,
                lo=lo,
                hi=hi,
                points=points,
                gates=(*gates, gate) if gate is not None else gates,
                counts=question.scored and not isinstance(question, TextQuestion) and hi > lo,
                weight=question.weight,
            )
        )
        return len(self.questions) - 1
