"""JSON Schemas (draft 2020-12) of the questionnaire and responses file formats.

The schemas are generated from the model: every attrs class becomes an object whose properties are
its fields, typed from the field annotations and described from the ``Attributes:`` section of the
class docstring. Only the shapes the converter treats specially (multilingual texts, question kinds,
strategy kinds, conditions, answers) have rules of their own here, and those mirror
:mod:`weltoffen.serialization.converter` so that a document the schema accepts is one the converter
accepts. The schema checks *shape*; what needs the whole document (unknown scale ids, bands with
gaps, condition cycles, ...) is left to :func:`weltoffen.check_questionnaire`.

Strategy kinds come from the registry, so a plugin registered in it appears in the schema with the
parameters of its class.
"""

from __future__ import annotations

import enum
import functools
import inspect
import operator
import re
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, Literal, Optional, Union

import attrs

from weltoffen.model.answers import GIVEN_STATES, AnswerValue, Response, State
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
from weltoffen.model.dimensions import Suggestion
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import QUESTION_KINDS, Question
from weltoffen.registry import Group, Registry, default_registry
from weltoffen.result_format import is_omitted_when_none
from weltoffen.serialization.converter import make_converter
from weltoffen.typing import Aggregation, MissingPolicy, Weighting

__all__ = ["DIALECT", "crosswalk_schema", "questionnaire_schema", "responses_schema"]

#: The JSON Schema dialect of the generated schemas.
DIALECT = "https://json-schema.org/draft/2020-12/schema"

Schema = dict[str, Any]
Text = Mapping[str, str]

_STRATEGIES: dict[Any, Group] = {
    Aggregation: "aggregation",
    Weighting: "weighting",
    MissingPolicy: "policy",
}
_GROUP_DOCS: dict[Group, str] = {
    "aggregation": "How the children's scores are combined",
    "weighting": "How the children are weighted",
    "policy": "What a missing answer counts as",
}
# The answer states a response may give by name (the others are found while scoring).
_GIVEN_STATES = tuple(GIVEN_STATES)


def questionnaire_schema(registry: Registry = default_registry) -> Schema:
    """A JSON Schema of questionnaire files (YAML or JSON).

    Args:
        registry: Where the strategy kinds (``weighting``, ``aggregation``, policies) come from;
            every kind registered in it is offered, with its parameters.

    Returns:
        The schema as plain data, ready for :func:`json.dumps`.
    """
    builder = SchemaBuilder(registry)
    root = builder.of(Questionnaire)
    return {
        "$schema": DIALECT,
        "title": "weltoffen questionnaire",
        "description": (
            "A questionnaire definition for weltoffen. The schema checks the shape of the file; "
            "`weltoffen validate` also checks references, bands and conditions."
        ),
        **root,
        "$defs": builder.defs,
    }


def responses_schema() -> Schema:
    """A JSON Schema of responses files: one response, a list of them, or ``{responses: [...]}``.

    Returns:
        The schema as plain data, ready for :func:`json.dumps`.
    """
    builder = SchemaBuilder(default_registry)
    one = builder.of(Response)
    many: Schema = {"type": "array", "items": one}
    return {
        "$schema": DIALECT,
        "title": "weltoffen responses",
        "description": (
            "Answers to a weltoffen questionnaire: one response, a list of responses, or a "
            "mapping with the single key `responses`. Respondent ids must be unique."
        ),
        "oneOf": [
            one,
            many,
            {
                "type": "object",
                "properties": {"responses": {"oneOf": [one, many]}},
                "required": ["responses"],
                "additionalProperties": False,
            },
        ],
        "$defs": builder.defs,
    }


def crosswalk_schema() -> Schema:
    """A JSON Schema of crosswalk files (how one version of an instrument maps onto the next).

    Returns:
        The schema as plain data, ready for :func:`json.dumps`.
    """
    from weltoffen.versions.crosswalk import Crosswalk

    builder = SchemaBuilder(default_registry)
    root = builder.of(Crosswalk)
    return {
        "$schema": DIALECT,
        "title": "weltoffen crosswalk",
        "description": (
            "How the answers to one version of an instrument carry over to the next. The schema "
            "checks the shape of the file; check_crosswalk also holds it against both versions."
        ),
        **root,
        "$defs": builder.defs,
    }


