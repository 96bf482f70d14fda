"""The exact neighbour engine equals brute force, whatever its method and blocks."""

import pickle
import threading

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.datasets import make_classification
from sklearn.exceptions import NotFittedError
from sklearn.neighbors import NearestNeighbors
from threadpoolctl import threadpool_limits

from smotekit import SMOTE, ExactNeighbors, _brute, _grouped, _kdtree, _neighbors
from smotekit._brute import brute_kneighbors
from smotekit._neighbors import check_neighbors_object, neighbors_excluding_self


def _reference(X, k):
    """Exact neighbours by full float64 distances, ties broken by index."""
    X = np.asarray(X, dtype=np.float64)
    d2 = ((X[:, None, :] - X[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(d2, np.inf)
    order = np.lexsort((np.broadcast_to(np.arange(len(X)), d2.shape), d2), axis=1)
    return order[:, :k], np.sqrt(np.take_along_axis(d2, order[:, :k], axis=1))


@pytest.mark.parametrize("d", [2, 9, 40])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("algorithm", ["auto", "kd_tree", "brute"])
def test_self_query_equals_reference(d, dtype, algorithm):
    rng = np.random.RandomState(d)
    X = (rng.standard_normal((300, d)) * 5 + 100).astype(dtype)
    ind, dist = _reference(X, 5)
    nn = ExactNeighbors(n_neighbors=5, algorithm=algorithm, block_size=37).fit(X)
    got_dist, got_ind = nn.kneighbors()
    assert got_ind.shape == (300, 5)
    np.testing.assert_array_equal(got_ind, ind)
    np.testing.assert_allclose(got_dist, dist, rtol=1e-5)


def test_auto_picks_tree_for_low_and_brute_for_high_dimensions():
    rng = np.random.RandomState(0)
    assert ExactNeighbors().fit(rng.rand(50, 3)).algorithm_ == "kd_tree"
    assert ExactNeighbors().fit(rng.rand(50, 64)).algorithm_ == "brute"
    assert ExactNeighbors().fit(sparse.random(50, 3, random_state=0)).algorithm_ == (
        "brute"
    )


def test_sparse_equals_dense():
    X = sparse.random(200, 30, density=0.2, format="csr", random_state=1)
    dense = ExactNeighbors(n_neighbors=4, algorithm="brute").fit(X.toarray())
    sp = ExactNeighbors(n_neighbors=4, algorithm="brute", block_size=13).fit(X)
    np.testing.assert_array_equal(
        sp.kneighbors(return_distance=False), dense.kneighbors(return_distance=False)
    )


@pytest.mark.parametrize("block_size", [1, 7, 1000])
def test_block_size_and_threads_do_not_change_result(block_size):
    rng = np.random.RandomState(3)
    X = rng.standard_normal((150, 20))
    base = ExactNeighbors(n_neighbors=6).fit(X).kneighbors(return_distance=False)
    other = ExactNeighbors(n_neighbors=6, block_size=block_size, n_jobs=2).fit(X)
    np.testing.assert_array_equal(other.kneighbors(return_distance=False), base)


def test_external_queries_match_sklearn():
    rng = np.random.RandomState(4)
    X, Q = rng.standard_normal((400, 5)), rng.standard_normal((50, 5))
    expected = NearestNeighbors(n_neighbors=3).fit(X).kneighbors(Q)[1]
    got = ExactNeighbors(n_neighbors=3).fit(X).kneighbors(Q, return_distance=False)
    np.testing.assert_array_equal(got, expected)


def test_duplicates_never_return_the_point_itself():
    X = np.array([[0.0, 0.0]] * 4 + [[1.0, 1.0], [2.0, 2.0]])
    for algorithm in ("kd_tree", "brute"):
        ind = (
            ExactNeighbors(n_neighbors=3, algorithm=algorithm)
            .fit(X)
            .kneighbors(return_distance=False)
        )
        assert not (ind == np.arange(len(X))[:, None]).any()
        # the three other copies of the origin are the origin's neighbours
        assert set(ind[0].tolist()) == {1, 2, 3}


def test_neighbors_excluding_self_drops_exactly_one_column():
    ind = np.array([[1, 0, 2], [2, 0, 3], [0, 1, 2]])
    dist = np.array([[0.0, 0.0, 1.0], [0.0, 0.5, 1.0], [0.0, 0.0, 2.0]])
    kept, kept_dist = neighbors_excluding_self(ind, dist)
    assert kept.tolist() == [[1, 2], [2, 0], [0, 1]]
    assert kept_dist.tolist() == [[0.0, 1.0], [0.0, 0.5], [0.0, 0.0]]


def test_too_many_neighbours_is_a_clear_error():
    nn = ExactNeighbors(n_neighbors=5).fit(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="cannot return 5 neighbours: only 2"):
        nn.kneighbors()


def test_check_neighbors_object():
    assert check_neighbors_object("k_neighbors", 3).n_neighbors == 4
    est = NearestNeighbors(n_neighbors=7)
    cloned = check_neighbors_object("k_neighbors", est)
    assert cloned is not est and cloned.n_neighbors == 7
    with pytest.raises(TypeError, match="'m_neighbors' parameter must be an int"):
        check_neighbors_object("m_neighbors", "five")


@pytest.mark.parametrize("algorithm", ["kd_tree", "brute"])
def test_pickle_round_trip_keeps_answers(algorithm):
    X = np.random.RandomState(5).standard_normal((60, 3))
    nn = ExactNeighbors(n_neighbors=3, algorithm=algorithm).fit(X)
    before = nn.kneighbors(return_distance=False)
    loaded = pickle.loads(pickle.dumps(nn))
    np.testing.assert_array_equal(loaded.kneighbors(return_distance=False), before)
    np.testing.assert_array_equal(nn.kneighbors(return_distance=False), before)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(("tile", "n_threads"), [(64, 1), (64, 3), (128, 2), (1024, 2)])
def test_tiled_search_is_exact_for_any_tiling(dtype, tile, n_threads):
    rng = np.random.RandomState(11)
    X = rng.standard_normal((500, 24)).astype(dtype)
    Q = rng.standard_normal((130, 24)).astype(dtype)
    ind, dist = _reference(X, 7)
    got_dist, got_ind = brute_kneighbors(X, None, 7, n_threads=n_threads, tile=tile)
    np.testing.assert_array_equal(got_ind, ind)
    np.testing.assert_allclose(got_dist, dist, rtol=1e-6)
    d2 = ((Q[:, None, :].astype(float) - X[None].astype(float)) ** 2).sum(-1)
    expected = np.lexsort((np.broadcast_to(np.arange(500), d2.shape), d2), axis=1)
    _, q_ind = brute_kneighbors(X, Q, 7, n_threads=n_threads, tile=tile)
    np.testing.assert_array_equal(q_ind, expected[:, :7])


def test_certificate_catches_rounding_of_the_product():
    # far from the origin with tiny gaps: float32 products cannot rank these
    # points, the certificate must send them to the float64 / exact passes
    rng = np.random.RandomState(2)
    X = (1e4 + rng.standard_normal((400, 30)) * 1e-3).astype(np.float32)
    X[::7] = X[3]  # duplicates too
    ind, dist = _reference(X, 4)
    got_dist, got_ind = brute_kneighbors(X, None, 4, n_threads=2, tile=64)
    np.testing.assert_allclose(got_dist, dist, rtol=1e-6, atol=1e-9)
    # same neighbour distances; indices equal except among exact ties
    same = got_ind == ind
    assert same.mean() > 0.95
    tied = np.isclose(got_dist, dist)
    assert tied.all()


def _query_reference(X, Q, k):
    d2 = ((Q[:, None, :].astype(float) - X[None].astype(float)) ** 2).sum(-1)
    order = np.lexsort((np.broadcast_to(np.arange(len(X)), d2.shape), d2), axis=1)
    return order[:, :k]


@pytest.mark.parametrize(
    ("dtype", "scale"),
    [
        (np.float32, 1e30),  # squares overflow float32
        (np.float32, 1e-25),  # products underflow float32
        (np.float32, 1e-40),  # subnormal coordinates
        (np.float64, 1e30),  # beyond float32's range
        (np.float64, 1e-45),  # below float32's range
    ],
)
def test_extreme_magnitudes_give_the_exact_neighbours(dtype, scale):
    rng = np.random.RandomState(5)
    X = (rng.standard_normal((400, 12)) * scale).astype(dtype)
    Q = (rng.standard_normal((50, 12)) * scale).astype(dtype)
    ind, _ = _reference(X, 5)
    _, got_ind = brute_kneighbors(X, None, 5, n_threads=2, tile=64)
    np.testing.assert_array_equal(got_ind, ind)
    _, q_ind = brute_kneighbors(X, Q, 5, n_threads=2, tile=64)
    np.testing.assert_array_equal(q_ind, _query_reference(X, Q, 5))


def test_float64_gaps_below_float32_resolution_are_ranked_exactly():
    # a tight cluster (gaps of 1e-12) among spread points: the float32 pass
    # cannot rank inside the cluster, the certificate must send those rows on
    rng = np.random.RandomState(3)
    spread = rng.standard_normal((300, 16))
    tight = 0.5 + rng.standard_normal((100, 16)) * 1e-12
    X = np.vstack([spread, tight])
    ind, _ = _reference(X, 6)
    _, got_ind = brute_kneighbors(X, None, 6, n_threads=2, tile=64)
    np.testing.assert_array_equal(got_ind, ind)
    _, q_ind = brute_kneighbors(X[:350], X[350:], 6, n_threads=2, tile=64)
    np.testing.assert_array_equal(q_ind, _query_reference(X[:350], X[350:], 6))


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(2, 260),
    d=st.integers(1, 6),
    levels=st.integers(1, 6),
    tile=st.sampled_from([8, 16, 48]),
    n_threads=st.integers(1, 3),
    dtype=st.sampled_from([np.float32, np.float64]),
    seed=st.integers(0, 2**16),
)
def test_tiled_self_search_is_exact_on_tied_grids(
    n, d, levels, tile, n_threads, dtype, seed
):
    # few distinct coordinates: many exactly tied distances and duplicate
    # points, whatever order the tiles visit the points in
    X = np.random.RandomState(seed).randint(0, levels, size=(n, d)).astype(dtype)
    k = min(5, n - 1)
    ind, dist = _reference(X, k)
    got_dist, got_ind = brute_kneighbors(X, None, k, n_threads=n_threads, tile=tile)
    np.testing.assert_array_equal(got_ind, ind)
    np.testing.assert_allclose(got_dist, dist, rtol=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(2, 200),
    n_query=st.integers(1, 60),
    d=st.integers(1, 5),
    levels=st.integers(1, 4),
    n_threads=st.integers(1, 3),
    dtype=st.sampled_from([np.float32, np.float64]),
    seed=st.integers(0, 2**16),
)
def test_tiled_query_search_is_exact_on_tied_grids(
    n, n_query, d, levels, n_threads, dtype, seed
):
    # ties beyond the candidate lists go to the full scan, which must keep
    # the lowest indices among equally distant points
    rng = np.random.RandomState(seed)
    X = rng.randint(0, levels, size=(n, d)).astype(dtype)
    Q = rng.randint(0, levels, size=(n_query, d)).astype(dtype)
    k = min(5, n)
    d2 = ((Q[:, None, :].astype(float) - X[None].astype(float)) ** 2).sum(-1)
    order = np.lexsort((np.broadcast_to(np.arange(n), d2.shape), d2), axis=1)
    got_dist, got_ind = brute_kneighbors(X, Q, k, n_threads=n_threads, tile=16)
    np.testing.assert_array_equal(got_ind, order[:, :k])
    np.testing.assert_allclose(
        got_dist, np.sqrt(np.take_along_axis(d2, order[:, :k], axis=1)), rtol=1e-12
    )


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(2, 260),
    d=st.integers(1, 6),
    levels=st.integers(1, 5),
    route=st.sampled_from(["grouped", "row by row"]),
    n_threads=st.integers(1, 3),
    dtype=st.sampled_from([np.float32, np.float64]),
    seed=st.integers(0, 2**16),
)
def test_grouped_and_row_by_row_searches_agree_on_repeated_rows(
    n, d, levels, route, n_threads, dtype, seed
):
    # the grouped search (identical rows as one point) and the row-by-row
    # one must both give the exact table; signed zeros are distinct rows at
    # distance 0, whose members merge by index like any tie
    rng = np.random.RandomState(seed)
    X = rng.randint(0, levels, size=(n, d)) * rng.choice([-1.0, 1.0], size=(n, d))
    X = X.astype(dtype)
    k = min(5, n - 1)
    ind, dist = _reference(X, k)
    forced = {"grouped": (0.0, 1.0), "row by row": (2.0, 0.0)}[route]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_brute, "GROUPED_MIN_TIED", forced[0])
        mp.setattr(_brute, "GROUPED_MAX_POINTS", forced[1])
        got_dist, got_ind = brute_kneighbors(X, None, k, n_threads=n_threads, tile=16)
    np.testing.assert_array_equal(got_ind, ind)
    np.testing.assert_allclose(got_dist, dist, rtol=1e-12)


