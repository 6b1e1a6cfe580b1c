"""``weltoffen score``: score response files and print a table, JSON or CSV."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from weltoffen.cli._common import add_questionnaire, emit, questionnaire_from
from weltoffen.exceptions import Problem, ResponseError, WeltoffenError

if TYPE_CHECKING:
    from weltoffen.model.questionnaire import Questionnaire
    from weltoffen.scoring.plan import ScoringPlan
    from weltoffen.scoring.results import Result

__all__ = ["check_language", "questionnaire_and_responses", "score_files"]

_FORMATS = ("table", "json", "csv")
_BY_SUFFIX = {".json": "json", ".csv": "csv"}


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "score",
        help="score responses",
        usage=(
            "weltoffen score (QUESTIONNAIRE | --instrument NAME) RESPONSES... [--format FORMAT] "
            "[--lang LANG] [--trace] [-o FILE] [--dont-know-code X] [--na-code Y]"
        ),
        description=(
            "Score every response in the RESPONSES files (YAML, JSON, CSV or XLSX) with the "
            "questionnaire and print the results. Every problem in every file is reported, one "
            "line each, before anything is written; the exit status is then 1."
        ),
    )
    parser.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="the questionnaire, then one or more response files; with --instrument, only "
        "response files",
    )
    add_questionnaire(parser, positional=False)
    parser.add_argument(
        "--format",
        choices=_FORMATS,
        help="table (default), json (one object per respondent, see docs/cli.md) or csv "
        "(one row per respondent); with -o, .json and .csv files choose it by default",
    )
    parser.add_argument(
        "--lang", metavar="LANG", help="language of the texts (default: the questionnaire's)"
    )
    parser.add_argument(
        "--trace", action="store_true", help="show how every question entered its dimension"
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE (never over an input) instead of stdout",
    )
    parser.add_argument(
        "--dont-know-code",
        metavar="X",
        default="dont_know",
        help='in CSV/XLSX files, the cell text meaning "don\'t know" (default: dont_know)',
    )
    parser.add_argument(
        "--na-code",
        metavar="Y",
        default="not_applicable",
        help='in CSV/XLSX files, the cell text meaning "not applicable" (default: not_applicable)',
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from weltoffen.scoring.plan import compile

    questionnaire, response_files = questionnaire_and_responses(args)
    check_language(questionnaire, args.lang)
    plan = compile(questionnaire)
    results = score_files(
        plan,
        response_files,
        trace=args.trace,
        dont_know=args.dont_know_code,
        not_applicable=args.na_code,
    )
    fmt = args.format or _BY_SUFFIX.get(Path(args.output or "").suffix.lower(), "table")
    emit(_render(fmt, plan, results, args.lang), args.output, args.files)
    return 0


def questionnaire_and_responses(args: argparse.Namespace) -> tuple[Questionnaire, list[str]]:
    """The questionnaire and the responses files named by ``FILE...`` and ``--instrument``.

    Without ``--instrument`` the first file is the questionnaire; with it, every file holds
    responses (so ``--instrument NAME answers.csv`` needs no placeholder).

    Raises:
        WeltoffenError: Too few files, or the questionnaire does not load.
    """
    files: list[str] = args.files
    if args.instrument:
        questionnaire_file, response_files = None, files
    elif len(files) < 2:
        raise WeltoffenError("give a QUESTIONNAIRE and at least one RESPONSES file")
    else:
        questionnaire_file, response_files = files[0], files[1:]
    questionnaire = questionnaire_from(
        argparse.Namespace(questionnaire=questionnaire_file, instrument=args.instrument)
    )
    return questionnaire, response_files


def score_files(
    plan: ScoringPlan,
    paths: Sequence[str],
    *,
    trace: bool = False,
    dont_know: str = "dont_know",
    not_applicable: str = "not_applicable",
) -> list[Result]:
    """Score every response of every file, in file order.

    Raises:
        ResponseError: With every problem of every file, from reading and from scoring, each
            placed at its file, line and column (or path).
    """
    from weltoffen.scoring.engine import score
    from weltoffen.serialization.responses import load_response_file

    results: list[Result] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            loaded = load_response_file(
                path, plan.questionnaire, dont_know=dont_know, not_applicable=not_applicable
            )
        except ResponseError as exc:
            problems.extend(_explain(path, exc.problems))
            continue
        for index, response in enumerate(loaded.responses):
            try:
                results.append(score(plan, response, trace=trace))
            except ResponseError as exc:
                problems.extend(loaded.locate(index, exc.problems))
    if problems:
        raise ResponseError(problems)
    return results


def _explain(path: str, problems: Sequence[Problem]) -> Sequence[Problem]:
    """One clear line instead of a dozen when a questionnaire is given where responses belong."""
    if any(p.path == "dimensions" and p.message.startswith("unknown key") for p in problems):
        return [
            Problem(
                "",
                "this is a questionnaire, not responses",
                expected="QUESTIONNAIRE RESPONSES... (or --instrument NAME RESPONSES...)",
                file=path,
            )
        ]
    return problems


def _render(fmt: str, plan: ScoringPlan, results: Sequence[Result], language: str | None) -> str:
    if fmt == "json":
        from weltoffen.reports.views import result_views

        views = result_views(plan, results, language)
        return json.dumps(views, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        from weltoffen.reports.flat import format_csv

        return format_csv(results)
    from weltoffen.reports.table import format_table

    return format_table(plan, results, language)


def check_language(questionnaire: Questionnaire, language: str | None) -> None:
    """A language the questionnaire has no title in is most likely a typo: say so."""
    if language is None:
        return
    known = {questionnaire.language, *questionnaire.title}
    known.update(lang for _, d in questionnaire.iter_dimensions() for lang in d.title)
    if language not in known:
        raise WeltoffenError(
            str(
                Problem(
                    "--lang",
                    f"the questionnaire has no texts in {language!r}",
                    expected="one of " + ", ".join(sorted(known)),
                )
            )
        )


_check_language = check_language  # the name ``weltoffen report`` imports
