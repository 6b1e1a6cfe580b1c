"""Options and helpers shared by the commands.

Commands that read responses take ``FILE...`` (the questionnaire, then response files; with
``--instrument NAME`` only response files), read them with :func:`questionnaire_and_responses`
and :func:`score_files` (or :func:`load_scored` where the responses themselves are needed), and
write with :func:`emit`.

Terminal safety. Everything the commands print passes one of two doors: :func:`emit` for standard
output and :func:`tell` for standard error (``main`` prints every error and warning with it).
Both escape control characters and bidi overrides there, at the door, rather than wherever a data
value is formatted into a text: a new command or message cannot forget it, since it has no other
way out. What the doors cannot see is a line break inside a data value, indistinguishable from a
layout's own: :func:`tell` prints one line per problem and escapes them all; tables escape each
cell (:func:`columns`, :func:`weltoffen.reports.table.format_table`) and text reports each line
(:func:`lines_text`). Files named with ``-o`` get
the exact text, escaped only as their format itself requires.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from weltoffen._unicode import escape_controls, one_line
from weltoffen.exceptions import (
    DefinitionError,
    Problem,
    ProblemCode,
    ProblemsError,
    ResponseError,
    WeltoffenError,
    one_of,
)
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.registry import default_registry
from weltoffen.serialization.api import write_text
from weltoffen.serialization.text import DEFAULT_ENCODING, is_text_encoding

if TYPE_CHECKING:
    from weltoffen.model.answers import Response
    from weltoffen.scoring.plan import ScoringPlan
    from weltoffen.scoring.results import Result
    from weltoffen.serialization.responses import ResponseFile

#: Reads the responses of a file in a foreign format (see ``weltoffen.interop``).
Reader = Callable[[str, Questionnaire], "list[Response]"]

__all__ = [
    "add_codes",
    "add_encoding",
    "add_files",
    "add_output",
    "add_questionnaire",
    "add_source_format",
    "check_language",
    "chosen_format",
    "columns",
    "emit",
    "foreign_reader",
    "lines_text",
    "load_scored",
    "notice",
    "output_path",
    "plan_and_scored",
    "questionnaire_and_responses",
    "questionnaire_from",
    "read_responses",
    "score_files",
    "tell",
    "tracking",
    "wrote",
]


# -- options -----------------------------------------------------------------------------------


def add_questionnaire(parser: argparse.ArgumentParser, *, positional: bool = True) -> None:
    """``QUESTIONNAIRE`` (a file) or ``--instrument NAME [--version V]`` (a bundled one)."""
    if positional:
        parser.add_argument(
            "questionnaire",
            nargs="?",
            metavar="QUESTIONNAIRE",
            help="questionnaire file (YAML or JSON); or use --instrument",
        )
    parser.add_argument(
        "--instrument",
        metavar="NAME",
        help="a bundled instrument instead of a file (see 'weltoffen instruments')",
    )
    parser.add_argument(
        "--version",
        dest="instrument_version",
        metavar="V",
        help="with --instrument, this version of it rather than the newest",
    )


def add_files(parser: argparse.ArgumentParser) -> None:
    """``FILE...`` (the questionnaire, then response files), ``--instrument`` and ``--encoding``.

    One positional list rather than ``[QUESTIONNAIRE] RESPONSES...``: argparse would give the
    first response file to the optional questionnaire when ``--instrument`` is used.
    """
    parser.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="the questionnaire, then one or more response files (YAML, JSON, CSV, XLSX); "
        "with --instrument, only response files",
    )
    add_questionnaire(parser, positional=False)
    add_encoding(parser)
    add_source_format(parser)


def add_source_format(parser: argparse.ArgumentParser) -> None:
    """``--from FORMAT``: the response files are in a foreign format (FHIR, REDCap, SPSS, ...)."""
    from weltoffen.cli._interop import format_names

    parser.add_argument(
        "--from",
        dest="source_format",
        metavar="FORMAT",
        help="the response files are in a foreign format rather than weltoffen's own "
        f"(YAML, JSON, CSV, XLSX): {format_names()}",
    )


def foreign_reader(args: argparse.Namespace) -> Reader | None:
    """The responses reader of the format ``--from`` names, or ``None`` without ``--from``.

    Raises:
        UnknownKindError: No format has that name.
        ProblemsError: The format cannot read responses.
    """
    from weltoffen.cli._interop import able

    name = getattr(args, "source_format", None)
    return None if name is None else able(args, name, "read_responses")


def add_encoding(parser: argparse.ArgumentParser) -> None:
    """``--encoding NAME``: the encoding of response files neither marked nor valid UTF-8."""
    parser.add_argument(
        "--encoding",
        metavar="NAME",
        type=_text_encoding,
        default=DEFAULT_ENCODING,
        help="text encoding of the response files that are not UTF-8, such as cp1252 for older "
        "Windows exports (UTF-8 files and files with a byte order mark, such as UTF-16 "
        "exports, are read as they are)",
    )


def _text_encoding(name: str) -> str:
    """*name* if Python decodes text with it; else a usage error before any file is read."""
    if not is_text_encoding(name):
        raise argparse.ArgumentTypeError(
            f"unknown text encoding {name!r} (expected a name such as utf-8, cp1252 or utf-16)"
        )
    return name


def add_codes(parser: argparse.ArgumentParser) -> None:
    """``--dont-know-code`` and ``--na-code``: how CSV/XLSX cells spell the non-answers."""
    parser.add_argument(
        "--dont-know-code",
        metavar="X",
        default="dont_know",
        help='in CSV/XLSX files, the cell text meaning "don\'t know" (default: dont_know)',
    )
    parser.add_argument(
        "--na-code",
        metavar="Y",
        default="not_applicable",
        help='in CSV/XLSX files, the cell text meaning "not applicable" (default: not_applicable)',
    )


def add_output(parser: argparse.ArgumentParser, suffixes: str = "") -> None:
    """``-o FILE`` / ``--output FILE``; *suffixes* says which file suffixes choose a format."""
    hint = f"; {suffixes}" if suffixes else ""
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help=f"write to FILE (never over an input) instead of stdout{hint}",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="with -o, do not say on stderr what was written",
    )


def chosen_format(
    given: str | None, output: str | None, by_suffix: dict[str, str], default: str
) -> str:
    """The ``--format`` given, else the one the output file's suffix implies, else *default*."""
    return given or by_suffix.get(Path(output or "").suffix.lower(), default)


