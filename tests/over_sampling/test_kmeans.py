"""KMeansSMOTE-specific behaviour (common checks live in tests/test_common.py)."""

import math
from collections import Counter
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from imblearn.over_sampling import KMeansSMOTE as ImbKMeansSMOTE
from reference_knn import nearest_others
from scipy import sparse
from scipy.spatial.distance import pdist
from sklearn.base import BaseEstimator
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.datasets import make_classification

from smotekit import SMOTE, KMeansSMOTE, _blocks, _threads
from smotekit.over_sampling import _kmeans
from smotekit.over_sampling._kmeans import (
    allocate_by_weight,
    auto_density_exponent,
    mean_pairwise_distance,
)

SETTINGS = settings(max_examples=60, deadline=None)

# ------------------------------------------------------------------ helpers


@pytest.fixture
def data():
    """Binary data, 108 of 1,000 in the minority."""
    return make_classification(
        n_samples=1000,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        weights=[0.9],
        random_state=0,
    )


def five_percent_minority():
    """Ordinary data on which imbalanced-learn's 'auto' threshold fails."""
    return make_classification(
        n_samples=2000, n_features=10, weights=[0.95], random_state=0
    )


def duplicated_minority(n_spots=1):
    """A spread majority and a minority made of copies of ``n_spots`` points."""
    rng = np.random.default_rng(0)
    spots = np.array([[4.0, 4.0], [-4.0, 4.0], [4.0, -4.0]])[:n_spots]
    minority = np.repeat(spots, 10, axis=0)
    X = np.vstack([rng.normal(0, 1, (100, 2)), minority])
    return X, np.array([0] * 100 + [1] * len(minority))


def reference_clusters(sampler, y, cls, threshold, k):
    """Kept clusters (label → rows of the class), by the documented rule."""
    labels = sampler.kmeans_estimator_.labels_
    kept = {}
    for c in np.unique(labels):
        members = labels == c
        rows = np.flatnonzero(members & (y == cls))
        if rows.size / members.sum() >= threshold and rows.size >= k + 1:
            kept[c] = rows
    return kept


def rows_per_cluster(sampler, n_clusters):
    labels = sampler.kmeans_estimator_.labels_
    return np.bincount(labels[sampler.provenance_.parent], minlength=n_clusters)


class FitPredictOnly(BaseEstimator):
    """A clustering with fit and predict only: the sign of the first feature."""

    def fit(self, X, y=None):
        self.n_fits_ = getattr(self, "n_fits_", 0) + 1
        return self

    def predict(self, X):
        return (np.asarray(X)[:, 0] > 0).astype(int)


# ------------------------------------------------- known defects of the peer


def test_exact_counts_where_imblearns_ceiling_overshoots(data):
    X, y = data
    params = {"kmeans_estimator": 5, "cluster_balance_threshold": 0.05}
    theirs = [
        Counter(ImbKMeansSMOTE(random_state=s, **params).fit_resample(X, y)[1].tolist())
        for s in range(3)
    ]
    assert all(c[1] > 892 for c in theirs)  # 893 or 894 for 892

    for seed in range(3):
        _, y_res = KMeansSMOTE(random_state=seed, **params).fit_resample(X, y)
        assert Counter(y_res.tolist()) == {0: 892, 1: 892}


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")
def test_identical_minority_samples_do_not_crash_where_imblearn_does():
    # imbalanced-learn #1186: 0 / 0 weights, "cannot convert float NaN"
    X, y = duplicated_minority()
    params = {"kmeans_estimator": 3, "cluster_balance_threshold": 0.1}
    with pytest.raises(ValueError, match="NaN"):
        ImbKMeansSMOTE(random_state=0, **params).fit_resample(X, y)

    sampler = KMeansSMOTE(random_state=0, **params)
    X_res, y_res = sampler.fit_resample(X, y)
    assert Counter(y_res.tolist()) == {0: 100, 1: 100}
    assert np.isfinite(X_res).all()
    np.testing.assert_array_equal(X_res[110:], np.full((90, 2), 4.0))


