"""The exact neighbour search of SMOTENC and SMOTEN against a full scan.

The reference ranks every other row of the class by (distance, row) from a
full distance matrix; the grouped, filtered and certified search must give
exactly the same table, ties included, for any chunk size or engine.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from imblearn.metrics.pairwise import ValueDifferenceMetric

from smotekit import _grouped
from smotekit.categorical import _search
from smotekit.categorical._search import (
    MixedMetric,
    Points,
    VDMMetric,
    neighbor_table,
    vdm_matrix,
)
from smotekit.categorical._smoten import value_probabilities

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def full_scan_table(distances, k):
    """k nearest other rows of each row by (distance, row index)."""
    n = len(distances)
    table = np.empty((n, k), dtype=np.int64)
    for i in range(n):
        others = np.delete(np.arange(n), i)
        order = np.lexsort((others, distances[i, others]))
        table[i] = others[order[:k]]
    return table


def mixed_distances(cont, codes, med):
    sq = ((cont[:, None, :] - cont[None, :, :]) ** 2).sum(axis=-1)
    return sq + med**2 * (codes[:, None, :] != codes[None, :, :]).sum(axis=-1)


def mixed_table(cont, codes, med, k):
    keys = np.hstack([cont.view(np.int64), codes.astype(np.int64)])
    points = Points(keys)
    metric = MixedMetric(cont[points.first], codes[points.first], med)
    return neighbor_table(points, metric, k)


def vdm_table(codes, proba, offsets, k):
    points = Points(codes)
    metric = VDMMetric(codes[points.first] + offsets, proba)
    return neighbor_table(points, metric, k)


@st.composite
def mixed_classes(draw):
    n = draw(st.integers(4, 150))
    p = draw(st.integers(1, 3))
    q = draw(st.integers(1, 3))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    if draw(st.booleans()):  # few distinct values: many ties and duplicates
        cont = rng.integers(0, 3, size=(n, p)).astype(np.float64)
    else:
        cont = rng.normal(size=(n, p))
    cards = [draw(st.integers(1, 60)) for _ in range(q)]
    codes = np.column_stack([rng.integers(0, c, n) for c in cards]).astype(np.int32)
    med = draw(st.sampled_from([0.0, 0.3, 1.0, float(np.median(cont.std(axis=0)))]))
    k = draw(st.integers(1, min(8, n - 1)))
    return cont, codes, med, k


@SETTINGS
@given(mixed_classes())
def test_mixed_search_equals_a_full_scan(case):
    cont, codes, med, k = case
    expected = full_scan_table(mixed_distances(cont, codes, med), k)
    np.testing.assert_array_equal(mixed_table(cont, codes, med, k), expected)


@st.composite
def categorical_data(draw):
    n = draw(st.integers(6, 200))
    q = draw(st.integers(1, 4))
    n_classes = draw(st.integers(2, 4))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    cards = np.array([draw(st.integers(1, 12)) for _ in range(q)])
    codes = np.column_stack([rng.integers(0, c, n) for c in cards]).astype(np.int32)
    y = rng.integers(0, n_classes, n)
    y[:n_classes] = np.arange(n_classes)
    return codes, cards, y


@SETTINGS
@given(categorical_data(), st.integers(1, 6))
def test_vdm_search_equals_a_full_scan_of_imblearns_metric(data, k):
    codes, cards, y = data
    rows = np.flatnonzero(y == 0)
    k = min(k, len(rows) - 1)
    if k < 1:
        return
    proba, offsets = value_probabilities(codes, cards, y)
    vdm = ValueDifferenceMetric(n_categories=cards).fit(codes, y)
    reference = vdm.pairwise(codes[rows])
    ours = vdm_matrix(VDMMetric(codes[rows] + offsets, proba))
    # the same metric (ours rounds each feature's square to 2**-40)
    np.testing.assert_allclose(ours, reference, rtol=0, atol=1e-9)
    expected = full_scan_table(ours, k)
    np.testing.assert_array_equal(vdm_table(codes[rows], proba, offsets, k), expected)


def test_result_does_not_depend_on_chunks_or_margin(monkeypatch):
    rng = np.random.default_rng(3)
    cont = rng.integers(0, 4, size=(400, 2)).astype(np.float64)
    codes = np.column_stack([rng.integers(0, 3, 400), rng.integers(0, 90, 400)])
    reference = mixed_table(cont, codes, 1.0, 5)
    np.testing.assert_array_equal(
        reference, full_scan_table(mixed_distances(cont, codes, 1.0), 5)
    )
    for budget, margin in [(1, 0), (50, 1), (10**9, 30)]:
        monkeypatch.setattr(_grouped, "PAIR_BUDGET", budget)
        monkeypatch.setattr(_grouped, "MARGIN", margin)
        np.testing.assert_array_equal(mixed_table(cont, codes, 1.0, 5), reference)
    # every column as a shared-category list, or every column one-hot encoded
    for shared_pairs, dense_bytes in [(10**9, 10**9), (0, 0), (0, 10**9)]:
        monkeypatch.setattr(_search, "SHARED_PAIRS_PER_POINT", shared_pairs)
        monkeypatch.setattr(_search, "DENSE_MAX_BYTES", dense_bytes)
        monkeypatch.setattr(_search, "DENSE_MAX_CATEGORIES", 100)
        np.testing.assert_array_equal(mixed_table(cont, codes, 1.0, 5), reference)


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_many_duplicates_are_searched_once(n_jobs):
    # 20,000 rows, 12 distinct: the search runs on 12 points
    rng = np.random.default_rng(0)
    codes = rng.integers(0, 3, size=(20_000, 1))
    codes = np.hstack([codes, rng.integers(0, 4, size=(20_000, 1))])
    points = Points(codes)
    assert points.n_points == 12
    y = rng.integers(0, 2, 20_000)
    proba, offsets = value_probabilities(codes, np.array([3, 4]), y)
    metric = VDMMetric(codes[points.first] + offsets, proba)
    table = neighbor_table(points, metric, 5, n_jobs)
    # each row's nearest rows are its lowest-numbered duplicates
    for i in (0, 1, 19_999):
        same = np.flatnonzero((codes == codes[i]).all(axis=1))
        np.testing.assert_array_equal(table[i], same[same != i][:5])


def test_points_group_identical_rows_in_order_of_appearance():
    points = Points(np.array([[2, 1], [0, 0], [2, 1], [0, 0], [5, 5]]))
    assert points.n_points == 3
    assert points.first.tolist() == [0, 1, 4]
    assert points.of_row.tolist() == [0, 1, 0, 1, 2]
    members = [
        points.members[points.member_ptr[v] : points.member_ptr[v + 1]].tolist()
        for v in range(3)
    ]
    assert members == [[0, 2], [1, 3], [4]]


def test_high_cardinality_columns_become_candidate_lists():
    rng = np.random.default_rng(0)
    cont = rng.normal(size=(2_000, 2))
    codes = np.column_stack([rng.integers(0, 3, 2_000), rng.integers(0, 1_000, 2_000)])
    metric = MixedMetric(cont, codes, 0.8)
    # 2 continuous columns + 3 one-hot columns; the 1,000 categories are listed
    assert metric.embedding.shape == (2_000, 5)
    assert metric.bonus == pytest.approx(0.64)
    assert MixedMetric(cont, codes, 0.0).embedding.shape == (2_000, 2)
