"""Crosswalks: how the questions and answers of one version of an instrument map onto the next.

A crosswalk names only what changed. A question it does not name keeps its id and its answers;
every other question is renamed, recoded, split, merged, dropped or added, and
:func:`check_crosswalk` holds the crosswalk against both versions so that nothing is left out.

Recoding maps an old answer to a new one: an option value to another, or to ``null`` (the answer
is dropped and the question left without one, which a migration notes). Keys are the answers as
written in a response file (``"true"``/``"false"`` for yes/no questions). A state such as
``dont_know`` is carried unchanged unless the recode names it, so a recoded question keeps its
respondents' "don't know".

Crosswalks compose: :func:`chain` turns 1.0 → 1.1 and 1.1 → 2.0 into 1.0 → 2.0, and migrating
through the chain gives the same answers as migrating twice.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Literal, TypeAlias

import attrs

from weltoffen._fields import checked
from weltoffen.exceptions import (
    DefinitionError,
    Location,
    Problem,
    ProblemCode,
    WeltoffenError,
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

__all__ = [
    "Added",
    "ChainError",
    "Crosswalk",
    "Dropped",
    "MergeRow",
    "Merged",
    "Recode",
    "Recoded",
    "Renamed",
    "Split",
    "Target",
    "answer_key",
    "chain",
    "check_crosswalk",
    "dump_crosswalk",
    "identity",
    "load_crosswalk",
]

#: Old answer (as :func:`answer_key` writes it) -> new answer; ``None`` drops the answer.
Recode: TypeAlias = Mapping[str, AnswerValue | None]
#: How several old questions become one.
MergeRule = Literal["first_answered", "minimum", "maximum", "table"]
#: The state an added question starts in (``None``: no answer at all).
AddedState = Literal["dont_know", "not_applicable", "skipped"]


def answer_key(value: AnswerValue) -> str:
    """An answer as a recode's key: ``"true"``/``"false"``, a state's name, a value's text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, State):
        return value.value
    if isinstance(value, tuple):
        return ",".join(value)
    return str(value)


@attrs.frozen(kw_only=True, field_transformer=checked)
class Renamed:
    """An old question asked under a new id (its answers recoded where *recode* says).

    Attributes:
        old: The question's id in the old version.
        new: Its id in the new version.
        recode: Old answer -> new answer; answers not named are carried unchanged.
    """

    old: str
    new: str
    recode: Recode = attrs.field(factory=dict)


@attrs.frozen(kw_only=True, field_transformer=checked)
class Recoded:
    """A question that keeps its id but whose answers change (an option renamed or removed).

    Attributes:
        question: The question's id, the same in both versions.
        recode: Old answer -> new answer (``null``: no answer); answers not named are carried.
    """

    question: str
    recode: Recode


@attrs.frozen(kw_only=True, field_transformer=checked)
class Target:
    """One of the new questions a split question becomes.

    Attributes:
        new: The new question's id.
        recode: Old answer -> this question's answer; without it the answer is copied.
    """

    new: str
    recode: Recode = attrs.field(factory=dict)


@attrs.frozen(kw_only=True, field_transformer=checked)
class Split:
    """One old question asked as several new ones, each getting the old answer by its rule.

    Attributes:
        old: The old question's id.
        into: The new questions, each copying the old answer or recoding it.
    """

    old: str
    into: tuple[Target, ...]


@attrs.frozen(kw_only=True, field_transformer=checked)
class MergeRow:
    """One row of a merge table: the answers of the old questions, in order, and the new answer.

    Attributes:
        old: One answer per old question of the merge (``null`` or ``skipped``: no answer).
        new: The merged answer (``null``: none).
    """

    old: tuple[AnswerValue | None, ...]
    new: AnswerValue | None