def test_clusters_of_identical_samples_share_by_their_size():
    X, y = duplicated_minority(n_spots=3)
    sampler = KMeansSMOTE(
        random_state=0, kmeans_estimator=4, cluster_balance_threshold=0.1
    )
    _, y_res = sampler.fit_resample(X, y)
    assert Counter(y_res.tolist()) == {0: 100, 1: 100}
    # three clusters of 10 identical samples each: 70 new samples, 24/23/23
    counts = sorted(Counter(map(tuple, X[sampler.provenance_.parent])).values())
    assert counts == [23, 23, 24]


def test_a_cluster_of_identical_samples_gets_nothing_beside_a_spread_one():
    rng = np.random.default_rng(1)
    X, y = duplicated_minority()
    X = np.vstack([X, rng.normal([-4.0, -4.0], 0.5, (10, 2))])
    y = np.concatenate([y, np.ones(10, dtype=int)])
    sampler = KMeansSMOTE(
        random_state=0, kmeans_estimator=4, cluster_balance_threshold=0.1
    )
    _, y_res = sampler.fit_resample(X, y)
    assert Counter(y_res.tolist()) == {0: 100, 1: 100}
    assert (X[sampler.provenance_.parent, 0] < 0).all()  # all from the spread one


def test_auto_threshold_works_where_imblearns_fails():
    X, y = five_percent_minority()
    with pytest.raises(RuntimeError, match="No clusters found"):
        ImbKMeansSMOTE(random_state=0).fit_resample(X, y)

    sampler = KMeansSMOTE(random_state=0)
    _, y_res = sampler.fit_resample(X, y)
    n_min = (y == 1).sum()
    assert Counter(y_res.tolist()) == {0: 2000 - n_min, 1: 2000 - n_min}
    assert sampler.cluster_balance_threshold_ == {1: n_min / 2000}


# ------------------------------------------------------------- the method


def test_one_cluster_is_smote():
    # imbalanced-learn's test: one cluster and threshold 0 equals SMOTE
    X, y = make_classification(
        n_samples=300,
        n_features=5,
        weights=[0.6, 0.3],
        n_classes=3,
        n_informative=3,
        random_state=4,
    )
    for seed in range(3):
        sampler = KMeansSMOTE(
            random_state=seed,
            kmeans_estimator=1,
            cluster_balance_threshold=0.0,
            k_neighbors=5,
        )
        ours = sampler.fit_resample(X, y)[0]
        smote = SMOTE(random_state=seed, k_neighbors=5).fit_resample(X, y)[0]
        assert ours.tobytes() == smote.tobytes()
        assert sampler.cluster_balance_threshold_ == -np.inf


@pytest.mark.parametrize("threshold", ["auto", 0.15])
def test_rows_grow_inside_the_kept_clusters_only(data, threshold):
    X, y = data
    sampler = KMeansSMOTE(
        random_state=0, kmeans_estimator=6, cluster_balance_threshold=threshold
    )
    sampler.fit_resample(X, y)
    share = (y == 1).mean() if threshold == "auto" else threshold
    kept = reference_clusters(sampler, y, 1, share, 2)
    assert 1 < len(kept) < 6  # the filter does something on this data
    labels = sampler.kmeans_estimator_.labels_
    p = sampler.provenance_
    assert set(labels[p.parent].tolist()) <= set(kept)
    # the neighbour is one of the parent's 2 nearest samples of the class in
    # its cluster
    for c, rows in kept.items():
        in_c = labels[p.parent] == c
        table = nearest_others(X, p.parent[in_c], 2, rows)
        assert (table == p.neighbor[in_c, None]).any(axis=1).all()


