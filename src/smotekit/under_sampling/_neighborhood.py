"""Exact neighbourhoods whose answer does not depend on how ties are broken.

The cleaning rules look at a sample's nearest neighbours. When several
samples are at the same distance (exact duplicates, which sparse data is
full of, or points on a grid), a neighbour search may return any of them,
and different search methods (kd-tree, tiled brute force, sparse products)
do. The rules would then depend on the data's container. This module makes
the answer canonical:

* identical rows are grouped into *locations* (exactly, whatever the
  container); the search runs over the distinct locations only;
* neighbours are ordered by distance, ties by row index, and a list of
  neighbouring locations always includes every location at the same
  distance as its last one.

Ties between distinct points count as ties when the search returns the same
floating-point distance for them (always for exact duplicates, and for
points on a grid of small integers).
"""

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.neighbors._base import KNeighborsMixin

from .. import _blocks, _threads
from .._brute import ONE_THREAD_WORK, single_threaded_blas
from .._certificate import few_levels
from .._column_ties import LANES, column_ties
from .._kernels import exact_ties_from_products, ties_from_products
from .._neighbors import (
    FEW_PAIRS_MIN_FEATURES,
    ExactNeighbors,
    _as_search_array,
    _scale_exponent,
    _scaled,
    checked_neighbor_table,
    checked_self_excluded,
    neighbors_excluding_self,
)
from .._row_hash import row_hashes
from .._units import centred_top, point_units

__all__ = ["Locations", "few_levels", "locate", "location_neighbors", "row_neighbors"]

