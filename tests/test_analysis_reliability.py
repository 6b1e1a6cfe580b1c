"""Tests for weltoffen.analysis.reliability: alpha and item statistics as R's psych has them."""

from __future__ import annotations

import importlib.util
import json
import math
import shutil
import statistics
import subprocess
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import RELIABILITY_FIXTURES as FIXTURES
from tests.helpers import read_responses
from weltoffen import (
    DONT_KNOW,
    NOT_APPLICABLE,
    Dimension,
    Option,
    Questionnaire,
    Response,
    Scale,
    ScaleQuestion,
    compile,
    load_questionnaire,
    score,
)
from weltoffen.analysis import assess_reliability
from weltoffen.analysis.reliability import (
    ReliabilityReport,
    cronbach,
    item_table,
    pairwise_covariance,
)
from weltoffen.cli import main

TOLERANCE = 1e-6


def report_for(csv_path: Path) -> ReliabilityReport:
    plan = compile(load_questionnaire(FIXTURES / "questionnaire.yaml"))
    return assess_reliability(plan, read_responses(csv_path))


def test_progress_is_told_after_each_dimension() -> None:
    plan = compile(load_questionnaire(FIXTURES / "questionnaire.yaml"))
    told: list[tuple[int, int]] = []

    report = assess_reliability(
        plan,
        read_responses(FIXTURES / "responses.csv"),
        progress=lambda done, total: told.append((done, total)),
    )

    n = len(report.dimensions)
    assert n > 1
    assert told == [(done, n) for done in range(1, n + 1)]


def assert_matches_psych(report: ReliabilityReport, reference: dict[str, object]) -> int:
    """Compare every statistic with psych's; return how many numbers were compared."""
    compared = 0
    dims = reference["dimensions"]
    assert isinstance(dims, dict)
    for name, expected in dims.items():
        ours = report.dimension(name)
        for key, value in (
            ("raw_alpha", ours.alpha),
            ("std_alpha", ours.std_alpha),
            ("average_r", ours.average_r),
            ("mean", ours.mean),
            ("sd", ours.sd),
        ):
            assert value is not None
            assert expected[key] == pytest.approx(value, abs=TOLERANCE), (name, key)
            compared += 1
        assert [i["question"] for i in expected["items"]] == [i.question for i in ours.items]
        for item in expected["items"]:
            mine = ours.item(item["question"])
            keys = ["n", "raw_r", "std_r", "r_drop", "mean", "sd"]
            if len(ours.items) > 2:  # psych's "alpha if deleted" of two items is a correlation
                keys += ["alpha_if_deleted", "std_alpha_if_deleted"]
            for key in keys:
                assert item[key] == pytest.approx(getattr(mine, key), abs=TOLERANCE), (
                    name,
                    item["question"],
                    key,
                )
                compared += 1
    return compared


