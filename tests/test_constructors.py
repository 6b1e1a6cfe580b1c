"""Every public constructor checks its arguments' types (weltoffen._fields).

A value the constructor accepts must work everywhere (scoring, reports, dumps); anything else is
refused at once with a TypeError naming the class, the field, what it takes and what it got.
Files never see these errors: the loaders report located problems as before.
"""

from __future__ import annotations

import math
import re
import typing
from collections.abc import Callable, Mapping
from typing import Any, Literal, Union

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import weltoffen
from tests.strategies import questionnaire_and_responses, questionnaires
from weltoffen import (
    DONT_KNOW,
    AllOf,
    AnyOf,
    Band,
    Choice,
    Compare,
    DefinitionError,
    Dimension,
    Equals,
    Includes,
    Linear,
    MetadataField,
    MultipleChoice,
    Not,
    Numeric,
    OneOf,
    Option,
    Policies,
    Questionnaire,
    Response,
    ResponseError,
    Scale,
    ScaleQuestion,
    Suggestion,
    TextQuestion,
    Threshold,
    YesNo,
    compile,
    dump_questionnaire,
    load_questionnaire,
    load_responses,
    make_converter,
    score,
    strategies,
)
from weltoffen.analysis.normalise import DistanceToTarget, Goalposts, MinMax, Rank, ZScore
from weltoffen.analysis.quality import QualitySettings
from weltoffen.analysis.sensitivity import Choices, WeightChoice
from weltoffen.strategies import AHP, Budget, Equal, Exclude, Fixed, PowerMean, WeightedMean
from weltoffen.typing import Child

#: A valid set of arguments for every public class whose objects users build.
VALID: dict[type, dict[str, Any]] = {
    Questionnaire: {"id": "q"},
    Dimension: {"id": "d"},
    Band: {"id": "low", "min": 0, "max": 50},
    Suggestion: {"text": {"en": "Write a plan."}, "concerns": ["plan"]},
    Policies: {},
    MetadataField: {"key": "type"},
    Option: {"value": "yes"},
    Scale: {"id": "agree", "options": (Option(value="a"), Option(value="b"))},
    ScaleQuestion: {"id": "q1"},
    YesNo: {"id": "q1"},
    Choice: {"id": "q1"},
    MultipleChoice: {"id": "q1"},
    Numeric: {"id": "q1"},
    TextQuestion: {"id": "q1"},
    Threshold: {"min": 0, "points": 1},
    Linear: {"low": 0, "high": 10},
    Response: {"respondent": "r1"},
    Equals: {"question": "q1", "value": "yes"},
    OneOf: {"question": "q1", "values": ("a", "b")},
    Includes: {"question": "q1", "value": "a"},
    Compare: {"question": "q1", "op": "gt", "value": 1},
    AllOf: {"conditions": (Equals("q1", "yes"),)},
    AnyOf: {"conditions": (Equals("q1", "yes"),)},
    Not: {"condition": Equals("q1", "yes")},
    PowerMean: {"p": 2},
    AHP: {"matrix": ((1, 3), (1 / 3, 1))},
    Budget: {"budgets": ({"a": 1, "b": 2},)},
    Fixed: {"weights": {"a": 1}},
    WeightChoice: {},
    Choices: {"weights": WeightChoice()},
    QualitySettings: {},
    ZScore: {},
    Goalposts: {"low": 10, "high": 90},
    DistanceToTarget: {"target": 80},
    Child: {"id": "a", "weight": 1, "items": 1, "is_dimension": False},
    weltoffen.Crosswalk: {"instrument": "check", "from_version": "1", "to_version": "2"},
}

#: Public attrs classes that users do not build (results and reports come out of the library).
OUTPUTS = {
    "Result",
    "DimensionResult",
    "ItemResult",
    "ScoringPlan",
    "Problem",
    "Consistency",
    "Migration",
    "MigrationNote",
    "VersionComparison",
}

FIELDS = [(cls, f.name) for cls in VALID for f in attrs.fields(cls)]


