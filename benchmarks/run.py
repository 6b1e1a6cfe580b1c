"""weltoffen's benchmarks, each measured side by side with a hand-written reference in one run.

    python benchmarks/run.py            # the full sizes (a minute or two, about 3 GB of memory)
    python benchmarks/run.py --quick    # small sizes, a few seconds (what CI runs)

Sections:

a. one response of the bundled self-check, compiled plan, no trace, against a minimal Python loop
   computing the same dimension means (and again without score()'s compiled path);
b. the same with the trace;
c. ``score_many`` over 1,000,000 responses x 100 questions (about 10 % missing) against a
   hand-written numpy reference doing the same arithmetic, and the peak memory of both against the
   size of the input array;
d. loading and compiling the bundled instrument (warm, and first in a fresh process),
   ``import weltoffen``, and ``weltoffen score`` of one respondent of it, wall time;
e.-g. a plain 100-item instrument and psych's bfi against hand loops, numpy blocks, one
   ``codes.sum()`` pass and R (see ``scoring_speed.py``).

Times are the best of several repeats (the least disturbed by other work on the machine); the
ratio column divides weltoffen's time by the reference's. Nothing here is a test: the numbers are
for reading, and docs/benchmarks.md records them.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scoring_speed
from references import (
    batch_questionnaire,
    batch_reference,
    close,
    hand_loop,
    prepare_hand_loop,
    self_check_response,
    self_check_responses,
)

import weltoffen
from weltoffen.instruments import load_instrument


def best(fn: Callable[[], Any], repeat: int, number: int = 1) -> float:
    """Best time per call over *repeat* rounds of *number* calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - start) / number)
    return min(times)


def best_pair(
    ours: Callable[[], Any], reference: Callable[[], Any], repeat: int, number: int = 1
) -> tuple[float, float]:
    """Best times of two functions measured in alternating rounds, so both meet the same load."""
    a, b = [], []
    for _ in range(repeat):
        a.append(best(ours, 1, number))
        b.append(best(reference, 1, number))
    return min(a), min(b)


