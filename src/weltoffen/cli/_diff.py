"""``weltoffen diff``: what changed between two versions of a questionnaire."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from weltoffen.cli._common import add_output, emit, lines_text, questionnaire_from
from weltoffen.exceptions import Problem, ProblemCode, ProblemsError, WeltoffenError

if TYPE_CHECKING:
    from weltoffen.model.questionnaire import Questionnaire
    from weltoffen.versions.diff import Change, Diff

#: Exit statuses, as diff(1) has them: the same, different (here: in what decides scores),
#: trouble.
SAME, SCORES_DIFFER, TROUBLE = 0, 1, 2

#: Longest value shown in the text format; longer ones end in an ellipsis (JSON has them whole).
_WIDTH = 60


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "diff",
        help="list what changed between two versions of a questionnaire",
        description="List what changed from OLD to NEW: questions, options, points, weights, "
        "conditions, bands, dimensions, strategies, policies and texts, each marked as "
        "affecting scores or not. OLD and NEW are questionnaire files, or with --instrument "
        "NAME two versions of a bundled instrument (NEW left out: the newest). Exit status: 0 "
        "when no change affects scores (texts may differ), 1 when some change does (the "
        "fingerprints differ), 2 when the input is wrong (usage, a file that does not load).",
    )
    parser.add_argument("old", metavar="OLD", help="the old questionnaire file (or version)")
    parser.add_argument(
        "new", metavar="NEW", nargs="?", help="the new questionnaire file (or version)"
    )
    parser.add_argument(
        "--instrument",
        metavar="NAME",
        help="OLD and NEW are versions of this bundled instrument (see 'weltoffen instruments')",
    )
    parser.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="text: one line per change (default); json: every change with its old and new value",
    )
    add_output(parser)
    # input that is wrong is trouble (2), as for diff(1): 1 says that scores differ
    parser.set_defaults(run=run, error_status=TROUBLE)


def run(args: argparse.Namespace) -> int:
    from weltoffen.versions.diff import diff

    old, new = _sides(args)  # what goes wrong ends the command with TROUBLE (see register)
    found = diff(old, new)
    if args.format == "json":
        text = json.dumps(found.to_json(), indent=2, ensure_ascii=False) + "\n"
    else:
        text = lines_text(format_diff(found))
    inputs = [] if args.instrument else [args.old, args.new]
    emit(text, args.output, inputs, what="the differences", quiet=args.quiet)
    return SCORES_DIFFER if found.affects_scores else SAME


def _sides(args: argparse.Namespace) -> tuple[Questionnaire, Questionnaire]:
    """The two questionnaires, every problem of both reported at once."""
    from weltoffen.instruments import load_instrument

    if not args.instrument and args.new is None:
        raise ProblemsError(
            [Problem(ProblemCode.BAD_OPTION, "give OLD and NEW (or --instrument NAME OLD [NEW])")]
        )
    loaded: list[Questionnaire] = []
    problems: list[Problem | WeltoffenError] = []
    for given in (args.old, args.new):
        try:
            if args.instrument:
                loaded.append(load_instrument(args.instrument, given))
            else:
                loaded.append(
                    questionnaire_from(
                        argparse.Namespace(
                            command=args.command,
                            questionnaire=given,
                            instrument=None,
                            registry=args.registry,
                        )
                    )
                )
        except WeltoffenError as exc:
            problems.extend(getattr(exc, "problems", None) or [exc])
    if problems:
        raise _Troubles(problems)
    old, new = loaded
    return old, new


class _Troubles(WeltoffenError):
    """Problems of both sides, raised together."""

    def __init__(self, problems: list[Problem | WeltoffenError]) -> None:
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


def format_diff(found: Diff) -> list[str]:
    """The diff as lines of text: a heading, one line per change, and the verdict."""
    (old_id, old_version, old_print), (new_id, new_version, new_print) = found.old, found.new
    lines = [
        f"old: {old_id} {old_version} (fingerprint {old_print})",
        f"new: {new_id} {new_version} (fingerprint {new_print})",
    ]
    width = max((len(c.subject) for c in found.changes), default=0)
    lines += [_line(change, width) for change in found.changes]
    affecting = sum(c.affects_scores for c in found.changes)
    if not found.changes:
        lines.append("no changes")
    elif affecting:
        lines.append(
            f"{len(found.changes)} change(s), {affecting} affecting scores (marked *): "
            "scores of the two versions may differ"
        )
    else:
        lines.append(f"{len(found.changes)} change(s), none affecting scores")
    return lines


def _line(change: Change, width: int) -> str:
    mark = "*" if change.affects_scores else " "
    where = "/".join(change.path) or "(questionnaire)"
    head = f"{mark} {change.kind:<7} {change.subject:<{width}}  {where}"
    if change.kind == "changed":
        return f"{head}: {_short(change.old)} -> {_short(change.new)}"
    return head


def _short(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _WIDTH else text[: _WIDTH - 1] + "…"
