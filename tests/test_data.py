"""Checks and labels of the data: the finiteness check, and the labels of the
resampled data (the originals, untouched, then the new ones)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smotekit import _data


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(0, 300),
    added=st.lists(st.integers(0, 200), min_size=0, max_size=4),
    block=st.integers(1, 97),
    kind=st.sampled_from(["int64", "int8", "float32", "str", "object"]),
)
def test_labels_are_the_originals_then_each_class_in_turn(n, added, block, kind):
    """Whatever the block size the labels are written in, the result is the
    original labels, untouched, then each class's count of its label."""
    rng = np.random.default_rng(n)
    classes = [f"c{i}" if kind in ("str", "object") else i for i in range(5)]
    labels = np.array([classes[i] for i in rng.integers(0, 5, n)], dtype=object)
    labels = labels.astype({"str": "<U3"}.get(kind, kind))
    before = labels.copy()
    counts = {classes[i + 1]: count for i, count in enumerate(added)}
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(_data, "LABEL_BLOCK", block)
        joined = _data.labels_with_new(labels, counts)
    expected = np.concatenate(
        [labels, *[np.full(c, cls, dtype=labels.dtype) for cls, c in counts.items()]]
    )
    assert joined.dtype == labels.dtype
    np.testing.assert_array_equal(joined, expected)
    np.testing.assert_array_equal(labels, before)


@settings(max_examples=80, deadline=None)
@given(
    n=st.integers(1, 200),
    piece=st.integers(1, 17),
    cores=st.integers(1, 4),
    bad=st.sampled_from([None, np.nan, np.inf, -np.inf, "max"]),
    at=st.floats(0, 1, exclude_max=True),
    dtype=st.sampled_from([np.float32, np.float64]),
)
def test_finiteness_is_decided_on_every_piece(n, piece, cores, bad, at, dtype):
    """The check sums the values in one piece per core: a NaN or an infinity
    anywhere is found, and values whose sum overflows are still finite."""
    values = np.random.default_rng(n).normal(size=n).astype(dtype)
    if bad == "max":
        values[:] = np.finfo(dtype).max  # every sum overflows
    elif bad is not None:
        values[int(at * n)] = bad
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(_data, "_FINITE_CHECK_VALUES", piece)
        monkeypatch.setattr(_data, "n_cores", lambda: cores)
        got = _data._all_finite(values.reshape(-1, 1) if n % 2 else values)
    assert got == bool(np.isfinite(values).all())
    assert got == (bad is None or bad == "max")
