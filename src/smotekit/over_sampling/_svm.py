"""SVM-SMOTE: SMOTE grown from the support vectors of a support vector machine."""

from numbers import Integral, Real

import numpy as np
from scipy.special import betaincinv
from sklearn.base import clone
from sklearn.svm import SVC
from sklearn.utils._param_validation import HasMethods, Interval, InvalidParameterError

from .._danger import danger_noise_masks
from .._neighbors import (
    check_neighbors_object,
    fit_on_all_samples,
    neighbors_of_rows,
)
from .._provenance import Provenance, draw_into
from .._random import stream_key, to_index, to_unit_float, uniform_words
from .._sparse_search import canonical_values, with_int32_indices
from ..base import BaseOverSampler
from ._smote import class_neighbor_table

__all__ = ["SVMSMOTE", "draw_svm_rows", "support_vector_mask"]

#: Stream purpose tags: (seed, neighbour, gap) draws, the danger/safe split,
#: the seed of the SVM, the rows the SVM is fitted on.
PAIRS, SPLIT, ESTIMATOR_SEED, FIT_SAMPLE = 0, 1, 2, 3
#: Beyond this many rows the SVM is fitted on a stratified sample of this
#: size (see the SVMSMOTE docstring, "Large data").
SVM_FIT_ROWS = 8_000
#: Every class keeps at least this many rows (or all of its rows) in the
#: sample the SVM is fitted on.
MIN_FIT_ROWS_PER_CLASS = 200
#: Parameters of the Beta law of the share of rows grown from the support
#: vectors in danger (imbalanced-learn's ``beta(10, 10)``).
DANGER_SHARE_BETA = (10.0, 10.0)
#: Slack on the margin test: libsvm stops at a tolerance of 1e-3, so its
#: support vectors on the margin have functional margins up to about 1.001.
MARGIN_TOL = 1e-3


def draw_svm_rows(key, start, stop, seeds, table, gap_scale, gap_dtype):
    """Draw (seed, neighbour, gap) for synthetic rows ``start`` to ``stop``.

    The (seed, neighbour) pair is uniform over the ``n_seeds * k`` pairs of
    the table (word 0 of the row) and the gap is ``gap_scale * u`` with ``u``
    uniform on [0, 1) (word 1): ``gap_scale=1`` interpolates towards the
    neighbour, ``gap_scale=-out_step`` extrapolates away from it.

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
    gap_scale : float
        Multiplier of the uniform draw, in [-1, 1].
    gap_dtype : dtype
        Dtype of the returned gaps.

    Returns
    -------
    provenance : Provenance

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit._random import make_root_entropy, stream_key
    >>> key = stream_key(make_root_entropy(0), 0, 0)
    >>> p = draw_svm_rows(key, 0, 100, np.array([3]), np.array([[5]]), -0.5,
    ...                   np.float64)
    >>> bool(((p.gap > -0.5) & (p.gap <= 0)).all()), set(p.neighbor.tolist())
    (True, {5})
    """
    words = uniform_words(key, start, stop)
    n_seeds, k = table.shape
    seed_pos, column = np.divmod(to_index(words[:, 0], n_seeds * k), k)
    gap = (gap_scale * to_unit_float(words[:, 1])).astype(gap_dtype)
    if gap_scale:
        # a float64 draw just short of gap_scale can round onto it (or past
        # it) in float32: keep the gaps strictly inside, [0, s) or (s, 0]
        gap_dtype = np.dtype(gap_dtype)
        end = gap_dtype.type(gap_scale)
        if abs(float(end)) >= abs(gap_scale):
            end = np.nextafter(end, gap_dtype.type(0))
        gap = np.minimum(gap, end) if gap_scale > 0 else np.maximum(gap, end)
    return Provenance(seeds[seed_pos], table[seed_pos, column], gap)


