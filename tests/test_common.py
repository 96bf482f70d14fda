"""Checks that every sampler in ``SAMPLERS`` (see ``conftest.py``) must pass.

Each test takes the ``sampler`` fixture (a fresh, seeded clone of every
registered sampler) and asserts behaviour: class counts, values, dtypes,
containers, reproducibility and the scikit-learn estimator API.

Samplers come in four kinds, each with its own fixture and expectations:
over-samplers (``over_sampler``: originals, then synthetic rows with
provenance), under-samplers with a target count (``under_sampler``:
RandomUnderSampler), cleaning samplers (``cleaning_sampler``: TomekLinks,
EditedNearestNeighbours) and combinations (``combined_sampler``: SMOTEENN,
SMOTETomek). Checks that hold for every kind describe the output with
:func:`layout`: the input rows it keeps, in order, then the synthetic rows
it builds.
"""

import copy
import inspect
import pickle
from collections import Counter, OrderedDict
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
from imblearn.utils import check_sampling_strategy
from imblearn.utils.estimator_checks import sample_dataset_generator
from numpy.testing import assert_array_equal
from scipy import sparse
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.preprocessing import label_binarize
from sklearn.utils import get_tags

from smotekit import ExactNeighbors, Provenance, _blocks
from smotekit.combine import BaseCombinedSampler
from smotekit.under_sampling import BaseCleaningSampler, BaseUnderSampler

# ------------------------------------------------------------------ helpers


def rebuild(X, provenance):
    """Synthetic rows rebuilt from their provenance, in X's working float dtype.

    ``X[parent] + gap * (X[neighbor] - X[parent])`` (+ ``noise``), computed in
    float32 for float32 X and float64 otherwise; the ``copied_columns`` (of
    SMOTENC and SMOTEN) are copied from the rows ``copied_from``.
    """
    X = np.asarray(X)
    work = X.dtype if X.dtype in (np.float32, np.float64) else np.dtype(np.float64)
    a = X[provenance.parent].astype(work)
    b = X[provenance.neighbor].astype(work)
    rows = a + provenance.gap.astype(work)[:, None] * (b - a)
    if provenance.noise is not None:
        rows = rows + provenance.noise.astype(work)
    if provenance.copied_from is not None:
        for t, j in enumerate(provenance.copied_columns):
            rows[:, j] = X[provenance.copied_from[:, t], j]
    return rows


def other_class_max_gap(sampler):
    """Gap bound towards a neighbour of another class, or None if not allowed.

    Per-sampler rule: only Borderline-SMOTE 2 interpolates towards samples of
    other classes, and then by less than half the way.
    """
    if type(sampler).__name__ == "BorderlineSMOTE" and sampler.kind == "borderline-2":
        return 0.5
    return None


def smallest_gap(sampler):
    """Lower bound of the provenance gaps (inclusive).

    Per-sampler rule: interpolating samplers put every row on the segment
    (gap in [0, 1)); SVM-SMOTE extrapolates from its safe support vectors
    away from the neighbour, with gaps in (-out_step, 0].
    """
    if type(sampler).__name__ == "SVMSMOTE":
        return -sampler.out_step
    return 0.0


def synthetic_labels(counts):
    """Labels of the synthetic rows: class by class, in sorted class order."""
    return [cls for cls in sorted(counts) for _ in range(counts[cls])]


def sparsify(X):
    """X with about half of its entries set to zero (so sparsity matters)."""
    return np.where(np.abs(X) > 0.7, X, 0.0)


def has_param(sampler, name):
    return name in sampler.get_params()


def fit_resample_copy(sampler, X, y):
    """Resample with a fresh clone; return ``(X_res, y_res, fitted clone)``."""
    fitted = clone(sampler)
    X_res, y_res = fitted.fit_resample(X, y)
    return X_res, y_res, fitted


def kind_of(sampler):
    """``'over'``, ``'under'`` (random), ``'clean'`` or ``'combine'``."""
    if isinstance(sampler, BaseCombinedSampler):
        return "combine"
    if isinstance(sampler, BaseCleaningSampler):
        return "clean"
    return "under" if isinstance(sampler, BaseUnderSampler) else "over"


def layout(sampler, n):
    """How a fitted sampler's output rows relate to its ``n`` input rows.

    Returns ``(originals, synthetic)``: the input positions of the leading
    original output rows, in output order, and the provenance of the
    synthetic rows that follow them (``None`` when the sampler builds none):

    * over-samplers: every input row, then ``provenance_``;
    * under-samplers and cleaning samplers: ``sample_indices_``, no
      synthetic rows;
    * combinations: the originals that survive the cleaning
      (``sample_indices_ >= 0``), then the surviving synthetic rows
      (``provenance_``).
    """
    kind = kind_of(sampler)
    if kind == "over":
        return np.arange(n), sampler.provenance_
    if kind in ("under", "clean"):
        return sampler.sample_indices_, None
    indices = sampler.sample_indices_
    return indices[indices >= 0], sampler.provenance_


def synthetic_positions(sampler, n):
    """``(n_built, positions)``: how many synthetic rows were built, and which
    of them (positions in build order) are in the output, in output order.

    Synthetic pandas index labels are given to the rows as they are built,
    so a combination's surviving rows keep the labels of their positions.
    """
    kind = kind_of(sampler)
    if kind == "over":
        return len(sampler.provenance_), np.arange(len(sampler.provenance_))
    if kind in ("under", "clean"):
        return 0, np.arange(0)
    cleaner = getattr(sampler, sampler._cleaner_param + "_")
    kept = cleaner.sample_indices_
    return len(sampler.smote_.provenance_), kept[kept >= n] - n


def description(fitted):
    """The fitted arrays that describe the output rows, by name."""
    arrays = {}
    if hasattr(fitted, "provenance_"):
        for field in ("parent", "neighbor", "gap"):
            arrays[field] = getattr(fitted.provenance_, field)
    if hasattr(fitted, "sample_indices_"):
        arrays["sample_indices"] = fitted.sample_indices_
    assert arrays, f"{type(fitted).__name__} does not describe its output"
    return arrays


def output_attribute(sampler):
    """The fitted attribute a resampling call sets to describe its output."""
    if kind_of(sampler) in ("under", "clean"):
        return "sample_indices_"
    return "provenance_"


# ---------------------------------------------------- counts for every form


def minority_times_two(y):
    """A callable sampling_strategy: double the smallest class."""
    counts = Counter(y.tolist())
    smallest = min(counts, key=counts.get)
    return {smallest: 2 * counts[smallest]}


STRATEGIES = [
    pytest.param("multiclass", "auto", id="auto"),
    pytest.param("multiclass", "minority", id="minority"),
    pytest.param("multiclass", "not minority", id="not-minority"),
    pytest.param("multiclass", "not majority", id="not-majority"),
    pytest.param("multiclass", "all", id="all"),
    pytest.param("binary", "auto", id="binary-auto"),
    pytest.param("binary", 0.5, id="float-0.5"),
    pytest.param("binary", 0.75, id="float-0.75"),
    pytest.param("binary", 1.0, id="float-1.0"),
    pytest.param("multiclass", {0: 181, 2: 100}, id="dict-one-unchanged"),
    pytest.param("multiclass", {0: 200, 1: 150, 2: 31}, id="dict-all-classes"),
    pytest.param("multiclass", {2: 30}, id="dict-nothing-to-add"),
    pytest.param("multiclass", {np.int64(2): 60}, id="dict-numpy-keys"),
    pytest.param("multiclass", OrderedDict([(2, 90), (1, 95)]), id="ordered-dict"),
    pytest.param("multiclass", minority_times_two, id="callable"),
]


