"""Scoring one response with a compiled plan: a pure function, no I/O.

The only state kept between calls is a bounded cache of read-only counts mappings, which
changes no result (see ``_COUNTS``).
"""

from __future__ import annotations

import math
import operator
import os
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from weltoffen._arguments import expect_plan, wrong
from weltoffen._frozen import FrozenDict
from weltoffen.exceptions import Problem, ProblemCode, ResponseError
from weltoffen.model.answers import AnswerValue, Response, State
from weltoffen.scoring.aggregate import (
    EPS,
    NOT_APPLICABLE_NOTE,
    NOTHING_ANSWERED_NOTE,
    aggregate,
    low_coverage_note,
)
from weltoffen.scoring.answers import BadAnswer, coded_state, measure, state_problem
from weltoffen.scoring.conditions import hide
from weltoffen.scoring.dimension_results import dimension_result, result_slots
from weltoffen.scoring.layout import (
    APPLICABLE,
    ATTAINABLE,
    COVERED,
    KIND,
    POINTS,
    ROW_FIELDS,
    SLOT,
    STATE,
    VALUE,
    Layout,
    NodeLayout,
    Row,
)
from weltoffen.scoring.plan import ScoringPlan
from weltoffen.scoring.results import DimensionResult, Result, Status

__all__ = ["ANONYMOUS", "NativePath", "native", "score"]

#: The respondent of answers scored without a response around them (``score(plan, {...})``).
ANONYMOUS = "anonymous"

# module globals, so that the loop over nodes does not look them up on the class each time
_SCORED, _NOT_APPLICABLE, _NOT_ASSESSABLE = (
    Status.SCORED,
    Status.NOT_APPLICABLE,
    Status.NOT_ASSESSABLE,
)

#: The counts mappings made so far, by lane width and packed counts. They are read-only, so
#: results share them: one lookup per node instead of building a mapping (most nodes of most
#: responses repeat a few patterns). Bounded, as a cache must be.
_COUNTS: dict[int, dict[int, FrozenDict]] = {}
_COUNTS_KEPT = 4096


# one field of every row, at C speed (the trace reads three per question)
_STATE_OF = operator.itemgetter(STATE)
_VALUE_OF = operator.itemgetter(VALUE)
_POINTS_OF = operator.itemgetter(POINTS)


def _counts(counts_of: dict[int, FrozenDict], layout: Layout, packed: int) -> FrozenDict:
    """The counts mapping of *packed* counts, made once and kept in *counts_of* (see
    ``_COUNTS``)."""
    counts = counts_of.get(packed)
    if counts is None:
        mask = (1 << layout.lane) - 1
        answered, dont_know, not_applicable, skipped, hidden = layout.shifts
        counts = FrozenDict(
            answered=packed >> answered & mask,
            dont_know=packed >> dont_know & mask,
            not_applicable=packed >> not_applicable & mask,
            skipped=packed >> skipped & mask,
            hidden=packed >> hidden & mask,
        )
        if len(counts_of) < _COUNTS_KEPT:
            counts_of[packed] = counts
    return counts


class NativePath(NamedTuple):
    """The two loops of the compiled fast path (``scoring/_native.c``): the same operations on
    the same numbers as ``_read_known`` and ``_add_up`` here, in C."""

    #: (tables, got, answers) -> the (question id, answer) pairs no table settles, or ``None``
    #: for answers that are not a dict.
    read_known: Callable[
        [Mapping[str, Mapping[object, Row]], list[Row], Mapping[str, AnswerValue]],
        list[tuple[str, AnswerValue]] | None,
    ]
    #: (nodes, got, counts_of, layout, absent) -> the root's result, for a layout whose nodes
    #: are all simple, without a trace.
    add_up: Callable[
        [tuple[NodeLayout, ...], list[Row], dict[int, FrozenDict], Layout, int], DimensionResult
    ]


#: The widest lane of packed counts the compiled path takes: five lanes in 64 bits.
_NATIVE_LANE = 12


