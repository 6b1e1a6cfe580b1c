"""Writing a weltoffen questionnaire as a SurveyJS survey that renders and scores it.

Each top-level dimension becomes a page, a dimension inside it a panel; choice questions become
``radiogroup`` (yes/no too, with the choices ``true`` and ``false``) or ``checkbox`` whose choices
carry their points in a custom ``score`` property; numbers become ``text`` with ``inputType``
number, free text a ``comment``. "Don't know" is SurveyJS's own item (``showDontKnowItem``, value
``dontknow``); "not applicable" is an ordinary last choice with the value ``notapplicable``.
Conditions become ``visibleIf``. The calculated value ``weltoffen_points`` adds up the points,
``weltoffen_score`` follows weltoffen's 0..100 score where an expression can (see
:func:`~weltoffen.interop.surveyjs.formulas.score_values`), and the overall bands become
``completedHtmlOnCondition``. Every text carries all of the questionnaire's languages; the
survey's ``locale`` starts in the questionnaire's language.

What SurveyJS has no property for is kept in the custom property ``weltoffen`` of the survey,
each page, panel and question, in weltoffen's JSON form: reading the file back with
:func:`~weltoffen.interop.surveyjs.read_questionnaire` gives the same questionnaire. A page that
shows the survey declares the custom properties (``Serializer.addProperty("itemvalue",
"score:number")`` and ``"weltoffen:object"`` on ``survey``, ``page``, ``panel`` and
``question``) or SurveyJS lists them as unknown; they never change what it shows.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Mapping, Sequence
from typing import Any

from weltoffen.interop.surveyjs.common import (
    NOT_APPLICABLE,
    POINTS,
    PROPERTY,
    SCORE,
    SHOWN,
    STATE_TEXTS,
    localized,
)
from weltoffen.interop.surveyjs.formulas import (
    Visibility,
    condition_expression,
    number,
    reference,
    score_values,
    shown_questions,
    total_expression,
    unique,
)
from weltoffen.model.dimensions import Band, Dimension
from weltoffen.model.queries import options_of
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import (
    Choice,
    MultipleChoice,
    Numeric,
    Option,
    Question,
    ScaleQuestion,
    YesNo,
)
from weltoffen.registry import default_registry
from weltoffen.scoring.check import point_range
from weltoffen.serialization import make_converter
from weltoffen.serialization.api import write_text

__all__ = ["band_html", "survey_json", "write_questionnaire"]

#: Attributes written as SurveyJS properties or structure, not in the ``weltoffen`` property.
_ROOT_NATIVE = frozenset({"language", "title", "description", "dimensions"})
_DIMENSION_NATIVE = frozenset({"id", "title", "description", "questions", "dimensions"})
_QUESTION_NATIVE = frozenset({"id", "text", "help", "options"})

_SAFE = re.compile(r"[^A-Za-z0-9_\-]")


def write_questionnaire(questionnaire: Questionnaire, target: str | os.PathLike[str]) -> None:
    """Write *questionnaire* as a SurveyJS survey (JSON) to *target*, whole or not at all."""
    text = json.dumps(survey_json(questionnaire), ensure_ascii=False, indent=2)
    write_text(target, text + "\n")


def survey_json(questionnaire: Questionnaire) -> dict[str, Any]:
    """*questionnaire* as a SurveyJS survey definition (plain JSON data)."""
    return _Writer(questionnaire).survey()


def band_html(band: Band, language: str) -> str:
    """What the survey shows at the end for *band* in *language*: its label as a heading, its
    feedback and its suggestions as a list (every text escaped)."""
    parts = []
    label = band.label.get(language, "")
    if label:
        parts.append(f"<h3>{html.escape(label)}</h3>")
    feedback = band.feedback.get(language, "")
    if feedback:
        parts.append(f"<p>{html.escape(feedback)}</p>")
    items = [s.get(language, "") for s in band.suggestions]
    if any(items):
        listed = "".join(f"<li>{html.escape(item)}</li>" for item in items if item)
        parts.append(f"<ul>{listed}</ul>")
    return "".join(parts)


class _Writer:
    def __init__(self, questionnaire: Questionnaire) -> None:
        self.q = questionnaire
        self.language = questionnaire.language
        self.conv = make_converter(default_registry, questionnaire.language)
        self.scales: dict[str, Sequence[Option]] = {s.id: s.options for s in questionnaire.scales}
        self.kinds = {q.id: q for _, q in questionnaire.iter_questions()}
        self.languages = self._languages()
        # calculated values share the questions' names: each gets one no question has
        self.taken = {*self.kinds, POINTS}
        self.shown = Visibility(questionnaire, SHOWN, self.taken)
        self.scores = score_values(questionnaire, SCORE, self.shown, self.taken)

    def _languages(self) -> list[str]:
        found = [self.language]
        texts: list[Mapping[str, str]] = [self.q.title, self.q.description]
        texts += [d.title for _, d in self.q.iter_dimensions()]
        texts += [q.text for q in self.kinds.values()]
        for text in texts:
            found += [lang for lang in text if lang not in found]
        return found

    def text(self, out: dict[str, Any], key: str, text: Mapping[str, str]) -> None:
        value = localized(text, self.language)
        if value is not None:
            out[key] = value

    def state_text(self, name: str) -> dict[str, str] | None:
        known = STATE_TEXTS[name]
        return localized({lang: known[lang] for lang in self.languages if lang in known}, "en")

    def own(self, data: dict[str, Any], skip: frozenset[str]) -> dict[str, Any]:
        return {key: value for key, value in data.items() if key not in skip}

    # -- the survey ------------------------------------------------------------------------

    def survey(self) -> dict[str, Any]:
        q = self.q
        out: dict[str, Any] = {}
        self.text(out, "title", q.title)
        self.text(out, "description", q.description)
        out["locale"] = self.language
        out["showQuestionNumbers"] = "off"
        out[PROPERTY] = self.own(self.conv.unstructure(q, Questionnaire), _ROOT_NATIVE)
        out["pages"] = [self.container(d, page=True) for d in q.dimensions]
        calculated = self.calculated()
        if calculated:
            out["calculatedValues"] = calculated
        conditions = self.band_conditions(q.bands, q.bands_on)
        if conditions:
            out["completedHtmlOnCondition"] = conditions
        return out

    def container(self, dim: Dimension, *, page: bool) -> dict[str, Any]:
        out: dict[str, Any] = {} if page else {"type": "panel"}
        out["name"] = dim.id
        self.text(out, "title", dim.title)
        self.text(out, "description", dim.description)
        if dim.when is not None:
            out["visibleIf"] = condition_expression(dim.when, self.kinds)
        out[PROPERTY] = self.own(self.conv.unstructure(dim, Dimension), _DIMENSION_NATIVE)
        elements = [self.question(x) for x in dim.questions]
        elements += [self.container(d, page=False) for d in dim.dimensions]
        out["elements"] = elements
        return out

    # -- questions -------------------------------------------------------------------------

    def question(self, question: Question) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "comment", "name": question.id}
        self.text(out, "title", question.text)
        self.text(out, "description", question.help)
        if isinstance(question, ScaleQuestion | Choice | MultipleChoice):
            self.choices(out, question, options_of(question, self.scales))
        elif isinstance(question, YesNo):
            self.yes_no(out, question)
        elif isinstance(question, Numeric):
            out["type"] = "text"
            out["inputType"] = "number"
            for key, bound in (("min", question.minimum), ("max", question.maximum)):
                if bound is not None:
                    out[key] = float(bound) if not bound.is_integer() else int(bound)
            if question.integer:
                out["step"] = 1
        if question.when is not None:
            out["visibleIf"] = condition_expression(question.when, self.kinds)
        out[PROPERTY] = self.own(self.conv.unstructure(question, Question), _QUESTION_NATIVE)
        return out

    def choices(self, out: dict[str, Any], question: Question, options: Sequence[Option]) -> None:
        out["type"] = "checkbox" if isinstance(question, MultipleChoice) else "radiogroup"
        reverse = isinstance(question, ScaleQuestion) and question.reverse
        lo, hi = point_range(question, self.scales) if reverse else (0.0, 0.0)
        listed = []
        for option in options:
            # the points the choice earns, reverse keying applied, as SurveyJS tools expect
            earned = lo + hi - option.points if reverse else option.points
            entry: dict[str, Any] = {"value": option.value}
            self.text(entry, "text", option.label)
            entry["score"] = _plain(earned)
            listed.append(entry)
        self.states(out, question, listed)
        out["choices"] = listed
        if isinstance(question, MultipleChoice):
            if not question.min_selected:
                # choosing nothing is an answer in weltoffen; in SurveyJS it takes "none"
                out["showNoneItem"] = True
                text = self.state_text("none")
                if text is not None:
                    out["noneText"] = text
            if question.min_selected:
                out["minSelectedChoices"] = question.min_selected
            if question.max_selected is not None:
                out["maxSelectedChoices"] = question.max_selected

    def yes_no(self, out: dict[str, Any], question: YesNo) -> None:
        # a radiogroup rather than a boolean: SurveyJS's boolean has no "don't know" item
        out["type"] = "radiogroup"
        listed = []
        for value, name, points in (
            (True, "yes", question.yes_points),
            (False, "no", question.no_points),
        ):
            entry: dict[str, Any] = {"value": value}
            text = self.state_text(name)
            if text is not None:
                entry["text"] = text
            entry["score"] = _plain(points)
            listed.append(entry)
        self.states(out, question, listed)
        out["choices"] = listed

    def states(self, out: dict[str, Any], question: Question, listed: list[dict[str, Any]]) -> None:
        if question.dont_know:
            out["showDontKnowItem"] = True
            text = self.state_text("dont_know")
            if text is not None:
                out["dontKnowText"] = text
        if question.not_applicable:
            entry: dict[str, Any] = {"value": NOT_APPLICABLE}
            text = self.state_text("not_applicable")
            if text is not None:
                entry["text"] = text
            listed.append(entry)

    # -- totals and bands ------------------------------------------------------------------

    def calculated(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = [
            {"name": name, "expression": expression} for name, expression in self.shown.values()
        ]
        total = total_expression(shown_questions(self.q), self.scales, self.shown) or "0"
        out.append({"name": POINTS, "expression": total, "includeIntoResult": True})
        for _, dim in self.q.iter_dimensions():
            if dim.bands and dim.bands_on == "points":
                inner = shown_questions(self.q, dim)
                expression = total_expression(inner, self.scales, self.shown) or "0"
                name = unique(f"{POINTS}__{dim.id}", self.taken)
                out.append({"name": name, "expression": expression})
        for name, expression in self.scores or ():
            entry: dict[str, Any] = {"name": name, "expression": expression}
            if name == SCORE:
                entry["includeIntoResult"] = True
            out.append(entry)
        return out

    def band_conditions(self, bands: Sequence[Band], bands_on: str) -> list[dict[str, Any]]:
        if not bands:
            return []
        scored = self.scores is not None
        # weltoffen gives a band only with a score, on points too (-1: none)
        assessed = f"{reference(SCORE)} >= 0 and " if scored else ""
        if bands_on == "points":
            value = reference(POINTS)
        elif scored:
            value, assessed = reference(SCORE), ""
        else:
            return []
        top = max(b.max for b in bands)
        out = []
        for band in sorted(bands, key=lambda b: b.min):
            upper = "<=" if band.max == top else "<"
            lower = f"{assessed}{value} >= {number(band.min)}"
            expression = f"{lower} and {value} {upper} {number(band.max)}"
            shown = {lang: band_html(band, lang) for lang in self.languages}
            text = localized({k: v for k, v in shown.items() if v}, self.language)
            out.append({"expression": expression, "html": text or band.id})
        return out


def _plain(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value
