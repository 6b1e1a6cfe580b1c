"""Tests for weltoffen.analysis.sensitivity: Monte Carlo over choices and Sobol indices."""

from __future__ import annotations

import json
import math
import random
import statistics
from collections.abc import Sequence
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import RELIABILITY_FIXTURES as FIXTURES
from tests.helpers import read_responses
from weltoffen import (
    DONT_KNOW,
    Band,
    DefinitionError,
    Dimension,
    Option,
    Questionnaire,
    Response,
    Scale,
    ScaleQuestion,
    ScoringError,
    compile,
    load_questionnaire,
    score,
)
from weltoffen.analysis import Choices, WeightChoice, analyse_sensitivity, load_choices
from weltoffen.analysis.montecarlo import descending_ranks, quantile, saltelli_design, sobol_indices
from weltoffen.analysis.variants import build_variant, weight_groups, weight_sampler
from weltoffen.cli import main
from weltoffen.strategies import (
    Equal,
    Exclude,
    GeometricMean,
    Minimum,
    WeightedMean,
    Zero,
)

# -- the estimators on functions with known indices ----------------------------------------------


def run_design(
    function: object, samplers: Sequence[object], n: int, seed: int
) -> list[tuple[float | None, float | None]]:
    a, b, ab = saltelli_design(samplers, n, random.Random(seed))  # type: ignore[arg-type]
    f = function
    return sobol_indices(
        [f(*row) for row in a],  # type: ignore[operator]
        [f(*row) for row in b],  # type: ignore[operator]
        [[f(*row) for row in m] for m in ab],  # type: ignore[operator]
    )


def uniform(lo: float, hi: float) -> object:
    return lambda rng: rng.uniform(lo, hi)


class TestSobol:
    def test_linear_model_indices_are_the_squared_coefficient_shares(self) -> None:
        """Y = 1·X1 + 2·X2 + 3·X3, Xi ~ U(0, 1): S_i = ST_i = a_i² / Σ a² = 1/14, 4/14, 9/14."""
        indices = run_design(
            lambda x1, x2, x3: x1 + 2 * x2 + 3 * x3, [uniform(0, 1)] * 3, n=8000, seed=1
        )

        for (first, total), expected in zip(indices, [1 / 14, 4 / 14, 9 / 14]):
            assert expected == pytest.approx(first, abs=0.03)
            assert expected == pytest.approx(total, abs=0.03)

    def test_ishigami_function_matches_its_analytic_indices(self) -> None:
        """Ishigami (a = 7, b = 0.1): S = .314, .442, 0; ST = .558, .442, .244."""

        def ishigami(x1: float, x2: float, x3: float) -> float:
            return math.sin(x1) + 7 * math.sin(x2) ** 2 + 0.1 * x3**4 * math.sin(x1)

        indices = run_design(ishigami, [uniform(-math.pi, math.pi)] * 3, n=20000, seed=3)

        firsts = [s for s, _ in indices]
        totals = [t for _, t in indices]
        assert pytest.approx(firsts, abs=0.04) == [0.3139, 0.4424, 0.0]
        assert pytest.approx(totals, abs=0.04) == [0.5576, 0.4424, 0.2437]

    def test_a_factor_without_effect_has_zero_indices(self) -> None:
        indices = run_design(lambda x, _unused: x, [uniform(0, 1)] * 2, n=500, seed=5)

        assert pytest.approx(indices[1], abs=1e-12) == (0.0, 0.0)

    def test_constant_output_gives_no_indices(self) -> None:
        assert run_design(lambda _x: 4.0, [uniform(0, 1)], n=10, seed=1) == [(None, None)]

    def test_design_swaps_exactly_one_column(self) -> None:
        a, b, ab = saltelli_design([uniform(0, 1)] * 3, 4, random.Random(0))

        for i, matrix in enumerate(ab):
            for ra, rb, row in zip(a, b, matrix):
                assert [rb[j] if j == i else ra[j] for j in range(3)] == list(row)


