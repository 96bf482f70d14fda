"""Counter-based streams: the compiled Philox equals numpy's, word for word."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smotekit import _philox
from smotekit._philox import philox_words
from smotekit._random import StreamKey, make_root_entropy, stream_key, uniform_words

words64 = st.integers(0, 2**64 - 1)


def numpy_philox(key, counter, n_words):
    generator = np.random.Philox(
        key=np.array(key, dtype=np.uint64),
        counter=np.array([counter, 0, 0, 0], dtype=np.uint64),
    )
    return generator.random_raw(n_words)


@given(
    key=st.tuples(words64, words64),
    first=st.one_of(st.integers(0, 2**20), st.integers(2**62, 2**63 - 2**10)),
    n_blocks=st.integers(0, 300),
)
@settings(max_examples=200, deadline=None)
def test_philox_words_equal_numpy_generator(key, first, n_blocks):
    got = philox_words(key, first, n_blocks)
    assert got.dtype == np.uint64 and got.shape == (4 * n_blocks,)
    np.testing.assert_array_equal(got, numpy_philox(key, first, 4 * n_blocks))


def test_philox_words_reject_counters_beyond_range():
    with pytest.raises(ValueError, match=r"Philox counter -1 is out of range"):
        philox_words((1, 2), -1, 4)
    with pytest.raises(ValueError, match=r"2\*\*63 - 8"):
        philox_words((1, 2), 2**63 - 8, 8)


def test_philox_kernel_releases_the_interpreter_lock():
    # the reason for the kernel: the blocks of one draw run on every core
    assert _philox._fill.targetoptions["nogil"] is True


def reference_words(key, start, stop, words_per_row):
    """``uniform_words`` as documented, from numpy's generator."""
    if words_per_row <= 2:
        per_counter = 4 // words_per_row
        whole = numpy_philox(key, 0, -(-stop // per_counter) * 4 + 4)
        return whole.reshape(-1, words_per_row)[start:stop]
    counters = -(-words_per_row // 4)
    whole = numpy_philox(key, 0, stop * counters * 4)
    return whole.reshape(-1, counters * 4)[start:stop]


@given(
    seed=st.integers(0, 2**32 - 1),
    start=st.integers(0, 200),
    length=st.integers(0, 60),
    words_per_row=st.integers(1, 9),
)
@settings(max_examples=150, deadline=None)
def test_uniform_words_read_the_documented_counters(seed, start, length, words_per_row):
    key = stream_key(make_root_entropy(seed), 0, 1)
    assert isinstance(key, StreamKey)
    got = uniform_words(key, start, start + length, words_per_row=words_per_row)
    want = reference_words(key, start, start + length, words_per_row)
    assert got.shape == want.shape
    np.testing.assert_array_equal(got, want)


@given(seed=st.integers(0, 2**32 - 1))
@settings(max_examples=50, deadline=None)
def test_root_entropy_of_an_int_seed_is_its_legacy_generators_draw(seed):
    expected = tuple(
        int(v)
        for v in np.random.RandomState(seed).randint(0, 2**32, size=4, dtype=np.uint64)
    )
    # twice: the second answer comes from the kept ones, and must not differ
    assert make_root_entropy(seed) == expected
    assert make_root_entropy(np.int64(seed)) == expected


def test_root_entropy_advances_a_random_state_and_refuses_bad_seeds():
    rs = np.random.RandomState(3)
    first, second = make_root_entropy(rs), make_root_entropy(rs)
    assert first != second
    assert first == make_root_entropy(3)
    with pytest.raises(ValueError):
        make_root_entropy(-1)
    with pytest.raises(ValueError):
        make_root_entropy(2**32)
