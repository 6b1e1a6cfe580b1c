"""The cohort report: a cohort's comparison in one language, as an HTML page or as Markdown.

:func:`build_cohort_document` resolves a :class:`~weltoffen.analysis.cohort.Cohort` into a
:class:`CohortDocument` — titles, labels, ordering — and :func:`render_cohort_html` /
:func:`render_cohort_markdown` write it out. Every figure (medians, quartiles, ranks, group
medians, don't-know rates, the item matrix) is taken from the ``Cohort``; members' scores and
bands come from their results. Nothing here computes a statistic, and a figure the comparison
suppressed stays suppressed: a small peer group shows neither values nor its size nor its
members.

The HTML page follows the one-respondent report (:mod:`weltoffen.reports.html`): inline CSS,
charts as inline SVG drawn by matplotlib, the template rendered by jinja2 with autoescaping, and
nothing loaded from elsewhere. It needs the extra ``report``; Markdown needs nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from weltoffen.analysis.cohort import Cohort, Group, Summary
from weltoffen.exceptions import Problem, ProblemCode, ScoringError
from weltoffen.model.answers import MetaValue
from weltoffen.model.dimensions import Band
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.text import pick
from weltoffen.reports.document import band_color, number
from weltoffen.scoring.results import DimensionResult, Result

__all__ = [
    "LABELS",
    "TOP_ITEMS",
    "Cell",
    "CohortDocument",
    "Distribution",
    "GroupBlock",
    "GroupRow",
    "HeatmapView",
    "ItemRow",
    "MemberRow",
    "build_cohort_document",
    "render_cohort_html",
    "render_cohort_markdown",
]

#: How many questions the report lists by their don't-know rate.
TOP_ITEMS = 15

#: The report's own words, per language; texts from the questionnaire come from it.
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


# -- the document ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Distribution:
    """One dimension's scores over the cohort, as the comparison summarised them.

    Attributes:
        id: The dimension id (the instrument id for the overall result).
        title: Its title; depth 0 overall, 1 a field, 2 a topic within a field.
        n, missing, median, q1, q3, low, high: From the summary (``None`` when suppressed).
        suppressed: Whether the figures are withheld.
    """

    id: str
    title: str
    depth: int
    n: int | None = None
    missing: int | None = None
    median: float | None = None
    q1: float | None = None
    q3: float | None = None
    low: float | None = None
    high: float | None = None
    suppressed: bool = False


@attrs.frozen(kw_only=True)
class Cell:
    """A member's score in one dimension, with its band and rank.

    Attributes:
        score: 0..100 (``None``: not assessable or not applicable).
        band: The band's label; color its colour (grey without a band).
        rank: The rank in the cohort (``None`` without a score or when suppressed).
    """

    score: float | None
    band: str | None
    color: str
    rank: int | None


@attrs.frozen(kw_only=True)
class MemberRow:
    """One member: its name and its cells (overall first, then one per field)."""

    respondent: str
    name: str
    overall: Cell
    fields: tuple[Cell, ...]


@attrs.frozen(kw_only=True)
class GroupRow:
    """One peer group.

    Attributes:
        label: The group's values in words ("Landkreis").
        n: Its size (``None`` when suppressed).
        suppressed: Whether the group is too small to be shown.
        medians: Median per column (overall, then each field); ``None`` where the group's
            figure for that column is suppressed.
    """

    label: str
    n: int | None
    suppressed: bool
    medians: tuple[float | None, ...] = ()


@attrs.frozen(kw_only=True)
class GroupBlock:
    """The peer groups formed by one set of metadata keys ("Art der Kommune")."""

    title: str
    rows: tuple[GroupRow, ...]


@attrs.frozen(kw_only=True)
class ItemRow:
    """A question with its don't-know rate.

    Attributes:
        question: The question id; text its wording.
        field: Title of the field holding it; topic the sub-topic's title, when not the field.
        rate: Share of members asked who answered "don't know", 0..1.
        dont_know: How many did; shown how many were asked.
    """

    question: str
    text: str
    field: str
    topic: str | None
    rate: float
    dont_know: int
    shown: int


@attrs.frozen(kw_only=True)
class HeatmapView:
    """The item matrix, ordered for display.

    Attributes:
        rows: Member names, in the order of the member table.
        columns: Question ids, in questionnaire order.
        values: One row per member, cells 0..100 or ``None``.
        groups: Consecutive columns per field, as (field title, number of columns).
    """

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    values: tuple[tuple[float | None, ...], ...]
    groups: tuple[tuple[str, int], ...]


@attrs.frozen(kw_only=True)
class CohortDocument:
    """Everything the cohort report shows, in one language.

    Attributes:
        lang: The language; labels the report's words in it.
        title: The instrument's title; instrument and version its id and version.
        size: Members in the cohort; min_group the suppression threshold.
        suppressed: Whether fewer than *min_group* members have an overall score (then the
            member table and heatmap are left out).
        distributions: Overall, then every dimension depth first.
        columns: Titles of the member and group table columns (overall, then the fields).
        members: One row per member, best overall result first.
        groups: Peer groups, one block per grouping.
        items: The questions most often answered "don't know", highest rate first.
        heatmap: The item matrix (``None`` without traced results or when suppressed).
        band_legend: The overall bands as (label, colour), lowest first.
        notes: Remarks of the comparison (what could not be computed).
    """

    lang: str
    labels: Mapping[str, str]
    title: str
    instrument: str
    version: str
    size: int
    min_group: int
    suppressed: bool
    distributions: tuple[Distribution, ...]
    columns: tuple[str, ...]
    members: tuple[MemberRow, ...]
    groups: tuple[GroupBlock, ...]
    items: tuple[ItemRow, ...]
    heatmap: HeatmapView | None
    band_legend: tuple[tuple[str, str], ...]
    notes: tuple[str, ...] = ()

    def number(self, value: float, digits: int = 1) -> str:
        """*value* formatted for this document's language."""
        return number(value, self.lang, digits)

    def percent(self, share: float) -> str:
        """A share 0..1 as a whole percentage ("87 %")."""
        return f"{round(100 * share)}{self.labels['percent']}"

    def text(self, key: str) -> str:
        """The label *key* with the minimum group size filled in."""
        return self.labels[key].format(n=self.min_group)

    @property
    def fields(self) -> tuple[Distribution, ...]:
        """The overall result and the top-level fields (the chart's rows)."""
        return tuple(d for d in self.distributions if d.depth <= 1)