def _native_path() -> NativePath | None:
    """The compiled fast path, set up; ``None`` where it was not built (no compiler when
    weltoffen was installed), was built for other layouts, or ``WELTOFFEN_NATIVE=0`` turns it
    off. Without it, score() runs the Python loops below, with the same results."""
    if os.environ.get("WELTOFFEN_NATIVE") == "0":
        return None
    try:
        from weltoffen.scoring import _native
    except ImportError:
        return None
    slots = result_slots()
    if (
        slots is None
        or _native.ROW_FIELDS != ROW_FIELDS
        or NodeLayout._fields != _native.NODE_FIELDS
    ):
        return None
    _native.setup(
        DimensionResult,
        slots,
        math.fsum,
        EPS,
        low_coverage_note,
        NOT_APPLICABLE_NOTE,
        NOTHING_ANSWERED_NOTE,
        _SCORED,
        _NOT_APPLICABLE,
        _NOT_ASSESSABLE,
        _counts,
    )
    return NativePath(_native.read_known, _native.add_up)


#: The compiled fast path in use, or ``None`` (the tests run both ways).
native = _native_path()


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
        hide(plan, layout, got)
    if native is not None and not trace and layout.simple and layout.lane <= _NATIVE_LANE:
        _answered, _dont_know, not_applicable, _skipped, hidden = layout.shifts
        root = native.add_up(
            layout.nodes,
            got,
            _COUNTS.setdefault(layout.lane, {}),
            layout,
            min(not_applicable, hidden),
        )
    else:
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
        metadata=response.metadata,  # read-only already: kept, not copied
        traced=trace,
        status=root.status,
        fingerprint=plan.fingerprint,
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
    answers = response.answers
    rest = None if native is None else native.read_known(layout.tables, got, answers)
    if rest is None:
        rest = _read_known(layout.tables, got, answers)
    codes = layout.codes
    index, questions, slots = plan.index, plan.questions, layout.slots
    problems: list[Problem] = []
    for qid, value in rest:
        i = index.get(qid)
        if i is None:
            import difflib  # only an unknown question pays for the import

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
        if codes and qid in codes:  # a missing-value code stands for its state
            coded = coded_state(codes[qid], value)
            if coded is not None:
                value = coded
        if isinstance(value, State):
            problem = state_problem(qp, value)
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
            p = measure(qp, value)
        except BadAnswer as bad:
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


def _read_known(
    tables: Mapping[str, Mapping[object, Row]],
    got: list[Row],
    answers: Mapping[str, AnswerValue],
) -> list[tuple[str, AnswerValue]]:
    """Put the row of every answer its question's table settles into *got*; return the other
    (question id, answer) pairs, in order.

    Most answers are an option, yes/no or an allowed state: one lookup finds their row.
    """
    rest: list[tuple[str, AnswerValue]] = []
    for qid, value in answers.items():
        table = tables.get(qid)
        if table is not None:
            try:
                row = table.get(value)
            except TypeError:  # an unhashable answer (a list): measured by the caller
                row = None
            if row is not None and type(value) is row[KIND]:
                got[row[SLOT]] = row
                continue
        rest.append((qid, value))
    return rest


#: What a parent reads of a child node: applicable, points, max points, coverage, score, counts
#: (packed as in :class:`~weltoffen.scoring.layout.Layout`).
_Summary = tuple[bool, float, float, float | None, float | None, int]


