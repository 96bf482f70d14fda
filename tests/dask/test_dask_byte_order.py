"""Data in the other byte order on the Dask samplers: big-endian frame
columns, array features and array labels give the in-memory sampler's
output, dtype included (and so the native data's values)."""

import numpy as np
import pandas as pd
import pytest

dask = pytest.importorskip("dask")
da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")

import smotekit  # noqa: E402
import smotekit.dask  # noqa: E402

NAMES = ["SMOTE", "RandomOverSampler", "BorderlineSMOTE", "ADASYN"]


@pytest.fixture(autouse=True)
def synchronous():
    with dask.config.set(scheduler="synchronous"):
        yield


def data():
    rng = np.random.RandomState(3)
    y = np.array([0] * 28 + [1] * 12)
    rng.shuffle(y)
    X = rng.normal(size=(len(y), 3)) * 4 + y[:, None]
    return X, y


@pytest.mark.parametrize("npartitions", [1, 3])
@pytest.mark.parametrize("name", NAMES)
def test_big_endian_frame_columns_match_in_memory(name, npartitions):
    # in memory, '>f8' / '>i8' columns give the native frame's result; the
    # Dask path too (pandas cannot take rows of such partitions as they are)
    X, y = data()
    native = pd.DataFrame(
        {"a": X[:, 0], "b": np.rint(X[:, 1] * 10).astype(np.int64), "c": X[:, 2]}
    )
    swapped = native.copy()
    swapped["a"] = native["a"].to_numpy().astype(">f8")
    swapped["b"] = native["b"].to_numpy().astype(">i8")
    labels = pd.Series(y, name="label")
    X_mem, y_mem = getattr(smotekit, name)(random_state=0).fit_resample(swapped, labels)
    X_ref, _ = getattr(smotekit, name)(random_state=0).fit_resample(native, labels)
    pd.testing.assert_frame_equal(X_mem, X_ref)  # the in-memory promise holds

    dX = dd.from_pandas(swapped, npartitions=npartitions)
    dy = dd.from_pandas(labels, npartitions=npartitions)
    X_res, y_res = dask.compute(
        *getattr(smotekit.dask, name)(random_state=0).fit_resample(dX, dy)
    )
    pd.testing.assert_frame_equal(X_res, X_mem)
    pd.testing.assert_series_equal(y_res, y_mem)


@pytest.mark.parametrize("name", NAMES)
def test_big_endian_array_labels_keep_dtype(name):
    # in memory, array labels come back in their own dtype, byte order
    # included; dask's concatenation would promote them to native order
    X, y = data()
    labels = y.astype(">i8")
    _, y_mem = getattr(smotekit, name)(random_state=0).fit_resample(X, labels)
    assert y_mem.dtype == labels.dtype
    _, y_res = getattr(smotekit.dask, name)(random_state=0).fit_resample(
        da.from_array(X, chunks=(9, 3)), da.from_array(labels, chunks=9)
    )
    y_res = y_res.compute()
    np.testing.assert_array_equal(y_res, y_mem)
    assert y_res.dtype == y_mem.dtype


@pytest.mark.parametrize("dtype", [">f8", ">i8"])
@pytest.mark.parametrize("name", NAMES)
def test_big_endian_array_features_keep_dtype(name, dtype):
    # in memory the array's dtype is kept ('>f8' in, '>f8' out); computed,
    # the Dask output is the in-memory output, dtype included
    X, y = data()
    Xs = np.abs(X * 10).astype(dtype)
    X_mem, _ = getattr(smotekit, name)(random_state=0).fit_resample(Xs, y)
    assert X_mem.dtype == Xs.dtype
    X_res, _ = getattr(smotekit.dask, name)(random_state=0).fit_resample(
        da.from_array(Xs, chunks=(9, 3)), da.from_array(y, chunks=9)
    )
    X_res = X_res.compute()
    np.testing.assert_array_equal(X_res, X_mem)
    assert X_res.dtype == X_mem.dtype


@pytest.mark.parametrize("name", ["SMOTE", "BorderlineSMOTE", "ADASYN"])
def test_big_endian_float32_array_same_rows_in_memory_and_dask(name):
    # '>f4' data gives the rows of the same values in native float32 (built
    # in float32, not float64), in memory and on Dask alike
    X, y = data()
    native = X.astype("<f4")
    swapped = X.astype(">f4")
    X_ref, _ = getattr(smotekit, name)(random_state=0).fit_resample(native, y)
    X_res, _ = getattr(smotekit.dask, name)(random_state=0).fit_resample(
        da.from_array(swapped, chunks=(9, 3)), da.from_array(y, chunks=9)
    )
    X_mem, _ = getattr(smotekit, name)(random_state=0).fit_resample(swapped, y)
    np.testing.assert_array_equal(X_res.compute(), X_ref)  # Dask: as native
    np.testing.assert_array_equal(X_mem, X_res.compute())
