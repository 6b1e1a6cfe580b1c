"""Numbers as a report writes them: fixed decimals in the reader's locale (``52,5`` in German)."""

from __future__ import annotations

from weltoffen.model.answers import AnswerValue
from weltoffen.translations import decimal

__all__ = ["number", "plain_number", "signed_number"]


def number(value: float, lang: str, digits: int = 1) -> str:
    """*value* with *digits* decimals, written as *lang* writes numbers."""
    return decimal(value, lang, digits)


def signed_number(value: float, lang: str, digits: int = 1) -> str:
    """A change: *value* with a plus sign when above zero and a true minus sign below it."""
    text = number(value, lang, digits)
    if value > 0:
        text = "+" + text
    return text.replace("-", "−")


def plain_number(value: AnswerValue, lang: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if float(value).is_integer():
        return str(int(value))
    return number(float(value), lang, 2).rstrip("0")
