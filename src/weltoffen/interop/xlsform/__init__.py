"""XLSForm (ODK, KoboToolbox): workbooks as questionnaires, CSV exports as responses.

See docs/formats/xlsform.md for what maps, what is lost and why. Reading needs the optional
extra ``xlsform`` (pyxform and openpyxl), imported only when a function runs.
"""

from weltoffen.interop.registry import Format
from weltoffen.interop.xlsform.reader import read_questionnaire
from weltoffen.interop.xlsform.responses import read_responses, write_responses
from weltoffen.interop.xlsform.writer import write_questionnaire

__all__ = [
    "FORMAT",
    "read_questionnaire",
    "read_responses",
    "write_questionnaire",
    "write_responses",
]

FORMAT = Format(
    name="xlsform",
    title="XLSForm workbook (ODK, KoboToolbox) and its CSV exports",
    suffixes=(".xlsx",),
    read_questionnaire=read_questionnaire,
    write_questionnaire=write_questionnaire,
    read_responses=read_responses,
    write_responses=write_responses,
)
