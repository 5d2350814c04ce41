"""The columnar fact table both engines read: one numpy column per fact, plus a known-mask.

Values are normalised once: booleans to 0/1, ordinal levels to their rank in the scale, numbers
to float64, dates to their proleptic ordinal (day number). A missing fact has ``known = False``
(its value slot is 0 and is never read as data). Individuals' ``of: unit`` facts are copied from
their unit's row under the key ``unit.<fact>``. A yearly series is one column per year,
``<fact>@<year>``; an ``ids`` series keeps its sets of ids per year in :attr:`FactTable.id_sets`.
``unit_row`` is each individual's unit's row (-1 for a collective).

:func:`derive` adds the columns both engines read but no candidate carries: arithmetic results
(rounded to :data:`DIFFERENCE_DECIMALS`, known where every operand is known and no denominator is
zero), distinct-id counts over years as an interval (``<key>.lo`` / ``<key>.hi``, hi = +inf while
a year is missing) and each collective's number of members (:data:`MEMBERS_COLUMN`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs
import numpy as np
import numpy.typing as npt

from emulation_rules.plan.campaign import Campaign, Fact

KIND_CODES = {"collective": 0, "individual": 1}
#: the derived column holding each collective's number of members (0 for an individual)
MEMBERS_COLUMN = "@members"
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int32]


#: Differences between two facts are rounded to this many decimals before they are compared,
#: so that 4.06 - 3.56 is 0.5 (in binary floating point it is 0.4999999999999996).
DIFFERENCE_DECIMALS = 9


def column_key(fact: str, scope: str = "self") -> str:
    """The column name of a fact read from the candidate itself or from its unit."""
    return fact if scope == "self" else f"unit.{fact}"


#: the prefix of the columns saying that an award does not apply to a row because the candidate
#: did not exist during the award's span (``@inactive:<award>``, 1.0 where it did not)
INACTIVE_PREFIX = "@inactive:"


def inactive_key(award: str, scope: str = "self") -> str:
    """The column of the rows an award does not apply to (of the candidate, or of its unit)."""
    return column_key(INACTIVE_PREFIX + award, scope)


def series_key(fact: str, year: int, scope: str = "self") -> str:
    """The column name of one year of a yearly series."""
    return f"{column_key(fact, scope)}@{year}"


@attrs.frozen
class QExpr:
    """A compiled arithmetic expression: ``column`` (a fact column), ``const``, ``sum``,
    ``product``, ``difference``, ``ratio``, ``months`` or ``days`` of ``parts``. ``key`` is its
    text, which names its derived column."""

    op: str
    key: str
    column: str | None = None
    value: float | None = None
    parts: tuple[QExpr, ...] = ()


def round_decimals(values: FloatArray) -> FloatArray:
    """``values`` rounded to :data:`DIFFERENCE_DECIMALS`, exactly as Python's ``round`` does,
    without numpy's overflow: beyond 1e15 a double has no decimals left to round."""
    arr = np.asarray(values, dtype=np.float64)
    small = np.abs(arr) < 1e15
    with np.errstate(over="ignore", invalid="ignore"):
        rounded = np.round(np.where(small, arr, 0.0), DIFFERENCE_DECIMALS)
    out: FloatArray = np.where(small, rounded, arr)
    return out


@attrs.frozen
class QDistinct:
    """The number of distinct ids over the ``columns`` (years) of an ids series, leaving out
    the ids listed in the ``excluding`` columns (years of another ids series)."""

    key: str
    columns: tuple[str, ...]
    excluding: tuple[str, ...] = ()


