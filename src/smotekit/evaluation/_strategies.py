"""What the strategy comparison can run: named strategies and named models.

A *strategy* is a way to handle the imbalance: nothing, class weights, or a
sampler placed inside the model with :class:`ResampledClassifier`. Samplers
are looked up in :mod:`smotekit` by class name when a comparison starts, so
a variant that is not available is reported, not fatal.
"""

import dataclasses
import importlib
import re
from dataclasses import dataclass

from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from ._pipeline import ResampledClassifier, fresh_copy

__all__ = [
    "DEFAULT_STRATEGIES",
    "MODELS",
    "STRATEGIES",
    "Strategy",
    "class_weight_param",
    "default_model",
    "make_model",
    "resolve_strategies",
]


@dataclass(frozen=True)
class Strategy:
    """One way of handling the imbalance.

    Attributes
    ----------
    name : str
        Short name (``'smote'``), used in tables and on the command line.
    label : str
        Display name (``'SMOTE'``).
    sampler_class : str or None
        Class name in :mod:`smotekit` of the sampler, or None.
    sampler_params : tuple of (str, object)
        Constructor parameters of the sampler besides ``random_state``.
    class_weight : bool
        True for the class-weight strategy (no resampling).
    """

    name: str
    label: str
    sampler_class: str | None = None
    sampler_params: tuple = ()
    class_weight: bool = False


#: Every named strategy, in display order.
STRATEGIES = {
    s.name: s
    for s in [
        Strategy("none", "no resampling"),
        Strategy("class_weight", "class weights", class_weight=True),
        Strategy("random_over", "RandomOverSampler", "RandomOverSampler"),
        Strategy("random_under", "RandomUnderSampler", "RandomUnderSampler"),
        Strategy("smote", "SMOTE", "SMOTE"),
        Strategy("borderline1", "BorderlineSMOTE-1", "BorderlineSMOTE"),
        Strategy(
            "borderline2",
            "BorderlineSMOTE-2",
            "BorderlineSMOTE",
            (("kind", "borderline-2"),),
        ),
        Strategy("adasyn", "ADASYN", "ADASYN"),
        Strategy("svm_smote", "SVMSMOTE", "SVMSMOTE"),
        Strategy("kmeans_smote", "KMeansSMOTE", "KMeansSMOTE"),
        Strategy("smote_enn", "SMOTEENN", "SMOTEENN"),
        Strategy("smote_tomek", "SMOTETomek", "SMOTETomek"),
    ]
}

#: Strategies compared when none are named (those whose sampler is available).
DEFAULT_STRATEGIES = (
    "none",
    "class_weight",
    "random_over",
    "random_under",
    "smote",
    "borderline1",
    "adasyn",
    "svm_smote",
    "kmeans_smote",
)

_ALIASES = {
    "no": "none",
    "baseline": "none",
    "weights": "class_weight",
    "balanced": "class_weight",
    "random": "random_over",
    "ros": "random_over",
    "rus": "random_under",
    "borderline": "borderline1",
    "borderlinesmote": "borderline1",
    "svmsmote": "svm_smote",
    "kmeanssmote": "kmeans_smote",
    "smoteenn": "smote_enn",
    "smotetomek": "smote_tomek",
    "randomoversampler": "random_over",
    "randomundersampler": "random_under",
}


def _key(name):
    return re.sub(r"[^0-9a-z]+", "_", str(name).strip().lower()).strip("_")


def _lookup(name):
    key = _key(name)
    if key in STRATEGIES:
        return STRATEGIES[key]
    compact = key.replace("_", "")
    for candidate in (key, compact):
        if candidate in _ALIASES:
            return STRATEGIES[_ALIASES[candidate]]
    for strategy in STRATEGIES.values():
        if strategy.name.replace("_", "") == compact:
            return strategy
    known = ", ".join(STRATEGIES)
    raise ValueError(
        f"Unknown strategy {name!r}. Known strategies: {known} (aliases: "
        "random = random_over, rus = random_under, borderline = borderline1)."
    )


