"""Spreadsheet formula injection: no writer hands a spreadsheet program text it would run.

Every CSV and XLSX writer gets questionnaires and responses whose ids, labels, answers and metadata
start like formulas (``=HYPERLINK(...)``, ``+1``, ``@SUM(A1)``, tab, carriage return, and our own
apostrophe escape); the files must hold no formula, and reading them back must give the text.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import attrs
import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from tests.strategies import FORMULA_EXAMPLES, formula_texts, spreadsheet_cases
from weltoffen import MetadataField, Questionnaire, Response, compile, score
from weltoffen.cli import main
from weltoffen.exceptions import ResponseError
from weltoffen.reports import format_csv
from weltoffen.serialization.cells import FORMULA_STARTS, inert, restore, shown, unstorable
from weltoffen.serialization.csv import load_responses_csv
from weltoffen.serialization.templates import csv_template

Case = tuple[Questionnaire, list[Response]]


def _number(field: str) -> bool:
    try:
        float(field)
    except ValueError:
        return False
    return True


def _assert_csv_inert(text: str) -> None:
    """No field starts a formula; a field starting with - or + is a number, written as one."""
    for row in csv.reader(io.StringIO(text, newline="")):
        for field in row:
            assert not field.startswith(FORMULA_STARTS) or _number(field), field


class TestRule:
    @pytest.mark.parametrize(
        ("text", "written"),
        [
            ('=HYPERLINK("http://x","click")', '\'=HYPERLINK("http://x","click")'),
            ("=1+1", "'=1+1"),
            ("+1", "'+1"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("'=1", "''=1"),  # our own escape is escaped again, so it survives
            ("''-2", "'''-2"),
            ("'quoted", "'quoted"),  # an apostrophe before ordinary text is left alone
            ("a=b", "a=b"),
            ("", ""),
            ("'", "'"),
        ],
    )
    def test_csv_text(self, text: str, written: str) -> None:
        assert inert(text) == written
        assert restore(written) == text

    @given(text=st.one_of(formula_texts(), st.text()))
    def test_round_trip_of_any_text(self, text: str) -> None:
        """restore undoes inert for every text, and what inert writes never starts a formula."""
        written = inert(text)

        assert not written.startswith(FORMULA_STARTS)
        assert restore(written) == text

    @given(text=st.text())
    def test_restore_keeps_text_that_is_not_an_escape(self, text: str) -> None:
        """Only apostrophes followed by a formula character lose one; nothing else changes."""
        escape = re.match(r"'+[=+\-@\t\r]", text)
        assert restore(text) == (text[1:] if escape else text)

    def test_shown_escapes_what_xlsx_cannot_hold(self) -> None:
        assert shown("a\x1b[2Jb\x00\ufffe\n\t") == "a\\x1b[2Jb\\x00\\ufffe\n\t"
        assert unstorable("fine\n\t\r") is None
        assert unstorable("x\x07") == "\x07"


class TestCsvWriters:
    @given(case=spreadsheet_cases())
    @example(case=None)  # the examples of the report, through the same checks
    def test_answer_sheet_holds_no_formula_and_loads_back(self, case: Case | None) -> None:
        questionnaire, responses = case or _reported()
        text = csv_template(questionnaire, responses=responses)

        _assert_csv_inert(text)
        assert _load_csv(text, questionnaire) == responses

    @given(case=spreadsheet_cases())
    def test_empty_sheet_header_is_inert_and_names_the_questions(self, case: Case) -> None:
        questionnaire, _ = case
        text = csv_template(questionnaire)

        _assert_csv_inert(text)
        assert _load_csv(text, questionnaire) == []  # every column was recognised

    @given(text=formula_texts().filter(lambda t: "\x00" not in t))  # the reader refuses NUL
    def test_carriage_returns_and_line_breaks_inside_cells_load_back(self, text: str) -> None:
        """A carriage return inside a cell is quoted, never taken for the end of a record."""
        questionnaire, _ = _reported()
        inside = f"a{text}\r\n\rb"
        response = Response(respondent=inside, answers={"=t": inside}, metadata={"=1+1": inside})
        text = csv_template(questionnaire, responses=[response])

        _assert_csv_inert(text)
        assert _load_csv(text, questionnaire) == [response]

    @given(case=spreadsheet_cases())
    def test_results_hold_no_formula(self, case: Case) -> None:
        questionnaire, responses = case
        plan = compile(questionnaire)
        text = format_csv([score(plan, r) for r in responses])

        _assert_csv_inert(text)
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        assert [restore(row["respondent"]) for row in rows] == [r.respondent for r in responses]


def _load_csv(text: str, questionnaire: Questionnaire) -> list[Response]:
    # one directory per call: hypothesis runs many examples inside one test
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sheet.csv"
        path.write_text(text, encoding="utf-8", newline="")
        return load_responses_csv(path, questionnaire)


def _reported() -> Case:
    """The questionnaire of the report: every text one of the examples that reached users."""
    from weltoffen import Choice, Dimension, Linear, MetadataField, Numeric, Option, TextQuestion

    questionnaire = Questionnaire(
        id="=x",
        metadata=(MetadataField(key="=1+1", label={"en": "=1+1"}),),
        dimensions=(
            Dimension(
                id="@d",
                title={"en": "-title"},
                questions=(
                    TextQuestion(id="=t", text={"en": '=HYPERLINK("http://x","click")'}),
                    Choice(
                        id="-c",
                        text={"en": "\t=1"},
                        options=(
                            Option(value="=a", label={"en": "+1"}, points=0),
                            Option(value="'=b", label={"en": "\r=1"}, points=1),
                        ),
                    ),
                    Numeric(id="@n", text={"en": "@SUM(A1)"}, linear=Linear(low=-5, high=5)),
                ),
            ),
        ),
    )
    responses = [
        Response(
            respondent=text,
            answers={"=t": text, "-c": "'=b", "@n": -2},
            metadata={"=1+1": text},
        )
        for text in FORMULA_EXAMPLES
        if text == text.strip() and "#" not in text
    ]
    return questionnaire, responses


# -- XLSX ---------------------------------------------------------------------------------------


class TestXlsxWriters:
    @pytest.fixture(autouse=True)
    def _openpyxl(self) -> None:
        pytest.importorskip("openpyxl")

    @given(case=spreadsheet_cases())
    @example(case=None)
    def test_answer_sheet_holds_no_formula_and_loads_back(self, case: Case | None) -> None:
        from weltoffen.serialization.xlsx_template import xlsx_template_bytes

        questionnaire, responses = case or _reported()
        data = xlsx_template_bytes(questionnaire, responses=responses)

        _assert_xlsx_inert(data)
        assert _load_xlsx(data, questionnaire) == responses

    @given(case=spreadsheet_cases())
    def test_empty_sheet_and_code_sheet_hold_no_formula(self, case: Case) -> None:
        from weltoffen.serialization.xlsx_template import xlsx_template_bytes

        questionnaire, _ = case
        data = xlsx_template_bytes(questionnaire)

        _assert_xlsx_inert(data)
        assert _load_xlsx(data, questionnaire) == []

    def test_error_values_stay_text(self) -> None:
        """``#N/A`` typed as an id is text, not the spreadsheet's "not available" error."""
        from weltoffen.serialization.xlsx_template import xlsx_template_bytes

        questionnaire, responses = _reported()
        data = xlsx_template_bytes(questionnaire, responses=[Response(respondent="#N/A")])

        _assert_xlsx_inert(data)
        assert [r.respondent for r in _load_xlsx(data, questionnaire)] == ["#N/A"]
        assert responses  # the reported cases are not empty

    def test_carriage_returns_become_line_feeds(self) -> None:
        """XML keeps one kind of line end: a carriage return inside a cell reads back as \\n."""
        from weltoffen.serialization.xlsx_template import xlsx_template_bytes

        questionnaire, _ = _reported()
        response = Response(respondent="a\r\nb\rc", answers={"=t": "x\ry"})
        data = xlsx_template_bytes(questionnaire, responses=[response])

        assert _load_xlsx(data, questionnaire) == [
            Response(respondent="a\nb\nc", answers={"=t": "x\ny"})
        ]

    def test_control_characters_in_explanations_are_shown_escaped(self) -> None:
        import openpyxl

        from weltoffen.serialization.xlsx_template import xlsx_template_bytes

        questionnaire, _ = _reported()
        label = {"en": "a\x1b[2Jb"}
        hostile = attrs.evolve(questionnaire, metadata=(MetadataField(key="k", label=label),))
        book = openpyxl.load_workbook(io.BytesIO(xlsx_template_bytes(hostile)))
        texts = [c.value for row in book.worksheets[1].iter_rows() for c in row]
        assert "a\\x1b[2Jb" in texts

    def test_control_characters_in_data_are_refused_by_cell(self) -> None:
        from weltoffen.serialization.xlsx_template import xlsx_template_bytes

        questionnaire, _ = _reported()
        response = Response(respondent="a\x1bb", metadata={"=1+1": "ok\x07"})
        with pytest.raises(ResponseError) as caught:
            xlsx_template_bytes(questionnaire, responses=[response])

        paths = [p.path for p in caught.value.problems]
        assert paths == ["respondent", "meta.=1+1"]
        assert all("cannot store" in p.message for p in caught.value.problems)


