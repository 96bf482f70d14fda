"""The certificate of the tiled neighbour search, and a forecast of it.

The tiled search (:mod:`smotekit._brute`) ranks candidates by
``|x|²/2 - q·x`` in scaled units (centred, coordinates below 1 in
magnitude), computed by products in float32 or float64. A row's answer is
certified when the first candidate it excluded is farther than its k-th
neighbour by more than twice the rounding bound of those values
(:func:`error_bound`), which grows with the largest squared norm of the
points.

Where columns keep their own units (an amount in cents beside standardised
columns, a flag coded 0 or 1,000,000), neighbours differ in digits that
float32 does not hold: the certificate fails on nearly every row, and a
float32 pass followed by a float64 search of those rows costs several times
one float64 pass. So do tight clusters far apart, whatever their columns:
their rows sit far from the centre, nearer each other than float32
resolves at such norms. :func:`float32_failing_share` measures the gaps
exactly on a sample of query rows, so that the search can start in
float64; it is asked only where a few columns hold most of the variance
(:func:`unequal_spread`), or where the sampled rows' own leaves of the
search's spatial order already fail the certificate
(:func:`leaf_failing_share`, a few hundred distances a row).
"""

import numpy as np

from ._threads import map_threads

__all__ = [
    "error_bound",
    "exact_underflow",
    "few_levels",
    "float32_failing_share",
    "is_uncertain",
    "leaf_failing_share",
    "unequal_spread",
]

#: Query rows sampled by :func:`float32_failing_share`.
SAMPLE = 64
#: Leaves, and rows of each, sampled by :func:`leaf_failing_share`.
SCREEN_LEAVES = 4
SCREEN_ROWS = 8
#: Evenly spaced fitted points that set the thresholds of the sampled rows.
THRESHOLD_POINTS = 2048
#: Rows of the fitted points converted to float64 at a time.
ROWS_PER_BLOCK = 2048


def error_bound(dtype, n_features, query_half_sq, max_half_sq):
    """Bound of the rounding error of a candidate's value in ``dtype``.

    Parameters
    ----------
    dtype : dtype
        The dtype of the products.
    n_features : int
        Length of the dot products.
    query_half_sq : float or ndarray
        Half squared norm of each query point, scaled units.
    max_half_sq : float
        Largest half squared norm of the fitted points, scaled units.

    Returns
    -------
    bound : float or ndarray
        One bound per query point.

    Examples
    --------
    >>> import numpy as np
    >>> float(error_bound(np.float32, 10, 0.5, 0.5))  # doctest: +ELLIPSIS
    2.1457...e-06
    >>> float(error_bound(np.float64, 10, 0.5, 0.5))  # doctest: +ELLIPSIS
    3.9968...e-15
    """
    eps = float(np.finfo(dtype).eps)
    # length-d dot product (with slack for the centring, the conversion to
    # ``dtype`` and the subtraction), then its underflow: every scaled
    # coordinate is below 1 in magnitude
    nu = (n_features + 8) * eps / 2
    factor = 2.0 * nu / (1 - nu)
    slack = 4.0 * (n_features + 8) * float(np.finfo(dtype).smallest_subnormal)
    return factor * (query_half_sq + max_half_sq) + slack


def exact_underflow(n_features, scale):
    """Bound of the underflow of an exact float64 squared distance (the sum
    of ``n_features`` squared differences in the caller's units, each and
    each partial sum rounded at most half of float64's smallest subnormal
    away), as a value of the search: halved, in the units scaled by
    ``scale``.

    The certificate compares a candidate's computed value with the exact
    float64 distance of the k-th neighbour, and that exact distance is the
    answer's order: where the caller's squared differences fall below
    float64's range (tiny differences between large values, which the
    search's scaled units tell apart), points at different real distances
    have the same exact distance, and a tie with the k-th is broken by
    index, which only the exact distances can settle. Negligible unless the
    search scales the points up by more than about ``2**500``.

    Examples
    --------
    >>> exact_underflow(4, 1.0) == 0.5 * 5 * 2.0**-1074
    True
    >>> exact_underflow(4, 2.0**1000) > 1e-20
    True
    """
    tiny = float(np.finfo(np.float64).smallest_subnormal)
    return 0.5 * (n_features + 1) * tiny * scale * scale


def is_uncertain(boundary, kth, err):
    """Rows whose first excluded value ``boundary`` (as computed, within
    ``err``) does not prove every excluded point farther than the exact k-th
    value ``kth``: the certificate fails."""
    return ~(boundary - err > kth + err)


