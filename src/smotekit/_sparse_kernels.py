"""Compiled inner loops (numba) of sparse rows: the exact search, and the
interpolation of synthetic rows.

Pure functions on the arrays of CSR matrices (``indptr``, ``indices`` with
the columns of each row in increasing order, ``data``) that release the GIL:
the candidates of each query by the norm expansion of its products, the
exact distances of candidates, and the exact evaluation of every row that a
bound cannot rule out (:mod:`smotekit._sparse_search`); the synthetic rows
between two rows (:func:`smotekit._generation.interpolate_sparse`).

A query's products are summed column by column into a scratch row (the
fitted rows that share a column with it, listed in ``touched``), which is
used while it is in cache and never stored: no product matrix is built.
Every other fitted row ``j`` has the product 0, hence the expansion value
``|x_j|² + |q|²``; those are met by walking ``order`` (the fitted rows by
increasing ``|x_j|²``), which stops as soon as the value is past what can
still matter.
"""

import numpy as np
from numba import njit

from ._kernels import _keep_best, bounded_value

__all__ = [
    "drop_zeros_from",
    "exact_candidates",
    "exact_within",
    "expansion_candidates",
    "interpolate_csr_rows",
    "union_sizes",
]


@njit(nogil=True, cache=True)
def _sparse_sq_distance(a_ptr, a_ind, a_dat, j, b_ptr, b_ind, b_dat, r):
    """Squared distance of row ``j`` of ``a`` and row ``r`` of ``b``, summed in
    float64 in column order: the same value as the dense exact search's
    (:func:`smotekit._kernels._sq_distance`), whose zero terms leave a sum
    unchanged."""
    acc = 0.0
    p, p_end = a_ptr[j], a_ptr[j + 1]
    q, q_end = b_ptr[r], b_ptr[r + 1]
    while p < p_end or q < q_end:
        if q == q_end or (p < p_end and a_ind[p] < b_ind[q]):
            diff = a_dat[p]
            p += 1
        elif p == p_end or b_ind[q] < a_ind[p]:
            diff = -b_dat[q]
            q += 1
        else:
            diff = a_dat[p] - b_dat[q]
            p += 1
            q += 1
        acc += diff * diff
    return acc


@njit(nogil=True, cache=True)
def _products(q_ptr, q_ind, q_dat, r, ft_ptr, ft_ind, ft_dat, tag, stamp, acc,
              touched):  # fmt: skip
    """Sum the products of query row ``r`` with the fitted rows (``ft``: the
    fitted rows transposed, one row per column) into ``acc`` (zeros on entry:
    the caller zeroes the rows it reads); the rows met get ``stamp[j] = tag``
    and are listed in ``touched`` (one more slot than rows); return how many."""
    n_touched = 0
    for p in range(q_ptr[r], q_ptr[r + 1]):
        value = q_dat[p]
        f = q_ind[p]
        for t in range(ft_ptr[f], ft_ptr[f + 1]):
            j = ft_ind[t]
            acc[j] += value * ft_dat[t]
            # branch-free: listed (again, past the end) unless already stamped
            touched[n_touched] = j
            n_touched += stamp[j] != tag
            stamp[j] = tag
    return n_touched


