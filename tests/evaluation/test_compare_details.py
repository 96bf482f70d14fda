"""compare_strategies behaviours in detail: the minority class on ties and its
score column, the fold checks and their messages, the tuned threshold's
positive class, the drawn curve's size, the notes' fit counts, ``best`` and
``format_table``, and how strategy names are read."""

import dataclasses
import re
import warnings

import numpy as np
import pytest
from eval_data import sixty_rows
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    f1_score,
    make_scorer,
    precision_recall_curve,
    recall_score,
    roc_auc_score,
)
from sklearn.model_selection import StratifiedKFold, TunedThresholdClassifierCV

from smotekit import SMOTE, BorderlineSMOTE
from smotekit.evaluation import (
    FoldsTooManyError,
    ResampledClassifier,
    compare_strategies,
    default_model,
)


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _run(X, y, **kwargs):
    kwargs = {"cv": 2, "n_repeats": 1, "random_state": 0, **kwargs}
    return compare_strategies(X, y, synthetic_view=False, **kwargs)


def _counts_data(sizes, seed=0):
    rng = np.random.RandomState(seed)
    y = np.repeat(np.arange(len(sizes)), sizes)
    X = rng.normal(size=(len(y), 3)) + y[:, None] * 1.5
    return X, y


def test_of_classes_tied_for_fewest_rows_the_first_sorted_is_the_minority():
    X, y = _counts_data([30, 10, 10])
    assert _run(X, y, strategies="none").minority_class == 1
    X, y = _counts_data([12, 12])
    result = _run(X, y, strategies="none")
    assert result.minority_class == 0
    # its out-of-fold scores are those of class 0
    assert roc_auc_score(y == 0, result.oof_scores["none"][0]) > 0.7


def test_out_of_fold_scores_are_of_a_minority_class_sorted_first():
    X, y = sixty_rows()
    y = 1 - y  # class 0 is now the minority (10 rows)
    result = _run(X, y, strategies="none")
    assert result.minority_class == 0
    oof = result.oof_scores["none"][0]
    assert roc_auc_score(y == 0, oof) > 0.8


def test_a_class_with_as_many_rows_as_folds_is_taken():
    X, y = _counts_data([20, 3])
    result = _run(X, y, strategies="none", cv=3)
    assert result.settings["n_splits"] == 3


def test_too_many_folds_names_the_smallest_class_and_the_fold_count_it_allows():
    X, y = _counts_data([20, 3, 2])
    with pytest.raises(FoldsTooManyError) as info:
        _run(X, y, strategies="none", cv=4)
    assert (info.value.label, info.value.count) == ("2", 2)
    assert "Lower cv to 2 or less" in str(info.value)


def test_two_inner_folds_are_enough_to_tune_a_threshold():
    X, y = sixty_rows()
    result = _run(X, y, strategies="none", tune_threshold=True, threshold_cv=2)
    assert "none+threshold" in result.table.index


def test_the_tuned_threshold_maximises_f1_of_a_minority_class_sorted_first():
    X, y = sixty_rows()
    y = 1 - y  # the minority is class 0
    splitter = StratifiedKFold(3, shuffle=True, random_state=0)
    result = compare_strategies(
        X,
        y,
        strategies="none",
        tune_threshold=True,
        cv=splitter,
        random_state=0,
        synthetic_view=False,
    )
    expected = []
    for train, test in splitter.split(X, y):
        tuned = TunedThresholdClassifierCV(
            default_model().set_params(logisticregression__random_state=0),
            scoring=make_scorer(f1_score, pos_label=0),
            cv=StratifiedKFold(3, shuffle=True, random_state=0),
            random_state=0,
        ).fit(X[train], y[train])
        expected.append(recall_score(y[test], tuned.predict(X[test]), pos_label=0))
    got = result.fold_scores.loc["none+threshold", "recall"].to_numpy()
    np.testing.assert_allclose(got, expected)


