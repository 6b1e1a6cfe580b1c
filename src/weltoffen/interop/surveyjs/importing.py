"""Reading a SurveyJS survey (JSON) into a weltoffen questionnaire.

The reader builds weltoffen's plain-data form of the questionnaire and structures it at the end,
so every rule of the model applies as for a file written by hand. Pages (or a custom question
property such as ``domain``) become dimensions, panels nested dimensions; choices earn the points
of their custom ``score`` property, or their value where the values are numbers. ``visibleIf``
becomes a condition, calculated values and ``expression`` questions that add up points become the
scoring settings, and ``completedHtmlOnCondition`` on such a total becomes bands on points.
The custom property ``weltoffen`` (written by :mod:`~weltoffen.interop.surveyjs.exporting`) holds
settings SurveyJS has no property for and overrides what the survey says.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeGuard

import attrs

from weltoffen.exceptions import DefinitionError, Location, Problem, ProblemCode
from weltoffen.interop.exported import own_question_settings
from weltoffen.interop.expressions import SURVEYJS, ExpressionError, Node, parse
from weltoffen.interop.report import Imported, ReportBuilder
from weltoffen.interop.sources import read_json, refuse
from weltoffen.interop.surveyjs.common import (
    DONT_KNOW,
    NONE,
    NOT_APPLICABLE,
    POINTS,
    PROPERTY,
    REFUSED,
    SCORE,
    texts_of,
)
from weltoffen.interop.surveyjs.totals import Total, read_bands, read_totals
from weltoffen.interop.translate import Kind, Refs, Target, Unsupported, canonical, to_condition
from weltoffen.registry import default_registry
from weltoffen.serialization import load_questionnaire

__all__ = ["QUESTION_KEYS", "import_survey", "read_questionnaire"]

_CHOICE_TYPES = frozenset({"radiogroup", "dropdown", "imagepicker", "buttongroup"})
_MULTIPLE_TYPES = frozenset({"checkbox", "tagbox"})
#: Question properties that only change how SurveyJS shows or checks a question.
_DISPLAY = frozenset(
    {
        "isRequired", "titleLocation", "showNumber", "startWithNewLine", "width", "minWidth",
        "maxWidth", "colCount", "placeholder", "requiredErrorText", "hideNumber", "indent",
        "descriptionLocation", "choicesOrder", "separateSpecialChoices", "readOnly", "state",
        "renderAs", "displayMode", "rateType", "rateDisplayMode", "autoGenerate", "rows",
        "autoGrow", "allowResize", "maxLength", "inputSize", "dontKnowText", "refuseText",
        "noneText", "labelTrue", "labelFalse", "valueTrue", "valueFalse", "minRateDescription",
        "maxRateDescription", "rateCount", "alternateRows", "columnMinWidth", "isAllRowRequired",
        "hideIfChoicesEmpty", "showCommentArea", "commentText", "step", "errorLocation",
        "showTitle", "questionTitleLocation", "showQuestionNumbers", "visible",
    }
)  # fmt: skip
#: Question properties the reader reads.
QUESTION_KEYS = frozenset(
    {
        "type", "name", "title", "description", "choices", "choicesFromQuestion", "visibleIf",
        "enableIf", "showDontKnowItem", "showRefuseItem", "showNoneItem", "showOtherItem",
        "inputType", "min", "max", "rateValues", "rateMin", "rateMax", "rateStep", "columns",
        "rows", "expression", "minSelectedChoices", "maxSelectedChoices", "elements", PROPERTY,
    }
)  # fmt: skip
_ROOT_KEYS = frozenset(
    {
        "title", "description", "locale", "pages", "elements", "calculatedValues",
        "completedHtmlOnCondition", "completedHtml", PROPERTY,
    }
)  # fmt: skip
#: What weltoffen's exporter writes only for SurveyJS to show (its own settings hold the rest).
_WRITTEN = frozenset({"dontKnowText", "noneText", "showQuestionNumbers", "step"})
_CONTAINER_KEYS = frozenset({"type", "name", "title", "description", "elements", "visibleIf"})
_OUR_VALUES = (POINTS, SCORE)


def read_questionnaire(
    source: str | os.PathLike[str], *, dimensions_from: str | None = None
) -> Imported:
    """The SurveyJS survey in the JSON file *source*, and the report of what came across.

    Args:
        source: The survey JSON file.
        dimensions_from: A custom question property (RAND-36's ``domain``) whose values name
            the dimensions instead of the pages. Without it, a custom property that every
            scored question has is taken (and reported); else the pages are the dimensions.

    Raises:
        DefinitionError: The file is no survey weltoffen can read; every problem found is
            listed with its place (JSON path; line and column for a syntax error).
    """
    try:
        data = read_json(source, DefinitionError)
    except DefinitionError as exc:
        raise DefinitionError([_with_column(p, source) for p in exc.problems]) from None
    return import_survey(data, source=os.fspath(source), dimensions_from=dimensions_from)


def _with_column(problem: Problem, source: str | os.PathLike[str]) -> Problem:
    """A JSON syntax error with its column as a field (the shared reader names it in the
    message only), so that editors and reports can point at it."""
    if problem.code is not ProblemCode.BAD_SYNTAX or problem.column is not None:
        return problem
    try:
        json.loads(Path(source).read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as error:
        if error.lineno == problem.line:
            return attrs.evolve(problem, column=error.colno)
    except (OSError, UnicodeDecodeError, RecursionError):
        pass
    return problem


def import_survey(
    data: Any, *, source: str | None = None, dimensions_from: str | None = None
) -> Imported:
    """Like :func:`read_questionnaire`, for a survey already parsed from JSON."""
    if not isinstance(data, Mapping) or not (
        isinstance(data.get("pages"), list) or isinstance(data.get("elements"), list)
    ):
        raise refuse(
            DefinitionError,
            source,
            "this is not a SurveyJS survey (no list of pages or elements)",
            expected='{"pages": [{"elements": [...]}, ...]}',
        )
    return _Importer(data, source, dimensions_from).run()


@attrs.define
class _Container:
    """A page or panel on its way to become a dimension."""

    id: str
    location: Location
    data: dict[str, Any]
    element: Mapping[str, Any]
    questions: list[dict[str, Any]] = attrs.field(factory=list)
    children: list[_Container] = attrs.field(factory=list)


@attrs.define
class _Found:
    """A question met: its data, its SurveyJS element and where it is."""

    data: dict[str, Any]
    element: Mapping[str, Any]
    location: Location
    container: _Container
    codes: dict[str, Any] = attrs.field(factory=dict)
    own: bool = False  # weltoffen's property gave its settings


_KINDS: Mapping[str, Kind] = {
    "choice": "choice",
    "scale": "choice",
    "multiple_choice": "multiple",
    "yes_no": "yes_no",
    "numeric": "numeric",
    "text": "text",
}


class _Importer:
    def __init__(
        self, data: Mapping[str, Any], source: str | None, dimensions_from: str | None
    ) -> None:
        self.data = data
        self.source = source
        self.notes = ReportBuilder("surveyjs", source)
        self.problems: list[Problem] = []
        locale = data.get("locale")
        self.language = locale if isinstance(locale, str) and locale else "en"
        own = data.get(PROPERTY)
        self.root_settings: dict[str, Any] = dict(own) if isinstance(own, Mapping) else {}
        self.language = str(self.root_settings.pop("language", self.language))
        self.dimensions_from = dimensions_from
        self.found: dict[str, _Found] = {}
        self.elements: dict[str, Mapping[str, Any]] = {}
        self.expressions: list[tuple[str, str, Location, _Container | None]] = []

    def problem(self, code: ProblemCode, message: str, location: Location, **more: Any) -> None:
        self.problems.append(Problem(code, message, location=location, file=self.source, **more))

    # -- the walk ---------------------------------------------------------------------------

    def run(self) -> Imported:
        data = self.data
        self._other_keys(data, (), None, _ROOT_KEYS)
        root = _Container(id="", location=(), data={}, element=data)
        self._index(data)
        if isinstance(data.get("pages"), list):
            for i, page in enumerate(data["pages"]):
                where: Location = ("pages", i)
                if not isinstance(page, Mapping):
                    self.problem(ProblemCode.WRONG_TYPE, "a page must be an object", where)
                    continue
                self._container(page, where, root, f"page{i + 1}")
        else:
            self._elements(data, (), root)
        for i, calc in enumerate(_listed(data.get("calculatedValues"))):
            where = ("calculatedValues", i)
            name, expression = calc.get("name"), calc.get("expression")
            if not isinstance(name, str) or not isinstance(expression, str):
                self.problem(
                    ProblemCode.MISSING_KEY, "a calculated value needs a name and an expression",
                    where,
                )  # fmt: skip
                continue
            self.expressions.append((name, expression, where, None))
        refs = self._refs()
        for found in self.found.values():
            self._condition(found, refs)
        for container in self._all(root):
            self._container_condition(container, refs)
        root_data = self._root_data()
        totals: list[Total] = []
        own = bool(self.root_settings)
        if not self.problems:
            questions = self._questions()
            totals = read_totals(
                self.expressions, refs, questions, root_data, self.notes, apply=not own
            )
            read_bands(
                data, totals, refs, questions, root_data, self.notes, self.problems,
                self.source, own=own,
            )  # fmt: skip
        data_dims = self._dimensions(root)
        if not own and root_data.get("aggregation") == "sum":
            _sum_everywhere(data_dims)
        root_data["dimensions"] = data_dims
        for key, value in self.root_settings.items():
            root_data[key] = value
        if self.problems:
            raise DefinitionError(self.problems)
        try:
            questionnaire = load_questionnaire(
                data=root_data, check=False, registry=default_registry
            )
        except DefinitionError as exc:
            raise exc.with_source(self.source, None) from None
        return Imported(questionnaire=questionnaire, report=self.notes.report())

    def _index(self, element: Mapping[str, Any]) -> None:
        """Every named element, for ``choicesFromQuestion`` (which may point forward)."""
        for key in ("pages", "elements"):
            for child in _listed(element.get(key)):
                name = child.get("name")
                if isinstance(name, str) and child.get("type") not in (None, "panel"):
                    self.elements.setdefault(name, child)
                self._index(child)

    def _root_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"language": self.language}
        title = texts_of(self.data.get("title"), self.language)
        data["id"] = self.root_settings.pop("id", None) or _slug(
            next(iter(title.values()), "") or "surveyjs"
        )
        if title:
            data["title"] = title
        description = texts_of(self.data.get("description"), self.language)
        if description:
            data["description"] = description
        self.notes.exact("survey", f"imported as questionnaire {data['id']!r}")
        if PROPERTY in self.data:
            self.notes.exact(PROPERTY, "weltoffen's own settings of the questionnaire")
        return data

    def _other_keys(
        self, element: Mapping[str, Any], where: Location, name: str | None, known: frozenset[str]
    ) -> None:
        ours = PROPERTY in element or (not where and bool(self.root_settings))
        for key in element:
            if key in known:
                continue
            if ours and key in _WRITTEN:
                self.notes.exact(
                    str(key), "written by weltoffen for SurveyJS to show; weltoffen's own "
                    "settings say the same", location=(*where, str(key)), source_id=name,
                )  # fmt: skip
            elif key in _DISPLAY or key.startswith("show") or key.endswith(("Text", "Location")):
                self.notes.dropped(
                    str(key), "a display setting, not needed for scoring",
                    location=(*where, str(key)), source_id=name,
                )  # fmt: skip
            else:
                self.notes.dropped(
                    str(key), "not used by weltoffen", location=(*where, str(key)), source_id=name
                )

    def _container(
        self, element: Mapping[str, Any], where: Location, parent: _Container, fallback: str
    ) -> None:
        name = element.get("name")
        cid = name if isinstance(name, str) and name else fallback
        own = element.get(PROPERTY)
        data: dict[str, Any] = {"id": cid}
        title = texts_of(element.get("title"), self.language)
        if title:
            data["title"] = title
        description = texts_of(element.get("description"), self.language)
        if description:
            data["description"] = description
        if isinstance(own, Mapping):
            data.update(own)
        container = _Container(id=cid, location=where, data=data, element=element)
        parent.children.append(container)
        kind = "panel" if element.get("type") == "panel" else "page"
        self.notes.exact(kind, "imported as a dimension", location=where, source_id=cid)
        self._other_keys(element, where, cid, _CONTAINER_KEYS | {PROPERTY})
        self._elements(element, where, container)

    def _elements(self, element: Mapping[str, Any], where: Location, container: _Container) -> None:
        for i, child in enumerate(_listed_any(element.get("elements"))):
            at: Location = (*where, "elements", i)
            if not isinstance(child, Mapping):
                self.problem(ProblemCode.WRONG_TYPE, "an element must be an object", at)
                continue
            kind = child.get("type")
            if kind == "panel":
                self._container(child, at, container, f"{container.id or 'panel'}-{i + 1}")
                continue
            self._question(child, at, container)

    # -- questions --------------------------------------------------------------------------

    def _question(self, element: Mapping[str, Any], where: Location, container: _Container) -> None:
        kind, name = element.get("type"), element.get("name")
        if not isinstance(name, str) or not name:
            self.problem(ProblemCode.MISSING_KEY, "a question needs a name", (*where, "name"))
            return
        if name in self.found:
            self.problem(
                ProblemCode.DUPLICATE_ID, f"question name {name!r} is used twice", (*where, "name")
            )
            return
        if not isinstance(kind, str):
            self.problem(ProblemCode.MISSING_KEY, "a question needs a type", (*where, "type"))
            return
        if kind == "expression":
            text = element.get("expression")
            if isinstance(text, str):
                self.expressions.append((name, text, where, container))
            else:
                self.problem(
                    ProblemCode.MISSING_KEY, "an expression question needs an expression",
                    (*where, "expression"),
                )  # fmt: skip
            return
        if kind in ("html", "image"):
            self.notes.dropped(
                kind, "display content is not kept", location=where, source_id=name,
                hint="copy the text into a dimension's description if it matters",
            )  # fmt: skip
            return
        if kind in ("matrix",):
            self._matrix(element, where, container, name)
            return
        data: dict[str, Any] = {"id": name}
        own = element.get(PROPERTY)
        # a survey shows the name where a title is missing; weltoffen's own questions say so
        text = texts_of(element.get("title"), self.language)
        if text or not isinstance(own, Mapping):
            data["text"] = text or {self.language: name}
        help_text = texts_of(element.get("description"), self.language)
        if help_text:
            data["help"] = help_text
        found = _Found(data=data, element=element, location=where, container=container)
        if kind in _CHOICE_TYPES or kind in _MULTIPLE_TYPES or kind == "rating":
            self._choices(found, kind, name)
        elif kind == "boolean":
            data.update(kind="yes_no", scored=False)
            found.codes = {"true": True, "false": False}
            self.notes.exact(
                "boolean", "an unscored yes/no question", location=where, source_id=name
            )
        elif kind == "text" and element.get("inputType") in ("number", "range"):
            data.update(kind="numeric", scored=False)
            for key, target in (("min", "minimum"), ("max", "maximum")):
                bound = element.get(key)
                if _is_number(bound):
                    data[target] = float(bound)
            self.notes.exact(
                "text", "a number: an unscored numeric question", location=where, source_id=name
            )
        elif kind in ("text", "comment"):
            data["kind"] = "text"
            self.notes.exact(kind, "a free-text question", location=where, source_id=name)
        else:
            self.notes.dropped(
                kind, f"questions of type {kind!r} have no weltoffen counterpart",
                location=where, source_id=name,
            )  # fmt: skip
            return
        if isinstance(own, Mapping):
            found.own = True
            # the settings are the question's own (defaults left out): nothing inferred stays
            for key in list(data):
                if key not in ("id", "text", "help", "options"):
                    del data[key]
            data.update(own)
            own_question_settings(data)
            self.notes.exact(PROPERTY, "weltoffen's own settings", location=where, source_id=name)
        self._other_keys(element, where, name, QUESTION_KEYS | {self.dimensions_from or ""})
        self.found[name] = found
        container.questions.append(data)

    def _choices(self, found: _Found, kind: str, name: str) -> None:
        element, where, data = found.element, found.location, found.data
        source = element
        borrowed = element.get("choicesFromQuestion")
        if isinstance(borrowed, str) and "choices" not in element:
            origin = self.elements.get(borrowed)
            if origin is None:
                self.problem(
                    ProblemCode.UNKNOWN_REFERENCE, f"choicesFromQuestion names no question "
                    f"{borrowed!r}", (*where, "choicesFromQuestion"),
                )  # fmt: skip
                return
            source = origin
            self.notes.exact(
                "choicesFromQuestion", f"the choices of {borrowed!r}",
                location=(*where, "choicesFromQuestion"), source_id=name,
            )  # fmt: skip
        if kind == "rating" and "choices" not in source:
            entries = _rating(source)
        else:
            entries = [(i, c) for i, c in enumerate(_listed_any(source.get("choices")))]
        options: list[dict[str, Any]] = []
        scores: list[float | None] = []
        seen: dict[str, str] = {}
        for i, entry in entries:
            at: Location = (*where, "choices", i)
            if isinstance(entry, Mapping):
                value, label = entry.get("value"), texts_of(entry.get("text"), self.language)
                score = entry.get("score")
            else:
                value, label, score = entry, {}, None
            if value is None or isinstance(value, Mapping | list):
                self.problem(ProblemCode.BAD_VALUE, "a choice needs a plain value", at)
                continue
            code = canonical(value)
            if value == NOT_APPLICABLE:
                data["not_applicable"] = True
                continue
            # SurveyJS keeps "2" and "02" apart in answers; 2 and "2" are one option value here
            own = value if isinstance(value, str) else code
            if own in seen:
                self.notes.approximated(
                    "choices", f"two choices share the value {value!r} ({seen[own]!r} and "
                    f"{_first(label) or code!r}): responses cannot tell them apart, so the second "
                    "is merged into the first", location=at, source_id=name,
                    hint="give every choice its own value and the points in a 'score' property",
                )  # fmt: skip
                continue
            seen[own] = _first(label) or code
            option: dict[str, Any] = {"value": own}
            if label or not isinstance(element.get(PROPERTY), Mapping):
                option["label"] = label or {self.language: code}
            options.append(option)
            found.codes[own] = own
            scores.append(float(score) if _is_number(score) else None)
        from_score = any(s is not None for s in scores)
        values = [_number_of(o["value"]) for o in options]
        if from_score:
            for option, score in zip(options, scores, strict=True):
                option["points"] = score if score is not None else 0.0
            how = "points from the choices' 'score' property"
        elif options and all(v is not None for v in values):
            for option, value in zip(options, values, strict=True):
                option["points"] = value
            how = "points from the choices' numeric values"
        else:
            how = "choices without points: an unscored question"
            data["scored"] = False
        booleans = {o["value"] for o in options} == {"true", "false"} and kind in _CHOICE_TYPES
        if booleans:
            points = {o["value"]: o.get("points", 0.0) for o in options}
            data.update(kind="yes_no", yes_points=points["true"], no_points=points["false"])
            found.codes = {"true": True, "false": False}
        elif kind in _MULTIPLE_TYPES:
            data.update(kind="multiple_choice", options=options, method="sum")
            for key, target in (
                ("minSelectedChoices", "min_selected"),
                ("maxSelectedChoices", "max_selected"),
            ):
                if isinstance(element.get(key), int) and element[key] > 0:
                    data[target] = element[key]
        else:
            data.update(kind="scale" if kind == "rating" else "choice", options=options)
        self.notes.exact(kind, f"{len(options)} choices, {how}", location=where, source_id=name)
        if scores and not all(s is not None for s in scores) and from_score:
            self.notes.approximated(
                "score", "choices without a score earn 0 points", location=where, source_id=name
            )
        self._special_items(found, kind, name)

    def _special_items(self, found: _Found, kind: str, name: str) -> None:
        element, where, data = found.element, found.location, found.data
        codes = data.setdefault("missing_codes", {})
        if element.get("showDontKnowItem") is True:
            data["dont_know"] = True
            codes[DONT_KNOW] = "dont_know"
            self.notes.exact(
                "showDontKnowItem", "\"don't know\" (value 'dontknow')",
                location=(*where, "showDontKnowItem"), source_id=name,
            )  # fmt: skip
        if element.get("showRefuseItem") is True:
            codes[REFUSED] = "skipped"
            self.notes.approximated(
                "showRefuseItem", "a refused answer (value 'refused') counts as skipped",
                location=(*where, "showRefuseItem"), source_id=name,
            )  # fmt: skip
        if element.get("showNoneItem") is True:
            if kind in _MULTIPLE_TYPES:
                self.notes.exact(
                    "showNoneItem", "'none' is an answer choosing no option",
                    location=(*where, "showNoneItem"), source_id=name,
                )  # fmt: skip
            else:
                data["not_applicable"] = True
                codes[NONE] = "not_applicable"
                self.notes.approximated(
                    "showNoneItem", "'none' is taken as not applicable",
                    location=(*where, "showNoneItem"), source_id=name,
                )  # fmt: skip
        if data.get("not_applicable"):
            codes[NOT_APPLICABLE] = "not_applicable"
        if element.get("showOtherItem") is True:
            self.notes.dropped(
                "showOtherItem", "an 'other' answer with its own text has no points; responses "
                "giving it are refused", location=(*where, "showOtherItem"), source_id=name,
            )  # fmt: skip
        if not codes:
            data.pop("missing_codes")

    def _matrix(
        self, element: Mapping[str, Any], where: Location, container: _Container, name: str
    ) -> None:
        rows = _listed_any(element.get("rows"))
        columns = {"type": "radiogroup", "choices": element.get("columns")}
        self.notes.approximated(
            "matrix", f"each of the {len(rows)} rows becomes a question '{name}.<row>' sharing "
            "the columns as choices", location=where, source_id=name,
        )  # fmt: skip
        for i, row in enumerate(rows):
            value = row.get("value") if isinstance(row, Mapping) else row
            text = row.get("text") if isinstance(row, Mapping) else None
            if value is None or isinstance(value, Mapping | list):
                self.problem(
                    ProblemCode.BAD_VALUE, "a row needs a plain value", (*where, "rows", i)
                )
                continue
            sub = {**columns, "name": f"{name}.{canonical(value)}", "title": text or str(value)}
            self._question(sub, (*where, "rows", i), container)

    # -- conditions --------------------------------------------------------------------------

    def _refs(self) -> Refs:
        targets: dict[str, Target] = {}
        for qid, found in self.found.items():
            kind = _KINDS.get(str(found.data.get("kind")), "text")
            targets[qid] = Target(question=qid, kind=kind, codes=found.codes)
        bindings: dict[str, Node] = {}
        for name, text, _, _ in self.expressions:
            try:
                bindings[name] = parse(text, SURVEYJS)
            except ExpressionError:
                continue  # reported with the total
        return Refs(targets=targets, bindings=bindings)

    def _condition(self, found: _Found, refs: Refs) -> None:
        self._read_condition(found.data, found.element, found.location, refs, found.data["id"])

    def _container_condition(self, container: _Container, refs: Refs) -> None:
        self._read_condition(
            container.data, container.element, container.location, refs, container.id
        )

    def _read_condition(
        self,
        data: dict[str, Any],
        element: Mapping[str, Any],
        where: Location,
        refs: Refs,
        name: str,
    ) -> None:
        for key in ("visibleIf", "enableIf"):
            text = element.get(key)
            if text is None:
                continue
            at: Location = (*where, key)
            if "when" in data:
                self.notes.exact(
                    key, "weltoffen's own condition (the expression says the same for SurveyJS)",
                    location=at, source_id=name,
                )  # fmt: skip
                continue
            if not isinstance(text, str):
                self.problem(ProblemCode.WRONG_TYPE, f"{key} must be a string", at)
                continue
            try:
                node = parse(text, SURVEYJS)
            except ExpressionError as exc:
                self.notes.dropped(
                    key, f"not imported: {exc.message}", location=at, source_id=name,
                    column=exc.offset + 1, hint="state the condition by hand",
                )  # fmt: skip
                continue
            got = to_condition(node, refs)
            if isinstance(got, Unsupported):
                self.notes.dropped(
                    key, f"not imported: {got.reason}", location=at, source_id=name,
                    column=got.span[0] + 1, hint="state the condition by hand",
                )  # fmt: skip
                continue
            data["when"] = _plain_condition(got)
            if key == "visibleIf":
                self.notes.exact(key, "imported as a condition", location=at, source_id=name)
            else:
                self.notes.approximated(
                    key, "a disabled question is shown but cannot be answered; weltoffen "
                    "hides it instead", location=at, source_id=name,
                )  # fmt: skip

    # -- the tree ----------------------------------------------------------------------------

    def _questions(self) -> dict[str, dict[str, Any]]:
        return {qid: found.data for qid, found in self.found.items()}

    def _all(self, root: _Container) -> list[_Container]:
        out, todo = [], list(root.children)
        while todo:
            container = todo.pop()
            out.append(container)
            todo.extend(container.children)
        return out

    def _property(self) -> str | None:
        """The custom property that names the dimensions: the one asked for, or the one every
        scored question has (reported), or none."""
        if self.dimensions_from is not None:
            return self.dimensions_from
        scored = [f for f in self.found.values() if f.data.get("scored", True) and not f.own]
        if not scored:
            return None
        common: set[str] | None = None
        for found in scored:
            keys = {
                k
                for k, v in found.element.items()
                if isinstance(v, str) and k not in QUESTION_KEYS and k not in _DISPLAY
                and not k.endswith(("Text", "Location", "If"))
            }  # fmt: skip
            common = keys if common is None else common & keys
        if common is None or len(common) != 1:
            return None
        chosen = common.pop()
        self.notes.approximated(
            chosen, f"every scored question has the custom property {chosen!r}: its values are "
            "taken as the dimensions instead of the pages",
            hint="pass dimensions_from to choose another grouping",
        )  # fmt: skip
        return chosen

    def _dimensions(self, root: _Container) -> list[dict[str, Any]]:
        prop = self._property()
        if prop is not None:
            return self._by_property(prop)
        out = []
        for container in root.children:
            out.append(self._dimension(container))
        loose = root.questions
        if loose:
            out.insert(0, {"id": "survey", "questions": loose})
        return [d for d in out if d.get("questions") or d.get("dimensions")]

    def _dimension(self, container: _Container) -> dict[str, Any]:
        data = dict(container.data)
        if container.questions:
            data["questions"] = container.questions
        children = [self._dimension(c) for c in container.children]
        children = [c for c in children if c.get("questions") or c.get("dimensions")]
        if children:
            data["dimensions"] = children
        return data

    def _by_property(self, prop: str) -> list[dict[str, Any]]:
        groups: dict[str, list[dict[str, Any]]] = {}
        for found in self.found.values():
            value = found.element.get(prop)
            key = value if isinstance(value, str) and value else "other"
            data = found.data
            when = found.container.data.get("when")
            if when is not None:
                data["when"] = {"all": [when, data["when"]]} if "when" in data else when
            groups.setdefault(key, []).append(data)
            self.notes.exact(
                prop, f"in dimension {key!r}", location=(*found.location, prop),
                source_id=data["id"],
            )  # fmt: skip
        return [{"id": key, "questions": questions} for key, questions in groups.items()]


def _sum_everywhere(dimensions: list[dict[str, Any]]) -> None:
    """A survey's total adds up points: every dimension adds up its own the same way."""
    for dim in dimensions:
        dim.setdefault("aggregation", "sum")
        _sum_everywhere(dim.get("dimensions", []))


def _plain_condition(condition: Any) -> Any:
    from weltoffen.model.conditions import Condition
    from weltoffen.serialization import make_converter

    return make_converter(default_registry).unstructure(condition, Condition)


def _rating(element: Mapping[str, Any]) -> list[tuple[int, Any]]:
    values = element.get("rateValues")
    if isinstance(values, list) and values:
        return list(enumerate(values))
    low = element.get("rateMin", 1)
    high = element.get("rateMax", 5)
    step = element.get("rateStep", 1)
    if not (_is_number(low) and _is_number(high) and _is_number(step)) or step <= 0:
        return []
    count = min(int((high - low) / step) + 1, 1000)
    out = []
    for i in range(max(count, 0)):
        value = low + i * step
        out.append((i, int(value) if float(value).is_integer() else value))
    return out


def _listed(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _listed_any(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _number_of(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _first(text: Mapping[str, str]) -> str:
    return next(iter(text.values()), "")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "surveyjs"
