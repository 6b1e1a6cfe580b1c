"""LimeSurvey question types as weltoffen questions, each with its finding.

LimeSurvey's assessments add, per group, the ``assessment_value`` of the chosen answer of every
list (``L``, ``!``, ``O``) and array (``F``, ``H``) row, and for multiple choice (``M``, ``P``) the
question's ``assessment_value`` attribute once per ticked option. Those are the questions that
score here, with those points. Every other type LimeSurvey never counts: yes/no, numbers, texts,
and the arrays with fixed answers (``A``, ``B``, ``C``, ``E``) are imported unscored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from weltoffen.interop.limesurvey import survey as ls
from weltoffen.interop.limesurvey.tables import Row
from weltoffen.interop.redcap.choices import plain
from weltoffen.interop.report import ReportBuilder
from weltoffen.interop.translate import Kind, Scalar, Target
from weltoffen.model.questions import (
    Choice,
    MultipleChoice,
    Numeric,
    Option,
    Question,
    TextQuestion,
    YesNo,
)

__all__ = ["Mapped", "map_question", "texts", "where"]

#: Types whose chosen answer LimeSurvey's assessments add (the list types, arrays by row and
#: by column).
SINGLE = {"L": "list", "!": "dropdown list", "O": "list with comment", "W": "list", "Z": "list"}
ARRAYS = {"F": "array", "H": "array by column"}
#: Arrays with answers fixed by the type; LimeSurvey never counts them.
FIXED: Mapping[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "A": ("5-point array", tuple((str(i), str(i)) for i in range(1, 6))),
    "B": ("10-point array", tuple((str(i), str(i)) for i in range(1, 11))),
    "C": ("yes/uncertain/no array", (("Y", "Yes"), ("U", "Uncertain"), ("N", "No"))),
    "E": ("increase/same/decrease array", (("I", "Increase"), ("S", "Same"), ("D", "Decrease"))),
}
TEXTS = {"S": "short text", "T": "long text", "U": "huge text", "D": "date"}
DROPPED = {
    "1": "dual-scale array",
    "R": "ranking",
    ":": "array of numbers",
    ";": "array of texts",
    "|": "file upload",
    "I": "language switch",
    "G": "gender",
}


@attrs.frozen(kw_only=True)
class Mapped:
    """One weltoffen question from a LimeSurvey question (or one row of an array)."""

    question: Question
    kind: Kind
    codes: Mapping[str, Scalar] = attrs.field(factory=dict)

    def target(self) -> Target:
        return Target(question=self.question.id, kind=self.kind, codes=self.codes)


def texts(values: Mapping[str, str]) -> dict[str, str]:
    """Texts per language without HTML."""
    return {lang: plain(text) for lang, text in values.items() if plain(text)}


def where(row: Row, source_id: str | None = None) -> dict[str, object]:
    """The place of a finding about *row*."""
    return {"location": row.location, "line": row.line, "source_id": source_id}


def map_question(
    q: ls.Question,
    subs: Sequence[ls.Question],
    answers: Sequence[ls.Answer],
    attributes: Mapping[str, str],
    notes: ReportBuilder,
) -> list[Mapped]:
    """The weltoffen questions of LimeSurvey question *q* (none when it is not imported)."""
    at = where(q.row, q.title)
    text, help_ = texts(q.text), texts(q.help)
    name = q.type
    if q.type in SINGLE or q.type in ARRAYS:
        kind = SINGLE.get(q.type) or ARRAYS[q.type]
        options = _options([a for a in answers if a.scale_id == 0])
        if len(options) < 2:
            notes.dropped(
                "question", f"{kind} ({name}) with fewer than two answers; not imported", **at
            )
            return []
        _extras(q, notes, at)
        if q.type in SINGLE:
            question = _choice(q.title, text, help_, options, notes, at, kind, name)
            return [Mapped(question=question, kind="choice", codes=_codes(options))]
        rows = [s for s in subs if s.scale_id == 0]
        out = []
        for sub in rows:
            row_text = {
                lang: f"{t}: {texts(sub.text).get(lang, sub.title)}" for lang, t in text.items()
            }
            question = Choice(
                id=f"{q.title}_{sub.title}",
                text=row_text,
                help=help_,
                options=options,
                scored=_discriminates(options),
            )
            out.append(Mapped(question=question, kind="choice", codes=_codes(options)))
        _points_finding(options, notes, at, f"{kind} ({name}) of {len(rows)} rows, each a choice")
        return out
    if q.type in FIXED:
        kind, fixed = FIXED[q.type]
        options = tuple(
            Option(value=c, label=dict.fromkeys(text or {"en": ""}, label)) for c, label in fixed
        )
        out = [
            Mapped(
                question=Choice(
                    id=f"{q.title}_{sub.title}",
                    text={
                        lang: f"{t}: {texts(sub.text).get(lang, sub.title)}"
                        for lang, t in text.items()
                    },
                    help=help_,
                    options=options,
                    scored=False,
                ),
                kind="choice",
                codes={c: c for c, _ in fixed},
            )
            for sub in subs
            if sub.scale_id == 0
        ]
        notes.exact(
            "question",
            f"{kind} ({name}): {len(out)} unscored choices (LimeSurvey's assessments never "
            "count this type)",
            **at,
        )
        return out
    if q.type == "5":
        options = tuple(Option(value=str(i), label={"en": str(i)}) for i in range(1, 6))
        notes.exact(
            "question", "5-point choice (5): unscored, as in LimeSurvey's assessments", **at
        )
        return [
            Mapped(
                question=Choice(id=q.title, text=text, help=help_, options=options, scored=False),
                kind="choice",
                codes={o.value: o.value for o in options},
            )
        ]
    if q.type in ("M", "P"):
        return [_multiple(q, subs, attributes, text, help_, notes, at)]
    if q.type == "Y":
        notes.exact(
            "question",
            "yes/no (Y): answers Y and N; unscored, as LimeSurvey's assessments do not count it",
            **at,
        )
        return [
            Mapped(
                question=YesNo(id=q.title, text=text, help=help_, scored=False),
                kind="yes_no",
                codes={"Y": True, "N": False},
            )
        ]
    if q.type == "N":
        notes.exact("question", "numeric (N): an unscored number", **at)
        return [Mapped(question=_numeric(q.title, text, help_, attributes), kind="numeric")]
    if q.type == "K":
        out = [
            Mapped(
                question=_numeric(
                    f"{q.title}_{sub.title}",
                    {
                        lang: f"{t}: {texts(sub.text).get(lang, sub.title)}"
                        for lang, t in text.items()
                    },
                    help_,
                    attributes,
                ),
                kind="numeric",
            )
            for sub in subs
        ]
        notes.exact("question", f"multiple numeric (K): {len(out)} unscored numbers", **at)
        return out
    if q.type in TEXTS or q.type == "Q":
        ids = [q.title] if q.type != "Q" else [f"{q.title}_{s.title}" for s in subs]
        if q.type == "D":
            notes.approximated("question", "date (D): kept as free text", **at)
        else:
            kind = TEXTS.get(q.type, "multiple short text")
            notes.exact("question", f"{kind} ({name}): free text, never scored", **at)
        return [
            Mapped(question=TextQuestion(id=qid, text=text, help=help_), kind="text") for qid in ids
        ]
    if q.type == "X":
        notes.dropped("question", "text display (X): no question, not imported", **at)
        return []
    kind = DROPPED.get(q.type, f"question type {q.type!r}")
    notes.dropped(
        "question",
        f"{kind} ({name}) has no weltoffen equivalent; not imported",
        hint="model it by hand if it matters for scoring",
        **at,
    )
    return []


def _options(answers: Sequence[ls.Answer]) -> tuple[Option, ...]:
    return tuple(
        Option(
            value=a.code,
            label=texts(a.text) or {"en": a.code},
            points=0.0 if a.points is None else a.points,
        )
        for a in sorted(answers, key=lambda a: a.order)
    )


def _codes(options: Sequence[Option]) -> dict[str, Scalar]:
    return {o.value: o.value for o in options}


def _discriminates(options: Sequence[Option]) -> bool:
    return len({o.points for o in options}) > 1


def _points_finding(
    options: Sequence[Option], notes: ReportBuilder, at: Mapping[str, object], what: str
) -> None:
    points = sorted({o.points for o in options})
    if len(points) == 1:
        notes.exact(
            "question",
            f"{what}; every answer is worth {points[0]:g} points (it only tells answered from "
            "unanswered)",
            **at,
        )
        return
    notes.exact(
        "question",
        f"{what}; {len(options)} answers with their assessment_value as points",
        **at,
    )
    if points[0] < 0:
        notes.approximated(
            "assessment_value",
            f"the lowest answer is worth {points[0]:g}: LimeSurvey adds 0 for no answer, "
            "weltoffen's 'zero' adds the lowest answer, so totals differ when it is skipped",
            **at,
        )


def _choice(
    qid: str,
    text: dict[str, str],
    help_: dict[str, str],
    options: tuple[Option, ...],
    notes: ReportBuilder,
    at: Mapping[str, object],
    kind: str,
    name: str,
) -> Choice:
    _points_finding(options, notes, at, f"{kind} ({name}): a choice")
    return Choice(id=qid, text=text, help=help_, options=options, scored=_discriminates(options))


def _extras(q: ls.Question, notes: ReportBuilder, at: Mapping[str, object]) -> None:
    if q.other:
        notes.dropped(
            "other",
            "the 'Other' answer with its own text is no option: an answer '-oth-' reads as "
            "skipped (LimeSurvey adds 0 for it too)",
            **at,
        )
    if q.type in ("O", "P"):
        notes.dropped("comment", "the comment beside the answers is not kept", **at)


def _multiple(
    q: ls.Question,
    subs: Sequence[ls.Question],
    attributes: Mapping[str, str],
    text: dict[str, str],
    help_: dict[str, str],
    notes: ReportBuilder,
    at: Mapping[str, object],
) -> Mapped:
    raw = attributes.get("assessment_value", "").strip() or "0"
    try:
        each = float(raw)
    except ValueError:
        each = 0.0
        notes.dropped("assessment_value", f"{raw!r} is not a number: every tick counts 0", **at)
    options = tuple(
        Option(value=s.title, label=texts(s.text) or {"en": s.title}, points=each)
        for s in sorted(subs, key=lambda s: s.order)
        if s.scale_id == 0
    )
    _extras(q, notes, at)
    kind = "multiple choice" if q.type == "M" else "multiple choice with comments"
    scored = bool(each) and bool(options)
    notes.exact(
        "question",
        f"{kind} ({q.type}): {len(options)} options"
        + (
            f", each tick worth {each:g} points (the question's assessment_value), added up"
            if scored
            else "; no tick carries points, so it is unscored"
        ),
        **at,
    )
    if attributes.get("exclude_all_others", "").strip():
        notes.approximated(
            "exclude_all_others",
            "an option that excludes the others is not enforced by weltoffen",
            **at,
        )
    question = MultipleChoice(
        id=q.title, text=text, help=help_, options=options, method="sum", scored=scored
    )
    return Mapped(question=question, kind="multiple", codes={o.value: o.value for o in options})


def _numeric(
    qid: str, text: dict[str, str], help_: dict[str, str], attributes: Mapping[str, str]
) -> Numeric:
    def bound(name: str) -> float | None:
        try:
            return float(attributes.get(name, "").strip())
        except ValueError:
            return None

    low, high = bound("min_num_value_n"), bound("max_num_value_n")
    if low is not None and high is not None and low > high:
        low = high = None
    return Numeric(
        id=qid,
        text=text,
        help=help_,
        minimum=low,
        maximum=high,
        integer=attributes.get("num_value_int_only", "").strip() == "1",
        scored=False,
    )
