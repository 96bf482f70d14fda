"""Compiled inner loops (numba) of SMOTENC and SMOTEN.

Pure functions on preallocated arrays that release the GIL: exact distances
of candidate pairs (mixed Euclidean + Hamming, Value Difference Metric),
the merge of candidates into each point's nearest rows, and the categorical
vote of each synthetic row.
"""

import numpy as np
from numba import njit

__all__ = [
    "candidate_lists",
    "merge_levels",
    "mixed_sq_distances",
    "vdm_distances",
    "vote_sources",
]


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
def mixed_sq_distances(cont, codes, med2, queries, ptr, cand, out):
    """Squared SMOTENC distances of candidate pairs.

    ``|x_u - x_v|^2 + med2 * (number of categorical columns that differ)``
    for every query ``u = queries[r]`` and candidate ``v`` in
    ``cand[ptr[r]:ptr[r + 1]]``.
    """
    p = cont.shape[1]
    q = codes.shape[1]
    for r in range(len(queries)):
        u = queries[r]
        for s in range(ptr[r], ptr[r + 1]):
            v = cand[s]
            acc = 0.0
            for f in range(p):
                diff = cont[u, f] - cont[v, f]
                acc += diff * diff
            differ = 0
            for f in range(q):
                if codes[u, f] != codes[v, f]:
                    differ += 1
            out[s] = acc + med2 * differ


@njit(nogil=True, cache=True)
def vdm_distances(codes, proba, scale, queries, ptr, cand, out):
    """Value Difference Metric of candidate pairs, in units of ``1 / scale``.

    For each feature, the distance between two values is the L1 distance of
    their class-probability rows ``proba[a]`` and ``proba[b]``; its square is
    rounded to a multiple of ``1 / scale`` and the squares are summed over
    the features (imbalanced-learn's ``k=1, r=2``). Sums of integers are
    exact, so equal distances compare equal whatever their order.

    ``codes`` holds, per point and feature, a row of ``proba``.
    """
    n_classes = proba.shape[1]
    n_features = codes.shape[1]
    for r in range(len(queries)):
        u = queries[r]
        for s in range(ptr[r], ptr[r + 1]):
            v = cand[s]
            total = 0
            for f in range(n_features):
                a = codes[u, f]
                b = codes[v, f]
                if a != b:
                    l1 = 0.0
                    for c in range(n_classes):
                        l1 += abs(proba[a, c] - proba[b, c])
                    total += np.int64(np.rint(l1 * l1 * scale))
            out[s] = total / scale


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
            while j < m and d[order[j]] == last:
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


@njit(nogil=True, cache=True)
def vote_sources(codes, voters, words, out):
    """The input row each synthetic categorical value is copied from.

    For synthetic row ``r`` and categorical column ``f``, the category chosen
    is the most frequent code among the rows ``voters[r]``; a tie is broken
    by ``words[r, f]``, which picks one of the tied categories (in the order
    in which they first appear among the voters). The value is copied from
    the first voter carrying it.

    Parameters
    ----------
    codes : ndarray of shape (n_samples, q)
        Category codes of the input rows.
    voters : ndarray of shape (b, v)
        Input rows that vote, nearest first.
    words : ndarray of shape (b, >= q), uint64
        Random words of the synthetic rows.
    out : ndarray of shape (b, q)
        Output: input row of each synthetic value.
    """
    n_voters = voters.shape[1]
    tied = np.empty(n_voters, dtype=np.int64)
    for r in range(voters.shape[0]):
        for f in range(codes.shape[1]):
            best = 0
            n_tied = 0
            for a in range(n_voters):
                code = codes[voters[r, a], f]
                seen = False
                for e in range(a):
                    if codes[voters[r, e], f] == code:
                        seen = True
                        break
                if seen:
                    continue
                count = 1
                for e in range(a + 1, n_voters):
                    if codes[voters[r, e], f] == code:
                        count += 1
                if count > best:
                    best = count
                    n_tied = 0
                if count == best:
                    tied[n_tied] = a
                    n_tied += 1
            pick = tied[np.int64(words[r, f] % np.uint64(n_tied))]
            out[r, f] = voters[r, pick]
