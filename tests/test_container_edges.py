"""Containers met in the wild: object columns of numbers, dates, ragged lists,
labels of mixed types, one-column label frames, pyarrow-backed frames."""

import copy
import re

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal

from smotekit import (
    SMOTE,
    SMOTEN,
    SMOTENC,
    EditedNearestNeighbours,
    RandomOverSampler,
    RandomUnderSampler,
    TomekLinks,
)

RNG = np.random.default_rng(0)
X = RNG.normal(size=(40, 2))
y = np.array([0] * 30 + [1] * 10)


def test_a_frame_of_numbers_stored_as_objects_is_resampled():
    # what pd.DataFrame(object array) gives; numpy object arrays already work
    frame = pd.DataFrame({"x": X[:, 0].astype(object), "n": (X[:, 1] * 10).round()})
    frame["n"] = frame["n"].astype(int).astype(object)
    sampler = SMOTE(random_state=0)

    X_res, _ = sampler.fit_resample(frame, y)

    assert X_res.dtypes.to_dict() == frame.dtypes.to_dict()
    pd.testing.assert_frame_equal(X_res.iloc[:40], frame)
    reference, _ = SMOTE(random_state=0).fit_resample(frame.to_numpy(float), y)
    assert_array_equal(X_res["x"].to_numpy(float), reference[:, 0])
    assert all(type(v) is int for v in X_res["n"])  # integers stay integers
    assert_array_equal(X_res["n"].to_numpy(float)[40:], np.rint(reference[40:, 1]))


@pytest.mark.parametrize("words", [["a", "b"], ["1.5", "2"]], ids=["words", "numerals"])
def test_an_object_column_of_text_is_named(words):
    # numbers written as text too: the synthetic rows would be floats beside them
    frame = pd.DataFrame({"x": X[:, 0], "w": pd.Series(words * 20, dtype=object)})
    with pytest.raises(ValueError, match=r"column\(s\) 'w' \(object\) are not numeric"):
        SMOTE().fit_resample(frame, y)


@pytest.mark.parametrize("dtype", ["datetime64[D]", "timedelta64[s]"])
def test_dates_are_refused_not_turned_into_floats(dtype):
    dates = np.arange(80).reshape(40, 2).astype(dtype)
    with pytest.raises(
        ValueError, match=re.escape(f"column(s) all ({dtype}) are not numeric")
    ):
        SMOTE().fit_resample(dates, y)
    X_res, _ = RandomUnderSampler(random_state=0).fit_resample(dates, y)
    assert X_res.dtype == dates.dtype  # samplers that take any data keep them


def test_a_ragged_list_gets_an_error_naming_the_sampler():
    ragged = [[1.0, 2.0]] * 39 + [[1.0]]
    with pytest.raises(ValueError, match=r"SMOTE could not read X as a 2-D array"):
        SMOTE().fit_resample(ragged, y)


def test_labels_of_mixed_types_get_a_clear_error():
    labels = np.array([1 if v else "neg" for v in y], dtype=object)
    with pytest.raises(
        ValueError, match=r"mixes labels of different types \(int, str\).*astype\(str\)"
    ):
        RandomUnderSampler().fit_resample(X, labels)


@pytest.mark.parametrize("dtype", ["S3", object])
@pytest.mark.parametrize("sampler", [SMOTE(), RandomUnderSampler()])
def test_bytes_labels_are_refused_as_bytes_not_as_mixed_types(sampler, dtype):
    # imbalanced-learn refuses bytes labels with a TypeError saying so; they
    # were reported as "mixed types (bytes_)" with y.astype(str) as the fix
    labels = np.array([b"pos" if v else b"neg" for v in y], dtype=dtype)
    with pytest.raises(TypeError, match=r"holds bytes labels.*np\.char\.decode"):
        sampler.fit_resample(X, labels)


@pytest.mark.parametrize("cleaner", [TomekLinks(), EditedNearestNeighbours()])
def test_cleaners_return_object_rows_as_given(cleaner):
    # numbers held as objects are compared as floats but returned as they were
    values = (RNG.integers(0, 5, (40, 2)) + 2**60).astype(object)
    X_res, _ = cleaner.fit_resample(values, y)
    assert X_res.dtype == object
    assert X_res.tolist() == values[cleaner.sample_indices_].tolist()


