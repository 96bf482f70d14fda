"""The exact search of sparse rows: the brute-force answer (distance, then
index), the dense search's distances to the bit, whatever the blocks,
threads or the route (sparse, or dense copies of dense-like data)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.base import clone

from smotekit import ExactNeighbors, _sparse_search
from smotekit import _neighbors as neighbors_module
from smotekit._sparse_search import dense_pays, sparse_sq_kneighbors


def brute_force(X, Q, k):
    """k nearest rows of ``X`` for each row of ``Q`` by squared distances
    summed in float64 in column order (``cumsum`` adds term by term), ties
    by index."""
    X = np.asarray(X, dtype=np.float64)
    Q = np.asarray(Q, dtype=np.float64)
    terms = (Q[:, None, :] - X[None, :, :]) ** 2
    sq = np.cumsum(terms, axis=2)[:, :, -1]
    index = np.broadcast_to(np.arange(len(X)), sq.shape)
    ind = np.lexsort((index, sq), axis=1)[:, :k]
    return ind, np.take_along_axis(sq, ind, axis=1)


def assert_brute_force_answer(X, Q, k, **kwargs):
    """The sparse search of ``Q``'s rows (``None``: ``X``'s own) among ``X``'s
    is :func:`brute_force`'s answer, indices and squared distances."""
    query = None if Q is None else sparse.csr_matrix(Q)
    ind, sq = sparse_sq_kneighbors(sparse.csr_matrix(X), query, k, **kwargs)
    want_ind, want_sq = brute_force(X, X if Q is None else Q, k)
    np.testing.assert_array_equal(ind, want_ind)
    np.testing.assert_array_equal(sq, want_sq)


