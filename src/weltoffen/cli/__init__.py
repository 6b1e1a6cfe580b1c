"""The ``weltoffen`` command line: a thin layer over the public API.

Each command lives in its own module ``weltoffen.cli._<name>`` with a ``register(subparsers)``
function; the module is imported only when the parser is built, and a command line naming a
command builds the parser of that command alone (each module imports what its command needs,
which for all of them together would take longer than most commands run). Every error caused
by input is printed as one line per problem and exits with status 1; usage errors exit with 2.
Warnings (look-alike ids in a questionnaire, say) go to standard error too and leave the status
alone.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import warnings
from collections.abc import Sequence
from typing import NoReturn

from weltoffen._version import __version__
from weltoffen.exceptions import DefinitionWarning, WeltoffenError
from weltoffen.registry import Registry, default_registry

__all__ = ["main"]

#: Command modules, in the order ``--help`` lists them.
COMMANDS = (
    "validate",
    "score",
    "report",
    "template",
    "instruments",
    "diff",
    "cohort",
    "reliability",
    "sensitivity",
    "schema",
    "import",
    "export",
    "migrate",
    "progress",
)


class _Parser(argparse.ArgumentParser):
    """argparse's parser, whose usage errors (which quote the arguments given) are escaped."""

    def error(self, message: str) -> NoReturn:
        from weltoffen._unicode import one_line

        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {one_line(message)}\n")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of *command* alone (one of :data:`COMMANDS`)."""
    parser = _Parser(
        prog="weltoffen",
        description="Score questionnaires: validate definitions, score responses, write reports.",
    )
    parser.add_argument("--version", action="version", version=f"weltoffen {__version__}")
    parser.add_argument(
        "--plugins",
        action="store_true",
        help="load installed plugins (entry points of group 'weltoffen.plugins') first",
    )
    # Not required: with no command, main() prints the overview of commands instead of an error.
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS if command is None else (command,):
        importlib.import_module(f"weltoffen.cli._{name}").register(sub)
    return parser


def _command(argv: Sequence[str]) -> str | None:
    """The command *argv* names, or ``None`` (none, or not a known one: then every command's
    parser is built, for the overview, the help or the error listing them)."""
    # the options before the command take no values: the first word that is no option is it
    for arg in argv:
        if arg in ("-h", "--help"):  # the overall help, which lists every command
            return None
        if not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* (default: ``sys.argv[1:]``); return the exit status."""
    from weltoffen.cli._common import notice, tell

    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command(argv))
    args = parser.parse_args(argv)
    if args.command is None:
        notice(overview(parser))
        return 2
    # Warnings are collected and printed through tell, like errors, so that their text (which
    # may quote ids from a file) is escaped; each is printed once.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DefinitionWarning)
        try:
            args.registry = _registry(args.plugins)
            status: int = args.run(args)
        except WeltoffenError as exc:
            from weltoffen.cli._common import older_version

            problems = list(getattr(exc, "problems", None) or ())
            for problem in [*problems, *older_version(args, problems)] or [exc]:
                tell("error", str(problem))
            status = getattr(args, "error_status", 1)
        except BrokenPipeError:  # the reader of standard output stopped early: nothing to say
            from weltoffen.cli._common import silence_stdout

            silence_stdout()
            status = 1
        except OSError as exc:  # unreadable input or unwritable output named on the command line
            tell("error", f"{exc.filename or ''}: {exc.strerror or exc}")
            status = getattr(args, "error_status", 1)
        except KeyboardInterrupt:
            status = 130
    for warning in caught:
        tell("warning", _warning_text(warning))
    return status


def overview(parser: argparse.ArgumentParser) -> str:
    """The commands, one line each, and where to read more: what a bare ``weltoffen`` prints."""
    (commands,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {choice.dest: choice.help or "" for choice in commands._choices_actions}
    width = max(map(len, helps))
    lines = [f"  {name:<{width}}  {text}" for name, text in helps.items()]
    return (
        f"usage: weltoffen COMMAND [options]\n\n{parser.description}\n\ncommands:\n"
        + "\n".join(lines)
        + "\n\n'weltoffen COMMAND --help' describes a command and its options.\n"
    )


def _warning_text(warning: warnings.WarningMessage) -> str:
    if issubclass(warning.category, DefinitionWarning):
        return str(warning.message)
    return f"{warning.category.__name__}: {warning.message}"


def _registry(plugins: bool) -> Registry:
    """The default kinds, plus installed plugins when asked for (plugin code runs only then)."""
    if not plugins:
        return default_registry
    registry = default_registry.copy()
    try:
        registry.load_entry_points()
    except Exception as exc:  # a broken plugin is the user's environment, not a crash of ours
        raise WeltoffenError(f"loading plugins failed: {type(exc).__name__}: {exc}") from exc
    return registry
