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
from weltoffen.interop.report import ReportBuilder

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


def recognise(calc: Calculated, questions: Mapping[str, Mapping[str, Any]]) -> Total | str:
    """The total *calc* computes, or why it is not one weltoffen can take."""
    return "FHIRPath totals are not read yet"


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
        total = recognise(calc, questions)
        if isinstance(total, str):
            notes.dropped(
                "calculatedExpression",
                f"not imported: {total}",
                location=calc.location,
                source_id=calc.link_id,
                hint="set the aggregation and missing-answer policies by hand",
            )
            continue
        in_total.update(total.terms)
        _apply(calc, total, questions, groups, root, notes)
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
