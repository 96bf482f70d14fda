"""ResampledClassifier and fit metadata: refused clearly, never dropped."""

import numpy as np
import pytest
import sklearn
from sklearn.datasets import make_classification
from sklearn.exceptions import UnsetMetadataPassedError
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, make_scorer
from sklearn.model_selection import cross_validate

from smotekit import SMOTE
from smotekit.evaluation import ResampledClassifier


@pytest.fixture
def data():
    X, y = make_classification(n_samples=200, weights=[0.85], random_state=0)
    return X, y, np.where(y == 1, 50.0, 0.01)


def model(request=None):
    estimator = LogisticRegression()
    if request is not None:
        with sklearn.config_context(enable_metadata_routing=True):
            estimator.set_fit_request(sample_weight=request)
    return ResampledClassifier(SMOTE(random_state=0), estimator)


def test_fit_parameters_are_refused_with_the_ways_to_weight(data):
    X, y, weights = data
    with pytest.raises(TypeError) as info:
        model().fit(X, y, sample_weight=weights)
    text = str(info.value)
    assert text.startswith(
        "ResampledClassifier.fit takes no fit parameters; got sample_weight. The "
        "sampler adds synthetic rows, which have no weight"
    )
    assert "give the estimator class_weight" in text
    assert "pass sample_weight to score or to the scorer" in text
    assert not hasattr(model(), "estimator_")


def test_a_fit_request_of_the_estimator_is_refused_not_dropped(data):
    X, y, weights = data
    scorer = make_scorer(accuracy_score)
    with sklearn.config_context(enable_metadata_routing=True):
        scorer.set_score_request(sample_weight=True)
        with pytest.raises(
            TypeError, match="takes no fit parameters; got sample_weight"
        ):
            cross_validate(
                model(request=True), X, y, scoring=scorer, cv=3,
                params={"sample_weight": weights}, error_score="raise",
            )  # fmt: skip
        with pytest.raises(UnsetMetadataPassedError, match=r"LogisticRegression\.fit"):
            cross_validate(
                ResampledClassifier(SMOTE(random_state=0), LogisticRegression()),
                X, y, scoring=scorer, cv=3, params={"sample_weight": weights},
                error_score="raise",
            )  # fmt: skip
        # not requested: the weights reach the scorer only
        weighted = cross_validate(
            model(request=False), X, y, scoring=scorer, cv=3,
            params={"sample_weight": weights},
        )["test_score"]  # fmt: skip
    # the same as fitting without the weights and scoring with them
    folds = cross_validate(model(), X, y, cv=3, return_indices=True)["indices"]
    unweighted_fit = []
    for train, test in zip(folds["train"], folds["test"], strict=True):
        fitted = model().fit(X[train], y[train])
        predicted = fitted.predict(X[test])
        unweighted_fit.append(
            accuracy_score(y[test], predicted, sample_weight=weights[test])
        )
    np.testing.assert_allclose(weighted, unweighted_fit)


def test_routing_sends_the_estimator_fit_request_to_fit():
    with sklearn.config_context(enable_metadata_routing=True):
        routing = model(request=True).get_metadata_routing()
        routed = routing.route_params(caller="fit", params={"sample_weight": [1]})
        assert dict(routed.estimator.fit) == {"sample_weight": [1]}
        routing = model(request=False).get_metadata_routing()
        routed = routing.route_params(caller="fit", params={"sample_weight": [1]})
        assert dict(routed.estimator.fit) == {}
