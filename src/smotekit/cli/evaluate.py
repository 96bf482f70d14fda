"""``smotekit evaluate``: compare imbalance strategies on a table, write a report.

:func:`evaluate_file` does the work (file → comparison → HTML + JSON report);
the command parses the arguments, shows progress and prints the summary.
"""

import argparse
import contextlib
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

from ..exceptions import StrategyFailedWarning
from ._io import (
    FORMATS,
    check_input_path,
    n_jobs_int,
    non_finite_features,
    positive_int,
    read_table,
    require_engine,
    seed_int,
    table_format,
)
from .resample import split_table

__all__ = [
    "MODEL_HELP",
    "STRATEGY_NAMES",
    "EvaluateResult",
    "add_common_options",
    "add_parser",
    "evaluate_file",
    "parse_tune_threshold",
    "print_summary",
    "report_paths",
    "run",
]

#: ``--model`` choices (kept here so ``--help`` needs no scikit-learn import;
#: a test checks they match :data:`smotekit.evaluation.MODELS`).
MODEL_HELP = {
    "logreg": "scaled logistic regression (default)",
    "rf": "random forest, 200 trees",
    "hgb": "histogram gradient boosting",
    "svm": "scaled RBF support vector machine",
    "knn": "scaled 5-nearest-neighbours",
}
#: Strategy names, as :data:`smotekit.evaluation.STRATEGIES` (checked by a test).
STRATEGY_NAMES = (
    "none",
    "class_weight",
    "random_over",
    "random_under",
    "smote",
    "borderline1",
    "borderline2",
    "adasyn",
    "svm_smote",
    "kmeans_smote",
    "smote_enn",
    "smote_tomek",
)

#: Columns of the summary printed on the terminal.
SUMMARY_METRICS = ("recall", "precision", "f1", "pr_auc", "balanced_accuracy")

_EPILOG = """\
examples:
  smotekit evaluate train.csv --target label -o report.html
  smotekit evaluate train.parquet --target fraud --model rf \\
      --strategies none,class_weight,smote,random_under --cv 5 --repeats 3 \\
      --tune-threshold -o fraud_report.html
  smotekit evaluate train.csv --target label --tune-threshold none,smote \\
      --random-state 0 --quiet -o report.html

Every strategy is fitted on the same training folds; the held-out folds are
never resampled. Scores are those of the minority class (macro averages for
more than two classes). The JSON file (default: the report's name with .json)
holds the same numbers. Features must be numeric without missing values:
one-hot encode categories first.
"""


@dataclass(frozen=True)
class EvaluateResult:
    """What :func:`evaluate_file` did.

    Attributes
    ----------
    comparison : ComparisonResult
        The comparison.
    html : Path
        The HTML report written.
    json : Path
        The JSON file written.
    """

    comparison: object
    html: Path
    json: Path


def report_paths(output, json_output=None):
    """Check the report's file names; return ``(html_path, json_path)``.

    Parameters
    ----------
    output : str or path-like
        The HTML file; it must end in ``.html`` or ``.htm``.
    json_output : str or path-like, default=None
        The JSON file; default: ``output`` with the ``.json`` extension.

    Returns
    -------
    html_path, json_path : Path
        The two destinations.

    Raises
    ------
    ValueError
        For a wrong extension or the same file twice.
    FileNotFoundError
        If a destination folder does not exist.
    """
    from ..evaluation._report import check_report_path

    html_path = Path(output)
    if html_path.suffix.lower() not in (".html", ".htm"):
        raise ValueError(
            f"the report '{html_path}' must be an .html file (-o report.html)."
        )
    json_path = (
        html_path.with_suffix(".json") if json_output is None else Path(json_output)
    )
    if json_path.suffix.lower() != ".json":
        raise ValueError(f"the JSON output '{json_path}' must end in .json.")
    check_report_path(html_path)
    check_report_path(json_path)
    return html_path, json_path


def parse_tune_threshold(text):
    """``--tune-threshold`` value → ``tune_threshold`` of the comparison.

    Parameters
    ----------
    text : str or None
        None (option absent), ``'all'`` or a comma-separated list of names.

    Returns
    -------
    value : bool or list of str
        False, True or the names.

    Examples
    --------
    >>> parse_tune_threshold("none, smote")
    ['none', 'smote']
    """
    if text is None:
        return False
    if text.strip().lower() == "all":
        return True
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise ValueError("--tune-threshold needs 'all' or strategy names.")
    return names


