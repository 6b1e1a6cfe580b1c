"""Reading wide tables (numpy codes, pandas, polars) into blocks for the batch kernel.

Every cell ends up as a state code and a normalised value, computed by the same rules as
:func:`weltoffen.scoring.engine.score`: values of DataFrames go through the engine's own
``_measure`` once per distinct value of a column; numpy codes go through lookup tables built from
the plan, and numbers through the same arithmetic, written for arrays.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import Any

from weltoffen.exceptions import Problem, ProblemCode
from weltoffen.model.answers import AnswerValue, State
from weltoffen.model.questions import MultipleChoice, Numeric, TextQuestion, YesNo
from weltoffen.scoring._vector import (
    ANSWERED,
    DONT_KNOW,
    NOT_APPLICABLE,
    SKIPPED,
    Block,
    Kernel,
    Keyed,
    Numbers,
)
from weltoffen.scoring.engine import _YES, _Bad, _measure, _option_key, _state_problem
from weltoffen.scoring.plan import QuestionPlan

__all__ = ["FrameReader", "NumpyReader", "Problems", "Reader", "encode"]

_STATE_CODE = {
    State.ANSWERED: ANSWERED,
    State.DONT_KNOW: DONT_KNOW,
    State.NOT_APPLICABLE: NOT_APPLICABLE,
    State.SKIPPED: SKIPPED,
}
_STATE_NAMES = {s.value: s for s in State}
_CODE_STATE = {v: k for k, v in _STATE_CODE.items()}


class Problems:
    """Problems found in the input, kept up to a limit and counted beyond it."""

    def __init__(self, limit: int = 50) -> None:
        self.limit = limit
        self.kept: list[Problem] = []
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


def _kind(qp: QuestionPlan) -> str:
    question = qp.question
    if isinstance(question, TextQuestion):
        return "text"
    if isinstance(question, Numeric):
        return "numeric"
    if isinstance(question, MultipleChoice):
        return "multi"
    return "options"


def option_answers(qp: QuestionPlan) -> list[AnswerValue]:
    """What each option code of a choice-like or yes/no question stands for."""
    if isinstance(qp.question, YesNo):
        return [False, True]
    return list(qp.points)


def _option_points(qp: QuestionPlan) -> list[float]:
    if isinstance(qp.question, YesNo):
        return [qp.points["no"], qp.points["yes"]]
    return list(qp.points.values())


def numeric_rows(qp: QuestionPlan, x: Any, answered: Any, problems: Problems, start: int) -> Any:
    """Normalised values of the answered numbers in *x* (0 elsewhere), checking each."""
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
        points = lin.points * np.minimum(1.0, np.maximum(0.0, share))
    else:
        points = np.full(x.shape, min((t.points for t in question.thresholds), default=0.0))
        for t in question.thresholds:  # the last threshold reached, in declared order, wins
            points = np.where(safe >= t.min, t.points, points)
    if qp.hi <= qp.lo:  # an unscored number without a scoring rule: its share is never read
        return np.zeros(x.shape)
    return np.where(answered, (points - qp.lo) / (qp.hi - qp.lo), 0.0)


class Reader:
    """Turns rows ``start..stop`` of an input into a :class:`Block`."""

    rows: int

    def __init__(self, kernel: Kernel, problems: Problems) -> None:
        self.kernel = kernel
        self.plan = kernel.plan
        self.problems = problems

    def block(self, start: int, stop: int) -> Block:
        raise NotImplementedError


# -- numpy codes -------------------------------------------------------------------------------


class NumpyReader(Reader):
    """A 2-D array of codes (one column per question) plus, optionally, a state-code array."""

    def __init__(
        self,
        kernel: Kernel,
        problems: Problems,
        codes: Any,
        states: Any | None,
        columns: Sequence[str],
    ) -> None:
        import numpy as np

        super().__init__(kernel, problems)
        self.codes = codes
        self.states = states
        self.rows = codes.shape[0]
        plan = self.plan
        self.column_of: dict[int, int] = {}
        for j, qid in enumerate(columns):
            self.column_of[plan.index[qid]] = j
        by_kind: dict[str, list[int]] = {"options": [], "numeric": [], "multi": [], "text": []}
        for qi in sorted(self.column_of):
            by_kind[_kind(plan.questions[qi])].append(qi)
        self.by_kind = by_kind
        opts = by_kind["options"]
        self.opt_rows = np.asarray(opts, dtype=np.intp)
        self.opt_cols = np.asarray([self.column_of[qi] for qi in opts], dtype=np.intp)
        tables = [
            [
                (p - plan.questions[qi].lo) / (plan.questions[qi].hi - plan.questions[qi].lo)
                if plan.questions[qi].hi > plan.questions[qi].lo
                else 0.0
                for p in _option_points(plan.questions[qi])
            ]
            for qi in opts
        ]
        sizes = [len(t) for t in tables]
        self.opt_size = np.asarray(sizes, dtype=np.uintp).reshape(-1, 1)
        self.opt_offset = np.asarray(
            [sum(sizes[:i]) for i in range(len(sizes))], dtype=np.intp
        ).reshape(-1, 1)
        self.opt_values = np.asarray([v for t in tables for v in t] or [0.0], dtype=np.float64)
        self.opt_answers = {qi: option_answers(plan.questions[qi]) for qi in opts}
        # per multiple-choice question: bit mask -> what it means, kept across chunks
        self.masks: dict[int, dict[float, tuple[tuple[str, ...], float | None, str, str]]] = {}
        # when the columns are the plan's questions in order, the block is the transposed chunk
        self.identity = list(self.column_of.items()) == [(i, i) for i in range(len(plan.questions))]
        # all questions choice-like, columns in plan order: the chunk itself is the block
        self.whole = self.identity and len(opts) == len(plan.questions)

    def block(self, start: int, stop: int) -> Block:
        import numpy as np

        n = self.kernel.n
        rows = stop - start
        chunk = np.ascontiguousarray(self.codes[start:stop].T, dtype=np.float64)
        given = None
        if self.states is not None:
            # a copy, always: hiding writes into it, and the caller's array must stay as it is
            given = np.array(self.states[start:stop].T, dtype=np.int8, order="C")
        if self.whole:
            block = Block(None, None)
        else:
            block = Block(np.full((n, rows), SKIPPED, dtype=np.int8), np.zeros((n, rows)))
        st, values = block.states, block.values
        self._check_states(given, chunk, start)
        if len(self.opt_rows):
            self._options(chunk, given, block, start)
        for qi in self.by_kind["numeric"]:
            x = chunk[self.column_of[qi]]
            answered = self._answered(qi, x, given)
            st[qi] = self._state_row(qi, x, given)
            values[qi] = numeric_rows(self.plan.questions[qi], x, answered, self.problems, start)
            if qi in self.kernel.read:
                question = self.plan.questions[qi].question
                assert isinstance(question, Numeric)
                block.answers[qi] = Numbers(np.where(answered, x, np.nan), question.integer)
        for qi in self.by_kind["multi"]:
            self._multi(qi, chunk[self.column_of[qi]], given, block, start)
        for qi in self.by_kind["text"]:
            # free text has no code: only its states (from the state array) are known
            row = self._state_row(qi, chunk[self.column_of[qi]], given)
            st[qi] = np.where(row == ANSWERED, SKIPPED, row)
        for qi in self.kernel.read:
            if qi not in block.answers:
                block.answers[qi] = Keyed(np.full(rows, -1, dtype=np.intp), [])
        return block

    def _answered(self, qi: int, x: Any, given: Any | None) -> Any:
        import numpy as np

        if given is None:
            return ~np.isnan(x)
        return given[self.column_of[qi]] == ANSWERED

    def _state_row(self, qi: int, x: Any, given: Any | None) -> Any:
        import numpy as np

        if given is None:
            return np.where(np.isnan(x), SKIPPED, ANSWERED).astype(np.int8)
        return given[self.column_of[qi]]

    def _check_states(self, given: Any | None, chunk: Any, start: int) -> None:
        """Check the state array: known codes, allowed states, a code wherever answered."""
        import numpy as np

        if given is None:
            return
        plan = self.plan
        bad_code = (given < 0) | (given > SKIPPED)
        for qi, j in self.column_of.items():
            question = plan.questions[qi].question
            row = given[j]
            checks: list[tuple[Any, str, str | None, ProblemCode]] = [
                (
                    bad_code[j],
                    "unknown state code",
                    "0 answered, 1 dont_know, 2 not_applicable, 3 skipped",
                    ProblemCode.BAD_ANSWER,
                )
            ]
            if not question.dont_know:
                checks.append(
                    (
                        row == DONT_KNOW,
                        f'question {question.id!r} does not offer "don\'t know"',
                        None,
                        ProblemCode.STATE_NOT_OFFERED,
                    )
                )
            if not question.not_applicable:
                checks.append(
                    (
                        row == NOT_APPLICABLE,
                        f'question {question.id!r} does not offer "not applicable"',
                        None,
                        ProblemCode.STATE_NOT_OFFERED,
                    )
                )
            if not isinstance(question, TextQuestion):
                checks.append(
                    (
                        (row == ANSWERED) & np.isnan(chunk[j]),
                        "answered but no code given",
                        "a code",
                        ProblemCode.BAD_ANSWER,
                    )
                )
            for bad, message, expected, code in checks:
                if bad.any():
                    self.problems.cells(
                        np.flatnonzero(bad), start, question.id, message, expected, row, code=code
                    )

    def _options(self, chunk: Any, given: Any | None, block: Block, start: int) -> None:
        """Choice-like and yes/no questions, all at once: codes to normalised values by table."""
        import numpy as np

        whole = self.whole
        x = chunk if whole else chunk[self.opt_cols]
        with np.errstate(invalid="ignore"):
            code = x.astype(np.intp)  # NaN becomes some integer; `valid` rejects it below
        # one unsigned comparison checks 0 <= code < options; equality checks a whole number
        valid = code.view(np.uintp) < self.opt_size
        valid &= code == x
        if given is None:
            st = np.where(valid, np.int8(ANSWERED), np.int8(SKIPPED))
            # every code that is not valid must be NaN (skipped); count before looking closer
            n_valid = np.count_nonzero(valid)
            clean = n_valid == valid.size or n_valid + np.count_nonzero(np.isnan(x)) == valid.size
            bad = None if clean else ~valid & ~np.isnan(x)
        else:
            st = given if whole else given[self.opt_cols]
            answered = st == ANSWERED
            bad = answered & ~valid & ~np.isnan(x)
            valid &= answered
        if bad is not None and bad.any():
            self._bad_codes(bad, x, start)
        code += self.opt_offset
        values = self.opt_values.take(code, mode="clip")  # invalid codes are zeroed next
        values *= valid
        if whole:
            block.states = st
            block.values = values
        else:
            block.states[self.opt_rows] = st
            block.values[self.opt_rows] = values
        for k, qi in enumerate(self.opt_rows.tolist()):
            if qi in self.kernel.read:
                keys = np.where(valid[k], code[k] - self.opt_offset[k, 0], -1)
                block.answers[qi] = Keyed(keys, self.opt_answers[qi])

    def _bad_codes(self, bad: Any, x: Any, start: int) -> None:
        import numpy as np

        for k in np.flatnonzero(bad.any(axis=1)).tolist():
            qp = self.plan.questions[int(self.opt_rows[k])]
            self.problems.cells(
                np.flatnonzero(bad[k]),
                start,
                qp.question.id,
                "not an option code of this question",
                f"a whole number 0..{int(self.opt_size[k, 0]) - 1}",
                x[k],
            )

    def _multi(self, qi: int, x: Any, given: Any | None, block: Block, start: int) -> None:
        import numpy as np

        qp = self.plan.questions[qi]
        keys_list = list(qp.points)
        answered = self._answered(qi, x, given)
        block.states[qi] = self._state_row(qi, x, given)
        masks = np.where(answered, x, 0.0)
        uniq, inverse = np.unique(masks, return_inverse=True)
        inverse = inverse.reshape(-1)
        table = np.zeros(len(uniq))
        answers: list[AnswerValue] = []
        cache = self.masks.setdefault(qi, {})
        for u, mask in enumerate(uniq.tolist()):
            entry = cache.get(mask)
            if entry is None:
                entry = cache[mask] = _mask_meaning(qp, keys_list, mask)
            chosen, value, message, expected = entry
            answers.append(chosen)
            if value is None:
                self.problems.cells(
                    np.flatnonzero(answered & (inverse == u)),
                    start,
                    qp.question.id,
                    message,
                    expected,
                    repr(mask),
                )
                continue
            table[u] = value
        block.values[qi] = np.where(answered, table[inverse], 0.0)
        if qi in self.kernel.read:
            block.answers[qi] = Keyed(np.where(answered, inverse, -1), answers)


def _mask_meaning(
    qp: QuestionPlan, keys: Sequence[str], mask: float
) -> tuple[tuple[str, ...], float | None, str, str]:
    """The options a bit mask chooses and its normalised value (``None`` with a message if bad)."""
    if not (mask >= 0 and mask == int(mask) and int(mask) < (1 << len(keys))):
        return (
            (),
            None,
            "not a bit mask of this question's options",
            f"a whole number 0..{(1 << len(keys)) - 1}",
        )
    chosen = tuple(k for b, k in enumerate(keys) if int(mask) >> b & 1)
    try:
        p = _measure(qp, chosen)
    except _Bad as bad:
        return chosen, None, bad.message, bad.expected or ""
    assert p is not None
    return chosen, (p - qp.lo) / (qp.hi - qp.lo), "", ""


# -- DataFrames --------------------------------------------------------------------------------


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

    __slots__ = ("answer", "problem", "state", "value")

    def __init__(
        self,
        state: int,
        value: float,
        answer: Any,
        problem: tuple[ProblemCode, str, str | None] | None,
    ) -> None:
        self.state = state
        self.value = value
        self.answer = answer
        self.problem = problem


def evaluate(qp: QuestionPlan, cell: Any) -> _Cell:
    """State, normalised value and answer of one cell value, by ``score()``'s rules."""
    if _is_missing(cell):
        return _Cell(SKIPPED, 0.0, None, None)
    value = _plain(cell)
    if isinstance(value, str) and value in _STATE_NAMES:
        value = _STATE_NAMES[value]
    if isinstance(value, State):
        problem = _state_problem(qp, value)
        if problem:
            return _Cell(SKIPPED, 0.0, None, (ProblemCode.STATE_NOT_OFFERED, problem, None))
        return _Cell(_STATE_CODE[value], 0.0, None, None)
    try:
        points = _measure(qp, value)
    except _Bad as bad:
        return _Cell(SKIPPED, 0.0, None, (ProblemCode.BAD_ANSWER, bad.message, bad.expected))
    if points is None:  # free text: answered, never scored
        return _Cell(ANSWERED, 0.0, value, None)
    return _Cell(ANSWERED, (points - qp.lo) / (qp.hi - qp.lo), value, None)


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
        for qi in self.present:
            qp = plan.questions[qi]
            qid = qp.question.id
            series, numeric = self._column(qid, start, stop)
            if numeric and isinstance(qp.question, Numeric):
                x = self._numbers(series)
                answered = ~np.isnan(x)
                st[qi] = np.where(answered, ANSWERED, SKIPPED)
                values[qi] = numeric_rows(qp, x, answered, self.problems, start)
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
            if not (isinstance(name, str) and name in _STATE_NAMES) and not isinstance(name, State):
                cell = _Cell(
                    SKIPPED,
                    0.0,
                    None,
                    (ProblemCode.BAD_ANSWER, "not a state name", ", ".join(_STATE_NAMES)),
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
        answers = block.answers.get(qi)
        if isinstance(answers, Keyed):
            block.answers[qi] = Keyed(np.where(given, -1, answers.keys), answers.values)
        elif isinstance(answers, Numbers):
            block.answers[qi] = Numbers(np.where(given, np.nan, answers.values), answers.integer)


# -- responses to codes ------------------------------------------------------------------------


def encode(qp: QuestionPlan, value: AnswerValue) -> tuple[int, float]:
    """State code and numpy code of one answer (``_Bad`` when it does not fit)."""
    if isinstance(value, State):
        problem = _state_problem(qp, value)
        if problem:
            raise _Bad(problem)
        return _STATE_CODE[value], math.nan
    question = qp.question
    if isinstance(question, TextQuestion):
        _measure(qp, value)
        return SKIPPED, math.nan  # free text has no code
    _measure(qp, value)  # raises for values that do not fit
    if isinstance(question, YesNo):
        if isinstance(value, str):
            return ANSWERED, float(_YES[value.strip().lower()])
        return ANSWERED, float(bool(value))
    if isinstance(question, Numeric):
        assert isinstance(value, int | float)
        return ANSWERED, float(value)
    keys = list(qp.points)
    if isinstance(question, MultipleChoice):
        chosen = (value,) if isinstance(value, str) else value
        assert isinstance(chosen, tuple | list)
        return ANSWERED, float(sum(1 << keys.index(v) for v in chosen))
    key = _option_key(value)
    assert key is not None
    return ANSWERED, float(keys.index(key))
