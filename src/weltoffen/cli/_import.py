"""``weltoffen import``: read an instrument written for another tool, with a report of what came
across."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from weltoffen.cli._common import emit, lines_text, output_path
from weltoffen.cli._interop import able, format_names

if TYPE_CHECKING:
    from weltoffen.interop.report import Imported


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "import",
        help="turn another tool's instrument into a weltoffen questionnaire",
        description="Read an instrument in a foreign format and write it as a weltoffen "
        "questionnaire. Prints a summary line and one line per construct that was approximated "
        "or dropped. Exit 0 when the questionnaire was written (such lines allowed), 1 when the "
        f"source was refused. Formats: {format_names()}.",
    )
    parser.add_argument("format", metavar="FORMAT", help=f"the source's format: {format_names()}")
    parser.add_argument("source", metavar="SOURCE", help="the instrument file to read")
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        required=True,
        help="the questionnaire to write (.yaml, .yml or .json; never over the source)",
    )
    parser.add_argument(
        "--report",
        metavar="FILE",
        help="also write the import report as JSON: every construct with its fidelity "
        "(exact, approximated, dropped) and its place in the source",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from weltoffen.scoring.plan import compile
    from weltoffen.serialization.api import dump_questionnaire, write_text

    read = able(args, args.format, "read_questionnaire")
    inputs = [args.source]
    target = output_path(args.output, inputs)
    report_target = output_path(args.report, [*inputs, args.output]) if args.report else None
    imported: Imported = read(args.source)
    compile(imported.questionnaire)  # a questionnaire that would not score is not written
    dump_questionnaire(imported.questionnaire, target)
    if report_target is not None:
        write_text(report_target, json.dumps(imported.report.to_json(), indent=2) + "\n")
    emit(lines_text(imported.report.text().splitlines()), None)
    return 0
