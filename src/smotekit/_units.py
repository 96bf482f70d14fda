"""Points in the units of the bounded products.

The exact searches over every pair (few pairs, and the tie lists of the
cleaning samplers) compute ``|x|**2 + |y|**2 - 2 x.y`` from matrix products
and keep every point whose distance that bound cannot rule out. The points
are first centred (smaller norms, tighter bounds): the products then bound
each squared distance within ``(d + 8) * 2**-50`` of the two squared norms,
four times the rounding of the centring, the products and the sums of
squares together; centred points in float32 (half the products' cost),
within ``(d + 8) * 2**-22``, four times the rounding of the cast to float32
and of float32 products, where no value is small or large enough to leave
float32's normal range. Integer points whose every term is an integer below the
precision of a float dtype need no centring and no slack: there the
products give each squared distance exactly.

A compiled pass writes the centred rows and their squared norms; another,
when asked, their transposed copy (many blocks of products read it as a
contiguous right-hand side; a single product reads the rows transposed).
"""

from typing import NamedTuple

import numpy as np
from numba import njit

__all__ = ["Units", "centred_top", "point_units"]

#: Rows transposed per block (a block of rows and columns stays in cache).
TRANSPOSE_ROWS = 256
#: Centred points are written in float32 when asked (``single``) and every
#: centred value is 0 or of a magnitude within ``2**-SINGLE_RANGE`` and
#: ``2**SINGLE_RANGE``: every square, product and sum is then a normal
#: float32 (no underflow, no overflow), and each rounding is relative.
SINGLE_RANGE = 40


class Units(NamedTuple):
    """Points in the products' units.

    Attributes
    ----------
    rows : ndarray of shape (n, d)
        The points, centred (float64, or float32 when asked and they fit),
        or exact integers in ``exact``'s dtype.
    cols : ndarray of shape (d, n) or None
        ``rows`` transposed, C-contiguous (None when not asked).
    sq : ndarray of shape (n,), float64
        Squared norms of ``rows``.
    slack : float
        ``sq[i] + sq[j] - 2 rows[i] @ rows[j]`` is within
        ``slack * (sq[i] + sq[j])`` of the squared distance (0: exact).
    centre : ndarray of shape (d,), float64
        What was subtracted (zeros for exact integers).
    """

    rows: np.ndarray
    cols: np.ndarray | None
    sq: np.ndarray
    slack: float
    centre: np.ndarray


def point_units(points, *, exact=None, like=None, transposed=True, single=False):
    """The ``points`` in the units of the bounded products.

    Parameters
    ----------
    points : ndarray of shape (n, d), float32 or float64
        The points (C-contiguous or not; centred and summed in float64).
    exact : numpy float dtype, default=None
        A dtype in which every squared distance of these integer points is
        computed exactly by the products: the points are then only cast to
        it, and the slack is 0. None: the points are centred on their mean.
    like : Units, default=None
        Centred units of other points (the fitted ones) whose centre and
        slack these points (queries) share, so that their products bound
        the same way. Not exact units: their slack of 0 holds only for the
        integer points they were checked for.
    transposed : bool, default=True
        Whether to write the transposed copy too.
    single : bool, default=False
        Centred units in float32 where the centred values allow it (see
        ``SINGLE_RANGE``; else float64): the products then bound each
        squared distance within ``(d + 8) * 2**-22`` of the two squared
        norms (four times the rounding of the cast and of float32
        products), and cost about half as much.

    Returns
    -------
    units : Units

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 2.0], [3.0, 6.0]])
    >>> u = point_units(X)
    >>> u.rows.tolist(), u.cols.tolist(), u.sq.tolist()
    ([[-1.0, -2.0], [1.0, 2.0]], [[-1.0, 1.0], [-2.0, 2.0]], [5.0, 5.0])
    >>> float(u.sq[0] + u.sq[1] - 2 * u.rows[0] @ u.rows[1])  # |x - y|**2
    20.0
    >>> point_units(X, exact=np.float32).rows.dtype.name
    'float32'
    >>> u32 = point_units(X, single=True)
    >>> u32.rows.dtype.name, u32.slack == 10 * 2.0**-22
    ('float32', True)
    """
    n, d = points.shape
    if like is not None:
        if not like.slack:
            raise ValueError("point_units: 'like' must be centred units, not exact")
        centre, slack, dtype = like.centre, like.slack, like.rows.dtype
        if dtype == np.float32 and not _fits_single(points, centre):
            raise ValueError("point_units: these points do not fit float32 units")
    elif exact is not None:
        centre, slack, dtype = np.zeros(d), 0.0, np.dtype(exact)
    else:
        centre, slack, dtype = None, (d + 8) * 2.0**-50, np.dtype(np.float64)
    if centre is None:
        centre = np.empty(d)
        _mean_into(points, centre)
        if single and _fits_single(points, centre):
            slack, dtype = (d + 8) * 2.0**-22, np.dtype(np.float32)
    rows = np.empty((n, d), dtype=dtype)
    sq = np.empty(n)
    _units_into(points, centre, rows, sq)
    cols = None
    if transposed:
        cols = np.empty((d, n), dtype=dtype)
        _transpose_into(rows, cols)
    return Units(rows, cols, sq, slack, centre)


