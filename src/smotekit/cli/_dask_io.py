"""``smotekit resample --engine dask``: Parquet folders too big for memory.

The input (a Parquet file, a folder of Parquet files or a glob) is read
lazily with dask, resampled by :mod:`smotekit.dask` and written as a folder
of Parquet files, one per partition: the input's partitions first, then the
synthetic ones. Nothing larger than a partition (and a class's rows within
``--memory-budget``) is held at once. The folder appears complete or not at
all: it is written beside the target and renamed on success. An existing
output folder is replaced whole, so it must be empty or hold only what this
engine writes (see :func:`resample_parquet_dask`); anything else is refused
before any work, and again just before the swap. The unfinished folder of a
run killed outright on this machine (SIGKILL, the out-of-memory killer) is
removed by the next run writing the same output there.
"""

import contextlib
import glob
import os
import re
import shutil
import signal
import threading
from pathlib import Path

from ._io import (
    _NULLABLE,
    FORMATS,
    NeighbourRoom,
    check_folder_takes_files,
    class_too_small,
    no_seeds,
    non_finite_features,
    too_few_rows,
)

__all__ = ["resample_parquet_dask"]

#: ``--method`` value → class name in :mod:`smotekit.dask`.
DASK_METHODS = {
    "smote": "SMOTE",
    "random": "RandomOverSampler",
    "borderline1": "BorderlineSMOTE",
    "borderline2": "BorderlineSMOTE",
    "adasyn": "ADASYN",
}
_PANDAS_SMOTENC = "--engine pandas --method smotenc"
#: Names of the files an output folder of this engine holds: one part per
#: partition (``part.000000.parquet``; older versions wrote ``part.0.parquet``)
#: and the metadata files dask's ``to_parquet`` may add.
_PART = re.compile(r"part\.[0-9]+\.parquet")
_DASK_METADATA = frozenset({"_metadata", "_common_metadata"})
#: How many names an error message lists before it counts the rest.
_SHOWN = 3


def _require_dask():
    """Refuse, before any work, a run of the dask engine without dask."""
    try:
        import dask.dataframe  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            f"--engine dask needs dask with its dataframe part ({exc}); install "
            "it with: pip install 'smotekit[dask]', or leave out --engine dask."
        ) from None


def _client(scheduler):
    if scheduler is None:
        return contextlib.nullcontext()
    try:
        import distributed
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "--scheduler needs the distributed package: pip install 'smotekit[dask]'"
        ) from exc
    return distributed.Client(scheduler)


def _input_files(text):
    """The files (and folders) the input names: a glob's matches, or a file,
    or a folder and everything under it."""
    if any(ch in text for ch in "*?["):
        matches = [Path(p) for p in glob.glob(text)]
        if not matches:
            raise FileNotFoundError(
                f"no file matches the input {text!r}. Check the folder and the pattern."
            )
        return matches
    path = Path(text)
    if not path.exists():
        raise FileNotFoundError(f"input {text!r} does not exist.")
    return [path, *path.rglob("*")] if path.is_dir() else [path]


def _parquet_schemas(input):
    """``(path, arrow schema)`` of each Parquet file of the input, in path
    order (hidden ones too: dask reads them; files that are not Parquet are
    left out). Only the files' metadata is read."""
    import pyarrow.parquet as pq

    files = sorted(p for p in _input_files(str(input)) if p.is_file())
    schemas = []
    for path in files:
        try:
            schemas.append((path, pq.read_schema(path)))
        except Exception as exc:
            if FORMATS.get(path.suffix.lower()) != "parquet":
                continue  # not a Parquet file (a stray file, which dask skips)
            raise ValueError(
                f"the input file {str(path)!r} is not a readable Parquet file "
                f"({exc}). Remove it from the input, or write it again."
            ) from None
    return schemas


def _names(names):
    """``'a', 'b', 'c' and 2 more``: a few quoted names for a message."""
    shown = ", ".join(map(repr, names[:_SHOWN]))
    more = len(names) - _SHOWN
    return f"{shown} and {more} more" if more > 0 else shown


def _columns(schema):
    """A schema's column names, without the unnamed index pandas stores."""
    return {n for n in schema.names if not n.startswith("__index_level_")}


