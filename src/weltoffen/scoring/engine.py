"""Scoring one response with a compiled plan: a pure function, no I/O, no global state."""

from __future__ import annotations

import difflib
import math
import operator
from collections.abc import Callable, Mapping, Sequence

import attrs

from weltoffen._arguments import expect_plan, wrong
from weltoffen._fields import FrozenDict, freeze
from weltoffen.exceptions import Problem, ProblemCode, ResponseError
from weltoffen.model.answers import AnswerValue, Response, State
from weltoffen.model.conditions import (
    AllOf,
    AnyOf,
    Compare,
    Condition,
    Equals,
    Includes,
    Not,
    OneOf,
)
from weltoffen.model.questions import (
    MultipleChoice,
    Numeric,
    TextQuestion,
    YesNo,
)
from weltoffen.scoring.plan import Layout, NodePlan, QuestionPlan, Row, ScoringPlan
from weltoffen.scoring.results import DimensionResult, ItemResult, Result
from weltoffen.strategies import Exclude, SumOfPoints, WeightedMean

__all__ = ["ANONYMOUS", "band_of", "score"]

#: The respondent of answers scored without a response around them (``score(plan, {...})``).
ANONYMOUS = "anonymous"

_ANSWERED, _DONT_KNOW, _NOT_APPLICABLE, _SKIPPED, _HIDDEN = (
    State.ANSWERED,
    State.DONT_KNOW,
    State.NOT_APPLICABLE,
    State.SKIPPED,
    State.HIDDEN,
)
_YES = {"yes": True, "true": True, "ja": True, "no": False, "false": False, "nein": False}
_EPS = 1e-12
#: Fields of a row (see weltoffen.scoring.plan.Row).
_STATE, _VALUE, _POINTS = operator.itemgetter(2), operator.itemgetter(3), operator.itemgetter(4)
#: Aggregations whose aggregate() is the weighted mean, computed inline by _aggregate.
_MEANS = (WeightedMean, SumOfPoints)


class _Bad(Exception):
    """A value that does not fit its question (internal; becomes a Problem)."""

    def __init__(self, message: str, expected: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.expected = expected


def score(
    plan: ScoringPlan, response: Response | Mapping[str, AnswerValue], *, trace: bool = False
) -> Result:
    """Score one response.

    Args:
        plan: From :func:`weltoffen.compile`.
        response: The answers of one respondent: a :class:`~weltoffen.Response`, or just a
            mapping of question id -> answer (``{"q1": "yes"}``), which is scored as the response
            of the respondent ``"anonymous"`` (the id the result carries).
        trace: Also record, per question, its state, points, effective weight and contribution.

    Returns:
        The overall result with the tree of dimension results.

    Raises:
        ResponseError: An answer names an unknown question, or a value does not fit its question
            (every such problem at once).
        TypeError: *plan* is not a plan, or *response* neither a response nor a mapping (for
            many responses, call this for each, or see :func:`weltoffen.score_many`).
    """
    if type(plan) is not ScoringPlan:
        expect_plan("score(plan)", plan)
    if type(response) is not Response:
        response = _response(response)
    layout = plan.layout
    texts: dict[str, str] = {}
    got = _read(plan, layout, response, texts)
    if plan.gates:
        _hide(plan, layout, got)
    root = _add_up(plan, layout, got, trace)
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
        metadata=dict(response.metadata),
        traced=trace,
    )


def _response(value: object) -> Response:
    """*value* as a response: a mapping holds the answers of an anonymous respondent."""
    if isinstance(value, Response):
        return value
    if isinstance(value, Mapping):
        return Response(respondent=ANONYMOUS, answers=value)
    hint = (
        "score takes one response: call it for each, or see weltoffen.score_many for tables"
        if isinstance(value, list | tuple)
        else None
    )
    raise wrong(
        "score(response)",
        "a Response(respondent=..., answers={...}) or a mapping of question id -> answer",
        value,
        hint,
    )


