"""Carrying responses given to one version of an instrument over to the next, by a crosswalk.

Nothing is lost silently: every answer that is not carried as it was (a dropped question, an
option recoded to no answer, a merge that could not decide, a new question without an answer) is
a :class:`MigrationNote` of its respondent. Nothing is invented either: a migrated response holds
only answers that the old response held, passed through what the crosswalk states (a recode, a
merge rule, the state of an added question). Metadata and respondent ids are kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import attrs

from weltoffen._arguments import many
from weltoffen.model.answers import AnswerValue, Response, State
from weltoffen.versions.crosswalk import (
    Carry,
    Crosswalk,
    Fresh,
    Merged,
    Recode,
    answer_key,
    apply_recode,
    consumed,
    sources,
)

__all__ = ["NOTE_CODES", "Migration", "MigrationNote", "migrate"]

#: Records a note: question, code, message.
_Note = Callable[[str, str, str], None]

#: The codes of migration notes, with what each means.
NOTE_CODES: Mapping[str, str] = {
    "dropped": "the question is no longer asked; its answer is not carried",
    "recoded-away": "the crosswalk recodes the answer to no answer",
    "added": "a new question without an old source; it starts without an answer (or in a state)",
    "merged": "several answers were combined into one by the merge rule",
    "unresolved": "the merge rule gave no answer although an old question had one (or a state)",
    "replaced": "an old answer under an id that the new version gives to another question",
}


@attrs.frozen
class MigrationNote:
    """Something of one respondent that was not carried as it was, and why.

    Attributes:
        respondent: Whose response.
        question: The question concerned (the old id, or the new one for an added question).
        code: One of :data:`NOTE_CODES`.
        message: What happened, for people.
    """

    respondent: str
    question: str
    code: str
    message: str


@attrs.frozen
class Migration:
    """Responses carried over to the crosswalk's new version, and the notes of what was not.

    Attributes:
        responses: The migrated responses, in the order given.
        notes: Everything not carried as it was, per respondent in the order of the responses.
        crosswalk: The crosswalk used.
    """

    responses: tuple[Response, ...]
    notes: tuple[MigrationNote, ...]
    crosswalk: Crosswalk

    def notes_of(self, respondent: str) -> tuple[MigrationNote, ...]:
        """The notes of one respondent."""
        return tuple(n for n in self.notes if n.respondent == respondent)


def migrate(responses: Iterable[Response], crosswalk: Crosswalk) -> Migration:
    """Carry *responses* from ``crosswalk.from_version`` to ``crosswalk.to_version``.

    Questions the crosswalk does not name keep their answers; the others follow their mapping.
    A state (``dont_know``, ...) is carried unchanged unless a recode names it.

    Raises:
        TypeError: *responses* is not an iterable of responses, or *crosswalk* no crosswalk.
    """
    if not isinstance(crosswalk, Crosswalk):
        raise TypeError(f"migrate(crosswalk): expected a Crosswalk, got {type(crosswalk).__name__}")
    given = many("migrate(responses)", list(responses), Response, "for one, pass [response]")
    step = _Step(crosswalk)
    out: list[Response] = []
    notes: list[MigrationNote] = []
    for response in given:
        migrated, found = step.run(response)
        out.append(migrated)
        notes.extend(found)
    return Migration(responses=tuple(out), notes=tuple(notes), crosswalk=crosswalk)


class _Step:
    """One crosswalk, prepared for migrating many responses."""

    def __init__(self, cw: Crosswalk) -> None:
        self.cw = cw
        self.fed = sources(cw)
        self.named = consumed(cw)
        self.reasons = {d.old: d.reason for d in cw.dropped}

    def run(self, response: Response) -> tuple[Response, list[MigrationNote]]:
        who = response.respondent
        notes: list[MigrationNote] = []

        def note(question: str, code: str, message: str) -> None:
            notes.append(MigrationNote(who, question, code, message))

        old = response.answers
        new: dict[str, AnswerValue] = {}
        for qid, value in old.items():
            if qid in self.named:
                continue
            if qid in self.fed:
                if value is not State.SKIPPED:
                    note(
                        qid,
                        "replaced",
                        f"the answer {_shown(value)} is not carried: in version "
                        f"{self.cw.to_version} the id {qid!r} belongs to another question",
                    )
                continue
            new[qid] = value
        for qid, src in self.fed.items():
            fed = self._source(qid, src, old, note)
            if fed is not None:
                new[qid] = fed
        for qid, reason in self.reasons.items():
            if qid in old and old[qid] is not State.SKIPPED:
                why = f" ({reason.strip()})" if reason else ""
                note(
                    qid,
                    "dropped",
                    f"the answer {_shown(old[qid])} is not carried: version "
                    f"{self.cw.to_version} no longer asks {qid!r}{why}",
                )
        return attrs.evolve(response, answers=new), notes

    def _source(
        self,
        qid: str,
        src: Carry | Merged | Fresh,
        old: Mapping[str, AnswerValue],
        note: _Note,
    ) -> AnswerValue | None:
        if isinstance(src, Carry):
            if src.old not in old:
                return None
            return recoded(src.recode, old[src.old], src.old, note)
        if isinstance(src, Fresh):
            state = "no answer" if src.state is None else f"'{src.state.value}'"
            note(
                qid,
                "added",
                f"{qid!r} is new in version {self.cw.to_version} and starts with {state}",
            )
            return src.state
        return self._merge(src, old, note)

    def _merge(self, m: Merged, old: Mapping[str, AnswerValue], note: _Note) -> AnswerValue | None:
        values = [
            None if o not in old else recoded(m.each.get(o, {}), old[o], o, note) for o in m.old
        ]
        answered = [v for v in values if v is not None and not isinstance(v, State)]
        result: AnswerValue | None
        if m.rule == "table":
            key = tuple(_slot(v) for v in values)
            rows = [r.new for r in m.table if tuple(_slot(v) for v in r.old) == key]
            result = rows[0] if rows else None
        elif not answered:
            result = next((v for v in values if v is not None and v is not State.SKIPPED), None)
        elif m.rule == "first_answered":
            result = answered[0]
        else:
            result = _extreme(answered, m.order, m.rule == "maximum")
        shown = ", ".join(f"{o}={_shown(v)}" for o, v in zip(m.old, values, strict=True))
        held = [v for v in values if v is not None and v is not State.SKIPPED]
        if result is None and held:
            note(
                m.new,
                "unresolved",
                f"the rule {m.rule!r} gives no answer for {shown}; {m.new!r} is left unanswered",
            )
        elif len({answer_key(v) for v in answered}) > 1:
            note(m.new, "merged", f"{shown} became {_shown(result)} by the rule {m.rule!r}")
        if result is None:
            return None
        return recoded(m.recode, result, m.new, note)


def recoded(recode: Recode, value: AnswerValue, question: str, note: _Note) -> AnswerValue | None:
    """*value* through *recode*, a multiple choice option by option; what becomes no answer is
    noted under *question*."""
    if not recode:
        return value
    if isinstance(value, tuple):
        kept: list[str] = []
        for item in value:
            after = apply_recode(recode, item)
            if isinstance(after, str):
                if after not in kept:
                    kept.append(after)
            else:
                note(
                    question,
                    "recoded-away",
                    f"the option {item!r} is recoded to {_shown(after)} and left out",
                )
        # a choice of options that all went away is no answer, not a choice of none
        return tuple(kept) if kept or not value else None
    after = apply_recode(recode, value)
    if after is None:
        note(question, "recoded-away", f"the answer {_shown(value)} is recoded to no answer")
    return after


def _slot(value: AnswerValue | None) -> AnswerValue:
    return State.SKIPPED if value is None else value


def _extreme(
    answered: Sequence[AnswerValue], order: tuple[str, ...], highest: bool
) -> AnswerValue | None:
    """The lowest (or highest) answer: numbers and yes/no as numbers, options by *order*."""
    if all(isinstance(v, int | float) for v in answered):
        ranks = [float(v) for v in answered if isinstance(v, int | float)]
    elif all(isinstance(v, str) and v in order for v in answered):
        ranks = [float(order.index(v)) for v in answered if isinstance(v, str)]
    else:
        return None
    pick = max if highest else min
    best = pick(ranks)
    return answered[ranks.index(best)]


def _shown(value: AnswerValue | None) -> str:
    return "no answer" if value is None else repr(answer_key(value))
