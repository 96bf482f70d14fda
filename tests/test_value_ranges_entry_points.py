"""The value-range rules on every entry point: frames (numpy, nullable and
pyarrow dtypes), CSR, polars, SMOTENC, the combination samplers and the
command line keep 64-bit integers past 2**53 on their segments; the
cleaning samplers decide neighbours and ties on extreme magnitudes as on
the same data scaled by a power of two.
"""

import subprocess
import sys
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

import smotekit as sk
from segment_rules import off_segment

TOP = 2**53 + 1  # float64 holds 2**53 and 2**53 + 2, not this
F64_MAX = np.finfo(np.float64).max


def _labels_4_6():
    return np.array([1] * 4 + [0] * 6)


# --------------------------------------------------------------------------
# 64-bit integers past 2**53 in DataFrames, CSR, polars, SMOTENC, combine, CLI
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dtype", ["int64", "uint64", "Int64", "UInt64", "int64[pyarrow]", "uint64[pyarrow]"]
)
@pytest.mark.parametrize("mixed", [False, True], ids=["alone", "mixed"])
def test_smote_frame_integers_past_2_53_that_are_all_equal_stay_exact(dtype, mixed):
    # Formerly: a DataFrame is read as one float64 matrix (_data._frame_to_matrix,
    # _data.py), so 2**53 + 1 becomes 2**53 and the synthetic value,
    # cast back to the column's dtype, is 2**53, outside the segment of its
    # two rows (both 2**53 + 1). The numpy path keeps it (_within_segments).
    # Expected: as for a numpy int64 array, every synthetic value is 2**53 + 1.
    columns = {"a": pd.array([TOP] * 4 + list(range(6)), dtype=dtype)}
    if mixed:
        columns["b"] = np.arange(10.0)
    X = pd.DataFrame(columns)
    X_res, _ = sk.SMOTE(random_state=0, k_neighbors=3).fit_resample(X, _labels_4_6())
    assert X_res["a"].dtype == X["a"].dtype
    assert [int(v) for v in X_res["a"].iloc[10:]] == [TOP, TOP]


def test_smote_csr_integers_past_2_53_that_are_all_equal_stay_exact():
    # Formerly: interpolate_sparse (_generation.py) builds int64 rows in
    # float64 and only rounds/clips them into the dtype's range
    # (round_into_range, line 430): no _within_segments step as in the dense
    # path, so two rows of 2**53 + 1 give 2**53.
    # Expected: as for the dense array, 2**53 + 1.
    X = np.c_[np.array([TOP] * 4 + list(range(1, 7))), np.array([1, 2] * 5)]
    X_res, _ = sk.SMOTE(random_state=0, k_neighbors=3).fit_resample(
        sparse.csr_matrix(X), _labels_4_6()
    )
    assert X_res.dtype == np.int64
    assert X_res.toarray()[10:, 0].tolist() == [TOP, TOP]


@pytest.mark.parametrize("container", ["frame", "csr"])
def test_smotenc_integers_past_2_53_that_are_all_equal_stay_exact(container):
    # Formerly: SMOTENC reads a frame's continuous columns into float64
    # (categorical/_categories.py) and interpolates there
    # (_assemble_frame, line 408); sparse input goes through
    # interpolate_sparse: neither keeps int64 values on their segment, so two
    # rows of 2**53 + 1 give 2**53. (A numpy int64 array is handled right.)
    # Expected: 2**53 + 1, the value of both rows.
    y = _labels_4_6()
    if container == "frame":
        X = pd.DataFrame(
            {"a": np.array([TOP] * 4 + list(range(1, 7))), "c": list("xyxyxyxyxy")}
        )
        sampler = sk.SMOTENC(categorical_features=[1], random_state=0, k_neighbors=3)
        X_res, _ = sampler.fit_resample(X, y)
        assert X_res["a"].dtype == np.int64
        values = X_res["a"].iloc[10:].tolist()
    else:
        X = np.c_[np.array([TOP] * 4 + list(range(1, 7))), np.array([1, 2] * 5)]
        sampler = sk.SMOTENC(categorical_features=[1], random_state=0, k_neighbors=3)
        X_res, _ = sampler.fit_resample(sparse.csr_matrix(X), y)
        values = X_res.toarray()[10:, 0].tolist()
    assert values == [TOP, TOP]


