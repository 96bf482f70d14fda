"""Exact k-nearest neighbours of sparse rows, with a certificate.

Each query's products with the fitted rows are summed, column by column,
over the fitted rows that share a column with it (a compiled kernel, with no
product matrix stored), and its candidates are the rows of smallest norm
expansion ``|x|² - 2 q·x + |q|²``, the rows sharing no column (product 0)
being met in the order of their norms (:mod:`smotekit._sparse_kernels`): a
query costs about the number of rows it shares a column with, not the number
of fitted rows. The best ``k + MARGIN`` are measured exactly, in float64 and
column order: the distances of the dense exact search, so dense and sparse
copies of the same data get the same neighbours. Each answer is then
certified: with the worst-case rounding of the expansion, no row left out
can be as close as the k-th. Rows the bound cannot vouch for (duplicated or
nearly duplicated rows, whose expansion values are rounding noise next to
their norms) are settled by measuring exactly every row whose expansion
value the bound cannot rule out. The result is the exact neighbour set, ties
broken by index, for any block size or thread count.
"""

import queue

import numpy as np
from scipy import sparse

from ._sparse_kernels import exact_candidates, exact_within, expansion_candidates
from ._threads import map_threads

__all__ = [
    "canonical_csr",
    "canonical_values",
    "dense_pays",
    "sparse_sq_kneighbors",
    "with_int32_indices",
]

#: Extra candidates measured exactly beyond the k asked for.
MARGIN = 4
#: Query rows per block handed to a thread.
BLOCK_ROWS = 512

#: Cost model of the two exact routes for sparse rows, nanoseconds per pair
#: of rows on two threads (fitted on 2k-20k rows of 50-2,000 columns at
#: densities 0.01-0.3): this route about 1 per product term, plus 2 per pair
#: that shares a column, plus 0.1; the dense tiled search about 0.4 + 0.006
#: per column.
SPARSE_NS_PER_TERM, SPARSE_NS_PER_SHARED, SPARSE_NS_PER_PAIR = 1.0, 2.0, 0.1
DENSE_NS_PER_PAIR, DENSE_NS_PER_COLUMN = 0.4, 0.006
#: The dense route is taken when it should take at most this share of the
#: sparse route's time...
DENSE_GAIN = 0.7
#: ...and its copies (float64 rows and the search's float32 layout, 12 bytes
#: an entry) fit in this many bytes or in twice the sparse rows' own.
DENSE_BYTES = 64 * 2**20

_U = np.finfo(np.float64).eps / 2


def _gamma(n):
    return n * _U / (1 - n * _U)


def canonical_csr(X, dtype=np.float64):
    """A CSR copy of ``X`` in ``dtype`` with the columns of each row sorted
    and repeated entries summed (the caller's matrix is left as it is).

    Examples
    --------
    >>> from scipy import sparse
    >>> X = sparse.csr_matrix(([1, 2, 3], [2, 0, 2], [0, 3]), shape=(1, 3))
    >>> C = canonical_csr(X)
    >>> C.indices.tolist(), C.data.tolist()
    ([0, 2], [2.0, 4.0])
    """
    X = sparse.csr_matrix(X, dtype=dtype, copy=True)
    X.sum_duplicates()
    return X


def canonical_values(X):
    """``X``, or, when it is a sparse matrix not in canonical form, a CSR copy
    with the columns of each row sorted and repeated entries summed in its
    own dtype, as ``X.toarray()`` and the samplers' rows sum them (the
    caller's matrix is left as it is).

    Examples
    --------
    >>> from scipy import sparse
    >>> X = sparse.csr_matrix(
    ...     (np.array([1, 2, 3], np.float32), [2, 0, 2], [0, 3]), shape=(1, 3))
    >>> C = canonical_values(X)
    >>> C.indices.tolist(), C.data.tolist(), C.dtype
    ([0, 2], [2.0, 4.0], dtype('float32'))
    >>> canonical_values(C) is C
    True
    """
    if not sparse.issparse(X) or X.has_canonical_format:
        return X
    return canonical_csr(X, X.dtype)


def with_int32_indices(X):
    """``X`` with 32-bit index arrays when it is sparse with 64-bit ones that
    fit in 32 bits (scikit-learn's SVMs and k-means take no others); the
    values are shared, the caller's matrix is left as it is.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import sparse
    >>> X = sparse.csr_matrix(np.eye(2))
    >>> X.indices, X.indptr = X.indices.astype(np.int64), X.indptr.astype(np.int64)
    >>> with_int32_indices(X).indices.dtype, X.indices.dtype
    (dtype('int32'), dtype('int64'))
    """
    if not sparse.issparse(X) or X.format not in ("csr", "csc"):
        return X
    if X.indices.dtype == np.int32 and X.indptr.dtype == np.int32:
        return X
    if max(X.nnz, *X.shape) >= 2**31:
        return X
    index = (X.indices.astype(np.int32), X.indptr.astype(np.int32))
    return type(X)((X.data, *index), shape=X.shape)


