"""Shared data and a two-process LocalCluster for the Dask tests.

Imported by the test modules (not a conftest.py: test folders are not
packages here, and a second conftest module would clash with the top one).
"""

import os

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("dask")
pytest.importorskip("distributed")

__all__ = ["_cluster", "cluster_client", "imbalanced", "imbalanced_frame"]


@pytest.fixture(scope="session")
def imbalanced():
    """Tie-free continuous data: 3 classes, 600 rows, 6 features."""
    rng = np.random.RandomState(7)
    y = np.repeat([0, 1, 2], [450, 110, 40])
    X = rng.normal(size=(len(y), 6)) + y[:, None] * 0.8
    order = rng.permutation(len(y))
    return X[order], y[order]


@pytest.fixture(scope="session")
def imbalanced_frame(imbalanced):
    """The same data as a DataFrame (float32, int16, float64 columns) and labels."""
    X, y = imbalanced
    frame = pd.DataFrame(
        {
            "a": X[:, 0].astype(np.float32),
            "b": X[:, 1],
            "c": np.rint(X[:, 2] * 100).astype(np.int16),
            "d": X[:, 3],
            "e": X[:, 4],
            "f": X[:, 5],
        }
    )
    labels = pd.Series(np.array(["common", "rare", "rarest"])[y], name="label")
    return frame, labels


def _restore_environment(saved):
    """Make ``os.environ`` ``saved`` again."""
    for name in set(os.environ) - set(saved):
        del os.environ[name]
    os.environ.update(saved)


@pytest.fixture(scope="module")
def _cluster():
    """A distributed client on two worker processes (one thread each), made
    once per test module that uses it and closed at the module's end, not
    the default scheduler: the tests without ``cluster_client`` keep the
    threaded scheduler (a client made default would run every later
    compute of the session on the worker processes, ten times slower).

    Module-scoped because the modules import this fixture: each importing
    module has a fixture of its own, so a session-scoped one made a cluster
    per module anyway and kept them all (two worker processes each) until
    the session ended, as children of the test process.

    Each Nanny writes ``distributed.nanny.pre-spawn-environ``
    (``OMP_NUM_THREADS``, ``MKL_NUM_THREADS``, ``OPENBLAS_NUM_THREADS`` = 1,
    ``MALLOC_TRIM_THRESHOLD_``, ``PYTHONHASHSEED``) into this process's
    environment before it starts a worker, and leaves it there: the
    environment is put back once the workers run and again after the
    cluster is closed (a worker restarted by its Nanny writes it again), so
    processes that later tests start do not inherit one-thread BLAS pools.
    """
    distributed = pytest.importorskip("distributed")
    saved = dict(os.environ)
    try:
        with (
            distributed.LocalCluster(
                n_workers=2,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
                silence_logs=50,
            ) as cluster,
            distributed.Client(cluster, set_as_default=False) as client,
        ):
            _restore_environment(saved)  # the workers have started
            yield client
    finally:
        _restore_environment(saved)


@pytest.fixture
def cluster_client(_cluster):
    """The two-process client, the scheduler of every compute in the test."""
    with _cluster.as_current():
        yield _cluster
