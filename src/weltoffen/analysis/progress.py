"""Progress of one respondent over several rounds of the same instrument.

Rounds are ordered by the ``date`` in their metadata (ISO dates sort as text) or, where a round
has no date, kept in the order given. Rounds answered under an older version are first carried
to the newest version by the crosswalks (:func:`weltoffen.versions.migrate.migrate`, chained from
the round's version to the newest); what could not be carried stays as migration notes.

Whether a change is *real*: the sensitivity analysis (:func:`analyse_sensitivity`) scores every
round under the same random draws of the declared methodological choices and gives each score a
5–95 % interval. A change between two rounds counts as real when the two intervals do not
overlap: the later round's low end lies above the earlier round's high end (a real rise) or its
high end below the earlier round's low end (a real fall). A change that no reasonable choice of
weights, aggregation or missing-answer policy could produce from the same answers is thus called
real; anything smaller is reported but not called real. Without a score in either round there is
no change and nothing is real.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence

import attrs

from weltoffen.analysis.advice import advise
from weltoffen.analysis.sensitivity import Choices, ScoreSummary, analyse_sensitivity
from weltoffen.exceptions import DefinitionError, Problem, ProblemCode
from weltoffen.model.answers import AnswerValue, Response
from weltoffen.model.dimensions import Dimension, Suggestion, Text
from weltoffen.scoring.engine import score
from weltoffen.scoring.plan import ScoringPlan
from weltoffen.scoring.results import DimensionResult, Result
from weltoffen.versions.crosswalk import Crosswalk
from weltoffen.versions.migrate import MigrationNote, migrate

__all__ = [
    "RULE",
    "AdviceTaken",
    "AnswerChange",
    "Progress",
    "Round",
    "RoundInput",
    "ScoreChange",
    "Step",
    "SuggestionTaken",
    "analyse_progress",
    "carry",
    "crosswalk_path",
    "real_change",
]

#: The rule by which a change is judged real, for reports.
RULE = (
    "a change is real when the 5–95 % intervals that the sensitivity analysis gives for the two "
    "rounds do not overlap"
)

#: Tolerance when comparing scores computed along different paths.
_EPSILON = 1e-9


@attrs.frozen
class RoundInput:
    """One round as given: the response and the version of the instrument it was answered to.

    Attributes:
        label: How the round is named in reports (a file name, say).
        response: The response.
        version: The instrument version it was answered to.
    """

    label: str
    response: Response
    version: str


@attrs.frozen
class Round:
    """One round, carried to the newest version and scored.

    Attributes:
        label: As given.
        date: The ``date`` of its metadata, if any.
        version: The version it was answered to.
        response: The response under the newest version.
        result: Its result under the newest version (traced).
        overall: The sensitivity analysis' summary of the overall score.
        dimensions: The same per dimension id (every level).
        notes: What the migration could not carry.
    """

    label: str
    date: str | None
    version: str
    response: Response
    result: Result
    overall: ScoreSummary
    dimensions: Mapping[str, ScoreSummary]
    notes: tuple[MigrationNote, ...] = ()


@attrs.frozen
class ScoreChange:
    """The change of one score (overall or a field) from one round to the next.

    Attributes:
        dimension: The dimension id, ``None`` for the overall score.
        before: The earlier score.
        after: The later score.
        change: ``after - before`` (``None`` without both scores).
        real: Whether the change is real by :data:`RULE`.
    """

    dimension: str | None
    before: float | None
    after: float | None
    change: float | None
    real: bool


@attrs.frozen
class AnswerChange:
    """One answer that differs between two rounds (``None``: no answer)."""

    question: str
    before: AnswerValue | None
    after: AnswerValue | None


@attrs.frozen
class SuggestionTaken:
    """A suggestion the earlier round's report made, and whether it is done now.

    Attributes:
        dimension: The dimension whose band made it (``None``: the overall band).
        text: The suggestion.
        concerns: The questions that tell whether it is done.
        done: Whether every concerned question now reaches the suggestion's share of points.
    """

    dimension: str | None
    text: Text
    concerns: tuple[str, ...]
    done: bool


@attrs.frozen
class AdviceTaken:
    """A what-if entry of the earlier round, and whether the answer moved that way.

    Attributes:
        question: The question.
        dimension: The field that holds it.
        before: The earlier answer.
        advised: The answer the advice showed with the largest gain.
        after: The later answer.
        taken: Whether the question's score reached at least the advice's smallest step.
    """

    question: str
    dimension: str
    before: AnswerValue | None
    advised: AnswerValue
    after: AnswerValue | None
    taken: bool


@attrs.frozen
class Step:
    """From one round to the next."""

    before: str
    after: str
    overall: ScoreChange
    fields: tuple[ScoreChange, ...]
    answers: tuple[AnswerChange, ...]
    suggestions: tuple[SuggestionTaken, ...]
    advice: tuple[AdviceTaken, ...]


@attrs.frozen
class Progress:
    """Rounds of one respondent and the steps between them.

    Attributes:
        instrument: The instrument id.
        version: The newest version, under which every round is scored.
        respondent: Whose rounds.
        rounds: The rounds, oldest first.
        steps: One per pair of consecutive rounds.
        rule: How "real" is judged.
    """

    instrument: str
    version: str
    respondent: str
    rounds: tuple[Round, ...]
    steps: tuple[Step, ...]
    rule: str = RULE


def real_change(before: ScoreSummary, after: ScoreSummary) -> bool:
    """Whether the intervals of two summaries do not overlap (see :data:`RULE`)."""
    if before.nominal is None or after.nominal is None:
        return False
    b_low, b_high, a_low, a_high = before.low, before.high, after.low, after.high
    if b_low is None or b_high is None or a_low is None or a_high is None:
        return False
    return a_low > b_high or a_high < b_low


def crosswalk_path(crosswalks: Sequence[Crosswalk], start: str, end: str) -> list[Crosswalk]:
    """The crosswalks leading from version *start* to *end*, in order.

    Raises:
        DefinitionError: No chain of the crosswalks given leads there.
    """
    by_from = {cw.from_version: cw for cw in crosswalks}
    path: list[Crosswalk] = []
    current = start
    while current != end:
        step = by_from.get(current)
        if step is None or len(path) > len(crosswalks):
            raise DefinitionError(
                [
                    Problem(
                        ProblemCode.NOT_FOUND,
                        f"no crosswalk leads from version {start} to {end}",
                        location=("crosswalk",),
                        hint="give one with --crosswalk for each step",
                    )
                ]
            )
        path.append(step)
        current = step.to_version
    return path


def carry(
    responses: Sequence[Response], crosswalks: Sequence[Crosswalk], start: str, end: str
) -> tuple[tuple[Response, ...], tuple[MigrationNote, ...]]:
    """*responses* given to version *start*, carried to version *end* through the chain of
    *crosswalks* that leads there (:func:`crosswalk_path`), with every note of what was not
    carried as it was.

    Raises:
        DefinitionError: No chain of the crosswalks leads from *start* to *end*.
    """
    carried = tuple(responses)
    notes: tuple[MigrationNote, ...] = ()
    for cw in crosswalk_path(crosswalks, start, end):
        migration = migrate(carried, cw)
        carried, notes = migration.responses, notes + migration.notes
    return carried, notes


def analyse_progress(
    plan: ScoringPlan,
    rounds: Sequence[RoundInput],
    choices: Choices,
    *,
    crosswalks: Sequence[Crosswalk] = (),
    draws: int = 200,
    seed: int = 0,
    progress: Callable[[int, int], object] | None = None,
) -> Progress:
    """Compare two or more rounds of one respondent under *plan* (the newest version).

    Args:
        plan: The plan of the newest version.
        rounds: The rounds in the order given; those with a ``date`` are sorted by it.
        choices: What the sensitivity analysis varies to judge whether a change is real.
        crosswalks: Crosswalks carrying older rounds to ``plan``'s version.
        draws: Draws of the sensitivity analysis.
        seed: Its seed; the same inputs give the same progress.
        progress: Told how far the sensitivity analysis is (see
            :func:`~weltoffen.analysis.sensitivity.analyse_sensitivity`).

    Raises:
        DefinitionError: Fewer than two rounds, or no crosswalk path for a round's version.
    """
    if len(rounds) < 2:
        raise DefinitionError(
            [
                Problem(
                    ProblemCode.TOO_FEW,
                    "progress needs at least two rounds",
                    location=("rounds",),
                    got=str(len(rounds)),
                )
            ]
        )
    ordered = _ordered(rounds)
    newest = plan.questionnaire.version
    carried: list[tuple[RoundInput, Response, tuple[MigrationNote, ...]]] = []
    for given in ordered:
        (response,), notes = carry([given.response], crosswalks, given.version, newest)
        carried.append((given, response, notes))
    # Distinct ids, so that the sensitivity analysis keeps the rounds apart.
    tagged = [attrs.evolve(r, respondent=f"round-{k}") for k, (_, r, _) in enumerate(carried)]
    report = analyse_sensitivity(
        plan, tagged, choices, draws=draws, seed=seed, indices=False, progress=progress
    )
    built = tuple(
        Round(
            label=given.label,
            date=_date(given.response),
            version=given.version,
            response=response,
            result=score(plan, response, trace=True),
            overall=summary.overall,
            dimensions=dict(summary.dimensions),
            notes=notes,
        )
        for (given, response, notes), summary in zip(carried, report.respondents, strict=True)
    )
    steps = tuple(_step(plan, a, b) for a, b in itertools.pairwise(built))
    return Progress(
        instrument=plan.questionnaire.id,
        version=newest,
        respondent=ordered[-1].response.respondent,
        rounds=built,
        steps=steps,
    )


def _date(response: Response) -> str | None:
    value = response.metadata.get("date")
    return None if value is None else str(value)


def _ordered(rounds: Sequence[RoundInput]) -> list[RoundInput]:
    if all(_date(r.response) is not None for r in rounds):
        return sorted(rounds, key=lambda r: str(_date(r.response)))  # stable for equal dates
    return list(rounds)


def _change(dimension: str | None, before: ScoreSummary, after: ScoreSummary) -> ScoreChange:
    b, a = before.nominal, after.nominal
    return ScoreChange(
        dimension=dimension,
        before=b,
        after=a,
        change=None if a is None or b is None else a - b,
        real=real_change(before, after),
    )


def _walk(dims: Sequence[DimensionResult]) -> Iterator[DimensionResult]:
    for dim in dims:
        yield dim
        yield from _walk(dim.dimensions)


def _item_scores(result: Result) -> dict[str, float | None]:
    return {item.question: item.score for dim in _walk(result.dimensions) for item in dim.items}


def _definitions(dims: Sequence[Dimension]) -> Iterator[Dimension]:
    for dim in dims:
        yield dim
        yield from _definitions(dim.dimensions)


def _done(suggestion: Suggestion, scores: Mapping[str, float | None]) -> bool:
    # The same test as the report's (reports.document): every concerned question at its share.
    found = [scores.get(q) for q in suggestion.concerns]
    return bool(found) and all(s is not None and s >= 100 * suggestion.done_at for s in found)


def _suggestions(plan: ScoringPlan, before: Result, after: Result) -> tuple[SuggestionTaken, ...]:
    q = plan.questionnaire
    then, now = _item_scores(before), _item_scores(after)
    bands = {d.id: d.bands for d in _definitions(q.dimensions)}
    made: list[tuple[str | None, str | None]] = [(None, before.band)]
    made += [(d.id, d.band) for d in _walk(before.dimensions)]
    taken: list[SuggestionTaken] = []
    for dim_id, band_id in made:
        defined = q.bands if dim_id is None else bands.get(dim_id, ())
        band = next((b for b in defined if b.id == band_id), None)
        for s in band.suggestions if band is not None else ():
            # Made last time (not yet done then) and judgeable (it names its questions).
            if s.concerns and not _done(s, then):
                taken.append(SuggestionTaken(dim_id, s.text, s.concerns, _done(s, now)))
    return tuple(taken)


def _advice(plan: ScoringPlan, before: Round, after: Round) -> tuple[AdviceTaken, ...]:
    advice = advise(plan, before.result, response=before.response)
    now = _item_scores(after.result)
    seen: set[str] = set()
    taken: list[AdviceTaken] = []
    for field in advice.iter_fields():
        for what in field.what_if:
            if what.question in seen or not what.changes:
                continue
            seen.add(what.question)
            reached = now.get(what.question)
            smallest = min(c.item_score for c in what.changes)
            taken.append(
                AdviceTaken(
                    question=what.question,
                    dimension=what.dimension,
                    before=what.current,
                    advised=what.best.answer,
                    after=after.response.answers.get(what.question),
                    # Scores reached by different paths differ in the last bits.
                    taken=reached is not None and reached >= smallest - _EPSILON,
                )
            )
    return tuple(taken)


def _step(plan: ScoringPlan, before: Round, after: Round) -> Step:
    ids = [d.id for d in _walk(after.result.dimensions)]
    empty = ScoreSummary(nominal=None, median=None, low=None, high=None)
    fields = tuple(
        _change(d, before.dimensions.get(d, empty), after.dimensions.get(d, empty)) for d in ids
    )
    old, new = before.response.answers, after.response.answers
    answers = tuple(
        AnswerChange(qp.question.id, old.get(qp.question.id), new.get(qp.question.id))
        for qp in plan.questions
        if old.get(qp.question.id) != new.get(qp.question.id)
    )
    return Step(
        before=before.label,
        after=after.label,
        overall=_change(None, before.overall, after.overall),
        fields=fields,
        answers=answers,
        suggestions=_suggestions(plan, before.result, after.result),
        advice=_advice(plan, before, after),
    )
