"""weltoffen -> REDCap -> weltoffen: within what a data dictionary can hold, nothing changes.

The expressible subset: forms holding questions and sections (two levels); choices whose points
are whole numbers (the codes), yes/no worth 1 and 0, unscored numbers, text and checkboxes;
dimensions that average or add up points (``sum()`` with blanks as the bottom option, or ``+``
needing every answer), weights only inside sums; conditions of comparisons, checkbox tests,
``<>`` and and/or. Section dimensions carry the ids the importer gives them (``form__s1``).
"""

from __future__ import annotations

import csv
import io
import itertools
import tempfile
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from weltoffen import compile, score
from weltoffen.interop.bands import ClosedRange, bands_from_ranges
from weltoffen.interop.expressions import REDCAP, parse
from weltoffen.interop.redcap import (
    read_questionnaire,
    read_responses,
    write_questionnaire,
    write_responses,
)
from weltoffen.interop.redcap.flags import attainable_totals
from weltoffen.interop.redcap.reader import section_id
from weltoffen.interop.redcap.writer import dictionary_text
from weltoffen.model import Condition, Question, Response, State
from weltoffen.model.conditions import AllOf, AnyOf, Compare, Equals, Includes, Not
from weltoffen.model.dimensions import Band, Dimension, Policies
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import (
    Choice,
    MultipleChoice,
    Numeric,
    Option,
    ScaleQuestion,
    TextQuestion,
    YesNo,
)
from weltoffen.strategies import SumOfPoints, Zero

_words = st.text(alphabet="abcdefghij klmnop", min_size=1, max_size=12).map(str.strip).filter(bool)
_SUM_ZERO = Policies(dont_know=Zero(), skipped=Zero())
_CODES = {"dont_know": "999", "skipped": "777", "not_applicable": "888"}
_SUM_ALL = Policies(min_coverage=1.0)


def _text(draw: st.DrawFn) -> dict[str, str]:
    return {"en": draw(_words)}


@st.composite
def _question(
    draw: st.DrawFn, qid: str, scored: bool, weighted: bool, ticks: bool = False
) -> Question:
    kinds = ["scale", "choice", "yes_no"] if scored else ["number", "text", "checkbox"]
    if scored and ticks:
        kinds.append("ticks")  # a count of ticked boxes, inside a total only
    kind = draw(st.sampled_from(kinds))
    base = {"id": qid, "text": _text(draw)}
    if draw(st.booleans()):
        base["help"] = _text(draw)
    weight = draw(st.sampled_from([1.0, 2.0, 0.5])) if weighted and kind != "ticks" else 1.0
    if kind in ("scale", "choice"):
        points = draw(st.lists(st.integers(-3, 6), min_size=2, max_size=4, unique=True))
        options = tuple(
            Option(value=str(p), label={"en": f"answer {p}"}, points=float(p)) for p in points
        )
        cls = ScaleQuestion if kind == "scale" else Choice
        states = draw(st.sets(st.sampled_from(sorted(_CODES))))
        return cls(  # type: ignore[arg-type]
            **base,
            options=options,
            weight=weight,
            dont_know="dont_know" in states,
            not_applicable="not_applicable" in states,
            missing_codes={_CODES[state]: state for state in sorted(states)},
        )
    if kind == "yes_no":
        return YesNo(**base, weight=weight)  # type: ignore[arg-type]
    if kind == "number":
        low = draw(st.none() | st.integers(-5, 5))
        high = draw(st.none() | st.integers(6, 20))
        return Numeric(  # type: ignore[arg-type]
            **base, minimum=low, maximum=high, integer=draw(st.booleans()), scored=False
        )
    if kind == "text":
        return TextQuestion(**base)  # type: ignore[arg-type]
    values = draw(st.lists(st.sampled_from(["a", "b", "c1", "x_2"]), min_size=1, unique=True))
    each = float(draw(st.sampled_from([1, 2]))) if kind == "ticks" else 0.0
    options = tuple(Option(value=v, label={"en": f"tick {v}"}, points=each) for v in values)
    if kind == "ticks":
        return MultipleChoice(**base, options=options, method="sum")  # type: ignore[arg-type]
    return MultipleChoice(**base, options=options, scored=False)  # type: ignore[arg-type]


