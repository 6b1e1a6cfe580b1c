"""Answer options of a FHIR item and the points they carry, wherever the file puts them.

Points sit on an option as the ``itemWeight`` extension (older files: ``ordinalValue``), on the
option's Coding, in a contained ValueSet (expansion ``contains`` property or compose concept) or in
a contained CodeSystem (concept property ``itemWeight``). Like fhirpath.js's ``weight()``, the
first of answerOption, ValueSet and CodeSystem that gives a weight wins; where two sources give
different weights the import report says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from weltoffen.exceptions import Location, ProblemCode
from weltoffen.interop.fhir.common import (
    CONTAINS_PROPERTY,
    ITEM_WEIGHT,
    MALFORMED,
    ORDINAL_VALUE,
    ORDINAL_VALUE_OLD,
    STATE_SYSTEM,
    TRANSLATION,
    Walker,
    extension_json,
    extensions,
    is_number,
    listed,
    weltoffen_url,
)
from weltoffen.interop.report import ReportBuilder

__all__ = ["Contained", "FoundOption", "read_options", "texts_of"]

_WEIGHT_URLS = (ITEM_WEIGHT, ORDINAL_VALUE, ORDINAL_VALUE_OLD)


@attrs.frozen
class FoundOption:
    """One answer option: its value (a code or the literal), label, points and answer state.

    *kind* is how the value is written (``coding``, ``string``, ``integer``, ``date``, ``time``).
    """

    value: str
    label: Mapping[str, str]
    points: float | None
    kind: str
    location: Location
    system: str | None = None
    state: str | None = None


def texts_of(
    element: Mapping[str, Any], key: str, language: str, walker: Walker, where: Location
) -> dict[str, str]:
    """``element[key]`` and its translations (``_key.extension`` translation) by language."""
    out: dict[str, str] = {}
    text = walker.string(element, key, where)
    if text:
        out[language] = text
    shadow = walker.mapping(element, "_" + key, where)
    if shadow is not None:
        for _, ext in extensions(shadow, TRANSLATION):
            parts = {
                sub.get("url"): sub.get("valueCode", sub.get("valueString"))
                for sub in listed(ext.get("extension"))
                if isinstance(sub, Mapping)
            }
            lang, content = parts.get("lang"), parts.get("content")
            if isinstance(lang, str) and isinstance(content, str) and content:
                out[lang] = content
    return out


def _weight(element: Mapping[str, Any], walker: Walker, where: Location) -> float | None:
    for url in _WEIGHT_URLS:
        for i, ext in extensions(element, url):
            for key in ("valueDecimal", "valueInteger"):
                if key in ext:
                    value = walker.number(ext, key, (*where, "extension", i))
                    return None if value is None else float(value)
            walker.problem(
                ProblemCode.MISSING_KEY,
                "an item weight needs valueDecimal or valueInteger",
                (*where, "extension", i),
            )
    return None


class Contained:
    """The ValueSets and CodeSystems contained in a Questionnaire, with the weights they give."""

    def __init__(self, resource: Mapping[str, Any], walker: Walker) -> None:
        self.value_sets: dict[str, tuple[Location, Mapping[str, Any]]] = {}
        self.code_systems: dict[str, tuple[Location, Mapping[str, Any]]] = {}
        #: options whose conflicting weights are reported already
        self.reported: set[Location] = set()
        for location, res in walker.objects(resource, "contained", ()):
            kind = res.get("resourceType")
            ident = res.get("id")
            url = res.get("url")
            target = {"ValueSet": self.value_sets, "CodeSystem": self.code_systems}.get(
                kind if isinstance(kind, str) else ""
            )
            if target is None:
                continue
            if isinstance(ident, str):
                target["#" + ident] = (location, res)
            if isinstance(url, str):
                target[url] = (location, res)

    def code_system_weights(
        self, system: str | None, walker: Walker
    ) -> tuple[Location, dict[str, float]] | None:
        """Code -> weight from the contained CodeSystem with URL *system*."""
        if system is None or system not in self.code_systems:
            return None
        location, cs = self.code_systems[system]
        out: dict[str, float] = {}
        for where, concept in walker.objects(cs, "concept", location):
            code = concept.get("code")
            if not isinstance(code, str):
                continue
            weight = _weight(concept, walker, where)
            for p_where, prop in walker.objects(concept, "property", where):
                if prop.get("code") in ("itemWeight", "weight", "ordinalValue"):
                    value = prop.get("valueDecimal", prop.get("valueInteger"))
                    if is_number(value):
                        weight = float(value)
                    else:
                        walker.problem(
                            ProblemCode.WRONG_TYPE,
                            "an itemWeight property needs a number",
                            p_where,
                            expected="valueDecimal",
                        )
            if weight is not None:
                out[code] = weight
        return location, out

    def value_set_options(
        self, reference: str, language: str, walker: Walker
    ) -> tuple[Location, list[FoundOption]] | None:
        """The options a contained ValueSet lists (expansion, else compose), with its weights."""
        if reference not in self.value_sets:
            return None
        location, vs = self.value_sets[reference]
        found: list[FoundOption] = []
        expansion = walker.mapping(vs, "expansion", location)
        if expansion is not None:
            for where, entry in walker.objects(expansion, "contains", (*location, "expansion")):
                found.extend(self._entry(entry, entry.get("system"), language, walker, where))
        compose = walker.mapping(vs, "compose", location)
        if not found and compose is not None:
            for inc_where, include in walker.objects(compose, "include", (*location, "compose")):
                system = include.get("system")
                listed = walker.objects(include, "concept", inc_where)
                if listed:
                    for where, concept in listed:
                        found.extend(self._entry(concept, system, language, walker, where))
                elif isinstance(system, str) and system in self.code_systems:
                    cs_where, cs = self.code_systems[system]
                    for where, concept in walker.objects(cs, "concept", cs_where):
                        found.extend(self._entry(concept, system, language, walker, where))
        return location, found

    def _entry(
        self,
        entry: Mapping[str, Any],
        system: Any,
        language: str,
        walker: Walker,
        where: Location,
    ) -> list[FoundOption]:
        code = entry.get("code")
        if not isinstance(code, str):
            return []
        weight = _weight(entry, walker, where)
        # R5 ValueSet.expansion.contains.property, and its R4 extension form
        for _, prop in walker.objects(entry, "property", where):
            if prop.get("code") == "itemWeight" and is_number(prop.get("valueDecimal")):
                weight = float(prop["valueDecimal"])
        for _, ext in extensions(entry, CONTAINS_PROPERTY):
            subs = listed(ext.get("extension"))
            parts = {sub.get("url"): sub for sub in subs if isinstance(sub, Mapping)}
            code_part = parts.get("code", {})
            value_part = parts.get("value", {})
            if code_part.get("valueCode") == "itemWeight":
                value = value_part.get("valueDecimal", value_part.get("valueInteger"))
                if is_number(value):
                    weight = float(value)
        label = texts_of(entry, "display", language, walker, where)
        sys = system if isinstance(system, str) else None
        return [FoundOption(code, label, weight, "coding", where, sys)]


_LITERALS = {
    "valueString": "string",
    "valueInteger": "integer",
    "valueDate": "date",
    "valueTime": "time",
}


def read_options(
    item: Mapping[str, Any],
    where: Location,
    link_id: str,
    language: str,
    contained: Contained,
    walker: Walker,
    notes: ReportBuilder,
) -> list[FoundOption] | None:
    """The item's options with their points, or ``None`` when it names none it can read.

    Conflicting weights for the same code (the option against its ValueSet or CodeSystem) are
    reported; the first source in fhirpath.js's order is used.
    """
    options: list[FoundOption] = []
    listed = walker.objects(item, "answerOption", where)
    for o_where, option in listed:
        found = _answer_option(option, o_where, link_id, language, walker, notes)
        if found is not None:
            options.append(found)
    reference = walker.string(item, "answerValueSet", where)
    if reference is not None and not listed:
        from_set = contained.value_set_options(reference, language, walker)
        if from_set is None:
            notes.dropped(
                "answerValueSet",
                f"the value set {reference!r} is not contained in the file, so its options and "
                "weights are unknown",
                location=(*where, "answerValueSet"),
                source_id=link_id,
                hint="expand the value set into answerOption elements",
            )
            return None
        _, options = from_set
        notes.exact(
            "answerValueSet",
            f"options read from the contained value set {reference!r}",
            location=(*where, "answerValueSet"),
            source_id=link_id,
        )
    if not options:
        return None if not listed else []
    in_set = reference is not None and not listed
    return _settle_weights(options, reference, in_set, contained, walker, notes, link_id)


def _answer_option(
    option: Mapping[str, Any],
    where: Location,
    link_id: str,
    language: str,
    walker: Walker,
    notes: ReportBuilder,
) -> FoundOption | None:
    found = _plain_option(option, where, link_id, language, walker, notes)
    if found is not None:
        own = own_label(option)
        if own is not None:
            found = attrs.evolve(found, label=own)
        value = own_value(option)
        if value is not None and found.kind == "string":
            found = attrs.evolve(found, value=value)
    return found


def own_value(option: Mapping[str, Any]) -> str | None:
    """The option value weltoffen's exporter kept in its extension where FHIR's string could not
    hold it (white space other than spaces, tabs and line breaks)."""
    for _, value in extension_json(option, weltoffen_url("value")):
        if value is MALFORMED:
            return None
        if isinstance(value, str) and value:
            return value
    return None


def own_label(option: Mapping[str, Any]) -> dict[str, str] | None:
    """The label weltoffen's exporter kept in its extension where FHIR could not hold it."""
    for _, label in extension_json(option, weltoffen_url("label")):
        if label is MALFORMED:
            return None
        if isinstance(label, dict) and all(isinstance(v, str) for v in label.values()):
            return {str(k): v for k, v in label.items()}
    return None


