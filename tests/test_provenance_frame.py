"""provenance_.to_frame: each column holds its own field."""

import numpy as np
from numpy.testing import assert_array_equal

from smotekit import SMOTE


def test_to_frame_columns_hold_their_own_fields():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    y = np.array([0] * 45 + [1] * 15)
    sampler = SMOTE(random_state=0)
    sampler.fit_resample(X, y)
    p = sampler.provenance_
    frame = p.to_frame()
    assert frame.columns.tolist() == ["parent", "neighbor", "gap"]
    # a SMOTE row never has itself as neighbour: a swap of the columns shows
    assert (p.parent != p.neighbor).all()
    assert_array_equal(frame["parent"].to_numpy(), p.parent)
    assert_array_equal(frame["neighbor"].to_numpy(), p.neighbor)
    assert_array_equal(frame["gap"].to_numpy(), p.gap)
    assert frame["parent"].dtype == p.parent.dtype
    # the parents are the minority rows SMOTE starts from
    assert set(frame["parent"].tolist()) <= set(range(45, 60))
