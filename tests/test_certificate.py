"""The tiled search starts in float64 where float32 cannot certify its rows,
and its answer stays the exact one whichever pass it starts with."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smotekit import ExactNeighbors, _brute
from smotekit._brute import brute_kneighbors, single_threaded_blas
from smotekit._certificate import (
    SAMPLE,
    error_bound,
    float32_failing_share,
    is_uncertain,
    leaf_failing_share,
)
from smotekit._layout import centre_and_scale, spatial_order


def _reference(X, Q, k):
    """Exact neighbours (float64 distances, ties by index); ``Q=None``: each
    row of ``X`` among the others."""
    X = np.asarray(X, dtype=np.float64)
    queries = X if Q is None else np.asarray(Q, dtype=np.float64)
    d2 = ((queries[:, None, :] - X[None, :, :]) ** 2).sum(-1)
    if Q is None:
        np.fill_diagonal(d2, np.inf)
    order = np.lexsort((np.broadcast_to(np.arange(len(X)), d2.shape), d2), axis=1)
    return order[:, :k]


def _flagged(n, d, seed=0, big=1e6):
    """Gaussian columns beside a 0/1 flag coded 0 or ``big``."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    X[:, -1] = rng.integers(0, 2, n) * big
    return X


def _units(n, d, seed=0):
    """Gaussian columns, then a count up to 100 and one up to a million."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)).astype(np.float32)
    X[:, -2] = rng.integers(0, 100, n)
    X[:, -1] = rng.integers(0, 10**6, n)
    return X


def _clusters(n, d, seed=0, width=1e-4, apart=100.0, n_clusters=6):
    """Tight Gaussian clusters ``width`` wide, ``apart`` from each other in
    every column alike (their columns spread equally)."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(-apart, apart, (n_clusters, d))
    return centres[rng.integers(0, n_clusters, n)] + width * rng.standard_normal((n, d))


def _forecast_everywhere(monkeypatch):
    """Ask for the forecast whatever the size of the search."""
    monkeypatch.setattr(_brute, "FORESIGHT_MIN_WORK", 0)
    monkeypatch.setattr(_brute, "FORESIGHT_MIN_QUERIES", 0)


def _spy_passes(monkeypatch):
    """(rows, dtype) of every tiled pass, small searches included (which
    otherwise compute every pair on such tables)."""
    monkeypatch.setattr(_brute, "SMALL_PAIRS", 0)
    passes = []
    original = _brute._search

    def spy(fit_raw, query_raw, k, dtype, *args, **kwargs):
        passes.append((len(query_raw), np.dtype(dtype).name))
        return original(fit_raw, query_raw, k, dtype, *args, **kwargs)

    monkeypatch.setattr(_brute, "_search", spy)
    return passes


def _actual_failing_share(X, k):
    """Share of the forecast's sample rows that a float32 pass leaves uncertain
    (not tied)."""
    with single_threaded_blas():
        _, _, uncertain, tied = _brute._search(
            X, X, k, np.dtype(np.float32), 64, 2, True
        )
    rows = np.unique(np.linspace(0, len(X) - 1, SAMPLE).astype(np.int64))
    return float((uncertain & ~tied)[rows].mean())


@pytest.mark.parametrize(
    ("X", "expected"),
    [
        (np.random.default_rng(1).standard_normal((3000, 12)), 0.0),
        (np.random.default_rng(1).standard_normal((3000, 40)).astype(np.float32), 0.0),
        (_flagged(3000, 12), 1.0),
        (_units(3000, 60), 1.0),
    ],
    ids=["gaussian", "gaussian-f32", "flag", "units"],
)
def test_the_forecast_matches_the_float32_pass(X, expected):
    k = 5
    width = k + _brute.MARGIN + 1
    center, scale = centre_and_scale(X, None)
    share = float32_failing_share(X, X, center, scale, k, width, True)
    assert share == expected if expected == 0.0 else share >= 0.9
    assert abs(_actual_failing_share(X, k) - share) <= 0.1


def test_the_forecast_ignores_exact_ties():
    # a grid: k-th and first excluded neighbours tie exactly (float64
    # settles them no better than float32, they take the wide pass)
    grid = np.stack(np.meshgrid(*[np.arange(8.0)] * 4), -1).reshape(-1, 4)
    center, scale = centre_and_scale(grid, None)
    assert float32_failing_share(grid, grid, center, scale, 5, 10, True) == 0.0


@pytest.mark.parametrize(("X", "expected"),
                         [(_flagged(2000, 8, seed=3), 1.0),
                          (_flagged(2000, 8, seed=3, big=1.0), 0.0)])  # fmt: skip