def test_a_one_column_label_frame_keeps_its_columns_name():
    target = pd.DataFrame({"t": y}).rename_axis(columns="label_kind")
    for sampler in (SMOTE(random_state=0), RandomOverSampler(random_state=0)):
        _, y_res = sampler.fit_resample(X, target)
        assert y_res.columns.name == "label_kind"


def test_smotenc_auto_finds_the_categories_of_a_pyarrow_frame(tmp_path):
    pytest.importorskip("pyarrow")
    frame = pd.DataFrame(
        {
            "amount": X[:, 0],
            "colour": pd.Categorical(np.where(X[:, 1] > 0, "red", "blue")),
            "note": np.where(X[:, 1] > 1, "x", "y"),
        }
    )
    frame.to_parquet(tmp_path / "d.parquet")
    arrow = pd.read_parquet(tmp_path / "d.parquet", dtype_backend="pyarrow")
    sampler = SMOTENC(categorical_features="auto", random_state=0)

    X_res, _ = sampler.fit_resample(arrow, y)

    assert sampler.categorical_features_.tolist() == [1, 2]
    assert X_res.dtypes.to_dict() == arrow.dtypes.to_dict()
    assert set(X_res["colour"].astype(str)) <= {"red", "blue"}
    pd.testing.assert_frame_equal(X_res.iloc[:40], arrow)


@pytest.mark.parametrize("name", ["SMOTE", "SMOTENC"])
def test_object_columns_of_huge_integers_and_bools_keep_their_kind(name):
    huge = pd.Series([2**63 + 10**15 * i for i in range(40)], dtype=object)
    flags = pd.Series(X[:, 1] > 0, dtype=object)
    frame = pd.DataFrame({"f": X[:, 0], "huge": huge, "flag": flags})
    if name == "SMOTE":
        sampler = SMOTE(random_state=0, k_neighbors=3)
    else:  # "f" taken as categorical, the object columns continuous
        sampler = SMOTENC(categorical_features=["f"], random_state=0, k_neighbors=3)

    X_res, _ = sampler.fit_resample(frame, y)

    pd.testing.assert_frame_equal(X_res.iloc[:40], frame)
    added = X_res["huge"].iloc[40:]
    assert all(type(v) is int for v in added)
    assert min(huge) <= min(added) and max(added) <= max(huge)
    assert {type(v) for v in X_res["flag"]} == {bool}


def test_pd_na_in_an_object_column_is_a_missing_value():
    # what frame.astype(object) makes of a nullable Int64 column's gaps
    frame = pd.DataFrame({"f": X[:, 0], "o": pd.Series([1, pd.NA] * 20, dtype=object)})
    with pytest.raises(
        ValueError, match=r"20 NaN value\(s\) \(first at row 1, column 'o'\)"
    ):
        SMOTE().fit_resample(frame, y)


@pytest.mark.parametrize(
    "sampler", [SMOTE(random_state=0), RandomUnderSampler(random_state=0)]
)
def test_a_sparse_frame_of_numbers_and_bools_is_read_dense(sampler):
    # no numeric sparse matrix holds both (pandas would make it object)
    frame = pd.DataFrame(
        {
            "f": pd.arrays.SparseArray(
                np.where(X[:, 0] > 0, X[:, 0], 0), fill_value=0.0
            ),
            "b": pd.arrays.SparseArray(X[:, 1] > 1, fill_value=False),
        }
    )
    X_res, _ = sampler.fit_resample(frame, y)
    assert X_res.dtypes.to_dict() == frame.dtypes.to_dict()
    kept = getattr(sampler, "sample_indices_", np.arange(40))
    pd.testing.assert_frame_equal(
        X_res.iloc[: len(kept)].reset_index(drop=True),
        frame.iloc[kept].reset_index(drop=True),
    )


@pytest.mark.parametrize("name", ["SMOTENC", "SMOTEN"])
def test_a_ragged_list_gets_an_error_naming_the_categorical_sampler(name):
    from smotekit import SMOTEN

    ragged = [[1.0, "a"], [2.0]] + [[float(i), "a"] for i in range(38)]
    sampler = SMOTENC(categorical_features=[1]) if name == "SMOTENC" else SMOTEN()
    with pytest.raises(ValueError, match=rf"{name} could not read X as a 2-D array"):
        sampler.fit_resample(ragged, y)


# --- synthetic labels of a text index never repeat earlier ones


