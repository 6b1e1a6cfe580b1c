"""Tests for weltoffen.serialization (converter and api): shorthands, states, dates, formats."""

from __future__ import annotations

import datetime as dt
import json
import os
import textwrap
import warnings
from pathlib import Path

import pytest
import yaml

from weltoffen import (
    DONT_KNOW,
    NOT_APPLICABLE,
    SKIPPED,
    AllOf,
    AnyOf,
    Compare,
    DefinitionError,
    DefinitionWarning,
    Dimension,
    Equals,
    Includes,
    Not,
    OneOf,
    Policies,
    Questionnaire,
    Response,
    ResponseError,
    YesNo,
    compile,
    dump_questionnaire,
    dump_responses,
    dump_result,
    load_questionnaire,
    load_responses,
    load_result,
    make_converter,
    score,
)
from weltoffen.model import Question
from weltoffen.serialization.api import format_of, write_bytes, write_text
from weltoffen.strategies import Equal, Exclude, Minimum, Prorate, WeightedMean, Zero


def load(text: str) -> Questionnaire:
    return load_questionnaire(text=textwrap.dedent(text), format="yaml")


MINIMAL = """
id: t
language: de
title: Selbstcheck
dimensions:
  - id: d
    title: Bereich
    questions:
      - id: q
        kind: yes_no
        text: Gibt es einen Plan?
"""


class TestTextShorthand:
    def test_plain_text_is_in_the_default_language(self) -> None:
        q = load(MINIMAL)
        assert dict(q.title) == {"de": "Selbstcheck"}
        assert dict(q.dimensions[0].title) == {"de": "Bereich"}
        assert dict(q.dimensions[0].questions[0].text) == {"de": "Gibt es einen Plan?"}

    def test_default_language_is_english(self) -> None:
        q = load(MINIMAL.replace("language: de\n", ""))
        assert dict(q.title) == {"en": "Selbstcheck"}

    def test_several_languages(self) -> None:
        q = load(MINIMAL.replace("title: Selbstcheck", "title: {de: Selbstcheck, en: Self-check}"))
        assert dict(q.title) == {"de": "Selbstcheck", "en": "Self-check"}

    def test_text_must_be_text(self) -> None:
        with pytest.raises(DefinitionError) as info:
            load(MINIMAL.replace("title: Selbstcheck", "title: {de: [a, b]}"))
        assert "title" in {p.path for p in info.value.problems}


class TestStrategyShorthand:
    def test_name_alone_or_with_kind(self) -> None:
        q = load(
            MINIMAL.replace(
                "title: Selbstcheck",
                "weighting: equal\naggregation: {kind: minimum}\n"
                "scoring: {dont_know: zero, skipped: {kind: prorate}}",
            )
        )
        assert (Equal(), Minimum()) == (q.weighting, q.aggregation)
        assert (Zero(), Prorate()) == (q.scoring.dont_know, q.scoring.skipped)

    def test_kind_is_required(self) -> None:
        with pytest.raises(DefinitionError) as info:
            load(MINIMAL.replace("title: Selbstcheck", "weighting: {weights: {d: 1}}"))
        (problem,) = info.value.problems
        assert problem.path == "weighting"
        assert "needs a kind" in problem.message

    def test_dumped_as_name_without_parameters(self) -> None:
        q = Questionnaire(
            id="t", weighting=Equal(), dimensions=(Dimension(id="d", questions=(YesNo(id="q"),)),)
        )
        data = yaml.safe_load(dump_questionnaire(q))
        assert data["weighting"] == "equal"

    def test_parameters_are_dumped_with_the_kind(self) -> None:
        q = load(MINIMAL.replace("title: Selbstcheck", "weighting: {kind: fixed, weights: {d: 2}}"))
        data = yaml.safe_load(dump_questionnaire(q))
        assert data["weighting"] == {"kind": "fixed", "weights": {"d": 2.0}}


