"""RandomOverSampler / RandomUnderSampler in detail: the
bandwidth formula, each class's own streams, the sparse noise sign, every row
reachable by a draw with replacement, and the index dtype's limit."""

import numpy as np
import pytest
from scipy import sparse

from smotekit import RandomOverSampler, RandomUnderSampler
from smotekit._draws import draw_normal
from smotekit._provenance import index_dtype
from smotekit._random import make_root_entropy, stream_key
from smotekit.over_sampling._random_over import smoothing_scale


@pytest.mark.parametrize("d", [1, 2, 5])
def test_smoothing_scale_is_imblearns_rule_of_thumb(d):
    # imbalanced-learn: shrinkage * (4 / ((d + 2) n)) ** (1 / (d + 4)) * std
    rng = np.random.default_rng(d)
    X = rng.normal(size=(40, d)) * np.arange(1, d + 1)
    h = (4 / ((d + 2) * 300)) ** (1 / (d + 4))
    np.testing.assert_allclose(
        smoothing_scale(X, 300, 1.5), 1.5 * h * X.std(axis=0), rtol=1e-12
    )


def _imbalanced(n_major=200, n_minor=30, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_major + n_minor, 3)) * [1.0, 4.0, 0.5]
    y = np.array([0] * n_major + [1] * n_minor)
    return X, y


def test_shrinkage_noise_is_read_from_the_noise_stream_of_the_class():
    # purpose 1 (noise), class position 1: counter i gives row i's noise
    X, y = _imbalanced()
    sampler = RandomOverSampler(random_state=7, shrinkage=0.8)
    sampler.fit_resample(X, y)
    key = stream_key(make_root_entropy(7), 1, 1)
    scale = smoothing_scale(X[y == 1], len(y), 0.8)
    expected = draw_normal(key, 0, 170, 3) * scale
    np.testing.assert_allclose(sampler.provenance_.noise, expected, rtol=1e-12)


def test_sparse_smoothed_bootstrap_equals_the_dense_one():
    X, y = _imbalanced()
    X[np.abs(X) < 0.5] = 0.0
    dense = RandomOverSampler(random_state=0, shrinkage=1.0).fit_resample(X, y)[0]
    X_sparse = sparse.csr_matrix(X)
    sampler = RandomOverSampler(random_state=0, shrinkage=1.0)
    X_res = sampler.fit_resample(X_sparse, y)[0]
    np.testing.assert_allclose(X_res.toarray(), dense, rtol=1e-12, atol=1e-15)


def test_under_sampling_with_replacement_reaches_every_row():
    # a class of two rows kept at two: over seeds, each row is drawn
    X = np.arange(8.0).reshape(4, 2)
    y = np.array([0, 0, 1, 1])
    seen = set()
    for seed in range(40):
        rus = RandomUnderSampler(
            sampling_strategy={0: 2}, replacement=True, random_state=seed
        )
        rus.fit_resample(X, y)
        seen |= set(rus.sample_indices_[np.isin(rus.sample_indices_, [0, 1])])
    assert seen == {0, 1}


def test_under_sampled_classes_of_the_same_size_get_their_own_draws():
    # classes 0 and 1 alike in size: the rows kept of each are drawn apart
    y = np.array([0] * 100 + [1] * 100 + [2] * 10)
    X = np.arange(len(y), dtype=float).reshape(-1, 1)
    rus = RandomUnderSampler(random_state=0)
    rus.fit_resample(X, y)
    kept = rus.sample_indices_
    first, second = kept[kept < 100], kept[(kept >= 100) & (kept < 200)] - 100
    assert len(first) == len(second) == 10
    assert set(first.tolist()) != set(second.tolist())


def test_index_dtype_is_int64_from_two_to_the_31_rows():
    assert index_dtype(2**31 - 1) == np.int32
    assert index_dtype(2**31 + 1) == np.int64
    assert index_dtype(2**32 - 1) == np.int64
