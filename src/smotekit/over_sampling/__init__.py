"""Over-samplers: each variant in its own module."""

from ._random_over import RandomOverSampler
from ._smote import SMOTE

__all__ = ["SMOTE", "RandomOverSampler"]
