"""The one converter between model objects and plain data (dicts, lists, strings, numbers).

Formats (YAML, JSON, CSV) only ever produce or consume plain data; this module is where plain
data meets the model. Structuring is strict: wrong types are errors, never coerced silently, and
unknown keys are errors that suggest the nearest known key.

It holds :func:`make_converter` and the hooks for the model's own shapes: lists, every attrs model
class (compact output, all of an object's problems at once, the lenient reading), strategies named
by ``kind`` and tagged questions. Reading single values and its errors are in
:mod:`~weltoffen.serialization.values`, conditions in :mod:`~weltoffen.serialization.conditions`,
answers in :mod:`~weltoffen.serialization.answers`; the names other modules and tests have always
imported from here (``Invalid``, ``suggest``, ...) are still exported.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable, Mapping
from typing import Any, Optional

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from weltoffen._rules import FieldError
from weltoffen.exceptions import ProblemCode
from weltoffen.model.answers import Response
from weltoffen.model.dimensions import Suggestion
from weltoffen.model.questions import QUESTION_KINDS, Question
from weltoffen.registry import GROUPS, Group, Registry, default_registry
from weltoffen.serialization.answers import register_answers
from weltoffen.serialization.conditions import register_conditions
from weltoffen.serialization.values import (
    EMPTY_RESPONDENT,
    RESPONDENT_EXPECTED,
    Invalid,
    UnknownKeys,
    read_bool,
    read_float,
    read_int,
    read_mapping,
    read_respondent,
    read_str,
    suggest,
    type_name,
)
from weltoffen.typing import Aggregation, MissingPolicy, Weighting

__all__ = [
    "EMPTY_RESPONDENT",
    "RESPONDENT_EXPECTED",
    "Invalid",
    "UnknownKeys",
    "make_converter",
    "suggest",
]

Text = Mapping[str, str]
_STRATEGY_GROUPS: dict[Any, Group] = {
    Aggregation: "aggregation",
    Weighting: "weighting",
    MissingPolicy: "policy",
}


#: Hooks for single fields, by class and field name (a field's type alone does not say it all).
_FIELD_HOOKS: dict[type, dict[str, Callable[[Any, Any], Any]]] = {
    Response: {"respondent": read_respondent},
}


# -- the converter -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=32)
def make_converter(
    registry: Registry = default_registry,
    language: str = "en",
    *,
    lenient: bool = False,
    trusted: bool = False,
) -> cattrs.Converter:
    """A converter between weltoffen's model and plain data.

    Args:
        registry: Where ``kind`` names of weightings, aggregations and policies are looked up.
        language: The language a plain string means where a multilingual text is expected.
        lenient: Build model objects without checking their own rules (a band's ``min`` below
            its ``max``, ...), for data whose only problems are such rules, already reported:
            the checks across objects (duplicate ids, gaps between bands) can then run too, and
            a file's problems all come at once. Such objects are never handed out.
        trusted: Build model objects through their constructors without generating code per
            class: in a fresh process, generating the code costs more than reading one
            questionnaire. The objects are the same; a problem still raises, but not every
            problem at once, and not located: data is tried this way first, and only where it
            fails is the checked converter built to say what is wrong.

    Converters are cached per *registry* and *language*; they look kinds up when they run, so
    kinds registered later are seen.
    """
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    for cls, fn in ((float, read_float), (int, read_int), (str, read_str), (bool, read_bool)):
        conv.register_structure_hook(cls, fn)

    def text(value: Any, _: Any = None) -> dict[str, str]:
        if isinstance(value, str):
            return {language: value}
        data = read_mapping(value)
        out = {}
        for lang, words in data.items():
            if not isinstance(lang, str) or not isinstance(words, str):
                raise Invalid(
                    ProblemCode.WRONG_TYPE,
                    "a text must be a string or a mapping of language to string",
                    "text or {de: ..., en: ...}",
                    f"{lang!r}: {type_name(words)}",
                )
            out[lang] = words
        return out

    conv.register_structure_hook_func(lambda t: t == Text, text)

    # Later registrations take precedence: the general model hooks go first.
    _register_sequences(conv)
    _register_attrs_defaults(conv, lenient, trusted)
    _register_suggestions(conv, text)
    _register_strategies(conv, registry)
    _register_questions(conv)
    _register_literals(conv)
    register_conditions(conv)
    register_answers(conv)
    return conv


def _register_literals(conv: cattrs.Converter) -> None:
    """A word from a fixed list (``rule: maximum``): a wrong one is told with the list and the
    nearest word, like an unknown key."""

    def structure(value: Any, tp: Any) -> Any:
        allowed = typing.get_args(tp)
        if value in allowed and type(value) in {type(a) for a in allowed}:
            return value
        names = [str(a) for a in allowed]
        hint = suggest(value, names)["hint"] if isinstance(value, str) else None
        raise Invalid(
            ProblemCode.BAD_VALUE,
            f"{value!r} is not one of the names allowed here",
            f"one of {', '.join(names)}",
            repr(value),
            hint=hint,
        )

    literal: Any = typing.Literal
    conv.register_structure_hook_func(lambda t: typing.get_origin(t) is literal, structure)


def _register_suggestions(conv: cattrs.Converter, text: Callable[[Any], Text]) -> None:
    """A suggestion is written as its text alone unless it has settings; both forms are read."""
    whole = conv.get_structure_hook(Suggestion)
    unstructure_whole = conv.get_unstructure_hook(Suggestion)
    plain = Suggestion(text={})

    def structure(value: Any, tp: Any) -> Suggestion:
        if isinstance(value, Mapping) and "text" in value:
            made: Suggestion = whole(value, tp)
            return made
        return Suggestion(text=text(value))

    def unstructure(value: Suggestion) -> Any:
        if (value.concerns, value.done_at) == (plain.concerns, plain.done_at):
            return conv.unstructure(value.text)
        return unstructure_whole(value)

    conv.register_structure_hook(Suggestion, structure)
    conv.register_unstructure_hook(Suggestion, unstructure)


def _register_sequences(conv: cattrs.Converter) -> None:
    """Lists must be given as lists: cattrs alone would iterate text or a mapping into items
    (``suggestions: "text"`` became one suggestion per character)."""
    base = conv._structure_tuple  # cattrs' own, which notes the index of each failing item

    def structure(value: Any, tp: Any) -> Any:
        if not isinstance(value, list | tuple):
            raise Invalid(ProblemCode.WRONG_TYPE, "must be a list", "a list", type_name(value))
        return base(value, tp)

    def is_tuple(tp: Any) -> bool:
        origin: Any = typing.get_origin(tp)
        return origin is tuple

    conv.register_structure_hook_func(is_tuple, structure)


def _register_attrs_defaults(conv: cattrs.Converter, lenient: bool, trusted: bool) -> None:
    """Compact output (defaults omitted) and friendly unknown-key errors for every model class."""

    def unstructure_factory(cls: type) -> Callable[[Any], Any]:
        # A default derived from other fields (a result's status) is written all the same: a
        # reader should not need the rule that derives it.
        derived: dict[str, Any] = {
            f.name: override(omit_if_default=False)
            for f in attrs.fields(cls)
            if isinstance(f.default, attrs.Factory) and f.default.takes_self  # type: ignore[arg-type]
        }
        return make_dict_unstructure_fn(cls, conv, _cattrs_omit_if_default=True, **derived)

    def structure_factory(cls: type) -> Callable[[Any, Any], Any]:
        fields: dict[str, Any] = {
            name: override(struct_hook=hook) for name, hook in _FIELD_HOOKS.get(cls, {}).items()
        }
        inner: Callable[[Any, Any], Any] = make_dict_structure_fn(
            cls, conv, _cattrs_forbid_extra_keys=False, **fields
        )
        known = [a.alias or a.name for a in attrs.fields(cls)]
        has_rules = any(a.validator is not None for a in attrs.fields(cls))

        def structure(value: Any, _: Any) -> Any:
            data = read_mapping(value)
            extra = [k for k in data if k not in known]
            if not extra and not has_rules:
                return inner(data, cls)
            # Report the unknown keys together with whatever else is wrong with the known ones,
            # and the object's own rules even when a part of it is broken.
            failures: list[Exception] = (
                [UnknownKeys([str(k) for k in extra], known)] if extra else []
            )
            given = {k: v for k, v in data.items() if k in known} if extra else data
            try:
                made = inner(given, cls)
            except cattrs.ClassValidationError as exc:
                failures.extend(exc.exceptions)
                if has_rules:
                    # the constructor stops at the first rule broken, and may have been the one
                    # to fail: the rest are added, each once
                    seen = {_key(e) for e in exc.exceptions}
                    rules = _own_rules(conv, cls, given, exc.exceptions)
                    failures.extend(e for e in rules if _key(e) not in seen)
            except Exception as exc:
                if not failures:
                    raise
                failures.append(exc)
            else:
                if not failures:
                    return made
            raise cattrs.ClassValidationError(f"invalid {cls.__name__}", failures, cls)

        return structure

    def lenient_factory(cls: type) -> Callable[[Any, Any], Any]:
        hints = typing.get_type_hints(cls)
        fields = attrs.fields(cls)

        def structure(value: Any, _: Any) -> Any:
            data = read_mapping(value)
            made: Any = object.__new__(cls)
            for a in fields:
                key = a.alias or a.name
                if key in data:
                    hook = _FIELD_HOOKS.get(cls, {}).get(a.name)
                    item = data[key]
                    item = hook(item, None) if hook else conv.structure(item, hints[a.name])
                elif isinstance(a.default, attrs.Factory):  # type: ignore[arg-type]
                    item = a.default.factory(made) if a.default.takes_self else a.default.factory()
                else:
                    item = a.default
                object.__setattr__(made, a.name, item)
            return made

        return structure

    def trusted_factory(cls: type) -> Callable[[Any, Any], Any]:
        # resolved once per class and kept on its fields, where the field checks read them too
        attrs.resolve_types(cls)
        hooks = _FIELD_HOOKS.get(cls, {})
        # (key in the data and argument of the constructor, hook, type) of each field it takes
        takes = [
            (a.alias or a.name, hooks.get(a.name), a.type) for a in attrs.fields(cls) if a.init
        ]
        structure_value = conv.structure

        def structure(value: Any, _: Any) -> Any:
            data = read_mapping(value)
            given = {
                key: hook(data[key], None) if hook else structure_value(data[key], hint)
                for key, hook, hint in takes
                if key in data
            }
            if len(given) != len(data):
                known = [key for key, *_ in takes]
                raise UnknownKeys([str(k) for k in data if k not in known], known)
            return cls(**given)

        return structure

    def is_model(cls: Any) -> bool:
        return attrs.has(cls) and cls.__module__.startswith("weltoffen.")

    conv.register_unstructure_hook_factory(is_model, unstructure_factory)
    conv.register_structure_hook_factory(
        is_model,
        lenient_factory if lenient else trusted_factory if trusted else structure_factory,
    )


def _key(exc: BaseException) -> tuple[Any, ...]:
    """What tells two reports of a broken rule apart (the same rule on the same field is one)."""
    if isinstance(exc, FieldError):
        return (exc.field, exc.message, exc.got)
    return (id(exc),)


def _own_rules(
    conv: cattrs.Converter, cls: type, data: Mapping[str, Any], failed: list[Exception]
) -> list[Exception]:
    """The failures of *cls*'s own rules (attrs validators) on the fields that could be read.

    cattrs builds an object only when all of its fields could be structured: a band list with
    one broken band would otherwise hide that the dimension's weight is negative, and loading a
    file is to report every problem at once. A rule that needs a broken field is left out.
    """
    broken = {getattr(note, "name", None) for e in failed for note in getattr(e, "__notes__", ())}
    hints = typing.get_type_hints(cls)
    fields = attrs.fields(cls)
    # filled field by field and never handed out: the rules only read it
    probe: Any = object.__new__(cls)
    for a in fields:
        key = a.alias or a.name
        if key in broken:
            continue
        if key not in data:
            if isinstance(a.default, attrs.Factory):  # type: ignore[arg-type]
                if not a.default.takes_self:
                    object.__setattr__(probe, a.name, a.default.factory())
            elif a.default is not attrs.NOTHING:
                object.__setattr__(probe, a.name, a.default)
        else:  # read again: a rule may compare with it (min_selected with the options)
            try:
                object.__setattr__(probe, a.name, conv.structure(data[key], hints[a.name]))
            except Exception:  # cattrs reported it already
                continue
    out: list[Exception] = []
    for a in fields:
        if a.validator is None:
            continue
        try:
            a.validator(probe, a, getattr(probe, a.name))
        except AttributeError:  # the field, or one its rule compares it with, is broken
            continue
        except FieldError as exc:
            out.append(exc)
    return out


def _register_strategies(conv: cattrs.Converter, registry: Registry) -> None:
    """``kind: name`` (plus parameters) <-> registered strategy objects."""

    def structure_in(group: Group) -> Callable[[Any, Any], Any]:
        def structure(value: Any, _: Any) -> Any:
            if isinstance(value, str):
                kind, params = value, {}
            else:
                data = dict(read_mapping(value))
                kind = data.pop("kind", None)
                if not isinstance(kind, str):
                    raise Invalid(
                        ProblemCode.MISSING_KEY,
                        f"a {group} needs a kind",
                        f"kind: one of {registry.names(group)}",
                    )
                params = data
            cls = registry.lookup(group, kind)
            return conv.structure(params, cls)

        return structure

    def optional(hook: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
        return lambda value, cls: None if value is None else hook(value, cls)

    for proto, group in _STRATEGY_GROUPS.items():
        hook = structure_in(group)
        conv.register_structure_hook_func(_is(proto), hook)
        conv.register_structure_hook_func(_is(Optional[proto]), optional(hook))  # noqa: UP045

    def group_of(cls: Any) -> Group | None:
        for group in GROUPS:
            if cls in (registry.lookup(group, n) for n in registry.names(group)):
                return group
        return None

    def unstructure_factory(cls: type) -> Callable[[Any], Any]:
        group = group_of(cls)
        assert group is not None
        name = registry.name_of(group, cls)
        fields = (
            make_dict_unstructure_fn(cls, conv, _cattrs_omit_if_default=True)
            if attrs.has(cls)
            else None
        )

        def unstructure(obj: Any) -> Any:
            params = fields(obj) if fields is not None else {}
            return {"kind": name, **params} if params else name

        return unstructure

    conv.register_unstructure_hook_factory(lambda c: group_of(c) is not None, unstructure_factory)


def _is(wanted: Any) -> Callable[[Any], bool]:
    """A predicate matching exactly the type *wanted* (as resolved from annotations)."""

    def matches(t: Any) -> bool:
        return bool(t == wanted)

    return matches


def _register_questions(conv: cattrs.Converter) -> None:
    """Questions are tagged by ``kind``; reverse keying is only for ordinal questions."""
    kinds = sorted(QUESTION_KINDS)

    def structure(value: Any, _: Any) -> Question:
        data = dict(read_mapping(value))
        kind = data.pop("kind", None)
        if kind is None:
            raise Invalid(
                ProblemCode.MISSING_KEY,
                "a question needs a kind",
                "kind: one of " + ", ".join(kinds),
            )
        if kind not in QUESTION_KINDS:
            raise Invalid(
                ProblemCode.UNKNOWN_KIND,
                f"unknown question kind {kind!r}",
                **suggest(str(kind), kinds),
            )
        if "reverse" in data and kind != "scale":
            raise Invalid(
                ProblemCode.CONFLICTING_KEYS,
                f"reverse keying applies only to ordinal (scale) questions, not {kind!r}",
                "kind: scale, or points given in the reversed order",
            )
        return conv.structure(data, QUESTION_KINDS[kind])

    conv.register_structure_hook_func(lambda t: t == Question, structure)

    def unstructure_factory(cls: Any) -> Callable[[Any], Any]:
        fields = make_dict_unstructure_fn(cls, conv, _cattrs_omit_if_default=True)
        return lambda obj: {"id": obj.id, "kind": cls.kind, **fields(obj)}

    conv.register_unstructure_hook_factory(
        lambda c: c in QUESTION_KINDS.values(), unstructure_factory
    )
