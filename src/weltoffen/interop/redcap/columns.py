"""The columns of a REDCap data dictionary, under every spelling REDCap has written them.

The web export writes the long headers ("Variable / Field Name", "Choices, Calculations, OR Slider
Labels"), the API the short ones (``field_name``, ``select_choices_or_calculations``), and older
versions shorter long ones ("Choices OR Calculations", "Text Validation Type"). A header is
matched after dropping case and everything but letters and digits, so spacing, punctuation and a
byte order mark do not matter.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping, Sequence

import attrs

__all__ = ["COLUMNS", "REQUIRED", "Row", "header_key", "records", "standard_header"]

#: Our name of each of REDCap's 18 columns -> the spellings REDCap uses, long form first.
COLUMNS: Mapping[str, tuple[str, ...]] = {
    "field_name": ("Variable / Field Name", "field_name", "Variable Name", "Field Name"),
    "form_name": ("Form Name", "form_name", "Instrument Name"),
    "section_header": ("Section Header", "section_header"),
    "field_type": ("Field Type", "field_type"),
    "field_label": ("Field Label", "field_label"),
    "choices": (
        "Choices, Calculations, OR Slider Labels",
        "select_choices_or_calculations",
        "Choices OR Calculations",
        "Choices",
    ),
    "field_note": ("Field Note", "field_note"),
    "validation": (
        "Text Validation Type OR Show Slider Number",
        "text_validation_type_or_show_slider_number",
        "Text Validation Type",
        "Validation",
    ),
    "validation_min": ("Text Validation Min", "text_validation_min"),
    "validation_max": ("Text Validation Max", "text_validation_max"),
    "identifier": ("Identifier?", "identifier"),
    "branching_logic": (
        "Branching Logic (Show field only if...)",
        "branching_logic",
        "Branching Logic",
    ),
    "required": ("Required Field?", "required_field"),
    "custom_alignment": ("Custom Alignment", "custom_alignment"),
    "question_number": ("Question Number (surveys only)", "question_number"),
    "matrix_group": ("Matrix Group Name", "matrix_group_name"),
    "matrix_ranking": ("Matrix Ranking?", "matrix_ranking"),
    "annotation": ("Field Annotation", "field_annotation"),
}

#: Columns without which a table is no data dictionary.
REQUIRED = ("field_name", "form_name", "field_type")


def header_key(text: str) -> str:
    """*text* without case, byte order mark, spacing and punctuation (how headers are matched)."""
    return re.sub(r"[^0-9a-z]", "", text.lower())


_BY_KEY = {
    header_key(spelling): name for name, spellings in COLUMNS.items() for spelling in spellings
}


def standard_header(text: str) -> str | None:
    """Our name of the column headed *text*, or ``None`` for a column REDCap does not write."""
    return _BY_KEY.get(header_key(text))


@attrs.frozen(kw_only=True)
class Row:
    """One field of the dictionary: its cells by our column names, and the line it starts on."""

    line: int
    cells: Mapping[str, str]

    def get(self, column: str) -> str:
        """The cell of *column*, stripped (empty when the column is absent)."""
        return self.cells.get(column, "").strip()

    def raw(self, column: str) -> str:
        """The cell of *column* as written (labels keep their line breaks and spacing)."""
        return self.cells.get(column, "")


def records(text: str) -> Iterator[tuple[int, list[str] | str]]:
    """Each CSV record with the line it starts on; a malformed record gives the parser's message.

    The reader restarts after a malformed record, so every later problem is still found.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, str(exc)
            continue
        yield start, row


def cells_of(header: Sequence[str | None], row: Sequence[str]) -> dict[str, str]:
    """The cells of *row* under the standard columns of *header* (others are left out)."""
    return {name: cell for name, cell in zip(header, row) if name is not None}
