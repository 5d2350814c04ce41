"""Input documents for the fuzz suite: valid ones drawn from a campaign's input schema, their
files (JSON, CSV, XLSX), and mutations of both.

A *valid* document is valid against ``input_schema(campaign)`` and keeps the rules a JSON
Schema cannot say: unique ids, an individual's ``unit_id`` names a collective of the same input,
a candidate attribute given exactly where the plan requires it, a scoreboard total given either
by ``scores`` or directly (not both), ``active_from`` not after ``active_until``, ``as_of``
within the campaign. The library must accept every valid document (exit status 0).

A *mutation* breaks a valid document in one of the ways hostile or careless input does (wrong
types, missing and extra keys, duplicate keys, huge and tiny numbers, NaN and infinity spelled
every way, long and control-character strings, byte-order marks and other encodings, deep
nesting, broken unit links, duplicate ids, odd ``as_of``) or changes it harmlessly (shuffled
order, equal ranking values, NFD text). Each mutation says whether the result must be refused.
"""

from __future__ import annotations

import codecs
import copy
import csv
import datetime as dt
import io
import json
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
from fuzz_schema import NAME_ALPHABET, from_schema
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from emulation_rules import Campaign
from emulation_rules.inputs.schema import input_schema
from emulation_rules.limits import Limits

ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-_.đăâêôơư"


_SCHEMAS: dict[int, dict[str, Any]] = {}


def schema_of(campaign: Campaign) -> dict[str, Any]:
    key = id(campaign)
    if key not in _SCHEMAS:
        _SCHEMAS[key] = input_schema(campaign)
    return _SCHEMAS[key]


def candidate_schemas(campaign: Campaign) -> dict[str, dict[str, Any]]:
    items = schema_of(campaign)["properties"]["candidates"]["items"]["oneOf"]
    return {s["properties"]["kind"]["const"]: s for s in items}


def ranking_facts(campaign: Campaign, kind: str) -> list[str]:
    return sorted(
        {k.fact for a in campaign.awards if a.kind == kind and a.ranking for k in a.ranking.keys}
    )


def _scoreboard_facts(campaign: Campaign) -> set[str]:
    board = campaign.scoreboard
    if board is None:
        return set()
    return {f for f in (board.total_fact, board.self_total_fact) if f}


@st.composite
def valid_documents(
    draw: st.DrawFn,
    campaign: Campaign,
    *,
    max_collectives: int = 6,
    max_individuals: int = 6,
    tables: bool = False,
) -> dict[str, Any]:
    """A valid input document of ``campaign``. ``tables``: only what a CSV/XLSX row can carry
    (no ``scores``, no provenance besides a year or a source)."""
    schemas = candidate_schemas(campaign)
    n_c = draw(st.integers(1, max_collectives))
    n_i = draw(st.integers(0, max_individuals)) if "individual" in schemas else 0
    ids = draw(
        st.lists(
            st.text(ID_ALPHABET, min_size=1, max_size=12).map(
                lambda s: unicodedata.normalize("NFC", s)
            ),
            min_size=n_c + n_i,
            max_size=n_c + n_i,
            unique=True,
        )
    )
    names = st.text(NAME_ALPHABET, min_size=1, max_size=30).filter(lambda s: s.strip() == s)
    board = campaign.scoreboard
    candidates: list[dict[str, Any]] = []
    for k in range(n_c + n_i):
        kind = "collective" if k < n_c else "individual"
        props = schemas[kind]["properties"]
        c: dict[str, Any] = {"id": ids[k], "name": draw(names), "kind": kind}
        if kind == "collective":
            c["unit_type"] = draw(from_schema(props["unit_type"]))
        else:
            c["unit_id"] = draw(st.sampled_from(ids[:n_c]))
        facts = draw(_facts(props["facts"], tables))
        if tables:
            facts = {k: _cell_safe(v) for k, v in facts.items()}
        if (
            not tables
            and board is not None
            and board.kind == kind
            and "scores" in props
            and draw(st.booleans())
        ):
            c["scores"] = draw(from_schema(props["scores"]))
            for fact in _scoreboard_facts(campaign):
                facts.pop(fact, None)
        if facts or draw(st.booleans()):
            c["facts"] = facts
        attributes = _attributes(draw, campaign, kind, c.get("unit_type"))
        if attributes:
            c["attributes"] = attributes
        if draw(st.integers(0, 4)) == 0:
            start = draw(st.dates(campaign.period.start, campaign.period.end))
            end = draw(st.dates(start, campaign.period.end + dt.timedelta(days=400)))
            which = draw(st.sampled_from(["from", "until", "both"]))
            if which in ("from", "both"):
                c["active_from"] = start.isoformat()
            if which in ("until", "both"):
                c["active_until"] = end.isoformat()
        candidates.append(c)
    doc: dict[str, Any] = {}
    if draw(st.booleans()):
        day = draw(st.dates(campaign.period.start, campaign.period.end))
        doc["as_of"] = day.isoformat()
    doc["candidates"] = candidates
    if draw(st.integers(0, 3)) == 0:
        _tie(draw, campaign, candidates)
    return doc


