"""SMOTEN: the vote over the seed and its VDM neighbours, memory, peers.

SMOTEN is also in the common ``SAMPLERS`` (tests/test_common.py runs it on
numeric data, each value then being a category).
"""

import tracemalloc
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from imblearn.metrics.pairwise import ValueDifferenceMetric
from imblearn.over_sampling import SMOTEN as ImbSMOTEN
from numpy.testing import assert_array_equal
from scipy import sparse
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder

from smotekit import SMOTEN, ApproximateNeighbors, ExactNeighbors

SEED = 42


def resample(X, y, **params):
    sampler = SMOTEN(**{"random_state": SEED, **params})
    X_res, y_res = sampler.fit_resample(X, y)
    return X_res, y_res, sampler


def categorical_data(n=300, n_features=3, seed=0):
    rng = np.random.default_rng(seed)
    y = np.array([0] * (n - n // 4 - n // 10) + [1] * (n // 4) + [2] * (n // 10))
    y = rng.permutation(y)
    columns = {
        f"f{j}": np.array(list("abcdefgh"))[(rng.integers(0, 3 + j, n) + y) % 8]
        for j in range(n_features)
    }
    return pd.DataFrame(columns).astype(object), y


def vdm_neighbors(codes, y, rows, k):
    """Full scan with imbalanced-learn's VDM (itself first, then by distance and
    row), over the class ``rows``."""
    n_categories = codes.max(axis=0) + 1
    vdm = ValueDifferenceMetric(n_categories=n_categories).fit(codes, y)
    dist = vdm.pairwise(codes[rows])
    table = np.empty((len(rows), k + 1), dtype=np.int64)
    for i in range(len(rows)):
        others = np.delete(np.arange(len(rows)), i)
        # near-equal distances are ties (smotekit rounds them to 2**-40)
        key = np.round(dist[i, others] * 2.0**30)
        table[i] = np.r_[i, others[np.lexsort((others, key))][:k]]
    return table


def test_minority_mostly_blue_gives_blue_and_breaks_ties_at_random():
    # imbalanced-learn's test: "not apple" is mostly "blue" (5 blue, 3 red)
    X = np.array(["green"] * 5 + ["red"] * 10 + ["blue"] * 7, dtype=object)
    X = X.reshape(-1, 1)
    y = np.array(
        ["apple"] * 5 + ["not apple"] * 3 + ["apple"] * 7 + ["not apple"] * 5
        + ["apple"] * 2,
        dtype=object,
    )  # fmt: skip
    seen_from_red = set()
    for seed in range(8):
        X_res, y_res, sampler = resample(X, y, random_state=seed)
        assert (y_res[22:] == "not apple").all() and len(y_res) == 28
        parents = X[sampler.provenance_.parent, 0]
        new = X_res[22:, 0]
        # a blue seed votes blue (5 blue of 6 voters)
        assert (new[parents == "blue"] == "blue").all()
        # a red seed sees 3 red and 3 blue: a tie, broken at random (imbalanced-
        # learn always takes "blue", the first category in sorted order)
        seen_from_red |= set(new[parents == "red"])
    assert seen_from_red == {"red", "blue"}
    X_peer, _ = ImbSMOTEN(random_state=0).fit_resample(X, y)
    assert (X_peer[22:, 0] == "blue").all()


def test_each_value_is_the_mode_of_the_seed_and_its_vdm_neighbours():
    frame, y = categorical_data()
    k = 5
    X_res, y_res, sampler = resample(frame, y, k_neighbors=k)
    codes = OrdinalEncoder(dtype=np.int64).fit_transform(frame)
    p, n = sampler.provenance_, len(y)
    assert p.copied_columns.tolist() == [0, 1, 2]
    assert (p.gap == 0).all()
    for cls in sampler.sampling_strategy_:
        rows = np.flatnonzero(y == cls)
        table = vdm_neighbors(codes, y, rows, k)
        for j in np.flatnonzero(y_res[n:] == cls):
            seed = np.searchsorted(rows, p.parent[j])
            voters = rows[table[seed]]
            assert p.neighbor[j] in voters[1:]
            for f in range(3):
                values, counts = np.unique(codes[voters, f], return_counts=True)
                source = p.copied_from[j, f]
                assert codes[source, f] in values[counts == counts.max()]
                assert (
                    source
                    == voters[np.flatnonzero(codes[voters, f] == codes[source, f])[0]]
                )
                assert X_res.iloc[n + j, f] == frame.iloc[source, f]


def test_ties_are_random_where_imblearn_takes_the_first_category():
    # four minority rows, two "a" and two "b": each seed and its 3 neighbours
    # vote 2 to 2, and the tie is broken anew for each synthetic row
    X = np.array(["a", "b", "a", "b"] + ["z"] * 20, dtype=object).reshape(-1, 1)
    y = np.array([1] * 4 + [0] * 20)
    X_res, _, sampler = resample(X, y, k_neighbors=3, sampling_strategy={1: 404})
    parent, new = sampler.provenance_.parent, X_res[24:, 0]
    for seed in range(4):
        assert set(new[parent == seed]) == {"a", "b"}
    X_peer, _ = ImbSMOTEN(k_neighbors=3, random_state=0).fit_resample(X, y)
    assert set(X_peer[24:, 0]) == {"a"}  # scipy's mode: the smallest code


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(20, 150),
    n_features=st.integers(1, 4),
    k=st.integers(1, 5),
)
def test_values_come_only_from_the_class(seed, n, n_features, k):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    y[: 3 * (k + 1)] = np.repeat([0, 1, 2], k + 1)
    X = (rng.integers(0, 4, (n, n_features)) + 3 * y[:, None]).astype(str)
    X_res, y_res, sampler = resample(X, y, k_neighbors=k, sampling_strategy="all")
    assert X_res.dtype == X.dtype
    for cls in range(3):
        new = X_res[len(y) :][y_res[len(y) :] == cls]
        for f in range(n_features):
            assert set(new[:, f]) <= set(X[y == cls, f])
    assert (y[sampler.provenance_.copied_from] == y_res[len(y) :, None]).all()


def test_no_quadratic_memory():
    # imbalanced-learn builds the n_class x n_class VDM matrix of each class
    # (1.7 GB and 41 s for 100,000 x 10); smotekit searches distinct rows
    def data(n):
        rng = np.random.default_rng(0)
        y = (np.arange(n) % 2).astype(np.int64)
        X = rng.integers(0, 6, size=(n, 6)) + y[:, None]
        return X, y

    X, y = data(20_000)
    resample(X[::99], y[::99])  # compile the kernels
    tracemalloc.start()
    X_res, _y_res, _ = resample(X, y, sampling_strategy={0: 10_000, 1: 15_000})
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(X_res) == 25_000
    assert peak < 8 * X_res.nbytes  # ~5x measured; 10,000² float64: 800 MB

    X_small, y_small = data(2_000)
    tracemalloc.start()
    ImbSMOTEN(random_state=0, sampling_strategy={0: 1_000, 1: 1_500}).fit_resample(
        X_small, y_small
    )
    peer_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peer_peak > 1_000**2 * 8  # at least one class-by-class matrix


def test_vdm_matches_imblearn_and_neighbours_are_exact_for_multiclass():
    frame, y = categorical_data(n=240, n_features=4, seed=3)
    codes = OrdinalEncoder(dtype=np.int64).fit_transform(frame)
    sampler = SMOTEN(k_neighbors=4, random_state=0, sampling_strategy="all")
    _X_res, y_res = sampler.fit_resample(codes, y)
    p, n = sampler.provenance_, len(y)
    for cls in range(3):
        rows = np.flatnonzero(y == cls)
        table = vdm_neighbors(codes, y, rows, 4)
        mine = np.flatnonzero(y_res[n:] == cls)
        seeds = np.searchsorted(rows, p.parent[mine])
        assert all(
            set(p.copied_from[j]) <= set(rows[table[s]])
            for j, s in zip(mine, seeds, strict=True)
        )


@pytest.mark.parametrize("container", ["csr", "csc", "pandas-sparse", "list"])
def test_sparse_and_list_inputs_without_warning(container):
    frame, y = categorical_data()
    codes = OrdinalEncoder(dtype=np.float64).fit_transform(frame)
    reference, _, _ = resample(codes, y)
    if container == "list":
        X_in = codes.tolist()
    elif container == "pandas-sparse":
        X_in = pd.DataFrame.sparse.from_spmatrix(sparse.csr_matrix(codes))
    else:
        X_in = getattr(sparse, f"{container}_matrix")(codes)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        X_res, _, _ = resample(X_in, y)
    if sparse.issparse(X_in):
        assert X_res.format == X_in.format
        X_res = X_res.toarray()
    elif container == "pandas-sparse":
        assert all(isinstance(dt, pd.SparseDtype) for dt in X_res.dtypes)
        X_res = X_res.sparse.to_dense().to_numpy()
    assert_array_equal(np.asarray(X_res), reference)


def test_frame_dtypes_kept_and_missing_values_are_a_category():
    frame, y = categorical_data()
    frame["f0"] = pd.Categorical(frame["f0"])
    frame["f1"] = frame["f1"].astype("string")
    frame["flag"] = frame["f2"] == "c"
    frame.loc[frame.index[y == 1][:40], "f2"] = None
    X_res, _, sampler = resample(frame, y)
    assert X_res.dtypes.to_dict() == frame.dtypes.to_dict()
    pd.testing.assert_frame_equal(X_res.iloc[: len(y)], frame, check_exact=True)
    new = X_res.iloc[len(y) :]
    assert new["f2"].isna().any()
    for j, column in enumerate(frame.columns):
        copied = frame[column].iloc[sampler.provenance_.copied_from[:, j]]
        assert_array_equal(new[column].to_numpy(), copied.to_numpy())


def test_ordinal_encoder_and_neighbour_estimators():
    frame, y = categorical_data()
    reference, _, _ = resample(frame, y)
    X_res, _, sampler = resample(frame, y, categorical_encoder=OrdinalEncoder())
    pd.testing.assert_frame_equal(X_res, reference)
    assert [len(c) for c in sampler.categorical_encoder_.categories_] == [5, 6, 7]
    same, _, _ = resample(frame, y, k_neighbors=ExactNeighbors(6, algorithm="kd_tree"))
    pd.testing.assert_frame_equal(same, reference)
    # any other estimator gets imbalanced-learn's precomputed VDM matrix
    X_nn, _, sampler = resample(frame, y, k_neighbors=NearestNeighbors(n_neighbors=6))
    assert sampler.nn_k_.metric == "precomputed"
    assert X_nn.shape == reference.shape
    for j in range(3):
        cls = y[sampler.provenance_.parent]
        assert (y[sampler.provenance_.copied_from[:, j]] == cls).all()


class _KnnWithoutMetric:
    """A duck-typed neighbours estimator with no ``metric`` parameter."""

    def __init__(self, n_neighbors=6):
        self.n_neighbors = n_neighbors

    def get_params(self, deep=True):
        return {"n_neighbors": self.n_neighbors}

    def set_params(self, **params):
        self.__dict__.update(params)
        return self

    def fit(self, X):
        self._nn = NearestNeighbors(n_neighbors=self.n_neighbors).fit(X)
        return self

    def kneighbors(self, X=None, n_neighbors=None, return_distance=True):
        return self._nn.kneighbors(X, n_neighbors, return_distance)


@pytest.mark.parametrize(
    ("estimator", "message"),
    [
        (ApproximateNeighbors(n_neighbors=6), "ApproximateNeighbors has none."),
        (_KnnWithoutMetric(), "_KnnWithoutMetric has none."),
        (
            NearestNeighbors(n_neighbors=6, algorithm="kd_tree"),
            "which NearestNeighbors(algorithm='kd_tree') cannot take; use "
            "algorithm='brute' or 'auto'",
        ),
    ],
)
def test_an_estimator_that_cannot_search_vdm_distances_is_refused(estimator, message):
    # its rows of distances would otherwise be taken for points
    frame, y = categorical_data()
    with pytest.raises(TypeError, match=r"^The 'k_neighbors' parameter of SMOTEN") as e:
        SMOTEN(k_neighbors=estimator, random_state=0).fit_resample(frame, y)
    assert message in str(e.value)


def test_default_encoder_matches_imblearns_categories():
    frame, y = categorical_data()
    ours = SMOTEN(random_state=0)
    ours.fit_resample(frame, y)
    theirs = ImbSMOTEN(random_state=0)
    theirs.fit_resample(frame, y)
    for mine, peer in zip(
        ours.categorical_encoder_.categories_,
        theirs.categorical_encoder_.categories_,
        strict=True,
    ):
        assert_array_equal(mine, peer)
    assert ours.categorical_encoder_.dtype == np.int32


def test_positional_encoder_like_imblearn_and_errors():
    frame, y = categorical_data()
    assert SMOTEN(OrdinalEncoder()).get_params()["categorical_encoder"] is not None
    with pytest.raises(ValueError, match=r"class 2 has 30\. Lower k_neighbors"):
        SMOTEN(k_neighbors=30).fit_resample(frame, y)
    with pytest.raises(ValueError, match="categorical_encoder"):
        SMOTEN(categorical_encoder="ordinal").fit_resample(frame, y)


@pytest.mark.parametrize("sparse_output", [True, False])
def test_encoder_giving_more_columns_than_features_is_refused(sparse_output):
    # a one-hot encoding has one column per category: read as codes, it
    # would index past the categorical columns (imbalanced-learn refuses it)
    frame, y = categorical_data()
    encoder = OneHotEncoder(sparse_output=sparse_output)
    with pytest.raises(ValueError, match=r"SMOTEN requires the `categorical_encoder` "
                       r"to encode each categorical feature as one column of category "
                       r"codes \(like OrdinalEncoder\); OneHotEncoder turned 3 "
                       r"feature\(s\) of \d+ rows into 18 column\(s\)"):  # fmt: skip
        SMOTEN(encoder, random_state=0).fit_resample(frame, y)
    with pytest.raises(TypeError):
        ImbSMOTEN(OneHotEncoder(), random_state=0).fit_resample(frame, y)
