"""TomekLinks-specific behaviour: the links found, the members removed."""

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.under_sampling import TomekLinks as ImbTomek
from numpy.testing import assert_array_equal
from scipy import sparse
from sklearn.datasets import make_classification
from sklearn.neighbors import NearestNeighbors

from smotekit import TomekLinks


@pytest.fixture
def overlapping():
    X, y = make_classification(
        n_samples=600,
        n_features=4,
        n_informative=2,
        n_redundant=0,
        n_classes=3,
        n_clusters_per_class=1,
        weights=[0.6, 0.3],
        class_sep=0.5,
        random_state=1,
    )
    return X, y


def brute_force_links(X, y):
    """Tomek links by definition, with an all-pairs distance matrix."""
    d = ((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=2)
    np.fill_diagonal(d, np.inf)
    nearest = d.argmin(axis=1)
    return {
        (i, int(j))
        for i, j in enumerate(nearest)
        if nearest[j] == i and y[i] != y[j] and i < j
    }


@pytest.mark.parametrize(
    "strategy", ["auto", "majority", "not minority", "not majority", "all", [1]]
)
def test_removes_exactly_the_targeted_members_of_every_link(overlapping, strategy):
    X, y = overlapping
    tl = TomekLinks(sampling_strategy=strategy)
    X_res, y_res = tl.fit_resample(X, y)

    links = brute_force_links(X, y)
    assert links  # the data is made to have some
    members = {i for pair in links for i in pair}
    targeted = set(tl.sampling_strategy_)
    removed = {i for i in members if y[i] in targeted}
    assert tl.sample_indices_.tolist() == sorted(set(range(len(y))) - removed)
    np.testing.assert_array_equal(X_res, X[tl.sample_indices_])
    np.testing.assert_array_equal(y_res, y[tl.sample_indices_])


@pytest.mark.parametrize(
    "strategy", ["auto", "majority", "not minority", "not majority", "all", [1]]
)
def test_same_rows_as_imblearn_without_ties(overlapping, strategy):
    X, y = overlapping
    ours = TomekLinks(sampling_strategy=strategy)
    ours.fit_resample(X, y)
    imb = ImbTomek(sampling_strategy=strategy)
    imb.fit_resample(X, y)
    np.testing.assert_array_equal(ours.sample_indices_, imb.sample_indices_)


def test_exact_duplicates_of_different_classes_are_a_link():
    # imblearn takes column 1 of a self-query as the nearest neighbour, but
    # with a duplicate the engine may list the duplicate first, so column 1 is
    # the sample itself: the link (0, 1) at distance 0 is missed
    X = np.array([[0.0], [0.0], [5.0], [5.1], [10.0], [10.2], [20.0]])
    y = np.array([0, 1, 0, 0, 0, 1, 0])
    first = NearestNeighbors(n_neighbors=2).fit(X).kneighbors(X)[1][:2, 1]
    assert first.tolist() == [0, 0]  # row 0's "nearest other" is row 0 itself

    imb = ImbTomek()
    imb.fit_resample(X, y)
    assert 0 in imb.sample_indices_  # imblearn keeps the class-0 duplicate

    tl = TomekLinks()
    tl.fit_resample(X, y)
    assert tl.sample_indices_.tolist() == [1, 2, 3, 5, 6]  # links (0,1), (4,5)


def test_no_links_keeps_everything():
    X = np.array([[0.0], [1.0], [10.0], [11.0]])
    y = np.array([0, 0, 1, 1])
    X_res, y_res = TomekLinks(sampling_strategy="all").fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X)
    np.testing.assert_array_equal(y_res, y)


def test_sparse_pandas_and_n_jobs_give_the_same_rows(overlapping):
    X, y = overlapping
    reference = TomekLinks().fit(X, y)
    reference.fit_resample(X, y)
    for X_in in (sparse.csr_matrix(X), pd.DataFrame(X), X.astype(np.float32)):
        for n_jobs in (1, 2):
            tl = TomekLinks(n_jobs=n_jobs)
            tl.fit_resample(X_in, y)
            np.testing.assert_array_equal(tl.sample_indices_, reference.sample_indices_)
    assert reference.nn_.n_neighbors == 1


def test_string_labels_and_counts(overlapping):
    X, y = overlapping
    names = np.array(["low", "mid", "high"])[y]
    tl = TomekLinks()
    _, y_res = tl.fit_resample(X, names)
    counts, before = Counter(y_res.tolist()), Counter(names.tolist())
    minority = min(before, key=before.get)
    assert counts[minority] == before[minority]
    assert all(counts[c] < before[c] for c in before if c != minority)


def test_parameter_errors(overlapping):
    X, y = overlapping
    with pytest.raises(ValueError, match=r"'sampling_strategy' parameter .* must be"):
        TomekLinks(sampling_strategy=0.5).fit_resample(X, y)
    with pytest.raises(ValueError, match=r"names class\(es\) 7 that are not in y"):
        TomekLinks(sampling_strategy=[7]).fit_resample(X, y)
    with pytest.raises(ValueError, match=r"TomekLinks needs numeric features"):
        TomekLinks().fit_resample(np.array([["a"], ["b"]], dtype=object), [0, 1])


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(2, 30),
    n_classes=st.integers(2, 4),
    seed=st.integers(0, 2**31 - 1),
    as_dict=st.booleans(),
)
def test_is_tomek_agrees_with_imblearn(n, n_classes, seed, as_dict):
    # imbalanced-learn's public static helper, same meaning
    rng = np.random.default_rng(seed)
    y = rng.integers(0, n_classes, n)
    nn_index = (np.arange(n) + rng.integers(1, n, n)) % n  # never itself
    targeted = rng.choice(n_classes, rng.integers(1, n_classes + 1), replace=False)
    class_type = {int(c): 0 for c in targeted} if as_dict else targeted.tolist()
    got = TomekLinks.is_tomek(y, nn_index, class_type)
    assert got.dtype == bool
    assert_array_equal(got, ImbTomek.is_tomek(y, nn_index, class_type))


def test_is_tomek_takes_one_label_and_checks_shapes():
    y = np.array(["a", "a", "b"])
    assert TomekLinks.is_tomek(y, [1, 2, 1], "a").tolist() == [False, True, False]
    with pytest.raises(ValueError, match=r"one nearest neighbour per sample"):
        TomekLinks.is_tomek(y, [[1], [2], [1]], "a")


def test_is_tomek_takes_the_keys_of_a_strategy():
    y = np.array([0, 0, 1])
    keys = {0: 1}.keys()
    assert TomekLinks.is_tomek(y, [1, 2, 1], keys).tolist() == [False, True, False]
