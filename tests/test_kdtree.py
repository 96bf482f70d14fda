"""The kd-tree route and the sparse route give the brute-force answer, ties
included: the same neighbour sets, ordered by distance then index."""

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from smotekit import ExactNeighbors, _kdtree

#: Coordinates whose sums of squares tie exactly (integers) or nearly
#: (decimals that binary floats cannot hold: ties decided by rounding).
VALUES = {"integers": [0.0, 1.0, 2.0, 3.0], "decimals": [0.0, 0.1, 0.2, 0.3, 0.7]}


def _sq(Q, X):
    """Squared distances summed in float64 in feature order (the package's
    one definition)."""
    Q, X = np.asarray(Q, dtype=np.float64), np.asarray(X, dtype=np.float64)
    sq = np.zeros((len(Q), len(X)))
    for f in range(X.shape[1]):
        sq += (Q[:, None, f] - X[None, :, f]) ** 2
    return sq


def _reference(X, Q, k):
    """The k nearest by (distance, index); a self-query (``Q`` None) skips
    each point itself."""
    sq = _sq(X if Q is None else Q, X)
    if Q is None:
        np.fill_diagonal(sq, np.inf)
    order = np.lexsort((np.broadcast_to(np.arange(len(X)), sq.shape), sq), axis=1)
    ind = order[:, :k]
    return ind, np.sqrt(np.take_along_axis(sq, ind, axis=1))


def _tied_points(rng, n, d, values, dtype):
    X = rng.choice(VALUES[values], size=(n, d)) * rng.choice([-1.0, 1.0], (n, d))
    return X.astype(dtype)


#: The tree built, and large query sets searched, in a spatial order (boxes
#: of 3 rows), as from ORDER_MIN_ROWS rows on.
SPATIAL = {"ORDER_MIN_ROWS": 2, "ORDER_LEAF": 3}
ROUTES = {
    "default": {},
    # every uncertain row straight to the tiled engine
    "no widening": {"MAX_WIDTH": 1},
    # repeated rows searched row by row with the tree, not grouped
    "no grouping": {"sample_repeats": lambda fit_raw: False},
    "spatial order": SPATIAL,
    "spatial order, no widening": {**SPATIAL, "MAX_WIDTH": 1},
    "spatial order, no grouping": {**SPATIAL, "sample_repeats": lambda fit_raw: False},
}


def _forced(route):
    mp = pytest.MonkeyPatch()
    for name, value in ROUTES[route].items():
        mp.setattr(_kdtree, name, value)
    return mp


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(2, 300),
    d=st.integers(1, 6),
    values=st.sampled_from(sorted(VALUES)),
    route=st.sampled_from(sorted(ROUTES)),
    n_jobs=st.integers(1, 3),
    dtype=st.sampled_from([np.float32, np.float64]),
    seed=st.integers(0, 2**16),
)
def test_tree_self_search_equals_brute_force_on_ties(
    n, d, values, route, n_jobs, dtype, seed
):
    X = _tied_points(np.random.default_rng(seed), n, d, values, dtype)
    k = min(5, n - 1)
    ind, dist = _reference(X, None, k)
    mp = _forced(route)
    try:
        nn = ExactNeighbors(k, algorithm="kd_tree", n_jobs=n_jobs).fit(X)
        got_dist, got_ind = nn.kneighbors()
    finally:
        mp.undo()
    np.testing.assert_array_equal(got_ind, ind)
    np.testing.assert_array_equal(got_dist, dist)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 200),
    n_query=st.integers(1, 50),
    d=st.integers(1, 5),
    values=st.sampled_from(sorted(VALUES)),
    route=st.sampled_from(sorted(ROUTES)),
    dtype=st.sampled_from([np.float32, np.float64]),
    seed=st.integers(0, 2**16),
)
def test_tree_query_search_equals_brute_force_on_ties(
    n, n_query, d, values, route, dtype, seed
):
    rng = np.random.default_rng(seed)
    X = _tied_points(rng, n, d, values, dtype)
    Q = _tied_points(rng, n_query, d, values, dtype)
    k = min(4, n)
    ind, dist = _reference(X, Q, k)
    mp = _forced(route)
    try:
        got_dist, got_ind = ExactNeighbors(k, algorithm="kd_tree").fit(X).kneighbors(Q)
    finally:
        mp.undo()
    np.testing.assert_array_equal(got_ind, ind)
    np.testing.assert_array_equal(got_dist, dist)


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(2, 400),
    d=st.integers(1, 4),
    offset=st.sampled_from([1e2, 1e4, 1e6]),
    step=st.sampled_from([1e-3, 1.0]),
    jitter=st.sampled_from([0.0, 1e-12, 1e-9, 1e-6]),
    route=st.sampled_from(["default", "spatial order"]),
    seed=st.integers(0, 2**16),
)
def test_tree_search_far_from_the_origin_equals_brute_force(
    n, d, offset, step, jitter, route, seed
):
    # points of a lattice far from the origin, moved by less than their
    # spacing: near-ties whose order rests on digits far below the common
    # offset, which the tree (unlike the tiled engine) does not subtract
    rng = np.random.default_rng(seed)
    side = max(2, round(n ** (1 / d)))
    X = offset + step * rng.integers(0, side, (n, d))
    X = X + jitter * step * rng.standard_normal((n, d))
    k = min(5, n - 1)
    ind, dist = _reference(X, None, k)
    mp = _forced(route)
    try:
        got_dist, got_ind = ExactNeighbors(k, algorithm="kd_tree").fit(X).kneighbors()
    finally:
        mp.undo()
    np.testing.assert_array_equal(got_ind, ind)
    np.testing.assert_array_equal(got_dist, dist)


