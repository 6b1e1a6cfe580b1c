"""Texts holding ``${`` travel through XLSForm: pyxform accepts the form, the reader gives them
back exactly, and a reference to a field of the form stays one."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from weltoffen.interop.xlsform import read_questionnaire
from weltoffen.interop.xlsform.texts import form_text, plain_text
from weltoffen.interop.xlsform.writer import workbook_bytes
from weltoffen.model.dimensions import Dimension
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import Choice, Option

pyxform = pytest.importorskip("pyxform.xls2xform")
openpyxl = pytest.importorskip("openpyxl")

_MARKS = st.text(alphabet=st.sampled_from("${}\u2060q1 #last-sav"), max_size=12)


@given(text=st.one_of(_MARKS, st.text(max_size=12)))
def test_the_reader_gives_back_every_text_the_writer_wrote(text: str) -> None:
    assert plain_text(form_text(text, {"q1", "d1"})) == text


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("0${", "0$\u2060{"),
        ("${nope}", "$\u2060{nope}"),
        ("${q1} and ${last-saved#q1}", "${q1} and ${last-saved#q1}"),
        ("$\u2060{", "$\u2060\u2060{"),
        ("costs in $", "costs in $"),
    ],
)
def test_only_a_dollar_brace_naming_no_field_is_marked(text: str, written: str) -> None:
    assert form_text(text, {"q1"}) == written


def _questionnaire() -> Questionnaire:
    question = Choice(
        id="q1",
        text={"en": "Budget in ${ per year, as in ${q1}"},
        help={"en": "${unknown} is no field"},
        options=(
            Option(value="a", label={"en": "${"}, points=1.0),
            Option(value="b", label={"en": "$\u2060{"}, points=0.0),
        ),
    )
    dimension = Dimension(id="d1", title={"en": "0${"}, questions=(question,))
    return Questionnaire(
        id="demo", title={"en": "Title ${"}, language="en", dimensions=(dimension,)
    )


@pytest.mark.parametrize("sheet", [True, False])
def test_texts_with_dollar_braces_come_back_exactly(tmp_path: Path, sheet: bool) -> None:
    q = _questionnaire()
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(q)))
    if not sheet:
        del book["weltoffen"]
    form = tmp_path / "form.xlsx"
    book.save(form)

    converted = pyxform.convert(xlsform=str(form))
    back = read_questionnaire(form).questionnaire

    assert converted.xform.startswith("<?xml")
    dimension = back.dimensions[0]
    question = dimension.questions[0]
    assert back.title == q.title
    assert dimension.title == q.dimensions[0].title
    assert question.text == q.dimensions[0].questions[0].text
    assert question.help == q.dimensions[0].questions[0].help
    assert [o.label for o in question.options] == [  # type: ignore[attr-defined]
        o.label
        for o in q.dimensions[0].questions[0].options  # type: ignore[attr-defined]
    ]
