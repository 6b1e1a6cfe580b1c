"""Reading wide tables into blocks for the batch kernel: what every reader shares.

Every cell ends up as a state code and a normalised value, computed by the same rules as
:func:`weltoffen.scoring.engine.score`. Numpy codes are read by
:mod:`weltoffen.scoring.codes`, DataFrames by :mod:`weltoffen.scoring.frames`; both collect
problems in :class:`Problems` and check numbers with :func:`numeric_rows`.
"""

from __future__ import annotations

import math
from typing import Any

from weltoffen.exceptions import Problem, ProblemCode
from weltoffen.model.answers import GIVEN_STATES, State
from weltoffen.model.questions import Numeric
from weltoffen.scoring.blocks import (
    ANSWERED,
    DONT_KNOW,
    NOT_APPLICABLE,
    SKIPPED,
    Block,
)
from weltoffen.scoring.kernel import Kernel
from weltoffen.scoring.plan import QuestionPlan

__all__ = ["STATE_CODE", "STATE_NAMES", "Problems", "Reader", "coded_rows", "numeric_rows"]

#: The state code of each state that can be given.
STATE_CODE = {
    State.ANSWERED: ANSWERED,
    State.DONT_KNOW: DONT_KNOW,
    State.NOT_APPLICABLE: NOT_APPLICABLE,
    State.SKIPPED: SKIPPED,
}
#: The states a table cell may give by name (as a response file may).
STATE_NAMES = GIVEN_STATES


class Problems:
    """Problems found in the input, kept up to a limit and counted beyond it."""

    def __init__(self, limit: int = 50) -> None:
        self.limit = limit
        self.kept: list[Problem] = []
        self.count = 0

    def clear(self) -> None:
        """Forget every problem, to find them again."""
        self.kept = []
        self.count = 0

    def add(self, problem: Problem) -> None:
        self.count += 1
        if len(self.kept) < self.limit:
            self.kept.append(problem)

    def cells(
        self,
        rows: Any,
        start: int,
        qid: str,
        message: str,
        expected: str | None,
        got: Any,
        where: tuple[str, ...] = ("rows",),
        code: ProblemCode = ProblemCode.BAD_ANSWER,
    ) -> None:
        """A problem at ``<where>[<row>].<qid>`` for each row index in *rows* (a numpy array),
        counting those past the limit. *got* is one text for all, or an array of the values."""
        indices: list[int] = rows.tolist()
        room = max(0, self.limit - len(self.kept))
        for r in indices[:room]:
            shown = got if isinstance(got, str) else repr(got[r].item())
            self.add(
                Problem(
                    code,
                    message,
                    location=(*where, start + r, qid),
                    expected=expected,
                    got=shown,
                )
            )
        self.count += max(0, len(indices) - room)

    def result(self) -> list[Problem]:
        more = self.count - len(self.kept)
        if more > 0:
            last = Problem(
                ProblemCode.TRUNCATED,
                f"... and {more} more problems like these",
                location=("rows",),
            )
            return [*self.kept, last]
        return list(self.kept)


def coded_rows(qp: QuestionPlan, x: Any, answered: Any, states: Any) -> Any:
    """Numbers in *x* that are missing-value codes of *qp* take the code's state (written into
    *states*); returns *answered* without them."""
    import numpy as np

    for key, state in qp.codes.items():
        try:
            number = float(key)
        except ValueError:  # a code in words: no number equals it
            continue
        if not math.isfinite(number):
            continue
        hit = answered & (x == number)
        if np.any(hit):
            states[hit] = STATE_CODE[state]
            answered = answered & ~hit
    return answered


def numeric_rows(
    qp: QuestionPlan, x: Any, answered: Any, problems: Problems, start: int
) -> tuple[Any, Any]:
    """Normalised values and points of the answered numbers in *x* (0 elsewhere), checking
    each."""
    import numpy as np

    question = qp.question
    assert isinstance(question, Numeric)
    qid = question.id
    lo = "" if question.minimum is None else f"{question.minimum:g}"
    hi = "" if question.maximum is None else f"{question.maximum:g}"
    with np.errstate(invalid="ignore"):
        # one problem per cell, the first that score() would find
        finite = np.isfinite(x)
        checks = [(answered & ~finite, "not a finite number", "a finite number")]
        ok = answered & finite
        if question.integer:
            fraction = ok & (x != np.floor(x))
            checks.append((fraction, "not a whole number", "a whole number"))
            ok &= ~fraction
        out_of_range = np.zeros_like(ok)
        if question.minimum is not None:
            out_of_range |= x < question.minimum
        if question.maximum is not None:
            out_of_range |= x > question.maximum
        checks.append((ok & out_of_range, "number out of range", f"{lo}..{hi}"))
    for bad, message, expected in checks:
        if bad.any():
            problems.cells(np.flatnonzero(bad), start, qid, message, expected, x)
    safe = np.where(answered, x, 0.0)
    if question.linear is not None:
        lin = question.linear
        share = (safe - lin.low) / (lin.high - lin.low)
        # min(1.0, max(0.0, share)) as answers.py has it: on a tie numpy keeps the second
        # argument and Python the first, so the constants go second (max(0.0, -0.0) is 0.0)
        points = lin.points * np.minimum(np.maximum(share, 0.0), 1.0)
    else:
        points = np.full(x.shape, min((t.points for t in question.thresholds), default=0.0))
        for t in question.thresholds:  # the last threshold reached, in declared order, wins
            points = np.where(safe >= t.min, t.points, points)
    earned = np.where(answered, points, 0.0)
    if qp.hi <= qp.lo:  # an unscored number without a scoring rule: its share is never read
        return np.zeros(x.shape), earned
    return np.where(answered, (points - qp.lo) / (qp.hi - qp.lo), 0.0), earned


class Reader:
    """Turns rows ``start..stop`` of an input into a :class:`Block`."""

    rows: int

    def __init__(self, kernel: Kernel, problems: Problems) -> None:
        self.kernel = kernel
        self.plan = kernel.plan
        self.problems = problems

    def block(self, start: int, stop: int) -> Block:
        raise NotImplementedError