@njit(nogil=True, cache=True)
def expansion_candidates(q_ptr, q_ind, q_dat, query_sq, start, stop, ft_ptr, ft_ind,
                         ft_dat, fit_sq, order, stamp, acc, touched, out_value,
                         out_ind):  # fmt: skip
    """The ``w = out_ind.shape[1]`` fitted rows of smallest expansion value
    ``(|x_j|² - 2 q·x_j) + |q|²`` for query rows ``start:stop``, ties by index.

    Parameters
    ----------
    q_ptr, q_ind, q_dat : ndarray
        CSR arrays of the query rows.
    query_sq, fit_sq : ndarray of float64
        Squared norms of the query rows and of the fitted rows.
    start, stop : int
        The query rows to search.
    ft_ptr, ft_ind, ft_dat : ndarray
        CSR arrays of the fitted rows transposed (one row per column).
    order : ndarray
        Fitted rows sorted by ``fit_sq``.
    stamp, acc, touched : ndarray
        Scratch: int64 stamps (zeros at first; row ``r`` stamps ``r + 1``, so
        they need no clearing between rows) and float64 sums (zeros, left
        zero), of shape (n_fit,); int64 rows, of shape (n_fit + 1,).
    out_value, out_ind : ndarray of shape (stop - start, w)
        The values and rows found for query ``r`` go to row ``r - start``,
        sorted by value, then index.
    """
    w = out_ind.shape[1]
    for r in range(start, stop):
        best_v = out_value[r - start]
        best_i = out_ind[r - start]
        tag = r + 1
        n_touched = _products(q_ptr, q_ind, q_dat, r, ft_ptr, ft_ind, ft_dat, tag,
                              stamp, acc, touched)  # fmt: skip
        filled = 0
        q_sq = query_sq[r]
        for t in range(n_touched):
            j = touched[t]
            v = (fit_sq[j] - 2.0 * acc[j]) + q_sq
            acc[j] = 0.0
            filled = _keep_best(v, j, filled, best_v, best_i)
        for t in range(len(order)):
            j = order[t]
            if stamp[j] == tag:
                continue
            v = fit_sq[j] + q_sq
            if filled == w and v > best_v[w - 1]:
                break
            filled = _keep_best(v, j, filled, best_v, best_i)


@njit(nogil=True, cache=True)
def exact_candidates(fit_ptr, fit_ind, fit_dat, q_ptr, q_ind, q_dat, cand, start,
                     stop, out_sq, out_ind):  # fmt: skip
    """The ``k = out_ind.shape[1]`` candidates (row ``r - start`` of ``cand``
    for query ``r``, indices into the fitted rows) nearest to query rows
    ``start:stop`` by exact distance, sorted, ties by index, in rows
    ``start:stop`` of ``out_ind``; their exact squared distances go to
    ``out_sq``."""
    for r in range(start, stop):
        filled = 0
        for c in range(cand.shape[1]):
            j = cand[r - start, c]
            acc = _sparse_sq_distance(fit_ptr, fit_ind, fit_dat, j, q_ptr, q_ind,
                                      q_dat, r)  # fmt: skip
            filled = _keep_best(acc, j, filled, out_sq[r], out_ind[r])


@njit(nogil=True, cache=True)
def exact_within(q_ptr, q_ind, q_dat, query_sq, bound, tol_factor, start, stop,
                 ft_ptr, ft_ind, ft_dat, fit_sq, order, fit_ptr, fit_ind, fit_dat,
                 stamp, acc, touched, out_sq, out_ind):  # fmt: skip
    """The ``k = out_ind.shape[1]`` exact nearest fitted rows of query rows
    ``start:stop``, among the rows ``j`` whose expansion value ``v`` (as in
    :func:`expansion_candidates`) has ``v - tol_factor * fit_sq[j] <=
    bound[r]``: every one of them is measured exactly, so when the bound
    admits every row that can be among the k nearest, the answer is the
    exact one, ties by index. A value that is not a number (a query whose
    norm overflows) admits its row.
    """
    keep = 1.0 - tol_factor
    for r in range(start, stop):
        tag = r + 1
        n_touched = _products(q_ptr, q_ind, q_dat, r, ft_ptr, ft_ind, ft_dat, tag,
                              stamp, acc, touched)  # fmt: skip
        filled = 0
        q_sq = query_sq[r]
        for t in range(n_touched):
            j = touched[t]
            v = (fit_sq[j] - 2.0 * acc[j]) + q_sq
            acc[j] = 0.0
            if not (v - tol_factor * fit_sq[j] > bound[r]):
                d = _sparse_sq_distance(fit_ptr, fit_ind, fit_dat, j, q_ptr, q_ind,
                                        q_dat, r)  # fmt: skip
                filled = _keep_best(d, j, filled, out_sq[r], out_ind[r])
        for t in range(len(order)):
            j = order[t]
            if stamp[j] == tag:
                continue
            if keep * fit_sq[j] + q_sq > bound[r]:  # grows along ``order``
                break
            d = _sparse_sq_distance(fit_ptr, fit_ind, fit_dat, j, q_ptr, q_ind,
                                    q_dat, r)  # fmt: skip
            filled = _keep_best(d, j, filled, out_sq[r], out_ind[r])


