"""Tests for weltoffen._unicode: escaping for terminals, invisible characters, look-alike ids."""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.strategies import UNSEEN_CATEGORIES, hostile_texts, look_alike_pairs, unseen_chars
from weltoffen._unicode import escape_controls, invisible, one_line, skeleton


def raw_unseen(text: str, allowed: str = "") -> list[str]:
    """The characters of *text* that a terminal would obey or hide, apart from *allowed*."""
    return [
        c
        for c in text
        if unicodedata.category(c) in {*UNSEEN_CATEGORIES, "Cs"} and c not in allowed
    ]


class TestEscapeControls:
    @given(text=st.text(alphabet=st.one_of(st.characters(), unseen_chars)))
    def test_leaves_nothing_a_terminal_would_obey(self, text: str) -> None:
        shown = escape_controls(text)

        assert raw_unseen(shown.replace("\r\n", "\n"), allowed="\n\t") == []

    @given(text=st.text(alphabet=st.characters(exclude_categories=("Cc", "Cf", "Zl", "Zp", "Cs"))))
    def test_plain_text_is_left_alone(self, text: str) -> None:
        assert text == escape_controls(text)

    @given(
        text=st.text(alphabet=st.one_of(st.characters(), unseen_chars, st.sampled_from("\r\n\t "))),
        keep=st.sampled_from(["\n\t", "", "\n", "\t"]),
    )
    def test_only_unseen_characters_outside_keep_change(self, text: str, keep: str) -> None:
        """Whatever shortcut finds the common case, each character is escaped exactly when it
        is unseen and not kept (a carriage return ending a line is kept with the line break)."""
        shown = escape_controls(text, keep=keep)

        expected = "".join(
            c
            if c in keep
            or unicodedata.category(c) not in {*UNSEEN_CATEGORIES, "Cs"}
            or (c == "\r" and "\n" in keep and text[i + 1 : i + 2] == "\n")
            else escape_controls(c, keep="")
            for i, c in enumerate(text)
        )
        assert shown == expected

    @pytest.mark.parametrize(
        ("char", "escape"),
        [
            ("\x1b", "\\x1b"),
            ("\x07", "\\x07"),
            ("\x00", "\\x00"),
            ("\x7f", "\\u007f"),
            ("\x9b", "\\u009b"),
            ("\u202e", "\\u202e"),
            ("\u2066", "\\u2066"),
            ("\u200b", "\\u200b"),
            ("\ufeff", "\\ufeff"),
            ("\u2028", "\\u2028"),
            ("\ud800", "\\ud800"),
            ("\U000e0001", "\\udb40\\udc01"),
        ],
    )
    def test_each_character_becomes_a_visible_escape(self, char: str, escape: str) -> None:
        assert f"a{escape}b" == escape_controls(f"a{char}b")

    def test_the_layout_keeps_its_line_breaks_and_tabs(self) -> None:
        assert escape_controls("a\tb\nc\r\nd\re") == "a\tb\nc\r\nd\\x0de"

    @given(text=st.text(alphabet=st.one_of(st.characters(), unseen_chars)))
    def test_one_line_escapes_line_breaks_too(self, text: str) -> None:
        assert raw_unseen(one_line(text)) == []

    @given(
        data=st.recursive(
            st.one_of(st.none(), st.integers(), hostile_texts(), st.text()),
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(hostile_texts() | st.text(), inner, max_size=3)
            ),
            max_leaves=8,
        )
    )
    def test_json_still_holds_exactly_the_data(self, data: object) -> None:
        """The escapes are JSON's own: escaped JSON parses to the data that was dumped."""
        text = json.dumps(data, ensure_ascii=False, indent=2)

        assert data == json.loads(escape_controls(text))


class TestInvisible:
    @pytest.mark.parametrize(
        "char",
        [
            *("\u200b", "\u200d", "\u2060", "\ufeff", "\u200e", "\u202e", "\u2066", "\x1b"),
            *("\u00ad", "\u034f", "\ufe0f", "\u3164", "\U000e0100", "\u2028"),
        ],
    )
    def test_invisible_characters(self, char: str) -> None:
        assert invisible(char)

    @given(char=st.characters(categories=("L", "N", "P", "S", "Zs", "Mn")))
    def test_visible_characters(self, char: str) -> None:
        """Letters, digits, punctuation, symbols, spaces and accents are visible (bar a few)."""
        expected = ord(char) in {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0} or (
            0x180B <= ord(char) <= 0x180F or 0xFE00 <= ord(char) <= 0xFE0F or ord(char) > 0xE00FF
        )
        assert expected == invisible(char)


class TestSkeleton:
    def test_cyrillic_letter_in_a_latin_word(self) -> None:
        assert skeleton("cost") == skeleton("\u0441ost")

    @given(text=st.text(alphabet=st.characters(max_codepoint=0x7F)))
    def test_ascii_takes_the_same_steps_as_any_text(self, text: str) -> None:
        """Printable ASCII has a shortcut; a zero-width space (dropped as invisible) makes the
        same text take every step."""
        assert skeleton(text) == skeleton(text + "\u200b")

    @given(pair=look_alike_pairs())
    def test_look_alikes_share_a_skeleton(self, pair: tuple[str, str]) -> None:
        word, other = pair

        assert skeleton(word) == skeleton(other)

    @pytest.mark.parametrize(
        ("one", "other"),
        [
            ("cost", "\uff43\uff4f\uff53\uff54"),  # fullwidth
            ("cost", "\U0001d41c\U0001d428\U0001d42c\U0001d42d"),  # mathematical bold
            ("O1", "0l"),
            ("I", "|"),
            ("q\u200b1", "q1"),
            ("\u03f2at", "cat"),  # lunate sigma, which decomposes to a final sigma
        ],
    )
    def test_other_look_alikes(self, one: str, other: str) -> None:
        assert skeleton(one) == skeleton(other)

    @pytest.mark.parametrize(
        ("one", "other"),
        [("cost", "coat"), ("cafe", "caf\u00e9"), ("Cost", "cost"), ("q1", "q2"), ("m", "rn")],
    )
    def test_different_words_differ(self, one: str, other: str) -> None:
        """Distinct letters, accents and case all count (and ``rn`` is not covered)."""
        assert skeleton(one) != skeleton(other)
