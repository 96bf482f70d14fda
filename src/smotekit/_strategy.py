"""Resolve ``sampling_strategy`` into ``{class: count}``.

The semantics follow imbalanced-learn's rules, for each kind of sampler, so
that a sampler swapped in from imbalanced-learn gives the same class counts.

Over-samplers (``{class: number of samples to generate}``):

* float ``r`` in (0, 1] (binary targets only): the minority class is raised to
  ``int(r * n_majority)`` samples;
* ``'minority'``, ``'not minority'``, ``'not majority'``, ``'all'``: the targeted
  classes are raised to the majority count; ``'auto'`` means ``'not majority'``;
* dict ``{class: final count}``: each listed class is raised to its count;
* callable ``f(y) -> dict``: the returned dict is used as above.

Under-samplers (``{class: number of samples to keep}``):

* float ``r`` in (0, 1] (binary targets only): every class but the minority
  is lowered to ``int(n_minority / r)`` samples;
* ``'majority'``, ``'not minority'``, ``'not majority'``, ``'all'``: the
  targeted classes are lowered to the minority count; ``'auto'`` means
  ``'not minority'``;
* dict ``{class: final count}`` (at most the current count) or a callable
  returning one.

Cleaning samplers (``{targeted class: minority count}``, as imbalanced-learn
reports them; only the keys matter, the rule decides what is removed):

* ``'majority'``, ``'not minority'``, ``'not majority'``, ``'all'`` or
  ``'auto'`` (= ``'not minority'``);
* a list of the classes to clean.

Ties between classes of equal size are broken by the sorted class order.
"""

import datetime
from collections import OrderedDict
from collections.abc import Hashable
from numbers import Integral, Real

import numpy as np

from ._kernels import count_labels
from .exceptions import SamplingStrategyError, SamplingStrategyTypeError

#: String forms accepted by over-samplers.
STRING_STRATEGIES = ("auto", "minority", "not minority", "not majority", "all")
#: String forms accepted by under-samplers and cleaning samplers.
UNDER_STRING_STRATEGIES = ("auto", "majority", "not minority", "not majority", "all")
#: The kinds of samplers, as imbalanced-learn names them.
SAMPLING_TYPES = ("over-sampling", "under-sampling", "clean-sampling")

__all__ = [
    "SAMPLING_TYPES",
    "STRING_STRATEGIES",
    "UNDER_STRING_STRATEGIES",
    "class_counts",
    "resolve_sampling_strategy",
]


#: Largest final count of one class (row positions are 64-bit integers).
MAX_CLASS_COUNT = 2**62

#: How the command line writes a dict of final counts.
_JSON_COUNTS = "a JSON object of final counts such as '{\"1\": 500}'"