def _count_grouped_searches(monkeypatch):
    calls = []
    original = _grouped.neighbor_table

    def spy(points, *args, **kwargs):
        calls.append(points.n_points)
        return original(points, *args, **kwargs)

    monkeypatch.setattr(_grouped, "neighbor_table", spy)
    return calls


def _count_tiled_passes(monkeypatch):
    sizes = []
    original = _brute._search

    def spy(fit_raw, *args, **kwargs):
        sizes.append(len(fit_raw))
        return original(fit_raw, *args, **kwargs)

    monkeypatch.setattr(_brute, "_search", spy)
    return sizes


def test_repeated_rows_take_the_grouped_search(monkeypatch):
    # 2,000 rows of 0/1 flags in 10 features: ties everywhere, few distinct
    # rows, seen in the sample before any tiled pass over the class
    rng = np.random.RandomState(0)
    X = (rng.standard_normal((2000, 10)) > 0.8).astype(np.float32)
    calls = _count_grouped_searches(monkeypatch)
    passes = _count_tiled_passes(monkeypatch)
    got = ExactNeighbors(n_neighbors=5).fit(X).kneighbors(return_distance=False)
    assert calls == [len(np.unique(X, axis=0))]
    assert 2000 not in passes
    np.testing.assert_array_equal(got, _reference(X, 5)[0])


@pytest.mark.parametrize(("d", "algorithm"), [(8, "kd_tree"), (9, "brute")])
def test_rows_rarely_repeated_in_the_sample_take_the_grouped_search(
    monkeypatch, d, algorithm
):
    # 3 levels in 8 or 9 features, 20k rows: the 1,024 sampled rows are
    # 92-97% distinct, yet the class is 31-63% distinct rows (grouped)
    X = np.random.RandomState(4).randint(0, 3, size=(20_000, d)).astype(float)
    assert len(np.unique(X, axis=0)) <= _brute.GROUPED_MAX_POINTS * len(X)
    with pytest.MonkeyPatch.context() as mp:  # the row-by-row answer
        mp.setattr(_brute, "GROUPED_MIN_TIED", 2.0)
        mp.setattr(_brute, "sample_repeats", lambda fit_raw: False)
        mp.setattr(_kdtree, "sample_repeats", lambda fit_raw: False)
        want = ExactNeighbors(5, algorithm=algorithm).fit(X).kneighbors()
    calls = _count_grouped_searches(monkeypatch)
    passes = _count_tiled_passes(monkeypatch)
    tree_passes = []
    monkeypatch.setattr(_kdtree, "_tree_pass", lambda *a: tree_passes.append(a))
    got = ExactNeighbors(5, algorithm=algorithm).fit(X).kneighbors()
    assert calls == [len(np.unique(X, axis=0))]
    assert len(X) not in passes and tree_passes == []
    np.testing.assert_array_equal(got[1], want[1])
    np.testing.assert_array_equal(got[0], want[0])


def test_repeats_missed_by_the_sample_are_grouped_after_the_first_pass(
    monkeypatch,
):
    # the sampled rows (every 4th) are distinct, the others 0/1 flags
    rng = np.random.RandomState(2)
    X = (rng.standard_normal((4096, 10)) > 0.8).astype(np.float64)
    X[::4] = rng.standard_normal((1024, 10))
    calls = _count_grouped_searches(monkeypatch)
    passes = _count_tiled_passes(monkeypatch)
    got = ExactNeighbors(n_neighbors=5).fit(X).kneighbors(return_distance=False)
    assert calls == [len(np.unique(X, axis=0))]
    assert passes.count(4096) == 1
    np.testing.assert_array_equal(got, _reference(X, 5)[0])


def test_distinct_rows_never_take_the_grouped_search(monkeypatch):
    rng = np.random.RandomState(1)
    continuous = rng.standard_normal((1500, 12))
    # a grid without repeats: tied distances, but no row to group
    grid = np.stack(np.meshgrid(*[np.arange(4.0)] * 5), -1).reshape(-1, 5)
    calls = _count_grouped_searches(monkeypatch)
    for X in (continuous, grid):
        got = ExactNeighbors(n_neighbors=5, algorithm="brute").fit(X)
        np.testing.assert_array_equal(
            got.kneighbors(return_distance=False), _reference(X, 5)[0]
        )
    assert calls == []


_X3 = np.random.RandomState(7).standard_normal((20, 3))
_BAD_FIT = [
    (np.arange(5.0), ValueError, "2-D array of shape .* got 1-D data"),
    (np.zeros((4, 2, 2)), ValueError, "got 3-D data"),
    (np.zeros((0, 3)), ValueError, "at least one sample"),
    (np.zeros((3, 0)), ValueError, "at least one feature"),
    (np.where(_X3 > 1.0, np.nan, _X3), ValueError, r"finite values in X; got \d+ NaN"),
    (np.ones((4, 2)) * 1j, ValueError, "real values in X; got complex"),
    ([["a", "b"]] * 4, ValueError, "numeric values in X; got dtype <U1"),
]


@pytest.mark.parametrize("algorithm", ["auto", "kd_tree", "brute"])
@pytest.mark.parametrize("X, error, match", _BAD_FIT)
def test_bad_fit_input_is_a_clear_error(algorithm, X, error, match):
    # a NaN once crashed the kd-tree (a segmentation fault) and came back
    # from the tiled search as index -1
    with pytest.raises(error, match=match):
        ExactNeighbors(n_neighbors=2, algorithm=algorithm).fit(X)


@pytest.mark.parametrize("algorithm", ["kd_tree", "brute"])
def test_bad_queries_are_clear_errors(algorithm):
    nn = ExactNeighbors(n_neighbors=2, algorithm=algorithm).fit(_X3)
    with pytest.raises(ValueError, match=r"query X; got 1 infinite value\(s\) \(first "
                       "at row 1, column 2"):  # fmt: skip
        nn.kneighbors([[0.0, 0.0, 0.0], [0.0, 0.0, np.inf]])
    with pytest.raises(ValueError, match="query X has 4 features, but ExactNeighbors "
                       "was fitted on 3"):  # fmt: skip
        nn.kneighbors(np.zeros((2, 4)))
    for k in (0, -1, 2.5):
        with pytest.raises(ValueError, match="n_neighbors must be a positive integer"):
            nn.kneighbors(_X3, n_neighbors=k)
    with pytest.raises(NotFittedError):
        ExactNeighbors().kneighbors(_X3)
    with pytest.raises(NotFittedError):
        ExactNeighbors().candidates()
    dist, ind = nn.kneighbors(np.zeros((0, 3)))
    assert dist.shape == ind.shape == (0, 2)


