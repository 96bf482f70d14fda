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
