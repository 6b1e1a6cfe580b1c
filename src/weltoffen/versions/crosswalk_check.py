"""Checking a crosswalk against the two versions it maps: nothing left out, nothing unknown.

Every old question must be carried, dropped or consumed by a split or merge, every new one fed
or added; recoded answers must be answers of the new question, and merged ones must fit the
rule. All problems come at once, each at its place in the crosswalk.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from weltoffen.exceptions import (
    Location,
    Problem,
    ProblemCode,
    one_of,
)
from weltoffen.model.answers import GIVEN_STATES, AnswerValue, State
from weltoffen.model.queries import options_of
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import (
    MultipleChoice,
    Numeric,
    Question,
    TextQuestion,
    YesNo,
)
from weltoffen.versions.crosswalk import (
    Crosswalk,
    Merged,
    Recode,
    answer_key,
    apply_recode,
    consumed,
    crosswalk_problems,
    sources,
)

__all__ = ["check_crosswalk"]


# -- checking against both versions ------------------------------------------------------------


def check_crosswalk(cw: Crosswalk, old_q: Questionnaire, new_q: Questionnaire) -> list[Problem]:
    """Every problem of *cw* as a crosswalk from *old_q* to *new_q*, all at once.

    Found: another instrument or version; a name of a question or option that the version it
    belongs to lacks; an old question neither carried (same id in the new version) nor named; a
    new question with no source (neither in the old version, nor fed, nor added); answers that
    would land on a value the new question lacks (an option not recoded, a recode onto an unknown
    option, a state the new question does not offer).
    """
    problems = list(crosswalk_problems(cw))
    for field, want, got in (
        ("instrument", old_q.id, cw.instrument),
        ("instrument", new_q.id, cw.instrument),
        ("from_version", old_q.version, cw.from_version),
        ("to_version", new_q.version, cw.to_version),
    ):
        if want != got:
            problems.append(
                Problem(
                    ProblemCode.WRONG_INSTRUMENT,
                    f"the questionnaire's {field.replace('from_', '').replace('to_', '')} "
                    "does not match",
                    location=(field,),
                    expected=repr(want),
                    got=repr(got),
                )
            )
    old = dict(_questions(old_q))
    new = dict(_questions(new_q))
    for at, qid in cw.old_ids():
        if qid not in old:
            problems.append(_unknown(qid, at, "old", old_q.version, old))
    for at, qid in cw.new_ids():
        if qid not in new:
            problems.append(_unknown(qid, at, "new", new_q.version, new))
    named_old = consumed(cw)
    fed = sources(cw)
    for qid in old:
        if qid not in named_old and qid not in new:
            problems.append(
                Problem(
                    ProblemCode.MISSING_KEY,
                    f"the old question {qid!r} is neither carried nor dropped: version "
                    f"{new_q.version} has no question of that id",
                    expected="an entry under renamed, split, merged or dropped",
                )
            )
    for qid in new:
        if qid not in fed and (qid not in old or qid in named_old):
            problems.append(
                Problem(
                    ProblemCode.MISSING_KEY,
                    f"the new question {qid!r} has no source: it is neither in version "
                    f"{old_q.version} nor fed by the crosswalk",
                    expected="an entry under added, renamed, split or merged",
                )
            )
    problems.extend(_value_problems(cw, old_q, new_q, old, new, named_old))
    return problems


def _questions(q: Questionnaire) -> Iterable[tuple[str, Question]]:
    for _, question in q.iter_questions():
        yield question.id, question


def _unknown(
    qid: str, at: Location, side: str, version: str, known: Mapping[str, Question]
) -> Problem:
    from weltoffen.serialization.converter import suggest

    near = suggest(qid, list(known))["hint"]
    return Problem(
        ProblemCode.UNKNOWN_REFERENCE,
        f"version {version} has no question {qid!r}",
        location=at,
        expected=f"a question of the {side} version",
        hint=near,
    )


class _Values:
    """What one question accepts, for checking where answers land."""

    def __init__(self, q: Questionnaire, question: Question) -> None:
        scales = {s.id: s.options for s in q.scales}
        self.question = question
        self.options = [o.value for o in options_of(question, scales)]
        self.states = {State.SKIPPED}
        if question.dont_know:
            self.states.add(State.DONT_KNOW)
        if question.not_applicable:
            self.states.add(State.NOT_APPLICABLE)

    @property
    def free(self) -> bool:
        """Whether the answers are numbers or texts rather than a fixed list."""
        return isinstance(self.question, Numeric | TextQuestion)

    def answers(self) -> list[AnswerValue]:
        """The answers an old question can hold (beside numbers or texts), for following each
        one through a recode; skipping is always possible and left out."""
        given = sorted(self.states - {State.SKIPPED}, key=lambda s: s.value)
        found: list[AnswerValue] = [*self.options, *given]
        if isinstance(self.question, YesNo):
            found = [True, False, *found]
        return found

    def accepts(self, value: AnswerValue) -> bool:
        if isinstance(value, State):
            return value in self.states
        if isinstance(self.question, YesNo):
            return isinstance(value, bool)
        if isinstance(self.question, Numeric):
            return isinstance(value, int | float) and not isinstance(value, bool)
        if isinstance(self.question, TextQuestion):
            return isinstance(value, str)
        if isinstance(self.question, MultipleChoice):
            items = value if isinstance(value, tuple) else (value,)
            return all(isinstance(v, str) and v in self.options for v in items)
        return isinstance(value, str) and value in self.options

    def describe(self) -> str:
        states = sorted(s.value for s in self.states - {State.SKIPPED})
        if isinstance(self.question, YesNo):
            return one_of(["true", "false", *states]) or "true or false"
        return one_of([*self.options, *states]) or f"an answer to a {self.question.kind} question"


def _kinds(old_id: str, source: _Values, new_id: str, target: _Values, at: Location) -> Problem:
    return Problem(
        ProblemCode.BAD_VALUE,
        f"the answers of {old_id!r} ({source.question.kind}) cannot be carried to {new_id!r} "
        f"({target.question.kind}) as they are",
        location=at,
        hint="merge it by a table, or drop it and add the new question",
    )


def _value_problems(
    cw: Crosswalk,
    old_q: Questionnaire,
    new_q: Questionnaire,
    old: Mapping[str, Question],
    new: Mapping[str, Question],
    named_old: set[str],
) -> list[Problem]:
    problems: list[Problem] = []

    def carry(old_id: str, new_id: str, recode: Recode, at: Location) -> None:
        if old_id not in old or new_id not in new:
            return  # reported as an unknown question already
        source, target = _Values(old_q, old[old_id]), _Values(new_q, new[new_id])
        possible = {answer_key(a) for a in source.answers()} | {State.SKIPPED.value}
        if source.options or isinstance(source.question, YesNo):
            for key in recode:
                if key not in possible:
                    problems.append(
                        Problem(
                            ProblemCode.BAD_OPTION,
                            f"{old_id!r} has no answer {key!r} to recode",
                            location=(*at, "recode", key),
                            expected=one_of(sorted(possible)),
                        )
                    )
        if source.free:
            # numbers and texts are carried as they are, so the kinds must agree
            if type(source.question) is not type(target.question):
                problems.append(_kinds(old_id, source, new_id, target, at))
            return
        for value in source.answers():
            landed = apply_recode(recode, value)
            if landed is None or landed == State.SKIPPED:
                continue
            if isinstance(target.question, MultipleChoice) and isinstance(landed, str):
                ok = target.accepts((landed,))
            else:
                ok = target.accepts(landed)
            if not ok:
                key = answer_key(value)
                problems.append(
                    Problem(
                        ProblemCode.BAD_OPTION
                        if not isinstance(landed, State)
                        else ProblemCode.STATE_NOT_OFFERED,
                        f"the answer {key!r} of {old_id!r} would land on "
                        f"{answer_key(landed)!r}, which {new_id!r} does not accept",
                        location=(*at, "recode", key) if key in recode else at,
                        expected=target.describe(),
                        hint="recode it (to null: no answer)",
                    )
                )

    fed = sources(cw)
    for qid in old:
        if qid in new and qid not in named_old and qid not in fed:
            carry(qid, qid, {}, ())
    for i, r in enumerate(cw.renamed):
        carry(r.old, r.new, r.recode, ("renamed", i))
    for i, c in enumerate(cw.recoded):
        carry(c.question, c.question, c.recode, ("recoded", i))
    for i, s in enumerate(cw.split):
        for j, t in enumerate(s.into):
            carry(s.old, t.new, t.recode, ("split", i, "into", j))
    for i, m in enumerate(cw.merged):
        problems.extend(_merge_value_problems(m, ("merged", i), old_q, new_q, old, new))
    for i, a in enumerate(cw.added):
        if a.state is not None and a.new in new:
            target = _Values(new_q, new[a.new])
            if not target.accepts(GIVEN_STATES[a.state]):
                problems.append(
                    Problem(
                        ProblemCode.STATE_NOT_OFFERED,
                        f"{a.new!r} does not offer {a.state!r}",
                        location=("added", i, "state"),
                        expected=target.describe(),
                    )
                )
    return problems


def _merge_value_problems(
    m: Merged,
    at: Location,
    old_q: Questionnaire,
    new_q: Questionnaire,
    old: Mapping[str, Question],
    new: Mapping[str, Question],
) -> list[Problem]:
    problems: list[Problem] = []
    if m.new not in new or any(o not in old for o in m.old):
        return problems
    target = _Values(new_q, new[m.new])
    if m.rule != "table":
        for j, o in enumerate(m.old):
            source = _Values(old_q, old[o])
            if source.free and type(source.question) is not type(target.question):
                problems.append(_kinds(o, source, m.new, target, (*at, "old", j)))
    if m.rule in ("minimum", "maximum"):
        inputs = [_Values(old_q, old[o]) for o in m.old]
        if any(v.options for v in inputs) and not m.order:
            problems.append(
                Problem(
                    ProblemCode.MISSING_KEY,
                    f"the rule {m.rule!r} over option values needs an order",
                    location=(*at, "order"),
                    expected="the values, lowest first",
                )
            )
        landed = [apply_recode(m.recode, v) for v in m.order]
    elif m.rule == "table":
        landed = [apply_recode(m.recode, r.new) if r.new is not None else None for r in m.table]
    else:
        landed = []
        for o in m.old:
            for v in _Values(old_q, old[o]).answers():
                each = apply_recode(m.each.get(o, {}), v)
                landed.append(None if each is None else apply_recode(m.recode, each))
    for value in landed:
        if value is None or value == State.SKIPPED:
            continue
        if isinstance(target.question, MultipleChoice) and isinstance(value, str):
            value = (value,)
        if not target.accepts(value):
            problems.append(
                Problem(
                    ProblemCode.BAD_OPTION,
                    f"the merge would give {m.new!r} the answer {answer_key(value)!r}, "
                    "which it does not accept",
                    location=at,
                    expected=target.describe(),
                )
            )
    return problems
