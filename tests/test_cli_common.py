"""What every command has in common: terminal-safe output, files without responses, blank
respondents, ``-o`` naming a folder, warnings — each across the commands it concerns."""

from __future__ import annotations

import ast
import contextlib
import csv
import io
import json
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import weltoffen.cli
from tests.helpers import check_result
from tests.strategies import UNSEEN_CATEGORIES, hostile_texts
from weltoffen._unicode import one_line
from weltoffen.cli import main

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "basic"
QUESTIONNAIRE = str(EXAMPLE / "questionnaire.yaml")
RESPONSES = str(EXAMPLE / "responses.yaml")


def run(*argv: str) -> tuple[int, str, str]:
    """Run the command line in-process (hypothesis cannot share pytest's capsys)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(argv))
    assert "Traceback" not in err.getvalue()
    return status, out.getvalue(), err.getvalue()


def raw_unseen(text: str, layout: str = "\n") -> list[str]:
    """Characters in *text* that a terminal would obey or hide, other than the *layout*'s own."""
    return [
        c
        for c in text.replace("\r\n", "\n")
        if unicodedata.category(c) in {*UNSEEN_CATEGORIES, "Cs"} and c not in layout
    ]


def folder() -> Path:
    """A fresh folder per example (pytest's tmp_path is one per test, shared by examples)."""
    return Path(tempfile.mkdtemp(prefix="weltoffen-cli-"))


def responses_file(*respondents: str, answers: dict[str, object] | None = None) -> str:
    path = folder() / "responses.json"
    data = [{"respondent": r, "answers": answers or {"manageable": "agree"}} for r in respondents]
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def assert_error_lines(err: str, count: int | None = None) -> list[str]:
    """Standard error holds only ``error:`` lines (*count* of them), nothing raw."""
    assert raw_unseen(err) == []
    lines = err.splitlines()
    assert lines, "no error printed"
    assert all(line.startswith("error: ") for line in lines), lines
    if count is not None:
        assert count == len(lines)
    return lines


# -- control characters and bidi overrides ------------------------------------------------------


class TestControlCharactersAreShownNotObeyed:
    @given(respondent=hostile_texts())
    def test_score_table(self, respondent: str) -> None:
        status, out, _ = run("score", QUESTIONNAIRE, responses_file(respondent))

        assert status == 0
        assert raw_unseen(out) == []
        assert f"team-wellbeing 1.0 · {one_line(respondent)}\n" in out

    @given(respondent=hostile_texts())
    def test_score_csv_on_standard_output(self, respondent: str) -> None:
        """A tab is the one control kept: harmless to a terminal, and CSV's own business."""
        status, out, _ = run("score", QUESTIONNAIRE, responses_file(respondent), "--format", "csv")

        assert status == 0
        assert raw_unseen(out, layout="\n\t") == []

    @given(respondent=hostile_texts())
    def test_score_json_on_standard_output_keeps_the_data(self, respondent: str) -> None:
        status, out, _ = run("score", QUESTIONNAIRE, responses_file(respondent), "--format", "json")

        assert status == 0
        assert raw_unseen(out) == []
        assert respondent == json.loads(out)[0]["respondent"]
        check_result(json.loads(out), "score")

    @given(respondent=hostile_texts())
    def test_files_written_with_o_hold_the_exact_data(self, respondent: str) -> None:
        source = responses_file(respondent)
        target = folder()

        assert run("score", QUESTIONNAIRE, source, "-o", str(target / "r.json"))[0] == 0
        assert run("score", QUESTIONNAIRE, source, "-o", str(target / "r.csv"))[0] == 0

        data = json.loads((target / "r.json").read_text(encoding="utf-8"))
        assert respondent == data[0]["respondent"]
        check_result(data, "score")
        with (target / "r.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows[1][0] in (respondent, f"'{respondent}")  # a formula guard may lead

    @given(respondent=hostile_texts())
    def test_the_other_text_reports(self, respondent: str) -> None:
        source = responses_file(respondent, "ada", "ben")

        for command in (["cohort"], ["reliability"], ["sensitivity", "--draws", "5"]):
            status, text, _ = run(command[0], QUESTIONNAIRE, source, *command[1:])
            assert status == 0
            assert raw_unseen(text) == []

        status, markdown, _ = run(
            # one argument, so that an id starting with '-' is not taken for an option
            "report",
            QUESTIONNAIRE,
            source,
            f"--respondent={respondent}",
            "--format",
            "markdown",
        )
        assert status == 0
        assert raw_unseen(markdown, layout="\n\t") == []

    @given(title=hostile_texts(), label=hostile_texts())
    def test_titles_and_labels_in_the_table(self, title: str, label: str) -> None:
        bands = [
            {"id": "low", "min": 0, "max": 50, "label": label},
            {"id": "high", "min": 50, "max": 100, "label": label},
        ]
        q = {
            "id": "t",
            "bands": bands,
            "dimensions": [{"id": "d", "title": title, "questions": [YES_NO]}],
        }
        path = folder() / "q.json"
        path.write_text(json.dumps(q), encoding="utf-8")

        status, out, _ = run(
            "score", str(path), responses_file("r", answers={"q": True}), "--trace"
        )

        assert status == 0
        assert raw_unseen(out) == []
        assert one_line(label) in out

    @given(key=hostile_texts())
    def test_unknown_answer_key_on_standard_error(self, key: str) -> None:
        status, out, err = run("score", QUESTIONNAIRE, responses_file("r", answers={key: 1}))

        assert (status, out) == (1, "")
        (line,) = assert_error_lines(err)
        assert f"[0].answers.{one_line(key)}: " in line

    @given(respondent=hostile_texts())
    def test_respondent_in_a_message_on_standard_error(self, respondent: str) -> None:
        status, _, err = run("score", QUESTIONNAIRE, responses_file(respondent, respondent))

        assert status == 1
        (line,) = assert_error_lines(err)
        assert "appears twice" in line

    @given(version=hostile_texts())
    def test_validate(self, version: str) -> None:
        path = folder() / "q.json"
        q = {"id": "t", "version": version, "dimensions": [{"id": "d", "questions": [YES_NO]}]}
        path.write_text(json.dumps(q), encoding="utf-8")

        status, out, _ = run("validate", str(path))

        assert status == 0
        assert out == f"t {one_line(version)}: valid (1 questions, 1 dimensions)\n"

    @given(qid=hostile_texts())
    def test_refused_ids_on_standard_error(self, qid: str) -> None:
        path = folder() / "q.json"
        question = {**YES_NO, "id": qid}
        q = {"id": "t", "dimensions": [{"id": "d", "questions": [question]}]}
        path.write_text(json.dumps(q), encoding="utf-8")

        status, _, err = run("validate", str(path))

        assert status == 1
        (line,) = assert_error_lines(err)
        assert "invisible character" in line

    def test_file_names(self) -> None:
        missing = str(folder() / "a\x1b]0;owned\x07\u202eb.yaml")

        status, _, err = run("score", QUESTIONNAIRE, missing)

        assert status == 1
        (line,) = assert_error_lines(err)
        assert "a\\x1b]0;owned\\x07\\u202eb.yaml" in line


def test_usage_errors_quote_arguments_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["score", QUESTIONNAIRE, RESPONSES, "--x\x1b[2J\u202e"])

    err = capsys.readouterr().err
    assert caught.value.code == 2
    assert raw_unseen(err) == []
    assert err.endswith("error: unrecognized arguments: --x\\x1b[2J\\u202e\n")


