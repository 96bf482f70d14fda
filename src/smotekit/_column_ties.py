"""Every point at most as far as each query's k-th, many queries at once.

:func:`~smotekit._kernels.exact_ties_from_products` scans one query's
products with every point, one point after another: a scalar loop, about a
cycle a point. Here ``LANES`` queries are scanned together, the points in
chunks that stay in cache: the products of a chunk of points with the
queries come transposed (a point's products with every query side by side),
so one vectorised test of a point against every query's running limit
passes over most points at once, and only the points within some query's
limit are looked at one query at a time.

For integer points whose products give every squared distance exactly (the
caller's ``by_square`` case): the values tested and kept are integers in
the products' dtype, so the vectorised test and the look at one query
compute them alike.
"""

import numpy as np
from numba import njit

from ._kernels import _push_bound, _ties_of_kept, exact_ties_from_products

__all__ = ["LANES", "column_ties"]

#: Queries scanned together (a constant: the test of a point against every
#: query's limit is unrolled into a few vector instructions).
LANES = 64
#: Points a matrix product gives at once (their products with the LANES
#: queries: 512 KiB in float32, in cache while scanned).
CHUNK = 2048
#: Points a query keeps while its limit falls; a query keeping more (many
#: ties, or a limit that falls late) is scanned again on its own.
KEPT_CAP = 256


@njit(nogil=True, cache=True)
def scan_chunk(products_t, start, sq, base, own, limit, upper, kept, kept_sq, fill):
    """Scan points ``start:start + len(products_t)`` for every lane.

    ``products_t[p, r]`` is the product of point ``start + p`` with lane
    ``r``'s query (squared norm ``base[r]``, point ``own[r]``, never kept);
    its squared distance is ``base[r] + sq[j] - 2 products_t[p, r]``. A point
    at most ``limit[r]`` is kept by lane ``r`` (in ``kept[r]`` /
    ``kept_sq[r]``, ``fill[r]`` of them, -1 once more than fit), and pushed
    into the lane's ``k`` smallest ``upper[r]``, whose last is the new
    limit. Unused lanes have a limit of -inf.
    """
    two = products_t.dtype.type(2)
    k = upper.shape[1]
    cap = kept.shape[1]
    for p in range(products_t.shape[0]):
        j = start + p
        s = sq[j]
        hits = 0
        for r in range(LANES):
            hits += base[r] + s - two * products_t[p, r] <= limit[r]
        if hits == 0:
            continue
        for r in range(LANES):
            v = base[r] + s - two * products_t[p, r]
            if not v <= limit[r] or j == own[r]:
                continue
            c = fill[r]
            if c == cap:  # left to a scan of its own
                fill[r] = -1
                limit[r] = -np.inf
                continue
            kept[r, c] = j
            kept_sq[r, c] = v
            fill[r] = c + 1
            if _push_bound(upper[r], v):
                limit[r] = upper[r, k - 1]


@njit(nogil=True, cache=True)
def finish_lanes(kept, kept_sq, fill, upper, n_lanes, first, out_ind, out_dist,
                 counts):  # fmt: skip
    """The answer of each of the first ``n_lanes`` lanes (queries ``first``
    on) from the points it kept: those at most its final k-th, by
    distance then index, as :func:`exact_ties_from_products` writes them.
    Lanes that kept too many are left (their count untouched)."""
    k = upper.shape[1]
    best = np.empty(k)
    for r in range(n_lanes):
        c = fill[r]
        if c < 0:
            continue
        bound = upper[r, k - 1]
        now = 0
        for b in range(c):
            if kept_sq[r, b] <= bound:
                kept[r, now] = kept[r, b]
                kept_sq[r, now] = kept_sq[r, b]
                now += 1
        i = first + r
        counts[i] = _ties_of_kept(kept[r], kept_sq[r], now, best, out_ind[i],
                                  out_dist[i], out_ind.shape[1])  # fmt: skip


def column_ties(units, sq, query, a, b, k, out_ind, out_dist, counts):
    """:func:`~smotekit._kernels.exact_ties_from_products` of the queries
    ``a:b`` (at most ``LANES``), the same answer, written to the same
    arrays: ``units`` are exact units of the points (``units.rows``), ``sq``
    their squared norms in the products' dtype.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit._units import point_units
    >>> points = np.array([[0.0], [2.0], [4.0], [5.0], [6.0]])
    >>> units = point_units(points, exact=np.float32)
    >>> sq = units.sq.astype(np.float32)
    >>> ind = np.zeros((5, 4), dtype=np.int64)
    >>> dist, counts = np.zeros((5, 4)), np.zeros(5, dtype=np.int64)
    >>> column_ties(units, sq, np.arange(5), 0, 5, 1, ind, dist, counts)
    >>> counts.tolist(), ind[1, :2].tolist(), dist[1, :2].tolist()
    ([1, 2, 1, 2, 1], [0, 2], [2.0, 2.0])
    """
    points = units.rows
    dtype = points.dtype
    n_lanes = b - a
    own = np.full(LANES, -1, dtype=np.int64)
    own[:n_lanes] = query[a:b]
    lanes = np.zeros((LANES, points.shape[1]), dtype=dtype)
    lanes[:n_lanes] = points[own[:n_lanes]]
    base = np.zeros(LANES, dtype=dtype)
    base[:n_lanes] = sq[own[:n_lanes]]
    limit = np.full(LANES, -np.inf, dtype=dtype)
    limit[:n_lanes] = np.inf
    upper = np.full((LANES, k), np.inf)
    kept = np.empty((LANES, KEPT_CAP), dtype=np.int64)
    kept_sq = np.empty((LANES, KEPT_CAP))
    fill = np.zeros(LANES, dtype=np.int64)
    products_t = np.empty((CHUNK, LANES), dtype=dtype)
    for start in range(0, len(points), CHUNK):
        stop = min(start + CHUNK, len(points))
        chunk = products_t[: stop - start]
        np.matmul(points[start:stop], lanes.T, out=chunk)
        scan_chunk(chunk, start, sq, base, own, limit, upper, kept, kept_sq, fill)
    finish_lanes(kept, kept_sq, fill, upper, n_lanes, a, out_ind, out_dist, counts)
    right = points.T if units.cols is None else units.cols
    for r in np.flatnonzero(fill[:n_lanes] < 0):
        products = points[own[r : r + 1]] @ right
        exact_ties_from_products(products, sq, query, k, out_ind, out_dist, counts,
                                 a + r)  # fmt: skip
