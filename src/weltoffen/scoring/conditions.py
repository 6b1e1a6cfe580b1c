"""Testing conditions on answers: when a question or dimension applies.

A leaf condition is tested on one usable answer (given, not hidden) by :func:`test`, which
batch scoring shares, applying it once to each distinct answer of a column. :func:`hide` applies
every condition of a plan to the rows of one response.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from weltoffen.model.answers import AnswerValue, State
from weltoffen.model.conditions import (
    AllOf,
    AnyOf,
    Compare,
    Condition,
    Equals,
    Includes,
    Not,
    OneOf,
)
from weltoffen.scoring.answers import option_key, yes_no
from weltoffen.scoring.layout import STATE, VALUE, Layout, Row
from weltoffen.scoring.plan import ScoringPlan

__all__ = ["hide", "holds", "same", "test"]

_ANSWERED = State.ANSWERED


def hide(plan: ScoringPlan, layout: Layout, got: list[Row]) -> None:
    """Hide the questions whose own or enclosing conditions are false (their rows in *got*); a
    question with an ``otherwise`` answer whose own condition alone is false takes that answer.

    Each gate is evaluated once, in an order where the gates of the questions it reads are
    known before it.
    """
    truth = [False] * len(plan.gates)
    gates = plan.gates
    reads = layout.reads
    for g, slot, guards in layout.gate_steps:
        if slot < 0:  # all / any / not
            truth[g] = holds(gates[g], got, reads, truth)
            continue
        # most conditions compare one answer: inline, and only a usable one (given, not hidden)
        row = got[slot]
        if row[STATE] is _ANSWERED and (not guards or all(truth[h] for h in guards)):
            value = row[VALUE]
            truth[g] = value is not None and test(gates[g], value)
    for slot, guards, otherwise in layout.guarded:
        for g in guards:
            if not truth[g]:
                # only its own condition (the last) false: the question counts as its otherwise
                if otherwise is not None and g == guards[-1]:
                    got[slot] = otherwise
                else:
                    got[slot] = layout.hidden(got[slot])
                break


def holds(
    cond: Condition,
    got: Sequence[Row],
    reads: Mapping[str, tuple[int, tuple[int, ...]]],
    truth: Sequence[bool],
) -> bool:
    """Whether *cond* holds, given the gates it depends on in *truth*."""
    if isinstance(cond, AllOf):
        return all(holds(c, got, reads, truth) for c in cond.conditions)
    if isinstance(cond, AnyOf):
        return any(holds(c, got, reads, truth) for c in cond.conditions)
    if isinstance(cond, Not):
        return not holds(cond.condition, got, reads, truth)
    slot, guards = reads[cond.question]
    row = got[slot]
    # only a usable answer can meet a condition: one given and not hidden
    if row[STATE] is not _ANSWERED:
        return False
    for g in guards:
        if not truth[g]:
            return False
    value = row[VALUE]
    return value is not None and test(cond, value)


def test(cond: Condition, value: AnswerValue) -> bool:
    """Whether the leaf condition *cond* holds for the usable answer *value*."""
    if type(cond) is Equals:
        wanted = cond.value
        kind = type(value)
        if kind is type(wanted) and (kind is str or kind is bool):
            return value == wanted  # what same() finds for an option or a yes/no, sooner
    if isinstance(cond, Equals):
        return same(value, cond.value)
    if isinstance(cond, OneOf):
        return any(same(value, v) for v in cond.values)
    if isinstance(cond, Includes):
        return isinstance(value, tuple | list | str) and cond.value in (
            (value,) if isinstance(value, str) else value
        )
    if isinstance(cond, Compare) and isinstance(value, int | float) and not isinstance(value, bool):
        op = cond.op
        return (
            value > cond.value
            if op == "gt"
            else value >= cond.value
            if op == "ge"
            else value < cond.value
            if op == "lt"
            else value <= cond.value
        )
    return False


def same(answer: AnswerValue, wanted: object) -> bool:
    """Whether *answer* is the value *wanted* by a condition, as its question reads answers."""
    if isinstance(wanted, bool):
        return yes_no(answer) is wanted
    if isinstance(answer, bool):
        return False
    if isinstance(wanted, str):
        return option_key(answer) == wanted
    return answer == wanted
