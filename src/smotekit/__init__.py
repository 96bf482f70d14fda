"""smotekit: exact, fast SMOTE-family over-sampling with provenance.

The samplers follow imbalanced-learn's API (``fit_resample``, the same
parameter names and defaults) and can be swapped into code written for it.
Public names are imported on first use, so ``import smotekit`` (and the
command line's ``--help``) stays fast.
"""

import importlib

__version__ = "0.1.0"

_LOCATIONS = {
    "SMOTE": ".over_sampling",
    "RandomOverSampler": ".over_sampling",
    "BorderlineSMOTE": ".over_sampling",
    "ADASYN": ".over_sampling",
    "SVMSMOTE": ".over_sampling",
    "KMeansSMOTE": ".over_sampling",
    "SMOTENC": ".categorical",
    "SMOTEN": ".categorical",
    "RandomUnderSampler": ".under_sampling",
    "TomekLinks": ".under_sampling",
    "EditedNearestNeighbours": ".under_sampling",
    "SMOTEENN": ".combine",
    "SMOTETomek": ".combine",
    "SmotekitWarning": ".exceptions",
    "NoDangerSamplesWarning": ".exceptions",
    "StrategyFailedWarning": ".exceptions",
    "ResampledClassifier": ".evaluation",
    "compare_strategies": ".evaluation",
    "ExactNeighbors": "._neighbors",
    "ApproximateNeighbors": "._approximate",
    "Provenance": "._provenance",
}

__all__ = [
    "ADASYN",
    "SMOTE",
    "SMOTEENN",
    "SMOTEN",
    "SMOTENC",
    "SVMSMOTE",
    "ApproximateNeighbors",
    "BorderlineSMOTE",
    "EditedNearestNeighbours",
    "ExactNeighbors",
    "KMeansSMOTE",
    "NoDangerSamplesWarning",
    "Provenance",
    "RandomOverSampler",
    "RandomUnderSampler",
    "ResampledClassifier",
    "SMOTETomek",
    "SmotekitWarning",
    "StrategyFailedWarning",
    "TomekLinks",
    "__version__",
    "compare_strategies",
]


def __getattr__(name):
    if name in _LOCATIONS:
        value = getattr(importlib.import_module(_LOCATIONS[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'smotekit' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
