"""SMOTEN's Value Difference Metric in detail: the matrix a
user's estimator is fitted on, codes no row has, and the exact search with
more than two classes (where the embedding is only a lower bound)."""

import numpy as np
import pytest
from imblearn.metrics.pairwise import ValueDifferenceMetric
from sklearn.neighbors import NearestNeighbors

from smotekit import SMOTEN
from smotekit.categorical._search import Points, VDMMetric, neighbor_table
from smotekit.categorical._smoten import value_probabilities


def test_a_users_estimator_is_fitted_on_imblearns_vdm_matrix():
    rng = np.random.default_rng(0)
    n = 120
    y = np.array([0] * 90 + [1] * 30)
    cards = np.array([3, 4, 5])
    codes = np.column_stack([(rng.integers(0, c, n) + y) % c for c in cards])
    sampler = SMOTEN(k_neighbors=NearestNeighbors(n_neighbors=4), random_state=0)
    sampler.fit_resample(codes, y)
    vdm = ValueDifferenceMetric(n_categories=cards).fit(codes, y)
    expected = vdm.pairwise(codes[y == 1])
    np.testing.assert_allclose(sampler.nn_k_._fit_X, expected, rtol=0, atol=1e-9)


def test_value_probabilities_of_a_code_no_row_has_are_zero():
    codes = np.array([[0, 2], [0, 0], [2, 2]])
    proba, offsets = value_probabilities(codes, np.array([4, 3]), np.array([0, 1, 1]))
    assert offsets.tolist() == [0, 4]
    assert proba.tolist() == [
        [0.5, 0.5], [0.0, 0.0], [0.0, 1.0], [0.0, 0.0],  # feature 0: codes 1, 3 unused
        [0.0, 1.0], [0.0, 0.0], [0.5, 0.5],  # feature 1: code 1 unused
    ]  # fmt: skip


def _full_scan_table(distances, k):
    n = len(distances)
    table = np.empty((n, k), dtype=np.int64)
    for i in range(n):
        others = np.delete(np.arange(n), i)
        table[i] = others[np.lexsort((others, distances[i, others]))[:k]]
    return table


@pytest.mark.parametrize("seed", [4, 7, 13, 50])
def test_multiclass_vdm_search_equals_a_full_scan_of_imblearns_metric(seed):
    # with 3 or 4 classes the embedding's squared distance may be half the VDM:
    # an embedding past the VDM would certify neighbours that are not
    rng = np.random.default_rng(seed)
    n, q = int(rng.integers(40, 200)), int(rng.integers(2, 5))
    n_classes = int(rng.integers(3, 5))
    cards = rng.integers(3, 8, q)
    codes = np.column_stack([rng.integers(0, c, n) for c in cards]).astype(np.int32)
    y = rng.integers(0, n_classes, n)
    y[:n_classes] = np.arange(n_classes)
    rows = np.flatnonzero(y == 0)
    proba, offsets = value_probabilities(codes, cards, y)
    reference = ValueDifferenceMetric(n_categories=cards).fit(codes, y)
    # near-equal distances are ties (smotekit rounds each square to 2**-40)
    distances = np.round(reference.pairwise(codes[rows]) * 2.0**30)
    points = Points(codes[rows])
    metric = VDMMetric(codes[rows][points.first] + offsets, proba)
    np.testing.assert_array_equal(
        neighbor_table(points, metric, 3), _full_scan_table(distances, 3)
    )
