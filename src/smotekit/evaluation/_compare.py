"""Compare ways of handling imbalance under repeated stratified CV.

:func:`compare_strategies` fits one model per strategy (no resampling, class
weights, each sampler inside :class:`ResampledClassifier`, and optionally
each of them with a decision threshold tuned on the training folds) on the
same folds, scores every held-out fold with minority-aware figures and
returns a :class:`ComparisonResult`.
"""

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from scipy import sparse
from sklearn.base import clone
from sklearn.metrics import (
    average_precision_score,
    f1_score,
    get_scorer_names,
    make_scorer,
    precision_recall_curve,
    precision_score,
    recall_score,
)
from sklearn.model_selection import (
    RepeatedStratifiedKFold,
    StratifiedKFold,
    TunedThresholdClassifierCV,
)
from sklearn.utils import _safe_indexing, check_random_state
from sklearn.utils.multiclass import type_of_target

from .. import _data, _polars
from .._byte_order import native_pandas
from .._strategy import python_scalar
from .._warn import warn_at_caller
from ..exceptions import StrategyFailedWarning
from ._fold_warnings import fold_warnings, folds_running
from ._metrics import CLASS_METRICS, METRICS, fold_scores, score_matrix
from ._pipeline import check_classifier, fresh_copy
from ._strategies import (
    STRATEGIES,
    Strategy,
    build_estimator,
    default_model,
    resolve_strategies,
)
from ._views import synthetic_map

__all__ = [
    "ComparisonResult",
    "FoldsTooManyError",
    "UnknownTunedStrategyError",
    "compare_strategies",
]

_THRESHOLD_SUFFIX = "+threshold"
_MAX_CURVE_POINTS = 400