def rows_with_traps(seed, n, d, density, kind):
    """Sparse-looking rows with what breaks a norm expansion: repeated rows,
    rows a rounding error apart, large common values, small integers (ties)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)) * (rng.random((n, d)) < density)
    if kind == "integers":
        X = np.rint(X * 2)
    elif kind == "offset":  # a large value shared by most rows
        X[:, 0] = np.where(rng.random(n) < 0.9, 1e6, 0.0) + X[:, 0] * 1e-3
    copies = rng.integers(0, n, size=n // 3)
    X[rng.integers(0, n, size=n // 3)] = X[copies]
    near = rng.integers(0, n, size=n // 4)
    X[near] += 1e-9 * (X[near] != 0) * rng.choice([-1.0, 1.0], size=(len(near), d))
    return X


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    n=st.integers(1, 60),
    d=st.integers(1, 12),
    density=st.sampled_from([0.05, 0.3, 0.8]),
    kind=st.sampled_from(["normal", "integers", "offset"]),
    dtype=st.sampled_from([np.float64, np.float32]),
    external=st.booleans(),
    block_rows=st.sampled_from([None, 1, 3]),
    data=st.data(),
)
def test_sparse_search_is_the_brute_force_answer(
    seed, n, d, density, kind, dtype, external, block_rows, data
):
    X = rows_with_traps(seed, n, d, density, kind).astype(dtype)
    Q = rows_with_traps(seed + 1, 7, d, density, kind).astype(dtype)
    Q[:3] = X[: min(3, n)][np.arange(3) % n]  # queries equal to fitted rows
    k = data.draw(st.integers(1, n))
    assert_brute_force_answer(
        X,
        Q if external else None,
        k,
        n_threads=data.draw(st.sampled_from([1, 2])),
        block_rows=block_rows,
    )


def test_near_duplicates_keep_their_exact_order():
    # groups of 12 rows 1e-9 apart, norms near 1: the expansion's rounding
    # (1e-16 of the norms) is far above their squared distances (1e-18), so
    # its k + 4 best are a random pick of the group; the certificate sends
    # those rows to the exact pass, whose bound must admit the whole group
    rng = np.random.default_rng(0)
    base = sparse.random(40, 30, density=0.2, random_state=0).toarray()
    groups = [base[i] + 1e-9 * rng.standard_normal((12, 30)) * (base[i] != 0)
              for i in range(len(base))]  # fmt: skip
    X = np.vstack(groups)[rng.permutation(12 * len(base))]
    assert_brute_force_answer(X, None, 6, n_threads=2)


def test_rows_repeated_more_often_than_the_candidate_list_is_long():
    # 150 copies of one row and 150 rows 1e-9 away from it: the certificate
    # cannot settle them, the exact pass over every row the bound admits
    # does (nearest first, then lowest indices)
    rng = np.random.default_rng(1)
    X = sparse.random(500, 30, density=0.2, random_state=1).toarray()
    rows = rng.choice(500, 300, replace=False)
    X[rows] = X[7]
    X[rows[150:]] += 1e-9 * rng.standard_normal((150, 30)) * (X[7] != 0)
    assert_brute_force_answer(X, None, 5, n_threads=2)


def test_empty_rows_empty_queries_and_no_stored_values():
    rng = np.random.default_rng(2)
    X = np.zeros((30, 4))
    X[rng.choice(30, 6, replace=False), rng.integers(0, 4, 6)] = 1.0
    assert_brute_force_answer(X, None, 4)
    # no stored value at all: every row at distance 0, lowest indices first
    ind, sq = sparse_sq_kneighbors(sparse.csr_matrix((30, 4)), None, 3)
    assert ind.tolist() == [[0, 1, 2]] * 30 and not sq.any()
    ind, sq = sparse_sq_kneighbors(sparse.csr_matrix(X), sparse.csr_matrix((0, 4)), 3)
    assert ind.shape == sq.shape == (0, 3)


def test_queries_beyond_the_float_range_get_every_row_at_infinity():
    # 1e308 squared overflows: the expansion is not a number, the exact
    # distances are infinite, and the answer is the lowest indices
    X = np.zeros((20, 300))
    X[:5, 0] = 2.0
    X[np.arange(20), np.arange(1, 21)] = 1.0
    Q = np.zeros((2, 300))
    Q[0, 0], Q[1, 3] = 1e308, -1e308
    dense = ExactNeighbors(2).fit(X).kneighbors(Q)
    got = ExactNeighbors(2).fit(sparse.csr_matrix(X)).kneighbors(sparse.csr_matrix(Q))
    assert got[1].tolist() == dense[1].tolist() == [[0, 1], [0, 1]]
    np.testing.assert_array_equal(got[0], dense[0])


def test_one_row_of_huge_norm_does_not_change_the_answer():
    X = sparse.random(500, 200, density=0.02, format="lil", random_state=3)
    X[0, 0] = 1e8  # widens the certificate's tolerance for every query
    assert_brute_force_answer(X.toarray(), None, 5, n_threads=2)


@pytest.mark.parametrize("k", [0, 4])
def test_k_outside_the_fitted_rows_is_refused(k):
    with pytest.raises(ValueError, match="k must be between 1 and the 3 fitted rows"):
        sparse_sq_kneighbors(sparse.csr_matrix(np.eye(3)), None, k)


def test_callers_matrix_is_left_as_it_is():
    # unsorted columns and a repeated entry (scipy sums them)
    X = sparse.csr_matrix(
        (np.array([3.0, 1.0, 2.0, 5.0]), np.array([2, 0, 2, 1]), np.array([0, 3, 4])),
        shape=(2, 3),
    )
    before = (X.data.copy(), X.indices.copy(), X.indptr.copy())
    ind, sq = sparse_sq_kneighbors(X, None, 2)
    for got, want in zip((X.data, X.indices, X.indptr), before, strict=True):
        np.testing.assert_array_equal(got, want)
    assert ind.tolist() == [[0, 1], [1, 0]]
    assert sq[0].tolist() == [0.0, 1.0 + 25.0 + 25.0]  # row 0 is [1, 0, 5]


@pytest.mark.parametrize("route", ["sparse", "dense copies"])
@pytest.mark.parametrize("external", [False, True])
def test_exact_neighbors_gives_sparse_and_dense_inputs_the_same_answer(
    route, external, monkeypatch
):
    monkeypatch.setattr(
        neighbors_module, "dense_pays", lambda fit, query=None: route != "sparse"
    )
    X = rows_with_traps(3, 400, 25, 0.2, "normal")
    Q = rows_with_traps(4, 50, 25, 0.2, "normal") if external else None
    dense = ExactNeighbors(6).fit(X).kneighbors(Q)
    from_sparse = (
        ExactNeighbors(6, block_size=37)
        .fit(sparse.csr_matrix(X))
        .kneighbors(None if Q is None else sparse.csr_matrix(Q))
    )
    for got, want in zip(from_sparse, dense, strict=True):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("route", ["sparse", "dense copies"])
def test_every_sampler_gives_sparse_and_dense_inputs_the_same_rows(
    sampler, route, monkeypatch
):
    if type(sampler).__name__ == "SMOTEN":
        pytest.skip("SMOTEN reads category codes, not sparse values")
    monkeypatch.setattr(
        neighbors_module, "dense_pays", lambda fit, query=None: route != "sparse"
    )
    X = rows_with_traps(5, 400, 30, 0.15, "normal")
    y = np.repeat([0, 1, 2], [260, 90, 50])
    want_X, want_y = clone(sampler).fit_resample(X, y)
    got_X, got_y = clone(sampler).fit_resample(sparse.csr_matrix(X), y)
    np.testing.assert_array_equal(got_y, want_y)
    np.testing.assert_array_equal(got_X.toarray(), want_X)


def test_dense_route_is_chosen_for_dense_like_data_within_the_memory_bound():
    assert dense_pays(sparse.random(3000, 60, density=0.4, random_state=0))
    assert not dense_pays(sparse.random(3000, 3000, density=0.002, random_state=0))
    # queries against the fitted rows count their own dense copy
    fit = sparse.random(3000, 60, density=0.4, random_state=0)
    assert dense_pays(fit, sparse.random(100, 60, density=0.4, random_state=1))
    assert not dense_pays(fit, sparse.random(100, 60, density=0.0, random_state=1))


def test_dense_route_is_refused_when_the_copies_would_be_large(monkeypatch):
    X = sparse.random(3000, 60, density=0.4, random_state=0)
    assert dense_pays(X)
    # 3000 x 60 x 12 bytes = 2.1 MB of copies against 1.7 MB of sparse rows
    monkeypatch.setattr(_sparse_search, "DENSE_BYTES", 2**20)
    assert not dense_pays(X)


def _with_repeats(data, indices, indptr, shape):
    """A CSR matrix that keeps its repeated entries (not canonical)."""
    X = sparse.csr_matrix((data, indices, indptr), shape=shape)
    assert not X.has_canonical_format
    return X


def test_repeated_float32_entries_are_summed_as_the_dense_copy_sums_them():
    # row 1 stores 1.0 and 1e-8 in one cell: 1.0 in float32, as toarray()
    # has it, so rows 1 and 2 tie as row 0's nearest and row 1 wins; summed
    # in float64 (as before) row 1 was farther and row 2 came back (and row
    # 1, equal to row 2, has it as its nearest)
    data = np.array([1.0, 1e-8, 1.0], dtype=np.float32)
    X = _with_repeats(data, np.array([0, 0, 0]), np.array([0, 0, 2, 3]), (3, 1))
    sparse_ind = ExactNeighbors(n_neighbors=1).fit(X).kneighbors()[1]
    dense_ind = ExactNeighbors(n_neighbors=1).fit(X.toarray()).kneighbors()[1]
    assert sparse_ind.tolist() == dense_ind.tolist() == [[1], [2], [1]]


def _smote_sparse_and_dense(X, y):
    from smotekit import SMOTE

    X_sparse, _ = SMOTE(k_neighbors=1, random_state=0).fit_resample(X, y)
    X_dense, _ = SMOTE(k_neighbors=1, random_state=0).fit_resample(X.toarray(), y)
    return X_sparse.toarray(), X_dense


def test_smote_on_repeated_float32_entries_gives_the_rows_of_the_dense_copy():
    # minority rows [0, 0], [1.0 + 1e-8 stored as two entries, 0], [0, 1]:
    # the synthetic row went towards [0, 1] from sparse input, towards
    # [1, 0] from its dense copy
    data = np.array([1.0, 1e-8, 1.0] + [5.0] * 12, dtype=np.float32)
    indices = np.array([0, 0, 1] + [0, 1] * 6)
    indptr = np.array([0, 0, 2, 3, 5, 7, 9, 11, 13, 15])
    X = _with_repeats(data, indices, indptr, (9, 2))
    y = np.array([1, 1, 1] + [0] * 6)
    X_sparse, X_dense = _smote_sparse_and_dense(X, y)
    np.testing.assert_array_equal(X_sparse, X_dense)


def test_smote_on_repeated_int8_entries_gives_the_rows_of_the_dense_copy():
    # 100 + 100 is -56 in int8, as toarray() and the rows built hold it; the
    # search placed that row at 200
    data = np.array([100, 100, 10, 20, 30, -50, -60], dtype=np.int8)
    rows = np.array([4, 4, 5, 6, 7, 8, 9])
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=18))])
    X = _with_repeats(data, np.zeros(7, np.int64), indptr, (18, 1))
    y = np.array([0] * 4 + [1] * 6 + [0] * 8)
    X_sparse, X_dense = _smote_sparse_and_dense(X, y)
    np.testing.assert_array_equal(X_sparse, X_dense)
