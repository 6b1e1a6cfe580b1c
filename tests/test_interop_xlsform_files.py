"""Real XLSForms: WFP's food-security indicators against 3,000 scored households, and a field
form from pyxform's bug reports whose typographic quotes must be named by sheet, row and column.

The WFP forms carry no points and no totals (WFP scores in SPSS). A user adds what
docs/formats/xlsform.md describes, to a copy: a ``points`` column on the choices sheet and
``calculate`` rows for the totals and categories. The helper below does exactly that with
openpyxl, and the imported forms must then give WFP's stored scores on every household.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest

from weltoffen import compile, score
from weltoffen.exceptions import DefinitionError, ProblemCode
from weltoffen.interop import Fidelity
from weltoffen.interop.xlsform import read_questionnaire

pytest.importorskip("pyxform")
openpyxl = pytest.importorskip("openpyxl")
pyreadstat = pytest.importorskip("pyreadstat")

HHS = "xlsform/wfp__RBDstandardized_questionnaireHHS.xlsx"
RCSI = "xlsform/wfp__RBDstandardized_questionnairerCSI.xlsx"
FCS = "xlsform/wfp__RBDstandardized_questionnaireFCSHDDS.xlsx"
UCL = "xlsform/pyxform__UCL_Biomass_Plot_Form.xlsx"
DATA = "spss/wfp__exampledataFrancais_processed.sav"


def with_scoring(
    source: Path,
    target: Path,
    points: Mapping[tuple[str, str], float] | None,
    calculations: Sequence[tuple[str, str]],
) -> Path:
    """A copy of *source* with a points column (when *points* is given, possibly empty) and
    calculate rows appended to the survey: what a user does to score a form."""
    shutil.copyfile(source, target)
    book = openpyxl.load_workbook(target)
    if points is not None:
        choices = book["choices"]
        column = choices.max_column + 1
        choices.cell(1, column, "points")
        for row in range(2, choices.max_row + 1):
            key = (choices.cell(row, 1).value, str(choices.cell(row, 2).value))
            if key in points:
                choices.cell(row, column, points[key])
    survey = book["survey"]
    header = [c.value for c in survey[1]]
    column = header.index("calculation") + 1
    last = max(r for r in range(1, survey.max_row + 1) if survey.cell(r, 1).value)
    for i, (name, expression) in enumerate(calculations, start=1):
        survey.cell(last + i, 1, "calculate")
        survey.cell(last + i, 2, name)
        survey.cell(last + i, column, expression)
    book.save(target)
    return target


@pytest.fixture(scope="module")
def households() -> tuple[Path, dict[str, list[float]]]:
    from tests.conftest import INTEROP_FILES

    path = INTEROP_FILES / DATA
    if not path.is_file():
        pytest.skip(f"real example file {DATA} is not available (looked in {INTEROP_FILES})")
    frame, _ = pyreadstat.read_sav(path, output_format="dict")
    return path, {name: list(values) for name, values in frame.items()}


def scored(form: Path, data: Path) -> list:
    from weltoffen.interop.spss import read_responses

    questionnaire = read_questionnaire(form).questionnaire
    plan = compile(questionnaire)
    return [score(plan, r) for r in read_responses(data, questionnaire)]


def test_household_hunger_scale_with_points_and_coalesced_follow_ups(
    interop_file: Callable[[str], Path], tmp_path: Path, households: tuple[Path, dict]
) -> None:
    form = with_scoring(
        interop_file(HHS),
        tmp_path / "hhs.xlsx",
        {("HHSFr", "1"): 1, ("HHSFr", "2"): 1, ("HHSFr", "3"): 2},
        [
            (
                "HHS",
                "coalesce(${HHhSNoFood_FR}, 0) + coalesce(${HHhSBedHung_FR}, 0) + "
                "coalesce(${HHhSNotEat_FR}, 0)",
            ),
            ("HHSCat", "if(${HHS} <= 1, 1, if(${HHS} <= 3, 2, 3))"),
        ],
    )
    data, stored = households

    imported = read_questionnaire(form)
    results = scored(form, data)

    assert imported.report.complete
    follow_up = dict(imported.questionnaire.iter_questions())["dimensions[0].questions[1]"]
    assert (follow_up.id, follow_up.otherwise) == ("HHhSNoFood_FR", "0")
    assert len(results) == 3000
    assert [r.points for r in results] == stored["HHS"]
    assert [float(r.dimensions[0].band) for r in results] == stored["HHSCat"]
    assert sum(r.points == 0 for r in results) > 1000  # "no" everywhere: a score of 0, not none


def test_reduced_coping_strategies_index_weights_come_from_the_calculation(
    interop_file: Callable[[str], Path], tmp_path: Path, households: tuple[Path, dict]
) -> None:
    form = with_scoring(
        interop_file(RCSI),
        tmp_path / "rcsi.xlsx",
        None,
        [
            (
                "rCSI",
                "${rCSILessQlty} + 2 * ${rCSIBorrow} + ${rCSIMealSize} + "
                "3 * ${rCSIMealAdult} + ${rCSIMealNb}",
            )
        ],
    )
    data, stored = households

    results = scored(form, data)

    assert [r.points for r in results] == stored["rCSI"]


def test_food_consumption_score_and_both_categories_ties_included(
    interop_file: Callable[[str], Path], tmp_path: Path, households: tuple[Path, dict]
) -> None:
    form = with_scoring(
        interop_file(FCS),
        tmp_path / "fcs.xlsx",
        {},  # a points column with no points: the yes/no and source lists are not scored
        [
            (
                "FCS",
                "2 * ${FCSStap} + 3 * ${FCSPulse} + 4 * ${FCSDairy} + 4 * ${FCSPr} + "
                "${FCSVeg} + ${FCSFruit} + 0.5 * ${FCSFat} + 0.5 * ${FCSSugar}",
            ),
            ("FCSCat21", "if(${FCS} <= 21, 1, if(${FCS} <= 35, 2, 3))"),
            ("FCSCat28", "if(${FCS} <= 28, 1, if(${FCS} <= 42, 2, 3))"),
        ],
    )
    data, stored = households

    results = scored(form, data)

    assert [r.points for r in results] == stored["FCS"]
    assert [float(r.dimensions[0].band) for r in results] == stored["FCSCat21"]
    assert [float(r.band) for r in results] == stored["FCSCat28"]
    ties = {total: sum(r.points == total for r in results) for total in (21, 28, 35, 42)}
    assert ties == {21: 21, 28: 34, 35: 57, 42: 36}


def test_without_a_points_column_numeric_choice_names_are_the_points_and_said_so(
    interop_file: Callable[[str], Path],
) -> None:
    imported = read_questionnaire(interop_file(HHS))

    approximated = imported.report.of(Fidelity.APPROXIMATED)
    assert {f.source_id for f in approximated if f.construct == "choice list"} == {
        "Yesno",
        "HHSFr",
    }
    options = {
        q.id: [(o.value, o.points) for o in q.options]
        for _, q in imported.questionnaire.iter_questions()
    }
    assert options["HHhSNoFood_FR"] == [("1", 1.0), ("2", 2.0), ("3", 3.0)]


def test_typographic_quotes_are_named_by_sheet_row_and_column_all_at_once(
    interop_file: Callable[[str], Path],
) -> None:
    path = interop_file(UCL)

    with pytest.raises(DefinitionError) as caught:
        read_questionnaire(path)

    problems = caught.value.problems
    assert {p.code for p in problems} == {ProblemCode.BAD_SYNTAX}
    assert [p.line for p in problems] == [9, 32, 36, 48, 56, 58, 72, 74, 80, 82]
    first = problems[0]
    assert first.cell == "survey!H9"
    assert "sheet 'survey', row 9, column H (relevant)" in first.message
    assert "‘" in first.message
    assert "straight" in (first.hint or "")
    assert first.file == str(path)