@dataclass
class ComparisonResult:
    """What :func:`compare_strategies` measured.

    Attributes
    ----------
    table : DataFrame
        One row per strategy (index: strategy name), columns
        ``(metric, 'mean' | 'std')`` over all folds of all repeats. For two
        classes, recall, precision, F1, PR AUC and ROC AUC are those of the
        minority class; for more, their macro average over classes
        (``averaging`` says which).
    per_class : DataFrame
        Index ``(strategy, class)``, columns ``(metric, 'mean' | 'std')``:
        recall, precision, F1, PR AUC and ROC AUC of each class against the
        others.
    fold_scores : DataFrame
        One row per strategy, repeat and fold, one column per metric (as in
        ``table``), plus ``train_rows``, the training rows after resampling.
    labels : dict
        Strategy name → display name.
    classes : ndarray
        The class labels, sorted.
    class_counts : dict
        Class → number of rows.
    minority_class : object
        The least frequent class (the positive class of the figures); of
        classes tied for fewest rows, the first in sorted order.
    averaging : {'minority', 'macro'}
        How the class figures of ``table`` are summarised.
    oof_scores : dict
        Strategy name → out-of-fold scores of the minority class, shape
        ``(n_repeats, n_samples)`` (each row predicted by the model that did
        not see it).
    y : ndarray
        The labels, for the curves.
    pr_curves : dict
        Strategy name → ``{'precision', 'recall', 'average_precision'}`` of
        the minority class, from the out-of-fold scores of every repeat
        pooled: ``average_precision`` is that of the whole pooled curve (the
        table's ``pr_auc`` is the mean over folds); ``precision`` and
        ``recall`` are at most 400 of its points, evenly spread, for
        drawing.
    synthetic : SyntheticMap or None
        Where each over-sampler's synthetic points land.
    settings : dict
        Model, folds, repeats, seed and threshold settings.
    notes : list of str
        Strategies left out or failed, warnings raised during the fits.
    """

    table: pd.DataFrame
    per_class: pd.DataFrame
    fold_scores: pd.DataFrame
    labels: dict
    classes: np.ndarray
    class_counts: dict
    minority_class: object
    averaging: str
    oof_scores: dict
    y: np.ndarray
    pr_curves: dict
    synthetic: object
    settings: dict
    notes: list = field(default_factory=list)

    def format_table(self, metrics=None, digits=3):
        """The summary as text: ``mean ± std`` per strategy and metric.

        Parameters
        ----------
        metrics : list of str, default=None
            Columns to show; default: all of ``table``.
        digits : int, default=3
            Decimals.

        Returns
        -------
        text : str
            A fixed-width table, one line per strategy.
        """
        from ._metrics import METRIC_LABELS

        metrics = list(metrics or dict.fromkeys(self.table.columns.get_level_values(0)))
        for metric in metrics:
            self._check_metric(metric)
        header = ["strategy", *(METRIC_LABELS.get(m, m) for m in metrics)]
        rows = [header]
        for name in self.table.index:
            cells = [self.labels.get(name, name)]
            for metric in metrics:
                mean = self.table.loc[name, (metric, "mean")]
                std = self.table.loc[name, (metric, "std")]
                cells.append(_pm(mean, std, digits))
            rows.append(cells)
        widths = [max(len(r[j]) for r in rows) for j in range(len(header))]
        return "\n".join(
            "  ".join(
                cell.ljust(w) if j == 0 else cell.rjust(w)
                for j, (cell, w) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
            for row in rows
        )

    def best(self, metric="pr_auc"):
        """Name of the strategy with the highest mean ``metric``.

        Parameters
        ----------
        metric : str, default='pr_auc'
            A metric of ``table``.

        Returns
        -------
        name : str or None
            The best strategy (the first one on ties); None when no strategy
            has a mean of ``metric`` (every fold left it undefined, as PR AUC
            on the one-row test folds of leave-one-out).
        """
        self._check_metric(metric)
        means = self.table[(metric, "mean")]
        return None if means.isna().all() else str(means.idxmax())

    def _check_metric(self, metric):
        known = list(dict.fromkeys(self.table.columns.get_level_values(0)))
        if metric not in known:
            raise ValueError(
                f"Unknown metric {metric!r}: the table has "
                f"{', '.join(map(repr, known))}."
            )

    def to_dict(self):
        """Every number of the comparison as plain JSON-ready Python values.

        Returns
        -------
        data : dict
            Data summary, settings, the table, per-class figures, the PR
            curves, the synthetic-point overlap shares and the notes.
        """
        from ._report import comparison_to_dict

        return comparison_to_dict(self)


def _pm(mean, std, digits):
    if not np.isfinite(mean):
        return "n/a"
    return f"{mean:.{digits}f} ± {std:.{digits}f}"


# ----------------------------------------------------------------- checking


def _check_data(X, y, n_splits, option="cv"):
    """``(X for the models, X as a float matrix, labels, classes, counts)``.

    X is read as the samplers read it (numbers only, finite; polars through
    its pandas copy; any sparse format as CSR), so the errors are theirs.
    """
    name = "compare_strategies"
    X, y = _polars.to_pandas(X, "X", name), _polars.to_pandas(y, "y", name)
    # pandas cannot take a fold's rows of columns in the other byte order
    X, y = native_pandas(X), native_pandas(y)
    arr, spec = _data.check_X(
        X,
        name,
        non_numeric_hint=(
            "The compared samplers interpolate numbers: one-hot encode these "
            "columns (or drop them) before comparing."
        ),
    )
    if spec.kind in ("pandas", "pandas_sparse") and not X.columns.is_unique:
        repeated = X.columns[X.columns.duplicated()].unique().tolist()
        raise ValueError(
            f"X has repeated column names ({', '.join(map(repr, repeated[:5]))}); "
            "the models and their folds select columns by name. Rename them."
        )
    if spec.kind in ("pandas", "pandas_sparse"):
        text = [isinstance(c, str) for c in X.columns]
        if any(text) and not all(text):
            kinds = sorted({type(c).__name__ for c in X.columns})
            raise TypeError(
                f"X's column names mix types ({', '.join(kinds)}); scikit-learn "
                "models take names that are all strings (or none that is). "
                "Convert them, for example with X.columns = X.columns.astype(str)."
            )
    X_checked = X if spec.kind in ("pandas", "pandas_sparse") else arr
    dense = np.asarray(arr.toarray() if sparse.issparse(arr) else arr, dtype=np.float64)
    y_arr = np.asarray(y)
    if y_arr.ndim != 1:
        y_arr = np.ravel(y_arr) if y_arr.ndim == 2 and y_arr.shape[1] == 1 else None
        if y_arr is None:
            raise ValueError("y must be 1-D (one label per row).")
    if len(y_arr) != dense.shape[0]:
        raise ValueError(
            f"X has {dense.shape[0]} rows but y has {len(y_arr)} labels; they "
            "must match."
        )
    if pd.isna(pd.Series(y_arr)).any():
        raise ValueError(
            "y contains missing labels; drop those rows or give them a class."
        )
    if y_arr.dtype.kind in "fO" and _continuous(y_arr):
        raise ValueError(
            "compare_strategies compares classifiers; y looks like a regression "
            "target (non-integer numbers). Pass class labels (ints, strings or "
            "bools)."
        )
    _data.check_y(y_arr, name)  # labels of mixed types, numbers held as objects
    classes, counts = np.unique(y_arr, return_counts=True)
    if len(classes) < 2:
        raise ValueError(
            f"y needs at least 2 classes to compare strategies. Got only {classes}."
        )
    too_few = [
        (c, n)
        for c, n in zip(classes, counts, strict=True)
        if n_splits is not None and n < n_splits
    ]
    if too_few:
        cls, count = min(too_few, key=lambda item: item[1])
        raise FoldsTooManyError(_show(cls), int(count), n_splits, option=option)
    return X_checked, dense, y_arr, classes, counts


def _check_splits(cv, dense, y, classes):
    """The splits of a user's splitter ``cv``: each must train on every class
    (a test set without the minority class scores it as undefined, NaN)."""
    try:
        splits = list(cv.split(dense, y))
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"cv={cv!r} could not split the data: {exc} Pass a splitter that "
            "splits by X and y alone, or an int (stratified folds)."
        ) from exc
    if not splits:
        raise ValueError(f"cv={cv!r} gave no split; pass a splitter that gives some.")
    for train, _ in splits:
        missing = np.setdiff1d(classes, np.unique(y[train]))
        if len(missing):
            raise ValueError(
                f"cv={cv!r} gives a training set without class "
                f"{_show(missing[0])}, so the models could not learn it. Pass a "
                "stratified splitter (such as StratifiedKFold) or an int."
            )
    return splits


