"""Responses from CSV files and from table rows (weltoffen.serialization.csv)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from weltoffen import (
    DONT_KNOW,
    NOT_APPLICABLE,
    SKIPPED,
    Response,
    ResponseError,
    State,
    compile,
    load_questionnaire,
    load_responses,
    score,
)
from weltoffen.model import AnswerValue
from weltoffen.serialization.csv import load_responses_csv, responses_from_rows

from .strategies import responses

EXAMPLE = Path(__file__).parent.parent / "examples" / "basic"
QUESTIONNAIRE = load_questionnaire(EXAMPLE / "questionnaire.yaml")
PLAN = compile(QUESTIONNAIRE)


def write(tmp_path: Path, text: str, name: str = "answers.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def load(tmp_path: Path, text: str, **options: str) -> list[Response]:
    return load_responses_csv(write(tmp_path, text), QUESTIONNAIRE, **options)


def problems_of(tmp_path: Path, text: str, **options: str) -> list[str]:
    with pytest.raises(ResponseError) as caught:
        load(tmp_path, text, **options)
    return [str(p) for p in caught.value.problems]


class TestCells:
    def test_columns_become_respondent_metadata_and_answers(self, tmp_path: Path) -> None:
        """respondent names the response, meta.<name> is metadata, question ids are answers."""
        (response,) = load(
            tmp_path,
            "respondent,meta.team,manageable,wish\nada,platform,agree,More focus time\n",
        )

        assert (
            Response(
                respondent="ada",
                answers={"manageable": "agree", "wish": "More focus time"},
                metadata={"team": "platform"},
            )
            == response
        )

    def test_empty_cell_is_left_out_and_skipped_is_explicit(self, tmp_path: Path) -> None:
        """An empty cell means skipped by leaving the answer out; 'skipped' says so explicitly."""
        (response,) = load(tmp_path, "respondent,manageable,wish,holidays\nada,  ,skipped,\n")

        assert response.answers == {"wish": SKIPPED}

    def test_state_names_are_answer_states(self, tmp_path: Path) -> None:
        """dont_know and not_applicable cells become those states, whatever their case."""
        (response,) = load(
            tmp_path, "respondent,holidays,feedback-style\nada,Dont_Know,NOT_APPLICABLE\n"
        )

        assert response.answers == {"holidays": DONT_KNOW, "feedback-style": NOT_APPLICABLE}

    def test_custom_codes(self, tmp_path: Path) -> None:
        """Declared codes mean don't know / not applicable; the state names still work."""
        (response,) = load(
            tmp_path,
            "respondent,holidays,feedback-style,training-budget\nada,-9,n/a,dont_know\n",
            dont_know="-9",
            not_applicable="N/A",
        )

        assert response.answers == {
            "holidays": DONT_KNOW,
            "feedback-style": NOT_APPLICABLE,
            "training-budget": DONT_KNOW,
        }

    def test_numbers(self, tmp_path: Path) -> None:
        """Numeric questions get ints or floats; other questions keep the text."""
        rows = load(
            tmp_path,
            "respondent,overtime,manageable\na,12,agree\nb,2.5,agree\nc,-1e1,agree\nd,.5,agree\n",
        )

        assert [r.answers["overtime"] for r in rows] == [12, 2.5, -10.0, 0.5]
        assert int is type(rows[0].answers["overtime"])

    def test_decimal_comma_in_semicolon_files(self, tmp_path: Path) -> None:
        """German spreadsheet exports separate with ';' and write 3,5 for 3.5."""
        (response,) = load(tmp_path, "respondent;overtime;learning\nada;3,5;course\n")

        assert response.answers["overtime"] == 3.5

    def test_multiple_choice_splits_on_semicolons(self, tmp_path: Path) -> None:
        """Options are separated by ';' (spaces around them ignored); ';' alone chooses none."""
        rows = load(tmp_path, 'respondent,learning\na,"course ; mentoring"\nb,course\nc,;\n')

        assert [r.answers["learning"] for r in rows] == [("course", "mentoring"), ("course",), ()]

    def test_yes_no_stays_text_except_one_and_zero(self, tmp_path: Path) -> None:
        """Yes/no text is left to the engine; 1 and 0 become numbers the engine reads as yes/no."""
        rows = load(tmp_path, "respondent,holidays\na,ja\nb,1\nc,0\n")

        assert [r.answers["holidays"] for r in rows] == ["ja", 1, 0]
        assert [score(PLAN, r).dimension("workload").points for r in rows] == [1.0, 1.0, 0.0]