@pytest.mark.parametrize(("kind", "strategy"), STRATEGIES)
def test_class_counts_are_exactly_imblearns_target(
    over_sampler, make_data, kind, strategy
):
    sampler = over_sampler
    X, y = make_data(kind)
    sampler.set_params(sampling_strategy=strategy)
    X_res, y_res = sampler.fit_resample(X, y)

    target = check_sampling_strategy(strategy, y, "over-sampling")
    target = {int(cls): int(n) for cls, n in target.items()}
    assert dict(sampler.sampling_strategy_) == target
    assert list(sampler.sampling_strategy_) == sorted(target)

    n, n_new = len(y), sum(target.values())
    assert X_res.shape == (n + n_new, X.shape[1])
    assert Counter(y_res.tolist()) == Counter(y.tolist()) + Counter(target)
    assert y_res[n:].tolist() == synthetic_labels(target)
    assert len(sampler.provenance_) == n_new


def test_auto_raises_every_class_to_the_majority(over_sampler):
    # imbalanced-learn's check_samplers_fit_resample, as an exact count
    X, y = sample_dataset_generator()
    _, y_res = over_sampler.fit_resample(X, y)
    assert Counter(y_res.tolist()) == {0: 498, 1: 498, 2: 498}


def test_dict_strategy_leaves_other_classes_untouched(over_sampler):
    # imbalanced-learn's check_samplers_sampling_strategy_fit_resample
    sampler = over_sampler
    X, y = sample_dataset_generator()
    sampler.set_params(sampling_strategy={2: 498, 0: 498})
    _, y_res = sampler.fit_resample(X, y)
    assert Counter(y_res.tolist()) == {0: 498, 1: 301, 2: 498}
    assert dict(sampler.sampling_strategy_) == {0: 297, 2: 0}


UNDER_STRATEGIES = [
    pytest.param("multiclass", "auto", id="auto"),
    pytest.param("multiclass", "majority", id="majority"),
    pytest.param("multiclass", "not minority", id="not-minority"),
    pytest.param("multiclass", "not majority", id="not-majority"),
    pytest.param("multiclass", "all", id="all"),
    pytest.param("binary", "auto", id="binary-auto"),
    pytest.param("binary", 0.5, id="float-0.5"),
    pytest.param("binary", 1.0, id="float-1.0"),
    pytest.param("multiclass", {0: 100, 2: 30}, id="dict-one-unchanged"),
    pytest.param("multiclass", {0: 0, 1: 1, 2: 29}, id="dict-all-classes"),
    pytest.param("multiclass", {np.int64(1): 60}, id="dict-numpy-keys"),
    pytest.param("multiclass", OrderedDict([(1, 50), (0, 70)]), id="ordered-dict"),
    pytest.param("multiclass", lambda y: {0: int((y == 2).sum())}, id="callable"),
]


@pytest.mark.parametrize(("kind", "strategy"), UNDER_STRATEGIES)
def test_under_sampled_counts_are_exactly_imblearns_target(
    under_sampler, make_data, kind, strategy
):
    sampler = under_sampler
    X, y = make_data(kind)
    sampler.set_params(sampling_strategy=strategy)
    X_res, y_res = sampler.fit_resample(X, y)

    target = check_sampling_strategy(strategy, y, "under-sampling")
    target = {int(cls): int(n) for cls, n in target.items()}
    assert dict(sampler.sampling_strategy_) == target
    assert list(sampler.sampling_strategy_) == sorted(target)
    # targeted classes keep exactly their target, the others stay whole
    expected = {**Counter(y.tolist()), **target}
    assert Counter(y_res.tolist()) == {c: n for c, n in expected.items() if n}
    assert X_res.shape == (sum(expected.values()), X.shape[1])
    assert_array_equal(X_res, X[sampler.sample_indices_])


CLEAN_STRATEGIES = [
    pytest.param("multiclass", "auto", id="auto"),
    pytest.param("multiclass", "majority", id="majority"),
    pytest.param("multiclass", "not minority", id="not-minority"),
    pytest.param("multiclass", "not majority", id="not-majority"),
    pytest.param("multiclass", "all", id="all"),
    pytest.param("binary", "auto", id="binary-auto"),
    pytest.param("multiclass", [2, 0], id="list"),
    pytest.param("multiclass", [np.int64(1)], id="list-numpy-class"),
    pytest.param("multiclass", [], id="list-empty"),
]


@pytest.mark.parametrize(("kind", "strategy"), CLEAN_STRATEGIES)
def test_cleaning_targets_imblearns_classes_and_only_they_lose_samples(
    cleaning_sampler, make_data, kind, strategy
):
    sampler = cleaning_sampler
    X, y = make_data(kind)
    sampler.set_params(sampling_strategy=strategy)
    X_res, y_res = sampler.fit_resample(X, y)

    target = check_sampling_strategy(strategy, y, "clean-sampling")
    target = {int(cls): int(n) for cls, n in target.items()}
    assert dict(sampler.sampling_strategy_) == target
    before, after = Counter(y.tolist()), Counter(y_res.tolist())
    for cls in before:
        if cls in target:
            assert after[cls] <= before[cls]
        else:
            assert after[cls] == before[cls]
    if target:  # overlapping data: the rule finds something to remove
        assert sum(after.values()) < sum(before.values())
    assert_array_equal(X_res, X[sampler.sample_indices_])


@pytest.mark.parametrize(("kind", "strategy"), STRATEGIES)
def test_combined_over_samples_to_imblearns_target_then_cleans(
    combined_sampler, make_data, kind, strategy
):
    sampler = combined_sampler
    X, y = make_data(kind)
    sampler.set_params(sampling_strategy=strategy)
    X_res, y_res = sampler.fit_resample(X, y)

    target = check_sampling_strategy(strategy, y, "over-sampling")
    target = {int(cls): int(n) for cls, n in target.items()}
    assert dict(sampler.sampling_strategy_) == target
    assert len(sampler.smote_.provenance_) == sum(target.values())
    over_counts = Counter(y.tolist()) + Counter(target)
    after = Counter(y_res.tolist())
    assert all(after[c] <= over_counts[c] for c in over_counts)
    assert len(y_res) == X_res.shape[0] < len(y) + sum(target.values())


def test_auto_lowers_every_class_to_the_minority(under_sampler):
    # imbalanced-learn's check_samplers_fit_resample for under-samplers
    X, y = sample_dataset_generator()
    _, y_res = under_sampler.fit_resample(X, y)
    assert Counter(y_res.tolist()) == {0: 201, 1: 201, 2: 201}


def test_auto_cleans_every_class_but_the_minority(cleaning_sampler):
    # imbalanced-learn's check_samplers_fit_resample for cleaning samplers
    X, y = sample_dataset_generator()
    before = Counter(y.tolist())
    _, y_res = cleaning_sampler.fit_resample(X, y)
    after = Counter(y_res.tolist())
    assert after[0] == before[0] == 201  # the minority class
    assert after[1] < before[1] and after[2] < before[2]


def test_auto_combination_balances_then_cleans_every_class(combined_sampler):
    X, y = sample_dataset_generator()
    _, y_res = combined_sampler.fit_resample(X, y)
    assert dict(combined_sampler.sampling_strategy_) == {0: 297, 1: 197}
    after = Counter(y_res.tolist())
    assert all(after[c] < 498 for c in (0, 1, 2))


