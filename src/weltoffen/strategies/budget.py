"""Budget allocation: several experts share out points among a dimension's children."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import attrs

from weltoffen._fields import checked
from weltoffen._repr import value_repr
from weltoffen.strategies.weightings import id_problems, switched_off
from weltoffen.typing import Child

__all__ = ["Budget"]


@attrs.frozen(field_transformer=checked)
class Budget:
    """The mean of several experts' point budgets (the OECD/JRC handbook's budget allocation).

    Each expert distributes points over all children of the dimension; each budget is turned into
    shares of its own total, and a child's weight is the mean of its shares over the experts, so
    every expert counts the same however many points they handed out. In a data file::

        weighting:
          kind: budget
          total: 100
          budgets:
            - {ms-01: 30, ms-02: 70}
            - {ms-01: 50, ms-02: 50}

    gives ``ms-01`` the weight 0.4 and ``ms-02`` 0.6. A child whose declared ``weight`` is 0
    stays switched off.

    Attributes:
        budgets: One mapping child id -> points per expert; every expert names every child
            (0 allowed), points are finite and >= 0, and each expert hands out some points.
        total: When given, every budget must add up to exactly this many points (a check that
            the experts kept to the rules of the exercise).
    """

    __repr__ = value_repr

    budgets: tuple[Mapping[str, float], ...]
    total: float | None = None

    def weigh(self, children: Sequence[Child]) -> Sequence[float]:
        """The averaged shares of *children*, in their order.

        Raises:
            ValueError: No budget, an unknown or missing id, a negative or non-finite number of
                points, a budget of no points, or a budget off the declared total.
        """
        problems = self.problems(children)
        if problems:
            raise ValueError("budget: " + "; ".join(problems))
        means = [
            math.fsum(b[c.id] / math.fsum(b.values()) for b in self.budgets) / len(self.budgets)
            for c in children
        ]
        return switched_off(means, children)

    def problems(self, children: Sequence[Child]) -> list[str]:
        """Everything wrong with the budgets for *children*, one message each (empty if fine)."""
        if not self.budgets:
            return ["give at least one expert's budget"]
        problems = []
        if self.total is not None and not (math.isfinite(self.total) and self.total > 0):
            problems.append(f"total must be a finite number > 0 (got {self.total!r})")
        for k, budget in enumerate(self.budgets):
            where = f"budgets[{k}]"
            problems += [f"{where}: {p}" for p in id_problems(budget, children)]
            bad = [f"{i!r}: {p!r}" for i, p in budget.items() if not (math.isfinite(p) and p >= 0)]
            if bad:
                got = ", ".join(bad)
                problems.append(f"{where}: points must be finite numbers >= 0 (got {got})")
                continue
            spent = math.fsum(budget.values())
            if spent <= 0:
                problems.append(f"{where}: hands out no points")
            elif self.total is not None and not math.isclose(spent, self.total, rel_tol=1e-9):
                problems.append(
                    f"{where}: points add up to {spent:g}, expected the total {self.total:g}"
                )
        return problems
