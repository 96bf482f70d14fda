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


#: Column kinds of the mixed frames below.
FRAME_KINDS = ["bool", "int8", "uint16", "int64", "uint64", "float32", "float64"]


def mixed_columns(rng, n, kinds, huge=False):
    """Columns of ``kinds``: 64-bit integers past 2**53, floats near their
    dtype's range when ``huge``."""
    columns = {}
    for j, kind in enumerate(kinds):
        if kind == "bool":
            values = rng.random(n) < 0.5
        elif kind in ("int64", "uint64"):
            values = rng.integers(0, 2**62, n, dtype=np.int64).astype(kind) * 3
        elif kind.startswith("float"):
            scale = (1e300 if kind == "float64" else 3e38) if huge else 1.0
            values = np.clip(rng.standard_normal(n) * scale, -scale, scale)
            values = values.astype(kind)
        else:
            values = rng.integers(0, 100, n).astype(kind)
        columns[f"c{j}"] = values
    return columns


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(0, 40),
    kinds=st.lists(st.sampled_from(FRAME_KINDS), min_size=1, max_size=6),
    small=st.booleans(),
    room=st.sampled_from([0, 0, 1, 7]),
    seed=st.integers(0, 2**16),
)
def test_rows_of_a_frame_are_its_columns_cast_whichever_way_they_are_read(
    n, kinds, small, room, seed
):
    # one pandas copy (small frames) or each dtype's columns into the rows:
    # the same matrix, every value cast as numpy casts it, 64-bit integers
    # past 2**53 included; with room, the columns turned into rows head an
    # array of that many more rows
    import pandas as pd

    columns = mixed_columns(np.random.default_rng(seed), n, kinds)
    frame = pd.DataFrame(columns)
    target = np.dtype(np.float32 if set(kinds) == {"float32"} else np.float64)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(_data, "SMALL_FRAME_VALUES", 10**9 if small else -1)
        got, buffer = _data._rows_of(frame, target, room)
    want = np.column_stack(
        [np.asarray(c).astype(target) for c in columns.values()]
    ).reshape(n, len(kinds))
    assert got.dtype == target and got.flags.c_contiguous
    np.testing.assert_array_equal(got, want)
    if room == 0 or small:
        assert buffer is None
    if buffer is not None:
        assert buffer.shape == (n + room, len(kinds)) and buffer.dtype == target
        assert np.shares_memory(buffer[:n], got) or n == 0
        np.testing.assert_array_equal(buffer[:n], want)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(0, 30),
    n_new=st.integers(0, 20),
    kinds=st.lists(st.sampled_from(FRAME_KINDS), min_size=2, max_size=6),
    huge=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_numeric_frame_is_the_same_whichever_way_it_reads_the_columns(
    n, n_new, kinds, huge, seed
):
    # small frames are read whole in each dtype (the other columns cast and
    # dropped, huge or negative floats included, silently), larger ones a
    # dtype's columns at a time: the same frame
    import warnings

    import pandas as pd

    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(mixed_columns(rng, n, kinds, huge))
    values = rng.standard_normal((n_new, len(kinds))) * 50
    outs = []
    for small in (True, False):
        with pytest.MonkeyPatch.context() as m, warnings.catch_warnings():
            warnings.simplefilter("error")
            m.setattr(_data, "SMALL_FRAME_VALUES", 10**9 if small else -1)
            outs.append(_data.numeric_frame(frame, values))
    pd.testing.assert_frame_equal(outs[0], outs[1])
    assert list(outs[0].dtypes) == list(frame.dtypes)
    pd.testing.assert_frame_equal(outs[0].iloc[:n], frame)
