"""Numpy codes: reading an array of codes into blocks, and encoding responses as codes.

Codes go through lookup tables built from the plan (an option's index, 1/0 for yes/no, a bit mask
of chosen options), and numbers through the arithmetic of ``score()``, written for arrays.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from weltoffen.exceptions import ProblemCode
from weltoffen.model.answers import AnswerValue, State
from weltoffen.model.questions import MultipleChoice, Numeric, TextQuestion, YesNo
from weltoffen.scoring.answers import (
    BadAnswer,
    coded_state,
    measure,
    option_key,
    share,
    state_problem,
    yes_no,
)
from weltoffen.scoring.blocks import (
    ANSWERED,
    DONT_KNOW,
    NOT_APPLICABLE,
    SKIPPED,
    Block,
    Keyed,
    Numbers,
)
from weltoffen.scoring.kernel import Kernel
from weltoffen.scoring.plan import QuestionPlan
from weltoffen.scoring.reading import STATE_CODE, Problems, Reader, coded_rows, numeric_rows

__all__ = ["NumpyReader", "encode", "native_read_codes", "option_answers"]


def _compiled_reading() -> Callable[..., int] | None:
    """The compiled reading of option codes, where score()'s compiled path is in use."""
    from weltoffen.scoring import engine

    if engine.native is None:
        return None
    from weltoffen.scoring._native import read_codes

    return read_codes


#: The compiled reading of a table of option codes (``scoring/_native.c``, ``read_codes``), or
#: ``None``: then :meth:`NumpyReader.block` reads them with numpy alone, to the same states and
#: values (the tests run both ways).
native_read_codes = _compiled_reading()


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
        raw = [_option_points(plan.questions[qi]) for qi in opts]
        tables = [[share(plan.questions[qi], p) for p in pts] for qi, pts in zip(opts, raw)]
        sizes = [len(t) for t in tables]
        starts = [sum(sizes[:i]) for i in range(len(sizes))]
        self.opt_size = np.asarray(sizes, dtype=np.uintp).reshape(-1, 1)
        self.opt_offset = np.asarray(starts, dtype=np.intp).reshape(-1, 1)
        self.opt_sizes = np.asarray(sizes, dtype=np.int64)  # flat, for the compiled reading
        self.opt_starts = np.asarray(starts, dtype=np.int64)
        self.opt_values = np.asarray([v for t in tables for v in t] or [0.0], dtype=np.float64)
        self.opt_points = np.asarray([p for t in raw for p in t] or [0.0], dtype=np.float64)
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
        if (
            native_read_codes is not None
            and self.whole
            and self.states is None
            and not self.kernel.read
        ):
            compiled = self._compiled_block(start, stop)
            if compiled is not None:
                return compiled
        chunk = np.ascontiguousarray(self.codes[start:stop].T, dtype=np.float64)
        given = None
        if self.states is not None:
            # a copy, always: hiding writes into it, and the caller's array must stay as it is
            given = np.array(self.states[start:stop].T, dtype=np.int8, order="C")
        if self.whole:
            block = Block(None, None)
        else:
            block = Block(np.full((n, rows), SKIPPED, dtype=np.int8), np.zeros((n, rows)))
            if self.kernel.points:
                block.points = np.zeros((n, rows))
        st, values = block.states, block.values
        self._check_states(given, chunk, start)
        if len(self.opt_rows):
            self._options(chunk, given, block, start)
        for qi in self.by_kind["numeric"]:
            x = chunk[self.column_of[qi]]
            answered = self._answered(qi, x, given)
            st[qi] = self._state_row(qi, x, given)
            if self.plan.questions[qi].codes:
                answered = coded_rows(self.plan.questions[qi], x, answered, st[qi])
            values[qi], earned = numeric_rows(
                self.plan.questions[qi], x, answered, self.problems, start
            )
            if block.points is not None:
                block.points[qi] = earned
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

    def _compiled_block(self, start: int, stop: int) -> Block | None:
        """The block of a table of option codes alone, read in one pass by compiled code (the
        same states and values as :meth:`_options`); ``None`` when a cell is neither NaN nor
        an option code, which the numpy reading then reports with the rest."""
        import numpy as np

        assert native_read_codes is not None
        n, rows = self.kernel.n, stop - start
        states = np.empty((n, rows), dtype=np.int8)
        values = np.empty((n, rows))
        points = np.empty((n, rows)) if self.kernel.points else None
        bad = native_read_codes(
            np.ascontiguousarray(self.codes[start:stop], dtype=np.float64),
            self.opt_sizes,
            self.opt_starts,
            self.opt_values,
            self.opt_points,
            states,
            values,
            points,
            ANSWERED,
            SKIPPED,
        )
        if bad:
            return None
        return Block(states, values, points=points)

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
        points = None
        if self.kernel.points:
            points = np.where(valid, self.opt_points.take(code, mode="clip"), 0.0)
        if whole:
            block.states = st
            block.values = values
            block.points = points
        else:
            block.states[self.opt_rows] = st
            block.values[self.opt_rows] = values
            if points is not None:
                block.points[self.opt_rows] = points
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
        earned = np.zeros(len(uniq))
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
            table[u] = share(qp, value)
            earned[u] = value
        block.values[qi] = np.where(answered, table[inverse], 0.0)
        if block.points is not None:
            block.points[qi] = np.where(answered, earned[inverse], 0.0)
        if qi in self.kernel.read:
            block.answers[qi] = Keyed(np.where(answered, inverse, -1), answers)


def _mask_meaning(
    qp: QuestionPlan, keys: Sequence[str], mask: float
) -> tuple[tuple[str, ...], float | None, str, str]:
    """The options a bit mask chooses and their points (``None`` with a message if bad)."""
    if not (mask >= 0 and mask == int(mask) and int(mask) < (1 << len(keys))):
        return (
            (),
            None,
            "not a bit mask of this question's options",
            f"a whole number 0..{(1 << len(keys)) - 1}",
        )
    chosen = tuple(k for b, k in enumerate(keys) if int(mask) >> b & 1)
    try:
        p = measure(qp, chosen)
    except BadAnswer as bad:
        return chosen, None, bad.message, bad.expected or ""
    assert p is not None
    return chosen, p, "", ""


def encode(qp: QuestionPlan, value: AnswerValue) -> tuple[int, float]:
    """State code and numpy code of one answer (``BadAnswer`` when it does not fit)."""
    if qp.codes:
        value = coded_state(qp.codes, value) or value
    if isinstance(value, State):
        problem = state_problem(qp, value)
        if problem:
            raise BadAnswer(problem)
        return STATE_CODE[value], math.nan
    question = qp.question
    if isinstance(question, TextQuestion):
        measure(qp, value)
        return SKIPPED, math.nan  # free text has no code
    measure(qp, value)  # raises for values that do not fit
    if isinstance(question, YesNo):
        return ANSWERED, float(bool(yes_no(value)))
    if isinstance(question, Numeric):
        assert isinstance(value, int | float)
        return ANSWERED, float(value)
    keys = list(qp.points)
    if isinstance(question, MultipleChoice):
        chosen = (value,) if isinstance(value, str) else value
        assert isinstance(chosen, tuple | list)
        return ANSWERED, float(sum(1 << keys.index(v) for v in chosen))
    key = option_key(value)
    assert key is not None
    return ANSWERED, float(keys.index(key))
