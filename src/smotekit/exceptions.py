"""Warnings raised by smotekit.

Every warning smotekit emits is a subclass of :class:`SmotekitWarning`, so it
can be filtered as a group (``warnings.simplefilter("error",
SmotekitWarning)``) or one kind at a time.
"""

__all__ = ["NoDangerSamplesWarning", "SmotekitWarning", "StrategyFailedWarning"]


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