def test_strategy_leaves_untargeted_classes_untouched(sampler):
    # imbalanced-learn's check_samplers_sampling_strategy_fit_resample, for
    # each kind; combinations clean every class, so there the over-sampling
    # step leaves class 1 alone (no synthetic row of class 1)
    strategy = {
        "over": {2: 498, 0: 498},
        "under": {2: 201, 0: 201},
        "clean": [2, 0],
        "combine": {2: 498, 0: 498},
    }[kind_of(sampler)]
    X, y = sample_dataset_generator()
    sampler.set_params(sampling_strategy=strategy)
    _, y_res = sampler.fit_resample(X, y)
    originals, _ = layout(sampler, len(y))
    if kind_of(sampler) == "combine":
        assert 1 not in y_res[len(originals) :]
        assert 1 not in sampler.sampling_strategy_
    else:
        assert Counter(y_res.tolist())[1] == 301


# -------------------------------------------------------------- containers

INDEXES = {
    "range": lambda n: pd.RangeIndex(n),
    "range-from-5": lambda n: pd.RangeIndex(5, 5 + n),
    "shuffled-int": lambda n: pd.Index(np.random.default_rng(1).permutation(n) * 3),
    "str": lambda n: pd.Index([f"row{i}" for i in range(n)], name="id"),
    # past int64: labels continue in the index's own dtype, exactly
    "uint64-high": lambda n: pd.Index(np.arange(n, dtype=np.uint64) + np.uint64(2**62)),
    # no room left in the dtype: synthetic_i labels
    "int16-at-max": lambda n: pd.Index(np.arange(2**15 - n, 2**15, dtype=np.int16)),
    "multi": lambda n: pd.MultiIndex.from_arrays(
        [np.arange(n) // 2, [f"r{i}" for i in range(n)]], names=["group", "item"]
    ),
}


def expected_synthetic_index(index, n_new):
    """The index rule documented in smotekit._data (level by level for a
    MultiIndex)."""
    if isinstance(index, pd.MultiIndex):
        levels = [
            expected_synthetic_index(index.get_level_values(i), n_new)
            for i in range(index.nlevels)
        ]
        return list(zip(*levels, strict=True))
    if pd.api.types.is_integer_dtype(index.dtype):
        start = int(index.max()) + 1
        if start + n_new - 1 <= np.iinfo(index.dtype).max:
            return list(range(start, start + n_new))
    return [f"synthetic_{i}" for i in range(n_new)]


def to_container(X, y, container):
    columns = [f"f{j}" for j in range(X.shape[1])]
    if container == "numpy":
        return X, y
    if container == "list":
        return X.tolist(), y.tolist()
    if container == "csr":
        return sparse.csr_matrix(X), y
    if container == "csc":
        return sparse.csc_matrix(X), y
    if container == "csr-array":
        return sparse.csr_array(X), y
    if container == "csc-array":
        return sparse.csc_array(X), y
    if container == "coo":
        return sparse.coo_matrix(X), y
    if container == "lil-array":
        return sparse.lil_array(X), y
    if container == "pandas":
        return pd.DataFrame(X, columns=columns), pd.Series(y, name="target")
    if container == "pandas-sparse":
        frame = pd.DataFrame.sparse.from_spmatrix(sparse.csr_matrix(X), columns=columns)
        return frame, pd.Series(y, name="target")
    raise ValueError(container)


def check_container(X_in, y_in, X_res, y_res):
    """X_res / y_res have the container type, format and names of the inputs."""
    if isinstance(X_in, pd.DataFrame):
        assert isinstance(X_res, pd.DataFrame)
        assert X_res.columns.tolist() == X_in.columns.tolist()
        assert X_res.dtypes.tolist() == X_in.dtypes.tolist()
    elif sparse.issparse(X_in):
        assert sparse.issparse(X_res)
        assert isinstance(X_res, sparse.sparray) == isinstance(X_in, sparse.sparray)
        assert X_res.format == X_in.format
        assert X_res.dtype == X_in.dtype
    else:
        assert type(X_res) is type(X_in)
    if isinstance(y_in, pd.Series):
        assert isinstance(y_res, pd.Series)
        assert y_res.name == y_in.name
        assert y_res.dtype == y_in.dtype
    else:
        assert type(y_res) is type(y_in)


def to_dense(X):
    if isinstance(X, pd.DataFrame):
        return X.sparse.to_dense().to_numpy() if hasattr(X, "sparse") else X.to_numpy()
    if sparse.issparse(X):
        return X.toarray()
    return np.asarray(X)


CONTAINERS = [
    "numpy",
    "list",
    "csr",
    "csc",
    "csr-array",
    "csc-array",
    "coo",
    "lil-array",
    "pandas",
    "pandas-sparse",
]


@pytest.mark.parametrize("values", ["continuous", "integers"])
@pytest.mark.parametrize("container", CONTAINERS)
def test_container_in_same_container_out_same_values(
    sampler, multiclass_data, container, values
):
    X, y = multiclass_data
    X = sparsify(X)
    if values == "integers":  # distance ties everywhere: broken by index alike
        X = np.round(X * 2)
    X_ref, y_ref, _ = fit_resample_copy(sampler, X, y)
    X_in, y_in = to_container(X, y, container)

    X_res, y_res = sampler.fit_resample(X_in, y_in)

    check_container(X_in, y_in, X_res, y_res)
    assert_array_equal(to_dense(X_res), X_ref)
    assert_array_equal(np.asarray(y_res), y_ref)


@pytest.mark.parametrize("container", CONTAINERS)
def test_originals_first_unchanged_and_in_order(sampler, multiclass_data, container):
    X, y = multiclass_data
    X = sparsify(X)
    X_in, y_in = to_container(X, y, container)
    X_res, y_res = sampler.fit_resample(X_in, y_in)
    originals, _ = layout(sampler, len(y))
    m = len(originals)
    assert (np.diff(originals) >= 0).all()  # kept rows stay in their order
    head = to_dense(X_res)[:m]
    assert head.dtype == X.dtype
    assert head.tobytes() == X[originals].tobytes()
    assert np.asarray(y_res)[:m].tolist() == y[originals].tolist()


@pytest.mark.parametrize("y_container", ["series", "frame"])
@pytest.mark.parametrize("index_kind", list(INDEXES))
def test_pandas_keeps_original_index_and_labels_synthetic_rows(
    sampler, multiclass_data, index_kind, y_container
):
    X, y = multiclass_data
    n = len(y)
    index = INDEXES[index_kind](n)
    frame = pd.DataFrame(X, columns=list("abcde"), index=index)
    target = pd.Series(y, index=index, name="label")
    if y_container == "frame":
        target = target.to_frame()

    X_res, y_res = sampler.fit_resample(frame, target)

    originals, _ = layout(sampler, n)
    m = len(originals)
    n_built, positions = synthetic_positions(sampler, n)
    labels = expected_synthetic_index(index, n_built)
    # the index keeps its dtype unless synthetic_i labels join integers
    same_dtype = m == len(X_res) or not (
        pd.api.types.is_integer_dtype(index.dtype) and isinstance(labels[0], str)
    )
    assert type(y_res) is type(target)
    pd.testing.assert_frame_equal(
        X_res.iloc[:m],
        frame.iloc[originals],
        check_exact=True,
        check_index_type=same_dtype,
    )
    assert X_res.index[:m].tolist() == index[originals].tolist()
    assert y_res.iloc[:m].equals(target.iloc[originals])
    assert X_res.index[m:].tolist() == [labels[i] for i in positions]
    for out in (X_res, y_res):
        assert out.index.names == index.names
        if same_dtype:
            assert out.index.dtype == index.dtype  # uint64 stays uint64, exactly
        # a row drawn twice (under-sampling with replacement) keeps its label
        assert out.index.is_unique == (len(set(originals)) == m)
    assert X_res.index.equals(y_res.index)


def test_pandas_sparse_keeps_index_and_sparse_dtypes(sampler, multiclass_data):
    X, y = multiclass_data
    index = INDEXES["str"](len(y))
    frame = pd.DataFrame.sparse.from_spmatrix(
        sparse.csr_matrix(sparsify(X)), columns=list("abcde"), index=index
    )
    X_res, _ = sampler.fit_resample(frame, pd.Series(y, index=index))
    assert all(isinstance(dt, pd.SparseDtype) for dt in X_res.dtypes)
    originals, _ = layout(sampler, len(y))
    m = len(originals)
    assert X_res.index[:m].equals(index[originals])
    assert X_res.index.name == index.name
    n_built, positions = synthetic_positions(sampler, len(y))
    labels = expected_synthetic_index(index, n_built)
    assert X_res.index[m:].tolist() == [labels[i] for i in positions]


def test_partly_sparse_frame_keeps_each_column_dtype(sampler, multiclass_data):
    X, y = multiclass_data
    X = sparsify(X)
    frame = pd.DataFrame(X, columns=list("abcde"))
    frame["a"] = frame["a"].astype(pd.SparseDtype(np.float64, 0.0))
    frame["b"] = frame["b"].astype(pd.SparseDtype(np.float64, np.nan))
    reference, _, _ = fit_resample_copy(sampler, X, y)

    X_res, _ = sampler.fit_resample(frame, y)

    assert X_res.dtypes.tolist() == frame.dtypes.tolist()
    dense = np.column_stack([np.asarray(X_res[c], dtype=np.float64) for c in X_res])
    assert_array_equal(dense, reference)


def test_sparse_frame_of_mixed_dtypes_keeps_each_one(sampler, multiclass_data):
    # one CSR matrix of one dtype carries the work; each column comes back in
    # its own dtype (integers rounded) and the original rows as they were
    X, y = multiclass_data
    X = sparsify(X)
    frame = pd.DataFrame(
        {
            "f64": pd.arrays.SparseArray(X[:, 0], fill_value=0.0),
            "f32": pd.arrays.SparseArray(X[:, 1].astype(np.float32), fill_value=0),
            "i64": pd.arrays.SparseArray(np.round(X[:, 2] * 100).astype(np.int64)),
            "i8": pd.arrays.SparseArray(np.round(X[:, 3] * 10).astype(np.int8)),
        }
    )

    X_res, _ = sampler.fit_resample(frame, y)

    assert X_res.dtypes.tolist() == frame.dtypes.tolist()
    originals, synthetic = layout(sampler, len(y))
    m = len(originals)
    pd.testing.assert_frame_equal(
        X_res.iloc[:m], frame.iloc[originals], check_exact=True
    )
    if synthetic is not None:
        exact = rebuild(frame.sparse.to_dense().to_numpy(np.float64), synthetic)
        for j, (name, dtype) in enumerate(frame.dtypes.items()):
            got = X_res[name].iloc[m:].sparse.to_dense().to_numpy()
            expected = expected_column(exact[:, j], np.dtype(dtype.subtype))
            assert_array_equal(got, expected, err_msg=name)


def test_sparse_frame_filled_with_nan_is_read_dense(sampler, multiclass_data):
    # pandas fills a float SparseArray with NaN by default; no CSR matrix holds
    # that, so the frame is worked on dense and keeps its dtypes
    X, y = multiclass_data
    frame = pd.DataFrame(
        {c: pd.arrays.SparseArray(X[:, j]) for j, c in enumerate("abcde")}
    )
    reference, _, _ = fit_resample_copy(sampler, X, y)

    X_res, _ = sampler.fit_resample(frame, y)

    assert X_res.dtypes.tolist() == frame.dtypes.tolist()
    assert_array_equal(X_res.sparse.to_dense().to_numpy(np.float64), reference)


# ------------------------------------------------------------------- dtypes


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_float_dtype_preserved_and_rows_rebuilt_exactly(
    sampler, multiclass_data, dtype
):
    # float32 and float64 are interpolated in their own precision, float16 in
    # float64 and then cast
    X, y = multiclass_data
    X = X.astype(dtype)
    X_res, _ = sampler.fit_resample(X, y)
    assert X_res.dtype == dtype
    originals, synthetic = layout(sampler, len(y))
    m = len(originals)
    assert_array_equal(X_res[:m], X[originals])
    if synthetic is None:
        assert len(X_res) == m
    else:
        assert_array_equal(X_res[m:], rebuild(X, synthetic).astype(dtype))


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.int16])
def test_int_dtype_preserved_and_values_rounded(sampler, multiclass_data, dtype):
    X, y = multiclass_data
    X = np.round(X * 100).astype(dtype)
    X_res, _ = sampler.fit_resample(X, y)
    assert X_res.dtype == dtype
    originals, synthetic = layout(sampler, len(y))
    m = len(originals)
    if synthetic is not None:
        exact = rebuild(X, synthetic)
        assert_array_equal(X_res[m:], np.rint(exact).astype(dtype))
    assert_array_equal(X_res[:m], X[originals])