def _text_indexed(n=(60, 30, 10)):
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(len(n)), n)
    index = pd.Index([f"r{i}" for i in range(len(labels))])
    X = pd.DataFrame(rng.normal(size=(len(labels), 3)) + labels[:, None], index=index)
    return X, pd.Series(labels, index=index)


def test_chained_samplers_on_a_text_index_keep_labels_unique():
    # the second call labelled its rows synthetic_0, ... again: 20 duplicated
    # labels, and pandas' DuplicateLabelError for a frame that forbids them
    X, labels = _text_indexed()
    X1, y1 = SMOTE(sampling_strategy={1: 60}, random_state=0).fit_resample(X, labels)
    assert X1.index[-1] == "synthetic_29"
    X1 = X1.set_flags(allows_duplicate_labels=False)
    X2, y2 = RandomOverSampler(sampling_strategy={2: 60}, random_state=0).fit_resample(
        X1, y1
    )
    assert X2.index.is_unique and y2.index.equals(X2.index)
    assert X2.index[130:].tolist() == [f"synthetic_{i}" for i in range(30, 80)]


def test_imblearn_pipeline_of_two_samplers_keeps_a_text_index_unique():
    from imblearn.pipeline import make_pipeline

    X, labels = _text_indexed()
    pipe = make_pipeline(
        SMOTE(sampling_strategy={1: 60}, random_state=0),
        RandomOverSampler(sampling_strategy={2: 60}, random_state=0),
    )
    X_res, y_res = pipe.fit_resample(X, labels)
    assert len(X_res) == 180 and X_res.index.is_unique
    assert y_res.index.equals(X_res.index)


@pytest.mark.parametrize(
    "existing, first",
    [
        (["a", "synthetic_7", "synthetic_x", "synthetic_"], 8),
        (["synthetic_0010", "synthetic_9"], 11),  # numbers, not text order
        (["synthetic_" + "9" * 25], 10**25),  # past int64
        ([1, "synthetic_3", None], 4),  # mixed object labels
        (["synthetic_-4", "Synthetic_5", "xsynthetic_6"], 0),
        (pd.CategoricalIndex(["a", "synthetic_4"]), 5),
        (pd.Index(["a", "synthetic_2"], dtype="string"), 3),
    ],
)
def test_new_synthetic_labels_start_after_the_largest_existing_one(existing, first):
    index = (
        existing if isinstance(existing, pd.Index) else pd.Index(existing, dtype=object)
    )
    X = pd.DataFrame({"a": np.arange(len(index) + 8.0)})
    X.index = index.append(pd.Index([f"p{i}" for i in range(8)]))
    labels = pd.Series([0] * (len(index) + 4) + [1] * 4, index=X.index)
    X_res, _y_res = RandomOverSampler(random_state=0).fit_resample(X, labels)
    assert X_res.index[len(X) :].tolist() == [
        f"synthetic_{first + i}" for i in range(len(X) - 8)
    ]
    assert X_res.index.is_unique


# --- frames that forbid repeated labels


def _forbidding(obj):
    return obj.set_flags(allows_duplicate_labels=False)


@pytest.mark.parametrize(
    "make",
    [
        lambda: RandomOverSampler(random_state=0),
        lambda: SMOTENC("auto", random_state=0),
        lambda: SMOTEN(random_state=0),
        lambda: SMOTE(random_state=0),
        lambda: RandomUnderSampler(random_state=0),
        lambda: TomekLinks(),
    ],
    ids=["random-over", "smotenc", "smoten", "smote", "random-under", "tomek"],
)
def test_frames_that_forbid_repeated_labels_are_resampled_and_keep_the_flag(make):
    # RandomOverSampler, SMOTENC and SMOTEN took repeated rows of such a frame
    # on the way and failed with pandas' DuplicateLabelError
    sampler = make()
    frame = pd.DataFrame({"a": X[:, 0], "b": X[:, 1]})
    if isinstance(sampler, SMOTEN):
        frame = pd.DataFrame({"c": pd.Categorical(["u", "v", "w", "u"] * 10)})
    elif isinstance(sampler, SMOTENC):
        frame = frame.assign(c=pd.Categorical(["u", "v"] * 20))
    frame, labels = _forbidding(frame), _forbidding(pd.Series(y))
    X_res, y_res = sampler.fit_resample(frame, labels)
    plain, _ = make().fit_resample(frame.set_flags(allows_duplicate_labels=True), y)
    pd.testing.assert_frame_equal(X_res, plain, check_flags=False)
    assert not X_res.flags.allows_duplicate_labels
    assert not y_res.flags.allows_duplicate_labels
    assert not frame.flags.allows_duplicate_labels  # the caller's frame as it was


