"""Building DimensionResults fast: the engine makes one per dimension of every response."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from weltoffen._frozen import FrozenDict, freeze
from weltoffen.scoring.results import DimensionResult, Status

__all__ = [
    "MakeDimensionResult",
    "dimension_result",
    "plain_dimension_result",
    "quick_dimension_result",
    "result_slots",
]

#: Builds a DimensionResult from its fields in order, without a trace.
MakeDimensionResult = Callable[
    [
        str,
        float | None,
        float,
        float,
        float | None,
        str | None,
        bool,
        dict[str, int],
        str | None,
        tuple[DimensionResult, ...],
        Status,
    ],
    DimensionResult,
]


def plain_dimension_result(
    id: str,
    score: float | None,
    points: float,
    max_points: float,
    coverage: float | None,
    band: str | None,
    applicable: bool,
    counts: dict[str, int],
    note: str | None,
    dimensions: tuple[DimensionResult, ...],
    status: Status,
) -> DimensionResult:
    """A DimensionResult without a trace, built by its own ``__init__``."""
    return DimensionResult(
        id=id,
        score=score,
        points=points,
        max_points=max_points,
        coverage=coverage,
        band=band,
        applicable=applicable,
        counts=counts,
        note=note,
        dimensions=dimensions,
        status=status,
    )


#: The fields of DimensionResult, in order, as the quick constructors set them.
_FIELDS = (
    "id",
    "score",
    "points",
    "max_points",
    "coverage",
    "band",
    "applicable",
    "counts",
    "note",
    "dimensions",
    "items",
    "status",
)


def result_slots() -> tuple[Any, ...] | None:
    """The slot descriptors of DimensionResult's fields in order, or ``None`` where setting
    them is not what its ``__init__`` does.

    The attrs ``__init__`` of a frozen class sets each field through ``object.__setattr__`` and
    takes keyword arguments only; setting the slots through their descriptors does the same in
    half the time, which counts with 17 dimension results per response. That holds only while
    the class is exactly as expected: slotted, no validators or post-init hook, no converters but
    the freezing of *counts* (which the quick constructors do too), and these fields; a change
    to the class makes this ``None``, and scoring falls back to its own ``__init__``.
    """
    cls = DimensionResult
    fields = attrs.fields(cls)
    converters: dict[str, object] = {f.name: f.converter for f in fields if f.converter}
    if (
        tuple(f.name for f in fields) != _FIELDS
        or any(f.validator is not None for f in fields)
        or set(converters) != {"counts"}
        or converters["counts"] is not freeze
        or hasattr(cls, "__attrs_post_init__")
        or set(getattr(cls, "__slots__", ())) - {"__weakref__"} != set(_FIELDS)
    ):
        return None
    return tuple(cls.__dict__[name] for name in _FIELDS)


def quick_dimension_result() -> MakeDimensionResult | None:
    """A constructor of DimensionResult that fills its slots directly (see
    :func:`result_slots`), or ``None``."""
    slots = result_slots()
    if slots is None:
        return None
    cls = DimensionResult
    new = object.__new__
    (s_id, s_score, s_points, s_max, s_coverage, s_band, s_applicable, s_counts, s_note,
     s_dims, s_items, s_status) = (slot.__set__ for slot in slots)  # fmt: skip

    def make(
        id: str,
        score: float | None,
        points: float,
        max_points: float,
        coverage: float | None,
        band: str | None,
        applicable: bool,
        counts: dict[str, int],
        note: str | None,
        dimensions: tuple[DimensionResult, ...],
        status: Status,
    ) -> DimensionResult:
        result: DimensionResult = new(cls)
        s_id(result, id)
        s_score(result, score)
        s_points(result, points)
        s_max(result, max_points)
        s_coverage(result, coverage)
        s_band(result, band)
        s_applicable(result, applicable)
        s_counts(result, counts if type(counts) is FrozenDict else FrozenDict(counts))
        s_note(result, note)
        s_dims(result, dimensions)
        s_items(result, ())
        s_status(result, status)
        return result

    return make


#: Builds a DimensionResult from its fields in order, without a trace: the quick way where it
#: is safe.
dimension_result: MakeDimensionResult = quick_dimension_result() or plain_dimension_result