def _continuous(labels):
    """Whether ``labels`` read as a regression target (non-integer numbers)."""
    try:
        return type_of_target(labels) == "continuous"
    except (TypeError, ValueError):  # labels that are not comparable
        return False


def _show(value):
    return repr(python_scalar(value))


def _repeats_and_folds(splits, n_samples):
    """``(repeat, fold)`` of each split: a split opens a new repeat when its
    test rows meet those of every repeat so far (a repeated splitter given
    as ``cv``, or one whose test sets overlap), so that no repeat holds a
    row twice.

    Examples
    --------
    >>> import numpy as np
    >>> tests = [[0, 1], [2, 3], [1, 2], [0, 3]]
    >>> _repeats_and_folds([(None, np.array(t)) for t in tests], 4)
    [(0, 0), (0, 1), (1, 0), (1, 1)]
    """
    covered, places = [], []
    for _, test in splits:
        repeat = next(
            (r for r, rows in enumerate(covered) if not rows[test].any()),
            len(covered),
        )
        if repeat == len(covered):
            covered.append(np.zeros(n_samples, dtype=bool))
        covered[repeat][test] = True
        places.append((repeat, sum(r == repeat for r, _ in places)))
    return places


def _stratified_folds(cv):
    """Folds per repeat of a stratified k-fold splitter (every class must
    have as many rows), None for any other splitter."""
    if isinstance(cv, StratifiedKFold):
        return int(cv.n_splits)
    if isinstance(cv, RepeatedStratifiedKFold):
        return int(cv.cvargs["n_splits"])
    return None


def _check_cv(cv, n_repeats, seed):
    """``(splitter, folds)``: folds per repeat that every class needs rows
    for, None for a splitter that is not a stratified k-fold (its splits are
    checked once drawn, by :func:`_check_splits`)."""
    if isinstance(cv, bool) or not isinstance(cv, int | np.integer):
        if hasattr(cv, "split"):
            return cv, _stratified_folds(cv)
        raise TypeError(
            f"cv must be an int (number of folds) or a splitter. Got {cv!r}."
        )
    if cv < 2:
        raise ValueError(f"cv must be at least 2 folds. Got {cv}.")
    if isinstance(n_repeats, bool) or not isinstance(n_repeats, int | np.integer):
        raise TypeError(f"n_repeats must be an int. Got {n_repeats!r}.")
    if n_repeats < 1:
        raise ValueError(f"n_repeats must be at least 1. Got {n_repeats}.")
    splitter = RepeatedStratifiedKFold(
        n_splits=int(cv), n_repeats=int(n_repeats), random_state=seed
    )
    return splitter, int(cv)


