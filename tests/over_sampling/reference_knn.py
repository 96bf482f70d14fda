"""A reference k-nearest-neighbour search for the over-sampling tests: plain
squared distances over a candidate set, the row itself excluded, ties broken
by index (the order smotekit's exact engine promises)."""

import numpy as np


def nearest_others(X, rows, k, candidates=None):
    """The k nearest rows of ``candidates`` (default: all) to each of
    ``rows``, the row itself excluded, ties broken by index.

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [3.0], [1.0]])
    >>> nearest_others(X, [0, 2], 2).tolist()
    [[1, 3], [1, 3]]
    """
    candidates = np.arange(len(X)) if candidates is None else np.asarray(candidates)
    out = []
    for i in rows:
        others = candidates[candidates != i]
        d = ((X[others] - X[i]) ** 2).sum(axis=1)
        out.append(others[np.lexsort((others, d))[:k]])
    return np.array(out)
