"""Reading a dictionary weltoffen wrote with ``@WELTOFFEN`` annotations.

The tree comes from the settings fields: each dimension's descriptive field starts it; a field
belongs to the dimension whose settings field last came before it in its form; the first
settings field of a form is a top-level dimension, later ones its children (deeper ones name
their parent). Each question is what its columns say with its annotation applied over them;
where the columns were changed in REDCap after writing (choices, branching logic), the columns
win and the report says so.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from weltoffen.exceptions import DefinitionError, Problem, ProblemCode
from weltoffen.interop.redcap import logic
from weltoffen.interop.redcap.annotations import (
    SETTINGS_FIELD,
    SETTINGS_SUFFIX,
    TagError,
    converter,
    field_refs,
    find_tag,
    overlay,
)
from weltoffen.interop.redcap.choices import parse_choices
from weltoffen.interop.redcap.columns import Row
from weltoffen.interop.redcap.conditions import branching_logic
from weltoffen.interop.redcap.fields import map_field
from weltoffen.interop.redcap.layout import (
    FieldLayout,
    layout_of,
    missing_with,
    storable,
    variable_name,
)
from weltoffen.interop.redcap.writer import generated_calcs
from weltoffen.interop.report import Fidelity, Imported, ReportBuilder
from weltoffen.model.conditions import Condition
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import Question
from weltoffen.scoring.check import check_questionnaire
from weltoffen.serialization.errors import problems_from

__all__ = ["ANNOTATION", "annotated", "read_annotated"]

#: The column a settings problem is located in.
ANNOTATION = "Field Annotation"

#: Settings that describe the answers: dropped when REDCap's choices were changed.
_ANSWER_KEYS = (
    "kind",
    "options",
    "scale",
    "reverse",
    "yes_points",
    "no_points",
    "dont_know",
    "not_applicable",
    "missing_codes",
    "otherwise",
    "method",
    "cap",
    "min_selected",
    "max_selected",
)


def annotated(rows: Sequence[Row]) -> bool:
    """Whether *rows* carry weltoffen's settings field."""
    return any(
        r.get("field_name") == SETTINGS_FIELD and find_tag(r.raw("annotation")) is not None
        for r in rows
    )


class _Problems(list[Problem]):
    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    def at(self, row: Row, message: str, code: ProblemCode = ProblemCode.BAD_VALUE) -> None:
        self.append(Problem(code, message, location=(ANNOTATION,), file=self.path, line=row.line))


