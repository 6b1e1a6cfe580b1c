"""Writing a questionnaire as a REDCap data dictionary (CSV).

Top-level dimensions become forms, their child dimensions sections (a section header carrying the
child's title); a dimension that adds up points gets a calc field ``<dimension>_total`` after its
fields (``sum()`` when skipped answers count as the bottom option, ``+`` when every answer is
needed); conditions become branching logic. A questionnaire REDCap can hold whole is written in
REDCap's own terms only. Any other is written as far as REDCap's columns go, and what they cannot
say travels in ``@WELTOFFEN={...}`` field annotations (:mod:`.annotations`): on the field it
belongs to, on a descriptive field per dimension, and on the descriptive field ``weltoffen``
for the questionnaire. Only names that would collide are refused.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping

from weltoffen.exceptions import DefinitionError, Problem, ProblemCode
from weltoffen.interop.redcap import logic
from weltoffen.interop.redcap.annotations import (
    SETTINGS_FIELD,
    SETTINGS_SUFFIX,
    annotation,
    converter,
    field_refs,
    question_tag,
)
from weltoffen.interop.redcap.choices import number
from weltoffen.interop.redcap.columns import COLUMNS, Row
from weltoffen.interop.redcap.conditions import branching_logic, number_text
from weltoffen.interop.redcap.fields import map_field
from weltoffen.interop.redcap.flags import attainable_totals
from weltoffen.interop.redcap.layout import (
    CODE,
    NAME,
    FieldLayout,
    choice_label,
    layouts,
    storable,
    variable_name,
)
from weltoffen.interop.registry import Source
from weltoffen.interop.report import ReportBuilder
from weltoffen.interop.translate import Refs
from weltoffen.model.conditions import Condition
from weltoffen.model.dimensions import Dimension, Policies
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import MultipleChoice, Numeric, Question, TextQuestion
from weltoffen.scoring.check import check_questionnaire
from weltoffen.serialization.api import write_text
from weltoffen.strategies import Exclude, Explicit, SumOfPoints, WeightedMean, Zero

__all__ = [
    "RECORD_ID",
    "SETTINGS_LABEL",
    "dictionary_text",
    "flag_field",
    "generated_calcs",
    "native_problems",
    "total_field",
    "write_questionnaire",
]

#: The first field of every written dictionary: REDCap's record identifier.
RECORD_ID = "record_id"

#: The label of the descriptive field that carries the questionnaire's settings.
SETTINGS_LABEL = (
    "Scoring settings for weltoffen, not a question: its field annotation holds what this "
    "dictionary cannot say in REDCap's own columns"
)

_HEADER = [spellings[0] for spellings in COLUMNS.values()]
_DEFAULT_ROOT = Policies(dont_know=Exclude(), skipped=Exclude(), min_coverage=0.0)
_SUM_ZERO = Policies(dont_know=Zero(), skipped=Zero())
_SUM_ALL = Policies(min_coverage=1.0)


def total_field(dimension: Dimension) -> str:
    """The name of the calc field that carries *dimension*'s total."""
    return f"{variable_name(dimension.id)[:94]}_total"


def flag_field(dimension: Dimension) -> str:
    """The name of the calc field that carries *dimension*'s bands on points as a 0/1 flag.

    Bands an import made from a flag (``<flag>_0``, ``<flag>_1``) give back that flag's name.
    """
    ids = [band.id for band in dimension.bands]
    if len(ids) == 2 and ids[0].endswith("_0") and ids[1] == ids[0][:-1] + "1":
        return variable_name(ids[0][:-2])
    return f"{variable_name(dimension.id)[:95]}_flag"


def _inline(child: Dimension, form: str) -> bool:
    """Whether *child* is a total over some fields of its parent rather than a section."""
    return (
        isinstance(child.aggregation, SumOfPoints)
        and not child.dimensions
        and not re.fullmatch(re.escape(form) + r"__s\d+", child.id)
    )


def write_questionnaire(questionnaire: Questionnaire, target: Source) -> None:
    """Write *questionnaire* as a REDCap data dictionary to *target* (whole or not at all).

    Raises:
        DefinitionError: The questionnaire does not pass weltoffen's own checks, or two of its
            ids would be the same REDCap name (every such problem, each with its place).
    """
    write_text(target, dictionary_text(questionnaire))


