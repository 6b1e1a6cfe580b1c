"""Answer sheets: empty (or filled) response files to fill in by hand.

A YAML sheet lists every question with its text, help and allowed answers as comments above its
key, grouped by dimension, so that someone can answer in a text editor; it loads back with
:func:`weltoffen.serialization.api.load_responses` once its respondent is filled in (then,
without answers, it is one all-skipped response). CSV and XLSX sheets share one column layout
(:func:`sheet_columns`): ``respondent``, ``meta.<key>`` for each metadata field, then one column
per question id; XLSX is written by
:func:`weltoffen.serialization.xlsx_template.write_xlsx_template`.

The explanations come from :func:`weltoffen.serialization.guide.guide`, which turns each question
into plain lines (answer codes with their labels, ranges, conditions) that every format renders
in its own way.
"""

from __future__ import annotations

import csv
import io
import textwrap
from collections.abc import Iterator, Mapping, Sequence

import yaml

from weltoffen.model.answers import MetaValue, Response, State
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.sheet_metadata import STANDARD_METADATA, MetaField, metadata_fields
from weltoffen.model.text import pick
from weltoffen.serialization.cells import inert, inert_cell
from weltoffen.serialization.guide import QuestionGuide, guide, phrase

__all__ = [
    "STANDARD_METADATA",
    "MetaField",
    "csv_template",
    "metadata_fields",
    "sheet_columns",
    "sheet_row",
    "yaml_template",
]

#: Width of comment lines in YAML sheets (keys and answers may run longer).
WIDTH = 100


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
