"""Candidates as raw columns, before validation: what every reader produces.

A reader (JSON document, the Python API, CSV, XLSX, Parquet) turns its rows into one column per
candidate field, per fact and per candidate attribute — a Python list of typed values, or a
polars string column of text cells — and records where each row came from, so that
:mod:`.validate` checks whole columns and still names the candidate, the row or the cell of every
problem. A yearly series is one column per year (:attr:`RawInput.series`): JSON gives it as an
object of years (``{"2022": true, "2023": null}``), a table as one column per year
(``fact[2023]``, :mod:`.headers`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import polars as pl

from emulation_rules.errors import shorten
from emulation_rules.inputs.locale import DEFAULT_LOCALE, Locale, get_locale
from emulation_rules.plan.campaign import Campaign, Fact

#: the candidate fields (besides facts) an input may give
BASE_FIELDS = (
    "id",
    "name",
    "kind",
    "unit_type",
    "unit_id",
    "active_from",
    "active_until",
)
#: what a fact value's provenance may say, besides its value
PROVENANCE_KEYS = ("year", "source", "published", "url", "scale")
#: the key of a candidate attribute's column (and of its problems' cells): ``attributes.<id>``
ATTRIBUTE_PREFIX = "attributes."

Column = list[Any] | pl.Series


@attrs.define
class RawProblem:
    """A problem found while reading or validating, before it is phrased: ``row`` is None for a
    problem of the whole input (a header, the envelope)."""

    row: int | None
    field: str
    rule: str
    value: str | None = None
    column: str | None = None  # the column key, for a spreadsheet cell reference


@attrs.define
class RawInput:
    """Candidates as columns. ``labels(i)`` names row ``i`` (``in.json: candidates[3]``,
    ``in.csv: row 5``); ``cell(i, key)`` gives a spreadsheet reference (``Tập thể!D7``) of
    a field or fact key, when the input is a sheet."""

    origin: str
    n: int
    base: dict[str, Column]
    facts: dict[str, Column]
    provenance: dict[str, dict[str, Column]] = attrs.Factory(dict)
    #: yearly series: fact id -> year -> column of that year's values
    series: dict[str, dict[int, Column]] = attrs.Factory(dict)
    #: candidate attributes (a cluster …): attribute id -> column of text
    attributes: dict[str, Column] = attrs.Factory(dict)
    scores: list[Any] | None = None
    problems: list[RawProblem] = attrs.Factory(list)
    locale: Locale = attrs.Factory(lambda: get_locale(DEFAULT_LOCALE))
    #: cells may be text to parse by the locale (spreadsheets), kind/unit type by their labels
    spreadsheet: bool = False
    labels: Callable[[int], str] = attrs.field(default=lambda i: f"candidates[{i}]")
    cell: Callable[[int, str], str | None] | None = None


_CANDIDATE_KEYS = frozenset((*BASE_FIELDS, "facts", "scores", "attributes"))


def year_key(fact_id: str, year: int) -> str:
    """``fact[2023]``: the field a series year's problems name, and its column's key."""
    return f"{fact_id}[{year}]"


def attribute_key(attribute_id: str) -> str:
    """``attributes.<id>``: the field an attribute's problems name, and its column's key."""
    return ATTRIBUTE_PREFIX + attribute_id


def undeclared_attribute(campaign: Campaign, key: str) -> str:
    """The rule broken by an attribute the campaign does not declare."""
    known = ", ".join(a.id for a in campaign.candidate_attributes) or "none"
    return f"'{key}' is not a candidate attribute of {campaign.id} (declared: {known})"


def from_mappings(
    campaign: Campaign,
    candidates: Sequence[Any],
    *,
    origin: str = "input",
    labels: Callable[[int], str] | None = None,
) -> RawInput:
    """Columns from candidate mappings (a JSON document's list, the Python API).

    One pass per column over the list; no model is built per candidate. Keys a candidate may
    not have, and facts the campaign does not declare, are problems of their row.
    """
    n = len(candidates)
    problems: list[RawProblem] = []
    rows: list[Mapping[str, Any]] = []
    for i, c in enumerate(candidates):
        if isinstance(c, Mapping):
            rows.append(c)
            continue
        dump = getattr(c, "model_dump", None)
        if callable(dump):
            rows.append(dump(exclude_none=True))
            continue
        problems.append(RawProblem(i, "candidate", "Input should be an object", shorten(c)))
        rows.append({})
    for i, c in enumerate(rows):
        if not _CANDIDATE_KEYS.issuperset(c):
            for key in sorted(set(c) - _CANDIDATE_KEYS, key=str):
                problems.append(
                    RawProblem(
                        i, f"field '{shorten(key, 40)[1:-1]}'", "Extra inputs are not permitted"
                    )
                )
    base: dict[str, Column] = {key: [c.get(key) for c in rows] for key in BASE_FIELDS}
    declared = {f.id for f in campaign.facts}
    fact_maps: list[Mapping[str, Any]] = []
    for i, c in enumerate(rows):
        facts = c.get("facts")
        if facts is None:
            fact_maps.append({})
        elif not isinstance(facts, Mapping):
            problems.append(
                RawProblem(i, "field 'facts'", "Input should be an object of facts", shorten(facts))
            )
            fact_maps.append({})
        else:
            if not declared.issuperset(facts):
                for key in sorted(set(facts) - declared, key=str):
                    name = shorten(key, 40)[1:-1] if isinstance(key, str) else shorten(key)
                    problems.append(
                        RawProblem(i, f"fact '{name}'", f"'{name}' is not a fact of {campaign.id}")
                    )
            fact_maps.append(facts)
    facts_cols: dict[str, Column] = {}
    provenance: dict[str, dict[str, Column]] = {}
    series: dict[str, dict[int, Column]] = {}
    for fact in campaign.facts:
        col = [m.get(fact.id) for m in fact_maps]
        if fact.type == "series":
            # a series is an object of years; a value with provenance has the key 'value'
            if any(type(v) is dict and "value" in v for v in col):
                col, prov = _split_provenance(col, fact.id, problems, only_with_value=True)
                provenance[fact.id] = prov
            series[fact.id] = _split_series(fact, col, problems)
            continue
        if any(type(v) is dict for v in col):
            col, prov = _split_provenance(col, fact.id, problems)
            provenance[fact.id] = prov
        facts_cols[fact.id] = col
    scores = [c.get("scores") for c in rows]
    return RawInput(
        origin=origin,
        n=n,
        base=base,
        facts=facts_cols,
        provenance=provenance,
        series=series,
        attributes=_attribute_columns(campaign, rows, problems),
        scores=scores if any(s is not None for s in scores) else None,
        problems=problems,
        labels=labels or (lambda i: f"candidates[{i}]"),
    )


def _attribute_columns(
    campaign: Campaign, rows: Sequence[Mapping[str, Any]], problems: list[RawProblem]
) -> dict[str, Column]:
    """One column per declared attribute from the candidates' ``attributes`` objects (only
    when some candidate gives one); an undeclared key is a problem of its row."""
    given = [c.get("attributes") for c in rows]
    if all(g is None for g in given):
        return {}
    declared = {a.id for a in campaign.candidate_attributes}
    maps: list[Mapping[str, Any]] = []
    for i, g in enumerate(given):
        if g is None:
            maps.append({})
        elif not isinstance(g, Mapping):
            problems.append(
                RawProblem(
                    i,
                    "field 'attributes'",
                    "Input should be an object of candidate attributes",
                    shorten(g),
                )
            )
            maps.append({})
        else:
            for key in sorted(set(g) - declared, key=str):
                name = shorten(key, 40)[1:-1] if isinstance(key, str) else shorten(key)
                problems.append(
                    RawProblem(
                        i,
                        f"field '{ATTRIBUTE_PREFIX}{name}'",
                        undeclared_attribute(campaign, name),
                    )
                )
            maps.append(g)
    return {a: [m.get(a) for m in maps] for a in sorted(declared)}


def _split_series(fact: Fact, col: list[Any], problems: list[RawProblem]) -> dict[int, Column]:
    """A series' objects of years (``{"2022": true}``; ``null`` or a missing year is unknown)
    into one column per year of the fact; a key that is not one of its years is a problem."""
    years = fact.years()
    out: dict[int, list[Any]] = {y: [None] * len(col) for y in years}
    field = f"fact '{fact.id}' ({fact.label})"
    for i, v in enumerate(col):
        if v is None:
            continue
        if not isinstance(v, Mapping):
            problems.append(
                RawProblem(
                    i,
                    field,
                    f'a yearly series is an object of years, e.g. {{"{years[-1]}": …}}',
                    shorten(v),
                    fact.id,
                )
            )
            continue
        for key, value in v.items():
            year = _year_of(key)
            if year is None:
                problems.append(
                    RawProblem(
                        i, field, 'a year is written with four digits, e.g. "2022"', shorten(key)
                    )
                )
            elif year not in out:
                problems.append(
                    RawProblem(
                        i,
                        field,
                        f"year {year} is outside the series' years {years[0]}–{years[-1]}",
                        shorten(key),
                    )
                )
            else:
                out[year][i] = value
    return dict(out)


def _year_of(key: Any) -> int | None:
    if isinstance(key, int) and not isinstance(key, bool):
        return key if 1000 <= key <= 9999 else None
    if isinstance(key, str) and len(key) == 4 and key.isascii() and key.isdigit():
        return int(key)
    return None


def _split_provenance(
    col: list[Any], fact_id: str, problems: list[RawProblem], *, only_with_value: bool = False
) -> tuple[list[Any], dict[str, Column]]:
    """``{"value": v, "year": …}`` cells into the value column and one column per key (with
    ``only_with_value``, only objects that have a ``value``: a series' objects of years stay)."""
    values = list(col)
    prov: dict[str, list[Any]] = {k: [None] * len(col) for k in PROVENANCE_KEYS}
    allowed = {"value", *PROVENANCE_KEYS}
    for i, v in enumerate(col):
        if type(v) is not dict or (only_with_value and "value" not in v):
            continue
        extra = sorted(set(v) - allowed, key=str)
        if extra:
            problems.append(
                RawProblem(
                    i,
                    f"fact '{fact_id}'",
                    "a value with its provenance has only the keys value, "
                    + ", ".join(PROVENANCE_KEYS),
                    shorten(extra[0]),
                )
            )
        if "value" not in v:
            problems.append(
                RawProblem(i, f"fact '{fact_id}'", "a value with its provenance needs 'value'")
            )
        values[i] = v.get("value")
        for k in PROVENANCE_KEYS:
            prov[k][i] = v.get(k)
    return values, dict(prov)
