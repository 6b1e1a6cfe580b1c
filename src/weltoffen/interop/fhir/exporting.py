"""Writing a weltoffen questionnaire as an R5 FHIR Questionnaire that keeps everything.

Standard elements carry what FHIR can say: groups for dimensions, ``answerOption`` with the
``itemWeight`` extension for points (reverse keying already applied, as FHIR tools expect),
``enableWhen`` where a condition fits it (else ``enableWhenExpression`` in FHIRPath),
``minValue``/``maxValue``/``questionnaire-unit``, translations, and a hidden total item whose
``calculatedExpression`` adds up the points. Whatever FHIR has no element for is kept in
weltoffen's own extensions (``https://weltoffen.dev/fhir/StructureDefinition/<attribute>``),
each holding the attribute in weltoffen's JSON form in ``valueString``; reading the file back
with :func:`~weltoffen.interop.fhir.read_questionnaire` gives the same questionnaire.
"""

from __future__ import annotations

import functools
import json
import os
import re
import typing
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from weltoffen.interop.fhir.common import (
    CALCULATED,
    ENABLE_WHEN_EXPRESSION,
    HIDDEN,
    ID_SYSTEM,
    ITEM_CONTROL,
    ITEM_CONTROL_SYSTEM,
    ITEM_WEIGHT,
    MAX_VALUE,
    MIN_VALUE,
    STATE_SYSTEM,
    TRANSLATION,
    UNIT,
    answer_string,
    fhir_string,
    group_link_ids,
    is_code,
    json_string,
    weltoffen_url,
)
from weltoffen.model.conditions import (
    AllOf,
    AnyOf,
    Compare,
    Condition,
    Equals,
    Includes,
    Not,
    OneOf,
)
from weltoffen.model.dimensions import Dimension
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
from weltoffen.registry import default_registry
from weltoffen.scoring.check import point_range
from weltoffen.serialization import make_converter
from weltoffen.serialization.api import write_text

__all__ = [
    "condition_expression",
    "questionnaire_resource",
    "total_expression",
    "write_questionnaire",
]

_STATE_LABELS = {"dont_know": "Don't know", "not_applicable": "Not applicable"}
_OPERATORS = {"gt": ">", "ge": ">=", "lt": "<", "le": "<="}


def write_questionnaire(questionnaire: Questionnaire, target: str | os.PathLike[str]) -> None:
    """Write *questionnaire* as an R5 FHIR Questionnaire (JSON) to *target*, whole or not at all."""
    resource = questionnaire_resource(questionnaire)
    write_text(target, json.dumps(resource, ensure_ascii=False, indent=2) + "\n")


def questionnaire_resource(questionnaire: Questionnaire) -> dict[str, Any]:
    """*questionnaire* as a FHIR Questionnaire resource (plain JSON data)."""
    return _Writer(questionnaire).resource()


#: Attributes written as standard FHIR elements (or structure), not as weltoffen extensions.
_ROOT_NATIVE = frozenset({"version", "language", "title", "description", "dimensions"})
_GROUP_NATIVE = frozenset({"id", "title", "when", "questions", "dimensions"})
_QUESTION_NATIVE = frozenset({"id", "text", "help", "when", "options"})


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def condition_expression(questionnaire: Questionnaire, condition: Condition) -> str:
    """*condition* as FHIRPath over a QuestionnaireResponse (``%resource``), as the export writes
    it into ``enableWhenExpression``: true or false, never empty (a test of a missing answer is
    false, as in weltoffen)."""
    return _Writer(questionnaire).fhirpath(condition)


def _fhir_id(text: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9.\-]", "-", text)[:64]
    return cleaned.strip("-") or "questionnaire"