#: Searches of at most this many pairs are made by computing every
#: distance (the tiled engine's passes cost more on small tables: 1,000
#: Gaussian rows of 5-100 features, 2.4-5.7 ms against 3.3-5.7; 2,000 rows,
#: 5.4-16 against 5.0-9.4)...
DIRECT_PAIRS = 2**20
#: ...and up to this many pairs x features of points of at least
#: ``FEW_PAIRS_MIN_FEATURES`` features, where the engine's tree prunes
#: little or its tiled passes cost more (Gaussian rows, TomekLinks /
#: EditedNearestNeighbours: 1,500 rows of 5-20 features 1.1-1.8 times
#: faster, 2,000 of 5-10 1.0-1.8, 2,500 of 5 1.2-1.6; yeast1, 1,453 rows of
#: 8, 1.9-2.5; past it the two are even or the engine faster)...
DIRECT_WORK = 2**25
#: ...or this many when the queries are not every point (the engine then
#: computes every pair of them too, not each pair once as in a self-search):
#: EditedNearestNeighbours on segment0, 2,308 rows of 19 features, 9.1 ms
#: with the engine, 7.3 with every pair; abalone_17_vs_7_8_9_10, 2,338 of
#: 9, 9.4 and 7.6; flaref, kddcup_land_vs_portsweep, poker_8_9_vs_5 and
#: shuttle_2_vs_5 even; past it the engine is faster (abalone19, 4,174 rows
#: of 9, 16 against 20 ms; page_blocks0, 5,472 of 10, 16 against 30).
#: Measured again once queries of ``SELF_QUERY_SHARE`` or more took the
#: self-search (every pair / the engine, ms): segment0 13.8 / 18.6,
#: kddcup_land_vs_portsweep 5.6 / 7.0, shuttle_2_vs_5 24.5 / 27.0,
#: poker_8_9_vs_5 10.4 / 8.7, abalone_17_vs_7_8_9_10 and flaref even.
DIRECT_SUBSET_WORK = 2**27
#: ...and up to this many pairs x features on tables of few levels per
#: column (one-hot, codes), whose distances tie so often that the engine's
#: looks further at the ties cost more than every pair:
#: EditedNearestNeighbours on the 1,728-row one-hot car_vgood, 15 features,
#: 192 ms with them, 16 ms with every pair.
DIRECT_LEVELS_WORK = 2**29
#: Points at the k-th distance or nearer that the direct search keeps for a
#: row in its compiled pass (rows with more are done again)...
DIRECT_TIES = 64
#: ...keeping every point, a few rows at a time (this many entries).
CROWDED_CELLS = 2**22
#: Queries whose lists the direct search keeps at once (4 MiB of them).
DIRECT_QUERY_ROWS = 2**12
#: Every distance comes from matrix products of the points, a few queries
#: at a time: at most this many products, in cache while their lists are
#: drawn (:func:`_product_ties`; 2-2.6 times faster than a distance pass per
#: row: TomekLinks on the one-hot kr_vs_k_three_vs_eleven, 2,935 rows of 34
#: features, 67 ms before, about 20).
GRAM_BLOCK = 2**17
#: ...and at least this many queries a block: a few would make each matrix
#: product read every point again for them (20,000 one-hot rows of 40
#: features, 6 queries a block: TomekLinks 1.55 s; 32 to 256: 0.81-0.98 s;
#: single-threaded float32 products of 40 features against 38,000 points,
#: ns a pair: 1.0 with 32 queries, 0.8 with 64, 0.74-0.8 with 128, whose
#: scan after them came slower; TomekLinks / EditedNearestNeighbours on
#: the 40,000-row one-hot table 1.35 / 1.17 s with 32, 1.22 / 1.08 with 64).
GRAM_ROWS = 64
#: ...unless that makes a block of more than this many products (a block
#: a thread): many points are read from memory whatever the block, and
#: 64 queries of a 198k-row SMOTE output took 97 MiB of products a block
#: (its tied rows, 495 of them: 434 MiB traced at the peak, 0.6-1.2 s;
#: 16 queries a block 289 MiB, 0.43 s).
GRAM_MAX_VALUES = 2**22
#: The products read the points' transposed copy (5-25% faster than the
#: points transposed in place, single-threaded, 64 queries against 40k-198k
#: points of 10-50 features) up to this many values; past it, not: a
#: 198k x 50 float64 copy is 76 MiB.
TRANSPOSED_MAX_VALUES = 2**22
#: Queries that are at least this share of the locations take the tiled
#: engine's self-search, whose products are each pair's once, and keep
#: their rows (a search of the queries computes their products with every
#: point: EditedNearestNeighbours' 90,000 majority rows among 100,000
#: Gaussian points, first pass, s: 10 features 4.2-5.0 against 3.1-3.5
#: for the self-search, 50 features 9.1-10.4 against 5.9-7.1; even at a
#: share of about 0.7).
SELF_QUERY_SHARE = 0.8
#: Rows whose k-th distance ties with the next are computed whole (a look
#: further searches them again and again: EditedNearestNeighbours inside
#: SMOTEENN on the one-hot kr_vs_k_zero_vs_eight, whose synthetic rows are
#: not integers, took 112 ms of such searches): always where the tiled
#: search found them, whose passes compute every distance too, and so do
#: the rows its first pass leaves unsettled (kr_vs_k_zero_vs_eight after
#: SMOTE, 2,866 rows: its lists 40 ms with the tiled search's own passes,
#: 17 without); with a tree, up to this many pairs x features.
DIRECT_TIED_WORK = 2**29
#: Larger tables of few levels per column on the tiled route are computed
#: whole when at least ``TIED_SHARE`` of ``TIE_SAMPLE`` queries taken evenly
#: tie at their k-th distance (:func:`_ties_crowd`): the tiled search leaves
#: those rows to be computed whole again. 40,000 rows, TomekLinks /
#: EditedNearestNeighbours, the tiled search then the tied rows against
#: every distance at once (s, at `32d424b`): one-hot (8 columns of 5
#: levels; 87% / 76% of the rows tie) 1.9 / 1.6-2.0 against 1.0 / 1.0; 30
#: binary columns (54% / 84%) 1.13 / 1.35 against 0.90 / 0.76; 16 binary
#: columns (100% / 98%) 0.71 / 0.77 against 0.48 / 0.48; 20 columns of 4
#: codes (28% / 55%) 0.60 / 0.88 against 0.74 / 0.61; 12 of 16 codes (5% /
#: 11%) 0.34 / 0.53 against 0.62 / 0.52.
TIED_SHARE = 0.5
TIE_SAMPLE = 256
#: On the kd-tree route, the same from this many features, up to this many
#: pairs x features (the tree's looks further at the ties then cost more
#: than every distance; 40,000 rows of codes, TomekLinks /
#: EditedNearestNeighbours, the tree against every distance at once, s: 8
#: columns of 5 levels 1.41 / 1.73 against 0.55 / 0.48, 7 of 6 1.03 / 1.27
#: against 0.52 / 0.46, at 80,000 rows 2.4 / 2.9 against 1.6 / 1.6; with
#: fewer features the tree can win: 6 of 10 0.41 / 0.50 against 0.55 /
#: 0.46, 5 of 12 0.36 / 0.43 against 0.48 / 0.42).
TREE_TIES_MIN_FEATURES = 7
TREE_TIES_WORK = 2**35
#: Rows computed whole after the engine's search (their k-th distances
#: known) take float32 products when the products' bound is at most this
#: share of the smallest squared k-th distance among them
#: (:func:`_single_pays`): then few points fall within the bound of a
#: row's k-th that would not with float64. Mixed one-hot tables of 40,000
#: rows (half shifted off the grid): EditedNearestNeighbours 1.73 -> 1.32
#: s, TomekLinks 1.57 -> 1.16. Not on tables whose values are large beside
#: the distances between neighbours: float32 products for every table
#: computed whole made TomekLinks on kddcup_land_vs_portsweep (counts of
#: bytes among 68 features) 2.4 -> 5.8 ms.
SINGLE_BAND = 2.0**-12
#: Integer tables of more levels are computed whole up to this many pairs
#: (their ties still cost the engine's searches more: shuttle_2_vs_5, 3,316
#: rows of 9 features, TomekLinks' lists 29 ms with the kd-tree, 15 ms).
DIRECT_INTEGER_PAIRS = 2**24


