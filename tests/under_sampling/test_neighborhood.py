"""Canonical neighbourhoods: duplicates and ties give one answer in every container."""

import math
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.neighbors import NearestNeighbors

from smotekit import EditedNearestNeighbours, ExactNeighbors, TomekLinks
from smotekit.under_sampling._neighborhood import (
    duplicate_leaders,
    locate,
    location_neighbors,
    row_neighbors,
)
from smotekit.under_sampling._tomek import tomek_link_rows

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

#: Neighbour engines whose tie-breaking differs (one thread: tiny data).
ENGINES = {
    "kd-tree": ExactNeighbors(algorithm="kd_tree", n_jobs=1),
    "brute": ExactNeighbors(algorithm="brute", block_size=3, n_jobs=1),
    "sklearn": NearestNeighbors(),
}


def distances(X):
    X = X.toarray() if sparse.issparse(X) else np.asarray(X, dtype=np.float64)
    return np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=2))


def canonical_table(X, rows, k):
    """The k nearest rows by (distance, row index), each row excluded."""
    d = distances(X)
    table = []
    for i in rows:
        others = np.delete(np.arange(len(d)), i)
        order = np.lexsort((others, d[i, others]))
        table.append(others[order[:k]])
    return np.array(table)


def tomek_by_definition(X, y):
    """Tomek's definition: no sample strictly closer to either member."""
    d = distances(X)
    np.fill_diagonal(d, np.inf)
    nearest = d.min(axis=1)
    in_link = np.zeros(len(y), dtype=bool)
    for a in range(len(y)):
        for b in range(len(y)):
            if y[a] != y[b] and d[a, b] == nearest[a] == nearest[b]:
                in_link[a] = True
    return in_link


@st.composite
def grid_data(draw):
    """Few distinct integer points: many duplicates and equidistant points."""
    n = draw(st.integers(8, 40))
    n_features = draw(st.integers(1, 3))
    X = np.array(
        draw(
            st.lists(
                st.lists(st.integers(-2, 2), min_size=n_features, max_size=n_features),
                min_size=n,
                max_size=n,
            )
        ),
        dtype=np.float64,
    )
    y = np.array(draw(st.lists(st.integers(0, 2), min_size=n, max_size=n)))
    if len(np.unique(y)) < 2:
        y[0] = 1 - y[0] if y[0] < 2 else 0
    return X, y


def test_duplicate_leaders_dense_and_sparse():
    X = np.array([[1.0, 0.0], [0.0, 0.0], [1.0, -0.0], [0.0, 0.0], [2.0, 1.0]])
    for X_in in (X, X.astype(np.float32), sparse.csr_matrix(X), X.astype(int)):
        assert duplicate_leaders(X_in).tolist() == [0, 1, 0, 1, 4]
    # explicitly stored zeros and unsorted indices are the same row
    S = sparse.csr_matrix(
        (np.array([0.0, 3.0, 3.0]), np.array([1, 0, 0]), np.array([0, 2, 3])),
        shape=(2, 2),
    )
    assert duplicate_leaders(S).tolist() == [0, 0]


@SETTINGS
@given(data=grid_data())
def test_locations_group_exactly_the_identical_rows(data):
    X, _ = data
    loc = locate(X)
    for i in range(len(X)):
        twins = np.flatnonzero((X == X[i]).all(axis=1))
        assert loc.leaders[loc.of_row[i]] == twins[0]
        assert loc.members(loc.of_row[i]).tolist() == twins.tolist()


@SETTINGS
@given(data=grid_data(), k=st.integers(1, 5))
def test_row_neighbors_are_canonical_for_every_engine(data, k):
    X, _ = data
    rows = np.arange(len(X))
    expected = canonical_table(X, rows, k)
    for name, engine in ENGINES.items():
        table, _ = row_neighbors(engine, X, rows, k)
        np.testing.assert_array_equal(table, expected, err_msg=name)
    sparse_engine = ExactNeighbors(n_jobs=1)
    table, _ = row_neighbors(sparse_engine, sparse.csr_matrix(X), rows[::2], k)
    np.testing.assert_array_equal(table, expected[::2])


@SETTINGS
@given(data=grid_data())
def test_tomek_links_follow_the_definition_in_every_container(data):
    X, y = data
    expected = tomek_by_definition(X, y)
    for X_in in (X, sparse.csr_matrix(X), X.astype(np.float32)):
        in_link, _ = tomek_link_rows(X_in, y, n_jobs=1)
        np.testing.assert_array_equal(in_link, expected)


