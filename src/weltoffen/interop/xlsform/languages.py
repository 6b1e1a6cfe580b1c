"""XLSForm language names (``label::English (en)``) and weltoffen's language codes."""

from __future__ import annotations

import re

__all__ = ["code_of", "name_of"]

_NAMES = {
    "en": "English",
    "de": "Deutsch",
    "fr": "Français",
    "es": "Español",
    "pt": "Português",
    "sw": "Swahili",
    "ar": "العربية",
}
_KNOWN = {name.lower(): code for code, name in _NAMES.items()} | {
    "francais": "fr",
    "french": "fr",
    "german": "de",
    "spanish": "es",
    "portuguese": "pt",
    "arabic": "ar",
}


def code_of(name: str, default: str) -> str:
    """The language code of an XLSForm language name: ``English (en)`` and ``English`` -> en.

    ``default`` (pyxform's name for a label without a language) gives *default*.
    """
    match = re.search(r"\(([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?)\)\s*$", name)
    if match:
        return match.group(1).lower()
    text = name.strip()
    if not text or text.lower() == "default":
        return default
    return _KNOWN.get(text.lower(), text)


def name_of(code: str) -> str:
    """The column suffix weltoffen writes for language *code*: ``Deutsch (de)``."""
    return f"{_NAMES.get(code, code)} ({code})"
