"""Static checks of a questionnaire: everything that can be wrong without any response.

:func:`check_questionnaire` returns every problem at once, each with its path in the document.
What ids must look like, and which ids look alike, is in :mod:`weltoffen.scoring.ids`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

from weltoffen._arguments import expect_questionnaire
from weltoffen.exceptions import Location, Problem, ProblemCode, render_location
from weltoffen.model.answers import State
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
from weltoffen.model.dimensions import Band, BandsOn, Dimension
from weltoffen.model.queries import dimension_locations, options_of, question_locations
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
from weltoffen.scoring.answers import YES_NO, BadAnswer, code_key, measure, state_problem
from weltoffen.scoring.ids import check_ids
from weltoffen.scoring.ids import check_warnings as look_alike_ids
from weltoffen.scoring.reach import check_logic, gates

__all__ = ["check_bands", "check_questionnaire", "check_warnings", "point_range", "point_span"]

_RESERVED = {s.value for s in State}


#: Deepest dimension tree accepted. Files cannot nest deeper anyway (the parser stops at 100
#: levels, two per dimension); trees built in code deeper than this would exhaust the stack of
#: the recursive checks and of the plan builder.
MAX_DIMENSION_DEPTH = 50


def check_questionnaire(q: Questionnaire) -> list[Problem]:
    """Every problem in *q*, in document order.

    Raises:
        TypeError: *q* is not a questionnaire (a path or plain data still needs loading).
    """
    expect_questionnaire("check_questionnaire(q)", q)
    for path, _ in dimension_locations(q):
        if path.count("dimensions") > MAX_DIMENSION_DEPTH:
            return [
                Problem(
                    ProblemCode.TOO_LARGE,
                    "dimensions nested too deeply",
                    location=path,
                    expected=f"at most {MAX_DIMENSION_DEPTH} levels",
                )
            ]
    problems: list[Problem] = list(check_ids(q))
    add = problems.append

    scales: dict[str, Sequence[Option]] = {}
    for i, scale in enumerate(q.scales):
        path = ("scales", i)
        if scale.id in scales:
            add(
                Problem(
                    ProblemCode.DUPLICATE_ID,
                    f"duplicate scale id {scale.id!r}",
                    location=(*path, "id"),
                )
            )
        scales[scale.id] = scale.options
        problems.extend(_check_options(scale.options, path, need=2))

    keys: set[str] = set()
    for i, field in enumerate(q.metadata):
        if field.key in keys:
            add(
                Problem(
                    ProblemCode.DUPLICATE_ID,
                    f"duplicate metadata key {field.key!r}",
                    location=("metadata", i, "key"),
                )
            )
        keys.add(field.key)
        values = [o.value for o in field.options]
        for j, value in enumerate(values):
            if value in values[:j]:
                add(
                    Problem(
                        ProblemCode.DUPLICATE_ID,
                        f"duplicate value {value!r}",
                        location=("metadata", i, "options", j, "value"),
                    )
                )

    problems.extend(_bands_of(q.bands, q.bands_on, ("bands",), q.dimensions, scales))

    dim_ids: dict[str, Location] = {}
    for path, dim in dimension_locations(q):
        if dim.id in dim_ids:
            add(
                Problem(
                    ProblemCode.DUPLICATE_ID,
                    f"duplicate dimension id {dim.id!r}",
                    location=(*path, "id"),
                    got=f"first at {render_location(dim_ids[dim.id])}",
                )
            )
        dim_ids.setdefault(dim.id, path)
        if not dim.questions and not dim.dimensions:
            add(
                Problem(
                    ProblemCode.TOO_FEW,
                    f"dimension {dim.id!r} is empty",
                    location=path,
                    expected="questions or dimensions",
                )
            )
        elif not _scored_max(dim, scales):
            add(
                Problem(
                    ProblemCode.CANNOT_SCORE,
                    f"dimension {dim.id!r} can never score: its maximum is zero",
                    location=path,
                    expected="at least one scored question with a positive weight and point range",
                )
            )
        problems.extend(_bands_of(dim.bands, dim.bands_on, (*path, "bands"), (dim,), scales))

    questions: dict[str, tuple[Location, Question]] = {}
    for path, question in question_locations(q):
        if question.id in questions:
            add(
                Problem(
                    ProblemCode.DUPLICATE_ID,
                    f"duplicate question id {question.id!r}",
                    location=(*path, "id"),
                    got=f"first at {render_location(questions[question.id][0])}",
                )
            )
        else:
            questions[question.id] = (path, question)
        problems.extend(_check_question(question, path, scales))

    for path, question in question_locations(q):
        if question.when is not None:
            problems.extend(_check_condition(question.when, (*path, "when"), questions, scales))
    for path, dim in dimension_locations(q):
        if dim.when is not None:
            problems.extend(_check_condition(dim.when, (*path, "when"), questions, scales))
    problems.extend(_check_cycles(q))
    problems.extend(_check_missing_codes(q, scales))
    problems.extend(_check_otherwise(q, scales))
    problems.extend(_check_suggestions(q, questions, scales))
    return problems


def _check_suggestions(
    q: Questionnaire,
    questions: Mapping[str, tuple[Location, Question]],
    scales: dict[str, Sequence[Option]],
) -> list[Problem]:
    """A suggestion's questions exist and earn points (so that "done" can be told)."""
    banded: list[tuple[Location, Band]] = [(("bands", i), b) for i, b in enumerate(q.bands)]
    for path, dim in dimension_locations(q):
        banded += [((*path, "bands", i), b) for i, b in enumerate(dim.bands)]
    problems = []
    for at, band in banded:
        for j, suggestion in enumerate(band.suggestions):
            for k, qid in enumerate(suggestion.concerns):
                where = (*at, "suggestions", j, "concerns", k)
                if qid not in questions:
                    problems.append(
                        Problem(
                            ProblemCode.UNKNOWN_REFERENCE,
                            f"unknown question {qid!r}",
                            location=where,
                        )
                    )
                    continue
                question = questions[qid][1]
                low, high = point_range(question, scales)
                if not question.scored or not high > low:
                    problems.append(
                        Problem(
                            ProblemCode.BAD_VALUE,
                            f"question {qid!r} earns no points, so it cannot tell whether the "
                            "suggestion is done",
                            location=where,
                            expected="a scored question",
                        )
                    )
    return problems


