"""Characters that do not show as themselves: escaping them for a terminal, finding them in ids.

Text from data files reaches terminals (tables, messages) and becomes ids (questions, options,
CSV headers). Three hazards share one root, characters that are not what they seem:

- control characters and bidirectional overrides change what a terminal shows (an escape
  sequence retitles the window, U+202E turns the rest of a line around): :func:`escape_controls`
  writes them as visible escapes;
- invisible characters (zero-width spaces, bidi marks, variation selectors) make two ids that look
  equal differ: :func:`invisible` finds them;
- letters of other scripts that look like Latin ones (Cyrillic ``с`` in ``сost``) do the same:
  :func:`skeleton` maps both spellings to one string.
"""

from __future__ import annotations

import unicodedata

__all__ = ["escape_controls", "invisible", "one_line", "skeleton"]

#: Categories of characters with no glyph of their own: controls (Cc), format characters (Cf: bidi
#: marks, overrides and isolates, zero-width spaces and joiners, the byte order mark, tags), line
#: and paragraph separators (Zl, Zp) and lone surrogates (Cs: undecodable bytes in file names).
_UNSEEN = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})

#: Default-ignorable characters outside those categories (Unicode's Default_Ignorable_Code_Point):
#: the combining grapheme joiner, Hangul fillers, Khmer inherent vowels, Mongolian free variation
#: selectors and the variation selectors. A terminal draws nothing for them, so they are harmless
#: there, but in an id they are as invisible as a zero-width space.
_IGNORABLE = frozenset(
    [
        *(0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x180F, 0x3164, 0xFFA0),
        *range(0xFE00, 0xFE10),
        *range(0xE0100, 0xE01F0),
    ]
)


def _unseen(char: str) -> bool:
    return unicodedata.category(char) in _UNSEEN


def invisible(char: str) -> bool:
    """Whether *char* shows nothing (or acts on other text) instead of being a visible sign."""
    return _unseen(char) or ord(char) in _IGNORABLE


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    # as JSON writes it (a surrogate pair), so that escaped JSON still parses to the same text
    high, low = divmod(code - 0x10000, 0x400)
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


def escape_controls(text: str, keep: str = "\n\t") -> str:
    """*text* with every control, format and separator character written as an escape.

    C0 controls become ``\\x1b``, everything else ``\\u202e`` (beyond U+FFFF a surrogate pair,
    ``\\udb40\\udc01``). Raw C0 controls never occur in JSON text, and the other escapes are
    JSON's own, so JSON passed through here still parses to exactly the same data. A carriage
    return is kept where it ends a line (``\\r\\n``, as CSV writes), since there it cannot
    overwrite what was shown.

    Args:
        text: Text on its way to a terminal.
        keep: Controls to leave as they are (the layout's own line breaks and tabs).
    """
    kept = text
    for char in keep:
        kept = kept.replace(char, "")
    # The common case, nothing to escape, found in C: every unseen category is unprintable (the
    # converse does not hold, so unprintable text is looked at character by character).
    if kept.isprintable() or not any(_unseen(c) for c in text):
        return text
    crlf = "\n" in keep
    return "".join(
        char
        if not _unseen(char)
        or char in keep
        or (crlf and char == "\r" and text[i + 1 : i + 2] == "\n")
        else _escape(char)
        for i, char in enumerate(text)
    )


def one_line(text: str) -> str:
    """*text* as it may stand in one line (a table cell, a message): every control escaped."""
    return escape_controls(text, keep="")


# -- look-alike letters ------------------------------------------------------------------------

#: Letters of other scripts that look like a Latin letter or digit, by the character they are
#: taken for. Hand-picked from Unicode's confusables list (UTS #39): the single letters of the
#: Cyrillic, Greek and Armenian alphabets that pass for Latin ones in common fonts, and the digits
#: and strokes that pass for letters (``0``/``O``, ``1``/``l``/``I``/``|``).
_LOOK_ALIKES = {
    "a": "аα",
    "b": "Ь",
    "c": "сϲ",
    "d": "ԁ",
    "e": "еҽ",
    "f": "ք",
    "g": "ց",
    "h": "һհ",
    "i": "іιꙇ",
    "j": "јϳ",
    "l": "1I|ΙІӀӏ",
    "n": "ոռ",
    "o": "оοσօ",
    "p": "рρϱ",
    "q": "ԛգզ",
    "r": "г",
    "s": "ѕ",
    "u": "υս",
    "v": "νѵ",
    "w": "ԝѡա",
    "x": "х",
    "y": "уүγ",
    "A": "АΑ",
    "B": "ВΒ",
    "C": "СϹ",
    "E": "ЕΕ",
    "G": "Ԍ",
    "H": "НΗ",
    "J": "ЈͿ",
    "K": "КΚ",
    "M": "МΜϺ",
    "N": "Ν",
    "O": "0ОΟՕ",
    "P": "РΡ",
    "S": "ЅՏ",
    "T": "ТΤ",
    "U": "Ս",
    "V": "Ѵ",
    "W": "Ԝ",
    "X": "ХΧ",
    "Y": "УҮΥϒ",
    "Z": "Ζ",
    "3": "ЗӠ",
    "6": "б",
}
_PROTOTYPE = {ord(alike): latin for latin, alikes in _LOOK_ALIKES.items() for alike in alikes}
#: The part of it for printable ASCII, where the steps of :func:`skeleton` come down to this
#: replacement (such text has nothing to decompose and nothing invisible): most ids are ASCII,
#: and the checks of every questionnaire loaded take the skeleton of each of its ids.
_ASCII_PROTOTYPE = {code: latin for code, latin in _PROTOTYPE.items() if code < 0x80}


def _prototype(char: str) -> str:
    mapped = _PROTOTYPE.get(ord(char))
    if mapped is not None:
        return mapped
    # compatibility forms (fullwidth letters, mathematical alphabets, ligatures) decompose to
    # plain letters, which may in turn be look-alikes; mapping first keeps the few look-alikes
    # whose decomposition would hide them (U+03F2 lunate sigma decomposes to a final sigma)
    return "".join(_PROTOTYPE.get(ord(c), c) for c in unicodedata.normalize("NFKD", char))


def skeleton(text: str) -> str:
    """A string that two texts share when they look alike (after Unicode TR39's skeleton).

    TR39 decomposes the text, replaces every character by the prototype it is confusable with
    (from Unicode's full confusables table, several thousand entries) and decomposes again. This
    follows the same steps with a compact table instead: compatibility decomposition (so that
    fullwidth ``ｃｏｓｔ`` and mathematical ``𝐜𝐨𝐬𝐭`` become ``cost``), invisible characters
    dropped, and the Cyrillic, Greek and Armenian letters and the digits listed in
    ``_LOOK_ALIKES`` replaced by the Latin character they pass for. Not covered: look-alikes
    within other scripts, sequences that look like one letter (``rn`` for ``m``) and accented
    letters (``é`` keeps its accent, so ``cafe`` and ``café`` differ). Case is kept, as in TR39.
    """
    if text.isascii() and text.isprintable():
        return text.translate(_ASCII_PROTOTYPE)
    parts = (_prototype(c) for c in text if not invisible(c))
    return unicodedata.normalize("NFD", "".join(parts))