@attrs.frozen(kw_only=True, field_transformer=checked)
class Merged:
    """Several old questions asked as one new question, their answers combined by *rule*.

    Rules: ``first_answered`` (the first old question, in the order listed, that has an
    answer), ``minimum`` and ``maximum`` (of the answered ones: numbers and yes/no compare as
    numbers, option values by their place in *order*, lowest first) and ``table`` (the row whose
    answers match exactly). When no old question has an answer, the first state given
    (``dont_know``, ``not_applicable``) is carried, else nothing.

    Attributes:
        old: The old questions' ids, in order.
        new: The new question's id.
        rule: How the answers are combined.
        order: For ``minimum`` and ``maximum`` over option values: the values, lowest first.
        table: For ``table``: the rows.
        each: Per old question, a recode applied to its answer before the rule.
        recode: A recode applied to the combined answer.
    """

    old: tuple[str, ...]
    new: str
    rule: MergeRule
    order: tuple[str, ...] = ()
    table: tuple[MergeRow, ...] = ()
    each: Mapping[str, Recode] = attrs.field(factory=dict)
    recode: Recode = attrs.field(factory=dict)


@attrs.frozen(kw_only=True, field_transformer=checked)
class Dropped:
    """An old question the new version no longer asks; its answers are not carried (but noted).

    Attributes:
        old: The old question's id.
        reason: Why it was dropped, repeated in each migration note.
    """

    old: str
    reason: str | None = None


@attrs.frozen(kw_only=True, field_transformer=checked)
class Added:
    """A new question no old question feeds.

    Attributes:
        new: The new question's id.
        state: What migrated responses hold for it: nothing (the default), or ``skipped``,
            ``dont_know`` or ``not_applicable``.
    """

    new: str
    state: AddedState | None = None


@attrs.frozen(kw_only=True, field_transformer=checked)
class Crosswalk:
    """How the answers to one version of an instrument carry over to the next.

    Questions not named keep their id and answers. Each old question is named at most once (as
    renamed, recoded, split, merged or dropped) and each new question is fed at most once.

    Attributes:
        instrument: The instrument's id, the same in both versions.
        from_version: The old version.
        to_version: The new version.
        description: What changed, in a few words.
        renamed: Questions asked under a new id.
        recoded: Questions keeping their id whose answers change.
        split: Old questions asked as several new ones.
        merged: Several old questions asked as one.
        dropped: Old questions no longer asked.
        added: New questions without an old source.
    """

    instrument: str
    from_version: str
    to_version: str
    description: str | None = None
    renamed: tuple[Renamed, ...] = ()
    recoded: tuple[Recoded, ...] = ()
    split: tuple[Split, ...] = ()
    merged: tuple[Merged, ...] = ()
    dropped: tuple[Dropped, ...] = ()
    added: tuple[Added, ...] = ()

    def old_ids(self) -> Iterator[tuple[Location, str]]:
        """Every old question the crosswalk names, with where."""
        for i, r in enumerate(self.renamed):
            yield ("renamed", i, "old"), r.old
        for i, c in enumerate(self.recoded):
            yield ("recoded", i, "question"), c.question
        for i, s in enumerate(self.split):
            yield ("split", i, "old"), s.old
        for i, m in enumerate(self.merged):
            for j, old in enumerate(m.old):
                yield ("merged", i, "old", j), old
        for i, d in enumerate(self.dropped):
            yield ("dropped", i, "old"), d.old

    def new_ids(self) -> Iterator[tuple[Location, str]]:
        """Every new question the crosswalk names, with where."""
        for i, r in enumerate(self.renamed):
            yield ("renamed", i, "new"), r.new
        for i, c in enumerate(self.recoded):
            yield ("recoded", i, "question"), c.question
        for i, s in enumerate(self.split):
            for j, t in enumerate(s.into):
                yield ("split", i, "into", j, "new"), t.new
        for i, m in enumerate(self.merged):
            yield ("merged", i, "new"), m.new
        for i, a in enumerate(self.added):
            yield ("added", i, "new"), a.new


def identity(instrument: str, version: str) -> Crosswalk:
    """The crosswalk of a version onto itself: every answer carried unchanged."""
    return Crosswalk(instrument=instrument, from_version=version, to_version=version)


