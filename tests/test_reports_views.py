"""The language-resolved views of results (weltoffen.reports.views), the text table and the CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings

from weltoffen import (
    Band,
    Dimension,
    Questionnaire,
    Response,
    ScoringError,
    TextQuestion,
    YesNo,
    compile,
    load_questionnaire,
    load_responses,
    score,
)
from weltoffen.reports import format_csv, format_table, result_view, result_views

from .strategies import questionnaire_and_responses

EXAMPLE = Path(__file__).parent.parent / "examples" / "basic"
QUESTIONNAIRE = load_questionnaire(EXAMPLE / "questionnaire.yaml")
PLAN = compile(QUESTIONNAIRE)
RESPONSES = {r.respondent: r for r in load_responses(EXAMPLE / "responses.yaml")}

RESULT_KEYS = {
    "result_format",
    "respondent",
    "instrument",
    "version",
    "fingerprint",
    "title",
    "language",
    "score",
    "points",
    "max_points",
    "coverage",
    "band",
    "counts",
    "status",
    "note",
    "texts",
    "metadata",
    "dimensions",
}
DIMENSION_KEYS = {
    "id",
    "title",
    "score",
    "points",
    "max_points",
    "coverage",
    "band",
    "applicable",
    "counts",
    "status",
    "note",
    "dimensions",
}
ITEM_KEYS = {
    "question",
    "text",
    "state",
    "value",
    "points",
    "max_points",
    "score",
    "weight",
    "effective_weight",
    "contribution",
    "note",
}
BAND_KEYS = {"id", "label", "feedback", "suggestions"}
COUNT_KEYS = {"answered", "dont_know", "not_applicable", "skipped", "hidden"}


def view_of(respondent: str, trace: bool = False, language: str | None = None) -> dict[str, Any]:
    return result_view(PLAN, score(PLAN, RESPONSES[respondent], trace=trace), language).plain()


def walk(dimensions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every dimension view, depth first."""
    return [v for d in dimensions for v in [d, *walk(d["dimensions"])]]


class TestStructure:
    def test_top_level_fields(self) -> None:
        """The documented fields, and nothing else."""
        view = view_of("ben")

        assert set(view) == RESULT_KEYS
        assert set(view["band"]) == BAND_KEYS
        assert set(view["counts"]) == COUNT_KEYS

    def test_dimension_fields_recursively(self) -> None:
        dims = walk(view_of("ben")["dimensions"])

        assert [d["id"] for d in dims] == ["workload", "support", "leadership", "growth"]
        assert all(set(d) == DIMENSION_KEYS for d in dims)

    def test_items_only_when_traced(self) -> None:
        """Traced results carry each dimension's own questions, with the item fields."""
        untraced = walk(view_of("ben")["dimensions"])
        traced = walk(view_of("ben", trace=True)["dimensions"])

        assert not any("items" in d for d in untraced)
        assert [[i["question"] for i in d["items"]] for d in traced] == [
            ["manageable", "late-evenings", "overtime", "holidays"],
            ["ask-for-help"],
            ["one-to-one", "one-to-one-useful", "feedback-style"],
            ["learning", "next-step", "training-budget", "wish"],
        ]
        assert all(set(i) == ITEM_KEYS for d in traced for i in d["items"])

    def test_plain_json(self) -> None:
        """A view goes through json unchanged: only dicts, lists, strings, numbers, null."""
        view = view_of("ada", trace=True)

        assert json.loads(json.dumps(view)) == view


