"""SPSS (``.sav``, ``.zsav``) and Stata (``.dta``) data files: responses with their labels.

Reading and writing go through pyreadstat (``pip install 'weltoffen[spss]'``). A variable belongs
to the question whose id it is, or whose id it is once made a valid variable name (``ms-01`` is
written and found as ``ms_01``); a multiple-choice question has one 0/1 variable per option,
``<name>___<option>``. Every other variable (derived scores, region, interview data) is kept as
the response's metadata, ready for grouping in cohort reports.

Values become answers by the question's kind. A code that is not an option's value is looked up
in the variable's value labels: a label equal to an option's value or label chooses that option.
User-missing values (read with ``user_missing`` kept) become answer states: a code the
questionnaire declares in its missing-value codes takes that state, a code labelled with a state's
name (``dont_know``, ``not_applicable``, ``skipped``) takes that one, any other is skipped. System
missing values are skipped answers.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from weltoffen.exceptions import Problem, ProblemCode, ResponseError
from weltoffen.interop.registry import Format, Source
from weltoffen.model.answers import GIVEN_STATES, AnswerValue, MetaValue, Response, State
from weltoffen.model.queries import options_of
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import (
    Choice,
    MultipleChoice,
    Numeric,
    Option,
    Question,
    ScaleQuestion,
    TextQuestion,
    YesNo,
)
from weltoffen.scoring.results import Result

__all__ = ["FORMAT", "read_responses", "variable_name", "write_responses"]

#: The variable holding each response's respondent id (written; read where present).
RESPONDENT = "respondent"
#: Codes written for the non-answer states, declared user-missing and labelled with the state.
STATE_CODES: Mapping[State, int] = {State.DONT_KNOW: -98, State.NOT_APPLICABLE: -99}
_SEPARATOR = "___"
#: Reads the answer of one row (``None``: nothing there, the question is skipped).
_Reader = Callable[[int], "AnswerValue | None"]
_INSTALL = "pip install 'weltoffen[spss]'"


def variable_name(question_id: str) -> str:
    """The SPSS variable name of *question_id*: invalid characters become ``_``.

    SPSS names start with a letter and hold letters, digits, ``_``, ``.``, ``@``, ``#`` and ``$``.
    """
    name = re.sub(r"[^\w.@#$]", "_", question_id, flags=re.ASCII)
    return name if name[:1].isalpha() else f"v{name}"


def _pyreadstat(path: Source) -> Any:
    try:
        import pyreadstat
    except ImportError:
        raise ResponseError(
            [
                Problem(
                    ProblemCode.MISSING_DEPENDENCY,
                    "reading and writing SPSS and Stata files needs pyreadstat",
                    hint=_INSTALL,
                    file=os.fspath(path),
                )
            ]
        ) from None
    return pyreadstat


def _stata(path: Source) -> bool:
    return Path(path).suffix.lower() == ".dta"


# -- reading -----------------------------------------------------------------------------------


def read_responses(
    source: Source, questionnaire: Questionnaire, *, respondent: str = RESPONDENT
) -> list[Response]:
    """The responses in the SPSS or Stata file *source*, one per row.

    Args:
        source: A ``.sav``, ``.zsav`` or ``.dta`` file.
        questionnaire: Whose questions the variables answer.
        respondent: The variable with the respondent ids; without it, rows are numbered from 1.

    Raises:
        ResponseError: The file cannot be read, or no variable belongs to a question.
    """
    pyreadstat = _pyreadstat(source)
    read = pyreadstat.read_dta if _stata(source) else pyreadstat.read_sav
    file = os.fspath(source)
    with open(file, "rb"):  # a missing or unreadable file is an OSError, as for every input
        pass
    try:
        data, meta = read(file, user_missing=True, output_format="dict")
    except Exception as exc:  # pyreadstat's errors have no common base worth naming
        message = f"not a readable {'Stata' if _stata(source) else 'SPSS'} data file: {exc}"
        raise ResponseError([Problem(ProblemCode.UNREADABLE_FILE, message, file=file)]) from None
    columns: dict[str, list[Any]] = {name: list(values) for name, values in data.items()}
    rows = len(next(iter(columns.values()), []))
    readers = _readers(questionnaire, columns, meta)
    if not readers:
        names = ", ".join(list(columns)[:8])
        raise ResponseError(
            [
                Problem(
                    ProblemCode.UNKNOWN_QUESTION,
                    "no variable of the file belongs to a question of the questionnaire",
                    expected=f"variables named like the questions of {questionnaire.id!r}",
                    got=names + (", ..." if len(columns) > 8 else ""),
                    file=file,
                )
            ]
        )
    ids = columns.get(respondent)
    used = {respondent, *_variables(questionnaire, columns)}
    metadata = [name for name in columns if name not in used]
    problems: list[Problem] = []
    responses = []
    for row in range(rows):
        answers: dict[str, AnswerValue] = {}
        for question_id, reader in readers.items():
            answer = reader(row)
            if answer is not None:
                answers[question_id] = answer
        meta_values = {key: _meta(columns[key][row]) for key in metadata}
        who = _text(ids[row]) if ids is not None else str(row + 1)
        if not who:
            problems.append(
                Problem(
                    ProblemCode.BAD_VALUE,
                    "the respondent id is empty",
                    location=(respondent,),
                    file=file,
                    line=row + 1,
                )
            )
            continue
        responses.append(Response(respondent=who, answers=answers, metadata=meta_values))
    if problems:
        raise ResponseError(problems)
    return responses


def _variables(questionnaire: Questionnaire, columns: Mapping[str, list[Any]]) -> set[str]:
    """The variables of *columns* that hold answers."""
    names = set()
    for _, question in questionnaire.iter_questions():
        for name in (question.id, variable_name(question.id)):
            names.add(name)
            names.update(c for c in columns if c.startswith(f"{name}{_SEPARATOR}"))
    return names & set(columns)


def _readers(
    questionnaire: Questionnaire, columns: Mapping[str, list[Any]], meta: Any
) -> dict[str, _Reader]:
    labels: Mapping[str, Mapping[Any, str]] = meta.variable_value_labels or {}
    missing = _user_missing(meta)
    scales = {scale.id: scale.options for scale in questionnaire.scales}
    readers: dict[str, _Reader] = {}
    for _, question in questionnaire.iter_questions():
        name = question.id if question.id in columns else variable_name(question.id)
        if isinstance(question, MultipleChoice):
            ticks = {
                option.value: columns[f"{name}{_SEPARATOR}{variable_name(option.value)}"]
                for option in question.options
                if f"{name}{_SEPARATOR}{variable_name(option.value)}" in columns
            }
            if ticks:
                readers[question.id] = _ticked(ticks)
            continue
        if name not in columns:
            continue
        readers[question.id] = _column(
            question,
            options_of(question, scales),
            columns[name],
            labels.get(name, {}),
            missing.get(name, ()),
        )
    return readers


def _user_missing(meta: Any) -> dict[str, tuple[Any, ...]]:
    """Each variable's user-missing values and ranges, as (low, high) pairs."""
    found: dict[str, list[Any]] = {}
    for name, ranges in (getattr(meta, "missing_ranges", None) or {}).items():
        found.setdefault(name, []).extend((r["lo"], r["hi"]) for r in ranges)
    for name, values in (getattr(meta, "missing_user_values", None) or {}).items():
        found.setdefault(name, []).extend((v, v) for v in values)
    return {name: tuple(pairs) for name, pairs in found.items()}


