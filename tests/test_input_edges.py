"""Inputs at the edges of what the samplers take: all-bool sparse frames,
big-endian arrays, text arrays, complex labels, values too large for an SVM."""

import numpy as np
import pandas as pd
import pytest
from sklearn.svm import NuSVC

from smotekit import SMOTE, SMOTEN, SMOTENC, SVMSMOTE, RandomOverSampler


@pytest.mark.parametrize(
    "sampler",
    [SMOTE(k_neighbors=1, random_state=0), RandomOverSampler(random_state=0)],
    ids=["SMOTE", "RandomOverSampler"],
)
def test_sparse_frame_of_bool_columns(sampler):
    X = pd.DataFrame(
        {
            "a": pd.arrays.SparseArray(
                np.array([True, False, True, True, False, True]), fill_value=False
            )
        }
    )
    y = np.array([0, 0, 0, 0, 1, 1])
    X_res, _ = sampler.fit_resample(X, y)
    assert X_res.dtypes.tolist() == X.dtypes.tolist()
    pd.testing.assert_frame_equal(X_res.iloc[:6], X)
    assert len(X_res) == 8


@pytest.mark.parametrize(
    "sampler",
    [
        SMOTEN(k_neighbors=2, random_state=0),
        SMOTENC([0], k_neighbors=2, random_state=0),
    ],
    ids=["SMOTEN", "SMOTENC"],
)
def test_categorical_samplers_big_endian_array(sampler):
    g = np.array([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1])
    y = np.array([0] * 10 + [1] * 4)
    X_native = np.c_[g, g].astype("<i8")
    X_big = X_native.astype(">i8")
    expected, _ = type(sampler)(**sampler.get_params()).fit_resample(X_native, y)
    got, _ = sampler.fit_resample(X_big, y)
    np.testing.assert_array_equal(got, expected)


def test_svmsmote_huge_values_error_names_the_sampler():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 2)) * 1e200
    y = np.array([0] * 20 + [1] * 10)
    with pytest.raises(
        ValueError, match=r"SVMSMOTE could not fit its SVM \(svm_estimator SVC\)"
    ):
        SVMSMOTE(random_state=0).fit_resample(X, y)


def test_svmsmote_infeasible_nu_is_told_the_largest_feasible_nu():
    rng = np.random.default_rng(0)
    X = rng.random((100, 2))
    y = np.array([0] * 90 + [1] * 10)
    with pytest.raises(ValueError) as e:
        SVMSMOTE(svm_estimator=NuSVC(), random_state=0).fit_resample(X, y)
    assert str(e.value) == (
        "SVMSMOTE could not fit its SVM (svm_estimator NuSVC): specified nu is "
        "infeasible. Give svm_estimator a smaller nu: at most 0.2 here (twice the "
        "smallest class's rows over those of the smallest and the largest class "
        "together)."
    )
    X_res, _ = SVMSMOTE(svm_estimator=NuSVC(nu=0.2), random_state=0).fit_resample(X, y)
    assert len(X_res) == 180


def test_complex_labels_error_names_the_sampler():
    X = np.arange(24, dtype=float).reshape(12, 2)
    y = np.array([1j] * 8 + [2j] * 4)
    with pytest.raises(
        ValueError,
        match=r"Complex data not supported: the target .y. of SMOTE holds complex",
    ):
        SMOTE(k_neighbors=2, random_state=0).fit_resample(X, y)


def test_numpy_array_of_numerals_as_text_is_refused_like_a_frame():
    g = [0, 1, 2] * 4
    y = np.array([0] * 8 + [1] * 4)
    frame = pd.DataFrame(
        {"a": pd.Series([str(v) for v in g], dtype=object), "b": np.array(g, float)}
    )
    with pytest.raises(ValueError, match="not numeric"):
        SMOTE(k_neighbors=2, random_state=0).fit_resample(frame, y)
    as_array = np.array([[str(v), float(v)] for v in g], dtype=object)
    with pytest.raises(ValueError, match="not numeric"):
        SMOTE(k_neighbors=2, random_state=0).fit_resample(as_array, y)


@pytest.mark.parametrize("unit", ["s", "ns"])
@pytest.mark.parametrize("sampler", [SMOTE, RandomOverSampler])
def test_date_labels_at_any_resolution(sampler, unit):
    # a nanosecond date's item() is a bare int, which names no class
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    days = np.array(["2020-01-01", "2021-01-01"], dtype=f"datetime64[{unit}]")
    y = days[np.repeat([0, 1], [28, 12])]
    X_res, y_res = sampler(random_state=0).fit_resample(X, y)
    assert y_res.dtype == y.dtype
    labels, counts = np.unique(y_res, return_counts=True)
    assert labels.tolist() == days.tolist() and counts.tolist() == [28, 28]
    np.testing.assert_array_equal(X_res[:40], X)


@pytest.mark.parametrize("dtype", ["U3", "S5", "U1"])
@pytest.mark.parametrize("n_features", [1, 2, 3])
def test_random_over_sampler_copies_text_arrays_of_any_width(dtype, n_features):
    # rows are copied as machine words: a <U3 item (12 bytes) is no multiple
    # of a word, the row may be
    X = np.arange(6 * n_features).reshape(6, n_features).astype(dtype)
    y = np.array([0, 0, 0, 0, 1, 1])
    sampler = RandomOverSampler(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert X_res.dtype == X.dtype and y_res.tolist() == [0] * 4 + [1] * 4
    np.testing.assert_array_equal(X_res[:6], X)
    np.testing.assert_array_equal(X_res[6:], X[sampler.provenance_.parent])


def test_nusvc_at_its_nu_bound_is_told_to_go_below_it():
    # 50 of 200 rows: the bound is 2 * 50 / 200 = 0.5, NuSVC's default nu;
    # libsvm takes it, and its solution comes out not finite here
    X = np.random.RandomState(0).randn(200, 3)
    y = np.array([0] * 150 + [1] * 50)
    with pytest.raises(ValueError) as e:
        SVMSMOTE(svm_estimator=NuSVC(), random_state=0).fit_resample(X, y)
    message = str(e.value)
    assert "not finite" in message and ".." not in message
    assert message.endswith(
        "Give svm_estimator a smaller nu: below 0.5 here; 0.5 is the bound (twice "
        "the smallest class's rows over those of the smallest and the largest "
        "class together), at which the solution can come out not finite."
    )
    X_res, _ = SVMSMOTE(svm_estimator=NuSVC(nu=0.49), random_state=0).fit_resample(X, y)
    assert len(X_res) == 300