class TestContent:
    def test_numbers_are_copied_unrounded(self) -> None:
        result = score(PLAN, RESPONSES["ben"])
        view = result_view(PLAN, result).plain()

        assert (view["score"], view["coverage"], view["points"], view["max_points"]) == (
            result.score,
            result.coverage,
            result.points,
            result.max_points,
        )
        assert view["coverage"] == pytest.approx(13 / 15)

    def test_texts_resolved(self) -> None:
        view = view_of("ben")

        assert view["title"] == "Team wellbeing check"
        assert view["band"] == {
            "id": "strained",
            "label": "Under strain",
            "feedback": "Several things weigh on the team at once. Pick the one that hurts most "
            "and agree on a first small change before the next check.",
            "suggestions": [
                "Talk through the lowest-scoring dimension in the next team meeting.",
                "Ask the team lead to join that conversation.",
            ],
        }
        workload = view["dimensions"][0]
        assert (workload["title"], workload["band"]["label"]) == ("Workload and pace", "Holding up")

    def test_not_assessable_dimension(self) -> None:
        """No score means no band, and the note says why."""
        workload = view_of("cleo")["dimensions"][0]

        assert (workload["score"], workload["band"]) == (None, None)
        assert workload["note"] == "not assessable: coverage 40% is below the minimum 50%"
        assert workload["status"] == "not_assessable"

    def test_item_values_and_states(self) -> None:
        growth = view_of("ben", trace=True)["dimensions"][2]
        by_id = {i["question"]: i for i in growth["items"]}

        assert by_id["learning"]["state"] == "skipped"
        assert by_id["learning"]["value"] is None
        assert by_id["next-step"]["text"] == "I know what my next development step is."
        assert by_id["next-step"]["value"] == "disagree"

    def test_multiple_choice_value_is_a_list(self) -> None:
        growth = view_of("ada", trace=True)["dimensions"][2]

        assert growth["items"][0]["value"] == ["course", "mentoring"]

    def test_free_text_with_its_question(self) -> None:
        assert view_of("ada")["texts"] == [
            {
                "question": "wish",
                "text": "What would help you most right now?",
                "answer": "More quiet time for focused work.",
            }
        ]

    def test_free_texts_in_questionnaire_order(self) -> None:
        """Texts follow the questionnaire, not the order answers happen to be written in."""
        two = Questionnaire(
            id="two",
            dimensions=(
                Dimension(
                    id="d",
                    questions=(YesNo(id="q"), TextQuestion(id="first"), TextQuestion(id="second")),
                ),
            ),
        )
        result = score(
            compile(two), Response(respondent="x", answers={"second": "b", "first": "a", "q": True})
        )

        assert [t["question"] for t in result_view(two, result).plain()["texts"]] == [
            "first",
            "second",
        ]

    def test_language_falls_back_to_the_default(self) -> None:
        """A language the texts lack shows the default language, and the view says which."""
        german = attrs.evolve(QUESTIONNAIRE, title={"en": "Team check", "de": "Teamcheck"})
        view = result_view(german, score(PLAN, RESPONSES["ada"]), "de").plain()

        assert (view["language"], view["title"]) == ("de", "Teamcheck")
        assert view["dimensions"][0]["title"] == "Workload and pace"

    def test_result_of_another_questionnaire(self) -> None:
        other = Questionnaire(
            id="other",
            dimensions=(Dimension(id="d", questions=(YesNo(id="q"),)),),
        )
        result = score(compile(other), Response(respondent="x", answers={"q": True}))

        with pytest.raises(ScoringError) as caught:
            result_view(PLAN, result)

        assert "'x': the result is of another questionnaire" in str(caught.value)

    def test_views_of_many_results(self) -> None:
        results = [score(PLAN, r) for r in RESPONSES.values()]

        assert result_views(QUESTIONNAIRE, results) == [result_view(PLAN, r) for r in results]


@settings(max_examples=20)  # generating questionnaires is the slow part
@given(questionnaire_and_responses(count=2))
def test_every_generated_result_has_the_documented_shape(
    generated: tuple[Questionnaire, list[Response]],
) -> None:
    """Whatever the questionnaire, each view and dimension holds the documented fields."""
    questionnaire, answers = generated
    plan = compile(questionnaire)

    for typed in result_views(plan, [score(plan, r, trace=True) for r in answers]):
        view = typed.plain()
        assert set(view) == RESULT_KEYS
        for dim in walk(view["dimensions"]):
            assert set(dim) == DIMENSION_KEYS | {"items"}
            assert dim["band"] is None or set(dim["band"]) == BAND_KEYS
        json.dumps(view)