def _plain_option(
    option: Mapping[str, Any],
    where: Location,
    link_id: str,
    language: str,
    walker: Walker,
    notes: ReportBuilder,
) -> FoundOption | None:
    weight = _weight(option, walker, where)
    coding = walker.mapping(option, "valueCoding", where)
    if coding is not None:
        c_where = (*where, "valueCoding")
        code = walker.string(coding, "code", c_where)
        system = walker.string(coding, "system", c_where)
        if code is None:
            walker.problem(
                ProblemCode.MISSING_KEY, "an option's Coding needs a code", (*c_where, "code")
            )
            return None
        if weight is None:
            weight = _weight(coding, walker, c_where)
        label = texts_of(coding, "display", language, walker, c_where)
        state = code if system == STATE_SYSTEM else None
        return FoundOption(code, label, weight, "coding", where, system, state)
    for key, kind in _LITERALS.items():
        if key in option:
            value = option[key]
            good = (
                isinstance(value, int) and not isinstance(value, bool)
                if kind == "integer"
                else isinstance(value, str) and value != ""
            )
            if not good:
                walker.problem(
                    ProblemCode.WRONG_TYPE,
                    f"{key} has the wrong type",
                    (*where, key),
                    expected="an integer" if kind == "integer" else "a string",
                )
                return None
            label = texts_of(option, key, language, walker, where) if kind == "string" else {}
            return FoundOption(str(value), label, weight, kind, where)
    notes.dropped(
        "answerOption",
        "an option with a value other than a Coding, string, integer, date or time is left out",
        location=where,
        source_id=link_id,
    )
    return None


