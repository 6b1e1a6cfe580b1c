"""Reading and writing foreign questionnaire and response formats (FHIR, REDCap, SPSS, ...).

Each format is a :class:`Format` in :data:`default_formats`; importing an instrument gives an
:class:`Imported`: the questionnaire and an :class:`ImportReport` of what came across exactly, what
was approximated and what was dropped, each with its place in the source.
"""

from weltoffen.interop.registry import ENTRY_POINT_GROUP, Format, FormatRegistry, default_formats
from weltoffen.interop.report import Fidelity, Finding, Imported, ImportReport

__all__ = [
    "ENTRY_POINT_GROUP",
    "Fidelity",
    "Finding",
    "Format",
    "FormatRegistry",
    "ImportReport",
    "Imported",
    "default_formats",
]
