"""Validation by columns: raw columns in, the fact table out, every problem at once.

Types, ranges, ordinal grades, kinds, ids, unit links, provenance, active periods and candidate
attributes (:mod:`.attributes`) are checked column by column (:mod:`.values` parses each fact's
column in one call). Every problem names the candidate (or row/cell), the field and the rule;
the input is refused whole
(``on_invalid="refuse"``, the default) or, with ``on_invalid="report"``, the candidates with
problems are set aside in :attr:`ValidatedInput.rejected` and the others are evaluated.

An individual's unit must be among the candidates only when a criterion reads the unit (a fact
``of: unit``, the unit's award or criterion, or the unit's type when the individual does not
give its own). A yearly series is validated year by year with its element's parser; an ``ids``
series keeps its sets of ids per year for distinct counting (``FactTable.id_sets``). With
``on_invalid="report"``, a collective whose member was refused is refused too when a criterion
counts its members (the count would silently leave the member out).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt
import polars as pl
from pydantic import TypeAdapter, ValidationError

from emulation_rules.engine.fact_table import (
    KIND_CODES,
    FactTable,
    column_key,
    numeric_bounds,
    series_key,
)
from emulation_rules.errors import InputError, InputTooLarge, Problem, shorten
from emulation_rules.inputs.attributes import check_attributes
from emulation_rules.inputs.columns import Column, RawInput, RawProblem, attribute_key, year_key
from emulation_rules.inputs.locale import fold
from emulation_rules.inputs.provenance import FactProvenance, read_provenance
from emulation_rules.inputs.scores import ScoreEntry, score_totals
from emulation_rules.inputs.validated import Records, Rejected, ValidatedInput
from emulation_rules.inputs.values import Context, parse_column, parse_date_value
from emulation_rules.limits import Limits
from emulation_rules.plan.campaign import Campaign, Fact, Kind
from emulation_rules.plan.criteria import (
    AttributeTest,
    AwardRef,
    CriterionRef,
    MembersNode,
    fact_reads,
    walk,
)
from emulation_rules.text import nfc

OnInvalid = Literal["refuse", "report"]
_SCORES = TypeAdapter(dict[str, ScoreEntry])
_KIND_WORDS = {
    "collective": "collective",
    "individual": "individual",
    "tap the": "collective",
    "ca nhan": "individual",
}


def validate_raw(
    campaign: Campaign,
    raw: RawInput,
    *,
    on_invalid: OnInvalid = "refuse",
    limits: Limits | None = None,
) -> ValidatedInput:
    """Validate raw columns against ``campaign`` and build the fact table."""
    limits = limits or Limits()
    if on_invalid not in ("refuse", "report"):
        raise InputError(f"on_invalid must be 'refuse' or 'report', not {on_invalid!r}")
    n = raw.n
    if n == 0:
        raise InputError(f"{raw.origin}: no candidates: there is nothing to evaluate")
    if n > limits.max_candidates:
        raise InputTooLarge(
            f"{raw.origin}: {n:,} candidates is more than max_candidates "
            f"({limits.max_candidates:,}); raise it in EMULATION_RULES_LIMITS if this is meant"
        )
    problems: list[RawProblem] = list(raw.problems)
    ids = _strings(raw, "id", problems, limits, required=True)
    names = _strings(raw, "name", problems, limits, required=True)
    kinds = _kinds(raw, problems, limits)
    unit_types = _unit_types(campaign, raw, kinds, problems, limits)
    unit_ids = _strings(raw, "unit_id", problems, limits, required=False)
    active_from = _dates(raw, "active_from", problems)
    active_until = _dates(raw, "active_until", problems)
    bad_span = (active_from > 0) & (active_until > 0) & (active_until < active_from)
    for i in np.flatnonzero(bad_span).tolist():
        problems.append(
            RawProblem(i, "field 'active_until'", "is before 'active_from'", None, "active_until")
        )

    given = [cid for cid in ids if cid is not None]
    repeated = len(set(given)) != len(given)
    has_individuals = "individual" in set(kinds)
    first: dict[str, int] = (
        {cid: i for i, cid in reversed(list(enumerate(ids))) if cid}
        if repeated or has_individuals
        else {}
    )
    for i, cid in enumerate(ids) if repeated else ():
        if cid is None:
            continue
        j = first[cid]
        if j != i:
            problems.append(
                RawProblem(
                    i,
                    "field 'id'",
                    f"duplicate candidate id, first used at {raw.labels(j)}",
                    None,
                    "id",
                )
            )
    kind_code = np.fromiter(
        (KIND_CODES.get(k, -1) if k else -1 for k in kinds), dtype=np.int32, count=n
    )

    # facts, column by column
    parsed: dict[str, tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]] = {}
    series: dict[str, dict[int, _Year]] = {}
    provenance: dict[str, FactProvenance] = {}
    for fact in campaign.facts:
        if fact.type == "series":
            series[fact.id], series_given = _series(
                campaign, fact, raw, kind_code, kinds, problems, limits
            )
            if fact.id in raw.provenance:
                prov, prov_problems = read_provenance(
                    fact,
                    raw.provenance[fact.id],
                    series_given,
                    np.zeros(n),
                    locale=raw.locale if raw.spreadsheet else None,
                    limits=limits,
                )
                problems.extend(prov_problems)
                if prov.shown or prov.published.any():
                    provenance[fact.id] = prov
            continue
        col = raw.facts.get(fact.id)
        if col is None:
            parsed[fact.id] = (np.zeros(n), np.zeros(n, dtype=bool))
            continue
        ctx = Context(campaign, fact, raw.locale, limits, raw.spreadsheet)
        out = parse_column(col, ctx)
        field = f"fact '{fact.id}' ({fact.label})"
        for i, rule, value in out.bad:
            problems.append(RawProblem(i, field, rule, value, fact.id))
        carried = np.isin(kind_code, [KIND_CODES[k] for k in fact.kinds]) | (kind_code < 0)
        problems.extend(_not_carried(campaign, fact, out.known & ~carried, kinds))
        known = out.known & carried
        values = out.values
        if fact.id in raw.provenance:
            prov, prov_problems = read_provenance(
                fact,
                raw.provenance[fact.id],
                known,
                values,
                locale=raw.locale if raw.spreadsheet or isinstance(col, pl.Series) else None,
                limits=limits,
            )
            problems.extend(prov_problems)
            problems.extend(_ranges_after_conversion(campaign, fact.id, prov, values, known))
            if prov.shown or prov.published.any():
                provenance[fact.id] = prov
        parsed[fact.id] = (values, known)

    scores = _scores(campaign, raw, kinds, parsed, problems)

    # links between individuals and their units
    unit_facts = unit_scope_facts(campaign)
    unit_reads = unit_readers(campaign)
    needs_unit_type = individuals_read_unit_type(campaign)
    unit_row = np.full(n, -1, dtype=np.int64)
    for i in np.flatnonzero(kind_code == KIND_CODES["individual"]).tolist():
        uid = unit_ids[i]
        if uid is None:
            problems.append(
                RawProblem(
                    i,
                    "field 'unit_id'",
                    "an individual names the unit it works in",
                    None,
                    "unit_id",
                )
            )
            continue
        found = first.get(uid)
        if found is None:
            if unit_reads:
                problems.append(
                    RawProblem(
                        i,
                        "field 'unit_id'",
                        f"unit '{shorten(uid, 60)[1:-1]}' is not among the candidates, and a "
                        f"criterion reads the unit ({', '.join(unit_reads)})",
                        None,
                        "unit_id",
                    )
                )
            elif needs_unit_type and unit_types[i] is None:
                problems.append(
                    RawProblem(
                        i,
                        "field 'unit_type'",
                        f"unit '{shorten(uid, 60)[1:-1]}' is not among the candidates and the "
                        "plan reads the unit type (a criterion, an award's groups or cap, or a "
                        "candidate attribute): give the individual's unit_type",
                        None,
                        "unit_type",
                    )
                )
            continue
        j = found
        if kinds[j] != "collective":
            problems.append(
                RawProblem(i, "field 'unit_id'", f"'{uid}' is not a collective", None, "unit_id")
            )
            continue
        if (
            unit_types[i] is not None
            and unit_types[j] is not None
            and unit_types[i] != unit_types[j]
        ):
            problems.append(
                RawProblem(
                    i,
                    "field 'unit_type'",
                    f"'{unit_types[i]}' differs from its unit's '{unit_types[j]}'",
                    None,
                    "unit_type",
                )
            )
        unit_row[i] = j

    # candidate attributes (a cluster …); an individual's unit type is its unit's
    attribute_columns: dict[str, list[str | None]] = {}
    if campaign.candidate_attributes or raw.attributes:
        given_attributes = {
            a: _strings(raw, attribute_key(a), problems, limits, required=False, column=col)
            for a, col in raw.attributes.items()
        }
        unit_type_of = [
            unit_types[int(unit_row[i])] if unit_row[i] >= 0 else unit_types[i] for i in range(n)
        ]
        attribute_columns, attribute_problems = check_attributes(
            campaign, given_attributes, kinds, unit_type_of, spreadsheet=raw.spreadsheet
        )
        problems.extend(attribute_problems)

    rejected: list[Rejected] = []
    whole = [p for p in problems if p.row is None]
    by_row: dict[int, list[RawProblem]] = {}
    for p in problems:
        if p.row is not None:
            by_row.setdefault(p.row, []).append(p)
    if whole or (by_row and on_invalid == "refuse"):
        raise InputError(_phrase_all(raw, ids, whole, by_row))
    keep = np.ones(n, dtype=bool)
    if by_row:
        for i in by_row:
            keep[i] = False
        # a collective whose member is refused cannot be judged when a criterion counts its
        # members (the count would leave the member out)
        if reads_members(campaign):
            for i in np.flatnonzero(~keep & (unit_row >= 0)).tolist():
                j = int(unit_row[i])
                if keep[j]:
                    by_row[j] = [
                        RawProblem(
                            j,
                            "field 'id'",
                            f"its member '{ids[i]}' was refused, and a criterion counts the "
                            "members",
                            None,
                            "id",
                        )
                    ]
                    keep[j] = False
        # an individual whose unit is refused cannot be judged when a criterion reads the unit
        for i in np.flatnonzero(keep & (unit_row >= 0)).tolist():
            j = int(unit_row[i])
            if not keep[j] and (unit_reads or (needs_unit_type and unit_types[i] is None)):
                by_row[i] = [
                    RawProblem(
                        i,
                        "field 'unit_id'",
                        f"its unit '{ids[j]}' was refused, and a criterion reads the unit",
                        None,
                        "unit_id",
                    )
                ]
                keep[i] = False
        for i in sorted(by_row):
            phrased = tuple(_phrase(raw, ids, p) for p in by_row[i])
            rejected.append(Rejected(ids[i], names[i], raw.labels(i), phrased))
        if not keep.any():
            raise InputError(_phrase_all(raw, ids, [], by_row))
    rows = np.flatnonzero(keep)
    return _build(
        campaign,
        rows,
        ids,
        names,
        kinds,
        unit_types,
        unit_ids,
        kind_code,
        unit_row,
        parsed,
        series,
        provenance,
        scores,
        active_from,
        active_until,
        unit_facts,
        attribute_columns,
        tuple(rejected),
        on_invalid,
    )


# --- candidate fields -----------------------------------------------------------------------
def _column_list(col: Column | None, n: int) -> list[Any]:
    if col is None:
        return [None] * n
    if isinstance(col, pl.Series):
        if col.dtype != pl.String:
            return col.to_list()
        s = col.str.strip_chars().str.normalize("NFC")
        return [None if v == "" else v for v in s.to_list()]
    return col


def _strings(
    raw: RawInput,
    key: str,
    problems: list[RawProblem],
    limits: Limits,
    *,
    required: bool,
    column: Column | None = None,
) -> list[str | None]:
    """A text field (``column``, else the candidate field ``key``): stripped, NFC, within
    ``max_string_length``; missing is None."""
    col = raw.base.get(key) if column is None else column
    field = f"field '{key}'"
    limit = limits.max_string_length
    if col is None:
        if required:
            problems.extend(RawProblem(i, field, "Field required", None, key) for i in range(raw.n))
        return [None] * raw.n
    if isinstance(col, pl.Series) and col.dtype != pl.String:
        col = col.to_list()  # a typed column (Parquet): each value checked below
    if isinstance(col, pl.Series):
        s = col.str.strip_chars()
        long_rows = np.flatnonzero((s.str.len_chars() > limit).fill_null(False).to_numpy())
        for i in long_rows.tolist():
            rule = f"longer than max_string_length ({limit:,} characters)"
            problems.append(RawProblem(i, field, rule, shorten(s[i]), key))
        if (s.str.len_bytes() != s.str.len_chars()).any():  # NFC only matters beyond ASCII
            s = s.str.normalize("NFC")
        values: list[str | None] = (
            pl.select(pl.when(s.str.len_bytes() > 0).then(s)).to_series().to_list()
        )
        for i in long_rows.tolist():
            values[i] = None
        if required:
            empty = s.is_null().to_numpy() | (s == "").fill_null(True).to_numpy()
            empty[long_rows] = False
            for row in np.flatnonzero(empty).tolist():
                problems.append(RawProblem(row, field, "Field required", None, key))
        return values
    out: list[str | None] = [None] * raw.n
    for i, v in enumerate(col):
        if v is None:
            if required:
                problems.append(RawProblem(i, field, "Field required", None, key))
            continue
        if type(v) is not str:
            if raw.spreadsheet and isinstance(v, int | float) and not isinstance(v, bool):
                v = str(int(v)) if float(v).is_integer() else str(v)
            else:
                rule = "Input should be a valid string"
                problems.append(RawProblem(i, field, rule, shorten(v), key))
                continue
        if len(v) > limit:
            rule = f"longer than max_string_length ({limit:,} characters)"
            problems.append(RawProblem(i, field, rule, shorten(v), key))
            continue
        t = v.strip()
        if not t:
            if required:
                rule = "String should have at least 1 character"
                problems.append(RawProblem(i, field, rule, None, key))
            continue
        out[i] = t if t.isascii() else nfc(t)
    return out


def _kinds(raw: RawInput, problems: list[RawProblem], limits: Limits) -> list[str | None]:
    values = _strings(raw, "kind", problems, limits, required=True)
    cache: dict[str | None, str | None] = {None: None}
    for v in set(values):
        if v is not None:
            cache[v] = (
                _KIND_WORDS.get(fold(v))
                if raw.spreadsheet
                else (v if v in ("collective", "individual") else None)
            )
    out: list[str | None] = [cache[v] for v in values]
    if all(k is not None for v, k in cache.items() if v is not None):
        return out
    for i, v in enumerate(values):
        if v is not None and cache[v] is None:
            problems.append(
                RawProblem(
                    i,
                    "field 'kind'",
                    "Input should be 'collective' or 'individual'"
                    + (" (or Tập thể / Cá nhân)" if raw.spreadsheet else ""),
                    shorten(v),
                    "kind",
                )
            )
    return out


def _unit_types(
    campaign: Campaign,
    raw: RawInput,
    kinds: Sequence[str | None],
    problems: list[RawProblem],
    limits: Limits,
) -> list[str | None]:
    values = _strings(raw, "unit_type", problems, limits, required=False)
    known = campaign.unit_types()
    by_label = {fold(p.label): p.unit_type for p in campaign.participants}
    by_label.update({fold(u): u for u in known})
    cache: dict[str | None, str | None] = {None: None}
    for v in set(values):
        if v is not None:
            cache[v] = v if v in known else (by_label.get(fold(v)) if raw.spreadsheet else None)
    out: list[str | None] = [cache[v] for v in values]
    for i, v in enumerate(values):
        if v is None:
            if kinds[i] == "collective":
                problems.append(
                    RawProblem(
                        i,
                        "field 'unit_type'",
                        "a collective names its unit type",
                        None,
                        "unit_type",
                    )
                )
        elif cache[v] is None:
            problems.append(
                RawProblem(
                    i,
                    "field 'unit_type'",
                    f"'{shorten(v, 60)[1:-1]}' is not a participant of {campaign.id} "
                    f"(one of: {', '.join(known)})",
                    None,
                    "unit_type",
                )
            )
    return out


def _dates(raw: RawInput, key: str, problems: list[RawProblem]) -> npt.NDArray[np.int64]:
    col = raw.base.get(key)
    out = np.zeros(raw.n, dtype=np.int64)
    if col is None:
        return out
    values = _column_list(col, raw.n) if isinstance(col, pl.Series) else col
    text_locale = raw.locale if raw.spreadsheet or isinstance(col, pl.Series) else None
    for i, v in enumerate(values):
        if v is None:
            continue
        day = parse_date_value(v, text_locale)
        if isinstance(day, str):
            problems.append(RawProblem(i, f"field '{key}'", day, shorten(v), key))
        else:
            out[i] = day.toordinal()
    return out


def _ranges_after_conversion(
    campaign: Campaign,
    fact_id: str,
    prov: FactProvenance,
    values: npt.NDArray[np.float64],
    known: npt.NDArray[np.bool_],
) -> list[RawProblem]:
    fact = campaign.fact(fact_id)
    lo, hi = numeric_bounds(campaign, fact)
    out = []
    for i, info in prov.shown.items():
        if "scale" in info and known[i] and not lo <= values[i] <= hi:
            out.append(
                RawProblem(
                    i,
                    f"fact '{fact_id}' ({fact.label})",
                    f"converted from {info['scale']['label']} (×{info['scale']['factor']:g}) it "
                    f"is outside {lo:g}..{hi:g}",
                    shorten(float(values[i])),
                    fact_id,
                )
            )
            known[i] = False
    return out


def _scores(
    campaign: Campaign,
    raw: RawInput,
    kinds: Sequence[str | None],
    parsed: dict[str, tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]],
    problems: list[RawProblem],
) -> dict[int, dict[str, ScoreEntry]]:
    out: dict[int, dict[str, ScoreEntry]] = {}
    if raw.scores is None:
        return out
    for i, given in enumerate(raw.scores):
        if given is None:
            continue
        try:
            entries = _SCORES.validate_python(given)
        except ValidationError as exc:
            for err in exc.errors():
                loc = ".".join(str(p) for p in err["loc"])
                problems.append(
                    RawProblem(
                        i,
                        f"field 'scores{'.' + loc if loc else ''}'",
                        err["msg"],
                        shorten(err.get("input")),
                        "scores",
                    )
                )
            continue
        given_facts = {f: True for f, (_, known) in parsed.items() if bool(known[i])}
        totals, found = score_totals(campaign, kinds[i], entries, given_facts)
        for field, rule in found:
            problems.append(RawProblem(i, field, rule, None, "scores"))
        if found:
            continue
        out[i] = entries
        for fact_id, total in totals.items():
            values, known = parsed[fact_id]
            values[i] = 0.0 if total is None else total
            known[i] = total is not None
    return out


# --- phrasing -------------------------------------------------------------------------------
def _phrase(raw: RawInput, ids: Sequence[str | None], p: RawProblem) -> Problem:
    if p.row is None:
        return Problem(raw.origin, p.field, p.rule, p.value)
    label = raw.labels(p.row)
    cell = raw.cell(p.row, p.column) if raw.cell and p.column else None
    if cell:
        label = f"{raw.origin}: {cell}"
    cid = ids[p.row] if p.row < len(ids) else None
    where = f"candidate {shorten(cid)} ({label})" if cid else label
    return Problem(where, p.field, p.rule, p.value, candidate=cid, row=p.row, cell=cell)


def _phrase_all(
    raw: RawInput,
    ids: Sequence[str | None],
    whole: list[RawProblem],
    by_row: dict[int, list[RawProblem]],
) -> list[Problem]:
    out = [_phrase(raw, ids, p) for p in whole]
    for i in sorted(by_row):
        out.extend(_phrase(raw, ids, p) for p in by_row[i])
    return out


# --- yearly series --------------------------------------------------------------------------
@attrs.frozen(eq=False)
class _Year:
    """One year of a series after parsing: values, known mask, and (ids) the sets of ids."""

    values: npt.NDArray[np.float64]
    known: npt.NDArray[np.bool_]
    sets: list[frozenset[str] | None] | None


def _series(
    campaign: Campaign,
    fact: Fact,
    raw: RawInput,
    kind_code: npt.NDArray[np.int32],
    kinds: Sequence[str | None],
    problems: list[RawProblem],
    limits: Limits,
) -> tuple[dict[int, _Year], npt.NDArray[np.bool_]]:
    """Each year of a series parsed by its element's parser (every bad value named by its year),
    and the rows that give any year."""
    n = raw.n
    ctx = Context(campaign, fact, raw.locale, limits, raw.spreadsheet)
    carried = np.isin(kind_code, [KIND_CODES[k] for k in fact.kinds]) | (kind_code < 0)
    given = np.zeros(n, dtype=bool)
    columns = raw.series.get(fact.id, {})
    out: dict[int, _Year] = {}
    for year in fact.years():
        col = columns.get(year)
        if col is None:
            out[year] = _Year(
                np.zeros(n),
                np.zeros(n, dtype=bool),
                [None] * n if fact.value_type == "ids" else None,
            )
            continue
        parsed = parse_column(col, ctx)
        key = year_key(fact.id, year)
        for i, rule, value in parsed.bad:
            problems.append(RawProblem(i, f"fact '{key}' ({fact.label})", rule, value, key))
        given |= parsed.known
        known = parsed.known & carried
        sets = parsed.sets
        if sets is not None:
            sets = [v if known[i] else None for i, v in enumerate(sets)]
        out[year] = _Year(np.where(known, parsed.values, 0.0), known, sets)
    problems.extend(_not_carried(campaign, fact, given & ~carried, kinds))
    return out, given & carried


def _not_carried(
    campaign: Campaign, fact: Fact, rows: npt.NDArray[np.bool_], kinds: Sequence[str | None]
) -> list[RawProblem]:
    """A problem for each row in ``rows``: a value given for a fact its kind does not carry."""
    return [
        RawProblem(
            i,
            f"fact '{fact.id}'",
            f"'{fact.id}' is a fact of {campaign.id}, but not one "
            f"{_article(kinds[i] or '')} carries",
            None,
            fact.id,
        )
        for i in np.flatnonzero(rows).tolist()
    ]


# --- what the plan reads of an individual's unit ------------------------------------------
def _trees(campaign: Campaign) -> list[tuple[Any, Kind]]:
    return [
        (tree, c.kind)
        for c in campaign.criteria
        for tree in (c.rule, c.applies_if)
        if tree is not None
    ]


def unit_scope_facts(campaign: Campaign) -> set[str]:
    """Facts some criterion reads ``of: unit`` (from an individual's unit): in a comparison, an
    arithmetic operand, a series or a distinct count."""
    out: set[str] = set()
    for tree, kind in _trees(campaign):
        out |= {r.fact for r in fact_reads(tree, kind) if r.scope == "unit"}
    return out


def unit_readers(campaign: Campaign) -> list[str]:
    """What the criteria read of an individual's unit (its facts, its award or criterion
    outcomes), named for a message; empty when nothing is read."""
    out = sorted(unit_scope_facts(campaign))
    for tree, _ in _trees(campaign):
        for node in walk(tree):
            if isinstance(node, AwardRef | CriterionRef) and node.of == "unit":
                name = (
                    f"award '{node.award}'"
                    if isinstance(node, AwardRef)
                    else f"criterion '{node.criterion}'"
                )
                if name not in out:
                    out.append(name)
    return out


def reads_members(campaign: Campaign) -> bool:
    """Whether a criterion counts a collective's members."""
    return any(isinstance(node, MembersNode) for tree, _ in _trees(campaign) for node in walk(tree))


