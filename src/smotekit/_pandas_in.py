"""pandas inputs as the samplers need them, given back as the caller gave them.

Two properties of a caller's DataFrame or Series get in the way of taking and
joining rows, and neither is changed on the caller's objects:

- columns stored in the other byte order, which pandas cannot take rows of
  (:func:`smotekit._byte_order.native_pandas` gives a copy in the machine's
  order);
- ``flags.allows_duplicate_labels=False``, under which pandas refuses even an
  intermediate selection that repeats a row (RandomOverSampler's copies). The
  sampler works on the object with the flag lifted, and the flag is set again
  on its output, which is refused with a clear message if its labels repeat.
"""

import functools

import pandas as pd

from ._byte_order import native_pandas

__all__ = ["accepts_any_pandas"]


def _forbids_repeats(obj):
    return (
        isinstance(obj, (pd.DataFrame, pd.Series))
        and not obj.flags.allows_duplicate_labels
    )


def _workable(obj):
    obj = native_pandas(obj)
    if _forbids_repeats(obj):
        return obj.set_flags(allows_duplicate_labels=True)
    return obj


def _forbid_again(out, sampler_name, what):
    """``out`` with repeated labels forbidden again, as they were on ``what``."""
    if not isinstance(out, (pd.DataFrame, pd.Series)):
        return out
    if not out.index.is_unique:
        raise ValueError(
            f"{sampler_name} returns some rows of {what} more than once, so their "
            f"index labels repeat, which {what} forbids "
            f"({what}.flags.allows_duplicate_labels is False). Allow them with "
            f"{what}.set_flags(allows_duplicate_labels=True), or sample without "
            "repeating rows."
        )
    return out.set_flags(allows_duplicate_labels=False)


def accepts_any_pandas(method):
    """Let ``method(self, X, y)`` take pandas data in the other byte order or
    forbidding repeated labels (see the module notes); a ``(X, y)`` result
    forbids repeated labels where the input did.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from smotekit import RandomOverSampler
    >>> X = pd.DataFrame({"a": np.arange(6.0)}).set_flags(allows_duplicate_labels=False)
    >>> X_res, _ = RandomOverSampler(random_state=0).fit_resample(X, [0, 0, 0, 0, 1, 1])
    >>> len(X_res), X_res.flags.allows_duplicate_labels
    (8, False)
    """

    @functools.wraps(method)
    def wrapper(self, X, y, *args, **kwargs):
        result = method(self, _workable(X), _workable(y), *args, **kwargs)
        forbids = (_forbids_repeats(X), _forbids_repeats(y))
        if result is self or not any(forbids):
            return result
        name = type(self).__name__
        X_out, y_out = result
        if forbids[0]:
            X_out = _forbid_again(X_out, name, "X")
        if forbids[1]:
            y_out = _forbid_again(y_out, name, "y")
        return X_out, y_out

    return wrapper