def _add_up(plan: ScoringPlan, layout: Layout, got: Sequence[Row], trace: bool) -> DimensionResult:
    """Aggregate every node, children first; return the root's result.

    A simple node (a weighted mean, missing answers excluded) adds up its slice of rows in one
    loop; its rows carry 0.0 wherever a question does not take part, which leaves every sum as
    it was. Other nodes, and every node when a trace is wanted, go through
    :func:`~weltoffen.scoring.aggregate.aggregate`.
    """
    _answered, _dont_know, not_applicable, _skipped, hidden = layout.shifts
    # the lowest lane of the states whose questions take no part (LANES puts them on top)
    absent = min(not_applicable, hidden)
    summaries: list[_Summary] = []
    results: list[DimensionResult] = []
    by_question: tuple[list[State], list[AnswerValue | None], list[float | None]] | None = None
    # with a trace: the questions counted as their otherwise answer (their own row object)
    structural = (
        frozenset(qi for qi, row in layout.otherwise.items() if got[layout.slots[qi]] is row)
        if trace and layout.otherwise
        else frozenset()
    )
    counts_of = _COUNTS.setdefault(layout.lane, {})
    for spec in layout.nodes:
        simple, start, stop, all_attainable, all_applicable, exact = spec[1:7]
        if trace or not simple:
            if by_question is None:
                by_question = _by_question(layout, got)
            k = len(results)  # the index of this node
            result = aggregate(
                plan, plan.nodes[k], plan.rows[k], *by_question, results, trace, structural
            )
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
        # unpacked into names: the fast path for exact tuples (indexing costs a global per read)
        for (
            _kind,
            _slot,
            _state,
            _value,
            _points,
            row_earned,
            _attainable,
            _applicable,
            row_covered,
            product,
            unit,
        ) in rows:
            earned += row_earned
            covered += row_covered
            packed += unit
            if product:  # a zero adds nothing to the fsum
                weighted.append(product)
        if packed >> absent:  # a question takes no part: add up those that do
            attainable = applicable = 0.0
            for row in rows:
                attainable += row[ATTAINABLE]
                applicable += row[APPLICABLE]
        else:
            attainable, applicable = all_attainable, all_applicable
        _close_node(
            spec,
            earned,
            covered,
            packed,
            weighted,
            attainable,
            applicable,
            [covered] if exact else [row[COVERED] for row in rows],
            results,
            summaries,
            counts_of,
            layout,
        )
    return results[-1]


def _close_node(
    spec: NodeLayout,
    earned: float,
    covered: float,
    packed: int,
    weighted: list[float],
    attainable: float,
    applicable: float,
    weights: list[float],
    results: list[DimensionResult],
    summaries: list[_Summary],
    counts_of: dict[int, FrozenDict],
    layout: Layout,
) -> None:
    """Finish a simple node from the sums of its rows: add its children, find its score,
    coverage, band and counts; append its result and its summary.

    *weighted* holds normalised score * weight of each row (zeros allowed: they leave the
    ``fsum`` as it is); *weights* the answered weights to ``fsum``, or their exact sum alone.
    """
    node_id, kids, bands, on_points, min_coverage = (
        spec[0], spec[7], spec[8], spec[9], spec[10]
    )  # fmt: skip
    fsum = math.fsum
    children: tuple[DimensionResult, ...] = ()
    if kids:
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
    status = _NOT_ASSESSABLE
    coverage = covered / applicable if applicable > 0 else None
    if coverage is None:
        note = NOT_APPLICABLE_NOTE
        status = _NOT_APPLICABLE
    elif coverage + EPS < min_coverage:
        note = low_coverage_note(coverage, min_coverage)
    elif total <= 0:
        note = NOTHING_ANSWERED_NOTE
    else:
        status = _SCORED
        # the weighted mean, as WeightedMean.aggregate computes it: the same two fsums
        raw = 100.0 * (fsum(weighted) / total)
        # min(100.0, max(0.0, raw)) as aggregate() clamps, without the two calls
        raw = raw if raw > 0.0 else 0.0
        value = raw if raw < 100.0 else 100.0
    band = None
    if value is not None:
        x = earned if on_points else value
        for low, high, band_id, closed in bands:  # as band_of
            if low <= x < high or (closed and x == high):
                band = band_id
                break
    counts = counts_of.get(packed) or _counts(counts_of, layout, packed)
    results.append(
        dimension_result(
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
            status,
        )
    )
    summaries.append((coverage is not None, earned, attainable, coverage, value, packed))


def _by_question(
    layout: Layout, got: Sequence[Row]
) -> tuple[list[State], list[AnswerValue | None], list[float | None]]:
    """States, values and points by question index, as ``aggregate()`` reads them."""
    rows = [got[slot] for slot in layout.slots]
    return (
        list(map(_STATE_OF, rows)),
        list(map(_VALUE_OF, rows)),
        list(map(_POINTS_OF, rows)),
    )
