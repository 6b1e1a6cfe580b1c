"""``weltoffen instruments``: list the bundled instruments, every version of each."""

from __future__ import annotations

import argparse
from typing import Any

from weltoffen._unicode import one_line
from weltoffen.cli._common import emit


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "instruments",
        help="list the bundled instruments",
        description="List the instruments shipped with weltoffen, every version of each (the "
        "newest marked 'newest'), for use with --instrument NAME [--version V].",
    )
    parser.add_argument("--lang", metavar="LANG", help="language of the titles")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from weltoffen.instruments import available, load_instrument, versions

    rows = []
    for name in available():
        known = versions(name)
        for version in known:
            q = load_instrument(name, version)
            lang = args.lang or q.language
            title = q.title.get(lang) or q.title.get(q.language) or ""
            # the newest is the one --instrument NAME picks without --version
            cells = [name, version, title] + (["newest"] if version == known[-1] else [])
            rows.append("\t".join(one_line(cell) for cell in cells) + "\n")
    emit("".join(rows), None)
    return 0
