"""sampling_strategy resolution: same counts as imbalanced-learn, clear errors."""

import re
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.utils import check_sampling_strategy

from smotekit._strategy import _unique_counts, class_counts, resolve_sampling_strategy

BINARY = np.array([0] * 70 + [1] * 30)
MULTI = np.array(["a"] * 50 + ["b"] * 30 + ["c"] * 20)
TIED = np.array([2] * 10 + [0] * 10 + [1] * 40)

FORMS_BINARY = [
    "auto",
    "minority",
    "not minority",
    "not majority",
    "all",
    0.5,
    1.0,
    0.57,
    {1: 30},
    {1: 55, 0: 90},
    lambda y: {1: int((y == 0).sum())},
]
FORMS_MULTI = [
    "auto",
    "minority",
    "not minority",
    "not majority",
    "all",
    {"b": 40},
    {"a": 60, "c": 21},
    lambda y: {c: 50 for c in np.unique(y)},
]


def _id(strategy):
    return "callable" if callable(strategy) else repr(strategy)


def _imblearn(strategy, y):
    return dict(check_sampling_strategy(strategy, y, "over-sampling"))


@pytest.mark.parametrize("strategy", FORMS_BINARY, ids=_id)
def test_binary_forms_match_imbalanced_learn(strategy):
    ours = resolve_sampling_strategy(strategy, BINARY)
    assert dict(ours) == _imblearn(strategy, BINARY)
    assert list(ours) == sorted(ours)


@pytest.mark.parametrize("strategy", FORMS_MULTI, ids=_id)
def test_multiclass_forms_match_imbalanced_learn(strategy):
    assert dict(resolve_sampling_strategy(strategy, MULTI)) == _imblearn(
        strategy, MULTI
    )


@pytest.mark.parametrize("strategy", ["auto", "minority", "not minority", "all"])
def test_ties_broken_like_imbalanced_learn(strategy):
    assert dict(resolve_sampling_strategy(strategy, TIED)) == _imblearn(strategy, TIED)


def test_class_counts_sorted_python_scalars():
    counts = class_counts(np.array([3, 1, 3, 2], dtype=np.int32))
    assert list(counts.items()) == [(1, 1), (2, 1), (3, 2)]
    assert all(type(k) is int for k in counts)


def test_float_ratio_counts_are_floor_of_target():
    y = np.array([0] * 1000 + [1] * 10)
    assert resolve_sampling_strategy(0.333, y)[1] == 333 - 10


def test_numpy_keys_in_dict_are_accepted():
    y = np.array([0] * 10 + [1] * 4)
    assert resolve_sampling_strategy({np.int64(1): 8}, y) == {1: 4}


@pytest.mark.parametrize(
    ("strategy", "y", "match"),
    [
        (0.5, MULTI, r"float only for a binary target; the target has 3 classes"),
        (0.2, BINARY, r"ratio of 0\.2.*already has 0\.4286.*at least 0\.4429 to"),
        ("majority", BINARY, r"must be one of .*Got 'majority'"),
        ({1: 10}, BINARY, r"asks for 10 samples of class 1, which already has 30"),
        ({1: -5}, BINARY, r"asks for -5 samples of class 1"),
        ({7: 100}, BINARY, r"class\(es\) 7 that are not in y; the classes present"),
        ({1: 40.5}, BINARY, r"integer final count; class 1 maps to 40\.5"),
        (lambda y: [1, 2], BINARY, r"must return a dict .* returned list"),
    ],
)
def test_bad_strategies_get_clear_errors(strategy, y, match):
    with pytest.raises((ValueError, TypeError), match=match):
        resolve_sampling_strategy(strategy, y, "SMOTE")


@given(
    n_first=st.integers(1, 400),
    n_second=st.integers(1, 400),
    ratio=st.one_of(
        st.floats(0.01, 1.0),
        st.integers(1, 400).flatmap(
            lambda d: st.integers(1, d).map(lambda n: n / d)  # exact-ish ratios
        ),
    ),
    sampling_type=st.sampled_from(["over-sampling", "under-sampling"]),
)
@settings(max_examples=300, deadline=None)
def test_float_ratios_refused_and_resolved_like_imbalanced_learn(
    n_first, n_second, ratio, sampling_type
):
    # ties included: which class is resampled, how many samples, and which
    # ratios are refused (over-sampling: a ratio giving no new sample too)
    y = np.array([0] * n_first + [1] * n_second)
    try:
        theirs = dict(check_sampling_strategy(ratio, y, sampling_type))
    except ValueError:
        theirs = None
    try:
        ours = dict(resolve_sampling_strategy(ratio, y, "SMOTE", sampling_type))
    except ValueError as exc:
        assert "'sampling_strategy' parameter of SMOTE" in str(exc)
        ours = None
    assert ours == theirs


def test_ratio_giving_no_new_sample_is_refused_with_the_least_useful_ratio():
    y = np.array([0] * 100 + [1] * 50)
    for ratio in (0.5, 0.505):
        with pytest.raises(ValueError, match=r"not one new sample\. Use a ratio of "
                           r"at least 0\.51 to generate"):  # fmt: skip
            resolve_sampling_strategy(ratio, y, "SMOTE")
    assert resolve_sampling_strategy(0.51, y) == {1: 1}
    tied = np.array([0] * 75 + [1] * 75)
    # tied classes: no ratio adds a sample, none is suggested
    with pytest.raises(ValueError, match=r"ratio of 1\.0, but the two classes are "
                       r"tied \(75 samples of class 1 vs 75 of class 0\): no ratio "
                       r"in \(0, 1\] adds a sample\. Give the final counts as a "
                       r"dict"):  # fmt: skip
        resolve_sampling_strategy(1.0, tied, "SMOTE")


