"""The random streams' draws: no float32 gap rounded up to 1, the documented
word of each bootstrap row, one stream per class."""

import numpy as np
import pytest

from smotekit import SMOTE, RandomOverSampler, _draws
from smotekit._random import make_root_entropy, stream_key, uniform_words


def test_float32_gaps_stay_below_one(monkeypatch):
    # a word whose top 53 bits are all set is 1 - 2**-53, 1.0 in float32
    def top_words(key, start, stop, words_per_row=2):
        return np.full((stop - start, words_per_row), 2**64 - 1, dtype=np.uint64)

    monkeypatch.setattr(_draws, "uniform_words", top_words)
    key = stream_key(make_root_entropy(0), 0, 0)
    nn = np.array([[1], [0]])
    p = _draws.draw_pairs(key, 0, 8, nn, np.array([3, 4]), np.float32)
    assert p.gap.dtype == np.float32
    assert (p.gap < 1).all()
    assert (p.gap == np.nextafter(np.float32(1), np.float32(0))).all()


@pytest.mark.parametrize(("start", "stop"), [(0, 37), (5, 23), (8190, 8200)])
def test_bootstrap_reads_one_word_per_row(start, stop):
    # draw_bootstrap's documented draw: rows[words[r] % len(rows)], one word a
    # row (the layout RandomUnderSampler's keys share)
    key = stream_key(make_root_entropy(3), 0, 2)
    rows = np.array([2, 7, 11, 19, 23])
    words = uniform_words(key, start, stop, words_per_row=1)[:, 0]
    p = _draws.draw_bootstrap(key, start, stop, rows)
    np.testing.assert_array_equal(p.parent, rows[(words % np.uint64(5)).astype(int)])


def test_every_class_has_its_own_stream():
    entropy = make_root_entropy(0)
    keys = {stream_key(entropy, purpose, c) for purpose in (0, 1) for c in range(4)}
    assert len(keys) == 8


def _two_twin_minorities(n_minor=30, n_major=200, seed=0):
    rng = np.random.default_rng(seed)
    minor = rng.normal(size=(n_minor, 3))
    # classes 1 and 2: the same rows (shifted), the same size and order
    X = np.vstack([rng.normal(size=(n_major, 3)), minor, minor + 10.0])
    y = np.array([0] * n_major + [1] * n_minor + [2] * n_minor)
    return X, y


def test_smote_classes_of_the_same_shape_get_different_draws():
    X, y = _two_twin_minorities()
    sampler = SMOTE(random_state=0)
    _, y_res = sampler.fit_resample(X, y)
    p, n = sampler.provenance_, len(y)
    gap1, gap2 = p.gap[y_res[n:] == 1], p.gap[y_res[n:] == 2]
    assert len(gap1) == len(gap2) == 170
    assert not np.array_equal(gap1, gap2)
    # the same (seed, neighbour) positions in both classes would be a shared stream
    par1 = p.parent[y_res[n:] == 1] - 200
    par2 = p.parent[y_res[n:] == 2] - 230
    assert (par1 != par2).mean() > 0.5


def test_random_over_sampler_classes_get_different_copies_and_noise():
    X, y = _two_twin_minorities()
    sampler = RandomOverSampler(random_state=0, shrinkage=1.0)
    _, y_res = sampler.fit_resample(X, y)
    p, n = sampler.provenance_, len(y)
    first, second = y_res[n:] == 1, y_res[n:] == 2
    assert (p.parent[first] - 200 != p.parent[second] - 230).mean() > 0.5
    noise1, noise2 = p.noise[first], p.noise[second]
    # each class's noise its own draw: uncorrelated, not equal
    corr = np.corrcoef(noise1[:, 0], noise2[:, 0])[0, 1]
    assert abs(corr) < 0.3
