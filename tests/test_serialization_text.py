"""Reading text files (weltoffen.serialization.text): byte order marks, encodings, problems."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from weltoffen import DefinitionError, ResponseError, load_questionnaire
from weltoffen.serialization.text import is_text_encoding, read_text

EXAMPLE = Path(__file__).parent.parent / "examples" / "basic" / "questionnaire.yaml"

MARKED = {
    "utf-8": codecs.BOM_UTF8,
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
    "utf-32-le": codecs.BOM_UTF32_LE,
    "utf-32-be": codecs.BOM_UTF32_BE,
}

# Any text a file may hold: every code point but NUL and the surrogates no encoding may carry.
_texts = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"))


class TestEncodingNames:
    @pytest.mark.parametrize("name", ["utf-8", "UTF8", "cp1252", "latin_1", "utf-16", "undefined"])
    def test_text_encodings(self, name: str) -> None:
        assert is_text_encoding(name)

    @pytest.mark.parametrize("name", ["", "nope", "base64", "rot13", "zlib", "hex"])
    def test_unknown_names_and_codecs_that_do_not_give_text(self, name: str) -> None:
        assert not is_text_encoding(name)

    def test_a_codec_that_never_decodes_is_a_problem(self, tmp_path: Path) -> None:
        path = tmp_path / "r.yaml"
        path.write_bytes(b"a: \xe4\n")

        with pytest.raises(ResponseError, match=r"r\.yaml: cannot be read as undefined"):
            read_text(path, ResponseError, encoding="undefined")


@given(text=_texts, codec=st.sampled_from(sorted(MARKED)), named=st.sampled_from([None, "cp1252"]))
def test_a_byte_order_mark_decides(
    tmp_path_factory: pytest.TempPathFactory, text: str, codec: str, named: str | None
) -> None:
    """Marked text reads back unchanged, whatever encoding the caller names."""
    path = tmp_path_factory.mktemp("text") / "file.txt"
    path.write_bytes(MARKED[codec] + text.encode(codec))

    assert text == read_text(path, ResponseError, encoding=named)


@given(text=_texts, named=st.sampled_from([None, "utf-8", "cp1252", "latin-1", "utf-16-le"]))
def test_utf8_reads_as_utf8_whatever_is_named(
    tmp_path_factory: pytest.TempPathFactory, text: str, named: str | None
) -> None:
    path = tmp_path_factory.mktemp("text") / "file.txt"
    path.write_bytes(text.encode("utf-8"))

    assert text == read_text(path, ResponseError, encoding=named)


class TestQuestionnaires:
    def test_utf16_with_a_mark_loads_like_utf8(self, tmp_path: Path) -> None:
        """YAML allows UTF-16 with a mark; editors on Windows save it so."""
        path = tmp_path / "questionnaire.yaml"
        path.write_bytes(codecs.BOM_UTF16_LE + EXAMPLE.read_text("utf-8").encode("utf-16-le"))

        assert load_questionnaire(EXAMPLE) == load_questionnaire(path)

    def test_not_utf8_says_to_save_as_utf8(self, tmp_path: Path) -> None:
        """No option names a questionnaire's encoding, so the advice is to save it as UTF-8."""
        path = tmp_path / "questionnaire.yaml"
        path.write_bytes("id: x\ntitle: Größe\n".encode("cp1252"))

        with pytest.raises(DefinitionError) as caught:
            load_questionnaire(path)

        assert [
            f"{path}:2: not UTF-8 text; save the file as UTF-8 (got byte 0xf6 at byte offset 15)"
        ] == [str(p) for p in caught.value.problems]