@njit(nogil=True, cache=True)
def union_sizes(x_ptr, x_ind, parent, neighbor, start, stop, mark, out_ptr):
    """``out_ptr[r + 1]``: the number of columns stored in row ``parent[r]``
    or ``neighbor[r]`` of ``x``, for rows ``start:stop`` (``mark``: int64
    scratch of one entry per column, zeros; row ``r`` marks ``r + 1``).
    Counted with marks, not by walking the rows together: no branch that
    depends on how their columns interleave."""
    for r in range(start, stop):
        a, b = parent[r], neighbor[r]
        tag = r + 1
        for p in range(x_ptr[a], x_ptr[a + 1]):
            mark[x_ind[p]] = tag
        n = x_ptr[a + 1] - x_ptr[a]
        for q in range(x_ptr[b], x_ptr[b + 1]):
            n += mark[x_ind[q]] != tag
        out_ptr[r + 1] = n


@njit(nogil=True, cache=True)
def interpolate_csr_rows(x_ptr, x_ind, x_dat, parent, neighbor, gap, start, stop,
                         out_ptr, out_ind, out_dat):  # fmt: skip
    """Synthetic rows ``x[a] + gap[r] * (x[b] - x[a])`` of a CSR matrix ``x``
    (columns sorted in each row), rows ``start:stop``, one value per column
    stored in either row (zeros included), written to ``out_ind`` and
    ``out_dat`` from ``out_ptr[r]`` on (sizes from :func:`union_sizes`).

    The arithmetic is the dense kernel's (:func:`smotekit._kernels.
    interpolate_rows`), so the values are the dense result's, bit for bit
    (overflowing differences included).
    """
    zero = x_dat.dtype.type(0)
    one = x_dat.dtype.type(1)
    top = np.finfo(x_dat.dtype).max
    for r in range(start, stop):
        a, b, g = parent[r], neighbor[r], gap[r]
        n = out_ptr[r]
        p, p_end = x_ptr[a], x_ptr[a + 1]
        q, q_end = x_ptr[b], x_ptr[b + 1]
        while p < p_end or q < q_end:
            if q == q_end or (p < p_end and x_ind[p] < x_ind[q]):
                col, xa, xb = x_ind[p], x_dat[p], zero
                p += 1
            elif p == p_end or x_ind[q] < x_ind[p]:
                col, xa, xb = x_ind[q], zero, x_dat[q]
                q += 1
            else:
                col, xa, xb = x_ind[p], x_dat[p], x_dat[q]
                p += 1
                q += 1
            out_ind[n] = col
            v = xa + g * (xb - xa)
            out_dat[n] = v if v - v == 0 else bounded_value(xa, xb, g, one, top)
            n += 1


@njit(nogil=True, cache=True)
def drop_zeros_from(ptr, ind, dat, first):
    """Remove the zeros stored in rows ``first`` onwards of a CSR matrix, in
    place: their entries move left over the zeros and ``ptr`` is updated.
    The rows before are left as they are. Return the new number of stored
    entries (the arrays are not shortened)."""
    w = ptr[first]
    for r in range(first, len(ptr) - 1):
        s, e = ptr[r], ptr[r + 1]  # ptr[r + 1] not yet rewritten
        ptr[r] = w
        for p in range(s, e):
            if dat[p] != 0:
                ind[w] = ind[p]
                dat[w] = dat[p]
                w += 1
    ptr[len(ptr) - 1] = w
    return w