def _cell_safe(value: Any) -> Any:
    """A fact value as a table cell can carry it: decimals without an exponent (rounded), and
    ids without the separators of an ids cell (``,``, ``;``, line breaks) nor the words that
    mean "none" — each year of a series likewise."""
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {year: _cell_safe(v) for year, v in value.items()}
    if isinstance(value, list):
        out = []
        for text in value:
            token = re.sub(r"[,;\r\n]", "_", str(text)).strip() or "x"
            out.append("x" + token if token.casefold() in ("-", "không có", "none") else token)
        return out
    return value


def _facts(schema: dict[str, Any], tables: bool) -> st.SearchStrategy[dict[str, Any]]:
    if not tables:
        return from_schema(schema)
    # a table carries a value, a year and a source per fact; the provenance's publication
    # date, url and scale have columns too, but keep rows simple
    props = {}
    for fact_id, prop in schema["properties"].items():
        value = prop["anyOf"][0]
        props[fact_id] = {"anyOf": [value]}
    return from_schema({"type": "object", "properties": props})


def _attributes(
    draw: st.DrawFn, campaign: Campaign, kind: str, unit_type: str | None
) -> dict[str, str]:
    out = {}
    for a in campaign.candidate_attributes:
        if kind not in a.kinds or kind != "collective":
            continue
        if a.unit_types and unit_type not in a.unit_types:
            continue
        if a.values is not None:
            out[a.id] = draw(st.sampled_from(list(a.values)))
        else:
            out[a.id] = draw(st.sampled_from(["Cụm 1", "Cụm 2", "Khối A"]))
    return out


def _tie(draw: st.DrawFn, campaign: Campaign, candidates: list[dict[str, Any]]) -> None:
    """Give two candidates of one kind equal ranking values (ties at the cut-off)."""
    for kind in ("collective", "individual"):
        same = [c for c in candidates if c["kind"] == kind]
        keys = ranking_facts(campaign, kind)
        if len(same) < 2 or not keys:
            continue
        a, b = draw(st.permutations(same))[:2]
        for key in keys:
            if key in a.get("facts", {}) and key not in _scoreboard_facts(campaign):
                b.setdefault("facts", {})[key] = copy.deepcopy(a["facts"][key])


# --- files ----------------------------------------------------------------------------------


def json_bytes(doc: Any, *, ascii_only: bool = False, indent: int | None = 1) -> bytes:
    return json.dumps(doc, ensure_ascii=ascii_only, indent=indent).encode("utf-8")


class Pairs(list[tuple[str, Any]]):
    """An object written with its keys in this order, repeated keys kept (json.dumps of a dict
    cannot write a key twice)."""


def dump_pairs(value: Any) -> str:
    """JSON text of ``value`` where :class:`Pairs` may repeat keys."""
    if isinstance(value, Pairs):
        inner = ", ".join(f"{json.dumps(k)}: {dump_pairs(v)}" for k, v in value)
        return "{" + inner + "}"
    if isinstance(value, dict):
        return dump_pairs(Pairs(value.items()))
    if isinstance(value, list):
        return "[" + ", ".join(dump_pairs(v) for v in value) + "]"
    if isinstance(value, Raw):
        return value.text
    return json.dumps(value, ensure_ascii=False)


@attrs.frozen
class Raw:
    """A JSON token written as is (``NaN``, ``1e999``, a 400-digit integer)."""

    text: str