def test_clusters_share_the_rows_by_sparsity(data):
    X, y = data
    sampler = KMeansSMOTE(
        random_state=1, kmeans_estimator=6, cluster_balance_threshold=0.05
    )
    sampler.fit_resample(X, y)
    kept = reference_clusters(sampler, y, 1, 0.05, 2)
    exponent = math.log(4, 1.6) ** 1.8 * 0.16  # 4 features
    weights = [
        np.mean(pdist(X[rows])) ** exponent / rows.size for rows in kept.values()
    ]
    expected = allocate_by_weight(weights, 892 - 108)
    got = rows_per_cluster(sampler, 6)[list(kept)]
    np.testing.assert_array_equal(got, expected)
    assert len(set(got.tolist())) > 1  # the weights differ


def test_density_exponent_is_used(data):
    X, y = data
    params = {"random_state": 1, "kmeans_estimator": 6, "cluster_balance_threshold": 0}
    flat = KMeansSMOTE(density_exponent=0.0, **params)
    flat.fit_resample(X, y)
    kept = reference_clusters(flat, y, 1, 0.0, 2)
    # exponent 0: the sparsity is 1 / n, whatever the distances
    expected = allocate_by_weight([1 / r.size for r in kept.values()], 784)
    np.testing.assert_array_equal(rows_per_cluster(flat, 6)[list(kept)], expected)
    steep = KMeansSMOTE(density_exponent=8.0, **params)
    steep.fit_resample(X, y)
    assert not np.array_equal(rows_per_cluster(steep, 6), rows_per_cluster(flat, 6))


def test_auto_density_exponent_counts_features():
    assert auto_density_exponent(1) == 0.0
    assert auto_density_exponent(10) == pytest.approx(2.7946, abs=1e-4)
    assert auto_density_exponent(100) > auto_density_exponent(10)


def test_multiclass_threshold_is_each_class_share():
    X, y = make_classification(
        n_samples=900,
        n_features=5,
        n_informative=4,
        n_redundant=0,
        n_classes=3,
        weights=[0.6, 0.3],
        random_state=1,
    )
    sampler = KMeansSMOTE(random_state=0, sampling_strategy="all")
    _, y_res = sampler.fit_resample(X, y)
    counts = np.bincount(y)
    assert set(Counter(y_res.tolist()).values()) == {counts.max()}
    assert sampler.cluster_balance_threshold_ == {
        c: counts[c] / 900 for c in (0, 1, 2) if counts[c] < counts.max()
    }


def test_kmeans_is_fitted_once_per_call(data):
    X, y = data
    sampler = KMeansSMOTE(
        random_state=0, kmeans_estimator=FitPredictOnly(), sampling_strategy="all"
    )
    sampler.fit_resample(X, y)
    assert sampler.kmeans_estimator_.n_fits_ == 1


# -------------------------------------------------------- the estimator


def test_kmeans_estimator_forms(data):
    X, y = data
    default = KMeansSMOTE(random_state=0, cluster_balance_threshold=0.05)
    default.fit_resample(X, y)
    assert isinstance(default.kmeans_estimator_, MiniBatchKMeans)
    assert default.kmeans_estimator_.n_clusters == 8
    seed = default.kmeans_estimator_.random_state
    assert isinstance(seed, int)

    by_int = KMeansSMOTE(random_state=0, kmeans_estimator=8)
    by_int.set_params(cluster_balance_threshold=0.05)
    assert (
        by_int.fit_resample(X, y)[0].tobytes()
        == default.fit_resample(X, y)[0].tobytes()
    )
    assert by_int.kmeans_estimator_.random_state == seed

    given = KMeansSMOTE(
        random_state=0, kmeans_estimator=KMeans(n_clusters=3, random_state=7)
    )
    given.fit_resample(X, y)
    assert isinstance(given.kmeans_estimator_, KMeans)
    assert given.kmeans_estimator_.random_state == 7
    assert given.kmeans_estimator.__dict__.get("labels_") is None  # cloned


def test_clustering_without_fit_predict_or_random_state(data):
    X, y = data
    sampler = KMeansSMOTE(random_state=0, kmeans_estimator=FitPredictOnly())
    _, y_res = sampler.fit_resample(X, y)
    assert Counter(y_res.tolist()) == {0: 892, 1: 892}
    assert sampler.cluster_balance_threshold_ == {1: 0.108}


