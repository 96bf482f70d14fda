"""Compiled inner loops (numba), each a pure function on preallocated arrays.

The kernels release the GIL so that callers can run them from several Python
threads at once; none of them allocates more than one row's scratch space.
"""

import sys

import numpy as np
from numba import njit

from ._philox import _mulhi

__all__ = [
    "bootstrap_from_words",
    "bounded_value",
    "columns_into_rows",
    "count_labels",
    "divisor",
    "exact_rerank",
    "exact_rerank_labelled",
    "gather_rows",
    "group_thresholds",
    "interpolate_rows",
    "interpolate_rows_rounded",
    "mark_and_merge",
    "merge_marked",
    "merge_top_lists",
    "nearest_from_products",
    "pairs_from_words",
    "quotient",
    "rows_into_columns",
    "scan_nearest",
    "ties_from_products",
    "tile_masks",
]


#: Constants of the byte tricks of :func:`tile_masks` and :func:`merge_marked`
#: (kept uint64: numba turns uint64 mixed with int64 into float64).
_LOW_BYTES = np.uint64(0x0101010101010101)
_ONE = np.uint64(1)
_ZERO = np.uint64(0)
_TOP_BYTE = np.uint64(56)


@njit(nogil=True, cache=True, fastmath=True)
def tile_masks(prod, half_sq_rows, half_sq_cols, thresh_rows, thresh_cols, mask,
               count_rows, count_cols, rows, cols, skip_diagonal):  # fmt: skip
    """Mark the entries of a tile that may enter a row's or a column's top list.

    For rows ``i`` and columns ``j`` of a tile of dot products ``prod`` of
    centred points, the ranking value of column point ``j`` for row point
    ``i`` is ``half_sq_cols[j] - prod[i, j]`` (half the squared distance minus
    a per-row constant), and symmetrically for the columns. An entry is marked
    for its row (column) when its value is at most the row's (column's)
    current threshold.

    Both marks of an entry share one byte (bit 0 for the row, bit 1 for the
    column), written in one pass over the tile; the marks are counted
    afterwards, eight bytes at a time, which keeps the pass free of the
    widening that per-entry counts cost.

    Parameters
    ----------
    prod : ndarray of shape (b, t)
        Dot products between the row block and the column block.
    half_sq_rows, half_sq_cols : ndarray of shape (b,) and (t,)
        Half squared norms of the row and column points.
    thresh_rows, thresh_cols : ndarray of shape (b,) and (t,)
        Current thresholds (an upper bound of each point's last kept value).
    mask : ndarray of shape (b, s), uint8, C-contiguous, s >= t a multiple of 8
        Output: byte ``(i, j)`` holds the marks of entry ``(i, j)``; the bytes
        ``t:s`` of each row are set to 0 (rows padded to whole words).
    count_rows, count_cols : ndarray of shape (>= b,)
        Outputs: the number of row (column) marks in each row of the tile,
        written for the kinds of marks asked for.
    rows, cols : bool
        Which marks to make: for the rows' lists, the columns', or both.
    skip_diagonal : bool
        Whether entry ``(i, i)`` is a point paired with itself (never marked).
    """
    b, t = prod.shape
    s = mask.shape[1]
    words = mask.view(np.uint64)
    for i in range(b):
        hr = half_sq_rows[i]
        if rows and cols:
            tr = thresh_rows[i]
            for j in range(t):
                p = prod[i, j]
                row_mark = np.uint8((half_sq_cols[j] - p) <= tr)
                col_mark = np.uint8((hr - p) <= thresh_cols[j])
                mask[i, j] = row_mark + col_mark + col_mark
        elif rows:
            tr = thresh_rows[i]
            for j in range(t):
                mask[i, j] = np.uint8((half_sq_cols[j] - prod[i, j]) <= tr)
        else:
            for j in range(t):
                col_mark = np.uint8((hr - prod[i, j]) <= thresh_cols[j])
                mask[i, j] = col_mark + col_mark
        for j in range(t, s):
            mask[i, j] = 0
        if skip_diagonal and i < t:
            mask[i, i] = 0
        n_rows = _ZERO
        n_cols = _ZERO
        for w in range(s // 8):
            word = words[i, w]
            # bytes of 0 or 1 summed in the top byte (at most 8 a word)
            n_rows += ((word & _LOW_BYTES) * _LOW_BYTES) >> _TOP_BYTE
            n_cols += (((word >> _ONE) & _LOW_BYTES) * _LOW_BYTES) >> _TOP_BYTE
        if rows:
            count_rows[i] = n_rows
        if cols:
            count_cols[i] = n_cols


@njit(nogil=True, cache=True, fastmath=True)
def group_thresholds(prod, half_sq_rows, width, skip_diagonal, thresh_cols, low, best):
    """Lower each column's threshold to a bound of its ``width``-th smallest
    value in a tile, from the minima of groups of rows.

    The ranking value of row point ``i`` for column point ``j`` is
    ``half_sq_rows[i] - prod[i, j]``. The rows are dealt into ``G =
    low.shape[0]`` groups (row ``i`` to group ``i % G``); each group's
    smallest value in a column is one of the column's values, and the
    groups' are of distinct rows, so the ``width``-th smallest group minimum
    is at least the column's ``width``-th smallest value and can serve as
    its threshold. It is also close to it: the ``width`` smallest values of
    a column mostly fall in distinct groups. Every step works on whole rows
    of the tile (the minima row by row, then the ``width`` smallest minima
    of each column by compare-exchanges of whole rows), so it vectorises and
    costs about two readings of the tile.

    Parameters
    ----------
    prod : ndarray of shape (b, t)
        Dot products of the tile.
    half_sq_rows : ndarray of shape (b,)
        Half squared norms of the row points.
    width : int
        Rank of the value to bound (the length of the top lists).
    skip_diagonal : bool
        Whether entry ``(j, j)`` is a point paired with itself (left out).
    thresh_cols : ndarray of shape (t,)
        Thresholds of the column points, lowered in place.
    low : ndarray of shape (G, >= t)
        Scratch for the group minima; ``G`` at least ``width`` (else no
        threshold is lowered, as when the tile has too few rows).
    best : ndarray of shape (>= width, >= t)
        Scratch for the smallest minima of each column.
    """
    b, t = prod.shape
    n_groups = min(low.shape[0], b)
    if n_groups < width:
        return
    for i in range(b):
        h = half_sq_rows[i]
        lo = low[i % n_groups]
        own = skip_diagonal and i < t
        if i < n_groups:
            for j in range(t):
                lo[j] = h - prod[i, j]
            if own:
                lo[i] = np.inf
            continue
        if own:  # row i's only value in column i is the point itself
            kept = lo[i]
        for j in range(t):
            x = h - prod[i, j]
            if x < lo[j]:
                lo[j] = x
        if own:
            lo[i] = kept
    for q in range(width):
        for j in range(t):
            best[q, j] = np.inf
    for c in range(n_groups):
        x = low[c]
        for q in range(width):
            kept = best[q]
            for j in range(t):
                a, z = kept[j], x[j]
                if z < a:
                    kept[j], x[j] = z, a
    for j in range(t):
        if best[width - 1, j] < thresh_cols[j]:
            thresh_cols[j] = best[width - 1, j]


#: Whether byte 0 of a uint64 word is its least significant byte.
_LITTLE_ENDIAN = sys.byteorder == "little"


@njit(nogil=True, cache=True)
def merge_marked(words, counts, prod, member_half_sq, values, indices, thresh, offset,
                 by_row):  # fmt: skip
    """Insert the marked entries of a tile into per-point sorted top lists.

    Parameters
    ----------
    words : ndarray of shape (b, s / 8), uint64
        A uint64 view of the tile's mark bytes as :func:`tile_masks` writes
        them (bit 0 of an entry's byte marks it for its row, bit 1 for its
        column; rows padded with 0 to ``s >= t`` bytes); the owners' bit is
        read. Rows without marks are skipped, a row's scan stops at its last
        mark, runs of eight unmarked entries cost one comparison, and the
        marked bytes of a word are visited directly, lowest first.
    counts : ndarray of shape (b,)
        Number of the owners' marks in each row of ``words``.
    prod : ndarray of shape (b, t)
        The tile's dot products.
    member_half_sq : ndarray
        Half squared norms of the candidates: of the columns when ``by_row``
        (the rows own the lists), else of the rows.
    values : ndarray of shape (n, M)
        Sorted ranking values of each owner's kept neighbours (``inf`` when
        free); a candidate's value is its half squared norm minus the dot
        product.
    indices : ndarray of shape (n, M)
        Matching neighbour indices.
    thresh : ndarray of shape (n,)
        Thresholds, lowered to an owner's last kept value when that is lower.
    offset : int
        Added to a candidate's tile position to give its global index.
    by_row : bool
        Whether the tile's rows (else its columns) own the lists.
    """
    width = values.shape[1]
    shift = _ZERO if by_row else _ONE
    for i in range(prod.shape[0]):
        left = counts[i]
        w = 0
        while left > 0:
            word = (words[i, w] >> shift) & _LOW_BYTES
            while word != _ZERO:
                lowest = word & (~word + _ONE)  # lowest set bit: 2 ** (8 * byte)
                word ^= lowest
                left -= 1
                # the bytes below it are 0xFF: one 0x01 each, summed in the top byte
                below = ((lowest - _ONE) & _LOW_BYTES) * _LOW_BYTES
                byte = np.int64(below >> _TOP_BYTE)
                j = w * 8 + (byte if _LITTLE_ENDIAN else 7 - byte)
                if by_row:
                    r, m = i, j
                else:
                    r, m = j, i
                x = member_half_sq[m] - prod[i, j]
                if not x < values[r, width - 1]:
                    continue
                q = width - 1
                while q > 0 and values[r, q - 1] > x:
                    values[r, q] = values[r, q - 1]
                    indices[r, q] = indices[r, q - 1]
                    q -= 1
                values[r, q] = x
                indices[r, q] = m + offset
                last = values[r, width - 1]
                if last < thresh[r]:
                    thresh[r] = last
            w += 1


@njit(nogil=True, cache=True)
def mark_and_merge(prod, half_sq_rows, half_sq_cols, thresh_rows, thresh_cols,
                   values_rows, indices_rows, values_cols, indices_cols, row_offset,
                   col_offset, flags, count_rows, count_cols, rows, cols,
                   skip_diagonal):  # fmt: skip
    """:func:`tile_masks`, then :func:`merge_marked` for the rows' lists and
    for the columns' lists, in one call (a tile's work without the Python
    calls between the steps).

    Parameters
    ----------
    prod : ndarray of shape (b, t)
        Dot products between the row block and the column block.
    half_sq_rows, half_sq_cols, thresh_rows, thresh_cols
        As in :func:`tile_masks`.
    values_rows, indices_rows : ndarray of shape (b, M)
        Top lists of the row points (written when ``rows``).
    values_cols, indices_cols : ndarray of shape (t, M)
        Top lists of the column points (written when ``cols``).
    row_offset, col_offset : int
        Global index of the first row point and of the first column point.
    flags : ndarray of uint8, at least ``b * s`` bytes, ``s`` = ``t`` rounded
        up to a multiple of 8
        Scratch for the mark bytes.
    count_rows, count_cols : ndarray of shape (>= b,)
        Scratch for the counts of marks.
    rows, cols, skip_diagonal : bool
        As in :func:`tile_masks`.
    """
    b, t = prod.shape
    stride = (t + 7) // 8 * 8
    mask = flags[: b * stride].reshape(b, stride)
    tile_masks(prod, half_sq_rows, half_sq_cols, thresh_rows, thresh_cols, mask,
               count_rows, count_cols, rows, cols, skip_diagonal)  # fmt: skip
    words = mask.view(np.uint64)
    if rows:
        merge_marked(words, count_rows, prod, half_sq_cols, values_rows, indices_rows,
                     thresh_rows, col_offset, True)  # fmt: skip
    if cols:
        merge_marked(words, count_cols, prod, half_sq_rows, values_cols, indices_cols,
                     thresh_cols, row_offset, False)  # fmt: skip


@njit(nogil=True, cache=True)
def merge_top_lists(values, indices, other_values, other_indices):
    """Merge sorted top lists ``other_*`` into ``values`` / ``indices``, in place.

    Row by row, the two sorted lists become the ``M = values.shape[1]``
    smallest values of both, sorted; equal values go in index order where
    the two lists meet.
    """
    n, width = values.shape
    merged_v = np.empty(width, values.dtype)
    merged_i = np.empty(width, indices.dtype)
    for r in range(n):
        a = 0
        b = 0
        for q in range(width):
            va = values[r, a]
            vb = other_values[r, b]
            if vb < va or (vb == va and other_indices[r, b] < indices[r, a]):
                merged_v[q] = vb
                merged_i[q] = other_indices[r, b]
                b += 1
            else:
                merged_v[q] = va
                merged_i[q] = indices[r, a]
                a += 1
        values[r, :] = merged_v
        indices[r, :] = merged_i


@njit(nogil=True, cache=True)
def _sq_distance(fit, j, query, r):
    """Squared distance of ``fit[j]`` and ``query[r]``, summed in float64 in
    feature order (the one definition every exact step uses)."""
    acc = 0.0
    for f in range(fit.shape[1]):
        diff = np.float64(fit[j, f]) - np.float64(query[r, f])
        acc += diff * diff
    return acc


@njit(nogil=True, cache=True)
def _keep_best(acc, j, filled, best_sq, best_ind):
    """Insert candidate ``j`` at squared distance ``acc`` into the sorted
    ``best_*`` lists (ties by index) holding ``filled`` entries; return the
    new fill."""
    k = best_sq.shape[0]
    if filled == k and (
        acc > best_sq[k - 1] or (acc == best_sq[k - 1] and j > best_ind[k - 1])
    ):
        return filled
    p = filled if filled < k else k - 1
    if filled < k:
        filled += 1
    while p > 0 and (
        best_sq[p - 1] > acc or (best_sq[p - 1] == acc and best_ind[p - 1] > j)
    ):
        best_sq[p] = best_sq[p - 1]
        best_ind[p] = best_ind[p - 1]
        p -= 1
    best_sq[p] = acc
    best_ind[p] = j
    return filled


@njit(nogil=True, cache=True, inline="always")
def _push_bound(upper, u):
    """Insert ``u`` into the ascending ``upper`` (dropping its last entry)
    when it is smaller than that entry; whether it was."""
    k = upper.shape[0]
    if not u < upper[k - 1]:
        return False
    m = k - 1
    while m > 0 and upper[m - 1] > u:
        upper[m] = upper[m - 1]
        m -= 1
    upper[m] = u
    return True


@njit(nogil=True, cache=True, inline="always")
def _lower_bounds(row, sq, base, slack, tiny, skip, low):
    """``low[j]``: the lower bound ``v - e`` of the squared distance of the
    query (squared norm ``base``) and point ``j``, where
    ``v = base + sq[j] - 2 row[j]`` and ``e = slack * (base + sq[j]) + tiny``
    (NaN at ``skip``, the query's own point, >= 0: never kept). One pass with
    no branch, which the compiler vectorises; the scans then read one value
    a point and recompute ``v`` and ``e`` alike for the few they keep."""
    for j in range(low.shape[0]):
        v = base + sq[j] - 2.0 * np.float64(row[j])
        low[j] = v - (slack * (base + sq[j]) + tiny)
    if skip >= 0:
        low[skip] = np.nan


@njit(nogil=True, cache=True)
def ties_from_products(products, sq, points, queries, k, slack, out_ind, out_dist,
                       counts, first):  # fmt: skip
    """For query ``i`` in ``first:first + len(products)`` (point
    ``queries[i]``, left out), every point at most as far as its ``k``-th
    nearest other point: their indices, by distance then index, in
    ``out_ind[i, :counts[i]]`` and their distances in ``out_dist`` (-1 in
    ``counts[i]`` when more than ``out_ind`` has columns tie), from the
    query's products with every point (row ``i - first`` of ``products``)
    and every point's squared norm ``sq``, in the same units.

    ``sq[q] + sq[j] - 2 products[r, j]`` is within ``slack * (sq[q] + sq[j])``
    of the squared distance (0 for integers that the products' dtype holds
    exactly: then it is the distance). One pass per row keeps every point
    whose lower bound (:func:`_lower_bounds`) is within rounding of the
    running k-th smallest upper bound (a superset of the answer, as that
    only falls), of which those within the final bound stay; with a slack
    their distances are then computed from ``points`` as every exact step
    computes them (:func:`_sq_distance`). The answer is the points
    whose distance (the square root) is at most the k-th smallest: the root
    rounds monotonically, so that is the root of the k-th smallest square,
    and a square past it shares that root only when within rounding of it
    (:func:`_band`).
    """
    n = products.shape[1]
    cap = out_ind.shape[1]
    upper = np.empty(k)
    kept = np.empty(n, dtype=np.int64)
    kept_sq = np.empty(n)
    kept_low = np.empty(n)
    low = np.empty(n)
    tiny = 1e-300 if slack > 0 else 0.0
    for r in range(products.shape[0]):
        i = first + r
        q = queries[i]
        base = sq[q]
        row = products[r]
        _lower_bounds(row, sq, base, slack, tiny, q, low)
        for m in range(k):
            upper[m] = np.inf
        limit = np.inf
        c = 0
        for j in range(n):
            if low[j] <= limit:
                v = base + sq[j] - 2.0 * np.float64(row[j])
                kept[c] = j
                kept_sq[c] = v
                kept_low[c] = low[j]
                c += 1
                if _push_bound(upper, v + (slack * (base + sq[j]) + tiny)):
                    limit = _band(upper[k - 1])
        # the points past the final limit (it only fell) are dropped, in order
        kept_now = 0
        for b in range(c):
            if kept_low[b] <= limit:
                kept[kept_now] = kept[b]
                kept_sq[kept_now] = kept_sq[b]
                kept_now += 1
        c = kept_now
        if slack > 0:
            for b in range(c):
                kept_sq[b] = _sq_distance(points, kept[b], points, q)
        counts[i] = _ties_of_kept(kept, kept_sq, c, upper, out_ind[i], out_dist[i], cap)


@njit(nogil=True, cache=True)
def exact_ties_from_products(products, sq, queries, k, out_ind, out_dist, counts,
                             first):  # fmt: skip
    """:func:`ties_from_products` for integer points whose products give
    every squared distance exactly (slack 0; ``sq`` in the products' dtype)
    and below ``2**50``: distinct integer squares below ``2**50`` have
    distinct float64 roots (at least ``2**-26`` apart, four times their
    spacing), so the answer is the points at most as far as the k-th square,
    and the whole scan runs in the products' dtype (float32: twice the
    values a vector holds). Not for larger squares: from about ``2**52``
    consecutive squares share a root."""
    n = products.shape[1]
    cap = out_ind.shape[1]
    upper = np.empty(k)
    kept = np.empty(n, dtype=np.int64)
    kept_sq = np.empty(n)
    values = np.empty(n, dtype=sq.dtype)
    two = products.dtype.type(2)
    for r in range(products.shape[0]):
        i = first + r
        q = queries[i]
        base = sq[q]
        row = products[r]
        for j in range(n):  # vectorised, as in _lower_bounds
            values[j] = base + sq[j] - two * row[j]
        values[q] = np.nan
        for m in range(k):
            upper[m] = np.inf
        limit = sq.dtype.type(np.inf)
        c = 0
        for j in range(n):
            if values[j] <= limit:
                kept[c] = j
                kept_sq[c] = values[j]
                c += 1
                if _push_bound(upper, kept_sq[c - 1]):
                    limit = sq.dtype.type(upper[k - 1])
        # the points past the final limit (it only fell) are dropped, in order
        kept_now = 0
        for b in range(c):
            if kept_sq[b] <= upper[k - 1]:
                kept[kept_now] = kept[b]
                kept_sq[kept_now] = kept_sq[b]
                kept_now += 1
        counts[i] = _ties_of_kept(kept, kept_sq, kept_now, upper, out_ind[i],
                                  out_dist[i], cap)  # fmt: skip


@njit(nogil=True, cache=True)
def nearest_from_products(products, sq_fit, sq_query, fit, query, own, slack,
                          out_ind, out_sq, first):  # fmt: skip
    """The ``k = out_ind.shape[1]`` nearest points of ``fit`` to the query
    rows ``first:first + len(products)``, by exact squared distance
    (:func:`_sq_distance`), ties by index, ``own[i]`` left out (-1: none),
    sorted into ``out_ind`` / ``out_sq``.

    ``products`` holds the rows' products with every fitted point and
    ``sq_fit`` / ``sq_query`` the squared norms, in units (centred) where
    ``sq_query[i] + sq_fit[j] - 2 products[r, j]`` is within
    ``slack * (sq_query[i] + sq_fit[j])`` of the squared distance. One pass
    keeps every point whose lower bound (:func:`_lower_bounds`) is at most
    the running k-th smallest upper bound (a superset of the answer, as that
    only falls); the kept points whose lower bound is within the final k-th
    upper bound then get their exact distance, which decides, as in
    :func:`exact_rerank`.
    """
    n = products.shape[1]
    k = out_ind.shape[1]
    upper = np.empty(k)
    kept = np.empty(n, dtype=np.int64)
    kept_low = np.empty(n)
    low = np.empty(n)
    for r in range(products.shape[0]):
        i = first + r
        base = sq_query[i]
        row = products[r]
        _lower_bounds(row, sq_fit, base, slack, 1e-300, own[i], low)
        for m in range(k):
            upper[m] = np.inf
        limit = np.inf
        c = 0
        for j in range(n):
            if low[j] <= limit:
                kept[c] = j
                kept_low[c] = low[j]
                c += 1
                v = base + sq_fit[j] - 2.0 * np.float64(row[j])
                if _push_bound(upper, v + (slack * (base + sq_fit[j]) + 1e-300)):
                    limit = upper[k - 1]
        filled = 0
        for b in range(c):
            if kept_low[b] <= limit:  # the k-th upper bound can only have fallen
                j = kept[b]
                filled = _keep_best(_sq_distance(fit, j, query, i), j, filled,
                                    out_sq[i], out_ind[i])  # fmt: skip


@njit(nogil=True, cache=True, inline="always")
def _ties_of_kept(kept, kept_sq, c, best, ind, dist, cap):
    """The answer of :func:`ties_from_products` among the ``c`` points
    ``kept`` (ascending) at squared distances ``kept_sq``: written to
    ``ind`` and ``dist``, their number returned (-1 past ``cap``)."""
    k = best.shape[0]
    for m in range(k):
        best[m] = np.inf
    for b in range(c):
        _push_bound(best, kept_sq[b])
    bound_sq = best[k - 1]
    boundary = np.sqrt(bound_sq)
    band = _band(bound_sq)
    count = 0
    for b in range(c):
        v = kept_sq[b]
        if v <= bound_sq or (v <= band and np.sqrt(v) <= boundary):
            if count == cap:
                return -1
            ind[count] = kept[b]
            dist[count] = np.sqrt(v)
            count += 1
    # by distance, ties by index (the order they came in: a stable sort)
    if count > 32:
        order = np.argsort(dist[:count], kind="mergesort")
        ind[:count] = ind[:count][order]
        dist[:count] = dist[:count][order]
    else:
        for b in range(1, count):
            v, j = dist[b], ind[b]
            m = b
            while m > 0 and dist[m - 1] > v:
                dist[m] = dist[m - 1]
                ind[m] = ind[m - 1]
                m -= 1
            dist[m], ind[m] = v, j
    return count


@njit(nogil=True, cache=True, inline="always")
def _band(bound_sq):
    """A square past which the square root is past ``sqrt(bound_sq)``
    (a relative ``2**-40`` is far beyond the root's rounding)."""
    return bound_sq + bound_sq * 2.0**-40 + 1e-300


@njit(nogil=True, cache=True, inline="always")
def _rerank(fit, query, cand, labels, start, stop, out_ind, out_sq):
    """:func:`exact_rerank_labelled`; no ``labels`` (an empty array): each
    candidate's row is its index."""
    k = out_ind.shape[1]
    best_sq = np.empty(k, np.float64)
    best_ind = np.empty(k, np.int64)
    labelled = labels.shape[0] > 0
    for r in range(start, stop):
        filled = 0
        for c in range(cand.shape[1]):
            j = cand[r, c]
            name = labels[j] if labelled else j
            filled = _keep_best(_sq_distance(fit, j, query, r), name, filled,
                                best_sq, best_ind)  # fmt: skip
        out_ind[r, :] = best_ind
        out_sq[r, :] = best_sq


@njit(nogil=True, cache=True)
def exact_rerank(fit, query, cand, start, stop, out_ind, out_sq):
    """Exact float64 squared distances to candidates; keep the k best.

    For query rows ``start`` to ``stop``, the ``k = out_ind.shape[1]``
    candidates (columns of ``cand``, indices into ``fit``) with the smallest
    exact squared distance are written to ``out_ind`` / ``out_sq``, sorted,
    ties broken by index.
    """
    _rerank(fit, query, cand, np.empty(0, np.int64), start, stop, out_ind, out_sq)


@njit(nogil=True, cache=True)
def exact_rerank_labelled(fit, query, cand, labels, start, stop, out_ind, out_sq):
    """:func:`exact_rerank` of points stored in another order: candidate
    ``j`` (a row of ``fit``) is the point ``labels[j]``, the index written to
    ``out_ind`` and compared among ties, so the answer is the one of the
    points in their own order."""
    _rerank(fit, query, cand, labels, start, stop, out_ind, out_sq)


@njit(nogil=True, cache=True)
def scan_nearest(fit, query, exclude, start, stop, out_ind, out_sq):
    """Exact k nearest neighbours of query rows ``start:stop`` by a full scan.

    Every row of ``fit`` is a candidate except ``exclude[r]`` (``-1``: none);
    distances and ties are as in :func:`exact_rerank`, so the answer is the
    same as re-ranking a candidate list that holds the true neighbours.
    Rows ``start:stop`` of ``out_ind`` / ``out_sq`` receive the
    ``k = out_ind.shape[1]`` best, sorted.
    """
    k = out_ind.shape[1]
    best_sq = np.empty(k, np.float64)
    best_ind = np.empty(k, np.int64)
    for r in range(start, stop):
        filled = 0
        for j in range(fit.shape[0]):
            if j != exclude[r]:
                filled = _keep_best(_sq_distance(fit, j, query, r), j, filled,
                                    best_sq, best_ind)  # fmt: skip
        out_ind[r, :] = best_ind
        out_sq[r, :] = best_sq


_INV_2_53 = 1.0 / (1 << 53)
_BIT = np.uint64(63)


@njit(nogil=True, cache=True)
def divisor(d):
    """Multiplier and shift with which :func:`quotient` divides by ``d``.

    The round-up method of Granlund and Montgomery (1994), "Division by
    invariant integers using multiplication", as in libdivide: with
    ``L = ceil(log2 d)``, the multiplier is ``floor(2**64 * (2**L - d) / d)
    + 1`` (computed here by long division, once per call of a kernel) and
    the shift ``L - 1``. Exact for every 64-bit dividend; ``d = 1`` is
    handled by :func:`quotient` itself.

    Parameters
    ----------
    d : uint64
        Divisor, at least 1.

    Returns
    -------
    magic, shift : uint64
    """
    if d <= _ONE:
        return _ZERO, _ZERO
    length = np.uint64(0)  # number of bits of d - 1: ceil(log2 d)
    rest = d - _ONE
    while rest != _ZERO:
        rest >>= _ONE
        length += _ONE
    remainder = (_ZERO - d) if length == np.uint64(64) else (_ONE << length) - d
    magic = _ZERO
    for _ in range(64):  # (remainder * 2**64) // d, bit by bit; remainder < d
        carry = remainder >> _BIT
        remainder <<= _ONE
        magic <<= _ONE
        if carry != _ZERO or remainder >= d:
            remainder -= d
            magic |= _ONE
    return magic + _ONE, length - _ONE


@njit(nogil=True, cache=True)
def quotient(a, d, magic, shift):
    """``a // d`` for uint64 ``a`` and ``d >= 1``, with ``(magic, shift) =
    divisor(d)``: one high multiply instead of a 64-bit division (several
    times slower on the draws' hot loops)."""
    if d == _ONE:
        return a
    high = _mulhi(a, magic)
    return (((a - high) >> _ONE) + high) >> shift


@njit(nogil=True, cache=True)
def pairs_from_words(words, neighbors, rows, below_one, parent, neighbor, gap):
    """Turn two random words per synthetic row into (seed, neighbour, gap).

    Row ``r``'s pair is ``words[r, 0] % (n_seeds * k)`` (seed position and
    neighbour column of the table ``neighbors``); its gap is the top 53 bits
    of ``words[r, 1]`` as a float in [0, 1), cast to ``gap``'s dtype and kept
    at most ``below_one`` (a float32 gap could round up to 1). ``parent`` and
    ``neighbor`` receive input rows, ``rows[seed]`` and
    ``rows[neighbors[seed, column]]``.
    """
    n_seeds, k = neighbors.shape
    n_pairs = np.uint64(n_seeds * k)
    width = np.uint64(k)
    pairs_magic, pairs_shift = divisor(n_pairs)
    width_magic, width_shift = divisor(width)
    for r in range(words.shape[0]):
        word = words[r, 0]
        pair = word - quotient(word, n_pairs, pairs_magic, pairs_shift) * n_pairs
        seed = quotient(pair, width, width_magic, width_shift)
        parent[r] = rows[seed]
        neighbor[r] = rows[neighbors[seed, pair - seed * width]]
        gap[r] = np.float64(words[r, 1] >> np.uint64(11)) * _INV_2_53
        if gap[r] > below_one:
            gap[r] = below_one


@njit(nogil=True, cache=True)
def bootstrap_from_words(words, rows, parent):
    """Row ``r``'s source ``rows[words[r] % len(rows)]`` into ``parent``."""
    n_rows = np.uint64(rows.shape[0])
    magic, shift = divisor(n_rows)
    for r in range(words.shape[0]):
        word = words[r]
        parent[r] = rows[word - quotient(word, n_rows, magic, shift) * n_rows]


#: Partial counts :func:`count_labels` keeps for a few classes: consecutive
#: labels land in different ones, so increments of one class do not wait on
#: each other (1M labels of two classes: 0.58 ms, against 1.8 ms with one
#: count per class and 2.3 ms for ``np.bincount``).
_LANES = 8
#: Classes up to which :func:`count_labels` keeps partial counts.
_LANED_BINS = 1024


@njit(nogil=True, cache=True)
def count_labels(values, low, counts):
    """Add one to ``counts[v - low]`` for each value ``v`` of a 1-D integer
    array (all within ``low`` to ``low + len(counts) - 1``)."""
    n_bins = counts.shape[0]
    n = values.shape[0]
    if n_bins > _LANED_BINS:
        for v in values:
            counts[np.int64(v) - low] += 1
        return
    lanes = np.zeros((_LANES, n_bins), np.int64)
    full = n - n % _LANES
    for i in range(0, full, _LANES):
        for lane in range(_LANES):
            lanes[lane, np.int64(values[i + lane]) - low] += 1
    for i in range(full, n):
        lanes[0, np.int64(values[i]) - low] += 1
    for lane in range(_LANES):
        for b in range(n_bins):
            counts[b] += lanes[lane, b]


@njit(nogil=True, cache=True)
def interpolate_rows(out, X, parent, neighbor, gap, start, stop):
    """``out[r] = X[a] + gap[r] * (X[b] - X[a])`` for rows ``start:stop``.

    ``out``, ``X`` and ``gap`` share one float dtype; the arithmetic is the
    same three operations as the numpy expression (no fused multiply-add),
    so the result is bit-identical to it wherever that is finite. Where it
    overflows (values beyond half the dtype's largest), the value is
    :func:`bounded_value` instead, which stays finite.
    """
    d = X.shape[1]
    one = out.dtype.type(1)
    top = np.finfo(out.dtype).max
    for r in range(start, stop):
        a = parent[r]
        b = neighbor[r]
        g = gap[r]
        overflow = False
        for f in range(d):
            xa = X[a, f]
            v = xa + g * (X[b, f] - xa)
            out[r, f] = v
            overflow |= not (v - v == 0)
        if overflow:  # rare: a row of the whole row's cost, kept branch-free
            for f in range(d):
                v = out[r, f]
                if not (v - v == 0):
                    out[r, f] = bounded_value(X[a, f], X[b, f], g, one, top)


@njit(nogil=True, cache=True)
def interpolate_rows_rounded(out, X, parent, neighbor, gap, lo, hi, top, at_bottom,
                             at_top, segments, start, stop):  # fmt: skip
    """``out[r] = X[a] + gap[r] * (X[b] - X[a])`` for rows ``start:stop``,
    rounded into the integer (or bool) dtype of ``out`` and ``X``.

    Each value is the float64 expression of
    :func:`smotekit._generation.interpolate_into` (the same three
    operations), rounded half to even and clipped to ``[lo, hi]``; a rounded
    value of ``top`` or more becomes ``at_top`` (64-bit dtypes, whose
    largest value float64 rounds up past their range: ``hi`` is the float
    below it). Values of integers are finite in float64, so nothing
    overflows. With ``segments`` (64-bit dtypes, whose values past 2**53
    float64 rounds), each value is then kept on its rows' segment, in
    integer arithmetic, as :func:`smotekit._generation.within_segments`
    keeps it (a value built exactly is on it already); ``at_bottom`` is the
    dtype's smallest value.
    """
    d = X.shape[1]
    for r in range(start, stop):
        a = parent[r]
        b = neighbor[r]
        g = gap[r]
        back = g < 0
        for f in range(d):
            ia = X[a, f]
            ib = X[b, f]
            xa = np.float64(ia)
            v = np.rint(xa + g * (np.float64(ib) - xa))
            if v >= top:
                out[r, f] = at_top
            else:
                out[r, f] = min(max(v, lo), hi)
            if segments:
                if back:  # away from the neighbour: the parent's side
                    low = ia if ib <= ia else at_bottom
                    high = at_top if ib < ia else ia
                else:
                    low = min(ia, ib)
                    high = max(ia, ib)
                out[r, f] = min(max(out[r, f], low), high)


@njit(nogil=True, cache=True, inline="always")
def bounded_value(xa, xb, g, one, top):
    """The value ``xa + g * (xb - xa)`` where that expression overflows.

    First ``(1 - g) * xa + g * xb``, which no step of overflows for a gap in
    [0, 1]; for an extrapolating gap (negative, SVMSMOTE's) where that
    overflows too, the expression on a quarter of the values, times four;
    past the dtype's largest finite value ``top``, ``top`` with the value's
    sign (saturated, never infinite). ``one`` is 1 in the values' dtype, so
    every step is done in that dtype, as the numpy form
    (:func:`smotekit._generation.interpolate_into`) does it.
    """
    v = (one - g) * xa + g * xb
    if v - v == 0:
        return v
    half = one / (one + one)
    quarter = half * half
    s = xa * quarter + g * (xb * quarter - xa * quarter)
    twice = s + s
    v = twice + twice
    if v - v == 0:
        return v
    return top if s > 0 else -top


#: Rows per tile of the column <-> row copies (a tile of every column stays
#: in cache while it is turned).
_TURN_ROWS = 256


@njit(nogil=True, cache=True)
def columns_into_rows(out, columns, positions, start, stop):
    """``out[r, positions[c]] = columns[c, r]`` for rows ``start:stop``.

    ``columns`` holds one column per row (a DataFrame's block, C-ordered);
    the values are cast to ``out``'s dtype. The rows are turned a tile at a
    time, so that both sides are read and written in cache lines.
    """
    for t in range(start, stop, _TURN_ROWS):
        end = min(t + _TURN_ROWS, stop)
        for c in range(columns.shape[0]):
            j = positions[c]
            for r in range(t, end):
                out[r, j] = columns[c, r]


@njit(nogil=True, cache=True)
def rows_into_columns(dest, values, positions, lo, hi, top, at_top, rounding, offset,
                      start, stop):  # fmt: skip
    """``dest[c, offset + r] = values[r, positions[c]]`` for rows
    ``start:stop``, fitted into ``dest``'s dtype as
    :func:`smotekit._generation.round_into_range` fits them.

    With ``rounding`` (integer and bool columns) a value is rounded half to
    even, becomes ``at_top`` from ``top`` on and is clipped to ``[lo, hi]``;
    otherwise (float columns) it is clipped to ``[lo, hi]``, the dtype's
    finite range, and NaN stays NaN. Tiled as :func:`columns_into_rows`.
    """
    for t in range(start, stop, _TURN_ROWS):
        end = min(t + _TURN_ROWS, stop)
        for c in range(dest.shape[0]):
            j = positions[c]
            for r in range(t, end):
                v = values[r, j]
                if rounding:
                    v = np.rint(v)
                    if v >= top:
                        dest[c, offset + r] = at_top
                        continue
                if v < lo:
                    v = lo
                elif v > hi:
                    v = hi
                dest[c, offset + r] = v


@njit(nogil=True, cache=True)
def gather_rows(out, X, parent, start, stop):
    """``out[r] = X[parent[r]]`` for rows ``start:stop`` (same dtype)."""
    d = X.shape[1]
    for r in range(start, stop):
        a = parent[r]
        for f in range(d):
            out[r, f] = X[a, f]
