"""Streamed scoring of big tables: the same table as scoring each response, bounded problems.

The differential tests hold :func:`weltoffen.stream.score_table` to the rows that
:func:`weltoffen.reports.flat.format_csv` writes for :func:`weltoffen.score` of each response read
by :func:`load_responses_csv`, with chunks, the cache of cells and the file size limits made small
so that every path (several chunks, cells beyond the cache, the streamed decoding) is taken.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import weltoffen as w
from tests.strategies import questionnaire_and_responses
from weltoffen import stream
from weltoffen.exceptions import ProblemCode, ResponseError
from weltoffen.instruments import load_instrument
from weltoffen.reports.flat import format_csv
from weltoffen.serialization import text
from weltoffen.serialization.csv import load_responses_csv
from weltoffen.serialization.templates import csv_template
from weltoffen.stream import PROBLEM_LIMIT, score_table

pytest.importorskip("numpy")

EXAMPLES = Path(__file__).parent.parent / "examples" / "weltoffene-kommune"
ORIGINAL_LIMIT = text.MAX_BYTES

PLAIN = w.Questionnaire(
    id="plain",
    scales=(w.Scale(id="five", options=tuple(w.Option(value=str(p), points=p) for p in range(5))),),
    dimensions=(
        w.Dimension(
            id="d",
            questions=(
                w.ScaleQuestion(id="q1", scale="five", dont_know=True),
                w.ScaleQuestion(id="q2", scale="five"),
                w.Numeric(id="n", linear=w.Linear(low=0, high=10)),
            ),
        ),
    ),
)


@pytest.fixture
def small() -> Iterator[None]:
    """Chunks of two rows, three cells remembered per column, files over 200 bytes streamed."""
    with small_limits():
        yield


@contextlib.contextmanager
def small_limits() -> Iterator[None]:
    with (
        mock.patch.multiple(stream, _MIN_ROWS=2, _CHUNK_BYTES=1, _CACHE=3),
        mock.patch.object(text, "MAX_BYTES", 200),
    ):
        yield


def read(path: Path) -> str:
    """The text of *path* as written (a carriage return inside a cell kept)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def rows_of(table: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(table, newline="")))


def expected_table(path: Path, questionnaire: w.Questionnaire = PLAIN) -> str:
    """The table of scoring each response of *path* (read whole, whatever the limit in force)."""
    plan = w.compile(questionnaire)
    with mock.patch.object(text, "MAX_BYTES", ORIGINAL_LIMIT):
        responses = load_responses_csv(path, questionnaire)
    return format_csv([w.score(plan, r) for r in responses])


def assert_same_rows(streamed: str, expected: str) -> None:
    """Every cell format_csv writes is streamed the same; the streamed table's further columns
    are metadata columns of the sheet that no row fills."""
    got, want = rows_of(streamed), rows_of(expected)
    assert len(got) == len(want)
    for row, same in zip(got, want):
        assert {k: row[k] for k in same} == same
        assert all(row[k] == "" for k in row.keys() - same.keys())
        assert all(k.startswith("meta.") for k in row.keys() - same.keys())


