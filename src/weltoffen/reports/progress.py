"""The "Entwicklung" / "Progress" report of one respondent over rounds, as Markdown and HTML.

Its own words are :data:`MESSAGES`, in English; their translations are in the gettext
catalogues with the other reports' words (:mod:`weltoffen.translations`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from html import escape
from typing import Literal, NamedTuple

from weltoffen.analysis.progress import AnswerChange, Progress, ScoreChange, Step
from weltoffen.model.answers import AnswerValue, State
from weltoffen.model.dimensions import Dimension
from weltoffen.model.queries import options_of
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.text import pick
from weltoffen.reports.markdown import escape as escape_md
from weltoffen.reports.numbers import number, plain_number, signed_number
from weltoffen.reports.texts import labels_for
from weltoffen.translations import N_, Messages, translate

__all__ = ["MESSAGES", "progress_html", "progress_markdown"]

#: The report's own words by key, in English; translations are in the gettext catalogues.
MESSAGES: Messages = (
    N_("title", "Progress"),
    N_("rounds", "Rounds"),
    N_("rounds_caption", "The rounds compared, oldest first, scored under version {version}."),
    N_("round", "Round"),
    N_("date", "Date"),
    N_("version", "Answered to version"),
    N_("overall", "Overall score"),
    N_("change", "Change"),
    N_("changes", "Change from {before} to {after}"),
    N_("scores_caption", "Scores (0–100) of both rounds and the change; {rule}."),
    N_("field", "Field"),
    N_("before", "Before"),
    N_("after", "After"),
    N_("real", "Real change?"),
    N_("yes", "yes"),
    N_("no", "no"),
    N_("none", "–"),
    N_("no_answer", "no answer"),
    N_("answers", "Answers changed"),
    N_("answers_caption", "Answers that differ between the two rounds."),
    N_("no_answers", "No answer changed."),
    N_("question", "Question"),
    N_("suggestions", "Suggestions of the earlier report"),
    N_("suggestions_caption", "Suggestions made last time and whether they are done now."),
    N_("no_suggestions", "The earlier report made no suggestion that names its questions."),
    N_("suggestion", "Suggestion"),
    N_("done", "Done now?"),
    N_("advice", "What-if advice of the earlier report"),
    N_(
        "advice_caption",
        "Answers the earlier advice showed as the largest gain, and what was answered now.",
    ),
    N_("advised", "Advised"),
    N_("taken", "Acted on?"),
    N_("no_advice", "The earlier report gave no what-if advice."),
    N_("notes", "Not carried from older versions"),
    N_(
        "note",
        "{round}: the answer to question {question} is not carried over to the new version.",
    ),
    N_("method", "How a change is judged"),
    N_("profiles", "Profile of each round"),
    N_("radar_alt", "Radar chart of the field scores (0–100) per round. {values}"),
    N_(
        "dumbbell_alt",
        "Field scores (0–100) from {before} (hollow dot) to {after} (filled dot). {values}",
    ),
    N_(
        "method_text",
        "Every round is scored under the same random draws of weights, aggregation and "
        "missing-answer policy (the sensitivity analysis, {draws} draws). {Rule}. A smaller "
        "change is shown but may come from the method alone.",
    ),
    N_("rule", "a change is real when the 5–95 % intervals of the two rounds do not overlap"),
)


@functools.cache
def _words(lang: str) -> Mapping[str, str]:
    return translate(MESSAGES, lang)


def _titles(q: Questionnaire, lang: str) -> dict[str, str]:
    out: dict[str, str] = {}

    def walk(dims: Sequence[Dimension]) -> None:
        for d in dims:
            out[d.id] = pick(d.title, lang, q.language) or d.id
            walk(d.dimensions)

    walk(q.dimensions)
    return out


def _num(value: float | None, lang: str, signed: bool = False) -> str:
    if value is None:
        return _words(lang)["none"]
    return signed_number(value, lang) if signed else number(value, lang).replace("-", "−")


class _Answers:
    """Answers as the reader knows them: option labels, yes/no and states in the report's
    language, numbers in its way; and questions by their text."""

    def __init__(self, q: Questionnaire, lang: str) -> None:
        scales = {scale.id: scale.options for scale in q.scales}
        self.lang, self.default = lang, q.language
        self.questions = {x.id: x for _, x in q.iter_questions()}
        self.labels = {
            x.id: {
                o.value: pick(o.label, lang, q.language) or str(o.value)
                for o in options_of(x, scales)
            }
            for x in self.questions.values()
        }
        self.states = labels_for(lang)

    def question(self, qid: str) -> str:
        question = self.questions.get(qid)
        if question is None:
            return qid
        return f"{qid}: {pick(question.text, self.lang, self.default) or qid}"

    def __call__(self, qid: str, value: AnswerValue | None) -> str:
        w = _words(self.lang)
        if value is None:
            return w["no_answer"]
        if isinstance(value, State):
            key = "not_applicable_state" if value is State.NOT_APPLICABLE else value.value
            return self.states.get(key, value.value)
        if isinstance(value, bool):
            return w["yes" if value else "no"]
        labels = self.labels.get(qid, {})
        if isinstance(value, list | tuple):
            return ", ".join(labels.get(v, plain_number(v, self.lang)) for v in value)
        if isinstance(value, str) and value in labels:
            return labels[value]
        return plain_number(value, self.lang)


def _name(progress: Progress) -> str:
    """Who the report is about: the name the latest round gives (as the other reports show
    it), else the respondent id."""
    name = progress.rounds[-1].result.metadata.get("name")
    return name if isinstance(name, str) and name.strip() else progress.respondent


def _rule(lang: str) -> str:
    return _words(lang)["rule"]


def _table(
    caption: str, head: Sequence[str], rows: Sequence[Sequence[str]], lang: str
) -> tuple[str, list[str]]:
    """One table as (HTML, Markdown lines). In HTML, long words get soft hyphens, so that a
    table of long German compounds still fits the page."""
    from weltoffen.reports.hyphens import hyphenate

    def cell(text: str) -> str:
        return escape(hyphenate(text, lang))

    cells = "".join(f'<th scope="col">{cell(h)}</th>' for h in head)
    body = "".join(
        "<tr>"
        + f'<th scope="row">{cell(row[0])}</th>'
        + "".join(f"<td>{cell(c)}</td>" for c in row[1:])
        + "</tr>"
        for row in rows
    )
    html = (
        f"<table><caption>{escape(caption)}</caption><thead><tr>{cells}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )

    def md(row: Sequence[str]) -> str:
        return "| " + " | ".join(escape_md(c) for c in row) + " |"

    rule = "| " + " | ".join("---" for _ in head) + " |"
    lines = [f"*{escape_md(caption)}*", "", md(head), rule, *(md(r) for r in rows)]
    return html, lines


def _score_rows(step: Step, titles: Mapping[str, str], lang: str) -> list[list[str]]:
    w = _words(lang)

    def row(label: str, change: ScoreChange) -> list[str]:
        real = w["none"] if change.change is None else w["yes" if change.real else "no"]
        return [
            label,
            _num(change.before, lang),
            _num(change.after, lang),
            _num(change.change, lang, signed=True),
            real,
        ]

    rows = [row(w["overall"], step.overall)]
    rows += [row(titles.get(str(c.dimension), str(c.dimension)), c) for c in step.fields]
    return rows


def _answer_rows(answers: Sequence[AnswerChange], said: _Answers) -> list[list[str]]:
    return [
        [said.question(a.question), said(a.question, a.before), said(a.question, a.after)]
        for a in answers
    ]


Block = tuple[str, list[str]] | str


class _Section(NamedTuple):
    """A heading, its blocks (a table as (HTML, Markdown lines), or a paragraph) and the chart
    that goes with it in HTML: the radar of every round, or the dumbbell of step *n*."""

    level: int
    heading: str
    blocks: list[Block]
    chart: Literal["radar"] | int | None = None


def _sections(progress: Progress, q: Questionnaire, lang: str, draws: int) -> list[_Section]:
    """The report's sections, in order."""
    w = _words(lang)
    titles = _titles(q, lang)
    said = _Answers(q, lang)
    rounds = [
        [r.label, r.date or w["none"], r.version, _num(r.result.score, lang)]
        for r in progress.rounds
    ]
    out: list[_Section] = [
        _Section(
            2,
            w["rounds"],
            [
                _table(
                    w["rounds_caption"].format(version=progress.version),
                    [w["round"], w["date"], w["version"], w["overall"]],
                    rounds,
                    lang,
                )
            ],
            "radar",
        )
    ]
    for number_, step in enumerate(progress.steps):
        blocks: list[Block] = [
            _table(
                w["scores_caption"].format(rule=_rule(lang)),
                [w["field"], w["before"], w["after"], w["change"], w["real"]],
                _score_rows(step, titles, lang),
                lang,
            )
        ]
        heading = w["changes"].format(before=step.before, after=step.after)
        out.append(_Section(2, heading, blocks, number_))
        out.append(
            _Section(
                3,
                w["answers"],
                [
                    _table(
                        w["answers_caption"],
                        [w["question"], w["before"], w["after"]],
                        _answer_rows(step.answers, said),
                        lang,
                    )
                ]
                if step.answers
                else [w["no_answers"]],
            )
        )
        suggestions = [
            [pick(s.text, lang, q.language), w["yes" if s.done else "no"]] for s in step.suggestions
        ]
        out.append(
            _Section(
                3,
                w["suggestions"],
                [_table(w["suggestions_caption"], [w["suggestion"], w["done"]], suggestions, lang)]
                if suggestions
                else [w["no_suggestions"]],
            )
        )
        advice = [
            [
                said.question(a.question),
                said(a.question, a.before),
                said(a.question, a.advised),
                said(a.question, a.after),
                w["yes" if a.taken else "no"],
            ]
            for a in step.advice
        ]
        out.append(
            _Section(
                3,
                w["advice"],
                [
                    _table(
                        w["advice_caption"],
                        [w["question"], w["before"], w["advised"], w["after"], w["taken"]],
                        advice,
                        lang,
                    )
                ]
                if advice
                else [w["no_advice"]],
            )
        )
    notes: list[Block] = [
        w["note"].format(round=r.label, question=n.question, message=n.message)
        for r in progress.rounds
        for n in r.notes
    ]
    if notes:
        out.append(_Section(2, w["notes"], notes))
    rule = _rule(lang)
    out.append(
        _Section(
            2, w["method"], [w["method_text"].format(draws=draws, Rule=rule[0].upper() + rule[1:])]
        )
    )
    return out