def _wide_table(n, seed=0):
    """A table as they come: a count column in large units beside floats
    (the points spread in about one dimension near each other)."""
    rng = np.random.default_rng(seed)
    return np.column_stack(
        [rng.normal(size=(n, 10)), rng.integers(0, 100, n), rng.integers(0, 10**6, n)]
    ).astype(np.float64)


def test_auto_picks_the_tree_for_many_features_spread_in_few_dimensions():
    # 12 features, one in large units: the tree took 0.3 s where the tiled
    # products took 11 s on 100k such rows (imbalanced-learn's tree: 0.9 s)
    X = _wide_table(20_000)
    assert ExactNeighbors().fit(X).algorithm_ == "kd_tree"
    scaled = (X - X.mean(axis=0)) / X.std(axis=0)
    assert ExactNeighbors().fit(scaled).algorithm_ == "brute"
    # smaller classes: the wide column holds the spread, and the tree it is
    assert ExactNeighbors().fit(X[:8000]).algorithm_ == "kd_tree"
    assert ExactNeighbors().fit(X[:300]).algorithm_ == "kd_tree"
    # ...except the smallest, searched by their number of features alone
    assert ExactNeighbors().fit(X[:255]).algorithm_ == "brute"
    assert ExactNeighbors().fit(X[:, :8] * [1e6, *[1] * 7]).algorithm_ == "kd_tree"


def test_small_classes_take_the_tree_when_few_columns_hold_a_few_dimensional_spread():
    rng = np.random.default_rng(0)
    gauss = rng.normal(size=(5000, 20))
    assert ExactNeighbors().fit(gauss).algorithm_ == "brute"
    few = gauss.copy()
    few[:, :3] *= 200  # three columns hold the spread; near each other, ~3-D
    assert ExactNeighbors().fit(few).algorithm_ == "kd_tree"
    one = gauss.copy()
    one[:, 0] *= 40  # one column holds the spread, yet near each other the
    # rows spread in the 19 others: the tiled products
    assert ExactNeighbors().fit(one).algorithm_ == "brute"


def test_the_estimate_runs_for_small_classes_only_when_columns_spread_unequally(
    monkeypatch,
):
    # on a 10k-row Gaussian class it cost a sixth of the search it guides
    import smotekit._neighbors as neighbors

    calls, shares = [], []

    def counted(X):
        calls.append(X.shape)
        return 99.0

    def no_groups(X):  # the rows read no tight groups: the products
        shares.append(X.shape)
        return 1.0

    monkeypatch.setattr(neighbors, "intrinsic_dimension", counted)
    monkeypatch.setattr(neighbors, "tree_visit_share", no_groups)
    rng = np.random.default_rng(0)
    # Gaussian points: no estimate, and their neighbours are not near enough
    # for tight groups (the contrast), so the share is not probed either
    assert ExactNeighbors().fit(rng.normal(size=(20_000, 12))).algorithm_ == "brute"
    assert calls == [] and shares == []
    assert ExactNeighbors().fit(_clusters(20_000, 12)).algorithm_ == "brute"
    assert calls == [] and shares == [(20_000, 12)]
    assert ExactNeighbors().fit(_wide_table(20_000)).algorithm_ == "brute"
    assert calls == [(20_000, 12)] and len(shares) == 2
    monkeypatch.setattr(neighbors, "DIMENSION_ALWAYS_ROWS", 20_000)
    assert ExactNeighbors().fit(rng.normal(size=(20_000, 12))).algorithm_ == "brute"
    assert len(calls) == 2
    # below 8,192 rows: only when at most 4 columns hold the spread; and
    # below 16,384 the share of a small tree the rows read is never measured
    assert ExactNeighbors().fit(rng.normal(size=(5000, 12))).algorithm_ == "brute"
    assert len(calls) == 2
    assert ExactNeighbors().fit(_wide_table(5000)).algorithm_ == "brute"
    assert calls[2:] == [(5000, 12)] and len(shares) == 2
    assert ExactNeighbors().fit(_clusters(16_383, 12)).algorithm_ == "brute"
    assert len(shares) == 2


