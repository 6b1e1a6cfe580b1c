"""The single report's own words (headings, states, captions), in English; translations are in
the gettext catalogues (:mod:`weltoffen.translations`).

Texts from the questionnaire (titles, answer labels, feedback) come from the questionnaire; this
table holds only what the report itself says around them.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from weltoffen.translations import N_, Messages, translate

__all__ = ["MESSAGES", "labels_for"]

#: The report's own words by key, in English.
MESSAGES: Messages = (
    N_("report", "Results report"),
    N_("respondent", "Respondent ID"),
    N_("instrument", "Instrument"),
    N_("version", "Version"),
    N_("fingerprint", "Scoring fingerprint"),
    N_("overview", "Overview"),
    N_("overall", "Overall result"),
    N_("score", "Score"),
    N_("of_100", "out of 100"),
    N_("points", "points"),
    N_("band", "Level"),
    N_("coverage", "Coverage"),
    N_("coverage_help", "Share of the (weighted) questions that were answered"),
    N_("not_assessable", "not assessable"),
    N_("not_applicable", "not applicable"),
    N_("profile", "Profile of the fields"),
    N_("radar_caption", "Score per field (0–100); the rings mark the levels."),
    N_("bars_caption", "Score per field, coloured by level."),
    N_("field", "Field"),
    N_("fields", "Fields"),
    N_("subtopics", "Topics in this field"),
    N_("subtopic", "Topic"),
    N_("feedback", "Assessment"),
    N_("suggestions", "Suggestions for further work"),
    N_("strongest", "Strengths"),
    N_("strongest_help", "The answers with the highest scores in this field."),
    N_("weakest", "Areas to develop"),
    N_("weakest_help", "The answers with the lowest scores in this field."),
    N_("open", "Open questions for the workshop"),
    N_(
        "open_help",
        'These questions were answered "don\'t know" or left out. Settle them together with '
        "other departments.",
    ),
    N_("what_if", "What if …? The biggest levers"),
    N_(
        "what_if_help",
        "The field's score would rise by this many points if only this one answer changed. Every "
        "figure comes from scoring the changed answers again.",
    ),
    N_("now", "Now"),
    N_("then", "Instead"),
    N_("gain", "Gain"),
    N_("in_field", "in the field"),
    N_("overall_short", "overall"),
    N_("steps", "Steps on the way"),
    N_("lever", "Biggest lever (gain in the topic)"),
    N_("none", "none"),
    N_("answer", "Answer"),
    N_("question", "Question"),
    N_("evidence", "Evidence and comments"),
    N_("yes", "Yes"),
    N_("no", "No"),
    N_("dont_know", "don't know"),
    N_("skipped", "not answered"),
    N_("answered", "answered"),
    N_("not_applicable_state", "not applicable"),
    N_("hidden", "hidden"),
    N_("answers", "Answers"),
    N_("cohort", "Position in the cohort"),
    N_(
        "cohort_help",
        "The cohort puts the result in context; it is not a league table. The percentile is the "
        "share of the cohort with a lower score (ties count half).",
    ),
    N_(
        "cohort_caption",
        "Bar: middle half of the cohort (first to third quartile); tick: median; line: range; "
        "diamond: your result.",
    ),
    N_("appendix", "Appendix: details per field"),
    N_(
        "appendix_help",
        "For the workshop: the subtopics, the answers with the greatest leverage, open questions "
        "and your evidence.",
    ),
    N_("whole_cohort", "All members"),
    N_("peers", "Members with the same characteristics: {group}"),
    N_(
        "peers_help",
        "The same figures among the members alike in these characteristics only: the comparison "
        "that says most.",
    ),
    N_("members", "Members"),
    N_("median", "Median"),
    N_("quartiles", "Middle half"),
    N_("range", "Range"),
    N_("percentile", "Percentile"),
    N_("own", "Your result"),
    N_("too_few", "too few to compare"),
    N_("method", "How the result is calculated"),
    N_(
        "method_text",
        "Every answered question earns a score from 0 to 100. A field's score is the weighted "
        'mean of its questions and topics; "don\'t know" and skipped questions are left out, '
        '"not applicable" shrinks the base. Coverage shows how much of a score rests on answered '
        "questions; when it is too low, the field is not assessable. The overall result combines "
        "the fields by the instrument's rule.",
    ),
    N_("sensitivity", "How robust is the result?"),
    N_(
        "sensitivity_intro",
        "The result also depends on methodological choices – weights, how scores are combined, "
        "how missing answers count. For this section those choices were varied at random {draws} "
        "times (seed {seed}) and the answers scored again each time. A narrow interval means the "
        "result hardly depends on these choices.",
    ),
    N_(
        "sensitivity_caption",
        "Bar: {interval} interval of the score over all variants; tick: median; diamond: the "
        "result under the instrument's own choices.",
    ),
    N_("interval", "{lo}–{hi}%"),
    N_("nominal", "As defined"),
    N_("band_chances", "Probability of each level"),
    N_("no_score", "no score"),
    N_(
        "rank_text",
        "Rank in the cohort ({members} members): {nominal} under the instrument's own choices, "
        "median {median}, {interval} interval {low} to {high}.",
    ),
    N_("varied", "What was varied"),
    N_("varied_help", "Varied at random:"),
    N_("draws_text", "{draws} variants, seed {seed}: the same inputs give the same figures."),
)


@functools.cache
def labels_for(lang: str) -> Mapping[str, str]:
    """The report's words in *lang* (English where its catalogue has none)."""
    return translate(MESSAGES, lang)
