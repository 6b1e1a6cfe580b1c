"""Instrument versions: fingerprints of what decides scores, and differences between versions."""

from __future__ import annotations

from weltoffen.versions.diff import Change, Diff, diff
from weltoffen.versions.fingerprint import fingerprint

__all__ = ["Change", "Diff", "diff", "fingerprint"]