def _is_missing(value: Any, ranges: Iterable[tuple[Any, Any]]) -> bool:
    for low, high in ranges:
        try:
            if low <= value <= high:
                return True
        except TypeError:  # a string code against numeric ranges, or the reverse
            continue
    return False


def _column(
    question: Question,
    options: Sequence[Option],
    values: list[Any],
    labels: Mapping[Any, str],
    missing: tuple[tuple[Any, Any], ...],
) -> _Reader:
    def read(row: int) -> AnswerValue | None:
        value = values[row]
        if _blank(value):
            return None
        state = GIVEN_STATES.get(str(labels.get(value, "")))
        if state is not None:  # a code labelled with a state's name, as written by weltoffen
            return state
        if missing and _is_missing(value, missing):
            return State.SKIPPED
        return _answer(question, value, labels, options)

    return read


def _answer(
    question: Question, value: Any, labels: Mapping[Any, str], options: Sequence[Option]
) -> AnswerValue:
    if isinstance(question, YesNo):
        code = _text(value)
        return {"1": True, "0": False}.get(code, code)
    if isinstance(question, Numeric):
        return value if isinstance(value, int | float) else _text(value)
    if isinstance(question, TextQuestion):
        return _text(value)
    code = _text(value)
    if isinstance(question, ScaleQuestion | Choice) and not any(o.value == code for o in options):
        label = labels.get(value)
        for option in options:
            if label is not None and (label == option.value or label in option.label.values()):
                return option.value
    return code