# -- sources: what feeds each new question ---------------------------------------------------------


@attrs.frozen
class Carry:
    """A new question gets one old question's answer, recoded."""

    old: str
    recode: Recode


@attrs.frozen
class Fresh:
    """A new question starts with a state, or nothing."""

    state: State | None


Source: TypeAlias = Carry | Merged | Fresh


def sources(cw: Crosswalk) -> dict[str, Source]:
    """What feeds each new question the crosswalk names (the others are carried as they are)."""
    out: dict[str, Source] = {}
    for r in cw.renamed:
        out[r.new] = Carry(r.old, r.recode)
    for c in cw.recoded:
        out[c.question] = Carry(c.question, c.recode)
    for s in cw.split:
        for t in s.into:
            out[t.new] = Carry(s.old, t.recode)
    for m in cw.merged:
        out[m.new] = m
    for a in cw.added:
        out[a.new] = Fresh(None if a.state is None else GIVEN_STATES[a.state])
    return out


def consumed(cw: Crosswalk) -> set[str]:
    """The old questions the crosswalk names (none of them is carried under its own id unless a
    mapping says so)."""
    return {old for _, old in cw.old_ids()}


def apply_recode(recode: Recode, value: AnswerValue) -> AnswerValue | None:
    """*value* through *recode* (unchanged when not named)."""
    return recode.get(answer_key(value), value)


def _then(first: Recode, second: Recode) -> dict[str, AnswerValue | None]:
    """The recode doing *first*, then *second*."""
    out: dict[str, AnswerValue | None] = {}
    for key, value in first.items():
        out[key] = None if value is None else apply_recode(second, value)
    for key, value in second.items():
        out.setdefault(key, value)
    # an entry mapping a value onto itself says nothing: left out, so equal recodes compare equal
    return {k: v for k, v in out.items() if v is None or answer_key(v) != k}


# -- reading -------------------------------------------------------------------------------------


def load_crosswalk(
    source: str | os.PathLike[str] | None = None,
    *,
    text: str | None = None,
    data: Any = None,
) -> Crosswalk:
    """Read a crosswalk from a YAML or JSON file (or *text*, or plain *data*).

    Example::

        instrument: weltoffene-kommune
        from_version: "1.0"
        to_version: "1.1"
        split:
          - old: kk-09
            into: [{new: kk-09a}, {new: kk-09b}]
        dropped:
          - {old: ms-11, reason: part of the monitoring questions now}

    Raises:
        DefinitionError: Every problem found (the file's shape and the crosswalk's own rules,
            such as an old question named twice), each with file, path and line.
    """
    from weltoffen.serialization.api import load_document

    cw, name, lines = load_document("load_crosswalk", Crosswalk, source, text=text, data=data)
    problems = crosswalk_problems(cw)
    if problems:
        raise DefinitionError(problems).with_source(name, lines)
    return cw


def dump_crosswalk(
    crosswalk: Crosswalk,
    path: str | os.PathLike[str] | None = None,
    *,
    format: Literal["yaml", "json"] | None = None,
) -> str:
    """The crosswalk as YAML (default) or JSON, as :func:`load_crosswalk` reads it; also written
    to *path* when given."""
    from weltoffen.serialization.api import dump_document

    if not isinstance(crosswalk, Crosswalk):
        raise TypeError(
            f"dump_crosswalk(crosswalk): expected a Crosswalk, got {type(crosswalk).__name__}"
        )
    return dump_document(crosswalk, path, format=format)


