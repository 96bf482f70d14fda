"""Where SMOTE's time goes: neighbour search, pair drawing, interpolation.

For one data set, in one process, each stage of SMOTE is timed for both
libraries on identical inputs, alternating imbalanced-learn and smotekit on
every repetition:

``neighbours``
    imbalanced-learn: ``NearestNeighbors(n_neighbors=6).fit(Xmin)
    .kneighbors(Xmin)[:, 1:]`` (what its SMOTE does); smotekit:
    ``ExactNeighbors(n_neighbors=5).fit(Xmin).kneighbors()`` (self excluded).
``neighbours, SMOTE's call``
    smotekit as ``SMOTE.fit_resample`` calls it: the neighbours estimator
    that ``SMOTE(k_neighbors=5)`` builds, through the function its
    ``fit_resample`` calls for each class (``class_neighbor_table``), so
    this stage follows whatever that call does (imbalanced-learn's column
    repeats its ``neighbours`` time).
``draw pairs``
    imbalanced-learn: ``randint`` + ``uniform`` + divmod as in its
    ``_make_samples``; smotekit: counter-based ``draw_pairs`` per block.
``interpolate``
    imbalanced-learn's ``SMOTE()._generate_samples``; smotekit's
    ``interpolate_into`` into a preallocated output. Both get the same
    (sample, neighbour, gap) triples, drawn by imbalanced-learn's code.
``fit_resample``
    The whole call, in this process; ``other`` is what the stages above do
    not explain (validation, copying the input, stacking, labels): the call
    minus the library's own neighbour search (for smotekit, SMOTE's call),
    the drawing and the interpolation. It can come out slightly negative
    when the stages are noisier than the call.

All stages run in one process, so the BLAS and OpenMP thread pools of both
libraries live side by side and a pool left spinning by one call can slow the
next on a small machine; the subprocess grid of ``bench_smote.py`` is the
reference for whole-call timings.

It also compares the two neighbour tables: the share of rows whose neighbour
*sets* are identical, and the same share once rows that differ only by points
at the same distance (ties) are set aside. For an exact search the latter
must be 1.0; when it is not, the mismatching rows are split by which library
returned the truly closer set (distances recomputed in float64).
"""

import gc
import statistics
import time

import numpy as np

from _bench_data import load_cached
from _bench_registry import SAMPLERS

__all__ = ["neighbour_agreement", "run_breakdown"]

LIBRARIES = ("imblearn", "smotekit")
#: Relative tolerance under which two neighbour distances count as a tie.
TIE_RTOL = 1e-9
#: Rows used to warm each stage up before timing.
WARMUP_ROWS = 200


def neighbour_agreement(X, ind_a, ind_b):
    """Compare two self-free neighbour tables of ``X`` against itself.

    Parameters
    ----------
    X : ndarray of shape (n, d)
        The searched samples.
    ind_a, ind_b : ndarray of shape (n, k)
        Neighbour indices from two searches.

    Returns
    -------
    report : dict
        ``identical`` (share of rows with the same neighbour set),
        ``identical_ties_aside`` (rows that differ only by tied points count
        as agreeing), and counts of the other mismatching rows by which table
        holds the closer set (``a_closer``, ``b_closer``).
    """
    a, b = np.sort(ind_a, axis=1), np.sort(ind_b, axis=1)
    same = (a == b).all(axis=1)
    rows = np.flatnonzero(~same)
    ties = a_closer = b_closer = 0
    X64 = np.asarray(X, dtype=np.float64)
    for r in rows:
        da = np.sort(np.linalg.norm(X64[ind_a[r]] - X64[r], axis=1))
        db = np.sort(np.linalg.norm(X64[ind_b[r]] - X64[r], axis=1))
        if np.allclose(da, db, rtol=TIE_RTOL, atol=0.0):
            ties += 1
            continue
        first = np.flatnonzero(~np.isclose(da, db, rtol=TIE_RTOL, atol=0.0))[0]
        if da[first] < db[first]:
            a_closer += 1
        else:
            b_closer += 1
    n = len(ind_a)
    return {
        "rows": int(n),
        "identical": float(same.mean()) if n else 1.0,
        "identical_ties_aside": float((same.sum() + ties) / n) if n else 1.0,
        "mismatch_ties": int(ties),
        "a_closer": int(a_closer),
        "b_closer": int(b_closer),
    }


