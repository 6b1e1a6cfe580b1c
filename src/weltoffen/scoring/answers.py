"""What an answer means: the points a value earns for its question, or why it does not fit.

Every path that reads answers asks here: scoring one response, scoring a table, encoding
responses as codes, the report that puts answers into words and the CSV reader that must not
mistake a state code for an answer. So an answer means the same wherever it goes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING

from weltoffen.model.answers import AnswerValue, State
from weltoffen.model.questions import MultipleChoice, Numeric, TextQuestion, YesNo

if TYPE_CHECKING:  # the plan checks questionnaires with this module: no import at run time
    from weltoffen.scoring.plan import QuestionPlan

__all__ = [
    "NUMBER_TEXT",
    "YES_NO",
    "BadAnswer",
    "code_key",
    "coded_state",
    "measure",
    "option_key",
    "share",
    "state_problem",
    "yes_no",
]

#: The words (trimmed, any case) a yes/no question takes as text, and what each means. Besides
#: these, ``True``/``False`` and the numbers 1 and 0 (also as ``1.0`` and ``0.0``) answer it.
YES_NO: Mapping[str, bool] = MappingProxyType(
    {
        "yes": True,
        "true": True,
        "ja": True,
        "1": True,
        "no": False,
        "false": False,
        "nein": False,
        "0": False,
    }
)


class BadAnswer(Exception):
    """A value that does not fit its question (each path turns it into its own Problem)."""

    def __init__(self, message: str, expected: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.expected = expected


def share(qp: QuestionPlan, points: float) -> float:
    """*points* as a share 0..1 of what the question can earn.

    0 for a question whose range is empty (one that is not scored): its share is never read,
    and the batch paths must not divide by zero where :func:`weltoffen.score` divides by nothing.
    """
    return (points - qp.lo) / (qp.hi - qp.lo) if qp.hi > qp.lo else 0.0


def yes_no(value: object) -> bool | None:
    """*value* read as a yes/no answer, or ``None`` when it is none."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return YES_NO.get(value.strip().lower())
    if isinstance(value, int | float) and value in (0, 1):  # 1.0 and 0.0 from numeric tables
        return bool(value)
    return None


def state_problem(qp: QuestionPlan, state: State) -> str | None:
    """Why *state* cannot be given as the answer to *qp*, or ``None`` when it can."""
    question = qp.question
    if state is State.DONT_KNOW and not question.dont_know:
        return f'question {question.id!r} does not offer "don\'t know"'
    if state is State.NOT_APPLICABLE and not question.not_applicable:
        return f'question {question.id!r} does not offer "not applicable"'
    if state in (State.ANSWERED, State.HIDDEN):
        return f"{state.value!r} is found by scoring, not given as an answer"
    return None


def measure(qp: QuestionPlan, value: AnswerValue) -> float | None:
    """Points for *value* (after reverse keying), or ``None`` for free text.

    Raises:
        BadAnswer: *value* does not fit the question.
    """
    question = qp.question
    # the kinds whose answers score() always measures come first (the others it mostly looks up)
    if isinstance(question, MultipleChoice):
        return _multiple(qp, question, value)
    if isinstance(question, Numeric):
        return _numeric(question, value)
    if isinstance(question, TextQuestion):
        if not isinstance(value, str):
            raise BadAnswer("free-text answer must be text", "a string")
        return None
    if isinstance(question, YesNo):
        answer = yes_no(value)
        if answer is None:
            raise BadAnswer("not a yes/no answer", "true or false")
        return qp.points["yes" if answer else "no"]
    key = option_key(value)
    if key is None or key not in qp.points:
        raise BadAnswer("not an option of this question", _options(qp))
    return qp.points[key]


