"""Tables in and out of files: format from the extension, atomic writes.

CSV goes through pandas' defaults. Parquet goes through pyarrow, an optional
dependency (``pip install "smotekit[parquet]"``) imported only when a Parquet
file is read or written.
"""

import argparse
import contextlib
import importlib
import os
import re
import secrets
import stat
import sys
import warnings
from pathlib import Path

from .._files import name_part

__all__ = [
    "FORMATS",
    "NeighbourRoom",
    "OutOfMemoryError",
    "all_support_vectors_noise",
    "check_input_path",
    "check_output_path",
    "class_too_small",
    "format_bytes",
    "format_counts",
    "n_jobs_int",
    "no_seeds",
    "positive_int",
    "read_table",
    "refuse_repeated_for_parquet",
    "require_engine",
    "seed_int",
    "table_format",
    "too_few_rows",
    "warnings_told",
    "write_table",
]


class OutOfMemoryError(MemoryError):
    """Memory ran out, with a message saying what was asked and how to ask
    for less (the command line prints it as its error line)."""


def class_too_small(exc, room=None):
    """The command line's error for a :class:`~smotekit._neighbors.
    ClassTooSmallError`: the same facts, told in its options (with
    ``room``, a :class:`NeighbourRoom` of the run, values that fit every
    class to over-sample).

    Examples
    --------
    >>> from smotekit._neighbors import ClassTooSmallError
    >>> str(class_too_small(ClassTooSmallError("", n_class=3, k=5, cls="y")))[:60]
    "class 'y' has 3 row(s), too few for --k-neighbors 5 (a class"
    """
    if room is not None:
        ways = room.ways_out(told=exc.cls)
    else:
        ways = [f"--k-neighbors {exc.n_class - 1} or less"] * (exc.n_class > 1)
        ways.append("--method random (copies rows)")
    ways.append("leave the class out of --sampling-strategy")
    return ValueError(
        f"class {exc.cls!r} has {exc.n_class} row(s), too few for "
        f"--k-neighbors {exc.k} (a class to over-sample needs k + 1 rows: "
        f"the row and its k neighbours). Use {', or '.join(ways)}."
    )


#: The methods whose danger test looks for ``--m-neighbors`` among all rows.
_DANGER_METHODS = ("borderline1", "borderline2", "svm_smote")