def dense_pays(fit, query=None):
    """Whether the dense exact search (:mod:`smotekit._brute`) on dense copies
    should beat this one: when most pairs of rows share columns (dense data
    stored sparse), at a bounded memory cost. Both give the same answer.

    Parameters
    ----------
    fit : sparse matrix of shape (n_fit, n_features)
    query : sparse matrix of shape (n_query, n_features), default=None
        ``None``: the fitted rows queried against themselves.

    Returns
    -------
    dense : bool
        True when the dense search should be faster and its copies are small.

    Examples
    --------
    >>> from scipy import sparse
    >>> dense_pays(sparse.random(2000, 50, density=0.3, random_state=0))
    True
    >>> dense_pays(sparse.random(2000, 1000, density=0.01, random_state=0))
    False
    """
    fit = sparse.csr_matrix(fit)
    n_fit, n_features = fit.shape
    fit_counts = np.bincount(fit.indices, minlength=n_features).astype(np.float64)
    if query is None:
        n_query, query_counts, query_nnz = n_fit, fit_counts, 0
    else:
        query = sparse.csr_matrix(query)
        n_query, query_nnz = query.shape[0], query.nnz
        query_counts = np.bincount(query.indices, minlength=n_features)
    pairs = float(n_query) * n_fit
    if pairs == 0:
        return False
    terms = float(fit_counts @ query_counts) / pairs  # product terms per pair
    shared = -np.expm1(-terms)  # share of pairs with a common column
    sparse_ns = (SPARSE_NS_PER_TERM * terms + SPARSE_NS_PER_SHARED * shared
                 + SPARSE_NS_PER_PAIR)  # fmt: skip
    dense_ns = DENSE_NS_PER_PAIR + DENSE_NS_PER_COLUMN * n_features
    dense_bytes = 12.0 * (n_fit + (0 if query is None else n_query)) * n_features
    own_bytes = 12.0 * (fit.nnz + query_nnz)
    small = dense_bytes <= max(DENSE_BYTES, 2.0 * own_bytes)
    return bool(small and dense_ns <= DENSE_GAIN * sparse_ns)


def _row_sq_norms(X):
    """Squared norms of the rows of a sparse matrix, float64."""
    return np.asarray(X.multiply(X).sum(axis=1), dtype=np.float64).ravel()


def _query_blocks(n, block_rows):
    """Row ranges ``(start, stop)`` of the query blocks."""
    step = block_rows or BLOCK_ROWS
    return [(s, min(s + step, n)) for s in range(0, n, step)]


class _Scratch:
    """One set of a kernel's per-row scratch for each thread, handed out to
    the blocks as they run (stamps stay valid across rows: see the kernels)."""

    def __init__(self, n_fit, n_threads):
        self.n_threads = n_threads
        self._free = queue.SimpleQueue()
        for _ in range(n_threads):
            self._free.put((np.zeros(n_fit, dtype=np.int64),
                            np.zeros(n_fit, dtype=np.float64),
                            np.empty(n_fit + 1, dtype=np.int64)))  # fmt: skip

    def run(self, fn, blocks):
        """``fn(block, stamp, acc, touched)`` for every block, on threads."""

        def work(block):
            scratch = self._free.get()
            try:
                fn(block, *scratch)
            finally:
                self._free.put(scratch)

        map_threads(work, blocks, self.n_threads)


class _Fitted:
    """The fitted rows in the forms the kernels read."""

    def __init__(self, fit):
        self.csr = fit
        self.transposed = fit.T.tocsr()
        self.sq = _row_sq_norms(fit)
        self.order = np.argsort(self.sq, kind="stable")
        n_features = fit.shape[1]
        # |expansion - D| <= tol_factor * (|x|² + |q|²) + slack, with D the
        # real squared distance: the norms and the product are sums of at
        # most n_features terms, then one subtraction and one addition
        self.tol_factor = 2.0 * (2.0 * _gamma(n_features) + 8.0 * _U)
        # |exact - D| <= rel * D + slack for the float64 sum of squares
        self.rel = _gamma(n_features + 3)
        self.slack = 4.0 * (n_features + 8) * float(np.finfo(np.float64).tiny)
        self.max_sq = float(self.sq.max()) if len(self.sq) else 0.0

    def admit(self, kth_sq, query_sq):
        """Bound ``B`` such that a fitted row ``j`` can be as close as a k-th
        neighbour at exact squared distance ``kth_sq`` only if its expansion
        value ``v`` has ``v - tol_factor * |x_j|² <= B``: its real squared
        distance is at most the k-th's, which the exact sums' rounding
        bounds, and ``v`` is off by at most ``tol_factor * (|x_j|² + |q|²)``
        plus ``slack``. (Queries with an infinite norm admit every row.)"""
        real_kth = (kth_sq + self.slack) / (1.0 - self.rel)
        return (real_kth + self.tol_factor * query_sq + self.slack) * (1.0 + 8.0 * _U)

    def certain(self, last, kth_sq, query_sq):
        """Rows whose candidates hold all their k nearest: every row left out
        has an expansion value of at least ``last``, too large to be admitted
        (:meth:`admit`) whatever its norm up to the largest."""
        return last - self.tol_factor * self.max_sq > self.admit(kth_sq, query_sq)