@pytest.mark.parametrize("container", ["numpy", "csr", "pandas", "pandas-nullable"])
def test_unsigned_values_stay_within_the_dtype_range(
    sampler, multiclass_data, container
):
    X, y = multiclass_data
    X = np.where(X > 0, 250, 0).astype(np.uint8)  # both ends of the range
    X_in = sparse.csr_matrix(X) if container == "csr" else X
    if container.startswith("pandas"):
        X_in = pd.DataFrame(X, columns=list("abcde"))
        if container == "pandas-nullable":
            X_in = X_in.astype("UInt8")

    X_res, _ = sampler.fit_resample(X_in, y)

    originals, synthetic = layout(sampler, len(y))
    values = to_dense(X_res).astype(np.float64)
    assert_array_equal(values[: len(originals)], X[originals])
    if synthetic is not None:
        exact = np.rint(rebuild(X, synthetic))
        assert_array_equal(values[len(originals) :], np.clip(exact, 0, 255))


def mixed_frame(X):
    return pd.DataFrame(
        {
            "f64": X[:, 0],
            "f32": X[:, 1].astype(np.float32),
            "i64": np.round(X[:, 2] * 100).astype(np.int64),
            "i32": np.round(X[:, 3] * 10).astype(np.int32),
            "nullable": pd.array(np.round(X[:, 4] * 50).astype(np.int64), "Int64"),
            "flag": X[:, 0] > 0,
        }
    )


def expected_column(values, dtype):
    """A synthetic column as smotekit casts it: ints rounded, bools in [0, 1]."""
    if pd.api.types.is_bool_dtype(dtype):
        return np.rint(np.clip(values, 0, 1)).astype(bool)
    if pd.api.types.is_integer_dtype(dtype):
        return np.rint(values).astype(np.int64)
    return values.astype(dtype)


