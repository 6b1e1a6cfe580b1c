"""``weltoffen export``: write a questionnaire in another tool's format."""

from __future__ import annotations

import argparse
from typing import Any

from weltoffen.cli._common import (
    add_questionnaire,
    emit,
    lines_text,
    output_path,
    questionnaire_from,
)
from weltoffen.cli._interop import able, format_names


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "export",
        help="write a questionnaire in another tool's format",
        description="Write a questionnaire (a file, or a bundled instrument) in a foreign "
        f"format. Formats: {format_names()}.",
    )
    parser.add_argument("format", metavar="FORMAT", help=f"the target format: {format_names()}")
    add_questionnaire(parser)
    parser.add_argument(
        "-o", "--output", metavar="FILE", required=True, help="the file to write (never an input)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    write = able(args, args.format, "write_questionnaire")
    target = output_path(args.output, [args.questionnaire])
    questionnaire = questionnaire_from(args)
    write(questionnaire, target)
    written = f"{questionnaire.id} {questionnaire.version}: written as {args.format}"
    emit(lines_text([f"{written} to {args.output}"]), None)
    return 0
