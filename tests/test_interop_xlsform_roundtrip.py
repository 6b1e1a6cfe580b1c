"""XLSForm round trips: weltoffen -> workbook -> weltoffen keeps the scores.

Two paths: with the ``weltoffen`` sheet the whole questionnaire comes back; without it (a form
edited in ODK's tools, or written by hand) the columns alone must still say the same scoring for
the subset XLSForm can hold: groups adding up points, choices with points, numbers counted by
value, conditions and structural zeros. Responses written as ODK Central exports them read back
with the same scores.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tests.strategies import questionnaire_and_responses, questionnaires
from weltoffen import compile, score
from weltoffen.cli import main
from weltoffen.interop.xlsform import read_questionnaire, read_responses, write_responses
from weltoffen.interop.xlsform.writer import workbook_bytes
from weltoffen.model.answers import AnswerValue, Response
from weltoffen.model.conditions import Equals
from weltoffen.model.dimensions import Dimension, Policies
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import Choice, Linear, MultipleChoice, Numeric, Option, Question
from weltoffen.strategies import SumOfPoints, Zero

pyxform = pytest.importorskip("pyxform.xls2xform")
openpyxl = pytest.importorskip("openpyxl")

MUSTERSTADT = Path(__file__).parents[1] / "examples" / "weltoffene-kommune" / "musterstadt.yaml"
_ZERO = Policies(dont_know=Zero(), skipped=Zero())


@st.composite
def native(draw: st.DrawFn) -> Questionnaire:
    """A questionnaire inside what XLSForm's columns can say."""
    dims: list[Dimension] = []
    choices: list[tuple[str, list[str]]] = []
    count = 0
    for d in range(draw(st.integers(1, 3))):
        questions: list[Question] = []
        for _ in range(draw(st.integers(1, 3))):
            count += 1
            qid = f"q{count}"
            weight = draw(st.sampled_from([1.0, 2.0, 0.5, 3.0]))
            when = None
            if choices and draw(st.booleans()):
                on, values = draw(st.sampled_from(choices))
                when = Equals(on, draw(st.sampled_from(values)))
            kind = draw(st.sampled_from(["choice", "number", "multiple"]))
            if kind == "multiple":
                each = draw(st.integers(1, 3))
                values = draw(
                    st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3, unique=True)
                )
                questions.append(
                    MultipleChoice(
                        id=qid,
                        text={"en": f"Which {count}?"},
                        options=tuple(
                            Option(value=v, label={"en": v}, points=each) for v in values
                        ),
                        method="sum",
                        weight=weight,
                        when=when,
                    )
                )
            elif kind == "choice":
                values = draw(
                    st.lists(
                        st.sampled_from(["a", "b", "c", "1", "2", "x_y"]),
                        min_size=2,
                        max_size=4,
                        unique=True,
                    )
                )
                points = [0, *(draw(st.integers(0, 5)) for _ in values[1:])]
                points[-1] = points[-1] or 1
                options = tuple(
                    Option(value=v, label={"en": v.upper()}, points=p)
                    for v, p in zip(values, points)
                )
                questions.append(
                    Choice(
                        id=qid,
                        text={"en": f"Question {count}?"},
                        options=options,
                        weight=weight,
                        when=when,
                        otherwise=values[0] if when is not None else None,
                    )
                )
                choices.append((qid, values))
            else:
                high = draw(st.integers(1, 7))
                questions.append(
                    Numeric(
                        id=qid,
                        text={"en": f"How many {count}?"},
                        minimum=0,
                        maximum=high,
                        integer=True,
                        linear=Linear(low=0, high=high, points=high),
                        weight=weight,
                        when=when,
                        otherwise=0.0 if when is not None else None,
                    )
                )
        dims.append(
            Dimension(
                id=f"d{d + 1}",
                title={"en": f"Part {d + 1}"},
                aggregation=SumOfPoints(),
                scoring=_ZERO,
                questions=tuple(questions),
            )
        )
    root: dict[str, Any] = {}
    if len(dims) == 1:
        root = {"aggregation": SumOfPoints(), "scoring": _ZERO}
    return Questionnaire(
        id="demo", title={"en": "Demo"}, language="en", dimensions=tuple(dims), **root
    )


@st.composite
def answers(draw: st.DrawFn, q: Questionnaire) -> Response:
    given_: dict[str, AnswerValue] = {}
    for _, question in q.iter_questions():
        if draw(st.integers(0, 3)) == 0:
            continue
        if isinstance(question, Choice):
            given_[question.id] = draw(st.sampled_from([o.value for o in question.options]))
        elif isinstance(question, Numeric):
            given_[question.id] = draw(st.integers(0, int(question.maximum or 0)))
        elif isinstance(question, MultipleChoice):
            values = [o.value for o in question.options]
            given_[question.id] = tuple(draw(st.lists(st.sampled_from(values), unique=True)))
    return Response(respondent=f"r{draw(st.integers(0, 10**6))}", answers=given_)


