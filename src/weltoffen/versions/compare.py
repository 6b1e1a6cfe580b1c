"""Re-scoring: what a new version of an instrument does to the scores of the same respondents.

The old responses are scored under the old version; migrated by the crosswalk, they are scored
under the new one. The differences per dimension (mean change, smallest and largest change, how
many respondents land in another band) show an instrument change's effect before it is adopted,
and the rows per respondent show whom it touches.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from weltoffen.exceptions import DefinitionError
from weltoffen.model.answers import Response
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.scoring.results import DimensionResult, Result
from weltoffen.versions.crosswalk import Crosswalk
from weltoffen.versions.crosswalk_check import check_crosswalk
from weltoffen.versions.migrate import MigrationNote, migrate

__all__ = ["DimensionChange", "RespondentChange", "VersionComparison", "compare_versions"]


@attrs.frozen
class RespondentChange:
    """One respondent's score in one dimension under both versions.

    Attributes:
        respondent: Whose.
        dimension: The dimension's id; ``None`` for the overall score.
        old_score: Under the old version (``None``: not scored, too few answers).
        new_score: Under the new version, after migrating.
        old_band: The band under the old version.
        new_band: The band under the new version.
    """

    respondent: str
    dimension: str | None
    old_score: float | None
    new_score: float | None
    old_band: str | None
    new_band: str | None

    @property
    def change(self) -> float | None:
        """New minus old score, where both exist."""
        if self.old_score is None or self.new_score is None:
            return None
        return self.new_score - self.old_score

    @property
    def band_changed(self) -> bool:
        """Whether the respondent lands in another band."""
        return self.old_band != self.new_band


@attrs.frozen
class DimensionChange:
    """How the scores of one dimension change across all respondents.

    Attributes:
        dimension: The dimension's id; ``None`` for the overall score.
        title: Its title in the new version (in the questionnaire's language).
        respondents: How many respondents have a score under both versions.
        mean_change: The mean of new minus old score (``None`` without any such respondent).
        min_change: The smallest change.
        max_change: The largest change.
        band_changes: How many respondents land in another band.
    """

    dimension: str | None
    title: str
    respondents: int
    mean_change: float | None
    min_change: float | None
    max_change: float | None
    band_changes: int


@attrs.frozen
class VersionComparison:
    """Scores of the same respondents under two versions of an instrument.

    Attributes:
        instrument: The instrument's id.
        from_version: The old version.
        to_version: The new version.
        dimensions: One row for the overall score, then one per dimension in both versions
            (in the new version's order).
        respondents: Per respondent and dimension, both scores and bands.
        notes: What the migration did not carry.
        only_old: Dimensions of the old version the new one lacks (not compared).
        only_new: Dimensions new in the new version (not compared).
    """

    instrument: str
    from_version: str
    to_version: str
    dimensions: tuple[DimensionChange, ...]
    respondents: tuple[RespondentChange, ...]
    notes: tuple[MigrationNote, ...]
    only_old: tuple[str, ...] = ()
    only_new: tuple[str, ...] = ()

    def to_data(self) -> dict[str, Any]:
        """As plain data (for JSON): the fields, with each respondent row's change."""
        return {
            "instrument": self.instrument,
            "from_version": self.from_version,
            "to_version": self.to_version,
            "dimensions": [attrs.asdict(d) for d in self.dimensions],
            "respondents": [
                {**attrs.asdict(r), "change": r.change, "band_changed": r.band_changed}
                for r in self.respondents
            ],
            "notes": [attrs.asdict(n) for n in self.notes],
            "only_old": list(self.only_old),
            "only_new": list(self.only_new),
        }


def compare_versions(
    old_q: Questionnaire,
    new_q: Questionnaire,
    responses: Iterable[Response],
    crosswalk: Crosswalk,
) -> VersionComparison:
    """Score *responses* under *old_q*, migrate them by *crosswalk* and score them under *new_q*.

    Raises:
        DefinitionError: The crosswalk does not fit the two versions (every problem of
            :func:`~weltoffen.versions.crosswalk.check_crosswalk`).
        ResponseError: A response does not fit the old version, or its migrated form the new
            one.
    """
    from weltoffen.scoring.engine import score
    from weltoffen.scoring.plan import compile

    problems = check_crosswalk(crosswalk, old_q, new_q)
    if problems:
        raise DefinitionError(problems)
    given = list(responses)
    migration = migrate(given, crosswalk)
    old_plan, new_plan = compile(old_q), compile(new_q)
    old_results = [score(old_plan, r) for r in given]
    new_results = [score(new_plan, r) for r in migration.responses]
    old_ids = [d for d, _ in _dimensions(old_q)]
    titles = dict(_dimensions(new_q))
    shared = [d for d in titles if d in old_ids]
    rows: list[RespondentChange] = []
    for before, after in zip(old_results, new_results, strict=True):
        old_by, new_by = _by_dimension(before), _by_dimension(after)
        for dim in (None, *shared):
            o, n = old_by[dim], new_by[dim]
            rows.append(
                RespondentChange(
                    respondent=before.respondent,
                    dimension=dim,
                    old_score=o.score,
                    new_score=n.score,
                    old_band=o.band,
                    new_band=n.band,
                )
            )
    language = new_q.language
    overall = new_q.title.get(language) or next(iter(new_q.title.values()), new_q.id)
    summary = [
        _summary(
            dim, overall if dim is None else titles[dim], [r for r in rows if r.dimension == dim]
        )
        for dim in (None, *shared)
    ]
    return VersionComparison(
        instrument=crosswalk.instrument,
        from_version=crosswalk.from_version,
        to_version=crosswalk.to_version,
        dimensions=tuple(summary),
        respondents=tuple(rows),
        notes=migration.notes,
        only_old=tuple(d for d in old_ids if d not in titles),
        only_new=tuple(d for d in titles if d not in old_ids),
    )


def _dimensions(q: Questionnaire) -> Iterator[tuple[str, str]]:
    """Every dimension's id and title (in the questionnaire's language), depth first."""
    for _, dim in q.iter_dimensions():
        yield dim.id, dim.title.get(q.language) or next(iter(dim.title.values()), dim.id)


def _by_dimension(result: Result) -> Mapping[str | None, Result | DimensionResult]:
    out: dict[str | None, Result | DimensionResult] = {None: result}
    stack = list(result.dimensions)
    while stack:
        dim = stack.pop()
        out[dim.id] = dim
        stack.extend(dim.dimensions)
    return out


def _summary(dim: str | None, title: str, rows: list[RespondentChange]) -> DimensionChange:
    changes = [c for c in (r.change for r in rows) if c is not None]
    return DimensionChange(
        dimension=dim,
        title=title,
        respondents=len(changes),
        mean_change=statistics.fmean(changes) if changes else None,
        min_change=min(changes) if changes else None,
        max_change=max(changes) if changes else None,
        band_changes=sum(r.band_changed for r in rows),
    )
