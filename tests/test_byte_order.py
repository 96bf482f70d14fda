"""Data stored in the other byte order (``">i8"``, ``">f8"`` on this machine)
gives the same result as the same values in the machine's order, for every
sampler and container; the caller's objects are left as they came."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification

import smotekit

NUMERIC = [
    "SMOTE",
    "RandomOverSampler",
    "BorderlineSMOTE",
    "SVMSMOTE",
    "KMeansSMOTE",
    "ADASYN",
    "RandomUnderSampler",
    "TomekLinks",
    "EditedNearestNeighbours",
    "SMOTEENN",
    "SMOTETomek",
]


def make(name):
    params = {} if name in ("TomekLinks", "EditedNearestNeighbours") else {
        "random_state": 0
    }  # fmt: skip
    if name == "KMeansSMOTE":
        params["cluster_balance_threshold"] = 0.0
    return getattr(smotekit, name)(**params)


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(
        n_samples=300, n_features=4, n_informative=3, n_redundant=0,
        weights=[0.85], random_state=0,
    )  # fmt: skip
    return X, y


def swapped(a):
    return a.astype(a.dtype.newbyteorder(">" if a.dtype.isnative else "<"))


def as_numbers(obj):
    return np.asarray(obj).astype(np.float64)


@pytest.mark.parametrize("name", NUMERIC)
@pytest.mark.parametrize("form", ["array-i8", "array-u2", "series-i4", "frame-i2"])
def test_swapped_labels(data, name, form):
    X, y = data
    X_ref, y_ref = make(name).fit_resample(X, y)
    kind, dtype = form.split("-")
    labels = swapped(y.astype(dtype))
    given = {"array": labels, "series": pd.Series(labels, name="target")}.get(
        kind, pd.DataFrame({"target": labels})
    )
    before = given.copy()
    X_res, y_res = make(name).fit_resample(X, given)
    np.testing.assert_array_equal(X_res, X_ref)
    np.testing.assert_array_equal(as_numbers(y_res).ravel(), y_ref)
    assert type(y_res) is type(given)
    if kind == "array":  # the labels' own dtype, byte order included
        assert y_res.dtype == labels.dtype
    if kind == "series":
        assert y_res.name == "target"
    if kind == "frame":
        assert y_res.columns.tolist() == ["target"]
    # the caller's labels are untouched, byte order included
    assert given.dtypes.equals(before.dtypes) if kind == "frame" else (
        given.dtype == before.dtype
    )  # fmt: skip
    np.testing.assert_array_equal(np.asarray(given), np.asarray(before))


@pytest.mark.parametrize("name", NUMERIC)
def test_swapped_frame_columns(data, name):
    X, y = data
    frame = pd.DataFrame(X, columns=list("abcd"), index=np.arange(300) * 2)
    frame["d"] = np.round(frame["d"] * 100).astype(np.int64)
    X_ref, y_ref = make(name).fit_resample(frame, y)
    mixed = frame.copy()
    mixed["a"] = swapped(frame["a"].to_numpy())
    mixed["d"] = swapped(frame["d"].to_numpy())
    assert not mixed["a"].dtype.isnative and not mixed["d"].dtype.isnative
    before = mixed.copy()
    X_res, y_res = make(name).fit_resample(mixed, y)
    # the values, index and columns of the native frame's result; the
    # swapped columns come back in the machine's order, as pd.concat gives
    pd.testing.assert_frame_equal(X_res, X_ref)
    np.testing.assert_array_equal(y_res, y_ref)
    pd.testing.assert_frame_equal(mixed, before)
    assert not mixed["a"].dtype.isnative


@pytest.mark.parametrize("name", NUMERIC)
def test_swapped_arrays(data, name):
    X, y = data
    X_ref, _ = make(name).fit_resample(X, y)
    X_res, _ = make(name).fit_resample(swapped(X), y)
    np.testing.assert_array_equal(as_numbers(X_res), X_ref)


@pytest.mark.parametrize("name", ["SMOTENC", "SMOTEN"])
def test_swapped_categorical_frames(data, name):
    X, y = data
    codes = np.abs(np.round(X[:, 2:] * 3)).astype(np.int64) % 3
    if name == "SMOTENC":
        frame = pd.DataFrame({"x": X[:, 0], "u": X[:, 1], "c": codes[:, 0]})
        sampler = lambda: smotekit.SMOTENC(["c"], random_state=0)  # noqa: E731
    else:
        frame = pd.DataFrame({"c": codes[:, 0], "e": codes[:, 1]})
        sampler = lambda: smotekit.SMOTEN(random_state=0)  # noqa: E731
    X_ref, y_ref = sampler().fit_resample(frame, y)
    mixed = frame.copy()
    for column in mixed.columns:
        mixed[column] = swapped(frame[column].to_numpy())
    X_res, y_res = sampler().fit_resample(mixed, pd.Series(swapped(y)))
    pd.testing.assert_frame_equal(X_res, X_ref)
    np.testing.assert_array_equal(y_res, y_ref)


@pytest.mark.parametrize("name", NUMERIC)
def test_swapped_float32_rows_are_built_in_float32(data, name):
    # float32 in the other byte order interpolates as float32 does (float32
    # gaps), not in float64: the same bits as the native array
    X, y = data
    native = X.astype(np.float32)
    X_ref, _ = make(name).fit_resample(native, y)
    sampler = make(name)
    X_res, _ = sampler.fit_resample(swapped(native), y)
    assert X_res.dtype == swapped(native).dtype
    np.testing.assert_array_equal(X_res.astype(np.float32), X_ref)
    gap = getattr(getattr(sampler, "provenance_", None), "gap", None)
    if gap is not None and name not in ("RandomOverSampler",):
        assert gap.dtype == np.float32
