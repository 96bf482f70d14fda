"""SVMSMOTE-specific behaviour (common checks live in tests/test_common.py)."""

from collections import Counter

import numpy as np
import pytest
from imblearn.over_sampling import SVMSMOTE as ImbSVMSMOTE
from reference_knn import nearest_others
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_blobs, make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import NearestNeighbors
from sklearn.svm import SVC

from smotekit import SVMSMOTE, _blocks
from smotekit.over_sampling import _svm

# ------------------------------------------------------------------ helpers


def reference_seeds(X, y, cls, m=10):
    """imbalanced-learn's seeds: SVC support vectors of the class, noise removed;
    and those in danger."""
    svc = SVC(gamma="scale").fit(X, y)
    support = np.sort(svc.support_[y[svc.support_] == cls])
    n_other = (y[nearest_others(X, support, m, np.arange(len(y)))] != cls).sum(1)
    keep = n_other < m
    danger = keep & (2 * n_other >= m)
    return support[keep], support[danger]


def separated_blobs():
    """Two far-apart classes: no support vector of the minority is in danger."""
    return make_blobs([600, 100], centers=[(0, 0), (8, 8)], random_state=0)


@pytest.fixture
def data():
    """Overlapping binary data, 10% minority."""
    return make_classification(
        n_samples=800,
        n_features=5,
        n_informative=3,
        weights=[0.9],
        class_sep=0.8,
        random_state=3,
    )


@pytest.fixture
def multiclass():
    return make_classification(
        n_samples=900,
        n_features=5,
        n_informative=4,
        n_redundant=0,
        n_classes=3,
        weights=[0.6, 0.3],
        random_state=1,
    )


