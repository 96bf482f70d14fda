"""sampling_strategy for under-samplers and cleaning samplers: imblearn's counts."""

from collections import Counter

import numpy as np
import pytest
from imblearn.utils import check_sampling_strategy

from smotekit import EditedNearestNeighbours, TomekLinks
from smotekit._strategy import resolve_sampling_strategy

BINARY = np.array([0] * 70 + [1] * 30)
MULTI = np.array(["a"] * 50 + ["b"] * 30 + ["c"] * 20)
TIED = np.array([2] * 10 + [0] * 10 + [1] * 40 + [3] * 40)


def smallest_twice(y):
    counts = Counter(y.tolist())
    return {max(counts, key=counts.get): 2 * min(counts.values())}


UNDER_FORMS = {
    "binary": [
        "auto",
        "majority",
        "not minority",
        "not majority",
        "all",
        0.5,
        1.0,
        0.43,
        0.429,
        {0: 30},
        {0: 0, 1: 30},
        {np.int64(0): 12},
        lambda y: {0: int((y == 1).sum())},
    ],
    "multi": [
        "auto",
        "majority",
        "not minority",
        "not majority",
        "all",
        {"a": 20, "b": 30},
        {"c": 5},
        smallest_twice,
    ],
    "tied": ["auto", "majority", "not minority", "not majority", "all", {1: 3}],
}
CLEAN_FORMS = {
    "binary": ["auto", "majority", "not minority", "not majority", "all", [0], []],
    "multi": [
        "auto",
        "majority",
        "not minority",
        "not majority",
        "all",
        ["a", "c"],
        ["c"],
    ],
    "tied": ["auto", "majority", "not minority", "not majority", "all", [3, 0]],
}
TARGETS = {"binary": BINARY, "multi": MULTI, "tied": TIED}


def cases(forms):
    return [
        pytest.param(kind, form, id=f"{kind}-{i}")
        for kind, values in forms.items()
        for i, form in enumerate(values)
    ]


def imblearn_target(strategy, y, sampling_type):
    return {
        (k.item() if isinstance(k, np.generic) else k): int(v)
        for k, v in check_sampling_strategy(strategy, y, sampling_type).items()
    }


@pytest.mark.parametrize(("kind", "strategy"), cases(UNDER_FORMS))
def test_under_sampling_matches_imblearn(kind, strategy):
    y = TARGETS[kind]
    ours = resolve_sampling_strategy(strategy, y, sampling_type="under-sampling")
    expected = imblearn_target(strategy, y, "under-sampling")
    assert dict(ours) == expected
    assert list(ours) == sorted(expected)


@pytest.mark.parametrize(("kind", "strategy"), cases(CLEAN_FORMS))
def test_cleaning_matches_imblearn(kind, strategy):
    y = TARGETS[kind]
    ours = resolve_sampling_strategy(strategy, y, sampling_type="clean-sampling")
    expected = imblearn_target(strategy, y, "clean-sampling")
    assert dict(ours) == expected
    assert list(ours) == sorted(expected)


def test_auto_means_not_minority_for_under_and_cleaning_samplers():
    for sampling_type in ("under-sampling", "clean-sampling"):
        auto = resolve_sampling_strategy("auto", MULTI, sampling_type=sampling_type)
        assert dict(auto) == {"a": 20, "b": 20}
    # and still 'not majority' for over-samplers
    assert dict(resolve_sampling_strategy("auto", MULTI)) == {"b": 20, "c": 30}


def test_under_float_is_the_ratio_minority_over_majority():
    y = np.array([0] * 1000 + [1] * 100)
    target = resolve_sampling_strategy(0.25, y, sampling_type="under-sampling")
    assert dict(target) == {0: 400}


