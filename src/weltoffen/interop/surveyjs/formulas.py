"""weltoffen's conditions, points and scores as SurveyJS expressions.

SurveyJS evaluates these in the browser: ``visibleIf`` shows a question while its condition holds,
calculated values add up points, and ``completedHtmlOnCondition`` picks the band to show. The
points are exact; the 0..100 score is written only where weltoffen's rule for it fits an
expression (a weighted mean with missing answers excluded, see :func:`score_values`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from weltoffen.interop.surveyjs.common import DONT_KNOW, NOT_APPLICABLE, REFUSED
from weltoffen.model.conditions import (
    AllOf,
    AnyOf,
    Compare,
    Condition,
    Equals,
    Includes,
    Not,
    OneOf,
    Scalar,
    referenced_questions,
)
from weltoffen.model.dimensions import Dimension
from weltoffen.model.queries import options_of
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
from weltoffen.scoring.check import point_range
from weltoffen.strategies import Equal, Exclude, Explicit, WeightedMean

__all__ = [
    "Visibility",
    "condition_expression",
    "number",
    "points_expression",
    "reference",
    "score_values",
    "shown_questions",
    "string",
    "total_expression",
    "unique",
]

_OPERATORS = {"gt": ">", "ge": ">=", "lt": "<", "le": "<="}
_STATE_VALUES = (DONT_KNOW, NOT_APPLICABLE, REFUSED)
_YES_NO = {"yes": True, "no": False}


def reference(name: str) -> str:
    """A question or calculated value in an expression: ``{name}``."""
    return "{" + name + "}"


def string(value: str) -> str:
    """A string literal SurveyJS reads back as *value*."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def number(value: float) -> str:
    """A number literal without exponent (SurveyJS reads plain decimals)."""
    if float(value).is_integer():
        return str(int(value))
    text = repr(float(value))
    if "e" in text:
        text = format(value, ".20f").rstrip("0")
    return text


