"""Resolve ``sampling_strategy`` into ``{class: number of samples to generate}``.

The semantics follow imbalanced-learn's over-sampling rules so that a sampler
swapped in from imbalanced-learn produces the same class counts:

* float ``r`` in (0, 1] (binary targets only): the minority class is raised to
  ``int(r * n_majority)`` samples;
* ``'minority'``, ``'not minority'``, ``'not majority'``, ``'all'``: the targeted
  classes are raised to the majority count; ``'auto'`` means ``'not majority'``;
* dict ``{class: final count}``: each listed class is raised to its count;
* callable ``f(y) -> dict``: the returned dict is used as above.

Ties between classes of equal size are broken by the sorted class order.
"""

from collections import OrderedDict
from numbers import Integral, Real

import numpy as np

STRING_STRATEGIES = ("auto", "minority", "not minority", "not majority", "all")

__all__ = ["STRING_STRATEGIES", "class_counts", "resolve_sampling_strategy"]


def class_counts(y):
    """Return an ordered ``{class: count}`` mapping sorted by class.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
        Class labels.

    Returns
    -------
    counts : OrderedDict
        Number of samples per class, in sorted class order.

    Examples
    --------
    >>> import numpy as np
    >>> dict(class_counts(np.array(["b", "a", "b"])))
    {'a': 1, 'b': 2}
    """
    classes, counts = np.unique(y, return_counts=True)
    return OrderedDict(
        (_python_scalar(c), int(n)) for c, n in zip(classes, counts, strict=True)
    )


def _python_scalar(value):
    return value.item() if isinstance(value, np.generic) else value


def _describe_classes(classes):
    return ", ".join(repr(c) for c in classes)


def _from_float(ratio, counts, sampler_name):
    if len(counts) != 2:
        raise ValueError(
            f"The 'sampling_strategy' parameter of {sampler_name} can be a float "
            f"only for a binary target; the target has {len(counts)} classes "
            f"({_describe_classes(counts)}). Use a dict {{class: final count}} or "
            "a string such as 'not majority' for multi-class targets."
        )
    majority = max(counts, key=counts.get)
    minority = min(counts, key=counts.get)
    n_new = int(counts[majority] * ratio - counts[minority])
    if n_new < 0:
        current = counts[minority] / counts[majority]
        raise ValueError(
            f"The 'sampling_strategy' parameter of {sampler_name} asks for a "
            f"minority/majority ratio of {ratio}, but the data already has "
            f"{current:.4g} ({counts[minority]} samples of class {minority!r} vs "
            f"{counts[majority]} of class {majority!r}); over-sampling cannot "
            f"remove samples. Use a ratio above {current:.4g}."
        )
    return OrderedDict([(minority, n_new)])


def _from_string(name, counts):
    n_majority = max(counts.values())
    majority = max(counts, key=counts.get)
    minority = min(counts, key=counts.get)
    if name == "minority":
        targeted = [minority]
    elif name == "not minority":
        targeted = [c for c in counts if c != minority]
    elif name in ("not majority", "auto"):
        targeted = [c for c in counts if c != majority]
    else:  # "all"
        targeted = list(counts)
    return OrderedDict((c, n_majority - counts[c]) for c in counts if c in targeted)


def _from_dict(mapping, counts, sampler_name):
    if not hasattr(mapping, "items"):
        raise TypeError(
            f"The callable 'sampling_strategy' of {sampler_name} must return a dict "
            f"{{class: final count}}; it returned {type(mapping).__name__}."
        )
    lookup = {_python_scalar(k): v for k, v in mapping.items()}
    unknown = [c for c in lookup if c not in counts]
    if unknown:
        raise ValueError(
            f"The 'sampling_strategy' parameter of {sampler_name} names class(es) "
            f"{_describe_classes(unknown)} that are not in y; the classes present "
            f"are {_describe_classes(counts)}. Remove or rename those keys."
        )
    resolved = OrderedDict()
    for cls in counts:
        if cls not in lookup:
            continue
        value = lookup[cls]
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, Integral):
            raise TypeError(
                f"The 'sampling_strategy' parameter of {sampler_name} must map each "
                f"class to an integer final count; class {cls!r} maps to "
                f"{value!r} ({type(value).__name__})."
            )
        if value < counts[cls]:
            raise ValueError(
                f"The 'sampling_strategy' parameter of {sampler_name} asks for "
                f"{int(value)} samples of class {cls!r}, which already has "
                f"{counts[cls]}; an over-sampler can only add samples. Ask for at "
                f"least {counts[cls]}, or use an under-sampler to remove samples."
            )
        resolved[cls] = int(value) - counts[cls]
    return resolved


def resolve_sampling_strategy(sampling_strategy, y, sampler_name="the sampler"):
    """Turn a ``sampling_strategy`` into the number of samples to generate.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable
        The user's target, in any form accepted by over-samplers.
    y : ndarray of shape (n_samples,)
        Class labels (already validated: at least two classes).
    sampler_name : str
        Name used in error messages.

    Returns
    -------
    n_to_generate : OrderedDict
        ``{class: number of new samples}`` in sorted class order.

    Examples
    --------
    >>> import numpy as np
    >>> y = np.array([0] * 90 + [1] * 10)
    >>> dict(resolve_sampling_strategy("auto", y))
    {1: 80}
    >>> dict(resolve_sampling_strategy(0.5, y))
    {1: 35}
    >>> dict(resolve_sampling_strategy({1: 40}, y))
    {1: 30}
    """
    counts = class_counts(y)
    if isinstance(sampling_strategy, str):
        if sampling_strategy not in STRING_STRATEGIES:
            raise ValueError(
                f"The 'sampling_strategy' parameter of {sampler_name} must be one "
                f"of {STRING_STRATEGIES} when given as a string. Got "
                f"{sampling_strategy!r}."
            )
        return _from_string(sampling_strategy, counts)
    if isinstance(sampling_strategy, Real) and not isinstance(sampling_strategy, bool):
        return _from_float(float(sampling_strategy), counts, sampler_name)
    if callable(sampling_strategy):
        return _from_dict(sampling_strategy(y), counts, sampler_name)
    return _from_dict(sampling_strategy, counts, sampler_name)
