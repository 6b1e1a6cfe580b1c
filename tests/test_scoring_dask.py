"""Scoring a Dask DataFrame gives what scoring the whole pandas frame gives."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from typing import Any

import pytest

from tests.helpers import pandas_frame, random_responses
from weltoffen import compile
from weltoffen.instruments import load_instrument
from weltoffen.scoring.batch import result_columns, score_many
from weltoffen.scoring.dask import score_dask
from weltoffen.scoring.plan import ScoringPlan

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")
dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")


@pytest.fixture(autouse=True)
def keep_objects() -> Iterator[None]:
    """Dask makes object columns strings by default: numbers beside state names would be lost."""
    with dask.config.set({"dataframe.convert-string": False}):
        yield


@pytest.fixture(scope="module")
def plan() -> ScoringPlan:
    return compile(load_instrument("weltoffene-kommune", "1.0"))


@pytest.fixture(scope="module")
def frame(plan: ScoringPlan) -> Any:
    responses = list(random_responses(plan, 300, seed=11))
    data = pandas_frame(plan, responses)
    data.insert(0, "who", [r.respondent for r in responses])
    data.index = [i * 7 for i in range(len(data))]  # not 0..n-1: the index must carry over
    return data


def _same(expected: Any, actual: Any) -> None:
    assert list(expected.columns) == list(actual.columns)
    assert expected.index.tolist() == actual.index.tolist()
    pd.testing.assert_frame_equal(expected, actual, check_exact=True)


class TestPlanTravels:
    def test_the_plan_pickles_to_an_equal_plan(self, plan: ScoringPlan) -> None:
        """Workers get the plan by pickle; it must come back equal and score the same."""
        copy = pickle.loads(pickle.dumps(plan))
        assert plan == copy


class TestScoreDask:
    def test_partitions_score_as_the_whole_frame(self, plan: ScoringPlan, frame: Any) -> None:
        expected = score_many(plan, frame, keep=["who"])
        lazy = score_dask(plan, dd.from_pandas(frame, npartitions=4), keep=["who"])
        assert ["who", *result_columns(plan)] == list(lazy.columns)
        with dask.config.set(scheduler="synchronous"):
            _same(expected, lazy.compute())

    def test_on_a_local_cluster_with_worker_processes(self, plan: ScoringPlan, frame: Any) -> None:
        """The plan crosses a process boundary and the numbers survive the trip."""
        expected = score_many(plan, frame)
        with (
            distributed.LocalCluster(
                n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            actual = client.compute(score_dask(plan, dd.from_pandas(frame, npartitions=3))).result()
        _same(expected, actual)

    def test_bad_values_fail_when_computed(self, plan: ScoringPlan, frame: Any) -> None:
        broken = frame.copy()
        broken.iloc[5, 1] = "no such option"
        lazy = score_dask(plan, dd.from_pandas(broken, npartitions=2))
        with dask.config.set(scheduler="synchronous"), pytest.raises(ValueError):
            lazy.compute()

    def test_only_dask_frames(self, plan: ScoringPlan, frame: Any) -> None:
        with pytest.raises(TypeError):
            score_dask(plan, frame)
