"""Crosswalk files: loading (located problems), checking against both versions, chaining, the
JSON Schema, and the bundled crosswalk of the self-check from 1.0 to 1.1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
import yaml
from hypothesis import given

from tests.strategies import crosswalk_cases
from weltoffen import Questionnaire, Response, compile, load_questionnaire, load_responses, score
from weltoffen.exceptions import DefinitionError, Problem, ProblemCode
from weltoffen.serialization.schema import crosswalk_schema
from weltoffen.versions.crosswalk import (
    Crosswalk,
    Merged,
    MergeRow,
    Renamed,
    dump_crosswalk,
    identity,
    load_crosswalk,
)
from weltoffen.versions.crosswalk_chain import ChainError, chain
from weltoffen.versions.crosswalk_check import check_crosswalk
from weltoffen.versions.migrate import migrate

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "src" / "weltoffen" / "instruments" / "weltoffene-kommune"
# version 1.0 moves into the instrument's folder (branch 'versions'); either place is read
V10 = next(
    p for p in (FOLDER / "1.0.yaml", FOLDER.parent / "weltoffene-kommune.yaml") if p.exists()
)
V11 = FOLDER / "1.1.yaml"
CROSSWALK = FOLDER / "crosswalk-1.0-1.1.yaml"
EXAMPLES = sorted((ROOT / "examples" / "weltoffene-kommune").glob("[!c]*.yaml"))

OLD = """
id: check
version: "1"
title: Check
dimensions:
  - id: d
    title: D
    questions:
      - id: s
        kind: scale
        options: [{value: lo, points: 0}, {value: mid, points: 1}, {value: hi, points: 2}]
        dont_know: true
      - {id: y, kind: yes_no}
      - {id: c, kind: choice, options: [{value: x, points: 0}, {value: z, points: 1}]}
      - {id: n, kind: numeric, thresholds: [{min: 0, points: 0}, {min: 5, points: 1}]}
      - {id: m, kind: multiple_choice, options: [{value: p, points: 1}, {value: r, points: 1}]}
      - {id: gone, kind: yes_no}
"""
NEW = """
id: check
version: "2"
title: Check
dimensions:
  - id: d
    title: D
    questions:
      - {id: s, kind: scale, options: [{value: lo, points: 0}, {value: hi, points: 2}]}
      - {id: yy, kind: yes_no}
      - {id: c, kind: choice, options: [{value: x, points: 0}, {value: w, points: 1}]}
      - {id: n, kind: choice, options: [{value: few, points: 0}, {value: many, points: 1}]}
      - {id: m, kind: multiple_choice, options: [{value: p, points: 1}, {value: r, points: 1}]}
      - {id: fresh, kind: yes_no}
"""


@pytest.fixture(scope="module")
def old() -> Questionnaire:
    return load_questionnaire(text=OLD)


@pytest.fixture(scope="module")
def new() -> Questionnaire:
    return load_questionnaire(text=NEW)


def _codes(problems: list[Problem]) -> set[tuple[ProblemCode, str]]:
    return {(p.code, p.path) for p in problems}


# -- loading ----------------------------------------------------------------------------------


def test_the_bundled_crosswalk_loads() -> None:
    cw = load_crosswalk(CROSSWALK)
    assert (cw.instrument, cw.from_version, cw.to_version) == ("weltoffene-kommune", "1.0", "1.1")
    assert [s.old for s in cw.split] == ["kk-09"]
    assert [d.old for d in cw.dropped] == ["ms-11"]


def test_every_problem_of_a_file_comes_at_once_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "instrument: x\nfrom_version: '1'\nto_version: '2'\n"
        "renamed:\n  - {old: a, nwe: b}\n"
        "merged:\n  - {old: [p, q], new: r, rule: maximal}\n"
        "added:\n  - {new: z, state: hidden}\n",
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError) as caught:
        load_crosswalk(path)
    found = {(p.path, p.line, p.file) for p in caught.value.problems}
    assert ("renamed[0].nwe", 5, str(path)) in found
    assert ("merged[0].rule", 7, str(path)) in found
    assert ("added[0].state", 9, str(path)) in found
    rule = next(p for p in caught.value.problems if p.path == "merged[0].rule")
    assert rule.hint == "did you mean 'maximum'?"


def test_the_crosswalks_own_rules_are_checked_on_loading() -> None:
    text = """
instrument: x
from_version: "1"
to_version: "2"
renamed: [{old: a, new: b}]
dropped: [{old: a}]
split: [{old: s, into: [{new: b}]}]
merged:
  - {old: [p], new: m, rule: table}
  - {old: [p2, q2], new: m2, rule: first_answered, table: [{old: [1, 2], new: 3}]}
  - {old: [p3, q3], new: m3, rule: table, table: [{old: [1], new: 3}], each: {zz: {}}}
