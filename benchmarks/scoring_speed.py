"""Scoring speed on plain instruments, each against a reference measured in the same run.

e. ``score()``, one response of a plain 100-item instrument (7 dimensions of 14-15 five-point
   items, 5 % "don't know", 5 % skipped), no trace, against a hand-written Python loop over a dict
   of option values computing the same dimension means and their mean (and again without
   score()'s compiled path, as where it is not built);
f. ``score_many`` on 1,000,000 x 100 float codes (10 % NaN) of the same instrument against
   hand-written numpy (per dimension block: mask NaN, ``np.where`` to 0, sum and count along rows,
   divide; then the mean over dimensions), and against one ``codes.sum()`` pass (the memory
   bandwidth limit);
g. ``score_many`` on the 25 items of psych's bfi (5 scales, reverse keys) replicated to 2.8M rows
   against base-R ``rowMeans`` scoring and psych ``scoreItems(impute="none")`` of the same rows
   (skipped, with the reason, when Rscript or psych is not there);
h. ``weltoffen score QUESTIONNAIRE big.csv -o out.csv`` on 1,000,000 respondents of the plain
   instrument (the codes of f. as option values, 10 % empty cells): the peak memory of the command
   (target: at most 1 GB, rows written as they are scored) and its wall time against
   ``score_many`` on the same rows in Python (no target: the command also reads, checks and
   writes text).
"""

from __future__ import annotations

import contextlib
import random
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import weltoffen as w

#: dimension sizes of the plain instrument: 5 x 14 + 2 x 15 = 100 items
PLAIN_SIZES = (14, 14, 14, 14, 14, 15, 15)


@contextlib.contextmanager
def python_loops() -> Iterator[None]:
    """``score()`` without its compiled path, as where it is not built (``WELTOFFEN_NATIVE=0``)."""
    from weltoffen.scoring import engine

    kept = engine.native
    engine.native = None
    try:
        yield
    finally:
        engine.native = kept


def compiled_path() -> str:
    """Whether ``score()`` runs its compiled path here, for the header of a run."""
    from weltoffen.scoring import engine

    return "compiled path of score(): " + ("in use" if engine.native else "not built")


def plain_questionnaire() -> w.Questionnaire:
    """The plain instrument: five-point items with "don't know", weighted means, no bands."""
    scale = w.Scale(id="five", options=tuple(w.Option(value=str(p), points=p) for p in range(1, 6)))
    dims = []
    for d, size in enumerate(PLAIN_SIZES):
        questions = tuple(
            w.ScaleQuestion(id=f"d{d}q{i}", scale="five", dont_know=True) for i in range(size)
        )
        dims.append(w.Dimension(id=f"d{d}", questions=questions))
    return w.Questionnaire(id="plain", scales=(scale,), dimensions=tuple(dims))


def plain_response(seed: int = 3) -> w.Response:
    """5 % "don't know", 5 % skipped (left out), the rest a random option."""
    rnd = random.Random(seed)
    answers: dict[str, Any] = {}
    for d, size in enumerate(PLAIN_SIZES):
        for i in range(size):
            x = rnd.random()
            if x < 0.05:
                answers[f"d{d}q{i}"] = w.DONT_KNOW
            elif x >= 0.10:
                answers[f"d{d}q{i}"] = str(rnd.randint(1, 5))
    return w.Response(respondent="plain", answers=answers)


def plain_loop_tables() -> tuple[list[list[str]], dict[str, float]]:
    """Question ids per dimension and the option values -> points, for :func:`plain_loop`."""
    ids = [[f"d{d}q{i}" for i in range(size)] for d, size in enumerate(PLAIN_SIZES)]
    return ids, {str(p): float(p) for p in range(1, 6)}


def plain_loop(
    ids: list[list[str]], points: dict[str, float], answers: Mapping[str, Any]
) -> tuple[float, list[float]]:
    """The hand loop: per dimension the mean of (p - 1) / 4 over answered items, x 100; then
    the mean of the dimension scores."""
    means = []
    for block in ids:
        total = 0.0
        n = 0
        for qid in block:
            p = points.get(answers.get(qid))  # type: ignore[arg-type]
            if p is not None:
                total += (p - 1.0) / 4.0
                n += 1
        means.append(100.0 * total / n)
    return sum(means) / len(means), means