def peak_bytes(fn: Callable[[], Any]) -> int:
    """Peak memory allocated while *fn* runs (numpy reports its buffers to tracemalloc)."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    result = fn()
    peak = tracemalloc.get_traced_memory()[1]
    del result
    tracemalloc.stop()
    return peak


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str, str]] = []

    def add(self, name: str, ours: str, ref: str, ratio: str, target: str) -> None:
        self.rows.append((name, ours, ref, ratio, target))
        print(f"  {name}: {ours} (reference {ref}, ratio {ratio}; target {target})", flush=True)

    def show(self) -> None:
        head = ("benchmark", "weltoffen", "reference", "ratio", "target")
        widths = [max(len(r[i]) for r in [head, *self.rows]) for i in range(5)]
        line = " | ".join(h.ljust(w) for h, w in zip(head, widths))
        print("\n" + line)
        print("-+-".join("-" * w for w in widths))
        for row in self.rows:
            print(" | ".join(c.ljust(w) for c, w in zip(row, widths)))


def _us(seconds: float) -> str:
    return f"{seconds * 1e6:.1f} µs"


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms"


#: With --quick the sizes are too small for the targets, which are set for the full sizes.
_JUDGE = True


def _verdict(ok: bool) -> str:
    if not _JUDGE:
        return "not judged (--quick)"
    return "met" if ok else "MISSED"


def single(table: Table, quick: bool) -> None:
    plan = weltoffen.compile(load_instrument("weltoffene-kommune"))
    response = self_check_response(plan)
    prepared = prepare_hand_loop(plan)
    result = weltoffen.score(plan, response)
    hand = hand_loop(prepared, response.answers)
    # the reference must compute the same numbers, or the comparison means nothing
    assert close(hand[""], result.score), (hand[""], result.score)
    for dim in result.iter_dimensions():
        assert close(hand[dim.id], dim.score), (dim.id, hand[dim.id], dim.score)
    number = 200 if quick else 2000
    repeat = 5 if quick else 15
    ours, ref = best_pair(
        lambda: weltoffen.score(plan, response),
        lambda: hand_loop(prepared, response.answers),
        repeat,
        number,
    )
    ratio = ours / ref
    table.add(
        "a. one response, no trace",
        _us(ours),
        _us(ref),
        f"{ratio:.2f}x",
        f"<= 1.5x: {_verdict(ratio <= 1.5)}",
    )
    with scoring_speed.python_loops():
        ours, ref = best_pair(
            lambda: weltoffen.score(plan, response),
            lambda: hand_loop(prepared, response.answers),
            repeat,
            number,
        )
    table.add("a. the same, Python loops only", _us(ours), _us(ref), f"{ours / ref:.2f}x", "(none)")
    # no answer to check: conditions, the dimension sums and the result tree
    empty = weltoffen.Response(respondent="nobody")
    fixed = best(lambda: weltoffen.score(plan, empty), repeat, number)
    table.add(
        "a. one response, every question skipped",
        _us(fixed),
        _us(ref),
        f"{fixed / ref:.2f}x",
        "(none)",
    )
    traced = best(lambda: weltoffen.score(plan, response, trace=True), repeat, number)
    table.add(
        "b. one response, with trace", _us(traced), _us(ref), f"{traced / ref:.2f}x", "(none)"
    )


def batch(table: Table, quick: bool) -> None:
    import numpy as np

    from weltoffen.scoring.batch import score_many

    rows = 20_000 if quick else 1_000_000
    plan = weltoffen.compile(batch_questionnaire())
    rng = np.random.default_rng(7)
    codes = rng.integers(0, 5, size=(rows, 100)).astype(np.float64)
    codes[rng.random((rows, 100)) < 0.10] = np.nan
    ours_out = score_many(plan, codes)
    ref_out = batch_reference(codes)
    for name, values in ref_out.items():
        if name.endswith("band"):
            # sums in another order may differ in the last bit, and so a band at its very edge
            score = ref_out[name[: -len("band")] + "score"]
            edge = np.isin(np.round(score, 6), (25.0, 50.0, 75.0))
            same = np.array_equal(values[~edge], ours_out[name][~edge])
        else:
            same = np.allclose(values, ours_out[name], rtol=1e-12, atol=1e-12, equal_nan=True)
        assert same, f"the reference disagrees on {name}"
    repeat = 3 if quick else 5
    ours, ref = best_pair(lambda: score_many(plan, codes), lambda: batch_reference(codes), repeat)
    size = f"{rows:,} x 100"
    table.add(
        f"c. score_many, {size}",
        _ms(ours),
        _ms(ref),
        f"{ours / ref:.2f}x",
        f"<= 1.0x: {_verdict(ours <= ref)}",
    )
    ours_peak = peak_bytes(lambda: score_many(plan, codes)) / codes.nbytes
    ref_peak = peak_bytes(lambda: batch_reference(codes)) / codes.nbytes
    table.add(
        f"c. extra peak memory / input ({codes.nbytes / 2**20:,.0f} MiB)",
        f"{ours_peak:.2f}x",
        f"{ref_peak:.2f}x",
        f"{ours_peak / ref_peak:.2f}x",
        f"< 2x input: {_verdict(ours_peak < 2)}",
    )


def batch_self_check(table: Table, quick: bool) -> None:
    """score_many on the self-check (conditions, every question kind) against score() per row."""
    import numpy as np

    from weltoffen.scoring.batch import score_many, to_codes

    plan = weltoffen.compile(load_instrument("weltoffene-kommune"))
    responses = self_check_responses(plan, 500 if quick else 2000)
    codes, states = to_codes(plan, responses)
    copies = 4 if quick else 50
    many_codes, many_states = np.tile(codes, (copies, 1)), np.tile(states, (copies, 1))
    rows = len(many_codes)
    ours, ref = best_pair(
        lambda: score_many(plan, many_codes, states=many_states),
        lambda: [weltoffen.score(plan, r) for r in responses],
        3,
    )
    per_row, ref_row = ours / rows, ref / len(responses)
    table.add(
        f"c. score_many, self-check, {rows:,} rows (per row)",
        _us(per_row),
        f"{_us(ref_row)} score()",
        f"{per_row / ref_row:.3f}x",
        "(none)",
    )


#: What the fresh-process rows run: the bundled self-check and one respondent of it, as in
#: ``weltoffen score --instrument weltoffene-kommune musterstadt.yaml --version 1.0``.
_EXAMPLE = (
    Path(__file__).resolve().parents[1] / "examples" / "weltoffene-kommune" / "musterstadt.yaml"
)
_SCORE_COMMAND = [
    "score",
    "--instrument",
    "weltoffene-kommune",
    str(_EXAMPLE),
    "--version",
    "1.0",
    "--format",
    "json",
]
#: Loads what `import weltoffen` loaded before its names became lazy: the model and scoring.
_CORE = "import weltoffen\nweltoffen.Questionnaire, weltoffen.compile, weltoffen.score\n"
_FIRST_LOAD = (
    _CORE
    + "import time\n"
    + "from weltoffen.instruments import load_instrument\n"
    + "start = time.perf_counter()\n"
    + "weltoffen.compile(load_instrument('weltoffene-kommune'))\n"
    + "print(time.perf_counter() - start)\n"
)


def loading(table: Table, quick: bool) -> None:
    """Section d: loading the bundled self-check, importing weltoffen, and one short command.

    The fresh processes find the package byte-compiled, as installing it leaves it: without the
    ``__pycache__`` files (``PYTHONDONTWRITEBYTECODE`` is set here, and in some environments),
    every start would compile the sources again and the rows would measure that.
    """
    import compileall

    compileall.compile_dir(Path(weltoffen.__file__).parent, quiet=1)
    repeat = 5 if quick else 20

    def load_compile() -> Any:
        return weltoffen.compile(load_instrument("weltoffene-kommune"))

    load_compile()  # the first call imports the format machinery: measured in a fresh process
    warm = best(load_compile, repeat)
    table.add("d. load + compile the self-check", _ms(warm), "-", "-", _target(warm, 0.020))

    runs = 5 if quick else 20
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args], check=True, env=env, capture_output=True, text=True
        )

    def wall(*args: str) -> float:
        """Best wall time of *runs* fresh processes running ``python *args``."""
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            run(*args)
            times.append(time.perf_counter() - start)
        return min(times)

    first = min(float(run("-c", _FIRST_LOAD).stdout) for _ in range(runs))
    table.add(
        "d. load + compile, first in a fresh process",
        _ms(first),
        "-",
        "-",
        _target(first, 0.040),
    )

    bare = wall("-c", "pass")
    full = wall("-c", "import weltoffen")
    table.add(
        "d. import weltoffen (wall, minus bare python)",
        _ms(full - bare),
        _ms(bare),
        "-",
        _target(full - bare, 0.060),
    )
    done = run("-X", "importtime", "-c", "import weltoffen")
    cumulative = 0
    for line in done.stderr.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if len(parts) == 3 and parts[2] == "weltoffen":
            cumulative = int(parts[1])
    table.add(
        "d. import weltoffen (-X importtime, cumulative)",
        _ms(cumulative / 1e6),
        "-",
        "-",
        _target(cumulative / 1e6, 0.060),
    )
    core = wall("-c", _CORE)
    table.add(
        "d. import weltoffen + model and scoring (wall)",
        _ms(core - bare),
        _ms(bare),
        "-",
        "(none)",
    )
    command = wall("-m", "weltoffen", *_SCORE_COMMAND)
    table.add(
        "d. weltoffen score --instrument ... --format json",
        _ms(command),
        _ms(bare),
        "-",
        _target(command, 0.150),
    )


def _target(seconds: float, limit: float) -> str:
    # start-up costs the same at every size: --quick only repeats fewer times, so it is judged
    return f"<= {limit * 1e3:.0f} ms: {'met' if seconds <= limit else 'MISSED'}"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import numpy as np

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else math.nan
    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"numpy {np.__version__}, weltoffen {weltoffen.__version__}, load average {load:.1f}, "
        + scoring_speed.compiled_path()
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a few seconds")
    parser.add_argument(
        "--only",
        choices=["single", "batch", "loading", *scoring_speed.SECTIONS],
        action="append",
        help="run only these sections (repeatable)",
    )
    args = parser.parse_args(argv)
    global _JUDGE
    _JUDGE = not args.quick
    print(machine(), flush=True)
    table = Table()
    sections = {
        "single": single,
        "batch": batch,
        "self-check": batch_self_check,
        "loading": loading,
    }
    for name, section in sections.items():
        if args.only and name not in args.only:
            continue
        section(table, args.quick)
    tools = scoring_speed.Tools(best_pair, _verdict)
    for name, extra in scoring_speed.SECTIONS.items():
        if not args.only or name in args.only:
            extra(table, args.quick, tools)
    table.show()
    return 0


if __name__ == "__main__":
    sys.exit(main())
