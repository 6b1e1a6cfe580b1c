"""Normalisation against a cohort: each method by hand, None handling, suppression, the command."""

from __future__ import annotations

import json
import math
import statistics
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import check_result, hand_made_result
from weltoffen import ScoringError, UnknownKindError
from weltoffen.analysis.cohort import compare
from weltoffen.analysis.normalise import (
    NORMALISATIONS,
    DistanceToTarget,
    Goalposts,
    MinMax,
    NormalisedCohort,
    Rank,
    ZScore,
    normalise_cohort,
    normalised_view,
    parse_normalisation,
)
from weltoffen.cli import main
from weltoffen.scoring.results import Result

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
BASIC = [str(EXAMPLES / "basic" / "questionnaire.yaml"), str(EXAMPLES / "basic" / "responses.yaml")]

scores_0_100 = st.lists(st.floats(0, 100), min_size=1, max_size=30)


def _other_instrument(result: Result) -> Result:
    return attrs.evolve(result, instrument="other")


def _spread(values: list[float]) -> bool:
    return len({round(v, 9) for v in values}) > 1


class TestMinMax:
    def test_lowest_to_0_highest_to_100_the_rest_in_proportion(self):
        # the same figures as R: (x - min(x)) / (max(x) - min(x)) * 100
        assert pytest.approx(MinMax().normalise([10.0, 20.0, 30.0, 70.0])) == [
            0.0,
            100 / 6,
            100 / 3,
            100.0,
        ]

    def test_a_dimension_without_spread_has_no_values(self):
        """0 / 0: no member can be placed; no 50 is made up."""
        assert MinMax().normalise([40.0, 40.0, 40.0]) is None
        assert MinMax().normalise([40.0]) is None

    def test_scores_equal_up_to_summation_order_count_as_no_spread(self):
        assert MinMax().normalise([2 / 3 * 100, 66.66666666666666]) is None

    @given(scores_0_100)
    def test_lands_in_0_100_with_the_min_at_0_and_the_max_at_100(self, scores):
        values = MinMax().normalise(scores)
        if not _spread(scores):
            assert values is None
            return
        assert values is not None
        assert all(0.0 <= v <= 100.0 for v in values)
        assert values[scores.index(min(scores))] == 0.0
        assert values[scores.index(max(scores))] == 100.0


class TestZScore:
    def test_sample_standard_deviation(self):
        """sd of 20, 40, 60 is 20 with divisor n - 1 (it would be 16.3 with divisor n)."""
        assert pytest.approx(ZScore().normalise([20.0, 40.0, 60.0])) == [-1.0, 0.0, 1.0]

    def test_agrees_with_r_scale(self):
        # R: scale(c(10, 20, 30, 70))[, 1]
        expected = [
            -0.8555277382080452,
            -0.4752931878933584,
            -0.0950586375786717,
            1.4258795636800754,
        ]
        assert expected == pytest.approx(ZScore().normalise([10.0, 20.0, 30.0, 70.0]), abs=1e-12)

    def test_rescaled_to_another_mean_and_sd(self):
        """ZScore(50, 10): T-scores; 0, 50, 50, 100 has sd sqrt(5000 / 3), z = ±sqrt(1.5)."""
        z = math.sqrt(1.5)
        assert [50 - 10 * z, 50.0, 50.0, 50 + 10 * z] == pytest.approx(
            ZScore(mean=50, sd=10).normalise([0.0, 50.0, 50.0, 100.0])
        )

    def test_undefined_without_spread_or_for_one_member(self):
        assert ZScore().normalise([30.0, 30.0]) is None
        assert ZScore().normalise([30.0]) is None

    @pytest.mark.parametrize(
        ("kwargs", "path"),
        [({"sd": 0}, "zscore.sd"), ({"sd": -1}, "zscore.sd"), ({"mean": math.nan}, "zscore.mean")],
    )
    def test_refuses_parameters(self, kwargs, path):
        with pytest.raises(ScoringError) as caught:
            ZScore(**kwargs)
        assert [path] == [p.path for p in caught.value.problems]

    @given(scores_0_100)
    def test_mean_0_and_sd_1(self, scores):
        values = ZScore().normalise(scores)
        if not _spread(scores):
            assert values is None
            return
        assert values is not None
        assert statistics.fmean(values) == pytest.approx(0.0, abs=1e-9)
        assert statistics.stdev(values) == pytest.approx(1.0, rel=1e-9)


