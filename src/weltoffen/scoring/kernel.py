"""The vectorised kernel of batch scoring: a plan's arithmetic over a block of respondents.

A block (:mod:`weltoffen.scoring.blocks`) holds, for every question of the plan, one row of
states and one row of normalised values (0..1), one column per respondent. The kernel hides
questions whose conditions fail, then walks the nodes of the plan in post-order exactly as
:func:`weltoffen.scoring.engine.score` does, but over whole rows at once.

Why the numbers match ``score()`` bit for bit:

* Sums that ``score()`` builds with ``+=`` (applicable and covered weight) are built here in the
  same order: ``np.add.reduce`` over axis 0 of a C-contiguous array adds row after row.
* Sums that ``score()`` builds with :func:`math.fsum` (the weighted means) are either exact in any
  order (when :func:`~weltoffen.scoring.exactness.exact_sums` proves every partial sum
  representable) or accumulated as double-double numbers (Knuth's TwoSum), whose final rounding
  is the correctly rounded sum, as ``fsum``'s, unless the exact sum lies within about
  ``n²·2⁻¹⁰⁶`` of a rounding boundary.
* Logarithms and exponentials (geometric mean) use :mod:`math`, as ``score()`` does, since numpy's
  SIMD versions may differ in the last bit.

Aggregations and policies without a vectorised form here (plugins) are computed respondent by
respondent with the objects' own methods, in the order ``score()`` uses.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from typing import Any, TypeAlias

import attrs

from weltoffen._repr import value_repr
from weltoffen.model.answers import State
from weltoffen.model.conditions import AllOf, AnyOf, Condition, Not
from weltoffen.model.questions import MultipleChoice
from weltoffen.scoring.aggregate import EPS
from weltoffen.scoring.answers import share
from weltoffen.scoring.blocks import (
    ANSWERED,
    DONT_KNOW,
    HIDDEN,
    NOT_APPLICABLE,
    SKIPPED,
    Block,
    Bools,
)
from weltoffen.scoring.exactness import (
    RowSum,
    exact_sums,
    fine_enough,
    math_exp,
    math_log,
    value_domain,
)
from weltoffen.scoring.layout import POINTS, STATE
from weltoffen.scoring.plan import NodePlan, ScoringPlan
from weltoffen.scoring.results import Status
from weltoffen.strategies import (
    Exclude,
    GeometricMean,
    Minimum,
    Prorate,
    SumOfPoints,
    WeightedMean,
    Zero,
)

# numpy arrays, typed loosely so that this module imports without numpy
Floats: TypeAlias = Any
Codes: TypeAlias = Any

__all__ = ["STATUSES", "Kernel", "NodeSpec", "band_codes", "status_codes"]


class Policy(enum.IntEnum):
    """Missing-answer policies with a vectorised form; OTHER (plugins) go row by row."""

    EXCLUDE = 0
    ZERO = 1
    PRORATE = 2
    OTHER = 3


class Agg(enum.IntEnum):
    """Aggregations with a vectorised form; OTHER (plugins) go row by row."""

    MEAN = 0
    MINIMUM = 1
    GEOMETRIC = 2
    OTHER = 3


def _policy_kind(policy: object) -> Policy:
    kind = type(policy)
    if kind is Exclude:
        return Policy.EXCLUDE
    if kind is Zero:
        return Policy.ZERO
    if kind is Prorate:
        return Policy.PRORATE
    return Policy.OTHER


def _agg_kind(aggregation: object) -> Agg:
    kind = type(aggregation)
    if kind is WeightedMean or kind is SumOfPoints:
        return Agg.MEAN
    if kind is Minimum:
        return Agg.MINIMUM
    if kind is GeometricMean:
        return Agg.GEOMETRIC
    return Agg.OTHER


@attrs.frozen
class NodeSpec:
    """A node with what its vectorised form needs."""

    __repr__ = value_repr

    node: NodePlan
    questions: Any  # slice or intp array selecting the node's scored questions
    count: int
    weights: Any  # (count, 1) float64 aggregation weights of the questions
    positive: Any  # (count, 1) bool: weight > 0
    agg: Agg
    dont_know: Policy
    skipped: Policy
    exact: bool  # numerator and denominator sums are exact in any order
    gemm: bool  # an exact weighted mean of questions alone: its sums are plain dot products
    band_lo: tuple[float, ...]
    band_hi: tuple[float, ...]
    band_closed: tuple[bool, ...]  # the top band also includes its max
    on_points: bool  # the bands are on the node's points, not on its score
    declared: Any  # (count, 1) float64 weights declared on the questions (points are times them)


def _selector(indices: Sequence[int]) -> Any:
    """A slice when *indices* are consecutive (a view, no copy), else an index array."""
    import numpy as np

    if indices and list(indices) == list(range(indices[0], indices[0] + len(indices))):
        return slice(indices[0], indices[0] + len(indices))
    return np.asarray(indices, dtype=np.intp)


class Kernel:
    """A plan prepared for vectorised scoring (built once per call of ``score_many``)."""

    def __init__(self, plan: ScoringPlan, *, points: bool = False) -> None:
        import numpy as np

        self.plan = plan
        self.n = len(plan.questions)
        lo = [qp.lo for qp in plan.questions]
        rng = [(qp.hi - qp.lo) if qp.hi > qp.lo else 1.0 for qp in plan.questions]
        self.lo = np.asarray(lo, dtype=np.float64)
        self.rng = np.asarray(rng, dtype=np.float64)
        #: Whether nodes' points are needed (for bands on points): readers then fill
        #: ``Block.points`` and :meth:`run` adds them up as ``score()`` does.
        self.points = points or any(node.bands_on == "points" and node.bands for node in plan.nodes)
        #: Question index -> (state code, normalised value, points) of its otherwise answer,
        #: which it takes while its own condition alone is false.
        self.otherwise: dict[int, tuple[int, float, float]] = {}
        codes = {State.ANSWERED: ANSWERED, State.DONT_KNOW: DONT_KNOW, State.SKIPPED: SKIPPED}
        codes[State.NOT_APPLICABLE] = NOT_APPLICABLE
        for qi, row in plan.layout.otherwise.items():
            given = row[POINTS]
            value = 0.0 if given is None else share(plan.questions[qi], given)
            self.otherwise[qi] = (codes[row[STATE]], value, given or 0.0)
        self.read: set[int] = set()
        for cond in plan.gates:
            self._collect(cond)
        self.specs = [self._spec(node) for node in plan.nodes]
        # the plan already holds the gates in dependency order
        self.gate_order = [step[0] for step in plan.layout.gate_steps]
        self.any_gemm = any(spec.gemm for spec in self.specs)
        self.zero_dk = any(spec.gemm and spec.dont_know == Policy.ZERO for spec in self.specs)
        self.zero_sk = any(spec.gemm and spec.skipped == Policy.ZERO for spec in self.specs)
        #: Whether some node is scored by plugin objects, row by row (their code may not be
        #: safe to run on several threads).
        self.row_by_row = any(
            spec.agg == Agg.OTHER or Policy.OTHER in (spec.dont_know, spec.skipped)
            for spec in self.specs
        )

    def _collect(self, cond: Condition) -> None:
        if isinstance(cond, AllOf | AnyOf):
            for c in cond.conditions:
                self._collect(c)
        elif isinstance(cond, Not):
            self._collect(cond.condition)
        else:
            self.read.add(self.plan.index[cond.question])

    def _spec(self, node: NodePlan) -> NodeSpec:
        import numpy as np

        plan = self.plan
        agg = _agg_kind(node.aggregation)
        dont_know = _policy_kind(node.dont_know)
        skipped = _policy_kind(node.skipped)
        weights = np.asarray(node.question_agg, dtype=np.float64).reshape(-1, 1)
        exact = False
        if (
            not node.children
            and agg != Agg.GEOMETRIC
            and Policy.PRORATE not in (dont_know, skipped)
        ):
            # multiple choice last: enumerating its selections costs most, and a question
            # with values too fine (thirds, sevenths) settles the matter before
            order = sorted(
                zip(node.questions, node.question_agg),
                key=lambda item: isinstance(plan.questions[item[0]].question, MultipleChoice),
            )
            products: list[list[float]] = []
            for qi, w in order:
                domain = value_domain(plan.questions[qi])
                row = [] if domain is None else [v * w for v in domain]
                if domain is None or not fine_enough(row):
                    break
                products.append(row)
            else:
                exact = exact_sums(products, node.question_agg)
        return NodeSpec(
            node=node,
            questions=_selector(node.questions),
            count=len(node.questions),
            weights=weights,
            positive=weights > 0,
            agg=agg,
            dont_know=dont_know,
            skipped=skipped,
            exact=exact,
            gemm=exact
            and agg == Agg.MEAN
            and bool(node.questions)
            and {dont_know, skipped} <= {Policy.EXCLUDE, Policy.ZERO},
            band_lo=tuple(b.min for b in node.bands),
            band_hi=tuple(b.max for b in node.bands),
            band_closed=tuple(b is node.bands[-1] for b in node.bands),
            on_points=node.bands_on == "points",
            declared=np.asarray(
                [plan.questions[qi].weight for qi in node.questions], dtype=np.float64
            ).reshape(-1, 1),
        )

    # -- conditions ----------------------------------------------------------------------------

    def hide(self, block: Block) -> None:
        """Mark questions whose own or enclosing conditions fail as hidden (in place)."""
        import numpy as np

        plan = self.plan
        if not plan.gates:
            return
        st = block.states
        rows = st.shape[1]
        value: dict[int, Bools] = {}
        answered = {qi: st[qi] == ANSWERED for qi in self.read}

        def visible(qi: int) -> Bools:
            out = np.ones(rows, dtype=bool)
            for g in plan.questions[qi].gates:
                out &= value[g]
            return out

        def holds(cond: Condition) -> Bools:
            if isinstance(cond, AllOf):
                out = np.ones(rows, dtype=bool)
                for c in cond.conditions:
                    out &= holds(c)
                return out
            if isinstance(cond, AnyOf):
                out = np.zeros(rows, dtype=bool)
                for c in cond.conditions:
                    out |= holds(c)
                return out
            if isinstance(cond, Not):
                return ~holds(cond.condition)
            qi = plan.index[cond.question]
            usable = answered[qi] & visible(qi)
            if not usable.any():
                return usable
            return usable & block.answers[qi].truth(cond)

        for g in self.gate_order:
            value[g] = holds(plan.gates[g])
        for qi, qp in enumerate(plan.questions):
            if qp.gates:
                st[qi][~visible(qi)] = HIDDEN
                other = self.otherwise.get(qi)
                if other is not None:
                    # its own condition (the last gate) alone is false: its otherwise answer
                    counts = ~value[qp.gates[-1]]
                    for g in qp.gates[:-1]:
                        counts &= value[g]
                    code, share_, points = other
                    st[qi][counts] = code
                    block.values[qi][counts] = share_
                    if block.points is not None:
                        block.points[qi][counts] = points

    # -- the nodes -----------------------------------------------------------------------------

    def run(self, block: Block) -> list[tuple[Floats, Floats, Floats | None]]:
        """Scores (0..100, NaN for none), coverages (NaN when not applicable) and, when the plan
        needs them (:attr:`points`), points of every node."""
        import numpy as np

        if self.plan.gates:
            self.hide(block)
            # answers that were hidden must not count: zero every value no longer answered
            np.multiply(block.values, block.states == ANSWERED, out=block.values)
        indicators: tuple[Floats, ...] = ()
        if self.any_gemm:
            st = block.states
            # 0/1 per state code (answered, dont_know, not_applicable, skipped, hidden)
            indicators = (
                _APPLIES_F.take(st),
                _ANSWERED_F.take(st),
                _DONT_KNOW_F.take(st) if self.zero_dk else None,
                _SKIPPED_F.take(st) if self.zero_sk else None,
            )
        done: list[tuple[Floats, Floats, Floats | None]] = []
        for spec in self.specs:
            mean = None
            if spec.gemm:
                score, coverage = self._summed(spec, block.values, *indicators)
            else:
                score, coverage, mean = self._node(spec, block, done)
            points = self._points(spec, block, done, mean) if self.points else None
            done.append((score, coverage, points))
        return done

    def _summed(
        self,
        spec: NodeSpec,
        values: Floats,
        applies: Floats,
        answered: Floats,
        dont_know: Floats | None,
        skipped: Floats | None,
    ) -> tuple[Floats, Floats]:
        """A node whose sums are exact in any order: each one dot product per respondent.

        (Matrix-vector products stay on one thread; a threaded matrix product over all nodes at
        once is much slower on a busy machine.)
        """
        import numpy as np

        w = spec.weights.reshape(-1)
        sel = spec.questions
        applicable = w @ applies[sel]
        covered = w @ answered[sel]
        total = covered
        if spec.dont_know == Policy.ZERO:
            total = total + w @ dont_know[sel]  # type: ignore[index]
        if spec.skipped == Policy.ZERO:
            total = total + w @ skipped[sel]  # type: ignore[index]
        with np.errstate(invalid="ignore", divide="ignore"):
            coverage = np.where(applicable > 0, covered / applicable, np.nan)
            able = (applicable > 0) & ~(coverage + EPS < spec.node.min_coverage) & (total > 0)
            value = np.where(able, (w @ values[sel]) / total, np.nan)
        return self._finish(value, coverage)

    def _node(
        self, spec: NodeSpec, block: Block, done: Sequence[tuple[Floats, Floats, Floats | None]]
    ) -> tuple[Floats, Floats, Floats | None]:
        """Score and coverage of a node, and the mean a prorated answer counts as (if any)."""
        import numpy as np

        node = spec.node
        rows = block.states.shape[1]
        add = np.add.reduce
        if spec.count:
            st = np.ascontiguousarray(block.states[spec.questions])
            vals = np.ascontiguousarray(block.values[spec.questions])
            answered = st == ANSWERED
            dk = st == DONT_KNOW
            sk = st == SKIPPED
            w = spec.weights
            answered_w = np.where(answered, w, 0.0)
            applicable = add(np.where(answered | dk | sk, w, 0.0), axis=0)
            covered = add(answered_w, axis=0)
            terms = vals * w
        else:
            st = vals = answered = dk = sk = answered_w = terms = np.zeros((0, rows))
            applicable = np.zeros(rows)
            covered = np.zeros(rows)

        num = RowSum(rows, spec.exact)
        den = RowSum(rows, spec.exact)
        num.rows(terms)
        den.rows(answered_w)
        kid_scores: list[tuple[Floats, Bools, float]] = []
        for ci, aw in zip(node.children, node.child_agg):
            score, coverage, _ = done[ci]
            applies = ~np.isnan(coverage)
            applicable += np.where(applies, aw, 0.0)
            covered += np.where(applies, aw * coverage, 0.0)
            scored = ~np.isnan(score)
            v = np.where(scored, score, 0.0) / 100.0
            num.add(v * aw)
            den.add(np.where(scored, aw, 0.0))
            kid_scores.append((v, scored, aw))

        with np.errstate(invalid="ignore", divide="ignore"):
            coverage_out = np.where(applicable > 0, covered / applicable, np.nan)
        able = (applicable > 0) & ~(coverage_out + EPS < node.min_coverage)

        slow = spec.agg == Agg.OTHER or Policy.OTHER in (spec.dont_know, spec.skipped)
        if slow:
            value = self._rowwise(spec, able, st, vals, kid_scores)
            return (*self._finish(value, coverage_out), None)

        base_total = den.value().copy()  # den grows on below; keep the base
        base_mean: Floats | None = None
        if Policy.PRORATE in (spec.dont_know, spec.skipped):
            with np.errstate(invalid="ignore", divide="ignore"):
                base_mean = np.where(base_total > 0, num.value() / base_total, np.nan)
        fills: list[tuple[Bools, Floats | None]] = []  # (which items, their value; None: zero)
        for policy, mask in ((spec.dont_know, dk), (spec.skipped, sk)):
            if policy == Policy.ZERO and spec.count:
                den.rows(np.where(mask, spec.weights, 0.0))
                fills.append((mask, None))
            elif policy == Policy.PRORATE and spec.count:
                assert base_mean is not None
                mask = mask & (base_total > 0)
                den.rows(np.where(mask, spec.weights, 0.0))
                # each filled item adds its own rounded product, as fsum sees them
                filled = np.where(mask, np.nan_to_num(base_mean) * spec.weights, 0.0)
                num.rows(filled)
                fills.append((mask, np.broadcast_to(base_mean, mask.shape)))
        total = den.value()
        able &= total > 0

        with np.errstate(invalid="ignore", divide="ignore"):
            if spec.agg == Agg.MEAN:
                value = num.value() / total
            elif spec.agg == Agg.MINIMUM:
                value = self._minimum(spec, answered, vals, kid_scores, fills, rows)
            else:
                value = self._geometric(spec, answered, vals, kid_scores, fills, total, rows)
        value = np.where(able, value, np.nan)
        return (*self._finish(value, coverage_out), base_mean)

    def _points(
        self,
        spec: NodeSpec,
        block: Block,
        done: Sequence[tuple[Floats, Floats, Floats | None]],
        mean: Floats | None,
    ) -> Floats:
        """The node's points, added up in ``score()``'s order: its answered questions, its
        applicable children, then the answers its policies fill in."""
        import numpy as np

        node = spec.node
        rows = block.states.shape[1]
        earned = np.zeros(rows)
        st = block.states[spec.questions]
        if spec.count:
            answered = st == ANSWERED
            products = np.where(answered, spec.declared * block.points[spec.questions], 0.0)
            earned = np.add.reduce(products, axis=0)  # row after row, as ``+=`` adds
        for ci in node.children:
            _, coverage, points = done[ci]
            assert points is not None  # every node has points when any has
            earned = earned + np.where(np.isnan(coverage), 0.0, points)
        if spec.count and (spec.dont_know != Policy.EXCLUDE or spec.skipped != Policy.EXCLUDE):
            fill = self._fills(spec, st, block, done, mean)
            for k, qi in enumerate(node.questions):
                qp = self.plan.questions[qi]
                f = fill[k]
                term = qp.weight * (qp.lo + f * (qp.hi - qp.lo))
                earned = earned + np.where(np.isnan(f), 0.0, term)
        return earned

    def _fills(
        self,
        spec: NodeSpec,
        st: Codes,
        block: Block,
        done: Sequence[tuple[Floats, Floats, Floats | None]],
        mean: Floats | None,
    ) -> Floats:
        """Per question of the node and respondent, the value a missing answer is filled in
        with (NaN: none), as ``aggregate()`` fills them."""
        import numpy as np

        node = spec.node
        fill = np.full(st.shape, np.nan)
        by_row = []
        for kind, policy, code in (
            (spec.dont_know, node.dont_know, DONT_KNOW),
            (spec.skipped, node.skipped, SKIPPED),
        ):
            mask = st == code
            if kind == Policy.ZERO:
                fill[mask] = 0.0
            elif kind == Policy.PRORATE and mean is not None:
                fill = np.where(mask & ~np.isnan(mean), mean, fill)
            elif kind != Policy.EXCLUDE:
                by_row.append((mask, policy))
        if not by_row:
            return fill
        # a plugin's fill (or a prorated one in a node scored row by row), respondent by
        # respondent, from the same values and weights as aggregate() passes
        vals = block.values[spec.questions]
        kids = [(done[ci][0], aw) for ci, aw in zip(node.children, node.child_agg)]
        q_agg = node.question_agg
        for r in range(st.shape[1]):
            base_v: list[float] = []
            base_w: list[float] = []
            for k in range(spec.count):
                if st[k, r] == ANSWERED:
                    base_v.append(float(vals[k, r]))
                    base_w.append(q_agg[k])
            for score, aw in kids:
                if not np.isnan(score[r]):
                    base_v.append(float(score[r]) / 100.0)
                    base_w.append(aw)
            for mask, policy in by_row:
                for k in np.flatnonzero(mask[:, r]).tolist():
                    f = policy.fill(base_v, base_w)
                    if f is not None:
                        fill[k, r] = f
        return fill

    def _finish(self, value: Floats, coverage: Floats) -> tuple[Floats, Floats]:
        import numpy as np

        # min(100.0, max(0.0, ...)) as score() clamps; the constants go second, as there
        score = np.minimum(np.maximum(100.0 * value, 0.0), 100.0)
        return score, coverage

    def _minimum(
        self,
        spec: NodeSpec,
        answered: Bools,
        vals: Floats,
        kids: Sequence[tuple[Floats, Bools, float]],
        fills: Sequence[tuple[Bools, Floats | None]],
        rows: int,
    ) -> Floats:
        import numpy as np

        best = np.full(rows, np.inf)
        if spec.count:
            best = np.minimum.reduce(np.where(answered & spec.positive, vals, np.inf), axis=0)
            for mask, fill in fills:
                candidate = 0.0 if fill is None else fill
                best = np.minimum(
                    best, np.min(np.where(mask & spec.positive, candidate, np.inf), axis=0)
                )
        for v, scored, aw in kids:
            if aw > 0:
                best = np.minimum(best, np.where(scored, v, np.inf))
        return best

    def _geometric(
        self,
        spec: NodeSpec,
        answered: Bools,
        vals: Floats,
        kids: Sequence[tuple[Floats, Bools, float]],
        fills: Sequence[tuple[Bools, Floats | None]],
        total: Floats,
        rows: int,
    ) -> Floats:
        import numpy as np

        logs = RowSum(rows, exact=False)
        zero = np.zeros(rows, dtype=bool)

        def include(mask: Bools, v: Floats, w: Any) -> None:
            """Add ``w·log v`` of the items in *mask* (rows of items, or one item)."""
            nonlocal zero
            mask = mask & (w > 0)
            nonpositive = mask & (v <= 0.0)
            zero |= np.any(nonpositive, axis=0) if v.ndim == 2 else nonpositive
            term = np.where(mask, w * math_log(np.where(mask & (v > 0.0), v, 1.0)), 0.0)
            if v.ndim == 2:
                logs.rows(term)
            else:
                logs.add(term)

        if spec.count:
            include(answered, vals, spec.weights)
            for mask, fill in fills:
                v = np.zeros(mask.shape) if fill is None else np.nan_to_num(np.asarray(fill))
                include(mask, v, spec.weights)
        for v, scored, aw in kids:
            include(scored, v, np.float64(aw))
        mean = math_exp(logs.value() / total)
        return np.where(zero, 0.0, np.minimum(mean, 1.0))  # min(1.0, mean), as in Python

    def _rowwise(
        self,
        spec: NodeSpec,
        able: Bools,
        st: Codes,
        vals: Floats,
        kids: Sequence[tuple[Floats, Bools, float]],
    ) -> Floats:
        """The node's value respondent by respondent, with the plugin objects themselves."""
        import numpy as np

        node = spec.node
        out = np.full(able.shape[0], np.nan)
        agg = node.aggregation.aggregate
        q_agg = node.question_agg
        for r in np.flatnonzero(able).tolist():
            values: list[float] = []
            weights: list[float] = []
            missing: list[tuple[int, float]] = []
            for k in range(spec.count):
                state = st[k, r]
                if state == ANSWERED:
                    values.append(float(vals[k, r]))
                    weights.append(q_agg[k])
                elif state in (DONT_KNOW, SKIPPED):
                    missing.append((int(state), q_agg[k]))
            for v, scored, aw in kids:
                if scored[r]:
                    values.append(float(v[r]))
                    weights.append(aw)
            if missing:
                base_v, base_w = list(values), list(weights)
                for state, aw in missing:
                    policy = node.dont_know if state == DONT_KNOW else node.skipped
                    f = policy.fill(base_v, base_w)
                    if f is not None:
                        values.append(f)
                        weights.append(aw)
            if math.fsum(weights) > 0:
                out[r] = agg(values, weights)
        return out


