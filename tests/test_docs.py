"""The code in the documentation runs, and prints what the documentation says it prints.

Conventions for writers of ``docs/*.md`` pages:

- ```` ```python ```` blocks of a page run in order, sharing one namespace, with the repository
  root as working directory.
- A ```` ```text ```` block right after a Python block is that block's expected output.
- In ```` ```console ```` / ```` ```bash ```` blocks, lines starting with ``$ weltoffen`` run
  through :func:`weltoffen.cli.main` (after the block's earlier commands, in a scratch folder)
  and must exit with status 0. Commands that do not exist (yet) are skipped. The lines after a
  command, up to the next ``$`` line, are what it prints: a line ``...`` stands for any lines,
  a line ending in ``...`` for any line starting with what precedes it.
- ``<!-- test: output of weltoffen ARGS -->`` right before a ```` ```json ```` block: the block
  is an excerpt of the JSON that the command prints (every key shown has the value shown; a
  list shown holds some of the items printed, in order; an object shown where a list is printed
  is one of its items; a text ending in ``...`` is abridged).
- ``<!-- test: questionnaire -->``, ``<!-- test: responses -->`` or ``<!-- test: crosswalk -->``
  right before a ```` ```yaml ```` block: the block must load (and a questionnaire compile).
- ``<!-- skip-test -->`` right before a block keeps it from running; as the first line of a page
  it skips the whole page.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shlex
from pathlib import Path
from typing import Any, NamedTuple

import attrs
import pytest

import weltoffen
from weltoffen.cli import COMMANDS, main
from weltoffen.model.questions import QUESTION_KINDS
from weltoffen.registry import GROUPS, Group, default_registry

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SKIP = "<!-- skip-test -->"
_FENCE = re.compile(
    r"^```(?P<lang>[\w-]*)[^\n]*\n(?P<code>.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE
)
_MARKER = re.compile(r"<!--\s*(skip-test|test:\s*output of .+?|test:\s*\w+)\s*-->")


class Block(NamedTuple):
    page: str
    line: int
    lang: str
    code: str
    marker: str | None  # "skip-test", "test: questionnaire", ... (the comment right before)
    output: str | None  # the text block right after a python block


def _blocks(path: Path) -> list[Block]:
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith(SKIP):
        return []
    matches = list(_FENCE.finditer(text))
    blocks = []
    for i, match in enumerate(matches):
        before = text[: match.start()].rstrip().splitlines()
        found = _MARKER.fullmatch(before[-1].strip()) if before else None
        marker = " ".join(found.group(1).split()) if found else None
        output = None
        following = matches[i + 1] if i + 1 < len(matches) else None
        if (
            match["lang"] == "python"
            and following is not None
            and following["lang"] == "text"
            and not text[match.end() : following.start()].strip()
        ):
            output = following["code"]
        blocks.append(
            Block(
                page=path.relative_to(DOCS).as_posix() if DOCS in path.parents else path.name,
                line=text.count("\n", 0, match.start()) + 1,
                lang=match["lang"],
                code=match["code"],
                marker=marker,
                output=output,
            )
        )
    return [b for b in blocks if b.marker != "skip-test"]


# README.md's examples are run too: it is the first page a newcomer copies from.
PAGES = [*sorted(DOCS.rglob("*.md")), ROOT / "README.md"]
BLOCKS = [block for page in PAGES for block in _blocks(page)]
PYTHON_PAGES = sorted({b.page for b in BLOCKS if b.lang == "python"})
COMMAND_LINES = [
    (block, line[2:])
    for block in BLOCKS
    if block.lang in ("console", "bash", "shell", "sh")
    for line in block.code.splitlines()
    if line.startswith("$ weltoffen ")
]
YAML_EXAMPLES = [
    b for b in BLOCKS if b.marker in ("test: questionnaire", "test: responses", "test: crosswalk")
]


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.strip().splitlines()]


@pytest.mark.parametrize("page", PYTHON_PAGES)
def test_python_blocks_run(page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each page's Python blocks run in order; where an output block follows, it is printed."""
    monkeypatch.chdir(ROOT)
    namespace: dict[str, Any] = {"__name__": f"docs.{page}"}
    for block in (b for b in BLOCKS if b.page == page and b.lang == "python"):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(block.code, f"{_shown(page)}:{block.line}", "exec"), namespace)
        if block.output is not None:
            assert _lines(out.getvalue()) == _lines(block.output), f"{_shown(page)}:{block.line}"