def test_pandas_mixed_dtypes_kept_ints_rounded(sampler, multiclass_data):
    X, y = multiclass_data
    frame = mixed_frame(X)
    target = pd.Series(y, name="label")
    X_res, y_res = sampler.fit_resample(frame, target)

    assert X_res.columns.tolist() == frame.columns.tolist()
    assert X_res.dtypes.to_dict() == frame.dtypes.to_dict()
    assert y_res.name == "label"
    originals, synthetic = layout(sampler, len(y))
    m = len(originals)
    pd.testing.assert_frame_equal(
        X_res.iloc[:m], frame.iloc[originals], check_exact=True
    )
    if synthetic is not None:
        exact = rebuild(frame.to_numpy(dtype=np.float64), synthetic)
        for j, (name, dtype) in enumerate(frame.dtypes.items()):
            got = X_res[name].iloc[m:].to_numpy()
            expected = expected_column(exact[:, j], dtype)
            assert_array_equal(got.astype(expected.dtype), expected, err_msg=name)
    assert not X_res["nullable"].isna().any()


def test_polars_in_polars_out_same_rows_as_pandas(sampler, multiclass_data):
    pl = pytest.importorskip("polars")
    pytest.importorskip("pyarrow")
    X, y = multiclass_data
    frame = pl.from_pandas(mixed_frame(X).drop(columns=["nullable", "flag"]))
    labels = pl.Series("label", np.array(["a", "b", "c"])[y])
    twin = clone(sampler)

    X_res, y_res = sampler.fit_resample(frame, labels)
    X_pd, y_pd = twin.fit_resample(frame.to_pandas(), labels.to_pandas())

    assert isinstance(X_res, pl.DataFrame) and isinstance(y_res, pl.Series)
    assert X_res.schema == frame.schema
    assert (y_res.name, y_res.dtype) == ("label", labels.dtype)
    pd.testing.assert_frame_equal(X_res.to_pandas(), X_pd.reset_index(drop=True))
    assert y_res.to_list() == y_pd.to_list()
    assert list(sampler.feature_names_in_) == frame.columns
    originals, _ = layout(sampler, len(y))
    assert X_res.head(len(originals)).equals(frame[originals.tolist()])


def test_strings_and_nan_are_copied_when_the_tags_allow(
    sampler, multiclass_data, request
):
    tags = get_tags(sampler).input_tags
    if not (tags.string and tags.allow_nan):
        pytest.skip(f"{type(sampler).__name__} needs finite numeric X")
    X, y = multiclass_data
    frame = pd.DataFrame(
        {
            "amount": np.where(X[:, 0] > 1, np.nan, X[:, 0]),
            "fruit": pd.Categorical(NAMES[(y + (X[:, 1] > 0)) % 3]),
            "note": np.array(["a", "b", "c"], dtype=object)[(X[:, 2] > 0) + 0],
            "when": pd.Timestamp("2024-01-01")
            + pd.to_timedelta(np.arange(len(y)), "D"),
        }
    )
    X_res, _ = sampler.fit_resample(frame, y)

    originals, synthetic = layout(sampler, len(y))
    m = len(originals)
    assert X_res.dtypes.tolist() == frame.dtypes.tolist()
    pd.testing.assert_frame_equal(
        X_res.iloc[:m], frame.iloc[originals], check_exact=True
    )
    if synthetic is None:  # an under-sampler selects rows: NaN rows included
        assert len(X_res) == m
        assert X_res["amount"].isna().any()
        return
    p = synthetic
    copied = {}
    if p.copied_from is not None:  # SMOTEN copies each value from a voter row
        copied = dict(zip(p.copied_columns.tolist(), p.copied_from.T, strict=True))
    if len(copied) < frame.shape[1]:
        assert_array_equal(p.parent, p.neighbor)  # nothing to interpolate: copies
    for j, name in enumerate(frame.columns):
        copies = frame[name].iloc[copied.get(j, p.parent)]
        pd.testing.assert_series_equal(
            X_res[name].iloc[m:], copies.set_axis(X_res.index[m:]), check_exact=True
        )
    assert X_res["amount"].isna().sum() > frame["amount"].isna().sum()


# ----------------------------------------------------------------- y types

NAMES = np.array(["apple", "banana", "cherry"])


def y_forms():
    """``(id, data kind, encode)``: encode maps int labels to ``(y, labels)``.

    ``labels[i]`` is the label that stands for class ``i``; the encodings keep
    the class order, so the resampled X must equal the int-label result.
    """
    return [
        ("int32", "multiclass", lambda y: (y.astype(np.int32), [0, 1, 2])),
        ("uint8", "multiclass", lambda y: (y.astype(np.uint8), [0, 1, 2])),
        ("str", "multiclass", lambda y: (NAMES[y], list(NAMES))),
        ("object-str", "multiclass", lambda y: (NAMES[y].astype(object), list(NAMES))),
        ("list-str", "multiclass", lambda y: (NAMES[y].tolist(), list(NAMES))),
        ("column", "multiclass", lambda y: (y.reshape(-1, 1), [0, 1, 2])),
        ("bool", "binary", lambda y: (y.astype(bool), [False, True])),
        (
            "series-int",
            "multiclass",
            lambda y: (pd.Series(y, name="target"), [0, 1, 2]),
        ),
        (
            "series-str",
            "multiclass",
            lambda y: (pd.Series(NAMES[y], name="fruit"), list(NAMES)),
        ),
        (
            "series-category",
            "multiclass",
            lambda y: (
                pd.Series(pd.Categorical(NAMES[y], categories=NAMES), name="fruit"),
                list(NAMES),
            ),
        ),
        (
            "series-string-dtype",
            "multiclass",
            lambda y: (pd.Series(NAMES[y], dtype="string", name="s"), list(NAMES)),
        ),
        (
            "series-Int64",
            "multiclass",
            lambda y: (pd.Series(y, dtype="Int64", name="n"), [0, 1, 2]),
        ),
        (
            "series-bool",
            "binary",
            lambda y: (pd.Series(y.astype(bool), name="b"), [False, True]),
        ),
        (
            "frame-one-column",
            "multiclass",
            lambda y: (pd.DataFrame({"target": NAMES[y]}), list(NAMES)),
        ),
    ]


@pytest.mark.parametrize(
    ("kind", "encode"), [pytest.param(k, e, id=i) for i, k, e in y_forms()]
)
def test_label_types_kept_and_resampling_unchanged(sampler, make_data, kind, encode):
    X, y = make_data(kind)
    X_ref, y_ref, _ = fit_resample_copy(sampler, X, y)
    y_in, labels = encode(y)
    y_before = copy.deepcopy(y_in)

    X_res, y_res = sampler.fit_resample(X, y_in)

    assert_array_equal(X_res, X_ref)
    assert type(y_res) is type(y_in)
    if isinstance(y_in, pd.DataFrame):
        assert y_res.columns.tolist() == y_in.columns.tolist()
        assert y_res.dtypes.tolist() == y_in.dtypes.tolist()
    elif isinstance(y_in, (pd.Series, np.ndarray)):
        assert y_res.dtype == y_in.dtype
        assert y_res.shape[1:] == y_in.shape[1:]
    if isinstance(y_in, pd.Series):
        assert y_res.name == y_in.name
    flat = np.asarray(y_res).ravel().tolist()
    assert [labels.index(v) for v in flat] == y_ref.tolist()
    assert set(sampler.sampling_strategy_) <= set(labels)
    if isinstance(y_in, (pd.Series, pd.DataFrame)):
        assert y_in.equals(y_before)
    else:  # the labels given are not modified
        assert_array_equal(np.asarray(y_in), np.asarray(y_before))


