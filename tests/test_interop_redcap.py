"""REDCap data dictionaries and record exports: what maps, what is reported, what is refused."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from weltoffen import DONT_KNOW, SKIPPED, compile, score
from weltoffen.exceptions import DefinitionError, Problem, ProblemCode, ResponseError
from weltoffen.interop import Fidelity, default_formats
from weltoffen.interop.redcap import (
    read_questionnaire,
    read_responses,
    write_questionnaire,
    write_responses,
)
from weltoffen.interop.redcap.columns import COLUMNS
from weltoffen.model.conditions import AllOf, AnyOf, Compare, Equals, Includes
from weltoffen.model.dimensions import Dimension
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import (
    Choice,
    MultipleChoice,
    Numeric,
    Option,
    Question,
    ScaleQuestion,
    YesNo,
)
from weltoffen.strategies import SumOfPoints, Zero

FIXTURES = Path(__file__).parent / "fixtures" / "redcap"
EVERY_TYPE = FIXTURES / "every_type.csv"
RECORDS = FIXTURES / "every_type_records.csv"
HBN = "redcap/reproschema-py__redcap_hbn_sample.csv"
DEPRESSION = [f"pex_bm_apa2_depr_00{i}" for i in range(1, 9)]


def findings_of(imported, name: str) -> list:  # type: ignore[no-untyped-def]
    return [f for f in imported.report.findings if f.source_id == name]


def write_csv(path: Path, rows: list[list[str]], bom: bool = False) -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + out.getvalue().encode("utf-8"))
    return path


def rows_of(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


class TestFieldTypes:
    """Every field type of the fixture is mapped, or reported by name."""

    imported = read_questionnaire(EVERY_TYPE)
    questions: ClassVar[dict[str, Question]] = {
        q.id: q for _, q in imported.questionnaire.iter_questions()
    }

    def test_every_field_has_a_finding(self) -> None:
        names = [row[0] for row in rows_of(EVERY_TYPE)[1:]]
        for name in names:
            assert findings_of(self.imported, name), name

    def test_choices_with_numeric_codes_score_by_their_codes(self) -> None:
        mood = self.questions["mood"]
        assert isinstance(mood, ScaleQuestion)
        assert [(o.value, o.points) for o in mood.options] == [("0", 0), ("1", 1), ("2", 2)]
        assert mood.scored
        assert mood.dont_know
        sleep = self.questions["sleep"]
        assert isinstance(sleep, Choice)
        assert sleep.scored
        assert mood.help == {"en": "In the last week"}

    def test_missing_codes_are_no_options_and_are_reported(self) -> None:
        reported = [f.message for f in findings_of(self.imported, "mood")]
        assert any("999" in m and "dont_know" in m for m in reported)
        assert any("777" in m and "skipped" in m for m in reported)

    def test_negative_codes_are_negative_points(self, tmp_path: Path) -> None:
        rows = rows_of(EVERY_TYPE)
        rows[7][5] = "-1, Better | 0, Same | 1, Worse"  # sleep
        got = read_questionnaire(write_csv(tmp_path / "x.csv", rows))
        sleep = next(q for _, q in got.questionnaire.iter_questions() if q.id == "sleep")
        assert isinstance(sleep, Choice)
        assert [o.points for o in sleep.options] == [-1, 0, 1]

    def test_codes_that_are_no_numbers_leave_the_question_unscored(self) -> None:
        colour = self.questions["colour"]
        assert not colour.scored
        (finding,) = [f for f in findings_of(self.imported, "colour") if f.construct == "field"]
        assert finding.fidelity is Fidelity.APPROXIMATED
        assert "ABC" in finding.message

    def test_yes_no_true_false_checkbox_slider(self) -> None:
        assert isinstance(self.questions["smokes"], YesNo)
        assert isinstance(self.questions["agrees"], YesNo)
        pets = self.questions["pets"]
        assert isinstance(pets, MultipleChoice)
        assert not pets.scored
        assert [o.value for o in pets.options] == ["1", "2", "ABC"]
        pain = self.questions["pain"]
        assert isinstance(pain, Numeric)
        assert (pain.minimum, pain.maximum) == (0, 10)

    def test_forms_with_nothing_to_score_become_metadata(self) -> None:
        keys = [m.key for m in self.imported.questionnaire.metadata]
        assert keys == ["age", "visit_date", "email", "comments"]

    @pytest.mark.parametrize("name", ["photo", "intro", "lookup"])
    def test_fields_without_answers_are_dropped_by_name(self, name: str) -> None:
        (finding,) = findings_of(self.imported, name)
        assert finding.fidelity is Fidelity.DROPPED
        assert finding.line is not None
        assert name not in self.questions

    def test_a_sum_calc_becomes_a_summed_dimension(self) -> None:
        plan = compile(self.imported.questionnaire)
        node = plan.node("mood_total")
        assert isinstance(node.aggregation, SumOfPoints)
        assert (node.skipped, node.dont_know) == (Zero(), Zero())
        assert [plan.questions[i].question.id for i in node.questions] == ["mood", "sleep"]
        messages = [f.message for f in findings_of(self.imported, "mood_total")]
        assert any("reads 'mood' with its missing-value codes" in m for m in messages)

    def test_a_flag_on_a_total_becomes_bands_on_its_points(self) -> None:
        (dim,) = [
            d for _, d in self.imported.questionnaire.iter_dimensions() if d.id == "mood_total"
        ]
        assert dim.bands_on == "points"
        assert [(b.id, b.min, b.max) for b in dim.bands] == [
            ("mood_flag_0", 0, 2.5),
            ("mood_flag_1", 2.5, 4),
        ]
        plan = compile(self.imported.questionnaire)
        for mood, sleep in itertools.product("012", repeat=2):
            total = int(mood) + int(sleep)
            band = score(plan, {"mood": mood, "sleep": sleep}).dimension("mood_total").band
            assert band == f"mood_flag_{int(total >= 3)}"  # REDCap's if([mood_total] >= 3, 1, 0)

    def test_branching_with_checkbox_tests_parentheses_and_or(self) -> None:
        assert self.questions["follow_up"].when == AllOf(
            (AnyOf((Includes("pets", "ABC"), Includes("pets", "1"))), Equals("smokes", True))
        )
        assert self.questions["since_when"].when == AllOf(
            (Equals("smokes", True), AnyOf((Equals("agrees", True), Compare("pain", "gt", 5.0))))
        )

    def test_logic_outside_the_subset_is_reported_with_its_place(self) -> None:
        (dated,) = [f for f in findings_of(self.imported, "dated") if f.construct.startswith("b")]
        assert dated.fidelity is Fidelity.DROPPED
        assert dated.column == 1
        assert "visit_date" in dated.message
        (event,) = [
            f for f in findings_of(self.imported, "by_event") if f.construct.startswith("b")
        ]
        assert "[event-name]" in event.message
        assert self.questions["by_event"].when is None

    def test_the_format_is_registered(self) -> None:
        fmt = default_formats.get("redcap")
        assert fmt.read_questionnaire is read_questionnaire
        assert fmt.abilities == (
            "read_questionnaire",
            "write_questionnaire",
            "read_responses",
            "write_responses",
        )


class TestHeaders:
    def test_api_spellings_and_a_byte_order_mark_read_the_same(self, tmp_path: Path) -> None:
        rows = rows_of(EVERY_TYPE)
        rows[0] = [spellings[1] for spellings in COLUMNS.values()]
        path = write_csv(tmp_path / "api.csv", rows, bom=True)
        again = read_questionnaire(path)
        expected = read_questionnaire(EVERY_TYPE).questionnaire
        assert attrs.evolve(again.questionnaire, id=expected.id, title=expected.title) == expected

    def test_an_unknown_column_is_reported_not_refused(self, tmp_path: Path) -> None:
        rows = [[*row, "x"] for row in rows_of(EVERY_TYPE)]
        rows[0][-1] = "Our own notes"
        got = read_questionnaire(write_csv(tmp_path / "extra.csv", rows))
        (finding,) = [f for f in got.report.findings if f.construct == "column"]
        assert finding.fidelity is Fidelity.DROPPED
        assert finding.column == 19


class TestMalformed:
    def refused(self, path: Path) -> list:  # type: ignore[type-arg]
        with pytest.raises(DefinitionError) as caught:
            read_questionnaire(path)
        return caught.value.problems

    def test_not_a_dictionary(self, tmp_path: Path) -> None:
        path = write_csv(tmp_path / "x.csv", [["name", "age"], ["Ann", "3"]])
        (problem,) = self.refused(path)
        assert problem.code is ProblemCode.WRONG_FILE_KIND
        assert problem.line == 1

    def test_missing_required_columns_are_named(self, tmp_path: Path) -> None:
        rows = [[c for i, c in enumerate(row) if i != 3] for row in rows_of(EVERY_TYPE)]
        (problem,) = self.refused(write_csv(tmp_path / "x.csv", rows))
        assert problem.code is ProblemCode.MISSING_KEY
        assert "Field Type" in problem.message

    def test_every_bad_row_at_once_with_line_and_column(self, tmp_path: Path) -> None:
        rows = rows_of(EVERY_TYPE)
        rows[6][5] = "0, Never | Sometimes | 1, Never again | 1, Twice"  # mood: two bad parts
        rows[7][0] = "mood"  # sleep renamed: a duplicate
        rows[8][3] = "stars"  # smokes: unknown type
        rows[2][8] = "young"  # age: a bound that is no number
        problems = self.refused(write_csv(tmp_path / "x.csv", rows))
        got = sorted((p.line, p.location, p.code) for p in problems)
        assert got == [
            (3, ("Text Validation Min",), ProblemCode.BAD_CELL),
            (7, ("Choices, Calculations, OR Slider Labels",), ProblemCode.BAD_CELL),
            (7, ("Choices, Calculations, OR Slider Labels",), ProblemCode.BAD_CELL),
            (8, ("Variable / Field Name",), ProblemCode.DUPLICATE_ID),
            (9, ("Field Type",), ProblemCode.UNKNOWN_KIND),
        ]
        assert all(p.file == str(tmp_path / "x.csv") for p in problems)

    def test_a_slider_bound_beyond_its_default_end_is_refused(self, tmp_path: Path) -> None:
        rows = rows_of(EVERY_TYPE)
        rows[12][8], rows[12][9] = "150", ""  # pain: min 150, max REDCap's 100
        (problem,) = self.refused(write_csv(tmp_path / "x.csv", rows))
        assert (problem.line, problem.code) == (13, ProblemCode.BAD_VALUE)

    def test_a_bound_piped_from_another_field_is_reported(self, tmp_path: Path) -> None:
        rows = rows_of(EVERY_TYPE)
        rows[2][9] = "[pain]"  # age: at most the pain answer
        got = read_questionnaire(write_csv(tmp_path / "x.csv", rows))
        (field,) = [f for f in findings_of(got, "age") if f.construct == "field"]
        assert field.fidelity is Fidelity.APPROXIMATED
        assert "[pain]" in field.message

    def test_lines_count_line_breaks_inside_cells(self, tmp_path: Path) -> None:
        rows = rows_of(EVERY_TYPE)
        rows[1][4] = "Record\nID\nhere"
        rows[8][3] = "stars"
        (problem,) = self.refused(write_csv(tmp_path / "x.csv", rows))
        assert problem.line == 11

    @given(st.text(max_size=300))
    def test_any_text_is_read_or_refused_with_problems(self, text: str) -> None:
        self.read_or_refuse(text)

    @given(
        st.lists(
            st.lists(
                st.sampled_from(
                    [
                        "",
                        "radio",
                        "q1",
                        "f",
                        "0, a | 1, b",
                        "x,",
                        "[q1] = '1'",
                        "sum([q1])",
                        "calc",
                        "yesno",
                        "1",
                        "|",
                    ]
                ),
                max_size=18,
            ),
            max_size=6,
        )
    )
    def test_any_table_under_a_real_header_is_read_or_refused(self, rows: list[list[str]]) -> None:
        out = io.StringIO()
        csv.writer(out).writerows([[s[0] for s in COLUMNS.values()], *rows])
        self.read_or_refuse(out.getvalue())

    def read_or_refuse(self, text: str) -> None:
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "d.csv"
            path.write_text(text, encoding="utf-8", newline="")
            problems: list[Problem] = []
            try:
                read_questionnaire(path)
            except DefinitionError as error:
                problems = list(error.problems) or [Problem(ProblemCode.BAD_VALUE, "none")]
            # refused with located problems, or read: never another exception
            assert all(p.file == str(path) for p in problems)


class TestRecords:
    questionnaire = read_questionnaire(EVERY_TYPE).questionnaire

    def test_records_become_responses(self) -> None:
        first, second, third = read_responses(RECORDS, self.questionnaire)
        assert first.respondent == "1/baseline_arm_1"
        assert first.answers["mood"] == "2"
        assert first.answers["smokes"] is True
        assert first.answers["pets"] == ("1", "ABC")
        assert first.answers["pain"] == 7
        assert first.metadata["age"] == "34"
        assert "pets" not in second.answers  # every box 0: nothing was ticked
        assert second.respondent == "1/followup_arm_1"
        assert third.metadata["comments"] == "Nothing, thanks"

    def test_missing_codes_become_answer_states(self, tmp_path: Path) -> None:
        rows = rows_of(RECORDS)
        rows[2][6], rows[3][6] = "999", "777"
        second, third = read_responses(write_csv(tmp_path / "r.csv", rows), self.questionnaire)[1:]
        assert second.answers["mood"] is DONT_KNOW
        assert third.answers["mood"] is SKIPPED

    def test_an_unknown_column_is_named(self, tmp_path: Path) -> None:
        rows = rows_of(RECORDS)
        for row in rows:
            row.insert(3, "x")
        rows[0][3] = "mood_total"
        with pytest.raises(ResponseError) as caught:
            read_responses(write_csv(tmp_path / "r.csv", rows), self.questionnaire)
        (problem,) = caught.value.problems
        assert problem.code is ProblemCode.UNKNOWN_QUESTION
        assert "mood_total" in problem.message

    def test_a_code_no_option_has_is_located(self, tmp_path: Path) -> None:
        rows = rows_of(RECORDS)
        rows[1][7] = "5"
        rows[3][14] = "lots"
        with pytest.raises(ResponseError) as caught:
            read_responses(write_csv(tmp_path / "r.csv", rows), self.questionnaire)
        got = sorted((p.line, p.location) for p in caught.value.problems)
        assert got == [(2, ("sleep",)), (4, ("pain",))]

    def test_responses_written_read_back_the_same(self, tmp_path: Path) -> None:
        rows = rows_of(RECORDS)
        for row in rows:
            del row[1]  # one record per respondent
        del rows[2]
        read = read_responses(write_csv(tmp_path / "r.csv", rows), self.questionnaire)
        written = tmp_path / "again.csv"
        # the missing codes have no home yet: keep to answers
        plain = [attrs.evolve(r, answers=dict(r.answers.items())) for r in read]
        write_responses(plain, self.questionnaire, written)
        assert [r.answers for r in read_responses(written, self.questionnaire)] == [
            r.answers for r in plain
        ]


class TestRealDictionary:
    def test_every_field_is_mapped_or_reported_by_name(
        self, interop_file: Callable[[str], Path]
    ) -> None:
        path = interop_file(HBN)
        imported = read_questionnaire(path)
        names = [row[0] for row in rows_of(path)[1:]]
        assert len(names) == 474
        reported = {f.source_id for f in imported.report.findings if f.construct == "field"}
        assert set(names) <= reported | {
            f.source_id for f in imported.report.findings if f.construct == "calc"
        }
        compile(imported.questionnaire)

    def test_it_writes_back_to_the_same_plan(
        self, interop_file: Callable[[str], Path], tmp_path: Path
    ) -> None:
        first = read_questionnaire(interop_file(HBN)).questionnaire
        write_questionnaire(first, tmp_path / "again.csv")
        again = read_questionnaire(tmp_path / "again.csv").questionnaire
        assert compile(attrs.evolve(again, id=first.id, title=first.title)) == compile(first)

    def test_depression_points_equal_redcaps_sum_on_complete_answers(
        self, interop_file: Callable[[str], Path]
    ) -> None:
        imported = read_questionnaire(interop_file(HBN))
        plan = compile(imported.questionnaire)
        node = plan.node("pex_bm_apa__s2")
        assert [plan.questions[i].question.id for i in node.questions] == DEPRESSION

        @given(st.lists(st.integers(1, 5), min_size=8, max_size=8))
        def check(codes: list[int]) -> None:
            answers = {q: str(c) for q, c in zip(DEPRESSION, codes)}
            result = score(plan, answers)
            assert result.dimension("pex_bm_apa__s2").points == sum(codes)  # REDCap's sum()

        check()

    def test_the_depression_flag_is_a_band_edged_at_32_5(
        self, interop_file: Callable[[str], Path]
    ) -> None:
        imported = read_questionnaire(interop_file(HBN))
        plan = compile(imported.questionnaire)
        node = plan.node("pex_bm_apa__s2")
        assert [(b.min, b.max) for b in node.bands] == [(8, 32.5), (32.5, 40)]
        for total in range(8, 41):
            # spread the total over eight items of 1..5
            answers, rest = {}, total - 8
            for q in DEPRESSION:
                step = min(4, rest)
                answers[q], rest = str(1 + step), rest - step
            band = score(plan, answers).dimension("pex_bm_apa__s2").band
            assert band == f"pex_bm_apa2_depr_flag01_{int(total >= 33)}"

    def test_records_with_a_999_score_22_where_redcap_says_21(
        self, interop_file: Callable[[str], Path], tmp_path: Path
    ) -> None:
        imported = read_questionnaire(interop_file(HBN))
        rows = [["record_id", *DEPRESSION], ["1", *["3"] * 7, "999"], ["2", *["3"] * 7, "777"]]
        dont_know, declined = read_responses(
            write_csv(tmp_path / "r.csv", rows), imported.questionnaire
        )
        assert dont_know.answers[DEPRESSION[7]] is DONT_KNOW
        assert declined.answers[DEPRESSION[7]] is SKIPPED
        plan = compile(imported.questionnaire)
        for response in (dont_know, declined):
            assert score(plan, response).dimension("pex_bm_apa__s2").points == 22

    def test_a_dont_know_makes_the_total_differ_and_the_report_says_so(
        self, interop_file: Callable[[str], Path]
    ) -> None:
        imported = read_questionnaire(interop_file(HBN))
        plan = compile(imported.questionnaire)
        answers = dict.fromkeys(DEPRESSION[:7], "3") | {DEPRESSION[7]: DONT_KNOW}
        # REDCap blanks the 999 and sum() adds nothing for it: 21; weltoffen's zero adds the
        # bottom option, worth 1 point
        assert score(plan, answers).dimension("pex_bm_apa__s2").points == 22
        (finding,) = [
            f
            for f in findings_of(imported, "pex_bm_apa2_depr_score")
            if f.fidelity is Fidelity.APPROXIMATED and f.construct == "calc"
        ]
        assert "not reproducible" in finding.message
        declined = dict.fromkeys(DEPRESSION[:7], "3") | {DEPRESSION[7]: SKIPPED}
        assert score(plan, declined).dimension("pex_bm_apa__s2").points == 22


class TestWriting:
    def test_what_the_self_check_needs_annotations_for_is_named_and_located(
        self, tmp_path: Path
    ) -> None:
        from weltoffen.instruments import load_instrument
        from weltoffen.interop.redcap.writer import native_problems

        target = tmp_path / "self-check.csv"
        problems = native_problems(load_instrument("weltoffene-kommune", "1.0"))
        where = {p.location[:1] for p in problems}
        # no overall score, policies or bands in REDCap, codes such as 'kreisfreie-stadt' are no
        # REDCap codes; every dimension is named
        assert {("aggregation",), ("scoring",), ("bands",), ("metadata",)} <= where
        assert any("cannot be a REDCap variable name" in p.message for p in problems)
        assert any("scored number" in p.message for p in problems)
        assert not target.exists()
        write_questionnaire(load_instrument("weltoffene-kommune", "1.0"), target)
        assert "@WELTOFFEN=" in target.read_text(encoding="utf-8")

    def test_points_that_are_no_codes_are_named(self, tmp_path: Path) -> None:
        from weltoffen.interop.redcap.writer import native_problems

        mood = ScaleQuestion(
            id="mood",
            options=(
                Option(value="never", points=0.5),
                Option(value="often", points=2),
                Option(value="always", points=2),
            ),
        )
        q = Questionnaire(id="q", dimensions=(Dimension(id="form", questions=(mood,)),))
        messages = [p.message for p in native_problems(q)]
        assert len(messages) == 2
        assert "worth 0.5 points" in messages[0]
        assert "code 2" in messages[1]

    def test_reverse_keyed_points_are_written_reversed(self, tmp_path: Path) -> None:
        options = tuple(Option(value=v, points=p) for v, p in (("no", 0), ("some", 1), ("yes", 3)))
        q = Questionnaire(
            id="q",
            dimensions=(
                Dimension(
                    id="form",
                    questions=(
                        ScaleQuestion(id="a", options=options, reverse=True),
                        ScaleQuestion(id="b", options=options),
                    ),
                ),
            ),
        )
        path = tmp_path / "q.csv"
        write_questionnaire(q, path)
        again = read_questionnaire(path).questionnaire
        plan, plan_again = compile(q), compile(again)
        answers = {"a": "yes", "b": "some"}
        codes = {"a": "0", "b": "1"}  # "yes" on the reversed item earns 0 points: its code
        assert score(plan, answers).score == score(plan_again, codes).score


@given(st.text(max_size=200))
def test_any_records_text_is_read_or_refused_with_problems(text: str) -> None:
    import tempfile

    questionnaire = read_questionnaire(EVERY_TYPE).questionnaire
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.csv"
        path.write_text(text, encoding="utf-8", newline="")
        problems: list[Problem] = []
        try:
            read_responses(path, questionnaire)
        except ResponseError as error:
            problems = list(error.problems) or [Problem(ProblemCode.BAD_VALUE, "none")]
        assert all(p.file == str(path) for p in problems)


def test_an_imported_dictionary_writes_back_to_the_same_plan(tmp_path: Path) -> None:
    """Sections, a total over some of a section's fields with its flag, missing codes, checkbox
    logic and the forms kept as metadata all survive writing and reading again."""
    first = read_questionnaire(EVERY_TYPE).questionnaire
    path = tmp_path / "again.csv"
    write_questionnaire(first, path)
    again = attrs.evolve(read_questionnaire(path).questionnaire, id=first.id, title=first.title)
    assert compile(again) == compile(first)


def _dictionary(*fields: dict[str, str]) -> list[list[str]]:
    header = [spellings[0] for spellings in COLUMNS.values()]
    record = {"field_name": "record_id", "form_name": "f", "field_type": "text"}
    return [header, *([row.get(c, "") for c in COLUMNS] for row in (record, *fields))]


@pytest.mark.parametrize("counted", [True, False])
def test_a_section_of_checkboxes_is_a_dimension_when_a_total_counts_their_ticks(
    tmp_path: Path, counted: bool
) -> None:
    """A checkbox scores only through a total; without one, the section has nothing to score."""
    fields = [
        {"field_name": "mood", "form_name": "f", "field_type": "yesno", "field_label": "Mood?"},
        {
            "field_name": "signs",
            "form_name": "f",
            "field_type": "checkbox",
            "field_label": "Signs",
            "section_header": "Signs seen",
            "choices": "a, Rash | b, Fever",
        },
    ]
    if counted:
        calc = "sum([signs(a)], [signs(b)])"
        fields.append(
            {
                "field_name": "signs_total",
                "form_name": "f",
                "field_type": "calc",
                "field_label": "Signs",
                "choices": calc,
            }
        )
    got = read_questionnaire(write_csv(tmp_path / "x.csv", _dictionary(*fields)))
    (form,) = got.questionnaire.dimensions
    (header,) = [f for f in findings_of(got, "signs") if f.construct == "section header"]
    if counted:
        (section,) = form.dimensions
        assert (section.id, section.title) == ("f__s1", {"en": "Signs seen"})
        assert [q.id for q in section.questions] == ["signs"]
        assert isinstance(section.aggregation, SumOfPoints)
        assert header.fidelity is Fidelity.EXACT
        result = score(compile(got.questionnaire), {"mood": True, "signs": ("a", "b")})
        assert result.dimension("f__s1").points == 2
    else:
        assert form.dimensions == ()
        assert [q.id for q in form.questions] == ["mood", "signs"]
        assert header.fidelity is Fidelity.APPROXIMATED
