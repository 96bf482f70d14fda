"""Labels in and out, and the Dask samplers' strategy from counts, in
detail: a label column comes back as a column, a sparse matrix keeps its
format through an under-sampler, a one-hot matrix holds only 0 and 1, a
missing date label is refused, a callable target gets the labels."""

import numpy as np
import pytest
from scipy import sparse

from smotekit import SMOTE, SMOTEN, RandomUnderSampler, TomekLinks
from smotekit._strategy import resolve_over_sampling_from_counts

RNG = np.random.default_rng(0)
X = RNG.normal(size=(12, 2))
Y = np.array([0] * 8 + [1] * 4)


@pytest.mark.parametrize(
    "sampler",
    [SMOTE(k_neighbors=3, random_state=0), RandomUnderSampler(random_state=0)],
    ids=["over", "under"],
)
def test_a_label_column_comes_back_as_a_column(sampler):
    _, y_res = sampler.fit_resample(X, Y.reshape(-1, 1))
    assert y_res.ndim == 2 and y_res.shape[1] == 1
    assert y_res.shape[0] == (16 if isinstance(sampler, SMOTE) else 8)


@pytest.mark.parametrize("fmt", ["csc", "coo", "lil"])
@pytest.mark.parametrize(
    "sampler", [RandomUnderSampler(random_state=0), TomekLinks()], ids=["rus", "tl"]
)
def test_under_samplers_keep_the_sparse_format(fmt, sampler):
    X_sparse = sparse.csr_matrix(np.where(np.abs(X) > 0.5, X, 0.0)).asformat(fmt)
    X_res, _ = sampler.fit_resample(X_sparse, Y)
    assert X_res.format == fmt
    np.testing.assert_array_equal(
        X_res.toarray(), X_sparse.toarray()[sampler.sample_indices_]
    )


def test_a_label_matrix_of_values_other_than_0_and_1_is_refused():
    # each row sums to 1, but 2 and -1 are not one-hot entries
    onehot = np.array([[1, 0]] * 8 + [[0, 1]] * 3 + [[2, -1]])
    with pytest.raises(ValueError, match="one-hot matrix with exactly one 1"):
        SMOTE(k_neighbors=2, random_state=0).fit_resample(X, onehot)


@pytest.mark.parametrize("unit", ["D", "ns"])
def test_a_missing_date_label_is_refused(unit):
    y = np.array(
        ["2020-01-01"] * 8 + ["2021-01-01"] * 3 + ["NaT"], f"datetime64[{unit}]"
    )
    with pytest.raises(ValueError, match=r"1 missing label\(s\).*position 11"):
        RandomUnderSampler(random_state=0).fit_resample(X, y)


def test_a_callable_target_from_counts_gets_the_labels_not_their_maker():
    y = np.array([0] * 30 + [1] * 10)
    calls = []

    def labels():
        calls.append(1)
        return y

    def target(labels_seen):
        assert isinstance(labels_seen, np.ndarray)
        return {1: int((labels_seen == 0).sum())}

    got = resolve_over_sampling_from_counts(target, {0: 30, 1: 10}, y=labels)
    assert dict(got) == {1: 20} and calls == [1]
    assert dict(resolve_over_sampling_from_counts(target, {0: 30, 1: 10}, y=y)) == {
        1: 20
    }


def test_smoten_gaps_are_in_the_working_dtype_of_the_array():
    X_cat = RNG.integers(0, 3, (40, 2)).astype(np.float32)
    y = np.array([0] * 28 + [1] * 12)
    sampler = SMOTEN(random_state=0)
    X_res, _ = sampler.fit_resample(X_cat, y)
    assert X_res.dtype == np.float32
    assert sampler.provenance_.gap.dtype == np.float32
