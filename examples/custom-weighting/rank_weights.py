"""A researcher's own weighting scheme: rank-order centroid weights.

A steering group often cannot say *how much* more one field matters than another, but it can
put the fields in order. Rank-order centroid weights turn that order into numbers: with n fields,
the field ranked k-th gets ``(1/n) * (1/k + 1/(k+1) + ... + 1/n)`` (Barron and Barrett 1996,
"Decision quality using ranked attribute weights", Management Science 42(11)). For three fields
that is 0.611, 0.278 and 0.111.

The class follows the ``Weighting`` protocol of ``weltoffen.typing``: one method, ``weigh``, that
gets the children of a dimension and returns one weight per child. It is a frozen attrs class,
so it compares by value, round-trips through data files and can be shared between threads.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from weltoffen import default_registry
from weltoffen.typing import Child

__all__ = ["RankOrderCentroid", "registry"]


@attrs.frozen
class RankOrderCentroid:
    """Weights from an importance ranking of the children, most important first.

    Attributes:
        ranking: Every child id exactly once, from the most to the least important.
    """

    ranking: tuple[str, ...]

    def weigh(self, children: Sequence[Child]) -> Sequence[float]:
        """Rank-order centroid weights of *children*, in their order.

        Raises:
            ValueError: The ranking misses a child, names an unknown one, or repeats one. The
                compiler reports it as a problem at this weighting's place in the file.
        """
        ids = [c.id for c in children]
        unknown = [r for r in self.ranking if r not in ids]
        missing = [i for i in ids if i not in self.ranking]
        repeated = sorted({r for r in self.ranking if self.ranking.count(r) > 1})
        if unknown or missing or repeated:
            raise ValueError(
                f"rank_order_centroid: ranking must name each of {ids} once "
                f"(unknown: {unknown}, missing: {missing}, repeated: {repeated})"
            )
        n = len(self.ranking)
        centroid = {
            child: sum(1 / j for j in range(k, n + 1)) / n
            for k, child in enumerate(self.ranking, start=1)
        }
        return [centroid[i] for i in ids]


#: The built-in kinds plus ours. A copy, so the library's default registry stays as it was.
registry = default_registry.copy()
registry.register("weighting", "rank_order_centroid", RankOrderCentroid)