@SETTINGS
@given(data=grid_data(), k=st.integers(1, 4), kind_sel=st.sampled_from(["all", "mode"]))
def test_enn_is_the_same_in_every_container(data, k, kind_sel):
    X, y = data
    rows = np.arange(len(X))
    table = canonical_table(X, rows, k)
    keep = []
    for i in rows:
        votes = Counter(y[table[i]].tolist())
        if kind_sel == "all":
            keep.append(set(votes) == {y[i]})
        else:
            keep.append(min(votes, key=lambda c: (-votes[c], c)) == y[i])
    expected = np.flatnonzero(keep)
    for X_in in (X, sparse.csr_matrix(X)):
        enn = EditedNearestNeighbours(
            sampling_strategy="all", n_neighbors=k, kind_sel=kind_sel, n_jobs=1
        )
        enn.fit_resample(X_in, y)
        np.testing.assert_array_equal(enn.sample_indices_, expected)


def test_all_rows_identical():
    X = np.zeros((5, 2))
    y = np.array([0, 0, 1, 0, 1])
    assert tomek_link_rows(X, y)[0].all()
    enn = EditedNearestNeighbours(sampling_strategy="all", n_neighbors=2)
    enn.fit_resample(X, y)
    # neighbours in row order: 0 -> (1, 2), 1 -> (0, 2), 3 -> (0, 1), ...
    assert enn.sample_indices_.tolist() == [3]
    tl = TomekLinks(sampling_strategy=[1])
    tl.fit_resample(X, y)
    assert tl.sample_indices_.tolist() == [0, 1, 3]


@pytest.mark.parametrize("fmt", ["dense", "csr"])
def test_all_zero_rows_of_sparse_data_are_one_location(fmt):
    rng = np.random.default_rng(0)
    X = np.where(rng.random((200, 30)) < 0.05, rng.standard_normal((200, 30)), 0.0)
    X[::7] = 0.0
    X_in = sparse.csr_matrix(X) if fmt == "csr" else X
    loc = locate(X_in)
    zero = loc.of_row[0]
    assert loc.members(zero).tolist() == np.flatnonzero(~X.any(axis=1)).tolist()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(3, 160),
    d=st.integers(1, 6),
    levels=st.integers(2, 5),
    k=st.integers(1, 6),
    every=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_small_tables_computed_whole_give_the_searched_lists(
    n, d, levels, k, every, seed
):
    # every distance at once (small tables) against the engine's search and
    # its looks further at ties: the same lists, distances and order
    from smotekit.under_sampling import _neighborhood

    rng = np.random.default_rng(seed)
    U = np.unique(rng.integers(0, levels, (n, d)).astype(np.float64) / 3, axis=0)
    if len(U) < 2:
        return
    k = min(k, len(U) - 1)
    query = np.arange(len(U)) if every else np.unique(rng.integers(0, len(U), 5))
    nn = ExactNeighbors().fit(U)
    assert _neighborhood._direct_pays(nn, U, query)
    direct = location_neighbors(nn, U, query, k)
    names = (
        "DIRECT_PAIRS",
        "DIRECT_WORK",
        "DIRECT_SUBSET_WORK",
        "DIRECT_LEVELS_WORK",
        "DIRECT_INTEGER_PAIRS",
        "DIRECT_TIES",
        "DIRECT_TIED_WORK",
    )
    old = [getattr(_neighborhood, name) for name in names]
    try:
        _neighborhood.DIRECT_TIES = 1  # rows past 2k ties: done again whole
        crowded = location_neighbors(nn, U, query, k)
        _neighborhood.DIRECT_PAIRS = _neighborhood.DIRECT_LEVELS_WORK = 0
        _neighborhood.DIRECT_WORK = _neighborhood.DIRECT_SUBSET_WORK = 0
        _neighborhood.DIRECT_INTEGER_PAIRS = 0
        assert not _neighborhood._direct_pays(nn, U, query)
        tied_whole = location_neighbors(nn, U, query, k)  # searched, ties whole
        _neighborhood.DIRECT_TIED_WORK = 0
        searched = location_neighbors(nn, U, query, k)  # ties looked further
    finally:
        for name, value in zip(names, old, strict=True):
            setattr(_neighborhood, name, value)
    for a, b, c, e in zip(direct, crowded, tied_whole, searched, strict=True):
        assert a.tobytes() == b.tobytes()
        assert a.tobytes() == np.asarray(c, dtype=a.dtype).tobytes()
        assert a.tobytes() == np.asarray(e, dtype=a.dtype).tobytes()


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(2, 90),
    d=st.integers(1, 6),
    levels=st.integers(2, 5),
    unit=st.sampled_from([1.0, -3.0, 2.0**10, 2.0**24 + 1]),
    k=st.integers(1, 6),
    crowded=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_integer_tables_take_matrix_products_and_give_the_same_lists(
    n, d, levels, unit, k, crowded, seed
):
    # squared distances as |x|^2 + |y|^2 - 2 x.y, exact for such integers
    # (float32 for small ones, float64 beyond): the per-row sums' lists,
    # distances and order, byte for byte
    from smotekit.under_sampling import _neighborhood

    rng = np.random.default_rng(seed)
    U = np.unique(rng.integers(0, levels, (n, d)) * unit, axis=0)
    if len(U) < 2:
        return
    k = min(k, len(U) - 1)
    query = np.unique(rng.integers(0, len(U), 7))
    wide = d * (2 * np.abs(U).max()) ** 2
    want = np.float32 if wide < 2**24 else np.float64 if wide < 2**53 else None
    assert _neighborhood._exact_products(U) is want
    cap = 1 if crowded else _neighborhood.DIRECT_TIES
    with pytest.MonkeyPatch.context() as m:
        m.setattr(_neighborhood, "DIRECT_TIES", cap)
        gram = _neighborhood._direct_location_neighbors(U, query, k)
        m.setattr(_neighborhood, "_integer_square_bound", lambda points: None)
        rows = _neighborhood._direct_location_neighbors(U, query, k)
    for a, b in zip(gram, rows, strict=True):
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes()


