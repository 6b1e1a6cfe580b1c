"""weltoffen -> LimeSurvey (.lss, CSV export) -> weltoffen.

Two round trips. With the weltoffen settings the writer puts into the survey, any questionnaire
reads back as itself. By LimeSurvey's tables alone, within what they can say, the scores stay:
groups adding up points (unanswered adds 0, so every question has an answer worth 0), answers
worth whole points, a tick worth the same for every option, yes/no as a list, free text,
conditions on earlier answers, and bands on the group sums.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import questionnaire_and_responses, questionnaires, responses
from weltoffen import compile, score
from weltoffen.cli import main
from weltoffen.instruments import load_instrument
from weltoffen.interop.limesurvey import (
    read_questionnaire,
    read_responses,
    write_questionnaire,
    write_responses,
)
from weltoffen.interop.limesurvey.assessments import attainable
from weltoffen.interop.limesurvey.writer import export_notes, lss_text
from weltoffen.interop.report import Fidelity
from weltoffen.model import Response, State
from weltoffen.model.conditions import Equals
from weltoffen.model.dimensions import Band, Dimension, Policies
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import (
    Choice,
    MultipleChoice,
    Option,
    Question,
    TextQuestion,
    YesNo,
)
from weltoffen.serialization.api import load_questionnaire
from weltoffen.strategies import SumOfPoints, Zero

_words = st.text(alphabet="abcdefgh äöü", min_size=1, max_size=10).map(str.strip).filter(bool)


def _in_limesurvey_terms(response: Response, q: Questionnaire) -> Response:
    """*response* as LimeSurvey's export can hold it: an empty tick list, an empty text and a
    state of a multiple choice are no answer there (an empty cell); a text file holds no NUL."""
    boxes = {x.id for _, x in q.iter_questions() if isinstance(x, MultipleChoice)}
    answers = {
        k: v
        for k, v in response.answers.items()
        if v not in ((), "")
        and not (isinstance(v, State) and k in boxes)
        and not (isinstance(v, str) and "\0" in v)
    }
    return Response(respondent=response.respondent, answers=answers, metadata={})


@st.composite
def _native(draw: st.DrawFn) -> Questionnaire:
    """A questionnaire within what LimeSurvey's own tables say."""
    k = 0
    dims = []
    earlier: list[Choice] = []
    for d in range(draw(st.integers(1, 3))):
        questions: list[Question] = []
        for _ in range(draw(st.integers(1, 4))):
            k += 1
            qid = f"q{k}"
            kind = draw(st.sampled_from(["choice", "choice", "multiple", "yes_no", "text"]))
            when = None
            if earlier and draw(st.booleans()):
                gate = draw(st.sampled_from(earlier))
                when = Equals(gate.id, draw(st.sampled_from(gate.options)).value)
            text = {"de": draw(_words)}
            if kind == "choice":
                points = draw(st.lists(st.integers(0, 4), min_size=1, max_size=3))
                options = tuple(
                    Option(value=f"A{i}", label={"de": draw(_words)}, points=float(p))
                    for i, p in enumerate([0, *points], start=1)
                )
                if len({o.points for o in options}) < 2:
                    options = (*options, Option(value="Z", label={"de": "z"}, points=5.0))
                question: Question = Choice(id=qid, text=text, options=options, when=when)
                earlier.append(question)  # type: ignore[arg-type]
            elif kind == "multiple":
                each = float(draw(st.integers(1, 3)))
                options = tuple(
                    Option(value=f"S{i}", label={"de": draw(_words)}, points=each)
                    for i in range(1, draw(st.integers(1, 4)) + 1)
                )
                question = MultipleChoice(
                    id=qid, text=text, options=options, method="sum", when=when
                )
            elif kind == "yes_no":
                yes = float(draw(st.integers(1, 3)))
                question = YesNo(id=qid, text=text, yes_points=yes, no_points=0.0, when=when)
            else:
                question = TextQuestion(id=qid, text=text, when=when)
            questions.append(question)
        if not any(q.scored for q in questions):
            k += 1
            questions.append(YesNo(id=f"q{k}", text={"de": "ja?"}))
        totals = attainable(questions)
        assert totals is not None
        bands: tuple[Band, ...] = ()
        if len(totals) >= 2 and draw(st.booleans()):
            cut = draw(st.integers(1, len(totals) - 1))
            edge = (totals[cut - 1] + totals[cut]) / 2
            bands = (
                Band(id="low", min=totals[0], max=edge, label={"de": "tief"}),
                Band(id="high", min=edge, max=totals[-1], label={"de": "hoch"}),
            )
        dims.append(
            Dimension(
                id=f"d{d}",
                title={"de": f"Gruppe {d}"},
                aggregation=SumOfPoints(),
                bands=bands,
                bands_on="points",
                questions=tuple(questions),
            )
        )
    return Questionnaire(
        id="native",
        language="de",
        title={"de": "Test"},
        scoring=Policies(dont_know=Zero(), skipped=Zero(), min_coverage=0.0),
        aggregation=SumOfPoints(),
        dimensions=tuple(dims),
    )


def _label(q: Questionnaire, dim: str, band: str | None) -> dict[str, str] | None:
    bands = next(d.bands for d in q.dimensions if d.id == dim)
    return next((dict(b.label) for b in bands if b.id == band), None)