def _column_types(schema):
    """``{name: arrow type}`` of a schema's columns (as :func:`_columns`)."""
    return {f.name: f.type for f in schema if not f.name.startswith("__index_level_")}


def _refuse_mixed_columns(schemas):
    """Every input file must hold the same columns (in any order), each of
    one type: dask takes the first file's and fails on, or silently drops
    or casts, the others'."""
    if not schemas:
        return
    first, columns = schemas[0][0], _columns(schemas[0][1])
    for path, schema in schemas[1:]:
        lacks = sorted(columns - _columns(schema))
        extra = sorted(_columns(schema) - columns)
        if lacks or extra:
            diff = " and ".join(
                [f"lacks {_names(lacks)}"] * bool(lacks)
                + [f"has {_names(extra)}"] * bool(extra)
            )
            raise ValueError(
                f"the input files do not share one set of columns: "
                f"{str(path)!r} {diff}, unlike {str(first)!r}. Give every file "
                "the same column names (rename or drop the odd ones), or leave "
                "the odd files out of the input."
            )
    types = _column_types(schemas[0][1])
    for path, schema in schemas[1:]:
        for name, kind in _column_types(schema).items():
            if kind != types[name]:
                raise ValueError(
                    f"the input files do not share one type per column: column "
                    f"{name!r} is {kind} in {str(path)!r} but {types[name]} in "
                    f"{str(first)!r} (dask would cast every file to the first "
                    "one's type, failing or changing values). Write every file "
                    "with the same types, or leave the odd files out of the input."
                )


def _refuse_no_rows(schemas):
    """Refuse input files that hold no data row between them (read from
    their metadata, up to the first file that holds one)."""
    import pyarrow.parquet as pq

    if not schemas or any(pq.read_metadata(path).num_rows for path, _ in schemas):
        return
    names = [n for n in schemas[0][1].names if not n.startswith("__index_level_")]
    raise ValueError(
        "the input has no data rows (its columns are "
        f"{', '.join(map(repr, names))}). Check the input files."
    )


def _stored_index(schema):
    """The names of the index pandas stored in a Parquet schema (unnamed
    ones are row numbering, as for the pandas engine)."""
    metadata = (schema.pandas_metadata if schema is not None else None) or {}
    names = [
        c.get("name") if isinstance(c, dict) else c  # a RangeIndex: its name
        for c in metadata.get("index_columns", [])
    ]
    return [n for n in names if n and not n.startswith("__index_level_")]


def _nullable_type(arrow_type):
    """pandas' nullable dtype for an arrow integer or bool type (None for
    the others): a ``types_mapper`` that reads such a column exactly, nulls
    included, instead of as float64 or object."""
    import pandas as pd

    name = _NULLABLE.get(str(arrow_type))
    return None if name is None else pd.api.types.pandas_dtype(name)


def _columns_with_nulls(schemas, names):
    """Which of the columns ``names`` hold a null in some input file, told
    by the files' statistics; None when a file does not tell."""
    import pyarrow.parquet as pq

    found = set()
    for path, _ in schemas:
        metadata = pq.read_metadata(path)
        for g in range(metadata.num_row_groups):
            group = metadata.row_group(g)
            for j in range(group.num_columns):
                chunk = group.column(j)
                if chunk.path_in_schema not in names:
                    continue
                stats = chunk.statistics
                if stats is None or not stats.has_null_count:
                    return None
                if stats.null_count:
                    found.add(chunk.path_in_schema)
    return found


