"""The band a ``completedHtmlOnCondition`` entry describes: its heading, paragraphs and list."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import attrs

__all__ = ["BandText", "band_text"]

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BLOCKS = frozenset({"p", "div", "br", *_HEADINGS})


@attrs.frozen
class BandText:
    """What the HTML says: the first heading (the label), the text outside headings and list
    items (the feedback), the list items (suggestions), and whether it held ``{placeholders}``
    (left out: weltoffen's reports give the numbers themselves)."""

    label: str
    feedback: str
    suggestions: tuple[str, ...]
    placeholders: bool


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.label = ""
        self.paragraphs: list[str] = []
        self.items: list[str] = []
        self.stack: list[str] = []
        self.buffer: list[str] = []
        self.placeholders = False

    def flush(self) -> None:
        text = " ".join("".join(self.buffer).split())
        self.buffer = []
        if not text:
            return
        if re.search(r"\{[^{}]+\}", text):
            self.placeholders = True
            return
        inside = set(self.stack)
        if "li" in inside:
            self.items.append(text)
        elif inside & _HEADINGS and not self.label:
            self.label = text
        elif not inside & _HEADINGS:
            self.paragraphs.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS or tag == "li":
            self.flush()
        if tag != "br":
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS or tag == "li":
            self.flush()
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        self.buffer.append(data)


def band_text(html: str) -> BandText:
    """The parts of a band's HTML (tags removed, whitespace collapsed)."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    reader.flush()
    return BandText(
        label=reader.label,
        feedback=" ".join(reader.paragraphs),
        suggestions=tuple(reader.items),
        placeholders=reader.placeholders,
    )
