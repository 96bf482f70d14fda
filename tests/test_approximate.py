"""The opt-in approximate neighbour mode: recall, determinism, interface."""

import copy
import pickle
import re

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.exceptions import NotFittedError

faiss = pytest.importorskip("faiss")

from smotekit import SMOTE, ApproximateNeighbors, ExactNeighbors  # noqa: E402


@pytest.fixture
def clustered():
    rng = np.random.RandomState(0)
    centers = rng.standard_normal((20, 6)) * 10
    X = centers[rng.randint(0, 20, 6000)] + rng.standard_normal((6000, 6))
    return X


def _recall(found, truth):
    hits = sum(
        len(set(a) & set(b))
        for a, b in zip(found.tolist(), truth.tolist(), strict=True)
    )
    return hits / truth.size


def test_recall_is_high_on_structured_data(clustered):
    truth = (
        ExactNeighbors(n_neighbors=5).fit(clustered).kneighbors(return_distance=False)
    )
    approx = ApproximateNeighbors(n_neighbors=5).fit(clustered)
    found = approx.kneighbors(return_distance=False)
    assert found.shape == truth.shape
    assert not (found == np.arange(len(clustered))[:, None]).any()
    assert _recall(found, truth) > 0.95
    assert approx.n_probe_ < approx.n_lists_  # it really is approximate


def test_probing_every_cell_is_exact(clustered):
    truth = (
        ExactNeighbors(n_neighbors=4).fit(clustered).kneighbors(return_distance=False)
    )
    full = ApproximateNeighbors(n_neighbors=4, n_lists=16, n_probe=16).fit(clustered)
    assert _recall(full.kneighbors(return_distance=False), truth) == 1.0


def test_threads_do_not_change_the_answer(clustered):
    one = ApproximateNeighbors(n_neighbors=5, n_jobs=1).fit(clustered).kneighbors()
    two = ApproximateNeighbors(n_neighbors=5, n_jobs=2).fit(clustered).kneighbors()
    np.testing.assert_array_equal(one[1], two[1])


def test_external_queries_and_missing_cells_filled(clustered):
    # many cells, one probe: some queries see fewer than k points in their cell
    nn = ApproximateNeighbors(n_neighbors=50, n_lists=150, n_probe=1).fit(clustered)
    ind = nn.kneighbors(clustered[:100], return_distance=False)
    assert ind.shape == (100, 50) and (ind >= 0).all()


def test_smote_with_approximate_neighbours_keeps_exact_counts_and_provenance(
    clustered,
):
    y = np.array([0] * 4500 + [1] * 1500)
    smote = SMOTE(k_neighbors=ApproximateNeighbors(n_neighbors=6), random_state=0)
    X_res, y_res = smote.fit_resample(clustered, y)
    assert np.bincount(y_res).tolist() == [4500, 4500]
    p = smote.provenance_
    rebuilt = clustered[p.parent] + p.gap[:, None] * (
        clustered[p.neighbor] - clustered[p.parent]
    )
    np.testing.assert_array_equal(X_res[6000:], rebuilt)
    assert (y[p.parent] == 1).all() and (y[p.neighbor] == 1).all()
    again = SMOTE(k_neighbors=ApproximateNeighbors(n_neighbors=6), random_state=0)
    np.testing.assert_array_equal(again.fit_resample(clustered, y)[0], X_res)


def test_pickle_round_trip(clustered):
    nn = ApproximateNeighbors(n_neighbors=3).fit(clustered)
    loaded = pickle.loads(pickle.dumps(nn))
    np.testing.assert_array_equal(
        loaded.kneighbors(return_distance=False), nn.kneighbors(return_distance=False)
    )


def test_too_many_neighbours_is_a_clear_error():
    nn = ApproximateNeighbors(n_neighbors=9).fit(np.zeros((5, 2)))
    with pytest.raises(ValueError, match="cannot return 9 neighbours: only 4"):
        nn.kneighbors()


