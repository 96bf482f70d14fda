"""X's rows copied once: the output built in X's row-major copy.

A DataFrame's columns, or an array in column-major (or any other) layout,
are copied into a row-major array before sampling; SMOTE and
RandomOverSampler build their output in that array, its head, instead of
copying X's rows a second time. The output must be the one a row-major
array gives, and the user's X untouched.
"""

import tracemalloc

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smotekit import (
    ADASYN,
    SMOTE,
    BorderlineSMOTE,
    RandomOverSampler,
    _data,
)
from smotekit._data import SMALL_FRAME_VALUES


def _data_set(n=3000, d=50, seed=0, dtype=np.float64, minority=0.1):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)).astype(dtype)
    y = (rng.random(n) < minority).astype(np.int64)
    y[:6] = 1
    return X, y


def _recording(monkeypatch):
    """Record the ``room`` and the spec of every ``check_X`` call."""
    calls = []
    check = _data.check_X

    def recorded(*args, **kwargs):
        arr, spec = check(*args, **kwargs)
        calls.append((kwargs.get("room", 0), arr, spec))
        return arr, spec

    monkeypatch.setattr(_data, "check_X", recorded)
    return calls


@pytest.mark.parametrize("make", [SMOTE, RandomOverSampler])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_column_major_array_is_copied_once_into_the_output(monkeypatch, make, dtype):
    X, y = _data_set(dtype=dtype)
    X_f = np.asfortranarray(X)
    before = X_f.copy(order="F")
    want_X, want_y = make(random_state=0).fit_resample(X, y)
    calls = _recording(monkeypatch)
    got_X, got_y = make(random_state=0).fit_resample(X_f, y)
    ((room, arr, spec),) = calls
    n_new = len(got_y) - len(y)
    assert room == n_new > 0
    # X's copy heads the output, which is that very array
    assert spec.buffer is got_X
    assert arr.ctypes.data == got_X.ctypes.data and arr.shape == X.shape
    assert got_X.flags.c_contiguous and got_X.dtype == dtype
    np.testing.assert_array_equal(got_X, want_X)
    np.testing.assert_array_equal(got_y, want_y)
    np.testing.assert_array_equal(X_f, before)
    assert X_f.flags.f_contiguous


@pytest.mark.parametrize("make", [SMOTE, RandomOverSampler])
def test_a_float_frame_is_copied_once_into_the_output(monkeypatch, make):
    X, y = _data_set(n=4000, d=40)
    assert X.size > SMALL_FRAME_VALUES
    frame = pd.DataFrame(X, columns=[f"c{j}" for j in range(40)])
    before = frame.copy()
    want_X, want_y = make(random_state=0).fit_resample(X, y)
    calls = _recording(monkeypatch)
    got_X, got_y = make(random_state=0).fit_resample(frame, pd.Series(y))
    ((room, _, spec),) = calls
    assert room == len(got_y) - len(y)
    assert spec.buffer is not None
    assert np.shares_memory(got_X.to_numpy(), spec.buffer)
    np.testing.assert_array_equal(got_X.to_numpy(), want_X)
    np.testing.assert_array_equal(got_y.to_numpy(), want_y)
    pd.testing.assert_frame_equal(frame, before)


def test_a_row_major_array_takes_no_room(monkeypatch):
    X, y = _data_set()
    calls = _recording(monkeypatch)
    SMOTE(random_state=0).fit_resample(X, y)
    ((room, arr, spec),) = calls
    assert room == 0 and spec.buffer is None and arr is X


def test_fit_alone_takes_no_room(monkeypatch):
    X, y = _data_set()
    calls = _recording(monkeypatch)
    smote = SMOTE(random_state=0).fit(np.asfortranarray(X), y)
    ((room, _, spec),) = calls
    assert room == 0 and spec.buffer is None
    assert smote.sampling_strategy_ == {1: int((y == 0).sum() - (y == 1).sum())}


@pytest.mark.parametrize("make", [BorderlineSMOTE, ADASYN])
def test_samplers_keeping_estimators_on_X_copy_it_apart(monkeypatch, make):
    # their neighbour estimators are fitted on X itself: the output must not
    # be the array those estimators read
    X, y = _data_set(minority=0.3)
    calls = _recording(monkeypatch)
    sampler = make(random_state=0)
    out, _ = sampler.fit_resample(np.asfortranarray(X), y)
    ((room, arr, spec),) = calls
    assert room == 0 and spec.buffer is None
    assert not np.shares_memory(out, arr)
    out[:] = 0.0
    assert np.array_equal(arr, X)


