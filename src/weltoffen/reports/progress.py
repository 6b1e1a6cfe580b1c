"""The "Entwicklung" / "Progress" report of one respondent over rounds, as Markdown and HTML.

Its own words are held in :data:`WORDS`, one place per language (to be moved to the gettext
catalogues with the other reports' words).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from weltoffen.analysis.progress import AnswerChange, Progress, ScoreChange, Step
from weltoffen.model.answers import AnswerValue
from weltoffen.model.dimensions import Dimension, Text
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.reports.numbers import number, plain_number

__all__ = ["WORDS", "progress_html", "progress_markdown"]

#: The report's own words by language and key.
WORDS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "title": "Progress",
        "rounds": "Rounds",
        "rounds_caption": "The rounds compared, oldest first, scored under version {version}.",
        "round": "Round",
        "date": "Date",
        "version": "Answered to version",
        "overall": "Overall score",
        "change": "Change",
        "changes": "Change from {before} to {after}",
        "scores_caption": "Scores (0–100) of both rounds and the change; {rule}.",
        "field": "Field",
        "before": "Before",
        "after": "After",
        "real": "Real change?",
        "yes": "yes",
        "no": "no",
        "none": "–",
        "no_answer": "no answer",
        "answers": "Answers changed",
        "answers_caption": "Answers that differ between the two rounds.",
        "no_answers": "No answer changed.",
        "question": "Question",
        "suggestions": "Suggestions of the earlier report",
        "suggestions_caption": "Suggestions made last time and whether they are done now.",
        "no_suggestions": "The earlier report made no suggestion that names its questions.",
        "suggestion": "Suggestion",
        "done": "Done now?",
        "advice": "What-if advice of the earlier report",
        "advice_caption": "Answers the earlier advice showed as the largest gain, and what "
        "was answered now.",
        "advised": "Advised",
        "taken": "Acted on?",
        "no_advice": "The earlier report gave no what-if advice.",
        "notes": "Not carried from older versions",
        "note": "{round}: {message}",
        "method": "How a change is judged",
        "profiles": "Profile of each round",
        "radar_alt": "Radar chart of the field scores (0–100) per round. {values}",
        "dumbbell_alt": "Field scores (0–100) from {before} (hollow dot) to {after} (filled "
        "dot). {values}",
        "method_text": "Every round is scored under the same random draws of weights, "
        "aggregation and missing-answer policy (the sensitivity analysis, {draws} draws). "
        "{Rule}. A smaller change is shown but may come from the method alone.",
    },
    "de": {
        "title": "Entwicklung",
        "rounds": "Runden",
        "rounds_caption": "Die verglichenen Runden, die älteste zuerst, bewertet nach Version "
        "{version}.",
        "round": "Runde",
        "date": "Datum",
        "version": "Beantwortet in Version",
        "overall": "Gesamtwert",
        "change": "Veränderung",
        "changes": "Veränderung von {before} zu {after}",
        "scores_caption": "Werte (0–100) beider Runden und die Veränderung; {rule}.",
        "field": "Handlungsfeld",
        "before": "Vorher",
        "after": "Nachher",
        "real": "Echte Veränderung?",
        "yes": "ja",
        "no": "nein",
        "none": "–",
        "no_answer": "keine Antwort",
        "answers": "Geänderte Antworten",
        "answers_caption": "Antworten, die sich zwischen den beiden Runden unterscheiden.",
        "no_answers": "Keine Antwort hat sich geändert.",
        "question": "Frage",
        "suggestions": "Vorschläge des früheren Berichts",
        "suggestions_caption": "Vorschläge der letzten Runde und ob sie jetzt umgesetzt sind.",
        "no_suggestions": "Der frühere Bericht machte keinen Vorschlag, der seine Fragen nennt.",
        "suggestion": "Vorschlag",
        "done": "Jetzt umgesetzt?",
        "advice": "Was-wäre-wenn-Hinweise des früheren Berichts",
        "advice_caption": "Antworten mit dem größten Zugewinn laut früherem Hinweis und die "
        "jetzige Antwort.",
        "advised": "Empfohlen",
        "taken": "Aufgegriffen?",
        "no_advice": "Der frühere Bericht gab keine Was-wäre-wenn-Hinweise.",
        "notes": "Aus älteren Versionen nicht übernommen",
        "note": "{round}: Die Antwort auf Frage {question} wird in der neuen Version nicht "
        "übernommen.",
        "method": "Wie eine Veränderung beurteilt wird",
        "profiles": "Profil jeder Runde",
        "radar_alt": "Netzdiagramm der Werte (0–100) je Handlungsfeld und Runde. {values}",
        "dumbbell_alt": "Werte (0–100) je Handlungsfeld von {before} (hohler Punkt) zu {after} "
        "(gefüllter Punkt). {values}",
        "method_text": "Jede Runde wird unter denselben zufälligen Varianten von Gewichten, "
        "Verdichtung und Umgang mit fehlenden Antworten bewertet (Sensitivitätsanalyse, "
        "{draws} Ziehungen). {Rule}. Eine kleinere Veränderung wird gezeigt, kann aber allein "
        "aus der Methode kommen.",
    },
}

_RULE = {
    "en": "a change is real when the 5–95 % intervals of the two rounds do not overlap",
    "de": "eine Veränderung gilt als echt, wenn sich die 5–95-%-Intervalle der beiden Runden "
    "nicht überschneiden",
}


def _words(lang: str) -> Mapping[str, str]:
    return WORDS.get(lang, WORDS["en"])


def _text(text: Text, lang: str, fallback: str) -> str:
    return text.get(lang) or next(iter(text.values()), fallback)


def _titles(q: Questionnaire, lang: str) -> dict[str, str]:
    out: dict[str, str] = {}

    def walk(dims: Sequence[Dimension]) -> None:
        for d in dims:
            out[d.id] = _text(d.title, lang, d.id)
            walk(d.dimensions)

    walk(q.dimensions)
    return out


def _num(value: float | None, lang: str, signed: bool = False) -> str:
    if value is None:
        return _words(lang)["none"]
    text = number(value, lang)
    if signed and value > 0:
        text = "+" + text
    return text.replace("-", "−")


def _answer(value: AnswerValue | None, lang: str) -> str:
    if value is None:
        return _words(lang)["no_answer"]
    if isinstance(value, list | tuple):
        return ", ".join(plain_number(v, lang) for v in value)
    if isinstance(value, bool):
        return _words(lang)["yes" if value else "no"]
    return plain_number(value, lang)


def _rule(lang: str) -> str:
    return _RULE.get(lang, _RULE["en"])


def _table(
    caption: str, head: Sequence[str], rows: Sequence[Sequence[str]]
) -> tuple[str, list[str]]:
    """One table as (HTML, Markdown lines)."""
    cells = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    body = "".join(
        "<tr>"
        + f'<th scope="row">{escape(row[0])}</th>'
        + "".join(f"<td>{escape(c)}</td>" for c in row[1:])
        + "</tr>"
        for row in rows
    )
    html = (
        f"<table><caption>{escape(caption)}</caption><thead><tr>{cells}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )

    def md(row: Sequence[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in row) + " |"

    lines = [f"*{caption}*", "", md(head), md(["---"] * len(head)), *(md(r) for r in rows)]
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


def _answer_rows(answers: Sequence[AnswerChange], lang: str) -> list[list[str]]:
    return [[a.question, _answer(a.before, lang), _answer(a.after, lang)] for a in answers]


def _sections(
    progress: Progress, q: Questionnaire, lang: str, draws: int
) -> list[tuple[int, str, list[tuple[str, list[str]] | str]]]:
    """(level, heading, blocks) where a block is a table or a paragraph."""
    w = _words(lang)
    titles = _titles(q, lang)
    rounds = [
        [r.label, r.date or w["none"], r.version, _num(r.result.score, lang)]
        for r in progress.rounds
    ]
    out: list[tuple[int, str, list[tuple[str, list[str]] | str]]] = [
        (
            2,
            w["rounds"],
            [
                _table(
                    w["rounds_caption"].format(version=progress.version),
                    [w["round"], w["date"], w["version"], w["overall"]],
                    rounds,
                )
            ],
        )
    ]
    for step in progress.steps:
        blocks: list[tuple[str, list[str]] | str] = [
            _table(
                w["scores_caption"].format(rule=_rule(lang)),
                [w["field"], w["before"], w["after"], w["change"], w["real"]],
                _score_rows(step, titles, lang),
            )
        ]
        out.append((2, w["changes"].format(before=step.before, after=step.after), blocks))
        out.append(
            (
                3,
                w["answers"],
                [
                    _table(
                        w["answers_caption"],
                        [w["question"], w["before"], w["after"]],
                        _answer_rows(step.answers, lang),
                    )
                ]
                if step.answers
                else [w["no_answers"]],
            )
        )
        suggestions = [
            [_text(s.text, lang, ""), w["yes" if s.done else "no"]] for s in step.suggestions
        ]
        out.append(
            (
                3,
                w["suggestions"],
                [_table(w["suggestions_caption"], [w["suggestion"], w["done"]], suggestions)]
                if suggestions
                else [w["no_suggestions"]],
            )
        )
        advice = [
            [
                a.question,
                _answer(a.before, lang),
                _answer(a.advised, lang),
                _answer(a.after, lang),
                w["yes" if a.taken else "no"],
            ]
            for a in step.advice
        ]
        out.append(
            (
                3,
                w["advice"],
                [
                    _table(
                        w["advice_caption"],
                        [w["question"], w["before"], w["advised"], w["after"], w["taken"]],
                        advice,
                    )
                ]
                if advice
                else [w["no_advice"]],
            )
        )
    notes: list[tuple[str, list[str]] | str] = [
        w["note"].format(round=r.label, question=n.question, message=n.message)
        for r in progress.rounds
        for n in r.notes
    ]
    if notes:
        out.append((2, w["notes"], notes))
    rule = _rule(lang)
    out.append(
        (2, w["method"], [w["method_text"].format(draws=draws, Rule=rule[0].upper() + rule[1:])])
    )
    return out


def progress_markdown(progress: Progress, q: Questionnaire, lang: str, *, draws: int) -> str:
    """The report as Markdown (a ``#`` heading, then ``##`` sections)."""
    w = _words(lang)
    lines = [f"# {w['title']}: {progress.respondent}", ""]
    for level, heading, blocks in _sections(progress, q, lang, draws):
        lines += ["#" * level + " " + heading, ""]
        for block in blocks:
            lines += [*block[1], ""] if isinstance(block, tuple) else [block, ""]
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
    title = f"{w['title']}: {progress.respondent}"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(lang)}"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:auto;font-size:11pt}"
        "table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #999;"
        "padding:.2em .5em;text-align:left}caption{text-align:left;font-style:italic}"
        ".chart svg{max-width:100%;height:auto}</style>",
        f"</head><body><main><h1>{escape(title)}</h1>",
    ]
    radar, dumbbells = _charts(progress, q, lang)
    steps = iter(dumbbells)
    for k, (level, heading, blocks) in enumerate(_sections(progress, q, lang, draws)):
        parts.append(f"<h{level}>{escape(heading)}</h{level}>")
        if k == 0:
            parts.append(f'<figure class="chart">{radar}</figure>')
        elif level == 2 and heading.startswith(w["changes"].split("{")[0]):
            parts.append(f'<figure class="chart">{next(steps, "")}</figure>')
        for block in blocks:
            parts.append(block[0] if isinstance(block, tuple) else f"<p>{escape(block)}</p>")
    parts.append("</main></body></html>")
    return "\n".join(parts) + "\n"
