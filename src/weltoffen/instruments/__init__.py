"""Instruments shipped with weltoffen, addressable by name (``weltoffene-kommune``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from weltoffen.exceptions import DefinitionError, Problem, ProblemCode, one_of
from weltoffen.model.questionnaire import Questionnaire

__all__ = ["available", "load_instrument", "path_of"]


def available() -> list[str]:
    """Names of the bundled instruments, sorted."""
    folder = resources.files(__name__)
    return sorted(p.name[: -len(".yaml")] for p in folder.iterdir() if p.name.endswith(".yaml"))


def path_of(name: str) -> Path:
    """The file of bundled instrument *name*.

    Raises:
        DefinitionError: No instrument has that name (the error lists the known ones).
    """
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
    return Path(str(resources.files(__name__).joinpath(f"{name}.yaml")))


def load_instrument(name: str) -> Questionnaire:
    """Load bundled instrument *name* (checked, ready to compile)."""
    from weltoffen.serialization.api import load_questionnaire

    return load_questionnaire(path_of(name))