@pytest.mark.parametrize("n", [12_000, 3000])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_the_tree_chosen_for_a_wide_table_gives_the_brute_force_answer(dtype, n):
    X = _wide_table(n, seed=1).astype(dtype)
    X[n // 2 : n // 2 + 100] = X[:100]  # repeated rows: ties broken by index
    auto = ExactNeighbors(n_neighbors=6).fit(X)
    assert auto.algorithm_ == "kd_tree"
    dist, ind = auto.kneighbors()
    want_dist, want_ind = (
        ExactNeighbors(n_neighbors=6, algorithm="brute").fit(X).kneighbors()
    )
    np.testing.assert_array_equal(ind, want_ind)
    np.testing.assert_array_equal(dist, want_dist)


def _clusters(n, d, seed=0):
    """Rows gathered in 200 tight clusters far apart (width 0.5, centres
    in a box of side 20)."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(-10, 10, size=(200, d))
    return centres[rng.integers(0, 200, n)] + rng.normal(scale=0.5, size=(n, d))


def _underlying(n, m, d, seed=0):
    """Columns that follow ``m`` underlying ones: the rows lie near an
    ``m``-dimensional set along no axis."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, m)) @ rng.normal(size=(m, d))
    return X + 0.01 * rng.normal(size=(n, d))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_rows_in_tight_groups_take_the_tree_and_give_the_brute_force_answer(dtype):
    # 200 clusters of width 0.5, 16k-100k rows of 9-20 features: the tree
    # 1.7-3 times faster than the tiled products, which 'auto' took before
    X = _clusters(20_000, 12).astype(dtype)
    X[7000:7050] = X[:50]  # repeated rows: ties broken by index
    auto = ExactNeighbors(n_neighbors=5).fit(X)
    assert auto.algorithm_ == "kd_tree"
    dist, ind = auto.kneighbors()
    want = ExactNeighbors(n_neighbors=5, algorithm="brute").fit(X).kneighbors()
    np.testing.assert_array_equal(ind, want[1])
    np.testing.assert_array_equal(dist, want[0])


def test_tight_groups_take_the_tree_only_where_it_pays():
    X = _clusters(20_000, 30)
    assert ExactNeighbors().fit(X[:, :20]).algorithm_ == "kd_tree"
    assert ExactNeighbors().fit(X).algorithm_ == "brute"  # 30 features: even
    assert ExactNeighbors().fit(X[:16_384, :12]).algorithm_ == "kd_tree"
    # fewer rows: the share is not measured (the tree would gain 10-30 ms)
    assert ExactNeighbors().fit(X[:16_383, :12]).algorithm_ == "brute"
    # Gaussian points, wider clusters: the tree reads most of the rows
    rng = np.random.default_rng(0)
    assert ExactNeighbors().fit(rng.normal(size=(20_000, 12))).algorithm_ == "brute"
    wide = X[:, :12] + rng.normal(scale=4.0, size=(20_000, 12))
    assert ExactNeighbors().fit(wide).algorithm_ == "brute"
    # groups of repeated rows: the tiled passes search each distinct row once
    repeated = np.repeat(X[:200, :12], 100, axis=0)
    assert ExactNeighbors().fit(repeated).algorithm_ == "brute"
    # a count column beside floats: groups along it, whatever the estimate
    counts = rng.normal(size=(20_000, 12))
    counts[:, 0] = rng.poisson(200, 20_000) * 50.0
    assert ExactNeighbors().fit(counts).algorithm_ == "kd_tree"


def test_points_near_a_few_directions_along_no_axis_take_the_tree_only_when_it_prunes():
    # the estimate says 3-6, but the tree splits along axes the points do
    # not follow (100k rows, tree / tiled seconds: 6 underlying columns of
    # 12, 3.0 / 1.7; of 50, 40 / 3.2; 3 of 50, 4.1 / 3.1; 3 of 12, 0.5 / 1.6)
    n = 70_000
    assert ExactNeighbors().fit(_underlying(n, 6, 12)).algorithm_ == "brute"
    assert ExactNeighbors().fit(_underlying(n, 6, 50)).algorithm_ == "brute"
    assert ExactNeighbors().fit(_underlying(n, 3, 30)).algorithm_ == "brute"
    assert ExactNeighbors().fit(_underlying(n, 3, 12)).algorithm_ == "kd_tree"
    # 5 informative columns and 2 of their sums among 9 (the tree 1.2 times
    # slower at 100k rows, where 'auto' took it before)
    X = make_classification(n, 9, n_informative=5, random_state=0)[0]
    assert ExactNeighbors().fit(X).algorithm_ == "brute"
    # the same few dimensions along the axes: the tree, at any width
    rng = np.random.default_rng(0)
    along = 0.01 * rng.normal(size=(n, 50))
    along[:, :6] = rng.normal(size=(n, 6))
    assert ExactNeighbors().fit(along).algorithm_ == "kd_tree"


def test_rotated_and_even_classes_are_routed_without_probing_a_tree(monkeypatch):
    # the rotation (0.2 ms) rules the tree's groups out before the probe of
    # its share (3-8 ms, a tenth of a 16k-row class's search) is paid
    import smotekit._neighbors as neighbors

    probed = []
    share = neighbors.tree_visit_share
    monkeypatch.setattr(
        neighbors, "tree_visit_share", lambda X: probed.append(X.shape) or share(X)
    )
    X = make_classification(20_000, 12, n_informative=5, random_state=0)[0]
    assert ExactNeighbors().fit(X).algorithm_ == "brute" and probed == []
    assert ExactNeighbors().fit(_underlying(20_000, 3, 12)).algorithm_ == "brute"
    assert probed == []
    assert ExactNeighbors().fit(_clusters(20_000, 12)).algorithm_ == "kd_tree"
    assert probed == [(20_000, 12)]
    # nor points spread evenly: their 6th neighbour is not near enough
    rng = np.random.default_rng(0)
    for d in (9, 12, 20):
        assert ExactNeighbors().fit(rng.normal(size=(20_000, d))).algorithm_ == "brute"
    assert probed == [(20_000, 12)]


def test_a_smote_output_spread_in_many_features_takes_the_tiled_products(
    monkeypatch,
):
    # synthetic rows on segments beside the original rows: the estimate,
    # which weighs the fewest dimensions most, says a few, but the original
    # rows spread in all 20 and the tree reads most of the class for them
    # (SMOTE outputs of 180k rows of 20 features: tree 169 s, products 6.4)
    from smotekit._intrinsic import intrinsic_dimension

    rng = np.random.default_rng(0)
    X = rng.normal(size=(40_000, 20))
    y = (np.arange(40_000) % 10 == 0).astype(np.int64)
    mixed = SMOTE(random_state=0).fit_resample(X, y)[0]
    assert len(mixed) >= _neighbors.DIMENSION_ALWAYS_ROWS
    assert intrinsic_dimension(mixed) <= _neighbors.KD_TREE_MAX_DIMENSION
    assert not _neighbors._rotated(mixed)
    assert ExactNeighbors().fit(mixed).algorithm_ == "brute"
    # points in a few dimensions along the axes keep the tree at that size
    along = 0.001 * rng.normal(size=(len(mixed), 20))
    along[:, :6] = rng.normal(size=(len(mixed), 6))
    assert ExactNeighbors().fit(along).algorithm_ == "kd_tree"
    # the probe is only paid from DIMENSION_ALWAYS_ROWS rows
    probed = []
    share = _neighbors.tree_visit_share
    monkeypatch.setattr(
        _neighbors, "tree_visit_share", lambda X: probed.append(X.shape) or share(X)
    )
    assert ExactNeighbors().fit(_wide_table(20_000)).algorithm_ == "kd_tree"
    assert probed == []


def test_mid_sized_classes_near_a_few_directions_take_the_tree(monkeypatch):
    # from 32,768 rows (below 65,536, where every class is estimated),
    # classes clearly off the axes are estimated too: 3 or 4 underlying
    # columns of at most 12 take the tree, whose points in a spatial order
    # make it 1.2-3 times faster than the products there
    import smotekit._neighbors as neighbors

    estimated = []
    estimate = neighbors.intrinsic_dimension
    monkeypatch.setattr(
        neighbors,
        "intrinsic_dimension",
        lambda X: estimated.append(X.shape) or estimate(X),
    )
    n = neighbors.FEW_DIRECTIONS_MIN_ROWS
    for m, d in ((3, 9), (4, 12)):
        X = _underlying(n, m, d)
        auto = ExactNeighbors(n_neighbors=4).fit(X)
        assert auto.algorithm_ == "kd_tree"
        assert estimated[-1] == (n, d)
        if m == 3:
            want = ExactNeighbors(n_neighbors=4, algorithm="brute").fit(X)
            np.testing.assert_array_equal(auto.kneighbors()[1], want.kneighbors()[1])
    del estimated[:]
    # more underlying columns: estimated, and left to the products
    assert ExactNeighbors().fit(_underlying(n, 6, 12)).algorithm_ == "brute"
    assert estimated == [(n, 12)]
    # fewer rows, more features: not estimated, the products
    assert ExactNeighbors().fit(_underlying(n - 1, 3, 9)).algorithm_ == "brute"
    assert ExactNeighbors().fit(_underlying(n, 3, 13)).algorithm_ == "brute"
    # make_classification's points are rotated less clearly: no estimate
    X = make_classification(n, 9, n_informative=5, random_state=0)[0]
    assert ExactNeighbors().fit(X).algorithm_ == "brute"
    # repeated rows: the grouped search of either route, no estimate
    repeated = np.repeat(_underlying(n // 64, 3, 9), 64, axis=0)
    assert ExactNeighbors().fit(repeated).algorithm_ == "brute"
    assert estimated == [(n, 12)]


def test_small_classes_of_repeated_rows_with_few_wide_columns_take_the_tree(
    monkeypatch,
):
    # their estimate cannot be made (the points repeat): the tree, unasked
    import smotekit._neighbors as neighbors

    X = np.repeat(_wide_table(700, seed=2), 3, axis=0)[::-1].copy()
    calls = []
    monkeypatch.setattr(
        neighbors, "intrinsic_dimension", lambda X: calls.append(X) or 99
    )
    auto = ExactNeighbors(n_neighbors=5).fit(X)
    assert auto.algorithm_ == "kd_tree" and calls == []
    dist, ind = auto.kneighbors()
    want = ExactNeighbors(n_neighbors=5, algorithm="brute").fit(X).kneighbors()
    np.testing.assert_array_equal(ind, want[1])
    np.testing.assert_array_equal(dist, want[0])
    # without repeats the estimate is made (as for the distinct rows, which
    # the tree's grouped search searched)
    calls.clear()
    assert ExactNeighbors().fit(_wide_table(2100, seed=2)).algorithm_ == "brute"
    assert len(calls) == 1


def test_the_route_is_decided_when_first_needed_and_once(monkeypatch):
    # a cleaning sampler that computes a small table's distances itself
    # never searches: its fitted estimator pays no route checks
    import smotekit._neighbors as neighbors

    calls = []
    decide = neighbors._kd_tree_pays
    monkeypatch.setattr(
        neighbors, "_kd_tree_pays", lambda X: calls.append(X.shape) or decide(X)
    )
    X = _wide_table(3000, seed=3)
    nn = ExactNeighbors(n_neighbors=3).fit(X)
    assert calls == [] and "algorithm_" not in vars(nn)
    ind = nn.kneighbors(return_distance=False)
    assert calls == [(3000, 12)] and nn.algorithm_ == "kd_tree"
    np.testing.assert_array_equal(ind, nn.kneighbors(return_distance=False))
    assert len(calls) == 1
    # a new fit decides afresh; a pickle keeps the decision and its tree
    nn.fit(np.random.default_rng(0).normal(size=(3000, 40)))
    assert nn.algorithm_ == "brute" and len(calls) == 2
    nn.fit(X).kneighbors()
    again = pickle.loads(pickle.dumps(nn))
    assert again.algorithm_ == "kd_tree" and len(calls) == 3
    np.testing.assert_array_equal(again.kneighbors(return_distance=False), ind)
    with pytest.raises(NotFittedError):
        _ = ExactNeighbors().algorithm_
    assert not hasattr(ExactNeighbors(), "algorithm_")
    unpickled = pickle.loads(pickle.dumps(ExactNeighbors(n_neighbors=3).fit(X)))
    np.testing.assert_array_equal(unpickled.kneighbors(return_distance=False), ind)


def test_the_spread_of_huge_columns_is_counted_without_overflow():
    from smotekit._intrinsic import spread_columns

    X = np.random.default_rng(0).normal(size=(500, 127)) * 2.0**505
    assert 120 < spread_columns(X) <= 127
    X[:, 1:] *= 2.0**-400  # one column dwarfs the others
    assert spread_columns(X) < 1.01
    assert spread_columns(np.zeros((5, 3))) == 3.0  # nothing spreads


def test_the_estimate_sees_a_few_underlying_columns():
    from smotekit._intrinsic import intrinsic_dimension

    rng = np.random.default_rng(0)
    iso = rng.normal(size=(20_000, 12))
    assert 10 < intrinsic_dimension(iso) < 14
    follow = rng.normal(size=(20_000, 3)) @ rng.normal(size=(3, 20))
    assert intrinsic_dimension(follow + 0.01 * rng.normal(size=(20_000, 20))) < 4
    assert intrinsic_dimension(np.ones((100, 3))) == np.inf  # only repeats
    assert intrinsic_dimension(iso[:5]) == np.inf  # too few rows
    assert intrinsic_dimension(iso) == intrinsic_dimension(iso.copy())  # fixed rows


def test_kd_tree_beyond_its_feature_limit_is_a_clear_error():
    X = np.random.RandomState(0).standard_normal((30, 128))
    with pytest.raises(ValueError, match="at most 127 features; got 128"):
        ExactNeighbors(algorithm="kd_tree").fit(X)
    # the automatic choice never asks the tree for that many
    assert ExactNeighbors().fit(X).algorithm_ == "brute"


@pytest.mark.parametrize("d", [3, 12])
@pytest.mark.parametrize("power", [1000, 600, -600, -1050])
@pytest.mark.parametrize("sparse_input", [False, True])
def test_extreme_float64_magnitudes_give_the_scaled_neighbours(d, power, sparse_input):
    # squared distances of such values overflow (or underflow) in float64:
    # the search runs on the points scaled by a power of two, which is exact,
    # so the neighbours are those of the unscaled points and the distances
    # theirs times the same power
    rng = np.random.RandomState(d)
    X = rng.standard_normal((300, d))
    Q = rng.standard_normal((40, d))
    if power < -1000:  # subnormal numbers: keep only the bits they can hold
        X, Q = np.round(X * 64) / 64, np.round(Q * 64) / 64
    scale = np.ldexp(1.0, power)
    fit, query = X * scale, Q * scale
    if sparse_input:  # sparse rows have their own distance formula
        X, Q = sparse.csr_matrix(X), sparse.csr_matrix(Q)
        fit, query = sparse.csr_matrix(fit), sparse.csr_matrix(query)
    want_dist, want_ind = ExactNeighbors(n_neighbors=5).fit(X).kneighbors()
    want_qd, want_qi = ExactNeighbors(n_neighbors=5).fit(X).kneighbors(Q)
    got = ExactNeighbors(n_neighbors=5).fit(fit)
    dist, ind = got.kneighbors()
    np.testing.assert_array_equal(ind, want_ind)
    np.testing.assert_array_equal(dist, want_dist * scale)
    q_dist, q_ind = got.kneighbors(query)
    np.testing.assert_array_equal(q_ind, want_qi)
    np.testing.assert_array_equal(q_dist, want_qd * scale)


def _sequential_sq(Q, X):
    """Squared distances summed feature after feature (the engine's order;
    numpy's sum over an axis adds in pairs), without a 3-d temporary."""
    sq = np.zeros((len(Q), len(X)))
    for f in range(X.shape[1]):
        sq += (Q[:, None, f] - X[None, :, f]) ** 2
    return sq


@pytest.mark.parametrize(("n", "d"), [(300, 5), (3000, 5), (2000, 30)])
@pytest.mark.parametrize(
    ("algorithm", "sparse_input"),
    [("auto", False), ("auto", True), ("brute", False), ("brute", True),
     ("kd_tree", False)],
)  # fmt: skip
def test_differences_whose_squares_underflow_are_ties_by_index(
    n, d, algorithm, sparse_input
):
    # a constant column of ones beside differences near 1e-300: every
    # squared float64 distance is 0 (or a few subnormal steps), so the
    # neighbours are ties broken by index, although the centred points,
    # scaled up by a power of two, tell their real distances apart
    rng = np.random.default_rng(3)
    X = np.hstack([np.ones((n, 1)), rng.normal(size=(n, d - 1)) * 1e-300])
    X[::2, 1:] *= 2.0**-3
    Q = X[:50].copy()
    d2 = _sequential_sq(X, X)
    assert np.count_nonzero(d2) < d2.size // 2  # mostly float64 ties
    np.fill_diagonal(d2, np.inf)
    by_index = np.broadcast_to(np.arange(n), d2.shape)
    want = np.lexsort((by_index, d2), axis=1)[:, :4]
    d2_q = _sequential_sq(Q, X)
    want_q = np.lexsort((by_index[:50], d2_q), axis=1)[:, :4]
    fit = sparse.csr_matrix(X) if sparse_input else X
    nn = ExactNeighbors(n_neighbors=4, algorithm=algorithm).fit(fit)
    dist, ind = nn.kneighbors()
    np.testing.assert_array_equal(ind, want)
    np.testing.assert_array_equal(dist**2, np.take_along_axis(d2, want, axis=1))
    query = sparse.csr_matrix(Q) if sparse_input else Q
    np.testing.assert_array_equal(nn.kneighbors(query, return_distance=False), want_q)


@pytest.mark.parametrize("algorithm", ["kd_tree", "brute"])
def test_a_huge_query_row_is_searched_at_its_own_scale(algorithm):
    # squared float64 distances of the first row overflow: it is searched at
    # the scale of its magnitude (finite distances, float64 ties by index),
    # the other rows at the points' own scale
    X = np.random.RandomState(1).standard_normal((500, 3))
    nn = ExactNeighbors(n_neighbors=4, algorithm=algorithm).fit(X)
    dist, ind = nn.kneighbors([[1e200, 0.0, 0.0], [0.0, 0.0, 0.0], [0.5, 1.0, 0]])
    assert ind[0].tolist() == [0, 1, 2, 3]
    np.testing.assert_allclose(dist[0], 1e200, rtol=1e-15)
    np.testing.assert_array_equal(
        ind[1:], _query_reference(X, np.array([[0, 0, 0], [0.5, 1, 0]]), 4)
    )
    np.testing.assert_array_equal(nn.candidates([[1e200, 0.0, 0.0]])[1], ind[:1])


@pytest.mark.parametrize("looked_at", [True, False])
def test_a_pickled_search_answers_huge_rows_too(looked_at):
    X = np.random.RandomState(3).standard_normal((50, 3))
    nn = ExactNeighbors(n_neighbors=2).fit(X)
    if looked_at:
        nn.kneighbors([[1e200, 0.0, 0.0]])  # the fit's magnitude, kept
    loaded = pickle.loads(pickle.dumps(nn))
    dist, ind = loaded.kneighbors([[1e200, 0.0, 0.0]])
    assert ind.tolist() == [[0, 1]]
    np.testing.assert_allclose(dist, 1e200, rtol=1e-15)


@pytest.mark.parametrize("algorithm", ["kd_tree", "brute"])
@pytest.mark.parametrize("query_dtype", [np.float32, np.float64])
def test_queries_of_other_magnitudes_than_scaled_points(algorithm, query_dtype):
    # points beyond 2**400 (or below 2**-400) are searched scaled by a power
    # of two: queries of any dtype and magnitude get the float64 answer
    huge = ExactNeighbors(n_neighbors=1, algorithm=algorithm)
    huge.fit(np.array([[1e130], [1e30], [2e30]]))
    q = np.array([[1.9e30]], dtype=query_dtype)
    dist, ind = huge.kneighbors(q)
    assert ind.tolist() == [[2]]
    np.testing.assert_allclose(dist, 2e30 - q.astype(np.float64), rtol=1e-12)
    tiny = ExactNeighbors(n_neighbors=3, algorithm=algorithm)
    tiny.fit(np.array([[1e-300, 0.0], [0.0, 1e-300], [0.0, 0.0]]))
    dist, ind = tiny.kneighbors(np.array([[1.0, 0.0]], dtype=query_dtype))
    assert ind.tolist() == [[0, 1, 2]]  # float64 ties (1 - 1e-300 == 1)
    np.testing.assert_array_equal(dist, [[1.0, 1.0, 1.0]])
    dist, ind = tiny.kneighbors([[3e-300, 0.0]])  # at the points' own scale
    assert ind.tolist() == [[0, 2, 1]]
    np.testing.assert_allclose(dist, [[2e-300, 3e-300, np.hypot(3e-300, 1e-300)]])


@pytest.mark.parametrize("algorithm", ["kd_tree", "brute"])
def test_sparse_query_of_dense_points(algorithm):
    X = np.random.default_rng(0).standard_normal(
        (50, 3 if algorithm == "kd_tree" else 20)
    )
    nn = ExactNeighbors(n_neighbors=3, algorithm=algorithm).fit(X)
    want_dist, want_ind = nn.kneighbors(X[:5])
    dist, ind = nn.kneighbors(sparse.csr_matrix(X[:5]))
    np.testing.assert_array_equal(ind, want_ind)
    np.testing.assert_array_equal(dist, want_dist)


@pytest.mark.parametrize("dense_stored_sparse", [True, False])
def test_dense_query_of_sparse_points(dense_stored_sparse):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((50, 20 if dense_stored_sparse else 2000))
    if not dense_stored_sparse:
        X *= rng.random(X.shape) < 0.01
    S = sparse.csr_matrix(X)
    assert _neighbors.dense_pays(S, S[:5]) == dense_stored_sparse
    got = ExactNeighbors(n_neighbors=3).fit(S).kneighbors(X[:5], return_distance=False)
    np.testing.assert_array_equal(got, _query_reference(X, X[:5], 3))


def _repeated_entries_csr():
    # row 0 holds two entries at column 0 whose float32 sum overflows (6e38)
    data = np.array([3e38, 3e38, 1, 1, 1, 2, 2, 3, 3], dtype=np.float32)
    indices = [0, 0, 1, 0, 1, 0, 1, 0, 1]
    return sparse.csr_matrix((data, indices, [0, 3, 5, 7, 9]), shape=(4, 2))


def test_repeated_sparse_entries_summing_past_the_dtype_are_infinite():
    # the matrix's values are its dtype's sums, as X.toarray() holds them
    X = _repeated_entries_csr()
    assert np.isinf(X.toarray()[0, 0])
    with pytest.raises(ValueError, match="needs finite values in X; got 1 infinite"):
        ExactNeighbors(n_neighbors=1).fit(X)


@pytest.mark.parametrize(
    "X",
    [
        # float32 sums 1 + 2**-24 to 1.0, as toarray() does
        sparse.csr_matrix(
            (
                np.float32([1, 2.0**-24, 1 - 2.0**-23, 1 + 2.0**-23]),
                [0] * 4,
                [0, 2, 3, 4],
            ),
            shape=(3, 1),
        ),
        # int8 sums 100 + 100 to -56
        sparse.csr_matrix(
            (np.int8([100, 100, -50, -60, 90]), [0] * 5, [0, 2, 3, 4, 5]),
            shape=(4, 1),
        ),
    ],
    ids=["rounded", "wrapped"],
)
@pytest.mark.parametrize("dense_route", [True, False])
def test_repeated_sparse_entries_are_summed_once_for_every_route(
    X, dense_route, monkeypatch
):
    assert not X.has_canonical_format
    monkeypatch.setattr(_neighbors, "dense_pays", lambda *args: dense_route)
    dist, ind = ExactNeighbors(n_neighbors=1, algorithm="brute").fit(X).kneighbors()
    summed = X.toarray().astype(np.float64)  # duplicates summed in X's dtype
    n = len(summed)
    d2 = ((summed[:, None] - summed[None]) ** 2).sum(-1) + np.diag([np.inf] * n)
    np.testing.assert_array_equal(ind[:, 0], d2.argmin(1))
    np.testing.assert_allclose(dist[:, 0], np.sqrt(d2.min(1)))
    dense = ExactNeighbors(n_neighbors=1, algorithm="brute").fit(X.toarray())
    np.testing.assert_array_equal(ind, dense.kneighbors()[1])


def test_values_beyond_float64_give_a_clear_error():
    X = np.array([[10**400], [1]], dtype=object)
    with pytest.raises(ValueError, match="ExactNeighbors needs numeric values"):
        ExactNeighbors(n_neighbors=1).fit(X)


def test_zero_jobs_is_a_clear_error():
    X = np.random.RandomState(2).standard_normal((30, 12))
    for algorithm in ("kd_tree", "brute"):
        with pytest.raises(ValueError, match="n_jobs=0 asks for no thread"):
            ExactNeighbors(n_neighbors=2, algorithm=algorithm, n_jobs=0).fit(X)
    y = np.array([0] * 20 + [1] * 10)
    with pytest.raises(ValueError, match="n_jobs=0 asks for no thread"):
        SMOTE(n_jobs=0).fit_resample(X, y)


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(2, 120),
    d=st.integers(1, 12),
    levels=st.integers(2, 600),
    power=st.integers(-1000, 1000),
    algorithm=st.sampled_from(["kd_tree", "brute"]),
    seed=st.integers(0, 2**16),
)
def test_power_of_two_scaling_never_changes_the_neighbours(
    n, d, levels, power, algorithm, seed
):
    # dyadic points (few bits) times 2**power are exactly representable at
    # every power: the neighbours must be the same and the distances scale
    # exactly, whether the search runs on the values or rescales them
    rng = np.random.RandomState(seed)
    X = rng.randint(-levels, levels, size=(n, d)) / 64.0
    k = min(4, n - 1)
    base = ExactNeighbors(n_neighbors=k, algorithm=algorithm).fit(X)
    scaled = ExactNeighbors(n_neighbors=k, algorithm=algorithm).fit(np.ldexp(X, power))
    want_dist, want_ind = base.kneighbors()
    dist, ind = scaled.kneighbors()
    np.testing.assert_array_equal(ind, want_ind)
    np.testing.assert_array_equal(dist, np.ldexp(want_dist, power))
    Q = rng.randint(-levels, levels, size=(7, d)) / 64.0
    q_dist, q_ind = scaled.kneighbors(np.ldexp(Q, power))
    want_q_dist, want_q_ind = base.kneighbors(Q)
    np.testing.assert_array_equal(q_ind, want_q_ind)
    np.testing.assert_array_equal(q_dist, np.ldexp(want_q_dist, power))


@pytest.mark.parametrize("algorithm", ["kd_tree", "brute", "auto"])
@pytest.mark.parametrize("as_sparse", [False, True])
def test_tiny_queries_of_a_fit_of_zeros_keep_their_distances(algorithm, as_sparse):
    # the distances are the queries' norms; 2**-538 and 2**-537.5 square
    # below float64's smallest subnormal (2**-1074): scaled up, not zero,
    # whatever the other rows of the query (zeros, ones, huge ones)
    if as_sparse and algorithm == "kd_tree":
        pytest.skip("the kd-tree takes dense points")
    X = np.zeros((3, 2))
    tiny = np.ldexp(np.array([[1.0, 0.0], [0.0, -2.0], [1.0, 1.0]]), -538)
    others = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1e300]])
    norms = np.ldexp(np.array([1.0, 2.0, np.sqrt(2.0)]), -538)
    fit = sparse.csr_matrix(X) if as_sparse else X
    nn = ExactNeighbors(n_neighbors=2, algorithm=algorithm).fit(fit)
    for Q, want in [
        (tiny, norms),
        (np.vstack([tiny, others[:2]]), np.r_[norms, 0.0, 1.0]),
        (np.vstack([others[2:], tiny, others[:1]]), np.r_[1e300, norms, 0.0]),
    ]:
        dist, ind = nn.kneighbors(sparse.csr_matrix(Q) if as_sparse else Q)
        np.testing.assert_array_equal(dist, np.column_stack([want, want]))
        np.testing.assert_array_equal(ind, [[0, 1]] * len(Q))