def _check_options(tune_threshold, scoring, threshold_cv, n_jobs, **flags):
    """Refuse values of these parameters that could only fail later, deep in
    scikit-learn or joblib, with messages that do not name them."""
    names = tune_threshold
    if isinstance(names, str):
        names = [names]
    if not isinstance(tune_threshold, bool | np.bool_) and not (
        isinstance(names, list | tuple) and all(isinstance(n, str) for n in names)
    ):
        raise TypeError(
            "tune_threshold must be True, False, a strategy name or a list of "
            f"strategy names. Got {tune_threshold!r}."
        )
    if isinstance(scoring, str):
        if scoring not in _POSITIVE_SCORERS and scoring not in get_scorer_names():
            raise ValueError(
                "threshold_scoring must be 'f1', 'precision' or 'recall' (of the "
                "minority class), another scikit-learn scorer name (see "
                "sklearn.metrics.get_scorer_names()) or a scorer object. Got "
                f"{scoring!r}."
            )
    elif not callable(scoring):
        raise TypeError(
            "threshold_scoring must be a scorer name or a callable scorer. Got "
            f"{scoring!r}."
        )
    if isinstance(threshold_cv, bool) or not isinstance(threshold_cv, int | np.integer):
        raise TypeError(
            f"threshold_cv must be an int (inner folds). Got {threshold_cv!r}."
        )
    if threshold_cv < 2:
        raise ValueError(f"threshold_cv must be at least 2 folds. Got {threshold_cv}.")
    if n_jobs is not None and (
        isinstance(n_jobs, bool) or not isinstance(n_jobs, int | np.integer)
    ):
        raise TypeError(f"n_jobs must be None or an int. Got {n_jobs!r}.")
    if n_jobs == 0:
        raise ValueError(
            "n_jobs must be None, a positive number of processes, or negative "
            "(-1: every core). Got 0."
        )
    for name, value in flags.items():
        if not isinstance(value, bool | np.bool_):
            raise TypeError(f"{name} must be True or False. Got {value!r}.")


# ----------------------------------------------------------------- fitting


_POSITIVE_SCORERS = {
    "f1": f1_score,
    "precision": precision_score,
    "recall": recall_score,
}


def _threshold_wrapper(estimator, scoring, minority, threshold_cv, seed):
    if isinstance(scoring, str) and scoring in _POSITIVE_SCORERS:
        scoring = make_scorer(_POSITIVE_SCORERS[scoring], pos_label=minority)
    return TunedThresholdClassifierCV(
        estimator,
        scoring=scoring,
        cv=StratifiedKFold(threshold_cv, shuffle=True, random_state=seed),
        random_state=seed,
    )


def _train_rows(fitted, default):
    inner = getattr(fitted, "estimator_", None)
    for candidate in (fitted, inner):
        rows = getattr(candidate, "n_samples_resampled_", None)
        if rows is not None:
            return rows
    return default


def _run_fold(name, estimator, X, y, train, test, classes):
    with fold_warnings() as caught:
        try:
            start = time.perf_counter()
            fitted = fresh_copy(estimator).fit(
                _safe_indexing(X, train), _safe_indexing(y, train)
            )
            fit_time = time.perf_counter() - start
            X_test = _safe_indexing(X, test)
            start = time.perf_counter()
            y_pred = np.asarray(fitted.predict(X_test))
            order = np.searchsorted(classes, np.asarray(fitted.classes_))
            raw = score_matrix(fitted, X_test, fitted.classes_)
            scores = np.full((len(test), len(classes)), -np.inf)
            scores[:, order] = raw
            score_time = time.perf_counter() - start
        except Exception as exc:
            return {"name": name, "error": f"{type(exc).__name__}: {exc}"}
    overall, per_class = fold_scores(y[test], y_pred, scores, classes)
    return {
        "name": name,
        "error": None,
        "overall": overall,
        "per_class": per_class,
        "fit_time": fit_time,
        "score_time": score_time,
        "train_rows": _train_rows(fitted, len(train)),
        "test": test,
        "scores": scores,
        "warnings": caught,
    }


