"""Every class of bad input ends in a DefinitionError or ResponseError that says where.

Each test checks the error's type (also a ``ValueError``), that a problem names the place (the
path inside the document and, for YAML files, the line) and the file, and that nothing else —
no bare KeyError, TypeError or RecursionError — escapes. The command line turns the same input
into exit status 1 and one line per problem, never a traceback.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import itertools
import json
import math
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.strategies import questionnaire_and_responses, questionnaires
from weltoffen import (
    Band,
    Choice,
    DefinitionError,
    Dimension,
    Equals,
    Option,
    Problem,
    Questionnaire,
    Response,
    ResponseError,
    ScaleQuestion,
    YesNo,
    check_questionnaire,
    compile,
    load_questionnaire,
    load_responses,
    make_converter,
    score,
)
from weltoffen.cli import main
from weltoffen.serialization.responses import load_responses_any

# -- helpers -----------------------------------------------------------------------------------


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return path


def definition_error(path: Path) -> DefinitionError:
    """The error loading *path* raises (and that it is the right kind of error)."""
    with pytest.raises(DefinitionError) as info:
        load_questionnaire(path)
    assert isinstance(info.value, ValueError)
    assert info.value.problems, "an error without problems says nothing"
    return info.value


def problem_at(error: DefinitionError | ResponseError, path: str) -> Problem:
    """The problem reported at *path* (the test fails when there is none)."""
    found = [p for p in error.problems if p.path == path]
    assert found, f"no problem at {path!r}; got {[str(p) for p in error.problems]}"
    return found[0]


def assert_located(
    error: DefinitionError | ResponseError, path: str, file: Path, line: int | None
) -> Problem:
    """A problem at *path* names *file* and *line*, and its text shows all three."""
    problem = problem_at(error, path)
    assert str(file) == problem.file
    assert line == problem.line
    text = str(error)
    assert str(file) in text
    assert path in text
    if line is not None:
        assert f"{file}:{line}:" in text
    return problem


def problems_or_none(
    action: Callable[[], object], error: type[DefinitionError | ResponseError] = DefinitionError
) -> tuple[Problem, ...] | None:
    """The problems *action* raises as *error*, or ``None`` when it succeeds; any other
    exception escapes and fails the test."""
    try:
        action()
    except error as exc:
        return exc.problems
    return None


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(argv))
    return status, out.getvalue(), err.getvalue()


def assert_cli_refuses(path: Path, problems: int | None = None) -> list[str]:
    """``weltoffen validate PATH`` exits 1 with one line per problem and no traceback."""
    status, out, err = run_cli("validate", str(path))
    assert status == 1
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines, "no error printed"
    assert all(line.startswith("error: ") for line in lines)
    assert all(str(path) in line for line in lines)
    if problems is not None:
        assert problems == len(lines)
    return lines


# A valid questionnaire; the tests below break one thing at a time.
VALID = """
id: demo
scales:
  - id: agree
    options:
      - {value: never, points: 0}
      - {value: partly, points: 1}
      - {value: always, points: 2}
bands:
  - {id: low, min: 0, max: 50}
  - {id: high, min: 50, max: 100}
dimensions:
  - id: d1
    questions:
      - {id: q1, kind: scale, scale: agree}
      - {id: q2, kind: yes_no}
  - id: d2
    questions:
      - {id: q3, kind: scale, scale: agree}