def _ticked(ticks: Mapping[str, list[Any]]) -> _Reader:
    def read(row: int) -> AnswerValue | None:
        cells = {value: column[row] for value, column in ticks.items()}
        if all(_blank(cell) for cell in cells.values()):
            return None
        return tuple(value for value, cell in cells.items() if _text(cell) == "1")

    return read


def _blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def _text(value: Any) -> str:
    """A cell as text; whole numbers without their ``.0`` (SPSS stores codes as doubles)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _meta(value: Any) -> MetaValue:
    if _blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, str | int | float | bool) else str(value)


# -- writing -----------------------------------------------------------------------------------


def write_responses(
    responses: Sequence[Response],
    questionnaire: Questionnaire,
    target: Source,
    *,
    results: Sequence[Result] | None = None,
) -> None:
    """Write *responses* as an SPSS (or, for ``.dta``, Stata) file, labelled.

    Each question becomes a variable (see :func:`variable_name`) labelled with its text; options
    become codes with value labels (their own values where those are numbers, else 1, 2, ...);
    don't know and not applicable become user-missing codes labelled with the state; skipped
    answers are system missing. With *results* (one per response, in order) the overall score,
    points and band follow, and each dimension's score as ``score_<dimension>``.

    Raises:
        ResponseError: Two questions share a variable name, or pyreadstat is missing.
    """
    pyreadstat = _pyreadstat(target)
    import pandas as pd

    language = questionnaire.language
    scales = {scale.id: scale.options for scale in questionnaire.scales}
    table: dict[str, list[Any]] = {RESPONDENT: [r.respondent for r in responses]}
    column_labels: dict[str, str | None] = {RESPONDENT: "respondent"}
    value_labels: dict[str, dict[Any, str]] = {}
    missing: dict[str, list[Any]] = {}
    owners: dict[str, str] = {RESPONDENT: RESPONDENT}
    problems: list[Problem] = []

    def claim(name: str, owner: str) -> bool:
        if owners.setdefault(name, owner) != owner:
            problems.append(
                Problem(
                    ProblemCode.DUPLICATE_ID,
                    f"questions {owners[name]!r} and {owner!r} would share variable {name!r}",
                    hint="rename one of them",
                    file=os.fspath(target),
                )
            )
            return False
        return True

    for _, question in questionnaire.iter_questions():
        name = variable_name(question.id)
        text = question.text.get(language) or next(iter(question.text.values()), None)
        if isinstance(question, MultipleChoice):
            for option in question.options:
                column = f"{name}{_SEPARATOR}{variable_name(option.value)}"
                if claim(column, question.id):
                    table[column] = [_tick(r.answers.get(question.id), option) for r in responses]
                    column_labels[column] = option.label.get(language) or option.value
                    value_labels[column] = {1: "chosen", 0: "not chosen"}
            continue
        if not claim(name, question.id):
            continue
        codes = _codes(options_of(question, scales))
        table[name] = [_cell(r.answers.get(question.id), question, codes) for r in responses]
        column_labels[name] = text
        labels = {code: _label(o, language) for o, code in codes.items()}
        if isinstance(question, YesNo):
            labels = {1: "yes", 0: "no"}
        if not isinstance(question, TextQuestion):
            states = {code: state.value for state, code in STATE_CODES.items()}
            if any(c in states for c in table[name]):
                labels.update(states)
                missing[name] = sorted(c for c in states if c in table[name])
        if labels:
            value_labels[name] = labels
    keys = [m.key for m in questionnaire.metadata]
    keys += sorted({k for r in responses for k in r.metadata} - set(keys))
    for key in keys:
        if claim(variable_name(key), key):
            table[variable_name(key)] = [r.metadata.get(key) for r in responses]
    if results is not None:
        _scores(table, column_labels, results)
    if problems:
        raise ResponseError(problems)
    frame = pd.DataFrame(table)
    _write(pyreadstat, frame, target, column_labels, value_labels, missing)


def _codes(options: Sequence[Option]) -> dict[Option, Any]:
    """Each option's code: its value where every value is a number, else 1, 2, ..."""
    numbers = [_number(o.value) for o in options]
    if options and all(n is not None for n in numbers):
        return dict(zip(options, numbers))
    return {option: index for index, option in enumerate(options, start=1)}


