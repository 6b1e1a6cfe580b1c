"""Questions asked of the model by more than one layer (checks, plan, files, reports).

They read the model only, so they live beside it: the layers above import them from here
instead of from each other. (What an answer sheet asks besides the questions is in
:mod:`weltoffen.model.sheet_metadata`, apart, so that loading the checks does not build it.)
"""

from __future__ import annotations

from collections.abc import Sequence

from weltoffen.model.questions import Choice, MultipleChoice, Option, Question, ScaleQuestion

__all__ = ["options_of"]


def options_of(question: Question, scales: dict[str, Sequence[Option]]) -> Sequence[Option]:
    """The options a question offers (its own, or its scale's)."""
    if isinstance(question, ScaleQuestion) and question.scale is not None:
        return scales.get(question.scale, ())
    if isinstance(question, ScaleQuestion | Choice | MultipleChoice):
        return question.options
    return ()
