"""Fold figures in detail: every per-class figure against scikit-learn, the
orientation of a binary decision function, undefined figures left out of the
macro means, and the G-mean over the classes of both label arrays."""

import warnings

import numpy as np
import pytest
from sklearn.linear_model import RidgeClassifier
from sklearn.metrics import (
    average_precision_score,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
)
from sklearn.model_selection import StratifiedKFold

from smotekit.evaluation import compare_strategies, fold_scores, geometric_mean_score


def test_g_mean_counts_a_class_only_predicted_as_a_zero_recall():
    # class 2 is predicted once but never true: by default the classes are
    # those of both arrays, so its recall (0 of 0, taken as 0) makes it 0
    truth, pred = [0, 0, 1, 1], [0, 2, 1, 1]
    assert geometric_mean_score(truth, pred) == 0.0
    assert geometric_mean_score(truth, pred, labels=[0, 1]) == pytest.approx(
        np.sqrt(0.5 * 1.0)
    )
    metrics = pytest.importorskip("imblearn.metrics")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # imbalanced-learn's ill-defined recall
        assert geometric_mean_score(truth, pred) == metrics.geometric_mean_score(
            truth, pred
        )


def test_g_mean_of_a_class_never_recognised_is_zero_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no log of zero along the way
        assert geometric_mean_score([0, 0, 1, 1], [0, 0, 0, 0]) == 0.0


def test_precision_of_a_class_held_but_never_predicted_is_zero():
    truth = np.array([0, 0, 0, 1, 1])
    pred = np.array([0, 0, 0, 0, 0])
    scores = np.column_stack([np.linspace(1, 0, 5), np.linspace(0, 1, 5)])
    overall, per_class = fold_scores(truth, pred, scores, np.array([0, 1]))
    # every row of class 1 was missed: its precision is 0 (no prediction of
    # it to be right), not undefined
    assert per_class[1]["precision"] == 0.0
    assert overall["macro_precision"] == pytest.approx(
        (precision_score(truth, pred, pos_label=0) + 0.0) / 2
    )


def test_macro_means_leave_out_a_class_absent_from_the_fold():
    # class 2 is neither held nor predicted in this fold: its recall,
    # precision, F1, PR AUC and ROC AUC are undefined and left out of the
    # macro means, which are those of classes 0 and 1
    classes = np.array([0, 1, 2])
    truth = np.array([0, 0, 0, 1, 1, 1])
    pred = np.array([0, 0, 1, 1, 1, 0])
    scores = np.array(
        [
            [0.8, 0.1, 0.1],
            [0.7, 0.2, 0.1],
            [0.3, 0.6, 0.1],
            [0.2, 0.7, 0.1],
            [0.1, 0.8, 0.1],
            [0.6, 0.3, 0.1],
        ]
    )
    overall, per_class = fold_scores(truth, pred, scores, classes)
    for name in ("recall", "precision", "f1", "pr_auc", "roc_auc"):
        assert np.isnan(per_class[2][name])
        defined = [per_class[0][name], per_class[1][name]]
        assert overall[f"macro_{name}"] == pytest.approx(np.mean(defined))
    assert overall["macro_recall"] == pytest.approx(
        recall_score(truth, pred, labels=[0, 1], average="macro")
    )


def _by_hand(X, y, splitter, classes):
    """Per-fold figures of a RidgeClassifier (a decision function, no
    probabilities) for each class against the others, by scikit-learn."""
    rows = []
    for train, test in splitter.split(X, y):
        model = RidgeClassifier().fit(X[train], y[train])
        pred = model.predict(X[test])
        decision = model.decision_function(X[test])
        if decision.ndim == 1:  # the score of classes_[1]; classes_[0] gets -d
            decision = np.column_stack([-decision, decision])
        row = {}
        for j, cls in enumerate(classes):
            truth = y[test] == cls
            row[cls] = {
                "recall": recall_score(truth, pred == cls),
                "precision": precision_score(truth, pred == cls, zero_division=0),
                "f1": f1_score(truth, pred == cls, zero_division=0),
                "pr_auc": average_precision_score(truth, decision[:, j]),
                "roc_auc": roc_auc_score(truth, decision[:, j]),
            }
        rows.append(row)
    return rows


def _data(n_classes):
    rng = np.random.RandomState(0)
    sizes = [60, 25, 15][:n_classes]
    y = np.repeat(np.arange(n_classes), sizes)
    X = rng.normal(size=(len(y), 3)) + y[:, None] * 0.9
    return X, y


@pytest.mark.parametrize("minority", [0, 1])
def test_binary_decision_function_scores_the_minority_class(minority):
    # a model without predict_proba: its decision function d scores
    # classes_[1] and -d classes_[0]; either class may be the minority
    X, y = _data(2)
    if minority == 0:
        y = 1 - y
    splitter = StratifiedKFold(3, shuffle=True, random_state=0)
    result = compare_strategies(
        X,
        y,
        model=RidgeClassifier(),
        strategies="none",
        cv=splitter,
        synthetic_view=False,
    )
    assert result.minority_class == minority
    expected = _by_hand(X, y, splitter, [0, 1])
    got = result.fold_scores.loc["none"].reset_index(drop=True)
    for metric in ("recall", "precision", "f1", "pr_auc", "roc_auc"):
        np.testing.assert_allclose(
            got[metric], [fold[minority][metric] for fold in expected], rtol=1e-12
        )
    # the pooled curve is of the minority class too
    truth = y == minority
    oof = result.oof_scores["none"][0]
    assert result.pr_curves["none"]["average_precision"] == pytest.approx(
        average_precision_score(truth, oof)
    )
    assert roc_auc_score(truth, oof) > 0.7


def test_every_class_figure_of_a_multiclass_comparison_matches_scikit_learn():
    X, y = _data(3)
    splitter = StratifiedKFold(3, shuffle=True, random_state=0)
    result = compare_strategies(
        X,
        y,
        model=RidgeClassifier(),
        strategies="none",
        cv=splitter,
        synthetic_view=False,
    )
    expected = _by_hand(X, y, splitter, [0, 1, 2])
    for cls in (0, 1, 2):
        for metric in ("recall", "precision", "f1", "pr_auc", "roc_auc"):
            values = [fold[cls][metric] for fold in expected]
            assert result.per_class.loc[("none", cls), (metric, "mean")] == (
                pytest.approx(np.mean(values), rel=1e-12)
            )
    for metric in ("recall", "precision", "f1", "pr_auc", "roc_auc"):
        macro = [np.mean([fold[c][metric] for c in (0, 1, 2)]) for fold in expected]
        np.testing.assert_allclose(
            result.fold_scores.loc["none", metric], macro, rtol=1e-12
        )
