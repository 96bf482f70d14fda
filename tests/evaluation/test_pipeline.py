"""ResampledClassifier: resampling happens in fit only, inside sklearn's tools."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.datasets import make_classification
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import IsolationForest
from sklearn.exceptions import DataConversionWarning
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import average_precision_score, f1_score
from sklearn.model_selection import (
    GridSearchCV,
    StratifiedKFold,
    TunedThresholdClassifierCV,
    cross_val_score,
    cross_validate,
)
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.estimator_checks import parametrize_with_checks

from smotekit import SMOTE, RandomOverSampler
from smotekit.evaluation import ResampledClassifier, compare_strategies

SEED = 0


@pytest.fixture
def data():
    return make_classification(
        n_samples=600, n_features=6, weights=[0.9], flip_y=0.02, random_state=SEED
    )


class CountingSMOTE(SMOTE):
    """SMOTE that records the size of every data set it resamples."""

    seen = []

    def fit_resample(self, X, y):
        type(self).seen.append(len(y))
        return super().fit_resample(X, y)


def test_held_out_scores_equal_resampling_the_training_fold_by_hand(data):
    X, y = data
    cv = StratifiedKFold(5, shuffle=True, random_state=SEED)
    model = ResampledClassifier(SMOTE(random_state=SEED), LogisticRegression())
    got = cross_validate(model, X, y, cv=cv, scoring=["f1", "average_precision"])
    by_hand_f1, by_hand_ap = [], []
    for train, test in cv.split(X, y):
        X_res, y_res = SMOTE(random_state=SEED).fit_resample(X[train], y[train])
        fitted = LogisticRegression().fit(X_res, y_res)
        by_hand_f1.append(f1_score(y[test], fitted.predict(X[test])))
        by_hand_ap.append(
            average_precision_score(y[test], fitted.predict_proba(X[test])[:, 1])
        )
    np.testing.assert_array_equal(got["test_f1"], by_hand_f1)
    np.testing.assert_array_equal(got["test_average_precision"], by_hand_ap)


def test_resampling_before_the_split_inflates_scores_and_the_wrapper_does_not(data):
    """The leak this class prevents: copies of test rows in the training set."""
    X, y = data
    cv = StratifiedKFold(5, shuffle=True, random_state=SEED)
    knn = KNeighborsClassifier(n_neighbors=1)
    X_leak, y_leak = RandomOverSampler(random_state=SEED).fit_resample(X, y)
    leaky = cross_val_score(knn, X_leak, y_leak, cv=cv, scoring="recall").mean()
    safe = cross_val_score(
        ResampledClassifier(RandomOverSampler(random_state=SEED), knn),
        X,
        y,
        cv=cv,
        scoring="recall",
    ).mean()
    assert leaky > 0.95
    assert safe < leaky - 0.2


def test_only_training_folds_are_resampled(data):
    X, y = data
    CountingSMOTE.seen = []
    model = ResampledClassifier(CountingSMOTE(random_state=SEED), LogisticRegression())
    cross_validate(model, X, y, cv=StratifiedKFold(4), scoring="f1")
    assert CountingSMOTE.seen == [450] * 4  # 3/4 of 600 rows, four times
    CountingSMOTE.seen = []
    model.fit(X, y)
    model.predict(X)
    model.predict_proba(X)
    model.decision_function(X)
    model.score(X, y)
    assert CountingSMOTE.seen == [600]


def test_grid_search_tunes_sampler_and_model_in_a_plain_sklearn_pipeline(data):
    X, y = data
    pipe = Pipeline(
        [
            ("scale", StandardScaler()),
            (
                "clf",
                ResampledClassifier(SMOTE(random_state=SEED), LogisticRegression()),
            ),
        ]
    )
    grid = GridSearchCV(
        pipe,
        {"clf__sampler__k_neighbors": [1, 3, 7], "clf__estimator__C": [0.01, 1.0]},
        scoring="average_precision",
        cv=StratifiedKFold(3, shuffle=True, random_state=SEED),
    ).fit(X, y)
    assert len(grid.cv_results_["params"]) == 6
    assert set(grid.best_params_) == {"clf__sampler__k_neighbors", "clf__estimator__C"}
    best = grid.best_estimator_.named_steps["clf"]
    assert best.sampler_.k_neighbors == grid.best_params_["clf__sampler__k_neighbors"]
    assert best.estimator_.C == grid.best_params_["clf__estimator__C"]
    # the scores of different k differ: the parameter really reaches the sampler
    assert len(set(np.round(grid.cv_results_["mean_test_score"], 12))) > 1


def test_fitted_attributes_and_delegation(data):
    X, y = data
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    labels = np.where(y == 1, "rare", "common")
    model = ResampledClassifier(SMOTE(random_state=SEED), LogisticRegression())
    model.fit(frame, labels)
    assert list(model.classes_) == ["common", "rare"]
    assert model.n_features_in_ == 6
    assert list(model.feature_names_in_) == list(frame.columns)
    assert model.n_samples_resampled_ == 2 * int((y == 0).sum())
    np.testing.assert_array_equal(
        model.predict_proba(frame), model.estimator_.predict_proba(frame)
    )
    assert model.score(frame, labels) == model.estimator_.score(frame, labels)
    assert len(model.sampler_.provenance_) == (y == 0).sum() - (y == 1).sum()
    # the given sampler and estimator are left untouched
    assert not hasattr(model.sampler, "provenance_")
    assert not hasattr(model.estimator, "coef_")


def test_methods_follow_the_estimator():
    model = ResampledClassifier(SMOTE(), KNeighborsClassifier())
    assert hasattr(model, "predict_proba")
    assert not hasattr(model, "decision_function")


def test_tuned_threshold_around_the_wrapper(data):
    X, y = data
    tuned = TunedThresholdClassifierCV(
        ResampledClassifier(SMOTE(random_state=SEED), LogisticRegression()),
        scoring="f1",
        cv=3,
    ).fit(X, y)
    assert 0 < tuned.best_threshold_ < 1
    assert isinstance(tuned.estimator_, ResampledClassifier)


def test_samplers_work_inside_imbalanced_learn_pipeline_with_the_same_scores(data):
    imblearn_pipeline = pytest.importorskip("imblearn.pipeline")
    X, y = data
    cv = StratifiedKFold(5, shuffle=True, random_state=SEED)
    theirs = imblearn_pipeline.make_pipeline(
        StandardScaler(), SMOTE(random_state=SEED), LogisticRegression()
    )
    ours = make_pipeline(
        StandardScaler(),
        ResampledClassifier(SMOTE(random_state=SEED), LogisticRegression()),
    )
    a = cross_val_score(theirs, X, y, cv=cv, scoring="average_precision")
    b = cross_val_score(ours, X, y, cv=cv, scoring="average_precision")
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
    grid = GridSearchCV(
        theirs, {"smote__k_neighbors": [3, 5]}, cv=cv, scoring="f1"
    ).fit(X, y)
    assert grid.best_params_["smote__k_neighbors"] in (3, 5)


def test_a_sampler_without_fit_resample_is_refused(data):
    X, y = data
    with pytest.raises(TypeError, match="'sampler' parameter of ResampledClassifier"):
        ResampledClassifier(StandardScaler(), LogisticRegression()).fit(X, y)
    with pytest.raises(TypeError, match="'estimator' parameter of ResampledClassifier"):
        ResampledClassifier(SMOTE(), "logreg").fit(X, y)


@pytest.mark.parametrize(
    "estimator, kind",
    [
        (LinearRegression(), "a regressor"),
        (make_pipeline(StandardScaler(), LinearRegression()), "a regressor"),
        (KMeans(n_clusters=2, n_init=1), "a clusterer"),
        (IsolationForest(), "an outlier detector"),
        (StandardScaler(), None),  # no predict
    ],
)
def test_an_estimator_that_is_not_a_classifier_is_refused(data, estimator, kind):
    X, y = data
    model = ResampledClassifier(SMOTE(random_state=SEED), estimator)
    with pytest.raises(
        TypeError, match="must be a classifier with fit and predict"
    ) as e:
        model.fit(X, y)
    if kind is not None:
        assert str(e.value).endswith(f", which its tags declare {kind}.")
    assert not hasattr(model, "estimator_")


class _DuckClassifier:
    """A classifier without scikit-learn's tags: judged by its methods."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])

    def get_params(self, deep=True):
        return {}

    def set_params(self, **params):
        return self