def test_under_sampling_with_replacement_names_the_forbidden_repeats():
    frame = _forbidding(pd.DataFrame({"a": X[:, 0]}))
    sampler = RandomUnderSampler(replacement=True, random_state=0)
    with pytest.raises(
        ValueError,
        match=r"RandomUnderSampler returns some rows of X more than once, so their "
        r"index labels repeat, which X forbids \(X\.flags\.allows_duplicate_labels "
        r"is False\)\. Allow them with X\.set_flags",
    ):
        sampler.fit_resample(frame, y)
    X_res, _ = sampler.fit_resample(frame.set_flags(allows_duplicate_labels=True), y)
    assert not X_res.index.is_unique  # the repeats are real


@pytest.mark.parametrize(
    "sampler",
    [SMOTE(random_state=0), RandomOverSampler(random_state=0), TomekLinks()],
    ids=lambda s: type(s).__name__,
)
def test_lists_come_back_as_lists_and_tuples_as_arrays(sampler):
    # as imbalanced-learn returns them: it rebuilds lists, nothing else
    rng = np.random.default_rng(0)
    X = rng.random((30, 2))
    y = [0] * 22 + [1] * 8
    X_list, y_list = sampler.fit_resample(X.tolist(), y)
    assert type(X_list) is list and type(y_list) is list
    X_arr, y_arr = sampler.fit_resample(tuple(map(tuple, X.tolist())), tuple(y))
    assert type(X_arr) is np.ndarray and type(y_arr) is np.ndarray
    assert X_arr.tolist() == X_list and y_arr.tolist() == y_list


@pytest.mark.parametrize(
    "rows",
    [
        [["a", 1], ["b", 2], ["a", 3], ["b", 4]],  # one array type: text
        [[1, True], [2, False], [3, True], [4, False]],  # one array type: ints
        [[1, 2.5], [2, 0.5], [3, 1.5], [4, 3.5]],  # one array type: floats
    ],
    ids=["text-int", "int-bool", "int-float"],
)
@pytest.mark.parametrize("name", ["RandomOverSampler", "RandomUnderSampler"])
def test_list_rows_of_mixed_types_come_back_as_given(name, rows):
    labels = [0, 0, 0, 1]
    before = copy.deepcopy(rows)
    sampler = {
        "RandomOverSampler": RandomOverSampler,
        "RandomUnderSampler": RandomUnderSampler,
    }[name]
    X_res, _ = sampler(random_state=0).fit_resample(rows, labels)
    assert rows == before
    picked = {tuple(map(repr, r)) for r in rows}
    assert all(tuple(map(repr, r)) in picked for r in X_res)  # types kept
    if name == "RandomOverSampler":
        assert [list(map(repr, r)) for r in X_res[:4]] == [
            list(map(repr, r)) for r in rows
        ]
        assert len(X_res) == 6


STRING_DTYPE = getattr(np.dtypes, "StringDType", None)


@pytest.mark.skipif(STRING_DTYPE is None, reason="numpy >= 2.0")
def test_numpy_string_dtype_features_and_labels_are_taken():
    X_text = np.array([["a"], ["b"], ["c"], ["d"]], dtype=STRING_DTYPE())
    X_res, _ = RandomOverSampler(random_state=0).fit_resample(X_text, [0, 0, 0, 1])
    assert X_res.dtype == X_text.dtype
    assert X_res.ravel().tolist() == ["a", "b", "c", "d", "d", "d"]
    X_res, _ = RandomUnderSampler(random_state=0).fit_resample(X_text, [0, 0, 0, 1])
    assert X_res.dtype == X_text.dtype and X_res[-1, 0] == "d"
    labels = np.array(["n", "n", "n", "p"] * 3, dtype=STRING_DTYPE())
    numbers = np.arange(12.0).reshape(-1, 1)
    for sampler in (RandomOverSampler(random_state=0), SMOTE(k_neighbors=2)):
        _, y_res = sampler.fit_resample(numbers, labels)
        assert y_res.dtype == labels.dtype
        assert y_res.tolist() == labels.tolist() + ["p"] * 6
