"""Candidate input: the document envelope, per-campaign fact validation, the fact table.

Every value is validated and normalised here, once, before either engine sees it. A problem is
reported as :class:`~emulation_rules.errors.InputError` naming the candidate (or CSV row), the
field and the rule broken; nothing is dropped silently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    model_validator,
)
from typing_extensions import TypedDict

from emulation_rules.engine.fact_table import (
    KIND_CODES,
    FactTable,
    column_key,
    encode_date,
    series_key,
)
from emulation_rules.errors import InputError
from emulation_rules.inputs.scores import ScoreEntry, with_score_totals
from emulation_rules.plan.campaign import Campaign, Fact
from emulation_rules.plan.digest import campaign_digest
from emulation_rules.text import nfc


class CandidateIn(BaseModel):
    """One candidate as the input gives it (design.md, 'Input document')."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    kind: Literal["collective", "individual"]
    unit_type: str | None = None
    unit_id: str | None = None
    facts: dict[str, Any] = Field(default_factory=dict)
    scores: dict[str, ScoreEntry] | None = None

    @model_validator(mode="after")
    def _nfc(self) -> CandidateIn:
        """NFC-normalise the candidate's own strings (one call per candidate, ASCII skipped)."""
        for key in ("id", "name", "unit_type", "unit_id"):
            value = getattr(self, key)
            if value is not None and not value.isascii():
                object.__setattr__(self, key, nfc(value))
        return self