def _cell(value: Any, fact_type: str | None, sep_decimal: str = ",") -> str:
    """A value as a Vietnamese-notation text cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, list):  # an ids cell: the ids separated, '-' for none
        return "; ".join(value) if value else "-"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = format(Decimal(repr(value)), "f")
        return text.replace(".", sep_decimal)
    if fact_type == "date":
        day = dt.date.fromisoformat(value)
        return f"{day.day}/{day.month}/{day.year}"
    return str(value)


def table_rows(campaign: Campaign, doc: dict[str, Any]) -> list[list[str]]:
    """A header and one row per candidate: the CSV or sheet of a valid ``tables`` document."""
    facts = {f.id: f for f in campaign.facts}
    columns: list[str] = ["id", "name", "kind", "unit_type", "unit_id", "active_from"]
    columns.append("active_until")
    extra: list[str] = []
    for c in doc["candidates"]:
        for fact_id, value in c.get("facts", {}).items():
            if facts[fact_id].type == "series":  # a column per year; a null series has none
                keys = [f"{fact_id}[{y}]" for y in value] if isinstance(value, dict) else []
            else:
                keys = [fact_id]
            for key in keys:
                if key not in extra:
                    extra.append(key)
        for a in c.get("attributes", {}):
            if f"attributes.{a}" not in extra:
                extra.append(f"attributes.{a}")
    header = columns + sorted(extra)
    rows = [header]
    for c in doc["candidates"]:
        values: dict[str, str] = {}
        for key in columns:
            v = c.get(key)
            if key in ("active_from", "active_until") and v is not None:
                v = _cell(v, "date")
            values[key] = "" if v is None else str(v)
        for fact_id, value in c.get("facts", {}).items():
            fact = facts[fact_id]
            if fact.type == "series":
                for year, v in (value or {}).items():
                    values[f"{fact_id}[{year}]"] = _cell(v, fact.element or "boolean")
            else:
                values[fact_id] = _cell(value, fact.type)
        for a, v in c.get("attributes", {}).items():
            values[f"attributes.{a}"] = v
        rows.append([values.get(h, "") for h in header])
    return rows


def csv_bytes(rows: list[list[str]], *, sep: str = ",", bom: bool = False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\r\n")
    writer.writerows(rows)
    data = out.getvalue().encode("utf-8")
    return codecs.BOM_UTF8 + data if bom else data


def xlsx_bytes(rows: list[list[Any]], sheet: str = "Ứng viên") -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- mutations ------------------------------------------------------------------------------

NAN_SPELLINGS = ["NaN", "-NaN", "Infinity", "-Infinity", "1e999", "-1e999", "1E400"]
NAN_CELLS = ["NaN", "nan", "inf", "-inf", "Infinity", "-Infinity", "∞", "1e999", "1,0e999"]
HUGE_NUMBERS = [
    "1e308",
    "-1e308",
    "5e-324",
    "1e-300",
    "-0.0",
    "9007199254740993",
    "-9007199254740993",
    "123456789012345678901234567890",
    "1" + "0" * 400,
    "0." + "0" * 400 + "1",
    "1" * 65,
]
ODD_AS_OF = [
    "20220520",
    "2022-05-20T00:00:00+07:00",
    "2022-05-20T10:00:00",
    "2021-01-01",
    "9999-12-31",
    "0001-01-01",
    "",
    "2022-02-30",
    "2022-5-2",
    " 2022-05-20 ",
]
ODD_AS_OF_VALUES: list[Any] = [1653004800, 1653004800.5, None, True, [], {}]
CONTROL_TEXT = [
    "\x00",
    "\x1b[31mđỏ\x1b[0m",
    "\x1b]8;;http://x\x07link\x1b]8;;\x07",
    "\u202eabc",
    "a\r\nb",
    "\x9b2J",
    "\ufeffid",
    "a\u200bb",
    '=HYPERLINK("x")',
    "+1",
    "@SUM(A1)",
]


@attrs.frozen
class Mutation:
    """What was done, and whether any run must refuse the result."""

    name: str
    must_refuse: bool
    #: in an XLSX file, when that differs: a short row is only empty trailing cells there
    in_a_sheet: bool | None = None


Mutator = Callable[[st.DrawFn, Campaign, dict[str, Any]], tuple[Any, Mutation]]


def _pick_candidate(draw: st.DrawFn, doc: dict[str, Any]) -> dict[str, Any]:
    return draw(st.sampled_from(doc["candidates"]))


def _a_fact(draw: st.DrawFn, campaign: Campaign, c: dict[str, Any]) -> str | None:
    facts = sorted(f.id for f in campaign.facts if c["kind"] in f.kinds)
    return draw(st.sampled_from(facts)) if facts else None


def m_wrong_type(draw: st.DrawFn, campaign: Campaign, doc: dict[str, Any]):  # type: ignore[no-untyped-def]
    c = _pick_candidate(draw, doc)
    where = draw(st.sampled_from(["fact", "id", "name", "kind", "unit_type", "facts", "cand"]))
    if where == "fact":
        fact_id = _a_fact(draw, campaign, c)
        if fact_id is None:
            return doc, Mutation("nothing", False)
        fact = campaign.fact(fact_id)
        bad: list[Any] = [[1], {"x": 1}, {"value": []}]
        if fact.type in ("integer", "number"):
            bad += ["8", "8,5", True, False, "", [8]]
        if fact.type == "integer":
            bad += [1.5]
        if fact.type == "boolean":
            bad += [1, 0, "true", "Có", "x", 1.0]
        if fact.type == "ordinal":
            bad += [1, True, "not a level", 2.5]
        if fact.type == "date":
            bad += [20220520, "20/5/2022", True]
        value = draw(st.sampled_from(bad))
        c.setdefault("facts", {})[fact_id] = value
        return doc, Mutation(f"wrong type {fact.type} <- {value!r}", True)
    if where == "facts":
        c["facts"] = draw(st.sampled_from([[], "x", 3, [["a", 1]]]))
        return doc, Mutation("facts not an object", True)
    if where == "cand":
        k = doc["candidates"].index(c)
        doc["candidates"][k] = draw(st.sampled_from(["x", 3, None, [], [c]]))
        return doc, Mutation("candidate not an object", True)
    value = draw(st.sampled_from([3, 3.5, True, ["x"], {"x": 1}]))
    c[where] = value
    return doc, Mutation(f"field {where} <- {value!r}", True)


def m_missing_key(draw: st.DrawFn, campaign: Campaign, doc: dict[str, Any]):  # type: ignore[no-untyped-def]
    if draw(st.integers(0, 5)) == 0:
        del doc["candidates"]
        return doc, Mutation("no candidates key", True)
    c = _pick_candidate(draw, doc)
    key = draw(
        st.sampled_from(["id", "name", "kind", "unit_type" if "unit_type" in c else "unit_id"])
    )
    del c[key]
    return doc, Mutation(f"missing {key}", True)


def m_extra_key(draw: st.DrawFn, campaign: Campaign, doc: dict[str, Any]):  # type: ignore[no-untyped-def]
    where = draw(st.sampled_from(["doc", "cand", "facts", "provenance"]))
    key = draw(st.sampled_from(["extra", "Id", "facts.x", "unit", "", "__proto__", "ID "]))
    c = _pick_candidate(draw, doc)
    if where == "doc":
        doc[key] = 1
    elif where == "cand":
        c[key] = "x"
    elif where == "facts":
        c.setdefault("facts", {})[key or "x"] = 1
    else:
        fact_id = _a_fact(draw, campaign, c)
        if fact_id is None:
            return doc, Mutation("nothing", False)
        value = c.get("facts", {}).get(fact_id)
        c.setdefault("facts", {})[fact_id] = {"value": value, "extra": 1}
    return doc, Mutation(f"extra key {key!r} in {where}", True)


def m_duplicate_key(draw: st.DrawFn, campaign: Campaign, doc: dict[str, Any]):  # type: ignore[no-untyped-def]
    where = draw(st.sampled_from(["doc", "cand", "facts"]))
    c = _pick_candidate(draw, doc)
    same = draw(st.booleans())  # the same value twice is still a duplicate key
    if where == "doc":
        out = Pairs(doc.items())
        out.append(("candidates", doc["candidates"] if same else doc["candidates"][:1]))
        return out, Mutation("duplicate key candidates", True)
    if where == "cand":
        k = doc["candidates"].index(c)
        pairs = Pairs(c.items())
        pairs.append(("id", c["id"] if same else c["id"] + "-2"))
        doc["candidates"][k] = pairs
        return doc, Mutation("duplicate key id", True)
    fact_id = _a_fact(draw, campaign, c)
    if fact_id is None:
        return doc, Mutation("nothing", False)
    facts = c.get("facts", {})
    pairs = Pairs(facts.items())
    pairs.append((fact_id, facts.get(fact_id)))
    pairs.append((fact_id, facts.get(fact_id)))
    c["facts"] = pairs
    return doc, Mutation(f"duplicate fact {fact_id}", True)


def m_number(draw: st.DrawFn, campaign: Campaign, doc: dict[str, Any]):  # type: ignore[no-untyped-def]
    c = _pick_candidate(draw, doc)
    numeric = sorted(
        f.id for f in campaign.facts if c["kind"] in f.kinds and f.type in ("integer", "number")
    )
    if not numeric:
        return doc, Mutation("nothing", False)
    fact_id = draw(st.sampled_from(numeric))
    spelled = draw(st.sampled_from(NAN_SPELLINGS + HUGE_NUMBERS))
    c.setdefault("facts", {})[fact_id] = Raw(spelled)
    # refused for sure: NaN/inf, beyond float range, beyond ±2**53 for an integer, more digits
    # than the limit; a tiny or huge number within range may be refused for the fact's range
    fact = campaign.fact(fact_id)
    value = float(spelled) if spelled not in ("NaN", "-NaN") else float("nan")
    digits = len(spelled.lstrip("-").replace(".", "").replace("e", ""))
    must = (
        spelled in NAN_SPELLINGS
        or value != value
        or abs(value) == float("inf")
        or digits > Limits().max_number_digits
        or (fact.minimum is not None and value < fact.minimum)
        or (fact.maximum is not None and value > fact.maximum)
        or (fact.type == "integer" and ("." in spelled or "e" in spelled.lower()))
        or (fact.type == "integer" and abs(value) > 2**53)
    )
    return doc, Mutation(f"number {fact_id} <- {spelled[:30]}", must)


def m_long_or_control_text(draw: st.DrawFn, campaign: Campaign, doc: dict[str, Any]):  # type: ignore[no-untyped-def]
    c = _pick_candidate(draw, doc)
    field = draw(st.sampled_from(["id", "name"]))
    how = draw(st.sampled_from(["long", "limit", "control", "blank"]))
    if how == "long":
        c[field] = "đ" * draw(st.sampled_from([10_001, 100_000]))
        return doc, Mutation(f"{field} too long", True)
    if how == "limit":
        c[field] = "đ" * Limits().max_string_length
        return doc, Mutation(f"{field} at the length limit", False)
    if how == "blank":
        c[field] = draw(st.sampled_from(["", " ", "\t", "\u3000"]))
        return doc, Mutation(f"{field} blank", field in ("id", "name"))
    old = c[field]
    new = draw(st.sampled_from(CONTROL_TEXT)) + str(old)
    if field == "id":
        for other in doc["candidates"]:
            if isinstance(other, dict) and other.get("unit_id") == old:
                other["unit_id"] = new
    c[field] = new
    return doc, Mutation(f"{field} with control text", False)


def m_deep(draw: st.DrawFn, campaign: Campaign, doc: dict[str, Any]):  # type: ignore[no-untyped-def]
    depth = draw(st.sampled_from([65, 200, 5_000, 100_000]))
    c = _pick_candidate(draw, doc)
    fact_id = _a_fact(draw, campaign, c) or "x"
    c.setdefault("facts", {})[fact_id] = Raw("[" * depth + "]" * depth)
    return doc, Mutation(f"nested {depth}", True)


def m_unit_link(draw: st.DrawFn, campaign: Campaign, doc: dict[str, Any]):  # type: ignore[no-untyped-def]
    people = [c for c in doc["candidates"] if c["kind"] == "individual"]
    if not people:
        return doc, Mutation("nothing", False)
    p = draw(st.sampled_from(people))
    how = draw(st.sampled_from(["absent", "individual", "null", "self"]))
    if how == "absent":
        p["unit_id"] = p["unit_id"] + "-khong-co"
        # refused when a criterion reads the unit or the plan reads its unit type; else the
        # individual is judged on its own facts
        return doc, Mutation("unit_id names no candidate", False)
    if how == "null":
        p["unit_id"] = None
        return doc, Mutation("unit_id null", True)
    target = p if how == "self" else draw(st.sampled_from(people))
    p["unit_id"] = target["id"]
    return doc, Mutation("unit_id names an individual", True)


def m_duplicate_id(draw: st.DrawFn, campaign: Campaign, doc: dict[str, Any]):  # type: ignore[no-untyped-def]
    if len(doc["candidates"]) < 2:
        return doc, Mutation("nothing", False)
    a, b = draw(st.permutations(doc["candidates"]))[:2]
    nfd = draw(st.booleans())
    new = unicodedata.normalize("NFD", a["id"]) if nfd else a["id"]
    for other in doc["candidates"]:
        if other.get("unit_id") == b["id"]:
            other["unit_id"] = a["id"]
    b["id"] = new
    return doc, Mutation("duplicate id" + (" (NFD)" if nfd else ""), True)


def m_as_of(draw: st.DrawFn, campaign: Campaign, doc: dict[str, Any]):  # type: ignore[no-untyped-def]
    value = draw(st.sampled_from([*ODD_AS_OF, *ODD_AS_OF_VALUES]))
    doc["as_of"] = value
    return doc, Mutation(f"as_of {value!r}", _as_of_refused(campaign, value))


def _as_of_refused(campaign: Campaign, value: Any) -> bool:
    """Whether an ``as_of`` must be refused: anything but null or a real ISO date (yyyy-mm-dd)
    on or after the campaign's first day (text with spaces around it may go either way)."""
    if value is None or (isinstance(value, str) and value != value.strip()):
        return False
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return True
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return True
    return day < campaign.period.start


