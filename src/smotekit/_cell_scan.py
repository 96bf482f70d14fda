"""The scan of an inverted-file index, cell by cell, as matrix products.

An inverted-file search compares each query with the points of the
``n_probe`` cells nearest to it. Taken query by query (faiss's scan), that
is one short distance computation after another, about 4 ns each at 10
features on two cores. Turned around, each cell meets the queries that
probe it at once: one matrix product of those queries against the cell's
points, then one compiled pass that keeps each query's best candidates.
The pairs compared are exactly the same, so is the recall; the products run
at the speed of BLAS.

Points and queries meet in a cell as residuals, their offsets from the
cell's centroid (as faiss's scan by residual): half the squared distance is
then ``|q - c|**2 / 2 + |x - c|**2 / 2 - (q - c).(x - c)``, whose last two
terms are of the size of the distances within the cell. Taken from the
global origin instead, float32's rounding of ``|x|**2`` would swallow the
distances within a tight cluster far from the origin. The first term is
taken relative to the query's first probed cell (its nearest), in float64:
``(|q - c|**2 - |q - c0|**2) / 2``, zero in that cell, so that a query far
from every cell does not drown the differences between its candidates.

Each query's candidates are kept sorted by that value (in float32), ties by
index, so the lists do not depend on which cells were scanned first or on
which thread: the result is the same for any thread count.
"""

import numpy as np
from numba import njit

from ._kernels import _keep_best, merge_top_lists
from ._threads import map_threads

__all__ = ["CellIndex", "scan_cells"]

#: Most entries of one product tile (queries x cell points): a cell's
#: queries are taken in chunks so a tile stays about the size of a core's
#: L2 cache (1.6 MB of float32).
TILE_ENTRIES = 640 * 640
#: Queries farther than this many cell radii from their nearest centroid get
#: their offsets between cells in float64 (float32 would round them by more
#: than the distances within a cell).
FAR_RADII = 8.0


@njit(nogil=True, cache=True)
def keep_best(prod, member_half_sq, query_offset, members, owners, exclude_self,
              values, indices):  # fmt: skip
    """Insert the entries of a tile of products into the top lists.

    Row ``i`` of ``prod`` is query ``owners[i]``, column ``j`` the point
    ``members[j]`` (both as residuals), whose value for the query is
    ``query_offset[i] + member_half_sq[j] - prod[i, j]``. ``exclude_self``:
    a query is never its own candidate.
    """
    w = values.shape[1]
    for i in range(prod.shape[0]):
        r = owners[i]
        q = query_offset[i]
        for j in range(prod.shape[1]):
            x = (q + member_half_sq[j]) - prod[i, j]
            if x <= values[r, w - 1]:
                m = members[j]
                if not (exclude_self and m == r):
                    # the lists start full of (inf, -1): insertion into a
                    # full list, sorted by (value, index)
                    _keep_best(x, m, w, values[r], indices[r])


class CellIndex:
    """Points grouped by cell: the rows of each cell contiguous, in index
    order within a cell, as residuals from the cell's centroid, with their
    half squared norms.

    Parameters
    ----------
    points : ndarray of shape (n, d), float32
        The indexed points.
    cells : ndarray of shape (n,)
        The cell of each point.
    n_cells : int
        Number of cells.
    centroids : ndarray of shape (n_cells, d), float32, default=None
        The cells' centroids (None: the origin for every cell).
    """

    def __init__(self, points, cells, n_cells, centroids=None):
        small = np.int16 if n_cells <= np.iinfo(np.int16).max else np.int32
        self.order = np.argsort(cells.astype(small), kind="stable")
        if centroids is None:
            centroids = np.zeros((n_cells, points.shape[1]), dtype=np.float32)
        self.centroids = np.ascontiguousarray(centroids, dtype=np.float32)
        self.points = np.ascontiguousarray(points[self.order])
        self.points -= self.centroids[cells[self.order]]
        self.half_sq = 0.5 * np.einsum("ij,ij->i", self.points, self.points)
        counts = np.bincount(cells, minlength=n_cells)
        self.bounds = np.concatenate([[0], np.cumsum(counts)])