def dictionary_text(questionnaire: Questionnaire) -> str:
    """The data dictionary of *questionnaire* as CSV text (see :func:`write_questionnaire`)."""
    problems = check_questionnaire(questionnaire)
    if problems:
        raise DefinitionError(problems)
    writer = _Writer(questionnaire)
    rows = list(writer.rows())
    if writer.problems:
        writer = _Annotated(questionnaire)
        rows = list(writer.rows())
        if writer.problems:
            raise DefinitionError(writer.problems)
    out = io.StringIO()
    table = csv.writer(out, lineterminator="\n")
    table.writerow(_HEADER)
    table.writerows(rows)
    return out.getvalue()


def native_problems(questionnaire: Questionnaire) -> list[Problem]:
    """What *questionnaire* holds that REDCap's own columns cannot (each with its place): the
    settings a written dictionary then carries in weltoffen annotations."""
    writer = _Writer(questionnaire)
    for _ in writer.rows():
        pass
    return writer.problems


def generated_calcs(questionnaire: Questionnaire) -> dict[str, str]:
    """The calc fields a dictionary of *questionnaire* holds (name -> calculation), written with
    weltoffen annotations."""
    writer = _Annotated(questionnaire)
    kind, choices = list(COLUMNS).index("field_type"), list(COLUMNS).index("choices")
    return {row[0]: row[choices] for row in writer.rows() if row[kind] == "calc"}


