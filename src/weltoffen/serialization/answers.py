"""Answers and metadata in plain data: values, lists for multiple choice, named non-answers.

An answer is a single value, a list (the options chosen in a multiple-choice question), or one of
the states ``dont_know``, ``not_applicable`` and ``skipped`` written as words (``null`` is
skipped); metadata values are single values or dates (kept as ISO text). What an answer *means*
for a question is the scoring's business; here it is only read and written, and every broken
answer of a response is reported, each under its question id. :func:`register_answers` teaches a
converter both directions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Optional

import cattrs

from weltoffen.exceptions import ProblemCode
from weltoffen.model.answers import GIVEN_STATES, AnswerValue, MetaValue, State
from weltoffen.serialization.values import Invalid, read_mapping, read_str, type_name

__all__ = ["register_answers"]


def register_answers(conv: cattrs.Converter) -> None:
    """Answers: plain values, lists for multiple choice, and the named non-answer states."""

    def answer(value: Any) -> AnswerValue:
        if value is None:
            return State.SKIPPED
        if isinstance(value, str) and value in GIVEN_STATES:
            return GIVEN_STATES[value]
        if isinstance(value, bool | int | float | str):
            return value
        if isinstance(value, list | tuple):
            return tuple(read_str(v) for v in value)
        if isinstance(value, State):
            return value
        raise Invalid(
            ProblemCode.WRONG_TYPE,
            "not an answer",
            "a value, a list of values, or dont_know / not_applicable / skipped",
            type_name(value),
        )

    def answers(value: Any, _: Any) -> dict[str, AnswerValue]:
        out: dict[str, AnswerValue] = {}
        problems: list[Exception] = []
        for key, item in read_mapping(value).items():
            try:
                out[read_str(key)] = answer(item)
            except Invalid as exc:
                exc.where.insert(0, str(key))
                problems.append(exc)
        if problems:
            raise cattrs.IterableValidationError("invalid answers", problems, dict)
        return out

    def meta_value(value: Any) -> MetaValue:
        if value is None or isinstance(value, bool | int | float | str):
            return value
        if isinstance(value, dt.date | dt.datetime):
            return value.isoformat()
        raise Invalid(
            ProblemCode.WRONG_TYPE,
            "metadata values must be single values",
            "text, a number, true/false or a date",
            type_name(value),
        )

    def metadata(value: Any, _: Any) -> dict[str, MetaValue]:
        return {read_str(k): meta_value(v) for k, v in read_mapping(value).items()}

    def unstructure_answer(value: Any) -> Any:
        if isinstance(value, State):
            return value.value
        if isinstance(value, tuple):
            return list(value)
        return value

    conv.register_structure_hook_func(lambda t: t == Mapping[str, AnswerValue], answers)
    conv.register_structure_hook_func(lambda t: t == Mapping[str, MetaValue], metadata)
    conv.register_structure_hook_func(
        lambda t: t == Optional[AnswerValue],  # noqa: UP045
        lambda v, _: None if v is None else answer(v),
    )
    conv.register_unstructure_hook_func(
        lambda t: t in (Mapping[str, AnswerValue], Optional[AnswerValue]),  # noqa: UP045
        lambda v: (
            {k: unstructure_answer(a) for k, a in v.items()}
            if isinstance(v, Mapping)
            else unstructure_answer(v)
        ),
    )
    conv.register_unstructure_hook(State, lambda s: s.value)
