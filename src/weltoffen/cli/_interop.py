"""Shared parts of ``weltoffen import``, ``export`` and the ``--from FORMAT`` option."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from weltoffen.exceptions import Problem, ProblemCode, WeltoffenError

if TYPE_CHECKING:
    from weltoffen.interop.registry import FormatRegistry


def formats(args: argparse.Namespace) -> FormatRegistry:
    """The built-in formats, plus those of installed plugins under ``--plugins``."""
    from weltoffen.interop.registry import default_formats

    if not getattr(args, "plugins", False):
        return default_formats
    registry = default_formats.copy()
    try:
        registry.load_entry_points()
    except Exception as exc:  # a broken plugin is the user's environment, not a crash of ours
        raise WeltoffenError(f"loading format plugins failed: {type(exc).__name__}: {exc}") from exc
    return registry


def format_names() -> str:
    """The built-in format names, for help texts (no format module is imported)."""
    from weltoffen.interop.registry import default_formats

    return ", ".join(default_formats.names())


def able(args: argparse.Namespace, name: str, ability: str) -> Callable[..., Any]:
    """The function *ability* (``read_questionnaire``, ...) of the format called *name*.

    Raises:
        UnknownKindError: No format has that name.
        WeltoffenError: The format cannot do that.
    """
    from weltoffen.exceptions import ProblemsError

    fmt = formats(args).get(name)
    function: Callable[..., Any] | None = getattr(fmt, ability)
    if function is None:
        what = ability.replace("_", " ").replace("read ", "reading ").replace("write ", "writing ")
        can = ", ".join(a.replace("_", " ") for a in fmt.abilities) or "nothing"
        raise ProblemsError(
            [
                Problem(
                    ProblemCode.BAD_OPTION,
                    f"format {name!r} does not support {what}",
                    expected=f"what it supports: {can}",
                )
            ]
        )
    return function
