"""Sparse input at its edges: SMOTENC keeps each row's columns sorted,
SVMSMOTE and KMeansSMOTE take 64-bit index arrays (scikit-learn's do not),
and a matrix storing its values out of order or as repeated entries gives
SVMSMOTE the rows of the dense matrix it holds."""

import numpy as np
import pytest
from scipy import sparse

from smotekit import (
    ADASYN,
    SMOTE,
    SMOTEENN,
    SMOTENC,
    SVMSMOTE,
    BorderlineSMOTE,
    KMeansSMOTE,
    SMOTETomek,
)
from smotekit.over_sampling import _svm

Y = np.array([0] * 45 + [1] * 15)


def _mixed():
    rng = np.random.default_rng(2)
    n = len(Y)
    # categorical column between two continuous ones
    return np.column_stack(
        [rng.normal(size=n), rng.integers(0, 3, n), rng.normal(size=n)]
    )


@pytest.mark.parametrize("container", [sparse.csr_matrix, sparse.csr_array])
def test_smotenc_sparse_output_has_sorted_indices(container):
    X_res, _ = SMOTENC([1], random_state=0).fit_resample(container(_mixed()), Y)
    rows = [
        X_res.indices[X_res.indptr[i] : X_res.indptr[i + 1]]
        for i in range(X_res.shape[0])
    ]
    assert all((np.diff(r) > 0).all() for r in rows)
    assert X_res.has_canonical_format


def _int64_csr():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(len(Y), 4))
    X[rng.random(X.shape) < 0.5] = 0
    Xs = sparse.csr_matrix(X)
    Xs.indices = Xs.indices.astype(np.int64)
    Xs.indptr = Xs.indptr.astype(np.int64)
    return X, Xs


@pytest.mark.parametrize(
    "make",
    [
        lambda: SVMSMOTE(random_state=0),
        lambda: KMeansSMOTE(random_state=0, cluster_balance_threshold=0.0),
    ],
    ids=["SVMSMOTE", "KMeansSMOTE"],
)
def test_int64_index_sparse_accepted(make):
    X, Xs = _int64_csr()
    expected, _ = make().fit_resample(X, Y)
    X_res, _ = make().fit_resample(Xs, Y)
    assert np.array_equal(X_res.toarray(), expected)


def _stored_twice(X):
    """The matrix ``X`` with each value stored as two halves (repeated
    entries, columns sorted: a valid CSR matrix, not in canonical form)."""
    coo = sparse.coo_matrix(X)
    rows, cols = np.r_[coo.row, coo.row], np.r_[coo.col, coo.col]
    order = np.lexsort((cols, rows))
    indptr = np.r_[0, np.cumsum(np.bincount(rows, minlength=X.shape[0]))]
    data = (np.r_[coo.data, coo.data] / 2)[order]
    M = sparse.csr_matrix((data, cols[order], indptr), shape=X.shape)
    assert not M.has_canonical_format and M.has_sorted_indices
    assert np.array_equal(M.toarray(), X)
    return M


def _reversed_columns(X):
    """The matrix ``X`` with the columns of each row stored in reverse."""
    M = sparse.csr_matrix(X)
    for i in range(M.shape[0]):
        lo, hi = M.indptr[i], M.indptr[i + 1]
        M.indices[lo:hi] = M.indices[lo:hi][::-1].copy()
        M.data[lo:hi] = M.data[lo:hi][::-1].copy()
    M.has_sorted_indices = False
    assert np.array_equal(M.toarray(), X)
    return M


def _blobs(n):
    rng = np.random.default_rng(5)
    y = (np.arange(n) % 5 == 0).astype(np.int64)
    X = rng.normal(size=(n, 6)) + y[:, None] * 1.2
    X[rng.random(X.shape) < 0.4] = 0
    return X, y


@pytest.mark.parametrize("store", [_stored_twice, _reversed_columns])
@pytest.mark.parametrize("fit_rows", [None, 400], ids=["whole", "sampled"])
def test_svmsmote_non_canonical_sparse_gives_the_dense_rows(
    store, fit_rows, monkeypatch
):
    # libsvm's sparse products mishandle repeated entries: the SVM must see
    # the values the matrix holds, when fitted on all rows or on a sample
    if fit_rows is not None:
        monkeypatch.setattr(_svm, "SVM_FIT_ROWS", fit_rows)
    X, y = _blobs(900)
    M = store(X)
    before = (M.data.copy(), M.indices.copy(), M.indptr.copy())
    expected, y_expected = SVMSMOTE(random_state=0).fit_resample(X, y)
    sampler = SVMSMOTE(random_state=0)
    X_res, y_res = sampler.fit_resample(M, y)
    assert len(y_res) == len(y_expected) > len(y)
    np.testing.assert_array_equal(y_res, y_expected)
    np.testing.assert_array_equal(X_res.toarray(), expected)
    # the caller's matrix is left as it came, its storage included
    for kept, now in zip(before, (M.data, M.indices, M.indptr), strict=True):
        np.testing.assert_array_equal(now, kept)


@pytest.mark.parametrize("container", [sparse.csr_matrix, sparse.csc_array])
@pytest.mark.parametrize(
    "make",
    [
        lambda: SMOTE(k_neighbors=1, random_state=0),
        lambda: ADASYN(random_state=0),
        lambda: BorderlineSMOTE(random_state=0),
        lambda: SVMSMOTE(random_state=0),
        lambda: KMeansSMOTE(random_state=0),
        lambda: SMOTETomek(smote=SMOTE(k_neighbors=1), random_state=0),
        lambda: SMOTEENN(smote=SMOTE(k_neighbors=1), random_state=0),
    ],
    ids=["SMOTE", "ADASYN", "BorderlineSMOTE", "SVMSMOTE", "KMeansSMOTE",
         "SMOTETomek", "SMOTEENN"],
)  # fmt: skip
def test_sparse_int64_past_2_53_with_no_row_to_generate(make, container):
    # balanced classes: nothing to generate; the clipping of integers past
    # 2**53 to their segments has no stored value to clip
    X = container(np.array([[2**62], [-(2**62)], [5], [7]], dtype=np.int64))
    y = np.array([0, 1, 0, 1])
    sampler = make()
    X_res, y_res = sampler.fit_resample(X, y)
    assert sparse.issparse(X_res) and X_res.dtype == np.int64
    assert X_res.format == X.format
    kept = getattr(sampler, "sample_indices_", np.arange(4))
    np.testing.assert_array_equal(X_res.toarray(), X.toarray()[kept])
    np.testing.assert_array_equal(y_res, y[kept])
    assert len(sampler.provenance_) == 0
