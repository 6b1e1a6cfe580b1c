"""Loading and dumping questionnaires, responses and results as YAML or JSON."""

from __future__ import annotations

import contextlib
import errno
import functools
import json
import os
import warnings
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, TypeVar

import attrs

from weltoffen._arguments import expect_path, expect_questionnaire, many
from weltoffen.exceptions import (
    DefinitionError,
    DefinitionWarning,
    Location,
    Problem,
    ProblemCode,
    ProblemsError,
    ResponseError,
)
from weltoffen.model.answers import Response
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.registry import Registry, default_registry
from weltoffen.result_format import FORMAT_KEY, RESULT_FORMAT, readable
from weltoffen.scoring.check import check_questionnaire, check_warnings
from weltoffen.scoring.plan import compile as compile_plan
from weltoffen.scoring.plan import plan_problems
from weltoffen.scoring.results import DimensionResult, Result, Status
from weltoffen.serialization.converter import make_converter
from weltoffen.serialization.errors import only_rules, problems_from
from weltoffen.serialization.parsing import ParseFailure, parse
from weltoffen.serialization.text import DEFAULT_ENCODING, MAX_BYTES, read_text

if TYPE_CHECKING:
    import yaml

__all__ = [
    "MAX_BYTES",
    "Format",
    "atomic_file",
    "dump_questionnaire",
    "dump_responses",
    "dump_result",
    "load_questionnaire",
    "load_responses",
    "load_result",
    "read_text",
    "write_bytes",
    "write_text",
]

Format = Literal["yaml", "json"]
Source = str | os.PathLike[str]
T = TypeVar("T")
E = TypeVar("E", bound=ProblemsError)


def format_of(path: Source, text: str | None = None) -> Format:
    """``json`` for ``.json`` files (or text starting with ``{``/``[``), else ``yaml``."""
    suffix = Path(path).suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    return "json" if text is not None and text.lstrip()[:1] in ("{", "[") else "yaml"


def write_text(path: Source, text: str) -> None:
    """Write *text* (as UTF-8) whole or not at all, see :func:`write_bytes`."""
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Source, data: bytes) -> None:
    """Write *data* whole or not at all: a temporary file is renamed over the target.

    Raises:
        IsADirectoryError: *path* is a folder (named in the error, not the temporary file).
        OSError: The file cannot be written.
    """
    with atomic_file(path, "wb") as handle:
        handle.write(data)