def _fields_of(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def build(cls: type, **changes: Any) -> Any:
    return cls(**{**VALID[cls], **changes})


# -- an oracle of what each annotation takes, written independently of weltoffen._fields ---------


def conforms(value: Any, tp: Any) -> bool:
    """Whether *value* is of type *tp* (lists count as tuples, ints as floats, bools as neither)."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if tp is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if tp is type(None):
        return value is None
    if origin is Literal:
        return isinstance(value, str) and value in args
    if origin is Union or type(tp).__name__ == "UnionType":
        return any(conforms(value, t) for t in args)
    if origin is tuple:
        return isinstance(value, tuple | list) and all(conforms(v, args[0]) for v in value)
    if origin is Mapping:
        return isinstance(value, Mapping) and all(
            conforms(k, args[0]) and conforms(v, args[1]) for k, v in value.items()
        )
    # a class is never a value here, though it has the methods a protocol asks for
    return isinstance(value, tp) and not isinstance(value, type)


def plausible_mistake(tp: Any) -> Any:
    """A value of the wrong type that a user might well write for *tp*."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp == Mapping[str, str]:
        return "Mini check"  # a text without its language
    if origin is Union or type(tp).__name__ == "UnionType":
        tries = [plausible_mistake(t) for t in args if t is not type(None)]
        return next((v for v in tries if not conforms(v, tp)), ["yes"])  # ["yes"]: one too many
    if origin is Literal:
        return "nonsense"
    if origin is tuple:
        return "abc"
    if origin is Mapping:
        return [("a", 1)]
    if tp is str:
        return 1
    if tp in (float, int):
        return "1"
    if tp is bool:
        return "yes"
    if getattr(tp, "_is_protocol", False):
        return {"kind": "equal"}
    return {"id": "x"}


# -- every public constructor and field ------------------------------------------------------------


def test_every_public_class_users_build_is_covered() -> None:
    """The table above lists every public attrs class with fields that is not an output."""
    public = {
        getattr(module, name)
        for module in (weltoffen, strategies)
        for name in module.__all__
        if attrs.has(getattr(module, name, None))
    }
    public |= {WeightChoice, Choices, QualitySettings, ZScore, Goalposts, DistanceToTarget, Child}
    public |= {MinMax, Rank}  # no fields, nothing to check, but opted in for fields to come
    left_out = {c.__name__ for c in public if attrs.fields(c) and c not in VALID}
    assert left_out <= OUTPUTS


@pytest.mark.parametrize("cls", list(VALID), ids=lambda c: c.__name__)
def test_valid_arguments_build(cls: type) -> None:
    assert build(cls) == build(cls)


@pytest.mark.parametrize(("cls", "name"), FIELDS, ids=[f"{c.__name__}.{n}" for c, n in FIELDS])
def test_an_object_of_no_use_is_refused_naming_class_and_field(cls: type, name: str) -> None:
    with pytest.raises(TypeError, match=rf"^{cls.__name__}\.{name}: expected .+, got the object "):
        build(cls, **{name: object()})


@pytest.mark.parametrize(("cls", "name"), FIELDS, ids=[f"{c.__name__}.{n}" for c, n in FIELDS])
def test_a_plausible_mistake_is_refused_naming_class_and_field(cls: type, name: str) -> None:
    value = plausible_mistake(_fields_of(cls)[name])
    shown = re.escape(repr(value)[:40])
    with pytest.raises(TypeError, match=rf"^{cls.__name__}\.{name}\S*: expected .+, got .*{shown}"):
        build(cls, **{name: value})


class TestMessages:
    def test_a_plain_string_text_is_refused_with_the_mapping_to_write(self) -> None:
        with pytest.raises(TypeError) as info:
            Questionnaire(id="q", title="Mini check")  # type: ignore[arg-type]
        assert str(info.value) == (
            "Questionnaire.title: expected a mapping of language -> text such as "
            "{'en': 'Mini check'}, got the str 'Mini check'"
        )

    def test_the_example_uses_the_questionnaires_language(self) -> None:
        with pytest.raises(TypeError, match=re.escape("{'de': 'Kurzcheck'}")):
            Questionnaire(id="q", language="de", title="Kurzcheck")  # type: ignore[arg-type]

    def test_a_wrong_item_is_named_by_its_place(self) -> None:
        with pytest.raises(TypeError, match=r"^Dimension\.questions\[1\]: expected a question"):
            Dimension(id="d", questions=(YesNo(id="a"), "b"))  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"^Questionnaire\.title\['en'\]: expected a str"):
            Questionnaire(id="q", title={"en": 3})  # type: ignore[dict-item]
        with pytest.raises(TypeError, match=r"^AHP\.matrix\[0\]\[1\]: expected a number"):
            AHP(matrix=((1, "3"), (1 / 3, 1)))  # type: ignore[arg-type]

    def test_a_short_name_from_data_files_is_answered_with_the_class(self) -> None:
        with pytest.raises(TypeError, match=re.escape("in Python write Equal()")):
            Dimension(id="d", weighting="equal")  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=re.escape("in Python write Zero()")):
            Policies(dont_know="zero")  # type: ignore[arg-type]

    def test_a_class_instead_of_an_object(self) -> None:
        with pytest.raises(TypeError, match=re.escape("the class Equal itself (did you mean")):
            Dimension(id="d", weighting=Equal)  # type: ignore[arg-type]

    def test_a_numpy_array_is_told_to_become_a_list(self) -> None:
        np = pytest.importorskip("numpy")
        with pytest.raises(TypeError, match=re.escape("convert it with .tolist()")):
            AHP(matrix=np.array([[1.0, 3.0], [1 / 3, 1.0]]))

    def test_a_bool_is_not_a_number(self) -> None:
        with pytest.raises(TypeError, match=r"^YesNo\.weight: expected a number"):
            YesNo(id="q", weight=True)


