"""What a yes/no answer means is one table: scoring one response, scoring a table, the report
and CSV reading all read it the same way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from weltoffen import (
    Dimension,
    Option,
    Questionnaire,
    Response,
    ResponseError,
    Scale,
    ScaleQuestion,
    YesNo,
    compile,
    score,
)
from weltoffen.analysis.advice import advise
from weltoffen.model.conditions import Equals
from weltoffen.reports.document import build_document
from weltoffen.scoring.answers import YES_NO, yes_no
from weltoffen.scoring.plan import ScoringPlan
from weltoffen.serialization.csv import load_responses_csv

pd = pytest.importorskip("pandas")

from weltoffen.scoring.batch import score_many  # noqa: E402  (needs numpy, as pandas does)


def _plan() -> ScoringPlan:
    """A yes/no question y (yes 3, no 1 points) and a scale shown only when y is yes."""
    return compile(
        Questionnaire(
            id="t",
            language="en",
            dimensions=(
                Dimension(
                    id="d",
                    questions=(
                        YesNo(id="y", text={"en": "Y?"}, yes_points=3.0, no_points=1.0),
                        ScaleQuestion(
                            id="s",
                            text={"en": "S?"},
                            scale="two",
                            when=Equals(question="y", value=True),
                        ),
                    ),
                ),
            ),
            scales=(
                Scale(id="two", options=(Option(value="a", points=0), Option(value="b", points=1))),
            ),
        )
    )


_PLAN = _plan()


def _spelled(word: str, draw: st.DrawFn) -> str:
    """*word* in any case, with spaces around."""
    cased = "".join(c.upper() if draw(st.booleans()) else c for c in word)
    return draw(st.sampled_from(["", " "])) + cased + draw(st.sampled_from(["", "  "]))


@st.composite
def yes_no_answers(draw: st.DrawFn) -> Any:
    """Every form a yes/no answer takes: booleans, the numbers 1 and 0, and the table's words."""
    kind = draw(st.sampled_from(["bool", "int", "word"]))
    if kind == "bool":
        return draw(st.booleans())
    if kind == "int":
        return draw(st.sampled_from([0, 1]))
    return _spelled(draw(st.sampled_from(sorted(YES_NO))), draw)


def _single(answer: Any) -> tuple[float | None, float | None]:
    result = score(_PLAN, Response(respondent="r", answers={"y": answer, "s": "b"}))
    return result.score, result.dimension("d").points


def _batch(answer: Any) -> float | None:
    frame = pd.DataFrame({"y": [answer], "s": ["b"]}, dtype=object)
    value = score_many(_PLAN, frame).iloc[0]["score"]
    return None if pd.isna(value) else float(value)


def _report_answer(answer: Any) -> str:
    result = score(_PLAN, Response(respondent="r", answers={"y": answer}), trace=True)
    document = build_document(_PLAN, result, advise(_PLAN, result), lang="en")
    field = document.fields[0]
    # a yes is listed among the strongest items, a no as the current answer of a what-if
    shown = [i.answer for i in (*field.strongest, *field.weakest) if i.question == "y"]
    shown += [w.current for w in field.what_if if w.question == "y"]
    assert len(shown) == 1, "the answered yes/no question is shown once"
    return shown[0]


@given(yes_no_answers())
def test_single_batch_and_report_agree_on_yes_and_no(answer: Any) -> None:
    meant = yes_no(answer)
    assert meant is not None
    overall, points = _single(answer)
    assert points == (3.0 + 1.0 if meant else 1.0)  # the scale counts only after a yes
    assert _batch(answer) == overall
    assert _single(meant) == (overall, points)
    assert _report_answer(answer) == ("Yes" if meant else "No")


@pytest.mark.parametrize("answer", ["1", " 0 ", "JA", "Nein", "true", 1, 0, 1.0, 0.0, True, False])
def test_conditions_read_yes_and_no_as_scoring_does(answer: Any) -> None:
    """The gated scale is shown exactly when the answer means yes, on both paths."""
    result = score(_PLAN, Response(respondent="r", answers={"y": answer, "s": "a"}))
    hidden = result.dimension("d").counts["hidden"]
    assert hidden == (0 if yes_no(answer) else 1)
    frame = pd.DataFrame({"y": [answer], "s": ["a"]}, dtype=object)
    assert score_many(_PLAN, frame).iloc[0]["score"] == result.score


@pytest.mark.parametrize("answer", ["maybe", "2", "", "y", 2, -1, 0.5, 2.0, ("yes",)])
def test_what_is_no_yes_no_answer_is_refused_on_both_paths(answer: Any) -> None:
    assert yes_no(answer) is None
    with pytest.raises(ResponseError, match="not a yes/no answer"):
        score(_PLAN, Response(respondent="r", answers={"y": answer}))
    frame = pd.DataFrame({"y": [answer]}, dtype=object)
    with pytest.raises(ResponseError, match="not a yes/no answer"):
        score_many(_PLAN, frame)


@pytest.mark.parametrize("word", sorted(YES_NO))
def test_the_csv_reader_refuses_codes_that_are_yes_no_words(tmp_path: Path, word: str) -> None:
    """A custom state code may not be a word a yes/no question takes: it would hide answers."""
    path = tmp_path / "answers.csv"
    path.write_text(f"respondent,y\nr,{word}\n", encoding="utf-8")
    with pytest.raises(ResponseError, match="also an answer"):
        load_responses_csv(path, _PLAN.questionnaire, dont_know=word.upper())


@pytest.mark.parametrize("word", sorted(YES_NO))
def test_the_csv_reader_gives_answers_that_score_as_their_word(tmp_path: Path, word: str) -> None:
    path = tmp_path / "answers.csv"
    path.write_text(f"respondent,y\nr,{word}\n", encoding="utf-8")
    (response,) = load_responses_csv(path, _PLAN.questionnaire)
    assert yes_no(response.answers["y"]) is YES_NO[word]
    assert score(_PLAN, response) == score(
        _PLAN, Response(respondent="r", answers={"y": YES_NO[word]})
    )


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_words_answer_sheets_write_are_read_as_meant(language: str) -> None:
    """Templates and filled-in sheets write yes/no in words of the sheet's language."""
    from weltoffen.serialization.guide import phrase
    from weltoffen.serialization.templates import sheet_row

    assert yes_no(phrase("yes", language)) is True
    assert yes_no(phrase("no", language)) is False
    for answer in (True, False):
        (cell,) = sheet_row(Response(respondent="r", answers={"y": answer}), ["y"], language)
        assert yes_no(cell) is answer


@pytest.mark.parametrize(
    ("text", "key"),
    [("999", "999"), (" 999.0 ", "999"), ("-1", "-1"), ("١", "١"), ("٩٩٩", "٩٩٩"), ("1_0", "1_0")],
)
def test_only_text_spelled_with_ascii_digits_is_a_number_to_missing_value_codes(
    text: str, key: str
) -> None:
    """Other scripts' digits and underscores are text, as in every file format: '٩٩٩' is no
    missing-value code 999."""
    from weltoffen.scoring.answers import code_key

    assert code_key(text) == key
