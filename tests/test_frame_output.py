"""DataFrames whose columns all share one float dtype are built as arrays.

Their rows are written into one array, as for an ndarray input, and the
output frame wraps it; every other frame has its columns built one by one
and joined to the originals. Both ways must give the same frame, byte for
byte, with the same index, columns and dtypes.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from smotekit import (
    ADASYN,
    SMOTE,
    SMOTEENN,
    SVMSMOTE,
    BorderlineSMOTE,
    KMeansSMOTE,
    RandomOverSampler,
    SMOTETomek,
    _data,
)

SAMPLERS = {
    "smote": lambda: SMOTE(k_neighbors=3, random_state=0),
    "borderline": lambda: BorderlineSMOTE(k_neighbors=3, m_neighbors=5, random_state=0),
    "adasyn": lambda: ADASYN(n_neighbors=3, random_state=0),
    "svm": lambda: SVMSMOTE(k_neighbors=3, m_neighbors=5, random_state=0),
    "kmeans": lambda: KMeansSMOTE(
        k_neighbors=2,
        kmeans_estimator=2,
        cluster_balance_threshold=0.05,
        random_state=0,
    ),
    "random": lambda: RandomOverSampler(random_state=0),
    "random-shrinkage": lambda: RandomOverSampler(shrinkage=0.5, random_state=0),
    "smote-tomek": lambda: SMOTETomek(random_state=0),
    "smote-enn": lambda: SMOTEENN(random_state=0),
}


def column_by_column(monkeypatch, sampler, X, y):
    """The sampler's output with the frame built column by column."""
    with monkeypatch.context() as m:
        m.setattr(_data, "stored_as", lambda frame, dtype: False)
        return sampler.fit_resample(X, y)


def assert_same_frames(left, right):
    pd.testing.assert_frame_equal(left, right, check_exact=True)
    assert left.index.equals(right.index)
    assert type(left.index) is type(right.index)
    assert left.index.names == right.index.names
    assert (
        left.columns.equals(right.columns) and left.columns.names == right.columns.names
    )
    # -0.0 and 0.0, and NaN payloads, compare equal above: compare the bytes
    for a, b in zip(left.to_numpy().T, right.to_numpy().T, strict=True):
        assert a.tobytes() == b.tobytes()


def blobs(n=120, d=4, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)) * [1, 10, 1e-3, 1e5][:d] + [0, 5, 0, -3][:d]
    y = np.repeat([0, 1, 2], [n - n // 4 - n // 10, n // 4, n // 10])
    return X.astype(dtype), y


@pytest.mark.parametrize("name", sorted(SAMPLERS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_one_float_dtype_gives_the_frame_built_column_by_column(
    monkeypatch, name, dtype
):
    X, y = blobs(dtype=dtype)
    frame = pd.DataFrame(X, columns=["w", "x", "y", "z"], index=np.arange(120) * 3 + 5)
    frame.index.name = "id"
    labels = pd.Series(y, index=frame.index, name="target")
    X_out, y_out = SAMPLERS[name]().fit_resample(frame, labels)
    X_ref, y_ref = column_by_column(monkeypatch, SAMPLERS[name](), frame, labels)
    assert_same_frames(X_out, X_ref)
    pd.testing.assert_series_equal(y_out, y_ref)
    assert (X_out.dtypes == dtype).all()
    # the originals come first, unchanged (the cleaning of the combinations
    # removes some), and the caller's frame is untouched
    if not name.startswith("smote-"):
        assert_same_frames(X_out.iloc[:120], frame)
    assert frame.to_numpy().tobytes() == X.tobytes()


@pytest.mark.parametrize(
    "index",
    [
        pd.RangeIndex(120),
        pd.RangeIndex(10, 250, 2),
        pd.Index([f"r{i}" for i in range(120)], name="key"),
        pd.MultiIndex.from_arrays(
            [np.arange(120) // 10, [f"s{i}" for i in range(120)]], names=["g", "s"]
        ),
        pd.date_range("2020-01-01", periods=120, freq="D"),
    ],
    ids=["range", "stepped", "text", "multi", "dates"],
)
@pytest.mark.parametrize(
    "columns",
    [
        ["a", "b", "c", "d"],
        [3, 1, 2, 0],
        pd.MultiIndex.from_tuples(
            [("p", 1), ("p", 2), ("q", 1), ("q", 2)], names=["u", "v"]
        ),
        pd.Index(["a", "b", "c", "d"], name="feature"),
    ],
    ids=["names", "ints", "multi", "named"],
)
def test_every_kind_of_index_and_columns_is_kept(monkeypatch, index, columns):
    X, y = blobs()
    frame = pd.DataFrame(X, index=index, columns=columns)
    X_out, _ = SMOTE(random_state=0).fit_resample(frame, y)
    X_ref, _ = column_by_column(monkeypatch, SMOTE(random_state=0), frame, y)
    assert_same_frames(X_out, X_ref)
    assert X_out.shape == (3 * 78, 4)


def test_mixed_dtypes_are_still_built_column_by_column():
    X, y = blobs()
    frame = pd.DataFrame(X, columns=list("abcd"))
    mixed = frame.astype({"a": np.float32, "b": "Float64"}).assign(
        c=lambda f: f.c.round()
    )
    mixed["d"] = mixed["d"].round().astype(np.int64)
    assert not _data.stored_as(mixed, np.float64)
    X_out, _ = SMOTE(random_state=0).fit_resample(mixed, y)
    assert X_out.dtypes.astype(str).tolist() == [
        "float32",
        "Float64",
        "float64",
        "int64",
    ]


def test_the_output_does_not_share_memory_with_the_input():
    X, y = blobs()
    frame = pd.DataFrame(X)
    X_out, _ = SMOTE(random_state=0).fit_resample(frame, y)
    X_out.iloc[0, 0] = 123.0
    assert frame.iloc[0, 0] == X[0, 0] != 123.0


@settings(max_examples=60, deadline=None)
@given(
    values=hnp.arrays(
        np.float64,
        (24, 3),
        elements=st.one_of(
            st.floats(-1e308, 1e308, allow_nan=False),
            st.sampled_from([0.0, -0.0, 5e-324, -5e-324, 1.7976931348623157e308]),
        ),
    ),
    as_float32=st.booleans(),
)
def test_extreme_values_give_the_same_frame_either_way(values, as_float32):
    y = np.repeat([0, 1], [16, 8])
    top = float(np.finfo(np.float32).max)
    X = np.clip(values, -top, top).astype(np.float32) if as_float32 else values
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    X_out, _ = SMOTE(k_neighbors=3, random_state=1).fit_resample(frame, y)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(_data, "stored_as", lambda frame, dtype: False)
        X_ref, _ = SMOTE(k_neighbors=3, random_state=1).fit_resample(frame, y)
    assert_same_frames(X_out, X_ref)
