"""The JSON Schema (draft 2020-12) of the output document, ``Result.to_dict()``.

The document is lean by default (every citation once, in ``citations``, which each verdict
names by its criterion id); with ``--verbose-citations`` each verdict holds its citation and
there is no table: the schema accepts both, and not a mix.

``output_schema()`` describes every output; ``output_schema(campaign)`` narrows it to one
campaign (its id, its award and criterion ids, its parameters). ``emulation-rules schema
--output [CAMPAIGN]`` prints it. The document grows additively: a key once published keeps its
meaning; ``docs/data-model.md`` §3 explains each one.
"""

from __future__ import annotations

from typing import Any

from emulation_rules.engine.columnar import ELIGIBILITY
from emulation_rules.evaluation.allocation.model import STATUSES
from emulation_rules.evaluation.explaining import REASONS
from emulation_rules.plan.campaign import Campaign
from emulation_rules.plan.facts import ROUNDING_RULES

_IDS = {"type": "array", "items": {"type": "string"}}
_NULLABLE_TEXT = {"type": ["string", "null"]}


def _obj(properties: dict[str, Any], *, optional: tuple[str, ...] = ()) -> dict[str, Any]:
    """A closed object whose every property is required, but ``optional``."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [k for k in properties if k not in optional],
        "properties": properties,
    }


_REASON_VALUES: dict[str, Any] = {
    "expression": {"type": "string", "description": "a denominator, as the rule writes it"},
    "quantity": {"type": "string", "description": "a ratio, as the rule writes it"},
    "measure": {"enum": ["count", "share"]},
    "reads_as": {"enum": ["unknown", "not_met", "not_applicable"]},
    "met": {"type": "integer", "minimum": 0},
    "unknown": {"type": "integer", "minimum": 0},
    "members": {"type": "integer", "minimum": 0},
    "low": {"type": "number", "description": "the interval's low end (a share in percent)"},
    "high": {"type": "number"},
    "missing": {
        **_IDS,
        "description": "the guard's facts still missing (fact[2024]: a series' year)",
    },
}


def _reason(code: str, keys: tuple[str, ...]) -> dict[str, Any]:
    return _obj({"code": {"const": code}, **{k: _REASON_VALUES[k] for k in keys}})


def _verdict_citations(shape: dict[str, Any]) -> dict[str, Any]:
    """A schema holding every verdict's ``citation`` to ``shape``."""
    verdict = {"properties": {"citation": shape}}
    candidate = {"properties": {"criteria": {"items": verdict}}}
    return {"properties": {"candidates": {"items": candidate}}}


