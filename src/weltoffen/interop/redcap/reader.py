"""Reading a REDCap data dictionary: the questionnaire and the report of what came across.

Forms are the top-level dimensions, in the order they first appear; a section header starts a
child dimension of its form (``<form>__s<k>``, the k-th section of the form), which holds the
fields down to the next section header. A calc field that adds up items becomes the aggregation
of the dimension holding exactly those items (or a new child dimension of them, named after the
calc field). Forms with nothing to score become metadata fields (facts kept beside each
response): weltoffen's dimensions must be able to score.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Mapping, Sequence

import attrs

from weltoffen.exceptions import DefinitionError, Problem, ProblemCode
from weltoffen.interop.bands import ClosedRange, bands_from_ranges
from weltoffen.interop.redcap import logic
from weltoffen.interop.redcap.annotated import annotated, read_annotated
from weltoffen.interop.redcap.annotations import SETTINGS_FIELD
from weltoffen.interop.redcap.choices import plain
from weltoffen.interop.redcap.columns import Row
from weltoffen.interop.redcap.fields import ACTION_TAG, FieldInfo, map_field
from weltoffen.interop.redcap.flags import attainable_totals, holds
from weltoffen.interop.redcap.table import read_rows
from weltoffen.interop.registry import Source
from weltoffen.interop.report import Imported, ReportBuilder
from weltoffen.interop.translate import Kind, LinearTotal, Refs
from weltoffen.model.conditions import referenced_questions
from weltoffen.model.dimensions import Band, Dimension, Policies
from weltoffen.model.metadata import MetadataField
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import MultipleChoice, Option, Question
from weltoffen.scoring.check import check_questionnaire
from weltoffen.serialization.text import read_text
from weltoffen.strategies import SumOfPoints, Zero

__all__ = ["LANGUAGE", "read_questionnaire", "section_id"]

_BAND_HINT = "add bands on the dimension's points by hand (bands_on: points)"

#: The language texts are filed under: a dictionary does not say which it is written in.
LANGUAGE = "en"


def section_id(form: str, k: int) -> str:
    """The id of the *k*-th (1-based) section of *form*."""
    return f"{form}__s{k}"


#: A calc field's name, its flag (if it is one), else its total or why it is none.
_Calc = tuple[str, "logic.Flag | None", "LinearTotal | logic.Untranslated | None"]


@attrs.define
class _Node:
    """A dimension while the tree is being shaped."""

    id: str
    title: str
    line: int
    questions: list[str] = attrs.Factory(list)
    children: list[_Node] = attrs.Factory(list)
    total: LinearTotal | None = None
    total_field: str | None = None
    bands: tuple[Band, ...] = ()
    made: int = 0  # children made from totals over some of its fields
    field: str = ""  # the field whose section header starts it


def read_questionnaire(source: Source) -> Imported:
    """The questionnaire a REDCap data dictionary (CSV) describes, with the import report.

    Raises:
        DefinitionError: The file is unreadable, no data dictionary, or malformed: every
            problem, each with its file, line and column.
    """
    path = os.fspath(source)
    notes = ReportBuilder("redcap", os.path.basename(path))
    rows = read_rows(read_text(path, DefinitionError), path, notes)
    if len(rows) > 1 and annotated(rows):
        return read_annotated(path, rows, notes)
    return _Reader(path, rows, notes).read()


class _Reader:
    def __init__(self, path: str, rows: Sequence[Row], notes: ReportBuilder) -> None:
        self.path = path
        self.rows = rows
        self.notes = notes
        self.fields: dict[str, FieldInfo] = {}

    def read(self) -> Imported:
        if not self.rows:
            raise DefinitionError(
                [
                    Problem(
                        ProblemCode.TOO_FEW, "the dictionary has no fields", file=self.path, line=1
                    )
                ]
            )
        record, *rest = self.rows
        self.notes.exact(
            "field",
            "the first field is the record identifier: each record's respondent",
            source_id=record.get("field_name"),
            location=(record.get("field_name"),),
            line=record.line,
        )
        for row in rest:
            info = map_field(row, LANGUAGE, self.notes)
            self.fields[info.name] = info
            self._constructs(row, info)
        forms = self._layout(rest)
        self._sections(forms)
        self._calcs(forms)
        metadata = self._prune(forms)
        self._conditions()
        questionnaire = Questionnaire(
            id=_stem(self.path),
            language=LANGUAGE,
            title={LANGUAGE: _stem(self.path)},
            metadata=tuple(metadata),
            dimensions=tuple(self._dimension(node) for node in forms),
        )
        problems = check_questionnaire(questionnaire)
        if problems:
            raise DefinitionError([attrs.evolve(p, file=self.path) for p in problems])
        return Imported(questionnaire=questionnaire, report=self.notes.report())

    # -- per field -------------------------------------------------------------------------------

    def _constructs(self, row: Row, info: FieldInfo) -> None:
        """Findings for the cells beside the field's type: annotations, layout, flags."""
        name = info.name
        where = {"source_id": name, "location": (name,), "line": row.line}
        annotation = row.get("annotation")
        tags = ACTION_TAG.findall(annotation)
        for tag in dict.fromkeys(tags):
            if tag == "@WELTOFFEN":
                self.notes.dropped(
                    "weltoffen settings",
                    f"weltoffen settings, but the dictionary has no settings field "
                    f"{SETTINGS_FIELD!r}: not applied, the columns alone are read",
                    hint="export the questionnaire from weltoffen again",
                    **where,
                )
            elif tag.startswith("@HIDDEN"):
                self.notes.approximated(
                    "action tag",
                    f"{tag} hides the field in REDCap; weltoffen has no hidden-but-answered "
                    "questions, so it is shown and counts like any other",
                    **where,
                )
            else:
                self.notes.dropped(
                    "action tag",
                    f"{tag} is REDCap behaviour weltoffen does not have; not imported",
                    **where,
                )
        if annotation and not tags:
            self.notes.dropped("field annotation", "the annotation text is not kept", **where)
        for column, construct, message in (
            (
                "identifier",
                "identifier",
                "marked as identifying data; weltoffen keeps no such flag",
            ),
            (
                "required",
                "required field",
                "required in REDCap; weltoffen lets any question be "
                "skipped, and its policies decide what a skip counts as",
            ),
            ("custom_alignment", "custom alignment", "layout only; not kept"),
            ("question_number", "question number", "a survey's question number; not kept"),
            ("matrix_ranking", "matrix ranking", "REDCap's ranking of a matrix; not kept"),
        ):
            if row.get(column) and row.get(column).lower() not in ("n", "0"):
                self.notes.dropped(construct, message, **where)
        group = row.get("matrix_group")
        if group:
            self.notes.approximated(
                "matrix group",
                f"in matrix {group!r}: imported as a question of its own (the shared layout "
                "is not kept)",
                **where,
            )

    def _refs(self) -> Refs:
        """The resolver for expressions: every field that is a question, and every calc."""
        kinds: dict[str, Kind] = {
            "choice": "choice",
            "checkbox": "multiple",
            "yesno": "yes_no",
            "number": "numeric",
            "text": "text",
        }
        fields: dict[str, logic.Reference] = {}
        calcs: dict[str, str] = {}
        for name, info in self.fields.items():
            if info.kind == "calc":
                calcs[name] = info.row.raw("choices")
            if info.question is None or info.kind not in kinds:
                continue
            codes: dict[str, bool | str] = {code: code for code in info.codes}
            if info.kind == "yesno":
                codes = {"1": True, "0": False}
            fields[name] = logic.Reference(
                question=info.question.id, kind=kinds[info.kind], codes=codes
            )
        return logic.refs_of(fields, calcs)

    # -- the tree --------------------------------------------------------------------------------

    def _layout(self, rows: Sequence[Row]) -> list[_Node]:
        forms: dict[str, _Node] = {}
        current: dict[str, _Node] = {}
        for row in rows:
            form = row.get("form_name")
            node = forms.get(form)
            if node is None:
                node = forms[form] = _Node(id=form, title=form, line=row.line)
                current[form] = node
            header = row.raw("section_header").strip()
            if header:
                # numbered once the sections with nothing to score are gone (see _sections)
                section = _Node(id="", title=header, line=row.line, field=row.get("field_name"))
                node.children.append(section)
                current[form] = section
            info = self.fields[row.get("field_name")]
            if info.question is not None:
                current[form].questions.append(info.name)
        return list(forms.values())

    def _sections(self, forms: list[_Node]) -> None:
        """Merge sections with nothing to score into their form; number the others."""
        totalled = self._totalled()
        for form in forms:
            kept = []
            for section in form.children:
                where = {
                    "source_id": section.field,
                    "location": (section.field,),
                    "line": section.line,
                }
                own = set(section.questions)
                if not self._scores(section) and not any(items <= own for items in totalled):
                    form.questions.extend(section.questions)
                    self.notes.approximated(
                        "section header",
                        f"the section {plain(section.title)[:60]!r} has nothing to score; its "
                        f"fields stay in form {form.id!r}",
                        **where,
                    )
                    continue
                kept.append(section)
                section.id = section_id(form.id, len(kept))
                self.notes.exact(
                    "section header",
                    f"starts dimension {section.id!r} of form {form.id!r}",
                    **where,
                )
            form.children = kept

    def _totalled(self) -> list[set[str]]:
        """The items of each calc that can be a dimension's total.

        Checkboxes score only once a total counts their ticks, which :meth:`_calcs` decides after
        the sections are shaped: a section of such checkboxes alone still has its total.
        """
        return [
            {t.question for t in total.terms}
            for _, _, total in self._read_calcs
            if isinstance(total, LinearTotal)
            and not _copy(total)
            and self._unsummable(total) is None
        ]

    @functools.cached_property
    def _read_calcs(self) -> list[_Calc]:
        """Each calc field's name with what its text computes, read once: a flag, or else the
        total (or why it is none)."""
        refs = self._refs()
        out: list[_Calc] = []
        for name, info in self.fields.items():
            if info.kind != "calc":
                continue
            text = info.row.raw("choices")
            flag = logic.flag_of(text)
            out.append((name, flag, None if flag is not None else logic.total_of(text, refs)))
        return out

    def _calcs(self, forms: list[_Node]) -> None:
        flags: list[tuple[str, logic.Flag]] = []
        for name, flag, total in self._read_calcs:
            info = self.fields[name]
            text = info.row.raw("choices")
            where = {"source_id": name, "location": (name,), "line": info.row.line}
            if flag is not None:
                flags.append((name, flag))
                continue
            assert total is not None  # a calc is a flag or else has its total read
            if isinstance(total, LinearTotal) and _copy(total):
                (term,) = total.terms
                self.notes.exact(
                    "calc",
                    f"stands for the points of {term.question!r} (a blanked missing-value code "
                    "is an answer state in weltoffen)",
                    **where,
                )
                continue
            if isinstance(total, LinearTotal):
                self._total(forms, name, text, total, where)
                continue
            self.notes.dropped(
                "calc",
                f"{total.reason}: {plain(text)[:120]!r}",
                column=total.offset + 1,
                hint="score the field's formula outside weltoffen, or model it as a dimension",
                **where,
            )
        for name, flag in flags:
            self._flag(forms, name, flag)

    def _flag(self, forms: list[_Node], name: str, flag: logic.Flag) -> None:
        info = self.fields[name]
        where = {"source_id": name, "location": (name,), "line": info.row.line}
        node = next((n for n in _nodes(forms) if n.total_field == flag.total), None)
        reason = None
        if node is None:
            reason = f"{flag.total!r} is no total weltoffen imported"
        elif node.bands:
            reason = f"dimension {node.id!r} has bands from another flag already"
        totals = None if node is None else attainable_totals(self._questions(node))
        if reason is None and totals is None:
            reason = "the totals its dimension can reach are too many to band"
        if reason is not None or node is None or totals is None:
            self.notes.dropped(
                "calc", f"a flag on a total, not imported: {reason}", hint=_BAND_HINT, **where
            )
            return
        sides = {
            flag.when_true: [t for t in totals if holds(t, flag.op, flag.threshold)],
            1 - flag.when_true: [t for t in totals if not holds(t, flag.op, flag.threshold)],
        }
        try:
            bands = bands_from_ranges(
                [
                    ClosedRange(
                        id=f"{name}_{value}",
                        low=min(held),
                        high=max(held),
                        label={LANGUAGE: f"{name} = {value}"},
                    )
                    for value, held in sides.items()
                    if held
                ],
                totals,
            )
        except ValueError as error:
            self.notes.dropped(
                "calc", f"a flag on a total, not imported: {error}", hint=_BAND_HINT, **where
            )
            return
        if len(bands) < 2:
            self.notes.dropped(
                "calc",
                f"the flag is {bands[0].id[-1]} for every total {node.id!r} can reach; not "
                "imported",
                **where,
            )
            return
        node.bands = bands
        self.notes.exact(
            "calc",
            f"bands on the points of dimension {node.id!r}: {name} is 1 for "
            f"{flag.total} {flag.op} {flag.threshold:g}, edged midway between attainable totals",
            **where,
        )

    def _total(
        self,
        forms: list[_Node],
        name: str,
        text: str,
        total: LinearTotal,
        where: Mapping[str, object],
    ) -> None:
        items = [t.question for t in total.terms]
        ticked = {t.question: t.coefficient for t in total.terms if t.measure == "ticked"}
        problem = self._unsummable(total)
        found = (
            None
            if problem
            else _holder(forms, set(items), lambda q: q in ticked or self._scored(q))
        )
        if problem is None and found is None:
            problem = "adds items of several forms or sections"
        if problem is not None or found is None:
            self.notes.dropped(
                "calc",
                f"{problem}: not imported as a dimension's total",
                hint="group the items in one form or section, adding points only",
                **where,
            )
            return
        holder, exact = found
        for qid, each in ticked.items():
            # count(ticked) * w: every option of the checkbox is worth w points, added up
            info = self.fields[qid]
            box = info.question
            assert isinstance(box, MultipleChoice)
            options = tuple(attrs.evolve(o, points=each) for o in box.options)
            box = attrs.evolve(box, options=options, method="sum", scored=True)
            self.fields[qid] = attrs.evolve(info, question=box)
        if not exact:
            child = _Node(id=name, title=name, line=self.fields[name].row.line)
            child.questions = [q for q in holder.questions if q in set(items)]
            holder.questions = [q for q in holder.questions if q not in set(items)]
            # before the sections, after the totals made already: the order of the calcs
            holder.children.insert(holder.made, child)
            holder.made += 1
            holder = child
        holder.total, holder.total_field = total, name
        self.notes.exact(
            "calc",
            f"the total of dimension {holder.id!r}: points added up"
            + (" with weights" if any(t.coefficient != 1 for t in total.terms) else "")
            + (
                ", no total unless every item is answered"
                if total.defined == "all_answered"
                else ", a blank adds nothing"
            ),
            **where,
        )
        if total.defined == "any_answered":
            self.notes.approximated(
                "calc",
                "REDCap gives no total when nothing is answered; weltoffen's total is then 0",
                **where,
            )
        lows = [self._lowest(q) for q in items]
        if total.defined != "all_answered" and any(low != 0 for low in lows):
            self.notes.approximated(
                "calc",
                "REDCap's sum() adds 0 for a blank answer or a blanked missing code, but "
                "weltoffen's 'zero' policy adds the bottom option, which is worth "
                f"{min(lows):g} here: with an answer missing the totals differ, so REDCap's "
                "total is not reproducible on this scale",
                hint="compare totals only on complete answers",
                **where,
            )
        read = set(re.findall(r"\[([A-Za-z0-9_]+)\]", text))
        for raw in sorted(q for q in items if q in read and self.fields[q].missing):
            self.notes.approximated(
                "calc",
                f"reads {raw!r} with its missing-value codes, so REDCap adds a code such as 999 "
                "as points; weltoffen counts it as an answer state",
                **where,
            )

    def _unsummable(self, total: LinearTotal) -> str | None:
        """Why *total* cannot be a dimension's points, if it cannot."""
        if total.constant:
            return f"adds the constant {total.constant:g}"
        for term in total.terms:
            if term.coefficient <= 0:
                return f"counts {term.question!r} {term.coefficient:g} times"
            if term.measure == "ticked":
                continue
            if not self._scored(term.question):
                return f"adds {term.question!r}, which weltoffen does not score"
        return None

    def _lowest(self, qid: str) -> float:
        question = self.fields[qid].question
        points = [o.points for o in getattr(question, "options", ())]
        return min(points, default=0.0)

    def _prune(self, forms: list[_Node]) -> list[MetadataField]:
        """Leave only forms that can score; the fields of the others become metadata."""
        metadata: list[MetadataField] = []
        for form in list(forms):
            if self._scores(form):
                continue
            forms.remove(form)
            for qid in form.questions:
                metadata.append(self._metadata(qid))
            if form.questions:
                message = (
                    f"form {form.id!r} has nothing to score: its {len(form.questions)} fields "
                    "are kept as facts beside each response (metadata), not as questions"
                )
            else:
                message = f"form {form.id!r} holds no questions, so it is no dimension"
            self.notes.approximated("form", message, location=(form.id,), line=form.line)
        if not forms:
            raise DefinitionError(
                [
                    Problem(
                        ProblemCode.CANNOT_SCORE,
                        "the dictionary has nothing to score: no radio or dropdown field has "
                        "numeric codes, and no yes/no field",
                        file=self.path,
                    )
                ]
            )
        return metadata

    def _scores(self, node: _Node) -> bool:
        return any(self._scored(q) for q in node.questions) or any(
            self._scores(c) for c in node.children
        )

    def _scored(self, qid: str) -> bool:
        question = self.fields[qid].question
        return question is not None and question.scored

    def _metadata(self, qid: str) -> MetadataField:
        info = self.fields[qid]
        question = info.question
        assert question is not None
        info_options: tuple[Option, ...] = getattr(question, "options", ())
        options = tuple(attrs.evolve(o, points=0.0) for o in info_options)
        self.fields[qid] = attrs.evolve(info, question=None, kind="metadata")
        return MetadataField(key=qid, label=question.text, options=options)

    def _conditions(self) -> None:
        refs = self._refs()
        reads: dict[str, list[str]] = {}  # question -> the questions its accepted condition reads
        for name, info in self.fields.items():
            logic_text = info.row.raw("branching_logic").strip()
            if not logic_text:
                continue
            where = {"source_id": name, "location": (name,), "line": info.row.line}
            if info.question is None:
                self.notes.dropped(
                    "branching logic",
                    "belongs to a field that is no question; not imported",
                    **where,
                )
                continue
            condition = logic.condition_of(logic_text, refs)
            if isinstance(condition, logic.Untranslated):
                self.notes.dropped(
                    "branching logic",
                    f"{condition.reason}: {logic_text[:120]!r}; the question is always shown",
                    column=condition.offset + 1,
                    hint="add the condition by hand as 'when' if it matters for scoring",
                    **where,
                )
                continue
            loop = _loop(name, referenced_questions(condition), reads)
            if loop:
                self.notes.dropped(
                    "branching logic",
                    "would make conditions depend on each other in a circle ("
                    + " -> ".join(loop)
                    + "), which weltoffen cannot order; the question is always shown",
                    hint="keep one direction of the pair, or model both as one question",
                    **where,
                )
                continue
            reads[name] = referenced_questions(condition)
            self.fields[name] = attrs.evolve(
                info, question=attrs.evolve(info.question, when=condition)
            )
            self.notes.exact("branching logic", "imported as the question's condition", **where)

    def _questions(self, node: _Node) -> list[Question]:
        """The questions of *node* as its dimension holds them (weights from its total)."""
        questions: list[Question] = []
        for qid in node.questions:
            question = self.fields[qid].question
            assert question is not None
            questions.append(question)
        if node.total is None:
            return questions
        weights = {t.question: t.coefficient for t in node.total.terms if t.measure == "points"}
        return [attrs.evolve(q, weight=weights[q.id]) if q.id in weights else q for q in questions]

    def _dimension(self, node: _Node) -> Dimension:
        questions = self._questions(node)
        aggregation: dict[str, object] = {}
        if node.bands:
            aggregation = {"bands": node.bands, "bands_on": "points"}
        if node.total is not None:
            policies = (
                Policies(min_coverage=1.0)
                if node.total.defined == "all_answered"
                else Policies(dont_know=Zero(), skipped=Zero())
            )
            aggregation |= {"aggregation": SumOfPoints(), "scoring": policies}
        return Dimension(
            id=node.id,
            title={LANGUAGE: node.title},
            questions=tuple(questions),
            dimensions=tuple(self._dimension(c) for c in node.children),
            **aggregation,  # type: ignore[arg-type]
        )


