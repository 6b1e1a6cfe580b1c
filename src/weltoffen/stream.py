"""Scoring response tables too big to hold in memory: read, scored and written a chunk at a time.

:func:`score_table` reads CSV files and XLSX workbooks row by row through the reader every
table goes through (:class:`~weltoffen.serialization.sheet.SheetReader`, so a cell means the
same as it does for :func:`weltoffen.load_responses`), encodes each chunk of rows as codes,
scores the chunk with the vectorised kernel of :func:`weltoffen.score_many` (held bit for bit
equal to :func:`weltoffen.score` by the differential tests) and writes the results as CSV rows,
in the columns of :func:`weltoffen.reports.flat.format_csv`.

What it trades: no :class:`~weltoffen.Result` objects (no trace, no texts), only the flat table;
in return memory stays at a chunk of rows, whatever the size of the file. The one thing kept for
every row is its respondent id, to find one that appears twice in a file.

Output goes to a temporary file beside the target, renamed over it only when every row of every
file was read and scored without a problem; otherwise the target is left as it was and every
problem (up to :data:`PROBLEM_LIMIT`, then a count) is raised at once. The metadata columns are
those of the files' headers (``meta.<key>``), in the order they first appear, whether or not a
row fills them.

Needs numpy (``pip install 'weltoffen[numpy]'``).
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import math
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import attrs

from weltoffen._arguments import expect_plan
from weltoffen.exceptions import Problem, ProblemCode, ResponseError
from weltoffen.model.answers import State
from weltoffen.reports.flat import flat_header, inert_row
from weltoffen.scoring.answers import BadAnswer
from weltoffen.scoring.blocks import SKIPPED
from weltoffen.scoring.codes import encode
from weltoffen.serialization.api import atomic_file
from weltoffen.serialization.csv import open_table
from weltoffen.serialization.sheet import Column, Table, column_name, is_blank, metadata_key
from weltoffen.serialization.text import DEFAULT_ENCODING, read_lines

if TYPE_CHECKING:
    from weltoffen.model.questionnaire import Questionnaire
    from weltoffen.scoring.plan import QuestionPlan, ScoringPlan
    from weltoffen.scoring.results import Result

__all__ = ["PROBLEM_LIMIT", "Render", "render_table", "score_table"]

#: Problems kept for the error; more are counted. A column of a million rows with a wrong code
#: would otherwise fill the memory with problems no one reads.
PROBLEM_LIMIT = 1000
#: About this many bytes of codes are scored at a time, and at least this many rows.
_CHUNK_BYTES = 1 << 22
_MIN_ROWS = 256
#: Distinct cells remembered per column with what they mean: options and states repeat, so a
#: cell is read and checked once per column; numbers may not repeat, hence the bound.
_CACHE = 4096

_EMPTY = Problem(ProblemCode.TOO_FEW, "the file holds no responses", expected="one or more")

Progress = Callable[[int], object]
_T = TypeVar("_T")
_Code = tuple[int, float]


def score_table(
    plan: ScoringPlan,
    paths: Iterable[str | os.PathLike[str]],
    target: str | os.PathLike[str],
    *,
    dont_know: str = "dont_know",
    not_applicable: str = "not_applicable",
    encoding: str = DEFAULT_ENCODING,
    delimiter: str = ",",
    progress: Progress | None = None,
) -> int:
    """Score every row of the tables *paths* and write the results as CSV to *target*.

    Args:
        plan: From :func:`weltoffen.compile`.
        paths: CSV, TSV or XLSX files laid out as :mod:`weltoffen.serialization.csv`
            describes, of any size (``.xlsx`` by its suffix; workbooks need the extra
            ``xlsx``).
        target: The CSV file to write (replaced only when everything was scored).
        dont_know: The cell text that means "don't know".
        not_applicable: The cell text that means "not applicable".
        encoding: The text encoding of files that are neither marked nor valid UTF-8.
        delimiter: The field separator of *target*.
        progress: Called with the number of rows after each chunk is scored.

    Returns:
        The number of rows written.

    Raises:
        ResponseError: Every problem of every file (up to :data:`PROBLEM_LIMIT`, then a count),
            each at its file, line and column, a file without any response among them;
            *target* is then left as it was.
    """
    expect_plan("score_table(plan)", plan)
    names = [os.fspath(p) for p in paths]
    q = plan.questionnaire
    options = _Options(dont_know, not_applicable, encoding)
    dimensions = [d.id for _, d in q.iter_dimensions()]
    tail = [q.id, q.version, plan.fingerprint]
    with atomic_file(target, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        keys: list[str] = []
        run = _Run(q, names, options, progress)

        def scored(index: int, table: Table) -> Iterator[int]:
            nonlocal keys
            if index == run.first:  # the header row, once the first file's header is read
                later = _headers(q, names[index + 1 :], options)
                keys = _metadata_keys([table.header, *later])
                writer.writerow(inert_row(flat_header(dimensions, keys)))
            for chunk in _Coder(plan, table).chunks():
                if run.clean(table):
                    writer.writerows(_rows(plan, chunk, keys, tail))
                yield len(chunk.respondents)

        run.through(scored)
        if run.first is None:  # no file at all
            writer.writerow(inert_row(flat_header(dimensions, [])))
    return run.written


def render_table(
    plan: ScoringPlan,
    paths: Iterable[str | os.PathLike[str]],
    target: str | os.PathLike[str],
    render: Render,
    *,
    trace: bool = False,
    dont_know: str = "dont_know",
    not_applicable: str = "not_applicable",
    encoding: str = DEFAULT_ENCODING,
    progress: Progress | None = None,
) -> int:
    """Score every row of the tables *paths* with :func:`weltoffen.score` and write what
    *render* makes of the results to *target*, a chunk of rows at a time.

    For outputs that need the whole result of every respondent (JSON, the text table): memory
    stays at a chunk of responses and results. The files, the problems and the target are
    handled as :func:`score_table` handles them.

    Args:
        plan: From :func:`weltoffen.compile`.
        paths: CSV, TSV or XLSX files, as for :func:`score_table`.
        target: The text file to write (replaced only when everything was scored).
        render: Turns each chunk of results into text: called with the results and the
            number written before them; once more at the end with ``None`` and the number
            written in all (for a closing bracket, say).
        trace: Score with a trace.
        dont_know: The cell text that means "don't know".
        not_applicable: The cell text that means "not applicable".
        encoding: The text encoding of files that are neither marked nor valid UTF-8.
        progress: Called with the number of rows after each chunk is scored.

    Returns:
        The number of results written.

    Raises:
        ResponseError: As :func:`score_table`; an answer that does not fit its question is
            placed at its line and column.
    """
    from weltoffen.scoring.engine import score
    from weltoffen.serialization.responses import column_location

    expect_plan("render_table(plan)", plan)
    names = [os.fspath(p) for p in paths]
    options = _Options(dont_know, not_applicable, encoding)
    with atomic_file(target, "w", encoding="utf-8", newline="") as handle:
        run = _Run(plan.questionnaire, names, options, progress)

        def scored(index: int, table: Table) -> Iterator[int]:
            reader = table.reader
            columns = reader.header(table.header, table.header_line)
            rows = reader.rows(columns, len(table.header), table.records, separator=table.separator)
            for chunk in _batches(rows):
                results = []
                for line, who, row in chunk:
                    response = reader.response(columns, who, row, line)
                    try:
                        results.append(score(plan, response, trace=trace))
                    except ResponseError as exc:
                        for p in exc.problems:
                            where = column_location(p.location)
                            reader.note(
                                attrs.evolve(p, location=where, file=reader.file, line=line)
                            )
                if run.clean(table):
                    handle.write(render(results, run.written))
                yield len(chunk)

        run.through(scored)
        handle.write(render(None, run.written))
    return run.written


#: Text for a chunk of results, given the number written before it; at the end, given ``None``
#: and the number written in all.
Render = Callable[[Sequence["Result"] | None, int], str]

#: Responses scored one by one and rendered at a time.
_RESULTS = 1000


def _batches(rows: Iterator[_T]) -> Iterator[list[_T]]:
    while batch := list(itertools.islice(rows, _RESULTS)):
        yield batch


class _Run:
    """The files of one streamed scoring, each read through, with every problem kept."""

    def __init__(
        self,
        questionnaire: Questionnaire,
        names: Sequence[str],
        options: _Options,
        progress: Progress | None,
    ) -> None:
        self.questionnaire = questionnaire
        self.names = names
        self.options = options
        self.progress = progress
        self.problems: list[Problem] = []
        self.more = 0
        self.written = 0
        #: The index of the first file whose header could be read.
        self.first: int | None = None

    def clean(self, table: Table) -> bool:
        """Whether nothing is wrong so far: only then is anything written."""
        return not self.problems and not table.reader.problems

    def through(self, read: Callable[[int, Table], Iterator[int]]) -> None:
        """Open each file and let *read* take its rows, counting what it yields (rows read;
        written and shown as progress while nothing is wrong).

        Raises:
            ResponseError: With every problem of every file.
        """
        for index, name in enumerate(self.names):
            table: Table | None = None
            try:
                with _opened(name, self.questionnaire, self.options, limit=PROBLEM_LIMIT) as table:
                    if self.first is None:
                        self.first = index
                    rows = 0
                    for count in read(index, table):
                        rows += count
                        if self.clean(table):
                            self.written += count
                            if self.progress is not None:
                                self.progress(count)
                if not rows and not table.reader.problems:
                    # a command given such a file would write nothing and seem to succeed
                    table.reader.note(attrs.evolve(_EMPTY, file=name))
            except ResponseError as exc:  # the file cannot be read on (or at all)
                found = [] if table is None else _placed(name, table)
                self.problems += [*found, *(p for p in exc.problems if p not in found)]
            else:
                self.problems += _placed(name, table)
            if table is not None:
                self.more += table.reader.more
        if self.problems:
            raise ResponseError(_capped(self.problems, self.more))


def _capped(problems: Sequence[Problem], more: int) -> list[Problem]:
    more += max(0, len(problems) - PROBLEM_LIMIT)
    kept = list(problems[:PROBLEM_LIMIT])
    if more:
        kept.append(Problem(ProblemCode.TRUNCATED, f"... and {more} more problems like these"))
    return kept


class _Options(NamedTuple):
    dont_know: str
    not_applicable: str
    encoding: str


def _xlsx(name: str) -> bool:
    return Path(name).suffix.lower() == ".xlsx"


@contextlib.contextmanager
def _opened(
    name: str,
    questionnaire: Questionnaire,
    options: _Options,
    *,
    limit: int | None = None,
    header_only: bool = False,
) -> Iterator[Table]:
    """The table in the file *name* (an XLSX workbook or CSV text), read no further than its
    header; *header_only* when no more of it will be read."""
    if _xlsx(name):
        from weltoffen.serialization.xlsx import streamed_table

        with streamed_table(
            name, questionnaire, options.dont_know, options.not_applicable, limit=limit
        ) as table:
            yield table
        return
    with read_lines(name, ResponseError, encoding=options.encoding, streamed=header_only) as lines:
        yield open_table(
            lines, questionnaire, name, options.dont_know, options.not_applicable, limit=limit
        )


def _placed(name: str, table: Table) -> list[Problem]:
    """The problems of *table*, in file order; those of a workbook name their cell."""
    found = sorted(table.reader.problems, key=lambda p: p.line or 0)
    if _xlsx(name):
        from weltoffen.serialization.xlsx import locate_cells

        return locate_cells(found, table.header)
    return found


def _headers(
    questionnaire: Questionnaire, names: Sequence[str], options: _Options
) -> list[Sequence[object]]:
    """The header rows of the files *names* (of those that can be read: the others are read
    again for their rows, which says what is wrong in full)."""
    headers = []
    for name in names:
        try:
            with _opened(name, questionnaire, options, header_only=True) as table:
                headers.append(table.header)
        except ResponseError:
            continue
    return headers


def _metadata_keys(headers: Sequence[Sequence[object]]) -> list[str]:
    """The metadata keys the *headers* name, in the order they first appear."""
    keys: dict[str, None] = {}
    for cell in itertools.chain.from_iterable(headers):
        key = metadata_key(column_name(cell))
        if key is not None:
            keys.setdefault(key)
    return list(keys)


class _Chunk:
    """Rows read, then coded: their lines, respondents, metadata and cells, then the codes."""

    def __init__(self) -> None:
        self.lines: list[int] = []
        self.respondents: list[str] = []
        self.metadata: list[dict[str, Any]] = []
        self.rows: list[Sequence[object]] = []
        self.codes: Any = None
        self.states: Any = None


class _Known:
    """The cells of one column read so far, and what each means (its state and code).

    The first :data:`_CACHE` distinct cells are remembered; the meanings of later ones serve
    the chunk they are in and are then forgotten (numbers need not repeat).
    """

    def __init__(self) -> None:
        self.index: dict[object, int] = {"": 0, None: 0}
        self.meanings: list[_Code] = [_BLANK]
        self.kept = 1  # meanings[:kept] are those of the cells in index
        self._arrays: tuple[Any, Any] | None = None

    def add(self, cell: object, meaning: _Code) -> int:
        """Note what *cell* means; the index of that meaning."""
        self.meanings.append(meaning)
        self._arrays = None
        at = len(self.meanings) - 1
        if at == self.kept and at < _CACHE:
            self.index[cell] = at
            self.kept += 1
        return at

    def forget(self) -> None:
        """Drop the meanings of cells not remembered, which served the last chunk."""
        if len(self.meanings) > self.kept:
            del self.meanings[self.kept :]
            self._arrays = None

    def states(self) -> Any:
        return self._table()[0]

    def codes(self) -> Any:
        return self._table()[1]

    def _table(self) -> tuple[Any, Any]:
        import numpy as np

        if self._arrays is None:
            states, codes = zip(*self.meanings)
            self._arrays = (np.array(states, dtype=np.int8), np.array(codes, dtype=np.float64))
        return self._arrays


class _Coder:
    """Reads the rows of a table into chunks of codes, checking each cell once per column."""

    def __init__(self, plan: ScoringPlan, table: Table) -> None:
        self.plan = plan
        self.table = table
        self.reader = table.reader
        self.columns: list[Column] = self.reader.header(table.header, table.header_line)
        self.meta = [c for c in self.columns if c.metadata_key is not None]
        self.slots: list[tuple[int, int, QuestionPlan, _Known]] = [
            (c.position, plan.index[c.name], plan.questions[plan.index[c.name]], _Known())
            for c in self.columns
            if c.question is not None
        ]
        self.typed = table.separator is None
        self.size = max(_MIN_ROWS, _CHUNK_BYTES // (8 * max(1, len(plan.questions))))

    def chunks(self) -> Iterator[_Chunk]:
        """The rows in chunks of about :data:`_CHUNK_BYTES` of codes, coded."""
        reader = self.reader
        width = len(self.table.header)
        rows = reader.rows(self.columns, width, self.table.records, separator=self.table.separator)
        chunk = _Chunk()
        for line, who, row in rows:
            if len(row) < width:  # a spreadsheet row may end early
                row = [*row, *([None] * (width - len(row)))]
            chunk.lines.append(line)
            chunk.respondents.append(who)
            chunk.metadata.append(reader.metadata(self.meta, row))
            chunk.rows.append(row)
            if len(chunk.rows) >= self.size:
                yield self._coded(chunk)
                chunk = _Chunk()
        if chunk.rows:
            yield self._coded(chunk)

    def _coded(self, chunk: _Chunk) -> _Chunk:
        """*chunk* with its codes and states, a column at a time: each column's cells become
        indices into the meanings read so far, and a cell is read only the first time."""
        import numpy as np

        shape = (len(chunk.rows), len(self.plan.questions))
        chunk.codes = np.full(shape, math.nan)
        chunk.states = np.full(shape, SKIPPED, dtype=np.int8)
        cells_by_position = list(zip(*chunk.rows))
        for position, j, qp, known in self.slots:
            cells = cells_by_position[position]
            # spreadsheet cells have types: True equals 1 as a key but reads as "true"
            keys = [(c,) if c.__class__ is bool else c for c in cells] if self.typed else cells
            known.forget()
            try:
                at = np.fromiter(map(known.index.__getitem__, keys), np.intp, len(keys))
            except KeyError:  # a cell not seen before in this column
                at = np.array(
                    [
                        self._index(qp, known, chunk, i, c, k)
                        for i, (c, k) in enumerate(zip(cells, keys))
                    ]
                )
            chunk.states[:, j] = known.states()[at]
            chunk.codes[:, j] = known.codes()[at]
        chunk.rows = []
        return chunk

    def _index(
        self, qp: QuestionPlan, known: _Known, chunk: _Chunk, i: int, cell: object, key: object
    ) -> int:
        """The index among the meanings *known* of what *cell* (row *i* of *chunk*) means."""
        at = known.index.get(key)
        if at is not None:
            return at
        hit = self._read(qp, cell, chunk.lines[i], chunk.respondents[i])
        # a cell that does not fit is noted: nothing is written then, and any index will do
        return 0 if hit is None else known.add(key, hit)

    def _read(self, qp: QuestionPlan, cell: object, line: int, who: str) -> _Code | None:
        """What *cell* means for *qp*: its state and code; ``None`` (with the problem noted)
        where it does not fit."""
        if is_blank(cell):
            hit: _Code = _BLANK
        else:
            value = self.reader.answer(qp.question, cell, line, who)
            if value is None:
                return None  # noted by the reader
            try:
                hit = encode(qp, value)
            except BadAnswer as bad:
                # the problem score() would raise, placed as the table readers place it
                state = isinstance(value, State)
                self.reader.note(
                    Problem(
                        ProblemCode.STATE_NOT_OFFERED if state else ProblemCode.BAD_ANSWER,
                        f"{bad.message} (respondent {who!r})",
                        location=(qp.question.id,),
                        expected=None if state else bad.expected,
                        got=None if state else repr(value),
                        file=self.reader.file,
                        line=line,
                    )
                )
                return None
        return hit


_BLANK: _Code = (SKIPPED, math.nan)


def _rows(
    plan: ScoringPlan, chunk: _Chunk, keys: Sequence[str], tail: Sequence[str]
) -> Iterator[Sequence[object]]:
    """The CSV rows of a chunk: scored by the kernel, cells as :func:`format_csv` writes them."""
    from weltoffen.scoring.batch import result_columns, score_many

    scored = score_many(plan, chunk.codes, states=chunk.states)
    # assembled a column at a time, for the writer to take row by row
    return zip(
        inert_row(chunk.respondents),
        *(_cells(scored[name]) for name in result_columns(plan)),
        *(inert_row([meta.get(key) for meta in chunk.metadata]) for key in keys),
        *map(itertools.repeat, inert_row(tail)),
    )


def _cells(values: Any) -> list[object]:
    """A result column as CSV cells: NaN (no score) as ``None``, text (band ids) made inert."""
    out: list[object] = values.tolist()
    if values.dtype == object:
        return inert_row(out)
    return [None if v != v else v for v in out]
