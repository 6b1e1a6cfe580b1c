"""The generated JSON Schemas accept what the converter accepts, and reject what it rejects."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import weltoffen
from weltoffen.exceptions import DefinitionError, ResponseError
from weltoffen.registry import default_registry
from weltoffen.serialization.schema import DIALECT, questionnaire_schema, responses_schema

ROOT = Path(__file__).resolve().parent.parent
INSTRUMENT = ROOT / "src" / "weltoffen" / "instruments" / "weltoffene-kommune" / "1.0.yaml"

Q_VALIDATOR = jsonschema.Draft202012Validator(questionnaire_schema())
R_VALIDATOR = jsonschema.Draft202012Validator(responses_schema())

#: A small questionnaire that uses every question kind, every condition shape and strategies in
#: both spellings, so that mutating it reaches every part of the schema.
SAMPLE: dict[str, Any] = {
    "id": "sample",
    "version": "2",
    "language": "en",
    "title": {"en": "Sample", "de": "Beispiel"},
    "description": "Every feature once.",
    "scales": [
        {
            "id": "agree",
            "label": "Agreement",
            "options": [
                {"value": "no", "label": "No", "points": 0},
                {"value": "yes", "label": {"en": "Yes"}, "points": 2},
            ],
        }
    ],
    "scoring": {"dont_know": "exclude", "skipped": {"kind": "zero"}, "min_coverage": 0.5},
    "weighting": "equal",
    "aggregation": {"kind": "weighted_mean"},
    "bands": [
        {"id": "low", "min": 0, "max": 50, "label": "Low", "suggestions": ["Start", {"en": "Go"}]},
        {"id": "high", "min": 50, "max": 100, "label": "High", "feedback": "Good"},
    ],
    "dimensions": [
        {
            "id": "a",
            "title": "A",
            "weight": 2,
            "weighting": "item_count",
            "aggregation": "geometric_mean",
            "scoring": {"dont_know": None, "skipped": "prorate"},
            "bands": [{"id": "all", "min": 0, "max": 100}],
            "questions": [
                {"id": "q1", "kind": "yes_no", "text": "Yes?", "yes_points": 2, "dont_know": True},
                {"id": "q2", "kind": "scale", "scale": "agree", "reverse": True, "when": None},
                {
                    "id": "q3",
                    "kind": "scale",
                    "options": [{"value": "lo", "points": 0}, {"value": "hi", "points": 1}],
                    "when": {"question": "q1", "equals": True},
                },
                {
                    "id": "q4",
                    "kind": "choice",
                    "options": [{"value": "x", "points": 1}, {"value": "y"}],
                    "when": {
                        "any": [
                            {"question": "q2", "in": ["yes", "no"]},
                            {"not": {"question": "q1", "equals": False}},
                        ]
                    },
                },
            ],
        },
        {
            "id": "b",
            "when": {"all": [{"question": "q5", "ge": 1}, {"question": "q6", "includes": "m"}]},
            "weighting": {"kind": "budget", "budgets": [{"q5": 1, "q7": 2}], "total": None},
            "questions": [
                {
                    "id": "q5",
                    "kind": "numeric",
                    "unit": "h",
                    "minimum": 0,
                    "maximum": 10,
                    "integer": True,
                    "linear": {"low": 0, "high": 10, "points": 2},
                },
                {
                    "id": "q7",
                    "kind": "numeric",
                    "thresholds": [{"min": 0, "points": 0}, {"min": 5, "points": 1}],
                    "maximum": None,
                },
                {
                    "id": "q6",
                    "kind": "multiple_choice",
                    "options": [{"value": "m", "points": 1}, {"value": "n", "points": 1}],
                    "method": "sum",
                    "cap": 1.5,
                    "min_selected": 1,
                    "max_selected": 2,
                    "weight": 0.5,
                },
                {
                    "id": "q8",
                    "kind": "text",
                    "text": "Anything else?",
                    "help": "Free text.",
                    "scored": False,
                },
            ],
            "dimensions": [
                {
                    "id": "c",
                    "aggregation": "minimum",
                    "questions": [
                        {
                            "id": "q9",
                            "kind": "yes_no",
                            "not_applicable": True,
                            "when": {"question": "q5", "lt": 3},
                        }
                    ],
                },
                {
                    "id": "d",
                    "weighting": {"kind": "ahp", "matrix": [[1, 2], [0.5, 1]], "ids": ["d1", "d2"]},
                    "aggregation": {"kind": "power_mean", "p": -1},
                    "questions": [{"id": "d1", "kind": "yes_no"}, {"id": "d2", "kind": "yes_no"}],
                },
                {
                    "id": "e",
                    "weighting": {"kind": "fixed", "weights": {"e1": 1}},
                    "questions": [{"id": "e1", "kind": "yes_no"}],
                },
            ],
        },
    ],
}

RESPONSES: list[dict[str, Any]] = [
    {
        "respondent": "r1",
        "answers": {
            "q1": True,
            "q2": "yes",
            "q5": 3,
            "q6": ["m"],
            "q8": "Fine.",
            "q9": "not_applicable",
        },
        "metadata": {"role": "mayor", "size": 12000, "pilot": True, "note": None},
    },
    {"respondent": 7, "answers": {"q1": "dont_know", "q2": None, "q7": 4.5, "q6": ["m", "n"]}},
]


#: Rules across two fields of one object, which a JSON Schema cannot say: like the model checks
#: that ``check=False`` leaves out, they are beyond the shape the schema describes.
_ACROSS_FIELDS = re.compile(
    r"band .* is empty|low and high must be different finite numbers|minimum is above maximum"
    r"|min_selected must lie in 0\.\.\d+|max_selected must be >= min_selected and >= 1"
    r"|cap applies only to method 'sum'"
)


def _converter_accepts(data: Any) -> bool:
    try:
        weltoffen.load_questionnaire(data=data, check=False)
    except DefinitionError as exc:
        return all(_ACROSS_FIELDS.fullmatch(p.message) for p in exc.problems)
    return True


def _responses_accepted(data: Any) -> bool:
    try:
        weltoffen.load_responses(data=data)
    except ResponseError:
        return False
    return True


def _errors(validator: jsonschema.Draft202012Validator, data: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


class TestSchemaDocument:
    def test_is_a_valid_draft_2020_12_schema(self) -> None:
        """Both schemas are themselves valid JSON Schemas of the declared dialect."""
        for schema in (questionnaire_schema(), responses_schema()):
            assert schema["$schema"] == DIALECT
            jsonschema.Draft202012Validator.check_schema(schema)

    def test_is_plain_json(self) -> None:
        """The schema survives a JSON round trip unchanged (no tuples, no objects)."""
        schema = questionnaire_schema()
        assert schema == json.loads(json.dumps(schema))

    def test_descriptions_come_from_attribute_docs(self) -> None:
        """Field descriptions are taken from the ``Attributes:`` sections of the model classes."""
        defs = questionnaire_schema()["$defs"]
        assert (
            defs["Dimension"]["properties"]["id"]["description"] == "Unique among all dimensions."
        )
        # Inherited from the common base of the question kinds:
        assert "hidden" in defs["question.yes_no"]["properties"]["when"]["description"]
        # Docstring markup becomes Markdown.
        assert "``" not in json.dumps(defs)

    def test_defaults_are_spelled_as_in_files(self) -> None:
        """Defaults appear as a file would write them: strategies by name, numbers as numbers."""
        defs = questionnaire_schema()["$defs"]
        assert defs["Dimension"]["properties"]["weighting"]["default"] == "explicit"
        assert defs["question.scale"]["properties"]["weight"]["default"] == 1.0
        assert False is defs["question.text"]["properties"]["scored"]["default"]


class TestQuestionnaireSchemaAccepts:
    def test_bundled_instrument(self) -> None:
        """The bundled self-check, as written, is valid."""
        data = yaml.safe_load(INSTRUMENT.read_text(encoding="utf-8"))
        assert _errors(Q_VALIDATOR, data) == []

    @pytest.mark.parametrize("fmt", ["yaml", "json"])
    def test_dumped_instrument(self, fmt: str) -> None:
        """What ``dump_questionnaire`` writes is valid, in YAML and in JSON."""
        questionnaire = weltoffen.load_questionnaire(INSTRUMENT)
        text = weltoffen.dump_questionnaire(questionnaire, format=fmt)  # type: ignore[arg-type]
        data = json.loads(text) if fmt == "json" else yaml.safe_load(text)
        assert _errors(Q_VALIDATOR, data) == []

    def test_sample_with_every_feature(self) -> None:
        """The sample is accepted by both the converter and the schema, also after a round trip."""
        assert _converter_accepts(SAMPLE)
        assert _errors(Q_VALIDATOR, SAMPLE) == []
        # check=False: the sample shows every key, not a coherent instrument (dimension b's
        # condition reads its own questions, a cycle the model checks refuse)
        dumped = yaml.safe_load(
            weltoffen.dump_questionnaire(weltoffen.load_questionnaire(data=SAMPLE, check=False))
        )
        assert _errors(Q_VALIDATOR, dumped) == []

    def test_minimal_questionnaire(self) -> None:
        """Only ``id`` is required at the top."""
        assert _errors(Q_VALIDATOR, {"id": "q"}) == []


def _with(path: list[Any], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(SAMPLE)
    *parents, last = path
    target: Any = data
    for step in parents:
        target = target[step]
    target[last] = value
    return data


def _without(path: list[Any]) -> dict[str, Any]:
    data = copy.deepcopy(SAMPLE)
    *parents, last = path
    target: Any = data
    for step in parents:
        target = target[step]
    del target[last]
    return data


Q1 = ["dimensions", 0, "questions", 0]


class TestQuestionnaireSchemaRejects:
    @pytest.mark.parametrize(
        ("case", "data"),
        [
            ("unknown top-level key", {**SAMPLE, "titel": "x"}),
            ("unknown question key", _with([*Q1, "weigth"], 2)),
            ("unknown question kind", _with([*Q1, "kind"], "yesno")),
            ("question without kind", _without([*Q1, "kind"])),
            ("question without id", _without([*Q1, "id"])),
            ("questionnaire without id", _without(["id"])),
            ("dimension without id", _without(["dimensions", 0, "id"])),
            ("option without value", _without(["scales", 0, "options", 0, "value"])),
            ("reverse keying on yes/no", _with([*Q1, "reverse"], True)),
            ("weight as text", _with([*Q1, "weight"], "2")),
            ("weight as boolean", _with([*Q1, "weight"], True)),
            ("text as number", _with([*Q1, "text"], 3)),
            ("text with a number inside", _with([*Q1, "text"], {"en": 3})),
            ("list given as text", _with(["bands", 0, "suggestions"], "Start")),
            ("unknown aggregation", _with(["aggregation"], "median")),
            ("strategy without kind", _with(["aggregation"], {"name": "sum"})),
            ("strategy with unknown parameter", _with(["weighting"], {"kind": "equal", "x": 1})),
            (
                "unknown multiple-choice method",
                _with(["dimensions", 1, "questions", 2, "method"], "mean"),
            ),
            (
                "fractional min_selected",
                _with(["dimensions", 1, "questions", 2, "min_selected"], 1.5),
            ),
            (
                "condition with two tests",
                _with([*Q1, "when"], {"question": "q2", "equals": "yes", "in": ["no"]}),
            ),
            ("condition without a test", _with([*Q1, "when"], {"question": "q2"})),
            ("condition with empty in", _with([*Q1, "when"], {"question": "q2", "in": []})),
            ("comparison with text", _with([*Q1, "when"], {"question": "q5", "gt": "3"})),
            ("all mixed with a question", _with([*Q1, "when"], {"all": [], "question": "q2"})),
            (
                "not given a list",
                _with([*Q1, "when"], {"not": [{"question": "q2", "equals": "yes"}]}),
            ),
        ],
    )
    def test_typical_mistakes(self, case: str, data: dict[str, Any]) -> None:
        """Each mistake is rejected by the schema, and by the converter alike."""
        assert _errors(Q_VALIDATOR, data), case
        assert not _converter_accepts(data), case

    def test_unknown_kind_is_reported_at_the_kind(self) -> None:
        """A misspelt question kind is reported at ``kind`` with the known kinds."""
        data = _with([*Q1, "kind"], "yesno")
        at_kind = [
            e for e in Q_VALIDATOR.iter_errors(data) if list(e.absolute_path) == [*Q1, "kind"]
        ]
        assert len(at_kind) == 1
        assert "yes_no" in at_kind[0].message


# -- the schema and the converter agree ------------------------------------------------------------


def _locations(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in *data*: each key of each mapping and each index of each list."""
    out = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            out.extend(_locations(value, (*path, key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out.extend(_locations(value, (*path, i)))
    return out


_VALUES: st.SearchStrategy[Any] = st.sampled_from(
    [
        None,
        True,
        False,
        0,
        3,
        2.5,
        -1,
        "",
        "x",
        "yes",
        "equal",
        "zero",
        "skipped",
        [],
        ["x"],
        [1],
        [True],
        {},
        {"en": "x"},
        {"kind": "equal"},
        {"kind": "sum", "x": 1},
        {"question": "q1", "equals": True},
        {"all": []},
        {"low": 0, "high": 1},
    ]
    # A copy per draw: the edits below change what they insert, and a list or dict shared with
    # the sample pool would make a replayed example differ from the first draw.
).map(copy.deepcopy)
_KEYS = st.sampled_from(
    [
        "zzz",
        "kind",
        "id",
        "question",
        "equals",
        "in",
        "gt",
        "all",
        "not",
        "weight",
        "reverse",
        "options",
        "scale",
        "when",
        "value",
        "points",
        "min",
        "label",
    ]
)


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


@st.composite
def _mutants(draw: st.DrawFn) -> dict[str, Any]:
    """SAMPLE with one or two random edits: a value replaced, a key removed or a key added."""
    data = copy.deepcopy(SAMPLE)
    for _ in range(draw(st.integers(1, 2))):
        places = _locations(data)
        path = draw(st.sampled_from(places))
        target = _get(data, path)
        action = draw(st.sampled_from(["replace", "remove", "add"]))
        if action == "add" and isinstance(target, dict):
            target[draw(_KEYS)] = draw(_VALUES)
        elif path and action in ("replace", "remove"):
            parent = _get(data, path[:-1])
            if action == "remove":
                del parent[path[-1]]
            else:
                parent[path[-1]] = draw(_VALUES)
    return data


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutants())
def test_schema_agrees_with_the_converter(data: dict[str, Any]) -> None:
    """For edited documents, the schema accepts exactly what the converter accepts."""
    schema_errors = _errors(Q_VALIDATOR, data)
    assert (not schema_errors) == _converter_accepts(data), schema_errors


# -- plugins -----------------------------------------------------------------------------------


@attrs.frozen
class PowerMean:
    """Generalised mean of order *p* (a test plugin)."""

    p: float
    clip: bool = False

    def aggregate(self, values: Any, weights: Any) -> float:
        return 0.0


@attrs.frozen
class Floor:
    """Counts a missing answer as *value* (a test plugin)."""

    value: float = 0.25

    def fill(self, values: Any, weights: Any) -> float | None:
        return self.value


class TestPlugins:
    @pytest.fixture
    def registry(self) -> weltoffen.Registry:
        registry = default_registry.copy()
        registry.register("aggregation", "test_power", PowerMean)
        registry.register("policy", "test_floor", Floor)
        return registry

    def test_registered_kinds_appear_with_their_parameters(
        self, registry: weltoffen.Registry
    ) -> None:
        """A plugin's kind and its attrs fields appear in the schema of its registry only."""
        validator = jsonschema.Draft202012Validator(questionnaire_schema(registry))
        ok = {
            "id": "q",
            "aggregation": {"kind": "test_power", "p": 2},
            "scoring": {"skipped": "test_floor"},
        }
        assert _errors(validator, ok) == []
        assert _errors(Q_VALIDATOR, ok)

    @pytest.mark.parametrize(
        "value",
        [
            "test_power",  # p is required, so the name alone is not enough
            {"kind": "test_power"},
            {"kind": "test_power", "p": "2"},
            {"kind": "test_power", "p": 2, "q": 1},
        ],
    )
    def test_plugin_parameters_are_checked(self, registry: weltoffen.Registry, value: Any) -> None:
        """Missing, mistyped or unknown parameters are rejected, by schema and converter alike."""
        validator = jsonschema.Draft202012Validator(questionnaire_schema(registry))
        data = {"id": "q", "aggregation": value}
        assert _errors(validator, data)
        with pytest.raises(DefinitionError):
            weltoffen.load_questionnaire(data=data, registry=registry, check=False)

    def test_plugin_document_loads(self, registry: weltoffen.Registry) -> None:
        """What the plugin schema accepts, the converter with that registry loads."""
        data = {
            "id": "q",
            "aggregation": {"kind": "test_power", "p": 2, "clip": True},
            "scoring": {"dont_know": {"kind": "test_floor", "value": 0.5}},
        }
        q = weltoffen.load_questionnaire(data=data, registry=registry, check=False)
        assert PowerMean(2.0, True) == q.aggregation


# -- responses -------------------------------------------------------------------------------------


class TestResponsesSchema:
    @pytest.mark.parametrize(
        "data",
        [RESPONSES, RESPONSES[0], {"responses": RESPONSES}, {"responses": RESPONSES[1]}, []],
        ids=["list", "one", "wrapped", "wrapped-one", "empty"],
    )
    def test_accepts_every_spelling(self, data: Any) -> None:
        """One response, a list, or ``{responses: ...}`` — as ``load_responses`` reads them."""
        assert _responses_accepted(data)
        assert _errors(R_VALIDATOR, data) == []

    def test_dumped_responses(self) -> None:
        """What ``dump_responses`` writes is valid."""
        dumped = yaml.safe_load(weltoffen.dump_responses(weltoffen.load_responses(data=RESPONSES)))
        assert _errors(R_VALIDATOR, dumped) == []

    @pytest.mark.parametrize(
        "data",
        [
            {"respondent": "r", "answer": {}},
            {"answers": {"q1": True}},
            {"respondent": "r", "answers": {"q1": [["nested"]]}},
            {"respondent": "r", "answers": {"q1": [True]}},
            {"respondent": "r", "answers": {"q1": {"a": 1}}},
            {"respondent": "r", "metadata": {"tags": ["a"]}},
            {"responses": RESPONSES, "extra": 1},
            {"responses": None},
            "r1",
        ],
        ids=[
            "unknown-key",
            "no-respondent",
            "nested-list",
            "list-of-bools",
            "mapping-answer",
            "list-metadata",
            "wrapper-extra",
            "wrapper-null",
            "text",
        ],
    )
    def test_rejects_mistakes(self, data: Any) -> None:
        """Malformed responses are rejected by the schema and by ``load_responses`` alike."""
        assert _errors(R_VALIDATOR, data)
        assert not _responses_accepted(data)


# -- generated questionnaires ------------------------------------------------------------------

try:
    from tests.strategies import questionnaires

    HAVE_STRATEGIES = True
except ImportError:  # the shared strategies module is optional for this file
    HAVE_STRATEGIES = False


@pytest.mark.skipif(not HAVE_STRATEGIES, reason="tests/strategies.py has no questionnaires()")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_dumped_generated_questionnaires_are_valid(data: st.DataObject) -> None:
    """Every generated questionnaire, dumped to YAML and read back as plain data, is valid."""
    questionnaire = data.draw(questionnaires(otherwise=True))
    dumped = yaml.safe_load(weltoffen.dump_questionnaire(questionnaire))
    assert _errors(Q_VALIDATOR, dumped) == []