def test_a_part_searched_at_its_sets_scale_keeps_it_for_tiny_queries():
    # a caller scaling the parts of a larger set itself (the Dask tasks)
    # merges their candidates by distance: a part of zeros must not scale
    # tiny queries up when the other parts do not
    nn = ExactNeighbors(n_neighbors=1)._fit_at_scale(np.zeros((2, 2)), 0)
    dist, _ = nn.kneighbors(np.ldexp(np.array([[1.0, 0.0]]), -538))
    assert dist.tolist() == [[0.0]]


def _blas_threads():
    """Thread counts of the BLAS libraries the search limits (those loaded
    when it first ran, numpy's among them) whose count is the process's
    (not OpenMP builds, whose counts are each thread's own)."""
    libs = _brute._blas_controller().select(user_api="blas").lib_controllers
    return [lib.num_threads for lib in libs if lib.threading_layer != "openmp"]


def _with_two_blas_threads(test):
    """Run ``test`` with BLAS at two threads (skipped where BLAS cannot be);
    return BLAS's thread counts before and after it."""
    with threadpool_limits(limits=2, user_api="blas"):
        before = _blas_threads()
        if not before or set(before) != {2}:
            pytest.skip("BLAS cannot run two threads here")
        test()
        return before, _blas_threads()


def _run_threads(*targets):
    threads = [threading.Thread(target=t) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)


