"""Results as a flat CSV table, one row per respondent, for spreadsheets and statistics tools.

Columns: ``respondent``, ``score``, ``coverage``, ``band``; then ``<dimension>.score``,
``<dimension>.coverage`` and ``<dimension>.band`` for every dimension (depth first, as in the
questionnaire); then ``meta.<name>`` for every metadata key; last ``instrument``, ``version``
and ``fingerprint``, which say what each row was scored with (:mod:`weltoffen.versions`).
Numbers are written unrounded, bands as their ids (stable across languages), and a missing value
(no score, no band) as an empty cell.

Text that a spreadsheet program would run as a formula — a cell beginning with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return — is written with a leading apostrophe (``'=1+1``), which
spreadsheets show as text; numbers are written as they are (the rule is
:mod:`weltoffen.serialization.cells`). Respondent ids and metadata come from whoever filled in the
answers, so a results file must be safe to open.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from weltoffen.model.answers import MetaValue
from weltoffen.scoring.results import Result
from weltoffen.serialization.cells import inert_cell

__all__ = ["flat_header", "format_csv", "inert_row"]

Cell = str | float | MetaValue


def format_csv(results: Iterable[Result], *, delimiter: str = ",") -> str:
    """The results as CSV text with a header row.

    Args:
        results: Results of one questionnaire (results of others only add their own columns).
        delimiter: The field separator (``;`` suits spreadsheet programs set up for German).

    Returns:
        The CSV text, with ``\\r\\n`` line ends as the CSV standard asks; text cells that
        would start a formula get a leading apostrophe (see the module docstring).
    """
    results = list(results)
    dimensions = list(dict.fromkeys(d.id for r in results for d in r.iter_dimensions()))
    metadata = list(dict.fromkeys(key for r in results for key in r.metadata))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(inert_row(flat_header(dimensions, metadata)))
    for result in results:
        by_id = {d.id: d for d in result.iter_dimensions()}
        row: list[Cell] = [result.respondent, result.score, result.coverage, result.band]
        for d in dimensions:
            dim = by_id.get(d)
            row += [dim.score, dim.coverage, dim.band] if dim is not None else [None, None, None]
        row += [result.metadata.get(key) for key in metadata]
        row += [result.instrument, result.version, result.fingerprint]
        writer.writerow(inert_row(row))
    return out.getvalue()


def flat_header(dimensions: Sequence[str], metadata: Sequence[str]) -> list[str]:
    """The header row of the table for these *dimensions* (depth first) and *metadata* keys."""
    header = ["respondent", "score", "coverage", "band"]
    header += [f"{d}.{part}" for d in dimensions for part in ("score", "coverage", "band")]
    header += [f"meta.{key}" for key in metadata]
    return [*header, "instrument", "version", "fingerprint"]


def inert_row(row: Iterable[object]) -> list[object]:
    """*row* with every text cell made safe to open in a spreadsheet program."""
    return [inert_cell(cell) for cell in row]
