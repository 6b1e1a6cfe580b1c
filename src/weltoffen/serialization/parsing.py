"""Safe parsing of YAML and JSON text into plain data, with a map of paths to lines.

Only plain data comes out: no tags that construct objects, no code. Limits on depth and on the
number of values (alias expansion included) keep hostile files from exhausting the machine; every
failure is a :class:`~weltoffen.exceptions.DefinitionError` naming the file and line.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sys
from typing import TYPE_CHECKING, Any

from weltoffen.exceptions import Location, Problem, ProblemCode

if TYPE_CHECKING:
    import yaml

__all__ = ["MAX_DEPTH", "ParseFailure", "parse"]

#: Deepest nesting accepted; real instruments stay below 20.
MAX_DEPTH = 100


# PyYAML is imported with the first YAML text: loading JSON (a pre-built instrument, a JSON
# response file) does without the 15 ms its import takes.
@functools.cache
def _loader() -> Any:
    """libyaml's safe loader where PyYAML was built with it (much faster), else PyYAML's own."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ParseFailure(Exception):
    """The text could not be read as data; carries one located problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def parse(text: str, fmt: str, name: str | None) -> tuple[Any, dict[Location, int]]:
    """Parse *text* as ``yaml`` or ``json``; return the data and the line of each location."""
    if fmt == "json":
        return _parse_json(text, name), {}
    return _parse_yaml(text, name)


def _fail(
    name: str | None, code: ProblemCode, message: str, line: int | None = None
) -> ParseFailure:
    return ParseFailure(Problem(code, message, file=name, line=line))


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads keeps the last of two equal keys silently; YAML refuses them, so JSON does too
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _digit_limit() -> int:
    """The most digits Python turns into an integer (0: no limit; older Pythons have none)."""
    limit: int = getattr(sys, "get_int_max_str_digits", lambda: 0)()
    return limit


def _too_many_digits(text: str) -> bool:
    limit = _digit_limit()
    # the length bounds the digits: most numbers are settled without counting
    return bool(limit) and len(text) > limit and sum(c.isdigit() for c in text) > limit


def _too_many_digits_message() -> str:
    # Python's own text about the limit points at interpreter settings, not at the file
    return f"number has too many digits (at most {_digit_limit()})"


class _TooManyDigits(ValueError):
    """An integer in a JSON document longer than Python converts."""


def _json_int(text: str) -> int:
    if _too_many_digits(text):
        raise _TooManyDigits(text)
    return int(text)


def _parse_json(text: str, name: str | None) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_unique_keys, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        raise _fail(
            name,
            ProblemCode.BAD_SYNTAX,
            f"not valid JSON: {exc.msg} (column {exc.colno})",
            exc.lineno,
        ) from None
    except RecursionError:
        raise _fail(
            name, ProblemCode.TOO_LARGE, f"nested too deeply (more than {MAX_DEPTH} levels)"
        ) from None
    except _DuplicateKey as exc:
        raise _fail(
            name, ProblemCode.DUPLICATE_KEY, f"key {exc.key!r} appears twice in one mapping"
        ) from None
    except _TooManyDigits:
        raise _fail(
            name, ProblemCode.BAD_SYNTAX, f"not valid JSON: {_too_many_digits_message()}"
        ) from None
    except ValueError as exc:  # any other number Python cannot take
        raise _fail(name, ProblemCode.BAD_SYNTAX, f"not valid JSON: {exc}") from None


def _parse_yaml(text: str, name: str | None) -> tuple[Any, dict[Location, int]]:
    import yaml

    events = _check_shape(text, name)
    loader = _loader()(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        return _Builder(loader, name, budget=10 * events + 10_000).build(node)
    except yaml.MarkedYAMLError as exc:
        raise _fail(name, ProblemCode.BAD_SYNTAX, _yaml_message(exc, text), _line(exc)) from None
    except yaml.YAMLError as exc:
        raise _fail(name, ProblemCode.BAD_SYNTAX, f"not valid YAML: {exc}") from None
    except (ValueError, OverflowError) as exc:  # a scalar its constructor refuses (huge int, ...)
        raise _fail(name, ProblemCode.BAD_VALUE, f"unreadable value: {exc}") from None
    finally:
        loader.dispose()


def _check_shape(text: str, name: str | None) -> int:
    """Walk the event stream once (no recursion) to refuse over-deep documents early."""
    import yaml

    depth = 0
    count = 0
    try:
        for event in yaml.parse(text, Loader=_loader()):
            count += 1
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    line = event.start_mark.line + 1 if event.start_mark else None
                    raise _fail(
                        name,
                        ProblemCode.TOO_LARGE,
                        f"nested too deeply (more than {MAX_DEPTH} levels)",
                        line,
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.DocumentStartEvent) and count > 2:
                line = event.start_mark.line + 1 if event.start_mark else None
                raise _fail(name, ProblemCode.BAD_SYNTAX, "holds more than one YAML document", line)
    except yaml.MarkedYAMLError as exc:
        raise _fail(name, ProblemCode.BAD_SYNTAX, _yaml_message(exc, text), _line(exc)) from None
    except yaml.YAMLError as exc:
        raise _fail(name, ProblemCode.BAD_SYNTAX, f"not valid YAML: {exc}") from None
    except UnicodeEncodeError as exc:  # a lone surrogate: only text given from Python can hold one
        bad = exc.object[exc.start]
        line = exc.object[: exc.start].count("\n") + 1
        raise _fail(
            name, ProblemCode.BAD_ENCODING, f"not valid YAML: lone surrogate U+{ord(bad):04X}", line
        ) from None
    return count


def _line(exc: yaml.MarkedYAMLError) -> int | None:
    mark = exc.problem_mark or exc.context_mark
    return mark.line + 1 if mark is not None else None


def _yaml_message(exc: yaml.MarkedYAMLError, text: str) -> str:
    problem = exc.problem or "invalid"
    if "could not determine a constructor for the tag" in problem:
        return _TAG_REFUSED
    mark = exc.problem_mark
    if mark is not None and text[mark.index : mark.index + 1] == "\t":
        # PyYAML words a tab differently by where it stands; the cause and the cure are the same
        return (
            f"not valid YAML: a tab character at column {mark.column + 1} "
            "(YAML indents with spaces only)"
        )
    context = f" {exc.context}" if exc.context else ""
    return f"not valid YAML: {problem}{context}"


_PLAIN_COLLECTIONS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_TAG_REFUSED = "not valid YAML data: tags that construct objects (such as !!python/...) are refused"


class _Builder:
    """Builds plain data from composed YAML nodes, recording the line of each path."""

    def __init__(self, loader: Any, name: str | None, budget: int) -> None:
        import yaml

        self.yaml = yaml
        self.loader = loader
        self.name = name
        self.budget = budget
        self.lines: dict[Location, int] = {}

    def build(self, node: yaml.Node) -> tuple[Any, dict[Location, int]]:
        return self._value(node, (), 0), self.lines

    def _value(self, node: yaml.Node, path: Location, depth: int) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise _fail(
                self.name,
                ProblemCode.TOO_LARGE,
                "too many values (aliases expand too far)",
                node.start_mark.line + 1,
            )
        if depth > MAX_DEPTH:
            raise _fail(
                self.name,
                ProblemCode.TOO_LARGE,
                f"nested too deeply (more than {MAX_DEPTH} levels)",
                node.start_mark.line + 1,
            )
        self.lines.setdefault(path, node.start_mark.line + 1)
        if not isinstance(node, self.yaml.ScalarNode) and node.tag not in _PLAIN_COLLECTIONS:
            raise _fail(self.name, ProblemCode.BAD_SYNTAX, _TAG_REFUSED, node.start_mark.line + 1)
        if isinstance(node, self.yaml.MappingNode):
            self.loader.flatten_mapping(node)
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.loader.construct_object(key_node, deep=True)
                if not isinstance(key, str | int | float | dt.date):  # not None, bytes, set, ...
                    raise _fail(
                        self.name,
                        ProblemCode.WRONG_TYPE,
                        "mapping keys must be plain text or numbers",
                        key_node.start_mark.line + 1,
                    )
                key = (
                    key
                    if isinstance(key, str)
                    else str(key).lower()
                    if isinstance(key, bool)
                    else str(key)
                )
                if key in out:
                    raise _fail(
                        self.name,
                        ProblemCode.DUPLICATE_KEY,
                        f"key {key!r} appears twice in one mapping",
                        key_node.start_mark.line + 1,
                    )
                child = (*path, key)
                out[key] = self._value(value_node, child, depth + 1)
            return out
        if isinstance(node, self.yaml.SequenceNode):
            return [self._value(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        try:
            value = self.loader.construct_object(node, deep=True)
        except (ValueError, OverflowError) as exc:  # a huge integer, ...
            too_long = isinstance(node, self.yaml.ScalarNode) and _too_many_digits(node.value)
            raise _fail(
                self.name,
                ProblemCode.BAD_VALUE,
                f"unreadable value: {_too_many_digits_message() if too_long else exc}",
                node.start_mark.line + 1,
            ) from None
        if isinstance(value, bytes):
            raise _fail(
                self.name,
                ProblemCode.WRONG_TYPE,
                "binary values are not accepted",
                node.start_mark.line + 1,
            )
        return value