class TestDump:
    def test_defaults_are_left_out(self) -> None:
        q = Questionnaire(id="t", dimensions=(Dimension(id="d", questions=(YesNo(id="q"),)),))
        data = json.loads(dump_questionnaire(q, format="json"))
        assert data == {
            "id": "t",
            "dimensions": [{"id": "d", "questions": [{"id": "q", "kind": "yes_no"}]}],
        }

    def test_question_id_and_kind_come_first(self) -> None:
        q = Questionnaire(
            id="t", dimensions=(Dimension(id="d", questions=(YesNo(id="q", weight=2),)),)
        )
        question = json.loads(dump_questionnaire(q, format="json"))["dimensions"][0]["questions"][0]
        assert list(question) == ["id", "kind", "weight"]

    def test_written_to_a_file_and_read_back(self, tmp_path: Path) -> None:
        q = load(MINIMAL)
        for name in ("q.yaml", "q.yml", "q.json"):
            path = tmp_path / name
            text = dump_questionnaire(q, path)
            assert text == path.read_text(encoding="utf-8")
            assert q == load_questionnaire(path)
            assert q == load_questionnaire(str(path))
        assert json.loads((tmp_path / "q.json").read_text())["id"] == "t"

    def test_a_byte_order_mark_is_accepted(self, tmp_path: Path) -> None:
        path = tmp_path / "q.yaml"
        path.write_bytes(b"\xef\xbb\xbf" + textwrap.dedent(MINIMAL).encode())
        assert load_questionnaire(path).id == "t"


class TestWrite:
    def test_a_directory_is_named_not_the_temporary_file(self, tmp_path: Path) -> None:
        for write, data in ((write_text, "x"), (write_bytes, b"x")):
            with pytest.raises(IsADirectoryError) as caught:
                write(tmp_path, data)  # type: ignore[operator]

            assert str(tmp_path) == caught.value.filename
        assert list(tmp_path.iterdir()) == []

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
    def test_a_pipe_stays_a_pipe(self, tmp_path: Path) -> None:
        """Writing to a device or pipe (-o /dev/null) writes into it, never renames over it."""
        import stat
        import threading

        pipe = tmp_path / "pipe"
        os.mkfifo(pipe)
        got: list[bytes] = []
        reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()))
        reader.start()
        write_text(pipe, "through the pipe")
        reader.join(timeout=10)

        assert got == [b"through the pipe"]
        assert stat.S_ISFIFO(pipe.stat().st_mode)
        assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


class TestLookAlikeIds:
    TEXT = """
        id: t
        dimensions:
          - id: d
            questions:
              - {id: cost, kind: yes_no}
              - {id: сost, kind: yes_no}
    """

    def test_loading_warns_with_the_line(self, tmp_path: Path) -> None:
        path = tmp_path / "q.yaml"
        path.write_text(textwrap.dedent(self.TEXT), encoding="utf-8")

        with pytest.warns(DefinitionWarning) as caught:
            load_questionnaire(path)

        (warning,) = caught
        problem = warning.message.problem  # type: ignore[union-attr]
        assert (str(path), 7, "dimensions[0].questions[1].id") == (
            problem.file,
            problem.line,
            problem.path,
        )
        assert str(problem) == str(warning.message)

    def test_no_warning_without_the_check(self) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            load_questionnaire(text=textwrap.dedent(self.TEXT), check=False)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("a.json", None, "json"),
        ("a.JSON", None, "json"),
        ("a.yaml", None, "yaml"),
        ("a.yml", None, "yaml"),
        ("a", '  {"id": 1}', "json"),
        ("a", "[1]", "json"),
        ("a", "id: x", "yaml"),
        ("a.txt", None, "yaml"),
    ],
)
def test_format_of(name: str, text: str | None, expected: str) -> None:
    assert expected == format_of(name, text)


CONDITIONS = [
    ({"question": "a", "equals": True}, Equals("a", True)),
    ({"question": "a", "in": ["x", 2]}, OneOf("a", ("x", 2))),
    ({"question": "a", "includes": "x"}, Includes("a", "x")),
    ({"question": "a", "ge": 3}, Compare("a", "ge", 3.0)),
    ({"not": {"question": "a", "lt": 1}}, Not(Compare("a", "lt", 1.0))),
    (
        {"all": [{"question": "a", "equals": 1}, {"any": [{"question": "b", "gt": 0}]}]},
        AllOf((Equals("a", 1), AnyOf((Compare("b", "gt", 0.0),)))),
    ),
]


class TestConditions:
    @pytest.mark.parametrize(("data", "condition"), CONDITIONS)
    def test_shapes(self, data: dict[str, object], condition: object) -> None:
        conv = make_converter()
        question: Question = conv.structure({"id": "q", "kind": "yes_no", "when": data}, Question)  # type: ignore[arg-type]
        assert condition == question.when
        assert data == conv.unstructure(question)["when"]

    @pytest.mark.parametrize(
        "data",
        [
            {"question": "a", "equals": 1, "in": [1]},
            {"question": "a"},
            {"question": "a", "in": []},
            {"equals": 1},
            {"all": {"question": "a", "equals": 1}},
            {"all": [], "question": "a"},
            {"question": "a", "equals": [1]},
            {"question": "a", "gt": "3"},
            {"question": "a", "equal": 1},
        ],
    )
    def test_bad_shapes_are_located(self, data: dict[str, object]) -> None:
        plain = {
            "id": "t",
            "dimensions": [{"id": "d", "questions": [{"id": "q", "kind": "yes_no", "when": data}]}],
        }
        with pytest.raises(DefinitionError) as info:
            load_questionnaire(data=plain)
        assert all(
            p.path.startswith("dimensions[0].questions[0].when") for p in info.value.problems
        )