def _read_as_pandas_reads(input, schemas):
    """The input as a dask DataFrame whose columns have the dtypes the
    pandas engine reads (:func:`._io._read_parquet`), so that the samplers
    take the same frame and both engines' outputs read back alike.

    Called with ``dataframe.convert-string`` off: dask would read text as
    ``string`` (missing values ``pd.NA``) where pandas reads ``str``, and
    dates as arrow-backed ones where pandas reads ``datetime.date``
    objects. ``categories=[]``: a column pandas stored as categorical comes
    back as such only when its Parquet type is a dictionary, as pandas
    reads it (dask would make the categories of any other text, integers
    ``1`` → ``'1'``). Integer and bool columns are read as pandas' nullable
    dtypes (exactly, where dask would read the partitions with nulls as
    float64 or object), then those without a null in the whole input and
    without a nullable dtype in the pandas metadata get numpy's dtype back,
    as pandas reads them.
    """
    import dask.dataframe as dd
    import numpy as np

    frame = dd.read_parquet(
        str(input), categories=[], arrow_to_pandas={"types_mapper": _nullable_type}
    )
    schema = schemas[0][1] if schemas else None
    if schema is None:
        return frame
    as_pandas = schema.empty_table().to_pandas().dtypes
    numpy = {
        f.name: as_pandas[f.name]
        for f in schema
        if f.name in frame.columns
        and _nullable_type(f.type) is not None
        and isinstance(as_pandas[f.name], np.dtype)
    }
    if not numpy:
        return frame
    nulls = _columns_with_nulls(schemas, set(numpy))
    if nulls is None:  # a file without statistics: one pass over those columns
        told = frame[list(numpy)].isna().any().compute()
        nulls = set(told.index[told.to_numpy()])
    numpy = {name: dtype for name, dtype in numpy.items() if name not in nulls}
    return frame.astype(numpy) if numpy else frame


def _output_schema(schema, frame):
    """The arrow schema to write the dask DataFrame ``frame`` with: the
    input's type (``schema``) for the text and dictionary columns and for
    those ``frame`` holds as Python objects (dates, decimals), the type of
    its dtype for the others. dask would write text as large_string, fails
    on the dictionary columns of files without pandas metadata (whose
    categories it leaves unknown, typed as nulls) and finds no arrow type
    for its placeholder rows of object columns."""
    import pyarrow as pa

    if schema is None:
        return "infer"
    string_view = getattr(pa.types, "is_string_view", lambda t: False)
    objects = {name for name, dtype in frame.dtypes.items() if dtype.kind == "O"}
    kept = {
        f.name: f.type
        for f in schema
        if pa.types.is_string(f.type)
        or string_view(f.type)
        or pa.types.is_dictionary(f.type)
        or f.name in objects
    }
    others = frame._meta_nonempty.drop(columns=list(kept))
    inferred = pa.Schema.from_pandas(others, preserve_index=False)
    return pa.schema(
        [
            pa.field(name, kept[name]) if name in kept else inferred.field(name)
            for name in frame.columns
        ]
    )


def _refuse_unwritable(schema):
    """Refuse before any work what the dask engine cannot read or write
    back: repeated column names (its reader refuses them), binary columns
    and nested or null-typed ones (its placeholder rows for object columns
    have no Parquet type)."""
    import pyarrow as pa

    if schema is None:
        return
    names = schema.names
    repeated = [n for n in dict.fromkeys(names) if names.count(n) > 1]
    if repeated:
        repeated = _names(repeated)
        raise ValueError(
            f"the input repeats column names ({repeated}), which the dask "
            "engine cannot read. Rename them, or use --engine pandas."
        )
    kinds = (
        (("binary",), (pa.types.is_binary, pa.types.is_large_binary,
                       pa.types.is_fixed_size_binary)),
        (("nested", "store them as text or drop them"),
         (pa.types.is_nested,)),
        (("null-typed (all missing)", "drop them"), (pa.types.is_null,)),
    )  # fmt: skip
    for (kind, *fix), tests in kinds:
        bad = [
            f"{f.name!r} ({f.type})" for f in schema if any(t(f.type) for t in tests)
        ]
        if bad:
            fix = fix[0] if fix else "store them as text or drop them"
            raise ValueError(
                f"column(s) {', '.join(bad)} hold {kind} values, which the dask "
                f"engine cannot write back to Parquet. Use --engine pandas, or "
                f"{fix}."
            )


