"""BorderlineSMOTE draws every (seed, neighbour) pair, uniformly."""

import numpy as np
import pytest
from reference_knn import nearest_others
from sklearn.datasets import make_classification

from smotekit import BorderlineSMOTE
from smotekit._random import make_root_entropy, stream_key
from smotekit.over_sampling._borderline import draw_borderline

KINDS = ["borderline-1", "borderline-2"]


@pytest.mark.parametrize("n_seeds, k", [(1, 2), (2, 1), (3, 4)])
def test_draw_borderline_reaches_every_pair_of_the_table(n_seeds, k):
    key = stream_key(make_root_entropy(0), 0, 0)
    seeds = np.arange(n_seeds)
    table = 100 + np.arange(n_seeds * k).reshape(n_seeds, k)  # distinct neighbours
    p = draw_borderline(key, 0, 400 * n_seeds * k, seeds, table, np.float64, None)
    pairs = set(zip(p.parent.tolist(), p.neighbor.tolist(), strict=True))
    expected = {(s, int(table[s, c])) for s in range(n_seeds) for c in range(k)}
    assert pairs == expected
    # uniform: each pair about 1 / (n_seeds * k) of the rows
    _, counts = np.unique(p.neighbor, return_counts=True)
    assert counts.min() > 0.7 * 400 and counts.max() < 1.3 * 400


@pytest.mark.parametrize("kind", KINDS)
def test_every_danger_seed_and_each_of_its_neighbours_are_used(kind):
    X, y = make_classification(
        n_samples=300, n_features=3, n_informative=3, n_redundant=0,
        weights=[0.85], class_sep=0.7, random_state=1,
    )  # fmt: skip
    n_minority = int((y == 1).sum())
    sampler = BorderlineSMOTE(
        kind=kind, k_neighbors=3, random_state=0,
        sampling_strategy={1: n_minority + 20_000},
    )  # fmt: skip
    sampler.fit_resample(X, y)
    danger = sampler.in_danger_indices_[1]
    assert 1 < danger.size
    candidates = np.arange(len(y)) if kind == "borderline-2" else np.flatnonzero(y == 1)
    table = nearest_others(X, danger, 3, candidates)
    expected = {
        (int(s), int(n)) for s, row in zip(danger, table, strict=True) for n in row
    }
    p = sampler.provenance_
    assert set(zip(p.parent.tolist(), p.neighbor.tolist(), strict=True)) == expected
