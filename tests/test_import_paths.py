"""Drop-in imports: a class smotekit shares with imbalanced-learn is found
under the same module path (``imblearn.X`` -> ``smotekit.X``)."""

import importlib

import pytest

import smotekit

imblearn = pytest.importorskip("imblearn")

MODULES = ["over_sampling", "under_sampling", "combine"]


def _shared_names():
    for module in MODULES:
        theirs = importlib.import_module(f"imblearn.{module}")
        for name in theirs.__all__:
            if name in smotekit.__all__:
                yield module, name


@pytest.mark.parametrize(("module", "name"), list(_shared_names()))
def test_shared_class_is_found_where_imbalanced_learn_has_it(module, name):
    ours = importlib.import_module(f"smotekit.{module}")
    assert name in ours.__all__
    assert getattr(ours, name) is getattr(smotekit, name)
    namespace = {}
    exec(f"from smotekit.{module} import *", namespace)
    assert namespace[name] is getattr(smotekit, name)


def test_the_categorical_samplers_are_among_them():
    shared = {name for _, name in _shared_names()}
    assert {"SMOTENC", "SMOTEN", "SMOTE", "TomekLinks", "SMOTEENN"} <= shared