def _canonical(X):
    """X in the search's float dtype, -0.0 made 0.0, sparse rows sorted."""
    X = _as_search_array(X)
    if sparse.issparse(X):
        X = X.copy()
        X.sum_duplicates()
        X.eliminate_zeros()  # removes stored -0.0 too
        X.sort_indices()
        return X
    return np.ascontiguousarray(X) + X.dtype.type(0.0)


def _rows_equal(X, a, b):
    if sparse.issparse(X):
        diff = X[a] - X[b]
        diff.eliminate_zeros()
        return np.diff(diff.indptr) == 0
    return (X[a] == X[b]).all(axis=1)


def _row_key(X, i):
    if sparse.issparse(X):
        start, stop = X.indptr[i], X.indptr[i + 1]
        return X.indices[start:stop].tobytes(), X.data[start:stop].tobytes()
    return X[i].tobytes()


def duplicate_leaders(X):
    """The first row identical to each row (the row itself when it is unique).

    Rows are compared exactly, in the search's float dtype (so two rows are
    identical exactly when their distance is 0).

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_samples, n_features)

    Returns
    -------
    leaders : ndarray of shape (n_samples,), int64

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 0.0], [2.0, 0.0], [1.0, -0.0], [2.0, 0.0]])
    >>> duplicate_leaders(X).tolist()
    [0, 1, 0, 1]
    """
    X = _canonical(X)
    n = X.shape[0]
    hashes = row_hashes(X)
    order = np.argsort(hashes, kind="stable")  # equal hashes: ascending rows
    sorted_hashes = hashes[order]
    new = np.ones(n, dtype=bool)
    new[1:] = sorted_hashes[1:] != sorted_hashes[:-1]
    first = np.maximum.accumulate(np.where(new, np.arange(n), 0))
    leaders = np.empty(n, dtype=np.int64)
    leaders[order] = order[first]
    followers = np.flatnonzero(leaders != np.arange(n))
    if len(followers):
        equal = _rows_equal(X, followers, leaders[followers])
        if not equal.all():  # pragma: no cover - a 64-bit hash collision
            suspects = np.isin(leaders, leaders[followers[~equal]])
            seen = {}
            for i in np.flatnonzero(suspects):
                leaders[i] = seen.setdefault(_row_key(X, i), i)
    return leaders


@dataclass(frozen=True)
class Locations:
    """The distinct rows of X ("locations") and the rows at each of them.

    Location ``j`` is row ``leaders[j]`` (the first of its rows); locations
    are numbered in row order. ``rows[indptr[j]:indptr[j + 1]]`` are its rows,
    ascending.
    """

    leaders: np.ndarray
    of_row: np.ndarray
    indptr: np.ndarray
    rows: np.ndarray

    @property
    def sizes(self):
        return np.diff(self.indptr)

    def members(self, location):
        return self.rows[self.indptr[location] : self.indptr[location + 1]]


def locate(X):
    """Group the identical rows of X into locations.

    Examples
    --------
    >>> import numpy as np
    >>> loc = locate(np.array([[5.0], [1.0], [5.0]]))
    >>> loc.leaders.tolist(), loc.of_row.tolist(), loc.members(0).tolist()
    ([0, 1], [0, 1, 0], [0, 2])
    """
    leaders = duplicate_leaders(X)
    unique = np.flatnonzero(leaders == np.arange(len(leaders)))
    of_row = np.searchsorted(unique, leaders)
    rows = np.argsort(of_row, kind="stable")
    indptr = np.zeros(len(unique) + 1, dtype=np.int64)
    np.cumsum(np.bincount(of_row, minlength=len(unique)), out=indptr[1:])
    return Locations(unique, of_row, indptr, rows)


