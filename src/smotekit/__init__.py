"""smotekit: exact, fast SMOTE-family over-sampling with provenance.

The samplers follow imbalanced-learn's API (``fit_resample``, the same
parameter names and defaults) and can be swapped into code written for it.
"""

from ._generation import Provenance
from ._neighbors import ExactNeighbors
from .over_sampling import SMOTE, RandomOverSampler

__version__ = "0.1.0"

__all__ = ["SMOTE", "ExactNeighbors", "Provenance", "RandomOverSampler", "__version__"]
