"""The content of a report: one respondent's result and advice, resolved to one language.

Both renderers (:mod:`weltoffen.reports.html` and :mod:`weltoffen.reports.markdown`) read the
:class:`ReportDocument` built here. Nothing in this module computes a score: scores, bands and
coverage come from the :class:`~weltoffen.scoring.results.Result`, the item lists and gains from
the :class:`~weltoffen.analysis.advice.Advice`, cohort figures from
:func:`weltoffen.analysis.cohort.compare`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

import attrs

from weltoffen.analysis.advice import Advice, Change, FieldAdvice, ItemNote, OpenItem, WhatIf
from weltoffen.analysis.cohort import Cohort, compare
from weltoffen.analysis.sensitivity import ScoreSummary, SensitivityReport
from weltoffen.exceptions import Problem, ProblemCode, ScoringError
from weltoffen.model.answers import AnswerValue, MetaValue, State
from weltoffen.model.dimensions import Band, Dimension
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import MultipleChoice, Numeric, Option, Question, TextQuestion, YesNo
from weltoffen.model.text import pick
from weltoffen.reports.views import View, result_view
from weltoffen.scoring.check import options_of
from weltoffen.scoring.plan import ScoringPlan
from weltoffen.scoring.results import Result

__all__ = [
    "LABELS",
    "BandView",
    "ChangeView",
    "CohortView",
    "FieldView",
    "IntervalView",
    "ItemView",
    "ReportDocument",
    "SensitivityView",
    "WhatIfView",
    "band_color",
    "build_document",
    "number",
]

#: Maps the id of the dimension holding a question to a sub-topic title (``None``: the field).
_Topic = Callable[[str], "str | None"]

#: Fewest cohort members with a score before cohort figures are shown; smaller groups would
#: let readers infer single members' results.
MIN_COHORT = 5

#: Colours of the bands, lowest band first (colour-blind safe, printable); more bands sample
#: the same ramp.
_PALETTE = ("#c8553d", "#e0a526", "#5a9a3c", "#1f7a7a")
_NO_BAND = "#9a9a9a"

#: The report's own words, per language. Texts from the questionnaire come from the questionnaire.
LABELS: Mapping[str, Mapping[str, str]] = {
    "de": {
        "report": "Ergebnisbericht",
        "respondent": "Kennung",
        "instrument": "Instrument",
        "version": "Version",
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
        "varied_help": "Die Angaben der Analyse, wörtlich:",
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
        "varied_help": "As the analysis states it:",
        "draws_text": "{draws} variants, seed {seed}: the same inputs give the same figures.",
        "decimal": ".",
        "percent": "%",
    },
}


def labels_for(lang: str) -> Mapping[str, str]:
    """The report's words in *lang* (English where the report has no words in *lang*)."""
    return LABELS.get(lang, LABELS["en"])


def number(value: float, lang: str, digits: int = 1) -> str:
    """*value* with *digits* decimals and the decimal mark of *lang* (``52,5`` in German)."""
    text = f"{value:.{digits}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return text.replace(".", labels_for(lang)["decimal"])


@attrs.frozen(kw_only=True)
class BandView:
    """A band as shown: label, feedback, suggestions and its colour."""

    id: str
    label: str
    feedback: str
    suggestions: tuple[str, ...]
    color: str


@attrs.frozen(kw_only=True)
class ItemView:
    """A question with its answer, as listed among strengths, weaknesses or open items.

    Attributes:
        question: The question id.
        text: The question in the report's language.
        answer: The answer as words ("Largely in place"), or the state ("don't know").
        score: The item's score 0..100, when it has one.
        topic: Title of the sub-topic holding the question, when it is not the field itself.
    """

    question: str
    text: str
    answer: str
    score: float | None = None
    topic: str | None = None


@attrs.frozen(kw_only=True)
class ChangeView:
    """One alternative answer and its gains in points (0..100 scale)."""

    answer: str
    gain: float
    overall_gain: float | None
    field_score: float


