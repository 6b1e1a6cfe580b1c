"""``weltoffen validate``: check a questionnaire definition."""

from __future__ import annotations

import argparse
import json
import warnings
from typing import Any

from weltoffen.cli._common import add_questionnaire, emit, lines_text, questionnaire_from
from weltoffen.exceptions import DefinitionWarning, Problem, ProblemsError


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "validate",
        help="check a questionnaire definition",
        description="Check a questionnaire: exit 0 when valid, else 1 with one line per problem.",
    )
    add_questionnaire(parser)
    parser.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="text: one line per problem on standard error (default); json: a report on "
        "standard output with every problem's code and location",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from weltoffen.scoring.plan import compile

    if args.format == "json":
        return _run_json(args)
    questionnaire = questionnaire_from(args)
    plan = compile(questionnaire)
    size = f"{len(plan.questions)} questions, {len(plan.nodes) - 1} dimensions"
    emit(lines_text([f"{questionnaire.id} {questionnaire.version}: valid ({size})"]), None)
    return 0


def _run_json(args: argparse.Namespace) -> int:
    """The verdict as data, for programs: they act on the codes, not on the wording."""
    from weltoffen.result_format import FORMAT_KEY, RESULT_FORMAT
    from weltoffen.scoring.plan import compile

    report: dict[str, Any] = {FORMAT_KEY: RESULT_FORMAT, "valid": False}
    problems: tuple[Problem, ...] = ()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DefinitionWarning)
        try:
            questionnaire = questionnaire_from(args)
            plan = compile(questionnaire)
        except ProblemsError as exc:
            problems = exc.problems
        else:
            report.update(
                valid=True,
                id=questionnaire.id,
                version=questionnaire.version,
                questions=len(plan.questions),
                dimensions=len(plan.nodes) - 1,
            )
    noted = [w.message.problem for w in caught if isinstance(w.message, DefinitionWarning)]
    for other in caught:  # anything else is passed on as it came
        if not isinstance(other.message, DefinitionWarning):
            warnings.warn_explicit(other.message, other.category, other.filename, other.lineno)
    report["problems"] = [p.to_json() for p in problems]
    report["warnings"] = [p.to_json() for p in noted]
    emit(json.dumps(report, ensure_ascii=False, indent=2) + "\n", None)
    return 0 if report["valid"] else 1
