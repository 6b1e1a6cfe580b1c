"""Options and helpers shared by the commands."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from weltoffen.exceptions import Problem, WeltoffenError
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.registry import default_registry
from weltoffen.serialization.api import write_text

__all__ = ["add_questionnaire", "emit", "questionnaire_from"]


def add_questionnaire(parser: argparse.ArgumentParser, *, positional: bool = True) -> None:
    """``QUESTIONNAIRE`` (a file) or ``--instrument NAME`` (a bundled one)."""
    if positional:
        parser.add_argument(
            "questionnaire",
            nargs="?",
            metavar="QUESTIONNAIRE",
            help="questionnaire file (YAML or JSON); or use --instrument",
        )
    parser.add_argument(
        "--instrument",
        metavar="NAME",
        help="a bundled instrument instead of a file (see 'weltoffen instruments')",
    )


def questionnaire_from(args: argparse.Namespace) -> Questionnaire:
    """The questionnaire the options name."""
    from weltoffen.instruments import load_instrument
    from weltoffen.serialization.api import load_questionnaire

    given = getattr(args, "questionnaire", None)
    if args.instrument and given:
        raise WeltoffenError("give either QUESTIONNAIRE or --instrument, not both")
    if args.instrument:
        return load_instrument(args.instrument)
    if not given:
        raise WeltoffenError("no questionnaire given: name a file or use --instrument NAME")
    return load_questionnaire(given, registry=getattr(args, "registry", default_registry))


def emit(text: str, output: str | None, inputs: list[str] | None = None) -> None:
    """Print *text*, or write it whole to *output* (never over one of the *inputs*)."""
    if output is None or output == "-":
        sys.stdout.write(text)
        return
    target = Path(output).resolve()
    for given in inputs or []:
        if given and Path(given).resolve() == target:
            raise _Refused(output)
    if not target.parent.is_dir():
        raise _Refused(output, "its folder does not exist")
    write_text(os.fspath(target), text)


class _Refused(WeltoffenError):
    def __init__(self, output: str, why: str = "it is one of the inputs") -> None:
        super().__init__(str(Problem("", f"will not write {output!r}: {why}")))