@contextlib.contextmanager
def atomic_file(path: Source, mode: str = "w", **options: Any) -> Iterator[IO[Any]]:
    """A file to write *path* with: a temporary file beside it, renamed over *path* when the
    block ends without an error, and removed when it ends with one. *options* go to
    :func:`open` (``encoding``, ``newline``).

    Raises:
        IsADirectoryError: *path* is a folder (named in the error, not the temporary file).
        OSError: The file cannot be written.
    """
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), os.fspath(path))
    import tempfile  # with shutil, bz2 and lzma: a few ms that only writing a file needs

    if target.exists() and not target.is_file():
        # a device or a pipe (/dev/null, <(...)): renaming would replace it with a plain file,
        # so the text waits in a temporary file and is written into it at the end
        import shutil

        with tempfile.TemporaryFile(mode.replace("w", "w+"), **options) as spool:
            yield spool
            spool.seek(0)
            with open(target, mode, **options) as handle:
                shutil.copyfileobj(spool, handle)
        return
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    try:
        with os.fdopen(fd, mode, **options) as handle:
            yield handle
        # mkstemp creates the file private (0600); give it the mode a plain open() would have.
        os.chmod(tmp, _file_mode(target))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _file_mode(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _parse(
    text: str, fmt: Format, name: str | None, error: type[E]
) -> tuple[Any, dict[Location, int]]:
    try:
        return parse(text, fmt, name)
    except ParseFailure as failure:
        raise error([failure.problem]) from None


def _structure(
    data: Any,
    cls: type[T],
    conv_language: str,
    registry: Registry,
    error: type[E],
    name: str | None,
    lines: dict[Location, int],
    *,
    across: bool = False,
) -> T:
    """*data* as a *cls*, or *error* with every problem located; *across* (for questionnaires)
    adds the model checks when the only problems are rules of single objects."""
    try:
        # Most data has no problem: the trusted converter builds the same objects without
        # generating code per class, which costs more than reading a questionnaire in a fresh
        # process. Where it fails, the checked converter finds every problem (as it finds none
        # the trusted one missed: both call the same hooks and constructors).
        return make_converter(registry, conv_language, trusted=True).structure(data, cls)
    except Exception:  # said again, all at once and located, just below
        pass
    conv = make_converter(registry, conv_language)
    try:
        return conv.structure(data, cls)
    except Exception as exc:  # cattrs collects every failure; we relocate them all
        problems = problems_from(exc)
        if across and only_rules(exc):
            problems.extend(_across(data, conv_language, registry, problems))
        raise error(problems).with_source(name, lines) from None


def _across(data: Any, language: str, registry: Registry, found: list[Problem]) -> list[Problem]:
    """The checks across objects, on a questionnaire whose only problems are rules of single
    objects (*found*), so that a file's problems all come at once.

    What follows from a broken rule is left out: an object with a broken rule is not also said
    to be unable to discriminate, and bands are not said to leave gaps or overlap beside a
    broken band.
    """
    try:
        lenient = make_converter(registry, language, lenient=True).structure(data, Questionnaire)
        across = check_questionnaire(lenient)
    except Exception:  # the problems found already are reported either way
        return []
    across = [*across, *plan_problems(lenient, [*found, *across])]
    places: set[Location] = set()
    tilings: set[Location] = set()  # band lists with a broken band
    for problem in found:
        at = problem.location
        # a rule about a whole object is placed at it (``bands[1]``), others at a field
        where = at if at and isinstance(at[-1], int) else at[:-1]
        places |= {at, where}
        if len(where) >= 2 and isinstance(where[-1], int) and where[-2] == "bands":
            tilings.add(where[:-1])

    def follows(at: Location) -> bool:
        return at in places or at in tilings or (bool(at) and at[:-1] in tilings)

    return [p for p in across if not follows(p.location)]


def _dump(data: Any, fmt: Format) -> str:
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    import yaml

    return yaml.dump(data, Dumper=_dumper(), allow_unicode=True, sort_keys=False, width=100)


@functools.cache
def _dumper() -> type[yaml.SafeDumper]:
    """Block-style YAML; long texts stay readable. (Made with the first YAML written, so that
    loading and writing JSON do without importing PyYAML.)"""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    Dumper.add_representer(str, _str_presenter)
    return Dumper


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    # PyYAML writes NEL (U+0085) raw in single-quoted and block scalars, and reads it back folded
    # into a space: only the double-quoted style escapes it, so it survives a round trip.
    style = '"' if "\x85" in value else "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


# -- questionnaires ----------------------------------------------------------------------------


def load_questionnaire(
    source: Source | None = None,
    *,
    text: str | None = None,
    data: Mapping[str, Any] | None = None,
    format: Format | None = None,
    registry: Registry = default_registry,
    check: bool = True,
) -> Questionnaire:
    """Load a questionnaire from a file (or from *text*, or from plain *data*).

    Args:
        source: Path of a YAML or JSON file.
        text: The document itself, instead of a file.
        data: Already-parsed plain data, instead of a file.
        format: ``yaml`` or ``json``; guessed from the file name or text when not given.
        registry: Where ``kind`` names are looked up.
        check: Also run the model checks (as :func:`weltoffen.compile` would), and issue a
            :class:`~weltoffen.DefinitionWarning` for each of :func:`~weltoffen.check_warnings`.

    Raises:
        DefinitionError: With every problem found, each with file, path and (for YAML) line.
    """
    name, raw, lines = _read("load_questionnaire", source, text, data, format, DefinitionError)
    if not isinstance(raw, Mapping):
        got = "an empty document" if raw is None else f"{type(raw).__name__}"
        raise DefinitionError(
            [
                Problem(
                    ProblemCode.WRONG_TYPE,
                    "a questionnaire must be a mapping",
                    expected="id: ..., dimensions: [...]",
                    got=got,
                    file=name,
                )
            ]
        )
    language = raw.get("language", "en")
    questionnaire = _structure(
        raw,
        Questionnaire,
        language if isinstance(language, str) else "en",
        registry,
        DefinitionError,
        name,
        lines,
        across=check,
    )
    if check:
        # compiling runs the model checks plus what only building the plan finds (a weighting
        # naming unknown children, ...), so every problem gets the file and line here
        try:
            compile_plan(questionnaire)
        except DefinitionError as exc:
            raise exc.with_source(name, lines) from None
        located = DefinitionError(check_warnings(questionnaire)).with_source(name, lines)
        for problem in located.problems:
            warnings.warn(DefinitionWarning(problem), stacklevel=2)
    return questionnaire


def dump_questionnaire(
    questionnaire: Questionnaire,
    path: Source | None = None,
    *,
    format: Format | None = None,
    registry: Registry = default_registry,
) -> str:
    """The questionnaire as YAML (default) or JSON; also written to *path* when given.

    Raises:
        TypeError: *questionnaire* is not a questionnaire.
    """
    expect_questionnaire("dump_questionnaire(questionnaire)", questionnaire)
    fmt = format or (format_of(path) if path is not None else "yaml")
    out = _dump(make_converter(registry, questionnaire.language).unstructure(questionnaire), fmt)
    if path is not None:
        write_text(path, out)
    return out


def _read(
    loader: str,
    source: Source | None,
    text: str | None,
    data: Any,
    fmt: Format | None,
    error: type[E],
    encoding: str | None = None,
) -> tuple[str | None, Any, dict[Location, int]]:
    if data is not None:
        return None, data, {}
    if source is not None:
        expect_path(f"{loader}(source)", source, data=loader != "load_result")
        name = os.fspath(source)
        text = read_text(source, error, encoding=encoding)
        return (name, *_parse(text, fmt or format_of(source, text), name, error))
    if text is None:
        raise TypeError("give a source file, text= or data=")
    return (None, *_parse(text, fmt or format_of("", text), None, error))


def load_document(
    loader: str,
    cls: type[T],
    source: Source | None = None,
    *,
    text: str | None = None,
    data: Any = None,
    registry: Registry = default_registry,
    empty: Any = None,
) -> tuple[T, str | None, dict[Location, int]]:
    """Read, parse and structure one document as *cls*, the way the loaders here do.

    For documents defined outside this package (the choices of a sensitivity analysis) that
    should load with the same checks and messages as a questionnaire.

    Args:
        loader: The public function's name, as an error about *source* names it.
        cls: The class to build.
        source / text / data: A file, the document itself, or plain data.
        registry: Where ``kind`` names are looked up.
        empty: What an empty document stands for (``None`` is structured as it is).

    Returns:
        The object, the file name (``None`` without a file) and the line of each path, so that
        problems found afterwards can be located too.

    Raises:
        DefinitionError: With every problem found, each with file, path and (for YAML) line.
    """
    name, raw, lines = _read(loader, source, text, data, None, DefinitionError)
    raw = empty if raw is None else raw
    return _structure(raw, cls, "en", registry, DefinitionError, name, lines), name, lines


def dump_document(
    document: Any, path: Source | None = None, *, format: Format | None = None
) -> str:
    """A model object (or plain data) as YAML (default) or JSON; also written to *path* when
    given. The counterpart of :func:`load_document`, for documents defined outside this package.
    """
    fmt = format or (format_of(path) if path is not None else "yaml")
    out = _dump(make_converter().unstructure(document), fmt)
    if path is not None:
        write_text(path, out)
    return out


# -- responses ---------------------------------------------------------------------------------


def load_responses(
    source: Source | None = None,
    *,
    text: str | None = None,
    data: Any = None,
    format: Format | None = None,
    encoding: str = DEFAULT_ENCODING,
) -> list[Response]:
    """Load responses from YAML or JSON: one response, a list of them, or ``{responses: [...]}``.

    For CSV files see :func:`weltoffen.serialization.csv.load_responses_csv`.

    Args:
        source: Path of a YAML or JSON file.
        text: The document itself, instead of a file.
        data: Already-parsed plain data, instead of a file.
        format: ``yaml`` or ``json``; guessed from the file name or text when not given.
        encoding: The file's text encoding when it has no byte order mark and is not valid
            UTF-8 (``cp1252`` for files saved by older Windows programs).

    Raises:
        ResponseError: With every problem found, each with file, path and (for YAML) line; an
            unknown *encoding* or a file not in it is one of them.
    """
    name, raw, lines = _read("load_responses", source, text, data, format, ResponseError, encoding)
    prefix: Location = ()
    if isinstance(raw, Mapping) and "responses" in raw:
        extra = [k for k in raw if k != "responses"]
        if extra:
            raise ResponseError(
                [
                    Problem(
                        ProblemCode.UNKNOWN_KEY,
                        f"unknown key {extra[0]!r}",
                        location=(str(extra[0]),),
                        expected="only 'responses'",
                        file=name,
                    )
                ]
            )
        raw, prefix = raw["responses"], ("responses",)
    if isinstance(raw, Mapping):
        return [_structure(raw, Response, "en", default_registry, ResponseError, name, lines)]
    if not isinstance(raw, list):
        got = "an empty document" if raw is None else type(raw).__name__
        raise ResponseError(
            [
                Problem(
                    ProblemCode.WRONG_TYPE,
                    "responses must be a mapping or a list of mappings",
                    location=prefix,
                    got=got,
                    file=name,
                )
            ]
        )
    out = []
    problems: list[Problem] = []
    for i, item in enumerate(raw):
        try:
            out.append(_structure(item, Response, "en", default_registry, ResponseError, None, {}))
        except ResponseError as exc:
            problems.extend(
                attrs.evolve(p, location=(*prefix, i, *p.location)) for p in exc.problems
            )
    if problems:
        raise ResponseError(problems).with_source(name, lines)
    seen: set[str] = set()
    for i, response in enumerate(out):
        if response.respondent in seen:
            problems.append(
                Problem(
                    ProblemCode.DUPLICATE_RESPONDENT,
                    f"respondent {response.respondent!r} appears twice",
                    location=(*prefix, i, "respondent"),
                    file=name,
                    line=lines.get((*prefix, i, "respondent")),
                )
            )
        seen.add(response.respondent)
    if problems:
        raise ResponseError(problems)
    return out


def dump_responses(
    responses: Sequence[Response],
    path: Source | None = None,
    *,
    format: Format | None = None,
) -> str:
    """Responses as a YAML (default) or JSON list; also written to *path* when given.

    Raises:
        TypeError: *responses* is not a list of responses (a single one is refused).
    """
    responses = many(
        "dump_responses(responses)", responses, Response, "for one response, pass [response]"
    )
    fmt = format or (format_of(path) if path is not None else "yaml")
    conv = make_converter()
    out = _dump([conv.unstructure(r) for r in responses], fmt)
    if path is not None:
        write_text(path, out)
    return out


# -- results -----------------------------------------------------------------------------------


def dump_result(
    result: Result | Sequence[Result],
    path: Source | None = None,
    *,
    format: Format | None = None,
) -> str:
    """A result (or a list of results), lossless, as JSON (default) or YAML.

    Each result carries ``result_format`` (see :mod:`weltoffen.result_format`) as its first key.

    Raises:
        TypeError: *result* is neither a result nor a list of results.
    """
    fmt = format or (format_of(path) if path is not None else "json")
    conv = make_converter()
    if isinstance(result, Result):
        data: Any = {FORMAT_KEY: RESULT_FORMAT, **conv.unstructure(result)}
    else:
        hint = "responses are written by dump_responses"
        data = [
            {FORMAT_KEY: RESULT_FORMAT, **conv.unstructure(r)}
            for r in many("dump_result(result)", result, Result, hint)
        ]
    out = _dump(data, fmt)
    if path is not None:
        write_text(path, out)
    return out


def load_result(
    source: Source | None = None,
    *,
    text: str | None = None,
    format: Format | None = None,
) -> Result | list[Result]:
    """Load what :func:`dump_result` wrote: one result, or a list of them.

    Files written before results carried ``result_format`` load too; a file of another major
    version of the format is refused.

    Raises:
        DefinitionError: The file is not a result of this format, or a status in it contradicts
            its score and coverage; with every problem found.
    """
    name, raw, lines = _read(
        "load_result",
        source,
        text,
        None,
        format or ("json" if text is not None and source is None else None),
        DefinitionError,
    )
    many_ = isinstance(raw, list)
    entries = [
        _unversioned(r, (i,) if many_ else ()) for i, r in enumerate(raw if many_ else [raw])
    ]
    problems = [p for _, p in entries if p is not None]
    if problems:
        raise DefinitionError(problems).with_source(name, lines)
    results = [
        _structure(r, Result, "en", default_registry, DefinitionError, name, lines)
        for r, _ in entries
    ]
    # a status is stored for readers, but follows from score and coverage: a file may not
    # contradict itself
    contradicted = [
        p for i, r in enumerate(results) for p in _status_problems(r, (i,) if many_ else ())
    ]
    if contradicted:
        raise DefinitionError(contradicted).with_source(name, lines)
    return results if many_ else results[0]


def _status_problems(result: Result, where: Location) -> list[Problem]:
    """A problem for each result in the tree whose status its score and coverage deny."""
    problems = []
    stack: list[tuple[Location, Result | DimensionResult]] = [(where, result)]
    while stack:
        location, node = stack.pop()
        fits = Status.of(node.score, node.coverage)
        if node.status is not fits:
            problems.append(
                Problem(
                    ProblemCode.BAD_VALUE,
                    "the status does not fit the score and coverage",
                    location=(*location, "status"),
                    expected=repr(fits.value),
                    got=repr(node.status.value),
                )
            )
        stack.extend(
            ((*location, "dimensions", j), child)
            for j, child in reversed(list(enumerate(node.dimensions)))
        )
    return problems


def _unversioned(data: Any, where: Location) -> tuple[Any, Problem | None]:
    """*data* without its ``result_format``, and the problem when the format is not ours."""
    if not isinstance(data, Mapping) or FORMAT_KEY not in data:
        return data, None
    rest = {k: v for k, v in data.items() if k != FORMAT_KEY}
    version = data[FORMAT_KEY]
    if readable(version):
        return rest, None
    problem = Problem(
        ProblemCode.BAD_VALUE,
        "a result of another major version of the format",
        location=(*where, FORMAT_KEY),
        expected=f"{RESULT_FORMAT} or another {RESULT_FORMAT.split('.')[0]}.x",
        got=repr(version),
    )
    return rest, problem
