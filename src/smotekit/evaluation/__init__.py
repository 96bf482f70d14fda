"""Using resampling safely: leakage-free models, strategy comparison, report.

- :class:`ResampledClassifier` puts a sampler inside a scikit-learn
  classifier, so ``cross_validate``, ``GridSearchCV`` and ``Pipeline``
  resample training data only.
- :func:`compare_strategies` compares no resampling, class weights, random
  over/under-sampling and the SMOTE variants (optionally with a tuned decision
  threshold) under repeated stratified cross-validation, with minority-aware
  figures.
- :func:`write_report` writes the comparison as one self-contained HTML page
  (tables, precision–recall curves, where synthetic points land) and a JSON
  file with the same numbers. Plots need matplotlib
  (``pip install "smotekit[report]"``).
"""

from ._compare import (
    ComparisonResult,
    FoldsTooManyError,
    UnknownTunedStrategyError,
    compare_strategies,
)
from ._metrics import METRICS, fold_scores, geometric_mean_score
from ._pipeline import ResampledClassifier
from ._report import render_html, write_report
from ._strategies import (
    DEFAULT_STRATEGIES,
    MODELS,
    STRATEGIES,
    default_model,
    make_model,
)
from ._views import OVERLAP_WARNING, SyntheticMap, SyntheticView, synthetic_map

__all__ = [
    "DEFAULT_STRATEGIES",
    "METRICS",
    "MODELS",
    "OVERLAP_WARNING",
    "STRATEGIES",
    "ComparisonResult",
    "FoldsTooManyError",
    "ResampledClassifier",
    "SyntheticMap",
    "SyntheticView",
    "UnknownTunedStrategyError",
    "compare_strategies",
    "default_model",
    "fold_scores",
    "geometric_mean_score",
    "make_model",
    "render_html",
    "synthetic_map",
    "write_report",
]