def _literal(value: Scalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number(value)
    return string(value)


def condition_expression(
    condition: Condition,
    kinds: Mapping[str, Question],
    shown: Mapping[str, str] | None = None,
) -> str:
    """*condition* as a SurveyJS condition. A test of a question without a usable answer is false
    in both (an empty value or ``dontknow`` equals no option). With *shown* (question id -> the
    calculated value that is 1 while the question is shown), a test of a question that may be
    hidden holds only while it is shown, as in weltoffen: SurveyJS keeps a hidden question's
    answer until the survey is completed."""
    if isinstance(condition, AllOf | AnyOf):
        joiner = " and " if isinstance(condition, AllOf) else " or "
        inner = (condition_expression(c, kinds, shown) for c in condition.conditions)
        return "(" + joiner.join(inner) + ")"
    if isinstance(condition, Not):
        return "!(" + condition_expression(condition.condition, kinds, shown) + ")"
    test = _atom(condition, kinds)
    name = shown.get(condition.question) if shown is not None else None
    return test if name is None else f"({reference(name)} = 1 and {test})"


def _atom(condition: Equals | OneOf | Includes | Compare, kinds: Mapping[str, Question]) -> str:
    ref = reference(condition.question)
    if isinstance(condition, Compare):
        return f"{ref} {_OPERATORS[condition.op]} {number(condition.value)}"
    if isinstance(condition, Includes):
        return f"{ref} contains {string(condition.value)}"
    yes_no = isinstance(kinds.get(condition.question), YesNo)
    # SurveyJS takes an unanswered question as equal to '': weltoffen's test of '' needs an answer
    given = f"{ref} notempty and " if "" in _values(condition) else ""
    if isinstance(condition, OneOf):
        values = [_answer(v, yes_no) for v in condition.values]
        test = f"{ref} anyof [{', '.join(values)}]"
    else:
        test = f"{ref} = {_answer(condition.value, yes_no)}"
    return f"({given}{test})" if given else test


def _values(condition: Equals | OneOf) -> tuple[Scalar, ...]:
    return condition.values if isinstance(condition, OneOf) else (condition.value,)


def _answer(value: Scalar, yes_no: bool) -> str:
    # a yes/no question's answers are true and false in the survey, "yes"/"no" in weltoffen too
    if yes_no and isinstance(value, str) and value.lower() in _YES_NO:
        return _literal(_YES_NO[value.lower()])
    return _literal(value)


def _lookup(test: str, table: Sequence[tuple[str, float]]) -> str:
    """``iif(test v1, p1, iif(test v2, p2, ... 0))``: the first match wins."""
    expression = "0"
    for literal, earned in reversed(table):
        expression = f"iif({test}{literal}, {number(earned)}, {expression})"
    return expression


def points_expression(question: Question, scales: Mapping[str, Sequence[Option]]) -> str:
    """The points *question* earns in a survey, 0 without an answer (reverse keying applied)."""
    ref = reference(question.id)
    if isinstance(question, YesNo):
        return _lookup(f"{ref} = ", [("true", question.yes_points), ("false", question.no_points)])
    if isinstance(question, Numeric):
        return _numeric(question, ref)
    options = options_of(question, scales)
    if isinstance(question, MultipleChoice):
        if question.method == "max":
            ranked = sorted(options, key=lambda o: o.points, reverse=True)
            return _lookup(f"{ref} contains ", [(string(o.value), o.points) for o in ranked])
        _, high = point_range(question, dict(scales))
        summed = " + ".join(
            f"iif({ref} contains {string(o.value)}, {number(o.points)}, 0)" for o in options
        )
        return f"iif(({summed}) > {number(high)}, {number(high)}, ({summed}))"
    lo, hi = point_range(question, dict(scales))
    reverse = isinstance(question, ScaleQuestion) and question.reverse
    table = [(string(o.value), lo + hi - o.points if reverse else o.points) for o in options]
    return _lookup(f"{ref} = ", table)


def _numeric(question: Numeric, ref: str) -> str:
    if question.linear is not None:
        lin = question.linear
        share = f"(({ref} - {number(lin.low)}) / {number(lin.high - lin.low)})"
        clamped = (
            f"iif({share} > 1, {number(lin.points)}, "
            f"iif({share} < 0, 0, {share} * {number(lin.points)}))"
        )
    else:
        clamped = number(min((t.points for t in question.thresholds), default=0.0))
        for step in question.thresholds:  # the last step reached counts
            clamped = f"iif({ref} >= {number(step.min)}, {number(step.points)}, {clamped})"
    # a state given for a number ("dontknow") earns nothing, as in weltoffen
    given = f"{ref} notempty" + "".join(f" and {ref} != {string(v)}" for v in _STATE_VALUES)
    return f"iif({given}, {clamped}, 0)"


def _counted(question: Question) -> bool:
    return question.scored and not isinstance(question, TextQuestion)


def total_expression(
    questions: Sequence[tuple[Sequence[Condition], Question]],
    scales: Mapping[str, Sequence[Option]],
    visibility: Visibility,
) -> str | None:
    """weltoffen's points of *questions* (each with the conditions that must hold for it to be
    shown): each scored, shown question's points times its weight.

    A hidden question adds nothing even while SurveyJS still holds its answer (it clears hidden
    answers only when the survey is completed).
    """
    terms = []
    for _, question in questions:
        if not _counted(question):
            continue
        expression = points_expression(question, scales)
        if question.weight != 1:
            expression = f"({expression}) * {number(question.weight)}"
        gate = visibility.gate(question.id)
        if gate:
            expression = f"iif({gate}, {expression}, 0)"
        terms.append(expression)
    return " + ".join(terms) if terms else None


class Visibility:
    """Whether each question is shown, as SurveyJS calculated values (1 or 0) named
    ``<prefix>__<id>``, for the questions that have conditions (their own or their dimensions').

    A question is shown when its conditions hold, and a condition on a hidden question is false,
    as in weltoffen: the values carry that along chains of conditions.
    """

    def __init__(self, questionnaire: Questionnaire, prefix: str, taken: set[str]) -> None:
        self.kinds = {q.id: q for _, q in questionnaire.iter_questions()}
        self.gates: dict[str, tuple[Condition, ...]] = {}
        self.names: dict[str, str] = {}
        for gates, question in shown_questions(questionnaire):
            if gates:
                self.gates[question.id] = gates
                self.names[question.id] = unique(f"{prefix}__{question.id}", taken)

    def condition(self, condition: Condition) -> str:
        """*condition* with every test of a question holding only while it is shown."""
        return condition_expression(condition, self.kinds, self.names)

    def gate(self, question: str) -> str:
        """The test that *question* is shown (``""`` when it always is)."""
        name = self.names.get(question)
        return "" if name is None else f"{reference(name)} = 1"

    def values(self) -> list[tuple[str, str]]:
        """The calculated values, each after those it reads."""
        out: list[tuple[str, str]] = []
        done: set[str] = set()
        for start in self.gates:
            todo = [(start, False)]
            while todo:
                qid, ready = todo.pop()
                if qid in done:
                    continue
                if ready:
                    done.add(qid)
                    test = " and ".join(f"({self.condition(g)})" for g in self.gates[qid])
                    out.append((self.names[qid], f"iif({test}, 1, 0)"))
                    continue
                todo.append((qid, True))
                for gate in self.gates[qid]:
                    for ref in referenced_questions(gate):
                        if ref in self.gates and ref not in done and ref != qid:
                            todo.append((ref, False))
        return out


def unique(name: str, taken: set[str]) -> str:
    """*name* made safe for a SurveyJS reference and unlike every name in *taken* (added)."""
    base = _SAFE.sub("_", name)
    found, n = base, 1
    while found in taken:
        n += 1
        found = f"{base}_{n}"
    taken.add(found)
    return found


def shown_questions(
    questionnaire: Questionnaire, dimension: Dimension | None = None
) -> list[tuple[tuple[Condition, ...], Question]]:
    """Every question (of *dimension*, else of the questionnaire) with the conditions that show
    it: those of the dimensions it is in, outermost first, and its own."""
    out: list[tuple[tuple[Condition, ...], Question]] = []

    def walk(dim: Dimension, gates: tuple[Condition, ...], inside: bool) -> None:
        inner = (*gates, dim.when) if dim.when is not None else gates
        inside = inside or dim is dimension
        if inside:
            for question in dim.questions:
                own = (*inner, question.when) if question.when is not None else inner
                out.append((own, question))
        for child in dim.dimensions:
            walk(child, inner, inside)

    for dim in questionnaire.dimensions:
        walk(dim, (), dimension is None)
    return out


# -- the 0..100 score ------------------------------------------------------------------------


def _simple(node: Questionnaire | Dimension) -> bool:
    return isinstance(node.aggregation, WeightedMean) and isinstance(
        node.weighting, Explicit | Equal
    )


def score_values(
    questionnaire: Questionnaire, prefix: str, visibility: Visibility, taken: set[str]
) -> list[tuple[str, str]] | None:
    """Calculated values (name, expression) that give weltoffen's 0..100 score of every node in
    the survey, the whole questionnaire's under *prefix*; a node without a score has -1.

    ``None`` when the questionnaire is outside what the expressions follow: every node a weighted
    mean with declared or equal weights, "don't know" and skipped answers excluded, no
    structural answers (``otherwise``).
    """
    nodes: list[Questionnaire | Dimension] = [questionnaire]
    nodes += [d for _, d in questionnaire.iter_dimensions()]
    if not all(_simple(n) for n in nodes):
        return None
    for node in nodes:
        for policy in (node.scoring.dont_know, node.scoring.skipped):
            if policy is not None and not isinstance(policy, Exclude):
                return None
    if any(q.otherwise is not None for _, q in questionnaire.iter_questions()):
        return None
    scales = {scale.id: scale.options for scale in questionnaire.scales}
    out: list[tuple[str, str]] = []
    coverage = questionnaire.scoring.min_coverage or 0.0
    _Scores(scales, visibility, taken, out, prefix).node(
        questionnaire, prefix, questionnaire.dimensions, coverage
    )
    return out


_SAFE = re.compile(r"[^A-Za-z0-9_\-]")


class _Scores:
    def __init__(
        self,
        scales: Mapping[str, Sequence[Option]],
        visibility: Visibility,
        taken: set[str],
        out: list[tuple[str, str]],
        prefix: str,
    ) -> None:
        self.prefix = prefix
        self.scales = scales
        self.visibility = visibility
        self.taken = taken
        self.out = out

    def node(
        self,
        node: Questionnaire | Dimension,
        name: str,
        dimensions: Sequence[Dimension],
        min_coverage: float,
    ) -> dict[str, str]:
        """Write the node's values; return their names (score, answered, earned, applicable,
        covered)."""
        questions = node.questions if isinstance(node, Dimension) else ()
        weights = self.weights(node, [q.weight for q in questions], [d.weight for d in dimensions])
        answered, earned, applicable, covered = [], [], [], []
        for question, weight in zip(questions, weights, strict=False):
            if not _counted(question) or weight == 0:
                continue
            lo, hi = point_range(question, dict(self.scales))
            if hi <= lo:
                continue
            w = number(weight)
            gate = self.visibility.gate(question.id)
            test = f"{gate} and " if gate else ""
            given = f"iif({test}{self.answered(question)}, {w}, 0)"
            points = points_expression(question, self.scales)
            answered.append(given)
            covered.append(given)
            earned.append(f"{given} * (({points}) - {number(lo)}) / {number(hi - lo)}")
            not_na = self.is_not(question, NOT_APPLICABLE)
            applicable.append(f"iif({test}{not_na}, {w}, 0)")
        for dim, weight in zip(dimensions, weights[len(questions) :], strict=False):
            if weight == 0:
                continue
            coverage = (
                min_coverage if dim.scoring.min_coverage is None else dim.scoring.min_coverage
            )
            child = self.node(dim, f"{self.prefix}__{dim.id}", dim.dimensions, coverage)
            w = number(weight)
            score, has = reference(child["score"]), f"{reference(child['score'])} >= 0"
            p, c = reference(child["applicable"]), reference(child["covered"])
            answered.append(f"iif({has}, {w}, 0)")
            earned.append(f"iif({has}, {w} * {score} / 100, 0)")
            applicable.append(f"iif({p} > 0, {w}, 0)")
            covered.append(f"iif({p} > 0, {w} * {c} / {p}, 0)")
        parts = {
            "answered": answered,
            "earned": earned,
            "applicable": applicable,
            "covered": covered,
        }
        names = {"score": unique(name, self.taken)}
        for key, terms in parts.items():
            names[key] = unique(f"{name}__{key}", self.taken)
            self.out.append((names[key], " + ".join(terms) if terms else "0"))
        a, e, p, c = (reference(names[key]) for key in parts)
        # weltoffen: not applicable without applicable weight, not assessable below the
        # coverage or with nothing answered; else the weighted mean, clamped to 0..100
        enough = f"{c} / {p} >= {number(max(min_coverage - 1e-9, 0.0))}"
        mean = f"100 * {e} / {a}"
        clamped = f"iif({mean} > 100, 100, iif({mean} < 0, 0, {mean}))"
        self.out.append((names["score"], f"iif({p} > 0 and {a} > 0 and {enough}, {clamped}, -1)"))
        return names

    def weights(
        self, node: Questionnaire | Dimension, questions: list[float], dims: list[float]
    ) -> list[float]:
        declared = questions + dims
        if isinstance(node.weighting, Equal):
            return [0.0 if w == 0 else 1.0 for w in declared]
        return declared

    def answered(self, question: Question) -> str:
        states = (DONT_KNOW, NOT_APPLICABLE, REFUSED)
        tests = (self.is_not(question, s) for s in states)
        return f"{reference(question.id)} notempty" + "".join(f" and {t}" for t in tests)

    @staticmethod
    def is_not(question: Question, state: str) -> str:
        """A test that *question*'s value is not the special item *state*."""
        # a checkbox holds a list (["notapplicable"]), which never equals the bare value
        op = "notcontains" if isinstance(question, MultipleChoice) else "!="
        return f"{reference(question.id)} {op} {string(state)}"
