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

__all__ = ["tree_visit_share"]

#: Rows of the small tree (evenly spaced).
SAMPLE_ROWS = 4096
#: Rows of the sample searched in it (evenly spaced).
QUERY_ROWS = 32
#: Neighbours each of them asks for (a sampler's default ``k_neighbors``
#: and the point itself).
NEIGHBOURS = 6
#: Points per leaf of the small tree.
LEAF_SIZE = 16


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
    n = X.shape[0]
    rows = np.linspace(0, n - 1, min(n, SAMPLE_ROWS)).astype(np.intp)
    sample = np.ascontiguousarray(X[rows], dtype=np.float64)
    m = sample.shape[0]
    tree = KDTree(sample, leaf_size=LEAF_SIZE)
    queries = sample[np.linspace(0, m - 1, min(m, QUERY_ROWS)).astype(np.intp)]
    tree.query(queries, k=min(m, NEIGHBOURS), return_distance=False)
    return tree.get_n_calls() / (queries.shape[0] * m)