def _read(
    plan: ScoringPlan, layout: Layout, response: Response, texts: dict[str, str]
) -> list[Row]:
    """The row of every question (by slot) for *response*; free-text answers go to *texts*.

    Raises:
        ResponseError: With every answer that names no question or does not fit its question.
    """
    got = list(layout.blank)
    tables = layout.tables
    index, questions, slots = plan.index, plan.questions, layout.slots
    problems: list[Problem] = []
    for qid, value in response.answers.items():
        # Most answers are an option, yes/no or an allowed state: one lookup finds their row.
        table = tables.get(qid)
        if table is not None:
            try:
                row = table.get(value)
            except TypeError:  # an unhashable answer (a list): measured below
                row = None
            if row is not None and type(value) is row[0]:
                got[row[1]] = row
                continue
        i = index.get(qid)
        if i is None:
            close = difflib.get_close_matches(str(qid), index, n=1)
            problems.append(
                Problem(
                    ProblemCode.UNKNOWN_QUESTION,
                    f"unknown question {qid!r} (respondent {response.respondent!r})",
                    location=("answers", qid),
                    expected=None if close else "a question id of the questionnaire",
                    hint=f"did you mean {close[0]!r}?" if close else None,
                )
            )
            continue
        qp = questions[i]
        slot = slots[i]
        if isinstance(value, State):
            problem = _state_problem(qp, value)
            if problem:
                problems.append(
                    Problem(
                        ProblemCode.STATE_NOT_OFFERED,
                        f"{problem} (respondent {response.respondent!r})",
                        location=("answers", qid),
                    )
                )
            else:
                got[slot] = layout.missing(slot, value)
            continue
        try:
            p = _measure(qp, value)
        except _Bad as bad:
            problems.append(
                Problem(
                    ProblemCode.BAD_ANSWER,
                    f"{bad.message} (respondent {response.respondent!r})",
                    location=("answers", qid),
                    expected=bad.expected,
                    got=repr(value),
                )
            )
            continue
        got[slot] = layout.answered(slot, value, p)
        if p is None and isinstance(value, str):  # only free text earns no points
            texts[qid] = value
    if problems:
        raise ResponseError(problems)
    return got


def _state_problem(qp: QuestionPlan, state: State) -> str | None:
    question = qp.question
    if state is _DONT_KNOW and not question.dont_know:
        return f'question {question.id!r} does not offer "don\'t know"'
    if state is _NOT_APPLICABLE and not question.not_applicable:
        return f'question {question.id!r} does not offer "not applicable"'
    if state in (_ANSWERED, _HIDDEN):
        return f"{state.value!r} is found by scoring, not given as an answer"
    return None


def _measure(qp: QuestionPlan, value: AnswerValue) -> float | None:
    """Points for *value* (after reverse keying), or ``None`` for free text."""
    question = qp.question
    # the kinds whose answers score() always measures come first (the others it mostly looks up)
    if isinstance(question, MultipleChoice):
        return _multiple(qp, question, value)
    if isinstance(question, Numeric):
        return _numeric(question, value)
    if isinstance(question, TextQuestion):
        if not isinstance(value, str):
            raise _Bad("free-text answer must be text", "a string")
        return None
    if isinstance(question, YesNo):
        if isinstance(value, str):
            value = _YES.get(value.strip().lower(), value)
        elif isinstance(value, int) and not isinstance(value, bool) and value in (0, 1):
            value = bool(value)
        if not isinstance(value, bool):
            raise _Bad("not a yes/no answer", "true or false")
        return qp.points["yes" if value else "no"]
    key = _option_key(value)
    if key is None or key not in qp.points:
        raise _Bad("not an option of this question", _options(qp))
    return qp.points[key]


def _option_key(value: AnswerValue) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return None


def _options(qp: QuestionPlan) -> str:
    shown = list(qp.points)
    more = f", ... ({len(shown)} in all)" if len(shown) > 12 else ""
    return "one of " + ", ".join(repr(v) for v in shown[:12]) + more


