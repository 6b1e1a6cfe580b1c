"""``weltoffen instruments``: list the bundled instruments."""

from __future__ import annotations

import argparse
from typing import Any

from weltoffen._unicode import one_line
from weltoffen.cli._common import emit


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "instruments",
        help="list the bundled instruments",
        description="List the instruments shipped with weltoffen, for use with --instrument NAME.",
    )
    parser.add_argument("--lang", metavar="LANG", help="language of the titles")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from weltoffen.instruments import available, load_instrument

    rows = []
    for name in available():
        q = load_instrument(name)
        lang = args.lang or q.language
        title = q.title.get(lang) or q.title.get(q.language) or ""
        rows.append("\t".join(one_line(cell) for cell in (name, q.version, title)) + "\n")
    emit("".join(rows), None)
    return 0
