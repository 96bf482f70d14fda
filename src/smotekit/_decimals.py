"""Synthetic values of decimal columns, in exact decimal arithmetic.

A column of :class:`decimal.Decimal` values (an object column, or pyarrow's
``decimal128``/``decimal256``) is read as float64 for the neighbour search,
which keeps 15–17 significant digits. Its synthetic values are built from
the two rows' decimals themselves, ``a + gap * (b - a)`` with the float gap
taken exactly, and rounded half to even to the column's scale (the most
decimal places among its values, or the dtype's scale): so they keep the
column's digits and lie between their two rows' values, which are on that
grid too (an extrapolating negative gap stays on the parent's side).
Without the rows (noise added to copies), the float values are rounded to
the scale.
"""

import decimal

import numpy as np
import pandas as pd

__all__ = ["decimal_exponent", "decimal_values", "is_arrow_decimal"]

#: Digits kept in the intermediate sums and products: enough that rounding
#: them cannot move a value across a half of the column's last place.
_CONTEXT = decimal.Context(prec=1000, rounding=decimal.ROUND_HALF_EVEN)


def is_arrow_decimal(dtype):
    """Whether ``dtype`` is a pandas ``ArrowDtype`` of decimals."""
    if not isinstance(dtype, pd.ArrowDtype):
        return False
    import pyarrow as pa  # installed: the dtype is pyarrow's

    return pa.types.is_decimal(dtype.pyarrow_dtype)


def decimal_exponent(column):
    """The exponent of the column's finest decimal place (``-2`` for cents).

    Examples
    --------
    >>> from decimal import Decimal
    >>> decimal_exponent([Decimal("1.5"), Decimal("2.25"), None])
    -2
    """
    exponents = [
        v.as_tuple().exponent
        for v in column
        if isinstance(v, decimal.Decimal) and v.is_finite()
    ]
    return min(exponents) if exponents else 0


def decimal_values(values, column, provenance, exponent):
    """Synthetic decimals of one column, as a list.

    Parameters
    ----------
    values : ndarray of float64
        The synthetic values as built in float64 (used where the rows are
        not known: ``provenance`` None or with noise).
    column : sequence of Decimal
        The column's original values, indexed by the provenance's rows.
    provenance : Provenance or None
        Parents, neighbours and gaps of the synthetic rows.
    exponent : int
        Decimal places to keep (``-2`` for cents).

    Examples
    --------
    >>> import numpy as np
    >>> from decimal import Decimal
    >>> from smotekit._provenance import Provenance
    >>> column = [Decimal("0.10"), Decimal("0.20")]
    >>> p = Provenance(np.array([0]), np.array([1]), np.array([0.3]))
    >>> decimal_values(np.array([0.13]), column, p, -2)
    [Decimal('0.13')]
    """
    quantum = decimal.Decimal(1).scaleb(exponent)
    if provenance is None or getattr(provenance, "noise", None) is not None:
        return [
            decimal.Decimal(float(v)).quantize(quantum, context=_CONTEXT)
            if np.isfinite(v)
            else decimal.Decimal(float(v))
            for v in values
        ]
    column = np.asarray(column, dtype=object)
    out = []
    for a, b, gap in zip(
        column[np.asarray(provenance.parent)],
        column[np.asarray(provenance.neighbor)],
        np.asarray(provenance.gap, dtype=np.float64),
        strict=True,
    ):
        step = _CONTEXT.multiply(decimal.Decimal(float(gap)), _CONTEXT.subtract(b, a))
        out.append(_CONTEXT.add(a, step).quantize(quantum, context=_CONTEXT))
    return out
