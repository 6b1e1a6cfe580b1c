"""Texts in an XLSForm label, hint or title, where ``${name}`` is a reference to a field.

pyxform refuses a ``${`` that names no field of the form, while a weltoffen text may hold those
two characters as plain text, like any others. The writer therefore puts a word joiner (U+2060,
which forms do not show) after the ``$`` of every ``${`` that is no reference to a name of the
form, and doubles a joiner that already follows a ``$``, so that the reader gives the text back
exactly. A reference to a name of the form stays as it is: ODK shows that field's answer there,
as it did in the form the text may have come from.
"""

from __future__ import annotations

import re
from collections.abc import Container

__all__ = ["form_text", "plain_text"]

_JOINER = "\u2060"
#: ``$`` and what follows it, where it matters: a joiner, or ``{`` with a reference after it.
_DOLLAR = re.compile(r"\$(?=\{|\u2060)(?:\{(?:last-saved#)?([A-Za-z_][A-Za-z0-9_.\-]*)\})?")
_ESCAPED = re.compile(r"\$\u2060([\u2060{])")


def form_text(text: str, names: Container[str]) -> str:
    """*text* as a cell of the form whose fields are *names*: pyxform accepts it."""
    if "$" not in text:
        return text

    def inert(match: re.Match[str]) -> str:
        if match.group(1) is not None and match.group(1) in names:
            return match.group(0)
        return "$" + _JOINER + match.group(0)[1:]

    return _DOLLAR.sub(inert, text)


def plain_text(text: str) -> str:
    """The text that :func:`form_text` wrote as *text* (texts without its marks are unchanged)."""
    if "$" + _JOINER not in text:
        return text
    return _ESCAPED.sub(lambda m: "$" + ("{" if m.group(1) == "{" else _JOINER), text)
