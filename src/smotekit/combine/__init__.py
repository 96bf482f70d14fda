"""Combinations: over-sample, then clean the result.

Each runs any smotekit over-sampler and then a cleaning sampler on its
output, and records where every output row comes from.
"""

from ._base import BaseCombinedSampler
from ._smote_enn import SMOTEENN
from ._smote_tomek import SMOTETomek

__all__ = ["SMOTEENN", "BaseCombinedSampler", "SMOTETomek"]
