"""XLSForm (ODK, KoboToolbox): workbooks as questionnaires, CSV exports as responses.

See docs/formats/xlsform.md for what maps, what is lost and why. Reading needs the optional
extra ``xlsform`` (pyxform and openpyxl), imported only when a function runs.
"""

from weltoffen.interop.registry import Format
from weltoffen.interop.xlsform.reader import read_questionnaire

__all__ = ["FORMAT", "read_questionnaire"]

FORMAT = Format(
    name="xlsform",
    title="XLSForm workbook (ODK, KoboToolbox) and its CSV exports",
    suffixes=(".xlsx",),
    read_questionnaire=read_questionnaire,
)
