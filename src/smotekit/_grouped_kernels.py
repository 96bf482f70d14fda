"""Compiled inner loops (numba) of the grouped exact search.

Pure functions on preallocated arrays that release the GIL: the candidate
lists of each point, the exact Euclidean distances of candidate pairs, and
the merge of candidates into each point's nearest rows
(:mod:`smotekit._grouped`).
"""

import numpy as np
from numba import njit

from ._kernels import _sq_distance

__all__ = ["candidate_lists", "merge_levels", "pair_sq_distances"]


@njit(nogil=True, cache=True)
def candidate_lists(queries, found, counts, codes, orders, bounds, ptr, cand):
    """Candidates of each query point: itself, ``found``, and the points that
    share one of its categories in the columns of ``codes``.

    Parameters
    ----------
    queries : ndarray of shape (c,)
        Query point ids.
    found : ndarray of shape (c, m)
        Candidates from the embedding search.
    counts : ndarray of shape (c,)
        Number of candidates of each query (``1 + m`` plus the shared ones).
    codes : ndarray of shape (n_points, h)
        Category codes of the points in the shared-category columns.
    orders : ndarray of shape (h, n_points)
        Points sorted by their code in each column.
    bounds : ndarray of shape (h, max_codes + 1)
        ``orders[t, bounds[t, v]:bounds[t, v + 1]]`` are the points of code v.
    ptr, cand : ndarray
        Outputs: the candidates of query r are ``cand[ptr[r]:ptr[r + 1]]``.
    """
    ptr[0] = 0
    for r in range(len(queries)):
        ptr[r + 1] = ptr[r] + counts[r]
    for r in range(len(queries)):
        pos = ptr[r]
        u = queries[r]
        cand[pos] = u
        pos += 1
        for j in range(found.shape[1]):
            cand[pos] = found[r, j]
            pos += 1
        for t in range(codes.shape[1]):
            v = codes[u, t]
            for s in range(bounds[t, v], bounds[t, v + 1]):
                cand[pos] = orders[t, s]
                pos += 1


@njit(nogil=True, cache=True)
def pair_sq_distances(points, queries, ptr, cand, out):
    """Squared Euclidean distances of candidate pairs, by the exact engine's
    one definition (:func:`smotekit._kernels._sq_distance`: float64, summed
    in feature order), for every query ``u = queries[r]`` and candidate
    ``v`` in ``cand[ptr[r]:ptr[r + 1]]``.
    """
    for r in range(len(queries)):
        u = queries[r]
        for s in range(ptr[r], ptr[r + 1]):
            out[s] = _sq_distance(points, cand[s], points, u)


@njit(nogil=True, cache=True)
def merge_levels(ptr, cand, dist, member_ptr, members, bound, tol_rel, tol_abs,
                 out_rows, out_ok):  # fmt: skip
    """The first ``k1`` rows of each query by (distance, row), and a certificate.

    A candidate point stands for all its rows (``members[member_ptr[v]:
    member_ptr[v + 1]]``, ascending). Candidates are ranked by distance;
    the rows of the points at one distance are merged by row index.
    ``out_rows[r]`` receives the first ``k1`` rows and ``out_ok[r]`` whether
    they are certainly right: every point left out is at a distance of at
    least ``bound[r]``, which must exceed the distance of the last row taken
    by more than the tolerance ``tol_rel * (bound + last) + tol_abs`` (which
    covers the rounding of both).
    """
    k1 = out_rows.shape[1]
    longest = 0
    for r in range(len(ptr) - 1):
        longest = max(longest, ptr[r + 1] - ptr[r])
    buf = np.empty(max(longest, 1) * k1, dtype=np.int64)
    for r in range(len(ptr) - 1):
        c = cand[ptr[r] : ptr[r + 1]]
        d = dist[ptr[r] : ptr[r + 1]]
        by_point = np.argsort(c, kind="mergesort")
        order = by_point[np.argsort(d[by_point], kind="mergesort")]
        m = len(order)
        collected = 0
        i = 0
        last = 0.0
        while collected < k1 and i < m:
            last = d[order[i]]
            need = k1 - collected
            n_buf = 0
            previous = -1
            j = i
            # (j == i: a NaN distance, equal to nothing, still moves on)
            while j < m and (j == i or d[order[j]] == last):
                v = c[order[j]]
                if v != previous:
                    start = member_ptr[v]
                    size = min(member_ptr[v + 1] - start, need)
                    for t in range(size):
                        buf[n_buf] = members[start + t]
                        n_buf += 1
                    previous = v
                j += 1
            if n_buf > 1:
                buf[:n_buf] = np.sort(buf[:n_buf])
            n_buf = min(n_buf, need)
            for t in range(n_buf):
                out_rows[r, collected + t] = buf[t]
            collected += n_buf
            i = j
        if collected < k1:
            out_ok[r] = False
        elif np.isinf(bound[r]):
            out_ok[r] = True
        else:
            out_ok[r] = bound[r] - last > tol_rel * (bound[r] + last) + tol_abs
