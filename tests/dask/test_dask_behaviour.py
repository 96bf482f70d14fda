"""Errors, warnings, fitted attributes and fault tolerance of the Dask samplers."""

import os
import signal
import time

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")

from dask_fixtures import *  # noqa: E402, F403  (fixtures)

import smotekit  # noqa: E402
import smotekit.dask as skdask  # noqa: E402
from smotekit.exceptions import NoDangerSamplesWarning  # noqa: E402


def _dask(X, y, chunks=100):
    return da.from_array(X, chunks=(chunks, X.shape[1])), da.from_array(
        y, chunks=chunks
    )


def test_counts_and_targets_without_computing_the_output(imbalanced):
    X, y = imbalanced
    sampler = skdask.SMOTE(sampling_strategy={1: 200, 2: 100}, random_state=0)
    X_res, y_res = sampler.fit_resample(*_dask(X, y))
    assert dict(sampler.class_counts_) == {0: 450, 1: 110, 2: 40}
    assert dict(sampler.sampling_strategy_) == {1: 90, 2: 60}
    assert X_res.shape == (750, 6) and y_res.shape == (750,)


def test_callable_strategy_gets_the_labels(imbalanced):
    X, y = imbalanced
    seen = []

    def strategy(labels):
        seen.append(len(labels))
        return {2: 50}

    sampler = skdask.RandomOverSampler(sampling_strategy=strategy, random_state=0)
    X_res, _ = sampler.fit_resample(*_dask(X, y))
    assert seen == [len(y)] and X_res.shape[0] == len(y) + 10


def test_rejects_in_memory_data(imbalanced):
    X, y = imbalanced
    with pytest.raises(TypeError, match=r"takes a dask array or a dask DataFrame"):
        skdask.SMOTE().fit_resample(X, y)


def test_rejects_an_estimator_for_k_neighbors(imbalanced):
    X, y = imbalanced
    with pytest.raises(TypeError, match=r"'k_neighbors' parameter .* must be an int"):
        skdask.SMOTE(k_neighbors=smotekit.ExactNeighbors(6)).fit_resample(*_dask(X, y))


def test_bad_memory_budget(imbalanced):
    X, y = imbalanced
    with pytest.raises(ValueError, match=r"'memory_budget' parameter of SMOTE"):
        skdask.SMOTE(memory_budget="lots").fit_resample(*_dask(X, y))


def test_parameters_checked_by_the_in_memory_rules(imbalanced):
    # (neighbour counts, ints only here, get messages of their own)
    X, y = imbalanced
    with pytest.raises(ValueError, match=r"'sampling_strategy' parameter of SMOTE"):
        skdask.SMOTE(sampling_strategy="most").fit_resample(*_dask(X, y))


def test_class_too_small_same_error_as_in_memory(imbalanced):
    X, y = imbalanced
    with pytest.raises(ValueError, match=r"class 2 has 40\. Lower k_neighbors"):
        skdask.SMOTE(k_neighbors=40).fit_resample(*_dask(X, y))


def test_partitions_of_x_and_y_must_match(imbalanced_frame):
    frame, labels = imbalanced_frame
    with pytest.raises(ValueError, match=r"same partitions; X has 3 and y 2"):
        skdask.SMOTE().fit_resample(
            dd.from_pandas(frame, npartitions=3), dd.from_pandas(labels, npartitions=2)
        )


def test_non_finite_values_named_like_in_memory(imbalanced):
    X, y = imbalanced
    X = X.copy()
    X[5, 2] = np.nan
    with pytest.raises(ValueError, match=r"Input X of SMOTE contains 1 NaN"):
        skdask.SMOTE().fit_resample(*_dask(X, y))


def test_no_danger_warning_and_in_danger_indices():
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(size=(60, 2)), rng.normal(size=(15, 2)) + 50])
    y = np.repeat([0, 1], [60, 15])
    with pytest.warns(NoDangerSamplesWarning, match=r"class 1 has no sample in danger"):
        X_mem, _ = smotekit.BorderlineSMOTE(random_state=0).fit_resample(X, y)
    sampler = skdask.BorderlineSMOTE(random_state=0)
    with pytest.warns(NoDangerSamplesWarning, match=r"class 1 has no sample in danger"):
        X_res, _ = sampler.fit_resample(*_dask(X, y, chunks=20))
    assert sampler.in_danger_indices_[1].size == 0
    np.testing.assert_array_equal(X_res.compute(), X_mem)