def test_polars_int64_past_2_53_that_are_all_equal_stay_exact():
    # Formerly: polars Int64 becomes a pandas int64 column, then the float64
    # matrix of the DataFrame path (see above): 2**53 + 1 comes back 2**53.
    # Expected: 2**53 + 1.
    pl = pytest.importorskip("polars")
    X = pl.DataFrame(
        {
            "a": pl.Series([TOP] * 4 + list(range(6)), dtype=pl.Int64),
            "b": np.arange(10.0),
        }
    )
    X_res, _ = sk.SMOTE(random_state=0, k_neighbors=3).fit_resample(X, _labels_4_6())
    assert X_res.schema == X.schema
    assert X_res["a"].to_list()[10:] == [TOP, TOP]


@pytest.mark.parametrize("combine", [sk.SMOTEENN, sk.SMOTETomek])
def test_combined_samplers_keep_frame_integers_past_2_53(combine):
    # Formerly: the combination samplers hand a frame to SMOTE's frame path:
    # the synthetic rows of two rows of 2**53 + 1 hold 2**53 (numpy input
    # gives 2**53 + 1).
    # Expected: the synthetic values are 2**53 + 1, as with a numpy array.
    X = pd.DataFrame({"a": np.array([TOP] * 4 + list(range(6))), "b": np.arange(10)})
    y = _labels_4_6()
    sampler = combine(random_state=0, smote=sk.SMOTE(random_state=0, k_neighbors=3))
    X_res, _ = sampler.fit_resample(X, y)
    synth = X_res["a"].to_numpy()[10:]  # the synthetic rows (class 1)
    assert len(synth) > 0
    assert synth.tolist() == [TOP] * len(synth)


@pytest.mark.parametrize("ext", ["csv", "parquet"])
def test_cli_resample_keeps_int64_past_2_53_on_their_segments(tmp_path, ext):
    # Formerly: `smotekit resample` (pandas engine) reads the int64 column and
    # SMOTE's frame path builds it in float64: the synthetic values of rows
    # that are all 2**62 + 1 or 2**62 + 3 come out as 2**62, below every
    # input value of the column.
    # Expected: int64 kept, every synthetic value between its two rows'
    # values, so within [min, max] of the column and odd here.
    if ext == "parquet":
        pytest.importorskip("pyarrow")
    rng = np.random.default_rng(0)
    n = 60
    frame = pd.DataFrame(
        {
            "i64": (2**62 + 1 + 2 * rng.integers(0, 2, n)).astype(np.int64),
            "x": rng.normal(size=n),
            "label": np.r_[np.zeros(45, int), np.ones(15, int)],
        }
    )
    src, out = tmp_path / f"in.{ext}", tmp_path / f"out.{ext}"
    if ext == "csv":
        frame.to_csv(src, index=False)
    else:
        frame.to_parquet(src, index=False)
    subprocess.run(
        [sys.executable, "-m", "smotekit", "resample", str(src), "-o", str(out),
         "--target", "label", "--random-state", "0", "-q"],
        check=True,
    )  # fmt: skip
    back = pd.read_csv(out) if ext == "csv" else pd.read_parquet(out)
    assert back["i64"].dtype == np.int64
    assert (back["i64"].iloc[:n].to_numpy() == frame["i64"].to_numpy()).all()
    synth = [int(v) for v in back["i64"].iloc[n:]]
    assert len(synth) == 30
    assert min(synth) >= 2**62 + 1 and max(synth) <= 2**62 + 3
    assert all(v % 2 == 1 for v in synth)


# --------------------------------------------------------------------------
# cleaning samplers: ties decided on distances in the caller's units
# --------------------------------------------------------------------------


def _tomek_near_the_top():
    M = 1.7e308  # every distance overflows float64 (inf), none in scaled units
    X = np.array([[-M, -M], [M, M], [-M, M]])
    return X, np.array([0, 1, 0])


