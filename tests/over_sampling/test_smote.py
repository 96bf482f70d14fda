"""SMOTE-specific behaviour (the common checks live in tests/test_common.py)."""

from collections import Counter

import numpy as np
import pytest
from imblearn.over_sampling import SMOTE as ImbSMOTE
from imblearn.pipeline import make_pipeline
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import NearestNeighbors

from smotekit import SMOTE, ExactNeighbors


@pytest.fixture
def data():
    X, y = make_classification(
        n_samples=600,
        n_features=6,
        n_informative=4,
        weights=[0.8, 0.15],
        n_classes=3,
        n_clusters_per_class=1,
        random_state=7,
    )
    return X, y


def test_neighbour_estimator_object_gives_the_same_rows_as_an_int(data):
    X, y = data
    by_int = SMOTE(k_neighbors=4, random_state=3).fit_resample(X, y)[0]
    sampler = SMOTE(k_neighbors=NearestNeighbors(n_neighbors=5), random_state=3)
    by_object = sampler.fit_resample(X, y)[0]
    np.testing.assert_array_equal(by_object, by_int)
    assert isinstance(sampler.nn_k_, NearestNeighbors)
    assert sampler.nn_k_.n_neighbors == 5
    assert sampler.k_neighbors.__dict__.get("n_samples_fit_") is None  # not fitted


def test_nn_k_is_the_engine_with_k_plus_one_neighbours(data):
    sampler = SMOTE(k_neighbors=3).fit(*data)
    assert not hasattr(sampler, "nn_k_")  # fit only resolves the strategy
    sampler.fit_resample(*data)
    assert isinstance(sampler.nn_k_, ExactNeighbors)
    assert sampler.nn_k_.n_neighbors == 4


def test_each_class_grows_from_its_own_samples(data):
    X, y = data
    sampler = SMOTE(random_state=0)
    _, y_res = sampler.fit_resample(X, y)
    assert set(Counter(y_res.tolist()).values()) == {max(np.bincount(y))}
    labels = y_res[len(y) :]
    p = sampler.provenance_
    assert (y[p.parent] == labels).all() and (y[p.neighbor] == labels).all()
    # classes come in sorted order, as in imbalanced-learn
    assert (np.diff(labels) >= 0).all()


def test_same_class_counts_as_imbalanced_learn(data):
    X, y = data
    for strategy in ["auto", "all", {1: 300, 2: 250}]:
        ours = SMOTE(sampling_strategy=strategy, random_state=0).fit_resample(X, y)[1]
        theirs = ImbSMOTE(sampling_strategy=strategy, random_state=0).fit_resample(X, y)
        assert Counter(ours.tolist()) == Counter(theirs[1].tolist())


def test_pair_draws_cover_every_seed_and_neighbour_column():
    rng = np.random.RandomState(0)
    X = rng.standard_normal((120, 3))
    y = np.array([0] * 100 + [1] * 20)
    sampler = SMOTE(sampling_strategy={1: 20 + 20 * 5 * 50}, random_state=1)
    sampler.fit_resample(X, y)
    pairs = Counter(
        zip(
            sampler.provenance_.parent.tolist(),
            sampler.provenance_.neighbor.tolist(),
            strict=True,
        )
    )
    assert len(pairs) == 20 * 5  # every (seed, neighbour) pair is used
    counts = np.array(list(pairs.values()))
    assert counts.min() > 20 and counts.max() < 90  # roughly uniform, mean 50


def test_random_state_instance_advances_between_calls(data):
    rs = np.random.RandomState(0)
    sampler = SMOTE(random_state=rs)
    first = sampler.fit_resample(*data)[0]
    second = sampler.fit_resample(*data)[0]
    assert not np.array_equal(first, second)
    again = SMOTE(random_state=np.random.RandomState(0)).fit_resample(*data)[0]
    np.testing.assert_array_equal(first, again)


def test_works_inside_imbalanced_learn_pipeline(data):
    X, y = data
    model = make_pipeline(SMOTE(random_state=0), LogisticRegression(max_iter=500))
    model.fit(X, y)
    assert model.predict(X).shape == (len(X),)  # no resampling at predict time
    assert model.score(X, y) > 0.8


def test_float32_stays_float32_with_float32_gaps(data):
    X, y = data
    X32 = X.astype(np.float32)
    sampler = SMOTE(random_state=0)
    X_res, _ = sampler.fit_resample(X32, y)
    p = sampler.provenance_
    assert X_res.dtype == np.float32 and p.gap.dtype == np.float32
    rebuilt = X32[p.parent] + p.gap[:, None] * (X32[p.neighbor] - X32[p.parent])
    np.testing.assert_array_equal(X_res[len(X) :], rebuilt)


def test_integer_features_are_rounded_not_truncated():
    X = np.array([[0], [3], [7], [12], [20], [30]] + [[v] for v in range(100, 124)])
    y = np.array([1] * 6 + [0] * 24)
    sampler = SMOTE(k_neighbors=2, random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    p = sampler.provenance_
    exact = X[p.parent] + p.gap[:, None] * (X[p.neighbor] - X[p.parent])
    assert X_res.dtype == X.dtype
    np.testing.assert_array_equal(X_res[len(X) :], np.rint(exact).astype(X.dtype))
    assert (np.rint(exact) != np.trunc(exact)).any()  # rounding mattered


@pytest.mark.parametrize("n_features", [3, 12])  # kd-tree and tiled searches
@pytest.mark.parametrize("power", [900, -900])
def test_extreme_magnitudes_give_the_scaled_rows(n_features, power):
    # squared distances of such values leave float64's range; scaling every
    # feature by a power of two is exact, so the synthetic rows are those of
    # the unscaled data scaled the same way (once a crash or a neighbour
    # table of ties)
    X, y = make_classification(
        n_samples=400, n_features=n_features, n_informative=3, n_redundant=0,
        weights=[0.8], random_state=2,
    )  # fmt: skip
    scale = np.ldexp(1.0, power)
    base = SMOTE(random_state=5)
    X_base, y_base = base.fit_resample(X, y)
    scaled = SMOTE(random_state=5)
    X_res, y_res = scaled.fit_resample(X * scale, y)
    np.testing.assert_array_equal(y_res, y_base)
    pairs = scaled.provenance_, base.provenance_
    np.testing.assert_array_equal(pairs[0].neighbor, pairs[1].neighbor)
    np.testing.assert_array_equal(X_res, X_base * scale)