# -- reading -----------------------------------------------------------------------------------


def questionnaire_from(args: argparse.Namespace) -> Questionnaire:
    """The questionnaire the options name (``questionnaire`` or ``instrument``).

    Raises:
        WeltoffenError: Both or neither are given, or the questionnaire does not load.
    """
    from weltoffen.instruments import load_instrument
    from weltoffen.serialization.api import load_questionnaire

    given = getattr(args, "questionnaire", None)
    version = getattr(args, "instrument_version", None)
    if args.instrument and given:
        raise WeltoffenError("give either QUESTIONNAIRE or --instrument, not both")
    if version is not None and not args.instrument:
        raise ProblemsError(
            [
                Problem(
                    ProblemCode.BAD_OPTION,
                    "only applies with --instrument (a file is its own version)",
                    location=("--version",),
                )
            ]
        )
    if args.instrument:
        return load_instrument(args.instrument, version)
    if not given:
        raise WeltoffenError("no questionnaire given: name a file or use --instrument NAME")
    try:
        return load_questionnaire(given, registry=getattr(args, "registry", default_registry))
    except DefinitionError as exc:
        raise DefinitionError(_explain_questionnaire(args.command, given, exc.problems)) from exc


def questionnaire_and_responses(args: argparse.Namespace) -> tuple[Questionnaire, list[str]]:
    """The questionnaire and the responses files named by ``FILE...`` and ``--instrument``.

    Without ``--instrument`` the first file is the questionnaire; with it, every file holds
    responses (so ``--instrument NAME answers.csv`` needs no placeholder).

    Args:
        args: Parsed options with ``files`` and ``instrument`` (and ``registry`` under
            ``--plugins``, so that plugin kinds in the questionnaire load).

    Returns:
        The questionnaire and the response files, in the order given.

    Raises:
        WeltoffenError: Too few files, or the questionnaire does not load.
    """
    files: list[str] = args.files
    if args.instrument:
        questionnaire_file, response_files = None, files
    elif len(files) < 2:
        raise WeltoffenError("give a QUESTIONNAIRE and at least one RESPONSES file")
    else:
        questionnaire_file, response_files = files[0], files[1:]
    questionnaire = questionnaire_from(
        argparse.Namespace(
            command=args.command,
            questionnaire=questionnaire_file,
            instrument=args.instrument,
            instrument_version=getattr(args, "instrument_version", None),
            registry=getattr(args, "registry", default_registry),
        )
    )
    return questionnaire, response_files