@attrs.frozen(kw_only=True)
class WhatIfView:
    """A what-if entry: the question, its current answer and the better answers with gains."""

    question: str
    text: str
    current: str
    best: ChangeView
    steps: tuple[ChangeView, ...]
    topic: str | None = None


@attrs.frozen(kw_only=True)
class CohortView:
    """Where the respondent stands in the cohort for one score.

    Attributes:
        n: Cohort members with a score (``None`` when suppressed).
        median: Median score; q1 / q3 the first and third quartile; low / high the range.
        percentile: Share of members scoring lower, ties counted half, in percent (``None`` when
            the respondent has no score here).
        suppressed: ``True`` when fewer than the minimum group size have a score; the figures
            are then withheld (all zero, and not even the count is given).
    """

    n: int | None
    median: float
    q1: float
    q3: float
    low: float
    high: float
    percentile: float | None
    suppressed: bool = False


@attrs.frozen(kw_only=True)
class IntervalView:
    """How one score spreads when the methodological choices vary.

    Attributes:
        title: The field's title (the overall label for the overall result).
        nominal: The score under the instrument's own choices.
        median, low, high: Median and interval bounds over the variants (``None`` when no
            variant had a score).
        bands: (label, colour, share of variants) per band, lowest band first, only bands
            some variant reached.
        not_assessable: Share of variants without a score.
        color: The colour of the nominal score's band.
    """

    title: str
    nominal: float | None
    median: float | None
    low: float | None
    high: float | None
    bands: tuple[tuple[str, str, float], ...]
    not_assessable: float
    color: str


@attrs.frozen(kw_only=True)
class SensitivityView:
    """The sensitivity section: the analysis for this respondent, in the report's language.

    Attributes:
        rows: The overall result, then each field.
        intro: What the section shows, with the number of draws and the seed.
        interval: The interval's name ("5–95 %").
        caption: The chart's caption.
        varied: What was varied, one sentence per choice, as the analysis states it.
        details: Draws, seed and evaluations in words.
        rank: The rank interval in words (``None`` without a cohort).
    """

    rows: tuple[IntervalView, ...]
    intro: str
    interval: str
    caption: str
    varied: tuple[str, ...]
    details: str
    rank: str | None = None


@attrs.frozen(kw_only=True)
class FieldView:
    """One dimension (or the overall result), ready to show.

    Attributes:
        id: The dimension id (the instrument id for the overall result).
        title: Its title; description its longer explanation.
        score: 0..100, ``None`` when not assessable or not applicable.
        band: The band the score falls in, with its texts.
        coverage: Answered share of the applicable weight, 0..1.
        status: Words for a missing score ("not assessable"), else ``None``.
        counts: Questions per answer state, as (words, count), only states that occur.
        strongest / weakest / open / what_if: From the advice, with question texts.
        evidence: Free-text answers held directly or below, as (question text, answer).
        subtopics: The child dimensions.
        cohort: The cohort position, when a cohort was given.
    """

    id: str
    title: str
    description: str
    score: float | None
    band: BandView | None
    coverage: float | None
    status: str | None
    counts: tuple[tuple[str, int], ...] = ()
    strongest: tuple[ItemView, ...] = ()
    weakest: tuple[ItemView, ...] = ()
    open: tuple[ItemView, ...] = ()
    what_if: tuple[WhatIfView, ...] = ()
    evidence: tuple[tuple[str, str], ...] = ()
    subtopics: tuple[FieldView, ...] = ()
    cohort: CohortView | None = None

    @property
    def color(self) -> str:
        """The band colour (grey without a band)."""
        return self.band.color if self.band is not None else _NO_BAND


