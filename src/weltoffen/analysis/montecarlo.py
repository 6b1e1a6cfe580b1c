"""Generic Monte Carlo machinery: quantiles, ranks, a Saltelli design and Sobol indices.

Nothing here knows about questionnaires: a factor is a sampler, an output a number.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["Row", "descending_ranks", "quantile", "saltelli_design", "sobol_indices"]


def quantile(values: Sequence[float], p: float) -> float:
    """The *p*-quantile of *values* by linear interpolation (R's type 7, numpy's default).

    Raises:
        ValueError: *values* is empty.
    """
    if not values:
        raise ValueError("quantile of no values")
    ordered = sorted(values)
    h = (len(ordered) - 1) * p
    lo = math.floor(h)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (h - lo) * (ordered[hi] - ordered[lo])


Row = tuple[Any, ...]


def saltelli_design(
    samplers: Sequence[Callable[[random.Random], Any]], n: int, rng: random.Random
) -> tuple[list[Row], list[Row], list[list[Row]]]:
    """Matrices A, B and A_B^i of a Saltelli design with *n* rows.

    Each row holds one value per factor, drawn by that factor's sampler (A first, then B, row by
    row, factor by factor, so a seed fixes everything). ``A_B^i`` is A with factor *i* taken from B.

    Returns:
        ``(A, B, [A_B^1, ..., A_B^k])``.
    """
    a = [tuple(s(rng) for s in samplers) for _ in range(n)]
    b = [tuple(s(rng) for s in samplers) for _ in range(n)]
    ab = [[(*ra[:i], rb[i], *ra[i + 1 :]) for ra, rb in zip(a, b)] for i in range(len(samplers))]
    return a, b, ab


def sobol_indices(
    y_a: Sequence[float], y_b: Sequence[float], y_ab: Sequence[Sequence[float]]
) -> list[tuple[float | None, float | None]]:
    """First-order and total-effect indices per factor from a Saltelli design.

    The outputs are first centred on the mean ``m`` of A and B together (which leaves both
    estimands unchanged but makes the first-order estimate far less noisy when scores sit far
    from zero). ``V`` is the variance of all outputs of A and B;
    ``S_i = mean((f(B) − m) · (f(A_B^i) − f(A))) / V`` (Saltelli et al. 2010) and
    ``ST_i = mean((f(A) − f(A_B^i))²) / (2V)`` (Jansen 1999). Both are ``None`` when the output
    does not vary. Estimates can stray slightly outside 0..1 with few draws.
    """
    both = [*y_a, *y_b]
    mean = math.fsum(both) / len(both)
    variance = math.fsum((y - mean) ** 2 for y in both) / len(both)
    if variance <= 1e-12 * max(1.0, mean * mean):
        return [(None, None) for _ in y_ab]
    n = len(y_a)
    out: list[tuple[float | None, float | None]] = []
    for yi in y_ab:
        first = math.fsum((b - mean) * (c - a) for a, b, c in zip(y_a, y_b, yi)) / n / variance
        total = math.fsum((a - c) ** 2 for a, c in zip(y_a, yi)) / (2 * n) / variance
        out.append((first, total))
    return out


def descending_ranks(values: Sequence[float | None]) -> list[float | None]:
    """Rank 1 for the highest value; ties share their average rank; ``None`` stays unranked."""
    order = sorted((v, i) for i, v in enumerate(values) if v is not None)
    ranks: list[float | None] = [None] * len(values)
    pos = len(order)
    while pos > 0:
        end = pos
        while pos > 0 and order[pos - 1][0] == order[end - 1][0]:
            pos -= 1
        shared = (len(order) - end + 1 + len(order) - pos) / 2  # average of the tied positions
        for _, i in order[pos:end]:
            ranks[i] = shared
    return ranks
