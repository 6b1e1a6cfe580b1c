"""``weltoffen cohort``: compare a cohort of respondents (distributions, peer groups, gaps)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
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
    lines_text,
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
from weltoffen.translations import N_, Messages, translate

if TYPE_CHECKING:
    from weltoffen.analysis.cohort import Cohort, Summary
    from weltoffen.analysis.cohort_change import ChangeSummary, CohortChange
    from weltoffen.analysis.normalise import NormalisedCohort
    from weltoffen.model.questionnaire import Questionnaire
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
#: How many items the table lists by don't-know rate.
TOP_ITEMS = 10


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
        text = format_cohort(cohort, questionnaire, args.lang, normalised, ranks=args.ranks)
        if change is not None:
            text += _change_table(change, questionnaire, args.lang)
    emit(
        text,
        args.output,
        [*args.files, *(split_round(spec)[0] for spec in args.earlier)],
        what=f"the cohort of {len(results)} respondents ({fmt})",
        quiet=args.quiet,
    )
    return 0


# -- the text table ----------------------------------------------------------------------------

_MESSAGES: Messages = (
    N_("cohort", "Cohort"),
    N_("members", "members"),
    N_("min", "Figures resting on fewer than {n} members are suppressed."),
    N_("quartiles", "Quartiles: {method}"),
    N_("percentile", "Percentile: {method}; rank: {rank}"),
    N_("dimension", "Dimension"),
    N_("missing", "missing"),
    N_("overall", "Overall"),
    N_("group", "Peer group"),
    N_("dk", 'Questions most often answered "don\'t know"'),
    N_("of", "of"),
    N_("positions", "Members: overall score, rank and percentile"),
    N_("by_name", "Members: overall score"),
    N_("normalised", "Normalised: {method}"),
    N_("norm_members", "Members, normalised: overall and the top-level dimensions"),
    N_("change", "Change since the earlier round (later minus earlier score, by respondent id)"),
    N_("rounds", "Rounds, oldest first, scored under version {version}"),
    N_("round", "Round {k}"),
    N_("answered_to", "answered to {version}"),
    N_("not_carried", "not carried"),
    N_("up", "up"),
    N_("down", "down"),
    N_("same", "same"),
    N_("only_before", "only in the earlier round"),
    N_("only_after", "only in the later round (missing)"),
)


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


def _change_table(change: CohortChange, questionnaire: Questionnaire, language: str | None) -> str:
    """The rounds, then the distribution of change per dimension for each step."""
    from weltoffen.reports.cohort_texts import labels_for

    lang = language or questionnaire.language
    words = translate(_MESSAGES, lang)
    meanings = labels_for(lang)
    titles = _titles(questionnaire, lang, words)
    lines = ["", words["rounds"].format(version=questionnaire.version)]
    for k, r in enumerate(change.rounds, 1):
        dates = (
            ""
            if r.first is None
            else f", {r.first}" + ("" if r.last == r.first else f" – {r.last}")
        )
        version = "" if r.version is None else ", " + words["answered_to"].format(version=r.version)
        lines.append(f"  {words['round'].format(k=k)}: {r.label}{dates}{version}, n = {r.n}")
        for question, code, who in r.not_carried():
            meaning = meanings.get(f"nc_{code}", code)
            lines.append(f"    {words['not_carried']}: {question} ({meaning}): {len(who)}")
    for k, step in enumerate(change.steps, 1):
        head = words["round"].format(k=k) + " → " + words["round"].format(k=k + 1)
        lines += ["", f"{words['change']}: {head}"]
        lines += _summary_table(step.summaries, titles, words, counts=True)
        lines.append(
            f"  {words['only_before']}: {step.only_before}; "
            f"{words['only_after']}: {step.only_after}"
        )
    return lines_text(lines)


def _titles(questionnaire: Questionnaire, lang: str, words: Mapping[str, str]) -> dict[str, str]:
    from weltoffen.model.text import pick

    titles = {
        d.id: pick(d.title, lang, questionnaire.language)
        for _, d in questionnaire.iter_dimensions()
    }
    titles[questionnaire.id] = words["overall"]
    return titles


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def format_cohort(
    cohort: Cohort,
    questionnaire: Questionnaire,
    language: str | None = None,
    normalised: NormalisedCohort | None = None,
    ranks: bool = False,
) -> str:
    """The comparison as a plain-text report (titles in *language*), with the *normalised*
    scores at the end when given; members by name, or with *ranks* best first."""
    from weltoffen.model.text import pick

    lang = language or questionnaire.language
    words = translate(_MESSAGES, lang)
    titles = _titles(questionnaire, lang, words)
    texts = {
        q.id: pick(q.text, lang, questionnaire.language) for _, q in questionnaire.iter_questions()
    }
    lines = [
        f"{words['cohort']}: {cohort.instrument}, {len(cohort.respondents)} {words['members']}",
        words["min"].format(n=cohort.min_group),
        words["quartiles"].format(method=cohort.quantile_method),
        words["percentile"].format(method=cohort.percentile_method, rank=cohort.rank_method),
        "",
        *_summary_table(cohort.summaries, titles, words),
    ]
    for group in cohort.groups:
        lines.append("")
        if group.suppressed:
            lines.append(f"{words['group']} {group.label}: {group.note}")
            continue
        lines.append(f"{words['group']} {group.label} (n = {group.n})")
        lines.extend(_summary_table(group.summaries, titles, words))
    overall = cohort.summaries[0] if cohort.summaries else None
    if overall is not None and not overall.suppressed:
        width = max(len(p.respondent) for p in overall.positions)
        if ranks:
            lines += ["", words["positions"]]
            for p in sorted(
                overall.positions, key=lambda p: (p.rank is None, p.rank or 0, p.respondent)
            ):
                rank = "" if p.rank is None else f"{p.rank:>3}"
                pct = "" if p.percentile is None else f"P{p.percentile:.0f}"
                lines.append(f"  {p.respondent:<{width}}  {_num(p.score):>6}  {rank:>3}  {pct:>4}")
        else:
            lines += ["", words["by_name"]]
            for p in sorted(overall.positions, key=lambda p: p.respondent.casefold()):
                lines.append(f"  {p.respondent:<{width}}  {_num(p.score):>6}")
    ranked = sorted(
        (i for i in cohort.items if not i.suppressed and i.dont_know),
        key=lambda i: (-(i.dont_know_rate or 0.0), i.question),
    )[:TOP_ITEMS]
    if ranked:
        lines += ["", words["dk"]]
        for i in ranked:
            share = f"{100 * (i.dont_know_rate or 0.0):.0f} %"
            text = texts.get(i.question, "")
            text = text if len(text) <= 70 else text[:69] + "…"
            lines.append(
                f"  {i.question:<10} {share:>5} ({i.dont_know} {words['of']} {i.shown})  {text}"
            )
    if normalised is not None:
        lines += ["", *_normalised_table(normalised, titles, words)]
    for note in cohort.notes:
        lines += ["", note]
    return lines_text(lines)


def _normalised_table(
    normalised: NormalisedCohort, titles: dict[str, str], words: Mapping[str, str]
) -> list[str]:
    """The statistics per dimension, then members × (overall and top-level dimensions)."""
    from weltoffen.analysis.normalise import ZScore

    dims = normalised.dimensions
    labels = ["  " * d.depth + titles.get(d.dimension, d.dimension) for d in dims]
    width = max([len(words["dimension"]), *map(len, labels)])
    head = ["n", words["missing"], "Min", "Max", "Mean", "SD"]
    out = [
        words["normalised"].format(method=normalised.description),
        f"{words['dimension']:<{width}}  " + "  ".join(f"{h:>6}" for h in head),
    ]
    for label, d in zip(labels, dims):
        if d.suppressed:
            out.append(f"{label:<{width}}  {d.note}")
            continue
        cells = [str(d.n), str(d.missing), *(_num(v) for v in (d.min, d.max, d.mean, d.sd))]
        line = f"{label:<{width}}  " + "  ".join(f"{c:>6}" for c in cells)
        out.append(line + (f"  {d.note}" if d.note else ""))
    # Sub-dimensions would make the member table too wide to read; JSON has them all.
    columns = [d for d in dims if d.depth <= 1 and d.values]
    if not columns:
        return out
    digits = 2 if isinstance(normalised.method, ZScore) else 1
    numbers = iter(range(1, len(columns) + 1))
    heads = [words["overall"] if d.depth == 0 else str(next(numbers)) for d in columns]
    out += ["", words["norm_members"]]
    out += [
        f"  {h:>2} = {titles.get(d.dimension, d.dimension)}"
        for h, d in zip(heads, columns)
        if d.depth
    ]
    overall = columns[0].scores

    def order(row: int) -> tuple[bool, float, str]:
        score = overall[row]
        return (score is None, -(score or 0.0), normalised.respondents[row])

    who_width = max(len(r) for r in normalised.respondents)
    cell = max(7, *(len(h) for h in heads))
    out.append(" " * (who_width + 2) + "".join(f"{h:>{cell}}" for h in heads))
    for row in sorted(range(len(normalised.respondents)), key=order):
        values = [d.values[row] for d in columns]
        shown = ["" if v is None else f"{v:.{digits}f}" for v in values]
        out.append(
            f"  {normalised.respondents[row]:<{who_width}}" + "".join(f"{c:>{cell}}" for c in shown)
        )
    return out


def _summary_table(
    summaries: Sequence[Summary | ChangeSummary],
    titles: dict[str, str],
    words: Mapping[str, str],
    *,
    counts: bool = False,
) -> list[str]:
    """One line per dimension; with *counts* (change summaries) also how many members went up,
    down or stayed."""
    from weltoffen.analysis.cohort_change import ChangeSummary

    labels = ["  " * s.depth + titles.get(s.dimension, s.dimension) for s in summaries]
    width = max([len(words["dimension"]), *map(len, labels)])
    head = ["n", words["missing"], "Median", "Q1", "Q3", "Min", "Max"]
    if counts:
        head += [words["up"], words["down"], words["same"]]
    out = [f"{words['dimension']:<{width}}  " + "  ".join(f"{h:>6}" for h in head)]
    for label, s in zip(labels, summaries):
        if s.suppressed:
            out.append(f"{label:<{width}}  {s.note}")
            continue
        cells = [str(s.n), str(s.missing), *(_num(v) for v in (s.median, s.q1, s.q3, s.min, s.max))]
        if isinstance(s, ChangeSummary):
            cells += [str(s.improved), str(s.worsened), str(s.unchanged)]
        out.append(f"{label:<{width}}  " + "  ".join(f"{c:>6}" for c in cells))
    return out