"""


def variant(tmp_path: Path, old: str, new: str, name: str = "q.yaml") -> Path:
    """The valid questionnaire with *old* replaced by *new*, written to a file."""
    text = textwrap.dedent(VALID).lstrip("\n")
    assert old in text
    return write(tmp_path, name, text.replace(old, new, 1))


def test_the_valid_questionnaire_is_valid(tmp_path: Path) -> None:
    """The base of the variants below loads and validates (so each variant breaks one thing)."""
    path = write(tmp_path, "q.yaml", VALID)
    compile(load_questionnaire(path))
    assert run_cli("validate", str(path))[0] == 0


# -- model checks (item 5) ---------------------------------------------------------------------


class TestDuplicateIds:
    def test_question(self, tmp_path: Path) -> None:
        path = variant(tmp_path, "{id: q3, kind: scale", "{id: q1, kind: scale")
        problem = assert_located(definition_error(path), "dimensions[1].questions[0].id", path, 18)
        assert "duplicate question id 'q1'" in problem.message
        assert "dimensions[0].questions[0]" in str(problem.got)

    def test_dimension(self, tmp_path: Path) -> None:
        path = variant(tmp_path, "  - id: d2", "  - id: d1")
        problem = assert_located(definition_error(path), "dimensions[1].id", path, 16)
        assert "duplicate dimension id 'd1'" in problem.message

    def test_scale(self, tmp_path: Path) -> None:
        path = variant(
            tmp_path,
            "bands:",
            "  - id: agree\n    options: [{value: a, points: 0}, {value: b, points: 1}]\nbands:",
        )
        problem = assert_located(definition_error(path), "scales[1].id", path, 8)
        assert "duplicate scale id 'agree'" in problem.message

    def test_option_value_and_band(self, tmp_path: Path) -> None:
        path = variant(tmp_path, "{value: always, points: 2}", "{value: never, points: 2}")
        assert_located(definition_error(path), "scales[0].options[2].value", path, 7)
        path = variant(tmp_path, "{id: high, min: 50", "{id: low, min: 50")
        assert_located(definition_error(path), "bands[1].id", path, 10)


class TestUnknownReferences:
    def test_scale(self, tmp_path: Path) -> None:
        path = variant(
            tmp_path, "{id: q3, kind: scale, scale: agree}", "{id: q3, kind: scale, scale: agre}"
        )
        problem = assert_located(
            definition_error(path), "dimensions[1].questions[0].scale", path, 18
        )
        assert "unknown scale 'agre'" in problem.message
        assert "'agree'" in str(problem.expected)

    def test_question_in_a_condition(self, tmp_path: Path) -> None:
        path = variant(
            tmp_path,
            "{id: q2, kind: yes_no}",
            "{id: q2, kind: yes_no, when: {question: q9, equals: yes}}",
        )
        problem = assert_located(
            definition_error(path), "dimensions[0].questions[1].when.question", path, 15
        )
        assert "unknown question 'q9'" in problem.message

    def test_question_in_a_dimension_condition(self, tmp_path: Path) -> None:
        path = variant(
            tmp_path, "  - id: d2\n", "  - id: d2\n    when: {any: [{question: nope, equals: 1}]}\n"
        )
        assert_located(definition_error(path), "dimensions[1].when.any[0].question", path, 17)

    def test_shape_inside_all_and_any(self, tmp_path: Path) -> None:
        """A broken condition inside a list is placed under its key, at its own line."""
        path = variant(
            tmp_path,
            "  - id: d2\n",
            "  - id: d2\n    when:\n      any:\n        - {question: q1, equals: yes}\n"
            "        - {question: q1, bogus: 1}\n",
        )
        assert_located(definition_error(path), "dimensions[1].when.any[1].bogus", path, 20)

    def test_dimension_in_a_weighting(self, tmp_path: Path) -> None:
        path = variant(
            tmp_path, "bands:", "weighting: {kind: fixed, weights: {d1: 1, d9: 2}}\nbands:"
        )
        problem = assert_located(definition_error(path), "weighting", path, 8)
        assert "'d9'" in problem.message

    def test_answer_value_in_a_condition(self, tmp_path: Path) -> None:
        path = variant(
            tmp_path,
            "{id: q2, kind: yes_no}",
            "{id: q2, kind: yes_no, when: {question: q1, equals: maybe}}",
        )
        problem = assert_located(
            definition_error(path), "dimensions[0].questions[1].when", path, 15
        )
        assert "'maybe'" in problem.message


def test_empty_dimension(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        "  - id: d2\n    questions:\n      - {id: q3, kind: scale, scale: agree}\n",
        "  - id: d2\n    questions: []\n",
    )
    problem = assert_located(definition_error(path), "dimensions[1]", path, 16)
    assert "empty" in problem.message


class TestWeightsAndPoints:
    @pytest.mark.parametrize("bad", ["-1", ".inf", "-.inf", ".nan"])
    def test_question_weight(self, tmp_path: Path, bad: str) -> None:
        path = variant(
            tmp_path, "{id: q2, kind: yes_no}", f"{{id: q2, kind: yes_no, weight: {bad}}}"
        )
        assert_located(definition_error(path), "dimensions[0].questions[1].weight", path, 15)

    @pytest.mark.parametrize("bad", ["-1", ".inf", ".nan"])
    def test_dimension_weight(self, tmp_path: Path, bad: str) -> None:
        path = variant(tmp_path, "  - id: d2\n", f"  - id: d2\n    weight: {bad}\n")
        assert_located(definition_error(path), "dimensions[1].weight", path, 17)

    @pytest.mark.parametrize("bad", ["-.inf", ".inf", ".nan"])
    def test_option_points(self, tmp_path: Path, bad: str) -> None:
        path = variant(tmp_path, "{value: partly, points: 1}", f"{{value: partly, points: {bad}}}")
        problem = assert_located(definition_error(path), "scales[0].options[1].points", path, 6)
        assert "finite number" in problem.message

    def test_yes_no_and_threshold_points(self, tmp_path: Path) -> None:
        path = variant(
            tmp_path,
            "{id: q2, kind: yes_no}",
            "{id: q2, kind: yes_no, yes_points: .nan}\n      - {id: q4, kind: numeric, "
            "thresholds: [{min: 0, points: 0}, {min: 1, points: .inf}]}",
        )
        error = definition_error(path)
        assert_located(error, "dimensions[0].questions[1].yes_points", path, 15)
        assert_located(error, "dimensions[0].questions[2].thresholds[1].points", path, 16)

    def test_json_non_finite_numbers(self, tmp_path: Path) -> None:
        data = {
            "id": "x",
            "dimensions": [
                {
                    "id": "d",
                    "weight": math.inf,
                    "questions": [{"id": "q", "kind": "yes_no", "weight": math.nan}],
                }
            ],
        }
        path = write(tmp_path, "q.json", json.dumps(data))
        error = definition_error(path)
        assert_located(error, "dimensions[0].weight", path, None)
        assert_located(error, "dimensions[0].questions[0].weight", path, None)


class TestBands:
    def test_gap(self, tmp_path: Path) -> None:
        path = variant(tmp_path, "{id: high, min: 50", "{id: high, min: 60")
        problem = assert_located(definition_error(path), "bands[1]", path, 10)
        assert "gap" in problem.message
        assert "50.0..60.0" in str(problem.got)

    def test_overlap(self, tmp_path: Path) -> None:
        path = variant(tmp_path, "{id: high, min: 50", "{id: high, min: 40")
        problem = assert_located(definition_error(path), "bands[1]", path, 10)
        assert "overlap" in problem.message

    def test_outside_0_to_100(self, tmp_path: Path) -> None:
        path = variant(tmp_path, "{id: high, min: 50, max: 100}", "{id: high, min: 50, max: 101}")
        assert_located(definition_error(path), "bands[1].max", path, 10)
        path = variant(tmp_path, "{id: low, min: 0,", "{id: low, min: -5,")
        error = definition_error(path)
        assert_located(error, "bands[0].min", path, 9)

    def test_not_reaching_the_ends(self, tmp_path: Path) -> None:
        path = variant(tmp_path, "{id: high, min: 50, max: 100}", "{id: high, min: 50, max: 90}")
        problem = assert_located(definition_error(path), "bands", path, 9)
        assert "90.0..100 uncovered" in str(problem.got)

    def test_dimension_bands(self, tmp_path: Path) -> None:
        path = variant(
            tmp_path,
            "  - id: d2\n",
            "  - id: d2\n    bands: [{id: a, min: 0, max: 70}, {id: b, min: 60, max: 100}]\n",
        )
        assert_located(definition_error(path), "dimensions[1].bands[1]", path, 17)


class TestConditionCycles:
    def test_on_itself(self, tmp_path: Path) -> None:
        path = variant(
            tmp_path,
            "{id: q2, kind: yes_no}",
            "{id: q2, kind: yes_no, when: {question: q2, equals: true}}",
        )
        problem = assert_located(
            definition_error(path), "dimensions[0].questions[1].when", path, 15
        )
        assert "cycle" in problem.message
        assert "'q2' -> 'q2'" in problem.message

    def test_through_another_question(self, tmp_path: Path) -> None:
        path = variant(
            tmp_path,
            "{id: q3, kind: scale, scale: agree}",
            "{id: q3, kind: scale, scale: agree, when: {not: {question: q2, equals: true}}}",
        )
        text = path.read_text().replace(
            "{id: q2, kind: yes_no}", "{id: q2, kind: yes_no, when: {question: q3, equals: never}}"
        )
        path.write_text(text)
        error = definition_error(path)
        (cycle,) = [p for p in error.problems if "cycle" in p.message]
        assert "'q2' -> 'q3' -> 'q2'" in cycle.message
        assert_located(error, "dimensions[0].questions[1].when", path, 15)

    def test_through_a_dimension_condition(self, tmp_path: Path) -> None:
        """A dimension's condition may not read a question inside it, however deep."""
        path = variant(
            tmp_path, "  - id: d2\n", "  - id: d2\n    when: {question: q3, equals: always}\n"
        )
        problem = assert_located(definition_error(path), "dimensions[1].when", path, 17)
        assert "dimension 'd2'" in problem.message

    def test_through_two_dimensions(self, tmp_path: Path) -> None:
        path = variant(
            tmp_path, "  - id: d1\n", "  - id: d1\n    when: {question: q3, equals: always}\n"
        )
        text = path.read_text().replace(
            "  - id: d2\n", "  - id: d2\n    when: {question: q2, equals: true}\n"
        )
        path.write_text(text)
        error = definition_error(path)
        cycles = [p for p in error.problems if "cycle" in p.message]
        assert cycles
        assert "dimension 'd1'" in cycles[0].message
        assert "dimension 'd2'" in cycles[0].message

    def test_from_python_objects(self) -> None:
        """Built in code, not loaded: compile refuses it with the path."""
        yes_no = YesNo(id="a", when=Equals("b", True))
        q = Questionnaire(
            id="x",
            dimensions=(
                Dimension(id="d", questions=(yes_no, YesNo(id="b", when=Equals("a", True)))),
            ),
        )
        with pytest.raises(DefinitionError) as info:
            compile(q)
        assert "dimensions[0].questions[0].when" in {p.path for p in info.value.problems}


