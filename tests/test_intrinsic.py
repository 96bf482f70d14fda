"""The dimension estimate that routes searches (``smotekit._intrinsic``)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smotekit._intrinsic import NEIGHBOURS, QUERY_ROWS, intrinsic_dimension


def estimate_by_definition(X):
    """Levina-Bickel over the sampled rows' exact nearest other rows."""
    n = len(X)
    reference = X[np.linspace(0, n - 1, min(n, 16_384)).astype(np.intp)]
    m = len(reference)
    if m <= NEIGHBOURS + 1:
        return np.inf
    rows = np.linspace(0, m - 1, min(m, QUERY_ROWS)).astype(np.intp)
    found = []
    for r in rows:
        d = np.sqrt(((reference - reference[r]) ** 2).sum(axis=1))
        d[r] = np.inf
        found.append(np.sort(d)[:NEIGHBOURS])
    distances = np.array(found)
    distances = distances[distances[:, 0] > 0]
    if len(distances) < len(rows) // 2:
        return np.inf
    logs = np.log(distances[:, -1:] / distances[:, :-1]).mean(axis=1)
    return float(1.0 / logs.mean()) if logs.mean() > 0 else np.inf


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(5, 400),
    d=st.integers(1, 14),
    levels=st.sampled_from([0, 3, 12]),
    offset=st.sampled_from([0.0, 1e6, -3e3]),
    seed=st.integers(0, 2**16),
)
def test_the_estimate_reads_the_exact_nearest_distances(n, d, levels, offset, seed):
    # continuous points or a grid (ties, repeated points that tell nothing),
    # far from the origin or not: the estimate of the exact neighbours
    rng = np.random.default_rng(seed)
    X = rng.integers(0, levels, (n, d)) if levels else rng.standard_normal((n, d))
    X = offset + X.astype(np.float64)
    got, want = intrinsic_dimension(X), estimate_by_definition(X)
    if np.isinf(want):
        assert np.isinf(got)
    else:
        np.testing.assert_allclose(got, want, rtol=1e-9)


def test_points_that_all_repeat_cannot_be_told():
    X = np.repeat(np.random.default_rng(0).normal(size=(5, 3)), 40, axis=0)
    assert np.isinf(intrinsic_dimension(X))


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(2, 300),
    d=st.integers(1, 12),
    scale=st.sampled_from([1.0, 1e-3, 1e4]),
    seed=st.integers(0, 2**16),
)
def test_off_axis_ratio_compares_the_columns_and_the_principal_axes(n, d, scale, seed):
    from smotekit._intrinsic import off_axis_ratio

    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) @ rng.normal(size=(d, d)) * scale
    got = off_axis_ratio(X)
    centred = X - X.mean(axis=0)
    gram = centred.T @ centred

    def ratio(v):
        v = np.clip(v, 0, None)
        return v.sum() ** 2 / (v**2).sum()

    want = ratio(np.diagonal(gram)) / ratio(np.linalg.eigvalsh(gram))
    np.testing.assert_allclose(got, max(1.0, want), rtol=1e-6)
    assert 1.0 <= got <= d + 1e-9  # the diagonal never spreads less
    # neither the order of the columns nor a common unit changes it
    order = rng.permutation(d)
    np.testing.assert_allclose(off_axis_ratio(X[:, order] * 3.0), got, rtol=1e-6)


def test_off_axis_ratio_tells_points_near_a_few_directions_from_wide_columns():
    from smotekit._intrinsic import off_axis_ratio

    rng = np.random.default_rng(0)
    rotated = rng.normal(size=(5000, 3)) @ rng.normal(size=(3, 20))
    assert off_axis_ratio(rotated) > 2
    along_axes = np.zeros((5000, 20))
    along_axes[:, :3] = rng.normal(size=(5000, 3)) * [1.0, 30.0, 900.0]
    assert off_axis_ratio(along_axes) == pytest.approx(1.0, abs=0.01)
    graded = rng.normal(size=(5000, 20)) * 0.7 ** np.arange(20)
    assert off_axis_ratio(graded) == pytest.approx(1.0, abs=0.02)
    assert off_axis_ratio(np.zeros((10, 4))) == 1.0  # no spread