def _numeric(question: Numeric, value: AnswerValue) -> float:
    number: float
    if type(value) is float or type(value) is int:  # the plain types first: no more checks
        number = value
    elif isinstance(value, bool) or not isinstance(value, int | float):
        raise _Bad("not a number", "a number")
    else:
        number = value
    try:
        finite = math.isfinite(number)
    except OverflowError:  # an int too large for a float (YAML and JSON allow any size)
        finite = False
    if not finite:
        raise _Bad("not a finite number", "a finite number")
    if question.integer and not float(number).is_integer():
        raise _Bad("not a whole number", "a whole number")
    minimum, maximum = question.minimum, question.maximum
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        lo = "" if minimum is None else f"{minimum:g}"
        hi = "" if maximum is None else f"{maximum:g}"
        raise _Bad("number out of range", f"{lo}..{hi}")
    if question.linear is not None:
        lin = question.linear
        share = (number - lin.low) / (lin.high - lin.low)
        return lin.points * min(1.0, max(0.0, share))
    for step in reversed(question.thresholds):  # the last step reached counts
        if number >= step.min:
            return step.points
    return min((t.points for t in question.thresholds), default=0.0)  # none: an unscored number


def _multiple(qp: QuestionPlan, question: MultipleChoice, value: AnswerValue) -> float:
    points = qp.points
    if type(value) is not tuple:  # a tuple, the usual answer, needs neither check
        if isinstance(value, str):
            value = (value,)
        elif not isinstance(value, tuple | list):
            raise _Bad("not a list of options", "a list of option values")
    # Looking up every chosen value proves that each is an option (only text equals an
    # option's value): for a valid answer, one step instead of two checks.
    try:
        chosen = list(map(points.__getitem__, value))
    except (KeyError, TypeError):  # not an option, or not even hashable
        if not all(isinstance(v, str) for v in value):
            raise _Bad("not a list of options", "a list of option values") from None
        unknown = [v for v in value if v not in points]
        raise _Bad(
            f"not options of this question: {', '.join(map(repr, unknown))}", _options(qp)
        ) from None
    count = len(value)
    if count > 1 and len(set(value)) != count:
        raise _Bad("an option is chosen twice", "each option at most once")
    if count < question.min_selected or (
        question.max_selected is not None and count > question.max_selected
    ):
        most = "" if question.max_selected is None else str(question.max_selected)
        raise _Bad(f"{count} options chosen", f"{question.min_selected}..{most} options")
    if question.method == "max":
        return max(chosen) if chosen else 0.0
    summed, top = math.fsum(chosen), qp.hi
    return top if top < summed else summed  # min(summed, top), without the call


def _hide(plan: ScoringPlan, layout: Layout, got: list[Row]) -> None:
    """Hide the questions whose own or enclosing conditions are false (their rows in *got*).

    Each gate is evaluated once, in an order where the gates of the questions it reads are
    known before it.
    """
    holds = [False] * len(plan.gates)
    gates = plan.gates
    reads = layout.reads
    for g, slot, guards in layout.gate_steps:
        if slot < 0:  # all / any / not
            holds[g] = _holds(gates[g], got, reads, holds)
            continue
        # most conditions compare one answer: inline, and only a usable one (given, not hidden)
        row = got[slot]
        if row[2] is _ANSWERED and (not guards or all(holds[h] for h in guards)):
            value = row[3]
            holds[g] = value is not None and _test(gates[g], value)
    for slot, guards in layout.guarded:
        for g in guards:
            if not holds[g]:
                got[slot] = layout.hidden(got[slot])
                break


