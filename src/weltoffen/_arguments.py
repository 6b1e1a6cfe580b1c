"""Checks of public functions' arguments: a wrong type is named, with what to pass instead.

Only the first step of each public function is checked (the plan, the response, the list of
results), where a mix-up is easy to make and otherwise surfaces as an ``AttributeError`` deep
inside. Hot functions test the exact type inline and call these only when it differs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from weltoffen._rules import got

__all__ = ["expect_path", "expect_plan", "expect_questionnaire", "many", "wrong"]

T = TypeVar("T")


def wrong(where: str, expected: str, value: Any, hint: str | None = None) -> TypeError:
    """The error for *value* given as *where* (``"score(response)"``), to raise."""
    text = f"{where}: expected {expected}, got {got(value)}"
    return TypeError(f"{text}; {hint}" if hint else text)


def expect_plan(where: str, value: Any) -> None:
    """Refuse anything but a :class:`~weltoffen.scoring.plan.ScoringPlan`."""
    from weltoffen.model.questionnaire import Questionnaire
    from weltoffen.scoring.plan import ScoringPlan

    if isinstance(value, ScoringPlan):
        return
    hint = (
        "compile it first: plan = weltoffen.compile(questionnaire)"
        if isinstance(value, Questionnaire)
        else _swapped(value)
    )
    raise wrong(where, "a ScoringPlan from weltoffen.compile(questionnaire)", value, hint)


def expect_questionnaire(where: str, value: Any, *, plan_too: bool = False) -> None:
    """Refuse anything but a questionnaire (or, with *plan_too*, its plan)."""
    from weltoffen.model.questionnaire import Questionnaire
    from weltoffen.scoring.plan import ScoringPlan

    if isinstance(value, Questionnaire) or (plan_too and isinstance(value, ScoringPlan)):
        return
    hint: str | None
    if isinstance(value, ScoringPlan):
        hint = "the plan holds it as plan.questionnaire"
    elif isinstance(value, Mapping):
        hint = "build one from plain data with weltoffen.load_questionnaire(data=...)"
    elif isinstance(value, str | os.PathLike):
        hint = "load the file first: weltoffen.load_questionnaire(path)"
    else:
        hint = _swapped(value)
    expected = "a Questionnaire or its ScoringPlan" if plan_too else "a Questionnaire"
    raise wrong(where, expected, value, hint)


def expect_path(where: str, value: Any, *, data: bool = True) -> None:
    """Refuse a file argument that is not a path (a document, or plain *data*, has a keyword)."""
    if isinstance(value, str | os.PathLike):
        return
    hint: str | None = None
    if isinstance(value, Mapping | list):
        keyword = "pass plain data as data=..., or " if data else "pass "
        hint = keyword + "a document as text=..."
    raise wrong(where, "a path (str or os.PathLike)", value, hint)


def many(where: str, values: Any, item: type[T], hint: str) -> list[T]:
    """*values* as a list of *item*; a single item, a mapping or a string is refused, with *hint*.

    Args:
        where: The function and parameter, as messages name them (``"to_codes(responses)"``).
        values: What the caller passed.
        item: The class every element must have.
        hint: What to do with a single *item* (``"for one response, pass [response]"``).
    """
    expected = f"a list of {item.__name__} objects"
    if isinstance(values, item | Mapping | str) or not isinstance(values, Iterable):
        raise wrong(where, expected, values, hint)
    out = list(values)
    for i, value in enumerate(out):
        if not isinstance(value, item):
            raise wrong(f"{where}[{i}]", item.__name__, value)
    return out


def _swapped(value: Any) -> str | None:
    """A hint when *value* is what the other parameter takes (arguments in the wrong order)."""
    from weltoffen.model.answers import Response
    from weltoffen.scoring.results import Result

    if isinstance(value, Response | Result):
        return "are the arguments in the wrong order?"
    return None
