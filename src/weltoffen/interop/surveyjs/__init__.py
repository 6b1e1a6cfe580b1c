"""SurveyJS survey JSON: questionnaires and survey results.

:func:`write_questionnaire` writes a survey that renders a weltoffen questionnaire in the
browser (every language, conditions as ``visibleIf``, points as a custom ``score`` property on
the choices, the bands as ``completedHtmlOnCondition``) and reads back to the same questionnaire;
:func:`read_questionnaire` imports any survey with a report of what came across;
:func:`read_responses` and :func:`write_responses` read and write survey results.
docs/formats/surveyjs.md says what maps and what is lost each way.
"""

from weltoffen.interop.registry import Format
from weltoffen.interop.surveyjs.exporting import band_html, survey_json, write_questionnaire
from weltoffen.interop.surveyjs.importing import import_survey, read_questionnaire
from weltoffen.interop.surveyjs.responses import (
    read_responses,
    result_object,
    results_of,
    write_responses,
)

__all__ = [
    "FORMAT",
    "band_html",
    "import_survey",
    "read_questionnaire",
    "read_responses",
    "result_object",
    "results_of",
    "survey_json",
    "write_questionnaire",
    "write_responses",
]

FORMAT = Format(
    name="surveyjs",
    title="SurveyJS survey JSON",
    suffixes=(".json",),
    read_questionnaire=read_questionnaire,
    write_questionnaire=write_questionnaire,
    read_responses=read_responses,
    write_responses=write_responses,
)
