"""REDCap dictionaries with weltoffen annotations: any questionnaire survives the trip."""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.strategies import questionnaires, responses
from tests.test_interop_redcap_roundtrip import expressible
from weltoffen import compile, score
from weltoffen.exceptions import DefinitionError, Problem, ProblemCode
from weltoffen.instruments import load_instrument
from weltoffen.interop import Fidelity
from weltoffen.interop.redcap import (
    read_questionnaire,
    read_responses,
    write_questionnaire,
    write_responses,
)
from weltoffen.interop.redcap.writer import dictionary_text, native_problems
from weltoffen.model import Response
from weltoffen.model.conditions import Equals
from weltoffen.model.questionnaire import Questionnaire

_NAME = re.compile(r"[a-z][a-z0-9_]{0,99}")


def _written(q: Questionnaire, folder: Path) -> Path:
    path = folder / "dictionary.csv"
    write_questionnaire(q, path)
    return path


def _trip(q: Questionnaire, folder: Path) -> Questionnaire:
    return read_questionnaire(_written(q, folder)).questionnaire


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_self_check_exports_and_imports_to_the_same_plan(tmp_path: Path) -> None:
    q = load_instrument("weltoffene-kommune", "1.0")
    imported = read_questionnaire(_written(q, tmp_path))
    again = imported.questionnaire
    assert compile(again) == compile(q)
    assert again == q
    # every construct is exact: the settings say what the columns only approximate
    assert imported.report.complete
    assert imported.report.count(Fidelity.EXACT) == len(imported.report.findings)
    assert any(f.construct == "weltoffen settings" for f in imported.report.findings)
    rows = _rows((tmp_path / "dictionary.csv").read_text(encoding="utf-8"))
    # valid REDCap names; hyphenated ids keep their weltoffen id in the annotation
    assert all(_NAME.fullmatch(row[0]) for row in rows[1:])
    assert rows[2][0] == "weltoffen"
    assert rows[2][3] == "descriptive"
    assert "not a question" in rows[2][4]