#: Text that spells a number as JSON and JavaScript do (ASCII digits only: Python's ``\d`` and
#: ``float()`` also take "1_0" and other scripts' digits, which are text to every format).
NUMBER_TEXT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def code_key(value: object) -> str | None:
    """*value* as missing-value codes compare it: its canonical text.

    A number and text that spells it compare alike, so 999, 999.0 and ``"999"`` are all
    ``"999"`` (a table column may hold the code in any of these forms); other text compares as
    it is, trimmed. ``True``/``False``, lists and states are never codes (``None``).
    """
    if isinstance(value, str):
        text = value.strip()
        if NUMBER_TEXT.fullmatch(text):
            number = Decimal(text)
            # whole numbers exactly (up to a size no code reaches), others as their float
            if number.adjusted() < 30 and number == number.to_integral_value():
                return str(int(number))
            return _float_key(float(number)) or text
        return text
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_key(value)
    return None


def coded_state(codes: Mapping[str, State], value: object) -> State | None:
    """The state *value* stands for among the missing-value *codes* (canonical text -> state)."""
    key = code_key(value)
    return None if key is None else codes.get(key)


def _float_key(value: float) -> str | None:
    if not math.isfinite(value):
        return None
    return str(int(value)) if value.is_integer() else repr(value)


def option_key(value: AnswerValue) -> str | None:
    """The option value *value* names: text as it is, a whole number as its digits."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return None


def _options(qp: QuestionPlan) -> str:
    shown = list(qp.points)
    more = f", ... ({len(shown)} in all)" if len(shown) > 12 else ""
    return "one of " + ", ".join(repr(v) for v in shown[:12]) + more


def _numeric(question: Numeric, value: AnswerValue) -> float:
    number: float
    if type(value) is float or type(value) is int:  # the plain types first: no more checks
        number = value
    elif isinstance(value, bool) or not isinstance(value, int | float):
        raise BadAnswer("not a number", "a number")
    else:
        number = value
    try:
        finite = math.isfinite(number)
    except OverflowError:  # an int too large for a float (YAML and JSON allow any size)
        finite = False
    if not finite:
        raise BadAnswer("not a finite number", "a finite number")
    if question.integer and not float(number).is_integer():
        raise BadAnswer("not a whole number", "a whole number")
    minimum, maximum = question.minimum, question.maximum
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        lo = "" if minimum is None else f"{minimum:g}"
        hi = "" if maximum is None else f"{maximum:g}"
        raise BadAnswer("number out of range", f"{lo}..{hi}")
    if question.linear is not None:
        lin = question.linear
        share = (number - lin.low) / (lin.high - lin.low)
        return lin.points * min(1.0, max(0.0, share))
    for step in reversed(question.thresholds):  # the last step reached counts
        if number >= step.min:
            return step.points
    return min((t.points for t in question.thresholds), default=0.0)  # none: an unscored number


def _multiple(qp: QuestionPlan, question: MultipleChoice, value: AnswerValue) -> float:
    points = qp.points
    if type(value) is not tuple:  # a tuple, the usual answer, needs neither check
        if isinstance(value, str):
            value = (value,)
        elif not isinstance(value, tuple | list):
            raise BadAnswer("not a list of options", "a list of option values")
    # Looking up every chosen value proves that each is an option (only text equals an
    # option's value): for a valid answer, one step instead of two checks.
    try:
        chosen = list(map(points.__getitem__, value))
    except (KeyError, TypeError):  # not an option, or not even hashable
        if not all(isinstance(v, str) for v in value):
            raise BadAnswer("not a list of options", "a list of option values") from None
        unknown = [v for v in value if v not in points]
        raise BadAnswer(
            f"not options of this question: {', '.join(map(repr, unknown))}", _options(qp)
        ) from None
    count = len(value)
    if count > 1 and len(set(value)) != count:
        raise BadAnswer("an option is chosen twice", "each option at most once")
    if count < question.min_selected or (
        question.max_selected is not None and count > question.max_selected
    ):
        most = "" if question.max_selected is None else str(question.max_selected)
        raise BadAnswer(f"{count} options chosen", f"{question.min_selected}..{most} options")
    if question.method == "max":
        return max(chosen) if chosen else 0.0
    summed, top = math.fsum(chosen), qp.hi
    return top if top < summed else summed  # min(summed, top), without the call
