"""The cohort report as Markdown: the same content as the HTML page, without charts.

It needs no optional dependency and escapes every text as :mod:`weltoffen.reports.markdown` does.
"""

from __future__ import annotations

from collections.abc import Sequence

from weltoffen.reports.cohort_views import Cell, CohortDocument
from weltoffen.reports.markdown import escape

__all__ = ["render_cohort_markdown"]


def render_cohort_markdown(document: CohortDocument) -> str:
    """The cohort report as Markdown: the same content as the HTML page, without charts.

    Every text taken from the questionnaire or the members' metadata is escaped.

    Args:
        document: From :func:`weltoffen.reports.cohort.build_cohort_document`.

    Returns:
        The report, ending with a newline.
    """
    doc, L = document, document.labels
    num = doc.number
    lines = [
        f"# {L['report']}: {escape(doc.title)}",
        "",
        f"{doc.size} {L['members']} · {L['instrument']}: {escape(doc.instrument)} · "
        f"{L['version']} {escape(doc.version)} · {L['min_group']}: {doc.min_group}",
        "",
    ]
    if doc.fingerprint is not None:
        lines += [f"{L['fingerprint']}: `{doc.fingerprint}`", ""]

    def table(head: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> None:
        lines.extend(_table(head, rows, right))

    def value(v: float | None) -> str:
        return "–" if v is None else num(v)

    if doc.suppressed:
        lines += [f"**{doc.text('too_small')}**", ""]
    lines += [f"## {L['overview']}", "", L["overview_help"], ""]
    rows = []
    for d in doc.distributions:
        title = "\u2003" * max(0, d.depth - 1) + escape(d.title)
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
        help_text = L["member_help"] if doc.ranked else L["member_help_unranked"]
        lines += [f"## {L['member_table']}", "", help_text, ""]
        legend = " · ".join(escape(label) for label, _ in doc.band_legend)
        lines += [f"{L['legend']}: {legend}", ""]

        def cell(c: Cell) -> str:
            if c.score is None:
                return f"*{L['not_assessable']}*"
            text = num(c.score)
            if c.band:
                text += f" {escape(c.band)}"
            return text + (f" ({c.rank})" if c.rank is not None else "")

        rows = [
            [escape(m.name), cell(m.overall), *(cell(c) for c in m.fields)] for m in doc.members
        ]
        if doc.ranked:
            ranks = [str(m.overall.rank) if m.overall.rank is not None else "" for m in doc.members]
            table(
                [L["rank"], L["member"], *(escape(c) for c in doc.columns)],
                [[rank, *row] for rank, row in zip(ranks, rows)],
                {0},
            )
        else:
            table([L["member"], *(escape(c) for c in doc.columns)], rows, set())

    if doc.groups:
        lines += [f"## {L['groups']}", "", doc.text("groups_help"), ""]
        for block in doc.groups:
            lines += [f"### {escape(block.title)}", ""]
            rows = []
            for g in block.rows:
                if g.suppressed:
                    blanks = [""] * (len(doc.columns) - 1)
                    rows.append([escape(g.label), "", f"*{doc.text('suppressed')}*", *blanks])
                    continue
                rows.append(
                    [
                        escape(g.label),
                        str(g.n),
                        *(f"*{L['suppressed_cell']}*" if m is None else num(m) for m in g.medians),
                    ]
                )
            table(
                [L["group"], L["n"], *(f"{L['median']} {escape(c)}" for c in doc.columns)],
                rows,
                set(range(1, 2 + len(doc.columns))),
            )

    if doc.change is not None:
        lines += _change(doc)

    lines += [f"## {L['dont_know']}", "", L["dont_know_help"], ""]
    if doc.items:
        table(
            [L["question"], L["field"], L["share"], L["count"]],
            [
                [
                    f"{escape(i.text)} ({escape(i.question)})",
                    escape(i.field) + (f" · {escape(i.topic)}" if i.topic else ""),
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
        lines += [f"## {L['notes']}", "", *(f"- {escape(n)}" for n in doc.notes), ""]
    lines += [f"## {L['method']}", "", doc.text("method_text")]
    return "\n".join(lines).rstrip("\n") + "\n"


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    """A Markdown table, the columns numbered in *right* aligned right, and a blank line."""
    return [
        "| " + " | ".join(head) + " |",
        "|" + "|".join("---:" if k in right else "---" for k in range(len(head))) + "|",
        *("| " + " | ".join(row) + " |" for row in rows),
        "",
    ]


def _change(doc: CohortDocument) -> list[str]:
    """The section on change between rounds: the rounds, then one table per step."""
    change, L = doc.change, doc.labels
    assert change is not None
    lines = [
        f"## {L['change']}",
        "",
        L["change_help"].format(n=doc.min_group, version=change.version),
        "",
    ]
    lines += [f"### {L['rounds']}", ""]
    lines += [L["rounds_by_date"] if change.ordered_by_date else L["rounds_as_given"], ""]
    lines += _table(
        [L["round"], L["file"], L["period"], L["answered_to"], L["n"]],
        [
            [
                str(r.number),
                escape(r.label),
                "–" if r.dates is None else escape(r.dates),
                "–" if r.version is None else escape(r.version),
                str(r.n),
            ]
            for r in change.rounds
        ],
        {0, 4},
    )
    for r in change.rounds:
        if r.not_carried:
            title = L["round_k"].format(k=r.number)
            lines += [f"{title}: {L['not_carried'].format(version=change.version)}", ""]
            lines += [
                f"- {escape(n.question)}: {escape(n.meaning)}, {n.count}" for n in r.not_carried
            ]
            lines.append("")

    def value(v: float | None) -> str:
        return "–" if v is None else doc.signed(v)

    for step in change.steps:
        lines += [f"### {escape(step.title)}", ""]
        counts = L["step_counts"].format(
            matched=step.matched, only_before=step.only_before, only_after=step.only_after
        )
        lines += [counts, ""]
        rows = []
        for d in step.rows:
            title = "\u2003" * max(0, d.depth - 1) + escape(d.title)
            if d.depth == 0:
                title = f"**{title}**"
            if d.suppressed:
                rows.append([title, "", "", f"*{doc.text('suppressed')}*", "", "", ""])
                continue
            rows.append(
                [
                    title,
                    str(d.n),
                    str(d.missing),
                    value(d.median),
                    f"{value(d.q1)} – {value(d.q3)}",
                    f"{value(d.low)} – {value(d.high)}",
                    f"{d.improved} / {d.worsened} / {d.unchanged}",
                ]
            )
        lines += _table(
            [
                L["dimension"],
                L["n"],
                L["no_comparison"],
                L["median_change"],
                L["quartiles"],
                L["range"],
                f"{L['improved']} / {L['worsened']} / {L['unchanged']}",
            ],
            rows,
            set(range(1, 7)),
        )
    return lines
