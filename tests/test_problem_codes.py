"""Problem codes are public: every code is produced from real input, and the reference page
(docs/problems.md) lists exactly the codes there are, each with the message its case gives.

Also the parts of a problem a program reads: its location, the line found for it, and its plain
JSON form.
"""

from __future__ import annotations

import json
import re
import sys
import textwrap
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from weltoffen import (
    DONT_KNOW,
    Problem,
    ProblemCode,
    Questionnaire,
    Response,
    compile,
    load_questionnaire,
    load_responses,
    score,
)
from weltoffen.cli import build_parser, main
from weltoffen.exceptions import ProblemsError, nearest_line, render_location
from weltoffen.registry import default_registry

PAGE = Path(__file__).parent.parent / "docs" / "problems.md"

BASE = """\
id: t
version: "1"
title: T
dimensions:
  - id: d
    title: D
    questions:
      - {id: q1, kind: yes_no, text: Q1}
      - id: q2
        kind: choice
        text: Q2
        options: [{value: a, label: A, points: 0}, {value: b, label: B, points: 1}]
"""


def yaml_with(extra: str = "", questions: str = "") -> str:
    """BASE with *questions* added to dimension d and *extra* keys at the top."""
    return BASE + textwrap.indent(textwrap.dedent(questions), " " * 6) + textwrap.dedent(extra)


