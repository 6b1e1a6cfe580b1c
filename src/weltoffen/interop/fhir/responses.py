"""QuestionnaireResponses: reading them as weltoffen responses, writing responses as them.

Answers are matched to questions by linkId, at any depth (inside groups and under other
answers). Items whose linkId is no question (groups, calculated totals, display items) carry no
answer for weltoffen and are passed over; a response none of whose items is a question is refused,
as that means the wrong questionnaire. The answer a calculated total stored can be compared with
weltoffen's points through :func:`check_stored_totals`.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import quote

import attrs

from weltoffen.exceptions import Location, ProblemCode, ResponseError
from weltoffen.interop.fhir.common import (
    STATE_SYSTEM,
    Walker,
    answer_string,
    extension_json,
    group_link_ids,
    is_code,
    is_number,
    json_string,
    listed,
    weltoffen_url,
)
from weltoffen.interop.sources import read_json, refuse
from weltoffen.model.answers import GIVEN_STATES, AnswerValue, MetaValue, Response, State
from weltoffen.model.dimensions import Dimension
from weltoffen.model.queries import options_of
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import (
    Choice,
    MultipleChoice,
    Numeric,
    Question,
    ScaleQuestion,
    TextQuestion,
    YesNo,
)
from weltoffen.scoring.answers import code_key, yes_no
from weltoffen.scoring.plan import missing_codes_of
from weltoffen.serialization.api import write_text

__all__ = [
    "StoredTotal",
    "check_stored_totals",
    "read_responses",
    "response_resource",
    "response_resources",
    "write_responses",
]

#: A multiple-choice answer that chose nothing (FHIR has no empty answer).
_NONE_CHOSEN = "none-chosen"
_METADATA = weltoffen_url("metadata")
#: The exact text of a string answer that FHIR cannot hold (see :func:`_string`).
_TEXT = weltoffen_url("text")


def read_responses(source: str | os.PathLike[str], questionnaire: Questionnaire) -> list[Response]:
    """The QuestionnaireResponses in the JSON file *source* (one, or a Bundle of them).

    Raises:
        ResponseError: With every problem found, located by JSON path: not a response or Bundle,
            answers of the wrong type or not among a question's options, duplicate respondents.
    """
    data = read_json(source, ResponseError)
    file = os.fspath(source)
    return [response for response, _ in _read(data, questionnaire, file)]


def response_resources(data: Any, file: str | None) -> list[tuple[Location, Mapping[str, Any]]]:
    """The QuestionnaireResponse resources in *data* with their locations."""
    if not isinstance(data, Mapping):
        raise refuse(ResponseError, file, "this is not a FHIR QuestionnaireResponse or Bundle")
    kind = data.get("resourceType")
    if kind == "QuestionnaireResponse":
        return [((), data)]
    if kind != "Bundle":
        raise refuse(
            ResponseError,
            file,
            f"this is not a FHIR QuestionnaireResponse or Bundle (resourceType {kind!r})",
            expected='{"resourceType": "QuestionnaireResponse" or "Bundle", ...}',
        )
    walker = Walker(file)
    out = []
    for where, entry in walker.objects(data, "entry", ()):
        resource = walker.mapping(entry, "resource", where)
        # a searchset may include other resources (the patient, an OperationOutcome)
        if resource is not None and resource.get("resourceType") == "QuestionnaireResponse":
            out.append(((*where, "resource"), resource))
    if walker.problems:
        raise ResponseError(walker.problems)
    return out


def _read(
    data: Any, questionnaire: Questionnaire, file: str | None
) -> list[tuple[Response, Mapping[str, list[tuple[Location, Mapping[str, Any]]]]]]:
    """Each response with the answers of every linkId (for stored totals)."""
    questions = {question.id: question for _, question in questionnaire.iter_questions()}
    scales = {scale.id: scale.options for scale in questionnaire.scales}
    codes = missing_codes_of(questionnaire)
    walker = Walker(file)
    out: list[tuple[Response, Mapping[str, list[tuple[Location, Mapping[str, Any]]]]]] = []
    seen: dict[str, Location] = {}
    for number, (where, resource) in enumerate(response_resources(data, file), start=1):
        by_link: dict[str, list[tuple[Location, Mapping[str, Any]]]] = {}
        for i_where, item in _items(resource, where, walker):
            link = item.get("linkId")
            if not isinstance(link, str):
                walker.problem(
                    ProblemCode.MISSING_KEY, "an item needs a linkId", (*i_where, "linkId")
                )
                continue
            by_link.setdefault(link, []).extend(walker.objects(item, "answer", i_where))
        answers: dict[str, AnswerValue] = {}
        for link, given in by_link.items():
            question = questions.get(link)
            if question is None or not given:
                continue
            answer = _answer(question, given, scales, walker, link, codes.get(link, {}))
            if answer is not None:
                answers[link] = answer
        if by_link and not any(link in questions for link in by_link):
            walker.problem(
                ProblemCode.WRONG_INSTRUMENT,
                f"no item of this response is a question of {questionnaire.id!r}",
                where,
                got=", ".join(list(by_link)[:5]),
            )
        respondent = _respondent(resource, number)
        if respondent in seen:
            walker.problem(
                ProblemCode.DUPLICATE_RESPONDENT,
                f"respondent {respondent!r} appears twice",
                where,
            )
        seen[respondent] = where
        out.append(
            (
                Response(
                    respondent=respondent,
                    answers=answers,
                    metadata=_metadata(resource, where, walker),
                ),
                by_link,
            )
        )
    if walker.problems:
        raise ResponseError(walker.problems)
    return out


def _items(
    element: Mapping[str, Any], where: Location, walker: Walker
) -> Iterator[tuple[Location, Mapping[str, Any]]]:
    """Every item, depth first, including those nested under answers."""
    for i_where, item in walker.objects(element, "item", where):
        yield i_where, item
        yield from _items(item, i_where, walker)
        for a_where, answer in walker.objects(item, "answer", i_where):
            yield from _items(answer, a_where, walker)


def _respondent(resource: Mapping[str, Any], number: int) -> str:
    identifier = resource.get("identifier")
    if isinstance(identifier, list):  # R5 allows several
        identifier = identifier[0] if identifier else None
    if isinstance(identifier, Mapping):
        value = identifier.get("value")
        if isinstance(value, str) and value.strip():
            return value
    ident = resource.get("id")
    if isinstance(ident, str) and ident.strip():
        return ident
    return f"response-{number}"


def _metadata(resource: Mapping[str, Any], where: Location, walker: Walker) -> dict[str, MetaValue]:
    for i, ext in enumerate(listed(resource.get("extension"))):
        if isinstance(ext, Mapping) and ext.get("url") == _METADATA:
            try:
                found = json.loads(str(ext.get("valueString")))
                if isinstance(found, dict):
                    return found
            except ValueError:
                pass
            walker.problem(
                ProblemCode.BAD_VALUE,
                "the metadata extension must hold a JSON object",
                (*where, "extension", i),
            )
    meta: dict[str, MetaValue] = {}
    for key in ("authored", "status"):
        if isinstance(resource.get(key), str):
            meta[key] = resource[key]
    subject = resource.get("subject")
    if isinstance(subject, Mapping) and isinstance(subject.get("reference"), str):
        meta["subject"] = subject["reference"]
    return meta


def _answer(
    question: Question,
    given: Sequence[tuple[Location, Mapping[str, Any]]],
    scales: Mapping[str, Any],
    walker: Walker,
    link: str,
    codes: Mapping[str, State],
) -> AnswerValue | None:
    values = []
    for where, answer in given:
        value = _value(answer, where, walker)
        if value is not _BAD:
            values.append((where, value))
    if not values:
        return None
    # a missing-value code declared on the instrument (999 "don't know") is its state
    states = [
        v if isinstance(v, State) else codes[str(code_key(v))]
        for _, v in values
        if isinstance(v, State) or code_key(v) in codes
    ]
    if states:
        return states[0]
    if isinstance(question, MultipleChoice):
        chosen = [v for _, v in values if v != _NONE_CHOSEN]
        allowed = {o.value for o in question.options}
        ok = True
        for where, value in values:
            if value != _NONE_CHOSEN and (not isinstance(value, str) or value not in allowed):
                _bad_option(walker, where, link, value, allowed)
                ok = False
        return tuple(str(v) for v in chosen) if ok else None
    where, value = values[0]
    if isinstance(question, ScaleQuestion | Choice):
        allowed = {o.value for o in options_of(question, scales)}
        text = str(value) if isinstance(value, int | str) and not isinstance(value, bool) else None
        if text is None or text not in allowed:
            _bad_option(walker, where, link, value, allowed)
            return None
        return text
    if isinstance(question, YesNo):
        if not isinstance(value, bool):
            _wrong(walker, where, link, value, "valueBoolean")
            return None
        return value
    if isinstance(question, Numeric):
        if isinstance(value, bool) or not is_number(value):
            _wrong(walker, where, link, value, "valueInteger, valueDecimal or valueQuantity")
            return None
        number: AnswerValue = value
        return number
    if isinstance(question, TextQuestion) and isinstance(value, str):
        return value
    _wrong(walker, where, link, value, "valueString")
    return None


_BAD = object()


def _value(answer: Mapping[str, Any], where: Location, walker: Walker) -> Any:
    """The value of one answer: a code, a literal, or an answer state."""
    keys = [key for key in answer if isinstance(key, str) and key.startswith("value")]
    if len(keys) != 1:
        walker.problem(
            ProblemCode.BAD_ANSWER,
            "an answer needs exactly one value[x]",
            where,
            got=", ".join(keys) or None,
        )
        return _BAD
    key = keys[0]
    value = answer[key]
    if key == "valueCoding":
        code = value.get("code") if isinstance(value, Mapping) else None
        if not isinstance(code, str):
            walker.problem(ProblemCode.BAD_ANSWER, "valueCoding needs a code", (*where, key))
            return _BAD
        if value.get("system") == STATE_SYSTEM:
            if code == _NONE_CHOSEN:
                return _NONE_CHOSEN
            if code in GIVEN_STATES:
                return GIVEN_STATES[code]
        return code
    if key == "valueQuantity":
        value = value.get("value") if isinstance(value, Mapping) else None
    expected = {
        "valueBoolean": (bool,),
        "valueInteger": (int,),
        "valueDecimal": (int, float),
        "valueQuantity": (int, float),
    }.get(key, (str,))
    ok = isinstance(value, expected) and (key == "valueBoolean" or not isinstance(value, bool))
    if ok and isinstance(value, float) and not math.isfinite(value):
        ok = False
    if not ok:
        walker.problem(
            ProblemCode.BAD_ANSWER,
            f"{key} has a value of the wrong type",
            (*where, key),
            got=repr(value),
        )
        return _BAD
    if key == "valueString":
        return _exact_text(answer, where, walker, value)
    return value


def _exact_text(answer: Mapping[str, Any], where: Location, walker: Walker, shown: str) -> Any:
    """The text a string answer keeps in weltoffen's extension, or *shown* without one."""
    for i, found in extension_json(answer, _TEXT):
        if isinstance(found, str):
            return found
        walker.problem(
            ProblemCode.BAD_VALUE,
            "the text extension must hold a JSON string",
            (*where, "extension", i),
        )
        return _BAD
    return shown