def _check_missing_codes(q: Questionnaire, scales: dict[str, Sequence[Option]]) -> list[Problem]:
    """Missing-value codes must be usable: not empty, each once, never a real answer, and (on a
    question) for a state the question offers.

    The questionnaire's codes apply only to the questions that offer their state, so their state
    needs no check; that they hide no answer is checked for each question they apply to.
    """
    problems: list[Problem] = []
    shared = _code_keys(q.missing_codes, ("missing_codes",), problems)
    for path, question in question_locations(q):
        where = (*path, "missing_codes")
        own = _code_keys(question.missing_codes, where, problems)
        for code, state in own.values():
            offered = {"dont_know": question.dont_know, "not_applicable": question.not_applicable}
            if not offered.get(state, True):
                problems.append(
                    Problem(
                        ProblemCode.BAD_VALUE,
                        f"code {code!r} stands for {state}, which question {question.id!r} "
                        "does not offer",
                        location=(*where, code),
                        expected=f"{state}: true on the question, or another state",
                    )
                )
        applying: dict[str, tuple[Location, str]] = {
            key: (("missing_codes", code), code)
            for key, (code, state) in shared.items()
            if state == "skipped"
            or (state == "dont_know" and question.dont_know)
            or (state == "not_applicable" and question.not_applicable)
        }
        applying.update({key: ((*where, code), code) for key, (code, _) in own.items()})
        for key, (location, code) in applying.items():
            if _is_answer(question, key, scales):
                problems.append(
                    Problem(
                        ProblemCode.BAD_VALUE,
                        f"code {code!r} is also an answer of question {question.id!r}",
                        location=location,
                        expected="a code that no answer uses",
                    )
                )
    return problems


