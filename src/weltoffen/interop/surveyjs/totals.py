"""Totals and bands of a SurveyJS survey: calculated values, ``expression`` questions and
``completedHtmlOnCondition``.

A total that adds up the points of chosen answers (``{q1} + {q2}``, ``sum({q1}, {q2})``, with
constant factors) becomes weltoffen's scoring settings: the aggregation ``sum``, the factors as
question weights and ``skipped: zero`` (SurveyJS counts an unanswered question as 0). The
conditions of ``completedHtmlOnCondition`` on such a total become bands on points: each must be
a range of the total (``{total} >= 9 and {total} < 18``); ranges that overlap are refused, gaps
are closed by widening the band below and reported.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, MutableMapping, Sequence
from typing import Any

import attrs

from weltoffen.exceptions import Location, Problem, ProblemCode
from weltoffen.interop.expressions import SURVEYJS, Binary, ExpressionError, Field, Node, parse
from weltoffen.interop.report import ReportBuilder
from weltoffen.interop.surveyjs.bandhtml import band_text
from weltoffen.interop.surveyjs.common import POINTS, SCORE, SHOWN, texts_of
from weltoffen.interop.translate import Refs, Unsupported, to_total

__all__ = ["Total", "read_bands", "read_totals"]

_SCORED_KINDS = frozenset({"choice", "scale", "multiple_choice", "yes_no"})


@attrs.frozen
class Total:
    """A recognised total: the questions it adds up with their factors, and its constant."""

    name: str
    terms: Mapping[str, float]
    constant: float
    location: Location


def ours(name: str) -> bool:
    """Whether *name* is one of the calculated values weltoffen's exporter writes."""
    return name in (POINTS, SCORE) or name.startswith((POINTS + "_", SCORE + "_", SHOWN + "__"))


def read_totals(
    expressions: Sequence[tuple[str, str, Location, Any]],
    refs: Refs,
    questions: Mapping[str, MutableMapping[str, Any]],
    root: MutableMapping[str, Any],
    notes: ReportBuilder,
    *,
    apply: bool = True,
) -> list[Total]:
    """The recognised totals; the largest sets the scoring settings (unless not *apply*)."""
    found: list[Total] = []
    for name, text, where, _ in expressions:
        construct = "calculatedValues" if where and where[0] == "calculatedValues" else "expression"
        if ours(name):
            notes.exact(construct, "weltoffen's own total", location=where, source_id=name)
            continue
        got = _recognise(name, text, where, refs, questions)
        if isinstance(got, Unsupported):
            notes.dropped(
                construct,
                f"not imported: {got.reason}",
                location=where,
                source_id=name,
                column=got.span[0] + 1,
                hint="set the aggregation and missing-answer policies by hand",
            )
            continue
        found.append(got)
    if not found:
        return found
    main = max(found, key=lambda t: len(t.terms))
    for total in found:
        if total is main:
            continue
        notes.approximated(
            "calculatedValues" if total.location[0] == "calculatedValues" else "expression",
            f"another total (over {len(total.terms)} questions): weltoffen keeps one set of "
            f"points, those of {main.name!r}",
            location=total.location,
            source_id=total.name,
        )
    if apply:
        _apply(main, questions, root, notes)
    return found


def _recognise(
    name: str,
    text: str,
    where: Location,
    refs: Refs,
    questions: Mapping[str, Mapping[str, Any]],
) -> Total | Unsupported:
    try:
        node = parse(text, SURVEYJS)
    except ExpressionError as exc:
        return Unsupported(reason=exc.message, span=(exc.offset, exc.offset))
    got = to_total(node, refs, blank_is_zero=True)
    if isinstance(got, Unsupported):
        return got
    terms: dict[str, float] = {}
    for term in got.terms:
        kind = questions[term.question].get("kind")
        if term.measure != "points" or kind not in _SCORED_KINDS:
            return Unsupported(
                reason=f"{term.question!r} is a {kind} question; only the points of chosen "
                "answers are imported",
                span=node.span,
            )
        if questions[term.question].get("scored", True) is False:
            return Unsupported(
                reason=f"the choices of {term.question!r} have no points", span=node.span
            )
        if term.coefficient <= 0:
            return Unsupported(
                reason=f"{term.question!r} counts {term.coefficient:g} times; weltoffen's "
                "question weights are positive",
                span=node.span,
            )
        terms[term.question] = term.coefficient
    if not terms:
        return Unsupported(reason="the total adds up no question", span=node.span)
    return Total(name=name, terms=terms, constant=got.constant, location=where)


