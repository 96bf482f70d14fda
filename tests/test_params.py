"""Each class's parameter names, read once: the same as scikit-learn's."""

import inspect

import pytest
from sklearn.base import BaseEstimator, clone

import smotekit
import smotekit.dask as skdask
from smotekit import SMOTE, ExactNeighbors
from smotekit._params import CachedParamNames


def _sklearn_names(cls):
    """``BaseEstimator._get_param_names`` itself, read from the signature."""
    return BaseEstimator._get_param_names.__func__(cls)


def _estimator_classes():
    found = []
    for module in (smotekit, skdask):
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) and issubclass(obj, BaseEstimator):
                found.append(obj)
    return found


@pytest.mark.parametrize(
    "cls", _estimator_classes(), ids=lambda c: c.__module__ + "." + c.__name__
)
def test_every_estimator_keeps_scikit_learns_parameter_names(cls):
    assert issubclass(cls, CachedParamNames)
    # before BaseEstimator in the order, or its names are never used
    mro = cls.__mro__
    assert mro.index(CachedParamNames) < mro.index(BaseEstimator)
    want = _sklearn_names(cls)
    assert want == sorted(inspect.signature(cls.__init__).parameters.keys() - {"self"})
    assert cls._get_param_names() == want
    assert cls._get_param_names() == want  # from the cache


def test_the_cached_names_cannot_be_changed_through_the_returned_list():
    names = SMOTE._get_param_names()
    names.append("nonsense")
    names.remove("k_neighbors")
    assert "k_neighbors" in SMOTE._get_param_names()
    assert "nonsense" not in SMOTE._get_param_names()
    assert set(SMOTE().get_params()) == set(_sklearn_names(SMOTE))


def test_a_subclass_with_its_own_init_has_its_own_names():
    SMOTE._get_param_names()  # the parent's names cached first

    class Wider(SMOTE):
        def __init__(self, *, extra=3, k_neighbors=5, random_state=None):
            super().__init__(k_neighbors=k_neighbors, random_state=random_state)
            self.extra = extra

    class Same(SMOTE):
        pass

    assert Wider._get_param_names() == ["extra", "k_neighbors", "random_state"]
    assert Wider(extra=7).get_params() == {
        "extra": 7,
        "k_neighbors": 5,
        "random_state": None,
    }
    copy = clone(Wider(extra=9, random_state=1))
    assert (copy.extra, copy.random_state) == (9, 1)
    assert Same._get_param_names() == SMOTE._get_param_names()
    assert "extra" not in SMOTE._get_param_names()


def test_nested_parameters_are_listed_and_set_as_before():
    smote = SMOTE(k_neighbors=ExactNeighbors(n_neighbors=4))
    params = smote.get_params(deep=True)
    assert params["k_neighbors__n_neighbors"] == 4
    smote.set_params(k_neighbors__n_neighbors=7)
    assert smote.k_neighbors.n_neighbors == 7
    with pytest.raises(ValueError, match="Invalid parameter 'nope'"):
        smote.set_params(nope=1)
