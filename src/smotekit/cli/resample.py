"""``smotekit resample``: over-sample a CSV or Parquet table into a new file.

The work is done by :func:`resample_file` (file → file) and
:func:`resample_frame` (DataFrame → DataFrame); the command only parses the
arguments and prints the class counts.
"""

import argparse
import difflib
import errno
import json
from dataclasses import dataclass
from pathlib import Path

from ._io import (
    NeighbourRoom,
    OutOfMemoryError,
    all_support_vectors_noise,
    check_input_path,
    check_output_path,
    class_too_small,
    format_bytes,
    format_counts,
    has_stored_index,
    n_jobs_int,
    no_seeds,
    non_finite_features,
    parquet_schema,
    positive_int,
    read_table,
    refuse_repeated_for_parquet,
    require_engine,
    seed_int,
    table_format,
    too_few_rows,
    warnings_told,
    write_table,
)

__all__ = [
    "METHODS",
    "ResampleResult",
    "add_parser",
    "build_sampler",
    "match_labels",
    "parse_sampling_strategy",
    "resample_file",
    "resample_frame",
    "run",
]

#: The way out of a refusal of missing feature values.
_COPIES_MISSING = "Or use --method random (copies rows, missing cells included)."

#: ``--method`` value → public sampler class name (imported on first use);
#: the names of the variants are those of ``smotekit evaluate --strategies``.
METHODS = {
    "smote": "SMOTE",
    "smotenc": "SMOTENC",
    "random": "RandomOverSampler",
    "borderline1": "BorderlineSMOTE",
    "borderline2": "BorderlineSMOTE",
    "adasyn": "ADASYN",
    "svm_smote": "SVMSMOTE",
    "kmeans_smote": "KMeansSMOTE",
}
#: Parameters a ``--method`` value fixes.
_FIXED = {
    "borderline1": {"kind": "borderline-1"},
    "borderline2": {"kind": "borderline-2"},
}
#: Methods that search neighbours (``--k-neighbors``, ``--n-jobs``).
_NEIGHBOUR_METHODS = tuple(m for m in METHODS if m != "random")
#: The sampler parameter ``--k-neighbors`` sets, where not ``k_neighbors``.
_K_PARAMETER = {"adasyn": "n_neighbors"}
#: Methods with a danger test among all rows (``--m-neighbors``).
_M_METHODS = ("borderline1", "borderline2", "svm_smote")

M_NEIGHBORS_NEEDS_DANGER = (
    "--m-neighbors applies only to --method borderline1, borderline2 or "
    "svm_smote (the neighbours among all rows of their danger test). Drop "
    "--m-neighbors, or use one of those methods."
)
CATEGORICAL_NEEDS_SMOTENC = (
    "--categorical applies only to --method smotenc (the other methods have "
    "no categorical columns: smote interpolates every feature, random copies "
    "rows). Add --method smotenc, or drop --categorical."
)

_EPILOG = """\
examples:
  smotekit resample train.csv -o train_smote.csv --target label
  smotekit resample train.parquet -o balanced.parquet --target label \\
      --sampling-strategy 0.5 --random-state 0
  smotekit resample train.csv -o out.csv --target label \\
      --sampling-strategy '{"fraud": 500}' --method random
  smotekit resample shops.csv -o shops_smotenc.csv --target label \\
      --method smotenc --categorical region_code --categorical product_id
  smotekit resample 'data/*.parquet' -o balanced/ --target label \\
      --engine dask --scheduler tcp://127.0.0.1:8786 --random-state 0

Original rows come first, unchanged and in order; synthetic rows follow.
SMOTE needs numeric features: with text or category columns use
--method smotenc (it finds them from their type, interpolates the numbers
and votes the categories; name numeric codes of categories with
--categorical), or --method random, which copies rows.
Resample training data only, never before splitting off a test set.
"""


@dataclass(frozen=True)
class ResampleResult:
    """What :func:`resample_file` did.

    Attributes
    ----------
    input : Path
        The file read.
    output : Path
        The file written.
    counts_before : dict
        ``{class: count}`` in the input.
    counts_after : dict
        ``{class: count}`` in the output.
    """

    input: Path
    output: Path
    counts_before: dict
    counts_after: dict

    @property
    def n_input(self):
        """Number of rows read."""
        return sum(self.counts_before.values())

    @property
    def n_output(self):
        """Number of rows written."""
        return sum(self.counts_after.values())

    @property
    def n_synthetic(self):
        """Number of synthetic rows added."""
        return self.n_output - self.n_input


def _once_each(pairs):
    """``json.loads``'s ``object_pairs_hook``: the object as a dict, refusing
    a key given twice (JSON keeps the last one, dropping the first count
    silently)."""
    counts = {}
    for key, count in pairs:
        if key in counts:
            raise ValueError(
                f"the sampling strategy names the class {key!r} twice; give each "
                "class once, with its final count."
            )
        counts[key] = count
    return counts


