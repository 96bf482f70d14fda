"""A class of exactly k samples is too small for k neighbours: the clear
error, at the boundary."""

import numpy as np
import pytest

from smotekit import ADASYN, SMOTE, BorderlineSMOTE
from smotekit._neighbors import ClassTooSmallError, check_class_size


def test_check_class_size_boundary():
    check_class_size(6, 5, "SMOTE", "k_neighbors", 1)  # k + 1 samples: fine
    with pytest.raises(ClassTooSmallError, match="needs at least 6 samples"):
        check_class_size(5, 5, "SMOTE", "k_neighbors", 1)


@pytest.mark.parametrize(
    "sampler",
    [
        SMOTE(k_neighbors=5),
        ADASYN(n_neighbors=5),
        BorderlineSMOTE(k_neighbors=5, m_neighbors=3),
    ],
)
def test_class_of_exactly_k_samples_gets_the_class_size_error(sampler):
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (40, 2)), rng.normal(0.5, 1, (5, 2))])
    y = np.array([0] * 40 + [1] * 5)
    with pytest.raises(ClassTooSmallError, match="class 1 has 5") as info:
        sampler.fit_resample(X, y)
    assert (info.value.n_class, info.value.k, info.value.cls) == (5, 5, 1)
    # one more sample is enough
    X6 = np.vstack([X, [[0.4, 0.6]]])
    _, y_res = sampler.fit_resample(X6, np.append(y, 1))
    assert (y_res == 1).sum() == 40
