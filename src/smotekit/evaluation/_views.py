"""Where synthetic points land: a 2-D map and the overlap share.

The samplers are fitted once on the whole data set (for this picture only,
never for a score). Real and synthetic points are standardised with the real
points' mean and spread and projected on the real points' first two principal
components. A synthetic point *overlaps* when most of its nearest real
neighbours (in the standardised space, all features) belong to other classes:
it sits where the model will see the other class, so it teaches the model to
claim the other class's ground.
"""

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.decomposition import PCA
from sklearn.neighbors import NearestNeighbors

from ._pipeline import fresh_copy

__all__ = ["OVERLAP_WARNING", "SyntheticMap", "SyntheticView", "synthetic_map"]

#: Overlap share above which the report warns.
OVERLAP_WARNING = 0.25

#: Real neighbours looked at for each point.
N_NEIGHBORS = 5

#: Most points drawn per group in a plot (a seeded subsample beyond that).
MAX_DRAWN = 20_000


@dataclass
class SyntheticView:
    """The synthetic points of one sampler.

    Attributes
    ----------
    name, label : str
        Strategy name and display name.
    coords : ndarray of shape (n_synthetic, 2)
        Synthetic points on the map.
    classes : ndarray of shape (n_synthetic,)
        Class of each synthetic point.
    overlap : ndarray of bool, shape (n_synthetic,)
        True where most of the point's real neighbours are of other classes.
    overlap_share : float
        Mean of ``overlap`` (NaN when there is no synthetic point).
    real_overlap_share : float
        The same share for the real points of the over-sampled classes
        (their own row excluded), for comparison.
    """

    name: str
    label: str
    coords: np.ndarray
    classes: np.ndarray
    overlap: np.ndarray
    overlap_share: float
    real_overlap_share: float

    @property
    def n_synthetic(self):
        """Number of synthetic points."""
        return len(self.coords)


@dataclass
class SyntheticMap:
    """Real points on the 2-D map and one :class:`SyntheticView` per sampler.

    Attributes
    ----------
    coords : ndarray of shape (n_samples, 2)
        Real points on the map.
    labels : ndarray of shape (n_samples,)
        Their classes.
    explained_variance : list of float
        Share of the standardised variance on each of the two axes.
    views : list of SyntheticView
        One per over-sampler.
    notes : list of str
        Samplers left out of the map and why.
    """

    coords: np.ndarray
    labels: np.ndarray
    explained_variance: list
    views: list = field(default_factory=list)
    notes: list = field(default_factory=list)


def _mostly_other(neighbor_labels, own):
    other = neighbor_labels != own[:, None]
    return other.sum(axis=1) * 2 > neighbor_labels.shape[1]


def synthetic_map(X, y, samplers, *, n_neighbors=N_NEIGHBORS):
    """Fit each over-sampler on ``(X, y)`` and map its synthetic points.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Numeric features (dense).
    y : ndarray of shape (n_samples,)
        Labels.
    samplers : list of (str, str, sampler)
        Name, display name and an unfitted sampler. The synthetic rows of a
        cleaning combination are those the cleaning kept (its
        ``sample_indices_`` marks them -1); samplers that do not record the
        rows they made (no ``provenance_``: under-samplers, other libraries'
        samplers) or give a sparse output are left out with a note.
    n_neighbors : int, default=5
        Real neighbours looked at for the overlap share.

    Returns
    -------
    smap : SyntheticMap
        The map.
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    n = len(y)
    center = X.mean(axis=0)
    spread = X.std(axis=0)
    spread[spread == 0] = 1.0
    Z = (X - center) / spread
    if Z.shape[1] >= 2:
        pca = PCA(n_components=2, svd_solver="full").fit(Z)
        project = pca.transform
        explained = [float(v) for v in pca.explained_variance_ratio_]
    else:

        def project(values):
            return np.column_stack([values[:, 0], np.zeros(len(values))])

        explained = [1.0, 0.0]
    k = min(n_neighbors, n - 1)
    index = NearestNeighbors(n_neighbors=k + 1).fit(Z)
    _, self_neighbors = index.kneighbors(Z)
    real_other = _mostly_other(y[self_neighbors[:, 1:]], y)
    smap = SyntheticMap(coords=project(Z), labels=y, explained_variance=explained)
    for name, label, sampler in samplers:
        fitted = fresh_copy(sampler)
        try:
            X_res, y_res = fitted.fit_resample(X, y)
        except Exception as exc:
            smap.notes.append(f"{label}: no map ({type(exc).__name__}: {exc}).")
            continue
        made = None if sparse.issparse(X_res) else _synthetic_rows(fitted, n, y_res)
        if made is None:
            smap.notes.append(
                f"{label}: no map (no record of synthetic rows: it has no "
                "provenance_, or gives a sparse output)."
            )
            continue
        synth = (np.asarray(X_res[made], dtype=np.float64) - center) / spread
        synth_y = np.asarray(y_res)[made]
        if len(synth):
            _, neighbors = index.kneighbors(synth, n_neighbors=k)
            overlap = _mostly_other(y[neighbors], synth_y)
            share = float(overlap.mean())
            grown = np.isin(y, np.unique(synth_y))
            real_share = float(real_other[grown].mean())
        else:
            overlap = np.zeros(0, dtype=bool)
            share = real_share = float("nan")
        smap.views.append(
            SyntheticView(
                name=name,
                label=label,
                coords=project(synth) if len(synth) else np.zeros((0, 2)),
                classes=synth_y,
                overlap=overlap,
                overlap_share=share,
                real_overlap_share=real_share,
            )
        )
    return smap


def _synthetic_rows(fitted, n, y_res):
    """Positions of the synthetic rows in the output of ``fitted`` on ``n``
    rows (``y_res``: its labels), or None when it does not tell them.

    An over-sampler keeps the ``n`` original rows first (its
    ``sample_indices_``, if any, gives each row's source row); a cleaning
    combination marks the synthetic rows it kept with -1 in
    ``sample_indices_``.
    """
    if not hasattr(fitted, "provenance_"):
        return None
    kept = getattr(fitted, "sample_indices_", None)
    if kept is not None and len(kept) == len(y_res):
        kept = np.asarray(kept)
        if (kept < 0).any() or len(y_res) < n:  # a cleaning combination's
            return np.flatnonzero(kept < 0)
    if len(y_res) < n:
        return None
    return np.arange(n, len(y_res))
