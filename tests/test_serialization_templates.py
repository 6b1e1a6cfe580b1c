"""Answer sheets: YAML sheets explain every question and load back; CSV sheets name the columns."""

from __future__ import annotations

import csv
import io
import re

import pytest
import yaml

from weltoffen import (
    DONT_KNOW,
    NOT_APPLICABLE,
    SKIPPED,
    AllOf,
    Compare,
    Equals,
    Includes,
    Not,
    OneOf,
    Response,
    compile,
    score,
)
from weltoffen.exceptions import ResponseError
from weltoffen.instruments import load_instrument
from weltoffen.model.questions import MultipleChoice, Numeric, ScaleQuestion, TextQuestion, YesNo
from weltoffen.serialization.api import load_responses
from weltoffen.serialization.csv import load_responses_csv
from weltoffen.serialization.guide import describe_condition, guide
from weltoffen.serialization.templates import (
    STANDARD_METADATA,
    MetaField,
    csv_template,
    sheet_columns,
    yaml_template,
)


@pytest.fixture(scope="module")
def kommune():
    return load_instrument("weltoffene-kommune", "1.0")


@pytest.fixture(scope="module")
def sheet(kommune):
    return yaml_template(kommune)


def _fill(sheet: str, answers: dict[str, str], respondent: str = "testort") -> str:
    """Write answers after their keys, as a person in a text editor would."""
    out = sheet.replace("respondent: ''", f"respondent: {respondent}")
    for qid, value in answers.items():
        out, count = re.subn(rf"^  {re.escape(qid)}:$", f"  {qid}: {value}", out, flags=re.M)
        assert count == 1, qid
    return out


