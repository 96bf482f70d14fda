"""SMOTENC's reading and writing of mixed data in detail: a missing value of a
category column as a category of its own, float32 frames interpolated in
float32, sparse columns put back in their places."""

import numpy as np
import pandas as pd
from numpy.testing import assert_array_equal
from scipy import sparse

from smotekit import SMOTENC

RNG = np.random.default_rng(0)
N = 40
Y = np.array([0] * 28 + [1] * 12)


def test_a_missing_category_is_a_category_of_its_own():
    cat = pd.Categorical(RNG.choice(["a", "b", None], N), categories=["a", "b"])
    X = pd.DataFrame({"x": RNG.normal(size=N), "c": cat})
    assert X["c"].iloc[28:].isna().any()
    sampler = SMOTENC(categorical_features=[1], random_state=0)
    X_res, y_res = sampler.fit_resample(X, Y)
    assert np.bincount(y_res).tolist() == [28, 28]
    assert X_res["c"].dtype == X["c"].dtype
    # the encoder learnt the missing value as a third category
    assert len(sampler.categorical_encoder_.categories_[0]) == 3
    copied = X["c"].to_numpy()[sampler.provenance_.copied_from[:, 0]]
    synth = X_res["c"].iloc[N:].to_numpy()
    assert_array_equal(pd.isna(synth), pd.isna(copied))
    assert (synth[~pd.isna(synth)] == copied[~pd.isna(copied)]).all()


def test_a_float32_frame_is_interpolated_in_float32_as_an_array_is():
    values = RNG.normal(size=(N, 2)).astype(np.float32)
    codes = RNG.integers(0, 3, N).astype(np.float32)
    array = np.column_stack([values[:, 0], codes, values[:, 1]])
    frame = pd.DataFrame(
        {"a": values[:, 0], "c": pd.Categorical(codes), "b": values[:, 1]}
    )
    from_frame = SMOTENC(categorical_features=[1], random_state=0)
    from_array = SMOTENC(categorical_features=[1], random_state=0)
    X_frame, _ = from_frame.fit_resample(frame, Y)
    X_array, _ = from_array.fit_resample(array, Y)
    assert from_frame.provenance_.gap.dtype == np.float32
    assert X_frame["a"].dtype == np.float32
    assert_array_equal(from_frame.provenance_.gap, from_array.provenance_.gap)
    assert_array_equal(X_frame[["a", "b"]].to_numpy(), X_array[:, [0, 2]])


def test_sparse_categorical_column_first_stays_first():
    # categorical column 0, continuous 1 and 2: the synthetic columns are
    # put back in their places (a permutation that is not its own inverse)
    M = np.zeros((N, 3))
    M[:, 0] = RNG.integers(1, 4, N)
    M[:, 1] = RNG.choice([0.0, 1.0, -1.0], N)
    M[:, 2] = RNG.normal(size=N) * (RNG.random(N) < 0.5)
    X_sparse, _ = SMOTENC(categorical_features=[0], random_state=0).fit_resample(
        sparse.csr_matrix(M), Y
    )
    X_dense, _ = SMOTENC(categorical_features=[0], random_state=0).fit_resample(M, Y)
    assert sparse.issparse(X_sparse)
    assert_array_equal(X_sparse.toarray(), X_dense)
    assert set(np.unique(X_dense[N:, 0])) <= {1.0, 2.0, 3.0}
