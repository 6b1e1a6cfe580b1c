"""REDCap: data dictionaries (CSV) as questionnaires, record exports (CSV) as responses.

See docs/formats/redcap.md for what maps, what is lost and why.
"""

from weltoffen.interop.redcap.reader import read_questionnaire
from weltoffen.interop.registry import Format

__all__ = ["FORMAT", "read_questionnaire"]

FORMAT = Format(
    name="redcap",
    title="REDCap data dictionary and records (CSV)",
    suffixes=(".csv",),
    read_questionnaire=read_questionnaire,
)
