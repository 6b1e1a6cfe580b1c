"""The cohort report's own words in English (translations are in the gettext catalogues); texts
from the questionnaire come from it."""

from __future__ import annotations

import functools
from collections.abc import Mapping

from weltoffen.translations import N_, Messages, translate

__all__ = ["MESSAGES", "labels_for"]

#: The cohort report's own words by key, in English.
MESSAGES: Messages = (
    N_("report", "Cohort report"),
    N_("members", "members"),
    N_("instrument", "Instrument"),
    N_("version", "Version"),
    N_("fingerprint", "Scoring fingerprint"),
    N_("min_group", "Minimum size for figures"),
    N_("overview", "Distribution per field"),
    N_(
        "overview_help",
        "Median, middle half (first to third quartile) and range of the scores (0–100) in the "
        'cohort. "No score" counts members whose field is not assessable.',
    ),
    N_(
        "overview_caption",
        "Bar: middle half of the cohort (first to third quartile); tick: median; line: range "
        "from the lowest to the highest score.",
    ),
    N_("dimension", "Field / topic"),
    N_("overall", "Overall result"),
    N_("overall_short", "Overall"),
    N_("n", "n"),
    N_("missing", "no score"),
    N_("median", "Median"),
    N_("quartiles", "Q1–Q3"),
    N_("range", "Min – max"),
    N_("member_table", "Members compared"),
    N_(
        "member_help",
        "Score per field, coloured by level, with the rank in brackets (1 = highest score; ties "
        "share a rank). Sorted by the overall result.",
    ),
    N_(
        "member_help_unranked",
        "Score per field, coloured by level, sorted by name. The comparison is not a league "
        "table: it shows where each member stands.",
    ),
    N_("member", "Member"),
    N_("rank", "Rank"),
    N_("legend", "Levels"),
    N_("not_assessable", "not assessable"),
    N_("groups", "Peer groups"),
    N_(
        "groups_help",
        "Median scores in groups sharing a characteristic. Groups with fewer than {n} members "
        "are not shown – neither figures nor size – so that no single member's results can be "
        "inferred.",
    ),
    N_("group", "Group"),
    N_("suppressed", "suppressed: fewer than {n} members"),
    N_("suppressed_cell", "suppressed"),
    N_("unknown", "not stated"),
    N_("dont_know", 'Questions most often answered "don\'t know"'),
    N_(
        "dont_know_help",
        'Share of the members who were asked the question and answered "don\'t know". High '
        "shares show where knowledge is missing or spread across departments – good topics for a "
        "joint workshop.",
    ),
    N_("question", "Question"),
    N_("field", "Field"),
    N_("share", "Share"),
    N_("count", "Count"),
    N_("of", "of"),
    N_("no_dont_know", 'No question was answered "don\'t know".'),
    N_("heatmap", "Score per question and member"),
    N_(
        "heatmap_help",
        "Each row is a member (in the order of the table above), each column a question, grouped "
        'by field. Grey: no score – "don\'t know", not answered, not applicable or hidden.',
    ),
    N_("heatmap_value", "Score of the question (0–100)"),
    N_("heatmap_missing", "no score"),
    N_(
        "heatmap_elsewhere",
        "The overview of scores per question and member (heatmap) is in the HTML report.",
    ),
    N_(
        "too_small",
        "Fewer than {n} members have an overall result, so figures, the member table and the "
        "heatmap are not shown.",
    ),
    N_("method", "How the figures are calculated"),
    N_(
        "method_text",
        "Median and quartiles: linear interpolation between the ordered scores (type 7 in R). "
        "Rank: 1 is the highest score; ties share the best rank. Members without a score in a "
        'field count there as "no score" and get no rank. "Don\'t know" share: "don\'t know" '
        "answers divided by the members who were asked the question. Every figure resting on "
        "fewer than {n} members is suppressed.",
    ),
    N_("notes", "Notes"),
    N_("change", "Change between rounds"),
    N_(
        "change_help",
        "For every member taking part in two consecutive rounds (matched by respondent id): its "
        "score in the later round minus its score in the earlier one, every round scored under "
        "version {version}. Median, middle half and range of these changes, and how many members "
        "rose, fell or stayed the same. Members of the later round without a score in both "
        'rounds count as "no comparison". Figures resting on fewer than {n} members are '
        "suppressed, counts included.",
    ),
    N_("rounds", "Rounds"),
    N_("rounds_by_date", "Oldest first, by the dates in the members' metadata."),
    N_("rounds_as_given", "In the order given: not every member has a date in its metadata."),
    N_("round", "Round"),
    N_("round_k", "Round {k}"),
    N_("file", "File"),
    N_("period", "Period"),
    N_("answered_to", "Answered to version"),
    N_(
        "not_carried",
        "Answers not carried to version {version} (question: what happened, members concerned)",
    ),
    N_("step", "From round {a} to round {b}"),
    N_(
        "step_counts",
        "{matched} members took part in both rounds; {only_before} only in the earlier and "
        "{only_after} only in the later one.",
    ),
    N_("no_comparison", "no comparison"),
    N_("median_change", "Median change"),
    N_("improved", "rose"),
    N_("worsened", "fell"),
    N_("unchanged", "same"),
    N_(
        "change_caption",
        "Change of the score from the earlier to the later round: bar the middle half of the "
        "members, tick the median, line the range; the vertical line marks no change.",
    ),
    N_("nc_dropped", "no longer asked"),
    N_("nc_recoded-away", "recoded to no answer"),
    N_("nc_added", "new question, starts without an answer"),
    N_("nc_merged", "combined from several answers"),
    N_("nc_unresolved", "the merge rule gave no answer"),
    N_("nc_replaced", "its id now names another question"),
)


@functools.cache
def labels_for(lang: str) -> Mapping[str, str]:
    """The cohort report's words in *lang* (English where its catalogue has none)."""
    return translate(MESSAGES, lang)
