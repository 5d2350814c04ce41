"""Fact values, column by column: one parser per fact type, chosen by one dispatch on the type.

A column arrives in one of two forms:

* **typed values** (a Python list: JSON, the Python API, typed spreadsheet cells, or a typed
  Parquet/polars column): checked strictly by type — ``true`` is not ``1``, ``"8"`` is not ``8``;
* **text cells** (a polars string column: CSV, text cells of a spreadsheet): parsed by the
  input's :class:`~emulation_rules.inputs.locale.Locale`, vectorised in polars.

Every parser returns the column encoded for the fact table (ordinal levels as ranks, booleans as
0/1, numbers as float64, dates as day numbers — ``date.toordinal()``), its known-mask and every
bad cell with the rule it breaks. An empty cell or ``null`` is unknown, never false or zero.
Integers beyond ±2**53 are refused: float64 cannot hold them exactly, so two distinct values
could tie (the documented choice).

Dates: typed values are strict ISO ``YYYY-MM-DD`` text (or a ``datetime.date`` from Python; a
spreadsheet's date cell); text cells are read as the locale writes them (``dd/mm/yyyy`` in
Vietnamese, ISO always). A yearly series is parsed year by year with its element's parser (the
readers split it into one column per year, :mod:`.columns`); an ``ids`` element is a list of
identifiers (JSON) or, in a text cell, identifiers separated by commas, semicolons or line
breaks, ``-`` (or ``không có``, ``none``) for "none that year" — an empty cell stays unknown.
The dispatch is on the fact's value type (a series' element type).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable
from typing import Any

import attrs
import numpy as np
import polars as pl

from emulation_rules.engine.fact_table import BoolArray, FloatArray
from emulation_rules.errors import shorten
from emulation_rules.inputs.locale import Locale, fold, fold_case
from emulation_rules.limits import Limits
from emulation_rules.plan.campaign import Campaign, Fact
from emulation_rules.plan.facts import EXACT_INTEGER

NoneType = type(None)


@attrs.define
class Parsed:
    """One column after parsing: encoded values, where they are known, and the bad cells
    (row, rule, the value shortened)."""

    values: FloatArray
    known: BoolArray
    bad: list[tuple[int, str, str | None]]
    #: the ids of an ``ids`` column, per row (None where unknown)
    sets: list[frozenset[str] | None] | None = None


@attrs.frozen
class Context:
    """What a parser needs besides the column."""

    campaign: Campaign
    fact: Fact
    locale: Locale
    limits: Limits
    #: spreadsheet cells: a float that is a whole number is an integer, text cells use the locale
    spreadsheet: bool = False


def parse_column(raw: list[Any] | pl.Series, ctx: Context) -> Parsed:
    """Parse one fact's column (typed list or text series) by the fact's type."""
    vtype = ctx.fact.value_type  # a series' year column: its element type
    if isinstance(raw, pl.Series):
        if raw.dtype == pl.String:
            return TEXT[vtype](raw, ctx)
        if raw.dtype == pl.Null:
            n = len(raw)
            return Parsed(
                np.zeros(n),
                np.zeros(n, dtype=bool),
                [],
                [None] * n if vtype == "ids" else None,
            )
        return _typed_series(raw, ctx)
    texts = [i for i, v in enumerate(raw) if type(v) is str] if ctx.spreadsheet else []
    if not texts:
        return TYPED[vtype](raw, ctx)
    # a spreadsheet column mixing typed cells and text cells: each by its own parser
    typed = list(raw)
    for i in texts:
        typed[i] = None
    out = TYPED[vtype](typed, ctx)
    text = TEXT[vtype](pl.Series([raw[i] for i in texts], dtype=pl.String), ctx)
    idx = np.asarray(texts, dtype=np.int64)
    out.values[idx] = text.values
    out.known[idx] = text.known
    if out.sets is not None and text.sets is not None:
        for k, i in enumerate(texts):
            out.sets[i] = text.sets[k]
    out.bad.extend((texts[r], rule, v) for r, rule, v in text.bad)
    out.bad.sort(key=lambda b: b[0])
    return out


# --- messages -------------------------------------------------------------------------------
def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _range_rules(fact: Fact) -> list[tuple[str, Callable[[FloatArray], BoolArray]]]:
    rules: list[tuple[str, Callable[[FloatArray], BoolArray]]] = []
    if fact.minimum is not None:
        lo = fact.minimum
        rules.append((f"Input should be greater than or equal to {_num(lo)}", lambda v: v < lo))
    if fact.maximum is not None:
        hi = fact.maximum
        rules.append((f"Input should be less than or equal to {_num(hi)}", lambda v: v > hi))
    return rules


EXACT_RULE = (
    f"Input should be an integer within ±{EXACT_INTEGER:,} (larger integers cannot be compared "
    "exactly and are refused)"
)
FINITE_RULE = "Input should be a finite number"


def _digits_rule(limits: Limits) -> str:
    return (
        f"a number of more than {limits.max_number_digits} digits is refused (limit "
        f"max_number_digits = {limits.max_number_digits})"
    )


def _check_ranges(
    values: FloatArray, known: BoolArray, fact: Fact, shown: Callable[[int], str | None]
) -> list[tuple[int, str, str | None]]:
    bad: list[tuple[int, str, str | None]] = []
    for rule, test in _range_rules(fact):
        with np.errstate(invalid="ignore"):
            rows = np.flatnonzero(known & test(values))
        for i in rows.tolist():
            bad.append((i, rule, shown(i)))
            known[i] = False
    return bad


def _finish(
    values: FloatArray, known: BoolArray, bad: list[Any], ctx: Context, shown: Any
) -> Parsed:
    bad.extend(_check_ranges(values, known, ctx.fact, shown))
    values[~known] = 0.0
    bad.sort(key=lambda b: b[0])
    return Parsed(values, known, bad)


# --- typed values ---------------------------------------------------------------------------
def _typed_number(col: list[Any], ctx: Context) -> Parsed:
    return _typed_numeric(col, ctx, integer=False)


def _typed_integer(col: list[Any], ctx: Context) -> Parsed:
    return _typed_numeric(col, ctx, integer=True)


def _typed_numeric(col: list[Any], ctx: Context, *, integer: bool) -> Parsed:
    n = len(col)
    bad: list[tuple[int, str, str | None]] = []
    accepted: set[type] = {int, NoneType} if integer else {int, float, NoneType}
    if ctx.spreadsheet:
        accepted = {int, float, NoneType}
    types = set(map(type, col))
    clean = col
    if not types <= accepted or (int in types):
        clean = list(col)
        want = "a valid integer" if integer else "a valid number"
        for i, v in enumerate(col):
            t = type(v)
            if t is NoneType:
                continue
            if t not in accepted:
                bad.append((i, f"Input should be {want}", shorten(v)))
                clean[i] = None
            elif t is int and not -EXACT_INTEGER <= v <= EXACT_INTEGER:
                bad.append((i, EXACT_RULE, shorten(v)))
                clean[i] = None
    known = np.fromiter((v is not None for v in clean), dtype=bool, count=n)
    values = np.fromiter((0.0 if v is None else v for v in clean), dtype=np.float64, count=n)
    finite = np.isfinite(values)
    for i in np.flatnonzero(known & ~finite).tolist():
        bad.append((i, FINITE_RULE, shorten(col[i])))
        known[i] = False
    if integer and float in types:
        frac = known & (np.floor(values) != values)
        for i in np.flatnonzero(frac).tolist():
            bad.append(
                (
                    i,
                    "Input should be a valid integer, got a number with a fractional part",
                    shorten(col[i]),
                )
            )
            known[i] = False
    if float in types:
        big = known & (np.abs(values) > EXACT_INTEGER) & (np.floor(values) == values) & integer
        for i in np.flatnonzero(big).tolist():
            bad.append((i, EXACT_RULE, shorten(col[i])))
            known[i] = False
    return _finish(values, known, bad, ctx, lambda i: shorten(col[i]))


def _typed_boolean(col: list[Any], ctx: Context) -> Parsed:
    n = len(col)
    bad: list[tuple[int, str, str | None]] = []
    types = set(map(type, col))
    clean = col
    if not types <= {bool, NoneType}:
        clean = list(col)
        for i, v in enumerate(col):
            if v is not None and type(v) is not bool:
                bad.append((i, "Input should be a valid boolean", shorten(v)))
                clean[i] = None
    known = np.fromiter((v is not None for v in clean), dtype=bool, count=n)
    values = np.fromiter((1.0 if v else 0.0 for v in clean), dtype=np.float64, count=n)
    return Parsed(values, known, bad)


def levels_rule(levels: tuple[str, ...]) -> str:
    quoted = [f"'{lvl}'" for lvl in levels]
    return "Input should be " + (", ".join(quoted[:-1]) + " or " + quoted[-1])


def _ordinal_lookup(ctx: Context, *, folded: bool) -> dict[str, float | None]:
    """Written form -> rank; with ``folded`` the keys are case/diacritic-folded (None marks a
    folded form two levels share: ambiguous, so refused)."""
    assert ctx.fact.scale is not None
    scale = ctx.campaign.scale(ctx.fact.scale)
    ranks = {lvl: float(i) for i, lvl in enumerate(scale.levels)}
    pairs = [*ranks.items(), *((a, ranks[lvl]) for a, lvl in scale.aliases.items())]
    if not folded:
        return dict(pairs)
    out: dict[str, float | None] = {}
    for written, rank in pairs:
        key = fold(written)
        out[key] = rank if out.get(key, rank) == rank else None
    return out


def _typed_ordinal(col: list[Any], ctx: Context) -> Parsed:
    n = len(col)
    lookup = _ordinal_lookup(ctx, folded=ctx.spreadsheet)
    assert ctx.fact.scale is not None
    rule = levels_rule(ctx.campaign.scale(ctx.fact.scale).levels)
    known = np.zeros(n, dtype=bool)
    values = np.zeros(n, dtype=np.float64)
    bad: list[tuple[int, str, str | None]] = []
    cache: dict[Any, float | None] = {}
    for i, v in enumerate(col):
        if v is None:
            continue
        if type(v) is not str:
            bad.append((i, rule, shorten(v)))
            continue
        if v not in cache:
            key = fold(v) if ctx.spreadsheet else unicodedata.normalize("NFC", v)
            cache[v] = lookup.get(key)
        rank = cache[v]
        if rank is None:
            bad.append((i, rule, shorten(v)))
        else:
            values[i] = rank
            known[i] = True
    return Parsed(values, known, bad)


def _typed_series(raw: pl.Series, ctx: Context) -> Parsed:
    """A typed polars column (Parquet): numbers, integers and booleans without a Python loop."""
    ftype = ctx.fact.value_type
    known = (~raw.is_null()).to_numpy()
    dtype = raw.dtype
    if ftype == "boolean" and dtype == pl.Boolean:
        values = raw.fill_null(False).cast(pl.Float64).to_numpy().copy()
        return Parsed(values, known.copy(), [])
    if ftype in ("number", "integer") and dtype.is_numeric():
        bad: list[tuple[int, str, str | None]] = []
        if dtype.is_integer():
            too_big = (raw.abs() > EXACT_INTEGER).fill_null(False).to_numpy()
            values = raw.cast(pl.Float64).fill_null(0.0).to_numpy().copy()
            known = known.copy()
            for i in np.flatnonzero(too_big).tolist():
                bad.append((i, EXACT_RULE, shorten(raw[i])))
                known[i] = False
        else:
            values = raw.cast(pl.Float64).fill_null(0.0).to_numpy().copy()
            known = known.copy()
            for i in np.flatnonzero(known & ~np.isfinite(values)).tolist():
                bad.append((i, FINITE_RULE, shorten(raw[i])))
                known[i] = False
            if ftype == "integer":
                with np.errstate(invalid="ignore"):
                    frac = known & (np.floor(values) != values)
                for i in np.flatnonzero(frac).tolist():
                    bad.append((i, "Input should be a valid integer", shorten(raw[i])))
                    known[i] = False
        return _finish(values, known, bad, ctx, lambda i: shorten(raw[i]))
    return TYPED[ftype](raw.to_list(), ctx)


# --- text cells -----------------------------------------------------------------------------
def _text_present(raw: pl.Series) -> tuple[pl.Series, np.ndarray]:
    s = raw.str.strip_chars()
    present = (s.is_not_null() & (s.str.len_bytes() > 0)).to_numpy()
    return s, present


def _text_numeric(raw: pl.Series, ctx: Context, *, integer: bool) -> Parsed:
    loc = ctx.locale
    s, present = _text_present(raw)
    n = len(s)
    bad: list[tuple[int, str, str | None]] = []

    def shown(i: int) -> str:
        return shorten(s[i])

    lengths = s.str.len_bytes().fill_null(0).to_numpy()
    too_long = present & (lengths > ctx.limits.max_number_digits)
    for i in np.flatnonzero(too_long).tolist():  # count the digits of the long ones only
        too_long[i] = sum(ch.isdigit() for ch in str(s[i])) > ctx.limits.max_number_digits
    ok = s.str.contains(loc.number_pattern).fill_null(False).to_numpy() & present & ~too_long
    cleaned = s.str.replace_all(loc.group, "", literal=True).str.replace(
        loc.decimal, ".", literal=True
    )
    values = cleaned.cast(pl.Float64, strict=False).fill_null(0.0).to_numpy().copy()
    values[~ok] = 0.0
    rule = (
        f"Input should be {'an integer' if integer else 'a number'} written in the "
        f"{loc.label.split(' (')[0]} notation of this input (--locale {loc.name}): "
        f"'{loc.decimal}' marks decimals, '{loc.group}' groups thousands, e.g. "
        f"{loc.example(1234.5)}"
    )
    for i in np.flatnonzero(too_long).tolist():
        bad.append((i, _digits_rule(ctx.limits), shorten(s[i])))
    for i in np.flatnonzero(present & ~ok & ~too_long).tolist():
        bad.append((i, rule, shown(i)))
    known = ok.copy()
    if integer:
        frac = known & (np.floor(values) != values)
        for i in np.flatnonzero(frac).tolist():
            bad.append(
                (
                    i,
                    "Input should be a valid integer, got a number with a fractional part",
                    shown(i),
                )
            )
            known[i] = False
        exact_check = known & (lengths >= 16)
        for i in np.flatnonzero(exact_check).tolist():
            text = re.sub(r"[^0-9+-]|(?<=.)[+-]", "", str(cleaned[i]).split(".")[0])
            if abs(int(text)) > EXACT_INTEGER:
                bad.append((i, EXACT_RULE, shown(i)))
                known[i] = False
    else:
        big = known & (np.abs(values) > EXACT_INTEGER) & (np.floor(values) == values)
        for i in np.flatnonzero(big & (lengths >= 16)).tolist():
            bad.append((i, EXACT_RULE, shown(i)))
            known[i] = False
    for i in np.flatnonzero(known & ~np.isfinite(values)).tolist():
        bad.append((i, FINITE_RULE, shown(i)))
        known[i] = False
    del n
    return _finish(values, known, bad, ctx, shown)


def _text_number(raw: pl.Series, ctx: Context) -> Parsed:
    return _text_numeric(raw, ctx, integer=False)


def _text_integer(raw: pl.Series, ctx: Context) -> Parsed:
    return _text_numeric(raw, ctx, integer=True)


def _by_unique(raw: pl.Series, decide: Callable[[str], float | None], rule: str) -> Parsed:
    """Map each distinct text once (a column has few distinct grades or yes/no words)."""
    s, present = _text_present(raw)
    uniques = s.filter(pl.Series(present)).unique().to_list() if present.any() else []
    mapping = {u: decide(u) for u in uniques}
    good = {k: v for k, v in mapping.items() if v is not None}
    encoded = s.replace_strict(good, default=None, return_dtype=pl.Float64) if good else None
    n = len(s)
    values = encoded.fill_null(0.0).to_numpy().copy() if encoded is not None else np.zeros(n)
    known = (
        (encoded.is_not_null().to_numpy() & present) if encoded is not None else np.zeros(n, bool)
    )
    bad: list[tuple[int, str, str | None]] = [
        (i, rule, shorten(s[i])) for i in np.flatnonzero(present & ~known).tolist()
    ]
    return Parsed(values, known.copy(), bad)


def _text_boolean(raw: pl.Series, ctx: Context) -> Parsed:
    loc = ctx.locale
    words = "/".join(w for w in (*loc.true_words[:3], *loc.false_words[:2]))

    def decide(text: str) -> float | None:
        b = loc.boolean(fold_case(text))
        return None if b is None else float(b)

    rule = f"Input should be a valid boolean (yes/no words of --locale {loc.name}: {words}, …)"
    return _by_unique(raw, decide, rule)


def _text_ordinal(raw: pl.Series, ctx: Context) -> Parsed:
    lookup = _ordinal_lookup(ctx, folded=True)
    assert ctx.fact.scale is not None
    rule = levels_rule(ctx.campaign.scale(ctx.fact.scale).levels)
    return _by_unique(raw, lambda t: lookup.get(fold(t)), rule)


# --- date facts -------------------------------------------------------------------------------
def _typed_date(col: list[Any], ctx: Context) -> Parsed:
    """Typed dates: ISO ``YYYY-MM-DD`` text, strictly (JSON); a ``datetime.date`` (Python); a
    spreadsheet's date cell (a date-time at midnight). Never a number, never a time of day."""
    n = len(col)
    values = np.zeros(n, dtype=np.float64)
    known = np.zeros(n, dtype=bool)
    bad: list[tuple[int, str, str | None]] = []
    for i, v in enumerate(col):
        if v is None:
            continue
        if isinstance(v, dt.datetime) and not ctx.spreadsheet:
            day: dt.date | str = DATE_RULE + "; a date has no time of day or time zone"
        elif isinstance(v, dt.date | dt.datetime):
            day = parse_date_value(v, None)
        elif isinstance(v, str):
            t = v.strip()
            day = parse_date_text(t, None) if _ISO.match(t) else _iso_rule(t)
        else:
            day = parse_date_value(v, None)
        if isinstance(day, str):
            bad.append((i, day, shorten(v)))
        else:
            values[i] = float(day.toordinal())
            known[i] = True
    return Parsed(values, known, bad)