class TestNormalForm:
    """Accepted values take the form a file loads back, so objects compare equal to loaded ones."""

    def test_lists_become_tuples(self) -> None:
        scale = Scale(id="s", options=[Option(value="a")])  # type: ignore[arg-type]
        assert scale.options == (Option(value="a"),)
        assert AHP(matrix=[[1, 3], [1 / 3, 1]]).matrix == ((1, 3), (1 / 3, 1))  # type: ignore[arg-type]

    def test_list_answers_become_tuples(self) -> None:
        response = Response(respondent="r", answers={"q": ["a", "b"], "p": DONT_KNOW})  # type: ignore[dict-item]
        assert dict(response.answers) == {"q": ("a", "b"), "p": DONT_KNOW}

    def test_unchanged_values_are_kept_as_given(self) -> None:
        # a dict is copied (the caller may change it later); what is frozen already is shared
        answers = Response(respondent="r", answers={"q": "a"}).answers
        assert Response(respondent="s", answers=answers).answers is answers
        options = (Option(value="a"), Option(value="b"))
        assert Scale(id="s", options=options).options is options

    def test_numpy_numbers_become_plain_numbers_and_dump(self) -> None:
        np = pytest.importorskip("numpy")
        question = YesNo(id="q", weight=np.float64(2.5))
        fixed = Fixed({"a": np.int64(2)})
        assert (type(question.weight), type(fixed.weights["a"])) == (float, int)
        q = Questionnaire(id="x", dimensions=(Dimension(id="d", questions=(question,)),))
        assert load_questionnaire(text=dump_questionnaire(q)) == q

    def test_str_subclasses_become_plain_str(self) -> None:
        import enum

        class Lang(str, enum.Enum):
            EN = "en"

        q = Questionnaire(id="x", language=Lang.EN)
        assert type(q.language) is str
        assert q.language == "en"

    def test_signatures_keep_the_annotated_types(self) -> None:
        """Help and reference pages show the fields' types, not those of the checks."""
        import inspect

        parameters = inspect.signature(Scale).parameters
        assert [str(parameters[n].annotation) for n in ("id", "options", "label")] == [
            "str",
            "tuple[Option, ...]",
            "Text",
        ]

    def test_evolve_checks_too(self) -> None:
        with pytest.raises(TypeError, match=r"^YesNo\.weight"):
            attrs.evolve(YesNo(id="q"), weight="heavy")


class TestRespondent:
    @pytest.mark.parametrize("blank", ["", " ", "\t\n"])
    def test_an_empty_respondent_is_refused(self, blank: str) -> None:
        with pytest.raises(ValueError, match=r"^Response\.respondent: must not be empty"):
            Response(respondent=blank)

    def test_an_empty_respondent_in_a_file_is_located(self) -> None:
        text = "- respondent: a\n- respondent: ' '\n  answers: {}\n"
        with pytest.raises(ResponseError) as info:
            load_responses(text=text)
        ((path, line, message),) = [(p.path, p.line, p.message) for p in info.value.problems]
        assert (path, line) == ("[1].respondent", 2)
        assert "empty" in message


# -- hypothesis: wrong values for any field ------------------------------------------------------

