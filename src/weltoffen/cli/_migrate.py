"""``weltoffen migrate``: carry responses over to a new version of an instrument by a crosswalk.

The responses are read as every command reads them (YAML, JSON, CSV, XLSX, or a foreign format
with ``--from``), against the old version, and written in weltoffen's own YAML or JSON. What is
not carried is said per respondent, on standard error or as JSON with ``--notes``. With
``--compare`` the old and the migrated responses are scored under their versions and the
differences are shown per dimension.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from weltoffen.cli._common import (
    add_codes,
    add_encoding,
    add_source_format,
    columns,
    emit,
    foreign_reader,
    lines_text,
    notice,
    output_path,
    read_responses,
    tell,
)
from weltoffen.exceptions import (
    DefinitionError,
    Problem,
    ProblemCode,
    ResponseError,
    WeltoffenError,
)
from weltoffen.serialization.api import write_text

if TYPE_CHECKING:
    from weltoffen.model.answers import Response
    from weltoffen.model.questionnaire import Questionnaire
    from weltoffen.versions.compare import VersionComparison
    from weltoffen.versions.crosswalk import Crosswalk
    from weltoffen.versions.migrate import Migration

_FORMATS = ("text", "json")


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "migrate",
        help="carry responses over to a new version of an instrument by a crosswalk",
        usage=(
            "weltoffen migrate (--crosswalk FILE... | --instrument NAME --from-version V "
            "[--to-version W]) RESPONSES... [-o OUT] [--notes FILE] [--old QUESTIONNAIRE] "
            "[--new QUESTIONNAIRE] [--compare [--format text|json]] [--from FORMAT] "
            "[--encoding NAME] [--dont-know-code X] [--na-code Y]"
        ),
        description=(
            "Carry responses given to one version of an instrument over to the next, by a "
            "crosswalk (several --crosswalk files are chained in the order given; a bundled "
            "instrument brings its own). Every answer that is not carried as it was is noted "
            "per respondent, on standard error or as JSON with --notes; nothing is dropped "
            "silently and no answer is made up. The input files are never overwritten. The "
            "versions themselves come from the bundled instrument of the crosswalk, or from "
            "--old and --new. With --compare, the responses are scored under the old version "
            "and, migrated, under the new one, and the differences are shown per dimension."
        ),
    )
    parser.add_argument(
        "responses", nargs="+", metavar="RESPONSES", help="response files of the old version"
    )
    parser.add_argument(
        "--crosswalk",
        action="append",
        metavar="FILE",
        help="crosswalk file (YAML or JSON); give several to chain them (1.0→1.1, 1.1→2.0)",
    )
    parser.add_argument(
        "--instrument",
        metavar="NAME",
        help="a bundled instrument: its own crosswalks, chained from --from-version",
    )
    parser.add_argument(
        "--from-version", metavar="V", help="with --instrument: the version of the responses"
    )
    parser.add_argument(
        "--to-version",
        metavar="W",
        help="with --instrument: the version to migrate to (default: the newest)",
    )
    parser.add_argument(
        "--old", metavar="QUESTIONNAIRE", help="the old version's file (default: bundled)"
    )
    parser.add_argument(
        "--new", metavar="QUESTIONNAIRE", help="the new version's file (default: bundled)"
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="write the migrated responses to OUT (.yaml or .json; never over an input) "
        "instead of stdout",
    )
    parser.add_argument(
        "--notes", metavar="FILE", help="write the notes as JSON to FILE instead of stderr"
    )
    parser.add_argument(
        "--compare",
        action="store_true",
        help="score under both versions and show the differences per dimension (on stdout)",
    )
    parser.add_argument(
        "--format", choices=_FORMATS, default="text", help="of --compare (default: text)"
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="do not say on stderr what was written"
    )
    add_encoding(parser)
    add_codes(parser)
    add_source_format(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from weltoffen.serialization.api import dump_responses, format_of
    from weltoffen.versions.crosswalk_check import check_crosswalk
    from weltoffen.versions.migrate import migrate

    crosswalk, files = _crosswalk(args)
    old_q = _questionnaire(args.old, crosswalk.instrument, crosswalk.from_version, "--old")
    new_q = None
    if args.new or args.compare:
        new_q = _questionnaire(args.new, crosswalk.instrument, crosswalk.to_version, "--new")
    elif _bundled(crosswalk.instrument, crosswalk.to_version) is not None:
        new_q = _questionnaire(None, crosswalk.instrument, crosswalk.to_version, "--new")
    if new_q is not None:
        problems = check_crosswalk(crosswalk, old_q, new_q)
        if problems:
            raise DefinitionError(problems).with_source(files[0] if len(files) == 1 else None, {})
    responses = _responses(args, old_q)
    inputs = [*args.responses, *files, args.old, args.new]
    notes_target = output_path(args.notes, inputs) if args.notes else None
    if args.output and notes_target is not None and output_path(args.output) == notes_target:
        raise WeltoffenError("--notes and -o name the same file")
    migration = migrate(responses, crosswalk)
    if args.output or not args.compare:
        fmt = format_of(args.output) if args.output else "yaml"
        emit(
            dump_responses(list(migration.responses), format=fmt),
            args.output,
            inputs,
            what=f"{_count(len(migration.responses), 'response')} migrated to version "
            f"{crosswalk.to_version}",
            quiet=args.quiet,
        )
    _notes(migration, notes_target, args.quiet)
    if args.compare:
        from weltoffen.versions.compare import compare_versions

        assert new_q is not None  # --compare loads it
        comparison = compare_versions(old_q, new_q, responses, crosswalk)
        if args.format == "json":
            emit(json.dumps(comparison.to_data(), ensure_ascii=False, indent=2) + "\n", None)
        else:
            emit(lines_text(comparison_lines(comparison)), None)
    return 0


def _crosswalk(args: argparse.Namespace) -> tuple[Crosswalk, list[str]]:
    """The crosswalk to migrate by (chained from the files or the bundled ones) and its files."""
    from weltoffen.versions.crosswalk import load_crosswalk
    from weltoffen.versions.crosswalk_chain import chain

    if args.crosswalk and args.instrument:
        raise WeltoffenError("give either --crosswalk or --instrument, not both")
    if args.crosswalk:
        files = list(args.crosswalk)
    elif args.instrument:
        if not args.from_version:
            raise WeltoffenError("--instrument needs --from-version: the version of the responses")
        files = [os.fspath(p) for p in _bundled_chain(args)]
    else:
        raise WeltoffenError("no crosswalk given: use --crosswalk FILE or --instrument NAME")
    crosswalks = []
    problems: list[Problem] = []
    for path in files:
        try:
            crosswalks.append(load_crosswalk(path))
        except DefinitionError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DefinitionError(problems)
    return chain(*crosswalks), files


def _bundled_chain(args: argparse.Namespace) -> list[Path]:
    """The bundled crosswalks of ``--instrument`` from ``--from-version`` on, up to
    ``--to-version`` (or the last)."""
    from weltoffen.versions.crosswalk import load_crosswalk

    steps = {}
    for path in _bundled_crosswalk_files(args.instrument):
        cw = load_crosswalk(path)
        steps[cw.from_version] = (cw.to_version, path)
    found: list[Path] = []
    version = args.from_version
    while version in steps and version != args.to_version:
        version, path = steps[version]
        found.append(path)
    if not found or (args.to_version and version != args.to_version):
        known = sorted({*steps, *(to for to, _ in steps.values())})
        raise WeltoffenError(
            f"bundled instrument {args.instrument!r} has no crosswalks from version "
            f"{args.from_version}"
            + (f" to {args.to_version}" if args.to_version else "")
            + (f" (its versions: {', '.join(known)})" if known else "")
        )
    return found


def _bundled_crosswalk_files(name: str) -> list[Path]:
    from weltoffen import instruments

    instruments.path_of(name)  # an unknown name raises the error that lists the known ones
    return instruments.crosswalk_paths(name)


def _bundled(name: str, version: str) -> Path | None:
    """The file of bundled instrument *name* in *version*, if weltoffen ships it."""
    from weltoffen import instruments

    if name not in instruments.available() or version not in instruments.versions(name):
        return None
    return instruments.path_of(name, version)


def _questionnaire(given: str | None, name: str, version: str, option: str) -> Questionnaire:
    from weltoffen.serialization.api import load_questionnaire

    path = given or _bundled(name, version)
    if path is None:
        raise WeltoffenError(
            f"version {version} of {name!r} is not bundled with weltoffen: give its file with "
            f"{option} QUESTIONNAIRE"
        )
    return load_questionnaire(path)


def _responses(args: argparse.Namespace, old_q: Questionnaire) -> list[Response]:
    """Every response of every file, checked against the old version (all problems at once)."""
    from weltoffen.scoring.engine import score
    from weltoffen.scoring.plan import compile

    plan = compile(old_q)
    reader = foreign_reader(args)
    out: list[Response] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for path in args.responses:
        try:
            loaded = read_responses(
                path,
                old_q,
                dont_know=args.dont_know_code,
                not_applicable=args.na_code,
                encoding=args.encoding,
                reader=reader,
            )
        except ResponseError as exc:
            problems.extend(exc.problems)
            continue
        for index, response in enumerate(loaded.responses):
            if response.respondent in seen:
                again = Problem(
                    ProblemCode.DUPLICATE_RESPONDENT,
                    f"respondent {response.respondent!r} appears twice",
                    location=("respondent",),
                )
                problems.extend(loaded.locate(index, [again]))
                continue
            seen.add(response.respondent)
            try:
                score(plan, response)  # answers that do not fit the old version are refused
            except ResponseError as exc:
                problems.extend(loaded.locate(index, exc.problems))
                continue
            out.append(response)
    if problems:
        raise ResponseError(problems)
    return out


def _notes(migration: Migration, target: Path | None, quiet: bool) -> None:
    cw = migration.crosswalk
    if target is not None:
        data = [
            {
                "respondent": n.respondent,
                "question": n.question,
                "code": n.code,
                "message": n.message,
            }
            for n in migration.notes
        ]
        write_text(os.fspath(target), json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        if not quiet:
            notice(f"wrote {target}: {_count(len(data), 'migration note')}\n")
        return
    for n in migration.notes:
        tell(f"{n.respondent}: {n.question}", f"{n.message} [{n.code}]")
    if not quiet:
        notice(
            f"migrated {_count(len(migration.responses), 'response')} from {cw.instrument} "
            f"{cw.from_version} to {cw.to_version}: {_count(len(migration.notes), 'note')}\n"
        )


def comparison_lines(comparison: VersionComparison) -> list[str]:
    """The comparison as a table per dimension, then the respondents whose scores change."""
    old, new = comparison.from_version, comparison.to_version
    people = len({r.respondent for r in comparison.respondents})
    lines = [f"{comparison.instrument} {old} → {new}: {people} respondents, scored under both"]
    rows = [["dimension", "scored", "mean change", "range", "band changes"]]
    for d in comparison.dimensions:
        rows.append(
            [
                "(overall)" if d.dimension is None else d.dimension,
                str(d.respondents),
                _signed(d.mean_change),
                "–"
                if d.min_change is None
                else f"{_signed(d.min_change)} … {_signed(d.max_change)}",
                str(d.band_changes),
            ]
        )
    lines += ["", *columns(rows)]
    changed = [
        r
        for r in comparison.respondents
        if r.band_changed
        or (r.change is not None and abs(r.change) >= 0.05)
        or ((r.old_score is None) != (r.new_score is None))
    ]
    if changed:
        rows = [["respondent", "dimension", old, new, "change", "band"]]
        for r in changed:
            band = r.new_band or "–"
            if r.band_changed:
                band = f"{r.old_band or '–'} → {band}"
            rows.append(
                [
                    r.respondent,
                    "(overall)" if r.dimension is None else r.dimension,
                    _score(r.old_score),
                    _score(r.new_score),
                    _signed(r.change),
                    band,
                ]
            )
        lines += ["", "Scores that change:", *columns(rows)]
    else:
        lines += ["", "No score changes."]
    for label, ids in (("only in", comparison.only_old), ("new in", comparison.only_new)):
        if ids:
            version = old if label == "only in" else new
            lines.append(f"Dimensions {label} {version} (not compared): {', '.join(ids)}")
    return lines


def _count(n: int, what: str) -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def _score(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _signed(value: float | None) -> str:
    return "–" if value is None else f"{value:+.1f}"