def test_the_drawn_curve_keeps_at_most_400_points_from_end_to_end():
    X, y = _counts_data([350, 150])
    result = _run(X, y, strategies="none")
    full, full_recall, _ = precision_recall_curve(y == 1, result.oof_scores["none"][0])
    assert len(full) > 400  # the whole curve has more points than are drawn
    curve = result.pr_curves["none"]
    assert 300 < len(curve["precision"]) <= 400
    # spread evenly from the first point to the last
    assert curve["precision"][0] == full[0] and curve["recall"][0] == full_recall[0]
    assert curve["precision"][-1] == 1.0 and curve["recall"][-1] == 0.0


def test_a_warning_note_counts_the_fits_of_every_repeat():
    X, y = sixty_rows()
    result = _run(
        X,
        y,
        model=LogisticRegression(max_iter=1),  # warns on every fit
        strategies="none",
        n_repeats=3,
    )
    notes = [n for n in result.notes if "ConvergenceWarning" in n]
    assert notes and all(re.search(r"\(6 of 6 fits\)\.$", n) for n in notes)


@pytest.fixture
def two():
    X, y = sixty_rows()
    return _run(X, y, strategies="none,class_weight")


def test_best_is_the_highest_mean_and_format_table_shows_mean_then_std(two):
    table = two.table.copy()
    table[("f1", "mean")] = [0.2, 0.7]
    table[("f1", "std")] = [0.011, 0.022]
    result = dataclasses.replace(two, table=table)
    assert result.best("f1") == "class_weight"
    lines = result.format_table(["f1"]).splitlines()
    assert lines[1].endswith("0.200 ± 0.011")
    assert lines[2].endswith("0.700 ± 0.022")


@pytest.mark.parametrize(
    ("given", "name"),
    [
        ("rus", "random_under"),
        ("borderline", "borderline1"),
        ("_smote_", "smote"),
        ("Random-Over", "random_over"),
    ],
)
def test_aliases_and_spellings_name_their_strategy(given, name):
    X, y = _counts_data([50, 16])
    assert list(_run(X, y, strategies=[given]).table.index) == [name]


def test_a_trailing_comma_in_the_names_is_ignored():
    X, y = sixty_rows()
    assert list(_run(X, y, strategies="none,rus,").table.index) == [
        "none",
        "random_under",
    ]


def test_a_name_given_twice_is_refused():
    X, y = sixty_rows()
    with pytest.raises(ValueError, match="repeated: \\['none'\\]"):
        _run(X, y, strategies="none,rus,none")


def test_a_strategy_name_in_a_dict_is_shown_under_its_key():
    X, y = sixty_rows()
    result = _run(X, y, strategies={"weights!": "class_weight", "plain": None})
    assert result.labels == {"weights!": "weights!", "plain": "plain"}


def test_a_user_sampler_with_its_own_seed_keeps_it():
    X, y = _counts_data([50, 16])
    splitter = StratifiedKFold(3, shuffle=True, random_state=0)

    def scores(sampler, seed):
        result = compare_strategies(
            X,
            y,
            strategies={"mine": sampler},
            cv=splitter,
            random_state=seed,
            synthetic_view=False,
        )
        return result.fold_scores.loc["mine", "pr_auc"].to_numpy()

    own = SMOTE(k_neighbors=3, random_state=7)
    np.testing.assert_array_equal(scores(own, 0), scores(own, 1))
    unseeded = SMOTE(k_neighbors=3)
    assert not np.array_equal(scores(unseeded, 0), scores(unseeded, 1))


def test_borderline2_runs_borderline_smote_of_the_second_kind():
    X, y = _counts_data([50, 16])
    splitter = StratifiedKFold(3, shuffle=True, random_state=0)
    result = compare_strategies(
        X, y, strategies="borderline2", cv=splitter, random_state=0
    )
    expected = []
    for train, test in splitter.split(X, y):
        model = ResampledClassifier(
            BorderlineSMOTE(kind="borderline-2", random_state=0),
            default_model().set_params(logisticregression__random_state=0),
        ).fit(X[train], y[train])
        expected.append(roc_auc_score(y[test], model.predict_proba(X[test])[:, 1]))
    got = result.fold_scores.loc["borderline2", "roc_auc"].to_numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-12)