def _apply(
    total: Total,
    questions: Mapping[str, MutableMapping[str, Any]],
    root: MutableMapping[str, Any],
    notes: ReportBuilder,
) -> None:
    for qid, question in questions.items():
        if qid in total.terms:
            question["scored"] = True
            if total.terms[qid] != 1:
                question["weight"] = total.terms[qid]
        elif question.get("scored", True) and question.get("kind") in _SCORED_KINDS:
            question["scored"] = False
            notes.approximated(
                "score",
                f"the question has points but is not in the total {total.name!r}: kept unscored",
                source_id=qid,
            )
    root["aggregation"] = "sum"
    root["scoring"] = {"dont_know": "exclude", "skipped": "zero", "min_coverage": 0.0}
    construct = "calculatedValues" if total.location[0] == "calculatedValues" else "expression"
    message = (
        f"the sum of {len(total.terms)} questions' points: aggregation sum, an unanswered "
        "question counts 0 (its lowest answer) as in SurveyJS"
    )
    lowest = [
        qid
        for qid in total.terms
        if min((o.get("points", 0.0) for o in questions[qid].get("options", [])), default=0.0)
        != 0.0
    ]
    if total.constant or lowest:
        extra = f"; the constant {total.constant:g} is left out" if total.constant else ""
        if lowest:
            extra += f"; the lowest answer is not 0 for {', '.join(lowest)}"
        notes.approximated(
            construct, message + extra, location=total.location, source_id=total.name
        )
    else:
        notes.exact(construct, message, location=total.location, source_id=total.name)


# -- bands -----------------------------------------------------------------------------------

_OPS = {">=": ("low", True), ">": ("low", False), "<": ("high", False), "<=": ("high", True)}
_FLIP = {">=": "<=", ">": "<", "<": ">", "<=": ">="}


@attrs.define
class _Range:
    index: int
    low: float = -math.inf
    low_in: bool = True
    high: float = math.inf
    high_in: bool = True
    html: Any = None

    def holds(self, x: float) -> bool:
        above = x > self.low or (self.low_in and x == self.low)
        below = x < self.high or (self.high_in and x == self.high)
        return above and below


def _range(node: Node, name: str | None) -> tuple[str, _Range] | str:
    """The total a condition tests and the range it states, or why it is no range."""
    parts: list[Node] = []
    todo = [node]
    while todo:
        part = todo.pop()
        if isinstance(part, Binary) and part.op == "and":
            todo += [part.right, part.left]
        else:
            parts.append(part)
    found = _Range(index=-1)
    for part in parts:
        if not (isinstance(part, Binary) and part.op in _OPS):
            return "only comparisons of a total with numbers, joined by 'and', are bands"
        op, left, right = part.op, part.left, part.right
        if isinstance(right, Field) and not isinstance(left, Field):
            left, right, op = right, left, _FLIP[op]
        value = _constant(right)
        if not isinstance(left, Field) or value is None:
            return "only comparisons of a total with numbers are bands"
        if name is not None and left.name != name:
            return "a band condition must test one total"
        name = left.name
        side, inclusive = _OPS[op]
        if side == "low" and (value > found.low or (value == found.low and not inclusive)):
            found.low, found.low_in = value, inclusive
        elif side == "high" and (value < found.high or (value == found.high and not inclusive)):
            found.high, found.high_in = value, inclusive
    assert name is not None
    return name, found


