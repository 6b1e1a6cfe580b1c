"""Mutation score per module, from the results mutmut left in ``mutants/``.

Run from the project root after ``mutmut run`` (see docs/contributing.md, "Mutation testing").
Mutants listed in ``tests/mutation/equivalent.md`` (one ``- `name`: reason`` line each) change no
behaviour; they leave the count instead of counting as survivors. Timeouts count as killed: a
mutant that makes the tests hang has been detected.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KILLED = {1, 3, 36, 37, 24, -24, 152, 255}  # mutmut's exit codes for killed, timeout, type check
SURVIVED = 0


def equivalent_mutants() -> set[str]:
    text = (ROOT / "tests" / "mutation" / "equivalent.md").read_text(encoding="utf-8")
    return set(re.findall(r"^- `([^`]+)`", text, flags=re.MULTILINE))


def main(argv: list[str]) -> int:
    excluded = equivalent_mutants()
    show = "--survivors" in argv
    rows = []
    survivors: list[str] = []
    for meta in sorted((ROOT / "mutants" / "src").rglob("*.py.meta")):
        codes: dict[str, int | None] = json.loads(meta.read_text(encoding="utf-8"))[
            "exit_code_by_key"
        ]
        if not codes:
            continue
        tally: Counter[str] = Counter()
        for name, code in codes.items():
            if name in excluded:
                tally["excluded"] += 1
            elif code in KILLED:
                tally["killed"] += 1
            elif code is None:
                # no selected test runs the mutated code, which counts against the module
                tally["not run"] += 1
                survivors.append(f"{name}  (no test runs it)")
            else:
                tally["alive"] += 1
                survivors.append(name)
        counted = tally["killed"] + tally["alive"] + tally["not run"]
        module = str(meta.relative_to(ROOT / "mutants" / "src"))[: -len(".meta")]
        score = 100 * tally["killed"] / counted if counted else 100.0
        rows.append(
            f"{module:42} {tally['killed']:4}/{counted:<4} {score:5.1f} %"
            f"  excluded {tally['excluded']:3}  not run {tally['not run']:3}"
        )
    print("\n".join(rows))
    if show:
        print("\n".join(sorted(survivors)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