def parse_sampling_strategy(text):
    """Turn the text of ``--sampling-strategy`` into a sampler parameter.

    Parameters
    ----------
    text : str
        A float (``"0.5"``), a strategy name (``"auto"``, ``"minority"``,
        ``"not minority"``, ``"not majority"``, ``"all"``) or a JSON object of
        final class counts (``'{"1": 500}'``).

    Returns
    -------
    sampling_strategy : float, str or dict
        The parsed value. Dict keys stay strings; :func:`resample_frame` maps
        them to the target's labels.

    Raises
    ------
    ValueError
        If the text is none of these forms, a ratio outside (0, 1], an
        empty object or one naming a class twice.

    Examples
    --------
    >>> parse_sampling_strategy("0.5")
    0.5
    >>> parse_sampling_strategy("not majority")
    'not majority'
    >>> parse_sampling_strategy('{"fraud": 500}')
    {'fraud': 500}
    """
    from .._strategy import STRING_STRATEGIES

    value = text.strip()
    if value in STRING_STRATEGIES:
        return value
    if value.startswith("{"):
        try:
            counts = json.loads(value, object_pairs_hook=_once_each)
        except json.JSONDecodeError as exc:
            raise ValueError(
                f"the sampling strategy {text!r} is not a valid JSON object "
                f"({exc.msg}); write it like '{{\"1\": 500}}'."
            ) from exc
        if not counts:
            raise ValueError(
                f"the sampling strategy {text!r} names no class, so nothing "
                "would be resampled; give each class to grow with its final "
                "count, like '{\"1\": 500}'."
            )
        return counts
    try:
        ratio = float(value)
    except ValueError:
        pass
    else:
        if 0.0 < ratio <= 1.0:
            return ratio
        raise ValueError(
            f"the sampling strategy {text!r} is a ratio outside (0, 1]: a float "
            "is the size of the minority class over the majority's after "
            "resampling (1 balances them); for final counts give a JSON object "
            "such as '{\"1\": 500}'."
        )
    names = ", ".join(repr(s) for s in STRING_STRATEGIES)
    raise ValueError(
        f"the sampling strategy {text!r} is not understood; give a float such as "
        f"0.5 (binary targets), one of {names}, or a JSON object of final class "
        "counts such as '{\"1\": 500}'."
    )


def _match_label(key, labels):
    if key in labels:
        return key
    by_text = [label for label in labels if str(label) == str(key)]
    if len(by_text) == 1:
        return by_text[0]
    try:
        number = float(key)
    except (TypeError, ValueError):
        return key
    by_value = [
        label
        for label in labels
        if isinstance(label, (int, float)) and not isinstance(label, bool)
        if label == number
    ]
    return by_value[0] if len(by_value) == 1 else key


def match_labels(mapping, labels):
    """Map the keys of a ``{class: count}`` dict read from text to real labels.

    A key matches the label whose text is the same (``"1"`` → ``1``), or the
    numeric label of the same value (``"1"`` → ``1.0``). Keys that match
    nothing are kept, so the sampler reports them.

    Parameters
    ----------
    mapping : dict
        Class → final count, keys typically strings.
    labels : iterable
        The labels present in the target.

    Returns
    -------
    mapping : dict
        The same counts keyed by the matching labels.

    Examples
    --------
    >>> match_labels({"1": 90, "b": 5}, [0, 1, "b"])
    {1: 90, 'b': 5}
    """
    from .._strategy import python_scalar

    labels = [python_scalar(label) for label in labels]
    matched = {}
    for key, count in mapping.items():
        label = _match_label(key, labels)
        if label in matched:
            raise ValueError(
                f"--sampling-strategy names the class {label!r} twice (as "
                f"{matched[label][0]!r} and {key!r}); give each class once."
            )
        matched[label] = (key, count)
    return {label: count for label, (_, count) in matched.items()}