def plain_codes(rows: int, seed: int = 7) -> Any:
    """Float codes 0..4 (option indices), 10 % NaN."""
    import numpy as np

    rng = np.random.default_rng(seed)
    codes = rng.integers(0, 5, size=(rows, 100)).astype(np.float64)
    codes[rng.random((rows, 100)) < 0.10] = np.nan
    return codes


def numpy_blocks(codes: Any) -> tuple[Any, list[Any]]:
    """The numpy reference: per block of columns, mask NaN, zero it, sum and count, divide."""
    import numpy as np

    scores = []
    start = 0
    for size in PLAIN_SIZES:
        block = codes[:, start : start + size]
        start += size
        answered = ~np.isnan(block)
        total = np.where(answered, block, 0.0).sum(axis=1)
        count = answered.sum(axis=1)
        scores.append(100.0 * (total / 4.0) / count)
    return sum(scores) / len(scores), scores


# -- bfi -----------------------------------------------------------------------------------------

BFI_SCALES = ("A", "C", "E", "N", "O")
#: the reverse-keyed items of the bfi (psych's own keys list)
BFI_REVERSED = frozenset({"A1", "C4", "C5", "E1", "E2", "O2", "O5"})
BFI_ITEMS = tuple(f"{s}{i}" for s in BFI_SCALES for i in range(1, 6))


def bfi_questionnaire() -> w.Questionnaire:
    """The 25 bfi items (1..6), five scales, reverse keys; missing answers left out."""
    scale = w.Scale(id="six", options=tuple(w.Option(value=str(p), points=p) for p in range(1, 7)))
    dims = tuple(
        w.Dimension(
            id=s,
            questions=tuple(
                w.ScaleQuestion(id=f"{s}{i}", scale="six", reverse=f"{s}{i}" in BFI_REVERSED)
                for i in range(1, 6)
            ),
        )
        for s in BFI_SCALES
    )
    return w.Questionnaire(id="bfi", scales=(scale,), dimensions=dims)


def rscript() -> str | None:
    """Why R rows cannot run, or ``None`` when Rscript with psych is there."""
    if shutil.which("Rscript") is None:
        return "Rscript is not installed"
    done = subprocess.run(
        ["Rscript", "-e", "suppressMessages(library(psych))"], capture_output=True, text=True
    )
    return None if done.returncode == 0 else "the R package psych is not installed"


_R_SCRIPT = r"""
suppressMessages(library(psych))
args <- commandArgs(trailingOnly = TRUE)
copies <- as.integer(args[1]); repeats <- as.integer(args[2])
items <- as.matrix(bfi[, 1:25])
write.csv(bfi[, 1:25], args[3], row.names = FALSE, na = "")
x <- items[rep(seq_len(nrow(items)), copies), ]
keys <- list(A = c("-A1", "A2", "A3", "A4", "A5"), C = c("C1", "C2", "C3", "-C4", "-C5"),
             E = c("-E1", "-E2", "E3", "E4", "E5"), N = c("N1", "N2", "N3", "N4", "N5"),
             O = c("O1", "-O2", "O3", "O4", "-O5"))
rowmeans <- function() {
  out <- list()
  for (s in names(keys)) {
    k <- keys[[s]]; rev <- startsWith(k, "-"); ids <- sub("-", "", k)
    block <- x[, ids]
    block[, rev] <- 7 - block[, rev]
    out[[s]] <- rowMeans(block, na.rm = TRUE)
  }
  out
}
best <- function(f) min(sapply(seq_len(repeats), function(i) system.time(f())[["elapsed"]]))
t1 <- best(rowmeans)
t2 <- best(function() scoreItems(keys, x, impute = "none", min = 1, max = 6))
m <- rowmeans()
cat(t1, t2, m$A[1:50], "\n")
"""


