"""Which option of a question an answer read from a foreign file names."""

from __future__ import annotations

from collections.abc import Sequence

from weltoffen.scoring.answers import code_key

__all__ = ["option_named"]


def option_named(value: object, values: Sequence[str]) -> str | None:
    """The option value among *values* that *value* names (``None`` for none).

    Text that is an option's value names that option, even where another option spells the
    same number (``"0"`` beside ``"00"``). Otherwise a number, or text that spells one, names the
    first option spelling that number: a file may hold a numeric code in either form. ``True``
    and ``False`` name no option.
    """
    if isinstance(value, str) and value in values:
        return value
    key = code_key(value)
    if key is None:
        return None
    return next((v for v in values if code_key(v) == key), None)
