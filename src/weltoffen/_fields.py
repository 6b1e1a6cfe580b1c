"""Type checks at construction for the public value objects.

A frozen attrs class opts in with ``field_transformer=checked``. Each of its fields then checks
the value given against the field's annotation as the object is built, so a wrong value fails
where it was written instead of deep inside scoring, a report or a dump::

    Questionnaire.title: expected a mapping of language -> text such as {'en': 'Mini check'},
    got the str 'Mini check'

Values are also brought into the one form that compares equal to what a file loads and that
every format can write: a list where a tuple is annotated becomes a tuple, and numbers and texts
of other types (numpy scalars, ``str`` subclasses) become plain ``int``, ``float`` and ``str``.
Mappings are copied into a :class:`~weltoffen._frozen.FrozenDict`, so an object never shares a
dict with its caller: changing the dict afterwards changes nothing built from it, and every
object can be hashed.

The errors a field raises and the rules of one object's values (attrs validators) are in
:mod:`weltoffen._rules`.

Annotations are resolved when the first object of a class is built (forward references such as
``tuple[Dimension, ...]`` are defined by then); each type's check is built once and reused.
"""

from __future__ import annotations

import functools
import numbers
import typing
from collections.abc import Callable, Mapping
from typing import Any, Literal, Union

import attrs

# FrozenDict lived here before it had a module of its own, and its pickles name their class by
# module: a pickle written then asks for weltoffen._fields.FrozenDict. The name stays so that
# such pickles still load.
from weltoffen._frozen import FrozenDict, freeze
from weltoffen._rules import FieldTypeError, got

__all__ = ["checked", "describe"]