def _check_otherwise(q: Questionnaire, scales: dict[str, Sequence[Option]]) -> list[Problem]:
    """``otherwise`` needs the question's own ``when`` and must be an answer of the question."""
    # the plan reads this module: import it when the check runs
    from weltoffen.scoring.plan import question_plan

    problems: list[Problem] = []
    for path, question in question_locations(q):
        value = question.otherwise
        if value is None:
            continue
        where = (*path, "otherwise")
        if question.when is None:
            problems.append(
                Problem(
                    ProblemCode.MISSING_KEY,
                    f"otherwise of question {question.id!r} needs a condition: it is the answer "
                    "while the question's own when is false",
                    location=where,
                    expected="when: {...} on the question",
                )
            )
            continue
        plan = question_plan(question, scales)
        if isinstance(value, State):
            reason = state_problem(plan, value)
            if reason is not None:
                problems.append(Problem(ProblemCode.BAD_VALUE, reason, location=where))
            continue
        try:
            measure(plan, value)
        except BadAnswer as bad:
            problems.append(
                Problem(
                    ProblemCode.BAD_VALUE,
                    f"otherwise is not an answer of question {question.id!r}: {bad.message}",
                    location=where,
                    expected=bad.expected,
                    got=repr(value),
                )
            )
    return problems


def _code_keys(
    codes: Mapping[str, str], where: Location, problems: list[Problem]
) -> dict[str, tuple[str, str]]:
    """*codes* by canonical text -> (code as written, state); empty and repeated codes are
    problems."""
    out: dict[str, tuple[str, str]] = {}
    for code, state in codes.items():
        key = code_key(code)
        if not key:
            problems.append(
                Problem(
                    ProblemCode.BAD_VALUE,
                    "a missing-value code is empty; an empty answer already means skipped",
                    location=(*where, code),
                )
            )
        elif key in out:
            problems.append(
                Problem(
                    ProblemCode.DUPLICATE_ID,
                    f"codes {out[key][0]!r} and {code!r} are the same code",
                    location=(*where, code),
                )
            )
        else:
            out[key] = (code, state)
    return out


def _is_answer(question: Question, key: str, scales: dict[str, Sequence[Option]]) -> bool:
    """Whether the code *key* (canonical text) is also a real answer of *question*."""
    if isinstance(question, YesNo):
        return key.casefold() in YES_NO
    if isinstance(question, Numeric):
        low, high = question.minimum, question.maximum
        try:
            number = float(key)
        except ValueError:
            return False
        # only a range closed on both ends says which numbers are answers
        return low is not None and high is not None and low <= number <= high
    return any(code_key(o.value) == key for o in options_of(question, scales))


def check_warnings(q: Questionnaire) -> list[Problem]:
    """What *q* allows but most likely does not mean.

    Two ids of one kind that look alike (``suspicious-id``, see
    :func:`weltoffen.scoring.ids.check_warnings`), and dead logic: conditions that can never
    hold (``unreachable``) or always hold (``always-true``, see
    :func:`weltoffen.scoring.reach.check_logic`).
    """
    return [*look_alike_ids(q), *check_logic(q)]


def _check_cycles(q: Questionnaire) -> list[Problem]:
    """A condition must not depend, directly or through other conditions, on itself.

    A condition reads questions; a question counts only when every condition guarding it (its own
    and those of its enclosing dimensions) holds, so the condition depends on those in turn.
    """
    found, guards = gates(q)
    where = [gate.location for gate in found]
    names = [repr(g.id) if g.kind == "question" else g.name for g in found]
    conds = [gate.condition for gate in found]
    deps = [
        sorted({g for qid in referenced_questions(c) for g in guards.get(qid, ())}) for c in conds
    ]
    problems: list[Problem] = []
    state = [0] * len(conds)  # 0 unseen, 1 on the current trail, 2 done
    for start in range(len(conds)):
        if state[start]:
            continue
        trail, todo = [start], [list(deps[start])]
        state[start] = 1
        while todo:  # depth first without recursion: chains of conditions may be long
            if not todo[-1]:
                state[trail.pop()] = 2
                todo.pop()
                continue
            nxt = todo[-1].pop()
            if state[nxt] == 1:
                cycle = [*trail[trail.index(nxt) :], nxt]
                names_ = " -> ".join(names[c] for c in cycle)
                problems.append(
                    Problem(
                        ProblemCode.CONDITION_CYCLE,
                        f"conditions form a cycle: {names_}",
                        location=where[nxt],
                    )
                )
            elif state[nxt] == 0:
                state[nxt] = 1
                trail.append(nxt)
                todo.append(list(deps[nxt]))
    return problems