class TestHelpers:
    @given(st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=40), st.floats(0, 1))
    def test_quantile_is_type_7_as_in_r_and_numpy(self, values: list[float], p: float) -> None:
        expected = statistics.quantiles(values, n=1000, method="inclusive")
        k = round(p * 1000)
        if 0 < k < 1000:
            assert expected[k - 1] == pytest.approx(quantile(values, k / 1000), rel=1e-9, abs=1e-6)

    def test_quantile_ends_are_min_and_max(self) -> None:
        assert (quantile([9.0, 1.0, 5.0], 0.0), quantile([9.0, 1.0, 5.0], 1.0)) == (1.0, 9.0)

    def test_ranks_highest_first_ties_averaged_missing_unranked(self) -> None:
        assert descending_ranks([50.0, 80.0, None, 80.0, 10.0]) == [3.0, 1.5, None, 1.5, 4.0]


# -- building variants ---------------------------------------------------------------------------

LEVELS = Scale(id="l", options=tuple(Option(value=str(p), points=p) for p in range(5)))
BANDS = (
    Band(id="low", min=0, max=50),
    Band(id="mid", min=50, max=75),
    Band(id="high", min=75, max=100),
)


def sq(qid: str, weight: float = 1.0) -> ScaleQuestion:
    return ScaleQuestion(id=qid, scale="l", weight=weight, dont_know=True)


def instrument(**root: object) -> Questionnaire:
    return Questionnaire(
        id="t",
        scales=(LEVELS,),
        bands=BANDS,
        dimensions=(
            Dimension(id="a", questions=(sq("a1"), sq("a2", 2.0), sq("a3"))),
            Dimension(
                id="b",
                weight=2.0,
                dimensions=(
                    Dimension(id="b1", questions=(sq("b11"), sq("b12"))),
                    Dimension(id="b2", questions=(sq("b21"),)),
                ),
            ),
        ),
        **root,  # type: ignore[arg-type]
    )


def people() -> list[Response]:
    return [
        Response(
            respondent="x",
            answers={"a1": "4", "a2": "2", "a3": DONT_KNOW, "b11": "1", "b12": "3", "b21": "4"},
        ),
        Response(
            respondent="y",
            answers={"a1": "1", "a2": "0", "a3": "2", "b11": "4", "b12": "4", "b21": "2"},
        ),
        Response(
            respondent="z",
            answers={"a1": "3", "a2": "3", "a3": "3", "b11": "2", "b12": DONT_KNOW, "b21": "0"},
        ),
    ]


def scores(q: Questionnaire) -> list[float | None]:
    plan = compile(q)
    return [score(plan, r).score for r in people()]


class TestVariants:
    @pytest.mark.parametrize("targets", ["dimensions", "questions", "all"])
    def test_unperturbed_weights_reproduce_the_nominal_scores(self, targets: str) -> None:
        q = instrument(weighting=Equal())
        plan = compile(q)
        groups = weight_groups(plan, targets)
        weights = tuple(g.base for g in groups)

        variant = build_variant(q, groups, weights, None, "all", None)

        assert scores(q) == pytest.approx(scores(variant))

    def test_drawn_weights_are_the_ones_compiled(self) -> None:
        q = instrument()
        plan = compile(q)
        groups = weight_groups(plan, "all")
        drawn = weight_sampler(WeightChoice(spread=0.5, targets="all"), groups)(random.Random(2))

        compiled = compile(build_variant(q, groups, drawn, None, "all", None))

        by_path = {n.path: (*n.question_weights, *n.child_weights) for n in compiled.nodes}
        for group, weights in zip(groups, drawn):
            assert weights == pytest.approx(by_path[group.path])

    def test_uniform_factors_stay_within_the_spread(self) -> None:
        plan = compile(instrument())
        groups = weight_groups(plan, "all")
        sampler = weight_sampler(WeightChoice(spread=0.2, targets="all"), groups)
        rng = random.Random(4)

        for _ in range(200):
            for group, weights in zip(groups, sampler(rng)):
                for base, w in zip(group.base, weights):
                    assert 0.8 * base <= w <= 1.2 * base

    def test_dirichlet_keeps_group_totals_and_centres_on_the_shares(self) -> None:
        plan = compile(instrument())
        groups = weight_groups(plan, "questions")
        sampler = weight_sampler(
            WeightChoice(method="dirichlet", concentration=40, targets="questions"), groups
        )
        rng = random.Random(9)
        draws = [sampler(rng) for _ in range(3000)]

        for g, group in enumerate(groups):
            for weights in draws[:50]:
                assert sum(group.base) == pytest.approx(sum(weights[g]))
            for j, base in enumerate(group.base):
                mean = statistics.fmean(d[g][j] for d in draws)
                assert base == pytest.approx(mean, rel=0.03)

    def test_targets_choose_which_weights_move(self) -> None:
        plan = compile(instrument())

        dims = {g.path for g in weight_groups(plan, "dimensions")}
        questions = {g.path for g in weight_groups(plan, "questions")}

        assert {"", "dimensions[1]"} == dims
        assert {
            "dimensions[0]",
            "dimensions[1].dimensions[0]",
            "dimensions[1].dimensions[1]",
        } == questions

    def test_aggregation_scope(self) -> None:
        q = instrument()

        everywhere = build_variant(q, [], None, Minimum(), "all", None)
        overall = build_variant(q, [], None, Minimum(), "overall", None)

        assert all(isinstance(d.aggregation, Minimum) for _, d in everywhere.iter_dimensions())
        assert isinstance(overall.aggregation, Minimum)
        assert not any(isinstance(d.aggregation, Minimum) for _, d in overall.iter_dimensions())

    def test_policy_replaces_own_overrides_and_keeps_inheritance(self) -> None:
        q = instrument()
        a = attrs.evolve(
            q.dimensions[0], scoring=attrs.evolve(q.dimensions[0].scoring, dont_know=Exclude())
        )
        q = attrs.evolve(q, dimensions=(a, q.dimensions[1]))

        variant = build_variant(q, [], None, None, "all", Zero())

        assert Zero() == variant.scoring.dont_know == variant.scoring.skipped
        assert Zero() == variant.dimensions[0].scoring.dont_know
        assert variant.dimensions[0].scoring.skipped is None
        assert variant.dimensions[1].scoring.dont_know is None


