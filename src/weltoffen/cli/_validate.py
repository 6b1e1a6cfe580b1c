"""``weltoffen validate``: check a questionnaire definition."""

from __future__ import annotations

import argparse
from typing import Any

from weltoffen.cli._common import add_questionnaire, emit, lines_text, questionnaire_from


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "validate",
        help="check a questionnaire definition",
        description="Check a questionnaire: exit 0 when valid, else 1 with one line per problem.",
    )
    add_questionnaire(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from weltoffen.scoring.plan import compile

    questionnaire = questionnaire_from(args)
    plan = compile(questionnaire)
    size = f"{len(plan.questions)} questions, {len(plan.nodes) - 1} dimensions"
    emit(lines_text([f"{questionnaire.id} {questionnaire.version}: valid ({size})"]), None)
    return 0
