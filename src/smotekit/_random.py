"""Counter-based random streams.

Every random number used to build synthetic row ``i`` of a class is read from
a Philox stream at counter ``i``; the stream's key depends only on the
sampler's seed, a purpose tag and the class position. The draws for a row
therefore do not depend on how the work is split into blocks, threads, chunks
or Dask partitions: any block ``[start, stop)`` can be produced on its own and
equals the matching slice of the whole stream.
"""

import functools

import numpy as np
from sklearn.utils import check_random_state

from ._philox import philox_words

__all__ = [
    "StreamKey",
    "make_root_entropy",
    "stream_key",
    "to_index",
    "to_unit_float",
    "uniform_words",
]

WORDS_PER_ROW = 2
_INV_2_53 = 1.0 / (1 << 53)


def make_root_entropy(random_state):
    """Derive the root entropy of one ``fit_resample`` call.

    Parameters
    ----------
    random_state : None, int or numpy.random.RandomState
        The sampler's ``random_state``. An int always gives the same entropy;
        a ``RandomState`` is advanced (so repeated calls differ, as with any
        scikit-learn estimator); ``None`` draws fresh entropy.

    Returns
    -------
    entropy : tuple of int
        Four 32-bit words.

    Examples
    --------
    >>> make_root_entropy(0) == make_root_entropy(0)
    True
    """
    if isinstance(random_state, (int, np.integer)) and not isinstance(
        random_state, bool
    ):
        return _seed_entropy(int(random_state))
    return _drawn_entropy(check_random_state(random_state))


@functools.lru_cache(maxsize=1024)
def _seed_entropy(seed):
    """:func:`make_root_entropy` of an int seed, kept: seeding a generator
    costs more than many a small call (a tuple of ints is never changed)."""
    return _drawn_entropy(np.random.RandomState(seed))


def _drawn_entropy(rs):
    return tuple(int(v) for v in rs.randint(0, 2**32, size=4, dtype=np.uint64))


class StreamKey(tuple):
    """A Philox key (two 64-bit words) identifying one random stream."""

    __slots__ = ()


def stream_key(entropy, purpose, class_position):
    """Key of the stream for one purpose and one class.

    Parameters
    ----------
    entropy : tuple of int
        Root entropy from :func:`make_root_entropy`.
    purpose : int
        Small integer separating independent uses (pairs, noise, ...).
    class_position : int
        Position of the class among the sorted classes of ``y``.

    Returns
    -------
    key : StreamKey
    """
    seq = np.random.SeedSequence(entropy, spawn_key=(int(purpose), int(class_position)))
    return StreamKey(int(w) for w in seq.generate_state(2, dtype=np.uint64))


def uniform_words(key, start, stop, words_per_row=WORDS_PER_ROW):
    """Raw 64-bit words for rows ``start`` to ``stop`` of a stream.

    Each Philox counter gives 4 words. A row needing 1 or 2 words shares a
    counter with 3 or 1 other rows (row ``i`` reads counter
    ``i // (4 // w)``, words ``(i % (4 // w)) * w`` onwards, ``w`` the width);
    a row needing more owns ``ceil(words_per_row / 4)`` consecutive counters.
    Either way row ``i``'s words depend only on the key and ``i``.

    Parameters
    ----------
    key : StreamKey
        Stream key.
    start, stop : int
        Row range.
    words_per_row : int, default=2
        Words needed per row.

    Returns
    -------
    words : ndarray of shape (stop - start, width), uint64
        ``width`` is ``words_per_row`` for 1 or 2, else
        ``ceil(words_per_row / 4) * 4``.

    Examples
    --------
    >>> key = stream_key(make_root_entropy(0), 0, 0)
    >>> whole = uniform_words(key, 0, 10)
    >>> bool((uniform_words(key, 3, 7) == whole[3:7]).all())
    True
    >>> whole.shape, uniform_words(key, 0, 10, words_per_row=5).shape
    ((10, 2), (10, 8))
    """
    start, stop = int(start), int(stop)
    n = max(stop - start, 0)
    if words_per_row <= 2:
        width = max(int(words_per_row), 1)
        rows_per_counter = 4 // width
        first = start // rows_per_counter
        last = max(-(-stop // rows_per_counter), first)
        skip = start - first * rows_per_counter
        raw = philox_words(key, first, last - first)
        return raw.reshape(-1, width)[skip : skip + n]
    counters_per_row = -(-words_per_row // 4)
    raw = philox_words(key, start * counters_per_row, n * counters_per_row)
    return raw.reshape(n, counters_per_row * 4)


def to_unit_float(words):
    """Map uint64 words to floats uniform on [0, 1) with 53 random bits.

    Examples
    --------
    >>> import numpy as np
    >>> to_unit_float(np.array([0, 2**64 - 1], dtype=np.uint64)).tolist()
    [0.0, 0.9999999999999999]
    """
    return (words >> np.uint64(11)).astype(np.float64) * _INV_2_53


def to_index(words, n):
    """Map uint64 words to integers uniform on ``[0, n)``.

    The modulo bias is below ``n / 2**64``, negligible for any array size.

    Examples
    --------
    >>> import numpy as np
    >>> to_index(np.array([7, 8], dtype=np.uint64), 4).tolist()
    [3, 0]
    """
    return (words % np.uint64(n)).astype(np.int64)
