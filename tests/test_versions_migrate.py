"""Migrating responses by a crosswalk: properties over drawn crosswalks, and each mapping."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import assume, given

from tests.strategies import crosswalk_cases
from weltoffen import DONT_KNOW, NOT_APPLICABLE, SKIPPED, Response, State
from weltoffen.model import AnswerValue
from weltoffen.versions.crosswalk import (
    Added,
    Carry,
    Crosswalk,
    Dropped,
    Merged,
    MergeRow,
    Recoded,
    Renamed,
    Split,
    Target,
    identity,
    sources,
)
from weltoffen.versions.crosswalk_chain import ChainError, chain
from weltoffen.versions.migrate import NOTE_CODES, MigrationNote, migrate


def _cw(**parts: Any) -> Crosswalk:
    return Crosswalk(instrument="check", from_version="1", to_version="2", **parts)


def _one(answers: dict[str, AnswerValue], cw: Crosswalk) -> tuple[dict[str, Any], list[Any]]:
    done = migrate([Response(respondent="r", answers=answers)], cw)
    return dict(done.responses[0].answers), [(n.question, n.code) for n in done.notes]


# -- properties -------------------------------------------------------------------------------


@given(crosswalk_cases())
def test_identity_changes_nothing(case: tuple[list[Response], Crosswalk, Crosswalk]) -> None:
    responses, _, _ = case
    done = migrate(responses, identity("check", "1"))
    assert done.responses == tuple(responses)
    assert done.notes == ()


@given(crosswalk_cases())
def test_a_chain_migrates_as_both_steps(
    case: tuple[list[Response], Crosswalk, Crosswalk],
) -> None:
    responses, first, second = case
    try:
        both = chain(first, second)
    except ChainError:
        assume(False)  # a merge of what the first step merged or added: not one crosswalk
        raise
    twice = migrate(migrate(responses, first).responses, second).responses
    assert migrate(responses, both).responses == twice
    assert (both.from_version, both.to_version) == ("1", "3")


def _stated(cw: Crosswalk) -> list[AnswerValue]:
    """Every answer the crosswalk itself names: recode results, table results, added states."""
    found: list[AnswerValue | None] = []
    recodes = [r.recode for r in cw.renamed] + [c.recode for c in cw.recoded]
    recodes += [t.recode for s in cw.split for t in s.into]
    for m in cw.merged:
        recodes += [m.recode, *m.each.values()]
        found += [row.new for row in m.table]
    for recode in recodes:
        found += list(recode.values())
    found += [State(a.state) for a in cw.added if a.state is not None]
    return [v for v in found if v is not None]


def _parts(value: AnswerValue) -> list[AnswerValue]:
    return list(value) if isinstance(value, tuple) else [value]


@given(crosswalk_cases())
def test_migration_never_invents_an_answer(
    case: tuple[list[Response], Crosswalk, Crosswalk],
) -> None:
    responses, cw, _ = case
    fed = sources(cw)
    done = migrate(responses, cw)
    for before, after in zip(responses, done.responses, strict=True):
        assert after.respondent == before.respondent
        assert after.metadata == before.metadata
        given_ = [p for v in before.answers.values() for p in _parts(v)]
        allowed = given_ + [p for v in _stated(cw) for p in _parts(v)]
        for qid, value in after.answers.items():
            # every answer is an old one, or one the crosswalk names...
            assert all(p in allowed for p in _parts(value)), (qid, value)
            # ...under a question that an old answer (or the crosswalk) feeds
            if qid not in fed:
                assert before.answers.get(qid) == value
            elif isinstance(src := fed[qid], Carry):
                assert src.old in before.answers


@given(crosswalk_cases())
def test_nothing_is_lost_silently(case: tuple[list[Response], Crosswalk, Crosswalk]) -> None:
    """Each old answer that is not under any new question of the migrated response is noted."""
    responses, cw, _ = case
    done = migrate(responses, cw)
    fed = sources(cw)
    readers: dict[str, list[str]] = {}  # old id -> new ids it feeds
    for new, src in fed.items():
        for old in src.old if isinstance(src, Merged) else [getattr(src, "old", None)]:
            if old is not None:
                readers.setdefault(old, []).append(new)
    for before, after in zip(responses, done.responses, strict=True):
        noted = {n.question for n in done.notes_of(before.respondent)}
        for qid, value in before.answers.items():
            if value is SKIPPED:
                continue
            targets = readers.get(qid, [] if qid in {d.old for d in cw.dropped} else [qid])
            if qid in fed and qid not in readers.get(qid, []):
                targets = [t for t in targets if t != qid]
            landed = any(t in after.answers for t in targets)
            assert landed or qid in noted or any(t in noted for t in targets), (qid, value)


@given(crosswalk_cases())
def test_notes_have_known_codes(case: tuple[list[Response], Crosswalk, Crosswalk]) -> None:
    responses, cw, _ = case
    for note in migrate(responses, cw).notes:
        assert note.code in NOTE_CODES
        assert note.message


# -- each mapping -----------------------------------------------------------------------------


def test_unnamed_questions_and_metadata_are_kept() -> None:
    response = Response(respondent="r", answers={"a": "x", "b": DONT_KNOW}, metadata={"y": 1})
    done = migrate([response], _cw())
    assert done.responses == (response,)


def test_rename_with_recode() -> None:
    cw = _cw(renamed=(Renamed(old="a", new="b", recode={"x": "y", "z": None}),))
    assert _one({"a": "x"}, cw) == ({"b": "y"}, [])
    assert _one({"a": "w"}, cw) == ({"b": "w"}, [])
    assert _one({"a": "z"}, cw) == ({}, [("a", "recoded-away")])


def test_a_state_is_carried_unless_the_recode_names_it() -> None:
    cw = _cw(recoded=(Recoded(question="a", recode={"x": "y"}),))
    assert _one({"a": DONT_KNOW}, cw)[0] == {"a": DONT_KNOW}
    named = _cw(recoded=(Recoded(question="a", recode={"dont_know": NOT_APPLICABLE}),))
    assert _one({"a": DONT_KNOW}, named)[0] == {"a": NOT_APPLICABLE}


def test_yes_no_answers_are_recoded_by_their_words() -> None:
    cw = _cw(recoded=(Recoded(question="a", recode={"true": "ja", "false": "nein"}),))
    assert _one({"a": True}, cw)[0] == {"a": "ja"}
    assert _one({"a": False}, cw)[0] == {"a": "nein"}


def test_multiple_choice_is_recoded_option_by_option() -> None:
    cw = _cw(recoded=(Recoded(question="m", recode={"x": "y", "z": None}),))
    answers, notes = _one({"m": ("x", "y", "w", "z")}, cw)
    assert answers == {"m": ("y", "w")}
    assert notes == [("m", "recoded-away")]
    # a choice whose every option goes away is no answer, not "none of them"
    assert _one({"m": ("z",)}, cw)[0] == {}
    assert _one({"m": ()}, cw)[0] == {"m": ()}


def test_split_copies_or_recodes_per_new_question() -> None:
    cw = _cw(split=(Split(old="a", into=(Target(new="a1"), Target(new="a2", recode={"x": "y"}))),))
    assert _one({"a": "x"}, cw) == ({"a1": "x", "a2": "y"}, [])
    assert _one({}, cw) == ({}, [])


@pytest.mark.parametrize(
    ("rule", "answers", "expected", "code"),
    [
        ("first_answered", {"a": SKIPPED, "b": "lo"}, "lo", None),
        ("first_answered", {"a": "hi", "b": "lo"}, "hi", "merged"),
        ("minimum", {"a": "hi", "b": "lo"}, "lo", "merged"),
        ("maximum", {"a": "hi", "b": "lo"}, "hi", "merged"),
        ("maximum", {"a": "hi", "b": "hi"}, "hi", None),
        ("maximum", {"a": "hi", "b": "odd"}, None, "unresolved"),
        ("maximum", {"a": DONT_KNOW, "b": NOT_APPLICABLE}, DONT_KNOW, None),
        ("minimum", {"a": SKIPPED}, None, None),
    ],
)
def test_merge_rules(
    rule: str, answers: dict[str, AnswerValue], expected: AnswerValue | None, code: str | None
) -> None:
    merge = Merged(old=("a", "b"), new="c", rule=rule, order=("lo", "mid", "hi"))  # type: ignore[arg-type]
    got, notes = _one(answers, _cw(merged=(merge,)))
    assert got.get("c") == expected
    assert "a" not in got
    assert "b" not in got
    assert [c for _, c in notes] == ([code] if code else [])


def test_merge_numbers_and_yes_no_compare_as_numbers() -> None:
    merge = Merged(old=("a", "b"), new="c", rule="maximum")
    assert _one({"a": 2, "b": 5}, _cw(merged=(merge,)))[0] == {"c": 5}
    assert _one({"a": True, "b": False}, _cw(merged=(merge,)))[0] == {"c": True}


def test_merge_table() -> None:
    table = (
        MergeRow(old=(True, True), new="both"),
        MergeRow(old=(True, None), new="one"),
        MergeRow(old=(False, False), new=None),
    )
    cw = _cw(merged=(Merged(old=("a", "b"), new="c", rule="table", table=table),))
    assert _one({"a": True, "b": True}, cw)[0] == {"c": "both"}
    assert _one({"a": True}, cw)[0] == {"c": "one"}  # a missing answer matches null
    assert _one({"a": True, "b": SKIPPED}, cw)[0] == {"c": "one"}
    assert _one({"a": False, "b": True}, cw) == ({}, [("c", "unresolved")])
    # a state no row names is not lost silently either
    assert _one({"a": DONT_KNOW}, cw) == ({}, [("c", "unresolved")])
    assert _one({}, cw) == ({}, [])


def test_merge_recodes_each_input_then_the_result() -> None:
    merge = Merged(
        old=("a", "b"),
        new="c",
        rule="maximum",
        order=("1", "2", "3"),
        each={"a": {"x": "3"}},
        recode={"3": "top"},
    )
    assert _one({"a": "x", "b": "2"}, _cw(merged=(merge,)))[0] == {"c": "top"}


def test_dropped_answers_are_noted_with_the_reason() -> None:
    cw = _cw(dropped=(Dropped(old="a", reason="asked elsewhere"),))
    done = migrate([Response(respondent="r", answers={"a": False, "b": "x"})], cw)
    assert done.responses[0].answers == {"b": "x"}
    (note,) = done.notes
    assert note == MigrationNote("r", "a", "dropped", note.message)
    assert "asked elsewhere" in note.message
    assert "'false'" in note.message
    # a question the respondent skipped loses nothing
    assert _one({"a": SKIPPED}, cw) == ({}, [])


def test_added_questions_start_as_stated() -> None:
    cw = _cw(added=(Added(new="n"), Added(new="m", state="dont_know")))
    answers, notes = _one({"a": "x"}, cw)
    assert answers == {"a": "x", "m": DONT_KNOW}
    assert sorted(notes) == [("m", "added"), ("n", "added")]


def test_an_old_answer_under_an_id_given_to_another_question_is_noted() -> None:
    cw = _cw(renamed=(Renamed(old="a", new="b"),))
    answers, notes = _one({"a": "x", "b": "y"}, cw)
    assert answers == {"b": "x"}
    assert notes == [("b", "replaced")]


def test_migrate_refuses_other_arguments() -> None:
    with pytest.raises(TypeError, match="Crosswalk"):
        migrate([], {"renamed": []})  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        migrate([{"a": 1}], _cw())  # type: ignore[list-item]


def test_notes_of_one_respondent() -> None:
    cw = _cw(dropped=(Dropped(old="a"),))
    done = migrate(
        [Response(respondent="r1", answers={"a": 1}), Response(respondent="r2", answers={})], cw
    )
    assert [n.respondent for n in done.notes_of("r1")] == ["r1"]
    assert done.notes_of("r2") == ()