def _searched_by_the_tiled_engine(monkeypatch):
    """Past every size computed whole at once, and past the engine's own
    every-pair searches: the tiled search runs."""
    from smotekit import _brute
    from smotekit.under_sampling import _neighborhood

    for name in ("DIRECT_PAIRS", "DIRECT_WORK", "DIRECT_SUBSET_WORK"):
        monkeypatch.setattr(_neighborhood, name, 0)
    monkeypatch.setattr(_brute, "SMALL_PAIRS", 0)


def _lists_by_definition(U, query, k):
    """Every location at most as far as the k-th nearest other, by distance
    then index: distances summed over the features in order, as the exact
    steps sum them, square rooted."""
    indptr, neighbors, distances = [0], [], []
    for q in query:
        acc = np.zeros(len(U))
        for f in range(U.shape[1]):
            acc += (U[:, f] - U[q, f]) ** 2
        dist = np.sqrt(acc)
        dist[q] = np.inf
        kth = np.sort(dist)[k - 1]
        near = np.flatnonzero(dist <= kth)
        near = near[np.lexsort((near, dist[near]))]
        neighbors += near.tolist()
        distances += dist[near].tolist()
        indptr.append(len(neighbors))
    return np.array(indptr), np.array(neighbors), np.array(distances)


@settings(max_examples=80, deadline=None)
@given(
    n=st.integers(2, 70),
    d=st.integers(1, 7),
    offset=st.sampled_from([0.0, 1e8, -3e15, 0.1]),
    step=st.sampled_from([0.1, 1.0, 1e-7, 3.0]),
    levels=st.integers(2, 6),
    k=st.integers(1, 5),
    noise=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_every_distance_from_bounded_products_gives_the_lists_by_definition(
    n, d, offset, step, levels, k, noise, seed
):
    # the products of centred points only bound the distances: the points
    # near the k-th get their exact sums, so ties (grid points at large
    # offsets, where the products round most) come out as by definition
    from smotekit.under_sampling import _neighborhood

    rng = np.random.default_rng(seed)
    U = offset + step * rng.integers(0, levels, (n, d))
    if noise:
        U = U + step * 1e-3 * rng.standard_normal((n, d))
    U = np.unique(U, axis=0)
    if len(U) < 2:
        return
    k = min(k, len(U) - 1)
    query = np.unique(rng.integers(0, len(U), 6))
    got = _neighborhood._direct_location_neighbors(U, query, k)
    for a, b in zip(got, _lists_by_definition(U, query, k), strict=True):
        np.testing.assert_array_equal(a, b)


#: Integer tables at the edges of the exact scans: 4 columns up to 1023
#: (every squared distance just below 2**24, the scan in float32 still
#: exact), 3 columns near 2**23 (squares up to 3 * 2**48, exact in float64
#: and scanned by square alone). Either way neighbours 1 apart in squared
#: distance among the largest squares keep their order (their roots are
#: 2**-13 and 2**-25 apart).
_EXACT_EDGES = {"float32": (4, 1023.0, np.float32), "float64": (3, 2.0**23, np.float64)}


@pytest.mark.parametrize("edge", sorted(_EXACT_EDGES))
@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(2, 60),
    sign=st.sampled_from([1, -1]),
    k=st.integers(1, 5),
    seed=st.integers(0, 2**16),
)
def test_integers_at_the_edges_of_exact_products_give_the_lists(edge, n, sign, k, seed):
    from smotekit.under_sampling import _neighborhood

    d, top, dtype = _EXACT_EDGES[edge]
    rng = np.random.default_rng(seed)
    U = sign * (top - rng.integers(0, 24, (n, d)).astype(np.float64))
    U[0] = sign * np.eye(d)[-1] * top
    U = np.unique(U, axis=0)
    if len(U) < 2:
        return
    assert _neighborhood._exact_products(U) is dtype
    assert _neighborhood._integer_square_bound(U) < _neighborhood.DISTINCT_ROOTS
    k = min(k, len(U) - 1)
    query = np.unique(rng.integers(0, len(U), 6))
    got = _neighborhood._direct_location_neighbors(U, query, k)
    for a, b in zip(got, _lists_by_definition(U, query, k), strict=True):
        np.testing.assert_array_equal(a, b)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(2, 60),
    d=st.integers(1, 6),
    kind=st.sampled_from(["integers", "grid", "noise"]),
    k=st.integers(1, 4),
    known=st.booleans(),
    small=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_float32_points_are_read_as_they_are_and_give_the_float64_lists(
    n, d, kind, k, known, small, seed
):
    # no float64 copy of float32 points: every step reads their float64
    # values, so the lists, distances and order are those of the copy, byte
    # for byte, with blocks of few products and no transposed copy too
    from smotekit.under_sampling import _neighborhood

    rng = np.random.default_rng(seed)
    U = rng.integers(0, 4, (n, d)).astype(np.float32)
    if kind == "grid":
        U = U * np.float32(0.1) + np.float32(1000.0)
    elif kind == "noise":
        U = U + rng.normal(scale=1e-3, size=(n, d)).astype(np.float32)
    U = np.unique(U, axis=0)
    if len(U) < 2:
        return
    k = min(k, len(U) - 1)
    query = np.unique(rng.integers(0, len(U), 7))
    wide = U.astype(np.float64)
    # the queries' k-th distances, as the engine's search leaves them
    near = _lists_by_definition(wide, query, k)[2][:1].repeat(len(query))
    near = near if known else None
    with pytest.MonkeyPatch.context() as m:
        if small:
            m.setattr(_neighborhood, "GRAM_MAX_VALUES", 1)
            m.setattr(_neighborhood, "TRANSPOSED_MAX_VALUES", 0)
        got = _neighborhood._direct_location_neighbors(U, query, k, near)
    want = _neighborhood._direct_location_neighbors(wide, query, k, near)
    for a, b in zip(got, want, strict=True):
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes()
    for a, b in zip(got, _lists_by_definition(wide, query, k), strict=True):
        np.testing.assert_array_equal(a, b)


