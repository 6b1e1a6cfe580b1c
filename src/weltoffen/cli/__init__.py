"""The ``weltoffen`` command line: a thin layer over the public API.

Each command lives in its own module ``weltoffen.cli._<name>`` with a ``register(subparsers)``
function; the module is imported only when the parser is built. Every error caused by input is
printed as one line per problem and exits with status 1; usage errors exit with 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from weltoffen._version import __version__
from weltoffen.exceptions import WeltoffenError

__all__ = ["main"]

#: Command modules, in the order ``--help`` lists them.
COMMANDS = ("validate", "instruments", "schema", "template", "cohort", "reliability", "sensitivity")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="weltoffen",
        description="Score questionnaires: validate definitions, score responses, write reports.",
    )
    parser.add_argument("--version", action="version", version=f"weltoffen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        importlib.import_module(f"weltoffen.cli._{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* (default: ``sys.argv[1:]``); return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.run(args)
    except WeltoffenError as exc:
        problems = getattr(exc, "problems", None)
        for problem in problems or [exc]:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    except OSError as exc:  # unreadable input or unwritable output named on the command line
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return status