def _check_paths(input, output):
    text = str(input)
    inputs = [p.resolve() for p in _input_files(text)]
    # files of a format the pandas engine reads and this one does not
    not_parquet = [p for p in inputs if FORMATS.get(p.suffix.lower()) == "csv"]
    if not_parquet and not Path(text).is_dir():
        raise ValueError(
            f"--engine dask reads Parquet (a file, a folder or a glob); got "
            f"{str(not_parquet[0].name)!r}. Convert it to Parquet, or use "
            "--engine pandas."
        )
    output = Path(output)
    if not output.parent.is_dir():
        raise FileNotFoundError(
            f"the folder of output {str(output)!r} does not exist; create it first."
        )
    if FORMATS.get(output.suffix.lower()) == "csv":
        raise ValueError(
            f"with --engine dask the output is a folder of Parquet files; "
            f"{str(output)!r} names a CSV file. Choose a folder name (or a "
            ".parquet one), or use --engine pandas to write CSV."
        )
    if output.exists() and not output.is_dir():
        raise ValueError(
            f"with --engine dask the output is a folder of Parquet files; "
            f"{str(output)!r} is a file. Choose a folder name."
        )
    target = output.resolve()
    here = Path.cwd().resolve()
    if here == target or here.is_relative_to(target):
        raise ValueError(
            f"the output folder {str(output)!r} is the current folder or holds "
            "it; --engine dask replaces its output folder whole. Name a new "
            "folder (such as 'balanced') instead."
        )
    for path in inputs:  # the output folder is replaced whole on success
        if path.is_relative_to(target) or target.is_relative_to(path):
            raise ValueError(
                f"the output folder {str(output)!r} must not hold the input, be "
                f"the input or lie inside it (input {text!r}). Choose a folder "
                "outside the input's."
            )
    _refuse_foreign(output)
    # the new folder is written beside the place the output resolves to
    place = target if output.is_symlink() else output
    check_folder_takes_files(place.parent, place.name)
    return output


def _written_here(entry):
    """Whether ``entry`` is a file this engine writes in its output folder."""
    name = entry.name
    return (
        entry.is_file()
        and not entry.is_symlink()
        and (_PART.fullmatch(name) is not None or name in _DASK_METADATA)
    )


def _refuse_foreign(output):
    """The output folder is replaced whole: refuse one holding anything this
    engine would not have written (a missing or empty folder is fine)."""
    if not output.is_dir():
        return
    foreign = sorted(p.name for p in output.iterdir() if not _written_here(p))
    if foreign:
        raise ValueError(
            f"the output folder {str(output)!r} holds {_names(foreign)}, which "
            "smotekit did not write; --engine dask replaces its output folder "
            "whole, so it only replaces an empty folder or one it wrote "
            "before (part.*.parquet files). Choose a new or empty folder, or "
            "remove those entries first."
        )


@contextlib.contextmanager
def _stop_signals_held():
    """Hold back SIGINT, SIGTERM and SIGHUP within the block: they arrive on
    leaving it, so that the output folder is never left half-swapped.

    Held by handlers that note them (a signal mask would hold them from
    this thread only: the process's other threads, dask's or the samplers',
    would take them, and Python would still interrupt this one). Python runs
    signal handlers in the main thread only: from another thread nothing
    needs holding.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    names = ("SIGINT", "SIGTERM", "SIGHUP")
    held = [
        getattr(signal, name)
        for name in names
        # a handler set outside Python (None) could not be put back
        if hasattr(signal, name) and signal.getsignal(getattr(signal, name)) is not None
    ]
    arrived = []
    previous = {
        sig: signal.signal(sig, lambda sig, _: arrived.append(sig)) for sig in held
    }
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for sig in dict.fromkeys(arrived):  # each once, in order of arrival
            signal.raise_signal(sig)


def _swap_in(tmp, place):
    """Put the finished folder ``tmp`` at ``place``, replacing the folder
    there, if any (put back should the second rename fail)."""
    if not place.exists():
        tmp.rename(place)
        return
    old = place.parent / f".{place.name}.old-{os.getpid()}"
    place.rename(old)
    try:
        tmp.rename(place)
    except BaseException:
        old.rename(place)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _process_space():
    """This kernel boot and PID namespace, as a token for file names: a
    process number names one process only within them (other machines,
    other boots and containers with their own PID namespace reuse it). None
    where the system does not tell (not Linux)."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        space = os.stat("/proc/self/ns/pid").st_ino
    except OSError:
        return None
    return f"{boot.replace('-', '')[:16]}{space:x}"


