"""SMOTETomek / SMOTEENN: the provenance of the surviving synthetic rows of a
SMOTENC keeps its copied columns whole."""

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from smotekit import SMOTEENN, SMOTENC, SMOTETomek


@pytest.mark.parametrize("combined", [SMOTETomek, SMOTEENN])
def test_provenance_of_kept_smotenc_rows_keeps_its_copied_columns(combined):
    rng = np.random.default_rng(0)
    n = 60
    X = np.column_stack(
        [rng.normal(size=n), rng.integers(0, 3, n), rng.normal(size=n)]
    ).astype(float)
    y = np.array([0] * 45 + [1] * 15)
    sampler = combined(smote=SMOTENC(categorical_features=[1]), random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    n_kept = int((sampler.sample_indices_ >= 0).sum())
    p = sampler.provenance_
    assert len(p) == len(X_res) - n_kept > 0
    assert p.copied_columns.tolist() == [1]
    assert p.copied_from.shape == (len(p), 1)
    synth = X_res[n_kept:]
    assert_array_equal(synth[:, 1], X[p.copied_from[:, 0], 1])
    expected = X[p.parent] + p.gap[:, None] * (X[p.neighbor] - X[p.parent])
    np.testing.assert_allclose(synth[:, [0, 2]], expected[:, [0, 2]], rtol=1e-12)