_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-5, max_value=5),
    st.floats(allow_nan=False),
    st.text(max_size=4),
    st.sampled_from(["share", "gt", "uniform", "all", "equal", "zero", "saaty1980", "en"]),
    st.just(DONT_KNOW),
    st.builds(Option, value=st.text(max_size=3)),
    st.builds(Equals, st.just("q1"), st.integers()),
    st.builds(YesNo, id=st.just("q1")),
    st.builds(Dimension, id=st.just("d")),
    st.builds(Band, id=st.just("b"), min=st.just(0), max=st.just(100)),
    st.builds(Policies),
    st.builds(WeightChoice),
    st.sampled_from([Equal, Exclude, WeightedMean]).map(lambda cls: cls()),
    st.sampled_from([Equal, Exclude, Option]),  # a class where an object belongs
    st.builds(object),
)
#: Values of every shape, new at every draw (lists and dicts are never shared between examples).
values = st.recursive(
    _leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.one_of(st.text(max_size=3), st.integers()), inner, max_size=3),
    ),
    max_leaves=6,
)


@given(field=st.sampled_from(FIELDS), value=values)
def test_any_value_is_taken_exactly_when_it_has_the_fields_type(
    field: tuple[type, str], value: Any
) -> None:
    """A value of the annotated type is accepted (range checks aside); any other is a TypeError."""
    cls, name = field
    if conforms(value, _fields_of(cls)[name]):
        try:
            build(cls, **{name: value})
        except TypeError as error:  # pragma: no cover - the failure this test looks for
            pytest.fail(f"refused a value of the right type: {error}")
        except ValueError:
            pass  # a range or emptiness check (ZScore.sd > 0, a blank respondent, ...)
    else:
        with pytest.raises(TypeError, match=rf"^{cls.__name__}\.{name}\b"):
            build(cls, **{name: value})


# -- files never see these errors ------------------------------------------------------------------


def _places(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths to every value inside plain data."""
    if isinstance(data, dict):
        items: Any = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        return []
    return [p for k, v in items for p in [(*path, k), *_places(v, (*path, k))]]


def _problems(load: Callable[[], object], error: type[Exception]) -> list[Any] | None:
    """The problems *load* reports as *error* ([] when it loads); any other exception escapes."""
    try:
        load()
    except error as exc:
        return list(getattr(exc, "problems", ())) or None
    return []


def _replaced(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        return {**data, head: _replaced(data[head], rest, value)}
    return [_replaced(v, rest, value) if i == head else v for i, v in enumerate(data)]


_plain = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-3, max_value=3),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=3),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=2), st.dictionaries(st.text(max_size=3), inner, max_size=2)
    ),
    max_leaves=4,
)


# random conditions are sometimes dead logic; loading rightly warns
@pytest.mark.filterwarnings("ignore:.*the condition of .* (can never|always) hold:UserWarning")
@given(data=st.data(), q=questionnaires())
def test_a_wrong_value_anywhere_in_a_questionnaire_file_is_a_located_problem(
    data: st.DataObject, q: Questionnaire
) -> None:
    plain = make_converter(language=q.language).unstructure(q)
    path = data.draw(st.sampled_from(_places(plain)))
    broken = _replaced(plain, path, data.draw(_plain))
    assert _problems(lambda: load_questionnaire(data=broken), DefinitionError) is not None


@given(data=st.data(), pair=questionnaire_and_responses(count=2))
def test_a_wrong_value_anywhere_in_a_responses_file_is_a_located_problem(
    data: st.DataObject, pair: tuple[Questionnaire, list[Response]]
) -> None:
    _, responses = pair
    plain = [make_converter().unstructure(r) for r in responses]
    path = data.draw(st.sampled_from(_places(plain)))
    broken = _replaced(plain, path, data.draw(_plain))
    assert _problems(lambda: load_responses(data=broken), ResponseError) is not None


def test_what_a_constructor_accepts_scores_reports_and_dumps() -> None:
    """The issue's example: a questionnaire accepted in code works everywhere a loaded one does."""
    from weltoffen.reports import result_view

    q = Questionnaire(
        id="mini",
        title={"en": "Mini check"},
        dimensions=[Dimension(id="d", title={"en": "D"}, questions=[YesNo(id="q1")])],  # type: ignore[arg-type]
    )
    plan = compile(q)
    view = result_view(plan, score(plan, {"q1": "yes"})).plain()
    assert view["title"] == "Mini check"
    assert load_questionnaire(text=dump_questionnaire(q)) == q
    assert math.isclose(view["score"], 100.0)