class _Writer:
    def __init__(self, questionnaire: Questionnaire) -> None:
        self.q = questionnaire
        self.layouts = layouts(questionnaire)
        self.problems: list[Problem] = []
        self.language = questionnaire.language

    def refuse(self, message: str, location: tuple[str | int, ...]) -> None:
        self.problems.append(Problem(ProblemCode.BAD_VALUE, message, location=location))

    def rows(self) -> Iterator[list[str]]:
        q = self.q
        if q.aggregation != WeightedMean() or q.weighting != Explicit():
            self.refuse(
                "REDCap has no overall score: the questionnaire must combine its dimensions "
                "with the default weighted mean and explicit weights",
                ("aggregation",),
            )
        if q.scoring != _DEFAULT_ROOT:
            self.refuse(
                "REDCap has no missing-answer policies for the whole instrument: keep the "
                "defaults (exclude, exclude, min_coverage 0) and set them on summed dimensions",
                ("scoring",),
            )
        if q.bands:
            self.refuse("REDCap has no bands on the overall score", ("bands",))
        yield self.row(
            RECORD_ID, q.dimensions[0].id if q.dimensions else "form", "text", "Record ID"
        )
        for i, dim in enumerate(q.dimensions):
            yield from self.form(dim, ("dimensions", i))
        yield from self.metadata({dim.id for _, dim in q.iter_dimensions()})

    def row(self, name: str, form: str, kind: str, label: str, **cells: str) -> list[str]:
        values = {"field_name": name, "form_name": form, "field_type": kind, "field_label": label}
        values.update(cells)
        return [values.get(column, "") for column in COLUMNS]

    def form(self, dim: Dimension, path: tuple[str | int, ...]) -> Iterator[list[str]]:
        if not NAME.fullmatch(dim.id):
            self.refuse(
                f"dimension id {dim.id!r} cannot be a REDCap form name (lower-case letters, "
                "digits and underscores, a letter first)",
                (*path, "id"),
            )
        yield from self.block(dim, dim.id, path, "", 1)

    def block(
        self, dim: Dimension, form: str, path: tuple[str | int, ...], header: str, level: int
    ) -> Iterator[list[str]]:
        """*dim*'s fields: its own, those of its inline totals, then its sections."""
        inline = 0
        while inline < len(dim.dimensions) and _inline(dim.dimensions[inline], form):
            inline += 1
        yield from self.fields(dim, form, path, header)
        if dim.questions:
            header = ""
        for j, child in enumerate(dim.dimensions):
            child_path = (*path, "dimensions", j)
            if j < inline:
                # a total over some of the fields here: its fields stay here, its calc names it
                yield from self.fields(child, form, child_path, header, total=child.id)
                header = "" if child.questions else header
                continue
            if level > 1:
                self.refuse(
                    "REDCap has two levels (forms and sections): a third level can only be a "
                    "total over some of a section's fields (a summed dimension without children)",
                    child_path,
                )
                continue
            yield from self.block(child, form, child_path, self.text(child.title) or child.id, 2)

    def metadata(self, names: set[str]) -> Iterator[list[str]]:
        """The metadata fields, in a form of their own: nothing in it scores."""
        form = "metadata"
        if form in names:
            self.refuse(
                f"the metadata form would take the name {form!r} of a dimension", ("metadata",)
            )
        for i, field in enumerate(self.q.metadata):
            where = ("metadata", i)
            if not NAME.fullmatch(field.key):
                self.refuse(
                    f"metadata key {field.key!r} cannot be a REDCap variable name",
                    (*where, "key"),
                )
            values = [o.value for o in field.options]
            for value in values:
                if not CODE.fullmatch(value):
                    self.refuse(
                        f"{value!r} cannot be a REDCap code (letters, digits and underscores, "
                        "or a number)",
                        (*where, "options"),
                    )
            if values and all(number(v) is not None for v in values):
                self.refuse(
                    "metadata codes that are all numbers would read back as points",
                    (*where, "options"),
                )
            choices = " | ".join(
                f"{o.value}, {self.text(o.label) or o.value}" for o in field.options
            )
            kind = "dropdown" if field.options else "text"
            yield self.row(field.key, form, kind, self.text(field.label), choices=choices)

    def fields(
        self,
        dim: Dimension,
        form: str,
        path: tuple[str | int, ...],
        header: str,
        total: str | None = None,
    ) -> Iterator[list[str]]:
        summed = self.settings(dim, path)
        if dim.when is not None:
            self.refuse("REDCap has no conditions on forms or sections", (*path, "when"))
        for k, question in enumerate(dim.questions):
            where = (*path, "questions", k)
            layout = self.layouts[question.id]
            for reason in layout.problems:
                self.refuse(reason, where)
            if not NAME.fullmatch(question.id):
                self.refuse(
                    f"question id {question.id!r} cannot be a REDCap variable name (lower-case "
                    "letters, digits and underscores, a letter first)",
                    (*where, "id"),
                )
            if question.weight != 1 and not summed:
                self.refuse(
                    "REDCap has question weights only inside a sum: give the dimension the "
                    "aggregation 'sum' or the weight 1",
                    (*where, "weight"),
                )
            if isinstance(question, MultipleChoice) and question.scored and not summed:
                self.refuse(
                    "ticks earn points in REDCap only inside a total: give the dimension the "
                    "aggregation 'sum'",
                    where,
                )
            yield self.field(layout, form, header if k == 0 else "")
        if summed and dim.questions:
            yield self.row(
                total or total_field(dim),
                form,
                "calc",
                f"Total of {self.text(dim.title) or dim.id}",
                choices=self.total(dim),
            )
            flag = self.flag(dim, path, total or total_field(dim))
            if flag is not None:
                yield self.row(
                    flag_field(dim), form, "calc", self.text(dim.bands[1].label), choices=flag
                )

    def settings(self, dim: Dimension, path: tuple[str | int, ...]) -> bool:
        """Whether *dim* adds up points (refusing settings REDCap cannot hold)."""
        if dim.weight != 1 or dim.weighting != Explicit():
            self.refuse(
                "REDCap has no dimension weights: keep weight 1 and explicit weights",
                (*path, "weight"),
            )
        if dim.bands and dim.bands_on != "points":
            self.refuse("REDCap has no bands on scores", (*path, "bands"))
        if isinstance(dim.aggregation, SumOfPoints):
            if dim.scoring not in (_SUM_ZERO, _SUM_ALL):
                self.refuse(
                    "a REDCap total counts a blank as 0 (sum()) or needs every answer (+): "
                    "give the dimension skipped and dont_know 'zero', or min_coverage 1",
                    (*path, "scoring"),
                )
            if dim.dimensions:
                self.refuse(
                    "a REDCap total adds fields, not other totals: a summed dimension cannot "
                    "have child dimensions",
                    (*path, "dimensions"),
                )
            return True
        if dim.bands and dim.bands_on == "points":
            self.refuse(
                "bands on points need the dimension's total: give it the aggregation 'sum'",
                (*path, "bands"),
            )
        if dim.aggregation != WeightedMean() or dim.scoring != Policies():
            self.refuse(
                "REDCap has no other way to combine scores than adding points: use the "
                "weighted mean with the inherited policies, or 'sum'",
                (*path, "aggregation"),
            )
        return False

    def flag(self, dim: Dimension, path: tuple[str | int, ...], total: str) -> str | None:
        """The flag calc of *dim*'s bands on points: 1 in the upper band, 0 in the lower."""
        if not dim.bands:
            return None
        totals = attainable_totals(dim.questions)
        if len(dim.bands) != 2 or totals is None:
            self.refuse(
                "REDCap carries bands on points as a flag: two bands (0 below, 1 above an "
                "attainable total)",
                (*path, "bands"),
            )
            return None
        edge = dim.bands[1].min
        first = min((t for t in totals if t >= edge), default=None)
        if first is None:
            self.refuse("the upper band holds no attainable total", (*path, "bands"))
            return None
        return f"if([{total}] >= {number_text(first)}, 1, 0)"

    def total(self, dim: Dimension) -> str:
        terms = []
        for question in dim.questions:
            if not question.scored:
                continue
            w = question.weight
            layout = self.layouts[question.id]
            term = f"[{layout.name}]"
            if isinstance(question, MultipleChoice):
                # a count of ticks: each option reads 1 when ticked, 0 when not
                ticks = " + ".join(f"[{layout.name}({code})]" for code in layout.codes.values())
                term, w = f"({ticks})", w * question.options[0].points
            terms.append(term if w == 1 else f"{term}*{number_text(w)}")
        if dim.scoring == _SUM_ZERO:
            return f"sum({', '.join(terms)})"
        return " + ".join(terms)

    def field(self, layout: FieldLayout, form: str, header: str) -> list[str]:
        question = layout.question
        cells = {
            "section_header": header,
            "field_note": self.text(question.help),
            "validation": layout.validation,
            "choices": " | ".join(f"{code}, {label}" for code, label in layout.labels),
        }
        if isinstance(question, Numeric):
            if question.minimum is not None:
                cells["validation_min"] = f"{question.minimum:g}"
            if question.maximum is not None:
                cells["validation_max"] = f"{question.maximum:g}"
        if question.when is not None:
            cells["branching_logic"] = branching_logic(question.when, self.layouts)
        return self.row(layout.name, form, layout.field_type, self.text(question.text), **cells)

    def text(self, text: Mapping[str, str]) -> str:
        return text.get(self.language) or next(iter(text.values()), "")