def m_kind(draw: st.DrawFn, campaign: Campaign, doc: dict[str, Any]):  # type: ignore[no-untyped-def]
    c = _pick_candidate(draw, doc)
    field = draw(st.sampled_from(["kind", "unit_type"]))
    valid = {p.unit_type for p in campaign.participants} if field == "unit_type" else set()
    bad = [v for v in ("Collective", "tập thể", "x", "COLLECTIVE ", "so") if v not in valid]
    c[field] = draw(st.sampled_from(bad))
    return doc, Mutation(f"bad {field} {c[field]!r}", True)


def m_envelope(draw: st.DrawFn, campaign: Campaign, doc: dict[str, Any]):  # type: ignore[no-untyped-def]
    what = draw(
        st.sampled_from(
            [[], {}, "x", 3, None, {"candidates": []}, {"candidates": {}}, doc["candidates"]]
        )
    )
    return what, Mutation("odd envelope", what is not doc["candidates"])


def m_nfd(draw: st.DrawFn, campaign: Campaign, doc: dict[str, Any]):  # type: ignore[no-untyped-def]
    """The same text decomposed (NFD): read as NFC, so accepted and judged the same."""
    out = json.loads(unicodedata.normalize("NFD", json.dumps(doc, ensure_ascii=False)))
    return out, Mutation("NFD text", False)


