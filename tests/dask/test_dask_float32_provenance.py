"""Dask SMOTE on float32 data: the draws in the data's working dtype, so that
``provenance_`` computed equals the in-memory ``provenance_.to_frame()``."""

import numpy as np
import pandas as pd
import pytest

da = pytest.importorskip("dask.array")

import smotekit  # noqa: E402
import smotekit.dask as skdask  # noqa: E402


@pytest.mark.parametrize("n_parts", [1, 3])
def test_float32_provenance_equals_in_memory(n_parts):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 3)).astype(np.float32)
    y = np.array([0] * 100 + [1] * 20)
    memory = smotekit.SMOTE(random_state=0)
    X_mem, _ = memory.fit_resample(X, y)
    chunk = -(-len(y) // n_parts)
    sampler = skdask.SMOTE(random_state=0)
    X_res, _ = sampler.fit_resample(
        da.from_array(X, chunks=(chunk, 3)), da.from_array(y, chunks=chunk)
    )
    np.testing.assert_array_equal(X_res.compute(), X_mem)
    frame = sampler.provenance_.compute()
    expected = memory.provenance_.to_frame()
    assert frame["gap"].dtype == np.float32
    pd.testing.assert_frame_equal(frame, expected, check_index_type=False)
