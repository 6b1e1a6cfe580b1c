"""Responses from CSV files and from table rows (weltoffen.serialization.csv)."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Callable, Sequence
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
from weltoffen.model.answers import MetaValue
from weltoffen.serialization.csv import load_responses_csv, responses_from_rows
from weltoffen.serialization.responses import load_responses_any

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
    return problems_of_file(write(tmp_path, text), **options)


def problems_of_file(path: Path, **options: str) -> list[str]:
    with pytest.raises(ResponseError) as caught:
        load_responses_csv(path, QUESTIONNAIRE, **options)
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

    def test_decimal_comma_in_tab_files_unless_it_may_group_thousands(self, tmp_path: Path) -> None:
        """German Excel's Unicode text writes 3,5; English settings write 1,500 for 1500."""
        rows = load(tmp_path, "respondent\tovertime\nada\t3,5\nben\t-12,25\ncleo\t1234,5\n")

        assert [r.answers["overtime"] for r in rows] == [3.5, -12.25, 1234.5]
        (problem,) = problems_of(tmp_path, "respondent\tovertime\nada\t1,500\n")
        assert problem.endswith(
            ":2: overtime: ambiguous number: the comma may group thousands or mark decimals "
            "(respondent 'ada') (expected a number such as 12 or 3.5, got '1,500')"
        )

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

    def test_valid_utf8_is_read_as_utf8_whatever_encoding_is_named(self, tmp_path: Path) -> None:
        """One named encoding serves a set of files of which some are UTF-8: none is garbled."""
        path = write(tmp_path, "respondent,wish\nada,Grüße\n", encoding="utf-8")

        (response,) = load_responses_csv(path, QUESTIONNAIRE, encoding="cp1252")

        assert response.answers["wish"] == "Grüße"

    def test_not_utf8_names_line_offset_and_the_encoding_that_reads_it(
        self, tmp_path: Path
    ) -> None:
        path = write(tmp_path, "respondent,wish\r\nada,ok\r\nben,Grüße\r\n", encoding="cp1252")

        with pytest.raises(ResponseError) as caught:
            load_responses_csv(path, QUESTIONNAIRE)

        assert [
            f"{path}:3: not UTF-8 text; it reads as cp1252: give --encoding cp1252 "
            '(encoding="cp1252" in Python) (got byte 0xfc at byte offset 31)'
        ] == [str(p) for p in caught.value.problems]

    def test_without_a_likely_encoding_the_option_is_named(self, tmp_path: Path) -> None:
        """Bytes that cp1252 leaves undefined: no guess, but the way to name the encoding."""
        path = write(tmp_path, "respondent,wish\n", encoding="utf-8")
        path.write_bytes(path.read_bytes() + b"ada,\x81\x8d\n")

        (problem,) = problems_of_file(path)

        assert problem.endswith(
            "answers.csv:2: not UTF-8 text; give its encoding with --encoding NAME "
            "(encoding=NAME in Python), or save the file as UTF-8 (got byte 0x81 at byte offset 20)"
        )

    @pytest.mark.parametrize("name", ["no-such-encoding", "base64", "rot13"])
    def test_unknown_encoding_is_a_problem_not_a_lookup_error(
        self, tmp_path: Path, name: str
    ) -> None:
        path = write(tmp_path, "respondent,wish\nada,ok\n")

        with pytest.raises(ResponseError) as caught:
            load_responses_csv(path, QUESTIONNAIRE, encoding=name)

        assert [
            f"{path}: unknown text encoding {name!r}; give a name such as utf-8, cp1252 or utf-16"
        ] == [str(p) for p in caught.value.problems]

    @pytest.mark.parametrize(
        ("mark", "codec"),
        [
            (codecs.BOM_UTF8, "utf-8"),
            (codecs.BOM_UTF16_LE, "utf-16-le"),
            (codecs.BOM_UTF16_BE, "utf-16-be"),
            (codecs.BOM_UTF32_LE, "utf-32-le"),
            (codecs.BOM_UTF32_BE, "utf-32-be"),
        ],
    )
    def test_a_byte_order_mark_decides_the_encoding(
        self, tmp_path: Path, mark: bytes, codec: str
    ) -> None:
        """Marked files read without options, and even when another encoding is named."""
        path = tmp_path / "answers.csv"
        path.write_bytes(mark + "respondent,wish\nada,Grüße 😀\n".encode(codec))

        for encoding in ("utf-8", "cp1252"):
            (response,) = load_responses_csv(path, QUESTIONNAIRE, encoding=encoding)

            assert Response(respondent="ada", answers={"wish": "Grüße 😀"}) == response

    def test_utf16_decoding_problem_counts_lines_in_characters(self, tmp_path: Path) -> None:
        """A lone surrogate in UTF-16 text is placed on its line, counted in text not bytes."""
        path = tmp_path / "answers.csv"
        good = "respondent,wish\r\nada,ok\r\nben,".encode("utf-16-le")
        path.write_bytes(codecs.BOM_UTF16_LE + good + b"\x00\xd8" + "x\r\n".encode("utf-16-le"))

        (problem,) = problems_of_file(path)

        assert ":3: not utf-16-le text" in problem
        assert f"at byte offset {2 + len(good)}" in problem

    def test_utf16_without_a_mark_gets_a_hint(self, tmp_path: Path) -> None:
        path = write(tmp_path, "respondent,wish\nada,ok\n", encoding="utf-16-le")

        (problem,) = problems_of_file(path)

        assert problem.endswith(
            "not a text file (it holds NUL bytes); if it is UTF-16-LE text without a byte order "
            'mark, give --encoding utf-16-le (encoding="utf-16-le" in Python)'
        )
        (response,) = load_responses_csv(path, QUESTIONNAIRE, encoding="utf-16-le")
        assert response.answers == {"wish": "ok"}

    def test_binary_file_is_not_text(self, tmp_path: Path) -> None:
        path = tmp_path / "answers.csv"
        path.write_bytes(bytes(range(256)) * 4)

        (problem,) = problems_of_file(path)

        assert problem.endswith("answers.csv: not a text file (it holds NUL bytes)")

    def test_excel_unicode_text(self, tmp_path: Path) -> None:
        """Excel's "Unicode text" export: UTF-16 LE with a mark, tabs, CR LF, quoted breaks."""
        text = (
            "respondent\tmeta.team\twish\toverTime\r\n".replace("overTime", "overtime")
            + 'zoë\tÜberseeamt\t"Mehr Ruhe,\r\n""bitte"";\tund Zeit"\t3\r\n'
            + "łukasz\t\t\t\r\n"
        )
        path = tmp_path / "answers.txt"
        path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))

        assert [
            Response(
                respondent="zoë",
                answers={"wish": 'Mehr Ruhe,\r\n"bitte";\tund Zeit', "overtime": 3},
                metadata={"team": "Überseeamt"},
            ),
            Response(respondent="łukasz"),
        ] == load_responses_any(path, QUESTIONNAIRE)

    def test_blank_lines_are_ignored(self, tmp_path: Path) -> None:
        rows = load(tmp_path, "\nrespondent,manageable\n\nada,agree\n,\n\nben,agree\n")

        assert [r.respondent for r in rows] == ["ada", "ben"]


