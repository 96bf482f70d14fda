"""Stored Parquet indexes of every kind through ``smotekit resample``, and
object arrays of numbers of several kinds."""

import datetime
import decimal

import numpy as np
import pandas as pd
import pytest

from smotekit import SMOTE
from smotekit.cli.resample import resample_file

pytest.importorskip("pyarrow")

N = 20


def _table(index):
    rng = np.random.RandomState(0)
    frame = pd.DataFrame(
        {"a": rng.randn(N), "b": rng.randn(N), "label": [0] * (N - 6) + [1] * 6}
    )
    frame.index = index
    return frame


def _resample(tmp_path, frame, out="out.parquet"):
    src, dst = tmp_path / "in.parquet", tmp_path / out
    frame.to_parquet(src)
    resample_file(src, dst, "label", k_neighbors=2, random_state=0)
    return dst


def test_int8_index_at_dtype_max_is_written(tmp_path):
    frame = _table(pd.Index(np.arange(108, 128, dtype=np.int8), name="id"))
    out = pd.read_parquet(_resample(tmp_path, frame))
    assert out["id"].iloc[:N].tolist() == list(range(108, 128))


def test_int64_index_at_dtype_max_is_written(tmp_path):
    labels = list(range(2**63 - N, 2**63))
    frame = _table(pd.Index(labels, dtype=np.int64, name="id"))
    out = pd.read_parquet(_resample(tmp_path, frame))
    assert out["id"].iloc[:N].tolist() == labels


def test_object_date_index_is_written_with_missing_synthetic_labels(tmp_path):
    dates = [datetime.date(2020, 1, i + 1) for i in range(N)]
    frame = _table(pd.Index(dates, name="d"))
    out = pd.read_parquet(_resample(tmp_path, frame))
    assert out["d"].iloc[:N].tolist() == dates
    assert out["d"].iloc[N:].isna().all()


def test_decimal_index_is_written(tmp_path):
    frame = _table(pd.Index([decimal.Decimal(i) for i in range(N)], name="d"))
    out = pd.read_parquet(_resample(tmp_path, frame))
    assert len(out) == 28 and out["d"].iloc[N:].isna().all()


def test_bool_index_synthetic_labels_are_missing(tmp_path):
    frame = _table(pd.Index([True, False] * (N // 2), name="flag"))
    out = pd.read_parquet(_resample(tmp_path, frame))
    assert out["flag"].iloc[N:].isna().all()


def test_partially_named_multiindex_gets_no_unnamed_column(tmp_path):
    index = pd.MultiIndex.from_arrays(
        [range(N), [f"r{i}" for i in range(N)]], names=["i", None]
    )
    dst = _resample(tmp_path, _table(index), out="out.csv")
    header = dst.read_text().splitlines()[0].split(",")
    assert all(header), header


def _smote_object(column):
    X = np.array([[v, float(i)] for i, v in enumerate(column)], dtype=object)
    y = np.array([0] * (N - 6) + [1] * 6)
    return SMOTE(k_neighbors=2, random_state=0).fit_resample(X, y)


def test_object_bools_floats_with_pd_na_reach_finiteness_check():
    column = [True if i % 2 else 1.5 for i in range(N)]
    column[3] = pd.NA
    with pytest.raises(
        ValueError, match=r"contains 1 NaN value\(s\) \(first at row 3, column 0\)"
    ):
        _smote_object(column)
    column[3] = None  # the same data with None: same error expected
    with pytest.raises(
        ValueError, match=r"contains 1 NaN value\(s\) \(first at row 3, column 0\)"
    ):
        _smote_object(column)


def test_object_numpy_bools_beside_floats_are_numbers():
    X_res, _ = _smote_object([np.True_ if i % 2 else 1.5 for i in range(N)])
    assert X_res.shape == (28, 2)


def test_object_timedeltas_beside_floats_are_not_numbers():
    column = [np.timedelta64(i, "s") if i % 2 else 1.5 for i in range(N)]
    with pytest.raises(ValueError):
        _smote_object(column)


def test_dask_engine_refuses_a_stored_named_index(tmp_path):
    pytest.importorskip("dask")
    from smotekit.cli._dask_io import resample_parquet_dask

    frame = _table(pd.Index(range(100, 100 + N), name="id"))
    frame.to_parquet(tmp_path / "in.parquet")
    with pytest.raises(ValueError, match=r"the input stores an index \('id'\)"):
        resample_parquet_dask(tmp_path / "in.parquet", tmp_path / "out", "label")
    assert not (tmp_path / "out").exists()
