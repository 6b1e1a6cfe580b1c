"""Reading a LimeSurvey survey structure (``.lss``): the questionnaire and the import report.

Question groups are the dimensions, each adding up points (``sum``) as LimeSurvey's group
assessments do: unanswered and irrelevant questions add 0 (``skipped: zero``), and the overall
total adds every group. A group with nothing to score keeps its questions as metadata (facts kept
beside each response), and so do equation questions, whose values LimeSurvey stores in responses.
Relevance equations and the legacy conditions table become conditions; assessments become bands on
points with their messages as feedback.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence

import attrs

from weltoffen.exceptions import DefinitionError, Problem, ProblemCode
from weltoffen.interop.limesurvey import survey as ls
from weltoffen.interop.limesurvey.assessments import group_bands
from weltoffen.interop.limesurvey.questions import Mapped, map_question, texts, where
from weltoffen.interop.limesurvey.script import (
    Names,
    Untranslated,
    condition_of,
    strip_braces,
    total_of,
)
from weltoffen.interop.limesurvey.tables import read_document
from weltoffen.interop.registry import Source
from weltoffen.interop.report import Imported, ReportBuilder
from weltoffen.interop.translate import LinearTotal, Refs
from weltoffen.model.conditions import Condition, referenced_questions
from weltoffen.model.dimensions import Dimension, Policies
from weltoffen.model.metadata import MetadataField
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import Choice, Option, Question
from weltoffen.scoring.check import check_questionnaire
from weltoffen.strategies import SumOfPoints, Zero

__all__ = [
    "NO_ANSWER",
    "SETTINGS_ATTRIBUTE",
    "read_structure",
    "read_survey_of",
    "settings_of",
    "slug",
]

_TRIVIAL = {"", "1"}

#: The option that stands for LimeSurvey's "no answer" where every answer is worth points.
NO_ANSWER = "-noanswer-"

#: The question attribute in which weltoffen writes the questionnaire in its own format.
SETTINGS_ATTRIBUTE = "weltoffen"


def slug(text: str, fallback: str) -> str:
    """An id from a name: lower case words joined by ``-`` (*fallback* when none are left)."""
    words = re.findall(r"[0-9a-zäöüß]+", text.casefold())
    return "-".join(words)[:60] or fallback


def read_structure(source: Source) -> Imported:
    """The questionnaire the tables of an ``.lss`` file say, with the import report.

    Raises:
        DefinitionError: The file is unreadable, no well-formed XML (with line and column), no
            survey structure, or its tables contradict each other: every problem, located.
    """
    path = os.fspath(source)
    return read_survey_of(ls.read_survey(read_document(path), path), path)


def read_survey_of(survey: ls.Survey, path: str) -> Imported:
    """The questionnaire *survey* (read from *path*) says, with the import report."""
    notes = ReportBuilder("limesurvey", os.path.basename(path))
    return _Reader(path, survey, notes).read()


def settings_of(survey: ls.Survey) -> tuple[ls.Question, str] | None:
    """The hidden question carrying weltoffen's settings, and the settings, if there is one."""
    for q in survey.questions:
        text = survey.attributes.get(q.qid, {}).get(SETTINGS_ATTRIBUTE)
        if q.type == "X" and q.parent == "0" and text and text.strip():
            return q, text
    return None


@attrs.define
class _Group:
    source: ls.Group
    id: str
    questions: list[str] = attrs.Factory(list)
    when: Condition | None = None


