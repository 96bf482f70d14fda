"""SVMSMOTE: the danger/safe split and the stratified fit sample, exactly
as documented."""

import numpy as np
import pytest
from scipy.special import betaincinv
from sklearn.datasets import make_classification

from smotekit import SVMSMOTE
from smotekit._random import make_root_entropy, stream_key, to_unit_float, uniform_words
from smotekit.over_sampling import _svm


@pytest.fixture
def data():
    """Overlapping binary data, 10% minority (both danger and safe seeds)."""
    return make_classification(
        n_samples=800, n_features=5, n_informative=3, weights=[0.9],
        class_sep=0.8, random_state=3,
    )  # fmt: skip


def expected_danger_rows(seed, position, n_new):
    """The documented count: ``int(b * (n + 1))``, ``b`` the class's Beta(10, 10)
    draw from its SPLIT stream, capped at n."""
    key = stream_key(make_root_entropy(seed), _svm.SPLIT, position)
    u = to_unit_float(uniform_words(key, 0, 1)[0, :1])[0]
    share = betaincinv(*_svm.DANGER_SHARE_BETA, u)
    return min(int(share * (n_new + 1)), n_new)


@pytest.mark.parametrize("extra", [1, 2, 7, 50])
def test_danger_rows_are_int_b_times_n_plus_one(data, extra):
    X, y = data
    n_minority = int((y == 1).sum())
    for seed in range(12):
        sampler = SVMSMOTE(random_state=seed, sampling_strategy={1: n_minority + extra})
        sampler.fit_resample(X, y)
        danger_seeds = sampler.in_danger_indices_[1]
        safe_seeds = np.setdiff1d(sampler.support_indices_[1], danger_seeds)
        assert danger_seeds.size and safe_seeds.size  # both groups exist
        n_danger = int(np.isin(sampler.provenance_.parent, danger_seeds).sum())
        assert n_danger == expected_danger_rows(seed, 1, extra)


def test_a_single_new_row_grows_from_danger_about_half_the_time(data):
    # int(b * 2) is 1 exactly when b >= 1/2: half the Beta(10, 10) draws
    X, y = data
    n_minority = int((y == 1).sum())
    from_danger = []
    for seed in range(40):
        sampler = SVMSMOTE(random_state=seed, sampling_strategy={1: n_minority + 1})
        sampler.fit_resample(X, y)
        from_danger.append(
            bool(np.isin(sampler.provenance_.parent, sampler.in_danger_indices_[1])[0])
        )
    assert 8 <= sum(from_danger) <= 32


@pytest.mark.parametrize(
    "sizes, n_rows, kept",
    [
        ((9_000, 50), 1_000, (995, 50)),  # 994.5 rounds up; 50 < 200: all
        ((1_001, 999), 1_000, (501, 500)),  # 500.5 and 499.5 both round up
        ((5_400, 600), 1_500, (1_350, 200)),  # exact share; raised to 200
    ],
)
def test_stratified_sample_rounds_each_class_share_up(sizes, n_rows, kept):
    y = np.repeat([0, 1], sizes)
    rows = _svm.stratified_sample(y, np.array([0, 1]), n_rows, make_root_entropy(0))
    assert np.all(np.diff(rows) > 0)
    assert (int((y[rows] == 0).sum()), int((y[rows] == 1).sum())) == kept


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("scale", [1.0, -0.5, -0.3, -1.0])
def test_draw_svm_rows_keep_gaps_strictly_inside_their_bound(monkeypatch, dtype, scale):
    # the largest draw (just below 1) rounds onto the bound in float32: the
    # gaps stay in [0, 1) towards the neighbour and (-out_step, 0] away
    monkeypatch.setattr(_svm, "to_unit_float", lambda w: np.full(len(w), 1 - 2**-53))
    key = stream_key(make_root_entropy(0), 0, 0)
    p = _svm.draw_svm_rows(key, 0, 20, np.array([3]), np.array([[4, 5]]), scale, dtype)
    assert p.gap.dtype == dtype
    if scale > 0:
        assert (p.gap < scale).all() and (p.gap >= 0).all()
    else:
        assert (p.gap > scale).all() and (p.gap <= 0).all()
