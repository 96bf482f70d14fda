"""The under-samplers and combinations beside imbalanced-learn: kept rows
equal its own where distances have no ties, the documented tie rule (by
distance, then by row) elsewhere for every container, and the same counts
for every sampling_strategy form."""

from collections import Counter

import imblearn.under_sampling as iu
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from scipy.spatial.distance import cdist
from sklearn.neighbors import NearestNeighbors

import smotekit as sk

STRATEGIES = ["auto", "majority", "not minority", "not majority", "all"]


def _tie_free_data(seed):
    rng = np.random.RandomState(seed)
    X = rng.randn(45, 2)
    y = np.array([0] * 22 + [1] * 14 + [2] * 9)
    return X, y


def _counts(y):
    return dict(sorted(Counter(np.asarray(y).tolist()).items()))


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("strategy", [*STRATEGIES, [1], [0, 2]])
def test_tomek_matches_imblearn_without_ties(seed, strategy):
    # without ties Tomek links are unambiguous: the kept rows must equal imblearn's
    X, y = _tie_free_data(seed)
    ours = sk.TomekLinks(sampling_strategy=strategy)
    theirs = iu.TomekLinks(sampling_strategy=strategy)
    ours.fit_resample(X, y)
    theirs.fit_resample(X, y)
    assert ours.sample_indices_.tolist() == sorted(theirs.sample_indices_.tolist())


@pytest.mark.parametrize("kind_sel", ["all", "mode"])
@pytest.mark.parametrize("as_estimator", [False, True])
@pytest.mark.parametrize("k", [1, 3, 5])
@pytest.mark.parametrize("strategy", [*STRATEGIES, [2]])
def test_enn_matches_imblearn_without_ties(strategy, k, as_estimator, kind_sel):
    # without ties the k nearest neighbours are unambiguous: same kept rows as imblearn
    X, y = _tie_free_data(0)
    nn = NearestNeighbors(n_neighbors=k + 1) if as_estimator else k
    kw = dict(sampling_strategy=strategy, n_neighbors=nn, kind_sel=kind_sel)
    ours, theirs = sk.EditedNearestNeighbours(**kw), iu.EditedNearestNeighbours(**kw)
    ours.fit_resample(X, y)
    theirs.fit_resample(X, y)
    assert ours.sample_indices_.tolist() == sorted(theirs.sample_indices_.tolist())


def _ref_enn(X, y, k, kind_sel):
    # the documented rule: neighbours by distance, ties by row, the sample excluded
    D = cdist(X, X, "sqeuclidean")
    keep = np.ones(len(y), dtype=bool)
    for i in range(len(y)):
        order = np.lexsort((np.arange(len(y)), D[i]))
        labels = y[order[order != i][:k]]
        if kind_sel == "all":
            keep[i] = (labels == y[i]).all()
        else:
            values, counts = np.unique(labels, return_counts=True)
            keep[i] = values[np.argmax(counts)] == y[i]
    return np.flatnonzero(keep).tolist()


def _ref_tomek(X, y):
    # Tomek's definition as documented: no sample strictly closer to either member
    D = cdist(X, X, "sqeuclidean")
    np.fill_diagonal(D, np.inf)
    m = D.min(axis=1)
    link = (D <= m[:, None]) & (D <= m[None, :]) & (y[:, None] != y[None, :])
    return np.flatnonzero(~link.any(axis=1)).tolist()


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("container", ["dense", "csr", "csc", "pandas"])
def test_cleaners_follow_documented_tie_rule(seed, container):
    # grid data with duplicates: the documented tie rule, one answer for all
    # containers
    rng = np.random.RandomState(seed)
    X = rng.randint(0, 3, (25, 2)).astype(float)
    y = rng.randint(0, 3, 25)
    Xin = {
        "dense": X,
        "csr": sp.csr_matrix(X),
        "csc": sp.csc_matrix(X),
        "pandas": pd.DataFrame(X),
    }[container]
    tl = sk.TomekLinks(sampling_strategy="all")
    tl.fit_resample(Xin, y)
    assert tl.sample_indices_.tolist() == _ref_tomek(X, y)
    for k in (1, 3):
        for kind_sel in ("all", "mode"):
            enn = sk.EditedNearestNeighbours(
                sampling_strategy="all", n_neighbors=k, kind_sel=kind_sel
            )
            enn.fit_resample(Xin, y)
            assert enn.sample_indices_.tolist() == _ref_enn(X, y, k, kind_sel)


@pytest.mark.parametrize("replacement", [False, True])
@pytest.mark.parametrize(
    "strategy",
    [*STRATEGIES, {0: 5, 1: 3}, {0: 0}, lambda y: {0: 4}],
)
def test_random_under_counts_match_imblearn(strategy, replacement):
    # random picks may differ, but per-class counts are deterministic and must match
    X, y = _tie_free_data(0)
    ours = sk.RandomUnderSampler(
        sampling_strategy=strategy, random_state=0, replacement=replacement
    )
    theirs = iu.RandomUnderSampler(
        sampling_strategy=strategy, random_state=0, replacement=replacement
    )
    X_res, y_res = ours.fit_resample(X, y)
    assert _counts(y_res) == _counts(theirs.fit_resample(X, y)[1])
    # kept rows are original rows, unchanged, in their original order
    assert (np.diff(ours.sample_indices_) >= 0).all()
    assert (X_res == X[ours.sample_indices_]).all()


@pytest.mark.parametrize("ratio", [0.35, 0.4, 1 / 3, 0.7, 0.9, 1.0])
def test_random_under_float_ratio_matches_imblearn(ratio):
    # a float gives int(n_minority / ratio) majority samples, as in imblearn
    X = np.zeros((40, 1))
    y = np.array([0] * 30 + [1] * 10)
    ours = sk.RandomUnderSampler(sampling_strategy=ratio, random_state=0)
    theirs = iu.RandomUnderSampler(sampling_strategy=ratio, random_state=0)
    ours.fit_resample(X, y)
    theirs.fit_resample(X, y)
    assert dict(ours.sampling_strategy_) == {
        int(k): int(v) for k, v in theirs.sampling_strategy_.items()
    }


@pytest.mark.parametrize(
    "combo, cleaner",
    [(sk.SMOTEENN, iu.EditedNearestNeighbours), (sk.SMOTETomek, iu.TomekLinks)],
)
def test_combination_is_cleaner_on_oversampled_data(combo, cleaner):
    # the README: a combination equals the cleaner run on the over-sampler's output
    X, y = _tie_free_data(1)
    c = combo(random_state=0)
    X_res, _y_res = c.fit_resample(X, y)
    X_over, y_over = sk.SMOTE(random_state=0).fit_resample(X, y)
    X_ref, _ = cleaner(sampling_strategy="all").fit_resample(X_over, y_over)
    assert sorted(map(tuple, X_res.tolist())) == sorted(map(tuple, X_ref.tolist()))
    originals = c.sample_indices_ >= 0
    assert (X_res[originals] == X[c.sample_indices_[originals]]).all()
    p = c.provenance_
    rebuilt = X[p.parent] + p.gap[:, None] * (X[p.neighbor] - X[p.parent])
    assert (rebuilt == X_res[~originals]).all()
