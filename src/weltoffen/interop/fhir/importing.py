"""Reading a FHIR Questionnaire (R4 or R5, plain JSON) into a weltoffen questionnaire.

The reader builds weltoffen's own plain-data form of the questionnaire (what its YAML and JSON
files hold) and structures it at the end, so every rule of the model applies as for a file
written by hand. weltoffen's own extensions (``https://weltoffen.dev/fhir/StructureDefinition/``,
written by :mod:`~weltoffen.interop.fhir.exporting`) hold settings FHIR has no element for; each
holds the attribute in weltoffen's JSON form and overrides what the standard elements say.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from typing import Any

import attrs

from weltoffen.exceptions import DefinitionError, Location, ProblemCode
from weltoffen.interop.exported import own_question_settings
from weltoffen.interop.fhir.common import (
    CALCULATED,
    ENABLE_WHEN_EXPRESSION,
    HIDDEN,
    ID_SYSTEM,
    ITEM_CONTROL,
    MAX_VALUE,
    MIN_VALUE,
    UNIT,
    VARIABLE,
    WELTOFFEN,
    Walker,
    extensions,
    is_number,
    listed,
    mapping,
)
from weltoffen.interop.fhir.conditions import read_enable_when
from weltoffen.interop.fhir.options import Contained, FoundOption, read_options, texts_of
from weltoffen.interop.fhir.totals import Calculated, apply_totals
from weltoffen.interop.report import Imported, ReportBuilder
from weltoffen.interop.sources import read_json, refuse
from weltoffen.model.dimensions import Dimension
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import QUESTION_KINDS
from weltoffen.registry import default_registry
from weltoffen.serialization import load_questionnaire

__all__ = ["import_questionnaire", "read_questionnaire"]

_CHOICE_TYPES = ("choice", "open-choice", "coding")
_NUMERIC_TYPES = ("integer", "decimal", "quantity")
_TEXT_TYPES = ("string", "text", "url", "date", "dateTime", "time")
#: Item keys the reader reads (everything else is reported as not imported).
_ITEM_KEYS = frozenset(
    {
        "linkId", "type", "text", "_text", "item", "answerOption", "answerValueSet",
        "enableWhen", "enableBehavior", "extension", "repeats", "required", "answerConstraint",
    }
)  # fmt: skip
_ROOT_KEYS = frozenset(
    {
        "resourceType", "id", "identifier", "version", "language", "title", "_title",
        "description", "_description", "item", "extension", "contained", "status", "name",
    }
)  # fmt: skip
_HELP = frozenset({"help"})
_KNOWN_EXTENSIONS = frozenset(
    {
        CALCULATED, HIDDEN, MIN_VALUE, MAX_VALUE, UNIT, VARIABLE, ITEM_CONTROL,
        ENABLE_WHEN_EXPRESSION,
    }
)  # fmt: skip


def read_questionnaire(source: str | os.PathLike[str]) -> Imported:
    """The FHIR Questionnaire in the JSON file *source*, and the report of what came across.

    Raises:
        DefinitionError: The file is not a readable Questionnaire; every problem found is listed,
            located by its JSON path.
    """
    data = read_json(source, DefinitionError)
    return import_questionnaire(data, source=os.fspath(source))


def import_questionnaire(data: Any, *, source: str | None = None) -> Imported:
    """Like :func:`read_questionnaire`, for a Questionnaire already parsed from JSON."""
    if not isinstance(data, Mapping) or data.get("resourceType") != "Questionnaire":
        got = data.get("resourceType") if isinstance(data, Mapping) else type(data).__name__
        raise refuse(
            DefinitionError,
            source,
            f"this is not a FHIR Questionnaire (resourceType {got!r})",
            expected='{"resourceType": "Questionnaire", ...}',
        )
    return _Importer(data, source).run()


#: The attributes weltoffen's extensions may set, by the element they are on: every attribute of
#: the model that the standard elements do not carry (the model decides, so new ones need nothing).
QUESTION_SETTINGS = frozenset(
    {"kind", "total"}
    | {f.name for cls in QUESTION_KINDS.values() for f in attrs.fields(cls)} - {"id", "options"}
)
GROUP_SETTINGS = frozenset(f.name for f in attrs.fields(Dimension)) - {"questions", "dimensions"}
ROOT_SETTINGS = frozenset(f.name for f in attrs.fields(Questionnaire)) - {"dimensions"}


def settings_of(
    element: Mapping[str, Any],
    where: Location,
    walker: Walker,
    allowed: frozenset[str] = QUESTION_SETTINGS,
) -> dict[str, Any]:
    """weltoffen's own extensions on *element*: attribute name -> value in weltoffen's JSON form.

    An extension naming an attribute the element does not have is a problem.
    """
    out: dict[str, Any] = {}
    found = element.get("extension")
    if not isinstance(found, list):
        return out
    for i, ext in enumerate(found):
        if not isinstance(ext, Mapping):
            continue
        url = ext.get("url")
        if not isinstance(url, str) or not url.startswith(WELTOFFEN):
            continue
        name = url[len(WELTOFFEN) :]
        if name not in allowed:
            walker.problem(
                ProblemCode.UNKNOWN_KEY,
                f"weltoffen has no setting {name!r} here",
                (*where, "extension", i, "url"),
                expected=", ".join(sorted(allowed)),
            )
            continue
        text = ext.get("valueString")
        try:
            if not isinstance(text, str):
                raise ValueError
            out[name] = json.loads(text)
        except ValueError:
            walker.problem(
                ProblemCode.BAD_VALUE,
                "a weltoffen extension must hold JSON in valueString",
                (*where, "extension", i, "valueString"),
            )
    return out


@attrs.define
class _Group:
    """A group item on its way to become a dimension."""

    id: str
    location: Location
    data: dict[str, Any]
    questions: list[dict[str, Any]] = attrs.field(factory=list)
    groups: list[_Group] = attrs.field(factory=list)


class _Importer:
    def __init__(self, data: Mapping[str, Any], source: str | None) -> None:
        self.data = data
        self.source = source
        self.walker = Walker(source)
        self.notes = ReportBuilder("fhir", source)
        lang = data.get("language")
        self.language = lang if isinstance(lang, str) and lang else "en"
        self.contained = Contained(data, self.walker)
        self.seen: dict[str, Location] = {}
        #: linkId -> what a condition needs to know of it (kind None: not a question)
        self.targets: dict[str, dict[str, Any]] = {}
        #: (question data, its item, location) for the second pass (conditions)
        self.pending: list[tuple[dict[str, Any], Mapping[str, Any], Location]] = []
        self.calculated: list[Calculated] = []
        self._groups: list[tuple[_Group, Mapping[str, Any], Location]] = []

    # -- the pass over the items -------------------------------------------------------------

    def run(self) -> Imported:
        w = self.walker
        root_settings = settings_of(self.data, (), w, ROOT_SETTINGS)
        w.extension_list(self.data, ())
        self._other_keys(self.data, (), None, _ROOT_KEYS)
        root = _Group(id="", location=(), data={})
        variables = self._variables(self.data, ())
        for location, item in w.objects(self.data, "item", ()):
            self._item(item, location, root, root, variables)
        for question, item, location in self.pending:
            self._condition(question, item, location)
        for group, item, location in self._groups:
            self._condition(group.data, item, location)
        questions = {q["id"]: q for q in self._all_questions(root)}
        data = self._root_data(root_settings)
        for key, value in root_settings.items():
            data[key] = value
        if not w.problems:
            apply_totals(self.calculated, questions, self._group_data(root), data, self.notes)
        for question in questions.values():
            own_question_settings(question)
        # the dimension of the items outside any group adds up as the questionnaire does
        data["dimensions"] = self._dimensions(root, str(data["id"]), data.get("aggregation"))
        if w.problems:
            raise DefinitionError(w.problems)
        try:
            questionnaire = load_questionnaire(data=data, check=False, registry=default_registry)
        except DefinitionError as exc:
            raise exc.with_source(self.source, None) from None
        return Imported(questionnaire=questionnaire, report=self.notes.report())

    def _root_data(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        w = self.walker
        ident: str | None = None
        for _, identifier in w.objects(self.data, "identifier", ()):
            if identifier.get("system") == ID_SYSTEM and isinstance(identifier.get("value"), str):
                ident = identifier["value"]
        ident = ident or w.string(self.data, "id", ()) or w.string(self.data, "name", ()) or "fhir"
        data: dict[str, Any] = {"id": settings.get("id", ident), "language": self.language}
        version = w.string(self.data, "version", ())
        if version:
            data["version"] = version
        title = texts_of(self.data, "title", self.language, w, ())
        if title:
            data["title"] = title
        description = texts_of(self.data, "description", self.language, w, ())
        if description:
            data["description"] = description
        self.notes.exact("Questionnaire", f"imported as questionnaire {data['id']!r}")
        return data

    def _other_keys(
        self,
        element: Mapping[str, Any],
        where: Location,
        link_id: str | None,
        known: frozenset[str],
    ) -> None:
        for key in element:
            if key not in known and not (isinstance(key, str) and key.startswith("_")):
                self.notes.dropped(
                    str(key),
                    "not used by weltoffen",
                    location=(*where, str(key)),
                    source_id=link_id,
                )
        for i, ext in enumerate(listed(element.get("extension"))):
            url = ext.get("url") if isinstance(ext, Mapping) else None
            if (
                isinstance(url, str)
                and url not in _KNOWN_EXTENSIONS
                and not url.startswith(WELTOFFEN)
            ):
                self.notes.dropped(
                    "extension",
                    f"extension {url} is not used by weltoffen",
                    location=(*where, "extension", i),
                    source_id=link_id,
                )

    def _variables(self, element: Mapping[str, Any], where: Location) -> dict[str, str]:
        out: dict[str, str] = {}
        for i, ext in extensions(element, VARIABLE):
            expression = ext.get("valueExpression")
            if isinstance(expression, Mapping):
                name, text = expression.get("name"), expression.get("expression")
                if isinstance(name, str) and isinstance(text, str):
                    out[name] = text
                    continue
            self.walker.problem(
                ProblemCode.BAD_VALUE,
                "a variable needs valueExpression with a name and an expression",
                (*where, "extension", i),
            )
        return out

    def _item(
        self,
        item: Mapping[str, Any],
        where: Location,
        group: _Group,
        parent_group: _Group,
        variables: Mapping[str, str],
    ) -> None:
        w = self.walker
        w.extension_list(item, where)
        link_id = w.string(item, "linkId", where)
        kind = w.string(item, "type", where)
        if link_id is None:
            if "linkId" not in item:
                w.problem(ProblemCode.MISSING_KEY, "an item needs a linkId", (*where, "linkId"))
            return
        if link_id in self.seen:
            w.problem(
                ProblemCode.DUPLICATE_ID,
                f"linkId {link_id!r} is used twice",
                (*where, "linkId"),
                got=f"first at {_path(self.seen[link_id])}",
            )
            return
        self.seen[link_id] = where
        if kind is None:
            if "type" not in item:
                w.problem(ProblemCode.MISSING_KEY, "an item needs a type", (*where, "type"))
            return
        allowed = GROUP_SETTINGS if kind == "group" else QUESTION_SETTINGS
        settings = settings_of(item, where, w, allowed)
        self.targets[link_id] = {"kind": None}
        if settings.get("total") is True:
            self.notes.exact(
                "calculatedExpression",
                "weltoffen's own total: the scoring settings come from weltoffen extensions",
                location=where,
                source_id=link_id,
            )
            return
        scope = {**variables, **self._variables(item, where)}
        if next(extensions(item, CALCULATED), None) is not None:
            # the item becomes no question: its finding says what became of the total
            self._calculated(item, where, link_id, group, scope)
            return
        self._other_keys(item, where, link_id, _ITEM_KEYS)
        text = texts_of(item, "text", self.language, w, where)
        self._hidden(item, where, link_id)
        if kind == "group":
            child = _Group(id=link_id, location=where, data={"id": settings.get("id", link_id)})
            if text:
                child.data["title"] = text
            for key, value in settings.items():
                if key != "id":
                    child.data[key] = value
            group.groups.append(child)
            self._groups.append((child, item, where))
            self.notes.exact("group", "imported as a dimension", location=where, source_id=link_id)
            for c_where, sub in w.objects(item, "item", where):
                self._item(sub, c_where, child, child, scope)
            return
        if kind == "display":
            self.notes.dropped(
                "display",
                "display text is not kept (weltoffen has no text between questions)",
                location=where,
                source_id=link_id,
                hint="copy the text into a dimension's description if it matters",
            )
            return
        question = self._question(item, where, link_id, kind, text, settings)
        if question is None:
            return
        group.questions.append(question)
        self.pending.append((question, item, where))
        for c_where, sub in w.objects(item, "item", where):
            if self._help(sub, c_where, question):
                continue
            self.notes.approximated(
                "item",
                f"an item nested under question {link_id!r} is placed after it in the same "
                "dimension",
                location=c_where,
                source_id=sub.get("linkId") if isinstance(sub.get("linkId"), str) else None,
            )
            self._item(sub, c_where, group, parent_group, scope)

    def _hidden(self, item: Mapping[str, Any], where: Location, link_id: str) -> None:
        for i, ext in extensions(item, HIDDEN):
            if ext.get("valueBoolean") is True:
                self.notes.approximated(
                    "questionnaire-hidden",
                    "FHIR hidden means not displayed but still answered; weltoffen keeps the "
                    "item as an ordinary one (weltoffen's own 'hidden' would leave it out)",
                    location=(*where, "extension", i),
                    source_id=link_id,
                )

    def _help(self, sub: Mapping[str, Any], where: Location, question: dict[str, Any]) -> bool:
        """Take a display child marked as help (itemControl help/flyover) as the question's help."""
        if sub.get("type") != "display":
            return False
        codes = [
            coding.get("code")
            for _, ext in extensions(sub, ITEM_CONTROL)
            for coding in listed(mapping(ext.get("valueCodeableConcept")).get("coding"))
            if isinstance(coding, Mapping)
        ]
        if not ({"help", "flyover"} & set(codes)):
            return False
        link_id = sub.get("linkId")
        if isinstance(link_id, str):
            self.seen.setdefault(link_id, where)
        text = texts_of(sub, "text", self.language, self.walker, where)
        text = settings_of(sub, where, self.walker, _HELP).get("help", text)
        if text:
            question["help"] = text
        self.notes.exact("display", "help text of the question", location=where)
        return True

    def _calculated(
        self,
        item: Mapping[str, Any],
        where: Location,
        link_id: str,
        group: _Group,
        variables: Mapping[str, str],
    ) -> None:
        i, ext = next(extensions(item, CALCULATED))
        expression = ext.get("valueExpression")
        text = expression.get("expression") if isinstance(expression, Mapping) else None
        if not isinstance(text, str):
            self.walker.problem(
                ProblemCode.BAD_VALUE,
                "calculatedExpression needs valueExpression.expression",
                (*where, "extension", i),
            )
            return
        self.calculated.append(
            Calculated(
                link_id=link_id,
                expression=text,
                variables=dict(variables),
                location=(*where, "extension", i),
                group=group.id,
            )
        )

    # -- questions ----------------------------------------------------------------------------

    def _question(
        self,
        item: Mapping[str, Any],
        where: Location,
        link_id: str,
        kind: str,
        text: dict[str, str],
        settings: Mapping[str, Any],
    ) -> dict[str, Any] | None:
        w = self.walker
        notes = self.notes
        question: dict[str, Any] = {"id": link_id}
        if text:
            question["text"] = text
        repeats = w.boolean(item, "repeats", where) is True
        if w.boolean(item, "required", where):
            notes.dropped(
                "required",
                "weltoffen scores whatever is answered; a required answer is not enforced",
                location=(*where, "required"),
                source_id=link_id,
                hint="use min_coverage to ask for enough answers",
            )
        has_options = "answerOption" in item or "answerValueSet" in item
        target: dict[str, Any] = {"kind": None}
        if kind in _CHOICE_TYPES or (has_options and kind in (*_TEXT_TYPES, "integer")):
            options = read_options(item, where, link_id, self.language, self.contained, w, notes)
            # R5 says "open choice" as answerConstraint
            constraint = w.string(item, "answerConstraint", where)
            open_answers = constraint in ("optionsOrString", "optionsOrType")
            if options is None:
                question.update(kind="text", scored=False)
            else:
                self._choice(question, options, repeats, kind, where, link_id, open_answers)
        elif kind == "boolean":
            question.update(kind="yes_no", scored=False)
            notes.exact(
                "item",
                "boolean item imported as an unscored yes/no question",
                location=where,
                source_id=link_id,
            )
        elif kind in _NUMERIC_TYPES:
            self._numeric(question, item, where, link_id, kind)
        elif kind in _TEXT_TYPES:
            question.update(kind="text")
            (notes.exact if kind in ("string", "text") else notes.approximated)(
                "item",
                "imported as a free-text question"
                + ("" if kind in ("string", "text") else f" (a {kind} kept as text)"),
                location=where,
                source_id=link_id,
            )
        else:
            notes.dropped(
                "item",
                f"items of type {kind!r} have no weltoffen counterpart",
                location=where,
                source_id=link_id,
            )
            return None
        if repeats and question["kind"] not in ("multiple_choice",):
            notes.approximated(
                "repeats",
                "a repeating item keeps only its first answer",
                location=(*where, "repeats"),
                source_id=link_id,
            )
        question.update(settings)
        target["kind"] = question["kind"]
        target["options"] = [o["value"] for o in question.get("options", [])]
        target["states"] = bool(question.get("dont_know") or question.get("not_applicable"))
        self.targets[link_id] = target
        return question

    def _choice(
        self,
        question: dict[str, Any],
        options: list[FoundOption],
        repeats: bool,
        kind: str,
        where: Location,
        link_id: str,
        open_answers: bool,
    ) -> None:
        notes = self.notes
        for state in ("dont_know", "not_applicable"):
            if any(o.state == state for o in options):
                question[state] = True
        real = [o for o in options if o.state is None]
        weighted = [o for o in real if o.points is not None]
        data = []
        for o in real:
            entry: dict[str, Any] = {"value": o.value}
            if o.label:
                entry["label"] = dict(o.label)
            entry["points"] = o.points if o.points is not None else 0.0
            data.append(entry)
        question["options"] = data
        question["kind"] = "multiple_choice" if repeats else "choice"
        if repeats:
            question["method"] = "sum"
        if kind == "open-choice" or open_answers:
            notes.approximated(
                "item",
                "open choice: only the listed options are taken; responses with other answers "
                "are refused when read",
                location=where,
                source_id=link_id,
            )
        if weighted and len(weighted) < len(real):
            notes.approximated(
                "itemWeight",
                f"{len(real) - len(weighted)} of {len(real)} options have no weight and count 0",
                location=where,
                source_id=link_id,
            )
        if not weighted:
            question["scored"] = False
            notes.exact(
                "answerOption",
                f"{len(real)} options without weights: an unscored choice",
                location=where,
                source_id=link_id,
            )
        else:
            notes.exact(
                "answerOption",
                f"{len(real)} options with their weights as points",
                location=where,
                source_id=link_id,
            )
        if len(real) < (1 if repeats else 2):
            question.clear()
            question.update(id=link_id, kind="text")
            notes.approximated(
                "answerOption",
                "fewer than two options: kept as free text",
                location=where,
                source_id=link_id,
            )

    def _numeric(
        self,
        question: dict[str, Any],
        item: Mapping[str, Any],
        where: Location,
        link_id: str,
        kind: str,
    ) -> None:
        w = self.walker
        question.update(kind="numeric", integer=kind == "integer", scored=False)
        for url, key in ((MIN_VALUE, "minimum"), (MAX_VALUE, "maximum")):
            for i, ext in extensions(item, url):
                value = ext.get("valueInteger", ext.get("valueDecimal"))
                if is_number(value):
                    question[key] = float(value)
                else:
                    self.notes.dropped(
                        url.rsplit("/", 1)[-1],
                        "only integer and decimal bounds are kept",
                        location=(*where, "extension", i),
                        source_id=link_id,
                    )
        for i, ext in extensions(item, UNIT):
            coding = ext.get("valueCoding")
            if isinstance(coding, Mapping):
                label = texts_of(coding, "display", self.language, w, (*where, "extension", i))
                code = coding.get("code")
                if not label and isinstance(code, str):
                    label = {self.language: code}
                if label:
                    question["unit"] = label
        if question.get("minimum", -math.inf) > question.get("maximum", math.inf):
            w.problem(
                ProblemCode.BAD_VALUE,
                "minValue is above maxValue",
                where,
                got=f"{question['minimum']:g} > {question['maximum']:g}",
            )
        self.notes.exact(
            "item",
            f"{kind} item imported as an unscored numeric question",
            location=where,
            source_id=link_id,
        )

    def _condition(self, target: dict[str, Any], item: Mapping[str, Any], where: Location) -> None:
        link_id = str(item.get("linkId"))
        if "when" in target:
            self.notes.exact(
                "enableWhen",
                "weltoffen's own condition (the enableWhen beside it says the same for FHIR)",
                location=where,
                source_id=link_id,
            )
            return
        for i, _ in extensions(item, ENABLE_WHEN_EXPRESSION):
            self.notes.dropped(
                "enableWhenExpression",
                "FHIRPath conditions are not imported",
                location=(*where, "extension", i),
                source_id=link_id,
                hint="express the condition by hand in the weltoffen questionnaire",
            )
        condition = read_enable_when(item, where, link_id, self.targets, self.walker, self.notes)
        if condition is not None:
            target["when"] = condition

    # -- the tree -------------------------------------------------------------------------------

    def _all_questions(self, group: _Group) -> list[dict[str, Any]]:
        out = list(group.questions)
        for child in group.groups:
            out.extend(self._all_questions(child))
        return out

    def _group_data(self, root: _Group) -> dict[str, dict[str, Any]]:
        """Group linkId -> the dimension data it becomes (totals set aggregations on them)."""
        out: dict[str, dict[str, Any]] = {}
        stack = list(root.groups)
        while stack:
            group = stack.pop()
            out[group.id] = group.data
            stack.extend(group.groups)
        return out

    def _dimensions(
        self, root: _Group, questionnaire_id: str, aggregation: Any = None
    ) -> list[dict[str, Any]]:
        """The groups as dimensions; questions outside any group form one dimension of their
        own; groups with nothing scored hand their questions to the nearest scored dimension."""
        tops = [self._dimension(g) for g in root.groups]
        loose = list(root.questions)
        kept = []
        for dim, orphans in tops:
            if dim is None:
                loose.extend(orphans)
            else:
                kept.append(dim)
        if loose:
            if kept and not any(_scored(q) for q in loose):
                kept[0]["questions"] = [*kept[0].get("questions", []), *loose]
            else:
                ids = {d["id"] for d in kept}
                dim_id = questionnaire_id
                while dim_id in ids:
                    dim_id += "-items"
                own = {"id": dim_id, "questions": loose}
                if aggregation is not None:
                    own["aggregation"] = aggregation
                kept.insert(0, own)
        if not any(_dimension_scores(d) for d in kept):
            self.notes.dropped(
                "Questionnaire",
                "no item carries weights, so nothing can be scored",
                hint="add itemWeight extensions to the answer options",
            )
        return kept

    def _dimension(self, group: _Group) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
        """The group's dimension, or ``None`` and its questions when nothing in it is scored."""
        data = dict(group.data)
        questions = list(group.questions)
        children = []
        for child in group.groups:
            dim, orphans = self._dimension(child)
            if dim is None:
                questions.extend(orphans)
            else:
                children.append(dim)
        if questions:
            data["questions"] = questions
        if children:
            data["dimensions"] = children
        if _dimension_scores(data):
            return data, []
        when = data.get("when")
        if when is not None:
            for q in questions:
                q["when"] = {"all": [when, q["when"]]} if "when" in q else when
        self.notes.approximated(
            "group",
            "nothing in the group is scored, so it is no dimension: its items join the "
            "enclosing dimension" + (" and carry its condition" if when is not None else ""),
            location=group.location,
            source_id=group.id,
        )
        return None, questions


def _scored(question: Mapping[str, Any]) -> bool:
    return question.get("kind") != "text" and question.get("scored", True) is not False


def _dimension_scores(data: Mapping[str, Any]) -> bool:
    return any(_scored(q) for q in data.get("questions", [])) or any(
        _dimension_scores(d) for d in data.get("dimensions", [])
    )


def _path(location: Location) -> str:
    from weltoffen.exceptions import render_location

    return render_location(location)
