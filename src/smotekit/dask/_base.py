"""The Dask sampler base: one pass for the counts, then a lazy graph.

``fit_resample`` (1) checks the parameters with the in-memory twin class,
(2) computes, in one pass over the partitions, their lengths, class counts
and largest index label (checking the features as the in-memory sampler
does), (3) resolves the sampling targets from the counts, and (4) asks the
variant how each class's synthetic rows are drawn. The output is lazy: the
input collection followed by new partitions of synthetic rows, each built
from a range of synthetic row numbers of one class.

The rows of a class to over-sample are split into *blocks*: one block (the
class gathered once) when it fits ``memory_budget``, otherwise consecutive
groups of partitions holding at most ``memory_budget`` bytes of the class.
Each block is gathered from per-partition filters and persisted during
``fit_resample``, so no task of the output holds more than one input
partition and a worker's memory is bounded by the partition size and the
budget, not by the number of rows.
Neighbour searches run block against block (or block against partition)
with the in-memory exact engine and merge their top-k lists in a tree; a
synthetic partition reads its parent rows from the blocks that hold them.
"""

import math
from collections import OrderedDict
from dataclasses import dataclass
from numbers import Integral

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval

from .. import _data
from .._byte_order import native_pandas
from .._neighbors import scale_exponent_for
from .._params import CachedParamNames
from .._provenance import index_dtype
from .._random import make_root_entropy, stream_key
from .._strategy import resolve_over_sampling_from_counts
from .._threads import check_n_jobs
from . import _tasks

__all__ = ["DaskOverSampler"]

#: Candidate lists merged per task of the top-k tree reduction.
MERGE_FAN_IN = 4


@dataclass
class ClassTarget:
    """One class to over-sample: label, position, counts and its row blocks."""

    cls: object
    position: int
    n_class: int
    n_new: int
    blocks: list
    block_starts: np.ndarray
    block_parts: list


@dataclass
class DaskData:
    """The partitions of X and y and what the counting pass learnt."""

    kind: str
    X: object
    y: object
    x_parts: list
    y_parts: list
    lengths: np.ndarray
    offsets: np.ndarray
    part_counts: list
    classes: list
    index_max: object
    y_index_max: object
    #: The first free number of ``synthetic_<n>`` labels of X's and y's index.
    synthetic_next: int
    y_synthetic_next: int
    dtype: np.dtype
    work_dtype: np.dtype
    n_features: int
    row_bytes: int
    #: The power of two the in-memory search scales all the samples by
    #: (0 for data of ordinary magnitude).
    search_exp: int = 0

    @property
    def n_samples(self):
        return int(self.lengths.sum())


def _delayed():
    import dask

    return dask.delayed


def _parse_budget(value):
    from dask.utils import parse_bytes

    return int(parse_bytes(value)) if isinstance(value, str) else int(value)


#: What each Dask-only parameter takes, for its error messages.
_DASK_PARAM_KINDS = {
    "memory_budget": "a number of bytes or a size such as '256MiB'",
    "partition_rows": "a number of rows or None",
}