def scan_cells(index, queries, probes, width, exclude_self, n_threads):
    """The ``width`` best candidates of each query among the points of the
    cells it probes.

    Parameters
    ----------
    index : CellIndex
        The indexed points.
    queries : ndarray of shape (n_queries, d), float32
        The queries (the indexed points themselves when ``exclude_self``).
    probes : ndarray of shape (n_queries, n_probe)
        The cells each query probes.
    width : int
        Candidates kept per query.
    exclude_self : bool
        Whether query ``r`` is point ``r`` (never its own candidate).
    n_threads : int
        Threads sharing the cells. Does not change the result.

    Returns
    -------
    values : ndarray of shape (n_queries, width), float32
        Half squared distances less half the query's squared distance to the
        centroid of its first probed cell, sorted (``inf`` where fewer
        candidates were found).
    indices : ndarray of shape (n_queries, width), int32 (int64 beyond 2**31 points)
        Point indices (``-1`` where fewer candidates were found).
    """
    n_queries = len(queries)
    n_cells = len(index.bounds) - 1
    # a stable sort of small integers is a radix sort in numpy
    small = np.int16 if n_cells <= np.iinfo(np.int16).max else np.int32
    flat = probes.astype(small).ravel()
    idx = np.int32 if max(n_queries, len(index.order)) < 2**31 else np.int64
    owners_all = (np.argsort(flat, kind="stable") // probes.shape[1]).astype(idx)
    starts = np.concatenate([[0], np.cumsum(np.bincount(flat, minlength=n_cells))])
    del flat
    slots = list(range(n_threads))
    lists = [
        (np.full((n_queries, width), np.inf, np.float32),
         np.full((n_queries, width), -1, idx))
        for _ in slots
    ]  # fmt: skip
    members_all = index.order.astype(idx)
    # each query's half squared distance to its first probed cell's centroid
    first = queries.astype(np.float64) - index.centroids[probes[:, 0]]
    first_half = 0.5 * np.einsum("ij,ij->i", first, first)
    del first
    # queries more than FAR_RADII cell radii from their nearest centroid get
    # the offsets in float64; for the others float32 holds them (its
    # rounding of |q - c|**2 stays far below the distances within a cell)
    far = first_half > FAR_RADII**2 * max(float(index.half_sq.max(initial=0)), 1e-300)
    first_half32 = first_half.astype(np.float32)
    largest = int(np.diff(index.bounds).max(initial=1))
    chunk = max(1, TILE_ENTRIES // max(largest, 1))
    scratch = [
        (np.empty(chunk * largest, np.float32),
         np.empty((chunk, queries.shape[1]), np.float32),
         np.empty(chunk, np.float32))
        for _ in slots
    ]  # fmt: skip

    def cell(c):
        slot = slots.pop()
        try:
            lo, hi = index.bounds[c], index.bounds[c + 1]
            owners = owners_all[starts[c] : starts[c + 1]]
            if hi == lo or not len(owners):
                return
            points = index.points[lo:hi]
            values, indices = lists[slot]
            prod_buf, rows_buf, half_buf = scratch[slot]
            for s in range(0, len(owners), chunk):
                part = owners[s : s + chunk]
                rows = rows_buf[: len(part)]
                np.take(queries, part, axis=0, out=rows)
                rows -= index.centroids[c]  # residuals, as the cell's points
                # the offset from the first probed cell's term
                half = half_buf[: len(part)]
                if far[part].any():
                    own = queries[part].astype(np.float64) - index.centroids[c]
                    half[:] = 0.5 * np.einsum("ij,ij->i", own, own) - first_half[part]
                else:
                    np.einsum("ij,ij->i", rows, rows, out=half)
                    half *= 0.5
                    half -= first_half32[part]
                prod = prod_buf[: len(part) * (hi - lo)].reshape(len(part), hi - lo)
                np.matmul(rows, points.T, out=prod)
                keep_best(prod, index.half_sq[lo:hi], half, members_all[lo:hi],
                          part, exclude_self, values, indices)  # fmt: skip
        finally:
            slots.append(slot)

    map_threads(cell, range(n_cells), n_threads)
    values, indices = lists[0]
    for other_values, other_indices in lists[1:]:
        merge_top_lists(values, indices, other_values, other_indices)
    return values, indices