def _iso_rule(text: str) -> str:
    """Why a typed (JSON) date is refused: dates in JSON are ISO text, whatever the locale."""
    if "T" in text or ":" in text:
        return DATE_RULE + "; a date has no time of day or time zone"
    rule = parse_date_text(text, None)
    assert isinstance(rule, str)
    if _DMY.match(text):
        return rule + "; in JSON a date is ISO text, whatever the locale"
    return rule


def _text_date(raw: pl.Series, ctx: Context) -> Parsed:
    """Text cells: ISO always, ``dd/mm/yyyy`` in a day-first locale (each distinct text once)."""
    s, present = _text_present(raw)
    n = len(s)
    texts = s.to_list()
    cache: dict[str, dt.date | str] = {}
    values = np.zeros(n, dtype=np.float64)
    known = np.zeros(n, dtype=bool)
    bad: list[tuple[int, str, str | None]] = []
    for i in np.flatnonzero(present).tolist():
        t = texts[i]
        day = cache.get(t)
        if day is None:
            day = cache[t] = parse_date_text(t, ctx.locale)
        if isinstance(day, str):
            bad.append((i, day, shorten(t)))
        else:
            values[i] = float(day.toordinal())
            known[i] = True
    return Parsed(values, known, bad)


# --- ids (the element of an ids series) ----------------------------------------------------------
IDS_RULE = 'Input should be a list of identifiers (non-empty text), e.g. ["SK-01", "SK-02"]'
_NONE_WORDS = ("-", "—", "–", "khong co", "none")