YES_NO = {"id": "q", "kind": "yes_no"}


def _writers_to_the_terminal(tree: ast.AST) -> list[str]:
    """Functions (by name) that print or touch sys.stdout / sys.stderr."""
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef):
            continue
        for node in ast.walk(function):
            prints = isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print"
            streams = isinstance(node, ast.Attribute) and node.attr in ("stdout", "stderr")
            if prints or streams:
                found.append(function.name)
    return sorted(set(found))


def test_commands_reach_the_terminal_only_through_emit_and_tell() -> None:
    """The escaping cannot be forgotten: no command module prints or writes to a stream."""
    package = Path(weltoffen.cli.__file__).parent
    writers = {
        path.name: _writers_to_the_terminal(ast.parse(path.read_text(encoding="utf-8")))
        for path in sorted(package.glob("*.py"))
    }

    assert {k: v for k, v in writers.items() if v} == {
        "__init__.py": ["error"],  # argparse's usage errors, escaped
        # _terminal_bar (for counting and tracking) and progress: the tqdm bar on stderr;
        # silence_stdout: after a broken pipe
        "_common.py": [
            "_terminal_bar",
            "emit",
            "emit_written",
            "notice",
            "progress",
            "silence_stdout",
            "tell",
        ],
    }


# -- files without responses --------------------------------------------------------------------