def _constant(node: Node) -> float | None:
    from weltoffen.interop.expressions import Number, Unary

    if isinstance(node, Number):
        return float(node.value)
    if isinstance(node, Unary) and node.op == "-" and isinstance(node.operand, Number):
        return -float(node.operand.value)
    return None


def read_bands(
    data: Mapping[str, Any],
    totals: Sequence[Total],
    refs: Refs,
    questions: Mapping[str, Mapping[str, Any]],
    root: MutableMapping[str, Any],
    notes: ReportBuilder,
    problems: list[Problem],
    source: str | None,
    *,
    own: bool = False,
) -> None:
    """``completedHtmlOnCondition`` as bands on the points of the main total."""
    entries = data.get("completedHtmlOnCondition")
    if "completedHtml" in data:
        notes.dropped(
            "completedHtml",
            "the text shown at the end of every survey is not kept",
            location=("completedHtml",),
            hint="weltoffen's reports show the result",
        )
    if not isinstance(entries, list):
        return
    language = str(root.get("language", "en"))
    by_name = {t.name: t for t in totals}
    main = max(totals, key=lambda t: len(t.terms)) if totals else None
    ranges: list[_Range] = []
    for i, entry in enumerate(entries):
        where: Location = ("completedHtmlOnCondition", i)
        text = entry.get("expression") if isinstance(entry, Mapping) else None
        if own:
            notes.exact(
                "completedHtmlOnCondition",
                "weltoffen's own band (the condition says the same for SurveyJS)",
                location=where,
            )
            continue
        if not isinstance(text, str):
            notes.dropped("completedHtmlOnCondition", "no expression", location=where)
            continue
        try:
            node = parse(text, SURVEYJS)
        except ExpressionError as exc:
            notes.dropped(
                "completedHtmlOnCondition",
                f"not imported: {exc.message}",
                location=(*where, "expression"),
                column=exc.offset + 1,
            )
            continue
        got = _range(node, None)
        total = by_name.get(got[0]) if not isinstance(got, str) else None
        if isinstance(got, str) or total is None or total is not main:
            reason = got if isinstance(got, str) else "it does not test the imported total"
            notes.dropped(
                "completedHtmlOnCondition",
                f"not a band: {reason}",
                location=(*where, "expression"),
                hint="add bands to the weltoffen questionnaire by hand",
            )
            continue
        found = got[1]
        found.index = i
        found.html = entry.get("html")
        ranges.append(found)
    if own or main is None or not ranges:
        return
    _bands(ranges, main, questions, root, notes, problems, source, language)


