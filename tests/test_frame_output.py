"""DataFrames of numpy columns are built a dtype at a time.

A frame whose columns all share one float dtype has its rows written into one
array, as for an ndarray input, and the output frame wraps it; a frame of
numpy bool, integer and float columns gets one block per dtype; every other
frame has its columns built one by one and joined to the originals. All ways
must give the same frame, byte for byte, with the same index, columns and
dtypes.
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
        m.setattr(_data, "numbers_only", lambda *args: False)
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
    for j in range(left.shape[1]):
        a, b = left.iloc[:, j].to_numpy(), right.iloc[:, j].to_numpy()
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes()


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


def mixed_frame(seed=0, n=120):
    X, y = blobs(n=n, d=4, seed=seed)
    frame = pd.DataFrame(
        {
            "f64": X[:, 0],
            "count": np.rint(np.abs(X[:, 1]) * 3).astype(np.int64),
            "f32": X[:, 2].astype(np.float32),
            "small": np.clip(np.rint(X[:, 3] / 1e3), -128, 127).astype(np.int8),
            "flag": X[:, 0] > 0,
            "level": (np.arange(n) % 7).astype(np.uint16),
            "count2": np.rint(X[:, 1]).astype(np.int64),
        }
    )
    return frame, y


@pytest.mark.parametrize("name", sorted(SAMPLERS))
def test_numpy_columns_of_several_dtypes_give_the_frame_built_column_by_column(
    monkeypatch, name
):
    frame, y = mixed_frame()
    frame.index = pd.Index([f"r{i}" for i in range(len(frame))], name="key")
    assert _data.numbers_only(frame) and not _data.stored_as(frame, np.float64)
    X_out, y_out = SAMPLERS[name]().fit_resample(frame, y)
    X_ref, y_ref = column_by_column(monkeypatch, SAMPLERS[name](), frame, y)
    assert_same_frames(X_out, X_ref)
    np.testing.assert_array_equal(y_out, y_ref)
    assert (X_out.dtypes == frame.dtypes).all()
    if not name.startswith("smote-"):
        assert_same_frames(X_out.iloc[: len(frame)], frame)


def test_one_integer_dtype_gives_the_frame_built_column_by_column(monkeypatch):
    frame, y = mixed_frame()
    frame = frame[["count", "count2"]].assign(more=frame["level"].astype(np.int64))
    X_out, _ = SMOTE(random_state=0).fit_resample(frame, y)
    X_ref, _ = column_by_column(monkeypatch, SMOTE(random_state=0), frame, y)
    assert_same_frames(X_out, X_ref)
    assert (X_out.dtypes == np.int64).all()


def test_integers_past_2_53_keep_to_their_segments_column_by_column():
    # float64 rows round such integers; they are mended one column at a time
    frame, y = mixed_frame()
    frame["count"] = frame["count"] + 2**60
    assert not _data.numbers_only(frame, provenance=object())
    X_out, _ = RandomOverSampler(random_state=0).fit_resample(frame, y)
    assert set(X_out["count"].iloc[len(frame) :]) <= set(frame["count"])
    assert _data.numbers_only(frame)  # without a provenance nothing is mended


_NEAR_2_53 = st.sampled_from(
    [0, 1, 2**53 - 1, 2**53, 2**53 + 1, 2**60, 2**63 - 1]
).flatmap(lambda v: st.sampled_from([v, -v, -(2**63)]))


@settings(max_examples=60, deadline=None)
@given(
    ints=st.lists(st.lists(_NEAR_2_53, min_size=2, max_size=2), min_size=1, max_size=5),
    floats=st.booleans(),
)
def test_the_2_53_check_reads_the_matrix_as_the_frame(ints, floats):
    # the sampler's matrix (float64 beside float columns, else the integers)
    # reaches 2**53 exactly where the frame's 64-bit integers pass it
    frame = pd.DataFrame(np.array(ints, dtype=np.int64), columns=["a", "b"])
    if floats:
        frame["x"] = 0.5
    matrix = frame.to_numpy(np.float64 if floats else np.int64)
    by_column = _data.numbers_only(frame, object())
    by_matrix = _data.numbers_only(frame, object(), matrix)
    past = any(abs(v) > 2**53 for row in ints for v in row)
    assert by_column == (not past)
    if floats:  # 2**53 itself is caught too (a slower, exact path)
        assert by_matrix == (not any(abs(v) >= 2**53 for row in ints for v in row))
    else:
        assert by_matrix == by_column


def test_other_columns_are_still_built_column_by_column():
    frame, y = mixed_frame()
    for other in [
        frame.astype({"f64": "Float64"}),
        frame.astype({"count": object}),
        frame.assign(when=pd.Timestamp("2020-01-01")),
        frame.astype({"count": pd.SparseDtype(np.int64, 0)}),
        frame.astype({"f64": np.float16}),
        frame.astype({"count": ">i8"}),
    ]:
        assert not _data.numbers_only(other)
    X_out, _ = SMOTE(random_state=0).fit_resample(frame.astype({"f64": "Float64"}), y)
    assert X_out.dtypes.astype(str).tolist()[:3] == ["Float64", "int64", "float32"]


@settings(max_examples=40, deadline=None)
@given(
    dtypes=st.lists(
        st.sampled_from(
            ["float64", "float32", "int64", "int32", "uint8", "int8", "bool"]
        ),
        min_size=1,
        max_size=6,
    ),
    seed=st.integers(0, 2**16),
    shrinkage=st.sampled_from([None, 0.0, 1.5]),
)
def test_any_mix_of_numpy_columns_gives_the_same_frame(dtypes, seed, shrinkage):
    rng = np.random.default_rng(seed)
    n = 40
    columns = {}
    for j, dtype in enumerate(dtypes):
        raw = rng.standard_normal(n) * 10.0 ** rng.integers(-3, 6)
        if dtype == "bool":
            columns[f"c{j}"] = raw > 0
        elif dtype.startswith(("int", "uint")):
            info = np.iinfo(dtype)
            columns[f"c{j}"] = np.clip(np.rint(raw), info.min, info.max).astype(dtype)
        else:
            columns[f"c{j}"] = raw.astype(dtype)
    frame = pd.DataFrame(columns)
    y = np.repeat([0, 1], [28, 12])
    samplers = [
        SMOTE(k_neighbors=3, random_state=seed),
        RandomOverSampler(shrinkage=shrinkage, random_state=seed),
    ]
    for sampler in samplers:
        X_out, _ = sampler.fit_resample(frame, y)
        with pytest.MonkeyPatch.context() as m:
            m.setattr(_data, "stored_as", lambda frame, dtype: False)
            m.setattr(_data, "numbers_only", lambda *args: False)
            X_ref, _ = sampler.fit_resample(frame, y)
        assert_same_frames(X_out, X_ref)


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
        m.setattr(_data, "numbers_only", lambda *args: False)
        X_ref, _ = SMOTE(k_neighbors=3, random_state=1).fit_resample(frame, y)
    assert_same_frames(X_out, X_ref)


@pytest.mark.parametrize("name", sorted(SAMPLERS))
@pytest.mark.parametrize("columns", ["floats", "mixed", "text"])
def test_attrs_of_frame_and_labels_come_back_as_pandas_concat_keeps_them(name, columns):
    X, y = blobs()
    frame = pd.DataFrame(X, columns=list("abcd"))
    if columns == "mixed":
        frame["a"] = (frame["a"] * 100).round().astype(np.int32)
    if columns == "text":  # built column by column (copies only)
        if name != "random":
            pytest.skip("only copying samplers take text columns")
        frame["a"] = frame["a"].map("{:.3f}".format)
    frame.attrs = {"source": {"table": "fraud", "columns": ["a", "b"]}}
    labels = pd.Series(y, name="label")
    labels.attrs = {"unit": "class"}
    X_out, y_out = SAMPLERS[name]().fit_resample(frame, labels)
    assert X_out.attrs == frame.attrs and y_out.attrs == labels.attrs
    # a copy, as pandas makes: changing one leaves the other as it was
    X_out.attrs["source"]["columns"].append("c")
    assert frame.attrs["source"]["columns"] == ["a", "b"]
    frame.attrs = {}  # frames without attrs give outputs without
    assert SAMPLERS[name]().fit_resample(frame, y)[0].attrs == {}
