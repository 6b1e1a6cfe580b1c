"""The analytic hierarchy process: weights from a matrix of pairwise comparisons (pure Python)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import attrs

from weltoffen._fields import checked
from weltoffen._repr import value_repr
from weltoffen.strategies.weightings import id_problems, switched_off
from weltoffen.typing import Child

__all__ = ["AHP", "MAX_RATIO", "RANDOM_INDEX", "Consistency"]

#: Saaty's random indices: the mean consistency index of random reciprocal matrices of order n
#: (index n - 1). ``saaty1980`` is the classic table (Saaty 1980; used in Saaty 1990, "How to make
#: a decision", EJOR 48); ``saaty2005`` the re-estimate of Saaty's *Theory and Applications of the
#: Analytic Network Process* (2005, p. 31), which reaches n = 15.
RANDOM_INDEX: Mapping[str, tuple[float, ...]] = {
    "saaty1980": (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49),
    "saaty2005": (
        0.0,
        0.0,
        0.52,
        0.89,
        1.11,
        1.25,
        1.35,
        1.40,
        1.45,
        1.49,
        1.52,
        1.54,
        1.56,
        1.58,
        1.59,
    ),
}

#: Saaty's rule: a consistency ratio above this means the judgements should be revised.
MAX_RATIO = 0.1

#: How far ``a[i][j] * a[j][i]`` may stray from 1. Data files cannot hold fractions, so 1/3 is
#: written 0.33 (product 0.99) or 0.333; a swapped or mistyped entry is far outside this band.
RECIPROCAL_TOLERANCE = 0.05

_MAX_ITERATIONS = 10_000
_TOLERANCE = 1e-14


@attrs.frozen
class Consistency:
    """How consistent a comparison matrix is.

    Attributes:
        n: The order of the matrix.
        lambda_max: Its principal eigenvalue (n for a perfectly consistent matrix).
        ci: Consistency index ``(lambda_max - n) / (n - 1)``.
        ri: The random index for n in the chosen table (``None`` when the table stops short).
        cr: Consistency ratio ``ci / ri`` (0 for n <= 2, ``None`` without a random index).
    """

    __repr__ = value_repr

    n: int
    lambda_max: float
    ci: float
    ri: float | None
    cr: float | None


@attrs.frozen(field_transformer=checked)
class AHP:
    """Weights from pairwise comparisons: the principal eigenvector of Saaty's matrix.

    ``matrix[i][j]`` says how much more important child *i* is than child *j* on Saaty's 1..9
    scale (1 equal, 3 moderately, 5 strongly, 7 very strongly, 9 extremely more important), and
    ``matrix[j][i]`` holds its reciprocal. Rows and columns follow the dimension's children in
    the order the compiler passes them (its scored questions, then its child dimensions), or the
    order of ``ids`` when given. In a data file::

        weighting:
          kind: ahp
          ids: [education, housing, work]
          matrix:
            - [1,    3,   5]
            - [0.333, 1,  2]
            - [0.2,  0.5, 1]

    Because data files hold decimals, not fractions, each pair is made exactly reciprocal before
    the eigenvector is computed: ``a[i][j]`` becomes ``sqrt(a[i][j] / a[j][i])`` (which changes
    nothing when the pair was already reciprocal). A matrix whose consistency ratio exceeds 0.1 is
    refused unless ``allow_inconsistent`` is set. A child whose declared ``weight`` is 0 stays
    switched off.

    Attributes:
        matrix: The square comparison matrix, entries finite and > 0, ones on the diagonal.
        ids: The child ids in the order of the rows (optional, recommended: it guards against
            rows silently shifting when children are reordered).
        allow_inconsistent: Accept a consistency ratio above 0.1.
        random_index: ``saaty1980`` (default, n <= 10) or ``saaty2005`` (n <= 15).
    """

    __repr__ = value_repr

    matrix: tuple[tuple[float, ...], ...]
    ids: tuple[str, ...] | None = None
    allow_inconsistent: bool = False
    random_index: str = "saaty1980"

    def weigh(self, children: Sequence[Child]) -> Sequence[float]:
        """The priorities of *children*, in their order (summing to 1 before switching off).

        Raises:
            ValueError: The matrix does not fit the children, is not a positive reciprocal
                matrix, or is too inconsistent (each problem named in the message).
        """
        problems = self.problems(children)
        if problems:
            raise ValueError("ahp: " + "; ".join(problems))
        priorities = self.priorities()
        if self.ids is None:
            return switched_off(priorities, children)
        by_id = dict(zip(self.ids, priorities))
        return switched_off([by_id[c.id] for c in children], children)

    def priorities(self) -> tuple[float, ...]:
        """The principal eigenvector of the matrix, scaled to sum to 1, in row order.

        Raises:
            ValueError: The matrix is not a positive reciprocal matrix.
        """
        return _principal(self._reciprocal())[1]

    def consistency(self) -> Consistency:
        """Saaty's consistency index and ratio of the matrix.

        Raises:
            ValueError: The matrix is not a positive reciprocal matrix, or ``random_index``
                names no table.
        """
        if self.random_index not in RANDOM_INDEX:
            raise ValueError(_table_problem(self.random_index))
        matrix = self._reciprocal()
        n = len(matrix)
        lam = _principal(matrix)[0]
        ci = (lam - n) / (n - 1) if n > 1 else 0.0
        table = RANDOM_INDEX[self.random_index]
        if n <= 2:
            # Every reciprocal matrix of order 1 or 2 is consistent; the tables hold 0 there.
            return Consistency(n=n, lambda_max=lam, ci=0.0, ri=table[n - 1], cr=0.0)
        ri = table[n - 1] if n <= len(table) else None
        return Consistency(n=n, lambda_max=lam, ci=ci, ri=ri, cr=None if ri is None else ci / ri)

    def problems(self, children: Sequence[Child] | None = None) -> list[str]:
        """Everything wrong with the parameters (for *children*, when given); empty if fine."""
        problems = _matrix_problems(self.matrix)
        if self.random_index not in RANDOM_INDEX:
            problems.append(_table_problem(self.random_index))
        n = len(self.matrix)
        if self.ids is not None:
            twice = sorted({i for i in self.ids if self.ids.count(i) > 1})
            if twice:
                problems.append(f"ids names {', '.join(map(repr, twice))} more than once")
            if len(self.ids) != n:
                problems.append(f"ids names {len(self.ids)} children but the matrix has {n} rows")
            if children is not None:
                problems += id_problems(self.ids, children)
        elif children is not None and n != len(children):
            order = ", ".join(repr(c.id) for c in children)
            problems.append(
                f"the matrix has {n} rows but the dimension has {len(children)} children "
                f"({order}); give one row and one column per child, in this order"
            )
        if problems:
            return problems
        c = self.consistency()
        if c.cr is None and not self.allow_inconsistent:
            covered = len(RANDOM_INDEX[self.random_index])
            problems.append(
                f"the random index table {self.random_index!r} covers at most {covered} "
                f"children, not {c.n}: choose random_index: saaty2005 (up to 15), or set "
                "allow_inconsistent: true to skip the consistency check"
            )
        elif c.cr is not None and c.cr > MAX_RATIO and not self.allow_inconsistent:
            problems.append(
                f"consistency ratio CR = {c.cr:.3f} is above {MAX_RATIO} (lambda_max = "
                f"{c.lambda_max:.3f}, CI = {c.ci:.3f}, RI = {c.ri} for n = {c.n}); revise the "
                "comparisons, or set allow_inconsistent: true to accept them"
            )
        return problems

    def _reciprocal(self) -> list[list[float]]:
        problems = _matrix_problems(self.matrix)
        if problems:
            raise ValueError("ahp: " + "; ".join(problems))
        a = self.matrix
        n = len(a)
        # The geometric mean of a[i][j] and 1/a[j][i]: symmetric in the two entries, exact when
        # they already are reciprocal.
        return [
            [1.0 if i == j else math.sqrt(a[i][j] / a[j][i]) for j in range(n)] for i in range(n)
        ]


def _matrix_problems(matrix: Sequence[Sequence[float]]) -> list[str]:
    n = len(matrix)
    if n == 0:
        return ["the matrix is empty"]
    short = [f"row {i} has {len(row)} entries" for i, row in enumerate(matrix) if len(row) != n]
    if short:
        return [f"the matrix must be square ({n} x {n}): {', '.join(short)}"]
    problems = [
        f"matrix[{i}][{j}] must be a finite number > 0 (got {v!r})"
        for i, row in enumerate(matrix)
        for j, v in enumerate(row)
        if not (math.isfinite(v) and v > 0)
    ]
    if problems:
        return problems
    for i in range(n):
        if not math.isclose(matrix[i][i], 1.0, rel_tol=1e-9):
            problems.append(f"matrix[{i}][{i}] must be 1 (got {matrix[i][i]!r})")
        for j in range(i + 1, n):
            product = matrix[i][j] * matrix[j][i]
            if abs(product - 1.0) > RECIPROCAL_TOLERANCE:
                problems.append(
                    f"matrix[{i}][{j}] = {matrix[i][j]:g} and matrix[{j}][{i}] = "
                    f"{matrix[j][i]:g} are not reciprocal (their product is {product:.3g}, not 1)"
                )
    return problems


def _table_problem(name: str) -> str:
    return f"unknown random_index {name!r} (one of {', '.join(map(repr, RANDOM_INDEX))})"


def _principal(a: Sequence[Sequence[float]]) -> tuple[float, tuple[float, ...]]:
    """Principal eigenvalue and eigenvector (summing to 1) of a positive matrix, by power iteration.

    A positive matrix has a simple dominant eigenvalue with a positive eigenvector
    (Perron-Frobenius), so repeated multiplication from any positive start converges to it.
    """
    n = len(a)
    x = [1.0 / n] * n
    for _ in range(_MAX_ITERATIONS):
        y = [math.fsum(a[i][j] * x[j] for j in range(n)) for i in range(n)]
        total = math.fsum(y)
        y = [v / total for v in y]
        change = max(abs(u - v) for u, v in zip(x, y))
        x = y
        if change < _TOLERANCE:
            break
    else:
        # judgements on Saaty's 1..9 scale converge long before this; ratios of a million in a
        # cycle, allowed with allow_inconsistent, can run out of steps
        raise ValueError("ahp: the eigenvector iteration did not converge")
    # With x summing to 1, A x = lambda x gives lambda = sum(A x).
    lam = math.fsum(math.fsum(a[i][j] * x[j] for j in range(n)) for i in range(n))
    return lam, tuple(x)