@settings(
    max_examples=10,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
@given(st.data())
def test_self_check_records_read_back_to_the_same_scores(data: st.DataObject) -> None:
    q = load_instrument("weltoffene-kommune", "1.0")
    answered = [data.draw(responses(q, respondent=st.just(f"r{i}"))) for i in range(3)]
    answered = [_storable(r) for r in answered]
    with tempfile.TemporaryDirectory() as folder:
        again = _trip(q, Path(folder))
        path = Path(folder) / "records.csv"
        write_responses(answered, q, path)
        read = read_responses(path, again)
    plan, plan_again = compile(q), compile(again)
    for before, after in zip(answered, read, strict=True):
        first, second = score(plan, before), score(plan_again, after)
        assert first.score == second.score
        assert first.dimensions == second.dimensions


def _storable(response: Response) -> Response:
    """*response* without what a records export cannot hold: REDCap stores no tick and an empty
    text as a blank, and a text file holds no control characters."""
    return Response(
        respondent=response.respondent,
        answers={
            k: v
            for k, v in response.answers.items()
            if v != () and not (isinstance(v, str) and not (v.strip() and v.isprintable()))
        },
    )


@given(st.data())
def test_responses_to_any_generated_questionnaire_keep_their_scores(data: st.DataObject) -> None:
    q = data.draw(questionnaires())
    answered = [_storable(data.draw(responses(q, respondent=st.just(f"r{i}")))) for i in range(2)]
    with tempfile.TemporaryDirectory() as folder:
        again = _trip(q, Path(folder))
        path = Path(folder) / "records.csv"
        write_responses(answered, q, path)
        read = read_responses(path, again)
    plan, plan_again = compile(q), compile(again)
    for before, after in zip(answered, read, strict=True):
        first, second = score(plan, before), score(plan_again, after)
        assert first.score == second.score
        assert first.dimensions == second.dimensions


@given(questionnaires())
def test_any_generated_questionnaire_survives_export_and_import(q: Questionnaire) -> None:
    text = dictionary_text(q)
    assert all(_NAME.fullmatch(row[0]) for row in _rows(text)[1:])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "d.csv"
        path.write_text(text, encoding="utf-8")
        again = read_questionnaire(path).questionnaire
    assert compile(again) == compile(q)


def test_only_names_that_would_collide_are_refused(tmp_path: Path) -> None:
    from weltoffen.model.dimensions import Dimension
    from weltoffen.model.questions import YesNo

    questions = (YesNo(id="ms-01"), YesNo(id="ms_01"), YesNo(id="Ms-02"))
    q = Questionnaire(id="q", dimensions=(Dimension(id="form", questions=questions),))
    with pytest.raises(DefinitionError) as caught:
        write_questionnaire(q, tmp_path / "q.csv")
    (problem,) = caught.value.problems
    assert "'ms_01'" in problem.message
    assert problem.location == ("dimensions", 0, "questions", 1)
    assert not (tmp_path / "q.csv").exists()


def test_a_native_dictionary_has_no_annotations(tmp_path: Path) -> None:
    from weltoffen.model.dimensions import Dimension
    from weltoffen.model.questions import YesNo

    q = Questionnaire(id="q", dimensions=(Dimension(id="form", questions=(YesNo(id="a"),)),))
    assert "@WELTOFFEN" not in dictionary_text(q)


def _self_check_rows(tmp_path: Path) -> tuple[list[list[str]], Path]:
    path = tmp_path / "d.csv"
    write_questionnaire(load_instrument("weltoffene-kommune", "1.0"), path)
    return _rows(path.read_text(encoding="utf-8")), path


def _write(rows: list[list[str]], path: Path) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def test_bad_json_in_an_annotation_is_located(tmp_path: Path) -> None:
    rows, path = _self_check_rows(tmp_path)
    target = next(i for i, r in enumerate(rows) if r[-1].startswith("@WELTOFFEN=") and i > 3)
    rows[target][-1] = rows[target][-1][:-1]  # the closing brace is gone
    _write(rows, path)
    with pytest.raises(DefinitionError) as caught:
        read_questionnaire(path)
    (problem,) = caught.value.problems
    assert problem.location == ("Field Annotation",)
    assert problem.line == target + 1
    assert "JSON" in problem.message


def test_a_bad_fragment_is_located(tmp_path: Path) -> None:
    rows, path = _self_check_rows(tmp_path)
    target = next(
        i for i, r in enumerate(rows) if r[3] == "radio" and r[-1].startswith("@WELTOFFEN=")
    )
    rows[target][-1] = '@WELTOFFEN={"weight": "heavy"}'
    _write(rows, path)
    with pytest.raises(DefinitionError) as caught:
        read_questionnaire(path)
    (problem,) = caught.value.problems
    assert problem.location[0] == "Field Annotation"
    assert problem.line == target + 1


def test_choices_changed_in_redcap_win_and_are_reported(tmp_path: Path) -> None:
    rows, path = _self_check_rows(tmp_path)
    target = next(
        i for i, r in enumerate(rows) if r[3] == "radio" and '"options"' in r[-1] and not r[11]
    )
    name = rows[target][0]
    rows[target][5] = "0, never | 5, always"
    _write(rows, path)
    imported = read_questionnaire(path)
    findings = [
        f
        for f in imported.report.findings
        if f.source_id == name and f.construct == "weltoffen settings"
    ]
    assert any(f.fidelity.value == "approximated" for f in findings)
    question = next(
        x for _, x in imported.questionnaire.iter_questions() if x.id.replace("-", "_") == name
    )
    assert [o.value for o in question.options] == ["0", "5"]  # type: ignore[attr-defined]


@given(expressible())
def test_what_redcap_holds_whole_is_written_without_annotations(q: Questionnaire) -> None:
    text = dictionary_text(q)
    assert "@WELTOFFEN" not in text
    assert native_problems(q) == []


def test_without_its_annotations_the_dictionary_reads_by_its_columns(tmp_path: Path) -> None:
    rows, path = _self_check_rows(tmp_path)
    for row in rows[1:]:
        row[-1] = ""
    _write(rows, path)
    imported = read_questionnaire(path)
    # REDCap's own reading: variable names as ids, codes as points, settings fields dropped
    ids = {x.id for _, x in imported.questionnaire.iter_questions()}
    assert "ms_01" in ids
    assert not any(f.construct == "weltoffen settings" for f in imported.report.findings)
    dropped = [f for f in imported.report.findings if f.source_id == "weltoffen"]
    assert [f.fidelity.value for f in dropped] == ["dropped"]


def test_annotations_without_the_settings_field_are_reported_not_applied(tmp_path: Path) -> None:
    rows, path = _self_check_rows(tmp_path)
    _write([r for r in rows if r[0] != "weltoffen"], path)
    imported = read_questionnaire(path)
    found = [f for f in imported.report.findings if f.construct == "weltoffen settings"]
    assert found
    assert all(f.fidelity.value == "dropped" for f in found)


def test_branching_logic_changed_in_redcap_wins_and_is_reported(tmp_path: Path) -> None:
    from weltoffen.model.conditions import AnyOf
    from weltoffen.model.dimensions import Dimension
    from weltoffen.model.questions import YesNo

    # REDCap's logic flattens the inner "or": the exact condition travels in the annotation
    nested = AnyOf((Equals("a-1", True), AnyOf((Equals("b", True), Equals("a-1", False)))))
    questions = (YesNo(id="a-1"), YesNo(id="b"), YesNo(id="c", when=nested))
    q = Questionnaire(id="q", dimensions=(Dimension(id="form", questions=questions),))
    path = tmp_path / "d.csv"
    write_questionnaire(q, path)
    assert read_questionnaire(path).questionnaire == q
    rows = _rows(path.read_text(encoding="utf-8"))
    (target,) = [i for i, r in enumerate(rows) if r[0] == "c"]
    assert '"when"' in rows[target][-1]
    rows[target][11] = "[b] = '0'"
    _write(rows, path)
    imported = read_questionnaire(path)
    (c,) = [x for _, x in imported.questionnaire.iter_questions() if x.id == "c"]
    assert c.when == Equals("b", False)
    assert any(
        f.source_id == "c" and f.fidelity.value == "approximated" and "branching" in f.message
        for f in imported.report.findings
    )


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["", "x", "q-1", "sum"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                ["id", "kind", "options", "weight", "when", "parent", "bands", "scales"]
            ),
            inner,
            max_size=3,
        )
    ),
    max_leaves=8,
)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_any_annotation_is_read_or_refused_with_located_problems(data: st.DataObject) -> None:
    from weltoffen.model.dimensions import Dimension
    from weltoffen.model.questions import Option, ScaleQuestion, YesNo

    options = (Option(value="never"), Option(value="often", points=2.0))
    questions = (YesNo(id="a-1"), ScaleQuestion(id="b", options=options, weight=2.0))
    q = Questionnaire(id="q", dimensions=(Dimension(id="form", questions=questions),))
    rows = _rows(dictionary_text(q))
    target = data.draw(st.integers(2, len(rows) - 1))
    if data.draw(st.booleans()):
        tag = json.dumps(data.draw(_json_values))
    else:
        tag = data.draw(st.text(alphabet='{}[]":,0a ', max_size=12))
    rows[target][-1] = "@WELTOFFEN=" + tag
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "d.csv"
        _write(rows, path)
        problems = _problems_of(path)
    assert all(p.file for p in problems)


