"""Questions asked of the model by more than one layer (checks, plan, files, reports).

They read the model only, so they live beside it: the layers above import them from here
instead of from each other. (What an answer sheet asks besides the questions is in
:mod:`weltoffen.model.sheet_metadata`, apart, so that loading the checks does not build it.)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from weltoffen.exceptions import Location
from weltoffen.model.dimensions import Dimension
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import Choice, MultipleChoice, Option, Question, ScaleQuestion

__all__ = ["dimension_locations", "options_of", "question_locations"]


def options_of(question: Question, scales: Mapping[str, Sequence[Option]]) -> Sequence[Option]:
    """The options a question offers (its own, or its scale's)."""
    if isinstance(question, ScaleQuestion) and question.scale is not None:
        return scales.get(question.scale, ())
    if isinstance(question, ScaleQuestion | Choice | MultipleChoice):
        return question.options
    return ()


def dimension_locations(q: Questionnaire) -> Iterator[tuple[Location, Dimension]]:
    """Every dimension, depth first, with its location (``("dimensions", 2, "dimensions", 0)``)."""
    stack: list[tuple[Location, Dimension]] = [
        (("dimensions", i), d) for i, d in reversed(list(enumerate(q.dimensions)))
    ]
    while stack:
        path, dim = stack.pop()
        yield path, dim
        stack.extend(
            ((*path, "dimensions", i), d) for i, d in reversed(list(enumerate(dim.dimensions)))
        )


def question_locations(q: Questionnaire) -> Iterator[tuple[Location, Question]]:
    """Every question, in document order, with its location."""
    for path, dim in dimension_locations(q):
        for i, question in enumerate(dim.questions):
            yield (*path, "questions", i), question
