"""Results as a flat CSV table, one row per respondent, for spreadsheets and statistics tools.

Columns: ``respondent``, ``score``, ``coverage``, ``band``; then ``<dimension>.score``,
``<dimension>.coverage`` and ``<dimension>.band`` for every dimension (depth first, as in the
questionnaire); then ``meta.<name>`` for every metadata key. Numbers are written unrounded, bands
as their ids (stable across languages), and a missing value (no score, no band) as an empty cell.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from weltoffen.model.answers import MetaValue
from weltoffen.scoring.results import Result

__all__ = ["format_csv"]

Cell = str | float | MetaValue


def format_csv(results: Iterable[Result], *, delimiter: str = ",") -> str:
    """The results as CSV text with a header row.

    Args:
        results: Results of one questionnaire (results of others only add their own columns).
        delimiter: The field separator (``;`` suits spreadsheet programs set up for German).

    Returns:
        The CSV text, with ``\\r\\n`` line ends as the CSV standard asks.
    """
    results = list(results)
    dimensions = list(dict.fromkeys(d.id for r in results for d in r.iter_dimensions()))
    metadata = list(dict.fromkeys(key for r in results for key in r.metadata))
    header = ["respondent", "score", "coverage", "band"]
    header += [f"{d}.{part}" for d in dimensions for part in ("score", "coverage", "band")]
    header += [f"meta.{key}" for key in metadata]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    for result in results:
        by_id = {d.id: d for d in result.iter_dimensions()}
        row: list[Cell] = [result.respondent, result.score, result.coverage, result.band]
        for d in dimensions:
            dim = by_id.get(d)
            row += [dim.score, dim.coverage, dim.band] if dim is not None else [None, None, None]
        row += [result.metadata.get(key) for key in metadata]
        writer.writerow(row)
    return out.getvalue()