@attrs.frozen(kw_only=True)
class ReportDocument:
    """Everything a report shows, in one language.

    Attributes:
        lang: The language of the texts.
        labels: The report's own words in that language.
        title: The instrument's title.
        instrument / version: The instrument id and version.
        respondent: The respondent id; name the display name (metadata ``name`` or the id).
        metadata: The respondent's other metadata, as (key, value) text pairs.
        overall: The overall result.
        fields: The top-level dimensions.
        band_legend: The overall bands, lowest first (label, colour, min, max), for charts.
        cohort_size: Number of results in the cohort, ``None`` without a cohort.
    """

    lang: str
    labels: Mapping[str, str]
    title: str
    instrument: str
    version: str
    respondent: str
    name: str
    metadata: tuple[tuple[str, str], ...]
    overall: FieldView
    fields: tuple[FieldView, ...]
    band_legend: tuple[tuple[str, str, float, float], ...]
    cohort_size: int | None = None
    sensitivity: SensitivityView | None = None

    def number(self, value: float, digits: int = 1) -> str:
        """*value* formatted for this document's language."""
        return number(value, self.lang, digits)

    def percent(self, share: float) -> str:
        """A share 0..1 as a whole percentage ("87 %")."""
        return f"{round(100 * share)}{self.labels['percent']}"


def build_document(
    plan: ScoringPlan,
    result: Result,
    advice: Advice,
    *,
    lang: str | None = None,
    cohort: Sequence[Result] | None = None,
    min_cohort: int = MIN_COHORT,
    sensitivity: SensitivityReport | None = None,
) -> ReportDocument:
    """Resolve *result* and *advice* into one language, with cohort positions when given.

    The result's texts (titles, band labels, feedback, suggestions, free-text answers) come from
    :func:`~weltoffen.reports.views.result_view`, so the report shows what ``weltoffen score``
    shows; this adds answer labels, the advice and the cohort figures.

    Args:
        plan: The plan the result was scored with (for question texts and answer labels).
        result: The respondent's result, traced.
        advice: From :func:`weltoffen.analysis.advice.advise` for that result.
        lang: Language of the texts; default the questionnaire's language.
        cohort: Results of the comparison group. The respondent counts as a member: when no
            result in *cohort* has its id, *result* joins the group.
        min_cohort: Fewest scored members for cohort figures to be shown (smaller groups are
            suppressed, see :func:`weltoffen.analysis.cohort.compare`).
        sensitivity: From :func:`weltoffen.analysis.sensitivity.analyse_sensitivity` over
            responses that include this respondent; adds the sensitivity section.

    Returns:
        The document both renderers read.

    Raises:
        ScoringError: The result is of another questionnaire or carries no trace; the cohort
            mixes instruments or names a respondent twice; or the sensitivity analysis does
            not include the respondent.
    """
    if not result.traced:
        raise ScoringError(
            [
                Problem(
                    ProblemCode.NEEDS_TRACE,
                    "a report needs a traced result: score(plan, response, trace=True)",
                )
            ]
        )
    q = plan.questionnaire
    view = result_view(plan, result, lang)
    lang = str(view["language"])
    ctx = _Context(plan, lang, view)
    compared = None
    if cohort is not None:
        members = list(cohort)
        if not any(r.respondent == result.respondent for r in members):
            members.append(result)
        compared = compare(members, min_group=min_cohort)
    fields = tuple(
        ctx.field(
            dim_view,
            advice.field(dim_view["id"]),
            _cohort_view(compared, dim_view["id"], result.respondent),
        )
        for dim_view in view["dimensions"]
    )
    overall = FieldView(
        id=q.id,
        title=view["title"] or q.id,
        description=ctx.text(q.description),
        score=view["score"],
        band=ctx.band(view["band"], q.bands),
        coverage=view["coverage"],
        status=ctx.status(view["score"], view["note"], applicable=True),
        counts=ctx.counts(view["counts"]),
        cohort=_cohort_view(compared, q.id, result.respondent),
    )
    meta = dict(result.metadata)
    name = meta.pop("name", None)
    legend = []
    for band in sorted(q.bands, key=lambda b: b.min):
        shown = ctx.band({"id": band.id, "label": ctx.text(band.label) or band.id}, q.bands)
        assert shown is not None
        legend.append((shown.label, shown.color, band.min, band.max))
    return ReportDocument(
        lang=lang,
        labels=ctx.labels,
        title=overall.title,
        instrument=q.id,
        version=q.version,
        respondent=result.respondent,
        name=str(name) if name not in (None, "") else result.respondent,
        metadata=_metadata(q, meta, lang),
        overall=overall,
        fields=fields,
        band_legend=tuple(legend),
        cohort_size=None if cohort is None else len(cohort),
        sensitivity=None
        if sensitivity is None
        else _sensitivity_view(ctx, sensitivity, result.respondent, overall, fields),
    )