def test_the_forecast_of_a_query_search(X, expected):
    Q = X[:300] + np.random.default_rng(0).standard_normal((300, 8)) * 1e-2
    center, scale = centre_and_scale(X, Q)
    assert float32_failing_share(X, Q, center, scale, 5, 10, False) == expected


@pytest.mark.parametrize("query", [False, True])
def test_a_class_float32_cannot_rank_starts_in_float64(monkeypatch, query):
    _forecast_everywhere(monkeypatch)
    X = _flagged(900, 10, seed=2)
    Q = _flagged(150, 10, seed=5) if query else None
    passes = _spy_passes(monkeypatch)
    _, got = brute_kneighbors(X, Q, 6, n_threads=2, tile=64)
    n_rows = len(X if Q is None else Q)
    assert passes == [(n_rows, "float64")]
    np.testing.assert_array_equal(got, _reference(X, Q, 6))


@pytest.mark.parametrize("query", [False, True])
def test_a_small_search_of_a_class_float32_cannot_rank_computes_every_pair(
    monkeypatch, query
):
    X = _flagged(900, 10, seed=2)
    Q = _flagged(150, 10, seed=5) if query else None
    passes = []
    monkeypatch.setattr(_brute, "_search", lambda *a, **k: passes.append(a))
    _, got = brute_kneighbors(X, Q, 6, n_threads=2, tile=64)
    assert passes == []  # no tiled pass
    np.testing.assert_array_equal(got, _reference(X, Q, 6))


def test_a_class_float32_ranks_stays_in_float32(monkeypatch):
    _forecast_everywhere(monkeypatch)
    X = np.random.default_rng(4).standard_normal((900, 10))
    passes = _spy_passes(monkeypatch)
    _, got = brute_kneighbors(X, None, 6, n_threads=2, tile=64)
    assert passes == [(900, "float32")]
    np.testing.assert_array_equal(got, _reference(X, None, 6))


def test_small_searches_skip_the_forecast(monkeypatch):
    calls = []
    monkeypatch.setattr(_brute, "float32_failing_share", lambda *a: calls.append(a))
    X = _flagged(900, 10, seed=2)
    passes = _spy_passes(monkeypatch)
    _, got = brute_kneighbors(X, None, 6, n_threads=2, tile=64)
    assert calls == []
    # the float32 pass failed on most rows: made again in float64, whole
    assert passes == [(900, "float32"), (900, "float64")]
    np.testing.assert_array_equal(got, _reference(X, None, 6))