def output_schema(campaign: Campaign | None = None) -> dict[str, Any]:
    """The schema of the output document (of one campaign's, if given)."""
    award_id: dict[str, Any] = {"type": "string"}
    criterion_id: dict[str, Any] = {"type": "string"}
    campaign_id: dict[str, Any] = {"type": "string"}
    if campaign is not None:
        award_id = {"enum": [a.id for a in campaign.awards]}
        criterion_id = {"enum": [c.id for c in campaign.criteria]}
        campaign_id = {"const": campaign.id}
    citation = _obj(
        {
            "document": {
                "type": "string",
                "description": "kind and number, e.g. Kế hoạch 1078/KH-SNV; a source without a "
                "number says so: Trang tin (không số)",
            },
            "date": {"type": ["string", "null"], "format": "date", "description": "null: undated"},
            "issuer": {"type": "string"},
            "url": {
                "type": ["string", "null"],
                "format": "uri",
                "description": "the web address the source was read at; null: none",
            },
            "clause": _NULLABLE_TEXT,
            "quote": _NULLABLE_TEXT,
            "interpretation": {"type": "boolean"},
            "unconfirmed": {
                "type": "boolean",
                "description": "the legal fact was read only second hand or inferred (always "
                "an interpretation too)",
            },
            "note": _NULLABLE_TEXT,
        }
    )
    scalar = {"type": ["boolean", "integer", "number", "string", "null"]}
    observed_value = {
        "anyOf": [
            {
                **scalar,
                "description": "a fact as the plan writes it (a date as YYYY-MM-DD), a computed "
                "quantity, another award's eligibility, a seat (awarded, not_awarded, "
                "undecided) or a criterion's verdict; null: missing",
            },
            {
                "type": "object",
                "description": "a yearly series: its value in each year the rule reads",
                "propertyNames": {"pattern": "^[0-9]{4}$"},
                "additionalProperties": scalar,
            },
            _obj(
                {
                    "distinct": {"type": "integer", "minimum": 0},
                    "every_year_known": {"type": "boolean"},
                },
            )
            | {"description": "distinct ids counted over the years read"},
            _obj(
                {
                    "met": {"type": "integer", "minimum": 0},
                    "unknown": {"type": "integer", "minimum": 0},
                    "members": {"type": "integer", "minimum": 0},
                },
            )
            | {"description": "a collective's members: how many meet the test, are unknown"},
        ]
    }
    criterion = _obj(
        {
            "id": criterion_id,
            "label": {"type": "string"},
            "verdict": {"enum": ["met", "not_met", "unknown", "not_applicable"]},
            "observed": {
                "type": "object",
                "description": "what the rule and its guard read, the rule's first",
                "additionalProperties": observed_value,
            },
            "required": {"type": "string"},
            "citation": {
                "description": "the criterion's id, naming its entry in the document's "
                "'citations' table (lean form, the default); the citation itself with "
                "--verbose-citations (the earlier form, kept for one release)",
                "oneOf": [criterion_id, {"$ref": "#/$defs/citation"}],
            },
            "explanation": {
                "type": "string",
                "description": "why, in English, where the values alone do not say it (a zero "
                "denominator, a guard not yet decided, a member count still open); absent "
                "otherwise",
            },
            "reasons": {
                "type": "array",
                "minItems": 1,
                "description": "the explanation as data, reason by reason (present with it)",
                "items": {"oneOf": [_reason(code, keys) for code, keys in REASONS.items()]},
            },
        },
        optional=("explanation", "reasons"),
    )
    points = {"type": ["number", "null"]}
    score_line = _obj(
        {
            "item": {"type": "string"},
            "label": {"type": "string"},
            "max_points": {"type": "number"},
            "self_assessed": points,
            "appraised": points,
            "evidence": _IDS,
            "points": points,
            "status": {"type": "string"},
        }
    )
    provenance = _obj(
        {
            "year": {"type": "integer", "minimum": 1900, "maximum": 2200},
            "source": {"type": "string"},
            "published": {"type": "string", "format": "date"},
            "url": {"type": "string"},
            "scale": _obj(
                {
                    "id": {"type": "string"},
                    "label": {"type": "string"},
                    "factor": {"type": "number"},
                }
            ),
            "published_value": {
                "type": "number",
                "description": "the value as published, before the scale's conversion",
            },
            "not_yet_published": {
                "const": True,
                "description": "published after as_of: the value was read as unknown",
            },
        },
        optional=(
            "year",
            "source",
            "published",
            "url",
            "scale",
            "published_value",
            "not_yet_published",
        ),
    )
    provenance["minProperties"] = 1
    candidate = _obj(
        {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "kind": {"enum": ["collective", "individual"]},
            "unit_type": _NULLABLE_TEXT,
            "unit_id": _NULLABLE_TEXT,
            "criteria": {"type": "array", "items": {"$ref": "#/$defs/criterion"}},
            "awards": {
                "type": "object",
                "propertyNames": award_id,
                "additionalProperties": {
                    "enum": list(ELIGIBILITY),
                    "description": "not_applicable: the candidate did not exist during the "
                    "award's span; it takes no part in the allocation",
                },
            },
            "scores": {"type": "array", "items": {"$ref": "#/$defs/score_line"}},
            "provenance": {
                "type": "object",
                "description": "where observed values come from (fact column -> provenance), "
                "only for values that carry it",
                "minProperties": 1,
                "additionalProperties": {"$ref": "#/$defs/provenance"},
            },
        },
        optional=("scores", "provenance"),
    )
    problem = _obj(
        {
            "where": {"type": "string"},
            "candidate": _NULLABLE_TEXT,
            "row": {"type": ["integer", "null"], "minimum": 0},
            "cell": _NULLABLE_TEXT,
            "field": {"type": "string"},
            "rule": {"type": "string"},
            "value": _NULLABLE_TEXT,
            "message": {"type": "string"},
        }
    )
    rejected = _obj(
        {
            "id": _NULLABLE_TEXT,
            "name": _NULLABLE_TEXT,
            "where": {"type": "string"},
            "problems": {
                "type": "array",
                "minItems": 1,
                "items": {"$ref": "#/$defs/problem"},
            },
        }
    )
    threats = _obj(
        {
            "contenders": {
                **_IDS,
                "description": "could rank at or above the seat once their missing facts are known",
            },
            "earlier_awards": {
                **_IDS,
                "description": "awards allocated first that the seat holder may still receive",
            },
            "fewer_seats": {
                "type": "boolean",
                "description": "the quota is a share of a count that may turn out smaller",
            },
        }
    )
    depends = _obj(
        {
            "facts": {**_IDS, "description": "missing facts that decide the candidate's place"},
            "awards": {**_IDS, "description": "earlier awards it may receive or lose"},
        }
    )
    share = _obj(
        {
            "percent": {"type": "number", "minimum": 0, "maximum": 100},
            "of": {"enum": ["eligible", "candidates", "award"]},
            "award": {"type": ["string", "null"]},
            "rounding": {"enum": list(ROUNDING_RULES)},
            "base": {"type": "integer", "minimum": 0, "description": "the count, on known facts"},
            "seats_min": {"type": "integer", "minimum": 0},
            "seats_max": {"type": "integer", "minimum": 0},
        }
    )
    count = {"type": "integer", "minimum": 0}
    allocation = _obj(
        {
            "award": award_id,
            "kind": {"enum": ["collective", "individual"]},
            "quota": {"type": ["integer", "null"], "minimum": 0},
            "awarded": {
                **_IDS,
                "description": "seated under every completion of the missing facts",
            },
            "provisional": {**_IDS, "description": "seated now; some completion takes the seat"},
            "possible": {**_IDS, "description": "not seated now; some completion seats it"},
            "reserve": _IDS,
            "tied_at_cutoff": _IDS,
            "seats_undecided": count,
            "unranked": _IDS,
            "undetermined": _IDS,
            "pending": _IDS,
            "ranks": {
                "type": "object",
                "description": "shared by candidates equal on every ranking key (1, 2, 2, 4)",
                "additionalProperties": {"type": "integer", "minimum": 1},
            },
            "threats": {"type": "object", "additionalProperties": {"$ref": "#/$defs/threats"}},
            "depends_on": {"type": "object", "additionalProperties": {"$ref": "#/$defs/depends"}},
            "quota_share": {"oneOf": [{"type": "null"}, {"$ref": "#/$defs/quota_share"}]},
            "cap": {
                "oneOf": [
                    {"type": "null"},
                    _obj({"by": {"type": "string"}, "count": count}),
                ]
            },
            "group": {"type": "string"},
            "group_values": {
                "type": "object",
                "additionalProperties": {"type": ["string", "null"]},
            },
        },
        optional=("group", "group_values"),
    )
    allocation["dependentRequired"] = {"group": ["group_values"], "group_values": ["group"]}
    parameters: dict[str, Any] = {
        "type": "object",
        "additionalProperties": {"type": ["boolean", "integer", "number", "string"]},
    }
    if campaign is not None:
        parameters["required"] = [p.id for p in campaign.parameters]
        parameters["propertyNames"] = {"enum": [p.id for p in campaign.parameters]}
    successor = _obj(
        {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "since": {"type": "string", "format": "date"},
            "note": _NULLABLE_TEXT,
            "citation": {"$ref": "#/$defs/citation"},
        }
    )
    citations: dict[str, Any] = {
        "type": "object",
        "description": "every criterion's citation, once, by criterion id (the lean form's "
        "table; absent with --verbose-citations)",
        "additionalProperties": {"$ref": "#/$defs/citation"},
    }
    if campaign is not None:
        citations["propertyNames"] = criterion_id
    title = f"output of {campaign.id}" if campaign is not None else "output of emulation-rules"
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "description": (
            "verdicts, eligibility and allocation (Result.to_dict()); allocation statuses: "
            + ", ".join(STATUSES)
        ),
        **_obj(
            {
                "campaign": campaign_id,
                "as_of": {"type": "string", "format": "date"},
                "fingerprint": {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"},
                "engine": {"enum": ["both", "columnar"]},
                "parameters": parameters,
                "carried_on_by": {"oneOf": [{"type": "null"}, {"$ref": "#/$defs/successor"}]},
                "citations": citations,
                "candidates": {"type": "array", "items": {"$ref": "#/$defs/candidate"}},
                "allocations": {"type": "array", "items": {"$ref": "#/$defs/allocation"}},
                "rejected": {
                    "type": "array",
                    "description": "only with on_invalid='report': the candidates refused, "
                    "each with every problem it has",
                    "items": {"$ref": "#/$defs/rejected"},
                },
            },
            optional=("rejected", "citations"),
        ),
        # the lean form has the table and names its entries; the verbose form has neither
        "if": {"required": ["citations"]},
        "then": _verdict_citations({"type": "string"}),
        "else": _verdict_citations({"type": "object"}),
        "$defs": {
            "citation": citation,
            "criterion": criterion,
            "score_line": score_line,
            "provenance": provenance,
            "candidate": candidate,
            "problem": problem,
            "rejected": rejected,
            "threats": threats,
            "depends": depends,
            "quota_share": share,
            "allocation": allocation,
            "successor": successor,
        },
    }
