"""Stored Parquet indexes through ``smotekit resample``, numbers of several
kinds held as objects, SVMSMOTE's parameter errors, sparse frames compared."""

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from smotekit import SMOTE, SVMSMOTE
from smotekit.cli.resample import resample_file
from smotekit.evaluation import compare_strategies

pytest.importorskip("pyarrow")


def _table(index=None, n=20):
    rng = np.random.RandomState(0)
    frame = pd.DataFrame(
        {"a": rng.randn(n), "b": rng.randn(n), "label": [0] * (n - 6) + [1] * 6}
    )
    if index is not None:
        frame.index = index
    return frame


def _resample_parquet(tmp_path, frame):
    src, dst = tmp_path / "in.parquet", tmp_path / "out.parquet"
    frame.to_parquet(src)
    resample_file(src, dst, "label", k_neighbors=2, random_state=0)
    return pd.read_parquet(dst)


@pytest.mark.parametrize("name", ["a", "label"])
def test_a_stored_index_named_like_a_column_is_refused_clearly(tmp_path, name):
    frame = _table(pd.Index(range(100, 120), name=name))
    with pytest.raises(ValueError, match=rf"stored index '{name}' has the name of a"):
        _resample_parquet(tmp_path, frame)
    assert not (tmp_path / "out.parquet").exists()


def test_a_stored_integer_index_continues(tmp_path):
    frame = _table(pd.Index(range(100, 120), name="id"))
    out = _resample_parquet(tmp_path, frame)
    assert list(out.columns) == ["id", "a", "b", "label"]
    assert out["id"].tolist() == list(range(100, 128))


def test_a_stored_date_index_leaves_the_synthetic_rows_undated(tmp_path):
    frame = _table(pd.date_range("2020-01-01", periods=20, name="t"))
    out = _resample_parquet(tmp_path, frame)
    assert len(out) == 28 and out["t"].dtype == frame.index.dtype
    assert out["t"].iloc[:20].tolist() == frame.index.tolist()
    assert out["t"].iloc[20:].isna().all()


def test_resample_parquet_unnamed_rangeindex_adds_no_column(tmp_path):
    frame = _table(pd.RangeIndex(5, 25))
    out = _resample_parquet(tmp_path, frame)
    assert list(out.columns) == ["a", "b", "label"]


def test_svmsmote_invalid_svm_param_not_blamed_on_scaling():
    from sklearn.svm import SVC
    from sklearn.utils._param_validation import InvalidParameterError

    rng = np.random.RandomState(0)
    X, y = rng.randn(20, 2), np.array([0] * 14 + [1] * 6)
    sampler = SVMSMOTE(svm_estimator=SVC(C=-1), k_neighbors=2, random_state=0)
    with pytest.raises(InvalidParameterError):
        sampler.fit_resample(X, y)


@pytest.mark.parametrize(
    "column",
    [
        [True if i % 2 else 1.5 for i in range(20)],
        [Fraction(i, 3) for i in range(20)],
    ],
    ids=["bool_and_float", "fraction"],
)
def test_object_numbers_inferred_mixed_are_numbers(column):
    X = np.array([[v, float(i)] for i, v in enumerate(column)], dtype=object)
    y = np.array([0] * 14 + [1] * 6)
    X_res, _ = SMOTE(k_neighbors=2, random_state=0).fit_resample(X, y)
    assert X_res.shape == (28, 2)


def test_compare_strategies_sparse_frame_default_model():
    rng = np.random.RandomState(0)
    X = sp.random(60, 3, density=0.6, random_state=rng, format="csr")
    frame = pd.DataFrame.sparse.from_spmatrix(X)
    y = np.array([0] * 45 + [1] * 15)
    result = compare_strategies(
        frame, y, cv=2, n_repeats=1, random_state=0, strategies=["none"]
    )
    assert "none" in result.labels
