"""Values at the edges of their dtype: integers at the top of their range do
not wrap, finite floats give finite synthetic values, 64-bit pandas columns
keep their precision, integer index labels continue past int64's range."""

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

import smotekit as sk
from smotekit._data import synthetic_index
from smotekit._generation import round_into_range

INT64_MAX = int(np.iinfo(np.int64).max)
UINT64_MAX = int(np.iinfo(np.uint64).max)
Y8 = np.array([1, 1, 1, 0, 0, 0, 0, 0])


def _quietly(fn, *args):
    # a cast that wraps or an overflow warns: the fixed paths must not
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return fn(*args)


def _on_segment(values, a, b):
    return (values >= np.minimum(a, b)) & (values <= np.maximum(a, b))


@pytest.mark.parametrize(
    "dtype, values, expected",
    [
        (
            np.int64,
            [2.0**63, 2.0**63 - 1024, -(2.0**63), 1e300],
            [INT64_MAX, 2**63 - 1024, -(2**63), INT64_MAX],
        ),
        (np.uint64, [2.0**64, -1.0, 2.0**64 - 2048], [UINT64_MAX, 0, 2**64 - 2048]),
        (np.int32, [2.0**31, -(2.0**31) - 5, 2.5], [2**31 - 1, -(2**31), 2]),
        (np.uint8, [-0.7, 255.5, 300.0], [0, 255, 255]),
        (np.bool_, [0.4, 0.6, -3.0, 7.0], [False, True, False, True]),
    ],
)
def test_round_into_range_saturates_at_both_ends(dtype, values, expected):
    out = _quietly(round_into_range, np.array(values), dtype)
    assert out.dtype == dtype
    assert out.tolist() == expected


@pytest.mark.parametrize("dtype, top", [(np.int64, INT64_MAX), (np.uint64, UINT64_MAX)])
@pytest.mark.parametrize("container", ["numpy", "csr"])
def test_rows_at_the_top_of_a_64_bit_range_stay_there(dtype, top, container):
    # float64 rounds the top value up to 2**63 (2**64): the clip to the range
    # must bring it back to the top, not wrap it to the bottom
    X = np.array([[top]] * 3 + [[0], [1], [2], [3], [4]], dtype=dtype)
    X_in = sparse.csr_matrix(X) if container == "csr" else X
    X_res, _ = _quietly(sk.SMOTE(random_state=0, k_neighbors=2).fit_resample, X_in, Y8)
    X_res = X_res.toarray() if container == "csr" else X_res
    assert X_res.dtype == dtype
    np.testing.assert_array_equal(X_res[:8], X)
    assert X_res[8:].ravel().tolist() == [top, top]


def test_smoothed_bootstrap_at_the_top_of_int64_stays_there():
    X = np.array([[INT64_MAX]] * 3 + [[0], [1], [2], [3], [4]], dtype=np.int64)
    sampler = sk.RandomOverSampler(random_state=0, shrinkage=0.1)
    X_res, _ = _quietly(sampler.fit_resample, X, Y8)
    assert X_res[8:].ravel().tolist() == [INT64_MAX, INT64_MAX]


@pytest.mark.parametrize("dtype", ["int64", "Int64", "UInt64"])
def test_frame_columns_at_the_top_of_their_range_stay_there(dtype):
    top = UINT64_MAX if dtype == "UInt64" else INT64_MAX
    frame = pd.DataFrame({"i": pd.array([top] * 8, dtype=dtype)})
    X_res, _ = _quietly(sk.SMOTE(random_state=0, k_neighbors=2).fit_resample, frame, Y8)
    assert str(X_res["i"].dtype) == dtype
    assert X_res["i"].tolist() == [top] * 10