def _string(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


def _text(value: str) -> str:
    """A text answer or option value as a FHIRPath literal, as FHIR tools see it in answers."""
    return _string(answer_string(value))


# Paths name the answer's type (valueCoding, valueString, ...): engines without the FHIR model,
# fhirpathpy among them, do not resolve the choice element ``value``.
def _answers(link_id: str) -> str:
    return f"%resource.repeat(item).where(linkId='{_string(link_id)}').answer"


def _codes(answers: str) -> str:
    return f"({answers}.valueCoding.code | {answers}.valueString)"


def _numbers(answers: str) -> str:
    return f"({answers}.valueInteger | {answers}.valueDecimal)"


class _Writer:
    def __init__(self, questionnaire: Questionnaire) -> None:
        self.q = questionnaire
        self.language = questionnaire.language
        self.conv = make_converter(default_registry, questionnaire.language)
        self.links = group_link_ids(questionnaire)
        self.taken = {question.id for _, question in questionnaire.iter_questions()}
        self.taken.update(self.links.values())
        self.scales = {scale.id: scale.options for scale in questionnaire.scales}

    def setting(self, name: str, value: Any, as_type: Any = None) -> dict[str, Any]:
        data = self.conv.unstructure(value, as_type) if as_type is not None else value
        return {"url": weltoffen_url(name), "valueString": json_string(data)}

    def attributes(self, obj: Any, skip: frozenset[str]) -> list[dict[str, Any]]:
        """Every attribute of *obj* but *skip* as a weltoffen extension, in weltoffen's JSON form.

        All are written, defaults too: the reader's defaults for FHIR files differ from the
        model's (a boolean item is unscored, a repeating choice sums).
        """
        cls: type = type(obj)
        hints = _hints(cls)
        return [
            self.setting(field.name, getattr(obj, field.name), hints[field.name])
            for field in attrs.fields(cls)
            if field.name not in skip
        ]

    def texts(self, element: dict[str, Any], key: str, text: Mapping[str, str]) -> bool:
        """Write *text* as ``key`` and its translations; ``False`` when FHIR cannot hold it
        exactly (an empty text, white space FHIR's strings cannot hold, or the languages in
        another order than the reader gives them), so that the caller keeps it in a weltoffen
        extension too."""
        translations = []
        exact = True
        for lang, text_in in text.items():
            content = fhir_string(text_in)
            exact = exact and bool(text_in) and content == text_in
            if not content:
                continue
            if lang == self.language:
                element[key] = content
            else:
                translations.append(
                    {
                        "url": TRANSLATION,
                        "extension": [
                            {"url": "lang", "valueCode": lang},
                            {"url": "content", "valueString": content},
                        ],
                    }
                )
        if translations:
            element["_" + key] = {"extension": translations}
        # the reader puts the primary language first: another order is kept in the extension
        in_order = self.language not in text or next(iter(text)) == self.language
        return in_order and exact

    def unique(self, link: str) -> str:
        while link in self.taken:
            link += "-"
        self.taken.add(link)
        return link

    # -- the resource --------------------------------------------------------------------------

    def resource(self) -> dict[str, Any]:
        q = self.q
        out: dict[str, Any] = {
            "resourceType": "Questionnaire",
            "id": _fhir_id(q.id),
            "identifier": [{"system": ID_SYSTEM, "value": q.id}],
            "version": q.version,
            "language": q.language,
            "status": "active",
        }
        exts = self.attributes(q, _ROOT_NATIVE)
        if not self.texts(out, "title", q.title):
            exts.append(self.setting("title", dict(q.title)))
        if not self.texts(out, "description", q.description):
            exts.append(self.setting("description", dict(q.description)))
        out["extension"] = exts
        items = [self.group(d) for d in q.dimensions]
        total = self.total()
        if total is not None:
            items.append(total)
        out["item"] = items
        return out

    def group(self, dim: Dimension) -> dict[str, Any]:
        link = self.links[dim.id]
        item: dict[str, Any] = {"linkId": link, "type": "group"}
        exts = []
        if link != dim.id:
            exts.append(self.setting("id", dim.id))
        if not self.texts(item, "text", dim.title):
            exts.append(self.setting("title", dict(dim.title)))
        exts += self.attributes(dim, _GROUP_NATIVE)
        self.condition(item, exts, dim.when)
        item["extension"] = exts
        children = [self.question(x) for x in dim.questions]
        children += [self.group(d) for d in dim.dimensions]
        item["item"] = children
        return item

    # -- questions -----------------------------------------------------------------------------

    def question(self, question: Question) -> dict[str, Any]:
        item: dict[str, Any] = {"linkId": question.id}
        exts = [self.setting("kind", question.kind), *self.attributes(question, _QUESTION_NATIVE)]
        if not self.texts(item, "text", question.text):
            exts.append(self.setting("text", dict(question.text)))
        if isinstance(question, ScaleQuestion | Choice | MultipleChoice):
            self.options(item, exts, question)
        elif isinstance(question, YesNo):
            item["type"] = "boolean"
        elif isinstance(question, Numeric):
            self.numeric(item, exts, question)
        else:
            item["type"] = "text"
        self.condition(item, exts, question.when)
        item["extension"] = exts
        if question.help:
            item["item"] = [self.help(question)]
        return item

    def help(self, question: Question) -> dict[str, Any]:
        child: dict[str, Any] = {"linkId": self.unique(question.id + ".help"), "type": "display"}
        exts: list[dict[str, Any]] = [
            {
                "url": ITEM_CONTROL,
                "valueCodeableConcept": {
                    "coding": [{"system": ITEM_CONTROL_SYSTEM, "code": "help"}]
                },
            }
        ]
        if not self.texts(child, "text", question.help):
            exts.append(self.setting("help", dict(question.help)))
        child["extension"] = exts
        return child

    def options(self, item: dict[str, Any], exts: list[dict[str, Any]], question: Question) -> None:
        item["type"] = "coding"
        if isinstance(question, MultipleChoice):
            item["repeats"] = True
        options: Sequence[Option]
        if isinstance(question, ScaleQuestion) and question.scale is not None:
            options = self.scales.get(question.scale, ())
        else:
            options = question.options  # type: ignore[union-attr]
        reverse = isinstance(question, ScaleQuestion) and question.reverse
        points = [o.points for o in options]
        lo, hi = (min(points), max(points)) if points else (0.0, 0.0)
        written = []
        for option in options:
            earned = lo + hi - option.points if reverse else option.points
            entry: dict[str, Any] = {"extension": [{"url": ITEM_WEIGHT, "valueDecimal": earned}]}
            value: dict[str, Any] = {}
            if is_code(option.value):
                value["code"] = option.value
                exact = self.texts(value, "display", option.label)
                entry["valueCoding"] = value
            else:
                # the reader takes the string as the label unless the extension says otherwise
                entry["valueString"] = answer_string(option.value)
                if entry["valueString"] != option.value:  # what FHIR cannot hold, kept exactly
                    entry["extension"].append(self.setting("value", option.value))
                exact = False
            if not exact:
                entry["extension"].append(self.setting("label", dict(option.label)))
            written.append(entry)
        for state in ("dont_know", "not_applicable"):
            if getattr(question, state):
                coding = {"system": STATE_SYSTEM, "code": state, "display": _STATE_LABELS[state]}
                written.append({"valueCoding": coding})
        item["answerOption"] = written

    def numeric(self, item: dict[str, Any], exts: list[dict[str, Any]], question: Numeric) -> None:
        item["type"] = "integer" if question.integer else "decimal"
        key = "valueInteger" if question.integer else "valueDecimal"
        for url, bound in ((MIN_VALUE, question.minimum), (MAX_VALUE, question.maximum)):
            if bound is not None:
                native = int(bound) if question.integer and bound == int(bound) else bound
                exts.append(
                    {"url": url, key if isinstance(native, int) else "valueDecimal": native}
                )
        if question.unit:
            coding: dict[str, Any] = {}
            self.texts(coding, "display", question.unit)
            if coding:
                exts.append({"url": UNIT, "valueCoding": coding})

    # -- conditions ----------------------------------------------------------------------------

    def condition(
        self, item: dict[str, Any], exts: list[dict[str, Any]], when: Condition | None
    ) -> None:
        if when is None:
            return
        exts.append(self.setting("when", when, Condition | None))
        entries = self.enable_when(when)
        if entries is not None:
            behaviour, listed = entries
            item["enableWhen"] = listed
            if len(listed) > 1:
                item["enableBehavior"] = behaviour
        else:
            exts.append(
                {
                    "url": ENABLE_WHEN_EXPRESSION,
                    "valueExpression": {
                        "language": "text/fhirpath",
                        "expression": self.fhirpath(when),
                    },
                }
            )

    def enable_when(self, when: Condition) -> tuple[str, list[dict[str, Any]]] | None:
        """``enableWhen`` entries and behaviour for *when*, or ``None`` if it does not fit."""
        if isinstance(when, OneOf):
            parts: list[dict[str, Any]] = []
            for value in when.values:
                entry = self.atom(Equals(when.question, value))
                if entry is None:
                    return None
                parts.append(entry)
            return "any", parts
        if isinstance(when, AllOf | AnyOf):
            atoms = [self.atom(c) for c in when.conditions]
            if any(a is None for a in atoms):
                return None
            return ("all" if isinstance(when, AllOf) else "any"), [a for a in atoms if a]
        entry = self.atom(when)
        return None if entry is None else ("all", [entry])

    def atom(self, when: Condition) -> dict[str, Any] | None:
        operator = "="
        if isinstance(when, Not) and isinstance(when.condition, Equals):
            operator, when = "!=", when.condition
        if isinstance(when, Compare):
            return {
                "question": when.question,
                "operator": _OPERATORS[when.op],
                "answerDecimal": when.value,
            }
        if not isinstance(when, Equals | Includes):
            return None
        value = when.value
        answer: dict[str, Any]
        if isinstance(value, bool):
            answer = {"answerBoolean": value}
        elif isinstance(value, int | float):
            answer = {"answerDecimal": value}
        elif self.is_option(when.question, value):
            answer = (
                {"answerCoding": {"code": value}}
                if is_code(value)
                else {"answerString": answer_string(value)}
            )
        elif value:
            answer = {"answerString": answer_string(value)}
        else:
            return None
        return {"question": when.question, "operator": operator, **answer}

    def is_option(self, question_id: str, value: str) -> bool:
        for _, question in self.q.iter_questions():
            if question.id == question_id:
                return isinstance(question, ScaleQuestion | Choice | MultipleChoice)
        return False

    def fhirpath(self, when: Condition) -> str:
        """*when* in FHIRPath; a test of a missing answer is false, as in weltoffen."""
        if isinstance(when, AllOf | AnyOf):
            joiner = " and " if isinstance(when, AllOf) else " or "
            return "(" + joiner.join(self.fhirpath(c) for c in when.conditions) + ")"
        if isinstance(when, Not):
            return f"({self.fhirpath(when.condition)}).not()"
        answer = _answers(when.question)
        if isinstance(when, OneOf):
            return (
                "("
                + " or ".join(self.fhirpath(Equals(when.question, v)) for v in when.values)
                + ")"
            )
        if isinstance(when, Compare):
            test = f"{_numbers(answer)} {_OPERATORS[when.op]} {when.value!r}"
        else:
            value = when.value
            if isinstance(value, bool):
                test = f"{answer}.valueBoolean = {'true' if value else 'false'}"
            elif isinstance(value, int | float):
                test = f"{_numbers(answer)} = {float(value)!r}"
            elif isinstance(when, Includes) or self.is_option(when.question, value):
                test = f"{_codes(answer)} contains '{_text(value)}'"
            else:
                test = f"{answer}.valueString = '{_text(value)}'"
        return f"iif({test}, true, false)"

    # -- the total -----------------------------------------------------------------------------

    def total(self) -> dict[str, Any] | None:
        expression = total_expression(self.q)
        if expression is None:
            return None
        return {
            "linkId": self.unique("weltoffen-total"),
            "type": "decimal",
            "text": "Total points",
            "readOnly": True,
            "extension": [
                {"url": HIDDEN, "valueBoolean": True},
                {
                    "url": CALCULATED,
                    "valueExpression": {
                        "description": "weltoffen's points: the sum of the scored items' weights "
                        "times their question weights (a missing answer adds 0)",
                        "language": "text/fhirpath",
                        "expression": expression,
                    },
                },
                self.setting("total", True),
            ],
        }


def total_expression(questionnaire: Questionnaire) -> str | None:
    """FHIRPath for weltoffen's points of a response (``None`` without scored questions).

    Each scored question adds its points times its weight; a missing answer (or an answer state)
    adds 0, so the expression equals weltoffen's points when every question is answered and
    wherever weltoffen leaves missing answers out.
    """
    scales = {scale.id: scale.options for scale in questionnaire.scales}
    terms = []
    for _, question in questionnaire.iter_questions():
        if not question.scored or isinstance(question, TextQuestion):
            continue
        expression = _points(question, scales)
        if question.weight != 1:
            expression = f"({expression}) * {_number(question.weight)}"
        terms.append(expression)
    return " + ".join(terms) if terms else None


def _number(value: float) -> str:
    text = repr(float(value))
    if "e" in text or "inf" in text or "nan" in text:
        text = format(value, ".20f").rstrip("0")
    return text if not text.startswith("-") else f"(0 - {text[1:]})"


def _points(question: Question, scales: Mapping[str, Sequence[Option]]) -> str:
    """FHIRPath for the points *question* earns (0 when it has no answer)."""
    answers = _answers(question.id)
    lo, hi = point_range(question, dict(scales))
    if isinstance(question, YesNo):
        table = [("true", question.yes_points), ("false", question.no_points)]
        return _lookup(f"{answers}.valueBoolean = ", table)
    if isinstance(question, Numeric):
        number = _numbers(answers)
        if question.linear is not None:
            lin = question.linear
            share = f"(({number} - {_number(lin.low)}) / {_number(lin.high - lin.low)})"
            clamped = (
                f"iif({share} > 1, {_number(lin.points)}, "
                f"iif({share} < 0, 0, {share} * {_number(lin.points)}))"
            )
        else:
            clamped = _number(min((t.points for t in question.thresholds), default=0.0))
            for step in question.thresholds:  # the last step reached counts
                clamped = f"iif({number} >= {_number(step.min)}, {_number(step.points)}, {clamped})"
        return f"iif({number}.exists(), {clamped}, 0)"
    options = (
        scales.get(question.scale, ())
        if isinstance(question, ScaleQuestion) and question.scale is not None
        else question.options  # type: ignore[union-attr]
    )
    codes = _codes(answers)
    if isinstance(question, MultipleChoice):
        ranked = sorted(options, key=lambda o: o.points, reverse=True)
        if question.method == "max":
            table = [(f"'{_text(o.value)}'", o.points) for o in ranked]
            return _lookup(f"{codes} contains ", table)
        summed = " + ".join(
            f"iif({codes} contains '{_text(o.value)}', {_number(o.points)}, 0)" for o in options
        )
        return f"iif(({summed}) > {_number(hi)}, {_number(hi)}, ({summed}))"
    reverse = isinstance(question, ScaleQuestion) and question.reverse
    table = [(f"'{_text(o.value)}'", lo + hi - o.points if reverse else o.points) for o in options]
    return _lookup(f"{codes} = ", table)


def _lookup(test: str, table: Sequence[tuple[str, float]]) -> str:
    """``iif(test v1, p1, iif(test v2, p2, ... 0))``: the first match wins."""
    expression = "0"
    for literal, earned in reversed(table):
        expression = f"iif({test}{literal}, {_number(earned)}, {expression})"
    return expression
