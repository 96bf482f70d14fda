"""RandomUnderSampler-specific behaviour: exact counts, uniform subsets, any data."""

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.under_sampling import RandomUnderSampler as ImbRUS
from scipy import sparse

from smotekit import RandomUnderSampler

# 1000 samples: class 0 has 700, class 1 has 200, class 2 has 100, interleaved
Y = np.array(([0] * 7 + [1] * 2 + [2]) * 100)
X = np.arange(len(Y) * 2, dtype=np.float64).reshape(-1, 2)


@pytest.mark.parametrize("replacement", [False, True])
@pytest.mark.parametrize(
    "strategy",
    ["auto", "majority", "not majority", "all", {0: 150, 2: 7}, 0.5],
)
def test_counts_equal_imblearns(strategy, replacement):
    X_bin, y = (X[Y != 2], Y[Y != 2]) if isinstance(strategy, float) else (X, Y)
    rus = RandomUnderSampler(
        sampling_strategy=strategy, random_state=0, replacement=replacement
    )
    _, y_res = rus.fit_resample(X_bin, y)
    imb = ImbRUS(sampling_strategy=strategy, random_state=0, replacement=replacement)
    _, y_imb = imb.fit_resample(X_bin, y)
    assert Counter(y_res.tolist()) == Counter(y_imb.tolist())
    assert dict(rus.sampling_strategy_) == {
        int(k): int(v) for k, v in imb.sampling_strategy_.items()
    }


def test_kept_rows_are_the_originals_in_their_order():
    rus = RandomUnderSampler(random_state=3)
    X_res, y_res = rus.fit_resample(X, Y)
    kept = rus.sample_indices_
    assert (np.diff(kept) > 0).all()
    np.testing.assert_array_equal(X_res, X[kept])
    np.testing.assert_array_equal(y_res, Y[kept])
    # the minority class is kept whole
    assert set(np.flatnonzero(Y == 2)) <= set(kept.tolist())


def test_imblearn_groups_rows_by_class_we_keep_the_original_order():
    # the documented difference: imblearn's sample_indices_ are grouped by
    # class (in draw order), ours are ascending
    imb = ImbRUS(random_state=0)
    imb.fit_resample(X, Y)
    assert not (np.diff(imb.sample_indices_) > 0).all()
    ours = RandomUnderSampler(random_state=0)
    ours.fit_resample(X, Y)
    assert (np.diff(ours.sample_indices_) > 0).all()


def test_subsets_are_uniform():
    # each of the 700 class-0 rows is kept with probability 100 / 700
    hits = np.zeros(len(Y))
    n_draws = 400
    for seed in range(n_draws):
        rus = RandomUnderSampler(random_state=seed)
        rus.fit_resample(X, Y)
        hits[rus.sample_indices_] += 1
    rate = hits[Y == 0] / n_draws
    assert abs(rate.mean() - 1 / 7) < 1e-12  # exactly 100 of 700 every time
    assert rate.std() < 0.03  # binomial sd: sqrt(p(1-p)/400) ~ 0.0175
    # and the kept subsets differ between seeds
    a = RandomUnderSampler(random_state=0).fit_resample(X, Y)[0]
    b = RandomUnderSampler(random_state=1).fit_resample(X, Y)[0]
    assert not np.array_equal(a, b)


def test_replacement_draws_duplicates_adjacent_and_keeps_labels():
    y = np.array([0] * 50 + [1] * 40)
    frame = pd.DataFrame({"v": np.arange(90)}, index=[f"r{i}" for i in range(90)])
    rus = RandomUnderSampler(
        sampling_strategy={1: 40}, random_state=0, replacement=True
    )
    X_res, y_res = rus.fit_resample(frame, pd.Series(y, index=frame.index))
    kept = rus.sample_indices_
    assert len(kept) == 90
    assert len(set(kept[50:].tolist())) < 40  # some rows drawn twice
    assert (np.diff(kept) >= 0).all()
    assert X_res.index.tolist() == [f"r{i}" for i in kept]
    assert X_res.index.equals(y_res.index)
    assert X_res["v"].tolist() == kept.tolist()