def _holds(
    cond: Condition,
    got: Sequence[Row],
    reads: Mapping[str, tuple[int, tuple[int, ...]]],
    holds: Sequence[bool],
) -> bool:
    """Whether *cond* holds, given the gates it depends on in *holds*."""
    if isinstance(cond, AllOf):
        return all(_holds(c, got, reads, holds) for c in cond.conditions)
    if isinstance(cond, AnyOf):
        return any(_holds(c, got, reads, holds) for c in cond.conditions)
    if isinstance(cond, Not):
        return not _holds(cond.condition, got, reads, holds)
    slot, guards = reads[cond.question]
    row = got[slot]
    # only a usable answer can meet a condition: one given and not hidden
    if row[2] is not _ANSWERED:
        return False
    for g in guards:
        if not holds[g]:
            return False
    value = row[3]
    return value is not None and _test(cond, value)


def _test(cond: Condition, value: AnswerValue) -> bool:
    """Whether the leaf condition *cond* holds for the usable answer *value*.

    Batch scoring shares it, applying it once to each distinct answer of a column.
    """
    if type(cond) is Equals:
        wanted = cond.value
        kind = type(value)
        if kind is type(wanted) and (kind is str or kind is bool):
            return value == wanted  # what _same finds for an option or a yes/no, sooner
    if isinstance(cond, Equals):
        return _same(value, cond.value)
    if isinstance(cond, OneOf):
        return any(_same(value, v) for v in cond.values)
    if isinstance(cond, Includes):
        return isinstance(value, tuple | list | str) and cond.value in (
            (value,) if isinstance(value, str) else value
        )
    if isinstance(cond, Compare) and isinstance(value, int | float) and not isinstance(value, bool):
        op = cond.op
        return (
            value > cond.value
            if op == "gt"
            else value >= cond.value
            if op == "ge"
            else value < cond.value
            if op == "lt"
            else value <= cond.value
        )
    return False


def _same(answer: AnswerValue, wanted: object) -> bool:
    if isinstance(wanted, bool):
        if isinstance(answer, str):
            return _YES.get(answer.strip().lower()) is wanted
        return answer is wanted or (type(answer) is int and answer == int(wanted))
    if isinstance(answer, bool):
        return False
    if isinstance(wanted, str):
        return _option_key(answer) == wanted
    return answer == wanted


def band_of(node: NodePlan, value: float | None) -> str | None:
    """Id of the band of *node* that *value* (0..100) falls in."""
    if value is None:
        return None
    for band in node.bands:
        if band.min <= value < band.max or (value == band.max == 100):
            return band.id
    return None


#: What a parent reads of a child node: applicable, points, max points, coverage, score, counts
#: (packed as in :class:`~weltoffen.scoring.plan.Layout`).
_Summary = tuple[bool, float, float, float | None, float | None, int]


