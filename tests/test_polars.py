"""polars in, polars out (the check every sampler passes is in test_common.py)."""

from datetime import date, timedelta

import numpy as np
import pytest

from smotekit import SMOTE, SMOTEN, SMOTENC, RandomOverSampler, RandomUnderSampler
from smotekit.evaluation import ResampledClassifier

pl = pytest.importorskip("polars")
pytest.importorskip("pyarrow")


def polars_frame(X):
    """Numeric columns of several polars dtypes."""
    return pl.DataFrame(
        {
            "f64": X[:, 0],
            "f32": pl.Series(X[:, 1], dtype=pl.Float32),
            "i64": np.round(X[:, 2] * 100).astype(np.int64),
            "i32": pl.Series(np.round(X[:, 3] * 10), dtype=pl.Int32),
            "u8": pl.Series(
                np.clip(np.round(X[:, 0] * 20 + 100), 0, 255), dtype=pl.UInt8
            ),
        }
    )


def test_polars_categorical_columns_keep_their_dtypes(binary_data):
    X, y = binary_data
    colours = np.array(["red", "green", "blue"])[
        (X[:, 1] > 0).astype(int) + (X[:, 2] > 0.5)
    ]
    frame = pl.DataFrame(
        {
            "amount": X[:, 0],
            "colour": pl.Series(colours, dtype=pl.Enum(["blue", "green", "red"])),
            "shape": pl.Series(np.where(X[:, 3] > 0, "square", "round")),
            "size": pl.Series(np.where(X[:, 0] > 0.3, "L", "S"), dtype=pl.Categorical),
        }
    )
    labels = pl.Series("fraud", y.astype(bool))

    X_res, y_res = SMOTENC(categorical_features="auto", random_state=0).fit_resample(
        frame, labels
    )

    assert X_res.schema == frame.schema
    assert y_res.dtype == pl.Boolean and y_res.name == "fraud"
    assert y_res.sum() * 2 == len(y_res)
    assert set(X_res["colour"].to_list()) <= {"blue", "green", "red"}
    assert set(X_res["shape"].to_list()) <= {"square", "round"}
    assert X_res.head(len(y)).equals(frame)

    only_categories = frame.drop("amount")
    X_cat, _ = SMOTEN(random_state=0).fit_resample(only_categories, labels)
    assert X_cat.schema == only_categories.schema


def test_either_argument_alone_may_be_polars(binary_data):
    X, y = binary_data
    X_res, y_res = SMOTE(random_state=0).fit_resample(X, pl.Series("t", y))
    assert isinstance(X_res, np.ndarray) and isinstance(y_res, pl.Series)
    X_res2, y_res2 = SMOTE(random_state=0).fit_resample(pl.DataFrame(X), y)
    assert isinstance(X_res2, pl.DataFrame) and isinstance(y_res2, np.ndarray)
    np.testing.assert_array_equal(y_res, y_res2)
    np.testing.assert_array_equal(X_res, X_res2.to_numpy())


def test_a_one_column_polars_frame_as_labels(binary_data):
    X, y = binary_data
    target = pl.DataFrame({"t": y})
    _, y_res = RandomUnderSampler(random_state=0).fit_resample(X, target)
    assert isinstance(y_res, pl.DataFrame) and y_res.schema == target.schema
    assert y_res["t"].to_list().count(0) == int(np.sum(y == 1))


def test_fit_names_the_polars_columns(binary_data):
    X, y = binary_data
    sampler = SMOTE().fit(polars_frame(X), pl.Series(y))
    assert sampler.get_feature_names_out().tolist() == [
        "f64",
        "f32",
        "i64",
        "i32",
        "u8",
    ]
    assert sampler.sampling_strategy_ == {1: int(np.sum(y == 0) - np.sum(y == 1))}


def test_a_lazy_frame_is_refused_with_the_fix(binary_data):
    X, y = binary_data
    lazy = polars_frame(X).lazy()
    with pytest.raises(
        TypeError, match=r"SMOTE: X is a polars LazyFrame.*X\.collect\(\)"
    ):
        SMOTE().fit_resample(lazy, y)


def test_missing_pyarrow_names_the_extra(binary_data, monkeypatch):
    X, y = binary_data

    def no_pyarrow(self, *args, **kwargs):
        raise ModuleNotFoundError("No module named 'pyarrow'")

    monkeypatch.setattr(pl.DataFrame, "to_pandas", no_pyarrow)
    with pytest.raises(ImportError, match=r"SMOTE: .*pyarrow.*smotekit\[polars\]"):
        SMOTE().fit_resample(polars_frame(X), y)