def test_bad_input_is_a_clear_error(clustered):
    X = clustered[:50]
    with pytest.raises(ValueError, match=r"finite values in X; got 1 NaN"):
        ApproximateNeighbors().fit(np.where(X == X[3, 1], np.nan, X))
    with pytest.raises(ValueError, match="got 1-D data of shape"):
        ApproximateNeighbors().fit(X[:, 0])
    with pytest.raises(ValueError, match="needs dense data; got a sparse matrix"):
        ApproximateNeighbors().fit(sparse.csr_matrix(X))
    nn = ApproximateNeighbors(n_neighbors=3).fit(X)
    with pytest.raises(ValueError, match="query X has 4 features, but "
                       "ApproximateNeighbors was fitted on 6"):  # fmt: skip
        nn.kneighbors(np.zeros((2, 4)))
    with pytest.raises(ValueError, match=r"query X; got 1 infinite"):
        nn.kneighbors(np.where(X == X[0, 0], np.inf, X))
    with pytest.raises(ValueError, match="n_neighbors must be a positive integer"):
        nn.kneighbors(X, n_neighbors=0)
    with pytest.raises(NotFittedError):
        ApproximateNeighbors().kneighbors(X)


@pytest.mark.parametrize("power", [120, -120, 900])
def test_scale_of_the_data_does_not_change_the_answer(clustered, power):
    # faiss computes in float32: the points are scaled by a power of two and
    # centred first, so values near float32's limits (which once aborted the
    # process) or beyond it give the answer of the unscaled points, and the
    # distances scale with them
    dtype = np.float64 if power == 900 else np.float32
    X = clustered.astype(dtype)
    scale = np.ldexp(1.0, power)
    base = ApproximateNeighbors(n_neighbors=5).fit(X)
    scaled = ApproximateNeighbors(n_neighbors=5).fit((X * scale).astype(dtype))
    dist, ind = scaled.kneighbors()
    want_dist, want_ind = base.kneighbors()
    np.testing.assert_array_equal(ind, want_ind)
    # distances are exact (float64) distances of the scaled float32 points:
    # equal when the scaled copy is exact; at 2**-120 in float32 the
    # smallest values of the copy become subnormal and lose their last bits
    exact_copy = np.array_equal(
        (X * scale).astype(dtype).astype(np.float64) / scale, X.astype(np.float64)
    )
    rtol = 0 if exact_copy else 1e-12
    assert exact_copy == (power != -120)
    np.testing.assert_allclose(dist, want_dist * scale, rtol=rtol, atol=0)
    q_dist, q_ind = scaled.kneighbors((X[:40] * scale).astype(dtype))
    want_q_dist, want_q_ind = base.kneighbors(X[:40])
    np.testing.assert_array_equal(q_ind, want_q_ind)
    np.testing.assert_allclose(q_dist, want_q_dist * scale, rtol=rtol, atol=0)
    loaded = pickle.loads(pickle.dumps(scaled))
    np.testing.assert_array_equal(loaded.kneighbors()[0], dist)


def test_a_large_common_offset_keeps_the_neighbours(clustered):
    # timestamps-like features: in float32 an offset of 1.7e9 rounds every
    # coordinate to a multiple of 128; centring first keeps the spread
    truth = ExactNeighbors(n_neighbors=5).fit(clustered).kneighbors()[1]
    shifted = clustered + 1.7e9
    full = ApproximateNeighbors(n_neighbors=5, n_lists=16, n_probe=16).fit(shifted)
    assert _recall(full.kneighbors(return_distance=False), truth) > 0.99


def _tie_aware_recall(points, found, k):
    """Share of found neighbours no farther than each row's exact k-th
    (float64 distances of ``points``, each row excluded from its own)."""
    P = points.astype(np.float64)
    sq = ((P[:, None, :] - P[None, :, :]) ** 2).sum(axis=2)
    np.fill_diagonal(sq, np.inf)
    kth = np.sort(sq, axis=1)[:, k - 1 : k]
    return float((np.take_along_axis(sq, found, axis=1) <= kth).mean())