def _xlsx_with_header_only(path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(["respondent", "manageable"])
    book.save(path)


EMPTY_FILES = {
    "list.yaml": "[]\n",
    "wrapped.yaml": "responses: []\n",
    "list.json": "[]",
    "header.csv": "respondent,manageable\n",
    "header.tsv": "respondent\tmanageable\n",
    "header.xlsx": _xlsx_with_header_only,
}

#: Every command that reads responses, with FILE standing for the responses file.
READERS = {
    "score": ["score", QUESTIONNAIRE, "FILE"],
    "cohort": ["cohort", QUESTIONNAIRE, "FILE"],
    "reliability": ["reliability", QUESTIONNAIRE, "FILE"],
    "sensitivity": ["sensitivity", QUESTIONNAIRE, "FILE", "--draws", "5"],
    "report": ["report", QUESTIONNAIRE, "FILE", "--format", "markdown"],
    "template": ["template", QUESTIONNAIRE, "--fill", "FILE"],
}


@pytest.mark.parametrize("name", sorted(EMPTY_FILES))
@pytest.mark.parametrize("command", sorted(READERS))
def test_a_file_without_responses_is_an_error(tmp_path: Path, command: str, name: str) -> None:
    path = tmp_path / name
    content = EMPTY_FILES[name]
    if callable(content):
        content(path)
    else:
        path.write_text(content, encoding="utf-8")
    argv = [str(path) if a == "FILE" else a for a in READERS[command]]

    status, out, err = run(*argv)

    assert (status, out) == (1, "")
    assert err == f"error: {path}: the file holds no responses (expected one or more)\n"


def test_an_empty_file_beside_others_is_named_alone(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("respondent,manageable\n", encoding="utf-8")

    status, out, err = run("score", QUESTIONNAIRE, RESPONSES, str(empty))

    assert (status, out) == (1, "")
    assert err == f"error: {empty}: the file holds no responses (expected one or more)\n"


# -- blank respondents --------------------------------------------------------------------------

_blank = st.text(alphabet=" \t\u00a0\u2003\u3000", max_size=4)


def _blank_respondent_file(kind: str, blank: str) -> tuple[Path, str]:
    """A file of *kind* whose second response has the respondent *blank*, and that place."""
    path = folder() / f"responses.{kind}"
    rows = [["respondent", "manageable"], ["ada", "agree"], [blank, "agree"]]
    if kind == "yaml":
        path.write_text(
            f"- respondent: ada\n- respondent: {json.dumps(blank)}\n  answers: {{}}\n",
            encoding="utf-8",
        )
        return path, ":2: [1].respondent"
    if kind == "json":
        data = [{"respondent": "ada"}, {"respondent": blank, "answers": {}}]
        path.write_text(json.dumps(data, indent=1), encoding="utf-8")
        return path, ": [1].respondent"
    if kind == "csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)
        return path, ":3: respondent"
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path, ":3: A3 (respondent)"


@pytest.mark.parametrize("kind", ["yaml", "json", "csv", "xlsx"])
@given(blank=_blank)
def test_a_blank_respondent_is_refused_by_every_reader(kind: str, blank: str) -> None:
    path, place = _blank_respondent_file(kind, blank)

    status, out, err = run("score", QUESTIONNAIRE, str(path))

    assert (status, out) == (1, "")
    (line,) = assert_error_lines(err)
    assert line.startswith(f"error: {path}{place}: the respondent is empty (expected an id that")


# -- -o naming a folder -------------------------------------------------------------------------

REPORT_ADA = ["report", QUESTIONNAIRE, RESPONSES, "--respondent", "ada", "--format", "markdown"]

#: Every command that writes a file with -o (OUT stands for it).
WRITERS = {
    "score": ["score", QUESTIONNAIRE, RESPONSES, "-o", "OUT"],
    "score-json": ["score", QUESTIONNAIRE, RESPONSES, "--format", "json", "-o", "OUT"],
    "cohort": ["cohort", QUESTIONNAIRE, RESPONSES, "-o", "OUT"],
    "reliability": ["reliability", QUESTIONNAIRE, RESPONSES, "-o", "OUT"],
    "sensitivity": ["sensitivity", QUESTIONNAIRE, RESPONSES, "--draws", "5", "-o", "OUT"],
    "report": [*REPORT_ADA, "-o", "OUT"],
    "template": ["template", QUESTIONNAIRE, "-o", "OUT"],
    "template-csv": ["template", QUESTIONNAIRE, "--format", "csv", "-o", "OUT"],
    "template-xlsx": ["template", QUESTIONNAIRE, "--format", "xlsx", "-o", "OUT"],
    "schema": ["schema", "-o", "OUT"],
}


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_o_naming_a_folder_says_so(tmp_path: Path, command: str) -> None:
    if command == "template-xlsx":
        pytest.importorskip("openpyxl")
    out = tmp_path / "out"
    out.mkdir()

    status, printed, err = run(*(str(out) if a == "OUT" else a for a in WRITERS[command]))

    assert (status, printed) == (1, "")
    assert err == f"error: will not write {str(out)!r}: it is a directory (expected a file name)\n"
    assert list(out.iterdir()) == []
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


# -- warnings -----------------------------------------------------------------------------------


def test_look_alike_ids_are_warned_about_without_changing_the_status(tmp_path: Path) -> None:
    path = tmp_path / "q.yaml"
    path.write_text(
        "id: t\n"
        "dimensions:\n"
        "  - id: d\n"
        "    questions:\n"
        "      - {id: cost, kind: yes_no}\n"
        "      - {id: \u0441ost, kind: yes_no}\n",
        encoding="utf-8",
    )

    status, out, err = run("validate", str(path))

    assert (status, out) == (0, "t 1: valid (2 questions, 1 dimensions)\n")
    assert err == (
        f"warning: {path}:6: dimensions[0].questions[1].id: question id '\u0441ost' looks like "
        "'cost' at dimensions[0].questions[0].id (expected ids that differ in more than "
        "look-alike letters, got U+0441 CYRILLIC SMALL LETTER ES at character 1, where the "
        "other has U+0063 LATIN SMALL LETTER C)\n"
    )


# -- guidance ----------------------------------------------------------------------------------


def test_no_command_lists_the_commands_one_line_each() -> None:
    status, out, err = run()

    assert (status, out) == (2, "")
    listed = [line.split()[0] for line in err.split("commands:\n")[1].split("\n\n")[0].splitlines()]
    assert listed == list(weltoffen.cli.COMMANDS)
    assert "weltoffen COMMAND --help" in err


@pytest.mark.parametrize(
    ("argv", "what"),
    [
        (["score", QUESTIONNAIRE, RESPONSES], "4 results (json)"),
        (["cohort", QUESTIONNAIRE, RESPONSES], "the cohort of 4 respondents (json)"),
        (["template", QUESTIONNAIRE], "an answer sheet (YAML)"),
        (["schema"], "a JSON Schema"),
    ],
)
def test_a_file_written_is_named_on_stderr_unless_quiet(
    tmp_path: Path, argv: list[str], what: str
) -> None:
    target = tmp_path / ("out.yaml" if argv[0] == "template" else "out.json")

    status, out, err = run(*argv, "-o", str(target))
    assert (status, out, err) == (0, "", f"wrote {target}: {what}\n")

    target.unlink()
    assert run(*argv, "-o", str(target), "--quiet") == (0, "", "")
    assert target.is_file()


RESPONSE_FILES = {
    "list.yaml": "- respondent: a\n  answers: {manageable: 3}\n",
    "one.yaml": "respondent: a\nanswers:\n  manageable: 3\n",
    "wrapped.yaml": "responses:\n  - respondent: a\n    answers: {manageable: 3}\n",
    "table.csv": "respondent,manageable\na,3\n",
}


@pytest.mark.parametrize("name", RESPONSE_FILES)
@pytest.mark.parametrize(
    ("argv", "meant"),
    [
        (["score", "FILE", RESPONSES], "weltoffen score --instrument NAME"),
        (["report", "FILE", RESPONSES], "weltoffen report --instrument NAME"),
        (["cohort", "FILE", RESPONSES], "weltoffen cohort --instrument NAME"),
        (["validate", "FILE"], "weltoffen score --instrument NAME"),
        (["template", "FILE"], "weltoffen template QUESTIONNAIRE --fill"),
    ],
)
def test_responses_where_the_questionnaire_belongs_get_one_line_that_says_what_to_do(
    tmp_path: Path, name: str, argv: list[str], meant: str
) -> None:
    """Swapped arguments or a forgotten --instrument: one line, not a list of unknown keys."""
    path = tmp_path / name
    path.write_text(RESPONSE_FILES[name], encoding="utf-8")

    status, out, err = run(*[str(path) if a == "FILE" else a for a in argv])

    assert (status, out) == (1, "")
    (line,) = err.splitlines()
    assert line.startswith(f"error: {path}: this looks like responses, not a questionnaire (")
    assert meant in line


def test_a_bad_answer_is_placed_alike_by_every_command(tmp_path: Path) -> None:
    """score, report (also in its cohort), cohort, reliability and sensitivity print one line."""
    bad = tmp_path / "bad.yaml"
    text = Path(RESPONSES).read_text(encoding="utf-8")
    bad.write_text(text.replace("manageable: strongly-agree", "manageable: totally", 1), "utf-8")
    argvs = {
        "score": ["score", QUESTIONNAIRE, str(bad)],
        "report": ["report", QUESTIONNAIRE, str(bad), "--respondent=ada", "--format=markdown"],
        "report --cohort": [
            "report", QUESTIONNAIRE, RESPONSES, "--respondent", "ada", "--cohort", str(bad),
            "--format", "markdown",
        ],
        "cohort": ["cohort", QUESTIONNAIRE, str(bad)],
        "reliability": ["reliability", QUESTIONNAIRE, str(bad)],
        "sensitivity": ["sensitivity", QUESTIONNAIRE, str(bad), "--draws", "5"],
    }  # fmt: skip

    errors = {name: run(*argv)[::2] for name, argv in argvs.items()}

    line = errors["score"][1]
    assert line.startswith(f"error: {bad}:7: [0].answers.manageable: not an option")
    assert errors == dict.fromkeys(argvs, (1, line))