"""
    with pytest.raises(DefinitionError) as caught:
        load_crosswalk(text=text)
    assert _codes(list(caught.value.problems)) == {
        (ProblemCode.BAD_VALUE, "merged[2].table[0].old"),
        (ProblemCode.MISSING_KEY, "merged[0]"),
        (ProblemCode.CONFLICTING_KEYS, "merged[1].table"),
        (ProblemCode.TOO_FEW, "merged[0].old"),
        (ProblemCode.DUPLICATE_ID, "dropped[0].old"),
        (ProblemCode.DUPLICATE_ID, "split[0].into[0].new"),
        (ProblemCode.UNKNOWN_REFERENCE, "merged[2].each.zz"),
    }
    assert all(p.line is not None for p in caught.value.problems)


@given(crosswalk_cases())
def test_dump_and_load_round_trip(case: tuple[Any, Crosswalk, Crosswalk]) -> None:
    _, cw, _ = case
    assert load_crosswalk(text=dump_crosswalk(cw)) == cw
    assert load_crosswalk(text=dump_crosswalk(cw, format="json")) == cw


def test_dump_writes_a_file(tmp_path: Path) -> None:
    cw = load_crosswalk(CROSSWALK)
    dump_crosswalk(cw, tmp_path / "cw.json")
    assert load_crosswalk(tmp_path / "cw.json") == cw
    with pytest.raises(TypeError, match="Crosswalk"):
        dump_crosswalk({"instrument": "x"})  # type: ignore[arg-type]


# -- the JSON Schema --------------------------------------------------------------------------

VALIDATOR = jsonschema.Draft202012Validator(crosswalk_schema())


def test_the_schema_accepts_the_bundled_crosswalk() -> None:
    VALIDATOR.validate(yaml.safe_load(CROSSWALK.read_text(encoding="utf-8")))


@given(crosswalk_cases())
def test_the_schema_accepts_what_is_dumped(case: tuple[Any, Crosswalk, Crosswalk]) -> None:
    _, cw, _ = case
    VALIDATOR.validate(json.loads(dump_crosswalk(cw, format="json")))


@pytest.mark.parametrize(
    "broken",
    [
        {"from_version": "1", "to_version": "2"},  # no instrument
        {"instrument": "x", "from_version": "1", "to_version": "2", "renamd": []},
        {
            "instrument": "x",
            "from_version": "1",
            "to_version": "2",
            "merged": [{"old": ["a", "b"], "new": "c", "rule": "average"}],
        },
        {
            "instrument": "x",
            "from_version": "1",
            "to_version": "2",
            "added": [{"new": "c", "state": "hidden"}],
        },
    ],
)
def test_the_schema_and_the_loader_refuse_the_same(broken: dict[str, Any]) -> None:
    assert not VALIDATOR.is_valid(broken)
    with pytest.raises(DefinitionError):
        load_crosswalk(data=broken)


# -- checking against both versions ----------------------------------------------------------


def test_the_bundled_crosswalk_fits_both_versions() -> None:
    old, new = load_questionnaire(V10), load_questionnaire(V11)
    assert check_crosswalk(load_crosswalk(CROSSWALK), old, new) == []


def test_every_gap_is_reported(old: Questionnaire, new: Questionnaire) -> None:
    cw = load_crosswalk(
        text="""
instrument: check
from_version: "1"
to_version: "3"
renamed:
  - {old: y, new: yy}
  - {old: nope, new: yyy}
recoded:
  - {question: c, recode: {x: x, q: w}}
"""
    )
    problems = check_crosswalk(cw, old, new)
    messages = {(p.code, p.path): p for p in problems}
    assert (ProblemCode.WRONG_INSTRUMENT, "to_version") in messages
    assert (ProblemCode.UNKNOWN_REFERENCE, "renamed[1].old") in messages
    unknown_new = messages[(ProblemCode.UNKNOWN_REFERENCE, "renamed[1].new")]
    assert unknown_new.hint == "did you mean 'yy'?"
    # an option recoded that the old question lacks; an old option the new question lacks
    assert (ProblemCode.BAD_OPTION, "recoded[0].recode.q") in messages
    assert any("'z' of 'c'" in p.message for p in problems if p.code is ProblemCode.BAD_OPTION)
    # scale s: 'mid' has no place in version 2, nor has its "don't know"
    texts = [p.message for p in problems]
    assert any("'mid' of 's'" in t for t in texts)
    assert any(p.code is ProblemCode.STATE_NOT_OFFERED and "'s'" in p.message for p in problems)
    # numbers cannot become a choice without a rule
    assert any("'n' (numeric)" in t for t in texts)
    # neither carried nor dropped; no source
    assert any("'gone' is neither carried nor dropped" in t for t in texts)
    assert any("'fresh' has no source" in t for t in texts)


def test_numbers_merged_into_a_choice_are_refused(old: Questionnaire, new: Questionnaire) -> None:
    cw = load_crosswalk(
        text="""
instrument: check
from_version: "1"
to_version: "2"
renamed: [{old: y, new: yy}]
recoded:
  - {question: s, recode: {mid: hi, dont_know: null}}
  - {question: c, recode: {z: w}}
merged:
  - {old: [n, gone], new: n, rule: first_answered, each: {gone: {"true": few, "false": few}}}
