"""Compiling a questionnaire into a scoring plan: all checks and lookups, done once."""

from __future__ import annotations

import builtins
import functools
from collections.abc import Mapping, Sequence

import attrs

from weltoffen._arguments import expect_questionnaire
from weltoffen._frozen import freeze
from weltoffen._repr import value_repr
from weltoffen.exceptions import DefinitionError, Location, Problem, ProblemCode
from weltoffen.model.answers import GIVEN_STATES, State
from weltoffen.model.conditions import Condition
from weltoffen.model.dimensions import Band, BandsOn, Dimension
from weltoffen.model.queries import options_of
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import (
    Option,
    Question,
    ScaleQuestion,
    TextQuestion,
    YesNo,
)
from weltoffen.scoring.answers import code_key
from weltoffen.scoring.check import check_questionnaire, point_range
from weltoffen.scoring.layout import Layout, QuestionRow
from weltoffen.scoring.layout import layout_of as _layout
from weltoffen.scoring.layout import question_rows as _rows
from weltoffen.strategies import Exclude, SumOfPoints, WeightedMean
from weltoffen.typing import Aggregation, Child, MissingPolicy
from weltoffen.versions.fingerprint import fingerprint as definition_fingerprint

__all__ = [
    "NodePlan",
    "QuestionPlan",
    "ScoringPlan",
    "compile",
    "missing_codes_of",
    "plan_problems",
    "question_codes",
    "question_plan",
]


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
        codes: Its missing-value codes (the questionnaire's that apply to it, then its own), by
            their canonical text (:func:`~weltoffen.scoring.answers.code_key`) -> the state.
    """

    __repr__ = value_repr

    question: Question
    path: str
    lo: float
    hi: float
    points: Mapping[str, float] = attrs.field(converter=freeze)
    gates: tuple[int, ...]
    counts: bool
    weight: float = 1.0
    codes: Mapping[str, State] = attrs.field(factory=dict, converter=freeze)


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
        bands: Its bands, lowest first; ``bands_on`` says whether they are on its score or on
            its points.
    """

    __repr__ = value_repr

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
    bands_on: BandsOn = "score"


@attrs.frozen(kw_only=True)
class ScoringPlan:
    """A checked questionnaire with everything precomputed; reusable and safe to share.

    Obtain one with :func:`compile`. Nodes are in post-order: every child before its parent, the
    root (the questionnaire itself) last.
    """

    __repr__ = value_repr

    questionnaire: Questionnaire
    questions: tuple[QuestionPlan, ...]
    index: Mapping[str, int] = attrs.field(converter=freeze)
    nodes: tuple[NodePlan, ...]
    gates: tuple[Condition, ...]
    gate_targets: tuple[str, ...]
    #: Derived from the fields above (so ``attrs.evolve`` recomputes it): per node, per scored
    #: question, a :data:`~weltoffen.scoring.layout.QuestionRow`: the numbers the engine's
    #: inner loop reads.
    rows: tuple[tuple[QuestionRow, ...], ...] = attrs.field(
        init=False,
        eq=False,
        repr=False,
        default=attrs.Factory(lambda plan: _rows(plan), takes_self=True),
    )

    #: Derived too: the plan laid out flat for :func:`weltoffen.score` (see :class:`Layout`).
    layout: Layout = attrs.field(
        init=False,
        eq=False,
        repr=False,
        default=attrs.Factory(lambda plan: _layout(plan), takes_self=True),
    )

    @functools.cached_property
    def fingerprint(self) -> str:
        """:func:`weltoffen.versions.fingerprint.fingerprint` of the questionnaire, which every
        result of this plan records. Made on first use, not by :func:`compile`: hashing the
        definition costs more than compiling it."""
        return definition_fingerprint(self.questionnaire)

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


def compile(questionnaire: Questionnaire) -> ScoringPlan:
    """Check *questionnaire* as a whole and precompute what scoring needs.

    Compiling twice gives equal plans (the same plan, for the questionnaire object compiled
    last); the plan holds the questionnaire it came from.

    Raises:
        DefinitionError: With every problem found, each with its path.
        TypeError: *questionnaire* is not a questionnaire (a path or plain data still needs
            loading: :func:`weltoffen.load_questionnaire`).
    """
    global _last
    last = _last
    if last is not None and last[0] is questionnaire:
        return last[1]
    expect_questionnaire("compile(questionnaire)", questionnaire)
    problems = check_questionnaire(questionnaire)
    if problems:
        raise DefinitionError([*problems, *plan_problems(questionnaire, problems)])
    plan = _Builder(questionnaire).build()
    _last = (questionnaire, plan)
    return plan


#: The questionnaire compiled last and its plan. Loading a bundled instrument compiles it to
#: check it, and the caller then compiles the same object again: a questionnaire cannot change,
#: so its plan is kept (one, no more) and handed out again.
_last: tuple[Questionnaire, ScoringPlan] | None = None


def plan_problems(questionnaire: Questionnaire, found: Sequence[Problem]) -> list[Problem]:
    """What only building the plan finds (a weighting naming unknown children, ...) in a
    questionnaire that has the *found* problems already, so that all come at once.

    What follows from a problem found is left out: a weighting that fails or gives unusable
    weights where something inside its dimension is broken. A weighting's verdict on its own
    parameters is kept. Nothing is found where the plan cannot be built at all.
    """
    try:
        _Builder(questionnaire).build()
    except DefinitionError as exc:
        built = exc.problems
    except Exception:  # the problems found already make the plan unbuildable
        return []
    else:
        return []

    def follows(problem: Problem) -> bool:
        if problem.code is ProblemCode.BAD_VALUE:
            return False
        inside = problem.location[:-1]  # the dimension whose weighting it is
        return any(f.location[: len(inside)] == inside for f in found)

    return [p for p in built if p not in found and not follows(p)]


class _Builder:
    def __init__(self, q: Questionnaire) -> None:
        self.q = q
        self.scales: dict[str, Sequence[Option]] = {s.id: s.options for s in q.scales}
        self.questions: list[QuestionPlan] = []
        self.nodes: list[NodePlan] = []
        self.gates: list[Condition] = []
        self.gate_targets: list[str] = []
        self.problems: list[Problem] = []
        # the questionnaire's codes apply to every question that offers their state
        self.codes = _canonical_codes(q.missing_codes)

    def build(self) -> ScoringPlan:
        root = Dimension(
            id=self.q.id,
            weighting=self.q.weighting,
            aggregation=self.q.aggregation,
            scoring=self.q.scoring,
            bands=self.q.bands,
            bands_on=self.q.bands_on,
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
            bands_on=dim.bands_on,
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
        plan = question_plan(question, self.scales, path)
        self.questions.append(
            attrs.evolve(
                plan,
                gates=(*gates, gate) if gate is not None else gates,
                codes=question_codes(self.codes, question),
            )
        )
        return len(self.questions) - 1


def question_plan(
    question: Question, scales: dict[str, Sequence[Option]], path: str = ""
) -> QuestionPlan:
    """*question* ready to measure answers: its point range and its options' points (reverse
    keying applied); no gates, no codes."""
    lo, hi = (0.0, 0.0) if isinstance(question, TextQuestion) else point_range(question, scales)
    points: dict[str, float] = {}
    if isinstance(question, YesNo):
        points = {"yes": question.yes_points, "no": question.no_points}
    else:
        for option in options_of(question, scales):
            p = option.points
            if isinstance(question, ScaleQuestion) and question.reverse:
                p = lo + hi - p
            points[option.value] = p
    return QuestionPlan(
        question=question,
        path=path,
        lo=lo,
        hi=hi,
        points=points,
        gates=(),
        counts=question.scored and not isinstance(question, TextQuestion) and hi > lo,
        weight=question.weight,
    )


def missing_codes_of(q: Questionnaire) -> dict[str, dict[str, State]]:
    """Question id -> its missing-value codes by canonical text, for the questions with any
    (what response readers turn into states, as scoring does)."""
    shared = _canonical_codes(q.missing_codes)
    out: dict[str, dict[str, State]] = {}
    for _, question in q.iter_questions():
        codes = question_codes(shared, question)
        if codes:
            out[question.id] = codes
    return out


def question_codes(shared: Mapping[str, State], question: Question) -> dict[str, State]:
    """The codes of *question*: the questionnaire's (*shared*, canonical) for the states it
    offers, then its own."""
    codes: dict[str, State] = {
        key: state
        for key, state in shared.items()
        if state is State.SKIPPED
        or (state is State.DONT_KNOW and question.dont_know)
        or (state is State.NOT_APPLICABLE and question.not_applicable)
    }
    codes.update(_canonical_codes(question.missing_codes))
    return codes


def _canonical_codes(codes: Mapping[str, str]) -> dict[str, State]:
    """Missing-value codes by their canonical text, as answers are compared with them."""
    out: dict[str, State] = {}
    for code, state in codes.items():
        key = code_key(code)
        if key:  # an empty code is refused by the checker
            out[key] = GIVEN_STATES[state]
    return out
