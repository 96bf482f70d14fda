"""Exact k-nearest neighbours by tiled matrix products, with a certificate.

The search ranks candidates by ``|x|²/2 - q·x`` (half the squared distance
minus a per-query constant), computed tile by tile with a BLAS matrix product
of centred points, scaled by a power of two so that no coordinate reaches 1
in magnitude, in float32 whatever the input dtype. Each point keeps its
``M = k + margin + 1`` best values;
a compiled kernel marks the few entries of a tile below a point's current
threshold, so the cost per pair is the product plus one pass over the tile
while it is in cache. When the query set is the fitted set itself, only the
tiles above the diagonal are computed and each serves both its rows and its
columns, halving the work, and the points are first put in the order of the
leaves of a k-d split, so that each tile holds nearby points and thresholds
fall after the first tiles.

Tiles are processed by ``n_threads`` Python threads, each with a single-
threaded BLAS and its own top lists; thresholds are shared (a stale
threshold only lets more candidates through, never drops a true one), and
the lists are merged at the end. The best ``k + margin`` candidates are then
re-ranked with exact float64 distances, and each answer is certified: no
excluded point can be closer once the worst-case rounding of the product is
accounted for (underflow included). Uncertain rows are searched again in
float64 (a class float32 cannot rank, as where columns keep their own units,
is searched in float64 from the start: :mod:`smotekit._certificate`); rows
whose k-th neighbour is exactly as far as the first excluded candidate (ties,
common in discrete data) are searched again with many more candidates; any
row still uncertain is settled by a compiled full scan. A class whose rows
repeat (seen in a sample of its rows, or as many tied rows after the first
pass, when the distinct rows are few) goes to the grouped search instead
(:mod:`smotekit._grouped`), which settles the ties once per distinct row.
The result is therefore the exact neighbour set (ties broken by index), the
same for any tile size or thread count.
"""

import functools
import os
import threading

import numpy as np
from threadpoolctl import ThreadpoolController

from ._certificate import (
    error_bound,
    exact_underflow,
    few_levels,
    float32_failing_share,
    is_uncertain,
    leaf_failing_share,
    unequal_spread,
)
from ._intrinsic import spread_columns
from ._kernels import (
    exact_rerank,
    exact_rerank_labelled,
    group_thresholds,
    mark_and_merge,
    merge_top_lists,
    nearest_from_products,
    scan_nearest,
)
from ._layout import Layout, centre_and_scale, spatial_order
from ._row_hash import row_hashes
from ._threads import map_threads
from ._units import point_units

__all__ = [
    "brute_kneighbors",
    "drop_own",
    "every_pair_kneighbors",
    "exact_rerank_rows",
    "grouped_self_search",
    "sample_repeats",
    "single_threaded_blas",
    "sq_kneighbors",
]