def _number(text: str) -> int | float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    if not math.isfinite(number):
        return None
    return int(number) if number.is_integer() else number


def _label(option: Option, language: str) -> str:
    return option.label.get(language) or next(iter(option.label.values()), option.value)


def _cell(answer: AnswerValue | None, question: Question, codes: Mapping[Option, Any]) -> Any:
    if answer is None or answer is State.SKIPPED:
        return None
    if isinstance(answer, State):
        return answer.value if isinstance(question, TextQuestion) else STATE_CODES[answer]
    if isinstance(question, YesNo):
        return {True: 1, False: 0, "yes": 1, "no": 0}.get(answer, answer)
    for option, code in codes.items():
        if option.value == answer:
            return code
    return answer


def _tick(answer: AnswerValue | None, option: Option) -> int | None:
    if not isinstance(answer, tuple):
        return None
    return 1 if option.value in answer else 0


def _scores(
    table: dict[str, list[Any]], labels: dict[str, str | None], results: Sequence[Result]
) -> None:
    table["score"] = [r.score for r in results]
    table["points"] = [r.points for r in results]
    table["band"] = [r.band or "" for r in results]
    labels.update(score="overall score (0-100)", points="overall points", band="overall band")
    for dim in results[0].iter_dimensions() if results else ():
        column = f"score_{variable_name(dim.id)}"
        table[column] = [r.dimension(dim.id).score for r in results]
        labels[column] = f"score of {dim.id}"


def _write(
    pyreadstat: Any,
    frame: Any,
    target: Source,
    column_labels: dict[str, str | None],
    value_labels: dict[str, dict[Any, str]],
    missing: dict[str, list[Any]],
) -> None:
    """Write whole or not at all: into a temporary file beside *target*, then renamed."""
    import tempfile

    path = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        if _stata(path):
            pyreadstat.write_dta(
                frame,
                tmp,
                column_labels=column_labels,
                variable_value_labels=value_labels,
            )
        else:
            pyreadstat.write_sav(
                frame,
                tmp,
                column_labels=column_labels,
                variable_value_labels=value_labels,
                missing_ranges=missing,
            )
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


FORMAT = Format(
    name="spss",
    title="SPSS or Stata data file",
    suffixes=(".sav", ".zsav", ".dta"),
    read_responses=read_responses,
    write_responses=write_responses,
)
