"""``weltoffen report``: one respondent's report as a self-contained HTML page or Markdown."""

from __future__ import annotations

import argparse
import difflib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from weltoffen.cli._common import Reader as Reader
from weltoffen.cli._common import (
    add_encoding,
    add_output,
    add_questionnaire,
    add_source_format,
    check_language,
    emit,
    foreign_reader,
    questionnaire_from,
    read_responses,
    tracking,
)
from weltoffen.exceptions import (
    Problem,
    ProblemCode,
    ProblemsError,
    ResponseError,
    one_of,
)

if TYPE_CHECKING:
    from weltoffen.analysis.sensitivity import SensitivityReport
    from weltoffen.model.answers import Response
    from weltoffen.model.questionnaire import Questionnaire
    from weltoffen.scoring.plan import ScoringPlan
    from weltoffen.scoring.results import Result
    from weltoffen.serialization.responses import ResponseFile

_FORMATS = ("html", "markdown")
_BY_SUFFIX = {".md": "markdown", ".markdown": "markdown", ".txt": "markdown"}


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "report",
        help="write one respondent's report (HTML or Markdown)",
        usage=(
            "weltoffen report (QUESTIONNAIRE | --instrument NAME) RESPONSES [--respondent ID] "
            "[--lang LANG] [--format html|markdown] [--top N] [-o FILE] [--cohort FILE...] "
            "[--sensitivity [--draws N] [--seed S] [--choices FILE]] [--encoding NAME]"
        ),
        description=(
            "Score one respondent and write a report: overall and per-field scores, bands with "
            "feedback and suggestions, strongest, weakest and open questions, and what-if "
            "advice (which single answer would raise a field most). HTML pages are "
            "self-contained, with inline charts, and need the extra: pip install "
            "'weltoffen[report]'. With --cohort, each score is placed in the cohort's "
            "distribution. With --sensitivity, a section shows how much the scores move when "
            "weights, aggregation and missing-answer policy vary (see 'weltoffen sensitivity')."
        ),
    )
    parser.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="the questionnaire, then the responses file; with --instrument, only the "
        "responses file",
    )
    add_questionnaire(parser, positional=False)
    add_encoding(parser)
    add_source_format(parser)
    parser.add_argument(
        "--respondent",
        metavar="ID",
        help="the respondent to report on (needed when the file holds several)",
    )
    parser.add_argument(
        "--cohort",
        metavar="FILE",
        nargs="+",
        action="extend",
        help="response files of the comparison group (the respondent counts as a member)",
    )
    parser.add_argument(
        "--lang", metavar="LANG", help="language of the report (default: the questionnaire's)"
    )
    parser.add_argument(
        "--format",
        choices=_FORMATS,
        help="html (default) or markdown; with -o, a .md file chooses markdown",
    )
    parser.add_argument(
        "--top",
        metavar="N",
        type=int,
        default=5,
        help="what-if entries per field (default: 5)",
    )
    add_output(parser)
    parser.add_argument(
        "--sensitivity",
        action="store_true",
        help="add the sensitivity section: median and 5–95 %% interval of every score and the "
        "probability of each band under varied methodological choices",
    )
    parser.add_argument(
        "--draws",
        metavar="N",
        type=int,
        help=f"Monte Carlo draws for --sensitivity (default: {SENSITIVITY_DRAWS})",
    )
    parser.add_argument(
        "--seed", metavar="S", type=int, help="random seed for --sensitivity (default: 0)"
    )
    parser.add_argument(
        "--choices",
        metavar="FILE",
        help="YAML or JSON file declaring what --sensitivity varies (default: dimension weights "
        "±20 %%, weighted or geometric mean for the overall score, don't know and skipped "
        "excluded or counted as zero)",
    )
    parser.set_defaults(run=run)


#: Draws of the report's sensitivity section: enough for stable 5–95 % intervals, quick to run.
SENSITIVITY_DRAWS = 200