#: Points per tile side; a tile of float32 products is 1.56 MiB, inside a
#: 2 MiB per-core L2 cache (in-process medians on an Intel Xeon, 10k- and
#: 100k-point classes of 10 to 200 features: 640 beats 768 by 0-6% and 512
#: by 0-3%; on the AMD EPYC measured before, 768 beat 512 and 1024 by 5-25%).
TILE = 640
#: Extra candidates kept for the exact re-ranking (beyond rounding, a wider
#: list only helps tied data, which gets its own wider pass; 4 instead of 8
#: saves 5-15% of the search on continuous data).
MARGIN = 4
#: Extra candidates of the second search of points whose k-th neighbour is
#: tied with the first excluded candidate (discrete data).
TIE_MARGIN = 56
#: Columns of a query's first tile used to set its initial threshold.
SEED_SAMPLE = 256
#: Groups of rows whose minima set the thresholds of a self-search's
#: diagonal tiles (at least twice the list width; 10k points of 10 features:
#: 13 marks a point instead of 31 from a sample of ``SEED_SAMPLE`` columns).
GROUPS = 32
#: A self-search hands the class to the grouped search (identical rows as one
#: point, :mod:`smotekit._grouped`) when at least this share of its rows is
#: tied after the first pass...
GROUPED_MIN_TIED = 1 / 16
#: ...and its distinct rows are at most this share of its rows.
GROUPED_MAX_POINTS = 7 / 8
#: Rows sampled to see whether a class repeats rows before any search (then
#: it goes to the grouped search first).
REPEAT_SAMPLE = 1024
#: Searches of at least this many pairs times features, whose columns
#: spread unequally (as where they keep their own units) or whose leaves
#: fail the float32 certificate (tight clusters far apart), first ask
#: whether float32 would certify their rows (a sample of 64 rows: 5-35 ms
#: on classes of 10k-100k rows of 10-200 features, 1-5% of such
#: searches)...
FORESIGHT_MIN_WORK = 2**32
#: ...when they have this many query rows at least (the forecast of a
#: sample of 64 rows costs about 64 / (2 × rows) of the search)...
FORESIGHT_MIN_QUERIES = 1024
#: ...and start in float64 when it would fail on this share of the sample
#: (a float64 pass costs about 1.6 times a float32 one, a float64 search of
#: the failed rows about 2.7 times a float32 pass over all rows).
FLOAT64_FIRST_SHARE = 1 / 4
#: A float32 pass that failed on this share of its rows all the same is made
#: again in float64, as a whole.
FLOAT64_AGAIN_SHARE = 1 / 2
#: Searches of at most this many pairs, on tables whose spread a few
#: columns hold (float32 fails there) or whose columns take few levels
#: (their distances tie), compute every pair's product at once and the
#: exact distance of the points near the k-th: a pass per row, without the
#: float32 pass, the float64 one and the looks at ties (self-searches of
#: the shipped crx, 653 rows, 2.9 ms against 9.0; car_good, 1,728: 6.9
#: against 11.9; queries of a seventh of page_blocks0's 5,472 rows: 6.3
#: against 15.4). Where more columns spread alike the tiled passes are
#: faster (segment0, 2,308 rows, 7.5 columns wide: 8 ms against 12), and
#: so is the grouped search on rows that repeat...
SMALL_PAIRS = 2**23
#: ...at most this many columns holding the spread
#: (:func:`~smotekit._intrinsic.spread_columns`)...
SMALL_MAX_SPREAD_COLUMNS = 4.0
#: ...a few queries at a time (this many products, in cache while read).
SMALL_BLOCK = 2**17
#: Searches of every pair of at most this many pairs x features run on one
#: thread (waking a second costs more than it saves).
ONE_THREAD_WORK = 2**21
#: Rows per pass of the row-wise float64 steps (bounded temporaries).
ROWS_PER_PASS = 8192