def test_reverse_keying_on_a_non_ordinal_question(tmp_path: Path) -> None:
    path = variant(tmp_path, "{id: q2, kind: yes_no}", "{id: q2, kind: yes_no, reverse: true}")
    problem = assert_located(definition_error(path), "dimensions[0].questions[1]", path, 15)
    assert "reverse" in problem.message
    assert "'yes_no'" in problem.message


def test_dimension_whose_maximum_is_zero(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        "{id: q3, kind: scale, scale: agree}",
        "{id: q3, kind: scale, scale: agree, scored: false}",
    )
    problem = assert_located(definition_error(path), "dimensions[1]", path, 16)
    assert "maximum is zero" in problem.message
    path = variant(
        tmp_path,
        "{id: q3, kind: scale, scale: agree}",
        "{id: q3, kind: scale, scale: agree, weight: 0}",
    )
    assert_located(definition_error(path), "dimensions[1]", path, 16)


class TestUnknownNames:
    def test_unknown_key_suggests_the_nearest(self, tmp_path: Path) -> None:
        path = variant(tmp_path, "{id: q2, kind: yes_no}", "{id: q2, kind: yes_no, wieght: 2}")
        problem = assert_located(
            definition_error(path), "dimensions[0].questions[1].wieght", path, 15
        )
        assert "unknown key 'wieght'" in problem.message
        assert problem.hint == "did you mean 'weight'?"

    def test_unknown_top_level_key(self, tmp_path: Path) -> None:
        path = variant(tmp_path, "bands:", "titel: Demo\nbands:")
        problem = assert_located(definition_error(path), "titel", path, 8)
        assert problem.hint == "did you mean 'title'?"

    def test_unknown_question_kind_lists_the_known(self, tmp_path: Path) -> None:
        path = variant(tmp_path, "{id: q2, kind: yes_no}", "{id: q2, kind: slider}")
        problem = assert_located(definition_error(path), "dimensions[0].questions[1]", path, 15)
        assert "unknown question kind 'slider'" in problem.message
        for kind in ("choice", "multiple_choice", "numeric", "scale", "text", "yes_no"):
            assert repr(kind) in str(problem.expected)

    @pytest.mark.parametrize(
        ("key", "group", "known"),
        [("aggregation", "aggregation", "weighted_mean"), ("weighting", "weighting", "item_count")],
    )
    def test_unknown_strategy_kind_lists_the_known(
        self, tmp_path: Path, key: str, group: str, known: str
    ) -> None:
        path = variant(tmp_path, "  - id: d2\n", f"  - id: d2\n    {key}: {{kind: median}}\n")
        problem = assert_located(definition_error(path), f"dimensions[1].{key}.kind", path, 17)
        assert f"unknown {group} kind 'median'" in problem.message
        assert repr(known) in str(problem.expected)

    def test_unknown_policy_kind(self, tmp_path: Path) -> None:
        path = variant(tmp_path, "bands:", "scoring: {skipped: impute}\nbands:")
        problem = assert_located(definition_error(path), "scoring.skipped.kind", path, 8)
        for known in ("exclude", "prorate", "zero"):
            assert repr(known) in str(problem.expected)