def crosswalk_problems(cw: Crosswalk) -> list[Problem]:
    """The crosswalk's own rules, without the questionnaires: each old question named once, each
    new question fed once, merges whose rule has what it needs."""
    problems: list[Problem] = []
    for ids, side in ((cw.old_ids(), "old"), (cw.new_ids(), "new")):
        seen: dict[str, Location] = {}
        for at, qid in ids:
            if qid in seen:
                problems.append(
                    Problem(
                        ProblemCode.DUPLICATE_ID,
                        f"the {side} question {qid!r} is named twice",
                        location=at,
                        expected=f"each {side} question in one mapping only",
                        got=f"also at {_render(seen[qid])}",
                    )
                )
            seen.setdefault(qid, at)
    for i, m in enumerate(cw.merged):
        problems.extend(_merge_problems(m, ("merged", i)))
    for i, s in enumerate(cw.split):
        if not s.into:
            problems.append(
                Problem(
                    ProblemCode.TOO_FEW,
                    "a split needs at least one new question",
                    location=("split", i, "into"),
                )
            )
    return problems


def _render(at: Location) -> str:
    from weltoffen.exceptions import render_location

    return render_location(at)


def _merge_problems(m: Merged, at: Location) -> list[Problem]:
    problems = []
    if len(m.old) < 2:
        problems.append(
            Problem(
                ProblemCode.TOO_FEW,
                "a merge needs at least two old questions",
                location=(*at, "old"),
                got=str(len(m.old)),
            )
        )
    if m.rule == "table":
        if not m.table:
            problems.append(
                Problem(ProblemCode.MISSING_KEY, "the rule 'table' needs a table", location=at)
            )
        for j, row in enumerate(m.table):
            if len(row.old) != len(m.old):
                problems.append(
                    Problem(
                        ProblemCode.BAD_VALUE,
                        "a row needs one answer per old question",
                        location=(*at, "table", j, "old"),
                        expected=str(len(m.old)),
                        got=str(len(row.old)),
                    )
                )
    elif m.table:
        problems.append(
            Problem(
                ProblemCode.CONFLICTING_KEYS,
                f"a table is only read by the rule 'table', not {m.rule!r}",
                location=(*at, "table"),
            )
        )
    for key in m.each:
        if key not in m.old:
            problems.append(
                Problem(
                    ProblemCode.UNKNOWN_REFERENCE,
                    f"{key!r} is not one of the merged questions",
                    location=(*at, "each", key),
                    expected=one_of(m.old),
                )
            )
    return problems


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


# -- composing ----------------------------------------------------------------------------------


class ChainError(WeltoffenError, ValueError):
    """Crosswalks that cannot be chained: versions that do not line up, or steps the crosswalk
    format cannot say in one (a merged question merged again, ...)."""


def chain(*crosswalks: Crosswalk) -> Crosswalk:
    """One crosswalk doing *crosswalks* in turn (1.0 → 1.1, 1.1 → 2.0 gives 1.0 → 2.0).

    Migrating through the result gives the same answers as migrating through each in turn.

    Raises:
        ChainError: None given, another instrument, a version that does not continue the one
            before, or a composition the format cannot express.
    """
    if not crosswalks:
        raise ChainError("chain() needs at least one crosswalk")
    out = crosswalks[0]
    for step in crosswalks[1:]:
        out = _compose(out, step)
    return out


def _compose(a: Crosswalk, b: Crosswalk) -> Crosswalk:
    if a.instrument != b.instrument:
        raise ChainError(
            f"cannot chain crosswalks of two instruments: {a.instrument!r} and {b.instrument!r}"
        )
    if a.to_version != b.from_version:
        raise ChainError(
            f"cannot chain {a.from_version} → {a.to_version} with "
            f"{b.from_version} → {b.to_version}: the second must start at {a.to_version}"
        )
    fed_a, fed_b = sources(a), sources(b)
    gone_a = consumed(a) - set(fed_a)  # old ids that are no question of the middle version

    def middle(qid: str) -> Source:
        """What feeds the middle version's question *qid* from the first version."""
        if qid in fed_a:
            return fed_a[qid]
        if qid in gone_a:
            return Fresh(None)
        return Carry(qid, {})

    composed: dict[str, Source] = {}
    for qid, src in fed_b.items():
        composed[qid] = _through(src, middle, qid)
    used_b = consumed(b)
    for qid, src in fed_a.items():
        if qid not in used_b and qid not in fed_b:
            composed[qid] = src
    reasons = {d.old: d.reason for d in a.dropped}
    for d in b.dropped:
        src = middle(d.old)
        for old in _olds(src):
            reasons.setdefault(old, d.reason)
    return _from_sources(a, b, composed, consumed(a) | _olds_of_b(b, middle), reasons)