def _add_up(plan: ScoringPlan, layout: Layout, got: Sequence[Row], trace: bool) -> DimensionResult:
    """Aggregate every node, children first; return the root's result.

    A simple node (a weighted mean, missing answers excluded) adds up its slice of rows in one
    loop; its rows carry 0.0 wherever a question does not take part, which leaves every sum as
    it was. Other nodes, and every node when a trace is wanted, go through :func:`_aggregate`.
    """
    mask = (1 << layout.lane) - 1
    answered, dont_know, not_applicable, skipped, hidden = layout.shifts
    # the lowest lane of the states whose questions take no part (LANES puts them on top)
    absent = min(not_applicable, hidden)
    summaries: list[_Summary] = []
    results: list[DimensionResult] = []
    by_question: tuple[list[State], list[AnswerValue | None], list[float | None]] | None = None
    fsum = math.fsum
    eps = _EPS
    for (
        node_id,
        simple,
        start,
        stop,
        all_attainable,
        all_applicable,
        exact,
        kids,
        bands,
        min_coverage,
    ) in layout.nodes:
        if trace or not simple:
            if by_question is None:
                by_question = _by_question(layout, got)
            k = len(results)  # the index of this node
            result = _aggregate(plan, plan.nodes[k], plan.rows[k], *by_question, results, trace)
            results.append(result)
            if not trace:  # with a trace, no node reads summaries
                summaries.append(
                    (
                        result.applicable,
                        result.points,
                        result.max_points,
                        result.coverage,
                        result.score,
                        layout.pack(result.counts),
                    )
                )
            continue
        rows = got[start:stop]
        earned = covered = 0.0
        packed = 0
        weighted: list[float] = []  # normalised score * weight of what is answered
        for _, _, _, _, _, e, _, _, cov, prod, unit in rows:
            earned += e
            covered += cov
            packed += unit
            if prod:  # a zero adds nothing to the fsum
                weighted.append(prod)
        if packed >> absent:  # a question takes no part: add up those that do
            attainable = applicable = 0.0
            for row in rows:
                attainable += row[6]
                applicable += row[7]
        else:
            attainable, applicable = all_attainable, all_applicable
        children: tuple[DimensionResult, ...] = ()
        if not kids:
            # the fsum of the weights of what is answered, which is their sum where exact
            total = covered if exact else fsum([row[8] for row in rows])
        else:
            weights = [covered] if exact else [row[8] for row in rows]
            children = tuple([results[ci] for ci, _ in kids])
            for ci, aw in kids:
                c_applicable, c_points, c_max, c_coverage, c_score, c_packed = summaries[ci]
                packed += c_packed
                if not c_applicable:
                    continue
                applicable += aw
                covered += aw * (c_coverage or 0.0)
                attainable += c_max
                earned += c_points
                if c_score is not None:
                    weighted.append(c_score / 100.0 * aw)
                    weights.append(aw)
            total = fsum(weights)
        note = None
        value: float | None = None
        coverage = covered / applicable if applicable > 0 else None
        if coverage is None:
            note = "not applicable: none of its questions apply"
        elif coverage + eps < min_coverage:
            note = (
                f"not assessable: coverage {coverage:.0%} is below the minimum {min_coverage:.0%}"
            )
        elif total <= 0:
            note = "not assessable: nothing answered"
        else:
            # the weighted mean, as WeightedMean.aggregate computes it: the same two fsums
            raw = 100.0 * (fsum(weighted) / total)
            # min(100.0, max(0.0, raw)) as _aggregate clamps, without the two calls
            raw = raw if raw > 0.0 else 0.0
            value = raw if raw < 100.0 else 100.0
        band = None
        if value is not None:
            for low, high, band_id in bands:  # as band_of
                if low <= value < high or (value == high == 100):
                    band = band_id
                    break
        counts = {
            "answered": packed >> answered & mask,
            "dont_know": packed >> dont_know & mask,
            "not_applicable": packed >> not_applicable & mask,
            "skipped": packed >> skipped & mask,
            "hidden": packed >> hidden & mask,
        }
        results.append(
            _dimension_result(
                node_id,
                value,
                earned,
                attainable,
                coverage,
                band,
                coverage is not None,
                counts,
                note,
                children,
            )
        )
        summaries.append((coverage is not None, earned, attainable, coverage, value, packed))
    return results[-1]


def _by_question(
    layout: Layout, got: Sequence[Row]
) -> tuple[list[State], list[AnswerValue | None], list[float | None]]:
    """States, values and points by question index, as :func:`_aggregate` reads them."""
    rows = [got[slot] for slot in layout.slots]
    return (
        list(map(_STATE, rows)),
        list(map(_VALUE, rows)),
        list(map(_POINTS, rows)),
    )


#: Builds a DimensionResult from its fields in order, without a trace.
_MakeDimensionResult = Callable[
    [
        str,
        float | None,
        float,
        float,
        float | None,
        str | None,
        bool,
        dict[str, int],
        str | None,
        tuple[DimensionResult, ...],
    ],
    DimensionResult,
]


def _plain_dimension_result(
    id: str,
    score: float | None,
    points: float,
    max_points: float,
    coverage: float | None,
    band: str | None,
    applicable: bool,
    counts: dict[str, int],
    note: str | None,
    dimensions: tuple[DimensionResult, ...],
) -> DimensionResult:
    return DimensionResult(
        id=id,
        score=score,
        points=points,
        max_points=max_points,
        coverage=coverage,
        band=band,
        applicable=applicable,
        counts=counts,
        note=note,
        dimensions=dimensions,
    )


