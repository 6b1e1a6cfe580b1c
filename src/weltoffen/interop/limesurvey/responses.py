"""LimeSurvey's CSV response export (answer codes, question code headings) as responses.

One row is one response; ``id`` is the respondent. A question's column is its question code
(``Q1``); an array row or a multiple choice option is ``Q1[SQ001]`` (a tick is ``Y``, no tick
empty). LimeSurvey's own columns (``submitdate``, ``lastpage``, timings, ``[comment]`` and
``[other]`` texts, ...) are known and skipped; any other column that is no question or metadata
field of the questionnaire is refused by name, so no answer is lost unseen. An empty cell is no
answer (skipped, or not relevant: the export does not tell them apart).
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections.abc import Mapping, Sequence

from weltoffen.exceptions import Problem, ProblemCode, ResponseError
from weltoffen.interop.limesurvey.naming import inverse, titles
from weltoffen.interop.limesurvey.reader import NO_ANSWER
from weltoffen.interop.limesurvey.writer import DONT_KNOW, NOT_APPLICABLE, answer_codes, options_of
from weltoffen.interop.registry import Source
from weltoffen.model.answers import AnswerValue, MetaValue, Response, State
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import (
    MultipleChoice,
    Numeric,
    Option,
    Question,
    TextQuestion,
    YesNo,
)
from weltoffen.scoring.answers import option_key, yes_no
from weltoffen.serialization.api import write_text
from weltoffen.serialization.text import read_text

__all__ = ["BOOKKEEPING", "read_responses", "write_responses"]

#: Columns LimeSurvey adds to an export; they hold no answers.
BOOKKEEPING = re.compile(
    r"id|submitdate|lastpage|startlanguage|seed|token|startdate|datestamp|ipaddr|refurl"
    r"|interviewtime|.*Time|.+\[(comment|other|filecount|.*comment)\]",
    re.IGNORECASE,
)
_TICKED = {"y", "yes", "1"}
Scales = Mapping[str, Sequence[Option]]
_UNTICKED = {"", "n", "no", "0"}


def _columns(questionnaire: Questionnaire) -> dict[str, tuple[str, str | None]]:
    """Column -> (question id or metadata key, option value for a multiple choice column)."""
    names = titles(questionnaire)
    out: dict[str, tuple[str, str | None]] = {}
    for field in questionnaire.metadata:
        out[names[field.key]] = (field.key, None)
        out.setdefault(field.key, (field.key, None))
    for _, question in questionnaire.iter_questions():
        title = names[question.id]
        if isinstance(question, MultipleChoice):
            for value, code in answer_codes(question, question.options).items():
                out[f"{title}[{code}]"] = (question.id, value)
                out.setdefault(f"{question.id}[{code}]", (question.id, value))
            continue
        out[title] = (question.id, None)
        out.setdefault(question.id, (question.id, None))
        base, _, sub = question.id.partition("_")
        if sub and re.fullmatch(r"[A-Za-z0-9]+", base + sub):
            out.setdefault(f"{base}[{sub}]", (question.id, None))  # an array row as exported
    return out


def read_responses(source: Source, questionnaire: Questionnaire) -> list[Response]:
    """The responses in a LimeSurvey CSV export (answer codes, question code headings).

    Raises:
        ResponseError: The file is unreadable, has columns that are no question, or holds
            answers that are no answer of their question: every problem, with line and column.
    """
    path = os.fspath(source)
    text = read_text(path, ResponseError)
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ResponseError(
            [Problem(ProblemCode.TOO_FEW, "the export has no header row", file=path, line=1)]
        )
    header = [cell.strip() for cell in rows[0]]
    columns = _columns(questionnaire)
    questions = {q.id: q for _, q in questionnaire.iter_questions()}
    scales: Scales = {s.id: s.options for s in questionnaire.scales}
    problems: list[Problem] = []
    for k, name in enumerate(header, start=1):
        if name not in columns and not BOOKKEEPING.fullmatch(name):
            problems.append(
                Problem(
                    ProblemCode.UNKNOWN_KEY,
                    f"column {name!r} is no question or metadata field of {questionnaire.id!r}",
                    location=(name,),
                    file=path,
                    line=1,
                    column=k,
                )
            )
    responses: list[Response] = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        answers: dict[str, AnswerValue] = {}
        ticks: dict[str, list[str]] = {}
        metadata: dict[str, MetaValue] = {}
        respondent = str(line - 1)
        for k, (name, cell) in enumerate(zip(header, row, strict=False), start=1):
            value = cell.strip()
            if name.lower() == "id" and value:
                respondent = value
            target = columns.get(name)
            if target is None:
                continue
            qid, option = target
            question = questions.get(qid)
            if question is None:
                if value:
                    metadata[qid] = value
                continue
            place = {"location": (name,), "file": path, "line": line, "column": k}
            if option is not None:
                if value.lower() in _TICKED:
                    ticks.setdefault(qid, []).append(option)
                elif value.lower() not in _UNTICKED:
                    problems.append(
                        Problem(
                            ProblemCode.BAD_VALUE,
                            f"{value!r} is no tick (Y or empty)",
                            **place,  # type: ignore[arg-type]
                        )
                    )
                continue
            if not value:
                continue
            got = _answer(question, value, scales)
            if isinstance(got, str) and got.startswith("\0"):
                problems.append(
                    Problem(ProblemCode.BAD_VALUE, got[1:], **place)  # type: ignore[arg-type]
                )
            elif got is not None:
                answers[qid] = got
        for qid, chosen in ticks.items():
            question = questions[qid]
            order = [o.value for o in getattr(question, "options", ())]
            answers[qid] = tuple(sorted(chosen, key=order.index))
        responses.append(Response(respondent=respondent, answers=answers, metadata=metadata))
    if problems:
        raise ResponseError(problems)
    return responses


def _answer(question: Question, value: str, scales: Scales) -> AnswerValue | None:
    """The answer *value* (a cell) stands for; a text starting with NUL says why it is none."""
    upper = value.upper()
    if upper == DONT_KNOW and question.dont_know:
        return State.DONT_KNOW
    if upper == NOT_APPLICABLE and question.not_applicable:
        return State.NOT_APPLICABLE
    if isinstance(question, TextQuestion):
        return value
    if isinstance(question, YesNo):
        if upper in ("Y", "N"):
            return upper == "Y"
        return f"\0{value!r} is no answer of yes/no question {question.id!r} (Y or N)"
    if isinstance(question, Numeric):
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            return f"\0{value!r} is not a number"
        return int(number) if number.is_integer() and question.integer else number
    if value == "-oth-":
        return None  # an 'other' text: no option, and LimeSurvey's sums add 0 for it
    options = options_of(question, scales)
    codes = inverse(answer_codes(question, options))
    chosen = codes.get(value)
    if chosen is None:
        known = ", ".join(sorted(codes))
        return f"\0{value!r} is no answer code of {question.id!r} (known: {known})"
    return chosen


def write_responses(
    responses: Sequence[Response], questionnaire: Questionnaire, target: Source
) -> None:
    """Write *responses* as a LimeSurvey CSV export (answer codes, question code headings)."""
    names = titles(questionnaire)
    header = ["id", "submitdate", "lastpage", "startlanguage", "seed"]
    fields = [f.key for f in questionnaire.metadata]
    header += [names[key] for key in fields]
    questions = [q for _, q in questionnaire.iter_questions()]
    scales: Scales = {s.id: s.options for s in questionnaire.scales}
    for question in questions:
        if isinstance(question, MultipleChoice):
            codes = answer_codes(question, question.options)
            header += [f"{names[question.id]}[{codes[o.value]}]" for o in question.options]
        else:
            header.append(names[question.id])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    for k, response in enumerate(responses, start=1):
        row = [response.respondent, "", "", questionnaire.language, str(k)]
        row += [_meta(response.metadata.get(key)) for key in fields]
        for question in questions:
            row += _cells(question, response.answers.get(question.id), scales)
        writer.writerow(row)
    write_text(target, out.getvalue())


def _meta(value: MetaValue) -> str:
    return "" if value is None else str(value)


def _cells(question: Question, answer: AnswerValue | None, scales: Scales) -> list[str]:
    state = {State.DONT_KNOW: DONT_KNOW, State.NOT_APPLICABLE: NOT_APPLICABLE}
    if isinstance(question, MultipleChoice):
        if isinstance(answer, State) or answer is None:
            return ["" for _ in question.options]  # LimeSurvey has no state for a tick list
        chosen = set(answer) if isinstance(answer, tuple) else {str(answer)}
        return ["Y" if o.value in chosen else "" for o in question.options]
    if answer is None or answer is State.SKIPPED:
        return [""]
    if isinstance(answer, State):
        return [state.get(answer, "")]
    if isinstance(question, YesNo):
        return ["Y" if yes_no(answer) else "N"]
    if isinstance(question, Numeric | TextQuestion):
        return [str(answer).replace("\0", "")]  # a text file holds no NUL
    codes = answer_codes(question, options_of(question, scales))
    key = option_key(answer)
    if key is None or key == NO_ANSWER:
        return [""]
    return [codes.get(key, key)]
