"""Hand-written references for the benchmarks: the least code that computes the same numbers.

They are what a careful programmer would write for one instrument without the library: no
checks, no explanations, no generality beyond what the instrument needs. ``run.py`` asserts that
each computes the numbers weltoffen computes before it compares their times.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import weltoffen as w
from weltoffen.scoring.plan import ScoringPlan

# -- a. and b.: one response of the self-check -------------------------------------------------


def self_check_response(plan: ScoringPlan) -> w.Response:
    """A full response: all conditions hold, every tenth answer is "don't know"."""
    gates = {c.question for c in plan.gates if hasattr(c, "question")}
    answers: dict[str, Any] = {}
    for i, qp in enumerate(plan.questions):
        q = qp.question
        if i % 10 == 3 and q.dont_know and q.id not in gates:
            answers[q.id] = w.DONT_KNOW
        elif isinstance(q, w.TextQuestion):
            answers[q.id] = "Beschluss des Rates vom März"
        elif isinstance(q, w.YesNo):
            answers[q.id] = True
        elif isinstance(q, w.Numeric):
            answers[q.id] = 2.5
        elif isinstance(q, w.MultipleChoice):
            answers[q.id] = tuple(list(qp.points)[:2])
        else:
            options = list(qp.points)
            answers[q.id] = options[min(2 + i % 3, len(options) - 1)]
    return w.Response(respondent="benchmark", answers=answers)


def self_check_responses(plan: ScoringPlan, count: int, seed: int = 1) -> list[w.Response]:
    """Varied responses: about 10 % skipped, some "don't know" and "not applicable"."""
    import random

    rnd = random.Random(seed)
    out = []
    for i in range(count):
        answers: dict[str, Any] = {}
        for qp in plan.questions:
            q = qp.question
            x = rnd.random()
            if x < 0.1:
                continue
            if x < 0.15 and q.dont_know:
                answers[q.id] = w.DONT_KNOW
            elif x < 0.2 and q.not_applicable:
                answers[q.id] = w.NOT_APPLICABLE
            elif isinstance(q, w.TextQuestion):
                continue  # free text has no numpy code
            elif isinstance(q, w.YesNo):
                answers[q.id] = rnd.random() < 0.5
            elif isinstance(q, w.Numeric):
                answers[q.id] = rnd.choice([0, 0.5, 2.0, 7.25, 30])
            elif isinstance(q, w.MultipleChoice):
                answers[q.id] = tuple(rnd.sample(list(qp.points), rnd.randint(0, 3)))
            else:
                answers[q.id] = rnd.choice(list(qp.points))
        out.append(w.Response(respondent=f"r{i}", answers=answers))
    return out


def _scorer(qp: Any) -> Callable[[Any], float]:
    q = qp.question
    if isinstance(q, w.Numeric):
        steps = [(t.min, t.points) for t in q.thresholds]
        lowest = min(p for _, p in steps)

        def numeric(x: float) -> float:
            reached = lowest
            for m, p in steps:  # the last step reached counts
                if x >= m:
                    reached = p
            return reached

        return numeric
    if isinstance(q, w.MultipleChoice):
        table, top = dict(qp.points), qp.hi
        return lambda chosen: min(sum(table[c] for c in chosen), top)
    if isinstance(q, w.YesNo):
        return {True: q.yes_points, False: q.no_points}.__getitem__
    return dict(qp.points).__getitem__


def prepare_hand_loop(
    plan: ScoringPlan,
) -> list[tuple[str, list[Any], list[tuple[int, float]], float]]:
    """Per dimension, children first: id, (question, scorer, lo, range, weight), children, min."""
    out = []
    for node in plan.nodes:
        items = []
        for qi, weight in zip(node.questions, node.question_agg):
            qp = plan.questions[qi]
            items.append((qp.question.id, _scorer(qp), qp.lo, qp.hi - qp.lo, weight))
        children = list(zip(node.children, node.child_agg))
        out.append(("" if node is plan.root else node.id, items, children, node.min_coverage))
    return out


def hand_loop(
    prepared: list[tuple[str, list[Any], list[tuple[int, float]], float]],
    answers: Mapping[str, Any],
) -> dict[str, float | None]:
    """Weighted dimension means with "don't know" and skipped left out, in plain Python.

    No conditions (the benchmark response meets them all); not-applicable answers are left out
    of the denominator; a dimension below its minimum coverage has no score: what the self-check
    needs.
    """
    scores: list[float | None] = []
    coverages: list[float] = []
    out: dict[str, float | None] = {}
    for name, items, children, minimum in prepared:
        total = weights = covered = applicable = 0.0
        for qid, scorer, lo, rng, weight in items:
            a = answers.get(qid)
            if a is w.NOT_APPLICABLE:
                continue
            applicable += weight
            if a is None or a is w.DONT_KNOW or a is w.SKIPPED:
                continue
            total += weight * (scorer(a) - lo) / rng
            weights += weight
            covered += weight
        for c, weight in children:
            applicable += weight
            covered += weight * coverages[c]
            s = scores[c]
            if s is not None:
                total += weight * s / 100.0
                weights += weight
        coverage = covered / applicable
        score = 100.0 * total / weights if weights and coverage + 1e-12 >= minimum else None
        scores.append(score)
        coverages.append(coverage)
        out[name] = score
    return out


# -- c.: a million responses ---------------------------------------------------------------------


def batch_questionnaire() -> w.Questionnaire:
    """100 five-point questions in 10 dimensions; "don't know" left out; half must be answered."""
    scale = w.Scale(
        id="agree", options=tuple(w.Option(value=v, points=p) for p, v in enumerate("abcde"))
    )
    dims = tuple(
        w.Dimension(
            id=f"d{d}",
            questions=tuple(
                w.ScaleQuestion(id=f"q{d}_{i}", scale="agree", dont_know=True) for i in range(10)
            ),
            bands=_bands(),
        )
        for d in range(10)
    )
    return w.Questionnaire(
        id="bench",
        scales=(scale,),
        dimensions=dims,
        bands=_bands(),
        scoring=w.Policies(
            dont_know=w.strategies.Exclude(), skipped=w.strategies.Exclude(), min_coverage=0.5
        ),
    )


def _bands() -> tuple[w.Band, ...]:
    return tuple(
        w.Band(id=name, min=lo, max=lo + 25)
        for name, lo in (("low", 0), ("fair", 25), ("good", 50), ("high", 75))
    )


_EDGES = (25.0, 50.0, 75.0)
_BANDS = ("low", "fair", "good", "high", None)


def batch_reference(codes: Any) -> dict[str, Any]:
    """The same numbers by hand with whole-array numpy: matrix products for the sums.

    Codes 0..4 are the points; NaN is a missing answer. A dimension's score is the mean of its
    answered items (times 100) when at least half are answered; the overall score is the mean of
    the dimension scores there are, when the dimensions' coverages average at least one half.
    """
    import numpy as np

    answered = ~np.isnan(codes)
    values = np.where(answered, codes, 0.0) / 4.0
    membership = np.zeros((codes.shape[1], 10))
    for d in range(10):
        membership[10 * d : 10 * d + 10, d] = 1.0
    sums = values @ membership
    counts = answered.astype(np.float64) @ membership
    coverage = counts / 10.0
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = np.where((counts > 0) & (coverage + 1e-12 >= 0.5), 100.0 * (sums / counts), np.nan)
    names = np.array(_BANDS, dtype=object)
    out: dict[str, Any] = {}
    root_covered = np.zeros(len(codes))
    root_sum = np.zeros(len(codes))
    root_count = np.zeros(len(codes))
    for d in range(10):
        s = scores[:, d]
        c = coverage[:, d]
        scored = ~np.isnan(s)
        root_covered += c
        root_sum += np.where(scored, s, 0.0) / 100.0
        root_count += scored
        out[f"d{d}.score"] = s
        out[f"d{d}.coverage"] = c
        out[f"d{d}.band"] = names[np.where(scored, np.searchsorted(_EDGES, s, side="right"), 4)]
    root_coverage = root_covered / 10.0
    with np.errstate(invalid="ignore", divide="ignore"):
        root = np.where(
            (root_count > 0) & (root_coverage + 1e-12 >= 0.5),
            100.0 * (root_sum / root_count),
            np.nan,
        )
    scored = ~np.isnan(root)
    out["score"] = root
    out["coverage"] = root_coverage
    out["band"] = names[np.where(scored, np.searchsorted(_EDGES, root, side="right"), 4)]
    return out


def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