def _one_id(value: Any, ctx: Context) -> str | None:
    if ctx.spreadsheet and isinstance(value, int | float) and not isinstance(value, bool):
        value = str(int(value)) if float(value).is_integer() else str(value)
    if type(value) is not str or not value.strip() or len(value) > ctx.limits.max_string_length:
        return None
    t = value.strip()
    return t if t.isascii() else unicodedata.normalize("NFC", t)


def _typed_ids(col: list[Any], ctx: Context) -> Parsed:
    n = len(col)
    sets: list[frozenset[str] | None] = [None] * n
    known = np.zeros(n, dtype=bool)
    bad: list[tuple[int, str, str | None]] = []
    for i, v in enumerate(col):
        if v is None:
            continue
        if ctx.spreadsheet and not isinstance(v, list | tuple):
            v = [v]  # a typed spreadsheet cell (a number) holds one id
        if not isinstance(v, list | tuple):
            bad.append((i, IDS_RULE, shorten(v)))
            continue
        ids = [_one_id(x, ctx) for x in v]
        if any(x is None for x in ids):
            bad.append((i, IDS_RULE, shorten(v)))
            continue
        sets[i] = frozenset(x for x in ids if x is not None)
        known[i] = True
    return Parsed(np.zeros(n), known, bad, sets)