def _first_pass(fitted, query, q_sq, k, width, block_rows, n_threads):
    """Exact distances of each query's ``width`` best rows by expansion value;
    (indices, squared distances, the expansion value of the last candidate)."""
    n = query.shape[0]
    ind = np.empty((n, k), dtype=np.int64)
    sq = np.empty((n, k), dtype=np.float64)
    last = np.empty(n, dtype=np.float64)
    fit, ft = fitted.csr, fitted.transposed

    def work(block, stamp, acc, touched):
        start, stop = block  # the block's candidates only: no n x width table
        values = np.empty((stop - start, width), dtype=np.float64)
        cand = np.empty((stop - start, width), dtype=np.int64)
        expansion_candidates(query.indptr, query.indices, query.data, q_sq, start,
                             stop, ft.indptr, ft.indices, ft.data, fitted.sq,
                             fitted.order, stamp, acc, touched, values,
                             cand)  # fmt: skip
        exact_candidates(fit.indptr, fit.indices, fit.data, query.indptr,
                         query.indices, query.data, cand, start, stop, sq,
                         ind)  # fmt: skip
        last[start:stop] = values[:, -1]

    blocks = _query_blocks(n, block_rows)
    _Scratch(fit.shape[0], min(n_threads, len(blocks))).run(work, blocks)
    return ind, sq, last


def _settle(fitted, query, q_sq, bound, k, block_rows, n_threads):
    """Exact neighbours of ``query``'s rows among every fitted row that
    :meth:`_Fitted.admit` admits under ``bound`` (all that can be among the
    k nearest)."""
    n = query.shape[0]
    ind = np.full((n, k), -1, dtype=np.int64)
    sq = np.empty((n, k), dtype=np.float64)
    fit, ft = fitted.csr, fitted.transposed

    def work(block, stamp, acc, touched):
        exact_within(query.indptr, query.indices, query.data, q_sq, bound,
                     fitted.tol_factor, *block, ft.indptr, ft.indices, ft.data,
                     fitted.sq, fitted.order, fit.indptr, fit.indices, fit.data,
                     stamp, acc, touched, sq, ind)  # fmt: skip

    blocks = _query_blocks(n, block_rows)
    _Scratch(fit.shape[0], min(n_threads, len(blocks))).run(work, blocks)
    if (ind < 0).any():  # the bound holds the k rows already measured
        raise RuntimeError("sparse exact search: bound below the k-th neighbour")
    return ind, sq


def sparse_sq_kneighbors(fit, query, k, *, n_threads=1, block_rows=None):
    """Exact k nearest fitted rows of each query row, for sparse matrices.

    Parameters
    ----------
    fit : sparse matrix of shape (n_fit, n_features)
        Rows to search (converted to a float64 CSR copy).
    query : sparse matrix of shape (n_query, n_features) or None
        Query rows; ``None`` queries the fitted rows themselves (each row is
        then among its own neighbours, at distance 0).
    k : int
        Number of neighbours, at most ``n_fit``.
    n_threads : int, default=1
        Python threads sharing the blocks of queries.
    block_rows : int, default=None
        Query rows per block (``BLOCK_ROWS`` when None). Does not change the
        result.

    Returns
    -------
    indices : ndarray of shape (n_query, k), int64
        Sorted by distance, ties by index.
    sq_distances : ndarray of shape (n_query, k), float64
        Exact squared distances, summed in float64 in column order.

    Examples
    --------
    >>> from scipy import sparse
    >>> X = sparse.csr_matrix([[0.0, 1.0], [0.0, 0.0], [3.0, 0.0], [0.0, 1.0]])
    >>> ind, sq = sparse_sq_kneighbors(X, None, 2)
    >>> ind.tolist(), sq.tolist()
    ([[0, 3], [1, 0], [2, 1], [0, 3]], [[0.0, 0.0], [0.0, 1.0], [0.0, 9.0], [0.0, 0.0]])
    """
    fit = canonical_csr(fit)
    query = fit if query is None else canonical_csr(query)
    if not 1 <= k <= fit.shape[0]:
        raise ValueError(
            f"sparse_sq_kneighbors: k must be between 1 and the {fit.shape[0]} "
            f"fitted rows; got {k}."
        )
    fitted = _Fitted(fit)
    q_sq = fitted.sq if query is fit else _row_sq_norms(query)
    width = min(k + MARGIN, fit.shape[0])
    ind, sq, last = _first_pass(fitted, query, q_sq, k, width, block_rows, n_threads)
    if width == fit.shape[0]:  # every row was measured
        return ind, sq
    rows = np.flatnonzero(~fitted.certain(last, sq[:, -1], q_sq))
    if rows.size:
        bound = fitted.admit(sq[rows, -1], q_sq[rows])
        ind[rows], sq[rows] = _settle(fitted, query[rows], q_sq[rows], bound, k,
                                      block_rows, n_threads)  # fmt: skip
    return ind, sq