def _assert_xlsx_inert(data: bytes) -> None:
    """No cell of any worksheet is a formula: none in the XML, none as openpyxl reads it."""
    import openpyxl

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                assert not re.search(rb"<(\w+:)?f[ >/]", archive.read(name)), name
    book = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for validation in sheet.data_validations.dataValidation:  # a chosen entry acts as typed
            entries = validation.formula1.strip('"').split(",")
            assert not any(e.startswith(FORMULA_STARTS) for e in entries), validation.formula1
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", cell.coordinate
                    if cell.value.startswith(FORMULA_STARTS):
                        assert cell.quotePrefix, cell.coordinate  # stays text when edited


def _load_xlsx(data: bytes, questionnaire: Questionnaire) -> list[Response]:
    import tempfile

    from weltoffen.serialization.xlsx import load_responses_xlsx

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sheet.xlsx"
        path.write_bytes(data)
        return load_responses_xlsx(path, questionnaire)


# -- command line -------------------------------------------------------------------------------

HOSTILE = '=HYPERLINK("http://example.org","click")'


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    """A responses file whose respondent id and metadata are formulas."""
    path = tmp_path / "responses.yaml"
    path.write_text(
        yaml.safe_dump(
            [
                {
                    "respondent": HOSTILE,
                    "answers": {"overtime": 3},
                    "metadata": {"name": "=1+1", "contact": "@SUM(A1)"},
                }
            ]
        ),
        encoding="utf-8",
    )
    return path


