"""RandomOverSampler-specific behaviour: bootstrap, shrinkage, any data type."""

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from imblearn.over_sampling import RandomOverSampler as ImbROS

from smotekit import RandomOverSampler


@pytest.fixture
def data():
    rng = np.random.RandomState(0)
    X = rng.standard_normal((300, 4)) * [1.0, 5.0, 0.1, 2.0]
    y = np.array([0] * 250 + [1] * 50)
    return X, y


def test_plain_copies_and_sample_indices(data):
    X, y = data
    ros = RandomOverSampler(random_state=0)
    X_res, y_res = ros.fit_resample(X, y)
    assert Counter(y_res.tolist()) == {0: 250, 1: 250}
    np.testing.assert_array_equal(X_res, X[ros.sample_indices_])
    assert set(ros.sample_indices_[300:].tolist()) <= set(range(250, 300))
    assert ros.shrinkage_ is None
    p = ros.provenance_
    assert p.neighbor is p.parent and p.noise is None  # one array for both
    assert p.gap.dtype == X.dtype and not p.gap.any()


def test_shrinkage_zero_equals_plain_copies(data):
    X, y = data
    plain = RandomOverSampler(random_state=1).fit_resample(X, y)[0]
    zero = RandomOverSampler(random_state=1, shrinkage=0).fit_resample(X, y)[0]
    np.testing.assert_array_equal(zero, plain)


def test_shrinkage_noise_has_the_documented_scale(data):
    X, y = data
    ros = RandomOverSampler(random_state=0, shrinkage=2.0, sampling_strategy={1: 20050})
    X_res, _ = ros.fit_resample(X, y)
    noise = X_res[300:] - X[ros.provenance_.parent]
    np.testing.assert_allclose(noise, ros.provenance_.noise)
    n, d = X.shape
    h = (4 / ((d + 2) * n)) ** (1 / (d + 4))
    expected = 2.0 * h * X[y == 1].std(axis=0)
    np.testing.assert_allclose(noise.std(axis=0), expected, rtol=0.05)
    np.testing.assert_allclose(noise.mean(axis=0), 0, atol=0.05 * expected.max())
    assert ros.shrinkage_ == {1: 2.0}


def test_larger_shrinkage_spreads_more(data):
    X, y = data
    spreads = []
    for shrink in (0.5, 1.0, 3.0):
        X_res, _ = RandomOverSampler(random_state=0, shrinkage=shrink).fit_resample(
            X, y
        )
        spreads.append(np.linalg.det(np.cov(X_res[300:], rowvar=False)))
    assert spreads[0] < spreads[1] < spreads[2]


def test_per_class_shrinkage_dict():
    rng = np.random.RandomState(2)
    X = rng.standard_normal((90, 2))
    y = np.array([0] * 60 + [1] * 20 + [2] * 10)
    ros = RandomOverSampler(random_state=0, shrinkage={1: 0.0, 2: 1.0})
    _, y_res = ros.fit_resample(X, y)
    noise = ros.provenance_.noise
    assert (noise[y_res[90:] == 1] == 0).all()
    assert (noise[y_res[90:] == 2] != 0).all()


def test_strings_nan_and_objects_pass_through():
    X = np.array([["a", 1.0], ["b", np.nan], ["c", 2.0], ["d", 3.0]], dtype=object)
    y = np.array([0, 0, 0, 1])
    X_res, y_res = RandomOverSampler(random_state=0).fit_resample(X, y)
    assert X_res.dtype == object
    assert (X_res[4:] == X[3]).all() and y_res.tolist() == [0, 0, 0, 1, 1, 1]


def test_pandas_keeps_categorical_and_datetime_columns():
    frame = pd.DataFrame(
        {
            "when": pd.date_range("2024-01-01", periods=6),
            "kind": pd.Categorical(["x", "y", "x", "y", "z", "z"]),
            "amount": [1, 2, 3, 4, 5, 6],
        },
        index=[10, 11, 12, 13, 14, 15],
    )
    y = pd.Series([0, 0, 0, 0, 1, 1], index=frame.index, name="label")
    X_res, y_res = RandomOverSampler(random_state=0).fit_resample(frame, y)
    assert X_res.dtypes.equals(frame.dtypes)
    pd.testing.assert_frame_equal(X_res.iloc[:6], frame)
    assert list(X_res.index) == [10, 11, 12, 13, 14, 15, 16, 17]
    assert y_res.name == "label" and list(y_res.index) == list(X_res.index)
    assert set(X_res["kind"].iloc[6:]) == {"z"}


def test_same_counts_as_imbalanced_learn(data):
    X, y = data
    for strategy in ("auto", 0.6, {1: 400}):
        ours = RandomOverSampler(sampling_strategy=strategy).fit_resample(X, y)[1]
        theirs = ImbROS(sampling_strategy=strategy).fit_resample(X, y)[1]
        assert Counter(ours.tolist()) == Counter(theirs.tolist())


@pytest.mark.parametrize("other", [1e200, 1e-170], ids=["huge", "tiny"])
def test_shrinkage_noise_of_a_column_does_not_depend_on_the_others_magnitude(other):
    rng = np.random.RandomState(0)
    v = rng.normal(size=30)
    y = np.array([0] * 20 + [1] * 10)
    plain = np.column_stack([np.ones(30) + v * 0.5, v])
    mixed = np.column_stack([plain[:, 0] * other, v])
    noise = []
    for X in (plain, mixed):
        sampler = RandomOverSampler(shrinkage=1.0, random_state=0)
        sampler.fit_resample(X, y)
        noise.append(sampler.provenance_.noise)
    np.testing.assert_allclose(noise[1][:, 1], noise[0][:, 1], rtol=1e-12)
    np.testing.assert_allclose(noise[1][:, 0], noise[0][:, 0] * other, rtol=1e-12)
    assert np.abs(noise[1][:, 1]).max() > 0.1