def build_cohort_document(
    questionnaire: Questionnaire,
    results: Sequence[Result],
    cohort: Cohort,
    *,
    lang: str | None = None,
    top_items: int = TOP_ITEMS,
) -> CohortDocument:
    """Resolve a comparison into one language, ready for either renderer.

    Args:
        questionnaire: The instrument the results were scored with (titles, bands, texts).
        results: The members' results, the ones *cohort* was computed from.
        cohort: From :func:`weltoffen.analysis.cohort.compare`.
        lang: Language of the texts; default the questionnaire's.
        top_items: How many questions to list by their don't-know rate.

    Returns:
        The document both renderers read.

    Raises:
        ScoringError: The results do not match the comparison (another instrument or other
            members).
    """
    if cohort.instrument != questionnaire.id or tuple(r.respondent for r in results) != (
        cohort.respondents
    ):
        raise ScoringError(
            [
                Problem(
                    ProblemCode.WRONG_INSTRUMENT,
                    "the results are not those the comparison was made from",
                    expected=f"{len(cohort.respondents)} results of {cohort.instrument!r}",
                    got=f"{len(results)} results of {questionnaire.id!r}",
                )
            ]
        )
    return _Builder(questionnaire, results, cohort, lang or questionnaire.language).build(top_items)


class _Builder:
    """Texts and lookups for one questionnaire in one language."""

    def __init__(
        self, questionnaire: Questionnaire, results: Sequence[Result], cohort: Cohort, lang: str
    ) -> None:
        self.q = questionnaire
        self.results = results
        self.cohort = cohort
        self.lang = lang
        self.labels = labels_for(lang)
        self.dimensions = {d.id: d for _, d in questionnaire.iter_dimensions()}
        self.field_of: dict[str, str] = {}
        for top in questionnaire.dimensions:
            stack = [top]
            while stack:
                dim = stack.pop()
                self.field_of[dim.id] = top.id
                stack.extend(dim.dimensions)
        self.fields = [d.id for d in questionnaire.dimensions]
        self.questions = {q.id: q for _, q in questionnaire.iter_questions()}
        # The answer sheets' metadata labels and codes name the peer groups.
        from weltoffen.serialization.templates import metadata_fields

        self.meta = {f.key: f for f in metadata_fields(questionnaire)}

    def text(self, texts: Mapping[str, str]) -> str:
        return pick(texts, self.lang, self.q.language)

    def title(self, dim_id: str) -> str:
        if dim_id == self.q.id:
            return self.labels["overall"]
        dim = self.dimensions.get(dim_id)
        return (self.text(dim.title) if dim is not None else "") or dim_id

    def bands(self, dim_id: str) -> Sequence[Band]:
        dim = self.dimensions.get(dim_id)
        return self.q.bands if dim is None else dim.bands

    def build(self, top_items: int) -> CohortDocument:
        cohort = self.cohort
        overall = cohort.summary(cohort.instrument)
        suppressed = overall.suppressed
        members = () if suppressed else self.members(overall)
        legend = tuple(
            (self.text(b.label) or b.id, band_color(self.q.bands, b.id))
            for b in sorted(self.q.bands, key=lambda b: b.min)
        )
        return CohortDocument(
            lang=self.lang,
            labels=self.labels,
            title=self.text(self.q.title) or self.q.id,
            instrument=self.q.id,
            version=self.q.version,
            size=len(cohort.respondents),
            min_group=cohort.min_group,
            suppressed=suppressed,
            distributions=tuple(self.distribution(s) for s in cohort.summaries),
            columns=(self.labels["overall_short"], *(self.title(f) for f in self.fields)),
            members=members,
            groups=self.groups(),
            items=self.items(top_items),
            heatmap=None if suppressed else self.heatmap(members),
            band_legend=legend,
            notes=cohort.notes,
        )

    def distribution(self, s: Summary) -> Distribution:
        return Distribution(
            id=s.dimension,
            title=self.title(s.dimension),
            depth=s.depth,
            n=s.n,
            missing=s.missing,
            median=s.median,
            q1=s.q1,
            q3=s.q3,
            low=s.min,
            high=s.max,
            suppressed=s.suppressed,
        )

    def members(self, overall: Summary) -> tuple[MemberRow, ...]:
        """Every member with its cells, best overall rank first (unranked last, input order)."""
        ranks: dict[str, dict[str, int | None]] = {}
        for dim in [self.q.id, *self.fields]:
            try:
                summary = self.cohort.summary(dim)
            except KeyError:
                continue
            ranks[dim] = {p.respondent: p.rank for p in summary.positions}
        rows = []
        for result in self.results:
            by_id = {d.id: d for d in result.dimensions}
            name = result.metadata.get("name")
            rows.append(
                MemberRow(
                    respondent=result.respondent,
                    name=str(name) if name not in (None, "") else result.respondent,
                    overall=self.cell(self.q.id, result.score, result.band, ranks, result),
                    fields=tuple(
                        self.field_cell(f, by_id.get(f), ranks, result) for f in self.fields
                    ),
                )
            )
        order = {p.respondent: p.rank for p in overall.positions}
        # Ordering only: the ranks are the comparison's; members without one keep input order.
        return tuple(
            sorted(
                rows, key=lambda m: (order.get(m.respondent) is None, order.get(m.respondent) or 0)
            )
        )

    def field_cell(
        self,
        dim_id: str,
        dim: DimensionResult | None,
        ranks: Mapping[str, Mapping[str, int | None]],
        result: Result,
    ) -> Cell:
        if dim is None:
            return self.cell(dim_id, None, None, ranks, result)
        return self.cell(dim_id, dim.score, dim.band, ranks, result)

    def cell(
        self,
        dim_id: str,
        score: float | None,
        band: str | None,
        ranks: Mapping[str, Mapping[str, int | None]],
        result: Result,
    ) -> Cell:
        bands = self.bands(dim_id)
        label = next((self.text(b.label) or b.id for b in bands if b.id == band), None)
        return Cell(
            score=score,
            band=label,
            color=band_color(bands, band),
            rank=ranks.get(dim_id, {}).get(result.respondent),
        )

    def groups(self) -> tuple[GroupBlock, ...]:
        """One block per grouping; its groups in the order the answer sheets list the codes."""
        by_keys: dict[tuple[str, ...], list[Group]] = {}
        for group in self.cohort.groups:
            by_keys.setdefault(group.keys, []).append(group)
        return tuple(
            GroupBlock(
                title=" × ".join(self.meta_label(k) for k in keys),
                rows=tuple(self.group_row(g) for g in sorted(groups, key=self.code_order)),
            )
            for keys, groups in by_keys.items()
        )

    def code_order(self, group: Group) -> tuple[tuple[int, str], ...]:
        """Sort key: each value's position among its field's codes (unknown codes after)."""
        out = []
        for key, value in zip(group.keys, group.values):
            field = self.meta.get(key)
            codes = [code for code, _ in field.values] if field is not None else []
            if value is None:
                out.append((len(codes) + 1, ""))
            elif str(value) in codes:
                out.append((codes.index(str(value)), ""))
            else:
                out.append((len(codes), str(value)))
        return tuple(out)

    def group_row(self, group: Group) -> GroupRow:
        label = " · ".join(self.meta_value(k, v) for k, v in zip(group.keys, group.values))
        if group.suppressed:
            # Nothing but the label: no size, no members, no figures.
            return GroupRow(label=label, n=None, suppressed=True)
        by_dim = {s.dimension: s for s in group.summaries}
        medians = []
        for dim in [self.q.id, *self.fields]:
            s = by_dim.get(dim)
            medians.append(None if s is None or s.suppressed else s.median)
        return GroupRow(label=label, n=group.n, suppressed=False, medians=tuple(medians))

    def meta_label(self, key: str) -> str:
        field = self.meta.get(key)
        if field is None:
            return key
        return pick(field.label, self.lang, "en") or key

    def meta_value(self, key: str, value: MetaValue) -> str:
        if value is None or value == "":
            return self.labels["unknown"]
        field = self.meta.get(key)
        if field is not None:
            codes = {code: pick(text, self.lang, "en") for code, text in field.values}
            if codes.get(str(value)):
                return codes[str(value)]
        return str(value)

    def items(self, top: int) -> tuple[ItemRow, ...]:
        ranked = sorted(
            (i for i in self.cohort.items if not i.suppressed and i.dont_know),
            key=lambda i: (-(i.dont_know_rate or 0.0), i.question),
        )[:top]
        rows = []
        for item in ranked:
            question = self.questions.get(item.question)
            field = self.field_of.get(item.dimension, item.dimension)
            rows.append(
                ItemRow(
                    question=item.question,
                    text=(self.text(question.text) if question is not None else "")
                    or item.question,
                    field=self.title(field),
                    topic=None if field == item.dimension else self.title(item.dimension),
                    rate=item.dont_know_rate or 0.0,
                    dont_know=item.dont_know or 0,
                    shown=item.shown or 0,
                )
            )
        return tuple(rows)

    def heatmap(self, members: Sequence[MemberRow]) -> HeatmapView | None:
        matrix = self.cohort.matrix
        if matrix is None or not matrix.items:
            return None
        row_of = {r: k for k, r in enumerate(matrix.respondents)}
        groups: list[tuple[str, int]] = []
        for dim in matrix.dimensions:
            title = self.title(self.field_of.get(dim, dim))
            if groups and groups[-1][0] == title:
                groups[-1] = (title, groups[-1][1] + 1)
            else:
                groups.append((title, 1))
        return HeatmapView(
            rows=tuple(m.name for m in members),
            columns=matrix.items,
            values=tuple(matrix.values[row_of[m.respondent]] for m in members),
            groups=tuple(groups),
        )


