"""scikit-learn's parameter names, read once per class.

``BaseEstimator.get_params`` reads the signature of ``__init__`` with
:mod:`inspect` on every call, and ``_validate_params`` and ``clone`` call it:
tens of microseconds each, several times in a sampler's call, which on a
table of a few hundred rows is a large share of the whole call.
"""

import threading
import weakref

__all__ = ["CachedParamNames"]

#: class -> its sorted parameter names (weak: classes made at run time go)
_NAMES = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


class CachedParamNames:
    """Mixin (before ``BaseEstimator``) keeping each class's parameter names.

    The names are those of ``BaseEstimator._get_param_names``, found once
    for each class (a subclass with its own ``__init__`` has its own entry).

    Examples
    --------
    >>> from sklearn.base import BaseEstimator
    >>> class Est(CachedParamNames, BaseEstimator):
    ...     def __init__(self, b=1, a=2):
    ...         self.b, self.a = b, a
    >>> Est._get_param_names()
    ['a', 'b']
    >>> Est(a=5).get_params()
    {'a': 5, 'b': 1}
    """

    @classmethod
    def _get_param_names(cls):
        names = _NAMES.get(cls)
        if names is None:
            names = tuple(super()._get_param_names())
            with _LOCK:
                _NAMES[cls] = names
        return list(names)