def read_annotated(path: str, rows: Sequence[Row], notes: ReportBuilder) -> Imported:
    """The questionnaire of an annotated dictionary (see the module's description)."""
    problems = _Problems(path)
    tags: dict[str, dict[str, Any]] = {}
    for row in rows:
        tag = find_tag(row.raw("annotation"))
        if isinstance(tag, TagError):
            problems.at(
                row, f"{tag.message} (at character {tag.offset + 1})", ProblemCode.BAD_SYNTAX
            )
        elif tag is not None:
            tags[row.get("field_name")] = tag
            notes.exact(
                "weltoffen settings",
                "settings weltoffen wrote beside REDCap's columns, applied over them",
                source_id=row.get("field_name"),
                location=(row.get("field_name"),),
                line=row.line,
            )
    if problems:
        raise DefinitionError(problems)
    root = dict(tags[SETTINGS_FIELD])
    language = root.get("language", "en")
    conv = converter(language if isinstance(language, str) else "en")
    hints = typing.get_type_hints(Questionnaire)
    try:
        scales = conv.structure(root.get("scales", []), hints["scales"])
        shared = conv.structure(root.get("missing_codes", {}), hints["missing_codes"])
        metadata = conv.structure(root.get("metadata", []), hints["metadata"])
    except Exception as exc:  # the converter collects every failure
        settings = next(r for r in rows if r.get("field_name") == SETTINGS_FIELD)
        for problem in problems_from(exc):
            problems.append(attrs.evolve(problem, file=path, line=settings.line))
        raise DefinitionError(problems) from None
    meta_names = {variable_name(m.key) for m in metadata}
    scale_options = {s.id: s.options for s in scales}
    questions: dict[str, tuple[Row, Question, dict[str, Any]]] = {}
    calcs: list[Row] = []
    order: list[tuple[str, Row]] = []  # ("dimension" | "question", row)
    record, *rest = rows
    notes.exact(
        "field",
        "the first field is the record identifier: each record's respondent",
        source_id=record.get("field_name"),
        location=(record.get("field_name"),),
        line=record.line,
    )
    for row in rest:
        name, kind = row.get("field_name"), row.get("field_type")
        where = {"source_id": name, "location": (name,), "line": row.line}
        if name == SETTINGS_FIELD:
            continue
        if kind == "descriptive" and name in tags:
            order.append(("dimension", row))
            continue
        if kind == "calc":
            calcs.append(row)
            continue
        if name in meta_names:
            notes.exact("field", "a metadata field (in the questionnaire's settings)", **where)
            continue
        columns = ReportBuilder("redcap")  # what the columns alone say; settled below
        info = map_field(row, language, columns)
        if info.question is None:
            _settle(columns, notes, settled=False)
            continue
        tag = dict(tags.get(name, {}))
        when = tag.pop("when", None)
        data = overlay(info.question, tag, conv)
        question = _structure(conv, data, row, problems)
        if question is None:
            continue
        layout = _layout(question, scale_options, language, shared)
        agree = _same_choices(layout, row)
        _settle(columns, notes, settled=agree and name in tags)
        if not agree:
            notes.approximated(
                "weltoffen settings",
                "REDCap's choices (or field type) differ from the settings written: the "
                "choices win, the settings on the answers are not applied",
                **where,
            )
            tag = {k: v for k, v in tag.items() if k not in _ANSWER_KEYS}
            data = overlay(info.question, tag, conv)
            question = _structure(conv, data, row, problems)
            if question is None:
                continue
        data.pop("when", None)
        if when is not None:
            data["when"] = when
        questions[question.id] = (row, question, data)
        order.append(("question", row))
    if problems:
        raise DefinitionError(problems)
    _conditions(questions, scale_options, language, shared, conv, notes)
    by_name = {row.get("field_name"): data for row, _, data in questions.values()}
    lines: dict[int, int] = {}  # the line of the field holding each piece's settings
    tree = _tree(order, tags, by_name, problems, _Titles(language, notes), lines)
    if problems:
        raise DefinitionError(problems)
    root["dimensions"] = tree
    settings = next(r for r in rows if r.get("field_name") == SETTINGS_FIELD)
    lines[id(root)] = settings.line
    lines.update((id(data), row.line) for row, _, data in questions.values())
    try:
        questionnaire = conv.structure(root, Questionnaire)
    except Exception as exc:
        found = problems_from(exc)
    else:
        found = check_questionnaire(questionnaire)
    if found:
        raise DefinitionError([_placed(p, root, lines, path) for p in found])
    _calcs(calcs, generated_calcs(questionnaire), notes)
    return Imported(questionnaire=questionnaire, report=notes.report())


def _structure(
    conv: Any, data: Mapping[str, Any], row: Row, problems: _Problems
) -> Question | None:
    try:
        # a condition (and the answer it implies) is settled once every question is known
        bare = {k: v for k, v in data.items() if k not in ("when", "otherwise")}
        question: Question = conv.structure(bare, Question)
        return question
    except Exception as exc:
        for problem in problems_from(exc):
            problems.append(
                attrs.evolve(
                    problem,
                    location=(ANNOTATION, *problem.location),
                    file=problems.path,
                    line=row.line,
                )
            )
        return None


def _layout(
    question: Question,
    scales: Mapping[str, Any],
    language: str,
    shared: Mapping[str, str],
) -> FieldLayout:
    return layout_of(question, scales, language, missing_with(question, shared))


def _same_choices(layout: FieldLayout, row: Row) -> bool:
    choices, _ = parse_choices(row.raw("choices")) if layout.labels else ([], [])
    written = [(c.code, c.label) for c in choices]
    return written == [(code, label.strip()) for code, label in layout.labels]


def _conditions(
    questions: Mapping[str, tuple[Row, Question, dict[str, Any]]],
    scales: Mapping[str, Any],
    language: str,
    shared: Mapping[str, str],
    conv: Any,
    notes: ReportBuilder,
) -> None:
    """Each question's condition: the settings' where they still give the branching logic
    written, else what the branching logic says."""
    layouts = {
        qid: _layout(question, scales, language, shared)
        for qid, (_, question, _) in questions.items()
    }
    refs = field_refs(layouts)
    for row, _, data in questions.values():
        name = row.get("field_name")
        where = {"source_id": name, "location": (name,), "line": row.line}
        text = row.raw("branching_logic").strip()
        written = data.get("when")
        if written is not None:
            try:
                condition = conv.structure(written, Condition)
            except Exception:
                condition = None
            if (
                condition is not None
                and storable(branching_logic(condition, layouts)).strip() == text
            ):
                continue
            notes.approximated(
                "weltoffen settings",
                "the branching logic differs from the condition in the settings: the "
                "branching logic wins",
                **where,
            )
            del data["when"]
        if not text:
            data.pop("otherwise", None)
            continue
        native = logic.condition_of(text, refs)
        if isinstance(native, logic.Untranslated):
            notes.dropped(
                "branching logic",
                f"{native.reason}: {text[:120]!r}; the question is always shown",
                column=native.offset + 1,
                **where,
            )
            data.pop("otherwise", None)
            continue
        data["when"] = conv.unstructure(native, Condition)
        notes.exact("branching logic", "imported as the question's condition", **where)


