"""The scan of many queries at once gives the row-wise scan's answer."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smotekit import _column_ties
from smotekit._kernels import exact_ties_from_products
from smotekit._units import point_units


def _row_wise(units, sq, query, k, cap):
    ind = np.zeros((len(query), cap), dtype=np.int64)
    dist = np.zeros((len(query), cap))
    counts = np.zeros(len(query), dtype=np.int64)
    products = units.rows[query] @ units.cols
    exact_ties_from_products(products, sq, query, k, ind, dist, counts, 0)
    return ind, dist, counts


def _by_lanes(units, sq, query, k, cap):
    ind = np.zeros((len(query), cap), dtype=np.int64)
    dist = np.zeros((len(query), cap))
    counts = np.full(len(query), -7, dtype=np.int64)
    for a in range(0, len(query), _column_ties.LANES):
        b = min(a + _column_ties.LANES, len(query))
        _column_ties.column_ties(units, sq, query, a, b, k, ind, dist, counts)
    return ind, dist, counts


def _assert_same(got, want):
    ind, dist, counts = got
    assert counts.tolist() == want[2].tolist()
    for i, c in enumerate(counts):
        if c >= 0:  # -1: more ties than the lists hold (their entries unspecified)
            assert ind[i, :c].tolist() == want[0][i, :c].tolist()
            assert dist[i, :c].tobytes() == want[1][i, :c].tobytes()


@settings(max_examples=80, deadline=None)
@given(
    n=st.integers(2, 260),
    d=st.integers(1, 8),
    levels=st.integers(2, 6),
    k=st.integers(1, 6),
    n_queries=st.integers(1, 150),
    cap=st.sampled_from([1, 3, 64]),
    kept_cap=st.sampled_from([1, 4, 256]),
    chunk=st.sampled_from([1, 5, 64, 2048]),
    dtype=st.sampled_from([np.float32, np.float64]),
    seed=st.integers(0, 2**16),
)
def test_lanes_give_the_row_wise_answer(n, d, levels, k, n_queries, cap, kept_cap,
                                        chunk, dtype, seed):  # fmt: skip
    # integer points (repeats and ties at every distance), queries in any
    # order, partial blocks of lanes, chunks of any size, lanes that keep
    # too many and are scanned on their own, lists too short for the ties
    rng = np.random.default_rng(seed)
    points = rng.integers(-levels, levels, (n, d)).astype(np.float64)
    k = min(k, n - 1)
    query = rng.choice(n, size=min(n_queries, n), replace=False)
    units = point_units(points, exact=dtype)
    sq = units.sq.astype(dtype)
    want = _row_wise(units, sq, query, k, cap)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(_column_ties, "CHUNK", chunk)
        m.setattr(_column_ties, "KEPT_CAP", kept_cap)
        got = _by_lanes(units, sq, query, k, cap)
    _assert_same(got, want)


def test_a_one_hot_table_past_a_chunk_gives_the_row_wise_answer():
    # several chunks, every lane of several blocks, most rows tied
    rng = np.random.default_rng(0)
    points = np.eye(4)[rng.integers(0, 4, (5000, 5))].reshape(5000, 20)
    query = np.arange(0, 5000, 3)
    units = point_units(points, exact=np.float32)
    sq = units.sq.astype(np.float32)
    want = _row_wise(units, sq, query, 3, 64)
    got = _by_lanes(units, sq, query, 3, 64)
    _assert_same(got, want)
    assert (got[2] > 3).mean() > 0.5  # most lists hold more than k: ties