class NeighbourRoom:
    """How many neighbours a run's rows leave its options, for the ways out
    of a refusal of too many: values that the next run accepts.

    ``--k-neighbors`` must leave each class to over-sample k + 1 rows (the
    interpolation, and ADASYN's weights among all rows, which the class
    holds to fewer); Borderline-2 takes them among all rows instead, as the
    danger test takes ``--m-neighbors``: the table must hold k + 1 rows.

    Parameters
    ----------
    method : str
        The ``--method``.
    sampler : estimator
        The sampler that refused, fitted up to its sampling targets
        (``sampling_strategy_``).
    class_counts : mapping
        Rows of each class of the table.
    given : dict
        ``{option: value}`` of the options the command line was given that
        another method may refuse (``--k-neighbors``, ``--m-neighbors``,
        ``--n-jobs``, ``--categorical``), None when not given.

    Examples
    --------
    >>> from smotekit import ADASYN
    >>> sampler = ADASYN(n_neighbors=20)
    >>> sampler.sampling_strategy_ = {1: 4, 2: 5}
    >>> room = NeighbourRoom("adasyn", sampler, {0: 8, 1: 4, 2: 3},
    ...                      {"--k-neighbors": 20})
    >>> room.ways_out()  # doctest: +NORMALIZE_WHITESPACE
    ['--k-neighbors 2 or less (class 2 has 3 rows: each class to over-sample
    needs k + 1)', '--method random (copies rows; drop --k-neighbors)']
    """

    def __init__(self, method, sampler, class_counts, given):
        self.method = method
        params = sampler.get_params(deep=False)
        self.asked = {
            "--k-neighbors": params.get(
                "n_neighbors" if method == "adasyn" else "k_neighbors"
            )
        }
        if method in _DANGER_METHODS:
            self.asked["--m-neighbors"] = params.get("m_neighbors")
        self.given = [option for option, value in given.items() if value is not None]
        self.n_rows = sum(class_counts.values())
        targets = getattr(sampler, "sampling_strategy_", None) or {}
        sizes = {c: class_counts[c] for c, n in targets.items() if n > 0}
        #: the smallest class to over-sample (None, with the table's rows,
        #: when none is known)
        self.smallest_class = min(sizes, key=sizes.get, default=None)
        self.smallest_rows = sizes.get(self.smallest_class, self.n_rows)

    def _limits(self):
        """``{option: most neighbours}`` of the options this run asks too
        many of."""
        limits = {
            "--k-neighbors": self.n_rows - 1
            if self.method == "borderline2"
            else self.smallest_rows - 1,
            "--m-neighbors": self.n_rows - 1,
        }
        return {
            option: limits[option]
            for option, asked in self.asked.items()
            if isinstance(asked, int) and asked > limits[option]
        }

    def _drop(self, options):
        return [option for option in self.given if option in options]

    def ways_out(self, told=None, first="--k-neighbors"):
        """The ways out of the refusal, as options (``told``: the class the
        error names already; ``first``: the option it names)."""
        over = self._limits()
        over = dict(sorted(over.items(), key=lambda item: item[0] != first))
        ways = []
        if over and min(over.values()) >= 1:
            fits = " and ".join(f"{opt} {most} or less" for opt, most in over.items())
            k_from_class = "--k-neighbors" in over and self.method != "borderline2"
            if k_from_class and self.smallest_class not in (None, told):
                fits += (
                    f" (class {self.smallest_class!r} has {self.smallest_rows} "
                    "rows: each class to over-sample needs k + 1)"
                )
            ways.append(fits)
        k, k_smote = self.asked["--k-neighbors"], self.smallest_rows - 1
        if "--m-neighbors" in over and k_smote >= 1:
            # SMOTE has no danger test: its neighbours are the class's
            smote = "--method smote"
            if isinstance(k, int) and k > k_smote:
                smote += f" with --k-neighbors {k_smote} or less"
            drop = self._drop(("--m-neighbors", "--categorical"))
            ways.append(smote + (f" (dropping {' and '.join(drop)})" if drop else ""))
        else:
            drop = self._drop(
                ("--k-neighbors", "--m-neighbors", "--n-jobs", "--categorical")
            )
            ways.append(
                "--method random (copies rows"
                + (f"; drop {' and '.join(drop)}" if drop else "")
                + ")"
            )
        return ways


@contextlib.contextmanager
def warnings_told(quiet=False):
    """Show smotekit's warnings as ``smotekit: warning: ...`` lines on stderr
    (none when ``quiet``), their advice in the command line's options; other
    warnings are shown as Python shows them.

    smotekit's warnings are shown when the block ends without an error: a
    refused run prints its error line alone, not the warnings of work whose
    output was never written.

    Examples
    --------
    >>> import sys, warnings
    >>> from smotekit.exceptions import SmotekitWarning
    >>> sys.stderr = sys.stdout  # for the example
    >>> with warnings_told():
    ...     warnings.warn("Use SMOTE for this class, or change m_neighbors.",
    ...                   SmotekitWarning)
    smotekit: warning: Use --method smote for this class, or change --m-neighbors.
    >>> sys.stderr = sys.__stderr__
    """
    from ..exceptions import SmotekitWarning

    with warnings.catch_warnings():
        # the command decides how its warnings are shown, whatever the filters
        warnings.simplefilter("default", SmotekitWarning)
        python_shows = warnings.showwarning
        held = []

        def show(message, category, filename, lineno, file=None, line=None):
            if not issubclass(category, SmotekitWarning):
                python_shows(message, category, filename, lineno, file, line)
            elif not quiet:
                text = " ".join(str(message).split())
                for said, option in _WARNING_ADVICE:
                    text = text.replace(said, option)
                held.append(f"smotekit: warning: {text}")

        warnings.showwarning = show
        yield
        for text in held:
            print(text, file=sys.stderr)


#: The advice of smotekit's warnings, and how the command line gives it.
_WARNING_ADVICE = (
    ("Use SMOTE for this class", "Use --method smote for this class"),
    ("change m_neighbors", "change --m-neighbors"),
)


