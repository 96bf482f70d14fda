"""Shared test fixtures: the registry of public samplers and seeded data sets.

``SAMPLERS`` lists one instance per public sampler configuration worth
checking on its own. Adding a sampler here runs it through every common check
(``test_common.py``) and the scikit-learn / imbalanced-learn estimator checks
(``test_estimator_checks.py``).

Test modules get the samplers through the ``sampler`` fixture (a fresh clone
per test), the per-kind fixtures (``over_sampler``, ``under_sampler``,
``cleaning_sampler``, ``combined_sampler``, ``random_sampler``) or the
``sampler_checks`` marker, never by importing this file: several test folders
have a ``conftest.py``, so ``import conftest`` is ambiguous.
"""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification

from smotekit import (
    ADASYN,
    SMOTE,
    SMOTEENN,
    SMOTEN,
    SVMSMOTE,
    BorderlineSMOTE,
    EditedNearestNeighbours,
    KMeansSMOTE,
    RandomOverSampler,
    RandomUnderSampler,
    SMOTETomek,
    TomekLinks,
)
from smotekit.base import BaseOverSampler
from smotekit.combine import BaseCombinedSampler
from smotekit.under_sampling import BaseCleaningSampler, BaseUnderSampler

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
    RandomUnderSampler(),
    RandomUnderSampler(replacement=True),
    TomekLinks(),
    EditedNearestNeighbours(),
    EditedNearestNeighbours(kind_sel="mode"),
    SMOTEENN(),
    SMOTETomek(),
    SMOTEN(),
]

#: Seed used wherever a check needs a reproducible sampler.
SEED = 42


def sampler_id(sampler):
    """Test id of a sampler instance: its repr without spaces."""
    return "".join(repr(sampler).split())


def sampler_kind(sampler):
    """``'over'``, ``'under'`` (random), ``'clean'`` or ``'combine'``."""
    if isinstance(sampler, BaseCombinedSampler):
        return "combine"
    if isinstance(sampler, BaseCleaningSampler):
        return "clean"
    if isinstance(sampler, BaseUnderSampler):
        return "under"
    assert isinstance(sampler, BaseOverSampler), sampler
    return "over"


def seeded(sampler):
    """A fresh clone, with ``random_state=SEED`` if the sampler has one.

    Cleaning samplers have no ``random_state``: their result is deterministic.
    """
    sampler = clone(sampler)
    if "random_state" in sampler.get_params(deep=False):
        sampler.set_params(random_state=SEED)
    return sampler


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
    mark = make_parametrize([seeded(s) for s in SAMPLERS], **marker.kwargs).mark
    argnames, argvalues = mark.args
    metafunc.parametrize(argnames, list(argvalues), **mark.kwargs)


@pytest.fixture(params=SAMPLERS, ids=sampler_id)
def sampler(request):
    """A fresh, unfitted clone of each registered sampler, seeded."""
    return seeded(request.param)


def _samplers_of_kind(*kinds):
    return [s for s in SAMPLERS if sampler_kind(s) in kinds]


@pytest.fixture(params=_samplers_of_kind("over"), ids=sampler_id)
def over_sampler(request):
    """Each registered over-sampler, seeded."""
    return seeded(request.param)


@pytest.fixture(params=_samplers_of_kind("under"), ids=sampler_id)
def under_sampler(request):
    """Each registered under-sampler with a target count (RandomUnderSampler)."""
    return seeded(request.param)


@pytest.fixture(params=_samplers_of_kind("clean"), ids=sampler_id)
def cleaning_sampler(request):
    """Each registered cleaning sampler (TomekLinks, EditedNearestNeighbours)."""
    return seeded(request.param)


@pytest.fixture(params=_samplers_of_kind("under", "clean"), ids=sampler_id)
def under_or_cleaning_sampler(request):
    """Each registered sampler that only removes rows (random or cleaning)."""
    return seeded(request.param)


@pytest.fixture(params=_samplers_of_kind("combine"), ids=sampler_id)
def combined_sampler(request):
    """Each registered over-sample-then-clean combination, seeded."""
    return seeded(request.param)


@pytest.fixture(
    params=[s for s in SAMPLERS if "random_state" in s.get_params(deep=False)],
    ids=sampler_id,
)
def random_sampler(request):
    """Each registered sampler that draws at random (has ``random_state``)."""
    return seeded(request.param)


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
