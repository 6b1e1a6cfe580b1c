"""The AHP weighting, checked against Saaty's published examples."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import weltoffen as w
from weltoffen.strategies import AHP
from weltoffen.strategies.ahp import Consistency
from weltoffen.typing import Child


def matrix(text: str) -> tuple[tuple[float, ...], ...]:
    """A matrix written the way Saaty prints it: rows of integers and fractions like 1/3."""
    return tuple(
        tuple(float(Fraction(cell)) for cell in line.split()) for line in text.strip().splitlines()
    )


def kids(*ids: str, weight: float = 1.0) -> list[Child]:
    return [Child(id=i, weight=weight, items=1, is_dimension=False) for i in ids]


# Saaty (1990), "How to make a decision: the analytic hierarchy process", European Journal of
# Operational Research 48, 9-26, Table 2: the eight criteria for buying a house (size,
# transportation, neighbourhood, age, yard, modern facilities, condition, financing).
HOUSE = matrix(
    """
    1   5   3   7   6   6   1/3 1/4
    1/5 1   1/3 5   3   3   1/5 1/7
    1/3 3   1   6   3   4   6   1/5
    1/7 1/5 1/6 1   1/3 1/4 1/7 1/8
    1/6 1/3 1/3 3   1   1/2 1/5 1/6
    1/6 1/3 1/4 4   2   1   1/5 1/6
    3   5   1/6 7   5   5   1   1/2
    4   7   5   8   6   6   2   1
    """
)

# Saaty (2008), "Decision making with the analytic hierarchy process", International Journal of
# Services Sciences 1(1), 83-98: relative consumption of drinks in the United States (coffee,
# wine, tea, beer, sodas, milk, water).
DRINKS = matrix(
    """
    1   9 5   2   1   1   1/2
    1/9 1 1/3 1/9 1/9 1/9 1/9
    1/5 3 1   1/3 1/4 1/3 1/9
    1/2 9 3   1   1/2 1   1/3
    1   9 4   2   1   2   1/2
    1   9 3   1   1/2 1   1/3
    2   9 9   3   2   3   1
    """
)


class TestPublishedExamples:
    def test_house_weights_and_inconsistency(self) -> None:
        """Saaty (1990), Table 2: priorities .173 .054 .188 .018 .031 .036 .167 .333,
        lambda_max = 9.669, C.I. = 0.238, C.R. = 0.169 (random index 1.41 for n = 8)."""
        ahp = AHP(HOUSE, allow_inconsistent=True)
        expected = (0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333)
        assert expected == tuple(round(p, 3) for p in ahp.priorities())
        c = ahp.consistency()
        assert (
            c.n,
            round(c.lambda_max, 3),
            round(c.ci, 3),
            c.ri,
            round(c.cr or 0, 3),
        ) == (8, 9.669, 0.238, 1.41, 0.169)

    def test_house_refused_without_permission(self) -> None:
        """The house matrix's C.R. of 0.169 is above 0.1, so it is refused by default."""
        with pytest.raises(ValueError, match=r"consistency ratio CR = 0\.169 is above 0\.1"):
            AHP(HOUSE).weigh(kids(*"abcdefgh"))

    def test_drinks_weights_and_consistency(self) -> None:
        """Saaty (2008): derived consumption shares .177 .019 .042 .116 .190 .129 .327 and
        C.R. = 0.022 (with either of Saaty's random index tables)."""
        for table in ("saaty1980", "saaty2005"):
            ahp = AHP(DRINKS, random_index=table)
            assert tuple(round(p, 3) for p in ahp.weigh(kids(*"abcdefg"))) == (
                0.177,
                0.019,
                0.042,
                0.116,
                0.190,
                0.129,
                0.327,
            )
            assert round(ahp.consistency().cr or 0, 3) == 0.022