def build_sampler(
    method="smote",
    *,
    k_neighbors=None,
    m_neighbors=None,
    sampling_strategy="auto",
    random_state=None,
    n_jobs=None,
    categorical=None,
):
    """Create the sampler that ``--method`` names.

    Parameters
    ----------
    method : str, default='smote'
        A key of :data:`METHODS`: :class:`~smotekit.SMOTE`,
        :class:`~smotekit.SMOTENC` (categorical columns found from their
        dtypes: ``categorical_features='auto'``),
        :class:`~smotekit.RandomOverSampler`, or a variant under the name
        ``smotekit evaluate --strategies`` gives it: ``'borderline1'`` and
        ``'borderline2'`` (:class:`~smotekit.BorderlineSMOTE` of that kind),
        ``'adasyn'``, ``'svm_smote'``, ``'kmeans_smote'``.
    k_neighbors : int or None, default=None
        Neighbours of the interpolation (ADASYN's ``n_neighbors``); None
        keeps the sampler's default (5, KMeansSMOTE's 2). Not allowed with
        ``'random'``.
    m_neighbors : int or None, default=None
        Neighbours among all rows of the danger test of BorderlineSMOTE and
        SVMSMOTE (None: their default, 10). Allowed with those methods only.
    sampling_strategy : float, str or dict, default='auto'
        Passed to the sampler.
    random_state : int or None, default=None
        Seed, for reproducible output.
    n_jobs : int or None, default=None
        Threads of the neighbour search (None: as the environment allows,
        -1: every CPU). Not allowed with ``'random'``.
    categorical : list of int or None, default=None
        With ``'smotenc'``: positions of the categorical feature columns,
        in place of the detection from dtypes. Allowed with ``'smotenc'``
        only.

    Returns
    -------
    sampler : SMOTE, SMOTENC or RandomOverSampler
        The unfitted sampler.

    Raises
    ------
    ValueError
        If ``method`` is unknown, ``k_neighbors`` or ``n_jobs`` is given
        with ``'random'``, ``m_neighbors`` with a method without a danger
        test, or ``categorical`` with another method than ``'smotenc'``.

    Examples
    --------
    >>> build_sampler("smote", k_neighbors=3, random_state=0)
    SMOTE(k_neighbors=3, random_state=0)
    >>> build_sampler("smotenc", categorical=[0, 2], random_state=0)
    SMOTENC(categorical_features=[0, 2], random_state=0)
    """
    if method not in METHODS:
        known = ", ".join(repr(m) for m in METHODS)
        raise ValueError(f"unknown method {method!r}; use one of {known}.")
    if categorical is not None and method != "smotenc":
        raise ValueError(CATEGORICAL_NEEDS_SMOTENC)
    if m_neighbors is not None and method not in _M_METHODS:
        raise ValueError(M_NEIGHBORS_NEEDS_DANGER)
    params = {"sampling_strategy": sampling_strategy, "random_state": random_state}
    params.update(_FIXED.get(method, {}))
    if m_neighbors is not None:
        params["m_neighbors"] = m_neighbors
    if method in _NEIGHBOUR_METHODS:
        if k_neighbors is not None:
            params[_K_PARAMETER.get(method, "k_neighbors")] = k_neighbors
        if n_jobs is not None:
            params["n_jobs"] = n_jobs
        if method == "smotenc":
            params["categorical_features"] = (
                "auto" if categorical is None else list(categorical)
            )
    else:
        for given, option in ((k_neighbors, "--k-neighbors"), (n_jobs, "--n-jobs")):
            if given is not None:
                raise ValueError(
                    f"{option} applies only to the methods that interpolate "
                    "between neighbours; random over-sampling copies rows and "
                    f"uses no neighbours. Drop {option}."
                )
    import smotekit

    return getattr(smotekit, METHODS[method])(**params)


def _class_counts(y):
    from .._strategy import python_scalar

    counts = y.value_counts(sort=False, dropna=False)
    counts = counts[counts > 0]  # a category without rows is not a class
    try:
        counts = counts.sort_index()
    except TypeError:
        pass
    return {python_scalar(label): int(n) for label, n in counts.items()}


#: What pandas' ``infer_dtype`` calls a column of Python dates, times or
#: durations (how Parquet's date32 and time64 columns are read).
_OBJECT_TIMES = frozenset({"date", "datetime", "time", "timedelta", "period"})


def _time_kind(column, dtype):
    """The dtype of a column of dates, times or durations, as shown (None
    for other columns)."""
    import pandas as pd

    if (
        pd.api.types.is_datetime64_any_dtype(dtype)
        or pd.api.types.is_timedelta64_dtype(dtype)
        or isinstance(dtype, pd.PeriodDtype)
    ):
        return str(dtype)
    if pd.api.types.is_object_dtype(dtype):
        kind = pd.api.types.infer_dtype(column, skipna=True)
        if kind in _OBJECT_TIMES:
            return f"{kind} objects"
    return None


def refuse_times(X, method, smotenc="--method smotenc", categorical=()):
    """Refuse the columns of dates, times or durations a method would have
    to interpolate.

    They are not numbers to interpolate: say so before the sampler gives
    advice that points from one method to the other. ``--method smotenc``
    copies them from a row when ``--categorical`` names them.

    Parameters
    ----------
    X : DataFrame
        The feature columns.
    method : str
        The ``--method``, named in the message.
    smotenc : str, default='--method smotenc'
        How to ask for SMOTENC on this engine, named in the message.
    categorical : sequence of int, default=()
        Positions in ``X`` of the columns SMOTENC takes as categories: those
        are not refused.

    Raises
    ------
    NonNumericFeaturesError
        If another column holds dates, times or durations.
    """
    skip = set(categorical)
    times = [
        (c, kind)
        for j, (c, dtype) in enumerate(X.dtypes.items())
        if j not in skip and (kind := _time_kind(X.iloc[:, j], dtype)) is not None
    ]
    if times:
        from .._data import NonNumericFeaturesError

        shown = ", ".join(f"{c!r} ({kind})" for c, kind in times)
        named = ""
        if method == "smotenc":
            named = (
                " --method smotenc copies them from a row, as categories, when "
                f"--categorical names them: --categorical {times[0][0]}"
                + (" (once per column)." if len(times) > 1 else ".")
            )
        raise NonNumericFeaturesError(
            f"column(s) {shown} hold dates, times or durations, which "
            f"--method {method} cannot interpolate. Store them as numbers (for "
            f"example seconds since an epoch), or as text for {smotenc} to "
            "take them as categories, or drop them, or use --method random "
            f"(copies rows).{named}"
        )