def check_language(questionnaire: Questionnaire, language: str | None) -> None:
    """A language the questionnaire has no title in is most likely a typo: say so.

    Raises:
        WeltoffenError: Neither the questionnaire nor any dimension has a title in *language*.
    """
    if language is None:
        return
    known = {questionnaire.language, *questionnaire.title}
    known.update(lang for _, d in questionnaire.iter_dimensions() for lang in d.title)
    if language not in known:
        raise ProblemsError(
            [
                Problem(
                    ProblemCode.NOT_FOUND,
                    f"the questionnaire has no texts in {language!r}",
                    location=("--lang",),
                    expected=one_of(sorted(known)),
                )
            ]
        )


def load_scored(
    plan: ScoringPlan,
    paths: Sequence[str],
    *,
    trace: bool = False,
    dont_know: str = "dont_know",
    not_applicable: str = "not_applicable",
    encoding: str = DEFAULT_ENCODING,
    unique: bool = False,
    reader: Reader | None = None,
    quiet: bool = False,
) -> list[tuple[Response, Result]]:
    """Read and score every response of every file, in file order.

    Args:
        plan: The compiled questionnaire.
        paths: Response files (YAML, JSON, CSV, TSV or XLSX, chosen by suffix).
        trace: Score with a trace (needed for item figures).
        dont_know: In CSV/XLSX files, the cell text meaning "don't know".
        not_applicable: In CSV/XLSX files, the cell text meaning "not applicable".
        encoding: The text encoding of files that are neither marked nor valid UTF-8.
        unique: A respondent id that occurs again (in another file, too) is a problem.
        reader: Reads files in a foreign format instead (``--from``).
        quiet: Show no progress bar (``--quiet``); otherwise one shows on a terminal's stderr
            when scoring takes longer than :data:`PROGRESS_DELAY` seconds.

    Returns:
        Each response with its result.

    Raises:
        ResponseError: With every problem of every file, from reading and from scoring, each
            placed at its file, line and column (or path).
    """
    from weltoffen.scoring.engine import score

    scored: list[tuple[Response, Result]] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for path in paths:
        try:
            loaded = read_responses(
                path,
                plan.questionnaire,
                dont_know=dont_know,
                not_applicable=not_applicable,
                encoding=encoding,
                reader=reader,
            )
        except ResponseError as exc:
            problems.extend(_explain(path, exc.problems))
            continue
        responses = loaded.responses
        for index, response in enumerate(
            progress(
                responses,
                total=len(responses),
                description=f"scoring {one_line(Path(path).name)}",
                quiet=quiet,
            )
        ):
            if unique and response.respondent in seen:
                again = Problem(
                    ProblemCode.DUPLICATE_RESPONDENT,
                    f"respondent {response.respondent!r} appears twice",
                    location=("respondent",),
                    got=f"also in {seen[response.respondent]}",
                )
                problems.extend(loaded.locate(index, [again]))
                continue
            seen.setdefault(response.respondent, path)
            try:
                scored.append((response, score(plan, response, trace=trace)))
            except ResponseError as exc:
                problems.extend(loaded.locate(index, exc.problems))
    if problems:
        raise ResponseError(problems)
    return scored


def score_files(
    plan: ScoringPlan,
    paths: Sequence[str],
    *,
    trace: bool = False,
    dont_know: str = "dont_know",
    not_applicable: str = "not_applicable",
    encoding: str = DEFAULT_ENCODING,
    reader: Reader | None = None,
    quiet: bool = False,
) -> list[Result]:
    """The results of :func:`load_scored` alone.

    Raises:
        ResponseError: As :func:`load_scored`.
    """
    scored = load_scored(
        plan,
        paths,
        trace=trace,
        dont_know=dont_know,
        not_applicable=not_applicable,
        encoding=encoding,
        reader=reader,
        quiet=quiet,
    )
    return [result for _, result in scored]


