"""The dask samplers equal the in-memory ones on data of extreme magnitude:
every block is searched, and its neighbour lists merged, at the scale the
in-memory search uses."""

import warnings

import numpy as np
import pytest

import smotekit as sk


def _dask_fit(sampler_name, X, y, chunks, **params):
    dask = pytest.importorskip("dask")
    da = pytest.importorskip("dask.array")
    import smotekit.dask as skd

    with dask.config.set(scheduler="synchronous"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sampler = getattr(skd, sampler_name)(random_state=0, **params)
        X_res, _ = sampler.fit_resample(
            da.from_array(X, chunks=(chunks, X.shape[1])),
            da.from_array(y, chunks=chunks),
        )
        return X_res.compute()


def test_dask_smote_near_float64_max_equals_in_memory():
    # Formerly: with the class split in several blocks (small memory_budget),
    # each block's neighbours come with distances in the caller's units
    # (dask/_tasks.py), inf past float64's largest, and merge_topk
    # (_tasks.py) sorts them by (distance, index): inf ties are
    # settled by index, not by the true distance. Row 24's neighbour is row
    # 7 in dask, row 33 in memory.
    # Expected: the computed dask result equals the in-memory result.
    rng = np.random.default_rng(0)
    y = np.r_[np.zeros(28, int), np.ones(12, int)]
    rng.shuffle(y)
    X = rng.uniform(-1, 1, (40, 2)) * 1.7e308
    memory, _ = sk.SMOTE(random_state=0).fit_resample(X, y)
    result = _dask_fit("SMOTE", X, y, chunks=4, memory_budget=64)
    np.testing.assert_array_equal(result, memory)


def test_dask_borderline_smote_on_subnormal_values_equals_in_memory():
    # Formerly: the danger test merges the neighbours found in every partition
    # (_base.py _around -> _tasks.merge_topk) on distances unscaled to the
    # subnormal range, where distinct distances round to the same value:
    # false ties broken by index, other danger counts, other rows; with the
    # default memory budget too. The same data times 2**1074 (an integer
    # grid) gives equal results, so the difference is the scale alone.
    # Expected: the computed dask result equals the in-memory result.
    rng = np.random.default_rng(0)
    y = np.r_[np.zeros(40, int), np.ones(20, int)]
    rng.shuffle(y)
    X = rng.integers(-60, 60, (60, 2)) * 5e-324
    memory, _ = sk.BorderlineSMOTE(random_state=0).fit_resample(X, y)
    result = _dask_fit("BorderlineSMOTE", X, y, chunks=5)
    np.testing.assert_array_equal(result, memory)