def _nodes(forms: Sequence[_Node]) -> list[_Node]:
    """Every node below *forms* (and they themselves), depth first."""
    return [n for form in forms for n in (form, *_nodes(form.children))]


def _loop(start: str, targets: Sequence[str], reads: Mapping[str, Sequence[str]]) -> list[str]:
    """A path from one of *targets* back to *start* through accepted conditions, if any."""
    paths = [[start, t] for t in dict.fromkeys(targets)]
    seen: set[str] = set()
    while paths:
        path = paths.pop()
        last = path[-1]
        if last == start:
            return path
        if last in seen:
            continue
        seen.add(last)
        paths.extend([*path, nxt] for nxt in reads.get(last, ()))
    return []


def _copy(total: LinearTotal) -> bool:
    """Whether *total* only stands for one question's points (a code filter, a copy)."""
    # sum([q]) is a total of one item; a bare [q], or a filter of its codes, stands for it
    return (
        len(total.terms) == 1
        and total.terms[0].coefficient == 1
        and total.terms[0].measure == "points"
        and not total.constant
        and total.defined == "all_answered"
    )


def _holder(
    forms: Sequence[_Node], items: set[str], scored: Callable[[str], bool]
) -> tuple[_Node, bool] | None:
    """The node holding all of *items*, and whether they are all it scores."""
    for form in forms:
        for node in (form, *form.children):
            own = set(node.questions)
            if items <= own:
                return node, {q for q in own if scored(q)} == items and not node.children
    return None


def _stem(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0].strip() or "redcap"
