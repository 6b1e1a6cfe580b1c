"""The one converter between model objects and plain data (dicts, lists, strings, numbers).

Formats (YAML, JSON, CSV) only ever produce or consume plain data; this module is where plain
data meets the model. Structuring is strict: wrong types are errors, never coerced silently, and
unknown keys are errors that suggest the nearest known key.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import math
import typing
from collections.abc import Callable, Mapping
from typing import Any, Optional, TypedDict

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from weltoffen._rules import FieldError
from weltoffen.exceptions import ProblemCode, one_of
from weltoffen.model.answers import AnswerValue, MetaValue, Response, State
from weltoffen.model.conditions import (
    AllOf,
    AnyOf,
    Compare,
    Condition,
    Equals,
    Includes,
    Not,
    OneOf,
)
from weltoffen.model.questions import QUESTION_KINDS, Question
from weltoffen.registry import GROUPS, Group, Registry, default_registry
from weltoffen.typing import Aggregation, MissingPolicy, Weighting

__all__ = ["EMPTY_RESPONDENT", "RESPONDENT_EXPECTED", "Invalid", "make_converter"]

#: What every reader (YAML, JSON, CSV, XLSX) says of a respondent that is empty or only spaces.
EMPTY_RESPONDENT = "the respondent is empty"
RESPONDENT_EXPECTED = "an id that is not blank"

Text = Mapping[str, str]
_STRATEGY_GROUPS: dict[Any, Group] = {
    Aggregation: "aggregation",
    Weighting: "weighting",
    MissingPolicy: "policy",
}
_ANSWER_STATES = {s.value: s for s in (State.DONT_KNOW, State.NOT_APPLICABLE, State.SKIPPED)}


class Invalid(ValueError):
    """A value of the wrong shape, with what was expected (raised inside structuring)."""

    def __init__(
        self,
        code: ProblemCode,
        message: str,
        expected: str | None = None,
        got: Any = None,
        *,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.expected = expected
        self.hint = hint
        # callers describe what they found (see _type_name); other values are shown as written
        self.got = got if isinstance(got, str) or got is None else _show(got)
        #: Steps from the enclosing value down to the failure (hooks that nest add to it).
        self.where: list[int | str] = []


class UnknownKeys(ValueError):
    """Keys that the target does not have, with the keys it does have."""

    def __init__(self, extra: list[str], known: list[str]) -> None:
        super().__init__(f"unknown keys {extra}")
        self.extra = extra
        self.known = known
        self.where: list[int | str] = []


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{value!r} (a yes/no value; quote it if you meant text)"
    if isinstance(value, str):
        # show the text: "1e999" or "3,5" is a number to the writer but text to YAML
        return f"text {_show(value)}"
    names = {dict: "a mapping", list: "a list", int: "a number", float: "a number"}
    return names.get(type(value), type(value).__name__)


# -- scalars -----------------------------------------------------------------------------------


def _float(value: Any, _: Any = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Invalid(ProblemCode.WRONG_TYPE, "must be a number", "a number", _type_name(value))
    try:
        return float(value)
    except OverflowError:
        raise Invalid(
            ProblemCode.OUT_OF_RANGE,
            "number is too large",
            "a number below 1e308",
            f"{str(value)[:20]}...",
        ) from None


def _int(value: Any, _: Any = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise Invalid(
            ProblemCode.WRONG_TYPE, "must be a whole number", "a whole number", _type_name(value)
        )
    return value


def _str(value: Any, _: Any = None) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise Invalid(ProblemCode.WRONG_TYPE, "must be text", "text", _type_name(value))


def _bool(value: Any, _: Any = None) -> bool:
    if isinstance(value, bool):
        return value
    raise Invalid(
        ProblemCode.WRONG_TYPE, "must be true or false", "true or false", _type_name(value)
    )


def _respondent(value: Any, _: Any = None) -> str:
    text = _str(value)
    if not text.strip():
        raise Invalid(
            ProblemCode.BAD_VALUE, EMPTY_RESPONDENT, RESPONDENT_EXPECTED, _type_name(text)
        )
    return text


#: Hooks for single fields, by class and field name (a field's type alone does not say it all).
_FIELD_HOOKS: dict[type, dict[str, Callable[[Any, Any], Any]]] = {
    Response: {"respondent": _respondent},
}


def _mapping(value: Any) -> Mapping[Any, Any]:
    if not isinstance(value, Mapping):
        raise Invalid(
            ProblemCode.WRONG_TYPE, "must be a mapping", "a mapping (key: value)", _type_name(value)
        )
    return value


def _forbid_extra(data: Mapping[str, Any], known: list[str]) -> None:
    extra = [k for k in data if k not in known]
    if extra:
        raise UnknownKeys([str(k) for k in extra], known)


class Suggestion(TypedDict):
    """What a :class:`~weltoffen.exceptions.Problem` about an unknown name says of known ones."""

    expected: str | None
    hint: str | None


def suggest(key: str, known: list[str]) -> Suggestion:
    """The known key nearest to *key* as a hint, or else the known keys as what was expected."""
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if close:
        return {"expected": None, "hint": f"did you mean {close[0]!r}?"}
    return {"expected": one_of(repr(k) for k in sorted(known)), "hint": None}


# -- the converter -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=32)
def make_converter(
    registry: Registry = default_registry, language: str = "en", *, lenient: bool = False
) -> cattrs.Converter:
    """A converter between weltoffen's model and plain data.

    Args:
        registry: Where ``kind`` names of weightings, aggregations and policies are looked up.
        language: The language a plain string means where a multilingual text is expected.
        lenient: Build model objects without checking their own rules (a band's ``min`` below
            its ``max``, ...), for data whose only problems are such rules, already reported:
            the checks across objects (duplicate ids, gaps between bands) can then run too, and
            a file's problems all come at once. Such objects are never handed out.

    Converters are cached per *registry* and *language*; they look kinds up when they run, so
    kinds registered later are seen.
    """
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    for cls, fn in ((float, _float), (int, _int), (str, _str), (bool, _bool)):
        conv.register_structure_hook(cls, fn)

    def text(value: Any, _: Any = None) -> dict[str, str]:
        if isinstance(value, str):
            return {language: value}
        data = _mapping(value)
        out = {}
        for lang, words in data.items():
            if not isinstance(lang, str) or not isinstance(words, str):
                raise Invalid(
                    ProblemCode.WRONG_TYPE,
                    "a text must be a string or a mapping of language to string",
                    "text or {de: ..., en: ...}",
                    f"{lang!r}: {_type_name(words)}",
                )
            out[lang] = words
        return out

    conv.register_structure_hook_func(lambda t: t == Text, text)

    # Later registrations take precedence: the general model hooks go first.
    _register_sequences(conv)
    _register_attrs_defaults(conv, lenient)
    _register_strategies(conv, registry)
    _register_questions(conv)
    _register_conditions(conv)
    _register_answers(conv)
    return conv


def _register_sequences(conv: cattrs.Converter) -> None:
    """Lists must be given as lists: cattrs alone would iterate text or a mapping into items
    (``suggestions: "text"`` became one suggestion per character)."""
    base = conv._structure_tuple  # cattrs' own, which notes the index of each failing item

    def structure(value: Any, tp: Any) -> Any:
        if not isinstance(value, list | tuple):
            raise Invalid(ProblemCode.WRONG_TYPE, "must be a list", "a list", _type_name(value))
        return base(value, tp)

    def is_tuple(tp: Any) -> bool:
        origin: Any = typing.get_origin(tp)
        return origin is tuple

    conv.register_structure_hook_func(is_tuple, structure)


def _register_attrs_defaults(conv: cattrs.Converter, lenient: bool) -> None:
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
            data = _mapping(value)
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
            data = _mapping(value)
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

    def is_model(cls: Any) -> bool:
        return attrs.has(cls) and cls.__module__.startswith("weltoffen.")

    conv.register_unstructure_hook_factory(is_model, unstructure_factory)
    conv.register_structure_hook_factory(
        is_model, lenient_factory if lenient else structure_factory
    )


#: Field types worth structuring again to check an object's rules: single values that a rule
#: may compare (a band's ``min``, a numeric question's ``minimum``, an id for the message).
_PLAIN = (str, int, float, bool, Optional[float], Optional[int])  # noqa: UP045


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
        elif hints[a.name] in _PLAIN:
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
                data = dict(_mapping(value))
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
        data = dict(_mapping(value))
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


_COMPARE_OPS = ("gt", "ge", "lt", "le")
_CONDITION_KEYS = ["question", "equals", "in", "includes", *_COMPARE_OPS, "all", "any", "not"]


def _register_conditions(conv: cattrs.Converter) -> None:
    """Conditions are written by the shape of their keys: ``{question: q1, equals: yes}``."""

    def structure(value: Any, _: Any = None) -> Condition:
        data = _mapping(value)
        _forbid_extra(data, _CONDITION_KEYS)
        for key, cls in (("all", AllOf), ("any", AnyOf)):
            if key in data:
                _only(data, key)
                items = data[key]
                if not isinstance(items, list):
                    raise Invalid(
                        ProblemCode.WRONG_TYPE,
                        f"{key} takes a list of conditions",
                        "a list",
                        _type_name(items),
                    )
                return cls(tuple(_at(i, structure, c) for i, c in enumerate(items)))
        if "not" in data:
            _only(data, "not")
            return Not(_at("not", structure, data["not"]))
        if "question" not in data:
            raise Invalid(
                ProblemCode.MISSING_KEY,
                "a condition needs a question or all/any/not",
                "question: ID",
            )
        question = _str(data["question"])
        tests = [k for k in data if k != "question"]
        if len(tests) != 1:
            raise Invalid(
                ProblemCode.BAD_CONDITION,
                "a condition on a question needs exactly one test",
                "one of equals, in, includes, gt, ge, lt, le",
                ", ".join(tests) or "none",
            )
        (test,) = tests
        arg = data[test]
        if test == "equals":
            return Equals(question, _scalar(arg))
        if test == "in":
            if not isinstance(arg, list) or not arg:
                raise Invalid(
                    ProblemCode.WRONG_TYPE,
                    "in takes a non-empty list of values",
                    "a list",
                    _type_name(arg),
                )
            return OneOf(question, tuple(_scalar(v) for v in arg))
        if test == "includes":
            return Includes(question, _str(arg))
        return Compare(question, test, _float(arg))

    def unstructure(cond: Condition) -> dict[str, Any]:
        if isinstance(cond, AllOf | AnyOf):
            key = "all" if isinstance(cond, AllOf) else "any"
            return {key: [unstructure(c) for c in cond.conditions]}
        if isinstance(cond, Not):
            return {"not": unstructure(cond.condition)}
        if isinstance(cond, Equals):
            return {"question": cond.question, "equals": cond.value}
        if isinstance(cond, OneOf):
            return {"question": cond.question, "in": list(cond.values)}
        if isinstance(cond, Includes):
            return {"question": cond.question, "includes": cond.value}
        return {"question": cond.question, cond.op: cond.value}

    conv.register_structure_hook_func(
        lambda t: t in (Condition, Optional[Condition]),  # noqa: UP045
        lambda v, _: None if v is None else structure(v),
    )
    for cls in (Equals, OneOf, Includes, Compare, AllOf, AnyOf, Not):
        conv.register_unstructure_hook(cls, unstructure)


def _only(data: Mapping[str, Any], key: str) -> None:
    others = [k for k in data if k != key]
    if others:
        raise Invalid(
            ProblemCode.CONFLICTING_KEYS,
            f"{key} cannot be combined with other keys",
            f"only {key}",
            ", ".join(others),
        )


def _at(where: int | str, fn: Callable[[Any], Condition], value: Any) -> Condition:
    """Run *fn*, adding *where* to the location of any error (conditions nest)."""
    try:
        return fn(value)
    except (Invalid, UnknownKeys) as exc:
        exc.where.insert(0, where)
        raise


def _scalar(value: Any) -> bool | int | float | str:
    if isinstance(value, bool | int | float | str) and not (
        isinstance(value, float) and not math.isfinite(value)
    ):
        return value
    raise Invalid(
        ProblemCode.WRONG_TYPE,
        "must be a single value",
        "text, a number or true/false",
        _type_name(value),
    )


def _register_answers(conv: cattrs.Converter) -> None:
    """Answers: plain values, lists for multiple choice, and the named non-answer states."""

    def answer(value: Any) -> AnswerValue:
        if value is None:
            return State.SKIPPED
        if isinstance(value, str) and value in _ANSWER_STATES:
            return _ANSWER_STATES[value]
        if isinstance(value, bool | int | float | str):
            return value
        if isinstance(value, list | tuple):
            return tuple(_str(v) for v in value)
        if isinstance(value, State):
            return value
        raise Invalid(
            ProblemCode.WRONG_TYPE,
            "not an answer",
            "a value, a list of values, or dont_know / not_applicable / skipped",
            _type_name(value),
        )

    def answers(value: Any, _: Any) -> dict[str, AnswerValue]:
        out: dict[str, AnswerValue] = {}
        problems: list[Exception] = []
        for key, item in _mapping(value).items():
            try:
                out[_str(key)] = answer(item)
            except Invalid as exc:
                exc.where.insert(0, str(key))
                problems.append(exc)
        if problems:
            raise cattrs.IterableValidationError("invalid answers", problems, dict)
        return out

    def meta_value(value: Any) -> MetaValue:
        if value is None or isinstance(value, bool | int | float | str):
            return value
        if isinstance(value, dt.date | dt.datetime):
            return value.isoformat()
        raise Invalid(
            ProblemCode.WRONG_TYPE,
            "metadata values must be single values",
            "text, a number, true/false or a date",
            _type_name(value),
        )

    def metadata(value: Any, _: Any) -> dict[str, MetaValue]:
        return {_str(k): meta_value(v) for k, v in _mapping(value).items()}

    def unstructure_answer(value: Any) -> Any:
        if isinstance(value, State):
            return value.value
        if isinstance(value, tuple):
            return list(value)
        return value

    conv.register_structure_hook_func(lambda t: t == Mapping[str, AnswerValue], answers)
    conv.register_structure_hook_func(lambda t: t == Mapping[str, MetaValue], metadata)
    conv.register_structure_hook_func(
        lambda t: t == Optional[AnswerValue],  # noqa: UP045
        lambda v, _: None if v is None else answer(v),
    )
    conv.register_unstructure_hook_func(
        lambda t: t in (Mapping[str, AnswerValue], Optional[AnswerValue]),  # noqa: UP045
        lambda v: (
            {k: unstructure_answer(a) for k, a in v.items()}
            if isinstance(v, Mapping)
            else unstructure_answer(v)
        ),
    )
    conv.register_unstructure_hook(State, lambda s: s.value)
