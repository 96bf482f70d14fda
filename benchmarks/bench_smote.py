"""Side-by-side benchmark of smotekit against imbalanced-learn.

How to run (from the repository root, with the ``bench`` extra installed:
``pip install -e '.[bench]'``)::

    python benchmarks/bench_smote.py --quick              # small grid, < 2 min
    python benchmarks/bench_smote.py --full --json benchmarks/results/full.json
    python benchmarks/bench_smote.py --full --only 'n=100000,d=50' --repeats 5
    python benchmarks/bench_smote.py --full --samplers smote --only 'n=1M,dtype=float32'
    python benchmarks/bench_smote.py --breakdown --only 'n=100k,d=50'
    python benchmarks/bench_smote.py --full --list        # show the cells, run nothing
    python benchmarks/bench_smote.py --sparse             # sparse text-like rows

Grid. ``--full``: n ∈ {10k, 100k, 1M} × d ∈ {10, 50}, plus d=200 at n=100k;
minority share 1% and 10%; float32 and float64; every sampler of the
SMOTE and RandomOverSampler by default (``--samplers`` adds the other
registry entries: every variant, the cleaners, the approximate mode), all
with ``sampling_strategy='auto'``, ``k_neighbors=5``, ``random_state=0``.
``--quick`` (the default): (n, d) ∈ {(10k, 10), (10k, 50), (100k, 10),
(100k, 50)}, 10% minority, float32, 3 repeats: 48 measurement processes,
each spending 1-3 s importing its library and warming it up. ``--only``
keeps the cells matching ``key=value,...`` (keys ``n``, ``d``,
``minority``, ``dtype``, ``sampler``; ``100k``, ``1M`` and ``10%`` are
understood); give it several times to keep the union. ``--samplers`` picks
registry entries by name (see ``_bench_registry.py``, where a new variant
is one entry).

``--sparse``: SMOTE on sparse text-like rows (CSR, 20 words a row of a
vocabulary of ``d`` columns), (n, d) ∈ {(20k, 5,000), (100k, 5,000),
(100k, 20,000), (1M, 20,000)}, minority 1% and 10%, float64; every other
sampler on the same rows is ``<name>-sparse`` (``--samplers``).

Data. Two-class Gaussian clusters drawn directly with numpy (seed 0), like
``make_classification`` but fast at a million rows, cached as ``.npy`` files
in ``benchmarks/.cache/`` so a measurement only loads them (sparse rows as
scipy ``.npz`` files).

Measurement. Every measurement is one ``fit_resample`` call in a process of
its own (``_bench_child.py``), so peak memory of one run never mixes with
another's. The processes are forked from a server that has imported what
both libraries load (numpy, scipy, pandas, parts of scikit-learn; see
``FORK_PRELOAD``), so each spends its start importing only its own library
and warming it up; ``--fresh-interpreter`` starts each as a new interpreter
instead (about 1.5 s more per process; the measured call is the same).
Before any, one process imports both libraries: if either is
missing the run stops there with the install command, and a smotekit
imported from outside this checkout is named in the report. Repetitions
alternate the libraries (imblearn, smotekit, imblearn, smotekit, ...) so
that machine noise hits both alike. In the full
and sparse grids, a cell where both libraries' median run is under a second is repeated
9 times in all (``SHORT_CELL_REPEATS``): such runs are of the order of the
page-fault noise of a virtual machine. Thread counts
are never forced: BLAS and OpenMP pools, and the environment variables that
steer them (``OPENBLAS_CORETYPE``, ``OPENBLAS_L2_SIZE``, ``OMP_NUM_THREADS``,
...), are recorded as found.

Report. A Markdown table on stdout, one row per cell: median wall time of
``fit_resample`` for each library; ratio imblearn/smotekit (above 1 means
smotekit is faster); peak resident memory of each run, absolute and above
the baseline measured right after the data was loaded (``1234 (+400)``);
median CPU time over wall time (how many cores were busy); input and output
sizes. All sizes are MiB (2**20 bytes). Before the cells and after them, the
time of a first write of 150 MB of fresh memory (five fresh processes,
``bench_first_touch.probe``) is printed with the machine: output-bound cells
move with it. ``--json PATH`` also writes the machine description (CPU
model, cores, library versions, BLAS and OpenMP thread pools, thread
environment variables, load average, those first writes) and every raw
measurement.

``--breakdown`` instead times SMOTE's stages in one process for the selected
data sets (neighbour search, pair drawing, interpolation, the whole call) and
checks that both libraries find the same neighbour sets (see
``_bench_breakdown.py``); it exits with status 1 if they differ beyond ties.
"""