class TestYamlSheet:
    def test_untouched_sheet_asks_for_the_respondent(self, sheet):
        """A sheet nobody filled in names no respondent, which every reader refuses."""
        with pytest.raises(ResponseError) as info:
            load_responses(text=sheet)

        (problem,) = info.value.problems
        assert (problem.path, problem.message) == ("respondent", "the respondent is empty")
        assert sheet.splitlines()[problem.line - 1] == "respondent: ''"

    def test_sheet_with_only_a_respondent_loads_as_one_all_skipped_response(self, kommune, sheet):
        """Every question is a key left empty, so it loads as skipped; metadata left blank is
        no metadata at all (a report must not show "None")."""
        (response,) = load_responses(text=_fill(sheet, {}))
        ids = [q.id for _, q in kommune.iter_questions()]
        assert list(response.answers) == ids
        assert set(response.answers.values()) == {SKIPPED}
        assert response.respondent == "testort"
        assert dict(response.metadata) == {}

    def test_sheet_without_answers_scores_as_not_assessable(self, kommune, sheet):
        (response,) = load_responses(text=_fill(sheet, {}))
        result = score(compile(kommune), response)
        assert result.score is None
        # every scored question (the 4 texts are unscored); follow-ups of unanswered leads hide
        assert result.counts["skipped"] + result.counts["hidden"] == 103
        assert result.counts["answered"] == 0

    def test_every_question_is_explained_above_its_key(self, kommune, sheet):
        """Each key is preceded by its id and text in a comment."""
        lines = sheet.splitlines()
        for _, q in kommune.iter_questions():
            at = lines.index(f"  {q.id}:")
            block = []
            for line in reversed(lines[:at]):
                if not line.strip():
                    break
                block.insert(0, line)
            assert block[0].startswith(f"  # {q.id}: ")
            assert all(line.lstrip().startswith("#") for line in block)
            words = " ".join(line.lstrip("# ").strip() for line in block)
            assert q.text["de"].split()[0] in words

    def test_allowed_answers_are_listed(self, sheet):
        block = sheet.split("  ms-05:")[0].rsplit("\n\n", 1)[1]
        for code in ("nicht-geregelt", "verteilt", "fachamt", "stabsstelle", "dont_know"):
            assert re.search(rf"#\s+{code}\s", block), code
        assert "not_applicable" not in block  # ms-05 does not offer it

    def test_not_applicable_is_offered_only_where_allowed(self, kommune, sheet):
        for _, q in kommune.iter_questions():
            block = sheet.split(f"\n  {q.id}:")[0].rsplit("\n\n", 1)[1]
            assert ("not_applicable" in block) == q.not_applicable, q.id

    def test_numeric_range_unit_condition_and_lists_are_described(self, sheet):
        ms04 = sheet.split("  ms-04:")[0].rsplit("\n\n", 1)[1]
        assert "mindestens 0" in ms04
        assert "VZÄ" in ms04
        assert "Nur ausfüllen, wenn ms-03 = true (ja)" in ms04
        ms08 = sheet.split("  ms-08:")[0].rsplit("\n\n", 1)[1]
        assert "Liste von Werten" in ms08

    def test_dimensions_are_headed_in_order(self, kommune, sheet):
        positions = [sheet.index(f"({d.id})") for _, d in kommune.iter_dimensions()]
        assert positions == sorted(positions)
        assert "# 3.1 Bildung (bildung)" in sheet

    def test_english_sheet(self, kommune):
        text = yaml_template(kommune, language="en", respondent="x")
        assert "Answer with one of these values:" in text
        assert "Only if ms-03 = true (yes)" in text
        assert load_responses(text=_fill(text, {}))[0].answers["ms-01"] is SKIPPED

    def test_filled_sheet_scores(self, kommune, sheet):
        filled = _fill(
            sheet,
            {
                "ms-01": "true",
                "ms-02": "weitgehend",
                "ms-03": "ja",
                "ms-04": "1.5",
                "ms-05": "stabsstelle",
                "ms-06": "regelmaessig",
                "ms-07": "dont_know",
                "ms-08": "[bevoelkerung, kita-schule]",
                "ms-14": '"Ratsbeschluss 2021"',
                "fz-bi-02": "not_applicable",
            },
        )
        (response,) = load_responses(text=filled)
        assert response.respondent == "testort"
        assert response.answers["ms-08"] == ("bevoelkerung", "kita-schule")
        assert response.answers["ms-07"] is DONT_KNOW
        assert response.answers["fz-bi-02"] is NOT_APPLICABLE
        result = score(compile(kommune), response)
        ms = result.dimension("management-steuerung")
        assert ms.score is not None
        assert ms.counts["answered"] == 7
        assert result.texts == {"ms-14": "Ratsbeschluss 2021"}

    def test_mistake_in_filled_sheet_names_its_line(self, kommune, sheet):
        filled = _fill(sheet, {"ms-08": "{a: 1}"})
        line = filled.splitlines().index("  ms-08: {a: 1}") + 1
        with pytest.raises(ResponseError) as info:
            load_responses(text=filled)
        assert [p.line for p in info.value.problems] == [line]

    def test_filled_from_a_response_round_trips(self, kommune):
        """A response rendered as a sheet loads back equal (answers, metadata, respondent)."""
        response = Response(
            respondent="Ort: mit Doppelpunkt",
            answers={
                "ms-01": True,
                "ms-04": 2.5,
                "ms-08": ("bevoelkerung",),
                "ms-07": DONT_KNOW,
                "ms-14": "Text mit # Raute und: Doppelpunkt\nund zweiter Zeile",
                "fz-bi-02": NOT_APPLICABLE,
                "ms-05": "yes",  # a string that YAML would otherwise read as true
            },
            metadata={"name": "Testort", "population": 1200, "date": "2024-01-02", "extra": "x"},
        )
        (back,) = load_responses(text=yaml_template(kommune, response=response))
        assert back.respondent == response.respondent
        assert {k: v for k, v in back.answers.items() if v is not SKIPPED} == dict(response.answers)
        assert {k: v for k, v in back.metadata.items() if v is not None} == dict(response.metadata)

    def test_questionnaire_without_metadata_fields(self, kommune):
        text = yaml_template(kommune, metadata=(), respondent="x")
        assert "metadata: {}" in text
        assert load_responses(text=_fill(text, {}))[0].metadata == {}

    def test_declared_metadata_is_asked_for(self, kommune):
        """The sheet has a key for each (left blank, it loads as no metadata at all)."""
        sheet = yaml.safe_load(yaml_template(kommune, respondent="x"))
        assert list(sheet["metadata"]) == [f.key for f in kommune.metadata]
        assert "type" in sheet["metadata"]
        (response,) = load_responses(text=yaml_template(kommune, respondent="x"))
        assert dict(response.metadata) == {}

    def test_questionnaires_declaring_none_get_standard_metadata(self, kommune):
        import attrs

        other = attrs.evolve(kommune, metadata=())
        sheet = yaml.safe_load(yaml_template(other, respondent="x"))
        assert list(sheet["metadata"]) == [f.key for f in STANDARD_METADATA]

    def test_sheet_is_valid_yaml_whatever_the_texts(self, kommune):
        """Texts with YAML syntax only ever appear inside comments."""
        import attrs

        dim = kommune.dimensions[0]
        tricky = attrs.evolve(
            dim.questions[0],
            text={"de": "- a: [b, c] # { d: e } 'f' \"g\" &h *i !j"},
            help={"de": "---\n...\nk: l"},
        )
        q = attrs.evolve(
            kommune, dimensions=(attrs.evolve(dim, questions=(tricky, *dim.questions[1:])),)
        )
        data = yaml.safe_load(yaml_template(q))
        assert data["answers"]["ms-01"] is None