class TestTable:
    def test_one_result(self) -> None:
        """The dimension tree, indented, with score, band, coverage and points."""
        table = format_table(PLAN, score(PLAN, RESPONSES["ben"]))

        assert table == (
            "team-wellbeing 1.0 · ben\n"
            "Dimension                    Score  Band             Coverage  Points\n"
            "Overall                       32.2  Under strain          87%  12.6/30\n"
            "  Workload and pace           53.8  Holding up            80%  8.6/17\n"
            "  Support and collaboration   25.0  Needs attention      100%  2/5\n"
            "    Leadership                 0.0  -                    100%  0/1\n"
            "  Learning and growth         25.0  Needs attention       67%  2/8\n"
        )

    def test_many_results_in_blocks(self) -> None:
        table = format_table(PLAN, [score(PLAN, r) for r in RESPONSES.values()])

        assert [b.split("\n")[0] for b in table.split("\n\n")] == [
            f"team-wellbeing 1.0 · {name}" for name in ("ada", "ben", "cleo", "dev")
        ]

    def test_not_assessable_shows_the_note(self) -> None:
        table = format_table(PLAN, score(PLAN, RESPONSES["cleo"]))

        assert (
            "  Workload and pace              -  -                40%  2/17  "
            "(not assessable: coverage 40% is below the minimum 50%)"
        ) in table.splitlines()

    def test_trace_lists_questions_under_their_dimension(self) -> None:
        lines = format_table(PLAN, score(PLAN, RESPONSES["ben"], trace=True)).splitlines()
        start = lines.index("  Workload and pace           53.8  Holding up            80%  8.6/17")

        assert lines[start + 1 : start + 5] == [
            "    · manageable = agree: 75.0 (3/4 points), weight 2, effective 50.0%, adds 37.5",
            "    · late-evenings = often: 25.0 (1/4 points), weight 1, effective 25.0%, adds 6.2",
            "    · overtime = 6: 40.0 (1.6/4 points), weight 1, effective 25.0%, adds 10.0",
            "    · holidays: dont_know (dont_know: left out, weights renormalised (Exclude))",
        ]

    def test_long_titles_are_cut(self) -> None:
        long = attrs.evolve(
            QUESTIONNAIRE,
            dimensions=(
                attrs.evolve(QUESTIONNAIRE.dimensions[0], title={"en": "W" * 80}),
                *QUESTIONNAIRE.dimensions[1:],
            ),
        )
        lines = format_table(long, score(PLAN, RESPONSES["ada"])).splitlines()

        assert lines[3].startswith("  " + "W" * 45 + "…  100.0")

    def test_bands_without_labels_show_their_id(self) -> None:
        plain = attrs.evolve(
            QUESTIONNAIRE,
            bands=(Band(id="low", min=0, max=50), Band(id="high", min=50, max=100)),
        )
        plan = compile(plain)

        assert "Overall                       91.7  high" in format_table(
            plan, score(plan, RESPONSES["ada"])
        )


class TestFlatCsv:
    def test_columns_and_rows(self) -> None:
        results = [score(PLAN, r) for r in RESPONSES.values()]

        rows = list(csv.reader(io.StringIO(format_csv(results))))

        dims = ["workload", "support", "leadership", "growth"]
        assert rows[0] == [
            "respondent",
            "score",
            "coverage",
            "band",
            *[f"{d}.{part}" for d in dims for part in ("score", "coverage", "band")],
            "meta.role",
            "meta.team",
            "instrument",
            "version",
            "fingerprint",
        ]
        ben = score(PLAN, RESPONSES["ben"])
        assert rows[2][:7] == [
            "ben",
            "32.1875",
            repr(ben.coverage),
            "strained",
            "53.75",
            "0.8",
            "medium",
        ]
        assert len(rows) == 5
        assert rows[2][-3:] == [PLAN.questionnaire.id, PLAN.questionnaire.version, PLAN.fingerprint]

    def test_missing_values_are_empty_cells(self) -> None:
        """No score and no band are empty cells; numbers stay unrounded."""
        (row,) = csv.DictReader(io.StringIO(format_csv([score(PLAN, RESPONSES["cleo"])])))

        assert (row["workload.score"], row["workload.band"], row["workload.coverage"]) == (
            "",
            "",
            "0.4",
        )

    def test_semicolon_separated(self) -> None:
        text = format_csv([score(PLAN, RESPONSES["ada"])], delimiter=";")

        assert text.startswith("respondent;score;coverage;band;workload.score")