def check_bands(
    bands: Sequence[Band],
    path: Location,
    *,
    on: BandsOn = "score",
    span: tuple[float, float] = (0.0, 100.0),
) -> list[Problem]:
    """Bands must tile their range: no gaps, no overlaps, unique ids.

    Bands *on* scores tile 0..100 and lie within it. Bands on points must cover *span*, the
    fewest to the most points a complete response can earn; they may reach beyond it (a total
    outside every band, possible when questions are missing, has no band). Each band's own
    bounds (finite, min below max) hold since it was built.
    """
    problems: list[Problem] = []
    if not bands:
        return problems
    seen: set[str] = set()
    for i, band in enumerate(bands):
        where = (*path, i)
        if band.id in seen:
            problems.append(
                Problem(
                    ProblemCode.DUPLICATE_ID,
                    f"duplicate band id {band.id!r}",
                    location=(*where, "id"),
                )
            )
        seen.add(band.id)
        if on == "score":
            for name, bound in (("min", band.min), ("max", band.max)):
                if not 0 <= bound <= 100:
                    problems.append(
                        Problem(
                            ProblemCode.BAD_VALUE,
                            "band bound outside 0..100",
                            location=(*where, name),
                            got=repr(bound),
                        )
                    )
    low, high = span
    order = sorted(range(len(bands)), key=lambda i: (bands[i].min, bands[i].max))
    first = bands[order[0]]
    if first.min > low:
        problems.append(
            Problem(
                ProblemCode.BAND_GAP,
                "bands leave a gap",
                location=path,
                expected=f"a band starting at {_shown(low)}",
                got=f"{_shown(low)}..{first.min} uncovered",
            )
        )
    end = max(band.max for band in bands)
    if end < high:
        problems.append(
            Problem(
                ProblemCode.BAND_GAP,
                "bands leave a gap",
                location=path,
                expected=f"a band ending at {_shown(high)}",
                got=f"{end}..{_shown(high)} uncovered",
            )
        )
    # Each band is compared with the one reaching furthest so far, not merely with the one
    # before it: a wide band can cover several narrow ones that start after it.
    reach = first
    for b in order[1:]:
        band = bands[b]
        if band.min > reach.max:
            problems.append(
                Problem(
                    ProblemCode.BAND_GAP,
                    f"gap between bands {reach.id!r} and {band.id!r}",
                    location=(*path, b),
                    got=f"{reach.max}..{band.min} uncovered",
                )
            )
        elif band.min < reach.max:
            problems.append(
                Problem(
                    ProblemCode.BAND_OVERLAP,
                    f"bands {reach.id!r} and {band.id!r} overlap",
                    location=(*path, b),
                    got=f"{band.min}..{min(band.max, reach.max)} in both",
                )
            )
        if band.max > reach.max:
            reach = band
    return problems


def _shown(number: float) -> str:
    """A range's end as people write it: 0 and 100 rather than 0.0 and 100.0."""
    return str(int(number)) if float(number).is_integer() else repr(number)


def point_span(
    dims: Sequence[Dimension], scales: dict[str, Sequence[Option]]
) -> tuple[float, float]:
    """Fewest and most points a complete response earns in *dims* (the points of their scored
    questions, each times its weight, as results add them up)."""
    low = high = 0.0
    stack = list(dims)
    while stack:
        dim = stack.pop()
        stack.extend(dim.dimensions)
        for q in dim.questions:
            if q.scored and not isinstance(q, TextQuestion):
                lo, hi = point_range(q, scales)
                if hi > lo:
                    low += q.weight * lo
                    high += q.weight * hi
    return low, high