def progress_markdown(progress: Progress, q: Questionnaire, lang: str, *, draws: int) -> str:
    """The report as Markdown (a ``#`` heading, then ``##`` sections)."""
    w = _words(lang)
    # texts from files (names, answers, labels) are escaped: they neither inject HTML nor markup
    lines = [f"# {escape_md(w['title'])}: {escape_md(_name(progress))}", ""]
    for level, heading, blocks, _ in _sections(progress, q, lang, draws):
        lines += ["#" * level + " " + escape_md(heading), ""]
        for block in blocks:
            lines += [*block[1], ""] if isinstance(block, tuple) else [escape_md(block), ""]
    return "\n".join(lines).rstrip() + "\n"


def _charts(progress: Progress, q: Questionnaire, lang: str) -> tuple[str, list[str]]:
    """The radar of every round and one dumbbell chart per step, each with its numbers as text."""
    from weltoffen.reports.charts import described, dumbbell_svg, rounds_radar_svg

    w = _words(lang)
    titles = _titles(q, lang)
    ids = [d.id for d in progress.rounds[-1].result.dimensions]
    labels = [titles.get(i, i) for i in ids]

    def scores(k: int) -> list[float | None]:
        by_id = {d.id: d.score for d in progress.rounds[k].result.dimensions}
        return [by_id.get(i) for i in ids]

    series = [(r.label, scores(k)) for k, r in enumerate(progress.rounds)]
    listed = "; ".join(
        f"{name}: " + ", ".join(f"{t} {_num(v, lang)}" for t, v in zip(labels, values, strict=True))
        for name, values in series
    )
    radar = described(rounds_radar_svg(labels, series), w["radar_alt"].format(values=listed))
    dumbbells = []
    for k, step in enumerate(progress.steps):
        before, after = scores(k), scores(k + 1)
        values = "; ".join(
            f"{t}: {_num(b, lang)} → {_num(a, lang)}"
            for t, b, a in zip(labels, before, after, strict=True)
        )
        alt = w["dumbbell_alt"].format(before=step.before, after=step.after, values=values)
        svg = dumbbell_svg(labels, before, after, (step.before, step.after))
        dumbbells.append(described(svg, alt))
    return radar, dumbbells