@pytest.mark.parametrize("copies", [0, 300])
@pytest.mark.parametrize("n_probe", [1, 2, 8])
def test_estimated_recall_over_every_sample_is_the_recall(clustered, n_probe, copies):
    # with copies of rows, a row's own index may come after its copy's
    X = np.vstack([clustered[:1500], clustered[:copies]])
    nn = ApproximateNeighbors(n_neighbors=5, n_lists=60, n_probe=n_probe).fit(X)
    found = nn.kneighbors(return_distance=False)
    expected = _tie_aware_recall(nn._points, found, 5)
    assert nn.estimate_recall(n_samples=len(X)) == expected
    assert nn.estimate_recall(n_samples=10**6) == expected
    if n_probe == 1:
        assert expected < 0.99  # the estimate has misses to count


def test_estimated_recall_of_a_sample_is_close_and_reproducible(clustered):
    nn = ApproximateNeighbors(n_neighbors=5, n_lists=150, n_probe=1).fit(clustered)
    whole = nn.estimate_recall(n_samples=len(clustered))
    assert whole < 0.9
    part = nn.estimate_recall(n_samples=1000, random_state=3)
    assert abs(part - whole) < 0.05
    assert nn.estimate_recall(n_samples=1000, random_state=3) == part
    rng = np.random.RandomState(3)
    assert nn.estimate_recall(n_samples=1000, random_state=rng) == part
    assert nn.estimate_recall(n_samples=1000, random_state=4) != part


def test_estimated_recall_counts_neighbours_itself_excluded():
    # a lattice, every point twice: each has its copy at distance 0 and 4
    # points at distance 1 (fewer on the edges), so the 4th neighbour is
    # tied; the mean is a power-of-two fraction, so the indexed points are
    # the lattice exactly, and all cells are probed: every list is exact
    grid = np.stack(np.meshgrid(np.arange(30), np.arange(30)), -1).reshape(-1, 2)
    X = np.vstack([grid, grid]).astype(np.float64)
    nn = ApproximateNeighbors(n_neighbors=4, n_lists=4, n_probe=4).fit(X)
    assert nn.estimate_recall(n_samples=len(X)) == 1.0
    assert nn.estimate_recall(n_neighbors=1) == 1.0


def test_estimated_recall_counts_tied_points_as_found():
    # a lattice (exactly the indexed points: its mean is a power-of-two
    # fraction): a point's 3rd neighbour is one of up to 4 at distance 1; the
    # index, probing 1 of 16 cells, often lists another tied point than the
    # exact search, and that is not a miss
    grid = np.stack(np.meshgrid(np.arange(40), np.arange(40)), -1).reshape(-1, 2)
    nn = ApproximateNeighbors(n_neighbors=3, n_lists=16, n_probe=1).fit(grid * 1.0)
    found = nn.kneighbors(return_distance=False)
    estimate = nn.estimate_recall(n_samples=len(grid))
    assert estimate == _tie_aware_recall(nn._points, found, 3)
    exact = ExactNeighbors(n_neighbors=3).fit(grid * 1.0).kneighbors()[1]
    pairs = zip(found.tolist(), exact.tolist(), strict=True)
    same_index = np.mean([len(set(a) & set(b)) for a, b in pairs]) / 3
    assert same_index < estimate - 0.02 < 1.0


def test_estimated_recall_of_smote_neighbours(clustered):
    y = np.r_[np.zeros(4500, int), np.ones(1500, int)]
    smote = SMOTE(k_neighbors=ApproximateNeighbors(6), random_state=0)
    smote.fit_resample(clustered, y)
    assert 0.95 < smote.nn_k_.estimate_recall(n_neighbors=5) <= 1.0


