"""Warnings and errors raised by smotekit.

Every warning smotekit emits is a subclass of :class:`SmotekitWarning`, so it
can be filtered as a group (``warnings.simplefilter("error",
SmotekitWarning)``) or one kind at a time.

The errors below are raised where the data cannot take what the parameters
ask; each is also a built-in exception (``ValueError``, ``TypeError`` or
``RuntimeError``, as imbalanced-learn raises there), so code written for
those catches them, and each carries the facts of its message as
attributes, so code (such as the command line) can tell them its own way.
Other bad parameters and inputs raise plain ``ValueError`` or ``TypeError``.

Examples
--------
>>> import numpy as np
>>> from smotekit import SMOTE
>>> from smotekit.exceptions import ClassTooSmallError
>>> X, y = np.arange(20.0).reshape(10, 2), [0] * 7 + [1] * 3
>>> try:
...     SMOTE(k_neighbors=5).fit_resample(X, y)
... except ClassTooSmallError as exc:
...     print(exc.cls, exc.n_class, exc.k)
1 3 5
"""

__all__ = [
    "ClassTooSmallError",
    "NoClusterError",
    "NoDangerSamplesWarning",
    "NonFiniteFeaturesError",
    "NonNumericFeaturesError",
    "SamplingStrategyError",
    "SamplingStrategyTypeError",
    "SmotekitWarning",
    "StrategyFailedWarning",
    "TooFewSamplesError",
    "UnweightedClassError",
]


class SmotekitWarning(UserWarning):
    """Base class of every warning emitted by smotekit."""


class NoDangerSamplesWarning(SmotekitWarning):
    """A class to over-sample has no sample in danger (Borderline-SMOTE).

    Borderline-SMOTE grows a class only from its samples near the class
    border. When a class has none, :class:`~smotekit.BorderlineSMOTE` uses
    every sample of the class as a seed (as SMOTE does) so that the requested
    number of samples is still generated, and emits this warning.
    """


class StrategyFailedWarning(SmotekitWarning):
    """A strategy could not be evaluated in a comparison.

    :func:`smotekit.evaluation.compare_strategies` leaves a strategy out of
    its results when fitting or scoring it fails on a fold (for example a
    sampler that needs more neighbours than a training fold has), keeps the
    others, records the reason in ``notes`` and emits this warning.
    """


# ------------------------------------------------------------------ errors


class NonNumericFeaturesError(ValueError, TypeError):
    """X has non-numeric features and the sampler needs numbers.

    A :class:`ValueError` (bad values) and a :class:`TypeError` (what
    ``float(obj)`` raises for objects such as dicts), so code written for
    either, including scikit-learn's checks, catches it. ``columns`` lists
    the columns refused (their names in a DataFrame, their positions
    otherwise), ``sampler_name`` who refused them.
    """

    def __init__(self, message, *, columns=None, sampler_name=None):
        # defaults: unpickling (a worker process's error) passes the message only
        super().__init__(message)
        self.columns = None if columns is None else list(columns)
        self.sampler_name = sampler_name


class NonFiniteFeaturesError(ValueError):
    """X holds missing (NaN) or infinite feature values and the sampler
    computes with them.

    ``what`` tells how many and where,
    ``sampler_name`` who refused them.
    """

    def __init__(self, message, *, what="", sampler_name=""):
        super().__init__(message)
        self.what = what
        self.sampler_name = sampler_name

    def __reduce__(self):
        return (
            _non_finite_from_state,
            (str(self), self.what, self.sampler_name),
        )


class SamplingStrategyError(ValueError):
    """An over-sampler's ``sampling_strategy`` that the labels cannot take.

    The message names the parameter and the sampler; :meth:`told_as` tells the
    same facts of an option of another interface (the command line's
    ``--sampling-strategy``), with the fix in that interface's terms.

    Parameters
    ----------
    sampler_name : str
        Who refused the target.
    facts : str
        What is wrong, as a phrase following the parameter's name.
    fix : str
        How to fix it in Python.
    text_fix : str, default=None
        How to fix it where the target is text (JSON for a dict); ``fix``
        when None.
    text_facts : str, default=None
        ``facts`` where the labels are a column rather than ``y``.
    """

    def __init__(self, sampler_name, facts, fix, text_fix=None, text_facts=None):
        super().__init__(
            " ".join(
                part
                for part in (
                    f"The 'sampling_strategy' parameter of {sampler_name}",
                    facts,
                    fix,
                )
                if part
            )
        )
        self.sampler_name = sampler_name
        self.facts = facts
        self.fix = fix
        self.text_fix = text_fix
        self.text_facts = text_facts

    def told_as(self, option):
        """The message for ``option`` given as text.

        Examples
        --------
        >>> exc = SamplingStrategyError("SMOTE", "is wrong.", "Fix it.")
        >>> exc.told_as("--sampling-strategy")
        '--sampling-strategy is wrong. Fix it.'
        """
        facts = self.facts if self.text_facts is None else self.text_facts
        fix = self.fix if self.text_fix is None else self.text_fix
        return " ".join(part for part in (option, facts, fix) if part)

    def __reduce__(self):
        # rebuilt from its parts (errors travel between processes)
        return (
            type(self),
            (self.sampler_name, self.facts, self.fix, self.text_fix, self.text_facts),
        )


class SamplingStrategyTypeError(SamplingStrategyError, TypeError):
    """A :class:`SamplingStrategyError` of a value of the wrong type (also a
    ``TypeError``, as such errors are elsewhere)."""


class ClassTooSmallError(ValueError):
    """A class to over-sample has fewer samples than the neighbours asked
    (``n_class`` samples of class ``cls``, ``k`` neighbours)."""

    def __init__(self, message, *, n_class=None, k=None, cls=None):
        # defaults: unpickling (a worker process's error) passes the message only
        super().__init__(message)
        self.n_class, self.k, self.cls = n_class, k, cls


class TooFewSamplesError(ValueError):
    """X has fewer samples than a search among all samples asks
    (``n_samples`` samples, ``k`` neighbours of the parameter ``param_name``)."""

    def __init__(self, message, *, n_samples=None, k=None, param_name=None):
        # defaults: unpickling (a worker process's error) passes the message only
        super().__init__(message)
        self.n_samples, self.k, self.param_name = n_samples, k, param_name


class UnweightedClassError(RuntimeError):
    """Every ADASYN weight of a class is zero: none of its samples has a
    sample of another class among its nearest neighbours (class ``cls`` of
    ``n_samples`` samples, ``n_neighbors`` neighbours each)."""

    def __init__(self, message, *, cls=None, n_samples=None, n_neighbors=None):
        # defaults: unpickling (a worker process's error) passes the message only
        super().__init__(message)
        self.cls, self.n_samples, self.n_neighbors = cls, n_samples, n_neighbors


class NoClusterError(RuntimeError):
    """No cluster qualifies to over-sample class ``cls`` in (KMeansSMOTE):
    none holds ``threshold`` of its samples or more and at least
    ``n_needed`` of them."""

    def __init__(self, message, *, cls=None, threshold=None, n_needed=None):
        # defaults: unpickling (a worker process's error) passes the message only
        super().__init__(message)
        self.cls, self.threshold, self.n_needed = cls, threshold, n_needed


def _non_finite_from_state(message, what, sampler_name):
    """Rebuild a pickled :class:`NonFiniteFeaturesError` (Dask moves errors
    between processes)."""
    return NonFiniteFeaturesError(message, what=what, sampler_name=sampler_name)