def sampler_class(strategy):
    """The smotekit class of a strategy's sampler, or None if unavailable.

    Parameters
    ----------
    strategy : Strategy
        A strategy with a ``sampler_class``.

    Returns
    -------
    cls : type or None
        None when smotekit cannot provide the class (not written or not
        importable here).
    """
    smotekit = importlib.import_module("smotekit")
    try:
        return getattr(smotekit, strategy.sampler_class)
    except (ImportError, AttributeError):
        return None


def resolve_strategies(strategies):
    """Turn the ``strategies`` argument into ``[(name, Strategy-or-sampler)]``.

    Parameters
    ----------
    strategies : None, str, list or dict
        None for :data:`DEFAULT_STRATEGIES` (skipping the unavailable ones),
        a comma-separated string or list of names, or a dict ``{display name:
        sampler}`` where a sampler is any object with ``fit_resample``, or
        None (no resampling), or a strategy name such as ``'class_weight'``
        (each shown under its display name).

    Returns
    -------
    chosen : list of (str, object)
        Display name and a :class:`Strategy` or a sampler instance.
    notes : list of str
        Why default strategies were left out.

    Raises
    ------
    ValueError
        For an unknown or repeated name, an unavailable named sampler, or an
        empty selection.
    """
    notes = []
    chosen = []
    if strategies is None:
        for name in DEFAULT_STRATEGIES:
            strategy = STRATEGIES[name]
            if strategy.sampler_class and sampler_class(strategy) is None:
                notes.append(
                    f"{strategy.label} skipped: smotekit.{strategy.sampler_class} "
                    "is not available in this installation."
                )
                continue
            chosen.append((strategy.name, strategy))
        return chosen, notes
    if isinstance(strategies, dict):
        for name, sampler in strategies.items():
            if isinstance(sampler, str) or sampler is None:
                # shown under the user's name, as a sampler given is
                found = _lookup(sampler) if sampler is not None else STRATEGIES["none"]
                sampler = dataclasses.replace(found, label=str(name))
            elif not hasattr(sampler, "fit_resample"):
                raise TypeError(
                    f"strategies[{name!r}] must be a sampler with fit_resample, "
                    f"None or a strategy name. Got {sampler!r}."
                )
            chosen.append((str(name), sampler))
    else:
        if isinstance(strategies, str):
            strategies = [s for s in strategies.split(",") if s.strip()]
        if not isinstance(strategies, list | tuple) or not all(
            isinstance(name, str) for name in strategies
        ):
            raise TypeError(
                "strategies must be None, a strategy name, a list of names or a "
                f"dict {{name: sampler}}. Got {strategies!r}."
            )
        for name in strategies:
            strategy = _lookup(name)
            if strategy.sampler_class and sampler_class(strategy) is None:
                raise ValueError(
                    f"Strategy {strategy.name!r} needs smotekit."
                    f"{strategy.sampler_class}, which is not available in this "
                    "installation. Choose another strategy."
                )
            chosen.append((strategy.name, strategy))
    names = [name for name, _ in chosen]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"Strategy names must be unique; repeated: {repeated}.")
    if not chosen:
        raise ValueError("No strategy to compare: give at least one strategy.")
    return chosen, notes


def class_weight_param(model):
    """Name of the parameter that sets ``class_weight`` on ``model``, or None.

    For a ``Pipeline`` it is the final step's (``logisticregression__class_weight``).

    Parameters
    ----------
    model : estimator
        A classifier or a pipeline ending in one.

    Returns
    -------
    name : str or None
        A key of ``model.get_params()``, or None if the model has no
        ``class_weight`` parameter (or no ``get_params`` at all).
    """
    if not hasattr(model, "get_params"):
        return None
    params = model.get_params(deep=True)
    if "class_weight" in params:
        return "class_weight"
    steps = getattr(model, "steps", None)
    if steps:
        last_name, last = steps[-1]
        inner = class_weight_param(last) if hasattr(last, "get_params") else None
        if inner is not None:
            return f"{last_name}__{inner}"
    return None


