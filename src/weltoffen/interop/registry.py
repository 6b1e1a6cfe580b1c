"""Foreign formats by name: what each can read and write, and plugins that add more.

The built-in formats live in modules of this package that are imported only when a format is
asked for, so ``import weltoffen`` stays fast and a missing optional library (pyreadstat for SPSS)
matters only to its own format. Third-party packages add formats through the
``weltoffen.formats`` entry-point group, read only when :meth:`FormatRegistry.load_entry_points`
is called. A file never names a module: only the caller chooses a format.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from weltoffen._repr import value_repr
from weltoffen.exceptions import UnknownKindError

if TYPE_CHECKING:
    from weltoffen.interop.report import Imported
    from weltoffen.model.answers import Response
    from weltoffen.model.questionnaire import Questionnaire

__all__ = ["ENTRY_POINT_GROUP", "Format", "FormatRegistry", "Source", "default_formats"]

#: Entry points in this group name a callable that takes a :class:`FormatRegistry`.
ENTRY_POINT_GROUP = "weltoffen.formats"

Source = str | os.PathLike[str]

#: Built-in formats: name -> the module whose ``FORMAT`` describes it.
_BUILTIN: dict[str, str] = {
    "fhir": "weltoffen.interop.fhir",
    "limesurvey": "weltoffen.interop.limesurvey",
    "redcap": "weltoffen.interop.redcap",
    "spss": "weltoffen.interop.spss",
    "surveyjs": "weltoffen.interop.surveyjs",
    "xlsform": "weltoffen.interop.xlsform",
}


@attrs.frozen(kw_only=True)
class Format:
    """What weltoffen can do with one foreign format; ``None`` marks what the format cannot.

    Attributes:
        name: The short name users give (``fhir``).
        title: The format's name for people.
        suffixes: File name endings the format's files usually have.
        read_questionnaire: Reads an instrument: the questionnaire and the import report.
        write_questionnaire: Writes a questionnaire as the format's instrument file.
        read_responses: Reads responses to a questionnaire from the format's data file.
        write_responses: Writes responses as the format's data file.
    """

    __repr__ = value_repr

    name: str
    title: str
    suffixes: tuple[str, ...] = ()
    read_questionnaire: Callable[[Source], Imported] | None = None
    write_questionnaire: Callable[[Questionnaire, Source], None] | None = None
    read_responses: Callable[[Source, Questionnaire], list[Response]] | None = None
    write_responses: Callable[[Sequence[Response], Questionnaire, Source], None] | None = None

    @property
    def abilities(self) -> tuple[str, ...]:
        """What the format can do, by the names of its functions that are given."""
        names = ("read_questionnaire", "write_questionnaire", "read_responses", "write_responses")
        return tuple(name for name in names if getattr(self, name) is not None)


class FormatRegistry:
    """Format names -> :class:`Format`; the built-ins are loaded when first asked for."""

    def __init__(self, modules: dict[str, str] | None = None) -> None:
        self._modules = dict(_BUILTIN if modules is None else modules)
        self._formats: dict[str, Format] = {}

    def register(self, fmt: Format) -> None:
        """Add *fmt* under its name.

        Raises:
            ValueError: The name is taken.
        """
        if fmt.name in self._formats or fmt.name in self._modules:
            raise ValueError(f"format {fmt.name!r} is already registered")
        self._formats[fmt.name] = fmt

    def names(self) -> list[str]:
        """Every format name, sorted."""
        return sorted({*self._modules, *self._formats})

    def get(self, name: str) -> Format:
        """The format called *name*.

        Raises:
            UnknownKindError: No format has that name; the error lists the known ones.
        """
        if name not in self._formats:
            module = self._modules.get(name)
            if module is None:
                raise UnknownKindError("format", name, self.names())
            fmt = importlib.import_module(module).FORMAT
            self._formats[name] = fmt
        return self._formats[name]

    def copy(self) -> FormatRegistry:
        """An independent registry with the same formats."""
        new = FormatRegistry(self._modules)
        new._formats = dict(self._formats)
        return new

    def load_entry_points(self, entry_points: Iterable[Any] | None = None) -> list[str]:
        """Let installed plugins register formats; return the entry-point names loaded."""
        if entry_points is None:
            from importlib.metadata import entry_points as installed

            entry_points = installed(group=ENTRY_POINT_GROUP)
        loaded = []
        for ep in entry_points:
            ep.load()(self)
            loaded.append(ep.name)
        return loaded


#: The built-in formats. Take a :meth:`~FormatRegistry.copy` to add your own.
default_formats = FormatRegistry()
