"""Over-samplers: each variant in its own module.

:class:`~smotekit.SMOTENC` and :class:`~smotekit.SMOTEN` live in
:mod:`smotekit.categorical` and are importable from here too, as from
imbalanced-learn's ``over_sampling``.
"""

from ._adasyn import ADASYN
from ._borderline import BorderlineSMOTE
from ._kmeans import KMeansSMOTE
from ._random_over import RandomOverSampler
from ._smote import SMOTE
from ._svm import SVMSMOTE

__all__ = [
    "ADASYN",
    "SMOTE",
    "SMOTEN",
    "SMOTENC",
    "SVMSMOTE",
    "BorderlineSMOTE",
    "KMeansSMOTE",
    "RandomOverSampler",
]

#: Names taken from :mod:`smotekit.categorical` on first use (it imports
#: this package's SMOTE, so it cannot be imported while this one loads).
_CATEGORICAL = ("SMOTEN", "SMOTENC")


def __getattr__(name):
    if name in _CATEGORICAL:
        from .. import categorical

        return getattr(categorical, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_CATEGORICAL))