def test_a_classifier_without_tags_or_inside_a_pipeline_is_accepted(data):
    X, y = data
    duck = ResampledClassifier(RandomOverSampler(random_state=SEED), _DuckClassifier())
    assert (duck.fit(X, y).predict(X[:4]) == duck.classes_[0]).all()
    piped = ResampledClassifier(
        SMOTE(random_state=SEED), make_pipeline(StandardScaler(), LogisticRegression())
    ).fit(X, y)
    assert set(piped.predict(X)) <= set(np.unique(y))


def test_clone_keeps_nested_parameters():
    model = ResampledClassifier(SMOTE(k_neighbors=3), LogisticRegression(C=0.5))
    params = clone(model).get_params()
    assert params["sampler__k_neighbors"] == 3
    assert params["estimator__C"] == 0.5


class _MinorityTwice:
    """A plain sampler without get_params: adds a copy of the minority rows."""

    def fit_resample(self, X, y):
        minority = y == 1
        return np.vstack([X, X[minority]]), np.r_[y, y[minority]]


class _PlainMajority:
    """A plain classifier without get_params: predicts the majority class."""

    def fit(self, X, y):
        values, counts = np.unique(y, return_counts=True)
        self.classes_, self.seen_ = values, len(y)
        self.label_ = values[np.argmax(counts)]
        return self

    def predict(self, X):
        return np.full(len(X), self.label_)

    def predict_proba(self, X):
        shares = np.r_[[self.label_ == c for c in self.classes_]].astype(float)
        return np.tile(shares, (len(X), 1))