def checked(cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    """attrs ``field_transformer``: every field checks (and normalises) its value on construction.

    Inherited fields keep the check of the class that declared them.
    """
    out = []
    for field in fields:
        if getattr(field, "inherited", False):  # documented, but missing from attrs' stubs
            out.append(field)
            continue
        fn = _field_check(field.name)
        # attrs annotates __init__ with the converter's parameter: keep the field's own type there
        fn.__annotations__ = {"value": field.type, "return": field.type}
        check = attrs.Converter(fn, takes_self=True, takes_field=True)
        converter: Any = check
        if field.converter is not None:
            converter = attrs.converters.pipe(check, field.converter)
        out.append(field.evolve(converter=converter))
    return out


def describe(tp: Any, expected: str, plural: str, *, group: str | None = None) -> None:
    """Name *tp* (a type alias or a protocol) in messages, instead of spelling out its parts.

    Call it where *tp* is defined, at import: checks are built when the first object is, and
    keep the words they found then.

    Args:
        tp: The type as annotations resolve it.
        expected: One value of it ("a condition such as Equals('q1', 'yes')").
        plural: Several of them ("conditions").
        group: For strategy protocols, the registry group: a short name given in Python (as
            data files write it) is then answered with the class to use instead.
    """
    _NAMES[tp] = (expected, plural, group)


# -- fields -------------------------------------------------------------------------------------


def _field_check(name: str) -> Callable[[Any, Any, Any], Any]:
    """The converter of field *name*: its annotation's check, resolved on first use (from the
    finished class: the one the decorator sees is replaced by its slotted twin)."""
    fix: Callable[[Any], Any] | None = None

    def check(value: Any, instance: Any, field: attrs.Attribute[Any]) -> Any:
        nonlocal fix
        if fix is None:
            owner: type = type(instance)
            fix = _kind(_hints(owner)[name]).fix
        try:
            return fix(value)
        except _Wrong as wrong:
            kind, bad = wrong.kind, wrong.value
            advice = kind.advice(bad)
            raise FieldTypeError(
                type(instance).__name__,
                field.name,
                wrong.steps,
                "wrong type",
                _example(kind, bad, instance),
                got(bad) + (f" ({advice})" if advice else ""),
            ) from None

    return check


@functools.cache
def _hints(owner: type) -> dict[str, Any]:
    """The resolved annotations of *owner*: resolving them all takes as long for one field as
    for every field, and a class's fields are checked first one after the other."""
    # attrs keeps the resolved types on the fields, where cattrs looks first: resolved once
    attrs.resolve_types(owner)
    return {f.name: f.type for f in attrs.fields(owner)}


def _example(kind: _Kind, value: Any, instance: Any) -> str:
    """What *kind* takes; for a text, shown with the words given and the object's language."""
    if kind is not _KINDS.get(_TEXT):
        return kind.expected
    language = getattr(instance, "language", None)
    words = value if isinstance(value, str) else "..."
    example = {language if isinstance(language, str) else "en": words}
    return f"{kind.expected} such as {example!r}"


# -- kinds: what one annotated type accepts -----------------------------------------------------


class _Wrong(Exception):
    """Raised inside a check: *value* is not *kind*; *steps* lead to it from the field's value."""

    def __init__(self, kind: _Kind, value: Any) -> None:
        self.kind = kind
        self.value = value
        self.steps: list[int | str] = []


def _no_advice(value: Any) -> str | None:
    return None


class _Kind:
    """A compiled check for one type.

    Attributes:
        fits: Whether a value has this kind's outer shape (a union picks its member by it).
        expected: What the kind accepts, for messages ("a number").
        plural: Several of them, for the items of a tuple or mapping ("numbers").
        exact: Types whose values are accepted as they are, without a closer look.
        fix: Returns the value (in its normal form) or raises :class:`_Wrong`.
        advice: What to write instead of a given wrong value, when that can be told.
    """

    __slots__ = ("advice", "exact", "expected", "fits", "fix", "plural")

    def __init__(
        self,
        fits: Callable[[Any], bool],
        expected: str,
        plural: str,
        exact: frozenset[type] = frozenset(),
    ) -> None:
        self.fits = fits
        self.expected = expected
        self.plural = plural
        self.exact = exact
        self.fix: Callable[[Any], Any] = self.refuse
        self.advice: Callable[[Any], str | None] = _no_advice

    def refuse(self, value: Any) -> Any:
        raise _Wrong(self, value)


_TEXT = Mapping[str, str]
_NONE = type(None)
_KINDS: dict[Any, _Kind] = {}
_NAMES: dict[Any, tuple[str, str, str | None]] = {}


def _kind(tp: Any) -> _Kind:
    kind = _KINDS.get(tp)
    if kind is None:
        kind = _build(tp)
        named = _NAMES.get(tp)
        if named is not None:
            kind.expected, kind.plural, group = named
            if group is not None:
                kind.advice = _data_name(group)
        _KINDS[tp] = kind
    return kind


def _build(tp: Any) -> _Kind:
    origin = typing.get_origin(tp)
    if tp is str:
        # str.__str__, not str(): str() of a member of a str-based enum gives the member's name
        return _scalar(str, "a str", "str", lambda v: isinstance(v, str), str.__str__)
    if tp is bool:
        return _scalar(bool, "True or False", "bools", lambda v: isinstance(v, bool))
    if tp is int:
        return _scalar(int, "a whole number (int)", "whole numbers", _is_integral, int)
    if tp is float:
        return _number()
    if tp is _NONE:
        return _scalar(_NONE, "None", "None", lambda v: v is None)
    if tp == _TEXT:
        # the example is filled in by _example, from the words given and the object's language
        text = _Kind(
            lambda v: isinstance(v, Mapping),
            "a mapping of language -> text",
            "texts in several languages such as {'en': '...'}",
        )
        return _mapping_fix(text, _kind(str), _kind(str))
    if origin is Literal:
        return _literal(typing.get_args(tp))
    if origin is Union or type(tp).__name__ == "UnionType":
        return _union(typing.get_args(tp))
    if origin is tuple:
        item, dots = typing.get_args(tp)
        assert dots is Ellipsis, f"only tuple[X, ...] is supported, not {tp}"
        return _tuple(_kind(item))
    if origin is Mapping or origin is dict:
        key, value = map(_kind, typing.get_args(tp))
        mapping = _Kind(
            lambda v: isinstance(v, Mapping),
            f"a mapping of {key.plural} -> {value.plural}",
            f"mappings of {key.plural} -> {value.plural}",
        )
        return _mapping_fix(mapping, key, value)
    if isinstance(tp, type):
        return _instance(tp)
    raise TypeError(f"no check for the annotation {tp!r}")  # pragma: no cover - a developer error


def _is_integral(v: Any) -> bool:
    return isinstance(v, numbers.Integral) and not isinstance(v, bool)


def _is_real(v: Any) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, bool)


def _scalar(
    tp: type,
    expected: str,
    plural: str,
    fits: Callable[[Any], bool],
    plain: Callable[[Any], Any] | None = None,
) -> _Kind:
    kind = _Kind(fits, expected, plural, frozenset({tp}))

    def fix(value: Any) -> Any:
        if type(value) is tp:
            return value
        if plain is not None and fits(value):
            return plain(value)  # a numpy integer, a str subclass: kept as the plain type
        raise _Wrong(kind, value)

    kind.fix = fix
    return kind


def _number() -> _Kind:
    kind = _Kind(_is_real, "a number (int or float)", "numbers", frozenset({int, float}))

    def fix(value: Any) -> Any:
        t = type(value)
        if t is float or t is int:
            return value
        # numpy scalars and the like: YAML and JSON write only the plain types
        if _is_integral(value):
            return int(value)
        if _is_real(value):
            return float(value)
        raise _Wrong(kind, value)

    kind.fix = fix
    return kind