class TestFileFormat:
    def test_byte_order_mark_is_ignored(self, tmp_path: Path) -> None:
        """Spreadsheet programs start UTF-8 files with a BOM; the first column still matches."""
        (response,) = load(tmp_path, "\ufeffrespondent,manageable\nada,agree\n")

        assert response.respondent == "ada"

    @pytest.mark.parametrize("separator", [",", ";", "\t"])
    def test_separator_is_sniffed(self, tmp_path: Path, separator: str) -> None:
        """Comma, semicolon and tab separated files read the same."""
        text = separator.join(["respondent", "manageable", "wish"]) + "\r\n"
        text += separator.join(["ada", "agree", "none"]) + "\r\n"

        (response,) = load(tmp_path, text)

        assert response.answers == {"manageable": "agree", "wish": "none"}

    def test_quoted_cells_keep_separators_and_line_breaks(self, tmp_path: Path) -> None:
        """A quoted cell may hold commas and line breaks; later rows keep their true line."""
        path = write(
            tmp_path,
            'respondent,wish,overtime\nada,"Less, but\nbetter",1\nben,,lots\n',
        )

        with pytest.raises(ResponseError) as caught:
            load_responses_csv(path, QUESTIONNAIRE)

        (problem,) = caught.value.problems
        assert (str(path), 4, "overtime") == (problem.file, problem.line, problem.path)

    def test_other_encodings_on_request(self, tmp_path: Path) -> None:
        """Older Windows exports are cp1252; they read when the encoding is named."""
        path = write(tmp_path, "respondent,wish\nada,Grüße\n", encoding="cp1252")

        (response,) = load_responses_csv(path, QUESTIONNAIRE, encoding="cp1252")

        assert response.answers["wish"] == "Grüße"

    def test_not_utf8_is_a_located_error(self, tmp_path: Path) -> None:
        path = write(tmp_path, "respondent,wish\nada,Grüße\n", encoding="cp1252")

        with pytest.raises(ResponseError) as caught:
            load_responses_csv(path, QUESTIONNAIRE)

        (problem,) = caught.value.problems
        assert (str(path), 2) == (problem.file, problem.line)
        assert "encoding" in problem.message

    def test_blank_lines_are_ignored(self, tmp_path: Path) -> None:
        rows = load(tmp_path, "\nrespondent,manageable\n\nada,agree\n,\n\nben,agree\n")

        assert [r.respondent for r in rows] == ["ada", "ben"]

    def test_short_rows_read_as_empty_cells(self, tmp_path: Path) -> None:
        """Trailing cells left off a row are empty, so skipped."""
        (response,) = load(tmp_path, "respondent,manageable,wish\nada,agree\n")

        assert response.answers == {"manageable": "agree"}