def _settle_weights(
    options: Sequence[FoundOption],
    reference: str | None,
    from_set: bool,
    contained: Contained,
    walker: Walker,
    notes: ReportBuilder,
    link_id: str,
) -> list[FoundOption]:
    """Fill each option's points from the ValueSet and CodeSystem; report disagreements (once
    per option of a value set that several items share)."""
    set_weights: dict[str, float] = {}
    if reference is not None and not from_set:
        listed = contained.value_set_options(reference, "en", walker)
        if listed is not None:
            set_weights = {o.value: o.points for o in listed[1] if o.points is not None}
    out = []
    for option in options:
        sources: list[tuple[str, float]] = []
        if option.points is not None:
            sources.append((f"value set {reference}" if from_set else "the option", option.points))
        if option.value in set_weights:
            sources.append((f"value set {reference}", set_weights[option.value]))
        system_weights = contained.code_system_weights(option.system, walker)
        if system_weights is not None and option.value in system_weights[1]:
            sources.append((f"code system {option.system}", system_weights[1][option.value]))
        if not sources:
            out.append(option)
            continue
        chosen = sources[0]
        if len({w for _, w in sources}) > 1 and option.location not in contained.reported:
            contained.reported.add(option.location)
            said = ", ".join(f"{name}: {w:g}" for name, w in sources)
            notes.approximated(
                "itemWeight",
                f"option {option.value!r} has conflicting weights ({said}); "
                f"{chosen[1]:g} from {chosen[0]} is used, as fhirpath.js's weight() would",
                location=option.location,
                source_id=link_id,
                hint="correct the weight that is wrong in the source",
            )
        out.append(attrs.evolve(option, points=chosen[1]))
    return out
