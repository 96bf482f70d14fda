"""The exact engine at its edges: a class smaller than the
candidate lists on the tiled route, and ties where two threads' lists meet."""

import numpy as np
import pytest
from sklearn.neighbors import NearestNeighbors

from smotekit import _brute
from smotekit._brute import brute_kneighbors
from smotekit._kernels import merge_top_lists


@pytest.mark.parametrize(("n", "d", "k"), [(5, 40, 1), (6, 30, 2), (7, 20, 3)])
def test_tiled_self_search_of_a_class_smaller_than_its_lists(monkeypatch, n, d, k):
    # fewer other points than k + MARGIN + 1: the lists hold every other point
    # and no empty slot may become a neighbour (index -1, the last point)
    monkeypatch.setattr(_brute, "SMALL_PAIRS", 0)  # the tiled passes
    X = np.random.default_rng(n).normal(size=(n, d))
    dist, ind = brute_kneighbors(X, None, k)
    ref_dist, ref_ind = NearestNeighbors(n_neighbors=k + 1).fit(X).kneighbors(X)
    np.testing.assert_array_equal(ind, ref_ind[:, 1:])
    np.testing.assert_allclose(dist, ref_dist[:, 1:], rtol=1e-12)


def test_merge_top_lists_puts_equal_values_in_index_order():
    # equal values where the lists meet go in index order, whichever list
    # holds the lower index
    values = np.array([[1.0, 2.0, 2.0, np.inf]])
    indices = np.array([[9, 7, 8, -1]])
    other_values = np.array([[1.0, 2.0, 3.0, np.inf]])
    other_indices = np.array([[4, 3, 1, -1]])
    merge_top_lists(values, indices, other_values, other_indices)
    assert values.tolist() == [[1.0, 1.0, 2.0, 2.0]]
    assert indices.tolist() == [[4, 9, 3, 7]]
