"""64-bit integers at the top of their range and past 2**53 under SVMSMOTE's
extrapolation (negative gaps), dense, frame and CSR."""

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from smotekit._generation import interpolate_into, interpolate_sparse
from smotekit.over_sampling import SVMSMOTE

TOP = 2**53 + 1


def _svm_data(constant):
    """Two ordinary int64 features and one constant column ``constant``."""
    rng = np.random.default_rng(0)
    n0, n1 = 60, 20
    f = np.vstack([rng.normal(0, 1, (n0, 2)), rng.normal(1.5, 1, (n1, 2))])
    X = np.column_stack(
        [np.round(f * 100).astype(np.int64), np.full(n0 + n1, constant, np.int64)]
    )
    y = np.r_[np.zeros(n0, int), np.ones(n1, int)]
    return X, y


# ---------------------------------------------------------------- sparse, 64-bit
# CSR values are clipped entry by entry in integer arithmetic: a batch with
# negative gaps must not pass through float64 (values past 2**53 would lose
# bits again, and 2**63 - 1 / 2**64 - 1 would wrap to the bottom).


def test_sparse_svmsmote_int64_at_the_top_does_not_wrap():
    # Formerly: SVMSMOTE on a CSR int64 matrix whose third column is
    # 2**63 - 1 in every row gives -2**63 in every synthetic row (dense: 2**63 - 1).
    # Expected: every synthetic value of that column is 2**63 - 1 (both rows
    # hold it; dense input gives it).
    X, y = _svm_data(2**63 - 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sampler = SVMSMOTE(random_state=0)
        X_res, _ = sampler.fit_resample(sparse.csr_matrix(X), y)
    assert (sampler.provenance_.gap < 0).any()  # the extrapolating rows exist
    assert X_res.toarray()[len(X) :, 2].tolist() == [2**63 - 1] * (
        X_res.shape[0] - len(X)
    )


def test_sparse_svmsmote_int64_past_2_53_keeps_equal_values():
    # Formerly: a constant CSR int64 column of 2**53 + 1 comes back
    # 2**53 in every synthetic row, the rows of positive gaps included
    # (their clipping is undone by the float64 diags product).
    # Expected: 2**53 + 1 everywhere (the value of both rows).
    X, y = _svm_data(TOP)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sampler = SVMSMOTE(random_state=0)
        X_res, _ = sampler.fit_resample(sparse.csr_matrix(X), y)
    assert set(X_res.toarray()[len(X) :, 2].tolist()) == {TOP}


def test_interpolate_sparse_uint64_at_the_top_does_not_wrap():
    # Formerly: rows 2**64 - 1 and 2**64 - 3 (uint64 CSR) with gaps
    # [-0.5, 0.5] give [0, 0]: wrapped round to the bottom of uint64.
    # Expected: [2**64 - 1 (saturated on the parent's side), a value in
    # [2**64 - 3, 2**64 - 1]], as the dense path gives.
    X = np.array([[2**64 - 1, 1], [2**64 - 3, 2]], dtype=np.uint64)
    parent, neighbor, gap = np.array([0, 0]), np.array([1, 1]), np.array([-0.5, 0.5])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = interpolate_sparse(sparse.csr_matrix(X), parent, neighbor, gap)
    col = [int(v) for v in got.toarray()[:, 0]]
    assert col[0] == 2**64 - 1
    assert 2**64 - 3 <= col[1] <= 2**64 - 1


# ------------------------------------------------- dense / frames, negative gaps
# An extrapolated value between equal parent and neighbour values is that
# value (float64 gives 2**53 for 2**53 + 1).


def test_interpolate_into_negative_gap_between_equal_values_is_exact():
    # Formerly: parent and neighbour both 2**53 + 1, gap -0.3: 2**53.
    # Expected: 2**53 + 1 (a + g * 0), as for gap 0.5.
    X = np.array([[TOP], [TOP]], dtype=np.int64)
    out = np.empty((2, 1), np.int64)
    interpolate_into(out, X, np.array([0, 0]), np.array([1, 1]), np.array([-0.3, 0.5]))
    assert out.ravel().tolist() == [TOP, TOP]


@pytest.mark.parametrize("container", ["array", "frame"])
def test_svmsmote_extrapolated_rows_keep_a_constant_int64_column(container):
    # Formerly: SVMSMOTE's extrapolated rows (negative gaps) give 2**53
    # in a column that is 2**53 + 1 in every row (numpy int64 array and
    # DataFrame: on_segments, _data.py, calls the same within_segments).
    # Expected: 2**53 + 1 in every synthetic row, as provenance_ describes.
    X, y = _svm_data(TOP)
    if container == "frame":
        X = pd.DataFrame(X, columns=["a", "b", "c"])
    sampler = SVMSMOTE(random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    assert (sampler.provenance_.gap < 0).any()
    values = np.asarray(X_res)[len(X) :, 2]
    assert set(int(v) for v in values) == {TOP}
