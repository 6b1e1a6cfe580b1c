"""REDCap: data dictionaries (CSV) as questionnaires, record exports (CSV) as responses.

See docs/formats/redcap.md for what maps, what is lost and why.
"""

from weltoffen.interop.redcap.reader import read_questionnaire
from weltoffen.interop.redcap.records import read_responses, write_responses
from weltoffen.interop.redcap.writer import write_questionnaire
from weltoffen.interop.registry import Format

__all__ = [
    "FORMAT",
    "read_questionnaire",
    "read_responses",
    "write_questionnaire",
    "write_responses",
]

FORMAT = Format(
    name="redcap",
    title="REDCap data dictionary and records (CSV)",
    suffixes=(".csv",),
    read_questionnaire=read_questionnaire,
    write_questionnaire=write_questionnaire,
    read_responses=read_responses,
    write_responses=write_responses,
)