def _text_ids(raw: pl.Series, ctx: Context) -> Parsed:
    s, present = _text_present(raw)
    n = len(s)
    texts = s.to_list()
    sets: list[frozenset[str] | None] = [None] * n
    known = np.zeros(n, dtype=bool)
    bad: list[tuple[int, str, str | None]] = []
    for i in np.flatnonzero(present).tolist():
        t = texts[i]
        if fold(t) in _NONE_WORDS:
            sets[i] = frozenset()
            known[i] = True
            continue
        parts = [p.strip() for p in re.split(r"[,;\n]", t)]
        ids = [_one_id(p, ctx) for p in parts if p]
        if not ids or any(x is None for x in ids):
            rule = (
                "Input should be identifiers separated by commas or semicolons (e.g. SK-01, "
                "SK-02), or '-' for none that year"
            )
            bad.append((i, rule, shorten(t)))
            continue
        sets[i] = frozenset(x for x in ids if x is not None)
        known[i] = True
    return Parsed(np.zeros(n), known, bad, sets)


TYPED: dict[str, Callable[[list[Any], Context], Parsed]] = {
    "boolean": _typed_boolean,
    "integer": _typed_integer,
    "number": _typed_number,
    "ordinal": _typed_ordinal,
    "date": _typed_date,
    "ids": _typed_ids,
}
TEXT: dict[str, Callable[[pl.Series, Context], Parsed]] = {
    "boolean": _text_boolean,
    "integer": _text_integer,
    "number": _text_number,
    "ordinal": _text_ordinal,
    "date": _text_date,
    "ids": _text_ids,
}