class TestComputation:
    def test_consistent_matrix_gives_its_ratios(self) -> None:
        """For a perfectly consistent matrix a[i][j] = w_i / w_j the weights are w, CR = 0."""
        true = (0.5, 0.3, 0.2)
        ahp = AHP(tuple(tuple(a / b for b in true) for a in true))
        assert true == pytest.approx(ahp.priorities(), abs=1e-12)
        c = ahp.consistency()
        assert (pytest.approx(c.lambda_max, abs=1e-12), pytest.approx(c.ci, abs=1e-12)) == (
            3.0,
            0.0,
        )

    def test_rounded_reciprocals_are_accepted_and_repaired(self) -> None:
        """0.333 for 1/3 is close enough; the pair is made exactly reciprocal first."""
        exact = AHP(matrix("1 3\n1/3 1")).priorities()
        rounded = AHP(((1.0, 3.0), (0.333, 1.0))).priorities()
        assert pytest.approx(exact, abs=1e-12) == (0.75, 0.25)
        assert exact == pytest.approx(rounded, abs=1e-3)

    def test_ids_choose_the_row_order(self) -> None:
        """With ids, row i belongs to ids[i] whatever order the children come in."""
        ahp = AHP(matrix("1 3\n1/3 1"), ids=("b", "a"))
        assert pytest.approx(ahp.weigh(kids("a", "b"))) == [0.25, 0.75]

    def test_child_switched_off_keeps_zero(self) -> None:
        children = [*kids("a"), Child(id="b", weight=0.0, items=1, is_dimension=False)]
        assert pytest.approx(AHP(matrix("1 3\n1/3 1")).weigh(children)) == [0.75, 0.0]

    def test_single_child(self) -> None:
        ahp = AHP(((1.0,),))
        assert list(ahp.weigh(kids("a"))) == [1.0]
        assert ahp.consistency().cr == 0.0

    def test_allow_inconsistent_accepts(self) -> None:
        weights = AHP(HOUSE, allow_inconsistent=True).weigh(kids(*"abcdefgh"))
        assert pytest.approx(sum(weights)) == 1.0

    def test_beyond_the_table_needs_the_longer_table(self) -> None:
        """The 1980 table stops at n = 10; eleven children need saaty2005 (or no check)."""
        eleven = tuple(tuple(1.0 for _ in range(11)) for _ in range(11))
        children = kids(*"abcdefghijk")
        with pytest.raises(ValueError, match="covers at most 10 children"):
            AHP(eleven).weigh(children)
        assert pytest.approx(AHP(eleven, random_index="saaty2005").weigh(children)) == [1 / 11] * 11
        assert AHP(eleven, allow_inconsistent=True).consistency().cr is None


class TestValidation:
    @pytest.mark.parametrize(
        ("ahp", "children", "message"),
        [
            (
                AHP(((1.0, 2.0), (0.5, 1.0))),
                kids("a", "b", "c"),
                r"the matrix has 2 rows but the dimension has 3 children \('a', 'b', 'c'\)",
            ),
            (
                AHP(((1.0, 2.0), (0.5,))),
                kids("a", "b"),
                r"must be square \(2 x 2\): row 1 has 1 entries",
            ),
            (AHP(()), kids("a"), "the matrix is empty"),
            (
                AHP(((1.0, -2.0), (0.5, 1.0))),
                kids("a", "b"),
                r"matrix\[0\]\[1\] must be a finite number > 0 \(got -2.0\)",
            ),
            (
                AHP(((1.0, 0.0), (0.5, 1.0))),
                kids("a", "b"),
                r"matrix\[0\]\[1\] must be a finite number > 0",
            ),
            (AHP(((2.0, 2.0), (0.5, 1.0))), kids("a", "b"), r"matrix\[0\]\[0\] must be 1"),
            (AHP(((1.0, 3.0), (3.0, 1.0))), kids("a", "b"), "are not reciprocal"),
            (AHP(((1.0, 3.0), (0.3, 1.0))), kids("a", "b"), r"product is 0\.9"),
            (
                AHP(((1.0, 2.0), (0.5, 1.0)), ids=("a", "x")),
                kids("a", "b"),
                "unknown child id.*'x'.*missing child id.*'b'",
            ),
            (
                AHP(((1.0, 2.0), (0.5, 1.0)), ids=("a",)),
                kids("a", "b"),
                "ids names 1 children but the matrix has 2 rows",
            ),
            (
                AHP(((1.0, 2.0), (0.5, 1.0)), ids=("a", "a")),
                kids("a", "b"),
                "names 'a' more than once",
            ),
            (AHP(((1.0,),), random_index="mine"), kids("a"), "unknown random_index 'mine'"),
        ],
    )
    def test_bad_parameters_are_named(self, ahp: AHP, children: list[Child], message: str) -> None:
        with pytest.raises(ValueError, match=message):
            ahp.weigh(children)

    def test_compile_reports_a_located_problem(self) -> None:
        """plan.py turns the weighting's ValueError into a Problem at the weighting's path."""
        q = w.load_questionnaire(
            text="""
id: t
version: "1"
dimensions:
  - id: d
    weighting: {kind: ahp, matrix: [[1, 3], [3, 1]]}
    questions:
      - {id: a, kind: yes_no, text: A}
      - {id: b, kind: yes_no, text: B}
""",
            check=False,  # loading with checks would already refuse it (with the line)
        )
        with pytest.raises(w.DefinitionError) as info:
            w.compile(q)
        (problem,) = info.value.problems
        assert problem.path == "dimensions[0].weighting"
        assert "not reciprocal" in problem.message


