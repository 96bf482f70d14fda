"""RandomUnderSampler: keep a random subset of each targeted class."""

import numpy as np

from .._random import stream_key, to_index, uniform_words
from ._base import BaseUnderSampler

__all__ = ["RandomUnderSampler", "random_keys"]

#: Stream purpose tag of the selection draws.
SELECT = 0


def random_keys(key, n):
    """One uniform 64-bit word for each of ``n`` items of a stream.

    Item ``i`` reads word ``i % 4`` of the stream's row ``i // 4``, so its
    word depends only on the stream key and ``i`` (counter based).

    Examples
    --------
    >>> from smotekit._random import make_root_entropy, stream_key
    >>> key = stream_key(make_root_entropy(0), 0, 0)
    >>> bool((random_keys(key, 10)[:6] == random_keys(key, 6)).all())
    True
    """
    return uniform_words(key, 0, n, words_per_row=1)[:, 0]


class RandomUnderSampler(BaseUnderSampler):
    """Under-sample by keeping a random subset of each targeted class.

    Each targeted class keeps exactly ``sampling_strategy_[class]`` of its
    samples, drawn uniformly without replacement (or with replacement when
    ``replacement=True``); the other classes are kept whole. Any data goes
    through: strings, objects, NaN, datetimes, categorical pandas columns.

    The kept rows come out in their original order. (imbalanced-learn
    returns them grouped by class, in the order they were drawn; with the
    same seed the two libraries also draw different subsets.)

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Target class sizes. A float ``r`` (binary only) lowers the majority
        class to ``int(n_minority / r)``; ``'majority'``, ``'not minority'``,
        ``'not majority'``, ``'all'`` lower those classes to the minority
        count (``'auto'`` = ``'not minority'``); a dict gives the final count
        per class (at most its current count); a callable ``f(y)`` returns
        such a dict.
    random_state : int, RandomState instance or None, default=None
        Seed. The same int gives the same selection.
    replacement : bool, default=False
        Whether to draw with replacement (a row may then be kept more than
        once; its copies are adjacent and keep its pandas index label).

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        Number of samples kept per targeted class.
    sample_indices_ : ndarray of shape (n_kept,)
        Input position of every output row, in ascending order
        (``X_resampled == X[sample_indices_]``).
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X is a DataFrame with string column names.

    See Also
    --------
    RandomOverSampler : duplicate samples of the small classes instead.

    Examples
    --------
    >>> from collections import Counter
    >>> import numpy as np
    >>> from smotekit import RandomUnderSampler
    >>> X = np.arange(20).reshape(10, 2)
    >>> y = np.array([0, 1, 0, 0, 1, 0, 0, 0, 0, 0])
    >>> rus = RandomUnderSampler(random_state=0)
    >>> X_res, y_res = rus.fit_resample(X, y)
    >>> sorted(Counter(y_res.tolist()).items())
    [(0, 2), (1, 2)]
    >>> bool((X_res == X[rus.sample_indices_]).all())
    True
    >>> bool((np.diff(rus.sample_indices_) > 0).all())
    True
    """

    _parameter_constraints: dict = {
        **BaseUnderSampler._parameter_constraints,
        "random_state": ["random_state"],
        "replacement": ["boolean"],
    }

    #: Rows are only selected, never computed with: any data goes through.
    _requires_numeric = False
    _allows_nan = True

    def __init__(
        self, *, sampling_strategy="auto", random_state=None, replacement=False
    ):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.replacement = replacement

    def _fit_resample(self, X, y, entropy):
        positions = self._class_positions(y)
        parts = [np.flatnonzero(~self._targeted_mask(y))]
        for cls, n_keep in self.sampling_strategy_.items():
            rows = np.flatnonzero(y == cls)
            key = stream_key(entropy, SELECT, positions[cls])
            if self.replacement:
                # kept sample j is a uniform draw read from word j
                parts.append(rows[to_index(random_keys(key, n_keep), len(rows))])
            elif n_keep < len(rows):
                # a uniform random subset: the n_keep rows with the smallest
                # random keys (row i of the class reads word i)
                chosen = np.argpartition(random_keys(key, len(rows)), n_keep)[:n_keep]
                parts.append(rows[chosen])
            else:
                parts.append(rows)
        return np.sort(np.concatenate(parts))
