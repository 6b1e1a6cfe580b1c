"""What the FHIR reader and writer share: extension URLs and careful access to plain JSON.

FHIR documents come from other tools, so nothing in them is trusted: every read goes through
:class:`Walker`, which records a located problem for a value of the wrong type instead of
raising, so that one pass finds every problem of a file.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping
from typing import Any

from weltoffen.exceptions import Location, Problem, ProblemCode
from weltoffen.model.questionnaire import Questionnaire

__all__ = [
    "HIDDEN",
    "ITEM_WEIGHT",
    "MALFORMED",
    "ORDINAL_VALUE",
    "TRANSLATION",
    "WELTOFFEN",
    "Walker",
    "answer_string",
    "extension_json",
    "extensions",
    "fhir_string",
    "group_link_ids",
    "is_code",
    "is_number",
    "json_string",
    "listed",
    "mapping",
    "weltoffen_url",
]

_HL7 = "http://hl7.org/fhir/StructureDefinition/"
_SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/"

ITEM_WEIGHT = _HL7 + "itemWeight"
ORDINAL_VALUE = _HL7 + "ordinalValue"
#: Older spelling of ordinalValue used by some tools.
ORDINAL_VALUE_OLD = "http://hl7.org/fhir/StructureDefinition/iso21090-CO-value"
HIDDEN = _HL7 + "questionnaire-hidden"
UNIT = _HL7 + "questionnaire-unit"
MIN_VALUE = _HL7 + "minValue"
MAX_VALUE = _HL7 + "maxValue"
ITEM_CONTROL = _HL7 + "questionnaire-itemControl"
TRANSLATION = _HL7 + "translation"
VARIABLE = _HL7 + "variable"
CALCULATED = _SDC + "sdc-questionnaire-calculatedExpression"
ENABLE_WHEN_EXPRESSION = _SDC + "sdc-questionnaire-enableWhenExpression"
#: R5 ValueSet.expansion.contains.property carried into R4 as an extension.
CONTAINS_PROPERTY = (
    "http://hl7.org/fhir/5.0/StructureDefinition/extension-ValueSet.expansion.contains.property"
)
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"

#: weltoffen's own extensions: ``WELTOFFEN + name`` (see docs/formats/fhir.md).
WELTOFFEN = "https://weltoffen.dev/fhir/StructureDefinition/"
#: The code system of answer states written as options ("dont_know", "not_applicable").
STATE_SYSTEM = "https://weltoffen.dev/fhir/CodeSystem/answer-state"
#: The identifier system that keeps a questionnaire's weltoffen id.
ID_SYSTEM = "https://weltoffen.dev/fhir/questionnaire-id"


def weltoffen_url(name: str) -> str:
    """The URL of weltoffen's extension *name*."""
    return WELTOFFEN + name


# FHIR's string type: spaces, tabs, line breaks and anything that is no white space at all.
_NO_FHIR_SPACE = re.compile(r"[^ \r\n\t\S]")


def fhir_string(text: str) -> str:
    """*text* as a FHIR string can hold it: any other white space (a form feed, a no-break
    space, a line separator) becomes a plain space. An empty text stays empty, which FHIR
    cannot hold either: the caller decides what stands in for it."""
    return _NO_FHIR_SPACE.sub(" ", text)


def answer_string(text: str) -> str:
    """A text answer or option value as FHIR tools see it: :func:`fhir_string`, and one space for
    the empty text. Answers, options and the conditions on them all go through it, so that FHIR
    tools compare them as weltoffen does; weltoffen keeps the exact text in an extension."""
    return fhir_string(text) or " "


def json_string(data: Any) -> str:
    """*data* as JSON text that is a valid FHIR string: readable letters, with the white space
    FHIR's strings cannot hold written as JSON escapes (``\\u2028``), which read back exactly."""
    text = json.dumps(data, ensure_ascii=False)
    return _NO_FHIR_SPACE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


#: What :func:`extension_json` gives for an extension whose valueString holds no JSON.
MALFORMED = object()


def extension_json(element: Mapping[str, Any], url: str) -> Iterator[tuple[int, Any]]:
    """The JSON each extension of *element* with *url* holds in its valueString, with its index
    (:data:`MALFORMED` where it holds none): weltoffen keeps what FHIR cannot say that way."""
    for i, ext in extensions(element, url):
        try:
            yield i, json.loads(str(ext.get("valueString")))
        except ValueError:
            yield i, MALFORMED


