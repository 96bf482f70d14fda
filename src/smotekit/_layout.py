"""The points of a tiled neighbour search, made ready for the products.

The search (:mod:`smotekit._brute`) ranks candidates by dot products of
centred points, scaled by a power of two so that no coordinate reaches 1 in
magnitude, in its own dtype. This module computes the centre and the scale
(:func:`centre_and_scale`), an order of the fitted points in which each run
of a tile's rows is a compact box (:func:`spatial_order`), and the centred,
scaled copy with half squared norms (:class:`Layout`). Each is one compiled
pass over the rows, shared by the cores in fixed blocks, so the result does
not depend on the thread count.
"""

import numpy as np
from numba import njit

from ._threads import map_threads

__all__ = ["Layout", "centre_and_scale", "spatial_order"]

#: Rows per block of the passes over the points (fixed: sums of blocks are
#: added in block order, whatever the thread count).
ROWS_PER_BLOCK = 16_384
#: Points sampled to find the widest coordinate of a box in the spatial order.
SPREAD_SAMPLE = 1024
#: Ranges at most this long are sorted by insertion in the selection.
_SHORT = 16


def _blocks(n):
    return [(s, min(s + ROWS_PER_BLOCK, n)) for s in range(0, n, ROWS_PER_BLOCK)]


@njit(nogil=True, cache=True)
def _column_stats(points, start, stop, sums, lows, highs):
    """Float64 sums (in row order), minima and maxima of the columns of
    rows ``start:stop``, written to ``sums``, ``lows`` and ``highs``."""
    d = points.shape[1]
    for f in range(d):
        sums[f] = 0.0
        lows[f] = np.inf
        highs[f] = -np.inf
    for r in range(start, stop):
        for f in range(d):
            v = np.float64(points[r, f])
            sums[f] += v
            if v < lows[f]:
                lows[f] = v
            if v > highs[f]:
                highs[f] = v


def _stats(points):
    """``(sums, lows, highs)`` of the columns, as float64 arrays, summed by
    fixed blocks of rows, the blocks' sums added in order."""
    blocks = _blocks(points.shape[0])
    if not blocks:
        d = points.shape[1]
        return np.zeros(d), np.full(d, np.inf), np.full(d, -np.inf)
    parts = np.empty((3, len(blocks), points.shape[1]))

    def block(i):
        _column_stats(points, *blocks[i], parts[0, i], parts[1, i], parts[2, i])

    map_threads(block, range(len(blocks)))
    sums = np.zeros(points.shape[1])
    for part in parts[0]:
        sums += part
    return sums, parts[1].min(axis=0), parts[2].max(axis=0)


def centre_and_scale(fit_raw, query_raw):
    """Centre of the fitted points, and a power of two that brings every
    centred coordinate (fitted and query points) below 1 in magnitude.

    Scaling by a power of two is exact and keeps the neighbour order, and it
    keeps a float32 search of float64 (or extreme float32) data free of
    overflow; underflow is covered by the search's slack.

    Examples
    --------
    >>> import numpy as np
    >>> center, scale = centre_and_scale(np.array([[0.0, 1.0], [4.0, 3.0]]), None)
    >>> center.tolist(), scale
    ([2.0, 2.0], 0.25)
    """
    sums, low, high = _stats(fit_raw)
    center = sums / max(fit_raw.shape[0], 1)
    extent = 0.0
    for points in (fit_raw, query_raw):
        if points is not None and len(points):
            if points is not fit_raw:
                _, low, high = _stats(points)
            extent = max(extent, float(np.abs(low - center).max()),
                         float(np.abs(high - center).max()))  # fmt: skip
    if not (0.0 < extent < np.inf):
        return center, 1.0
    _, exponent = np.frexp(extent)  # extent = m * 2**exponent, 0.5 <= m < 1
    # at most 2**1023, the largest finite power of two (subnormal data
    # would ask for more)
    return center, float(np.ldexp(1.0, min(-int(exponent), 1023)))


@njit(nogil=True, cache=True)
def _insertion_sort(keys, order, lo, hi):
    for i in range(lo + 1, hi):
        key, row = keys[i], order[i]
        j = i - 1
        while j >= lo and keys[j] > key:
            keys[j + 1] = keys[j]
            order[j + 1] = order[j]
            j -= 1
        keys[j + 1] = key
        order[j + 1] = row