#: (strategy, y, error, message); imblearn raises a ValueError for each too,
#: except where noted
UNDER_ERRORS = [
    (
        0.2,
        BINARY,
        ValueError,
        r"ratio of 0.2, which would need 150 samples of "
        r"class 0, but it has 70 .*ratio of at least 0.4286",
    ),
    (
        0.5,
        MULTI,
        ValueError,
        r"float only for a binary target; the target has 3 "
        r"classes .*'not minority'",
    ),
    (
        {0: 71},
        BINARY,
        ValueError,
        r"asks for 71 samples of class 0, which has only "
        r"70; an under-sampler can only remove samples\. Ask for at most 70",
    ),
    (
        {0: -1},
        BINARY,
        ValueError,
        r"asks for -1 samples of class 0; a number of "
        r"samples cannot be negative",
    ),
    ({0: 2.5}, BINARY, TypeError, r"integer final count; class 0 maps to 2.5"),
    ({7: 3}, BINARY, ValueError, r"names class\(es\) 7 that are not in y"),
    (
        "minority",
        BINARY,
        ValueError,
        r"one of \('auto', 'majority', .*\) when given "
        r"as a string \('minority' is for an over-sampler\)",
    ),
    (
        [0],
        BINARY,
        ValueError,
        r"cannot be a list: a list of classes is only for "
        r"cleaning samplers",
    ),
    (lambda y: [0], BINARY, TypeError, r"must return a dict"),
]


@pytest.mark.parametrize(("strategy", "y", "error", "match"), UNDER_ERRORS)
def test_under_sampling_errors(strategy, y, error, match):
    with pytest.raises(error, match=r"of RandomUnderSampler .*" + match):
        resolve_sampling_strategy(
            strategy, y, "RandomUnderSampler", sampling_type="under-sampling"
        )
    if isinstance(strategy, dict) and isinstance(strategy.get(0), float):
        # imblearn lets a float count through (to fail later, in the sampler)
        assert check_sampling_strategy(strategy, y, "under-sampling") == strategy
    elif callable(strategy):
        with pytest.raises(AttributeError):  # imblearn: "'list' object has no ..."
            check_sampling_strategy(strategy, y, "under-sampling")
    else:
        with pytest.raises(ValueError):
            check_sampling_strategy(strategy, y, "under-sampling")


CLEAN_ERRORS = [
    (0.5, "got float 0.5. A cleaning sampler removes the samples its rule selects"),
    ({0: 3}, r"got dict \{0: 3\}.*name the classes it may remove samples from"),
    ("minority", r"\('minority' is for an over-sampler\)"),
    ([0, 9], r"names class\(es\) 9 that are not in y"),
]


@pytest.mark.parametrize(("strategy", "match"), CLEAN_ERRORS)
def test_cleaning_errors(strategy, match):
    with pytest.raises(ValueError, match=r"of TomekLinks .*" + match):
        resolve_sampling_strategy(
            strategy, BINARY, "TomekLinks", sampling_type="clean-sampling"
        )
    with pytest.raises(ValueError):
        check_sampling_strategy(strategy, BINARY, "clean-sampling")


def test_majority_is_refused_by_over_samplers():
    with pytest.raises(ValueError, match=r"'majority' is for an under-sampler"):
        resolve_sampling_strategy("majority", BINARY, "SMOTE")


def test_unknown_sampling_type():
    with pytest.raises(ValueError, match="sampling_type must be one of"):
        resolve_sampling_strategy("auto", BINARY, sampling_type="bypass")


@pytest.mark.parametrize(
    "item",
    [np.array([0, 1]), [0], {0: 1}],
    ids=["array", "list", "dict"],
)
@pytest.mark.parametrize("cls", [EditedNearestNeighbours, TomekLinks])
def test_a_list_strategy_holding_no_label_is_named(cls, item):
    y = np.array([0] * 30 + [1] * 10)
    X = np.random.RandomState(0).normal(size=(len(y), 2))
    with pytest.raises(
        ValueError,
        match=rf"'sampling_strategy' list of {cls.__name__} must hold class labels; "
        rf"one item is a {type(item).__name__}",
    ):
        cls(sampling_strategy=[item]).fit_resample(X, y)
