"""``weltoffen schema``: the JSON Schema of questionnaire or responses files, or of results."""

from __future__ import annotations

import argparse
from typing import Any

from weltoffen.cli._common import add_output, emit


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "schema",
        help="print the JSON Schema of questionnaire files (or responses, results, crosswalks)",
        description=(
            "Print the JSON Schema (draft 2020-12) of questionnaire files, for editors that "
            "check YAML or JSON as you type. The schema checks the shape of a file; "
            "'weltoffen validate' checks the rest. With --results, the schema of the JSON "
            "that score, cohort, sensitivity, reliability and validate write (and "
            "dump_result), for programs that read them."
        ),
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--responses",
        action="store_true",
        help="the schema of responses files instead",
    )
    which.add_argument(
        "--results",
        action="store_true",
        help="the schema of JSON results instead (every kind of result the commands print)",
    )
    which.add_argument(
        "--crosswalk",
        action="store_true",
        help="the schema of crosswalk files (how one version of an instrument maps onto the next)",
    )
    add_output(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import json

    from weltoffen.serialization.schema import (
        crosswalk_schema,
        questionnaire_schema,
        responses_schema,
    )

    registry = getattr(args, "registry", None)
    if args.responses:
        schema = responses_schema()
    elif args.crosswalk:
        schema = crosswalk_schema()
    elif args.results:
        from weltoffen.reports.schema import results_schema

        schema = results_schema() if registry is None else results_schema(registry)
    elif registry is not None:
        schema = questionnaire_schema(registry)
    else:
        schema = questionnaire_schema()
    emit(
        json.dumps(schema, ensure_ascii=False, indent=2) + "\n",
        args.output,
        what="a JSON Schema",
        quiet=args.quiet,
    )
    return 0
