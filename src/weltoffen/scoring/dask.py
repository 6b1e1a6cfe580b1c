"""Scoring a Dask DataFrame: :func:`~weltoffen.scoring.batch.score_many` on every partition.

For answers that do not fit in one machine's memory, or that already live in a Dask cluster
(Parquet files on shared storage, say). Each partition is a pandas DataFrame scored on its own with
the same compiled plan, which is shipped to the workers once; the result is a lazy Dask DataFrame
with the partitions and index of the input. Needs ``pip install weltoffen[dask]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from weltoffen.scoring.batch import score_many
from weltoffen.scoring.plan import ScoringPlan

__all__ = ["score_dask"]


def score_dask(plan: ScoringPlan, frame: Any, *, keep: Sequence[str] = ()) -> Any:
    """Score a Dask DataFrame partition by partition; lazy until computed.

    Args:
        plan: From :func:`weltoffen.compile`; it is pickled and sent to the workers.
        frame: A ``dask.dataframe.DataFrame`` with one column per question id, cells as
            :func:`~weltoffen.scoring.batch.score_many` reads them from pandas.
        keep: Columns of *frame* to copy into the result first.

    Returns:
        A Dask DataFrame with the columns of :func:`~weltoffen.scoring.batch.result_columns`
        (after *keep*), one row per input row, same index and partitions.

    Raises:
        TypeError: *frame* is not a Dask DataFrame.
        ResponseError: When computed: a partition holds a value that does not fit its question.
    """
    from dask.delayed import delayed

    if not hasattr(frame, "map_partitions") or not hasattr(frame, "_meta"):
        raise TypeError(f"score_dask takes a Dask DataFrame, not {type(frame).__name__}")
    # an empty pandas frame of the input's columns gives the result's columns and dtypes
    meta = score_many(plan, frame._meta, keep=keep)
    # one graph key for the plan, instead of a copy inside every partition's task
    shared = delayed(plan, pure=True)
    return frame.map_partitions(_score_partition, shared, tuple(keep), meta=meta)


def _score_partition(part: Any, plan: ScoringPlan, keep: tuple[str, ...]) -> Any:
    return score_many(plan, part, keep=keep)