def _indicator(*codes: int) -> Any:
    import numpy as np

    out = np.zeros(HIDDEN + 1)
    out[list(codes)] = 1.0
    return out


class _Lazy:
    """A module attribute computed on first use (numpy must not load with weltoffen)."""

    def __init__(self, *codes: int) -> None:
        self.codes = codes
        self.table: Any = None

    def take(self, states: Codes) -> Floats:
        if self.table is None:
            self.table = _indicator(*self.codes)
        return self.table.take(states)


_ANSWERED_F = _Lazy(ANSWERED)
_APPLIES_F = _Lazy(ANSWERED, DONT_KNOW, SKIPPED)
_DONT_KNOW_F = _Lazy(DONT_KNOW)
_SKIPPED_F = _Lazy(SKIPPED)


def band_codes(spec: NodeSpec, score: Floats, points: Floats | None = None) -> Any:
    """Index of each result's band in ``spec.node.bands`` (-1: none), as ``band_of`` picks it:
    by its score, or by its *points* for bands on points (only where it has a score)."""
    import numpy as np

    x = score
    if spec.on_points and points is not None:
        x = np.where(np.isnan(score), np.nan, points)
    codes = np.full(score.shape, -1, dtype=np.int16)
    # the first band (by min) that holds the value wins, so assign from the last to the first
    for i in range(len(spec.band_lo) - 1, -1, -1):
        lo, hi = spec.band_lo[i], spec.band_hi[i]
        hit = (x >= lo) & (x < hi)
        if spec.band_closed[i]:
            hit |= x == hi
        codes[hit] = i
    return codes


#: The values of :class:`~weltoffen.scoring.results.Status`, indexed by :func:`status_codes`.
STATUSES = tuple(s.value for s in Status)


def status_codes(score: Floats, coverage: Floats) -> Any:
    """Index of each result's status in :data:`STATUSES`, as ``Status.of`` decides it."""
    import numpy as np

    codes = np.full(score.shape, STATUSES.index(Status.NOT_ASSESSABLE.value), dtype=np.int16)
    codes[np.isnan(coverage)] = STATUSES.index(Status.NOT_APPLICABLE.value)
    codes[~np.isnan(score)] = STATUSES.index(Status.SCORED.value)
    return codes