def m_shuffle(draw: st.DrawFn, campaign: Campaign, doc: dict[str, Any]):  # type: ignore[no-untyped-def]
    doc["candidates"] = draw(st.permutations(doc["candidates"]))
    return doc, Mutation("shuffled", False)


MUTATORS: list[Mutator] = [
    m_wrong_type,
    m_missing_key,
    m_extra_key,
    m_duplicate_key,
    m_number,
    m_long_or_control_text,
    m_deep,
    m_unit_link,
    m_duplicate_id,
    m_as_of,
    m_kind,
    m_envelope,
    m_nfd,
    m_shuffle,
]


@st.composite
def mutated_json(draw: st.DrawFn, campaign: Campaign) -> tuple[bytes, list[Mutation]]:
    """A valid document broken one to three ways, as the bytes of a JSON file (perhaps with a
    byte-order mark, in UTF-16, or in a legacy encoding)."""
    doc: Any = draw(valid_documents(campaign, max_collectives=4, max_individuals=4))
    done: list[Mutation] = []
    # one mutation (so that whether it must be refused is known), perhaps after harmless ones
    for harmless in (m_shuffle, m_nfd):
        if draw(st.integers(0, 3)) == 0:
            doc, m = harmless(draw, campaign, doc)
            done.append(m)
    mutator = draw(st.sampled_from(MUTATORS))
    doc, m = mutator(draw, campaign, doc)
    done.append(m)
    text = dump_pairs(doc)
    encoding = draw(
        st.sampled_from(
            ["utf-8"] * 6 + ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1258", "utf-32"]
        )
    )
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data, encoding = text.encode("utf-8"), "utf-8"
    if encoding in ("utf-16-le", "utf-16-be", "utf-32"):
        done.append(Mutation(f"encoded {encoding} without a usable BOM", True))
    elif encoding == "cp1258" and not text.isascii():
        done.append(Mutation("encoded cp1258", True))
    if draw(st.integers(0, 9)) == 0 and len(data) > 10:
        k = draw(st.integers(0, len(data) - 1))
        data = data[:k] + b"\xff" + data[k:]
        done.append(Mutation("a byte 0xFF inserted", True))
    return data, done