def too_few_rows(exc, sampler, room=None):
    """The command line's error for a :class:`~smotekit._neighbors.
    TooFewSamplesError` of ``sampler``: a table with fewer rows than a
    search among all rows asks, told in its options (with ``room``, a
    :class:`NeighbourRoom` of the run, values that fit every class to
    over-sample too).

    Examples
    --------
    >>> from smotekit import BorderlineSMOTE
    >>> from smotekit._neighbors import TooFewSamplesError
    >>> exc = TooFewSamplesError("", n_samples=8, k=10, param_name="m_neighbors")
    >>> print(too_few_rows(exc, BorderlineSMOTE()))  # doctest: +NORMALIZE_WHITESPACE
    the table has 8 rows, too few for --m-neighbors 10 (BorderlineSMOTE looks
    for 10 neighbours of each row among all rows). Use --m-neighbors 7 or
    less, or --method smote.
    """
    option = "--m-neighbors" if exc.param_name == "m_neighbors" else "--k-neighbors"
    if room is not None:
        ways = room.ways_out(first=option)
    else:
        ways = [f"{option} {exc.n_samples - 1} or less"] * (exc.n_samples > 1)
        ways.append("--method smote")
    return ValueError(
        f"the table has {exc.n_samples} rows, too few for {option} {exc.k} "
        f"({type(sampler).__name__} looks for {exc.k} neighbours of each row "
        f"among all rows). Use {', or '.join(ways)}."
    )


#: ``--method`` value → the sampler parameter, and its option, that
#: :func:`no_seeds` names as a way to find seeds.
_SEED_PARAMETER = {
    "adasyn": ("n_neighbors", "--k-neighbors"),
    "kmeans_smote": ("k_neighbors", "--k-neighbors"),
    "svm_smote": ("m_neighbors", "--m-neighbors"),
}


def no_seeds(exc, method):
    """The command line's error for a class that ``--method adasyn`` cannot
    weight, ``--method kmeans_smote`` finds no cluster for, or whose support
    vectors ``--method svm_smote`` all finds to be noise: the sampler's
    reason, then the ways out in options.

    Parameters
    ----------
    exc : Exception
        The sampler's error (its message names the sampler's parameters).
    method : {'adasyn', 'kmeans_smote', 'svm_smote'}
        The ``--method`` that raised it.

    Returns
    -------
    error : ValueError
        The error to print, naming the option of the parameter.

    Examples
    --------
    >>> exc = RuntimeError("ADASYN cannot weight class 1: ...")
    >>> print(no_seeds(exc, "adasyn"))  # doctest: +NORMALIZE_WHITESPACE
    ADASYN cannot weight class 1: ... On the command line its n_neighbors is
    --k-neighbors; --method smote or --method random take the class as it is.
    """
    param, option = _SEED_PARAMETER[method]
    also = (
        " Its clusters and their threshold are no options here."
        if method == "kmeans_smote"
        else ""
    )
    return ValueError(
        f"{exc}{also} On the command line its {param} is {option}; "
        "--method smote or --method random take the class as it is."
    )


def all_support_vectors_noise(exc):
    """Whether ``exc`` is SVMSMOTE's refusal of a class whose support vectors
    all have only other classes among their ``m_neighbors`` (a ValueError
    known by its text, as imbalanced-learn words it).

    Examples
    --------
    >>> all_support_vectors_noise(ValueError("All support vectors are "
    ...                                      "considered as noise: ..."))
    True
    """
    return isinstance(exc, ValueError) and str(exc).startswith(
        "All support vectors are considered as noise"
    )


def non_finite_features(exc, fix="", who=None):
    """The command line's error for a :class:`~smotekit._data.
    NonFiniteFeaturesError`: where the cells are and how to fix the file
    (``fix``: a further way out, as a sentence ending in a full stop; ``who``:
    what refuses them, default the sampler that did).

    Examples
    --------
    >>> from smotekit._data import non_finite_error
    >>> exc = non_finite_error("SMOTE", "1 NaN value(s) (first at row 3, column 2)")
    >>> print(non_finite_features(exc))  # doctest: +NORMALIZE_WHITESPACE
    the feature columns hold 1 NaN value(s) (first at data row 3 counting from
    0, column 2), and SMOTE cannot use missing or infinite values. Fill or drop
    those cells (or their rows) in the file first.
    """
    # rows of the table, not lines of the file
    what = re.sub(r"at row (\d+),", r"at data row \1 counting from 0,", exc.what)
    text = (
        f"the feature columns hold {what}, and "
        f"{who or exc.sampler_name} cannot use missing or infinite values. Fill "
        "or drop those cells (or their rows) in the file first."
    )
    return ValueError(f"{text} {fix}" if fix else text)


