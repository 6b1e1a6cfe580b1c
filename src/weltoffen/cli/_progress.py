"""``weltoffen progress``: how one respondent changed between rounds, and whether it is real.

Each round is a response file with one response. A round answered to an older version names it
after an ``@`` (``runde-1.yaml@1.0``); without one, a round is taken to be answered to the newest
version. Older rounds are carried to the newest version by the crosswalks: those bundled with a
bundled instrument, and any given with ``--crosswalk``. For an own questionnaire, the older
versions' questionnaires are given with ``--older``.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

import attrs

from weltoffen.cli._common import (
    add_codes,
    add_encoding,
    add_output,
    add_questionnaire,
    check_language,
    chosen_format,
    emit,
    questionnaire_from,
    read_responses,
    tell,
    tracking,
)
from weltoffen.cli._rounds import add_round_options, crosswalks_of, known_versions, split_round
from weltoffen.exceptions import Problem, ProblemCode, ProblemsError, ResponseError

if TYPE_CHECKING:
    from weltoffen.scoring.plan import ScoringPlan

_FORMATS = ("html", "markdown")
_BY_SUFFIX = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "progress",
        help="the change of one respondent between rounds, and whether it is real",
        usage=(
            "weltoffen progress (--instrument NAME | --questionnaire FILE) ROUND[@VERSION]... "
            "[--crosswalk FILE]... [--older FILE]... [--lang LANG] [--format html|markdown] "
            "[--draws N] [--seed S] [-o FILE]"
        ),
        description=(
            "Compare two or more rounds of one respondent: rounds are ordered by the date in "
            "their metadata (or as given), older rounds are carried to the newest version by "
            "the crosswalks, and the report shows the change overall and per field, whether "
            "each change is real (the 5-95 %% intervals of the sensitivity analysis do not "
            "overlap), the answers that changed, and which suggestions and what-if advice of "
            "the earlier round were acted on."
        ),
    )
    parser.add_argument(
        "rounds",
        nargs="+",
        metavar="ROUND[@VERSION]",
        help="response files, one respondent each; @VERSION: the version it was answered to",
    )
    parser.add_argument(
        "--questionnaire", metavar="FILE", help="the newest version of an own questionnaire"
    )
    add_questionnaire(parser, positional=False)
    add_round_options(parser)
    parser.add_argument(
        "--lang", metavar="LANG", help="language of the report (default: the questionnaire's)"
    )
    parser.add_argument("--format", choices=_FORMATS, help="html (default) or markdown")
    parser.add_argument(
        "--draws", type=int, default=200, metavar="N", help="sensitivity draws (200)"
    )
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (0)")
    add_encoding(parser)
    add_output(parser, "a .md file chooses markdown")
    add_codes(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from weltoffen.analysis.progress import RoundInput, analyse_progress
    from weltoffen.analysis.sensitivity import load_choices
    from weltoffen.cli._sensitivity import DEFAULT_CHOICES
    from weltoffen.reports.progress import progress_html, progress_markdown
    from weltoffen.scoring.engine import score
    from weltoffen.scoring.plan import compile
    from weltoffen.serialization.api import load_questionnaire

    if args.questionnaire and args.instrument:
        raise ProblemsError(
            [Problem(ProblemCode.BAD_OPTION, "give --questionnaire or --instrument, not both")]
        )
    newest = (
        load_questionnaire(args.questionnaire) if args.questionnaire else questionnaire_from(args)
    )
    check_language(newest, args.lang)
    known = known_versions(args, newest)
    problems: list[Problem] = []
    rounds: list[RoundInput] = []
    plans: dict[str, ScoringPlan] = {}
    for spec in args.rounds:
        path, version = split_round(spec)
        version = version or newest.version
        if version not in known:
            problems.append(
                Problem(
                    ProblemCode.NOT_FOUND,
                    f"no questionnaire of version {version!r} is known",
                    location=(spec,),
                    expected=", ".join(sorted(known)),
                    hint="name the older questionnaire with --older FILE",
                )
            )
            continue
        loaded = read_responses(
            path,
            known[version],
            dont_know=args.dont_know_code,
            not_applicable=args.na_code,
            encoding=args.encoding,
        )
        if len(loaded.responses) != 1:
            problems.append(
                Problem(
                    ProblemCode.BAD_OPTION,
                    "a round holds the response of one respondent",
                    got=f"{len(loaded.responses)} responses",
                    file=path,
                )
            )
            continue
        response = loaded.responses[0]
        try:
            score(plans.setdefault(version, compile(known[version])), response)
        except ResponseError as exc:
            problems += [attrs.evolve(p, file=p.file or path) for p in exc.problems]
            continue
        # The date names a round best; two files of one respondent often share their name.
        label = str(response.metadata.get("date") or path)
        rounds.append(RoundInput(label, response, version))
    if len(args.rounds) < 2:
        problems.append(
            Problem(ProblemCode.TOO_FEW, "progress needs at least two rounds", location=("ROUND",))
        )
    if problems:
        raise ProblemsError(problems)
    crosswalks = crosswalks_of(args)
    respondents = sorted({r.response.respondent for r in rounds})
    if len(respondents) > 1:
        tell("notice", f"the rounds name different respondents: {', '.join(respondents)}")
    choices = load_choices(text=DEFAULT_CHOICES)
    with tracking("sensitivity analysis", unit="variants", quiet=args.quiet) as tell_done:
        progress = analyse_progress(
            compile(newest),
            rounds,
            choices,
            crosswalks=crosswalks,
            draws=args.draws,
            seed=args.seed,
            progress=tell_done,
        )
    for r in progress.rounds:
        for note in r.notes:
            tell(f"{r.label}: not carried", note.message)
    lang = args.lang or newest.language
    fmt = chosen_format(args.format, args.output, _BY_SUFFIX, "html")
    write = progress_markdown if fmt == "markdown" else progress_html
    text = write(progress, newest, lang, draws=args.draws)
    emit(
        text,
        args.output,
        [*args.rounds, *args.crosswalk],
        what=f"the progress report ({fmt})",
        quiet=args.quiet,
    )
    return 0