def refuse_fewer_rows_than_clusters(n_rows):
    """Refuse ``--method kmeans_smote`` on a table of fewer rows than the
    clusters of its k-means (scikit-learn's ``MiniBatchKMeans`` default: the
    command line has no option for them), naming the other methods.

    Parameters
    ----------
    n_rows : int
        The number of data rows of the table.

    Raises
    ------
    ValueError
        If ``n_rows`` is below the number of clusters.

    Examples
    --------
    >>> refuse_fewer_rows_than_clusters(8)
    >>> refuse_fewer_rows_than_clusters(6)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: --method kmeans_smote groups the rows into 8 clusters ...
    """
    from sklearn.cluster import MiniBatchKMeans

    n_clusters = MiniBatchKMeans().n_clusters
    if n_rows < n_clusters:
        others = ", ".join(m for m in _NEIGHBOUR_METHODS if m not in _NOT_OTHERS)
        raise ValueError(
            f"--method kmeans_smote groups the rows into {n_clusters} clusters "
            f"(its number of clusters is no option here), but the table has "
            f"{n_rows} rows. Use another --method ({others}), or --method "
            "random (copies rows)."
        )


#: Methods :func:`refuse_fewer_rows_than_clusters` does not offer instead.
_NOT_OTHERS = ("kmeans_smote", "smotenc")


def check_target(frame, target):
    """Refuse a ``target`` column that is missing (naming a close column, or
    the separator of a file that is not comma-separated) or repeated."""
    if target in frame.columns:
        repeats = list(frame.columns).count(target)
        if repeats > 1:
            raise ValueError(
                f"target column {target!r} appears {repeats} times in the "
                "header; rename the copies so that the labels are one column."
            )
        return
    columns = [str(c) for c in frame.columns]
    if len(columns) == 1:
        separator = next((c for c in ";\t|" if c in columns[0]), None)
        if separator is not None:
            shown = "tab" if separator == "\t" else repr(separator)
            raise ValueError(
                f"target column {target!r} is not in the table, which has one "
                f"column named {columns[0]!r}: the file seems to separate its "
                f"fields with {shown}. smotekit reads comma-separated CSV; "
                "convert the file (or save it as Parquet)."
            )
    raise ValueError(_not_a_column(f"target column {target!r}", target, columns))


