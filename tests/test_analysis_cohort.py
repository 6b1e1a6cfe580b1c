"""Cohort comparison: distributions, ranks, percentiles, peer groups, suppression, item figures."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import hand_made_result
from weltoffen import (
    DONT_KNOW,
    NOT_APPLICABLE,
    Dimension,
    Equals,
    Questionnaire,
    Response,
    ScoringError,
    YesNo,
    compile,
    score,
)
from weltoffen.analysis.cohort import (
    QUANTILE_METHOD,
    cohort_view,
    compare,
    percentile_ranks,
    quartiles,
    ranks,
)
from weltoffen.scoring.results import DimensionResult, Result


def _type7(values: list[float], p: float) -> float:
    """R's quantile type 7, written out independently of the module."""
    x = sorted(values)
    h = (len(x) - 1) * p
    lo = math.floor(h)
    hi = min(lo + 1, len(x) - 1)
    return x[lo] + (h - lo) * (x[hi] - x[lo])


class TestQuartiles:
    @pytest.mark.parametrize(
        ("values", "expected"),
        [
            # the same figures as R: quantile(c(...), c(.25, .5, .75))
            ([1, 2, 3, 4], (1.75, 2.5, 3.25)),
            ([10, 20, 30, 40, 50], (20.0, 30.0, 40.0)),
            ([7, 1, 3], (2.0, 3.0, 5.0)),
            ([0, 100], (25.0, 50.0, 75.0)),
            ([42], (42, 42, 42)),
            ([3, 3, 3, 9], (3.0, 3.0, 4.5)),
        ],
    )
    def test_hand_values(self, values, expected):
        assert expected == pytest.approx(quartiles(values))

    @given(st.lists(st.floats(0, 100), min_size=1, max_size=30))
    def test_matches_type_7_and_is_ordered(self, values):
        q1, median, q3 = quartiles(values)
        assert (q1, median, q3) == pytest.approx(
            (_type7(values, 0.25), _type7(values, 0.5), _type7(values, 0.75)), abs=1e-9
        )
        assert min(values) - 1e-9 <= q1 <= median + 1e-9 <= q3 + 2e-9 <= max(values) + 3e-9

    def test_empty_is_an_error(self):
        with pytest.raises(ValueError):
            quartiles([])

    def test_method_is_stated(self):
        assert "type 7" in QUANTILE_METHOD


class TestRanks:
    def test_ties_share_the_best_rank_and_one_percentile(self):
        values = [50.0, 70.0, 70.0, 90.0]
        assert ranks(values) == [4, 2, 2, 1]
        assert percentile_ranks(values) == [12.5, 50.0, 50.0, 87.5]

    def test_single_member_sits_at_50(self):
        assert ranks([33.0]) == [1]
        assert percentile_ranks([33.0]) == [50.0]

    def test_nearly_equal_scores_tie(self):
        """The same answers summed in another order differ in the last bits; they still tie."""
        assert ranks([2 / 3 * 100, 66.66666666666666]) == [1, 1]

    @given(st.lists(st.integers(0, 10).map(float), min_size=1, max_size=20))
    def test_invariants(self, values):
        pct = percentile_ranks(values)
        rk = ranks(values)
        assert all(0 < p <= 100 for p in pct)
        assert math.fsum(pct) == pytest.approx(50.0 * len(values))  # mid-ranks average to 50
        for i, a in enumerate(values):
            for j, b in enumerate(values):
                assert (a > b) == (rk[i] < rk[j]) == (pct[i] > pct[j])


