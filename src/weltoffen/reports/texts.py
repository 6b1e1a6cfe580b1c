"""The single report's own words (headings, states, captions), per language.

Texts from the questionnaire (titles, answer labels, feedback) come from the questionnaire; this
catalogue holds only what the report itself says around them.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["LABELS", "labels_for"]

#: The report's own words, per language. Texts from the questionnaire come from the questionnaire.
LABELS: Mapping[str, Mapping[str, str]] = {
    "de": {
        "report": "Ergebnisbericht",
        "respondent": "Kennung",
        "instrument": "Instrument",
        "version": "Version",
        "fingerprint": "Fingerabdruck der Wertung",
        "overview": "Überblick",
        "overall": "Gesamtergebnis",
        "score": "Punktzahl",
        "of_100": "von 100",
        "points": "Punkte",
        "band": "Stufe",
        "coverage": "Abdeckung",
        "coverage_help": "Anteil der (gewichteten) Fragen, die beantwortet wurden",
        "not_assessable": "nicht bewertbar",
        "not_applicable": "entfällt",
        "profile": "Profil der Handlungsfelder",
        "radar_caption": "Punktzahl je Handlungsfeld (0–100); die Ringe markieren die Stufen.",
        "bars_caption": "Punktzahl je Handlungsfeld, eingefärbt nach Stufe.",
        "field": "Handlungsfeld",
        "fields": "Handlungsfelder",
        "subtopics": "Themen in diesem Handlungsfeld",
        "subtopic": "Thema",
        "feedback": "Einschätzung",
        "suggestions": "Anregungen für die Weiterarbeit",
        "strongest": "Stärken",
        "strongest_help": "Die am besten bewerteten Antworten in diesem Handlungsfeld.",
        "weakest": "Entwicklungsfelder",
        "weakest_help": "Die am schwächsten bewerteten Antworten in diesem Handlungsfeld.",
        "open": "Offene Fragen für den Workshop",
        "open_help": "Diese Fragen wurden mit „weiß nicht“ beantwortet oder ausgelassen. "
        "Klären Sie sie gemeinsam mit anderen Fachbereichen.",
        "what_if": "Was wäre, wenn …? Die größten Hebel",
        "what_if_help": "Um so viele Punkte stiege die Punktzahl des Handlungsfelds, wenn sich "
        "nur diese eine Antwort änderte. Jede Zahl ist durch Neuberechnung ermittelt.",
        "now": "Bisher",
        "then": "Stattdessen",
        "gain": "Zugewinn",
        "in_field": "im Handlungsfeld",
        "overall_short": "gesamt",
        "steps": "Zwischenschritte",
        "lever": "Größter Hebel (Zugewinn im Thema)",
        "none": "keine",
        "answer": "Antwort",
        "question": "Frage",
        "evidence": "Belege und Anmerkungen",
        "yes": "Ja",
        "no": "Nein",
        "dont_know": "weiß nicht",
        "skipped": "nicht beantwortet",
        "answered": "beantwortet",
        "not_applicable_state": "trifft nicht zu",
        "hidden": "ausgeblendet",
        "answers": "Antworten",
        "cohort": "Einordnung in die Vergleichsgruppe",
        "cohort_help": "Die Vergleichsgruppe dient der Einordnung, nicht einer Rangliste. "
        "Das Perzentil gibt an, welcher Anteil der Gruppe eine niedrigere Punktzahl hat "
        "(Gleichstände zählen zur Hälfte).",
        "cohort_caption": "Balken: mittlere Hälfte der Gruppe (1. bis 3. Quartil); Strich: "
        "Median; Linie: Spannweite; Raute: Ihr Ergebnis.",
        "appendix": "Anhang: Einzelheiten je Handlungsfeld",
        "appendix_help": "Für die Arbeit im Workshop: die Teilbereiche, die Antworten mit der "
        "größten Hebelwirkung, offene Fragen und Ihre Belege.",
        "whole_cohort": "Alle Mitglieder",
        "peers": "Mitglieder mit denselben Merkmalen: {group}",
        "peers_help": "Dieselben Kennzahlen, nur unter den Mitgliedern, die Ihnen in diesen "
        "Merkmalen gleichen: Mit ihnen lässt sich am ehesten vergleichen.",
        "members": "Mitglieder",
        "median": "Median",
        "quartiles": "Mittlere Hälfte",
        "range": "Spannweite",
        "percentile": "Perzentil",
        "own": "Ihr Ergebnis",
        "too_few": "zu wenige Vergleichswerte",
        "method": "So entsteht das Ergebnis",
        "method_text": "Jede beantwortete Frage erhält eine Punktzahl von 0 bis 100. Die "
        "Punktzahl eines Handlungsfelds ist der gewichtete Mittelwert seiner Fragen und Themen; "
        "„weiß nicht“ und ausgelassene Fragen fließen nicht ein, „trifft nicht zu“ verkleinert "
        "die Bezugsgröße. Die Abdeckung zeigt, auf wie viel beantworteten Fragen eine Punktzahl "
        "beruht; ist sie zu gering, gilt das Handlungsfeld als nicht bewertbar. Das "
        "Gesamtergebnis fasst die Handlungsfelder nach der Regel des Instruments zusammen.",
        "sensitivity": "Wie robust ist das Ergebnis?",
        "sensitivity_intro": "Das Ergebnis hängt auch von methodischen Festlegungen ab – "
        "Gewichte, Art der Zusammenfassung, Umgang mit fehlenden Antworten. Für diesen "
        "Abschnitt wurden diese Festlegungen {draws}-mal zufällig variiert (Startwert {seed}) "
        "und die Antworten jedes Mal neu bewertet. Ein schmales Intervall heißt: Das Ergebnis "
        "hängt kaum von diesen Festlegungen ab.",
        "sensitivity_caption": "Balken: {interval}-Intervall der Punktzahl über alle "
        "Varianten; Strich: Median; Raute: Ergebnis nach den Festlegungen des Instruments.",
        "interval": "{lo}–{hi}\u202f%",
        "nominal": "Nach Instrument",
        "band_chances": "Wahrscheinlichkeit je Stufe",
        "no_score": "keine Punktzahl",
        "rank_text": "Rang in der Vergleichsgruppe ({members} Mitglieder): {nominal} nach den "
        "Festlegungen des Instruments, im Median {median}, {interval}-Intervall {low} bis "
        "{high}.",
        "varied": "Was variiert wurde",
        "varied_help": "Zufällig variiert wurden:",
        "draws_text": "{draws} Varianten, Startwert {seed}: Dieselben Angaben ergeben "
        "dieselben Zahlen.",
        "decimal": ",",
        "percent": "\u202f%",
    },
    "en": {
        "report": "Results report",
        "respondent": "Respondent ID",
        "instrument": "Instrument",
        "version": "Version",
        "fingerprint": "Scoring fingerprint",
        "overview": "Overview",
        "overall": "Overall result",
        "score": "Score",
        "of_100": "out of 100",
        "points": "points",
        "band": "Level",
        "coverage": "Coverage",
        "coverage_help": "Share of the (weighted) questions that were answered",
        "not_assessable": "not assessable",
        "not_applicable": "not applicable",
        "profile": "Profile of the fields",
        "radar_caption": "Score per field (0–100); the rings mark the levels.",
        "bars_caption": "Score per field, coloured by level.",
        "field": "Field",
        "fields": "Fields",
        "subtopics": "Topics in this field",
        "subtopic": "Topic",
        "feedback": "Assessment",
        "suggestions": "Suggestions for further work",
        "strongest": "Strengths",
        "strongest_help": "The answers with the highest scores in this field.",
        "weakest": "Areas to develop",
        "weakest_help": "The answers with the lowest scores in this field.",
        "open": "Open questions for the workshop",
        "open_help": 'These questions were answered "don\'t know" or left out. Settle them '
        "together with other departments.",
        "what_if": "What if …? The biggest levers",
        "what_if_help": "The field's score would rise by this many points if only this one "
        "answer changed. Every figure comes from scoring the changed answers again.",
        "now": "Now",
        "then": "Instead",
        "gain": "Gain",
        "in_field": "in the field",
        "overall_short": "overall",
        "steps": "Steps on the way",
        "lever": "Biggest lever (gain in the topic)",
        "none": "none",
        "answer": "Answer",
        "question": "Question",
        "evidence": "Evidence and comments",
        "yes": "Yes",
        "no": "No",
        "dont_know": "don't know",
        "skipped": "not answered",
        "answered": "answered",
        "not_applicable_state": "not applicable",
        "hidden": "hidden",
        "answers": "Answers",
        "cohort": "Position in the cohort",
        "cohort_help": "The cohort puts the result in context; it is not a league table. The "
        "percentile is the share of the cohort with a lower score (ties count half).",
        "cohort_caption": "Bar: middle half of the cohort (first to third quartile); tick: "
        "median; line: range; diamond: your result.",
        "appendix": "Appendix: details per field",
        "appendix_help": "For the workshop: the subtopics, the answers with the greatest "
        "leverage, open questions and your evidence.",
        "whole_cohort": "All members",
        "peers": "Members with the same characteristics: {group}",
        "peers_help": "The same figures among the members alike in these characteristics only: "
        "the comparison that says most.",
        "members": "Members",
        "median": "Median",
        "quartiles": "Middle half",
        "range": "Range",
        "percentile": "Percentile",
        "own": "Your result",
        "too_few": "too few to compare",
        "method": "How the result is calculated",
        "method_text": "Every answered question earns a score from 0 to 100. A field's score is "
        'the weighted mean of its questions and topics; "don\'t know" and skipped questions '
        'are left out, "not applicable" shrinks the base. Coverage shows how much of a score '
        "rests on answered questions; when it is too low, the field is not assessable. The "
        "overall result combines the fields by the instrument's rule.",
        "sensitivity": "How robust is the result?",
        "sensitivity_intro": "The result also depends on methodological choices – weights, "
        "how scores are combined, how missing answers count. For this section those choices "
        "were varied at random {draws} times (seed {seed}) and the answers scored again each "
        "time. A narrow interval means the result hardly depends on these choices.",
        "sensitivity_caption": "Bar: {interval} interval of the score over all variants; "
        "tick: median; diamond: the result under the instrument's own choices.",
        "interval": "{lo}–{hi}%",
        "nominal": "As defined",
        "band_chances": "Probability of each level",
        "no_score": "no score",
        "rank_text": "Rank in the cohort ({members} members): {nominal} under the "
        "instrument's own choices, median {median}, {interval} interval {low} to {high}.",
        "varied": "What was varied",
        "varied_help": "Varied at random:",
        "draws_text": "{draws} variants, seed {seed}: the same inputs give the same figures.",
        "decimal": ".",
        "percent": "%",
    },
}


def labels_for(lang: str) -> Mapping[str, str]:
    """The report's words in *lang* (English where the report has no words in *lang*)."""
    return LABELS.get(lang, LABELS["en"])