def test_plain_objects_without_get_params_are_copied_not_refused(data):
    X, y = data
    model = ResampledClassifier(_MinorityTwice(), _PlainMajority()).fit(X, y)
    assert model.estimator_.seen_ == len(y) + (y == 1).sum()
    assert model.sampler_ is not model.sampler
    result = compare_strategies(
        X, y, strategies={"twice": _MinorityTwice()}, model=LogisticRegression(),
        cv=3, n_repeats=1, random_state=SEED,
    )  # fmt: skip
    assert list(result.table.index) == ["twice"]
    assert result.table.loc["twice", ("recall", "mean")] > 0


def test_predicting_rows_of_another_width_names_the_wrapper(data):
    X, y = data
    # the dummy model ignores X: only the wrapper can tell
    model = ResampledClassifier(SMOTE(random_state=SEED), DummyClassifier()).fit(X, y)
    for method in ("predict", "predict_proba", "predict_log_proba"):
        with pytest.raises(ValueError, match="X has 5 features, but Resampled"):
            getattr(model, method)(X[:, :5])
    with pytest.raises(ValueError, match="X has 5 features, but Resampled"):
        model.score(X[:, :5], y)
    with pytest.raises(ValueError, match=r"expects a 2-D X.*Reshape your data"):
        model.predict(X[0])


def test_predicting_with_reordered_columns_is_refused(data):
    X, y = data
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    model = ResampledClassifier(SMOTE(random_state=SEED), DummyClassifier())
    model.fit(frame, y)
    with pytest.raises(ValueError, match="same order as they were in fit"):
        model.predict(frame[frame.columns[::-1]])
    assert len(model.predict(frame)) == len(y)


def test_a_column_of_labels_is_raveled_with_a_warning(data):
    X, y = data
    model = ResampledClassifier(RandomOverSampler(random_state=SEED), _PlainMajority())
    with pytest.warns(DataConversionWarning, match="column-vector y"):
        model.fit(X, y.reshape(-1, 1))
    assert model.estimator_.classes_.tolist() == [0, 1]  # a label per row


@parametrize_with_checks(
    [
        ResampledClassifier(RandomOverSampler(random_state=SEED), LogisticRegression()),
        ResampledClassifier(
            RandomOverSampler(random_state=SEED), DecisionTreeClassifier(random_state=0)
        ),
        ResampledClassifier(
            SMOTE(k_neighbors=1, random_state=SEED), LogisticRegression()
        ),
    ]
)
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)


def test_a_plain_model_runs_the_default_strategies_without_class_weights(data):
    # it has no get_params: the class-weight strategy cannot set one and is
    # left out with its note; the others run
    X, y = data
    result = compare_strategies(
        X, y, model=_PlainMajority(), cv=3, n_repeats=1, random_state=SEED,
        synthetic_view=False,
    )  # fmt: skip
    assert "class_weight" not in result.table.index
    assert "none" in result.table.index and "smote" in result.table.index
    assert any("class" in note and "weight" in note for note in result.notes)