def test_tomek_links_near_float64_max_match_the_scaled_data():
    # Formerly: all pairwise distances are beyond float64 (ExactNeighbors returns
    # them unscaled: _neighbors.py, inf), so location_neighbors
    # (under_sampling/_neighborhood.py) takes every point as
    # tied with every other: a-b becomes a Tomek link although c is closer
    # to a (2M against 2.83M). With sampling_strategy='all' every row goes.
    # Expected: the rows kept for the same data scaled by 2**-1000 (exact):
    # only the link b-c, so row a is kept.
    X, y = _tomek_near_the_top()
    X_res, y_res = sk.TomekLinks(sampling_strategy="all").fit_resample(X, y)
    X_small, y_small = sk.TomekLinks(sampling_strategy="all").fit_resample(
        np.ldexp(X, -1000), y
    )
    np.testing.assert_array_equal(X_res, np.ldexp(X_small, 1000))
    np.testing.assert_array_equal(y_res, y_small)


def _enn_near_the_top():
    # row 0's 3rd neighbour is row 4 (0.2e308, class 0; 1.9e308 away); row
    # 3 (0.5e308, class 1) is further (2.2e308), but both distances are inf
    X = np.array([-1.7, -1.6, -1.5, 0.5, 0.2, 1.0, 1.05, 1.1])[:, None] * 1e308
    y = np.array([0, 0, 0, 1, 0, 1, 1, 1])
    return X, y


def test_enn_near_float64_max_matches_the_scaled_data():
    # Formerly: the neighbours are sorted on their unscaled distances
    # (_neighborhood.py): two distances past float64's largest are
    # both inf, so the tie is broken by row index and row 3 (class 1) comes
    # before the truly nearer row 4: rows 0 and 1 are removed.
    # Expected: the result of the same data scaled by 2**-1000: all class-0
    # rows of the left cluster kept.
    X, y = _enn_near_the_top()
    enn = sk.EditedNearestNeighbours(sampling_strategy="all", kind_sel="all")
    X_res, _ = enn.fit_resample(X, y)
    X_small, _ = sk.EditedNearestNeighbours(
        sampling_strategy="all", kind_sel="all"
    ).fit_resample(np.ldexp(X, -1000), y)
    np.testing.assert_array_equal(X_res, np.ldexp(X_small, 1000))


def test_enn_on_subnormal_values_matches_the_scaled_data():
    # Formerly: distances of subnormal points come back rounded to the
    # subnormal grid (_unscaled, _neighbors.py): |(5, 1)| = 5.099 and
    # |(3, 4)| = 5 (units of 5e-324) both become 5 units, a false tie
    # broken by row index: row 0's nearest neighbour is taken to be row 1
    # (class 1) instead of row 2 (class 0), and row 0 is removed.
    # Expected: the same rows as for the data scaled by 2**1074 (integers).
    u = 5e-324
    grid = np.array([[0, 0], [5, 1], [3, 4], [40, 40], [41, 40], [40, 42]], float)
    y = np.array([0, 1, 0, 1, 1, 0])
    enn = sk.EditedNearestNeighbours(n_neighbors=1, sampling_strategy="all")
    _, y_tiny = enn.fit_resample(grid * u, y)
    _, y_grid = sk.EditedNearestNeighbours(
        n_neighbors=1, sampling_strategy="all"
    ).fit_resample(grid, y)
    np.testing.assert_array_equal(y_tiny, y_grid)


def test_smoteenn_near_float64_max_matches_the_scaled_data():
    # Formerly: SMOTEENN's cleaning step is ENN with the same inf ties: the
    # balanced data (no synthetic row) loses rows 0 and 1.
    # Expected: the result of the data scaled by 2**-1000, scaled back.
    X, y = _enn_near_the_top()
    X_res, _ = sk.SMOTEENN(random_state=0).fit_resample(X, y)
    X_small, _ = sk.SMOTEENN(random_state=0).fit_resample(np.ldexp(X, -1000), y)
    np.testing.assert_array_equal(X_res, np.ldexp(X_small, 1000))