def extensions(element: Mapping[str, Any], url: str) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """The extensions of *element* with *url*, with their index (malformed ones are skipped;
    :meth:`Walker.extension_list` reports them)."""
    found = element.get("extension")
    if not isinstance(found, list):
        return
    for i, ext in enumerate(found):
        if isinstance(ext, Mapping) and ext.get("url") == url:
            yield i, ext


def listed(value: Any) -> list[Any]:
    """*value* when it is a list, else an empty list (the walker reports the wrong type)."""
    return value if isinstance(value, list) else []


def mapping(value: Any) -> Mapping[str, Any]:
    """*value* when it is an object, else an empty one (the walker reports the wrong type)."""
    return value if isinstance(value, Mapping) else {}


def is_number(value: Any) -> bool:
    """A JSON number that is finite (``bool`` is not a number here)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


class Walker:
    """Typed reads of plain JSON that record problems instead of raising.

    Each ``want_*`` returns the value when it has the right type, else ``None`` after recording a
    :class:`Problem` at the given location (missing optional values give ``None`` silently).
    """

    def __init__(self, file: str | None) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def problem(
        self,
        code: ProblemCode,
        message: str,
        location: Location,
        *,
        expected: str | None = None,
        got: str | None = None,
    ) -> None:
        """Record a problem at *location*."""
        self.problems.append(
            Problem(code, message, location=location, expected=expected, got=got, file=self.file)
        )

    def _wrong(self, value: Any, location: Location, expected: str) -> None:
        self.problem(
            ProblemCode.WRONG_TYPE,
            f"{location[-1] if location else 'the document'} must be {expected}",
            location,
            expected=expected,
            got=_shown(value),
        )

    def mapping(
        self, parent: Mapping[str, Any], key: str, where: Location
    ) -> Mapping[str, Any] | None:
        """``parent[key]`` when it is an object."""
        value = parent.get(key)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self._wrong(value, (*where, key), "an object")
            return None
        return value

    def objects(
        self, parent: Mapping[str, Any], key: str, where: Location
    ) -> list[tuple[Location, Mapping[str, Any]]]:
        """The objects in the list ``parent[key]``, each with its location."""
        value = parent.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self._wrong(value, (*where, key), "a list")
            return []
        out = []
        for i, element in enumerate(value):
            if isinstance(element, Mapping):
                out.append(((*where, key, i), element))
            else:
                self._wrong(element, (*where, key, i), "an object")
        return out

    def string(self, parent: Mapping[str, Any], key: str, where: Location) -> str | None:
        """``parent[key]`` when it is a string."""
        value = parent.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self._wrong(value, (*where, key), "a string")
            return None
        return value

    def boolean(self, parent: Mapping[str, Any], key: str, where: Location) -> bool | None:
        """``parent[key]`` when it is true or false."""
        value = parent.get(key)
        if value is None:
            return None
        if not isinstance(value, bool):
            self._wrong(value, (*where, key), "true or false")
            return None
        return value

    def number(
        self, parent: Mapping[str, Any], key: str, where: Location, *, integer: bool = False
    ) -> float | int | None:
        """``parent[key]`` when it is a finite number (an integer with *integer*)."""
        value = parent.get(key)
        if value is None:
            return None
        if not is_number(value) or (integer and not isinstance(value, int)):
            self._wrong(value, (*where, key), "an integer" if integer else "a number")
            return None
        result: float | int = value
        return result

    def extension_list(self, element: Mapping[str, Any], where: Location) -> None:
        """Report malformed entries of ``element.extension`` (not a list, no url)."""
        for location, ext in self.objects(element, "extension", where):
            url = ext.get("url")
            if not isinstance(url, str):
                self.problem(
                    ProblemCode.MISSING_KEY if url is None else ProblemCode.WRONG_TYPE,
                    "an extension needs a url",
                    (*location, "url"),
                    expected="a string",
                    got=None if url is None else _shown(url),
                )


def _shown(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return repr(text)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return repr(value)


_CODE = re.compile(r"[^\s]+( [^\s]+)*")


def is_code(value: str) -> bool:
    """Whether *value* is a valid FHIR ``code`` (no leading, trailing or doubled white space)."""
    return _CODE.fullmatch(value) is not None


def group_link_ids(questionnaire: Questionnaire) -> dict[str, str]:
    """Dimension id -> the linkId of its group: the id itself unless a question has it."""
    taken = {question.id for _, question in questionnaire.iter_questions()}
    out: dict[str, str] = {}
    for _, dim in questionnaire.iter_dimensions():
        link = dim.id
        while link in taken:
            link += "#group"
        taken.add(link)
        out[dim.id] = link
    return out
