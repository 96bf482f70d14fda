"""Borderline-SMOTE: SMOTE grown from the samples near the class border."""

from numbers import Integral

import numpy as np
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

from .._danger import danger_noise_masks
from .._neighbors import (
    check_neighbors_object,
    fit_on_all_samples,
    n_neighbors_of,
    neighbors_of_rows,
)
from .._provenance import Provenance, draw_into
from .._random import stream_key, to_index, to_unit_float, uniform_words
from .._warn import warn_at_caller
from ..base import BaseOverSampler
from ..exceptions import NoDangerSamplesWarning
from ._smote import class_neighbor_table

__all__ = ["BorderlineSMOTE", "draw_borderline"]

#: Stream purpose tag for the (seed, neighbour, gap) draws.
PAIRS = 0
#: Largest share of the way a borderline-2 sample moves toward a neighbour of
#: another class.
OTHER_CLASS_MAX_GAP = 0.5


def draw_borderline(key, start, stop, seeds, table, gap_dtype, other_class=None):
    """Draw (seed, neighbour, gap) for synthetic rows ``start`` to ``stop``.

    The (seed, neighbour) pair is uniform over the ``n_seeds * k`` pairs of
    the table (word 0 of the row), the gap uniform on [0, 1) (word 1). When
    ``other_class`` is given (Borderline-SMOTE 2), a neighbour of another
    class gets its gap multiplied by a second draw uniform on [0, 0.5)
    (word 2), so the synthetic sample stays on the seed's half of the segment.

    Parameters
    ----------
    key : StreamKey
        The class's stream key.
    start, stop : int
        Synthetic row range within the class.
    seeds : ndarray of shape (n_seeds,)
        Input row index of each seed.
    table : ndarray of shape (n_seeds, k)
        Input row indices of each seed's neighbours.
    gap_dtype : dtype
        Dtype of the returned gaps.
    other_class : ndarray of shape (n_seeds, k), bool, default=None
        Whether each neighbour belongs to another class than the seed.

    Returns
    -------
    provenance : Provenance

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit._random import make_root_entropy, stream_key
    >>> key = stream_key(make_root_entropy(0), 0, 0)
    >>> table = np.array([[5, 9]])
    >>> p = draw_borderline(key, 0, 200, np.array([3]), table, np.float64,
    ...                     other_class=np.array([[False, True]]))
    >>> bool((p.gap[p.neighbor == 9] < 0.5).all()), sorted(set(p.neighbor.tolist()))
    (True, [5, 9])
    """
    words = uniform_words(
        key, start, stop, words_per_row=2 if other_class is None else 3
    )
    n_seeds, k = table.shape
    seed_pos, column = np.divmod(to_index(words[:, 0], n_seeds * k), k)
    gap = to_unit_float(words[:, 1])
    limit = np.ones(len(gap))
    if other_class is not None:
        other = other_class[seed_pos, column]
        gap[other] *= OTHER_CLASS_MAX_GAP * to_unit_float(words[other, 2])
        limit[other] = OTHER_CLASS_MAX_GAP
    # a float64 draw just below the limit can round up to it in float32
    gap_dtype = np.dtype(gap_dtype)
    below = np.nextafter(limit.astype(gap_dtype), gap_dtype.type(0))
    gap = np.minimum(gap.astype(gap_dtype), below)
    return Provenance(seeds[seed_pos], table[seed_pos, column], gap)