def test_result_is_block_free_and_sparse_equals_dense(data, monkeypatch):
    X, y = data
    params = {
        "random_state": 5,
        "kmeans_estimator": 5,
        "cluster_balance_threshold": 0.05,
    }
    reference = KMeansSMOTE(**params).fit_resample(X, y)[0]
    from_sparse = KMeansSMOTE(**params).fit_resample(sparse.csr_matrix(X), y)[0]
    np.testing.assert_allclose(from_sparse.toarray(), reference, rtol=1e-12)
    monkeypatch.setattr(_blocks, "BLOCK_ROWS", 13)
    assert KMeansSMOTE(**params).fit_resample(X, y)[0].tobytes() == reference.tobytes()


# ------------------------------------------------------------------ errors


def test_no_cluster_error_names_class_threshold_and_fixes(data):
    X, y = data
    sampler = KMeansSMOTE(kmeans_estimator=5, cluster_balance_threshold=0.9)
    with pytest.raises(
        RuntimeError,
        match=r"class 1.*a share of at least 0\.9 of the cluster's samples "
        r"\(cluster_balance_threshold\)"
        r".*0 of the 5 clusters.*kmeans_estimator=<int>",
    ):
        sampler.fit_resample(X, y)


def test_no_cluster_error_with_auto_names_the_share():
    # two clusters (the sign of x): the minority is frequent enough in the
    # left one only, which holds 4 of its samples, fewer than k_neighbors + 1
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.uniform(0.1, 1, 60), -rng.uniform(0.1, 1, 40)])
    x = np.concatenate([x, [0.2, 0.4, 0.6, 0.8, -0.2, -0.4, -0.6, -0.8]])
    X = np.column_stack([x, rng.normal(size=x.size)])
    y = np.array([0] * 100 + [1] * 8)
    sampler = KMeansSMOTE(kmeans_estimator=FitPredictOnly(), k_neighbors=4)
    with pytest.raises(
        RuntimeError,
        match=r"class 1.*at least 0\.07407 of the cluster's samples \("
        r"cluster_balance_threshold='auto': the class's share of the whole data "
        r"set\).*at least 5 of "
        r"its samples.*1 of the 2 clusters pass the share test, holding at "
        r"most 4 samples",
    ):
        sampler.fit_resample(X, y)


def test_fewer_samples_than_clusters_is_named():
    X, y = np.arange(12.0).reshape(6, 2), np.array([0, 0, 0, 0, 1, 1])
    with pytest.raises(ValueError, match=r"asks for 8 clusters.*only 6 samples"):
        KMeansSMOTE(k_neighbors=1).fit_resample(X, y)


# ------------------------------------------------------------ the helpers


@SETTINGS
@given(
    X=arrays(
        np.float64,
        st.tuples(st.integers(2, 40), st.integers(1, 4)),
        elements=st.integers(-20, 20).map(float),
    ),
    block=st.integers(1, 5),
)
def test_mean_pairwise_distance_is_the_mean_over_pairs(X, block):
    expected = float(np.mean(pdist(X)))
    direct = mean_pairwise_distance(X)
    assert direct == pytest.approx(expected, rel=1e-12, abs=1e-12)
    # the blocked dot-product path (wide or sparse data), blocks of 1-5 rows
    with mock.patch.object(_kmeans, "DIRECT_MAX_FEATURES", 0):
        blocked = mean_pairwise_distance(X, block_bytes=block * 8 * X.shape[0])
    assert blocked == pytest.approx(expected, rel=1e-9, abs=1e-9)
    from_sparse = mean_pairwise_distance(sparse.csr_matrix(X), block_bytes=64)
    assert from_sparse == pytest.approx(expected, rel=1e-9, abs=1e-6)
    if (X == X[0]).all():
        assert direct == blocked == from_sparse == 0.0