class TestGoalposts:
    def test_fraction_of_the_way_between_the_posts_clamped(self):
        scores = [10.0, 25.0, 50.0, 60.0, 75.0, 90.0]
        assert pytest.approx(Goalposts(25, 75).normalise(scores)) == [
            0.0,
            0.0,
            50.0,
            70.0,
            100.0,
            100.0,
        ]

    def test_does_not_depend_on_the_cohort(self):
        alone = Goalposts(0, 50).normalise([20.0])
        among_others = Goalposts(0, 50).normalise([20.0, 90.0, 0.0])
        assert alone is not None
        assert among_others is not None
        assert alone[0] == among_others[0] == 40.0

    def test_constant_scores_still_have_values(self):
        assert pytest.approx(Goalposts(20, 70).normalise([50.0, 50.0])) == [60.0, 60.0]

    @pytest.mark.parametrize(("low", "high"), [(80, 20), (50, 50), (-10, 50), (0, 120)])
    def test_refuses_posts_off_the_scale_or_in_the_wrong_order(self, low, high):
        with pytest.raises(ScoringError, match=r"0 <= low < high <= 100"):
            Goalposts(low, high)

    def test_reports_both_bad_posts_at_once(self):
        with pytest.raises(ScoringError) as caught:
            Goalposts(math.inf, math.nan)
        assert [p.path for p in caught.value.problems] == ["goalposts.low", "goalposts.high"]

    @given(scores_0_100, st.integers(0, 99), st.integers(1, 100))
    def test_within_0_100_and_monotone(self, scores, low, width):
        posts = Goalposts(low, min(100, low + width))
        values = posts.normalise(sorted(scores))
        assert values is not None
        assert all(0.0 <= v <= 100.0 for v in values)
        assert list(values) == sorted(values)


class TestDistanceToTarget:
    def test_share_of_the_target_reached_capped(self):
        assert pytest.approx(DistanceToTarget(80).normalise([0.0, 40.0, 60.0, 80.0, 100.0])) == [
            0.0,
            50.0,
            75.0,
            100.0,
            100.0,
        ]

    def test_without_cap_beyond_the_target_exceeds_100(self):
        assert pytest.approx(DistanceToTarget(80, cap=False).normalise([40.0, 100.0])) == [
            50.0,
            125.0,
        ]

    @pytest.mark.parametrize("target", [0, -5, 100.5, math.inf])
    def test_refuses_targets_off_the_scale(self, target):
        with pytest.raises(ScoringError):
            DistanceToTarget(target)


class TestRank:
    def test_mid_rank_percentiles_ties_share_one(self):
        assert Rank().normalise([10.0, 20.0, 20.0, 40.0]) == [12.5, 50.0, 50.0, 87.5]

    def test_a_single_member_and_a_tie_of_all_sit_at_50(self):
        assert Rank().normalise([70.0]) == [50.0]
        assert Rank().normalise([70.0, 70.0]) == [50.0, 50.0]

    def test_the_same_percentile_as_the_cohort_comparison(self):
        results = [hand_made_result(w, s) for w, s in zip("pqrst", (40.0, 60.0, 60.0, 20.0, 90.0))]
        cohort = compare(results, min_group=1)
        normalised = normalise_cohort(results, Rank(), min_group=1)
        expected = [p.percentile for p in cohort.summary("t").positions]
        assert expected == list(normalised.dimension("t").values)

    @given(scores_0_100)
    def test_values_average_50(self, scores):
        values = Rank().normalise(scores)
        assert values is not None
        assert math.fsum(values) / len(values) == pytest.approx(50.0)


