"""Every bad input gets a clear error: what, which parameter or class, how to fix."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.utils._param_validation import InvalidParameterError

import smotekit
from smotekit import SMOTE, SMOTEN, RandomOverSampler

RNG = np.random.RandomState(0)
X = RNG.standard_normal((40, 3))
y = np.array([0] * 30 + [1] * 10)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_values_are_rejected_with_position(bad):
    X_bad = X.copy()
    X_bad[7, 2] = bad
    kind = "NaN" if np.isnan(bad) else "infinite"
    with pytest.raises(
        ValueError,
        match=rf"contains 1 {kind} value\(s\) \(first at "
        r"row 7, column 2\).*impute",
    ):
        SMOTE().fit_resample(X_bad, y)


@settings(max_examples=60, deadline=None)
@given(
    dtype=st.sampled_from([np.float32, np.float64]),
    n=st.integers(4, 60),
    huge=st.booleans(),
    bad=st.sampled_from([None, np.nan, np.inf, -np.inf]),
    where=st.integers(0, 179),
    seed=st.integers(0, 2**16),
)
def test_finiteness_check_is_exact_even_when_the_sum_overflows(
    dtype, n, huge, bad, where, seed
):
    X_in = np.random.RandomState(seed).standard_normal((n, 3)).astype(dtype)
    if huge:  # finite values whose sum overflows to infinity
        X_in[:] = np.finfo(dtype).max
    if bad is not None:
        X_in.flat[where % X_in.size] = bad
    labels = np.array([0] * (n - 2) + [1] * 2)
    smote = SMOTE(k_neighbors=1, random_state=0)
    if bad is None:
        X_res, _ = smote.fit_resample(X_in, labels)
        np.testing.assert_array_equal(X_res[:n], X_in)
        assert np.isfinite(X_res).all()
    else:
        with pytest.raises(ValueError, match="impute or drop them"):
            smote.fit_resample(X_in, labels)


def test_nan_in_dataframe_names_the_column():
    frame = pd.DataFrame(X, columns=["age", "income", "score"])
    frame.loc[3, "income"] = np.nan
    with pytest.raises(ValueError, match=r"row 3, column 'income'"):
        SMOTE().fit_resample(frame, y)


def test_missing_values_error_carries_its_facts_through_pickle():
    import pickle

    from smotekit._data import NonFiniteFeaturesError

    frame = pd.DataFrame(X, columns=["age", "income", "score"])
    frame.loc[3, "income"] = np.inf
    with pytest.raises(NonFiniteFeaturesError) as info:
        SMOTE().fit_resample(frame, y)
    again = pickle.loads(pickle.dumps(info.value))
    assert type(again) is NonFiniteFeaturesError and str(again) == str(info.value)
    assert again.what == "1 infinite value(s) (first at row 3, column 'income')"
    assert again.sampler_name == "SMOTE"


@pytest.mark.parametrize("width", [1, 2])
def test_sparse_labels_are_refused_with_the_dense_form_to_pass(width):
    labels = sparse.csr_matrix(np.eye(2, dtype=int)[y][:, :width])
    with pytest.raises(TypeError) as info:
        SMOTE().fit_resample(X, labels)
    message = str(info.value)
    assert message.startswith(
        "SMOTE takes y as dense class labels; got a sparse csr_matrix of shape "
        f"({len(y)}, {width}). Pass y.toarray() ("
    )
    assert ("one-hot label matrix" in message) == (width == 2)


def test_nan_in_sparse_input_is_rejected():
    X_sp = sparse.csr_matrix(X)
    X_sp.data[0] = np.nan
    with pytest.raises(ValueError, match=r"contains 1 NaN value\(s\)"):
        SMOTE().fit_resample(X_sp, y)


def test_class_smaller_than_k_plus_one_names_class_and_count():
    y_small = np.array(["legit"] * 37 + ["fraud"] * 3)
    with pytest.raises(
        ValueError,
        match=r"'k_neighbors' parameter of SMOTE asks for 5 neighbours.*at least 6 "
        r"samples.*class 'fraud' has 3\. Lower k_neighbors to at most 2 \(an "
        r"estimator's n_neighbors to at most 3: it counts the sample itself\), or "
        r"use RandomOverSampler",
    ):
        SMOTE().fit_resample(X, y_small)


def test_small_class_is_fine_when_it_is_not_over_sampled():
    y3 = np.array([0] * 20 + [1] * 17 + [2] * 3)
    _, y_res = SMOTE(sampling_strategy={1: 20}).fit_resample(X, y3)
    assert np.bincount(y_res).tolist() == [20, 20, 3]


def test_single_class_target():
    with pytest.raises(
        ValueError, match=r"needs at least 2 classes.*has 1 class \(0\)"
    ):
        SMOTE().fit_resample(X, np.zeros(40, dtype=int))


def test_continuous_target():
    with pytest.raises(ValueError, match=r"Unknown label type: continuous.*regression"):
        SMOTE().fit_resample(X, np.linspace(0, 1, 40))


def test_multilabel_target():
    y_ml = RNG.randint(2, size=(40, 3))
    y_ml[0] = [1, 1, 0]
    with pytest.raises(ValueError, match="Multilabel and multioutput targets are not"):
        SMOTE().fit_resample(X, y_ml)


def test_length_mismatch():
    with pytest.raises(ValueError, match=r"X has 40 rows and y has 39 labels"):
        SMOTE().fit_resample(X, y[:-1])


def test_empty_X():
    with pytest.raises(ValueError, match=r"empty X \(0 samples\)"):
        SMOTE().fit_resample(np.empty((0, 3)), np.array([], dtype=int))


def test_one_dimensional_X():
    with pytest.raises(ValueError, match=r"expects a 2-D X.*X\.reshape\(-1, 1\)"):
        SMOTE().fit_resample(X[:, 0], y)


@pytest.mark.parametrize("sampler", [SMOTE(), RandomOverSampler()])
@pytest.mark.parametrize(
    "documents",
    [
        ["good film", "bad film"] * 15 + ["awful"] * 10,
        np.array(["good film", "bad film"] * 15 + ["awful"] * 10),
    ],
    ids=["list", "array"],
)
def test_text_documents_are_told_as_a_shape_with_the_way_to_features(
    sampler, documents
):
    # the shape comes first: it was told as a non-numeric column 'all', with
    # SMOTENC to use, which refuses a 1-D X in turn
    with pytest.raises(ValueError) as e:
        sampler.fit_resample(documents, y)
    text = str(e.value)
    assert text.startswith(
        f"{type(sampler).__name__} expects a 2-D X of shape (n_samples, "
        "n_features); got an array of shape (40,)."
    )
    assert text.endswith(
        "If the values are text documents, turn them into numeric features "
        "first (for example with scikit-learn's TfidfVectorizer)."
    )
    assert "SMOTENC" not in text


@pytest.mark.parametrize("path", ["data.csv", Path("data.csv")], ids=["str", "path"])
def test_a_file_name_as_X_is_told_to_be_read(path):
    with pytest.raises(ValueError) as e:
        SMOTE().fit_resample(path, y)
    assert str(e.value).endswith(
        f"X is a {type(path).__name__}, not a table: to resample a file, read it "
        "first (for example with pandas.read_csv), or use the command line's "
        "smotekit resample."
    )


@pytest.mark.parametrize("sampler", [SMOTE(), SMOTEN()])
def test_three_dimensional_X_is_told_to_flatten(sampler):
    with pytest.raises(ValueError) as e:
        sampler.fit_resample(X.reshape(len(X), 1, -1), y)
    assert str(e.value) == (
        f"{type(sampler).__name__} expects a 2-D X of shape (n_samples, "
        f"n_features); got an array of shape {(len(X), 1, X.shape[1])}. Flatten "
        "the features of each sample with X.reshape(len(X), -1)."
    )


def test_non_numeric_column_points_to_smotenc():
    frame = pd.DataFrame({"amount": X[:, 0], "country": ["fr", "de"] * 20})
    with pytest.raises(
        ValueError,
        match=r"column\(s\) 'country' \(.*\) are not "
        r"numeric.*SMOTENC",
    ):
        SMOTE().fit_resample(frame, y)


def test_non_numeric_numpy_column_points_to_smotenc():
    X_obj = np.column_stack([X[:, 0].astype(object), np.array(["a", "b"] * 20)])
    with pytest.raises(
        ValueError, match=r"column\(s\) 1 \(object\) are not numeric.*SMOTENC"
    ):
        SMOTE().fit_resample(X_obj, y)


@pytest.mark.parametrize(
    ("strategy", "error", "match"),
    [
        (
            1.5,
            InvalidParameterError,
            r"'sampling_strategy' parameter of SMOTE must "
            r"be a float in the range \(0\.0, 1\.0\]",
        ),
        (0.0, InvalidParameterError, r"'sampling_strategy' parameter of SMOTE"),
        ("majority", InvalidParameterError, r"'sampling_strategy' parameter of SMOTE"),
        ([0, 1], InvalidParameterError, r"'sampling_strategy' parameter of SMOTE"),
        (0.1, ValueError, r"ratio of 0\.1, but the data already has 0\.3333"),
        ({1: 5}, ValueError, r"asks for 5 samples of class 1, which already has 10"),
        ({1: -1}, ValueError, r"asks for -1 samples of class 1"),
        ({3: 50}, ValueError, r"class\(es\) 3 that are not in y"),
        ({1: "many"}, TypeError, r"integer final count; class 1 maps to 'many'"),
        (
            lambda y: None,
            TypeError,
            r"callable 'sampling_strategy' of SMOTE must "
            r"return a dict",
        ),
    ],
)
def test_bad_sampling_strategy(strategy, error, match):
    with pytest.raises(error, match=match):
        SMOTE(sampling_strategy=strategy).fit_resample(X, y)


def test_float_strategy_on_multiclass():
    y3 = np.array([0] * 20 + [1] * 12 + [2] * 8)
    with pytest.raises(ValueError, match=r"float only for a binary target.*3 classes"):
        SMOTE(sampling_strategy=0.5).fit_resample(X, y3)


@pytest.mark.parametrize(
    ("params", "match"),
    [
        (
            {"k_neighbors": 0},
            r"'k_neighbors' parameter of SMOTE must be an int in "
            r"the range \[1, inf\) or an object implementing 'kneighbors'",
        ),
        ({"k_neighbors": "5"}, r"'k_neighbors' parameter of SMOTE"),
        ({"random_state": "seed"}, r"'random_state' parameter of SMOTE"),
    ],
)
def test_bad_smote_parameters(params, match):
    with pytest.raises(InvalidParameterError, match=match):
        SMOTE(**params).fit_resample(X, y)


@pytest.mark.parametrize(
    ("shrinkage", "error", "match"),
    [
        (-1.0, InvalidParameterError, r"'shrinkage' parameter of RandomOverSampler"),
        (
            {0: 1.0},
            ValueError,
            r"factor for every class that is over-sampled; "
            r"missing: 1",
        ),
        ({1: -2.0}, ValueError, r"finite factors >= 0; got -2\.0 for class 1"),
        ({1: np.nan}, ValueError, r"finite factors >= 0; got nan for class 1\.$"),
        ({1: np.inf}, ValueError, r"finite factors >= 0; got inf for class 1\.$"),
        (np.inf, InvalidParameterError, r"'shrinkage' parameter of RandomOverSampler"),
    ],
)
def test_bad_shrinkage(shrinkage, error, match):
    with pytest.raises(error, match=match):
        RandomOverSampler(shrinkage=shrinkage).fit_resample(X, y)


def test_shrinkage_needs_numeric_data():
    X_str = np.array([["a"], ["b"]] * 20, dtype=object)
    with pytest.raises(
        ValueError,
        match=r"'shrinkage' adds numeric noise: encode them, or set shrinkage=None",
    ):
        RandomOverSampler(shrinkage=1.0).fit_resample(X_str, y)


def test_shrinkage_rejects_nan():
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(
        ValueError, match=r"RandomOverSampler contains 1 NaN value.*impute"
    ):
        RandomOverSampler(shrinkage=1.0).fit_resample(X_nan, y)


def test_neighbor_object_without_kneighbors():
    with pytest.raises(InvalidParameterError, match="'k_neighbors' parameter"):
        SMOTE(k_neighbors=object()).fit_resample(X, y)


def test_a_ratio_that_adds_no_sample_is_refused():
    # 50/100 is 0.5 already: 0.495 asks for 49.5 minority samples
    X2 = RNG.standard_normal((150, 2))
    y2 = np.array([0] * 100 + [1] * 50)
    with pytest.raises(ValueError, match=r"ratio of 0\.495.*already has 0\.5"):
        SMOTE(sampling_strategy=0.495).fit_resample(X2, y2)
    # the current ratio, or less than a sample more: no new sample, refused
    # as imbalanced-learn refuses it, with the least ratio that adds one
    for ratio in (0.5, 0.505):
        with pytest.raises(ValueError, match=r"not one new sample\. Use a ratio of "
                           r"at least 0\.51"):  # fmt: skip
            SMOTE(sampling_strategy=ratio).fit_resample(X2, y2)
    assert SMOTE(sampling_strategy=0.51).fit_resample(X2, y2)[0].shape == (151, 2)
    assert SMOTE(sampling_strategy=0.52).fit_resample(X2, y2)[0].shape == (152, 2)


@pytest.mark.parametrize(
    "sampler",
    ["SMOTE", "BorderlineSMOTE", "ADASYN", "SMOTEN", "SMOTEENN"],
)
def test_a_one_sample_class_is_not_told_to_lower_k_to_zero(sampler):
    X3 = np.round(RNG.standard_normal((29, 2)))
    y3 = np.repeat([0, 1, 2], [20, 8, 1])
    with pytest.raises(ValueError, match="neighbors") as info:
        getattr(smotekit, sampler)().fit_resample(X3, y3)
    message = str(info.value)
    assert "class 2 has 1" in message
    assert "at most 0" not in message
    assert "RandomOverSampler" in message


def test_kmeans_with_one_cluster_names_the_class_size_only():
    X3 = RNG.standard_normal((29, 2))
    y3 = np.repeat([0, 1, 2], [20, 8, 1])
    with pytest.raises(RuntimeError) as info:
        smotekit.KMeansSMOTE(random_state=0, kmeans_estimator=1).fit_resample(X3, y3)
    message = str(info.value)
    assert "class 2 has 1 samples, at most 1 in one of the 1 clusters" in message
    assert "-inf" not in message and "fewer clusters" not in message
    assert "RandomOverSampler" in message


@pytest.mark.parametrize(
    "labels",
    [
        np.array(["a"] * 30 + ["b"] * 9 + [None], dtype=object),
        np.array([0.0] * 30 + [1.0] * 9 + [np.nan]),
        pd.Series(pd.array([0] * 30 + [1] * 9 + [None], dtype="Int64")),
        pd.Series(pd.Categorical(["a"] * 30 + ["b"] * 9 + [None])),
    ],
    ids=["object-None", "float-NaN", "Int64-NA", "categorical-NaN"],
)
@pytest.mark.parametrize("sampler", ["SMOTE", "RandomOverSampler", "TomekLinks"])
def test_missing_labels_are_named_with_their_position(labels, sampler):
    with pytest.raises(ValueError, match=r"y.*1 missing label\(s\).*position 39"):
        getattr(smotekit, sampler)().fit_resample(X, labels)


@pytest.mark.parametrize(
    ("name", "param"),
    [
        ("SMOTE", "k_neighbors"),
        ("BorderlineSMOTE", "m_neighbors"),
        ("SVMSMOTE", "m_neighbors"),
        ("KMeansSMOTE", "k_neighbors"),
        ("ADASYN", "n_neighbors"),
        ("SMOTEN", "k_neighbors"),
        ("EditedNearestNeighbours", "n_neighbors"),
    ],
)
@pytest.mark.parametrize("n", [0, 1])
def test_a_neighbour_estimator_without_a_neighbour_is_refused(name, param, n):
    # n_neighbors counts the sample itself: 1 leaves no neighbour (once a
    # segmentation fault in SMOTEN, elsewhere errors about sample counts)
    estimator = smotekit.ExactNeighbors(n_neighbors=n)
    sampler = getattr(smotekit, name)(**{param: estimator})
    with pytest.raises(
        ValueError,
        match=rf"The '{param}' parameter of {name} is ExactNeighbors\(n_neighbors="
        rf"{n}\).*must be at least 2 \(the sample and one neighbour\)",
    ):
        sampler.fit_resample(X, y)


def test_a_cleaner_inside_a_combination_names_itself():
    from sklearn.neighbors import NearestNeighbors

    enn = smotekit.EditedNearestNeighbours(n_neighbors=NearestNeighbors(n_neighbors=1))
    with pytest.raises(
        ValueError, match=r"'n_neighbors' parameter of EditedNearestNeighbours"
    ):
        smotekit.SMOTEENN(enn=enn).fit_resample(X, y)


@pytest.mark.parametrize("name", ["SMOTE", "TomekLinks", "EditedNearestNeighbours"])
def test_complex_data_is_refused_without_claiming_interpolation(name):
    with pytest.raises(
        ValueError,
        match=rf"Complex data not supported: {name} needs real-valued features\. "
        "Split complex columns",
    ):
        getattr(smotekit, name)().fit_resample(X.astype(np.complex128), y)


@pytest.mark.parametrize(
    "make, param",
    [
        (lambda v: smotekit.SMOTE(k_neighbors=v), "k_neighbors"),
        (lambda v: smotekit.ADASYN(n_neighbors=v), "n_neighbors"),
        (lambda v: smotekit.BorderlineSMOTE(m_neighbors=v), "m_neighbors"),
        (lambda v: smotekit.EditedNearestNeighbours(n_neighbors=v), "n_neighbors"),
    ],
)
def test_a_bool_neighbour_count_is_refused_naming_the_sampler(make, param):
    # True is not a count (imbalanced-learn reads it as 1); the message named
    # neither the sampler nor the value
    sampler = make(True)
    name = type(sampler).__name__
    with pytest.raises(
        TypeError,
        match=rf"The '{param}' parameter of {name} must be an int \(the number of "
        r"neighbours\) or an estimator with a 'kneighbors' method such as "
        r"sklearn's NearestNeighbors; got True of type bool\.",
    ):
        sampler.fit_resample(X, y)


def _one_feature(kind):
    values = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    if kind == "series":
        return pd.Series(values)
    if kind == "polars":
        return pytest.importorskip("polars").Series(values)
    return values if kind == "list" else np.array(values)


@pytest.mark.parametrize(
    ("kind", "fix"),
    [
        ("series", "X.to_frame()"),
        ("polars", "X.to_frame()"),
        ("list", "[[v] for v in X]"),
        ("array", "X.reshape(-1, 1)"),
    ],
)
@pytest.mark.parametrize("name", ["SMOTE", "SMOTEN", "RandomOverSampler"])
def test_one_dimensional_x_gets_the_fix_for_its_container(name, kind, fix):
    with pytest.raises(ValueError, match=r"got an array of shape \(6,\)") as info:
        getattr(smotekit, name)().fit_resample(_one_feature(kind), [0] * 4 + [1] * 2)
    assert str(info.value).endswith(
        fix + (" for one feature." if kind == "list" else ".")
    )


@pytest.mark.parametrize("name", ["SMOTE", "SMOTEN", "SMOTENC", "RandomOverSampler"])
def test_a_dict_x_is_told_to_become_a_table(name):
    sampler = smotekit.SMOTENC([0]) if name == "SMOTENC" else getattr(smotekit, name)()
    with pytest.raises(TypeError, match=rf"^{name} takes X as an array.*got a dict"):
        sampler.fit_resample({"a": [1, 2, 3, 4, 5, 6]}, [0] * 4 + [1] * 2)


def _huge_ints(kind):
    rng = np.random.RandomState(0)
    huge = [10**400 + i for i in range(60)]
    if kind == "frame":
        return pd.DataFrame(
            {
                "k": ["a", "b"] * 30,
                "f": rng.normal(size=60),
                "c": pd.Series(huge, dtype=object),
            }
        )
    X = np.empty((60, 3), dtype=object)
    X[:, 0], X[:, 1], X[:, 2] = ["a", "b"] * 30, rng.normal(size=60), huge
    return X


@pytest.mark.parametrize("kind", ["frame", "array"])
@pytest.mark.parametrize(
    "make",
    [
        lambda: smotekit.SMOTE(),
        lambda: smotekit.SMOTENC([0]),
        lambda: smotekit.RandomOverSampler(shrinkage=1.0),
        lambda: smotekit.TomekLinks(),
    ],
    ids=["SMOTE", "SMOTENC", "ROS-shrinkage", "TomekLinks"],
)
def test_ints_past_float64_range_are_named_as_infinite(make, kind):
    sampler = make()
    X = _huge_ints(kind)
    if not isinstance(sampler, smotekit.SMOTENC):  # the text column: SMOTENC's
        X = X.iloc[:, 1:] if kind == "frame" else X[:, 1:]
    smotenc = isinstance(sampler, smotekit.SMOTENC)
    column = "'c'" if kind == "frame" else ("2" if smotenc else "1")
    with pytest.raises(ValueError) as info:
        sampler.fit_resample(X, np.array([0] * 45 + [1] * 15))
    message = str(info.value)
    assert message.startswith(
        f"Input X of {type(sampler).__name__} contains 60 infinite value(s) "
        f"(first at row 0, column {column})"
    )
    assert "past float64's range" in message


@pytest.mark.parametrize(
    ("sampler", "key", "label", "fix"),
    [
        (
            SMOTE(sampling_strategy={"1": 30}),
            "'1'",
            "1",
            "Remove or rename those keys.",
        ),
        (
            smotekit.RandomUnderSampler(sampling_strategy={"0": 10}),
            "'0'",
            "0",
            "Remove or rename them.",
        ),
    ],
    ids=["over", "under"],
)
def test_a_key_of_another_type_than_the_labels_is_told(sampler, key, label, fix):
    with pytest.raises(ValueError) as e:
        sampler.fit_resample(X, y)
    assert str(e.value).endswith(
        f"the classes present are 0, 1. The key {key} (str) is the label {label} "
        f"(int) written as another type: use the labels' own type for the keys. "
        f"{fix}"
    )


def test_an_unknown_key_of_another_text_gets_no_type_hint():
    with pytest.raises(ValueError) as e:
        SMOTE(sampling_strategy={"2": 30}).fit_resample(X, y)
    assert "written as another type" not in str(e.value)


def test_a_column_name_as_y_is_told_to_be_the_labels():
    frame = pd.DataFrame({"a": X[:, 0], "t": y})
    with pytest.raises(ValueError) as e:
        SMOTE().fit_resample(frame, "t")
    assert str(e.value) == (
        "SMOTE expects y of shape (n_samples,); got shape (). y is the str 't': "
        "pass the labels themselves, such as frame['t'], with X the other columns "
        "(frame.drop(columns='t'))."
    )


def test_the_errors_are_caught_through_the_public_module():
    import pickle

    from smotekit import ADASYN, BorderlineSMOTE, KMeansSMOTE
    from smotekit import exceptions as ex

    tiny = RNG.standard_normal((9, 2))
    far = np.vstack([RNG.standard_normal((30, 2)), RNG.standard_normal((10, 2)) + 50])
    cases = [
        (ex.ClassTooSmallError, lambda: SMOTE(k_neighbors=12).fit_resample(X, y)),
        (
            ex.TooFewSamplesError,
            lambda: BorderlineSMOTE(k_neighbors=2).fit_resample(
                tiny, [0] * 3 + [1] * 6
            ),
        ),
        (ex.UnweightedClassError, lambda: ADASYN().fit_resample(far, y)),
        (
            ex.NoClusterError,
            lambda: KMeansSMOTE(random_state=0).fit_resample(tiny, [1] * 3 + [0] * 6),
        ),
        (
            ex.SamplingStrategyError,
            lambda: SMOTE(sampling_strategy={7: 50}).fit_resample(X, y),
        ),
        (ex.NonFiniteFeaturesError, lambda: SMOTE().fit_resample(X * np.nan, y)),
        (
            ex.NonNumericFeaturesError,
            lambda: SMOTE().fit_resample(pd.DataFrame({"a": ["x"] * 40}), y),
        ),
    ]
    for error, call in cases:
        assert error.__module__ == "smotekit.exceptions"
        with pytest.raises(error) as info:
            call()
        again = pickle.loads(pickle.dumps(info.value))
        assert type(again) is error and str(again) == str(info.value)
        assert vars(again) == vars(info.value)


def test_each_error_of_the_data_carries_its_facts():
    from smotekit import ADASYN, KMeansSMOTE
    from smotekit import exceptions as ex

    far = np.vstack([RNG.standard_normal((30, 2)), RNG.standard_normal((10, 2)) + 50])
    with pytest.raises(ex.UnweightedClassError) as info:
        ADASYN(n_neighbors=4).fit_resample(far, y)
    facts = (info.value.cls, info.value.n_samples, info.value.n_neighbors)
    assert facts == (1, 10, 4)

    tiny = RNG.standard_normal((9, 2))
    with pytest.raises(ex.NoClusterError) as info:
        KMeansSMOTE(
            k_neighbors=2, cluster_balance_threshold=0.9, random_state=0
        ).fit_resample(tiny, [1] * 3 + [0] * 6)
    assert (info.value.cls, info.value.threshold, info.value.n_needed) == (1, 0.9, 3)

    frame = pd.DataFrame({"a": X[:, 0], "t": ["1.5"] * 40, "u": [{}] * 40})
    with pytest.raises(ex.NonNumericFeaturesError) as info:
        SMOTE().fit_resample(frame, y)
    assert (info.value.columns, info.value.sampler_name) == (["t", "u"], "SMOTE")
    with pytest.raises(ex.NonNumericFeaturesError) as info:
        SMOTE().fit_resample(frame.to_numpy(), y)  # positions in an array
    assert (info.value.columns, info.value.sampler_name) == ([1, 2], "SMOTE")
    from smotekit import SMOTENC

    mixed = frame.assign(c=["p", "q"] * 20)
    with pytest.raises(ex.NonNumericFeaturesError) as info:
        SMOTENC(categorical_features=["c"]).fit_resample(mixed, y)
    assert (info.value.columns, info.value.sampler_name) == (["t", "u"], "SMOTENC")
    with pytest.raises(ex.NonNumericFeaturesError) as info:
        SMOTENC(categorical_features=[3]).fit_resample(mixed.to_numpy(), y)
    assert info.value.columns == [1, 2]  # text is no number, numerals included
