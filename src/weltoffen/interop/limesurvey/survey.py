"""The tables of an ``.lss`` file as a survey: groups, questions, answers, assessments, conditions.

Two layouts exist. Before DBVersion 400 every text sits in its row, and a survey in two languages
has each group, question and answer twice (one row per ``language``); from 400 on, the rows hold
no texts and the ``group_l10ns``, ``question_l10ns`` and ``answer_l10ns`` tables hold them, one row
per language. Both become the same records here, with texts per language.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TypeVar

import attrs

from weltoffen.exceptions import DefinitionError, Problem, ProblemCode
from weltoffen.interop.limesurvey.tables import Document, Row

__all__ = [
    "Answer",
    "Assessment",
    "ConditionRow",
    "Group",
    "Question",
    "Survey",
    "read_survey",
]

Texts = dict[str, str]
K = TypeVar("K")
T = TypeVar("T")


@attrs.frozen(kw_only=True)
class Group:
    gid: str
    order: int
    name: Texts
    description: Texts
    relevance: str
    row: Row


@attrs.frozen(kw_only=True)
class Question:
    """A question or a subquestion (``parent`` is the parent's qid, ``"0"`` for none)."""

    qid: str
    parent: str
    gid: str
    type: str
    title: str
    order: int
    relevance: str
    other: bool
    scale_id: int
    text: Texts
    help: Texts
    row: Row


@attrs.frozen(kw_only=True)
class Answer:
    qid: str
    code: str
    order: int
    points: float | None  # assessment_value; None when the column is absent or blank
    scale_id: int
    text: Texts
    row: Row


@attrs.frozen(kw_only=True)
class Assessment:
    id: str
    scope: str  # "T" total, "G" group
    gid: str
    minimum: float
    maximum: float
    name: Texts
    message: Texts
    row: Row


@attrs.frozen(kw_only=True)
class ConditionRow:
    qid: str
    cqid: str
    cfieldname: str
    method: str
    value: str
    scenario: str
    row: Row


@attrs.frozen(kw_only=True)
class Survey:
    """What an ``.lss`` file says, by table, in the file's order."""

    version: int | None
    languages: tuple[str, ...]
    language: str
    title: Texts
    description: Texts
    assessments_on: bool
    groups: tuple[Group, ...]
    questions: tuple[Question, ...]  # the questions, then the subquestions
    answers: tuple[Answer, ...]
    attributes: Mapping[str, Mapping[str, str]]  # qid -> attribute -> value
    assessments: tuple[Assessment, ...]
    conditions: tuple[ConditionRow, ...]
    lines: Mapping[str, int]

    @property
    def localised(self) -> bool:
        """Whether texts are in ``*_l10ns`` tables (DBVersion 400 and later)."""
        return self.version is not None and self.version >= 400


class _Problems:
    def __init__(self, path: str) -> None:
        self.path = path
        self.found: list[Problem] = []

    def at(self, row: Row, field: str, message: str, code: ProblemCode) -> None:
        self.found.append(
            Problem(code, message, location=(*row.location, field), file=self.path, line=row.line)
        )

    def number(self, row: Row, field: str, *, blank: float | None = None) -> float | None:
        text = row.get(field)
        if not text:
            return blank
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            self.at(row, field, f"{field} {text!r} is not a number", ProblemCode.BAD_VALUE)
            return blank
        return value

    def need(self, row: Row, *fields: str) -> bool:
        missing = [f for f in fields if not row.get(f)]
        for field in missing:
            self.at(row, field, f"the row has no {field}", ProblemCode.MISSING_KEY)
        return not missing


def read_survey(document: Document, path: str) -> Survey:
    """The survey in *document* (read from *path*), in either layout.

    Raises:
        DefinitionError: Rows lack their keys, numbers are not numbers, or rows refer to
            groups or questions the file does not have: every problem, each with its line.
    """
    problems = _Problems(path)
    version = problems.number(_value_row(document), "DBVersion")
    settings = document.rows("surveys")
    language = settings[0].get("language") if settings else ""
    languages = document.languages or ((language,) if language else ("en",))
    language = language or languages[0]
    localised = (version is not None and version >= 400) or "question_l10ns" in document.tables

    titles: Texts = {}
    descriptions: Texts = {}
    for row in document.rows("surveys_languagesettings"):
        lang = row.get("surveyls_language") or language
        titles[lang] = row.get("surveyls_title")
        descriptions[lang] = row.raw("surveyls_description")

    groups = _groups(document, problems, localised, language)
    gids = {g.gid for g in groups}
    questions = _questions(document, problems, localised, language, gids)
    qids = {q.qid: q for q in questions}
    answers = _answers(document, problems, localised, language, qids)
    attributes: dict[str, dict[str, str]] = {}
    for row in document.rows("question_attributes"):
        if problems.need(row, "qid", "attribute"):
            lang = row.get("language")
            if lang and lang != language:
                continue
            attributes.setdefault(row.get("qid"), {})[row.get("attribute")] = row.raw("value")
    assessments = _assessments(document, problems, language, gids)
    conditions = []
    for row in document.rows("conditions"):
        if not problems.need(row, "qid", "cfieldname"):
            continue
        if row.get("qid") not in qids:
            problems.at(row, "qid", f"no question has qid {row.get('qid')}", _UNKNOWN)
            continue
        conditions.append(
            ConditionRow(
                qid=row.get("qid"),
                cqid=row.get("cqid"),
                cfieldname=row.get("cfieldname"),
                method=row.get("method") or "==",
                value=row.raw("value"),
                scenario=row.get("scenario") or "1",
                row=row,
            )
        )
    if problems.found:
        raise DefinitionError(problems.found)
    flag = settings[0].get("assessments") if settings else ""
    return Survey(
        version=None if version is None else int(version),
        languages=tuple(languages),
        language=language,
        title=titles,
        description=descriptions,
        assessments_on=flag.upper() == "Y",
        groups=tuple(sorted(groups, key=lambda g: (g.order, int(g.gid or 0)))),
        questions=tuple(questions),
        answers=tuple(answers),
        attributes=attributes,
        assessments=tuple(assessments),
        conditions=tuple(conditions),
        lines=document.lines,
    )


_UNKNOWN = ProblemCode.UNKNOWN_REFERENCE


def _value_row(document: Document) -> Row:
    line = document.lines.get("DBVersion", 0)
    return Row(
        table="DBVersion",
        index=0,
        line=line,
        cells={"DBVersion": document.values.get("DBVersion", "")},
    )


def _merged(
    rows: tuple[Row, ...],
    key: Callable[[Row], K],
    language: str,
    make: Callable[[Row, list[Row]], T | None],
) -> list[T]:
    """One record per key from rows that repeat it once per language (the default first)."""
    grouped: dict[K, list[Row]] = {}
    for row in rows:
        grouped.setdefault(key(row), []).append(row)
    out = []
    for same in grouped.values():
        same.sort(key=lambda r: r.get("language") != language)
        made = make(same[0], same)
        if made is not None:
            out.append(made)
    return out


def _texts(rows: list[Row], field: str, language: str) -> Texts:
    return {(r.get("language") or language): r.raw(field) for r in rows if r.raw(field).strip()}


def _l10ns(document: Document, table: str, key: str) -> dict[str, list[Row]]:
    found: dict[str, list[Row]] = {}
    for row in document.rows(table):
        found.setdefault(row.get(key), []).append(row)
    return found


def _groups(document: Document, problems: _Problems, localised: bool, language: str) -> list[Group]:
    l10ns = _l10ns(document, "group_l10ns", "gid")

    def make(row: Row, same: list[Row]) -> Group | None:
        if not problems.need(row, "gid"):
            return None
        texts = l10ns.get(row.get("gid"), []) if localised else same
        return Group(
            gid=row.get("gid"),
            order=int(problems.number(row, "group_order", blank=0) or 0),
            name=_texts(texts, "group_name", language),
            description=_texts(texts, "description", language),
            relevance=row.get("grelevance"),
            row=row,
        )

    return _merged(document.rows("groups"), lambda r: r.get("gid"), language, make)


def _questions(
    document: Document, problems: _Problems, localised: bool, language: str, gids: set[str]
) -> list[Question]:
    l10ns = _l10ns(document, "question_l10ns", "qid")

    def make(row: Row, same: list[Row]) -> Question | None:
        if not problems.need(row, "qid", "title", "type"):
            return None
        if row.get("gid") not in gids:
            problems.at(row, "gid", f"no group has gid {row.get('gid')!r}", _UNKNOWN)
            return None
        texts = l10ns.get(row.get("qid"), []) if localised else same
        return Question(
            qid=row.get("qid"),
            parent=row.get("parent_qid") or "0",
            gid=row.get("gid"),
            type=row.get("type"),
            title=row.get("title"),
            order=int(problems.number(row, "question_order", blank=0) or 0),
            relevance=row.get("relevance"),
            other=row.get("other").upper() == "Y",
            scale_id=int(problems.number(row, "scale_id", blank=0) or 0),
            text=_texts(texts, "question", language),
            help=_texts(texts, "help", language),
            row=row,
        )

    rows = document.rows("questions") + document.rows("subquestions")
    found = _merged(rows, lambda r: r.get("qid"), language, make)
    qids = {q.qid for q in found}
    for q in found:
        if q.parent != "0" and q.parent not in qids:
            problems.at(q.row, "parent_qid", f"no question has qid {q.parent!r}", _UNKNOWN)
    return found


def _answers(
    document: Document,
    problems: _Problems,
    localised: bool,
    language: str,
    qids: Mapping[str, Question],
) -> list[Answer]:
    l10ns = _l10ns(document, "answer_l10ns", "aid")

    def make(row: Row, same: list[Row]) -> Answer | None:
        if not problems.need(row, "qid", "code"):
            return None
        if row.get("qid") not in qids:
            problems.at(row, "qid", f"no question has qid {row.get('qid')!r}", _UNKNOWN)
            return None
        texts = l10ns.get(row.get("aid"), []) if localised else same
        return Answer(
            qid=row.get("qid"),
            code=row.get("code"),
            order=int(problems.number(row, "sortorder", blank=0) or 0),
            points=problems.number(row, "assessment_value"),
            scale_id=int(problems.number(row, "scale_id", blank=0) or 0),
            text=_texts(texts, "answer", language),
            row=row,
        )

    def key(row: Row) -> tuple[str, str, str]:
        return row.get("qid"), row.get("scale_id") or "0", row.get("code")

    return _merged(document.rows("answers"), key, language, make)


def _assessments(
    document: Document, problems: _Problems, language: str, gids: set[str]
) -> list[Assessment]:
    def make(row: Row, same: list[Row]) -> Assessment | None:
        if not problems.need(row, "scope", "minimum", "maximum"):
            return None
        scope = row.get("scope").upper()
        if scope not in ("T", "G"):
            problems.at(row, "scope", f"scope {scope!r} is neither T nor G", ProblemCode.BAD_VALUE)
            return None
        if scope == "G" and row.get("gid") not in gids:
            problems.at(row, "gid", f"no group has gid {row.get('gid')!r}", _UNKNOWN)
            return None
        low = problems.number(row, "minimum")
        high = problems.number(row, "maximum")
        if low is None or high is None:
            return None
        return Assessment(
            id=row.get("id") or str(row.index + 1),
            scope=scope,
            gid=row.get("gid") if scope == "G" else "",
            minimum=low,
            maximum=high,
            name=_texts(same, "name", language),
            message=_texts(same, "message", language),
            row=row,
        )

    def key(row: Row) -> str:
        return row.get("id") or f"row {row.index}"

    return _merged(document.rows("assessments"), key, language, make)