class TestParse:
    @pytest.mark.parametrize(
        ("spec", "expected"),
        [
            ("minmax", MinMax()),
            ("zscore", ZScore()),
            ("zscore:50:10", ZScore(50.0, 10.0)),
            ("goalposts:20:80", Goalposts(20.0, 80.0)),
            ("target:75", DistanceToTarget(75.0)),
            ("rank", Rank()),
            (" MinMax ", MinMax()),
        ],
    )
    def test_short_forms(self, spec, expected):
        assert expected == parse_normalisation(spec)

    def test_every_name_in_the_table_parses(self):
        examples = {"goalposts": "goalposts:0:100", "target": "target:100"}
        for name, cls in NORMALISATIONS.items():
            assert isinstance(parse_normalisation(examples.get(name, name)), cls)

    def test_unknown_name_lists_the_known_ones(self):
        with pytest.raises(UnknownKindError) as caught:
            parse_normalisation("maxmin")
        assert isinstance(caught.value, LookupError)
        assert caught.value.known == ("goalposts", "minmax", "rank", "target", "zscore")
        assert "known kinds: goalposts, minmax, rank, target, zscore" in str(caught.value)

    @pytest.mark.parametrize(
        ("spec", "message"),
        [
            ("goalposts:20", "wrong number of parameters"),
            ("zscore:1", "wrong number of parameters"),
            ("minmax:5", "wrong number of parameters"),
            ("target:high", "parameters must be numbers"),
            ("target:nan", "parameters must be numbers"),
            ("goalposts:80:20", "low below high"),
        ],
    )
    def test_bad_parameters_name_where_they_came_from(self, spec, message):
        with pytest.raises(ScoringError) as caught:
            parse_normalisation(spec, where="--normalise")
        (problem,) = caught.value.problems
        assert problem.path == "--normalise"
        assert message in problem.message