@attrs.frozen(eq=False)
class FactTable:
    """Candidates as columns. Build it with :func:`emulation_rules.candidates.validate_input`
    or, for bulk runs on data that is already clean, :meth:`from_columns`."""

    ids: tuple[str, ...]
    kind: IntArray
    attributes: Mapping[str, IntArray]
    values: Mapping[str, FloatArray]
    known: Mapping[str, BoolArray]
    unit_row: IntArray | None = None
    id_sets: Mapping[str, tuple[frozenset[str] | None, ...]] = attrs.field(factory=dict)

    def __len__(self) -> int:
        return len(self.ids)

    def units(self) -> IntArray:
        """Each row's unit's row (-1 for collectives, or when the table does not say)."""
        if self.unit_row is None:
            return np.full(len(self.ids), -1, dtype=np.int32)
        return self.unit_row

    def difference(self, column: str, other: str) -> tuple[FloatArray, BoolArray]:
        """``column - other`` rounded to :data:`DIFFERENCE_DECIMALS`, and where both are known.

        Both engines compare ``fact OP to_fact + margin`` as ``difference OP margin`` on these
        values, so a published gain of exactly 0.50 is 0.5, never 0.4999999999999996.
        """
        known = self.known[column] & self.known[other]
        with np.errstate(over="ignore", invalid="ignore"):
            diff = round_decimals(self.values[column] - self.values[other])
        return np.where(known, diff, 0.0), known

    @classmethod
    def from_columns(
        cls,
        campaign: Campaign,
        *,
        ids: tuple[str, ...],
        kind: IntArray,
        unit_type: IntArray,
        values: Mapping[str, FloatArray],
        known: Mapping[str, BoolArray] | None = None,
        unit_unit_type: IntArray | None = None,
        unit_row: IntArray | None = None,
    ) -> FactTable:
        """A table from prepared columns (ranks for ordinals, 0/1 for booleans, NaN = missing).

        Columns are checked for length and for values outside each fact's declared range.
        """
        n = len(ids)
        known_cols: dict[str, BoolArray] = {}
        value_cols: dict[str, FloatArray] = {}
        for key, col in values.items():
            arr = np.asarray(col, dtype=np.float64)
            if arr.shape != (n,):
                raise ValueError(f"column '{key}' has {arr.shape[0]} rows, expected {n}")
            k = np.asarray(known[key], dtype=bool) if known and key in known else ~np.isnan(arr)
            fact = campaign.fact(key.removeprefix("unit.").partition("@")[0])
            lo, hi = numeric_bounds(campaign, fact)
            bad = k & ((arr < lo) | (arr > hi))
            if bad.any():
                row = int(np.argmax(bad))
                raise ValueError(
                    f"row {row} ({ids[row]}): fact '{key}' = {arr[row]} is outside {lo}..{hi}"
                )
            value_cols[key] = np.where(k, arr, 0.0)
            known_cols[key] = k
        attrs_cols = {"unit_type": np.asarray(unit_type, dtype=np.int32)}
        attrs_cols["unit.unit_type"] = (
            np.asarray(unit_unit_type, dtype=np.int32)
            if unit_unit_type is not None
            else np.full(n, -1, dtype=np.int32)
        )
        units = np.asarray(unit_row, dtype=np.int32) if unit_row is not None else None
        return cls(ids, np.asarray(kind, dtype=np.int32), attrs_cols, value_cols, known_cols, units)


def column_known(table: FactTable, column: str) -> BoolArray:
    """Where a fact column is known: a value column's mask, or an ids series year's sets."""
    known = table.known.get(column)
    if known is not None:
        return known
    sets = table.id_sets.get(column)
    if sets is None:
        return np.zeros(len(table), dtype=bool)
    return np.fromiter((s is not None for s in sets), dtype=bool, count=len(table))


def column_fact(column: str) -> tuple[str, int | None]:
    """The fact id (and a series' year) of a fact column: ``unit.x@2023`` -> ``("x", 2023)``."""
    bare, _, year = column.removeprefix("unit.").partition("@")
    return bare, int(year) if year else None


def column_text(column: str) -> str:
    """A fact column as people name it: ``unit.x@2023`` -> ``unit.x[2023]`` (as a table's
    header writes a series' year)."""
    head, at, year = column.partition("@")
    return f"{head}[{year}]" if at else column


def numeric_bounds(campaign: Campaign, fact: Fact) -> tuple[float, float]:
    """The range a normalised value of ``fact`` must lie in."""
    if fact.value_type == "boolean":
        return 0.0, 1.0
    if fact.value_type in ("date", "ids"):
        return 1.0, float(dt.date.max.toordinal())
    if fact.value_type == "ordinal":
        assert fact.scale is not None
        return 0.0, float(len(campaign.scale(fact.scale).levels) - 1)
    lo = fact.minimum if fact.minimum is not None else -np.inf
    hi = fact.maximum if fact.maximum is not None else np.inf
    return float(lo), float(hi)


def display_value(campaign: Campaign, fact: Fact, value: float, known: bool) -> object:
    """A normalised value back in the form the plan writes it (label, bool, int, float)."""
    if not known:
        return None
    vtype = fact.value_type
    if vtype == "boolean":
        return bool(value)
    if vtype == "ordinal":
        assert fact.scale is not None
        return campaign.scale(fact.scale).levels[int(value)]
    if vtype == "integer":
        return int(value)
    if vtype == "date":
        return dt.date.fromordinal(int(value)).isoformat()
    return float(value)


