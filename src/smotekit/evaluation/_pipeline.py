"""Leakage-safe composition: resample the training data only, inside a model.

:class:`ResampledClassifier` is an ordinary scikit-learn classifier made of a
sampler and an estimator. ``fit`` resamples the data it is given and fits the
estimator on the result; ``predict``, ``predict_proba``,
``decision_function`` and ``score`` go straight to the fitted estimator and
never resample. Inside ``cross_validate``, ``GridSearchCV`` or a plain
scikit-learn ``Pipeline`` (as the last step), only training folds are ever
resampled, so no synthetic neighbour of a test row leaks into training.
"""

import numpy as np
from sklearn import get_config
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.utils import get_tags
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    process_routing,
)
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data

from .._params import CachedParamNames

__all__ = ["ResampledClassifier", "fresh_copy"]


def fresh_copy(obj):
    """An unfitted copy of ``obj``: scikit-learn's ``clone`` for an estimator,
    a deep copy of an object without ``get_params`` (a plain class with a
    ``fit_resample`` method, say)."""
    return clone(obj, safe=False)


def _estimator_has(method):
    """True when the fitted estimator (else the unfitted one) has ``method``."""

    def check(self):
        if hasattr(self, "estimator_"):
            return hasattr(self.estimator_, method)
        return hasattr(self.estimator, method)

    return check


def _tags_of(estimator):
    """The scikit-learn tags of ``estimator``, or None for an object that
    has none (not derived from ``BaseEstimator``)."""
    try:
        return get_tags(estimator)
    except Exception:  # no tags: judged by its methods alone
        return None


def _no_fit_params_message(fit_params):
    names = ", ".join(sorted(fit_params))
    return (
        f"ResampledClassifier.fit takes no fit parameters; got {names}. The "
        "sampler adds synthetic rows, which have no weight or other metadata "
        "of their own, so they cannot be passed on to the estimator. To weight "
        "the classes, give the estimator class_weight (or compare it with "
        "resampling: compare_strategies' 'class_weight' strategy); to weight "
        "the test rows, pass sample_weight to score or to the scorer. Under "
        "metadata routing, set the estimator's fit request to False "
        "(estimator.set_fit_request(sample_weight=False))."
    )


def check_classifier(estimator, owner, param):
    """Raise a ``TypeError`` naming ``owner``'s ``param`` unless
    ``estimator`` is a classifier: it has ``fit`` and ``predict`` methods, and
    its scikit-learn tags, if it has any, declare no other kind of estimator
    (a regressor, a clusterer, an outlier detector...)."""
    kind = _declared_kind(estimator)
    methods = hasattr(estimator, "fit") and hasattr(estimator, "predict")
    if methods and kind in (None, "classifier"):
        return
    what = ""
    if kind not in (None, "classifier"):
        kind = kind.replace("_", " ")
        article = "an" if kind[0] in "aeiou" else "a"
        what = f", which its tags declare {article} {kind}"
    raise TypeError(
        f"The '{param}' parameter of {owner} must be a classifier with fit and "
        "predict methods (e.g. LogisticRegression(), or a Pipeline ending in "
        f"one). Got {estimator!r}{what}."
    )


def _declared_kind(estimator):
    """The estimator type its tags declare (``'classifier'``,
    ``'regressor'``, ...), or None when they declare none or it has none."""
    tags = _tags_of(estimator)
    return None if tags is None else tags.estimator_type


