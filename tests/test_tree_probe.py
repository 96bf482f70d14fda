"""The share of a sample a kd-tree reads per query (``smotekit._tree_probe``)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.neighbors import KDTree

from smotekit._tree_probe import (
    LEAF_SIZE,
    NEIGHBOURS,
    QUERY_ROWS,
    SAMPLE_ROWS,
    neighbour_contrast,
    tree_visit_share,
)


def _clusters(n, d, seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.uniform(-10, 10, size=(200, d))
    return centres[rng.integers(0, 200, n)] + rng.normal(scale=0.5, size=(n, d))


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(1, 6000),
    d=st.integers(1, 10),
    seed=st.integers(0, 2**16),
    dtype=st.sampled_from([np.float64, np.float32]),
)
def test_the_share_counts_the_distances_of_a_tree_on_evenly_spaced_rows(
    n, d, seed, dtype
):
    X = np.random.default_rng(seed).normal(size=(n, d)).astype(dtype)
    got = tree_visit_share(X)
    sample = X[np.linspace(0, n - 1, min(n, SAMPLE_ROWS)).astype(np.intp)]
    sample = sample.astype(np.float64)
    m = len(sample)
    tree = KDTree(sample, leaf_size=LEAF_SIZE)
    queries = sample[np.linspace(0, m - 1, min(m, QUERY_ROWS)).astype(np.intp)]
    tree.query(queries, k=min(m, NEIGHBOURS))
    assert got == tree.get_n_calls() / (len(queries) * m)
    # every query reads at least its neighbours, and nothing twice
    assert min(m, NEIGHBOURS) / m <= got <= 1.0
    assert tree_visit_share(X.copy()) == got  # the same rows, the same share


def test_tight_groups_are_read_in_part_and_even_points_nearly_whole():
    rng = np.random.default_rng(0)
    assert tree_visit_share(_clusters(30_000, 12)) < 0.05
    assert tree_visit_share(rng.normal(size=(30_000, 12))) > 0.5
    assert tree_visit_share(rng.normal(size=(30_000, 20))) > 0.9
    # wider clusters: the tree reads most of the sample again
    wide = _clusters(30_000, 12) + rng.normal(scale=4.0, size=(30_000, 12))
    assert tree_visit_share(wide) > 0.1


def _contrast_by_hand(X):
    """The contrast from every sorted distance of the sampled queries."""
    n = X.shape[0]
    sample = X[np.linspace(0, n - 1, min(n, SAMPLE_ROWS)).astype(np.intp)]
    sample = sample.astype(np.float64)
    m = len(sample)
    queries = sample[np.linspace(0, m - 1, min(m, QUERY_ROWS)).astype(np.intp)]
    dist = np.sort(((queries[:, None, :] - sample[None, :, :]) ** 2).sum(-1), axis=1)
    middle = (m - 1) // 2
    near, typical = dist[:, min(NEIGHBOURS, middle)], dist[:, middle]
    ratio = [a / b if b > 0 else 0.0 for a, b in zip(near, typical, strict=True)]
    return float(np.sqrt(np.median(ratio)))


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 5000),
    d=st.integers(1, 6),
    seed=st.integers(0, 2**16),
    levels=st.integers(1, 60),
    dtype=st.sampled_from([np.float64, np.float32]),
)
def test_the_contrast_compares_the_sixth_neighbour_with_the_median_distance(
    n, d, seed, levels, dtype
):
    # whole coordinates: the products give the distances exactly, ties and
    # repeated rows (few levels) included
    rng = np.random.default_rng(seed)
    X = rng.integers(-levels, levels + 1, size=(n, d)).astype(dtype)
    got = neighbour_contrast(X)
    assert got == _contrast_by_hand(X)
    assert 0.0 <= got <= 1.0
    # the same points in other units, moved or with the columns reordered
    assert neighbour_contrast(4.0 * X) == got
    assert neighbour_contrast(X + np.arange(d, dtype=dtype)) == got
    assert neighbour_contrast(X[:, ::-1].copy()) == got


def test_tight_groups_have_near_neighbours_and_even_points_far_ones():
    rng = np.random.default_rng(0)
    assert neighbour_contrast(_clusters(30_000, 12)) < 0.15
    count = rng.normal(size=(30_000, 12))
    count[:, 0] = rng.poisson(200, 30_000) * 50.0
    assert neighbour_contrast(count) < 0.05
    for d in (9, 12, 20):
        assert neighbour_contrast(rng.normal(size=(30_000, d))) > 0.4
    assert neighbour_contrast(np.zeros((100, 3))) == 0.0  # every row the same