class TestAgainstPsych:
    """The committed fixture: psych 2.2.9 on 120 respondents with don't-knows and skips."""

    def test_every_statistic_matches_psych_to_1e_6(self) -> None:
        reference = json.loads((FIXTURES / "psych.json").read_text(encoding="utf-8"))
        report = report_for(FIXTURES / "responses.csv")

        compared = assert_matches_psych(report, reference)

        assert compared > 100

    def test_reverse_keyed_item_enters_flipped(self) -> None:
        report = report_for(FIXTURES / "responses.csv")

        e4 = report.dimension("engagement").item("e4")

        assert e4.reverse
        assert e4.r_drop > 0.4

    def test_miskeyed_item_has_negative_item_rest_correlation(self) -> None:
        report = report_for(FIXTURES / "responses.csv")

        a5 = report.dimension("access").item("a5")

        assert not a5.reverse
        assert a5.r_drop < 0
        assert a5.alpha_if_deleted is not None
        assert a5.alpha_if_deleted > report.dimension("access").alpha  # type: ignore[operator]

    def test_a_dimension_pools_the_items_of_its_sub_dimensions(self) -> None:
        report = report_for(FIXTURES / "responses.csv")

        assert [i.question for i in report.dimension("access").items] == [
            "a1",
            "a2",
            "a3",
            "a4",
            "a5",
            "a6",
        ]
        assert [i.question for i in report.dimension("access-a").items] == ["a1", "a2", "a3"]

    def test_two_items_have_no_alpha_if_deleted(self) -> None:
        pair = report_for(FIXTURES / "responses.csv").dimension("pair")

        assert [i.alpha_if_deleted for i in pair.items] == [None, None]


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate", FIXTURES / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _psych_available() -> bool:
    if shutil.which("Rscript") is None:
        return False
    probe = subprocess.run(
        ["Rscript", "-e", "library(psych); library(jsonlite)"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


@pytest.mark.skipif(not _psych_available(), reason="needs Rscript with psych and jsonlite")
class TestLivePsych:
    """Fresh data, run through R's psych right now."""

    @pytest.mark.parametrize("seed", [7, 2024])
    def test_fresh_data_matches_psych(self, tmp_path: Path, seed: int) -> None:
        data = tmp_path / "responses.csv"
        _load_generator().generate(data, seed=seed, respondents=80)
        out = tmp_path / "psych.json"
        subprocess.run(
            ["Rscript", str(FIXTURES / "reference.R"), str(data), str(out)],
            check=True,
            capture_output=True,
        )

        compared = assert_matches_psych(
            report_for(data), json.loads(out.read_text(encoding="utf-8"))
        )

        assert compared > 100


class TestFixtureIsReproducible:
    def test_generator_reproduces_the_committed_csv(self, tmp_path: Path) -> None:
        _load_generator().generate(tmp_path / "again.csv")

        assert (FIXTURES / "responses.csv").read_text() == (tmp_path / "again.csv").read_text()


# -- the statistics themselves ------------------------------------------------------------------


def textbook_alpha(rows: Sequence[Sequence[float]]) -> float:
    """k/(k−1) · (1 − Σ var(item) / var(sum)) on complete data."""
    k = len(rows[0])
    items = [statistics.variance([r[i] for r in rows]) for i in range(k)]
    total = statistics.variance([sum(r) for r in rows])
    return k / (k - 1) * (1 - sum(items) / total)


complete_rows = st.integers(min_value=3, max_value=6).flatmap(
    lambda k: st.lists(
        st.lists(st.integers(min_value=0, max_value=4), min_size=k, max_size=k),
        min_size=4,
        max_size=30,
    )
)


def has_variance(rows: list[list[int]]) -> bool:
    """Every item varies, and so does the sum (else alpha is undefined)."""
    items = all(len({r[i] for r in rows}) > 1 for i in range(len(rows[0])))
    return items and len({sum(r) for r in rows}) > 1


class TestCronbach:
    def test_hand_computed_example(self) -> None:
        """Three items, four respondents: item variances 1, 1, 1 and sum variance 20/3 (≈6.667)."""
        rows = [[1, 1, 2], [2, 2, 1], [3, 3, 3], [2, 2, 2]]
        # var(items) = 2/3, 2/3, 2/3; sums 4, 5, 9, 6 → var 14/3; alpha = 1.5 · (1 − 2/(14/3)).
        expected = 1.5 * (1 - 2 / (14 / 3))

        stats = cronbach(rows)  # type: ignore[arg-type]

        assert expected == pytest.approx(stats.alpha, abs=1e-12)

    @given(complete_rows)
    def test_complete_data_gives_the_textbook_alpha(self, rows: list[list[int]]) -> None:
        if not has_variance(rows):
            return
        stats = cronbach(rows)  # type: ignore[arg-type]

        assert textbook_alpha(rows) == pytest.approx(stats.alpha, abs=1e-9)

    @given(complete_rows, st.randoms(use_true_random=False))
    def test_item_order_does_not_matter(self, rows: list[list[int]], rnd: object) -> None:
        if not has_variance(rows):
            return
        k = len(rows[0])
        order = list(range(k))
        rnd.shuffle(order)  # type: ignore[attr-defined]
        shuffled = [[r[i] for i in order] for r in rows]

        a, b = cronbach(rows), cronbach(shuffled)  # type: ignore[arg-type]

        assert a.alpha == pytest.approx(b.alpha, abs=1e-9)
        assert [a.r_drop[i] for i in order] == pytest.approx(list(b.r_drop), abs=1e-9)

    @given(complete_rows)
    def test_item_rest_is_the_correlation_with_the_sum_of_the_others(
        self, rows: list[list[int]]
    ) -> None:
        if not has_variance(rows):
            return
        stats = cronbach(rows)  # type: ignore[arg-type]
        for i in range(len(rows[0])):
            rest = [sum(r) - r[i] for r in rows]
            if statistics.pvariance(rest) == 0:
                continue
            expected = statistics.correlation([float(r[i]) for r in rows], rest)

            assert expected == pytest.approx(stats.r_drop[i], abs=1e-9)

    def test_pairwise_covariance_uses_each_pair_s_own_rows(self) -> None:
        rows = [[1.0, 2.0], [2.0, None], [3.0, 5.0], [None, 1.0], [5.0, 4.0]]

        cov = pairwise_covariance(rows)

        assert statistics.variance([1, 2, 3, 5]) == pytest.approx(cov[0][0])
        assert statistics.variance([2, 5, 1, 4]) == pytest.approx(cov[1][1])
        assert statistics.covariance([1, 3, 5], [2, 5, 4]) == pytest.approx(cov[0][1])

    def test_needs_two_items(self) -> None:
        with pytest.raises(ValueError, match="two items"):
            cronbach([[1.0], [2.0]])

    def test_items_never_answered_together_are_named(self) -> None:
        rows = [[1.0, None, 1.0], [2.0, None, 3.0], [None, 1.0, 2.0], [None, 2.0, 1.0]]

        with pytest.raises(ValueError, match="'x' and 'y' have fewer than two answers in common"):
            cronbach(rows, ["x", "y", "z"])


# -- from responses ------------------------------------------------------------------------------

AGREE = Scale(id="agree", options=tuple(Option(value=str(p), points=p) for p in range(5)))


def small(*questions: ScaleQuestion) -> Questionnaire:
    return Questionnaire(
        id="s", scales=(AGREE,), dimensions=(Dimension(id="d", questions=questions),)
    )


def q(qid: str, **kw: object) -> ScaleQuestion:
    return ScaleQuestion(id=qid, scale="agree", dont_know=True, not_applicable=True, **kw)  # type: ignore[arg-type]


class TestFromResponses:
    def test_declared_reverse_key_equals_flipping_the_data(self) -> None:
        answers = [
            ("0", "1", "4"),
            ("2", "2", "2"),
            ("4", "3", "0"),
            ("3", "4", "1"),
            ("1", "0", "3"),
        ]
        keyed = compile(small(q("a"), q("b"), q("c", reverse=True)))
        flipped = compile(small(q("a"), q("b"), q("c")))
        rs = [
            Response(respondent=f"r{i}", answers=dict(zip("abc", row)))
            for i, row in enumerate(answers)
        ]
        rf = [
            Response(respondent=f"r{i}", answers={"a": a, "b": b, "c": str(4 - int(c))})
            for i, (a, b, c) in enumerate(answers)
        ]

        one = assess_reliability(keyed, rs).dimension("d")
        two = assess_reliability(flipped, rf).dimension("d")

        assert one.alpha == pytest.approx(two.alpha)
        assert [i.r_drop for i in one.items] == pytest.approx([i.r_drop for i in two.items])
        assert [i.mean for i in one.items] == pytest.approx([i.mean for i in two.items])
        assert [i.reverse for i in one.items] == [False, False, True]

    def test_every_non_answer_is_missing(self) -> None:
        plan = compile(small(q("a"), q("b"), q("c")))
        responses = [
            Response(respondent="r1", answers={"a": "1", "b": "2", "c": DONT_KNOW}),
            Response(respondent="r2", answers={"a": "3", "b": NOT_APPLICABLE, "c": "1"}),
            Response(respondent="r3", answers={"a": "4", "b": "4", "c": "2"}),
            Response(respondent="r4", answers={"a": "0", "b": "1"}),  # c skipped
            Response(respondent="r5", answers={"a": "2", "b": "1", "c": "0"}),
        ]

        report = assess_reliability(plan, responses)

        assert [i.n for i in report.dimension("d").items] == [5, 4, 3]

    def test_item_without_variance_is_left_out_with_a_reason(self) -> None:
        plan = compile(small(q("a"), q("b"), q("c"), q("k")))
        rows = [("0", "1", "1"), ("2", "2", "3"), ("4", "3", "3"), ("3", "4", "2")]
        responses = [
            Response(respondent=f"r{i}", answers={"a": a, "b": b, "c": c, "k": "2"})
            for i, (a, b, c) in enumerate(rows)
        ]

        dim = assess_reliability(plan, responses).dimension("d")

        assert [i.question for i in dim.items] == ["a", "b", "c"]
        assert "no variance" in dim.excluded["k"]

    def test_too_few_items_gives_a_note_not_an_alpha(self) -> None:
        plan = compile(small(q("a"), q("b")))
        responses = [
            Response(respondent=f"r{i}", answers={"a": a, "b": "2"})
            for i, a in enumerate(["1", "2", "3"])
        ]

        dim = assess_reliability(plan, responses).dimension("d")

        assert dim.alpha is None
        assert dim.note is not None
        assert "at least two items" in dim.note

    def test_traced_results_are_accepted_and_untraced_refused(self) -> None:
        plan = compile(small(q("a"), q("b"), q("c")))
        responses = read_like([("1", "2", "2"), ("3", "3", "4"), ("0", "1", "0")])
        traced = [score(plan, r, trace=True) for r in responses]

        assert assess_reliability(plan, traced) == assess_reliability(plan, responses)
        with pytest.raises(ValueError, match="no trace"):
            item_table(plan, [score(plan, responses[0])])

    def test_selected_dimensions_only(self) -> None:
        plan = compile(load_questionnaire(FIXTURES / "questionnaire.yaml"))
        responses = read_responses(FIXTURES / "responses.csv")[:30]

        report = assess_reliability(plan, responses, dimensions=["pair"])

        assert [d.dimension for d in report.dimensions] == ["pair"]
        with pytest.raises(KeyError):
            report.dimension("engagement")


def read_like(rows: Sequence[tuple[str, ...]]) -> list[Response]:
    return [
        Response(respondent=f"r{i}", answers=dict(zip("abc", row))) for i, row in enumerate(rows)
    ]


# -- the command ---------------------------------------------------------------------------------


class TestCommand:
    def test_table_lists_alpha_per_dimension_and_the_flags(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        status = main(
            ["reliability", str(FIXTURES / "questionnaire.yaml"), str(FIXTURES / "responses.csv")]
        )

        out = capsys.readouterr().out
        assert status == 0
        assert "engagement  8      120          0.888" in out
        assert "reverse_keying: item 'a5' correlates -0.44 with the rest of 'access'" in out

    def test_json_holds_every_statistic(self, capsys: pytest.CaptureFixture[str]) -> None:
        status = main(
            [
                "reliability",
                str(FIXTURES / "questionnaire.yaml"),
                str(FIXTURES / "responses.csv"),
                "--format",
                "json",
            ]
        )

        data = json.loads(capsys.readouterr().out)
        reference = json.loads((FIXTURES / "psych.json").read_text(encoding="utf-8"))
        assert status == 0
        engagement = data["reliability"]["dimensions"][0]
        assert reference["dimensions"]["engagement"]["raw_alpha"] == pytest.approx(
            engagement["alpha"], abs=TOLERANCE
        )
        assert {"reverse_keying", "low_coverage"} <= {f["kind"] for f in data["quality"]["flags"]}

    def test_bad_answers_are_reported_with_file_and_line(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        bad = tmp_path / "bad.csv"
        bad.write_text("respondent,e1,e2\nx,7,1\n", encoding="utf-8")

        status = main(["reliability", str(FIXTURES / "questionnaire.yaml"), str(bad)])

        err = capsys.readouterr().err
        assert status == 1
        assert f"{bad}:2: e1: not an option of this question" in err

    def test_a_respondent_twice_is_refused(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        status = main(
            [
                "reliability",
                str(FIXTURES / "questionnaire.yaml"),
                str(FIXTURES / "responses.csv"),
                str(FIXTURES / "responses.csv"),
            ]
        )

        assert status == 1
        assert "respondent 'r000' appears twice" in capsys.readouterr().err

    def test_bundled_instrument_with_responses_after_it(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        responses = tmp_path / "r.yaml"
        responses.write_text(
            "- {respondent: a, answers: {}}\n- {respondent: b, answers: {}}\n", encoding="utf-8"
        )

        status = main(
            [
                "reliability",
                "--instrument",
                "weltoffene-kommune",
                "--version",
                "1.0",
                str(responses),
            ]
        )

        out = capsys.readouterr().out
        assert status == 0
        assert "reliability over 2 responses" in out


def test_alpha_is_nan_free_on_the_fixture() -> None:
    report = report_for(FIXTURES / "responses.csv")
    numbers = [d.alpha for d in report.dimensions] + [
        i.r_drop for d in report.dimensions for i in d.items
    ]

    assert all(x is not None and math.isfinite(x) for x in numbers)
