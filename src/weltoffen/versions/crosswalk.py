"""Crosswalks: how the questions and answers of one version of an instrument map onto the next.

A crosswalk names only what changed. A question it does not name keeps its id and its answers;
every other question is renamed, recoded, split, merged, dropped or added, and
:func:`~weltoffen.versions.crosswalk_check.check_crosswalk` holds the crosswalk against both
versions so that nothing is left out.

Recoding maps an old answer to a new one: an option value to another, or to ``null`` (the answer
is dropped and the question left without one, which a migration notes). Keys are the answers as
written in a response file (``"true"``/``"false"`` for yes/no questions). A state such as
``dont_know`` is carried unchanged unless the recode names it, so a recoded question keeps its
respondents' "don't know".

Crosswalks compose: :func:`~weltoffen.versions.crosswalk_chain.chain` turns 1.0 → 1.1 and
1.1 → 2.0 into 1.0 → 2.0, and migrating through the chain gives the same answers as migrating
twice. This module holds the crosswalk itself and reads and writes it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from typing import Any, Literal, TypeAlias

import attrs

from weltoffen._fields import checked
from weltoffen.exceptions import (
    DefinitionError,
    Location,
    Problem,
    ProblemCode,
    one_of,
)
from weltoffen.model.answers import GIVEN_STATES, AnswerValue, State

__all__ = [
    "Added",
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