# -- docstrings ------------------------------------------------------------------------------------


def _summary(cls: type) -> str:
    """The class docstring up to its first section (``Attributes:``, ...), as one paragraph."""
    doc = inspect.getdoc(cls) or ""
    text = re.split(r"^\w[\w ]*:\s*$", doc, maxsplit=1, flags=re.MULTILINE)[0]
    return _plain(" ".join(text.split()))


def _plain(text: str) -> str:
    """Docstring markup as Markdown: ``x`` becomes `x`, :class:`~a.B` becomes `B`."""
    text = re.sub(r":\w+:`~?(?:[\w.]*\.)?([\w]+)`", r"`\1`", text)
    return text.replace("``", "`")


def _attribute_docs(cls: type) -> dict[str, str]:
    """Field name -> description from the ``Attributes:`` sections of *cls* and its bases."""
    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        # Only a class's own docstring: inspect.getdoc would inherit the base's.
        own = klass.__dict__.get("__doc__")
        if isinstance(own, str):
            docs.update(_parse_attributes(inspect.cleandoc(own)))
    return docs


def _parse_attributes(doc: str) -> dict[str, str]:
    out: dict[str, str] = {}
    lines = doc.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == "Attributes:"), None)
    if start is None:
        return out
    header = len(lines[start]) - len(lines[start].lstrip())
    item_indent: int | None = None
    current: str | None = None
    for line in lines[start + 1 :]:
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        if indent <= header:
            break
        if item_indent is None:
            item_indent = indent
        match = re.match(r"(\w+)\s*:\s*(.*)", line.strip())
        if indent == item_indent and match:
            current = match.group(1)
            out[current] = match.group(2)
        elif current is not None:
            out[current] += " " + line.strip()
    return {name: _plain(text) for name, text in out.items()}


# -- the builder -----------------------------------------------------------------------------------


def _is_optional_of(tp: Any, inner: Any) -> bool:
    return bool(tp == Optional[inner])  # noqa: UP045 - compared with resolved hints


