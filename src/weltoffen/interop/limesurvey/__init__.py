"""LimeSurvey: survey structures (``.lss``) as questionnaires, CSV response exports as responses.

See docs/formats/limesurvey.md for what maps, what is lost and why.
"""

from weltoffen.interop.limesurvey.responses import read_responses, write_responses
from weltoffen.interop.limesurvey.settings import read_questionnaire
from weltoffen.interop.limesurvey.writer import write_questionnaire
from weltoffen.interop.registry import Format

__all__ = [
    "FORMAT",
    "read_questionnaire",
    "read_responses",
    "write_questionnaire",
    "write_responses",
]

FORMAT = Format(
    name="limesurvey",
    title="LimeSurvey survey structure (.lss) and response export (CSV)",
    suffixes=(".lss", ".csv"),
    read_questionnaire=read_questionnaire,
    write_questionnaire=write_questionnaire,
    read_responses=read_responses,
    write_responses=write_responses,
)