class TestSameAsScore:
    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(case=questionnaire_and_responses(count=7, codes=True))
    def test_random_questionnaires(
        self, tmp_path: Path, case: tuple[w.Questionnaire, list[w.Response]]
    ) -> None:
        questionnaire, responses = case
        source = tmp_path / "answers.csv"
        source.write_text(csv_template(questionnaire, responses=responses), encoding="utf-8")
        target = tmp_path / "scores.csv"
        with small_limits():
            try:
                expected = expected_table(source, questionnaire)
            except ResponseError:
                # what scoring each response refuses, streaming refuses too
                with pytest.raises(ResponseError):
                    score_table(w.compile(questionnaire), [source], target)
                return
            count = score_table(w.compile(questionnaire), [source], target)
        assert count == len(responses)
        assert_same_rows(read(target), expected)

    def test_the_example_cohort(self, tmp_path: Path) -> None:
        """The self-check (conditions, multiple choice, numbers, codes) over 40 municipalities."""
        questionnaire = load_instrument("weltoffene-kommune", "1.0")
        responses = w.load_responses(EXAMPLES / "cohort.yaml")
        source = tmp_path / "cohort.csv"
        source.write_text(csv_template(questionnaire, responses=responses), encoding="utf-8")
        target = tmp_path / "scores.csv"

        with small_limits():
            assert score_table(w.compile(questionnaire), [source], target) == 40
        streamed = read(target)
        assert_same_rows(streamed, expected_table(source, questionnaire))
        assert len(rows_of(streamed)) == 40

    def test_a_workbook(self, tmp_path: Path) -> None:
        pytest.importorskip("openpyxl")
        from weltoffen.serialization.xlsx import load_responses_xlsx
        from weltoffen.serialization.xlsx_template import write_xlsx_template

        questionnaire = load_instrument("weltoffene-kommune", "1.0")
        responses = w.load_responses(EXAMPLES / "cohort.yaml")
        source = tmp_path / "cohort.xlsx"
        write_xlsx_template(questionnaire, source, responses=responses)
        plan = w.compile(questionnaire)
        expected = format_csv(
            [w.score(plan, r) for r in load_responses_xlsx(source, questionnaire)]
        )
        target = tmp_path / "scores.csv"

        with small_limits():
            assert score_table(plan, [source], target) == 40
        assert_same_rows(read(target), expected)

    def test_several_files_one_table(self, tmp_path: Path) -> None:
        questionnaire = load_instrument("weltoffene-kommune", "1.0")
        responses = w.load_responses(EXAMPLES / "cohort.yaml")
        first, second = tmp_path / "a.csv", tmp_path / "b.tsv"
        first.write_text(csv_template(questionnaire, responses=responses[:25]), encoding="utf-8")
        tabbed = csv_template(questionnaire, responses=responses[25:])
        second.write_text(
            "\n".join("\t".join(r) for r in csv.reader(io.StringIO(tabbed))), encoding="utf-8"
        )
        target = tmp_path / "scores.csv"

        with small_limits():
            assert score_table(w.compile(questionnaire), [first, second], target) == 40
        got = rows_of(read(target))
        assert [r["respondent"] for r in got] == [r.respondent for r in responses]