def format_bytes(n):
    """A size in bytes as a short text in powers of 1024.

    Examples
    --------
    >>> format_bytes(512), format_bytes(3 * 2**20), format_bytes(160 * 10**9)
    ('512 bytes', '3.0 MiB', '149.0 GiB')
    """
    if n < 1024:
        return f"{int(n)} bytes"
    for unit in ("KiB", "MiB", "GiB", "TiB", "PiB", "EiB"):
        n /= 1024
        if n < 1024 or unit == "EiB":
            break
    return f"{n:.1f} {unit}"


def _integer(text):
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None


def n_jobs_int(text):
    """``argparse`` type: a thread count, any integer but 0.

    Examples
    --------
    >>> n_jobs_int("-1")
    -1
    """
    value = _integer(text)
    if value == 0:
        raise argparse.ArgumentTypeError(
            "0 threads cannot run anything; use -1 for every CPU or a positive count"
        )
    return value


def seed_int(text):
    """``argparse`` type: a seed, an integer from 0 to 2**32 - 1.

    Examples
    --------
    >>> seed_int("42")
    42
    """
    value = _integer(text)
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(
            f"a seed is an integer from 0 to {2**32 - 1}; got {value}"
        )
    return value


def positive_int(text):
    """``argparse`` type: an integer of at least 1, with a clear message.

    Examples
    --------
    >>> positive_int("3")
    3
    """
    value = _integer(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


#: File extension → table format.
FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}

_PARQUET_HINT = (
    "Parquet files need the optional 'pyarrow' package; install it with: "
    'pip install "smotekit[parquet]"'
)


def table_format(path, role="input"):
    """Return ``'csv'`` or ``'parquet'`` from the extension of ``path``.

    Parameters
    ----------
    path : str or path-like
        A file name.
    role : str, default="input"
        What the file is, for the error message (``'input'``, ``'output'``).

    Returns
    -------
    fmt : {'csv', 'parquet'}
        The table format.

    Raises
    ------
    ValueError
        If the extension is not one of :data:`FORMATS`.

    Examples
    --------
    >>> table_format("train.PQ")
    'parquet'
    """
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        known = ", ".join(FORMATS)
        got = f"'{suffix}'" if suffix else "no extension"
        raise ValueError(
            f"cannot tell the format of {role} file '{path}' from its extension "
            f"({got}); use one of {known}."
        )
    return FORMATS[suffix]


def require_engine(fmt):
    """Raise an ImportError naming the extra to install if ``fmt`` cannot work.

    Parameters
    ----------
    fmt : {'csv', 'parquet'}
        A table format from :func:`table_format`.
    """
    if fmt != "parquet":
        return
    try:
        importlib.import_module("pyarrow")
    except ImportError as exc:
        raise ImportError(_PARQUET_HINT) from exc