# --- dates (date facts, as_of, publication dates, active periods) -----------------------------
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$", re.ASCII)
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", re.ASCII)
DATE_RULE = "a date is written YYYY-MM-DD (e.g. 2022-05-20)"


def parse_date_text(text: str, locale: Locale | None) -> dt.date | str:
    """A date from text: ISO ``YYYY-MM-DD`` always, ``dd/mm/yyyy`` in a day-first locale.
    Returns the date, or the rule it breaks."""
    t = text.strip()
    m = _ISO.match(t)
    day_first = locale is not None and locale.day_first_dates
    rule = DATE_RULE + (" or dd/mm/yyyy (e.g. 20/5/2022)" if day_first else "")
    if m:
        y, mo, d = (int(g) for g in m.groups())
    elif day_first and (m := _DMY.match(t)):
        d, mo, y = (int(g) for g in m.groups())
    else:
        if re.fullmatch(r"\d{8}", t, re.ASCII):
            return f"{rule}; '{t}' has no separators: write {t[:4]}-{t[4:6]}-{t[6:]}"
        return rule
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return f"{rule}: there is no such day"


def parse_date_value(value: Any, locale: Locale | None) -> dt.date | str:
    """A date from a typed value (a JSON string, a spreadsheet date cell) or the rule broken."""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0) or value.tzinfo is not None:
            return DATE_RULE + "; a date has no time of day"
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return parse_date_text(value, locale)
    if (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, float) and math.isfinite(value)
    ):  # an integer of any size (math.isfinite would overflow on a huge one)
        return DATE_RULE + "; a number (a timestamp?) is not a date"
    return DATE_RULE