class TestCompare:
    @pytest.fixture
    def cohort(self):
        results = [
            hand_made_result("p", 40.0, a=10.0, b=None),
            hand_made_result("q", 60.0, a=20.0, b=80.0),
            hand_made_result("r", 60.0, a=30.0, b=60.0),
            hand_made_result("s", 20.0, a=40.0, b=40.0),
            hand_made_result("t", None, a=50.0, b=20.0),
        ]
        return compare(results, min_group=2)

    def test_summary_of_a_dimension(self, cohort):
        a = cohort.summary("a")
        assert (a.n, a.missing) == (5, 0)
        assert (a.min, a.q1, a.median, a.q3, a.max, a.mean) == (10.0, 20.0, 30.0, 40.0, 50.0, 30.0)
        assert a.depth == 1

    def test_overall_comes_first_under_the_instrument_id(self, cohort):
        overall = cohort.summaries[0]
        assert (overall.dimension, overall.depth) == ("t", 0)
        assert (overall.n, overall.missing) == (4, 1)
        # 20, 40, 60, 60: type 7 quartiles 35, 50, 60
        assert (overall.q1, overall.median, overall.q3) == (35.0, 50.0, 60.0)

    def test_positions_with_ties_and_missing(self, cohort):
        pos = {p.respondent: p for p in cohort.summaries[0].positions}
        assert [(pos[m].rank, pos[m].percentile) for m in "pqrst"] == [
            (3, 37.5),
            (1, 75.0),
            (1, 75.0),
            (4, 12.5),
            (None, None),
        ]
        assert pos["t"].score is None

    def test_dimension_missing_for_one_member(self, cohort):
        b = cohort.summary("b")
        assert (b.n, b.missing, b.median) == (4, 1, 50.0)
        assert [p.rank for p in b.positions] == [None, 1, 2, 3, 4]

    def test_sub_dimensions_follow_their_parent(self):
        child = DimensionResult(id="c", score=1.0, points=0, max_points=1, coverage=1)
        parent = DimensionResult(
            id="a", score=1.0, points=0, max_points=1, coverage=1, dimensions=(child,)
        )
        r = Result(
            respondent="x",
            instrument="t",
            version="1",
            score=1.0,
            points=0,
            max_points=1,
            coverage=1,
            dimensions=(parent,),
        )
        cohort = compare([r], min_group=1)
        assert [(s.dimension, s.depth) for s in cohort.summaries] == [("t", 0), ("a", 1), ("c", 2)]

    def test_bad_input(self):
        with pytest.raises(ScoringError):
            compare([])
        with pytest.raises(ScoringError, match="twice"):
            compare([hand_made_result("x", 1.0), hand_made_result("x", 2.0)], min_group=1)
        other = hand_made_result("y", 1.0)
        import attrs

        with pytest.raises(ScoringError, match="another instrument"):
            compare([hand_made_result("x", 1.0), attrs.evolve(other, instrument="u")], min_group=1)
        with pytest.raises(ScoringError, match="at least 1"):
            compare([hand_made_result("x", 1.0)], min_group=0)


class TestSuppression:
    def _cohort(self, min_group=5):
        results = []
        for i in range(9):
            r = hand_made_result(f"m{i}", 10.0 * i, a=10.0 * i)
            import attrs

            kind = "stadt" if i < 5 else "kreis"
            results.append(
                attrs.evolve(r, metadata={"type": kind, "size": "gross" if i % 2 else "klein"})
            )
        return compare(results, group_by=["type", ("type", "size")], min_group=min_group)

    def test_small_groups_are_suppressed_without_values(self):
        cohort = self._cohort()
        groups = {g.label: g for g in cohort.groups}
        stadt = groups["type=stadt"]
        assert (stadt.n, stadt.suppressed) == (5, False)
        assert stadt.summaries[0].median == 20.0
        kreis = groups["type=kreis"]
        assert kreis.suppressed
        assert kreis.note == "suppressed: n < 5"
        assert (kreis.n, kreis.members, kreis.summaries) == (None, (), ())

    def test_combined_keys_and_sorted_values(self):
        cohort = self._cohort(min_group=2)
        labels = [g.label for g in cohort.groups]
        assert labels == [
            "type=kreis",
            "type=stadt",
            "type=kreis, size=gross",
            "type=kreis, size=klein",
            "type=stadt, size=gross",
            "type=stadt, size=klein",
        ]

    def test_suppressed_values_never_reach_the_json(self):
        view = cohort_view(self._cohort())
        kreis = next(g for g in view["groups"] if g["label"] == "type=kreis")
        assert kreis == {
            "keys": ["type"],
            "values": ["kreis"],
            "label": "type=kreis",
            "suppressed": True,
            "note": "suppressed: n < 5",
        }
        json.dumps(view)

    def test_whole_cohort_below_minimum(self):
        cohort = compare([hand_made_result("x", 50.0, a=50.0)], min_group=5)
        assert all(s.suppressed for s in cohort.summaries)
        assert all(s.median is None and s.positions == () for s in cohort.summaries)

    def test_dimension_with_too_few_scores_in_a_group(self):
        results = [hand_made_result(f"m{i}", 50.0, a=50.0 if i < 2 else None) for i in range(5)]
        cohort = compare(results, min_group=3)
        assert not cohort.summaries[0].suppressed
        assert cohort.summary("a").suppressed

    def test_missing_metadata_forms_its_own_group(self):
        import attrs

        results = [
            attrs.evolve(hand_made_result(f"m{i}", 1.0), metadata={"type": "x"} if i else {})
            for i in range(3)
        ]
        cohort = compare(results, group_by=["type"], min_group=1)
        assert [(g.values, g.n) for g in cohort.groups] == [(("x",), 2), ((None,), 1)]