class _Marks:
    """Reusable scratch of one tile's marks: the mark bytes (rows padded to
    whole uint64 words) and the number of each kind of mark in each row."""

    def __init__(self, n_rows, n_cols):
        self.flags = np.zeros(n_rows * (-(-n_cols // 8) * 8), dtype=np.uint8)
        self.count_rows = np.zeros(n_rows, dtype=np.int64)
        self.count_cols = np.zeros(n_rows, dtype=np.int64)


class _TopLists:
    """Per-thread sorted top lists over all query points, shared thresholds."""

    def __init__(self, n_points, width, dtype, n_threads, index_dtype=np.int64):
        self.width = width
        self.values = [
            np.full((n_points, width), np.inf, dtype) for _ in range(n_threads)
        ]
        self.indices = [
            np.full((n_points, width), -1, index_dtype) for _ in range(n_threads)
        ]
        self.thresh = np.full(n_points, np.inf, dtype)

    def seed_thresholds(self, start, member_half_sq, prod, sample_start, buf):
        """Set thresholds of rows ``start:`` from a tile's first columns.

        The values of the tile's rows against its first ``SEED_SAMPLE``
        columns (members) are written into the scratch ``buf``; the
        ``width``-th smallest value over a sample of candidates bounds the
        ``width``-th smallest over all of them, so it is a valid threshold.
        The point itself (if in the sample: member ``start + i -
        sample_start`` for row ``i``) is left out.
        """
        n_rows, n_cols = prod.shape[0], min(prod.shape[1], SEED_SAMPLE)
        if n_cols <= self.width:
            return
        vals = buf[: n_rows * n_cols].reshape(n_rows, n_cols)
        np.subtract(member_half_sq[None, :n_cols], prod[:, :n_cols], out=vals)
        rows = np.arange(n_rows)
        own = rows + start - sample_start
        inside = (own >= 0) & (own < n_cols)
        vals[rows[inside], own[inside]] = np.inf
        vals.partition(self.width, axis=1)
        block = self.thresh[start : start + n_rows]
        np.minimum(block, vals[:, self.width], out=block)

    def result(self):
        """Merged ``(values, indices)`` of every point, sorted, ``width`` wide."""
        values, indices = self.values[0], self.indices[0]
        others = zip(self.values[1:], self.indices[1:], strict=True)
        for other_values, other_indices in others:
            merge_top_lists(values, indices, other_values, other_indices)
        return values, indices


def _tiles(n, tile):
    return [(s, min(s + tile, n)) for s in range(0, n, tile)]


def _self_search(fit, lists, tile, n_threads):
    """Top lists of every fitted point among the others (upper tiles only)."""
    blocks = _tiles(len(fit.points), tile)
    pairs = [(a, b) for a in range(len(blocks)) for b in range(a + 1, len(blocks))]
    side = min(tile, len(fit.points))

    # scratch of each thread, allocated here: freed memory of the worker
    # threads' own allocator arenas would stay resident after the search
    groups = max(GROUPS, 2 * lists.width)
    scratch = [
        (np.empty(side * side, fit.points.dtype), _Marks(side, side),
         np.empty((groups, side), fit.points.dtype),
         np.empty((lists.width, side), fit.points.dtype),
         np.empty((side, fit.points.shape[1]), fit.points.dtype))
        for _ in range(n_threads)
    ]  # fmt: skip

    def diagonal(slot, a):
        # the columns own the lists here: their thresholds come from the
        # minima of groups of rows, kept over whole rows of the tile at once
        prod, marks, low, best, copy = scratch[slot]
        s, e = blocks[a]
        P = prod[: (e - s) ** 2].reshape(e - s, e - s)
        # a copy as the second factor: BLAS takes the product of a block with
        # its own transpose as symmetric (syrk), 3x slower at 10 features
        # than the general product
        other = copy[: e - s]
        other[:] = fit.points[s:e]
        np.matmul(fit.points[s:e], other.T, out=P)
        h, t = fit.half_sq[s:e], lists.thresh[s:e]
        group_thresholds(P, h, lists.width, True, t, low, best)
        v, i = lists.values[slot][s:e], lists.indices[slot][s:e]
        counts = marks.count_rows, marks.count_cols
        mark_and_merge(P, h, h, t, t, v, i, v, i, s, s, marks.flags, *counts, False,
                       True, True)  # fmt: skip

    def off_diagonal(slot, pair):
        prod, marks = scratch[slot][:2]
        (s, e), (s2, e2) = blocks[pair[0]], blocks[pair[1]]
        P = prod[: (e - s) * (e2 - s2)].reshape(e - s, e2 - s2)
        np.matmul(fit.points[s:e], fit.points[s2:e2].T, out=P)
        h, t = fit.half_sq, lists.thresh
        v, i = lists.values[slot], lists.indices[slot]
        mark_and_merge(P, h[s:e], h[s2:e2], t[s:e], t[s2:e2], v[s:e], i[s:e],
                       v[s2:e2], i[s2:e2], s, s2, marks.flags, marks.count_rows,
                       marks.count_cols, True, True, False)  # fmt: skip

    _run(diagonal, range(len(blocks)), n_threads)
    _run(off_diagonal, pairs, n_threads)


def _query_search(fit, query, lists, tile, n_threads):
    """Top lists of every query point among the fitted points."""
    q_blocks = _tiles(len(query.points), tile)
    f_blocks = _tiles(len(fit.points), tile)
    rows, cols = min(tile, len(query.points)), min(tile, len(fit.points))

    scratch = [
        (np.empty(rows * cols, fit.points.dtype), _Marks(rows, cols),
         np.empty(rows * SEED_SAMPLE, fit.points.dtype))
        for _ in range(n_threads)
    ]  # fmt: skip

    def work(slot, block):
        prod, marks, seed = scratch[slot]
        s, e = block
        for b, (s2, e2) in enumerate(f_blocks):
            P = prod[: (e - s) * (e2 - s2)].reshape(e - s, e2 - s2)
            np.matmul(query.points[s:e], fit.points[s2:e2].T, out=P)
            hc = fit.half_sq[s2:e2]
            if b == 0:
                lists.seed_thresholds(s, hc, P, len(query.points) + 1, seed)
            v, i = lists.values[slot][s:e], lists.indices[slot][s:e]
            # the columns own no lists here: their arguments are placeholders
            mark_and_merge(P, query.half_sq[s:e], hc, lists.thresh[s:e], hc, v, i,
                           v, i, s, s2, marks.flags, marks.count_rows,
                           marks.count_cols, True, False, False)  # fmt: skip

    _run(work, q_blocks, n_threads)


@functools.cache
def _blas_controller():
    """Thread-pool controller, inspected once (inspection reads the process maps)."""
    return ThreadpoolController()


def _run(fn, items, n_threads):
    """Run ``fn(slot, item)`` for every item on up to ``n_threads`` threads,
    each taking the next item when it is free (BLAS is single-threaded
    meanwhile, see :func:`brute_kneighbors`). ``slot``, below ``n_threads``,
    is held by one running item at a time: the index of the scratch and top
    lists it may write."""
    free = list(range(n_threads))

    def run(item):
        slot = free.pop()
        try:
            fn(slot, item)
        finally:
            free.append(slot)

    map_threads(run, items, n_threads)


def exact_rerank_rows(fit_raw, query_raw, cand, k, n_threads, labels=None):
    """Exact float64 squared distances to candidates; the k best, ties by
    index (``labels``: the index of each row of ``fit_raw``, when it holds
    the points in another order; the answer then lists those indices)."""
    ind = np.empty((len(cand), k), dtype=np.int64)
    sq = np.empty((len(cand), k), dtype=np.float64)
    chunks = _tiles(len(cand), -(-len(cand) // n_threads) or 1)

    def work(_, chunk):
        if labels is None:
            exact_rerank(fit_raw, query_raw, cand, *chunk, ind, sq)
        else:
            exact_rerank_labelled(fit_raw, query_raw, cand, labels, *chunk, ind, sq)

    _run(work, chunks, n_threads)
    return ind, sq


def _width(n_fit, k, margin, self_query):
    """Candidates kept per row: ``k + margin``, then the first excluded."""
    return min(k + margin + 1, n_fit - 1 if self_query else n_fit)


def _search(fit_raw, query_raw, k, dtype, tile, n_threads, self_query, margin=MARGIN,
            frame=None, order=None):  # fmt: skip
    """One pass in ``dtype``: (indices, squared distances, uncertain rows,
    tied rows among the uncertain ones). ``frame``: the centre and scale of
    the scaled units, ``order``: the :func:`_spatial_order` of a
    self-search, when already computed."""
    n_fit = fit_raw.shape[0]
    width = _width(n_fit, k, margin, self_query)
    if frame is None:
        frame = centre_and_scale(fit_raw, None if self_query else query_raw)
    center, scale = frame
    if order is None:
        order = _spatial_order(fit_raw, tile, self_query)
    fit = Layout(fit_raw, center, scale, dtype, order)
    query = fit if self_query else Layout(query_raw, center, scale, dtype)
    index_dtype = np.int32 if n_fit < 2**31 else np.int64
    lists = _TopLists(len(query.points), width, dtype, n_threads, index_dtype)
    if self_query:
        _self_search(fit, lists, tile, n_threads)
    else:
        _query_search(fit, query, lists, tile, n_threads)
    values, cand = lists.result()
    query_half_sq64 = query.half_sq64
    if order is not None:  # back to the caller's rows and indices
        inverse = np.empty_like(order)
        inverse[order] = np.arange(n_fit)
        values = values[inverse]
        cand = order[cand[inverse]].astype(index_dtype)
        query_half_sq64 = query_half_sq64[inverse]
    has_boundary = width > k + margin
    n_cand = width - 1 if has_boundary else width
    outside = cand[:, -1]
    cand = np.ascontiguousarray(cand[:, :n_cand])
    ind, sq = exact_rerank_rows(fit_raw, query_raw, cand, k, n_threads)
    if not has_boundary:
        none = np.zeros(len(ind), dtype=bool)
        return ind, sq, none, none
    # certificate (scaled units): every excluded point has a value >=
    # boundary - err, and the k-th kept point has an exact value kth; excluded
    # points cannot be closer when boundary - err > kth + err (err also
    # covers the underflow of the exact distances in the caller's units)
    boundary = values[:, -1].astype(np.float64)
    d = fit_raw.shape[1]
    err = error_bound(dtype, d, query_half_sq64, fit.half_sq64.max())
    err += exact_underflow(d, scale)
    kth = 0.5 * (sq[:, -1] * scale * scale) - query_half_sq64
    uncertain = is_uncertain(boundary, kth, err)
    return ind, sq, uncertain, _tied(fit_raw, query_raw, uncertain, outside, sq)


def _spatial_order(fit_raw, tile, self_query):
    """The order of a self-search's points (tiles of nearby points), or
    None (a query search, or a single tile)."""
    if self_query and fit_raw.shape[0] > tile:
        return spatial_order(fit_raw, tile)
    return None


def _float32_may_fail(fit_raw, frame, k, width, order, tile):
    """Whether to forecast the float32 pass of a large search: its columns
    spread unequally (as where they keep their own units), or the leaves of
    its spatial order fail the float32 certificate on many sampled rows
    (tight clusters far apart)."""
    if unequal_spread(fit_raw):
        return True
    if order is None:
        return False
    share = leaf_failing_share(fit_raw, *frame, k, width, order, tile)
    return share >= FLOAT64_FIRST_SHARE


def _tied(fit_raw, query_raw, uncertain, outside, sq):
    """Uncertain rows whose first excluded candidate ``outside`` is exactly as
    far as their k-th neighbour: a tie that no candidate list of this width
    can settle, so a float64 pass of the same width would be wasted (they get
    a wider one). Only routes rows: every route ends in the exact answer."""
    tied = np.zeros(len(uncertain), dtype=bool)
    rows = np.flatnonzero(uncertain)
    for s, e in _tiles(len(rows), ROWS_PER_PASS):
        r = rows[s:e]
        diff = fit_raw[outside[r]].astype(np.float64) - query_raw[r]
        tied[r] = np.einsum("ij,ij->i", diff, diff) == sq[r, -1]
    return tied


def _full_scan(fit_raw, queries, rows, k, self_query, n_threads):
    """Exact neighbours of ``queries[rows]`` by a compiled full scan of the
    fitted points (rows whose ties the certificate cannot settle)."""
    ind = np.empty((len(rows), k), dtype=np.int64)
    sq = np.empty((len(rows), k), dtype=np.float64)
    exclude = rows if self_query else np.full(len(rows), -1, dtype=rows.dtype)
    chunks = _tiles(len(rows), -(-len(rows) // n_threads) or 1)
    picked = queries[rows]

    def work(_, chunk):
        scan_nearest(fit_raw, picked, exclude, *chunk, ind, sq)

    _run(work, chunks, n_threads)
    return ind, sq


def brute_kneighbors(fit_raw, query_raw, k, *, n_threads=1, tile=None):
    """Exact k nearest neighbours by tiled products.

    Parameters
    ----------
    fit_raw : ndarray of shape (n_fit, n_features), float32 or float64
        Points to search.
    query_raw : ndarray of shape (n_query, n_features) or None
        Query points; ``None`` queries the fitted points against each other,
        each point excluded from its own neighbours.
    k : int
        Number of neighbours (at most the number of candidates).
    n_threads : int, default=1
        Python threads sharing the tiles.
    tile : int, default=None
        Tile side (``TILE`` when None). Does not change the result.

    Returns
    -------
    distances : ndarray of shape (n_query, k), float64
    indices : ndarray of shape (n_query, k), int64

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [5.0, 5.0]])
    >>> brute_kneighbors(X, None, 1)[1].ravel().tolist()
    [1, 0, 1]
    """
    ind, sq = sq_kneighbors(fit_raw, query_raw, k, n_threads=n_threads, tile=tile)
    return np.sqrt(np.maximum(sq, 0.0)), ind


def every_pair_kneighbors(fit_raw, query_raw, k, *, n_threads=1):
    """:func:`brute_kneighbors` from every pair's product at once, without
    the tiled passes or any look at the table (small searches).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [5.0, 5.0]])
    >>> every_pair_kneighbors(X, None, 1)[1].ravel().tolist()
    [1, 0, 1]
    """
    self_query = query_raw is None
    queries = fit_raw if self_query else query_raw
    with single_threaded_blas():
        ind, sq = _every_pair(fit_raw, queries, k, n_threads, self_query)
    return np.sqrt(np.maximum(sq, 0.0)), ind


def sq_kneighbors(fit_raw, query_raw, k, *, n_threads=1, tile=None, settle=True):
    """:func:`brute_kneighbors` with exact squared distances, indices first.

    ``settle=False`` stops after the first pass: ``(ind, sq, unsettled)``,
    where the rows marked ``unsettled`` (the certificate could not vouch for
    them: near ties, rounding) hold no answer, for callers that settle such
    rows their own way; the others are exact, as always.
    """
    tile = tile or TILE
    self_query = query_raw is None
    n_blocks = -(-len(fit_raw if self_query else query_raw) // tile)
    n_threads = max(1, min(n_threads, n_blocks))
    queries = fit_raw if self_query else query_raw
    with single_threaded_blas():
        return _certified_search(fit_raw, queries, k, tile, n_threads, self_query,
                                 settle)  # fmt: skip


class _SingleThreadedBlas:
    """BLAS on one thread while any search runs in the process.

    OpenBLAS's thread count is process-wide, so searches that overlap in
    several threads share one limit: the first to enter sets it, the last to
    leave restores what was there before the first. (Each restoring what it
    saw on entry would leave BLAS on one thread for good when they overlap.)
    The counts are set directly: threadpoolctl lets only one live thread
    change OpenBLAS's count and silently ignores the others, which would
    leave the last one to leave unable to restore it.
    """

    def __init__(self):
        self._reset()

    def _reset(self):
        self._lock = threading.Lock()
        self._users = 0
        self._saved = []

    def __enter__(self):
        with self._lock:
            if self._users == 0:
                libs = _blas_controller().select(user_api="blas").lib_controllers
                self._saved = [(lib, lib.num_threads) for lib in libs]
                _set_blas_threads((lib, 1) for lib, _ in self._saved)
            self._users += 1
        return self

    def __exit__(self, *exc):
        with self._lock:
            self._users -= 1
            if self._users == 0:
                _set_blas_threads(self._saved)
                self._saved = []

    def _after_fork_in_child(self):
        # the searches of other threads do not exist in a child: give back
        # the count they held and start afresh (a held lock would never open)
        saved = self._saved if self._users else []
        self._reset()
        _set_blas_threads(saved)


def _set_blas_threads(counts):
    """Set each BLAS library's thread count, for the whole process."""
    for lib, n in counts:
        setter = getattr(lib, "_real_set_num_threads", lib.set_num_threads)
        setter(n)


_SINGLE_THREADED_BLAS = _SingleThreadedBlas()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_SINGLE_THREADED_BLAS._after_fork_in_child)


def single_threaded_blas():
    """Context in which BLAS runs on one thread: each of the search's threads
    runs its own products, BLAS must not spawn more (searches overlapping in
    several threads share the limit, see :class:`_SingleThreadedBlas`)."""
    return _SINGLE_THREADED_BLAS


def _certified_search(fit_raw, queries, k, tile, n_threads, self_query, settle=True):
    """A float32 pass (float64 data included: its products run at twice the
    rate), then the rows the certificate cannot vouch for in float64, the
    tied rows with ``TIE_MARGIN`` candidates, and any left by a full scan.

    The first pass is in float64 instead when the columns spread unequally
    or the rows' own leaves fail the float32 certificate
    (:func:`_float32_may_fail`), and a sample of rows shows that float32
    would fail it on many of them
    (:func:`~smotekit._certificate.float32_failing_share`), and it is made
    again in float64 when it failed on most rows all the same. A
    self-search of a class whose rows repeat (in a sample of its rows, or as
    many tied rows after the first pass) goes to the grouped search
    instead, when its distinct rows are few enough. A small search of a
    table on which these passes stumble is made by :func:`_every_pair`
    instead (:func:`_every_pair_pays`). Without ``settle``, the rows
    uncertain after the first pass are returned as such
    (:func:`sq_kneighbors`)."""
    tried = self_query and sample_repeats(fit_raw)
    if _every_pair_pays(fit_raw, queries, tried):
        return _settled(_every_pair(fit_raw, queries, k, n_threads, self_query), settle)
    f32, f64 = np.dtype(np.float32), np.dtype(np.float64)
    if tried:
        grouped = grouped_self_search(fit_raw, k, n_threads)
        if grouped is not None:
            return _settled(grouped, settle)
    frame = centre_and_scale(fit_raw, None if self_query else queries)
    order = _spatial_order(fit_raw, tile, self_query)
    first = f32
    work = len(fit_raw) * len(queries) * fit_raw.shape[1]
    many = len(queries) >= FORESIGHT_MIN_QUERIES
    width = _width(len(fit_raw), k, MARGIN, self_query)
    if (
        work >= FORESIGHT_MIN_WORK
        and many
        and _float32_may_fail(fit_raw, frame, k, width, order, tile)
    ):
        share = float32_failing_share(fit_raw, queries, *frame, k, width, self_query)
        if share >= FLOAT64_FIRST_SHARE:
            first = f64
    search = functools.partial(_search, fit_raw, queries, k, tile=tile,
                               n_threads=n_threads, self_query=self_query,
                               frame=frame, order=order)  # fmt: skip
    ind, sq, uncertain, tied = search(first)
    if self_query and not tried and tied.sum() >= GROUPED_MIN_TIED * len(tied):
        grouped = grouped_self_search(fit_raw, k, n_threads)
        if grouped is not None:
            return _settled(grouped, settle)
    rows = np.flatnonzero(uncertain & ~tied)
    if first == f32 and rows.size >= FLOAT64_AGAIN_SHARE * len(queries):
        first = f64
        ind, sq, uncertain, tied = search(first)
        rows = np.flatnonzero(uncertain & ~tied)
    if not settle:
        return ind, sq, uncertain
    scan = np.flatnonzero(tied)
    if rows.size and first == f32:
        ind[rows], sq[rows], still, _ = _research(
            fit_raw, queries, rows, k, f64, MARGIN, tile, n_threads, self_query
        )
        rows = rows[still]
    scan = np.union1d(scan, rows)
    if scan.size:
        # in float32 unless float64 was needed: ties are between equal
        # values, which float32 tells apart as well on most data
        ind[scan], sq[scan], still, _ = _research(
            fit_raw, queries, scan, k, first, TIE_MARGIN, tile, n_threads, self_query
        )
        scan = scan[still]
    if scan.size:
        ind[scan], sq[scan] = _full_scan(fit_raw, queries, scan, k, self_query,
                                         n_threads)  # fmt: skip
    return ind, sq


def _settled(result, settle):
    """A search's exact ``(ind, sq)``, with no unsettled row when asked."""
    if settle:
        return result
    return *result, np.zeros(len(result[0]), dtype=bool)


def _every_pair_pays(fit_raw, queries, repeats):
    """Whether :func:`_certified_search` computes every pair
    (``SMALL_PAIRS``), ``repeats`` telling whether the class repeats rows."""
    if repeats or len(fit_raw) * len(queries) > SMALL_PAIRS:
        return False
    return few_levels(fit_raw) or spread_columns(fit_raw) <= SMALL_MAX_SPREAD_COLUMNS


def _every_pair(fit_raw, queries, k, n_threads, self_query):
    """:func:`_certified_search` from every pair's product, in the units
    where the products bound each squared distance
    (:func:`~smotekit._units.point_units`): the points within those bounds
    of the k-th get their exact distance
    (:func:`~smotekit._kernels.nearest_from_products`)."""
    fit = np.ascontiguousarray(fit_raw, dtype=np.float64)
    query = fit if self_query else np.ascontiguousarray(queries, dtype=np.float64)
    fit_u = point_units(fit, transposed=False)  # BLAS reads it transposed
    query_u = fit_u if self_query else point_units(query, like=fit_u, transposed=False)
    own = np.arange(len(query)) if self_query else np.full(len(query), -1)
    ind = np.empty((len(query), k), dtype=np.int64)
    sq = np.empty((len(query), k))
    if len(query) * len(fit) * fit.shape[1] <= ONE_THREAD_WORK:
        n_threads = 1
    rows = max(1, min(-(-len(query) // n_threads), SMALL_BLOCK // max(1, len(fit))))

    def work(_, chunk):
        start, stop = chunk
        nearest_from_products(query_u.rows[start:stop] @ fit_u.rows.T, fit_u.sq,
                              query_u.sq, fit, query, own, fit_u.slack, ind, sq,
                              start)  # fmt: skip

    _run(work, _tiles(len(query), rows), n_threads)
    return ind, sq


def sample_repeats(fit_raw):
    """Whether the class likely has few enough distinct rows for the grouped
    search (at most ``GROUPED_MAX_POINTS`` of its rows), judged from a sample
    of every few rows (``REPEAT_SAMPLE`` at most): then it goes first,
    without the row-by-row pass it would make useless.

    A sample of ``s`` rows with ``c`` pairs of equal rows suggests about
    ``D = s(s-1) / 2c`` equally frequent distinct rows, of which ``n`` rows
    show ``D(1 - exp(-n / D))``: even rows that rarely repeat within the
    sample (a few collisions among 1,024) can be half the class's rows.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> bool(sample_repeats(rng.standard_normal((5000, 3))))
    False
    >>> bool(sample_repeats(rng.integers(0, 4, (100_000, 8)).astype(float)))
    True
    """
    n = len(fit_raw)
    sample = fit_raw[:: max(1, n // REPEAT_SAMPLE)][:REPEAT_SAMPLE]
    sample = np.ascontiguousarray(sample)
    # equal rows by their hashes (a false pair once in 2**64: only a route)
    counts = np.unique(row_hashes(sample), return_counts=True)[1]
    s = len(sample)
    if s == n:  # the sample is the class
        return len(counts) <= GROUPED_MAX_POINTS * n
    pairs = float(np.sum(counts * (counts - 1.0)) / 2.0)
    if pairs == 0.0:
        return False
    n_distinct = s * (s - 1.0) / (2.0 * pairs)
    return n_distinct * -np.expm1(-n / n_distinct) <= GROUPED_MAX_POINTS * n


def grouped_self_search(fit_raw, k, n_threads):
    """Exact neighbours of every fitted point by the grouped search, when
    identical rows are common enough (else ``None``): ties between copies of
    a row are then settled once per distinct row, not by wider searches."""
    from ._grouped import EuclideanMetric, Points, neighbor_table  # uses this module

    points = Points(fit_raw)
    if points.n_points > GROUPED_MAX_POINTS * len(fit_raw):
        return None
    metric = EuclideanMetric(fit_raw[points.first])
    table = neighbor_table(points, metric, k, n_threads)
    # same order (distance, then index); adds the exact squared distances
    return exact_rerank_rows(fit_raw, fit_raw, table, k, n_threads)


def _research(fit_raw, queries, rows, k, dtype, margin, tile, n_threads, self_query):
    """Search again for ``queries[rows]`` among all the fitted points."""
    if not self_query:
        return _search(fit_raw, queries[rows], k, dtype, tile, n_threads, False,
                       margin)  # fmt: skip
    ind, sq, still, tied = _search(
        fit_raw, fit_raw[rows], k + 1, dtype, tile, n_threads, False, margin
    )
    return (*drop_own(ind, sq, rows), still, tied)


def drop_own(ind, sq, own):
    """Each row of a k + 1 list without the query's own index ``own[row]``
    (or without its last column when copies of the point pushed it out):
    the k nearest other points."""
    hit = ind == own[:, None]
    keep = ~hit
    missing = keep.all(axis=1)
    keep[missing, -1] = False
    if np.count_nonzero(hit) > len(ind) - np.count_nonzero(missing):
        # a malformed table from a user's estimator repeats the own index:
        # its first copy only (what remains is checked by the caller)
        column = np.where(missing, ind.shape[1] - 1, hit.argmax(axis=1))
        keep = np.ones(ind.shape, dtype=bool)
        keep[np.arange(len(ind)), column] = False
    n, width = len(ind), ind.shape[1] - 1
    return ind[keep].reshape(n, width), sq[keep].reshape(n, width)
