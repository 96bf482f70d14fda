"""Under-samplers: each variant in its own module.

They keep a subset of the original rows, unchanged and in their original
order, and record its positions in ``sample_indices_``.
"""

from ._base import BaseCleaningSampler, BaseUnderSampler
from ._enn import EditedNearestNeighbours
from ._random_under import RandomUnderSampler
from ._tomek import TomekLinks

__all__ = [
    "BaseCleaningSampler",
    "BaseUnderSampler",
    "EditedNearestNeighbours",
    "RandomUnderSampler",
    "TomekLinks",
]