def _metadata(
    questionnaire: Questionnaire, meta: Mapping[str, MetaValue], lang: str
) -> tuple[tuple[str, str], ...]:
    """Metadata as (label, value) text, with the labels and codes the answer sheets explain."""
    from weltoffen.serialization.templates import metadata_fields

    fields = {f.key: f for f in metadata_fields(questionnaire)}
    out = []
    for key, value in meta.items():
        field = fields.get(str(key))
        if field is None:
            out.append((str(key), _meta_text(value, lang)))
            continue
        # The sheets' labels may end in an entry hint ("(JJJJ-MM-TT)") a report does not need.
        label = re.sub(r"\s*\((JJJJ|YYYY)[^)]*\)$", "", pick(field.label, lang, "en")) or key
        codes = {code: pick(text, lang, "en") for code, text in field.values}
        shown = codes.get(str(value)) if isinstance(value, str) else None
        out.append((label, shown or _meta_text(value, lang)))
    return tuple(out)


def _meta_text(value: object, lang: str) -> str:
    if isinstance(value, bool):
        return labels_for(lang)["yes" if value else "no"]
    if isinstance(value, int) and abs(value) >= 10_000:
        # Thousands grouped as each language writes them: 312 400 / 312,400.
        return f"{value:,}".replace(",", "\u202f" if lang == "de" else ",")
    if isinstance(value, float):
        return number(value, lang, 0 if value.is_integer() else 2)
    return str(value)


