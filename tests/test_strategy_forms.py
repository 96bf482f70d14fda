"""sampling_strategy in detail: bool counts in a dict, the largest count
allowed, an array of classes to clean, counts given in any order, keys that
are labels as text."""

import numpy as np
import pytest

from smotekit._strategy import (
    MAX_CLASS_COUNT,
    resolve_over_sampling_from_counts,
    resolve_sampling_strategy,
)
from smotekit.exceptions import SamplingStrategyTypeError

Y = np.array([0] * 7 + [1] * 3)


@pytest.mark.parametrize("flag", [True, np.True_])
def test_bool_final_count_in_dict_is_refused_as_a_type(flag):
    # True is an Integral: without the bool check it would ask for 1 sample
    # of a class of 1 and silently generate nothing
    y = np.array([0] * 5 + [1])
    with pytest.raises(
        SamplingStrategyTypeError, match=r"maps to (np\.)?True_? \(bool"
    ):
        resolve_sampling_strategy({1: flag}, y)


def test_final_count_of_exactly_the_largest_is_accepted():
    # the message says "at most 2**62": 2**62 itself is allowed, one more is not
    assert dict(resolve_sampling_strategy({1: MAX_CLASS_COUNT}, Y)) == {
        1: MAX_CLASS_COUNT - 3
    }
    with pytest.raises(ValueError, match=r"at most 2\*\*62"):
        resolve_sampling_strategy({1: MAX_CLASS_COUNT + 1}, Y)


@pytest.mark.parametrize("classes", [np.array([1]), (1,), [np.int64(1)]])
def test_cleaning_classes_as_array_or_tuple(classes):
    got = resolve_sampling_strategy(classes, Y, sampling_type="clean-sampling")
    assert dict(got) == {1: 3}


def test_counts_in_any_order_resolve_as_the_labels_do():
    # ties are broken by sorted class order, and the result is in class order,
    # whatever order the counts come in
    y = np.array([2] * 10 + [1] * 10 + [0] * 50 + [3] * 20)
    counts = {2: 10, 3: 20, 1: 10, 0: 50}
    for strategy in ("minority", "auto", "not minority", "all"):
        from_counts = resolve_over_sampling_from_counts(strategy, counts)
        from_labels = resolve_sampling_strategy(strategy, y)
        assert list(from_counts.items()) == list(from_labels.items()), strategy
    assert dict(resolve_over_sampling_from_counts("minority", counts)) == {1: 40}


def test_integer_key_for_text_label_gets_the_same_text_hint():
    y = np.array(["0"] * 7 + ["1"] * 3)
    with pytest.raises(ValueError, match=r"The key 1 \(int\) is the label '1' \(str\)"):
        resolve_sampling_strategy({1: 5}, y)
    with pytest.raises(ValueError, match=r"The key 1 \(int\) is the label '1' \(str\)"):
        resolve_sampling_strategy({1: 2}, y, sampling_type="under-sampling")