import argparse
import functools
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _bench_child import measure_forked, report_preloaded
from _bench_data import DEFAULT_CACHE_DIR, ensure_cached
from _bench_machine import machine_info, machine_markdown
from _bench_registry import SAMPLERS, Cell, format_count, format_share
from bench_first_touch import probe, probe_markdown

BENCH_DIR = Path(__file__).resolve().parent
CHILD = BENCH_DIR / "_bench_child.py"
RESULT_PREFIX = "BENCH-RESULT "
LIBRARIES = ("imblearn", "smotekit")
#: Samplers measured unless ``--samplers`` says otherwise (the grid's subject;
#: the other registry entries take tens of seconds per imbalanced-learn run).
DEFAULT_SAMPLERS = ("smote", "random")
MIB = 2**20
#: Imported once by the fork server that starts the measurement processes:
#: what both libraries load in their first ``fit_resample`` (numpy, scipy,
#: pandas and these parts of scikit-learn; nothing of either library), so
#: each process imports only its own library, about 1.5 s less per process
#: than a fresh interpreter on the benchmark machine.
FORK_PRELOAD = (
    "_bench_child",
    "pandas",
    "sklearn.cluster",
    "sklearn.linear_model",
    "sklearn.manifold",
    "sklearn.metrics",
    "sklearn.model_selection",
    "sklearn.neighbors",
    "sklearn.preprocessing",
    "sklearn.svm",
    "sklearn.tree",
)

#: (n, d) pairs, minority shares and dtypes of each grid.
GRIDS = {
    "quick": {
        # the 10k-row cells' calls take milliseconds, where fixed costs
        # show; the grid must stay under 2 minutes on 2 cores, which the
        # fork server's processes allow (1-3 s each)
        "shapes": [(10_000, 10), (10_000, 50), (100_000, 10), (100_000, 50)],
        "minority": [0.1],
        "dtype": ["float32"],
        "repeats": 3,
    },
    "full": {
        "shapes": [
            (10_000, 10),
            (10_000, 50),
            (100_000, 10),
            (100_000, 50),
            (100_000, 200),
            (1_000_000, 10),
            (1_000_000, 50),
        ],
        "minority": [0.01, 0.1],
        "dtype": ["float32", "float64"],
        "repeats": 3,
    },
    # sparse text-like rows: d is the number of columns (the vocabulary)
    "sparse": {
        "shapes": [
            (20_000, 5_000),
            (100_000, 5_000),
            (100_000, 20_000),
            (1_000_000, 20_000),
        ],
        "minority": [0.01, 0.1],
        "dtype": ["float64"],
        "repeats": 3,
    },
}
#: Samplers of the sparse grid unless ``--samplers`` says otherwise.
SPARSE_SAMPLERS = ("smote-sparse",)

#: Cells whose median run, for both libraries, is under this many seconds get
#: extra repetitions: their times are of the order of the VM's page-fault
#: noise (see BENCHMARKS.md), which a median of 3 does not remove.
SHORT_CELL_S = 1.0
#: Total repetitions of a short cell (when above ``--repeats``).
SHORT_CELL_REPEATS = 9


# ----------------------------------------------------------------- selection


