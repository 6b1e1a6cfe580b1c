"""Weighting schemes: the relative weight of each child of a dimension, fixed at compile time."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import attrs

from weltoffen._fields import checked
from weltoffen._repr import value_repr
from weltoffen.typing import Child

__all__ = ["Equal", "Explicit", "Fixed", "ItemCount"]


@attrs.frozen(field_transformer=checked)
class Explicit:
    """Each child counts with the ``weight`` declared on it (1 unless stated)."""

    __repr__ = value_repr

    def weigh(self, children: Sequence[Child]) -> Sequence[float]:
        return [c.weight for c in children]


@attrs.frozen(field_transformer=checked)
class Equal:
    """Every child counts the same, whatever weight it declares (weight 0 still switches it off)."""

    __repr__ = value_repr

    def weigh(self, children: Sequence[Child]) -> Sequence[float]:
        return [1.0 if c.weight > 0 else 0.0 for c in children]


@attrs.frozen(field_transformer=checked)
class ItemCount:
    """Each child counts with its declared weight times the number of scored questions it holds.

    With this scheme a dimension of ten questions outweighs one of two, as if all questions stood
    in one flat list.
    """

    __repr__ = value_repr

    def weigh(self, children: Sequence[Child]) -> Sequence[float]:
        return [c.weight * c.items for c in children]


@attrs.frozen(field_transformer=checked)
class Fixed:
    """Weights given per child id, e.g. computed from data by :mod:`weltoffen.analysis.weights`.

    In a data file::

        weighting: {kind: fixed, weights: {q1: 0.5, q2: 0.3, q3: 0.2}}

    Every child must be named exactly once; the numbers need not sum to one. As with
    :class:`Equal`, a child whose declared ``weight`` is 0 stays switched off.

    Attributes:
        weights: Child id -> weight (finite, >= 0).
    """

    __repr__ = value_repr

    weights: Mapping[str, float]

    def weigh(self, children: Sequence[Child]) -> Sequence[float]:
        """The weights of *children*, in their order.

        Raises:
            ValueError: An id is unknown or missing, or a weight is negative or not finite.
        """
        problems = id_problems(self.weights, children)
        problems += [
            f"weight of {cid!r} must be a finite number >= 0 (got {w!r})"
            for cid, w in self.weights.items()
            if not (math.isfinite(w) and w >= 0)
        ]
        if problems:
            raise ValueError("fixed: " + "; ".join(problems))
        return switched_off([self.weights[c.id] for c in children], children)


def id_problems(given: Iterable[str], children: Sequence[Child]) -> list[str]:
    """What is wrong with the child ids a weighting names: unknown ones and missing ones.

    Args:
        given: The ids the weighting's parameters name.
        children: The dimension's children as the compiler passes them.

    Returns:
        One message for the unknown ids and one for the missing ids, when there are any.
    """
    names = list(given)
    known = [c.id for c in children]
    problems = []
    unknown = [n for n in names if n not in known]
    if unknown:
        problems.append(
            f"unknown child id(s) {_quoted(unknown)} (the children are {_quoted(known)})"
        )
    missing = [k for k in known if k not in names]
    if missing:
        problems.append(f"missing child id(s) {_quoted(missing)}: give every child a value")
    return problems


def switched_off(weights: Sequence[float], children: Sequence[Child]) -> list[float]:
    """*weights* with 0 for every child whose declared weight is 0 (as :class:`Equal` does)."""
    return [float(w) if c.weight > 0 else 0.0 for w, c in zip(weights, children)]


def _quoted(ids: Sequence[str]) -> str:
    return ", ".join(repr(i) for i in ids) if ids else "none"
