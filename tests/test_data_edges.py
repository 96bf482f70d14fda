"""Data in = data out in detail: index labels at the edges of their dtype
and of a stepped range, index names, integers and bools held as objects,
float32 saturation, label containers (category and text Series, one-hot
lists, lists of rows) and the index of a sparse frame."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal

from smotekit import SMOTE, RandomOverSampler, RandomUnderSampler
from smotekit._data import object_numbers, synthetic_columns, synthetic_index
from smotekit._provenance import Provenance

RNG = np.random.default_rng(0)
X = RNG.normal(size=(12, 2))
Y = np.array([0] * 8 + [1] * 4)


def test_synthetic_labels_of_an_empty_integer_index_start_at_zero():
    assert synthetic_index(pd.Index([], dtype="int64"), 2).tolist() == [0, 1]


def test_integer_labels_that_just_fit_the_index_dtype_stay_integers():
    index = pd.Index(np.arange(115, 127), dtype="int8")  # largest 126
    frame = pd.DataFrame(X, columns=["a", "b"], index=index)
    X_res, y_res = RandomOverSampler(
        sampling_strategy={1: 5}, random_state=0
    ).fit_resample(frame, pd.Series(Y, index=index))
    # one new row: label 127, the largest int8, is still an int8 label
    assert X_res.index.dtype == np.int8
    assert X_res.index[-1] == 127
    assert y_res.index.equals(X_res.index)
    assert synthetic_index(pd.Index([126], dtype="int8"), 1).tolist() == [127]


def test_a_stepped_range_index_is_continued_one_by_one():
    index = pd.RangeIndex(0, 23, 2)  # 0, 2, ..., 22; stop 23 = largest + 1
    assert len(index) == 12
    frame = pd.DataFrame(X, columns=["a", "b"], index=index)
    X_res, y_res = SMOTE(k_neighbors=3, random_state=0).fit_resample(
        frame, pd.Series(Y, index=index)
    )
    expected = [*range(0, 23, 2), 23, 24, 25, 26]
    assert X_res.index.tolist() == expected
    assert y_res.index.tolist() == expected
    assert_array_equal(X_res.to_numpy()[:12], X)


def test_a_label_frame_keeps_the_name_of_its_index():
    index = pd.Index([f"r{i}" for i in range(12)], name="row")
    frame = pd.DataFrame(X, columns=["a", "b"], index=index)
    labels = pd.DataFrame({"target": Y}, index=index)
    X_res, y_res = SMOTE(k_neighbors=3, random_state=0).fit_resample(frame, labels)
    assert X_res.index.name == "row"
    assert y_res.index.name == "row"
    assert y_res.index.tolist()[-1] == "synthetic_3"


def test_float32_extension_column_is_saturated_not_made_infinite():
    frame = pd.DataFrame({"a": pd.array([1.0, 2.0], dtype="Float32")})
    out = synthetic_columns(frame, np.array([[1e39], [-1e39]]))
    assert out["a"].dtype == "Float32"
    top = float(np.finfo(np.float32).max)
    assert out["a"].tolist() == [top, -top]


def test_object_bools_at_one_half_are_false():
    # "True above one half", as a bool column rounds half to even
    got = object_numbers(np.array([0.5, 0.5000001, 0.4999]), [True, False])
    assert got.tolist() == [False, True, False]


def test_object_integers_of_exactly_two_to_the_63():
    values = np.array([2.0**63, -(2.0**63)])
    got = object_numbers(values, [2**63, -(2**63)])
    assert got.tolist() == [2**63, -(2**63)]
    assert all(type(v) is int for v in got)


def test_object_integers_just_past_two_to_the_53_are_built_exactly():
    # 2**53 + 1 reads as the float 2**53: the rows are built again exactly
    column = [2**53 + 1, 2**53 + 1]
    p = Provenance(np.array([0]), np.array([1]), np.array([0.5]))
    got = object_numbers(np.array([2.0**53]), column, p)
    assert got.tolist() == [2**53 + 1]
    frame = pd.DataFrame({"n": np.array([2**53 + 1] * 8 + [2**53 + 3] * 4, object)})
    X_res, _ = SMOTE(k_neighbors=3, random_state=0).fit_resample(frame, Y)
    assert set(X_res["n"].iloc[12:].tolist()) <= {2**53 + 1, 2**53 + 2, 2**53 + 3}


@pytest.mark.parametrize("dtype", ["category", "string", "int8"])
def test_a_label_series_keeps_its_dtype(dtype):
    y = pd.Series(Y, name="target")
    y = y.astype(dtype) if dtype == "int8" else y.astype(str).astype(dtype)
    _, y_res = SMOTE(k_neighbors=3, random_state=0).fit_resample(X, y)
    assert y_res.dtype == y.dtype
    assert y_res.name == "target"
    assert y_res.iloc[12:].astype(str).tolist() == ["1"] * 4


def test_one_hot_labels_given_as_a_list_come_back_as_a_list():
    onehot = [[1, 0] if label == 0 else [0, 1] for label in Y]
    _, y_res = SMOTE(k_neighbors=3, random_state=0).fit_resample(X, onehot)
    assert isinstance(y_res, list)
    assert y_res == [*onehot, *[[0, 1]] * 4]


def test_an_under_sampler_gives_a_list_of_one_label_rows_back_as_one():
    labels = [[int(v)] for v in Y]
    X_res, y_res = RandomUnderSampler(random_state=0).fit_resample(X.tolist(), labels)
    assert isinstance(y_res, list) and len(y_res) == 8
    assert all(isinstance(row, list) and len(row) == 1 for row in y_res)
    assert sorted(row[0] for row in y_res) == [0] * 4 + [1] * 4
    assert isinstance(X_res, list)


def test_a_sparse_frame_keeps_its_index_labels():
    dense = np.where(np.abs(X) > 0.8, X, 0.0)
    index = pd.Index(np.arange(100, 112), name="id")
    frame = pd.DataFrame(
        {c: pd.arrays.SparseArray(dense[:, j], fill_value=0.0) for j, c in
         enumerate("ab")},
        index=index,
    )  # fmt: skip
    X_res, y_res = RandomOverSampler(random_state=0).fit_resample(
        frame, pd.Series(Y, index=index)
    )
    assert isinstance(X_res["a"].dtype, pd.SparseDtype)
    assert X_res.index.tolist() == list(range(100, 116))
    assert y_res.index.tolist() == list(range(100, 116))
    assert X_res.index.name == "id"
