"""Under-samplers in detail: the rows RandomUnderSampler keeps are the
documented draw of each class's own stream, a sample next to an identical
pair is in no Tomek link, and is_tomek takes one text label whole."""

import numpy as np

from smotekit import RandomUnderSampler, TomekLinks
from smotekit._random import make_root_entropy, stream_key
from smotekit.under_sampling._random_under import SELECT, random_keys


def test_kept_rows_are_the_smallest_keys_of_the_class_stream():
    # class at sorted position i reads stream (SELECT, i); row j of the class
    # reads word j, and the n_keep rows with the smallest words are kept
    y = np.array([2] * 30 + [0] * 25 + [1] * 6 + [0] * 5)
    X = np.arange(len(y), dtype=float).reshape(-1, 1)
    rus = RandomUnderSampler(random_state=11)
    rus.fit_resample(X, y)
    entropy = make_root_entropy(11)
    expected = [np.flatnonzero(y == 1)]
    for position, cls in enumerate([0, 1, 2]):
        if cls == 1:
            continue
        rows = np.flatnonzero(y == cls)
        keys = random_keys(stream_key(entropy, SELECT, position), len(rows))
        expected.append(rows[np.sort(np.argsort(keys, kind="stable")[:6])])
    assert rus.sample_indices_.tolist() == np.sort(np.concatenate(expected)).tolist()


def test_a_sample_next_to_an_identical_pair_is_in_no_link():
    # the two class-0 samples at 0 are each other's nearest (distance 0):
    # the class-1 sample at 0.5 has them nearest, but they do not have it
    X = np.array([[0.0], [0.0], [0.5], [10.0], [11.0], [30.0]])
    y = np.array([0, 0, 1, 1, 1, 0])
    tl = TomekLinks(sampling_strategy="all")
    tl.fit_resample(X, y)
    assert tl.sample_indices_.tolist() == [0, 1, 2, 3, 4, 5]


def test_is_tomek_takes_a_text_label_whole():
    y = ["ab", "cd", "cd"]
    marked = TomekLinks.is_tomek(y, [1, 0, 1], class_type="ab")
    assert marked.tolist() == [True, False, False]
    marked = TomekLinks.is_tomek(y, [1, 0, 1], class_type="cd")
    assert marked.tolist() == [False, True, False]
