"""One ``__repr__`` for the value classes that every command imports.

attrs writes a ``__repr__`` for each class it decorates and compiles it when the class is
defined: for the eighty or so classes a command imports, about 8 ms of every start (see
docs/benchmarks.md). These classes share :func:`value_repr` instead (attrs leaves a class's own
``__repr__`` alone), which writes the text attrs would write; the tests compare the two.
"""

from __future__ import annotations

from typing import Any

import attrs

__all__ = ["value_repr"]


def value_repr(self: Any) -> str:
    """``Class(field=value, ...)``: the fields attrs would show, each as attrs would show it."""
    cls = type(self)
    shown = ", ".join(
        f"{a.name}={(a.repr if callable(a.repr) else repr)(getattr(self, a.name))}"
        for a in attrs.fields(cls)
        if a.repr
    )
    return f"{cls.__qualname__.rsplit('>.', 1)[-1]}({shown})"