def test_several_problems_are_reported_at_once(tmp_path: Path) -> None:
    """Structure problems (unknown keys, kinds) and model problems each come all together."""
    path = variant(
        tmp_path,
        "{id: q1, kind: scale, scale: agree}\n      - {id: q2, kind: yes_no}",
        "{id: q1, kind: scale, scale: agree, wieght: 1}\n"
        "      - {id: q2, kind: slider}\n"
        "      - {id: q4, kind: yes_no, reverse: true}",
    )
    text = (
        path.read_text()
        .replace("bands:", "titel: x\nbands:")
        .replace("  - id: d2\n", "  - id: d2\n    aggregation: median\n")
    )
    path.write_text(text)
    error = definition_error(path)
    assert {
        "titel",
        "dimensions[0].questions[0].wieght",
        "dimensions[0].questions[1]",
        "dimensions[0].questions[2]",
        "dimensions[1].aggregation.kind",
    } <= {p.path for p in error.problems}
    assert_cli_refuses(path, problems=len(error.problems))

    path = variant(
        tmp_path,
        "{id: q3, kind: scale, scale: agree}",
        "{id: q1, kind: scale, scale: agre, weight: -1}",
    )
    text = path.read_text().replace("{id: high, min: 50", "{id: high, min: 60")
    path.write_text(text)
    error = definition_error(path)
    assert {
        "bands[1]",
        "dimensions[1].questions[0].id",
        "dimensions[1].questions[0].scale",
        "dimensions[1].questions[0].weight",
    } <= {p.path for p in error.problems}
    assert_cli_refuses(path, problems=len(error.problems))


