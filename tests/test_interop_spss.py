"""SPSS and Stata data files: responses with value labels and user-missing codes."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from weltoffen import compile, score
from weltoffen.exceptions import ProblemCode, ResponseError
from weltoffen.interop import default_formats
from weltoffen.interop.spss import read_responses, variable_name, write_responses
from weltoffen.model.answers import Response, State
from weltoffen.serialization.api import load_questionnaire, load_responses

pyreadstat = pytest.importorskip("pyreadstat")
pd = pytest.importorskip("pandas")

EXAMPLE = Path(__file__).parent.parent / "examples" / "basic"
QUESTIONNAIRE = load_questionnaire(EXAMPLE / "questionnaire.yaml")
RESPONSES = load_responses(EXAMPLE / "responses.yaml")


def _scores(responses: list[Response]) -> list[object]:
    plan = compile(QUESTIONNAIRE)
    return [
        (r.score, r.points, r.band, [d.score for d in r.iter_dimensions()])
        for r in (score(plan, response) for response in responses)
    ]


@pytest.mark.parametrize("suffix", [".sav", ".dta"])
def test_responses_survive_writing_and_reading(tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"team{suffix}"
    write_responses(RESPONSES, QUESTIONNAIRE, target)

    back = read_responses(target, QUESTIONNAIRE)

    assert [r.respondent for r in back] == [r.respondent for r in RESPONSES]
    assert _scores(back) == _scores(RESPONSES)
    ben = back[1].answers
    assert ben["holidays"] is State.DONT_KNOW
    assert ben["feedback-style"] is State.NOT_APPLICABLE
    assert back[0].answers["learning"] == ("course", "mentoring")
    assert back[0].metadata == {"role": "developer", "team": "platform"}


def test_the_file_carries_labels_and_declares_states_missing(tmp_path: Path) -> None:
    target = tmp_path / "team.sav"
    write_responses(RESPONSES, QUESTIONNAIRE, target)

    _, meta = pyreadstat.read_sav(target, user_missing=True)

    labels = meta.variable_value_labels
    assert labels["manageable"][5] == "Strongly agree"  # codes 1..5 for worded options
    assert labels["holidays"][-98] == "dont_know"
    assert meta.missing_ranges["holidays"] == [{"lo": -98.0, "hi": -98.0}]
    assert (
        meta.column_names_to_labels["manageable"]
        == QUESTIONNAIRE.dimensions[0].questions[0].text["en"]
    )
    assert "late_evenings" in meta.column_names  # ids become valid variable names


def test_scores_are_written_beside_the_answers(tmp_path: Path) -> None:
    plan = compile(QUESTIONNAIRE)
    results = [score(plan, r) for r in RESPONSES]
    target = tmp_path / "scored.sav"

    write_responses(RESPONSES, QUESTIONNAIRE, target, results=results)

    frame, meta = pyreadstat.read_sav(target)
    assert frame["score"].tolist() == pytest.approx([r.score for r in results], nan_ok=True)
    assert frame["band"].tolist() == [r.band or "" for r in results]
    assert frame["score_workload"].tolist()[0] == results[0].dimension("workload").score
    assert meta.column_names_to_labels["points"] == "overall points"


def test_value_labels_choose_options_and_user_missing_codes_become_states(tmp_path: Path) -> None:
    # A file as another program writes it: its own codes, labelled, with 8 and 9 user-missing.
    frame = pd.DataFrame(
        {
            "respondent": ["r1", "r2", "r3", "r4"],
            "manageable": [5.0, 8.0, 9.0, math.nan],
            "overtime": [3.0, 2.0, 1.0, 0.0],
        }
    )
    target = tmp_path / "other.sav"
    pyreadstat.write_sav(
        frame,
        target,
        variable_value_labels={
            "manageable": {
                1: "strongly-disagree",
                5: "Strongly agree",
                8: "not_applicable",
                9: "refused",
            }
        },
        missing_ranges={"manageable": [8, 9]},
    )

    back = read_responses(target, QUESTIONNAIRE)

    assert [r.answers.get("manageable") for r in back] == [
        "strongly-agree",  # by the option's label
        State.NOT_APPLICABLE,  # labelled with the state's name
        State.SKIPPED,  # user-missing without a state: missing
        None,  # system missing: skipped by leaving it away
    ]
    assert back[0].answers["overtime"] == 3.0


def test_a_file_without_question_variables_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "unrelated.sav"
    pyreadstat.write_sav(pd.DataFrame({"age": [1.0], "sex": [2.0]}), target)

    with pytest.raises(ResponseError) as caught:
        read_responses(target, QUESTIONNAIRE)

    (problem,) = caught.value.problems
    assert problem.code is ProblemCode.UNKNOWN_QUESTION
    assert problem.got == "age, sex"
    assert problem.file == str(target)


def test_a_broken_file_is_a_located_problem(tmp_path: Path) -> None:
    target = tmp_path / "broken.sav"
    target.write_bytes(b"$FL2 this is not really SPSS")

    with pytest.raises(ResponseError) as caught:
        read_responses(target, QUESTIONNAIRE)

    (problem,) = caught.value.problems
    assert problem.code is ProblemCode.UNREADABLE_FILE
    assert problem.file == str(target)


def test_writing_refuses_ids_that_share_a_variable_name(tmp_path: Path) -> None:
    from weltoffen.model import Dimension, Numeric, Questionnaire

    clash = Questionnaire(
        id="clash",
        dimensions=(Dimension(id="d", questions=(Numeric(id="a-b"), Numeric(id="a_b"))),),
    )
    target = tmp_path / "clash.sav"

    with pytest.raises(ResponseError, match="would share variable 'a_b'"):
        write_responses([Response(respondent="x", answers={"a-b": 1})], clash, target)
    assert not target.exists()


def test_variable_names_are_valid_for_spss() -> None:
    assert variable_name("ms-01") == "ms_01"
    assert variable_name("/44250-9") == "v_44250_9"
    assert variable_name("Größe") == "Gr__e"


def test_the_format_is_registered() -> None:
    spss = default_formats.get("spss")
    assert spss.abilities == ("read_responses", "write_responses")


def test_the_command_line_scores_a_data_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from weltoffen.cli import main

    target = tmp_path / "team.sav"
    write_responses(RESPONSES, QUESTIONNAIRE, target)
    questionnaire = str(EXAMPLE / "questionnaire.yaml")

    status = main(["score", questionnaire, str(target), "--from", "spss", "--format", "csv"])
    foreign = capsys.readouterr()
    main(["score", questionnaire, str(EXAMPLE / "responses.yaml"), "--format", "csv"])

    assert (status, foreign.err) == (0, "")
    assert foreign.out == capsys.readouterr().out


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as caught:
        read_responses(tmp_path / "none.sav", QUESTIONNAIRE)
    assert caught.value.filename == str(tmp_path / "none.sav")