def progress_html(progress: Progress, q: Questionnaire, lang: str, *, draws: int) -> str:
    """The report as a standalone HTML page."""
    w = _words(lang)
    title = f"{w['title']}: {_name(progress)}"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(lang)}"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:auto;font-size:11pt}"
        "table{border-collapse:collapse;margin:1em 0;width:100%;font-size:9pt}"
        "th,td{border:1px solid #999;padding:.15em .4em;text-align:left;vertical-align:top}"
        "tbody th{font-weight:normal}caption{text-align:left;font-style:italic}"
        ".chart{margin:.5em 0;break-inside:avoid}"
        ".chart svg{max-width:100%;height:auto}"
        # on paper the page's width is the limit, and the long tables of answers take less room
        "@media print{body{max-width:none;font-size:10pt}table{font-size:8pt}}</style>",
        f"</head><body><main><h1>{escape(title)}</h1>",
    ]
    radar, dumbbells = _charts(progress, q, lang)
    for level, heading, blocks, chart in _sections(progress, q, lang, draws):
        parts.append(f"<h{level}>{escape(heading)}</h{level}>")
        if chart is not None:
            figure = radar if chart == "radar" else dumbbells[chart]
            parts.append(f'<figure class="chart">{figure}</figure>')
        for block in blocks:
            parts.append(block[0] if isinstance(block, tuple) else f"<p>{escape(block)}</p>")
    parts.append("</main></body></html>")
    return "\n".join(parts) + "\n"