# -- the analysis --------------------------------------------------------------------------------


class TestAnalysis:
    def test_policy_alone_gives_a_two_point_distribution(self) -> None:
        """x's field 'a' is 4, 2 (weight 2) and don't know: exclude → (1 + 2·½)/3, zero → 2/4."""
        plan = compile(instrument())
        report = analyse_sensitivity(
            plan, people(), Choices(policies=(Exclude(), Zero())), draws=200, seed=1
        )

        a = report.respondent("x").dimensions["a"]

        assert pytest.approx(a.nominal) == 200 / 3
        assert pytest.approx((a.low, a.high)) == (50.0, 200 / 3)
        assert a.median is not None
        assert 50.0 <= a.median <= 200 / 3
        # y answered everything: the policy cannot move it.
        y = report.respondent("y").overall
        assert y.low == y.high == y.nominal
        (policy,) = report.respondent("x").indices
        assert policy.factor == "policy"
        assert pytest.approx(policy.total, abs=0.15) == 1.0
        assert pytest.approx(policy.first_order, abs=0.15) == 1.0

    def test_band_probabilities_count_the_draws(self) -> None:
        """x overall: exclude → (200/3 + 2·75)/3 ≈ 72.2 (high), zero → (50 + 150)/3 ≈ 66.7 (low)."""
        bands = (Band(id="low", min=0, max=70), Band(id="high", min=70, max=100))
        plan = compile(attrs.evolve(instrument(), bands=bands))
        choices = Choices(policies=(Exclude(), Zero()))

        report = analyse_sensitivity(plan, people(), choices, draws=50, seed=2)

        rng = random.Random(2)  # matrix A is drawn first: one policy index per row
        excluded = sum(1 for _ in range(50) if rng.randrange(2) == 0) / 50
        x = report.respondent("x").overall
        assert {"high": excluded, "low": 1 - excluded} == pytest.approx(x.bands)
        assert x.not_assessable == 0.0
        assert score(plan, people()[0]).band == "high"

    @pytest.mark.parametrize("indices", [True, False])
    def test_progress_counts_every_row_of_the_design(self, indices: bool) -> None:
        """Each row is told once, in order, against the same total: the evaluations the report
        counts (a row found again in the memo is done at once, and told all the same)."""
        plan = compile(instrument())
        choices = Choices(policies=(Exclude(), Zero()), weights=WeightChoice(targets="all"))
        told: list[tuple[int, int]] = []

        report = analyse_sensitivity(
            plan,
            people(),
            choices,
            draws=6,
            indices=indices,
            progress=lambda done, total: told.append((done, total)),
        )

        total = report.evaluations
        assert told == [(done, total) for done in range(1, total + 1)]
        assert len(report.factors) > 1  # so that the A_B^i matrices are evaluated too
        assert total == (6 * (2 + len(report.factors)) if indices else 6)

    def test_nothing_varies_when_the_spread_is_zero(self) -> None:
        plan = compile(instrument())
        report = analyse_sensitivity(
            plan, people(), Choices(weights=WeightChoice(spread=0.0, targets="all")), draws=10
        )

        for entry, nominal in zip(report.respondents, scores(instrument())):
            assert (nominal, nominal, nominal) == pytest.approx(
                (entry.overall.median, entry.overall.low, entry.overall.high)
            )
            assert (entry.indices[0].first_order, entry.indices[0].total) == (None, None)

    def test_same_seed_same_report_other_seed_other_report(self) -> None:
        plan = compile(instrument())
        choices = Choices(
            weights=WeightChoice(spread=0.3),
            aggregations=(WeightedMean(), GeometricMean()),
            policies=(Exclude(), Zero()),
        )

        one = analyse_sensitivity(plan, people(), choices, draws=40, seed=11)
        two = analyse_sensitivity(plan, people(), choices, draws=40, seed=11)
        three = analyse_sensitivity(plan, people(), choices, draws=40, seed=12)

        assert one == two
        assert one != three

    def test_report_states_what_was_varied(self) -> None:
        plan = compile(instrument())
        choices = Choices(
            weights=WeightChoice(method="dirichlet", concentration=20),
            aggregations=(WeightedMean(), GeometricMean()),
            aggregation_scope="overall",
            policies=(Exclude(), Zero()),
        )

        report = analyse_sensitivity(plan, people(), choices, draws=20, seed=5)

        assert (choices, 20, 5) == (report.choices, report.draws, report.seed)
        assert report.factors == ("weights", "aggregation", "policy")
        assert report.evaluations == 20 * (3 + 2)
        assert "Dirichlet(20" in report.varied[0]
        assert "4 dimension weights in 2 group(s)" in report.varied[0]
        assert (
            "aggregation of the overall score: one of weighted_mean, geometric_mean"
            in report.varied[1]
        )
        assert "one of exclude, zero" in report.varied[2]

    def test_without_indices_only_the_draws_are_evaluated(self) -> None:
        plan = compile(instrument())
        report = analyse_sensitivity(
            plan, people(), Choices(weights=WeightChoice()), draws=15, indices=False
        )

        assert report.evaluations == 15
        assert report.cohort_indices == ()
        assert all(r.indices == () for r in report.respondents)

    def test_ranks_follow_the_scores(self) -> None:
        plan = compile(instrument())
        report = analyse_sensitivity(
            plan, people(), Choices(weights=WeightChoice(spread=0.0)), draws=5
        )

        nominal = descending_ranks(scores(instrument()))

        assert nominal == [r.rank.nominal for r in report.respondents if r.rank is not None]
        assert nominal == [r.rank.median for r in report.respondents if r.rank is not None]

    def test_a_single_respondent_has_no_rank(self) -> None:
        plan = compile(instrument())
        report = analyse_sensitivity(plan, people()[:1], Choices(weights=WeightChoice()), draws=5)

        assert report.respondents[0].rank is None
        assert report.cohort_indices == ()

    def test_aggregation_drives_the_rank_shift_in_the_fixture(self) -> None:
        plan = compile(load_questionnaire(FIXTURES / "questionnaire.yaml"))
        responses = read_responses(FIXTURES / "responses.csv")[:40]
        choices = Choices(
            weights=WeightChoice(spread=0.1),
            aggregations=(WeightedMean(), Minimum()),
        )

        report = analyse_sensitivity(plan, responses, choices, draws=120, seed=3)

        weights, aggregation = report.cohort_indices
        assert aggregation.total is not None
        assert weights.total is not None
        assert aggregation.total > weights.total

    def test_invalid_choices_are_refused_all_at_once(self) -> None:
        plan = compile(instrument())
        bad = Choices(weights=WeightChoice(spread=1.5, concentration=0))

        with pytest.raises(DefinitionError) as caught:
            analyse_sensitivity(plan, people(), bad, draws=1)

        assert [p.path for p in caught.value.problems] == [
            "weights.spread",
            "weights.concentration",
            "draws",
        ]

    def test_a_failing_variant_names_its_choice(self) -> None:
        @attrs.frozen
        class Broken:
            def aggregate(self, values: Sequence[float], weights: Sequence[float]) -> float:
                raise RuntimeError("boom")

        plan = compile(instrument())

        with pytest.raises(ScoringError, match="aggregation Broken failed: boom"):
            analyse_sensitivity(plan, people(), Choices(aggregations=(Broken(),)), draws=3)


