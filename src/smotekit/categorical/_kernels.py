"""Compiled inner loops (numba) of SMOTENC and SMOTEN.

Pure functions on preallocated arrays that release the GIL: exact distances
of candidate pairs (mixed Euclidean + Hamming, Value Difference Metric) for
the grouped search (:mod:`smotekit._grouped`), and the categorical vote of
each synthetic row.
"""

import numpy as np
from numba import njit

__all__ = [
    "mixed_sq_distances",
    "vdm_distances",
    "vote_sources",
]


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
