"""Soft hyphens in long words, so that narrow table headers break where a word may break.

Browsers hyphenate only with a dictionary for the page's language (headless Chromium has none
for German), and otherwise break a long compound anywhere or let it overflow. A soft hyphen
(U+00AD) is invisible until the line breaks there, and then shows as a hyphen: it works in
every browser and in print.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyphen

__all__ = ["SOFT_HYPHEN", "hyphenate"]

SOFT_HYPHEN = "\u00ad"

#: Words shorter than this are left whole: they fit any column.
SHORTEST = 10

_WORD = re.compile(rf"\w{{{SHORTEST},}}")


def hyphenate(text: str, lang: str) -> str:
    """*text* with soft hyphens where its long words may break (in *lang*'s rules).

    Text in a language without hyphenation rules, or without the ``report`` extra's pyphen,
    comes back unchanged.
    """
    dictionary = _dictionary(lang)
    if dictionary is None:
        return text
    return _WORD.sub(lambda m: dictionary.inserted(m.group(), hyphen=SOFT_HYPHEN), text)


@functools.lru_cache(maxsize=8)
def _dictionary(lang: str) -> pyphen.Pyphen | None:
    try:
        import pyphen
    except ImportError:
        return None
    found = pyphen.language_fallback(lang)
    return None if found is None else pyphen.Pyphen(lang=found)
