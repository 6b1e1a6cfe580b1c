"""DataFrames (pandas, polars): reading their columns into blocks for the batch kernel.

Values go through the engine's own :func:`~weltoffen.scoring.answers.measure` once per distinct
value of a column; a column of plain numbers for a numeric question is checked as arrays.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import Any

from weltoffen.exceptions import ProblemCode
from weltoffen.model.answers import State
from weltoffen.model.questions import Numeric
from weltoffen.scoring.answers import BadAnswer, coded_state, measure, share, state_problem
from weltoffen.scoring.blocks import (
    ANSWERED,
    SKIPPED,
    Block,
    Keyed,
    Numbers,
)
from weltoffen.scoring.kernel import Kernel
from weltoffen.scoring.plan import QuestionPlan
from weltoffen.scoring.reading import (
    STATE_CODE,
    STATE_NAMES,
    Problems,
    Reader,
    coded_rows,
    numeric_rows,
)

__all__ = ["FrameReader", "evaluate", "factorize"]


def _plain(value: Any) -> Any:
    """A cell as the Python value ``score()`` would see in a response."""
    item = getattr(value, "item", None)
    if item is not None and getattr(value, "ndim", None) == 0:  # a numpy scalar
        return item()
    if isinstance(value, list):
        return tuple(value)
    if hasattr(value, "tolist") and not isinstance(value, str):  # an array in a list column
        return tuple(value.tolist())
    return value


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return type(value).__name__ in ("NAType", "NaTType")


class _Cell:
    """What one distinct cell value means for one question."""

    __slots__ = ("answer", "points", "problem", "state", "value")

    def __init__(
        self,
        state: int,
        value: float,
        answer: Any,
        problem: tuple[ProblemCode, str, str | None] | None,
        points: float = 0.0,
    ) -> None:
        self.points = points
        self.state = state
        self.value = value
        self.answer = answer
        self.problem = problem


def evaluate(qp: QuestionPlan, cell: Any) -> _Cell:
    """State, normalised value and answer of one cell value, by ``score()``'s rules."""
    if _is_missing(cell):
        return _Cell(SKIPPED, 0.0, None, None)
    value = _plain(cell)
    if isinstance(value, str) and value in STATE_NAMES:
        value = STATE_NAMES[value]
    if qp.codes:
        value = coded_state(qp.codes, value) or value
    if isinstance(value, State):
        problem = state_problem(qp, value)
        if problem:
            return _Cell(SKIPPED, 0.0, None, (ProblemCode.STATE_NOT_OFFERED, problem, None))
        return _Cell(STATE_CODE[value], 0.0, None, None)
    try:
        points = measure(qp, value)
    except BadAnswer as bad:
        return _Cell(SKIPPED, 0.0, None, (ProblemCode.BAD_ANSWER, bad.message, bad.expected))
    if points is None:  # free text: answered, never scored
        return _Cell(ANSWERED, 0.0, value, None)
    return _Cell(ANSWERED, share(qp, points), value, None, points)


def factorize(values: Sequence[Any]) -> tuple[Any, list[Any]]:
    """Keys into a list of distinct values (``-1`` for missing), for cells of any kind."""
    import numpy as np

    seen: dict[Hashable, int] = {}
    distinct: list[Any] = []
    keys = np.empty(len(values), dtype=np.intp)
    for i, cell in enumerate(values):
        if _is_missing(cell):
            keys[i] = -1
            continue
        value = _plain(cell)
        key = (type(value), value)
        k = seen.get(key)
        if k is None:
            k = seen[key] = len(distinct)
            distinct.append(value)
        keys[i] = k
    return keys, distinct