def test_every_distance_keeps_its_scratch_bounded_on_many_points(monkeypatch):
    # many points: a block holds at most GRAM_MAX_VALUES products, and the
    # points' transposed copy is not made past TRANSPOSED_MAX_VALUES
    from smotekit import _units
    from smotekit.under_sampling import _neighborhood

    rng = np.random.default_rng(0)
    U = rng.normal(size=(3000, 5)).astype(np.float32)
    query = np.arange(0, 3000, 7)
    want = _neighborhood._direct_location_neighbors(U, query, 2)
    blocks, transposed = [], []
    map_blocks = _neighborhood._blocks.map_blocks
    units = _units.point_units
    monkeypatch.setattr(
        _neighborhood._blocks,
        "map_blocks",
        lambda call, a, b, rows: blocks.append(rows) or map_blocks(call, a, b, rows),
    )
    monkeypatch.setattr(
        _neighborhood,
        "point_units",
        lambda *args, **kw: transposed.append(kw["transposed"]) or units(*args, **kw),
    )
    monkeypatch.setattr(_neighborhood, "GRAM_BLOCK", 1)
    monkeypatch.setattr(_neighborhood, "GRAM_MAX_VALUES", 6000)
    monkeypatch.setattr(_neighborhood, "TRANSPOSED_MAX_VALUES", U.size - 1)
    got = _neighborhood._direct_location_neighbors(U, query, 2)
    assert blocks == [2] and transposed == [False]
    for a, b in zip(got, want, strict=True):
        assert a.tobytes() == b.tobytes()


