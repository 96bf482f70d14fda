"""The row builders write exactly the rows their provenance describes."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smotekit import _generation
from smotekit._generation import copy_rows_into, interpolate_into, take_into

DTYPES = [np.bool_, np.int8, np.uint16, np.int32, np.float32, np.float64]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n_features", [1, 3, 5, 8])
def test_take_into_equals_fancy_indexing(dtype, n_features, monkeypatch):
    # small blocks so several threads share the rows
    monkeypatch.setattr(_generation, "BLOCK_ROWS", 7)
    rng = np.random.RandomState(n_features)
    X = (rng.standard_normal((40, n_features)) * 50).astype(dtype)
    parent = rng.randint(0, 40, size=100)
    out = np.full((100, n_features), 1, dtype=dtype)
    take_into(out, X, parent)
    np.testing.assert_array_equal(out, X[parent])


def test_take_into_handles_views_and_offsets():
    rng = np.random.RandomState(0)
    base = rng.standard_normal((50, 7)).astype(np.float32)
    X = base[1:, 1:]  # not C-contiguous
    parent = rng.randint(0, 49, size=30)
    out = np.empty((31, 6), np.float32)[1:]  # C-contiguous, offset by one row
    take_into(out, X, parent, block_rows=4)
    np.testing.assert_array_equal(out, X[parent])
    contiguous = np.ascontiguousarray(base)[1:]  # offset 28 bytes: not 8-aligned
    out = np.empty((30, 7), np.float32)
    take_into(out, contiguous, parent, block_rows=4)
    np.testing.assert_array_equal(out, contiguous[parent])


def test_take_into_keeps_nan_and_signed_zero_bits():
    X = np.array([[np.nan, -0.0], [np.inf, 1.5]])
    out = np.empty((3, 2))
    take_into(out, X, np.array([0, 1, 0]))
    assert out.tobytes() == X[[0, 1, 0]].tobytes()


@given(
    n=st.integers(0, 300),
    d=st.integers(1, 6),
    block=st.integers(1, 64),
    dtype=st.sampled_from(DTYPES),
)
@settings(max_examples=60, deadline=None)
def test_copy_rows_into_is_a_copy_for_any_block_size(n, d, block, dtype):
    X = np.arange(n * d).reshape(n, d).astype(dtype)
    out = np.zeros((n, d), dtype=dtype)
    copy_rows_into(out, X, block_rows=block)
    np.testing.assert_array_equal(out, X)


@given(block=st.integers(1, 50), seed=st.integers(0, 2**16))
@settings(max_examples=40, deadline=None)
def test_interpolation_does_not_depend_on_blocks(block, seed):
    rng = np.random.RandomState(seed)
    X = rng.standard_normal((30, 4)).astype(np.float32)
    parent, neighbor = rng.randint(0, 30, 90), rng.randint(0, 30, 90)
    gap = rng.random_sample(90).astype(np.float32)
    whole, blocked = np.empty((90, 4), np.float32), np.empty((90, 4), np.float32)
    interpolate_into(whole, X, parent, neighbor, gap, block_rows=90)
    interpolate_into(blocked, X, parent, neighbor, gap, block_rows=block)
    assert whole.tobytes() == blocked.tobytes()
    expected = X[parent] + gap[:, None] * (X[neighbor] - X[parent])
    assert whole.tobytes() == expected.tobytes()
