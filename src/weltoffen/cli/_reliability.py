"""``weltoffen reliability``: Cronbach's alpha, item statistics and data-quality flags."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from weltoffen.cli._common import add_questionnaire, emit, questionnaire_from

if TYPE_CHECKING:
    from weltoffen.analysis.quality import QualityReport
    from weltoffen.analysis.reliability import ReliabilityReport
    from weltoffen.model.answers import Response
    from weltoffen.model.questionnaire import Questionnaire
    from weltoffen.scoring.plan import ScoringPlan


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "reliability",
        help="Cronbach's alpha per dimension, item statistics and data-quality flags",
        description=(
            "Compute Cronbach's alpha (raw and standardised), item–rest correlations and alpha "
            "if item deleted per dimension, from pairwise-complete covariances as R's "
            "psych::alpha does; then flag likely reverse-keying errors, straight-lining, low "
            "coverage and frequent don't-knows."
        ),
    )
    add_questionnaire(parser)
    add_responses(parser)
    parser.add_argument(
        "--format", choices=("table", "json"), default="table", help="output format (table)"
    )
    parser.add_argument(
        "--min-coverage",
        type=float,
        default=0.5,
        metavar="SHARE",
        help="flag respondent × dimension coverage below SHARE (0.5)",
    )
    parser.add_argument(
        "--max-dont-know",
        type=float,
        default=0.25,
        metavar="SHARE",
        help="flag questions whose don't-know share exceeds SHARE (0.25)",
    )
    parser.add_argument(
        "--straight-items",
        type=int,
        default=5,
        metavar="N",
        help="fewest answered ordinal items for straight-lining (5)",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    parser.set_defaults(run=run)


def add_responses(parser: argparse.ArgumentParser) -> None:
    """``RESPONSES...`` — one or more response files (YAML, JSON, CSV, ...)."""
    parser.add_argument(
        "responses",
        nargs="+",
        metavar="RESPONSES",
        help="response files (YAML or JSON; CSV and XLSX with question ids as columns)",
    )


def questionnaire_and_responses(args: argparse.Namespace) -> Questionnaire:
    """The questionnaire the options name, after sorting out the positional arguments.

    With ``--instrument`` every positional argument is a response file, but argparse hands the
    first one to the optional ``QUESTIONNAIRE``; give it back to the responses.
    """
    if args.instrument and args.questionnaire:
        args.responses = [args.questionnaire, *args.responses]
        args.questionnaire = None
    return questionnaire_from(args)


def responses_from(
    args: argparse.Namespace, questionnaire: Questionnaire
) -> tuple[ScoringPlan, list[Response]]:
    """Compile *questionnaire* and load every response file named, checking each response.

    Raises:
        ResponseError: Every problem in every file, each with file and place; also respondent
            ids that occur twice.
    """
    from weltoffen.exceptions import Problem, ResponseError
    from weltoffen.scoring.engine import score
    from weltoffen.scoring.plan import compile
    from weltoffen.serialization.responses import load_response_file

    plan = compile(questionnaire)
    problems: list[Problem] = []
    responses: list[Response] = []
    seen: dict[str, str] = {}
    for path in args.responses:
        try:
            loaded = load_response_file(path, questionnaire)
        except ResponseError as exc:
            problems.extend(exc.problems)
            continue
        for i, response in enumerate(loaded.responses):
            try:
                score(plan, response)
            except ResponseError as exc:
                problems.extend(loaded.locate(i, exc.problems))
                continue
            if response.respondent in seen:
                problems.append(
                    Problem(
                        "respondent",
                        f"respondent {response.respondent!r} appears twice",
                        got=f"also in {seen[response.respondent]}",
                        file=path,
                        line=loaded.lines[i],
                    )
                )
                continue
            seen[response.respondent] = path
            responses.append(response)
    if problems:
        raise ResponseError(problems)
    if not responses:
        raise ResponseError([Problem("", "no responses in the files given")])
    return plan, responses


def run(args: argparse.Namespace) -> int:
    from weltoffen.analysis.quality import QualitySettings, check_quality
    from weltoffen.analysis.reliability import assess_reliability, item_table

    plan, responses = responses_from(args, questionnaire_and_responses(args))
    table = item_table(plan, responses)
    report = assess_reliability(plan, table)
    settings = QualitySettings(
        min_coverage=args.min_coverage,
        max_dont_know=args.max_dont_know,
        straight_min_items=args.straight_items,
    )
    quality = check_quality(plan, table, settings=settings, reliability=report)
    text = as_json(report, quality) if args.format == "json" else as_table(report, quality)
    emit(text, args.output, [*args.responses, getattr(args, "questionnaire", None) or ""])
    return 0


def as_json(report: ReliabilityReport, quality: QualityReport) -> str:
    """Both reports as one JSON document, every field present."""
    import attrs

    data = {
        "reliability": attrs.asdict(report),
        "quality": attrs.asdict(quality),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _num(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _columns(rows: Sequence[Sequence[str]], indent: str = "") -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        indent + "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows
    ]


def as_table(report: ReliabilityReport, quality: QualityReport) -> str:
    """A plain-text summary: alpha per dimension, item statistics, then the flags."""
    lines = [
        f"{report.instrument} {report.version}: reliability over {report.respondents} responses",
        "(Cronbach's alpha from pairwise-complete covariances, as R's psych::alpha)",
        "",
    ]
    rows = [["dimension", "items", "respondents", "alpha", "std.alpha", "average r"]]
    for dim in report.dimensions:
        rows.append(
            [
                dim.dimension,
                str(len(dim.items)),
                str(dim.respondents),
                _num(dim.alpha),
                _num(dim.std_alpha),
                _num(dim.average_r),
            ]
        )
    lines.extend(_columns(rows))
    for dim in report.dimensions:
        lines.extend(["", f"{dim.dimension}:"])
        if dim.note:
            lines.append(f"  {dim.note}")
        if dim.items:
            items = [["item", "n", "mean", "sd", "r.drop", "alpha if deleted", "std.alpha if del."]]
            for item in dim.items:
                items.append(
                    [
                        item.question + (" (reversed)" if item.reverse else ""),
                        str(item.n),
                        _num(item.mean, 2),
                        _num(item.sd, 2),
                        _num(item.r_drop),
                        _num(item.alpha_if_deleted),
                        _num(item.std_alpha_if_deleted),
                    ]
                )
            lines.extend(_columns(items, "  "))
        for question, why in dim.excluded.items():
            lines.append(f"  left out {question}: {why}")
    lines.extend(["", f"data-quality flags ({len(quality.flags)}):"])
    if not quality.flags:
        lines.append("  none")
    # Low coverage comes one line per respondent: a thin response is low in many dimensions.
    coverage: dict[str, list[str]] = {}
    entries: list[str | list[str]] = []
    for flag in quality.flags:
        if flag.kind == "low_coverage" and flag.respondent is not None:
            if flag.respondent not in coverage:
                coverage[flag.respondent] = [f"respondent {flag.respondent!r} covers"]
                entries.append(coverage[flag.respondent])
            coverage[flag.respondent].append(f"{flag.dimension or 'overall'} {flag.value:.0%}")
        else:
            entries.append(f"{flag.kind}: {flag.message}")
    minimum = quality.settings.min_coverage
    for entry in entries:
        if isinstance(entry, str):
            lines.append(f"  {entry}")
        else:
            lines.append(
                f"  low_coverage: {entry[0]} {', '.join(entry[1:])} (minimum {minimum:.0%})"
            )
    return "\n".join(lines) + "\n"