def test_exact_float64_products_keep_squares_that_share_the_kths_root():
    # squared distances 8t^2 and 8t^2 + 1, past 2**52: one float64 root, so
    # both points are at the nearest distance, by index
    from smotekit.under_sampling import _neighborhood

    t = 27393000.0
    U = np.array([[-t, -t, 0.0], [t, t, 0.0], [t, t, 1.0]])
    assert _neighborhood._exact_products(U) is np.float64
    got = _neighborhood._direct_location_neighbors(U, np.array([0]), 1)
    want = _lists_by_definition(U, np.array([0]), 1)
    assert got[1].tolist() == [1, 2]
    for a, b in zip(got, want, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("shift", [0.0, 0.1])
def test_many_points_at_the_kth_distance_come_by_index(shift):
    # 49 other corners of a simplex at the same distance: all of them, by
    # index (integers exactly, or bounded products and exact sums)
    from smotekit.under_sampling import _neighborhood

    U = np.eye(50) + shift
    query = np.array([0, 17, 49])
    got = _neighborhood._direct_location_neighbors(U, query, 2)
    for a, b in zip(got, _lists_by_definition(U, query, 2), strict=True):
        np.testing.assert_array_equal(a, b)
    assert np.diff(got[0]).tolist() == [49, 49, 49]


def test_only_integer_tables_of_exact_squares_take_matrix_products():
    from smotekit.under_sampling._neighborhood import _exact_products

    assert _exact_products(np.eye(3)) is np.float32
    assert _exact_products(np.array([[2.0**20, 0.0], [0.0, 1.0]])) is np.float64
    assert _exact_products(np.array([[2.0**26, 0.0], [0.0, 1.0]])) is None  # 2**54
    assert _exact_products(np.array([[0.5, 1.0], [0.0, 1.0]])) is None
    assert _exact_products(np.zeros((0, 3))) is None


def test_continuous_tables_are_searched_and_one_hot_ones_computed_whole():
    from smotekit.under_sampling import _neighborhood

    rng = np.random.default_rng(0)
    continuous = rng.standard_normal((2000, 30))
    one_hot = np.eye(5)[rng.integers(0, 5, (2000, 6))].reshape(2000, 30)
    everything = np.arange(2000)
    for U, direct in ((continuous, False), (one_hot, True)):
        nn = ExactNeighbors().fit(U)
        assert _neighborhood._direct_pays(nn, U, everything) == direct
    small = continuous[:300]
    assert _neighborhood._direct_pays(
        ExactNeighbors().fit(small), small, everything[:300]
    )


def test_tables_of_a_few_features_times_rows_compute_every_distance():
    # past DIRECT_PAIRS, up to DIRECT_WORK pairs x features of 5 or more
    from smotekit.under_sampling import _neighborhood

    U = np.random.default_rng(0).normal(size=(1500, 40))
    query = np.arange(1500)
    assert 1500 * 1500 > _neighborhood.DIRECT_PAIRS
    for d, want in ((8, True), (20, False), (4, False)):
        assert 1500 * 1500 * d <= _neighborhood.DIRECT_WORK or not want
        nn = ExactNeighbors().fit(U[:, :d])
        assert _neighborhood._direct_pays(nn, U[:, :d], query) is want
    # queries that are not every point: up to DIRECT_SUBSET_WORK
    nn = ExactNeighbors().fit(U[:, :20])
    some = query[:1400]
    assert 1400 * 1500 * 20 > _neighborhood.DIRECT_WORK
    assert 1400 * 1500 * 20 <= _neighborhood.DIRECT_SUBSET_WORK
    assert _neighborhood._direct_pays(nn, U[:, :20], some)
    V = np.random.default_rng(1).normal(size=(3000, 20))  # past it
    assert 2900 * 3000 * 20 > _neighborhood.DIRECT_SUBSET_WORK
    assert not _neighborhood._direct_pays(ExactNeighbors().fit(V), V, np.arange(2900))
    # the user's estimator is searched as given
    nn = NearestNeighbors().fit(U[:, :8])
    assert not _neighborhood._direct_pays(nn, U[:, :8], query)


def test_tables_whose_rows_mostly_tie_at_the_kth_compute_every_distance(monkeypatch):
    # past the direct bounds, on the tiled route: a sample of the queries
    # tells whether most rows tie at their k-th distance (one-hot) or few do
    # (codes of 16 levels); for the former the tiled search is skipped
    from smotekit.under_sampling import _neighborhood

    rng = np.random.default_rng(5)
    one_hot = np.eye(5)[rng.integers(0, 5, (400, 8))].reshape(400, 40)
    codes = rng.integers(0, 16, (400, 12)).astype(np.float64)
    for name in ("DIRECT_PAIRS", "DIRECT_WORK", "DIRECT_SUBSET_WORK",
                 "DIRECT_LEVELS_WORK", "DIRECT_INTEGER_PAIRS"):  # fmt: skip
        monkeypatch.setattr(_neighborhood, name, 0)
    monkeypatch.setattr(_neighborhood, "TIE_SAMPLE", 32)
    searched = []
    first = _neighborhood._first_query
    monkeypatch.setattr(
        _neighborhood, "_first_query", lambda *a: searched.append(1) or first(*a)
    )
    for U, k, crowd in ((one_hot, 3, True), (one_hot, 1, True), (codes, 3, False)):
        U = np.unique(U, axis=0)
        query = np.arange(len(U))
        nn = ExactNeighbors(algorithm="brute").fit(U)
        assert _neighborhood._ties_crowd(nn, U, query, k) is crowd
        searched.clear()
        got = location_neighbors(nn, U, query, k)
        assert bool(searched) is not crowd
        for a, b in zip(got, _lists_by_definition(U, query, k), strict=True):
            np.testing.assert_array_equal(a, b)
    # too few queries to sample
    nn = ExactNeighbors(algorithm="brute").fit(one_hot)
    assert not _neighborhood._ties_crowd(nn, one_hot, np.arange(127), 3)
    # a tree: from TREE_TIES_MIN_FEATURES features, up to TREE_TIES_WORK
    nn = ExactNeighbors(algorithm="kd_tree").fit(one_hot)
    assert _neighborhood._ties_crowd(nn, one_hot, np.arange(400), 3)
    monkeypatch.setattr(_neighborhood, "TREE_TIES_WORK", 400 * 400 * 40 - 1)
    assert not _neighborhood._ties_crowd(nn, one_hot, np.arange(400), 3)
    narrow = np.unique(rng.integers(0, 3, (400, 6)).astype(np.float64), axis=0)
    assert narrow.shape[1] < _neighborhood.TREE_TIES_MIN_FEATURES
    everything = np.arange(len(narrow))
    for algorithm, crowd in (("brute", True), ("kd_tree", False)):
        nn = ExactNeighbors(algorithm=algorithm).fit(narrow)
        assert _neighborhood._ties_crowd(nn, narrow, everything, 3) is crowd


def test_cleaning_a_small_one_hot_table_computes_every_distance(monkeypatch):
    from smotekit.under_sampling import _neighborhood

    rng = np.random.default_rng(3)
    X = np.eye(6)[rng.integers(0, 6, (300, 3))].reshape(300, 18)
    X += rng.integers(0, 2, (300, 1)) * 0.5  # some rows tie, some repeat
    y = (rng.random(300) < 0.2).astype(int)
    assert _neighborhood.few_levels(X)
    outputs = []
    for work in (_neighborhood.DIRECT_LEVELS_WORK, 0):
        monkeypatch.setattr(_neighborhood, "DIRECT_PAIRS", 0)  # the levels decide
        monkeypatch.setattr(_neighborhood, "DIRECT_WORK", 0)
        monkeypatch.setattr(_neighborhood, "DIRECT_SUBSET_WORK", 0)
        monkeypatch.setattr(_neighborhood, "DIRECT_LEVELS_WORK", work)
        enn = EditedNearestNeighbours().fit_resample(X, y)
        tomek = TomekLinks().fit_resample(X, y)
        outputs.append([enn[0], enn[1], tomek[0], tomek[1]])
    for a, b in zip(*outputs, strict=True):
        np.testing.assert_array_equal(a, b)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(3, 150),
    d=st.integers(1, 12),
    levels=st.integers(2, 4),
    noisy_share=st.sampled_from([0.0, 0.3, 1.0]),
    k=st.integers(1, 5),
    queries=st.sampled_from(["every", "few", "most"]),
    seed=st.integers(0, 2**16),
)
def test_rows_the_tiled_first_pass_leaves_unsettled_are_computed_whole(
    n, d, levels, noisy_share, k, queries, seed
):
    # grid rows (ties) among interpolated ones, searched by the tiled engine
    # (not every pair at once): the rows its first pass cannot vouch for
    # come from every distance, the others as it found them; both as by
    # definition
    from smotekit import _brute
    from smotekit.under_sampling import _neighborhood

    rng = np.random.default_rng(seed)
    U = rng.integers(0, levels, (n, d)).astype(np.float64)
    noisy = rng.random(n) < noisy_share
    U[noisy] += rng.random((noisy.sum(), 1)) * (U[::-1][noisy] - U[noisy])
    U = np.unique(U, axis=0)
    if len(U) < 2:
        return
    k = min(k, len(U) - 1)
    # every location (the self-search), a few (a search of them), or most
    # (the self-search's rows)
    query = {
        "every": np.arange(len(U)),
        "few": np.unique(rng.integers(0, len(U), 9)),
        "most": np.flatnonzero(rng.random(len(U)) < 0.9),
    }[queries]
    with pytest.MonkeyPatch.context() as m:
        for name in (
            "DIRECT_PAIRS",
            "DIRECT_WORK",
            "DIRECT_SUBSET_WORK",
            "DIRECT_LEVELS_WORK",
            "DIRECT_INTEGER_PAIRS",
        ):
            m.setattr(_neighborhood, name, 0)
        m.setattr(_brute, "SMALL_PAIRS", 0)
        m.setattr(_brute, "TILE", 16)
        nn = ExactNeighbors(algorithm="brute", n_jobs=1).fit(U)
        got = location_neighbors(nn, U, query, k)
    for a, b in zip(got, _lists_by_definition(U, query, k), strict=True):
        np.testing.assert_array_equal(a, b)