def _bands_of(
    bands: Sequence[Band],
    on: BandsOn,
    path: Location,
    dims: Sequence[Dimension],
    scales: dict[str, Sequence[Option]],
) -> list[Problem]:
    if on == "points" and bands:
        return check_bands(bands, path, on=on, span=point_span(dims, scales))
    return check_bands(bands, path)


def _check_options(options: Sequence[Option], path: Location, need: int) -> list[Problem]:
    problems = []
    if len(options) < need:
        problems.append(
            Problem(
                ProblemCode.TOO_FEW,
                f"needs at least {need} options",
                location=(*path, "options"),
                got=str(len(options)),
            )
        )
    seen: set[str] = set()
    for i, option in enumerate(options):
        where = (*path, "options", i)
        if option.value in seen:
            problems.append(
                Problem(
                    ProblemCode.DUPLICATE_ID,
                    f"duplicate option value {option.value!r}",
                    location=(*where, "value"),
                )
            )
        if option.value in _RESERVED:
            problems.append(
                Problem(
                    ProblemCode.BAD_VALUE,
                    f"{option.value!r} is reserved for the answer state of that name",
                    location=(*where, "value"),
                )
            )
        seen.add(option.value)
    return problems


def _check_question(
    q: Question, path: Location, scales: dict[str, Sequence[Option]]
) -> list[Problem]:
    # weights, points and numeric bounds are checked as each object is built
    problems: list[Problem] = []
    add = problems.append
    if isinstance(q, ScaleQuestion):
        if q.scale is not None and q.options:
            add(
                Problem(
                    ProblemCode.CONFLICTING_KEYS,
                    "give either scale or options, not both",
                    location=path,
                )
            )
        elif q.scale is not None:
            if q.scale not in scales:
                add(
                    Problem(
                        ProblemCode.UNKNOWN_REFERENCE,
                        f"unknown scale {q.scale!r}",
                        location=(*path, "scale"),
                        expected=_one_of(scales),
                    )
                )
        else:
            problems.extend(_check_options(q.options, path, need=2))
    elif isinstance(q, Choice):
        problems.extend(_check_options(q.options, path, need=2))
    elif isinstance(q, MultipleChoice):
        problems.extend(_check_options(q.options, path, need=1))
    elif isinstance(q, Numeric):
        problems.extend(_check_numeric(q, path))
    if q.scored and not isinstance(q, TextQuestion):
        lo, hi = point_range(q, scales)
        if math.isfinite(lo) and math.isfinite(hi) and hi <= lo and not problems:
            add(
                Problem(
                    ProblemCode.CANNOT_SCORE,
                    f"question {q.id!r} cannot discriminate: every answer earns {hi} points",
                    location=path,
                    expected="options with different points (or scored: false)",
                )
            )
    elif isinstance(q, TextQuestion) and q.scored:
        add(
            Problem(
                ProblemCode.CANNOT_SCORE,
                "free-text questions cannot be scored",
                location=(*path, "scored"),
            )
        )
    return problems


def _check_numeric(q: Numeric, path: Location) -> list[Problem]:
    problems = []
    if q.thresholds and q.linear is not None:
        problems.append(
            Problem(
                ProblemCode.CONFLICTING_KEYS,
                "give either thresholds or linear, not both",
                location=path,
            )
        )
    elif q.scored and not q.thresholds and q.linear is None:
        problems.append(
            Problem(
                ProblemCode.MISSING_KEY,
                "a scored numeric question needs thresholds or linear",
                location=path,
                expected="thresholds: [...] or linear: {low, high}",
            )
        )
    last = -math.inf
    for i, t in enumerate(q.thresholds):
        if t.min <= last:
            problems.append(
                Problem(
                    ProblemCode.BAD_VALUE,
                    "thresholds must rise strictly",
                    location=(*path, "thresholds", i, "min"),
                    got=f"{t.min} after {last}",
                )
            )
        last = t.min
    return problems


