"""``reports/flat.py``: results as CSV are safe to open in a spreadsheet program."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from weltoffen import Response, compile, load_questionnaire, load_responses, score
from weltoffen.model.answers import MetaValue
from weltoffen.reports import format_csv
from weltoffen.serialization.cells import FORMULA_STARTS, restore

EXAMPLE = Path(__file__).parent.parent / "examples" / "basic"
PLAN = compile(load_questionnaire(EXAMPLE / "questionnaire.yaml"))
ADA = load_responses(EXAMPLE / "responses.yaml")[0]


def row_of(response: Response) -> dict[str, str]:
    (row,) = csv.DictReader(io.StringIO(format_csv([score(PLAN, response)])))
    return row


class TestFormulaInjection:
    @pytest.mark.parametrize(
        "text",
        ["=1+1", "+49 30 1234", "-2", "@SUM(A1:A2)", "\tx", "\rx", '=HYPERLINK("http://x")'],
    )
    def test_text_that_starts_a_formula_gets_an_apostrophe(self, text: str) -> None:
        """Respondent ids and metadata starting with = + - @ tab or CR are written as text."""
        row = row_of(attrs.evolve(ADA, respondent=text, metadata={"team": text}))

        assert (row["respondent"], row["meta.team"]) == ("'" + text, "'" + text)

    def test_ordinary_text_is_unchanged(self) -> None:
        row = row_of(attrs.evolve(ADA, respondent="a=b", metadata={"team": "'quoted"}))

        assert (row["respondent"], row["meta.team"]) == ("a=b", "'quoted")

    @pytest.mark.parametrize("number", [-3, -2.5, 0, 7])
    def test_numbers_are_written_as_they_are(self, number: MetaValue) -> None:
        """A negative number is a number, not a formula: no apostrophe."""
        row = row_of(attrs.evolve(ADA, metadata={"size": number}))

        assert row["meta.size"] == str(number)

    def test_scores_and_band_ids_are_untouched(self) -> None:
        """Only text cells change; the figures are the same as without the guard."""
        plain = row_of(ADA)
        guarded = row_of(attrs.evolve(ADA, respondent="=x"))

        assert {k: v for k, v in guarded.items() if k != "respondent"} == {
            k: v for k, v in plain.items() if k != "respondent"
        }

    @settings(max_examples=60, deadline=None)
    @given(text=st.text(min_size=1, max_size=12))
    def test_no_text_cell_starts_a_formula_and_the_text_is_kept(self, text: str) -> None:
        """Every written cell is inert, and reading it as weltoffen does gives the text back
        (blank text is no metadata at all, so there is no cell)."""
        row = row_of(attrs.evolve(ADA, metadata={"note": text}))
        if not text.strip():
            assert "meta.note" not in row
            return
        written = row["meta.note"]

        assert not written.startswith(FORMULA_STARTS)
        assert restore(written) == text
