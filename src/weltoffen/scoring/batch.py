"""Scoring many responses at once: a compiled plan run vectorised over a wide table.

:func:`score_many` takes one row per respondent and one column per question id, from a numpy
array of codes, a pandas DataFrame or a polars DataFrame, and returns per respondent the overall
score, coverage and band and those of every dimension: the numbers :func:`weltoffen.score` gives
for each row alone. numpy (and pandas or polars for their tables) is needed only when this module
is used: ``pip install weltoffen[numpy]``, ``[pandas]`` or ``[polars]``.

How each input encodes answers and states is described in ``docs/batch.md``; in short:

* DataFrames hold answers as :func:`weltoffen.score` takes them in a response (option values,
  ``True``/``False``, numbers, lists of options); a missing value (``None``, NaN, null) is skipped,
  and the strings ``"dont_know"``, ``"not_applicable"`` and ``"skipped"`` are those states.
* numpy input is a float array of codes (option index, 1/0 for yes/no, the number, a bit mask of
  chosen options), NaN for no answer, plus an optional int8 array of state codes
  (:data:`ANSWERED`, :data:`DONT_KNOW`, :data:`NOT_APPLICABLE`, :data:`SKIPPED`).
  :func:`to_codes` builds both from responses.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from weltoffen._arguments import expect_plan, many, wrong
from weltoffen.exceptions import Problem, ProblemCode, ResponseError
from weltoffen.model.answers import Response, State
from weltoffen.scoring.answers import BadAnswer
from weltoffen.scoring.blocks import ANSWERED, DONT_KNOW, NOT_APPLICABLE, SKIPPED
from weltoffen.scoring.codes import NumpyReader, encode
from weltoffen.scoring.frames import FrameReader
from weltoffen.scoring.kernel import STATUSES, Kernel, band_codes, status_codes
from weltoffen.scoring.plan import ScoringPlan
from weltoffen.scoring.reading import Problems, Reader

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "ANSWERED",
    "DONT_KNOW",
    "NOT_APPLICABLE",
    "SKIPPED",
    "question_ids",
    "result_columns",
    "score_many",
    "to_codes",
]

#: A block of about this many bytes of codes is scored at a time: small enough to stay in the
#: processor's cache, large enough that numpy's per-call cost does not matter.
_BLOCK_BYTES = 1 << 20
_MIN_ROWS, _MAX_ROWS = 256, 1 << 16
#: Threads at most that score chunks of a numpy array side by side, and their chunks' size.
_MAX_WORKERS = 4
_THREAD_BLOCK_BYTES = 1 << 22
#: DataFrames are read this many bytes' worth of rows at a time (as float codes).
_FRAME_BYTES = 1 << 26


def question_ids(plan: ScoringPlan) -> tuple[str, ...]:
    """The question ids in plan order: the default column order of numpy input."""
    return tuple(qp.question.id for qp in plan.questions)


def _layout(plan: ScoringPlan) -> list[tuple[int, str]]:
    """(node index, column prefix) of the root and then every dimension, depth first."""
    by_id = {node.id: i for i, node in enumerate(plan.nodes[:-1])}
    order = [(len(plan.nodes) - 1, "")]
    order += [(by_id[dim.id], f"{dim.id}.") for _, dim in plan.questionnaire.iter_dimensions()]
    return order


def result_columns(plan: ScoringPlan, *, status: bool = False, points: bool = False) -> list[str]:
    """Names of the columns :func:`score_many` returns, in order.

    ``score``, ``coverage`` and ``band`` of the whole questionnaire, then ``<id>.score``,
    ``<id>.coverage`` and ``<id>.band`` of each dimension, depth first; with *points*, each
    node's ``points`` after its ``score``; with *status*, each node's ``status`` after its
    ``band``.
    """
    fields = ("score", "points", "coverage", "band", "status")
    chosen = [f for f in fields if (f != "status" or status) and (f != "points" or points)]
    return [f"{prefix}{field}" for _, prefix in _layout(plan) for field in chosen]


def score_many(
    plan: ScoringPlan,
    data: Any,
    *,
    states: Any = None,
    columns: Sequence[str] | None = None,
    keep: Sequence[str] = (),
    chunk_rows: int | None = None,
    status: bool = False,
    points: bool = False,
) -> Any:
    """Score every row of a wide table: the numbers of :func:`weltoffen.score`, vectorised.

    Args:
        plan: From :func:`weltoffen.compile`.
        data: A pandas or polars DataFrame with a column per question id (other columns are
            ignored, missing question columns count as skipped), or a 2-D numpy array of codes
            (rows: respondents, columns: *columns*).
        states: For numpy input: an integer array of the same shape with state codes
            (:data:`ANSWERED`, :data:`DONT_KNOW`, :data:`NOT_APPLICABLE`, :data:`SKIPPED`);
            without it, NaN means skipped and every other code answered. For DataFrames: a
            DataFrame of the same kind and length whose question columns hold state names
            (``"dont_know"``, ...) that replace the value in *data*; null leaves it as it is. Use
            it for typed columns (numbers, booleans, lists) that cannot hold a state name.
        columns: For numpy input: the question id of each column (default: :func:`question_ids`).
        keep: For DataFrames: columns to copy into the result first (a respondent id, say).
        chunk_rows: Respondents scored at a time (default: sized to the processor's cache).
        status: Also give each node's ``status``: the value of the
            :class:`~weltoffen.scoring.results.Status` that ``score()`` gives it
            (``"scored"``, ``"not_applicable"`` or ``"not_assessable"``).
        points: Also give each node's ``points`` in the instrument's own units (the instrument's
            total, as :attr:`~weltoffen.scoring.results.Result.points`).

    Returns:
        The kind of table that came in: a pandas DataFrame (same index) for pandas, a polars
        DataFrame for polars, and a dict of 1-D numpy arrays for numpy. Columns as named by
        :func:`result_columns`: scores 0..100 and coverages 0..1 as floats (NaN, or null in
        polars, where ``score()`` gives ``None``), bands as band ids (categorical in pandas;
        ``None`` where there is no band), statuses as their values (categorical in pandas).
        A pandas table names its instrument, version and fingerprint in ``attrs`` (for the
        other kinds, read them from the plan: ``plan.fingerprint``).

    Raises:
        ResponseError: A cell does not fit its question, a state is not allowed, or the numpy
            arrays do not fit the columns; the first 50 problems are listed, each at
            ``rows[<position>].<question id>``, with a count of the rest.
        TypeError: *data* is not a table (a single response or mapping of answers is refused:
            :func:`weltoffen.score` scores one respondent, :func:`to_codes` encodes responses).
    """
    expect_plan("score_many(plan)", plan)
    kernel = Kernel(plan, points=points)
    problems = Problems()
    flavour = _flavour(data)
    reader: Reader
    if flavour == "numpy":
        reader = _numpy_reader(kernel, problems, data, states, columns)
    else:
        if columns is not None:
            raise TypeError("columns= applies to numpy input only")
        found = [
            Problem(ProblemCode.NOT_FOUND, "no such column", location=("keep", name))
            for name in keep
            if name not in data.columns
        ]
        if states is not None and (_flavour(states) != flavour or len(states) != len(data)):
            found.append(
                Problem(
                    ProblemCode.WRONG_TYPE,
                    "states must be a DataFrame of the same kind and length as data",
                    location=("states",),
                    expected=f"{flavour} with {len(data)} rows",
                    got=type(states).__name__,
                )
            )
        if found:
            raise ResponseError(found)
        reader = FrameReader(kernel, problems, data, flavour, states)
    scores, coverages, bands, earned = _run(kernel, reader, problems, chunk_rows)
    table = _output(
        plan,
        kernel,
        flavour,
        data,
        keep,
        scores,
        coverages,
        bands,
        status,
        earned if points else None,
    )
    if flavour == "pandas":  # the one flavour whose tables carry metadata
        q = plan.questionnaire
        table.attrs.update(instrument=q.id, version=q.version, fingerprint=plan.fingerprint)
    return table


def _flavour(data: Any) -> str:
    module = type(data).__module__.split(".")[0]
    name = type(data).__name__
    if module == "pandas" and name == "DataFrame":
        return "pandas"
    if module == "polars" and name == "DataFrame":
        return "polars"
    if module == "numpy" or hasattr(data, "__array__"):
        return "numpy"
    if isinstance(data, Response | Mapping):
        hint = "to score one respondent, call weltoffen.score(plan, response_or_answers)"
    elif isinstance(data, list | tuple) and data and isinstance(data[0], Response):
        hint = "encode responses first: codes, states = to_codes(plan, responses)"
    else:
        hint = None
    raise wrong(
        "score_many(data)",
        "a table with one row per respondent: a numpy array, a pandas or a polars DataFrame",
        data,
        hint,
    )


def _numpy_reader(
    kernel: Kernel, problems: Problems, data: Any, states: Any, columns: Sequence[str] | None
) -> NumpyReader:
    import numpy as np

    codes = np.asarray(data)
    if columns is None:
        columns = question_ids(kernel.plan)
    found: list[Problem] = []
    if codes.ndim != 2 or codes.shape[1] != len(columns):
        found.append(
            Problem(
                ProblemCode.WRONG_TYPE,
                "codes must be a 2-D array with one column per question",
                location=("data",),
                expected=f"shape (respondents, {len(columns)})",
                got=repr(codes.shape),
            )
        )
    if not (
        np.issubdtype(codes.dtype, np.floating)
        or np.issubdtype(codes.dtype, np.integer)
        or codes.dtype == np.bool_
    ):
        found.append(
            Problem(
                ProblemCode.WRONG_TYPE,
                "codes must be numbers",
                location=("data",),
                expected="a float array",
                got=str(codes.dtype),
            )
        )
    if states is not None:
        states = np.asarray(states)
        if states.shape != codes.shape or not np.issubdtype(states.dtype, np.integer):
            found.append(
                Problem(
                    ProblemCode.WRONG_TYPE,
                    "states must be an integer array shaped like the codes",
                    location=("states",),
                    expected=repr(codes.shape),
                    got=f"{states.dtype} {states.shape}",
                )
            )
    seen: set[str] = set()
    for j, qid in enumerate(columns):
        if qid not in kernel.plan.index:
            found.append(
                Problem(
                    ProblemCode.UNKNOWN_QUESTION,
                    f"unknown question {qid!r}",
                    location=("columns", j),
                    expected="a question id of the questionnaire",
                )
            )
        elif qid in seen:
            found.append(
                Problem(
                    ProblemCode.DUPLICATE_ID,
                    f"question {qid!r} appears twice",
                    location=("columns", j),
                )
            )
        seen.add(qid)
    if found:
        raise ResponseError(found)
    return NumpyReader(kernel, problems, codes, states, list(columns))


def _rows_for(budget: int, kernel: Kernel) -> int:
    return max(_MIN_ROWS, min(_MAX_ROWS, budget // (8 * max(1, kernel.n))))


def _run(
    kernel: Kernel, reader: Reader, problems: Problems, chunk_rows: int | None
) -> tuple[Any, Any, Any, Any]:
    import numpy as np

    if chunk_rows is not None and chunk_rows < 1:
        raise ValueError(f"chunk_rows must be at least 1 (got {chunk_rows})")
    # the kernel works on cache-sized pieces; a DataFrame is read in larger chunks, since each
    # column costs a fixed overhead per chunk read
    piece = chunk_rows or _rows_for(_BLOCK_BYTES, kernel)
    workers = _workers(reader, -(-reader.rows // piece))
    if workers > 1 and chunk_rows is None:
        # side by side, each thread's numpy calls cost the lock a little: fewer, larger chunks
        piece = _rows_for(_THREAD_BLOCK_BYTES, kernel)
    read = piece if isinstance(reader, NumpyReader) else max(piece, _rows_for(_FRAME_BYTES, kernel))
    rows = reader.rows
    nodes = len(kernel.specs)
    scores = np.empty((nodes, rows))
    coverages = np.empty((nodes, rows))
    bands = np.empty((nodes, rows), dtype=np.int16)
    points = np.empty((nodes, rows)) if kernel.points else None

    def score(start: int) -> None:
        stop = min(rows, start + read)
        block = reader.block(start, stop)
        if problems.count:
            return  # keep reading, to report problems of later rows too; score nothing
        for first in range(0, stop - start, piece):
            last = min(stop - start, first + piece)
            part = block if (first, last) == (0, stop - start) else block.rows(first, last)
            at = slice(start + first, start + last)
            for i, (score, coverage, earned) in enumerate(kernel.run(part)):
                scores[i, at] = score
                coverages[i, at] = coverage
                if points is not None:
                    points[i, at] = earned

    starts = range(0, rows, read)
    workers = min(workers, len(starts))  # the larger chunks may be fewer than the threads
    if workers > 1:
        # numpy lets go of the interpreter lock in its loops, so chunks run side by side; the
        # chunks write to their own columns of the result arrays
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(score, starts))
        if problems.count:  # found side by side, in no set order: read again, in order
            problems.clear()
            for start in starts:
                reader.block(start, min(rows, start + read))
    else:
        for start in starts:
            score(start)
    if problems.count:
        raise ResponseError(problems.result())
    for i, spec in enumerate(kernel.specs):
        bands[i] = band_codes(spec, scores[i], None if points is None else points[i])
    return scores, coverages, bands, points


def _workers(reader: Reader, chunks: int) -> int:
    """Threads to score *chunks* with: one per processor for numpy arrays of several chunks.

    Readers of DataFrames call into pandas and polars, whose objects are not shared across
    threads here; plugin aggregations run Python code that would only queue for the lock.
    """
    if not isinstance(reader, NumpyReader) or chunks < 4 or reader.kernel.row_by_row:
        return 1
    return min(_MAX_WORKERS, os.cpu_count() or 1, chunks)


def _output(
    plan: ScoringPlan,
    kernel: Kernel,
    flavour: str,
    data: Any,
    keep: Sequence[str],
    scores: Any,
    coverages: Any,
    bands: Any,
    status: bool,
    points: Any,
) -> Any:
    import numpy as np

    columns: dict[str, Any] = {}
    # columns of codes into a list of names: bands, and statuses
    band_ids: dict[str, list[str]] = {}
    for node_index, prefix in _layout(plan):
        ids = [b.id for b in kernel.specs[node_index].node.bands]
        columns[f"{prefix}score"] = scores[node_index]
        if points is not None:
            columns[f"{prefix}points"] = points[node_index]
        columns[f"{prefix}coverage"] = coverages[node_index]
        columns[f"{prefix}band"] = bands[node_index]
        band_ids[f"{prefix}band"] = ids
        if status:
            columns[f"{prefix}status"] = status_codes(scores[node_index], coverages[node_index])
            band_ids[f"{prefix}status"] = list(STATUSES)
    if flavour == "numpy":
        for name, ids in band_ids.items():
            table = np.array([*ids, None], dtype=object)
            columns[name] = table[columns[name]]
        return columns
    if flavour == "pandas":
        import pandas as pd

        out = {name: data[name].to_numpy() for name in keep}
        for name, array in columns.items():
            if name in band_ids:
                out[name] = pd.Categorical.from_codes(array, categories=band_ids[name])
            else:
                out[name] = array
        return pd.DataFrame(out, index=data.index, copy=False)
    import polars as pl

    series = [data.get_column(name) for name in keep]
    for name, array in columns.items():
        if name in band_ids:
            table = np.array([*band_ids[name], None], dtype=object)
            series.append(pl.Series(name, table[array].tolist(), dtype=pl.String))
        else:
            series.append(pl.Series(name, array).fill_nan(None))
    return pl.DataFrame(series)


def to_codes(
    plan: ScoringPlan, responses: Iterable[Response]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int8]]:
    """Encode responses as the numpy input of :func:`score_many` (columns: :func:`question_ids`).

    Free-text answers have no code and are left out (their questions count as skipped).

    Returns:
        The float array of codes (NaN where there is no answer) and the int8 array of states.

    Raises:
        ResponseError: An answer names an unknown question or does not fit its question.
        TypeError: *responses* is a single response or mapping rather than a list of them.
    """
    import numpy as np

    expect_plan("to_codes(plan)", plan)
    responses = many(
        "to_codes(responses)",
        responses,
        Response,
        "to_codes encodes many responses: for one, pass [response]",
    )
    n = len(plan.questions)
    codes = np.full((len(responses), n), np.nan)
    states = np.full((len(responses), n), SKIPPED, dtype=np.int8)
    found: list[Problem] = []
    for r, response in enumerate(responses):
        for qid, value in response.answers.items():
            qi = plan.index.get(qid)
            if qi is None:
                found.append(
                    Problem(
                        ProblemCode.UNKNOWN_QUESTION,
                        f"unknown question {qid!r}",
                        location=("rows", r, qid),
                    )
                )
                continue
            try:
                states[r, qi], codes[r, qi] = encode(plan.questions[qi], value)
            except BadAnswer as bad:
                # encode() refuses a state the question does not offer, and any other misfit
                code = (
                    ProblemCode.STATE_NOT_OFFERED
                    if isinstance(value, State)
                    else ProblemCode.BAD_ANSWER
                )
                found.append(
                    Problem(
                        code,
                        bad.message,
                        location=("rows", r, qid),
                        expected=bad.expected,
                        got=repr(value),
                    )
                )
    if found:
        raise ResponseError(found)
    return codes, states