class _Context:
    """Texts for one plan in one language: the result view's, plus question and answer texts."""

    def __init__(self, plan: ScoringPlan, lang: str, view: View) -> None:
        self.plan = plan
        self.lang = lang
        self.default = plan.questionnaire.language
        self.labels = labels_for(lang)
        self.scales: dict[str, Sequence[Option]] = {
            s.id: s.options for s in plan.questionnaire.scales
        }
        self.dimensions = {d.id: d for _, d in plan.questionnaire.iter_dimensions()}
        self.titles: dict[str, str] = {}
        stack = list(view["dimensions"])
        while stack:
            dim = stack.pop()
            self.titles[dim["id"]] = dim["title"]
            stack.extend(dim["dimensions"])

    def text(self, texts: Mapping[str, str]) -> str:
        return pick(texts, self.lang, self.default)

    def question(self, qid: str) -> Question:
        return self.plan.questions[self.plan.index[qid]].question

    def band(self, band: View | None, bands: Sequence[Band]) -> BandView | None:
        """The view's band with its colour (by its rank among *bands*)."""
        if band is None:
            return None
        ordered = sorted(bands, key=lambda b: b.min)
        rank = next((k for k, b in enumerate(ordered) if b.id == band["id"]), None)
        return BandView(
            id=band["id"],
            label=band["label"],
            feedback=band.get("feedback", ""),
            suggestions=tuple(band.get("suggestions", ())),
            color=_NO_BAND if rank is None else _color(rank, len(ordered)),
        )

    def status(self, score: float | None, note: str | None, *, applicable: bool) -> str | None:
        if score is not None:
            return None
        if not applicable or (note or "").startswith("not applicable"):
            return self.labels["not_applicable"]
        return self.labels["not_assessable"]

    def counts(self, counts: Mapping[str, int]) -> tuple[tuple[str, int], ...]:
        words = {
            State.ANSWERED.value: "answered",
            State.DONT_KNOW.value: "dont_know",
            State.SKIPPED.value: "skipped",
            State.NOT_APPLICABLE.value: "not_applicable_state",
            State.HIDDEN.value: "hidden",
        }
        return tuple(
            (self.labels[word], counts[key])
            for key, word in words.items()
            if counts.get(key, 0) > 0
        )

    def answer(self, qid: str, value: AnswerValue | None, state: State) -> str:
        """An answer in words: option labels, yes/no, number with unit, or the state."""
        if state is State.DONT_KNOW:
            return self.labels["dont_know"]
        if state is State.NOT_APPLICABLE:
            return self.labels["not_applicable_state"]
        if value is None or isinstance(value, State):
            return self.labels["skipped"]
        return self.value(self.question(qid), value)

    def value(self, question: Question, value: AnswerValue) -> str:
        if isinstance(question, YesNo):
            truthy = value is True or str(value).strip().lower() in ("yes", "true", "ja", "1")
            return self.labels["yes" if truthy else "no"]
        if isinstance(question, Numeric):
            unit = self.text(question.unit)
            shown = _plain_number(value, self.lang)
            return f"{shown} {unit}".strip()
        if isinstance(question, TextQuestion):
            return str(value)
        options = {
            o.value: self.text(o.label) or o.value for o in options_of(question, self.scales)
        }
        if isinstance(question, MultipleChoice):
            chosen = (value,) if isinstance(value, str) else value
            if isinstance(chosen, tuple | list):
                return "; ".join(options.get(str(v), str(v)) for v in chosen) or self.labels["none"]
        return options.get(str(value), str(value))

    def field(self, dim: View, advice: FieldAdvice, cohort: CohortView | None) -> FieldView:
        def topic(owner: str) -> str | None:
            return None if owner == dim["id"] else self.titles.get(owner, owner)

        definition = self.dimensions.get(dim["id"], Dimension(id=dim["id"]))
        notes = {a.dimension: a for a in advice.dimensions}
        return FieldView(
            id=dim["id"],
            title=dim["title"],
            description=self.text(definition.description),
            score=dim["score"],
            band=self.band(dim["band"], definition.bands),
            coverage=dim["coverage"],
            status=self.status(dim["score"], dim["note"], applicable=dim["applicable"]),
            counts=self.counts(dim["counts"]),
            strongest=tuple(self._item(n, topic) for n in advice.strongest),
            weakest=tuple(self._item(n, topic) for n in advice.weakest),
            open=tuple(self._open(o, topic) for o in advice.open),
            what_if=tuple(self._what_if(w, topic) for w in advice.what_if),
            evidence=tuple(
                (item["text"], item["value"])
                for item in dim.get("items", ())
                if isinstance(item["value"], str)
                and isinstance(self.question(item["question"]), TextQuestion)
                and item["value"].strip()
            ),
            subtopics=tuple(
                self.field(child, notes[child["id"]], None) for child in dim["dimensions"]
            ),
            cohort=cohort,
        )

    def _item(self, note: ItemNote, topic: _Topic) -> ItemView:
        return ItemView(
            question=note.question,
            text=self.text(self.question(note.question).text) or note.question,
            answer=self.answer(note.question, note.value, State.ANSWERED),
            score=note.score,
            topic=topic(note.dimension),
        )

    def _open(self, item: OpenItem, topic: _Topic) -> ItemView:
        return ItemView(
            question=item.question,
            text=self.text(self.question(item.question).text) or item.question,
            answer=self.answer(item.question, None, item.state),
            topic=topic(item.dimension),
        )

    def _what_if(self, entry: WhatIf, topic: _Topic) -> WhatIfView:
        question = self.question(entry.question)

        def change(c: Change) -> ChangeView:
            return ChangeView(
                answer=self.value(question, c.answer),
                gain=c.gain,
                overall_gain=c.overall_gain,
                field_score=c.field_score,
            )

        steps = tuple(change(c) for c in entry.changes)
        best = change(entry.best)
        return WhatIfView(
            question=entry.question,
            text=self.text(question.text) or entry.question,
            current=self.answer(entry.question, entry.current, entry.state),
            best=best,
            steps=tuple(s for s in steps if s != best),
            topic=topic(entry.dimension),
        )


