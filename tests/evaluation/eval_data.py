"""Small data sets shared by the evaluation tests."""

import numpy as np


def sixty_rows():
    """60 rows of 3 features, 10 of class 1 shifted apart from 50 of class 0."""
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 3))
    y = np.r_[np.zeros(50, int), np.ones(10, int)]
    X[y == 1] += 1.5
    return X, y