def point_range(q: Question, scales: dict[str, Sequence[Option]]) -> tuple[float, float]:
    """Lowest and highest points a question can earn."""
    if isinstance(q, YesNo):
        return min(q.yes_points, q.no_points), max(q.yes_points, q.no_points)
    if isinstance(q, Numeric):
        if q.linear is not None:
            return 0.0, q.linear.points
        pts = [t.points for t in q.thresholds]
        return (min(pts), max(pts)) if pts else (0.0, 0.0)
    if isinstance(q, MultipleChoice):
        pts = [o.points for o in q.options]
        if not pts:
            return 0.0, 0.0
        if q.method == "max":
            # an empty selection (allowed without min_selected) earns 0
            if q.min_selected:
                return min(pts), max(pts)
            return min(0.0, *pts), max(0.0, *pts)
        # the sums of every negative and of every positive option bound what a selection adds
        # up to (the selection limits are not taken into account, as they never were)
        low = math.fsum(p for p in pts if p < 0)
        total = math.fsum(p for p in pts if p > 0)
        return low, min(total, q.cap) if q.cap is not None else total
    pts = [o.points for o in options_of(q, scales)]
    return (min(pts), max(pts)) if pts else (0.0, 0.0)


def _scored_max(dim: Dimension, scales: dict[str, Sequence[Option]]) -> bool:
    """Whether some scored question under *dim* can earn points, through positive weights."""
    for q in dim.questions:
        if q.scored and not isinstance(q, TextQuestion) and q.weight > 0:
            lo, hi = point_range(q, scales)
            if hi > lo:
                return True
    return any(d.weight > 0 and _scored_max(d, scales) for d in dim.dimensions)


def _one_of(names: Iterable[str]) -> str:
    names = sorted(names)
    return "one of " + ", ".join(repr(n) for n in names) if names else "a declared id"


def _check_condition(
    cond: Condition,
    path: Location,
    questions: dict[str, tuple[Location, Question]],
    scales: dict[str, Sequence[Option]],
) -> list[Problem]:
    if isinstance(cond, AllOf | AnyOf):
        out = []
        key = "all" if isinstance(cond, AllOf) else "any"
        if not cond.conditions:
            out.append(
                Problem(ProblemCode.TOO_FEW, "needs at least one condition", location=(*path, key))
            )
        for i, c in enumerate(cond.conditions):
            out.extend(_check_condition(c, (*path, key, i), questions, scales))
        return out
    if isinstance(cond, Not):
        return _check_condition(cond.condition, (*path, "not"), questions, scales)
    if cond.question not in questions:
        return [
            Problem(
                ProblemCode.UNKNOWN_REFERENCE,
                f"unknown question {cond.question!r}",
                location=(*path, "question"),
            )
        ]
    target = questions[cond.question][1]
    values: list[object] = []
    if isinstance(cond, Equals):
        values = [cond.value]
    elif isinstance(cond, OneOf):
        values = list(cond.values)
    elif isinstance(cond, Includes):
        if not isinstance(target, MultipleChoice):
            return [
                Problem(
                    ProblemCode.BAD_CONDITION,
                    f"question {cond.question!r} is not multiple choice",
                    location=(*path, "includes"),
                )
            ]
        values = [cond.value]
    elif isinstance(cond, Compare) and not isinstance(target, Numeric):
        return [
            Problem(
                ProblemCode.BAD_CONDITION,
                f"question {cond.question!r} is not numeric",
                location=(*path, cond.op),
            )
        ]
    allowed: list[object] | None = None
    if isinstance(target, YesNo):
        allowed = [True, False]
    elif isinstance(target, ScaleQuestion | Choice | MultipleChoice):
        allowed = [o.value for o in options_of(target, scales)]
    out = []
    for v in values:
        if allowed is not None and v not in allowed:
            out.append(
                Problem(
                    ProblemCode.BAD_CONDITION,
                    f"{v!r} is not an answer of question {cond.question!r}",
                    location=path,
                    expected=", ".join(repr(a) for a in allowed) or None,
                )
            )
    return out