def test_overlapping_searches_restore_the_blas_threads():
    """BLAS's thread count is process-wide: searches overlapping in two
    threads (the first leaves while the second still searches) keep it at
    one while any searches, and give it back as it was."""
    first_in, second_in, first_out = (threading.Event() for _ in range(3))
    seen = []

    def first():
        with _brute.single_threaded_blas():
            first_in.set()
            assert second_in.wait(10)
        first_out.set()

    def second():
        assert first_in.wait(10)
        with _brute.single_threaded_blas():
            second_in.set()
            assert first_out.wait(10)
            seen.append(_blas_threads())

    before, after = _with_two_blas_threads(lambda: _run_threads(first, second))
    assert len(seen) == 1 and set(seen[0]) == {1}
    assert after == before


def test_fits_in_short_lived_threads_leave_blas_as_it_was():
    X, y = make_classification(
        n_samples=6000, n_features=30, weights=[0.7], random_state=0
    )
    expected = SMOTE(random_state=0).fit_resample(X, y)[0]
    results = []

    def fit():
        results.append(SMOTE(random_state=0).fit_resample(X, y)[0])

    def rounds():
        for _ in range(3):
            _run_threads(fit, fit, fit)

    before, after = _with_two_blas_threads(rounds)
    assert after == before
    assert len(results) == 9 and all(np.array_equal(r, expected) for r in results)


def _float64_reference(F, Q, k):
    """Squared float64 distances (feature order) and the ``k`` nearest."""
    sq = ((F[None, :, :] - Q[:, None, :]) ** 2).sum(axis=2)
    order = np.lexsort((np.broadcast_to(np.arange(len(F)), sq.shape), sq), axis=1)
    return sq, order[:, :k]


@pytest.mark.parametrize(
    "algorithm, as_sparse", [("kd_tree", False), ("brute", False), ("brute", True)]
)
def test_data_is_scaled_down_only_when_its_squares_would_overflow(algorithm, as_sparse):
    # 2**401 squares to a finite float64: no scaling, so the points near
    # 1e-150 keep their (normal) squared distances instead of collapsing
    # into ties at 0 after a scaling by 2**-402
    X = np.array([[2.0**401], [1e-150], [3e-150], [-2e-150]])
    Q = np.array([[2.5e-150]])
    sq, expected = _float64_reference(X, Q, 2)
    assert np.isfinite(sq).all() and (sq >= np.finfo(np.float64).tiny).all()
    fit = sparse.csr_matrix(X) if as_sparse else X
    query = sparse.csr_matrix(Q) if as_sparse else Q
    nn = ExactNeighbors(n_neighbors=2, algorithm=algorithm).fit(fit)
    dist, ind = nn.kneighbors(query)
    assert ind.tolist() == expected.tolist() == [[2, 1]]
    np.testing.assert_allclose(dist, np.sqrt(sq[0, expected]), rtol=1e-12)


@pytest.mark.parametrize("top", [450, 505, 507, 600])
@pytest.mark.parametrize("n_features", [1, 9, 60])
def test_huge_data_neighbours_are_those_of_the_scaled_data(top, n_features):
    # on either side of the scaling threshold the neighbours and distances
    # are those of the data scaled by 2**-top, scaled back
    rng = np.random.default_rng(top + n_features)
    X = rng.integers(-50, 50, (120, n_features)) * 2.0 ** (top - 7)
    X[0, 0] = 1.5 * 2.0 ** (top - 1)
    for algorithm in ("kd_tree", "brute"):
        dist, ind = (
            ExactNeighbors(n_neighbors=3, algorithm=algorithm).fit(X).kneighbors()
        )
        ref_dist, ref_ind = (
            ExactNeighbors(n_neighbors=3, algorithm=algorithm)
            .fit(np.ldexp(X, -top))
            .kneighbors()
        )
        assert np.isfinite(dist).all()
        np.testing.assert_array_equal(dist, np.ldexp(ref_dist, top))
        np.testing.assert_array_equal(ind, ref_ind)


def test_bool_n_neighbors_is_refused_at_fit_as_at_query_time():
    X = np.array([[0.0], [1.0], [3.0]])
    with pytest.raises(ValueError, match="positive integer"):
        ExactNeighbors(n_neighbors=2).fit(X).kneighbors(X, n_neighbors=True)
    with pytest.raises(ValueError, match="n_neighbors must be a positive integer"):
        ExactNeighbors(n_neighbors=True).fit(X)