def test_the_copy_is_the_only_one(monkeypatch):
    # traced allocations while resampling a column-major array: the output
    # (X's rows and the synthetic ones), not another copy of X beside it
    monkeypatch.setattr("smotekit._pages.HEAP_MAPPED_FROM", 2**40)  # np.empty
    X, y = _data_set(n=20_000, d=50, minority=0.01)
    X_f = np.asfortranarray(X)
    SMOTE(random_state=0).fit_resample(X_f[:2000], y[:2000])  # warm up
    tracemalloc.start()
    try:
        out, _ = SMOTE(random_state=0).fit_resample(X_f, y)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert out.nbytes > 1.9 * X.nbytes
    assert peak < out.nbytes + 0.25 * X.nbytes, (peak, out.nbytes, X.nbytes)


def test_errors_come_in_the_usual_order():
    X, _ = _data_set(n=200, d=3)
    X_f = np.asfortranarray(X)
    X_f[5, 1] = np.nan
    continuous = np.linspace(0, 1, 200)
    for X_in in (X_f, pd.DataFrame(X_f)):
        # X refused before y, whichever is checked first
        with pytest.raises(ValueError, match="NaN"):
            SMOTE().fit_resample(X_in, continuous)
    with pytest.raises(
        ValueError, match="different lengths: X has 200 rows and y has 199"
    ):
        SMOTE().fit_resample(np.asfortranarray(X), np.r_[np.zeros(150), np.ones(49)])


def test_a_refused_strategy_is_reported_as_for_a_row_major_array():
    X, y = _data_set(n=300, d=4)
    messages = []
    for X_in in (X, np.asfortranarray(X), pd.DataFrame(X)):
        with pytest.raises(ValueError) as caught:
            SMOTE(sampling_strategy={7: 10}).fit_resample(X_in, y)
        messages.append(str(caught.value))
    assert "sampling_strategy" in messages[0]
    assert messages == [messages[0]] * 3


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(18, 400),
    d=st.integers(1, 12),
    layout=st.sampled_from(["F", "columns", "rows", "frame"]),
    dtype=st.sampled_from([np.float32, np.float64, np.int32]),
    sampler=st.sampled_from(["smote", "random", "random-shrinkage"]),
    seed=st.integers(0, 2**16),
)
def test_every_layout_gives_the_row_major_output(n, d, layout, dtype, sampler, seed):
    rng = np.random.default_rng(seed)
    wide = (rng.normal(size=(2 * n, 2 * d)) * 10).astype(dtype)
    X = np.ascontiguousarray(wide[:n, :d])
    y = rng.integers(0, 3, n)
    y[:18] = np.repeat([0, 1, 2], 6)
    if layout == "F":
        X_in = np.asfortranarray(X)
    elif layout == "columns":  # every other column of a wider array
        X_in = wide[:n, : 2 * d : 2]
        X = np.ascontiguousarray(X_in)
    elif layout == "rows":  # every other row
        X_in = wide[: 2 * n : 2, :d]
        X = np.ascontiguousarray(X_in)
    else:
        X_in = pd.DataFrame(X)
    kept = X_in.copy()
    make = {
        "smote": lambda: SMOTE(random_state=seed, k_neighbors=3),
        "random": lambda: RandomOverSampler(random_state=seed),
        "random-shrinkage": lambda: RandomOverSampler(random_state=seed, shrinkage=0.5),
    }[sampler]
    want_X, want_y = make().fit_resample(X, y)
    got_X, got_y = make().fit_resample(X_in, y)
    got = got_X.to_numpy() if layout == "frame" else got_X
    assert got.dtype == want_X.dtype
    np.testing.assert_array_equal(got, want_X)
    np.testing.assert_array_equal(got_y, want_y)
    np.testing.assert_array_equal(got[:n], X)
    if layout == "frame":
        pd.testing.assert_frame_equal(X_in, kept)
    else:
        np.testing.assert_array_equal(X_in, kept)
