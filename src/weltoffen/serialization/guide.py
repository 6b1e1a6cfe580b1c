"""The guide to an answer sheet: each question turned into plain lines, in several languages.

:func:`guide` turns each question into its text, help, answer codes with their labels, ranges
and the condition under which it applies (:func:`describe_condition`); every sheet format
(:mod:`weltoffen.serialization.templates`, :mod:`weltoffen.serialization.xlsx_template`) renders
these lines in its own way, with the fixed words of :func:`phrase` around them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from weltoffen.model.answers import State
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
    YesNo,
)
from weltoffen.model.text import pick

__all__ = ["QuestionGuide", "SectionGuide", "describe_condition", "guide", "phrase"]

Text = Mapping[str, str]


# -- words around the questions ----------------------------------------------------------------

_PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "sheet": "Answer sheet",
        "how": (
            "Write each answer after the colon of its question. A question left empty counts as "
            "skipped. Where offered, 'dont_know' means you do not know and 'not_applicable' that "
            "the question does not apply to you. Lines starting with # are explanations and may "
            "stay as they are."
        ),
        "respondent": (
            "Identifier of the respondent (short, without spaces), e.g. the municipality's name"
        ),
        "metadata": "Facts about the respondent, used to compare like with like",
        "answers": "Answers",
        "help": "Note",
        "one": "Answer with one of these values:",
        "many": "Answer with a list of values, e.g. [{example}]; choose any that apply:",
        "many_cell": "Answer with values separated by ';', e.g. {example}; choose any that apply:",
        "many_min": "at least {n}",
        "many_max": "at most {n}",
        "yes": "yes",
        "no": "no",
        "number": "Answer with a number",
        "whole": "Answer with a whole number",
        "range_both": "from {lo} to {hi}",
        "range_lo": "of at least {lo}",
        "range_hi": "of at most {hi}",
        "unit": "(unit: {unit})",
        "text": "Free text (not scored); put it in quotes",
        "dont_know": "don't know",
        "not_applicable": "not applicable",
        "or": "Or:",
        "only_if": "Only if {condition}; otherwise leave empty.",
        "dim_only_if": "This section applies only if {condition}.",
        "includes": "includes",
        "not": "not",
        "and": "and",
        "either": "or",
        "gt": ">",
        "ge": ">=",
        "lt": "<",
        "le": "<=",
        "codes": "Codes",
        "question": "Question",
        "id": "Id",
        "section": "Section",
        "allowed": "Allowed answers",
        "condition": "Condition",
        "kind": "Kind",
        "code": "Code",
        "meaning": "Meaning",
        "sheet_answers": "Answers",
        "codes_intro": (
            "One row per respondent on the sheet 'Answers'. Use the codes below; an empty cell "
            "counts as skipped. Lists of values (multiple choice) are separated by ';'."
        ),
        "values": "values",
    },
    "de": {
        "sheet": "Antwortbogen",
        "how": (
            "Tragen Sie jede Antwort hinter dem Doppelpunkt ihrer Frage ein. Eine leer gelassene "
            "Frage gilt als übersprungen. Wo angeboten, bedeutet 'dont_know' „weiß nicht“ und "
            "'not_applicable' „trifft nicht zu“. Zeilen mit # sind Erläuterungen und können "
            "stehen bleiben."
        ),
        "respondent": "Kennung (kurz, ohne Leerzeichen), z. B. der Name der Kommune",
        "metadata": "Angaben zur Kommune, damit Vergleichbares verglichen wird",
        "answers": "Antworten",
        "help": "Hinweis",
        "one": "Antworten Sie mit einem dieser Werte:",
        "many": (
            "Antworten Sie mit einer Liste von Werten, z. B. [{example}]; alle zutreffenden wählen:"
        ),
        "many_cell": (
            "Antworten Sie mit Werten, getrennt durch ';', z. B. {example}; alle zutreffenden "
            "wählen:"
        ),
        "many_min": "mindestens {n}",
        "many_max": "höchstens {n}",
        "yes": "ja",
        "no": "nein",
        "number": "Antworten Sie mit einer Zahl",
        "whole": "Antworten Sie mit einer ganzen Zahl",
        "range_both": "von {lo} bis {hi}",
        "range_lo": "von mindestens {lo}",
        "range_hi": "von höchstens {hi}",
        "unit": "(Einheit: {unit})",
        "text": "Freitext (wird nicht bewertet), in Anführungszeichen",
        "dont_know": "weiß nicht",
        "not_applicable": "trifft nicht zu",
        "or": "Oder:",
        "only_if": "Nur ausfüllen, wenn {condition}; sonst leer lassen.",
        "dim_only_if": "Dieser Abschnitt gilt nur, wenn {condition}.",
        "includes": "enthält",
        "not": "nicht",
        "and": "und",
        "either": "oder",
        "gt": ">",
        "ge": ">=",
        "lt": "<",
        "le": "<=",
        "codes": "Erläuterung",
        "question": "Frage",
        "id": "Kennung",
        "section": "Abschnitt",
        "allowed": "Erlaubte Antworten",
        "condition": "Bedingung",
        "kind": "Art",
        "code": "Code",
        "meaning": "Bedeutung",
        "sheet_answers": "Antworten",
        "codes_intro": (
            "Eine Zeile je Antwortende(n) im Blatt „Antworten“. Verwenden Sie die Codes unten; "
            "eine leere Zelle gilt als übersprungen. Mehrere Werte (Mehrfachauswahl) trennen Sie "
            "mit ';'."
        ),
        "values": "Werte",
    },
}


def phrase(key: str, language: str) -> str:
    """A fixed sheet phrase in *language* (English when the language is not known)."""
    return _PHRASES.get(language, _PHRASES["en"])[key]


# -- question guides ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class QuestionGuide:
    """Everything a person filling in a sheet needs to know about one question.

    Attributes:
        id: The question id (the key or column to fill).
        text: The question.
        help: The help text (may be empty).
        intro: The sentence introducing the answers ("Answer with one of these values:").
        options: Allowed answer codes with their meaning, in order.
        states: The non-answer codes the question offers (``dont_know``, ``not_applicable``).
        condition: When the question applies, in words (empty when always).
        multiple: Whether the answer is a list of values.
    """

    id: str
    text: str
    help: str
    intro: str
    options: tuple[tuple[str, str], ...]
    states: tuple[tuple[str, str], ...]
    condition: str
    multiple: bool

    @property
    def answers(self) -> tuple[tuple[str, str], ...]:
        """Every allowed code with its meaning: the options, then the states."""
        return self.options + self.states


@attrs.frozen(kw_only=True)
class SectionGuide:
    """A dimension heading: its number (``3.1``), title, depth and condition in words."""

    number: str
    id: str
    title: str
    depth: int
    condition: str
    questions: tuple[QuestionGuide, ...]


def guide(
    questionnaire: Questionnaire,
    language: str | None = None,
    *,
    spreadsheet: bool = False,
) -> list[SectionGuide]:
    """Every dimension, depth first, with guides to its own questions.

    Args:
        questionnaire: The instrument.
        language: Language of the texts (default: the questionnaire's).
        spreadsheet: Explain the codes of a table cell (yes/no as the words ``ja``/``nein`` or
            ``yes``/``no``, lists separated by ``;``) instead of YAML ones (``true``/``false``,
            ``[a, b]``); both load the same.

    Returns:
        One section per dimension, in document order; sub-dimensions follow their parent.
    """
    lang = language or questionnaire.language
    scales = {s.id: s.options for s in questionnaire.scales}
    out: list[SectionGuide] = []

    def walk(dims: Sequence[Dimension], prefix: str, depth: int) -> None:
        for i, dim in enumerate(dims, start=1):
            number = f"{prefix}{i}"
            out.append(
                SectionGuide(
                    number=number,
                    id=dim.id,
                    title=pick(dim.title, lang, questionnaire.language) or dim.id,
                    depth=depth,
                    condition="" if dim.when is None else describe_condition(dim.when, lang),
                    questions=tuple(
                        _question_guide(q, scales, lang, questionnaire.language, spreadsheet)
                        for q in dim.questions
                    ),
                )
            )
            walk(dim.dimensions, f"{number}.", depth + 1)

    walk(questionnaire.dimensions, "", 1)
    return out


def _question_guide(
    q: Question,
    scales: Mapping[str, Sequence[Option]],
    lang: str,
    default: str,
    spreadsheet: bool,
) -> QuestionGuide:
    def label(text: Text) -> str:
        return pick(text, lang, default)

    answers: list[tuple[str, str]] = []
    multiple = False
    if isinstance(q, YesNo):
        intro = phrase("one", lang)
        yes, no = (phrase("yes", lang), phrase("no", lang)) if spreadsheet else ("true", "false")
        answers = [(yes, phrase("yes", lang)), (no, phrase("no", lang))]
    elif isinstance(q, ScaleQuestion | Choice | MultipleChoice):
        options = scales.get(q.scale, ()) if isinstance(q, ScaleQuestion) and q.scale else q.options
        answers = [(o.value, label(o.label) or o.value) for o in options]
        if isinstance(q, MultipleChoice):
            multiple = True
            if spreadsheet:
                example = ";".join(o.value for o in options[:2])
                intro = phrase("many_cell", lang).format(example=example)
            else:
                example = ", ".join(o.value for o in options[:2])
                intro = phrase("many", lang).format(example=example)
            limits = []
            if q.min_selected:
                limits.append(phrase("many_min", lang).format(n=q.min_selected))
            if q.max_selected is not None:
                limits.append(phrase("many_max", lang).format(n=q.max_selected))
            if limits:
                intro = f"{intro} ({', '.join(limits)})"
        else:
            intro = phrase("one", lang)
    elif isinstance(q, Numeric):
        intro = _numeric_intro(q, lang, default)
    else:
        intro = phrase("text", lang)
    states = []
    if q.dont_know:
        states.append((State.DONT_KNOW.value, phrase("dont_know", lang)))
    if q.not_applicable:
        states.append((State.NOT_APPLICABLE.value, phrase("not_applicable", lang)))
    return QuestionGuide(
        id=q.id,
        text=label(q.text),
        help=label(q.help),
        intro=intro,
        options=tuple(answers),
        states=tuple(states),
        condition="" if q.when is None else describe_condition(q.when, lang),
        multiple=multiple,
    )


def _number(value: float) -> str:
    return f"{value:g}"


def _numeric_intro(q: Numeric, lang: str, default: str) -> str:
    parts = [phrase("whole" if q.integer else "number", lang)]
    if q.minimum is not None and q.maximum is not None:
        parts.append(
            phrase("range_both", lang).format(lo=_number(q.minimum), hi=_number(q.maximum))
        )
    elif q.minimum is not None:
        parts.append(phrase("range_lo", lang).format(lo=_number(q.minimum)))
    elif q.maximum is not None:
        parts.append(phrase("range_hi", lang).format(hi=_number(q.maximum)))
    unit = pick(q.unit, lang, default)
    if unit:
        parts.append(phrase("unit", lang).format(unit=unit))
    return " ".join(parts)


def describe_condition(condition: Condition, language: str) -> str:
    """A condition in words, with the codes a sheet uses (``ms-01 is true``)."""

    def value(v: object) -> str:
        if isinstance(v, bool):
            return f"true ({phrase('yes', language)})" if v else f"false ({phrase('no', language)})"
        return _number(v) if isinstance(v, float) else str(v)

    def say(c: Condition, nested: bool) -> str:
        if isinstance(c, AllOf | AnyOf):
            joiner = phrase("and" if isinstance(c, AllOf) else "either", language)
            text = f" {joiner} ".join(say(x, True) for x in c.conditions)
            return f"({text})" if nested and len(c.conditions) > 1 else text
        if isinstance(c, Not):
            return f"{phrase('not', language)} ({say(c.condition, False)})"
        if isinstance(c, Equals):
            return f"{c.question} = {value(c.value)}"
        if isinstance(c, OneOf):
            *head, last = [value(v) for v in c.values]
            either = f" {phrase('either', language)} "
            return f"{c.question} = {either.join([', '.join(head), last]) if head else last}"
        if isinstance(c, Includes):
            return f"{c.question} {phrase('includes', language)} {c.value}"
        assert isinstance(c, Compare)
        return f"{c.question} {phrase(c.op, language)} {value(c.value)}"

    return say(condition, False)