def _plain_number(value: AnswerValue, lang: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if float(value).is_integer():
        return str(int(value))
    return number(float(value), lang, 2).rstrip("0")


def _color(index: int, count: int) -> str:
    """Colour of the *index*-th of *count* bands, lowest first."""
    if count <= 1:
        return _PALETTE[-1]
    position = round(index * (len(_PALETTE) - 1) / (count - 1))
    return _PALETTE[position]


def band_color(bands: Sequence[Band], band: str | None) -> str:
    """The colour of band id *band* by its rank among *bands* (grey for no or an unknown band).

    The same colours as the report's bars and swatches, so every report colours bands alike.
    """
    ordered = sorted(bands, key=lambda b: b.min)
    rank = next((k for k, b in enumerate(ordered) if b.id == band), None)
    return _NO_BAND if rank is None else _color(rank, len(ordered))


def _sensitivity_view(
    ctx: _Context,
    report: SensitivityReport,
    respondent: str,
    overall: FieldView,
    fields: Sequence[FieldView],
) -> SensitivityView:
    """The analysis's figures for *respondent*, labelled; nothing is recomputed."""
    try:
        entry = report.respondent(respondent)
    except KeyError:
        raise ScoringError(
            [
                Problem(
                    ProblemCode.NOT_FOUND,
                    f"the sensitivity analysis does not include respondent {respondent!r}",
                )
            ]
        ) from None
    L, lang = ctx.labels, ctx.lang
    q = ctx.plan.questionnaire

    def row(view: FieldView, summary: ScoreSummary, bands: Sequence[Band]) -> IntervalView:
        ordered = sorted(bands, key=lambda b: b.min)
        return IntervalView(
            title=L["overall"] if view is overall else view.title,
            nominal=summary.nominal,
            median=summary.median,
            low=summary.low,
            high=summary.high,
            bands=tuple(
                (ctx.text(b.label) or b.id, band_color(bands, b.id), summary.bands[b.id])
                for b in ordered
                if summary.bands.get(b.id)
            ),
            not_assessable=summary.not_assessable,
            color=view.color,
        )

    rows = [row(overall, entry.overall, q.bands)]
    rows += [
        row(f, entry.dimensions[f.id], ctx.dimensions[f.id].bands)
        for f in fields
        if f.id in entry.dimensions and f.id in ctx.dimensions
    ]
    lo, hi = (round(100 * p) for p in report.interval)
    interval = L["interval"].format(lo=lo, hi=hi)
    rank = None
    if entry.rank is not None and entry.rank.median is not None:

        def fmt(value: float | None) -> str:
            return "–" if value is None else number(value, lang, 0 if value.is_integer() else 1)

        rank = L["rank_text"].format(
            members=len(report.respondents),
            nominal=fmt(entry.rank.nominal),
            median=fmt(entry.rank.median),
            interval=interval,
            low=fmt(entry.rank.low),
            high=fmt(entry.rank.high),
        )
    return SensitivityView(
        rows=tuple(rows),
        intro=L["sensitivity_intro"].format(draws=report.draws, seed=report.seed),
        interval=interval,
        caption=L["sensitivity_caption"].format(interval=interval),
        varied=report.varied,
        details=L["draws_text"].format(draws=report.draws, seed=report.seed),
        rank=rank,
    )


def _cohort_view(cohort: Cohort | None, dim_id: str, respondent: str) -> CohortView | None:
    """Median, quartiles, range and the respondent's percentile for one score."""
    if cohort is None:
        return None
    try:
        summary = cohort.summary(dim_id)
    except KeyError:
        return None
    if summary.suppressed or summary.n is None:
        return CohortView(
            n=None, median=0, q1=0, q3=0, low=0, high=0, percentile=None, suppressed=True
        )
    own = next((p for p in summary.positions if p.respondent == respondent), None)
    return CohortView(
        n=summary.n,
        median=summary.median or 0.0,
        q1=summary.q1 or 0.0,
        q3=summary.q3 or 0.0,
        low=summary.min or 0.0,
        high=summary.max or 0.0,
        percentile=None if own is None else own.percentile,
    )
