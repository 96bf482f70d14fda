"""The opt-in approximate neighbour mode: recall, determinism, interface."""

import pickle

import numpy as np
import pytest

faiss = pytest.importorskip("faiss")

from smotekit import SMOTE, ApproximateNeighbors, ExactNeighbors  # noqa: E402


@pytest.fixture
def clustered():
    rng = np.random.RandomState(0)
    centers = rng.standard_normal((20, 6)) * 10
    X = centers[rng.randint(0, 20, 6000)] + rng.standard_normal((6000, 6))
    return X


def _recall(found, truth):
    hits = sum(
        len(set(a) & set(b))
        for a, b in zip(found.tolist(), truth.tolist(), strict=True)
    )
    return hits / truth.size


def test_recall_is_high_on_structured_data(clustered):
    truth = (
        ExactNeighbors(n_neighbors=5).fit(clustered).kneighbors(return_distance=False)
    )
    approx = ApproximateNeighbors(n_neighbors=5).fit(clustered)
    found = approx.kneighbors(return_distance=False)
    assert found.shape == truth.shape
    assert not (found == np.arange(len(clustered))[:, None]).any()
    assert _recall(found, truth) > 0.95
    assert approx.n_probe_ < approx.n_lists_  # it really is approximate


def test_probing_every_cell_is_exact(clustered):
    truth = (
        ExactNeighbors(n_neighbors=4).fit(clustered).kneighbors(return_distance=False)
    )
    full = ApproximateNeighbors(n_neighbors=4, n_lists=16, n_probe=16).fit(clustered)
    assert _recall(full.kneighbors(return_distance=False), truth) == 1.0


def test_threads_do_not_change_the_answer(clustered):
    one = ApproximateNeighbors(n_neighbors=5, n_jobs=1).fit(clustered).kneighbors()
    two = ApproximateNeighbors(n_neighbors=5, n_jobs=2).fit(clustered).kneighbors()
    np.testing.assert_array_equal(one[1], two[1])


def test_external_queries_and_missing_cells_filled(clustered):
    # many cells, one probe: some queries see fewer than k points in their cell
    nn = ApproximateNeighbors(n_neighbors=50, n_lists=150, n_probe=1).fit(clustered)
    ind = nn.kneighbors(clustered[:100], return_distance=False)
    assert ind.shape == (100, 50) and (ind >= 0).all()


def test_smote_with_approximate_neighbours_keeps_exact_counts_and_provenance(
    clustered,
):
    y = np.array([0] * 4500 + [1] * 1500)
    smote = SMOTE(k_neighbors=ApproximateNeighbors(n_neighbors=6), random_state=0)
    X_res, y_res = smote.fit_resample(clustered, y)
    assert np.bincount(y_res).tolist() == [4500, 4500]
    p = smote.provenance_
    rebuilt = clustered[p.parent] + p.gap[:, None] * (
        clustered[p.neighbor] - clustered[p.parent]
    )
    np.testing.assert_array_equal(X_res[6000:], rebuilt)
    assert (y[p.parent] == 1).all() and (y[p.neighbor] == 1).all()
    again = SMOTE(k_neighbors=ApproximateNeighbors(n_neighbors=6), random_state=0)
    np.testing.assert_array_equal(again.fit_resample(clustered, y)[0], X_res)


def test_pickle_round_trip(clustered):
    nn = ApproximateNeighbors(n_neighbors=3).fit(clustered)
    loaded = pickle.loads(pickle.dumps(nn))
    np.testing.assert_array_equal(
        loaded.kneighbors(return_distance=False), nn.kneighbors(return_distance=False)
    )


def test_too_many_neighbours_is_a_clear_error():
    nn = ApproximateNeighbors(n_neighbors=9).fit(np.zeros((5, 2)))
    with pytest.raises(ValueError, match="cannot return 9 neighbours: only 4"):
        nn.kneighbors()