@st.composite
def _leaf_questions(
    draw: st.DrawFn, ids: itertools.count[int], ticks: bool, weighted: bool
) -> list[Question]:
    scored = [
        draw(_question(f"q{next(ids)}", True, weighted, ticks))
        for _ in range(draw(st.integers(1, 3)))
    ]
    other = [draw(_question(f"q{next(ids)}", False, False)) for _ in range(draw(st.integers(0, 2)))]
    return list(draw(st.permutations([*scored, *other])))


@st.composite
def _leaf(
    draw: st.DrawFn, dim_id: str, title: dict[str, str], ids: itertools.count[int]
) -> Dimension:
    mode = draw(st.sampled_from(["mean", "sum", "plus"]))
    questions = draw(_leaf_questions(ids, mode == "sum", mode != "mean"))
    if mode == "plus":
        counted = [q for q in questions if q.scored]
        if len(counted) == 1 and counted[0].weight == 1:
            mode = "sum"  # a bare [q] is a copy of the item, not a total
    if mode == "mean":
        return Dimension(id=dim_id, title=title, questions=tuple(questions))
    bands: tuple[Band, ...] = ()
    totals = attainable_totals(questions)
    if totals and len(totals) > 1 and draw(st.booleans()):
        # a flag 1 from an attainable total up, as the importer names its bands
        k = draw(st.integers(1, len(totals) - 1))
        flag = f"{dim_id}_flag"
        sides = [(0, totals[0], totals[k - 1]), (1, totals[k], totals[-1])]
        ranges = [
            ClosedRange(id=f"{flag}_{v}", low=lo, high=hi, label={"en": f"{flag} = {v}"})
            for v, lo, hi in sides
        ]
        bands = bands_from_ranges(ranges, totals)
    return Dimension(
        id=dim_id,
        title=title,
        aggregation=SumOfPoints(),
        scoring=_SUM_ZERO if mode == "sum" else _SUM_ALL,
        bands=bands,
        bands_on="points" if bands else "score",
        questions=tuple(questions),
    )


@st.composite
def expressible(draw: st.DrawFn) -> Questionnaire:
    ids = itertools.count()
    forms = []
    for f in range(draw(st.integers(1, 3))):
        form = f"form{f}"
        n_sections = draw(st.integers(0, 2))
        if n_sections == 0:
            forms.append(draw(_leaf(form, {"en": form}, ids)))
            continue
        own = [
            draw(_question(f"q{next(ids)}", draw(st.booleans()), False))
            for _ in range(draw(st.integers(0, 2)))
        ]
        sections = tuple(
            draw(_leaf(section_id(form, k + 1), _text(draw), ids)) for k in range(n_sections)
        )
        forms.append(
            Dimension(id=form, title={"en": form}, questions=tuple(own), dimensions=sections)
        )
    q = Questionnaire(id="roundtrip", title={"en": "roundtrip"}, dimensions=tuple(forms))
    return _with_conditions(draw, q)


def _condition(draw: st.DrawFn, before: list[Question], depth: int) -> Condition:
    if depth > 0 and draw(st.integers(0, 3)) == 0:
        parts = tuple(_condition(draw, before, 0) for _ in range(draw(st.integers(2, 3))))
        return draw(st.sampled_from([AllOf, AnyOf]))(parts)
    q = draw(st.sampled_from(before))
    negate = draw(st.booleans())
    atom: Condition
    if isinstance(q, YesNo):
        atom = Equals(q.id, draw(st.booleans()))
    elif isinstance(q, MultipleChoice):
        atom = Includes(q.id, draw(st.sampled_from([o.value for o in q.options])))
    elif isinstance(q, ScaleQuestion | Choice):
        atom = Equals(q.id, draw(st.sampled_from([o.value for o in q.options])))
    elif isinstance(q, Numeric):
        op = draw(st.sampled_from(["gt", "ge", "lt", "le"]))
        return Compare(q.id, op, float(draw(st.integers(-3, 9))))
    else:
        return Equals(q.id, draw(_words))
    return Not(atom) if negate else atom