def _small() -> Questionnaire:
    return Questionnaire(
        id="small",
        dimensions=(
            Dimension(
                id="d",
                questions=(
                    YesNo(id="q1", dont_know=True),
                    YesNo(id="q2", dont_know=True, not_applicable=True, when=Equals("q1", True)),
                    YesNo(id="q3"),
                ),
            ),
        ),
    )


class TestItems:
    @pytest.fixture
    def cohort(self):
        plan = compile(_small())
        answers = [
            {"q1": True, "q2": True, "q3": True},
            {"q1": True, "q2": DONT_KNOW, "q3": False},
            {"q1": True, "q2": NOT_APPLICABLE},
            {"q1": False, "q3": True},
            {"q1": DONT_KNOW, "q3": True},
            {"q1": DONT_KNOW},
        ]
        results = [
            score(plan, Response(respondent=f"r{i}", answers=a), trace=True)
            for i, a in enumerate(answers)
        ]
        return compare(results, min_group=3)

    def test_dont_know_rate_counts_only_members_who_saw_the_question(self, cohort):
        items = {i.question: i for i in cohort.items}
        q1, q2, q3 = items["q1"], items["q2"], items["q3"]
        assert (q1.shown, q1.answered, q1.dont_know, q1.dont_know_rate) == (6, 4, 2, 2 / 6)
        assert (q1.mean_score) == 75.0
        assert (q2.shown, q2.answered, q2.dont_know, q2.not_applicable, q2.skipped) == (
            3,
            1,
            1,
            1,
            0,
        )
        assert q2.dont_know_rate == pytest.approx(1 / 3)
        assert (q3.shown, q3.skipped, q3.dont_know_rate, q3.mean_score) == (6, 2, 0.0, 75.0)

    def test_item_shown_to_too_few_is_suppressed(self):
        plan = compile(_small())
        results = [
            score(
                plan,
                Response(
                    respondent=f"r{i}", answers={"q1": i == 0, "q2": DONT_KNOW if i == 0 else True}
                ),
                trace=True,
            )
            for i in range(4)
        ]
        items = {i.question: i for i in compare(results, min_group=3).items}
        assert items["q2"].suppressed
        assert (items["q2"].shown, items["q2"].dont_know_rate) == (None, None)
        assert not items["q1"].suppressed

    def test_matrix_holds_answered_scores_only(self, cohort):
        m = cohort.matrix
        assert m.items == ("q1", "q2", "q3")
        assert m.dimensions == ("d", "d", "d")
        assert m.respondents == tuple(f"r{i}" for i in range(6))
        assert m.values == (
            (100.0, 100.0, 100.0),
            (100.0, None, 0.0),
            (100.0, None, None),
            (0.0, None, 100.0),
            (None, None, 100.0),
            (None, None, None),
        )

    def test_untraced_results_give_no_item_figures(self):
        plan = compile(_small())
        results = [
            score(plan, Response(respondent=f"r{i}", answers={"q1": True})) for i in range(3)
        ]
        cohort = compare(results, min_group=1)
        assert (cohort.items, cohort.matrix) == ((), None)
        assert cohort.notes == ("item figures need results scored with trace=True",)


class TestView:
    def test_titles_and_texts_are_added(self):
        q = _small()
        import attrs

        q = attrs.evolve(
            q,
            title={"en": "Small"},
            dimensions=(attrs.evolve(q.dimensions[0], title={"en": "D"}),),
        )
        plan = compile(q)
        results = [
            score(plan, Response(respondent=f"r{i}", answers={"q1": True}), trace=True)
            for i in range(2)
        ]
        view = cohort_view(compare(results, min_group=1), q)
        assert [(d["id"], d["title"]) for d in view["dimensions"]] == [
            ("small", "Small"),
            ("d", "D"),
        ]
        assert view["dimensions"][1]["members"][0] == {
            "respondent": "r0",
            "score": 100.0,
            "rank": 1,
            "percentile": 50.0,
        }
        assert view["heatmap"]["items"] == ["q1", "q2", "q3"]
        assert view["methods"]["quantiles"] == QUANTILE_METHOD
        assert json.loads(json.dumps(view)) == view
