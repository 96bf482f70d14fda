"""Borderline status of samples from their neighbourhoods."""

import numpy as np

__all__ = ["danger_noise_masks"]


def danger_noise_masks(n_other, m):
    """Borderline status of samples from their other-class neighbour counts.

    A sample whose ``m`` nearest neighbours (in all the data) include ``m'``
    samples of other classes is *in danger* when ``m / 2 <= m' < m`` and
    *noise* when ``m' = m`` (Han et al., 2005); otherwise it is *safe*.

    Parameters
    ----------
    n_other : ndarray of shape (n_samples,)
        Number of other-class samples among each sample's neighbours.
    m : int
        Number of neighbours looked at.

    Returns
    -------
    danger, noise : ndarray of shape (n_samples,), bool

    Examples
    --------
    >>> import numpy as np
    >>> danger, noise = danger_noise_masks(np.array([0, 4, 5, 9, 10]), 10)
    >>> danger.tolist(), noise.tolist()
    ([False, False, True, True, False], [False, False, False, False, True])
    """
    n_other = np.asarray(n_other)
    danger = (2 * n_other >= m) & (n_other < m)
    return danger, n_other == m