def _with_conditions(draw: st.DrawFn, q: Questionnaire) -> Questionnaire:
    import attrs

    order = [question for _, question in q.iter_questions()]
    position = {question.id: i for i, question in enumerate(order)}

    def rebuild(dim: Dimension) -> Dimension:
        questions = []
        for question in dim.questions:
            before = [x for x in order[: position[question.id]] if not isinstance(x, TextQuestion)]
            if before and draw(st.integers(0, 3)) == 0:
                question = attrs.evolve(question, when=_condition(draw, before, 1))
            questions.append(question)
        return attrs.evolve(
            dim,
            questions=tuple(questions),
            dimensions=tuple(rebuild(d) for d in dim.dimensions),
        )

    return attrs.evolve(q, dimensions=tuple(rebuild(d) for d in q.dimensions))


def _round_trip(q: Questionnaire, folder: Path) -> Questionnaire:
    path = folder / "roundtrip.csv"
    write_questionnaire(q, path)
    return read_questionnaire(path).questionnaire


def _ticks_alone() -> Questionnaire:
    """A form whose only section scores by a count of ticks: the checkbox scores only through
    the section's total, which the reader once met after it had merged the section away."""
    box = MultipleChoice(
        id="q0",
        text={"en": "a"},
        options=(Option(value="a", label={"en": "tick a"}, points=1.0),),
        method="sum",
    )
    section = Dimension(
        id=section_id("form0", 1),
        title={"en": "a"},
        aggregation=SumOfPoints(),
        scoring=_SUM_ZERO,
        questions=(box,),
    )
    form = Dimension(id="form0", title={"en": "form0"}, dimensions=(section,))
    return Questionnaire(id="roundtrip", title={"en": "roundtrip"}, dimensions=(form,))


@given(expressible())
@example(_ticks_alone())
def test_the_compiled_plan_survives_export_and_import(q: Questionnaire) -> None:
    with tempfile.TemporaryDirectory() as folder:
        again = _round_trip(q, Path(folder))
    assert compile(again) == compile(q)


@st.composite
def _answers(draw: st.DrawFn, q: Questionnaire) -> Response:
    answers: dict[str, object] = {}
    for _, question in q.iter_questions():
        if draw(st.integers(0, 4)) == 0:
            continue
        if isinstance(question, YesNo):
            answers[question.id] = draw(st.booleans())
        elif isinstance(question, MultipleChoice):
            values = [o.value for o in question.options]
            # REDCap cannot tell "nothing ticked" from "not answered": tick at least one
            ticked = st.lists(st.sampled_from(values), min_size=1, unique=True)
            answers[question.id] = tuple(draw(ticked))
        elif isinstance(question, ScaleQuestion | Choice):
            states = [State(kind) for kind in question.missing_codes.values()]
            answers[question.id] = draw(
                st.sampled_from([o.value for o in question.options] + states)
            )
        elif isinstance(question, Numeric):
            low = int(question.minimum) if question.minimum is not None else -5
            high = int(question.maximum) if question.maximum is not None else 20
            answers[question.id] = draw(st.integers(low, high))
        else:
            answers[question.id] = draw(_words)
    return Response(respondent=f"r{draw(st.integers(0, 10**6))}", answers=answers)  # type: ignore[arg-type]


@given(st.data())
def test_responses_survive_writing_and_reading_with_the_same_scores(data: st.DataObject) -> None:
    q = data.draw(expressible())
    responses = data.draw(st.lists(_answers(q), max_size=4, unique_by=lambda r: r.respondent))
    with tempfile.TemporaryDirectory() as folder:
        again = _round_trip(q, Path(folder))
        path = Path(folder) / "records.csv"
        write_responses(responses, q, path)
        read = read_responses(path, again)
    plan, plan_again = compile(q), compile(again)
    assert [r.respondent for r in read] == [r.respondent for r in responses]
    for before, after in zip(responses, read):
        first, second = score(plan, before), score(plan_again, after)
        assert first.score == second.score
        assert first.dimensions == second.dimensions