class DaskOverSampler(CachedParamNames, BaseEstimator):
    """Base of the Dask over-samplers.

    Subclasses set ``_memory_class`` (the in-memory sampler whose draws and
    row building they reuse) and implement :meth:`_plan_class`.
    """

    _memory_class = None
    #: Parameters of the Dask sampler that the in-memory sampler does not have.
    _dask_params = ("memory_budget", "partition_rows")
    #: Neighbour counts, which here are ints only (no estimator objects).
    _neighbor_params = ()

    _dask_parameter_constraints: dict = {
        "memory_budget": [Interval(Integral, 1, None, closed="left"), str],
        "partition_rows": [Interval(Integral, 1, None, closed="left"), None],
    }

    # ------------------------------------------------------------ parameters

    def _twin(self):
        """The in-memory sampler with the same parameters (validated)."""
        params = {
            k: v
            for k, v in self.get_params(deep=False).items()
            if k not in self._dask_params
        }
        for name in self._neighbor_params:  # told before the in-memory
            self._check_int_neighbors(name)  # checks, which offer objects
        twin = self._memory_class(**params)
        twin._validate_params()
        check_n_jobs(self)
        self._validate_dask_params()
        return twin

    def _validate_dask_params(self):
        from sklearn.utils._param_validation import validate_parameter_constraints

        for name in self._dask_params:  # an int constraint lets bools through
            if isinstance(getattr(self, name), bool | np.bool_):
                raise TypeError(
                    f"The '{name}' parameter of smotekit.dask.{type(self).__name__}"
                    f" must be {_DASK_PARAM_KINDS[name]}; got "
                    f"{getattr(self, name)!r}."
                )
        validate_parameter_constraints(
            self._dask_parameter_constraints,
            {k: getattr(self, k) for k in self._dask_params},
            caller_name=type(self).__name__,
        )
        try:
            budget = _parse_budget(self.memory_budget)
        except ValueError as exc:
            raise ValueError(
                f"The 'memory_budget' parameter of {type(self).__name__} must be "
                "a number of bytes or a size such as '256MiB'; got "
                f"{self.memory_budget!r}."
            ) from exc
        if budget <= 0:
            raise ValueError(
                f"The 'memory_budget' parameter of {type(self).__name__} must be "
                f"positive; got {self.memory_budget!r}."
            )
        return budget

    def _check_int_neighbors(self, param_name):
        value = getattr(self, param_name)
        if not isinstance(value, Integral) or isinstance(value, bool):
            raise TypeError(
                f"The '{param_name}' parameter of smotekit.dask."
                f"{type(self).__name__} must be an int: the distributed search "
                "is the exact engine of smotekit, run block by block. Got "
                f"{type(value).__name__}. Pass the number of neighbours, or use "
                "the in-memory sampler for a custom neighbours estimator."
            )
        if value < 1:
            raise ValueError(
                f"The '{param_name}' parameter of smotekit.dask."
                f"{type(self).__name__} must be an int of at least 1; got "
                f"{value!r}."
            )
        return int(value)

    # ----------------------------------------------------------------- inputs

    def _partitions(self, X, y, twin):
        import dask.array as da
        import dask.dataframe as dd

        name = type(self).__name__
        X, y = _plain_index(_native_dask(X)), _plain_index(_native_dask(y))
        if isinstance(X, dd.DataFrame) and not X.columns.is_unique:
            repeated = X.columns[X.columns.duplicated()].unique().tolist()
            raise ValueError(
                f"{name} (dask) needs unique column names; X repeats "
                f"{', '.join(map(repr, repeated[:5]))}. Rename the columns (dask "
                f"cannot concatenate frames with repeated ones), or use "
                f"smotekit.{name} in memory."
            )
        if isinstance(X, da.Array) and sparse.issparse(X._meta):
            raise TypeError(
                f"smotekit.dask.{name} takes dense chunks; X's chunks are "
                f"{type(X._meta).__name__}. Densify them with "
                "X.map_blocks(lambda b: b.toarray()), or use "
                f"smotekit.{name} in memory for sparse X."
            )
        if isinstance(X, dd.DataFrame) and _names_column(X, y):
            if y not in X.columns:
                raise ValueError(
                    f"{name} got y={y!r} as the label column of X, but X has no "
                    f"such column; its columns are {list(X.columns)}."
                )
            delayed = _delayed()
            whole = list(X.to_delayed())
            x_parts = [delayed(_tasks.drop_column, pure=True)(p, y) for p in whole]
            y_parts = [delayed(_tasks.get_column, pure=True)(p, y) for p in whole]
            self._label_column = (y, list(X.columns).index(y))
            return "frame", X, None, x_parts, y_parts
        if isinstance(X, dd.DataFrame):
            if isinstance(y, dd.DataFrame) and len(y.columns) == 1:
                y = y[y.columns[0]]
            if not isinstance(y, dd.Series):
                raise TypeError(
                    f"{name} got X as a dask DataFrame, so y must be a dask Series "
                    f"with the same partitions, or the name of the label column "
                    f"of X; got {type(y).__name__}. Use X[label_column] or "
                    "dd.from_pandas(y, npartitions=...)."
                )
            x_parts, y_parts = list(X.to_delayed()), list(y.to_delayed())
            if len(x_parts) != len(y_parts):
                raise ValueError(
                    f"{name} needs X and y with the same partitions; X has "
                    f"{len(x_parts)} and y {len(y_parts)} (after dask's "
                    "optimisation, which can merge the partitions of a single "
                    "column read from Parquet). Pass the whole DataFrame and the "
                    "label column's name instead: fit_resample(df, 'label')."
                )
            return "frame", X, y, x_parts, y_parts
        if isinstance(X, da.Array):
            if X.ndim != 2:
                raise ValueError(
                    f"{name} expects a 2-D X of shape (n_samples, n_features); got "
                    f"a dask array of shape {X.shape}."
                )
            if not isinstance(y, da.Array):
                y = np.asarray(y)
                if any(math.isnan(c) for c in X.chunks[0]):
                    X = X.compute_chunk_sizes()
                if y.ndim:
                    _data.check_lengths(X, y, name)
                y = da.from_array(y, chunks=(X.chunks[0], *y.shape[1:]))
            if y.ndim == 2 and y.shape[1] == 1:
                y = y[:, 0]
            if y.ndim != 1:
                raise ValueError(
                    f"{name} expects y of shape (n_samples,); got shape {y.shape}."
                )
            known = not any(math.isnan(c) for c in X.chunks[0] + y.chunks[0])
            if known:
                _data.check_lengths(X, y, name)
            if known and y.chunks[0] != X.chunks[0]:
                y = y.rechunk((X.chunks[0],))
            elif not known and len(X.chunks[0]) != len(y.chunks[0]):
                raise ValueError(
                    f"{name} needs X and y with the same row blocks; X has "
                    f"{len(X.chunks[0])} and y {len(y.chunks[0])} (of unknown "
                    "sizes). Call compute_chunk_sizes() on both first."
                )
            whole_rows = X.rechunk({1: -1}) if len(X.chunks[1]) > 1 else X
            x_parts = list(whole_rows.to_delayed().ravel())
            y_parts = list(y.to_delayed().ravel())
            return "array", X, y, x_parts, y_parts
        raise TypeError(
            f"smotekit.dask.{name} takes a dask array or a dask DataFrame; got "
            f"{type(X).__name__}. Use smotekit.{name} for data in memory, or "
            "wrap it with dask.array.from_array / dask.dataframe.from_pandas."
        )

    def _count(self, X, y, twin):
        import dask

        name = type(self).__name__
        kind, X, y, x_parts, y_parts = self._partitions(X, y, twin)
        task = _delayed()(_tasks.partition_stats, pure=True)
        stats = dask.compute(
            *[
                task(
                    xp,
                    yp,
                    name,
                    twin._requires_numeric,
                    twin._allows_nan,
                    twin._non_numeric_hint(),
                )
                for xp, yp in zip(x_parts, y_parts, strict=True)
            ]
        )
        features = X
        if kind == "frame" and y is None:
            features = X.drop(columns=[self._label_column[0]])
        _check_finite(stats, features, name)
        lengths = np.array([s["n"] for s in stats], dtype=np.int64)
        for i, s in enumerate(stats):
            if s["n"] != s["n_x"]:
                raise ValueError(
                    f"{name} needs X and y with the same partitions; partition {i} "
                    f"has {s['n_x']} rows in X and {s['n']} labels in y."
                )
        missing = [s["missing"] for s in stats]
        if sum(missing):
            i = next(i for i, m in enumerate(missing) if m)
            first = int(lengths[:i].sum()) + stats[i]["first_missing"]
            column = None if self._label_column is None else self._label_column[0]
            raise _data.missing_labels_error(name, sum(missing), first, column)
        counts = {}
        for s in stats:
            for c, k in s["counts"].items():
                counts[c] = counts.get(c, 0) + k
        if lengths.sum() == 0:
            raise ValueError(f"{name} got an empty X (0 samples).")
        try:
            classes = sorted(counts)
        except TypeError:  # partitions of labels of different types
            raise _data.mixed_labels_error(name, list(counts)) from None
        for s in stats:  # an empty partition has no target type
            if s["target_type"] is not None:
                refused = _data.target_type_error(s["target_type"], s["dtype"], name)
                if refused is not None:
                    raise refused
        if len(counts) < 2:
            raise ValueError(
                f"The target 'y' of {name} needs at least 2 classes to resample; "
                f"it has {len(counts)} class ({next(iter(counts))!r}). Check that "
                "y is the label column and that the data was not filtered to one "
                "class."
            )
        if kind == "frame":
            known = _known_feature_categories(X, features.columns, stats)
            if known is not X:  # the rows of every partition, as read from it
                label = y if y is not None else self._label_column[0]
                kind, X, y, x_parts, y_parts = self._partitions(known, label, twin)
                features = X if y is not None else X.drop(columns=[label])
            X, y = _known_label_categories(X, y, self._label_column, stats)
            dtype = _frame_work_dtype(features, name, twin._requires_numeric)
            n_features = len(features.columns)
        else:
            dtype = X.dtype
            if twin._requires_numeric and dtype.kind not in "biuf":
                dtype = np.dtype(np.float64)  # numbers as strings: as in memory
            n_features = X.shape[1]
        work = twin._gap_dtype(np.empty((0, 1), dtype=dtype))
        self.n_features_in_ = n_features
        if kind == "frame" and all(isinstance(c, str) for c in features.columns):
            self.feature_names_in_ = np.asarray(list(features.columns), dtype=object)
        return DaskData(
            kind=kind,
            X=X,
            y=y,
            x_parts=x_parts,
            y_parts=y_parts,
            lengths=lengths,
            offsets=np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64),
            part_counts=[s["counts"] for s in stats],
            classes=classes,
            index_max=_largest(s["index_max"] for s in stats),
            y_index_max=_largest(s["y_index_max"] for s in stats),
            synthetic_next=max(s["synthetic_next"] for s in stats),
            y_synthetic_next=max(s["y_synthetic_next"] for s in stats),
            dtype=np.dtype(dtype),
            work_dtype=work,
            n_features=n_features,
            row_bytes=max(1, n_features * max(np.dtype(dtype).itemsize, 8)),
            search_exp=_search_exponent(stats, dtype, n_features),
        ), counts

    # ----------------------------------------------------------- fit_resample

    def fit_resample(self, X, y):
        """Resample a dask array or DataFrame, lazily.

        Parameters
        ----------
        X : dask array of shape (n_samples, n_features) or dask DataFrame
            Features (a DataFrame may hold the labels too: see ``y``).
        y : dask array, array-like, dask Series or str
            Class labels: with a dask array ``X``, a dask array (or any
            array-like, made a dask array with ``X``'s chunks); with a dask
            DataFrame ``X``, a dask Series of the same partitions, or the name
            of ``X``'s label column.

        Returns
        -------
        X_resampled : same kind as X
            The input partitions, untouched, then partitions of synthetic
            rows (classes in sorted order). Given a label column's name, it
            keeps that column, in its place.
        y_resampled : dask array or dask Series
            The matching labels (a dask array with a dask array ``X``; the
            label column, when named).
        """
        for attr in [a for a in vars(self) if a.endswith("_") and a[0] != "_"]:
            delattr(self, attr)
        self._label_column = None
        twin = self._twin()
        budget = self._validate_dask_params()
        name = type(self).__name__
        data, counts = self._count(X, y, twin)
        for attr in self._fitted_dicts:
            setattr(self, attr, {})
        self.class_counts_ = OrderedDict(sorted(counts.items()))
        self.sampling_strategy_ = resolve_over_sampling_from_counts(
            self.sampling_strategy,
            counts,
            name,
            y=lambda: np.concatenate([np.asarray(p) for p in _compute(*data.y_parts)]),
        )
        twin.sampling_strategy_ = self.sampling_strategy_
        entropy = make_root_entropy(self.random_state)
        targets = self._targets(data, budget)
        synth_x, synth_y, provenances = [], [], []
        chunk = self.partition_rows or max(int(data.lengths.max()), 1)
        first_label = 0
        n_total = sum(target.n_new for target in targets)
        for target in targets:
            draw, args, sources = self._plan_class(data, twin, target, entropy)
            key = stream_key(entropy, self._purpose, target.position)
            cls = target.cls
            for start in range(0, target.n_new, chunk):
                stop = min(start + chunk, target.n_new)
                labels = (first_label + start, stop - start, n_total)
                index = self._synthetic_index(
                    data.X, data.index_max, data.synthetic_next, *labels
                )
                rows, provenance = self._chunk(
                    data, twin, draw, key, start, stop, args, sources, index, cls
                )
                synth_x.append(rows)
                provenances.append((provenance, first_label + start, stop - start))
                if data.y is not None:
                    index = self._synthetic_index(
                        data.y, data.y_index_max, data.y_synthetic_next, *labels
                    )
                    synth_y.append(self._label_chunk(data, cls, stop - start, index))
            first_label += target.n_new
        self.memory_budget_ = budget
        self.provenance_ = _provenance_frame(provenances, data)
        return self._assemble(data, synth_x, synth_y)

    _purpose = 0
    #: Fitted dict attributes filled per over-sampled class (empty without any).
    _fitted_dicts = ()

    def _targets(self, data, budget):
        targets = []
        for cls, n_new in self.sampling_strategy_.items():
            if n_new <= 0:
                continue
            per_part = np.array([c.get(cls, 0) for c in data.part_counts])
            n_class = int(per_part.sum())
            if n_class * data.row_bytes <= budget:
                groups = [np.flatnonzero(per_part)]
            else:
                cap = max(budget // data.row_bytes, 1)
                groups, current, size = [], [], 0
                for p in np.flatnonzero(per_part):
                    if current and size + per_part[p] > cap:
                        groups.append(np.array(current))
                        current, size = [], 0
                    current.append(p)
                    size += per_part[p]
                groups.append(np.array(current))
            blocks = [self._block(data, cls, g) for g in groups]
            sizes = np.array([per_part[g].sum() for g in groups], dtype=np.int64)
            targets.append(
                ClassTarget(
                    cls=cls,
                    position=data.classes.index(cls),
                    n_class=n_class,
                    n_new=int(n_new),
                    blocks=blocks,
                    block_starts=np.concatenate([[0], np.cumsum(sizes)[:-1]]),
                    block_parts=groups,
                )
            )
        # gather the classes now, one pass over the partitions: the output
        # graph then holds these blocks, not the input partitions they came
        # from (which the pass-through output would otherwise keep in memory
        # until every class is gathered)
        import dask

        persisted = iter(dask.persist(*[b for t in targets for b in t.blocks]))
        for t in targets:
            t.blocks = [next(persisted) for _ in t.blocks]
        return targets

    @staticmethod
    def _block(data, cls, parts):
        """Lazy block of the rows of ``cls`` in ``parts``: each partition is
        filtered on its own, so the joining task holds only the class's rows
        (never whole partitions)."""
        delayed = _delayed()
        picks = [
            delayed(_tasks.class_block, pure=True)(
                cls, [int(data.offsets[p])], data.x_parts[p], data.y_parts[p]
            )
            for p in parts
        ]
        if len(picks) == 1:
            return picks[0]
        return delayed(_tasks.concat_blocks, pure=True)(*picks)

    @staticmethod
    def _class_rows(target):
        """Lazy input row indices (sorted) of the class, read from its
        persisted blocks (not from the input partitions)."""
        delayed = _delayed()
        rows = [delayed(_tasks.first_item, pure=True)(b) for b in target.blocks]
        return delayed(_tasks.block_rows, pure=True)(*rows)

    # ------------------------------------------------------------ neighbours

    @staticmethod
    def _class_table(target, k, n_jobs=None):
        """Lazy (n_class, k) table of class positions: each row's k nearest
        rows of its class, itself excluded, ties by lower position."""
        delayed = _delayed()
        pair = delayed(_tasks.pair_topk, pure=True)
        # one scale for the whole class, as in memory (extreme magnitudes)
        exp = delayed(_tasks.search_exponent, pure=True)(*target.blocks)
        tables = []
        for a, block_a in enumerate(target.blocks):
            start = [int(s) for s in target.block_starts]
            candidates = [
                pair(block_a, block_b, start[b], k, a == b, n_jobs, exp)
                for b, block_b in enumerate(target.blocks)
            ]
            # one block: the in-memory engine's own table, untouched
            tables.append(
                delayed(_tasks.indices, pure=True)(_tree_merge(candidates, k))
            )
        if len(tables) == 1:
            return tables[0]
        return delayed(_tasks.concat_rows, pure=True)(*tables)

    @staticmethod
    def _around(data, query_blocks, k, n_jobs=None):
        """Per query block, a lazy ``(distances, rows, labels)`` of the k
        nearest rows among all the samples (the query rows included)."""
        task = _delayed()(_tasks.partition_topk, pure=True)
        exp = data.search_exp  # one scale for all the samples, as in memory
        merged = []
        for block in query_blocks:
            candidates = [
                task(block, xp, yp, int(off), k, n_jobs, exp)
                for xp, yp, off, n in zip(
                    data.x_parts, data.y_parts, data.offsets, data.lengths, strict=True
                )
                if n
            ]
            merged.append(_tree_merge(candidates, k))
        return merged

    def _neighbors_among_all(self, data, query_blocks, k):
        """Eagerly: input rows and labels of the ``k`` nearest samples (among
        all) of every query row, each row itself excluded (in-memory rule).

        Returns ``(rows, table, labels)``: the query rows' input indices,
        ``(n_query, k)`` neighbour indices and their labels.
        """
        import dask

        from .._neighbors import neighbors_excluding_self

        delayed = _delayed()
        rows = [delayed(_tasks.first_item, pure=True)(b) for b in query_blocks]
        merged = self._around(data, query_blocks, k + 1, getattr(self, "n_jobs", None))
        rows, merged = dask.compute(rows, merged)
        rows = np.concatenate(rows)
        ind = np.concatenate([m[1] for m in merged])
        labels = np.concatenate([m[2] for m in merged])
        table, labels = neighbors_excluding_self(ind, dist=labels, own=rows)
        return rows, table, labels

    def _support_block(self, data, wanted):
        """Lazy block of the input rows ``wanted`` (sorted), read from the
        partitions that hold them."""
        delayed = _delayed()
        ends = data.offsets + data.lengths
        picks = []
        for p, (start, stop) in enumerate(zip(data.offsets, ends, strict=True)):
            inside = wanted[(wanted >= start) & (wanted < stop)]
            if inside.size:
                picks.append(
                    delayed(_tasks.take_rows, pure=True)(
                        data.x_parts[p], int(start), inside
                    )
                )
        return delayed(_tasks.concat_blocks, pure=True)(*picks)

    # ---------------------------------------------------------------- output

    def _chunk(self, data, twin, draw, key, start, stop, args, sources, index, cls):
        import dask.array as da
        import dask.dataframe as dd

        delayed = _delayed()
        provenance = delayed(draw, pure=True)(key, start, stop, *args)
        if len(sources) > 1:
            sources = [delayed(_tasks.pick)(s, provenance) for s in sources]
        built = delayed(_tasks.build_chunk, pure=True)(
            twin, provenance, index, type(self).__name__, *sources
        )
        if data.kind == "frame":
            if self._label_column is not None:
                column, position = self._label_column
                labels = delayed(_tasks.label_chunk, pure=True)(
                    cls, stop - start, data.X._meta[column].dtype, index, column
                )
                built = delayed(_tasks.insert_column, pure=True)(
                    built, labels, column, position
                )
            meta = data.X._meta.set_axis(index[:0], axis=0)
            return dd.from_delayed([built], meta=meta, verify_meta=False), provenance
        rows = da.from_delayed(
            built, shape=(stop - start, data.n_features), dtype=data.dtype
        )
        return rows, provenance

    @staticmethod
    def _synthetic_index(collection, index_max, synthetic_next, first, n, n_total):
        """Index labels of synthetic rows ``first:first + n`` of ``n_total``
        after those of the dask DataFrame or Series ``collection`` (largest
        integer label ``index_max``, first free ``synthetic_<n>`` number
        ``synthetic_next``), by the in-memory rule
        (:func:`smotekit._data.synthetic_index`), keeping the index name;
        None for dask arrays."""
        meta = getattr(collection, "_meta", None)
        if not isinstance(meta, (pd.Series, pd.DataFrame)):
            return None
        index = meta.index
        if pd.api.types.is_integer_dtype(index.dtype):
            base = 0 if index_max is None else index_max + 1
            labels = _data.integer_labels(base, n_total, index.dtype)
            if labels is not None:  # decided for all the synthetic rows at once
                return labels[first : first + n].rename(index.name)
        return _data.synthetic_labels(synthetic_next + first, n).rename(index.name)

    @staticmethod
    def _label_chunk(data, cls, n, index):
        import dask.array as da
        import dask.dataframe as dd

        if data.kind == "frame":
            meta = data.y._meta
            task = _delayed()(_tasks.label_chunk, pure=True)
            built = task(cls, n, meta.dtype, index, meta.name)
            meta = meta.set_axis(index[:0], axis=0)
            return dd.from_delayed([built], meta=meta, verify_meta=False)
        dtype = data.y.dtype
        return da.from_delayed(
            _delayed()(_tasks.label_chunk, pure=True)(cls, n, dtype),
            shape=(n,),
            dtype=dtype,
        )

    def _assemble(self, data, synth_x, synth_y):
        import dask.array as da
        import dask.dataframe as dd

        if data.kind == "frame" and data.y is None:
            out = dd.concat([data.X, *synth_x]) if synth_x else data.X
            return out, out[self._label_column[0]]
        if data.kind == "frame":
            if not synth_x:
                return data.X, data.y
            return dd.concat([data.X, *synth_x]), dd.concat([data.y, *synth_y])
        X = data.X if data.X.dtype == data.dtype else data.X.astype(data.dtype)
        if not synth_x:
            return X, data.y
        return (
            _in_order_of(da.concatenate([X, *synth_x], axis=0), X.dtype),
            _in_order_of(da.concatenate([data.y, *synth_y], axis=0), data.y.dtype),
        )


def _in_order_of(array, dtype):
    """``array`` in ``dtype``'s byte order, as the in-memory samplers keep it
    (dask's concatenation promotes to the machine's order)."""
    if array.dtype != dtype and array.dtype == np.dtype(dtype).newbyteorder("="):
        return array.astype(dtype)
    return array


def _native_dask(obj):
    """A dask DataFrame or Series with its columns in the other byte order
    read in the machine's order, partition by partition (pandas cannot take
    rows of such columns; the in-memory samplers convert them the same way).
    Anything else is returned as is."""
    import dask.dataframe as dd

    if not isinstance(obj, (dd.DataFrame, dd.Series)):
        return obj
    meta = native_pandas(obj._meta)
    if meta is obj._meta:
        return obj
    return obj.map_partitions(native_pandas, meta=meta)


def _plain_index(obj):
    """A dask DataFrame or Series with a categorical index given plain
    labels (:func:`smotekit.dask._tasks.plain_index`): partitions with
    different categories could not be concatenated. Anything else is
    returned as is."""
    import dask.dataframe as dd

    if not isinstance(obj, (dd.DataFrame, dd.Series)) or not isinstance(
        obj._meta.index, pd.CategoricalIndex
    ):
        return obj
    return obj.map_partitions(_tasks.plain_index, meta=_tasks.plain_index(obj._meta))


def _frame_work_dtype(features, name, numeric):
    """The dtype of the matrix the in-memory sampler reads a frame of these
    columns into (the partitions' values were checked by the counting pass).

    Read off dask's sample of the columns, except where that sample cannot
    tell: an object column holds placeholders there, and in the data it
    holds numbers (text was refused by the counting pass), read as float64.
    """
    objects = any(pd.api.types.is_object_dtype(t) for t in features.dtypes)
    if objects:
        return np.dtype(np.float64 if numeric else object)
    sample = features._meta_nonempty
    return _data.check_X(sample, name, allow_nan=True, numeric=numeric)[0].dtype


def _search_exponent(stats, dtype, n_features):
    """The in-memory search's power of two for all the samples, from the
    partitions' top exponents (float64 data only, as in memory)."""
    tops = [s["top"] for s in stats if s["top"] is not None]
    if np.dtype(dtype) != np.float64 or not tops:
        return 0
    return scale_exponent_for(max(tops), n_features)


def _compute(*objects):
    import dask

    return dask.compute(*objects)


def _tree_merge(candidates, k):
    """Merge lazy top-k candidate lists in a tree of ``MERGE_FAN_IN``."""
    merge = _delayed()(_tasks.merge_topk, pure=True)
    level = list(candidates)
    while len(level) > 1:
        level = [
            merge(k, *level[i : i + MERGE_FAN_IN])
            for i in range(0, len(level), MERGE_FAN_IN)
        ]
    return level[0]


def _provenance_frame(provenances, data):
    """Lazy DataFrame of where every synthetic row comes from: ``parent``,
    ``neighbor`` (input row positions) and ``gap``, one partition per
    synthetic partition, indexed by synthetic row number, as the in-memory
    ``provenance_.to_frame()`` (the same values and dtypes)."""
    import dask.dataframe as dd

    n_rows = int(data.offsets[-1] + data.lengths[-1]) if len(data.lengths) else 0
    positions = index_dtype(n_rows)
    meta = pd.DataFrame(
        {
            "parent": np.empty(0, positions),
            "neighbor": np.empty(0, positions),
            "gap": np.empty(0, data.work_dtype),
        }
    )
    if not provenances:
        return dd.from_pandas(meta, npartitions=1)
    task = _delayed()(_tasks.provenance_frame, pure=True)
    parts = [task(p, first, positions) for p, first, _ in provenances]
    last_first, last_n = provenances[-1][1:]
    divisions = [first for _, first, _ in provenances] + [last_first + last_n - 1]
    return dd.from_delayed(parts, meta=meta, divisions=divisions, verify_meta=False)


def _largest(values):
    """The largest of ``values`` that are not None (None when none is)."""
    values = [v for v in values if v is not None]
    return max(values) if values else None


def _check_finite(stats, features, sampler_name):
    """Raise the in-memory error for missing or infinite features, with the
    counts of all the partitions and the first one's row in the whole input."""
    found = [(i, s["non_finite"]) for i, s in enumerate(stats) if s["non_finite"]]
    if not found:
        return
    n_nan = sum(f[0] for _, f in found)
    n_inf = sum(f[1] for _, f in found)
    i, (_, _, first) = found[0]
    if first is not None:  # no position for sparse partitions, as in memory
        first = (sum(s["n_x"] for s in stats[:i]) + first[0], first[1])
    columns = getattr(features, "columns", None)
    what = _data.describe_non_finite(n_nan, n_inf, first, columns)
    raise _data.non_finite_error(sampler_name, what)


def _categories_known(column):
    """Whether the categorical dask ``column``'s metadata holds its
    categories. Dask counts empty ones as known, and reads a dictionary
    column of a Parquet file without pandas metadata so: its partitions then
    hold categories the metadata lacks."""
    return column.cat.known and len(column._meta.cat.categories) > 0


def _known_label_categories(X, y, label_column, stats):
    """``X`` and ``y`` with categorical labels of unknown categories (as read
    from Parquet) made known: the synthetic rows' labels take their dtype
    from the labels' metadata, where a category missing would become NaN.

    The categories are those of the partitions (``stats``), in the order in
    which the partitions, concatenated, give them (first seen first), so the
    original labels keep their categories and codes.
    """
    labels = X[label_column[0]] if y is None else y
    dtype = labels._meta.dtype
    if not isinstance(dtype, pd.CategoricalDtype) or _categories_known(labels):
        return X, y
    found = [s["categories"] for s in stats if s["categories"] is not None]
    categories = found[0].append(found[1:]).unique() if found else []
    labels = labels.astype(pd.CategoricalDtype(categories, ordered=dtype.ordered))
    if y is not None:
        return X, labels
    X = X.copy()
    X[label_column[0]] = labels
    return X, y


def _known_feature_categories(X, columns, stats):
    """``X`` with its categorical feature ``columns`` of unknown categories
    (as read from Parquet files holding different ones) made known, or ``X``
    itself when there are none: the rows of a class gathered from several
    partitions must share one dtype, as the in-memory sampler's do.

    The categories are those of the partitions (``stats``), first seen first,
    as dask gives them when it concatenates the partitions.
    """
    dtypes = {}
    for column in columns:
        dtype = X._meta[column].dtype
        if isinstance(dtype, pd.CategoricalDtype) and not _categories_known(X[column]):
            found = [
                s["x_categories"][column] for s in stats if column in s["x_categories"]
            ]
            categories = found[0].append(found[1:]).unique() if found else []
            dtypes[column] = pd.CategoricalDtype(categories, ordered=dtype.ordered)
    return X.astype(dtypes) if dtypes else X


def _names_column(X, y):
    """Whether ``y`` names a column of the dask DataFrame ``X`` (any string
    does, so that a missing one gets its own error; other labels, such as
    ints, when ``X`` has such a column)."""
    if isinstance(y, str):
        return True
    return pd.api.types.is_scalar(y) and y in X.columns
