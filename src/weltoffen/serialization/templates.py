"""Answer sheets: empty (or filled) response files to fill in by hand.

A YAML sheet lists every question with its text, help and allowed answers as comments above its
key, grouped by dimension, so that someone can answer in a text editor; it loads back with
:func:`weltoffen.serialization.api.load_responses` once its respondent is filled in (then,
without answers, it is one all-skipped response). CSV and XLSX sheets share one column layout
(:func:`sheet_columns`): ``respondent``, ``meta.<key>`` for each metadata field, then one column
per question id; XLSX is written by
:func:`weltoffen.serialization.xlsx_template.write_xlsx_template`.

The explanations come from :func:`guide`, which turns each question into plain lines (answer codes
with their labels, ranges, conditions) that every format renders in its own way.
"""

from __future__ import annotations

import csv
import io
import textwrap
from collections.abc import Iterator, Mapping, Sequence

import attrs
import yaml

from weltoffen.model.answers import MetaValue, Response, State
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
from weltoffen.model.sheet_metadata import STANDARD_METADATA, MetaField, metadata_fields
from weltoffen.model.text import pick
from weltoffen.serialization.cells import inert, inert_cell

__all__ = [
    "STANDARD_METADATA",
    "MetaField",
    "QuestionGuide",
    "SectionGuide",
    "csv_template",
    "describe_condition",
    "guide",
    "metadata_fields",
    "phrase",
    "sheet_columns",
    "sheet_row",
    "yaml_template",
]

Text = Mapping[str, str]

#: Width of comment lines in YAML sheets (keys and answers may run longer).
WIDTH = 100


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


# -- YAML --------------------------------------------------------------------------------------


def _scalar(value: object) -> str:
    """*value* as a YAML flow scalar (quoted where YAML would read it as something else)."""
    text: str = yaml.safe_dump(
        [value], default_flow_style=True, allow_unicode=True, width=2**31 - 1
    ).strip()
    return text[1:-1]


def _answer_text(value: object) -> str:
    if isinstance(value, State):
        return "" if value is State.SKIPPED else value.value
    if isinstance(value, tuple):
        return _scalar(list(value))
    return _scalar(value)


def _comment(text: str, indent: str, lead: str = "", width: int = WIDTH) -> Iterator[str]:
    """*text* wrapped into comment lines; *lead* starts the first line, later lines align."""
    first = f"{indent}# {lead}"
    rest = f"{indent}# " + " " * len(lead)
    lines = textwrap.wrap(
        " ".join(text.split()), width=width, initial_indent=first, subsequent_indent=rest
    )
    yield from lines or [first.rstrip()]


def yaml_template(
    questionnaire: Questionnaire,
    *,
    language: str | None = None,
    respondent: str = "",
    metadata: Sequence[MetaField] | None = None,
    response: Response | None = None,
) -> str:
    """An answer sheet in YAML: every question as a key, explained in comments above it.

    Args:
        questionnaire: The instrument.
        language: Language of texts and explanations (default: the questionnaire's).
        respondent: Value of ``respondent:`` (default empty).
        metadata: Metadata fields to ask for (default: :func:`metadata_fields`).
        response: Fill the sheet with these answers and metadata (an annotated copy of a
            response); its metadata keys that *metadata* lacks are kept too.

    Returns:
        The sheet. With a *respondent* and no *response*, it loads as one response with every
        question skipped and every metadata value empty; without either it names no respondent,
        which readers refuse until one is filled in.
    """
    lang = language or questionnaire.language
    fields = tuple(metadata if metadata is not None else metadata_fields(questionnaire))
    answers: Mapping[str, object] = response.answers if response is not None else {}
    meta: Mapping[str, MetaValue] = response.metadata if response is not None else {}
    who = response.respondent if response is not None else respondent

    title = pick(questionnaire.title, lang, questionnaire.language) or questionnaire.id
    rule = "# " + "=" * (WIDTH - 2)
    out: list[str] = [
        rule,
        f"# {phrase('sheet', lang)}: {title}",
        f"# {questionnaire.id}, {questionnaire.version}",
        rule,
        *_comment(phrase("how", lang), ""),
        "",
        *_comment(phrase("respondent", lang), ""),
        f"respondent: {_scalar(who)}",
        "",
        *_comment(phrase("metadata", lang), ""),
        "metadata:",
    ]
    known = {f.key for f in fields}
    for field in fields:
        text = pick(field.label, lang, questionnaire.language) or field.key
        out.extend(_comment(text, "  "))
        for code, meaning in field.values:
            out.extend(
                _comment(pick(meaning, lang, questionnaire.language), "  ", f"  {code:<26} ")
            )
        out.append(_key_line("  ", field.key, meta.get(field.key)))
    for key, value in meta.items():
        if key not in known:
            out.append(_key_line("  ", key, value))
    if not fields and not meta:
        out[-1] = "metadata: {}"
    out.extend(["", "answers:"])
    for section in guide(questionnaire, lang):
        out.append("")
        bar = "=" if section.depth == 1 else "-"
        out.append(f"  # {bar * (WIDTH - 4)}")
        out.extend(_comment(f"{section.number} {section.title} ({section.id})", "  "))
        if section.condition:
            out.extend(
                _comment(phrase("dim_only_if", lang).format(condition=section.condition), "  ")
            )
        out.append(f"  # {bar * (WIDTH - 4)}")
        for qg in section.questions:
            out.append("")
            out.extend(_question_comment(qg, lang))
            out.append(_key_line("  ", qg.id, answers.get(qg.id)))
    extra = [k for k in answers if k not in {q.id for _, q in questionnaire.iter_questions()}]
    for key in extra:  # kept so that a filled sheet never loses what a response held
        out.append(_key_line("  ", key, answers[key]))
    return "\n".join(out) + "\n"


