"""The points in the units of the bounded products (``smotekit._units``)."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smotekit._units import centred_top, point_units


def exact_sq_distance(a, b):
    return sum(
        (Fraction(float(x)) - Fraction(float(y))) ** 2
        for x, y in zip(a, b, strict=True)
    )


@settings(max_examples=80, deadline=None)
@given(
    n=st.integers(1, 40),
    d=st.integers(1, 12),
    offset=st.sampled_from([0.0, 1e8, -3e6, 1e15]),
    scale=st.sampled_from([1.0, 1e-4, 1e6]),
    wide=st.sampled_from([1.0, 1e9]),
    fortran=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_products_bound_every_squared_distance_within_the_slack(
    n, d, offset, scale, wide, fortran, seed
):
    rng = np.random.default_rng(seed)
    X = offset + scale * rng.standard_normal((n, d))
    X[:, 0] *= wide
    Q = X[rng.integers(0, n, 5)] + scale * rng.standard_normal((5, d))
    if fortran:
        X, Q = np.asfortranarray(X), np.asfortranarray(Q)
    units = point_units(X)
    queries = point_units(Q, like=units, transposed=False)
    assert queries.cols is None and queries.slack == units.slack
    np.testing.assert_array_equal(queries.centre, units.centre)
    np.testing.assert_array_equal(units.cols, units.rows.T)
    assert units.cols.flags.c_contiguous and units.rows.flags.c_contiguous
    np.testing.assert_array_equal(units.rows, X - units.centre)
    products = queries.rows @ units.cols
    for i in range(len(Q)):
        for j in range(n):
            bound = queries.sq[i] + units.sq[j] - 2.0 * products[i, j]
            error = abs(Fraction(float(bound)) - exact_sq_distance(Q[i], X[j]))
            allowed = Fraction(units.slack) * Fraction(
                float(queries.sq[i] + units.sq[j])
            )
            assert error <= allowed + Fraction(1e-300)


@settings(max_examples=80, deadline=None)
@given(
    n=st.integers(1, 30),
    d=st.integers(1, 12),
    offset=st.sampled_from([0.0, 1e8, -3e6, 1e15]),
    scale=st.sampled_from([1.0, 1e-4, 1e6, 1e13]),
    seed=st.integers(0, 2**16),
)
def test_single_units_bound_every_squared_distance_within_their_slack(
    n, d, offset, scale, seed
):
    # float32 where every centred value is 0 or within 2**-40..2**40, else
    # float64; either way the products bound every distance
    rng = np.random.default_rng(seed)
    X = offset + scale * rng.standard_normal((n, d))
    units = point_units(X, single=True)
    centred = X - units.centre
    size = np.abs(centred[centred != 0])
    fits = bool(((size >= 2.0**-40) & (size <= 2.0**40)).all())
    assert (units.rows.dtype == np.float32) is fits
    assert units.slack == (d + 8) * (2.0**-22 if fits else 2.0**-50)
    np.testing.assert_array_equal(units.rows, centred.astype(units.rows.dtype))
    np.testing.assert_array_equal(units.cols, units.rows.T)
    products = units.rows @ units.cols
    for i in range(n):
        for j in range(i, n):
            bound = units.sq[i] + units.sq[j] - 2.0 * np.float64(products[i, j])
            error = abs(Fraction(float(bound)) - exact_sq_distance(X[i], X[j]))
            allowed = Fraction(units.slack) * Fraction(float(units.sq[i] + units.sq[j]))
            assert error <= allowed + Fraction(1e-300)


def test_single_units_keep_float64_out_of_float32s_normal_range():
    base = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 3.0]])
    assert point_units(base, single=True).rows.dtype == np.float32
    assert point_units(base, single=False).rows.dtype == np.float64
    # a value 7e-14 from its column's mean, one 7e12 from it, an infinite one
    for row, shift in ((1, 1e-13), (2, 1e13), (2, np.inf)):
        X = base.copy()
        X[row, 0] += shift
        assert point_units(X, single=True).rows.dtype == np.float64, shift
    # query points share float32 units only when they fit them
    units = point_units(base, single=True)
    assert point_units(base[:1] + 0.5, like=units).rows.dtype == np.float32
    with pytest.raises(ValueError, match="do not fit float32 units"):
        point_units(base[:1] + 1e13, like=units)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 30),
    d=st.integers(1, 10),
    top=st.integers(1, 200),
    dtype=st.sampled_from([np.float32, np.float64]),
    seed=st.integers(0, 2**16),
)
def test_exact_integer_units_give_every_squared_distance_exactly(
    n, d, top, dtype, seed
):
    rng = np.random.default_rng(seed)
    X = rng.integers(-top, top + 1, (n, d)).astype(np.float64)
    units = point_units(X, exact=dtype)
    assert units.slack == 0.0 and units.rows.dtype == dtype
    assert units.sq.dtype == np.float64
    np.testing.assert_array_equal(units.centre, np.zeros(d))
    products = (units.rows @ units.cols).astype(np.float64)
    got = units.sq[:, None] + units.sq[None, :] - 2.0 * products
    want = ((X[:, None, :] - X[None, :, :]) ** 2).sum(-1)
    np.testing.assert_array_equal(got, want)


def test_units_of_an_empty_set_of_rows():
    units = point_units(np.empty((0, 3)))
    assert units.rows.shape == (0, 3) and units.cols.shape == (3, 0)
    assert units.sq.shape == (0,)


@pytest.mark.parametrize("transposed", [True, False])
def test_units_do_not_touch_the_points(transposed):
    X = np.arange(12.0).reshape(4, 3)
    before = X.copy()
    units = point_units(X, transposed=transposed)
    np.testing.assert_array_equal(X, before)
    assert not np.shares_memory(units.rows, X)
    np.testing.assert_allclose(units.centre, X.mean(axis=0))


def test_queries_cannot_share_exact_units():
    # exact units hold for the integer points checked, not for any query
    exact = point_units(np.eye(3), exact=np.float32)
    with pytest.raises(ValueError, match="centred units, not exact"):
        point_units(np.full((1, 3), 0.5), like=exact)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(0, 40),
    d=st.integers(1, 6),
    scale=st.sampled_from([1e-3, 1.0, 1e6]),
    offset=st.sampled_from([0.0, -50.0, 1e9]),
    single=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_centred_top_is_the_largest_squared_norm_of_the_units(
    n, d, scale, offset, single, seed
):
    # without a centred copy: the units' own largest squared norm, in
    # float64 for float32 and float64 points alike
    rng = np.random.default_rng(seed)
    X = offset + scale * rng.normal(size=(n, d))
    if single:
        X = X.astype(np.float32)
    top = centred_top(X)
    assert top == float(point_units(X).sq.max(initial=0.0))
    assert top == centred_top(X.astype(np.float64))
