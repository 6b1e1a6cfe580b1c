"""Totals: ``calculatedExpression`` items whose FHIRPath adds up item weights.

A recognised total is no question: it tells which items are scored, with which multipliers, how a
missing answer counts and when the total is empty. Those become the aggregation ``sum``, the
question weights, ``skipped: zero`` (FHIR counts a missing weight as 0 where the expression says
so) and ``min_coverage`` on the dimension that holds the total, or on the questionnaire.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

import attrs

from weltoffen.exceptions import Location
from weltoffen.interop.expressions import FHIRPATH, ExpressionError, Node, parse
from weltoffen.interop.report import ReportBuilder
from weltoffen.interop.translate import Kind, Refs, Target, Unsupported, to_total

__all__ = ["Calculated", "Total", "apply_totals", "recognise"]


@attrs.frozen
class Calculated:
    """A calculated item met while reading: its expression and the variables in scope."""

    link_id: str
    expression: str
    variables: Mapping[str, str]
    location: Location
    group: str


@attrs.frozen
class Total:
    """What a recognised total means.

    Attributes:
        terms: Question id -> multiplier of its points.
        missing_zero: A missing answer adds 0 (else the total is empty without every answer).
        needs: ``"all"``: empty unless every term is answered; ``"any"``: empty when nothing is
            answered; ``"none"``: never empty.
    """

    terms: Mapping[str, float]
    missing_zero: bool
    needs: str


_KINDS: Mapping[str, Kind] = {
    "choice": "choice",
    "scale": "choice",
    "multiple_choice": "multiple",
    "yes_no": "yes_no",
    "numeric": "numeric",
    "text": "text",
}


def _refs(calc: Calculated, questions: Mapping[str, Mapping[str, Any]]) -> Refs:
    """What the names in *calc*'s FHIRPath stand for: linkIds, ``%variables`` and the items
    with weights (for "every item but ...")."""
    targets: dict[str, Target] = {}
    weighted: list[str] = []
    for qid, question in questions.items():
        kind = _KINDS.get(str(question.get("kind")), "text")
        codes: dict[str, Any] = {str(o["value"]): o["value"] for o in question.get("options", [])}
        if kind == "yes_no":
            codes = {"true": True, "false": False}
        targets[qid] = Target(question=qid, kind=kind, codes=codes)
        if kind in ("choice", "multiple") and question.get("scored", True) is not False:
            weighted.append(qid)
    bindings: dict[str, Node] = {}
    for name, text in calc.variables.items():
        try:
            bindings[name] = parse(text, FHIRPATH)
        except ExpressionError:
            continue  # a variable that does not parse makes the total that reads it unsupported
    return Refs(targets=targets, bindings=bindings, items=tuple(weighted))


def recognise(
    calc: Calculated, questions: Mapping[str, Mapping[str, Any]]
) -> tuple[Total, float] | Unsupported:
    """The total *calc* computes and the constant it adds, or why weltoffen cannot take it."""
    try:
        node = parse(calc.expression, FHIRPATH)
    except ExpressionError as exc:
        return Unsupported(
            reason=f"FHIRPath that does not parse: {exc}", span=(exc.offset, exc.offset)
        )
    got = to_total(node, _refs(calc, questions))
    if isinstance(got, Unsupported):
        return got
    terms: dict[str, float] = {}
    for term in got.terms:
        kind = questions[term.question].get("kind")
        if term.measure != "points" or kind not in ("choice", "scale", "multiple_choice"):
            return Unsupported(
                reason=f"{term.question!r} enters the total by its {term.measure} as a {kind} "
                "item; only the weights of chosen options are imported",
                span=node.span,
            )
        if term.coefficient <= 0:
            return Unsupported(
                reason=f"{term.question!r} counts {term.coefficient:g} times; weltoffen's "
                "question weights are positive",
                span=node.span,
            )
        terms[term.question] = term.coefficient
    needs = {"always": "none", "any_answered": "any", "all_answered": "all"}[got.defined]
    return Total(terms=terms, missing_zero=got.defined != "all_answered", needs=needs), got.constant


def apply_totals(
    calculated: list[Calculated],
    questions: Mapping[str, MutableMapping[str, Any]],
    groups: Mapping[str, MutableMapping[str, Any]],
    root: MutableMapping[str, Any],
    notes: ReportBuilder,
) -> None:
    """Turn recognised totals into scoring settings; report every calculated item."""
    in_total: set[str] = set()
    for calc in calculated:
        found = recognise(calc, questions)
        if isinstance(found, Unsupported):
            notes.dropped(
                "calculatedExpression",
                f"not imported: {found.reason}",
                location=calc.location,
                source_id=calc.link_id,
                column=found.span[0] + 1,
                hint="set the aggregation and missing-answer policies by hand",
            )
            continue
        total, constant = found
        in_total.update(total.terms)
        _apply(calc, total, questions, groups, root, notes)
        if constant:
            notes.approximated(
                "calculatedExpression",
                f"the total adds the constant {constant:g}, which weltoffen's points leave out",
                location=calc.location,
                source_id=calc.link_id,
            )
    weighted = [
        qid
        for qid, q in questions.items()
        if q.get("kind") in ("choice", "multiple_choice") and q.get("scored", True)
    ]
    if in_total:
        for qid in weighted:
            if qid not in in_total:
                questions[qid]["scored"] = False
                notes.approximated(
                    "itemWeight",
                    "the item has weights but is in no total: kept unscored",
                    source_id=qid,
                )
    elif weighted and "aggregation" not in root:
        root["aggregation"] = "sum"
        for group in groups.values():
            group.setdefault("aggregation", "sum")
        notes.approximated(
            "itemWeight",
            "no total was recognised: every item with weights is scored and the points are "
            "added up; skipped answers are left out (weltoffen's default)",
            hint="check the aggregation and missing-answer policies",
        )


def _apply(
    calc: Calculated,
    total: Total,
    questions: Mapping[str, MutableMapping[str, Any]],
    groups: Mapping[str, MutableMapping[str, Any]],
    root: MutableMapping[str, Any],
    notes: ReportBuilder,
) -> None:
    for qid, factor in total.terms.items():
        question = questions[qid]
        question["scored"] = True
        if factor != 1:
            question["weight"] = factor
    shares = [factor * _range(questions[qid]) for qid, factor in total.terms.items()]
    whole = sum(shares)
    if total.needs == "all":
        coverage = 1.0
    elif total.needs == "any" and whole > 0:
        coverage = min(shares) / whole
    else:
        coverage = 0.0
    scoring = {
        "dont_know": "exclude",
        "skipped": "zero" if total.missing_zero else "exclude",
        "min_coverage": coverage,
    }
    target = groups.get(calc.group, root) if calc.group else root
    target["aggregation"] = "sum"
    target["scoring"] = scoring
    if target is root:
        for group in groups.values():
            group.setdefault("aggregation", "sum")
    bottoms = [
        qid
        for qid in total.terms
        if min((o.get("points", 0.0) for o in questions[qid].get("options", [])), default=0.0)
        != 0.0
    ]
    note = (
        f"the sum of {len(total.terms)} items' weights: aggregation sum, skipped answers "
        f"{'count 0' if total.missing_zero else 'are left out'}, min_coverage {coverage:.4g}"
    )
    if total.missing_zero and bottoms:
        notes.approximated(
            "calculatedExpression",
            note + f"; a skipped answer counts as the lowest option, which is not 0 for "
            f"{', '.join(bottoms)}",
            location=calc.location,
            source_id=calc.link_id,
        )
    else:
        notes.exact("calculatedExpression", note, location=calc.location, source_id=calc.link_id)


def _range(question: Mapping[str, Any]) -> float:
    points = [float(o.get("points", 0.0)) for o in question.get("options", [])]
    if question.get("kind") == "yes_no":
        return 1.0
    if question.get("kind") == "multiple_choice":
        return sum(p for p in points if p > 0)
    return max(points) - min(points) if points else 0.0