def _time_alternating(funcs, args, repeats):
    """Time ``funcs[lib](*args)`` ABAB...; return times and the last results."""
    times = {lib: [] for lib in funcs}
    results = {}
    for _ in range(repeats):
        for lib, fn in funcs.items():
            results.pop(lib, None)
            gc.collect()
            t0 = time.perf_counter()
            results[lib] = fn(*args)
            times[lib].append(time.perf_counter() - t0)
    return times, results


def _stage_functions():
    from imblearn.over_sampling import SMOTE as ImbSMOTE
    from sklearn.neighbors import NearestNeighbors
    from sklearn.utils import check_random_state

    import smotekit
    from smotekit._draws import draw_pairs
    from smotekit._generation import interpolate_into, work_dtype
    from smotekit._neighbors import ExactNeighbors, check_neighbors_object
    from smotekit._provenance import ProvenanceBuilder, draw_into
    from smotekit._random import make_root_entropy, stream_key
    from smotekit.over_sampling._smote import class_neighbor_table

    def imb_neighbours(Xm):
        nn = NearestNeighbors(n_neighbors=6).fit(Xm)
        return nn.kneighbors(Xm, return_distance=False)[:, 1:]

    def sk_neighbours(Xm):
        return ExactNeighbors(n_neighbors=5).fit(Xm).kneighbors(return_distance=False)

    def sk_neighbours_smote_call(Xm):
        nn = check_neighbors_object("k_neighbors", 5, None, sampler_name="SMOTE")
        return class_neighbor_table(nn, Xm, "SMOTE", "k_neighbors", 1)

    def imb_draw(table, n_new, dtype):
        rs = check_random_state(0)
        idx = rs.randint(low=0, high=table.size, size=n_new)
        steps = rs.uniform(size=n_new)[:, np.newaxis]
        return np.floor_divide(idx, table.shape[1]), np.mod(idx, table.shape[1]), steps

    def sk_draw(table, n_new, dtype):
        key = stream_key(make_root_entropy(0), 0, 1)
        rows = np.arange(table.shape[0])
        gap_dtype = work_dtype(dtype)
        out = ProvenanceBuilder(n_new, table.shape[0], gap_dtype)
        draw_into(out, draw_pairs, key, 0, n_new, table, rows, gap_dtype)
        return out.build()

    imb_smote = ImbSMOTE(random_state=0)

    def imb_interpolate(Xm, table, rows, cols, steps, neighbor, gap):
        return imb_smote._generate_samples(Xm, Xm, table, rows, cols, steps)

    def sk_interpolate(Xm, table, rows, cols, steps, neighbor, gap):
        out = np.empty((len(rows), Xm.shape[1]), dtype=Xm.dtype)
        interpolate_into(out, Xm, rows, neighbor, gap)
        return out

    def imb_fit_resample(X, y):
        return ImbSMOTE(random_state=0, k_neighbors=5).fit_resample(X, y)

    def sk_fit_resample(X, y):
        return smotekit.SMOTE(random_state=0, k_neighbors=5).fit_resample(X, y)

    return {
        "neighbours": {"imblearn": imb_neighbours, "smotekit": sk_neighbours},
        "neighbours, SMOTE's call": {"smotekit": sk_neighbours_smote_call},
        "draw pairs": {"imblearn": imb_draw, "smotekit": sk_draw},
        "interpolate": {"imblearn": imb_interpolate, "smotekit": sk_interpolate},
        "fit_resample": {"imblearn": imb_fit_resample, "smotekit": sk_fit_resample},
        "work_dtype": work_dtype,
    }


def _warm(funcs, args):
    for fn in funcs.values():
        fn(*args)