def plan_and_scored(
    args: argparse.Namespace, *, trace: bool = False
) -> tuple[ScoringPlan, list[tuple[Response, Result]]]:
    """Compile the questionnaire and score every response of the files named, once each.

    Args:
        args: Parsed ``FILE...``, ``--instrument``, ``--encoding``, ``--dont-know-code`` and
            ``--na-code``.
        trace: Score with a trace.

    Returns:
        The plan, and each response with its result.

    Raises:
        ResponseError: Every problem in every file, each with file and place; also respondent
            ids that occur twice, and files without any response.
    """
    from weltoffen.scoring.plan import compile

    questionnaire, files = questionnaire_and_responses(args)
    plan = compile(questionnaire)
    scored = load_scored(
        plan,
        files,
        trace=trace,
        dont_know=args.dont_know_code,
        not_applicable=args.na_code,
        encoding=args.encoding,
        unique=True,
        reader=foreign_reader(args),
        quiet=getattr(args, "quiet", False),
    )
    return plan, scored


def read_responses(
    path: str,
    questionnaire: Questionnaire,
    *,
    dont_know: str = "dont_know",
    not_applicable: str = "not_applicable",
    encoding: str = DEFAULT_ENCODING,
    reader: Reader | None = None,
) -> ResponseFile:
    """The responses of one file named on the command line, of which there must be some.

    An empty list, ``responses: []`` or a table with nothing below its header is valid data for
    the library, but a command given such a file would print nothing and seem to succeed.

    With *reader* (``--from FORMAT``) the file is in a foreign format and that format's reader
    reads it; problems found later (by scoring) are then placed by question id.

    Raises:
        ResponseError: The file has problems, or holds no responses.
    """
    from weltoffen.serialization.responses import ResponseFile, load_response_file

    if reader is not None:
        responses = tuple(reader(path, questionnaire))
        loaded = ResponseFile(
            path=path, responses=responses, lines=(None,) * len(responses), tabular=True
        )
    else:
        loaded = load_response_file(
            path,
            questionnaire,
            dont_know=dont_know,
            not_applicable=not_applicable,
            encoding=encoding,
        )
    if not loaded.responses:
        nothing = Problem(
            ProblemCode.TOO_FEW, "the file holds no responses", expected="one or more", file=path
        )
        raise ResponseError([nothing])
    return loaded


#: Suffixes of files that hold responses and never a questionnaire.
_TABLES = (".csv", ".tsv", ".txt", ".xlsx", ".sav", ".dta")


def _explain_questionnaire(
    command: str, path: str, problems: Sequence[Problem]
) -> Sequence[Problem]:
    """One clear line instead of several when responses are given where the questionnaire goes.

    That happens when the arguments are swapped, or when ``--instrument`` was forgotten.
    """
    answers = any(
        p.code is ProblemCode.UNKNOWN_KEY and p.location in (("answers",), ("responses",))
        for p in problems
    )
    table_or_list = any(
        p.code is ProblemCode.WRONG_TYPE
        and not p.location
        and (Path(path).suffix.lower() in _TABLES or (p.got or "").startswith("list"))
        for p in problems
    )
    if not (answers or table_or_list):
        return problems
    return [
        Problem(
            ProblemCode.WRONG_FILE_KIND,
            "this looks like responses, not a questionnaire",
            hint=_did_you_mean(command, shlex.quote(path)),
            file=path,
        )
    ]


def _did_you_mean(command: str, path: str) -> str:
    if command == "template":
        return f"to fill in a sheet with them: 'weltoffen template QUESTIONNAIRE --fill {path}'"
    if command in ("validate", "export", "import"):  # commands that take no responses
        command = "score"
    return (
        f"did you mean 'weltoffen {command} QUESTIONNAIRE {path}', or 'weltoffen {command} "
        f"--instrument NAME {path}' for a bundled instrument ('weltoffen instruments' lists them)?"
    )


