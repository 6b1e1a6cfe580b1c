"""Dead logic: conditions that can never hold, and conditions that always hold.

Imported instruments carry their sources' skip logic, and that is where dead logic hides: a
follow-up asked only when an answer is above a maximum the question never reaches, or when two
answers of one question are given at once. :func:`check_logic` finds, for every ``when``:

- **unreachable**: it can never hold (where its enclosing dimensions apply), so what it guards
  is never asked;
- **always true**: it holds for every response, so it guards nothing.

The reasoning is exact, not a guess. Each question a condition reads, directly or through the
conditions guarding that question, has finitely many kinds of answer that a condition can tell
apart: its options, yes and no, for a number one value in each interval between the constants
the conditions compare it with (within its minimum, maximum and whole-number rule), for text the
texts compared with and one other; and always "no usable answer" (skipped, don't know, hidden),
for which every comparison is false, as when scoring (:mod:`weltoffen.scoring.conditions`, whose
tests are used here). Every combination of those is tried, each condition evaluated as
:func:`weltoffen.score` does, a question counting only when its own gates hold; a question behind
a condition already found unreachable never counts. Where that makes more than
:data:`MAX_CASES` combinations, the gates of the questions read are left open (each may count or
not, whatever the other answers): more cases than there are, so a verdict still holds. Anything
the reasoning cannot represent (a condition that does not fit its question, too many cases even
so or in all, a value standing in for a hidden answer) is passed over rather than guessed: a
warning here is always true.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Literal, cast

import attrs

from weltoffen._repr import value_repr
from weltoffen.exceptions import Location, Problem, ProblemCode
from weltoffen.model.answers import AnswerValue
from weltoffen.model.conditions import (
    AllOf,
    AnyOf,
    Compare,
    Condition,
    Equals,
    Includes,
    Not,
    OneOf,
    referenced_questions,
)
from weltoffen.model.dimensions import Dimension
from weltoffen.model.queries import options_of
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import (
    Choice,
    MultipleChoice,
    Numeric,
    Option,
    Question,
    ScaleQuestion,
    TextQuestion,
    YesNo,
)

__all__ = ["MAX_CASES", "MAX_TOTAL_CASES", "Gate", "check_logic", "gates"]

#: Most combinations of answers tried for one condition; beyond, it is passed over.
MAX_CASES = 4096

#: Most combinations tried for one questionnaire, so that loading a large one stays quick; the
#: conditions after that are passed over.
MAX_TOTAL_CASES = 100_000

#: Most options of one multiple-choice question that conditions may test for it to be reasoned
#: about (each is ticked or not).
_MAX_TESTED_OPTIONS = 10


@attrs.frozen
class Gate:
    """One ``when``: where it is, what it guards, and the gates enclosing it (by index)."""

    __repr__ = value_repr

    location: Location
    kind: Literal["question", "dimension"]
    id: str
    condition: Condition
    outer: tuple[int, ...]

    @property
    def name(self) -> str:
        """What the gate guards, for messages: ``question 'q3'``."""
        return f"{self.kind} {self.id!r}"


def gates(q: Questionnaire) -> tuple[list[Gate], dict[str, tuple[int, ...]]]:
    """Every condition of *q* in document order, and each question's gates (enclosing first).

    A question id given twice keeps the gates of its first place.
    """
    found: list[Gate] = []
    guards: dict[str, tuple[int, ...]] = {}
    stack: list[tuple[Location, Dimension, tuple[int, ...]]] = [
        (("dimensions", i), d, ()) for i, d in reversed(list(enumerate(q.dimensions)))
    ]
    while stack:
        path, dim, outer = stack.pop()
        if dim.when is not None:
            found.append(Gate((*path, "when"), "dimension", dim.id, dim.when, outer))
            outer = (*outer, len(found) - 1)
        for i, question in enumerate(dim.questions):
            own = outer
            if question.when is not None:
                where = (*path, "questions", i, "when")
                found.append(Gate(where, "question", question.id, question.when, outer))
                own = (*outer, len(found) - 1)
            guards.setdefault(question.id, own)
        stack.extend(
            ((*path, "dimensions", i), d, outer)
            for i, d in reversed(list(enumerate(dim.dimensions)))
        )
    return found, guards


def check_logic(q: Questionnaire) -> list[Problem]:
    """A warning for every ``when`` of *q* that can never hold, or always holds.

    Returns:
        Problems with code ``unreachable`` or ``always-true``, located at the ``when``.
    """
    conds, guards = gates(q)
    if not conds:
        return []
    questions: dict[str, Question] = {}
    for dim in _dimensions(q.dimensions):
        for question in dim.questions:
            if question.id in questions:
                return []  # an error of its own; which one a condition means is unclear
            questions[question.id] = question
    scales = {scale.id: scale.options for scale in q.scales}
    world = _World(conds, guards, questions, scales)
    problems: list[Problem] = []
    for index, gate in enumerate(conds):
        verdict = world.judge(index)
        if verdict == "unreachable":
            where = " where its enclosing dimension applies" if gate.outer else ""
            problems.append(
                Problem(
                    ProblemCode.UNREACHABLE,
                    f"the condition of {gate.name} can never hold{where}",
                    location=gate.location,
                    expected="a condition some response meets",
                )
            )
        elif verdict == "always":
            problems.append(
                Problem(
                    ProblemCode.ALWAYS_TRUE,
                    f"the condition of {gate.name} always holds",
                    location=gate.location,
                    expected="a condition some response does not meet",
                )
            )
    return problems


def _dimensions(dims: Sequence[Dimension]) -> Iterator[Dimension]:
    stack = list(reversed(dims))
    while stack:
        dim = stack.pop()
        yield dim
        stack.extend(reversed(dim.dimensions))


class _Unknown(Exception):
    """The reasoning cannot represent this condition exactly: pass it over."""


#: No usable answer: skipped, don't know, not applicable or hidden.
_NONE = object()


class _World:
    def __init__(
        self,
        conds: list[Gate],
        guards: Mapping[str, tuple[int, ...]],
        questions: Mapping[str, Question],
        scales: Mapping[str, Sequence[Option]],
    ) -> None:
        # scoring's own test of a leaf; imported here because the plan, which that module reads,
        # runs these checks as it is built
        from weltoffen.scoring.conditions import test

        self.test = test
        self.never: set[str] = set()  # questions known never to have a usable answer
        self.deep = True  # whether the gates of the questions read are followed
        self.budget = MAX_TOTAL_CASES
        self.conds = conds
        self.guards = guards
        self.questions = questions
        leaves: dict[str, list[Condition]] = {}
        for gate in conds:
            for leaf in _leaves(gate.condition):
                leaves.setdefault(_question_of(leaf), []).append(leaf)
        self.domains: dict[str, list[object] | None] = {
            qid: _domain(questions[qid], found, scales) if qid in questions else None
            for qid, found in leaves.items()
        }

    def judge(self, index: int) -> str | None:
        """ "unreachable", "always" or None (neither, or not known) for condition *index*.

        Conditions are judged in document order: the questions an unreachable one guards are
        then known never to have a usable answer, which the later ones use.
        """
        verdict, applies = None, True
        for deep in (True, False):
            try:
                tried = self.attempt(index, deep)
            except _Unknown:
                return None
            if tried is not None:
                verdict, applies = tried
                break
        if verdict == "unreachable" or not applies:
            self.never.update(qid for qid, own in self.guards.items() if index in own)
        return verdict

    def attempt(self, index: int, deep: bool) -> tuple[str | None, bool] | None:
        """The verdict on condition *index*, and whether its enclosing conditions can hold.

        *deep*: whether the gates of the questions read are followed (exact); otherwise each
        such question may or may not count, whatever the other answers (a wider set of cases,
        so a verdict stays true). None: too many cases.
        """
        gate = self.conds[index]
        self.deep = deep
        reads = self.closure((*gate.outer, index))
        domains = [[_NONE] if qid in self.never else self.domains[qid] for qid in reads]
        if any(d is None for d in domains):
            raise _Unknown(index)
        cases = math.prod(len(d) for d in domains if d is not None)
        if cases > MAX_CASES:
            return None
        if cases > self.budget:
            raise _Unknown(index)
        self.budget -= cases
        outer_met = own_met = False
        always = True
        for values in itertools.product(*(d for d in domains if d is not None)):
            answers = dict(zip(reads, values, strict=True))
            truth: dict[int, bool] = {}
            own = self.holds(index, answers, truth, ())
            always = always and own
            if all(self.holds(o, answers, truth, ()) for o in gate.outer):
                outer_met = True
                own_met = own_met or own
        if outer_met and not own_met:
            return "unreachable", outer_met
        return ("always" if always else None), outer_met

    def closure(self, start: Sequence[int]) -> list[str]:
        """The questions conditions *start* read, directly or through the gates of those."""
        seen: dict[str, None] = {}
        todo = list(start)
        done: set[int] = set()
        while todo:
            g = todo.pop()
            if g in done:
                continue
            done.add(g)
            for qid in referenced_questions(self.conds[g].condition):
                if qid not in self.questions:
                    raise _Unknown(qid)
                if getattr(self.questions[qid], "otherwise", None) is not None:
                    raise _Unknown(qid)  # a hidden answer that still counts as a value
                if qid not in seen:
                    seen[qid] = None
                    if self.deep and qid not in self.never:
                        todo.extend(self.guards.get(qid, ()))
        return list(seen)

    def holds(
        self,
        index: int,
        answers: Mapping[str, object],
        truth: dict[int, bool],
        trail: tuple[int, ...],
    ) -> bool:
        if index in truth:
            return truth[index]
        if index in trail:
            raise _Unknown(index)  # a cycle, reported as an error of its own
        got = self.evaluate(self.conds[index].condition, answers, truth, (*trail, index))
        truth[index] = got
        return got

    def evaluate(
        self,
        cond: Condition,
        answers: Mapping[str, object],
        truth: dict[int, bool],
        trail: tuple[int, ...],
    ) -> bool:
        if isinstance(cond, AllOf):
            return all(self.evaluate(c, answers, truth, trail) for c in cond.conditions)
        if isinstance(cond, AnyOf):
            return any(self.evaluate(c, answers, truth, trail) for c in cond.conditions)
        if isinstance(cond, Not):
            return not self.evaluate(cond.condition, answers, truth, trail)
        value = answers[cond.question]
        if value is _NONE:
            return False
        # as when scoring: an answer counts only where every gate of its question holds
        own = self.guards.get(cond.question, ()) if self.deep else ()
        if not all(self.holds(g, answers, truth, trail) for g in own):
            return False
        return self.test(cond, cast(AnswerValue, value))


def _leaves(cond: Condition) -> Iterator[Condition]:
    if isinstance(cond, AllOf | AnyOf):
        for c in cond.conditions:
            yield from _leaves(c)
    elif isinstance(cond, Not):
        yield from _leaves(cond.condition)
    else:
        yield cond


def _question_of(leaf: Condition) -> str:
    return leaf.question if isinstance(leaf, Equals | OneOf | Includes | Compare) else ""


def _values(leaf: Condition) -> tuple[object, ...]:
    if isinstance(leaf, OneOf):
        return leaf.values
    if isinstance(leaf, Equals | Includes | Compare):
        return (leaf.value,)
    return ()


def _domain(
    question: Question, leaves: Sequence[Condition], scales: Mapping[str, Sequence[Option]]
) -> list[object] | None:
    """One answer of each kind the *leaves* tell apart, and "no usable answer"; None: unknown."""
    values = [v for leaf in leaves for v in _values(leaf)]
    tests_values = all(isinstance(leaf, Equals | OneOf) for leaf in leaves)
    answers: list[AnswerValue] | None = None
    if isinstance(question, YesNo):
        if tests_values and all(isinstance(v, bool) for v in values):
            answers = [True, False]
    elif isinstance(question, ScaleQuestion | Choice):
        if tests_values and all(isinstance(v, str) for v in values):
            answers = [o.value for o in options_of(question, scales)]
    elif isinstance(question, MultipleChoice):
        answers = _subsets(question, leaves)
    elif isinstance(question, Numeric):
        answers = _numbers(question, leaves, values)
    elif (
        isinstance(question, TextQuestion)
        and tests_values
        and all(isinstance(v, str) for v in values)
    ):
        texts = list(dict.fromkeys(str(v) for v in values))
        answers = [*texts, "".join(texts) + "\x00other"]
    if answers is None:
        return None
    return [*answers, _NONE]


def _subsets(question: MultipleChoice, leaves: Sequence[Condition]) -> list[AnswerValue] | None:
    if not all(isinstance(leaf, Includes) for leaf in leaves):
        return None
    offered = [o.value for o in question.options]
    tested = list(dict.fromkeys(str(v) for leaf in leaves for v in _values(leaf)))
    if len(tested) > _MAX_TESTED_OPTIONS or any(v not in offered for v in tested):
        return None
    untested = len(offered) - len(tested)
    most = question.max_selected if question.max_selected is not None else len(offered)
    out: list[AnswerValue] = []
    for size in range(len(tested) + 1):
        # the options not tested can make up the count an answer needs, never lower it
        if size <= most and size + untested >= question.min_selected:
            out.extend(tuple(c) for c in itertools.combinations(tested, size))
    return out


def _numbers(
    question: Numeric, leaves: Sequence[Condition], values: Sequence[object]
) -> list[AnswerValue] | None:
    if not all(isinstance(leaf, Equals | OneOf | Compare) for leaf in leaves):
        return None
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return None
    low = question.minimum if question.minimum is not None else -math.inf
    high = question.maximum if question.maximum is not None else math.inf
    marks = sorted({float(v) for v in values if isinstance(v, int | float)} | {low, high})
    marks = [m for m in marks if math.isfinite(m)]
    if not marks:
        marks = [0.0]
    # each constant, and one number inside each interval they leave (and beyond both ends)
    if question.integer:
        candidates = [*marks, math.ceil(marks[0]) - 1.0, math.floor(marks[-1]) + 1.0]
    else:
        candidates = [*marks, marks[0] - 1.0, marks[-1] + 1.0]
    for a, b in itertools.pairwise(marks):
        if question.integer:
            inside = math.floor(a) + 1.0
            if inside < b:
                candidates.append(inside)
        else:
            candidates.append((a + b) / 2)
    return [
        c
        for c in sorted(set(candidates))
        if low <= c <= high and (not question.integer or float(c).is_integer())
    ]