class SchemaBuilder:
    """Walks the model's types, collecting shared definitions in :attr:`defs`.

    By default it describes what the converter *reads* (a field with a default may be left out;
    text fields also take numbers). With ``output=True`` it describes what weltoffen *writes* as
    plain views (:func:`weltoffen.result_format.plain`): every field is present unless it was made
    with the metadata :data:`~weltoffen.result_format.OMITTED_WHEN_NONE`, and text is text.
    """

    def __init__(self, registry: Registry, *, output: bool = False) -> None:
        self.registry = registry
        self.output = output
        self.defs: dict[str, Schema] = {}

    def input_of(self, tp: Any) -> Schema:
        """The schema of *tp* as the converter writes and reads it, also in output mode."""
        output, self.output = self.output, False
        try:
            return self.of(tp)
        finally:
            self.output = output

    def _special(self, tp: Any) -> Schema | None:
        """The types with a shape of their own in the converter, or ``None`` for other types."""
        if tp == Text:
            return self._ref("text", self._text)
        if tp is Suggestion and not self.output:
            # its text alone, or an object with settings (see the converter)
            whole = self._ref("Suggestion", lambda: self._object(Suggestion))
            return {"anyOf": [self._ref("text", self._text), whole]}
        if tp == Question:
            return self._ref("question", self._question)
        if tp == Condition:
            return self._ref("condition", self._condition)
        if _is_optional_of(tp, Condition):
            return _nullable(self._ref("condition", self._condition))
        if tp == Mapping[str, AnswerValue]:
            return {"type": "object", "additionalProperties": self._ref("answer", self._answer)}
        if tp == Optional[AnswerValue]:  # noqa: UP045  # the answer schema takes null already
            return self._ref("answer", self._answer)
        for proto, group in _STRATEGIES.items():
            if tp == proto:
                return self._ref(group, functools.partial(self._strategy, group))
            if _is_optional_of(tp, proto):
                return _nullable(self._ref(group, functools.partial(self._strategy, group)))
        return None

    def _ref(self, name: str, build: Callable[[], Schema]) -> Schema:
        """A reference to definition *name*, built on first use (recursion-safe)."""
        if name not in self.defs:
            self.defs[name] = {}  # reserve the name: recursive types refer to it while building
            self.defs[name] = build()
        return {"$ref": f"#/$defs/{name}"}

    def of(self, tp: Any) -> Schema:
        """The schema of values of type *tp*, as the converter structures them."""
        special = self._special(tp)
        if special is not None:
            return special
        if tp is Any:
            return {}
        if tp is type(None):
            return {"type": "null"}
        if self.output and tp is str:
            return {"type": "string"}
        primitive = _PRIMITIVES.get(tp)
        if primitive is not None:
            return dict(primitive)
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return {"enum": [m.value for m in tp]}
        if isinstance(tp, type) and attrs.has(tp):
            return self._ref(tp.__name__, lambda: self._object(tp))
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin is Literal:
            return {"enum": list(args)}
        if origin is Union or origin is types.UnionType:
            return _union([self.of(a) for a in args])
        if origin in (tuple, list, set, frozenset) or origin is typing.get_origin(
            typing.Sequence[int]
        ):
            if origin is tuple and args and args[-1] is not Ellipsis:
                return {
                    "type": "array",
                    "prefixItems": [self.of(a) for a in args],
                    "items": False,
                    "minItems": len(args),
                }
            return {"type": "array", "items": self.of(args[0]) if args else {}}
        if origin in (dict, typing.get_origin(Mapping[str, int])):
            return {"type": "object", "additionalProperties": self.of(args[1]) if args else {}}
        # A type the converter has no rule for either: say nothing rather than guess.
        return {}

    def _object(self, cls: type, *, kind: str | None = None, describe: bool = True) -> Schema:
        """An attrs class as a closed object; *kind* adds the ``kind`` tag the converter reads."""
        hints = typing.get_type_hints(cls)
        docs = _attribute_docs(cls)
        props: dict[str, Schema] = {}
        required: list[str] = []
        if kind is not None:
            props["kind"] = {"const": kind}
            required.append("kind")
        for field in attrs.fields(cls):
            if not field.init:
                continue
            name = field.alias or field.name
            omitted = self.output and is_omitted_when_none(field)
            # A field left out when None is never written as null.
            prop = self.of(_without_none(hints[field.name]) if omitted else hints[field.name])
            # a number's bounds, where a rule of the object sets them (a weight is >= 0)
            prop = {**prop, **getattr(field.validator, "schema", {})}
            if name in docs:
                prop = {**prop, "description": docs[name]}
            default = _NO_DEFAULT if self.output else self._default(field)
            if default is not _NO_DEFAULT:
                prop = {**prop, "default": default}
            props[name] = prop
            if (not omitted) if self.output else field.default is attrs.NOTHING:
                required.append(name)
        if kind is not None and "id" in props:
            # The id reads best first in editors' completions and in documentation.
            props = {"id": props.pop("id"), **props}
            required.sort(key=lambda n: n != "id")
        out: Schema = {"type": "object"}
        description = _summary(cls)
        if description and describe:
            out["description"] = description
        out["properties"] = props
        if required:
            out["required"] = required
        out["additionalProperties"] = False
        return out

    # -- shapes of their own ---------------------------------------------------------------------

    def _text(self) -> Schema:
        return {
            "description": "A text: one string (in the questionnaire's language) or a mapping "
            "of language code to string.",
            "anyOf": [
                {"type": "string"},
                {"type": "object", "additionalProperties": {"type": "string"}},
            ],
        }

    def _question(self) -> Schema:
        return {
            "description": "A question; `kind` chooses its type.",
            "type": "object",
            "required": ["kind"],
            "properties": {"kind": {"enum": sorted(QUESTION_KINDS)}},
            "oneOf": [
                self._ref(f"question.{kind}", functools.partial(self._object, cls, kind=kind))
                for kind, cls in QUESTION_KINDS.items()
            ],
        }

    def _strategy(self, group: Group) -> Schema:
        """A registered kind by name, or ``{kind: name, <parameters>}``."""
        choices: list[Schema] = []
        for name in self.registry.names(group):
            cls = self.registry.lookup(group, name)
            summary = _summary(cls)
            if not attrs.has(cls):
                # Without attrs fields the converter cannot build it from data.
                continue
            if all(f.default is not attrs.NOTHING for f in attrs.fields(cls) if f.init):
                short: Schema = {"const": name}
                if summary:
                    short["description"] = summary
                choices.append(short)
            choices.append(self._object(cls, kind=name, describe=False))
        return {
            "description": f"{_GROUP_DOCS[group]}: a registered {group} kind by name, or a "
            f"mapping with `kind` and the kind's parameters.",
            "oneOf": choices,
        }

    def _condition(self) -> Schema:
        """Conditions, told apart by their keys as ``conditions.register_conditions`` does."""
        ref = self._ref("condition", dict)
        hints = {cls: typing.get_type_hints(cls) for cls in (Equals, OneOf, Includes, Compare)}
        question = self.of(hints[Equals]["question"])
        tests: list[tuple[str, type, Schema]] = [
            ("equals", Equals, self.of(hints[Equals]["value"])),
            ("in", OneOf, {**self.of(hints[OneOf]["values"]), "minItems": 1}),
            ("includes", Includes, self.of(hints[Includes]["value"])),
        ]
        tests += [
            (op, Compare, self.of(hints[Compare]["value"]))
            for op in typing.get_args(hints[Compare]["op"])
        ]
        shapes: list[Schema] = [
            _closed(key, cls, {key: {"type": "array", "items": ref}})
            for key, cls in (("all", AllOf), ("any", AnyOf))
        ]
        shapes.append(_closed("not", Not, {"not": ref}))
        shapes += [
            _closed(test, cls, {"question": question, test: schema}, also="question")
            for test, cls, schema in tests
        ]
        return {
            "description": "A condition, written by its keys: `{question: ID, equals: VALUE}` "
            "(or `in`, `includes`, `gt`, `ge`, `lt`, `le`), or `all`/`any` of a list of "
            "conditions, or `not` of one.",
            "oneOf": shapes,
        }

    def _answer(self) -> Schema:
        # The states go by name; any other text is an option value or free text.
        plain = [a for a in typing.get_args(AnswerValue) if a is not State]
        return {
            "description": "An answer: an option value, true or false, a number, a list of "
            "option values (multiple choice) or free text; or one of the states "
            + ", ".join(_GIVEN_STATES)
            + " (null also means skipped).",
            "anyOf": [
                _union([*(self.of(a) for a in plain), {"type": "null"}]),
                {"enum": list(_GIVEN_STATES)},
            ],
        }

    def _default(self, field: attrs.Attribute[Any]) -> Any:
        """The field's default as a file would spell it, or ``_NO_DEFAULT`` when it says nothing."""
        default: Any = field.default
        if default is attrs.NOTHING:
            return _NO_DEFAULT
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]  # attrs' own class
            if default.takes_self:
                return _NO_DEFAULT
            default = default.factory()
        value = make_converter(self.registry).unstructure(default)
        # Empty lists and mappings tell a reader nothing.
        return _NO_DEFAULT if value in ({}, [], ()) else value


