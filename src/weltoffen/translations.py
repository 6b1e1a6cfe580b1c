"""The reports' own words: English in the code, every other language in a gettext catalogue.

Each text is marked where it is defined with ``N_(key, english)``. The key is the message's
gettext context: two texts may read alike in English and still differ in German. Translations
live in ``weltoffen/locale/<lang>/LC_MESSAGES/weltoffen.po``, managed with Babel and compiled to
``.mo`` files that the standard ``gettext`` module reads (docs/translating.md has the commands).
A language without a catalogue reads English.

Numbers and dates are written with Babel's locale data, so that a new catalogue brings its
decimal mark, percent style and month names with it, without code.
"""

from __future__ import annotations

import datetime
import functools
import gettext
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

__all__ = [
    "DOMAIN",
    "LOCALE_DIR",
    "N_",
    "Messages",
    "day",
    "decimal",
    "grouped",
    "languages",
    "percent",
    "translate",
]

#: The gettext domain: the catalogues' file name.
DOMAIN = "weltoffen"
#: Where the compiled catalogues are (inside the package, so they ship in the wheel).
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

#: A table of marked messages: (key, English text) pairs.
Messages = Sequence[tuple[str, str]]


def N_(key: str, english: str) -> tuple[str, str]:
    """Mark *english* as the message *key*: Babel's extraction finds it by this name."""
    return key, english


def translate(messages: Messages, lang: str) -> Mapping[str, str]:
    """*messages* in *lang*: key -> text (English for what the catalogue lacks)."""
    catalogue = _catalogue(lang)
    return MappingProxyType({key: catalogue.pgettext(key, english) for key, english in messages})


def languages() -> tuple[str, ...]:
    """The languages the reports speak: English and every language with a compiled catalogue."""
    found = {p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")}
    return tuple(sorted(found | {"en"}))


def decimal(value: float, lang: str, digits: int | None = None) -> str:
    """*value* in *lang*'s way: exactly *digits* decimals, or as many as it needs (at most 3)."""
    from babel.numbers import format_decimal

    if digits is None:
        exact, pattern = Decimal(repr(value)), "0.###"
    else:
        # rounded as Python rounds the float (as every other output of weltoffen does): Babel
        # would round its decimal text half-even and could differ in the last digit
        exact, pattern = Decimal(f"{value:.{digits}f}"), "0." + "0" * digits if digits else "0"
    text: str = format_decimal(exact, format=pattern, locale=_locale(lang))
    # a value that rounds to zero is zero, without a sign ("-0,0" reads as a loss)
    if text.startswith("-") and not any(c.isdigit() and c != "0" for c in text):
        text = text[1:]
    return text


def percent(share: float, lang: str) -> str:
    """*share* (0..1) as a whole percentage in *lang*'s way (``37 %`` in German)."""
    from babel.numbers import format_percent

    text: str = format_percent(Decimal(f"{100 * share:.0f}") / 100, locale=_locale(lang))
    return text


def grouped(value: int, lang: str) -> str:
    """A whole number with *lang*'s thousands separator (``312.400`` in German)."""
    from babel.numbers import format_decimal

    text: str = format_decimal(value, format="#,##0", locale=_locale(lang))
    return text


def day(value: datetime.date, lang: str) -> str:
    """A calendar day written out in *lang* (``14. Mai 2024``, ``May 14, 2024``)."""
    from babel.dates import format_date

    text: str = format_date(value, format="long", locale=_locale(lang))
    return text


@functools.cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


@functools.cache
def _locale(lang: str) -> Locale:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")
