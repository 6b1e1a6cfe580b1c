"""Texts holding both kinds of quote in the expressions of formats whose strings know no escapes
(XPath 1.0 in XLSForm, REDCap's logic): written with concat(), read back as the same text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from weltoffen.interop.expressions import REDCAP, XPATH, parse
from weltoffen.interop.translate import literal, quoted
from weltoffen.model.conditions import Equals
from weltoffen.model.dimensions import Dimension
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import TextQuestion, YesNo

_QUOTES = st.text(alphabet="ab '\"", min_size=1, max_size=12)


@pytest.mark.parametrize("dialect", [XPATH, REDCAP], ids=["xpath", "redcap"])
@given(text=_QUOTES)
@example(text="'\"")
@example(text='it\'s "so"')
def test_a_quoted_text_reads_back_as_itself(dialect: object, text: str) -> None:
    written = quoted(text)

    assert literal(parse(written, dialect)) == text  # type: ignore[arg-type]
    if "'" in text and '"' in text:
        assert written.startswith("concat(")


def test_concat_of_anything_but_texts_is_no_literal() -> None:
    assert literal(parse("concat('a', ${q})", XPATH)) is None
    assert literal(parse("concat()", XPATH)) is None


def _asking(text: str) -> Questionnaire:
    """A text question, and a yes/no question shown when the text was answered *text*."""
    questions = (
        TextQuestion(id="q1", text={"en": "Say something"}),
        YesNo(id="q2", text={"en": "Really?"}, when=Equals("q1", text)),
    )
    return Questionnaire(
        id="quotes", title={"en": "Quotes"}, dimensions=(Dimension(id="d", questions=questions),)
    )


@pytest.mark.parametrize("text", ["'\"", 'it\'s "so"', '"\'"', "a'b"])
def test_xlsform_keeps_the_condition(tmp_path: Path, text: str) -> None:
    pytest.importorskip("openpyxl")
    xls2xform = pytest.importorskip("pyxform.xls2xform")
    from weltoffen.interop.xlsform import read_questionnaire
    from weltoffen.interop.xlsform.writer import workbook_bytes

    q = _asking(text)
    form = tmp_path / "form.xlsx"
    form.write_bytes(workbook_bytes(q))

    assert read_questionnaire(form).questionnaire == q
    assert xls2xform.convert(xlsform=str(form)).xform.startswith("<?xml")  # ODK takes it


@pytest.mark.parametrize("text", ["'\"", 'it\'s "so"'])
def test_redcap_keeps_the_condition(tmp_path: Path, text: str) -> None:
    from weltoffen.interop.redcap import read_questionnaire, write_questionnaire

    q = _asking(text)
    target = tmp_path / "dictionary.csv"
    write_questionnaire(q, target)

    shown = {x.id: x.when for _, x in read_questionnaire(target).questionnaire.iter_questions()}
    assert shown["q2"] == Equals("q1", text)
