"""docs/cli.md keeps up with the command line: every command and every option is documented."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from weltoffen.cli import COMMANDS, build_parser

TEXT = (Path(__file__).parent.parent / "docs" / "cli.md").read_text(encoding="utf-8")
PARSER = build_parser()


def subparsers() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in PARSER._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def section(command: str) -> str:
    """The text from the command's heading to the next heading of the same level."""
    match = re.search(rf"^## `weltoffen {command}`\n(.*?)(?=^## |\Z)", TEXT, re.M | re.S)
    assert match is not None, f"docs/cli.md has no section '## `weltoffen {command}`'"
    return match.group(1)


def options(parser: argparse.ArgumentParser) -> list[str]:
    return [o for a in parser._actions for o in a.option_strings if o not in ("-h", "--help")]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_of_every_command_is_in_its_section(command: str) -> None:
    text = section(command)

    missing = [o for o in options(subparsers()[command]) if f"`{o}" not in text]
    assert missing == []


def test_global_options_are_documented() -> None:
    common = TEXT.split("## Responses files")[0]

    missing = [o for o in options(PARSER) if f"`{o}`" not in common]
    assert missing == []


def test_every_section_is_a_command() -> None:
    """A section left behind for a command that no longer exists is noticed as well."""
    documented = re.findall(r"^## `weltoffen (\w+)`", TEXT, re.M)

    assert documented == list(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_documented_option_exists(command: str) -> None:
    """The options tables name no option the command does not have."""
    rows = re.findall(r"^\| `([^|]*)\|", section(command), re.M)
    named = {o for cell in rows for o in re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", cell)}

    unknown = named - set(options(subparsers()[command]))
    assert unknown == set()
