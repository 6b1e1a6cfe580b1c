"""``weltoffen template``: write an answer sheet (YAML, CSV or XLSX) for a questionnaire."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from weltoffen.cli._common import (
    add_encoding,
    add_output,
    add_questionnaire,
    emit,
    output_path,
    questionnaire_from,
    read_responses,
    wrote,
)
from weltoffen.exceptions import Problem, ProblemCode, ProblemsError

_FORMATS = ("yaml", "csv", "xlsx")
_BY_SUFFIX = {".yaml": "yaml", ".yml": "yaml", ".csv": "csv", ".xlsx": "xlsx"}


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "template",
        help="write an answer sheet to fill in",
        usage=(
            "weltoffen template (QUESTIONNAIRE | --instrument NAME) [--lang LANG] "
            "[--format yaml|csv|xlsx] [--respondent ID] [--fill RESPONSES [--encoding NAME]] "
            "[-o FILE]"
        ),
        description=(
            "Write an answer sheet for the questionnaire. YAML (default): every question with "
            "its text and allowed answers as comments, to fill in a text editor. CSV: the header "
            "row of a table with one row per respondent (and with --fill, the rows). XLSX: the "
            "same table with the questions as cell comments, drop-down lists and a second sheet "
            "explaining every code (needs the extra weltoffen[xlsx]). Filled sheets load "
            "wherever responses are read."
        ),
    )
    add_questionnaire(parser)
    parser.add_argument(
        "--lang", metavar="LANG", help="language of the texts (default: the questionnaire's)"
    )
    parser.add_argument(
        "--format",
        choices=_FORMATS,
        help="yaml (default), csv or xlsx; with -o, the file's suffix chooses it by default",
    )
    parser.add_argument(
        "--respondent", metavar="ID", default="", help="prefill the respondent id (YAML)"
    )
    parser.add_argument(
        "--fill",
        metavar="RESPONSES",
        help="fill the sheet with the answers in this file (YAML: exactly one response; CSV and "
        "XLSX: one row per response)",
    )
    add_encoding(parser)
    add_output(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from weltoffen.serialization.templates import csv_template, yaml_template

    questionnaire = questionnaire_from(args)
    fmt = args.format or _BY_SUFFIX.get(Path(args.output or "").suffix.lower(), "yaml")
    inputs = [p for p in (args.questionnaire, args.fill) if p]
    responses = []
    if args.fill:
        responses = list(read_responses(args.fill, questionnaire, encoding=args.encoding).responses)
    if fmt == "xlsx":
        _xlsx(args, questionnaire, responses, inputs)
        return 0
    if fmt == "csv":
        emit(
            csv_template(questionnaire, language=args.lang, responses=responses),
            args.output,
            inputs,
            what="an answer sheet (CSV)",
            quiet=args.quiet,
        )
        return 0
    if len(responses) > 1:
        raise ProblemsError(
            [
                Problem(
                    ProblemCode.BAD_OPTION,
                    "a YAML sheet holds one response",
                    location=("--fill",),
                    got=f"{len(responses)} in {args.fill}",
                )
            ]
        )
    text = yaml_template(
        questionnaire,
        language=args.lang,
        respondent=args.respondent,
        response=responses[0] if responses else None,
    )
    emit(text, args.output, inputs, what="an answer sheet (YAML)", quiet=args.quiet)
    return 0


def _xlsx(args: argparse.Namespace, questionnaire: Any, responses: Any, inputs: list[str]) -> None:
    from weltoffen.serialization.xlsx_template import write_xlsx_template

    if not args.output or args.output == "-":
        raise ProblemsError(
            [
                Problem(
                    ProblemCode.BAD_OPTION,
                    "an XLSX sheet needs an output file",
                    location=("-o",),
                    expected="-o sheet.xlsx",
                )
            ]
        )
    target = output_path(args.output, inputs)
    write_xlsx_template(questionnaire, target, language=args.lang, responses=responses)
    if not args.quiet:
        wrote(target, "an answer sheet (XLSX)")