class TestNormaliseCohort:
    @pytest.fixture
    def results(self):
        return [
            hand_made_result("p", 40.0, a=10.0, b=None, c=50.0),
            hand_made_result("q", 60.0, a=20.0, b=80.0, c=50.0),
            hand_made_result("r", 80.0, a=30.0, b=60.0, c=50.0),
            hand_made_result("s", None, a=40.0, b=40.0, c=None),
        ]

    def test_values_per_member_and_dimension_overall_first(self, results):
        normalised = normalise_cohort(results, MinMax(), min_group=1)
        assert [d.dimension for d in normalised.dimensions] == ["t", "a", "b", "c"]
        assert [d.depth for d in normalised.dimensions] == [0, 1, 1, 1]
        assert normalised.respondents == ("p", "q", "r", "s")
        assert list(normalised.dimension("t").values) == [0.0, 50.0, 100.0, None]
        assert pytest.approx(normalised.dimension("a").values) == [0.0, 100 / 3, 200 / 3, 100.0]
        assert normalised.value("q", "b") == 100.0

    def test_a_member_without_a_score_gets_no_value_and_stays_out_of_the_statistics(self, results):
        b = normalise_cohort(results, ZScore(), min_group=1).dimension("b")
        assert (b.n, b.missing) == (3, 1)
        assert (b.min, b.max, b.mean, b.sd) == (40.0, 80.0, 60.0, 20.0)
        assert b.scores == (None, 80.0, 60.0, 40.0)
        assert pytest.approx(b.values) == [None, 1.0, 0.0, -1.0]

    def test_a_constant_dimension_says_why_it_has_no_values(self, results):
        c = normalise_cohort(results, MinMax(), min_group=1).dimension("c")
        assert (c.n, c.min, c.max, c.sd) == (3, 50.0, 50.0, 0.0)
        assert c.values == (None, None, None, None)
        assert c.note == "no values: every member with a score has the same score"

    def test_fixed_methods_place_a_constant_dimension(self, results):
        c = normalise_cohort(results, Goalposts(0, 80), min_group=1).dimension("c")
        assert c.values == (62.5, 62.5, 62.5, None)
        assert c.note is None

    def test_never_a_value_where_there_is_no_score(self, results):
        for method in (MinMax(), ZScore(), Goalposts(10, 90), DistanceToTarget(50), Rank()):
            normalised = normalise_cohort(results, method, min_group=1)
            for d in normalised.dimensions:
                for score, value in zip(d.scores, d.values):
                    assert score is not None or value is None

    def test_suppressed_below_min_group(self, results):
        normalised = normalise_cohort(results, Rank(), min_group=4)
        a, b = normalised.dimension("a"), normalised.dimension("b")
        assert (a.suppressed, a.n) == (False, 4)
        assert (b.suppressed, b.note, b.n, b.mean, b.values) == (
            True,
            "suppressed: n < 4",
            None,
            None,
            (),
        )
        assert normalised.value("q", "b") is None

    def test_default_min_group_is_the_cohort_comparison_s(self, results):
        assert all(d.suppressed for d in normalise_cohort(results, Rank()).dimensions)

    def test_chosen_dimensions_in_cohort_order(self, results):
        normalised = normalise_cohort(results, Rank(), dimensions=["b", "t"], min_group=1)
        assert [d.dimension for d in normalised.dimensions] == ["t", "b"]

    def test_unknown_dimension_is_an_error(self, results):
        with pytest.raises(ScoringError, match=r"no such dimension.*got zz"):
            normalise_cohort(results, Rank(), dimensions=["zz"], min_group=1)

    @pytest.mark.parametrize(
        ("results", "message"),
        [
            ([], "at least one result"),
            ([hand_made_result("p", 1.0), hand_made_result("p", 2.0)], "appears twice"),
            (
                [hand_made_result("p", 1.0), _other_instrument(hand_made_result("q", 2.0))],
                "another instrument",
            ),
        ],
    )
    def test_bad_cohorts(self, results, message):
        with pytest.raises(ScoringError, match=message):
            normalise_cohort(results, Rank(), min_group=1)

    def test_min_group_below_1(self, results):
        with pytest.raises(ScoringError, match="min_group"):
            normalise_cohort(results, Rank(), min_group=0)

    def test_lookups_of_unknown_ids(self, results):
        normalised = normalise_cohort(results, Rank(), min_group=1)
        with pytest.raises(KeyError):
            normalised.value("nobody", "a")
        with pytest.raises(KeyError):
            normalised.dimension("zz")

    def test_states_the_method(self, results):
        normalised = normalise_cohort(results, Goalposts(20, 80), min_group=1)
        assert isinstance(normalised, NormalisedCohort)
        assert normalised.method == Goalposts(20, 80)
        assert normalised.description == (
            "fixed goalposts 20 and 80: 100 * (score - 20) / (80 - 20), clamped to 0..100"
        )


class TestNoneHandling:
    @given(st.lists(st.one_of(st.none(), st.floats(0, 100)), min_size=1, max_size=15))
    def test_a_value_exactly_where_there_is_a_score_computed_over_those_scores(self, scores):
        results = [hand_made_result(f"m{i}", s) for i, s in enumerate(scores)]
        present = [s for s in scores if s is not None]
        overall = normalise_cohort(results, MinMax(), min_group=1).dimension("t")
        if not present:
            assert overall.suppressed
            return
        expected = MinMax().normalise(present)
        assert overall.n == len(present)
        assert overall.missing == len(scores) - len(present)
        if expected is None:
            assert all(v is None for v in overall.values)
            return
        assert [v for v in overall.values if v is not None] == list(expected)
        assert [v is None for v in overall.values] == [s is None for s in scores]