class TestResponses:
    def test_answer_state_strings(self) -> None:
        text = """
        respondent: town
        answers: {a: dont_know, b: not_applicable, c: skipped, d: null, e: yes, f: [x, y], g: 3.5}
        """
        (r,) = load_responses(text=textwrap.dedent(text), format="yaml")
        assert dict(r.answers) == {
            "a": DONT_KNOW,
            "b": NOT_APPLICABLE,
            "c": SKIPPED,
            "d": SKIPPED,
            "e": True,
            "f": ("x", "y"),
            "g": 3.5,
        }

    def test_states_are_dumped_as_their_names(self) -> None:
        r = Response(respondent="r", answers={"a": DONT_KNOW, "b": ("x",), "c": SKIPPED})
        (data,) = json.loads(dump_responses([r], format="json"))
        assert data["answers"] == {"a": "dont_know", "b": ["x"], "c": "skipped"}

    def test_metadata_dates(self) -> None:
        text = (
            "respondent: r\n"
            "metadata: {date: 2024-05-01, at: 2024-05-01 10:30:00, role: mayor, staff: 120}\n"
        )
        (r,) = load_responses(text=text, format="yaml")
        assert dict(r.metadata) == {
            "date": "2024-05-01",
            "at": "2024-05-01T10:30:00",
            "role": "mayor",
            "staff": 120,
        }

    def test_metadata_from_python_dates(self) -> None:
        (r,) = load_responses(data={"respondent": "r", "metadata": {"date": dt.date(2024, 5, 1)}})
        assert r.metadata["date"] == "2024-05-01"

    def test_nested_metadata_is_refused(self) -> None:
        with pytest.raises(ResponseError):
            load_responses(data={"respondent": "r", "metadata": {"where": {"city": "x"}}})

    @pytest.mark.parametrize(
        "data",
        [
            {"respondent": "r"},
            [{"respondent": "r"}],
            {"responses": [{"respondent": "r"}]},
        ],
    )
    def test_one_a_list_or_a_wrapped_list(self, data: object) -> None:
        assert [Response(respondent="r")] == load_responses(data=data)

    def test_wrapped_list_takes_no_other_key(self) -> None:
        with pytest.raises(ResponseError) as info:
            load_responses(data={"responses": [], "extra": 1})
        assert info.value.problems[0].path == "extra"

    def test_problems_in_several_responses_are_located(self) -> None:
        with pytest.raises(ResponseError) as info:
            load_responses(
                data=[{"respondent": "a"}, {"respondent": "b", "answers": {"q": {"x": 1}}}, {}]
            )
        paths = {p.path for p in info.value.problems}
        assert "[1].answers.q" in paths
        assert any(p.startswith("[2]") for p in paths)


def test_results_round_trip_as_a_list(tmp_path: Path) -> None:
    q = Questionnaire(
        id="t",
        scoring=Policies(dont_know=Exclude(), skipped=Exclude(), min_coverage=0.0),
        aggregation=WeightedMean(),
        dimensions=(Dimension(id="d", questions=(YesNo(id="q", dont_know=True),)),),
    )
    plan = compile(q)
    results = [
        score(plan, Response(respondent="a", answers={"q": True}), trace=True),
        score(plan, Response(respondent="b", answers={"q": DONT_KNOW})),
    ]
    path = tmp_path / "results.json"
    dump_result(results, path)
    assert results == load_result(path)
    assert results[0] == load_result(text=dump_result(results[0], format="yaml"), format="yaml")


def test_yes_and_no_as_option_values_must_be_quoted() -> None:
    """YAML reads unquoted yes/no as true/false; the error says to quote them."""
    text = MINIMAL.replace(
        "kind: yes_no", "kind: choice\n        options: [{value: yes, points: 1}, {value: maybe}]"
    )
    with pytest.raises(DefinitionError) as info:
        load(text)
    problem = info.value.problems[0]
    assert problem.path == "dimensions[0].questions[0].options[0].value"
    assert "quote it" in str(problem.got)