def _without_sheet(q: Questionnaire, path: Path) -> Path:
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(q)))
    del book["weltoffen"]
    book.save(path)
    return path


def _scores(q: Questionnaire, responses: list[Response]) -> list[Any]:
    plan = compile(q)
    out = []
    for response in responses:
        result = score(plan, response)
        out.append(
            (
                result.score,
                result.points,
                [(d.id, d.score, d.points) for d in result.dimensions],
            )
        )
    return out


@given(
    case=native().flatmap(
        lambda q: st.tuples(st.just(q), st.lists(answers(q), min_size=1, max_size=4))
    )
)
def test_the_columns_alone_keep_the_scores_and_responses_travel_as_odk_exports(
    case: tuple[Questionnaire, list[Response]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    q, responses = case
    responses = [
        r
        for i, r in enumerate(responses)
        if r.respondent not in {x.respondent for x in responses[:i]}
    ]
    folder = tmp_path_factory.mktemp("native")
    form = _without_sheet(q, folder / "form.xlsx")

    converted = pyxform.convert(xlsform=str(form))
    back = read_questionnaire(form).questionnaire
    data = folder / "export.csv"
    write_responses(responses, back, data)
    again = read_responses(data, back)

    assert converted.xform.startswith("<?xml")
    assert [r.respondent for r in again] == [r.respondent for r in responses]
    assert _scores(back, again) == _scores(q, responses)


@given(case=questionnaire_and_responses(questionnaires(otherwise=True), count=2, missing=True))
def test_with_the_weltoffen_sheet_the_questionnaire_comes_back_whole(
    case: tuple[Questionnaire, list[Response]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    q, responses = case
    values = [o.value for _, x in q.iter_questions() for o in getattr(x, "options", ())]
    values += [o.value for s in q.scales for o in s.options]
    assume(all(re.fullmatch(r"\S+", v) for v in values))
    form = tmp_path_factory.mktemp("whole") / "form.xlsx"
    form.write_bytes(workbook_bytes(q))

    imported = read_questionnaire(form)

    assert imported.questionnaire == q
    assert imported.report.complete
    assert _scores(imported.questionnaire, responses) == _scores(q, responses)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def _overall(capsys: pytest.CaptureFixture[str], *questionnaire: str) -> list[object]:
    status, out, err = run(capsys, "score", *questionnaire, str(MUSTERSTADT), "--format", "json")
    assert (status, err) == (0, "")
    views = json.loads(out)
    views = views if isinstance(views, list) else [views]
    return [(v["score"], [d["score"] for d in v["dimensions"]]) for v in views]


@pytest.mark.parametrize("sheet", [True, False])
def test_the_self_check_travels_out_and_back_through_the_command_line(
    sheet: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported, back = tmp_path / "kommune.xlsx", tmp_path / "kommune.yaml"

    status, _, err = run(
        capsys,
        "export",
        "xlsform",
        "--instrument",
        "weltoffene-kommune",
        "--version",
        "1.0",
        "-o",
        str(exported),
    )
    assert (status, err) == (0, "")
    assert pyxform.convert(xlsform=str(exported)).xform.startswith("<?xml")
    if not sheet:
        book = openpyxl.load_workbook(exported)
        del book["weltoffen"]
        book.save(exported)
    status, out, err = run(capsys, "import", "xlsform", str(exported), "-o", str(back))
    assert (status, err) == (0, "")

    expected = _overall(capsys, "--instrument", "weltoffene-kommune", "--version", "1.0")
    assert expected[0][0] is not None
    if sheet:
        assert out.splitlines()[0].endswith("0 approximated, 0 dropped")
        assert _overall(capsys, str(back)) == expected
    else:
        # the columns alone lose the weighted means: the same questions, other scores
        assert _overall(capsys, str(back)) != expected


def test_an_option_is_its_own_name_before_a_number_it_spells(tmp_path: Path) -> None:
    """Options "0" and "00" spell the same number; each cell names the one it spells exactly."""
    options = (Option(value="0", points=0.0), Option(value="00", points=1.0))
    question = Choice(id="q1", options=options)
    q = Questionnaire(id="demo", dimensions=(Dimension(id="d1", questions=(question,)),))
    responses = [
        Response(respondent="r1", answers={"q1": "0"}),
        Response(respondent="r2", answers={"q1": "00"}),
    ]
    data = tmp_path / "export.csv"
    write_responses(responses, q, data)
    assert read_responses(data, q) == responses
    data.write_text("KEY,d1-q1\nr3,0.0\n", encoding="utf-8")
    (spelled,) = read_responses(data, q)
    assert spelled.answers == {"q1": "0"}  # a number names the first option that spells it