def run(args: argparse.Namespace) -> int:
    from weltoffen.analysis.advice import advise
    from weltoffen.reports.document import build_document
    from weltoffen.scoring.plan import compile

    files: list[str] = args.files
    wanted = 1 if args.instrument else 2
    if len(files) != wanted:
        usage = "--instrument NAME RESPONSES" if args.instrument else "QUESTIONNAIRE RESPONSES"
        raise ProblemsError(
            [
                Problem(
                    ProblemCode.BAD_OPTION,
                    f"expected {usage}",
                    got=f"{len(files)} file(s): {' '.join(files)}",
                )
            ]
        )
    if args.top < 0:
        raise ProblemsError(
            [
                Problem(
                    ProblemCode.BAD_OPTION,
                    "must be 0 or more",
                    location=("--top",),
                    got=str(args.top),
                )
            ]
        )
    if not args.sensitivity:
        given = [
            o
            for o, v in (
                ("--draws", args.draws),
                ("--seed", args.seed),
                ("--choices", args.choices),
            )
            if v is not None
        ]
        if given:
            raise ProblemsError(
                [
                    Problem(
                        ProblemCode.BAD_OPTION,
                        "only applies with --sensitivity",
                        location=(given[0],),
                    )
                ]
            )
    fmt = args.format or _BY_SUFFIX.get(Path(args.output or "").suffix.lower(), "html")
    if fmt == "html":
        from weltoffen.reports.charts import require_report_extra

        require_report_extra()  # fail before any work, with the install hint

    questionnaire = questionnaire_from(
        argparse.Namespace(
            command=args.command,
            questionnaire=None if args.instrument else files[0],
            instrument=args.instrument,
            instrument_version=args.instrument_version,
            registry=args.registry,  # plugin kinds, under --plugins
        )
    )
    check_language(questionnaire, args.lang)
    plan = compile(questionnaire)

    reader = foreign_reader(args)
    (loaded,) = _load(files[-1:], questionnaire, args.encoding, reader)
    index = _pick(loaded.responses, args.respondent, files[-1])
    response = loaded.responses[index]
    result = _score(plan, [(loaded, index)], trace=True)[0]
    cohort = None
    members = _load(args.cohort, questionnaire, args.encoding, reader) if args.cohort else []
    if args.cohort:
        cohort = _score(plan, [(f, i) for f in members for i in range(len(f.responses))])
    spread = None
    if args.sensitivity:
        spread = _sensitivity(args, plan, response, [r for f in members for r in f.responses])

    advice = advise(plan, result, response=response, top=args.top)
    document = build_document(
        plan, result, advice, lang=args.lang, cohort=cohort, sensitivity=spread
    )
    if fmt == "html":
        from weltoffen.reports.html import render_html

        text = render_html(document)
    else:
        from weltoffen.reports.markdown import render_markdown

        text = render_markdown(document)
    emit(
        text,
        args.output,
        [*files, *(args.cohort or []), args.choices or ""],
        what=f"the {_KINDS[fmt]} report of {response.respondent!r}",
        quiet=args.quiet,
    )
    return 0


_KINDS = {"html": "HTML", "markdown": "Markdown"}


def _sensitivity(
    args: argparse.Namespace,
    plan: ScoringPlan,
    response: Response,
    cohort: Sequence[Response],
) -> SensitivityReport:
    """The sensitivity analysis for the respondent, with the cohort when one is given.

    Indices are skipped: the report shows intervals and band probabilities, and leaving the
    indices out costs ``draws`` evaluations instead of ``draws × (k + 2)``.
    """
    from weltoffen.analysis.sensitivity import analyse_sensitivity, load_choices
    from weltoffen.cli._sensitivity import DEFAULT_CHOICES
    from weltoffen.registry import default_registry

    registry = getattr(args, "registry", default_registry)  # with plugins under --plugins
    if args.choices:
        choices = load_choices(args.choices, registry=registry)
    else:
        choices = load_choices(text=DEFAULT_CHOICES, registry=registry)
    # The respondent joins the cohort (or takes its place there, should it already be in it).
    responses = [response, *(r for r in cohort if r.respondent != response.respondent)]
    with tracking("sensitivity analysis", unit="variants", quiet=args.quiet) as tell_done:
        return analyse_sensitivity(
            plan,
            responses,
            choices,
            draws=SENSITIVITY_DRAWS if args.draws is None else args.draws,
            seed=0 if args.seed is None else args.seed,
            indices=False,
            registry=registry,
            progress=tell_done,
        )


def _load(
    paths: Sequence[str], questionnaire: Questionnaire, encoding: str, reader: Reader | None
) -> list[ResponseFile]:
    """Every file in *paths*, read; every problem in every file at once."""
    files: list[ResponseFile] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            files.append(read_responses(path, questionnaire, encoding=encoding, reader=reader))
        except ResponseError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ResponseError(problems)
    return files


def _score(
    plan: ScoringPlan, which: Sequence[tuple[ResponseFile, int]], *, trace: bool = False
) -> list[Result]:
    """The results of the responses chosen by file and index; problems placed as ``score`` does
    (file, line and index), all of them at once."""
    from weltoffen.scoring.engine import score

    results: list[Result] = []
    problems: list[Problem] = []
    for loaded, index in which:
        try:
            results.append(score(plan, loaded.responses[index], trace=trace))
        except ResponseError as exc:
            problems.extend(loaded.locate(index, exc.problems))
    if problems:
        raise ResponseError(problems)
    return results


def _pick(responses: Sequence[Response], wanted: str | None, path: str) -> int:
    """The index of the respondent the report is for."""
    ids = [r.respondent for r in responses]
    if wanted is None:
        if len(responses) == 1:
            return 0
        shown = ", ".join(ids[:8]) + (", ..." if len(ids) > 8 else "")
        raise ResponseError(
            [
                Problem(
                    ProblemCode.BAD_OPTION,
                    f"the file holds {len(ids)} respondents; choose one with --respondent",
                    expected=f"one of {shown}" if ids else "a response",
                    file=path,
                )
            ]
        )
    if wanted in ids:
        return ids.index(wanted)
    close = difflib.get_close_matches(wanted, ids, n=1)
    raise ResponseError(
        [
            Problem(
                ProblemCode.NOT_FOUND,
                f"no respondent {wanted!r} in the file",
                location=("--respondent",),
                expected=None if close else one_of(ids[:8]),
                hint=f"did you mean {close[0]!r}?" if close else None,
                file=path,
            )
        ]
    )
