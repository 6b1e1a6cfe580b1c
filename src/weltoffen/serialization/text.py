"""Reading text files: size limit, byte order marks, named encodings, located decoding failures.

A byte order mark (UTF-8, UTF-16 or UTF-32, either byte order) decides how a file is decoded:
spreadsheet programs write one (Excel's "Unicode text" export is UTF-16 with a mark), and no
CSV, YAML or JSON file in another encoding plausibly starts with those bytes. Without a mark,
valid UTF-8 is read as UTF-8, and anything else in the encoding the caller names (UTF-8 by
default, which then fails with a located problem).

Readers of responses let their user name the encoding (``--encoding`` on the command line,
``encoding=`` in Python), and a file that does not decode gets a message saying which option
to give; where no choice is offered (questionnaires, which are written as UTF-8), the message
says to save the file as UTF-8.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
from collections.abc import Iterator
from typing import Any, TypeVar

from weltoffen.exceptions import Problem, ProblemCode, ProblemsError

__all__ = ["DEFAULT_ENCODING", "MAX_BYTES", "is_text_encoding", "read_lines", "read_text"]

E = TypeVar("E", bound=ProblemsError)

#: Files larger than this are refused before parsing (a questionnaire is a few hundred KB).
MAX_BYTES = 64 * 1024 * 1024

#: What a file without a byte order mark is read as, unless the caller names an encoding.
DEFAULT_ENCODING = "utf-8"

# UTF-32 LE first: its mark begins with the UTF-16 LE mark.
_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Tried, in order, to tell the user an encoding that reads a file UTF-8 does not: Windows
# spreadsheet exports are cp1252 far more often than anything else.
_LIKELY = ("cp1252",)


def is_text_encoding(name: str) -> bool:
    """Whether Python can decode bytes to text with the encoding *name* (``cp1252``, ...)."""
    try:
        # refuses unknown names and bytes-to-bytes codecs such as base64; empty bytes would be
        # decoded without looking the name up at all
        b"\x00".decode(name)
    except LookupError:
        return False
    except UnicodeError:  # a text codec all the same, that cannot read this byte
        pass
    return True


def read_text(path: str | os.PathLike[str], error: type[E], *, encoding: str | None = None) -> str:
    """The text of the file at *path*, or *error* naming the file (and the line, where known).

    Args:
        path: The file.
        error: The error to raise (``DefinitionError`` for definitions, ``ResponseError`` for
            responses).
        encoding: The encoding of a file that has no byte order mark and is not valid UTF-8,
            as the caller's user named it (or the default, ``utf-8``): a decoding failure then
            says how to name another. ``None`` reads UTF-8 and offers no choice: the advice is
            to save the file as UTF-8.

    Raises:
        E: The encoding is unknown, or the file is missing, too large, not text or not in the
            encoding; a decoding failure names the line and the byte offset, and the encoding
            that reads the file where there is one.
    """
    name = os.fspath(path)

    def fail(
        message: str,
        line: int | None = None,
        got: str | None = None,
        code: ProblemCode = ProblemCode.BAD_ENCODING,
    ) -> E:
        return error([Problem(code, message, got=got, file=name, line=line)])

    if encoding is not None and not is_text_encoding(encoding):
        raise fail(
            f"unknown text encoding {encoding!r}; give a name such as utf-8, cp1252 or utf-16"
        )
    try:
        size = os.path.getsize(name)
        if size > MAX_BYTES:
            raise fail(f"file is too large ({size} bytes)", code=ProblemCode.TOO_LARGE)
        with open(name, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise fail(
            f"cannot read file: {exc.strerror or exc}", code=ProblemCode.UNREADABLE_FILE
        ) from None
    codec, skip = encoding or DEFAULT_ENCODING, 0
    for mark, marked in _MARKS:
        if raw.startswith(mark):
            codec, skip = marked, len(mark)
            break
    else:
        utf8 = _utf8(raw)
        if utf8 is not None:
            return utf8
    wide = codecs.lookup(codec).name.startswith(("utf-16", "utf-32"))
    # In any other encoding a NUL byte is no text character: a binary file, or UTF-16 unmarked.
    if not wide and b"\x00" in raw:
        raise fail(
            f"not a text file (it holds NUL bytes){_utf16_hint(raw, skip, encoding)}",
            code=ProblemCode.WRONG_FILE_KIND,
        )
    try:
        text = raw[skip:].decode(codec)
    except UnicodeDecodeError as exc:
        before = raw[skip : skip + exc.start].decode(codec, errors="replace")
        bad = raw[skip + exc.start]
        raise fail(
            f"not {_label(codec)} text; {_advice(raw, codec, encoding is not None)}",
            _lines(before),
            f"byte 0x{bad:02x} at byte offset {skip + exc.start}",
        ) from None
    except UnicodeError as exc:  # codecs such as "undefined" fail without a position
        raise fail(f"cannot be read as {codec}: {exc}") from None
    if "\x00" in text:
        raise fail("not a text file (it holds NUL characters)", code=ProblemCode.WRONG_FILE_KIND)
    return text


_NAME_IT = (
    "give its encoding with --encoding NAME (encoding=NAME in Python), or save the file as UTF-8"
)

#: Bytes read at a time by :func:`read_lines`.
_CHUNK = 1 << 20


@contextlib.contextmanager
def read_lines(
    path: str | os.PathLike[str],
    error: type[E],
    *,
    encoding: str | None = None,
    streamed: bool = False,
) -> Iterator[Iterator[str]]:
    """The lines of the file at *path*, decoded as :func:`read_text` decodes, for any size.

    A file within :data:`MAX_BYTES` is read by :func:`read_text` unless *streamed* says to
    stream it anyway (to read no more than a few lines of it). A larger one is streamed: a
    first pass over its bytes decides the encoding (a byte order mark, else UTF-8 where all of
    it is valid UTF-8, else *encoding*) and refuses NUL bytes; a character the chosen encoding
    cannot decode is then raised as *error* with its line while the lines are read. Lines keep
    their line ends (the form :func:`csv.reader` wants).

    Raises:
        E: As :func:`read_text`, before the first line, or at the line that does not decode.
    """
    name = os.fspath(path)

    def fail(
        message: str, line: int | None = None, code: ProblemCode = ProblemCode.BAD_ENCODING
    ) -> E:
        return error([Problem(code, message, file=name, line=line)])

    try:
        size = os.path.getsize(name)
    except OSError as exc:
        raise fail(
            f"cannot read file: {exc.strerror or exc}", code=ProblemCode.UNREADABLE_FILE
        ) from None
    if size <= MAX_BYTES and not streamed:
        yield iter(io.StringIO(read_text(name, error, encoding=encoding), newline=""))
        return
    if encoding is not None and not is_text_encoding(encoding):
        read_text(name, error, encoding=encoding)  # raises the unknown encoding's problem
    with open(name, "rb") as handle:
        codec, skip = _streamed_codec(handle, encoding, fail)
        handle.seek(skip)
        text = io.TextIOWrapper(handle, encoding=codec, newline="")
        yield _decoded(text, codec, fail)


def _streamed_codec(handle: io.BufferedReader, encoding: str | None, fail: Any) -> tuple[str, int]:
    """The codec of a big file and the length of its byte order mark: one pass over the bytes."""
    head = handle.read(4)
    for mark, marked in _MARKS:
        if head.startswith(mark):
            return marked, len(mark)
    handle.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    line, nul, utf8 = 1, False, True
    while chunk := handle.read(_CHUNK):
        nul = nul or b"\x00" in chunk
        if utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                utf8, bad_line = False, line + chunk.count(b"\n", 0, exc.start)
        line += chunk.count(b"\n")
    codec = encoding or DEFAULT_ENCODING
    if utf8 and not nul:
        return "utf-8", 0
    wide = codecs.lookup(codec).name.startswith(("utf-16", "utf-32"))
    if nul and not wide:
        raise fail("not a text file (it holds NUL bytes)", code=ProblemCode.WRONG_FILE_KIND)
    if not utf8 and codecs.lookup(codec).name == "utf-8":
        advice = _NAME_IT if encoding is not None else "save the file as UTF-8"
        raise fail(f"not UTF-8 text; {advice}", bad_line)
    return codec, 0


def _decoded(text: io.TextIOWrapper, codec: str, fail: Any) -> Iterator[str]:
    """The lines of *text*; a character that does not decode or a NUL is raised at its line."""
    line = 0
    try:
        for line, content in enumerate(text, start=1):
            if "\x00" in content:
                raise fail(
                    "not a text file (it holds NUL characters)", line, ProblemCode.WRONG_FILE_KIND
                )
            yield content
    except UnicodeDecodeError as exc:
        raise fail(f"not {_label(codec)} text ({exc.reason}); {_NAME_IT}", line + 1) from None


def _utf8(raw: bytes) -> str | None:
    """*raw* as UTF-8, if it is valid UTF-8 without NUL bytes; else ``None``.

    Such bytes are UTF-8 text whatever encoding was named: text in another encoding that uses
    bytes beyond ASCII is practically never valid UTF-8, while reading UTF-8 as, say, cp1252
    would garble every accented letter without an error. So one named encoding serves a set of
    files of which only some are in it. NUL bytes are left to the named encoding (UTF-16 text
    without a byte order mark holds them, and is valid UTF-8 all the same).
    """
    if b"\x00" in raw:
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _label(codec: str) -> str:
    name = codecs.lookup(codec).name
    return "UTF-8" if name == "utf-8" else name


def _lines(text: str) -> int:
    """The line *text* ends on, counting line ends as the CSV reader does (LF, CR LF, CR)."""
    return text.count("\n") + text.count("\r") - text.count("\r\n") + 1


def _advice(raw: bytes, codec: str, choosable: bool) -> str:
    if not choosable:
        return "save the file as UTF-8"
    tried = codecs.lookup(codec).name
    for other in _LIKELY:
        if codecs.lookup(other).name != tried and _decodes(raw, other):
            return f'it reads as {other}: give --encoding {other} (encoding="{other}" in Python)'
    return _NAME_IT


def _utf16_hint(raw: bytes, skip: int, encoding: str | None) -> str:
    """Advice for UTF-16 text without a byte order mark: ASCII letters with a NUL byte beside."""
    if skip or encoding is None or len(raw) < 2:
        return ""
    for codec, nul_at in (("utf-16-le", 1), ("utf-16-be", 0)):
        if all(b == 0 for b in raw[nul_at::2][:64]) and _decodes(raw, codec):
            return (
                f"; if it is {codec.upper()} text without a byte order mark, give "
                f'--encoding {codec} (encoding="{codec}" in Python)'
            )
    return ""


def _decodes(raw: bytes, codec: str) -> bool:
    try:
        return "\x00" not in raw.decode(codec)
    except UnicodeDecodeError:
        return False
