"""Rounds answered to older versions, shared by ``weltoffen progress`` and ``weltoffen cohort``.

A round names the version it was answered to after an ``@`` (``runde-1.yaml@1.0``); without
one, it was answered to the version being scored. Older rounds are carried to that version by
the crosswalks: those bundled with a bundled instrument and any given with ``--crosswalk``. For
an own questionnaire, the older versions' questionnaires are given with ``--older``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from weltoffen.model.questionnaire import Questionnaire
    from weltoffen.versions.crosswalk import Crosswalk

__all__ = ["add_round_options", "crosswalks_of", "known_versions", "split_round"]


def add_round_options(parser: argparse.ArgumentParser) -> None:
    """``--crosswalk FILE`` and ``--older FILE``, both repeatable."""
    parser.add_argument(
        "--crosswalk",
        action="append",
        default=[],
        metavar="FILE",
        help="a crosswalk from one version to the next (repeatable)",
    )
    parser.add_argument(
        "--older",
        action="append",
        default=[],
        metavar="FILE",
        help="an older version of an own questionnaire, for rounds answered to it (repeatable)",
    )


def split_round(spec: str) -> tuple[str, str | None]:
    """``FILE@VERSION`` -> (``FILE``, ``VERSION``); a spec without a version gives ``None``."""
    # A path that exists as given wins over a version after '@'.
    if "@" not in spec or Path(spec).exists():
        return spec, None
    path, version = spec.rsplit("@", 1)
    return path, version or None


def known_versions(args: argparse.Namespace, newest: Questionnaire) -> dict[str, Questionnaire]:
    """Every version a round may name: *newest*, the bundled instrument's versions (with
    ``--instrument``) and the questionnaires given with ``--older``, by version."""
    from weltoffen.instruments import load_instrument, versions
    from weltoffen.serialization.api import load_questionnaire

    known = {newest.version: newest}
    if getattr(args, "instrument", None):
        for v in versions(args.instrument):
            known.setdefault(v, load_instrument(args.instrument, v))
    for path in args.older:
        q = load_questionnaire(path)
        known.setdefault(q.version, q)
    return known


def crosswalks_of(args: argparse.Namespace) -> list[Crosswalk]:
    """The crosswalks given with ``--crosswalk``, then those bundled with ``--instrument``."""
    from weltoffen.versions.crosswalk import load_crosswalk

    crosswalks = [load_crosswalk(p) for p in args.crosswalk]
    if getattr(args, "instrument", None):
        from weltoffen.instruments import crosswalk_paths

        crosswalks += [load_crosswalk(p) for p in crosswalk_paths(args.instrument)]
    return crosswalks
