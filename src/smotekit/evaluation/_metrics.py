"""Scores for imbalanced classification, computed on one test fold.

Accuracy hides a rare class; these figures do not: recall, precision and F1
of each class, precision–recall AUC (average precision), ROC AUC, balanced
accuracy, G-mean and the Matthews correlation coefficient.
"""

import numpy as np
from sklearn.metrics import (
    average_precision_score,
    balanced_accuracy_score,
    matthews_corrcoef,
    precision_recall_fscore_support,
    recall_score,
    roc_auc_score,
)

__all__ = [
    "CLASS_METRICS",
    "METRICS",
    "METRIC_LABELS",
    "fold_scores",
    "geometric_mean_score",
    "score_matrix",
]

#: Figures computed for each class (one class against the rest).
CLASS_METRICS = ("recall", "precision", "f1", "pr_auc", "roc_auc")

#: Figures of the summary table, in display order.
METRICS = (
    "recall",
    "precision",
    "f1",
    "pr_auc",
    "roc_auc",
    "balanced_accuracy",
    "g_mean",
    "mcc",
    "fit_time",
)

#: Column titles used in reports.
METRIC_LABELS = {
    "recall": "recall",
    "precision": "precision",
    "f1": "F1",
    "pr_auc": "PR AUC",
    "roc_auc": "ROC AUC",
    "balanced_accuracy": "balanced acc.",
    "g_mean": "G-mean",
    "mcc": "MCC",
    "fit_time": "fit time (s)",
}


def geometric_mean_score(y_true, y_pred, *, labels=None):
    """Geometric mean of the per-class recalls (the G-mean).

    For two classes it is ``sqrt(sensitivity * specificity)``. It is 0 as
    soon as one class is never recognised, which accuracy would hide.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    labels : array-like, default=None
        Classes to include; default: those in ``y_true`` and ``y_pred``.

    Returns
    -------
    g_mean : float
        In [0, 1].

    Examples
    --------
    >>> from smotekit.evaluation import geometric_mean_score
    >>> round(geometric_mean_score([0, 0, 0, 0, 1, 1], [0, 0, 0, 1, 1, 0]), 4)
    0.6124
    """
    if labels is None:
        labels = np.unique(np.concatenate([np.asarray(y_true), np.asarray(y_pred)]))
    recalls = recall_score(
        y_true, y_pred, labels=labels, average=None, zero_division=0.0
    )
    recalls = np.asarray(recalls, dtype=np.float64)
    if np.any(recalls == 0):
        return 0.0
    return float(np.exp(np.mean(np.log(recalls))))


def score_matrix(estimator, X, classes):
    """Continuous scores per class, shape ``(n_samples, n_classes)``.

    ``predict_proba`` when the estimator has it, else ``decision_function``
    (a binary decision function ``d`` becomes the columns ``[-d, d]``).

    Parameters
    ----------
    estimator : fitted classifier
        The model.
    X : array-like
        Rows to score.
    classes : ndarray
        The estimator's ``classes_``.

    Returns
    -------
    scores : ndarray of shape (n_samples, n_classes)
        Larger means more likely that class; columns follow ``classes``.
    """
    if hasattr(estimator, "predict_proba"):
        return np.asarray(estimator.predict_proba(X), dtype=np.float64)
    if hasattr(estimator, "decision_function"):
        decision = np.asarray(estimator.decision_function(X), dtype=np.float64)
        if decision.ndim == 1:
            return np.column_stack([-decision, decision])
        return decision
    raise TypeError(
        f"The model {type(estimator).__name__} has neither predict_proba nor "
        "decision_function, so PR AUC and ROC AUC cannot be computed. Use a "
        "classifier that has one of them."
    )


def _one_vs_rest_auc(score_fn, truth, scores):
    if truth.all() or not truth.any():
        return np.nan
    return float(score_fn(truth, scores))


def fold_scores(y_true, y_pred, scores, classes):
    """Every figure for one test fold.

    Parameters
    ----------
    y_true : ndarray of shape (n_samples,)
        True labels of the test fold.
    y_pred : ndarray of shape (n_samples,)
        Predicted labels.
    scores : ndarray of shape (n_samples, n_classes)
        Continuous scores from :func:`score_matrix`.
    classes : ndarray of shape (n_classes,)
        Class labels, in the column order of ``scores``.

    Returns
    -------
    overall : dict
        ``balanced_accuracy``, ``g_mean``, ``mcc`` and the macro averages
        ``macro_recall``, ``macro_precision``, ``macro_f1``, ``macro_pr_auc``
        and ``macro_roc_auc`` (one class against the rest).
    per_class : dict of {class: dict}
        ``recall``, ``precision``, ``f1``, ``pr_auc``, ``roc_auc`` of each
        class against the others.
    """
    classes = np.asarray(classes)
    precision, recall, f1, _ = precision_recall_fscore_support(
        y_true, y_pred, labels=classes, average=None, zero_division=0.0
    )
    per_class = {}
    for j, cls in enumerate(classes):
        truth = np.asarray(y_true) == cls
        # a class absent from the fold has no recall (nor F1), as no PR AUC:
        # undefined, left out of the means, not a zero
        present = bool(truth.any())
        # nor precision when the fold neither holds nor predicts it (0 of 0;
        # predicted there, its precision is 0: every prediction is wrong)
        predicted = bool((np.asarray(y_pred) == cls).any())
        per_class[cls] = {
            "recall": float(recall[j]) if present else np.nan,
            "precision": float(precision[j]) if present or predicted else np.nan,
            "f1": float(f1[j]) if present else np.nan,
            "pr_auc": _one_vs_rest_auc(average_precision_score, truth, scores[:, j]),
            "roc_auc": _one_vs_rest_auc(roc_auc_score, truth, scores[:, j]),
        }
    overall = {
        "balanced_accuracy": float(balanced_accuracy_score(y_true, y_pred)),
        "g_mean": (
            geometric_mean_score(y_true, y_pred, labels=classes)
            if all(np.isfinite(per_class[cls]["recall"]) for cls in classes)
            else np.nan  # a class without recall: no geometric mean either
        ),
        "mcc": float(matthews_corrcoef(y_true, y_pred)),
    }
    for name in CLASS_METRICS:
        values = [per_class[cls][name] for cls in classes]
        overall[f"macro_{name}"] = float(np.nanmean(values)) if values else np.nan
    return overall, per_class
