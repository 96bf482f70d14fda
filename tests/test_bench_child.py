"""The benchmark reports the neighbour search a sampler's estimator used."""

import sys
from pathlib import Path

import numpy as np

from smotekit import SMOTE

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from _bench_child import neighbour_method


def _fitted(n_minority, n_features):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n_minority * 4, n_features))
    y = np.r_[np.ones(n_minority, dtype=int), np.zeros(n_minority * 3, dtype=int)]
    sampler = SMOTE(random_state=0)
    sampler.fit_resample(X, y)
    return sampler


def test_the_reported_method_is_the_one_searched_without_deciding_one():
    small = _fitted(100, 12)  # 10,000 pairs: every pair, no route
    assert neighbour_method(small) == "every pair"
    assert "_route" not in vars(small.nn_k_)  # reporting decided nothing
    assert neighbour_method(_fitted(3000, 12)) == "brute"
    assert neighbour_method(_fitted(3000, 2)) == "kd_tree"
