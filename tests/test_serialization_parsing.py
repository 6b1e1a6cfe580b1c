"""Safe parsing of YAML and JSON: the data, the line of each path, and located failures."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from weltoffen.exceptions import Location, Problem, ProblemCode
from weltoffen.serialization.parsing import MAX_DEPTH, ParseFailure, parse

TAGS_REFUSED = "not valid YAML data: tags that construct objects (such as !!python/...) are refused"
TOO_DEEP = "nested too deeply (more than 100 levels)"

# The wording of syntax errors comes from libyaml, which pyyaml's wheels ship and parse uses
libyaml = pytest.mark.skipif(not yaml.__with_libyaml__, reason="messages worded by libyaml")


def failure(text: str, fmt: str = "yaml", name: str | None = "q.yaml") -> Problem:
    with pytest.raises(ParseFailure) as info:
        parse(text, fmt, name)
    return info.value.problem


def located(
    message: str,
    line: int | None,
    name: str | None = "q.yaml",
    code: ProblemCode = ProblemCode.BAD_SYNTAX,
) -> Problem:
    return Problem(code, message, file=name, line=line)


def paths_of(data: Any, path: Location = ()) -> set[Location]:
    """Every location in *data*, as the parser records them."""
    out = {path}
    if isinstance(data, dict):
        for key, value in data.items():
            out |= paths_of(value, (*path, key))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            out |= paths_of(item, (*path, i))
    return out


def nested(opening: str, closing: str, levels: int, inner: str = "0") -> str:
    return opening * levels + inner + closing * levels


def block(levels: int, sibling: bool = False) -> str:
    """*levels* block mappings inside each other, one key a line, optionally with a closed
    mapping beside the chain on the second level."""
    lines = ["a:", *(["  s: {}"] if sibling else [])]
    lines += ["  " * i + "a:" for i in range(1, levels)]
    return "\n".join([*lines, "  " * levels + "x"]) + "\n"


class TestFailure:
    def test_carries_the_problem_and_shows_it(self) -> None:
        with pytest.raises(ParseFailure) as info:
            parse("a: 1\nb: 2\na: 3\n", "yaml", "q.yaml")
        assert info.value.problem == located(
            "key 'a' appears twice in one mapping", 3, code=ProblemCode.DUPLICATE_KEY
        )
        assert str(info.value) == "q.yaml:3: key 'a' appears twice in one mapping"

    def test_text_without_a_file_names_no_file(self) -> None:
        assert failure("a: 1\na: 2\n", name=None) == located(
            "key 'a' appears twice in one mapping", 2, name=None, code=ProblemCode.DUPLICATE_KEY
        )


class TestJSON:
    def test_data_without_lines(self) -> None:
        text = '{"a": {"b": [1, 2.5, "x", true, null]}, "c": "d"}'
        assert parse(text, "json", "q.json") == (
            {"a": {"b": [1, 2.5, "x", True, None]}, "c": "d"},
            {},
        )

    def test_syntax_error_with_line_and_column(self) -> None:
        assert failure('{"a": 1,\n "b": x}', "json", "q.json") == located(
            "not valid JSON: Expecting value (column 7)", 2, "q.json"
        )

    def test_duplicate_key(self) -> None:
        assert failure('{"a": {"b": 1, "b": 2}}', "json", "q.json") == located(
            "key 'b' appears twice in one mapping", None, "q.json", code=ProblemCode.DUPLICATE_KEY
        )

    def test_too_deep(self) -> None:
        text = nested("[", "]", 100_000, "")
        assert failure(text, "json", "q.json") == located(
            TOO_DEEP, None, "q.json", code=ProblemCode.TOO_LARGE
        )

    def test_number_with_too_many_digits(self) -> None:
        assert failure("[" + "9" * 5000 + "]", "json", "q.json") == located(
            "not valid JSON: number has too many digits (at most 4300)", None, "q.json"
        )

    def test_is_not_read_as_yaml(self) -> None:
        # YAML would take this as a mapping with one key
        assert failure("{a: 1}", "json", "q.json").message.startswith("not valid JSON: ")


class TestYAMLData:
    def test_data_and_the_line_of_each_path(self) -> None:
        text = "a: 1\nb:\n  c: [x, y]\n  d:\n    - e: 1\n"
        data, lines = parse(text, "yaml", "q.yaml")
        assert data == {"a": 1, "b": {"c": ["x", "y"], "d": [{"e": 1}]}}
        assert lines == {
            (): 1,
            ("a",): 1,
            ("b",): 3,
            ("b", "c"): 3,
            ("b", "c", 0): 3,
            ("b", "c", 1): 3,
            ("b", "d"): 5,
            ("b", "d", 0): 5,
            ("b", "d", 0, "e"): 5,
        }

    def test_scalars_keep_their_yaml_types(self) -> None:
        data, _ = parse("a: 2020-01-02\nb: 1.5\nc: null\nd: yes\ne: '7'\n", "yaml", None)
        assert data == {"a": dt.date(2020, 1, 2), "b": 1.5, "c": None, "d": True, "e": "7"}

    @pytest.mark.parametrize("text", ["", "# only a comment\n"])
    def test_empty_document(self, text: str) -> None:
        assert parse(text, "yaml", "q.yaml") == (None, {})

    def test_number_and_boolean_keys_become_text(self) -> None:
        data, lines = parse("1: x\ntrue: y\n1.5: z\nno: w\n", "yaml", None)
        assert data == {"1": "x", "true": "y", "1.5": "z", "false": "w"}
        assert lines == {(): 1, ("1",): 1, ("true",): 2, ("1.5",): 3, ("false",): 4}

    def test_merge_keys_and_aliases(self) -> None:
        text = "base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\ncopy: *b\n"
        data, lines = parse(text, "yaml", None)
        assert data == {"base": {"x": 1}, "derived": {"x": 1, "y": 2}, "copy": {"x": 1}}
        # a merged or aliased value is placed where it is written out
        assert lines["derived", "x"] == 1
        assert lines["derived", "y"] == 4
        assert lines[("copy",)] == 1

    @given(
        data=st.recursive(
            st.none() | st.booleans() | st.integers(-1000, 1000) | st.text(max_size=5),
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(st.text("abc", min_size=1, max_size=3), inner, max_size=3)
            ),
            max_leaves=12,
        )
    )
    def test_dumped_data_reads_back_with_a_line_for_every_path(self, data: Any) -> None:
        assert parse(json.dumps(data), "json", None) == (data, {})
        back, lines = parse(yaml.safe_dump(data), "yaml", None)
        assert back == data
        assert set(lines) == paths_of(data)
        assert all(line >= 1 for line in lines.values())


class TestYAMLRefused:
    def test_date_keys_become_text(self) -> None:
        data, _ = parse("2020-01-02: d\n2020-01-02 10:00:00: t\n", "yaml", None)
        assert data == {"2020-01-02": "d", "2020-01-02 10:00:00": "t"}

    def test_duplicate_key_after_conversion_to_text(self) -> None:
        assert failure("a: 0\n1: x\n'1': y\n") == located(
            "key '1' appears twice in one mapping", 3, code=ProblemCode.DUPLICATE_KEY
        )

    @pytest.mark.parametrize("key", ["~", "[a]", "{a: 1}", "!!binary aGVsbG8=", "!!set {x: null}"])
    def test_keys_that_are_not_text_or_numbers(self, key: str) -> None:
        assert failure(f"a: 0\n? {key}\n: x\n") == located(
            "mapping keys must be plain text or numbers", 2, code=ProblemCode.WRONG_TYPE
        )

    @pytest.mark.parametrize(
        "value",
        [
            "!!python/object/apply:os.system [echo]",
            "!!python/name:os.system",
            "!custom x",
            "!custom [1]",
            "!custom {b: 1}",
            "!!set {x: null}",
        ],
    )
    def test_tags_that_construct_objects(self, value: str) -> None:
        assert failure(f"a: 0\nb: {value}\n") == located(TAGS_REFUSED, 2)

    def test_binary_value(self) -> None:
        assert failure("a: 0\nb: !!binary aGVsbG8=\n") == located(
            "binary values are not accepted", 2, code=ProblemCode.WRONG_TYPE
        )

    def test_value_its_constructor_refuses(self) -> None:
        assert failure("a: 0\nb: 2020-13-45\n") == located(
            "unreadable value: month must be in 1..12", 2, code=ProblemCode.BAD_VALUE
        )

    def test_key_its_constructor_refuses(self) -> None:
        problem = failure("a: 0\n2020-13-45: x\n")
        assert (problem.file, problem.message) == (
            "q.yaml",
            "unreadable value: month must be in 1..12",
        )

    def test_number_with_too_many_digits(self) -> None:
        assert failure("a: 0\nb: " + "9" * 5000 + "\n") == located(
            "unreadable value: number has too many digits (at most 4300)",
            2,
            code=ProblemCode.BAD_VALUE,
        )

    @pytest.mark.parametrize("text", ["a: 1\n---\nb: 2\n", "--- a\n--- b\n", "---\n---\n"])
    def test_more_than_one_document(self, text: str) -> None:
        assert failure(text) == located("holds more than one YAML document", 2)

    def test_control_character(self) -> None:
        assert failure("a: \x07\n") == located(
            "not valid YAML: unacceptable character #x0007: control characters are not allowed\n"
            '  in "<unicode string>", position 3',
            None,
        )

    @libyaml
    def test_lone_surrogate(self) -> None:
        # text from Python, not from a file: it cannot be encoded for the parser
        text = "\na: 0\nb: x\udc80y\nc: 1\n"
        assert failure(text) == located(
            "not valid YAML: lone surrogate U+DC80", 3, code=ProblemCode.BAD_ENCODING
        )

    @libyaml
    def test_syntax_error_with_its_context_at_the_problem(self) -> None:
        assert failure("a: [1\n") == located(
            "not valid YAML: did not find expected ',' or ']' while parsing a flow sequence", 2
        )

    @libyaml
    def test_syntax_error_without_context(self) -> None:
        assert failure("a: 0\nb: c: d\n") == located(
            "not valid YAML: mapping values are not allowed in this context", 2
        )

    @libyaml
    def test_undefined_alias(self) -> None:
        assert failure("a: 0\nb: *nowhere\n") == located("not valid YAML: found undefined alias", 2)


class TestDepth:
    def test_limit(self) -> None:
        assert MAX_DEPTH == 100

    @pytest.mark.parametrize(("opening", "closing"), [("[", "]"), ("{a: ", "}")])
    def test_up_to_the_limit_is_accepted(self, opening: str, closing: str) -> None:
        data, _ = parse(nested(opening, closing, MAX_DEPTH), "yaml", None)
        for _ in range(MAX_DEPTH):
            data = data[0] if isinstance(data, list) else data["a"]
        assert data == 0

    @pytest.mark.parametrize(("opening", "closing"), [("[", "]"), ("{a: ", "}")])
    def test_beyond_the_limit_is_refused(self, opening: str, closing: str) -> None:
        text = "\n" + nested(opening, closing, MAX_DEPTH + 1)
        assert failure(text) == located(TOO_DEEP, 2, code=ProblemCode.TOO_LARGE)

    def test_refused_at_the_line_that_opens_one_level_too_many(self) -> None:
        assert parse(block(MAX_DEPTH), "yaml", None)[0] is not None
        assert failure(block(MAX_DEPTH + 1)) == located(TOO_DEEP, 101, code=ProblemCode.TOO_LARGE)

    def test_closed_collections_do_not_count(self) -> None:
        assert parse(block(MAX_DEPTH, sibling=True), "yaml", None)[0] is not None
        assert failure(block(MAX_DEPTH + 1, sibling=True)) == located(
            TOO_DEEP, 102, code=ProblemCode.TOO_LARGE
        )
        many = "[" + ", ".join(["[{a: [1]}]"] * 200) + "]"
        assert len(parse(many, "yaml", None)[0]) == 200

    @pytest.mark.parametrize(("opening", "closing"), [("[", "]"), ("{k: ", "}")])
    def test_aliases_cannot_nest_deeper(self, opening: str, closing: str) -> None:
        def text(levels: int) -> str:
            return (
                "# a part used twice\n"
                f"a: &a {nested(opening, closing, levels)}\n"
                f"b: {nested(opening, closing, levels, '*a')}\n"
            )

        # b's value sits on level 1, so two times 49 levels plus the 0 stay within the limit
        parse(text(49), "yaml", None)
        assert failure(text(50)) == located(TOO_DEEP, 2, code=ProblemCode.TOO_LARGE)


class TestAliasBudget:
    """A document may expand to 10 values per parser event plus 10 000, aliases included."""

    @staticmethod
    def document(n: int, m: int) -> tuple[str, int, int]:
        """A list of *n* zeros and a list of *m* aliases to it: the text, the number of values it
        expands to, and its budget."""
        text = "l: &l [" + ", ".join(["0"] * n) + "]\nr: [" + ", ".join(["*l"] * m) + "]\n"
        events = sum(1 for _ in yaml.parse(text))
        assert events == 12 + n + m  # stream, document, mapping, 2 keys, 2 lists: 12 with ends
        values = 3 + n + m * (1 + n)  # the mapping, both lists, the zeros, each alias expanded
        return text, values, 10 * events + 10_000

    def test_exactly_the_budget_is_accepted(self) -> None:
        text, values, budget = self.document(5108, 11)
        assert values == budget
        data, _ = parse(text, "yaml", None)
        assert data["r"] == [[0] * 5108] * 11

    def test_one_value_over_the_budget_is_refused(self) -> None:
        text, values, budget = self.document(226, 56)
        assert values == budget + 1
        assert failure(text) == located(
            "too many values (aliases expand too far)", 1, code=ProblemCode.TOO_LARGE
        )

    def test_large_documents_without_aliases_are_accepted(self) -> None:
        data, _ = parse("[" + ", ".join(["1"] * 12_000) + "]", "yaml", None)
        assert data == [1] * 12_000

    def test_aliases_of_aliases_are_refused(self) -> None:
        # each list holds the previous one nine times: 9 ** 6 values from six short lines
        lines = ["a: &a [" + ", ".join(["lol"] * 9) + "]"]
        for prev, name in zip("abcde", "bcdef", strict=True):
            lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
        problem = failure("\n".join(lines) + "\n")
        assert (problem.file, problem.message) == (
            "q.yaml",
            "too many values (aliases expand too far)",
        )


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("id: a\n\tversion: 1\n", 2, 1),  # PyYAML: "found a tab character that violates ..."
        ("respondent: a\nanswers:\n\tq: 1\n", 3, 1),  # PyYAML: "cannot start any token"
        ("- respondent: a\n  answers:\n    q:\t\t1\n  \tmetadata: {}\n", 4, 3),
    ],
)
def test_a_tab_is_named_alike_wherever_it_stands(text: str, line: int, column: int) -> None:
    problem = failure(text)
    assert problem.code is ProblemCode.BAD_SYNTAX
    assert (problem.line, problem.message) == (
        line,
        f"not valid YAML: a tab character at column {column} (YAML indents with spaces only)",
    )