class TestMethodOfOnesOwn:
    def test_wrong_number_of_values_is_an_error(self):
        class Drops:
            description = "drops the last score"

            def normalise(self, scores):
                return list(scores)[:-1]

        results = [hand_made_result("p", 10.0), hand_made_result("q", 20.0)]
        with pytest.raises(ScoringError, match="wrong number of values"):
            normalise_cohort(results, Drops(), min_group=1)


class TestView:
    def test_plain_data_with_method_statistics_and_members(self):
        results = [hand_made_result("p", 20.0, a=None), hand_made_result("q", 60.0, a=30.0)]
        view = normalised_view(normalise_cohort(results, ZScore(50, 10), min_group=2))
        assert view == json.loads(json.dumps(view))
        assert view["method"]["name"] == "zscore"
        assert view["method"]["parameters"] == {"mean": 50, "sd": 10}
        assert view["method"]["description"].startswith("z-score against the cohort")
        assert (view["min_group"], view["respondents"]) == (2, ["p", "q"])
        overall, a = view["dimensions"]
        assert overall["members"] == [
            {"respondent": "p", "score": 20.0, "value": pytest.approx(50 - 10 / math.sqrt(2))},
            {"respondent": "q", "score": 60.0, "value": pytest.approx(50 + 10 / math.sqrt(2))},
        ]
        assert overall["sd"] == pytest.approx(math.sqrt(800))
        assert a == {"id": "a", "depth": 1, "suppressed": True, "note": "suppressed: n < 2"}

    def test_a_method_of_one_s_own(self):
        class Halve:
            description = "half the score"

            def normalise(self, scores):
                return [s / 2 for s in scores]

        view = normalised_view(
            normalise_cohort([hand_made_result("p", 40.0)], Halve(), min_group=1)
        )
        assert view["method"] == {"name": None, "parameters": {}, "description": "half the score"}
        assert view["dimensions"][0]["members"][0]["value"] == 20.0


class TestCohortCommand:
    def test_table_adds_statistics_and_members(self, capsys):
        assert main(["cohort", *BASIC, "--min-group", "2", "--normalise", "zscore"]) == 0
        out = capsys.readouterr().out
        section = out[out.index("Normalised: z-score") :]
        assert (
            "Dimension                         n  missing     Min     Max    Mean      SD"
            in section
        )
        assert "   1 = Workload and pace" in section
        ada = next(line for line in section.splitlines() if line.startswith("  ada"))
        assert ada.split()[1] == "1.12"  # (91.67 - 57.53) / 30.6

    def test_json_adds_the_normalised_object(self, capsys):
        argv = ["cohort", *BASIC, "--min-group", "3", "--normalise", "goalposts:20:80"]
        assert main([*argv, "--format", "json"]) == 0
        view = json.loads(capsys.readouterr().out)
        check_result(view, "cohort")
        normalised = view["normalised"]
        assert normalised["method"]["name"] == "goalposts"
        assert normalised["min_group"] == 3
        assert [d["id"] for d in normalised["dimensions"]] == [d["id"] for d in view["dimensions"]]
        overall = normalised["dimensions"][0]
        for member in overall["members"]:
            expected = min(100.0, max(0.0, (member["score"] - 20) * 100 / 60))
            assert member["value"] == pytest.approx(expected)

    def test_json_without_the_option_is_unchanged(self, capsys):
        assert main(["cohort", *BASIC, "--format", "json"]) == 0
        assert "normalised" not in json.loads(capsys.readouterr().out)

    @pytest.mark.parametrize(
        ("extra", "message"),
        [
            (["--normalise", "maxmin"], "unknown normalisation kind 'maxmin'; known kinds:"),
            (["--normalise", "target:0"], "--normalise: the target must lie"),
            (["--normalise", "rank", "--format", "markdown"], "works with --format table or json"),
        ],
    )
    def test_bad_option_is_one_line_and_status_1(self, capsys, extra, message):
        assert main(["cohort", *BASIC, *extra]) == 1
        err = capsys.readouterr().err
        assert message in err
        assert "Traceback" not in err
