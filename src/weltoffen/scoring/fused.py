"""A fast path for :func:`weltoffen.score`: straight-line code generated once per plan.

What it trades: readability for speed. For a plan without conditions whose every node is
simple (a weighted mean or sum of points, missing answers excluded), the function this module
generates looks up each question's answer in the layout's tables with no loop, and adds up each
node's rows in one expression each, in slot order, exactly the sums the engine's loop makes
(so the numbers are the same bit for bit). It then finishes each node with the engine's own
:func:`~weltoffen.scoring.engine.close_node`.

It handles only the answers its tables hold (options, yes/no, allowed states, skipped); any
other answer (a number, a list, free text, a missing-value code, an unknown question, a value
that does not fit) makes it give up (``None``), and the general engine scores the response,
with all its checks and problems. The differential tests hold it equal to the plain reference
scorer (:mod:`weltoffen.scoring.reference`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

from weltoffen.scoring.layout import (
    APPLICABLE,
    ATTAINABLE,
    COVERED,
    KIND,
    Layout,
    Row,
)
from weltoffen.scoring.plan import ScoringPlan
from weltoffen.scoring.results import DimensionResult

__all__ = ["fused_scorer"]

#: Row fields the generated code reads (their positions in a :data:`Row`).
_EARNED, _PRODUCT, _UNIT = 5, 9, 10

Fused = Callable[[Mapping[str, Any]], DimensionResult | None]


class _Missing:
    """The kind of the answer of a question the response leaves out (``answers.get`` default)."""


_MISSING = _Missing()

# generated scorers by plan layout (kept with the layout, so an id is never reused wrongly)
_MADE: dict[int, tuple[Layout, Fused | None]] = {}
_MADE_KEPT = 64
_LOCK = threading.Lock()


def fused_scorer(plan: ScoringPlan) -> Fused | None:
    """The generated scorer of *plan*'s root result, or ``None`` when *plan* needs more (a
    condition, a node that is not simple). Made once per plan and kept."""
    layout = plan.layout
    made = _MADE.get(id(layout))
    if made is not None and made[0] is layout:
        return made[1]
    scorer = _generate(plan, layout)
    with _LOCK:
        if len(_MADE) >= _MADE_KEPT:
            _MADE.clear()
        _MADE[id(layout)] = (layout, scorer)
    return scorer


def _generate(plan: ScoringPlan, layout: Layout) -> Fused | None:
    # imported here: the engine imports this module
    from weltoffen.scoring.engine import close_node, counts_cache

    if plan.gates or not all(spec[1] for spec in layout.nodes):
        return None
    n = len(layout.blank)
    ids = [""] * n
    for qi, qp in enumerate(plan.questions):
        ids[layout.slots[qi]] = qp.question.id
    env: dict[str, Any] = {
        "MISSING": _MISSING,
        "close_node": close_node,
        "counts_of": counts_cache(layout.lane),
        "layout": layout,
        "known": frozenset(ids),
        "specs": layout.nodes,
    }
    lines = ["def fused(answers):", "    if not answers.keys() <= known: return None"]
    lines.append("    get = answers.get")
    for slot, qid in enumerate(ids):
        table: dict[object, Row] = dict(layout.tables[qid])
        # a question left out reads as skipped: its blank row, under a kind of its own
        table[_MISSING] = (_Missing, *layout.blank[slot][1:])
        env[f"T{slot}"] = table
        env[f"K{slot}"] = qid
        lines.append(f"    v{slot} = get(K{slot}, MISSING)")
        lines.append(f"    r{slot} = T{slot}.get(v{slot})")
        lines.append(f"    if r{slot} is None or r{slot}[{KIND}] is not type(v{slot}): return None")
    absent = min(layout.shifts[2], layout.shifts[4])  # not applicable, hidden (see _add_up)
    lines.append("    results = []")
    lines.append("    summaries = []")
    for k, spec in enumerate(layout.nodes):
        start, stop, all_attainable, all_applicable, exact = spec[2:7]
        env[f"A{k}"], env[f"P{k}"] = all_attainable, all_applicable
        slots = range(start, stop)

        def total(field: int, first: str = "0.0", slots: range = slots) -> str:
            # left to right from 0.0, as the engine's += adds them up
            return " + ".join([first, *(f"r{s}[{field}]" for s in slots)])

        def listed(field: int, slots: range = slots) -> str:
            return "[" + ", ".join(f"r{s}[{field}]" for s in slots) + "]"

        lines.append(f"    e = {total(_EARNED)}")
        lines.append(f"    c = {total(COVERED)}")
        lines.append(f"    p = {total(_UNIT, '0')}")
        lines.append(f"    if p >> {absent}:")
        lines.append(f"        a = {total(ATTAINABLE)}")
        lines.append(f"        ap = {total(APPLICABLE)}")
        lines.append("    else:")
        lines.append(f"        a, ap = A{k}, P{k}")
        weights = "[c]" if exact else listed(COVERED)
        lines.append(
            f"    close_node(specs[{k}], e, c, p, {listed(_PRODUCT)}, a, ap, {weights},"
            " results, summaries, counts_of, layout)"
        )
    lines.append("    return results[-1]")
    code = compile("\n".join(lines), f"<weltoffen fused scorer of {plan.questionnaire.id}>", "exec")
    exec(code, env)
    fused: Fused = env["fused"]
    return fused
