"""Numbers as a report writes them: fixed decimals with the decimal mark of the language."""

from __future__ import annotations

from weltoffen.model.answers import AnswerValue
from weltoffen.reports.texts import labels_for

__all__ = ["number", "plain_number"]


def number(value: float, lang: str, digits: int = 1) -> str:
    """*value* with *digits* decimals and the decimal mark of *lang* (``52,5`` in German)."""
    text = f"{value:.{digits}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return text.replace(".", labels_for(lang)["decimal"])


def plain_number(value: AnswerValue, lang: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if float(value).is_integer():
        return str(int(value))
    return number(float(value), lang, 2).rstrip("0")
