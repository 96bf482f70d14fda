"""The comparison with splitters given by the user (folds without a minority
row, repeated or overlapping splits), and a refitted ResampledClassifier."""

import warnings

import numpy as np
import pandas as pd
import pytest
from eval_data import sixty_rows
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import (
    GroupKFold,
    KFold,
    LeaveOneOut,
    PredefinedSplit,
    RepeatedStratifiedKFold,
    ShuffleSplit,
    StratifiedKFold,
    StratifiedShuffleSplit,
)

from smotekit import SMOTE
from smotekit.evaluation import ResampledClassifier, compare_strategies


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _data():
    return make_classification(n_samples=300, weights=[0.9], random_state=0)


def test_fold_without_minority_gives_undefined_recall_not_zero():
    # A user splitter whose first test fold holds no minority row: the
    # minority recall/F1 of that fold are undefined (like its PR AUC, which
    # is NaN) and must not be averaged in as 0.
    X, y = _data()
    majority, minority = np.flatnonzero(y == 0), np.flatnonzero(y == 1)
    test_fold = np.empty(len(y), dtype=int)
    test_fold[majority[:100]] = 0
    test_fold[majority[100:]] = np.arange(len(majority) - 100) % 2 + 1
    test_fold[minority] = np.arange(len(minority)) % 2 + 1
    result = compare_strategies(
        X,
        y,
        strategies="none",
        cv=PredefinedSplit(test_fold),
        random_state=0,
        synthetic_view=False,
    )
    first = result.fold_scores.loc[("none", 0, 0)]
    assert np.isnan(first["g_mean"])
    assert np.isnan(first["pr_auc"])
    assert np.isnan(first["recall"])
    assert np.isnan(first["f1"])
    defined = result.fold_scores["recall"].iloc[1:].mean()
    assert result.table.loc["none", ("recall", "mean")] == pytest.approx(defined)


def test_shuffle_splits_more_than_minority_rows_are_taken():
    # 20 stratified shuffle splits of 10 minority rows: each test set holds
    # some; the k-fold rule (a row per class and fold) does not apply
    X, y = sixty_rows()
    cv = StratifiedShuffleSplit(20, test_size=0.25, random_state=0)
    result = compare_strategies(
        X, y, strategies="none", model=LogisticRegression(), cv=cv,
        synthetic_view=False,
    )  # fmt: skip
    assert len(result.fold_scores) == 20
    assert result.settings["folds"].endswith(": 20 splits")


def test_leave_one_out_is_taken():
    # its get_n_splits needs X; a fold testing a majority row has no minority
    # recall (NaN, left out of the mean)
    X, y = sixty_rows()
    result = compare_strategies(
        X, y, strategies="none", model=LogisticRegression(), cv=LeaveOneOut(),
        synthetic_view=False,
    )  # fmt: skip
    scores = result.fold_scores["recall"]
    assert len(scores) == 60 and scores.isna().sum() == 50
    assert result.table.loc["none", ("recall", "mean")] == pytest.approx(scores.mean())


def test_a_splitter_needing_groups_is_named():
    X, y = sixty_rows()
    with pytest.raises(ValueError, match=r"cv=GroupKFold.*could not split.*groups"):
        compare_strategies(X, y, strategies="none", cv=GroupKFold(3))


def test_a_training_set_without_a_class_is_refused():
    X, y = sixty_rows()  # sorted: the last fold holds every minority row
    with pytest.raises(ValueError, match=r"cv=KFold.*training set without class 1"):
        compare_strategies(X, y, strategies="none", cv=KFold(6))


def test_too_many_stratified_folds_name_the_splitter():
    X, y = sixty_rows()
    with pytest.raises(ValueError, match=r"Lower the splitter's n_splits to 10"):
        compare_strategies(X, y, strategies="none", cv=StratifiedKFold(12))


def test_repeated_splitter_keeps_its_repeats():
    # cv may be a splitter; a RepeatedStratifiedKFold(3, 2) is 2 repeats of 3
    # folds: oof_scores must keep both repeats (shape (2, n)), not overwrite
    # the first with the second.
    X, y = _data()
    cv = RepeatedStratifiedKFold(n_splits=3, n_repeats=2, random_state=0)
    result = compare_strategies(
        X, y, strategies="none", cv=cv, random_state=0, synthetic_view=False
    )
    assert result.settings["n_repeats"] == 2
    assert result.settings["cv"] == 3
    oof = result.oof_scores["none"]
    assert oof.shape == (2, len(y))
    assert np.isfinite(oof).all()
    folds = result.fold_scores.index.droplevel(0).tolist()
    assert folds == [(r, f) for r in range(2) for f in range(3)]


