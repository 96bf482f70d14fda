"""Over-samplers: each variant in its own module."""

from ._adasyn import ADASYN
from ._borderline import BorderlineSMOTE
from ._random_over import RandomOverSampler
from ._smote import SMOTE

__all__ = ["ADASYN", "SMOTE", "BorderlineSMOTE", "RandomOverSampler"]