class FrameReader(Reader):
    """A pandas or polars DataFrame: one column per question id, one row per respondent."""

    def __init__(
        self, kernel: Kernel, problems: Problems, frame: Any, flavour: str, states: Any = None
    ) -> None:
        super().__init__(kernel, problems)
        self.frame = frame
        self.flavour = flavour
        self.rows = len(frame)
        names = set(frame.columns)
        self.present = [qi for qi, qp in enumerate(self.plan.questions) if qp.question.id in names]
        self.states = states
        self.stated = (
            set()
            if states is None
            else set(states.columns) & {qp.question.id for qp in self.plan.questions}
        )
        self.cache: dict[int, dict[Hashable, _Cell]] = {qi: {} for qi in self.present}

    def _column(self, qid: str, start: int, stop: int, frame: Any = None) -> tuple[Any, bool]:
        """The cells of a column chunk, and whether they are plain numbers."""
        frame = self.frame if frame is None else frame
        if self.flavour == "pandas":
            import pandas as pd

            series = frame[qid].iloc[start:stop]
            numeric = pd.api.types.is_numeric_dtype(
                series.dtype
            ) and not pd.api.types.is_bool_dtype(series.dtype)
            return series, numeric
        series = frame.get_column(qid).slice(start, stop - start)
        return series, series.dtype.is_numeric()

    def _numbers(self, series: Any) -> Any:
        import numpy as np

        if self.flavour == "pandas":
            return series.to_numpy(dtype=np.float64, na_value=np.nan)
        import polars as pl

        return series.cast(pl.Float64).fill_null(float("nan")).to_numpy()

    def _factorize(self, series: Any) -> tuple[Any, list[Any]]:
        if self.flavour == "pandas":
            import pandas as pd

            try:
                keys, uniques = pd.factorize(series, use_na_sentinel=True)
            except TypeError:  # unhashable cells (lists of options)
                return factorize(series.tolist())
            return keys, [_plain(u) for u in list(uniques)]
        import polars as pl

        if series.dtype.is_nested() or series.dtype == pl.Object:
            return factorize(series.to_list())  # lists of options: tuples, in Python
        # the distinct values, then each cell's position among them, all inside polars
        distinct = series.drop_nulls().unique(maintain_order=True)
        keys = series.replace_strict(
            distinct, pl.int_range(len(distinct), eager=True), default=None, return_dtype=pl.Int64
        )
        return keys.fill_null(-1).to_numpy(), [_plain(v) for v in distinct.to_list()]

    def block(self, start: int, stop: int) -> Block:
        import numpy as np

        plan = self.plan
        rows = stop - start
        st = np.full((self.kernel.n, rows), SKIPPED, dtype=np.int8)
        values = np.zeros((self.kernel.n, rows))
        block = Block(st, values)
        if self.kernel.points:
            block.points = np.zeros((self.kernel.n, rows))
        for qi in self.present:
            qp = plan.questions[qi]
            qid = qp.question.id
            series, numeric = self._column(qid, start, stop)
            if numeric and isinstance(qp.question, Numeric):
                x = self._numbers(series)
                answered = ~np.isnan(x)
                st[qi] = np.where(answered, ANSWERED, SKIPPED)
                if qp.codes:
                    answered = coded_rows(qp, x, answered, st[qi])
                values[qi], earned = numeric_rows(qp, x, answered, self.problems, start)
                if block.points is not None:
                    block.points[qi] = earned
                if qi in self.kernel.read:
                    block.answers[qi] = Numbers(x, qp.question.integer)
                continue
            keys, distinct = self._factorize(series)
            cache = self.cache[qi]
            cells = []
            for value in distinct:
                key = (type(value), value)
                cell = cache.get(key)
                if cell is None:
                    cell = cache[key] = evaluate(qp, value)
                cells.append(cell)
            states = np.array([c.state for c in cells] + [SKIPPED], dtype=np.int8)
            vals = np.array([c.value for c in cells] + [0.0])
            st[qi] = states[keys]
            values[qi] = vals[keys]
            if block.points is not None:
                block.points[qi] = np.array([c.points for c in cells] + [0.0])[keys]
            for u, cell in enumerate(cells):
                if cell.problem is not None:
                    code, message, expected = cell.problem
                    self.problems.cells(
                        np.flatnonzero(keys == u),
                        start,
                        qid,
                        message,
                        expected,
                        repr(distinct[u]),
                        code=code,
                    )
            if qi in self.kernel.read:
                answered = np.array([c.state == ANSWERED for c in cells] + [False])[keys]
                block.answers[qi] = Keyed(np.where(answered, keys, -1), [c.answer for c in cells])
        for qid in self.stated:
            self._override(block, plan.index[qid], start, stop)
        for qi in self.kernel.read:
            if qi not in block.answers:
                block.answers[qi] = Keyed(np.full(rows, -1, dtype=np.intp), [])
        return block

    def _override(self, block: Block, qi: int, start: int, stop: int) -> None:
        """Apply the states frame's column for question *qi*: a state name replaces the value."""
        import numpy as np

        qp = self.plan.questions[qi]
        series, _ = self._column(qp.question.id, start, stop, self.states)
        keys, distinct = self._factorize(series)
        given = np.zeros(len(keys), dtype=bool)
        for u, name in enumerate(distinct):
            rows = keys == u
            if not (isinstance(name, str) and name in STATE_NAMES) and not isinstance(name, State):
                cell = _Cell(
                    SKIPPED,
                    0.0,
                    None,
                    (ProblemCode.BAD_ANSWER, "not a state name", ", ".join(STATE_NAMES)),
                )
            else:
                cell = evaluate(qp, name)
            if cell.problem is not None:
                code, message, expected = cell.problem
                self.problems.cells(
                    np.flatnonzero(rows),
                    start,
                    qp.question.id,
                    message,
                    expected,
                    repr(name),
                    where=("states", "rows"),
                    code=code,
                )
                continue
            given |= rows
            block.states[qi][rows] = cell.state
        block.values[qi][given] = 0.0
        if block.points is not None:
            block.points[qi][given] = 0.0
        answers = block.answers.get(qi)
        if isinstance(answers, Keyed):
            block.answers[qi] = Keyed(np.where(given, -1, answers.keys), answers.values)
        elif isinstance(answers, Numbers):
            block.answers[qi] = Numbers(np.where(given, np.nan, answers.values), answers.integer)