class ResampledClassifier(
    CachedParamNames, ClassifierMixin, MetaEstimatorMixin, BaseEstimator
):
    """A classifier fitted on resampled training data, scored on real data.

    ``fit(X, y)`` calls ``sampler.fit_resample(X, y)`` on a clone of the
    sampler and fits a clone of ``estimator`` on the result. Every other
    method (``predict``, ``predict_proba``, ``predict_log_proba``,
    ``decision_function``, ``score``) is the fitted estimator's, applied to
    the rows given, never resampled. This makes any smotekit (or
    imbalanced-learn) sampler usable with scikit-learn's own tools:

    - ``cross_validate(ResampledClassifier(SMOTE(), model), X, y)`` resamples
      each training fold only;
    - ``GridSearchCV`` tunes the sampler and the model together through
      nested parameters (``sampler__k_neighbors``, ``estimator__C``);
    - it can be the last step of a plain ``sklearn.pipeline.Pipeline``, after
      scalers or encoders (which are then fitted on the real training rows).

    Parameters
    ----------
    sampler : object
        Any object with ``fit_resample(X, y)``, such as
        :class:`~smotekit.SMOTE`. Cloned at each ``fit``.
    estimator : object
        A scikit-learn classifier (or a ``Pipeline`` ending in one). Cloned
        at each ``fit``.

    Attributes
    ----------
    sampler_ : object
        The fitted clone of ``sampler`` (``provenance_`` etc. of the last fit).
    estimator_ : object
        The clone of ``estimator`` fitted on the resampled data.
    classes_ : ndarray of shape (n_classes,)
        The class labels, from ``estimator_``.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of str
        Column names seen during ``fit``, when X was a DataFrame with string
        column names.
    n_samples_resampled_ : int
        Number of training rows after resampling.

    See Also
    --------
    smotekit.evaluation.compare_strategies : Compare resampling strategies
        under repeated stratified cross-validation.

    Notes
    -----
    Resampling before splitting the data lets synthetic rows built from a
    test row's neighbours (or copies of it) reach the training set, which
    inflates every test score. Put the sampler inside the model instead, as
    here, and the split always happens first.

    ``fit`` accepts no fit parameters (such as ``sample_weight``): weights of
    the original rows have no natural counterpart for synthetic rows, so any
    given is refused with the ways to weight instead (``class_weight``, or
    weights in the score). Under scikit-learn's metadata routing the same
    holds for an estimator that requests fit metadata
    (``set_fit_request(sample_weight=True)``): the metadata is routed to
    ``fit``, which refuses it, rather than being dropped silently;
    ``score`` takes ``sample_weight`` as usual.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from smotekit import SMOTE
    >>> from smotekit.evaluation import ResampledClassifier
    >>> X, y = make_classification(n_samples=300, weights=[0.9], random_state=0)
    >>> model = make_pipeline(
    ...     StandardScaler(),
    ...     ResampledClassifier(SMOTE(random_state=0), LogisticRegression()),
    ... )
    >>> grid = GridSearchCV(
    ...     model,
    ...     {
    ...         "resampledclassifier__sampler__k_neighbors": [3, 5],
    ...         "resampledclassifier__estimator__C": [0.1, 1.0],
    ...     },
    ...     scoring="average_precision",
    ...     cv=3,
    ... ).fit(X, y)
    >>> sorted(grid.best_params_)  # doctest: +NORMALIZE_WHITESPACE
    ['resampledclassifier__estimator__C',
     'resampledclassifier__sampler__k_neighbors']
    >>> grid.predict(X[:5]).shape  # predicting never resamples
    (5,)
    """

    def __init__(self, sampler, estimator):
        self.sampler = sampler
        self.estimator = estimator

    def fit(self, X, y, **fit_params):
        """Resample ``(X, y)`` with the sampler, then fit the estimator on it.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training features.
        y : array-like of shape (n_samples,)
            Training labels.
        **fit_params : dict
            Refused (see Notes of the class): present so that metadata routed
            here, or passed by a caller, gets a clear error.

        Returns
        -------
        self : ResampledClassifier
            The fitted classifier.

        Raises
        ------
        TypeError
            If ``sampler`` has no ``fit_resample`` method, ``estimator`` is
            not a classifier (it lacks ``fit`` or ``predict``, or its tags
            declare another kind of estimator: a regressor, a clusterer...),
            or fit parameters are given.
        """
        if fit_params:
            if get_config()["enable_metadata_routing"]:
                # scikit-learn's own error for metadata whose request is unset
                process_routing(self, "fit", **fit_params)
            raise TypeError(_no_fit_params_message(fit_params))
        if not hasattr(self.sampler, "fit_resample"):
            raise TypeError(
                "The 'sampler' parameter of ResampledClassifier must have a "
                f"fit_resample(X, y) method (e.g. smotekit.SMOTE()). Got "
                f"{self.sampler!r}."
            )
        check_classifier(self.estimator, "ResampledClassifier", "estimator")
        for attr in ("n_features_in_", "feature_names_in_"):  # of an earlier fit
            self.__dict__.pop(attr, None)
        if isinstance(y, np.ndarray) and y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)  # one label per row, as classifiers take
        self.sampler_ = fresh_copy(self.sampler)
        X_res, y_res = self.sampler_.fit_resample(X, y)
        self.estimator_ = fresh_copy(self.estimator).fit(X_res, y_res)
        self.n_samples_resampled_ = len(y_res)
        n_features = getattr(self.sampler_, "n_features_in_", None)
        if n_features is None:
            n_features = getattr(self.estimator_, "n_features_in_", None)
        if n_features is not None:
            self.n_features_in_ = n_features
        names = getattr(self.sampler_, "feature_names_in_", None)
        if names is not None:
            self.feature_names_in_ = names
        return self

    def _check_input(self, X):
        """Refuse rows of another width (or columns of other names) than
        those fitted, naming this class; X itself goes on as it came."""
        check_is_fitted(self, "estimator_")
        ndim = getattr(X, "ndim", None)
        if ndim is not None and ndim != 2:
            if hasattr(X, "to_frame"):  # a pandas or polars Series
                row, feature = "X.to_frame().T", "X.to_frame()"
            else:
                row, feature = "X.reshape(1, -1)", "X.reshape(-1, 1)"
            fix = f"{row} for a single row, {feature} for a single feature"
            raise ValueError(
                f"ResampledClassifier expects a 2-D X (rows of features); got "
                f"{ndim}-D with shape {X.shape}. Reshape your data: {fix}."
            )
        validate_data(self, X, reset=False, skip_check_array=True)

    @property
    def classes_(self):
        """The class labels of the fitted estimator."""
        check_is_fitted(self, "estimator_")
        return self.estimator_.classes_

    @available_if(_estimator_has("predict"))
    def predict(self, X):
        """Predict classes of ``X`` with the fitted estimator (no resampling).

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Rows to classify.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted classes.
        """
        self._check_input(X)
        return self.estimator_.predict(X)

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities of ``X`` from the fitted estimator.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Rows to score.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities, columns in the order of ``classes_``.
        """
        self._check_input(X)
        return self.estimator_.predict_proba(X)

    @available_if(_estimator_has("predict_log_proba"))
    def predict_log_proba(self, X):
        """Log class probabilities of ``X`` from the fitted estimator.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Rows to score.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log probabilities, columns in the order of ``classes_``.
        """
        self._check_input(X)
        return self.estimator_.predict_log_proba(X)

    @available_if(_estimator_has("decision_function"))
    def decision_function(self, X):
        """Decision scores of ``X`` from the fitted estimator.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Rows to score.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            The estimator's decision function.
        """
        self._check_input(X)
        return self.estimator_.decision_function(X)

    def score(self, X, y, sample_weight=None):
        """The fitted estimator's score on ``(X, y)`` (accuracy by default).

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Test rows, not resampled.
        y : array-like of shape (n_samples,)
            True labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the test rows.

        Returns
        -------
        score : float
            ``estimator_.score(X, y)``.
        """
        self._check_input(X)
        if sample_weight is None:
            return self.estimator_.score(X, y)
        return self.estimator_.score(X, y, sample_weight=sample_weight)

    def get_metadata_routing(self):
        """How metadata is routed (scikit-learn's metadata routing).

        ``score`` consumes ``sample_weight``; what the estimator requests for
        its ``fit`` is routed to this ``fit``, which refuses it (see Notes of
        the class), so that a request is never dropped silently.

        Returns
        -------
        routing : sklearn.utils.metadata_routing.MetadataRouter
            The routing information.
        """
        return (
            MetadataRouter(owner=type(self).__name__)
            .add_self_request(self)
            .add(
                estimator=self.estimator,
                method_mapping=MethodMapping().add(caller="fit", callee="fit"),
            )
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = _tags_of(self.estimator)
        if inner is None:  # an estimator without tags: the defaults
            return tags
        sampler_tags = _tags_of(self.sampler) if hasattr(self.sampler, "fit") else None
        tags.input_tags.sparse = inner.input_tags.sparse and (
            sampler_tags is None or sampler_tags.input_tags.sparse
        )
        tags.input_tags.allow_nan = inner.input_tags.allow_nan and (
            sampler_tags is not None and sampler_tags.input_tags.allow_nan
        )
        if inner.classifier_tags is not None:
            tags.classifier_tags.multi_class = inner.classifier_tags.multi_class
        return tags
