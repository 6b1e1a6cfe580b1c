"""The cohort report's own words, per language; texts from the questionnaire come from it."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["LABELS", "labels_for"]

#: The cohort report's own words, per language.
LABELS: Mapping[str, Mapping[str, str]] = {
    "de": {
        "report": "Kohortenbericht",
        "members": "Mitglieder",
        "instrument": "Instrument",
        "version": "Version",
        "min_group": "Mindestgröße für Kennzahlen",
        "overview": "Verteilung je Handlungsfeld",
        "overview_help": "Median, mittlere Hälfte (1. bis 3. Quartil) und Spannweite der "
        "Punktzahlen (0–100) in der Kohorte. „Ohne Wert“ zählt Mitglieder, deren Handlungsfeld "
        "nicht bewertbar ist.",
        "overview_caption": "Balken: mittlere Hälfte der Kohorte (1. bis 3. Quartil); Strich: "
        "Median; Linie: Spannweite vom niedrigsten bis zum höchsten Wert.",
        "dimension": "Handlungsfeld / Thema",
        "overall": "Gesamtergebnis",
        "overall_short": "Gesamt",
        "n": "n",
        "missing": "ohne Wert",
        "median": "Median",
        "quartiles": "1.–3. Quartil",
        "range": "Min. – Max.",
        "member_table": "Mitglieder im Vergleich",
        "member_help": "Punktzahl je Handlungsfeld mit der Stufe als Farbe und dem Rang in "
        "Klammern (1 = höchste Punktzahl; Gleichstände teilen den Rang). Sortiert nach dem "
        "Gesamtergebnis.",
        "member_help_unranked": "Punktzahl je Handlungsfeld mit der Stufe als Farbe, nach Namen "
        "sortiert. Der Vergleich ist keine Rangliste: Er zeigt, wo jedes Mitglied steht.",
        "member": "Mitglied",
        "rank": "Rang",
        "legend": "Stufen",
        "not_assessable": "nicht bewertbar",
        "groups": "Vergleichsgruppen",
        "groups_help": "Median der Punktzahlen in Gruppen mit gleichen Merkmalen. Gruppen mit "
        "weniger als {n} Mitgliedern werden nicht ausgewiesen – weder Werte noch Größe –, "
        "damit keine Rückschlüsse auf einzelne Mitglieder möglich sind.",
        "group": "Gruppe",
        "suppressed": "unterdrückt: weniger als {n} Mitglieder",
        "suppressed_cell": "unterdrückt",
        "unknown": "ohne Angabe",
        "dont_know": "Häufigste Antworten „weiß nicht“",
        "dont_know_help": "Anteil der Mitglieder, denen die Frage gestellt wurde, die mit "
        "„weiß nicht“ geantwortet haben. Hohe Anteile zeigen, wo Wissen fehlt oder zwischen "
        "Stellen verteilt ist – gute Themen für einen gemeinsamen Workshop.",
        "question": "Frage",
        "field": "Handlungsfeld",
        "share": "Anteil",
        "count": "Anzahl",
        "of": "von",
        "no_dont_know": "Keine Frage wurde mit „weiß nicht“ beantwortet.",
        "heatmap": "Punktzahl je Frage und Mitglied",
        "heatmap_help": "Jede Zeile ein Mitglied (in der Reihenfolge der Tabelle oben), jede "
        "Spalte eine Frage, nach Handlungsfeldern gruppiert. Grau: keine Punktzahl – „weiß "
        "nicht“, nicht beantwortet, trifft nicht zu oder ausgeblendet.",
        "heatmap_value": "Punktzahl der Frage (0–100)",
        "heatmap_missing": "keine Punktzahl",
        "heatmap_elsewhere": "Die Übersicht der Punktzahlen je Frage und Mitglied (Heatmap) "
        "enthält der HTML-Bericht.",
        "too_small": "Weniger als {n} Mitglieder haben ein Gesamtergebnis. Kennzahlen, "
        "Mitgliedertabelle und Heatmap werden deshalb nicht ausgewiesen.",
        "method": "So entstehen die Kennzahlen",
        "method_text": "Median und Quartile: lineare Interpolation zwischen den geordneten "
        "Punktzahlen (Typ 7 in R). Rang: 1 ist die höchste Punktzahl, Gleichstände teilen den "
        "besten Rang. Mitglieder ohne Punktzahl in einem Handlungsfeld zählen dort als „ohne "
        "Wert“ und erhalten keinen Rang. „Weiß nicht“-Anteil: Antworten „weiß nicht“ geteilt "
        "durch die Mitglieder, denen die Frage gestellt wurde. Jede Kennzahl, die auf weniger "
        "als {n} Mitgliedern beruht, wird unterdrückt.",
        "notes": "Hinweise",
        "decimal": ",",
        "percent": "\u202f%",
    },
    "en": {
        "report": "Cohort report",
        "members": "members",
        "instrument": "Instrument",
        "version": "Version",
        "min_group": "Minimum size for figures",
        "overview": "Distribution per field",
        "overview_help": "Median, middle half (first to third quartile) and range of the "
        'scores (0–100) in the cohort. "No score" counts members whose field is not '
        "assessable.",
        "overview_caption": "Bar: middle half of the cohort (first to third quartile); tick: "
        "median; line: range from the lowest to the highest score.",
        "dimension": "Field / topic",
        "overall": "Overall result",
        "overall_short": "Overall",
        "n": "n",
        "missing": "no score",
        "median": "Median",
        "quartiles": "Q1–Q3",
        "range": "Min – max",
        "member_table": "Members compared",
        "member_help": "Score per field, coloured by level, with the rank in brackets (1 = "
        "highest score; ties share a rank). Sorted by the overall result.",
        "member_help_unranked": "Score per field, coloured by level, sorted by name. The "
        "comparison is not a league table: it shows where each member stands.",
        "member": "Member",
        "rank": "Rank",
        "legend": "Levels",
        "not_assessable": "not assessable",
        "groups": "Peer groups",
        "groups_help": "Median scores in groups sharing a characteristic. Groups with fewer "
        "than {n} members are not shown – neither figures nor size – so that no single "
        "member's results can be inferred.",
        "group": "Group",
        "suppressed": "suppressed: fewer than {n} members",
        "suppressed_cell": "suppressed",
        "unknown": "not stated",
        "dont_know": 'Questions most often answered "don\'t know"',
        "dont_know_help": "Share of the members who were asked the question and answered \"don't "
        'know". High shares show where knowledge is missing or spread across departments – '
        "good topics for a joint workshop.",
        "question": "Question",
        "field": "Field",
        "share": "Share",
        "count": "Count",
        "of": "of",
        "no_dont_know": 'No question was answered "don\'t know".',
        "heatmap": "Score per question and member",
        "heatmap_help": "Each row is a member (in the order of the table above), each column a "
        'question, grouped by field. Grey: no score – "don\'t know", not answered, not '
        "applicable or hidden.",
        "heatmap_value": "Score of the question (0–100)",
        "heatmap_missing": "no score",
        "heatmap_elsewhere": "The overview of scores per question and member (heatmap) is in "
        "the HTML report.",
        "too_small": "Fewer than {n} members have an overall result, so figures, the member "
        "table and the heatmap are not shown.",
        "method": "How the figures are calculated",
        "method_text": "Median and quartiles: linear interpolation between the ordered scores "
        "(type 7 in R). Rank: 1 is the highest score; ties share the best rank. Members "
        'without a score in a field count there as "no score" and get no rank. "Don\'t know" '
        'share: "don\'t know" answers divided by the members who were asked the question. '
        "Every figure resting on fewer than {n} members is suppressed.",
        "notes": "Notes",
        "decimal": ".",
        "percent": "%",
    },
}


def labels_for(lang: str) -> Mapping[str, str]:
    """The cohort report's words in *lang* (English where it has none in *lang*)."""
    return LABELS.get(lang, LABELS["en"])