def _query(nn, U, query, m):
    """``m`` nearest other locations of the locations ``query`` (unsorted ties).

    A user's estimator's answer is checked before it indexes anything (only
    EditedNearestNeighbours takes one, as ``n_neighbors``).
    """
    checked = not isinstance(nn, ExactNeighbors)
    if len(query) == U.shape[0] and isinstance(nn, (ExactNeighbors, KNeighborsMixin)):
        # a self-query: each pair of locations is searched once
        dist, ind = nn.kneighbors(n_neighbors=m, return_distance=True)
        if checked:
            ind = checked_neighbor_table(ind, len(query), U.shape[0], m, _ENN,
                                         "n_neighbors", own=query)  # fmt: skip
        return np.asarray(dist, dtype=np.float64), np.asarray(ind, dtype=np.int64)
    dist, ind = nn.kneighbors(U[query], n_neighbors=m + 1, return_distance=True)
    dist = np.asarray(dist, dtype=np.float64)
    if checked:
        ind, dist = checked_self_excluded(ind, query, U.shape[0], m + 1, _ENN,
                                          "n_neighbors", dist)  # fmt: skip
    else:
        ind, dist = neighbors_excluding_self(np.asarray(ind), dist, own=query)
    return dist, np.asarray(ind, dtype=np.int64)


#: The only sampler giving this module a user's estimator (as ``n_neighbors``).
_ENN = "EditedNearestNeighbours"


