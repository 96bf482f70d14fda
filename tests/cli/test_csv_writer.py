"""The command line's CSV writer writes what pandas' ``to_csv`` writes, byte
for byte, whatever the columns hold."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smotekit.cli import _csv_writer
from smotekit.cli._csv_writer import float_text, write_csv


def _same_as_pandas(frame, folder):
    ours, theirs = folder / "ours.csv", folder / "theirs.csv"
    write_csv(frame, ours)
    frame.to_csv(theirs, index=False)
    assert ours.read_bytes() == theirs.read_bytes()


_EDGES = [0.0, -0.0, np.nan, np.inf, -np.inf, 1e-4, np.nextafter(1e-4, 0), 1e10,
          np.nextafter(1e10, 0), 1e16, 5e-324, 1.7976931348623157e308, 0.1, 2.0,
          -123456789.0, 9999999999.999998, 1e-5, 1.5e-7]  # fmt: skip


def test_float_text_is_repr_across_magnitudes():
    rng = np.random.default_rng(0)
    values = np.concatenate([
        rng.standard_normal(50_000) * 10.0 ** rng.integers(-30, 30, 50_000),
        np.ldexp(rng.random(20_000), rng.integers(-1074, 1024, 20_000)),
        rng.integers(-(10**12), 10**12, 20_000).astype(float),
        _EDGES,
    ])  # fmt: skip
    want = [repr(v) if v == v else "" for v in values.tolist()]
    assert float_text(values).tolist() == want
    assert float_text(np.array([np.nan]), na_rep="NA").tolist() == ["NA"]


_floats = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(_EDGES)
_text = st.text(alphabet=st.sampled_from(list("ab ,\"'é\n\r;\t0")), max_size=5)
_columns = {
    "float64": lambda n: st.lists(_floats, min_size=n, max_size=n).map(
        lambda v: pd.Series(v, dtype=np.float64)
    ),
    "float32": lambda n: st.lists(
        st.floats(width=32, allow_nan=True), min_size=n, max_size=n
    ).map(lambda v: pd.Series(v, dtype=np.float32)),
    "int64": lambda n: st.lists(
        st.integers(-(2**63), 2**63 - 1), min_size=n, max_size=n
    ).map(lambda v: pd.Series(v, dtype=np.int64)),
    "bool": lambda n: st.lists(st.booleans(), min_size=n, max_size=n).map(pd.Series),
    "Int64": lambda n: st.lists(
        st.none() | st.integers(-100, 100), min_size=n, max_size=n
    ).map(lambda v: pd.Series(v, dtype="Int64")),
    "text": lambda n: st.lists(st.none() | _text, min_size=n, max_size=n).map(
        lambda v: pd.Series(v, dtype=object)
    ),
    "string": lambda n: st.lists(st.none() | _text, min_size=n, max_size=n).map(
        lambda v: pd.Series(v, dtype="string")
    ),
    "category": lambda n: st.lists(
        st.sampled_from(["x", "y,z", ""]), min_size=n, max_size=n
    ).map(lambda v: pd.Series(v, dtype="category")),
}


@st.composite
def _frames(draw):
    n = draw(st.integers(0, 12))
    kinds = draw(st.lists(st.sampled_from(sorted(_columns)), min_size=1, max_size=5))
    name = st.sampled_from(["a", "b", "a,b", 'q"', "x y", "1"]) | _text
    names = draw(st.lists(name, min_size=len(kinds), max_size=len(kinds)))
    data = [draw(_columns[kind](n)) for kind in kinds]
    frame = pd.concat(data, axis=1, ignore_index=True) if data else pd.DataFrame()
    frame.columns = names
    return frame


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(frame=_frames(), block=st.sampled_from([1, 3, 65_536]))
def test_any_table_is_written_as_pandas_writes_it(tmp_path, frame, block):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_csv_writer, "ROWS_PER_BLOCK", block)
        _same_as_pandas(frame, tmp_path)


def test_the_fast_path_writes_plain_tables(tmp_path, monkeypatch):
    # a table of numbers and labels is written by the writer itself, not
    # handed back to pandas
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(rng.standard_normal((1000, 4)), columns=list("abcd"))
    frame["b"] *= 1e12
    frame.loc[::5, "c"] = np.nan
    frame["label"] = np.where(rng.random(1000) < 0.1, "fraud, big", "ok")
    calls = []
    original = pd.DataFrame.to_csv

    def spy(self, *args, **kwargs):
        calls.append(self.shape)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_csv", spy)
    monkeypatch.setattr(_csv_writer, "ROWS_PER_BLOCK", 300)
    write_csv(frame, tmp_path / "ours.csv")
    # the header, then the label column of each of the four blocks
    assert calls == [(0, 5)] + [(300, 1)] * 3 + [(100, 1)]
    monkeypatch.setattr(pd.DataFrame, "to_csv", original)
    assert (tmp_path / "ours.csv").read_bytes() == _pandas_bytes(frame, tmp_path)


def _pandas_bytes(frame, folder):
    frame.to_csv(folder / "theirs.csv", index=False)
    return (folder / "theirs.csv").read_bytes()


def test_text_with_line_breaks_goes_back_to_pandas(tmp_path):
    frame = pd.DataFrame({"x": [1.5, 2.0, 3.25], "note": ["a", "two\nlines", "c"]})
    _same_as_pandas(frame, tmp_path)


def test_without_pyarrow_pandas_writes(tmp_path, monkeypatch):
    monkeypatch.setattr(_csv_writer, "_arrow_agrees", lambda: False)
    called = []
    monkeypatch.setattr(_csv_writer, "_write_lines", lambda *a: called.append(a))
    frame = pd.DataFrame({"x": [1.5, 2.0], "y": [0, 1]})
    _same_as_pandas(frame, tmp_path)
    assert called == []


def _late_change(values, late):
    """``values`` with its last one replaced by ``late``: pandas formats
    dates and durations with one layout per chunk of rows (100,000 over the
    number of columns), so only a change in the last chunk shows whether
    the chunks are pandas' own."""
    series = pd.Series(values)
    series.iloc[-1] = late
    return series


_DAYS = pd.to_timedelta(np.arange(60_000) % 5, unit="D")
_SECONDS = pd.to_timedelta(np.arange(60_000), unit="s")
_MIDNIGHTS = pd.Timestamp("2020-01-01") + _DAYS
_TEN = pd.Timestamp("2020-01-01 10:00")
_UTC_TEN = pd.Timestamp("2020-01-01 10:00", tz="UTC")
_MICRO = pd.Timedelta(1, unit="us")


@pytest.mark.parametrize(
    "column",
    [
        _late_change(_MIDNIGHTS, _TEN),
        _late_change(_DAYS, pd.Timedelta("1h")),
        _late_change(_TEN + _SECONDS, _TEN + _MICRO),
        _late_change(_UTC_TEN + _SECONDS, _UTC_TEN + _MICRO),
        _late_change(_MIDNIGHTS, _TEN).astype("category"),
    ],
    ids=["dates", "durations", "microseconds", "time-zone", "category-of-dates"],
)
def test_dates_and_durations_keep_the_layout_of_pandas_chunks(tmp_path, column):
    _same_as_pandas(pd.DataFrame({"t": column, "x": np.arange(60_000.0)}), tmp_path)
