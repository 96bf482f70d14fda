"""Synthetic values at the ends of a dtype's range.

Finite input never gives an infinite synthetic value: differences that
overflow are rebuilt step by step in the data's own dtype, extrapolated rows
and smoothing noise are saturated at the dtype's largest value, statistics of
huge values are taken on values scaled by a power of two, and integers past
2**53 (which float64 cannot all hold) stay on their segment.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.cluster import KMeans

import smotekit as sk
from smotekit._generation import interpolate_into, round_into_range
from smotekit._random import make_root_entropy, stream_key
from smotekit.over_sampling._svm import draw_svm_rows

F32_MAX = np.finfo(np.float32).max


def quiet_fit(sampler, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sampler.fit_resample(X, y)


def test_overflowing_float32_differences_are_rebuilt_in_float32():
    # values of both signs past half float32's largest: X[b] - X[a] overflows
    big = np.float32(3.0e38)
    column = [-1.1 * big, 1.1 * big, -0.95 * big, 1.05 * big, *range(6)]
    X = np.c_[np.array(column, np.float32), np.arange(10, dtype=np.float32)]
    y = np.array([1] * 4 + [0] * 6)
    sampler = sk.SMOTE(random_state=0, k_neighbors=3, sampling_strategy={1: 2000})
    X_res, _ = sampler.fit_resample(X, y)
    p = sampler.provenance_
    a, b, g = X[p.parent], X[p.neighbor], p.gap[:, None]
    assert p.gap.dtype == np.float32
    with np.errstate(over="ignore", invalid="ignore"):
        expected = a + g * (b - a)
        overflow = ~np.isfinite(expected)
        expected[overflow] = ((1 - g) * a + g * b)[overflow]  # float32 steps
    assert overflow.sum() > 500
    np.testing.assert_array_equal(X_res[len(X) :], expected)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("low", [0.0, -1.0])
def test_compiled_and_numpy_paths_agree_bit_for_bit_near_the_top(low, dtype):
    # a C-ordered output takes the compiled kernel, an F-ordered one numpy;
    # negative gaps extrapolate past the range and are saturated in both
    rng = np.random.default_rng(0)
    top = np.finfo(dtype).max
    X = (rng.uniform(-1, 1, (500, 3)) * top).astype(dtype)
    parent, neighbor = rng.integers(0, 500, (2, 5000))
    gap = rng.uniform(low, 1.0, 5000).astype(dtype)
    out_c = np.empty((5000, 3), dtype)
    out_f = np.empty((5000, 3), dtype, order="F")
    interpolate_into(out_c, X, parent, neighbor, gap)
    interpolate_into(out_f, X, parent, neighbor, gap)
    np.testing.assert_array_equal(out_c, out_f)
    assert np.isfinite(out_c).all()
    if low < 0:
        assert (np.abs(out_c) == top).any()


def test_saturated_values_keep_the_sign_of_the_true_value():
    X = np.array([[3e38], [-3e38]], np.float32)
    out = np.empty((3, 1), np.float32)
    gap = np.array([-0.5, -0.5, 0.25], np.float32)
    interpolate_into(out, X, np.array([0, 1, 0]), np.array([1, 0, 1]), gap)
    # 3e38 - 0.5 * (-6e38) = 6e38: past the top; -3e38 - 0.5 * 6e38 below it
    assert out[:2, 0].tolist() == [F32_MAX, -F32_MAX]
    # inside the segment: (1 - g) * a + g * b, in float32
    assert out[2, 0] == np.float32(0.75) * X[0, 0] + gap[2] * X[1, 0]


def _huge_minority(dtype, top, rng, n=30):
    minority = np.c_[rng.uniform(0.5, 0.99, n) * top, rng.normal(size=n)]
    minority[: n // 2, 0] *= -1
    X = np.vstack([rng.normal(size=(100, 2)), minority]).astype(dtype)
    y = np.r_[np.zeros(100, int), np.ones(n, int)]
    assert np.isfinite(X).all()
    return X, y


# (float64 values this large stop scikit-learn's SVM, with a clear error)
@pytest.mark.parametrize("dtype, top", [(np.float16, 6.5e4), (np.float32, F32_MAX)])
@pytest.mark.parametrize("container", ["dense", "csr"])
def test_svmsmote_extrapolation_stays_finite(dtype, top, container):
    if container == "csr" and dtype == np.float16:
        pytest.skip("scipy's sparse matrices do not hold float16")
    X, y = _huge_minority(dtype, top, np.random.default_rng(0))
    data = sparse.csr_matrix(X) if container == "csr" else X
    sampler = sk.SVMSMOTE(random_state=0, out_step=1.0)
    X_res, y_res = quiet_fit(sampler, data, y)
    dense = X_res.toarray() if container == "csr" else X_res
    assert dense.dtype == dtype
    assert np.bincount(y_res).tolist() == [100, 100]
    assert np.isfinite(dense).all()
    assert (sampler.provenance_.gap < 0).any()


def test_svmsmote_gaps_stay_strictly_inside_their_interval():
    # -1e-45 rounds to float32's smallest subnormal, 1.4e-45, past it: the
    # draws that round there are pulled back inside (-1e-45, 0]
    key = stream_key(make_root_entropy(0), 0, 0)
    p = draw_svm_rows(key, 0, 1000, np.array([3]), np.array([[5]]), -1e-45, np.float32)
    assert (p.gap.astype(np.float64) > -1e-45).all()
    assert (p.gap <= 0).all()
    p = draw_svm_rows(key, 0, 1000, np.array([3]), np.array([[5]]), 1.0, np.float32)
    assert ((p.gap >= 0) & (p.gap < 1)).all()


def test_kmeans_smote_weights_huge_finite_values_as_their_scaled_copy():
    rng = np.random.default_rng(0)
    X = np.vstack(
        [
            rng.normal(size=(200, 2)),
            rng.normal(3, 1, (30, 2)),
            rng.normal(-3, 1, (30, 2)),
        ]
    )
    y = np.r_[np.zeros(200, int), np.ones(60, int)]

    def fit(scale, as_sparse=False):
        data = X * scale
        sampler = sk.KMeansSMOTE(
            random_state=0,
            kmeans_estimator=KMeans(n_clusters=3, n_init=1, random_state=0),
            cluster_balance_threshold=0.0,
        )
        X_res, y_res = quiet_fit(
            sampler, sparse.csr_matrix(data) if as_sparse else data, y
        )
        return sampler, X_res, y_res

    for scale, as_sparse in [(2.0**520, False), (2.0**520, True), (2.0**-600, False)]:
        sampler, X_res, y_res = fit(scale, as_sparse)
        assert np.bincount(y_res).tolist() == [200, 200]
        dense = X_res.toarray() if as_sparse else X_res
        assert np.isfinite(dense).all()
        # scaling by a power of two is exact: the weights of given clusters
        # are those of the unscaled data
        groups = [np.arange(0, 30), np.arange(30, 60), np.arange(5, 50)]
        minority = X[y == 1]
        data = minority * scale
        data = sparse.csr_matrix(data) if as_sparse else data
        np.testing.assert_array_equal(
            sampler._weights(data, groups), sampler._weights(minority, groups)
        )


def test_smoothed_bootstrap_noise_of_huge_float64_values_is_finite():
    rng = np.random.default_rng(0)
    minority = rng.choice([-1, 1], (10, 2)) * 1e200 * rng.uniform(0.5, 0.9, (10, 2))
    X = np.vstack([rng.normal(size=(30, 2)), minority])
    y = np.r_[np.zeros(30, int), np.ones(10, int)]
    sampler = sk.RandomOverSampler(random_state=0, shrinkage=0.1)
    X_res, _ = quiet_fit(sampler, X, y)
    assert np.isfinite(sampler.provenance_.noise).all()
    assert np.isfinite(X_res).all()
    # the scale is the one of the same data scaled down by 2**600, scaled up
    small = sk.RandomOverSampler(random_state=0, shrinkage=0.1)
    small.fit_resample(np.ldexp(X, -600), y)
    np.testing.assert_array_equal(
        sampler.provenance_.noise, np.ldexp(small.provenance_.noise, 600)
    )


@pytest.mark.parametrize("dtype, big", [(np.float16, 6e4), (np.float32, 3e38)])
@pytest.mark.parametrize("container", ["numpy", "csr", "frame"])
def test_smoothed_bootstrap_near_the_top_of_a_float_dtype_is_saturated(
    dtype, big, container
):
    if container == "csr" and dtype == np.float16:
        pytest.skip("scipy's sparse matrices do not hold float16")
    rng = np.random.default_rng(0)
    minority = rng.choice([-1, 1], (10, 2)) * big * rng.uniform(0.5, 1.0, (10, 2))
    X = np.vstack([rng.normal(size=(30, 2)), minority]).astype(dtype)
    y = np.r_[np.zeros(30, int), np.ones(10, int)]
    data = {
        "numpy": lambda: X,
        "csr": lambda: sparse.csr_matrix(X),
        # a mixed frame: its columns are built in float64 and cast one by one
        "frame": lambda: pd.DataFrame({"a": X[:, 0], "b": X[:, 1], "n": range(40)}),
    }[container]()
    X_res, _ = quiet_fit(sk.RandomOverSampler(random_state=0, shrinkage=1.0), data, y)
    values = {
        "numpy": lambda r: r,
        "csr": lambda r: r.toarray(),
        "frame": lambda r: r[["a", "b"]].to_numpy(),
    }[container](X_res)
    assert values.dtype == dtype
    assert np.isfinite(values).all()
    assert (np.abs(values) == np.finfo(dtype).max).any()


@pytest.mark.parametrize("dtype", [np.int64, np.uint64])
def test_integers_past_2_53_that_are_all_equal_stay_exact(dtype):
    top = 2**53 + 1  # float64 holds 2**53 and 2**53 + 2, not this
    X = np.array([[top]] * 4 + [[v] for v in range(6)], dtype=dtype)
    y = np.array([1] * 4 + [0] * 6)
    X_res, _ = sk.SMOTE(random_state=0, k_neighbors=3).fit_resample(X, y)
    assert X_res.dtype == dtype
    assert [int(v) for v in X_res[10:, 0]] == [top, top]


@pytest.mark.parametrize("base", [2**53 + 1, 2**62 + 1, -(2**62) - 7])
def test_integers_past_2_53_stay_between_their_two_rows(base):
    X = np.array([[base + 2 * i] for i in range(40)] + [[v] for v in range(60)])
    y = np.array([1] * 40 + [0] * 60)
    sampler = sk.SMOTE(random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    p = sampler.provenance_
    values = [int(v) for v in X_res[100:, 0]]
    ends = zip(X[p.parent, 0].tolist(), X[p.neighbor, 0].tolist(), strict=True)
    for value, (a, b) in zip(values, ends, strict=True):
        assert min(a, b) <= value <= max(a, b), (value, a, b)


def test_extrapolated_integers_past_2_53_stay_on_the_parents_side():
    rng = np.random.default_rng(0)
    base = 2**60
    X = np.r_[rng.integers(-100, 100, 200), base + rng.integers(-3, 4, 40) * 2**9]
    X = np.c_[X, rng.normal(size=240) > 0].astype(np.int64)
    y = np.r_[np.zeros(200, int), np.ones(40, int)]
    sampler = sk.SVMSMOTE(random_state=0, out_step=0.5)
    X_res, _ = quiet_fit(sampler, X, y)
    p = sampler.provenance_
    back = p.gap < 0
    assert back.any()
    a, b = X[p.parent, 0], X[p.neighbor, 0]
    new = X_res[len(X) :, 0]
    # away from the neighbour, or the parent itself
    assert ((new[back] - a[back]) * np.sign(a[back] - b[back]) >= 0).all()
    assert (new[back & (a == b)] == a[back & (a == b)]).all()


def test_round_into_range_clips_floats_and_keeps_nan():
    values = np.array([np.inf, -np.inf, np.nan, 1.5, 1e300])
    out = round_into_range(values, np.float32)
    assert out.dtype == np.float64
    assert out[[0, 1, 4]].tolist() == [F32_MAX, -F32_MAX, F32_MAX]
    assert np.isnan(out[2]) and out[3] == 1.5