# -- hostile and broken files (item 7) ---------------------------------------------------------


def _billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    names = "abcdefghij"
    for prev, name in itertools.pairwise(names):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


_YAML_WEIGHT = (
    "id: x\ndimensions:\n  - id: d\n    weight: W\n    questions: [{id: q, kind: yes_no}]\n"
)
_JSON_WEIGHT = (
    '{"id": "x", "dimensions": [{"id": "d", "weight": W,'
    ' "questions": [{"id": "q", "kind": "yes_no"}]}]}'
)

HOSTILE: dict[str, tuple[str | bytes, str, int | None]] = {
    # name: (content, a phrase of the message, line or None)
    "python-tag.yaml": ('id: !!python/object/apply:os.system ["echo owned"]\n', "refused", 1),
    "python-name.yaml": ("id: x\ntitle: !!python/name:os.system\n", "refused", 2),
    "billion-laughs.yaml": (_billion_laughs(), "aliases", None),
    "deep-list.yaml": ("[" * 10_000 + "]" * 10_000, "", 1),
    "deep-map.yaml": ("{a: " * 10_000 + "1" + "}" * 10_000, "nested too deeply", 1),
    "deep-block.yaml": ("".join("  " * i + "a:\n" for i in range(1000)), "nested too deeply", None),
    "binary.yaml": (bytes(range(256)) * 8, "NUL", None),
    "garbage.yaml": (
        bytes([0xC3, 0x28, 0xA0, 0xA1, 0xE2, 0x28, 0xA1, 0xF0, 0x90, 0x28]) * 10,
        "UTF-8",
        1,
    ),
    "nul.yaml": (b"id: x\x00\n", "NUL", None),
    "latin1.yaml": ("id: x\ntitle: Größe\n".encode("latin-1"), "not UTF-8", 2),
    "huge-int.yaml": (
        "id: x\nversion: 1\ndimensions:\n  - id: d\n    weight: " + "9" * 5000 + "\n",
        "digits",
        5,
    ),
    "huge-float.yaml": (_YAML_WEIGHT.replace("W", "1.0e+999"), "finite", 4),
    # YAML 1.1 reads 1e999 (no dot, no exponent sign) as text, which is not a number either
    "e-notation.yaml": (_YAML_WEIGHT.replace("W", "1e999"), "must be a number", 4),
    "empty.yaml": ("", "empty", None),
    "only-comment.yaml": ("# nothing here\n", "empty", None),
    "list.yaml": ("- id: x\n- id: y\n", "mapping", None),
    "scalar.yaml": ("just some words\n", "mapping", None),
    "duplicate-key.yaml": ("id: x\ndimensions: []\nid: y\n", "appears twice", 3),
    "two-documents.yaml": ("id: x\n---\nid: y\n", "more than one", 2),
    "tabs.yaml": ("id: x\n\tdimensions: []\n", "not valid YAML", 2),
    "unclosed.yaml": ("id: x\ntitle: [a, b\n", "not valid YAML", None),
    "deep-list.json": ("[" * 10_000 + "]" * 10_000, "nested too deeply", None),
    "deep-map.json": ('{"a": ' * 10_000 + "1" + "}" * 10_000, "nested too deeply", None),
    "huge-int.json": ('{"id": "x", "version": ' + "9" * 5000 + "}", "digits", None),
    "huge-float.json": (_JSON_WEIGHT.replace("W", "1e999"), "finite", None),
    "nan.json": (_JSON_WEIGHT.replace("W", "NaN"), "finite", None),
    "infinity.json": (_JSON_WEIGHT.replace("W", "-Infinity"), "finite", None),
    "empty.json": ("", "JSON", 1),
    "list.json": ('[{"id": "x"}]', "mapping", None),
    "duplicate-key.json": ('{"id": "x", "id": "y"}', "appears twice", None),
    "truncated.json": ('{"id": "x", "dimensions": [', "not valid JSON", 1),
    "binary.json": (bytes(range(1, 256)) * 4, "UTF-8", None),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_is_refused_with_its_name(tmp_path: Path, name: str) -> None:
    content, phrase, line = HOSTILE[name]
    path = write(tmp_path, name, content)
    error = definition_error(path)
    assert all(p.file == str(path) for p in error.problems)
    assert phrase in str(error)
    if line is not None:
        assert line in {p.line for p in error.problems}
    assert_cli_refuses(path)


def test_python_tags_run_no_code(tmp_path: Path) -> None:
    marker = tmp_path / "owned"
    path = write(tmp_path, "q.yaml", f'id: !!python/object/apply:os.system ["touch {marker}"]\n')
    definition_error(path)
    assert not marker.exists()


@pytest.mark.parametrize(
    "name", ["deep-list.yaml", "deep-map.json", "billion-laughs.yaml", "nul.yaml", "huge-int.json"]
)
def test_hostile_responses_are_refused(tmp_path: Path, name: str) -> None:
    content, _, _ = HOSTILE[name]
    path = write(tmp_path, name, content)
    with pytest.raises(ResponseError) as info:
        load_responses(path)
    assert isinstance(info.value, ValueError)
    assert all(p.file == str(path) for p in info.value.problems)


def test_hostile_text_without_a_file() -> None:
    """Text given directly (no file) is parsed as safely, and the problem has no file."""
    for text, fmt in (("[" * 5000, "yaml"), ("[" * 5000, "json"), (_billion_laughs(), "yaml")):
        with pytest.raises(DefinitionError) as info:
            load_questionnaire(text=text, format=fmt)  # type: ignore[arg-type]
        assert all(p.file is None for p in info.value.problems)


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nothing.yaml"
    error = definition_error(path)
    assert "cannot read" in str(error)
    assert str(path) in str(error)
    assert_cli_refuses(path)


def test_directory_instead_of_a_file(tmp_path: Path) -> None:
    error = definition_error(tmp_path)
    assert str(tmp_path) in str(error)


# -- plain data of the wrong shape: never a bare KeyError / TypeError / RecursionError ----------


JUNK = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=5)
    | st.sampled_from(["yes_no", "scale", "weighted_mean", "exclude", "dont_know", "q1", "d1"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _mutate(data: Any, path: list[Any], junk: Any) -> Any:
    if not path:
        return junk
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        return {**data, head: _mutate(data.get(head), rest, junk)}
    copy = list(data)
    copy[head] = _mutate(copy[head], rest, junk)
    return copy


def _places(data: Any, here: list[Any]) -> Iterator[list[Any]]:
    if here:  # the document itself stays a mapping (load_questionnaire(data=None) is misuse)
        yield here
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _places(value, [*here, key])
        yield [*here, "extra_key"]
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _places(value, [*here, i])


# random conditions are sometimes dead logic; loading rightly warns
@pytest.mark.filterwarnings("ignore:.*the condition of .* (can never|always) hold:UserWarning")
@given(q=questionnaires(max_depth=2, max_top=2), data=st.data())
def test_mutated_definitions_fail_only_with_definition_errors(
    q: Questionnaire, data: st.DataObject
) -> None:
    """Replacing any part of a valid definition by junk is either fine or a DefinitionError
    whose problems all have a path — never a bare KeyError, TypeError or RecursionError."""
    plain = make_converter(language=q.language).unstructure(q)
    for _ in range(data.draw(st.integers(1, 3))):
        place = data.draw(st.sampled_from(list(_places(plain, []))))
        plain = _mutate(plain, place, data.draw(JUNK))
    loaded: list[Questionnaire] = []
    problems = problems_or_none(lambda: loaded.append(load_questionnaire(data=plain)))
    if problems is not None:
        assert problems
        return
    plan = compile(loaded[0])  # loading ran every check: compiling must work
    score(plan, Response(respondent="r"))


@given(case=questionnaire_and_responses(questionnaires(max_depth=2, max_top=2)), data=st.data())
def test_junk_answers_fail_only_with_response_errors(
    case: tuple[Questionnaire, list[Response]], data: st.DataObject
) -> None:
    """Any answer value is either scored or refused with a ResponseError naming the question."""
    q, (r,) = case
    ids = [x.id for _, x in q.iter_questions()]
    qid = data.draw(st.sampled_from([*ids, "no-such-question"]))
    junk = data.draw(JUNK)
    plain = {
        "respondent": "r",
        "answers": {**{k: _plain(v) for k, v in r.answers.items()}, qid: junk},
    }
    loaded: list[Response] = []
    problems = problems_or_none(lambda: loaded.extend(load_responses(data=plain)), ResponseError)
    if problems is not None:
        assert all(p.path.startswith("answers") for p in problems)
        return
    plan = compile(q)
    problems = problems_or_none(lambda: score(plan, loaded[0]), ResponseError)
    assert problems is None or any(qid in p.path for p in problems)


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    return getattr(value, "value", value)


# -- responses ---------------------------------------------------------------------------------


class TestBadResponses:
    Q = Questionnaire(
        id="x",
        dimensions=(
            Dimension(
                id="d",
                questions=(
                    ScaleQuestion(
                        id="q1", options=(Option(value="a", points=0), Option(value="b", points=1))
                    ),
                    Choice(
                        id="q2", options=(Option(value="x", points=0), Option(value="y", points=1))
                    ),
                ),
            ),
        ),
    )

    def test_unknown_question_and_value_off_the_scale_at_once(self) -> None:
        response = Response(respondent="r7", answers={"q3": "a", "q1": "c"})
        with pytest.raises(ResponseError) as info:
            score(compile(self.Q), response)
        assert isinstance(info.value, ValueError)
        unknown = problem_at(info.value, "answers.q3")
        assert "unknown question 'q3'" in unknown.message
        assert "'r7'" in unknown.message
        off = problem_at(info.value, "answers.q1")
        assert off.got == "'c'"
        assert "'a'" in str(off.expected)

    def test_state_not_offered(self) -> None:
        from weltoffen import DONT_KNOW

        with pytest.raises(ResponseError) as info:
            score(compile(self.Q), Response(respondent="r", answers={"q1": DONT_KNOW}))
        assert "don't know" in problem_at(info.value, "answers.q1").message

    def test_response_file_with_line(self, tmp_path: Path) -> None:
        path = write(
            tmp_path,
            "r.yaml",
            """
            - respondent: a
              answers: {q1: a}
            - respondent: b
              answers: {q1: [a, {x: 1}]}
              metadta: {}
            """,
        )
        with pytest.raises(ResponseError) as info:
            load_responses(path)
        error = info.value
        problem = problem_at(error, "[1].metadta")
        assert (str(path), 5) == (problem.file, problem.line)
        assert problem.hint == "did you mean 'metadata'?"
        assert any(p.path.startswith("[1].answers.q1") for p in error.problems)

    def test_respondent_twice(self, tmp_path: Path) -> None:
        path = write(tmp_path, "r.json", '[{"respondent": "a"}, {"respondent": "a"}]')
        with pytest.raises(ResponseError) as info:
            load_responses(path)
        problem = problem_at(info.value, "[1].respondent")
        assert str(path) == problem.file


def test_problems_from_python_objects_carry_paths() -> None:
    """check_questionnaire on objects built in code reports the same paths (no file, no line).

    A rule of one object (a negative weight) is refused where the object is built, naming it.
    """
    with pytest.raises(ValueError, match=r"^Dimension: 'weight' must be a finite number >= 0: -1$"):
        Dimension(id="d", weight=-1)
    q = Questionnaire(
        id="x",
        bands=(Band(id="a", min=0, max=40),),
        dimensions=(
            Dimension(id="d", questions=(YesNo(id="q", yes_points=1, no_points=1),)),
            Dimension(id="d"),
        ),
    )
    problems = check_questionnaire(q)
    paths = {p.path for p in problems}
    assert {
        "bands",
        "dimensions[0].questions[0]",
        "dimensions[1].id",
        "dimensions[1]",
    } <= paths
    assert all(p.file is None and p.line is None for p in problems)


_YAMLISH = st.lists(
    st.sampled_from(
        [
            *"ab01:-[]{},&*!|>'\"#%@`?~\n\t .e+",
            "!!python/name:",
            "&a ",
            "*a",
            "id: ",
            "\x85",
            "\ufeff",
        ]
    ),
    max_size=40,
).map("".join)


@given(text=_YAMLISH, fmt=st.sampled_from(["yaml", "json"]))
def test_any_text_loads_or_fails_with_a_definition_error(text: str, fmt: str) -> None:
    """Whatever the text, loading gives a questionnaire or a DefinitionError, nothing else."""
    problems = problems_or_none(lambda: load_questionnaire(text=text, format=fmt))  # type: ignore[arg-type]
    assert problems is None or problems


@given(raw=st.binary(max_size=200))
def test_any_bytes_load_or_fail_with_a_definition_error(
    tmp_path_factory: pytest.TempPathFactory, raw: bytes
) -> None:
    path = tmp_path_factory.mktemp("bytes") / "q.yaml"
    path.write_bytes(raw)
    problems = problems_or_none(lambda: load_questionnaire(path))
    assert problems is None or all(p.file == str(path) for p in problems)


def test_a_dimension_tree_too_deep_for_the_stack_is_refused() -> None:
    """A tree built in code (files cannot nest this deep) is a DefinitionError, not a
    RecursionError from the compiler."""
    dim = Dimension(id="leaf", questions=(YesNo(id="q"),))
    for i in range(1500):
        dim = Dimension(id=f"d{i}", dimensions=(dim,))
    with pytest.raises(DefinitionError) as info:
        compile(Questionnaire(id="t", dimensions=(dim,)))
    (problem,) = info.value.problems
    assert "nested too deeply" in problem.message
    assert problem.path.startswith("dimensions[0].dimensions[0]")


_MARKS = [b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE]


@given(
    raw=st.tuples(st.sampled_from(_MARKS), st.binary(max_size=200)).map(b"".join),
    encoding=st.sampled_from(["utf-8", "cp1252", "latin-1", "utf-16", "utf-32-be", "undefined"]),
    suffix=st.sampled_from([".csv", ".txt", ".yaml", ".json"]),
)
def test_any_bytes_as_responses_load_or_fail_with_a_response_error(
    tmp_path_factory: pytest.TempPathFactory, raw: bytes, encoding: str, suffix: str
) -> None:
    """Whatever the bytes and the encoding named: responses, or problems naming the file."""
    path = tmp_path_factory.mktemp("bytes") / f"r{suffix}"
    path.write_bytes(raw)
    problems = problems_or_none(
        lambda: load_responses_any(path, TestBadResponses.Q, encoding=encoding), ResponseError
    )
    assert problems is None or (problems and all(p.file == str(path) for p in problems))


# -- all problems at once, combined ------------------------------------------------------------

#: Independent edits of VALID, each breaking one thing that a different stage finds: reading
#: (an unknown key), an object's own rule, the checks across objects, and building the plan.
BREAKS = {
    "unknown key": ("{id: q2, kind: yes_no}", "{id: q2, kind: yes_no, colour: red}"),
    "rule": (
        "{id: q1, kind: scale, scale: agree}", "{id: q1, kind: scale, scale: agree, weight: -1}"
    ),
    "reference": ("{id: q3, kind: scale, scale: agree}", "{id: q3, kind: scale, scale: agre}"),
    "bands": ("{id: high, min: 50, max: 100}", "{id: high, min: 60, max: 100}"),
    "plan": ("bands:", "weighting: {kind: fixed, weights: {d1: 1, d9: 2}}\nbands:"),
    "condition": ("  - id: d2\n", "  - id: d2\n    when: {question: q9, equals: 'yes'}\n"),
}  # fmt: skip


def _problems(edits: list[str]) -> set[tuple[str, str]]:
    text = textwrap.dedent(VALID).lstrip("\n")
    for name in edits:
        old, new = BREAKS[name]
        assert old in text
        text = text.replace(old, new, 1)
    found = problems_or_none(lambda: load_questionnaire(text=text, format="yaml"))
    assert found, f"{edits} broke nothing"
    return {(p.path, p.code.value) for p in found}


ALONE = {name: _problems([name]) for name in BREAKS}


@pytest.mark.parametrize(
    "edits",
    [list(c) for n in (2, len(BREAKS)) for c in itertools.combinations(BREAKS, n)],
    ids=lambda edits: " + ".join(edits),
)
def test_problems_found_by_different_stages_all_come_at_once(edits: list[str]) -> None:
    """Whatever else is wrong, each problem is reported as it is when it is the only one."""
    assert _problems(edits) == set().union(*(ALONE[name] for name in edits))