def individuals_read_unit_type(campaign: Campaign) -> bool:
    """Whether an individual's unit type decides something (a criterion's attribute test, an
    individuals' award grouped or capped by unit type, or a candidate attribute individuals of
    some unit types only give)."""
    for c in campaign.criteria:
        if c.kind != "individual":
            continue
        for tree in (c.rule, c.applies_if):
            if tree is not None and any(
                isinstance(node, AttributeTest) and node.attribute == "unit_type"
                for node in walk(tree)
            ):
                return True
    if any(
        "individual" in attr.kinds and attr.unit_types for attr in campaign.candidate_attributes
    ):
        return True
    return any(
        a.kind == "individual"
        and ("unit_type" in a.group_by() or (a.cap is not None and a.cap.by == "unit_type"))
        for a in campaign.awards
    )


# --- the fact table -------------------------------------------------------------------------
def _build(
    campaign: Campaign,
    rows: npt.NDArray[np.int64],
    ids: list[str | None],
    names: list[str | None],
    kinds: list[str | None],
    unit_types: list[str | None],
    unit_ids: list[str | None],
    kind_code: npt.NDArray[np.int32],
    unit_row: npt.NDArray[np.int64],
    parsed: dict[str, tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]],
    series: dict[str, dict[int, _Year]],
    provenance: dict[str, FactProvenance],
    scores: dict[int, dict[str, ScoreEntry]],
    active_from: npt.NDArray[np.int64],
    active_until: npt.NDArray[np.int64],
    unit_facts: set[str],
    attributes: dict[str, list[str | None]],
    rejected: tuple[Rejected, ...],
    on_invalid: str,
) -> ValidatedInput:
    n_all = len(ids)
    everything = len(rows) == n_all
    new_pos = np.full(n_all, -1, dtype=np.int64)
    new_pos[rows] = np.arange(len(rows))
    # an individual's unit row, renumbered; -1 when absent or refused
    urow_all = np.where(unit_row >= 0, new_pos[np.maximum(unit_row, 0)], -1)
    urow = urow_all[rows]
    codes = {u: k for k, u in enumerate(campaign.unit_types())}
    code_of = {u: codes.get(u, -1) if u is not None else -1 for u in set(unit_types)}
    own_ut = np.fromiter((code_of[u] for u in unit_types), dtype=np.int32, count=n_all)
    kind = kind_code[rows]
    is_ind = kind == KIND_CODES["individual"]
    own = own_ut[rows]
    unit_code = np.where(urow >= 0, own[np.maximum(urow, 0)], own)
    ut = np.where(is_ind, unit_code, own).astype(np.int32)
    uut = np.where(is_ind, ut, -1).astype(np.int32)
    values: dict[str, Any] = {}
    known: dict[str, Any] = {}
    id_sets: dict[str, tuple[frozenset[str] | None, ...]] = {}
    kept = rows.tolist()
    has_unit = is_ind & (urow >= 0)
    src = np.maximum(urow, 0)
    for fact in campaign.facts:
        scopes = ("self", "unit") if fact.id in unit_facts else ("self",)
        if fact.type == "series":
            for year, parsed_year in series[fact.id].items():
                v = parsed_year.values if everything else parsed_year.values[rows]
                k = parsed_year.known if everything else parsed_year.known[rows]
                own_sets = (
                    tuple(parsed_year.sets[i] for i in kept)
                    if parsed_year.sets is not None
                    else None
                )
                for scope in scopes:
                    key = series_key(fact.id, year, scope)
                    if own_sets is not None:
                        id_sets[key] = (
                            own_sets
                            if scope == "self"
                            else tuple(
                                own_sets[int(urow[i])] if has_unit[i] else None
                                for i in range(len(kept))
                            )
                        )
                    elif scope == "self":
                        values[key], known[key] = v, k
                    else:
                        known[key] = has_unit & k[src]
                        values[key] = np.where(known[key], v[src], 0.0)
            continue
        v_all, k_all = parsed[fact.id]
        v = v_all if everything else v_all[rows]
        k = k_all if everything else k_all[rows]
        values[column_key(fact.id)] = v
        known[column_key(fact.id)] = k
        if "unit" in scopes:
            known[column_key(fact.id, "unit")] = has_unit & k[src]
            values[column_key(fact.id, "unit")] = np.where(has_unit & k[src], v[src], 0.0)
    records = Records(
        ids=tuple(ids[i] or "" for i in kept),
        names=[names[i] or "" for i in kept],
        kinds=[kinds[i] or "" for i in kept],
        unit_types=[unit_types[i] for i in kept],
        unit_ids=[unit_ids[i] for i in kept],
        scores={int(new_pos[i]): s for i, s in scores.items() if new_pos[i] >= 0},
        active_from=active_from[rows] if active_from.any() else None,
        active_until=active_until[rows] if active_until.any() else None,
        attributes={a: [col[i] for i in kept] for a, col in attributes.items()},
    )
    table = FactTable(
        records.ids,
        kind.astype(np.int32),
        {"unit_type": ut, "unit.unit_type": uut},
        values,
        known,
        urow.astype(np.int32),
        id_sets,
    )
    prov = provenance if everything else {k: p.take(rows) for k, p in provenance.items()}
    return ValidatedInput(
        table=table, records=records, provenance=prov, rejected=rejected, on_invalid=on_invalid
    )


def _article(kind: str) -> str:
    return f"an {kind}" if kind[:1] in "aeiou" else f"a {kind}"
