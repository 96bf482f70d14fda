"""Each fold keeps the warnings of its own thread, and the process's warning
state comes back as it was, however the folds' threads overlap."""

import threading
import warnings

import numpy as np
import pytest
from joblib import parallel_config
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from smotekit.evaluation import compare_strategies
from smotekit.evaluation._fold_warnings import fold_warnings, folds_running


def _state():
    return list(warnings.filters), warnings.showwarning


def test_overlapping_callers_leave_the_state_they_found():
    # A enters, B enters, A leaves, B leaves: with a catch_warnings each, B
    # put back the "always" filter A had installed
    before = _state()
    steps = [threading.Event() for _ in range(3)]

    def first():
        with folds_running():
            steps[0].set()
            steps[1].wait()
        steps[2].set()

    thread = threading.Thread(target=first)
    thread.start()
    steps[0].wait()
    with folds_running():
        steps[1].set()
        steps[2].wait()  # A has left; the state stays while B runs
        assert warnings.filters[0][0] == "always"
    thread.join()
    assert _state() == before


def test_each_fold_keeps_the_warnings_of_its_thread():
    barrier = threading.Barrier(2)
    caught = {}

    def fold(name):
        with fold_warnings() as mine:
            barrier.wait()  # both folds are inside at once
            for _ in range(2):  # "always": kept twice
                warnings.warn(f"from {name}", UserWarning, stacklevel=1)
            barrier.wait()
        caught[name] = mine

    with folds_running():
        threads = [threading.Thread(target=fold, args=(n,)) for n in "ab"]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        # a warning outside any fold is shown as before, not kept
        with pytest.warns(RuntimeWarning, match="outside"):
            warnings.warn("outside", RuntimeWarning, stacklevel=1)
    assert caught == {n: [f"UserWarning: from {n}"] * 2 for n in "ab"}


def test_without_a_caller_a_fold_records_on_its_own():
    before = _state()
    with fold_warnings() as caught:
        warnings.warn("alone", FutureWarning, stacklevel=1)
    assert caught == ["FutureWarning: alone"]
    assert _state() == before


@pytest.mark.parametrize("backend", ["threading", "sequential"])
def test_the_comparison_on_threads_counts_warnings_and_leaves_no_filter(backend):
    X, y = make_classification(n_samples=300, weights=[0.9], random_state=0)
    before = _state()
    with parallel_config(backend=backend, n_jobs=2):
        result = compare_strategies(
            X * 100, y, strategies=["none", "smote", "class_weight"],
            model=LogisticRegression(max_iter=2), cv=3, n_repeats=2,
            random_state=0, synthetic_view=False,
        )  # fmt: skip
    assert _state() == before
    notes = [n for n in result.notes if "ConvergenceWarning" in n]
    # each strategy's fits each warn once: counted once per fit, six fits
    assert len(notes) == 3 and all(n.endswith("(6 of 6 fits).") for n in notes)
    assert np.isfinite(result.table[("pr_auc", "mean")]).all()