def _progress(total, enabled):
    if not enabled:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return None
    return tqdm(total=total, desc="cross-validation", unit="fit", leave=False)


def _plan(chosen, model, seed, tune_threshold, binary, scoring, threshold_cv, minority):
    estimators, labels, notes, view_samplers = {}, {}, [], []
    for name, strategy in chosen:
        label = strategy.label if isinstance(strategy, Strategy) else name
        estimator = build_estimator(strategy, model, seed)
        if estimator is None:
            notes.append(
                f"{label} skipped: the model {type(model).__name__} has no "
                "class_weight parameter."
            )
            continue
        estimators[name] = estimator
        labels[name] = label
        sampler = getattr(estimator, "sampler", None)
        if getattr(sampler, "_sampling_type", None) == "over-sampling":
            view_samplers.append((name, label, sampler))
    if tune_threshold is True:
        tuned_names = list(estimators)
    elif not tune_threshold:
        tuned_names = []
    else:
        names = [tune_threshold] if isinstance(tune_threshold, str) else tune_threshold
        known = {name for name, _ in chosen}
        tuned_names = [_canonical(n, known) for n in names]
        # a name given twice (or in two spellings) tunes its strategy once
        tuned_names = list(dict.fromkeys(n for n in tuned_names if n in estimators))
    if tuned_names and not binary:
        notes.append(
            "Decision-threshold tuning skipped: it applies to two classes only."
        )
    elif tuned_names:
        for name in tuned_names:
            tuned = f"{name}{_THRESHOLD_SUFFIX}"
            if tuned in estimators:
                raise ValueError(
                    f"compare_strategies got a strategy named {tuned!r} and "
                    f"tune_threshold asks to tune {name!r}, whose tuned copy "
                    f"takes that name. Rename the strategy {tuned!r}."
                )
            estimators[tuned] = _threshold_wrapper(
                estimators[name], scoring, minority, threshold_cv, seed
            )
            labels[tuned] = f"{labels[name]} + tuned threshold"
    return estimators, labels, notes, view_samplers


def _canonical(name, known):
    if name in known:
        return name
    try:
        canonical = resolve_strategies([name])[0][0][0]
    except ValueError:
        canonical = None
    if canonical in known:
        return canonical
    raise UnknownTunedStrategyError(name, sorted(known))


class FoldsTooManyError(ValueError):
    """A class has fewer rows than the cross-validation folds (``count`` rows
    of the class shown as ``label``, ``n_splits`` folds); ``option`` names
    the folds in the message."""

    def __init__(self, label, count, n_splits, option="cv"):
        self.label, self.count, self.n_splits = label, count, n_splits
        self.option = option
        head = (
            f"Class {label} has {count} row{'s' if count != 1 else ''}, fewer "
            f"than the {n_splits} cross-validation folds: every fold needs at "
            "least one row of each class."
        )
        fix = (
            f"Lower {option} to {count} or less, or gather more rows of that class."
            if count >= 2
            else "Drop that class or gather more rows of it."
        )
        super().__init__(f"{head} {fix}")

    def __reduce__(self):
        return type(self), (self.label, self.count, self.n_splits, self.option)


class UnknownTunedStrategyError(ValueError):
    """``tune_threshold`` names a strategy (``name``) that is not compared
    (``known``, the compared ones); ``option`` names the parameter in the
    message."""

    def __init__(self, name, known, option="tune_threshold"):
        self.name, self.known, self.option = name, list(known), option
        super().__init__(
            f"{option} names {name!r}, which is not among the compared "
            f"strategies ({', '.join(self.known)})."
        )

    def __reduce__(self):
        return type(self), (self.name, self.known, self.option)


def _summarise(frame, keys):
    grouped = frame.groupby(keys, sort=False)
    mean = grouped.mean(numeric_only=True)
    std = grouped.std(ddof=0, numeric_only=True)
    table = pd.concat({"mean": mean, "std": std}, axis=1)
    table = table.swaplevel(0, 1, axis=1)
    metrics = list(mean.columns)
    return table.reindex(columns=pd.MultiIndex.from_product([metrics, ["mean", "std"]]))


