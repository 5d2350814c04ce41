"""The JSON Schema of a campaign's input document: every fact with its type, unit, range,
Vietnamese label and the criteria that read it (a date as ISO text, a yearly series as an
object of its years, with the quantities computed from each fact); the candidate attributes the
plan declares (a cluster), where it requires them."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from emulation_rules.inputs.candidates import facts_typeddict
from emulation_rules.plan.campaign import Campaign, CandidateAttribute, Fact
from emulation_rules.plan.criteria import fact_reads
from emulation_rules.plan.ranges import derived_quantities


def readers(campaign: Campaign, kind: str) -> dict[str, list[str]]:
    """fact id -> what reads it when a ``kind`` of candidate carries it: criteria, criteria of
    individuals reading their unit, award rankings, the scoreboard."""
    out: dict[str, list[str]] = {f.id: [] for f in campaign.facts}
    for c in campaign.criteria:
        for tree in [c.rule] + ([c.applies_if] if c.applies_if is not None else []):
            for read in fact_reads(tree, c.kind):
                if read.carrier != kind:
                    continue
                if read.scope == "unit":
                    label = f"{c.id} (read by individuals of the unit)"
                elif read.kind != c.kind:
                    label = f"{c.id} (read of the members of a collective)"
                else:
                    label = c.id
                if label not in out[read.fact]:
                    out[read.fact].append(label)
    for a in campaign.awards:
        if a.kind == kind:
            for key in a.ranking.keys if a.ranking else ():
                out[key.fact].append(f"{a.id} (ranking)")
    board = campaign.scoreboard
    if board is not None and board.kind == kind:
        for fact in (board.total_fact, board.self_total_fact):
            if fact:
                out[fact].append("scoreboard (computed from 'scores' when given)")
    return out


def input_schema(campaign: Campaign) -> dict[str, Any]:
    quantities = list(derived_quantities(campaign))

    def facts_schema(kind: str) -> dict[str, Any]:
        read_by = readers(campaign, kind)
        schema = TypeAdapter(facts_typeddict(campaign, kind, True)).json_schema()
        props = schema.get("properties", {})
        for fact_id, prop in list(props.items()):
            prop = props[fact_id] = _with_provenance(_nullable(prop), campaign.fact(fact_id))
            fact = campaign.fact(fact_id)
            prop["x-type"] = fact.type
            prop["x-criteria"] = read_by[fact_id]
            derived = [d.to_schema() for d in quantities if fact_id in d.facts]
            if derived:
                prop["x-derived"] = derived
            if fact.scale:
                prop["x-scale"] = list(campaign.scale(fact.scale).levels)
                aliases = campaign.scale(fact.scale).aliases
                if aliases:
                    prop["x-aliases"] = dict(aliases)
            if fact.year is not None:
                prop["x-year"] = fact.year
        schema["title"] = f"facts of an {kind}" if kind == "individual" else f"facts of a {kind}"
        schema["description"] = "a fact that is absent or null is unknown, never a failure"
        return schema

    def scores_schema() -> dict[str, Any]:
        board = campaign.scoreboard
        assert board is not None

        def entry(most: float) -> dict[str, Any]:
            points = {"type": ["number", "null"], "minimum": 0, "maximum": most}
            return {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "self_assessed": points,
                    "appraised": points,
                    "evidence": {"type": "array", "items": {"type": "string", "minLength": 1}},
                },
            }

        return {
            "type": ["object", "null"],
            "title": board.label,
            "description": (
                f"scoreboard items; the appraised total becomes fact '{board.total_fact}'. An item "
                "claimed without evidence earns no appraised points; one not yet appraised "
                "makes the total unknown"
            ),
            "additionalProperties": False,
            "properties": {
                item.id: {**entry(item.max_points), "title": item.label} for item in board.items
            },
        }

    unit_types = list(campaign.unit_types())

    def candidate_schema(kind: str, required: str, unit_type: Any, unit_id: Any) -> dict[str, Any]:
        properties: dict[str, Any] = {
            "id": {"type": "string", "minLength": 1},
            "name": {"type": "string", "minLength": 1},
            "kind": {"const": kind},
            "unit_type": unit_type,
            "unit_id": unit_id,
            "active_from": {"type": ["string", "null"], "format": "date"},
            "active_until": {"type": ["string", "null"], "format": "date"},
            "facts": facts_schema(kind),
        }
        if campaign.scoreboard is not None and campaign.scoreboard.kind == kind:
            properties["scores"] = scores_schema()
        out: dict[str, Any] = {
            "title": kind,
            "type": "object",
            "additionalProperties": False,
            "required": ["id", "name", "kind", required],
            "properties": properties,
        }
        attributes = [a for a in campaign.candidate_attributes if kind in a.kinds]
        if attributes:
            properties["attributes"] = attributes_schema(attributes)
            if kind == "collective":
                out["allOf"] = [_required_attribute(a.id, a.unit_types) for a in attributes]
        return out

    collective = candidate_schema(
        "collective", "unit_type", {"enum": unit_types}, {"type": ["string", "null"]}
    )
    individual = candidate_schema(
        "individual",
        "unit_id",
        {"enum": [*unit_types, None]},
        {"type": "string", "description": "id of a collective in the same input"},
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"input of {campaign.id}",
        "description": campaign.title,
        "type": "object",
        "additionalProperties": False,
        "required": ["candidates"],
        "properties": {
            "as_of": {"type": "string", "format": "date"},
            "candidates": {
                "type": "array",
                "minItems": 1,
                "items": {"oneOf": [collective, individual]},
            },
        },
    }


def attributes_schema(attributes: list[CandidateAttribute]) -> dict[str, Any]:
    """The ``attributes`` object of a candidate: the plan's declared attributes, as text."""
    props: dict[str, Any] = {}
    for a in attributes:
        prop: dict[str, Any] = {"type": "string", "minLength": 1, "title": a.label}
        if a.values is not None:
            prop["enum"] = list(a.values)
        who = f" of unit type {', '.join(a.unit_types)}" if a.unit_types else ""
        prop["description"] = (
            f"given by every {' and '.join(a.kinds)}{who}, and by no other candidate; "
            "awards are grouped by it"
        )
        props[a.id] = prop
    return {
        "type": "object",
        "additionalProperties": False,
        "description": "labels for grouping (an emulation cluster or block), never unknown",
        "properties": props,
    }


