"""Instrument versions: fingerprints of what decides scores, differences between versions, and
crosswalks that carry responses from one version to the next."""

# Each module loads on first use of one of its names: compiling a plan needs the fingerprint,
# not the comparison and migration machinery, which costs more to import than the plan itself.

from __future__ import annotations

from typing import TYPE_CHECKING

from weltoffen._lazy import lazy_exports

if TYPE_CHECKING:
    from weltoffen.versions.compare import (
        VersionComparison,
        compare_versions,
    )
    from weltoffen.versions.crosswalk import Crosswalk, dump_crosswalk, load_crosswalk
    from weltoffen.versions.crosswalk_chain import chain
    from weltoffen.versions.crosswalk_check import check_crosswalk
    from weltoffen.versions.diff import Change, Diff, diff
    from weltoffen.versions.fingerprint import fingerprint
    from weltoffen.versions.migrate import (
        Migration,
        MigrationNote,
        migrate,
    )

__all__ = [
    "Change",
    "Crosswalk",
    "Diff",
    "Migration",
    "MigrationNote",
    "VersionComparison",
    "chain",
    "check_crosswalk",
    "compare_versions",
    "diff",
    "dump_crosswalk",
    "fingerprint",
    "load_crosswalk",
    "migrate",
]

# Hidden from mypy and IDEs, which read the imports above instead: with a module __getattr__
# in sight they would take any name for a lazy one, and misspellings would go unnoticed.
if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_exports(
        __name__,
        globals(),
        {
            "weltoffen.versions.compare": ("VersionComparison", "compare_versions"),
            "weltoffen.versions.crosswalk": ("Crosswalk", "dump_crosswalk", "load_crosswalk"),
            "weltoffen.versions.crosswalk_chain": ("chain",),
            "weltoffen.versions.crosswalk_check": ("check_crosswalk",),
            "weltoffen.versions.diff": ("Change", "Diff", "diff"),
            "weltoffen.versions.fingerprint": ("fingerprint",),
            "weltoffen.versions.migrate": ("Migration", "MigrationNote", "migrate"),
        },
    )