def test_the_too_small_class_error_survives_a_worker_process():
    # raised in a joblib worker, it is pickled back to the parent
    import pickle

    from smotekit._neighbors import ClassTooSmallError, check_class_size

    with pytest.raises(ClassTooSmallError) as caught:
        check_class_size(3, 5, "SMOTE", "k_neighbors", "b")
    copy = pickle.loads(pickle.dumps(caught.value))
    assert (copy.n_class, copy.k, copy.cls) == (3, 5, "b")
    assert str(copy) == str(caught.value)


@settings(max_examples=50, deadline=None)
@given(
    n=st.integers(3, 200),
    d=st.integers(1, 6),
    levels=st.integers(1, 5),
    noise=st.sampled_from([0.0, 1e-9, 0.3]),
    self_query=st.booleans(),
    n_threads=st.integers(1, 2),
    seed=st.integers(0, 2**16),
)
def test_a_first_pass_alone_answers_exactly_the_rows_it_settles(
    n, d, levels, noise, self_query, n_threads, seed
):
    # without settling, the rows the certificate vouches for are the exact
    # answer and the others are only marked: never a wrong row unmarked
    rng = np.random.default_rng(seed)
    X = rng.integers(0, levels, (n, d)) + noise * rng.standard_normal((n, d))
    Q = None if self_query else X[rng.integers(0, n, 30)] + 0.5
    k = min(4, n - 1)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(_brute, "SMALL_PAIRS", 0)  # the tiled passes, not every pair
        ind, sq, unsettled = _brute.sq_kneighbors(
            X, Q, k, n_threads=n_threads, tile=16, settle=False
        )
        settled_ind, settled_sq = _brute.sq_kneighbors(X, Q, k, tile=16)
    want_ind = _reference(X, k)[0] if Q is None else _query_reference(X, Q, k)
    sure = ~unsettled
    np.testing.assert_array_equal(ind[sure], want_ind[sure])
    np.testing.assert_array_equal(sq[sure], settled_sq[sure])
    np.testing.assert_array_equal(settled_ind, want_ind)


def test_a_first_pass_alone_leaves_ties_unsettled_and_vouches_for_the_rest():
    rng = np.random.default_rng(0)
    grid = rng.integers(0, 3, (600, 4)).astype(np.float64)
    points = rng.standard_normal((600, 4))
    for X, tied in ((grid, True), (points, False)):
        with pytest.MonkeyPatch.context() as m:
            m.setattr(_brute, "SMALL_PAIRS", 0)
            ind, _, unsettled = _brute.sq_kneighbors(X, X[:200] + 0.5, 3, settle=False)
        assert unsettled.any() == tied
        sure = ~unsettled
        np.testing.assert_array_equal(
            ind[sure], _query_reference(X, X[:200] + 0.5, 3)[sure]
        )


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(2, 300),
    n_query=st.integers(0, 40),
    d=st.integers(5, 70),
    levels=st.integers(1, 5),
    power=st.sampled_from([0, -3, 150, -200]),
    noise=st.booleans(),
    dtype=st.sampled_from([np.float32, np.float64]),
    seed=st.integers(0, 2**16),
)
def test_auto_computes_few_pairs_at_once_exactly_without_choosing_a_route(
    n, n_query, d, levels, power, noise, dtype, seed
):
    # a search of at most FEW_PAIRS pairs: every pair's product, no route
    # checks and no tree; the same answer as the chosen routes give
    import smotekit._neighbors as neighbors

    rng = np.random.default_rng(seed)
    X = rng.integers(0, levels, (n, d)) + (rng.random((n, d)) if noise else 0.0)
    power = power if dtype == np.float64 else int(np.clip(power, -30, 30))
    X = (X * 10.0**power).astype(dtype)
    Q = None if n_query == 0 else X[rng.integers(0, n, n_query)] * dtype(1.5)
    k = min(4, n - 1) if Q is None else min(4, n)
    if k == 0:
        return
    calls = []
    with pytest.MonkeyPatch.context() as m:
        m.setattr(neighbors, "_kd_tree_pays", lambda X: calls.append(1) or True)
        nn = ExactNeighbors(n_neighbors=k).fit(X)
        dist, ind = nn.kneighbors(Q)
        cand = nn.candidates(Q)
    assert calls == [] and "_route" not in vars(nn)
    want_dist, want_ind = (
        ExactNeighbors(n_neighbors=k, algorithm="brute").fit(X).kneighbors(Q)
    )
    np.testing.assert_array_equal(ind, want_ind)
    np.testing.assert_array_equal(dist, want_dist)
    np.testing.assert_array_equal(cand[1], want_ind)


@settings(max_examples=80, deadline=None)
@given(
    n=st.integers(2, 1100),
    n_query=st.integers(0, 300),
    d=st.integers(1, 4),
    levels=st.integers(1, 20),
    noise=st.booleans(),
    dtype=st.sampled_from([np.float32, np.float64]),
    seed=st.integers(0, 2**16),
)
def test_few_features_take_every_pair_up_to_their_limit_of_pairs(
    n, n_query, d, levels, noise, dtype, seed
):
    # points of 1-4 features: every pair up to FEW_PAIRS_LOW_D(_SELF)[d - 1]
    # pairs, the route (a tree or the tiled passes) past it; the answer is
    # the tiled engine's either way, ties by index
    import smotekit._neighbors as neighbors

    rng = np.random.default_rng(seed)
    X = rng.integers(0, levels, (n, d)) + (rng.random((n, d)) if noise else 0.0)
    X = X.astype(dtype)
    Q = None if n_query == 0 else X[rng.integers(0, n, n_query)] + dtype(0.25)
    k = min(4, n - 1) if Q is None else min(4, n)
    if k == 0:
        return
    pairs = n * (n if Q is None else n_query)
    limits = neighbors.FEW_PAIRS_LOW_D_SELF if Q is None else neighbors.FEW_PAIRS_LOW_D
    calls = []
    decide = neighbors._kd_tree_pays
    with pytest.MonkeyPatch.context() as m:
        m.setattr(neighbors, "_kd_tree_pays", lambda X: calls.append(1) or decide(X))
        nn = ExactNeighbors(n_neighbors=k).fit(X)
        dist, ind = nn.kneighbors(Q)
        cand = nn.candidates(Q)
    if pairs <= limits[d - 1]:
        assert calls == [] and "_route" not in vars(nn)
        np.testing.assert_array_equal(cand[1], ind)
    else:
        # the route chosen (a tree meeting ties may ask again for tied rows)
        assert calls and vars(nn)["_route"] in ("kd_tree", "brute")
    want_dist, want_ind = (
        ExactNeighbors(n_neighbors=k, algorithm="brute").fit(X).kneighbors(Q)
    )
    np.testing.assert_array_equal(ind, want_ind)
    np.testing.assert_array_equal(dist, want_dist)