def bfi_r(copies: int, repeats: int, csv: Path) -> tuple[float, float, list[float]]:
    """R's times (rowMeans, scoreItems) on the replicated bfi; writes the 2,800 rows to *csv*;
    the first 50 rowMeans scores of the agreeableness scale, to check the numbers."""
    with tempfile.NamedTemporaryFile("w", suffix=".R", delete=False) as f:
        f.write(_R_SCRIPT)
    done = subprocess.run(
        ["Rscript", f.name, str(copies), str(repeats), str(csv)],
        capture_output=True,
        text=True,
        check=True,
    )
    Path(f.name).unlink()
    numbers = [float(x) if x != "NaN" else float("nan") for x in done.stdout.split()]
    return numbers[0], numbers[1], numbers[2:]


def bfi_codes(csv: Path, copies: int) -> Any:
    """The bfi rows as codes (answer - 1, NaN where missing), replicated *copies* times."""
    import numpy as np

    base = np.genfromtxt(csv, delimiter=",", skip_header=1, dtype=np.float64)
    return np.tile(base - 1.0, (copies, 1))


Section = Callable[[Any, bool], None]


class Tools:
    """What the sections take from run.py: timing, the table and the verdict on a target."""

    def __init__(
        self,
        best_pair: Callable[..., tuple[float, float]],
        verdict: Callable[[bool], str],
    ) -> None:
        self.best_pair = best_pair
        self.verdict = verdict


def _ratio_row(
    table: Any,
    tools: Tools,
    name: str,
    ours: float,
    ref: float,
    unit: float,
    suffix: str,
    target: float | None,
) -> None:
    ratio = ours / ref
    goal = f"<= {target}x: {tools.verdict(ratio <= target)}" if target is not None else "(none)"
    table.add(
        name, f"{ours * unit:.1f} {suffix}", f"{ref * unit:.1f} {suffix}", f"{ratio:.2f}x", goal
    )


def plain_single(table: Any, quick: bool, tools: Tools) -> None:
    plan = w.compile(plain_questionnaire())
    response = plain_response()
    ids, points = plain_loop_tables()
    result = w.score(plan, response)
    overall, means = plain_loop(ids, points, response.answers)
    # the reference must compute the same numbers, or the comparison means nothing
    assert abs(overall - (result.score or 0.0)) < 1e-9, (overall, result.score)
    assert all(abs(m - (d.score or 0.0)) < 1e-9 for m, d in zip(means, result.dimensions))
    answers = response.answers
    number, repeat = (200, 5) if quick else (3000, 15)
    ours, ref = tools.best_pair(
        lambda: w.score(plan, response), lambda: plain_loop(ids, points, answers), repeat, number
    )
    _ratio_row(
        table, tools, "e. plain 100 items, one response, no trace", ours, ref, 1e6, "µs", 1.5
    )
    with python_loops():
        ours, ref = tools.best_pair(
            lambda: w.score(plan, response),
            lambda: plain_loop(ids, points, answers),
            repeat,
            number,
        )
    _ratio_row(table, tools, "e. the same, Python loops only", ours, ref, 1e6, "µs", None)


def plain_batch(table: Any, quick: bool, tools: Tools) -> None:
    import numpy as np

    from weltoffen.scoring.batch import score_many

    rows = 20_000 if quick else 1_000_000
    plan = w.compile(plain_questionnaire())
    codes = plain_codes(rows)
    ours_out = score_many(plan, codes)
    overall, scores = numpy_blocks(codes)
    assert np.allclose(ours_out["score"], overall, rtol=1e-12, atol=1e-12, equal_nan=True)
    for d, s in enumerate(scores):
        assert np.allclose(ours_out[f"d{d}.score"], s, rtol=1e-12, atol=1e-12, equal_nan=True)
    repeat = 3 if quick else 5
    ours, ref = tools.best_pair(
        lambda: score_many(plan, codes), lambda: numpy_blocks(codes), repeat
    )
    size = f"{rows:,} x 100"
    _ratio_row(
        table, tools, f"f. plain score_many, {size} / numpy blocks", ours, ref, 1e3, "ms", 1.0
    )
    _, one_pass = tools.best_pair(lambda: None, codes.sum, repeat)
    _ratio_row(
        table, tools, f"f. plain score_many, {size} / codes.sum()", ours, one_pass, 1e3, "ms", 2.0
    )