def build_estimator(strategy, model, seed):
    """The estimator a strategy fits on each training fold.

    Parameters
    ----------
    strategy : Strategy or sampler
        From :func:`resolve_strategies`.
    model : estimator
        The user's classifier (cloned here).
    seed : int
        ``random_state`` of a named strategy's sampler, and of a given
        sampler whose own ``random_state`` is None.

    Returns
    -------
    estimator : estimator or None
        None when the strategy does not apply (class weights on a model
        without ``class_weight``).
    """
    model = fresh_copy(model)
    if not isinstance(strategy, Strategy):
        # a sampler given without a seed of its own gets the comparison's, so
        # that an int random_state makes the whole comparison reproducible
        sampler = fresh_copy(strategy)
        has_params = hasattr(sampler, "get_params")  # else a plain object
        params = sampler.get_params(deep=False) if has_params else {}
        if "random_state" in params and params["random_state"] is None:
            sampler.set_params(random_state=seed)
        return ResampledClassifier(sampler, model)
    if strategy.class_weight:
        param = class_weight_param(model)
        if param is None:
            return None
        return model.set_params(**{param: "balanced"})
    if strategy.sampler_class is None:
        return model
    cls = sampler_class(strategy)
    sampler = cls(random_state=seed, **dict(strategy.sampler_params))
    return ResampledClassifier(sampler, model)


def default_model(sparse=False):
    """The model used when none is given: scaled logistic regression.

    Parameters
    ----------
    sparse : bool, default=False
        Whether the data is a sparse matrix: then the scaler does not centre
        it (which would make it dense).

    Returns
    -------
    model : Pipeline
        ``make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))``
        (``StandardScaler(with_mean=False)`` for sparse data).

    Examples
    --------
    >>> from smotekit.evaluation import default_model
    >>> [name for name, _ in default_model().steps]
    ['standardscaler', 'logisticregression']
    """
    return make_pipeline(
        StandardScaler(with_mean=not sparse), LogisticRegression(max_iter=1000)
    )


def _logreg(seed, n_jobs):
    return default_model()


def _forest(seed, n_jobs):
    return RandomForestClassifier(n_estimators=200, random_state=seed, n_jobs=n_jobs)


def _hist_gradient_boosting(seed, n_jobs):
    return HistGradientBoostingClassifier(random_state=seed)


def _svm(seed, n_jobs):
    return make_pipeline(StandardScaler(), SVC(random_state=seed))


def _knn(seed, n_jobs):
    return make_pipeline(StandardScaler(), KNeighborsClassifier())


#: Named models for the command line: name → (description, factory).
MODELS = {
    "logreg": ("scaled logistic regression (default)", _logreg),
    "rf": ("random forest, 200 trees", _forest),
    "hgb": ("histogram gradient boosting", _hist_gradient_boosting),
    "svm": ("scaled RBF support vector machine", _svm),
    "knn": ("scaled 5-nearest-neighbours", _knn),
}


def make_model(name, *, random_state=None, n_jobs=None):
    """Build a named model (the command line's ``--model``).

    Parameters
    ----------
    name : str
        A key of :data:`MODELS`.
    random_state : int or None, default=None
        Seed of the models that have one.
    n_jobs : int or None, default=None
        Threads of the models that use them (random forest).

    Returns
    -------
    model : estimator
        A fresh, unfitted classifier.

    Raises
    ------
    ValueError
        For an unknown name.
    """
    key = _key(name)
    if key not in MODELS:
        raise ValueError(f"Unknown model {name!r}. Choose one of: {', '.join(MODELS)}.")
    return MODELS[key][1](random_state, n_jobs)