def problems(action: Callable[[], object]) -> list[Problem]:
    """The problems *action* reports: those of the error it raises, else the warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            action()
        except ProblemsError as exc:
            return list(exc.problems)
    return [w.message.problem for w in caught if hasattr(w.message, "problem")]


def from_text(text: str, fmt: str = "yaml") -> Callable[[], object]:
    return lambda: load_questionnaire(text=text, format=fmt)  # type: ignore[arg-type]


def plan() -> Any:
    return compile(load_questionnaire(text=BASE))


def cli(tmp: Path, *argv: str) -> Callable[[], object]:
    """Run a command as the command line does, but let its error through."""

    def run() -> object:
        args = build_parser().parse_args([a.replace("TMP", str(tmp)) for a in argv])
        args.registry = default_registry
        return args.run(args)

    return run


class Raises:
    """A weighting with a bug."""

    kind = "raises"

    def weigh(self, children: Sequence[Any]) -> list[float]:
        raise ZeroDivisionError("division by zero")


def cases(tmp: Path) -> Iterator[tuple[ProblemCode, Callable[[], object]]]:
    """For every code, input that gives a problem with it."""
    C = ProblemCode
    (tmp / "q.yaml").write_text(BASE, encoding="utf-8")
    (tmp / "nul.yaml").write_bytes(b"id: t\x00\x00\x00\n")
    (tmp / "unnamed.csv").write_text("respondent,q1,\nr1,yes,7\n", encoding="utf-8")
    (tmp / "r.xlsx").write_bytes(b"PK")
    yield C.UNREADABLE_FILE, lambda: load_questionnaire(tmp / "nowhere.yaml")
    yield C.WRONG_FILE_KIND, lambda: load_questionnaire(tmp / "nul.yaml")
    yield C.MISSING_DEPENDENCY, lambda: _without_openpyxl(tmp / "r.xlsx")
    yield C.BAD_ENCODING, lambda: load_responses(tmp / "q.yaml", encoding="no-such-encoding")
    yield C.BAD_SYNTAX, from_text("a: 1\n---\nb: 2\n")
    yield C.DUPLICATE_KEY, from_text("a: 1\na: 2\n")
    yield C.TOO_LARGE, from_text("[" * 101 + "]" * 101)
    yield C.BAD_CELL, cli(tmp, "score", "TMP/q.yaml", "TMP/unnamed.csv")
    yield C.UNKNOWN_KEY, from_text(BASE + "wieght: 2\n")
    yield C.MISSING_KEY, from_text(BASE.replace("id: t\n", "", 1))
    yield (
        C.CONFLICTING_KEYS,
        from_text(
            yaml_with(
                questions="""\
                - id: q3
                  kind: numeric
                  text: Q3
                  thresholds: [{min: 0, points: 1}]
                  linear: {low: 0, high: 9}
                """
            )
        ),
    )
    yield C.WRONG_TYPE, from_text(BASE.replace('version: "1"', "version: [1]"))
    yield C.UNKNOWN_KIND, from_text(yaml_with(questions="- {id: q3, kind: slider, text: Q3}\n"))
    yield (
        C.BAD_VALUE,
        from_text(
            yaml_with(
                questions="""\
                - id: q3
                  kind: choice
                  text: Q3
                  options: [{value: skipped, label: S, points: 0}, {value: b, label: B, points: 1}]
                """
            )
        ),
    )
    yield (
        C.OUT_OF_RANGE,
        from_text(
            yaml_with(
                questions="""\
                - id: q3
                  kind: multiple_choice
                  text: Q3
                  options: [{value: a, label: A, points: 1}]
                  min_selected: 2
                """
            )
        ),
    )
    yield C.TOO_FEW, from_text(BASE + "  - {id: e, title: E, questions: []}\n")
    yield C.DUPLICATE_ID, from_text(yaml_with(questions="- {id: q1, kind: yes_no, text: Again}\n"))
    yield (
        C.SUSPICIOUS_ID,
        from_text(
            yaml_with(
                questions="""\
                - {id: cost, kind: yes_no, text: Q3}
                - {id: \u0441ost, kind: yes_no, text: Q4}
                """
            )
        ),
    )
    yield (
        C.UNKNOWN_REFERENCE,
        from_text(yaml_with(questions="- {id: q3, kind: scale, text: Q3, scale: nowhere}\n")),
    )
    yield (
        C.BAD_CONDITION,
        from_text(
            yaml_with(
                questions="- {id: q3, kind: yes_no, text: Q3, when: {question: q1, includes: a}}\n"
            )
        ),
    )
    yield (
        C.CONDITION_CYCLE,
        from_text(
            yaml_with(
                questions="""\
                - {id: q3, kind: yes_no, text: Q3, when: {question: q4, equals: true}}
                - {id: q4, kind: yes_no, text: Q4, when: {question: q3, equals: true}}
                """
            )
        ),
    )
    yield (
        C.UNREACHABLE,
        from_text(
            yaml_with(
                questions="""\
                - id: q3
                  kind: yes_no
                  text: Q3
                  when: {all: [{question: q2, equals: a}, {question: q2, equals: b}]}
                """
            )
        ),
    )
    yield (
        C.ALWAYS_TRUE,
        from_text(
            yaml_with(
                questions="""\
                - id: q3
                  kind: yes_no
                  text: Q3
                  when: {any: [{question: q1, equals: true}, {not: {question: q1, equals: true}}]}
                """
            )
        ),
    )
    yield (
        C.CANNOT_SCORE,
        from_text(yaml_with(questions="- {id: q3, kind: text, text: Q3, scored: true}\n")),
    )
    bands = "bands:\n  - {id: low, min: 0, max: 40}\n  - {id: high, min: %d, max: 100}\n"
    yield C.BAND_GAP, from_text(BASE + bands % 50)
    yield C.BAND_OVERLAP, from_text(BASE + bands % 30)
    yield C.STRATEGY_FAILED, lambda: compile(_weighted_by(Raises()))
    yield C.UNKNOWN_QUESTION, lambda: score(plan(), Response(respondent="r", answers={"q11": True}))
    yield C.BAD_ANSWER, lambda: score(plan(), Response(respondent="r", answers={"q1": "maybe"}))
    yield (
        C.STATE_NOT_OFFERED,
        lambda: score(plan(), Response(respondent="r", answers={"q1": DONT_KNOW})),
    )
    yield (
        C.DUPLICATE_RESPONDENT,
        lambda: load_responses(
            text="- {respondent: a, answers: {}}\n- {respondent: a, answers: {}}\n"
        ),
    )
    yield C.WRONG_INSTRUMENT, lambda: _compare_two_instruments()
    yield C.NOT_FOUND, cli(tmp, "validate", "--instrument", "no-such-instrument")
    yield C.BAD_OPTION, cli(tmp, "cohort", "TMP/q.yaml", "TMP/unnamed.csv", "--min-group", "0")
    yield C.TRUNCATED, lambda: _many_bad_rows()
    yield C.NEEDS_TRACE, lambda: _advice_untraced()


def _without_openpyxl(path: Path) -> object:
    from weltoffen.serialization.responses import load_response_file

    saved = sys.modules.get("openpyxl")
    sys.modules["openpyxl"] = None  # type: ignore[assignment]
    try:
        return load_response_file(path, load_questionnaire(text=BASE))
    finally:
        if saved is None:
            del sys.modules["openpyxl"]
        else:
            sys.modules["openpyxl"] = saved


def _weighted_by(weighting: Any) -> Questionnaire:
    q = load_questionnaire(text=BASE)
    return attrs.evolve(q, dimensions=(attrs.evolve(q.dimensions[0], weighting=weighting),))


def _compare_two_instruments() -> object:
    from weltoffen.analysis import compare

    other = load_questionnaire(text=BASE.replace("id: t\n", "id: u\n", 1))
    return compare(
        [score(plan(), Response(respondent="a")), score(compile(other), Response(respondent="b"))]
    )


def _many_bad_rows() -> object:
    pd = pytest.importorskip("pandas")
    from weltoffen import score_many

    return score_many(plan(), pd.DataFrame({"q1": ["maybe"] * 60}))


def _advice_untraced() -> object:
    from weltoffen.analysis import advise

    p = plan()
    return advise(p, score(p, Response(respondent="a", answers={"q1": True})))


def documented() -> dict[str, str]:
    """Each code on the reference page with its example message."""
    rows = re.findall(r"^\| `([a-z-]+)` \| .*? \| (.*) \|$", PAGE.read_text("utf-8"), re.M)
    return {code: example.strip().strip("`").replace("\\|", "|") for code, example in rows}


def first(code: ProblemCode, action: Callable[[], object]) -> Problem:
    """The first problem with *code* that *action* reports."""
    found = problems(action)
    with_code = [p for p in found if p.code is code]
    assert with_code, (code, [f"{p.code}: {p}" for p in found])
    return with_code[0]


def test_every_code_is_produced_from_real_input(tmp_path: Path) -> None:
    produced = {code: first(code, action) for code, action in cases(tmp_path)}
    assert set(produced) == set(ProblemCode)


def test_the_page_lists_every_code_with_the_message_its_case_gives(tmp_path: Path) -> None:
    page = documented()
    assert sorted(page) == sorted(c.value for c in ProblemCode)
    for code, action in cases(tmp_path):
        assert first(code, action).message == page[code.value], code


def test_codes_are_kebab_case_and_their_own_string() -> None:
    for code in ProblemCode:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", code.value)
        assert str(code) == code.value == code


def test_a_suggestion_is_a_hint_not_an_expectation() -> None:
    [problem] = problems(from_text(BASE.replace("title: D\n", "title: D\n    wieght: 2\n")))
    assert problem.hint == "did you mean 'weight'?"
    assert problem.expected is None
    assert str(problem).endswith("unknown key 'wieght' (did you mean 'weight'?)")


def test_no_choice_list_is_an_empty_one() -> None:
    # a kind from a registry without any: nothing to list, so nothing is expected
    from weltoffen.serialization.converter import suggest

    assert suggest("x", []) == {"expected": None, "hint": None}


def test_the_command_line_reports_problems_as_data(tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "q.yaml"
    path.write_text(BASE + "wieght: 2\n", encoding="utf-8")
    assert main(["validate", "--format", "json", str(path)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False
    [problem] = report["problems"]
    assert problem["code"] == "unknown-key"
    assert problem["location"] == ["wieght"]
    assert problem["line"] == 13
    assert Problem.from_json(problem).code is ProblemCode.UNKNOWN_KEY


def test_a_questionnaire_given_as_responses_is_named_so(tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "q.yaml"
    path.write_text(BASE, encoding="utf-8")
    assert main(["score", str(path), str(path)]) == 1
    assert "this is a questionnaire, not responses" in capsys.readouterr().err


# -- locations ----------------------------------------------------------------------------------

steps = st.one_of(
    st.text("abcxyz_.[]", min_size=1, max_size=4), st.integers(min_value=0, max_value=30)
)
locations = st.lists(steps, max_size=6).map(tuple)


@given(locations, st.data())
def test_the_line_is_that_of_the_longest_known_prefix(location: Any, data: Any) -> None:
    known = data.draw(st.sets(st.integers(0, len(location))))
    lines = {location[:n]: 10 + n for n in known}
    expected = 10 + max(known) if known else None
    assert nearest_line(location, lines) == expected
    problem = Problem(ProblemCode.BAD_VALUE, "m", location=location)
    located = ProblemsError([problem]).with_source("f.yaml", lines).problems[0]
    assert located.line == expected
    assert located.path == render_location(location)


@given(locations)
def test_the_path_is_rendered_from_the_location(location: Any) -> None:
    path = Problem(ProblemCode.BAD_VALUE, "m", location=location).path
    expected = ""
    for step in location:
        expected += f"[{step}]" if isinstance(step, int) else (f".{step}" if expected else step)
    assert path == expected


texts = st.none() | st.text(max_size=8)


@given(
    st.sampled_from(ProblemCode),
    st.text(max_size=10),
    locations,
    texts,
    texts,
    texts,
    texts,
    st.none() | st.integers(1, 99),
    st.none() | st.integers(1, 99),
    texts,
)
def test_problems_round_trip_through_json(
    code: ProblemCode,
    message: str,
    location: Any,
    expected: str | None,
    got: str | None,
    hint: str | None,
    file: str | None,
    line: int | None,
    column: int | None,
    cell: str | None,
) -> None:
    problem = Problem(
        code,
        message,
        location=location,
        expected=expected,
        got=got,
        hint=hint,
        file=file,
        line=line,
        column=column,
        cell=cell,
    )
    plain = json.loads(json.dumps(problem.to_json()))
    assert plain["code"] == code.value
    assert plain["location"] == list(location)
    assert Problem.from_json(plain) == problem


def test_the_old_positional_form_is_refused() -> None:
    with pytest.raises(TypeError):
        Problem("dimensions[0]", "message")  # type: ignore[arg-type]
