"""Tests for the compiled fast path of score() (``scoring/_native.c``) beyond its results.

Its results are held to the reference scorer and to the Python loops by the modules that use the
``engine_path`` fixture (tests/test_scoring_reference.py and the engine's tests). Here: that it is
built where it can be and from this source, that its reading equals the Python reading on any
answers, that it refuses what is not a layout, and that it keeps no memory between calls.
"""

from __future__ import annotations

import hashlib
import math
import os
import shutil
import sysconfig
import tracemalloc
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import questionnaire_and_responses, questionnaires
from tests.test_scoring_batch import _examples
from weltoffen import State, compile, score
from weltoffen.instruments import load_instrument
from weltoffen.scoring import dimension_results, engine
from weltoffen.scoring.reference import reference_score
from weltoffen.scoring.results import DimensionResult

SOURCE = Path(engine.__file__).with_name("_native.c")


def _compiled() -> Any:
    """The compiled module, or skip saying why."""
    if engine.native is None:
        pytest.skip("the compiled path of score() is not built here (see hatch_build.py)")
    from weltoffen.scoring import _native

    return _native


def _can_build() -> bool:
    """Whether this machine has what the build hook needs: a C compiler and Python's headers."""
    cc = (sysconfig.get_config_var("CC") or "").split()
    headers = Path(sysconfig.get_paths()["include"], "Python.h")
    return bool(cc) and shutil.which(cc[0]) is not None and headers.exists()


class TestBuild:
    def test_built_where_a_compiler_is(self) -> None:
        """An install on a machine with a C compiler and Python's headers has the compiled
        path: a silent build failure would only show as slowness."""
        if os.environ.get("WELTOFFEN_NATIVE") == "0":
            pytest.skip("WELTOFFEN_NATIVE=0 turns the compiled path off")
        if not _can_build():
            pytest.skip("no C compiler or no Python headers here: scoring runs its Python code")
        assert engine.native is not None, (
            "the compiled path of score() is missing although a C compiler is here: "
            "reinstall (pip install -e .) and read the build hook's warning"
        )

    def test_built_from_this_source(self) -> None:
        """A changed _native.c needs a new build (pip install -e .); a stale one fails here."""
        native = _compiled()
        if not SOURCE.exists():
            pytest.skip("installed without its C source")
        digest = hashlib.sha256(SOURCE.read_bytes()).hexdigest()
        assert digest == native.SOURCE_SHA256, "stale build of _native.c: run pip install -e ."

    def test_result_slots_are_the_fields_in_order(self) -> None:
        slots = dimension_results.result_slots()
        assert slots is not None
        assert [s.__name__ for s in slots] == [f.name for f in DimensionResult.__attrs_attrs__]


# answers of every kind a reader meets: table keys, look-alikes of other types (1 for True,
# 1.0 for 1), unhashable lists, unknown question ids and states
_values = st.one_of(
    st.text(max_size=3),
    st.integers(-2, 6),
    st.floats(allow_nan=False, min_value=-2, max_value=6),
    st.booleans(),
    st.sampled_from(list(State)),
    st.lists(st.text(max_size=2), max_size=2),
    st.none(),
)


class TestReadKnown:
    @given(questionnaires(), st.data())
    @settings(max_examples=_examples(1))
    def test_same_rows_and_rest_as_python(self, q: Any, data: st.DataObject) -> None:
        native = _compiled()
        plan = compile(q)
        layout = plan.layout
        ids = [qp.question.id for qp in plan.questions] + ["no-such-question"]
        table_values = [v for t in layout.tables.values() for v in t]
        answers = data.draw(
            st.dictionaries(st.sampled_from(ids), st.one_of(st.sampled_from(table_values), _values))
        )
        got_c, got_py = list(layout.blank), list(layout.blank)
        rest_c = native.read_known(layout.tables, got_c, answers)
        rest_py = engine._read_known(layout.tables, got_py, answers)
        assert rest_c == rest_py
        assert [r is s for r, s in zip(got_c, got_py)] == [True] * len(got_py)

    def test_answers_not_a_dict_are_left_to_python(self) -> None:
        from types import MappingProxyType

        native = _compiled()
        layout = compile(load_instrument("weltoffene-kommune", "1.0")).layout
        assert native.read_known(layout.tables, [], MappingProxyType({})) is None

    @pytest.mark.parametrize(
        "args",
        [
            ({}, (), {}),  # got must be a list
            ([], [], {}),  # tables must be a dict
            ({"q": {"a": ("not", "a", "row")}}, [None], {"q": "a"}),
            ({"q": {"a": (str, 5, *[0] * 9)}}, [None], {"q": "a"}),  # slot out of range
        ],
    )
    def test_refuses_what_is_not_a_layout(self, args: tuple[Any, ...]) -> None:
        native = _compiled()
        with pytest.raises((TypeError, IndexError)):
            native.read_known(*args)