class BorderlineSMOTE(BaseOverSampler):
    """Borderline-SMOTE: over-sample from the samples in danger.

    For each class to over-sample, every sample of the class looks at its
    ``m_neighbors`` nearest neighbours among all the samples (itself
    excluded) and counts ``m'``, those of other classes. It is *in danger*
    when ``m/2 <= m' < m`` (near the border), *noise* when ``m' = m`` and
    *safe* otherwise. Only the samples in danger are seeds; each synthetic
    sample lies on the segment from a seed towards one of its
    ``k_neighbors`` nearest neighbours:

    * ``kind='borderline-1'``: neighbours of the seed's own class, gap
      uniform on [0, 1);
    * ``kind='borderline-2'``: neighbours among all the samples; the gap is
      uniform on [0, 1) towards a sample of the same class, and is that draw
      multiplied by a second one uniform on [0, 0.5) towards a sample of
      another class, as imbalanced-learn does (so the synthetic sample stays
      nearer to the seed). A borderline-2 synthetic sample can therefore have
      a ``provenance_.neighbor`` of another class, always with a gap below 0.5.

    The (seed, neighbour) pair is drawn uniformly among all pairs.

    **No sample in danger.** When a class has no sample in danger (it is
    well separated, or its border samples are all noise), imbalanced-learn
    silently generates nothing for it. Here every sample of the class becomes
    a seed (as in SMOTE; the neighbour rule of ``kind`` is unchanged), a
    :class:`~smotekit.exceptions.NoDangerSamplesWarning` naming the class is
    emitted, and the class still gets exactly the requested number of
    samples.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Target class sizes, as for :class:`~smotekit.SMOTE` (a float ratio,
        a class-selection string, a dict of final counts or a callable).
    random_state : int, RandomState instance or None, default=None
        Seed. The same int gives byte-identical output, whatever ``n_jobs``.
    k_neighbors : int or estimator with ``kneighbors``, default=5
        Number of nearest neighbours to interpolate towards, or a neighbours
        estimator (cloned; its ``n_neighbors`` counts the sample itself, as in
        imbalanced-learn).
    m_neighbors : int or estimator with ``kneighbors``, default=10
        Number of nearest neighbours (among all samples) used to decide
        whether a sample is in danger, or a neighbours estimator (same
        convention as ``k_neighbors``).
    kind : {'borderline-1', 'borderline-2'}, default='borderline-1'
        Where the neighbours come from (see above).
    n_jobs : int, default=None
        Threads for the neighbour searches (``-1`` for all cores). Does not
        change the result.

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        Number of samples generated per class.
    nn_k_ : estimator
        The ``k_neighbors`` estimator, fitted on the last over-sampled class
        (``'borderline-1'``) or on all samples (``'borderline-2'``).
    nn_m_ : estimator
        The ``m_neighbors`` estimator, fitted on all samples.
    in_danger_indices_ : dict
        For each over-sampled class, the input row indices of its samples in
        danger (empty when the class had none). ``in_danger_indices`` (no
        trailing underscore, imbalanced-learn's name) is a read-only alias.
    provenance_ : Provenance
        For synthetic row ``j`` (output row ``n_samples + j``): the seed
        ``parent[j]``, the ``neighbor[j]`` it moves towards and the
        ``gap[j]``.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X is a DataFrame with string column names.

    Warns
    -----
    NoDangerSamplesWarning
        When a class to over-sample has no sample in danger (see above).

    See Also
    --------
    SMOTE : seeds from every sample of the class.
    ADASYN : more samples where more neighbours belong to other classes.

    References
    ----------
    .. [1] H. Han, W.-Y. Wang, B.-H. Mao, "Borderline-SMOTE: a new
       over-sampling method in imbalanced data sets learning", ICIC 2005,
       LNCS 3644, pp. 878-887.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from smotekit import BorderlineSMOTE
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> sampler = BorderlineSMOTE(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> Counter(y_res.tolist())
    Counter({0: 898, 1: 898})

    Every synthetic sample grows from a sample in danger:

    >>> danger = sampler.in_danger_indices_[1]
    >>> bool(set(sampler.provenance_.parent.tolist()) <= set(danger.tolist()))
    True
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "k_neighbors": [
            Interval(Integral, 1, None, closed="left"),
            HasMethods(["kneighbors"]),
        ],
        "m_neighbors": [
            Interval(Integral, 1, None, closed="left"),
            HasMethods(["kneighbors"]),
        ],
        "kind": [StrOptions({"borderline-1", "borderline-2"})],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        k_neighbors=5,
        m_neighbors=10,
        kind="borderline-1",
        n_jobs=None,
    ):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.m_neighbors = m_neighbors
        self.kind = kind
        self.n_jobs = n_jobs

    @property
    def in_danger_indices(self):
        """imbalanced-learn's name of :attr:`in_danger_indices_` (read-only)."""
        return self.in_danger_indices_

    def _fit_resample(self, X, y, entropy):
        name = type(self).__name__
        targets = list(self._class_targets(y))
        self.nn_m_ = check_neighbors_object(
            "m_neighbors",
            self.m_neighbors,
            self.n_jobs,
            sampler_name=type(self).__name__,
        )
        self.nn_k_ = check_neighbors_object(
            "k_neighbors",
            self.k_neighbors,
            self.n_jobs,
            sampler_name=type(self).__name__,
        )
        self.in_danger_indices_ = {}
        if not targets:
            return self._provenance_out(X).build()
        fit_on_all_samples(self.nn_m_, X, name, "m_neighbors")
        whole = self.kind == "borderline-2"
        if whole:
            fit_on_all_samples(self.nn_k_, X, name, "k_neighbors")
        gap_dtype = self._gap_dtype(X)
        out = self._provenance_out(X)
        for cls, position, rows, n_new in targets:
            if not whole:  # checks the class size before anything else
                nn = check_neighbors_object(
                    "k_neighbors",
                    self.k_neighbors,
                    self.n_jobs,
                    sampler_name=type(self).__name__,
                )
                class_table = class_neighbor_table(
                    nn, X[rows], name, "k_neighbors", cls
                )
                self.nn_k_ = nn
            danger = self._danger_mask(X, y, cls, rows)
            self.in_danger_indices_[cls] = rows[danger]
            if not danger.any():
                self._warn_no_danger(cls, n_new)
                danger[:] = True
            seeds = rows[danger]
            if whole:
                table = neighbors_of_rows(self.nn_k_, X, seeds, name, "k_neighbors")
                other_class = y[table] != cls
            else:
                table = rows[class_table[danger]]
                other_class = None
            key = stream_key(entropy, PAIRS, position)
            draw_into(
                out, draw_borderline, key, 0, n_new, seeds, table, gap_dtype,
                other_class,
            )  # fmt: skip
        return out.build()

    def _warn_no_danger(self, cls, n_new):
        m = n_neighbors_of(self.nn_m_) - 1
        warn_at_caller(
            f"{type(self).__name__}: class {cls!r} has no sample in danger (no "
            f"sample with at least half, and not all, of its {m} nearest "
            "neighbours in other classes), so Borderline-SMOTE has no seed for "
            "it. Every sample of the class is used as a seed instead, as SMOTE "
            f"does, to generate the {n_new} samples asked. Use SMOTE for this "
            "class, or change m_neighbors, to silence this warning.",
            NoDangerSamplesWarning,
        )

    def _danger_mask(self, X, y, cls, rows):
        """Which samples of the class (``X[rows]``) are in danger."""
        name = type(self).__name__
        table = neighbors_of_rows(self.nn_m_, X, rows, name, "m_neighbors")
        danger, _ = danger_noise_masks((y[table] != cls).sum(axis=1), table.shape[1])
        return danger
