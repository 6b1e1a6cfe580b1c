"""The WFP oracle: 3,000 households whose scores WFP's own syntax stored in the data file.

The three indicators are modelled in tests/fixtures/wfp/ from their published rules: the
Household Hunger Scale (gated follow-ups whose "not asked" is a structural zero), the reduced
Coping Strategies Index (weighted day counts) and the Food Consumption Score (weighted day
counts, categories closed at the upper threshold). Read through the SPSS adapter and scored,
every household must get WFP's points and category, with ``score()`` and ``score_many()``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from weltoffen import compile, score
from weltoffen.interop.spss import read_responses
from weltoffen.serialization.api import load_questionnaire

pyreadstat = pytest.importorskip("pyreadstat")

MODELS = Path(__file__).parent / "fixtures" / "wfp"
DATA = "spss/wfp__exampledataFrancais_processed.sav"
#: WFP's category codes, by our band ids.
HHS_CATEGORY = {"little": 1, "moderate": 2, "severe": 3}
FCS_CATEGORY = {"poor": 1, "borderline": 2, "acceptable": 3}


@pytest.fixture(scope="module")
def stored(interop_file_module: Path) -> dict[str, list[float]]:
    frame, _ = pyreadstat.read_sav(interop_file_module, output_format="dict")
    return {name: list(values) for name, values in frame.items()}


@pytest.fixture(scope="module")
def interop_file_module() -> Path:
    from tests.conftest import INTEROP_FILES

    path = INTEROP_FILES / DATA
    if not path.is_file():
        pytest.skip(f"real example file {DATA} is not available (looked in {INTEROP_FILES})")
    return path


def _scored(name: str, path: Path) -> list:
    questionnaire = load_questionnaire(MODELS / f"{name}.yaml")
    plan = compile(questionnaire)
    return [score(plan, r) for r in read_responses(path, questionnaire)]


def test_household_hunger_scale(interop_file_module: Path, stored: dict[str, list[float]]) -> None:
    results = _scored("hhs", interop_file_module)

    assert len(results) == 3000
    assert [r.points for r in results] == stored["HHS"]
    assert [HHS_CATEGORY[r.band] for r in results] == stored["HHSCat"]
    assert sum(r.points == 0 for r in results) > 1000  # "no" everywhere still scores: 0


def test_reduced_coping_strategies_index(
    interop_file_module: Path, stored: dict[str, list[float]]
) -> None:
    results = _scored("rcsi", interop_file_module)

    assert [r.points for r in results] == stored["rCSI"]


def test_food_consumption_score_and_both_categories(
    interop_file_module: Path, stored: dict[str, list[float]]
) -> None:
    results = _scored("fcs", interop_file_module)

    assert [r.points for r in results] == stored["FCS"]
    assert [FCS_CATEGORY[r.dimension("fcs").band] for r in results] == stored["FCSCat21"]
    assert [FCS_CATEGORY[r.band] for r in results] == stored["FCSCat28"]
    # the ties the published file holds, each in the category closed at its threshold
    ties = {total: sum(r.points == total for r in results) for total in (21, 28, 35, 42)}
    assert ties == {21: 21, 28: 34, 35: 57, 42: 36}


@pytest.mark.parametrize("name", ["hhs", "rcsi", "fcs"])
def test_score_many_on_the_data_frame_gives_the_same_numbers(
    name: str, interop_file_module: Path
) -> None:
    from weltoffen import score_many

    questionnaire = load_questionnaire(MODELS / f"{name}.yaml")
    plan = compile(questionnaire)
    frame, _ = pyreadstat.read_sav(interop_file_module)
    single = [score(plan, r) for r in read_responses(interop_file_module, questionnaire)]

    table = score_many(plan, frame, points=True)

    assert table["points"].tolist() == [r.points for r in single]
    assert [None if isinstance(b, float) else b for b in table["band"].tolist()] == [
        r.band for r in single
    ]