class TestAddUp:
    def test_refuses_what_is_not_a_layout(self) -> None:
        native = _compiled()
        layout = compile(load_instrument("weltoffene-kommune", "1.0")).layout
        got = list(layout.blank)
        with pytest.raises(TypeError):
            native.add_up(list(layout.nodes), got, {}, layout, 21)
        with pytest.raises(ValueError, match="64 bits"):
            native.add_up(layout.nodes, got, {}, layout, 64)
        with pytest.raises(ValueError, match="root"):
            native.add_up((), got, {}, layout, 21)
        with pytest.raises(ValueError, match="fit the rows"):
            native.add_up(layout.nodes, got[:3], {}, layout, 21)

    @given(questionnaire_and_responses(questionnaires(otherwise=True), count=2, codes=True))
    @settings(max_examples=_examples(1))
    def test_taken_whenever_it_applies(self, case: Any) -> None:
        """Layouts of simple nodes, scored without a trace, take the compiled path; the rest
        the Python one. Both give the reference's results."""
        native = engine.native
        if native is None:
            pytest.skip("the compiled path of score() is not built here (see hatch_build.py)")
        calls: list[object] = []

        def add_up(*args: Any) -> Any:
            calls.append(args[0])
            return native.add_up(*args)

        q, responses = case
        plan = compile(q)
        with mock.patch.object(engine, "native", native._replace(add_up=add_up)):
            for response in responses:
                for trace in (False, True):
                    calls.clear()
                    assert score(plan, response, trace=trace) == reference_score(
                        plan, response, trace=trace
                    )
                    assert calls == (
                        [plan.layout.nodes] if plan.layout.simple and not trace else []
                    )

    def test_keeps_no_memory_between_calls(self) -> None:
        """Every object the C code makes is released: memory does not grow with calls."""
        _compiled()
        from tests.helpers import random_responses

        plan = compile(load_instrument("weltoffene-kommune", "1.0"))
        responses = random_responses(plan, 50, seed=5)
        for response in responses:  # the counts cache fills up first
            score(plan, response)
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            for _ in range(100):
                for response in responses:
                    score(plan, response)
            after = tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()
        # 5,000 calls: a leak of one float per call would be over 100 kB
        assert after - before < 64 * 1024


# cells of every kind a table of codes holds: codes, NaN, and what is neither (negative, too
# large, fractions, infinities, -0.0)
_cells = st.one_of(
    st.integers(0, 4).map(float),
    st.just(math.nan),
    st.sampled_from([-1.0, -0.0, 0.5, 5.0, 7.0, 1e300, -math.inf, math.inf, 2.0000001]),
)


class TestReadCodes:
    @given(
        st.lists(st.integers(2, 5), min_size=1, max_size=6),
        st.booleans(),
        st.data(),
    )
    @settings(max_examples=_examples(1))
    def test_same_block_as_numpy(self, sizes: list[int], points: bool, data: Any) -> None:
        """The compiled reading gives the numpy reading's states, values and points, bit for
        bit; where a cell is neither NaN nor a code it gives way, and numpy reports it."""
        np = pytest.importorskip("numpy")
        _compiled()
        from weltoffen.scoring import codes as codes_module
        from weltoffen.scoring.batch import _numpy_reader
        from weltoffen.scoring.kernel import Kernel
        from weltoffen.scoring.reading import Problems

        q = _scales(sizes)
        kernel = Kernel(compile(q), points=points)
        rows = data.draw(st.integers(0, 12))
        cells = data.draw(st.lists(_cells, min_size=rows * len(sizes), max_size=rows * len(sizes)))
        table = np.asarray(cells, dtype=np.float64).reshape(rows, len(sizes))

        def read(compiled: bool) -> Any:
            problems = Problems()
            reader = _numpy_reader(kernel, problems, table, None, None)
            with mock.patch.object(
                codes_module,
                "native_read_codes",
                codes_module.native_read_codes if compiled else None,
            ):
                if compiled:
                    direct = reader._compiled_block(0, rows)
                block = reader.block(0, rows)
            return block, problems, direct if compiled else None

        ours, our_problems, direct = read(True)
        theirs, their_problems, _ = read(False)
        assert (direct is None) == bool(their_problems.count)
        for name in ("states", "values", "points"):
            a, b = getattr(ours, name), getattr(theirs, name)
            assert (a is None) == (b is None)
            if a is not None:
                assert (a.dtype, a.shape) == (b.dtype, b.shape)
                assert a.tobytes() == b.tobytes(), name  # bit for bit, -0.0 included
        assert our_problems.result() == their_problems.result()

    def test_refuses_arrays_of_the_wrong_kind(self) -> None:
        np = pytest.importorskip("numpy")
        native = _compiled()
        codes = np.zeros((2, 3))
        sizes, starts = np.full(3, 2, dtype=np.int64), np.arange(3, dtype=np.int64) * 2
        values, points = np.zeros(6), np.zeros(6)
        states, out = np.empty((3, 2), dtype=np.int8), np.empty((3, 2))
        assert native.read_codes(codes, sizes, starts, values, points, states, out, None, 0, 3) == 0
        with pytest.raises(TypeError, match="codes"):
            native.read_codes(
                codes.astype(np.float32), sizes, starts, values, points, states, out, None, 0, 3
            )
        with pytest.raises(TypeError, match="states_out"):
            native.read_codes(codes, sizes, starts, values, points, out, out, None, 0, 3)
        with pytest.raises(TypeError, match="column per question"):
            native.read_codes(
                codes[:, :2].copy(), sizes, starts, values, points, states, out, None, 0, 3
            )
        with pytest.raises(ValueError, match="out of range"):
            native.read_codes(codes, sizes + 5, starts, values, points, states, out, None, 0, 3)
        with pytest.raises(ValueError, match="contiguous"):
            native.read_codes(codes, sizes, starts, values, points, states, out[:, :1], None, 0, 3)


def _scales(sizes: list[int]) -> Any:
    """A questionnaire of one scale question per size, each with that many options."""
    from weltoffen import Dimension, Option, Questionnaire, Scale, ScaleQuestion

    scales = tuple(
        Scale(id=f"s{k}", options=tuple(Option(value=f"o{i}", points=i * 0.5) for i in range(size)))
        for k, size in enumerate(sizes)
    )
    questions = tuple(ScaleQuestion(id=f"q{k}", scale=f"s{k}") for k in range(len(sizes)))
    return Questionnaire(
        id="codes", scales=scales, dimensions=(Dimension(id="d", questions=questions),)
    )
