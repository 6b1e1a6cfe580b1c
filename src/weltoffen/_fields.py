"""Type checks at construction for the public value objects.

A frozen attrs class opts in with ``field_transformer=checked``. Each of its fields then checks
the value given against the field's annotation as the object is built, so a wrong value fails
where it was written instead of deep inside scoring, a report or a dump::

    Questionnaire.title: expected a mapping of language -> text such as {'en': 'Mini check'},
    got the str 'Mini check'

Values are also brought into the one form that compares equal to what a file loads and that
every format can write: a list where a tuple is annotated becomes a tuple, and numbers and texts
of other types (numpy scalars, ``str`` subclasses) become plain ``int``, ``float`` and ``str``.
Mappings are copied into a :class:`FrozenDict`, so an object never shares a dict with its caller:
changing the dict afterwards changes nothing built from it, and every object can be hashed.

Rules of one object (a band's ``min`` below its ``max``, a finite weight) are attrs validators
that raise :class:`InvariantError`: in attrs' words for a programmer, and with the message that
loading a file reports at the value's line.

Annotations are resolved when the first object of a class is built (forward references such as
``tuple[Dimension, ...]`` are defined by then); each type's check is built once and reused.
"""

from __future__ import annotations

import math
import numbers
import typing
from collections.abc import Callable, Mapping
from typing import Any, Literal, Union

import attrs

from weltoffen.exceptions import ProblemCode

__all__ = [
    "FieldError",
    "FieldTypeError",
    "FieldValueError",
    "FrozenDict",
    "InvariantError",
    "also",
    "checked",
    "describe",
    "finite",
    "freeze",
    "got",
    "not_blank",
]


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


class FieldError(Exception):
    """A constructor argument that does not fit its field.

    Attributes:
        owner: The name of the class being built.
        field: The field's name.
        steps: Where inside the value (tuple indices, mapping keys), outermost first.
        message: What is wrong, briefly (used where a file's problem is located).
        expected: What the field takes, when that is the point.
        got: What was given.
    """

    def __init__(
        self,
        owner: str,
        field: str,
        steps: list[int | str],
        message: str,
        expected: str | None,
        got: str,
    ) -> None:
        self.owner = owner
        self.field = field
        self.steps = steps
        self.message = message
        self.expected = expected
        self.got = got
        where = "".join(f"[{s!r}]" for s in steps)
        detail = f"expected {expected}" if expected else message
        super().__init__(f"{owner}.{field}{where}: {detail}, got {got}")


class FieldTypeError(FieldError, TypeError):
    """A constructor argument of the wrong type."""


class FieldValueError(FieldError, ValueError):
    """A constructor argument of the right type but an unusable value."""


class InvariantError(FieldValueError):
    """A value that breaks a rule of its object (a band's ``max`` at or below its ``min``).

    The exception reads as attrs' validators do (``Band: 'max' must be > 80: 20``); *message*,
    *expected* and *got* are what loading a file reports at the value's line.

    Attributes:
        whole: The rule is about the object as a whole (it is located at the object, not at
            the field).
        code: The problem's code where a file's problem is reported.
    """

    def __init__(
        self,
        instance: Any,
        field: str,
        rule: str,
        value: Any,
        *,
        message: str,
        expected: str | None = None,
        shown: str | None = None,
        whole: bool = False,
        code: ProblemCode = ProblemCode.OUT_OF_RANGE,
    ) -> None:
        owner = type(instance).__name__
        super().__init__(
            owner, field, [], message, expected, repr(value) if shown is None else shown
        )
        self.whole = whole
        self.code = code
        self.args = (f"{owner}: {field!r} must be {rule}: {value!r}",)


def finite(
    message: str,
    *,
    low: float | None = None,
    strict: bool = False,
    high: float | None = None,
) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """attrs validator: a finite number, at least *low* (above it when *strict*), at most *high*.

    ``None`` passes (optional fields). *message* is what a file's problem says at the value.
    """
    if high is not None:
        rule = f"in {low:g}..{high:g}"
    elif low is not None:
        rule = f"a finite number {'>' if strict else '>='} {low:g}"
    else:
        rule = "a finite number"
    floor = -math.inf if low is None else low
    ceiling = math.inf if high is None else high

    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None:
            return
        if (
            math.isfinite(value)
            and (value > floor if strict else value >= floor)
            and (value <= ceiling)
        ):
            return
        raise InvariantError(instance, attribute.name, rule, value, message=message)

    # what the JSON Schema of data files says of the number (its keywords skip null)
    bounds: dict[str, float] = {}
    if low is not None:
        bounds["exclusiveMinimum" if strict else "minimum"] = low
    if high is not None:
        bounds["maximum"] = high
    validate.schema = bounds  # type: ignore[attr-defined]
    return validate


def also(
    first: Callable[[Any, attrs.Attribute[Any], Any], None],
    then: Callable[[Any, attrs.Attribute[Any], Any], None],
) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """attrs validator: *first*, then *then* (a rule across fields); the schema is *first*'s."""

    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        first(instance, attribute, value)
        then(instance, attribute, value)

    validate.schema = getattr(first, "schema", {})  # type: ignore[attr-defined]
    return validate


def got(value: Any) -> str:
    """*value* described for a message: its type and (shortened, one-line) repr."""
    if value is None:
        return "None"
    if isinstance(value, type):
        return f"the class {value.__name__} itself (did you mean {value.__name__}()?)"
    text = " ".join(repr(value).split())
    if len(text) > 60:
        text = text[:57] + "..."
    return f"the {type(value).__name__} {text}"


def not_blank(instance: Any, attribute: attrs.Attribute[Any], value: str) -> None:
    """attrs validator: an id must hold more than spaces."""
    if not value.strip():
        raise FieldValueError(
            type(instance).__name__,
            attribute.name,
            [],
            "must not be empty or only spaces",
            None,
            repr(value),
        )


def checked(cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    """attrs ``field_transformer``: every field checks (and normalises) its value on construction.

    Inherited fields keep the check of the class that declared them.
    """
    out = []
    for field in fields:
        if getattr(field, "inherited", False):  # documented, but missing from attrs' stubs
            out.append(field)
            continue
        fn = _field_check(cls, field.name)
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


def _field_check(owner: type, name: str) -> Callable[[Any, Any, Any], Any]:
    """The converter of field *name* of *owner*: its annotation's check, resolved on first use."""
    fix: Callable[[Any], Any] | None = None

    def check(value: Any, instance: Any, field: attrs.Attribute[Any]) -> Any:
        nonlocal fix
        if fix is None:
            fix = _kind(typing.get_type_hints(owner)[name]).fix
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