def _olds(src: Source) -> list[str]:
    if isinstance(src, Carry):
        return [src.old]
    if isinstance(src, Merged):
        return list(src.old)
    return []


def _olds_of_b(b: Crosswalk, middle: Callable[[str], Source]) -> set[str]:
    """The first version's questions that *b*'s names lead back to."""
    return {old for _, qid in b.old_ids() for old in _olds(middle(qid))}


def _through(src: Source, middle: Callable[[str], Source], qid: str) -> Source:
    if isinstance(src, Fresh):
        return src
    if isinstance(src, Carry):
        before = middle(src.old)
        if isinstance(before, Carry):
            return Carry(before.old, _then(before.recode, src.recode))
        if isinstance(before, Merged):
            return attrs.evolve(before, new=qid, recode=_then(before.recode, src.recode))
        if before.state is None:
            return before
        after = apply_recode(src.recode, before.state)
        if after is None or isinstance(after, State):
            return Fresh(after)
        raise ChainError(
            f"{qid!r}: an added question's state {before.state.value!r} is recoded to an "
            "answer, which an added question cannot hold"
        )
    olds: list[str] = []
    each: dict[str, Recode] = {}
    for old in src.old:
        before = middle(old)
        if not isinstance(before, Carry) or before.old in olds:
            raise ChainError(
                f"{qid!r} merges {old!r}, which the step before merged, added or shares with "
                "another merged question: the two steps cannot be written as one crosswalk"
            )
        olds.append(before.old)
        recode = _then(before.recode, src.each.get(old, {}))
        if recode:
            each[before.old] = recode
    return attrs.evolve(src, old=tuple(olds), new=qid, each=each)


def _from_sources(
    a: Crosswalk,
    b: Crosswalk,
    composed: Mapping[str, Source],
    named: set[str],
    reasons: Mapping[str, str | None],
) -> Crosswalk:
    carries: dict[str, list[tuple[str, Recode]]] = {}
    merged: list[Merged] = []
    added: list[Added] = []
    used: set[str] = set()
    for qid, src in composed.items():
        if isinstance(src, Carry):
            carries.setdefault(src.old, []).append((qid, src.recode))
        elif isinstance(src, Merged):
            merged.append(src)
            for old in src.old:
                if old in used:
                    raise ChainError(f"{old!r} would feed two merges: not one crosswalk")
                used.add(old)
        else:
            state: Any = None if src.state is None else src.state.value
            added.append(Added(new=qid, state=state))
    renamed: list[Renamed] = []
    recoded: list[Recoded] = []
    split: list[Split] = []
    for old, targets in carries.items():
        if old in used:
            raise ChainError(f"{old!r} would feed a merge and another question: not one crosswalk")
        used.add(old)
        if len(targets) > 1:
            split.append(Split(old=old, into=tuple(Target(new=n, recode=r) for n, r in targets)))
            continue
        ((new, recode),) = targets
        if new != old:
            renamed.append(Renamed(old=old, new=new, recode=recode))
        elif recode:
            recoded.append(Recoded(question=old, recode=recode))
        else:
            # carried as it is: said by not naming it
            used.discard(old)
    dropped = [
        Dropped(old=old, reason=reasons.get(old))
        for old in sorted(named - used)
        if composed.get(old) != Carry(old, {})
    ]
    return Crosswalk(
        instrument=a.instrument,
        from_version=a.from_version,
        to_version=b.to_version,
        description=_joined(a.description, b.description),
        renamed=tuple(renamed),
        recoded=tuple(recoded),
        split=tuple(split),
        merged=tuple(merged),
        dropped=tuple(dropped),
        added=tuple(added),
    )


def _joined(first: str | None, second: str | None) -> str | None:
    return " ".join(d for d in (first, second) if d) or None
