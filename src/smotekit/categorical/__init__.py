"""Over-samplers for categorical data: SMOTENC (mixed) and SMOTEN (categorical)."""

from ._smoten import SMOTEN
from ._smotenc import SMOTENC

__all__ = ["SMOTEN", "SMOTENC"]
