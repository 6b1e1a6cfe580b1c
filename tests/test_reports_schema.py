"""The published JSON Schema of results: it accepts what weltoffen writes and refuses the rest."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import given, settings

from tests.helpers import check_result, result_errors
from tests.strategies import questionnaire_and_responses
from weltoffen import (
    DefinitionError,
    Questionnaire,
    Response,
    compile,
    dump_result,
    load_questionnaire,
    load_responses,
    load_result,
    score,
)
from weltoffen.analysis.cohort_json import CohortResultView
from weltoffen.cli import main
from weltoffen.reports import result_view, result_views
from weltoffen.reports.schema import KINDS, results_schema
from weltoffen.reports.views import BandLabelView, DimensionView, ResultView, TraceItemView
from weltoffen.result_format import FORMAT_KEY, RESULT_FORMAT, plain, readable

ROOT = Path(__file__).resolve().parent.parent
BASIC = ROOT / "examples" / "basic"
KOMMUNE = ROOT / "examples" / "weltoffene-kommune"
RELIABILITY = ROOT / "tests" / "fixtures" / "reliability"
PLAN = compile(load_questionnaire(BASIC / "questionnaire.yaml"))
RESULTS = [score(PLAN, r, trace=True) for r in load_responses(BASIC / "responses.yaml")]

#: Every command that writes JSON, with arguments that reach its optional parts.
Q, R = str(BASIC / "questionnaire.yaml"), str(BASIC / "responses.yaml")
COHORT = str(KOMMUNE / "cohort.yaml")
COMMANDS: dict[str, tuple[str, list[str]]] = {
    "score": ("score", ["score", Q, R]),
    "score --trace": ("score", ["score", Q, str(BASIC / "responses.csv"), "--trace"]),
    "cohort": (
        "cohort",
        [
            "cohort",
            "--instrument",
            "weltoffene-kommune",
            "--version",
            "1.0",
            COHORT,
            "--group-by",
            "type+size",
        ],
    ),
    "cohort --normalise": ("cohort", ["cohort", Q, R, "--min-group", "3", "--normalise", "zscore"]),
    "cohort --earlier": (
        "cohort",
        [
            "cohort",
            "--instrument",
            "weltoffene-kommune",
            str(KOMMUNE / "runde-2" / "cohort.yaml"),
            "--earlier",
            f"{COHORT}@1.0",
            "--min-group",
            "38",  # some dimensions suppressed, some not
        ],
    ),
    "cohort untraced groups": (
        "cohort",
        ["cohort", Q, R, "--min-group", "1", "--group-by", "team"],
    ),
    "sensitivity": ("sensitivity", ["sensitivity", Q, R, "--draws", "8"]),
    "validate": ("validation", ["validate", Q]),
    "reliability": (
        "reliability",
        [
            "reliability",
            str(RELIABILITY / "questionnaire.yaml"),
            str(RELIABILITY / "responses.csv"),
        ],
    ),
}


def written(argv: list[str], capsys: pytest.CaptureFixture[str]) -> Any:
    assert main([*argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


SCHEMA = results_schema()


class TestTheSchema:
    def test_is_a_valid_draft_2020_12_schema(self) -> None:
        jsonschema.Draft202012Validator.check_schema(SCHEMA)

    def test_names_every_kind(self) -> None:
        assert [f"#/$defs/{k}" for k in KINDS] == [s["$ref"] for s in SCHEMA["anyOf"]]

    def test_the_command_prints_it(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["schema", "--results"]) == 0
        assert json.loads(capsys.readouterr().out) == results_schema()

    def test_responses_and_results_exclude_each_other(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        with pytest.raises(SystemExit):
            main(["schema", "--responses", "--results"])
        assert "not allowed with argument" in capsys.readouterr().err


class TestEveryJsonOutput:
    @pytest.mark.parametrize("name", COMMANDS)
    def test_is_a_valid_result_of_its_kind(
        self, name: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        kind, argv = COMMANDS[name]
        data = written(argv, capsys)

        check_result(data, kind)
        first = data[0] if isinstance(data, list) else data
        assert next(iter(first)) == FORMAT_KEY

    @pytest.mark.parametrize("name", COMMANDS)
    def test_fits_no_other_kind(self, name: str, capsys: pytest.CaptureFixture[str]) -> None:
        """Objects are closed, so a result of one kind is refused as another."""
        kind, argv = COMMANDS[name]
        data = written(argv, capsys)

        assert [k for k in KINDS if not result_errors(data, k)] == [kind]

    def test_validate_with_problems_and_warnings(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        broken = tmp_path / "q.yaml"
        broken.write_text(
            "id: x\ndimensions:\n- id: d\n  weight: -1\n  questions:\n  - {id: a, kind: yes_no}\n"
            "  - {id: a, kind: yes_no}\n",
            encoding="utf-8",
        )

        assert main(["validate", str(broken), "--format", "json"]) == 1
        data = json.loads(capsys.readouterr().out)

        check_result(data, "validation")
        assert (data["valid"], len(data["problems"]) >= 2) == (False, True)

    def test_normalised_part_present_only_when_asked(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert "normalised" in written(COMMANDS["cohort --normalise"][1], capsys)
        assert "normalised" not in written(COMMANDS["cohort untraced groups"][1], capsys)


class TestDumpedResults:
    def test_one_and_many(self) -> None:
        one = json.loads(dump_result(RESULTS[0]))
        many = json.loads(dump_result(RESULTS))

        check_result(one, "result")
        check_result(many, "result")
        assert (next(iter(one)), one[FORMAT_KEY]) == (FORMAT_KEY, RESULT_FORMAT)

    def test_load_reads_files_with_and_without_the_format(self) -> None:
        with_format = json.loads(dump_result(RESULTS))
        without = [{k: v for k, v in r.items() if k != FORMAT_KEY} for r in with_format]

        assert load_result(text=json.dumps(with_format)) == RESULTS
        assert load_result(text=json.dumps(without)) == RESULTS
        assert (
            load_result(text=dump_result(RESULTS[1], format="yaml"), format="yaml") == (RESULTS[1])
        )

    def test_a_later_minor_version_is_read(self) -> None:
        data = {**json.loads(dump_result(RESULTS[0])), FORMAT_KEY: "1.7"}

        assert load_result(text=json.dumps(data)) == RESULTS[0]
        assert result_errors(data, "result") == []

    @pytest.mark.parametrize("version", ["2.0", "0.9", "1", "1.0.1", 1.0, None])
    def test_another_major_version_is_refused(self, version: object) -> None:
        data = [json.loads(dump_result(r)) for r in RESULTS[:2]]
        data[1][FORMAT_KEY] = version

        with pytest.raises(DefinitionError) as caught:
            load_result(text=json.dumps(data))

        assert [(p.path, p.got) for p in caught.value.problems] == [
            ("[1].result_format", repr(version))
        ]
        assert result_errors(data, "result") != []
        assert not readable(version)


def _broken(data: Any, where: list[str | int], change: str) -> Any:
    """*data* with the value at *where* removed (``"drop"``) or given a wrong type."""
    out = copy.deepcopy(data)
    parent = out
    for key in where[:-1]:
        parent = parent[key]
    if change == "drop":
        del parent[where[-1]]
    else:
        parent[where[-1]] = "a text" if not isinstance(parent[where[-1]], str) else 12
    return out


#: A field of each kind that every result of that kind has, to break.
FIELDS: list[tuple[str, str, list[str | int]]] = [
    ("score", "score", [0, "respondent"]),
    ("score", "score", [0, FORMAT_KEY]),
    ("score", "score --trace", [0, "dimensions", 0, "items", 0, "effective_weight"]),
    ("score", "score", [0, "dimensions", 1, "dimensions", 0, "applicable"]),
    ("score", "score", [1, "band", "label"]),
    ("cohort", "cohort", [FORMAT_KEY]),
    ("cohort", "cohort", ["dimensions", 0, "members", 0, "rank"]),
    ("cohort", "cohort", ["methods", "rank"]),
    ("cohort", "cohort --normalise", ["normalised", "dimensions", 0, "members", 0, "value"]),
    ("sensitivity", "sensitivity", [FORMAT_KEY]),
    ("sensitivity", "sensitivity", ["respondents", 0, "overall", "median"]),
    ("reliability", "reliability", ["reliability", "dimensions", 0, "respondents"]),
    ("reliability", "reliability", ["quality", "settings", "min_coverage"]),
    ("validation", "validate", ["valid"]),
    ("validation", "validate", ["questions"]),
]


class TestBrokenResultsAreRefused:
    @pytest.mark.parametrize(("kind", "name", "where"), FIELDS)
    @pytest.mark.parametrize("change", ["drop", "retype"])
    def test_a_missing_or_mistyped_field(
        self,
        kind: str,
        name: str,
        where: list[str | int],
        change: str,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        data = written(COMMANDS[name][1], capsys)
        assert result_errors(data, kind) == []

        assert result_errors(_broken(data, where, change), kind) != []

    def test_an_unknown_field(self) -> None:
        data = [result_view(PLAN, RESULTS[0]).plain()]
        data[0]["dimensions"][0]["colour"] = "red"

        assert result_errors(data, "score") != []

    def test_a_dumped_result_without_its_scores(self) -> None:
        data = json.loads(dump_result(RESULTS[0]))
        del data["max_points"]

        assert result_errors(data, "result") != []


class TestTypedViews:
    def test_plain_form_is_the_plain_function(self) -> None:
        views = result_views(PLAN, RESULTS)

        assert [v.plain() for v in views] == plain(views)

    def test_attributes_are_the_json_fields(self) -> None:
        view = result_view(PLAN, RESULTS[1])
        data = view.plain()

        assert (view.score, view.band.label if view.band else None) == (
            data["score"],
            data["band"]["label"],
        )
        assert [d.id for d in view.dimensions] == [d["id"] for d in data["dimensions"]]
        assert view.result_format == RESULT_FORMAT

    def test_views_are_hashable_and_share_no_dict_with_the_result(self) -> None:
        views = result_views(PLAN, RESULTS)

        assert len({*views, *result_views(PLAN, RESULTS)}) == len(RESULTS)
        with pytest.raises(TypeError):
            views[0].counts["answered"] = 0  # type: ignore[index]


@settings(max_examples=20)  # generating questionnaires is the slow part
@given(questionnaire_and_responses(count=2))
def test_every_generated_result_fits_the_schema(
    generated: tuple[Questionnaire, list[Response]],
) -> None:
    """Whatever the questionnaire, its views and dumped results are valid results."""
    questionnaire, answers = generated
    plan = compile(questionnaire)
    for trace in (False, True):
        results = [score(plan, r, trace=trace) for r in answers]
        check_result([v.plain() for v in result_views(plan, results)], "score")
        check_result(json.loads(dump_result(results)), "result")


class TestDocumented:
    """Every field of the score and cohort JSON is named in docs/cli.md, result_format first."""

    TEXT = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")

    @pytest.mark.parametrize(
        ("anchor", "views"),
        [
            ("{#score-json}", (ResultView, DimensionView, TraceItemView, BandLabelView)),
            ("{#cohort-json}", (CohortResultView,)),
        ],
    )
    def test_every_field_is_in_the_field_lists(self, anchor: str, views: tuple[type, ...]) -> None:
        start = self.TEXT.index(anchor)
        section = self.TEXT[start : self.TEXT.index("\n## ", start)]
        rows = "\n".join(line for line in section.splitlines() if line.startswith("| `"))

        missing = [
            f"{v.__name__}.{f.name}"
            for v in views
            for f in attrs.fields(v)
            if f"`{f.name}`" not in rows
        ]
        assert missing == []
