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
from typing import Any

import attrs

from weltoffen.analysis.cohort import Cohort, Group, Summary
from weltoffen.analysis.cohort_change import ChangeStep, ChangeSummary, CohortChange
from weltoffen.exceptions import Problem, ProblemCode, ScoringError
from weltoffen.model.answers import MetaValue
from weltoffen.model.dimensions import Band
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.sheet_metadata import metadata_fields
from weltoffen.model.text import pick
from weltoffen.reports.cohort_html import render_cohort_html
from weltoffen.reports.cohort_markdown import render_cohort_markdown
from weltoffen.reports.cohort_texts import labels_for
from weltoffen.reports.cohort_views import (
    Cell,
    ChangeRow,
    ChangeSection,
    CohortDocument,
    Distribution,
    GroupBlock,
    GroupRow,
    HeatmapView,
    ItemRow,
    MemberRow,
    NotCarriedRow,
    RoundRow,
    StepBlock,
)
from weltoffen.reports.colors import band_color
from weltoffen.scoring.results import DimensionResult, Result
from weltoffen.versions.fingerprint import fingerprint

__all__ = [
    "TOP_ITEMS",
    "Cell",
    "ChangeRow",
    "ChangeSection",
    "CohortDocument",
    "Distribution",
    "GroupBlock",
    "GroupRow",
    "HeatmapView",
    "ItemRow",
    "MemberRow",
    "NotCarriedRow",
    "RoundRow",
    "StepBlock",
    "build_cohort_document",
    "render_cohort_html",
    "render_cohort_markdown",
]

#: How many questions the report lists by their don't-know rate.
TOP_ITEMS = 15


def build_cohort_document(
    questionnaire: Questionnaire,
    results: Sequence[Result],
    cohort: Cohort,
    *,
    lang: str | None = None,
    top_items: int = TOP_ITEMS,
    ranks: bool = False,
    change: CohortChange | None = None,
) -> CohortDocument:
    """Resolve a comparison into one language, ready for either renderer.

    Args:
        questionnaire: The instrument the results were scored with (titles, bands, texts).
        results: The members' results, the ones *cohort* was computed from.
        cohort: From :func:`weltoffen.analysis.cohort.compare`.
        lang: Language of the texts; default the questionnaire's.
        top_items: How many questions to list by their don't-know rate.
        ranks: Show each member's ranks and order the members by the overall result; by
            default they are listed by name without ranks (a comparison, not a league table).
        change: The cohort over several rounds (:func:`weltoffen.analysis.cohort_change`,
            every round scored under *questionnaire*), for the section on change between rounds.

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
    builder = _Builder(questionnaire, results, cohort, lang or questionnaire.language, ranks)
    document = builder.build(top_items)
    if change is None:
        return document
    return attrs.evolve(document, change=builder.change(change))


class _Builder:
    """Texts and lookups for one questionnaire in one language."""

    def __init__(
        self,
        questionnaire: Questionnaire,
        results: Sequence[Result],
        cohort: Cohort,
        lang: str,
        ranks: bool,
    ) -> None:
        self.q = questionnaire
        self.ranks = ranks
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
            ranked=self.ranks,
            groups=self.groups(),
            items=self.items(top_items),
            heatmap=None if suppressed else self.heatmap(members),
            band_legend=legend,
            notes=cohort.notes,
            fingerprint=fingerprint(self.q),
        )

    def change(self, change: CohortChange) -> ChangeSection:
        rounds = []
        for k, r in enumerate(change.rounds, 1):
            dates = None
            if r.first is not None:
                dates = r.first if r.last in (None, r.first) else f"{r.first} – {r.last}"
            rounds.append(
                RoundRow(
                    number=k,
                    label=r.label,
                    dates=dates,
                    version=r.version,
                    n=r.n,
                    not_carried=tuple(
                        NotCarriedRow(
                            question=question,
                            meaning=self.labels.get(f"nc_{code}", code),
                            count=len(who),
                        )
                        for question, code, who in r.not_carried()
                    ),
                )
            )
        return ChangeSection(
            version=self.q.version,
            ordered_by_date=change.ordered_by_date,
            rounds=tuple(rounds),
            steps=tuple(self.step(s, k, k + 1) for k, s in enumerate(change.steps, 1)),
        )

    def step(self, step: ChangeStep, before: int, after: int) -> StepBlock:
        return StepBlock(
            title=self.labels["step"].format(a=before, b=after),
            matched=step.matched,
            only_before=step.only_before,
            only_after=step.only_after,
            rows=tuple(self.change_row(s) for s in step.summaries),
        )

    def change_row(self, s: ChangeSummary) -> ChangeRow:
        return ChangeRow(
            **self._spread(s), improved=s.improved, worsened=s.worsened, unchanged=s.unchanged
        )

    def distribution(self, s: Summary) -> Distribution:
        return Distribution(**self._spread(s))

    def _spread(self, s: Summary | ChangeSummary) -> dict[str, Any]:
        """What a distribution of scores and one of changes show alike."""
        return {
            "id": s.dimension,
            "title": self.title(s.dimension),
            "depth": s.depth,
            "n": s.n,
            "missing": s.missing,
            "median": s.median,
            "q1": s.q1,
            "q3": s.q3,
            "low": s.min,
            "high": s.max,
            "suppressed": s.suppressed,
        }

    def members(self, overall: Summary) -> tuple[MemberRow, ...]:
        """Every member with its cells: with ranks, best overall rank first (unranked last, in
        input order); without, by name."""
        ranks: dict[str, dict[str, int | None]] = {}
        for dim in [self.q.id, *self.fields] if self.ranks else ():
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
        if not self.ranks:
            return tuple(sorted(rows, key=lambda m: (m.name.casefold(), m.respondent)))
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
