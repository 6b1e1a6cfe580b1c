"""Results of scoring: plain values, ready to report or serialise; they never need the plan.

Results are hashable and share no dict with the response or the caller (their mappings are
frozen), so they can be kept in sets, used as cache keys and passed between threads.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from weltoffen._frozen import freeze
from weltoffen._repr import value_repr
from weltoffen.model.answers import AnswerValue, MetaValue, State

__all__ = ["DimensionResult", "ItemResult", "Result", "Status"]


class Status(enum.Enum):
    """What a dimension's (or the overall) result is: scored, or why it has no score.

    Every path that scores sets it, so that programs need not read notes, which are for people.
    """

    #: It has a score.
    SCORED = "scored"
    #: Nothing in it applies: every question is not applicable or hidden by a condition.
    NOT_APPLICABLE = "not_applicable"
    #: Something applies, but too little is answered to score it: the coverage is below the
    #: minimum, or nothing that counts is answered (the note says which).
    NOT_ASSESSABLE = "not_assessable"

    @classmethod
    def of(cls, score: float | None, coverage: float | None) -> Status:
        """The status of a result with *score* and *coverage* (as every path decides it)."""
        if score is not None:
            return cls.SCORED
        if coverage is None:
            return cls.NOT_APPLICABLE
        return cls.NOT_ASSESSABLE


def _derived_status(result: Any) -> Status:
    """The status of a result built without one (results read from JSON written before it)."""
    return Status.of(result.score, result.coverage)


@attrs.frozen(kw_only=True)
class ItemResult:
    """How one question entered its dimension's score (part of the trace).

    Attributes:
        question: The question id.
        state: The answer state.
        value: The answer as given (``None`` when there was none).
        points: Points earned in the instrument's units (after reverse keying; for a missing answer
            filled in by its policy, the filled-in points; ``None`` when not counted).
        max_points: The most points the question can earn.
        score: The question's score 0..100 (``None`` when not counted).
        weight: The question's weight from the dimension's weighting scheme.
        effective_weight: Share of the dimension's score this question carries in this response,
            after renormalisation (0 when not counted).
        contribution: Points of the dimension score (0..100) this question adds, for linear
            aggregations; ``None`` otherwise.
        note: Why the question was left out or how it was filled in; ``None`` for a plain answer.
    """

    __repr__ = value_repr

    question: str
    state: State
    value: AnswerValue | None
    points: float | None
    max_points: float
    score: float | None
    weight: float
    effective_weight: float
    contribution: float | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class DimensionResult:
    """The score of one dimension.

    Attributes:
        id: The dimension id.
        score: 0..100, or ``None`` when the dimension is not assessable or not applicable.
        points: Points earned in the instrument's units: each counted question's points times its
            declared weight, summed over the subtree (missing answers filled in by a policy count
            with their filled-in points). Weighting schemes do not change points.
        max_points: The same sum of the most points attainable, over everything applicable.
        coverage: Answered weight / applicable weight, 0..1 (``None`` when nothing applies).
        band: Id of the band the score falls in (``None`` without score or bands).
        applicable: ``False`` when the dimension is hidden or none of its questions apply.
        counts: Number of scored questions per answer state, over the whole subtree.
        note: Why there is no score, when there is none (for people; programs read *status*).
        dimensions: Results of the child dimensions.
        items: The trace of the dimension's own questions (empty unless a trace was asked for).
        status: Whether it is scored, and if not, whether it is not applicable or not
            assessable (derived from *score* and *coverage* when not given).
    """

    __repr__ = value_repr

    id: str
    score: float | None
    points: float
    max_points: float
    coverage: float | None
    band: str | None = None
    applicable: bool = True
    counts: Mapping[str, int] = attrs.field(factory=dict, converter=freeze)
    note: str | None = None
    dimensions: tuple[DimensionResult, ...] = ()
    items: tuple[ItemResult, ...] = ()
    status: Status = attrs.field(default=attrs.Factory(_derived_status, takes_self=True))


@attrs.frozen(kw_only=True)
class Result:
    """The scores of one response: overall values plus the dimension tree.

    Attributes:
        respondent: The respondent's id.
        instrument: The questionnaire id.
        version: The questionnaire version.
        score: Overall score 0..100, or ``None`` when not assessable.
        points: Weighted points earned overall.
        max_points: Weighted points attainable overall.
        coverage: Overall answered weight / applicable weight.
        band: Id of the overall band.
        counts: Number of scored questions per answer state.
        note: Why there is no score, when there is none (for people; programs read *status*).
        dimensions: Results of the top-level dimensions.
        texts: Free-text answers by question id (kept, never scored).
        metadata: The response's metadata.
        traced: Whether the dimension results carry item traces.
        status: Whether it is scored, and if not, whether it is not applicable or not
            assessable (derived from *score* and *coverage* when not given).
        fingerprint: The questionnaire's fingerprint (see :mod:`weltoffen.versions`): results
            with the same one were scored alike; ``None`` when not known.
    """

    __repr__ = value_repr

    respondent: str
    instrument: str
    version: str
    score: float | None
    points: float
    max_points: float
    coverage: float | None
    band: str | None = None
    counts: Mapping[str, int] = attrs.field(factory=dict, converter=freeze)
    note: str | None = None
    dimensions: tuple[DimensionResult, ...] = ()
    texts: Mapping[str, str] = attrs.field(factory=dict, converter=freeze)
    metadata: Mapping[str, MetaValue] = attrs.field(factory=dict, converter=freeze)
    traced: bool = False
    status: Status = attrs.field(default=attrs.Factory(_derived_status, takes_self=True))
    fingerprint: str | None = None

    def iter_dimensions(self) -> Iterator[DimensionResult]:
        """Every dimension result, depth first."""
        stack = list(reversed(self.dimensions))
        while stack:
            dim = stack.pop()
            yield dim
            stack.extend(reversed(dim.dimensions))

    def dimension(self, id: str) -> DimensionResult:
        """The result of dimension *id*, wherever it is in the tree.

        Raises:
            KeyError: No dimension has that id.
        """
        for dim in self.iter_dimensions():
            if dim.id == id:
                return dim
        raise KeyError(id)