def check_input_path(path):
    """Raise FileNotFoundError unless ``path`` is an existing regular file."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"input file '{path}' does not exist.")
    if not path.is_file():
        raise IsADirectoryError(f"input '{path}' is not a file.")


def _same_file(first, second):
    if first.resolve() == second.resolve():
        return True
    try:
        return os.path.samefile(first, second)
    except OSError:
        return False


def check_output_path(output, inputs=()):
    """Check that ``output`` can be written and would not replace an input.

    Parameters
    ----------
    output : str or path-like
        The file to write.
    inputs : sequence of path-like, default=()
        Files that must not be overwritten.

    Raises
    ------
    ValueError
        If ``output`` is one of ``inputs`` (also through a link).
    FileNotFoundError
        If the folder of ``output`` does not exist.
    IsADirectoryError
        If ``output`` is a directory.
    PermissionError
        If no file can be created in its folder (a read-only one).
    """
    output = Path(output)
    for source in inputs:
        if _same_file(Path(source), output):
            raise ValueError(
                f"refusing to overwrite the input file '{source}' with the output; "
                "choose another output file name (-o)."
            )
    folder = output.parent
    if not folder.is_dir():
        raise FileNotFoundError(f"output folder '{folder}' does not exist.")
    if output.is_dir():
        raise IsADirectoryError(f"output '{output}' is a directory, not a file.")
    check_folder_takes_files(folder, output.name)


def check_folder_takes_files(folder, name):
    """Raise PermissionError unless a file can be created in ``folder`` (the
    output is written beside its place first, under a name made from
    ``name``): told before any work, not after it."""
    try:
        _remove_quietly(_create_temp(folder, name))
    except OSError as exc:
        raise PermissionError(
            f"output folder '{folder}' cannot hold new files "
            f"({exc.strerror or exc}). Choose another folder for -o."
        ) from None


def _read_csv(path):
    from ._csv import read_csv

    return read_csv(path)


def _read_parquet(path):
    """The file's table as pandas reads it, except that an integer or bool
    column holding nulls becomes a nullable pandas column (Int32, boolean...)
    instead of float64 or object: the samplers then round its synthetic
    values, and it is written back in its own type."""
    import pandas as pd
    import pyarrow.parquet as pq

    # one file is read as such: the dataset reader refuses repeated names
    path = Path(path)
    table = pq.ParquetFile(path).read() if path.is_file() else pq.read_table(path)
    frame = table.to_pandas()
    names = list(frame.columns)
    for i, field in enumerate(table.schema):
        nullable = _NULLABLE.get(str(field.type))
        if nullable is None or names.count(field.name) != 1:
            continue
        column = table.column(i)
        if column.null_count == 0:
            continue
        values = pd.api.types.pandas_dtype(nullable).__from_arrow__(column)
        frame[field.name] = pd.Series(values, index=frame.index, name=field.name)
    return frame


#: pandas' nullable dtype of each arrow integer and bool type.
_NULLABLE = {
    **{f"int{b}": f"Int{b}" for b in (8, 16, 32, 64)},
    **{f"uint{b}": f"UInt{b}" for b in (8, 16, 32, 64)},
    "bool": "boolean",
}


def refuse_repeated_for_parquet(columns):
    """Refuse column names a Parquet file cannot hold: repeated ones."""
    import pandas as pd

    names = pd.Index(columns)
    if not names.is_unique:
        repeated = ", ".join(map(repr, names[names.duplicated()].unique()[:5]))
        raise ValueError(
            f"the output is Parquet, which cannot hold repeated column names "
            f"({repeated}); rename them, or write CSV (-o with a .csv name)."
        )


def parquet_schema(path):
    """The arrow schema of a Parquet file (for :func:`write_table`'s
    ``like``)."""
    import pyarrow.parquet as pq

    return pq.read_schema(path)


def _write_csv(frame, path):
    from ._csv_writer import write_csv

    write_csv(frame, path)


def _write_parquet(frame, path, like=None):
    """Write ``frame``; each column that ``like`` (an input file's schema)
    names once gets that column's arrow type where its values convert
    exactly (decimal precision, dictionary index width, string kinds),
    pandas' own type otherwise."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    refuse_repeated_for_parquet(frame.columns)
    refused = (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError)
    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
    except refused as exc:
        if like is None:
            raise _not_writable(exc) from None
        # values pandas holds as Python objects (a map column's lists of
        # pairs) convert only to the type they were read from
        try:
            table = pa.Table.from_pandas(
                frame, schema=_schema_like(frame, like), preserve_index=False
            )
        except refused as again:
            raise _not_writable(again) from None
    if like is not None:
        names, ours = like.names, table.schema.names
        for i, field in enumerate(table.schema):
            if names.count(field.name) != 1 or ours.count(field.name) != 1:
                continue
            wanted = like.field(field.name).type
            if field.type == wanted:
                continue
            try:
                column = table.column(i).cast(wanted, safe=True)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError, TypeError):
                continue
            table = table.set_column(i, pa.field(field.name, wanted), column)
    pq.write_table(table, path)


def _schema_like(frame, like):
    """An arrow schema for ``frame``: each column's type in ``like`` where it
    names the column once, the type arrow gives its values otherwise."""
    import pyarrow as pa

    names = like.names
    fields = []
    for name, column in frame.items():
        if names.count(name) == 1:
            fields.append(like.field(name))
        else:
            fields.append(pa.field(name, pa.array(column, from_pandas=True).type))
    return pa.schema(fields)


def _not_writable(exc):
    """The error for a table pyarrow cannot convert to Parquet."""
    return ValueError(
        f"the output cannot be written as Parquet: {exc}. Write CSV (-o with a "
        ".csv name), or drop or convert that column."
    )


