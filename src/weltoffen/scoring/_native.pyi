"""Types of the optional compiled fast path of score() (see _native.c and engine.py)."""

from collections.abc import Callable, Mapping
from typing import Any

ROW_FIELDS: tuple[str, ...]
NODE_FIELDS: tuple[str, ...]
SOURCE_SHA256: str

def setup(
    result_class: type[Any],
    slots: tuple[Any, ...],
    fsum: Callable[[list[float]], float],
    eps: float,
    low_coverage_note: Callable[[float, float], str],
    not_applicable_note: str,
    nothing_answered_note: str,
    scored: Any,
    not_applicable: Any,
    not_assessable: Any,
    counts_for: Callable[[dict[int, Any], Any, int], Any],
    /,
) -> None: ...
def read_known(
    tables: Mapping[str, Mapping[object, Any]], got: list[Any], answers: Mapping[str, Any], /
) -> list[tuple[str, Any]] | None: ...
def add_up(
    nodes: tuple[Any, ...], got: list[Any], counts_of: dict[int, Any], layout: Any, absent: int, /
) -> Any: ...
def read_codes(
    codes: Any,
    sizes: Any,
    offsets: Any,
    values: Any,
    points: Any,
    states_out: Any,
    values_out: Any,
    points_out: Any,
    answered: int,
    skipped: int,
    /,
) -> int: ...