def _required_attribute(attribute: str, unit_types: tuple[str, ...]) -> dict[str, Any]:
    """The attribute is required of a collective of the listed unit types, refused of others
    (an individual's unit type is its unit's, which the schema cannot see: evaluation checks)."""
    need = {"required": ["attributes"], "properties": {"attributes": {"required": [attribute]}}}
    if not unit_types:
        return need
    return {
        "if": {"properties": {"unit_type": {"enum": list(unit_types)}}},
        "then": need,
        "else": {"properties": {"attributes": {"not": {"required": [attribute]}}}},
    }


_VALUE_KEYS = (
    "type",
    "minimum",
    "maximum",
    "enum",
    "format",
    "pattern",
    "patternProperties",
    "propertyNames",
    "additionalProperties",
    "items",
)


def _with_provenance(prop: dict[str, Any], fact: Fact) -> dict[str, Any]:
    """A fact's schema: the value itself, or ``{"value", "year", "source", "published",
    "url", "scale"}`` (its provenance). Titles and ``x-`` keys stay at the top."""
    value = {k: prop[k] for k in _VALUE_KEYS if k in prop}
    rest = {k: v for k, v in prop.items() if k not in _VALUE_KEYS}
    provenance: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["value"],
        "properties": {
            "value": value,
            # the figure of the year the plan reads, when it names one (any other is refused)
            "year": (
                {"type": "integer", "const": fact.year}
                if fact.year is not None
                else {"type": "integer", "minimum": 1900, "maximum": 2200}
            ),
            "source": {"type": "string", "minLength": 1},
            "published": {"type": "string", "format": "date"},
            "url": {"type": "string", "minLength": 1},
            "scale": {"enum": [s.id for s in fact.publication_scales]},
        },
    }
    if not fact.publication_scales:
        del provenance["properties"]["scale"]
    if fact.type == "series":  # an object of the series' years; its values name their years
        value["propertyNames"] = {"enum": [str(y) for y in fact.years()]}
        value["additionalProperties"] = False
        del provenance["properties"]["year"]
    return {**rest, "anyOf": [value, provenance]}


def _nullable(prop: dict[str, Any]) -> dict[str, Any]:
    """``anyOf: [X, {type: null}]`` as one schema X whose type also admits null."""
    variants = prop.get("anyOf")
    if not variants or len(variants) != 2 or {"type": "null"} not in variants:
        return prop
    inner = dict(next(v for v in variants if v != {"type": "null"}))
    rest = {k: v for k, v in prop.items() if k != "anyOf"}
    if "type" in inner:
        inner["type"] = [inner["type"], "null"]
    if "enum" in inner:
        inner["enum"] = [*inner["enum"], None]
    return {**rest, **inner}
