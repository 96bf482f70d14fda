"""polars in, polars out (the check every sampler passes is in test_common.py)."""

import numpy as np
import pytest

from smotekit import SMOTE, SMOTEN, SMOTENC, RandomUnderSampler
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