def _bad_option(walker: Walker, where: Location, link: str, value: Any, allowed: set[str]) -> None:
    walker.problem(
        ProblemCode.BAD_OPTION,
        f"{value!r} is none of the options of {link!r}",
        where,
        expected=", ".join(sorted(allowed)[:10]),
    )


def _wrong(walker: Walker, where: Location, link: str, value: Any, expected: str) -> None:
    walker.problem(
        ProblemCode.BAD_ANSWER,
        f"the answer to {link!r} has the wrong type",
        where,
        expected=expected,
        got=repr(value),
    )


# -- stored totals ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class StoredTotal:
    """A total a response stored beside weltoffen's points for the same answers.

    Attributes:
        respondent: Whose response.
        stored: The calculated item's answer in the file (``None`` when it has none).
        computed: weltoffen's points (``None`` when there is no score).
        location: Where the stored answer is in the file.
    """

    respondent: str
    stored: float | None
    computed: float | None
    location: Location = ()

    @property
    def matches(self) -> bool:
        """Whether both agree (both absent, or equal up to rounding in the 9th decimal)."""
        if self.stored is None or self.computed is None:
            return self.stored is None and self.computed is None
        return math.isclose(self.stored, self.computed, rel_tol=0, abs_tol=1e-9)

    def __str__(self) -> str:
        if self.matches:
            return f"{self.respondent}: stored total {self.stored} agrees"
        return (
            f"{self.respondent}: the stored total {self.stored} differs from the points "
            f"computed from the answers ({self.computed})"
        )