_READERS = {"csv": _read_csv, "parquet": _read_parquet}
_WRITERS = {"csv": _write_csv, "parquet": _write_parquet}


def read_table(path):
    """Read a CSV or Parquet file into a DataFrame.

    Parameters
    ----------
    path : str or path-like
        File to read; its extension gives the format.

    Returns
    -------
    frame : DataFrame
        The table (CSV with pandas' parsing but for the exceptions of
        :func:`smotekit.cli._csv.read_csv`, which keep the values as written,
        and a fresh RangeIndex; an index stored in a Parquet file is kept as
        its index).

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If the extension is unknown or the file cannot be parsed.
    ImportError
        For a Parquet file when pyarrow is not installed.
    """
    fmt = table_format(path, "input")
    require_engine(fmt)
    check_input_path(path)
    try:
        frame = _READERS[fmt](path)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"cannot read '{path}' as {fmt.upper()}: {exc}") from exc
    if has_stored_index(frame):
        return frame  # the index a Parquet file stores: the caller keeps it
    return frame.reset_index(drop=True)


def has_stored_index(frame):
    """Whether ``frame``'s index holds data: a named index (an unnamed one,
    such as pandas writes for a filtered frame, is row numbering).

    Examples
    --------
    >>> import pandas as pd
    >>> has_stored_index(pd.DataFrame({"a": [1]})), has_stored_index(
    ...     pd.DataFrame({"a": [1]}, index=pd.Index(["r0"], name="id")))
    (False, True)
    """
    return any(name is not None for name in frame.index.names)


def _create_temp(folder, name):
    """Create an empty file next to the target; the umask applies to it."""
    for _ in range(100):
        candidate = folder / f".{name_part(name)}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return candidate
    raise FileExistsError(f"could not create a temporary file in '{folder}'.")


def _remove_quietly(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def write_table(frame, path, like=None):
    """Write ``frame`` to ``path`` atomically, without its index.

    The table is written to a temporary file in the same folder, which then
    replaces ``path`` in one step. If anything fails, the temporary file is
    removed and an existing ``path`` is left as it was. A file replaced
    keeps its permissions; a link is followed (the file it points to is
    replaced, the link kept).

    Parameters
    ----------
    frame : DataFrame
        The table to write.
    path : str or path-like
        Destination; its extension gives the format.
    like : pyarrow.Schema, default=None
        For a Parquet file, the schema of the input it was made from (see
        :func:`parquet_schema`): its columns keep their arrow types where the
        values convert exactly.

    Returns
    -------
    path : Path
        The file written.

    Raises
    ------
    ValueError
        If the extension is unknown.
    ImportError
        For a Parquet file when pyarrow is not installed.
    OSError
        If the file cannot be written.
    """
    path = Path(path)
    fmt = table_format(path, "output")
    require_engine(fmt)
    if path.is_symlink():  # the file it points to is replaced, the link kept
        path = path.resolve()
    check_output_path(path)
    temp = _create_temp(path.parent, path.name)
    try:
        if like is None:
            _WRITERS[fmt](frame, temp)
        else:
            _WRITERS[fmt](frame, temp, like)
        if path.exists():  # a file replaced keeps its permissions
            os.chmod(temp, stat.S_IMODE(os.stat(path).st_mode))
        os.replace(temp, path)
    except BaseException:
        _remove_quietly(temp)
        raise
    return path


def format_counts(columns, label="class"):
    """Lay out per-class counts as a small text table.

    Parameters
    ----------
    columns : dict of {str: dict}
        Column title → ``{class: count}``. Classes are taken from all columns,
        in the order first seen; a class missing from a column shows 0.
    label : str, default="class"
        Title of the first column.

    Returns
    -------
    table : str
        Lines separated by newlines, numbers right-aligned.

    Examples
    --------
    >>> print(format_counts({"before": {0: 90, 1: 10}, "after": {0: 90, 1: 90}}))
    class  before  after
    0          90     90
    1          10     90
    """
    classes = list(dict.fromkeys(c for counts in columns.values() for c in counts))
    rows = [[label, *columns]]
    rows += [
        [str(c), *(str(counts.get(c, 0)) for counts in columns.values())]
        for c in classes
    ]
    widths = [max(len(row[j]) for row in rows) for j in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [row[0].ljust(widths[0])]
        cells += [
            cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