class InputDocument(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    as_of: dt.date | None = None
    candidates: tuple[CandidateIn, ...]


class ValidatedInput(BaseModel):
    """Candidates after validation, with their normalised facts and their fact table."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    candidates: tuple[CandidateIn, ...]
    table: FactTable


def parse_document(raw: Any, *, origin: str = "input") -> InputDocument:
    """Validate the envelope of an input document (NFC-normalising every string)."""
    if not isinstance(raw, dict):
        raise InputError(f"{origin}: the input document is a JSON object with 'candidates'")
    if "candidates" in raw and isinstance(raw["candidates"], list) and not raw["candidates"]:
        raise InputError(f"{origin}: 'candidates' is empty: there is nothing to evaluate")
    try:
        return InputDocument.model_validate(raw)
    except ValidationError as exc:
        raise InputError(_envelope_message(origin, raw, exc)) from None


def _envelope_message(origin: str, raw: dict[str, Any], exc: ValidationError) -> str:
    errors = exc.errors()
    err = errors[0]
    loc = err["loc"]
    where = origin
    if len(loc) >= 2 and loc[0] == "candidates" and isinstance(loc[1], int):
        cands = raw.get("candidates") or []
        cid = cands[loc[1]].get("id") if isinstance(cands[loc[1]], dict) else None
        where = (
            f"{origin}: candidate {cid!r} (candidates[{loc[1]}])"
            if cid
            else (f"{origin}: candidates[{loc[1]}]")
        )
        field = ".".join(str(p) for p in loc[2:]) or "candidate"
    else:
        field = ".".join(str(p) for p in loc) or "document"
    more = f" (+{len(errors) - 1} more problems)" if len(errors) > 1 else ""
    return f"{where}: field '{field}': {err['msg']}{more}"


def facts_typeddict(campaign: Campaign, kind: str, strict: bool) -> Any:
    """The facts a ``kind`` of candidate may carry in ``campaign``, as a TypedDict: validated in
    bulk without building a model per candidate, and the source of the input's JSON Schema."""
    fields = {
        fact.id: Annotated[_python_type(campaign, fact) | None, _field(fact)]
        for fact in campaign.facts_for(kind)  # type: ignore[arg-type]
    }
    typed = TypedDict(f"Facts_{kind}", fields, total=False)  # type: ignore[misc]
    typed.__pydantic_config__ = ConfigDict(  # type: ignore[attr-defined]
        extra="forbid", strict=strict, allow_inf_nan=False
    )
    return typed


def _python_type(campaign: Campaign, fact: Fact) -> Any:
    if fact.type == "series":
        return _series_type(campaign, fact)
    return _value_type(campaign, fact, fact.type)


def _value_type(campaign: Campaign, fact: Fact, vtype: str) -> Any:
    if vtype == "boolean":
        return bool
    if vtype == "integer":
        return int
    if vtype == "number":
        return float
    if vtype == "date":
        return _ISO_DATE
    if vtype == "ids":
        return list[Annotated[str, StringConstraints(min_length=1)]]
    assert fact.scale is not None
    return Literal[campaign.scale(fact.scale).levels]


def _real_date(text: str) -> str:
    dt.date.fromisoformat(text)  # raises ValueError (a message) for 2023-02-30
    return text


#: a date fact's value: strict ISO YYYY-MM-DD text (no timestamps, no time zones)
_ISO_DATE = Annotated[
    str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$"), AfterValidator(_real_date)
]


def _series_type(campaign: Campaign, fact: Fact) -> Any:
    """A yearly series: an object whose keys are years (within the fact's years) and whose
    values are of the element type, or null (not known)."""
    first, last = fact.first_year, fact.last_year

    def in_range(values: dict[str, Any]) -> dict[str, Any]:
        outside = [y for y in values if not (first or 0) <= int(y) <= (last or 0)]
        if outside:
            raise ValueError(f"year {outside[0]} is outside the series' years {first}–{last}")
        return values

    element = _value_type(campaign, fact, fact.value_type)
    year = Annotated[str, StringConstraints(pattern=r"^\d{4}$")]
    return Annotated[dict[year, element | None], AfterValidator(in_range)]  # type: ignore[valid-type]


def _field(fact: Fact) -> Any:
    extra: dict[str, Any] = {"x-label": fact.label}
    if fact.unit:
        extra["x-unit"] = fact.unit
    if fact.type == "date":
        extra["format"] = "date"
    if fact.type == "series":
        extra["x-years"] = [fact.first_year, fact.last_year]
    numeric = fact.type in ("integer", "number")
    return Field(
        None,
        ge=fact.minimum if numeric else None,
        le=fact.maximum if numeric else None,
        title=fact.label,
        description=fact.description,
        json_schema_extra=extra,
    )


def validate_input(
    campaign: Campaign,
    candidates: Sequence[CandidateIn | Mapping[str, Any]],
    *,
    where: Sequence[str] | None = None,
    strict: bool = True,
) -> ValidatedInput:
    """Validate every candidate against the campaign and build the fact table.

    ``where`` labels each candidate in messages (default ``candidates[i]``; CSV gives rows);
    ``strict`` refuses JSON strings where numbers are declared (CSV cells are parsed laxly).
    """
    if not candidates:
        raise InputError("no candidates: there is nothing to evaluate")
    labels = (
        list(where) if where is not None else [f"candidates[{i}]" for i in range(len(candidates))]
    )
    parsed = _parse_candidates(candidates, labels)
    by_id: dict[str, int] = {}
    for i, c in enumerate(parsed):
        if c.id in by_id:
            raise InputError(
                f"{_who(c.id, labels[i])}: field 'id': duplicate candidate id, first used at "
                f"{labels[by_id[c.id]]}"
            )
        by_id[c.id] = i

    unit_types = campaign.unit_types()
    for i, c in enumerate(parsed):
        who = _who(c.id, labels[i])
        if c.kind == "collective":
            if c.unit_type is None:
                raise InputError(f"{who}: field 'unit_type': a collective names its unit type")
            if c.unit_type not in unit_types:
                raise InputError(
                    f"{who}: field 'unit_type': '{c.unit_type}' is not a participant of "
                    f"{campaign.id} (one of: {', '.join(unit_types)})"
                )
        else:
            if not c.unit_id:
                raise InputError(
                    f"{who}: field 'unit_id': an individual names the unit it works in"
                )
            j = by_id.get(c.unit_id)
            if j is None:
                raise InputError(
                    f"{who}: field 'unit_id': unit '{c.unit_id}' is not among the candidates"
                )
            unit = parsed[j]
            if unit.kind != "collective":
                raise InputError(f"{who}: field 'unit_id': '{c.unit_id}' is not a collective")
            if c.unit_type is not None and c.unit_type != unit.unit_type:
                raise InputError(
                    f"{who}: field 'unit_type': '{c.unit_type}' differs from its unit's "
                    f"'{unit.unit_type}'"
                )

    facts_of: list[dict[str, Any]] = [{} for _ in parsed]
    for kind in ("collective", "individual"):
        rows = [i for i, c in enumerate(parsed) if c.kind == kind]
        if not rows:
            continue
        adapter = _facts_adapter(campaign, kind, strict)
        batch = [parsed[i].facts for i in rows]
        try:
            try:
                models = adapter.validate_python(batch)
            except ValidationError:
                # ordinal levels are matched as written in the plan (NFC): normalise the
                # input's strings and try once more before reporting (the happy path stays fast)
                models = adapter.validate_python([_nfc_values(f) for f in batch])
        except ValidationError as exc:
            err = exc.errors()[0]
            i = rows[int(err["loc"][0])]
            who = _who(parsed[i].id, labels[i])
            raise InputError(_fact_message(campaign, parsed[i], who, exc, err)) from None
        for i, facts in zip(rows, models, strict=True):
            facts_of[i] = facts
    for i, c in enumerate(parsed):
        if c.scores is not None:
            facts_of[i] = with_score_totals(campaign, c, facts_of[i], _who(c.id, labels[i]))
    table = _build_table(campaign, parsed, facts_of, by_id)
    return ValidatedInput(candidates=tuple(parsed), table=table)


def _nfc_values(facts: dict[str, Any]) -> dict[str, Any]:
    return {k: nfc(v) if isinstance(v, str) else v for k, v in facts.items()}


_CANDIDATES = TypeAdapter(list[CandidateIn])


def _parse_candidates(
    candidates: Sequence[CandidateIn | Mapping[str, Any]], labels: list[str]
) -> list[CandidateIn]:
    """Validate every candidate's envelope in one pass; the first error names its candidate."""
    if all(isinstance(c, CandidateIn) for c in candidates):
        return list(candidates)  # type: ignore[arg-type]
    raw = [c.model_dump() if isinstance(c, CandidateIn) else c for c in candidates]
    try:
        return _CANDIDATES.validate_python(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        i = int(err["loc"][0])
        field = ".".join(str(p) for p in err["loc"][1:]) or "candidate"
        cid = raw[i].get("id") if isinstance(raw[i], Mapping) else None
        raise InputError(f"{_who(cid, labels[i])}: field '{field}': {err['msg']}") from None


_FACT_ADAPTERS: dict[tuple[str, str, bool], TypeAdapter[list[dict[str, Any]]]] = {}


def _facts_adapter(
    campaign: Campaign, kind: str, strict: bool
) -> TypeAdapter[list[dict[str, Any]]]:
    key = (campaign_digest(campaign), kind, strict)
    if key not in _FACT_ADAPTERS:
        typed = facts_typeddict(campaign, kind, strict)
        _FACT_ADAPTERS[key] = TypeAdapter(list[typed])  # type: ignore[valid-type]
    return _FACT_ADAPTERS[key]


def _who(cid: object, label: str) -> str:
    return f"candidate {cid!r} ({label})" if cid else label


def _fact_message(
    campaign: Campaign, c: CandidateIn, who: str, exc: ValidationError, err: Any
) -> str:
    errors = exc.errors()
    name = str(err["loc"][1]) if len(err["loc"]) > 1 else "facts"
    more = f" (+{len(errors) - 1} more problems)" if len(errors) > 1 else ""
    if err["type"] == "extra_forbidden":
        declared = {f.id for f in campaign.facts}
        why = (
            f"'{name}' is a fact of {campaign.id}, but not one {_article(c.kind)} carries"
            if name in declared
            else f"'{name}' is not a fact of {campaign.id}"
        )
        return f"{who}: fact '{name}': {why}{more}"
    fact = next(f for f in campaign.facts if f.id == name)
    got = err.get("input")
    return f"{who}: fact '{name}' ({fact.label}): {err['msg']} (got {got!r}){more}"


def _build_table(
    campaign: Campaign,
    parsed: list[CandidateIn],
    facts_of: list[dict[str, Any]],
    by_id: dict[str, int],
) -> FactTable:
    n = len(parsed)
    unit_codes = {u: k for k, u in enumerate(campaign.unit_types())}
    kind = np.fromiter((KIND_CODES[c.kind] for c in parsed), dtype=np.int32, count=n)
    unit_index = [by_id[c.unit_id] if c.kind == "individual" and c.unit_id else -1 for c in parsed]
    ut = np.fromiter(
        (
            unit_codes[parsed[unit_index[i]].unit_type or ""]
            if c.kind == "individual"
            else unit_codes[c.unit_type or ""]
            for i, c in enumerate(parsed)
        ),
        dtype=np.int32,
        count=n,
    )
    uut = np.where(kind == KIND_CODES["individual"], ut, -1).astype(np.int32)
    values: dict[str, Any] = {}
    known: dict[str, Any] = {}
    id_sets: dict[str, tuple[frozenset[str] | None, ...]] = {}
    encoders = {f.id: _encoder(campaign, f) for f in campaign.facts}
    unit_read = _unit_scope_facts(campaign)
    for fact in campaign.facts:
        enc = encoders[fact.id]
        own = [f.get(fact.id) for f in facts_of]
        for scope in ("self", "unit"):
            if scope == "unit" and fact.id not in unit_read:
                continue
            cells = own if scope == "self" else [own[j] if j >= 0 else None for j in unit_index]
            if fact.type == "series":
                _series_columns(fact, scope, cells, enc, values, known, id_sets)
                continue
            kn = np.fromiter((v is not None for v in cells), dtype=bool, count=n)
            vals = np.fromiter(
                (enc(v) if v is not None else 0.0 for v in cells), dtype=np.float64, count=n
            )
            key = column_key(fact.id, scope)
            values[key] = vals
            known[key] = kn
    return FactTable(
        tuple(c.id for c in parsed),
        kind,
        {"unit_type": ut, "unit.unit_type": uut},
        values,
        known,
        np.asarray(unit_index, dtype=np.int32),
        id_sets,
    )


def _series_columns(
    fact: Fact,
    scope: str,
    cells: list[Any],
    enc: Any,
    values: dict[str, Any],
    known: dict[str, Any],
    id_sets: dict[str, tuple[frozenset[str] | None, ...]],
) -> None:
    """One column per year of a yearly series (an ids series: one tuple of id sets per year)."""
    n = len(cells)
    for year in fact.years():
        key = series_key(fact.id, year, scope)
        per_year = [c.get(str(year)) if c is not None else None for c in cells]
        if fact.value_type == "ids":
            id_sets[key] = tuple(frozenset(v) if v is not None else None for v in per_year)
            continue
        known[key] = np.fromiter((v is not None for v in per_year), dtype=bool, count=n)
        values[key] = np.fromiter(
            (enc(v) if v is not None else 0.0 for v in per_year), dtype=np.float64, count=n
        )


def _encoder(campaign: Campaign, fact: Fact) -> Any:
    if fact.value_type == "date":
        return encode_date
    if fact.value_type == "ids":
        return None
    if fact.value_type == "ordinal":
        assert fact.scale is not None
        ranks = {lvl: float(i) for i, lvl in enumerate(campaign.scale(fact.scale).levels)}
        return ranks.__getitem__
    return float


def _unit_scope_facts(campaign: Campaign) -> set[str]:
    from emulation_rules.plan.criteria import fact_reads

    out: set[str] = set()
    for c in campaign.criteria:
        for tree in [c.rule] + ([c.applies_if] if c.applies_if is not None else []):
            out |= {r.fact for r in fact_reads(tree, c.kind) if r.scope == "unit"}
    return out


def _article(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"
