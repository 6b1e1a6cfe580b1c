"""Weighting schemes: the relative weight of each child of a dimension, fixed at compile time."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from weltoffen.typing import Child

__all__ = ["Equal", "Explicit", "ItemCount"]


@attrs.frozen
class Explicit:
    """Each child counts with the ``weight`` declared on it (1 unless stated)."""

    def weigh(self, children: Sequence[Child]) -> Sequence[float]:
        return [c.weight for c in children]


@attrs.frozen
class Equal:
    """Every child counts the same, whatever weight it declares (weight 0 still switches it off)."""

    def weigh(self, children: Sequence[Child]) -> Sequence[float]:
        return [1.0 if c.weight > 0 else 0.0 for c in children]


@attrs.frozen
class ItemCount:
    """Each child counts with its declared weight times the number of scored questions it holds.

    With this scheme a dimension of ten questions outweighs one of two, as if all questions stood
    in one flat list.
    """

    def weigh(self, children: Sequence[Child]) -> Sequence[float]:
        return [c.weight * c.items for c in children]