def test_estimate_recall_refuses_bad_arguments(clustered):
    with pytest.raises(NotFittedError):
        ApproximateNeighbors().estimate_recall()
    nn = ApproximateNeighbors(n_neighbors=3).fit(clustered[:200])
    for bad in (0, -5, 2.5, "100", True, None):
        message = f"n_samples must be a positive integer; got {bad!r}."
        with pytest.raises(ValueError, match=re.escape(message)):
            nn.estimate_recall(bad)
    for bad in (0, True, 1.0):
        message = (
            f"estimate_recall: n_neighbors must be a positive integer; got {bad!r}"
        )
        with pytest.raises(ValueError, match=re.escape(message)):
            nn.estimate_recall(n_neighbors=bad)
    with pytest.raises(ValueError, match="cannot return 200 neighbours: only 199"):
        nn.estimate_recall(n_neighbors=200)


def test_a_bool_neighbour_count_is_refused_at_fit_naming_it():
    # True passed the Integral constraint and failed later in numpy with
    # "an integer is required"
    X = np.random.RandomState(0).rand(300, 2)
    message = "ApproximateNeighbors: n_neighbors must be a positive integer; got True"
    with pytest.raises(ValueError, match=message):
        ApproximateNeighbors(n_neighbors=True).fit(X)
    y = np.array([0] * 200 + [1] * 100)
    with pytest.raises(ValueError, match=message):
        SMOTE(k_neighbors=ApproximateNeighbors(True), random_state=0).fit_resample(X, y)


def test_a_far_query_gets_its_own_distance_not_the_clipped_one():
    # queries are clipped for the index's float32 arithmetic; the candidates
    # were ranked, and their distances measured, from the clipped row
    X = np.array([[1.0, 0.0], [0.7, 0.7], [-1.0, 0.0], [0.0, -1.0]] * 10)
    X = X + np.repeat(np.arange(10)[:, None] * 1e-3, 4, axis=0)
    query = np.array([[3e16, 0.0], [0.5, 0.5]])
    dist, _ = ApproximateNeighbors(1, n_probe=10**6).fit(X).kneighbors(query)
    exact, _ = ExactNeighbors(1).fit(X).kneighbors(query)
    np.testing.assert_allclose(dist, exact, rtol=1e-6)  # 2.25e15 for 3e16


@pytest.mark.parametrize("far", [1e160, 1e300])
def test_a_query_whose_squares_overflow_gets_finite_distances(far):
    X = np.random.RandomState(0).randn(200, 2)
    query = np.array([[far, 0.0], [-far, far], [0.3, 0.1]])
    dist, ind = ApproximateNeighbors(2, n_probe=10**6).fit(X).kneighbors(query)
    exact, exact_ind = ExactNeighbors(2).fit(X).kneighbors(query)
    assert np.isfinite(dist).all()
    np.testing.assert_allclose(dist, exact, rtol=1e-6)
    # far off, every point is at the same float64 distance: any is exact
    np.testing.assert_array_equal(ind[2], exact_ind[2])


def test_a_class_too_small_for_two_cells_is_searched_in_one_without_noise(capfd):
    # faiss's k-means prints a warning on stderr below 39 points a cell
    rng = np.random.default_rng(0)
    X = rng.random((20, 3))
    approximate = ApproximateNeighbors(n_neighbors=3).fit(X)
    assert approximate.n_lists_ == 1
    exact = ExactNeighbors(n_neighbors=3).fit(X)
    queries = rng.random((5, 3))
    np.testing.assert_array_equal(
        approximate.kneighbors(queries)[1], exact.kneighbors(queries)[1]
    )
    np.testing.assert_array_equal(approximate.kneighbors()[1], exact.kneighbors()[1])
    assert capfd.readouterr().err == ""


