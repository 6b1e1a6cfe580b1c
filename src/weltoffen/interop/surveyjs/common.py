"""What the SurveyJS reader and writer share: reserved values, property names, texts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "DEFAULT",
    "DONT_KNOW",
    "NONE",
    "NOT_APPLICABLE",
    "POINTS",
    "PROPERTY",
    "REFUSED",
    "SCORE",
    "SHOWN",
    "STATE_TEXTS",
    "localized",
    "texts_of",
]

#: The values SurveyJS itself gives its special items (``showDontKnowItem``, ...).
DONT_KNOW = "dontknow"
REFUSED = "refused"
NONE = "none"
#: SurveyJS has no "not applicable" item: weltoffen writes an ordinary choice with this value.
NOT_APPLICABLE = "notapplicable"

#: The custom property that holds weltoffen's own settings on the survey, pages, panels and
#: questions (what SurveyJS has no property for), in weltoffen's JSON form.
PROPERTY = "weltoffen"
#: The calculated values weltoffen writes: the total points, and the overall 0..100 score.
POINTS = "weltoffen_points"
SCORE = "weltoffen_score"
#: The prefix of the calculated values that say whether a question is shown (1) or not (0).
SHOWN = "weltoffen_shown"

#: The key of a localizable string that SurveyJS uses when the survey's locale has no text.
DEFAULT = "default"

#: Texts of the special items, for the languages weltoffen knows them in.
STATE_TEXTS: Mapping[str, Mapping[str, str]] = {
    "dont_know": {"de": "weiß nicht", "en": "don't know", "fr": "je ne sais pas"},
    "not_applicable": {"de": "trifft nicht zu", "en": "not applicable", "fr": "sans objet"},
    "none": {"de": "nichts davon", "en": "none of these", "fr": "aucun"},
    "yes": {"de": "Ja", "en": "Yes", "fr": "Oui"},
    "no": {"de": "Nein", "en": "No", "fr": "Non"},
}


def localized(text: Mapping[str, str], language: str) -> dict[str, str] | None:
    """*text* as a SurveyJS localizable string: every language, and, unless there is an English
    text (which SurveyJS, English by default, falls back to), the text in *language* (the
    questionnaire's) under ``default``, shown for a locale without a text of its own."""
    if not text:
        return None
    given = dict(text)
    if "en" in given:
        return given
    return {DEFAULT: given.get(language, next(iter(given.values()))), **given}


def texts_of(value: Any, language: str) -> dict[str, str]:
    """A localizable string read back: a plain string is in *language*; ``default`` is the text
    in *language* unless that language has its own text or the default repeats another
    language's text (as weltoffen writes it)."""
    if isinstance(value, str):
        return {language: value} if value else {}
    if not isinstance(value, Mapping):
        return {}
    out: dict[str, str] = {}
    for lang, content in value.items():
        if lang != DEFAULT and isinstance(lang, str) and isinstance(content, str):
            out[lang] = content
    default = value.get(DEFAULT)
    if isinstance(default, str) and default and language not in out and default not in out.values():
        out = {language: default, **out}
    return out
