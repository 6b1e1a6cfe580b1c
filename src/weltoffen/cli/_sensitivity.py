"""``weltoffen sensitivity``: Monte Carlo over methodological choices, with sensitivity indices."""

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
    from weltoffen.analysis.sensitivity import Index, SensitivityReport
    from weltoffen.registry import Registry

_FORMATS = ("table", "json")
_BY_SUFFIX = {".json": "json"}

#: Varied when no ``--choices`` file is given. The geometric mean is tried for the overall score
#: only: at every level a single question scored 0 would set its whole field to 0, and the
#: intervals would show that collapse rather than the methods' real disagreement.
DEFAULT_CHOICES = """\
weights: {method: uniform, spread: 0.2, targets: dimensions}
aggregations: [weighted_mean, geometric_mean]
aggregation_scope: overall
policies: [exclude, zero]
"""


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "sensitivity",
        help="how much scores and ranks depend on weights, aggregation and missing-answer policy",
        usage=(
            "weltoffen sensitivity (QUESTIONNAIRE | --instrument NAME) RESPONSES... "
            "[--choices FILE] [--draws N] [--seed S] [--no-indices] [--format table|json] "
            "[-o FILE] [--dont-know-code X] [--na-code Y]"
            " [--encoding NAME]"
        ),
        description=(
            "Draw the declared methodological choices at random, score every response under "
            "each variant, and report per respondent the median score, the 5–95 % interval, "
            "the probability of each band and the rank interval, plus variance-based "
            "sensitivity indices (first order and total effect) per choice. Without --choices "
            "the weights vary by ±20 %, the overall score is a weighted or geometric mean and "
            "missing answers are excluded or count as zero."
        ),
    )
    add_files(parser)
    parser.add_argument(
        "--choices", metavar="FILE", help="YAML or JSON file declaring what to vary"
    )
    parser.add_argument(
        "--draws", type=int, default=500, metavar="N", help="Monte Carlo draws (500)"
    )
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (0)")
    parser.add_argument(
        "--no-indices",
        action="store_true",
        help="skip the sensitivity indices (costs draws instead of draws × (k + 2) evaluations)",
    )
    parser.add_argument(
        "--format",
        choices=_FORMATS,
        help="table (default) or json (its schema: weltoffen schema --results); with -o, a .json "
        "file chooses json",
    )
    add_output(parser)
    add_codes(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from weltoffen.analysis.sensitivity import analyse_sensitivity, load_choices
    from weltoffen.registry import default_registry

    registry = getattr(args, "registry", default_registry)  # with plugins under --plugins
    choices = (
        load_choices(args.choices, registry=registry)
        if args.choices
        else load_choices(text=DEFAULT_CHOICES, registry=registry)
    )
    plan, scored = plan_and_scored(args)
    with tracking("sensitivity analysis", unit="variants", quiet=args.quiet) as tell:
        report = analyse_sensitivity(
            plan,
            [response for response, _ in scored],
            choices,
            draws=args.draws,
            seed=args.seed,
            indices=not args.no_indices,
            registry=registry,
            progress=tell,
        )
    fmt = chosen_format(args.format, args.output, _BY_SUFFIX, "table")
    text = as_json(report, registry) if fmt == "json" else as_table(report)
    emit(
        text,
        args.output,
        [*args.files, args.choices],
        what=f"sensitivity ({fmt})",
        quiet=args.quiet,
    )
    return 0


def as_json(report: SensitivityReport, registry: Registry) -> str:
    """The report as JSON: every field, the choices as a choices file would state them."""
    import attrs

    from weltoffen.result_format import FORMAT_KEY, RESULT_FORMAT
    from weltoffen.serialization.converter import make_converter

    data = attrs.asdict(report, filter=lambda a, _: a.name != "choices")
    choices = make_converter(registry).unstructure(report.choices)
    data = {FORMAT_KEY: RESULT_FORMAT, "choices": choices, **data}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _num(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _index(index: Index) -> str:
    return f"{_num(index.first_order, 2)}/{_num(index.total, 2)}"


def as_table(report: SensitivityReport) -> str:
    """A plain-text summary of the overall score per respondent."""
    lines = [
        f"{report.instrument} {report.version}: sensitivity over {report.draws} draws "
        f"(seed {report.seed}, {report.evaluations} evaluations)",
        "varied:",
        *(f"  - {what}" for what in report.varied),
        "",
    ]
    lo, hi = (f"{100 * q:g}%" for q in report.interval)
    head = ["respondent", "nominal", "median", lo, hi, "bands"]
    cohort = any(r.rank is not None for r in report.respondents)
    if cohort:
        head += ["rank", "median rank", f"rank {lo}–{hi}"]
    with_indices = any(r.indices for r in report.respondents)
    if with_indices:
        head += [f"S/ST {factor}" for factor in report.factors]
    rows = [head]
    for entry in report.respondents:
        overall = entry.overall
        bands = ", ".join(f"{band} {share:.0%}" for band, share in overall.bands.items())
        if overall.not_assessable:
            bands = ", ".join(filter(None, [bands, f"no score {overall.not_assessable:.0%}"]))
        row = [
            entry.respondent,
            _num(overall.nominal),
            _num(overall.median),
            _num(overall.low),
            _num(overall.high),
            bands or "–",
        ]
        if cohort:
            rank = entry.rank
            row += (
                [_num(rank.nominal), _num(rank.median), f"{_num(rank.low)}–{_num(rank.high)}"]
                if rank is not None
                else ["–", "–", "–"]
            )
        if with_indices:
            row += [_index(i) for i in entry.indices]
        rows.append(row)
    lines.extend(columns(rows))
    if report.cohort_indices:
        shares = ", ".join(f"{i.factor} {_index(i)}" for i in report.cohort_indices)
        lines.extend(["", f"mean absolute rank shift, S/ST per choice: {shares}"])
    if with_indices:
        lines.extend(["", f"S = first-order index, ST = total effect ({report.estimators})"])
    lines.append("Per-dimension distributions: --format json.")
    return lines_text(lines)
