"""Instruments shipped with weltoffen, addressable by name (``weltoffene-kommune``) and version.

Each instrument is a folder named after it, holding one file per version (``1.0.yaml``,
``1.1.yaml``) and the crosswalks from one version to the next (``crosswalk-1.0-1.1.yaml``).
Without a version, the newest is meant: versions compare part by part as numbers
(``1.10`` is newer than ``1.9``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from weltoffen.exceptions import DefinitionError, Problem, ProblemCode, one_of
from weltoffen.model.questionnaire import Questionnaire

if TYPE_CHECKING:
    # importlib.resources.abc from Python 3.11 on; this older home serves 3.10 as well
    from importlib.abc import Traversable

__all__ = ["available", "crosswalk_paths", "load_instrument", "path_of", "version_key", "versions"]

_CROSSWALK = re.compile(r"crosswalk-(?P<old>.+?)-(?P<new>[^-]+)\.yaml")


def _root() -> Traversable:
    """The folder of the bundled instruments (a seam for tests, which point it elsewhere)."""
    # The package's own folder, as importlib.resources.files would give it for a package on
    # disk (path_of hands out file paths, so the instruments are files in any case); importing
    # importlib.resources would add a few ms to every command naming an instrument.
    return Path(__file__).parent


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key of a version: its parts compared one by one, numbers as numbers (so that
    ``1.10`` follows ``1.9``) and before words in the same place."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"[.\-_]", version)
    )


def available() -> list[str]:
    """Names of the bundled instruments, sorted."""
    return sorted(
        entry.name
        for entry in _root().iterdir()
        if entry.is_dir() and not entry.name.startswith(("_", ".")) and _version_files(entry)
    )


def versions(name: str) -> list[str]:
    """The versions of bundled instrument *name*, oldest first.

    Raises:
        DefinitionError: No instrument has that name (the error lists the known ones).
    """
    return sorted(_version_files(_folder(name)), key=version_key)


def path_of(name: str, version: str | None = None) -> Path:
    """The file of bundled instrument *name* in *version* (``None``: the newest).

    Raises:
        DefinitionError: No instrument has that name, or it has no such version (the error
            lists the known ones).
    """
    known = versions(name)
    chosen = known[-1] if version is None else version
    if chosen not in known:
        raise DefinitionError(
            [
                Problem(
                    ProblemCode.NOT_FOUND,
                    f"bundled instrument {name!r} has no version {version!r}",
                    expected=one_of(known),
                )
            ]
        )
    return Path(str(_folder(name).joinpath(f"{chosen}.yaml")))


def load_instrument(name: str, version: str | None = None) -> Questionnaire:
    """Load bundled instrument *name* in *version* (``None``: the newest), checked, ready to
    compile."""
    from weltoffen.instruments.prebuilt import load_prebuilt
    from weltoffen.serialization.api import load_questionnaire

    path = path_of(name, version)
    # the pre-built twin when it is current (the same data without parsing YAML), else the YAML
    return load_prebuilt(path) or load_questionnaire(path)


def crosswalk_paths(name: str) -> list[Path]:
    """The crosswalk files of bundled instrument *name*, in the order of the versions they
    start from (so that they chain from the oldest to the newest)."""
    folder = _folder(name)
    found = [
        (version_key(match["old"]), version_key(match["new"]), entry.name)
        for entry in folder.iterdir()
        if (match := _CROSSWALK.fullmatch(entry.name))
    ]
    return [Path(str(folder.joinpath(file))) for *_, file in sorted(found)]


def _folder(name: str) -> Traversable:
    if name not in available():
        raise DefinitionError(
            [
                Problem(
                    ProblemCode.NOT_FOUND,
                    f"no bundled instrument {name!r}",
                    expected=one_of(available()),
                )
            ]
        )
    return _root().joinpath(name)


def _version_files(folder: Traversable) -> list[str]:
    """The versions in *folder*: its ``*.yaml`` files other than crosswalks."""
    return [
        entry.name[: -len(".yaml")]
        for entry in folder.iterdir()
        if entry.name.endswith(".yaml") and not entry.name.startswith("crosswalk-")
    ]