def blob_rows(n, seed=0):
    """Overlapping Gaussian clusters (the benchmark's data), 10% minority."""
    rng = np.random.default_rng(seed)
    y = np.zeros(n, dtype=np.int64)
    y[rng.permutation(n)[: n // 10]] = 1
    centres = rng.choice([-1.0, 1.0], size=(2, 2, 5))
    X = rng.standard_normal((n, 8))
    X[:, :5] += centres[y, rng.integers(0, 2, size=n)]
    return X, y


class SupportOfClassZero(ClassifierMixin, BaseEstimator):
    """A stand-in SVM whose support vectors all belong to class 0."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        self.support_ = np.flatnonzero(y == 0)[:5]
        return self

    def predict(self, X):
        return np.zeros(len(X), dtype=int)


class CountingSVC(SVC):
    """SVC that records the number of rows of each fit (clones share it)."""

    fits = []

    def fit(self, X, y, sample_weight=None):
        type(self).fits.append(X.shape[0])
        return super().fit(X, y, sample_weight=sample_weight)


@pytest.fixture
def svc_fits():
    """The list of fits of every CountingSVC during the test."""
    CountingSVC.fits = []
    return CountingSVC.fits


# --------------------------------------------------------- counts (#1130)


def test_exact_counts_on_separated_blobs_where_imblearn_under_generates():
    # no support vector is in danger: imbalanced-learn makes only the "safe"
    # share (301, 267, 365 of 500 for seeds 0-2); smotekit makes all 500
    X, y = separated_blobs()
    theirs = [
        Counter(ImbSVMSMOTE(random_state=s).fit_resample(X, y)[1].tolist())[1]
        for s in range(3)
    ]
    assert all(count < 600 for count in theirs)

    for seed in range(3):
        sampler = SVMSMOTE(random_state=seed)
        _, y_res = sampler.fit_resample(X, y)
        assert Counter(y_res.tolist()) == {0: 600, 1: 600}
        assert sampler.in_danger_indices_[1].size == 0
        assert (sampler.provenance_.gap <= 0).all()  # all extrapolations


def twin_blobs():
    """Every minority sample has a majority twin next to it: every support
    vector of the minority is in danger (half its neighbours are twins)."""
    X, y = separated_blobs()
    rng = np.random.default_rng(0)
    twins = X[y == 1] + rng.normal(0, 1e-3, (100, 2))
    return np.vstack([X, twins]), np.concatenate([y, np.zeros(100, dtype=int)])


def test_only_danger_seeds_means_only_interpolation():
    # imbalanced-learn then makes only its Beta share of the rows
    X, y = twin_blobs()
    target = Counter(y.tolist())[0]
    theirs = Counter(ImbSVMSMOTE(random_state=0).fit_resample(X, y)[1].tolist())
    assert theirs[1] < target

    sampler = SVMSMOTE(random_state=0)
    _, y_res = sampler.fit_resample(X, y)
    seeds = sampler.support_indices_[1]
    np.testing.assert_array_equal(sampler.in_danger_indices_[1], seeds)
    assert Counter(y_res.tolist())[1] == target
    assert (sampler.provenance_.gap >= 0).all()


def test_danger_share_follows_a_beta_10_10_draw(data):
    X, y = data
    shares = []
    for seed in range(40):
        sampler = SVMSMOTE(random_state=seed)
        sampler.fit_resample(X, y)
        p = sampler.provenance_
        danger = np.isin(p.parent, sampler.in_danger_indices_[1])
        # danger rows first, then safe rows
        assert not danger[np.argmin(danger) :].any()
        shares.append(danger.mean())
    # Beta(10, 10): mean 0.5, sd 0.109
    assert abs(np.mean(shares) - 0.5) < 0.06
    assert 0.05 < np.std(shares) < 0.17


# ------------------------------------------------------------ the method


def test_seeds_are_imbalanced_learns_support_vectors_without_noise(data):
    X, y = data
    sampler = SVMSMOTE(random_state=0)
    sampler.fit_resample(X, y)
    seeds, danger = reference_seeds(X, y, 1)
    np.testing.assert_array_equal(np.sort(sampler.support_indices_[1]), seeds)
    np.testing.assert_array_equal(np.sort(sampler.in_danger_indices_[1]), danger)
    assert 0 < danger.size < seeds.size  # both groups are exercised


def test_rows_interpolate_from_danger_and_extrapolate_from_safe_seeds(data):
    X, y = data
    sampler = SVMSMOTE(random_state=1, out_step=0.3)
    X_res, _ = sampler.fit_resample(X, y)
    p = sampler.provenance_
    danger = np.isin(p.parent, sampler.in_danger_indices_[1])
    assert np.isin(p.parent, sampler.support_indices_[1]).all()
    assert ((p.gap[danger] >= 0) & (p.gap[danger] < 1)).all()
    assert ((p.gap[~danger] > -0.3) & (p.gap[~danger] <= 0)).all()
    # the neighbour is one of the seed's 5 nearest samples of its class
    minority = np.flatnonzero(y == 1)
    table = nearest_others(X, p.parent, 5, minority)
    assert (table == p.neighbor[:, None]).any(axis=1).all()
    # a safe row lies beyond its seed, away from the neighbour
    moved = X_res[len(y) :] - X[p.parent]
    away = X[p.parent] - X[p.neighbor]
    assert ((moved * away).sum(axis=1)[~danger] >= 0).all()


def test_out_step_zero_copies_the_safe_seeds(data):
    X, y = data
    sampler = SVMSMOTE(random_state=0, out_step=0.0)
    X_res, _ = sampler.fit_resample(X, y)
    p = sampler.provenance_
    safe = ~np.isin(p.parent, sampler.in_danger_indices_[1])
    assert safe.any()
    np.testing.assert_array_equal(X_res[len(y) :][safe], X[p.parent[safe]])


def test_defaults_equal_explicit_estimators(data):
    # imbalanced-learn's test: int k means k + 1 neighbours, the default SVM
    # is SVC(gamma='scale')
    X, y = data
    default = SVMSMOTE(random_state=0).fit_resample(X, y)[0]
    explicit = SVMSMOTE(
        random_state=0,
        k_neighbors=NearestNeighbors(n_neighbors=6),
        m_neighbors=NearestNeighbors(n_neighbors=11),
        svm_estimator=SVC(gamma="scale"),
    ).fit_resample(X, y)[0]
    np.testing.assert_array_equal(default, explicit)


def test_fitted_attributes(data):
    X, y = data
    sampler = SVMSMOTE(random_state=0, k_neighbors=3, m_neighbors=7)
    sampler.fit_resample(X, y)
    assert isinstance(sampler.svm_estimator_, SVC)
    assert sampler.svm_estimator_.support_.size > 0
    assert sampler.nn_k_.n_neighbors == 4
    assert sampler.nn_m_.n_neighbors == 8
    assert sampler.nn_m_.n_samples_fit_ == len(y)
    assert sampler.nn_k_.n_samples_fit_ == (y == 1).sum()
    assert sampler.svm_estimator is None  # the parameter is not touched


def test_one_svm_fit_per_call_for_every_class(multiclass, svc_fits):
    X, y = multiclass
    sampler = SVMSMOTE(
        sampling_strategy="all", random_state=0, svm_estimator=CountingSVC()
    )
    _, y_res = sampler.fit_resample(X, y)
    assert svc_fits == [len(y)]
    assert set(Counter(y_res.tolist()).values()) == {max(np.bincount(y))}


def test_svm_random_state_is_derived_from_the_seed_unless_given(data):
    X, y = data
    first = SVMSMOTE(random_state=0)
    first.fit_resample(X, y)
    seed = first.svm_estimator_.random_state
    assert isinstance(seed, int)
    again = SVMSMOTE(random_state=0)
    again.fit_resample(X, y)
    assert again.svm_estimator_.random_state == seed
    given = SVMSMOTE(random_state=0, svm_estimator=SVC(random_state=5))
    given.fit_resample(X, y)
    assert given.svm_estimator_.random_state == 5


# ------------------------------------------------------------------ errors


def test_estimator_without_support_vectors_is_rejected(data):
    X, y = data
    sampler = SVMSMOTE(svm_estimator=LogisticRegression())
    with pytest.raises(RuntimeError, match=r"'support_'.*LogisticRegression has none"):
        sampler.fit_resample(X, y)


def test_class_without_support_vectors_is_named(data):
    X, y = data
    sampler = SVMSMOTE(svm_estimator=SupportOfClassZero())
    with pytest.raises(ValueError, match=r"no support vector of class 1.*another"):
        sampler.fit_resample(X, y)


def test_all_support_vectors_noise_is_named():
    # each minority sample sits alone inside a dense majority cluster
    rng = np.random.default_rng(0)
    centres = np.arange(6)[:, None] * np.array([[10.0, 0.0]])
    majority = np.vstack([c + rng.normal(0, 0.3, (40, 2)) for c in centres])
    X = np.vstack([majority, centres + 0.01])
    y = np.array([0] * len(majority) + [1] * 6)
    sampler = SVMSMOTE(k_neighbors=2, svm_estimator=SVC(C=100.0))
    with pytest.raises(ValueError, match=r"considered as noise.*class 1"):
        sampler.fit_resample(X, y)


def test_too_few_samples_for_k_names_the_parameter():
    X, y = make_blobs([40, 4], centers=[(0, 0), (1, 1)], random_state=0)
    with pytest.raises(ValueError, match=r"'k_neighbors'.*class 1.*has 4"):
        SVMSMOTE(k_neighbors=5).fit_resample(X, y)


# -------------------------------------------------------------- large data


@pytest.fixture
def small_fit_rows(monkeypatch):
    """Make 'large' mean more than 1,500 rows, so tests stay fast."""
    monkeypatch.setattr(_svm, "SVM_FIT_ROWS", 1_500)


def test_large_data_fits_the_svm_on_a_stratified_sample(small_fit_rows, svc_fits):
    X, y = blob_rows(6_000)
    sampler = SVMSMOTE(random_state=0, svm_estimator=CountingSVC())
    _, y_res = sampler.fit_resample(X, y)
    assert len(svc_fits) == 1 and svc_fits[0] <= 1_500 + 200
    assert Counter(y_res.tolist()) == {0: 5_400, 1: 5_400}
    # the SVM saw 200 minority rows (1,500 * 10% = 150, raised to the floor
    # of 200); the seeds come from all 600, through the margin test
    seeds = sampler.support_indices_[1]
    assert seeds.size > 200
    assert (y[seeds] == 1).all()


def test_large_data_seeds_are_a_close_proxy_of_the_full_fit(monkeypatch):
    X, y = blob_rows(6_000)
    full = SVMSMOTE(random_state=0)
    full.fit_resample(X, y)  # 6,000 rows: fitted on every row
    monkeypatch.setattr(_svm, "SVM_FIT_ROWS", 2_000)
    for seed in range(3):
        approx = SVMSMOTE(random_state=seed)
        approx.fit_resample(X, y)
        for attr, precision in [
            ("in_danger_indices_", 0.97),
            ("support_indices_", 0.85),
        ]:
            exact = set(getattr(full, attr)[1].tolist())
            found = set(getattr(approx, attr)[1].tolist())
            assert len(exact & found) / len(exact) >= 0.97, attr
            assert len(exact & found) / len(found) >= precision, attr


def test_large_data_result_is_deterministic_and_block_free(small_fit_rows, monkeypatch):
    X, y = blob_rows(4_000)
    X_ref, _ = SVMSMOTE(random_state=3).fit_resample(X, y)
    X_again, _ = SVMSMOTE(random_state=3).fit_resample(X, y)
    assert X_ref.tobytes() == X_again.tobytes()
    monkeypatch.setattr(_blocks, "BLOCK_ROWS", 97)
    X_blocks, _ = SVMSMOTE(random_state=3).fit_resample(X, y)
    assert X_blocks.tobytes() == X_ref.tobytes()
    X_sparse, _ = SVMSMOTE(random_state=3).fit_resample(sparse.csr_matrix(X), y)
    np.testing.assert_allclose(X_sparse.toarray(), X_ref, rtol=1e-12, atol=1e-12)


def test_large_multiclass_data_uses_one_vs_one_margins(small_fit_rows, multiclass):
    X, y = make_classification(
        n_samples=4_000,
        n_features=6,
        n_informative=4,
        n_classes=3,
        weights=[0.7, 0.2],
        random_state=2,
    )
    svc = SVC(decision_function_shape="ovr")
    sampler = SVMSMOTE(random_state=0, svm_estimator=svc)
    _, y_res = sampler.fit_resample(X, y)
    assert set(Counter(y_res.tolist()).values()) == {max(np.bincount(y))}
    # the user's setting is restored on the fitted machine
    assert sampler.svm_estimator_.decision_function_shape == "ovr"
    assert sampler.svm_estimator_.decision_function(X[:3]).shape == (3, 3)
    for cls in (1, 2):
        seeds = sampler.support_indices_[cls]
        assert (y[seeds] == cls).all() and seeds.size > 0


@pytest.mark.parametrize("kind", ["binary", "multiclass"])
def test_support_vector_mask_matches_libsvm_support_vectors(data, multiclass, kind):
    X, y = data if kind == "binary" else multiclass
    svc = SVC(decision_function_shape="ovo").fit(X, y)
    is_support = np.zeros(len(y), dtype=bool)
    is_support[svc.support_] = True
    decision = svc.decision_function(X)
    for cls in svc.classes_:
        rows = np.flatnonzero(y == cls)
        mask = _svm.support_vector_mask(decision[rows], svc.classes_, cls)
        # every support vector passes; the solver's tolerance lets a rare
        # sample sitting on the margin pass too
        assert not (is_support[rows] & ~mask).any()
        assert (mask & ~is_support[rows]).sum() <= 0.01 * rows.size
