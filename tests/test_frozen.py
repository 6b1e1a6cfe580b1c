"""Frozen all the way down: what a model object, a plan or a result holds cannot change after it
is built, every one of them can be hashed, and each object's own rules hold from construction."""

from __future__ import annotations

import json
import math
import pickle
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from hypothesis import given

from tests.strategies import questionnaire_and_responses
from weltoffen import (
    Band,
    DefinitionError,
    Dimension,
    Linear,
    MultipleChoice,
    Numeric,
    Option,
    Policies,
    Questionnaire,
    Response,
    ScaleQuestion,
    State,
    Threshold,
    YesNo,
    compile,
    dump_questionnaire,
    load_questionnaire,
    score,
)
from weltoffen._frozen import FrozenDict
from weltoffen.instruments import load_instrument
from weltoffen.serialization.converter import make_converter

# -- the frozen mapping -----------------------------------------------------------------------


class TestFrozenDict:
    def test_reads_and_compares_as_the_dict_it_was_made_from(self) -> None:
        frozen = FrozenDict({"a": 1, "b": 2})
        assert isinstance(frozen, Mapping)
        assert frozen == {"a": 1, "b": 2}
        assert dict.__eq__({"a": 1, "b": 2}, frozen)  # a plain dict's own comparison agrees
        assert (frozen["a"], frozen.get("c"), list(frozen)) == (1, None, ["a", "b"])
        assert repr(frozen) == "{'a': 1, 'b': 2}"

    @pytest.mark.parametrize(
        "change",
        [
            lambda d: d.__setitem__("a", 3),
            lambda d: d.__delitem__("a"),
            lambda d: d.update(c=3),
            lambda d: d.pop("a"),
            lambda d: d.popitem(),
            lambda d: d.setdefault("c", 3),
            lambda d: d.clear(),
            lambda d: d.__ior__({"c": 3}),
        ],
    )
    def test_cannot_be_changed(self, change: Any) -> None:
        frozen = FrozenDict({"a": 1, "b": 2})
        with pytest.raises(TypeError, match="cannot be changed"):
            change(frozen)
        assert frozen == {"a": 1, "b": 2}

    def test_hashes_by_its_items_in_any_order(self) -> None:
        assert hash(FrozenDict({"a": 1, "b": 2})) == hash(FrozenDict({"b": 2, "a": 1}))
        assert len({FrozenDict({"a": 1}), FrozenDict({"a": 1}), FrozenDict({"a": 2})}) == 2

    def test_pickles_and_copies(self) -> None:
        import copy

        frozen = FrozenDict({"a": (1, 2)})
        for again in (pickle.loads(pickle.dumps(frozen)), copy.copy(frozen), copy.deepcopy(frozen)):
            assert type(again) is FrozenDict
            assert again == frozen
            assert hash(again) == hash(frozen)

    def test_a_pickle_written_before_the_class_moved_still_loads(self) -> None:
        # written when FrozenDict lived in weltoffen._fields: the pickle names that module
        old = (
            b"\x80\x02cweltoffen._fields\nFrozenDict\nq\x00}q\x01"
            b"X\x01\x00\x00\x00aq\x02K\x01K\x02\x86q\x03s\x85q\x04Rq\x05."
        )
        again = pickle.loads(old)
        assert type(again) is FrozenDict
        assert again == {"a": (1, 2)}

    def test_json_and_the_converter_write_a_plain_dict(self) -> None:
        question = YesNo(id="q", text={"en": "Asked?"})
        assert json.dumps(FrozenDict({"a": 1})) == '{"a": 1}'
        plain = make_converter().unstructure(question)
        assert type(plain["text"]) is dict
        response = Response(respondent="r", answers={"q": ("a", "b")}, metadata={"k": 1})
        plain = make_converter().unstructure(response)
        assert (type(plain["answers"]), type(plain["metadata"])) == (dict, dict)
        assert yaml.safe_dump(plain)  # nothing YAML cannot write


# -- nothing built shares what was passed in --------------------------------------------------