added: [{new: fresh, state: skipped}]
"""
    )
    # everything else fits; the numbers of 'n' would pass through the merge into a choice
    assert _codes(check_crosswalk(cw, old, new)) == {(ProblemCode.BAD_VALUE, "merged[0].old[0]")}
    table = attrs.evolve(
        cw.merged[0],
        rule="table",
        each={},
        table=(MergeRow(old=(3, None), new="few"), MergeRow(old=(None, True), new="many")),
    )
    assert check_crosswalk(attrs.evolve(cw, merged=(table,)), old, new) == []


def test_merges_over_options_need_an_order(old: Questionnaire, new: Questionnaire) -> None:
    cw = load_crosswalk(
        data={
            "instrument": "check",
            "from_version": "1",
            "to_version": "2",
            "renamed": [{"old": "y", "new": "yy"}],
            "recoded": [{"question": "c", "recode": {"z": "w"}}],
            "merged": [{"old": ["s", "gone"], "new": "s", "rule": "maximum"}],
            "dropped": [{"old": "n"}],
            "added": [{"new": "n"}, {"new": "fresh", "state": "dont_know"}],
        }
    )
    found = {(p.code, p.path) for p in check_crosswalk(cw, old, new)}
    assert (ProblemCode.MISSING_KEY, "merged[0].order") in found
    assert (ProblemCode.STATE_NOT_OFFERED, "added[1].state") in found


# -- chaining ---------------------------------------------------------------------------------


def _step(start: str, end: str, instrument: str = "check") -> Crosswalk:
    return Crosswalk(instrument=instrument, from_version=start, to_version=end)


def test_chain_needs_versions_that_line_up() -> None:
    with pytest.raises(ChainError, match=r"1 → 2 with 3 → 4: the second must start at 2"):
        chain(_step("1", "2"), _step("3", "4"))
    with pytest.raises(ChainError, match="two instruments"):
        chain(_step("1", "2"), _step("2", "3", "other"))
    with pytest.raises(ChainError, match="at least one"):
        chain()


def test_chain_composes_renames_and_recodes() -> None:
    first = Crosswalk(
        instrument="check",
        from_version="1",
        to_version="2",
        renamed=(Renamed(old="a", new="b", recode={"x": "y"}),),
    )
    second = Crosswalk(
        instrument="check",
        from_version="2",
        to_version="3",
        renamed=(Renamed(old="b", new="c", recode={"y": "z", "w": None}),),
    )
    both = chain(first, second)
    assert both.renamed == (Renamed(old="a", new="c", recode={"x": "z", "y": "z", "w": None}),)
    # renamed there and back again is no change at all
    back = Crosswalk(
        instrument="check", from_version="2", to_version="3", renamed=(Renamed(old="b", new="a"),)
    )
    assert chain(_step("1", "2"), _step("2", "3")) == _step("1", "3")
    assert chain(
        Crosswalk(
            instrument="check",
            from_version="1",
            to_version="2",
            renamed=(Renamed(old="a", new="b"),),
        ),
        back,
    ) == _step("1", "3")


def test_chain_of_one_is_itself() -> None:
    cw = load_crosswalk(CROSSWALK)
    assert chain(cw) == cw
    assert chain(identity(cw.instrument, "1.0"), cw).split == cw.split


# -- the self-check from 1.0 to 1.1, with the example municipalities -------------------------


@pytest.fixture(scope="module")
def examples() -> list[Response]:
    return [r for path in EXAMPLES for r in load_responses(path)]


def test_the_examples_are_carried_or_noted(examples: list[Response]) -> None:
    cw = load_crosswalk(CROSSWALK)
    done = migrate(examples, cw)
    assert len(examples) == 3
    for before, after in zip(examples, done.responses, strict=True):
        noted = {n.question for n in done.notes_of(before.respondent)}
        for qid, value in before.answers.items():
            if qid == "kk-09":
                assert after.answers["kk-09a"] == after.answers["kk-09b"] == value
            elif qid == "ms-11":
                assert "ms-11" in noted
                assert "ms-11" not in after.answers
            else:
                assert after.answers[qid] == value
        assert after.metadata == before.metadata


def test_the_migrated_examples_score_under_1_1(examples: list[Response]) -> None:
    plan = compile(load_questionnaire(V11))
    for response in migrate(examples, load_crosswalk(CROSSWALK)).responses:
        result = score(plan, response)
        assert result.version == "1.1"
        assert result.score is not None


def test_a_chain_that_is_no_single_crosswalk_says_so() -> None:
    first = Crosswalk(
        instrument="check",
        from_version="1",
        to_version="2",
        merged=(Merged(old=("a", "b"), new="ab", rule="first_answered"),),
    )
    second = Crosswalk(
        instrument="check",
        from_version="2",
        to_version="3",
        merged=(Merged(old=("ab", "c"), new="abc", rule="maximum"),),
    )
    with pytest.raises(ChainError, match="'abc' merges 'ab', which the step before merged"):
        chain(first, second)