class TestProblems:
    def test_unknown_column_suggests_the_nearest_question(self, tmp_path: Path) -> None:
        assert [
            f"{tmp_path / 'answers.csv'}:1: overtme: unknown column 'overtme': not a question of "
            "'team-wellbeing' (expected did you mean 'overtime'?)"
        ] == problems_of(tmp_path, "respondent,overtme\nada,3\n")

    def test_respondent_column_is_required(self, tmp_path: Path) -> None:
        (problem,) = problems_of(tmp_path, "id,manageable\nada,agree\n")[1:]

        assert "no respondent column" in problem

    def test_not_a_number_names_line_and_column(self, tmp_path: Path) -> None:
        (problem,) = problems_of(tmp_path, "respondent,overtime\nada,3\nben,three\n")

        assert problem.endswith(
            ":3: overtime: not a number (respondent 'ben') (expected a number such as 12 or "
            "3.5, got 'three')"
        )

    @pytest.mark.parametrize("cell", ["inf", "nan", "1e999", "1_000", "9" * 5000, "0x10", "3,5"])
    def test_numbers_must_be_plain_and_finite(self, tmp_path: Path, cell: str) -> None:
        """Comma decimals only in ';' files; no inf, nan, hex, underscores or giant numbers."""
        (problem,) = problems_of(tmp_path, f'respondent,overtime\nada,"{cell}"\n')

        assert ":2: overtime: " in problem

    def test_duplicate_respondent_names_both_lines(self, tmp_path: Path) -> None:
        (problem,) = problems_of(tmp_path, "respondent,manageable\nada,agree\nben,\nada,agree\n")

        assert problem.endswith(
            ":4: respondent: respondent 'ada' appears twice (got first at line 2)"
        )

    def test_empty_respondent(self, tmp_path: Path) -> None:
        (problem,) = problems_of(tmp_path, "respondent,manageable\n,agree\n")

        assert ":2: respondent: the respondent is empty" in problem

    def test_ragged_row_with_data_beyond_the_header(self, tmp_path: Path) -> None:
        """Extra empty cells are harmless; extra data is an error (it belongs to no column)."""
        assert len(load(tmp_path, "respondent,manageable\nada,agree,,\n")) == 1

        (problem,) = problems_of(tmp_path, "respondent,manageable\nada,agree,oops\n")

        assert ":2: the row has 3 cells but the header names 2 columns" in problem

    def test_column_without_a_name_holding_data(self, tmp_path: Path) -> None:
        (problem,) = problems_of(tmp_path, "respondent,,manageable\nada,x,agree\n")

        assert ":2: column 2: a column without a name holds data" in problem

    def test_duplicate_column(self, tmp_path: Path) -> None:
        (problem,) = problems_of(tmp_path, "respondent,manageable,manageable\nada,agree,agree\n")

        assert ":1: manageable: the column appears twice (got columns 2 and 3)" in problem

    def test_code_that_is_also_an_option(self, tmp_path: Path) -> None:
        """A code equal to an option would make that option impossible to answer."""
        (problem,) = problems_of(tmp_path, "respondent,manageable\nada,agree\n", dont_know="agree")

        assert ":1: manageable: the dont_know code 'agree' is also an answer" in problem

    def test_codes_must_differ(self, tmp_path: Path) -> None:
        (problem,) = problems_of(
            tmp_path, "respondent,manageable\nada,agree\n", dont_know="x", not_applicable="X"
        )

        assert "the not_applicable code 'X' already means dont_know" in problem

    def test_unclosed_quote(self, tmp_path: Path) -> None:
        (problem,) = problems_of(tmp_path, 'respondent,wish\nada,ok\nben,"never closed\n')

        assert ":3: not valid CSV" in problem

    def test_empty_file(self, tmp_path: Path) -> None:
        (problem,) = problems_of(tmp_path, "")

        assert "the table is empty" in problem

    def test_missing_file(self, tmp_path: Path) -> None:
        with pytest.raises(ResponseError) as caught:
            load_responses_csv(tmp_path / "nowhere.csv", QUESTIONNAIRE)

        assert "nowhere.csv: cannot read file" in str(caught.value)

    def test_every_problem_at_once(self, tmp_path: Path) -> None:
        """Header, cell and row problems of the whole file come in one error, in file order."""
        with pytest.raises(ResponseError) as caught:
            load(tmp_path, "respondent,overtme,overtime\nada,1,x\nada,2,y\n")

        assert [(p.line, p.path) for p in caught.value.problems] == [
            (1, "overtme"),
            (2, "overtime"),
            (3, "overtime"),
            (3, "respondent"),
        ]


