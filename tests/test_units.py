"""The points in the units of the bounded products (``smotekit._units``)."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smotekit._units import point_units


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