def check_stored_totals(
    source: str | os.PathLike[str],
    questionnaire: Questionnaire,
    total_item: str,
    *,
    dimension: str | None = None,
) -> list[StoredTotal]:
    """For each response in *source*, the total stored in item *total_item* beside weltoffen's.

    Args:
        source: A QuestionnaireResponse or Bundle, as for :func:`read_responses`.
        questionnaire: The questionnaire the responses answer.
        total_item: The linkId of the calculated total.
        dimension: Compare with this dimension's points instead of the overall points.
    """
    from weltoffen.scoring import compile, score

    plan = compile(questionnaire)
    data = read_json(source, ResponseError)
    out = []
    for response, by_link in _read(data, questionnaire, os.fspath(source)):
        result = score(plan, response)
        node: Any = result if dimension is None else result.dimension(dimension)
        computed = node.points if node.score is not None else None
        stored: float | None = None
        location: Location = ()
        for where, answer in by_link.get(total_item, []):
            for key in ("valueDecimal", "valueInteger"):
                if is_number(answer.get(key)):
                    stored, location = float(answer[key]), (*where, key)
            quantity = answer.get("valueQuantity")
            if isinstance(quantity, Mapping) and is_number(quantity.get("value")):
                stored, location = float(quantity["value"]), (*where, "valueQuantity")
        out.append(
            StoredTotal(
                respondent=response.respondent, stored=stored, computed=computed, location=location
            )
        )
    return out