def encode_date(value: object) -> float:
    """A date (or strict ISO text) as its day number, the form both engines compare."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    assert isinstance(value, dt.date)
    return float(value.toordinal())


# --- derived columns ----------------------------------------------------------------------------
def derive(
    table: FactTable, quantities: Mapping[str, QExpr | QDistinct], *, members: bool = False
) -> FactTable:
    """The table with the derived columns of ``quantities`` (and, with ``members``, each
    collective's member count) added; the table itself is left unchanged."""
    if not quantities and not members:
        return table
    values = dict(table.values)
    known = dict(table.known)
    for key, q in quantities.items():
        if key in values:
            continue
        if isinstance(q, QDistinct):
            lo, hi, counted, exact = _distinct(table, q)
            values[f"{key}.lo"], known[f"{key}.lo"] = lo, np.ones(len(table), dtype=bool)
            values[f"{key}.hi"], known[f"{key}.hi"] = hi, np.isfinite(hi)
            values[f"{key}.n"], known[f"{key}.n"] = counted, exact
        else:
            values[key], known[key] = _evaluate(q, values, known, len(table))
    if members:
        units = table.units()
        counts = np.bincount(units[units >= 0], minlength=len(table)).astype(np.float64)
        values[MEMBERS_COLUMN] = np.where(table.kind == KIND_CODES["collective"], counts, 0.0)
        known[MEMBERS_COLUMN] = np.ones(len(table), dtype=bool)
    return attrs.evolve(table, values=values, known=known)


def _evaluate(
    q: QExpr, values: Mapping[str, FloatArray], known: Mapping[str, BoolArray], n: int
) -> tuple[FloatArray, BoolArray]:
    if q.op == "column":
        assert q.column is not None
        return values[q.column], known[q.column]
    if q.op == "const":
        assert q.value is not None
        return np.full(n, q.value, dtype=np.float64), np.ones(n, dtype=bool)
    parts = [_evaluate(p, values, known, n) for p in q.parts]
    ok = np.logical_and.reduce([k for _, k in parts])
    vals = [v for v, _ in parts]
    with np.errstate(all="ignore"):
        if q.op == "sum":
            out = np.add.reduce(vals)
        elif q.op == "product":
            out = np.multiply.reduce(vals)
        elif q.op in ("difference", "days"):
            out = vals[0] - vals[1] if q.op == "difference" else vals[1] - vals[0]
        elif q.op == "ratio":
            zero = vals[1] == 0.0
            ok = ok & ~zero
            out = np.divide(vals[0], np.where(zero, 1.0, vals[1]))
        elif q.op == "months":
            out = _months(vals[0], vals[1])
        else:
            raise ValueError(f"unknown arithmetic operation {q.op!r}")
    out = round_decimals(np.asarray(out, dtype=np.float64))
    ok = ok & np.isfinite(out)
    return np.where(ok, out, 0.0), ok


_EPOCH = dt.date(1970, 1, 1).toordinal()


def _months(start: FloatArray, end: FloatArray) -> FloatArray:
    """Whole calendar months from ``start`` to ``end`` (day numbers): 15/3 to 14/4 is 0,
    15/3 to 15/4 is 1; negative when ``end`` is earlier."""
    safe_s = np.clip(start, 1, dt.date.max.toordinal()).astype(np.int64) - _EPOCH
    safe_e = np.clip(end, 1, dt.date.max.toordinal()).astype(np.int64) - _EPOCH
    ds = safe_s.astype("datetime64[D]")
    de = safe_e.astype("datetime64[D]")
    ms = ds.astype("datetime64[M]")
    me = de.astype("datetime64[M]")
    months = (me - ms).astype(np.int64)
    day_s = (ds - ms.astype("datetime64[D]")).astype(np.int64)
    day_e = (de - me.astype("datetime64[D]")).astype(np.int64)
    months = months - ((months > 0) & (day_e < day_s)) + ((months < 0) & (day_e > day_s))
    out: FloatArray = months.astype(np.float64)
    return out


def _union(columns: list[tuple[frozenset[str] | None, ...]], i: int) -> tuple[set[str], bool]:
    """The ids of row ``i`` over ``columns`` (years of an ids series), and whether every year is
    given (a year not given may hold any id)."""
    out: set[str] = set()
    complete = True
    for col in columns:
        ids = col[i]
        if ids is None:
            complete = False
        else:
            out |= ids
    return out, complete


def _distinct(
    table: FactTable, q: QDistinct
) -> tuple[FloatArray, FloatArray, FloatArray, BoolArray]:
    """The count's interval [lo, hi] (hi = inf when a year is missing), the count of the ids
    listed so far less those known to be excluded, and whether that count is exact."""
    n = len(table)
    lo = np.zeros(n, dtype=np.float64)
    hi = np.zeros(n, dtype=np.float64)
    counts = np.zeros(n, dtype=np.float64)
    exact = np.zeros(n, dtype=bool)
    columns = [table.id_sets.get(c, (None,) * n) for c in q.columns]
    excluding = [table.id_sets.get(c, (None,) * n) for c in q.excluding]
    for i in range(n):
        seen, complete = _union(columns, i)
        used, used_known = _union(excluding, i)
        counted = len(seen - used)
        # a year of the excluding series not given may exclude any id: open downwards
        lo[i] = counted if used_known else 0
        hi[i] = counted if complete else np.inf
        counts[i] = counted
        exact[i] = complete and used_known
    return lo, hi, counts, exact