def _problems_of(path: Path) -> list[Problem]:
    """The problems reading *path* gives (none when it reads); any other exception escapes."""
    try:
        read_questionnaire(path)
    except DefinitionError as error:
        return list(error.problems) or [Problem(ProblemCode.BAD_VALUE, "no problems")]
    return []


def test_a_section_header_changed_in_redcap_wins_and_is_reported(tmp_path: Path) -> None:
    rows, path = _self_check_rows(tmp_path)
    (target,) = [i for i, r in enumerate(rows) if r[0] == "bildung_settings"]
    assert rows[target][2]  # the dimension's title, shown as the section's header
    rows[target][2] = "Schule und Bildung"
    _write(rows, path)
    imported = read_questionnaire(path)
    (bildung,) = [d for _, d in imported.questionnaire.iter_dimensions() if d.id == "bildung"]
    assert bildung.title["de"] == "Schule und Bildung"
    assert bildung.title["en"] == "Education"
    assert any(
        f.source_id == "bildung_settings" and f.fidelity.value == "approximated"
        for f in imported.report.findings
    )


def test_a_calc_total_is_written_where_redcap_computes_it_and_checked_on_reading(
    tmp_path: Path,
) -> None:
    from weltoffen.model.dimensions import Dimension, Policies
    from weltoffen.model.questions import YesNo
    from weltoffen.strategies import SumOfPoints, Zero

    summed = Dimension(
        id="form",
        aggregation=SumOfPoints(),
        scoring=Policies(dont_know=Zero(), skipped=Zero()),
        questions=(YesNo(id="a-1"), YesNo(id="b", weight=2.0)),
    )
    q = Questionnaire(id="q", dimensions=(summed,))
    path = tmp_path / "d.csv"
    write_questionnaire(q, path)
    rows = _rows(path.read_text(encoding="utf-8"))
    (calc,) = [i for i, r in enumerate(rows) if r[3] == "calc"]
    assert rows[calc][0] == "form_total"
    assert rows[calc][5] == "sum([a_1], [b]*2)"
    imported = read_questionnaire(path)
    assert imported.questionnaire == q
    (found,) = [f for f in imported.report.findings if f.source_id == "form_total"]
    assert found.fidelity.value == "exact"
    rows[calc][5] = "sum([a_1], [b])"
    _write(rows, path)
    imported = read_questionnaire(path)
    (found,) = [f for f in imported.report.findings if f.source_id == "form_total"]
    assert found.fidelity.value == "approximated"
    assert imported.questionnaire == q  # the settings score, the calculation is reported


def test_a_bad_dimension_setting_is_located_on_its_settings_field(tmp_path: Path) -> None:
    rows, path = _self_check_rows(tmp_path)
    (target,) = [i for i, r in enumerate(rows) if r[0] == "bildung_settings"]
    rows[target][-1] = rows[target][-1].replace("{", '{"weight": -1, ', 1)
    _write(rows, path)
    with pytest.raises(DefinitionError) as caught:
        read_questionnaire(path)
    (problem,) = caught.value.problems
    assert problem.line == target + 1
    assert problem.location[-1] == "weight"
