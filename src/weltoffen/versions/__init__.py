"""Instrument versions: fingerprints of what decides scores, differences between versions, and
crosswalks that carry responses from one version to the next."""

from __future__ import annotations

from weltoffen.versions.compare import VersionComparison, compare_versions
from weltoffen.versions.crosswalk import (
    Crosswalk,
    chain,
    check_crosswalk,
    dump_crosswalk,
    load_crosswalk,
)
from weltoffen.versions.diff import Change, Diff, diff
from weltoffen.versions.fingerprint import fingerprint
from weltoffen.versions.migrate import Migration, MigrationNote, migrate

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