def float32_failing_share(fit_raw, query_raw, center, scale, k, width, self_query):
    """Share of a sample of query rows whose float32 certificate would fail.

    Exact values (float64 products of the centred, scaled points) of every
    fitted point against ``SAMPLE`` evenly spaced query rows give each row's
    k-th and ``width``-th values; a row fails when the gap between them is
    within twice the float32 :func:`error_bound` (a gap of zero is a tie,
    which float64 settles no better, and is not counted).

    Parameters
    ----------
    fit_raw : ndarray of shape (n_fit, n_features)
        Points searched.
    query_raw : ndarray of shape (n_query, n_features)
        Query points (``fit_raw`` itself when ``self_query``).
    center : ndarray of shape (n_features,)
        Centre of the search's scaled units.
    scale : float
        Scale of the search's scaled units.
    k : int
        Neighbours certified.
    width : int
        Candidates kept per row, the last one the first excluded.
    self_query : bool
        Whether each query row is the fitted point of the same index (left
        out of its own candidates).

    Returns
    -------
    share : float
        Between 0 and 1.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((5000, 6))
    >>> float32_failing_share(X, X, X.mean(0), 0.125, 5, 10, True)
    0.0
    >>> X[:, 0] = rng.integers(0, 2, 5000) * 1e6
    >>> float32_failing_share(X, X, X.mean(0), 2.0**-19, 5, 10, True)
    1.0
    """
    n_query, n_fit = len(query_raw), len(fit_raw)
    if width <= k or n_query == 0:
        return 0.0
    rows = np.unique(np.linspace(0, n_query - 1, min(SAMPLE, n_query)).astype(np.int64))
    sample = _scaled(query_raw[rows], center, scale)
    sample_half_sq = 0.5 * np.einsum("ij,ij->i", sample, sample)
    own = rows if self_query else None

    def values(start, stop, step=1):
        # exact values of the fitted points start:stop:step against the
        # sample (rows x points), a row's own point at infinity
        points = _scaled(fit_raw[start:stop:step], center, scale)
        half_sq = 0.5 * np.einsum("ij,ij->i", points, points)
        out = half_sq[None, :] - sample @ points.T
        if own is not None:
            hit = (own >= start) & (own < stop) & ((own - start) % step == 0)
            out[np.flatnonzero(hit), (own[hit] - start) // step] = np.inf
        return out, half_sq.max()

    # thresholds from evenly spaced points: each bounds its row's
    # width-th value among all points, so the blocks keep few values; the
    # blocks' products may round a value otherwise than this one did, by
    # float64's bound at most (twice: both may err)
    step = max(1, n_fit // THRESHOLD_POINTS)
    spaced, spaced_max = values(0, n_fit, step)
    if spaced.shape[1] > width:
        limit = np.partition(spaced, width - 1, axis=1)[:, width - 1]
        limit += 2 * error_bound(np.float64, fit_raw.shape[1], sample_half_sq,
                                 spaced_max)  # fmt: skip
    else:
        limit = np.full(len(rows), np.inf)
    starts = range(0, n_fit, ROWS_PER_BLOCK)
    blocks = [(s, min(s + ROWS_PER_BLOCK, n_fit)) for s in starts]

    def block(bounds):
        out, max_half_sq = values(*bounds)
        keep = out <= limit[:, None]
        return np.nonzero(keep)[0], out[keep], max_half_sq

    parts = map_threads(block, blocks)
    at = np.concatenate([p[0] for p in parts])
    kept = np.concatenate([p[1] for p in parts])
    by_row = np.lexsort((kept, at))
    at, kept = at[by_row], kept[by_row]
    first = np.searchsorted(at, np.arange(len(rows)))
    # a row with fewer than width values (not expected: the limit has slack)
    # is left out rather than read into the next row's
    full = np.bincount(at, minlength=len(rows)) >= width
    first = first[full]
    kth, boundary = kept[first + k - 1], kept[first + width - 1]
    err = error_bound(np.float32, fit_raw.shape[1], sample_half_sq[full],
                      max(p[2] for p in parts))  # fmt: skip
    fails = (boundary > kth) & is_uncertain(boundary, kth, err)
    return float(fails.sum() / len(rows))


def leaf_failing_share(fit_raw, center, scale, k, width, order, leaf):
    """Share of a sample of rows whose float32 certificate would fail if
    their own leaf held all the points.

    A screen for :func:`float32_failing_share` in self-searches:
    ``SCREEN_LEAVES`` evenly spaced leaves of ``order`` (the search's
    spatial order, runs of ``leaf`` rows forming compact boxes), and
    ``SCREEN_ROWS`` evenly spaced rows of each, take the exact values of
    the other rows of their leaf, whose k-th and ``width``-th stand in for
    the row's own. Where tight clusters lie far apart, the leaf holds the
    row's close points and the gap between those values is within twice
    the float32 :func:`error_bound` on nearly every row; on spread points it
    is not. Not a bound: the forecast decides.

    Parameters
    ----------
    fit_raw : ndarray of shape (n_fit, n_features)
        Points searched, each against the others.
    center : ndarray of shape (n_features,)
        Centre of the search's scaled units.
    scale : float
        Scale of the search's scaled units.
    k : int
        Neighbours certified.
    width : int
        Candidates kept per row, the last one the first excluded.
    order : ndarray of shape (n_fit,)
        Rows in the order of the leaves.
    leaf : int
        Rows per leaf.

    Returns
    -------
    share : float
        Between 0 and 1.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((4000, 6))
    >>> order = np.arange(4000)  # any order of Gaussian points: leaves spread
    >>> leaf_failing_share(X, X.mean(0), 0.125, 5, 10, order, 640)
    0.0
    >>> X = X * 1e-4 + rng.integers(0, 8, (4000, 1)) * 100.0
    >>> order = np.argsort(X[:, 0], kind="stable")
    >>> leaf_failing_share(X, X.mean(0), 2.0**-9, 5, 10, order, 640)
    1.0
    """
    n_leaves = len(order) // leaf  # whole leaves only
    if width <= k or leaf <= width or n_leaves == 0:
        return 0.0
    kth, boundary, row_half_sq = [], [], []
    top = 0.0  # the largest half squared norm seen: the bound's, at most
    at = np.unique(np.linspace(0, leaf - 1, SCREEN_ROWS).astype(np.int64))
    leaves = np.linspace(0, n_leaves - 1, SCREEN_LEAVES).astype(np.int64)
    for start in np.unique(leaves) * leaf:
        points = _scaled(fit_raw[order[start : start + leaf]], center, scale)
        half_sq = 0.5 * np.einsum("ij,ij->i", points, points)
        values = half_sq[None, :] - points[at] @ points.T  # the rows x the leaf
        values[np.arange(len(at)), at] = np.inf
        values.partition((k - 1, width - 1), axis=1)
        kth.append(values[:, k - 1])
        boundary.append(values[:, width - 1])
        row_half_sq.append(half_sq[at])
        top = max(top, float(half_sq.max()))
    kth, boundary = np.concatenate(kth), np.concatenate(boundary)
    err = error_bound(np.float32, fit_raw.shape[1], np.concatenate(row_half_sq), top)
    fails = (boundary > kth) & is_uncertain(boundary, kth, err)
    return float(fails.mean())


def _scaled(points, center, scale):
    """``(points - center) * scale`` in float64."""
    out = points.astype(np.float64)  # a plain cast: mixed-dtype ufuncs are slow
    out -= center
    out *= scale
    return out


def unequal_spread(X):
    """Whether a few columns hold most of the variance: the participation
    ratio of the column variances (``d`` for equal ones, 1 for one column),
    over every few rows (4,096 at most), is at most half the number of
    columns.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).standard_normal((1000, 10))
    >>> bool(unequal_spread(X))
    False
    >>> X[:, 0] *= 1000
    >>> bool(unequal_spread(X))
    True
    """
    variances = X[:: max(1, X.shape[0] // 4096)].astype(np.float64).var(axis=0)
    top = float(variances.max()) if variances.size else 0.0
    if not top > 0:
        return False
    variances = variances / top  # the ratio is scale-free; its powers overflow
    return float(variances.sum()) ** 2 / float((variances**2).sum()) <= X.shape[1] / 2


#: A table has few levels when no column takes more than this many values
#: in a sample of ``LEVELS_SAMPLE`` rows taken evenly.
MAX_LEVELS = 16
LEVELS_SAMPLE = 256


def few_levels(X):
    """Whether no column of ``X`` takes more than ``MAX_LEVELS`` values in a
    sample of its rows (one-hot tables, codes: their distances tie often).

    Examples
    --------
    >>> import numpy as np
    >>> few_levels(np.eye(4)[np.arange(100) % 4]), few_levels(np.arange(100.0)[:, None])
    (True, False)
    """
    sample = np.sort(X[:: max(1, len(X) // LEVELS_SAMPLE)][:LEVELS_SAMPLE], axis=0)
    levels = 1 + (sample[1:] != sample[:-1]).sum(axis=0)  # no arithmetic: no overflow
    return bool((levels <= MAX_LEVELS).all())