def _partial_name(place, pid):
    """Name of the folder a run with process ``pid`` (in this process space)
    writes before it is renamed to ``place``."""
    return f".{place.name}.partial-{_process_space() or 'x'}-{pid}"


def _running(pid):
    """Whether a process ``pid`` runs on this machine (POSIX)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


def _remove_stale_partials(place):
    """Remove the unfinished output folders of earlier runs that were killed
    outright (SIGKILL, the out-of-memory killer) and so could not clean up:
    those named for ``place``, this process space (kernel boot and PID
    namespace) and a process that no longer runs, holding only files this
    engine writes. Runs elsewhere (another machine on a shared file system,
    another container) and live runs are left alone."""
    if os.name != "posix" or _process_space() is None:
        return
    pattern = re.compile(re.escape(_partial_name(place, "")) + r"([0-9]+)")
    try:
        entries = list(place.parent.iterdir())
    except OSError:
        return
    for entry in entries:
        found = pattern.fullmatch(entry.name)
        if found is None or found[1] == str(os.getpid()) or _running(int(found[1])):
            continue
        if entry.is_dir() and not entry.is_symlink():
            if all(_written_here(p) for p in entry.iterdir()):
                shutil.rmtree(entry, ignore_errors=True)


def _room(method, sampler, given):
    """The :class:`._io.NeighbourRoom` of a refused run (the class counts
    are the sampler's first pass)."""
    counts = dict(getattr(sampler, "class_counts_", {}))
    return NeighbourRoom(method, sampler, counts, given)


def _part_name(i):
    return f"part.{i:06d}.parquet"


def _reset_index(frame):
    return frame.reset_index(drop=True)


def resample_parquet_dask(
    input,
    output,
    target,
    *,
    method="smote",
    k_neighbors=None,
    m_neighbors=None,
    sampling_strategy="auto",
    random_state=None,
    n_jobs=None,
    scheduler=None,
    memory_budget="256MiB",
):
    """Over-sample Parquet data with :mod:`smotekit.dask`, Parquet folder out.

    Parameters
    ----------
    input : str or path-like
        A Parquet file, a folder of Parquet files, or a glob. Every file must
        hold the same column names, in any order (checked from the files'
        metadata before any work).
    output : str or path-like
        Folder to write, replaced whole on success when it exists. So an
        existing folder must be empty or hold only what this function writes:
        regular files named ``part.<digits>.parquet``, plus the ``_metadata``
        and ``_common_metadata`` files dask may add; anything else (another
        file, a subfolder, a hidden file) is refused with a ValueError before
        any work, and checked again just before the swap. It must not be the
        current folder or hold it, nor hold the input or lie inside it.
    target : str
        Name of the class label column.
    method : {'smote', 'random', 'borderline1', 'borderline2', 'adasyn'}
        The sampler, as for the in-memory command (the dask engine has no
        SMOTENC, SVMSMOTE or KMeansSMOTE: those methods are refused).
    k_neighbors, m_neighbors : int or None, default=None
        As for the in-memory command (None: the sampler's default).
    sampling_strategy : float, str or dict, default='auto'
        As for the in-memory command; dict keys given as text are matched to
        the labels.
    random_state : int or None, default=None
        Seed: the output equals the in-memory command's.
    n_jobs : int or None, default=None
        Threads of each neighbour-search task (see
        :class:`smotekit.dask.SMOTE`).
    scheduler : str or None, default=None
        Address of a ``distributed`` scheduler (``tcp://host:8786``); None
        runs on local threads.
    memory_budget : int or str, default='256MiB'
        See :class:`smotekit.dask.SMOTE`.

    Returns
    -------
    counts_before, counts_after : dict
        Class counts of the input and of the output.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"x": range(10), "label": [0] * 7 + [1] * 3})
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     frame.to_parquet(Path(folder) / "train.parquet")
    ...     before, after = resample_parquet_dask(
    ...         Path(folder) / "train.parquet", Path(folder) / "out", "label",
    ...         k_neighbors=2, random_state=0)
    ...     n_rows = len(pd.read_parquet(Path(folder) / "out"))
    >>> after, n_rows
    ({0: 7, 1: 7}, 14)
    """
    _require_dask()
    import dask
    import smotekit.dask

    from .._data import NonFiniteFeaturesError, NonNumericFeaturesError
    from .._neighbors import ClassTooSmallError, TooFewSamplesError
    from .._strategy import SamplingStrategyError
    from ..over_sampling._adasyn import UnweightedClassError
    from .resample import _COPIES_MISSING, build_sampler, match_labels, refuse_times

    if method not in DASK_METHODS:
        known = ", ".join(DASK_METHODS)
        raise ValueError(
            f"--method {method} is not available with --engine dask (it has "
            f"{known}); use the pandas engine for it."
        )
    output = _check_paths(input, output)
    schemas = _parquet_schemas(input)
    _refuse_mixed_columns(schemas)
    _refuse_no_rows(schemas)
    schema = schemas[0][1] if schemas else None
    _refuse_unwritable(schema)
    stored = _stored_index(schema)
    if stored:
        raise ValueError(
            f"the input stores an index ({stored[0]!r}), which the dask engine "
            "does not keep; write the files without it (df.reset_index()) or "
            "use --engine pandas."
        )
    with (
        dask.config.set({"dataframe.convert-string": False}),
        _client(scheduler),
    ):
        frame = _read_as_pandas_reads(input, schemas)
        if target not in frame.columns:
            raise ValueError(
                f"target column {target!r} is not in the input; its columns are "
                f"{', '.join(map(repr, frame.columns))}. Pass --target with one "
                "of them."
            )
        if isinstance(sampling_strategy, dict):
            labels = frame[target].drop_duplicates().compute().tolist()
            sampling_strategy = match_labels(sampling_strategy, labels)
        params = build_sampler(
            method,
            k_neighbors=k_neighbors,
            m_neighbors=m_neighbors,
            sampling_strategy=sampling_strategy,
            random_state=random_state,
            n_jobs=n_jobs,
        ).get_params(deep=False)
        sampler = getattr(smotekit.dask, DASK_METHODS[method])(
            **params, memory_budget=memory_budget
        )
        if method != "random":
            refuse_times(frame._meta.drop(columns=[target]), method, _PANDAS_SMOTENC)
        given = {"--k-neighbors": k_neighbors, "--m-neighbors": m_neighbors,
                 "--n-jobs": n_jobs}  # fmt: skip
        try:
            out, _ = sampler.fit_resample(frame, target)
        except ClassTooSmallError as exc:
            raise class_too_small(exc, _room(method, sampler, given)) from None
        except TooFewSamplesError as exc:
            raise too_few_rows(exc, sampler, _room(method, sampler, given)) from None
        except UnweightedClassError as exc:
            raise no_seeds(exc, method) from None
        except SamplingStrategyError as exc:
            raise ValueError(exc.told_as("--sampling-strategy")) from None
        except NonFiniteFeaturesError as exc:
            raise non_finite_features(exc, _COPIES_MISSING) from None
        except NonNumericFeaturesError as exc:
            raise NonNumericFeaturesError(
                f"{exc} On the command line: {_PANDAS_SMOTENC}, or --method "
                "random (copies rows)."
            ) from None
        out = out.map_partitions(_reset_index, meta=frame._meta.reset_index(drop=True))
        # a link to a folder: the folder it points to is replaced, the link kept
        place = output.resolve() if output.is_symlink() else output
        tmp = place.parent / _partial_name(place, os.getpid())
        _remove_stale_partials(place)
        shutil.rmtree(tmp, ignore_errors=True)
        try:
            # zero-padded names: readers that sort file names (pandas,
            # pyarrow) then read the partitions in order
            out.to_parquet(
                str(tmp),
                write_index=False,
                name_function=_part_name,
                schema=_output_schema(schema, out),
            )
            _refuse_foreign(place)  # saved into it during the work?
            with _stop_signals_held():
                _swap_in(tmp, place)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    before = dict(sampler.class_counts_)
    after = {c: n + sampler.sampling_strategy_.get(c, 0) for c, n in before.items()}
    return before, after