class TestRecordWidth:
    """A record must have one field per column: a split or shifted record is refused, not read."""

    def test_unquoted_line_break_splits_a_record(self, tmp_path: Path) -> None:
        """Both halves are refused, so neither becomes a respondent of its own."""
        path = write(tmp_path, "respondent,wish,overtime\nada,Less but\nbetter,1\nben,,2\n")

        with pytest.raises(ResponseError) as caught:
            load_responses_csv(path, QUESTIONNAIRE)

        assert [
            f"{path}:2: the record has 2 fields but the header has 3 (expected 3 fields; an "
            "answer holding a line break, a quote or a comma must be in double quotes)",
            f"{path}:3: the record has 2 fields but the header has 3 (expected 3 fields; an "
            "answer holding a line break, a quote or a comma must be in double quotes)",
        ] == [str(p) for p in caught.value.problems]

    def test_unquoted_separator_shifts_a_record(self, tmp_path: Path) -> None:
        """Even an empty extra field is refused: the cells before it have moved a column."""
        (problem,) = problems_of(tmp_path, "respondent;wish;learning\nada;a;b;\n")

        assert problem.endswith(
            ":2: the record has 4 fields but the header has 3 (expected 3 fields; an answer "
            "holding a line break, a quote or a semicolon must be in double quotes)"
        )

    def test_line_is_the_physical_line_after_quoted_line_breaks(self, tmp_path: Path) -> None:
        (problem,) = problems_of(
            tmp_path, 'respondent,wish,overtime\nada,"one\ntwo\r\nthree",1\nben\t2\n'
        )

        assert ":5: the record has 1 field but the header has 3" in problem

    def test_every_broken_record_and_every_other_problem_at_once(self, tmp_path: Path) -> None:
        with pytest.raises(ResponseError) as caught:
            load(
                tmp_path,
                'respondent,overtime\nada,x\nben,1,2\ncleo,"unclosed" quote,3\ndev\neve,2\n',
            )

        assert [(p.line, p.path) for p in caught.value.problems] == [
            (2, "overtime"),
            (3, ""),
            (4, ""),
            (5, ""),
        ]

    def test_blank_records_of_any_width_are_ignored(self, tmp_path: Path) -> None:
        rows = load(tmp_path, "respondent,wish,overtime\n,\nada,,\n,,,,\n \n")

        assert [r.respondent for r in rows] == ["ada"]