# -- HTML --------------------------------------------------------------------------------------

#: The template, shipped as package data beside this module.
_TEMPLATE = "cohort.html.j2"


def render_cohort_html(document: CohortDocument) -> str:
    """The cohort report as one self-contained HTML page.

    Every text is escaped by the template engine; only the chart SVG, which matplotlib writes
    and escapes itself, is inserted as markup.

    Args:
        document: From :func:`build_cohort_document`.

    Returns:
        The page, starting with ``<!DOCTYPE html>``.

    Raises:
        MissingExtraError: jinja2 or matplotlib is not installed.
    """
    from weltoffen.reports.charts import require_report_extra

    require_report_extra()
    from markupsafe import Markup

    from weltoffen._version import __version__
    from weltoffen.reports.html import template_environment

    env = template_environment(document.lang, document.percent)
    charts = {name: Markup(svg) for name, svg in _charts(document).items()}
    return env.get_template(_TEMPLATE).render(doc=document, charts=charts, version=__version__)


def _charts(document: CohortDocument) -> dict[str, str]:
    from weltoffen.reports.charts import cohort_svg, heatmap_svg

    out = {"distribution": "", "heatmap": ""}
    rows = document.fields
    if any(not r.suppressed for r in rows):
        boxes: list[tuple[float, float, float, float, float] | None] = [
            None
            if r.suppressed or None in (r.low, r.q1, r.median, r.q3, r.high)
            else (r.low or 0.0, r.q1 or 0.0, r.median or 0.0, r.q3 or 0.0, r.high or 0.0)
            for r in rows
        ]
        out["distribution"] = cohort_svg(
            [r.title for r in rows], boxes, [None] * len(rows), ["#1f5f8b"] * len(rows)
        )
    heat = document.heatmap
    if heat is not None:
        out["heatmap"] = heatmap_svg(
            heat.rows,
            heat.columns,
            heat.values,
            heat.groups,
            value_label=document.labels["heatmap_value"],
            missing_label=document.labels["heatmap_missing"],
        )
    return out


