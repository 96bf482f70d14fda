"""Decimal columns (objects of ``decimal.Decimal``, pyarrow ``decimal128``):
synthetic values are decimals at the column's scale, built exactly from
their two rows, so they lie between the rows' values whatever the digits."""

import decimal

import numpy as np
import pandas as pd
import pytest

import smotekit as sk
from segment_rules import off_segment

pa = pytest.importorskip("pyarrow")

N_MAJ, N_MIN = 45, 15
N = N_MAJ + N_MIN
Y = np.r_[np.zeros(N_MAJ, dtype=np.int64), np.ones(N_MIN, dtype=np.int64)]


def cents(seed):
    rng = np.random.default_rng(seed)
    return [decimal.Decimal(int(v)).scaleb(-2) for v in rng.integers(0, 10_000, N)]


def wide(seed):
    rng = np.random.default_rng(seed)
    return [decimal.Decimal(10**30 + int(v)) for v in rng.integers(0, 10, N)]


def column(values, kind):
    if kind == "object":
        return pd.Series(values, dtype=object)
    exponent = min(v.as_tuple().exponent for v in values)
    arrow = pa.decimal128(38, -exponent)
    return pd.Series(pd.array(values, dtype=pd.ArrowDtype(arrow)))


SAMPLERS = {
    "SMOTE": lambda: sk.SMOTE(random_state=0),
    "SVMSMOTE": lambda: sk.SVMSMOTE(random_state=0),
    "BorderlineSMOTE": lambda: sk.BorderlineSMOTE(random_state=0),
    "SMOTENC": lambda: sk.SMOTENC(["c"], random_state=0),
}


@pytest.mark.parametrize("kind", ["object", "arrow"])
@pytest.mark.parametrize("make_values", [cents, wide], ids=["cents", "1e30"])
@pytest.mark.parametrize("name", list(SAMPLERS))
def test_synthetic_decimals_are_exact_and_on_their_segments(name, make_values, kind):
    values = make_values(1)
    rng = np.random.default_rng(2)
    X = pd.DataFrame({
        "x": rng.normal(size=N) + Y,
        "d": column(values, kind),
        "c": rng.integers(0, 3, N),
    })  # fmt: skip
    sampler = SAMPLERS[name]()
    X_res, _ = sampler.fit_resample(X, Y)
    assert X_res["d"].dtype == X["d"].dtype
    assert X_res["d"].iloc[:N].tolist() == values
    synthetic = X_res["d"].iloc[N:].tolist()
    assert len(synthetic) == len(sampler.provenance_) > 0
    assert all(isinstance(v, decimal.Decimal) for v in synthetic)
    exponent = min(v.as_tuple().exponent for v in values)
    assert all(v.as_tuple().exponent == exponent for v in synthetic)
    assert off_segment(values, sampler.provenance_, synthetic) == []


def test_decimals_are_the_exact_interpolation_rounded_half_even():
    values = cents(3)
    X = pd.DataFrame({"x": np.arange(N, dtype=float), "d": column(values, "object")})
    sampler = sk.SMOTE(random_state=0)
    X_res, _ = sampler.fit_resample(X, Y)
    p = sampler.provenance_
    context = decimal.Context(prec=1000, rounding=decimal.ROUND_HALF_EVEN)
    for j, got in enumerate(X_res["d"].iloc[N:]):
        a, b = values[p.parent[j]], values[p.neighbor[j]]
        exact = context.add(a, context.multiply(decimal.Decimal(float(p.gap[j])),
                                                context.subtract(b, a)))  # fmt: skip
        assert got == exact.quantize(decimal.Decimal("0.01"), context=context)


def test_smoothed_copies_of_decimals_are_decimals_at_the_scale():
    values = cents(4)
    X = pd.DataFrame({"x": np.arange(N, dtype=float), "d": column(values, "object")})
    X_res, _ = sk.RandomOverSampler(shrinkage=0.5, random_state=0).fit_resample(X, Y)
    synthetic = X_res["d"].iloc[N:].tolist()
    assert all(isinstance(v, decimal.Decimal) for v in synthetic)
    assert all(v.as_tuple().exponent == -2 for v in synthetic)
    assert len(set(synthetic) - set(values)) > 0  # noise was added


@pytest.mark.parametrize("container", ["pandas", "polars"])
def test_smoothed_arrow_decimals_saturate_at_the_dtype_limits(container):
    pa = pytest.importorskip("pyarrow")
    values = [decimal.Decimal("99.99"), decimal.Decimal("-99.99")] * 5
    y = np.array([1] * 3 + [0] * 7)
    if container == "polars":
        pl = pytest.importorskip("polars")
        X = pl.DataFrame({"d": pl.Series(values, dtype=pl.Decimal(4, 2))})
    else:
        X = pd.DataFrame(
            {"d": pd.array(values, dtype=pd.ArrowDtype(pa.decimal128(4, 2)))}
        )
    X_res, _ = sk.RandomOverSampler(shrinkage=5.0, random_state=0).fit_resample(X, y)
    out = X_res["d"].to_list()
    assert (
        X_res.schema == X.schema
        if container == "polars"
        else (X_res.dtypes.equals(X.dtypes))
    )
    assert out[:10] == values
    top = decimal.Decimal("99.99")
    assert all(-top <= v <= top for v in out[10:])
    assert top in out[10:] or -top in out[10:]  # some noise went past