@pytest.mark.parametrize("kind", ["binary", "multiclass"])
def test_one_hot_y_gives_the_same_X_as_int_y(sampler, make_data, kind):
    X, y = make_data(kind)
    X_ref, y_ref, _ = fit_resample_copy(sampler, X, y)
    n_classes = len(np.unique(y))
    y_onehot = label_binarize(y, classes=np.arange(n_classes))
    if n_classes == 2:  # label_binarize gives one column for two classes
        y_onehot = np.eye(2, dtype=y_onehot.dtype)[y]

    X_res, y_res = sampler.fit_resample(X, y_onehot)

    assert_array_equal(X_res, X_ref)
    assert y_res.shape == (len(y_ref), n_classes)
    assert y_res.dtype == y_onehot.dtype
    assert (y_res.sum(axis=1) == 1).all()
    assert_array_equal(y_res.argmax(axis=1), y_ref)


def test_one_hot_list_y_comes_back_as_a_list(sampler, multiclass_data):
    X, y = multiclass_data
    target = label_binarize(y, classes=[0, 1, 2]).tolist()
    _, y_ref, _ = fit_resample_copy(sampler, X, y)

    _, y_res = sampler.fit_resample(X, target)

    assert type(y_res) is list and all(type(row) is list for row in y_res)
    assert y_res == np.eye(3, dtype=int)[y_ref].tolist()
    assert all(type(v) is int for row in y_res for v in row)


def test_one_hot_frame_y_comes_back_as_a_frame(sampler, multiclass_data):
    X, y = multiclass_data
    index = pd.RangeIndex(len(y)) * 3 + 7
    target = pd.DataFrame(
        label_binarize(y, classes=[0, 1, 2]).astype(np.int8),
        columns=["cat", "dog", "owl"],
        index=index,
    )
    _, y_ref, _ = fit_resample_copy(sampler, X, y)

    _, y_res = sampler.fit_resample(X, target)

    assert isinstance(y_res, pd.DataFrame)
    assert y_res.dtypes.to_dict() == target.dtypes.to_dict()
    assert_array_equal(y_res.to_numpy().argmax(axis=1), y_ref)
    originals, _ = layout(sampler, len(y))
    m = len(originals)
    pd.testing.assert_frame_equal(y_res.iloc[:m], target.iloc[originals])
    n_built, positions = synthetic_positions(sampler, len(y))
    labels = expected_synthetic_index(index, n_built)
    assert y_res.index[m:].tolist() == [labels[i] for i in positions]


# ------------------------------------------------------------- determinism


def test_same_int_seed_gives_byte_identical_output(sampler, multiclass_data):
    X, y = multiclass_data
    X1, y1, s1 = fit_resample_copy(sampler, X, y)
    X2, y2 = sampler.fit_resample(X, y)
    X3, y3 = sampler.fit_resample(X, y)  # same instance, called again
    assert X1.tobytes() == X2.tobytes() == X3.tobytes()
    assert y1.tobytes() == y2.tobytes() == y3.tobytes()
    first, last = description(s1), description(sampler)
    assert first.keys() == last.keys()
    for name, array in first.items():
        assert array.tobytes() == last[name].tobytes(), name


def test_different_seeds_give_different_output(random_sampler, multiclass_data):
    sampler = random_sampler
    X, y = multiclass_data
    if kind_of(sampler) == "under":  # it draws which rows to keep
        X0, _, s0 = fit_resample_copy(sampler.set_params(random_state=0), X, y)
        X1, _, s1 = fit_resample_copy(sampler.set_params(random_state=1), X, y)
        assert not np.array_equal(s0.sample_indices_, s1.sample_indices_)
        assert not np.array_equal(X0, X1)
        return
    X0, _, s0 = fit_resample_copy(sampler.set_params(random_state=0), X, y)
    X1, _, s1 = fit_resample_copy(sampler.set_params(random_state=1), X, y)
    # (parent, neighbour) pairs, not parents alone: ADASYN's parents are fixed
    # by the data (how many samples each seed grows), only the draws differ
    pairs0 = np.column_stack([s0.provenance_.parent, s0.provenance_.neighbor])
    pairs1 = np.column_stack([s1.provenance_.parent, s1.provenance_.neighbor])
    assert not np.array_equal(pairs0, pairs1)
    assert not np.array_equal(X0, X1)


def test_cleaning_is_deterministic_and_takes_no_random_state(
    cleaning_sampler, multiclass_data
):
    X, y = multiclass_data
    assert "random_state" not in cleaning_sampler.get_params()
    X0, _, s0 = fit_resample_copy(cleaning_sampler, X, y)
    X1, _, s1 = fit_resample_copy(cleaning_sampler, X, y)
    assert X0.tobytes() == X1.tobytes()
    assert_array_equal(s0.sample_indices_, s1.sample_indices_)


def test_random_state_instance_advances_between_calls(random_sampler, multiclass_data):
    sampler = random_sampler
    X, y = multiclass_data
    sampler.set_params(random_state=np.random.RandomState(3))
    first, _ = sampler.fit_resample(X, y)
    second, _ = sampler.fit_resample(X, y)
    assert not np.array_equal(first, second)
    again = clone(sampler).set_params(random_state=np.random.RandomState(3))
    assert_array_equal(again.fit_resample(X, y)[0], first)


def test_result_independent_of_n_jobs(sampler, multiclass_data):
    if not has_param(sampler, "n_jobs"):
        pytest.skip(f"{type(sampler).__name__} has no n_jobs parameter")
    X, y = multiclass_data
    results = [
        fit_resample_copy(sampler.set_params(n_jobs=n_jobs), X, y)[0]
        for n_jobs in (None, 1, 2, -1)
    ]
    for other in results[1:]:
        assert other.tobytes() == results[0].tobytes()


@pytest.mark.parametrize("layout", ["fortran", "strided", "csc"])
def test_result_independent_of_memory_layout(sampler, multiclass_data, layout):
    X, y = multiclass_data
    reference, _, _ = fit_resample_copy(sampler, X, y)
    if layout == "fortran":
        X_in = np.asfortranarray(X)
    elif layout == "strided":
        X_in = np.repeat(X, 2, axis=1)[:, ::2]
    else:
        X_in = sparse.csc_matrix(X)
    X_res, _ = sampler.fit_resample(X_in, y)
    assert to_dense(X_res).tobytes() == reference.tobytes()


@pytest.mark.parametrize("block_rows", [1, 7, 64])
def test_result_independent_of_generation_block_size(
    sampler, multiclass_data, monkeypatch, block_rows
):
    X, y = multiclass_data
    reference, _, _ = fit_resample_copy(sampler, X, y)
    monkeypatch.setattr(_blocks, "BLOCK_ROWS", block_rows)
    variant_module = inspect.getmodule(type(sampler))
    if hasattr(variant_module, "BLOCK_ROWS"):
        monkeypatch.setattr(variant_module, "BLOCK_ROWS", block_rows)
    X_res, _ = sampler.fit_resample(X, y)
    assert X_res.tobytes() == reference.tobytes()


