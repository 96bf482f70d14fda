"""Shared test fixtures: the registry of public samplers and seeded data sets.

``SAMPLERS`` lists one instance per public sampler configuration worth
checking on its own. Adding a sampler here runs it through every common check
(``test_common.py``) and the scikit-learn / imbalanced-learn estimator checks
(``test_estimator_checks.py``).

Test modules get the samplers through the ``sampler`` fixture (a fresh clone
per test) or the ``sampler_checks`` marker, never by importing this file:
several test folders have a ``conftest.py``, so ``import conftest`` is
ambiguous.
"""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification

from smotekit import (
    ADASYN,
    SMOTE,
    SVMSMOTE,
    BorderlineSMOTE,
    KMeansSMOTE,
    RandomOverSampler,
)

#: Every public sampler, in the configurations the common checks cover.
SAMPLERS = [
    SMOTE(),
    RandomOverSampler(),
    RandomOverSampler(shrinkage=0.5),
    BorderlineSMOTE(),
    BorderlineSMOTE(kind="borderline-2"),
    ADASYN(),
    SVMSMOTE(),
    KMeansSMOTE(),
]

#: Seed used wherever a check needs a reproducible sampler.
SEED = 42


def sampler_id(sampler):
    """Test id of a sampler instance: its repr without spaces."""
    return "".join(repr(sampler).split())


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "sampler_checks(make_parametrize, expected_failed_checks=None): "
        "parametrize 'estimator, check' with make_parametrize(SAMPLERS, ...), "
        "e.g. scikit-learn's parametrize_with_checks",
    )


def pytest_generate_tests(metafunc):
    """Expand the ``sampler_checks`` marker over seeded copies of ``SAMPLERS``.

    Several estimator checks fit twice and compare, so the instances get a
    fixed ``random_state`` (as imbalanced-learn does for its own checks).
    """
    marker = metafunc.definition.get_closest_marker("sampler_checks")
    if marker is None:
        return
    (make_parametrize,) = marker.args
    seeded = [clone(s).set_params(random_state=SEED) for s in SAMPLERS]
    mark = make_parametrize(seeded, **marker.kwargs).mark
    argnames, argvalues = mark.args
    metafunc.parametrize(argnames, list(argvalues), **mark.kwargs)


@pytest.fixture(params=SAMPLERS, ids=sampler_id)
def sampler(request):
    """A fresh, unfitted clone of each registered sampler, seeded."""
    return clone(request.param).set_params(random_state=SEED)


def _classification(n_samples, n_features, weights, random_state):
    X, y = make_classification(
        n_samples=n_samples,
        n_features=n_features,
        n_informative=3,
        n_redundant=1,
        n_classes=len(weights) + 1,
        weights=list(weights),
        random_state=random_state,
    )
    return X, y


@pytest.fixture
def make_data():
    """Factory of seeded classification data sets.

    ``make_data(kind)`` returns ``(X, y)`` with float64 X and int64 y:

    * ``"binary"``: 120 samples, 4 features, classes {0: 96, 1: 24};
    * ``"multiclass"``: 300 samples, 5 features, classes {0: 181, 1: 89, 2: 30}.
    """

    def make(kind="multiclass", random_state=0):
        if kind == "binary":
            return _classification(120, 4, (0.8,), random_state)
        if kind == "multiclass":
            return _classification(300, 5, (0.6, 0.3), random_state)
        raise ValueError(f"unknown data kind {kind!r}")

    return make


@pytest.fixture
def binary_data(make_data):
    """Seeded binary data: 96 samples of class 0, 24 of class 1."""
    return make_data("binary")


@pytest.fixture
def multiclass_data(make_data):
    """Seeded 3-class data: 181, 89 and 30 samples of classes 0, 1, 2."""
    return make_data("multiclass")


@pytest.fixture
def rng():
    """A seeded generator for test-local randomness."""
    return np.random.default_rng(0)
