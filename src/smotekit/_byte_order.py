"""pandas data stored in the other byte order.

pandas cannot take rows of a column whose numpy dtype is not in the
machine's byte order (``">f8"`` on a little-endian machine: "Big-endian
buffer not supported"), and ``pd.concat`` converts such columns to the
machine's order. Samplers take rows and join frames, so they receive a copy
in the machine's order instead; the caller's objects are not changed.
"""

import numpy as np
import pandas as pd

__all__ = ["native_pandas"]


def _native(dtype):
    """``dtype`` in the machine's byte order, or None if it already is."""
    if isinstance(dtype, np.dtype) and not dtype.isnative:
        return dtype.newbyteorder("=")
    return None


def native_pandas(obj):
    """``obj`` with its swapped numpy columns in the machine's byte order.

    A DataFrame or Series holding no such column (and anything else) is
    returned as is; otherwise a new object, the other columns shared.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"a": np.arange(3, dtype=">f8"), "b": [1, 2, 3]})
    >>> native_pandas(frame).dtypes.tolist()
    [dtype('float64'), dtype('int64')]
    >>> frame["a"].dtype.isnative
    False
    """
    if isinstance(obj, pd.Series):
        native = _native(obj.dtype)
        return obj if native is None else obj.astype(native)
    if isinstance(obj, pd.DataFrame):
        natives = [_native(dtype) for dtype in obj.dtypes]
        if all(native is None for native in natives):
            return obj
        out = obj.copy(deep=False)
        for j, native in enumerate(natives):
            if native is not None:
                out.isetitem(j, obj.iloc[:, j].astype(native))
        return out
    return obj