def support_vector_mask(decision, classes, cls):
    """Which samples of class ``cls`` lie inside a fitted SVM's margin.

    A sample of the class is a support vector of a soft-margin SVM exactly
    when its functional margin ``s * f(x)`` is at most 1 (``s`` the sign of
    its class in the binary machine); for a one-vs-one multi-class machine,
    when it is inside the margin of one of the machines that oppose its class
    to another. The test allows ``MARGIN_TOL`` for the solver's tolerance.

    Parameters
    ----------
    decision : ndarray of shape (n,) or (n, n_classes * (n_classes - 1) / 2)
        The binary decision function (positive for ``classes[1]``) or the
        one-vs-one decision values (pairs ``(i, j)``, ``i < j``, in
        lexicographic order, positive for ``classes[i]``) of the samples.
    classes : ndarray
        The classes of the machine, sorted.
    cls : object
        The class of every sample.

    Returns
    -------
    mask : ndarray of shape (n,), bool

    Examples
    --------
    >>> import numpy as np
    >>> support_vector_mask(np.array([-3.0, -0.5, 2.0]), np.array([0, 1]), 0)
    array([False,  True,  True])
    """
    decision = np.asarray(decision, dtype=np.float64)
    classes = list(classes)
    c = classes.index(cls)
    if decision.ndim == 1:
        sign = 1.0 if c == 1 else -1.0
        return sign * decision <= 1.0 + MARGIN_TOL
    margin = np.full(decision.shape[0], np.inf)
    column = 0
    for i in range(len(classes)):
        for j in range(i + 1, len(classes)):
            if c == i:
                margin = np.minimum(margin, decision[:, column])
            elif c == j:
                margin = np.minimum(margin, -decision[:, column])
            column += 1
    return margin <= 1.0 + MARGIN_TOL


def _svm_fit_hint(message, y, nu=None):
    """How to fix the SVM fit that failed with ``message`` on labels ``y``
    (``nu``: the estimator's, if it has one).

    libsvm refuses a ``nu`` above ``2 * n_i / (n_i + n_j)`` for some pair of
    classes (one against one): the smallest class against the largest sets
    the bound. A ``nu`` at the bound itself passes that check, but the
    solution can come out not finite.

    Examples
    --------
    >>> _svm_fit_hint("specified nu is infeasible", [0, 0, 0, 1])[:44]
    'Give svm_estimator a smaller nu: at most 0.5'
    >>> _svm_fit_hint("coefficients are not finite", [0, 0, 0, 1], nu=0.5)[:43]
    'Give svm_estimator a smaller nu: below 0.5 '
    """
    counts = np.unique(np.asarray(y), return_counts=True)[1]
    bound = 2 * counts.min() / (counts.min() + counts.max())
    rule = (
        "twice the smallest class's rows over those of the smallest and the "
        "largest class together"
    )
    if "nu is infeasible" in message:
        return f"Give svm_estimator a smaller nu: at most {bound:.3g} here ({rule})."
    if isinstance(nu, Real) and nu >= bound:
        return (
            f"Give svm_estimator a smaller nu: below {bound:.3g} here; "
            f"{bound:.3g} is the bound ({rule}), at which the solution can come "
            "out not finite."
        )
    return "Scale the features first (for example with sklearn's StandardScaler)."