def centred_top(points):
    """The largest squared norm of the ``points`` (float32 or float64,
    summed in float64) centred on their mean, as :func:`point_units`
    centres them (0 for no points), without a centred copy.

    Examples
    --------
    >>> import numpy as np
    >>> centred_top(np.array([[1.0, 2.0], [3.0, 6.0]]))
    5.0
    """
    centre = np.empty(points.shape[1])
    _mean_into(points, centre)
    return _top_into(points, centre)


@njit(nogil=True, cache=True)
def _top_into(points, centre):
    """The largest ``|points[j] - centre|**2``, summed in float64."""
    top = 0.0
    n, d = points.shape
    for j in range(n):
        acc = 0.0
        for f in range(d):
            v = points[j, f] - centre[f]
            acc += v * v
        if acc > top or acc != acc:
            top = acc
    return top


@njit(nogil=True, cache=True)
def _mean_into(points, out):
    """Each column's mean of ``points``, in float64, into ``out``."""
    n, d = points.shape
    for f in range(d):
        out[f] = 0.0
    for j in range(n):
        for f in range(d):
            out[f] += points[j, f]
    for f in range(d):
        out[f] /= max(n, 1)


@njit(nogil=True, cache=True)
def _fits_single(points, centre):
    """Whether every centred value is 0 or of a magnitude within
    ``2**-SINGLE_RANGE`` and ``2**SINGLE_RANGE`` (NaN and inf: no)."""
    low, high = 2.0**-SINGLE_RANGE, 2.0**SINGLE_RANGE
    n, d = points.shape
    for j in range(n):
        for f in range(d):
            v = abs(points[j, f] - centre[f])
            if v != 0.0 and not (low <= v <= high):
                return False
    return True


@njit(nogil=True, cache=True)
def _units_into(points, centre, rows, sq):
    """``rows = points - centre`` (cast to ``rows``' dtype) and its squared
    norms, summed in float64."""
    n, d = points.shape
    for j in range(n):
        acc = 0.0
        for f in range(d):
            rows[j, f] = points[j, f] - centre[f]
            v = np.float64(rows[j, f])
            acc += v * v
        sq[j] = acc


@njit(nogil=True, cache=True)
def _transpose_into(rows, cols):
    """``cols = rows.T``, by blocks of rows (each column's part written in
    one run)."""
    n, d = rows.shape
    for start in range(0, n, TRANSPOSE_ROWS):
        stop = min(start + TRANSPOSE_ROWS, n)
        for f in range(d):
            for j in range(start, stop):
                cols[f, j] = rows[j, f]