def _closed(key: str, cls: type, props: dict[str, Schema], also: str | None = None) -> Schema:
    required = [also, key] if also else [key]
    return {
        "type": "object",
        "description": _summary(cls),
        "properties": props,
        "required": required,
        "additionalProperties": False,
    }


# The converter's scalar hooks: numbers are never booleans; text fields also take numbers
# (``version: 1.0``), which the converter turns into text.
_PRIMITIVES: dict[Any, Schema] = {
    float: {"type": "number"},
    int: {"type": "integer"},
    str: {"type": ["string", "number"]},
    bool: {"type": "boolean"},
}


def _union(members: list[Schema]) -> Schema:
    """``anyOf`` the members, merging plain ``type`` schemas into one type list."""
    types_: list[str] = []
    rest: list[Schema] = []
    for member in members:
        if set(member) == {"type"}:
            names = member["type"] if isinstance(member["type"], list) else [member["type"]]
            types_.extend(n for n in names if n not in types_)
        else:
            rest.append(member)
    if "number" in types_ and "integer" in types_:
        types_.remove("integer")  # every integer is a number
    merged = list(rest)
    if types_:
        merged.append({"type": types_[0] if len(types_) == 1 else types_})
    return merged[0] if len(merged) == 1 else {"anyOf": merged}


def _without_none(tp: Any) -> Any:
    args = tuple(a for a in typing.get_args(tp) if a is not type(None))
    return functools.reduce(operator.or_, args) if args else tp


def _nullable(schema: Schema) -> Schema:
    return _union([schema, {"type": "null"}])


_NO_DEFAULT = object()