def evaluate_file(
    data,
    output,
    *,
    target,
    json_output=None,
    model="logreg",
    strategies=None,
    cv=5,
    n_repeats=2,
    tune_threshold=False,
    random_state=None,
    n_jobs=None,
    title=None,
    progress=False,
):
    """Compare strategies on a CSV or Parquet table and write the report.

    Parameters
    ----------
    data : str or path-like
        ``.csv``, ``.parquet`` or ``.pq`` file with the features and a label
        column.
    output : str or path-like
        HTML report to write (atomically, with the JSON file).
    target : str
        Label column.
    json_output : str or path-like, default=None
        JSON file; default: ``output`` with ``.json``.
    model : str, default='logreg'
        A name from :data:`smotekit.evaluation.MODELS`.
    strategies : None, str or list of str, default=None
        As in :func:`~smotekit.evaluation.compare_strategies`.
    cv, n_repeats : int, default=5, 2
        Stratified folds and repeats.
    tune_threshold : bool or list of str, default=False
        As in :func:`~smotekit.evaluation.compare_strategies`.
    random_state : int or None, default=None
        Seed of folds, samplers and model.
    n_jobs : int or None, default=None
        Parallel fits.
    title : str, default=None
        Heading of the report; default: the file's name.
    progress : bool, default=False
        Show a progress bar on stderr.

    Returns
    -------
    result : EvaluateResult
        The comparison and the files written.

    Raises
    ------
    ValueError
        For a missing target column, non-numeric features, a class with too
        few rows for the folds, or an unknown model or strategy. Nothing is
        written then.
    """
    from ..evaluation import compare_strategies, make_model, write_report
    from ..evaluation._plots import require_matplotlib

    html_path, json_path = report_paths(output, json_output)
    require_matplotlib()  # before the comparison, not after it
    require_engine(table_format(data, "input"))
    check_input_path(data)
    model_estimator = make_model(model, random_state=random_state, n_jobs=n_jobs)
    frame = read_table(data)
    X, y = split_table(frame, target)
    comparison = compare_strategies(
        X,
        y,
        model=model_estimator,
        strategies=strategies,
        cv=cv,
        n_repeats=n_repeats,
        tune_threshold=tune_threshold,
        random_state=random_state,
        n_jobs=n_jobs,
        progress=progress,
    )
    write_report(
        comparison, html_path, json_path=json_path, title=title or Path(data).name
    )
    return EvaluateResult(comparison=comparison, html=html_path, json=json_path)


def print_summary(result, file=None):
    """Print the summary table, the notes and where the report is.

    Parameters
    ----------
    result : EvaluateResult
        From :func:`evaluate_file`.
    file : file-like, default=None
        Where to print; default stdout.
    """
    comparison = result.comparison
    scope = (
        f"class {comparison.minority_class!r}"
        if comparison.averaging == "minority"
        else "macro average"
    )
    print(f"scores ({scope}, mean ± std over held-out folds):", file=file)
    print(comparison.format_table(SUMMARY_METRICS), file=file)
    best = comparison.best("pr_auc")
    print(f"best PR AUC: {comparison.labels[best]}", file=file)
    for note in comparison.notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"report: {result.html}", file=file)
    print(f"numbers: {result.json}", file=file)


def _folds(text):
    value = positive_int(text)
    if value < 2:
        raise argparse.ArgumentTypeError(f"needs at least 2 folds, got {value}")
    return value


def add_common_options(parser, *, cv=5, repeats=2):
    """Options shared by ``evaluate`` and ``demo``.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The sub-command's parser.
    cv, repeats : int
        Defaults of ``--cv`` and ``--repeats``.
    """
    parser.add_argument(
        "--model",
        choices=list(MODEL_HELP),
        default="logreg",
        help="classifier used by every strategy: "
        + "; ".join(f"{name} = {desc}" for name, desc in MODEL_HELP.items()),
    )
    parser.add_argument(
        "--cv",
        type=_folds,
        default=cv,
        metavar="K",
        help=f"stratified folds (default: {cv})",
    )
    parser.add_argument(
        "--repeats",
        type=positive_int,
        default=repeats,
        metavar="N",
        help=f"times the folds are reshuffled and repeated (default: {repeats})",
    )
    parser.add_argument(
        "--random-state",
        type=seed_int,
        default=0,
        metavar="SEED",
        help="seed of the folds, samplers and model (default: 0)",
    )
    parser.add_argument(
        "--n-jobs",
        type=n_jobs_int,
        default=None,
        metavar="N",
        help="fits run in parallel (-1: all cores; default: one at a time)",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress bar and no summary; errors still go to stderr",
    )