class TestProblems:
    def test_unknown_column_suggests_the_nearest_question(self, tmp_path: Path) -> None:
        assert [
            f"{tmp_path / 'answers.csv'}:1: overtme: unknown column 'overtme': not a question of "
            "'team-wellbeing' (did you mean 'overtime'?)"
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

    def test_short_rows_read_as_empty_cells(self) -> None:
        """Spreadsheet rows may stop at their last filled cell; the rest is empty, so skipped."""
        (response,) = responses_from_rows(
            ["respondent", "manageable", "wish"], [["ada", "agree"]], QUESTIONNAIRE
        )

        assert response.answers == {"manageable": "agree"}

    def test_data_beyond_the_header_is_refused(self) -> None:
        """Extra empty cells are harmless in a spreadsheet; extra data belongs to no column."""
        header = ["respondent", "manageable"]
        assert len(responses_from_rows(header, [["ada", "agree", None, ""]], QUESTIONNAIRE)) == 1

        with pytest.raises(ResponseError) as caught:
            responses_from_rows(header, [["ada", "agree", "oops"]], QUESTIONNAIRE)

        (problem,) = caught.value.problems
        assert "line 2: the row has 3 cells but the header names 2 columns" in str(problem)

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


def _as_read(value: AnswerValue) -> AnswerValue:
    """*value* as a CSV cell gives it back: yes/no questions keep the text."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


# Texts with what CSV must quote (separators, quotes, line breaks) and what needs an encoding
# beyond ASCII; the letters spell no answer-state name, so every text reads back as text.
_ANY = 'ab ,;"\n\r\täßł€Ж中😀'
_CP1252 = 'ab ,;"\n\r\täß€'


@attrs.frozen
class _Encoding:
    """How a table is stored as bytes, and what to tell the reader."""

    encode: Callable[[str], bytes]
    read_as: str = "utf-8"
    alphabet: str = _ANY


_ENCODINGS = {
    "utf-8": _Encoding(lambda t: t.encode("utf-8")),
    "utf-8 with mark": _Encoding(lambda t: codecs.BOM_UTF8 + t.encode("utf-8")),
    "utf-16 le with mark": _Encoding(lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le")),
    "utf-16 be with mark": _Encoding(lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be")),
    "utf-32 le with mark": _Encoding(lambda t: codecs.BOM_UTF32_LE + t.encode("utf-32-le")),
    "cp1252, named": _Encoding(lambda t: t.encode("cp1252"), "cp1252", _CP1252),
}
_QUESTION_IDS = [q.id for _, q in QUESTIONNAIRE.iter_questions()]
_HEADER = ["respondent", "meta.team", *_QUESTION_IDS]


@attrs.frozen
class _Table:
    """A generated responses table, the responses reading it must give, and how it is stored."""

    encoding: str
    separator: str
    suffix: str
    rows: list[list[str]]
    expected: list[Response]
    originals: list[Response]

    def text(self, rows: Sequence[Sequence[str]] | None = None) -> str:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=self.separator)
        writer.writerow(_HEADER)
        writer.writerows(self.rows if rows is None else rows)
        return out.getvalue()

    def write(self, directory: Path, rows: Sequence[Sequence[str]] | None = None) -> Path:
        path = directory / f"table{self.suffix}"
        path.write_bytes(_ENCODINGS[self.encoding].encode(self.text(rows)))
        return path


@st.composite
def _tables(draw: st.DrawFn) -> _Table:
    encoding = draw(st.sampled_from(sorted(_ENCODINGS)))
    separator = draw(st.sampled_from([",", ";", "\t"]))
    alphabet = _ENCODINGS[encoding].alphabet
    texts = st.text(alphabet=alphabet, max_size=10)
    ids = st.text(alphabet=alphabet.strip("\n\r\t") + "1", min_size=1, max_size=6).map(str.strip)
    respondents = draw(st.lists(ids.filter(bool), min_size=1, max_size=4, unique=True))
    rows, expected, originals = [], [], []
    for respondent in respondents:
        drawn = draw(responses(QUESTIONNAIRE))
        wish, team = draw(texts), draw(texts)
        answers = {q: v for q, v in drawn.answers.items() if q != "wish"}
        if wish.strip():
            answers["wish"] = wish.strip()
        metadata: dict[str, MetaValue] = {"team": team.strip()} if team.strip() else {}
        original = Response(respondent=respondent, answers=answers, metadata=metadata)
        originals.append(original)
        expected.append(
            attrs.evolve(original, answers={q: _as_read(v) for q, v in answers.items()})
        )
        cells = [_cell(drawn.answers.get(q), separator == ";") for q in _QUESTION_IDS]
        cells[_QUESTION_IDS.index("wish")] = wish
        rows.append([respondent, team, *cells])
    suffix = draw(st.sampled_from([".csv", ".tsv", ".txt"]))
    return _Table(encoding, separator, suffix, rows, expected, originals)


def _physical_line(table: _Table, index: int) -> int:
    """The line row *index* starts on, counting line ends as editors do (LF, CR LF, CR)."""
    before = table.text(table.rows[:index])
    return before.count("\n") + before.count("\r") - before.count("\r\n") + 1


@given(table=_tables())
def test_any_table_reads_back_whatever_its_encoding_and_separator(
    tmp_path_factory: pytest.TempPathFactory, table: _Table
) -> None:
    """Ids, quoted separators, quotes, line breaks and non-ASCII text survive a round trip."""
    path = table.write(tmp_path_factory.mktemp("csv"))

    loaded = load_responses_any(path, QUESTIONNAIRE, encoding=_ENCODINGS[table.encoding].read_as)

    assert table.expected == loaded
    assert [score(PLAN, r) for r in table.originals] == [score(PLAN, r) for r in loaded]


@given(table=_tables(), data=st.data())
def test_a_record_with_a_field_too_few_or_too_many_is_refused_at_its_line(
    tmp_path_factory: pytest.TempPathFactory, table: _Table, data: st.DataObject
) -> None:
    """Whatever the encoding and whatever the quoted line breaks before it."""
    index = data.draw(st.integers(0, len(table.rows) - 1), label="row")
    row = list(table.rows[index])
    if data.draw(st.booleans(), label="drop a field"):
        del row[data.draw(st.integers(1, len(row) - 1), label="field")]
    else:
        row.insert(data.draw(st.integers(1, len(row)), label="at"), data.draw(st.text(_CP1252)))
    rows = [*table.rows[:index], row, *table.rows[index + 1 :]]
    path = table.write(tmp_path_factory.mktemp("csv"), rows)

    with pytest.raises(ResponseError) as caught:
        load_responses_any(path, QUESTIONNAIRE, encoding=_ENCODINGS[table.encoding].read_as)

    assert [
        (
            str(path),
            _physical_line(table, index),
            f"the record has {len(row)} field{'s' * (len(row) != 1)} but the header has "
            f"{len(_HEADER)}",
        )
    ] == [(p.file, p.line, p.message) for p in caught.value.problems]


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
