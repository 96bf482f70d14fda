"""scikit-learn's and imbalanced-learn's estimator checks over every sampler.

The samplers come from ``SAMPLERS`` in ``conftest.py`` (through the
``sampler_checks`` marker, seeded as imbalanced-learn seeds its own samplers
for these checks). imbalanced-learn's count checks only assert anything for
subclasses of its own base classes; ``test_common.py`` asserts the same counts
(exactly) for ours.
"""

import pytest
from imblearn.utils.estimator_checks import (
    check_dataframe_column_names_consistency,
    check_param_validation,
)
from imblearn.utils.estimator_checks import (
    parametrize_with_checks as imblearn_parametrize_with_checks,
)
from sklearn.utils.estimator_checks import (
    parametrize_with_checks as sklearn_parametrize_with_checks,
)


def sklearn_expected_failures(sampler):
    """scikit-learn checks that cannot apply to a sampler: none so far."""
    return {}


def imblearn_expected_failures(sampler):
    """imbalanced-learn checks that fail, with the reason: none so far."""
    return {}


@pytest.mark.sampler_checks(
    sklearn_parametrize_with_checks, expected_failed_checks=sklearn_expected_failures
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


@pytest.mark.sampler_checks(
    imblearn_parametrize_with_checks,
    expected_failed_checks=imblearn_expected_failures,
)
def test_imblearn_sampler_checks(estimator, check):
    check(estimator)


def test_imblearn_param_validation(sampler):
    check_param_validation(type(sampler).__name__, sampler)


def test_imblearn_dataframe_column_names_consistency(sampler):
    check_dataframe_column_names_consistency(type(sampler).__name__, sampler)
