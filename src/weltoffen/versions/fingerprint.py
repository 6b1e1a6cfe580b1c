"""The fingerprint of a questionnaire: a short hash of everything that decides its scores.

Two definitions with the same fingerprint read and score every response alike, whatever their
texts, languages, file format or key order; a result that records the fingerprint says which
scoring it came from. The hash is taken over the *model*, not over a file, so a questionnaire
read from YAML, JSON or a foreign format has the fingerprint of what it means.

What enters (everything else stays out):

- every question with its id, kind, points (options, yes/no, thresholds, linear), weight,
  ``scored``, the states it offers, its condition and ``otherwise``, reverse keying, missing
  codes, limits (minimum, maximum, integer, selections) and the scale it uses;
- the shared scales that some question uses: their option values and points, in order;
- every dimension with its id, weight, weighting and aggregation (kind and parameters), missing
  answer policies and minimum coverage, condition, bands (id and bounds) and what they are on;
- the same settings of the questionnaire itself, and its missing codes;
- the order of questions, dimensions, options and bands (weightings such as AHP follow it).

What stays out: the instrument's id, version and default language; every text (titles,
descriptions, question texts, help, labels, units, band feedback) in every language;
suggestions; metadata fields (never scored); scales no question uses.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from weltoffen._repr import value_repr

if TYPE_CHECKING:
    from weltoffen.model.questionnaire import Questionnaire

__all__ = [
    "PRESENTATION",
    "TEXT_FIELDS",
    "Keyed",
    "definition_tree",
    "fingerprint",
    "plain_tree",
    "remember",
    "scoring_tree",
    "used_scales",
]

#: Fields that hold a text per language: they never affect a score.
TEXT_FIELDS = frozenset({"title", "description", "text", "help", "label", "feedback", "unit"})

#: Fields of the questionnaire (besides texts) that never affect a score.
PRESENTATION = frozenset({"id", "version", "language", "metadata"})

#: Fields anywhere (besides texts) that never affect a score: advice for reports.
_ADVICE = frozenset({"suggestions"})

#: What identifies an item of a list, per kind of item: lists of such items are matched by it.
_IDENTITY = ("id", "value", "key")


@attrs.frozen
class Keyed:
    """A list of items that carry an identity (questions, dimensions, options, bands, ...):
    *order* of their identities and the items by identity."""

    __repr__ = value_repr

    order: tuple[str, ...]
    items: Mapping[str, Any]


def definition_tree(questionnaire: Questionnaire) -> dict[str, Any]:
    """The whole definition as plain data (texts included): attrs objects become mappings of
    their fields, tagged with their kind where one field may hold several (``@kind``), lists of
    identified items become :class:`Keyed`, numbers that are whole become ints."""
    from weltoffen.registry import GROUPS, default_registry

    kinds = {
        default_registry.lookup(group, name): f"{group}:{name}"
        for group in GROUPS
        for name in default_registry.names(group)
    }
    tree = _node(questionnaire, kinds)
    assert isinstance(tree, dict)
    return tree


def scoring_tree(tree: Mapping[str, Any]) -> Any:
    """What of a :func:`definition_tree` decides scores, as JSON-ready data."""
    used = used_scales(tree)
    kept = {
        name: value
        for name, value in tree.items()
        if name not in PRESENTATION and not _is_text(name, value) and name not in _ADVICE
    }
    if isinstance(kept.get("scales"), Keyed):
        scales: Keyed = kept["scales"]
        order = tuple(s for s in scales.order if s in used)
        kept["scales"] = Keyed(order, {s: scales.items[s] for s in order})
    return plain_tree(kept, strip=True)


def fingerprint(questionnaire: Questionnaire) -> str:
    """16 lowercase hex digits identifying how *questionnaire* scores (see the module's text
    for what enters the hash and what does not)."""
    known = _remembered.get(id(questionnaire))
    if known is not None and known[0] is questionnaire:
        return known[1]
    import hashlib
    import json

    canonical = json.dumps(
        scoring_tree(definition_tree(questionnaire)),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
        allow_nan=False,
    )
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()[:16]


#: Fingerprints made ahead of time, by the identity of their questionnaire (kept alive here, so
#: that an identity is not reused): the bundled instruments' pre-built twins record theirs.
_remembered: dict[int, tuple[Questionnaire, str]] = {}
_REMEMBERED_KEPT = 16


def remember(questionnaire: Questionnaire, value: str) -> None:
    """Take *value* as the fingerprint of *questionnaire* from now on, without hashing it.

    For fingerprints made before, of the same definition (see
    :mod:`weltoffen.instruments.prebuilt`); a few are kept, the oldest forgotten first.
    """
    if len(_remembered) >= _REMEMBERED_KEPT:
        del _remembered[next(iter(_remembered))]
    _remembered[id(questionnaire)] = (questionnaire, value)


def _is_text(name: str, value: object) -> bool:
    return name in TEXT_FIELDS and isinstance(value, Mapping)


def _node(value: object, kinds: Mapping[type, str]) -> Any:
    cls: Any = type(value)
    if attrs.has(cls):
        fields: dict[str, Any] = {}
        tag = _kind(cls, kinds)
        if tag is not None:
            fields["@kind"] = tag
        for field in attrs.fields(cls):
            fields[field.name] = _node(getattr(value, field.name), kinds)
        return fields
    if isinstance(value, Mapping):
        return {str(key): _node(item, kinds) for key, item in value.items()}
    if isinstance(value, (tuple, list)):
        identity = _identity(value)
        if identity is not None:
            order = tuple(str(getattr(item, identity)) for item in value)
            return Keyed(
                order, {key: _node(item, kinds) for key, item in zip(order, value, strict=True)}
            )
        return [_node(item, kinds) for item in value]
    if isinstance(value, (frozenset, set)):
        return sorted((_node(item, kinds) for item in value), key=repr)
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        # 1 and 1.0 are the same weight whether a file wrote one or the other
        if not math.isfinite(value):
            return repr(float(value))  # JSON has no infinities; a text keeps it apart
        return int(value) if float(value).is_integer() else float(value)
    return repr(value)


def _identity(items: tuple[object, ...] | list[object]) -> str | None:
    """The field that identifies every item of *items*, when all share one and none repeats."""
    if not items or not all(attrs.has(type(item)) for item in items):
        return None
    for name in _IDENTITY:
        if all(name in attrs.fields_dict(_any(type(item))) for item in items):
            keys = [getattr(item, name) for item in items]
            if all(isinstance(k, str) for k in keys) and len(set(keys)) == len(keys):
                return name
            return None
    return None


def _any(cls: type) -> Any:
    return cls  # an attrs class, which attrs' stubs cannot tell from type(...)


def _kind(cls: type, kinds: Mapping[type, str]) -> str | None:
    """The tag of *cls* where a field may hold one of several classes: questions (their kind),
    strategies (their registered name), conditions. Plain model parts (options, ...) have none."""
    kind = getattr(cls, "kind", None)
    if isinstance(kind, str):
        return kind
    if cls in kinds:
        return kinds[cls]
    if cls.__module__ == "weltoffen.model.conditions":
        return cls.__name__
    if cls.__module__.startswith("weltoffen.model"):
        return None
    return f"{cls.__module__}.{cls.__qualname__}"


def used_scales(tree: Mapping[str, Any]) -> set[str]:
    """Ids of the scales that some question of a :func:`definition_tree` names."""
    used: set[str] = set()

    def visit(node: Any) -> None:
        if isinstance(node, Keyed):
            for item in node.items.values():
                visit(item)
        elif isinstance(node, dict):
            if node.get("@kind") == "scale" and isinstance(node.get("scale"), str):
                used.add(node["scale"])
            for key, item in node.items():
                if key in ("dimensions", "questions"):
                    visit(item)

    visit(tree)
    return used


def plain_tree(node: Any, *, strip: bool = False) -> Any:
    """A part of a :func:`definition_tree` as JSON data; with *strip*, without texts and
    advice."""
    if isinstance(node, Keyed):
        return [plain_tree(node.items[key], strip=strip) for key in node.order]
    if isinstance(node, dict):
        return {
            key: plain_tree(item, strip=strip)
            for key, item in node.items()
            if not (strip and (_is_text(key, item) or key in _ADVICE))
        }
    if isinstance(node, list):
        return [plain_tree(item, strip=strip) for item in node]
    return node