def test_adasyn_separated_class_raises_at_fit():
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(size=(60, 2)), rng.normal(size=(15, 2)) + 50])
    y = np.repeat([0, 1], [60, 15])
    with pytest.raises(RuntimeError, match=r"ADASYN cannot weight class 1"):
        skdask.ADASYN().fit_resample(*_dask(X, y, chunks=20))


def test_adasyn_exposes_its_allocation(imbalanced):
    X, y = imbalanced
    sampler = skdask.ADASYN(random_state=0)
    sampler.fit_resample(*_dask(X, y))
    rows, counts = sampler.n_synthetic_per_sample_[2]
    assert counts.sum() == sampler.sampling_strategy_[2]
    assert (y[rows] == 2).all()


def test_same_result_after_a_worker_dies(cluster_client, imbalanced):
    """Kill a worker process while the result is computed: same rows."""
    X, y = imbalanced
    X_mem, y_mem = smotekit.SMOTE(random_state=0).fit_resample(X, y)
    dX, dy = _dask(X, y, chunks=15)
    sampler = skdask.SMOTE(random_state=0, memory_budget=600, partition_rows=7)
    X_res, y_res = sampler.fit_resample(dX, dy)
    futures = cluster_client.compute([X_res, y_res])
    victim = sorted(cluster_client.scheduler_info()["workers"])[0]
    pid = cluster_client.run(os.getpid, workers=[victim])[victim]

    def done_tasks(dask_scheduler):
        return sum(ts.state == "memory" for ts in dask_scheduler.tasks.values())

    deadline = time.monotonic() + 30
    while cluster_client.run_on_scheduler(done_tasks) < 5:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    killed_mid_way = not all(f.done() for f in futures)
    os.kill(pid, signal.SIGKILL)  # a worker process of this test's cluster
    X_out, y_out = cluster_client.gather(futures)
    assert killed_mid_way
    np.testing.assert_array_equal(X_out, X_mem)
    np.testing.assert_array_equal(y_out, y_mem)


@pytest.mark.parametrize(
    "sampler",
    [
        skdask.SMOTE(random_state=0),
        skdask.RandomOverSampler(random_state=0),
        skdask.BorderlineSMOTE(random_state=0),
        skdask.ADASYN(random_state=0),
    ],
    ids=lambda s: type(s).__name__,
)
@pytest.mark.parametrize("kind", ["array", "frame"])
def test_no_task_holds_more_than_one_input_partition(
    imbalanced_frame, sampler, kind, monkeypatch
):
    # the class's rows are gathered from per-partition filters, and the output
    # holds the gathered rows, not the partitions: a task that took several
    # whole partitions would need the whole data set in memory
    from dask.core import flatten, get_dependencies

    import dask

    gathered = []
    persist = dask.persist

    def recording_persist(*args, **kwargs):
        gathered.extend(args)
        return persist(*args, **kwargs)

    monkeypatch.setattr(dask, "persist", recording_persist)
    X, y = imbalanced_frame
    if kind == "array":
        X, y = _dask(X.to_numpy(), y.to_numpy())
    else:
        X, y = dd.from_pandas(X, npartitions=6), dd.from_pandas(y, npartitions=6)
    X_res, _ = sampler.fit_resample(X, y)
    inputs = set(flatten(X.__dask_keys__()))
    assert len(gathered) == 2  # one block per over-sampled class

    def most_held(graph):
        return max(
            (
                len(set(get_dependencies(graph, key)) & inputs)
                for key in graph
                if key not in inputs
            ),
            default=0,
        )

    for block in gathered:
        assert most_held(dict(block.__dask_graph__())) == 1
    graph = dict(X_res.__dask_graph__())
    assert inputs <= set(graph)  # the original partitions pass through
    assert most_held(graph) <= 1
