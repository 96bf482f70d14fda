"""The cell-by-cell scan of an inverted-file index against a plain reference."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smotekit import _cell_scan
from smotekit._cell_scan import CellIndex, scan_cells


def _reference(points, cells, centroids, queries, probes, width, exclude_self):
    """Each query's best ``width`` points of its probed cells, by half their
    squared distance less half the query's to its first probed cell's
    centroid (ties by index)."""
    values = np.full((len(queries), width), np.inf, np.float32)
    indices = np.full((len(queries), width), -1, np.int64)
    for r, q in enumerate(queries):
        members = np.flatnonzero(np.isin(cells, probes[r]))
        if exclude_self:
            members = members[members != r]
        first = 0.5 * ((centroids[probes[r, 0]] - q) ** 2).sum()
        x = 0.5 * ((points[members] - q) ** 2).sum(axis=1) - first
        best = np.lexsort((members, x))[:width]
        values[r, : len(best)] = x[best]
        indices[r, : len(best)] = members[best]
    return values, indices


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 60),
    n_cells=st.integers(1, 7),
    n_probe=st.integers(1, 3),
    width=st.integers(1, 6),
    exclude_self=st.booleans(),
    levels=st.sampled_from([3, 1000]),
    tile=st.sampled_from([4, 640 * 640]),
    seed=st.integers(0, 2**32 - 1),
)
def test_scan_keeps_the_best_points_of_the_probed_cells(
    n, n_cells, n_probe, width, exclude_self, levels, tile, seed
):
    rng = np.random.default_rng(seed)
    # multiples of 2**-10 below 1: every product and sum is exact in float32,
    # whatever the order of the sums; few levels give many equal values,
    # settled by index
    points = (rng.integers(0, levels, size=(n, 3)) / 1024).astype(np.float32)
    cells = rng.integers(0, n_cells, size=n)
    # any centroids: the values are the same exact half squared distances
    centroids = (rng.integers(0, levels, size=(n_cells, 3)) / 1024).astype(np.float32)
    n_probe = min(n_probe, n_cells)
    probes = np.stack([rng.choice(n_cells, n_probe, replace=False) for _ in range(n)])
    index = CellIndex(points, cells, n_cells, centroids)
    want = _reference(points, cells, centroids, points, probes, width, exclude_self)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_cell_scan, "TILE_ENTRIES", tile)  # chunked cells too
        for n_threads in (1, 2):
            values, indices = scan_cells(
                index, points, probes, width, exclude_self, n_threads
            )
            np.testing.assert_array_equal(indices, want[1])
            np.testing.assert_array_equal(values, want[0])


def test_cell_index_groups_points_by_cell_in_index_order():
    points = np.arange(12, dtype=np.float32).reshape(6, 2)
    index = CellIndex(points, np.array([2, 0, 2, 1, 0, 2]), 4)
    assert index.order.tolist() == [1, 4, 3, 0, 2, 5]
    assert index.bounds.tolist() == [0, 2, 3, 6, 6]
    np.testing.assert_array_equal(index.points, points[index.order])


def test_a_tight_cluster_far_from_the_origin_keeps_its_order():
    # 1e3 from the origin, neighbours 1e-3 apart: float32 rounds the squared
    # norms (about 1e6) by far more than the squared distances (1e-6); as
    # residuals from the cell's centroid, the order is the true one
    rng = np.random.default_rng(0)
    points = (1000 + rng.normal(scale=1e-3, size=(200, 2))).astype(np.float32)
    cells = np.zeros(200, dtype=np.int64)
    centroid = points.mean(axis=0, keepdims=True)
    index = CellIndex(points, cells, 1, centroid)
    probes = np.zeros((200, 1), dtype=np.int64)
    _, found = scan_cells(index, points, probes, 5, True, 1)
    exact = ((points[:, None].astype(np.float64) - points[None]) ** 2).sum(-1)
    np.fill_diagonal(exact, np.inf)
    want = np.sort(exact, axis=1)[:, :5]
    got = np.take_along_axis(exact, found.astype(np.int64), axis=1)
    np.testing.assert_allclose(got, want, rtol=1e-3)
