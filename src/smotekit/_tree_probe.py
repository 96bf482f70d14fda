"""How much of a point set a kd-tree reads to find a point's neighbours.

A kd-tree splits along the axes: it finds neighbours by reading a small
share of the points when they gather in tight groups (clusters, a few wide
columns), and nearly all of them when they spread evenly in many directions
or along a few directions that are not axes (a rotated low-dimensional
set). The dimension estimate of :mod:`smotekit._intrinsic` tells how many
directions the points spread in, not whether the tree can follow them;
:func:`tree_visit_share` measures it directly, on a small tree of rows
spread evenly through the set, so the same points always give the same
share.
"""

import numpy as np
from sklearn.neighbors import KDTree

__all__ = ["neighbour_contrast", "tree_visit_share"]

#: Rows of the small tree (evenly spaced).
SAMPLE_ROWS = 4096
#: Rows of the sample searched in it (evenly spaced).
QUERY_ROWS = 32
#: Neighbours each of them asks for (a sampler's default ``k_neighbors``
#: and the point itself).
NEIGHBOURS = 6
#: Points per leaf of the small tree.
LEAF_SIZE = 16


def _sample(X):
    """At most ``SAMPLE_ROWS`` rows of ``X`` taken evenly (float64), and
    ``QUERY_ROWS`` of them taken evenly."""
    n = X.shape[0]
    rows = np.linspace(0, n - 1, min(n, SAMPLE_ROWS)).astype(np.intp)
    sample = np.ascontiguousarray(X[rows], dtype=np.float64)
    m = sample.shape[0]
    return sample, sample[np.linspace(0, m - 1, min(m, QUERY_ROWS)).astype(np.intp)]


def neighbour_contrast(X):
    """How close a point's neighbours are against the rest of the points:
    the median, over sampled queries, of the distance to a query's
    ``NEIGHBOURS``-th nearest sampled point over its median distance.

    It reads the same sample as :func:`tree_visit_share` with one matrix
    product (a fraction of a millisecond). Points in tight groups have
    their neighbours much nearer than the rest (0.005-0.16 wherever the
    tree reads at most 5% of them, among clusters of many sizes and
    widths, count columns and rotated sets of 9-20 features); points
    spread evenly do not (Gaussian points of 9-20 features: 0.41-0.61).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Finite points, at least one row.

    Returns
    -------
    contrast : float
        Between 0 and 1; 0 where at least half of a query's sampled points
        lie at its own position.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> even = rng.normal(size=(20_000, 9))
    >>> bool(neighbour_contrast(even) > 0.3)
    True
    >>> centres = rng.normal(scale=10, size=(200, 9))
    >>> grouped = centres[rng.integers(0, 200, 20_000)] + rng.normal(
    ...     scale=0.5, size=(20_000, 9)
    ... )
    >>> bool(neighbour_contrast(grouped) < 0.2)
    True
    """
    sample, queries = _sample(X)
    m = sample.shape[0]
    sq = np.einsum("ij,ij->i", sample, sample)
    dist = sq[None, :] - 2.0 * (queries @ sample.T)
    dist += np.einsum("ij,ij->i", queries, queries)[:, None]
    np.maximum(dist, 0.0, out=dist)
    middle = (m - 1) // 2
    parted = np.partition(dist, middle, axis=1)  # one kth at a time: 8x faster
    typical = parted[:, middle]
    kth = min(NEIGHBOURS, middle)
    near = np.partition(parted[:, : middle + 1], kth, axis=1)[:, kth]
    ratio = np.divide(near, typical, out=np.zeros_like(near), where=typical > 0)
    return float(np.sqrt(np.median(np.minimum(ratio, 1.0))))


def tree_visit_share(X):
    """Share of the sampled points a kd-tree reads per neighbour query.

    A kd-tree (scikit-learn's, ``leaf_size=16``) is built on at most
    ``SAMPLE_ROWS`` rows of ``X`` taken evenly; ``QUERY_ROWS`` of them, taken
    evenly, ask for their ``NEIGHBOURS`` nearest, and the distances the tree
    computed are counted.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Finite points, at least one row.

    Returns
    -------
    share : float
        Distances computed per query over the sampled rows: near 1 when the
        tree reads every point (Gaussian points of 20 features), a few
        hundredths when it reads only the points' own group.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> even = rng.normal(size=(20_000, 20))
    >>> bool(tree_visit_share(even) > 0.9)
    True
    >>> centres = rng.normal(scale=10, size=(200, 20))
    >>> grouped = centres[rng.integers(0, 200, 20_000)] + rng.normal(
    ...     scale=0.5, size=(20_000, 20)
    ... )
    >>> bool(tree_visit_share(grouped) < 0.05)
    True
    """
    sample, queries = _sample(X)
    m = sample.shape[0]
    tree = KDTree(sample, leaf_size=LEAF_SIZE)
    tree.query(queries, k=min(m, NEIGHBOURS), return_distance=False)
    return tree.get_n_calls() / (queries.shape[0] * m)