@pytest.mark.parametrize(
    "neighbors",
    [
        ExactNeighbors(n_neighbors=6, algorithm="brute", block_size=5),
        ExactNeighbors(n_neighbors=6, algorithm="brute", block_size=1000),
        ExactNeighbors(n_neighbors=6, algorithm="kd_tree"),
    ],
    ids=["brute-block-5", "brute-block-1000", "kd-tree"],
)
def test_result_independent_of_neighbor_search_blocks(
    sampler, multiclass_data, neighbors
):
    # every neighbour parameter (int k) is swapped for an engine with k + 1
    ints = {"k_neighbors": 5, "n_neighbors": 5, "m_neighbors": 10}
    ints = {name: k for name, k in ints.items() if has_param(sampler, name)}
    if not ints:
        pytest.skip(f"{type(sampler).__name__} has no neighbour parameter")
    X, y = multiclass_data
    reference, _, _ = fit_resample_copy(sampler.set_params(**ints), X, y)
    engines = {
        name: clone(neighbors).set_params(n_neighbors=k + 1) for name, k in ints.items()
    }
    X_res, _ = sampler.set_params(**engines).fit_resample(X, y)
    assert X_res.tobytes() == reference.tobytes()


# -------------------------------------------------------------- provenance


@pytest.mark.parametrize("kind", ["binary", "multiclass"])
def test_provenance_rebuilds_every_synthetic_row(over_sampler, make_data, kind):
    sampler = over_sampler
    X, y = make_data(kind)
    X_res, y_res = sampler.fit_resample(X, y)
    p = sampler.provenance_
    n, n_new = len(y), sum(sampler.sampling_strategy_.values())

    assert isinstance(p, Provenance)
    assert len(p) == len(p.parent) == len(p.neighbor) == len(p.gap) == n_new
    assert X_res.shape[0] == n + n_new
    assert ((p.parent >= 0) & (p.parent < n)).all()
    assert ((p.neighbor >= 0) & (p.neighbor < n)).all()
    assert ((p.gap >= smallest_gap(sampler)) & (p.gap < 1)).all()
    # both parents belong to the class of the synthetic row, except where the
    # sampler's documented rule lets the neighbour be of another class
    assert_array_equal(y[p.parent], y_res[n:])
    other = y[p.neighbor] != y_res[n:]
    max_gap = other_class_max_gap(sampler)
    if max_gap is None:
        assert not other.any()
    else:
        assert (p.gap[other] < max_gap).all()
    # a sampler copies rows (neighbor == parent, gap 0) or interpolates
    # towards another sample: a sample is never its own neighbour
    copies = p.parent == p.neighbor
    assert copies.all() or not copies.any()
    assert (p.gap[copies] == 0).all()
    if p.noise is not None:
        assert p.noise.shape == (n_new, X.shape[1])
    assert_array_equal(X_res[n:], rebuild(X, p))
    frame = p.to_frame()
    assert frame.columns.tolist() == ["parent", "neighbor", "gap"]
    assert len(frame) == n_new


PROVENANCE_FIELDS = ("parent", "neighbor", "gap", "noise", "copied_columns",
                     "copied_from")  # fmt: skip


def test_provenance_read_later_is_the_one_the_rows_came_from(over_sampler, monkeypatch):
    # 4000 rows, classes of about 240 and 160 raised to 3600: the provenance
    # is drawn again when read (kept tables far smaller than the provenance)
    X, y = make_classification(
        n_samples=4000, n_features=5, n_informative=3, n_redundant=1,
        n_classes=3, weights=[0.9, 0.06], random_state=1,
    )  # fmt: skip
    with monkeypatch.context() as m:
        m.setattr(Provenance, "released", lambda self: self)  # held throughout
        held_sampler = clone(over_sampler)
        X_held, _ = held_sampler.fit_resample(X, y)
    X_res, _ = over_sampler.fit_resample(X, y)
    assert X_res.tobytes() == X_held.tobytes()
    held = held_sampler.provenance_
    lazy = over_sampler.provenance_
    if type(over_sampler).__name__ in ("SMOTE", "RandomOverSampler"):
        assert "parent" not in vars(lazy)  # nothing held until read
    assert len(lazy) == len(held)
    pickled = pickle.loads(pickle.dumps(over_sampler)).provenance_
    copied = copy.deepcopy(over_sampler).provenance_

    # the first reads, from several threads at once, in both orders (an
    # optional field read first must be drawn too)
    def read(p, order):
        return {name: getattr(p, name) for name in order}

    forward, backward = PROVENANCE_FIELDS, PROVENANCE_FIELDS[::-1]
    with ThreadPoolExecutor(4) as pool:
        reads = list(pool.map(read, [lazy, lazy, pickled, copied],
                              [forward, forward, backward, backward]))  # fmt: skip
    for fields in reads:
        for name, got in fields.items():
            want = getattr(held, name)
            if want is None:
                assert got is None, name
            else:
                assert got is not None, name
                assert got.dtype == want.dtype, name
                assert got.tobytes() == want.tobytes(), name
    assert_array_equal(X_res[len(y) :], rebuild(X, lazy))


@pytest.mark.parametrize("kind", ["binary", "multiclass"])
def test_under_samplers_return_original_rows_only(
    under_or_cleaning_sampler, make_data, kind
):
    sampler = under_or_cleaning_sampler
    X, y = make_data(kind)
    X_res, y_res = sampler.fit_resample(X, y)
    kept = sampler.sample_indices_
    assert not hasattr(sampler, "provenance_")  # nothing is built
    assert kept.dtype == np.int64 and (np.diff(kept) >= 0).all()
    assert ((kept >= 0) & (kept < len(y))).all()
    assert X_res.tobytes() == X[kept].tobytes()
    assert_array_equal(y_res, y[kept])


@pytest.mark.parametrize("kind", ["binary", "multiclass"])
def test_combined_provenance_rebuilds_every_surviving_synthetic_row(
    combined_sampler, make_data, kind
):
    sampler = combined_sampler
    X, y = make_data(kind)
    X_res, y_res = sampler.fit_resample(X, y)
    originals, p = layout(sampler, len(y))
    m = len(originals)
    assert isinstance(p, Provenance)
    assert len(p) == len(y_res) - m
    assert_array_equal(X_res[m:], rebuild(X, p))
    assert_array_equal(y[p.parent], y_res[m:])
    _, positions = synthetic_positions(sampler, len(y))
    assert_array_equal(p.gap, sampler.smote_.provenance_.gap[positions])


def test_sample_indices_follow_the_tag(sampler, multiclass_data):
    X, y = multiclass_data
    X_res, _ = sampler.fit_resample(X, y)
    if not get_tags(sampler).sampler_tags.sample_indices:
        assert not hasattr(sampler, "sample_indices_")
        return
    n = len(y)
    kind = kind_of(sampler)
    if kind == "over":  # every input row, then the copies' sources
        assert_array_equal(sampler.sample_indices_[:n], np.arange(n))
        assert_array_equal(sampler.sample_indices_[n:], sampler.provenance_.parent)
    elif kind == "combine":  # the surviving originals, then -1 per synthetic row
        originals, _ = layout(sampler, n)
        assert len(sampler.sample_indices_) == len(X_res)
        assert_array_equal(X_res[: len(originals)], X[originals])
        assert_array_equal(sampler.sample_indices_[len(originals) :], -1)
    else:  # the kept rows
        assert_array_equal(X_res, X[sampler.sample_indices_])


# ------------------------------------------------------ inputs not modified