def class_counts(y, distinct=None):
    """Return an ordered ``{class: count}`` mapping sorted by class.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
        Class labels.
    distinct : tuple, default=None
        :func:`text_labels` of ``y`` when the caller already has it.

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
    classes, counts = _unique_counts(np.asarray(y), distinct)
    return OrderedDict(
        (python_scalar(c), int(n)) for c, n in zip(classes, counts, strict=True)
    )


def _unique_counts(y, distinct=None):
    """``np.unique(y, return_counts=True)``, by counting for integer labels of
    a small range (a few milliseconds per million labels instead of a sort)."""
    if y.ndim == 1 and y.size and y.dtype.kind in "biu":
        values = y.view(np.uint8) if y.dtype.kind == "b" else y
        if not values.dtype.isnative:  # the compiled counter reads native order
            values = values.astype(values.dtype.newbyteorder("="))
        lo, hi = int(values.min()), int(values.max())
        if hi - lo <= max(2 * y.size, 1 << 16) and -(2**62) < lo and hi < 2**62:
            counts = np.zeros(hi - lo + 1, dtype=np.int64)
            count_labels(values, lo, counts)  # one pass, no shifted copy
            present = np.flatnonzero(counts)
            classes = (present + lo).astype(y.dtype)
            return classes, counts[present]
    if distinct is None:
        distinct = text_labels(y)
    if distinct is not None:
        codes, classes = distinct
        counts = np.bincount(codes, minlength=len(classes))
        order = np.argsort(classes)  # few classes: compared as np.unique does
        return classes[order], counts[order]
    return np.unique(y, return_counts=True)


#: Object labels from this many on are told apart by hashing, not sorting.
HASHED_LABELS = 4096


def text_labels(y):
    """``(codes, distinct labels in order of appearance)`` of a 1-d object
    array of strings, by hashing (50 ms per million labels, where sorting
    them takes a second); ``None`` for other labels, or fewer than
    ``HASHED_LABELS``.

    Examples
    --------
    >>> import numpy as np
    >>> codes, distinct = text_labels(np.array(["b", "a", "b"] * 2000, dtype=object))
    >>> distinct.tolist(), codes[:3].tolist()
    (['b', 'a'], [0, 1, 0])
    """
    if y.ndim != 1 or y.dtype != object or y.size < HASHED_LABELS:
        return None
    import pandas as pd

    codes, distinct = pd.factorize(y)
    if (codes < 0).any() or not all(type(label) is str for label in distinct):
        return None  # missing, mixed or non-text labels: sorting tells
    return codes, np.asarray(distinct, dtype=object)


def python_scalar(value):
    """A label as a Python scalar where one keeps its value: numpy numbers,
    bools and strings become Python ones; a numpy date or duration whose
    ``item()`` would lose it (nanoseconds give a bare int) stays as it is.

    Examples
    --------
    >>> import numpy as np
    >>> python_scalar(np.int8(3)), python_scalar(np.datetime64(5, "ns"))
    (3, np.datetime64('1970-01-01T00:00:00.000000005'))
    """
    if not isinstance(value, np.generic):
        return value
    item = value.item()
    if value.dtype.kind in "mM" and isinstance(item, int):
        return value
    return item


def as_class(key, classes):
    """``key`` as one of ``classes`` (labels as :func:`python_scalar` gives
    them): itself, or the class of the same instant or duration where
    ``key`` is a date or duration of another resolution or type
    (``np.datetime64`` in ns, ``pd.Timestamp``, ``datetime.datetime``...);
    else ``key`` as a Python scalar, which names no class.

    Examples
    --------
    >>> import datetime, numpy as np
    >>> day = datetime.datetime(2021, 1, 1)
    >>> as_class(np.datetime64("2021-01-01", "ns"), [day]) == day
    True
    >>> as_class(np.int64(3), [3, 4])
    3
    """
    key = python_scalar(key)
    try:
        if key in classes:
            return key
    except TypeError:  # unhashable keys name no class either
        return key
    instant = _as_time(key)
    if instant is None:
        return key
    for cls in classes:
        other = _as_time(cls)
        if other is not None and other.dtype.kind == instant.dtype.kind:
            if other == instant:
                return cls
    return key


def _as_time(value):
    """``value`` as a numpy date or duration, or None."""
    if isinstance(value, (np.datetime64, np.timedelta64)):
        return None if np.isnat(value) else value
    if isinstance(value, (datetime.date, datetime.timedelta)):
        try:
            if isinstance(value, datetime.timedelta):
                return np.timedelta64(value)
            if getattr(value, "tzinfo", None) is not None:
                return None
            return np.datetime64(value)
        except (ValueError, TypeError):
            return None
    return None


def keyed_by_class(mapping, classes):
    """``{class: value}`` of a dict keyed by labels (see :func:`as_class`)."""
    classes = list(classes)
    return {as_class(k, classes): v for k, v in mapping.items()}


def _describe_classes(classes):
    return ", ".join(repr(c) for c in classes)


def _check_binary_for_float(counts, sampler_name, suggestion):
    if len(counts) != 2:
        raise SamplingStrategyError(
            sampler_name,
            f"can be a float only for a binary target; the target has "
            f"{len(counts)} classes ({_describe_classes(counts)}).",
            f"Use a dict {{class: final count}} or a string such as "
            f"{suggestion!r} for multi-class targets.",
            text_fix=f"Give {_JSON_COUNTS}, or {suggestion!r}, for multi-class "
            "targets.",
        )


def _from_float(ratio, counts, sampler_name):
    _check_binary_for_float(counts, sampler_name, "not majority")
    # as imbalanced-learn: the majority is the first class of the largest
    # count, the other class is over-sampled (on a tie, the second one)
    majority = max(counts, key=counts.get)
    minority = next(c for c in counts if c != majority)
    wanted = counts[majority] * ratio
    current = counts[minority] / counts[majority]
    described = (
        f"{counts[minority]} samples of class {minority!r} vs {counts[majority]} "
        f"of class {majority!r}"
    )
    if counts[minority] == counts[majority]:  # no float can add a sample
        raise SamplingStrategyError(
            sampler_name,
            f"asks for a minority/majority ratio of {ratio}, but the two classes "
            f"are tied ({described}): no ratio in (0, 1] adds a sample.",
            "Give the final counts as a dict {class: count} instead.",
            text_fix=f"Give {_JSON_COUNTS} instead.",
        )
    least = _least_ratio(counts[minority], counts[majority])
    # compared before truncating: a shortfall of less than one sample is a
    # ratio below the current one too (rounding of the product aside)
    if wanted < counts[minority] - 1e-9 * counts[majority]:
        raise SamplingStrategyError(
            sampler_name,
            f"asks for a minority/majority ratio of {ratio}, but the data already "
            f"has {current:.4g} ({described}); over-sampling cannot remove "
            "samples.",
            f"Use a ratio of at least {least} to generate samples.",
        )
    n_new = int(wanted - counts[minority])
    if n_new <= 0:  # refused, as by imbalanced-learn
        raise SamplingStrategyError(
            sampler_name,
            f"asks for a minority/majority ratio of {ratio}; with {described} (a "
            f"ratio of {current:.4g}) that is not one new sample.",
            f"Use a ratio of at least {least} to generate samples.",
        )
    return OrderedDict([(minority, n_new)])


def _shortest_ratio(target, works):
    """The shortest decimal (4 significant digits or more) at or just above
    ``target`` for which ``works(ratio)`` holds."""
    for digits in range(4, 18):
        text = f"{target:.{digits}g}"
        if works(float(text)):
            return text
        step = 10.0 ** (np.floor(np.log10(target)) - digits + 1)
        text = f"{float(text) + step:.{digits}g}"
        if works(float(text)):
            return text
    return repr(target)


def _least_ratio(n_minority, n_majority):
    """The shortest decimal (4 significant digits or more) ratio that asks for
    at least one new sample of the minority class.

    Examples
    --------
    >>> _least_ratio(50, 100), _least_ratio(1, 3)
    ('0.51', '0.6667')
    """
    return _shortest_ratio(
        (n_minority + 1) / n_majority,
        lambda ratio: int(n_majority * ratio - n_minority) >= 1,
    )


def _least_under_ratio(n_minority, n_majority):
    """The shortest decimal (4 significant digits or more) ratio that keeps
    no more samples of the majority class than it has.

    Examples
    --------
    >>> _least_under_ratio(201, 2009), _least_under_ratio(1, 3)
    ('0.1001', '0.3333')
    """
    return _shortest_ratio(
        n_minority / n_majority, lambda ratio: int(n_minority / ratio) <= n_majority
    )


def _under_from_float(ratio, counts, sampler_name):
    _check_binary_for_float(counts, sampler_name, "not minority")
    # as imbalanced-learn: the minority is the first class of the smallest
    # count, the other class is under-sampled (on a tie, the second one)
    minority = min(counts, key=counts.get)
    majority = next(c for c in counts if c != minority)
    n_keep = int(counts[minority] / ratio)
    if n_keep > counts[majority]:
        current = counts[minority] / counts[majority]
        raise ValueError(
            f"The 'sampling_strategy' parameter of {sampler_name} asks for a "
            f"minority/majority ratio of {ratio}, which would need {n_keep} samples "
            f"of class {majority!r}, but it has {counts[majority]} (the data "
            f"already has a ratio of {current:.4g}: {counts[minority]} samples of "
            f"class {minority!r}); under-sampling cannot add samples. Use a ratio "
            f"of at least {_least_under_ratio(counts[minority], counts[majority])}."
        )
    return OrderedDict([(majority, n_keep)])


def _refuse_bool(sampling_strategy, sampler_name):
    """A bool is not a ratio (``True`` would pass as 1.0): refuse it by name."""
    if isinstance(sampling_strategy, (bool, np.bool_)):
        raise ValueError(
            f"The 'sampling_strategy' parameter of {sampler_name} must be a float "
            "ratio in (0, 1], a string, a dict {class: final count} or a "
            f"callable; got the bool {sampling_strategy!r}. For a balanced "
            "result use 'auto' (or the ratio 1.0)."
        )


def _targeted_classes(name, counts, sampler_kind):
    majority = max(counts, key=counts.get)
    minority = min(counts, key=counts.get)
    if name == "auto":
        name = "not majority" if sampler_kind == "over-sampling" else "not minority"
    if name == "minority":
        return [minority]
    if name == "majority":
        return [majority]
    if name == "not minority":
        return [c for c in counts if c != minority]
    if name == "not majority":
        return [c for c in counts if c != majority]
    return list(counts)  # "all"


def _from_string(name, counts, sampling_type="over-sampling"):
    if sampling_type != "over-sampling":
        targeted = _targeted_classes(name, counts, sampling_type)
        n_minority = min(counts.values())
        return OrderedDict((c, n_minority) for c in counts if c in targeted)
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
    lookup = keyed_by_class(mapping, counts)
    unknown = [c for c in lookup if c not in counts]
    if unknown:
        named = f"names class(es) {_describe_classes(unknown)} that are not in"
        present = f"the classes present are {_describe_classes(counts)}."
        raise SamplingStrategyError(
            sampler_name,
            f"{named} y; {present}",
            f"{_same_text_hint(unknown, counts)}Remove or rename those keys.",
            text_fix="Remove or rename those keys.",
            text_facts=f"{named} the target column; {present}",
        )
    resolved = OrderedDict()
    for cls in counts:
        if cls not in lookup:
            continue
        value = lookup[cls]
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, Integral):
            raise SamplingStrategyTypeError(
                sampler_name,
                "must map each class to an integer final count; class "
                f"{cls!r} maps to {value!r} ({type(value).__name__}).",
                "",
                text_fix=f"Give whole numbers, as in {_JSON_COUNTS}.",
            )
        if value < counts[cls]:
            raise SamplingStrategyError(
                sampler_name,
                f"asks for {int(value)} samples of class {cls!r}, which already "
                f"has {counts[cls]}; an over-sampler can only add samples.",
                f"Ask for at least {counts[cls]}, or use an under-sampler to "
                "remove samples.",
                text_fix=f"Ask for at least {counts[cls]} (this command adds "
                "rows, it never removes them), or leave the class out.",
            )
        if int(value) > MAX_CLASS_COUNT:
            raise SamplingStrategyError(
                sampler_name,
                f"asks for {int(value)} samples of class {cls!r}, more rows than "
                f"an array can index (at most 2**62 = {MAX_CLASS_COUNT}).",
                "Ask for a count the output can hold.",
            )
        resolved[cls] = int(value) - counts[cls]
    return resolved


def _lookup(mapping, counts, sampler_name):
    if not hasattr(mapping, "items"):
        raise TypeError(
            f"The callable 'sampling_strategy' of {sampler_name} must return a dict "
            f"{{class: final count}}; it returned {type(mapping).__name__}."
        )
    return keyed_by_class(mapping, counts)


def _check_known(classes, counts, sampler_name):
    unknown = [c for c in classes if c not in counts]
    if unknown:
        raise ValueError(
            f"The 'sampling_strategy' parameter of {sampler_name} names class(es) "
            f"{_describe_classes(unknown)} that are not in y; the classes present "
            f"are {_describe_classes(counts)}. "
            f"{_same_text_hint(unknown, counts)}Remove or rename them."
        )


def _same_text_hint(unknown, counts):
    """A sentence for keys that name a class only as text (``'1'`` for the
    label ``1``), or ``''``.

    Examples
    --------
    >>> print(_same_text_hint(["1"], {0: 5, 1: 2}))  # doctest: +NORMALIZE_WHITESPACE
    The key '1' (str) is the label 1 (int) written as another type: use the
    labels' own type for the keys.
    """
    by_text = {}
    for label in counts:
        by_text.setdefault(str(label), label)
    for key in unknown:
        label = by_text.get(str(key))
        if label is not None:
            return (
                f"The key {key!r} ({type(key).__name__}) is the label {label!r} "
                f"({type(label).__name__}) written as another type: use the "
                "labels' own type for the keys. "
            )
    return ""


def _under_from_dict(mapping, counts, sampler_name):
    lookup = _lookup(mapping, counts, sampler_name)
    _check_known(lookup, counts, sampler_name)
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
        if value < 0:
            raise ValueError(
                f"The 'sampling_strategy' parameter of {sampler_name} asks for "
                f"{int(value)} samples of class {cls!r}; a number of samples cannot "
                "be negative. Ask for 0 or more."
            )
        if value > counts[cls]:
            raise ValueError(
                f"The 'sampling_strategy' parameter of {sampler_name} asks for "
                f"{int(value)} samples of class {cls!r}, which has only "
                f"{counts[cls]}; an under-sampler can only remove samples. Ask for "
                f"at most {counts[cls]}, or use an over-sampler to add samples."
            )
        resolved[cls] = int(value)
    return resolved


def _clean_from_list(classes, counts, sampler_name):
    for item in classes:
        if np.ndim(item) != 0 or not isinstance(item, Hashable):  # not one label
            raise ValueError(
                f"The 'sampling_strategy' list of {sampler_name} must hold class "
                f"labels; one item is a {type(item).__name__} ({item!r}). Pass "
                "the labels themselves, e.g. list(np.unique(y)) or [0, 2]."
            )
    classes = [as_class(c, list(counts)) for c in classes]
    _check_known(classes, counts, sampler_name)
    n_minority = min(counts.values())
    return OrderedDict((c, n_minority) for c in counts if c in classes)


def _check_string(name, allowed, sampler_name):
    if name not in allowed:
        other = {
            "minority": "an over-sampler",
            "majority": "an under-sampler or a cleaning sampler",
        }.get(name)
        hint = f" ({name!r} is for {other})" if other else ""
        raise ValueError(
            f"The 'sampling_strategy' parameter of {sampler_name} must be one "
            f"of {allowed} when given as a string{hint}. Got {name!r}."
        )


def _resolve_under(sampling_strategy, y, counts, sampler_name):
    _refuse_bool(sampling_strategy, sampler_name)
    if isinstance(sampling_strategy, str):
        _check_string(sampling_strategy, UNDER_STRING_STRATEGIES, sampler_name)
        return _from_string(sampling_strategy, counts, "under-sampling")
    if isinstance(sampling_strategy, list):
        raise ValueError(
            f"The 'sampling_strategy' parameter of {sampler_name} cannot be a list: "
            "a list of classes is only for cleaning samplers (TomekLinks, "
            "EditedNearestNeighbours). Use a dict {class: final count} or a string."
        )
    if isinstance(sampling_strategy, Real) and not isinstance(sampling_strategy, bool):
        return _under_from_float(float(sampling_strategy), counts, sampler_name)
    if callable(sampling_strategy):
        return _under_from_dict(sampling_strategy(y), counts, sampler_name)
    return _under_from_dict(sampling_strategy, counts, sampler_name)


def _resolve_clean(sampling_strategy, counts, sampler_name):
    if isinstance(sampling_strategy, str):
        _check_string(sampling_strategy, UNDER_STRING_STRATEGIES, sampler_name)
        return _from_string(sampling_strategy, counts, "clean-sampling")
    if isinstance(sampling_strategy, (list, tuple, np.ndarray)):
        return _clean_from_list(sampling_strategy, counts, sampler_name)
    raise ValueError(
        f"The 'sampling_strategy' parameter of {sampler_name} must be a string "
        f"among {UNDER_STRING_STRATEGIES} or a list of the classes to clean; got "
        f"{type(sampling_strategy).__name__} {sampling_strategy!r}. A cleaning "
        "sampler removes the samples its rule selects, so it takes no ratio or "
        "target count: name the classes it may remove samples from."
    )


def resolve_sampling_strategy(
    sampling_strategy,
    y,
    sampler_name="the sampler",
    sampling_type="over-sampling",
    *,
    counts=None,
):
    """Turn a ``sampling_strategy`` into the number of samples to generate.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable
        The user's target, in any form accepted by over-samplers.
    y : ndarray of shape (n_samples,)
        Class labels (already validated: at least two classes).
    sampler_name : str
        Name used in error messages.
    sampling_type : {'over-sampling', 'under-sampling', 'clean-sampling'}
        How to read the target (see the module docstring).
    counts : OrderedDict, default=None
        ``class_counts(y)`` when the caller has it already (saves a pass over
        the labels).

    Returns
    -------
    counts : OrderedDict
        In sorted class order: ``{class: number of new samples}`` for
        over-sampling, ``{class: number of samples kept}`` for
        under-sampling, ``{targeted class: minority count}`` for cleaning.

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
    >>> dict(resolve_sampling_strategy("auto", y, sampling_type="under-sampling"))
    {0: 10}
    >>> dict(resolve_sampling_strategy(0.5, y, sampling_type="under-sampling"))
    {0: 20}
    >>> dict(resolve_sampling_strategy([0, 1], y, sampling_type="clean-sampling"))
    {0: 10, 1: 10}
    """
    if sampling_type not in SAMPLING_TYPES:
        raise ValueError(
            f"sampling_type must be one of {SAMPLING_TYPES}; got {sampling_type!r}."
        )
    if counts is None:
        counts = class_counts(y)
    if sampling_type == "under-sampling":
        return _resolve_under(sampling_strategy, y, counts, sampler_name)
    if sampling_type == "clean-sampling":
        return _resolve_clean(sampling_strategy, counts, sampler_name)
    _refuse_bool(sampling_strategy, sampler_name)
    if isinstance(sampling_strategy, str):
        _check_string(sampling_strategy, STRING_STRATEGIES, sampler_name)
        return _from_string(sampling_strategy, counts)
    if isinstance(sampling_strategy, Real) and not isinstance(sampling_strategy, bool):
        return _from_float(float(sampling_strategy), counts, sampler_name)
    if callable(sampling_strategy):
        return _from_dict(sampling_strategy(y), counts, sampler_name)
    return _from_dict(sampling_strategy, counts, sampler_name)


def resolve_over_sampling_from_counts(
    sampling_strategy, counts, sampler_name="the sampler", y=None
):
    """Over-sampling targets from the class counts alone (no label array).

    The same rules as :func:`resolve_sampling_strategy` for over-samplers, for
    callers that counted the classes in one pass over data too large to hold
    (the Dask samplers). Only a callable ``sampling_strategy`` needs the
    labels themselves: pass them as ``y`` (an array, or a function returning
    one, called only then).

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable
        The user's target.
    counts : mapping
        ``{class: number of samples}``, any order.
    sampler_name : str
        Name used in error messages.
    y : ndarray or callable, default=None
        The labels, or a function returning them, for a callable target.

    Returns
    -------
    targets : OrderedDict
        ``{class: number of new samples}`` in sorted class order.

    Examples
    --------
    >>> dict(resolve_over_sampling_from_counts("auto", {1: 10, 0: 90}))
    {1: 80}
    >>> dict(resolve_over_sampling_from_counts(0.5, {0: 90, 1: 10}))
    {1: 35}
    """
    counts = OrderedDict((python_scalar(c), int(n)) for c, n in sorted(counts.items()))
    _refuse_bool(sampling_strategy, sampler_name)
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
        labels = y() if callable(y) else y
        if labels is None:
            raise ValueError(
                f"A callable 'sampling_strategy' of {sampler_name} is called with "
                "the labels y, which were not given. Pass y, or give the target "
                "as a dict."
            )
        return _from_dict(sampling_strategy(labels), counts, sampler_name)
    return _from_dict(sampling_strategy, counts, sampler_name)
