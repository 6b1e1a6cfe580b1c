"""Choosing one language from a multilingual text."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["pick"]


def pick(text: Mapping[str, str], language: str | None, default: str) -> str:
    """*text* in *language*, else in the *default* language, else in any language, else ``""``."""
    if language and language in text:
        return text[language]
    if default in text:
        return text[default]
    return next(iter(text.values()), "")
