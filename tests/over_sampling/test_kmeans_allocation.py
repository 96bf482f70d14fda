"""KMeansSMOTE's split of a class's samples among clusters: largest
remainders first."""

import numpy as np
import pytest

from smotekit.over_sampling._kmeans import allocate_by_weight


@pytest.mark.parametrize(
    "weights, total, parts",
    [
        ([0.5, 0.25, 0.25], 901, [451, 225, 225]),
        ([0.1, 0.6, 0.3], 7, [1, 4, 2]),  # quotas 0.7, 4.2, 2.1: the 0.7 gets the unit
        ([1.0, 3.0], 5, [1, 4]),  # 1.25 and 3.75: the larger remainder wins
        ([2.0, 1.0, 1.0], 6, [3, 2, 1]),  # ties (1.5 each) go to the lower index
    ],
)
def test_leftover_units_go_to_the_largest_remainders(weights, total, parts):
    assert allocate_by_weight(weights, total).tolist() == parts


def test_each_part_is_its_quota_rounded_down_or_up():
    rng = np.random.default_rng(0)
    for _ in range(200):
        w = rng.random(rng.integers(1, 8))
        total = int(rng.integers(0, 1000))
        parts = allocate_by_weight(w, total)
        quotas = w / w.sum() * total
        assert parts.sum() == total
        assert ((parts == np.floor(quotas)) | (parts == np.floor(quotas) + 1)).all()
        # no part rounded up while a larger remainder was rounded down
        rem = quotas - np.floor(quotas)
        up = parts > np.floor(quotas)
        if up.any() and (~up).any():
            assert rem[up].min() >= rem[~up].max()


def test_clusters_of_identical_samples_of_unequal_sizes_share_by_size():
    # every kept cluster has sparsity 0: they share in proportion to the
    # class's samples in each (20, 10 and 10 copies: 40 new -> 20/10/10)
    from collections import Counter

    from smotekit import KMeansSMOTE

    rng = np.random.default_rng(0)
    spots = np.array([[4.0, 4.0], [-4.0, 4.0], [4.0, -4.0]])
    minority = np.repeat(spots, [20, 10, 10], axis=0)
    X = np.vstack([rng.normal(0, 1, (80, 2)), minority])
    y = np.array([0] * 80 + [1] * 40)
    sampler = KMeansSMOTE(
        random_state=0, kmeans_estimator=4, cluster_balance_threshold=0.1
    )
    _, y_res = sampler.fit_resample(X, y)
    assert Counter(y_res.tolist()) == {0: 80, 1: 80}
    by_spot = Counter(map(tuple, X[sampler.provenance_.parent].tolist()))
    assert by_spot == {(4.0, 4.0): 20, (-4.0, 4.0): 10, (4.0, -4.0): 10}