@njit(nogil=True, cache=True)
def _select(keys, order, lo, hi, nth, budget):
    """Reorder ``keys[lo:hi]``, and ``order`` alongside, so that the keys
    before position ``nth`` are at most those from it on (quickselect,
    median of three; after ``budget`` partitions, the range left is sorted
    outright, so a bad run of pivots costs a sort at most)."""
    while hi - lo > _SHORT:
        budget -= 1
        if budget < 0:
            rank = np.argsort(keys[lo:hi], kind="mergesort")
            keys[lo:hi] = keys[lo:hi][rank]
            order[lo:hi] = order[lo:hi][rank]
            return
        a, b, c = keys[lo], keys[(lo + hi) // 2], keys[hi - 1]
        pivot = max(min(a, b), min(max(a, b), c))
        i, j = lo, hi - 1
        while i <= j:
            while keys[i] < pivot:
                i += 1
            while keys[j] > pivot:
                j -= 1
            if i <= j:
                keys[i], keys[j] = keys[j], keys[i]
                order[i], order[j] = order[j], order[i]
                i += 1
                j -= 1
        # keys[lo:j + 1] <= pivot, keys[i:hi] >= pivot, between: the pivot
        if nth <= j:
            hi = j + 1
        elif nth >= i:
            lo = i
        else:
            return
    _insertion_sort(keys, order, lo, hi)


@njit(nogil=True, cache=True)
def _kd_order(points, leaf, sample):
    n, d = points.shape
    order = np.arange(n)
    keys = np.empty(n, np.float64)
    starts = np.empty(2 * (n // leaf) + 2, np.int64)
    stops = np.empty_like(starts)
    starts[0], stops[0], top = 0, n, 1
    low = np.empty(d, np.float64)
    high = np.empty(d, np.float64)
    while top > 0:
        top -= 1
        s, e = starts[top], stops[top]
        if e - s <= leaf:
            continue
        low[:] = np.inf
        high[:] = -np.inf
        for r in range(s, e, max(1, (e - s) // sample)):
            for f in range(d):
                v = np.float64(points[order[r], f])
                low[f] = min(low[f], v)
                high[f] = max(high[f], v)
        dim = int(np.argmax(high - low))
        for r in range(s, e):
            keys[r] = points[order[r], dim]
        n_left = ((e - s + leaf - 1) // leaf // 2) * leaf
        _select(keys, order, s, e, s + n_left, 2 * int(np.log2(e - s)) + 8)
        starts[top], stops[top] = s, s + n_left
        starts[top + 1], stops[top + 1] = s + n_left, e
        top += 2
    return order


def spatial_order(points, leaf):
    """An order of the rows in which each run of ``leaf`` rows (from the
    first) is a compact box: the leaves of a k-d split at the median of the
    widest coordinate (over a sample of the box's rows), sizes rounded to
    whole leaves.

    Tiles of nearby points give each point close candidates early, so its
    threshold drops fast and later tiles mark few entries; the result of the
    search does not depend on the order.

    Examples
    --------
    >>> import numpy as np
    >>> points = np.array([[0.0], [9.0], [1.0], [8.0], [4.0]])
    >>> order = spatial_order(points, 2)
    >>> sorted(order[:2].tolist()), sorted(order[2:4].tolist()), order[4:].tolist()
    ([0, 2], [3, 4], [1])
    """
    return _kd_order(points, max(int(leaf), 1), SPREAD_SAMPLE)


@njit(nogil=True, cache=True)
def _centred_rows(points, order, center, scale, start, stop, out, half_sq64):
    """Rows ``start:stop`` of the layout: ``(points[order[r]] - center) *
    scale`` in ``out``'s dtype, and half their squared norms in float64."""
    d = points.shape[1]
    ordered = order.shape[0] > 0
    for r in range(start, stop):
        src = order[r] if ordered else r
        acc = 0.0
        for f in range(d):
            c = (np.float64(points[src, f]) - center[f]) * scale
            out[r, f] = c
            acc += c * c
        half_sq64[r] = 0.5 * acc


_NO_ORDER = np.zeros(0, dtype=np.int64)


class Layout:
    """Centred, scaled points in the search dtype (rows in ``order`` when
    given), and their half squared norms (float64 and search dtype, in scaled
    units).

    Examples
    --------
    >>> import numpy as np
    >>> layout = Layout(np.array([[1.0, 3.0], [3.0, 3.0]]), np.array([2.0, 3.0]),
    ...                 0.5, np.float32, order=np.array([1, 0]))
    >>> layout.points.tolist(), layout.half_sq64.tolist()
    ([[0.5, 0.0], [-0.5, 0.0]], [0.125, 0.125])
    """

    def __init__(self, points, center, scale, dtype, order=None):
        self.points = np.empty(points.shape, dtype=dtype)
        self.half_sq64 = np.empty(len(points), dtype=np.float64)
        order = _NO_ORDER if order is None else np.asarray(order, dtype=np.int64)
        center = np.ascontiguousarray(center, dtype=np.float64)

        def block(bounds):
            _centred_rows(points, order, center, float(scale), *bounds,
                          self.points, self.half_sq64)  # fmt: skip

        map_threads(block, _blocks(len(points)))
        self.half_sq = self.half_sq64.astype(dtype)