def _literal(values: tuple[Any, ...]) -> _Kind:
    shown = ", ".join(repr(v) for v in values[:-1]) + f" or {values[-1]!r}"
    allowed = frozenset(values)
    kind = _Kind(lambda v: isinstance(v, str), f"one of {shown}", f"values among {shown}")

    def fix(value: Any) -> Any:
        if type(value) is str and value in allowed:
            return value
        raise _Wrong(kind, value)

    kind.fix = fix
    return kind


def _instance(cls: type) -> _Kind:
    name = cls.__name__
    if getattr(cls, "_is_protocol", False):
        # isinstance() with a protocol inspects the value's methods: slow, so remembered per type.
        # A class has the methods too, but is not an implementation (Equal, not Equal()).
        seen: dict[type, bool] = {}

        def fits(v: Any) -> bool:
            t = type(v)
            ok = seen.get(t)
            if ok is None:
                ok = seen[t] = not issubclass(t, type) and isinstance(v, cls)
            return ok

        kind = _Kind(fits, f"a {name}", f"{name} objects")
    else:
        kind = _Kind(lambda v: isinstance(v, cls), name, f"{name} objects", frozenset({cls}))

    def fix(value: Any) -> Any:
        if kind.fits(value):
            return value
        raise _Wrong(kind, value)

    kind.fix = fix
    return kind


def _union(types: tuple[Any, ...]) -> _Kind:
    rest = tuple(t for t in types if t is not _NONE)
    if len(rest) < len(types):  # X | None: X described as a whole, then "or None"
        inner = _kind(rest[0] if len(rest) == 1 else Union[rest])  # noqa: UP007 - built at run time
        members = [inner, _kind(_NONE)]
        expected, plural = f"{inner.expected}, or None", f"{inner.plural}, or None"
    else:
        members = [_kind(t) for t in types]
        names = [m.expected for m in members]
        expected = plural = ", ".join(names[:-1]) + f" or {names[-1]}"
    exact = frozenset().union(*(m.exact for m in members))
    kind = _Kind(lambda v: any(m.fits(v) for m in members), expected, plural, exact)
    # Every member's fits() depends on the type alone: the member is looked up once per type.
    chosen: dict[type, _Kind | None] = {}

    def fix(value: Any) -> Any:
        t = type(value)
        if t in exact:
            return value
        member = chosen.get(t, kind)
        if member is kind:
            member = chosen[t] = next((m for m in members if m.fits(value)), None)
        if member is None:
            raise _Wrong(kind, value)
        return member.fix(value)

    kind.fix = fix
    kind.advice = lambda v: next((m.advice(v) for m in members if m.advice(v)), None)
    return kind


def _tuple(item: _Kind) -> _Kind:
    kind = _Kind(
        lambda v: isinstance(v, tuple | list),
        f"a tuple (or list) of {item.plural}",
        f"tuples of {item.plural}",
    )
    exact = item.exact

    def fix(value: Any) -> Any:
        t = type(value)
        if t is not tuple and t is not list:
            if not isinstance(value, tuple | list):
                raise _Wrong(kind, value)
            t = list  # a named tuple or other subclass: stored as a plain tuple
        if exact and t is tuple and all(type(x) in exact for x in value):
            return value
        out = tuple(_at(i, item, x) for i, x in enumerate(value))
        return value if t is tuple and all(a is b for a, b in zip(out, value)) else out

    def advice(value: Any) -> str | None:
        return "convert it with .tolist()" if hasattr(value, "tolist") else None

    kind.fix = fix
    kind.advice = advice
    return kind


def _mapping_fix(kind: _Kind, key: _Kind, item: _Kind) -> _Kind:
    keys, items = key.exact, item.exact

    def fix(value: Any) -> Any:
        if type(value) is not dict and not isinstance(value, Mapping):
            raise _Wrong(kind, value)
        closer = [(k, x) for k, x in value.items() if type(k) not in keys or type(x) not in items]
        if not closer:
            return freeze(value)
        out: dict[Any, Any] | None = None
        for k, x in closer:
            k2, x2 = _at(k, key, k), _at(k, item, x)
            if k2 is not k or x2 is not x:
                if out is None:
                    out = dict(value)
                if k2 is not k:
                    del out[k]
                out[k2] = x2
        return FrozenDict(value if out is None else out)

    kind.fix = fix
    return kind


def _at(step: int | str, kind: _Kind, value: Any) -> Any:
    """``kind.fix(value)``, noting *step* on the way out of a failure."""
    try:
        return kind.fix(value)
    except _Wrong as wrong:
        wrong.steps.insert(0, step)
        raise


def _data_name(group: str) -> Callable[[Any], str | None]:
    """Advice for a strategy given by the short name that data files use."""

    def advice(value: Any) -> str | None:
        if not isinstance(value, str):
            return None
        # the registry imports the strategies, which are checked: import it only when needed
        from weltoffen.registry import default_registry

        try:
            cls = default_registry.lookup(typing.cast(Any, group), value)
        except LookupError:
            return None
        return f"a short name for data files; in Python write {cls.__name__}()"

    return advice
