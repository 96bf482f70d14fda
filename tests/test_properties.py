"""Hypothesis property tests of the invariants users rely on."""

from collections import Counter
from unittest import mock

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from smotekit import SMOTE, RandomOverSampler, _blocks
from smotekit._neighbors import ExactNeighbors

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def imbalanced_data(draw, min_class=6):
    """Integer-valued features (exact arithmetic) and 2-3 imbalanced classes."""
    n_classes = draw(st.integers(2, 3))
    sizes = [draw(st.integers(min_class, 25)) for _ in range(n_classes)]
    sizes[0] += draw(st.integers(1, 40))  # a strict majority
    n_features = draw(st.integers(1, 5))
    n = sum(sizes)
    X = draw(
        arrays(np.float64, (n, n_features), elements=st.integers(-50, 50).map(float))
    )
    y = np.repeat(np.arange(n_classes), sizes)
    order = draw(st.permutations(range(n)))
    return X[list(order)], y[list(order)]


@SETTINGS
@given(data=imbalanced_data(), k=st.integers(1, 5), seed=st.integers(0, 2**31))
def test_smote_rows_lie_on_segments_to_a_true_neighbour(data, k, seed):
    X, y = data
    X_before, y_before = X.copy(), y.copy()
    sampler = SMOTE(k_neighbors=k, random_state=seed)
    X_res, y_res = sampler.fit_resample(X, y)
    n = len(X)
    prov = sampler.provenance_

    # exact counts: every class reaches the majority count
    counts = Counter(y_res.tolist())
    assert set(counts.values()) == {max(Counter(y.tolist()).values())}
    assert len(prov) == len(X_res) - n
    # originals first, unchanged, inputs untouched
    np.testing.assert_array_equal(X_res[:n], X_before)
    np.testing.assert_array_equal(y_res[:n], y_before)
    np.testing.assert_array_equal(X, X_before)

    synth, labels = X_res[n:], y_res[n:]
    # both parents belong to the synthetic row's class, and are different rows
    np.testing.assert_array_equal(y[prov.parent], labels)
    np.testing.assert_array_equal(y[prov.neighbor], labels)
    assert (prov.parent != prov.neighbor).all()
    assert ((prov.gap >= 0) & (prov.gap < 1)).all()
    # the row is exactly the interpolation its provenance describes
    a, b = X[prov.parent], X[prov.neighbor]
    np.testing.assert_array_equal(synth, a + prov.gap[:, None] * (b - a))
    # the neighbour is among the parent's k nearest same-class samples
    for cls in np.unique(labels):
        rows = np.flatnonzero(y == cls)
        d2 = ((X[rows][:, None] - X[rows][None]) ** 2).sum(-1)
        np.fill_diagonal(d2, np.inf)
        kth = np.sort(d2, axis=1)[:, k - 1]
        pos = {r: i for i, r in enumerate(rows)}
        for p, q in zip(
            prov.parent[labels == cls], prov.neighbor[labels == cls], strict=False
        ):
            assert d2[pos[p], pos[q]] <= kth[pos[p]]


@SETTINGS
@given(
    data=imbalanced_data(),
    extra=st.lists(st.integers(0, 60), min_size=3, max_size=3),
    seed=st.integers(0, 2**31),
)
def test_dict_targets_are_met_exactly(data, extra, seed):
    X, y = data
    before = Counter(y.tolist())
    target = {c: before[c] + extra[c] for c in before}
    for sampler in (SMOTE(random_state=seed), RandomOverSampler(random_state=seed)):
        sampler.set_params(sampling_strategy=target)
        _, y_res = sampler.fit_resample(X, y)
        assert dict(Counter(y_res.tolist())) == target


@SETTINGS
@given(data=imbalanced_data(), seed=st.integers(0, 2**31), block=st.integers(1, 50))
def test_output_does_not_depend_on_blocking(data, seed, block):
    X, y = data
    expected = SMOTE(random_state=seed, k_neighbors=3).fit_resample(X, y)[0]
    with mock.patch.object(_blocks, "BLOCK_ROWS", block):
        got = SMOTE(random_state=seed, k_neighbors=3, n_jobs=2).fit_resample(X, y)[0]
    np.testing.assert_array_equal(got, expected)


@SETTINGS
@given(data=imbalanced_data(min_class=1), seed=st.integers(0, 2**31))
def test_random_over_sampler_copies_rows_of_the_class(data, seed):
    X, y = data
    ros = RandomOverSampler(random_state=seed)
    X_res, y_res = ros.fit_resample(X, y)
    n = len(X)
    np.testing.assert_array_equal(X_res, X[ros.sample_indices_])
    np.testing.assert_array_equal(y_res, y[ros.sample_indices_])
    np.testing.assert_array_equal(ros.sample_indices_[:n], np.arange(n))


@SETTINGS
@given(
    X=arrays(np.float64, (30, 3), elements=st.floats(-1e6, 1e6, width=32)),
    k=st.integers(1, 8),
)
def test_engine_distances_match_exact_kth_distance(X, k):
    dist, ind = ExactNeighbors(n_neighbors=k, algorithm="brute").fit(X).kneighbors()
    d2 = ((X[:, None] - X[None]) ** 2).sum(-1)
    np.fill_diagonal(d2, np.inf)
    expected = np.sqrt(np.sort(d2, axis=1)[:, :k])
    np.testing.assert_allclose(dist, expected, rtol=1e-9, atol=1e-9)
    assert not (ind == np.arange(30)[:, None]).any()
