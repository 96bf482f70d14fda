"""Over-samplers: each variant in its own module."""

from ._adasyn import ADASYN
from ._borderline import BorderlineSMOTE
from ._kmeans import KMeansSMOTE
from ._random_over import RandomOverSampler
from ._smote import SMOTE
from ._svm import SVMSMOTE

__all__ = [
    "ADASYN",
    "SMOTE",
    "SVMSMOTE",
    "BorderlineSMOTE",
    "KMeansSMOTE",
    "RandomOverSampler",
]
