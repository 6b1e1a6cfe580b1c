"""A hashable, read-only mapping: what the value objects hold instead of their callers' dicts.

Every mapping given to a checked field is copied into a :class:`FrozenDict` (see
:mod:`weltoffen._fields`), so an object never shares a dict with its caller: changing the dict
afterwards changes nothing built from it, and every object can be hashed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["FrozenDict", "freeze"]


class FrozenDict(dict[Any, Any]):
    """A dict that cannot be changed, hashed by its items.

    A subclass of ``dict`` so that reading stays as fast as reading a dict (scoring reads answers
    in its inner loop), it equals a dict with the same items, and ``json`` writes it as one.
    """

    __slots__ = ("_hash",)

    def __hash__(self) -> int:  # type: ignore[override]  # dict sets __hash__ to None
        try:
            return self._hash
        except AttributeError:
            self._hash: int = hash(frozenset(self.items()))
            return self._hash

    def __reduce__(self) -> tuple[Any, ...]:
        # dict's own pickling fills the new object through __setitem__, which is refused here
        return (type(self), (dict(self),))

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(f"{type(self).__name__} cannot be changed; build a new one")

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse


def freeze(value: Mapping[Any, Any]) -> FrozenDict:
    """*value* as a :class:`FrozenDict` (itself when it is one already)."""
    return value if type(value) is FrozenDict else FrozenDict(value)
