"""``smotekit resample --engine dask``: Parquet folders too big for memory.

The input (a Parquet file, a folder of Parquet files or a glob) is read
lazily with dask, resampled by :mod:`smotekit.dask` and written as a folder
of Parquet files, one per partition: the input's partitions first, then the
synthetic ones. Nothing larger than a partition (and a class's rows within
``--memory-budget``) is held at once. The folder appears complete or not at
all: it is written beside the target and renamed on success.
"""

import contextlib
import glob
import os
import shutil
from pathlib import Path

from ._io import FORMATS

__all__ = ["resample_parquet_dask"]

#: ``--method`` value → class name in :mod:`smotekit.dask`.
DASK_METHODS = {"smote": "SMOTE", "random": "RandomOverSampler"}
_PANDAS_SMOTENC = "--engine pandas --method smotenc"


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


def _first_schema(input):
    """The arrow schema of the input's first Parquet file (None if none)."""
    import pyarrow.parquet as pq

    files = sorted(p for p in _input_files(str(input)) if p.is_file())
    for path in files:
        try:
            return pq.read_schema(path)
        except Exception:  # not a Parquet file (metadata, a stray file)
            continue
    return None


def _stored_index(schema):
    """The names of the index pandas stored in a Parquet schema (unnamed
    ones are row numbering, as for the pandas engine)."""
    metadata = (schema.pandas_metadata if schema is not None else None) or {}
    names = [
        c.get("name") if isinstance(c, dict) else c  # a RangeIndex: its name
        for c in metadata.get("index_columns", [])
    ]
    return [n for n in names if n and not n.startswith("__index_level_")]


def _text_types(schema):
    """The input's string column types, which dask would write as
    large_string: the output keeps them (an override for to_parquet)."""
    import pyarrow as pa

    if schema is None:
        return {}
    names = schema.names
    return {
        f.name: f.type
        for f in schema
        if names.count(f.name) == 1 and pa.types.is_string(f.type)
    }


def _refuse_binary(schema):
    """Dask cannot write the binary columns it reads (its placeholder rows
    for object columns have no Parquet type): refuse before any work."""
    import pyarrow as pa

    binary = [
        f"{f.name!r} ({f.type})"
        for f in (schema if schema is not None else [])
        if pa.types.is_binary(f.type)
        or pa.types.is_large_binary(f.type)
        or pa.types.is_fixed_size_binary(f.type)
    ]
    if binary:
        raise ValueError(
            f"column(s) {', '.join(binary)} hold binary values, which the dask "
            "engine cannot write back to Parquet. Use --engine pandas, or "
            "store them as text or drop them."
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
    for path in inputs:  # the output folder is replaced whole on success
        if path.is_relative_to(target) or target.is_relative_to(path):
            raise ValueError(
                f"the output folder {str(output)!r} must not hold the input, be "
                f"the input or lie inside it (input {text!r}). Choose a folder "
                "outside the input's."
            )
    return output


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
        A Parquet file, a folder of Parquet files, or a glob.
    output : str or path-like
        Folder to write (replaced on success when it exists).
    target : str
        Name of the class label column.
    method : {'smote', 'random'}, default='smote'
        The sampler (the dask engine has no SMOTENC: ``'smotenc'`` is
        refused).
    k_neighbors : int or None, default=None
        Neighbours for SMOTE (None means 5).
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
    import dask.dataframe as dd

    import smotekit.dask

    from .._data import NonNumericFeaturesError
    from .resample import build_sampler, match_labels, refuse_times

    if method not in DASK_METHODS:
        known = " and ".join(DASK_METHODS)
        raise ValueError(
            f"--method {method} is not available with --engine dask (it has "
            f"{known}); use the pandas engine for it."
        )
    output = _check_paths(input, output)
    schema = _first_schema(input)
    _refuse_binary(schema)
    stored = _stored_index(schema)
    if stored:
        raise ValueError(
            f"the input stores an index ({stored[0]!r}), which the dask engine "
            "does not keep; write the files without it (df.reset_index()) or "
            "use --engine pandas."
        )
    with _client(scheduler):
        frame = dd.read_parquet(str(input))
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
            sampling_strategy=sampling_strategy,
            random_state=random_state,
            n_jobs=n_jobs,
        ).get_params(deep=False)
        sampler = getattr(smotekit.dask, DASK_METHODS[method])(
            **params, memory_budget=memory_budget
        )
        if method == "smote":
            refuse_times(frame._meta.drop(columns=[target]), method, _PANDAS_SMOTENC)
        try:
            out, _ = sampler.fit_resample(frame, target)
        except NonNumericFeaturesError as exc:
            raise NonNumericFeaturesError(
                f"{exc} On the command line: {_PANDAS_SMOTENC}, or --method "
                "random (copies rows)."
            ) from None
        out = out.map_partitions(_reset_index, meta=frame._meta.reset_index(drop=True))
        tmp = output.parent / f".{output.name}.partial-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        try:
            # zero-padded names: readers that sort file names (pandas,
            # pyarrow) then read the partitions in order
            out.to_parquet(
                str(tmp),
                write_index=False,
                name_function=_part_name,
                schema=_text_types(schema),
            )
            if output.exists():
                old = output.parent / f".{output.name}.old-{os.getpid()}"
                output.rename(old)
                tmp.rename(output)
                shutil.rmtree(old, ignore_errors=True)
            else:
                tmp.rename(output)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    before = dict(sampler.class_counts_)
    after = {c: n + sampler.sampling_strategy_.get(c, 0) for c, n in before.items()}
    return before, after
