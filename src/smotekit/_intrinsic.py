"""How many dimensions the neighbours of a point set really spread in.

A kd-tree's search cost grows with the dimension the points spread in near
each other, not with their number of columns: real tables often have a few
columns in large units (amounts, counts) beside many small ones, or columns
that follow a few underlying ones, and a kd-tree then finds neighbours tens
of times faster than tiled matrix products (which also lose float32
precision to the large columns). :func:`intrinsic_dimension` estimates that
dimension from the distances of a few points to their nearest neighbours
among a sample (the maximum-likelihood estimate of Levina and Bickel, 2004,
averaged as MacKay and Ghahramani suggest), on rows spread evenly through
the set, so the same points always give the same estimate.
:func:`spread_columns` is a cheaper first look: how many columns hold the
spread of the points (1 when one column's unit dwarfs the others');
:func:`off_axis_ratio` compares that count, for the variances, with the
count of directions the points spread in, whichever they are: far fewer
directions than columns means the points lie near a few directions that
are not axes, which a kd-tree's splits along the axes cannot follow.
"""

import numpy as np

__all__ = ["intrinsic_dimension", "off_axis_ratio", "spread_columns"]

#: Rows among which the sampled points look for their neighbours.
REFERENCE_ROWS = 16_384
#: Points whose neighbour distances make the estimate.
QUERY_ROWS = 64
#: Neighbours per point used by the estimate.
NEIGHBOURS = 10
#: Rows read by :func:`spread_columns` (evenly spaced).
SPREAD_ROWS = 4096


def spread_columns(X):
    """How many columns hold the spread of the rows of ``X``.

    The participation ratio of the columns' standard deviations,
    ``sum(std)**2 / sum(std**2)``, over at most ``SPREAD_ROWS`` rows taken
    evenly: ``n_features`` when every column spreads alike, 1 when one
    column's spread dwarfs the others' (a column of amounts beside ratios),
    about ``m`` for ``m`` columns in equally large units.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Finite points.

    Returns
    -------
    columns : float
        Between 1 and ``n_features``; ``n_features`` when no column spreads.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).normal(size=(1000, 10))
    >>> round(spread_columns(X))
    10
    >>> X[:, :2] *= 1000  # two columns in much larger units
    >>> round(spread_columns(X), 2)
    2.02
    """
    ratio = _participation_ratio(_evenly(X).std(axis=0, dtype=np.float64))
    return float(X.shape[1]) if ratio is None else ratio


def off_axis_ratio(X):
    """How far the rows of ``X`` spread along directions that are not axes.

    The participation ratio (``sum(v)**2 / sum(v**2)``) of the columns'
    variances over that of the variances along the principal axes (the
    covariance's eigenvalues), over at most ``SPREAD_ROWS`` rows taken
    evenly. The first counts the columns that hold the spread, the second
    the directions, whichever they are: 1 when the rows spread along the
    axes (independent columns, a few columns in large units), never less,
    and about ``m / k`` when ``m`` columns follow ``k`` underlying ones.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Finite points, of moderate magnitude (the neighbour search's scaled
        points).

    Returns
    -------
    ratio : float
        At least 1; 1 when no row differs.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> round(off_axis_ratio(rng.normal(size=(1000, 10))), 1)
    1.0
    >>> X = rng.normal(size=(1000, 2)) @ rng.normal(size=(2, 10))
    >>> bool(off_axis_ratio(X) > 3)
    True
    """
    sample = np.asarray(_evenly(X), dtype=np.float64)
    sample = sample - sample.mean(axis=0)
    gram = sample.T @ sample
    columns = _participation_ratio(np.diagonal(gram))
    if columns is None:
        return 1.0
    return max(1.0, columns / _participation_ratio(np.linalg.eigvalsh(gram)))


def _evenly(X):
    """At most ``SPREAD_ROWS`` rows of ``X``, evenly spaced."""
    return X[:: max(1, X.shape[0] // SPREAD_ROWS)]


def _participation_ratio(weights):
    """``sum(w)**2 / sum(w**2)`` of weights at least 0 (rounding below 0
    counts as 0); None when none is above 0."""
    top = float(weights.max()) if weights.size else 0.0
    if not top > 0:
        return None
    weights = np.clip(weights / top, 0.0, None)  # scale-free: no overflow
    return float(weights.sum()) ** 2 / float((weights**2).sum())


def intrinsic_dimension(X):
    """Estimated dimension the rows of ``X`` spread in near each other.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Finite points, of moderate magnitude (the neighbour search's scaled
        points).

    Returns
    -------
    dimension : float
        About ``n_features`` for points spread in every direction, less for
        points near a lower-dimensional set or dominated by a few columns;
        ``inf`` when it cannot be told (too few distinct points).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> wide = rng.normal(size=(20_000, 12))
    >>> bool(10 < intrinsic_dimension(wide) < 14)
    True
    >>> wide[:, 0] *= 1e6  # one column in much larger units
    >>> bool(intrinsic_dimension(wide) < 3)
    True
    """
    n = X.shape[0]
    reference = X[np.linspace(0, n - 1, min(n, REFERENCE_ROWS)).astype(np.intp)]
    reference = np.asarray(reference, dtype=np.float64)
    m = reference.shape[0]
    if m <= NEIGHBOURS + 1:
        return np.inf
    from ._brute import drop_own, every_pair_kneighbors  # it reads this module

    rows = np.linspace(0, m - 1, min(m, QUERY_ROWS)).astype(np.intp)
    # each row's exact nearest others (one more asked, then itself dropped)
    distances, ind = every_pair_kneighbors(reference, reference[rows], NEIGHBOURS + 1)
    distances = drop_own(ind, distances, rows)[1]
    distances = distances[distances[:, 0] > 0]  # repeated points tell nothing
    if len(distances) < len(rows) // 2:
        return np.inf
    logs = np.log(distances[:, -1:] / distances[:, :-1]).mean(axis=1)
    return float(1.0 / logs.mean()) if logs.mean() > 0 else np.inf
