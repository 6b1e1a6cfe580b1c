"""The AHP weighting, checked against Saaty's published examples."""

from __future__ import annotations

from fractions import Fraction

import pytest

import weltoffen as w
from weltoffen.strategies import AHP
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