# -- choices files -------------------------------------------------------------------------------


class TestLoadChoices:
    def test_a_full_file(self) -> None:
        choices = load_choices(
            text=(
                "weights: {method: dirichlet, concentration: 30, targets: all}\n"
                "aggregations: [weighted_mean, {kind: power_mean, p: 2}]\n"
                "aggregation_scope: overall\n"
                "policies: [exclude, zero]\n"
            )
        )

        assert WeightChoice(method="dirichlet", concentration=30, targets="all") == choices.weights
        assert [type(a).__name__ for a in choices.aggregations] == ["WeightedMean", "PowerMean"]
        assert (Exclude(), Zero()) == choices.policies
        assert choices.aggregation_scope == "overall"

    def test_json_data_and_files(self, tmp_path: Path) -> None:
        path = tmp_path / "choices.json"
        path.write_text(json.dumps({"policies": ["exclude", "prorate"]}), encoding="utf-8")

        assert load_choices(path) == load_choices(data={"policies": ["exclude", "prorate"]})

    def test_unknown_key_and_kind_are_located(self, tmp_path: Path) -> None:
        path = tmp_path / "c.yaml"
        path.write_text("weights: {spred: 0.2}\naggregations: [weighted_maen]\n", encoding="utf-8")

        with pytest.raises(DefinitionError) as caught:
            load_choices(path)

        text = str(caught.value)
        assert "weights.spred: unknown key 'spred'" in text
        assert "unknown aggregation kind 'weighted_maen'" in text
        assert f"{path}:1" in text

    def test_an_empty_declaration_is_refused(self) -> None:
        with pytest.raises(DefinitionError, match="nothing to vary"):
            load_choices(text="{}")

    def test_yaml_tags_cannot_run_code(self) -> None:
        with pytest.raises(DefinitionError):
            load_choices(text="policies: !!python/object/apply:os.system ['true']\n")