def test_suggested_least_ratio_is_a_valid_ratio_that_adds_one_sample():
    for n_majority in range(2, 60):
        for n_minority in range(1, n_majority):
            y = np.array([0] * n_majority + [1] * n_minority)
            try:  # the current ratio, then one below it
                resolve_sampling_strategy(n_minority / n_majority, y, "SMOTE")
            except ValueError as exc:
                text = str(exc).split("at least ")[1].split(" to ")[0]
                least = float(text)
            else:
                continue
            assert 0 < least <= 1
            assert resolve_sampling_strategy(least, y) == {1: 1}
            with pytest.raises(ValueError, match=rf"at least {re.escape(text)} to"):
                resolve_sampling_strategy(n_minority / n_majority / 2, y, "SMOTE")
    tied = np.array([0] * 20 + [1] * 20)
    for ratio in (0.5, 0.9, 1.0):  # tied classes: no ratio is suggested
        with pytest.raises(ValueError, match=r"tied .*no ratio in \(0, 1\]"):
            resolve_sampling_strategy(ratio, tied, "SMOTE")


@pytest.mark.parametrize("sampling_type", ["over-sampling", "under-sampling"])
@pytest.mark.parametrize("flag", [True, False, np.True_])
def test_bool_strategy_is_refused_by_name(flag, sampling_type):
    with pytest.raises(ValueError, match=r"parameter of SMOTE must be a float ratio "
                       r"in \(0, 1\], a string.*got the bool"):  # fmt: skip
        resolve_sampling_strategy(flag, BINARY, "SMOTE", sampling_type)


def test_resolved_counts_give_requested_totals():
    target = {"a": 80, "b": 30, "c": 75}
    new = resolve_sampling_strategy(target, MULTI)
    before = Counter(MULTI.tolist())
    assert {c: before[c] + n for c, n in new.items()} == target


@given(
    values=st.lists(st.integers(-(2**40), 2**40), min_size=1, max_size=60),
    dtype=st.sampled_from(["int8", "int64", "uint8", "uint32", "uint64", "bool"]),
    spread=st.sampled_from([1, 3, 2**20, 2**40]),
)
@settings(max_examples=80, deadline=None)
def test_class_counts_equal_numpy_unique(values, dtype, spread):
    y = np.array([v % spread for v in values])
    if dtype == "bool":
        y = y % 2 == 1
    else:
        info = np.iinfo(dtype)
        y = np.clip(y, max(info.min, -(2**40)), min(info.max, 2**40)).astype(dtype)
    classes, counts = _unique_counts(y)
    expected_classes, expected_counts = np.unique(y, return_counts=True)
    assert classes.dtype == expected_classes.dtype
    np.testing.assert_array_equal(classes, expected_classes)
    np.testing.assert_array_equal(counts, expected_counts)


_labels = st.lists(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=3)
    | st.sampled_from(["a", "b", "B", "é", "", "10", "9"]),
    min_size=1,
    max_size=60,
)


@settings(max_examples=80, deadline=None)
@given(labels=_labels)
def test_text_labels_are_counted_and_typed_as_by_sorting(labels):
    from sklearn.utils.multiclass import type_of_target

    from smotekit import _strategy
    from smotekit._data import _target_type

    y = np.array(labels, dtype=object)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_strategy, "HASHED_LABELS", 1)
        assert _strategy.text_labels(y) is not None
        classes, counts = _strategy._unique_counts(y)
        target_type = _target_type(y, _strategy.text_labels(y))
    want_classes, want_counts = np.unique(y, return_counts=True)
    assert classes.dtype == object and classes.tolist() == want_classes.tolist()
    assert counts.tolist() == want_counts.tolist()
    assert target_type == type_of_target(y)


@pytest.mark.parametrize(
    "labels",
    [["a", 1, "a"], ["a", None, "b"], [1, 2, 1], ["a", np.str_("b"), "a"]],
    ids=["mixed", "missing", "numbers", "numpy-str"],
)
def test_labels_other_than_text_are_not_hashed(labels):
    from smotekit import _strategy

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_strategy, "HASHED_LABELS", 1)
        assert _strategy.text_labels(np.array(labels, dtype=object)) is None


def test_suggested_least_under_ratio_is_one_that_works():
    # 201 of 2009: the current ratio rounded to 4 digits (0.1) would keep 2010
    cases = [(201, 2009)] + [(m, n) for n in range(2, 400, 7) for m in range(1, n)]
    for n_minority, n_majority in cases:
        y = np.array([0] * n_majority + [1] * n_minority)
        too_low = n_minority / n_majority / 2
        with pytest.raises(ValueError, match="at least") as info:
            resolve_sampling_strategy(too_low, y, "RUS", "under-sampling")
        text = str(info.value).split("at least ")[1].rstrip(".")
        kept = resolve_sampling_strategy(float(text), y, sampling_type="under-sampling")
        assert kept[0] <= n_majority


def test_strategy_errors_travel_between_processes_whole():
    # Dask and joblib's process workers pickle the error: its parts, and so
    # the command line's wording, arrive with it
    import pickle

    from smotekit._strategy import SamplingStrategyError, SamplingStrategyTypeError

    y = np.array([0] * 9 + [1] * 3)
    for strategy, kind in [({1: 2}, SamplingStrategyError), ({1: 4.5}, TypeError)]:
        with pytest.raises(kind) as info:
            resolve_sampling_strategy(strategy, y, "SMOTE")
        back = pickle.loads(pickle.dumps(info.value))
        assert type(back) is type(info.value)
        assert str(back) == str(info.value)
        assert back.told_as("--s") == info.value.told_as("--s")
        assert isinstance(back, ValueError)
    assert issubclass(SamplingStrategyTypeError, TypeError)