# -- Markdown ----------------------------------------------------------------------------------


def render_cohort_markdown(document: CohortDocument) -> str:
    """The cohort report as Markdown: the same content as the HTML page, without charts.

    Every text taken from the questionnaire or the members' metadata is escaped.

    Args:
        document: From :func:`build_cohort_document`.

    Returns:
        The report, ending with a newline.
    """
    from weltoffen.reports.markdown import _esc

    doc, L = document, document.labels
    num = doc.number
    lines = [
        f"# {L['report']}: {_esc(doc.title)}",
        "",
        f"{doc.size} {L['members']} · {L['instrument']}: {_esc(doc.instrument)} · "
        f"{L['version']} {_esc(doc.version)} · {L['min_group']}: {doc.min_group}",
        "",
    ]

    def table(head: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> None:
        lines.append("| " + " | ".join(head) + " |")
        lines.append(
            "|" + "|".join("---:" if k in right else "---" for k in range(len(head))) + "|"
        )
        lines.extend("| " + " | ".join(row) + " |" for row in rows)
        lines.append("")

    def value(v: float | None) -> str:
        return "–" if v is None else num(v)

    if doc.suppressed:
        lines += [f"**{doc.text('too_small')}**", ""]
    lines += [f"## {L['overview']}", "", L["overview_help"], ""]
    rows = []
    for d in doc.distributions:
        title = "\u2003" * max(0, d.depth - 1) + _esc(d.title)
        if d.depth == 0:
            title = f"**{title}**"
        if d.suppressed:
            rows.append([title, "", "", f"*{doc.text('suppressed')}*", "", ""])
            continue
        rows.append(
            [
                title,
                str(d.n),
                str(d.missing),
                value(d.median),
                f"{value(d.q1)} – {value(d.q3)}",
                f"{value(d.low)} – {value(d.high)}",
            ]
        )
    table(
        [L["dimension"], L["n"], L["missing"], L["median"], L["quartiles"], L["range"]],
        rows,
        {1, 2, 3, 4, 5},
    )

    if doc.members:
        lines += [f"## {L['member_table']}", "", L["member_help"], ""]
        legend = " · ".join(_esc(label) for label, _ in doc.band_legend)
        lines += [f"{L['legend']}: {legend}", ""]

        def cell(c: Cell) -> str:
            if c.score is None:
                return f"*{L['not_assessable']}*"
            text = num(c.score)
            if c.band:
                text += f" {_esc(c.band)}"
            return text + (f" ({c.rank})" if c.rank is not None else "")

        table(
            [L["rank"], L["member"], *(_esc(c) for c in doc.columns)],
            [
                [
                    str(m.overall.rank) if m.overall.rank is not None else "",
                    _esc(m.name),
                    cell(m.overall),
                    *(cell(c) for c in m.fields),
                ]
                for m in doc.members
            ],
            {0},
        )

    if doc.groups:
        lines += [f"## {L['groups']}", "", doc.text("groups_help"), ""]
        for block in doc.groups:
            lines += [f"### {_esc(block.title)}", ""]
            rows = []
            for g in block.rows:
                if g.suppressed:
                    blanks = [""] * (len(doc.columns) - 1)
                    rows.append([_esc(g.label), "", f"*{doc.text('suppressed')}*", *blanks])
                    continue
                rows.append(
                    [
                        _esc(g.label),
                        str(g.n),
                        *(f"*{L['suppressed_cell']}*" if m is None else num(m) for m in g.medians),
                    ]
                )
            table(
                [L["group"], L["n"], *(f"{L['median']} {_esc(c)}" for c in doc.columns)],
                rows,
                set(range(1, 2 + len(doc.columns))),
            )

    lines += [f"## {L['dont_know']}", "", L["dont_know_help"], ""]
    if doc.items:
        table(
            [L["question"], L["field"], L["share"], L["count"]],
            [
                [
                    f"{_esc(i.text)} ({_esc(i.question)})",
                    _esc(i.field) + (f" · {_esc(i.topic)}" if i.topic else ""),
                    doc.percent(i.rate),
                    f"{i.dont_know} {L['of']} {i.shown}",
                ]
                for i in doc.items
            ],
            {2, 3},
        )
    else:
        lines += [L["no_dont_know"], ""]

    if doc.heatmap is not None:
        lines += [f"## {L['heatmap']}", "", L["heatmap_elsewhere"], ""]
    if doc.notes:
        lines += [f"## {L['notes']}", "", *(f"- {_esc(n)}" for n in doc.notes), ""]
    lines += [f"## {L['method']}", "", doc.text("method_text")]
    return "\n".join(lines).rstrip("\n") + "\n"