def test_from_yaml_to_scores() -> None:
    """An AHP weighting written in YAML weights the answers as the eigenvector says."""
    q = w.load_questionnaire(
        text="""
id: t
version: "1"
dimensions:
  - id: d
    weighting:
      kind: ahp
      ids: [b, a]
      matrix:
        - [1, 3]
        - [0.3333, 1]
    questions:
      - {id: a, kind: yes_no, text: A}
      - {id: b, kind: yes_no, text: B}
"""
    )
    result = w.score(w.compile(q), w.Response(respondent="r", answers={"a": False, "b": True}))
    assert pytest.approx(result.score, abs=1e-3) == 75.0


def cycle(x: float) -> tuple[tuple[float, ...], ...]:
    """a over b, b over c and c over a, each by *x*: the classic circular judgement."""
    return ((1.0, x, 1 / x), (1 / x, 1.0, x), (x, 1 / x, 1.0))


class TestConsistencyFigures:
    def test_one_and_two_children_are_always_consistent(self) -> None:
        """Orders 1 and 2 report CI = CR = 0 and the tables' random index 0, whatever the matrix."""
        assert AHP(((1.0,),)).consistency() == Consistency(
            n=1, lambda_max=1.0, ci=0.0, ri=0.0, cr=0.0
        )
        assert AHP(((1.0, 4.0), (0.25, 1.0))).consistency() == Consistency(
            n=2, lambda_max=2.0, ci=0.0, ri=0.0, cr=0.0
        )

    @given(st.floats(min_value=1.0, max_value=9.0))
    def test_circular_judgements(self, x: float) -> None:
        """The circulant matrix of a cycle has lambda_max = 1 + x + 1/x and equal priorities."""
        ahp = AHP(cycle(x), allow_inconsistent=True)
        c = ahp.consistency()
        ci = (x + 1 / x - 2) / 2
        assert c.n == 3
        assert c.lambda_max == pytest.approx(1 + x + 1 / x, rel=1e-12)
        assert c.ci == pytest.approx(ci, rel=1e-9, abs=1e-12)
        assert c.ri == 0.58
        assert c.cr == pytest.approx(ci / 0.58, rel=1e-9, abs=1e-12)
        assert ahp.priorities() == pytest.approx((1 / 3, 1 / 3, 1 / 3), abs=1e-12)

    def test_three_children_in_a_cycle_are_refused(self) -> None:
        """The whole message: the ratio, the figures behind it and the two ways out."""
        with pytest.raises(ValueError) as info:
            AHP(cycle(2.0)).weigh(kids("a", "b", "c"))
        assert str(info.value) == (
            "ahp: consistency ratio CR = 0.431 is above 0.1 (lambda_max = 3.500, CI = 0.250, "
            "RI = 0.58 for n = 3); revise the comparisons, or set allow_inconsistent: true to "
            "accept them"
        )

    @pytest.mark.parametrize(
        ("n", "table", "ri"), [(10, "saaty1980", 1.49), (15, "saaty2005", 1.59)]
    )
    def test_the_last_order_of_each_table_is_covered(self, n: int, table: str, ri: float) -> None:
        ones = tuple(tuple(1.0 for _ in range(n)) for _ in range(n))
        ahp = AHP(ones, random_index=table)
        assert ahp.consistency().ri == ri
        assert ahp.weigh(kids(*"abcdefghijklmno"[:n])) == pytest.approx([1 / n] * n)

    def test_beyond_the_table_message(self) -> None:
        eleven = tuple(tuple(1.0 for _ in range(11)) for _ in range(11))
        with pytest.raises(ValueError) as info:
            AHP(eleven).weigh(kids(*"abcdefghijk"))
        assert str(info.value) == (
            "ahp: the random index table 'saaty1980' covers at most 10 children, not 11: choose "
            "random_index: saaty2005 (up to 15), or set allow_inconsistent: true to skip the "
            "consistency check"
        )

    def test_unknown_table_is_named_with_the_known_ones(self) -> None:
        ahp = AHP(((1.0,),), random_index="mine")
        known = "unknown random_index 'mine' (one of 'saaty1980', 'saaty2005')"
        with pytest.raises(ValueError) as info:
            ahp.consistency()
        assert str(info.value) == known
        assert ahp.problems() == [known]

    def test_wildly_circular_judgements_do_not_converge(self) -> None:
        """With entries far off Saaty's scale, a cycle of judgements makes the power iteration
        crawl (the second eigenvalue is almost as large as the first): an error, not a guess."""
        m, n = 1e6, 2e6
        wild = ((1.0, m, 1 / n), (1 / m, 1.0, m), (n, 1 / m, 1.0))
        ahp = AHP(wild, allow_inconsistent=True)
        message = "ahp: the eigenvector iteration did not converge"
        with pytest.raises(ValueError) as info:
            ahp.priorities()
        assert str(info.value) == message
        with pytest.raises(ValueError) as info:
            ahp.weigh(kids("a", "b", "c"))
        assert str(info.value) == message


