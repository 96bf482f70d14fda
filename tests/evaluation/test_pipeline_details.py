"""ResampledClassifier behaviours in detail: weighted scores, and the input and
classifier tags it takes from its estimator and its sampler."""

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.naive_bayes import GaussianNB
from sklearn.svm import LinearSVC
from sklearn.utils import get_tags

from smotekit import SMOTE, RandomOverSampler
from smotekit.evaluation import ResampledClassifier


def _data():
    rng = np.random.RandomState(0)
    y = np.r_[np.zeros(40, int), np.ones(12, int)]
    X = rng.normal(size=(len(y), 2)) + y[:, None] * 1.2
    return X, y


def test_score_weighs_the_test_rows_by_sample_weight():
    X, y = _data()
    model = ResampledClassifier(SMOTE(random_state=0), LogisticRegression()).fit(X, y)
    pred = model.predict(X)
    weight = np.where(pred == y, 1.0, 5.0)  # the mistakes count five times
    weighted = model.score(X, y, sample_weight=weight)
    assert weighted == pytest.approx(accuracy_score(y, pred, sample_weight=weight))
    assert weighted < model.score(X, y) == pytest.approx(accuracy_score(y, pred))


class _PlainSampler:
    """A sampler without scikit-learn tags (no ``fit``): nothing is known of
    what input it takes."""

    def fit_resample(self, X, y):
        return X, y


@pytest.mark.parametrize(
    ("sampler", "estimator", "sparse"),
    [
        (SMOTE(), LogisticRegression(), True),
        (SMOTE(), GaussianNB(), False),  # the estimator refuses sparse input
        (_PlainSampler(), LogisticRegression(), True),
    ],
)
def test_sparse_input_is_taken_when_both_parts_take_it(sampler, estimator, sparse):
    assert get_tags(ResampledClassifier(sampler, estimator)).input_tags.sparse is sparse


@pytest.mark.parametrize(
    ("sampler", "estimator", "allow_nan"),
    [
        (RandomOverSampler(), HistGradientBoostingClassifier(), True),
        (SMOTE(), HistGradientBoostingClassifier(), False),  # SMOTE refuses NaN
        (RandomOverSampler(), LogisticRegression(), False),
        # a sampler without tags is not known to take NaN
        (_PlainSampler(), HistGradientBoostingClassifier(), False),
    ],
)
def test_missing_values_are_taken_when_both_parts_take_them(
    sampler, estimator, allow_nan
):
    tags = get_tags(ResampledClassifier(sampler, estimator))
    assert tags.input_tags.allow_nan is allow_nan


class _BinaryOnly(LogisticRegression):
    """A classifier whose tags say it handles two classes only."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags


def test_a_binary_only_estimator_makes_a_binary_only_wrapper():
    binary = ResampledClassifier(SMOTE(), _BinaryOnly())
    assert get_tags(binary).classifier_tags.multi_class is False
    multi = ResampledClassifier(SMOTE(), LogisticRegression())
    assert get_tags(multi).classifier_tags.multi_class is True


def test_methods_follow_the_fitted_estimator_until_the_next_fit():
    # set_params(estimator=...) after fit: predict_proba stays that of the
    # fitted model, until fit makes the new one the fitted one
    X, y = _data()
    model = ResampledClassifier(SMOTE(random_state=0), LogisticRegression()).fit(X, y)
    model.set_params(estimator=LinearSVC())
    assert hasattr(model, "predict_proba")
    assert model.predict_proba(X).shape == (len(y), 2)
    model.fit(X, y)
    assert not hasattr(model, "predict_proba")
    assert hasattr(model, "decision_function")