@attrs.frozen
class _Titles:
    """A dimension's id and title where its settings leave them to the field's name and header."""

    language: str
    notes: ReportBuilder

    def apply(self, data: dict[str, Any], row: Row) -> None:
        name = row.get("field_name")
        if "id" not in data and name.endswith(SETTINGS_SUFFIX):
            data["id"] = name[: -len(SETTINGS_SUFFIX)]
        header = row.raw("section_header").strip()
        if not header:
            return
        title = data.get("title")
        if title is None:
            data["title"] = {self.language: header}
            return
        if isinstance(title, str):
            title = {self.language: title}
        if not isinstance(title, dict):
            return  # the converter says what is wrong with it
        shown = title.get(self.language) or next(iter(title.values()), "")
        if isinstance(shown, str) and storable(shown).strip() != header:
            data["title"] = {**title, self.language: header}
            self.notes.approximated(
                "weltoffen settings",
                "the section header differs from the title in the settings: the header wins",
                source_id=name,
                location=(name,),
                line=row.line,
            )


def _tree(
    order: Sequence[tuple[str, Row]],
    tags: Mapping[str, Mapping[str, Any]],
    questions: Mapping[str, dict[str, Any]],
    problems: _Problems,
    titles: _Titles,
    lines: dict[int, int],
) -> list[dict[str, Any]]:
    """The dimensions as weltoffen data, from the settings fields in document order."""
    top: list[dict[str, Any]] = []
    by_id: dict[str, dict[str, Any]] = {}
    form_top: dict[str, dict[str, Any]] = {}
    current: dict[str, dict[str, Any]] = {}
    for what, row in order:
        form = row.get("form_name")
        name = row.get("field_name")
        if what == "question":
            holder = current.get(form)
            if holder is None:
                problems.at(
                    row, "the field comes before any dimension's settings field in its form"
                )
                continue
            holder["questions"].append(questions[name])
            continue
        data = {k: v for k, v in tags[name].items() if k != "parent"}
        titles.apply(data, row)
        data.update(questions=[], dimensions=[])
        lines[id(data)] = row.line
        parent = tags[name].get("parent")
        if parent is not None:
            found = by_id.get(str(parent))
            if found is None:
                problems.at(row, f"the parent dimension {parent!r} comes nowhere before it")
                continue
            found["dimensions"].append(data)
        elif form in form_top:
            form_top[form]["dimensions"].append(data)
        else:
            form_top[form] = data
            top.append(data)
        if isinstance(data.get("id"), str):
            by_id[data["id"]] = data
        current[form] = data
    return top


def _calcs(rows: Sequence[Row], generated: Mapping[str, str], notes: ReportBuilder) -> None:
    """Report each calc field: weltoffen computes totals from the settings, not from calcs."""
    for row in rows:
        name = row.get("field_name")
        where = {"source_id": name, "location": (name,), "line": row.line}
        if generated.get(name) == row.raw("choices").strip():
            notes.exact(
                "calc",
                "the total (or flag) weltoffen computes from the dimension's settings",
                **where,
            )
        else:
            notes.approximated(
                "calc",
                "differs from the total weltoffen computes from the settings (changed in "
                "REDCap?): weltoffen scores by the settings, not by this calculation",
                hint="delete the annotations to import the dictionary by its columns alone",
                **where,
            )


def _placed(
    problem: Problem, root: Mapping[str, Any], lines: Mapping[int, int], path: str
) -> Problem:
    """*problem* with the line of the field whose settings hold the place it names."""
    line = lines[id(root)]
    node: Any = root
    for step in problem.location:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        line = lines.get(id(node), line)
    return attrs.evolve(problem, file=path, line=line)


def _settle(columns: ReportBuilder, notes: ReportBuilder, *, settled: bool) -> None:
    """Pass on what the columns alone say of a field; where its settings say what it stands
    for (*settled*), what the columns only approximate is exact."""
    for finding in columns.report().findings:
        if settled and finding.fidelity is Fidelity.APPROXIMATED:
            finding = attrs.evolve(
                finding,
                fidelity=Fidelity.EXACT,
                message=finding.message + "; the weltoffen settings say what it stands for",
                hint=None,
            )
        notes.add(
            finding.fidelity,
            finding.construct,
            finding.message,
            location=finding.location,
            source_id=finding.source_id,
            hint=finding.hint,
            line=finding.line,
            column=finding.column,
        )
