"""A 64-bit hash of every row of a float matrix, dense or CSR.

Equal rows (bit for bit: ``-0.0`` and ``0.0`` differ, as do NaNs of other
payloads) get equal hashes; different rows collide with a chance of about
``2**-64`` a pair, so callers that need certainty compare the rows whose
hashes agree. Used to group identical rows (:mod:`smotekit.under_sampling`)
and to see whether a class repeats rows (:func:`smotekit._brute.sample_repeats`).
"""

import numpy as np
from scipy import sparse

__all__ = ["row_hashes"]

#: Rows hashed per block (bounds the temporary memory of the hash).
HASH_BLOCK_ROWS = 8_192
_MIX = np.uint64(0x9E3779B97F4A7C15)
_MIX2 = np.uint64(0xBF58476D1CE4E5B9)


def _mix(values):
    """A nonlinear 64-bit mix of uint64 values (wraps around)."""
    with np.errstate(over="ignore"):
        values = (values ^ (values >> np.uint64(31))) * _MIX2
        return values ^ (values >> np.uint64(29))


def _bits(values):
    uint = np.uint32 if values.dtype == np.float32 else np.uint64
    return values.view(uint).astype(np.uint64)


def row_hashes(X):
    """A 64-bit hash of every row of ``X``.

    Parameters
    ----------
    X : ndarray or CSR matrix of shape (n_samples, n_features)
        float32 or float64; a dense ``X`` C-contiguous, a CSR one with
        sorted indices and no explicit zeros (as the rows would be compared).

    Returns
    -------
    hashes : ndarray of shape (n_samples,), uint64

    Examples
    --------
    >>> import numpy as np
    >>> h = row_hashes(np.array([[1.0, 2.0], [2.0, 1.0], [1.0, 2.0]]))
    >>> bool(h[0] == h[2]), bool(h[0] == h[1])
    (True, False)
    """
    n = X.shape[0]
    if sparse.issparse(X):
        with np.errstate(over="ignore"):
            cols = X.indices.astype(np.uint64) * _MIX + np.uint64(1)
            entries = _mix(_bits(X.data) ^ _mix(cols))
            cumulative = np.zeros(len(entries) + 1, dtype=np.uint64)
            np.cumsum(entries, dtype=np.uint64, out=cumulative[1:])
            sums = cumulative[X.indptr[1:]] - cumulative[X.indptr[:-1]]
        return _mix(sums ^ np.diff(X.indptr).astype(np.uint64))
    weights = _mix(np.arange(1, X.shape[1] + 1, dtype=np.uint64) * _MIX)
    hashes = np.empty(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for start in range(0, n, HASH_BLOCK_ROWS):
            stop = min(start + HASH_BLOCK_ROWS, n)
            block = _mix(_bits(X[start:stop]) ^ weights)
            hashes[start:stop] = _mix(block.sum(axis=1, dtype=np.uint64))
    return hashes