# -- the command ---------------------------------------------------------------------------------


class TestCommand:
    def test_table_states_draws_seed_and_what_varied(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        responses = tmp_path / "r.csv"
        lines = (FIXTURES / "responses.csv").read_text(encoding="utf-8").splitlines()[:13]
        responses.write_text("\n".join(lines) + "\n", encoding="utf-8")

        status = main(
            [
                "sensitivity",
                str(FIXTURES / "questionnaire.yaml"),
                str(responses),
                "--draws",
                "30",
                "--seed",
                "4",
            ]
        )

        out = capsys.readouterr().out
        assert status == 0
        assert "sensitivity over 30 draws (seed 4, 150 evaluations)" in out
        assert "  - weights: 5 dimension weights" in out
        assert "r011" in out
        assert "mean absolute rank shift" in out

    def test_json_with_a_choices_file(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        choices = tmp_path / "choices.yaml"
        choices.write_text("aggregations: [weighted_mean, minimum]\n", encoding="utf-8")
        responses = tmp_path / "r.yaml"
        responses.write_text(
            "- {respondent: a, answers: {e1: '1', e2: '4', a1: '2'}}\n"
            "- {respondent: b, answers: {e1: '3', e2: '3', p1: '0'}}\n",
            encoding="utf-8",
        )

        status = main(
            [
                "sensitivity",
                str(FIXTURES / "questionnaire.yaml"),
                str(responses),
                "--choices",
                str(choices),
                "--draws",
                "20",
                "--format",
                "json",
            ]
        )

        data = json.loads(capsys.readouterr().out)
        assert status == 0
        assert data["choices"] == {"aggregations": ["weighted_mean", "minimum"]}
        assert (data["draws"], data["seed"]) == (20, 0)
        assert [r["respondent"] for r in data["respondents"]] == ["a", "b"]
        assert "engagement" in data["respondents"][0]["dimensions"]

    def test_a_bad_choices_file_is_one_line_per_problem(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        choices = tmp_path / "choices.yaml"
        choices.write_text("weights: {spread: 2}\n", encoding="utf-8")

        status = main(
            [
                "sensitivity",
                str(FIXTURES / "questionnaire.yaml"),
                str(FIXTURES / "responses.csv"),
                "--choices",
                str(choices),
            ]
        )

        assert status == 1
        assert (
            f"error: {choices}:1: weights.spread: spread must lie in 0..1"
            in capsys.readouterr().err
        )