EXAMPLE = Path(__file__).parent.parent / "examples" / "basic" / "questionnaire.yaml"


class TestCommandLine:
    def test_filled_xlsx_sheet(self, filled: Path, tmp_path: Path, capsys) -> None:
        pytest.importorskip("openpyxl")
        out = tmp_path / "sheet.xlsx"
        assert main(["template", str(EXAMPLE), "--fill", str(filled), "-o", str(out)]) == 0

        _assert_xlsx_inert(out.read_bytes())
        assert main(["score", str(EXAMPLE), str(out), "--format", "csv"]) == 0
        (row,) = csv.DictReader(io.StringIO(capsys.readouterr().out))
        assert row["respondent"] == "'" + HOSTILE
        assert row["meta.name"] == "'=1+1"

    def test_filled_csv_sheet(self, filled: Path, tmp_path: Path, capsys) -> None:
        out = tmp_path / "sheet.csv"
        assert main(["template", str(EXAMPLE), "--fill", str(filled), "-o", str(out)]) == 0

        text = out.read_text(encoding="utf-8")
        _assert_csv_inert(text)
        assert main(["score", str(EXAMPLE), str(out), "--format", "json"]) == 0
        assert HOSTILE in capsys.readouterr().out.replace('\\"', '"')

    def test_control_character_in_a_filled_xlsx_sheet(self, tmp_path: Path, capsys) -> None:
        pytest.importorskip("openpyxl")
        responses = tmp_path / "responses.yaml"
        responses.write_text('- {respondent: "a\\e]0;owned\\a", answers: {}}\n', encoding="utf-8")
        out = tmp_path / "sheet.xlsx"
        code = main(["template", str(EXAMPLE), "--fill", str(responses), "-o", str(out)])

        assert code == 1
        assert "respondent: " in capsys.readouterr().err
        assert not out.exists()