def bfi_batch(table: Any, quick: bool, tools: Tools) -> None:
    import numpy as np

    from weltoffen.scoring.batch import score_many

    why = rscript()
    if why is not None:
        table.add(
            "g. bfi score_many / R rowMeans, psych scoreItems", "-", "-", "-", f"skipped: {why}"
        )
        return
    copies = 20 if quick else 1000
    repeat = 2 if quick else 3
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "bfi.csv"
        r_means, r_items, first = bfi_r(copies, repeat, csv)
        codes = bfi_codes(csv, copies)
    plan = w.compile(bfi_questionnaire())
    columns = list(BFI_ITEMS)
    out = score_many(plan, codes, columns=columns)
    # R's mean on 1..6 is 1 + 5 * score / 100
    ours_a = 1.0 + 5.0 * np.asarray(out["A.score"][:50]) / 100.0
    assert np.allclose(ours_a, np.array(first), rtol=1e-12, equal_nan=True)
    ours, _ = tools.best_pair(
        lambda: score_many(plan, codes, columns=columns), lambda: None, repeat
    )
    size = f"{len(codes):,} x 25"
    _ratio_row(
        table, tools, f"g. bfi score_many, {size} / R rowMeans", ours, r_means, 1e3, "ms", 1.0
    )
    _ratio_row(
        table, tools, f"g. bfi score_many, {size} / psych scoreItems", ours, r_items, 1e3, "ms", 0.1
    )


def _peak_megabytes(stderr: str) -> float:
    """The peak resident memory a child printed (VmHWM, in kilobytes)."""
    return int(stderr.strip().splitlines()[-1]) / 1024


def plain_command(table: Any, quick: bool, tools: Tools) -> None:
    import csv
    import sys

    from weltoffen.scoring.batch import score_many

    rows = 100_000 if quick else 1_000_000
    questionnaire = plain_questionnaire()
    plan = w.compile(questionnaire)
    codes = plain_codes(rows)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        w.dump_questionnaire(questionnaire, folder / "plain.yaml")
        ids = [qp.question.id for qp in plan.questions]
        with (folder / "big.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["respondent", *ids])
            for start in range(0, rows, 10_000):
                block = codes[start : start + 10_000].tolist()
                writer.writerows(
                    [f"r{start + i}", *("" if c != c else str(int(c) + 1) for c in row)]
                    for i, row in enumerate(block)
                )
        # The peak is read by the command's own process from its memory map (VmHWM): rusage
        # (ru_maxrss) of a child on Linux keeps the peak of the process it was forked from.
        run = (
            "import sys\n"
            "from weltoffen.cli import main\n"
            "status = main(sys.argv[1:])\n"
            "try:\n"
            "    with open('/proc/self/status') as f:\n"
            "        peak = next(l for l in f if l.startswith('VmHWM')).split()[1]\n"
            "except (OSError, StopIteration):\n"
            "    peak = -1  # not Linux\n"
            "print(peak, file=sys.stderr)\n"
            "sys.exit(status)\n"
        )
        command = [sys.executable, "-c", run, "score", "-q", "plain.yaml", "big.csv"]
        start = time.perf_counter()
        done = subprocess.run(
            [*command, "-o", "out.csv"], cwd=folder, capture_output=True, text=True, check=True
        )
        wall = time.perf_counter() - start
        peak = _peak_megabytes(done.stderr)
        with (folder / "out.csv").open(encoding="utf-8", newline="") as handle:
            first = next(csv.DictReader(handle))
    expected = score_many(plan, codes[:1])["score"][0]
    assert abs(float(first["score"]) - expected) < 1e-9
    ours, _ = tools.best_pair(lambda: score_many(plan, codes), lambda: None, 2 if quick else 3)
    size = f"{rows:,} x 100"
    table.add(
        f"h. weltoffen score, CSV {size}: peak memory",
        f"{peak:.0f} MB" if peak >= 0 else "-",
        "-",
        "-",
        f"<= 1024 MB: {tools.verdict(peak <= 1024)}" if peak >= 0 else "not measured (no /proc)",
    )
    _ratio_row(
        table, tools, f"h. weltoffen score, CSV {size} / score_many", wall, ours, 1, "s", None
    )


SECTIONS = {
    "plain": plain_single,
    "plain-batch": plain_batch,
    "bfi": bfi_batch,
    "command": plain_command,
}