def test_a_section_of_ticks_alone_scores_the_same_after_the_round_trip(tmp_path: Path) -> None:
    q = _ticks_alone()
    again = _round_trip(q, tmp_path)
    assert [d.id for d in _dims(again)] == ["form0", "form0__s1"]
    path = tmp_path / "records.csv"
    ticked = Response(respondent="r1", answers={"q0": ("a",)})
    blank = Response(respondent="r2", answers={})
    write_responses([ticked, blank], q, path)
    read = read_responses(path, again)
    for before, after in zip([ticked, blank], read, strict=True):
        first, second = score(compile(q), before), score(compile(again), after)
        assert first.dimensions == second.dimensions
    assert score(compile(again), read[0]).dimension("form0__s1").points == 1.0


def _total(expression: str, answers: dict[str, object]) -> float | None:
    """REDCap's value of a generated total: sum() skips blanks, + needs every term."""
    node = parse(expression, REDCAP)
    from weltoffen.interop.expressions import Binary, Call, Field, Number

    def value(n: object) -> float | None:
        if isinstance(n, Number):
            return float(n.value)
        if isinstance(n, Field):
            answer = answers[n.name]
            if n.code is not None:  # a checkbox option: 1 ticked, 0 not
                assert isinstance(answer, tuple)
                return 1.0 if n.code in answer else 0.0
            return None if answer is None else float(answer)  # type: ignore[arg-type]
        if isinstance(n, Binary) and n.op in ("+", "*"):
            left, right = value(n.left), value(n.right)
            if left is None or right is None:
                return None
            return left + right if n.op == "+" else left * right
        assert isinstance(n, Call)
        assert n.name == "sum"
        parts = [value(a) for a in n.args]
        return sum(p for p in parts if p is not None)

    return value(node)


@given(st.data())
def test_the_generated_total_equals_points_on_complete_answers(data: st.DataObject) -> None:
    # complete: every question answered, none hidden by a condition (REDCap blanks those)
    q = _without_conditions(data.draw(expressible()))
    plan = compile(q)
    summed = [d for d in _dims(q) if isinstance(d.aggregation, SumOfPoints)]
    rows = list(csv.reader(io.StringIO(dictionary_text(q))))
    calcs = {row[0]: row[5] for row in rows[1:] if row[3] == "calc"}
    response = data.draw(_answers(q))
    complete = {k: v for k, v in response.answers.items() if not isinstance(v, State)}
    for _, question in q.iter_questions():
        if question.scored and question.id not in complete:
            complete[question.id] = data.draw(_answers_of(question))
    result = score(plan, complete)
    for dim in summed:
        codes: dict[str, object] = {}
        for question in dim.questions:
            if question.scored:
                value = complete[question.id]
                codes[question.id] = {True: 1.0, False: 0.0}.get(value, value)  # type: ignore[call-overload]
        assert _total(calcs[f"{dim.id}_total"], codes) == result.dimension(dim.id).points


def _without_conditions(q: Questionnaire) -> Questionnaire:
    import attrs

    def bare(dim: Dimension) -> Dimension:
        return attrs.evolve(
            dim,
            questions=tuple(attrs.evolve(x, when=None) for x in dim.questions),
            dimensions=tuple(bare(d) for d in dim.dimensions),
        )

    return attrs.evolve(q, dimensions=tuple(bare(d) for d in q.dimensions))


def _answers_of(question: Question) -> st.SearchStrategy[object]:
    if isinstance(question, YesNo):
        return st.booleans()
    if isinstance(question, MultipleChoice):
        values = [o.value for o in question.options]
        return st.lists(st.sampled_from(values), min_size=1, unique=True).map(tuple)
    assert isinstance(question, ScaleQuestion | Choice)
    return st.sampled_from([o.value for o in question.options])


def _dims(q: Questionnaire) -> list[Dimension]:
    return [d for _, d in q.iter_dimensions()]