class SVMSMOTE(BaseOverSampler):
    """SVM-SMOTE: over-sample from the support vectors of an SVM.

    A support vector machine (``svm_estimator``) is fitted on all the
    samples; the support vectors of each class to over-sample are its
    seeds. Support vectors whose ``m_neighbors`` nearest neighbours (among
    all the samples, the sample itself excluded) all belong to other classes
    are noise and are dropped. Each remaining support vector is

    * *in danger* when at least half of those neighbours belong to other
      classes: its synthetic samples **interpolate** towards one of its
      ``k_neighbors`` nearest neighbours of the same class,
      ``x + gap * (neighbour - x)`` with ``gap`` uniform on [0, 1);
    * *safe* otherwise: its synthetic samples **extrapolate** away from that
      neighbour, ``x + gap * (neighbour - x)`` with ``gap = -out_step * u``,
      ``u`` uniform on [0, 1), so the class expands into free space.

    In ``provenance_``, a safe row therefore has a **negative gap** (in
    ``(-out_step, 0]``): the row lies on the line through ``parent`` and
    ``neighbor``, on the far side of ``parent``; the row is still
    ``X[parent] + gap * (X[neighbor] - X[parent])``.

    **Exact counts.** As in imbalanced-learn, a share ``b`` of the rows of a
    class, drawn once per class from a Beta(10, 10) law, grows from the
    support vectors in danger (the first ``int(b * (n + 1))`` rows) and the
    rest from the safe ones. When one of the two groups is empty, every row
    grows from the other, so the class always gets exactly the requested
    number of samples (imbalanced-learn then generates only the safe share:
    201 to 288 samples of 500 on well-separated blobs, its issue #1130).

    **Large data.** Fitting a kernel SVM costs between quadratic and cubic
    time in the number of rows (imbalanced-learn takes about half a minute
    at 100,000 rows and 10 features, and refits it for every class). The
    SVM is fitted once per call, for all the classes. Above
    ``SVM_FIT_ROWS`` (8,000) rows it is fitted on a stratified random sample
    of about that size (each class's share rounded up, and at least 200 rows
    or all of a smaller class: 8,001 rows of 10,000 in two classes); the
    support vectors of a class are then its samples, among **all** its
    samples, that lie inside the margin of that machine
    (functional margin at most 1: the condition that makes a sample a
    support vector of a soft-margin SVM). On 50,000
    overlapping Gaussian rows (10% minority) this finds over 99% of the
    support vectors in danger of the SVM fitted on every row, and 97% of
    those it finds are such support vectors. Safe support vectors are found
    with the same recall, but the sample's machine has a wider margin, so
    about one seed in eight is a safe sample near the margin that the full
    machine does not use. The whole call is more than ten times faster than
    imbalanced-learn at 100,000 rows. An ``svm_estimator`` without
    ``decision_function``, or a multi-class one without a
    ``decision_function_shape`` parameter (smotekit sets it to ``'ovo'``
    for a moment, to read the pairwise margins), is fitted on all the
    rows. Pass your own
    machine (for instance ``SVC(kernel='linear')``) to change this
    trade-off.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Target class sizes, as for :class:`~smotekit.SMOTE` (a float ratio,
        a class-selection string, a dict of final counts or a callable).
    random_state : int, RandomState instance or None, default=None
        Seed. The same int gives byte-identical output, whatever ``n_jobs``.
        An ``svm_estimator`` whose own ``random_state`` is None is given a
        seed derived from it.
    k_neighbors : int or estimator with ``kneighbors``, default=5
        Number of nearest neighbours of the same class to move towards (or
        away from), or a neighbours estimator (cloned; its ``n_neighbors``
        counts the sample itself, as in imbalanced-learn).
    m_neighbors : int or estimator with ``kneighbors``, default=10
        Number of nearest neighbours (among all samples) used to tell noise,
        danger and safe support vectors apart, or a neighbours estimator
        (same convention as ``k_neighbors``).
    svm_estimator : estimator with ``fit``, ``predict`` and ``support_``, default=None
        The support vector machine (cloned). ``None`` uses
        ``sklearn.svm.SVC(gamma='scale')``.
    out_step : float in [0, 1], default=0.5
        Largest step of an extrapolation, as a share of the distance to the
        neighbour.
    n_jobs : int, default=None
        Threads for the neighbour searches (``-1`` for all cores). Does not
        change the result.

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        Number of samples generated per class.
    svm_estimator_ : estimator
        The fitted support vector machine.
    nn_k_ : estimator
        The ``k_neighbors`` estimator, fitted on the last over-sampled class.
    nn_m_ : estimator
        The ``m_neighbors`` estimator, fitted on all samples.
    support_indices_ : dict
        For each over-sampled class, the input row indices of its support
        vectors, noise removed (the seeds).
    in_danger_indices_ : dict
        For each over-sampled class, the input row indices of the seeds in
        danger (the others are safe).
    provenance_ : Provenance
        For synthetic row ``j`` (output row ``n_samples + j``): the seed
        ``parent[j]``, its neighbour ``neighbor[j]`` and the ``gap[j]``
        (negative for an extrapolation).
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X is a DataFrame with string column names.

    Raises
    ------
    RuntimeError
        When the fitted ``svm_estimator`` has no ``support_`` attribute.
    ValueError
        When a class to over-sample has no support vector, or only noisy ones.

    See Also
    --------
    BorderlineSMOTE : seeds from the samples near the class border.
    SMOTE : seeds from every sample of the class.

    References
    ----------
    .. [1] H. M. Nguyen, E. W. Cooper, K. Kamei, "Borderline over-sampling for
       imbalanced data classification", International Journal of Knowledge
       Engineering and Soft Data Paradigms, 3(1), pp. 4-21, 2011.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from smotekit import SVMSMOTE
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> sampler = SVMSMOTE(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> Counter(y_res.tolist())
    Counter({0: 898, 1: 898})

    Rows grown from safe support vectors move away from their neighbour
    (negative gap); the others interpolate:

    >>> p = sampler.provenance_
    >>> bool((p.gap > -sampler.out_step).all() and (p.gap < 1).all())
    True
    >>> rebuilt = X[p.parent] + p.gap[:, None] * (X[p.neighbor] - X[p.parent])
    >>> bool((rebuilt == X_res[1000:]).all())
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
        "svm_estimator": [HasMethods(["fit", "predict"]), None],
        "out_step": [Interval(Real, 0, 1, closed="both")],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        k_neighbors=5,
        m_neighbors=10,
        svm_estimator=None,
        out_step=0.5,
        n_jobs=None,
    ):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.m_neighbors = m_neighbors
        self.svm_estimator = svm_estimator
        self.out_step = out_step
        self.n_jobs = n_jobs

    def _fit_resample(self, X, y, entropy):
        name = type(self).__name__
        targets = list(self._class_targets(y))
        self.nn_k_ = check_neighbors_object(
            "k_neighbors",
            self.k_neighbors,
            self.n_jobs,
            sampler_name=type(self).__name__,
        )
        self.nn_m_ = check_neighbors_object(
            "m_neighbors",
            self.m_neighbors,
            self.n_jobs,
            sampler_name=type(self).__name__,
        )
        self.svm_estimator_ = self._make_svm(entropy)
        self.support_indices_ = {}
        self.in_danger_indices_ = {}
        if not targets:
            return self._provenance_out(X).build()
        support = self._support_vectors(X, y, entropy, targets)
        fit_on_all_samples(self.nn_m_, X, name, "m_neighbors")
        gap_dtype = self._gap_dtype(X)
        out = self._provenance_out(X)
        for cls, position, rows, n_new in targets:
            seeds, danger = self._seeds(X, y, cls, rows[support[cls]])
            self.support_indices_[cls] = seeds
            self.in_danger_indices_[cls] = seeds[danger]
            nn = check_neighbors_object(
                "k_neighbors",
                self.k_neighbors,
                self.n_jobs,
                sampler_name=type(self).__name__,
            )
            class_table = class_neighbor_table(nn, X[rows], name, "k_neighbors", cls)
            self.nn_k_ = nn
            table = rows[class_table[np.searchsorted(rows, seeds)]]
            n_danger = self._n_danger_rows(entropy, position, n_new, danger)
            key = stream_key(entropy, PAIRS, position)
            groups = [
                (0, n_danger, danger, 1.0),
                (n_danger, n_new, ~danger, -float(self.out_step)),
            ]
            for first, last, mask, scale in groups:
                draw_into(
                    out, draw_svm_rows, key, first, last, seeds[mask], table[mask],
                    scale, gap_dtype,
                )  # fmt: skip
        return out.build()

    # ------------------------------------------------------------------ SVM

    def _make_svm(self, entropy):
        if self.svm_estimator is None:
            svm = SVC(gamma="scale")
        else:
            svm = clone(self.svm_estimator)
        params = svm.get_params()
        if "random_state" in params and params["random_state"] is None:
            words = uniform_words(stream_key(entropy, ESTIMATOR_SEED, 0), 0, 1)
            svm.set_params(random_state=int(words[0, 0] % np.uint64(2**31)))
        return svm

    def _fits_on_sample(self, n_samples, n_classes):
        svm = self.svm_estimator_
        if n_samples <= SVM_FIT_ROWS or not hasattr(svm, "decision_function"):
            return False
        return n_classes == 2 or "decision_function_shape" in svm.get_params()

    def _fit_svm(self, X, y):
        try:
            self.svm_estimator_.fit(X, y)
        except InvalidParameterError:
            raise  # the estimator's own parameters: its message says it all
        except ValueError as exc:  # e.g. values too large for the solver
            raise ValueError(
                f"SVMSMOTE could not fit its SVM (svm_estimator "
                f"{type(self.svm_estimator_).__name__}): {str(exc).rstrip('.')}. "
                + _svm_fit_hint(str(exc), y, getattr(self.svm_estimator_, "nu", None))
            ) from exc

    def _support_vectors(self, X, y, entropy, targets):
        """Fit the SVM; return, per target class, a mask of its support vectors."""
        svm = self.svm_estimator_
        # a copy in canonical form: scikit-learn's SVMs would sort the caller's
        # columns in place, and libsvm's sparse products mishandle repeated
        # entries; with 32-bit indices, the only ones its sparse SVMs take
        X = with_int32_indices(canonical_values(X))
        classes = np.unique(y)
        if not self._fits_on_sample(X.shape[0], len(classes)):
            self._fit_svm(X, y)
            support = self._check_support(svm, X.shape[0])
            is_support = np.zeros(X.shape[0], dtype=bool)
            is_support[support] = True
            return {cls: is_support[rows] for cls, _, rows, _ in targets}
        fit_rows = stratified_sample(y, classes, SVM_FIT_ROWS, entropy)
        self._fit_svm(X[fit_rows], y[fit_rows])
        support = fit_rows[self._check_support(svm, len(fit_rows))]
        masks = {}
        for cls, _, rows, _ in targets:
            mask = support_vector_mask(self._decision(X[rows]), svm.classes_, cls)
            mask[np.isin(rows, support, assume_unique=True)] = True
            masks[cls] = mask
        return masks

    def _decision(self, X):
        svm = self.svm_estimator_
        if "decision_function_shape" not in svm.get_params():
            return svm.decision_function(X)
        shape = svm.get_params()["decision_function_shape"]
        svm.set_params(decision_function_shape="ovo")
        try:
            return svm.decision_function(X)
        finally:
            svm.set_params(decision_function_shape=shape)

    def _check_support(self, svm, n_fit):
        """The fitted SVM's support vectors: row indices of its ``n_fit`` rows."""
        if not hasattr(svm, "support_"):
            raise RuntimeError(
                f"The 'svm_estimator' of {type(self).__name__} must expose the "
                "indices of its support vectors in a fitted 'support_' "
                "attribute, as scikit-learn's SVC and NuSVC do; "
                f"{type(svm).__name__} has none. Pass a support vector machine, "
                "or use another SMOTE variant (SMOTE, BorderlineSMOTE)."
            )
        support = np.asarray(svm.support_)
        if support.dtype.kind == "f" and np.isfinite(support).all():
            if (support == np.round(support)).all():
                support = support.astype(np.int64)
        if (
            support.ndim != 1
            or support.dtype.kind not in "iu"
            or (support.size and (support.min() < 0 or support.max() >= n_fit))
        ):
            raise ValueError(
                f"The 'svm_estimator' of {type(self).__name__} "
                f"({type(svm).__name__}) has a 'support_' that is not a list of "
                f"row indices of the {n_fit} samples it was fitted on (shape "
                f"{support.shape}, dtype {support.dtype}"
                + (
                    f", values {support.min()} to {support.max()}"
                    if support.size and support.dtype.kind in "iuf"
                    else ""
                )
                + "); it must hold the integer positions of its support vectors, "
                "as scikit-learn's SVC does."
            )
        return support.astype(np.int64)

    # ---------------------------------------------------------------- seeds

    def _seeds(self, X, y, cls, support_rows):
        """Drop the noisy support vectors; return the seeds and their danger mask."""
        name = type(self).__name__
        if support_rows.size == 0:
            raise ValueError(
                f"{name} found no support vector of class {cls!r}: the fitted "
                "svm_estimator separates it from the other classes without "
                "using any of its samples, so SVM-SMOTE has no seed for it. "
                "Try another SMOTE variant (SMOTE, BorderlineSMOTE) for this "
                "class, or an svm_estimator with a softer margin (smaller C)."
            )
        table = neighbors_of_rows(
            self.nn_m_, X, support_rows, type(self).__name__, "m_neighbors"
        )
        m = table.shape[1]
        danger, noise = danger_noise_masks((y[table] != cls).sum(axis=1), m)
        if noise.all():
            raise ValueError(
                f"All support vectors are considered as noise: each of the "
                f"{support_rows.size} support vectors of class {cls!r} has only "
                f"samples of other classes among its {m} nearest neighbours "
                "(m_neighbors), so SVM-SMOTE is not adapted to this class. Try "
                "another SMOTE variant (SMOTE, BorderlineSMOTE), or a larger "
                "m_neighbors."
            )
        return support_rows[~noise], danger[~noise]

    def _n_danger_rows(self, entropy, position, n_new, danger):
        """How many of the class's rows grow from the seeds in danger."""
        if not danger.any():
            return 0
        if danger.all():
            return n_new
        words = uniform_words(stream_key(entropy, SPLIT, position), 0, 1)
        share = betaincinv(*DANGER_SHARE_BETA, to_unit_float(words[0, :1])[0])
        return min(int(share * (n_new + 1)), n_new)


def stratified_sample(y, classes, n_rows, entropy):
    """Rows of a random stratified sample of about ``n_rows`` rows, sorted.

    Each class keeps ``ceil(n_rows * n_class / n)`` rows, and at least
    ``min(n_class, MIN_FIT_ROWS_PER_CLASS)``: those whose random key (one
    word of the class's stream per row) is smallest.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit._random import make_root_entropy
    >>> y = np.array([0] * 9_000 + [1] * 50)
    >>> rows = stratified_sample(y, np.array([0, 1]), 1_000, make_root_entropy(0))
    >>> int((y[rows] == 0).sum()), int((y[rows] == 1).sum())
    (995, 50)
    """
    n = len(y)
    kept = []
    for position, cls in enumerate(classes):
        rows = np.flatnonzero(y == cls)
        n_keep = max(-(-n_rows * rows.size // n), MIN_FIT_ROWS_PER_CLASS)
        if n_keep >= rows.size:
            kept.append(rows)
            continue
        key = stream_key(entropy, FIT_SAMPLE, position)
        keys = uniform_words(key, 0, rows.size, words_per_row=1)
        order = np.argsort(keys[:, 0], kind="stable")
        kept.append(rows[order[:n_keep]])
    return np.sort(np.concatenate(kept))
