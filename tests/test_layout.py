"""The preparation of a tiled search: centre, scale, spatial order, layout."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smotekit import _layout
from smotekit._layout import Layout, _select, centre_and_scale, spatial_order


@settings(max_examples=80, deadline=None)
@given(
    n=st.integers(1, 120),
    levels=st.integers(1, 6),
    lo_frac=st.floats(0, 1),
    span=st.floats(0, 1),
    nth_frac=st.floats(0, 1),
    budget=st.sampled_from([0, 1, 50]),
    seed=st.integers(0, 2**32 - 1),
)
def test_select_puts_the_smaller_keys_first(
    n, levels, lo_frac, span, nth_frac, budget, seed
):
    rng = np.random.default_rng(seed)
    keys = rng.integers(0, levels, size=n).astype(np.float64)  # many ties
    original = keys.copy()
    order = np.arange(n)
    lo = int(lo_frac * (n - 1))
    hi = min(n, lo + 1 + int(span * (n - lo)))
    nth = lo + int(nth_frac * (hi - lo - 1))
    _select(keys, order, lo, hi, nth, budget)
    assert (keys[lo:nth] <= keys[nth]).all() and (keys[nth:hi] >= keys[nth]).all()
    assert keys[nth] == np.sort(original[lo:hi])[nth - lo]
    # the keys travel with their rows; nothing outside the range moves
    np.testing.assert_array_equal(keys, original[order])
    assert sorted(order[lo:hi].tolist()) == list(range(lo, hi))
    np.testing.assert_array_equal(order[:lo], np.arange(lo))
    np.testing.assert_array_equal(order[hi:], np.arange(hi, n))


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 300),
    leaf=st.integers(1, 40),
    levels=st.sampled_from([2, 5, 1000]),
    seed=st.integers(0, 2**32 - 1),
)
def test_spatial_order_of_a_line_is_sorted_leaves(n, leaf, levels, seed):
    # in one dimension every split is at a median: the leaves follow each other
    values = np.random.default_rng(seed).integers(0, levels, size=(n, 1)).astype(float)
    order = spatial_order(values, leaf)
    assert sorted(order.tolist()) == list(range(n))
    runs = [values[order[s : s + leaf], 0] for s in range(0, n, leaf)]
    for left, right in itertools.pairwise(runs):
        assert left.max() <= right.min()


def test_spatial_order_splits_the_widest_coordinate():
    rng = np.random.default_rng(0)
    points = np.column_stack([rng.random(64), 100 * rng.random(64)])
    order = spatial_order(points, 32)
    first, second = points[order[:32], 1], points[order[32:], 1]
    assert first.max() <= second.min()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_centre_and_scale_bring_every_coordinate_below_one(dtype, monkeypatch):
    monkeypatch.setattr(_layout, "ROWS_PER_BLOCK", 7)  # several blocks
    rng = np.random.default_rng(1)
    fit = (rng.standard_normal((50, 3)) * [1, 1e3, 1e-3] + 5).astype(dtype)
    query = (rng.standard_normal((20, 3)) * 40).astype(dtype)
    center, scale = centre_and_scale(fit, query)
    np.testing.assert_allclose(center, fit.astype(np.float64).mean(axis=0))
    assert np.log2(scale) == int(np.log2(scale))
    largest = max(
        np.abs((points.astype(np.float64) - center) * scale).max()
        for points in (fit, query)
    )
    assert 0.5 <= largest < 1  # the largest power of two that fits


def test_centre_and_scale_of_one_point():
    center, scale = centre_and_scale(np.array([[3.0, -1.0]]), None)
    assert center.tolist() == [3.0, -1.0] and scale == 1.0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("ordered", [False, True])
def test_layout_is_the_centred_scaled_rows(dtype, ordered, monkeypatch):
    monkeypatch.setattr(_layout, "ROWS_PER_BLOCK", 5)
    rng = np.random.default_rng(2)
    points = rng.standard_normal((23, 4)).astype(np.float32)
    order = rng.permutation(23) if ordered else None
    center, scale = np.array([0.5, -1.0, 0.0, 2.0]), 0.25
    layout = Layout(points, center, scale, dtype, order)
    rows = points if order is None else points[order]
    centred = (rows.astype(np.float64) - center) * scale
    np.testing.assert_array_equal(layout.points, centred.astype(dtype))
    np.testing.assert_allclose(layout.half_sq64, 0.5 * (centred**2).sum(axis=1))
    np.testing.assert_array_equal(layout.half_sq, layout.half_sq64.astype(dtype))


def test_subnormal_data_gets_the_largest_finite_scale():
    # an extent below 2**-1023 asked for a power of two past float64's range:
    # the scale was inf and the search returned index -1 for every row
    X = np.array([[5e-324], [-5e-324], [1.5e-323]])
    _, scale = centre_and_scale(X, None)
    assert scale == 2.0**1023
    from smotekit._brute import brute_kneighbors

    _, ind = brute_kneighbors(X, None, 1)
    assert ind.ravel().tolist() == [1, 0, 0]  # row 0: tied at 1e-323, lower index
