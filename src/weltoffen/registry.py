"""Registered strategy kinds: the short names data files use to pick a class.

A :class:`Registry` maps ``(group, name)`` to a class. :data:`default_registry` holds the built-ins;
take a :meth:`~Registry.copy` to add your own without touching it. Third-party packages can offer
plugins through the ``weltoffen.plugins`` entry-point group, which is read only when
:meth:`~Registry.load_entry_points` is called. Data files can only *name* registered kinds:
nothing in a file ever causes an import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Literal, TypeVar

from weltoffen import strategies as s
from weltoffen.exceptions import UnknownKindError

__all__ = ["ENTRY_POINT_GROUP", "Group", "Registry", "default_registry"]

Group = Literal["aggregation", "weighting", "policy"]
GROUPS: tuple[Group, ...] = ("aggregation", "weighting", "policy")

#: Entry points in this group name a callable that takes a :class:`Registry` and registers kinds.
ENTRY_POINT_GROUP = "weltoffen.plugins"

T = TypeVar("T", bound=type)


class Registry:
    """Kind names -> classes, per group (``aggregation``, ``weighting``, ``policy``)."""

    def __init__(self) -> None:
        self._by_name: dict[Group, dict[str, type]] = {g: {} for g in GROUPS}

    def register(self, group: Group, name: str, cls: type) -> None:
        """Register *cls* under *name* in *group*.

        Raises:
            ValueError: *name* is taken in *group*, *group* is unknown, or *cls* is registered
                already under another name.
        """
        if group not in self._by_name:
            raise ValueError(f"unknown group {group!r}; groups: {', '.join(GROUPS)}")
        kinds = self._by_name[group]
        if name in kinds:
            raise ValueError(f"{group} kind {name!r} is already registered ({kinds[name]!r})")
        if cls in kinds.values():
            raise ValueError(
                f"{cls!r} is already registered as {group} {self.name_of(group, cls)!r}"
            )
        kinds[name] = cls

    def kind(self, group: Group, name: str) -> Callable[[T], T]:
        """Class decorator form of :meth:`register`."""

        def decorate(cls: T) -> T:
            self.register(group, name, cls)
            return cls

        return decorate

    def lookup(self, group: Group, name: str) -> type:
        """The class registered as *name*.

        Raises:
            UnknownKindError: Nothing is registered under *name*; the error lists what is.
        """
        try:
            return self._by_name[group][name]
        except KeyError:
            raise UnknownKindError(group, name, self.names(group)) from None

    def name_of(self, group: Group, obj: object) -> str:
        """The registered name of *obj*'s class (or of *obj* itself, if it is a class)."""
        cls = obj if isinstance(obj, type) else type(obj)
        for name, registered in self._by_name[group].items():
            if registered is cls:
                return name
        raise UnknownKindError(group, cls.__qualname__, self.names(group))

    def names(self, group: Group) -> list[str]:
        """The registered names of *group*, sorted."""
        return sorted(self._by_name[group])

    def copy(self) -> Registry:
        """An independent registry with the same entries."""
        new = Registry()
        for group, kinds in self._by_name.items():
            new._by_name[group] = dict(kinds)
        return new

    def load_entry_points(self, entry_points: Iterable[Any] | None = None) -> list[str]:
        """Let installed plugins register themselves; return the entry-point names loaded.

        Each entry point of the ``weltoffen.plugins`` group must name a callable taking this
        registry. Only this method ever imports plugin code.
        """
        if entry_points is None:
            from importlib.metadata import entry_points as _installed

            entry_points = _installed(group=ENTRY_POINT_GROUP)
        loaded = []
        for ep in entry_points:
            ep.load()(self)
            loaded.append(ep.name)
        return loaded

    def __repr__(self) -> str:
        groups = ", ".join(f"{g}={self.names(g)}" for g in GROUPS)
        return f"Registry({groups})"


def _builtins() -> Registry:
    registry = Registry()
    for group, name, cls in (
        ("aggregation", "weighted_mean", s.WeightedMean),
        ("aggregation", "sum", s.SumOfPoints),
        ("aggregation", "minimum", s.Minimum),
        ("aggregation", "geometric_mean", s.GeometricMean),
        ("aggregation", "harmonic_mean", s.HarmonicMean),
        ("aggregation", "power_mean", s.PowerMean),
        ("aggregation", "mazziotta_pareto", s.MazziottaPareto),
        ("weighting", "explicit", s.Explicit),
        ("weighting", "equal", s.Equal),
        ("weighting", "item_count", s.ItemCount),
        ("weighting", "fixed", s.Fixed),
        ("weighting", "budget", s.Budget),
        ("weighting", "ahp", s.AHP),
        ("policy", "exclude", s.Exclude),
        ("policy", "zero", s.Zero),
        ("policy", "prorate", s.Prorate),
    ):
        registry.register(group, name, cls)  # type: ignore[arg-type]
    return registry


#: The built-in kinds. Prefer ``default_registry.copy()`` for your own additions.
default_registry = _builtins()
