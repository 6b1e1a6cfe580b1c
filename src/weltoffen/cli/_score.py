"""``weltoffen score``: score response files and print a table, JSON or CSV."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from weltoffen._unicode import one_line
from weltoffen.cli._common import (
    add_codes,
    add_files,
    add_output,
    check_language,
    chosen_format,
    counting,
    emit,
    emit_written,
    foreign_reader,
    questionnaire_and_responses,
    score_files,
)

if TYPE_CHECKING:
    from weltoffen.scoring.plan import ScoringPlan
    from weltoffen.scoring.results import Result
    from weltoffen.stream import Render

_FORMATS = ("table", "json", "csv")
_BY_SUFFIX = {".json": "json", ".csv": "csv"}


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "score",
        help="score responses",
        usage=(
            "weltoffen score (QUESTIONNAIRE | --instrument NAME) RESPONSES... [--format FORMAT] "
            "[--lang LANG] [--trace] [-o FILE] [--dont-know-code X] [--na-code Y] "
            "[--encoding NAME]"
        ),
        description=(
            "Score every response in the RESPONSES files (YAML, JSON, CSV or XLSX) with the "
            "questionnaire and print the results. Every problem in every file is reported, one "
            "line each, before anything is written; the exit status is then 1."
        ),
    )
    add_files(parser)
    parser.add_argument(
        "--format",
        choices=_FORMATS,
        help="table (default), json (one object per respondent; its schema: weltoffen schema "
        "--results) or csv "
        "(one row per respondent); with -o, .json and .csv files choose it by default",
    )
    parser.add_argument(
        "--lang", metavar="LANG", help="language of the texts (default: the questionnaire's)"
    )
    parser.add_argument(
        "--trace", action="store_true", help="show how every question entered its dimension"
    )
    add_output(parser)
    add_codes(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from weltoffen.scoring.plan import compile

    questionnaire, response_files = questionnaire_and_responses(args)
    check_language(questionnaire, args.lang)
    plan = compile(questionnaire)
    fmt = chosen_format(args.format, args.output, _BY_SUFFIX, "table")
    if _streams(args, fmt, response_files):
        return _stream(args, fmt, plan, response_files)
    results = score_files(
        plan,
        response_files,
        trace=args.trace,
        dont_know=args.dont_know_code,
        not_applicable=args.na_code,
        encoding=args.encoding,
        reader=foreign_reader(args),
        quiet=args.quiet,
    )
    emit(
        _render(fmt, plan, results, args.lang),
        args.output,
        args.files,
        what=f"{len(results)} results ({fmt})",
        quiet=args.quiet,
    )
    return 0


def _streams(args: argparse.Namespace, fmt: str, files: Sequence[str]) -> bool:
    """Whether the rows of *files* are streamed: weltoffen's own tables (CSV, TSV, XLSX), and
    for CSV output numpy to score them with (the same numbers either way; streaming keeps the
    memory bounded whatever the size of the tables)."""
    import importlib.util

    tables = all(Path(f).suffix.lower() in (".csv", ".tsv", ".txt", ".xlsx") for f in files)
    if not tables or foreign_reader(args) is not None:
        return False
    return fmt != "csv" or importlib.util.find_spec("numpy") is not None


def _stream(args: argparse.Namespace, fmt: str, plan: ScoringPlan, files: Sequence[str]) -> int:
    """Score *files* a chunk of rows at a time, writing the output as they are scored: CSV
    through the vectorised kernel, JSON and the table from each respondent's result."""
    from weltoffen.stream import render_table, score_table

    label = f"scoring {one_line(Path(files[0]).name)}" + (" ..." if len(files) > 1 else "")
    options = {
        "dont_know": args.dont_know_code,
        "not_applicable": args.na_code,
        "encoding": args.encoding,
    }

    def write(target: Path) -> str:
        with counting(label, quiet=args.quiet) as step:
            if fmt == "csv":
                count = score_table(plan, files, target, progress=step, **options)
            else:
                render = _pieces(fmt, plan, args.lang)
                count = render_table(
                    plan, files, target, render, trace=args.trace, progress=step, **options
                )
        return f"{count} results ({fmt})"

    emit_written(write, args.output, args.files, quiet=args.quiet)
    return 0


def _pieces(fmt: str, plan: ScoringPlan, language: str | None) -> Render:
    """The text of each chunk of results, pieced together into what :func:`_render` writes
    for all of them at once."""
    from weltoffen.reports.table import format_table
    from weltoffen.reports.views import result_views

    def json_piece(results: Sequence[Result] | None, before: int) -> str:
        if results is None:
            return "[]\n" if before == 0 else "\n]\n"
        views = [view.plain() for view in result_views(plan, results, language)]
        # each object as json.dumps(..., indent=2) writes it one level down in a list
        items = [json.dumps(v, ensure_ascii=False, indent=2) for v in views]
        body = ",\n".join("  " + item.replace("\n", "\n  ") for item in items)
        return ("[\n" if before == 0 else ",\n") + body

    def table_piece(results: Sequence[Result] | None, before: int) -> str:
        if results is None:
            return ""
        return ("\n" if before else "") + format_table(plan, results, language)

    return json_piece if fmt == "json" else table_piece


def _render(fmt: str, plan: ScoringPlan, results: Sequence[Result], language: str | None) -> str:
    if fmt == "json":
        from weltoffen.reports.views import result_views

        views = [view.plain() for view in result_views(plan, results, language)]
        return json.dumps(views, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        from weltoffen.reports.flat import format_csv

        return format_csv(results)
    from weltoffen.reports.table import format_table

    return format_table(plan, results, language)