def run_breakdown(cell, cache_dir, repeats):
    """Time SMOTE's stages for ``cell``'s data set; return a result dict."""
    X, y = load_cached(cache_dir, cell, SAMPLERS["smote"].data)
    labels, counts = np.unique(y, return_counts=True)
    minority = labels[np.argmin(counts)]
    Xm = X[y == minority]
    n_new = int(counts.max() - counts.min())
    stages = _stage_functions()
    work_dtype = stages.pop("work_dtype")
    times = {}

    nn_funcs = stages["neighbours"]
    _warm(nn_funcs, (Xm[:WARMUP_ROWS],))
    times["neighbours"], tables = _time_alternating(nn_funcs, (Xm,), repeats)
    agreement = neighbour_agreement(Xm, tables["imblearn"], tables["smotekit"])
    table = tables["imblearn"]

    call_funcs = stages["neighbours, SMOTE's call"]
    _warm(call_funcs, (Xm[:WARMUP_ROWS],))
    sk_call, call_tables = _time_alternating(call_funcs, (Xm,), repeats)
    times["neighbours, SMOTE's call"] = {
        "imblearn": times["neighbours"]["imblearn"],
        **sk_call,
    }
    same_call = bool(
        (
            np.sort(call_tables["smotekit"], axis=1)
            == np.sort(tables["smotekit"], axis=1)
        ).all()
    )
    del tables, call_tables

    draw_args = (table, n_new, X.dtype)
    _warm(stages["draw pairs"], (table, min(n_new, WARMUP_ROWS), X.dtype))
    times["draw pairs"], draws = _time_alternating(
        stages["draw pairs"], draw_args, repeats
    )
    rows, cols, steps = draws["imblearn"]
    del draws
    neighbor = table[rows, cols]
    gap = steps[:, 0].astype(work_dtype(X.dtype))
    interp_args = (Xm, table, rows, cols, steps, neighbor, gap)
    w = slice(0, WARMUP_ROWS)
    _warm(
        stages["interpolate"],
        (Xm, table, rows[w], cols[w], steps[w], neighbor[w], gap[w]),
    )
    times["interpolate"], _ = _time_alternating(
        stages["interpolate"], interp_args, repeats
    )
    del interp_args, rows, cols, steps, neighbor, gap

    fr = stages["fit_resample"]
    few = np.r_[
        np.flatnonzero(y == minority)[:WARMUP_ROWS],
        np.flatnonzero(y != minority)[: 4 * WARMUP_ROWS],
    ]
    _warm(fr, (X[few], y[few]))
    times["fit_resample"], _ = _time_alternating(fr, (X, y), repeats)

    medians = {
        stage: {lib: statistics.median(t) for lib, t in by_lib.items()}
        for stage, by_lib in times.items()
    }
    # fit_resample searches neighbours the way "neighbours, SMOTE's call" does
    searched = {
        "imblearn": medians["neighbours"]["imblearn"],
        "smotekit": medians["neighbours, SMOTE's call"]["smotekit"],
    }
    medians["other"] = {
        lib: medians["fit_resample"][lib]
        - searched[lib]
        - medians["draw pairs"][lib]
        - medians["interpolate"][lib]
        for lib in LIBRARIES
    }
    return {
        "cell": {k: v for k, v in cell.__dict__.items() if k != "sampler"},
        "n_minority": len(Xm),
        "n_new": n_new,
        "repeats": repeats,
        "times_s": times,
        "median_s": medians,
        "agreement": agreement,
        "smote_call_same_sets": same_call,
    }


def breakdown_markdown(result):
    """Markdown table and agreement line for :func:`run_breakdown`'s result."""
    cell = result["cell"]
    head = (
        f"### SMOTE breakdown: n={cell['n']} d={cell['d']} "
        f"minority={cell['minority']:g} {cell['dtype']} "
        f"({result['n_minority']} minority rows, {result['n_new']} new, "
        f"median of {result['repeats']})"
    )
    lines = [
        head,
        "",
        "| stage | imblearn s | smotekit s | ratio imblearn/smotekit |",
        "|---|---:|---:|---:|",
    ]
    for stage, by_lib in result["median_s"].items():
        a, b = by_lib["imblearn"], by_lib["smotekit"]
        ratio = f"{a / b:.2f}" if b > 0 and a > 0 else "–"
        lines.append(f"| {stage} | {a:.4f} | {b:.4f} | {ratio} |")
    ag = result["agreement"]
    lines += [
        "",
        f"Neighbour-set agreement: {ag['identical']:.6f} identical, "
        f"{ag['identical_ties_aside']:.6f} ties aside "
        f"({ag['mismatch_ties']} tied rows; {ag['a_closer']} rows where "
        f"imblearn's set is closer, {ag['b_closer']} where smotekit's is) "
        f"over {ag['rows']} rows. SMOTE's call gives the same sets: "
        f"{result['smote_call_same_sets']}.",
    ]
    return "\n".join(lines)