def test_refit_on_array_forgets_feature_names():
    # scikit-learn estimators drop feature_names_in_ when refitted on data
    # without column names; a stale one describes data the model never saw.
    X, y = _data()
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    model = ResampledClassifier(SMOTE(random_state=0), LogisticRegression())
    model.fit(frame, y)
    assert hasattr(model, "feature_names_in_")
    reference = LogisticRegression().fit(frame, y).fit(X, y)
    assert not hasattr(reference, "feature_names_in_")  # scikit-learn's rule
    model.fit(X, y)
    assert not hasattr(model, "feature_names_in_")


def test_overlapping_test_sets_open_new_repeats():
    X, y = _data()
    cv = StratifiedShuffleSplit(n_splits=4, test_size=0.5, random_state=0)
    result = compare_strategies(
        X, y, strategies="none", cv=cv, random_state=0, synthetic_view=False
    )
    oof = result.oof_scores["none"]
    folds = result.fold_scores.index.droplevel(0).tolist()
    assert len(folds) == 4 and len(set(folds)) == 4  # no split overwritten
    assert oof.shape[0] == result.settings["n_repeats"] >= 2
    # every split's scores kept: as many finite entries as test rows in all
    assert np.isfinite(oof).sum() == sum(len(t) for _, t in cv.split(X, y))


def test_big_endian_frame_compares_as_the_native_one():
    # the folds' rows are taken by pandas, which cannot take rows of columns
    # in the other byte order as they are
    X, y = make_classification(n_samples=240, n_features=4, weights=[0.8],
                               random_state=0)  # fmt: skip
    native = pd.DataFrame(X, columns=list("abcd"))
    kwargs = dict(strategies="none,smote", cv=3, n_repeats=1, random_state=0,
                  synthetic_view=False)  # fmt: skip
    swapped = compare_strategies(native.astype(">f8"), y, **kwargs)
    expected = compare_strategies(native, y, **kwargs)
    assert list(swapped.table.index) == ["none", "smote"]
    cols = ["recall", "precision", "f1", "pr_auc"]
    pd.testing.assert_frame_equal(swapped.fold_scores[cols], expected.fold_scores[cols])


def test_a_strategy_named_like_a_tuned_copy_is_refused():
    X, y = _data()
    clash = r"a strategy named 'base\+threshold' and tune_threshold asks to tune"
    with pytest.raises(ValueError, match=clash + r" 'base'.*Rename the strategy"):
        compare_strategies(
            X, y, strategies={"base": None, "base+threshold": SMOTE()},
            tune_threshold=["base"], cv=3, n_repeats=1, random_state=0,
            synthetic_view=False,
        )  # fmt: skip


def test_an_unseeded_user_sampler_takes_the_comparisons_seed():
    # random_state makes the whole comparison reproducible, a given sampler
    # without a seed of its own included
    X, y = _data()
    cols = ["recall", "precision", "f1", "pr_auc", "roc_auc"]

    def scores(sampler):
        return compare_strategies(
            X, y, strategies={"mine": sampler}, cv=3, n_repeats=1,
            random_state=0, synthetic_view=False,
        ).fold_scores[cols].to_numpy()  # fmt: skip

    np.testing.assert_array_equal(scores(SMOTE()), scores(SMOTE()))


def test_precision_of_a_class_neither_held_nor_predicted_is_undefined():
    # shuffle splits of 8% leave some test folds without a minority row; a
    # fold that predicts none either has precision 0 of 0: NaN, not 0
    X, y = make_classification(
        n_samples=120, weights=[0.9], random_state=1, n_features=5, class_sep=2
    )
    cv = ShuffleSplit(5, test_size=0.08, random_state=0)
    result = compare_strategies(
        X, y, strategies="none", model=LogisticRegression(), cv=cv,
        synthetic_view=False,
    )  # fmt: skip
    folds = result.fold_scores  # the minority class's figures
    empty = folds["recall"].isna()
    assert empty.any()
    assert folds.loc[empty, "precision"].isna().all()
    mean = result.table.loc["none", ("precision", "mean")]
    assert mean == pytest.approx(folds["precision"].mean())  # NaN left out
    assert mean > 0.8


def test_a_warning_repeated_within_a_fold_counts_that_fit_once():
    # the tuned strategy refits its model inside each fold: each refit warns
    X, y = _data()
    result = compare_strategies(
        X * 100, y, strategies="none", model=LogisticRegression(max_iter=2),
        cv=3, n_repeats=1, tune_threshold=True, random_state=0,
        synthetic_view=False,
    )  # fmt: skip
    counts = [
        note.rsplit("(", 1)[1] for note in result.notes if "ConvergenceWarning" in note
    ]
    assert counts and all(c in ("1 of 3 fits).", "2 of 3 fits).", "3 of 3 fits).")
                          for c in counts)  # fmt: skip


def test_a_strategy_named_twice_for_tuning_is_tuned_once():
    X, y = sixty_rows()
    result = compare_strategies(
        X, y, strategies=["none", "smote"], model=LogisticRegression(), cv=3,
        n_repeats=1, tune_threshold=["none", "none"], synthetic_view=False,
    )  # fmt: skip
    assert list(result.table.index) == ["none", "smote", "none+threshold"]
