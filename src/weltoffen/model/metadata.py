"""Facts a questionnaire asks about the respondent besides its questions."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from weltoffen._fields import checked
from weltoffen._repr import value_repr
from weltoffen.model.questions import Option

__all__ = ["MetadataField"]

Text = Mapping[str, str]


@attrs.frozen(kw_only=True, field_transformer=checked)
class MetadataField:
    """A fact about the respondent that answer sheets ask for and cohorts group by.

    Metadata is never scored; declaring it lets answer sheets explain it, spreadsheets offer its
    codes, and cohort reports name peer groups in the respondent's language.

    Attributes:
        key: The key under ``metadata:`` in responses (and the CSV column ``meta.<key>``).
        label: What to enter, per language.
        options: Allowed codes with their labels, when the entry is one of a fixed list (their
            ``points`` mean nothing here).
    """

    __repr__ = value_repr

    key: str
    label: Text = attrs.field(factory=dict)
    options: tuple[Option, ...] = ()
