"""Reading and writing foreign questionnaire and response formats (FHIR, REDCap, SPSS, ...).

Each format is a :class:`Format` in :data:`default_formats`; importing an instrument gives an
:class:`Imported`: the questionnaire and an :class:`ImportReport` of what came across exactly, what
was approximated and what was dropped, each with its place in the source.
"""

from typing import TYPE_CHECKING

from weltoffen._lazy import lazy_exports

if TYPE_CHECKING:
    from weltoffen.interop.registry import (
        ENTRY_POINT_GROUP,
        Format,
        FormatRegistry,
        default_formats,
    )
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

# Each module loads on first use of one of its names: a command's help names the formats from
# the registry without loading the import report. Hidden from mypy, which reads the imports above.
if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_exports(
        __name__,
        globals(),
        {
            "weltoffen.interop.registry": (
                "ENTRY_POINT_GROUP",
                "Format",
                "FormatRegistry",
                "default_formats",
            ),
            "weltoffen.interop.report": ("Fidelity", "Finding", "Imported", "ImportReport"),
        },
    )
