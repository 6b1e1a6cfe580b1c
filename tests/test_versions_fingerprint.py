"""The fingerprint changes exactly when what decides scores changes; diff agrees with it."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.strategies import questionnaires
from weltoffen import Questionnaire, compile, dump_questionnaire, load_questionnaire, score
from weltoffen.cli import main
from weltoffen.exceptions import DefinitionWarning
from weltoffen.instruments import load_instrument
from weltoffen.model.conditions import Equals
from weltoffen.model.dimensions import Band, Suggestion
from weltoffen.model.metadata import MetadataField
from weltoffen.model.questions import (
    Choice,
    MultipleChoice,
    Numeric,
    Option,
    Scale,
    ScaleQuestion,
    TextQuestion,
    YesNo,
)
from weltoffen.strategies import Equal, Exclude, Explicit, Minimum, WeightedMean, Zero
from weltoffen.versions import diff, fingerprint
from weltoffen.versions.fingerprint import TEXT_FIELDS

Edit = Callable[[Questionnaire], Questionnaire]

#: Questionnaires of every question kind, with conditions, codes and bands.
QUESTIONNAIRES = questionnaires(max_depth=2, max_top=2, max_questions=3, otherwise=True)


def rebuild(node: Any, change: Callable[[Any], Any]) -> Any:
    """*node* with every attrs object in it (children first) passed through *change*."""
    if isinstance(node, tuple):
        return tuple(rebuild(item, change) for item in node)
    if not attrs.has(type(node)):
        return node
    fields = {
        field.alias: rebuild(getattr(node, field.name), change)
        for field in attrs.fields(type(node))
        if field.init
    }
    return change(attrs.evolve(node, **fields))


def questions_of(q: Questionnaire) -> list[Any]:
    return [question for _, question in q.iter_questions()]


def on_question(q: Questionnaire, qid: str, change: Callable[[Any], Any]) -> Questionnaire:
    return rebuild(q, lambda n: change(n) if _is_question(n) and n.id == qid else n)  # type: ignore[no-any-return]


def _is_question(node: object) -> bool:
    return isinstance(node, (ScaleQuestion, YesNo, Choice, MultipleChoice, Numeric, TextQuestion))


# -- edits that must not change it -------------------------------------------------------------


def reworded(q: Questionnaire) -> Questionnaire:
    """Every text reworded and translated into one more language, keys in reverse order."""

    def retext(node: Any) -> Any:
        changes = {}
        for field in attrs.fields(type(node)):
            value = getattr(node, field.name)
            if field.name in TEXT_FIELDS and isinstance(value, Mapping):
                changes[field.alias] = {
                    "xx": "eine neue Übersetzung",
                    **{lang: f"{text} (neu gefasst)" for lang, text in reversed(value.items())},
                }
            elif field.name == "missing_codes" and isinstance(value, Mapping):
                changes[field.alias] = dict(reversed(value.items()))
            elif field.name == "suggestions":
                changes[field.alias] = (Suggestion(text={"de": "Etwas Neues"}),)
        return attrs.evolve(node, **changes) if changes else node

    return rebuild(q, retext)  # type: ignore[no-any-return]


def renamed(q: Questionnaire) -> Questionnaire:
    """Another id, version and default language, other metadata, and an unused scale."""
    unused = Scale(id="nie-benutzt", options=(Option(value="a", points=3),))
    return attrs.evolve(
        q,
        id=f"{q.id}-neu",
        version=f"{q.version}.1",
        language="xx" if q.language != "xx" else "yy",
        metadata=(MetadataField(key="stadt", label={"de": "Stadt"}),),
        scales=(*q.scales, unused),
    )


# -- edits that must change it -----------------------------------------------------------------


def _more_points(question: Any) -> Any:
    if isinstance(question, YesNo):
        return attrs.evolve(question, yes_points=question.yes_points + 1)
    if isinstance(question, Numeric) and question.thresholds:
        first, *rest = question.thresholds
        return attrs.evolve(
            question, thresholds=(attrs.evolve(first, points=first.points + 1), *rest)
        )
    if isinstance(question, Numeric) and question.linear is not None:
        linear = question.linear
        return attrs.evolve(question, linear=attrs.evolve(linear, points=linear.points + 1))
    first, *rest = question.options
    return attrs.evolve(question, options=(attrs.evolve(first, points=first.points + 1), *rest))


def more_points(data: st.DataObject, q: Questionnaire) -> Questionnaire | None:
    """One option (or yes, threshold, line) of one question earns a point more."""
    scales = {s.id: s for s in q.scales}
    candidates = [
        x
        for x in questions_of(q)
        if isinstance(x, YesNo)
        or (x.thresholds or x.linear if isinstance(x, Numeric) else getattr(x, "options", ()))
    ]
    used = [x.scale for x in questions_of(q) if isinstance(x, ScaleQuestion) and x.scale]
    choices: list[Any] = [*candidates, *(scales[s] for s in used)]
    if not choices:
        return None
    target = data.draw(st.sampled_from(choices))
    if isinstance(target, Scale):
        bumped = _more_points(target)
        return attrs.evolve(q, scales=tuple(bumped if s is target else s for s in q.scales))
    return on_question(q, target.id, _more_points)


def question_weight(data: st.DataObject, q: Questionnaire) -> Questionnaire | None:
    target = data.draw(st.sampled_from(questions_of(q)))
    return on_question(q, target.id, lambda x: attrs.evolve(x, weight=x.weight + 1))


def dimension_weight(data: st.DataObject, q: Questionnaire) -> Questionnaire | None:
    first, *rest = q.dimensions
    return attrs.evolve(q, dimensions=(attrs.evolve(first, weight=first.weight + 1), *rest))


def aggregation(data: st.DataObject, q: Questionnaire) -> Questionnaire | None:
    other = Minimum() if q.aggregation != Minimum() else WeightedMean()
    return attrs.evolve(q, aggregation=other)


def weighting(data: st.DataObject, q: Questionnaire) -> Questionnaire | None:
    first, *rest = q.dimensions
    other = Equal() if first.weighting != Equal() else Explicit()
    return attrs.evolve(q, dimensions=(attrs.evolve(first, weighting=other), *rest))


def policy(data: st.DataObject, q: Questionnaire) -> Questionnaire | None:
    other = Zero() if q.scoring.dont_know != Zero() else Exclude()
    return attrs.evolve(q, scoring=attrs.evolve(q.scoring, dont_know=other))


def coverage(data: st.DataObject, q: Questionnaire) -> Questionnaire | None:
    other = 0.5 if q.scoring.min_coverage != 0.5 else 0.25
    return attrs.evolve(q, scoring=attrs.evolve(q.scoring, min_coverage=other))


def band(data: st.DataObject, q: Questionnaire) -> Questionnaire | None:
    if not q.bands:
        return attrs.evolve(q, bands=(Band(id="alle", min=0, max=100),))
    first, *rest = q.bands
    return attrs.evolve(q, bands=(attrs.evolve(first, max=first.max + 0.5), *rest))


def reverse(data: st.DataObject, q: Questionnaire) -> Questionnaire | None:
    scale_questions = [x for x in questions_of(q) if isinstance(x, ScaleQuestion)]
    if not scale_questions:
        return None
    target = data.draw(st.sampled_from(scale_questions))
    return on_question(q, target.id, lambda x: attrs.evolve(x, reverse=not x.reverse))


def condition(data: st.DataObject, q: Questionnaire) -> Questionnaire | None:
    first, *others = questions_of(q)
    if not others:
        return None
    target = data.draw(st.sampled_from(others))
    gate = None if target.when is not None else Equals(question=first.id, value="ja")
    return on_question(q, target.id, lambda x: attrs.evolve(x, when=gate, otherwise=None))


def dropped(data: st.DataObject, q: Questionnaire) -> Questionnaire | None:
    if len(questions_of(q)) < 2:
        return None  # the last question stays, for the edits that follow to work on
    target = data.draw(st.sampled_from(questions_of(q)))

    def drop(node: Any) -> Any:
        if hasattr(node, "questions") and not _is_question(node):
            return attrs.evolve(
                node, questions=tuple(x for x in node.questions if x.id != target.id)
            )
        return node

    return rebuild(q, drop)  # type: ignore[no-any-return]


def missing_code(data: st.DataObject, q: Questionnaire) -> Questionnaire | None:
    if "-99" in q.missing_codes:
        return attrs.evolve(
            q, missing_codes={k: v for k, v in q.missing_codes.items() if k != "-99"}
        )
    return attrs.evolve(q, missing_codes={**q.missing_codes, "-99": "dont_know"})


def states(data: st.DataObject, q: Questionnaire) -> Questionnaire | None:
    target = data.draw(st.sampled_from(questions_of(q)))
    return on_question(q, target.id, lambda x: attrs.evolve(x, dont_know=not x.dont_know))


SCORE_EDITS = (
    more_points,
    question_weight,
    dimension_weight,
    aggregation,
    weighting,
    policy,
    coverage,
    band,
    reverse,
    condition,
    dropped,
    missing_code,
    states,
)


# -- the properties ----------------------------------------------------------------------------


@given(QUESTIONNAIRES)
def test_is_sixteen_hex_digits_and_stable(q: Questionnaire) -> None:
    printed = fingerprint(q)
    assert len(printed) == 16
    assert set(printed) <= set("0123456789abcdef")
    assert fingerprint(attrs.evolve(q)) == printed
    assert compile(q).fingerprint == printed


@given(QUESTIONNAIRES)
def test_texts_languages_order_and_identity_leave_it_alone(q: Questionnaire) -> None:
    for edit in (reworded, renamed, lambda x: renamed(reworded(x))):
        edited = edit(q)
        assert fingerprint(edited) == fingerprint(q)
        found = diff(q, edited)
        assert not found.affects_scores
        assert found.changes  # the edits are still listed, as not affecting scores


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(QUESTIONNAIRES, st.sampled_from(SCORE_EDITS), st.data())
def test_every_score_affecting_edit_changes_it(
    q: Questionnaire,
    edit: Callable[[st.DataObject, Questionnaire], Questionnaire | None],
    data: st.DataObject,
) -> None:
    edited = edit(data, q)
    if edited is None:  # the edit has nothing to work on in this questionnaire
        return
    assert fingerprint(edited) != fingerprint(q), edit.__name__
    found = diff(q, edited)
    assert found.affects_scores, edit.__name__
    assert any(c.affects_scores for c in found.changes)
    # rewording on top changes nothing about that
    assert fingerprint(reworded(edited)) == fingerprint(edited)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(QUESTIONNAIRES, st.lists(st.sampled_from(SCORE_EDITS), max_size=3), st.booleans(), st.data())
def test_diff_affects_scores_exactly_when_the_fingerprints_differ(
    q: Questionnaire,
    edits: list[Callable[[st.DataObject, Questionnaire], Questionnaire | None]],
    texts: bool,
    data: st.DataObject,
) -> None:
    edited = q
    for edit in edits:
        edited = edit(data, edited) or edited
    if texts:
        edited = reworded(edited)
    assert diff(q, edited).affects_scores == (fingerprint(q) != fingerprint(edited))
    assert diff(q, q).changes == ()
    assert diff(edited, edited).changes == ()


@given(QUESTIONNAIRES)
def test_the_file_format_does_not_matter(q: Questionnaire) -> None:
    for fmt in ("yaml", "json"):
        with warnings.catch_warnings():  # generated conditions may never hold: not the point
            warnings.simplefilter("ignore", DefinitionWarning)
            again = load_questionnaire(text=dump_questionnaire(q, format=fmt), format=fmt)
        assert fingerprint(again) == fingerprint(q)


def test_whole_numbers_written_either_way_are_the_same() -> None:
    q = load_instrument("weltoffene-kommune", "1.0")
    first, *rest = q.dimensions
    assert fingerprint(attrs.evolve(q, dimensions=(attrs.evolve(first, weight=1.0), *rest))) == (
        fingerprint(attrs.evolve(q, dimensions=(attrs.evolve(first, weight=1), *rest)))
    )


class TestRecorded:
    def test_score_records_the_plans_fingerprint(self) -> None:
        q = load_instrument("weltoffene-kommune", "1.0")
        plan = compile(q)
        assert score(plan, {}).fingerprint == plan.fingerprint == fingerprint(q)

    def test_a_pandas_table_names_it(self) -> None:
        pd = pytest.importorskip("pandas")
        plan = compile(load_instrument("weltoffene-kommune", "1.0"))
        from weltoffen import score_many

        table = score_many(plan, pd.DataFrame({"respondent": ["a"]}))
        assert table.attrs["fingerprint"] == plan.fingerprint
        assert (table.attrs["instrument"], table.attrs["version"]) == ("weltoffene-kommune", "1.0")

    @pytest.mark.parametrize(
        ("fmt", "shown"),
        [
            ("markdown", "| Scoring fingerprint | {} |"),
            ("html", "<dt>Scoring fingerprint</dt><dd><code>{}</code></dd>"),
        ],
    )
    def test_reports_show_it_beside_instrument_and_version(
        self, capsys: pytest.CaptureFixture[str], fmt: str, shown: str
    ) -> None:
        if fmt == "html":
            pytest.importorskip("jinja2")
            pytest.importorskip("matplotlib")
        answers = (
            Path(__file__).parent.parent / "examples" / "weltoffene-kommune" / "musterstadt.yaml"
        )
        argv = ["report", "--instrument", "weltoffene-kommune", "--version", "1.0", str(answers)]
        assert main([*argv, "--format", fmt, "--lang", "en"]) == 0
        expected = compile(load_instrument("weltoffene-kommune", "1.0")).fingerprint
        assert shown.format(expected) in capsys.readouterr().out
