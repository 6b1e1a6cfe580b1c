"""A cohort as a plain-text report: distributions, peer groups, members, don't-know rates.

What ``weltoffen cohort`` prints by default (and with ``--earlier``, the rounds and the change
between them). Titles come in the language asked for; every line stays one line, a line break
or control character inside a text (a title, a respondent id) escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from weltoffen._unicode import one_line
from weltoffen.translations import N_, Messages, translate

if TYPE_CHECKING:
    from weltoffen.analysis.cohort import Cohort, Summary
    from weltoffen.analysis.cohort_change import ChangeSummary, CohortChange
    from weltoffen.analysis.normalise import NormalisedCohort
    from weltoffen.model.questionnaire import Questionnaire

__all__ = ["TOP_ITEMS", "change_table", "format_cohort"]

#: How many items the table lists by don't-know rate.
TOP_ITEMS = 10

_MESSAGES: Messages = (
    N_("cohort", "Cohort"),
    N_("members", "members"),
    N_("min", "Figures resting on fewer than {n} members are suppressed."),
    N_("quartiles", "Quartiles: {method}"),
    N_("percentile", "Percentile: {method}; rank: {rank}"),
    N_("dimension", "Dimension"),
    N_("missing", "missing"),
    N_("overall", "Overall"),
    N_("group", "Peer group"),
    N_("dk", 'Questions most often answered "don\'t know"'),
    N_("of", "of"),
    N_("positions", "Members: overall score, rank and percentile"),
    N_("by_name", "Members: overall score"),
    N_("normalised", "Normalised: {method}"),
    N_("norm_members", "Members, normalised: overall and the top-level dimensions"),
    N_("change", "Change since the earlier round (later minus earlier score, by respondent id)"),
    N_("rounds", "Rounds, oldest first, scored under version {version}"),
    N_("round", "Round {k}"),
    N_("answered_to", "answered to {version}"),
    N_("not_carried", "not carried"),
    N_("up", "up"),
    N_("down", "down"),
    N_("same", "same"),
    N_("only_before", "only in the earlier round"),
    N_("only_after", "only in the later round (missing)"),
)


def change_table(change: CohortChange, questionnaire: Questionnaire, language: str | None) -> str:
    """The rounds, then the distribution of change per dimension for each step."""
    from weltoffen.reports.cohort_texts import labels_for

    lang = language or questionnaire.language
    words = translate(_MESSAGES, lang)
    meanings = labels_for(lang)
    titles = _titles(questionnaire, lang, words)
    lines = ["", words["rounds"].format(version=questionnaire.version)]
    for k, r in enumerate(change.rounds, 1):
        dates = (
            ""
            if r.first is None
            else f", {r.first}" + ("" if r.last == r.first else f" – {r.last}")
        )
        version = "" if r.version is None else ", " + words["answered_to"].format(version=r.version)
        lines.append(f"  {words['round'].format(k=k)}: {r.label}{dates}{version}, n = {r.n}")
        for question, code, who in r.not_carried():
            meaning = meanings.get(f"nc_{code}", code)
            lines.append(f"    {words['not_carried']}: {question} ({meaning}): {len(who)}")
    for k, step in enumerate(change.steps, 1):
        head = words["round"].format(k=k) + " → " + words["round"].format(k=k + 1)
        lines += ["", f"{words['change']}: {head}"]
        lines += _summary_table(step.summaries, titles, words, counts=True)
        lines.append(
            f"  {words['only_before']}: {step.only_before}; "
            f"{words['only_after']}: {step.only_after}"
        )
    return "".join(one_line(line) + "\n" for line in lines)


def _titles(questionnaire: Questionnaire, lang: str, words: Mapping[str, str]) -> dict[str, str]:
    from weltoffen.model.text import pick

    titles = {
        d.id: pick(d.title, lang, questionnaire.language)
        for _, d in questionnaire.iter_dimensions()
    }
    titles[questionnaire.id] = words["overall"]
    return titles


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def format_cohort(
    cohort: Cohort,
    questionnaire: Questionnaire,
    language: str | None = None,
    normalised: NormalisedCohort | None = None,
    ranks: bool = False,
) -> str:
    """The comparison as a plain-text report (titles in *language*), with the *normalised*
    scores at the end when given; members by name, or with *ranks* best first."""
    from weltoffen.model.text import pick

    lang = language or questionnaire.language
    words = translate(_MESSAGES, lang)
    titles = _titles(questionnaire, lang, words)
    texts = {
        q.id: pick(q.text, lang, questionnaire.language) for _, q in questionnaire.iter_questions()
    }
    lines = [
        f"{words['cohort']}: {cohort.instrument}, {len(cohort.respondents)} {words['members']}",
        words["min"].format(n=cohort.min_group),
        words["quartiles"].format(method=cohort.quantile_method),
        words["percentile"].format(method=cohort.percentile_method, rank=cohort.rank_method),
        "",
        *_summary_table(cohort.summaries, titles, words),
    ]
    for group in cohort.groups:
        lines.append("")
        if group.suppressed:
            lines.append(f"{words['group']} {group.label}: {group.note}")
            continue
        lines.append(f"{words['group']} {group.label} (n = {group.n})")
        lines.extend(_summary_table(group.summaries, titles, words))
    overall = cohort.summaries[0] if cohort.summaries else None
    if overall is not None and not overall.suppressed:
        width = max(len(p.respondent) for p in overall.positions)
        if ranks:
            lines += ["", words["positions"]]
            for p in sorted(
                overall.positions, key=lambda p: (p.rank is None, p.rank or 0, p.respondent)
            ):
                rank = "" if p.rank is None else f"{p.rank:>3}"
                pct = "" if p.percentile is None else f"P{p.percentile:.0f}"
                lines.append(f"  {p.respondent:<{width}}  {_num(p.score):>6}  {rank:>3}  {pct:>4}")
        else:
            lines += ["", words["by_name"]]
            for p in sorted(overall.positions, key=lambda p: p.respondent.casefold()):
                lines.append(f"  {p.respondent:<{width}}  {_num(p.score):>6}")
    ranked = sorted(
        (i for i in cohort.items if not i.suppressed and i.dont_know),
        key=lambda i: (-(i.dont_know_rate or 0.0), i.question),
    )[:TOP_ITEMS]
    if ranked:
        lines += ["", words["dk"]]
        for i in ranked:
            share = f"{100 * (i.dont_know_rate or 0.0):.0f} %"
            text = texts.get(i.question, "")
            text = text if len(text) <= 70 else text[:69] + "…"
            lines.append(
                f"  {i.question:<10} {share:>5} ({i.dont_know} {words['of']} {i.shown})  {text}"
            )
    if normalised is not None:
        lines += ["", *_normalised_table(normalised, titles, words)]
    for note in cohort.notes:
        lines += ["", note]
    return "".join(one_line(line) + "\n" for line in lines)


def _normalised_table(
    normalised: NormalisedCohort, titles: dict[str, str], words: Mapping[str, str]
) -> list[str]:
    """The statistics per dimension, then members × (overall and top-level dimensions)."""
    from weltoffen.analysis.normalise import ZScore

    dims = normalised.dimensions
    labels = ["  " * d.depth + titles.get(d.dimension, d.dimension) for d in dims]
    width = max([len(words["dimension"]), *map(len, labels)])
    head = ["n", words["missing"], "Min", "Max", "Mean", "SD"]
    out = [
        words["normalised"].format(method=normalised.description),
        f"{words['dimension']:<{width}}  " + "  ".join(f"{h:>6}" for h in head),
    ]
    for label, d in zip(labels, dims):
        if d.suppressed:
            out.append(f"{label:<{width}}  {d.note}")
            continue
        cells = [str(d.n), str(d.missing), *(_num(v) for v in (d.min, d.max, d.mean, d.sd))]
        line = f"{label:<{width}}  " + "  ".join(f"{c:>6}" for c in cells)
        out.append(line + (f"  {d.note}" if d.note else ""))
    # Sub-dimensions would make the member table too wide to read; JSON has them all.
    columns = [d for d in dims if d.depth <= 1 and d.values]
    if not columns:
        return out
    digits = 2 if isinstance(normalised.method, ZScore) else 1
    numbers = iter(range(1, len(columns) + 1))
    heads = [words["overall"] if d.depth == 0 else str(next(numbers)) for d in columns]
    out += ["", words["norm_members"]]
    out += [
        f"  {h:>2} = {titles.get(d.dimension, d.dimension)}"
        for h, d in zip(heads, columns)
        if d.depth
    ]
    overall = columns[0].scores

    def order(row: int) -> tuple[bool, float, str]:
        score = overall[row]
        return (score is None, -(score or 0.0), normalised.respondents[row])

    who_width = max(len(r) for r in normalised.respondents)
    cell = max(7, *(len(h) for h in heads))
    out.append(" " * (who_width + 2) + "".join(f"{h:>{cell}}" for h in heads))
    for row in sorted(range(len(normalised.respondents)), key=order):
        values = [d.values[row] for d in columns]
        shown = ["" if v is None else f"{v:.{digits}f}" for v in values]
        out.append(
            f"  {normalised.respondents[row]:<{who_width}}" + "".join(f"{c:>{cell}}" for c in shown)
        )
    return out


def _summary_table(
    summaries: Sequence[Summary | ChangeSummary],
    titles: dict[str, str],
    words: Mapping[str, str],
    *,
    counts: bool = False,
) -> list[str]:
    """One line per dimension; with *counts* (change summaries) also how many members went up,
    down or stayed."""
    from weltoffen.analysis.cohort_change import ChangeSummary

    labels = ["  " * s.depth + titles.get(s.dimension, s.dimension) for s in summaries]
    width = max([len(words["dimension"]), *map(len, labels)])
    head = ["n", words["missing"], "Median", "Q1", "Q3", "Min", "Max"]
    if counts:
        head += [words["up"], words["down"], words["same"]]
    out = [f"{words['dimension']:<{width}}  " + "  ".join(f"{h:>6}" for h in head)]
    for label, s in zip(labels, summaries):
        if s.suppressed:
            out.append(f"{label:<{width}}  {s.note}")
            continue
        cells = [str(s.n), str(s.missing), *(_num(v) for v in (s.median, s.q1, s.q3, s.min, s.max))]
        if isinstance(s, ChangeSummary):
            cells += [str(s.improved), str(s.worsened), str(s.unchanged)]
        out.append(f"{label:<{width}}  " + "  ".join(f"{c:>6}" for c in cells))
    return out