def test_the_tiled_first_pass_leaves_the_tied_rows_to_every_distance(monkeypatch):

    rng = np.random.default_rng(1)
    U = np.unique(rng.integers(0, 3, (400, 6)).astype(np.float64), axis=0)
    U[::2] += 0.25 * rng.random((len(U[::2]), 1))
    left = []
    first = ExactNeighbors._unsettled_kneighbors

    def spy(self, X, k):
        out = first(self, X, k)
        left.append(int(out[2].sum()))
        return out

    monkeypatch.setattr(ExactNeighbors, "_unsettled_kneighbors", spy)
    _searched_by_the_tiled_engine(monkeypatch)
    nn = ExactNeighbors(algorithm="brute").fit(U)
    query = np.arange(0, len(U), 3)
    got = location_neighbors(nn, U, query, 2)
    assert left and left[0] > 0  # the path under test ran
    for a, b in zip(got, _lists_by_definition(U, query, 2), strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("share", [0.5, 0.79, 0.8, 0.95])
def test_queries_that_are_most_locations_take_the_self_search(share, monkeypatch):
    # from SELF_QUERY_SHARE of the locations on, the tiled engine searches
    # every location once (each pair's product once) and the queries keep
    # their rows; below, it searches the queries: the same lists either way
    from smotekit.under_sampling import _neighborhood

    rng = np.random.default_rng(3)
    U = rng.standard_normal((300, 6))
    U[::3] = np.round(U[::3])  # some rows tie
    U = np.unique(U, axis=0)
    query = np.sort(rng.permutation(len(U))[: math.ceil(share * len(U))])
    asked = []
    first = ExactNeighbors._unsettled_kneighbors

    def spy(self, X, k):
        asked.append(None if X is None else len(X))
        return first(self, X, k)

    monkeypatch.setattr(ExactNeighbors, "_unsettled_kneighbors", spy)
    _searched_by_the_tiled_engine(monkeypatch)
    nn = ExactNeighbors(algorithm="brute").fit(U)
    got = location_neighbors(nn, U, query, 3)
    most = len(query) >= _neighborhood.SELF_QUERY_SHARE * len(U)
    assert asked == [None if most else len(query)]
    assert most == (share >= 0.8)
    for a, b in zip(got, _lists_by_definition(U, query, 3), strict=True):
        np.testing.assert_array_equal(a, b)


def test_rows_float32_cannot_rank_come_from_every_distance(monkeypatch):
    # 60 points around each centre at radii 1 + i * 1e-10, below float32's
    # resolution: the tiled first pass keeps a few of them at random, so its
    # lists of the centres are wrong and it says so; computed whole, they
    # are the nearest radii

    rng = np.random.default_rng(2)
    parts = []
    for centre in (0.0, 50.0):
        directions = rng.standard_normal((60, 8))
        directions /= np.linalg.norm(directions, axis=1, keepdims=True)
        radii = 1.0 + rng.permutation(60) * 1e-10
        parts += [np.full((1, 8), centre), centre + directions * radii[:, None]]
    U = np.vstack(parts)
    _searched_by_the_tiled_engine(monkeypatch)
    nn = ExactNeighbors(algorithm="brute").fit(U)
    assert nn._unsettled_kneighbors(None, 4)[2][[0, 61]].all()
    query = np.arange(len(U))
    got = location_neighbors(nn, U, query, 3)
    for a, b in zip(got, _lists_by_definition(U, query, 3), strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("integers", [True, False])
def test_the_direct_lists_do_not_depend_on_the_blocks(integers, monkeypatch):
    # queries a block (GRAM_BLOCK, GRAM_ROWS) and queries a part
    # (DIRECT_QUERY_ROWS) only change how the work is cut
    from smotekit.under_sampling import _neighborhood

    rng = np.random.default_rng(4)
    U = np.unique(rng.integers(0, 3, (700, 5)).astype(np.float64), axis=0)
    if not integers:
        U = U + 0.1 * rng.integers(0, 2, (len(U), 1))
    query = np.arange(0, len(U), 2)
    want = _neighborhood._direct_location_neighbors(U, query, 3)
    for block, rows, part in ((1, 1, 7), (2**12, 3, 50), (2**30, 64, 2**14)):
        monkeypatch.setattr(_neighborhood, "GRAM_BLOCK", block)
        monkeypatch.setattr(_neighborhood, "GRAM_ROWS", rows)
        monkeypatch.setattr(_neighborhood, "DIRECT_QUERY_ROWS", part)
        got = _neighborhood._direct_location_neighbors(U, query, 3)
        for a, b in zip(got, want, strict=True):
            assert a.tobytes() == b.tobytes()
    for a, b in zip(want, _lists_by_definition(U, query, 3), strict=True):
        np.testing.assert_array_equal(a, b)


def test_integer_tables_of_many_points_scan_many_queries_at_once(monkeypatch):
    # from COLUMN_MIN_POINTS points, exact squares are scanned LANES queries
    # at a time: the same lists as one query at a time, and as by definition
    from smotekit import _column_ties
    from smotekit.under_sampling import _neighborhood

    rng = np.random.default_rng(6)
    U = np.unique(np.eye(4)[rng.integers(0, 4, (3000, 6))].reshape(3000, 24), axis=0)
    monkeypatch.setattr(_neighborhood, "COLUMN_MIN_POINTS", 2048)
    assert len(U) >= 2048
    query = np.arange(0, len(U), 7)
    scanned = []
    lanes = _column_ties.column_ties
    monkeypatch.setattr(
        _neighborhood, "column_ties", lambda *a: scanned.append(1) or lanes(*a)
    )
    got = _neighborhood._direct_location_neighbors(U, query, 3)
    assert scanned
    monkeypatch.setattr(_neighborhood, "COLUMN_MIN_POINTS", len(U) + 1)
    want = _neighborhood._direct_location_neighbors(U, query, 3)
    for a, b in zip(got, want, strict=True):
        assert a.tobytes() == b.tobytes()
    some = slice(0, 2 * _column_ties.LANES + 5)
    some_lists = _neighborhood._direct_location_neighbors(U, query[some], 3)
    for a, b in zip(some_lists, _lists_by_definition(U, query[some], 3), strict=True):
        np.testing.assert_array_equal(a, b)


def test_rows_left_by_the_search_take_float32_products_when_their_bound_is_tight(
    monkeypatch,
):
    # their k-th distances are known: float32 products where their bound is
    # a small share of those distances, float64 where values are large
    # beside them; the lists are those of the definition either way
    from smotekit.under_sampling import _neighborhood

    rng = np.random.default_rng(2)
    U = np.unique(rng.integers(0, 3, (400, 6)).astype(np.float64), axis=0)
    U[::2] += 0.25 * rng.random((len(U[::2]), 1))
    assert _neighborhood._single_pays(U, np.full(5, 0.5))
    assert not _neighborhood._single_pays(U, np.full(5, 1e-3))
    assert not _neighborhood._single_pays(U, np.zeros(0))
    far = U.copy()
    far[:, 0] *= 1e6  # large values beside the distances
    assert not _neighborhood._single_pays(far, np.full(5, 0.5))
    dtypes = []
    units = _neighborhood.point_units

    def spy(points, **kwargs):
        out = units(points, **kwargs)
        dtypes.append(out.rows.dtype)
        return out

    monkeypatch.setattr(_neighborhood, "point_units", spy)
    _searched_by_the_tiled_engine(monkeypatch)
    query = np.arange(0, len(U), 3)
    for band, want in ((_neighborhood.SINGLE_BAND, np.float32), (0.0, np.float64)):
        monkeypatch.setattr(_neighborhood, "SINGLE_BAND", band)
        dtypes.clear()
        nn = ExactNeighbors(algorithm="brute").fit(U)
        got = location_neighbors(nn, U, query, 2)
        assert dtypes and set(dtypes) == {np.dtype(want)}
        for a, b in zip(got, _lists_by_definition(U, query, 2), strict=True):
            np.testing.assert_array_equal(a, b)
