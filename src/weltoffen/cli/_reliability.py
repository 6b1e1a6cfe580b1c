"""``weltoffen reliability``: Cronbach's alpha, item statistics and data-quality flags."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from weltoffen.cli._common import (
    add_codes,
    add_files,
    add_output,
    chosen_format,
    columns,
    emit,
    lines_text,
    plan_and_scored,
    tracking,
)

if TYPE_CHECKING:
    from weltoffen.analysis.quality import QualityReport
    from weltoffen.analysis.reliability import ReliabilityReport

_FORMATS = ("table", "json")
_BY_SUFFIX = {".json": "json"}


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "reliability",
        help="Cronbach's alpha per dimension, item statistics and data-quality flags",
        usage=(
            "weltoffen reliability (QUESTIONNAIRE | --instrument NAME) RESPONSES... "
            "[--format table|json] [--min-coverage SHARE] [--max-dont-know SHARE] "
            "[--straight-items N] [-o FILE] [--dont-know-code X] [--na-code Y]"
            " [--encoding NAME]"
        ),
        description=(
            "Compute Cronbach's alpha (raw and standardised), item–rest correlations and alpha "
            "if item deleted per dimension, from pairwise-complete covariances as R's "
            "psych::alpha does; then flag likely reverse-keying errors, straight-lining, low "
            "coverage and frequent don't-knows."
        ),
    )
    add_files(parser)
    parser.add_argument(
        "--format",
        choices=_FORMATS,
        help="table (default) or json (its schema: weltoffen schema --results); with -o, a .json "
        "file chooses json",
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
    add_output(parser)
    add_codes(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from weltoffen.analysis.quality import QualitySettings, check_quality
    from weltoffen.analysis.reliability import assess_reliability, item_table

    plan, scored = plan_and_scored(args, trace=True)
    table = item_table(plan, [result for _, result in scored])
    with tracking("reliability", unit="dimensions", quiet=args.quiet) as tell:
        report = assess_reliability(plan, table, progress=tell)
    settings = QualitySettings(
        min_coverage=args.min_coverage,
        max_dont_know=args.max_dont_know,
        straight_min_items=args.straight_items,
    )
    quality = check_quality(plan, table, settings=settings, reliability=report)
    fmt = chosen_format(args.format, args.output, _BY_SUFFIX, "table")
    text = as_json(report, quality) if fmt == "json" else as_table(report, quality)
    emit(text, args.output, args.files, what=f"reliability ({fmt})", quiet=args.quiet)
    return 0


def as_json(report: ReliabilityReport, quality: QualityReport) -> str:
    """Both reports as one JSON document, every field present."""
    import attrs

    from weltoffen.result_format import FORMAT_KEY, RESULT_FORMAT

    data = {
        FORMAT_KEY: RESULT_FORMAT,
        "reliability": attrs.asdict(report),
        "quality": attrs.asdict(quality),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _num(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


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
    lines.extend(columns(rows))
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
            lines.extend(columns(items, "  "))
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
    return lines_text(lines)