def _shown(page: str) -> str:
    return page if page == "README.md" else f"docs/{page}"


def _scratch(folder: Path) -> Path:
    """A working folder that sees the repository's files but keeps what commands write."""
    for entry in ROOT.iterdir():
        if entry.name not in (".git", ".venv"):
            (folder / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    return folder


@pytest.mark.parametrize(
    ("block", "command"), COMMAND_LINES, ids=[f"{b.page}:{b.line} {c}" for b, c in COMMAND_LINES]
)
def test_command_lines_succeed(
    block: Block,
    command: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Each documented ``$ weltoffen ...`` line exits with status 0.

    The lines before it in the same block run first, so a block can import a file and then use
    it; what they write lands in a scratch folder, never in the repository.
    """
    monkeypatch.chdir(_scratch(tmp_path))
    lines = [c for b, c in COMMAND_LINES if b is block]
    for earlier in lines[: lines.index(command)]:
        assert _run(earlier) == 0, f"{_shown(block.page)}:{block.line}: {earlier}"
    capsys.readouterr()
    status = _run(command)
    out, err = capsys.readouterr()
    where = f"{_shown(block.page)}:{block.line}: {command}"
    assert status == 0, f"{where}\n{err}"
    shown = _shown_output(block, command)
    if shown:
        assert _matches(shown, _lines(out)), f"{where}: the output shown is not what it prints"


def _shown_output(block: Block, command: str) -> list[str]:
    """The lines a console block shows after *command*, up to the next command."""
    lines = block.code.splitlines()
    start = lines.index(f"$ {command}") + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("$ ")), len(lines))
    return _lines("\n".join(lines[start:end]))


def _matches(shown: list[str], printed: list[str]) -> bool:
    """Whether *printed* is *shown*, where a line ``...`` (indented or not) stands for any lines
    (or none), and a line ending in ``...`` for any line that starts with what precedes it."""
    if not shown:
        return not printed
    if shown[0].strip() == "...":
        return any(_matches(shown[1:], printed[i:]) for i in range(len(printed) + 1))
    if not printed:
        return False
    line = shown[0]
    same = printed[0].startswith(line[:-3]) if line.endswith("...") else printed[0] == line
    return same and _matches(shown[1:], printed[1:])


def _run(command: str) -> int | None:
    argv = shlex.split(command)[1:]
    name = next((a for a in argv if not a.startswith("-")), None)
    if name is not None and name not in COMMANDS:
        pytest.skip(f"'weltoffen {name}' is not a command (yet)")
    try:
        return main(argv)
    except SystemExit as exc:  # --help and --version exit through argparse
        return exc.code if isinstance(exc.code, int) else 1


OUTPUTS = [b for b in BLOCKS if (b.marker or "").startswith("test: output of ")]


@pytest.mark.parametrize("block", OUTPUTS, ids=[f"{b.page}:{b.line}" for b in OUTPUTS])
def test_json_shown_is_what_the_command_prints(
    block: Block,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert block.marker is not None
    command = block.marker.removeprefix("test: output of ")
    monkeypatch.chdir(_scratch(tmp_path))
    capsys.readouterr()
    assert _run(command) == 0, command
    printed = json.loads(capsys.readouterr().out)
    assert _within(json.loads(block.code), printed), f"{_shown(block.page)}:{block.line}: {command}"


def _within(shown: Any, printed: Any) -> bool:
    """Whether *shown* is an excerpt of *printed* (the rules in the module's docstring)."""
    if isinstance(printed, list) and not isinstance(shown, list):
        return any(_within(shown, item) for item in printed)
    if isinstance(shown, dict):
        return isinstance(printed, dict) and all(
            key in printed and _within(value, printed[key]) for key, value in shown.items()
        )
    if isinstance(shown, list):
        if not isinstance(printed, list):
            return False
        rest = iter(printed)  # each item shown matches a later item printed than the one before
        return all(any(_within(item, candidate) for candidate in rest) for item in shown)
    if isinstance(shown, str) and shown.endswith("...") and isinstance(printed, str):
        return printed.startswith(shown[:-3])
    return bool(shown == printed and type(shown) is type(printed))


@pytest.mark.parametrize("block", YAML_EXAMPLES, ids=[f"{b.page}:{b.line}" for b in YAML_EXAMPLES])
def test_yaml_examples_load(block: Block) -> None:
    """Marked YAML examples are valid questionnaires (they compile) or valid responses."""
    if block.marker == "test: questionnaire":
        weltoffen.compile(weltoffen.load_questionnaire(text=block.code, format="yaml"))
    elif block.marker == "test: crosswalk":
        assert weltoffen.load_crosswalk(text=block.code)
    else:
        assert weltoffen.load_responses(text=block.code, format="yaml")


class TestExtraction:
    """The conventions above are applied as documented, so the tests above can fail."""

    @pytest.mark.parametrize(
        ("shown", "printed", "same"),
        [
            (["a", "b"], ["a", "b"], True),
            (["a", "b"], ["a", "c"], False),
            (["a"], ["a", "b"], False),  # more printed than shown, without '...'
            (["a", "..."], ["a", "b", "c"], True),
            (["...", "c"], ["a", "b", "c"], True),
            (["  ...", "d"], ["a", "b", "c"], False),
            (["a,b,..."], ["a,b,c,d"], True),
            (["a,x,..."], ["a,b,c,d"], False),
        ],
    )
    def test_console_output(self, shown: list[str], printed: list[str], same: bool) -> None:
        assert _matches(shown, printed) is same

    @pytest.mark.parametrize(
        ("shown", "printed", "same"),
        [
            ({"a": 1}, {"a": 1, "b": 2}, True),
            ({"a": 1}, {"a": 1.0}, False),  # 1 shown where 1.0 is printed is drift too
            ({"a": 1, "c": 3}, {"a": 1, "b": 2}, False),
            ({"r": "x"}, [{"r": "w"}, {"r": "x", "s": 1}], True),
            ([1, 3], [1, 2, 3], True),
            ([3, 1], [1, 2, 3], False),
            ({"e": "first order: ..."}, {"e": "first order: S = V / W"}, True),
            ({"e": "second ..."}, {"e": "first order"}, False),
        ],
    )
    def test_json_excerpts(self, shown: Any, printed: Any, same: bool) -> None:
        assert _within(shown, printed) is same

    def test_finds_the_quickstart_code(self) -> None:
        """The quick start has Python blocks with outputs and command lines."""
        quick = [b for b in BLOCKS if b.page == "quickstart.md"]
        assert any(b.lang == "python" and b.output for b in quick)
        assert any(b.page == "quickstart.md" for b, _ in COMMAND_LINES)

    def test_markers(self, tmp_path: Path) -> None:
        """Markers apply to the block right after them; a page marker skips the page."""
        page = tmp_path / "page.md"
        page.write_text(
            "# Page\n\n<!-- skip-test -->\n```python\nraise SystemExit\n```\n\n"
            "```python\nprint(1)\n```\n\n```text\n1\n```\n\n"
            "<!-- test: questionnaire -->\n```yaml\nid: x\n```\n",
            encoding="utf-8",
        )
        blocks = _blocks(page)
        assert [(b.lang, b.marker, b.output) for b in blocks] == [
            ("python", None, "1\n"),
            ("text", None, None),
            ("yaml", "test: questionnaire", None),
        ]
        page.write_text(SKIP + "\n" + page.read_text(encoding="utf-8"), encoding="utf-8")
        assert _blocks(page) == []


class TestFormatReference:
    """docs/format.md keeps up with the model: every key and every built-in kind is listed."""

    TEXT = (DOCS / "format.md").read_text(encoding="utf-8")

    @pytest.mark.parametrize(
        "cls",
        [
            weltoffen.Questionnaire,
            weltoffen.Dimension,
            weltoffen.Band,
            weltoffen.Suggestion,
            weltoffen.Policies,
            weltoffen.Scale,
            weltoffen.Option,
            weltoffen.Threshold,
            weltoffen.Linear,
            weltoffen.Response,
            *QUESTION_KINDS.values(),
        ],
        ids=lambda cls: cls.__name__,
    )
    def test_every_key_is_documented(self, cls: type) -> None:
        """Each field of each model class appears as a key in the format reference."""
        missing = [f.name for f in attrs.fields(cls) if f"`{f.name}`" not in self.TEXT]
        assert missing == []

    def test_every_question_kind_is_documented(self) -> None:
        """Each question kind has its own section."""
        missing = [k for k in QUESTION_KINDS if f"### `{k}`" not in self.TEXT]
        assert missing == []

    @pytest.mark.parametrize("group", GROUPS)
    def test_every_builtin_kind_is_documented(self, group: Group) -> None:
        """Each kind of the default registry is named in the format reference."""
        missing = [n for n in default_registry.names(group) if f"`{n}`" not in self.TEXT]
        assert missing == []