# --- tables (CSV, XLSX) ---------------------------------------------------------------------

BAD_NUMBER_CELLS = [
    *NAN_CELLS,
    "3_0",
    "٣",
    "３",
    "1e5",
    "1" + "0" * 400,
    "0x10",
    "--1",
    "1,2,3",
    "=1+1",
    "@SUM(A1)",
    "\x00",
    "8 chỉ số",
]


@st.composite
def valid_table(draw: st.DrawFn, campaign: Campaign) -> tuple[dict[str, Any], list[list[str]]]:
    """A valid document that a table can carry, and its rows (header first)."""
    doc = draw(valid_documents(campaign, max_collectives=5, max_individuals=5, tables=True))
    return doc, table_rows(campaign, doc)


def _numeric_columns(campaign: Campaign, header: list[str]) -> list[int]:
    numeric = {f.id for f in campaign.facts if f.type in ("integer", "number")}
    return [k for k, h in enumerate(header) if h in numeric]


@st.composite
def mutated_table(
    draw: st.DrawFn, campaign: Campaign
) -> tuple[list[list[str]], list[Mutation], dict[str, Any]]:
    """The rows of a valid table broken one way (cells, header, rows)."""
    doc, rows = draw(valid_table(campaign))
    header = rows[0]
    how = draw(
        st.sampled_from(
            [
                "number_cell",
                "duplicate_column",
                "same_column_twice",
                "unknown_column",
                "missing_id_column",
                "ragged",
                "blank_rows",
                "long_cell",
                "control_cell",
                "kind_label",
                "unit_link",
                "shuffle",
            ]
        )
    )
    body = [list(r) for r in rows[1:]]
    k = draw(st.integers(0, len(body) - 1))
    if how == "number_cell":
        numeric = _numeric_columns(campaign, header)
        if not numeric:
            return rows, [Mutation("nothing", False)], doc
        col = draw(st.sampled_from(numeric))
        cell = draw(st.sampled_from(BAD_NUMBER_CELLS))
        body[k][col] = cell
        # text starting with '=' is written by openpyxl as a formula without a saved value, which
        # the XLSX reader refuses by its cell: refused in a sheet as in a CSV
        done = Mutation(f"cell {header[col]} <- {cell[:20]!r}", True)
        return [header, *body], [done], doc
    if how == "duplicate_column":
        facts = [h for h in header if any(f.id == h for f in campaign.facts)]
        if not facts:
            return rows, [Mutation("nothing", False)], doc
        col = header.index(draw(st.sampled_from(facts)))
        new_header = [*header, "facts." + header[col]]
        return (
            [new_header, *[[*r, r[col]] for r in body]],
            [Mutation("X and facts.X", True)],
            doc,
        )
    if how == "same_column_twice":
        col = draw(st.integers(0, len(header) - 1))
        return (
            [[*header, header[col]], *[[*r, r[col]] for r in body]],
            [Mutation(f"column {header[col]} twice", True)],
            doc,
        )
    if how == "unknown_column":
        name = draw(st.sampled_from(["ghi chú", "extra", "facts.khong_co", "=cmd", ""]))
        return (
            [[*header, name], *[[*r, "x"] for r in body]],
            [Mutation(f"unknown column {name!r}", True)],
            doc,
        )
    if how == "missing_id_column":
        col = header.index("id")
        return (
            [[h for j, h in enumerate(r) if j != col] for r in [header, *body]],
            [Mutation("no id column", True)],
            doc,
        )
    if how == "ragged":
        if draw(st.booleans()):
            body[k] = [*body[k], "x"]
            return [header, *body], [Mutation("ragged row (a cell more)", True)], doc
        body[k] = body[k][:-1]
        return [header, *body], [Mutation("ragged row (a cell less)", True, False)], doc
    if how == "blank_rows":
        body.insert(k, [""] * len(header))
        return [header, *body], [Mutation("blank row", False)], doc
    if how == "long_cell":
        col = draw(st.sampled_from([header.index("id"), header.index("name")]))
        body[k][col] = "đ" * 10_001
        return [header, *body], [Mutation("cell too long", True)], doc
    if how == "control_cell":
        col = header.index("name")
        body[k][col] = draw(st.sampled_from(CONTROL_TEXT)) + body[k][col]
        return [header, *body], [Mutation("control text in a name", False)], doc
    if how == "kind_label":
        col = header.index("kind")
        label = {"collective": "Tập thể", "individual": "Cá nhân"}
        body[k][col] = draw(st.sampled_from([label.get(body[k][col], ""), "tap the", "X"]))
        return [header, *body], [Mutation(f"kind {body[k][col]!r}", body[k][col] == "X")], doc
    if how == "unit_link":
        col = header.index("unit_id")
        people = [r for r in body if r[2] == "individual"]
        if not people:
            return rows, [Mutation("nothing", False)], doc
        person = draw(st.sampled_from(people))
        person[col] = draw(st.sampled_from(["", person[0]]))
        return [header, *body], [Mutation(f"unit_id {person[col]!r}", True)], doc
    body = draw(st.permutations(body))
    return [header, *body], [Mutation("shuffled rows", False)], doc


