"""Sparse input at its edges: SMOTENC keeps each row's columns sorted, and
SVMSMOTE and KMeansSMOTE take 64-bit index arrays (scikit-learn's do not)."""

import numpy as np
import pytest
from scipy import sparse

from smotekit import SMOTENC, SVMSMOTE, KMeansSMOTE

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