class TestProblemMessages:
    """Every problem is reported, in order, with its full text (``weigh`` joins them with '; ')."""

    def test_empty(self) -> None:
        assert AHP(()).problems() == ["the matrix is empty"]
        with pytest.raises(ValueError) as info:
            AHP(()).weigh(kids("a"))
        assert str(info.value) == (
            "ahp: the matrix is empty; the matrix has 0 rows but the dimension has 1 children "
            "('a'); give one row and one column per child, in this order"
        )

    def test_every_short_row_is_listed(self) -> None:
        assert AHP(((1.0, 2.0, 1.0), (0.5,), (1.0, 1.0))).problems() == [
            "the matrix must be square (3 x 3): row 1 has 1 entries, row 2 has 2 entries"
        ]

    def test_each_pair_is_checked_once(self) -> None:
        """A bad pair is named once, upper entry first, after the diagonal entry of its row."""
        bad = ((2.0, 2.0, 4.0), (0.5, 1.0, 3.0), (4.0, 1 / 3, 1.0))
        assert AHP(bad).problems(kids("a", "b", "c")) == [
            "matrix[0][0] must be 1 (got 2.0)",
            "matrix[0][2] = 4 and matrix[2][0] = 4 are not reciprocal (their product is 16, not 1)",
        ]
        with pytest.raises(ValueError) as info:
            AHP(bad).weigh(kids("a", "b", "c"))
        assert str(info.value) == (
            "ahp: matrix[0][0] must be 1 (got 2.0); matrix[0][2] = 4 and matrix[2][0] = 4 are "
            "not reciprocal (their product is 16, not 1)"
        )

    def test_priorities_and_consistency_refuse_a_bad_matrix(self) -> None:
        """Not only weigh: the computations themselves name what is wrong."""
        ahp = AHP(((1.0, -2.0), (0.0, 1.0)))
        message = (
            "ahp: matrix[0][1] must be a finite number > 0 (got -2.0); "
            "matrix[1][0] must be a finite number > 0 (got 0.0)"
        )
        for compute in (ahp.priorities, ahp.consistency):
            with pytest.raises(ValueError) as info:
                compute()
            assert str(info.value) == message

    def test_ids_named_twice_and_miscounted(self) -> None:
        ahp = AHP(((1.0, 2.0), (0.5, 1.0)), ids=("b", "a", "b", "a"))
        with pytest.raises(ValueError) as info:
            ahp.weigh(kids("a", "b"))
        assert str(info.value) == (
            "ahp: ids names 'a', 'b' more than once; ids names 4 children but the matrix has 2 rows"
        )