def location_neighbors(nn, U, query, k):
    """Neighbouring locations, canonical and complete at the k-th distance.

    Parameters
    ----------
    nn : estimator with ``kneighbors``
        Fitted on the locations ``U``.
    U : ndarray or sparse matrix of shape (n_locations, n_features)
        The distinct rows.
    query : ndarray of int
        The locations to look around (ascending).
    k : int
        Number of neighbouring locations wanted (``0 < k < n_locations``).

    Returns
    -------
    indptr, neighbors, distances : ndarrays
        For query ``i``, ``neighbors[indptr[i]:indptr[i + 1]]`` are its
        nearest other locations by distance, ties by location (= row)
        order: the first ``k`` and every further one at the same distance as
        the k-th.
    """
    n_loc = U.shape[0]
    if _direct_pays(nn, U, query) or _ties_crowd(nn, U, query, k):
        return _direct_location_neighbors(U, query, k)
    m = min(k + 1, n_loc - 1)
    dist, ind, unsettled = _first_query(nn, U, query, m)
    dist, ind = _sorted(dist, ind)
    boundary = dist[:, k - 1]
    pending = np.zeros(len(query), dtype=bool) if m == k else boundary == dist[:, k]
    pending = np.flatnonzero(pending | unsettled)
    # ties at the k-th distance, and the rows the tiled search's first pass
    # left unsettled: every distance of those rows (the tiled search would
    # compute them all again, each time), or a look further with a tree
    tied_work = len(pending) * n_loc * max(U.shape[1], 1)
    if not len(pending):
        tied = (np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0))
    elif _exact_engine(nn, U) and (
        nn.algorithm_ == "brute" or tied_work <= DIRECT_TIED_WORK
    ):
        tied = _direct_location_neighbors(U, query[pending], k, boundary[pending])
    else:
        tied = _looked_further(nn, U, query[pending], boundary[pending], m)
    lengths = np.full(len(query), k, dtype=np.int64)
    lengths[pending] = np.diff(tied[0])
    indptr = np.zeros(len(query) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    neighbors = np.empty(indptr[-1], dtype=np.int64)
    distances = np.empty(indptr[-1], dtype=np.float64)
    regular = np.ones(len(query), dtype=bool)
    regular[pending] = False
    positions = indptr[:-1][regular, None] + np.arange(k)
    neighbors[positions] = ind[regular, :k]
    distances[positions] = dist[regular, :k]
    positions = np.repeat(indptr[pending], lengths[pending]) + _ranges(lengths[pending])
    neighbors[positions], distances[positions] = tied[1], tied[2]
    return indptr, neighbors, distances


def _first_query(nn, U, query, m):
    """:func:`_query`, and the rows left unsettled: of the exact engine's
    tiled search, its first pass alone (the rows it cannot vouch for are
    near ties, which :func:`location_neighbors` computes whole anyway: its
    own looks at ties would be made twice). Queries that are most of the
    locations (``SELF_QUERY_SHARE``) take the self-search's rows."""
    first = None
    if _exact_engine(nn, U):
        whole = len(query) >= SELF_QUERY_SHARE * U.shape[0]
        first = nn._unsettled_kneighbors(None if whole else U[query], m + (not whole))
    if first is None:
        dist, ind = _query(nn, U, query, m)
        return dist, ind, np.zeros(len(query), dtype=bool)
    dist, ind, unsettled = first
    if not whole:
        ind, dist = neighbors_excluding_self(ind, dist, own=query)
    elif len(query) != U.shape[0]:
        dist, ind, unsettled = dist[query], ind[query], unsettled[query]
    return np.asarray(dist, dtype=np.float64), ind, unsettled


def _looked_further(nn, U, query, boundary, m):
    """:func:`location_neighbors` of the ``query`` locations, whose nearest
    ``m`` others reach past the k-th distance ``boundary`` no further than
    it: searched again for twice as many, until they do (or all are in)."""
    n_loc = U.shape[0]
    lists = [None] * len(query)
    pending = np.arange(len(query))
    while len(pending):
        m = min(2 * m, n_loc - 1)
        dist_p, ind_p = _sorted(*_query(nn, U, query[pending], m))
        done = (dist_p[:, -1] > boundary[pending]) | (m == n_loc - 1)
        for row, d, i in zip(pending[done], dist_p[done], ind_p[done], strict=True):
            keep = d <= boundary[row]
            lists[row] = (i[keep], d[keep])
        pending = pending[~done]
    lengths = np.array([len(entry[0]) for entry in lists], dtype=np.int64)
    indptr = np.zeros(len(query) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    if not lists:
        return indptr, np.zeros(0, dtype=np.int64), np.zeros(0)
    neighbors = np.concatenate([entry[0] for entry in lists]).astype(np.int64)
    return indptr, neighbors, np.concatenate([entry[1] for entry in lists])


def _exact_engine(nn, U):
    """Whether ``nn`` is the exact engine on dense points (whose distances
    :func:`_direct_location_neighbors` computes alike)."""
    return type(nn) is ExactNeighbors and not sparse.issparse(U)


def _direct_pays(nn, U, query):
    """Whether :func:`location_neighbors` computes every distance: the exact
    engine's on a small dense table (or a larger one of a few features times
    rows), a larger one of few levels per column, or one of integers."""
    if not _exact_engine(nn, U):
        return False
    pairs = len(query) * U.shape[0]
    work = pairs * max(U.shape[1], 1)
    if pairs <= DIRECT_PAIRS or (work <= DIRECT_LEVELS_WORK and few_levels(U)):
        return True
    limit = DIRECT_WORK if len(query) == U.shape[0] else DIRECT_SUBSET_WORK
    if work <= limit and U.shape[1] >= FEW_PAIRS_MIN_FEATURES:
        return True
    return pairs <= DIRECT_INTEGER_PAIRS and _exact_products(U) is not None


def _ties_crowd(nn, U, query, k):
    """Whether most queries of a larger table of few levels per column
    (:func:`few_levels`) on the tiled route tie at their k-th distance, in
    ``TIE_SAMPLE`` queries taken evenly: the tiled search would leave those
    rows to be computed whole after it (each of their distances twice), so
    computing every distance at once costs less. On the kd-tree route, the
    same for tables of ``TREE_TIES_MIN_FEATURES`` or more, up to
    ``TREE_TIES_WORK``."""
    if not _exact_engine(nn, U) or len(query) < 4 * TIE_SAMPLE or not few_levels(U):
        return False
    if nn.algorithm_ != "brute" and (
        U.shape[1] < TREE_TIES_MIN_FEATURES
        or len(query) * U.shape[0] * U.shape[1] > TREE_TIES_WORK
    ):  # a tree whose looks further at the ties cost less
        return False
    taken = np.linspace(0, len(query) - 1, TIE_SAMPLE).astype(np.int64)
    sample = np.unique(query[taken])
    indptr = _direct_location_neighbors(U, sample, k)[0]
    return bool(np.mean(np.diff(indptr) > k) >= TIED_SHARE)


def _single_pays(points, near):
    """Whether float32 products bound the distances of queries whose k-th
    distances are ``near`` tightly enough: their bound, at most
    ``(d + 8) * 2**-22`` of twice the largest squared norm of the centred
    points (:func:`~smotekit._units.point_units`), within ``SINGLE_BAND``
    of the smallest squared k-th distance."""
    if not len(near):
        return False
    top = centred_top(points)
    bound = 2.0 * (points.shape[1] + 8) * 2.0**-22 * top
    return bool(np.isfinite(top) and bound <= SINGLE_BAND * float(np.min(near)) ** 2)


def _direct_location_neighbors(U, query, k, near=None):
    """:func:`location_neighbors` from every distance of the queries: the
    exact engine's distances (float64, summed in feature order, square
    rooted), so the same lists. Rows keep up to ``DIRECT_TIES`` points; rows
    with more are done again keeping all. ``DIRECT_QUERY_ROWS`` queries at
    a time (bounded scratch). ``near``: the queries' k-th distances when
    known (rows left by the engine's search), which may let the products be
    float32 (:func:`_single_pays`)."""
    # float32 points are read as they are (every step sums their float64
    # values): no float64 copy
    dtype = U.dtype if U.dtype in (np.float32, np.float64) else np.float64
    points = np.ascontiguousarray(U, dtype=dtype)
    query = np.asarray(query, dtype=np.int64)
    single = near is not None and _single_pays(points, near)
    if len(query) <= DIRECT_QUERY_ROWS:
        return _direct_part(points, query, k, single)
    parts = [
        _direct_part(points, query[start : start + DIRECT_QUERY_ROWS], k, single)
        for start in range(0, len(query), DIRECT_QUERY_ROWS)
    ]
    lengths = np.concatenate([np.diff(part[0]) for part in parts])
    indptr = np.zeros(len(query) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    neighbors = np.concatenate([part[1] for part in parts])
    return indptr, neighbors, np.concatenate([part[2] for part in parts])


def _direct_part(points, query, k, single=False):
    """:func:`_direct_location_neighbors` of a few queries."""
    cap = max(DIRECT_TIES, 2 * k)
    ind, dist, counts = _product_ties(points, query, k, cap, single)
    lengths = counts.copy()
    crowded = np.flatnonzero(counts < 0)
    more_ind, more_dist = [], []
    step = max(1, CROWDED_CELLS // max(1, points.shape[0]))  # bounded scratch
    for start in range(0, len(crowded), step):
        rows = crowded[start : start + step]
        i, d, lengths[rows] = _product_ties(points, query[rows], k, points.shape[0],
                                            single)  # fmt: skip
        kept = np.arange(i.shape[1]) < lengths[rows, None]
        more_ind.append(i[kept])
        more_dist.append(d[kept])
    indptr = np.zeros(len(query) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    neighbors = np.empty(indptr[-1], dtype=np.int64)
    distances = np.empty(indptr[-1])
    kept = np.arange(ind.shape[1]) < counts[:, None]  # each row sorted already
    regular = np.flatnonzero(counts >= 0)
    at = np.repeat(indptr[regular], counts[regular]) + _ranges(counts[regular])
    neighbors[at], distances[at] = ind[kept], dist[kept]
    if len(crowded):
        at = np.repeat(indptr[crowded], lengths[crowded]) + _ranges(lengths[crowded])
        neighbors[at] = np.concatenate(more_ind)
        distances[at] = np.concatenate(more_dist)
    return indptr, neighbors, distances


def _integer_square_bound(points):
    """A bound on every squared distance of the float64 ``points`` when
    they are all integers (else None): ``d * (2 max|x|)**2``."""
    if points.size == 0:
        return None
    top = float(np.abs(points).max())
    wide = points.shape[1] * (2.0 * top) ** 2
    if not wide < 2.0**53 or not np.array_equal(points, np.rint(points)):
        return None
    return wide


def _exact_products(points):
    """The float dtype in which every squared distance of the float64
    ``points``, as ``|x|**2 + |y|**2 - 2 x.y``, is computed exactly (the
    points are integers and every term an integer below 2**24 or 2**53,
    so the order of the sums does not matter), or None."""
    return _products_dtype(_integer_square_bound(points))


def _products_dtype(wide):
    """:func:`_exact_products` from the points' :func:`_integer_square_bound`."""
    if wide is None:
        return None
    return np.float32 if wide < 2.0**24 else np.float64


#: Below this, distinct integer squares have distinct float64 roots, and
#: exact products are scanned by square alone
#: (:func:`~smotekit._kernels.exact_ties_from_products`).
DISTINCT_ROOTS = 2.0**50


#: Exact squares of at least this many points are scanned ``LANES``
#: queries at a time (:func:`~smotekit._column_ties.column_ties`;
#: single-threaded, 40,000 points, products and scan, ns a pair: one-hot
#: of 40 features 0.74 + 0.35 against 0.8 + 0.65 one query at a time;
#: 12 columns of 16 codes 0.33 + 0.26 against 0.39 + 0.60). On fewer
#: points a query keeps a larger share of them, and some lane keeps most
#: points: every distance of one-hot tables, 2,100 / 4,000 / 8,000 / 16,000
#: points, 6.7 / 17 / 67 / 190 ms against 5.5 / 15 / 65 / 216 one query at
#: a time.
COLUMN_MIN_POINTS = 8192


def _product_ties(points, query, k, cap, single=False):
    """For each query location (itself left out), every location at most as
    far as its k-th nearest other, ``cap`` kept a row (else a count of -1):
    ``(ind, dist, counts)``, from the products of a few queries at a time
    with every point (``GRAM_BLOCK`` values, cache-resident; one BLAS
    thread per core) drawn by :func:`~smotekit._kernels.ties_from_products`.

    Integer points (:func:`_exact_products`) give their distances exactly;
    below ``DISTINCT_ROOTS`` the scan compares the squares alone, in the
    products' dtype (:func:`~smotekit._kernels.exact_ties_from_products`;
    from ``COLUMN_MIN_POINTS`` points, ``LANES`` queries at once:
    :func:`~smotekit._column_ties.column_ties`). For others the products
    bound each distance (:func:`~smotekit._units.point_units`), and the
    points within those bounds of the k-th get their exact distance."""
    ind = np.zeros((len(query), cap), dtype=np.int64)
    dist = np.zeros((len(query), cap))
    counts = np.empty(len(query), dtype=np.int64)
    wide = _integer_square_bound(points)
    transposed = points.size <= TRANSPOSED_MAX_VALUES
    units = point_units(points, exact=_products_dtype(wide), single=single,
                        transposed=transposed)  # fmt: skip
    right = units.cols if transposed else units.rows.T
    least = min(GRAM_ROWS, max(1, GRAM_MAX_VALUES // max(1, len(points))))
    rows = max(least, GRAM_BLOCK // max(1, len(points)))
    # few pairs: one thread (waking a second costs more than it saves)
    one_thread = len(query) * len(points) * points.shape[1] <= ONE_THREAD_WORK
    if not one_thread:
        rows = max(1, min(-(-len(query) // 2), rows))
    # exact squares with distinct roots: the norms in the products' dtype
    by_square = wide is not None and wide < DISTINCT_ROOTS
    sq = units.sq.astype(units.rows.dtype, copy=False) if by_square else None
    lanes = by_square and len(query) >= LANES and len(points) >= COLUMN_MIN_POINTS

    def block(a, b):
        if lanes:
            column_ties(units, sq, query, a, b, k, ind, dist, counts)
            return
        products = units.rows[query[a:b]] @ right
        if by_square:
            exact_ties_from_products(products, sq, query, k, ind, dist, counts, a)
        else:
            ties_from_products(products, units.sq, points, query, k, units.slack,
                               ind, dist, counts, a)  # fmt: skip

    with single_threaded_blas(), _threads.thread_budget(1 if one_thread else None):
        _blocks.map_blocks(block, 0, len(query), LANES if lanes else rows)
    return ind, dist, counts


def _sorted(dist, ind):
    """Each row's neighbours by distance, ties by index."""
    order = np.lexsort((ind, dist), axis=-1)
    return np.take_along_axis(dist, order, 1), np.take_along_axis(ind, order, 1)


def _precomputed(nn_estimator):
    """Whether ``nn_estimator`` takes a matrix of distances (its
    ``metric='precomputed'``) instead of points."""
    get_params = getattr(nn_estimator, "get_params", None)
    if get_params is None:
        return False
    return get_params(deep=False).get("metric") == "precomputed"


def _distinct(nn_estimator, X, locations):
    """The distinct rows of X, as ``nn_estimator`` is fitted on them: for a
    matrix of distances, their distances to each other (a square matrix:
    identical rows of it are points at distance 0 from each other)."""
    U = X[locations.leaders]
    return U[:, locations.leaders] if _precomputed(nn_estimator) else U


def fit_locations(nn_estimator, X):
    """Group X into locations and fit a clone of ``nn_estimator`` on them.

    Returns ``(locations, U, nn, scaled)``: the distinct rows ``U`` as
    searched (for an estimator of ``metric='precomputed'``, the distances
    between them), the clone fitted on them, and whether they were scaled. Rows
    of extreme magnitude (huge values, whose distances would overflow to
    inf, or subnormal ones, whose distances would round together) are
    searched scaled by the power of two :class:`ExactNeighbors` scales them
    by, which is exact: the neighbours are the same, and the distances, in
    the scaled units, keep apart what is apart (ties and their order are
    decided on them).
    """
    locations = locate(X)
    U = _distinct(nn_estimator, X, locations)
    exp = _scale_exponent(U)
    if exp:
        U = _scaled(U, exp)
    nn = clone(nn_estimator).fit(U)
    return locations, U, nn, bool(exp)


def row_neighbors(nn_estimator, X, rows, k):
    """The k nearest rows of each row in ``rows``, canonical for ties.

    Rows are ordered by distance, ties by row index; each row is excluded
    from its own neighbours (its duplicates are at distance 0).

    Parameters
    ----------
    nn_estimator : estimator with ``kneighbors``
        Unfitted template (cloned and fitted on the distinct rows).
    X : ndarray or sparse matrix of shape (n_samples, n_features)
        All samples (at least ``k + 1``).
    rows : ndarray of int
        Rows to look around.
    k : int
        Number of neighbours.

    Returns
    -------
    table : ndarray of shape (len(rows), k)
        Row indices into X.
    nn : estimator
        The fitted clone (fitted on the distinct rows of X).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [0.0], [1.0], [5.0]])
    >>> row_neighbors(ExactNeighbors(), X, np.array([1, 4]), 2)[0].tolist()
    [[3, 0], [1, 3]]
    """
    loc, U, nn, scaled = fit_locations(nn_estimator, X)
    # the estimator handed back is fitted in the caller's units
    nn_public = (
        clone(nn_estimator).fit(_distinct(nn_estimator, X, loc)) if scaled else nn
    )
    rows = np.asarray(rows, dtype=np.int64)
    table = np.empty((len(rows), k), dtype=np.int64)
    if len(rows) == 0:
        return table, nn_public
    n_loc = len(loc.leaders)
    wanted = np.unique(loc.of_row[rows])
    kk = min(k, n_loc - 1)
    if kk > 0:
        indptr, neighbors, distances = location_neighbors(nn, U, wanted, kk)
    else:  # every row is the same point
        indptr = np.zeros(len(wanted) + 1, dtype=np.int64)
        neighbors = distances = np.empty(0)
    slot = np.searchsorted(wanted, loc.of_row[rows])
    sizes, own_location = loc.sizes, loc.of_row[rows]
    done = np.zeros(len(rows), dtype=bool)
    # a row with at least k duplicates: its first k other duplicates
    crowded = np.flatnonzero(sizes[own_location] > k)
    if len(crowded):
        first = loc.rows[loc.indptr[own_location[crowded], None] + np.arange(k + 1)]
        table[crowded], _ = neighbors_excluding_self(first, own=rows[crowded])
        done[crowded] = True
    # a unique row whose first k neighbouring locations are unique rows: its
    # neighbours are those rows (locations tied with the k-th further down
    # the list come later by location, so by row: their rows follow their
    # first, which follows the k-th's)
    simple = np.flatnonzero((sizes[own_location] == 1) & (np.diff(indptr)[slot] >= k))
    if len(simple):
        first = indptr[slot[simple], None] + np.arange(k)
        unique_rows = (sizes[neighbors[first]] == 1).all(axis=1)
        simple, first = simple[unique_rows], first[unique_rows]
        table[simple] = loc.leaders[neighbors[first]]
        done[simple] = True
    pending = np.flatnonzero(~done)
    if len(pending):
        table[pending] = _merged_rows(loc, rows, own_location, slot, indptr, neighbors,
                                      distances, pending, k)  # fmt: skip
    return table, nn_public


def _ranges(counts):
    """``concatenate([arange(c) for c in counts])``."""
    ends = np.cumsum(counts)
    return np.arange(ends[-1] if len(ends) else 0) - np.repeat(ends - counts, counts)


def _merged_rows(loc, rows, own_location, slot, indptr, neighbors, distances,
                 pending, k):  # fmt: skip
    """The k nearest rows of the rows ``rows[pending]``, merged by
    (distance, row) from their own duplicates (at 0, the first k + 1 but the
    row itself) and the first k rows of each of their neighbouring
    locations, all rows at once."""
    sizes = loc.sizes
    own = own_location[pending]
    take = np.minimum(sizes[own], k + 1)
    owner = np.repeat(pending, take)
    cand = loc.rows[np.repeat(loc.indptr[own], take) + _ranges(take)]
    keep = cand != rows[owner]
    owners, cands, dists = [owner[keep]], [cand[keep]], [np.zeros(keep.sum())]
    first, last = indptr[slot[pending]], indptr[slot[pending] + 1]
    at = np.repeat(first, last - first) + _ranges(last - first)
    near = neighbors[at]
    take = np.minimum(sizes[near], k)
    owners.append(np.repeat(np.repeat(pending, last - first), take))
    cands.append(loc.rows[np.repeat(loc.indptr[near], take) + _ranges(take)])
    dists.append(np.repeat(distances[at], take))
    owner, cand, dist = (np.concatenate(a) for a in (owners, cands, dists))
    order = np.lexsort((cand, dist, owner))
    start = np.searchsorted(owner[order], pending)
    return cand[order][start[:, None] + np.arange(k)]
