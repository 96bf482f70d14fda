"""Counter-based draws of the provenance of synthetic rows.

Each function draws the rows ``start:stop`` of one class's stream (see
:mod:`smotekit._random`): row ``i``'s values depend only on the seed, the
class and ``i``, so any split of the rows into blocks draws the same values.
"""

import numpy as np

from ._kernels import bootstrap_from_words, pairs_from_words
from ._provenance import Provenance
from ._random import uniform_words

__all__ = ["WORD_ROWS", "draw_bootstrap", "draw_normal", "draw_pairs"]

#: Rows whose random words are drawn at once within a block (128 KiB for two
#: words a row): worker threads then leave no large freed scratch behind in
#: their allocator arenas, which stay resident.
WORD_ROWS = 8192


def draw_pairs(key, start, stop, neighbors, rows, gap_dtype=np.float64, *, out=None):
    """Draw (seed, neighbour, gap) for synthetic rows ``start`` to ``stop``.

    The (seed, neighbour) pair is uniform over all ``n_seeds * k`` pairs of the
    neighbour table, and the gap uniform on [0, 1).

    Parameters
    ----------
    key : StreamKey
        The class's stream key.
    start, stop : int
        Synthetic row range within the class.
    neighbors : ndarray of shape (n_seeds, k)
        Neighbour table, as row positions into ``rows``.
    rows : ndarray of shape (n_candidates,)
        Input row index of each position; seeds are ``rows[:n_seeds]``.
    gap_dtype : dtype, default=float64
        Dtype of the returned gaps.
    out : Provenance, default=None
        Arrays of ``stop - start`` rows to write into (their own dtypes)
        instead of new ones.

    Returns
    -------
    provenance : Provenance
        ``out`` when given.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit._random import make_root_entropy, stream_key
    >>> key = stream_key(make_root_entropy(0), 0, 0)
    >>> nn = np.array([[1], [0]])
    >>> p = draw_pairs(key, 0, 4, nn, np.array([10, 20]))
    >>> sorted(set(zip(p.parent.tolist(), p.neighbor.tolist())))
    [(10, 20), (20, 10)]
    """
    out = out if out is not None else _new_part(stop - start, rows.dtype, gap_dtype)
    below_one = np.nextafter(out.gap.dtype.type(1), out.gap.dtype.type(0))
    for s, e, mine in _word_chunks(start, stop):
        words = uniform_words(key, s, e)
        pairs_from_words(words, neighbors, rows, below_one, out.parent[mine],
                         out.neighbor[mine], out.gap[mine])  # fmt: skip
    return out


def draw_bootstrap(key, start, stop, rows, gap_dtype=np.float64, *, out=None):
    """Draw source rows, uniformly with replacement, for rows ``start`` to ``stop``.

    Row ``r``'s source is ``rows[words[r] % len(rows)]``, one word per row;
    ``out`` (as in :func:`draw_pairs`) receives the rows when given. A new
    part, like a copies :class:`ProvenanceBuilder`'s view, has ``neighbor``
    the ``parent`` array itself and zero gaps; an ``out`` of that kind is
    taken to hold zero gaps already, and only its parents are written.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit._random import make_root_entropy, stream_key
    >>> key = stream_key(make_root_entropy(0), 0, 0)
    >>> p = draw_bootstrap(key, 0, 5, np.array([3, 8]))
    >>> set(p.parent.tolist()) <= {3, 8}, bool((p.gap == 0).all())
    (True, True)
    >>> p.neighbor is p.parent
    True
    """
    if out is None:
        parent = np.empty(stop - start, dtype=rows.dtype)
        out = Provenance(parent, parent, np.zeros(stop - start, dtype=gap_dtype))
    for s, e, mine in _word_chunks(start, stop):
        words = uniform_words(key, s, e, words_per_row=1)
        bootstrap_from_words(words[:, 0], rows, out.parent[mine])
    if out.neighbor is not out.parent:
        out.neighbor[:] = out.parent
        out.gap[:] = 0
    return out


def _new_part(n, index_dtype, gap_dtype):
    return Provenance(
        np.empty(n, dtype=index_dtype),
        np.empty(n, dtype=index_dtype),
        np.empty(n, dtype=gap_dtype),
    )


def _word_chunks(start, stop):
    """``(s, e, slice of s:e within start:stop)`` in runs of ``WORD_ROWS``."""
    for s in range(start, stop, WORD_ROWS):
        e = min(s + WORD_ROWS, stop)
        yield s, e, slice(s - start, e - start)


def draw_normal(key, start, stop, n_features):
    """Standard normal noise for rows ``start`` to ``stop`` (counter based).

    Examples
    --------
    >>> from smotekit._random import make_root_entropy, stream_key
    >>> key = stream_key(make_root_entropy(0), 1, 0)
    >>> draw_normal(key, 0, 3, 5).shape
    (3, 5)
    """
    from scipy.special import ndtri

    words = uniform_words(key, start, stop, words_per_row=n_features)[:, :n_features]
    # centre each 53-bit cell so that u lies strictly inside (0, 1)
    u = ((words >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0**-53
    return ndtri(u)