def parse_number(text):
    """``'100k'`` → 100000, ``'1M'`` → 1000000, ``'10%'`` → 0.1, else a number."""
    text = text.strip()
    if text.endswith("%"):
        return float(text[:-1]) / 100
    scale = {"k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000}
    if text and text[-1] in scale:
        return int(float(text[:-1]) * scale[text[-1]])
    value = float(text)
    return int(value) if value.is_integer() and "." not in text else value


def parse_filter(text):
    """``'n=100000,d=50'`` → ``{'n': 100000, 'd': 50}``."""
    conditions = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition("=")
        key = key.strip()
        if not sep or key not in ("n", "d", "minority", "dtype", "sampler"):
            raise argparse.ArgumentTypeError(
                f"bad --only condition {part!r}: expected key=value with key in "
                "n, d, minority, dtype, sampler (e.g. 'n=100k,d=50')"
            )
        value = value.strip()
        conditions[key] = value if key in ("dtype", "sampler") else parse_number(value)
    return conditions


def matches(cell, conditions):
    for key, value in conditions.items():
        actual = getattr(cell, key)
        if isinstance(value, float) or isinstance(actual, float):
            if abs(float(actual) - float(value)) > 1e-12:
                return False
        elif actual != value:
            return False
    return True


def build_cells(grid, samplers, filters):
    cells = [
        Cell(sampler, n, d, minority, dtype)
        for n, d in grid["shapes"]
        for minority in grid["minority"]
        for dtype in grid["dtype"]
        for sampler in samplers
    ]
    if filters:
        cells = [c for c in cells if any(matches(c, f) for f in filters)]
    return cells


# ------------------------------------------------------------------- running

#: The install command printed when a measuring process cannot import a
#: library (run from the repository root).
INSTALL_HINT = "python -m pip install -e '.[bench]'"


def check_libraries(modules=LIBRARIES, python=sys.executable, timeout=120):
    """Import ``modules`` once the way the measuring processes will.

    Returns ``(error, warning)``. ``error`` is a message when an import
    fails or hangs (every measurement would fail the same way, so nothing
    should be run); ``warning`` when smotekit is imported from somewhere
    other than this checkout's ``src/`` (the figures would measure that
    copy, while the report names this checkout's revision).
    """
    code = (
        "import importlib\n"
        f"for name in {list(modules)!r}:\n"
        "    try:\n"
        "        module = importlib.import_module(name)\n"
        "    except Exception as exc:\n"
        "        print('MISSING', name, type(exc).__name__ + ':', exc)\n"
        "    else:\n"
        "        print('FOUND', name, getattr(module, '__file__', '') or '')\n"
    )
    try:
        proc = subprocess.run(
            [python, "-c", code],
            capture_output=True,
            text=True,
            cwd=BENCH_DIR,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return (
            f"importing {', '.join(modules)} with {python} took over {timeout:g} "
            "s; check the environment before measuring.",
            None,
        )
    found, missing = {}, []
    for line in proc.stdout.splitlines():
        kind, _, rest = line.partition(" ")
        name, _, detail = rest.partition(" ")
        if kind == "FOUND" and name in modules:
            found[name] = detail
        elif kind == "MISSING" and name in modules:
            missing.append(f"{name} ({detail})")
    if proc.returncode != 0 and not missing:
        reason = (proc.stderr or proc.stdout).strip().splitlines()[-1:]
        missing.append(" | ".join(reason) or f"exit {proc.returncode}")
    if missing:
        return (
            f"the measuring processes ({python}) cannot import "
            f"{'; '.join(missing)}. Install both libraries from the repository "
            f"root with: {INSTALL_HINT}",
            None,
        )
    if "smotekit" not in found:
        return None, None
    where = Path(found["smotekit"]).resolve()
    here = (BENCH_DIR.parent / "src" / "smotekit").resolve()
    if not where.is_relative_to(here):
        return None, (
            f"smotekit is imported from {where.parent}, not from this "
            f"checkout ({here}); the timings measure that copy. To measure "
            f"this one, run from this checkout: {INSTALL_HINT}"
        )
    return None, None


@functools.cache
def fork_server():
    """``(context, modules)``: the fork-server context measurement processes
    start from and the modules of :data:`FORK_PRELOAD` its processes have
    imported (asked of one of them); None where the platform has no fork
    server or it cannot start (measurement processes are then fresh
    interpreters).

    The server starts once per driver and keeps the environment it started
    with.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return None
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(FORK_PRELOAD))
    try:
        _, modules, _ = run_forked(context, report_preloaded, (FORK_PRELOAD,), 300)
    except OSError:  # e.g. a socket path too long for the system (long TMPDIR)
        return None
    return None if modules is None else (context, tuple(modules))


def run_forked(context, target, args, timeout):
    """Run ``target(conn, *args)`` in a process forked from ``context``'s
    server and return ``(finished, answer, exitcode)``: whether it sent
    something or ended within ``timeout`` seconds, what it sent through
    ``conn`` (None if it died first) and its exit status. A process past
    its time, or left when the caller is interrupted, is killed."""
    reader, writer = context.Pipe(duplex=False)
    proc = context.Process(target=target, args=(writer, *args))
    try:
        proc.start()
    except BaseException:
        reader.close()
        raise
    finally:
        writer.close()
    finished, answer = False, None
    try:
        finished = reader.poll(timeout)
        answer = reader.recv() if finished else None
    except EOFError:  # it died before sending anything
        pass
    finally:
        reader.close()
        if finished:  # sent its answer (or died): let it exit
            proc.join(60)
        if proc.is_alive():
            proc.kill()
        proc.join()
    return finished, answer, proc.exitcode


def run_child(library, cell, cache_dir, timeout, fresh=False):
    """Run one measurement in a new process; return its result dict.

    The process is forked from :func:`fork_server`'s server, or is a fresh
    interpreter when ``fresh`` is true or the platform has no fork server.
    """
    server = None if fresh else fork_server()
    if server is None:
        return run_fresh_child(library, cell, cache_dir, timeout)
    args = (library, cell.__dict__, str(Path(cache_dir).resolve()))
    finished, result, exitcode = run_forked(server[0], measure_forked, args, timeout)
    if not finished:
        result = {"error": "timeout"}
    elif result is None:
        result = {"error": f"exit {exitcode}: no result"}
    if "error" in result:
        return {"library": library, "cell": cell.__dict__} | result
    return result


def process_kind(fresh):
    """How measurement processes start, in words for the report."""
    server = None if fresh else fork_server()
    if server is None:
        return "a fresh interpreter each"
    shared = [name for name in server[1] if name != "_bench_child"]
    return "forked from a server that has imported " + (", ".join(shared) or "nothing")


def run_fresh_child(library, cell, cache_dir, timeout):
    """Run one measurement in a fresh interpreter; return its result dict."""
    cache_dir = str(Path(cache_dir).resolve())
    spec = {"library": library, "cell": cell.__dict__, "cache_dir": cache_dir}
    cmd = [sys.executable, str(CHILD), json.dumps(spec)]
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, cwd=BENCH_DIR
        )
    except subprocess.TimeoutExpired:
        return {"library": library, "cell": cell.__dict__, "error": "timeout"}
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            return json.loads(line[len(RESULT_PREFIX) :])
    tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:]
    return {
        "library": library,
        "cell": cell.__dict__,
        "error": f"exit {proc.returncode}: " + " | ".join(tail),
    }


def prepare_data(cells, cache_dir):
    seen = set()
    for cell in cells:
        factory = SAMPLERS[cell.sampler].data
        key = (factory.__name__, cell.data_key)
        if key in seen:
            continue
        seen.add(key)
        t0 = time.perf_counter()
        if ensure_cached(cache_dir, cell, factory):
            log(
                f"generated {factory.__name__} {cell.label().split(' ', 1)[1]} "
                f"in {time.perf_counter() - t0:.1f} s"
            )


def run_grid(
    cells, repeats, cache_dir, timeout, short_repeats=SHORT_CELL_REPEATS, fresh=False
):
    """Measure every cell ``repeats`` times per library, alternating them; a
    cell whose median runs are all under :data:`SHORT_CELL_S` is then
    repeated up to ``short_repeats`` times."""
    runs = []
    for number, cell in enumerate(cells, 1):
        mine = []
        rounds = repeats
        rep = 0
        while rep < rounds:
            for library in LIBRARIES:
                result = run_child(library, cell, cache_dir, timeout, fresh)
                result["repeat"] = rep
                mine.append(result)
                log(f"[cell {number}/{len(cells)}] {cell.label()} {library} "
                    f"#{rep + 1}: {_status(result)}")  # fmt: skip
            rep += 1
            if rep == repeats and short_repeats > repeats and _is_short(mine):
                rounds = short_repeats
        runs += mine
    return runs


def _status(result):
    if "error" in result:
        return "ERROR " + result["error"]
    return (
        f"{result['wall_s']:.3f} s, peak {result['peak_mib']:.0f} "
        f"MiB (+{result['peak_above_baseline_mib']:.0f})"
    )


def _is_short(runs):
    """Whether every library's median wall time in ``runs`` is under
    :data:`SHORT_CELL_S` (and no run failed)."""
    if any("error" in r for r in runs):
        return False
    return all(
        statistics.median(r["wall_s"] for r in runs if r["library"] == lib)
        < SHORT_CELL_S
        for lib in LIBRARIES
    )


def log(message):
    print(message, file=sys.stderr, flush=True)


# ----------------------------------------------------------------- reporting


def _median(runs, key):
    values = [r[key] for r in runs]
    return statistics.median(values) if values else None


def summarize(cells, runs):
    summaries = []
    for cell in cells:
        entry = {"cell": cell.__dict__}
        ok = {}
        for library in LIBRARIES:
            mine = [r for r in runs if r["cell"] == cell.__dict__]
            mine = [r for r in mine if r["library"] == library]
            good = [r for r in mine if "error" not in r]
            ok[library] = bool(good)
            entry[library] = {
                "runs": len(good),
                "errors": [r["error"] for r in mine if "error" in r],
                "median_s": _median(good, "wall_s"),
                "min_s": min((r["wall_s"] for r in good), default=None),
                "median_cpu_s": _median(good, "cpu_s"),
                "peak_mib": _median(good, "peak_mib"),
                "peak_above_baseline_mib": _median(good, "peak_above_baseline_mib"),
                "baseline_mib": _median(good, "baseline_mib"),
                "in_mib": good[0]["in_bytes"] / MIB if good else None,
                "out_mib": good[0]["out_bytes"] / MIB if good else None,
                "n_out": sorted({r["n_out"] for r in good}),
                "out_dtype": sorted({r["out_dtype"] for r in good}),
                "neighbour_method": sorted(
                    {str(r.get("neighbour_method")) for r in good}
                ),
            }
        if all(ok.values()):
            a, b = entry["imblearn"]["median_s"], entry["smotekit"]["median_s"]
            entry["ratio_imblearn_over_smotekit"] = a / b if b > 0 else None
            entry["same_output_shape"] = (
                entry["imblearn"]["n_out"] == entry["smotekit"]["n_out"]
            )
        summaries.append(entry)
    return summaries


def _fmt_peak(stats):
    if stats["peak_mib"] is None:
        return "–"
    return f"{stats['peak_mib']:.0f} (+{stats['peak_above_baseline_mib']:.0f})"


def _fmt_time(stats):
    if stats["median_s"] is None:
        return "error"
    return f"{stats['median_s']:.3f}"


def _fmt_parallel(stats):
    if stats["median_s"] is None or not stats["median_s"]:
        return "–"
    return f"{stats['median_cpu_s'] / stats['median_s']:.1f}"


def markdown_table(summaries):
    lines = [
        "| sampler | n | d | minority | dtype | in MiB | out MiB "
        "| imblearn s | smotekit s | ratio i/s "
        "| imblearn peak MiB (+above base) | smotekit peak MiB (+above base) "
        "| cpu/wall i, s |",
        "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for entry in summaries:
        c = entry["cell"]
        imb, sk = entry["imblearn"], entry["smotekit"]
        ratio = entry.get("ratio_imblearn_over_smotekit")
        ratio_text = f"{ratio:.2f}" if ratio is not None else "–"
        in_mib = imb["in_mib"] if imb["in_mib"] is not None else sk["in_mib"]
        outs = {f"{s['out_mib']:.1f}" for s in (imb, sk) if s["out_mib"] is not None}
        out_text = " / ".join(sorted(outs)) or "–"
        if entry.get("same_output_shape") is False:
            out_text += " ⚠ rows differ"
        lines.append(
            f"| {c['sampler']} | {format_count(c['n'])} | {c['d']} "
            f"| {format_share(c['minority'])} | {c['dtype']} "
            f"| {'–' if in_mib is None else f'{in_mib:.1f}'} | {out_text} "
            f"| {_fmt_time(imb)} | {_fmt_time(sk)} | {ratio_text} "
            f"| {_fmt_peak(imb)} | {_fmt_peak(sk)} "
            f"| {_fmt_parallel(imb)}, {_fmt_parallel(sk)} |"
        )
    return "\n".join(lines)


def busy_warning(info):
    load = info.get("loadavg_start")
    cores = info.get("usable_cores") or info.get("logical_cores") or 1
    if load and load[0] > 0.5:
        return (
            f"> Note: 1-minute load average was {load[0]:.2f} on {cores} cores "
            "when the run started; other work was running and timings are noisy."
        )
    return None


def write_json(path, payload):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2))
    log(f"wrote {path}")


# ---------------------------------------------------------------------- main


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Benchmark smotekit against imbalanced-learn.",
        epilog="See the module docstring for what is measured and reported.",
    )
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="small grid (default)")
    size.add_argument("--full", action="store_true", help="the whole grid")
    size.add_argument(
        "--sparse",
        action="store_true",
        help="sparse text-like rows (default sampler: smote-sparse)",
    )
    parser.add_argument(
        "--only",
        action="append",
        type=parse_filter,
        default=[],
        metavar="key=value,...",
        help="keep matching cells (keys n, d, minority, dtype, sampler); repeatable",
    )
    parser.add_argument(
        "--samplers",
        default=None,
        help=f"comma-separated registry names (default: {','.join(DEFAULT_SAMPLERS)}, "
        f"with --sparse {','.join(SPARSE_SAMPLERS)}; all: {','.join(SAMPLERS)})",
    )
    parser.add_argument(
        "--repeats", type=int, default=None, help="measurements per library and cell"
    )
    parser.add_argument("--json", metavar="PATH", help="also write results as JSON")
    parser.add_argument(
        "--breakdown",
        action="store_true",
        help="time SMOTE's stages in one process for the selected data sets",
    )
    parser.add_argument(
        "--list", action="store_true", help="print the selected cells and exit"
    )
    parser.add_argument(
        "--cache-dir", default=str(DEFAULT_CACHE_DIR), help="where data is cached"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=3600.0,
        help="seconds before one measurement is abandoned (default 3600)",
    )
    parser.add_argument(
        "--fresh-interpreter",
        action="store_true",
        help="start every measurement in a new interpreter instead of forking "
        "it from a server that has imported what both libraries share",
    )
    args = parser.parse_args(argv)
    if args.samplers is None:
        args.samplers = ",".join(SPARSE_SAMPLERS if args.sparse else DEFAULT_SAMPLERS)
    samplers = [s.strip() for s in args.samplers.split(",") if s.strip()]
    unknown = [s for s in samplers if s not in SAMPLERS]
    if unknown:
        parser.error(
            f"unknown sampler(s) {', '.join(unknown)}; known: {', '.join(SAMPLERS)}"
        )
    args.samplers = samplers
    args.grid = "full" if args.full else "sparse" if args.sparse else "quick"
    if args.repeats is None:
        args.repeats = GRIDS[args.grid]["repeats"]
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    samplers = ["smote"] if args.breakdown else args.samplers
    cells = build_cells(GRIDS[args.grid], samplers, args.only)
    if not cells:
        log("no cell matches the selection")
        return 2
    if args.list:
        for cell in cells:
            print(cell.label())
        return 0

    error, elsewhere = check_libraries()
    if error:
        log(error)
        return 2
    info = machine_info()
    info["first_touch_start"] = probe()
    print("## Machine\n")
    print(machine_markdown(info))
    print(probe_markdown(info["first_touch_start"], "at start"))
    if not args.breakdown:
        print(f"- Measurement processes: {process_kind(args.fresh_interpreter)}")
    warning = busy_warning(info)
    if warning:
        print("\n" + warning)
    if elsewhere:
        print("\n> Note: " + elsewhere)
    prepare_data(cells, args.cache_dir)

    if args.breakdown:
        return run_breakdowns(cells, args, info)

    short_repeats = SHORT_CELL_REPEATS if args.grid != "quick" else args.repeats
    runs = run_grid(
        cells,
        args.repeats,
        args.cache_dir,
        args.timeout,
        short_repeats,
        args.fresh_interpreter,
    )
    summaries = summarize(cells, runs)
    counts = f"{args.repeats}"
    if short_repeats > args.repeats:
        counts += f" ({short_repeats} for cells under {SHORT_CELL_S:g} s)"
    print(f"\n## fit_resample, median of {counts} (ratio > 1: smotekit faster)\n")
    print(markdown_table(summaries))
    info["loadavg_end"] = list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    info["first_touch_end"] = probe()
    print("\n" + probe_markdown(info["first_touch_end"], "at the end"))
    if args.json:
        config = {
            "grid": args.grid,
            "repeats": args.repeats,
            "short_cell_repeats": short_repeats,
            "short_cell_s": SHORT_CELL_S,
            "samplers": args.samplers,
            "only": args.only,
            "processes": process_kind(args.fresh_interpreter),
        }
        write_json(
            args.json,
            {"machine": info, "config": config, "cells": summaries, "runs": runs},
        )
    return 1 if any("error" in r for r in runs) else 0


def run_breakdowns(cells, args, info):
    from _bench_breakdown import breakdown_markdown, run_breakdown

    results = []
    exact = True
    for cell in cells:
        log(f"breakdown {cell.label()}")
        result = run_breakdown(cell, args.cache_dir, args.repeats)
        results.append(result)
        print("\n" + breakdown_markdown(result))
        exact &= result["agreement"]["identical_ties_aside"] == 1.0
    info["loadavg_end"] = list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    if args.json:
        write_json(args.json, {"machine": info, "breakdown": results})
    if not exact:
        log("neighbour sets differ beyond ties: an exact search disagrees")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