def thawed(obj: Any, given: list[Any]) -> Any:
    """*obj* built again from fresh lists and dicts, each of them noted in *given*."""
    if isinstance(obj, tuple):
        out: Any = [thawed(x, given) for x in obj]
    elif isinstance(obj, Mapping):
        out = {k: thawed(v, given) for k, v in obj.items()}
    elif attrs.has(type(obj)):
        kwargs = {a.alias or a.name: thawed(getattr(obj, a.name), given) for a in _init(obj)}
        return type(obj)(**kwargs)
    else:
        return obj
    given.append(out)
    return out


def _init(obj: Any) -> list[attrs.Attribute[Any]]:
    return [a for a in attrs.fields(type(obj)) if a.init]


def spoil(given: list[Any]) -> None:
    """Change every list and dict a caller passed in, the way careless callers do."""
    for container in given:
        if isinstance(container, dict):
            container.clear()
            container["spoilt"] = "spoilt"
        else:
            container.clear()
            container.append("spoilt")


def parts(obj: Any) -> Iterator[Any]:
    """*obj* and every model object, tuple and mapping inside it."""
    yield obj
    if isinstance(obj, tuple):
        for item in obj:
            yield from parts(item)
    elif isinstance(obj, Mapping):
        for item in obj.values():
            yield from parts(item)
    elif attrs.has(type(obj)):
        for a in attrs.fields(type(obj)):
            if a.eq:  # what is left out of equality (a plan's derived layout) need not hash
                yield from parts(getattr(obj, a.name))


@given(questionnaire_and_responses(count=2))
def test_changing_what_was_passed_in_changes_nothing_built_from_it(
    case: tuple[Questionnaire, list[Response]],
) -> None:
    q, responses = case
    given_: list[Any] = []
    built = thawed(q, given_)
    answered = [thawed(r, given_) for r in responses]
    plan = compile(built)
    before = [score(plan, r, trace=True) for r in answered]
    assert built == q
    spoil(given_)
    assert built == q
    assert answered == responses
    assert compile(built) == plan == compile(q)
    assert [score(plan, r, trace=True) for r in answered] == before
    assert [score(compile(q), r, trace=True) for r in responses] == before


@given(questionnaire_and_responses(count=1))
def test_every_object_hashes_and_equal_ones_hash_alike(
    case: tuple[Questionnaire, list[Response]],
) -> None:
    q, (response,) = case
    plan = compile(q)
    result = score(plan, response, trace=True)
    for whole in (q, plan, response, result):
        for part in parts(whole):
            hash(part)
    again = thawed(q, [])
    assert again == q
    assert again is not q
    assert hash(again) == hash(q)
    assert hash(compile(again)) == hash(plan)
    assert hash(thawed(response, [])) == hash(response)
    assert hash(score(compile(again), response, trace=True)) == hash(result)
    assert len({q, again, plan, compile(again)}) == 2


@given(questionnaire_and_responses(count=1))
def test_pickling_gives_equal_objects(case: tuple[Questionnaire, list[Response]]) -> None:
    q, (response,) = case
    plan = compile(q)
    result = score(plan, response, trace=True)
    for obj in (q, plan, response, result):
        again = pickle.loads(pickle.dumps(obj))
        assert again == obj
        assert hash(again) == hash(obj)
    assert score(pickle.loads(pickle.dumps(plan)), response, trace=True) == result


def test_a_response_keeps_its_answers_when_the_dict_passed_in_changes() -> None:
    answers: dict[str, Any] = {"q": True, "m": ["a", "b"]}
    metadata: dict[str, Any] = {"size": 3}
    response = Response(respondent="r", answers=answers, metadata=metadata)
    answers["q"] = False
    answers["m"].append("c")
    metadata.clear()
    assert response.answers == {"q": True, "m": ("a", "b")}
    assert response.metadata == {"size": 3}


def test_the_lookup_tables_of_a_plan_are_read_only() -> None:
    # score() reads answers through them: a change would alter every later score of a shared plan
    plan = compile(load_instrument("weltoffene-kommune", "1.0"))
    qid, table = next(iter(plan.layout.tables.items()))
    with pytest.raises(TypeError):
        table[State.SKIPPED] = table[State.SKIPPED]
    with pytest.raises(TypeError):
        plan.layout.tables.pop(qid)
    with pytest.raises(TypeError):
        plan.layout.reads.clear()  # type: ignore[attr-defined]