def for_format(done: list[Mutation], suffix: str) -> list[Mutation]:
    """The mutations as they count for a file of this ``suffix`` (see ``Mutation.in_a_sheet``)."""
    if suffix != ".xlsx":
        return done
    return [m if m.in_a_sheet is None else attrs.evolve(m, must_refuse=m.in_a_sheet) for m in done]


@st.composite
def table_file(
    draw: st.DrawFn, rows: list[list[str]], *, xlsx_ok: bool = True
) -> tuple[bytes, str, list[Mutation]]:
    """The rows as the bytes of a file, its suffix, and what the encoding did."""
    # a worksheet cannot hold most control characters (openpyxl refuses them): CSV only then
    xlsx_ok = xlsx_ok and not any(ILLEGAL_CHARACTERS_RE.search(c) for r in rows for c in r)
    fmt = draw(st.sampled_from(["csv"] * 4 + (["xlsx"] if xlsx_ok else [])))
    if fmt == "xlsx":
        return xlsx_bytes(rows), ".xlsx", []
    sep = draw(st.sampled_from([",", ";", "\t"]))
    data = csv_bytes(rows, sep=sep)
    text = data.decode("utf-8")
    how = draw(st.sampled_from(["plain"] * 5 + ["bom", "utf-16", "utf-16-le", "cp1258", "quote"]))
    done: list[Mutation] = []
    if how == "bom":
        data = codecs.BOM_UTF8 + data
    elif how == "utf-16":
        data = text.encode("utf-16")
    elif how == "utf-16-le":
        data = text.encode("utf-16-le")
        done.append(Mutation("UTF-16 without a byte-order mark", True))
    elif how == "cp1258":
        try:
            data = text.encode("cp1258")
        except UnicodeEncodeError:
            data = text.encode("utf-8")
        else:
            if not text.isascii():
                done.append(Mutation("cp1258", True))
    elif how == "quote":
        cut = data.rfind(b"\r\n", 0, len(data) - 2)
        data = data[: cut + 2] + b'"' + data[cut + 2 :]
        done.append(Mutation("a quote left open", True))
    suffix = draw(st.sampled_from([".csv", ".csv", ".txt", "-"]))
    return data, suffix, done