def write(path: Path, body: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(body.encode(encoding))
    return path


class TestProblems:
    def test_every_problem_at_once_and_the_target_kept(self, tmp_path: Path, small: None) -> None:
        source = write(
            tmp_path / "a.csv",
            "respondent,q1,q2,n,meta.role\n"
            "r1,1,2,3,x\n"
            "r2,7,2,3,x\n"  # no such option
            "r3,1,dont_know,3,x\n"  # a state q2 does not offer
            "r4,1,2,three,x\n"  # not a number
            "r1,1,2,3,x\n",  # twice
        )
        target = write(tmp_path / "scores.csv", "what was here before\n")

        with pytest.raises(ResponseError) as caught:
            score_table(w.compile(PLAIN), [source], target)

        found = [(p.code, p.line, p.path) for p in caught.value.problems]
        assert found == [
            (ProblemCode.BAD_ANSWER, 3, "q1"),
            (ProblemCode.STATE_NOT_OFFERED, 4, "q2"),
            (ProblemCode.BAD_ANSWER, 5, "n"),
            (ProblemCode.DUPLICATE_RESPONDENT, 6, "respondent"),
        ]
        assert all(p.file == str(source) for p in caught.value.problems)
        assert "respondent 'r2'" in caught.value.problems[0].message
        assert target.read_text() == "what was here before\n"
        assert sorted(os.listdir(tmp_path)) == ["a.csv", "scores.csv"]  # no temporary file left

    def test_every_file_has_its_say(self, tmp_path: Path) -> None:
        """A file that cannot be read does not hide the problems of the others."""
        bad = write(tmp_path / "bad.csv", "respondent,q1\nr1,9\n")
        missing = tmp_path / "missing.csv"
        fine = write(tmp_path / "fine.csv", "respondent,q1\nr2,1\n")

        with pytest.raises(ResponseError) as caught:
            score_table(w.compile(PLAIN), [missing, bad, fine], tmp_path / "out.csv")

        assert [(p.file, p.code) for p in caught.value.problems] == [
            (str(missing), ProblemCode.UNREADABLE_FILE),
            (str(bad), ProblemCode.BAD_ANSWER),
        ]

    def test_problems_are_bounded(self, tmp_path: Path) -> None:
        rows = "".join(f"r{i},9,1,1\n" for i in range(PROBLEM_LIMIT + 234))
        source = write(tmp_path / "a.csv", "respondent,q1,q2,n\n" + rows)

        with pytest.raises(ResponseError) as caught:
            score_table(w.compile(PLAIN), [source], tmp_path / "out.csv")

        problems = caught.value.problems
        assert len(problems) == PROBLEM_LIMIT + 1
        assert problems[-1].code is ProblemCode.TRUNCATED
        assert "234 more" in problems[-1].message
        assert not (tmp_path / "out.csv").exists()

    def test_a_file_without_responses(self, tmp_path: Path) -> None:
        source = write(tmp_path / "a.csv", "respondent,q1\n\n")

        with pytest.raises(ResponseError) as caught:
            score_table(w.compile(PLAIN), [source], tmp_path / "out.csv")

        (problem,) = caught.value.problems
        assert problem.code is ProblemCode.TOO_FEW
        assert problem.file == str(source)

    def test_an_empty_file_is_said_once(self, tmp_path: Path) -> None:
        source = write(tmp_path / "a.csv", "")

        with pytest.raises(ResponseError) as caught:
            score_table(w.compile(PLAIN), [source], tmp_path / "out.csv")

        assert [p.message for p in caught.value.problems] == ["the table is empty"]

    def test_header_problems_name_the_column(self, tmp_path: Path) -> None:
        source = write(tmp_path / "a.csv", "respondent,q1,qq2\nr1,1,2\n")

        with pytest.raises(ResponseError) as caught:
            score_table(w.compile(PLAIN), [source], tmp_path / "out.csv")

        assert [(p.code, p.line, p.path) for p in caught.value.problems] == [
            (ProblemCode.UNKNOWN_QUESTION, 1, "qq2")
        ]


class TestBigFiles:
    """Files beyond the size limit of whole reading are streamed (the limit made small)."""

    def test_streamed_decoding_gives_the_same_table(self, tmp_path: Path, small: None) -> None:
        rows = "".join(f"r{i},{i % 5},{(i * 3) % 5},{i % 11},Zürich\n" for i in range(60))
        body = "respondent,q1,q2,n,meta.ort\n" + rows
        plain = write(tmp_path / "utf8.csv", body)
        legacy = write(tmp_path / "cp1252.csv", body, "cp1252")
        assert plain.stat().st_size > text.MAX_BYTES

        plan = w.compile(PLAIN)
        score_table(plan, [plain], tmp_path / "a.csv")
        score_table(plan, [legacy], tmp_path / "b.csv", encoding="cp1252")

        a = rows_of(read(tmp_path / "a.csv"))
        b = rows_of(read(tmp_path / "b.csv"))
        assert [r["meta.ort"] for r in b] == ["Zürich"] * 60
        assert [r["score"] for r in a] == [r["score"] for r in b]
        assert_same_rows(read(tmp_path / "a.csv"), expected_table(plain))

    def test_not_utf8_is_located(self, tmp_path: Path, small: None) -> None:
        rows = "".join(f"r{i},1,1,1\n" for i in range(30))
        source = tmp_path / "a.csv"
        source.write_bytes(("respondent,q1,q2,n\n" + rows).encode() + b"r\xe9,1,1,1\n")

        with pytest.raises(ResponseError) as caught:
            score_table(w.compile(PLAIN), [source], tmp_path / "out.csv")

        (problem,) = caught.value.problems
        assert problem.code is ProblemCode.BAD_ENCODING
        assert problem.line == 32
        assert "--encoding" in problem.message

    def test_nul_bytes_are_refused(self, tmp_path: Path, small: None) -> None:
        source = tmp_path / "a.csv"
        source.write_bytes(b"respondent,q1,q2,n\n" + b"r1,1,1,1\n" * 30 + b"r\x00,1,1,1\n")

        with pytest.raises(ResponseError) as caught:
            score_table(w.compile(PLAIN), [source], tmp_path / "out.csv")

        assert [p.code for p in caught.value.problems] == [ProblemCode.WRONG_FILE_KIND]


@given(cells=st.lists(st.sampled_from(["0", "1", "4", "", "dont_know", "skipped"]), max_size=40))
def test_cells_beyond_the_cache_mean_what_they_say(cells: list[str]) -> None:
    """Whatever order cells come in, and however few are remembered, each reads as itself."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder, small_limits():
        body = "respondent,q1\n" + "".join(f"r{i},{c}\n" for i, c in enumerate(cells))
        source = write(Path(folder) / "a.csv", body)
        if not cells:
            return
        target = Path(folder) / "out.csv"
        score_table(w.compile(PLAIN), [source], target)
        assert_same_rows(read(target), expected_table(source))


class TestCommand:
    """``weltoffen score`` streams tables to CSV: the same bytes to a file and to the terminal."""

    def run(self, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
        from weltoffen.cli import main

        status = main(list(argv))
        out, err = capsys.readouterr()
        return status, out, err

    def test_file_and_standard_output_agree(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        questionnaire = tmp_path / "plain.yaml"
        w.dump_questionnaire(PLAIN, questionnaire)
        rows = "".join(f"r{i},{i % 5},{(i * 7) % 5},{i % 10},'=x{i}\n" for i in range(700))
        source = write(tmp_path / "a.csv", "respondent,q1,q2,n,meta.note\n" + rows)
        target = tmp_path / "scores.csv"

        status, _, err = self.run(
            capsys, "score", str(questionnaire), str(source), "-o", str(target)
        )
        assert status == 0
        assert err == f"wrote {target}: 700 results (csv)\n"
        status, out, _ = self.run(
            capsys, "score", str(questionnaire), str(source), "--format", "csv"
        )
        assert status == 0
        assert out == read(target)
        assert out == expected_table(source)  # every meta column is filled here
        assert rows_of(out)[0]["meta.note"] == "'=x0"  # written inert again

    def test_problems_write_nothing(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        questionnaire = tmp_path / "plain.yaml"
        w.dump_questionnaire(PLAIN, questionnaire)
        source = write(tmp_path / "a.csv", "respondent,q1\nr1,1\nr2,9\n")

        status, out, err = self.run(
            capsys, "score", str(questionnaire), str(source), "--format", "csv"
        )

        assert (status, out) == (1, "")
        assert err.startswith(f"error: {source}:3: q1: ")
        assert "Traceback" not in err

    def test_never_over_an_input(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        questionnaire = tmp_path / "plain.yaml"
        w.dump_questionnaire(PLAIN, questionnaire)
        source = write(tmp_path / "a.csv", "respondent,q1\nr1,1\n")

        status, _, err = self.run(
            capsys, "score", str(questionnaire), str(source), "-o", str(source)
        )

        assert status == 1
        assert "will not write" in err
        assert source.read_text() == "respondent,q1\nr1,1\n"


class TestRendered:
    """JSON and the text table, streamed a chunk of results at a time, are the whole text."""

    @pytest.mark.parametrize(("fmt", "trace"), [("json", True), ("json", False), ("table", True)])
    def test_pieces_make_the_whole(self, tmp_path: Path, fmt: str, trace: bool) -> None:
        from weltoffen.cli._score import _pieces, _render
        from weltoffen.stream import render_table

        questionnaire = load_instrument("weltoffene-kommune", "1.0")
        responses = w.load_responses(EXAMPLES / "cohort.yaml")
        source = tmp_path / "cohort.csv"
        source.write_text(csv_template(questionnaire, responses=responses), encoding="utf-8")
        plan = w.compile(questionnaire)
        target = tmp_path / f"out.{fmt}"

        with mock.patch.object(stream, "_RESULTS", 7):
            count = render_table(plan, [source], target, _pieces(fmt, plan, "en"), trace=trace)

        loaded = load_responses_csv(source, questionnaire)
        whole = _render(fmt, plan, [w.score(plan, r, trace=trace) for r in loaded], "en")
        assert count == 40
        assert read(target) == whole

    def test_an_answer_off_its_question_is_placed(self, tmp_path: Path) -> None:
        from weltoffen.stream import render_table

        source = write(tmp_path / "a.csv", "respondent,q1,q2\nr1,1,2\nr2,1,dont_know\n")
        target = write(tmp_path / "out.txt", "kept\n")

        with pytest.raises(ResponseError) as caught:
            render_table(w.compile(PLAIN), [source], target, lambda results, before: "x")

        (problem,) = caught.value.problems
        assert (problem.code, problem.file, problem.line, problem.location) == (
            ProblemCode.STATE_NOT_OFFERED,
            str(source),
            3,
            ("q2",),
        )
        assert read(target) == "kept\n"

    def test_the_default_format_streams(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """``weltoffen score QUESTIONNAIRE big.csv`` prints the table, streamed."""
        from weltoffen.cli import main

        questionnaire = tmp_path / "plain.yaml"
        w.dump_questionnaire(PLAIN, questionnaire)
        rows = "".join(f"r{i},{i % 5},{(i * 7) % 5},{i % 10}\n" for i in range(30))
        source = write(tmp_path / "a.csv", "respondent,q1,q2,n\n" + rows)

        with mock.patch.object(stream, "_RESULTS", 4):
            assert main(["score", str(questionnaire), str(source)]) == 0
        out = capsys.readouterr().out
        assert out.count("plain 1 · r") == 30
        assert "\n\nplain 1 · r4\n" in out  # the blank line between blocks across chunks
