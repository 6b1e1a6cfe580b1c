"""The code in the documentation runs, and prints what the documentation says it prints.

Conventions for writers of ``docs/*.md`` pages:

- ```` ```python ```` blocks of a page run in order, sharing one namespace, with the repository
  root as working directory.
- A ```` ```text ```` block right after a Python block is that block's expected output.
- In ```` ```console ```` / ```` ```bash ```` blocks, lines starting with ``$ weltoffen`` run
  through :func:`weltoffen.cli.main` and must exit with status 0. Commands that do not exist
  (yet) are skipped; other lines are not checked.
- ``<!-- test: questionnaire -->`` or ``<!-- test: responses -->`` right before a
  ```` ```yaml ```` block: the block must load (and a questionnaire compile).
- ``<!-- skip-test -->`` right before a block keeps it from running; as the first line of a page
  it skips the whole page.
"""

from __future__ import annotations

import contextlib
import io
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
_MARKER = re.compile(r"<!--\s*(skip-test|test:\s*\w+)\s*-->")


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
YAML_EXAMPLES = [b for b in BLOCKS if b.marker in ("test: questionnaire", "test: responses")]


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
    status = _run(command)
    assert status == 0, f"{_shown(block.page)}:{block.line}: {command}\n{capsys.readouterr().err}"


def _run(command: str) -> int | None:
    argv = shlex.split(command)[1:]
    name = next((a for a in argv if not a.startswith("-")), None)
    if name is not None and name not in COMMANDS:
        pytest.skip(f"'weltoffen {name}' is not a command (yet)")
    try:
        return main(argv)
    except SystemExit as exc:  # --help and --version exit through argparse
        return exc.code if isinstance(exc.code, int) else 1


@pytest.mark.parametrize("block", YAML_EXAMPLES, ids=[f"{b.page}:{b.line}" for b in YAML_EXAMPLES])
def test_yaml_examples_load(block: Block) -> None:
    """Marked YAML examples are valid questionnaires (they compile) or valid responses."""
    if block.marker == "test: questionnaire":
        weltoffen.compile(weltoffen.load_questionnaire(text=block.code, format="yaml"))
    else:
        assert weltoffen.load_responses(text=block.code, format="yaml")


class TestExtraction:
    """The conventions above are applied as documented, so the tests above can fail."""

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