# -- writing ---------------------------------------------------------------------------------------


def write_responses(
    responses: Sequence[Response], questionnaire: Questionnaire, target: str | os.PathLike[str]
) -> None:
    """Write *responses* as a FHIR Bundle (type collection) of QuestionnaireResponses.

    Items are grouped as the questionnaire's dimensions are (as :func:`write_questionnaire`
    writes them); answer states and an empty multiple choice are Codings of weltoffen's
    answer-state code system, metadata a weltoffen extension.
    """
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": response_resource(r, questionnaire)} for r in responses],
    }
    write_text(target, json.dumps(bundle, ensure_ascii=False, indent=2) + "\n")


def response_resource(response: Response, questionnaire: Questionnaire) -> dict[str, Any]:
    """One response as a QuestionnaireResponse (plain JSON)."""
    links = group_link_ids(questionnaire)
    scales = {scale.id: scale.options for scale in questionnaire.scales}
    canonical = (
        "urn:weltoffen:"
        + quote(questionnaire.id, safe="")
        + "|"
        + quote(questionnaire.version, safe="")
    )

    def group(dim: Dimension) -> dict[str, Any] | None:
        items: list[dict[str, Any]] = []
        for question in dim.questions:
            if question.id in response.answers:
                items.append(
                    {
                        "linkId": question.id,
                        "answer": _written(response.answers[question.id], question, scales),
                    }
                )
        for child in dim.dimensions:
            written = group(child)
            if written is not None:
                items.append(written)
        return {"linkId": links[dim.id], "item": items} if items else None

    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "identifier": [{"value": response.respondent}],  # R5: a list (R4 had one)
        "questionnaire": canonical,
        "status": "completed",
    }
    # written even when empty: without it the reader takes authored, status and subject
    resource["extension"] = [
        {"url": _METADATA, "valueString": json_string(dict(response.metadata))}
    ]
    items = [g for g in (group(d) for d in questionnaire.dimensions) if g is not None]
    if items:
        resource["item"] = items
    return resource


def _written(
    answer: AnswerValue, question: Question, scales: Mapping[str, Any]
) -> list[dict[str, Any]]:
    if isinstance(answer, State):
        return [{"valueCoding": {"system": STATE_SYSTEM, "code": answer.value}}]
    if isinstance(question, MultipleChoice) and isinstance(answer, tuple):
        if not answer:
            return [{"valueCoding": {"system": STATE_SYSTEM, "code": _NONE_CHOSEN}}]
        return [_option(v) for v in answer]
    if isinstance(question, ScaleQuestion | Choice):
        return [_option(str(answer))]
    if isinstance(question, YesNo):
        truth = yes_no(answer)
        return [{"valueBoolean": truth}] if truth is not None else [_string(str(answer))]
    if isinstance(answer, bool):
        return [{"valueBoolean": answer}]
    if isinstance(answer, int):
        return [{"valueInteger": answer}]
    if isinstance(answer, float):
        return [{"valueDecimal": answer}]
    return [_string(str(answer))]


def _option(value: str) -> dict[str, Any]:
    # the exporter writes options that are no FHIR code as valueString; answers follow it
    return {"valueCoding": {"code": value}} if is_code(value) else _string(value)


def _string(text: str) -> dict[str, Any]:
    """A valueString. FHIR's strings hold no empty text and no white space but spaces, tabs and
    line breaks: such a text is shown as :func:`answer_string` gives it and kept exactly in a
    weltoffen extension, which the reader prefers."""
    shown = answer_string(text)
    if shown == text:
        return {"valueString": text}
    return {"extension": [{"url": _TEXT, "valueString": json_string(text)}], "valueString": shown}