def test_mean_pairwise_distance_does_not_depend_on_the_cores():
    X = np.random.default_rng(0).standard_normal((700, 3))
    reference = mean_pairwise_distance(X)
    assert reference == pytest.approx(np.mean(pdist(X)), rel=1e-12)
    for cores in (1, 3, 8):
        with mock.patch.object(_threads, "n_cores", return_value=cores):
            assert mean_pairwise_distance(X) == reference


@SETTINGS
@given(
    weights=st.lists(st.floats(0, 1e6), min_size=1, max_size=12).filter(
        lambda w: sum(w) > 0
    ),
    total=st.integers(0, 10**7),
)
def test_allocation_is_exact_and_within_one_of_the_quota(weights, total):
    parts = allocate_by_weight(weights, total)
    assert parts.sum() == total
    quotas = np.asarray(weights) / sum(weights) * total
    assert (parts >= np.floor(quotas) - 1e-9).all()
    assert (parts <= np.floor(quotas) + 1).all()


def _sparse_rows():
    rng = np.random.default_rng(2)
    dense = rng.normal(size=(80, 6)) * (rng.random((80, 6)) < 0.5)
    return dense, np.array([0] * 55 + [1] * 17 + [2] * 8)


def _split_entries(dense):
    """``dense`` as CSR with every value stored as two halves (repeats kept)."""
    coo = sparse.coo_matrix(dense)
    order = np.argsort(np.concatenate([coo.row, coo.row]), kind="stable")
    counts = np.bincount(coo.row, minlength=dense.shape[0]) * 2
    data = np.concatenate([coo.data / 2, coo.data - coo.data / 2])[order]
    cols = np.concatenate([coo.col, coo.col])[order]
    indptr = np.concatenate([[0], np.cumsum(counts)])
    return sparse.csr_matrix((data, cols, indptr), shape=dense.shape)


def _read_only(X):
    X = sparse.csr_matrix(X, copy=True)
    for name in ("data", "indices", "indptr"):
        getattr(X, name).setflags(write=False)
    return X


@pytest.mark.parametrize(
    "store", [_split_entries, _read_only, sparse.csc_matrix],
    ids=["repeated-entries", "read-only", "csc"],
)  # fmt: skip
def test_sparse_storage_does_not_change_the_clusters(store):
    # the same matrix stored with repeated entries, in read-only buffers (as
    # joblib hands them to parallel fits) or as CSC resamples as dense data
    dense, y = _sparse_rows()
    X = store(dense)
    np.testing.assert_array_equal(X.toarray(), dense)

    def run(data):
        sampler = KMeansSMOTE(random_state=1, cluster_balance_threshold=0.0)
        X_res, y_res = sampler.fit_resample(data, y)
        return (X_res.toarray() if sparse.issparse(X_res) else X_res), y_res

    X_res, y_res = run(X)
    expected_X, expected_y = run(dense)
    np.testing.assert_array_equal(X_res, expected_X)
    np.testing.assert_array_equal(y_res, expected_y)
    if store is _read_only:
        assert not X.data.flags.writeable  # the caller's matrix is untouched


@pytest.mark.parametrize("power", [600, -700])
def test_clusters_found_at_any_power_of_two_scale(power):
    # at 2**600 k-means's squared distances overflow, at 2**-700 they
    # underflow: every point fell in one cluster, silently
    rng = np.random.RandomState(0)
    blob = rng.randn(30, 2)
    X = np.vstack([blob, blob + 8])
    y = np.array(([0] * 20 + [1] * 10) * 2)
    plain = KMeansSMOTE(kmeans_estimator=2, random_state=0)
    X_plain, _ = plain.fit_resample(X, y)
    scaled = KMeansSMOTE(kmeans_estimator=2, random_state=0)
    X_scaled, _ = scaled.fit_resample(np.ldexp(X, power), y)
    assert np.bincount(scaled.kmeans_estimator_.labels_).tolist() == [30, 30]
    np.testing.assert_array_equal(np.ldexp(X_scaled, -power), X_plain)