def _curve(y_binary, scores):
    precision, recall, _ = precision_recall_curve(y_binary, scores)
    if len(precision) > _MAX_CURVE_POINTS:
        keep = np.unique(
            np.linspace(0, len(precision) - 1, _MAX_CURVE_POINTS).round().astype(int)
        )
        precision, recall = precision[keep], recall[keep]
    return precision, recall


def compare_strategies(
    X,
    y,
    *,
    model=None,
    strategies=None,
    cv=5,
    n_repeats=2,
    tune_threshold=False,
    threshold_scoring="f1",
    threshold_cv=3,
    random_state=None,
    n_jobs=None,
    synthetic_view=True,
    progress=False,
):
    """Compare ways of handling class imbalance with repeated stratified CV.

    Every strategy is fitted on the same training folds and scored on the
    same held-out folds, which are never resampled: the samplers run inside
    the model (:class:`ResampledClassifier`), so no synthetic row built from a
    test row can reach training.

    Parameters
    ----------
    X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
        Numeric features (one-hot encode categories first), without missing
        values.
    y : array-like of shape (n_samples,)
        Class labels (two or more classes).
    model : classifier, default=None
        The model every strategy uses; default :func:`default_model` (scaled
        logistic regression). It is cloned, never modified.
    strategies : None, str, list of str or dict, default=None
        Names from ``STRATEGIES`` (``'none'``, ``'class_weight'``,
        ``'random_over'``, ``'random_under'``, ``'smote'``, ``'borderline1'``,
        ``'borderline2'``, ``'adasyn'``, ``'svm_smote'``, ``'kmeans_smote'``,
        ``'smote_enn'``, ``'smote_tomek'``), as a list or a comma-separated
        string; or a dict ``{name: sampler}`` of your own samplers (None for
        no resampling). None compares ``DEFAULT_STRATEGIES`` that this
        installation provides. The class-weight strategy sets
        ``class_weight='balanced'`` on the model (or a pipeline's last step)
        and is skipped, with a note, for models without that parameter.
    cv : int or cross-validation splitter, default=5
        Number of stratified folds, or a splitter (then ``n_repeats`` is
        ignored) splitting by X and y alone: shuffle splits, leave-one-out
        and the like are taken, provided that every training set holds every
        class (a fold that tests no row of a class scores it as undefined,
        NaN, left out of the means).
    n_repeats : int, default=2
        How many times the stratified k-fold split is repeated with
        different shuffles.
    tune_threshold : bool or list of str, default=False
        Also run strategies with their decision threshold tuned on the
        training folds (scikit-learn's ``TunedThresholdClassifierCV``): True
        for every strategy, or a list of strategy names (``["none",
        "smote"]``). They appear as ``'<name>+threshold'``. Two classes only
        (a note says so otherwise).
    threshold_scoring : str or callable, default='f1'
        What the tuned threshold maximises: ``'f1'`` (F1 of the minority
        class) or any scikit-learn scorer name or object.
    threshold_cv : int, default=3
        Inner stratified folds used to tune the threshold.
    random_state : int, RandomState instance or None, default=None
        Seeds the folds, every sampler, the model and the threshold tuning.
        An int makes the whole comparison reproducible; folds use
        ``RepeatedStratifiedKFold(random_state=seed)`` and samplers
        ``random_state=seed`` (a sampler of your own gets it when its
        ``random_state`` is None, and keeps its own seed otherwise); so does
        every ``random_state`` parameter of the model (a pipeline's steps
        included) that is None.
    n_jobs : int or None, default=None
        Fits run in parallel (joblib); None runs them one after another.
    synthetic_view : bool, default=True
        Also map where each over-sampler's synthetic points land (see
        :func:`smotekit.evaluation.write_report`). The samplers are fitted
        once more on the whole data for this, never for a score.
    progress : bool, default=False
        Show a progress bar (tqdm) on stderr.

    Returns
    -------
    result : ComparisonResult
        ``result.table`` has the mean and standard deviation of every figure
        per strategy; ``result.format_table()`` lays it out as text.

    Raises
    ------
    ValueError
        For non-numeric or missing features, fewer than two classes, a class
        with fewer rows than folds, an unknown strategy, a strategy named
        like the tuned copy (``'<name>+threshold'``) of a strategy being
        tuned, an unknown ``threshold_scoring`` name, ``threshold_cv`` below 2,
        ``n_jobs=0``, or when every strategy failed.
    TypeError
        If ``model`` is not a classifier (no ``fit`` or ``predict`` method, or
        tags that declare a regressor, a clusterer...), or ``strategies``,
        ``tune_threshold``, ``threshold_scoring``, ``threshold_cv`` or
        ``n_jobs`` is of a type they do not take.

    Warns
    -----
    StrategyFailedWarning
        When a strategy fails on some fold; it is left out of the results and
        the reason is added to ``notes``.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from smotekit.evaluation import compare_strategies
    >>> X, y = make_classification(n_samples=400, weights=[0.9], random_state=0)
    >>> result = compare_strategies(
    ...     X, y, strategies=["none", "smote"], cv=3, n_repeats=1, random_state=0
    ... )
    >>> list(result.table.index)
    ['none', 'smote']
    >>> recall = result.table[("recall", "mean")]  # of the minority class
    >>> bool(recall["smote"] > recall["none"])
    True
    """
    splitter_seed = _seed(random_state)
    splitter, n_splits = _check_cv(cv, n_repeats, splitter_seed)
    _check_options(
        tune_threshold,
        threshold_scoring,
        threshold_cv,
        n_jobs,
        synthetic_view=synthetic_view,
        progress=progress,
    )
    X, dense, y, classes, counts = _check_data(
        X, y, n_splits, option="cv" if _is_int(cv) else "the splitter's n_splits"
    )
    class_counts = {_plain(c): int(n) for c, n in zip(classes, counts, strict=True)}
    minority = classes[int(np.argmin(counts))]
    binary = len(classes) == 2
    sparse_X = sparse.issparse(X) or (
        isinstance(X, pd.DataFrame) and _data.zero_filled_sparse(X)
    )
    model = default_model(sparse=sparse_X) if model is None else model
    check_classifier(model, "compare_strategies", "model")
    model = _seeded(model, splitter_seed)
    chosen, notes = resolve_strategies(strategies)
    estimators, labels, plan_notes, view_samplers = _plan(
        chosen,
        model,
        splitter_seed,
        tune_threshold,
        binary,
        threshold_scoring,
        threshold_cv,
        minority,
    )
    notes += plan_notes
    if not estimators:
        raise ValueError("No strategy can run with this model: " + " ".join(notes))
    splits = (
        list(splitter.split(dense, y))
        if _is_int(cv)
        else _check_splits(splitter, dense, y, classes)
    )
    places = _repeats_and_folds(splits, len(y))
    n_repeats_seen = 1 + max(repeat for repeat, _ in places)
    n_folds = 1 + max(fold for _, fold in places)
    tasks = [
        (name, estimator, index, train, test)
        for name, estimator in estimators.items()
        for index, (train, test) in enumerate(splits)
    ]
    bar = _progress(len(tasks), progress)
    runner = Parallel(n_jobs=n_jobs, return_as="generator")
    outputs = []
    try:
        with folds_running():
            for output in runner(
                delayed(_run_fold)(name, est, X, y, train, test, classes)
                for name, est, _, train, test in tasks
            ):
                outputs.append(output)
                if bar is not None:
                    bar.update()
    finally:
        if bar is not None:
            bar.close()
    failed = {}
    for (name, *_), output in zip(tasks, outputs, strict=True):
        if output["error"] is not None and name not in failed:
            failed[name] = output["error"]
    for name, reason in failed.items():
        message = f"{labels[name]} failed and is left out: {reason}"
        notes.append(message)
        warn_at_caller(message, StrategyFailedWarning)
    if len(failed) == len(estimators):
        raise ValueError("Every strategy failed: " + " ".join(notes))
    minority_column = int(np.searchsorted(classes, minority))
    fold_rows, class_rows = [], []
    oof = {}
    seen_warnings = {}
    for (name, _, index, _, test), output in zip(tasks, outputs, strict=True):
        if name in failed:
            continue
        repeat, fold = places[index]
        overall, per_class = output["overall"], output["per_class"]
        row = {"strategy": name, "repeat": repeat, "fold": fold}
        if binary:
            row.update({m: per_class[minority][m] for m in CLASS_METRICS})
        else:
            row.update({m: overall[f"macro_{m}"] for m in CLASS_METRICS})
        row.update(
            balanced_accuracy=overall["balanced_accuracy"],
            g_mean=overall["g_mean"],
            mcc=overall["mcc"],
            fit_time=output["fit_time"],
            score_time=output["score_time"],
            train_rows=output["train_rows"],
        )
        fold_rows.append(row)
        for cls, values in per_class.items():
            class_rows.append({"strategy": name, "class": _plain(cls), **values})
        store = oof.setdefault(name, np.full((n_repeats_seen, len(y)), np.nan))
        store[repeat, test] = output["scores"][:, minority_column]
        for text in dict.fromkeys(output["warnings"]):  # once a fold: fits that warned
            seen_warnings.setdefault((name, text), 0)
            seen_warnings[(name, text)] += 1
    for (name, text), count in seen_warnings.items():
        notes.append(f"{labels[name]}: {text} ({count} of {len(splits)} fits).")
    fold_frame = pd.DataFrame(fold_rows)
    metric_columns = [*METRICS, "score_time", "train_rows"]
    table = _summarise(fold_frame[["strategy", *metric_columns]], "strategy")
    table.index.name = "strategy"
    per_class = _summarise(pd.DataFrame(class_rows), ["strategy", "class"])
    truth = np.asarray(y) == minority
    curves = {}
    for name, values in oof.items():
        finite = np.isfinite(values)
        pooled_truth = np.broadcast_to(truth, values.shape)[finite]
        precision, recall = _curve(pooled_truth, values[finite])
        curves[name] = {
            "precision": precision,
            "recall": recall,
            # the drawn curve's own: pooled out-of-fold scores, minority class
            "average_precision": float(
                average_precision_score(pooled_truth, values[finite])
            ),
        }
    smap = None
    if synthetic_view and view_samplers:
        smap = synthetic_map(dense, y, [v for v in view_samplers if v[0] not in failed])
        notes += smap.notes
    settings = {
        "model": repr(model),
        "cv": n_folds,
        "n_repeats": n_repeats_seen,
        "n_splits": len(splits),
        "random_state": random_state if _is_int(random_state) else None,
        "random_state_given": (
            "int"
            if _is_int(random_state)
            else None
            if random_state is None
            else type(random_state).__name__
        ),
        "folds": (
            f"{n_folds}-fold stratified, repeated {n_repeats_seen} times"
            if _is_int(cv)
            else f"{cv!r}: {len(splits)} splits"
        ),
        "seed": splitter_seed,
        # whether a tuned strategy ran (tuning may have been skipped)
        "tune_threshold": any(
            labels[name].endswith(" + tuned threshold") for name in table.index
        ),
        "threshold_scoring": str(threshold_scoring),
        "threshold_cv": threshold_cv,
        "n_samples": len(y),
        "n_features": int(dense.shape[1]),
    }
    return ComparisonResult(
        table=table,
        per_class=per_class,
        fold_scores=fold_frame.set_index(["strategy", "repeat", "fold"]),
        labels={name: labels[name] for name in table.index},
        classes=classes,
        class_counts=class_counts,
        minority_class=_plain(minority),
        averaging="minority" if binary else "macro",
        oof_scores=oof,
        y=np.asarray(y),
        pr_curves=curves,
        synthetic=smap,
        settings=settings,
        notes=notes,
    )


def _is_int(value):
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def _seeded(model, seed):
    """A clone of ``model`` whose ``random_state`` parameters that are None
    (its own and its steps', for a pipeline) are ``seed``; ``model`` itself
    when it has none (or no parameters at all)."""
    try:
        params = model.get_params(deep=True)
    except Exception:  # an estimator without get_params: cloned as it is later
        return model
    unset = {
        key: seed
        for key, value in params.items()
        if (key == "random_state" or key.endswith("__random_state")) and value is None
    }
    return clone(model).set_params(**unset) if unset else model


def _seed(random_state):
    if _is_int(random_state):
        return int(random_state)
    if random_state is not None and not isinstance(random_state, np.random.RandomState):
        raise TypeError(
            "random_state must be an int, a numpy RandomState or None. Got "
            f"{random_state!r}."
        )
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))


def _plain(value):
    return python_scalar(value)


# Names re-exported for the command line.
STRATEGY_NAMES = tuple(STRATEGIES)
