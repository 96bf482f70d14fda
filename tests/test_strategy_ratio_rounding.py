"""A float ratio equal to the current one, whose product rounds just below
the minority count, is refused as 'not one new sample', not as 'removing
samples'."""

import numpy as np
import pytest

from smotekit import SMOTE
from smotekit._strategy import SamplingStrategyError, resolve_sampling_strategy


@pytest.mark.parametrize("n_minority, n_majority", [(15, 22), (13, 23), (15, 26)])
def test_current_ratio_is_not_taken_for_a_smaller_one(n_minority, n_majority):
    ratio = n_minority / n_majority
    assert n_majority * ratio < n_minority  # float64 rounds the product down
    y = np.array([0] * n_majority + [1] * n_minority)
    with pytest.raises(SamplingStrategyError, match="not one new sample") as info:
        resolve_sampling_strategy(ratio, y, "SMOTE")
    assert "cannot remove" not in str(info.value)
    X = np.random.default_rng(0).normal(size=(len(y), 2))
    with pytest.raises(SamplingStrategyError, match="not one new sample"):
        SMOTE(sampling_strategy=ratio).fit_resample(X, y)
