"""Warnings that point at the user's line, however deep smotekit calls go."""

import os
import sys
import warnings

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def warn_at_caller(message, category):
    """``warnings.warn`` with the stack level of the first frame outside smotekit.

    A fixed ``stacklevel`` breaks whenever a call path gains or loses a frame
    (a decorator, a wrapper sampler); this one is counted at the time of the
    warning.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_at_caller("careful", UserWarning)
    >>> caught[0].filename.startswith(_PACKAGE_DIR)
    False
    """
    level, frame = 1, sys._getframe(0)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back
        level += 1
    warnings.warn(message, category, stacklevel=level)
