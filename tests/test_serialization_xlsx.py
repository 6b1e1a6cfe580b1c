"""XLSX answer sheets: written with explanations, loaded back, mistakes named by cell."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from weltoffen import DONT_KNOW, NOT_APPLICABLE, Response, compile, score
from weltoffen.exceptions import ResponseError
from weltoffen.instruments import load_instrument
from weltoffen.serialization.templates import sheet_columns

openpyxl = pytest.importorskip("openpyxl")

from weltoffen.serialization import xlsx  # noqa: E402 - only with openpyxl
from weltoffen.serialization.xlsx import (  # noqa: E402 - only with openpyxl
    column_letter,
    load_responses_xlsx,
)
from weltoffen.serialization.xlsx_template import write_xlsx_template  # noqa: E402


@pytest.fixture(scope="module")
def kommune():
    return load_instrument("weltoffene-kommune", "1.0")


@pytest.fixture(scope="module")
def template(kommune, tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "sheet.xlsx"
    write_xlsx_template(kommune, path)
    return path


def _fill(template, target, cells: dict[str, object]) -> None:
    book = openpyxl.load_workbook(template)
    sheet = book.worksheets[0]
    for ref, value in cells.items():
        sheet[ref] = value
    book.save(target)


def _cell(kommune, column: str, row: int) -> str:
    return f"{column_letter(sheet_columns(kommune).index(column))}{row}"


class TestLetter:
    @pytest.mark.parametrize(
        ("position", "letters"),
        [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"), (701, "ZZ"), (702, "AAA")],
    )
    def test_columns(self, position, letters):
        assert letters == column_letter(position)


class TestTemplate:
    def test_first_sheet_has_the_columns_with_questions_as_comments(self, kommune, template):
        book = openpyxl.load_workbook(template)
        sheet = book.worksheets[0]
        header = [c.value for c in sheet[1]]
        assert header == sheet_columns(kommune)
        ms05 = sheet.cell(row=1, column=header.index("ms-05") + 1)
        assert "Wie ist die Zuständigkeit" in ms05.comment.text
        assert "stabsstelle = " in ms05.comment.text
        assert sheet.max_row == 1  # no respondent rows yet

    def test_choice_columns_have_drop_down_lists(self, kommune, template):
        sheet = openpyxl.load_workbook(template).worksheets[0]
        lists = {str(dv.sqref): dv.formula1 for dv in sheet.data_validations.dataValidation}
        col = column_letter(sheet_columns(kommune).index("ms-01"))
        assert lists[f"{col}2:{col}501"] == '"ja,nein,dont_know"'
        col = column_letter(sheet_columns(kommune).index("meta.type"))
        assert lists[f"{col}2:{col}501"] == '"kreisfreie-stadt,kreisangehoerige-gemeinde,landkreis"'
        col = column_letter(sheet_columns(kommune).index("ms-08"))  # multiple choice: no list
        assert not any(ref.startswith(f"{col}2:") for ref in lists)

    def test_second_sheet_explains_every_question(self, kommune, template):
        book = openpyxl.load_workbook(template)
        assert [s.title for s in book.worksheets] == ["Antworten", "Erläuterung"]
        rows = {r[0]: r for r in book.worksheets[1].iter_rows(values_only=True) if r and r[0]}
        for _, q in kommune.iter_questions():
            assert q.id in rows
        assert "nicht-vorhanden = Nicht vorhanden" in rows["ms-02"][5]
        assert "ms-01 = true (ja)" in rows["ms-02"][4]
        assert "kreisfreie-stadt = Kreisfreie Stadt" in rows["meta.type"][5]

    def test_english_sheet_names(self, kommune, tmp_path):
        write_xlsx_template(kommune, tmp_path / "en.xlsx", language="en")
        book = openpyxl.load_workbook(tmp_path / "en.xlsx")
        assert [s.title for s in book.worksheets] == ["Answers", "Codes"]

    def test_prefilled_sheet_round_trips(self, kommune, tmp_path):
        response = Response(
            respondent="testort",
            answers={
                "ms-01": True,
                "ms-02": "begonnen",
                "ms-04": 1.5,
                "ms-03": True,
                "ms-07": DONT_KNOW,
                "ms-08": ("bevoelkerung", "wohnen"),
                "fz-bi-02": NOT_APPLICABLE,
                "ms-14": "Beschluss vom 1. März",
            },
            metadata={"name": "Testort", "population": 4200},
        )
        write_xlsx_template(kommune, tmp_path / "filled.xlsx", responses=[response])
        (back,) = load_responses_xlsx(tmp_path / "filled.xlsx", kommune)
        plan = compile(kommune)
        assert score(plan, back) == score(plan, response)
        assert back.metadata == response.metadata


class TestLoad:
    def test_untouched_template_holds_no_responses(self, kommune, template):
        assert load_responses_xlsx(template, kommune) == []

    def test_filled_rows_load_and_score(self, kommune, template, tmp_path):
        target = tmp_path / "filled.xlsx"
        _fill(
            template,
            target,
            {
                "A2": "ort-a",
                _cell(kommune, "meta.type", 2): "landkreis",
                _cell(kommune, "ms-01", 2): "ja",
                _cell(kommune, "ms-04", 2): 2,  # a number cell
                _cell(kommune, "ms-03", 2): "ja",
                _cell(kommune, "ms-08", 2): "bevoelkerung; wohnen",
                _cell(kommune, "fz-bi-02", 2): "not_applicable",
                "A3": "ort-b",
                _cell(kommune, "ms-01", 3): "dont_know",
            },
        )
        a, b = load_responses_xlsx(target, kommune)
        assert a.respondent == "ort-a"
        assert a.metadata == {"type": "landkreis"}
        assert a.answers == {
            "ms-01": "ja",
            "ms-03": "ja",
            "ms-04": 2,
            "ms-08": ("bevoelkerung", "wohnen"),
            "fz-bi-02": NOT_APPLICABLE,
        }
        assert b.answers == {"ms-01": DONT_KNOW}
        assert score(compile(kommune), a).dimension("management-steuerung").counts["answered"] == 4

    def test_custom_codes(self, kommune, template, tmp_path):
        target = tmp_path / "codes.xlsx"
        _fill(template, target, {"A2": "x", _cell(kommune, "ms-01", 2): "wn"})
        (response,) = load_responses_xlsx(target, kommune, dont_know="wn")
        assert response.answers == {"ms-01": DONT_KNOW}

    def test_mistakes_name_their_cells(self, kommune, template, tmp_path):
        """A number that is not one, and an option the question lacks, each point at the cell."""
        target = tmp_path / "bad.xlsx"
        _fill(
            template,
            target,
            {
                "A2": "ort-a",
                "A7": "ort-b",
                _cell(kommune, "ms-04", 2): "viele",
                _cell(kommune, "ms-05", 7): "vielleicht",
            },
        )
        with pytest.raises(ResponseError) as info:
            load_responses_xlsx(target, kommune)
        (problem,) = info.value.problems
        assert problem.path == f"{_cell(kommune, 'ms-04', 2)} (ms-04)"
        assert problem.line == 2
        assert problem.file == str(target)
        # once the number is fixed, the option mistake shows, again with its cell
        _fill(target, target, {_cell(kommune, "ms-04", 2): 1})
        with pytest.raises(ResponseError) as info:
            load_responses_xlsx(target, kommune)
        (problem,) = info.value.problems
        cell = _cell(kommune, "ms-05", 7)
        assert problem.path == f"{cell} (ms-05)"
        assert problem.line == 7
        assert cell in str(problem)

    def test_unknown_column_names_the_header_cell(self, kommune, tmp_path):
        book = openpyxl.Workbook()
        book.active.append(["respondent", "ms-01", "ms-99"])
        book.active.append(["a", "ja", "x"])
        book.save(tmp_path / "cols.xlsx")
        with pytest.raises(ResponseError) as info:
            load_responses_xlsx(tmp_path / "cols.xlsx", kommune)
        assert [p.path for p in info.value.problems] == ["C1 (ms-99)"]

    def test_not_a_workbook(self, kommune, tmp_path):
        path = tmp_path / "fake.xlsx"
        path.write_text("respondent,ms-01\n", encoding="utf-8")
        with pytest.raises(ResponseError, match="not an Excel workbook"):
            load_responses_xlsx(path, kommune)

    def test_missing_file(self, kommune, tmp_path):
        with pytest.raises(ResponseError, match="no such file"):
            load_responses_xlsx(tmp_path / "missing.xlsx", kommune)

    def test_empty_workbook(self, kommune, tmp_path):
        openpyxl.Workbook().save(tmp_path / "empty.xlsx")
        with pytest.raises(ResponseError, match="empty"):
            load_responses_xlsx(tmp_path / "empty.xlsx", kommune)


# -- limits and formulas -----------------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _workbook_with(path, rows: str, dimension: str | None = None) -> None:
    """A workbook whose first worksheet holds *rows* (``<row>`` elements written by hand)."""
    base = io.BytesIO()
    openpyxl.Workbook().save(base)
    claimed = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = f'<worksheet xmlns="{_MAIN}">{claimed}<sheetData>{rows}</sheetData></worksheet>'
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet.encode()
            out.writestr(item.filename, data)


@contextlib.contextmanager
def _scratch(name: str) -> Iterator[Path]:
    """A path in a fresh folder, for tests that hypothesis runs many times."""
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder) / name


def _text(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def _row(number: int, *cells: str) -> str:
    return f'<row r="{number}">{"".join(cells)}</row>'


@pytest.fixture(scope="module")
def bomb(tmp_path_factory):
    """About 600 KB whose worksheet unpacks to 200 MiB (built here; never committed)."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.xlsx"
    row = _row(2, _text("A2", "x")).encode()
    chunk = row * (1024 * 1024 // len(row))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<worksheet xmlns="{_MAIN}"><sheetData>'.encode())
            for _ in range(200):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return path


class TestLimits:
    def test_archive_bomb_is_refused_before_it_is_unpacked(self, kommune, bomb):
        assert bomb.stat().st_size < 1024 * 1024
        with pytest.raises(ResponseError) as info:
            load_responses_xlsx(bomb, kommune)
        messages = [str(p) for p in info.value.problems]
        assert any(f"the limit is {xlsx.MAX_UNPACKED_BYTES} bytes" in m for m in messages)
        assert any(
            "xl/worksheets/sheet1.xml: unpacks to" in m and f"limit is {xlsx.MAX_RATIO} times" in m
            for m in messages
        )
        assert all(str(bomb) in m for m in messages)

    def test_archive_bomb_on_the_command_line(self, kommune, bomb, capsys):
        from weltoffen.cli import main

        assert (
            main(["score", "--instrument", "weltoffene-kommune", "--version", "1.0", str(bomb)])
            == 1
        )
        err = capsys.readouterr().err
        assert "limit is" in err
        assert "Traceback" not in err

    def test_one_file_that_packs_too_well(self, kommune, tmp_path):
        path = tmp_path / "ratio.xlsx"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/sharedStrings.xml", b" " * (2 * xlsx.RATIO_CHECKED_FROM))
        with pytest.raises(ResponseError) as info:
            load_responses_xlsx(path, kommune)
        (problem,) = info.value.problems
        assert problem.path == "xl/sharedStrings.xml"
        assert f"the limit is {xlsx.MAX_RATIO} times" in problem.message

    def test_small_files_may_pack_as_well_as_they_like(self, kommune, tmp_path):
        """The ratio counts only for files large enough to matter; a real sheet loads."""
        path = tmp_path / "small.xlsx"
        _workbook_with(path, _row(1, _text("A1", "respondent")) + _row(2, " " * 50_000))
        assert load_responses_xlsx(path, kommune) == []

    def test_limits_are_documented(self):
        docs = (Path(__file__).parent.parent / "docs" / "cli.md").read_text(encoding="utf-8")
        for row in [
            f"| files in the archive | {xlsx.MAX_ENTRIES} |",
            f"| all files together, unpacked | 64 MiB ({xlsx.MAX_UNPACKED_BYTES} bytes) |",
            f"larger than {xlsx.RATIO_CHECKED_FROM // 2**20} MiB | {xlsx.MAX_RATIO} times |",
            f"| rows of the first worksheet, header included | {xlsx.MAX_ROWS} |",
            f"| columns of the first worksheet | {xlsx.MAX_COLUMNS} |",
            f"counted up to the last one of each row | {xlsx.MAX_CELLS} |",
        ]:
            assert row in docs

    def test_too_many_files(self, kommune, tmp_path):
        path = tmp_path / "many.xlsx"
        with zipfile.ZipFile(path, "w") as archive:
            for i in range(xlsx.MAX_ENTRIES + 1):
                archive.writestr(f"x/{i}.xml", "")
        with pytest.raises(ResponseError) as info:
            load_responses_xlsx(path, kommune)
        (problem,) = info.value.problems
        assert f"holds {xlsx.MAX_ENTRIES + 1} files; the limit is {xlsx.MAX_ENTRIES}" in str(
            problem
        )

    def test_too_many_bytes_unpacked(self, kommune, tmp_path, monkeypatch):
        monkeypatch.setattr(xlsx, "MAX_UNPACKED_BYTES", 1000)
        path = tmp_path / "big.xlsx"
        with zipfile.ZipFile(path, "w") as archive:  # stored, so no ratio to speak of
            archive.writestr("a.xml", os.urandom(600))
            archive.writestr("b.xml", os.urandom(600))
        with pytest.raises(ResponseError) as info:
            load_responses_xlsx(path, kommune)
        (problem,) = info.value.problems
        assert problem.message == "the archive unpacks to 1200 bytes; the limit is 1000 bytes"

    @given(
        rows=st.lists(st.integers(2, 10**9), min_size=1, max_size=4, unique=True).map(sorted),
        claimed=st.sampled_from([None, "A1:A1", "A1:XFD1048576"]),
    )
    def test_rows_beyond_the_limit(self, kommune, rows, claimed):
        """Refused as soon as the count passes the limit, however far the rows are numbered."""
        cells = [_row(1, _text("A1", "respondent"))]
        cells += [_row(n, _text(f"A{n}", f"r{n}")) for n in rows]
        with _scratch("rows.xlsx") as path, pytest.MonkeyPatch.context() as patch:
            _workbook_with(path, "".join(cells), claimed)
            patch.setattr(xlsx, "MAX_ROWS", 50)
            if rows[-1] > 50:
                with pytest.raises(ResponseError) as info:
                    load_responses_xlsx(path, kommune)
                (problem,) = info.value.problems
                assert problem.path == "Sheet!A51"
                assert "more than 50 rows" in problem.message
            else:
                loaded = load_responses_xlsx(path, kommune)
                assert [r.respondent for r in loaded] == [f"r{n}" for n in rows]

    @given(column=st.integers(1, 16384), styled=st.integers(1, 16384))
    def test_columns_beyond_the_limit(self, kommune, column, styled):
        """A value beyond the limit is refused by its cell; an empty styled cell is no matter."""
        letter = column_letter(column - 1)
        rows = [
            _row(1, _text("A1", "respondent")),
            _row(2, _text(f"{letter}2", "x")),
            _row(3, f'<c r="{column_letter(styled - 1)}3" s="0"/>'),
        ]
        with _scratch("columns.xlsx") as path, pytest.MonkeyPatch.context() as patch:
            _workbook_with(path, "".join(rows))
            patch.setattr(xlsx, "MAX_COLUMNS", 30)
            try:
                load_responses_xlsx(path, kommune)
            except ResponseError as exc:
                limits = [p for p in exc.problems if "columns, the limit" in p.message]
            else:
                limits = []
        assert [p.path for p in limits] == ([f"Sheet!{letter}2"] if column > 30 else [])

    def test_cells_beyond_the_limit(self, kommune, tmp_path, monkeypatch):
        """Rows with one value far to the right take memory for every cell before it."""
        monkeypatch.setattr(xlsx, "MAX_CELLS", 100)
        path = tmp_path / "wide.xlsx"
        rows = [_row(1, _text("A1", "respondent"))]
        rows += [_row(n, _text(f"AD{n}", "x")) for n in range(2, 6)]  # 30 cells each
        _workbook_with(path, "".join(rows))
        with pytest.raises(ResponseError) as info:
            load_responses_xlsx(path, kommune)
        (problem,) = info.value.problems
        assert (problem.path, problem.line) == ("Sheet!A5", 5)
        assert "more than 100 cells" in problem.message

    @given(
        damage=st.one_of(
            st.binary(max_size=200),
            st.integers(0, 400).map(lambda cut: _SHEET[:cut]),  # cut off anywhere
            st.tuples(st.integers(0, 400), st.binary(min_size=1, max_size=4)).map(
                lambda at: _SHEET[: at[0]] + at[1] + _SHEET[at[0] :]
            ),
        )
    )
    def test_damaged_worksheet_is_a_problem_not_a_crash(self, kommune, damage):
        with _scratch("damaged.xlsx") as path:
            base = io.BytesIO()
            openpyxl.Workbook().save(base)
            with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w") as out:
                for item in src.infolist():
                    data = src.read(item.filename)
                    out.writestr(item.filename, damage if "worksheets/" in item.filename else data)
            try:
                load_responses_xlsx(path, kommune)
            except ResponseError as exc:  # anything else would be a crash
                problems = exc.problems
            else:
                problems = ()
        assert all(p.file == str(path) for p in problems)

    def test_archive_that_lies_about_its_sizes(self, kommune, tmp_path):
        """A header claiming fewer bytes than the file holds fails its check, named as such."""
        path = tmp_path / "liar.xlsx"
        base = io.BytesIO()
        openpyxl.Workbook().save(base)
        raw = bytearray(base.getvalue())
        with zipfile.ZipFile(base) as archive:
            info = archive.getinfo("xl/worksheets/sheet1.xml")
        # the central directory's record of the sheet: claim half its unpacked size
        record = raw.rfind(b"PK\x01\x02", 0, raw.rfind(b"xl/worksheets/sheet1.xml"))
        raw[record + 24 : record + 28] = (info.file_size // 2).to_bytes(4, "little")
        path.write_bytes(bytes(raw))
        with pytest.raises(ResponseError, match="not an Excel workbook"):
            load_responses_xlsx(path, kommune)


_SHEET = (
    f'<worksheet xmlns="{_MAIN}"><sheetData>'
    + _row(1, _text("A1", "respondent"), _text("B1", "ms-04"))
    + _row(2, _text("A2", "ort"), '<c r="B2"><v>2</v></c>')
    + "</sheetData></worksheet>"
).encode()


_KINDS = ("plain", "stored", "bare")


def _formula(ref: str, value: object, kind: str) -> str:
    """A cell holding *value*: typed in, computed by a formula with its value stored, or without."""
    if kind == "bare":
        return f'<c r="{ref}"><f>SUM(Z1:Z9)</f></c>'
    text = isinstance(value, str)
    if kind == "plain":
        return _text(ref, value) if text else f'<c r="{ref}"><v>{value}</v></c>'
    kind_attr = ' t="str"' if text else ""
    shown = escape(str(value))
    return f'<c r="{ref}"{kind_attr}><f>"{shown}"&amp;""</f><v>{shown}</v></c>'


class TestFormulas:
    @given(kinds=st.lists(st.tuples(*[st.sampled_from(_KINDS)] * 3), min_size=1, max_size=4))
    def test_stored_values_are_read_and_missing_ones_named_by_cell(self, kommune, kinds):
        """Header and answers alike: a formula's stored value counts; without one, refused."""
        columns = ("A", "B", "C")
        rows = []
        bare = []
        for number, row_kinds in enumerate(kinds, start=1):
            values = (
                ("respondent", "ms-04", "ms-14") if number == 1 else (f"r{number}", number, "t")
            )
            rows.append(
                _row(
                    number,
                    *(
                        _formula(f"{c}{number}", v, k)
                        for c, v, k in zip(columns, values, row_kinds)
                    ),
                )
            )
            bare += [f"Sheet!{c}{number}" for c, k in zip(columns, row_kinds) if k == "bare"]
        with _scratch("formulas.xlsx") as path:
            _workbook_with(path, "".join(rows))
            if bare:
                with pytest.raises(ResponseError) as info:
                    load_responses_xlsx(path, kommune)
            else:
                loaded = load_responses_xlsx(path, kommune)
        if bare:
            assert [p.path for p in info.value.problems] == bare
            assert all("formula without a stored value" in p.message for p in info.value.problems)
        else:
            assert [(r.respondent, r.answers) for r in loaded] == [
                (f"r{n}", {"ms-04": n, "ms-14": "t"}) for n in range(2, len(kinds) + 1)
            ]

    @pytest.mark.parametrize("value", ["<v></v>", "<v/>"])
    def test_empty_text_result_is_an_empty_cell(self, kommune, tmp_path, value):
        """A formula whose stored result is empty text is an empty cell, not a missing value."""
        path = tmp_path / "empty.xlsx"
        header = _row(1, _text("A1", "respondent"), _text("B1", "ms-04"), _text("C1", "ms-14"))
        empty = f'<c r="C2" t="str"><f>IF(TRUE,"","x")</f>{value}</c>'
        _workbook_with(path, header + _row(2, _text("A2", "ort"), empty))
        (response,) = load_responses_xlsx(path, kommune)
        assert response.answers == {}

    def test_message_names_sheet_and_cell(self, kommune, tmp_path):
        path = tmp_path / "sum.xlsx"
        book = openpyxl.Workbook()
        book.active.title = "Answers"
        book.active.append(["respondent", "ms-04"])
        book.active.append(["ort", "=1+2"])  # openpyxl stores no value for it
        book.save(path)
        with pytest.raises(ResponseError) as info:
            load_responses_xlsx(path, kommune)
        assert str(info.value) == (
            f"{path}:2: Answers!B2: holds a formula without a stored value (expected the value "
            "itself, or the file saved by a spreadsheet program (which stores the value of every "
            "formula))"
        )


class TestStreamed:
    """The streamed reading of big workbooks (weltoffen.stream) reads cells as loading does."""

    pytest.importorskip("numpy")

    @given(kinds=st.lists(st.tuples(*[st.sampled_from(_KINDS)] * 3), min_size=2, max_size=4))
    def test_formulas_as_loading_reads_them(self, kommune, kinds):
        from weltoffen.stream import score_table

        columns = ("A", "B", "C")
        rows = []
        for number, row_kinds in enumerate(kinds, start=1):
            values = (
                ("respondent", "ms-04", "ms-14") if number == 1 else (f"r{number}", number, "t")
            )
            cells = (_formula(f"{c}{number}", v, k) for c, v, k in zip(columns, values, row_kinds))
            rows.append(_row(number, *cells))
        with _scratch("formulas.xlsx") as path:
            _workbook_with(path, "".join(rows))
            target = path.with_suffix(".csv")
            try:
                loaded, refused = load_responses_xlsx(path, kommune), None
            except ResponseError as exc:
                loaded, refused = [], [p.path for p in exc.problems]
            if refused is not None:
                with pytest.raises(ResponseError) as streamed:
                    score_table(compile(kommune), [path], target)
                # loading stops at formulas without values; streaming reads on past them
                assert set(refused) <= {p.path for p in streamed.value.problems}
                assert not target.exists()
                return
            assert score_table(compile(kommune), [path], target) == len(loaded)
            with target.open(encoding="utf-8", newline="") as handle:
                got = list(csv.DictReader(handle))
        plan = compile(kommune)
        assert [row["score"] for row in got] == [
            "" if (s := score(plan, r).score) is None else repr(s) for r in loaded
        ]

    def test_limits_of_holding_do_not_apply(self, kommune, tmp_path, monkeypatch):
        """Rows and cells beyond the limits of loading are streamed; a bomb still is not."""
        from weltoffen.stream import score_table

        path = tmp_path / "long.xlsx"
        header = _row(1, _text("A1", "respondent"), _text("B1", "ms-04"))
        body = "".join(
            _row(n, _text(f"A{n}", f"r{n}"), f'<c r="B{n}"><v>{n}</v></c>') for n in range(2, 80)
        )
        _workbook_with(path, header + body)
        monkeypatch.setattr(xlsx, "MAX_ROWS", 50)
        monkeypatch.setattr(xlsx, "MAX_CELLS", 60)
        with pytest.raises(ResponseError):
            load_responses_xlsx(path, kommune)

        assert score_table(compile(kommune), [path], tmp_path / "out.csv") == 78

    def test_a_bomb_is_refused_all_the_same(self, kommune, bomb, tmp_path):
        from weltoffen.stream import score_table

        with pytest.raises(ResponseError) as info:
            score_table(compile(kommune), [bomb], tmp_path / "out.csv")
        assert any("unpacks to" in str(p) for p in info.value.problems)
        assert not (tmp_path / "out.csv").exists()

    def test_problems_name_the_cell(self, kommune, tmp_path):
        from weltoffen.stream import score_table

        path = tmp_path / "bad.xlsx"
        header = _row(1, _text("A1", "respondent"), _text("B1", "ms-01"))
        _workbook_with(path, header + _row(2, _text("A2", "r2"), _text("B2", "maybe")))

        with pytest.raises(ResponseError) as info:
            score_table(compile(kommune), [path], tmp_path / "out.csv")
        (problem,) = info.value.problems
        assert (problem.cell, problem.line, problem.location) == ("B2", 2, ("ms-01",))


_CELL_VALUES = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), max_size=8)
    # openpyxl writes text starting with "=" as a formula: formulas are tested on their own
    .filter(lambda t: not t.startswith("="))
    .filter(lambda t: not any("\x01" <= c < "\x20" and c not in "\t\n" for c in t)),
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.datetimes(
        min_value=__import__("datetime").datetime(1901, 1, 1),
        max_value=__import__("datetime").datetime(2099, 12, 31),
    ).map(lambda d: d.replace(microsecond=0)),
)