def _bands(
    ranges: list[_Range],
    total: Total,
    questions: Mapping[str, Mapping[str, Any]],
    root: MutableMapping[str, Any],
    notes: ReportBuilder,
    problems: list[Problem],
    source: str | None,
    language: str,
) -> None:
    lowest, highest, whole = _attainable(total, questions)
    # SurveyJS tests the total with its constant; weltoffen's points leave it out
    for r in ranges:
        r.low -= total.constant
        r.high -= total.constant
        if whole:  # on whole numbers, > a is >= the next one and <= b is < the next one
            if not r.low_in and math.isfinite(r.low):
                r.low, r.low_in = math.floor(r.low) + 1.0, True
            if r.high_in and math.isfinite(r.high):
                r.high, r.high_in = math.floor(r.high) + 1.0, False
    overlaps = False
    for a in range(len(ranges)):
        for b in range(a + 1, len(ranges)):
            first, second = ranges[a], ranges[b]
            shared = _shared(first, second)
            if shared is not None:
                overlaps = True
                problems.append(
                    Problem(
                        ProblemCode.BAND_OVERLAP,
                        f"the conditions of completedHtmlOnCondition {first.index} and "
                        f"{second.index} both hold for the total {shared:g}, so the band "
                        "shown would depend on their order",
                        location=("completedHtmlOnCondition", second.index, "expression"),
                        expected="ranges of the total that do not overlap",
                        file=source,
                    )
                )
    if overlaps:
        return
    kept = sorted(
        (r for r in ranges if not (r.high <= lowest and not r.high_in) and r.low <= highest),
        key=lambda r: r.low,
    )
    for r in ranges:
        if r not in kept:
            notes.approximated(
                "completedHtmlOnCondition",
                f"no attainable total ({lowest:g}..{highest:g}) meets the condition: left out",
                location=("completedHtmlOnCondition", r.index),
            )
    bands = []
    for k, r in enumerate(kept):
        low = lowest if k == 0 else r.low
        high = kept[k + 1].low if k + 1 < len(kept) else highest
        where = ("completedHtmlOnCondition", r.index)
        gap = (k == 0 and r.low > lowest) or (k + 1 < len(kept) and r.high < kept[k + 1].low)
        gap = gap or (k + 1 == len(kept) and r.high < highest)
        if high <= low:
            high = low + 1.0
        bands.append(_band(r, low, high, language, notes, where, k))
        if gap:
            notes.approximated(
                "completedHtmlOnCondition",
                "the conditions leave totals without a band; this band is widened to "
                f"{low:g}..{high:g}",
                location=where,
            )
        else:
            notes.exact(
                "completedHtmlOnCondition",
                f"band {bands[-1]['id']!r} on points {low:g}..{high:g}",
                location=where,
            )
    root["bands"] = bands
    root["bands_on"] = "points"


def _band(
    r: _Range,
    low: float,
    high: float,
    language: str,
    notes: ReportBuilder,
    where: Location,
    k: int,
) -> dict[str, Any]:
    texts = texts_of(r.html, language)
    label: dict[str, str] = {}
    feedback: dict[str, str] = {}
    suggestions: list[dict[str, str]] = []
    placeholders = False
    for lang, html in texts.items():
        parts = band_text(html)
        placeholders = placeholders or parts.placeholders
        if parts.label:
            label[lang] = parts.label
        if parts.feedback:
            feedback[lang] = parts.feedback
        for j, item in enumerate(parts.suggestions):
            while len(suggestions) <= j:
                suggestions.append({})
            suggestions[j][lang] = item
    if placeholders:
        notes.approximated(
            "html",
            "text with {placeholders} is left out of the band's feedback",
            location=(*where, "html"),
        )
    name = next(iter(label.values()), "") or f"band {k + 1}"
    band: dict[str, Any] = {
        "id": re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or f"band-{k + 1}",
        "min": low,
        "max": high,
    }
    if label:
        band["label"] = label
    if feedback:
        band["feedback"] = feedback
    if suggestions:
        band["suggestions"] = suggestions
    return band


def _shared(a: _Range, b: _Range) -> float | None:
    """A total both ranges hold, or None."""
    low = max(a.low, b.low)
    high = min(a.high, b.high)
    if low > high:
        return None
    if low < high:
        return low if math.isfinite(low) else (high if math.isfinite(high) else 0.0)
    return low if a.holds(low) and b.holds(low) else None


def _attainable(
    total: Total, questions: Mapping[str, Mapping[str, Any]]
) -> tuple[float, float, bool]:
    """The lowest and highest total, and whether every total is a whole number."""
    low = high = 0.0
    whole = True
    for qid, factor in total.terms.items():
        question = questions[qid]
        if question.get("kind") == "yes_no":
            points = [float(question.get("yes_points", 1.0)), float(question.get("no_points", 0.0))]
        else:
            points = [float(o.get("points", 0.0)) for o in question.get("options", [])] or [0.0]
        if question.get("kind") == "multiple_choice":
            lo = sum(p for p in points if p < 0)
            hi = sum(p for p in points if p > 0)
        else:
            lo, hi = min(points), max(points)
            lo = min(lo, 0.0)  # unanswered counts 0
        low += factor * lo
        high += factor * hi
        whole = whole and all(float(p * factor).is_integer() for p in points)
    return low, high, whole
