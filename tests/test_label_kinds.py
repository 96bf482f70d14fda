"""Date and duration labels at every resolution: samplers take them, and
parameters keyed by classes (sampling_strategy, shrinkage) name a class by
the same instant or duration given at any resolution or as a pandas or
Python value."""

import numpy as np
import pandas as pd
import pytest

import smotekit as sk

_YI = np.repeat([0, 1], [28, 12])
_X = np.random.default_rng(0).normal(size=(40, 2))


def _dates(unit):
    return np.array(["2020-01-01", "2021-01-01"], dtype=f"datetime64[{unit}]")


# Formerly: RandomUnderSampler crashes with KeyError on labels whose
# item() is a bare int (datetime64[ns]/[ps], timedelta64[ns]/[Y]).
# under_sampling/_base.py _class_positions still converts with a raw
# ``c.item()`` (an int) while sampling_strategy_ keys now come from
# python_scalar (numpy scalars kept): positions[cls] in _random_under.py
# misses. Expected: 12 rows of each class, as with datetime64[s] labels.
@pytest.mark.parametrize(
    "labels",
    [
        _dates("ns"),
        np.array([1, 2], dtype="datetime64[ps]"),
        np.array([1, 2], dtype="timedelta64[ns]"),
        np.array([1, 2], dtype="timedelta64[Y]"),
        pd.to_datetime(["2020-01-01", "2021-01-01"]).as_unit("ns").to_numpy(),
    ],
    ids=["M8[ns]", "M8[ps]", "m8[ns]", "m8[Y]", "pandas-ns"],
)
def test_random_under_sampler_takes_labels_kept_as_numpy(labels):
    y = labels[_YI]
    _, y_res = sk.RandomUnderSampler(random_state=0).fit_resample(_X, y)
    assert y_res.dtype == y.dtype
    assert np.unique(y_res, return_counts=True)[1].tolist() == [12, 12]


def test_random_under_sampler_ns_series_labels():
    # same cause as above, through a pandas Series of Timestamps (ns) and
    # a categorical of ns dates. Expected: 12 rows per class.
    dates = pd.to_datetime(["2020-01-01", "2021-01-01"]).as_unit("ns")
    for y in (pd.Series(dates[_YI], name="t"), pd.Series(pd.Categorical(dates[_YI]))):
        _, y_res = sk.RandomUnderSampler(random_state=0).fit_resample(_X, y)
        assert y_res.value_counts().tolist() == [12, 12]


# Formerly: a RandomOverSampler 'shrinkage' dict keyed by the very
# label of a datetime64[ns] class is refused as "missing:
# np.datetime64('2021-01-01T00:00:00.000000000')". over_sampling/
# _random_over.py _resolve_shrinkage converts keys with a raw ``k.item()``
# (an int) instead of python_scalar. Expected: the factor is used.
def test_shrinkage_dict_keyed_by_ns_date_label():
    y = _dates("ns")[_YI]
    sampler = sk.RandomOverSampler(shrinkage={y[-1]: 0.5}, random_state=0)
    _, y_res = sampler.fit_resample(_X, y)
    assert np.unique(y_res, return_counts=True)[1].tolist() == [28, 28]
    assert list(sampler.shrinkage_.values()) == [0.5]


# Formerly: a sampling_strategy key naming the label's date at another
# resolution (or as a pd.Timestamp on [D] labels) is "not in y": python_scalar turns
# a date into datetime.datetime, datetime.date or keeps np.datetime64
# depending on the unit alone (_strategy.py python_scalar, used by
# _from_dict/_lookup), and np.datetime64[ns] != datetime.datetime. The
# error even lists the equal date as present. pandas 3 makes dates [us]
# by default, numpy's np.datetime64("2021-01-01") is [D]: the same day
# given any way should name the class. Expected: the class is resampled
# to 20 (equal dates compare equal: numpy says
# np.datetime64('2021-01-01', 'ns') == np.datetime64('2021-01-01', 'us')).
@pytest.mark.parametrize(
    "unit, key",
    [
        ("us", np.datetime64("2021-01-01", "ns")),
        ("us", np.datetime64("2021-01-01")),  # [D], numpy's default here
        ("ns", np.datetime64("2021-01-01", "us")),
        ("s", np.datetime64("2021-01-01", "ns")),
        ("D", pd.Timestamp("2021-01-01")),
    ],
    ids=["us<-ns", "us<-D", "ns<-us", "s<-ns", "D<-Timestamp"],
)
def test_sampling_strategy_key_equal_date_other_resolution(unit, key):
    y = _dates(unit)[_YI]
    assert (y == key).sum() == 12  # numpy: the key is that class
    _, y_res = sk.SMOTE(sampling_strategy={key: 20}, random_state=0).fit_resample(_X, y)
    assert np.unique(y_res, return_counts=True)[1].tolist() == [28, 20]