class TestFastRows:
    """The worksheet read with expat gives the values openpyxl's read-only worksheet gives."""

    @given(grid=st.lists(st.lists(_CELL_VALUES, max_size=6), min_size=1, max_size=6))
    def test_values_as_openpyxl_reads_them(self, grid: list[list[object]]) -> None:
        from weltoffen.serialization.xlsx_rows import first_worksheet

        with _scratch("grid.xlsx") as path:
            book = openpyxl.Workbook()
            sheet = book.active
            for r, row in enumerate(grid, start=1):
                for c, value in enumerate(row, start=1):
                    if value is not None:
                        sheet.cell(row=r, column=c, value=value)
            book.save(path)
            expected = _openpyxl_rows(path)
            with first_worksheet(str(path)) as (title, rows):
                got = {number: values for number, values, _ in rows}
        assert title == "Sheet"
        assert {n: v for n, v in got.items() if v} == {n: v for n, v in expected.items() if v}

    def test_inline_text_rich_runs_and_phonetics(self, tmp_path: Path) -> None:
        from weltoffen.serialization.xlsx_rows import first_worksheet

        path = tmp_path / "inline.xlsx"
        rich = '<c r="B1" t="inlineStr"><is><r><t>ab</t></r><r><t xml:space="preserve"> c</t></r>'
        rich += '<rPh sb="0" eb="1"><t>x</t></rPh></is></c>'
        _workbook_with(
            path, _row(1, _text("A1", "plain"), rich) + _row(3, '<c r="C3" t="b"><v>1</v></c>')
        )

        with first_worksheet(str(path)) as (_, rows):
            got = {number: values for number, values, _ in rows}

        assert got == {n: v for n, v in _openpyxl_rows(path).items() if v}
        assert got[1] == ["plain", "ab c"]
        assert got[3] == [None, None, True]

    def test_a_document_type_is_refused(self, tmp_path: Path) -> None:
        from weltoffen.stream import score_table

        path = tmp_path / "doctype.xlsx"
        base = io.BytesIO()
        openpyxl.Workbook().save(base)
        sheet = (
            '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaa">]>'
            f'<worksheet xmlns="{_MAIN}"><sheetData>'
            + _row(1, _text("A1", "respondent"))
            + "</sheetData></worksheet>"
        )
        with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w") as out:
            for item in src.infolist():
                data = src.read(item.filename)
                out.writestr(item.filename, sheet if "worksheets/" in item.filename else data)

        with pytest.raises(ResponseError) as caught:
            score_table(
                compile(load_instrument("weltoffene-kommune", "1.0")), [path], tmp_path / "o.csv"
            )
        assert "document type" in str(caught.value)


def _openpyxl_rows(path: Path) -> dict[int, list[object]]:
    """Row number -> values up to the last non-empty one, as openpyxl's read-only sheet reads."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
        out = {}
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            values = list(row)
            while values and values[-1] is None:
                values.pop()
            out[number] = values
        return out
    finally:
        book.close()
