"""Mutation score per module, from the results mutmut left in ``mutants/``.

Run from the project root after ``mutmut run`` (see docs/contributing.md, "Mutation testing").
Mutants listed in ``tests/mutation/equivalent.md`` (one ``- `name`: reason`` line each) change no
behaviour; they leave the count instead of counting as survivors. A timeout counts as killed (a
mutant that makes the tests hang has been detected), and so does a mutant the type checker
rejects. A mutant in code that no selected test runs counts as surviving. Mutants a run has not
checked yet (a run limited to some names, or one stopped early) are left out and shown.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# mutmut's exit codes: test failure or pytest error, rejected by the type checker; timeouts
KILLED = {1, 3, 37}
TIMEOUT = {24, -24, 36, 152, 255}
NO_TESTS = {5, 33}
SKIPPED = {34}


def equivalent_mutants() -> set[str]:
    text = (ROOT / "tests" / "mutation" / "equivalent.md").read_text(encoding="utf-8")
    return set(re.findall(r"^- `([^`]+)`", text, flags=re.MULTILINE))


def verdict(name: str, code: int | None, excluded: set[str]) -> str:
    if name in excluded:
        return "excluded"
    if code is None:
        return "not checked"
    if code in KILLED:
        return "killed"
    if code in TIMEOUT:
        return "timeout"
    if code in SKIPPED:
        return "skipped"
    return "no tests" if code in NO_TESTS else "survived"


def main(argv: list[str]) -> int:
    excluded = equivalent_mutants()
    show = "--survivors" in argv
    rows = []
    survivors: list[str] = []
    for meta in sorted((ROOT / "mutants" / "src").rglob("*.py.meta")):
        codes: dict[str, int | None] = json.loads(meta.read_text(encoding="utf-8"))[
            "exit_code_by_key"
        ]
        tally = Counter(verdict(name, code, excluded) for name, code in codes.items())
        survivors += [
            f"{name}  ({v})"
            for name, code in codes.items()
            if (v := verdict(name, code, excluded)) in ("survived", "no tests")
        ]
        caught = tally["killed"] + tally["timeout"]
        counted = caught + tally["survived"] + tally["no tests"]
        if not counted:
            continue
        module = str(meta.relative_to(ROOT / "mutants" / "src"))[: -len(".meta")]
        rows.append(
            f"{module:40} {caught:4}/{counted:<4} {100 * caught / counted:5.1f} %"
            f"  (timeouts {tally['timeout']}, no tests {tally['no tests']},"
            f" excluded {tally['excluded']},"
            f" not checked {tally['not checked']})"
        )
    print("\n".join(rows))
    if show:
        print("\n".join(sorted(survivors)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