def test_tree_and_tiled_engine_agree_bit_for_bit_on_continuous_data():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((3000, 6)) * 100
    tree = ExactNeighbors(6, algorithm="kd_tree").fit(X).kneighbors()
    tiled = ExactNeighbors(6, algorithm="brute").fit(X).kneighbors()
    np.testing.assert_array_equal(tree[1], tiled[1])
    np.testing.assert_array_equal(tree[0], tiled[0])


def _tree_passes(monkeypatch):
    widths = []
    original = _kdtree._tree_pass

    def spy(tree, queries, rows, n_ask, width, n_threads):
        widths.append((width, len(queries) if rows is None else len(rows)))
        return original(tree, queries, rows, n_ask, width, n_threads)

    monkeypatch.setattr(_kdtree, "_tree_pass", spy)
    return widths


def test_continuous_data_is_certified_by_the_first_tree_query(monkeypatch):
    widths = _tree_passes(monkeypatch)
    X = np.random.default_rng(0).standard_normal((2000, 4))
    ExactNeighbors(6, algorithm="kd_tree").fit(X).kneighbors()
    assert widths == [(8, 2000)]  # 6 + the point itself + one to certify


def test_ties_at_the_kth_distance_widen_the_tree_query(monkeypatch):
    # a 2-d grid of distinct points: each inner point has 4 neighbours at
    # distance 1, so k=2 is tied at the boundary everywhere
    widths = _tree_passes(monkeypatch)
    grid = np.array([[i, j] for i in range(20) for j in range(20)], dtype=float)
    X = grid[np.random.default_rng(1).permutation(len(grid))]
    dist, ind = ExactNeighbors(2, algorithm="kd_tree").fit(X).kneighbors(n_neighbors=2)
    assert widths[0] == (4, 400)
    assert [w for w, _ in widths[1:]] == [8]  # 4 neighbours + itself fit in 8
    ref_ind, ref_dist = _reference(X, None, 2)
    np.testing.assert_array_equal(ind, ref_ind)
    np.testing.assert_array_equal(dist, ref_dist)


def test_rows_tied_beyond_the_widest_list_go_to_the_tiled_engine(monkeypatch):
    # the 12 integer points at distance 5 from the query (3-4-5 triangles),
    # more than the widest tree list allowed here
    circle = np.array(
        [[5, 0], [0, 5], [-5, 0], [0, -5], [3, 4], [4, 3], [-3, 4], [-4, 3],
         [3, -4], [4, -3], [-3, -4], [-4, -3]], dtype=float,
    )  # fmt: skip
    assert (np.hypot(*circle.T) == 5).all()
    X = np.vstack([circle[::-1], [[50.0, 50.0]] * 3])
    calls = []
    monkeypatch.setattr(_kdtree, "MAX_WIDTH", 4)
    original = _kdtree.sq_kneighbors

    def spy(fit_raw, query_raw, k, **kwargs):
        calls.append(len(query_raw))
        return original(fit_raw, query_raw, k, **kwargs)

    monkeypatch.setattr(_kdtree, "sq_kneighbors", spy)
    Q = np.zeros((1, 2))
    ind = ExactNeighbors(3, algorithm="kd_tree").fit(X).kneighbors(Q)[1]
    assert calls == [1]
    assert ind.tolist() == [[0, 1, 2]]  # lowest indices among the 12 tied


def test_widening_stops_at_the_widest_list(monkeypatch):
    # 5 asked, one more to certify: 6, 12, ... 192, then MAX_WIDTH (256),
    # not 384; the 300 points at distance 1 of the query (ties, or within
    # rounding) are more than any list holds
    widths = _tree_passes(monkeypatch)
    ring = np.array([[np.cos(t), np.sin(t)] for t in np.arange(300) * 2 * np.pi / 300])
    X = np.vstack([np.zeros((1, 2)), ring / np.hypot(*ring.T)[:, None]])
    assert _kdtree.MAX_WIDTH == 256
    ind = ExactNeighbors(5, algorithm="kd_tree").fit(X).kneighbors(X[:1])[1]
    assert [w for w, _ in widths] == [6, 12, 24, 48, 96, 192, 256]
    np.testing.assert_array_equal(ind, _reference(X, X[:1], 5)[0])


