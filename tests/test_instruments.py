"""The bundled self-check "Weltoffene Kommune": its structure as issue 3 specifies it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pytest

from weltoffen import Questionnaire, compile
from weltoffen.cli import main
from weltoffen.instruments import available, load_instrument, path_of
from weltoffen.model.questions import QUESTION_KINDS
from weltoffen.scoring.check import check_bands
from weltoffen.strategies import Equal, WeightedMean

FIELDS = [
    "management-steuerung",
    "interkulturelle-oeffnung",
    "fairer-zugang",
    "arbeit-wirtschaft",
    "engagement-beteiligung",
    "zusammenhalt-begegnung",
    "kommunikation-konflikt",
]
SUBTOPICS = [
    "bildung",
    "sprache",
    "arbeit-ausbildung",
    "wohnen",
    "gesundheit-pflege",
    "transport",
    "kultur",
    "sport",
    "sicherheit-recht",
]
LANGUAGES = {"de", "en"}


@pytest.fixture(scope="module")
def kommune() -> Questionnaire:
    return load_instrument("weltoffene-kommune")


def texts(q: Questionnaire) -> Iterator[tuple[str, Mapping[str, str]]]:
    """Every text of the instrument that a respondent or reader sees, with where it is."""
    yield "title", q.title
    yield "description", q.description
    for scale in q.scales:
        for option in scale.options:
            yield f"scale {scale.id} option {option.value}", option.label
    for band in q.bands:
        yield f"band {band.id}", band.label
        yield f"band {band.id} feedback", band.feedback
    for _, dim in q.iter_dimensions():
        yield f"dimension {dim.id}", dim.title
        for band in dim.bands:
            yield f"{dim.id} band {band.id}", band.label
            yield f"{dim.id} band {band.id} feedback", band.feedback
            for i, suggestion in enumerate(band.suggestions):
                yield f"{dim.id} band {band.id} suggestion {i}", suggestion.text
    for _, question in q.iter_questions():
        yield f"question {question.id}", question.text
        if question.help:
            yield f"question {question.id} help", question.help


class TestStructure:
    def test_is_listed_and_addressable_by_name(self) -> None:
        assert "weltoffene-kommune" in available()
        assert path_of("weltoffene-kommune").is_file()

    def test_seven_fields_with_the_agreed_ids(self, kommune: Questionnaire) -> None:
        assert [d.id for d in kommune.dimensions] == FIELDS

    def test_fair_access_has_nine_subtopics_weighted_equally(self, kommune: Questionnaire) -> None:
        (access,) = [d for d in kommune.dimensions if d.id == "fairer-zugang"]
        assert [d.id for d in access.dimensions] == SUBTOPICS
        assert access.weighting == Equal()

    def test_between_100_and_108_questions(self, kommune: Questionnaire) -> None:
        assert 100 <= len(list(kommune.iter_questions())) <= 108

    def test_overall_is_the_equal_weight_mean_of_the_fields(self, kommune: Questionnaire) -> None:
        assert (kommune.weighting, kommune.aggregation) == (Equal(), WeightedMean())
        assert all(d.weight == 1 for d in kommune.dimensions)

    def test_fields_with_too_little_coverage_are_not_assessable(
        self, kommune: Questionnaire
    ) -> None:
        assert kommune.scoring.min_coverage is not None
        assert 0 < kommune.scoring.min_coverage < 1

    def test_mixes_the_question_styles(self, kommune: Questionnaire) -> None:
        questions = [q for _, q in kommune.iter_questions()]
        assert {type(q).kind for q in questions} == set(QUESTION_KINDS)
        assert sum(q.when is not None for q in questions) >= 3
        assert sum(q.dont_know for q in questions) >= 90
        assert any(q.not_applicable for q in questions)

    def test_compiles(self, kommune: Questionnaire) -> None:
        plan = compile(kommune)
        assert len(plan.nodes) == 1 + len(FIELDS) + len(SUBTOPICS)


class TestBandsAndTexts:
    def test_overall_and_every_field_have_four_bands_covering_0_to_100(
        self, kommune: Questionnaire
    ) -> None:
        for where, bands in [("overall", kommune.bands)] + [
            (d.id, d.bands) for d in kommune.dimensions
        ]:
            assert len(bands) == 4, where
            assert check_bands(bands, (where,)) == [], where

    def test_every_field_band_has_feedback_and_suggestions(self, kommune: Questionnaire) -> None:
        for dim in kommune.dimensions:
            for band in dim.bands:
                assert band.feedback, (dim.id, band.id)
                assert len(band.suggestions) >= 2, (dim.id, band.id)

    def test_every_text_is_in_german_and_english(self, kommune: Questionnaire) -> None:
        missing = [where for where, text in texts(kommune) if set(text) != LANGUAGES]
        assert missing == []
        assert kommune.language == "de"

    def test_german_texts_use_umlauts_not_stand_ins(self, kommune: Questionnaire) -> None:
        german = " ".join(text["de"] for _, text in texts(kommune))
        assert "ä" in german
        assert "ü" in german
        assert " fuer " not in german
        assert " ueber " not in german


def test_command_line_lists_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["instruments"]) == 0
    assert "weltoffene-kommune" in capsys.readouterr().out