# -- each object's own rules, at construction -------------------------------------------------


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Band(id="b", min=80, max=20), "Band: 'max' must be > 80: 20"),
        (lambda: Band(id="b", min=50, max=50), "Band: 'max' must be > 50: 50"),
        (lambda: Band(id="b", min=-math.inf, max=20), "Band: 'min' must be a finite number: -inf"),
        (lambda: Band(id="b", min=0, max=math.inf), "Band: 'max' must be a finite number: inf"),
        (lambda: Band(id="b", min=0, max=math.nan), "Band: 'max' must be a finite number: nan"),
        (
            lambda: Dimension(id="d", weight=-3),
            "Dimension: 'weight' must be a finite number >= 0: -3",
        ),
        (
            lambda: Dimension(id="d", weight=math.inf),
            "Dimension: 'weight' must be a finite number >= 0: inf",
        ),
        (
            lambda: YesNo(id="q", weight=math.nan),
            "YesNo: 'weight' must be a finite number >= 0: nan",
        ),
        (
            lambda: YesNo(id="q", no_points=math.inf),
            "YesNo: 'no_points' must be a finite number: inf",
        ),
        (
            lambda: Option(value="a", points=math.nan),
            "Option: 'points' must be a finite number: nan",
        ),
        (
            lambda: Policies(min_coverage=1.5),
            "Policies: 'min_coverage' must be in 0..1: 1.5",
        ),
        (
            lambda: MultipleChoice(id="m", cap=0),
            "MultipleChoice: 'cap' must be a finite number > 0: 0",
        ),
        (
            lambda: Threshold(min=-math.inf, points=1),
            "Threshold: 'min' must be a finite number: -inf",
        ),
        (
            lambda: Threshold(min=0, points=-math.inf),
            "Threshold: 'points' must be a finite number: -inf",
        ),
        (
            lambda: Linear(low=2, high=2),
            "Linear: 'high' must be a finite number other than low (2): 2",
        ),
        (
            lambda: Linear(low=0, high=1, points=0),
            "Linear: 'points' must be a finite number > 0: 0",
        ),
        (
            lambda: Numeric(id="n", minimum=3, maximum=2.5),
            "Numeric: 'maximum' must be >= minimum (3): 2.5",
        ),
        (
            lambda: Numeric(id="n", maximum=math.inf),
            "Numeric: 'maximum' must be a finite number: inf",
        ),
    ],
)
def test_an_object_that_breaks_its_own_rule_is_refused(build: Any, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        build()


def test_evolve_checks_the_rules_too() -> None:
    band = Band(id="b", min=0, max=100)
    with pytest.raises(ValueError, match="'max' must be > 0: 0"):
        attrs.evolve(band, max=0)
    question = ScaleQuestion(id="q", options=(Option(value="a"), Option(value="b", points=1)))
    with pytest.raises(ValueError, match="'weight' must be a finite number >= 0: -1"):
        attrs.evolve(question, weight=-1)


def test_the_edges_of_each_rule_are_allowed() -> None:
    Band(id="b", min=0, max=100)
    Band(id="b", min=99.5, max=100)
    Dimension(id="d", weight=0)
    Option(value="a", points=0)
    Policies(min_coverage=0)
    Policies(min_coverage=1)
    Numeric(id="n", minimum=2, maximum=2)
    Linear(low=1, high=0)


FIVE_BROKEN_BANDS = """\
id: t
bands:
  - {id: a, min: 0, max: 20}
  - {id: b, min: 80, max: 20}
  - {id: c, min: -.inf, max: 40}
  - {id: d, min: 40, max: 40}
  - {id: e, min: 40, max: .nan}
  - {id: f, min: 60, max: 30}
dimensions:
  - id: d
    questions:
      - {id: q, kind: yes_no}
"""


def test_a_file_with_five_broken_bands_gives_five_located_problems(tmp_path: Path) -> None:
    path = tmp_path / "bands.yaml"
    path.write_text(FIVE_BROKEN_BANDS, encoding="utf-8")
    with pytest.raises(DefinitionError) as info:
        load_questionnaire(path)
    assert [str(p).replace(str(path), "F") for p in info.value.problems] == [
        "F:4: bands[1]: band 'b' is empty (expected min < max, got 80.0..20.0)",
        "F:5: bands[2].min: band bounds must be finite numbers (got -inf)",
        "F:6: bands[3]: band 'd' is empty (expected min < max, got 40.0..40.0)",
        "F:7: bands[4].max: band bounds must be finite numbers (got nan)",
        "F:8: bands[5]: band 'f' is empty (expected min < max, got 60.0..30.0)",
    ]


def test_every_broken_rule_of_one_object_is_located_even_one_that_compares_with_a_list(
    tmp_path: Path,
) -> None:
    # min_selected is checked against the options: the options are read again to check it
    path = tmp_path / "choices.yaml"
    path.write_text(
        "id: t\n"
        "dimensions:\n"
        "  - id: d\n"
        "    questions:\n"
        "      - id: m\n"
        "        kind: multiple_choice\n"
        "        method: max\n"
        "        cap: 2\n"
        "        min_selected: 4\n"
        "        max_selected: 0\n"
        "        options: [{value: a, points: 1}, {value: b, points: 2}]\n",
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError) as info:
        load_questionnaire(path)
    at = "dimensions[0].questions[0]"
    assert [str(p).replace(str(path), "F") for p in info.value.problems] == [
        f"F:8: {at}.cap: cap applies only to method 'sum' (got max)",
        f"F:9: {at}.min_selected: min_selected must lie in 0..2 (got 4)",
        f"F:10: {at}.max_selected: max_selected must be >= min_selected and >= 1 (got 0)",
    ]
    with pytest.raises(ValueError, match="'max_selected' must be >= min_selected"):
        MultipleChoice(id="m", options=(Option(value="a", points=1),), max_selected=0)


def test_rules_beside_a_broken_part_and_checks_across_objects_come_at_once() -> None:
    """A dimension's own weight is checked although one of its bands is broken, and a duplicate
    id (a check across objects) is reported in the same pass."""
    text = """\
id: t
dimensions:
  - id: d
    weight: -2
    bands:
      - {id: a, min: 0, max: 100}
      - {id: b, min: 0, max: .inf}
    questions:
      - {id: q, kind: yes_no, yes_points: .nan}
      - {id: q, kind: yes_no, weight: 2}
"""
    with pytest.raises(DefinitionError) as info:
        load_questionnaire(text=text)
    assert sorted((p.line, p.path, p.message) for p in info.value.problems) == [
        (4, "dimensions[0].weight", "weight must be a finite number >= 0"),
        (7, "dimensions[0].bands[1].max", "band bounds must be finite numbers"),
        (9, "dimensions[0].questions[0].yes_points", "points must be a finite number"),
        (10, "dimensions[0].questions[1].id", "duplicate question id 'q'"),
    ]


def test_each_broken_rule_is_reported_once() -> None:
    text = "id: t\nbands: [{id: a, min: -1, max: 120}]\ndimensions: [{id: d}]\n"
    text = text.replace("{id: d}", "{id: d, questions: [{id: q, kind: yes_no}]}")
    with pytest.raises(DefinitionError) as info:
        load_questionnaire(text=text)
    assert [(p.path, p.got) for p in info.value.problems] == [
        ("bands[0].min", "-1.0"),
        ("bands[0].max", "120.0"),
    ]


def test_a_valid_file_dumps_as_before() -> None:
    q = Questionnaire(
        id="t",
        title={"en": "T"},
        dimensions=(Dimension(id="d", questions=(YesNo(id="q", text={"en": "Q?"}),)),),
    )
    text = dump_questionnaire(q)
    assert "!!" not in text  # no Python tags: plain mappings only
    assert load_questionnaire(text=text) == q