class TestRows:
    def test_spreadsheet_values(self) -> None:
        """Readers of spreadsheets may pass numbers, booleans, dates and None as cells."""
        header = [
            "respondent",
            "overtime",
            "holidays",
            "manageable",
            "meta.since",
            "meta.size",
            "wish",
        ]
        row = [101, 7.0, True, None, dt.date(2024, 5, 1), 12, 3.0]

        (response,) = responses_from_rows(header, [row], QUESTIONNAIRE)

        assert (
            Response(
                respondent="101",
                answers={"overtime": 7.0, "holidays": "true", "wish": "3"},
                metadata={"since": "2024-05-01", "size": 12},
            )
            == response
        )

    def test_lines_count_from_first_line(self) -> None:
        """Problems carry the file and the line (row) counted from first_line."""
        with pytest.raises(ResponseError) as caught:
            responses_from_rows(
                ["respondent", "overtime"],
                [["ada", "1"], ["ben", "x"]],
                QUESTIONNAIRE,
                file="book.xlsx",
                first_line=5,
            )

        (problem,) = caught.value.problems
        assert (problem.file, problem.line, problem.path) == ("book.xlsx", 6, "overtime")


class TestExample:
    def test_csv_and_yaml_examples_score_the_same(self) -> None:
        """examples/basic holds the same four respondents as CSV and as YAML."""
        from_csv = load_responses_csv(EXAMPLE / "responses.csv", QUESTIONNAIRE)
        from_yaml = load_responses(EXAMPLE / "responses.yaml")

        assert [score(PLAN, r) for r in from_yaml] == [score(PLAN, r) for r in from_csv]


# -- round trip through CSV ------------------------------------------------------------------


def _cell(value: AnswerValue | None, decimal_comma: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, State):
        return value.value
    if isinstance(value, tuple):
        return ";".join(value) or ";"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return repr(value).replace(".", ",") if decimal_comma else repr(value)
    return str(value)


def _as_csv_can_say(response: Response) -> Response:
    """*response* as CSV can carry it: free text trimmed (empty text is skipped), no metadata."""
    answers: dict[str, AnswerValue] = {}
    for qid, value in response.answers.items():
        if isinstance(value, str) and qid == "wish":
            value = value.strip()
            if not value or value.casefold() in {s.value for s in State}:
                continue
        answers[qid] = value
    return attrs.evolve(response, answers=answers, metadata={})


_csv_text = st.text(alphabet='abc ,;"\n\r\täß', max_size=8)


@given(
    answered=st.lists(responses(QUESTIONNAIRE), min_size=1, max_size=4),
    wishes=st.lists(_csv_text, min_size=4, max_size=4),
    separator=st.sampled_from([",", ";", "\t"]),
)
def test_any_valid_response_scores_the_same_after_csv(
    tmp_path_factory: pytest.TempPathFactory,
    answered: Sequence[Response],
    wishes: Sequence[str],
    separator: str,
) -> None:
    """Writing valid responses to CSV and reading them back changes no result."""
    originals = [
        _as_csv_can_say(
            attrs.evolve(
                r,
                respondent=f"r{i}",
                answers={**r.answers, "wish": wish} if "wish" in r.answers else r.answers,
            )
        )
        for i, (r, wish) in enumerate(zip(answered, wishes))
    ]
    ids = [q.id for _, q in QUESTIONNAIRE.iter_questions()]
    path = tmp_path_factory.mktemp("csv") / "round.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=separator)
        writer.writerow(["respondent", *ids])
        for r in originals:
            writer.writerow(
                [r.respondent, *(_cell(r.answers.get(q), separator == ";") for q in ids)]
            )

    loaded = load_responses_csv(path, QUESTIONNAIRE)

    assert [score(PLAN, r) for r in originals] == [score(PLAN, r) for r in loaded]


def test_questionnaire_fixture_uses_every_question_kind() -> None:
    """The round trip above is only meaningful if the example has every kind of question."""
    kinds = {type(q).__name__ for _, q in QUESTIONNAIRE.iter_questions()}

    assert {
        "ScaleQuestion",
        "YesNo",
        "Choice",
        "MultipleChoice",
        "Numeric",
        "TextQuestion",
    } == kinds