@pytest.mark.parametrize("container", [*CONTAINERS, "pandas-mixed"])
def test_inputs_are_not_modified(sampler, multiclass_data, container):
    X, y = multiclass_data
    if container == "pandas-mixed":
        X_in, y_in = mixed_frame(X), pd.Series(NAMES[y], name="fruit")
    else:
        X_in, y_in = to_container(sparsify(X), y, container)
    X_before, y_before = copy.deepcopy(X_in), copy.deepcopy(y_in)

    X_res, _ = sampler.fit_resample(X_in, y_in)

    if isinstance(X_in, pd.DataFrame):
        pd.testing.assert_frame_equal(X_in, X_before, check_exact=True)
        pd.testing.assert_series_equal(y_in, y_before, check_exact=True)
    else:
        assert type(X_in) is type(X_before)
        assert to_dense(X_in).tobytes() == to_dense(X_before).tobytes()
        assert_array_equal(np.asarray(y_in), np.asarray(y_before))
    # writing into the output does not reach the input
    dense_in = to_dense(X_in).copy()
    if isinstance(X_res, np.ndarray):
        X_res[:] = 12345
        assert_array_equal(to_dense(X_in), dense_in)


def test_sparse_inputs_keep_their_stored_layout(sampler, multiclass_data):
    # columns stored in reverse order in each row, and an explicit zero:
    # estimators that sort indices in place (scikit-learn's SVC) must get a copy
    X, y = multiclass_data
    X_in = sparse.csr_matrix(sparsify(X))
    for i in range(X_in.shape[0]):
        part = slice(X_in.indptr[i], X_in.indptr[i + 1])
        X_in.indices[part] = X_in.indices[part][::-1]
        X_in.data[part] = X_in.data[part][::-1]
    X_in.data[0] = 0.0
    X_in.has_sorted_indices = False
    before = (X_in.indptr.copy(), X_in.indices.copy(), X_in.data.copy())

    sampler.fit_resample(X_in, y)

    for now, then in zip((X_in.indptr, X_in.indices, X_in.data), before, strict=True):
        assert now.dtype == then.dtype
        assert_array_equal(now, then)


# --------------------------------------------------------------------- API


#: ``sampling_strategy='auto'`` resolved on the multiclass data (181, 89 and
#: 30 samples) and on the binary data (96 and 24), per kind: samples to add,
#: samples to keep, or the classes to clean (mapped to the minority count)
AUTO_TARGETS = {
    "over": ({1: 92, 2: 151}, {1: 72}),
    "combine": ({1: 92, 2: 151}, {1: 72}),
    "under": ({0: 30, 1: 30}, {0: 24}),
    "clean": ({0: 30, 1: 30}, {0: 24}),
}


def test_fit_resolves_the_strategy_and_returns_self(sampler, multiclass_data):
    X, y = multiclass_data
    assert sampler.fit(X, y) is sampler
    assert dict(sampler.sampling_strategy_) == AUTO_TARGETS[kind_of(sampler)][0]
    assert sampler.n_features_in_ == X.shape[1]
    assert not hasattr(sampler, "provenance_")  # fit does not resample
    assert not hasattr(sampler, "sample_indices_")
    resampled = clone(sampler)
    resampled.fit_resample(X, y)
    assert resampled.sampling_strategy_ == sampler.sampling_strategy_


def test_refitting_forgets_the_previous_call(sampler, multiclass_data, binary_data):
    X, y = multiclass_data
    sampler.fit_resample(pd.DataFrame(X, columns=list("abcde")), y)
    if kind_of(sampler) == "over":
        assert len(sampler.provenance_) == 243
    output = output_attribute(sampler)
    assert hasattr(sampler, output)

    X_bin, y_bin = binary_data
    sampler.fit(X_bin, y_bin)

    assert dict(sampler.sampling_strategy_) == AUTO_TARGETS[kind_of(sampler)][1]
    assert sampler.n_features_in_ == 4
    assert not hasattr(sampler, "feature_names_in_")
    assert not hasattr(sampler, output)  # it described the other data


def test_params_round_trip_through_get_set_and_clone(sampler):
    params = sampler.get_params()
    assert clone(sampler).get_params() == params
    assert type(sampler)(**params).get_params() == params
    # cleaning samplers have no random_state (they draw nothing)
    name = "random_state" if has_param(sampler, "random_state") else "n_jobs"
    assert sampler.set_params(**{name: 7}) is sampler
    assert sampler.get_params()[name] == 7
    assert sampler.get_params()["sampling_strategy"] == params["sampling_strategy"]
    assert repr(clone(sampler)) == repr(sampler)


#: Parameters that imbalanced-learn takes positionally (kept for drop-in use).
POSITIONAL_IN_IMBLEARN = {"SMOTEN": "categorical_encoder"}


def test_constructor_is_keyword_only_and_stores_defaults(sampler):
    signature = inspect.signature(type(sampler).__init__)
    parameters = [p for name, p in signature.parameters.items() if name != "self"]
    positional = POSITIONAL_IN_IMBLEARN.get(type(sampler).__name__)
    if positional is not None:
        assert parameters[0].name == positional
        assert parameters[0].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
        parameters = parameters[1:]
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters)
    parameters = [p for name, p in signature.parameters.items() if name != "self"]
    defaults = type(sampler)().get_params()
    assert defaults == {p.name: p.default for p in parameters}
    assert defaults["sampling_strategy"] == "auto"
    if kind_of(sampler) == "clean":  # deterministic: nothing to seed
        assert "random_state" not in defaults
    else:
        assert defaults["random_state"] is None


def test_clone_of_a_fitted_sampler_is_unfitted(sampler, multiclass_data):
    sampler.fit_resample(*multiclass_data)
    fresh = clone(sampler)
    assert not [name for name in vars(fresh) if name.endswith("_")]
    fitted_attrs = [n for n in vars(sampler) if n.endswith("_") and n[0] != "_"]
    expected = {"sampling_strategy_", output_attribute(sampler), "n_features_in_"}
    assert expected <= set(fitted_attrs)


def test_get_feature_names_out(sampler, multiclass_data):
    X, y = multiclass_data
    sampler.fit_resample(X, y)
    assert not hasattr(sampler, "feature_names_in_")
    names = sampler.get_feature_names_out()
    assert names.dtype == object
    assert names.tolist() == [f"x{j}" for j in range(X.shape[1])]
    assert sampler.get_feature_names_out(list("vwxyz")).tolist() == list("vwxyz")
    with pytest.raises(ValueError, match="input_features should have length"):
        sampler.get_feature_names_out(["a"])

    columns = ["age", "income", "debt", "score", "tenure"]
    sampler.fit_resample(pd.DataFrame(X, columns=columns), y)
    assert sampler.feature_names_in_.tolist() == columns
    assert sampler.get_feature_names_out().tolist() == columns
    with pytest.raises(ValueError, match="input_features is not equal"):
        sampler.get_feature_names_out(list("vwxyz"))

    # non-string column labels are not feature names
    sampler.fit_resample(pd.DataFrame(X), y)
    assert not hasattr(sampler, "feature_names_in_")
    assert sampler.get_feature_names_out().tolist() == [f"x{j}" for j in range(5)]


def test_pickled_fitted_sampler_keeps_state_and_results(sampler, multiclass_data):
    X, y = multiclass_data
    X_res, _ = sampler.fit_resample(X, y)
    restored = pickle.loads(pickle.dumps(sampler))

    assert restored.get_params().keys() == sampler.get_params().keys()
    assert repr(restored) == repr(sampler)
    assert restored.sampling_strategy_ == sampler.sampling_strategy_
    arrays = description(sampler)
    for name, array in description(restored).items():
        assert_array_equal(array, arrays[name], err_msg=name)
    assert restored.fit_resample(X, y)[0].tobytes() == X_res.tobytes()