@settings(max_examples=40)
@given(questionnaires(otherwise=True))
def test_any_questionnaire_reads_back_as_itself_through_its_settings(q: Questionnaire) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "survey.lss"
        write_questionnaire(q, path)
        imported = read_questionnaire(path)

    assert imported.questionnaire == q
    assert imported.report.complete


@settings(max_examples=40)
@given(st.data())
def test_by_the_tables_alone_the_points_and_bands_stay(data: st.DataObject) -> None:
    q = data.draw(_native())
    answers = [
        _in_limesurvey_terms(data.draw(responses(q, respondent=st.just(f"r{i}"))), q)
        for i in range(3)
    ]
    with tempfile.TemporaryDirectory() as folder:
        survey, export = Path(folder) / "survey.lss", Path(folder) / "responses.csv"
        survey.write_text(lss_text(q, settings=False), encoding="utf-8")
        write_responses(answers, q, export)
        imported = read_questionnaire(survey).questionnaire
        back = read_responses(export, imported)

    before, after = compile(q), compile(imported)
    for sent, got in zip(answers, back, strict=True):
        ours, theirs = score(before, sent), score(after, got)
        assert theirs.points == ours.points
        # an assessment has no id of its own: bands are told apart by their labels
        assert [(d.points, _label(imported, d.id, d.band)) for d in theirs.dimensions] == [
            (d.points, _label(q, d.id, d.band)) for d in ours.dimensions
        ]


@settings(max_examples=40)
@given(questionnaire_and_responses(questionnaires(), count=3))
def test_responses_survive_the_csv_export_with_the_same_scores(
    case: tuple[Questionnaire, list[Response]],
) -> None:
    q, sent = case
    sent = [_in_limesurvey_terms(r, q) for r in sent]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "responses.csv"
        write_responses(sent, q, path)
        back = read_responses(path, q)

    plan = compile(q)
    assert [r.respondent for r in back] == [r.respondent for r in sent]
    for one, other in zip(sent, back, strict=True):
        assert score(plan, other).score == score(plan, one).score


def test_what_the_tables_cannot_say_is_listed() -> None:
    notes = export_notes(load_instrument("weltoffene-kommune", "1.0"))

    assert any("'ms-01': its weight 2 is not kept" in n for n in notes)
    assert any("bands on the 0..100 score become ranges" in n for n in notes)
    assert any("policies for skipped" in n for n in notes)


def test_a_survey_changed_in_limesurvey_is_read_by_its_tables(tmp_path: Path) -> None:
    q = load_instrument("weltoffene-kommune", "1.0")
    path = tmp_path / "kommune.lss"
    write_questionnaire(q, path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("<![CDATA[Geplant]]>", "<![CDATA[In Planung]]>", 1), "utf-8")

    imported = read_questionnaire(path)

    first = imported.report.findings[0]
    assert (first.construct, first.fidelity) == ("weltoffen settings", Fidelity.APPROXIMATED)
    assert imported.questionnaire != q


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_the_self_check_exports_and_imports_back_with_the_same_scores(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    survey, back = tmp_path / "x.lss", tmp_path / "back.yaml"
    status, _, err = run(
        capsys,
        "export",
        "limesurvey",
        "--instrument",
        "weltoffene-kommune",
        "--version",
        "1.0",
        "-o",
        str(survey),
    )
    assert (status, err) == (0, "")
    status, out, err = run(capsys, "import", "limesurvey", str(survey), "-o", str(back))
    assert (status, err) == (0, "")
    assert out.startswith("limesurvey x.lss: ")

    original = load_instrument("weltoffene-kommune", "1.0")
    imported = load_questionnaire(back)
    answers = {}
    for k, (_, question) in enumerate(original.iter_questions()):
        options = [o.value for o in getattr(question, "options", ())]
        if question.kind == "scale":
            options = ["nicht-vorhanden", "geplant", "begonnen", "weitgehend", "vollstaendig"]
            if question.scale == "zustimmung":
                options = ["stimme-nicht-zu", "eher-nicht", "teils", "eher", "voll"]
            if question.scale == "haeufigkeit":
                options = ["nie", "selten", "gelegentlich", "regelmaessig", "dauerhaft"]
        if k % 7 == 3 and question.dont_know:
            answers[question.id] = State.DONT_KNOW
        elif question.kind == "yes_no":
            answers[question.id] = k % 2 == 0
        elif question.kind == "multiple_choice":
            answers[question.id] = tuple(options[: 1 + k % len(options)])
        elif question.kind == "numeric":
            answers[question.id] = k
        elif options:
            answers[question.id] = options[k % len(options)]
    response = Response(respondent="kommune-1", answers=answers)
    export = tmp_path / "responses.csv"
    write_responses([response], original, export)

    status, out, err = run(
        capsys, "score", str(back), str(export), "--from", "limesurvey", "--format", "json"
    )
    assert (status, err) == (0, "")
    (view,) = json.loads(out)
    expected = score(compile(original), response)
    assert imported == original
    assert view["score"] == pytest.approx(expected.score)
    assert [d["score"] for d in view["dimensions"]] == pytest.approx(
        [d.score for d in expected.dimensions]
    )