def _not_a_column(what, name, columns):
    """Message for a column ``name`` the table lacks: a close name, then the
    first 20 columns."""
    columns = [str(c) for c in columns]
    close = difflib.get_close_matches(str(name), columns, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    shown = ", ".join(repr(c) for c in columns[:20])
    more = f" and {len(columns) - 20} more" if len(columns) > 20 else ""
    return f"{what} is not in the table.{hint} Available columns: {shown}{more}."


def categorical_positions(X, names, target):
    """Positions of the categorical columns of ``X`` for ``--categorical``.

    The columns named in ``names`` join those SMOTENC finds from their type
    (text, category and bool columns), so that numbers that stand for
    categories (codes of regions, products, ...) are copied from a row rather
    than interpolated.

    Parameters
    ----------
    X : DataFrame
        The feature columns.
    names : list of str
        The columns the user names.
    target : str
        The label column, refused in ``names``.

    Returns
    -------
    positions : list of int
        Ascending positions in ``X``.

    Raises
    ------
    ValueError
        If a name is the target, not a column of ``X`` (naming a close one)
        or the name of several columns.

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"x": [0.5, 1.5], "region": [3, 1], "city": ["a", "b"]})
    >>> categorical_positions(X, ["region"], "label")
    [1, 2]
    """
    from ..categorical._categories import is_categorical_column

    columns = list(X.columns)
    positions = {j for j in range(len(columns)) if is_categorical_column(X.iloc[:, j])}
    for name in names:
        if name == target:
            raise ValueError(
                f"--categorical {name!r} is the --target column: the class "
                "labels are not a feature. Drop it from --categorical."
            )
        repeats = columns.count(name)
        if repeats == 0:
            _refuse_a_list(name, columns)
            raise ValueError(_not_a_column(f"--categorical {name!r}", name, columns))
        if repeats > 1:
            raise ValueError(
                f"--categorical {name!r} names {repeats} columns of the header; "
                "rename the copies so that each name is one column."
            )
        positions.add(columns.index(name))
    return sorted(positions)


def _refuse_a_list(name, columns):
    """Refuse ``--categorical a,b`` (the way ``evaluate --strategies`` takes
    several values) when every part is a column: the option takes one name
    and is repeated.

    Examples
    --------
    >>> _refuse_a_list("day, city", ["x", "day", "city"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: ... (--categorical day --categorical city).
    >>> _refuse_a_list("day,town", ["x", "day", "city"])  # a part is no column
    """
    parts = [part.strip() for part in str(name).split(",")]
    if len(parts) > 1 and all(part in columns for part in parts):
        repeated = " ".join(f"--categorical {part}" for part in parts)
        raise ValueError(
            f"--categorical {name!r} is not a column; the option takes one "
            f"column name: repeat it for each column ({repeated})."
        )


def split_table(frame, target):
    """Split ``frame`` into features and the labels of column ``target``.

    Refuses, with the fix in the command line's terms, a missing or repeated
    target column, a table without data rows or feature columns, missing
    labels and a single class.

    Examples
    --------
    >>> import pandas as pd
    >>> X, y = split_table(pd.DataFrame({"x": [1, 2], "label": [0, 1]}), "label")
    >>> list(X.columns), y.tolist()
    (['x'], [0, 1])
    """
    import pandas as pd

    check_target(frame, target)
    X = frame.drop(columns=[target])
    y = frame[target]
    if len(frame) == 0:
        raise ValueError(
            "the table has no data rows (its columns are "
            f"{', '.join(map(repr, frame.columns))}). Check the input file."
        )
    if X.shape[1] == 0:
        raise ValueError(
            f"the table has no feature columns besides the target {target!r}."
        )
    n_missing = int(y.isna().sum())
    if n_missing:
        raise ValueError(
            f"target column {target!r} has {n_missing} missing label(s); drop "
            "those rows or give them a class."
        )
    kind = _time_kind(y, y.dtype)
    if kind is not None and kind.endswith(" objects"):
        raise ValueError(
            f"target column {target!r} holds {kind} (as Parquet date or time "
            "columns are read), which are not class labels here. Store the "
            "labels as text or whole numbers."
        )
    classes = pd.unique(y.to_numpy(dtype=object))
    if len(classes) < 2:
        raise ValueError(
            f"target column {target!r} holds a single class ({classes[0]!r}); "
            "at least 2 are needed. Check that --target names the label "
            "column and that the file holds every class."
        )
    return X, y


def resample_frame(
    frame,
    target,
    *,
    method="smote",
    k_neighbors=None,
    m_neighbors=None,
    sampling_strategy="auto",
    random_state=None,
    n_jobs=None,
    categorical=None,
):
    """Over-sample a table whose class labels are in column ``target``.

    Parameters
    ----------
    frame : DataFrame
        Features and target in one table.
    target : str
        Name of the column that holds the class labels.
    method : str, default='smote'
        See :func:`build_sampler`.
    k_neighbors, m_neighbors : int or None, default=None
        See :func:`build_sampler`.
    sampling_strategy : float, str or dict, default='auto'
        Sampling target; the text forms of :func:`parse_sampling_strategy` are
        accepted too, and dict keys are matched to the labels by their text.
    random_state : int or None, default=None
        Seed, for reproducible output.
    n_jobs : int or None, default=None
        See :func:`build_sampler`.
    categorical : list of str or None, default=None
        With ``method='smotenc'``: columns to treat as categorical besides
        the text, category and bool ones (see :func:`categorical_positions`).

    Returns
    -------
    resampled : DataFrame
        The rows of ``frame``, unchanged and in order, then the synthetic rows,
        with the same columns in the same order and a fresh RangeIndex (a
        named index, as Parquet files store one, comes first as columns:
        synthetic rows labelled by the pandas index rule for integer and text
        indexes, missing for others).

    Raises
    ------
    ValueError, TypeError
        If the target column is missing, or the sampler rejects the data or the
        parameters (the message says which and why).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"x": range(10), "label": [0] * 7 + [1] * 3})
    >>> out = resample_frame(frame, "label", k_neighbors=2, random_state=0)
    >>> out["label"].value_counts().to_dict()
    {0: 7, 1: 7}
    """
    import pandas as pd

    X, y = split_table(frame, target)
    if isinstance(sampling_strategy, str):
        sampling_strategy = parse_sampling_strategy(sampling_strategy)
    if isinstance(sampling_strategy, dict):
        sampling_strategy = match_labels(sampling_strategy, y.unique())
    if categorical is not None and method == "smotenc":
        categorical = categorical_positions(X, categorical, target)
    sampler = build_sampler(
        method,
        k_neighbors=k_neighbors,
        m_neighbors=m_neighbors,
        sampling_strategy=sampling_strategy,
        random_state=random_state,
        n_jobs=n_jobs,
        categorical=categorical,
    )
    if method in _NEIGHBOUR_METHODS:
        refuse_times(X, method, categorical=categorical or ())
    if method == "kmeans_smote":
        refuse_fewer_rows_than_clusters(len(X))
    from .._data import NonFiniteFeaturesError, NonNumericFeaturesError
    from .._neighbors import ClassTooSmallError, TooFewSamplesError
    from .._strategy import SamplingStrategyError
    from ..over_sampling._adasyn import UnweightedClassError
    from ..over_sampling._kmeans import NoClusterError

    def _room():
        given = {"--k-neighbors": k_neighbors, "--m-neighbors": m_neighbors,
                 "--n-jobs": n_jobs, "--categorical": categorical}  # fmt: skip
        counts = y.value_counts(sort=False, dropna=False).to_dict()
        return NeighbourRoom(method, sampler, counts, given)

    try:
        X_res, y_res = sampler.fit_resample(X, y)
        at = frame.columns.get_loc(target)
        # joined, not inserted: an insert into a wide frame warns of fragmentation
        out = pd.concat(
            [X_res.iloc[:, :at], y_res.rename(target), X_res.iloc[:, at:]], axis=1
        )
    except (MemoryError, OSError) as exc:
        if isinstance(exc, OSError) and exc.errno != errno.ENOMEM:
            raise  # ENOMEM: a memory mapping of the output was refused
        raise _output_too_large(frame, _synthetic_count(sampler, X, y)) from None
    except ClassTooSmallError as exc:
        raise class_too_small(exc, _room()) from None
    except TooFewSamplesError as exc:
        raise too_few_rows(exc, sampler, _room()) from None
    except (UnweightedClassError, NoClusterError) as exc:
        raise no_seeds(exc, method) from None
    except SamplingStrategyError as exc:
        raise ValueError(exc.told_as("--sampling-strategy")) from None
    except NonFiniteFeaturesError as exc:
        raise non_finite_features(exc, _COPIES_MISSING) from None
    except NonNumericFeaturesError as exc:
        if method == "smotenc":
            what = str(exc).split(" List them in categorical_features")[0]
            raise NonNumericFeaturesError(
                f"{what} On the command line the categorical columns are the "
                "text, category and bool ones and those named by --categorical: "
                "add --categorical COL for each such column, or drop it, or use "
                "--method random (copies rows)."
            ) from None
        raise NonNumericFeaturesError(
            f"{exc} On the command line: --method smotenc, or --method random "
            "(copies rows)."
        ) from None
    except ValueError as exc:  # SVMSMOTE without seeds; SMOTENC without a kind
        if method == "svm_smote" and all_support_vectors_noise(exc):
            raise no_seeds(exc, method) from None
        if "SMOTE-NC is not designed" not in str(exc):
            raise
        fix = (
            "--method smote, or name the columns of categories with --categorical "
            "COL (one option per column)"
            if "only with numerical" in str(exc)
            else "--method random"
            + (", or name fewer columns with --categorical" if categorical else "")
        )
        raise ValueError(f"{exc} On the command line: {fix}.") from None
    if not has_stored_index(frame):
        return out.reset_index(drop=True)
    return _with_index_columns(out, frame.index)


def _synthetic_count(sampler, X, y):
    """How many rows ``sampler`` was asked to add to ``X, y`` (its strategy,
    resolved again when memory ran out before it was; None when memory is
    too short even for that)."""
    strategy = getattr(sampler, "sampling_strategy_", None)
    if strategy is None:
        try:
            strategy = sampler.fit(X, y).sampling_strategy_
        except (MemoryError, OSError):
            return None
    return sum(max(int(n), 0) for n in strategy.values())


def _output_too_large(frame, n_new):
    """The error for a resampling of ``frame`` into ``n_new`` more rows
    (None: not known) that ran out of memory: the size asked for, and how
    to ask for less."""
    n_rows, n_columns = frame.shape
    what = f"resampling {n_rows:,} rows of {n_columns} columns"
    if n_new is not None:
        per_row = frame.memory_usage(index=False).sum() / max(n_rows, 1)
        size = format_bytes((n_rows + n_new) * per_row)
        what += f" into {n_rows + n_new:,} rows ({n_new:,} synthetic, about {size})"
    from ._dask_io import DASK_METHODS

    *first, last = DASK_METHODS
    return OutOfMemoryError(
        f"out of memory: {what} does not fit. Ask for fewer synthetic rows "
        "with a smaller --sampling-strategy; for data larger than memory, "
        "store the input as Parquet and use --engine dask (which has --method "
        f"{', '.join(first)} and {last}), which writes the output a partition "
        "at a time into a folder of Parquet files."
    )


def _with_index_columns(out, index):
    """``out`` with the stored ``index`` as its first columns: the original
    rows' labels, then the synthetic rows' (the pandas index rule where it
    gives labels of the level's own kind, integers or text; missing values
    otherwise, such as for dates)."""
    import pandas as pd

    names = [
        f"level_{i}" if name is None else name for i, name in enumerate(index.names)
    ]
    clash = [name for name in names if name in out.columns]
    if clash:
        raise ValueError(
            f"the input's stored index {clash[0]!r} has the name of a column; "
            "rename one of them (or reset the index) before resampling."
        )
    n, n_new = len(index), len(out) - len(index)
    levels = {}
    for i, name in enumerate(names):
        level = pd.Series(index.get_level_values(i))
        labels = pd.Series(out.index.get_level_values(i)[n:])
        same_kind = (
            pd.api.types.is_integer_dtype(level.dtype)
            and pd.api.types.is_integer_dtype(labels.dtype)
        ) or (
            pd.api.types.infer_dtype(level) == "string"
            and pd.api.types.infer_dtype(labels) == "string"
        )
        if not same_kind:
            labels = pd.Series(pd.array([None] * n_new, dtype=_with_missing(level)))
        levels[name] = pd.concat([level, labels], ignore_index=True)
    body = out.reset_index(drop=True)
    return pd.concat([pd.DataFrame(levels), body], axis=1)


def _with_missing(column):
    """A dtype of ``column``'s kind that holds missing values."""
    import numpy as np
    import pandas as pd

    dtype = column.dtype
    if isinstance(dtype, np.dtype) and dtype.kind == "b":
        return pd.BooleanDtype()
    if isinstance(dtype, np.dtype) and dtype.kind in "iu":
        return pd.api.types.pandas_dtype(
            dtype.name.capitalize().replace("Uint", "UInt")
        )
    return dtype


def resample_file(
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
    categorical=None,
):
    """Over-sample the table in ``input`` and write it to ``output``.

    Formats follow the extensions (``.csv``, ``.parquet``, ``.pq``). The
    output is written atomically: it appears complete or not at all, and an
    existing file is replaced only on success.

    Parameters
    ----------
    input : str or path-like
        CSV or Parquet file with features and target.
    output : str or path-like
        File to write; must not be ``input``.
    target : str
        Name of the class label column.
    method : str, default='smote'
        See :func:`build_sampler`.
    k_neighbors, m_neighbors : int or None, default=None
        See :func:`build_sampler`.
    sampling_strategy : float, str or dict, default='auto'
        See :func:`resample_frame`.
    random_state : int or None, default=None
        Seed, for reproducible output.
    n_jobs : int or None, default=None
        See :func:`build_sampler`.
    categorical : list of str or None, default=None
        See :func:`resample_frame`.

    Returns
    -------
    result : ResampleResult
        The paths and the class counts before and after.

    Raises
    ------
    FileNotFoundError
        If ``input`` or the folder of ``output`` does not exist.
    ValueError, TypeError
        For an unknown extension, ``output`` equal to ``input``, a missing
        target column, or data/parameters the sampler rejects.
    ImportError
        For Parquet files when pyarrow is not installed.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"x": range(10), "label": [0] * 7 + [1] * 3})
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     frame.to_csv(Path(folder) / "train.csv", index=False)
    ...     result = resample_file(
    ...         Path(folder) / "train.csv", Path(folder) / "balanced.csv", "label",
    ...         k_neighbors=2, random_state=0,
    ...     )
    >>> result.counts_after, result.n_synthetic
    ({0: 7, 1: 7}, 4)
    """
    input, output = Path(input), Path(output)
    if input.is_dir() or (not input.exists() and any(c in str(input) for c in "*?[")):
        raise IsADirectoryError(
            f"input '{input}' is a folder or a glob, and the pandas engine reads "
            "one file. For Parquet files in a folder or matching a glob use "
            "--engine dask, or name one file."
        )
    for path, role in ((input, "input"), (output, "output")):
        require_engine(table_format(path, role))
    check_input_path(input)
    check_output_path(output, inputs=[input])
    frame, labels = _label_unnamed(read_table(input))
    if table_format(output, "output") == "parquet":  # before any work
        refuse_repeated_for_parquet(frame.columns)
    like = None
    if table_format(input, "input") == table_format(output, "output") == "parquet":
        like = parquet_schema(input)
    resampled = resample_frame(
        frame,
        target,
        method=method,
        k_neighbors=k_neighbors,
        m_neighbors=m_neighbors,
        sampling_strategy=sampling_strategy,
        random_state=random_state,
        n_jobs=n_jobs,
        categorical=categorical,
    )
    write_table(_unlabel(resampled, labels), output, like)
    return ResampleResult(
        input=input,
        output=output,
        counts_before=_class_counts(frame[target]),
        counts_after=_class_counts(resampled[target]),
    )


def _label_unnamed(frame):
    """Give the columns without a name (an empty header cell) a label for
    the messages, ``<unnamed column 4>`` (counted from 1, as a spreadsheet
    does); :func:`_unlabel` takes it back before writing.

    Parameters
    ----------
    frame : DataFrame
        A table as read.

    Returns
    -------
    labelled : DataFrame
        ``frame`` with the labels as names (``frame`` itself when no column
        is unnamed, or when a label is already a column's name).
    labels : list of str
        The labels given.

    Examples
    --------
    >>> import pandas as pd
    >>> labelled, labels = _label_unnamed(pd.DataFrame(columns=["", "x", ""]))
    >>> labelled.columns.tolist()
    ['<unnamed column 1>', 'x', '<unnamed column 3>']
    >>> _unlabel(labelled, labels).columns.tolist()
    ['', 'x', '']
    """
    names = list(frame.columns)
    labels = {i: f"<unnamed column {i + 1}>" for i, c in enumerate(names) if c == ""}
    if not labels or set(labels.values()) & set(names):
        return frame, []
    renamed = [labels.get(i, name) for i, name in enumerate(names)]
    return frame.set_axis(renamed, axis=1), list(labels.values())


def _unlabel(frame, labels):
    """``frame`` with the columns named by :func:`_label_unnamed`'s
    ``labels`` unnamed again (an empty name, written as an empty header
    cell)."""
    if not labels:
        return frame
    return frame.rename(columns=dict.fromkeys(labels, ""))


def _strategy_argument(text):
    try:
        return parse_sampling_strategy(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_parser(subparsers):
    """Register ``resample`` on the ``smotekit`` sub-command parsers."""
    parser = subparsers.add_parser(
        "resample",
        help="over-sample a CSV or Parquet table into a new file",
        description=(
            "Over-sample the minority class(es) of a CSV or Parquet table and\n"
            "write the result in the format of OUTPUT's extension."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("input", metavar="INPUT", help=".csv, .parquet or .pq file")
    parser.add_argument(
        "-o", "--output", required=True, metavar="OUTPUT", help="file to write"
    )
    parser.add_argument(
        "--target", required=True, metavar="COL", help="class label column"
    )
    parser.add_argument(
        "--method",
        choices=list(METHODS),
        default="smote",
        metavar="METHOD",
        help="smote interpolates new rows (default); smotenc also votes the "
        "values of text, category and bool columns; random copies rows; "
        "borderline1, borderline2, adasyn, svm_smote and kmeans_smote are the "
        "SMOTE variants smotekit evaluate compares (choices: "
        + ", ".join(METHODS)
        + ")",
    )
    parser.add_argument(
        "--categorical",
        action="append",
        default=None,
        metavar="COL",
        help="with --method smotenc: a column of categories besides the text, "
        "category and bool ones, such as numbers that code regions or products, "
        "or dates (its values are copied from a row, never interpolated); repeat "
        "the option for several columns",
    )
    parser.add_argument(
        "--k-neighbors",
        type=positive_int,
        default=None,
        metavar="K",
        help="neighbours each new row is interpolated towards, with every method "
        "but random (default: 5; kmeans_smote: 2)",
    )
    parser.add_argument(
        "--m-neighbors",
        type=positive_int,
        default=None,
        metavar="M",
        help="with borderline1, borderline2 or svm_smote: neighbours among all "
        "rows that tell a row in danger (default: 10)",
    )
    parser.add_argument(
        "--sampling-strategy",
        type=_strategy_argument,
        default="auto",
        metavar="STRATEGY",
        help=(
            "float minority/majority ratio (binary), auto, minority, "
            "'not minority', 'not majority', all, or a JSON object of final "
            "counts like '{\"1\": 500}' (default: auto)"
        ),
    )
    parser.add_argument(
        "--random-state", type=seed_int, default=None, metavar="N", help="seed"
    )
    parser.add_argument(
        "--n-jobs",
        type=n_jobs_int,
        default=None,
        metavar="N",
        help=(
            "threads of the neighbour search of every method but random (-1: every "
            "CPU; default: as the environment allows, one per dask worker "
            "thread on a distributed cluster)"
        ),
    )
    parser.add_argument(
        "--engine",
        choices=["pandas", "dask"],
        default="pandas",
        help=(
            "pandas reads the whole file (default); dask streams a Parquet "
            "file, folder or glob too big for memory and writes a Parquet folder"
        ),
    )
    parser.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="with --engine dask: a distributed scheduler (default: local threads)",
    )
    parser.add_argument(
        "--memory-budget",
        default=None,
        metavar="SIZE",
        help="with --engine dask: most bytes of one class held at once "
        "(default: 256MiB)",
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="print nothing on success"
    )
    parser.set_defaults(handler=run)
    return parser


def _run_dask(args):
    from ._dask_io import resample_parquet_dask

    before, after = resample_parquet_dask(
        args.input,
        args.output,
        args.target,
        method=args.method,
        k_neighbors=args.k_neighbors,
        m_neighbors=getattr(args, "m_neighbors", None),
        sampling_strategy=args.sampling_strategy,
        random_state=args.random_state,
        n_jobs=args.n_jobs,
        scheduler=args.scheduler,
        memory_budget=args.memory_budget or "256MiB",
    )
    if not args.quiet:
        print(format_counts({"before": before, "after": after}))
        n_in, n_out = sum(before.values()), sum(after.values())
        print(
            f"wrote {n_out} rows ({n_in} original + {n_out - n_in} synthetic) "
            f"to the Parquet folder {args.output}"
        )
    return 0


def run(args):
    """Run ``smotekit resample`` with parsed arguments; return the exit code."""
    categorical = getattr(args, "categorical", None)
    if categorical is not None and args.method != "smotenc":
        raise ValueError(CATEGORICAL_NEEDS_SMOTENC)
    if getattr(args, "m_neighbors", None) is not None and args.method not in _M_METHODS:
        raise ValueError(M_NEIGHBORS_NEEDS_DANGER)
    with warnings_told(quiet=args.quiet):
        if getattr(args, "engine", "pandas") == "dask":
            return _run_dask(args)
        return _run_pandas(args, categorical)


def _run_pandas(args, categorical):
    for option in ("scheduler", "memory_budget"):
        if getattr(args, option, None) is not None:
            raise ValueError(
                f"--{option.replace('_', '-')} applies only to --engine dask."
            )
    result = resample_file(
        args.input,
        args.output,
        args.target,
        method=args.method,
        k_neighbors=args.k_neighbors,
        m_neighbors=getattr(args, "m_neighbors", None),
        sampling_strategy=args.sampling_strategy,
        random_state=args.random_state,
        n_jobs=getattr(args, "n_jobs", None),
        categorical=categorical,
    )
    if not args.quiet:
        print(
            format_counts(
                {"before": result.counts_before, "after": result.counts_after}
            )
        )
        print(
            f"wrote {result.n_output} rows ({result.n_input} original + "
            f"{result.n_synthetic} synthetic) to {result.output}"
        )
    return 0