# ------------------------------------------------- integers held as objects

BIG = 2**60
OBJECT_VALUES = [BIG + v for v in (1, 3, 5, 7, 9, 11, 13, 15, 101, 203, 305, 407,
                                   509, 611)]  # fmt: skip
OBJECT_Y = np.r_[np.zeros(8, int), np.ones(6, int)]


@pytest.mark.parametrize("scale", [1, 2**10], ids=["2**60", "2**70"])
@pytest.mark.parametrize(
    "make",
    [
        lambda: sk.SMOTE(random_state=0, k_neighbors=2),
        lambda: sk.SMOTENC(["c"], random_state=0, k_neighbors=2),
        lambda: sk.SVMSMOTE(random_state=0, k_neighbors=2),
        lambda: sk.SMOTETomek(smote=sk.SMOTENC(["c"], k_neighbors=2), random_state=0),
    ],
    ids=["SMOTE", "SMOTENC", "SVMSMOTE", "SMOTETomek"],
)
def test_object_integer_column_past_2_53_stays_on_segments(make, scale):
    # a column of Python ints (past 64 bits too) keeps them as ints, each
    # synthetic one between its rows' values as in an int64 column
    values = [v * scale for v in OBJECT_VALUES]
    X = pd.DataFrame({
        "a": pd.Series(values, dtype=object),
        "c": np.array([0, 1] * 7, dtype=np.int64),
        "f": [0.0] * 8 + [1.0, 1.1, 1.2, 1.3, 1.4, 1.5],
    })  # fmt: skip
    sampler = make()
    X_res, _ = sampler.fit_resample(X, OBJECT_Y)
    column = X_res["a"].tolist()
    kept = getattr(sampler, "sample_indices_", None)
    if kept is None:
        assert column[: len(X)] == values
        synthetic = column[len(X) :]
    else:  # a combination: the surviving rows, synthetic ones marked -1
        assert [column[i] for i in np.flatnonzero(kept >= 0)] == [
            values[i] for i in kept[kept >= 0]
        ]
        synthetic = [column[i] for i in np.flatnonzero(kept < 0)]
    assert len(synthetic) == len(sampler.provenance_) > 0
    assert all(type(v) is int for v in synthetic)
    assert off_segment(values, sampler.provenance_, synthetic) == []


def test_object_integer_column_is_built_exactly_from_its_rows():
    # Python ints past 2**53 (float64's spacing at 1e20 is 16384): each
    # synthetic value is a + gap * (b - a) in exact arithmetic, rounded half
    # to even, not one of its rows' values as float64 would give
    values = [10**20 + 10 * i for i in range(8)] + [10**20 + 7 * i for i in range(6)]
    f = [0.0] * 8 + [1.0, 1.1, 1.2, 1.3, 1.4, 1.5]
    X = pd.DataFrame({"a": pd.Series(values, dtype=object), "f": f})
    sampler = sk.SMOTE(random_state=0, k_neighbors=2)
    X_res, _ = sampler.fit_resample(X, OBJECT_Y)
    p = sampler.provenance_
    expected = [
        values[a] + round(Fraction(float(g)) * (values[b] - values[a]))
        for a, b, g in zip(p.parent, p.neighbor, p.gap, strict=True)
    ]
    assert X_res["a"].tolist()[len(X) :] == expected
    assert set(expected) - set(values)  # values between the rows' own


def test_numpy_object_array_in_smotenc_keeps_integers_on_segments():
    X = np.empty((14, 2), dtype=object)
    X[:, 0] = OBJECT_VALUES
    X[:, 1] = ["u", "v"] * 7
    sampler = sk.SMOTENC([1], random_state=0, k_neighbors=2)
    X_res, _ = sampler.fit_resample(X, OBJECT_Y)
    synthetic = X_res[len(X) :, 0].tolist()
    assert all(type(v) is int for v in synthetic)
    assert off_segment(OBJECT_VALUES, sampler.provenance_, synthetic) == []
