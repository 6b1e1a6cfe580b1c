"""The ``weltoffen`` sheet: the questionnaire in weltoffen's JSON, as the writer left it.

XLSForm has no place for weights of means, strategies, policies, don't-know answers or the
feedback of bands; the writer keeps the whole questionnaire in this sheet. The reader trusts it
only while the form still asks the same questions with the same options (the columns are what
ODK runs): a form edited since, in its questions or options, is read from its columns alone.
"""

from __future__ import annotations

from collections.abc import Mapping

from weltoffen.exceptions import DefinitionError
from weltoffen.interop.report import ReportBuilder
from weltoffen.interop.xlsform.sheets import Workbook
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import Choice, MultipleChoice, ScaleQuestion, YesNo
from weltoffen.scoring.check import check_questionnaire
from weltoffen.serialization.api import load_questionnaire

__all__ = ["SHEET", "embedded", "signature"]

#: The sheet's name.
SHEET = "weltoffen"


def signature(questionnaire: Questionnaire) -> dict[str, tuple[str, ...]]:
    """Every question id with the choice names the form gives it (none for other kinds)."""
    scales = {s.id: s.options for s in questionnaire.scales}
    out: dict[str, tuple[str, ...]] = {}
    for _, question in questionnaire.iter_questions():
        options: tuple[str, ...] = ()
        if isinstance(question, ScaleQuestion):
            chosen = scales[question.scale] if question.scale is not None else question.options
            options = tuple(o.value for o in chosen)
        elif isinstance(question, Choice | MultipleChoice):
            options = tuple(o.value for o in question.options)
        elif isinstance(question, YesNo):
            options = ("yes", "no")
        if options:
            offered = {"dont_know": question.dont_know, "not_applicable": question.not_applicable}
            options += tuple(state for state, given in offered.items() if given)
        out[question.id] = options
    return out


def embedded(
    book: Workbook, form: Mapping[str, tuple[str, ...]], notes: ReportBuilder
) -> Questionnaire | None:
    """The questionnaire of the ``weltoffen`` sheet, if there is one and *form* (the columns'
    questions and choice names) still matches it."""
    rows = book.rows(SHEET)
    if not rows:
        return None
    text = "".join(cell.text for row in rows for cell in row.cells.values())
    where = {"location": (SHEET,)}
    try:
        questionnaire = load_questionnaire(text=text, format="json", check=False)
        problems = check_questionnaire(questionnaire)
        if problems:
            raise DefinitionError(problems)
    except DefinitionError as error:
        notes.dropped(
            "weltoffen sheet",
            f"not a weltoffen questionnaire ({error.problems[0]}); the columns alone are read",
            **where,
        )
        return None
    if signature(questionnaire) != dict(form):
        notes.dropped(
            "weltoffen sheet",
            "the form's questions or choices were changed since weltoffen wrote it; the "
            "columns alone are read (weights, policies and bands of the sheet are not applied)",
            hint="export the questionnaire from weltoffen again",
            **where,
        )
        return None
    notes.exact(
        "weltoffen sheet",
        "the questionnaire as weltoffen wrote it (weights, strategies, policies, bands); "
        "the form's questions and choices match it",
        **where,
    )
    return questionnaire