def test_estimate_recall_counts_ties_that_float32_rounding_split():
    # integer points: every returned neighbour is exact when each cell is read
    X = np.random.RandomState(0).randint(0, 4, (1000, 4)).astype(float)
    nn = ApproximateNeighbors(n_neighbors=5, n_probe=10**6).fit(X)
    _, ind = nn.kneighbors()
    kth = np.sort(((X[:, None] - X[None]) ** 2).sum(-1) + np.diag([np.inf] * 1000))
    found = ((X[:, None] - X[ind]) ** 2).sum(-1)
    assert (found <= kth[:, 4:5]).all()
    assert nn.estimate_recall() == 1.0


def test_approximate_names_graph_and_sparse_formats():
    frame = pd.DataFrame({"a": [0.0, 10.0, 0.0], "b": [0.0, 0.0, 10.0]})
    nn = ApproximateNeighbors(n_neighbors=1).fit(frame)
    assert nn.n_features_in_ == 2 and nn.feature_names_in_.tolist() == ["a", "b"]
    with pytest.raises(ValueError, match=r"^The feature names should match those"):
        nn.kneighbors(pd.DataFrame({"b": [9.0], "a": [0.0]}))
    graph = nn.kneighbors_graph()
    assert graph.toarray().tolist() == [[0, 1, 0], [1, 0, 0], [1, 0, 0]]
    with pytest.raises(ValueError, match="needs dense data"):
        ApproximateNeighbors(n_neighbors=1).fit(sparse.random(5, 3, format="dok"))


def _recall(found, exact):
    pairs = zip(found, exact, strict=True)
    return np.mean([len(set(a) & set(b)) / len(a) for a, b in pairs])


@pytest.mark.parametrize("n_probe", [None, 10**6])
def test_tight_clusters_far_apart_keep_their_neighbours(n_probe):
    # the clusters' extent (1000) dwarfs the distances within them (0.1):
    # ranked from the origin in float32, 3.5% of the neighbours were found
    rng = np.random.RandomState(6)
    X = np.r_[rng.randn(1000, 2) * 0.1, 1000 + rng.randn(1000, 2) * 0.1]
    nn = ApproximateNeighbors(5, n_probe=n_probe).fit(X)
    exact = ExactNeighbors(5).fit(X).kneighbors(return_distance=False)
    assert _recall(nn.kneighbors(return_distance=False), exact) >= 0.99


def test_a_copy_searches_as_the_fitted_index_whatever_the_parameters_now():
    X = np.random.RandomState(0).randn(8000, 10)
    nn = ApproximateNeighbors(6).fit(X)
    want = nn.kneighbors(X[:300])
    nn.set_params(n_probe=1, n_lists=7)  # no refit: nn still searches as fitted
    for twin in (pickle.loads(pickle.dumps(nn)), copy.deepcopy(nn)):
        assert (twin.n_lists_, twin.n_probe_) == (nn.n_lists_, nn.n_probe_)
        got = twin.kneighbors(X[:300])
        np.testing.assert_array_equal(got[1], want[1])
        np.testing.assert_array_equal(got[0], want[0])


@pytest.mark.parametrize("far", [3e6, 1e12])
def test_queries_far_from_every_cell_keep_their_neighbours(far):
    # their squared distance to a cell's centroid would swallow, in float32,
    # the differences between that cell's points
    rng = np.random.RandomState(0)
    X = rng.randn(20000, 3)
    queries = rng.randn(200, 3)
    queries[:, 0] += far
    nn = ApproximateNeighbors(10, n_probe=10**6).fit(X)
    exact = ExactNeighbors(10).fit(X).kneighbors(queries, return_distance=False)
    assert _recall(nn.kneighbors(queries, return_distance=False), exact) >= 0.99


def test_estimate_recall_of_one_fitted_sample_suggests_no_query_rows():
    with pytest.raises(
        ValueError,
        match=r"^ApproximateNeighbors.estimate_recall cannot return 1 neighbour: "
        r".*fit on at least 2 samples\.$",
    ):
        ApproximateNeighbors(1).fit([[0.0, 1.0]]).estimate_recall()
