"""The plain-text report in Markdown: the same content as the HTML report, without charts.

It needs no optional dependency. Every text taken from the questionnaire, the responses or the
metadata is escaped, so an answer can neither inject HTML nor break a table.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from weltoffen.reports.document_views import CohortView, FieldView, ItemView, ReportDocument

__all__ = ["escape", "render_markdown"]

#: Characters with a meaning in Markdown; a backslash makes them literal.
_SPECIAL = re.compile(r"([\\`*_\[\]|#])")


def render_markdown(document: ReportDocument) -> str:
    """The report as Markdown text.

    Args:
        document: From :func:`weltoffen.reports.document.build_document`.

    Returns:
        The report, ending with a newline.
    """
    return _Writer(document).write()


def escape(text: object) -> str:
    """*text* as literal Markdown on one line: HTML neutralised, markup characters escaped."""
    plain = " ".join(str(text).split())
    plain = plain.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", plain)


class _Writer:
    def __init__(self, document: ReportDocument) -> None:
        self.doc = document
        self.L = document.labels
        self.lines: list[str] = []

    # -- helpers -------------------------------------------------------------------------------

    def out(self, *lines: str) -> None:
        self.lines.extend(lines)

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def table(self, head: Sequence[str], rows: Iterable[Sequence[str]], right: set[int]) -> None:
        self.blank()
        self.out("| " + " | ".join(head) + " |")
        self.out("|" + "|".join("---:" if k in right else "---" for k in range(len(head))) + "|")
        for row in rows:
            self.out("| " + " | ".join(row) + " |")
        self.blank()

    def score(self, view: FieldView) -> str:
        if view.score is None:
            return f"*{escape(view.status or '')}*"
        return self.doc.number(view.score)

    def gain(self, value: float) -> str:
        return "+" + self.doc.number(value)

    def counts(self, view: FieldView) -> str:
        return " · ".join(f"{count} {word}" for word, count in view.counts)

    def headline(self, view: FieldView) -> str:
        parts = [
            f"**{self.score(view)}** {self.L['of_100']}"
            if view.score is not None
            else self.score(view)
        ]
        if view.band is not None:
            parts.append(f"**{escape(view.band.label)}**")
        if view.coverage is not None:
            parts.append(f"{self.L['coverage']}: {self.doc.percent(view.coverage)}")
        if view.counts:
            parts.append(self.counts(view))
        return " · ".join(parts)

    # -- sections ------------------------------------------------------------------------------

    def write(self) -> str:
        doc, L = self.doc, self.L
        self.out(f"# {L['report']}: {escape(doc.name)}", "", f"*{escape(doc.title)}*")
        rows = [(L["respondent"], escape(doc.respondent))]
        rows += [(escape(k), escape(v)) for k, v in doc.metadata]
        rows.append(
            (L["instrument"], f"{escape(doc.instrument)} · {L['version']} {escape(doc.version)}")
        )
        if doc.fingerprint is not None:
            rows.append((L["fingerprint"], escape(doc.fingerprint)))
        self.table(["", ""], rows, set())
        self.overview()
        for number, view in enumerate(doc.fields, 1):
            self.field(number, view)
        if doc.cohort_size is not None:
            self.cohort()
        if doc.sensitivity is not None:
            self.sensitivity()
        self.appendix()
        self.out(f"## {L['method']}", "", L["method_text"])
        return "\n".join(self.lines).rstrip("\n") + "\n"

    def overview(self) -> None:
        L, o = self.L, self.doc.overall
        self.out(f"## {L['overview']}", "", f"{L['overall']}: {self.headline(o)}")
        self.feedback(o)
        self.table(
            [L["field"], L["score"], L["band"], L["coverage"]],
            (
                [
                    escape(f.title),
                    self.score(f),
                    escape(f.band.label) if f.band else "",
                    self.doc.percent(f.coverage) if f.coverage is not None else "",
                ]
                for f in self.doc.fields
            ),
            {1, 3},
        )

    def feedback(self, view: FieldView) -> None:
        if view.band is None:
            return
        self.blank()
        self.out(f"### {self.L['feedback']}", "", escape(view.band.feedback))
        if view.band.suggestions:
            self.blank()
            self.out(f"### {self.L['suggestions']}", "")
            self.out(*(f"- {escape(s)}" for s in view.band.suggestions))
        self.blank()

    def field(self, number: int, f: FieldView) -> None:
        L = self.L
        self.blank()
        self.out(f"## {number}. {escape(f.title)}", "")
        if f.description:
            self.out(f"*{escape(f.description)}*", "")
        self.out(self.headline(f))
        self.feedback(f)
        self.items(L["strongest"], f.strongest)
        self.items(L["weakest"], f.weakest)

    def appendix(self) -> None:
        """The detail of every field, for the workshop: after the summary, not in its way."""
        L = self.L
        shown = [
            (number, f)
            for number, f in enumerate(self.doc.fields, 1)
            if f.subtopics
            or f.what_if
            or f.open
            or f.evidence
            or any(t.evidence for t in f.subtopics)
        ]
        if not shown:
            return
        self.blank()
        self.out(f"## {L['appendix']}", "", L["appendix_help"])
        for number, f in shown:
            self.blank()
            self.out(f"### {number}. {escape(f.title)}")
            self.details(f)

    def details(self, f: FieldView) -> None:
        L = self.L
        if f.subtopics:
            self.blank()
            self.out(f"#### {L['subtopics']}")
            self.table(
                [L["subtopic"], L["score"], L["coverage"], L["lever"]],
                (
                    [
                        escape(t.title),
                        self.score(t),
                        self.doc.percent(t.coverage) if t.coverage is not None else "",
                        f"{escape(t.what_if[0].text)} ({self.gain(t.what_if[0].best.gain)})"
                        if t.what_if
                        else "",
                    ]
                    for t in f.subtopics
                ),
                {1, 2},
            )
        if f.what_if:
            self.blank()
            self.out(f"#### {L['what_if']}", "", L["what_if_help"])
            rows = []
            for w in f.what_if:
                then = escape(w.best.answer)
                if w.steps:
                    steps = ", ".join(f"{escape(c.answer)} {self.gain(c.gain)}" for c in w.steps)
                    then += f" ({L['steps']}: {steps})"
                rows.append(
                    [
                        self.item_text(w.text, w.topic),
                        escape(w.current),
                        then,
                        self.gain(w.best.gain),
                        self.gain(w.best.overall_gain) if w.best.overall_gain is not None else "",
                    ]
                )
            self.table(
                [L["question"], L["now"], L["then"], L["in_field"], L["overall_short"]],
                rows,
                {3, 4},
            )
        if f.open:
            self.blank()
            self.out(f"#### {L['open']}", "", L["open_help"], "")
            self.out(
                *(f"- [ ] {self.item_text(i.text, i.topic)} — *{escape(i.answer)}*" for i in f.open)
            )
        evidence = [*f.evidence, *(e for t in f.subtopics for e in t.evidence)]
        if evidence:
            self.blank()
            self.out(f"#### {L['evidence']}", "")
            for question, answer in evidence:
                self.out(f"**{escape(question)}**", "")
                self.out(
                    *(f"> {escape(line)}" if line.strip() else ">" for line in answer.splitlines())
                )
                self.blank()

    def item_text(self, text: str, topic: str | None) -> str:
        return escape(text) + (f" *({escape(topic)})*" if topic else "")

    def items(self, title: str, items: Sequence[ItemView]) -> None:
        self.blank()
        self.out(f"### {title}", "")
        if not items:
            self.out(self.L["none"])
            return
        for k, item in enumerate(items, 1):
            score = f" ({self.doc.number(item.score, 0)})" if item.score is not None else ""
            self.out(
                f"{k}. {self.item_text(item.text, item.topic)} — *{escape(item.answer)}*{score}"
            )

    def cohort(self) -> None:
        L = self.L
        self.blank()
        self.out(f"## {L['cohort']}", "", L["cohort_help"])
        if self.doc.peer_group is None:
            self.cohort_table(lambda view: view.cohort)
            return
        self.out("", f"### {L['whole_cohort']}")
        self.cohort_table(lambda view: view.cohort)
        self.out(f"### {escape(L['peers'].format(group=self.doc.peer_group))}", "")
        self.out(L["peers_help"])
        self.cohort_table(lambda view: view.peers)

    def cohort_table(self, which: Callable[[FieldView], CohortView | None]) -> None:
        L = self.L
        rows = []
        for k, view in enumerate([self.doc.overall, *self.doc.fields]):
            c = which(view)
            if c is None:
                continue
            title = L["overall"] if k == 0 else escape(view.title)
            if c.suppressed:
                rows.append([title, self.score(view), f"*{L['too_few']}*", "", "", "", ""])
                continue
            num = self.doc.number
            rows.append(
                [
                    title,
                    self.score(view),
                    num(c.median),
                    f"{num(c.q1)} – {num(c.q3)}",
                    f"{num(c.low)} – {num(c.high)}",
                    num(c.percentile, 0) if c.percentile is not None else "",
                    str(c.n),
                ]
            )
        self.table(
            ["", L["own"], L["median"], L["quartiles"], L["range"], L["percentile"], L["members"]],
            rows,
            {1, 2, 3, 4, 5, 6},
        )

    def sensitivity(self) -> None:
        L, s = self.L, self.doc.sensitivity
        if s is None:
            return
        num = self.doc.number
        self.blank()
        self.out(f"## {L['sensitivity']}", "", s.intro)
        rows = []
        for r in s.rows:
            chances = [f"{escape(label)} {self.doc.percent(share)}" for label, _, share in r.bands]
            if r.not_assessable:
                chances.append(f"{L['no_score']} {self.doc.percent(r.not_assessable)}")
            rows.append(
                [
                    escape(r.title),
                    num(r.nominal) if r.nominal is not None else f"*{L['no_score']}*",
                    num(r.median) if r.median is not None else "",
                    f"{num(r.low)} – {num(r.high)}"
                    if r.low is not None and r.high is not None
                    else "",
                    " · ".join(chances),
                ]
            )
        self.table(["", L["nominal"], L["median"], s.interval, L["band_chances"]], rows, {1, 2, 3})
        if s.rank:
            self.out(s.rank, "")
        self.out(f"### {L['varied']}", "", L["varied_help"], "")
        self.out(*(f"- {escape(v)}" for v in s.varied))
        self.blank()
        self.out(s.details, "")