class TestGuide:
    def test_one_section_per_dimension_with_its_questions(self, kommune):
        sections = guide(kommune)
        assert [s.id for s in sections] == [d.id for _, d in kommune.iter_dimensions()]
        assert sum(len(s.questions) for s in sections) == 107
        assert [s.number for s in sections[:5]] == ["1", "2", "3", "3.1", "3.2"]

    def test_codes_per_question_kind(self, kommune):
        by_id = {qg.id: qg for s in guide(kommune) for qg in s.questions}
        for _, q in kommune.iter_questions():
            codes = [c for c, _ in by_id[q.id].options]
            if isinstance(q, YesNo):
                assert codes == ["true", "false"]
            elif isinstance(q, ScaleQuestion):
                assert len(codes) == 5
            elif isinstance(q, Numeric | TextQuestion):
                assert codes == []
            assert by_id[q.id].multiple == isinstance(q, MultipleChoice)

    def test_spreadsheet_codes(self, kommune):
        by_id = {qg.id: qg for s in guide(kommune, "de", spreadsheet=True) for qg in s.questions}
        assert [c for c, _ in by_id["ms-01"].options] == ["ja", "nein"]
        assert "bevoelkerung;kita-schule" in by_id["ms-08"].intro


class TestDescribeCondition:
    @pytest.mark.parametrize(
        ("condition", "expected"),
        [
            (Equals("q1", True), "q1 = true (yes)"),
            (Equals("q1", "a"), "q1 = a"),
            (OneOf("q1", ("a", "b", "c")), "q1 = a, b or c"),
            (Includes("q1", "x"), "q1 includes x"),
            (Compare("q1", "ge", 2.5), "q1 >= 2.5"),
            (Not(Equals("q1", False)), "not (q1 = false (no))"),
            (
                AllOf((Equals("a", 1), OneOf("b", ("x",)))),
                "a = 1 and b = x",
            ),
        ],
    )
    def test_in_words(self, condition, expected):
        assert expected == describe_condition(condition, "en")


class TestCsvSheet:
    def test_header_columns(self, kommune):
        header = next(csv.reader(io.StringIO(csv_template(kommune))))
        assert header == sheet_columns(kommune)
        assert header[:3] == ["respondent", "meta.name", "meta.type"]
        assert header[-1] == "kk-10"
        assert len(header) == 1 + 6 + 107

    def test_template_loads_back_empty_and_filled(self, kommune, tmp_path):
        path = tmp_path / "sheet.csv"
        path.write_text(csv_template(kommune), encoding="utf-8")
        assert load_responses_csv(path, kommune) == []
        columns = sheet_columns(kommune)
        row = dict.fromkeys(columns, "")
        row.update(
            {"respondent": "a", "meta.type": "landkreis", "ms-01": "ja", "ms-08": "wohnen;personal"}
        )
        path.write_text(
            csv_template(kommune) + ",".join(row[c] for c in columns) + "\n", encoding="utf-8"
        )
        (response,) = load_responses_csv(path, kommune)
        assert response.metadata == {"type": "landkreis"}
        assert response.answers == {"ms-01": "ja", "ms-08": ("wohnen", "personal")}
        assert (
            score(compile(kommune), response).dimension("management-steuerung").counts["answered"]
            == 2
        )

    def test_custom_metadata_columns(self, kommune):
        fields = (MetaField(key="role"),)
        assert sheet_columns(kommune, fields)[:2] == ["respondent", "meta.role"]