def _explain(path: str, problems: Sequence[Problem]) -> Sequence[Problem]:
    """One clear line instead of a dozen when a questionnaire is given where responses belong."""
    if any(p.location == ("dimensions",) and p.code is ProblemCode.UNKNOWN_KEY for p in problems):
        return [
            Problem(
                ProblemCode.WRONG_FILE_KIND,
                "this is a questionnaire, not responses",
                expected="QUESTIONNAIRE RESPONSES... (or --instrument NAME RESPONSES...)",
                file=path,
            )
        ]
    return problems


# -- writing -----------------------------------------------------------------------------------


def columns(rows: Sequence[Sequence[str]], indent: str = "") -> list[str]:
    """*rows* of cells as lines of left-aligned columns, two spaces apart.

    A line break or other control character inside a cell is escaped, so a cell is one line.
    """
    rows = [[one_line(cell) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        indent + "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows
    ]


def lines_text(lines: Iterable[str]) -> str:
    """*lines* as text to print: each stays one line, a line break inside one is escaped."""
    return "".join(one_line(line) + "\n" for line in lines)


def emit(
    text: str,
    output: str | None,
    inputs: Sequence[str | None] | None = None,
    *,
    what: str | None = None,
    quiet: bool = False,
) -> None:
    """Print *text*, or write it whole to *output* (never over one of the *inputs*).

    A file written is named on standard error with *what* it holds (``the report of
    'musterstadt'``), unless *quiet*: a user should not have to guess where the output went.

    Raises:
        WeltoffenError: As :func:`output_path`.
        OSError: The file cannot be written.
    """
    if output is None or output == "-":
        # Always escaped, also when standard output is not a terminal: a pager (less -R) shows
        # it on one all the same. JSON keeps its data (see escape_controls); -o writes it exact.
        sys.stdout.write(escape_controls(text))
        return
    target = output_path(output, inputs)
    write_text(os.fspath(target), text)
    if not quiet:
        wrote(target, what)


def emit_written(
    write: Callable[[Path], str],
    output: str | None,
    inputs: Sequence[str | None] | None = None,
    *,
    quiet: bool = False,
) -> None:
    """As :func:`emit`, for output too big to hold as one text: *write* writes the file it is
    given (whole or not at all) and returns what it holds. Standard output gets the file once
    it is complete, escaped as :func:`emit` escapes.

    Raises:
        WeltoffenError: As :func:`output_path`, or from *write*.
        OSError: The file cannot be written.
    """
    import tempfile

    if output is not None and output != "-":
        target = output_path(output, inputs)
        what = write(target)
        if not quiet:
            wrote(target, what)
        return
    with tempfile.TemporaryDirectory() as folder:
        spool = Path(folder) / "output"
        write(spool)
        with spool.open(encoding="utf-8", newline="") as handle:
            while block := handle.read(1 << 20):
                sys.stdout.write(escape_controls(block))


def silence_stdout() -> None:
    """Send what is still written to standard output nowhere: its reader has gone (``| head``),
    and the flush at exit would fail again."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def wrote(target: Path, what: str | None = None) -> None:
    """Say on standard error which file was written and what it holds."""
    notice(f"wrote {target}" + (f": {what}" if what else "") + "\n")


def output_path(output: str, inputs: Sequence[str | None] | None = None) -> Path:
    """The file ``-o`` names, once it is clear that it may be written.

    Raises:
        WeltoffenError: *output* is one of the *inputs*, a folder, or in a folder that does
            not exist.
    """
    target = Path(output).resolve()
    for given in inputs or []:
        if given and Path(given).resolve() == target:
            raise _Refused(output)
    if target.is_dir():
        raise _Refused(output, "it is a directory", "a file name")
    if not target.parent.is_dir():
        raise _Refused(output, "its folder does not exist")
    return target


def tell(label: str, message: str) -> None:
    """Print ``label: message`` as one line on standard error, every control character escaped.

    A message is one line by design (one per problem), so a line break in it can only come from
    a data value and is escaped with the rest.
    """
    print(f"{label}: {one_line(message)}", file=sys.stderr)


def notice(text: str) -> None:
    """Print *text* (lines of guidance, not data) on standard error, controls escaped."""
    sys.stderr.write(escape_controls(text))


class _Refused(ProblemsError):
    def __init__(
        self, output: str, why: str = "it is one of the inputs", expected: str | None = None
    ) -> None:
        refusal = Problem(
            ProblemCode.BAD_OPTION, f"will not write {output!r}: {why}", expected=expected
        )
        super().__init__([refusal])


def older_version(args: argparse.Namespace, problems: Sequence[Problem]) -> list[Problem]:
    """One more problem when answers name questions only an older version of the bundled
    instrument has: they were most likely given under that version (``--version`` was left out
    and the newest was taken)."""
    name = getattr(args, "instrument", None)
    if not name or getattr(args, "instrument_version", None) is not None:
        return []
    unknown = {
        str(p.location[-1])
        for p in problems
        if p.code is ProblemCode.UNKNOWN_QUESTION and p.location
    }
    if not unknown:
        return []
    from weltoffen.instruments import load_instrument, versions

    *older, newest = versions(name)
    for version in reversed(older):
        asked = {q.id for _, q in load_instrument(name, version).iter_questions()}
        if unknown <= asked:
            files = sorted({p.file for p in problems if p.file})
            given = " ".join(shlex.quote(f) for f in files) or "RESPONSES"
            return [
                Problem(
                    ProblemCode.WRONG_INSTRUMENT,
                    f"these answers look like {name} {version}: "
                    f"{', '.join(sorted(unknown))} {'is' if len(unknown) == 1 else 'are'} asked "
                    f"in {version}, not in {newest}, the newest version",
                    hint=(
                        f"add '--version {version}', or carry the answers over to {newest}: "
                        f"'weltoffen migrate --instrument {name} --from-version {version} "
                        f"{given} -o NEW.yaml'"
                    ),
                )
            ]
    return []


T = TypeVar("T")

#: Seconds of work before a bar shows: short commands stay silent even in a terminal.
PROGRESS_DELAY = 2.0


def progress(
    items: Iterable[T],
    *,
    total: int | None = None,
    description: str = "",
    quiet: bool = False,
    stream: TextIO | None = None,
) -> Iterable[T]:
    """*items* wrapped in a tqdm bar on stderr for long work, or *items* unchanged.

    *description* reaches the terminal as it is: callers pass it through ``one_line`` when it
    holds anything from outside (a file name).

    The bar shows only when the stream is a terminal and the work runs longer than
    :data:`PROGRESS_DELAY` seconds (tqdm's ``delay``): never in pipes, logs or with ``--quiet``,
    whose readers want the output alone.
    """
    out = sys.stderr if stream is None else stream
    if quiet or not out.isatty():
        return items
    from tqdm import tqdm  # only long work in a terminal pays for the import

    return tqdm(items, total=total, **_bar(description, out))


@contextlib.contextmanager
def counting(
    description: str = "", *, quiet: bool = False, stream: TextIO | None = None
) -> Iterator[Callable[[int], object] | None]:
    """A function to count rows done with, shown as :func:`progress` shows its bar (or
    ``None`` where no bar shows): for work that reports its progress itself."""
    with _terminal_bar(description, "rows", quiet, stream) as bar:
        yield None if bar is None else bar.update


@contextlib.contextmanager
def tracking(
    description: str, *, unit: str, quiet: bool = False, stream: TextIO | None = None
) -> Iterator[Callable[[int, int], object] | None]:
    """A function to tell how many *unit* of how many in all are done, shown as
    :func:`progress` shows its bar (or ``None`` where no bar shows): for analyses that take a
    ``progress(done, total)`` callback."""
    with _terminal_bar(description, unit, quiet, stream) as bar:
        if bar is None:
            yield None
            return

        def tell(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        yield tell


@contextlib.contextmanager
def _terminal_bar(
    description: str, unit: str, quiet: bool, stream: TextIO | None
) -> Iterator[Any | None]:
    """A tqdm bar of *unit* on *stream* (stderr), or ``None`` without a terminal or with
    *quiet*."""
    out = sys.stderr if stream is None else stream
    if quiet or not out.isatty():
        yield None
        return
    from tqdm import tqdm

    with tqdm(total=None, **_bar(description, out, unit)) as bar:
        yield bar


def _bar(description: str, out: TextIO, unit: str = "rows") -> dict[str, Any]:
    return {
        "desc": description or None,
        "file": out,
        "delay": PROGRESS_DELAY,
        "leave": False,
        "unit": unit,
    }