def test_a_float32_pass_failing_on_a_few_rows_researches_only_those(monkeypatch):
    # a tight cluster among spread points: only the cluster's rows fail
    rng = np.random.RandomState(3)
    X = np.vstack([rng.standard_normal((800, 16)),
                   0.5 + rng.standard_normal((60, 16)) * 1e-9])  # fmt: skip
    passes = _spy_passes(monkeypatch)
    _, got = brute_kneighbors(X, None, 6, n_threads=2, tile=64)
    assert passes[0] == (860, "float32")
    assert all(rows < 860 / 2 for rows, _ in passes[1:])
    assert "float64" in {dtype for _, dtype in passes[1:]}
    np.testing.assert_array_equal(got, _reference(X, None, 6))


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(12, 400),
    d=st.integers(2, 12),
    big=st.sampled_from([1.0, 1e3, 1e6, 1e9]),
    levels=st.integers(2, 5),
    foresee=st.booleans(),
    n_threads=st.integers(1, 3),
    dtype=st.sampled_from([np.float32, np.float64]),
    seed=st.integers(0, 2**16),
)
def test_mixed_units_give_the_exact_neighbours_on_every_route(
    n, d, big, levels, foresee, n_threads, dtype, seed
):
    # Gaussian columns beside one of few levels in large units: whichever
    # pass the search starts with, the answer is the exact one
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    X[:, 0] = rng.integers(0, levels, n) * big
    X = X.astype(dtype)
    k = min(5, n - 1)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_brute, "FORESIGHT_MIN_WORK", 0 if foresee else np.inf)
        mp.setattr(_brute, "FORESIGHT_MIN_QUERIES", 0)
        _, got = brute_kneighbors(X, None, k, n_threads=n_threads, tile=16)
        _, got_q = brute_kneighbors(X[: n // 2 + 1], X, k, n_threads=n_threads,
                                    tile=16)  # fmt: skip
    np.testing.assert_array_equal(got, _reference(X, None, k))
    np.testing.assert_array_equal(got_q, _reference(X[: n // 2 + 1], X, k))


def test_columns_of_equal_spread_skip_the_forecast(monkeypatch):
    # float32 certifies such classes but for a few rows: no sample is paid for
    _forecast_everywhere(monkeypatch)
    calls = []
    monkeypatch.setattr(_brute, "float32_failing_share", lambda *a: calls.append(a))
    X = np.random.default_rng(6).standard_normal((700, 20)) * 1e6
    _, got = brute_kneighbors(X, None, 6, n_threads=2, tile=64)
    assert calls == []
    np.testing.assert_array_equal(got, _reference(X, None, 6))


def test_a_few_query_rows_skip_the_forecast(monkeypatch):
    # forecasting 64 rows would cost as much as searching a few
    monkeypatch.setattr(_brute, "FORESIGHT_MIN_WORK", 0)
    calls = []
    monkeypatch.setattr(_brute, "float32_failing_share", lambda *a: calls.append(a))
    X, Q = _flagged(900, 10, seed=2), _flagged(40, 10, seed=3)
    _, got = brute_kneighbors(X, Q, 6, n_threads=2, tile=64)
    assert calls == []
    np.testing.assert_array_equal(got, _reference(X, Q, 6))


def test_the_forecast_keeps_a_row_whose_products_round_otherwise():
    # even rows a cluster, odd rows far: each query's nearest points are all
    # among the evenly spaced ones that set the thresholds, and the block
    # products may round one of them one unit above its threshold value
    # (it was dropped, and the row read past its values: IndexError)
    rng = np.random.default_rng(4935)
    X = rng.standard_normal((4411, 55))
    X[1::2, 0] += 1000.0
    Q = rng.standard_normal((2, 55))
    center, scale = centre_and_scale(X, Q)
    with single_threaded_blas():
        share = float32_failing_share(X, Q, center, scale, 5, 10, False)
    # every value at once, sorted: the k-th and the width-th of each row
    points, queries = (X - center) * scale, (Q - center) * scale
    half_sq = 0.5 * (points**2).sum(1)
    values = np.sort(half_sq[None, :] - queries @ points.T, axis=1)
    err = error_bound(np.float32, 55, 0.5 * (queries**2).sum(1), half_sq.max())
    kth, boundary = values[:, 4], values[:, 9]
    fails = is_uncertain(boundary, kth, err) & (boundary > kth)
    assert share == fails.mean()


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(8, 120),
    d=st.integers(1, 6),
    k=st.integers(1, 6),
    levels=st.sampled_from([3, 50, 0]),
    wide=st.sampled_from([1.0, 1e6, 1e12]),
    offset=st.sampled_from([0.0, 1e8, -3e6]),
    step=st.sampled_from([1.0, 0.1, 1e-4]),
    query=st.booleans(),
    dtype=st.sampled_from([np.float64, np.float32]),
    seed=st.integers(0, 2**16),
)
def test_every_pair_gives_the_tiled_passes_answer(
    n, d, k, levels, wide, offset, step, query, dtype, seed
):
    # grid points (ties, repeats) or continuous ones, far from the origin,
    # a column in much larger units: the same neighbours, distances and
    # order, ties by index
    rng = np.random.default_rng(seed)
    X = rng.integers(0, levels, (n, d)) if levels else rng.standard_normal((n, d))
    X = X.astype(np.float64) + 1e-3 * rng.standard_normal((n, d))
    X = offset + step * X
    X[:, 0] *= wide
    X = X.astype(dtype)
    Q = X[rng.integers(0, n, 9)] + dtype(0.5) if query else None
    k = min(k, n - 1)
    with single_threaded_blas():
        ind, sq = _brute._every_pair(X, X if Q is None else Q, k, 2, Q is None)
    tiled = pytest.MonkeyPatch()
    tiled.setattr(_brute, "SMALL_PAIRS", 0)
    try:
        want_dist, want_ind = brute_kneighbors(X, Q, k, n_threads=2, tile=32)
    finally:
        tiled.undo()
    np.testing.assert_array_equal(ind, want_ind)
    np.testing.assert_array_equal(np.sqrt(np.maximum(sq, 0.0)), want_dist)


def test_unequal_spread_of_huge_values_does_not_overflow():
    # the variances' squares pass float64's range long before the distances
    X = np.random.default_rng(0).standard_normal((2000, 10)) * 1e80
    from smotekit._certificate import unequal_spread

    assert not unequal_spread(X)
    X[:, 0] *= 1e6
    assert unequal_spread(X)
    assert ExactNeighbors().fit(X[:, :10]).n_samples_fit_ == 2000


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("query", [False, True])
def test_every_pair_bounds_products_that_round_past_the_gaps(seed, query):
    # two clusters a million apart, points 0.1 wide: the products round by
    # about 1e-4, more than the gaps between neighbours' squared distances;
    # only their bounds keep the true neighbours among the candidates
    rng = np.random.default_rng(seed)
    side = np.where(rng.random(200) < 0.5, -1e6, 1e6)
    X = np.column_stack([side + 0.1 * rng.random(200), 0.1 * rng.random(200)])
    Q = X[::7] + 0.01 if query else None
    with single_threaded_blas():
        ind, sq = _brute._every_pair(X, X if Q is None else Q, 3, 2, Q is None)
    want = _reference(X, Q, 3)
    np.testing.assert_array_equal(ind, want)
    queries = X if Q is None else Q
    d2 = ((queries[:, None, :] - X[None, :, :]) ** 2).sum(-1)  # two features
    np.testing.assert_array_equal(sq, np.take_along_axis(d2, want, 1))


def _leaf_share(X, k=5, leaf=64):
    center, scale = centre_and_scale(X, None)
    width = k + _brute.MARGIN + 1
    return leaf_failing_share(X, center, scale, k, width, spatial_order(X, leaf), leaf)


@pytest.mark.parametrize(
    ("X", "expected"),
    [
        (np.random.default_rng(1).standard_normal((3000, 12)), 0.0),
        (np.random.default_rng(1).standard_normal((3000, 12)) * 1e6 + 5e6, 0.0),
        (_clusters(3000, 12), 1.0),
        (_clusters(3000, 12, width=1.0), 0.0),
    ],
    ids=["gaussian", "gaussian-offset", "tight-clusters", "wide-clusters"],
)
def test_the_leaf_screen_tells_tight_clusters(X, expected):
    assert _leaf_share(X) == expected
    center, scale = centre_and_scale(X, None)
    width = 5 + _brute.MARGIN + 1
    # the forecast it screens for agrees
    forecast = float32_failing_share(X, X, center, scale, 5, width, True)
    assert forecast >= 0.9 if expected else forecast <= 0.1


def test_the_leaf_screen_needs_a_whole_leaf():
    X = _clusters(60, 4, n_clusters=2)
    assert _leaf_share(X, leaf=64) == 0.0  # fewer rows than a leaf
    assert _leaf_share(X, leaf=8) == 0.0  # a leaf no wider than the candidates
    assert _leaf_share(X, leaf=30) == 1.0


def test_tight_clusters_of_equal_spread_start_in_float64(monkeypatch):
    # far-apart clusters narrower than float32 resolves at their norms: the
    # leaves fail the certificate, the forecast confirms, one float64 pass
    _forecast_everywhere(monkeypatch)
    X = _clusters(900, 10, seed=2)
    passes = _spy_passes(monkeypatch)
    _, got = brute_kneighbors(X, None, 6, n_threads=2, tile=64)
    assert passes == [(900, "float64")]
    np.testing.assert_array_equal(got, _reference(X, None, 6))


def test_a_passing_leaf_screen_skips_the_forecast(monkeypatch):
    # the same clusters wide enough for float32: no forecast is paid for
    _forecast_everywhere(monkeypatch)
    calls = []
    monkeypatch.setattr(_brute, "float32_failing_share", lambda *a: calls.append(a))
    X = _clusters(900, 10, seed=2, width=1.0)
    passes = _spy_passes(monkeypatch)
    _, got = brute_kneighbors(X, None, 6, n_threads=2, tile=64)
    assert calls == []
    assert passes[0] == (900, "float32")
    assert all(rows < 900 / 2 for rows, _ in passes[1:])  # a few rows again
    np.testing.assert_array_equal(got, _reference(X, None, 6))


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(70, 400),
    d=st.integers(2, 12),
    width=st.sampled_from([1e-6, 1e-4, 1e-2, 1.0]),
    n_clusters=st.integers(1, 8),
    foresee=st.booleans(),
    n_threads=st.integers(1, 3),
    dtype=st.sampled_from([np.float32, np.float64]),
    seed=st.integers(0, 2**16),
)
def test_clusters_give_the_exact_neighbours_on_every_route(
    n, d, width, n_clusters, foresee, n_threads, dtype, seed
):
    # whichever pass the search starts with (screened, forecast or not),
    # the answer is the exact one
    X = _clusters(n, d, seed, width, n_clusters=n_clusters).astype(dtype)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_brute, "SMALL_PAIRS", 0)
        mp.setattr(_brute, "FORESIGHT_MIN_WORK", 0 if foresee else np.inf)
        mp.setattr(_brute, "FORESIGHT_MIN_QUERIES", 0)
        _, got = brute_kneighbors(X, None, 5, n_threads=n_threads, tile=16)
    np.testing.assert_array_equal(got, _reference(X, None, 5))