def test_any_data_goes_through():
    frame = pd.DataFrame(
        {
            "amount": [1.0, np.nan, 3.0, 4.0, np.nan, 6.0],
            "fruit": pd.Categorical(["a", "b", "a", "c", "c", "a"]),
            "when": pd.date_range("2024-01-01", periods=6),
            "note": ["x", None, "z", "w", "v", "u"],
        },
        index=[10, 20, 30, 40, 50, 60],
    )
    y = pd.Series([0, 0, 0, 0, 1, 1], index=frame.index, name="label")
    rus = RandomUnderSampler(random_state=0)
    X_res, y_res = rus.fit_resample(frame, y)
    expected = frame.iloc[rus.sample_indices_]
    pd.testing.assert_frame_equal(X_res, expected, check_exact=True)
    assert y_res.tolist() == [0, 0, 1, 1]
    assert y_res.name == "label"
    assert X_res.dtypes.tolist() == frame.dtypes.tolist()


def test_object_numpy_and_sparse():
    X_obj = np.array([["a", 1], ["b", 2], ["c", 3], ["d", 4]], dtype=object)
    y = np.array([0, 0, 0, 1])
    X_res, _ = RandomUnderSampler(random_state=0).fit_resample(X_obj, y)
    assert X_res.dtype == object and X_res.shape == (2, 2)
    X_csc = sparse.csc_matrix(np.eye(4, dtype=np.float32))
    X_res, _ = RandomUnderSampler(random_state=0).fit_resample(X_csc, y)
    assert X_res.format == "csc" and X_res.dtype == np.float32


def test_dict_zero_removes_a_class():
    rus = RandomUnderSampler(sampling_strategy={1: 0}, random_state=0)
    _, y_res = rus.fit_resample(X, Y)
    assert Counter(y_res.tolist()) == {0: 700, 2: 100}


def test_parameter_errors():
    with pytest.raises(ValueError, match=r"'replacement' parameter .* must be"):
        RandomUnderSampler(replacement="yes").fit_resample(X, Y)
    with pytest.raises(ValueError, match=r"'sampling_strategy' parameter .* must be"):
        RandomUnderSampler(sampling_strategy="minority").fit_resample(X, Y)
    with pytest.raises(ValueError, match=r"an under-sampler can only remove samples"):
        RandomUnderSampler(sampling_strategy={2: 101}).fit_resample(X, Y)


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 30), min_size=2, max_size=4),
    seed=st.integers(0, 2**32 - 1),
    replacement=st.booleans(),
    data=st.data(),
)
def test_property_exact_counts_sorted_original_rows(sizes, seed, replacement, data):
    y = np.repeat(np.arange(len(sizes)), sizes)
    y = y[np.random.default_rng(seed).permutation(len(y))]
    X = np.arange(len(y), dtype=np.float64)[:, None] * [1.0, -1.0]
    strategy = {
        c: data.draw(st.integers(0, n), label=f"class {c}")
        for c, n in enumerate(sizes)
        if data.draw(st.booleans(), label=f"target {c}")
    }
    rus = RandomUnderSampler(
        sampling_strategy=strategy or "auto", random_state=seed, replacement=replacement
    )
    X_res, y_res = rus.fit_resample(X, y)
    expected = {c: n for c, n in enumerate(sizes)}
    expected.update(rus.sampling_strategy_)
    assert Counter(y_res.tolist()) == {c: n for c, n in expected.items() if n}
    kept = rus.sample_indices_
    assert (np.diff(kept) >= 0).all()
    if not replacement:
        assert (np.diff(kept) > 0).all()
    np.testing.assert_array_equal(X_res, X[kept])
    np.testing.assert_array_equal(y_res, y[kept])