def test_polars_nulls_get_the_missing_value_error(binary_data):
    X, y = binary_data
    frame = polars_frame(X).with_columns(
        pl.when(pl.int_range(pl.len()) == 3)
        .then(None)
        .otherwise(pl.col("f64"))
        .alias("f64")
    )
    with pytest.raises(ValueError, match="NaN"):
        SMOTE().fit_resample(frame, y)


def test_inside_a_resampled_classifier(binary_data):
    from sklearn.linear_model import LogisticRegression

    X, y = binary_data
    frame = polars_frame(X)
    model = ResampledClassifier(SMOTE(random_state=0), LogisticRegression()).fit(
        frame, pl.Series(y)
    )
    assert model.predict(frame).shape == (len(y),)
    assert list(model.feature_names_in_) == frame.columns


def every_dtype_frame(n):
    """One column of each polars dtype pandas can hold, nulls in most."""
    rng = np.random.default_rng(0)
    big = [None] + [2**53 + 1 + 2 * i for i in range(n - 1)]
    floats = rng.normal(size=n)
    floats[1] = np.nan
    return pl.DataFrame(
        {
            "i64": pl.Series(big, dtype=pl.Int64),
            "u64": pl.Series([2**64 - 1 - i for i in range(n)], dtype=pl.UInt64),
            "i8": pl.Series([None, *rng.integers(-128, 128, n - 1)], dtype=pl.Int8),
            "f32": pl.Series([None, *floats[1:]], dtype=pl.Float32),
            "f64": floats,  # a NaN, no null
            "flag": pl.Series([None, *(floats[1:] > 0)], dtype=pl.Boolean),
            "text": pl.Series([None, *rng.choice(["a", "b"], n - 1)]),
            "cat": pl.Series(rng.choice(["x", "y"], n), dtype=pl.Categorical),
            "enum": pl.Series(rng.choice(["lo", "hi"], n), dtype=pl.Enum(["lo", "hi"])),
            "day": pl.Series([date(2024, 1, 1) + timedelta(days=i) for i in range(n)]),
            "money": pl.Series(
                [None, *[f"{v:.2f}" for v in rng.normal(size=n - 1)]], dtype=pl.String
            ).cast(pl.Decimal(10, 2)),
        }
    )


@pytest.mark.parametrize(
    "sampler",
    [RandomOverSampler(random_state=0), RandomUnderSampler(random_state=0)],
    ids=["over", "under"],
)
def test_rows_of_every_dtype_come_back_exactly(sampler):
    # nulls, NaN (not null), integers past 2**53, Decimal, dates: the samplers
    # that take any data return the original rows as they were
    frame = every_dtype_frame(40)
    y = np.array([0] * 30 + [1] * 10)

    X_res, _ = sampler.fit_resample(frame, y)

    assert X_res.schema == frame.schema
    rows = sampler.sample_indices_
    assert X_res.equals(frame[rows.tolist()])
    assert X_res["f64"].is_nan().sum() == frame["f64"][rows.tolist()].is_nan().sum()
    assert X_res["f64"].null_count() == 0


def test_decimal_columns_are_interpolated(binary_data):
    X, y = binary_data
    frame = pl.DataFrame(
        {"a": X[:, 0], "money": pl.Series(np.round(X[:, 1], 2)).cast(pl.Decimal(10, 2))}
    )
    X_res, _ = SMOTE(random_state=0).fit_resample(frame, y)
    assert X_res.schema == frame.schema
    assert X_res.head(len(y)).equals(frame)
    low, high = frame["money"].min(), frame["money"].max()
    assert X_res["money"].is_between(low, high).all()


def test_a_null_boolean_gets_the_missing_value_error(binary_data):
    X, y = binary_data
    frame = pl.DataFrame(
        {"a": X[:, 0], "c": pl.Series([None, *(X[1:, 1] > 0)], dtype=pl.Boolean)}
    )
    with pytest.raises(
        ValueError, match=r"contains 1 NaN value\(s\) \(first at row 0, column 'c'\)"
    ):
        SMOTE().fit_resample(frame, y)


def test_a_column_pandas_cannot_hold_is_named(binary_data):
    X, y = binary_data
    frame = pl.DataFrame({"a": X[:, 0], "c": pl.Series(range(len(y)), dtype=pl.Int128)})
    with pytest.raises(
        TypeError,
        match=r"SMOTE: column\(s\) 'c' \(Int128\) of the polars X have no pandas",
    ):
        SMOTE().fit_resample(frame, y)


def test_a_one_hot_polars_target_comes_back_as_polars(binary_data):
    X, y = binary_data
    target = pl.DataFrame({"neg": (y == 0).astype(np.int64), "pos": y})
    _, y_res = SMOTE(random_state=0).fit_resample(X, target)
    assert isinstance(y_res, pl.DataFrame) and y_res.schema == target.schema
    assert y_res.sum().row(0) == (96, 96)
    assert y_res.head(len(y)).equals(target)