@pytest.mark.parametrize("block_size", [None, 7])
def test_sparse_route_equals_dense_on_tied_points(block_size):
    rng = np.random.default_rng(2)
    X = rng.integers(0, 3, size=(400, 6)).astype(float)
    X[rng.random(X.shape) < 0.5] = 0.0
    Q = rng.integers(0, 3, size=(40, 6)).astype(float)
    dense = ExactNeighbors(6).fit(X)
    sp = ExactNeighbors(6, block_size=block_size).fit(sparse.csr_matrix(X))
    for query in (None, Q):
        sp_query = None if query is None else sparse.csr_matrix(query)
        want_dist, want_ind = dense.kneighbors(query)
        got_dist, got_ind = sp.kneighbors(sp_query)
        np.testing.assert_array_equal(got_ind, want_ind)
        np.testing.assert_allclose(got_dist, want_dist, rtol=1e-12)
        np.testing.assert_array_equal(want_ind, _reference(X, query, 6)[0][:, :6])


@pytest.mark.parametrize("route", ["default", "spatial order"])
def test_candidates_list_nearest_points_in_the_trees_own_tie_order(route):
    rng = np.random.default_rng(3)
    X = rng.integers(0, 3, size=(300, 3)).astype(float)
    Q = rng.integers(0, 3, size=(40, 3)).astype(float)
    mp = _forced(route)
    try:
        nn = ExactNeighbors(5, algorithm="kd_tree").fit(X)
        dist, ind = nn.candidates()
        want_dist, _ = nn.kneighbors()
        q_dist, q_ind = nn.candidates(Q)
        q_want_dist, _ = nn.kneighbors(Q)
    finally:
        mp.undo()
    assert (nn._tree.order is None) == (route == "default")
    np.testing.assert_array_equal(dist, want_dist)  # same distances...
    assert (ind != np.arange(300)[:, None]).all()  # ...never the point itself
    listed_sq = np.take_along_axis(_sq(X, X), ind, axis=1)
    np.testing.assert_array_equal(dist, np.sqrt(listed_sq))
    np.testing.assert_array_equal(q_dist, q_want_dist)
    np.testing.assert_array_equal(
        q_dist, np.sqrt(np.take_along_axis(_sq(Q, X), q_ind, 1))
    )
    brute = ExactNeighbors(5, algorithm="brute").fit(X)
    np.testing.assert_array_equal(brute.candidates()[1], brute.kneighbors()[1])


def test_tree_pass_flags_only_rows_whose_boundary_is_tied():
    X = np.array([[0.0], [1.0], [-1.0], [5.0], [7.0]])
    ind, sq, uncertain = _kdtree._tree_pass(_kdtree.OrderedTree(X), X, None, 2, 3, 1)
    # 0: 1 and -1 tie at the boundary; 5: 7 (at 2) certainly beats 1 (at 4)
    assert uncertain.tolist() == [True, False, False, False, False]
    assert ind[3].tolist() == [3, 4] and sq[3].tolist() == [0.0, 4.0]


def test_many_points_are_searched_in_a_spatial_order_with_the_same_answer():
    # from ORDER_MIN_ROWS rows on, the tree holds the points in a spatial
    # order and large query sets are searched in one: the answer is the
    # tiled engine's, bit for bit, in the order the rows were given
    rng = np.random.default_rng(5)
    n = _kdtree.ORDER_MIN_ROWS + 100
    X = rng.standard_normal((n, 3)).astype(np.float32)
    X[-500:] = X[:500]  # copies: ties between rows far apart in either order
    Q = rng.standard_normal((n, 3))
    tree = ExactNeighbors(5, algorithm="kd_tree").fit(X)
    tiled = ExactNeighbors(5, algorithm="brute").fit(X)
    order = tree._tree.order
    assert order is not None and sorted(order.tolist()) == list(range(n))
    assert not np.array_equal(order, np.arange(n))
    for query in (None, Q):
        got, want = tree.kneighbors(query), tiled.kneighbors(query)
        np.testing.assert_array_equal(got[1], want[1])
        np.testing.assert_array_equal(got[0], want[0])
    # each copy lists its twin first, at distance 0
    assert tree.kneighbors()[1][-500:, 0].tolist() == list(range(500))


def test_an_ordered_tree_survives_pickling():
    rng = np.random.default_rng(6)
    X = rng.integers(0, 5, size=(_kdtree.ORDER_MIN_ROWS, 2)).astype(float)
    X += rng.standard_normal(X.shape) * 1e-3
    nn = ExactNeighbors(4, algorithm="kd_tree").fit(X)
    want = nn.kneighbors(X[:300])
    loaded = pickle.loads(pickle.dumps(nn))
    np.testing.assert_array_equal(loaded._tree.order, nn._tree.order)
    assert loaded._tree.points is loaded._fit_X  # pickled once
    got = loaded.kneighbors(X[:300])
    np.testing.assert_array_equal(got[1], want[1])
    np.testing.assert_array_equal(got[0], want[0])
