"""Survey results: the JSON SurveyJS gives as ``survey.data`` on completion, one object per
respondent (a file holds one object, or a list of them).

Keys are question names; a matrix answer (``{"m": {"row": "column"}}``) answers the questions
``m.row`` the importer made of its rows. SurveyJS's special values become answer states:
``dontknow`` "don't know", ``notapplicable`` (weltoffen's own choice) and ``none`` not
applicable, ``refused`` skipped; a checkbox answer ``["none"]`` chose nothing. These are values
of choice items, so a text question's answer is always its text (``"none"`` included): SurveyJS
has no way to say "don't know" to a text question, and weltoffen keeps such states under its own
key (``weltoffen.states``). Keys that name no
question (calculated values such as ``weltoffen_points``, comments) are passed over, but an object
none of whose keys is a question is refused as the wrong instrument. weltoffen keeps the
respondent and metadata under the key ``weltoffen``.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping, Sequence
from typing import Any

from weltoffen.exceptions import Location, Problem, ProblemCode, ResponseError
from weltoffen.interop.options import option_named
from weltoffen.interop.sources import read_json, refuse
from weltoffen.interop.surveyjs.common import DONT_KNOW, NONE, NOT_APPLICABLE, PROPERTY, REFUSED
from weltoffen.model.answers import AnswerValue, MetaValue, Response, State
from weltoffen.model.queries import options_of
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import (
    Choice,
    MultipleChoice,
    Numeric,
    Question,
    ScaleQuestion,
    TextQuestion,
    YesNo,
)
from weltoffen.scoring.answers import code_key, yes_no
from weltoffen.scoring.plan import missing_codes_of
from weltoffen.serialization.api import write_text

__all__ = ["read_responses", "result_object", "results_of", "write_responses"]

_STATES = {DONT_KNOW: State.DONT_KNOW, NOT_APPLICABLE: State.NOT_APPLICABLE}
_VALUES = {State.DONT_KNOW: DONT_KNOW, State.NOT_APPLICABLE: NOT_APPLICABLE}


def read_responses(source: str | os.PathLike[str], questionnaire: Questionnaire) -> list[Response]:
    """The survey results in the JSON file *source* (one object, or a list of them).

    Raises:
        ResponseError: With every problem found, located by JSON path: answers of the wrong
            type or not among a question's options, states a question does not offer.
    """
    file = os.fspath(source)
    return results_of(read_json(source, ResponseError), questionnaire, file)


def results_of(data: Any, questionnaire: Questionnaire, file: str | None = None) -> list[Response]:
    """Like :func:`read_responses`, for results already parsed from JSON."""
    if isinstance(data, Mapping):
        objects: list[tuple[Location, Any]] = [((), data)]
    elif isinstance(data, list):
        objects = [((i,), item) for i, item in enumerate(data)]
    else:
        raise refuse(ResponseError, file, "survey results are a JSON object or a list of them")
    reader = _Reader(questionnaire, file)
    out = [reader.response(where, item, n) for n, (where, item) in enumerate(objects, start=1)]
    if reader.problems:
        raise ResponseError(reader.problems)
    return [r for r in out if r is not None]


class _Reader:
    def __init__(self, questionnaire: Questionnaire, file: str | None) -> None:
        self.questions = {q.id: q for _, q in questionnaire.iter_questions()}
        self.scales = {scale.id: scale.options for scale in questionnaire.scales}
        self.codes = missing_codes_of(questionnaire)
        self.instrument = questionnaire.id
        self.file = file
        self.problems: list[Problem] = []
        self.seen: set[str] = set()

    def problem(self, code: ProblemCode, message: str, where: Location, **more: Any) -> None:
        self.problems.append(Problem(code, message, location=where, file=self.file, **more))

    def response(self, where: Location, item: Any, number: int) -> Response | None:
        if not isinstance(item, Mapping):
            self.problem(ProblemCode.WRONG_TYPE, "a survey result must be an object", where)
            return None
        flat: list[tuple[str, Any, Location]] = []
        for key, value in item.items():
            if key == PROPERTY:
                continue
            if isinstance(value, Mapping) and key not in self.questions:
                flat += [(f"{key}.{row}", v, (*where, key, row)) for row, v in value.items()]
            else:
                flat.append((str(key), value, (*where, key)))
        answers: dict[str, AnswerValue] = {}
        for qid, value, at in flat:
            question = self.questions.get(qid)
            if question is None or value is None:
                continue
            answer = self.answer(question, value, at)
            if answer is not None:
                answers[qid] = answer
        if flat and not any(qid in self.questions for qid, _, _ in flat):
            self.problem(
                ProblemCode.WRONG_INSTRUMENT,
                f"no key of this result is a question of {self.instrument!r}",
                where,
                got=", ".join(qid for qid, _, _ in flat[:5]),
            )
        own = item.get(PROPERTY)
        own = own if isinstance(own, Mapping) else {}
        answers.update(self.own_states(own.get("states"), (*where, PROPERTY, "states")))
        respondent = own.get("respondent")
        if not isinstance(respondent, str) or not respondent.strip():
            respondent = f"result-{number}"
        if respondent in self.seen:
            self.problem(
                ProblemCode.DUPLICATE_RESPONDENT, f"respondent {respondent!r} appears twice", where
            )
        self.seen.add(respondent)
        metadata = own.get("metadata")
        meta: dict[str, MetaValue] = dict(metadata) if isinstance(metadata, Mapping) else {}
        return Response(respondent=respondent, answers=answers, metadata=meta)

    def own_states(self, states: Any, where: Location) -> dict[str, State]:
        """The states weltoffen wrote for text questions under its own key."""
        if states is None:
            return {}
        if not isinstance(states, Mapping):
            self.problem(ProblemCode.WRONG_TYPE, "states must be an object", where)
            return {}
        out: dict[str, State] = {}
        names = {s.value: s for s in _VALUES}
        for qid, name in states.items():
            question = self.questions.get(qid)
            if not isinstance(question, TextQuestion):
                self.problem(
                    ProblemCode.UNKNOWN_QUESTION,
                    f"{qid!r} is no text question of {self.instrument!r}",
                    (*where, qid),
                )
            elif name not in names:
                self.problem(
                    ProblemCode.BAD_ANSWER,
                    f"the state of {qid!r} is unknown",
                    (*where, qid),
                    expected=", ".join(sorted(names)),
                    got=repr(name),
                )
            else:
                out[qid] = names[name]
        return out

    def answer(self, question: Question, value: Any, where: Location) -> AnswerValue | None:
        qid = question.id
        reported = len(self.problems)
        state = self.state(question, value, where)
        if state is not None or len(self.problems) > reported:
            return state
        codes = self.codes.get(qid, {})
        key = code_key(value)
        if key is not None and key in codes:
            return codes[key]
        if isinstance(question, MultipleChoice):
            if not isinstance(value, list):
                return self.wrong(qid, value, where, "a list of choice values")
            values = [o.value for o in question.options]
            chosen = []
            for i, v in enumerate(value):
                if v == NONE and len(value) == 1:
                    return ()
                option = option_named(v, values)
                if option is None:
                    self.bad_option(qid, v, (*where, i), values)
                    return None
                chosen.append(option)
            return tuple(chosen)
        if isinstance(question, ScaleQuestion | Choice):
            values = [o.value for o in options_of(question, self.scales)]
            option = option_named(value, values)
            if option is None:
                self.bad_option(qid, value, where, values)
            return option
        if isinstance(question, YesNo):
            answer = yes_no(value) if isinstance(value, bool | str) else None
            if answer is None:
                return self.wrong(qid, value, where, "true or false")
            return answer
        if isinstance(question, Numeric):
            if isinstance(value, str):
                try:
                    value = float(value) if "." in value or "e" in value.lower() else int(value)
                except ValueError:
                    return self.wrong(qid, value, where, "a number")
            if isinstance(value, bool) or not isinstance(value, int | float):
                return self.wrong(qid, value, where, "a number")
            if not math.isfinite(value):
                return self.wrong(qid, value, where, "a finite number")
            return value
        if isinstance(value, str):
            return value
        return self.wrong(qid, value, where, "text")

    def state(self, question: Question, value: Any, where: Location) -> State | None:
        single = value[0] if isinstance(value, list) and len(value) == 1 else value
        if not isinstance(single, str) or isinstance(question, TextQuestion):
            return None
        if isinstance(question, ScaleQuestion | Choice) and code_key(single) in {
            code_key(o.value) for o in options_of(question, self.scales)
        }:
            return None  # an option that happens to be named like a special item is the option
        if single == REFUSED:
            return State.SKIPPED
        if single == NONE and not isinstance(question, MultipleChoice):
            single = NOT_APPLICABLE
        state = _STATES.get(single)
        if state is None:
            return None
        offered = question.dont_know if state is State.DONT_KNOW else question.not_applicable
        if not offered and code_key(single) not in self.codes.get(question.id, {}):
            self.problem(
                ProblemCode.STATE_NOT_OFFERED,
                f"{question.id!r} does not offer {state.value.replace('_', ' ')}",
                where,
                got=repr(value),
            )
            return None
        return state

    def wrong(self, qid: str, value: Any, where: Location, expected: str) -> AnswerValue | None:
        """Record an answer of the wrong type; there is no answer (``None``)."""
        self.problem(
            ProblemCode.BAD_ANSWER,
            f"the answer to {qid!r} has the wrong type",
            where,
            expected=expected,
            got=repr(value),
        )
        return None

    def bad_option(self, qid: str, value: Any, where: Location, allowed: Any) -> None:
        self.problem(
            ProblemCode.BAD_OPTION,
            f"{value!r} is none of the choices of {qid!r}",
            where,
            expected=", ".join(sorted(str(a) for a in allowed)[:10]),
        )


def write_responses(
    responses: Sequence[Response], questionnaire: Questionnaire, target: str | os.PathLike[str]
) -> None:
    """Write *responses* as a list of survey results (JSON) to *target*, whole or not at all."""
    data = [result_object(r, questionnaire) for r in responses]
    write_text(target, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def result_object(response: Response, questionnaire: Questionnaire) -> dict[str, Any]:
    """*response* as SurveyJS would store it (skipped questions left out), with weltoffen's
    respondent and metadata under ``weltoffen``."""
    questions = {q.id: q for _, q in questionnaire.iter_questions()}
    out: dict[str, Any] = {}
    states: dict[str, str] = {}
    for qid, answer in response.answers.items():
        question = questions.get(qid)
        if isinstance(answer, State):
            if answer not in _VALUES:
                continue
            if isinstance(question, TextQuestion):
                states[qid] = answer.value  # a text answer "dontknow" would be the text
                continue
            value: Any = _VALUES[answer]
            out[qid] = [value] if isinstance(question, MultipleChoice) else value
        elif isinstance(answer, tuple):
            # SurveyJS stores no empty selection: choosing nothing is its "none" item
            out[qid] = list(answer) if answer else [NONE]
        elif isinstance(question, YesNo) and yes_no(answer) is not None:
            out[qid] = yes_no(answer)
        else:
            out[qid] = answer
    out[PROPERTY] = {"respondent": response.respondent, "metadata": dict(response.metadata)}
    if states:
        out[PROPERTY]["states"] = states
    return out