def _key_line(indent: str, key: str, value: object) -> str:
    name = _scalar(key)
    if value is None:
        return f"{indent}{name}:"
    return f"{indent}{name}: {_answer_text(value)}".rstrip()


def _question_comment(qg: QuestionGuide, lang: str) -> Iterator[str]:
    yield from _comment(qg.text, "  ", f"{qg.id}: ")
    if qg.help:
        yield from _comment(qg.help, "  ", f"  {phrase('help', lang)}: ")
    if qg.condition:
        yield from _comment(phrase("only_if", lang).format(condition=qg.condition), "  ", "  ")
    yield from _comment(qg.intro, "  ", "  ")
    for code, meaning in qg.options:
        yield from _comment(meaning, "  ", f"    {code:<24} ")
    if qg.states and not qg.options:
        yield f"  #   {phrase('or', lang)}"
    for code, meaning in qg.states:
        yield from _comment(meaning, "  ", f"    {code:<24} ")


# -- CSV ---------------------------------------------------------------------------------------


def sheet_columns(
    questionnaire: Questionnaire,
    metadata: Sequence[MetaField] | None = None,
    responses: Sequence[Response] = (),
) -> list[str]:
    """Column names of a CSV/XLSX sheet: ``respondent``, ``meta.<key>``..., question ids.

    Metadata keys of *responses* that the fields lack get columns of their own after the
    fields', so that a filled sheet keeps what the responses held (as a YAML sheet does).
    """
    fields = metadata if metadata is not None else metadata_fields(questionnaire)
    keys = [f.key for f in fields]
    keys += [k for k in dict.fromkeys(k for r in responses for k in r.metadata) if k not in keys]
    return [
        "respondent",
        *(f"meta.{key}" for key in keys),
        *(q.id for _, q in questionnaire.iter_questions()),
    ]


def sheet_row(response: Response, columns: Sequence[str], language: str) -> list[object]:
    """The cells of *response* under *columns* of a CSV/XLSX sheet (None for an empty cell).

    Yes/no answers are the words of *language* (``ja``/``nein``), lists are joined by ``;``,
    skipped answers are empty cells and the other states their names; numbers stay numbers.
    """
    yes, no = phrase("yes", language), phrase("no", language)

    def cell(column: str) -> object:
        if column == "respondent":
            return response.respondent
        if column.startswith("meta."):
            return response.metadata.get(column[len("meta.") :])
        value = response.answers.get(column)
        if value is None or value is State.SKIPPED:
            return None
        if isinstance(value, State):
            return value.value
        if isinstance(value, bool):
            return yes if value else no
        if isinstance(value, tuple):
            return ";".join(value)
        return value

    return [cell(column) for column in columns]


def csv_template(
    questionnaire: Questionnaire,
    *,
    language: str | None = None,
    metadata: Sequence[MetaField] | None = None,
    responses: Sequence[Response] = (),
) -> str:
    """A CSV answer sheet: the header row, then one row per response in *responses* (if any).

    Lines end in ``\\r\\n``, as the CSV standard asks.

    Text that a spreadsheet program would run as a formula gets a leading apostrophe, which
    :func:`~weltoffen.serialization.csv.load_responses_csv` removes again (see
    :mod:`weltoffen.serialization.cells`).

    Args:
        questionnaire: The instrument.
        language: Language of the yes/no words in filled rows (default: the questionnaire's).
        metadata: Metadata columns (default: :func:`metadata_fields`).
        responses: Rows to fill in (answers and metadata), for a prefilled sheet; metadata keys
            that *metadata* lacks get columns of their own.
    """
    lang = language or questionnaire.language
    columns = sheet_columns(questionnaire, metadata, responses)
    buffer = io.StringIO()
    # \r\n as the CSV standard asks; with \n alone, a carriage return inside a cell would be
    # written unquoted and read back as the end of a record
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([inert(column) for column in columns])
    for response in responses:
        writer.writerow([_csv_cell(c) for c in sheet_row(response, columns, lang)])
    return buffer.getvalue()


def _csv_cell(value: object) -> object:
    if isinstance(value, bool):  # as the CSV reader spells them, not Python's True/False
        return "true" if value else "false"
    return inert_cell(value)
