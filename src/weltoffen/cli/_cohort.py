"""``weltoffen cohort``: compare a cohort of respondents (distributions, peer groups, gaps)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

from weltoffen.cli._common import (
    add_codes,
    add_files,
    add_output,
    check_language,
    chosen_format,
    emit,
    foreign_reader,
    load_scored,
    plan_and_scored,
    tell,
)
from weltoffen.cli._rounds import add_round_options, crosswalks_of, known_versions, split_round
from weltoffen.exceptions import (
    DefinitionError,
    Problem,
    ProblemCode,
    ProblemsError,
    ResponseError,
)

if TYPE_CHECKING:
    from weltoffen.analysis.cohort_change import CohortChange
    from weltoffen.scoring.plan import ScoringPlan
    from weltoffen.scoring.results import Result
    from weltoffen.versions.crosswalk import Crosswalk

_FORMATS = ("table", "json", "html", "markdown")
_BY_SUFFIX = {
    ".json": "json",
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
}


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "cohort",
        help="compare a cohort of respondents",
        usage=(
            "weltoffen cohort (QUESTIONNAIRE | --instrument NAME) RESPONSES... [--group-by KEY] "
            "[--min-group N] [--earlier FILE[@VERSION]]... [--crosswalk FILE]... [--older FILE]... "
            "[--normalise METHOD] [--format table|json|html|markdown] "
            "[--lang LANG] [-o FILE] [--dont-know-code X] [--na-code Y]"
            " [--encoding NAME]"
        ),
        description=(
            "Score every response and compare them: per dimension the median, quartiles "
            "(R type 7), minimum and maximum, each member's rank and percentile; peer groups by "
            "metadata; the don't-know rate of every question and an item score matrix (JSON). "
            "Figures resting on fewer than --min-group members are suppressed. --format html "
            "writes a self-contained report page with charts and a heatmap of item scores "
            "(needs the extra: pip install 'weltoffen[report]'); --format markdown the same "
            "without charts. --normalise adds every member's scores normalised against the "
            "cohort (table and json). --earlier adds the change between rounds: earlier rounds "
            "answered to an older version are carried to the one scored by the crosswalks, as "
            "for 'weltoffen progress'."
        ),
    )
    add_files(parser)
    parser.add_argument(
        "--group-by",
        metavar="KEY",
        action="append",
        default=[],
        help="form peer groups by this metadata key (repeatable; KEY1+KEY2 groups by both)",
    )
    parser.add_argument(
        "--min-group",
        metavar="N",
        type=int,
        default=5,
        help="suppress figures resting on fewer than N members (default 5)",
    )
    parser.add_argument(
        "--ranks",
        action="store_true",
        help="show each member's rank and percentile, best first (default: members by name, "
        "without ranks: a comparison, not a league table)",
    )
    parser.add_argument(
        "--earlier",
        metavar="FILE[@VERSION]",
        action="append",
        default=[],
        help="responses of an earlier round of the cohort (repeatable; @VERSION: the version it "
        "was answered to, carried to the one scored by the crosswalks): adds the distribution "
        "of change per dimension between consecutive rounds, members matched by respondent id",
    )
    add_round_options(parser)
    parser.add_argument(
        "--normalise",
        metavar="METHOD",
        help="also give the scores normalised: minmax, zscore (or zscore:MEAN:SD), "
        "goalposts:LOW:HIGH, target:T or rank (table and json only)",
    )
    parser.add_argument(
        "--format",
        choices=_FORMATS,
        help="table (default), json, html or markdown; with -o, the suffix .json, .html or .md "
        "chooses it",
    )
    parser.add_argument(
        "--lang", metavar="LANG", help="language of the titles (default: the questionnaire's)"
    )
    add_output(parser)
    add_codes(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from weltoffen.analysis.cohort import compare

    fmt = chosen_format(args.format, args.output, _BY_SUFFIX, "table")
    if fmt == "html":
        from weltoffen.reports.charts import require_report_extra

        require_report_extra()  # fail before any work, with the install hint
    if args.min_group < 1:
        raise ProblemsError(
            [
                Problem(
                    ProblemCode.BAD_OPTION,
                    "must be at least 1",
                    location=("--min-group",),
                    got=str(args.min_group),
                )
            ]
        )
    method = None
    if args.normalise is not None:
        from weltoffen.analysis.normalise import parse_normalisation

        if fmt not in ("table", "json"):
            raise ProblemsError(
                [
                    Problem(
                        ProblemCode.BAD_OPTION,
                        "works with --format table or json",
                        location=("--normalise",),
                        got=fmt,
                    )
                ]
            )
        method = parse_normalisation(args.normalise, where="--normalise")
    # Traced, for the item figures; a respondent in two places is a problem.
    plan, scored = plan_and_scored(args, trace=True)
    questionnaire = plan.questionnaire
    check_language(questionnaire, args.lang)
    results = [result for _, result in scored]
    groups = [tuple(k.split("+")) if "+" in k else k for k in args.group_by]
    cohort = compare(results, group_by=groups, min_group=args.min_group)
    change = _change(args, plan, results) if args.earlier else None
    normalised = None
    if method is not None:
        from weltoffen.analysis.normalise import normalise_cohort

        normalised = normalise_cohort(results, method, min_group=args.min_group)
    if fmt == "json":
        from weltoffen.analysis.cohort_json import describe_cohort, describe_normalised
        from weltoffen.result_format import plain

        view = describe_cohort(cohort, questionnaire, args.lang)
        if normalised is not None:
            extra = describe_normalised(normalised, questionnaire, args.lang)
            view = attrs.evolve(view, normalised=extra)
        if change is not None:
            from weltoffen.analysis.cohort_json import describe_change

            view = attrs.evolve(view, change=describe_change(change, questionnaire, args.lang))
        text = json.dumps(plain(view), ensure_ascii=False, indent=2) + "\n"
    elif fmt in ("html", "markdown"):
        from weltoffen.reports.cohort import (
            build_cohort_document,
            render_cohort_html,
            render_cohort_markdown,
        )

        document = build_cohort_document(
            questionnaire, results, cohort, lang=args.lang, ranks=args.ranks, change=change
        )
        render = render_cohort_html if fmt == "html" else render_cohort_markdown
        text = render(document)
    else:
        from weltoffen.reports.cohort_table import change_table, format_cohort

        text = format_cohort(cohort, questionnaire, args.lang, normalised, ranks=args.ranks)
        if change is not None:
            text += change_table(change, questionnaire, args.lang)
    emit(
        text,
        args.output,
        [*args.files, *(split_round(spec)[0] for spec in args.earlier)],
        what=f"the cohort of {len(results)} respondents ({fmt})",
        quiet=args.quiet,
    )
    return 0


def _change(args: argparse.Namespace, plan: ScoringPlan, results: Sequence[Result]) -> CohortChange:
    """The rounds ``--earlier`` names with the current one, carried to the version scored.

    Raises:
        ProblemsError: Every problem of every earlier round, each placed at its file (and
            line) or at its ``--earlier`` option.
    """
    from weltoffen.analysis.cohort_change import RoundResults, cohort_change
    from weltoffen.analysis.progress import carry
    from weltoffen.scoring.engine import score
    from weltoffen.scoring.plan import compile

    current = plan.questionnaire
    known = known_versions(args, current)
    crosswalks: list[Crosswalk] | None = None
    problems: list[Problem] = []
    rounds: list[RoundResults] = []
    files = args.files if args.instrument else args.files[1:]
    for spec in args.earlier:
        path, version = split_round(spec)
        version = version or current.version
        where = ("--earlier", spec)
        if version not in known:
            problems.append(
                Problem(
                    ProblemCode.NOT_FOUND,
                    f"no questionnaire of version {version!r} is known",
                    location=where,
                    expected=", ".join(sorted(known)),
                    hint="name the older questionnaire with --older FILE",
                )
            )
            continue
        # Read and checked under the version it was answered to, so that problems are placed.
        own = plan if version == current.version else compile(known[version])
        try:
            scored = load_scored(
                own,
                [path],
                dont_know=args.dont_know_code,
                not_applicable=args.na_code,
                encoding=args.encoding,
                unique=True,
                reader=foreign_reader(args),
                quiet=args.quiet,
            )
        except ResponseError as exc:
            problems.extend(exc.problems)
            continue
        if own is plan:
            rounds.append(
                RoundResults(label=path, results=tuple(r for _, r in scored), version=version)
            )
            continue
        if crosswalks is None:
            crosswalks = crosswalks_of(args)
        try:
            carried, notes = carry([r for r, _ in scored], crosswalks, version, current.version)
        except DefinitionError as exc:
            problems.extend(attrs.evolve(p, location=where) for p in exc.problems)
            continue
        later: list[Result] = []
        for response in carried:
            try:
                later.append(score(plan, response))
            except ResponseError as exc:
                problems.extend(attrs.evolve(p, file=p.file or path) for p in exc.problems)
        rounds.append(RoundResults(label=path, results=tuple(later), version=version, notes=notes))
    if problems:
        raise ProblemsError(problems)
    rounds.append(
        RoundResults(label=", ".join(files), results=tuple(results), version=current.version)
    )
    change = cohort_change(rounds, min_group=args.min_group)
    for r in change.rounds:
        for question, code, who in r.not_carried():
            tell(f"{r.label}: not carried", f"{question} ({code}): {len(who)} of {r.n} members")
    if change.rounds[-1].given != len(rounds) - 1:
        tell("notice", "by the dates in the metadata, an earlier round is later than the current")
    return change