def _quick_dimension_result() -> _MakeDimensionResult | None:
    """A constructor of DimensionResult that fills its slots directly, or ``None``.

    The attrs ``__init__`` of a frozen class sets each field through ``object.__setattr__`` and
    takes keyword arguments only; setting the slots through their descriptors does the same in
    half the time, which counts with 17 dimension results per response. It is used only while
    the class is exactly as expected: slotted, no validators or post-init hook, no converters but
    the freezing of *counts* (done here too), and these fields, so a change to the class falls
    back to its own ``__init__``.
    """
    cls = DimensionResult
    names = (
        "id",
        "score",
        "points",
        "max_points",
        "coverage",
        "band",
        "applicable",
        "counts",
        "note",
        "dimensions",
        "items",
    )
    fields = attrs.fields(cls)
    converters: dict[str, object] = {f.name: f.converter for f in fields if f.converter}
    if (
        tuple(f.name for f in fields) != names
        or any(f.validator is not None for f in fields)
        or set(converters) != {"counts"}
        or converters["counts"] is not freeze
        or hasattr(cls, "__attrs_post_init__")
        or set(getattr(cls, "__slots__", ())) - {"__weakref__"} != set(names)
    ):
        return None
    new = object.__new__
    (s_id, s_score, s_points, s_max, s_coverage, s_band, s_applicable, s_counts, s_note,
     s_dims, s_items) = (getattr(cls, name).__set__ for name in names)  # fmt: skip

    def make(
        id: str,
        score: float | None,
        points: float,
        max_points: float,
        coverage: float | None,
        band: str | None,
        applicable: bool,
        counts: dict[str, int],
        note: str | None,
        dimensions: tuple[DimensionResult, ...],
    ) -> DimensionResult:
        result: DimensionResult = new(cls)
        s_id(result, id)
        s_score(result, score)
        s_points(result, points)
        s_max(result, max_points)
        s_coverage(result, coverage)
        s_band(result, band)
        s_applicable(result, applicable)
        s_counts(result, FrozenDict(counts))
        s_note(result, note)
        s_dims(result, dimensions)
        s_items(result, ())
        return result

    return make


_dimension_result: _MakeDimensionResult = _quick_dimension_result() or _plain_dimension_result


def _aggregate(
    plan: ScoringPlan,
    node: NodePlan,
    rows: Sequence[tuple[int, float, float, float, float, float, float]],
    states: Sequence[State],
    values: Sequence[AnswerValue | None],
    points: Sequence[float | None],
    done: Sequence[DimensionResult],
    trace: bool,
) -> DimensionResult:
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
    if not is_applicable:
        note = "not applicable: none of its questions apply"
    elif coverage is not None and coverage + _EPS < node.min_coverage:
        note = (
            f"not assessable: coverage {coverage:.0%} is below the minimum {node.min_coverage:.0%}"
        )
    elif total <= 0:
        note = "not assessable: nothing answered"
    else:
        aggregation = node.aggregation
        if type(aggregation) in _MEANS:  # inlined: the same two sums as their aggregate()
            raw = math.fsum(map(operator.mul, vals, wts)) / total
        else:
            raw = aggregation.aggregate(vals, wts)
        value = min(100.0, max(0.0, 100.0 * raw))

    items: tuple[ItemResult, ...] = ()
    if trace:
        items = _trace(plan, node, states, values, points, filled, total, value is not None)
    return DimensionResult(
        id=node.id,
        score=value,
        points=earned,
        max_points=attainable,
        coverage=coverage,
        band=band_of(node, value),
        applicable=is_applicable,
        counts={
            "answered": n_answered,
            "dont_know": n_dont_know,
            "not_applicable": n_not_applicable,
            "skipped": n_skipped,
            "hidden": n_hidden,
        },
        note=note,
        dimensions=tuple(kids),
        items=items,
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