@pytest.mark.parametrize(
    "column",
    [
        pd.array([16_777_217 + 2 * (i % 3) for i in range(20)], dtype="Int64"),
        pd.array([0.1 + 1e-9 * i for i in range(20)], dtype="Float64"),
    ],
    ids=["Int64", "Float64"],
)
def test_a_nullable_64_bit_column_keeps_a_float32_frame_in_float64(column):
    # float32 cannot tell 16777217 from 16777216, nor 0.1 + 1e-9 from 0.1:
    # the synthetic values would leave the segment of their parents
    frame = pd.DataFrame({"f": np.arange(20, dtype=np.float32), "v": column})
    y = np.array([0] * 14 + [1] * 6)
    sampler = sk.SMOTE(random_state=0, k_neighbors=2)
    X_res, _ = sampler.fit_resample(frame, y)
    p = sampler.provenance_
    values = frame["v"].to_numpy(np.float64)
    synthetic = X_res["v"].iloc[20:].to_numpy(np.float64)
    assert _on_segment(synthetic, values[p.parent], values[p.neighbor]).all()
    assert X_res["f"].dtype == np.float32
    assert X_res["v"].dtype == column.dtype


def _huge(dtype):
    big = float(np.finfo(dtype).max) * 0.9
    X = np.array([[-big], [big], [-0.9 * big], [0.9 * big]] + [[v] for v in range(6)])
    return X.astype(dtype), np.array([1] * 4 + [0] * 6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("container", ["numpy", "fortran", "csr"])
@pytest.mark.parametrize(
    "sampler",
    [sk.SMOTE(random_state=0, k_neighbors=3), sk.ADASYN(random_state=0, n_neighbors=3)],
)
def test_differences_that_overflow_still_give_finite_rows(dtype, container, sampler):
    # X[b] - X[a] overflows for values of opposite signs beyond half the
    # dtype's largest: the synthetic rows must stay on their segments
    X, y = _huge(dtype)
    X_in = {"numpy": X, "fortran": np.asfortranarray(np.hstack([X, X])),
            "csr": sparse.csr_matrix(X)}[container]  # fmt: skip
    X_res, _ = _quietly(sampler.fit_resample, X_in, y)
    X_res = X_res.toarray() if container == "csr" else np.asarray(X_res)
    p = sampler.provenance_
    synthetic = X_res[10:, 0]
    assert len(synthetic) > 0
    assert np.isfinite(synthetic).all(), synthetic.tolist()
    assert _on_segment(synthetic, X[p.parent, 0], X[p.neighbor, 0]).all()
    assert (synthetic != 0).any()  # some rows on segments that are not short


def test_ordinary_values_keep_the_documented_formula_bit_for_bit():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(60, 4)).astype(np.float32)
    y = np.array([0] * 45 + [1] * 15)
    sampler = sk.SMOTE(random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    p = sampler.provenance_
    rebuilt = X[p.parent] + p.gap[:, None] * (X[p.neighbor] - X[p.parent])
    np.testing.assert_array_equal(X_res[60:], rebuilt)


@pytest.mark.parametrize(
    "index, expected",
    [
        (
            pd.Index(np.uint64(2**63) + np.arange(3, dtype=np.uint64)),
            [2**63 + 3, 2**63 + 4],
        ),
        (pd.Index([INT64_MAX - 1, 0]), ["synthetic_0", "synthetic_1"]),
        (
            pd.Index(np.array([UINT64_MAX], dtype=np.uint64)),
            ["synthetic_0", "synthetic_1"],
        ),
        (pd.Index([4, 9]), [10, 11]),
    ],
)
def test_integer_labels_continue_while_the_index_dtype_has_room(index, expected):
    assert list(synthetic_index(index, 2)) == expected


def test_a_uint64_index_past_int64_labels_synthetic_rows_after_its_largest():
    n = 30
    index = pd.Index(np.uint64(2**63) + np.arange(n, dtype=np.uint64))
    frame = pd.DataFrame(np.random.default_rng(0).normal(size=(n, 2)), index=index)
    y = pd.Series([0] * 20 + [1] * 10, index=index)
    X_res, y_res = sk.SMOTE(random_state=0).fit_resample(frame, y)
    assert X_res.index[:n].equals(index)
    assert X_res.index[n:].tolist() == [2**63 + n + i for i in range(10)]
    assert X_res.index.equals(y_res.index)