class _Reader:
    def __init__(self, path: str, survey: ls.Survey, notes: ReportBuilder) -> None:
        self.path = path
        self.survey = survey
        self.notes = notes
        self.language = survey.language
        self.mapped: dict[str, Mapped] = {}
        self.owner: dict[str, ls.Question] = {}  # weltoffen id -> its LimeSurvey question
        self.metadata: list[MetadataField] = []
        self.other: dict[str, str] = {}
        self.equations: list[ls.Question] = []

    def read(self) -> Imported:
        survey = self.survey
        layout = "texts in *_l10ns tables" if survey.localised else "texts in the rows"
        self.notes.exact(
            "survey",
            f"DBVersion {survey.version if survey.version is not None else 'unknown'} "
            f"({layout}), languages {', '.join(survey.languages)}",
            location=("DBVersion",),
            line=survey.lines.get("DBVersion"),
        )
        subs: dict[str, list[ls.Question]] = {}
        tops: dict[str, list[ls.Question]] = {}
        for q in survey.questions:
            if q.parent != "0":
                subs.setdefault(q.parent, []).append(q)
            else:
                tops.setdefault(q.gid, []).append(q)
        answers: dict[str, list[ls.Answer]] = {}
        for a in survey.answers:
            answers.setdefault(a.qid, []).append(a)
        groups = self._groups(tops, subs, answers)
        names = self._names(groups)
        self._conditions(groups, names)
        self._equations(groups, names)
        dimensions = self._dimensions(groups)
        if not dimensions:
            raise DefinitionError(
                [
                    Problem(
                        ProblemCode.CANNOT_SCORE,
                        "the survey has nothing to score: no list, array or multiple choice "
                        "question whose answers carry different assessment values",
                        file=self.path,
                    )
                ]
            )
        total_bands = group_bands(self.survey, None, self._all(groups), self.notes, self.language)
        questionnaire = Questionnaire(
            id=_stem(self.path),
            language=self.language,
            title=texts(survey.title) or {self.language: _stem(self.path)},
            description=texts(survey.description),
            metadata=tuple(self.metadata),
            scoring=Policies(dont_know=Zero(), skipped=Zero(), min_coverage=0.0),
            aggregation=SumOfPoints(),
            bands=total_bands,
            bands_on="points",
            dimensions=tuple(dimensions),
        )
        problems = check_questionnaire(questionnaire)
        if problems:
            raise DefinitionError([attrs.evolve(p, file=self.path) for p in problems])
        return Imported(questionnaire=questionnaire, report=self.notes.report())

    # -- questions and groups -------------------------------------------------------------------

    def _groups(
        self,
        tops: Mapping[str, list[ls.Question]],
        subs: Mapping[str, list[ls.Question]],
        answers: Mapping[str, list[ls.Answer]],
    ) -> list[_Group]:
        out: list[_Group] = []
        taken: set[str] = set()
        for group in self.survey.groups:
            name = texts(group.name).get(self.language) or next(
                iter(texts(group.name).values()), ""
            )
            gid = slug(name, f"group-{group.gid}")
            while gid in taken:
                gid += "-" + group.gid
            taken.add(gid)
            node = _Group(source=group, id=gid)
            for q in sorted(tops.get(group.gid, []), key=lambda q: q.order):
                if q.type == "*":
                    self.equations.append(q)
                    continue
                if settings_of(attrs.evolve(self.survey, questions=(q,))) is not None:
                    self.notes.exact(
                        "weltoffen settings",
                        "a hidden text display carrying the questionnaire in weltoffen's format",
                        **where(q.row, q.title),
                    )
                    continue
                for mapped in map_question(
                    q,
                    sorted(subs.get(q.qid, []), key=lambda s: (s.scale_id, s.order)),
                    answers.get(q.qid, []),
                    self.survey.attributes.get(q.qid, {}),
                    self.notes,
                ):
                    qid = mapped.question.id
                    if qid in self.mapped:
                        raise DefinitionError(
                            [
                                Problem(
                                    ProblemCode.DUPLICATE_ID,
                                    f"two questions have the code {qid!r}",
                                    location=q.row.location,
                                    file=self.path,
                                    line=q.row.line,
                                )
                            ]
                        )
                    self.mapped[qid] = mapped
                    self.owner[qid] = q
                    node.questions.append(qid)
            out.append(node)
        return out

    def _scores(self, group: _Group) -> bool:
        return any(self.mapped[q].question.scored for q in group.questions)

    def _names(self, groups: Sequence[_Group]) -> Names:
        for group in groups:
            if self._scores(group):
                for qid in group.questions:
                    m = self.mapped[qid]
                    self.mapped[qid] = attrs.evolve(m, question=self._no_answer(m.question))
                continue
            for qid in group.questions:
                self.other[qid] = "is kept as metadata (its group has nothing to score)"
        for q in self.equations:
            self.other[q.title] = "is an equation question, not imported as a question"
        targets = {qid: m.target() for qid, m in self.mapped.items() if qid not in self.other}
        boxes = {
            qid: frozenset(str(c) for c in m.codes)
            for qid, m in self.mapped.items()
            if m.kind == "multiple" and qid not in self.other
        }
        return Names(refs=Refs(targets=targets), boxes=boxes, other=self.other)

    # -- conditions -----------------------------------------------------------------------------

    def _conditions(self, groups: Sequence[_Group], names: Names) -> None:
        legacy: dict[str, list[ls.ConditionRow]] = {}
        for row in self.survey.conditions:
            legacy.setdefault(row.qid, []).append(row)
        by_qid = {q.qid: q for q in self.survey.questions}
        reads: dict[str, list[str]] = {}
        for group in groups:
            for qid in group.questions:
                source = self.owner[qid]
                rows = legacy.pop(source.qid, []) if qid == self._first(source) else []
                condition = self._condition(qid, source, rows, by_qid, names)
                if condition is None:
                    continue
                if _loop(qid, referenced_questions(condition), reads):
                    self.notes.dropped(
                        "relevance",
                        "would make conditions depend on each other in a circle; the question "
                        "is always shown",
                        **where(source.row, source.title),
                    )
                    continue
                reads[qid] = referenced_questions(condition)
                m = self.mapped[qid]
                self.mapped[qid] = attrs.evolve(
                    m, question=attrs.evolve(m.question, when=condition)
                )
            self._group_relevance(group, names)
        for rows in legacy.values():
            for row in rows:
                self.notes.dropped(
                    "condition",
                    "belongs to a question that is not imported",
                    **where(row.row),
                )

    def _first(self, source: ls.Question) -> str:
        return next(q for q, owner in self.owner.items() if owner is source)

    def _condition(
        self,
        qid: str,
        source: ls.Question,
        rows: Sequence[ls.ConditionRow],
        by_qid: Mapping[str, ls.Question],
        names: Names,
    ) -> Condition | None:
        at = where(source.row, source.title)
        relevance = source.relevance.strip()
        trivial = relevance in _TRIVIAL
        if trivial and not rows:
            return None
        if qid in self.other:
            for what in (["relevance"] if not trivial else []) + ["condition"] * len(rows):
                self.notes.dropped(what, f"belongs to {qid!r}, which {self.other[qid]}", **at)
            return None
        from_rows = self._legacy(rows, by_qid, names, at) if rows else None
        if trivial:
            if from_rows is not None:
                self.notes.exact(
                    "condition", f"{len(rows)} legacy conditions as the question's condition", **at
                )
            return from_rows
        got = condition_of(relevance, names)
        if isinstance(got, Untranslated):
            self.notes.dropped(
                "relevance",
                f"{got.reason}: {relevance[:120]!r}; the question is always shown",
                column=got.offset + 1,
                hint="add the condition by hand as 'when' if it matters for scoring",
                **at,
            )
            return from_rows
        if rows and from_rows is not None and from_rows != got:
            self.notes.approximated(
                "condition",
                "the legacy conditions differ from the relevance equation beside them; the "
                "relevance (what LimeSurvey evaluates) is imported",
                **at,
            )
        elif rows and from_rows is not None:
            self.notes.exact(
                "condition",
                f"{len(rows)} legacy conditions, the same rule as the relevance equation",
                **at,
            )
        self.notes.exact("relevance", "imported as the question's condition", **at)
        return got

    def _legacy(
        self,
        rows: Sequence[ls.ConditionRow],
        by_qid: Mapping[str, ls.Question],
        names: Names,
        at: Mapping[str, object],
    ) -> Condition | None:
        """The conditions table's rule: OR within a question, AND across, OR across scenarios."""
        scenarios: dict[str, dict[str, list[str]]] = {}
        for row in rows:
            asked = by_qid.get(row.cqid)
            term = None if asked is None else _legacy_term(row, asked)
            if term is None:
                self.notes.dropped(
                    "condition",
                    f"{row.cfieldname} {row.method} {row.value!r} is not imported (a token "
                    "attribute, a regular expression, or a comparison with another answer)",
                    **where(row.row),
                )
                return None
            scenarios.setdefault(row.scenario, {}).setdefault(row.cfieldname, []).append(term)
        text = " or ".join(
            "(" + " and ".join("(" + " or ".join(t) + ")" for t in fields.values()) + ")"
            for fields in scenarios.values()
        )
        got = condition_of(text, names)
        if isinstance(got, Untranslated):
            self.notes.dropped("condition", f"{got.reason}: {text[:120]!r}", **at)
            return None
        return got

    def _group_relevance(self, group: _Group, names: Names) -> None:
        text = group.source.relevance.strip()
        if text in _TRIVIAL:
            return
        at = where(group.source.row, group.id)
        got = condition_of(text, names)
        if isinstance(got, Untranslated):
            self.notes.dropped(
                "group relevance",
                f"{got.reason}: {text[:120]!r}; the group is always shown",
                column=got.offset + 1,
                **at,
            )
            return
        if set(referenced_questions(got)) & set(group.questions):
            self.notes.dropped(
                "group relevance", "reads questions of its own group; not imported", **at
            )
            return
        group.when = got
        self.notes.exact("group relevance", "imported as the dimension's condition", **at)

    # -- equations ------------------------------------------------------------------------------

    def _equations(self, groups: Sequence[_Group], names: Names) -> None:
        attributes = self.survey.attributes
        for q in self.equations:
            at = where(q.row, q.title)
            text = attributes.get(q.qid, {}).get("equation", "").strip() or q.text.get(
                self.language, next(iter(q.text.values()), "")
            )
            self.metadata.append(
                MetadataField(key=q.title, label=texts(q.text) or {self.language: q.title})
            )
            total = total_of(strip_braces(text), names)
            reason = (
                total.reason if isinstance(total, Untranslated) else self._same_sum(total, groups)
            )
            if reason is None:
                self.notes.exact(
                    "equation",
                    "adds the assessment values LimeSurvey's group sums add: the points of "
                    "the dimension (its value is kept as metadata)",
                    **at,
                )
                continue
            self.notes.dropped(
                "equation",
                f"not imported: {reason}; its value is kept as metadata",
                column=total.offset + 1 if isinstance(total, Untranslated) else None,
                hint="score the equation outside weltoffen, or model it with weights by hand",
                **at,
            )

    def _same_sum(self, total: LinearTotal, groups: Sequence[_Group]) -> str | None:
        """Why *total* is not the points of a dimension (or of all), or None when it is."""
        if total.constant:
            return f"it adds the constant {total.constant:g}"
        terms: dict[str, float] = {}
        for term in total.terms:
            question = self.mapped[term.question].question
            if term.measure == "ticked":
                each = {o.points for o in getattr(question, "options", ())}
                if each != {term.coefficient}:
                    return (
                        f"it counts the ticks of {term.question!r} with another weight than "
                        "its assessment_value"
                    )
                terms[term.question] = 1.0
            else:
                terms[term.question] = term.coefficient
        if any(c != 1 for c in terms.values()):
            return "it weights answers, which LimeSurvey's assessments do not"
        for group in groups:
            scored = {q for q in group.questions if self.mapped[q].question.scored}
            if scored and set(terms) == scored:
                return None
        everything = {q for g in groups for q in g.questions if self.mapped[q].question.scored}
        if set(terms) == everything:
            return None
        return "it adds the points of questions that are no group's scored questions"

    # -- dimensions -----------------------------------------------------------------------------

    def _all(self, groups: Sequence[_Group]) -> list[Question]:
        return [self.mapped[q].question for g in groups if self._scores(g) for q in g.questions]

    def _dimensions(self, groups: Sequence[_Group]) -> list[Dimension]:
        out = []
        for group in groups:
            at = where(group.source.row, group.id)
            questions = [self.mapped[q].question for q in group.questions]
            if not self._scores(group):
                for question in questions:
                    self.metadata.append(
                        MetadataField(
                            key=question.id,
                            label=question.text,
                            options=tuple(getattr(question, "options", ())),
                        )
                    )
                self.notes.approximated(
                    "group",
                    f"group {group.id!r} has nothing to score: its {len(questions)} questions "
                    "are kept as facts beside each response (metadata)"
                    if questions
                    else f"group {group.id!r} has no question weltoffen imports: no dimension",
                    **at,
                )
                for q in self.survey.assessments:
                    if q.gid == group.source.gid:
                        self.notes.dropped(
                            "assessment", "its group has nothing to score", **where(q.row)
                        )
                continue
            self.notes.exact(
                "group",
                f"dimension {group.id!r}: points added up as LimeSurvey's group sum",
                **at,
            )
            bands = group_bands(self.survey, group.source, questions, self.notes, self.language)
            out.append(
                Dimension(
                    id=group.id,
                    title=texts(group.source.name) or {self.language: group.id},
                    description=texts(group.source.description),
                    aggregation=SumOfPoints(),
                    when=group.when,
                    bands=bands,
                    bands_on="points",
                    questions=tuple(questions),
                )
            )
        return out

    def _no_answer(self, question: Question) -> Question:
        """*question* with an option "no answer" worth 0 where every answer is worth more.

        LimeSurvey adds 0 for a question left unanswered; weltoffen's ``zero`` counts the lowest
        option. Where every answer is worth more than 0 (a list whose answers all count 1), an
        explicit no-answer option worth 0 makes both add the same.
        """
        if not isinstance(question, Choice) or min(o.points for o in question.options) <= 0:
            return question
        source = self.owner[question.id]
        self.notes.approximated(
            "no answer",
            f"every answer of {question.id!r} is worth more than 0, but LimeSurvey adds 0 when "
            f"it is not answered: an option {NO_ANSWER!r} worth 0 stands for that, so that a "
            "skip adds 0 here too",
            **where(source.row, source.title),
        )
        option = Option(value=NO_ANSWER, label={self.language: "no answer"}, points=0.0)
        return attrs.evolve(question, options=(option, *question.options), scored=True)


def _legacy_term(row: ls.ConditionRow, asked: ls.Question) -> str | None:
    """One row of the conditions table as ExpressionScript, or None outside the subset."""
    ops = {"==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
    op = ops.get(row.method)
    value = row.value
    if op is None or value.startswith("@") or '"' in value or "\\" in value:
        return None
    match = re.fullmatch(r"\+?\d+X\d+X(\d+)(.*)", row.cfieldname)
    if match is None or match.group(1) != asked.qid:
        return None
    suffix = match.group(2)
    name = f"{asked.title}_{suffix}" if suffix else asked.title
    return f'{name}.NAOK {op} "{value}"'


def _loop(start: str, targets: Sequence[str], reads: Mapping[str, Sequence[str]]) -> bool:
    todo = list(targets)
    seen: set[str] = set()
    while todo:
        nxt = todo.pop()
        if nxt == start:
            return True
        if nxt not in seen:
            seen.add(nxt)
            todo.extend(reads.get(nxt, ()))
    return False


def _stem(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0].strip() or "limesurvey"
