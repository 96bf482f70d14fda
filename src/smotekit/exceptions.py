"""Warnings raised by smotekit.

Every warning smotekit emits is a subclass of :class:`SmotekitWarning`, so it
can be filtered as a group (``warnings.simplefilter("error",
SmotekitWarning)``) or one kind at a time.
"""

__all__ = ["NoDangerSamplesWarning", "SmotekitWarning"]


class SmotekitWarning(UserWarning):
    """Base class of every warning emitted by smotekit."""


class NoDangerSamplesWarning(SmotekitWarning):
    """A class to over-sample has no sample in danger (Borderline-SMOTE).

    Borderline-SMOTE grows a class only from its samples near the class
    border. When a class has none, :class:`~smotekit.BorderlineSMOTE` uses
    every sample of the class as a seed (as SMOTE does) so that the requested
    number of samples is still generated, and emits this warning.
    """