def test_searches_past_few_pairs_choose_a_route(monkeypatch):
    import smotekit._neighbors as neighbors

    calls = []
    decide = neighbors._kd_tree_pays
    monkeypatch.setattr(
        neighbors, "_kd_tree_pays", lambda X: calls.append(X.shape) or decide(X)
    )
    X = np.random.default_rng(0).normal(size=(4000, 12))
    nn = ExactNeighbors(n_neighbors=2).fit(X)
    # FEW_PAIRS pairs, or more of few features up to FEW_PAIRS_WORK
    few = max(neighbors.FEW_PAIRS, neighbors.FEW_PAIRS_WORK // 12) // 4000
    nn.kneighbors(X[:few])
    assert calls == []
    nn.kneighbors(X[: few + 1])
    assert calls == [(4000, 12)] and nn.algorithm_ == "brute"
    # many features: FEW_PAIRS pairs alone
    X40 = np.random.default_rng(1).normal(size=(2000, 40))
    assert neighbors.FEW_PAIRS_WORK // 40 < neighbors.FEW_PAIRS
    wide = ExactNeighbors(n_neighbors=2).fit(X40)
    wide.kneighbors(X40[: neighbors.FEW_PAIRS // 2000])
    assert calls[1:] == []
    wide.kneighbors(X40[: neighbors.FEW_PAIRS // 2000 + 1])
    assert calls[1:] == [(2000, 40)]
    del calls[1:]
    # past FEW_PAIRS, every pair by work only among at most 2**22 values: a
    # few rows searched again and again among more points take the tree
    big = np.random.default_rng(2).normal(size=(700_000, 6))
    assert 700_000 * 6 > neighbors.FEW_PAIRS_FIT_VALUES
    many = ExactNeighbors(n_neighbors=2).fit(big)
    many.kneighbors(big[:2])  # 1.4M pairs x 6 <= FEW_PAIRS_WORK
    assert calls[1:] == [(700_000, 6)] and many._uses_tree(2)
    fewer = ExactNeighbors(n_neighbors=2).fit(big[:690_000])
    fewer.kneighbors(big[:2])
    assert len(calls) == 2 and "_route" not in vars(fewer)
    del calls[1:]
    # a few features: every pair too; fewer: every pair only up to their
    # own limit of pairs, then the tree, which costs no checks
    five = ExactNeighbors(n_neighbors=2).fit(X[:, :5])
    five.kneighbors(X[:3, :5])
    assert calls[1:] == [] and "_route" not in vars(five)
    low = ExactNeighbors(n_neighbors=2).fit(X[:, :4])
    within = neighbors.FEW_PAIRS_LOW_D[3] // 4000
    low.kneighbors(X[:within, :4])
    assert calls[1:] == [] and "_route" not in vars(low)
    low.kneighbors(X[: within + 1, :4])
    assert calls[1:] == [(4000, 4)] and low.algorithm_ == "kd_tree"


def test_a_fit_searched_often_for_few_rows_takes_its_tree(monkeypatch):
    # every pair reads all the fitted points on each call: after
    # FEW_PAIRS_CALLS such calls, a fit whose route is the tree answers a
    # few rows with it; the answers stay those of brute force
    import smotekit._neighbors as neighbors

    engines = []
    for name in ("kdtree_kneighbors", "every_pair_kneighbors", "brute_kneighbors"):
        real = getattr(neighbors, name)

        def spy(*args, _name=name, _real=real, **kwargs):
            engines.append(_name.split("_")[0])
            return _real(*args, **kwargs)

        monkeypatch.setattr(neighbors, name, spy)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20_000, 6))
    assert X.size > neighbors.FEW_PAIRS_TREE_VALUES
    Q = rng.normal(size=(100, 6))
    want = _query_reference(X, Q, 3)
    nn = ExactNeighbors(n_neighbors=3).fit(X)
    calls = neighbors.FEW_PAIRS_CALLS
    for i in range(calls + 3):
        np.testing.assert_array_equal(nn.kneighbors(Q[i : i + 1])[1], want[i : i + 1])
    assert engines == ["every"] * calls + ["kdtree"] * 3
    # more rows than one per FEW_PAIRS_TREE_SHARE fitted points: every pair
    many = len(X) // neighbors.FEW_PAIRS_TREE_SHARE + 1
    del engines[:]
    np.testing.assert_array_equal(nn.kneighbors(Q[:many])[1], want[:many])
    assert engines == ["every"]
    # a row at another scale than the fit's (not the tree's): every pair
    del engines[:]
    huge = np.vstack([np.full((1, 6), 1e300), Q[:2]])
    ind = nn.kneighbors(huge)[1]
    assert sorted(engines) == ["every", "kdtree"]
    np.testing.assert_array_equal(ind[1:], want[:2])
    brute = ExactNeighbors(n_neighbors=3, algorithm="brute").fit(X)
    np.testing.assert_array_equal(ind[:1], brute.kneighbors(huge[:1])[1])
    # a refit counts again, and only searches of so few rows count; a fit of
    # few values, or whose route is the tiled products, keeps every pair
    del engines[:]
    nn.fit(X)
    for _ in range(calls):
        nn.kneighbors(Q[:many])
    nn.kneighbors(Q[:1])
    assert engines == ["every"] * (calls + 1) and "_route" not in vars(nn)
    for fit in (X[: neighbors.FEW_PAIRS_TREE_VALUES // 6], rng.normal(size=(4000, 30))):
        del engines[:]
        small = ExactNeighbors(n_neighbors=3).fit(fit)
        for i in range(calls + 3):
            small.kneighbors(fit[i : i + 1] + 0.5)
        assert engines == ["every"] * (calls + 3)


def test_threads_at_the_turn_of_the_route_build_one_tree(monkeypatch):
    import smotekit._neighbors as neighbors

    built = []
    real = neighbors.OrderedTree
    monkeypatch.setattr(neighbors, "OrderedTree", lambda X: built.append(1) or real(X))
    rng = np.random.default_rng(1)
    X = rng.normal(size=(60_000, 5))
    Q = rng.normal(size=(8, 5))
    want = _query_reference(X, Q, 2)
    nn = ExactNeighbors(n_neighbors=2).fit(X)
    for _ in range(neighbors.FEW_PAIRS_CALLS):
        nn.kneighbors(Q[:1])
    assert built == []
    start = threading.Barrier(8)
    got = [None] * 8

    def query(i):
        start.wait()
        got[i] = nn.kneighbors(Q[i : i + 1], return_distance=False)

    threads = [threading.Thread(target=query, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert built == [1] and nn.algorithm_ == "kd_tree"
    np.testing.assert_array_equal(np.vstack(got), want)
    # the lock goes with neither a pickle nor a copy, and comes back
    loaded = pickle.loads(pickle.dumps(nn))
    np.testing.assert_array_equal(loaded.kneighbors(Q, return_distance=False), want)
    assert ExactNeighbors().fit(X[:50]).algorithm_ == "kd_tree"


def test_a_refused_refit_leaves_the_previous_fit_whole():
    X = np.random.default_rng(0).normal(size=(50, 4))
    nn = ExactNeighbors(n_neighbors=2, algorithm="kd_tree").fit(X)
    want = nn.kneighbors()
    with pytest.raises(ValueError, match="needs dense data"):
        nn.fit(sparse.random(20, 4, density=0.5, format="csr", random_state=0))
    with pytest.raises(ValueError, match="at most 127 features"):
        nn.fit(np.ones((20, 200)))
    assert nn.n_samples_fit_ == 50 and nn.algorithm_ == "kd_tree"
    for a, b in zip(nn.kneighbors(), want, strict=True):
        np.testing.assert_array_equal(a, b)


def test_parameters_set_after_a_fit_wait_for_the_next_fit():
    # scikit-learn's rule: a fitted estimator answers as fitted until refit
    X = np.random.default_rng(1).normal(size=(300, 12))
    nn = ExactNeighbors(n_neighbors=3).fit(X)
    few = nn.kneighbors(X[:5])  # few pairs: every pair, no route yet
    nn.set_params(algorithm="kd_tree")
    np.testing.assert_array_equal(nn.kneighbors(X[:5])[1], few[1])
    assert "_route" not in vars(nn)  # still every pair, as fitted
    assert nn.algorithm_ == "brute"  # what 'auto' chose for the fitted points
    nn.fit(X)
    assert nn.algorithm_ == "kd_tree"
    np.testing.assert_array_equal(nn.kneighbors(X[:5])[1], few[1])


@pytest.mark.parametrize("fmt", ["lil", "dok", "dia"])
def test_other_sparse_formats_search_as_csr(fmt):
    X = sparse.random(40, 10, density=0.3, random_state=0, format="csr")
    expected = ExactNeighbors(n_neighbors=2).fit(X).kneighbors(X)
    nn = ExactNeighbors(n_neighbors=2).fit(X.asformat(fmt))
    got = nn.kneighbors(X.asformat(fmt))
    np.testing.assert_array_equal(got[1], expected[1])
    np.testing.assert_array_equal(got[0], expected[0])


def test_query_columns_are_checked_against_the_fitted_names():
    frame = pd.DataFrame({"a": [0.0, 10.0, 0.0], "b": [0.0, 0.0, 10.0]})
    nn = ExactNeighbors(n_neighbors=1).fit(frame)
    assert nn.n_features_in_ == 2 and nn.feature_names_in_.tolist() == ["a", "b"]
    swapped = pd.DataFrame({"b": [9.0], "a": [0.0]})  # the point a=0, b=9
    with pytest.raises(ValueError, match=r"^The feature names should match those"):
        nn.kneighbors(swapped)
    assert nn.kneighbors(swapped[["a", "b"]], return_distance=False).tolist() == [[2]]
    assert nn.kneighbors([[0.0, 9.0]], return_distance=False).tolist() == [[2]]
    assert not hasattr(ExactNeighbors(1).fit(frame.to_numpy()), "feature_names_in_")


def test_kneighbors_graph_holds_the_neighbours_and_their_distances():
    X = np.random.default_rng(0).normal(size=(30, 3))
    nn = ExactNeighbors(n_neighbors=3).fit(X)
    dist, ind = nn.kneighbors()
    graph = nn.kneighbors_graph(mode="distance")
    assert graph.shape == (30, 30) and graph.format == "csr"
    for row in range(30):
        assert graph[row].indices.tolist() == ind[row].tolist()
        np.testing.assert_array_equal(graph[row].data, dist[row])
    assert (nn.kneighbors_graph(X[:4]).toarray().sum(axis=1) == 3).all()
    with pytest.raises(ValueError, match="'connectivity' or 'distance'; got 'x'"):
        nn.kneighbors_graph(mode="x")
    assert nn.__sklearn_tags__().input_tags.sparse


def test_imbalanced_learn_takes_it_as_k_neighbors():
    from imblearn.over_sampling import SMOTE as ImbSMOTE

    X = np.random.default_rng(0).normal(size=(40, 2))
    y = np.array([0] * 30 + [1] * 10)
    ours, _ = ImbSMOTE(k_neighbors=ExactNeighbors(6), random_state=0).fit_resample(X, y)
    theirs, _ = ImbSMOTE(k_neighbors=5, random_state=0).fit_resample(X, y)
    np.testing.assert_allclose(ours, theirs)


def test_pandas_missing_values_are_named_as_missing():
    X = np.random.default_rng(0).random((10, 2)) * 2
    frame = pd.DataFrame(X).astype("Float64").mask(X > 1)
    n_missing = int((X > 1).sum())
    with pytest.raises(ValueError) as e:
        ExactNeighbors(n_neighbors=1).fit(frame)
    assert str(e.value).startswith(
        f"ExactNeighbors needs finite values in X; got {n_missing} NaN value(s)"
    )
    with pytest.raises(ValueError, match="needs numeric values in X; got dtype obj"):
        ExactNeighbors(n_neighbors=1).fit(np.array([[1.0, "a"], [None, 2]], object))


@pytest.mark.parametrize("engine", ["exact", "approximate"])
def test_too_few_candidates_tells_a_fix_that_exists(engine):
    if engine == "approximate":
        pytest.importorskip("faiss")
        from smotekit import ApproximateNeighbors as make
    else:
        make = ExactNeighbors
    X = np.random.default_rng(0).random((5, 2))
    owner = make.__name__
    with pytest.raises(
        ValueError,
        match=rf"^{owner} cannot return 1 neighbour: only 0 .*fit on at least "
        r"2 samples, or pass the query rows X\.$",
    ):
        make(n_neighbors=1).fit(X[:1]).kneighbors()
    with pytest.raises(
        ValueError,
        match=r"only 4 candidate samples .*Lower n_neighbors to at most 4\.$",
    ):
        make(n_neighbors=9).fit(X).kneighbors()
