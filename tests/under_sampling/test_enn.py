"""EditedNearestNeighbours-specific behaviour: the rules, neighbours, duplicates."""

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from imblearn.under_sampling import EditedNearestNeighbours as ImbENN
from scipy import sparse
from scipy.stats import mode
from sklearn.datasets import make_classification
from sklearn.neighbors import NearestNeighbors

from smotekit import EditedNearestNeighbours, ExactNeighbors
from smotekit.under_sampling._enn import neighbours_agree


@pytest.fixture
def overlapping():
    X, y = make_classification(
        n_samples=500,
        n_features=5,
        n_informative=3,
        n_redundant=0,
        n_classes=3,
        weights=[0.5, 0.3],
        class_sep=0.6,
        random_state=2,
    )
    return X, y


def by_definition(X, y, targeted, k, kind_sel):
    """Kept rows by the definition, with an all-pairs distance matrix."""
    d = ((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=2)
    np.fill_diagonal(d, np.inf)
    neighbour_labels = y[np.argsort(d, axis=1, kind="stable")[:, :k]]
    keep = []
    for i, labels in enumerate(neighbour_labels.tolist()):
        if y[i] not in targeted:
            keep.append(i)
            continue
        if kind_sel == "all":
            ok = all(label == y[i] for label in labels)
        else:  # the most frequent label; a tie goes to the smallest label
            votes = Counter(labels)
            ok = min(votes, key=lambda label: (-votes[label], label)) == y[i]
        if ok:
            keep.append(i)
    return keep


STRATEGIES = ["auto", "majority", "not minority", "not majority", "all", [0, 2]]


@pytest.mark.parametrize("kind_sel", ["all", "mode"])
@pytest.mark.parametrize("k", [1, 3, 6])
@pytest.mark.parametrize("strategy", STRATEGIES)
def test_kept_rows_follow_the_definition(overlapping, strategy, k, kind_sel):
    X, y = overlapping
    enn = EditedNearestNeighbours(
        sampling_strategy=strategy, n_neighbors=k, kind_sel=kind_sel
    )
    X_res, y_res = enn.fit_resample(X, y)
    expected = by_definition(X, y, set(enn.sampling_strategy_), k, kind_sel)
    assert enn.sample_indices_.tolist() == expected
    np.testing.assert_array_equal(X_res, X[expected])
    np.testing.assert_array_equal(y_res, y[expected])


@pytest.mark.parametrize("kind_sel", ["all", "mode"])
@pytest.mark.parametrize("strategy", STRATEGIES)
def test_same_rows_as_imblearn_up_to_order(overlapping, strategy, kind_sel):
    X, y = overlapping
    ours = EditedNearestNeighbours(sampling_strategy=strategy, kind_sel=kind_sel)
    ours.fit_resample(X, y)
    imb = ImbENN(sampling_strategy=strategy, kind_sel=kind_sel)
    imb.fit_resample(X, y)
    # imblearn groups the kept rows by class; ours keep the original order
    np.testing.assert_array_equal(ours.sample_indices_, np.sort(imb.sample_indices_))
    assert not (np.diff(imb.sample_indices_) > 0).all()


def test_a_sample_never_votes_for_itself_with_exact_duplicates():
    # rows 0 and 1 are the same point with different labels: each one's only
    # neighbour (k=1) is the other, so both disagree and both go. imblearn
    # drops column 0 of a self-query, which for row 0 is the duplicate, so
    # row 0 keeps itself as its neighbour and survives.
    X = np.array([[0.0], [0.0], [5.0], [5.1], [10.0], [10.2], [20.0]])
    y = np.array([0, 1, 0, 0, 0, 1, 0])
    table = NearestNeighbors(n_neighbors=2).fit(X).kneighbors(X)[1]
    assert table[0, 1] == 0  # row 0 is its own "first neighbour" for imblearn

    imb = ImbENN(sampling_strategy="all", n_neighbors=1)
    imb.fit_resample(X, y)
    assert 0 in imb.sample_indices_ and 1 not in imb.sample_indices_

    enn = EditedNearestNeighbours(sampling_strategy="all", n_neighbors=1)
    enn.fit_resample(X, y)
    assert enn.sample_indices_.tolist() == [2, 3]


def test_neighbour_estimator_and_subset_queries_agree(overlapping):
    X, y = overlapping
    reference = EditedNearestNeighbours(sampling_strategy="all", n_neighbors=3)
    reference.fit_resample(X, y)
    # any kneighbors object, whose n_neighbors counts the sample itself
    for nn in (
        NearestNeighbors(n_neighbors=4),
        ExactNeighbors(n_neighbors=4, algorithm="brute", block_size=7),
        ExactNeighbors(n_neighbors=4, algorithm="kd_tree"),
    ):
        enn = EditedNearestNeighbours(sampling_strategy="all", n_neighbors=nn)
        enn.fit_resample(X, y)
        np.testing.assert_array_equal(enn.sample_indices_, reference.sample_indices_)
        assert enn.nn_ is not nn  # cloned
    # a small targeted class is queried on its own (not a self-query of all)
    small = EditedNearestNeighbours(sampling_strategy=[2])
    small.fit_resample(X, y)
    full = set(reference.sample_indices_.tolist())
    rows2 = set(np.flatnonzero(y == 2).tolist())
    assert set(small.sample_indices_.tolist()) & rows2 == full & rows2
    assert set(small.sample_indices_.tolist()) >= set(np.flatnonzero(y != 2).tolist())


@pytest.mark.parametrize("scale", [1.0, 2.0**-1060])
def test_a_distance_matrix_gives_the_rows_of_its_points(scale):
    # points on a grid: identical rows (and so identical rows of distances)
    # and ties, computed exactly in both forms
    rng = np.random.default_rng(3)
    X = rng.integers(0, 4, size=(60, 2)).astype(float)
    y = rng.integers(0, 3, size=60)
    D = np.sqrt(((X[:, None] - X[None]) ** 2).sum(axis=-1)) * scale
    for k in (1, 3):
        reference = EditedNearestNeighbours(n_neighbors=k)
        reference.fit_resample(X, y)
        nn = NearestNeighbors(n_neighbors=k + 1, metric="precomputed")
        enn = EditedNearestNeighbours(n_neighbors=nn)
        D_res, y_res = enn.fit_resample(D, y)
        assert y_res.tolist() == y[reference.sample_indices_].tolist()
        np.testing.assert_array_equal(enn.sample_indices_, reference.sample_indices_)
        assert D_res.shape == (len(reference.sample_indices_), 60)
        # nn_ is fitted on the distinct points' distances to each other
        n_distinct = len(np.unique(X, axis=0))
        assert enn.nn_.n_samples_fit_ == n_distinct


def test_containers_and_n_jobs_give_the_same_rows(overlapping):
    X, y = overlapping
    reference = EditedNearestNeighbours()
    reference.fit_resample(X, y)
    index = pd.Index([f"s{i}" for i in range(len(y))], name="id")
    for X_in in (sparse.csr_matrix(X), pd.DataFrame(X, index=index)):
        for n_jobs in (1, -1):
            enn = EditedNearestNeighbours(n_jobs=n_jobs)
            X_res, _ = enn.fit_resample(X_in, y)
            np.testing.assert_array_equal(
                enn.sample_indices_, reference.sample_indices_
            )
    assert X_res.index.tolist() == index[reference.sample_indices_].tolist()
    assert X_res.index.name == "id"


def test_mode_ties_go_to_the_first_class_like_scipy():
    own = np.array([0, 1, 1, 2])
    neighbours = np.array([[0, 1], [0, 1], [1, 2], [2, 0]])
    agree = neighbours_agree(own, neighbours, 3, "mode")
    assert agree.tolist() == [True, False, True, False]
    assert mode(neighbours, axis=1, keepdims=False).mode.tolist() == [0, 0, 1, 0]


def test_mode_rule_in_blocks(monkeypatch, overlapping):
    X, y = overlapping
    reference = EditedNearestNeighbours(kind_sel="mode", n_neighbors=5)
    reference.fit_resample(X, y)
    monkeypatch.setattr("smotekit.under_sampling._enn._MODE_BLOCK_CELLS", 7)
    blocked = EditedNearestNeighbours(kind_sel="mode", n_neighbors=5)
    blocked.fit_resample(X, y)
    np.testing.assert_array_equal(blocked.sample_indices_, reference.sample_indices_)


def test_too_few_samples_for_n_neighbors():
    X = np.array([[0.0], [1.0], [2.0]])
    with pytest.raises(
        ValueError,
        match=r"The 'n_neighbors' parameter of EditedNearestNeighbours asks for 3 "
        r"neighbours among all samples, so X needs at least 4 samples .* it has 3",
    ):
        EditedNearestNeighbours().fit_resample(X, [0, 0, 1])


def test_parameter_errors(overlapping):
    X, y = overlapping
    with pytest.raises(ValueError, match=r"'kind_sel' parameter .* must be"):
        EditedNearestNeighbours(kind_sel="any").fit_resample(X, y)
    with pytest.raises(ValueError, match=r"'n_neighbors' parameter .* must be"):
        EditedNearestNeighbours(n_neighbors=0).fit_resample(X, y)
    with pytest.raises(ValueError, match=r"'sampling_strategy' parameter .* must be"):
        EditedNearestNeighbours(sampling_strategy={0: 10}).fit_resample(X, y)