class _Annotated(_Writer):
    """The dictionary with weltoffen annotations wherever REDCap's columns fall short."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        super().__init__(questionnaire)
        self.conv = converter(questionnaire.language)
        self.refs = field_refs(self.layouts)
        self.taken: dict[str, str] = {}

    def row(self, name: str, form: str, kind: str, label: str, **cells: str) -> list[str]:
        # a text file holds no control characters: the annotation keeps such texts exactly
        written = super().row(name, form, kind, label, **cells)
        return [storable(cell) for cell in written[:-1]] + written[-1:]

    def take(self, name: str, what: str, location: tuple[str | int, ...]) -> str:
        """*name* for *what*, refused when something else has it already."""
        if name in self.taken:
            self.refuse(
                f"{what} and {self.taken[name]} would both be the REDCap variable {name!r}",
                location,
            )
        self.taken[name] = what
        return name

    def rows(self) -> Iterator[list[str]]:
        q = self.q
        first = variable_name(q.dimensions[0].id)
        yield self.row(self.take(RECORD_ID, "the record id", ()), first, "text", "Record ID")
        root = {k: v for k, v in self.conv.unstructure(q).items() if k != "dimensions"}
        yield self.row(
            self.take(SETTINGS_FIELD, "the settings field", ()),
            first,
            "descriptive",
            SETTINGS_LABEL,
            annotation=annotation(root),
        )
        forms: dict[str, str] = {}
        for i, dim in enumerate(q.dimensions):
            form = variable_name(dim.id)
            if form in forms:
                self.refuse(
                    f"dimensions {forms[form]!r} and {dim.id!r} would both be the REDCap form "
                    f"{form!r}",
                    ("dimensions", i, "id"),
                )
            forms[form] = dim.id
            yield from self.dimension(dim, form, ("dimensions", i), 1, None)
        form = "metadata"
        while form in forms:
            form += "_"
        for i, field in enumerate(q.metadata):
            name = self.take(variable_name(field.key), f"metadata {field.key!r}", ("metadata", i))
            values = [o.value for o in field.options]
            readable = all(CODE.fullmatch(v) for v in values) and not all(
                number(v) is not None for v in values
            )
            codes = values if readable else [str(k) for k in range(1, len(values) + 1)]
            choices = " | ".join(
                f"{code}, {choice_label(o, self.language)}" for code, o in zip(codes, field.options)
            )
            kind = "dropdown" if field.options else "text"
            yield self.row(name, form, kind, self.text(field.label), choices=choices)

    def dimension(
        self,
        dim: Dimension,
        form: str,
        path: tuple[str | int, ...],
        level: int,
        parent: str | None,
    ) -> Iterator[list[str]]:
        title = self.text(dim.title) or dim.id
        data = {
            k: v
            for k, v in self.conv.unstructure(dim).items()
            if k not in ("questions", "dimensions")
        }
        if level > 2:
            data["parent"] = parent  # REDCap has two levels: deeper ones name their parent
        name = self.take(f"{variable_name(dim.id)[:91]}_settings", f"dimension {dim.id!r}", path)
        if name == f"{dim.id}{SETTINGS_SUFFIX}":
            del data["id"]  # the field's name says it
        header = self.text(dim.title) if level > 1 else ""
        if header and dim.title == {self.language: header} and storable(header).strip() == header:
            del data["title"]  # the section header says it
        yield self.row(
            name,
            form,
            "descriptive",
            f"Scoring settings of {title!r} for weltoffen, not a question",
            section_header=header,
            annotation=annotation(data),
        )
        for k, question in enumerate(dim.questions):
            yield self.question(question, form, (*path, "questions", k))
        yield from self.totals(dim, form, path)
        for j, child in enumerate(dim.dimensions):
            yield from self.dimension(child, form, (*path, "dimensions", j), level + 1, dim.id)

    def question(self, question: Question, form: str, path: tuple[str | int, ...]) -> list[str]:
        layout = self.layouts[question.id]
        self.take(layout.name, f"question {question.id!r}", path)
        cells = self.field(layout, form, "")
        native = map_field(
            Row(line=0, cells=dict(zip(COLUMNS, cells))), self.language, ReportBuilder("redcap")
        ).question
        assert native is not None  # every field type written here is a question's
        tag = question_tag(question, native, self.conv)
        if _condition(cells[list(COLUMNS).index("branching_logic")], self.refs) != question.when:
            tag["when"] = self.conv.unstructure(question.when, Condition | None)
        if tag:
            cells[list(COLUMNS).index("annotation")] = annotation(tag)
        return cells

    def totals(self, dim: Dimension, form: str, path: tuple[str | int, ...]) -> Iterator[list[str]]:
        """The calc total (and flag) of *dim*, where REDCap can compute them as weltoffen does."""
        if not (
            isinstance(dim.aggregation, SumOfPoints)
            and not dim.dimensions
            and dim.scoring in (_SUM_ZERO, _SUM_ALL)
            and any(q.scored for q in dim.questions)
            and all(self.native_points(q) for q in dim.questions if q.scored)
        ):
            return
        name = total_field(dim)
        if name in self.taken:
            return
        self.taken[name] = f"the total of {dim.id!r}"
        yield self.row(
            name,
            form,
            "calc",
            f"Total of {self.text(dim.title) or dim.id}",
            choices=self.total(dim),
        )
        saved, self.problems = self.problems, []
        flag = self.flag(dim, path, name) if dim.bands_on == "points" else None
        flagged, self.problems = not self.problems, saved
        if flag is not None and flagged and flag_field(dim) not in self.taken:
            self.taken[flag_field(dim)] = f"the flag of {dim.id!r}"
            yield self.row(
                flag_field(dim), form, "calc", self.text(dim.bands[1].label), choices=flag
            )

    def native_points(self, question: Question) -> bool:
        """Whether REDCap's codes (or ticks) give *question*'s points."""
        layout = self.layouts[question.id]
        if layout.problems or isinstance(question, Numeric | TextQuestion):
            return False
        return not isinstance(question, MultipleChoice) or layout.codes == {
            o.value: o.value for o in question.options
        }


def _condition(text: str, refs: Refs) -> Condition | None:
    """The condition branching logic *text* gives back when read (``None`` for none)."""
    if not text.strip():
        return None
    got = logic.condition_of(text, refs)
    return None if isinstance(got, logic.Untranslated) else got