@contextlib.contextmanager
def errors_as_options():
    """Errors of the comparison's parameters (``cv``, ``tune_threshold``)
    raised inside, named as the command line's options; missing feature values
    told as cells of the file."""
    from .._data import NonFiniteFeaturesError
    from ..evaluation import FoldsTooManyError, UnknownTunedStrategyError

    try:
        yield
    except NonFiniteFeaturesError as exc:
        raise non_finite_features(exc, who="the compared models") from None
    except FoldsTooManyError as exc:
        raise FoldsTooManyError(exc.label, exc.count, exc.n_splits, "--cv") from None
    except UnknownTunedStrategyError as exc:
        raise UnknownTunedStrategyError(
            exc.name, exc.known, "--tune-threshold"
        ) from None


def run(args):
    """Run ``smotekit evaluate`` from parsed arguments; return the exit code."""
    with warnings.catch_warnings(), errors_as_options():
        warnings.simplefilter("ignore", StrategyFailedWarning)
        result = evaluate_file(
            args.data,
            args.output,
            target=args.target,
            json_output=args.json,
            model=args.model,
            strategies=args.strategies,
            cv=args.cv,
            n_repeats=args.repeats,
            tune_threshold=parse_tune_threshold(args.tune_threshold),
            random_state=args.random_state,
            n_jobs=args.n_jobs,
            title=args.title,
            progress=not args.quiet,
        )
    if not args.quiet:
        print_summary(result)
    return 0


class _TuneThresholdAction(argparse.Action):
    """Store ``--tune-threshold``'s list; refuse a data file as the list.

    The option's value is optional, so ``--tune-threshold train.csv`` (the
    option before the data file) would take the file for the list of
    strategies and then report the data file missing.
    """

    def __call__(self, parser, namespace, values, option_string=None):
        if isinstance(values, str) and Path(values).suffix.lower() in FORMATS:
            parser.error(
                f"{option_string} took {values!r} for its list of strategies. "
                f"Put {option_string} after the data file, or give it a value "
                f"({option_string} all)."
            )
        setattr(namespace, self.dest, values)


def add_parser(subparsers):
    """Register ``evaluate`` on the ``smotekit`` sub-command parsers."""
    parser = subparsers.add_parser(
        "evaluate",
        help="compare imbalance strategies by cross-validation, write a report",
        description=(
            "Compare ways of handling class imbalance (no resampling, class\n"
            "weights, random over/under-sampling, SMOTE variants, optionally\n"
            "with a tuned decision threshold) by repeated stratified\n"
            "cross-validation, and write an HTML report and a JSON file."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "data", metavar="DATA", help=".csv, .parquet or .pq file with a label column"
    )
    parser.add_argument(
        "--target", required=True, metavar="COL", help="class label column"
    )
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="REPORT",
        help="HTML report to write (.html)",
    )
    parser.add_argument(
        "--json",
        default=None,
        metavar="FILE",
        help="JSON file with the numbers (default: REPORT with .json)",
    )
    parser.add_argument(
        "--strategies",
        default=None,
        metavar="LIST",
        help=(
            "comma-separated strategies among: "
            + ", ".join(STRATEGY_NAMES)
            + " (default: all but borderline2 and the combinations, when "
            "available)"
        ),
    )
    parser.add_argument(
        "--tune-threshold",
        action=_TuneThresholdAction,
        nargs="?",
        const="all",
        default=None,
        metavar="LIST",
        help=(
            "also run strategies with a decision threshold tuned on the "
            "training folds: all of them (no value) or a comma-separated list"
        ),
    )
    parser.add_argument(
        "--title", default=None, help="heading of the report (default: file name)"
    )
    add_common_options(parser)
    parser.set_defaults(handler=run)
    return parser
